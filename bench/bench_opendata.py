"""Benchmark: open data through the CKAN API with 1,000 datasets holding 10,000 resources.

Targets (issue 7): ``package_search`` median under 30 ms; a full harvest paging
``package_search?rows=100&start=N&sort=id asc`` under 5 s; memory flat while streaming a large
CSV download (a 50 MB file). The figures go to docs/benchmarks.md («Open data»).

    .venv/bin/python bench/bench_opendata.py                 # SQLite (or: make bench)
    OPENDATA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ratusha_opendata_bench \
        .venv/bin/python bench/bench_opendata.py             # PostgreSQL

The database is filled by ``ratusha.opendata.demo`` at the ``large`` scale (bulk inserts, a
benchmark fixture, not the write path) with 26 structural units as holders. SQLite is a
temporary file, kept in ``RATUSHA_BENCH_CACHE`` when that is set; a PostgreSQL database named
by ``OPENDATA_BENCH_DATABASE_URL`` is migrated and (re)filled. ``main()`` runs it all in a fresh
Python process so the settings take effect before Django starts. Requests go through Django's
test client (server time, no network).
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = 50
WARMUP = 3
SEARCH_TARGET_MS = 30.0
HARVEST_TARGET_S = 5.0
STREAM_MB = 50


def _prepare_environment() -> tuple[Path, bool]:
    tmp = Path(tempfile.mkdtemp(prefix="ratusha-bench-opendata-"))
    postgres = os.environ.get("OPENDATA_BENCH_DATABASE_URL", "")
    cached = False
    if postgres:
        os.environ["DATABASE_URL"] = postgres
    else:
        database = tmp / "bench.sqlite3"
        cache = os.environ.get("RATUSHA_BENCH_CACHE")
        if cache:
            stored = Path(cache) / "opendata-large.sqlite3"
            if stored.exists():
                shutil.copy(stored, database)
                cached = True
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["RATUSHA_VAR_DIR"] = str(tmp)
    media = Path(os.environ.get("RATUSHA_BENCH_CACHE") or tmp) / "opendata-media"
    os.environ["MEDIA_ROOT"] = str(media)
    os.environ["DEBUG"] = "False"
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusha.settings")
    sys.path.insert(0, str(HERE.parent))
    return tmp, cached


def _fill() -> dict[str, int]:
    from ratusha.core.demo_support import DemoContext
    from ratusha.core.models import StructuralUnit
    from ratusha.opendata import demo
    from ratusha.opendata.models import Dataset, Resource

    if Dataset.objects.count() == demo.LARGE_DATASETS:
        return {"datasets": Dataset.objects.count(), "resources": Resource.objects.count()}
    Dataset.objects.all().delete()
    if not StructuralUnit.objects.exists():
        StructuralUnit.objects.bulk_create(
            StructuralUnit(name=f"Відділ {n}", short_name=f"Відділ {n}", slug=f"viddil-{n}")
            for n in range(1, 27)
        )
    ctx = DemoContext(scale="large", seed=2026, today=dt.date(2026, 1, 15))
    ctx.shared["units"] = list(StructuralUnit.objects.all())
    return demo.generate(ctx)


def _median_ms(client, path: str, params: dict) -> tuple[float, float]:
    for _ in range(WARMUP):
        assert client.get(path, params).status_code == 200
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(path, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def _harvest(client) -> tuple[float, int, int]:
    started = time.perf_counter()
    seen: set[str] = set()
    start = pages = 0
    while True:
        response = client.get(
            "/api/3/action/package_search", {"rows": 100, "start": start, "sort": "id asc"}
        )
        results = response.json()["result"]["results"]
        if not results:
            break
        seen.update(package["id"] for package in results)
        start += 100
        pages += 1
    return time.perf_counter() - started, len(seen), pages


def _stream(client, tmp: Path) -> dict[str, float]:
    from django.core.files import File

    from ratusha.opendata.models import Resource, ResourceVersion

    resource_row = Resource.objects.select_related("dataset", "current").order_by("id").first()
    version = resource_row.current
    big = tmp / "big.csv"
    line = b"1234567890,abcdefghijklmnopqrstuvwxyz,2026-01-15,123456.78\n"
    with open(big, "wb") as handle:
        handle.write(b"id,name,date,amount\n")
        for _ in range(STREAM_MB * 1024 * 1024 // len(line)):
            handle.write(line)
    size = big.stat().st_size
    with open(big, "rb") as handle:
        version.file.save("bench-big.csv", File(handle), save=False)
    ResourceVersion.objects.filter(pk=version.pk).update(file=version.file.name, size=size)
    url = f"/opendata/{resource_row.dataset.identifier}/resources/{resource_row.uuid}/download"
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url)
    total = 0
    for chunk in response.streaming_content:
        total += len(chunk)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert total == size
    return {
        "file_mb": size / 1024 / 1024,
        "peak_traced_mb": peak / 1024 / 1024,
        "rss_growth_mb": (rss_after - rss_before) / 1024,
        "seconds": seconds,
    }


def run() -> int:
    tmp, cached = _prepare_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    if not cached:
        call_command("migrate", verbosity=0)
    counts = _fill()
    prepared = time.perf_counter() - started
    if not cached and os.environ.get("RATUSHA_BENCH_CACHE") and connection.vendor == "sqlite":
        connection.close()
        Path(os.environ["RATUSHA_BENCH_CACHE"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(
            Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")),
            Path(os.environ["RATUSHA_BENCH_CACHE"]) / "opendata-large.sqlite3",
        )
    client = Client()
    print(
        f"   database: {connection.vendor}; {counts['datasets']} datasets, "
        f"{counts['resources']} resources (prepared in {prepared:.1f} s)"
    )
    scenarios = [
        ("package_search (defaults: 10 rows)", {}),
        (
            "package_search q + fq res_format + tags, 10 rows",
            {"q": "бюджет", "fq": 'res_format:CSV tags:"тема 7"'},
        ),
        (
            "package_search fq metadata_modified:[NOW-30DAYS TO *], 10 rows",
            {"fq": "metadata_modified:[NOW-30DAYS TO *]"},
        ),
        ("package_search rows=100, sort=id asc", {"rows": 100, "sort": "id asc"}),
        (
            "package_search with facets (organization, tags, res_format)",
            {"facet.field": '["organization","tags","res_format"]'},
        ),
    ]
    failed = False
    for label, params in scenarios:
        median, p95 = _median_ms(client, "/api/3/action/package_search", params)
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/3/action/package_search", params)
        mark = ""
        if not params:
            ok = median < SEARCH_TARGET_MS
            failed |= not ok
            mark = f" — target < {SEARCH_TARGET_MS:.0f} ms: {'met' if ok else 'MISSED'}"
        print(
            f"   {label}: median {median:.1f} ms, p95 {p95:.1f} ms, "
            f"{len(queries.captured_queries)} queries{mark}"
        )
    seconds, seen, pages = _harvest(client)
    ok = seconds < HARVEST_TARGET_S and seen == counts["datasets"]
    failed |= not ok
    print(
        f"   full harvest: {pages} pages of 100, {seen} distinct datasets in {seconds:.2f} s "
        f"— target < {HARVEST_TARGET_S:.0f} s: {'met' if ok else 'MISSED'}"
    )
    stream = _stream(client, tmp)
    flat = stream["peak_traced_mb"] < 5
    failed |= not flat
    print(
        f"   streaming a {stream['file_mb']:.0f} MB CSV: peak Python allocations "
        f"{stream['peak_traced_mb']:.2f} MB, RSS growth {stream['rss_growth_mb']:.1f} MB, "
        f"{stream['seconds']:.2f} s — memory flat: {'yes' if flat else 'NO'}"
    )
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


def main() -> None:
    """Run the benchmark in a fresh process (settings before Django starts)."""
    done = subprocess.run([sys.executable, __file__, "--child"], check=False)
    if done.returncode:
        raise RuntimeError("open data benchmark missed a target (see above)")


if __name__ == "__main__":
    if "--child" in sys.argv:
        raise SystemExit(run())
    main()
