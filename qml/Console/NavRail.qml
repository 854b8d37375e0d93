// The left navigation rail: one entry per panel, with live badges (active deliveries, awaiting approval).
pragma ComponentBehavior: Bound
import QtQuick

Rectangle {
    id: rail

    property int currentIndex: 0
    /// Badge numbers by entry index; 0 or missing hides a badge.
    property var badges: []
    /// Badge colours by entry index (default: the accent).
    property var badgeColors: []
    readonly property var entries: [{
            "label": qsTr("Map"),
            "icon": "map"
        }, {
            "label": qsTr("Deliveries"),
            "icon": "package"
        }, {
            "label": qsTr("Transactions"),
            "icon": "transactions"
        }, {
            "label": qsTr("Schedule"),
            "icon": "schedule"
        }, {
            "label": qsTr("Services"),
            "icon": "services"
        }, {
            "label": qsTr("Faults"),
            "icon": "faults"
        }, {
            "label": qsTr("Accounts"),
            "icon": "accounts"
        }]

    signal activated(int index)

    implicitWidth: 88
    color: Theme.surface

    Rectangle {
        anchors.right: parent.right
        width: 1
        height: parent.height
        color: Theme.border
    }

    // The product mark, level with the top bar.
    Rectangle {
        x: (rail.width - width) / 2
        y: 12
        width: 36
        height: 36
        radius: 10
        color: Theme.tint(Theme.accent, 0.16)
        border.color: Theme.tint(Theme.accent, 0.5)

        Icon {
            anchors.centerIn: parent
            name: "drone"
            size: 24
            strokeWidth: 1.6
            color: Theme.accentHover
        }
    }

    Column {
        y: 72
        width: parent.width
        spacing: 4

        Repeater {
            model: rail.entries

            Item {
                id: entry

                required property var modelData
                required property int index
                readonly property bool current: rail.currentIndex === index
                readonly property int badge: rail.badges[index] ?? 0

                objectName: "nav_" + modelData.icon
                width: rail.width
                height: 60

                Rectangle {
                    anchors.fill: parent
                    anchors.leftMargin: 8
                    anchors.rightMargin: 8
                    radius: Theme.radiusL
                    color: entry.current ? Theme.surfaceSelected : area.containsMouse ? Theme.surfaceHover : "transparent"
                }
                Rectangle {
                    visible: entry.current
                    x: 0
                    y: 14
                    width: 3
                    height: parent.height - 28
                    radius: 1.5
                    color: Theme.accent
                }
                Icon {
                    id: glyph

                    x: (parent.width - width) / 2
                    y: 10
                    name: entry.modelData.icon
                    size: 22
                    color: entry.current ? Theme.accentHover : Theme.textDim
                }
                Text {
                    anchors.horizontalCenter: parent.horizontalCenter
                    y: 37
                    text: entry.modelData.label
                    color: entry.current ? Theme.textStrong : Theme.textDim
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontCaption
                    font.weight: entry.current ? Font.DemiBold : Font.Normal
                }
                Rectangle {
                    objectName: "badge"
                    visible: entry.badge > 0
                    x: glyph.x + glyph.width - 6
                    y: 4
                    height: 16
                    width: Math.max(16, badgeText.implicitWidth + 8)
                    radius: 8
                    color: rail.badgeColors[entry.index] ?? Theme.accent
                    border.width: 2
                    border.color: Theme.surface

                    Text {
                        id: badgeText

                        anchors.centerIn: parent
                        text: entry.badge >= 1000 ? (entry.badge / 1000).toFixed(entry.badge < 10000 ? 1 : 0) + "k" : entry.badge
                        color: Theme.background
                        font.family: Theme.fontFamily
                        font.pixelSize: 10
                        font.weight: Font.Bold
                    }
                }
                MouseArea {
                    id: area

                    anchors.fill: parent
                    hoverEnabled: true
                    cursorShape: Qt.PointingHandCursor
                    onClicked: rail.activated(entry.index)
                }
            }
        }
    }
}
