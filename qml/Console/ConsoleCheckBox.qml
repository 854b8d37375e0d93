// A compact checkbox in the console's colours (used for bulk selection).
import QtQuick
import QtQuick.Controls.Basic

CheckBox {
    id: box

    implicitWidth: Math.max(implicitIndicatorWidth, implicitContentWidth) + leftPadding + rightPadding
    implicitHeight: Math.max(implicitIndicatorHeight, implicitContentHeight) + topPadding + bottomPadding
    padding: 0
    spacing: 6
    focusPolicy: Qt.StrongFocus
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    indicator: Rectangle {
        implicitWidth: 16
        implicitHeight: 16
        x: box.leftPadding
        y: (box.height - height) / 2
        radius: 3
        color: box.checked ? Theme.accent : Theme.inputBackground
        border.width: box.visualFocus ? 2 : 1
        border.color: box.visualFocus ? Theme.focus : box.checked ? Theme.accent : box.hovered ? Theme.textFaint : Theme.borderStrong

        Icon {
            anchors.centerIn: parent
            visible: box.checked
            name: "check"
            size: 14
            strokeWidth: 2.6
            color: Theme.textOnAccent
        }
    }
    contentItem: Text {
        leftPadding: box.text.length > 0 ? box.indicator.width + box.spacing : 0
        text: box.text
        font: box.font
        color: Theme.text
        verticalAlignment: Text.AlignVCenter
    }
}
