// One account: its standing, the supervisor's suspend / reinstate (reason, then confirmation) and its change log.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Card {
    id: detail

    /// AccountListModel row by role name, or null while none is selected (or it is not loaded yet).
    property var account: null
    property string ownerId
    /// AccountChangeModel: at, user, role, action, reason; newest first.
    property var changes
    /// Only a supervisor is offered the change (the Account service checks again).
    property bool canChange: false
    /// A change was sent and its answer is not in yet.
    property bool pending: false
    property string outcomeText
    /// "pending", "ok", "error" or "".
    property string outcomeTone
    property real now: Date.now()
    readonly property bool active: account ? account.active : true
    /// Reinstating after a suspension, or suspending: what the action button does.
    readonly property string action: active ? "suspend" : "reinstate"
    property bool confirming: false
    property string reasonError
    property alias reason: reasonField.text

    signal suspend(string ownerId, string reason)
    signal reinstate(string ownerId, string reason)

    function requestChange() {
        if (!canChange || pending || !account)
            return;
        if (action === "suspend" && reasonField.text.trim().length === 0) {
            reasonError = qsTr("A suspension needs a reason: it goes into the change log.");
            reasonField.forceActiveFocus();
            return;
        }
        reasonError = "";
        confirming = true;
    }

    function confirmChange() {
        if (!confirming || !canChange || pending)
            return;
        confirming = false;
        if (action === "suspend")
            suspend(ownerId, reasonField.text.trim());
        else
            reinstate(ownerId, reasonField.text.trim());
    }

    component SectionTitle: Text {
        color: Theme.textFaint
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
        font.letterSpacing: 0.7
    }

    onOwnerIdChanged: {
        confirming = false;
        reasonError = "";
        reasonField.text = "";
    }
    onActionChanged: confirming = false
    onCanChangeChanged: confirming = false

    padding: Theme.spacingL

    Text {
        anchors.centerIn: parent
        visible: !detail.account
        width: parent.width
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        text: detail.ownerId.length > 0 ? qsTr("Loading %1…").arg(detail.ownerId) : qsTr("Select an account to see its standing and who changed it.")
        color: Theme.textFaint
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
    }

    ColumnLayout {
        anchors.fill: parent
        visible: detail.account !== null
        spacing: Theme.spacingM

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Text {
                objectName: "accountName"
                Layout.fillWidth: true
                text: detail.account?.name ?? ""
                color: Theme.textStrong
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle
                font.weight: Font.DemiBold
                elide: Text.ElideRight
            }
            Chip {
                objectName: "detailStanding"
                text: detail.account?.standing ?? ""
                tone: detail.active ? Theme.healthy : Theme.failing
            }
        }
        Text {
            Layout.fillWidth: true
            text: detail.ownerId + (detail.account?.registeredOnFirstUse ? "  ·  " + qsTr("registered on first use") : "")
            color: Theme.textDim
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }
        GridLayout {
            Layout.fillWidth: true
            columns: 2
            columnSpacing: Theme.spacingL
            rowSpacing: 4

            SectionTitle {
                text: qsTr("CREATED")
            }
            SectionTitle {
                text: qsTr("UPDATED")
            }
            Text {
                text: Theme.dateTime(detail.account?.createdAt ?? 0)
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
            Text {
                text: Theme.relative(detail.account?.updatedAt ?? 0, detail.now)
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }
        Text {
            objectName: "suspensionReason"
            Layout.fillWidth: true
            visible: !detail.active
            text: qsTr("Suspended: %1").arg(detail.account?.suspensionReason || qsTr("no reason given"))
            color: Qt.lighter(Theme.failing, 1.25)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            wrapMode: Text.Wrap
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 1
            color: Theme.border
        }
        SectionTitle {
            text: detail.active ? qsTr("SUSPEND") : qsTr("REINSTATE")
        }
        Text {
            Layout.fillWidth: true
            text: detail.active ? qsTr("New deliveries for a suspended owner fail at the Account step.") : qsTr("Reinstated, the owner's new deliveries are accepted again.")
            color: Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
        ConsoleTextField {
            id: reasonField

            objectName: "reason"
            Layout.fillWidth: true
            enabled: detail.canChange && !detail.pending
            invalid: detail.reasonError.length > 0
            placeholderText: detail.active ? qsTr("Reason (required)") : qsTr("Reason (optional)")
            onTextEdited: {
                detail.reasonError = "";
                detail.confirming = false;
            }
            onAccepted: detail.confirming ? detail.confirmChange() : detail.requestChange()
        }
        Text {
            objectName: "reasonError"
            Layout.fillWidth: true
            visible: detail.reasonError.length > 0
            text: detail.reasonError
            color: Qt.lighter(Theme.danger, 1.2)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
        RowLayout {
            Layout.fillWidth: true
            visible: !detail.confirming
            spacing: Theme.spacingS

            ConsoleButton {
                objectName: "changeStatus"
                text: detail.active ? qsTr("Suspend…") : qsTr("Reinstate…")
                variant: detail.active ? "danger" : "primary"
                iconName: detail.active ? "ban" : "check"
                enabled: detail.canChange && !detail.pending
                onClicked: detail.requestChange()
            }
            Item {
                Layout.fillWidth: true
            }
        }
        // The second step: what will happen, to whom, then the real button.
        Rectangle {
            objectName: "confirmation"
            Layout.fillWidth: true
            visible: detail.confirming
            implicitHeight: confirmLayout.implicitHeight + 2 * Theme.spacingM
            radius: Theme.radiusM
            color: Theme.tint(detail.active ? Theme.danger : Theme.accent, 0.08)
            border.color: Theme.tint(detail.active ? Theme.danger : Theme.accent, 0.4)

            ColumnLayout {
                id: confirmLayout

                x: Theme.spacingM
                y: Theme.spacingM
                width: parent.width - 2 * Theme.spacingM
                spacing: Theme.spacingS

                Text {
                    objectName: "confirmText"
                    Layout.fillWidth: true
                    text: detail.active ? qsTr("Suspend %1 (%2) because “%3”?").arg(detail.account?.name ?? "").arg(detail.ownerId).arg(detail.reason.trim()) : detail.reason.trim().length > 0 ? qsTr("Reinstate %1 (%2): “%3”?").arg(detail.account?.name ?? "").arg(detail.ownerId).arg(detail.reason.trim()) : qsTr("Reinstate %1 (%2)?").arg(detail.account?.name ?? "").arg(detail.ownerId)
                    color: Theme.textStrong
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.Wrap
                }
                RowLayout {
                    spacing: Theme.spacingS

                    ConsoleButton {
                        objectName: "confirmChange"
                        text: detail.active ? qsTr("Confirm suspend") : qsTr("Confirm reinstate")
                        variant: detail.active ? "danger" : "primary"
                        enabled: detail.canChange && !detail.pending
                        onClicked: detail.confirmChange()
                    }
                    ConsoleButton {
                        objectName: "keepStatus"
                        text: qsTr("Keep as is")
                        variant: "ghost"
                        onClicked: detail.confirming = false
                    }
                }
            }
        }
        RowLayout {
            objectName: "roleNote"
            visible: !detail.canChange
            Layout.fillWidth: true
            spacing: 6

            Icon {
                name: "warning"
                size: 14
                color: Theme.degraded
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("Suspending and reinstating need the supervisor role — sign in as a supervisor (top bar, Sign in as…).")
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
            }
        }
        OutcomeLine {
            objectName: "accountOutcome"
            Layout.fillWidth: true
            text: detail.outcomeText
            tone: detail.outcomeTone
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 1
            color: Theme.border
        }
        SectionTitle {
            text: qsTr("CHANGE LOG")
        }
        ListView {
            id: log

            objectName: "changeLog"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 80
            clip: true
            spacing: Theme.spacingS
            model: detail.changes
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ConsoleScrollBar {
            }

            delegate: ColumnLayout {
                id: change

                required property real at
                required property string user
                required property string role
                required property string action
                required property string reason

                objectName: "changeEntry"
                width: log.width - 12
                spacing: 2

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacingS

                    Chip {
                        dot: false
                        text: change.action === "suspend" ? qsTr("Suspended") : change.action === "reinstate" ? qsTr("Reinstated") : change.action === "registered" ? qsTr("Registered") : change.action
                        tone: change.action === "suspend" ? Theme.failing : change.action === "reinstate" ? Theme.healthy : Theme.accent
                    }
                    Text {
                        Layout.fillWidth: true
                        text: change.user + "  <font color=\"" + Theme.textFaint + "\">" + change.role + "</font>"
                        textFormat: Text.StyledText
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        elide: Text.ElideRight
                    }
                    Text {
                        text: Theme.dateTime(change.at)
                        color: Theme.textDim
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontSmall
                    }
                }
                Text {
                    Layout.fillWidth: true
                    visible: change.reason.length > 0
                    text: "“" + change.reason + "”"
                    color: Theme.textDim
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.italic: true
                    wrapMode: Text.Wrap
                }
            }
            // Right under the title, where the entries would be.
            Text {
                objectName: "emptyLog"
                visible: log.count === 0
                width: log.width
                text: qsTr("No changes recorded since it was set up.")
                color: Theme.textFaint
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }
    }
}
