// One row of the accounts table (an AccountListModel row; roles arrive as required properties).
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Rectangle {
    id: row

    required property int index
    required property string ownerId
    required property string name
    required property bool active
    required property string standing
    required property string suspensionReason
    required property bool registeredOnFirstUse
    required property real updatedAt
    property var columns
    property real now
    property bool selected: false

    signal clicked

    objectName: "accountRow"
    height: Theme.rowHeight
    color: selected ? Theme.surfaceSelected : area.containsMouse ? Theme.surfaceHover : index % 2 ? Theme.tint(Theme.surfaceRaised, 0.45) : "transparent"

    Rectangle {
        visible: row.selected
        width: 3
        height: parent.height
        color: Theme.accent
    }

    RowLayout {
        x: Theme.spacingL
        width: parent.width - 2 * Theme.spacingL
        height: parent.height
        spacing: Theme.spacingM

        Text {
            Layout.preferredWidth: row.columns.owner
            text: row.ownerId
            color: Theme.textStrong
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideMiddle
        }
        // The name as wide as it needs (elided only when the column is short), the marker after it.
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            Text {
                id: nameText

                anchors.verticalCenter: parent.verticalCenter
                width: Math.min(implicitWidth, parent.width - (marker.visible ? marker.width + Theme.spacingS : 0))
                text: row.name
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                elide: Text.ElideRight
            }
            // Made by the open policy when a request first named the owner, not set up by anyone.
            Chip {
                id: marker

                objectName: "firstUseMarker"
                visible: row.registeredOnFirstUse
                x: nameText.width + Theme.spacingS
                anchors.verticalCenter: parent.verticalCenter
                dot: false
                text: qsTr("first use")
                tone: Theme.accent
            }
        }
        Item {
            Layout.preferredWidth: row.columns.standing
            Layout.fillHeight: true

            Chip {
                objectName: "standingChip"
                anchors.verticalCenter: parent.verticalCenter
                width: Math.min(implicitWidth, parent.width)
                text: row.standing
                tone: row.active ? Theme.healthy : Theme.failing
            }
        }
        Text {
            Layout.preferredWidth: row.columns.reason
            text: row.active ? "" : row.suspensionReason
            color: Qt.lighter(Theme.failing, 1.25)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }
        Text {
            Layout.preferredWidth: row.columns.updated
            horizontalAlignment: Text.AlignRight
            text: Theme.relative(row.updatedAt, row.now)
            color: Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.tint(Theme.border, 0.6)
    }
    MouseArea {
        id: area

        anchors.fill: parent
        hoverEnabled: true
        cursorShape: Qt.PointingHandCursor
        onClicked: row.clicked()
    }
    ToolTip {
        visible: area.containsMouse && !row.active && row.suspensionReason.length > 0
        delay: 500
        text: qsTr("Suspended: %1").arg(row.suspensionReason)
    }
}
