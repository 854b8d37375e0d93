// Reschedule or cancel an existing delivery by id (PATCH / DELETE /api/deliveryrequests/{id}).
import QtQuick
import QtQuick.Layouts

Card {
    id: changeForm

    /// field name ("id", "pickupLocation", ...) → message.
    property var errors: ({})
    property string resultText
    /// "pending", "ok", "error" or "".
    property string resultTone
    property string resultTransactionId
    property bool busy: false
    /// The submission's Idempotency-Key ("" = none yet) and what it asked: a repeat of the
    /// same request reuses it, another request (or the outcome arriving) makes a new one.
    property string submissionKey
    property string submissionWhat
    /// The delivery the last accepted change was for.
    property string pendingId
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
    signal openTransaction(string id)

    /// The key for `what` ("cancel" or the reschedule's JSON) of the delivery in the id box.
    function keyFor(what: string): string {
        const asked = deliveryId.trim() + "|" + what;
        if (submissionKey.length === 0 || submissionWhat !== asked) {
            submissionKey = "change-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
            submissionWhat = asked;
        }
        return submissionKey;
    }

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
                enabled: !changeForm.busy
                onClicked: changeForm.reschedule()
            }
            Item {
                Layout.fillWidth: true
            }
            ConsoleButton {
                objectName: "submitCancel"
                variant: "danger"
                iconName: "ban"
                enabled: !changeForm.busy
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
        OutcomeLine {
            objectName: "changeResult"
            Layout.fillWidth: true
            text: changeForm.resultText
            tone: changeForm.resultTone
            transactionId: changeForm.resultTransactionId
            onOpenTransaction: id => changeForm.openTransaction(id)
        }
    }
}
