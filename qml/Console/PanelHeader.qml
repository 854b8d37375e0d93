// A panel's title line: name, a short live summary, and the panel's tools on the right.
import QtQuick
import QtQuick.Layouts

RowLayout {
    id: header

    property string title
    property string subtitle
    default property alias tools: toolRow.data

    spacing: Theme.spacingM
    implicitHeight: Math.max(34, toolRow.implicitHeight)

    Text {
        text: header.title
        color: Theme.textStrong
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontHeading
        font.weight: Font.Bold
    }
    Text {
        objectName: "subtitle"
        Layout.fillWidth: true
        Layout.alignment: Qt.AlignVCenter
        text: header.subtitle
        color: Theme.textDim
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        elide: Text.ElideRight
    }
    RowLayout {
        id: toolRow

        spacing: Theme.spacingS
    }
}
