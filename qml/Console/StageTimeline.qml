// A delivery's stage history as a vertical stepper: time, stage, reason, and the gap since the step before.
pragma ComponentBehavior: Bound
import QtQuick

Column {
    id: timeline

    /// TimelineModel roles: stage, stageName, at, reason, latitude, longitude, droneId.
    property var model

    spacing: 0

    Text {
        visible: steps.count === 0
        text: qsTr("No stage changes recorded yet.")
        color: Theme.textFaint
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    Repeater {
        id: steps

        model: timeline.model

        Item {
            id: step

            required property int index
            required property int stage
            required property string stageName
            required property real at
            required property string reason
            required property string droneId
            readonly property bool last: index === steps.count - 1
            readonly property real previousAt: {
                const previous = index > 0 ? steps.itemAt(index - 1) : null;
                return previous ? previous["at"] : 0;
            }

            objectName: "timelineStep"
            width: timeline.width
            height: Math.max(46, textColumn.implicitHeight + 14)

            Text {
                width: 64
                y: 1
                text: Theme.clockTime(step.at)
                color: Theme.textDim
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
            }
            Rectangle {
                visible: !step.last
                x: 80
                y: 16
                width: 2
                height: step.height - 12
                color: Theme.border
            }
            Rectangle {
                x: 75
                y: 2
                width: 12
                height: 12
                radius: 6
                color: step.last ? Theme.stageColor(step.stage) : Theme.surface
                border.width: 2
                border.color: Theme.stageColor(step.stage)
            }
            Column {
                id: textColumn

                x: 100
                width: step.width - x
                spacing: 3

                Row {
                    spacing: 8

                    Text {
                        text: Theme.stageNames[step.stage] !== undefined ? Theme.stageName(step.stage) : step.stageName
                        color: step.last ? Theme.textStrong : Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        font.weight: step.last ? Font.DemiBold : Font.Normal
                    }
                    Text {
                        visible: step.index > 0 && step.previousAt > 0
                        text: "+" + Theme.duration(step.at - step.previousAt)
                        color: Theme.textFaint
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontCaption
                        anchors.baseline: parent.children[0].baseline
                    }
                }
                Text {
                    visible: text.length > 0
                    width: textColumn.width
                    text: step.reason + (step.reason.length > 0 && step.droneId.length > 0 ? "  ·  " : "") + step.droneId
                    color: Theme.textDim
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }
            }
        }
    }
}
