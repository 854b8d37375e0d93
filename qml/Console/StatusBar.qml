// The status line: the last action's outcome on the left, keyboard hints on the right.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: status

    property string text
    /// "ok", "error", "pending" (accepted, its outcome not in yet) or "" (nothing has happened yet).
    property string outcome
    property real at: 0

    implicitHeight: 28
    color: Theme.surface

    Rectangle {
        width: parent.width
        height: 1
        color: Theme.border
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingL
        anchors.rightMargin: Theme.spacingL
        spacing: Theme.spacingS

        Rectangle {
            width: 8
            height: 8
            radius: 4
            color: status.outcome === "ok" ? Theme.healthy : status.outcome === "error" ? Theme.failing : status.outcome === "pending" ? Theme.accent : Theme.idle
        }
        Text {
            visible: status.at > 0
            text: Theme.clockTime(status.at)
            color: Theme.textFaint
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
        }
        Text {
            objectName: "statusText"
            Layout.fillWidth: true
            text: status.text.length > 0 ? status.text : qsTr("Ready")
            color: status.outcome === "error" ? Qt.lighter(Theme.failing, 1.2) : Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }
        Text {
            text: qsTr("Ctrl+1–7 panels  ·  Ctrl+N new delivery  ·  Ctrl+F search  ·  A / R approve / reject  ·  Esc close")
            color: Theme.textFaint
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCaption
        }
    }
}
