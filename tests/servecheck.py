"""Run ``antiphon serve`` as a subprocess and talk to it over HTTP."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT


class Served:
    def __init__(self, process: subprocess.Popen, url: str):
        self.process = process
        self.url = url
        self.output: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stdout:
            self.output.append(line)

    def get(self, path: str) -> tuple[int, str, dict]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.status, response.read().decode("utf-8"), dict(response.headers)
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace"), dict(err.headers)

    def wait_for(self, check, timeout: float = 10.0, message: str = "condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = check()
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {message}; server said:\n{''.join(self.output)}")


@contextmanager
def serve(project: Path, *extra: str):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0", *extra], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    url = None
    lines = []
    deadline = time.monotonic() + 30
    while url is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"Serving (http://\S+)", line)
        url = found.group(1) if found else None
    if url is None:
        process.kill()
        raise AssertionError("serve did not start:\n" + "".join(lines))
    served = Served(process, url)
    served.output.extend(lines)
    try:
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class EventStream:
    """A Server-Sent Events client on its own thread, collecting (event, data) pairs."""

    def __init__(self, url: str, generation: int):
        parts = urllib.parse.urlsplit(url)
        self.events: list[tuple[str, str]] = []
        self._connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self._connection.request("GET", f"/__antiphon/events?generation={generation}")
        self._response = self._connection.getresponse()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        name = None
        try:
            for raw in self._response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name:
                    self.events.append((name, line[6:]))
                    name = None
        except Exception:
            pass

    def close(self):
        self._connection.close()


import urllib.parse  # noqa: E402  (used by EventStream)
