"""Benchmark: the public site on the ``large`` demo (50,000 news, 20,000 photos; with the acts
registry's 100,000 acts and the council's 1,400,000 votes of the same demo).

Targets (issue «Public portal», speed):
- uncached (``PORTAL_CACHE_SECONDS=0``): the home page, a news list page and a news page each
  served at a median under 30 ms — measured through the whole Django stack with the test
  ``Client``, on SQLite and, when ``DATABASE_URL`` points to PostgreSQL, there too;
- cached: at least 1,000 requests a second with wrk (2 threads, 50 connections) against
  granian (2 workers, the production server, README) with no errors.
The figures go to docs/benchmarks.md («Public portal»).

Run alone with ``.venv/bin/python bench/bench_portal.py`` (``--fresh`` rebuilds the demo,
``--no-load`` skips wrk, ``--duration N`` sets wrk's seconds per page) or with the others
through ``make bench`` (which installs wrk, ``make bench-deps``).

``manage.py demo_hromada --scale large`` takes minutes, so the filled SQLite file and its media
are kept in a cache (``$RATUSHA_BENCH_CACHE``, by default ``<temp dir>/ratusha-bench-cache``)
under a key made of the migrations and the demo generators' source: a later run copies them
instead of filling again. On PostgreSQL the filled database itself is kept, named
``<database>_portal_<key>`` on the server ``DATABASE_URL`` names, vacuumed and analysed once
filled (as autovacuum leaves it). The SQLite database gets no ``ANALYZE`` (Django never runs
it; the plans are those of a real installation). Each part runs
in a fresh Python process so its settings neither depend on nor leak into other benchmarks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from serving import ensure_free, wait_for

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RUNS = 30
WARMUP = 3
TARGET_MS = 30.0
TARGET_RPS = 1000.0
SEED = 2026
TODAY = dt.date(2026, 3, 1)
MIN_NEWS = 50_000
PORT = int(os.environ.get("RATUSHA_BENCH_PORT", "8113"))
REDIS_PORT = PORT + 1


# The filled database, cached --------------------------------------------------------------


def _cache_key() -> str:
    """Changes whenever the schema or a demo generator does."""
    digest = hashlib.sha256()
    sources = sorted((ROOT / "ratusha").glob("*/migrations/0*.py"))
    sources += sorted((ROOT / "ratusha").glob("*/demo.py"))
    sources += [
        ROOT / "ratusha" / "core" / "demo_support.py",
        ROOT / "ratusha" / "core" / "management" / "commands" / "demo_hromada.py",
    ]
    for source in sources:
        digest.update(str(source.relative_to(ROOT)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> Path:
    folder = Path(
        os.environ.get("RATUSHA_BENCH_CACHE") or Path(tempfile.gettempdir()) / "ratusha-bench-cache"
    )
    return folder / f"portal-large-{_cache_key()}"


def _setup_django(database_url: str, var_dir: Path, media: Path, *, cache_seconds: int) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["RATUSHA_VAR_DIR"] = str(var_dir)
    os.environ["MEDIA_ROOT"] = str(media)
    os.environ["DEBUG"] = "False"  # as in production: no query log kept in memory
    os.environ["PORTAL_CACHE_SECONDS"] = str(cache_seconds)
    os.environ.pop("CACHE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusha.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _fill() -> str:
    """Migrate and load the large demo into the configured database; returns a summary."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    call_command(
        "demo_hromada", scale="large", seed=SEED, today=TODAY.isoformat(), stdout=io.StringIO()
    )
    filled = time.perf_counter() - migrated
    return f"migrate {migrated - started:.0f} s, demo_hromada --scale large {filled:.0f} s"


def _sqlite_database(tmp: Path, fresh: bool) -> tuple[Path, Path, str]:
    """The filled SQLite file and media under ``tmp`` (copied from the cache, or made and
    cached). Returns (database, media, how it was obtained)."""
    cached = _cache_dir() / "sqlite"
    target_db, target_media = tmp / "bench.sqlite3", tmp / "media"
    if fresh and cached.exists():
        shutil.rmtree(cached)
    if not (cached / "bench.sqlite3").exists():
        building = cached.with_name(cached.name + ".partial")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        command = [sys.executable, __file__, "--fill", f"sqlite:///{building / 'bench.sqlite3'}"]
        command += [str(building / "media")]
        done = subprocess.run(command, check=False, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"filling the SQLite demo failed:\n{done.stderr[-3000:]}")
        building.replace(cached)
        how = f"{done.stdout.strip().splitlines()[-1]} (cached in {cached})"
    else:
        how = f"copied from the cache {cached}"
    shutil.copyfile(cached / "bench.sqlite3", target_db)
    shutil.copytree(cached / "media", target_media)
    return target_db, target_media, how


def _pg_connect(config: dict, dbname: str):
    import psycopg

    return psycopg.connect(
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        dbname=dbname,
        autocommit=True,
    )


def _postgres_database(url: str, fresh: bool) -> tuple[str, Path, str]:
    """The filled PostgreSQL database next to the one ``url`` names (made once and kept)."""
    import environ

    config = environ.Env.db_url_config(url)
    name = f"{config['NAME']}_portal_{_cache_key()}"[:63]
    media = _cache_dir() / "postgres-media"
    admin = _pg_connect(config, "postgres")
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not fresh:
            return url.rsplit("/", 1)[0] + f"/{name}", media, f"kept database {name}"
        building = f"{name[:54]}_partial"
        for stale in (building, name):
            admin.execute(f'DROP DATABASE IF EXISTS "{stale}"')
        admin.execute(f'CREATE DATABASE "{building}"')
        shutil.rmtree(media, ignore_errors=True)
        media.mkdir(parents=True)
        building_url = url.rsplit("/", 1)[0] + f"/{building}"
        done = subprocess.run(
            [sys.executable, __file__, "--fill", building_url, str(media)],
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"filling the PostgreSQL demo failed:\n{done.stderr[-3000:]}")
        admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    # As autovacuum leaves a database after a bulk load: visibility map and statistics made.
    with _pg_connect(config, name) as filled:
        filled.execute("VACUUM ANALYZE")
    summary = done.stdout.strip().splitlines()[-1]
    return url.rsplit("/", 1)[0] + f"/{name}", media, f"{summary} (kept as {name})"


# Uncached: the test client through the whole stack ----------------------------------------


def _urls() -> list[tuple[str, str]]:
    from ratusha.portal.models import NewsIndexPage, NewsPage

    index = NewsIndexPage.objects.live().order_by("path").first()
    news = NewsPage.objects.child_of(index).live().order_by("-date", "-pk").first()
    return [
        ("home", "/"),
        ("news list", index.url),
        ("news list, page 2,000", f"{index.url}?page=2000"),
        ("news page", news.url),
    ]


def _measure(client, url: str) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        assert client.get(url).status_code == 200, url
    wall, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        assert "X-Cache" not in response, "the page cache must be off"
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    wall.sort()
    return {
        "median": statistics.median(wall),
        "p95": wall[int(len(wall) * 0.95) - 1],
        "cpu": statistics.median(cpu),
        "queries": len(queries),
    }


def run_uncached(database_url: str, var_dir: Path, media: Path, label: str) -> None:
    _setup_django(database_url, var_dir, media, cache_seconds=0)
    from django.test import Client

    from ratusha.portal.models import NewsPage

    total = NewsPage.objects.count()
    assert total >= MIN_NEWS, f"only {total:,} news"
    print(f"   {label}: {total:,} news; uncached, {RUNS} runs after {WARMUP} warm-up")
    client = Client()
    for name, url in _urls():
        figures = _measure(client, url)
        verdict = "OK" if figures["median"] < TARGET_MS else "SLOW"
        print(
            f"   {name:<24} median {figures['median']:6.1f} ms  p95 {figures['p95']:6.1f} ms"
            f"  cpu {figures['cpu']:5.1f} ms  ({figures['median'] / TARGET_MS:.2f} of "
            f"{TARGET_MS:.0f} ms)  queries {figures['queries']}  [{verdict}]"
        )


# Cached: granian and wrk ------------------------------------------------------------------


def _wrk(url: str, duration: int) -> dict:
    done = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{duration}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    )
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return {
        "rps": rps,
        "requests": requests,
        "errors": (int(non_2xx.group(1)) if non_2xx else 0),
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
    }


def run_cached(database: Path, var_dir: Path, media: Path, duration: int) -> None:
    if shutil.which("wrk") is None:
        print("   cached: wrk is not installed (make bench-deps); skipped")
        return
    redis = shutil.which("redis-server")
    caches = [("file cache under var/cache (the local default)", None)]
    if redis:
        caches.append(("Redis (the production setting)", f"redis://127.0.0.1:{REDIS_PORT}/0"))
    urls = None
    for label, cache_url in caches:
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
        helpers = []
        if cache_url:
            ensure_free(REDIS_PORT)
            helpers.append(
                subprocess.Popen(
                    [redis, "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            env["CACHE_URL"] = cache_url
        ensure_free(PORT)
        server = subprocess.Popen(
            [sys.executable, "-m", "granian", "--interface", "wsgi", "ratusha.wsgi:application"]
            + ["--host", "127.0.0.1", "--port", str(PORT), "--workers", "2"]
            + ["--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{PORT}"
            wait_for(base + "/")
            if urls is None:
                urls = _server_urls(database, var_dir, media)
            print(f"   cached, granian 2 workers, {label}; wrk -t2 -c50 -d{duration}s:")
            for name, path in urls:
                for _ in range(2):  # stored, then served from the cache
                    wait_for(base + path)
                with urllib.request.urlopen(base + path) as response:
                    assert response.headers.get("X-Cache") == "HIT", (path, response.headers)
                load = os.getloadavg()[0]
                figures = _wrk(base + path, duration)
                ok = figures["rps"] >= TARGET_RPS and not figures["errors"]
                ok = ok and not figures["socket_errors"]
                print(
                    f"   {name:<24} {figures['rps']:7.0f} req/s  ({figures['rps'] / TARGET_RPS:.2f}"
                    f" of {TARGET_RPS:.0f})  {figures['requests']:,} requests, errors "
                    f"{figures['errors']} {figures['socket_errors']}"
                    f"  latency p50 {figures['p50']} p99 {figures['p99']}"
                    f"  (load average before {load:.1f})  [{'OK' if ok else 'LOW'}]"
                )
        finally:
            for process in [server, *helpers]:  # each leads a process group of its own
                os.killpg(process.pid, signal.SIGTERM)
            for process in [server, *helpers]:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


def _server_urls(database: Path, var_dir: Path, media: Path) -> list[tuple[str, str]]:
    """The benchmark's pages, found by a short Python process on the same database."""
    done = subprocess.run(
        [sys.executable, __file__, "--urls", f"sqlite:///{database}", str(var_dir), str(media)],
        check=True,
        capture_output=True,
        text=True,
    )
    return [tuple(pair) for pair in json.loads(done.stdout.strip().splitlines()[-1])]


# Entry points -----------------------------------------------------------------------------


def run_inline(fresh: bool, load: bool, duration: int) -> None:
    print(
        f"   {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the start;"
        f" cache key {_cache_key()}"
    )
    postgres = os.environ.get("DATABASE_URL", "")
    tmp = Path(tempfile.mkdtemp(prefix="ratusha-bench-portal-"))
    try:
        database, media, how = _sqlite_database(tmp, fresh)
        print(f"   SQLite: {how}")
        _child("--uncached", f"sqlite:///{database}", str(tmp), str(media), "SQLite")
        if postgres.startswith(("postgres://", "postgresql://")):
            url, pg_media, how = _postgres_database(postgres, fresh)
            print(f"   PostgreSQL: {how}")
            _child("--uncached", url, str(tmp / "pg-var"), str(pg_media), "PostgreSQL")
        if load:
            run_cached(database, tmp, media, duration)
        print(f"   load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _child(*args: str) -> None:
    done = subprocess.run([sys.executable, __file__, *args], check=False)
    if done.returncode:
        raise RuntimeError(f"bench_portal {args[0]} failed with exit code {done.returncode}")


def main(fresh: bool = False, load: bool = True, duration: int = 15) -> None:
    """Run the benchmark in a fresh Python process (see the module's docstring)."""
    command = [sys.executable, __file__, "--inline", "--duration", str(duration)]
    command += (["--fresh"] if fresh else []) + ([] if load else ["--no-load"])
    completed = subprocess.run(command, check=False)
    if completed.returncode:
        raise RuntimeError(f"bench_portal failed with exit code {completed.returncode}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--fill"]:
        url, media = arguments[1], Path(arguments[2])
        _setup_django(url, media.parent, media, cache_seconds=0)
        print(_fill())
    elif arguments[:1] == ["--urls"]:
        _setup_django(arguments[1], Path(arguments[2]), Path(arguments[3]), cache_seconds=0)
        print(json.dumps(_urls()))
    elif arguments[:1] == ["--uncached"]:
        run_uncached(arguments[1], Path(arguments[2]), Path(arguments[3]), arguments[4])
    else:
        options = {
            "fresh": "--fresh" in arguments,
            "load": "--no-load" not in arguments,
            "duration": (
                int(arguments[arguments.index("--duration") + 1])
                if "--duration" in arguments
                else 15
            ),
        }
        (run_inline if arguments[:1] == ["--inline"] else main)(**options)
