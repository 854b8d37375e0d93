// ServicesPanel: a node per service, an edge per route, route rows with sparklines and breaker buttons.
import QtQuick
import QtTest
import DroneConsole
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

        ServicesPanel {
            anchors.fill: parent
            services: sample.services
            routes: sample.routes
        }
    }

    TestCase {
        id: test

        property var panel: null

        function row(index) {
            const list = findChild(panel, "routeList");
            list.positionViewAtIndex(index, ListView.Contain);
            tryVerify(() => list.itemAtIndex(index) !== null, 5000, "row " + index + " is made");
            waitForRendering(list); // laid out, so clicks land where the controls are
            return list.itemAtIndex(index);
        }

        function init() {
            panel = createTemporaryObject(panelComponent, root);
            verify(panel);
            for (const spy of [isolateSpy, forceSpy, resetSpy]) {
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
            PanelTestSupport.savePreview(panel, "services");
        }

        function test_graphHasANodePerServiceAndAnEdgePerRoute() {
            const graph = findChild(panel, "serviceGraph");
            for (let i = 0; i < sample.services.count; ++i)
                verify(findChild(graph, "node_" + sample.services.get(i).name), sample.services.get(i).name);
            for (let i = 0; i < sample.routes.count; ++i) {
                const route = sample.routes.get(i);
                const edge = findChild(graph, "edge_" + route.caller + "_" + route.callee);
                verify(edge, route.caller + "→" + route.callee);
                tryVerify(() => edge.placed, 5000, "both ends of " + route.caller + "→" + route.callee + " are known");
            }
            // Nodes sit at their layout hints: ingestion left of scheduler, account above drone.
            const ingestion = findChild(graph, "node_ingestion"), scheduler = findChild(graph, "node_scheduler");
            tryVerify(() => ingestion.x > 0);
            verify(ingestion.x < scheduler.x);
            verify(findChild(graph, "node_account").y < findChild(graph, "node_drone").y);
            const failing = findChild(graph, "edge_scheduler_delivery");
            compare(String(failing.tone), String(Theme.failing));
        }

        function test_routeRowsCarryMetricsAndSparklines() {
            compare(findChild(panel, "routeList").count, sample.routes.count);
            const spark = findChild(row(0), "sparkline");
            compare(spark.points.length, 30);
            verify(spark.maximum > 0);
            compare(findChild(row(6), "breakerChip").text, "half-open");
        }

        function test_breakerButtonsReportTheRoute() {
            const delivery = row(6);
            compare(delivery.caller + ">" + delivery.callee, "scheduler>delivery");
            mouseClick(findChild(delivery, "isolate"));
            compare(isolateSpy.count, 1);
            compare(Array.from(isolateSpy.signalArguments[0]), ["scheduler", "delivery"]);
            mouseClick(findChild(delivery, "forceClose"));
            compare(Array.from(forceSpy.signalArguments[0]), ["scheduler", "delivery"]);
            mouseClick(findChild(delivery, "reset"));
            compare(Array.from(resetSpy.signalArguments[0]), ["scheduler", "delivery"]);
            // A closed breaker has nothing to reset; an isolated one cannot be isolated again.
            verify(!findChild(row(0), "reset").enabled);
            mouseClick(findChild(row(0), "reset"));
            compare(resetSpy.count, 1);
            verify(!findChild(row(9), "isolate").enabled);
            verify(!findChild(row(8), "forceClose").enabled);
        }

        function test_hoveringARouteHighlightsItsEdge() {
            const delivery = row(6);
            mouseMove(delivery, 20, delivery.height / 2);
            compare(panel.highlightedRoute, "scheduler>delivery");
            const graph = findChild(panel, "serviceGraph");
            compare(findChild(graph, "edge_scheduler_delivery").opacity, 1);
            compare(findChild(graph, "edge_scheduler_account").opacity, 0.2);
            mouseMove(root, 5, 5);
            compare(panel.highlightedRoute, "");
        }

        name: "ServicesPanel"
        when: windowShown

        SignalSpy {
            id: isolateSpy

            signalName: "isolate"
        }
        SignalSpy {
            id: forceSpy

            signalName: "forceClose"
        }
        SignalSpy {
            id: resetSpy

            signalName: "resetBreaker"
        }
    }
}
