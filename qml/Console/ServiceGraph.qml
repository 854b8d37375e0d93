// The service graph: nodes at the model's layout hints, an edge per route coloured by health, width by rate.
pragma ComponentBehavior: Bound
import QtQuick

Item {
    id: graph

    /// ServiceNodeModel: name, health, requestsPerSecond, errorRate, x, y (0..1).
    property var services
    /// RouteHealthModel: caller, callee, requestsPerSecond, breakerState, health, ...
    property var routes
    /// "caller>callee" of the route to bring forward; "" shows all alike.
    property string highlight
    readonly property int nodeWidth: 150
    readonly property int nodeHeight: 44
    // Node centres by name; callers that are not services (the console, the gateway) get a
    // place in the left margin so their routes still show.
    property var centers: ({})

    // Recomputes once per burst of node and edge changes.
    Timer {
        id: relayout

        interval: 0
        onTriggered: graph.recomputeCenters()
    }

    function recomputeCenters() {
        const map = {};
        for (let i = 0; i < nodes.count; ++i) {
            const node = nodes.itemAt(i);
            if (node)
                map[node["name"]] = Qt.point(node.x + nodeWidth / 2, node.y + nodeHeight / 2);
        }
        let extra = 0;
        for (let i = 0; i < edges.count; ++i) {
            const edge = edges.itemAt(i);
            if (edge && map[edge["caller"]] === undefined)
                map[edge["caller"]] = Qt.point(nodeWidth / 2 + 4, nodeHeight / 2 + 8 + 64 * extra++);
        }
        centers = map;
    }

    Repeater {
        id: edges

        model: graph.routes
        onItemAdded: relayout.restart()
        onItemRemoved: relayout.restart()

        RouteEdge {
            width: graph.width
            height: graph.height
            from: graph.centers[caller] ?? Qt.point(-1, -1)
            to: graph.centers[callee] ?? Qt.point(-1, -1)
            nodeWidth: graph.nodeWidth
            nodeHeight: graph.nodeHeight
            dimmed: graph.highlight.length > 0 && graph.highlight !== caller + ">" + callee
        }
    }

    Repeater {
        id: nodes

        model: graph.services
        onItemAdded: relayout.restart()
        onItemRemoved: relayout.restart()

        Rectangle {
            id: node

            required property string name
            required property string health
            required property real requestsPerSecond
            required property real errorRate
            // The layout hints are roles named x and y, which an Item cannot take as properties.
            required property var model
            readonly property color tone: Theme.healthColor(health)

            objectName: "node_" + name
            // The hints place centres; keep every box inside the graph.
            x: Math.max(0, Math.min(graph.width - width, model.x * graph.width - width / 2))
            y: Math.max(0, Math.min(graph.height - height, model.y * graph.height - height / 2))
            width: graph.nodeWidth
            height: graph.nodeHeight
            radius: Theme.radiusL
            color: Theme.surfaceRaised
            border.width: health === "failing" ? 2 : 1
            border.color: health === "healthy" || health === "idle" ? Theme.borderStrong : tone
            onXChanged: relayout.restart()
            onYChanged: relayout.restart()

            Rectangle {
                x: 10
                y: 10
                width: 8
                height: 8
                radius: 4
                color: node.tone
            }
            Text {
                x: 24
                y: 5
                width: node.width - 30
                text: node.name
                color: Theme.textStrong
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.weight: Font.DemiBold
                elide: Text.ElideRight
            }
            Text {
                x: 10
                y: 25
                text: qsTr("%1/s").arg(node.requestsPerSecond.toFixed(node.requestsPerSecond < 10 ? 1 : 0))
                color: Theme.textDim
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontCaption
            }
            Text {
                anchors.right: parent.right
                anchors.rightMargin: 10
                y: 25
                text: node.errorRate > 0 ? qsTr("%1 % err").arg((node.errorRate * 100).toFixed(node.errorRate < 0.01 ? 2 : 1)) : qsTr("no errors")
                color: node.health === "failing" || node.health === "degraded" ? Qt.lighter(node.tone, 1.1) : Theme.textFaint
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontCaption
            }
        }
    }
}
