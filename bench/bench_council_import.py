#!/usr/bin/env python3
"""Roll-call vote import speed: a voting file of 40 deputies × 300 votes (12,000 rows).

Target (issue 6): the import of such a file in under 5 s. A template SQLite database is
migrated once with a 40-seat convocation, its deputies and a held session; every run copies it
and imports in its own process (the environment is set before ``django.setup()``, nothing
touches ``var/``). Timed per format (CSV, XLSX), median of 3 runs: reading + matching
(``parse_voting_file``), the preview's dry run of the service (``check``) and the save
(``record`` → ``services.vote_events_record``). The figure against the target is the confirm
step, parse + record; the preview (parse + check) is shown beside it.

    .venv/bin/python bench/bench_council_import.py         # or: make bench
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEPUTIES, MOTIONS, RUNS = 40, 300, 3
TARGET = 5.0
CHOICES = ["За", "За", "За", "Проти", "Утримався", "Не голосував", "Відсутній"]
HEADER = ["№ голосування", "Назва", "Час", "Ідентифікатор", "Депутат", "Рішення"]


def _environment(folder: Path, database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ratusha.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "RATUSHA_VAR_DIR": str(folder / "var"),
        "MEDIA_ROOT": str(folder / "media"),
        "LOG_LEVEL": "WARNING",
        "DEBUG": "False",
        "PYTHONPATH": str(ROOT),
    }


def _child(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench child {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="ratusha-bench-council-"))
    try:
        template = folder / "template.sqlite3"
        _child("prepare", str(folder), env=_environment(folder, template))
        print(
            f"   {DEPUTIES} deputies × {MOTIONS} votes = {DEPUTIES * MOTIONS} rows, "
            f"median of {RUNS} runs, SQLite"
        )
        for file_name in ("votes.csv", "votes.xlsx"):
            runs = []
            for index in range(RUNS):
                database = folder / f"run-{index}.sqlite3"
                shutil.copyfile(template, database)
                env = _environment(folder, database)
                runs.append(json.loads(_child("run", str(folder / file_name), env=env)))
            median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            confirm = median["parse"] + median["record"]
            preview = median["parse"] + median["check"]
            size = (folder / file_name).stat().st_size / 1024
            print(
                f"   {file_name} ({size:.0f} KiB): parse {median['parse']:.2f} s,"
                f" dry run {median['check']:.2f} s, record {median['record']:.2f} s;"
                f" preview {preview:.2f} s, import (parse + record) {confirm:.2f} s"
                f" = {confirm / TARGET:.0%} of the {TARGET:.0f} s target"
                f" ({'meets' if confirm < TARGET else 'MISSES'} it)"
            )
        print(f"   load average at the end: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _prepare(folder: Path) -> None:
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from openpyxl import Workbook

    from ratusha.core.permissions import SYSTEM
    from ratusha.council import services
    from ratusha.council.choices import MeetingKind, MeetingStatus

    call_command("migrate", verbosity=0)
    convocation = services.convocation_create(
        actor=SYSTEM,
        data={"number": 8, "start_date": dt.date(2020, 11, 20), "composition": DEPUTIES + 2},
    )
    deputies = []
    for index in range(DEPUTIES):
        person = services.person_create(
            actor=SYSTEM,
            data={"full_name": f"Депутатенко{index:02d} Іван Петрович"},
        )
        deputies.append(
            services.deputy_create(
                actor=SYSTEM,
                data={
                    "person": person,
                    "convocation": convocation,
                    "voting_identifier": f"D{index + 1:03d}",
                    "start_date": convocation.start_date,
                },
            )
        )
    day = timezone.localdate() - dt.timedelta(days=1)
    services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": MeetingKind.SESSION,
            "convocation": convocation,
            "number": 20,
            "date": day,
            "start_time": dt.time(9, 0),
            "status": MeetingStatus.HELD,
        },
    )
    start = dt.datetime.combine(day, dt.time(9, 0))
    rows = []
    for number in range(1, MOTIONS + 1):
        title = f"Про затвердження рішення № {number} щодо розвитку громади"
        when = (start + dt.timedelta(seconds=90 * number)).strftime("%d.%m.%Y %H:%M:%S")
        for index, deputy in enumerate(deputies):
            rows.append(
                [
                    str(number),
                    title,
                    when,
                    deputy.voting_identifier,
                    deputy.person.full_name,
                    CHOICES[(number + index) % len(CHOICES)],
                ]
            )
    with open(folder / "votes.csv", "w", encoding="cp1251", newline="") as out:
        import csv

        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        moment = dt.datetime.strptime(row[2], "%d.%m.%Y %H:%M:%S")
        sheet.append([int(row[0]), row[1], moment, row[3], row[4], row[5]])
    workbook.save(folder / "votes.xlsx")


def _run(path: Path) -> None:
    import time

    import django

    django.setup()
    from ratusha.core.permissions import SYSTEM
    from ratusha.council import importing
    from ratusha.council.models import Meeting

    meeting = Meeting.objects.select_related("convocation").get()
    content = path.read_bytes()
    started = time.perf_counter()
    voting_file = importing.parse_voting_file(path.name, content, meeting=meeting)
    parsed = time.perf_counter()
    importing.check(voting_file, actor=SYSTEM, meeting=meeting)
    checked = time.perf_counter()
    if voting_file.errors:
        raise SystemExit("\n".join(voting_file.errors[:5]))
    # The confirm step reads the file again, like the admin and the command do.
    voting_file = importing.parse_voting_file(path.name, content, meeting=meeting)
    reparsed = time.perf_counter()
    events = importing.record(voting_file, actor=SYSTEM, meeting=meeting)
    recorded = time.perf_counter()
    assert len(events) == MOTIONS
    print(
        json.dumps(
            {"parse": parsed - started, "check": checked - parsed, "record": recorded - reparsed}
        )
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "prepare":
        _prepare(Path(sys.argv[2]))
    elif len(sys.argv) > 1 and sys.argv[1] == "run":
        _run(Path(sys.argv[2]))
    else:
        sys.path.insert(0, str(ROOT))
        main()
