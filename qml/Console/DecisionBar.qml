// The supervisor's decision bar: select all, a comment for the audit log, approve / reject / retry.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: bar

    property int selectedCount: 0
    property int totalCount: 0
    property bool canDecide: false
    property alias comment: commentField.text

    signal selectAll(bool selected)
    /// "approve", "reject" or "retry" on the selection.
    signal decide(string action)

    implicitHeight: layout.implicitHeight + 2 * Theme.spacingM
    radius: Theme.radiusL
    color: Theme.surface
    border.color: Theme.border

    ColumnLayout {
        id: layout

        x: Theme.spacingM
        y: Theme.spacingM
        width: bar.width - 2 * Theme.spacingM
        spacing: Theme.spacingS

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM

            ConsoleCheckBox {
                objectName: "selectAll"
                checked: bar.totalCount > 0 && bar.selectedCount === bar.totalCount
                enabled: bar.totalCount > 0
                onToggled: bar.selectAll(checked)
            }
            Text {
                objectName: "selectionCount"
                Layout.preferredWidth: 96
                text: bar.selectedCount > 0 ? qsTr("%1 selected").arg(bar.selectedCount) : qsTr("None selected")
                color: bar.selectedCount > 0 ? Theme.textStrong : Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
            ConsoleTextField {
                id: commentField

                objectName: "comment"
                Layout.fillWidth: true
                placeholderText: qsTr("Comment for the audit log (optional)")
            }
            ConsoleButton {
                objectName: "approve"
                variant: "primary"
                text: qsTr("Approve  A")
                iconName: "check"
                enabled: bar.canDecide && bar.selectedCount > 0
                onClicked: bar.decide("approve")
            }
            ConsoleButton {
                objectName: "reject"
                variant: "danger"
                text: qsTr("Reject  R")
                iconName: "ban"
                enabled: bar.canDecide && bar.selectedCount > 0
                onClicked: bar.decide("reject")
            }
            ConsoleButton {
                objectName: "retry"
                text: qsTr("Retry")
                iconName: "retry"
                enabled: bar.canDecide && bar.selectedCount > 0
                onClicked: bar.decide("retry")
            }
        }
        RowLayout {
            objectName: "roleNote"
            visible: !bar.canDecide
            Layout.fillWidth: true
            spacing: 6

            Icon {
                name: "warning"
                size: 14
                color: Theme.degraded
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("Approve, reject and retry need the supervisor role — sign in as a supervisor (top bar, Sign in as…).")
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideRight
            }
        }
    }
}
