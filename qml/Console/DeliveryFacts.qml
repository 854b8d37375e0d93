// A delivery's facts in three columns: who, what, where, and when (ETAs relative to now).
import QtQuick
import QtQuick.Layouts

GridLayout {
    id: facts

    /// DeliveryListModel row by role name.
    property var delivery: null
    property real now: Date.now()

    component Fact: Column {
        id: fact

        property string label
        property string value
        property bool mono: false

        spacing: 2
        Layout.fillWidth: true
        Layout.preferredWidth: 1

        Text {
            text: fact.label
            color: Theme.textFaint
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCaption
            font.weight: Font.DemiBold
            font.letterSpacing: 0.6
        }
        Text {
            width: fact.width
            text: fact.value.length > 0 ? fact.value : "—"
            color: Theme.text
            font.family: fact.mono ? Theme.monoFamily : Theme.fontFamily
            font.pixelSize: Theme.fontBody
            elide: Text.ElideRight
        }
    }

    columns: 3
    rowSpacing: Theme.spacingM
    columnSpacing: Theme.spacingL

    Fact {
        label: qsTr("OWNER")
        value: facts.delivery?.ownerId ?? ""
    }
    Fact {
        label: facts.delivery?.thirdPartyBooking ? qsTr("THIRD PARTY") : qsTr("DRONE")
        value: facts.delivery ? (facts.delivery.thirdPartyBooking || facts.delivery.droneId) : ""
        mono: true
    }
    Fact {
        label: qsTr("PACKAGE")
        value: facts.delivery?.packageId ?? ""
        mono: true
    }
    Fact {
        label: qsTr("PICKUP")
        value: facts.delivery?.pickupLocation ?? ""
    }
    Fact {
        label: qsTr("DROPOFF")
        value: facts.delivery?.dropoffLocation ?? ""
    }
    Fact {
        label: qsTr("CREATED")
        value: Theme.dateTime(facts.delivery?.createdAt ?? 0)
    }
    Fact {
        label: qsTr("PICKUP ETA")
        value: facts.delivery && facts.delivery.pickupEta > 0 ? Theme.clockTime(facts.delivery.pickupEta) + "  (" + Theme.relative(facts.delivery.pickupEta, facts.now) + ")" : ""
    }
    Fact {
        label: qsTr("DELIVERY ETA")
        value: facts.delivery && facts.delivery.deliveryEta > 0 ? Theme.clockTime(facts.delivery.deliveryEta) + "  (" + Theme.relative(facts.delivery.deliveryEta, facts.now) + ")" : ""
    }
    Fact {
        label: qsTr("UPDATED")
        value: Theme.relative(facts.delivery?.updatedAt ?? 0, facts.now)
    }
    Fact {
        objectName: "pickupTimeFact"
        label: qsTr("PICKUP TIME")
        value: {
            const at = facts.delivery?.pickupTime ?? 0;
            if (!facts.delivery)
                return "";
            return at > facts.now ? qsTr("pickup at %1  (%2)").arg(Theme.shortTime(at)).arg(Theme.relative(at, facts.now)) : at > 0 ? Theme.dateTime(at) : qsTr("as soon as possible");
        }
    }
}
