// A titled surface: the panels' building block (header line with optional tools, then content).
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: card

    property string title
    property string subtitle
    property int padding: Theme.spacingL
    /// Items placed at the right end of the header (buttons, counters).
    default property alias content: body.data
    property alias tools: toolRow.data
    readonly property alias body: body

    color: Theme.surface
    radius: Theme.radiusL
    border.color: Theme.border

    RowLayout {
        id: header

        visible: card.title.length > 0
        x: card.padding
        y: card.padding - 2
        width: card.width - 2 * card.padding
        height: visible ? Math.max(24, toolRow.implicitHeight) : 0
        spacing: Theme.spacingS

        Text {
            text: card.title
            color: Theme.textStrong
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontTitle
            font.weight: Font.DemiBold
        }
        Text {
            Layout.fillWidth: true
            visible: card.subtitle.length > 0
            text: card.subtitle
            color: Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }
        Item {
            Layout.fillWidth: card.subtitle.length === 0
        }
        Row {
            id: toolRow

            spacing: Theme.spacingS
        }
    }
    Item {
        id: body

        x: card.padding
        y: header.visible ? header.y + header.height + Theme.spacingM : card.padding
        width: card.width - 2 * card.padding
        height: card.height - y - card.padding
    }
}
