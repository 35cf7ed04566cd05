"""Helpers shared by the benchmarks that start a real server (granian) and load it with wrk:
wait until it answers, and refuse a port that is already taken. Imported by ``bench_*.py``
(``bench/`` is on the path both when a script runs alone and under ``run.py``)."""

from __future__ import annotations

import socket
import time
import urllib.request


def wait_for(url: str, seconds: float = 60, *, timeout: float = 10) -> None:
    """Return once ``url`` answers; raise after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {url}")


def ensure_free(port: int) -> None:
    """Raise if something listens on ``port`` of 127.0.0.1."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is taken; set RATUSHA_BENCH_PORT")
