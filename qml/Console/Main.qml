// The console window: navigation rail, top bar, the panels, the status line; the one file that talks to Console.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import DroneConsole

ApplicationWindow {
    id: window

    // One clock for every "12 s ago" in the panels.
    property real now: Date.now()
    property real lastOutcomeAt: 0
    // Panels other than the map are made the first time they are shown, then kept (their
    // filters, selection and scroll survive): a faster first frame and ~20 MB less memory
    // for a dispatcher who never opens, say, the fault panel. Bit N: panel N was shown.
    property int shownPanels: 1
    property DeliveriesPanel deliveriesPanel: null // set once made
    property TransactionsPanel transactionsPanel: null // set once made
    property SchedulePanel schedulePanel: null // set once made
    property AccountsPanel accountsPanel: null // set once made

    function showPanel(index: int) {
        stack.currentIndex = index;
    }

    function openDelivery(id: string) {
        Console.selectDelivery(id);
        showPanel(1);
        window.deliveriesPanel.detailOpen = true;
    }

    function newDelivery() {
        showPanel(3);
        window.schedulePanel.startNew();
    }

    // A failed workflow's transaction: the Transactions panel, with its row opened.
    function openTransaction(id: string) {
        showPanel(2);
        window.transactionsPanel.reveal(id);
    }

    width: 1600
    height: 1000
    minimumWidth: 1280
    minimumHeight: 800
    visible: true
    title: qsTr("Drone Delivery Operations")
    color: Theme.background
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    Timer {
        interval: 1000
        running: true
        repeat: true
        onTriggered: window.now = Date.now()
    }

    Connections {
        target: Console

        function onActionFinished(action: string, ok: bool, message: string, field: string) {
            if (action === "selectDelivery" || action === "selectDrone")
                return;
            window.lastOutcomeAt = Date.now();
            if (window.schedulePanel)
                window.schedulePanel.actionFinished(action, ok, message, field);
            if (window.transactionsPanel && ok && (action === "approve" || action === "reject" || action === "retry"))
                window.transactionsPanel.decisionSucceeded();
            if (window.accountsPanel)
                window.accountsPanel.actionFinished(action, ok, message);
        }
        function onDeliverySubmitted(action: string, deliveryId: string) {
            if (window.schedulePanel)
                window.schedulePanel.deliverySubmitted(action, deliveryId);
        }
        function onDeliveryOutcome(action: string, deliveryId: string, state: string, message: string, transactionId: string) {
            window.lastOutcomeAt = Date.now();
            if (window.schedulePanel)
                window.schedulePanel.deliveryOutcome(action, deliveryId, state, message, transactionId);
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        NavRail {
            id: rail

            Layout.fillHeight: true
            currentIndex: stack.currentIndex
            badges: [0, Console.activeDeliveries, Console.awaitingApproval, 0, 0, Console.faults.count, 0]
            badgeColors: [Theme.accent, Theme.accent, Theme.degraded, Theme.accent, Theme.accent, Theme.failing, Theme.accent]
            onActivated: index => window.showPanel(index)
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            TopBar {
                Layout.fillWidth: true
                activeDeliveries: Console.activeDeliveries
                dronesFlying: Console.dronesFlying
                awaitingApproval: Console.awaitingApproval
                connected: Console.connected
                embedded: Console.embedded
                role: Console.role
                userName: Console.userName
                onSignInRequested: signInDialog.open()
                onSignOutRequested: Console.signOut()
            }
            StackLayout {
                id: stack

                objectName: "panels"
                onCurrentIndexChanged: {
                    window.shownPanels |= 1 << currentIndex;
                    if (currentIndex === 6)
                        Console.refreshAccounts(); // accounts change behind the console's back (first use)
                }
                Layout.fillWidth: true
                Layout.fillHeight: true

                FleetMapPanel {
                    objectName: "mapPanel"
                    fleetState: Console.fleetState
                    drones: Console.drones
                    deliveries: Console.deliveries
                    selectedDroneId: Console.selectedDroneId
                    selectedDeliveryId: Console.selectedDeliveryId
                    now: window.now
                    onDroneSelected: id => Console.selectDrone(id)
                    onDeliverySelected: id => Console.selectDelivery(id)
                    onOpenDelivery: id => window.openDelivery(id)
                }
                Item {
                    Repeater {
                        id: deliveriesOnDemand

                        onItemAdded: (index, item) => window.deliveriesPanel = item as DeliveriesPanel
                        model: (window.shownPanels & (1 << 1)) !== 0 ? 1 : 0
                        delegate: DeliveriesPanel {
                            anchors.fill: parent
                            objectName: "deliveriesPanel"
                            deliveries: Console.deliveryFilter
                            allDeliveries: Console.deliveries
                            timeline: Console.timeline
                            trace: Console.trace
                            selectedDeliveryId: Console.selectedDeliveryId
                            now: window.now
                            onStageFilterChanged: Console.deliveryFilter.stageFilter = stageFilter
                            onSearchTextChanged: Console.deliveryFilter.search = searchText
                            onOpenDelivery: id => Console.selectDelivery(id)
                            onNewDelivery: window.newDelivery()
                            onShowOnMap: id => {
                                Console.selectDelivery(id);
                                window.showPanel(0);
                            }
                            onRescheduleDelivery: id => {
                                window.showPanel(3);
                                window.schedulePanel.editDelivery(id);
                            }
                            onCancelDelivery: id => Console.cancelDelivery(id)
                            onOpenTransaction: id => window.openTransaction(id)
                        }
                    }
                }
                Item {
                    Repeater {
                        id: transactionsOnDemand

                        onItemAdded: (index, item) => window.transactionsPanel = item as TransactionsPanel
                        model: (window.shownPanels & (1 << 2)) !== 0 ? 1 : 0
                        delegate: TransactionsPanel {
                            anchors.fill: parent
                            objectName: "transactionsPanel"
                            transactions: Console.transactions
                            audit: Console.audit
                            role: Console.role
                            now: window.now
                            onApprove: (ids, comment) => Console.approve(ids, comment)
                            onReject: (ids, comment) => Console.reject(ids, comment)
                            onRetry: (ids, comment) => Console.retry(ids, comment)
                        }
                    }
                }
                Item {
                    Repeater {
                        id: scheduleOnDemand

                        onItemAdded: (index, item) => window.schedulePanel = item as SchedulePanel
                        model: (window.shownPanels & (1 << 3)) !== 0 ? 1 : 0
                        delegate: SchedulePanel {
                            anchors.fill: parent
                            objectName: "schedulePanel"
                            validate: form => Console.validateSchedule(form)
                            describePlace: text => Console.describePlace(text)
                            onSubmitSchedule: (form, key) => Console.scheduleDelivery(form, key)
                            onSubmitReschedule: (id, form, key) => Console.rescheduleDelivery(id, form, key)
                            onSubmitCancel: (id, key) => Console.cancelDelivery(id, key)
                            onOpenTransaction: id => window.openTransaction(id)
                        }
                    }
                }
                Item {
                    Repeater {
                        id: servicesOnDemand

                        model: (window.shownPanels & (1 << 4)) !== 0 ? 1 : 0
                        delegate: ServicesPanel {
                            anchors.fill: parent
                            objectName: "servicesPanel"
                            services: Console.services
                            routes: Console.routes
                            onIsolate: (caller, callee) => Console.isolate(caller, callee)
                            onForceClose: (caller, callee) => Console.forceClose(caller, callee)
                            onResetBreaker: (caller, callee) => Console.resetBreaker(caller, callee)
                        }
                    }
                }
                Item {
                    Repeater {
                        id: faultsOnDemand

                        model: (window.shownPanels & (1 << 5)) !== 0 ? 1 : 0
                        delegate: FaultsPanel {
                            anchors.fill: parent
                            objectName: "faultsPanel"
                            faults: Console.faults
                            onAddFault: spec => Console.addFault(spec)
                            onClearFaults: Console.clearFaults()
                        }
                    }
                }
                Item {
                    Repeater {
                        id: accountsOnDemand

                        onItemAdded: (index, item) => window.accountsPanel = item as AccountsPanel
                        model: (window.shownPanels & (1 << 6)) !== 0 ? 1 : 0
                        delegate: AccountsPanel {
                            anchors.fill: parent
                            objectName: "accountsPanel"
                            accounts: Console.accountFilter
                            allAccounts: Console.accounts
                            changes: Console.accountChanges
                            total: Console.accounts.total
                            suspendedCount: Console.accounts.suspendedCount
                            loaded: Console.accounts.loaded
                            selectedOwnerId: Console.selectedAccountId
                            role: Console.role
                            now: window.now
                            onSearchTextChanged: Console.accountFilter.search = searchText
                            onSuspendedOnlyChanged: Console.accountFilter.suspendedOnly = suspendedOnly
                            onSelectAccount: id => Console.selectAccount(id)
                            onSuspend: (id, reason) => Console.suspendAccount(id, reason)
                            onReinstate: (id, reason) => Console.reinstateAccount(id, reason)
                            onRefresh: Console.refreshAccounts()
                        }
                    }
                }
            }
            StatusBar {
                objectName: "statusBar"
                Layout.fillWidth: true
                text: Console.statusText
                outcome: Console.statusTone
                at: window.lastOutcomeAt
            }
        }
    }

    Instantiator {
        model: 7

        delegate: Shortcut {
            required property int index

            sequence: "Ctrl+" + (index + 1)
            context: Qt.ApplicationShortcut
            onActivated: window.showPanel(index)
        }
    }
    Shortcut {
        sequence: "Ctrl+N"
        onActivated: window.newDelivery()
    }
    Shortcut {
        sequence: "Ctrl+F"
        onActivated: {
            window.showPanel(1);
            window.deliveriesPanel.focusSearch();
        }
    }
    // Single letters: a focused text field takes them first (ShortcutOverride), so typing a comment is safe.
    Shortcut {
        sequence: "A"
        enabled: stack.currentIndex === 2 && Console.maySupervise
        onActivated: window.transactionsPanel.approveSelected()
    }
    Shortcut {
        sequence: "R"
        enabled: stack.currentIndex === 2 && Console.maySupervise
        onActivated: window.transactionsPanel.rejectSelected()
    }
    Shortcut {
        sequence: "Esc"
        onActivated: {
            if (stack.currentIndex === 1 && window.deliveriesPanel.detailOpen) {
                window.deliveriesPanel.closeDetail();
            } else if (stack.currentIndex === 0) {
                Console.selectDrone("");
                Console.selectDelivery("");
            }
        }
    }
    SignInDialog {
        id: signInDialog

        error: Console.signInError
        onSignInRequested: (user, password) => {
            if (Console.signIn(user, password))
                close();
        }
    }
}
