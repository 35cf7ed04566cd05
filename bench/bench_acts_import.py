#!/usr/bin/env python3
"""Acts import speed: 300 text DOCX + 300 text PDFs imported with ``import_folder``.

Target (issue 3): at least 30 documents per second on the 2-core machine, OCR excluded. Each
import runs in its own process against a throwaway SQLite database (a copy of one migrated
template) and a throwaway media folder, so nothing touches ``var/``; the environment is set
before ``django.setup()``. Figures: documents per second with one worker process and with two,
and their ratio (this machine is noisy, so the ratio within one run is what compares).

    .venv/bin/python bench/bench_acts_import.py         # or: make bench
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOCX, PDF = 300, 300
TARGET = 30.0
TITLES = [
    "Про затвердження Положення про старосту",
    "Про встановлення ставок місцевих податків і зборів на {year} рік",
    "Про надання дозволу на розроблення проєкту землеустрою щодо відведення земельної ділянки",
    "Про внесення змін до бюджету територіальної громади на {year} рік",
    "Про затвердження Програми розвитку культури на {year}–{next} роки",
]


def _environment(folder: Path, database: Path, media: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ratusha.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "RATUSHA_VAR_DIR": str(folder / "var"),
        "MEDIA_ROOT": str(media),
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
    folder = Path(tempfile.mkdtemp(prefix="ratusha-bench-acts-"))
    try:
        template = folder / "template.sqlite3"
        files = folder / "files"
        _child("prepare", str(files), env=_environment(folder, template, folder / "media-0"))
        print(f"   {DOCX} DOCX + {PDF} PDF with a text layer, kind «Рішення ради», SQLite")
        rates = {}
        for workers in (1, 2):
            database = folder / f"run-{workers}.sqlite3"
            shutil.copyfile(template, database)
            env = _environment(folder, database, folder / f"media-{workers}")
            result = json.loads(_child("run", str(files), str(workers), env=env))
            rates[workers] = result["imported"] / result["seconds"]
            print(
                f"   workers={workers}: {result['imported']} imported, {result['failed']} failed"
                f" in {result['seconds']:.1f} s = {rates[workers]:.1f} documents/s"
                f" (CPU: main process {result['main_cpu']:.1f} s,"
                f" reader processes {result['readers_cpu']:.1f} s)"
            )
        ratio = rates[2] / rates[1]
        verdict = "meets" if rates[2] >= TARGET else "MISSES"
        print(f"   2 workers / 1 worker = {ratio:.2f}; {verdict} the target of {TARGET:.0f} docs/s")
        print(f"   load average at the end: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _prepare(files: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from ratusha.acts.tests.test_documents import make_docx, make_pdf

    call_command("migrate", verbosity=0)
    files.mkdir(parents=True)
    for index in range(DOCX + PDF):
        year = 2021 + index % 4
        day, month = 1 + index % 28, 1 + index % 12
        title = TITLES[index % len(TITLES)].format(year=year, next=year + 2)
        lines = [
            "УКРАЇНА",
            "ХОРОБРІВСЬКА СЕЛИЩНА РАДА",
            "ВОСЬМЕ СКЛИКАННЯ",
            "РІШЕННЯ",
            f"від {day:02d}.{month:02d}.{year} № {index + 1}-VIII",
            "",
            title,
            "",
            "Відповідно до статті 26 Закону України «Про місцеве самоврядування в Україні», "
            "розглянувши подані матеріали, селищна рада ВИРІШИЛА:",
            f"1. Затвердити зазначене у назві рішення (документ {index + 1}).",
            "2. Контроль за виконанням рішення покласти на постійну комісію з питань бюджету.",
        ]
        if index < DOCX:
            (files / f"rishennia-{index + 1}.docx").write_bytes(make_docx(lines))
        else:
            (files / f"rishennia-{index + 1}.pdf").write_bytes(make_pdf(lines))


def _run(files: Path, workers: int) -> None:
    import resource

    import django

    django.setup()
    from ratusha.acts.importing import import_folder
    from ratusha.core.permissions import SYSTEM

    def cpu(who):
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    main_before, readers_before = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    report = import_folder(
        files, actor=SYSTEM, kind="council-decision", workers=workers, progress=False
    )
    if report.failed:
        print(report.failed[:3], file=sys.stderr)
    print(
        json.dumps(
            {
                "imported": len(report.imported),
                "failed": len(report.failed),
                "seconds": report.seconds,
                "main_cpu": cpu(resource.RUSAGE_SELF) - main_before,
                "readers_cpu": cpu(resource.RUSAGE_CHILDREN) - readers_before,
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "prepare":
        _prepare(Path(sys.argv[2]))
    elif len(sys.argv) > 1 and sys.argv[1] == "run":
        _run(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.path.insert(0, str(ROOT))
        main()
