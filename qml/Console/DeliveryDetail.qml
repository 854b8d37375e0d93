// One delivery in depth: its facts, the stage timeline (Delivery History) and its workflow's trace waterfall.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Rectangle {
    id: detail

    property string deliveryId
    /// The delivery's row (DeliveryListModel roles by name), or null while it is unknown.
    property var delivery: null
    property var timeline
    property var trace
    property real now: Date.now()
    property bool confirmingCancel: false
    readonly property int stage: delivery?.stage ?? 0
    /// Completed, Cancelled and Failed deliveries can be neither rescheduled nor cancelled.
    readonly property bool changeable: delivery !== null && !Theme.isFinalStage(stage)

    signal closeRequested
    signal openTransaction(string id)
    signal showOnMap(string id)
    signal rescheduleRequested(string id)
    signal cancelRequested(string id)

    component SectionTitle: Text {
        color: Theme.textStrong
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontTitle
        font.weight: Font.DemiBold
        Layout.topMargin: Theme.spacingS
    }

    color: Theme.surfaceRaised
    radius: Theme.radiusL
    border.color: Theme.borderStrong
    onDeliveryIdChanged: confirmingCancel = false
    onChangeableChanged: confirmingCancel = false

    // Clicks inside the sheet never reach the table underneath.
    MouseArea {
        anchors.fill: parent
    }

    Flickable {
        id: flick

        anchors.fill: parent
        anchors.margins: 1
        contentHeight: content.implicitHeight + 2 * Theme.spacingXl
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ConsoleScrollBar {
        }

        ColumnLayout {
            id: content

            x: Theme.spacingXl
            y: Theme.spacingXl
            width: flick.width - 2 * Theme.spacingXl
            spacing: Theme.spacingM

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingM

                Column {
                    Layout.fillWidth: true
                    spacing: 4

                    Text {
                        text: qsTr("DELIVERY")
                        color: Theme.textFaint
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontCaption
                        font.weight: Font.DemiBold
                        font.letterSpacing: 0.8
                    }
                    Text {
                        objectName: "detailId"
                        text: detail.deliveryId
                        color: Theme.textStrong
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontHeading
                        font.weight: Font.DemiBold
                    }
                }
                Chip {
                    visible: detail.delivery !== null
                    text: detail.delivery ? Theme.stageName(detail.delivery.stage) : ""
                    tone: detail.delivery ? Theme.stageColor(detail.delivery.stage) : Theme.idle
                }
                Chip {
                    visible: detail.delivery?.expedited ?? false
                    text: qsTr("Expedited")
                    tone: Theme.degraded
                    dot: false
                }
                ConsoleButton {
                    objectName: "closeDetail"
                    variant: "ghost"
                    iconName: "close"
                    onClicked: detail.closeRequested()
                }
            }

            Text {
                visible: detail.delivery === null
                Layout.fillWidth: true
                text: qsTr("This delivery is not in the console's list (yet); its history and trace are below.")
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
            }

            DeliveryFailure {
                objectName: "detailFailure"
                Layout.fillWidth: true
                delivery: detail.delivery
                onOpenTransaction: id => detail.openTransaction(id)
            }

            DeliveryFacts {
                visible: detail.delivery !== null
                Layout.fillWidth: true
                delivery: detail.delivery
                now: detail.now
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacingXs
                spacing: Theme.spacingS

                ConsoleButton {
                    objectName: "showOnMap"
                    text: qsTr("Show on map")
                    iconName: "map"
                    compact: true
                    onClicked: detail.showOnMap(detail.deliveryId)
                }
                ConsoleButton {
                    objectName: "reschedule"
                    text: qsTr("Reschedule…")
                    iconName: "schedule"
                    compact: true
                    enabled: detail.changeable
                    onClicked: detail.rescheduleRequested(detail.deliveryId)
                }
                Item {
                    Layout.fillWidth: true
                }
                ConsoleButton {
                    objectName: "cancelDelivery"
                    text: detail.confirmingCancel ? qsTr("Confirm cancel") : qsTr("Cancel delivery")
                    variant: "danger"
                    iconName: "ban"
                    compact: true
                    enabled: detail.changeable
                    onClicked: {
                        if (!detail.confirmingCancel) {
                            detail.confirmingCancel = true;
                            return;
                        }
                        detail.confirmingCancel = false;
                        detail.cancelRequested(detail.deliveryId);
                    }
                }
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 1
                color: Theme.border
            }
            SectionTitle {
                text: qsTr("Stage timeline")
            }
            StageTimeline {
                objectName: "timeline"
                Layout.fillWidth: true
                model: detail.timeline
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 1
                color: Theme.border
            }
            RowLayout {
                Layout.fillWidth: true

                SectionTitle {
                    text: qsTr("Workflow trace")
                }
                Item {
                    Layout.fillWidth: true
                }
                Text {
                    Layout.topMargin: Theme.spacingS
                    text: detail.trace?.traceId ?? detail.delivery?.traceId ?? ""
                    color: Theme.textFaint
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontCaption
                }
            }
            TraceWaterfall {
                objectName: "waterfall"
                Layout.fillWidth: true
                Layout.preferredHeight: implicitHeight
                model: detail.trace
                totalMs: detail.trace?.totalMs ?? 0
            }
        }
    }
}
