// The detail sheet's banner: why a delivery failed (step, error, its transaction), why it still waits, or a change that failed.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: banner

    /// DeliveryListModel row by role name, or null.
    property var delivery: null
    signal openTransaction(string id)

    readonly property int stage: delivery?.stage ?? 0
    readonly property string error: delivery?.failureError ?? ""
    readonly property string step: delivery?.failureStep ?? ""
    readonly property string transactionId: delivery?.failureTransactionId ?? ""
    readonly property string operation: delivery?.failureOperation ?? ""
    // Failed: its schedule failed. Requested: not placed yet. Otherwise a failed reschedule
    // or cancel left it as it was: worth a line, not an alarm.
    readonly property string kind: stage === 7 ? "failed" : stage === 8 ? "waiting" : error.length > 0 ? "change" : ""
    readonly property color tone: kind === "failed" ? Theme.failing : kind === "change" ? Theme.degraded : Theme.accent

    visible: delivery !== null && kind.length > 0
    implicitHeight: content.implicitHeight + 2 * Theme.spacingM
    radius: Theme.radiusM
    color: Theme.tint(tone, 0.1)
    border.color: Theme.tint(tone, 0.5)

    ColumnLayout {
        id: content

        x: Theme.spacingM
        y: Theme.spacingM
        width: parent.width - 2 * Theme.spacingM
        spacing: 4

        Text {
            objectName: "failureTitle"
            Layout.fillWidth: true
            text: {
                if (banner.kind === "failed")
                    return banner.step.length > 0 ? qsTr("Failed at %1").arg(banner.step) : qsTr("Failed");
                if (banner.kind === "waiting")
                    return (banner.delivery?.waiting ?? "").length > 0 ? qsTr("Waiting: %1").arg(banner.delivery.waiting) : qsTr("Accepted, being scheduled");
                return qsTr("Last %1 failed%2").arg(banner.operation.toLowerCase() || qsTr("change")).arg(banner.step.length > 0 ? qsTr(" at %1").arg(banner.step) : "");
            }
            color: banner.kind === "failed" ? Qt.lighter(Theme.failing, 1.25) : Theme.textStrong
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.weight: Font.DemiBold
            wrapMode: Text.Wrap
        }
        Text {
            objectName: "failureError"
            visible: banner.kind !== "waiting" && banner.error.length > 0
            Layout.fillWidth: true
            text: banner.error
            color: Theme.text
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
        Text {
            objectName: "failureTransaction"
            visible: banner.kind !== "waiting" && banner.transactionId.length > 0
            text: qsTr("Transaction %1  →").arg(banner.transactionId)
            color: linkArea.containsMouse ? Theme.accentHover : Theme.accent
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
            font.underline: linkArea.containsMouse

            MouseArea {
                id: linkArea

                anchors.fill: parent
                hoverEnabled: true
                cursorShape: Qt.PointingHandCursor
                onClicked: banner.openTransaction(banner.transactionId)
            }
        }
    }
}
