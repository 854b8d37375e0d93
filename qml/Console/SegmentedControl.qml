// A row of mutually exclusive options, for small enumerations (role, size, fault kind).
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic

Rectangle {
    id: control

    /// [{value, label}] or plain strings (value and label alike).
    property var options: []
    property string value
    property bool compact: false

    /// The user picked `value` (value itself is not changed here when bound from outside).
    signal activated(string value)

    implicitWidth: row.implicitWidth + 4
    implicitHeight: compact ? 26 : Theme.controlHeight
    radius: Theme.radiusM
    color: Theme.inputBackground
    border.color: Theme.border

    Row {
        id: row

        x: 2
        y: 2
        height: parent.height - 4
        spacing: 2

        Repeater {
            model: control.options

            AbstractButton {
                id: option

                required property var modelData
                readonly property string optionValue: typeof modelData === "string" ? modelData : modelData.value
                readonly property bool selected: optionValue === control.value

                objectName: "option_" + optionValue
                height: row.height
                implicitWidth: implicitContentWidth + (control.compact ? 16 : 22)
                text: typeof modelData === "string" ? modelData : modelData.label
                focusPolicy: Qt.StrongFocus
                onClicked: {
                    control.value = optionValue;
                    control.activated(optionValue);
                }

                contentItem: Text {
                    text: option.text
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                    color: option.selected ? Theme.textStrong : option.hovered ? Theme.text : Theme.textDim
                    font.family: Theme.fontFamily
                    font.pixelSize: control.compact ? Theme.fontSmall : Theme.fontBody
                    font.weight: option.selected ? Font.DemiBold : Font.Normal
                }
                background: Rectangle {
                    radius: Theme.radiusS
                    color: option.selected ? Theme.surfaceSelected : option.hovered ? Theme.surfaceHover : "transparent"
                    border.width: option.visualFocus ? 2 : option.selected ? 1 : 0
                    border.color: option.visualFocus ? Theme.focus : Theme.tint(Theme.accent, 0.6)
                }
            }
        }
    }
}
