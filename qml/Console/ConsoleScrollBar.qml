// A thin scroll bar that brightens under the pointer.
import QtQuick
import QtQuick.Controls.Basic

ScrollBar {
    id: bar

    padding: 2
    minimumSize: 0.05

    contentItem: Rectangle {
        implicitWidth: bar.interactive ? 8 : 4
        implicitHeight: bar.interactive ? 8 : 4
        radius: width / 2
        color: bar.pressed ? Theme.textDim : bar.hovered ? Theme.textFaint : Theme.borderStrong
        opacity: bar.policy === ScrollBar.AlwaysOn || bar.size < 1.0 ? 1 : 0
    }
}
