// The new-delivery form: the HTTP API's request fields, with a validation message under the field at fault.
import QtQuick
import QtQuick.Layouts

Card {
    id: scheduleForm

    /// field name (the form keys, e.g. "ownerId", "weight") → message.
    property var errors: ({})
    // The form as the API's flat keys: empty texts are left out (the API's defaults apply).
    readonly property var request: {
        const f = {};
        for (const key of ["ownerId", "pickupLocation", "dropOffLocation", "pickupTime", "deadline", "packageId", "tag"]) {
            const text = inputs[key].text.trim();
            if (text.length > 0)
                f[key] = text;
        }
        f.expedited = expedited.checked;
        f.confirmationRequired = confirmation.value;
        f.size = size.value;
        const w = weight.text.trim();
        if (w.length > 0)
            f.weight = isNaN(Number(w)) ? w : Number(w);
        return f;
    }
    property string resultText
    /// "pending" (accepted, the outcome not in yet), "ok", "error" or "".
    property string resultTone
    property string resultTransactionId
    /// Ingestion has not answered this submission yet: the button waits.
    property bool busy: false
    /// This submission's Idempotency-Key: the same for every repeat of it (a double-click,
    /// Enter again), a new one once its outcome is in or the form changed. "" = none yet.
    property string submissionKey
    /// The delivery the last accepted submission made (its outcome goes under the form).
    property string pendingId
    /// function(text) → {ok, text}: what a location box resolves to; null: no preview.
    property var describePlace: null

    signal submit
    /// Any input changed (clears that field's message).
    signal edited(string field)
    signal openTransaction(string id)

    function placeNote(text: string): var {
        if (typeof describePlace !== "function" || text.trim().length === 0)
            return {
                "ok": true,
                "text": ""
            };
        return describePlace(text);
    }

    // Other content is another submission: a new key.
    onRequestChanged: submissionKey = ""

    function focusField(field: string) {
        const input = inputs[field];
        if (input)
            input.field.forceActiveFocus();
    }

    function clear() {
        for (const key of Object.keys(inputs))
            inputs[key].text = "";
        expedited.checked = false;
        confirmation.value = "None";
        size.value = "Small";
        errors = ({});
        resultText = "";
        resultTone = "";
        resultTransactionId = "";
        submissionKey = "";
        pendingId = "";
        busy = false;
    }

    readonly property var inputs: ({
            "ownerId": owner,
            "pickupLocation": pickup,
            "dropOffLocation": dropoff,
            "pickupTime": pickupTime,
            "deadline": deadline,
            "packageId": packageId,
            "weight": weight,
            "tag": tag
        })

    title: qsTr("New delivery")
    subtitle: qsTr("goes through Ingestion, like POST /api/deliveryrequests")
    implicitHeight: content.implicitHeight + 66

    ColumnLayout {
        id: content

        width: parent.width
        spacing: Theme.spacingM

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingL

            FormTextField {
                id: owner

                label: qsTr("Owner id")
                required: true
                form: scheduleForm
                key: "ownerId"
                placeholderText: "owner-001"
            }
            FormTextField {
                id: packageId

                label: qsTr("Package id")
                hint: qsTr("default: the delivery id")
                form: scheduleForm
                key: "packageId"
                placeholderText: "pkg-1"
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingL

            FormTextField {
                id: pickup

                label: qsTr("Pickup location")
                hint: qsTr("place or lat,lon")
                form: scheduleForm
                key: "pickupLocation"
                iconName: "pin"
                placeholderText: "47.61,-122.33"
                readonly property var place: scheduleForm.placeNote(text)
                note: place.text
                noteOk: place.ok
            }
            FormTextField {
                id: dropoff

                label: qsTr("Drop-off location")
                hint: qsTr("place or lat,lon")
                form: scheduleForm
                key: "dropOffLocation"
                iconName: "pin"
                placeholderText: "Pike Place Market"
                readonly property var place: scheduleForm.placeNote(text)
                note: place.text
                noteOk: place.ok
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingL

            FormTextField {
                id: pickupTime

                label: qsTr("Pickup time")
                hint: qsTr("ISO 8601")
                form: scheduleForm
                key: "pickupTime"
                iconName: "clock"
                placeholderText: "2026-11-26T10:00:00Z"
                actionText: qsTr("+15 min")
                onActionClicked: {
                    pickupTime.text = new Date(Date.now() + 15 * 60000).toISOString().replace(/\.\d+Z$/, "Z");
                    scheduleForm.edited("pickupTime");
                }
            }
            FormTextField {
                id: deadline

                label: qsTr("Deadline")
                hint: qsTr("free text")
                form: scheduleForm
                key: "deadline"
                placeholderText: qsTr("e.g. before noon")
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingL

            FormField {
                Layout.fillWidth: false
                Layout.alignment: Qt.AlignTop
                label: qsTr("Confirmation")
                stretch: false
                error: scheduleForm.errors.confirmationRequired ?? ""

                SegmentedControl {
                    id: confirmation

                    objectName: "confirmationRequired"
                    options: [{
                            "value": "None",
                            "label": qsTr("None")
                        }, {
                            "value": "FingerPrint",
                            "label": qsTr("Fingerprint")
                        }, {
                            "value": "Picture",
                            "label": qsTr("Picture")
                        }, {
                            "value": "Voice",
                            "label": qsTr("Voice")
                        }]
                    value: "None"
                    onActivated: scheduleForm.edited("confirmationRequired")
                }
            }
            FormField {
                Layout.fillWidth: false
                Layout.alignment: Qt.AlignTop
                label: qsTr("Priority")
                stretch: false
                error: scheduleForm.errors.expedited ?? ""

                ConsoleCheckBox {
                    id: expedited

                    objectName: "expedited"
                    height: Theme.controlHeight
                    text: qsTr("Expedited")
                    onToggled: scheduleForm.edited("expedited")
                }
            }
            Item {
                Layout.fillWidth: true
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingL

            FormField {
                Layout.fillWidth: false
                Layout.alignment: Qt.AlignTop
                label: qsTr("Size")
                stretch: false
                error: scheduleForm.errors.size ?? ""

                SegmentedControl {
                    id: size

                    objectName: "size"
                    options: ["Small", "Medium", "Large"]
                    value: "Small"
                    onActivated: scheduleForm.edited("size")
                }
            }
            FormTextField {
                id: weight

                label: qsTr("Weight")
                hint: qsTr("kg")
                form: scheduleForm
                key: "weight"
                placeholderText: "1.5"
            }
            FormTextField {
                id: tag

                label: qsTr("Tag")
                form: scheduleForm
                key: "tag"
                placeholderText: qsTr("books")
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM

            ConsoleButton {
                objectName: "submitSchedule"
                variant: "primary"
                iconName: "plus"
                text: scheduleForm.busy ? qsTr("Sending…") : qsTr("Schedule delivery")
                enabled: !scheduleForm.busy
                onClicked: scheduleForm.submit()
            }
            ConsoleButton {
                objectName: "clearForm"
                variant: "ghost"
                text: qsTr("Clear")
                onClicked: scheduleForm.clear()
            }
            Item {
                Layout.fillWidth: true
            }
        }
        OutcomeLine {
            objectName: "scheduleResult"
            Layout.fillWidth: true
            text: scheduleForm.resultText
            tone: scheduleForm.resultTone
            transactionId: scheduleForm.resultTransactionId
            onOpenTransaction: id => scheduleForm.openTransaction(id)
        }
    }
}
