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
            for (const spy of [scheduleSpy, rescheduleSpy, cancelSpy, transactionSpy]) {
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

        function test_aSubmissionKeepsItsKeyUntilItsOutcomeArrives() {
            typeInto("ownerId", "owner-001");
            keyClick(Qt.Key_Return);
            compare(scheduleSpy.count, 1);
            const key = scheduleSpy.signalArguments[0][1];
            verify(key.length > 0);
            const submit = findChild(panel, "submitSchedule");
            verify(!submit.enabled, "waits for Ingestion");
            keyClick(Qt.Key_Return);
            compare(scheduleSpy.count, 1, "Enter again while in flight sends nothing");

            panel.deliverySubmitted("schedule", "d-abc");
            panel.actionFinished("schedule", true, "Accepted — scheduling d-abc…", "");
            const result = findChild(panel, "scheduleResult");
            compare(result.text, "Accepted — scheduling d-abc…");
            compare(result.tone, "pending", "accepted is neutral, not success");
            verify(Qt.colorEqual(findChild(result, "outcomeText").color, Theme.text), "neutral");
            verify(submit.enabled);
            keyClick(Qt.Key_Return); // the same submission again: the same key
            compare(scheduleSpy.count, 2);
            compare(scheduleSpy.signalArguments[1][1], key);
            panel.deliverySubmitted("schedule", "d-abc");
            panel.actionFinished("schedule", true, "Accepted — scheduling d-abc…", "");

            panel.deliveryOutcome("schedule", "d-other", "ok", "Scheduled on drone-0001", "");
            compare(result.text, "Accepted — scheduling d-abc…", "another submission's outcome is not this one's");
            panel.deliveryOutcome("schedule", "d-abc", "pending", "Waiting: account service unavailable, retrying", "");
            compare(result.text, "Waiting: account service unavailable, retrying");
            compare(result.tone, "pending");
            panel.deliveryOutcome("schedule", "d-abc", "error", "Failed at Package: package pkg-1 already exists", "d-abc:schedule:3");
            compare(result.tone, "error");
            compare(String(findChild(result, "outcomeText").color), String(Qt.lighter(Theme.failing, 1.2)), "red");
            const link = findChild(result, "outcomeTransaction");
            verify(link.visible);
            mouseClick(link);
            compare(transactionSpy.count, 1);
            compare(transactionSpy.signalArguments[0][0], "d-abc:schedule:3");

            mouseClick(findChild(panel, "ownerId"));
            keyClick(Qt.Key_Return); // after the outcome: a new submission, a new key
            compare(scheduleSpy.count, 3);
            verify(scheduleSpy.signalArguments[2][1] !== key);
        }

        function test_aFailedAcceptRetriesWithItsKeyAndAnEditMakesANewOne() {
            typeInto("ownerId", "owner-001");
            keyClick(Qt.Key_Return);
            const key = scheduleSpy.signalArguments[0][1];
            panel.actionFinished("schedule", false, "overloaded: retry after 1 s", "");
            compare(findChild(panel, "scheduleResult").text, "Schedule failed: overloaded: retry after 1 s");
            compare(findChild(panel, "scheduleResult").tone, "error");
            keyClick(Qt.Key_Return);
            compare(scheduleSpy.signalArguments[1][1], key, "a retry of the same submission");
            panel.actionFinished("schedule", false, "overloaded: retry after 1 s", "");
            typeInto("tag", "books");
            keyClick(Qt.Key_Return);
            compare(scheduleSpy.count, 3);
            verify(scheduleSpy.signalArguments[2][1] !== key, "other content, another submission");
        }

        function test_clearAndNewEmptyTheFormAndItsMessage() {
            typeInto("ownerId", "owner-001");
            keyClick(Qt.Key_Return);
            panel.actionFinished("schedule", true, "Accepted — scheduling d-abc…", "");
            mouseClick(findChild(panel, "clearForm"));
            compare(findChild(panel, "scheduleResult").text, "");
            compare(findChild(panel, "scheduleResult").visible, false);
            typeInto("ownerId", "owner-002");
            panel.startNew();
            compare(findChild(panel, "ownerId").text, "");
            verify(findChild(panel, "ownerId").activeFocus);
        }

        function test_aPlaceBoxShowsWhatItResolvesTo() {
            panel.describePlace = text => text === "West Seattle" ? {
                    "ok": true,
                    "text": "West Seattle · 47.5612, -122.3868"
                } : {
                    "ok": false,
                    "text": "unknown place \"" + text + "\""
                };
            typeInto("dropOffLocation", "West Seattle");
            let box = findChild(panel, "dropOffLocation");
            while (box && box.note === undefined)
                box = box.parent;
            compare(findChild(box, "noteText").text, "West Seattle · 47.5612, -122.3868");
            verify(findChild(box, "noteText").visible);
            keyClick("x");
            compare(findChild(box, "noteText").text, "unknown place \"West Seattlex\"");
            compare(box.noteOk, false);
        }

        function test_aRefusedCancelIsShownAsAFailure() {
            panel.editDelivery("d-pciqbivpsgii");
            const cancel = findChild(panel, "submitCancel");
            mouseClick(cancel);
            mouseClick(cancel);
            compare(cancelSpy.count, 1);
            verify(cancelSpy.signalArguments[0][1].length > 0, "with a key");
            panel.actionFinished("cancel", false, "conflict: d-pciqbivpsgii is Completed", "");
            compare(findChild(panel, "changeResult").text, "Cancel failed: conflict: d-pciqbivpsgii is Completed");
            compare(findChild(panel, "changeResult").tone, "error");
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
        SignalSpy {
            id: transactionSpy

            signalName: "openTransaction"
        }
    }
}
