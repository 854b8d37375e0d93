// A checkable pill for filters and pickers, optionally with a colour swatch.
import QtQuick
import QtQuick.Controls.Basic

AbstractButton {
    id: chip

    /// Swatch colour; transparent hides the swatch.
    property color tone: "transparent"

    checkable: true
    readonly property bool hasSwatch: tone.a > 0

    implicitHeight: 26
    implicitWidth: implicitContentWidth + (hasSwatch ? 30 : 20)
    focusPolicy: Qt.StrongFocus
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontSmall

    // No ids inside contentItem: they would defeat its deferred creation.
    contentItem: Item {
        implicitWidth: children[1].implicitWidth

        Rectangle {
            visible: chip.hasSwatch
            x: 10
            width: 8
            height: 8
            radius: 4
            anchors.verticalCenter: parent.verticalCenter
            color: chip.tone
        }
        Text {
            x: chip.hasSwatch ? 22 : 10
            anchors.verticalCenter: parent.verticalCenter
            text: chip.text
            font: chip.font
            color: chip.checked ? Theme.textStrong : Theme.textDim
        }
    }

    background: Rectangle {
        radius: height / 2
        color: chip.checked ? Theme.tint(Theme.accent, 0.2) : chip.hovered ? Theme.surfaceHover : Theme.surfaceRaised
        border.width: chip.visualFocus ? 2 : 1
        border.color: chip.visualFocus ? Theme.focus : chip.checked ? Theme.tint(Theme.accent, 0.7) : Theme.border
    }
}
