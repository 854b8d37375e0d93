// SchedulePanel: the form's request, validation messages under the field at fault, reschedule and cancel.
import QtQuick
import QtTest
import DroneConsole
import DroneConsole.Tests

Rectangle {
    id: root

    width: 1280
    height: 800
    color: Theme.background

    // The gateway's rules in miniature, in the shape Console.validateSchedule answers.
    function validateLikeTheGateway(form) {
        if (!form.ownerId)
            return {
                "ok": false,
                "field": "ownerId",
                "message": "ownerId is required"
            };
        if (form.weight !== undefined && typeof form.weight !== "number")
            return {
                "ok": false,
                "field": "weight",
                "message": "weight must be a number, not \"" + form.weight + "\""
            };
        return {
            "ok": true,
            "field": "",
            "message": ""
        };
    }

    Component {
        id: panelComponent

        SchedulePanel {
            anchors.fill: parent
            validate: form => root.validateLikeTheGateway(form)
        }
    }

    TestCase {
        id: test

        property var panel: null

        function typeInto(name, text) {
            const field = findChild(panel, name);
            mouseClick(field);
            for (const ch of text)
                keyClick(ch);
            return field;
        }

        // The FormField around an input: its message row shows the validation text.
        function messageOf(name) {
            let item = findChild(panel, name);
            while (item && item.error === undefined)
                item = item.parent;
            return item && findChild(item, "errorRow").visible ? findChild(item, "errorText").text : "";
        }

        function init() {
            panel = createTemporaryObject(panelComponent, root);
            verify(panel);
            for (const spy of [scheduleSpy, rescheduleSpy, cancelSpy]) {
                spy.target = panel;
                spy.clear();
            }
            waitForRendering(panel);
        }

        function cleanup() {
            wait(0);
            compare(PanelTestSupport.takeWarnings(), [], "no QML warnings");
        }

        function test_a_preview() {
            typeInto("ownerId", "owner-001");
            typeInto("pickupLocation", "47.61,-122.33");
            typeInto("dropOffLocation", "Pike Place Market");
            typeInto("weight", "heavy");
            mouseClick(findChild(panel, "submitSchedule"));
            panel.editDelivery("d-pciqbivpsgii");
            waitForRendering(panel);
            PanelTestSupport.savePreview(panel, "schedule");
        }

        function test_missingOwnerIsShownUnderTheOwnerField() {
            mouseClick(findChild(panel, "submitSchedule"));
            compare(scheduleSpy.count, 0);
            compare(messageOf("ownerId"), "ownerId is required");
            compare(messageOf("weight"), "");
            verify(findChild(panel, "ownerId").activeFocus, "the field at fault takes the focus");
            verify(findChild(panel, "ownerId").invalid);
            // Typing in the field clears its message.
            keyClick("o");
            compare(messageOf("ownerId"), "");
        }

        function test_badWeightIsShownUnderTheWeightField() {
            typeInto("ownerId", "owner-001");
            typeInto("weight", "heavy");
            keyClick(Qt.Key_Return);
            compare(scheduleSpy.count, 0);
            compare(messageOf("weight"), "weight must be a number, not \"heavy\"");
            compare(messageOf("ownerId"), "");
        }

        function test_validFormIsSubmittedWithTheApiKeys() {
            typeInto("ownerId", "owner-001");
            typeInto("pickupLocation", "47.61,-122.33");
            typeInto("dropOffLocation", "Pike Place Market");
            typeInto("packageId", "pkg-1");
            typeInto("weight", "2.5");
            mouseClick(findChild(panel, "expedited"));
            mouseClick(findChild(findChild(panel, "size"), "option_Large"));
            mouseClick(findChild(findChild(panel, "confirmationRequired"), "option_FingerPrint"));
            mouseClick(findChild(panel, "submitSchedule"));
            compare(scheduleSpy.count, 1);
            compare(scheduleSpy.signalArguments[0][0], {
                    "ownerId": "owner-001",
                    "pickupLocation": "47.61,-122.33",
                    "dropOffLocation": "Pike Place Market",
                    "expedited": true,
                    "confirmationRequired": "FingerPrint",
                    "packageId": "pkg-1",
                    "size": "Large",
                    "weight": 2.5
                });
        }

        function test_backendFieldErrorsLandOnTheirField() {
            typeInto("ownerId", "owner-001");
            mouseClick(findChild(panel, "submitSchedule"));
            compare(scheduleSpy.count, 1);
            // The gateway's nested name for the size, as Console may report it.
            panel.actionFinished("schedule", false, "size must be one of Small, Medium, Large", "packageInfo.size");
            compare(messageOf("size"), "size must be one of Small, Medium, Large");
            panel.actionFinished("schedule", true, "accepted d-pciqbivpsgii", "");
            compare(messageOf("size"), "");
            compare(findChild(panel, "scheduleResult").text, "accepted d-pciqbivpsgii");
        }

        function test_rescheduleNeedsAnIdThenSendsTheChanges() {
            mouseClick(findChild(panel, "submitReschedule"));
            compare(rescheduleSpy.count, 0);
            compare(messageOf("changeId"), "Enter the id of the delivery to change.");
            panel.editDelivery("d-pciqbivpsgii");
            compare(findChild(panel, "changeId").text, "d-pciqbivpsgii");
            compare(messageOf("changeId"), "");
            typeInto("changeDropOffLocation", "Space Needle");
            mouseClick(findChild(panel, "submitReschedule"));
            compare(rescheduleSpy.count, 1);
            compare(rescheduleSpy.signalArguments[0][0], "d-pciqbivpsgii");
            compare(rescheduleSpy.signalArguments[0][1], {
                    "dropOffLocation": "Space Needle"
                });
            panel.actionFinished("reschedule", false, "\"x y\" is not a delivery id", "deliveryId");
            compare(messageOf("changeId"), "\"x y\" is not a delivery id");
        }

        function test_cancelAsksForConfirmation() {
            panel.editDelivery("d-pciqbivpsgii");
            const cancel = findChild(panel, "submitCancel");
            mouseClick(cancel);
            compare(cancelSpy.count, 0);
            compare(cancel.text, "Confirm cancel");
            mouseClick(cancel);
            compare(cancelSpy.count, 1);
            compare(cancelSpy.signalArguments[0][0], "d-pciqbivpsgii");
        }

        name: "SchedulePanel"
        when: windowShown

        SignalSpy {
            id: scheduleSpy

            signalName: "submitSchedule"
        }
        SignalSpy {
            id: rescheduleSpy

            signalName: "submitReschedule"
        }
        SignalSpy {
            id: cancelSpy

            signalName: "submitCancel"
        }
    }
}
