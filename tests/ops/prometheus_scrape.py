#!/usr/bin/env python3
"""A real Prometheus scrapes a real drone-backend: rates and latency quantiles come out of its query API.

Also checks the exposition by hand (one HELP/TYPE per family, histograms complete) and that every
metric the Grafana dashboard and the alert rules use exists in the scrape. Never skips: a missing
Prometheus is a failure (scripts/install-deps.sh installs it).
"""
import argparse
import json
import math
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from backend_process import BackendProcess, stop_processes

DEADLINE_SECONDS = 50


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, headers=None, timeout=5):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def parse_exposition(text):
    """Validates the 0.0.4 text format the way Prometheus needs it; returns the sample names."""
    types, helps, names = {}, {}, set()
    histogram_series = {}  # (family, labels without le) -> set of le
    sums, counts = set(), set()
    sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# HELP "):
            name = line.split(" ", 3)[2]
            if name in helps:
                fail("two HELP lines for " + name)
            helps[name] = True
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            if name in types:
                fail("two TYPE lines for " + name)
            types[name] = kind
            continue
        if line.startswith("#"):
            continue
        m = sample.match(line)
        if not m:
            fail("not a sample line: " + line)
        name, labels, value = m.group(1), m.group(2) or "", m.group(3)
        float(value)  # raises on garbage (Prometheus accepts NaN and +Inf too)
        names.add(name)
        family = name
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix) and types.get(name[: -len(suffix)]) == "histogram":
                family = name[: -len(suffix)]
        if family not in types:
            fail("sample before its TYPE line: " + line)
        if types[family] == "histogram":
            rest = re.sub(r',?le="[^"]*"', "", labels)
            if name.endswith("_bucket"):
                le = re.search(r'le="([^"]*)"', labels)
                if not le:
                    fail("bucket without le: " + line)
                histogram_series.setdefault((family, rest), set()).add(le.group(1))
            elif name.endswith("_sum"):
                sums.add((family, rest))
            elif name.endswith("_count"):
                counts.add((family, rest))
    for series, les in histogram_series.items():
        if "+Inf" not in les:
            fail("histogram without a +Inf bucket: %r" % (series,))
        if series not in sums or series not in counts:
            fail("histogram without _sum or _count: %r" % (series,))
    if not histogram_series:
        fail("no histogram in the scrape")
    return names


def metric_names_in(expr):
    return set(re.findall(r"\b(dd_[a-zA-Z0-9_:]+)", expr))


def dashboard_exprs(path):
    with open(path) as f:
        dashboard = json.load(f)  # fails loudly on invalid JSON
    if not dashboard.get("panels"):
        fail(path + " has no panels")
    exprs = []

    def walk(panels):
        for panel in panels:
            for target in panel.get("targets", []):
                if "expr" in target:
                    exprs.append(target["expr"])
            walk(panel.get("panels", []))

    walk(dashboard["panels"])
    if not exprs:
        fail(path + " has no queries")
    return exprs


def rule_exprs(path):
    # Every dd_ name in the file, multi-line exprs and annotation queries included
    # (promtool validates the YAML itself).
    with open(path) as f:
        return [f.read()]


def query(prometheus, expr):
    url = prometheus + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        status, body = http("GET", url, timeout=3)
    except OSError:
        return None  # not up yet
    if status != 200:
        return None
    result = json.loads(body)["data"]["result"]
    values = []
    for item in result:
        v = float(item["value"][1])
        if math.isfinite(v):
            values.append(v)
    return values


def delivery(i):
    return {"ownerId": "owner-%03d" % (i % 7), "pickupLocation": "47.61,-122.33",
            "dropOffLocation": "47.62,-122.35", "deadline": "LinkedIn", "expedited": i % 2 == 0,
            "confirmationRequired": "None",
            "packageInfo": {"packageId": "pkg-prom-%d" % i, "size": "Small", "weight": 1.0, "tag": "t"}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", required=True)
    parser.add_argument("--prometheus", default="/usr/bin/prometheus")
    parser.add_argument("--dashboard", required=True)
    parser.add_argument("--rules", required=True)
    args = parser.parse_args()
    if not os.access(args.prometheus, os.X_OK):
        fail(args.prometheus + " is missing: run scripts/install-deps.sh (package prometheus)")

    started = time.monotonic()
    deadline = started + DEADLINE_SECONDS
    work = tempfile.mkdtemp(prefix="dd-prometheus-")
    processes = []
    try:
        backend = BackendProcess(args.backend, ["--http", "0", "--data-dir", os.path.join(work, "data"), "--fleet", "50"],
                                 stderr=open(os.path.join(work, "backend.log"), "wb"))
        processes.append(backend.process)
        address = backend.http_address(deadline)
        if not address:
            fail("drone-backend did not print its listening line; output: %r" % backend.output)
        host, port = address
        base = "http://%s:%d" % (host, port)

        config = os.path.join(work, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    "rule_files:\n  - %s\n"
                    "scrape_configs:\n  - job_name: drone-backend\n    static_configs:\n"
                    "      - targets: ['127.0.0.1:%d']\n" % (os.path.abspath(args.rules), port))
        prometheus_port = free_port()
        prometheus = subprocess.Popen(
            [args.prometheus, "--config.file=" + config, "--storage.tsdb.path=" + os.path.join(work, "tsdb"),
             "--web.listen-address=127.0.0.1:%d" % prometheus_port, "--log.level=warn"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "prometheus.log"), "wb"))
        processes.append(prometheus)
        prom = "http://127.0.0.1:%d" % prometheus_port

        rate_expr = "sum(rate(dd_ingestion_accepted_total[15s]))"
        p99_expr = "histogram_quantile(0.99, sum by (le) (rate(dd_route_latency_seconds_bucket[15s])))"
        up_expr = 'up{job="drone-backend"}'
        posted, rate, p99, up = 0, None, None, None
        while time.monotonic() < deadline:
            for _ in range(5):  # steady traffic, so the 15 s rates stay above zero
                status, body = http("POST", base + "/api/deliveryrequests", delivery(posted),
                                    {"Content-Type": "application/json"})
                if status != 202:
                    fail("POST /api/deliveryrequests answered %d: %s" % (status, body))
                posted += 1
            up = query(prom, up_expr)
            rate = query(prom, rate_expr)
            p99 = query(prom, p99_expr)
            if up == [1.0] and rate and rate[0] > 0 and p99 and p99[0] > 0:
                break
            if prometheus.poll() is not None:
                fail("prometheus exited: " + open(os.path.join(work, "prometheus.log")).read()[-2000:])
            # Pace the posts on an observable event (the next scrape) rather than a sleep.
            scrape = 'timestamp(up{job="drone-backend"})'
            before = query(prom, scrape)
            while time.monotonic() < deadline and query(prom, scrape) == before:
                select.select([], [], [], 0.05)
        else:
            fail("within %d s: up=%r rate=%r p99=%r after %d deliveries; prometheus log: %s"
                 % (DEADLINE_SECONDS, up, rate, p99, posted,
                    open(os.path.join(work, "prometheus.log")).read()[-2000:]))
        print("prometheus: %s = %g/s, %s = %g s (%d deliveries, %.1f s)"
              % (rate_expr, rate[0], p99_expr, p99[0], posted, time.monotonic() - started))

        status, text = http("GET", base + "/metrics")
        if status != 200:
            fail("/metrics answered %d" % status)
        names = parse_exposition(text)
        for source, exprs in (("dashboard", dashboard_exprs(args.dashboard)), ("alerts", rule_exprs(args.rules))):
            for expr in exprs:
                missing = metric_names_in(expr) - names
                if missing:
                    fail("%s query %r uses metrics not in /metrics: %s" % (source, expr, sorted(missing)))
        # The rules loaded into the real Prometheus, none broken.
        status, body = http("GET", prom + "/api/v1/rules")
        groups = json.loads(body)["data"]["groups"]
        rules = [r for g in groups for r in g["rules"]]
        if not rules or any(r.get("health") == "err" for r in rules):
            fail("alert rules not loaded cleanly: " + body[:2000])
        print("ok: exposition valid, %d metric names, dashboard and %d rules use only real ones"
              % (len(names), len(rules)))
    finally:
        stop_processes(list(reversed(processes)))
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
