// A trace as a waterfall: a bar per span, offset by its start, as long as it took, indented by depth.
pragma ComponentBehavior: Bound
import QtQuick

Item {
    id: waterfall

    /// TraceSpanModel roles: name, service, kind, startOffsetMs, durationMs, depth, status, attempt.
    property var model
    /// The trace's length when the model knows it; otherwise the latest span end is used.
    property real totalMs: 0
    property real spanEndMs: 0
    readonly property real scaleMs: Math.max(totalMs, spanEndMs, 0.001)
    readonly property int labelWidth: Math.min(260, Math.round(width * 0.42))
    readonly property real trackX: labelWidth + Theme.spacingS
    readonly property real trackWidth: Math.max(1, width - trackX - 4)
    readonly property int rowHeight: 24
    // Round tick values (1, 2 or 5 × 10^k ms) at least ~90 px apart.
    readonly property real tickStep: {
        const rough = scaleMs / Math.max(1, Math.floor(trackWidth / 90));
        const magnitude = Math.pow(10, Math.floor(Math.log(rough) / Math.LN10));
        for (const m of [1, 2, 5, 10])
            if (m * magnitude >= rough)
                return m * magnitude;
        return 10 * magnitude;
    }
    readonly property var ticks: {
        const list = [];
        for (let i = 0; i * tickStep <= scaleMs * 1.0001 && i < 50; ++i)
            list.push(Math.round(i * tickStep * 1e6) / 1e6);
        return list;
    }

    Timer {
        id: endTimer

        interval: 0
        onTriggered: waterfall.recomputeEnd()
    }

    function recomputeEnd() {
        let end = 0;
        for (let i = 0; i < spans.count; ++i) {
            const span = spans.itemAt(i);
            if (span)
                end = Math.max(end, span["endMs"]);
        }
        spanEndMs = end;
    }

    // A span is fine when its status is OK, whichever way the model spells it.
    function statusOk(status): bool {
        return status === undefined || status === 0 || status === "" || String(status).toLowerCase() === "ok";
    }

    implicitHeight: axis.height + Math.max(1, spans.count) * rowHeight + legend.height + 8

    // Time axis: quarter ticks over the track, with gridlines through every row.
    Item {
        id: axis

        width: parent.width
        height: 20

        Repeater {
            model: waterfall.ticks

            Text {
                required property real modelData
                readonly property real at: waterfall.trackX + waterfall.trackWidth * modelData / waterfall.scaleMs

                x: modelData === 0 ? at : Math.min(at - width / 2, waterfall.width - width)
                text: modelData === 0 ? "0" : modelData < 1000 && Number.isInteger(modelData) ? modelData + " ms" : Theme.duration(modelData)
                color: Theme.textFaint
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontCaption
            }
        }
    }
    Repeater {
        model: waterfall.ticks

        Rectangle {
            required property real modelData

            x: waterfall.trackX + Math.min(waterfall.trackWidth - 1, waterfall.trackWidth * modelData / waterfall.scaleMs)
            y: axis.height
            width: 1
            height: Math.max(1, spans.count) * waterfall.rowHeight
            color: Theme.border
        }
    }

    Text {
        visible: spans.count === 0
        y: axis.height + 4
        text: qsTr("No spans for this trace (yet).")
        color: Theme.textFaint
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    Repeater {
        id: spans

        model: waterfall.model
        onItemAdded: endTimer.restart()
        onItemRemoved: endTimer.restart()

        Item {
            id: span

            required property int index
            required property string name
            required property string service
            required property string kind
            required property real startOffsetMs
            required property real durationMs
            required property int depth
            required property var status
            required property int attempt
            readonly property real endMs: startOffsetMs + durationMs
            readonly property bool ok: waterfall.statusOk(status)
            readonly property color tone: !ok ? Theme.failing : kind === "server" ? Theme.healthy : Theme.accent
            // A server span is named by its method ("Create" in service "delivery"); a client
            // span already by its target ("delivery.Create", recorded by the caller).
            readonly property string label: name.indexOf(".") >= 0 ? name : (service.length > 0 ? service + "." : "") + name
            readonly property int dot: label.indexOf(".")
            readonly property real barX: waterfall.trackX + waterfall.trackWidth * startOffsetMs / waterfall.scaleMs
            readonly property real barWidth: Math.max(2, waterfall.trackWidth * durationMs / waterfall.scaleMs)

            objectName: "span"
            y: axis.height + index * waterfall.rowHeight
            width: waterfall.width
            height: waterfall.rowHeight
            onEndMsChanged: endTimer.restart()

            Rectangle {
                anchors.fill: parent
                color: span.index % 2 === 0 ? "transparent" : Theme.tint(Theme.surfaceRaised, 0.5)
            }
            Row {
                x: 4 + Math.min(span.depth, 8) * 14
                width: waterfall.labelWidth - x
                anchors.verticalCenter: parent.verticalCenter
                spacing: 6
                clip: true

                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: 3
                    height: 12
                    radius: 1
                    color: span.tone
                    opacity: span.kind === "server" ? 1 : 0.55
                }
                Text {
                    objectName: "spanLabel"
                    anchors.verticalCenter: parent.verticalCenter
                    // "service.method", the service part quieter.
                    text: span.dot < 0 ? span.label : "<font color=\"" + Theme.textDim + "\">" + span.label.substring(0, span.dot + 1) + "</font>" + span.label.substring(span.dot + 1)
                    textFormat: Text.StyledText
                    color: span.ok ? Theme.text : Qt.lighter(Theme.failing, 1.2)
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
                Chip {
                    anchors.verticalCenter: parent.verticalCenter
                    visible: span.attempt > 1
                    implicitHeight: 16
                    dot: false
                    text: qsTr("try %1").arg(span.attempt)
                    tone: Theme.degraded
                }
            }
            Rectangle {
                objectName: "spanBar"
                x: span.barX
                width: span.barWidth
                height: 12
                anchors.verticalCenter: parent.verticalCenter
                radius: 2
                color: span.kind === "server" ? span.tone : Theme.tint(span.tone, 0.3)
                border.width: span.kind === "server" ? 0 : 1
                border.color: span.tone
            }
            Text {
                readonly property bool fitsAfter: span.barX + span.barWidth + implicitWidth + 6 <= waterfall.width

                x: fitsAfter ? span.barX + span.barWidth + 6 : span.barX - implicitWidth - 6
                anchors.verticalCenter: parent.verticalCenter
                text: Theme.duration(span.durationMs)
                color: span.ok ? Theme.textDim : Qt.lighter(Theme.failing, 1.2)
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontCaption
            }
        }
    }

    Row {
        id: legend

        y: axis.height + Math.max(1, spans.count) * waterfall.rowHeight + 8
        height: 16
        spacing: Theme.spacingL

        Repeater {
            model: [{
                    "label": qsTr("client call"),
                    "tone": Theme.accent,
                    "solid": false
                }, {
                    "label": qsTr("server handling"),
                    "tone": Theme.healthy,
                    "solid": true
                }, {
                    "label": qsTr("error"),
                    "tone": Theme.failing,
                    "solid": true
                }]

            Row {
                required property var modelData

                spacing: 6

                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: 14
                    height: 8
                    radius: 2
                    color: parent.modelData.solid ? parent.modelData.tone : Theme.tint(parent.modelData.tone, 0.3)
                    border.width: parent.modelData.solid ? 0 : 1
                    border.color: parent.modelData.tone
                }
                Text {
                    text: parent.modelData.label
                    color: Theme.textDim
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontCaption
                }
            }
        }
    }
}
