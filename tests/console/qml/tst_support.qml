// The harness itself: QML warnings are collected, so the "no warnings" checks of the panel tests can fail.
import QtQuick
import QtTest
import DroneConsole.Tests

Item {
    id: root

    Component {
        id: broken

        Item {
            property var source: null
            property int value: source.value
        }
    }

    TestCase {
        // A binding error while an object is created: reported at once when no other creation
        // is in progress, which is why every TestCase here waits for windowShown.
        function test_warningsAreCollected() {
            PanelTestSupport.takeWarnings();
            ignoreWarning(new RegExp(".*TypeError: Cannot read property 'value' of null"));
            verify(createTemporaryObject(broken, root));
            const warnings = PanelTestSupport.takeWarnings();
            compare(warnings.length, 1);
            verify(warnings[0].indexOf("Cannot read property 'value' of null") >= 0, warnings[0]);
            compare(PanelTestSupport.takeWarnings(), []);
        }

        name: "PanelTestSupport"
        when: windowShown
    }
}
