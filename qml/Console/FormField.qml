// A labelled form row: caption, the input (its child) and, when set, the validation message under it.
import QtQuick
import QtQuick.Layouts

ColumnLayout {
    id: formField

    property string label
    property string hint
    property string error
    /// A line under the input while there is no error (e.g. what a place resolves to).
    property string note
    property bool noteOk: true
    property bool required: false
    /// Stretch the input to the row's width (off for fixed-size pickers).
    property bool stretch: true
    default property alias input: slot.data

    spacing: 5

    RowLayout {
        Layout.fillWidth: true
        spacing: 4

        Text {
            text: formField.label
            color: Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.weight: Font.DemiBold
        }
        Text {
            visible: formField.required
            text: "*"
            color: Theme.degraded
            font.pixelSize: Theme.fontSmall
        }
        Item {
            Layout.fillWidth: true
        }
        Text {
            visible: formField.hint.length > 0
            text: formField.hint
            color: Theme.textFaint
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCaption
        }
    }
    Item {
        id: slot

        Layout.fillWidth: true
        implicitWidth: formField.stretch ? 0 : childrenRect.width
        implicitHeight: childrenRect.height
        // The input fills the row's width.
        onChildrenChanged: {
            if (!formField.stretch)
                return;
            for (let i = 0; i < children.length; ++i)
                children[i].width = Qt.binding(() => slot.width);
        }
    }
    Text {
        objectName: "noteText"
        visible: formField.note.length > 0 && formField.error.length === 0
        Layout.fillWidth: true
        text: formField.note
        color: formField.noteOk ? Theme.textDim : Qt.lighter(Theme.danger, 1.2)
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        elide: Text.ElideRight
    }
    RowLayout {
        objectName: "errorRow"
        visible: formField.error.length > 0
        Layout.fillWidth: true
        spacing: 5

        Icon {
            Layout.alignment: Qt.AlignTop
            name: "warning"
            size: 13
            strokeWidth: 2
            color: Theme.danger
        }
        Text {
            objectName: "errorText"
            Layout.fillWidth: true
            text: formField.error
            color: Qt.lighter(Theme.danger, 1.2)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
    }
}
