#!/usr/bin/env python3
"""--metrics-port on a real drone-backend: /metrics and /healthz answer, behind the same HTTP edge as the gateway."""
import argparse, socket, tempfile, time, urllib.request

from backend_process import BackendProcess

parser = argparse.ArgumentParser()
parser.add_argument("--backend", required=True)
args = parser.parse_args()

with tempfile.TemporaryDirectory() as data:
    backend = BackendProcess(args.backend, ["--data-dir", data, "--metrics-port", "0"])
    try:
        url = backend.metrics_url(time.monotonic() + 30)  # printed before "ready"
        assert url, "drone-backend never printed its metrics address: %r" % backend.output
        with urllib.request.urlopen(url, timeout=10) as reply:
            body = reply.read().decode()
            assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/plain"), reply.status
            assert "# TYPE" in body, "no Prometheus text"
        # Edge refusals are one family labelled by reason, exported from 0.
        refused = 'dd_http_edge_refused_total{service="gateway",reason="header_too_large"} '
        assert refused + "0\n" in body, "no zero header_too_large refusal sample"
        with urllib.request.urlopen(url.replace("/metrics", "/healthz"), timeout=10) as reply:
            assert reply.read() == b'{"status":"ok"}'
        # The edge refuses an oversized header block before QHttpServer keeps it.
        host, port = url.split("//")[1].split("/")[0].split(":")
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 40000 + b"\r\n\r\n")
            status = s.recv(200).split(b"\r\n")[0]
            assert status == b"HTTP/1.1 431 Request Header Fields Too Large", status
        with urllib.request.urlopen(url, timeout=10) as reply:
            body = reply.read().decode()
            assert refused + "1\n" in body, [l for l in body.splitlines() if "edge" in l]
        print("metrics_port: ok")
    finally:
        backend.stop()
