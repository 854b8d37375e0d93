// A tiny line chart of recent values (newest last), scaled to its own maximum.
import QtQuick
import QtQuick.Shapes

Item {
    id: sparkline

    property var values: []
    property color color: Theme.accent

    readonly property real maximum: {
        let top = 0;
        for (const v of values)
            top = Math.max(top, Number(v));
        return top;
    }
    readonly property var points: {
        const n = values.length;
        if (n < 2)
            return [];
        const list = [];
        for (let i = 0; i < n; ++i) {
            const v = maximum > 0 ? Number(values[i]) / maximum : 0;
            list.push(Qt.point(i * (width - 1) / (n - 1), 1 + (height - 3) * (1 - v)));
        }
        return list;
    }

    implicitWidth: 72
    implicitHeight: 20

    // No history yet: a quiet baseline instead of nothing.
    Rectangle {
        visible: sparkline.points.length < 2
        y: parent.height - 2
        width: parent.width
        height: 1
        color: Theme.border
    }
    Shape {
        anchors.fill: parent
        visible: sparkline.points.length > 1
        antialiasing: true
        layer.enabled: GraphicsInfo.api !== GraphicsInfo.Software
        layer.samples: 4

        ShapePath {
            strokeColor: sparkline.color
            strokeWidth: 1.4
            fillColor: "transparent"
            joinStyle: ShapePath.RoundJoin

            PathPolyline {
                path: sparkline.points
            }
        }
    }
    Rectangle {
        readonly property point last: sparkline.points.length > 0 ? sparkline.points[sparkline.points.length - 1] : Qt.point(0, 0)

        visible: sparkline.points.length > 1
        x: last.x - 2
        y: last.y - 2
        width: 4
        height: 4
        radius: 2
        color: sparkline.color
    }
}
