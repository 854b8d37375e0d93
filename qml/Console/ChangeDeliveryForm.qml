// Reschedule or cancel an existing delivery by id (PATCH / DELETE /api/deliveryrequests/{id}).
import QtQuick
import QtQuick.Layouts

Card {
    id: changeForm

    /// field name ("id", "pickupLocation", ...) → message.
    property var errors: ({})
    property string resultText
    property bool resultOk: true
    property bool confirmingCancel: false
    property alias deliveryId: idField.text
    readonly property var request: {
        const f = {};
        const put = (key, value) => {
            const text = value.trim();
            if (text.length > 0)
                f[key] = text;
        };
        put("pickupLocation", pickup.text);
        put("dropOffLocation", dropoff.text);
        put("pickupTime", pickupTime.text);
        put("deadline", deadline.text);
        return f;
    }

    signal reschedule
    signal cancel
    signal edited(string field)

    function focusField(field: string) {
        const input = ({
                "id": idField,
                "pickupLocation": pickup,
                "dropOffLocation": dropoff,
                "pickupTime": pickupTime,
                "deadline": deadline
            })[field];
        if (input)
            input.field.forceActiveFocus();
    }

    title: qsTr("Change a delivery")
    subtitle: qsTr("reschedule or cancel by id")
    implicitHeight: content.implicitHeight + 66
    onDeliveryIdChanged: confirmingCancel = false

    ColumnLayout {
        id: content

        width: parent.width
        spacing: Theme.spacingM

        FormTextField {
            id: idField

            label: qsTr("Delivery id")
            required: true
            form: changeForm
            key: "id"
            inputName: "changeId"
            placeholderText: "d-pciqbivpsgii"
            monospace: true
        }
        FormTextField {
            id: pickup

            label: qsTr("New pickup location")
            form: changeForm
            key: "pickupLocation"
            inputName: "changePickupLocation"
            iconName: "pin"
            placeholderText: qsTr("unchanged")
        }
        FormTextField {
            id: dropoff

            label: qsTr("New drop-off location")
            form: changeForm
            key: "dropOffLocation"
            inputName: "changeDropOffLocation"
            iconName: "pin"
            placeholderText: qsTr("unchanged")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM

            FormTextField {
                id: pickupTime

                label: qsTr("New pickup time")
                form: changeForm
                key: "pickupTime"
                inputName: "changePickupTime"
                iconName: "clock"
                placeholderText: qsTr("unchanged")
            }
            FormTextField {
                id: deadline

                label: qsTr("New deadline")
                form: changeForm
                key: "deadline"
                inputName: "changeDeadline"
                placeholderText: qsTr("unchanged")
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingXs
            spacing: Theme.spacingS

            ConsoleButton {
                objectName: "submitReschedule"
                text: qsTr("Reschedule")
                iconName: "schedule"
                onClicked: changeForm.reschedule()
            }
            Item {
                Layout.fillWidth: true
            }
            ConsoleButton {
                objectName: "submitCancel"
                variant: "danger"
                iconName: "ban"
                text: changeForm.confirmingCancel ? qsTr("Confirm cancel") : qsTr("Cancel delivery")
                onClicked: {
                    if (!changeForm.confirmingCancel && changeForm.deliveryId.trim().length > 0) {
                        changeForm.confirmingCancel = true;
                        return;
                    }
                    changeForm.confirmingCancel = false;
                    changeForm.cancel();
                }
            }
        }
        Text {
            objectName: "changeResult"
            visible: text.length > 0
            Layout.fillWidth: true
            text: changeForm.resultText
            color: changeForm.resultOk ? Theme.healthy : Qt.lighter(Theme.failing, 1.2)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            wrapMode: Text.Wrap
        }
    }
}
