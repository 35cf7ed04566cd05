"""Load test (issue 8): 200 concurrent connections for 60 seconds on the demo site's public
pages, and no request may fail.

The ``small`` demo (``make run``'s) is loaded into a fresh SQLite database, granian serves it
as in production (2 workers, ``DEBUG=False``, the anonymous page cache on: Redis when
``redis-server`` is installed, else the file cache under ``var/cache``), and wrk opens 200
connections (2 threads) that cycle through the public pages: the home page, news, the acts
registry and an act, the council, a meeting, a deputy, open data and a dataset, search results
and the search API, the CKAN API. Reported: requests per second, latency p50/p90/p99, and the
failures (non-2xx/3xx answers, socket errors incl. timeouts), which must be none. The figures
go to docs/benchmarks.md («Load»).

Run alone with ``.venv/bin/python bench/bench_load.py`` (``--duration N`` seconds, default 60;
``--connections N``, default 200) or with the others through ``make bench`` (which installs
wrk, ``make bench-deps``). It loads both cores for the whole run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from serving import ensure_free, wait_for

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PORT = int(os.environ.get("RATUSHA_BENCH_PORT", "8113")) + 10
REDIS_PORT = PORT + 1
SEED = 7
# As README's production command: a few Python threads per worker and at most 64 requests in
# Python at once, the rest queued by granian. Its default (a thread per request, up to 256 a
# worker) lets 200 connections' requests fight over the GIL: in a 20 s trial on this machine
# p90 3.1 s, p99 7.1 s and 28 requests past wrk's 10 s timeout, against p99 0.56 s and none.
SERVER_OPTIONS = ["--blocking-threads", "4", "--backpressure", "64"]
TODAY = "2026-11-21"


def _env(database: Path, var_dir: Path, media: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "RATUSHA_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(media),
        "DEBUG": "False",
        "PORTAL_CACHE_SECONDS": "300",
        "DJANGO_SETTINGS_MODULE": "ratusha.settings",
    }
    env.pop("CACHE_URL", None)
    return env


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


URLS_SCRIPT = """
import json
from wagtail.models import Page
from ratusha.acts.models import Act
from ratusha.council.models import Deputy, Meeting
from ratusha.opendata.models import Dataset
paths = ["/", "/acts/", "/council/", "/council/meetings/", "/opendata/", "/search/?q=рішення",
         "/search/?q=бюджет+громади", "/api/v1/search?q=сесія", "/api/3/action/package_search",
         "/council/opendata/"]
paths += [p.url for p in Page.objects.live().public().specific().exclude(depth__lte=2)[:12]]
act = Act.objects.filter(published_at__isnull=False).order_by("-pk").first()
meeting = Meeting.objects.filter(vote_events__published_at__isnull=False).order_by("-pk").first()
deputy = Deputy.objects.order_by("pk").first()
dataset = Dataset.objects.filter(published_at__isnull=False, withdrawn_at__isnull=True).first()
paths += [f"/acts/{act.pk}/", f"/council/meetings/{meeting.pk}/",
          f"/council/deputies/{deputy.pk}/", f"/opendata/{dataset.identifier}/"]
print(json.dumps(list(dict.fromkeys(p for p in paths if p))))
"""


def _urls(env: dict) -> list[str]:
    out = _manage(env, "shell", "-c", URLS_SCRIPT)
    return json.loads(out.strip().splitlines()[-1])


def _lua(paths: list[str], folder: Path) -> Path:
    """A wrk script sending the pages in turn (each connection starting elsewhere)."""
    quoted = ", ".join(json.dumps(urllib.request.quote(p, safe="/?=&+")) for p in paths)
    script = folder / "pages.lua"
    script.write_text(
        f"local paths = {{{quoted}}}\n"
        "local counter = 0\n"
        "function init(args) counter = math.random(#paths) end\n"
        "function request()\n"
        "  counter = counter + 1\n"
        "  return wrk.format('GET', paths[(counter % #paths) + 1])\n"
        "end\n"
    )
    return script


def _latency(out: str, percent: str) -> str:
    found = re.search(rf"^\s*{percent}%\s+([\d.]+\w+)", out, re.MULTILINE)
    return found.group(1) if found else "?"


def _wrk(base: str, script: Path, connections: int, duration: int) -> dict:
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency"]
        + ["-s", str(script), base + "/"],
        check=True,
        capture_output=True,
        text=True,
    )
    out = done.stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
        "p50": _latency(out, "50"),
        "p90": _latency(out, "90"),
        "p99": _latency(out, "99"),
        "raw": out,
    }


def run(duration: int, connections: int) -> bool:
    if shutil.which("wrk") is None:
        print("   wrk is not installed (make bench-deps); skipped")
        return True
    tmp = Path(tempfile.mkdtemp(prefix="ratusha-bench-load-"))
    processes: list[subprocess.Popen] = []
    try:
        env = _env(tmp / "load.sqlite3", tmp / "var", tmp / "media")
        started = time.perf_counter()
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "demo_hromada", "--scale", "small", "--seed", str(SEED), "--today", TODAY)
        print(f"   small demo loaded in {time.perf_counter() - started:.0f} s")
        paths = _urls(env)
        redis = shutil.which("redis-server")
        cache = "file cache under var/cache"
        if redis:
            ensure_free(REDIS_PORT)
            processes.append(
                subprocess.Popen(
                    [redis, "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            env["CACHE_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"
            cache = "Redis"
        ensure_free(PORT)
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "granian", "--interface", "wsgi"]
                + ["ratusha.wsgi:application", "--host", "127.0.0.1", "--port", str(PORT)]
                + ["--workers", "2", *SERVER_OPTIONS, "--log-level", "warning"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        base = f"http://127.0.0.1:{PORT}"
        wait_for(base + "/")
        for path in paths:  # every page answers before the load, and is cached if it may be
            wait_for(base + urllib.request.quote(path, safe="/?=&+"))
        load = os.getloadavg()[0]
        print(
            f"   granian 2 workers {' '.join(SERVER_OPTIONS)}, page cache on ({cache});"
            f" {len(paths)} public pages in turn;"
            f" wrk -t2 -c{connections} -d{duration}s --timeout 10s (load average before"
            f" {load:.1f}, {os.cpu_count()} CPUs)"
        )
        figures = _wrk(base, _lua(paths, tmp), connections, duration)
        failed = figures["non_2xx"] or figures["socket_errors"]
        print(
            f"   {figures['requests']:,} requests, {figures['rps']:.0f} req/s; latency p50"
            f" {figures['p50']} p90 {figures['p90']} p99 {figures['p99']}; failed: non-2xx/3xx"
            f" {figures['non_2xx']}, socket errors {figures['socket_errors'] or 'none'}"
            f"  [{'FAILED' if failed else 'OK'}]"
        )
        if failed:
            print(figures["raw"])
        return not failed
    finally:
        for process in processes:  # each leads a process group of its own
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)


def main(duration: int = 60, connections: int = 200) -> None:
    if not run(duration, connections):
        raise RuntimeError("requests failed under load")


if __name__ == "__main__":
    arguments = sys.argv[1:]

    def _option(name: str, default: int) -> int:
        return int(arguments[arguments.index(name) + 1]) if name in arguments else default

    main(_option("--duration", 60), _option("--connections", 200))
