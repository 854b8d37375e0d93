// Fault injection for demos: build or pick a fault, see the active rules, clear them all.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Rectangle {
    id: panel

    /// FaultRuleModel: spec, service, method, kind, percent, delayMs.
    property var faults
    property var serviceNames: ["account", "package", "drone", "thirdparty", "delivery", "deliveryhistory", "scheduler", "supervisor", "ingestion"]
    readonly property var presets: [{
            "title": qsTr("Delivery.Create fails"),
            "spec": "delivery.Create=fatal:100",
            "note": qsTr("every new delivery fails at the last step and is compensated")
        }, {
            "title": qsTr("Package 50 % transient"),
            "spec": "package=transient:50",
            "note": qsTr("retries absorb it; the route turns degraded")
        }, {
            "title": qsTr("Drone slow 300 ms"),
            "spec": "drone=delay:100:300",
            "note": qsTr("latency climbs on scheduler → drone")
        }, {
            "title": qsTr("Third party flaky"),
            "spec": "thirdparty=transient:30",
            "note": qsTr("paid bookings retried; some need approval to undo")
        }]

    signal addFault(string spec)
    signal clearFaults

    function kindColor(kind: string): color {
        switch (kind) {
        case "transient":
            return Theme.degraded;
        case "fatal":
            return Theme.failing;
        case "delay":
            return Theme.accent;
        case "crash":
            return "#b48cff";
        default:
            return Theme.idle;
        }
    }

    color: Theme.background

    Flickable {
        id: flick

        anchors.fill: parent
        contentHeight: layout.implicitHeight + 2 * Theme.spacingXl
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ConsoleScrollBar {
        }

        ColumnLayout {
            id: layout

            x: Theme.spacingXl
            y: Theme.spacingXl
            // Forms stop growing on wide screens; long inputs are harder to scan.
            width: Math.min(flick.width - 2 * Theme.spacingXl, 1480)
            spacing: Theme.spacingM

            PanelHeader {
                Layout.fillWidth: true
                title: qsTr("Fault injection")
                subtitle: qsTr("Istio-style faults on the services' request handling")

                ConsoleButton {
                    objectName: "clearAll"
                    variant: "danger"
                    iconName: "trash"
                    text: qsTr("Clear all")
                    enabled: rules.count > 0
                    onClicked: panel.clearFaults()
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingL

                FaultBuilder {
                    objectName: "builder"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 3
                    Layout.alignment: Qt.AlignTop
                    Layout.preferredHeight: implicitHeight
                    serviceNames: panel.serviceNames
                    onAddFault: spec => panel.addFault(spec)
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 2
                    Layout.alignment: Qt.AlignTop
                    spacing: Theme.spacingL

                    Card {
                        Layout.fillWidth: true
                        Layout.preferredHeight: presetColumn.implicitHeight + 66
                        title: qsTr("Demo presets")

                        Column {
                            id: presetColumn

                            width: parent.width
                            spacing: Theme.spacingS

                            Repeater {
                                model: panel.presets

                                PresetTile {
                                    width: presetColumn.width
                                    onClicked: panel.addFault(spec)
                                }
                            }
                        }
                    }
                    Card {
                        Layout.fillWidth: true
                        Layout.preferredHeight: Math.max(120, rulesColumn.implicitHeight + 66)
                        title: qsTr("Active rules")
                        subtitle: rules.count === 1 ? qsTr("1 rule") : rules.count > 1 ? qsTr("%1 rules").arg(rules.count) : ""

                        Column {
                            id: rulesColumn

                            width: parent.width
                            spacing: 6

                            Text {
                                visible: rules.count === 0
                                text: qsTr("No faults: the mesh runs clean.")
                                color: Theme.textFaint
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                            }
                            Repeater {
                                id: rules

                                objectName: "rules"
                                model: panel.faults

                                FaultRuleRow {
                                    width: rulesColumn.width
                                    tone: panel.kindColor(kind)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
