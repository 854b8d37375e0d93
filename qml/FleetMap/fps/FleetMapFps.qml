// The frame-rate probe's window: the fleet map as the console shows it, with legend and labels.
import QtQuick
import DroneConsole.FleetMap

Rectangle {
    id: root

    property real measuredFps: 0

    width: 1280
    height: 800
    color: FleetPalette.background

    FleetStateSource {
        id: source

        objectName: "source"
        interval: 0 // worst case: redraw on every write; the console keeps the default 100 ms
    }

    FleetMapItem {
        id: map

        objectName: "map"
        anchors.fill: parent
        fleetState: source
    }

    FleetMapPlaceLabels {
        map: map
    }

    Rectangle {
        id: header

        anchors {
            left: parent.left
            right: parent.right
            top: parent.top
        }
        height: 36
        color: Qt.rgba(0.02, 0.04, 0.06, 0.88)

        Text {
            anchors {
                left: parent.left
                leftMargin: 16
                verticalCenter: parent.verticalCenter
            }
            text: qsTr("FLEET MAP  ·  Seattle service area, 12 km")
            color: FleetPalette.text
            font.pixelSize: 13
            font.letterSpacing: 1.5
            font.bold: true
        }
        Text {
            anchors {
                right: parent.right
                rightMargin: 16
                verticalCenter: parent.verticalCenter
            }
            text: root.measuredFps > 0 ? qsTr("%1 fps").arg(root.measuredFps.toFixed(1)) : ""
            color: FleetPalette.textDim
            font.pixelSize: 12
            font.family: "monospace"
        }
    }

    FleetMapLegend {
        map: map
        anchors {
            left: parent.left
            top: header.bottom
            margins: 16
        }
    }
}
