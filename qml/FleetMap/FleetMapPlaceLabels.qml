// Place names over a FleetMapItem's backdrop, kept in place as the map pans and zooms.
import QtQuick
import DroneConsole.FleetMap

Item {
    id: labels

    required property FleetMapItem map

    // Approximate label anchors; rotation follows long, narrow bodies of water.
    readonly property var places: [{
            "name": qsTr("PUGET SOUND"),
            "latitude": 47.640,
            "longitude": -122.462,
            "rotation": -90,
            "water": true
        }, {
            "name": qsTr("ELLIOTT BAY"),
            "latitude": 47.603,
            "longitude": -122.368,
            "rotation": 0,
            "water": true
        }, {
            "name": qsTr("LAKE WASHINGTON"),
            "latitude": 47.655,
            "longitude": -122.257,
            "rotation": -82,
            "water": true
        }, {
            "name": qsTr("DOWNTOWN"),
            "latitude": 47.611,
            "longitude": -122.333,
            "rotation": 0,
            "water": false
        }, {
            "name": qsTr("BALLARD"),
            "latitude": 47.671,
            "longitude": -122.384,
            "rotation": 0,
            "water": false
        }, {
            "name": qsTr("UNIVERSITY"),
            "latitude": 47.664,
            "longitude": -122.309,
            "rotation": 0,
            "water": false
        }, {
            "name": qsTr("NORTHGATE"),
            "latitude": 47.707,
            "longitude": -122.326,
            "rotation": 0,
            "water": false
        }, {
            "name": qsTr("WEST SEATTLE"),
            "latitude": 47.562,
            "longitude": -122.383,
            "rotation": 0,
            "water": false
        }, {
            "name": qsTr("BEACON HILL"),
            "latitude": 47.568,
            "longitude": -122.311,
            "rotation": 0,
            "water": false
        }, {
            "name": qsTr("BELLEVUE"),
            "latitude": 47.612,
            "longitude": -122.180,
            "rotation": 0,
            "water": false
        }, {
            "name": qsTr("MERCER IS."),
            "latitude": 47.565,
            "longitude": -122.228,
            "rotation": -70,
            "water": false
        },]

    anchors.fill: map
    // Labels are read, never clicked: let every press through to the map.
    enabled: false

    Repeater {
        model: labels.places

        Text {
            required property var modelData

            // Re-evaluated when the view moves: project() depends on these.
            readonly property point at: {
                labels.map.zoom;
                labels.map.centerLatitude;
                labels.map.centerLongitude;
                labels.map.width;
                labels.map.height;
                return labels.map.project(modelData.latitude, modelData.longitude);
            }

            x: at.x - width / 2
            y: at.y - height / 2
            rotation: modelData.rotation
            text: modelData.name
            color: modelData.water ? "#3f7bab" : FleetPalette.textDim
            font.pixelSize: modelData.water ? 12 : 11
            font.letterSpacing: 2
            font.bold: !modelData.water
            font.italic: modelData.water
            // A halo in the ground colour keeps names legible over drones.
            style: Text.Outline
            styleColor: FleetPalette.background
            // Hidden when zoomed out so far that names would cover the fleet.
            visible: labels.map.zoom < 80
        }
    }
}
