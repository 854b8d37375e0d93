// Legend for a FleetMapItem: drones per state in the palette's colours, plus a scale bar.
import QtQuick
import DroneConsole.FleetMap

Rectangle {
    id: legend

    required property FleetMapItem map

    // The longest round distance that fits in ~120 px at the map's current zoom.
    readonly property real scaleMeters: {
        const target = 120 * map.zoom;
        const steps = [50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];
        let best = steps[0];
        for (const s of steps) {
            if (s <= target)
                best = s;
        }
        return best;
    }

    implicitWidth: column.implicitWidth + 24
    implicitHeight: column.implicitHeight + 20
    radius: 6
    color: Qt.rgba(FleetPalette.background.r, FleetPalette.background.g, FleetPalette.background.b, 0.86)
    border.color: FleetPalette.rangeRing
    border.width: 1

    Column {
        id: column

        x: 12
        y: 10
        spacing: 5

        Text {
            text: qsTr("Fleet · %1 drones").arg(legend.map.droneCount.toLocaleString(Qt.locale(), "f", 0))
            color: FleetPalette.text
            font.pixelSize: 13
            font.bold: true
        }

        Repeater {
            model: [2, 3, 4, 1, 5, 6]

            Row {
                required property int modelData

                spacing: 8

                Rectangle {
                    width: 10
                    height: 10
                    radius: 2
                    anchors.verticalCenter: parent.verticalCenter
                    color: FleetPalette.stateColor(parent.modelData)
                }
                Text {
                    width: 92
                    text: FleetPalette.stateName(parent.modelData)
                    color: FleetPalette.text
                    font.pixelSize: 12
                }
                Text {
                    width: 48
                    horizontalAlignment: Text.AlignRight
                    text: (legend.map.stateCounts[parent.modelData] ?? 0).toLocaleString(Qt.locale(), "f", 0)
                    color: FleetPalette.textDim
                    font.pixelSize: 12
                    font.family: "monospace"
                }
            }
        }

        Item {
            width: 1
            height: 4
        }

        Row {
            spacing: 8

            Rectangle {
                width: legend.scaleMeters / legend.map.zoom
                height: 4
                anchors.verticalCenter: parent.verticalCenter
                color: FleetPalette.text
            }
            Text {
                text: legend.scaleMeters >= 1000 ? qsTr("%1 km").arg(legend.scaleMeters / 1000) : qsTr("%1 m").arg(legend.scaleMeters)
                color: FleetPalette.textDim
                font.pixelSize: 11
            }
        }
    }
}
