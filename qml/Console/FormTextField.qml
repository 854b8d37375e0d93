// A labelled text input bound to one key of a form: shows the form's message for that key, reports edits.
import QtQuick
import QtQuick.Layouts

FormField {
    id: formTextField

    /// The form (ScheduleForm or ChangeDeliveryForm): errors by key, edited(key), submit().
    required property var form
    required property string key
    property string inputName: key
    property alias text: input.text
    property alias placeholderText: input.placeholderText
    property alias iconName: input.iconName
    readonly property alias field: input
    property bool monospace: false
    /// A small button inside the input's right end (e.g. "+15 min"); empty: none.
    property string actionText

    signal actionClicked

    // Text fields share a row equally and align by their labels.
    Layout.fillWidth: true
    Layout.preferredWidth: 1
    Layout.alignment: Qt.AlignTop
    error: form.errors[key] ?? ""

    ConsoleTextField {
        id: input

        objectName: formTextField.inputName
        font.family: formTextField.monospace ? Theme.monoFamily : Theme.fontFamily
        rightPadding: action.visible ? action.width + 8 : 10
        invalid: formTextField.error.length > 0
        onTextEdited: formTextField.form.edited(formTextField.key)
        onAccepted: {
            if (formTextField.form.submit)
                formTextField.form.submit();
        }

        ConsoleButton {
            id: action

            visible: formTextField.actionText.length > 0
            anchors.right: parent.right
            anchors.rightMargin: 3
            anchors.verticalCenter: parent.verticalCenter
            compact: true
            variant: "ghost"
            text: formTextField.actionText
            onClicked: formTextField.actionClicked()
        }
    }
}
