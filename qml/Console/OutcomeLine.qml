// A request's outcome under a form: pending (neutral, with a spinner dot), succeeded (green) or failed (red, with its transaction).
import QtQuick
import QtQuick.Layouts

RowLayout {
    id: line

    property string text
    /// "pending", "ok", "error" or "" (nothing to say).
    property string tone
    /// The failed workflow's transaction; a link to it when set.
    property string transactionId

    signal openTransaction(string id)

    visible: text.length > 0
    spacing: Theme.spacingS

    Rectangle {
        id: dot

        Layout.alignment: Qt.AlignTop
        Layout.topMargin: 5
        width: 8
        height: 8
        radius: 4
        color: line.tone === "ok" ? Theme.healthy : line.tone === "error" ? Theme.failing : Theme.accent

        // Pending pulses: something is still on its way.
        SequentialAnimation {
            running: line.tone === "pending" && line.visible
            loops: Animation.Infinite
            onStopped: dot.opacity = 1

            NumberAnimation {
                target: dot
                property: "opacity"
                to: 0.25
                duration: 600
            }
            NumberAnimation {
                target: dot
                property: "opacity"
                to: 1
                duration: 600
            }
        }
    }
    Text {
        objectName: "outcomeText"
        // As wide as its words (the link follows them), at most the row.
        Layout.fillWidth: true
        Layout.maximumWidth: implicitWidth
        text: line.text
        color: Theme.outcomeColor(line.tone)
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        wrapMode: Text.Wrap
        maximumLineCount: 3
        elide: Text.ElideRight
    }
    Text {
        objectName: "outcomeTransaction"
        visible: line.transactionId.length > 0
        Layout.alignment: Qt.AlignTop
        text: qsTr("View transaction")
        color: linkArea.containsMouse ? Theme.accentHover : Theme.accent
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        font.underline: true

        MouseArea {
            id: linkArea

            anchors.fill: parent
            hoverEnabled: true
            cursorShape: Qt.PointingHandCursor
            onClicked: line.openTransaction(line.transactionId)
        }
    }
    Item {
        Layout.fillWidth: true
    }
}
