// Sign in as someone (checked against the users file by Console.signIn): switching role = signing in as another user.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Popup {
    id: dialog

    /// Why the last attempt failed (Console.signInError); "" hides the line.
    property string error
    /// Asks to sign in; the owner calls Console.signIn and closes the dialog on success.
    signal signInRequested(string user, string password)

    modal: true
    focus: true
    x: parent ? (parent.width - width) / 2 : 0
    y: parent ? (parent.height - height) / 3 : 0
    width: 340
    padding: 20
    onOpened: {
        password.text = "";
        user.forceActiveFocus();
    }
    background: Rectangle {
        color: Theme.surface
        border.color: Theme.border
        radius: 8
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 10

        Text {
            text: qsTr("Sign in")
            color: Theme.textStrong
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody + 2
            font.bold: true
        }
        ConsoleTextField {
            id: user

            objectName: "signInUser"
            Layout.fillWidth: true
            placeholderText: qsTr("User")
            onAccepted: password.forceActiveFocus()
        }
        ConsoleTextField {
            id: password

            objectName: "signInPassword"
            Layout.fillWidth: true
            placeholderText: qsTr("Password")
            echoMode: TextInput.Password
            onAccepted: dialog.signInRequested(user.text, password.text)
        }
        Text {
            objectName: "signInError"
            Layout.fillWidth: true
            visible: dialog.error.length > 0
            text: dialog.error
            wrapMode: Text.Wrap
            color: Theme.danger
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            spacing: 8

            ConsoleButton {
                text: qsTr("Cancel")
                variant: "ghost"
                onClicked: dialog.close()
            }
            ConsoleButton {
                objectName: "signInButton"
                text: qsTr("Sign in")
                variant: "primary"
                enabled: user.text.length > 0 && password.text.length > 0
                onClicked: dialog.signInRequested(user.text, password.text)
            }
        }
    }
}
