"""Benchmark: search over the large demo (100,000 acts with texts, 50,000 news and the other
pages), on SQLite and, with ``--postgres``, on PostgreSQL.

Targets (issue «Search», speed): median query under 30 ms and 95th percentile under 100 ms on
SQLite and on PostgreSQL; indexing at least 500 acts a second; lemmatisation cached so that
repeated words cost nothing. The figures go to docs/benchmarks.md («Search»).

A query here is the whole of ``search.selectors.search`` — vocabulary look-ups, the ranked
page, the facets, the documents and their highlighted snippets — for ``QUERIES`` (realistic,
in inflected forms, with phrases, exclusions, act numbers and a typo), each run ``RUNS`` times
after a warm-up. Indexing is ``search_reindex`` of every document, then of the acts alone.

The filled database (the demo generators of core, portal and acts at the ``large`` scale,
bulk-inserted; the council's 1.4 million votes are not needed here) is cached like
bench_council_deputy_page.py does: ``$RATUSHA_BENCH_CACHE`` (default
``<temp dir>/ratusha-bench-cache``), keyed by the migrations and the generators' source;
``--fresh`` ignores it. On PostgreSQL (``--postgres``; the database ``ratusha_bench_search`` on
``$PGHOST``/127.0.0.1, user postgres) the filled database itself is kept and reused while the
key matches. ``main()`` runs each in a fresh Python process.
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
RUNS = 5
TARGET_MEDIAN_MS = 30.0
TARGET_P95_MS = 100.0
TARGET_ACTS_PER_SECOND = 500
SEED = 20251130
TODAY = dt.date(2026, 11, 20)
PG_DATABASE = "ratusha_bench_search"
DEMO_APPS = ("core", "portal", "acts")
QUERIES = [
    "земельна ділянка",
    "рішення сесії",
    "бюджет громади",
    "програми розвитку культури",
    '"земельної ділянки"',
    "245-VIII",
    "№ 1234-VIII",
    "12",
    "матеріальна допомога жителям",
    "тарифи на вивезення відходів",
    "опіка над малолітньою дитиною",
    "сезонної торгівлі",
    "поштова адреса Калинівка",
    "детальний план території",
    "земельного податку",
    "оренда земельної ділянки -сільськогосподарського",
    "укриття",
    "ремонту доріг",
    "положення про старосту",
    "квартирний облік громадян",
    "звіт про виконання бюджету",
    "первинної медико-санітарної допомоги",
    "робочої групи з інвентаризації",
    "день місцевого самоврядування",
    "землеустроу",
    "Коваленко",
    "статут комунального підприємства",
    "харчування учнів",
    "проект рішення",
    "графіка відпусток",
]


def _cache_key() -> str:
    digest = hashlib.sha256()
    # The cached database holds the records without search's tables (they are migrated after
    # the copy), so a change to search does not make the demo be generated again.
    sources = sorted(
        path
        for path in (ROOT / "ratusha").glob("*/migrations/0*.py")
        if path.parent.parent.name != "search"
    )
    sources += [ROOT / "ratusha" / app / "demo.py" for app in DEMO_APPS]
    sources.append(ROOT / "ratusha" / "core" / "demo_support.py")
    for source in sources:
        digest.update(str(source.relative_to(ROOT)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _cache_file() -> Path:
    folder = Path(
        os.environ.get("RATUSHA_BENCH_CACHE") or Path(tempfile.gettempdir()) / "ratusha-bench-cache"
    )
    return folder / f"search-{_cache_key()}.sqlite3"


def _prepare_environment(postgres: bool) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="ratusha-bench-search-"))
    if postgres:
        host = os.environ.get("PGHOST", "127.0.0.1")
        os.environ["DATABASE_URL"] = f"postgres://postgres@{host}:5432/{PG_DATABASE}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["RATUSHA_VAR_DIR"] = str(tmp)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusha.settings")
    sys.path.insert(0, str(ROOT))
    return tmp


def _fill() -> dict[str, int]:
    from django.db import transaction

    from ratusha.core.demo_support import DemoContext
    from ratusha.core.management.commands.demo_hromada import demo_modules

    ctx = DemoContext(scale="large", seed=SEED, today=TODAY)
    counts: dict[str, int] = {}
    for label, module in demo_modules():
        if label in DEMO_APPS:
            with transaction.atomic():
                counts.update(module.generate(ctx))
    return counts


def _sqlite_database(tmp: Path, fresh: bool) -> str:
    from django.core.management import call_command
    from django.db import connection

    target = tmp / "bench.sqlite3"
    cached = _cache_file()
    if cached.exists() and not fresh:
        connection.close()
        shutil.copyfile(cached, target)
        call_command("migrate", verbosity=0, interactive=False)
        return f"copied from the cache {cached}"
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    counts = _fill()
    call_command("migrate", "search", "zero", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    shutil.copyfile(target, partial)
    partial.replace(cached)
    call_command("migrate", verbosity=0, interactive=False)
    return f"filled in {time.perf_counter() - started:.0f} s ({counts}); cached as {cached}"


def _postgres_database(fresh: bool) -> str:
    from django.core.management import call_command
    from django.db import connection

    key = _cache_key()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_cache_key (key text)")
        cursor.execute("SELECT key FROM bench_cache_key")
        row = cursor.fetchone()
    if row and row[0] == key and not fresh:
        # search's own tables are made anew, so that its current migrations apply
        call_command("migrate", "search", "zero", verbosity=0, interactive=False)
        call_command("migrate", verbosity=0, interactive=False)
        return f"reused the filled database {PG_DATABASE} (key {key})"
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    counts = _fill()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_cache_key (key text)")
        cursor.execute("INSERT INTO bench_cache_key VALUES (%s)", [key])
        cursor.execute("ANALYZE")
    return f"filled in {time.perf_counter() - started:.0f} s ({counts}); kept as {PG_DATABASE}"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * share)) - 1)]


def _lemma_cache() -> str:
    from ratusha.acts.models import Act
    from ratusha.search import morphology

    text = Act.objects.exclude(text="").values_list("text", flat=True).first()
    for cached in (morphology.raw_token, morphology.token, morphology.lemmas):
        cached.cache_clear()
    started = time.perf_counter()
    morphology.index_text(text)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    morphology.index_text(text)
    warm = time.perf_counter() - started
    words = len(list(morphology.words(text)))
    return (
        f"lemmatising one act's text ({words} words): first time {cold * 1000:.1f} ms, "
        f"again {warm * 1000:.2f} ms ({cold / warm:.0f}× faster; "
        f"{warm / words * 1e6:.2f} µs a word from the cache)"
    )


def _index() -> list[str]:
    from ratusha.search import indexing

    lines = []
    started = time.perf_counter()
    counts = indexing.rebuild()
    took = time.perf_counter() - started
    total = sum(counts.values())
    lines.append(
        f"full rebuild: {total:,} documents in {took:.1f} s ({total / took:,.0f}/s) {counts}"
    )
    started = time.perf_counter()
    acts = indexing.rebuild("act").get("act", 0)
    took = time.perf_counter() - started
    rate = acts / took
    verdict = "OK" if rate >= TARGET_ACTS_PER_SECOND else "SLOW"
    lines.append(
        f"acts alone: {acts:,} in {took:.1f} s = {rate:,.0f} acts/s "
        f"({rate / TARGET_ACTS_PER_SECOND:.1f}× the {TARGET_ACTS_PER_SECOND}/s target) [{verdict}]"
    )
    return lines


def _queries() -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ratusha.search.selectors import SearchFilters, search

    lines, times, slowest = [], [], []
    for q in QUERIES:
        search(SearchFilters(q=q))  # warm-up (vocabulary, lemmas, database pages)
        runs = []
        for _ in range(RUNS):
            started = time.perf_counter()
            result = search(SearchFilters(q=q))
            runs.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            search(SearchFilters(q=q))
        times += runs
        slowest.append((statistics.median(runs), q, result.total, len(captured)))
    median, p95 = statistics.median(times), _percentile(times, 0.95)
    verdict = "OK" if median < TARGET_MEDIAN_MS and p95 < TARGET_P95_MS else "SLOW"
    lines.append(
        f"{len(QUERIES)} queries × {RUNS} runs: median {median:.1f} ms "
        f"({median / TARGET_MEDIAN_MS:.2f} of {TARGET_MEDIAN_MS:.0f} ms), p95 {p95:.1f} ms "
        f"({p95 / TARGET_P95_MS:.2f} of {TARGET_P95_MS:.0f} ms) [{verdict}]"
    )
    for took, q, total, queries in sorted(slowest, reverse=True)[:8]:
        lines.append(f"  {took:6.1f} ms  {total:>7,} found  {queries} SQL  {q}")
    return lines


def run_inline(*, postgres: bool, fresh: bool) -> None:
    tmp = _prepare_environment(postgres)
    try:
        import django

        django.setup()
        from ratusha.acts.models import Act

        how = _postgres_database(fresh) if postgres else _sqlite_database(tmp, fresh)
        print(f"   {'PostgreSQL' if postgres else 'SQLite'}: {how}")
        print(f"   {Act.objects.count():,} acts in the database")
        for line in _index() + _queries() + [_lemma_cache()]:
            print(f"   {line}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(fresh: bool = False) -> None:
    """SQLite in a fresh process; PostgreSQL too when ``RATUSHA_BENCH_POSTGRES=1``."""
    runs = [[]]
    if os.environ.get("RATUSHA_BENCH_POSTGRES") == "1":
        runs.append(["--postgres"])
    for extra in runs:
        command = [sys.executable, __file__, "--inline", *extra] + (["--fresh"] if fresh else [])
        if subprocess.run(command, check=False).returncode:
            raise RuntimeError(f"bench_search failed ({' '.join(extra) or 'SQLite'})")


if __name__ == "__main__":
    if "--inline" in sys.argv:
        print(f"   {os.cpu_count()} CPUs; {RUNS} runs per query")
        run_inline(postgres="--postgres" in sys.argv, fresh="--fresh" in sys.argv)
    else:
        main(fresh="--fresh" in sys.argv)
