#!/usr/bin/env python3
"""--metrics-port on a real drone-backend: /metrics and /healthz answer, behind the same HTTP edge as the gateway."""
import argparse, re, socket, subprocess, sys, tempfile, urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--backend", required=True)
args = parser.parse_args()

with tempfile.TemporaryDirectory() as data:
    backend = subprocess.Popen([args.backend, "--data-dir", data, "--metrics-port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        for line in backend.stdout:  # the address is printed before "ready"
            found = re.search(r"metrics (http://\S+/metrics)", line)
            if found:
                url = found.group(1)
                break
        assert url, "drone-backend never printed its metrics address"
        with urllib.request.urlopen(url, timeout=10) as reply:
            body = reply.read().decode()
            assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/plain"), reply.status
            assert "# TYPE" in body, "no Prometheus text"
        with urllib.request.urlopen(url.replace("/metrics", "/healthz"), timeout=10) as reply:
            assert reply.read() == b'{"status":"ok"}'
        # The edge refuses an oversized header block before QHttpServer keeps it.
        host, port = url.split("//")[1].split("/")[0].split(":")
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 40000 + b"\r\n\r\n")
            status = s.recv(200).split(b"\r\n")[0]
            assert status == b"HTTP/1.1 431 Request Header Fields Too Large", status
        print("metrics_port: ok")
    finally:
        backend.kill()
        backend.wait()
