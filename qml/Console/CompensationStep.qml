// One compensation step of a failed transaction: what is undone, its state, attempts, and why.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: step

    /// {step, resourceId, state, stateName, requiresApproval, reason, attempts, lastError}
    required property var modelData

    objectName: "compensationStep"
    implicitHeight: stepLayout.implicitHeight + 12
    radius: Theme.radiusM
    color: Theme.surface
    border.color: Theme.border

    RowLayout {
        id: stepLayout

        x: Theme.spacingM
        y: 6
        width: parent.width - 2 * Theme.spacingM
        spacing: Theme.spacingM

        Text {
            Layout.preferredWidth: 84
            text: Theme.stepName(step.modelData.step)
            color: Theme.textStrong
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.weight: Font.DemiBold
        }
        Text {
            Layout.preferredWidth: 110
            text: step.modelData.resourceId
            color: Theme.text
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideMiddle
        }
        Item {
            Layout.preferredWidth: 140
            implicitHeight: 20

            Chip {
                text: Theme.compensationName(step.modelData.state)
                tone: Theme.compensationColor(step.modelData.state)
            }
        }
        Text {
            Layout.preferredWidth: 80
            text: step.modelData.attempts === 1 ? qsTr("1 attempt") : qsTr("%1 attempts").arg(step.modelData.attempts)
            color: Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        Text {
            Layout.fillWidth: true
            text: {
                const parts = [];
                if (step.modelData.requiresApproval)
                    parts.push(qsTr("needs approval"));
                if (step.modelData.reason)
                    parts.push(step.modelData.reason);
                if (step.modelData.lastError)
                    parts.push(qsTr("last error: %1").arg(step.modelData.lastError));
                return parts.join("  ·  ");
            }
            color: step.modelData.lastError ? Qt.lighter(Theme.failing, 1.25) : Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
    }
}
