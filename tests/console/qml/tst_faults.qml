// FaultsPanel: the builder writes SERVICE[.METHOD]=KIND:PERCENT[:MS], presets and free text add rules, clear all.
import QtQuick
import QtTest
import DroneConsole
import DroneConsole.Tests

Rectangle {
    id: root

    width: 1280
    height: 800
    color: Theme.background

    SampleData {
        id: sample
    }
    ListModel {
        id: noRules
    }

    Component {
        id: panelComponent

        FaultsPanel {
            anchors.fill: parent
            faults: sample.faults
        }
    }

    TestCase {
        id: test

        property var panel: null

        function typeInto(name, text) {
            mouseClick(findChild(panel, name));
            for (const ch of text)
                keyClick(ch);
        }

        function spec() {
            return findChild(panel, "specPreview").text;
        }

        function init() {
            panel = createTemporaryObject(panelComponent, root);
            verify(panel);
            for (const spy of [addSpy, clearSpy]) {
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
            PanelTestSupport.savePreview(panel, "faults");
        }

        function test_builderWritesTheSpecGrammar() {
            compare(spec(), "account=transient:50");
            mouseClick(findChild(panel, "service_drone"));
            mouseClick(findChild(findChild(panel, "kind"), "option_delay"));
            compare(spec(), "drone=delay:50:300");
            typeInto("method", "Schedule");
            compare(spec(), "drone.Schedule=delay:50:300");
            mouseClick(findChild(findChild(panel, "kind"), "option_fatal"));
            compare(spec(), "drone.Schedule=fatal:50", "only delays carry milliseconds");
            const slider = findChild(panel, "percent");
            mouseClick(slider, slider.width - 2, slider.height / 2);
            compare(spec(), "drone.Schedule=fatal:100");
            mouseClick(findChild(panel, "addBuilt"));
            compare(addSpy.count, 1);
            compare(addSpy.signalArguments[0][0], "drone.Schedule=fatal:100");
        }

        function test_delayMillisecondsAreEditable() {
            mouseClick(findChild(findChild(panel, "kind"), "option_delay"));
            const ms = findChild(panel, "delayMs");
            mouseDoubleClickSequence(ms);
            keyClick(Qt.Key_A, Qt.ControlModifier);
            for (const ch of "1500")
                keyClick(ch);
            compare(spec(), "account=delay:50:1500");
        }

        function test_presetsAddTheirSpec() {
            mouseClick(findChild(panel, "preset_delivery.Create=fatal:100"));
            mouseClick(findChild(panel, "preset_package=transient:50"));
            mouseClick(findChild(panel, "preset_drone=delay:100:300"));
            compare(addSpy.count, 3);
            compare(addSpy.signalArguments.map(args => args[0]), ["delivery.Create=fatal:100", "package=transient:50", "drone=delay:100:300"]);
        }

        function test_freeTextIsAddedAsTyped() {
            typeInto("freeSpec", "thirdparty=transient:25");
            keyClick(Qt.Key_Return);
            compare(addSpy.count, 1);
            compare(addSpy.signalArguments[0][0], "thirdparty=transient:25");
            compare(findChild(panel, "freeSpec").text, "", "the field is ready for the next one");
        }

        function test_activeRulesAndClearAll() {
            compare(findChild(panel, "rules").count, sample.faults.count);
            mouseClick(findChild(panel, "clearAll"));
            compare(clearSpy.count, 1);
            panel.faults = noRules;
            compare(findChild(panel, "rules").count, 0);
            verify(!findChild(panel, "clearAll").enabled, "nothing to clear");
        }

        name: "FaultsPanel"
        when: windowShown

        SignalSpy {
            id: addSpy

            signalName: "addFault"
        }
        SignalSpy {
            id: clearSpy

            signalName: "clearFaults"
        }
    }
}
