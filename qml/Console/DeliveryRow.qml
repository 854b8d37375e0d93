// One row of the deliveries table (a DeliveryListModel row; roles arrive as required properties).
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Rectangle {
    id: row

    required property int index
    required property string deliveryId
    required property string ownerId
    required property int stage
    required property string droneId
    required property string thirdPartyBooking
    required property string pickupLocation
    required property string dropoffLocation
    required property real pickupEta
    required property real deliveryEta
    required property real updatedAt
    required property bool expedited
    required property real pickupTime
    required property string failureStep
    /// Why it is Requested or Failed, in a line ("" for other stages).
    required property string reason
    property var columns
    property real now
    property bool selected: false

    signal clicked

    // Before pickup the pickup ETA matters, after it the delivery ETA.
    readonly property real eta: stage === 1 || stage === 2 || stage === 5 || stage === 8 ? pickupEta : stage === 3 ? deliveryEta : 0
    // A pickup booked for later reads as that time, not as a countdown.
    readonly property bool pickupLater: (stage === 1 || stage === 8) && pickupTime > now + 60000
    readonly property bool failed: stage === 7

    objectName: "deliveryRow"
    height: Theme.rowHeight
    color: selected ? Theme.surfaceSelected : area.containsMouse ? Theme.surfaceHover : index % 2 ? Theme.tint(Theme.surfaceRaised, 0.45) : "transparent"

    Rectangle {
        visible: row.selected
        width: 3
        height: parent.height
        color: Theme.accent
    }

    RowLayout {
        x: Theme.spacingL
        width: parent.width - 2 * Theme.spacingL
        height: parent.height
        spacing: Theme.spacingM

        Row {
            Layout.preferredWidth: row.columns.id
            Layout.alignment: Qt.AlignVCenter
            spacing: 6
            clip: true

            Text {
                text: row.deliveryId
                color: Theme.textStrong
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
            }
            Icon {
                visible: row.expedited
                anchors.verticalCenter: parent.verticalCenter
                name: "faults"
                size: 13
                color: Theme.degraded
            }
        }
        Text {
            Layout.preferredWidth: row.columns.owner
            text: row.ownerId
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            elide: Text.ElideRight
        }
        Item {
            Layout.preferredWidth: row.columns.stage
            Layout.fillHeight: true

            Chip {
                anchors.verticalCenter: parent.verticalCenter
                width: Math.min(implicitWidth, parent.width)
                text: Theme.stageName(row.stage)
                tone: Theme.stageColor(row.stage)
            }
        }
        Text {
            Layout.preferredWidth: row.columns.carrier
            text: row.thirdPartyBooking.length > 0 ? qsTr("3rd party · %1").arg(row.thirdPartyBooking) : row.droneId.length > 0 ? row.droneId : row.failed ? qsTr("at %1").arg(row.failureStep || qsTr("?")) : row.stage === 8 ? qsTr("scheduling…") : "—"
            color: row.thirdPartyBooking.length > 0 ? Theme.droneReturning : row.droneId.length > 0 ? Theme.text : row.failed ? Qt.lighter(Theme.failing, 1.2) : Theme.textDim
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }
        Text {
            objectName: "routeText"
            Layout.fillWidth: true
            // A Requested or Failed row says why instead: that is what a dispatcher needs from it.
            text: row.reason.length > 0 ? row.reason : row.pickupLocation + "  →  " + row.dropoffLocation
            color: row.failed ? Qt.lighter(Theme.failing, 1.25) : Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideMiddle
        }
        Text {
            Layout.preferredWidth: row.columns.eta
            text: row.pickupLater ? qsTr("pickup %1").arg(Theme.shortTime(row.pickupTime)) : row.eta > 0 ? Theme.relative(row.eta, row.now) : "—"
            color: !row.pickupLater && row.eta > 0 && row.eta < row.now ? Theme.degraded : Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        Text {
            Layout.preferredWidth: row.columns.updated
            horizontalAlignment: Text.AlignRight
            text: Theme.relative(row.updatedAt, row.now)
            color: Theme.textDim
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.tint(Theme.border, 0.6)
    }
    MouseArea {
        id: area

        anchors.fill: parent
        hoverEnabled: true
        cursorShape: Qt.PointingHandCursor
        onClicked: row.clicked()
    }
    ToolTip {
        visible: area.containsMouse && row.reason.length > 0
        delay: 500
        text: row.reason + "\n" + row.pickupLocation + "  →  " + row.dropoffLocation
    }
}
