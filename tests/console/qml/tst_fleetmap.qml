// FleetMapPanel: clicks on the map select drones and deliveries, the card shows them, the tools zoom.
import QtQuick
import QtTest
import DroneConsole
import DroneConsole.FleetMap
import DroneConsole.Tests

Rectangle {
    id: root

    width: 1280
    height: 800
    color: Theme.background

    SampleData {
        id: sample
    }

    Component {
        id: panelComponent

        FleetMapPanel {
            anchors.fill: parent
            fleetState: FleetStateSource {
                interval: 0
            }
            drones: sample.drones
            deliveries: sample.deliveries
            now: sample.now
            // Main selects through Console; here the panel's own signals stand in.
            onDroneSelected: id => selectedDroneId = id
            onDeliverySelected: id => selectedDeliveryId = id
        }
    }

    TestCase {
        id: test

        property var panel: null

        function init() {
            panel = createTemporaryObject(panelComponent, root);
            verify(panel);
            for (const spy of [droneSpy, deliverySpy, openSpy]) {
                spy.target = panel;
                spy.clear();
            }
            waitForRendering(panel);
        }

        function cleanup() {
            wait(0);
            compare(PanelTestSupport.takeWarnings(), [], "no QML warnings");
        }

        function test_a_preview() {
            PanelTestSupport.populateFleet(panel.fleetState, 2500);
            PanelTestSupport.placeDrone(panel.fleetState, "drone-0007", 47.6097, -122.3422, 2, "d-pciqbivprs");
            panel.map.fitAll();
            panel.selectedDroneId = "drone-0007";
            waitForRendering(panel);
            PanelTestSupport.savePreview(panel, "map");
        }

        function test_clickingADroneSelectsItAndTheCardShowsIt() {
            PanelTestSupport.placeDrone(panel.fleetState, "drone-0007", 47.6097, -122.3422, 3, "d-pciqbivprs");
            tryCompare(panel.map, "droneCount", 1);
            panel.map.centerOn(47.6097, -122.3422);
            const at = panel.map.project(47.6097, -122.3422);
            mouseClick(panel.map, at.x, at.y);
            compare(droneSpy.count, 1);
            compare(droneSpy.signalArguments[0][0], "drone-0007");
            compare(panel.selectedDroneId, "drone-0007");
            const card = findChild(panel, "selectionCard");
            verify(card.visible);
            compare(findChild(card, "droneTitle").text, "drone-0007");
            // Battery 72 %: the bar fills 72 % of its track.
            const bar = findChild(card, "batteryBar");
            tryVerify(() => bar.parent.width > 0);
            fuzzyCompare(bar.width / bar.parent.width, 0.72, 0.01);
            // The drone's delivery comes along, and its link opens the delivery.
            compare(findChild(card, "deliveryLink").text, "d-pciqbivprs");
            mouseClick(findChild(card, "deliveryLink"));
            compare(openSpy.count, 1);
            compare(openSpy.signalArguments[0][0], "d-pciqbivprs");
        }

        function test_clickingEmptyMapClearsTheSelection() {
            panel.selectedDroneId = "drone-0042";
            verify(findChild(panel, "selectionCard").visible);
            mouseClick(panel.map, 300, 400);
            compare(droneSpy.count, 1);
            compare(droneSpy.signalArguments[0][0], "");
            verify(!findChild(panel, "selectionCard").visible);
        }

        function test_closeButtonClearsTheSelection() {
            panel.selectedDroneId = "drone-0101";
            mouseClick(findChild(panel, "closeSelection"));
            compare(droneSpy.signalArguments[0][0], "");
            compare(deliverySpy.signalArguments[0][0], "");
        }

        function test_zoomTools() {
            const zoom = panel.map.zoom;
            mouseClick(findChild(panel, "zoomIn"));
            fuzzyCompare(panel.map.zoom, zoom / Math.SQRT2, 1e-6);
            mouseClick(findChild(panel, "zoomOut"));
            mouseClick(findChild(panel, "zoomOut"));
            fuzzyCompare(panel.map.zoom, zoom * Math.SQRT2, 1e-6);
            mouseClick(findChild(panel, "fitAll"));
            fuzzyCompare(panel.map.zoom, zoom, 1e-6);
            verify(panel.map.showRoutes);
            mouseClick(findChild(panel, "toggleRoutes"));
            verify(!panel.map.showRoutes);
        }

        name: "FleetMapPanel"
        when: windowShown

        SignalSpy {
            id: droneSpy

            signalName: "droneSelected"
        }
        SignalSpy {
            id: deliverySpy

            signalName: "deliverySelected"
        }
        SignalSpy {
            id: openSpy

            signalName: "openDelivery"
        }
    }
}
