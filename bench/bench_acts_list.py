"""Benchmark: the public registry list (``/acts/``) with two filters on 100,000 acts.

Target (issue «Legal acts registry»): median server time under 50 ms, and the same number of
queries whatever the page size. The figures go to docs/benchmarks.md («Acts registry list»).

Run alone with ``.venv/bin/python bench/bench_acts_list.py`` or with the others through
``make bench``. The database is a temporary SQLite file (``DATABASE_URL`` and
``RATUSHA_VAR_DIR`` are pointed at a temporary directory before Django starts), migrated and
filled with 100,000 published acts by ``bulk_create`` — a benchmark fixture, not the write
path. ``main()`` runs all this in a fresh Python process, so the settings take effect even
when another benchmark has already set Django up, and do not leak into the others.

It measures twice: with the indexes ``acts/models.py`` declares, then with the partial
indexes on public acts it proposes (``_proposed_indexes``), added to the temporary database
only, for as long as models.py does not declare them.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOTAL = 100_000
RUNS = 50
WARMUP = 3
TARGET_MS = 50.0
SEED = 20250320

KIND_WEIGHTS = {
    "council-decision": 60,
    "draft-council-decision": 10,
    "executive-decision": 14,
    "head-order": 12,
    "session-minutes": 2,
    "executive-minutes": 2,
}
TITLES = {
    "council": [
        "Про надання дозволу на розроблення проєкту землеустрою щодо відведення земельної "
        "ділянки у власність гр. {person}",
        "Про внесення змін до бюджету Вербівської селищної територіальної громади на {year} рік",
        "Про затвердження Програми розвитку культури на {year}–{next_year} роки",
        "Про встановлення ставок та пільг зі сплати земельного податку на {next_year} рік",
        "Про затвердження звіту про виконання бюджету громади за {quarter} квартал {year} року",
        "Про передачу в оренду земельної ділянки сільськогосподарського призначення в с. {village}",
        "Про затвердження детального плану території в с. {village}",
    ],
    "executive": [
        "Про надання матеріальної допомоги жителям громади",
        "Про присвоєння поштової адреси об'єкту нерухомого майна в с. {village}",
        "Про затвердження тарифів на послуги з вивезення побутових відходів",
        "Про взяття на квартирний облік громадян",
    ],
    "head": [
        "Про скликання {session} сесії селищної ради VIII скликання",
        "Про створення робочої групи з питань інвентаризації земель",
        "Про проведення особистого прийому громадян",
        "Про затвердження графіка відпусток",
    ],
}
PEOPLE = [
    "Коваленко Олени Петрівни",
    "Шевчука Івана Миколайовича",
    "Бондар Марії Іванівни",
    "Ткаченка Андрія Васильовича",
    "Мельник Оксани Сергіївни",
]
VILLAGES = ["Вербівка", "Калинівка", "Зелений Гай", "Степове", "Козачий Яр", "Лозуватка"]
TEXT = (
    "ВЕРБІВСЬКА СЕЛИЩНА РАДА\nПОЛТАВСЬКОЇ ОБЛАСТІ\n\n{label}\nвід {day:%d.%m.%Y} № {number}\n\n"
    "{title}\n\nВідповідно до статей 26, 59 Закону України «Про місцеве самоврядування в "
    "Україні», розглянувши подані матеріали, селищна рада ВИРІШИЛА:\n"
    "1. Затвердити зазначене у назві рішення в установленому порядку.\n"
    "2. Відповідальному структурному підрозділу забезпечити виконання цього рішення.\n"
    "3. Контроль за виконанням рішення покласти на постійну комісію з питань бюджету, "
    "фінансів та соціально-економічного розвитку.\n\nСелищний голова    О. КОВАЛЕНКО"
)
FIRST_DAY = dt.date(2016, 1, 1)
DAYS = 10 * 365


def _prepare_environment() -> Path:
    """Point Django at a temporary database and var/ before it starts."""
    tmp = Path(tempfile.mkdtemp(prefix="ratusha-bench-acts-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["RATUSHA_VAR_DIR"] = str(tmp)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["DEBUG"] = "False"  # as in production: no query log kept in memory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusha.settings")
    sys.path.insert(0, str(HERE.parent))
    return tmp


def _fill(total: int) -> dict[str, int]:
    """``total`` published acts over ten years, kinds spread as in a real council."""
    from django.utils import timezone

    from ratusha.acts.choices import ActStatus
    from ratusha.acts.models import Act, ActKind
    from ratusha.acts.numbers import number_key

    rng = random.Random(SEED)
    kinds = {kind.code: kind for kind in ActKind.objects.all()}
    pool = [kinds[code] for code, weight in KIND_WEIGHTS.items() for _ in range(weight)]
    counters: dict[tuple[int, int], int] = {}
    kyiv = timezone.get_default_timezone()
    batch: list[Act] = []
    for _index in range(total):
        kind = rng.choice(pool)
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        counters[(kind.pk, day.year)] = counters.get((kind.pk, day.year), 0) + 1
        serial = counters[(kind.pk, day.year)]
        number = (
            ""
            if kind.is_draft
            else (
                f"{serial}-VIII"
                if kind.issuing_body == "council"
                else f"{serial}-од"
                if kind.issuing_body == "head"
                else str(serial)
            )
        )
        title = rng.choice(TITLES.get(kind.issuing_body, TITLES["council"])).format(
            person=rng.choice(PEOPLE),
            village=rng.choice(VILLAGES),
            year=day.year,
            next_year=day.year + 1,
            quarter=rng.choice(["I", "II", "III"]),
            session=rng.randint(1, 60),
        )
        published = dt.datetime.combine(
            day + dt.timedelta(days=rng.randint(0, 6)), dt.time(rng.randint(8, 17)), kyiv
        )
        # One in fifty is internal or never published: the public filter has work to do.
        hidden = rng.random() < 0.02
        batch.append(
            Act(
                kind=kind,
                number=number,
                number_key=number_key(number),
                date=day,
                year=day.year,
                title=title,
                issuing_body=kind.issuing_body,
                convocation="VIII" if kind.issuing_body == "council" else "",
                status=ActStatus.PUBLISHED,
                is_internal=hidden and rng.random() < 0.5,
                text=TEXT.format(label=kind.name.upper(), day=day, number=number, title=title),
                published_at=None if hidden else published,
                updated_at_public=None if hidden else published,
            )
        )
        if len(batch) == 5000:
            Act.objects.bulk_create(batch)
            batch = []
    if batch:
        Act.objects.bulk_create(batch)
    return {
        "acts": Act.objects.count(),
        "public": Act.objects.filter(published_at__isnull=False, is_internal=False).count(),
    }


def _matching(url: str) -> int:
    """How many public acts the scenario's filters match (for the report)."""
    from urllib.parse import urlsplit

    from django.http import QueryDict

    from ratusha.acts import selectors
    from ratusha.acts.forms import ActFilterForm

    form = ActFilterForm(QueryDict(urlsplit(url).query), kinds=list(selectors.kind_list()))
    return selectors.act_list_ids(form.filters()).count()


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
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "queries": len(queries),
        "matching": _matching(url),
    }


def _scenarios() -> list[tuple[str, str]]:
    return [
        ("kind + year, page 1", "/acts/?kind=council-decision&year=2021"),
        ("kind + year, page 150", "/acts/?kind=council-decision&year=2021&page=150"),
        ("kind + year, page 1, 100 a page", "/acts/?kind=council-decision&year=2021&per_page=100"),
        (
            "kind + date range, page 1",
            "/acts/?kind=council-decision&date_from=01.01.2020&date_to=31.12.2022",
        ),
        (
            "kind + date range, page 400",
            "/acts/?kind=council-decision&date_from=01.01.2020&date_to=31.12.2022&page=400",
        ),
        (
            "kind + date range, page 1, 100 a page",
            "/acts/?kind=council-decision&date_from=01.01.2020&date_to=31.12.2022&per_page=100",
        ),
        # Context, not the target: no filter at all, a number typed by hand, words.
        ("no filter, page 1", "/acts/"),
        ("number «№ 245-viii», page 1", "/acts/?number=%E2%84%96+245-viii"),
        ("kind + year + words «програми»", "/acts/?kind=council-decision&year=2021&words=програми"),
    ]


def _proposed_indexes():
    """Partial indexes on the public acts that the registry list wants (see
    docs/benchmarks.md): the public filter inside the index lets SQLite and PostgreSQL count
    and skip pages from the index alone. Returned only while models.py lacks them."""
    from django.db import models
    from django.db.models import Q

    from ratusha.acts.models import Act

    public = Q(published_at__isnull=False, is_internal=False)
    proposed = [
        models.Index(
            fields=["kind", "-date", "-id"], condition=public, name="act_pub_kind_date_idx"
        ),
        models.Index(fields=["-date", "-id"], condition=public, name="act_pub_date_idx"),
    ]
    present = {index.name for index in Act._meta.indexes}
    return [index for index in proposed if index.name not in present]


def _run_scenarios(client, title: str) -> list[dict]:
    print(f"   -- {title}")
    results = []
    for label, url in _scenarios():
        figures = _measure(client, url)
        results.append({"label": label, "url": url, **figures})
        target = label.startswith("kind") and "words" not in label
        verdict = ("OK" if figures["median"] < TARGET_MS else "SLOW") if target else "info"
        print(
            f"   {label:<40} median {figures['median']:6.1f} ms  p95 {figures['p95']:6.1f} ms"
            f"  queries {figures['queries']}  matching {figures['matching']:>6,}  [{verdict}]"
        )
    return results


def run_inline() -> dict[str, list[dict]]:
    tmp = _prepare_environment()
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from ratusha.acts.models import Act

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrated = time.perf_counter()
        counts = _fill(TOTAL)
        filled = time.perf_counter()
        print(
            f"   migrate {migrated - started:.1f} s; {counts['acts']:,} acts "
            f"({counts['public']:,} public) bulk-created in {filled - migrated:.1f} s"
        )
        client = Client()
        results = {"as is": _run_scenarios(client, "indexes as in acts/models.py")}
        proposed = _proposed_indexes()
        if proposed:
            with connection.schema_editor() as editor:
                for index in proposed:
                    editor.add_index(Act, index)
            names = ", ".join(index.name for index in proposed)
            results["proposed"] = _run_scenarios(client, f"with the proposed {names}")
        return results
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    """Run the benchmark in a fresh Python process: its database settings (a temporary SQLite
    file) then neither depend on nor leak into whatever else ``bench/run.py`` runs."""
    completed = subprocess.run([sys.executable, __file__, "--inline"], check=False)
    if completed.returncode:
        raise RuntimeError(f"bench_acts_list failed with exit code {completed.returncode}")


if __name__ == "__main__":
    if "--inline" in sys.argv:
        print(f"   {os.cpu_count()} CPUs; SQLite; {TOTAL:,} acts; {RUNS} runs per scenario")
        run_inline()
    else:
        main()
