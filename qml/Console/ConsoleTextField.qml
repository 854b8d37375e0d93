// The console's text input: dark well, accent focus ring, red when invalid, optional leading icon.
import QtQuick
import QtQuick.Controls.Basic

TextField {
    id: field

    property bool invalid: false
    property string iconName

    implicitHeight: Theme.controlHeight
    leftPadding: iconName.length > 0 ? 30 : 10
    rightPadding: 10
    topPadding: 0
    bottomPadding: 0
    verticalAlignment: TextInput.AlignVCenter
    color: Theme.textStrong
    placeholderTextColor: Theme.textFaint
    selectionColor: Theme.tint(Theme.accent, 0.5)
    selectedTextColor: Theme.textStrong
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody
    selectByMouse: true

    background: Rectangle {
        implicitWidth: 160
        radius: Theme.radiusM
        color: Theme.inputBackground
        border.width: field.activeFocus || field.invalid ? 2 : 1
        border.color: field.invalid ? Theme.danger : field.activeFocus ? Theme.focus : field.hovered ? Theme.borderStrong : Theme.border

        Icon {
            x: 9
            anchors.verticalCenter: parent.verticalCenter
            visible: field.iconName.length > 0
            name: field.iconName
            size: 15
            color: Theme.textFaint
        }
    }
}
