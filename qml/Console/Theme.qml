// The console's look in one place: colours, state colours and names, spacing, radii, fonts, formatting.
pragma Singleton
import QtQuick
import DroneConsole.FleetMap

QtObject {
    // Ground and surfaces: the map's navy ground, with each raised layer a step lighter,
    // so structure reads from tone and the saturated hues are left to mean state.
    readonly property color background: FleetPalette.background
    readonly property color surface: "#0e1620"
    readonly property color surfaceRaised: "#131d29"
    readonly property color surfaceHover: "#182535"
    readonly property color surfaceSelected: "#15304f"
    readonly property color inputBackground: "#0b131c"
    readonly property color border: "#1d2b3a"
    readonly property color borderStrong: FleetPalette.rangeRing
    readonly property color text: FleetPalette.text
    readonly property color textStrong: "#eef3f8"
    readonly property color textDim: "#8193a6"
    readonly property color textFaint: FleetPalette.textDim
    readonly property color accent: "#4c8dff"
    readonly property color accentHover: "#6aa1ff"
    readonly property color textOnAccent: "#ffffff"
    readonly property color focus: "#6aa1ff"
    readonly property color danger: "#ff4d4f"
    readonly property color scrim: "#99060a10"

    // Health of services and routes (DESIGN §5: degraded above 0.1 % errors, failing above 10 %).
    readonly property color healthy: "#3ddc84"
    readonly property color degraded: "#ffb020"
    readonly property color failing: "#ff4d4f"
    readonly property color idle: "#6e8093"

    // Drone states: exactly the map's colours.
    readonly property color droneIdle: FleetPalette.idle
    readonly property color droneFlyingToPickup: FleetPalette.flyingToPickup
    readonly property color droneFlyingToDropoff: FleetPalette.flyingToDropoff
    readonly property color droneReturning: FleetPalette.returning
    readonly property color droneCharging: FleetPalette.charging
    readonly property color droneMaintenance: FleetPalette.maintenance

    // Delivery stages (dronedelivery.v1.DeliveryStage), indexed by value; the two legs
    // match the drone colours of the same leg, so map and table agree.
    readonly property var stageColors: ["#9e9e9e", "#8aa4ff", FleetPalette.flyingToPickup, FleetPalette.flyingToDropoff, "#5fb8a8", "#b48cff", "#6e8093", "#ff4d4f", "#c9d3de"]
    readonly property var stageNames: [qsTr("Unknown"), qsTr("Created"), qsTr("To pickup"), qsTr("To dropoff"), qsTr("Completed"), qsTr("Rescheduled"), qsTr("Cancelled"), qsTr("Failed"), qsTr("Requested")]
    // The stage filter's order: the life of a delivery, then its ends (8 = Requested).
    readonly property var stageOrder: [8, 1, 2, 3, 5, 4, 6, 7]
    // Stages nothing more can happen to: no reschedule, no cancel.
    function isFinalStage(stage: int): bool {
        return stage === 4 || stage === 6 || stage === 7;
    }
    // Outcome tones ("ok", "error", "pending") as text colours.
    function outcomeColor(tone: string): color {
        return tone === "ok" ? healthy : tone === "error" ? Qt.lighter(failing, 1.2) : text;
    }

    // Failed transactions (dronedelivery.v1.TransactionState) and their compensation steps.
    readonly property var transactionColors: ["#9e9e9e", "#4c8dff", "#ffb020", "#3ddc84", "#ff4d4f", "#6e8093", "#b48cff"]
    readonly property var transactionNames: [qsTr("Unknown"), qsTr("Compensating"), qsTr("Awaiting approval"), qsTr("Compensated"), qsTr("Escalated"), qsTr("Rejected"), qsTr("Retried")]
    readonly property var compensationColors: ["#9e9e9e", "#8193a6", "#ffb020", "#4c8dff", "#3ddc84", "#ff7a45", "#ff4d4f", "#6e8093", "#4a5a6b"]
    readonly property var compensationNames: [qsTr("Unknown"), qsTr("Pending"), qsTr("Awaiting approval"), qsTr("Running"), qsTr("Done"), qsTr("Failed"), qsTr("Escalated"), qsTr("Rejected"), qsTr("Skipped")]
    readonly property var stepNames: ["", "Account", "Package", "Drone", "ThirdParty", "Delivery", "Done"]

    // Spacing on a 4 px grid; radii; control heights.
    readonly property int spacingXs: 4
    readonly property int spacingS: 8
    readonly property int spacingM: 12
    readonly property int spacingL: 16
    readonly property int spacingXl: 24
    readonly property int radiusS: 4
    readonly property int radiusM: 6
    readonly property int radiusL: 8
    readonly property int controlHeight: 30
    readonly property int rowHeight: 36

    // Type scale: dense but readable at 1280×800.
    readonly property string fontFamily: "DejaVu Sans"
    readonly property string monoFamily: "DejaVu Sans Mono"
    readonly property int fontCaption: 11
    readonly property int fontSmall: 12
    readonly property int fontBody: 13
    readonly property int fontTitle: 15
    readonly property int fontHeading: 18
    readonly property int fontDisplay: 22

    function droneStateColor(state: int): color {
        return FleetPalette.stateColor(state);
    }

    function droneStateName(state: int): string {
        return FleetPalette.stateName(state);
    }

    function stageColor(stage: int): color {
        return stageColors[stage] ?? stageColors[0];
    }

    function stageName(stage: int): string {
        return stageNames[stage] ?? stageNames[0];
    }

    function transactionColor(state: int): color {
        return transactionColors[state] ?? transactionColors[0];
    }

    function transactionName(state: int): string {
        return transactionNames[state] ?? transactionNames[0];
    }

    function compensationColor(state: int): color {
        return compensationColors[state] ?? compensationColors[0];
    }

    function compensationName(state: int): string {
        return compensationNames[state] ?? compensationNames[0];
    }

    // A workflow step arrives as its enum value or already as a name.
    function stepName(step): string {
        return typeof step === "number" ? (stepNames[step] ?? String(step)) : String(step ?? "");
    }

    function healthColor(health: string): color {
        switch (health) {
        case "healthy":
            return healthy;
        case "degraded":
            return degraded;
        case "failing":
            return failing;
        default:
            return idle;
        }
    }

    // Breaker states as the metrics export them ("half_open", "forced_closed"); "-" spellings too.
    function breakerColor(state: string): color {
        switch (state.replace("-", "_")) {
        case "closed":
            return healthy;
        case "half_open":
            return degraded;
        case "open":
        case "isolated":
            return failing;
        case "forced_closed":
            return accent;
        default:
            return idle;
        }
    }

    // A hue at a given opacity, for tinted chip and row backgrounds.
    function tint(base: color, alpha: real): color {
        return Qt.rgba(base.r, base.g, base.b, alpha);
    }

    // "10:42": a time of day to plan by (ETAs, pickup times).
    function shortTime(ms: real): string {
        return ms > 0 ? Qt.formatDateTime(new Date(ms), "HH:mm") : "—";
    }

    function clockTime(ms: real): string {
        return ms > 0 ? Qt.formatDateTime(new Date(ms), "HH:mm:ss") : "—";
    }

    function dateTime(ms: real): string {
        return ms > 0 ? Qt.formatDateTime(new Date(ms), "yyyy-MM-dd HH:mm:ss") : "—";
    }

    // "12 s ago", "4 min ago", "in 3 min": how far `ms` is from `now`.
    function relative(ms: real, now: real): string {
        if (!(ms > 0))
            return "—";
        const seconds = Math.round((ms - now) / 1000);
        const magnitude = Math.abs(seconds);
        if (magnitude < 2)
            return qsTr("now");
        let amount;
        if (magnitude < 60)
            amount = qsTr("%1 s").arg(magnitude);
        else if (magnitude < 3600)
            amount = qsTr("%1 min").arg(Math.round(magnitude / 60));
        else if (magnitude < 86400)
            amount = qsTr("%1 h").arg(Math.round(magnitude / 3600));
        else
            amount = qsTr("%1 d").arg(Math.round(magnitude / 86400));
        return seconds < 0 ? qsTr("%1 ago").arg(amount) : qsTr("in %1").arg(amount);
    }

    // Milliseconds with as many decimals as help at that size: 0.42 ms, 3.1 ms, 215 ms, 2.4 s, 1 min 5 s.
    function duration(ms: real): string {
        if (ms >= 3600000)
            return qsTr("%1 h %2 min").arg(Math.floor(ms / 3600000)).arg(Math.floor(ms % 3600000 / 60000));
        if (ms >= 60000)
            return qsTr("%1 min %2 s").arg(Math.floor(ms / 60000)).arg(Math.floor(ms % 60000 / 1000));
        if (ms >= 10000)
            return qsTr("%1 s").arg((ms / 1000).toFixed(0));
        if (ms >= 1000)
            return qsTr("%1 s").arg((ms / 1000).toFixed(1));
        if (ms >= 100)
            return qsTr("%1 ms").arg(ms.toFixed(0));
        if (ms >= 1)
            return qsTr("%1 ms").arg(ms.toFixed(1));
        return qsTr("%1 ms").arg(ms.toFixed(2));
    }

    function count(value: real): string {
        return Number(value).toLocaleString(Qt.locale(), "f", 0);
    }
}
