// One route of the service mesh: golden metrics, a rate sparkline, the breaker and its manual overrides.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: row

    required property int index
    required property string caller
    required property string callee
    required property real requestsPerSecond
    required property real successRate
    required property real p50Ms
    required property real p99Ms
    required property string breakerState
    required property string health
    required property var history
    property var columns

    signal isolate(string caller, string callee)
    signal forceClose(string caller, string callee)
    signal resetBreaker(string caller, string callee)
    /// The pointer is over the row (the panel highlights the route's edge).
    readonly property bool hovered: area.containsMouse

    objectName: "routeRow"
    height: 40
    color: area.containsMouse ? Theme.surfaceHover : index % 2 ? Theme.tint(Theme.surfaceRaised, 0.45) : "transparent"

    MouseArea {
        id: area

        anchors.fill: parent
        hoverEnabled: true
        acceptedButtons: Qt.NoButton
    }
    RowLayout {
        x: Theme.spacingL
        width: parent.width - 2 * Theme.spacingL
        height: parent.height
        spacing: Theme.spacingM

        Row {
            Layout.preferredWidth: row.columns.route
            spacing: 8

            Rectangle {
                anchors.verticalCenter: parent.verticalCenter
                width: 8
                height: 8
                radius: 4
                color: Theme.healthColor(row.health)
            }
            Text {
                anchors.verticalCenter: parent.verticalCenter
                text: row.caller + "  →  " + row.callee
                color: Theme.textStrong
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
        }
        Text {
            Layout.preferredWidth: row.columns.rate
            horizontalAlignment: Text.AlignRight
            text: row.requestsPerSecond.toFixed(row.requestsPerSecond < 10 ? 1 : 0)
            color: Theme.text
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
        }
        Sparkline {
            objectName: "sparkline"
            Layout.preferredWidth: row.columns.spark
            Layout.preferredHeight: 20
            values: row.history
            color: Theme.healthColor(row.health === "idle" ? "healthy" : row.health)
        }
        Text {
            Layout.preferredWidth: row.columns.success
            horizontalAlignment: Text.AlignRight
            text: (row.successRate * 100).toFixed(row.successRate > 0.999 || row.successRate === 0 ? 1 : 2) + " %"
            color: row.successRate < 0.9 ? Theme.failing : row.successRate < 0.999 ? Theme.degraded : Theme.text
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
        }
        Text {
            Layout.preferredWidth: row.columns.latency
            horizontalAlignment: Text.AlignRight
            text: Theme.duration(row.p50Ms)
            color: Theme.text
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
        }
        Text {
            Layout.preferredWidth: row.columns.latency
            horizontalAlignment: Text.AlignRight
            text: Theme.duration(row.p99Ms)
            color: row.p99Ms > 50 ? Theme.degraded : Theme.text
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
        }
        Item {
            Layout.preferredWidth: row.columns.breaker
            Layout.leftMargin: Theme.spacingS
            implicitHeight: 20

            Chip {
                objectName: "breakerChip"
                text: row.breakerState
                tone: Theme.breakerColor(row.breakerState)
            }
        }
        Item {
            Layout.fillWidth: true
        }
        ConsoleButton {
            objectName: "isolate"
            compact: true
            text: qsTr("Isolate")
            enabled: row.breakerState !== "isolated"
            onClicked: row.isolate(row.caller, row.callee)
        }
        ConsoleButton {
            objectName: "forceClose"
            compact: true
            text: qsTr("Force close")
            enabled: row.breakerState !== "forced-closed"
            onClicked: row.forceClose(row.caller, row.callee)
        }
        ConsoleButton {
            objectName: "reset"
            compact: true
            variant: "ghost"
            text: qsTr("Reset")
            enabled: row.breakerState !== "closed"
            onClicked: row.resetBreaker(row.caller, row.callee)
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.tint(Theme.border, 0.6)
    }
}
