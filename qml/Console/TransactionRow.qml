// One failed transaction: a summary line with a selection box; expanded, its compensation steps and actions.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: row

    required property var model
    required property int index
    required property string transactionId
    required property string deliveryId
    required property string operation
    required property string failedStep
    required property string error
    required property int state
    required property real updatedAt
    required property bool awaitingApproval
    required property var compensations
    required property bool selected
    property var columns
    property real now
    property bool canDecide: false
    property bool expanded: false
    /// A link asked for this row: it opens and is marked.
    property bool revealed: false

    signal decide(string action, string transactionId)

    // A list of {step, resourceId, state, stateName, requiresApproval, reason, attempts, lastError}.
    readonly property var steps: compensations || []

    onRevealedChanged: if (revealed)
        expanded = true
    Component.onCompleted: if (revealed)
        expanded = true

    objectName: "transactionRow"
    implicitHeight: summary.height + (expanded ? details.implicitHeight + Theme.spacingM : 0)
    color: selected ? Theme.tint(Theme.accent, 0.1) : revealed ? Theme.surfaceSelected : expanded ? Theme.surfaceRaised : area.containsMouse ? Theme.surfaceHover : "transparent"
    clip: true

    // Rows that wait for a supervisor carry an amber edge.
    Rectangle {
        visible: row.awaitingApproval
        width: 3
        height: summary.height
        color: Theme.degraded
    }

    Item {
        id: summary

        width: parent.width
        height: 40

        MouseArea {
            id: area

            anchors.fill: parent
            hoverEnabled: true
            cursorShape: Qt.PointingHandCursor
            onClicked: row.expanded = !row.expanded
        }
        RowLayout {
            x: Theme.spacingM
            width: parent.width - Theme.spacingM - Theme.spacingL
            height: parent.height
            spacing: Theme.spacingM

            ConsoleCheckBox {
                objectName: "select"
                Layout.preferredWidth: 18
                checked: row.selected
                onToggled: row.model.selected = checked
            }
            Icon {
                name: row.expanded ? "chevronDown" : "chevronRight"
                size: 14
                color: Theme.textDim
            }
            Text {
                Layout.preferredWidth: row.columns.transaction
                text: row.transactionId
                color: Theme.textStrong
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideMiddle
            }
            Text {
                Layout.preferredWidth: row.columns.operation
                text: row.operation
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
            Text {
                Layout.preferredWidth: row.columns.step
                text: Theme.stepName(row.failedStep)
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
            Text {
                Layout.fillWidth: true
                text: row.error
                color: Qt.lighter(Theme.failing, 1.25)
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideRight
            }
            Item {
                Layout.preferredWidth: row.columns.state
                Layout.fillHeight: true

                Chip {
                    objectName: "stateChip"
                    anchors.verticalCenter: parent.verticalCenter
                    width: Math.min(implicitWidth, parent.width)
                    text: Theme.transactionName(row.state)
                    tone: Theme.transactionColor(row.state)
                }
            }
            Text {
                Layout.preferredWidth: row.columns.updated
                horizontalAlignment: Text.AlignRight
                text: Theme.relative(row.updatedAt, row.now)
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }
    }

    ColumnLayout {
        id: details

        visible: row.expanded
        x: 74
        y: summary.height
        width: parent.width - x - Theme.spacingL
        spacing: 6

        Text {
            text: qsTr("Delivery %1  ·  compensation steps").arg(row.deliveryId)
            color: Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        Repeater {
            model: row.expanded ? row.steps : []

            CompensationStep {
                Layout.fillWidth: true
            }
        }
        RowLayout {
            spacing: Theme.spacingS

            ConsoleButton {
                objectName: "rowApprove"
                compact: true
                variant: "primary"
                text: qsTr("Approve")
                iconName: "check"
                enabled: row.canDecide
                onClicked: row.decide("approve", row.transactionId)
            }
            ConsoleButton {
                objectName: "rowReject"
                compact: true
                variant: "danger"
                text: qsTr("Reject")
                iconName: "ban"
                enabled: row.canDecide
                onClicked: row.decide("reject", row.transactionId)
            }
            ConsoleButton {
                objectName: "rowRetry"
                compact: true
                text: qsTr("Retry")
                iconName: "retry"
                enabled: row.canDecide
                onClicked: row.decide("retry", row.transactionId)
            }
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.tint(Theme.border, 0.7)
    }
}
