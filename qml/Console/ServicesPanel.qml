// Service health: the graph coloured by health, and per route the golden metrics and breaker controls.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Rectangle {
    id: panel

    property var services
    property var routes
    property string highlightedRoute

    signal isolate(string caller, string callee)
    signal forceClose(string caller, string callee)
    signal resetBreaker(string caller, string callee)

    readonly property var columns: ({
            "route": 230,
            "rate": 56,
            "spark": 84,
            "success": 70,
            "latency": 64,
            "breaker": 120
        })

    color: Theme.background

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingXl
        spacing: Theme.spacingM

        PanelHeader {
            Layout.fillWidth: true
            title: qsTr("Services")
            subtitle: qsTr("healthy up to 0.1 % errors  ·  degraded above  ·  failing above 10 %")

            Repeater {
                model: ["healthy", "degraded", "failing", "idle"]

                Row {
                    required property string modelData

                    spacing: 5

                    Rectangle {
                        anchors.verticalCenter: parent.verticalCenter
                        width: 8
                        height: 8
                        radius: 4
                        color: Theme.healthColor(parent.modelData)
                    }
                    Text {
                        text: parent.modelData
                        color: Theme.textDim
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
        }

        Card {
            Layout.fillWidth: true
            Layout.preferredHeight: Math.max(250, panel.height * 0.42)
            padding: Theme.spacingL

            ServiceGraph {
                objectName: "serviceGraph"
                anchors.fill: parent
                services: panel.services
                routes: panel.routes
                highlight: panel.highlightedRoute
            }
        }

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

                Repeater {
                    model: [[qsTr("ROUTE"), panel.columns.route, false], [qsTr("REQ/S"), panel.columns.rate, true], [qsTr("LAST MINUTE"), panel.columns.spark, false], [qsTr("SUCCESS"), panel.columns.success, true], [qsTr("P50"), panel.columns.latency, true], [qsTr("P99"), panel.columns.latency, true], [qsTr("BREAKER"), panel.columns.breaker, false]]

                    Text {
                        required property var modelData

                        Layout.preferredWidth: modelData[1]
                        Layout.leftMargin: modelData[0] === qsTr("BREAKER") ? Theme.spacingS : 0
                        horizontalAlignment: modelData[2] ? Text.AlignRight : Text.AlignLeft
                        text: modelData[0]
                        color: Theme.textFaint
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontCaption
                        font.weight: Font.DemiBold
                        font.letterSpacing: 0.7
                    }
                }
                Item {
                    Layout.fillWidth: true
                }
                Text {
                    text: qsTr("MANUAL OVERRIDE")
                    color: Theme.textFaint
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontCaption
                    font.weight: Font.DemiBold
                    font.letterSpacing: 0.7
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

                objectName: "routeList"
                y: headerRow.height + 1
                width: parent.width
                height: parent.height - y
                clip: true
                model: panel.routes
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ConsoleScrollBar {
                }

                delegate: RouteRow {
                    width: table.width
                    columns: panel.columns
                    onIsolate: (caller, callee) => panel.isolate(caller, callee)
                    onForceClose: (caller, callee) => panel.forceClose(caller, callee)
                    onResetBreaker: (caller, callee) => panel.resetBreaker(caller, callee)
                    onHoveredChanged: {
                        if (hovered)
                            panel.highlightedRoute = caller + ">" + callee;
                        else if (panel.highlightedRoute === caller + ">" + callee)
                            panel.highlightedRoute = "";
                    }
                }
            }
        }
    }
}
