"""Starts a real drone-backend for the ops tests and reads the addresses it prints (no fixed sleeps)."""
import os
import re
import select
import subprocess
import threading
import time


class BackendProcess:
    """A drone-backend child process. Its stdout is read until the line a test waits for
    ("listening http://HOST:PORT", "metrics http://HOST:PORT/metrics"), then drained on a
    thread so a chatty backend never blocks on a full pipe. `stderr` defaults to stdout, so
    `output` holds both for a failure message; pass a file to keep stderr apart."""

    def __init__(self, binary, args, stderr=subprocess.STDOUT):
        self.process = subprocess.Popen([binary] + list(args), stdout=subprocess.PIPE, stderr=stderr)
        self.output = b""
        self._draining = False

    @property
    def pid(self):
        return self.process.pid

    def poll(self):
        return self.process.poll()

    def wait_for(self, pattern, deadline):
        """The first match of the bytes regex `pattern` in the output before `deadline`
        (time.monotonic()), or None if the process exits or stays silent until then."""
        regex = re.compile(pattern)
        while time.monotonic() < deadline:
            match = regex.search(self.output)
            if match:
                return match
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            chunk = os.read(self.process.stdout.fileno(), 4096)
            if not chunk:
                break
            self.output += chunk
        return regex.search(self.output)

    def http_address(self, deadline):
        """(host, port) of --http, from the line printed once the gateway listens; None if never printed."""
        match = self.wait_for(rb"listening http://([0-9.]+):(\d+)", deadline)
        if not match:
            return None
        self.drain()
        return match.group(1).decode(), int(match.group(2))

    def metrics_url(self, deadline):
        """The /metrics URL of --metrics-port (printed before "ready"); None if never printed."""
        match = self.wait_for(rb"metrics (http://\S+/metrics)", deadline)
        if not match:
            return None
        self.drain()
        return match.group(1).decode()

    def drain(self):
        """Reads (and drops) the rest of stdout from now on."""
        if self._draining:
            return
        self._draining = True
        pipe = self.process.stdout
        threading.Thread(target=lambda: [None for _ in iter(lambda: pipe.read(4096), b"")], daemon=True).start()

    def stop(self):
        stop_processes([self.process])


def stop_processes(processes, timeout=10):
    """SIGTERM to every process still running, then waits `timeout` s for each and kills what is left."""
    for p in processes:
        if p.poll() is None:
            p.terminate()
    for p in processes:
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
