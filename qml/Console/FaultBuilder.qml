// Builds a fault spec SERVICE[.METHOD]=KIND:PERCENT[:MS] from pickers, or takes one typed freely.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Card {
    id: builder

    property var serviceNames: []
    property string service: serviceNames.length > 0 ? serviceNames[0] : ""
    property string kind: "transient"
    property int percent: 50
    property int delayMs: 300
    readonly property string method: methodField.text.trim()
    readonly property string spec: service + (method.length > 0 ? "." + method : "") + "=" + kind + ":" + percent + (kind === "delay" ? ":" + delayMs : "")
    readonly property var kindHelp: ({
            "transient": qsTr("answers with a retryable error: callers retry, breakers count it"),
            "fatal": qsTr("answers with a non-retryable error: the workflow fails and compensates"),
            "delay": qsTr("answers late by the given milliseconds"),
            "crash": qsTr("the instance drops the request unanswered, as if it died mid-call; callers time out")
        })

    signal addFault(string spec)

    title: qsTr("Build a fault")
    implicitHeight: content.implicitHeight + 66

    component Caption: Text {
        color: Theme.textDim
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        font.weight: Font.DemiBold
    }

    ColumnLayout {
        id: content

        width: parent.width
        spacing: Theme.spacingM

        Caption {
            text: qsTr("Service")
        }
        Flow {
            Layout.fillWidth: true
            spacing: 6

            Repeater {
                model: builder.serviceNames

                FilterChip {
                    required property string modelData

                    objectName: "service_" + modelData
                    text: modelData
                    checked: builder.service === modelData
                    onClicked: builder.service = modelData
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingL

            ColumnLayout {
                Layout.preferredWidth: 1
                Layout.fillWidth: true
                spacing: 5

                Caption {
                    text: qsTr("Method")
                }
                ConsoleTextField {
                    id: methodField

                    objectName: "method"
                    Layout.fillWidth: true
                    placeholderText: qsTr("every method, or e.g. Create")
                }
            }
            ColumnLayout {
                spacing: 5

                Caption {
                    text: qsTr("Kind")
                }
                SegmentedControl {
                    objectName: "kind"
                    options: ["transient", "fatal", "delay", "crash"]
                    value: builder.kind
                    onActivated: picked => builder.kind = picked
                }
            }
        }
        Text {
            Layout.fillWidth: true
            text: builder.kindHelp[builder.kind] ?? ""
            color: builder.kind === "crash" ? Theme.degraded : Theme.textFaint
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingL

            ColumnLayout {
                Layout.fillWidth: true
                Layout.preferredWidth: 2
                Layout.alignment: Qt.AlignTop
                spacing: 2

                Caption {
                    text: qsTr("Share of calls: %1 %").arg(builder.percent)
                }
                Slider {
                    id: percentSlider

                    objectName: "percent"
                    Layout.fillWidth: true
                    from: 0
                    to: 100
                    stepSize: 5
                    value: builder.percent
                    onMoved: builder.percent = Math.round(value)

                    background: Rectangle {
                        x: percentSlider.leftPadding
                        y: percentSlider.topPadding + percentSlider.availableHeight / 2 - height / 2
                        width: percentSlider.availableWidth
                        height: 4
                        radius: 2
                        color: Theme.inputBackground
                        border.color: Theme.border

                        Rectangle {
                            width: percentSlider.visualPosition * parent.width
                            height: parent.height
                            radius: 2
                            color: Theme.accent
                        }
                    }
                    handle: Rectangle {
                        x: percentSlider.leftPadding + percentSlider.visualPosition * (percentSlider.availableWidth - width)
                        y: percentSlider.topPadding + percentSlider.availableHeight / 2 - height / 2
                        width: 16
                        height: 16
                        radius: 8
                        color: percentSlider.pressed ? Theme.accentHover : Theme.textStrong
                        border.width: percentSlider.visualFocus ? 2 : 0
                        border.color: Theme.focus
                    }
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.alignment: Qt.AlignTop
                spacing: 5
                opacity: builder.kind === "delay" ? 1 : 0.35
                enabled: builder.kind === "delay"

                Caption {
                    text: qsTr("Delay (ms)")
                }
                ConsoleTextField {
                    objectName: "delayMs"
                    Layout.fillWidth: true
                    text: builder.delayMs
                    validator: IntValidator {
                        bottom: 1
                        top: 600000
                    }
                    onTextEdited: builder.delayMs = parseInt(text) || 0
                }
            }
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingXs
            implicitHeight: 44
            radius: Theme.radiusM
            color: Theme.inputBackground
            border.color: Theme.border

            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacingM
                anchors.rightMargin: 7
                spacing: Theme.spacingM

                Text {
                    objectName: "specPreview"
                    Layout.fillWidth: true
                    text: builder.spec
                    color: Theme.textStrong
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontTitle
                    elide: Text.ElideRight
                }
                ConsoleButton {
                    objectName: "addBuilt"
                    variant: "primary"
                    iconName: "plus"
                    text: qsTr("Add fault")
                    enabled: builder.service.length > 0 && (builder.kind !== "delay" || builder.delayMs > 0)
                    onClicked: builder.addFault(builder.spec)
                }
            }
        }
        Caption {
            Layout.topMargin: Theme.spacingXs
            text: qsTr("Or type a spec")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            ConsoleTextField {
                id: freeText

                objectName: "freeSpec"
                Layout.fillWidth: true
                font.family: Theme.monoFamily
                placeholderText: "thirdparty.Schedule=delay:25:1500"
                onAccepted: addTyped.clicked()
            }
            ConsoleButton {
                id: addTyped

                objectName: "addTyped"
                text: qsTr("Add")
                enabled: freeText.text.trim().length > 0
                onClicked: {
                    builder.addFault(freeText.text.trim());
                    freeText.text = "";
                }
            }
        }
    }
}
