// One active fault rule: its kind, its spec, and in words what it does.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: rule

    required property string spec
    required property string service
    required property string method
    required property string kind
    required property real percent
    required property real delayMs
    property color tone: Theme.idle

    objectName: "faultRule"
    implicitHeight: 50
    radius: Theme.radiusM
    color: Theme.surfaceRaised
    border.color: Theme.tint(tone, 0.35)

    Rectangle {
        width: 3
        height: parent.height - 16
        x: 0
        anchors.verticalCenter: parent.verticalCenter
        radius: 1.5
        color: rule.tone
    }
    ColumnLayout {
        x: Theme.spacingM
        width: parent.width - 2 * Theme.spacingM
        anchors.verticalCenter: parent.verticalCenter
        spacing: 3

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Text {
                Layout.fillWidth: true
                text: rule.spec
                color: Theme.textStrong
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontBody
                elide: Text.ElideRight
            }
            Chip {
                text: rule.kind
                tone: rule.tone
            }
        }
        Text {
            Layout.fillWidth: true
            text: {
                const target = rule.service + (rule.method.length > 0 ? "." + rule.method : qsTr(" (every method)"));
                const share = qsTr("%1 % of calls to %2").arg(rule.percent).arg(target);
                switch (rule.kind) {
                case "delay":
                    return qsTr("%1 answer %2 ms late").arg(share).arg(rule.delayMs);
                case "fatal":
                    return qsTr("%1 fail for good").arg(share);
                case "crash":
                    return qsTr("%1 dropped unanswered (simulated crash)").arg(share);
                default:
                    return qsTr("%1 fail transiently").arg(share);
                }
            }
            color: Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }
    }
}
