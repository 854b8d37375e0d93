// The Supervisor's audit log: who decided what, when, on which transaction, and how it ended.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Card {
    id: trail

    /// AuditLogModel roles: at, user, role, action, transactionId, comment, outcome.
    property var model
    property real now: Date.now()

    title: qsTr("Audit trail")
    subtitle: qsTr("who decided what, and when")
    padding: Theme.spacingM

    ListView {
        id: list

        objectName: "auditList"
        anchors.fill: parent
        clip: true
        model: trail.model
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ConsoleScrollBar {
        }

        delegate: RowLayout {
            id: entry

            required property real at
            required property string user
            required property string role
            required property string action
            required property string transactionId
            required property string comment
            required property string outcome
            readonly property bool ok: outcome === "ok" || outcome === "OK" || outcome.length === 0

            width: list.width - 12
            height: 28
            spacing: Theme.spacingM

            Text {
                Layout.preferredWidth: 64
                text: Theme.clockTime(entry.at)
                color: Theme.textDim
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
            }
            Text {
                Layout.preferredWidth: 150
                text: entry.user + "  <font color=\"" + Theme.textFaint + "\">" + entry.role + "</font>"
                textFormat: Text.StyledText
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideRight
            }
            Item {
                Layout.preferredWidth: 76
                implicitHeight: 20

                Chip {
                    dot: false
                    text: entry.action
                    tone: entry.action === "approve" ? Theme.healthy : entry.action === "reject" ? Theme.failing : Theme.accent
                }
            }
            Text {
                Layout.preferredWidth: 230
                text: entry.transactionId
                color: Theme.text
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideMiddle
            }
            Text {
                Layout.fillWidth: true
                text: entry.comment.length > 0 ? "“" + entry.comment + "”" : ""
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.italic: true
                elide: Text.ElideRight
            }
            Text {
                Layout.preferredWidth: 150
                horizontalAlignment: Text.AlignRight
                text: entry.ok ? qsTr("✓ applied") : entry.outcome
                color: entry.ok ? Theme.healthy : Qt.lighter(Theme.failing, 1.2)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideRight
            }
        }
    }
    Text {
        anchors.centerIn: parent
        visible: list.count === 0
        text: qsTr("No decisions yet.")
        color: Theme.textFaint
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }
}
