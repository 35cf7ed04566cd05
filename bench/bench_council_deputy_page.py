"""Benchmark: a deputy's page (``/council/deputies/<pk>/``) over a council with 1,400,000
deputies' votes.

Target (issue «Council», speed): median server time under 100 ms for a deputy's page over a
convocation with 1,000,000 votes. The figures go to docs/benchmarks.md («Deputy's page»).

Run alone with ``.venv/bin/python bench/bench_council_deputy_page.py`` or with the others
through ``make bench``. The database is a temporary SQLite file (``DATABASE_URL`` and
``RATUSHA_VAR_DIR`` point at a temporary directory before Django starts), migrated and filled
by the demo's large-scale generator (``council.demo``: two convocations of 40 deputies, 35,000
votes held, 1,400,000 deputies' votes, bulk-inserted) — a benchmark fixture, not the write path.

Filling takes a minute or two, so the filled file is kept in a cache
(``$RATUSHA_BENCH_CACHE``, by default ``<temp dir>/ratusha-bench-cache``) under a key made of
the migrations and the generator's source: a later run copies it instead of filling again, and
any change to the schema or the generator makes a new one. ``--fresh`` ignores the cache.
``main()`` runs all this in a fresh Python process, so the settings take effect even when
another benchmark has already set Django up, and do not leak into the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RUNS = 30
WARMUP = 3
TARGET_MS = 100.0
SEED = 20250320
TODAY = dt.date(2026, 11, 20)
MIN_VOTES = 1_000_000


def _cache_key() -> str:
    """Changes whenever the schema or the generator does."""
    digest = hashlib.sha256()
    sources = sorted((ROOT / "ratusha").glob("*/migrations/0*.py"))
    sources.append(ROOT / "ratusha" / "council" / "demo.py")
    for source in sources:
        digest.update(str(source.relative_to(ROOT)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _cache_file() -> Path:
    folder = Path(
        os.environ.get("RATUSHA_BENCH_CACHE") or Path(tempfile.gettempdir()) / "ratusha-bench-cache"
    )
    return folder / f"council-votes-{_cache_key()}.sqlite3"


def _prepare_environment() -> Path:
    """Point Django at a temporary database and var/ before it starts."""
    tmp = Path(tempfile.mkdtemp(prefix="ratusha-bench-council-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["RATUSHA_VAR_DIR"] = str(tmp)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["DEBUG"] = "False"  # as in production: no query log kept in memory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusha.settings")
    sys.path.insert(0, str(ROOT))
    return tmp


def _fill() -> dict[str, int]:
    from django.db import transaction

    from ratusha.core.demo_support import DemoContext
    from ratusha.council import demo

    with transaction.atomic():
        return demo.generate(DemoContext(scale="large", seed=SEED, today=TODAY))


def _database(tmp: Path, fresh: bool) -> str:
    """The filled database at ``tmp/bench.sqlite3``: copied from the cache, or made (and
    cached). Returns how it was obtained, for the report."""
    from django.core.management import call_command
    from django.db import connection

    target = tmp / "bench.sqlite3"
    cached = _cache_file()
    if cached.exists() and not fresh:
        connection.close()
        shutil.copyfile(cached, target)
        return f"copied from the cache {cached}"
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    counts = _fill()
    filled = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    shutil.copyfile(target, partial)
    partial.replace(cached)
    return (
        f"migrate {migrated - started:.1f} s; {counts['votes']:,} votes in "
        f"{counts['vote_events']:,} vote events bulk-created in {filled - migrated:.1f} s "
        f"(cached as {cached})"
    )


def _measure(client, url: str) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "queries": len(queries),
    }


def run_inline(fresh: bool = False) -> list[dict]:
    tmp = _prepare_environment()
    try:
        import django

        django.setup()
        from django.db.models import Count
        from django.test import Client
        from django.urls import reverse

        from ratusha.council.models import Deputy, Vote

        print(f"   {_database(tmp, fresh)}")
        total = Vote.objects.count()
        assert total >= MIN_VOTES, f"only {total:,} votes"
        deputy = (
            Deputy.objects.filter(convocation__number=8)
            .annotate(n=Count("votes"))
            .order_by("-n", "pk")
            .first()
        )
        url = reverse("council:deputy", kwargs={"pk": deputy.pk})
        print(f"   {total:,} votes in the database; the deputy #{deputy.pk} has {deputy.n:,}")
        client = Client()
        results = []
        for label, query in (
            ("deputy's page", ""),
            ("page 50 of the votes", "?page=50"),
            ("votes «against», page 1", "?choice=against"),
            ("votes «for», page 50", "?choice=for&page=50"),
        ):
            figures = _measure(client, url + query)
            results.append({"label": label, "url": url + query, **figures})
            verdict = "OK" if figures["median"] < TARGET_MS else "SLOW"
            print(
                f"   {label:<28} median {figures['median']:6.1f} ms  p95 {figures['p95']:6.1f} ms"
                f"  ({figures['median'] / TARGET_MS:.2f} of the {TARGET_MS:.0f} ms target)"
                f"  queries {figures['queries']}  [{verdict}]"
            )
        return results
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(fresh: bool = False) -> None:
    """Run the benchmark in a fresh Python process: its database settings (a temporary SQLite
    file) then neither depend on nor leak into whatever else ``bench/run.py`` runs."""
    command = [sys.executable, __file__, "--inline"] + (["--fresh"] if fresh else [])
    completed = subprocess.run(command, check=False)
    if completed.returncode:
        raise RuntimeError(
            f"bench_council_deputy_page failed with exit code {completed.returncode}"
        )


if __name__ == "__main__":
    if "--inline" in sys.argv:
        print(f"   {os.cpu_count()} CPUs; SQLite; {RUNS} runs per scenario")
        run_inline(fresh="--fresh" in sys.argv)
    else:
        main(fresh="--fresh" in sys.argv)
