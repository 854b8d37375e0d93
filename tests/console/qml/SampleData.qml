// Realistic sample rows for the panel tests and previews, with every documented role of each model.
import QtQuick
import DroneConsole.Tests

QtObject {
    id: data

    // A fixed "now" so relative times ("12 s ago") are the same on every run.
    readonly property real now: Date.UTC(2026, 10, 26, 10, 25, 0)

    readonly property ListModel deliveries: ListModel {
    }
    readonly property ListModel timeline: ListModel {
    }
    readonly property ListModel trace: ListModel {
    }
    // Rows holding lists: a TestListModel keeps them JS arrays, as the C++ models give them.
    readonly property TestListModel transactions: TestListModel {
    }
    readonly property ListModel audit: ListModel {
    }
    readonly property TestListModel routes: TestListModel {
    }
    readonly property ListModel services: ListModel {
    }
    readonly property ListModel faults: ListModel {
    }
    readonly property ListModel drones: ListModel {
    }

    readonly property var places: ["Pike Place Market", "Space Needle", "47.6205,-122.3493", "Ballard Locks", "UW Medical Center", "Amazon Spheres", "Fremont Troll", "Seattle Center", "Capitol Hill Station", "47.5952,-122.3316", "Lumen Field", "Green Lake Park"]

    function fill() {
        const minute = 60000;
        const stages = [2, 3, 3, 1, 2, 4, 3, 7, 2, 5, 4, 6, 3, 2, 1, 4, 3, 2, 6, 3, 4, 2, 8, 1];
        for (let i = 0; i < stages.length; ++i) {
            const stage = stages[i];
            const third = i === 4 || i === 13;
            deliveries.append({
                    "deliveryId": "d-" + ("pciqbivp" + (1000 + i * 37).toString(36)).substring(0, 12),
                    "ownerId": "owner-" + String(100 + (i * 7) % 23).padStart(3, "0"),
                    "stage": stage,
                    "stageName": ["", "Created", "HeadedToPickup", "HeadedToDropoff", "Completed", "Rescheduled", "Cancelled", "Failed", "Requested"][stage],
                    "droneId": third || stage === 1 ? "" : "drone-" + String(7 + i * 13).padStart(4, "0"),
                    "thirdPartyBooking": third ? "tp-" + (4411 + i) : "",
                    "pickupLocation": places[i % places.length],
                    "dropoffLocation": places[(i * 5 + 3) % places.length],
                    "pickupEta": stage <= 2 || stage === 5 ? now + (2 + i % 5) * minute : 0,
                    "deliveryEta": stage <= 3 || stage === 5 ? now + (9 + i % 7) * minute : 0,
                    "createdAt": now - (30 + i * 3) * minute,
                    "updatedAt": now - (i * 17 % 300) * 1000,
                    "expedited": i % 5 === 1,
                    "packageId": "pkg-" + (5100 + i),
                    "traceId": "4bf92f3577b34da6a3ce929d0e0e47" + String(10 + i),
                    "pickupTime": stage === 8 ? now + 17 * minute : 0,
                    "waiting": stage === 8 ? "account service unavailable, retrying" : "",
                    "failureStep": stage === 7 ? "Package" : "",
                    "failureError": stage === 7 ? "package pkg-5107 already exists" : "",
                    "failureTransactionId": stage === 7 ? "d-pciqbivp1103:schedule:7" : "",
                    "failureOperation": stage === 7 ? "Schedule" : "",
                    "reason": stage === 7 ? "failed at Package: package pkg-5107 already exists" : stage === 8 ? "waiting: account service unavailable, retrying" : ""
                });
        }
        const steps = [[1, "Created", -9.5, "accepted by the scheduler", ""], [2, "HeadedToPickup", -9.2, "drone assigned", "drone-0007"], [3, "HeadedToDropoff", -4.1, "package picked up", "drone-0007"]];
        for (const s of steps)
            timeline.append({
                    "stage": s[0],
                    "stageName": s[1],
                    "at": now + s[2] * minute,
                    "reason": s[3],
                    "latitude": 47.61,
                    "longitude": -122.33,
                    "droneId": s[4]
                });
        // As the console's TraceSpanModel gives them: a client span is recorded by the caller
        // and named after its target, a server span by the callee and named after its method.
        const spans = [["scheduler.Workflow", "scheduler", "server", 0, 48.2, 0, "ok", 1], ["account.Check", "scheduler", "client", 0.4, 2.1, 1, "ok", 1], ["Check", "account", "server", 0.7, 1.4, 2, "ok", 1], ["package.Create", "scheduler", "client", 2.8, 6.9, 1, "ok", 1], ["Create", "package", "server", 3.1, 6.1, 2, "ok", 1], ["drone.Schedule", "scheduler", "client", 10.1, 4.2, 1, "transient", 1], ["drone.Schedule", "scheduler", "client", 19.5, 9.8, 1, "ok", 2], ["Schedule", "drone", "server", 19.9, 8.9, 2, "ok", 2], ["delivery.Create", "scheduler", "client", 30.2, 17.4, 1, "ok", 1], ["Create", "delivery", "server", 30.9, 15.8, 2, "ok", 1]];
        for (const s of spans)
            trace.append({
                    "name": s[0],
                    "service": s[1],
                    "kind": s[2],
                    "startOffsetMs": s[3],
                    "durationMs": s[4],
                    "depth": s[5],
                    "status": s[6],
                    "attempt": s[7]
                });
        const tx = [["AwaitingApproval", 2, "Delivery", "fatal: injected fault", true, [["Drone", "drone-0042", 2, true, "the drone is airborne", 0, ""], ["Package", "pkg-5177", 4, false, "", 1, ""]]], ["AwaitingApproval", 2, "Delivery", "deadline exceeded after 3 attempts", true, [["ThirdParty", "tp-8812", 2, true, "a paid third-party booking", 0, ""], ["Package", "pkg-5190", 4, false, "", 1, ""]]], ["Escalated", 4, "Drone", "circuit open: drone", false, [["Package", "pkg-5203", 6, false, "", 5, "package: transient: storage busy"]]], ["Compensating", 1, "Delivery", "fatal: injected fault", false, [["Drone", "drone-0311", 3, false, "", 1, ""], ["Package", "pkg-5211", 1, false, "", 0, ""]]], ["Compensated", 3, "Package", "bad request: weight must be ≥ 0", false, [["Package", "pkg-5218", 8, false, "nothing to undo", 0, ""]]], ["Rejected", 5, "Delivery", "fatal: injected fault", false, [["Drone", "drone-0099", 7, true, "the drone is airborne", 0, ""]]]];
        const txRows = [];
        for (let i = 0; i < tx.length; ++i) {
            const t = tx[i];
            const comps = t[5].map(c => ({
                            "step": c[0],
                            "resourceId": c[1],
                            "state": c[2],
                            "stateName": ["", "Pending", "AwaitingApproval", "Running", "Done", "Failed", "Escalated", "Rejected", "Skipped"][c[2]],
                            "requiresApproval": c[3],
                            "reason": c[4],
                            "attempts": c[5],
                            "lastError": c[6]
                        }));
            txRows.push({
                    "transactionId": "d-tx" + (410 + i) + "q7kz2m:schedule",
                    "deliveryId": "d-tx" + (410 + i) + "q7kz2m",
                    "ownerId": "owner-" + (103 + i),
                    "operation": "Schedule",
                    "failedStep": t[2],
                    "error": t[3],
                    "state": t[1],
                    "stateName": t[0],
                    "createdAt": now - (40 - i * 5) * minute,
                    "updatedAt": now - (i * 50 + 20) * 1000,
                    "awaitingApproval": t[4],
                    "compensations": comps,
                    "selected": false
                });
        }
        transactions.rows = txRows;
        const decisions = [["bob", "supervisor", "approve", "d-tx399q7kz2m:schedule", "refund agreed with customer", "ok"], ["bob", "supervisor", "reject", "d-tx402q7kz2m:schedule", "drone already landed", "ok"], ["alice", "dispatcher", "approve", "d-tx403q7kz2m:schedule", "", "permission denied"], ["bob", "supervisor", "retry", "d-tx405q7kz2m:schedule", "transient outage over", "ok"]];
        for (let i = 0; i < decisions.length; ++i) {
            const d = decisions[i];
            audit.append({
                    "at": now - (12 - i * 3) * minute,
                    "user": d[0],
                    "role": d[1],
                    "action": d[2],
                    "transactionId": d[3],
                    "comment": d[4],
                    "outcome": d[5]
                });
        }
        // The layout hints of the console's ServiceNodeModel.
        const nodes = [["gateway", "healthy", 180, 0, 0.06, 0.22], ["console", "healthy", 24, 0, 0.06, 0.62], ["ingestion", "healthy", 204, 0, 0.26, 0.40], ["scheduler", "healthy", 204, 0, 0.46, 0.40], ["supervisor", "healthy", 9, 0, 0.46, 0.82], ["account", "healthy", 203, 0, 0.72, 0.08], ["package", "degraded", 205, 0.004, 0.72, 0.26], ["drone", "healthy", 197, 0, 0.72, 0.44], ["thirdparty", "healthy", 7, 0, 0.72, 0.62], ["delivery", "failing", 214, 0.18, 0.72, 0.80], ["deliveryhistory", "healthy", 12, 0, 0.94, 0.80]];
        for (const n of nodes)
            services.append({
                    "name": n[0],
                    "health": n[1],
                    "requestsPerSecond": n[2],
                    "errorRate": n[3],
                    "x": n[4],
                    "y": n[5]
                });
        const edges = [["gateway", "ingestion", 180, 1, 0.3, 1.1, "closed", "healthy"], ["console", "ingestion", 24, 1, 0.3, 1.0, "closed", "healthy"], ["ingestion", "scheduler", 204, 1, 0.4, 1.9, "closed", "healthy"], ["scheduler", "account", 203, 1, 0.4, 1.6, "closed", "healthy"], ["scheduler", "package", 205, 0.996, 0.5, 3.9, "closed", "degraded"], ["scheduler", "drone", 197, 1, 0.6, 2.4, "closed", "healthy"], ["scheduler", "delivery", 202, 0.82, 0.9, 41.0, "half-open", "failing"], ["scheduler", "thirdparty", 7, 1, 3.1, 12.5, "closed", "healthy"], ["scheduler", "supervisor", 6, 1, 0.7, 2.2, "forced-closed", "healthy"], ["supervisor", "drone", 2, 1, 0.8, 2.0, "isolated", "idle"], ["console", "delivery", 12, 1, 0.5, 1.8, "closed", "healthy"], ["console", "deliveryhistory", 12, 1, 0.6, 2.6, "closed", "healthy"]];
        const routeRows = [];
        for (let i = 0; i < edges.length; ++i) {
            const e = edges[i];
            const history = [];
            for (let k = 0; k < 30; ++k)
                history.push(Math.max(0, e[2] * (0.85 + 0.3 * Math.abs(Math.sin((k + i * 3) / 4)))));
            routeRows.push({
                    "caller": e[0],
                    "callee": e[1],
                    "requestsPerSecond": e[2],
                    "successRate": e[3],
                    "p50Ms": e[4],
                    "p99Ms": e[5],
                    "breakerState": e[6],
                    "health": e[7],
                    "history": history
                });
        }
        routes.rows = routeRows;
        const rules = [["delivery.Create=fatal:100", "delivery", "Create", "fatal", 100, 0], ["package=transient:50", "package", "", "transient", 50, 0], ["drone=delay:100:300", "drone", "", "delay", 100, 300]];
        for (const r of rules)
            faults.append({
                    "spec": r[0],
                    "service": r[1],
                    "method": r[2],
                    "kind": r[3],
                    "percent": r[4],
                    "delayMs": r[5]
                });
        const fleet = [["drone-0007", 2, 47.6097, -122.3422, 118, 84, 14.2, 0.72, "d-pciqbivprs"], ["drone-0042", 2, 47.62, -122.35, 120, 200, 15.0, 0.55, "d-pciqbivpvw"], ["drone-0101", 1, 47.60, -122.33, 0, 0, 0, 0.98, ""], ["drone-0133", 5, 47.615, -122.31, 0, 0, 0, 0.21, ""]];
        for (const f of fleet)
            drones.append({
                    "droneId": f[0],
                    "state": f[1],
                    "stateName": ["", "Idle", "FlyingToPickup", "FlyingToDropoff", "Returning", "Charging", "Maintenance"][f[1]],
                    "latitude": f[2],
                    "longitude": f[3],
                    "altitude": f[4],
                    "heading": f[5],
                    "speed": f[6],
                    "battery": f[7],
                    "deliveryId": f[8]
                });
    }

    Component.onCompleted: fill()
}
