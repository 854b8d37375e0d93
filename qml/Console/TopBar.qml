// The top bar: product name, live counts, backend connection, and who is signed in (Sign in as… / Sign out).
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: bar

    property int activeDeliveries: 0
    property int dronesFlying: 0
    property int awaitingApproval: 0
    property bool connected: true
    property bool embedded: true
    property string role
    property string userName

    /// "Sign in as…": the owner opens the sign-in dialog (a role comes with a user, never a switch).
    signal signInRequested
    signal signOutRequested

    implicitHeight: 60
    color: Theme.surface

    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.border
    }

    component Metric: Column {
        id: metric

        property string label
        property int value
        property color tone: Theme.textStrong

        spacing: 1

        Text {
            text: metric.label
            color: Theme.textFaint
            font.family: Theme.fontFamily
            font.pixelSize: 10
            font.weight: Font.DemiBold
            font.letterSpacing: 0.8
        }
        Text {
            objectName: "value"
            text: Theme.count(metric.value)
            color: metric.tone
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontHeading
            font.weight: Font.DemiBold
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingXl
        anchors.rightMargin: Theme.spacingL
        spacing: Theme.spacingXl

        Column {
            spacing: 2

            Text {
                text: qsTr("Drone Delivery Operations")
                color: Theme.textStrong
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle
                font.weight: Font.Bold
            }
            Row {
                spacing: 6

                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: 7
                    height: 7
                    radius: 3.5
                    color: bar.connected ? Theme.healthy : Theme.failing
                }
                Text {
                    objectName: "connection"
                    text: !bar.connected ? qsTr("Backend disconnected") : bar.embedded ? qsTr("Embedded backend") : qsTr("Remote backend")
                    color: bar.connected ? Theme.textDim : Theme.failing
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
        Rectangle {
            Layout.preferredWidth: 1
            Layout.preferredHeight: 32
            color: Theme.border
        }
        Metric {
            objectName: "activeDeliveries"
            label: qsTr("ACTIVE DELIVERIES")
            value: bar.activeDeliveries
        }
        Metric {
            objectName: "dronesFlying"
            label: qsTr("DRONES FLYING")
            value: bar.dronesFlying
        }
        Metric {
            objectName: "awaitingApproval"
            label: qsTr("AWAITING APPROVAL")
            value: bar.awaitingApproval
            tone: bar.awaitingApproval > 0 ? Theme.degraded : Theme.textStrong
        }
        Item {
            Layout.fillWidth: true
        }
        ConsoleButton {
            objectName: "signInAs"
            compact: true
            variant: "ghost"
            text: qsTr("Sign in as…")
            onClicked: bar.signInRequested()
        }
        ConsoleButton {
            objectName: "signOut"
            compact: true
            variant: "ghost"
            visible: bar.userName.length > 0
            text: qsTr("Sign out")
            onClicked: bar.signOutRequested()
        }
        Row {
            spacing: 8

            Rectangle {
                width: 30
                height: 30
                radius: 15
                color: Theme.surfaceRaised
                border.color: Theme.border

                Icon {
                    anchors.centerIn: parent
                    name: "user"
                    size: 16
                    color: Theme.textDim
                }
            }
            Text {
                objectName: "signedInAs"
                anchors.verticalCenter: parent.verticalCenter
                text: bar.userName.length > 0 ? bar.userName + "  <font color=\"" + Theme.textFaint + "\">" + bar.role + "</font>"
                                              : qsTr("signed out")
                color: Theme.text
                textFormat: Text.StyledText
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
        }
    }
}
