// AccountsPanel + AccountDetail: rows with standing chips, search and filter, role-gated suspend / reinstate with reason and confirmation.
import QtQuick
import QtTest
import DroneConsole
import DroneConsole.Tests

Rectangle {
    id: root

    readonly property real now: Date.UTC(2026, 10, 26, 10, 25, 0)

    width: 1280
    height: 800
    color: Theme.background

    // Rows with every AccountListModel role.
    ListModel {
        id: sampleAccounts

        Component.onCompleted: {
            const names = ["Amelia Hartley", "Rahul Mehta", "Sofia Alvarez", "Liam O'Connor", "Chen Wei", "myowner"];
            for (let i = 0; i < names.length; ++i) {
                const suspended = i === 2;
                const firstUse = i === 5;
                append({
                        "ownerId": firstUse ? "myowner" : "owner-00" + (i + 1),
                        "name": names[i],
                        "active": !suspended,
                        "standing": suspended ? "Suspended" : "Active",
                        "suspensionReason": suspended ? "payment overdue" : "",
                        "registeredOnFirstUse": firstUse,
                        "createdAt": root.now - 86400000,
                        "updatedAt": root.now - (i + 1) * 60000
                    });
            }
        }
    }
    // AccountChangeModel roles, newest first.
    ListModel {
        id: sampleChanges

        ListElement {
            at: 0
            user: "sam"
            role: "supervisor"
            action: "reinstate"
            reason: ""
        }
        ListElement {
            at: 0
            user: "sam"
            role: "supervisor"
            action: "suspend"
            reason: "chargeback dispute"
        }
        ListElement {
            at: 0
            user: "system"
            role: "account"
            action: "registered"
            reason: "registered on first use (open account policy)"
        }
        Component.onCompleted: {
            for (let i = 0; i < count; ++i)
                setProperty(i, "at", root.now - (i + 1) * 3600000);
        }
    }

    Component {
        id: panelComponent

        AccountsPanel {
            anchors.fill: parent
            accounts: sampleAccounts
            changes: sampleChanges
            total: 6
            suspendedCount: 1
            now: root.now
            // Main selects through Console; here the panel's own signal stands in.
            onSelectAccount: id => selectedOwnerId = id
        }
    }

    TestCase {
        id: test

        property var panel: null

        function row(index) {
            const list = findChild(panel, "accountList");
            tryVerify(() => list.itemAtIndex(index) !== null, 5000, "row " + index + " is made");
            waitForRendering(list);
            return list.itemAtIndex(index);
        }

        function open(index) {
            const r = row(index);
            mouseClick(r, 60, r.height / 2);
            tryCompare(findChild(panel, "accountName"), "text", sampleAccounts.get(index).name);
            return findChild(panel, "accountDetail");
        }

        function typeText(text) {
            for (const ch of text)
                keyClick(ch);
        }

        function init() {
            panel = createTemporaryObject(panelComponent, root);
            verify(panel);
            for (const spy of [selectSpy, suspendSpy, reinstateSpy]) {
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
            open(2);
            waitForRendering(panel);
            PanelTestSupport.savePreview(panel, "accounts");
        }

        function test_rowsShowStandingAndFirstUse() {
            compare(findChild(panel, "accountList").count, 6);
            compare(findChild(row(0), "standingChip").text, "Active");
            compare(findChild(row(2), "standingChip").text, "Suspended");
            verify(!findChild(row(0), "firstUseMarker").visible);
            verify(findChild(row(5), "firstUseMarker").visible, "the open policy's owner is marked");
            compare(findChild(panel, "subtitle").text, "6 accounts  ·  1 suspended  ·  6 shown");
        }

        function test_searchAndSuspendedOnlyDriveTheFilter() {
            mouseClick(findChild(panel, "search"));
            typeText("amel");
            compare(panel.searchText, "amel");
            mouseClick(findChild(panel, "suspendedOnly"));
            verify(panel.suspendedOnly);
            mouseClick(findChild(panel, "suspendedOnly"));
            verify(!panel.suspendedOnly);
        }

        function test_selectingShowsTheChangeLog() {
            const detail = open(0);
            compare(selectSpy.count, 1);
            compare(selectSpy.signalArguments[0][0], "owner-001");
            verify(row(0).selected);
            const log = findChild(detail, "changeLog");
            compare(log.count, 3);
            tryVerify(() => log.itemAtIndex(1) !== null);
            compare(log.itemAtIndex(1).reason, "chargeback dispute");
            compare(log.itemAtIndex(1).user, "sam");
        }

        function test_dispatcherCannotSuspendOrReinstate() {
            const detail = open(0);
            verify(!findChild(detail, "changeStatus").enabled);
            verify(!findChild(detail, "reason").enabled);
            verify(findChild(detail, "roleNote").visible);
            detail.requestChange();
            detail.confirmChange();
            verify(!findChild(detail, "confirmation").visible);
            compare(suspendSpy.count, 0);
            open(2);
            compare(findChild(detail, "changeStatus").text, "Reinstate…");
            verify(!findChild(detail, "changeStatus").enabled);
        }

        function test_suspendNeedsAReasonAndAConfirmation() {
            panel.role = "supervisor";
            const detail = open(0);
            verify(!findChild(detail, "roleNote").visible);
            const button = findChild(detail, "changeStatus");
            compare(button.text, "Suspend…");
            mouseClick(button);
            verify(findChild(detail, "reasonError").visible, "no reason: said so");
            verify(findChild(detail, "reason").invalid);
            verify(!findChild(detail, "confirmation").visible);
            compare(suspendSpy.count, 0);

            typeText("fraud review"); // the reason field has the focus now
            verify(!findChild(detail, "reasonError").visible);
            mouseClick(findChild(detail, "changeStatus"));
            tryCompare(findChild(detail, "confirmation"), "visible", true);
            compare(findChild(detail, "confirmText").text, "Suspend Amelia Hartley (owner-001) because “fraud review”?");
            compare(suspendSpy.count, 0, "not before the confirmation");
            mouseClick(findChild(detail, "confirmChange"));
            compare(suspendSpy.count, 1);
            compare(suspendSpy.signalArguments[0][0], "owner-001");
            compare(suspendSpy.signalArguments[0][1], "fraud review");
            verify(panel.pending);
            verify(!findChild(detail, "changeStatus").enabled, "one change at a time");
            compare(findChild(detail, "outcomeText").text, "Suspending owner-001…");

            // The answer, as the Account service gave it.
            panel.actionFinished("suspend", true, "owner-001 (Amelia Hartley) is suspended: fraud review");
            verify(!panel.pending);
            compare(findChild(detail, "outcomeText").text, "owner-001 (Amelia Hartley) is suspended: fraud review");
            compare(findChild(detail, "accountOutcome").tone, "ok");
            compare(findChild(detail, "reason").text, "");
        }

        function test_keepAsIsSendsNothing() {
            panel.role = "supervisor";
            const detail = open(1);
            mouseClick(findChild(detail, "reason"));
            typeText("typo");
            mouseClick(findChild(detail, "changeStatus"));
            tryCompare(findChild(detail, "confirmation"), "visible", true);
            mouseClick(findChild(detail, "keepStatus"));
            verify(!findChild(detail, "confirmation").visible);
            compare(suspendSpy.count, 0);
        }

        function test_reinstateConfirmsWithAnOptionalReason() {
            panel.role = "supervisor";
            const detail = open(2);
            verify(findChild(detail, "suspensionReason").visible);
            compare(findChild(detail, "suspensionReason").text, "Suspended: payment overdue");
            mouseClick(findChild(detail, "changeStatus"));
            tryCompare(findChild(detail, "confirmation"), "visible", true);
            compare(findChild(detail, "confirmText").text, "Reinstate Sofia Alvarez (owner-003)?");
            mouseClick(findChild(detail, "confirmChange"));
            compare(reinstateSpy.count, 1);
            compare(reinstateSpy.signalArguments[0][0], "owner-003");
            compare(reinstateSpy.signalArguments[0][1], "");
        }

        function test_aRefusalIsShownAsTheServiceSaidIt() {
            panel.role = "supervisor";
            const detail = open(0);
            mouseClick(findChild(detail, "reason"));
            typeText("fraud");
            keyClick(Qt.Key_Return); // Enter asks for the confirmation, a second Enter confirms
            tryCompare(findChild(detail, "confirmation"), "visible", true);
            keyClick(Qt.Key_Return);
            compare(suspendSpy.count, 1);
            panel.actionFinished("suspend", false, "permission_denied: only a supervisor or an admin may suspend or reinstate an account");
            compare(findChild(detail, "outcomeText").text, "Suspend failed: permission_denied: only a supervisor or an admin may suspend or reinstate an account");
            compare(findChild(detail, "accountOutcome").tone, "error");
            compare(findChild(detail, "reason").text, "fraud", "kept for another try");
            verify(findChild(detail, "changeStatus").enabled);
        }

        name: "AccountsPanel"
        when: windowShown

        SignalSpy {
            id: selectSpy

            signalName: "selectAccount"
        }
        SignalSpy {
            id: suspendSpy

            signalName: "suspend"
        }
        SignalSpy {
            id: reinstateSpy

            signalName: "reinstate"
        }
    }
}
