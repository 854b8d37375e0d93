// TransactionsPanel: rows with state chips, expandable compensation steps, selection, role-gated decisions.
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

        TransactionsPanel {
            anchors.fill: parent
            transactions: sample.transactions
            audit: sample.audit
            now: sample.now
        }
    }

    TestCase {
        id: test

        property var panel: null

        function row(index) {
            const list = findChild(panel, "transactionList");
            tryVerify(() => list.itemAtIndex(index) !== null, 5000, "row " + index + " is made");
            waitForRendering(list); // laid out, so clicks land where the controls are
            return list.itemAtIndex(index);
        }

        function typeText(text) {
            for (const ch of text)
                keyClick(ch);
        }

        function initTestCase() {
            compare(PanelTestSupport.takeWarnings(), [], "sample data loads cleanly");
        }

        function init() {
            for (let i = 0; i < sample.transactions.count; ++i)
                sample.transactions.setProperty(i, "selected", false);
            panel = createTemporaryObject(panelComponent, root);
            verify(panel);
            for (const spy of [approveSpy, rejectSpy, retrySpy]) {
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
            panel.role = "supervisor";
            mouseClick(findChild(row(0), "select"));
            mouseClick(findChild(row(1), "select"));
            mouseClick(row(0), row(0).width / 2, 20);
            waitForRendering(panel);
            PanelTestSupport.savePreview(panel, "transactions");
        }

        function test_rowsAndStateChips() {
            const list = findChild(panel, "transactionList");
            compare(list.count, 6);
            compare(findChild(row(0), "stateChip").text, "Awaiting approval");
            compare(findChild(row(2), "stateChip").text, "Escalated");
            compare(panel.awaitingCount, 2);
            compare(findChild(panel, "auditList").count, sample.audit.count);
        }

        function test_expandingShowsEachCompensationStep() {
            const first = row(0);
            compare(findChild(first, "compensationStep"), null, "collapsed rows hide the steps");
            mouseClick(first, first.width / 2, 20);
            verify(first.expanded);
            tryVerify(() => findChild(first, "compensationStep") !== null);
            compare(first.steps.length, 2);
            compare(first.steps[0].step, "Drone");
            compare(first.steps[0].reason, "the drone is airborne");
            tryVerify(() => first.height > 100);
        }

        function test_dispatcherCannotDecide() {
            mouseClick(findChild(row(0), "select"));
            tryCompare(panel, "selectedIds", [sample.transactions.get(0).transactionId]);
            for (const name of ["approve", "reject", "retry"])
                verify(!findChild(panel, name).enabled, name + " is disabled for a dispatcher");
            verify(findChild(panel, "roleNote").visible);
            mouseClick(findChild(panel, "approve"));
            compare(approveSpy.count, 0);
            verify(!panel.approveSelected(), "the keyboard path is gated too");
            compare(approveSpy.count, 0);
            mouseClick(row(0), row(0).width / 2, 20);
            verify(!findChild(row(0), "rowApprove").enabled);
        }

        function test_supervisorApprovesTheSelectionWithAComment() {
            panel.role = "supervisor";
            verify(!findChild(panel, "approve").enabled, "nothing selected yet");
            verify(!findChild(panel, "roleNote").visible);
            mouseClick(findChild(row(0), "select"));
            mouseClick(findChild(row(2), "select"));
            const ids = [sample.transactions.get(0).transactionId, sample.transactions.get(2).transactionId];
            verify(sample.transactions.get(2).selected, "the checkbox writes the model's selected role");
            tryCompare(panel, "selectedIds", ids);
            compare(findChild(panel, "selectionCount").text, "2 selected");
            mouseClick(findChild(panel, "comment"));
            typeText("refund agreed");
            mouseClick(findChild(panel, "approve"));
            compare(approveSpy.count, 1);
            compare(approveSpy.signalArguments[0][0], ids);
            compare(approveSpy.signalArguments[0][1], "refund agreed");
            mouseClick(findChild(panel, "reject"));
            compare(rejectSpy.signalArguments[0][0], ids);
            mouseClick(findChild(panel, "retry"));
            compare(retrySpy.signalArguments[0][0], ids);
            verify(panel.rejectSelected());
            compare(rejectSpy.count, 2);
        }

        function test_selectAllAndClear() {
            panel.role = "supervisor";
            mouseClick(findChild(panel, "selectAll"));
            tryVerify(() => panel.selectedIds.length === 6);
            compare(findChild(panel, "selectionCount").text, "6 selected");
            panel.clearSelection();
            tryVerify(() => panel.selectedIds.length === 0);
            verify(!sample.transactions.get(3).selected);
        }

        function test_rowActionsDecideForThatRowOnly() {
            panel.role = "supervisor";
            const second = row(1);
            mouseClick(second, second.width / 2, 20);
            tryVerify(() => findChild(second, "rowReject") !== null);
            waitForRendering(second);
            mouseClick(findChild(second, "rowReject"));
            compare(rejectSpy.count, 1);
            compare(rejectSpy.signalArguments[0][0], [sample.transactions.get(1).transactionId]);
        }

        name: "TransactionsPanel"
        when: windowShown

        SignalSpy {
            id: approveSpy

            signalName: "approve"
        }
        SignalSpy {
            id: rejectSpy

            signalName: "reject"
        }
        SignalSpy {
            id: retrySpy

            signalName: "retry"
        }
    }
}
