// The window's chrome: navigation rail with badges, top bar counts and role switch, status line.
import QtQuick
import QtQuick.Layouts
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

    // Main's layout with sample data in place of Console, to look at the whole window.
    Component {
        id: shellComponent

        RowLayout {
            property alias rail: rail
            property alias topBar: topBar
            property alias statusBar: statusBar

            anchors.fill: parent
            spacing: 0

            NavRail {
                id: rail

                Layout.fillHeight: true
                currentIndex: 1
                badges: [0, 1204, 2, 0, 0, 3]
                badgeColors: [Theme.accent, Theme.accent, Theme.degraded, Theme.accent, Theme.accent, Theme.failing]
            }
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: 0

                TopBar {
                    id: topBar

                    Layout.fillWidth: true
                    activeDeliveries: 1204
                    dronesFlying: 312
                    awaitingApproval: 2
                    userName: "alice"
                }
                DeliveriesPanel {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    deliveries: sample.deliveries
                    timeline: sample.timeline
                    trace: sample.trace
                    now: sample.now
                }
                StatusBar {
                    id: statusBar

                    Layout.fillWidth: true
                    text: "approve: 2 transactions approved"
                    outcome: "ok"
                    at: sample.now
                }
            }
        }
    }

    TestCase {
        id: test

        property var shell: null

        function init() {
            shell = createTemporaryObject(shellComponent, root);
            verify(shell);
            for (const spy of [railSpy, roleSpy]) {
                spy.clear();
            }
            railSpy.target = shell.rail;
            roleSpy.target = shell.topBar;
            waitForRendering(shell);
        }

        function cleanup() {
            wait(0);
            compare(PanelTestSupport.takeWarnings(), [], "no QML warnings");
        }

        function test_a_preview() {
            PanelTestSupport.savePreview(shell, "window");
        }

        function test_railEntriesAndBadges() {
            const entries = ["map", "package", "transactions", "schedule", "services", "faults"];
            for (let i = 0; i < entries.length; ++i) {
                const entry = findChild(shell.rail, "nav_" + entries[i]);
                verify(entry, entries[i]);
                compare(findChild(entry, "badge").visible, [false, true, true, false, false, true][i], entries[i]);
            }
            mouseClick(findChild(shell.rail, "nav_services"));
            compare(railSpy.count, 1);
            compare(railSpy.signalArguments[0][0], 4);
        }

        function test_topBarCountsAndRoleSwitch() {
            compare(findChild(findChild(shell.topBar, "activeDeliveries"), "value").text, "1,204");
            compare(findChild(findChild(shell.topBar, "awaitingApproval"), "value").text, "2");
            mouseClick(findChild(shell.topBar, "signInAs"));
            compare(roleSpy.count, 1); // the owner opens the sign-in dialog: no role switch any more
            shell.topBar.connected = false;
            compare(findChild(shell.topBar, "connection").text, "Backend disconnected");
        }

        function test_statusLine() {
            compare(findChild(shell.statusBar, "statusText").text, "approve: 2 transactions approved");
            shell.statusBar.text = "";
            compare(findChild(shell.statusBar, "statusText").text, "Ready");
        }

        name: "Chrome"
        when: windowShown

        SignalSpy {
            id: railSpy

            signalName: "activated"
        }
        SignalSpy {
            id: roleSpy

            signalName: "signInRequested"
        }
    }
}
