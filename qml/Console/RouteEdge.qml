// One route in the service graph: a curve from caller to callee with an arrowhead and its rate.
import QtQuick
import QtQuick.Shapes

Item {
    id: edge

    required property string caller
    required property string callee
    required property real requestsPerSecond
    required property string breakerState
    required property string health
    property point from
    property point to
    property int nodeWidth
    property int nodeHeight
    property bool dimmed: false

    readonly property bool placed: from.x >= 0 && to.x >= 0
    readonly property color tone: health === "idle" ? Theme.textFaint : Theme.healthColor(health)
    readonly property bool blocked: breakerState === "open" || breakerState === "isolated"
    // Between columns: leave the caller's side facing the callee and enter the callee's
    // opposite side, with horizontal tangents. Within a column: leave and enter vertically.
    readonly property bool horizontal: Math.abs(to.x - from.x) > nodeWidth
    readonly property real ux: horizontal ? (to.x > from.x ? 1 : -1) : 0
    readonly property real uy: horizontal ? 0 : (to.y > from.y ? 1 : -1)
    // Calls both ways between two services: each direction keeps to its own side.
    readonly property real sideX: uy * 4
    readonly property real sideY: -ux * 4
    readonly property point start: Qt.point(from.x + ux * nodeWidth / 2 + sideX, from.y + uy * nodeHeight / 2 + sideY)
    readonly property point end: Qt.point(to.x - ux * (nodeWidth / 2 + 2) + sideX, to.y - uy * (nodeHeight / 2 + 2) + sideY)
    readonly property point control1: horizontal ? Qt.point((start.x + end.x) / 2, start.y) : Qt.point(start.x, (start.y + end.y) / 2)
    readonly property point control2: horizontal ? Qt.point((start.x + end.x) / 2, end.y) : Qt.point(end.x, (start.y + end.y) / 2)
    // The rate label sits past the middle, where edges fanning out of one node have parted.
    readonly property point labelAt: {
        const t = 0.62, s = 1 - t;
        const a = s * s * s, b = 3 * s * s * t, c = 3 * s * t * t, d = t * t * t;
        return Qt.point(a * start.x + b * control1.x + c * control2.x + d * end.x, a * start.y + b * control1.y + c * control2.y + d * end.y);
    }

    objectName: "edge_" + caller + "_" + callee
    visible: placed
    opacity: dimmed ? 0.2 : 1

    Shape {
        anchors.fill: parent
        antialiasing: true
        layer.enabled: GraphicsInfo.api !== GraphicsInfo.Software
        layer.samples: 4

        ShapePath {
            strokeColor: edge.tone
            strokeWidth: Math.min(5, 1.2 + Math.log(1 + edge.requestsPerSecond) / Math.LN10)
            strokeStyle: edge.blocked ? ShapePath.DashLine : ShapePath.SolidLine
            dashPattern: [3, 3]
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            startX: edge.start.x
            startY: edge.start.y

            PathCubic {
                x: edge.end.x
                y: edge.end.y
                control1X: edge.control1.x
                control1Y: edge.control1.y
                control2X: edge.control2.x
                control2Y: edge.control2.y
            }
        }
        // Arrowhead along the curve's final tangent.
        ShapePath {
            strokeColor: "transparent"
            fillColor: edge.tone
            startX: edge.end.x
            startY: edge.end.y

            PathLine {
                x: edge.end.x - 8 * edge.ux - 4 * edge.uy
                y: edge.end.y - 8 * edge.uy + 4 * edge.ux
            }
            PathLine {
                x: edge.end.x - 8 * edge.ux + 4 * edge.uy
                y: edge.end.y - 8 * edge.uy - 4 * edge.ux
            }
            PathLine {
                x: edge.end.x
                y: edge.end.y
            }
        }
    }
    Rectangle {
        // Idle routes carry no number: a graph full of "0.0/s" says nothing.
        visible: edge.blocked || edge.requestsPerSecond >= 0.05
        x: edge.labelAt.x - width / 2
        y: edge.labelAt.y - height / 2
        width: rate.implicitWidth + 10
        height: 16
        radius: 8
        color: Theme.surface
        border.color: Theme.tint(edge.tone, 0.5)

        Text {
            id: rate

            anchors.centerIn: parent
            text: edge.blocked ? edge.breakerState : edge.requestsPerSecond.toFixed(edge.requestsPerSecond < 10 ? 1 : 0) + "/s"
            color: edge.blocked ? Theme.failing : Theme.textDim
            font.family: Theme.monoFamily
            font.pixelSize: 10
        }
    }
}
