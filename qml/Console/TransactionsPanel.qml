// Failed transactions: what failed, each compensation step, and the supervisor's approve / reject / retry.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQml.Models
import QtQuick.Layouts

Rectangle {
    id: panel

    /// TransactionListModel (roles by name; `selected` is written back for bulk actions).
    property var transactions
    property var audit
    /// "dispatcher" or "supervisor": decisions are offered to supervisors only (the backend checks again).
    property string role: "dispatcher"
    property real now: Date.now()
    readonly property bool canDecide: role === "supervisor" || role === "admin"
    /// Ids of the rows whose `selected` role is true, in model order.
    property var selectedIds: []
    property int awaitingCount: 0
    readonly property string comment: decisionBar.comment
    /// The transaction a link asked for: its row is scrolled to, opened and marked.
    property string revealedId

    signal approve(var ids, string comment)
    signal reject(var ids, string comment)
    signal retry(var ids, string comment)

    readonly property var columns: ({
            "transaction": 230,
            "operation": 86,
            "step": 86,
            "state": 150,
            "updated": 84
        })

    function refreshSelection() {
        const ids = [];
        let awaiting = 0;
        for (let i = 0; i < rows.items.count; ++i) {
            const data = rows.items.get(i).model;
            if (data.selected)
                ids.push(data.transactionId);
            if (data.awaitingApproval)
                ++awaiting;
        }
        selectedIds = ids;
        awaitingCount = awaiting;
    }

    function setAllSelected(selected: bool) {
        // Writes go through an instantiated delegate's model object (setData on the row).
        for (let i = 0; i < rows.items.count; ++i) {
            if (rows.items.get(i).model.selected !== selected)
                rows.items.create(i).setSelected(selected);
        }
        if (rows.persistedItems.count > 0)
            rows.persistedItems.remove(0, rows.persistedItems.count);
    }

    // From an outcome's or a delivery's link: show that transaction opened.
    function reveal(id: string) {
        revealedId = id;
        revealTimer.restart();
    }

    function scrollToRevealed() {
        for (let i = 0; i < rows.items.count; ++i) {
            if (rows.items.get(i).model.transactionId === revealedId) {
                list.positionViewAtIndex(i, ListView.Center);
                return true;
            }
        }
        return false;
    }

    function clearSelection() {
        setAllSelected(false);
    }

    // After an accepted decision: nothing stays selected, the comment was used.
    function decisionSucceeded() {
        clearSelection();
        decisionBar.comment = "";
    }

    function decide(action: string, ids) {
        if (!canDecide || ids.length === 0)
            return false;
        if (action === "approve")
            approve(ids, decisionBar.comment);
        else if (action === "reject")
            reject(ids, decisionBar.comment);
        else if (action === "retry")
            retry(ids, decisionBar.comment);
        return true;
    }

    // Keyboard A / R (Main's shortcuts) act on the selection.
    function approveSelected(): bool {
        return decide("approve", selectedIds);
    }

    function rejectSelected(): bool {
        return decide("reject", selectedIds);
    }

    color: Theme.background

    // After the panel is laid out (it may just have been made): scroll the row into view,
    // once it has arrived (a failure may be reported before the Supervisor's event).
    Timer {
        id: revealTimer

        property int tries: 0

        interval: 0
        onTriggered: {
            if (panel.scrollToRevealed() || ++tries > 20) {
                tries = 0;
                return;
            }
            interval = 250;
            restart();
        }
    }
    // Re-reads the selection once per burst of model changes.
    Timer {
        id: selectionRefresh

        interval: 0
        onTriggered: panel.refreshSelection()
    }
    DelegateModel {
        id: rows

        model: panel.transactions
        // Instantiated only to write a row: the write must run in the delegate's own context.
        delegate: QtObject {
            required property var model

            function setSelected(selected: bool) {
                model.selected = selected;
            }
        }
    }
    Connections {
        target: panel.transactions
        ignoreUnknownSignals: true

        function onDataChanged() {
            selectionRefresh.restart();
        }
        function onRowsInserted() {
            selectionRefresh.restart();
        }
        function onRowsRemoved() {
            selectionRefresh.restart();
        }
        function onModelReset() {
            selectionRefresh.restart();
        }
    }
    onTransactionsChanged: selectionRefresh.restart()
    Component.onCompleted: refreshSelection()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingXl
        spacing: Theme.spacingM

        PanelHeader {
            Layout.fillWidth: true
            title: qsTr("Failed transactions")
            subtitle: qsTr("%1 transactions  ·  %2 awaiting approval").arg(list.count).arg(panel.awaitingCount)
        }

        DecisionBar {
            id: decisionBar

            Layout.fillWidth: true
            selectedCount: panel.selectedIds.length
            totalCount: list.count
            canDecide: panel.canDecide
            onSelectAll: selected => panel.setAllSelected(selected)
            onDecide: action => panel.decide(action, panel.selectedIds)
        }

        Card {
            Layout.fillWidth: true
            Layout.fillHeight: true
            padding: 0

            RowLayout {
                id: headerRow

                x: Theme.spacingM
                width: parent.width - Theme.spacingM - Theme.spacingL
                height: 34
                spacing: Theme.spacingM

                Item {
                    Layout.preferredWidth: 18 + 14 + Theme.spacingM
                }
                Repeater {
                    model: [[qsTr("TRANSACTION"), panel.columns.transaction], [qsTr("OPERATION"), panel.columns.operation], [qsTr("FAILED STEP"), panel.columns.step], [qsTr("ERROR"), -1], [qsTr("STATE"), panel.columns.state], [qsTr("UPDATED"), panel.columns.updated]]

                    Text {
                        required property var modelData

                        Layout.preferredWidth: modelData[1] > 0 ? modelData[1] : -1
                        Layout.fillWidth: modelData[1] < 0
                        horizontalAlignment: modelData[0] === qsTr("UPDATED") ? Text.AlignRight : Text.AlignLeft
                        text: modelData[0]
                        color: Theme.textFaint
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontCaption
                        font.weight: Font.DemiBold
                        font.letterSpacing: 0.7
                    }
                }
            }
            Rectangle {
                y: headerRow.height
                width: parent.width
                height: 1
                color: Theme.border
            }
            ListView {
                id: list

                objectName: "transactionList"
                y: headerRow.height + 1
                width: parent.width
                height: parent.height - y
                clip: true
                model: panel.transactions
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ConsoleScrollBar {
                }

                delegate: TransactionRow {
                    width: list.width
                    columns: panel.columns
                    now: panel.now
                    canDecide: panel.canDecide
                    revealed: transactionId === panel.revealedId
                    onDecide: (action, id) => panel.decide(action, [id])
                }
            }
            Text {
                anchors.centerIn: list
                visible: list.count === 0
                text: qsTr("No failed transactions. Inject a fault to see compensation at work.")
                color: Theme.textFaint
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
        }

        AuditTrail {
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(220, Math.max(150, panel.height * 0.26))
            model: panel.audit
            now: panel.now
        }
    }
}
