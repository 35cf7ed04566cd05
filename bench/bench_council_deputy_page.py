"""Benchmark: a deputy's page (``/council/deputies/<pk>/``) over a council with 1,400,000
deputies' votes at its sessions.

Target (issue «Council», speed): median server time under 100 ms for a deputy's page over a
convocation with 1,000,000 votes. The figures go to docs/benchmarks.md («Deputy's page»).

The page is rendered every time: the anonymous page cache (``core.cache``) is off
(``PORTAL_CACHE_SECONDS=0``) and a response served from it (``X-Cache``) fails the run, so the
figures are the server's work — the selectors, the template, the site frame — not a cache hit.

Run alone with ``.venv/bin/python bench/bench_council_deputy_page.py`` or with the others
through ``make bench``. By default the database is a temporary SQLite file (``DATABASE_URL``
and ``RATUSHA_VAR_DIR`` point at a temporary directory before Django starts); with
``--database-url postgres://…/<name>`` it is that PostgreSQL database — a scratch one: its
``public`` schema is dropped and made again whenever it does not hold the current fill. The
database is migrated and filled by the demo's large-scale generator (``council.demo.large``:
two convocations of 40 deputies, 35,000 votes held at sessions — 1,400,000 deputies' votes —
plus commission and executive committee meetings, drafts and minutes, bulk-inserted): a
benchmark fixture, not the write path.

Filling takes a minute or two, so it is kept: the SQLite file in a cache
(``$RATUSHA_BENCH_CACHE``, by default ``<temp dir>/ratusha-bench-cache``), the PostgreSQL
database as it is, with the fill's key in a table ``ratusha_bench_key``. The key is made of the
migrations and the generator's source, so any change to either fills again. ``--fresh``
ignores what is kept. ``main()`` runs all this in a fresh Python process, so the settings take
effect even when another benchmark has already set Django up, and do not leak into the others.
"""

from __future__ import annotations

import argparse
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
    sources += sorted((ROOT / "ratusha" / "council" / "demo").glob("*.py"))
    for source in sources:
        digest.update(str(source.relative_to(ROOT)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _cache_file() -> Path:
    folder = Path(
        os.environ.get("RATUSHA_BENCH_CACHE") or Path(tempfile.gettempdir()) / "ratusha-bench-cache"
    )
    return folder / f"council-votes-{_cache_key()}.sqlite3"


def _prepare_environment(database_url: str = "") -> Path:
    """Point Django at the database (a temporary SQLite file unless given) and a temporary
    var/ before it starts; the anonymous page cache off."""
    tmp = Path(tempfile.mkdtemp(prefix="ratusha-bench-council-"))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["RATUSHA_VAR_DIR"] = str(tmp)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["DEBUG"] = "False"  # as in production: no query log kept in memory
    os.environ["PORTAL_CACHE_SECONDS"] = "0"  # measure the page, not the cache
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusha.settings")
    sys.path.insert(0, str(ROOT))
    return tmp


def _fill() -> dict[str, int]:
    from django.db import transaction

    from ratusha.core.demo_support import DemoContext
    from ratusha.council import demo

    with transaction.atomic():
        return demo.generate(DemoContext(scale="large", seed=SEED, today=TODAY))


def _migrate_and_fill() -> str:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    counts = _fill()
    filled = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return (
        f"migrate {migrated - started:.1f} s; {counts['votes']:,} votes in "
        f"{counts['vote_events']:,} vote events, {counts['meetings']:,} meetings and "
        f"{counts['acts']:,} acts bulk-created in {filled - migrated:.1f} s"
    )


def _sqlite_database(tmp: Path, fresh: bool) -> str:
    """The filled database at ``tmp/bench.sqlite3``: copied from the cache, or made (and
    cached). Returns how it was obtained, for the report."""
    from django.db import connection

    target = tmp / "bench.sqlite3"
    cached = _cache_file()
    if cached.exists() and not fresh:
        connection.close()
        shutil.copyfile(cached, target)
        return f"copied from the cache {cached}"
    made = _migrate_and_fill()
    connection.close()
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    shutil.copyfile(target, partial)
    partial.replace(cached)
    return f"{made} (cached as {cached})"


def _postgresql_database(fresh: bool) -> str:
    """The given PostgreSQL database, filled: kept if it holds the current fill (its key in
    ``ratusha_bench_key``), else emptied and filled again."""
    from django.db import connection

    key = _cache_key()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.ratusha_bench_key') IS NOT NULL")
        if cursor.fetchone()[0] and not fresh:
            cursor.execute("SELECT key FROM ratusha_bench_key")
            row = cursor.fetchone()
            if row and row[0] == key:
                return f"kept from an earlier run (key {key})"
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    made = _migrate_and_fill()
    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk insert in production: the visibility map
        # lets the deputy's counts be read from the index alone.
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CREATE TABLE ratusha_bench_key (key text NOT NULL)")
        cursor.execute("INSERT INTO ratusha_bench_key VALUES (%s)", [key])
    return f"{made} (kept with key {key})"


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
        response = client.get(url)
    assert "X-Cache" not in response, "served from the page cache: the benchmark would lie"
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "queries": len(queries),
    }


def run_inline(fresh: bool = False, database_url: str = "") -> list[dict]:
    tmp = _prepare_environment(database_url)
    try:
        import django

        django.setup()
        from django.db import connection
        from django.db.models import Count
        from django.test import Client
        from django.urls import reverse

        from ratusha.council.models import Deputy, Vote

        if connection.vendor == "postgresql":
            print(f"   {_postgresql_database(fresh)}")
        else:
            print(f"   {_sqlite_database(tmp, fresh)}")
        print(f"   {_engine(connection)}")
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
        # The same site frame with no votes at all: a member of the executive committee
        # without a mandate. The deputy's page over its ratio is what 26,000 votes cost.
        from ratusha.council.models import Person

        person = Person.objects.filter(mandates__isnull=True, memberships__isnull=False).first()
        baseline = _measure(client, person.get_absolute_url())
        print(
            f"   {'a person without votes':<28} median {baseline['median']:6.1f} ms  p95 "
            f"{baseline['p95']:6.1f} ms  queries {baseline['queries']}  (the deputy's page is "
            f"{results[0]['median'] / baseline['median']:.2f}× it)"
        )
        results.append({"label": "a person without votes", **baseline})
        results.append(_attendance_ratio(deputy))
        return results
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _attendance_ratio(deputy) -> dict:
    """The deputy's counts per choice as the page reads them (from the indexes alone) against
    the straightforward query that joins every vote to its event to keep the published ones:
    the same answer, timed in the same run (a ratio holds on a noisy machine)."""
    from django.db.models import Count

    from ratusha.council import selectors
    from ratusha.council.models import Vote

    def joined():
        return dict(
            Vote.objects.filter(deputy_id=deputy.pk, event__published_at__isnull=False)
            .values("choice")
            .annotate(n=Count("*"))
            .order_by()
            .values_list("choice", "n")
        )

    def indexed():
        return selectors.deputy_attendance(deputy).counts

    assert joined() == indexed()
    medians = {}
    for name, run in (("indexed", indexed), ("joined", joined)):
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        medians[name] = statistics.median(times)
    print(
        f"   counts per choice: from the indexes {medians['indexed']:.1f} ms, joined to the "
        f"events {medians['joined']:.1f} ms (ratio {medians['joined'] / medians['indexed']:.1f})"
    )
    return {"label": "counts per choice", **medians}


def _engine(connection) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    version = connection.pg_version
    return f"PostgreSQL {version // 10000}.{version % 10000}"


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fresh", action="store_true", help="fill the database again")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("RATUSHA_BENCH_DATABASE_URL", ""),
        help="a scratch PostgreSQL database (postgres://user@host:5432/name); it is emptied "
        "and filled. Default: $RATUSHA_BENCH_DATABASE_URL, else a temporary SQLite file.",
    )
    return parser.parse_args(argv)


def main(fresh: bool = False, database_url: str | None = None) -> None:
    """Run the benchmark in a fresh Python process: its database settings (a temporary SQLite
    file, or the scratch PostgreSQL database given) then neither depend on nor leak into
    whatever else ``bench/run.py`` runs."""
    if database_url is None:
        database_url = os.environ.get("RATUSHA_BENCH_DATABASE_URL", "")
    command = [sys.executable, __file__, "--inline"] + (["--fresh"] if fresh else [])
    if database_url:
        command += ["--database-url", database_url]
    completed = subprocess.run(command, check=False)
    if completed.returncode:
        raise RuntimeError(
            f"bench_council_deputy_page failed with exit code {completed.returncode}"
        )


if __name__ == "__main__":
    arguments = _arguments(sys.argv[1:])
    if arguments.inline:
        print(f"   {os.cpu_count()} CPUs; {RUNS} runs per scenario; page cache off")
        run_inline(fresh=arguments.fresh, database_url=arguments.database_url)
    else:
        main(fresh=arguments.fresh, database_url=arguments.database_url)
