// Accounts: every owner with its standing, a search and "suspended only"; the selected one's detail and change log.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Rectangle {
    id: panel

    /// The rows to show (AccountFilterModel in the app: filtered by searchText and suspendedOnly).
    property var accounts
    /// Every account, to look up the selected one (defaults to `accounts`).
    property var allAccounts: accounts
    /// AccountChangeModel: the selected account's change log.
    property var changes
    /// The service's number of accounts, and of suspended ones (for the summary line).
    property int total: 0
    property int suspendedCount: 0
    /// False until the first list arrived.
    property bool loaded: true
    property string selectedOwnerId
    property string searchText
    property bool suspendedOnly: false
    /// "dispatcher" or "supervisor": changes are offered to supervisors only (the service checks again).
    property string role: "dispatcher"
    readonly property bool canChange: role === "supervisor" || role === "admin"
    property real now: Date.now()
    // The last change's state: sent (pending), then what the service answered.
    property bool pending: false
    property string outcomeText
    property string outcomeTone

    signal selectAccount(string ownerId)
    signal suspend(string ownerId, string reason)
    signal reinstate(string ownerId, string reason)
    signal refresh

    // Main forwards every suspend / reinstate outcome here.
    function actionFinished(action: string, ok: bool, message: string) {
        if (action !== "suspend" && action !== "reinstate")
            return;
        pending = false;
        outcomeText = ok ? message : qsTr("%1 failed: %2").arg(action === "suspend" ? qsTr("Suspend") : qsTr("Reinstate")).arg(message);
        outcomeTone = ok ? "ok" : "error";
        if (ok)
            detail.reason = "";
    }

    function focusSearch() {
        search.forceActiveFocus();
        search.selectAll();
    }

    readonly property var columns: ({
            "owner": 120,
            "standing": 100,
            "reason": 150,
            "updated": 84
        })

    component HeaderCell: Text {
        color: Theme.textFaint
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
        font.letterSpacing: 0.7
        elide: Text.ElideRight
        Layout.alignment: Qt.AlignVCenter
    }

    color: Theme.background
    onSelectedOwnerIdChanged: {
        outcomeText = "";
        outcomeTone = "";
    }

    RowLookup {
        id: selected

        model: panel.allAccounts
        keyRole: "ownerId"
        key: panel.selectedOwnerId
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingXl
        spacing: Theme.spacingM

        PanelHeader {
            Layout.fillWidth: true
            title: qsTr("Accounts")
            subtitle: !panel.loaded ? qsTr("loading…") : qsTr("%1 accounts  ·  %2 suspended  ·  %3 shown").arg(Theme.count(panel.total)).arg(Theme.count(panel.suspendedCount)).arg(Theme.count(table.count))

            ConsoleTextField {
                id: search

                objectName: "search"
                Layout.preferredWidth: 260
                iconName: "search"
                placeholderText: qsTr("Search id or name")
                text: panel.searchText
                onTextEdited: panel.searchText = text
                Keys.onShortcutOverride: event => event.accepted = event.key === Qt.Key_Escape && text.length > 0
                Keys.onEscapePressed: event => {
                    if (text.length === 0) {
                        event.accepted = false;
                        return;
                    }
                    text = "";
                    panel.searchText = "";
                }
            }
            ConsoleCheckBox {
                objectName: "suspendedOnly"
                text: qsTr("Suspended only")
                checked: panel.suspendedOnly
                onToggled: panel.suspendedOnly = checked
            }
            ConsoleButton {
                objectName: "refresh"
                text: qsTr("Refresh")
                iconName: "retry"
                variant: "ghost"
                onClicked: panel.refresh()
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacingM

            Card {
                Layout.fillWidth: true
                Layout.fillHeight: true
                padding: 0

                RowLayout {
                    id: headerRow

                    x: Theme.spacingL
                    width: parent.width - 2 * Theme.spacingL
                    height: 34
                    spacing: Theme.spacingM

                    HeaderCell {
                        Layout.preferredWidth: panel.columns.owner
                        text: qsTr("OWNER")
                    }
                    HeaderCell {
                        Layout.fillWidth: true
                        text: qsTr("NAME")
                    }
                    HeaderCell {
                        Layout.preferredWidth: panel.columns.standing
                        text: qsTr("STANDING")
                    }
                    HeaderCell {
                        Layout.preferredWidth: panel.columns.reason
                        text: qsTr("REASON")
                    }
                    HeaderCell {
                        Layout.preferredWidth: panel.columns.updated
                        text: qsTr("UPDATED")
                        horizontalAlignment: Text.AlignRight
                    }
                }
                Rectangle {
                    y: headerRow.height
                    width: parent.width
                    height: 1
                    color: Theme.border
                }
                ListView {
                    id: table

                    objectName: "accountList"
                    y: headerRow.height + 1
                    width: parent.width
                    height: parent.height - y
                    clip: true
                    model: panel.accounts
                    boundsBehavior: Flickable.StopAtBounds
                    reuseItems: true
                    ScrollBar.vertical: ConsoleScrollBar {
                    }

                    delegate: AccountRow {
                        width: table.width
                        columns: panel.columns
                        now: panel.now
                        selected: ownerId === panel.selectedOwnerId
                        onClicked: panel.selectAccount(ownerId)
                    }
                }
                Text {
                    anchors.centerIn: table
                    visible: table.count === 0
                    text: !panel.loaded ? qsTr("Loading accounts…") : panel.searchText.length > 0 || panel.suspendedOnly ? qsTr("No accounts match the filter.") : qsTr("No accounts yet.")
                    color: Theme.textFaint
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                }
            }

            AccountDetail {
                id: detail

                objectName: "accountDetail"
                Layout.preferredWidth: Math.min(460, Math.max(380, panel.width * 0.34))
                Layout.fillHeight: true
                account: selected.row
                ownerId: panel.selectedOwnerId
                changes: panel.changes
                canChange: panel.canChange
                pending: panel.pending
                outcomeText: panel.outcomeText
                outcomeTone: panel.outcomeTone
                now: panel.now
                onSuspend: (ownerId, reason) => {
                    panel.pending = true;
                    panel.outcomeText = qsTr("Suspending %1…").arg(ownerId);
                    panel.outcomeTone = "pending";
                    panel.suspend(ownerId, reason);
                }
                onReinstate: (ownerId, reason) => {
                    panel.pending = true;
                    panel.outcomeText = qsTr("Reinstating %1…").arg(ownerId);
                    panel.outcomeTone = "pending";
                    panel.reinstate(ownerId, reason);
                }
            }
        }
    }
}
