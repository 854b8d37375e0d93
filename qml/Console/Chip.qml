// A small status chip: a state's name in its colour on a faint tint of it.
import QtQuick

Rectangle {
    id: chip

    property string text
    property color tone: Theme.idle
    property bool dot: true

    implicitWidth: label.implicitWidth + (dot ? 26 : 14)
    implicitHeight: 20
    radius: height / 2
    color: Theme.tint(tone, 0.14)
    border.width: 1
    border.color: Theme.tint(tone, 0.38)

    Rectangle {
        id: marker

        visible: chip.dot
        x: 8
        width: 6
        height: 6
        radius: 3
        anchors.verticalCenter: parent.verticalCenter
        color: chip.tone
    }
    Text {
        id: label

        x: chip.dot ? 18 : 7
        anchors.verticalCenter: parent.verticalCenter
        width: chip.width - x - 7
        text: chip.text
        color: Qt.lighter(chip.tone, 1.15)
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
        elide: Text.ElideRight
    }
}
