"""The probe's HTTP attacks against a real drone-backend, directly and through a real nginx with deploy/nginx.

Huge unfinished headers, a long URL, many headers, slowloris, a missing body, two Content-Length,
Transfer-Encoding with Content-Length, Connection: close, HTTP/1.0, HEAD/OPTIONS, a WebSocket upgrade.
Every attack is a real socket on 127.0.0.1, bounded in time; it waits for the answer or the close,
never a fixed sleep. Prints the backend's resident memory before and after. Never skips: a missing
nginx is a failure (scripts/install-deps.sh installs it).
"""
import argparse
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from backend_process import BackendProcess, stop_processes

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


class Attack:
    """One connection: sends `payload` (from a thread, so a server that stops reading cannot block us),
    then reads until the server closes or `bound` seconds pass."""

    def __init__(self, port, payload):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.received = b""
        self.closed = False
        self.seconds = 0.0
        self.started = time.monotonic()
        self.sender = threading.Thread(target=self._send, args=(payload,), daemon=True)
        self.sender.start()

    def _send(self, payload):
        try:
            self.sock.sendall(payload)
        except OSError:
            pass  # refused mid-way: expected for the large ones

    def wait(self, bound, until=None):
        """Reads until closed, or `until(received)` holds, or `bound` seconds."""
        deadline = self.started + bound
        while time.monotonic() < deadline and not (until and until(self.received)):
            ready, _, _ = select.select([self.sock], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                self.closed = True
                break
            self.received += chunk
        self.seconds = time.monotonic() - self.started
        return self

    def status(self):
        match = re.match(rb"HTTP/1\.[01] (\d{3})", self.received)
        return int(match.group(1)) if match else None

    def responses(self):
        return len(re.findall(rb"(?:^|\r\n)HTTP/1\.1 \d{3} ", self.received))

    def close(self):
        self.sock.close()


def run_attacks(name, port, slow_bound, rss=None):
    host = b"Host: 127.0.0.1\r\n"
    # 4 connections, 32 MiB of one header that never ends (the probe: RSS 34 -> 355 MB, kept).
    huge = [Attack(port, b"GET /api/deliveries HTTP/1.1\r\n" + host + b"X-Big: " + b"a" * (32 << 20)) for _ in range(4)]
    for attack in huge:
        attack.wait(15)
        check(attack.closed and attack.status() in (400, 431, 494),
              "%s: unfinished 32 MiB header -> %s, closed=%s in %.1f s" % (name, attack.status(), attack.closed, attack.seconds))
        attack.close()
    if rss:
        rss("after 4 x 32 MiB headers")
    url = Attack(port, b"GET /healthz?" + b"q" * (64 << 10) + b" HTTP/1.1\r\n" + host + b"\r\n").wait(10)
    check(url.status() == 414, "%s: 64 KiB URL -> %s" % (name, url.status()))
    many = Attack(port, b"GET /healthz HTTP/1.1\r\n" + host + b"".join(b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n").wait(10)
    check(many.status() == 431, "%s: 200 header lines -> %s" % (name, many.status()))

    # Slowloris: 20 partial header blocks and 20 bodies that never come; all must be closed in time.
    slow = [Attack(port, b"GET /healthz HTTP/1.1\r\n" + host + b"X-A: 1\r\n") for _ in range(20)]
    slow += [Attack(port, b"POST /api/deliveryrequests HTTP/1.1\r\n" + host
                    + b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{") for _ in range(20)]
    for attack in slow:
        attack.wait(slow_bound)
    closed = sum(a.closed for a in slow)
    check(closed == len(slow), "%s: slowloris, %d of %d connections closed within %.0f s (statuses %s)"
          % (name, closed, len(slow), slow_bound, sorted({a.status() for a in slow}, key=str)))
    if rss:
        rss("after 40 slowloris connections")
    for attack in slow:
        attack.close()

    smuggle = Attack(port, b"POST /api/deliveryrequests HTTP/1.1\r\n" + host + b"Content-Type: application/json\r\n"
                     b"Content-Length: 2\r\nContent-Length: 60\r\n\r\n{}GET /healthz HTTP/1.1\r\n" + host + b"\r\n").wait(5)
    check(smuggle.status() == 400 and b" 200 " not in smuggle.received,
          "%s: two Content-Length -> %s, smuggled GET answered: %s" % (name, smuggle.status(), b" 200 " in smuggle.received))
    te = Attack(port, b"POST /api/deliveryrequests HTTP/1.1\r\n" + host + b"Content-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\n" + host + b"\r\n").wait(5)
    check(te.status() == 400 and b" 200 " not in te.received, "%s: Transfer-Encoding with Content-Length -> %s" % (name, te.status()))

    close = Attack(port, b"GET /healthz HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\nGET /healthz HTTP/1.1\r\n" + host + b"\r\n").wait(3)
    check(close.closed and close.status() == 200 and close.responses() == 1,
          "%s: Connection: close -> %s, %d answer(s), closed=%s" % (name, close.status(), close.responses(), close.closed))
    old = Attack(port, b"GET /healthz HTTP/1.0\r\n\r\n").wait(3)
    check(old.closed and old.status() == 200, "%s: HTTP/1.0 -> %s, closed=%s" % (name, old.status(), old.closed))
    head = Attack(port, b"HEAD /healthz HTTP/1.1\r\n" + host + b"\r\n").wait(3, until=lambda r: b"\r\n\r\n" in r)
    check(head.status() == 405 and re.search(rb"(?i)\r\nallow: GET\r\n", head.received) is not None,
          "%s: HEAD /healthz -> %s with Allow" % (name, head.status()))
    options = Attack(port, b"OPTIONS /api/deliveryrequests HTTP/1.1\r\n" + host + b"\r\n").wait(3, until=lambda r: b"}" in r)
    check(options.status() == 405, "%s: OPTIONS /api/deliveryrequests -> %s" % (name, options.status()))
    upgrade = Attack(port, b"GET /api/events HTTP/1.1\r\n" + host + b"Connection: Upgrade\r\nUpgrade: websocket\r\n"
                     b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").wait(
        5, until=lambda r: b"\r\n\r\n" in r)
    check(upgrade.status() == 101, "%s: WebSocket upgrade of /api/events -> %s" % (name, upgrade.status()))
    upgrade.close()
    healthy = Attack(port, b"GET /healthz HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n").wait(5)
    check(healthy.status() == 200, "%s: still serving afterwards -> %s" % (name, healthy.status()))


def nginx_config(deploy_conf, workdir, listen_port, backend_port):
    with open(deploy_conf) as f:
        site = f.read()
    site = re.sub(r"listen 80;", "listen 127.0.0.1:%d;" % listen_port, site)
    site = re.sub(r"server 127\.0\.0\.1:8080;", "server 127.0.0.1:%d;" % backend_port, site)
    # The same limits; shorter timeouts so the suite does not wait 10 s for each slow client.
    site = re.sub(r"client_(header|body)_timeout 10s;", r"client_\1_timeout 2s;", site)
    temp = lambda kind: os.path.join(workdir, kind)
    return ("daemon off;\nmaster_process off;\nworker_processes 1;\npid %s;\nerror_log %s warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n access_log off;\n client_body_temp_path %s;\n proxy_temp_path %s;\n fastcgi_temp_path %s;\n"
            " uwsgi_temp_path %s;\n scgi_temp_path %s;\n%s\n}\n"
            % (temp("nginx.pid"), temp("error.log"), temp("body"), temp("proxy"), temp("fastcgi"), temp("uwsgi"),
               temp("scgi"), site))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", required=True)
    parser.add_argument("--nginx", required=True)
    parser.add_argument("--config", required=True, help="deploy/nginx/drone-console.conf")
    args = parser.parse_args()
    if not shutil.which(args.nginx) and not os.path.exists(args.nginx):
        print("FAIL: nginx not found at %s (scripts/install-deps.sh installs it)" % args.nginx)
        return 1
    workdir = tempfile.mkdtemp(prefix="dd-edge-")
    processes = []
    try:
        backend = BackendProcess(args.backend, [
            "--data-dir", os.path.join(workdir, "data"), "--http", "0", "--fleet", "2",
            "--http-header-timeout", "1s", "--http-body-timeout", "1s", "--http-idle-timeout", "2s"])
        processes.append(backend.process)
        address = backend.http_address(time.monotonic() + 30)
        if not address:
            print("drone-backend did not print its listening line: %r" % backend.output)
            return 1
        backend_port = address[1]
        nginx_port = free_port()
        conf = os.path.join(workdir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(nginx_config(args.config, workdir, nginx_port, backend_port))
        test = subprocess.run([args.nginx, "-t", "-c", conf, "-p", workdir], capture_output=True, text=True)
        check(test.returncode == 0, "nginx -t accepts deploy/nginx/drone-console.conf: %s" % test.stderr.strip()[-200:])
        nginx = subprocess.Popen([args.nginx, "-c", conf, "-p", workdir], stderr=subprocess.PIPE)
        processes.append(nginx)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", nginx_port), timeout=1).close()
                break
            except OSError:
                if nginx.poll() is not None:
                    break
                select.select([], [], [], 0.05)  # nginx has no readiness signal but its port; bounded poll
        check(nginx.poll() is None, "nginx is running on 127.0.0.1:%d" % nginx_port)

        start = rss_mb(backend.pid)
        print("drone-backend RSS at start: %.0f MB" % start)
        rss = lambda when: print("drone-backend RSS %s: %.0f MB" % (when, rss_mb(backend.pid)))
        run_attacks("direct", backend_port, slow_bound=6, rss=rss)
        grown = rss_mb(backend.pid) - start
        check(grown < 100, "drone-backend RSS grew %.0f MB over the direct attacks (the probe saw +321 MB)" % grown)
        run_attacks("nginx", nginx_port, slow_bound=8)
        check(backend.poll() is None and nginx.poll() is None, "both processes still run")
    finally:
        stop_processes(processes)
        shutil.rmtree(workdir, ignore_errors=True)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
