"""Benchmark: search quality on the relevance set (ratusha/search/tests/relevance/: 541 acts of
a council, 150 queries in inflected forms with the acts each must find), as recall@10 and MRR
for Ratusha's search and, in the same run, for plain FTS5 over the same texts without lemmas —
the gain is a measured ratio. Target (issue «Search», done when): recall@10 ≥ 0.95 while plain
FTS5 stays far below.

Runs on a temporary SQLite database; with ``RATUSHA_BENCH_POSTGRES=1`` also on PostgreSQL (the
database ``ratusha_bench_quality`` on 127.0.0.1, made and dropped here), and reports whether the
first three results of every query are the same on both. Each run is a fresh process.
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
TARGET_RECALL = 0.95
PG_DATABASE = "ratusha_bench_quality"


def run_inline(postgres: bool) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ratusha-bench-quality-"))
    if postgres:
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'quality.sqlite3'}"
    os.environ["RATUSHA_VAR_DIR"] = str(tmp)
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusha.settings")
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from ratusha.search.tests.relevance import evaluate

        call_command("migrate", verbosity=0, interactive=False)
        evaluate.index_acts()
        ours = evaluate.score(evaluate.ratusha_top)
        plain = evaluate.score(evaluate.PlainFTS().top)
        backend = "PostgreSQL" if postgres else "SQLite"
        verdict = "OK" if ours.recall >= TARGET_RECALL else "BELOW TARGET"
        print(f"   {backend}: {len(evaluate.acts())} acts, {len(evaluate.queries())} queries")
        print(
            f"   Ratusha     recall@10 {ours.recall:.3f}  MRR {ours.mrr:.3f}  "
            f"act number first {ours.first:.0%}  [{verdict}]"
        )
        print(
            f"   plain FTS5  recall@10 {plain.recall:.3f}  MRR {plain.mrr:.3f}  "
            f"act number first {plain.first:.0%}"
        )
        print(
            f"   gain: recall ×{ours.recall / max(plain.recall, 1e-9):.1f}, "
            f"MRR ×{ours.mrr / max(plain.mrr, 1e-9):.1f}"
        )
        for q, recall in ours.misses:
            print(f"     missed: {q!r} recall {recall:.2f}")
        top = {q["q"]: evaluate.ratusha_top(q["q"])[:3] for q in evaluate.queries()}
        (tmp.parent / f"ratusha-quality-top-{backend}.json").write_text(json.dumps(top))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    postgres = os.environ.get("RATUSHA_BENCH_POSTGRES") == "1"
    runs = [[]] + ([["--postgres"]] if postgres else [])
    env = dict(os.environ, PGHOST=os.environ.get("PGHOST", "127.0.0.1"), PGUSER="postgres")
    if postgres:
        subprocess.run(["dropdb", "--if-exists", PG_DATABASE], env=env, check=False)
        subprocess.run(["createdb", PG_DATABASE], env=env, check=True)
    try:
        for extra in runs:
            command = [sys.executable, __file__, "--inline", *extra]
            if subprocess.run(command, check=False).returncode:
                raise RuntimeError("bench_search_quality failed")
    finally:
        if postgres:
            subprocess.run(["dropdb", "--if-exists", PG_DATABASE], env=env, check=False)
    if postgres:
        tops = [
            json.loads((Path(tempfile.gettempdir()) / f"ratusha-quality-top-{b}.json").read_text())
            for b in ("SQLite", "PostgreSQL")
        ]
        same = sum(tops[0][q] == tops[1][q] for q in tops[0])
        print(f"   same first three results on SQLite and PostgreSQL: {same} of {len(tops[0])}")


if __name__ == "__main__":
    if "--inline" in sys.argv:
        run_inline(postgres="--postgres" in sys.argv)
    else:
        main()
