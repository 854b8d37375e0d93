// The dispatcher's panel: schedule a delivery, or reschedule / cancel one, with per-field validation.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Rectangle {
    id: panel

    /// function(form) → {ok, field, message}: the gateway's rules (Console.validateSchedule in the app).
    property var validate: null
    /// function(text) → {ok, text}: what a location box resolves to (Console.describePlace); null: no preview.
    property var describePlace: null
    readonly property alias newForm: newForm
    readonly property alias changeForm: changeForm

    // `key`: the submission's Idempotency-Key (the same for a repeat of one submission).
    signal submitSchedule(var form, string key)
    signal submitReschedule(string id, var form, string key)
    signal submitCancel(string id, string key)
    signal openTransaction(string id)

    // The gateway names nested fields "packageInfo.size" and accepts "dropoffLocation":
    // map them onto the form's own keys.
    function formField(field: string): string {
        let key = field.startsWith("packageInfo.") ? field.substring(12) : field;
        if (key.toLowerCase() === "dropofflocation")
            key = "dropOffLocation";
        else if (key === "deliveryId")
            key = "id";
        return key;
    }

    function newKey(): string {
        return "form-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
    }

    // Ctrl+N: an empty form for a new delivery.
    function startNew() {
        newForm.clear();
        newForm.focusField("ownerId");
    }

    function editDelivery(id: string) {
        changeForm.deliveryId = id;
        changeForm.errors = ({});
        changeForm.resultText = "";
        changeForm.resultTone = "";
        changeForm.resultTransactionId = "";
        changeForm.pendingId = "";
        changeForm.focusField("pickupLocation");
    }

    function scheduleNow() {
        if (newForm.busy)
            return false; // Ingestion has not answered this one yet: a repeat would change nothing
        const request = newForm.request;
        const check = validate;
        const verdict = typeof check === "function" ? check(request) : {
            "ok": true
        };
        if (!verdict.ok) {
            const key = formField(verdict.field ?? "");
            newForm.errors = {
                [key]: verdict.message
            };
            newForm.resultText = key.length > 0 ? "" : verdict.message;
            newForm.resultTone = "error";
            newForm.resultTransactionId = "";
            newForm.focusField(key);
            return false;
        }
        if (newForm.submissionKey.length === 0)
            newForm.submissionKey = newKey();
        newForm.errors = ({});
        newForm.resultText = qsTr("Sending…");
        newForm.resultTone = "pending";
        newForm.resultTransactionId = "";
        newForm.busy = true;
        submitSchedule(request, newForm.submissionKey);
        return true;
    }

    function changeNow(cancel: bool) {
        if (changeForm.busy)
            return false;
        const id = changeForm.deliveryId.trim();
        if (id.length === 0) {
            changeForm.errors = {
                "id": qsTr("Enter the id of the delivery to change.")
            };
            changeForm.focusField("id");
            return false;
        }
        changeForm.errors = ({});
        changeForm.resultText = qsTr("Sending…");
        changeForm.resultTone = "pending";
        changeForm.resultTransactionId = "";
        changeForm.busy = true;
        if (cancel)
            submitCancel(id, changeForm.keyFor("cancel"));
        else
            submitReschedule(id, changeForm.request, changeForm.keyFor(JSON.stringify(changeForm.request)));
        return true;
    }

    function formOf(action: string) {
        if (action === "schedule" || action === "scheduleDelivery")
            return newForm;
        if (action === "reschedule" || action === "cancel" || action === "rescheduleDelivery" || action === "cancelDelivery")
            return changeForm;
        return null;
    }

    // Console.deliverySubmitted, forwarded by Main: the id whose outcome the form waits for.
    function deliverySubmitted(action: string, id: string) {
        const target = formOf(action);
        if (target)
            target.pendingId = id;
    }

    // Console.actionFinished, forwarded by Main: Ingestion's answer (accepted is not yet done).
    function actionFinished(action: string, ok: bool, message: string, field: string) {
        const target = formOf(action);
        if (!target)
            return;
        target.busy = false;
        const key = formField(field);
        target.errors = ok || key.length === 0 ? ({}) : {
            [key]: message
        };
        target.resultTransactionId = "";
        if (ok) {
            target.resultText = message;
            target.resultTone = "pending";
            return;
        }
        const what = action === "cancel" ? qsTr("Cancel") : action === "reschedule" ? qsTr("Reschedule") : qsTr("Schedule");
        target.resultText = key.length === 0 ? qsTr("%1 failed: %2").arg(what).arg(message) : qsTr("Not accepted: see the field above.");
        target.resultTone = "error";
        if (key.length > 0)
            target.focusField(key);
    }

    // Console.deliveryOutcome, forwarded by Main: what the workflow made of it.
    function deliveryOutcome(action: string, id: string, state: string, message: string, transactionId: string) {
        const target = formOf(action);
        if (!target || target.pendingId !== id)
            return; // another submission's (the status bar has it)
        target.resultText = message;
        target.resultTone = state;
        target.resultTransactionId = transactionId;
        if (state !== "pending") {
            target.pendingId = "";
            target.submissionKey = ""; // the next submission is a new one
        }
    }

    function clearError(form, field: string) {
        if (form.errors[field] === undefined)
            return;
        const next = Object.assign({}, form.errors);
        delete next[field];
        form.errors = next;
    }

    color: Theme.background

    Flickable {
        id: flick

        anchors.fill: parent
        contentHeight: layout.implicitHeight + 2 * Theme.spacingXl
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ConsoleScrollBar {
        }

        ColumnLayout {
            id: layout

            x: Theme.spacingXl
            y: Theme.spacingXl
            // Forms stop growing on wide screens; long inputs are harder to scan.
            width: Math.min(flick.width - 2 * Theme.spacingXl, 1480)
            spacing: Theme.spacingM

            PanelHeader {
                Layout.fillWidth: true
                title: qsTr("Schedule")
                subtitle: qsTr("Ctrl+N starts a new delivery  ·  Enter submits")
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingL

                ScheduleForm {
                    id: newForm

                    objectName: "newForm"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 3
                    Layout.alignment: Qt.AlignTop
                    Layout.preferredHeight: implicitHeight
                    describePlace: panel.describePlace
                    onSubmit: panel.scheduleNow()
                    onEdited: field => panel.clearError(newForm, field)
                    onOpenTransaction: id => panel.openTransaction(id)
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 2
                    Layout.alignment: Qt.AlignTop
                    spacing: Theme.spacingL

                    ChangeDeliveryForm {
                        id: changeForm

                        objectName: "changeForm"
                        Layout.fillWidth: true
                        Layout.preferredHeight: implicitHeight
                        onReschedule: panel.changeNow(false)
                        onCancel: panel.changeNow(true)
                        onEdited: field => panel.clearError(changeForm, field)
                        onOpenTransaction: id => panel.openTransaction(id)
                    }
                    RequestPreview {
                        Layout.fillWidth: true
                        Layout.preferredHeight: implicitHeight
                        request: newForm.request
                    }
                }
            }
        }
    }
}
