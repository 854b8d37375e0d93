// The map's side card: the selected drone (state, battery, speed, delivery link) and the selected delivery.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: card

    /// DroneListModel row by role name, or null.
    property var drone: null
    property string droneId
    /// DeliveryListModel row by role name, or null.
    property var delivery: null
    property string deliveryId
    property real now: Date.now()

    signal openDelivery(string id)
    signal closeRequested

    component Fact: RowLayout {
        id: fact

        property string label
        property string value
        property bool mono: false

        Layout.fillWidth: true
        spacing: Theme.spacingS

        Text {
            Layout.preferredWidth: 92
            text: fact.label
            color: Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        Text {
            Layout.fillWidth: true
            text: fact.value.length > 0 ? fact.value : "—"
            color: Theme.text
            font.family: fact.mono ? Theme.monoFamily : Theme.fontFamily
            font.pixelSize: fact.mono ? Theme.fontSmall : Theme.fontBody
            elide: Text.ElideRight
        }
    }

    readonly property bool showDrone: droneId.length > 0
    readonly property bool showDelivery: deliveryId.length > 0
    readonly property real battery: drone?.battery ?? 0

    visible: showDrone || showDelivery
    implicitHeight: column.implicitHeight + 2 * Theme.spacingL
    radius: Theme.radiusL
    color: Theme.tint(Theme.surface, 0.95)
    border.color: Theme.borderStrong

    // Clicks on the card never reach the map underneath.
    MouseArea {
        anchors.fill: parent
    }

    ColumnLayout {
        id: column

        x: Theme.spacingL
        y: Theme.spacingL
        width: card.width - 2 * Theme.spacingL
        spacing: Theme.spacingS

        RowLayout {
            visible: card.showDrone
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Icon {
                name: "drone"
                size: 18
                color: Theme.droneStateColor(card.drone?.state ?? 0)
            }
            Text {
                objectName: "droneTitle"
                Layout.fillWidth: true
                text: card.droneId
                color: Theme.textStrong
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontTitle
                font.weight: Font.DemiBold
                elide: Text.ElideRight
            }
            ConsoleButton {
                objectName: "closeSelection"
                variant: "ghost"
                compact: true
                iconName: "close"
                onClicked: card.closeRequested()
            }
        }
        Chip {
            visible: card.showDrone && card.drone !== null
            text: Theme.droneStateName(card.drone?.state ?? 0)
            tone: Theme.droneStateColor(card.drone?.state ?? 0)
        }
        // Battery: the bar turns amber under 50 % and red under 20 %.
        RowLayout {
            visible: card.showDrone && card.drone !== null
            Layout.fillWidth: true
            Layout.topMargin: 2
            spacing: Theme.spacingS

            Text {
                Layout.preferredWidth: 92
                text: qsTr("Battery")
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 8
                radius: 4
                color: Theme.inputBackground
                border.color: Theme.border

                Rectangle {
                    objectName: "batteryBar"
                    width: Math.max(height, parent.width * Math.max(0, Math.min(1, card.battery)))
                    height: parent.height
                    radius: 4
                    color: card.battery < 0.2 ? Theme.failing : card.battery < 0.5 ? Theme.degraded : Theme.healthy
                }
            }
            Text {
                Layout.preferredWidth: 40
                horizontalAlignment: Text.AlignRight
                text: Math.round(card.battery * 100) + " %"
                color: Theme.text
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
            }
        }
        Fact {
            visible: card.showDrone && card.drone !== null
            label: qsTr("Speed")
            value: card.drone ? qsTr("%1 m/s  ·  %2 km/h").arg((card.drone.speed ?? 0).toFixed(1)).arg(((card.drone.speed ?? 0) * 3.6).toFixed(0)) : ""
        }
        Fact {
            visible: card.showDrone && card.drone !== null
            label: qsTr("Altitude")
            value: card.drone ? qsTr("%1 m  ·  heading %2°").arg((card.drone.altitude ?? 0).toFixed(0)).arg((card.drone.heading ?? 0).toFixed(0)) : ""
        }
        Fact {
            visible: card.showDrone && card.drone !== null
            label: qsTr("Position")
            value: card.drone ? (card.drone.latitude ?? 0).toFixed(5) + ", " + (card.drone.longitude ?? 0).toFixed(5) : ""
            mono: true
        }
        Text {
            visible: card.showDrone && card.drone === null
            text: qsTr("No telemetry for this drone yet.")
            color: Theme.textFaint
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        Rectangle {
            visible: card.showDrone && card.showDelivery
            Layout.fillWidth: true
            Layout.preferredHeight: 1
            Layout.topMargin: 4
            Layout.bottomMargin: 4
            color: Theme.border
        }

        RowLayout {
            visible: card.showDelivery
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Icon {
                name: "package"
                size: 18
                color: Theme.stageColor(card.delivery?.stage ?? 0)
            }
            Text {
                objectName: "deliveryLink"
                Layout.fillWidth: true
                text: card.deliveryId
                color: linkArea.containsMouse ? Theme.accentHover : Theme.accent
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontTitle
                font.underline: linkArea.containsMouse
                elide: Text.ElideRight

                MouseArea {
                    id: linkArea

                    anchors.fill: parent
                    hoverEnabled: true
                    cursorShape: Qt.PointingHandCursor
                    onClicked: card.openDelivery(card.deliveryId)
                }
            }
            ConsoleButton {
                visible: !card.showDrone
                variant: "ghost"
                compact: true
                iconName: "close"
                onClicked: card.closeRequested()
            }
        }
        Chip {
            visible: card.showDelivery && card.delivery !== null
            text: Theme.stageName(card.delivery?.stage ?? 0)
            tone: Theme.stageColor(card.delivery?.stage ?? 0)
        }
        Fact {
            visible: card.showDelivery && card.delivery !== null
            label: qsTr("Pickup")
            value: card.delivery?.pickupLocation ?? ""
        }
        Fact {
            visible: card.showDelivery && card.delivery !== null
            label: qsTr("Dropoff")
            value: card.delivery?.dropoffLocation ?? ""
        }
        Fact {
            visible: card.showDelivery && card.delivery !== null
            label: qsTr("Owner")
            value: card.delivery?.ownerId ?? ""
        }
        // A pickup booked for later says when; otherwise the ETAs, the pickup's until it is done.
        Fact {
            objectName: "cardPickupTime"
            visible: card.showDelivery && card.delivery !== null && (card.delivery.pickupTime ?? 0) > card.now
            label: qsTr("Pickup time")
            value: card.delivery ? qsTr("pickup at %1  (%2)").arg(Theme.shortTime(card.delivery.pickupTime ?? 0)).arg(Theme.relative(card.delivery.pickupTime ?? 0, card.now)) : ""
        }
        Fact {
            objectName: "cardPickupEta"
            visible: card.showDelivery && card.delivery !== null && card.delivery.pickupEta > 0 && card.delivery.stage !== 3 && card.delivery.stage !== 4
            label: qsTr("Pickup ETA")
            value: card.delivery && card.delivery.pickupEta > 0 ? Theme.clockTime(card.delivery.pickupEta) + "  (" + Theme.relative(card.delivery.pickupEta, card.now) + ")" : ""
        }
        Fact {
            objectName: "cardDeliveryEta"
            visible: card.showDelivery && card.delivery !== null && card.delivery.deliveryEta > 0 && card.delivery.stage !== 4
            label: qsTr("Delivery ETA")
            value: card.delivery && card.delivery.deliveryEta > 0 ? Theme.clockTime(card.delivery.deliveryEta) + "  (" + Theme.relative(card.delivery.deliveryEta, card.now) + ")" : ""
        }
        Text {
            objectName: "cardReason"
            visible: card.showDelivery && (card.delivery?.reason ?? "").length > 0
            Layout.fillWidth: true
            text: card.delivery?.reason ?? ""
            color: card.delivery?.stage === 7 ? Qt.lighter(Theme.failing, 1.25) : Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
        ConsoleButton {
            visible: card.showDelivery
            Layout.fillWidth: true
            Layout.topMargin: 4
            compact: true
            text: qsTr("Open delivery details")
            iconName: "arrowRight"
            onClicked: card.openDelivery(card.deliveryId)
        }
    }
}
