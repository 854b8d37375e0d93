// The console's button: primary, secondary, danger or ghost, with an optional icon.
import QtQuick
import QtQuick.Controls.Basic

Button {
    id: button

    /// "primary" (the one main action), "secondary", "danger" (destructive) or "ghost" (toolbars).
    property string variant: "secondary"
    property string iconName
    property bool compact: false
    /// Overrides the variant's text and icon colour (e.g. a ghost button in a state colour).
    property color tone: variant === "primary" ? Theme.textOnAccent : variant === "danger" ? Theme.danger : Theme.text

    readonly property color fill: {
        if (variant === "primary")
            return down ? Qt.darker(Theme.accent, 1.15) : hovered ? Theme.accentHover : Theme.accent;
        if (variant === "danger")
            return down ? Theme.tint(Theme.danger, 0.28) : hovered ? Theme.tint(Theme.danger, 0.2) : Theme.tint(Theme.danger, 0.1);
        if (variant === "ghost")
            return down ? Theme.surfaceSelected : hovered ? Theme.surfaceHover : "transparent";
        return down ? Theme.surfaceSelected : hovered ? Theme.surfaceHover : Theme.surfaceRaised;
    }

    implicitHeight: compact ? 26 : Theme.controlHeight
    leftPadding: text.length > 0 ? (compact ? 9 : 12) : 6
    rightPadding: text.length > 0 ? (compact ? 9 : 12) : 6
    topPadding: 0
    bottomPadding: 0
    font.family: Theme.fontFamily
    font.pixelSize: compact ? Theme.fontSmall : Theme.fontBody
    font.weight: variant === "primary" ? Font.DemiBold : Font.Normal
    focusPolicy: Qt.StrongFocus
    opacity: enabled ? 1 : 0.4

    // No ids inside contentItem / background: they would defeat the deferred creation.
    contentItem: Item {
        implicitWidth: children[0].implicitWidth
        implicitHeight: children[0].implicitHeight

        Row {
            anchors.centerIn: parent
            spacing: 6

            Icon {
                anchors.verticalCenter: parent.verticalCenter
                visible: button.iconName.length > 0
                name: button.iconName
                size: button.compact ? 14 : 16
                color: button.tone
            }
            Text {
                anchors.verticalCenter: parent.verticalCenter
                visible: button.text.length > 0
                text: button.text
                font: button.font
                color: button.tone
            }
        }
    }

    background: Rectangle {
        implicitWidth: button.compact ? 26 : Theme.controlHeight
        radius: Theme.radiusM
        color: button.fill
        border.width: button.visualFocus ? 2 : 1
        border.color: {
            if (button.visualFocus)
                return Theme.focus;
            if (button.variant === "primary")
                return "transparent";
            if (button.variant === "danger")
                return Theme.tint(Theme.danger, 0.45);
            if (button.variant === "ghost")
                return button.hovered ? Theme.border : "transparent";
            return Theme.border;
        }
    }
}
