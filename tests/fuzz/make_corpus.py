#!/usr/bin/env python3
# Writes the seed corpora of tests/fuzz/corpus/ from requests the tests use (run from anywhere; needs protoc).
import json, os, pathlib, shutil, struct, subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/fuzz/corpus"
PROTOS = ["domain.proto", "envelope.proto", "mesh.proto", "services.proto", "workflow.proto"]


def encode(message, text):
    """Text format -> wire bytes, with the project's own .proto files."""
    return subprocess.run(["protoc", "-I", str(ROOT / "net"), "--encode=dronedelivery.v1." + message]
                          + ["proto/" + p for p in PROTOS], input=text.encode(), capture_output=True,
                          check=True, cwd=ROOT / "net").stdout


def fdp(*strings):
    """FuzzedDataProvider::ConsumeRandomLengthString pieces: a backslash doubled, '\\' + other ends one."""
    return b"".join(s.replace(b"\\", b"\\\\") + b"\\ " for s in strings)


def frame(envelope_text, payload=b"", topic=None):
    envelope = encode("Envelope", envelope_text)
    head = (topic + b"\0") if topic is not None else b""
    return head + struct.pack("<I", len(envelope)) + envelope + payload


def write(target, files):
    directory = OUT / target
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    for name, data in files.items():
        (directory / name).write_bytes(data if isinstance(data, bytes) else data.encode())


REQUEST = "kind: REQUEST sender_id: 7 message_id: 42 method: 'Check' source: 'scheduler' attempt: 1 deadline_us: 0"
EVENT = ("kind: EVENT sender_id: 1234605616436508552 message_id: 9 sequence: 9 source: 'delivery' "
         "method: 'DeliveryCreated' trace_id_hi: 1 trace_id_lo: 2 parent_span_id: 3 trace_flags: 1")
write("fuzz_envelope", {
    "request": frame(REQUEST + " idempotency_key: 'd-1/drone' version: 'v2'", b"payload-bytes"),
    "event": frame(EVENT, b"body", b"delivery.d-1"),
    "telemetry": frame(EVENT.replace("'delivery'", "'drone'"), b"\x0a\x0adrone-0001", b"telemetry.drone-0001"),
    "heartbeat": frame("kind: HEARTBEAT sender_id: 5 message_id: 6"),
    "reply": frame("kind: REPLY sender_id: 5 correlation_id: 42 status: BAD_REQUEST error: 'x' field: 'f'"),
})

write("fuzz_endpoint_table", {
    "deploy": (ROOT / "deploy/endpoints.json").read_bytes(),
    "versions": json.dumps({"keysDir": "keys", "inprocDefaults": True, "services": {
        "Account": "tcp://127.0.0.1:6001",
        "drone": [{"endpoint": "tcp://127.0.0.1:6002", "version": "v2"}, "inproc://drone-b"],
        "drone.telemetry": ["ipc:///tmp/telemetry"]}}),
    "bad-endpoint": '{"services": {"account": ["http://x"]}}',
    "no-services": '{"keysDir": 3}',
})

PUB = b"rq:({&vZ1Ygp?w7j1SP7W0q4.dK&]3S!5sOvn+q?"
SEC = b"JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"
write("fuzz_curve_keys", {
    "pair": fdp(PUB + b" " + SEC + b"\n", PUB + b"\n") + PUB + b"\n" + b"x" * 40 + b"\n",
    "corrupt": fdp(b"not a key file", b"") + b"\n\n",
    "nul": fdp(PUB[:10] + b"\0" + PUB[11:] + b" " + SEC, PUB) + PUB,
})

write("fuzz_tokens", {
    "valid": fdp(b"Bearer s3cret-supervisor") + b"s3cret-dispatch dispatcher alice\n"
             b"s3cret-supervisor supervisor bob  # comment\ns3cret-admin admin\n",
    "bad-role": fdp(b"bearer x") + b"x root\n",
    "twice": fdp(b"Bearer a") + b"a admin\na dispatcher\n",
    "empty": fdp(b"") + b"# nothing\n",
    # Found by fuzz_tokens: a UTF-8 sequence cut off at the end matched the token before it.
    "truncated-utf8": fdp(b"Bearer s3cret\xc3") + b"s3cret dispatcher alice\n",
})

schedule = {"ownerId": "owner-001", "pickupLocation": "47.61,-122.34", "dropOffLocation": "Pike Place Market",
            "pickupTime": "2026-12-02T10:00:00Z", "deadline": "noon", "expedited": True,
            "confirmationRequired": "None", "packageInfo": {"packageId": "p-1", "size": "Small", "weight": 2}}
reference = {"ownerId": "myowner", "pickupLocation": "my pickup", "pickupTime": "2019-03-05T08:00:00Z",
             "deadline": "", "expedited": True, "confirmationRequired": "FingerPrint", "dropOffLocation": "my dropoff",
             "packageInfo": {"packageId": "mypackage", "size": "Large", "weight": 10, "tag": "mytag"}}
write("fuzz_delivery_request_json", {
    "schedule.json": json.dumps(schedule),
    "reference.json": json.dumps(reference),
    "coerced.json": '{"ownerId": 7, "expedited": "TRUE", "pickupTime": 1796083200000, "dropoffLocation": "Fremont",'
                    ' "packageInfo": {"packageId": 1, "size": "medium", "weight": "2.5"}}',
    "reschedule.json": '{"pickupLocation": "0,47.62,-122.35", "dropOffLocation": "Space Needle", "pickupTime": "2026-12-03"}',
    "errors.json": '{"ownerId": {}, "packageInfo": [], "confirmationRequired": "Retina", "pickupTime": "soon"}',
})

write("fuzz_http_query", {
    "deliveries": "/api/deliveries?limit=10&stage=HeadedToPickup&ownerId=owner-001&after=d-1&search=own",
    "transactions": "/api/transactions?state=AwaitingApproval&limit=10000",
    "status": "/api/deliveries/d-wk3rt63c6mgp%3Aschedule/status",
    "services": "/api/services?window=15m",
    "accounts": "/api/accounts?suspended=TRUE&limit=0",
    "events": "/api/events?access_token=s3cret%20x&limit=%31",
})


def pubsub_input(frames, replay):
    # FuzzedDataProvider: strings from the front, the frame count from the last byte.
    return fdp(*frames) + replay + bytes([len(frames)])


def event_frame(source, sequence, topic):
    return frame("kind: EVENT sender_id: 9 message_id: %d sequence: %d source: '%s' method: 'DeliveryCreated'"
                 % (sequence, sequence, source), b"payload", topic)


write("fuzz_pubsub", {
    "in-order": pubsub_input([event_frame("delivery", 1, b"delivery.d-1"), event_frame("delivery", 2, b"delivery.d-2")],
                             encode("ReplayRequest", "from_sequence: 1 max_events: 100")),
    "gap": pubsub_input([event_frame("delivery", 5, b"delivery.d-1"), event_frame("delivery", 9, b"delivery.d-1"),
                         event_frame("delivery", 3, b"delivery.d-1")],
                        encode("ReplayRequest", "topic_prefix: 'delivery.d-1' from_sequence: 25 max_events: 3")),
    "telemetry": pubsub_input([event_frame("drone", 7, b"telemetry.drone-0001"), b"garbage"],
                              encode("ReplayRequest", "from_sequence: 64")),
    "bad-replay": pubsub_input([], b"\xff\xff\xff"),
})

METHODS = ["account.Check", "account.Get", "account.List", "account.SetStatus", "package.Create", "package.Get",
           "package.Delete", "drone.Schedule", "drone.Cancel", "drone.Get", "drone.List", "thirdparty.Schedule",
           "thirdparty.Cancel", "delivery.Create", "delivery.Register", "delivery.RecordFailure",
           "delivery.Reschedule", "delivery.Cancel", "delivery.Get", "delivery.Status", "delivery.List",
           "delivery.Events.Replay", "deliveryhistory.History", "deliveryhistory.Query", "supervisor.Report",
           "supervisor.Approve", "supervisor.Reject", "supervisor.Retry", "supervisor.List", "supervisor.Get",
           "supervisor.Audit", "supervisor.Events.Replay", "scheduler.Submit", "scheduler.Retry", "scheduler.Find",
           "ingestion.Accept"]  # the order of kMethods in fuzz_rpc_dispatch.cpp
PICKUP = "pickup { latitude: 47.61 longitude: -122.34 } dropoff { latitude: 47.62 longitude: -122.35 place: 'Fremont' }"
REQ = ("delivery_id: 'd-fuzz1' owner_id: 'owner-001' pickup_location: '47.61,-122.34' dropoff_location: 'Fremont' "
       "package_info { package_id: 'p-1' size: SMALL weight: 2 } requested_by: 'dispatcher/alice' " + PICKUP)
DELIVERY = ("delivery_id: 'd-fuzz1' owner_id: 'owner-001' pickup_location: 'a' dropoff_location: 'b' package_id: 'p-1' "
            "drone_id: 'drone-0001' stage: STAGE_CREATED package_info { package_id: 'p-1' size: SMALL weight: 2 } "
            + PICKUP)
CREDENTIAL = "credential { user: 'bob' role: 'supervisor' expires_at_us: 4102444800000000 signature: 'not-signed' }"
DECISION = "transaction_id: 'd-fuzz1:schedule:1' comment: 'ok' " + CREDENTIAL
SEEDS = {
    "account.Check": ("AccountCheckRequest", "owner_id: 'owner-001'"),
    "account.List": ("AccountListRequest", "limit: 10 suspended_only: true"),
    "account.SetStatus": ("AccountStatusRequest", "owner_id: 'owner-002' active: false reason: 'r' " + CREDENTIAL),
    "package.Create": ("PackageCreateRequest", "package { package_id: 'p-1' size: SMALL weight: 2 } delivery_id: 'd-fuzz1'"),
    "package.Delete": ("PackageIdRequest", "package_id: 'p-1'"),
    "drone.Schedule": ("DroneScheduleRequest", "delivery_id: 'd-fuzz1' weight: 2 size: SMALL " + PICKUP),
    "drone.Cancel": ("DroneCancelRequest", "delivery_id: 'd-fuzz1'"),
    "drone.Get": ("DroneIdRequest", "drone_id: 'drone-0001'"),
    "drone.List": ("DroneListRequest", "limit: 5 after: 'drone-0002'"),
    "thirdparty.Schedule": ("ThirdPartyScheduleRequest", "delivery_id: 'd-fuzz1' weight: 60 " + PICKUP),
    "delivery.Create": ("Delivery", DELIVERY),
    "delivery.RecordFailure": ("DeliveryFailureRequest", "delivery_id: 'd-fuzz1' failure { step: 'drone' error: 'e' "
                               "transaction_id: 'd-fuzz1:schedule:1' } requested { " + DELIVERY + " }"),
    "delivery.Reschedule": ("DeliveryRescheduleRequest", "delivery_id: 'd-fuzz1' pickup_location: 'Fremont' "
                            "pickup_time: '2026-12-03T10:00:00Z' pickup { latitude: 47.65 longitude: -122.35 }"),
    "delivery.Cancel": ("DeliveryIdRequest", "delivery_id: 'd-fuzz1'"),
    "delivery.List": ("DeliveryListRequest", "stage: STAGE_CREATED limit: 10 search: 'owner'"),
    "delivery.Events.Replay": ("ReplayRequest", "topic_prefix: 'delivery.' from_sequence: 1 max_events: 50"),
    "deliveryhistory.History": ("HistoryRequest", "delivery_id: 'd-fuzz1'"),
    "deliveryhistory.Query": ("HistoryQueryRequest", "stage: STAGE_CREATED since_us: 1 limit: 10"),
    "supervisor.Report": ("FailedTransaction", "transaction_id: 'd-fuzz1:schedule:1' delivery_id: 'd-fuzz1' "
                          "failed_step: STEP_DRONE error: 'no drone' completed { step: STEP_PACKAGE resource_id: 'p-1' } "
                          "request { " + REQ + " } owner_id: 'owner-001'"),
    "supervisor.Approve": ("SupervisorDecision", DECISION),
    "supervisor.Reject": ("SupervisorDecision", DECISION.replace("'supervisor'", "'dispatcher'")),
    "supervisor.List": ("TransactionListRequest", "state: TX_AWAITING_APPROVAL limit: 10"),
    "supervisor.Audit": ("AuditRequest", "transaction_id: 'd-fuzz1:schedule:1' limit: 5"),
    "scheduler.Submit": ("StreamBatch", "requests { " + REQ + " stream_sequence: 1 }"),
    "scheduler.Retry": ("DeliveryRequest", REQ),
    "scheduler.Find": ("WorkflowLookup", "delivery_id: 'd-fuzz1'"),
    "ingestion.Accept": ("DeliveryRequest", REQ.replace("delivery_id: 'd-fuzz1' ", "")),
}
write("fuzz_rpc_dispatch", {
    name.replace(".", "-"): bytes([METHODS.index(name)]) + encode(*SEEDS[name]) for name in SEEDS
})
