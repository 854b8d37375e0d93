// A one-click demo fault: its name, the spec it adds and what to watch for.
import QtQuick
import QtQuick.Controls.Basic

AbstractButton {
    id: tile

    required property var modelData
    readonly property string spec: modelData.spec

    objectName: "preset_" + spec
    implicitHeight: 58
    focusPolicy: Qt.StrongFocus

    background: Rectangle {
        radius: Theme.radiusM
        color: tile.down ? Theme.surfaceSelected : tile.hovered ? Theme.surfaceHover : Theme.surfaceRaised
        border.width: tile.visualFocus ? 2 : 1
        border.color: tile.visualFocus ? Theme.focus : Theme.border
    }
    contentItem: Item {
        Icon {
            x: 12
            anchors.verticalCenter: parent.verticalCenter
            name: "faults"
            size: 18
            color: Theme.degraded
        }
        Column {
            x: 42
            width: parent.width - x - 12
            anchors.verticalCenter: parent.verticalCenter
            spacing: 3

            Row {
                width: parent.width
                spacing: 10

                Text {
                    text: tile.modelData.title
                    color: Theme.textStrong
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    font.weight: Font.DemiBold
                }
                Text {
                    anchors.baseline: parent.children[0].baseline
                    text: tile.spec
                    color: Theme.accentHover
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontCaption
                }
            }
            Text {
                width: parent.width
                text: tile.modelData.note
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideRight
            }
        }
    }
}
