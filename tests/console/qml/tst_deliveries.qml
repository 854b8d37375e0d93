// DeliveriesPanel + DeliveryDetail: rows, stage chips and search drive the filter, a click opens the detail.
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
    ListModel {
        id: empty
    }

    Component {
        id: panelComponent

        DeliveriesPanel {
            anchors.fill: parent
            deliveries: sample.deliveries
            timeline: sample.timeline
            trace: sample.trace
            now: sample.now
            // Main selects through Console; here the panel's own signal stands in.
            onOpenDelivery: id => selectedDeliveryId = id
        }
    }

    TestCase {
        id: test

        property var panel: null

        function typeText(text) {
            for (const ch of text)
                keyClick(ch);
        }

        // Direct children with that objectName, in order (list properties are not iterable).
        function childrenNamed(item, name) {
            const found = [];
            for (let i = 0; i < item.children.length; ++i)
                if (item.children[i].objectName === name)
                    found.push(item.children[i]);
            return found;
        }

        function openFirst() {
            const list = findChild(panel, "deliveryList");
            tryVerify(() => list.itemAtIndex(0) !== null);
            const row = list.itemAtIndex(0);
            mouseClick(row, 40, row.height / 2);
            tryCompare(findChild(panel, "deliveryDetail"), "visible", true);
            return findChild(panel, "deliveryDetail");
        }

        function initTestCase() {
            compare(PanelTestSupport.takeWarnings(), [], "sample data loads cleanly");
        }

        function init() {
            panel = createTemporaryObject(panelComponent, root);
            verify(panel);
            for (const spy of [openSpy, newSpy, mapSpy, rescheduleSpy, cancelSpy]) {
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
            PanelTestSupport.savePreview(panel, "deliveries");
            openFirst();
            waitForRendering(panel);
            PanelTestSupport.savePreview(panel, "delivery-detail");
        }

        function test_oneRowPerDelivery() {
            const list = findChild(panel, "deliveryList");
            compare(list.count, sample.deliveries.count);
            tryVerify(() => list.itemAtIndex(0) !== null);
            const first = list.itemAtIndex(0);
            compare(first.deliveryId, sample.deliveries.get(0).deliveryId);
            compare(findChild(panel, "subtitle").text, "24 shown");
        }

        function test_stageChipsSetTheFilter() {
            const chip = findChild(panel, "stageChip_3");
            mouseClick(chip);
            compare(panel.stageFilter, 3);
            verify(chip.checked);
            verify(!findChild(panel, "stageChip_0").checked);
            mouseClick(findChild(panel, "stageChip_0"));
            compare(panel.stageFilter, 0);
        }

        function test_requestedAndFailedHaveChipsAndSayWhy() {
            for (const stage of [8, 7]) {
                const chip = findChild(panel, "stageChip_" + stage);
                verify(chip, "chip " + stage);
                mouseClick(chip);
                compare(panel.stageFilter, stage);
            }
            // The rows of those stages say why instead of the route.
            const list = findChild(panel, "deliveryList");
            let sawFailed = false, sawWaiting = false;
            for (let i = 0; i < list.count; ++i) {
                list.positionViewAtIndex(i, ListView.Contain);
                const row = list.itemAtIndex(i);
                if (!row)
                    continue;
                const route = findChild(row, "routeText").text;
                if (row.stage === 7) {
                    sawFailed = true;
                    compare(route, "failed at Package: package pkg-5107 already exists");
                } else if (row.stage === 8) {
                    sawWaiting = true;
                    compare(route, "waiting: account service unavailable, retrying");
                }
            }
            verify(sawFailed && sawWaiting);
        }

        function test_aFailedDeliveryShowsWhyAndCannotBeChanged() {
            let failedRow = -1;
            for (let i = 0; i < sample.deliveries.count; ++i)
                if (sample.deliveries.get(i).stage === 7)
                    failedRow = i;
            panel.selectedDeliveryId = sample.deliveries.get(failedRow).deliveryId;
            panel.detailOpen = true;
            const detail = findChild(panel, "deliveryDetail");
            tryCompare(detail, "stage", 7);
            const banner = findChild(detail, "detailFailure");
            verify(banner.visible);
            compare(findChild(banner, "failureTitle").text, "Failed at Package");
            compare(findChild(banner, "failureError").text, "package pkg-5107 already exists");
            verify(!findChild(detail, "reschedule").enabled);
            verify(!findChild(detail, "cancelDelivery").enabled);
            const txSpy = signalSpy.createObject(test, {
                    "target": panel,
                    "signalName": "openTransaction"
                });
            mouseClick(findChild(banner, "failureTransaction"));
            compare(txSpy.count, 1);
            compare(txSpy.signalArguments[0][0], "d-pciqbivp1103:schedule:7");
            PanelTestSupport.savePreview(panel, "delivery-failed");
        }

        function test_searchSetsTheSearchTextAndEscapeClearsIt() {
            mouseClick(findChild(panel, "search"));
            typeText("owner-10");
            compare(panel.searchText, "owner-10");
            keyClick(Qt.Key_Escape);
            compare(panel.searchText, "");
            panel.focusSearch();
            verify(findChild(panel, "search").activeFocus);
        }

        function test_emptyResultSaysSo() {
            panel.deliveries = empty;
            panel.stageFilter = 7;
            waitForRendering(panel);
            compare(findChild(panel, "deliveryList").count, 0);
            compare(findChild(panel, "subtitle").text, "0 shown");
        }

        function test_clickOpensTheDetailWithTimelineAndTrace() {
            const id = sample.deliveries.get(0).deliveryId;
            const detail = openFirst();
            compare(openSpy.count, 1);
            compare(openSpy.signalArguments[0][0], id);
            compare(findChild(detail, "detailId").text, id);
            // One step per history entry, one bar per span.
            compare(childrenNamed(findChild(detail, "timeline"), "timelineStep").length, sample.timeline.count);
            const waterfall = findChild(detail, "waterfall");
            const spans = childrenNamed(waterfall, "span");
            compare(spans.length, sample.trace.count);
            // Bars sit at startOffset and are as long as the duration, on one scale.
            tryCompare(waterfall, "scaleMs", 48.2);
            const root = spans[0], last = spans[9];
            compare(root.label, "scheduler.Workflow");
            compare(last.label, "delivery.Create");
            compare(spans[1].label, "account.Check", "a client span is named after its target");
            fuzzyCompare(root.barWidth, waterfall.trackWidth, 0.5);
            fuzzyCompare(last.barX - waterfall.trackX, waterfall.trackWidth * 30.9 / 48.2, 0.5);
            fuzzyCompare(last.barWidth, waterfall.trackWidth * 15.8 / 48.2, 0.5);
            verify(!spans[5].ok, "the transient attempt is an error");
            compare(String(spans[5].tone), String(Theme.failing));
        }

        function test_detailButtonsReportTheDelivery() {
            const id = sample.deliveries.get(0).deliveryId;
            const detail = openFirst();
            mouseClick(findChild(detail, "showOnMap"));
            compare(mapSpy.signalArguments[0][0], id);
            mouseClick(findChild(detail, "reschedule"));
            compare(rescheduleSpy.signalArguments[0][0], id);
            // Cancelling asks once more before it goes.
            const cancel = findChild(detail, "cancelDelivery");
            mouseClick(cancel);
            compare(cancelSpy.count, 0);
            compare(cancel.text, "Confirm cancel");
            mouseClick(cancel);
            compare(cancelSpy.count, 1);
            compare(cancelSpy.signalArguments[0][0], id);
            mouseClick(findChild(detail, "closeDetail"));
            verify(!panel.detailOpen);
            verify(!detail.visible);
        }

        function test_newDeliveryButton() {
            mouseClick(findChild(panel, "newDelivery"));
            compare(newSpy.count, 1);
        }

        Component {
            id: signalSpy

            SignalSpy {
            }
        }

        name: "DeliveriesPanel"
        when: windowShown

        SignalSpy {
            id: openSpy

            signalName: "openDelivery"
        }
        SignalSpy {
            id: newSpy

            signalName: "newDelivery"
        }
        SignalSpy {
            id: mapSpy

            signalName: "showOnMap"
        }
        SignalSpy {
            id: rescheduleSpy

            signalName: "rescheduleDelivery"
        }
        SignalSpy {
            id: cancelSpy

            signalName: "cancelDelivery"
        }
    }
}
