// The deliveries table: stage filter chips, search, one row per delivery; a click opens its detail sheet.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Rectangle {
    id: panel

    /// The rows to show (DeliveryFilterModel in the app: filtered by stageFilter and searchText).
    property var deliveries
    /// Every delivery, to look up the one in the detail sheet (defaults to `deliveries`).
    property var allDeliveries: deliveries
    property var timeline
    property var trace
    property string selectedDeliveryId
    property bool detailOpen: false
    /// 0 = every stage, else a DeliveryStage value.
    property int stageFilter: 0
    property string searchText
    property real now: Date.now()

    color: Theme.background

    signal openDelivery(string id)
    signal newDelivery
    signal showOnMap(string id)
    signal rescheduleDelivery(string id)
    signal cancelDelivery(string id)
    signal openTransaction(string id)

    function focusSearch() {
        search.forceActiveFocus();
        search.selectAll();
    }

    function closeDetail() {
        detailOpen = false;
    }

    // Column widths; the route column takes what is left.
    readonly property var columns: ({
            "id": 168,
            "owner": 130,
            "stage": 132,
            "carrier": 150,
            "eta": 96,
            "updated": 96
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

    RowLookup {
        id: selected

        model: panel.allDeliveries
        keyRole: "deliveryId"
        key: panel.selectedDeliveryId
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingXl
        spacing: Theme.spacingM

        PanelHeader {
            Layout.fillWidth: true
            title: qsTr("Deliveries")
            subtitle: qsTr("%1 shown").arg(Theme.count(table.count))

            ConsoleTextField {
                id: search

                objectName: "search"
                Layout.preferredWidth: 300
                iconName: "search"
                placeholderText: qsTr("Search id or owner  (Ctrl+F)")
                text: panel.searchText
                onTextEdited: panel.searchText = text
                // Esc clears a search before it closes anything (the window's Esc shortcut waits).
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
            ConsoleButton {
                objectName: "newDelivery"
                text: qsTr("New delivery")
                iconName: "plus"
                variant: "primary"
                onClicked: panel.newDelivery()
            }
        }

        Flow {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Repeater {
                // "All", then the stages in the order a delivery lives them.
                model: [0].concat(Theme.stageOrder)

                FilterChip {
                    required property int modelData

                    objectName: "stageChip_" + modelData
                    text: modelData === 0 ? qsTr("All stages") : Theme.stageName(modelData)
                    tone: modelData === 0 ? "transparent" : Theme.stageColor(modelData)
                    checked: panel.stageFilter === modelData
                    onClicked: panel.stageFilter = modelData
                }
            }
        }

        Card {
            id: tableCard

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
                    Layout.preferredWidth: panel.columns.id
                    text: qsTr("DELIVERY")
                }
                HeaderCell {
                    Layout.preferredWidth: panel.columns.owner
                    text: qsTr("OWNER")
                }
                HeaderCell {
                    Layout.preferredWidth: panel.columns.stage
                    text: qsTr("STAGE")
                }
                HeaderCell {
                    Layout.preferredWidth: panel.columns.carrier
                    text: qsTr("DRONE / CARRIER")
                }
                HeaderCell {
                    Layout.fillWidth: true
                    text: qsTr("PICKUP → DROPOFF")
                }
                HeaderCell {
                    Layout.preferredWidth: panel.columns.eta
                    text: qsTr("ETA")
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

                objectName: "deliveryList"
                y: headerRow.height + 1
                width: parent.width
                height: parent.height - y
                clip: true
                model: panel.deliveries
                boundsBehavior: Flickable.StopAtBounds
                reuseItems: true
                ScrollBar.vertical: ConsoleScrollBar {
                }

                delegate: DeliveryRow {
                    width: table.width
                    columns: panel.columns
                    now: panel.now
                    selected: deliveryId === panel.selectedDeliveryId
                    onClicked: {
                        panel.openDelivery(deliveryId);
                        panel.detailOpen = true;
                    }
                }
            }
            Text {
                anchors.centerIn: table
                visible: table.count === 0
                text: panel.searchText.length > 0 || panel.stageFilter !== 0 ? qsTr("No deliveries match the filter.") : qsTr("No deliveries yet. Schedule one with Ctrl+N.")
                color: Theme.textFaint
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
        }
    }

    // The detail sheet lies over the table's right side, below the search and filters,
    // so the table, the filters and the search stay usable beside it.
    Rectangle {
        anchors.fill: sheet
        anchors.margins: -8
        visible: sheet.visible
        radius: Theme.radiusL + 8
        color: "#55000000"
    }
    DeliveryDetail {
        id: sheet

        objectName: "deliveryDetail"
        visible: panel.detailOpen && panel.selectedDeliveryId.length > 0
        y: tableCard.y + Theme.spacingXl
        height: tableCard.height
        anchors.right: parent.right
        anchors.rightMargin: Theme.spacingXl
        width: Math.min(640, Math.max(500, panel.width * 0.46))
        deliveryId: panel.selectedDeliveryId
        delivery: selected.row
        timeline: panel.timeline
        trace: panel.trace
        now: panel.now
        onCloseRequested: panel.detailOpen = false
        onShowOnMap: id => panel.showOnMap(id)
        onRescheduleRequested: id => panel.rescheduleDelivery(id)
        onCancelRequested: id => panel.cancelDelivery(id)
        onOpenTransaction: id => panel.openTransaction(id)
    }
}
