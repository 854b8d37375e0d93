// The dispatcher's panel: schedule a delivery, or reschedule / cancel one, with per-field validation.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Rectangle {
    id: panel

    /// function(form) → {ok, field, message}: the gateway's rules (Console.validateSchedule in the app).
    property var validate: null
    readonly property alias newForm: newForm
    readonly property alias changeForm: changeForm

    signal submitSchedule(var form)
    signal submitReschedule(string id, var form)
    signal submitCancel(string id)

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

    function startNew() {
        newForm.focusField("ownerId");
    }

    function editDelivery(id: string) {
        changeForm.deliveryId = id;
        changeForm.errors = ({});
        changeForm.resultText = "";
        changeForm.focusField("pickupLocation");
    }

    function scheduleNow() {
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
            newForm.resultOk = false;
            newForm.focusField(key);
            return false;
        }
        newForm.errors = ({});
        newForm.resultText = qsTr("Sending…");
        newForm.resultOk = true;
        newForm.busy = true;
        submitSchedule(request);
        return true;
    }

    function changeNow(cancel: bool) {
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
        changeForm.resultOk = true;
        if (cancel)
            submitCancel(id);
        else
            submitReschedule(id, changeForm.request);
        return true;
    }

    // Console.actionFinished, forwarded by Main: show the outcome next to the form that asked.
    function actionFinished(action: string, ok: bool, message: string, field: string) {
        // Console names its actions "schedule", "reschedule", "cancel".
        const isNew = action === "schedule" || action === "scheduleDelivery";
        const isChange = action === "reschedule" || action === "cancel" || action === "rescheduleDelivery" || action === "cancelDelivery";
        if (!isNew && !isChange)
            return;
        const target = isNew ? newForm : changeForm;
        if (isNew)
            newForm.busy = false;
        const key = formField(field);
        target.errors = ok || key.length === 0 ? ({}) : {
            [key]: message
        };
        target.resultText = ok || key.length === 0 ? message : qsTr("Not accepted: see the field above.");
        target.resultOk = ok;
        if (!ok && key.length > 0)
            target.focusField(key);
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
                    onSubmit: panel.scheduleNow()
                    onEdited: field => panel.clearError(newForm, field)
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
