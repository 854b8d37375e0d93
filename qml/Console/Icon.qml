// A line icon from a small built-in set, drawn as a Shape so it stays crisp at any size, also offscreen.
import QtQuick
import QtQuick.Shapes

Item {
    id: icon

    property string name
    property color color: Theme.text
    property real size: 18
    property real strokeWidth: 1.8

    // 24×24 outlines, stroked, round caps; drawn for this console.
    readonly property var paths: ({
            "map": "M9 4 L3 6.5 L3 20 L9 17.5 L15 20 L21 17.5 L21 4 L15 6.5 Z M9 4 L9 17.5 M15 6.5 L15 20",
            "package": "M12 3 L20 7 L20 17 L12 21 L4 17 L4 7 Z M4 7 L12 11 L20 7 M12 11 L12 21 M8 5 L16 9",
            "transactions": "M4 4 L4 9 L9 9 M4.6 9 A8 8 0 1 1 5 15.5 M12 8 L12 12.5 L15 14",
            "schedule": "M4 6 L20 6 L20 20 L4 20 Z M4 10 L20 10 M8 3 L8 7 M16 3 L16 7 M12 12.5 L12 17.5 M9.5 15 L14.5 15",
            "services": "M9.5 3 L14.5 3 L14.5 7.5 L9.5 7.5 Z M3 16.5 L7.5 16.5 L7.5 21 L3 21 Z M16.5 16.5 L21 16.5 L21 21 L16.5 21 Z M12 7.5 L12 12 M5.25 16.5 L5.25 12 L18.75 12 L18.75 16.5",
            "faults": "M13 2 L4 14 L11 14 L10 22 L19 10 L12 10 Z",
            "search": "M10.5 4 A6.5 6.5 0 1 0 10.5 17 A6.5 6.5 0 1 0 10.5 4 Z M15.5 15.5 L20 20",
            "close": "M6 6 L18 18 M18 6 L6 18",
            "plus": "M12 5 L12 19 M5 12 L19 12",
            "minus": "M5 12 L19 12",
            "fit": "M4 9 L4 4 L9 4 M15 4 L20 4 L20 9 M20 15 L20 20 L15 20 M9 20 L4 20 L4 15",
            "chevronRight": "M9 6 L15 12 L9 18",
            "chevronDown": "M6 9 L12 15 L18 9",
            "check": "M5 12.5 L10 17 L19 7",
            "clock": "M12 3 A9 9 0 1 0 12 21 A9 9 0 1 0 12 3 Z M12 7 L12 12 L15.5 14",
            "arrowRight": "M5 12 L19 12 M13 6 L19 12 L13 18",
            "pin": "M12 21 C12 21 5 14.5 5 9.5 A7 7 0 0 1 19 9.5 C19 14.5 12 21 12 21 Z M12 7.5 A2 2 0 1 0 12 11.5 A2 2 0 1 0 12 7.5 Z",
            "user": "M12 4 A4 4 0 1 0 12 12 A4 4 0 1 0 12 4 Z M4.5 21 C4.5 16.8 7.8 14.5 12 14.5 C16.2 14.5 19.5 16.8 19.5 21",
            "layers": "M12 3 L21 8 L12 13 L3 8 Z M3 12.5 L12 17.5 L21 12.5 M3 16.5 L12 21.5 L21 16.5",
            "trash": "M4 7 L20 7 M9 7 L9 4 L15 4 L15 7 M6 7 L7 20 L17 20 L18 7 M10 11 L10 16 M14 11 L14 16",
            "drone": "M9 9 L15 9 L15 15 L9 15 Z M9 9 L7 7 M15 9 L17 7 M15 15 L17 17 M9 15 L7 17 M3.5 5.5 A2.5 2.5 0 1 0 8.5 5.5 A2.5 2.5 0 1 0 3.5 5.5 Z M15.5 5.5 A2.5 2.5 0 1 0 20.5 5.5 A2.5 2.5 0 1 0 15.5 5.5 Z M3.5 18.5 A2.5 2.5 0 1 0 8.5 18.5 A2.5 2.5 0 1 0 3.5 18.5 Z M15.5 18.5 A2.5 2.5 0 1 0 20.5 18.5 A2.5 2.5 0 1 0 15.5 18.5 Z",
            "warning": "M12 3.5 L21.5 20 L2.5 20 Z M12 10 L12 14.5 M12 17 L12 17.2",
            "retry": "M20 11 A8 8 0 0 0 5.5 6.5 L4 8 M4 4 L4 8 L8 8 M4 13 A8 8 0 0 0 18.5 17.5 L20 16 M20 20 L20 16 L16 16",
            "ban": "M12 3 A9 9 0 1 0 12 21 A9 9 0 1 0 12 3 Z M5.6 5.6 L18.4 18.4",
            "accounts": "M9 5 A3.5 3.5 0 1 0 9 12 A3.5 3.5 0 1 0 9 5 Z M2.5 20 C2.5 16.5 5.4 14.5 9 14.5 C12.6 14.5 15.5 16.5 15.5 20 M16 5.3 A3.2 3.2 0 0 1 16 11.7 M17.5 14.8 C19.8 15.4 21.5 17.2 21.5 20"
        })

    implicitWidth: size
    implicitHeight: size

    Shape {
        width: 24
        height: 24
        anchors.centerIn: parent
        scale: icon.size / 24
        antialiasing: true
        // Multisampling smooths the strokes under OpenGL; the software renderer antialiases anyway.
        layer.enabled: GraphicsInfo.api !== GraphicsInfo.Software
        layer.samples: 4

        ShapePath {
            strokeColor: icon.color
            strokeWidth: icon.strokeWidth
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            joinStyle: ShapePath.RoundJoin

            PathSvg {
                path: icon.paths[icon.name] ?? ""
            }
        }
    }
}
