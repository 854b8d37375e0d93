// The JSON body the new-delivery form sends, as the HTTP API would receive it.
import QtQuick

Card {
    id: preview

    property var request: ({})
    // The API nests the package fields under packageInfo.
    readonly property var body: {
        const body = {};
        const packageInfo = {};
        for (const key of Object.keys(request)) {
            if (["packageId", "size", "weight", "tag"].includes(key))
                packageInfo[key] = request[key];
            else
                body[key] = request[key];
        }
        body.packageInfo = packageInfo;
        return body;
    }

    title: qsTr("Request body")
    subtitle: qsTr("what the form sends")
    implicitHeight: json.implicitHeight + 66

    Text {
        id: json

        width: parent.width
        text: JSON.stringify(preview.body, null, 2)
        color: Theme.textDim
        font.family: Theme.monoFamily
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WrapAnywhere
    }
}
