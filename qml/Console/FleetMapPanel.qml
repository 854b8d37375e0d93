// The live fleet map with its legend, zoom tools, and a card on the selected drone and delivery.
import QtQuick
import DroneConsole.FleetMap

Rectangle {
    id: panel

    property FleetStateSource fleetState
    /// DroneListModel and DeliveryListModel (roles by name) for the selection card.
    property var drones
    property var deliveries
    property string selectedDroneId
    property string selectedDeliveryId
    property real now: Date.now()
    readonly property alias map: map

    /// The user picked a drone or a delivery on the map ("" when the click cleared it).
    signal droneSelected(string id)
    signal deliverySelected(string id)
    /// Open the delivery's detail (from the card's link).
    signal openDelivery(string id)

    color: Theme.background
    clip: true

    RowLookup {
        id: drone

        model: panel.drones
        keyRole: "droneId"
        key: panel.selectedDroneId
    }
    RowLookup {
        id: delivery

        model: panel.deliveries
        keyRole: "deliveryId"
        // A selected drone brings its delivery along.
        key: panel.selectedDeliveryId.length > 0 ? panel.selectedDeliveryId : (drone.row?.deliveryId ?? "")
    }

    FleetMapItem {
        id: map

        objectName: "fleetMap"
        anchors.fill: parent
        fleetState: panel.fleetState
        selectedDroneId: panel.selectedDroneId
        selectedDeliveryId: panel.selectedDeliveryId
        onSelectedDroneIdChanged: {
            if (selectedDroneId !== panel.selectedDroneId)
                panel.droneSelected(selectedDroneId);
        }
        onSelectedDeliveryIdChanged: {
            if (selectedDeliveryId !== panel.selectedDeliveryId)
                panel.deliverySelected(selectedDeliveryId);
        }
        Component.onCompleted: fitAll()
    }
    FleetMapPlaceLabels {
        map: map
    }
    FleetMapLegend {
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: Theme.spacingL
        map: map
    }

    // Zoom tools, top left, in a column like a map app's.
    Rectangle {
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: Theme.spacingL
        width: tools.implicitWidth + 8
        height: tools.implicitHeight + 8
        radius: Theme.radiusL
        color: Theme.tint(Theme.surface, 0.92)
        border.color: Theme.border

        Column {
            id: tools

            x: 4
            y: 4
            spacing: 2

            ConsoleButton {
                objectName: "zoomIn"
                variant: "ghost"
                iconName: "plus"
                onClicked: map.zoom = map.zoom / Math.SQRT2
            }
            ConsoleButton {
                objectName: "zoomOut"
                variant: "ghost"
                iconName: "minus"
                onClicked: map.zoom = map.zoom * Math.SQRT2
            }
            ConsoleButton {
                objectName: "fitAll"
                variant: "ghost"
                iconName: "fit"
                onClicked: map.fitAll()
            }
            ConsoleButton {
                objectName: "toggleRoutes"
                variant: "ghost"
                iconName: "layers"
                tone: map.showRoutes ? Theme.accentHover : Theme.textDim
                onClicked: map.showRoutes = !map.showRoutes
            }
        }
    }

    SelectionCard {
        objectName: "selectionCard"
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.spacingL
        width: 320
        drone: drone.row
        droneId: panel.selectedDroneId
        delivery: delivery.row
        deliveryId: delivery.key
        now: panel.now
        onOpenDelivery: id => panel.openDelivery(id)
        onCloseRequested: {
            panel.droneSelected("");
            panel.deliverySelected("");
        }
    }
}
