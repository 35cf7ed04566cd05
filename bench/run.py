#!/usr/bin/env python3
"""Run every benchmark in bench/ (files named bench_*.py, each with a ``main()``).

Benchmarks report figures as ratios within one run where they compare, because this machine
is noisy; the write-up with command, machine and figures is docs/benchmarks.md.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))  # the benchmarks' shared helpers (serving.py)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusha.settings")


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if not scripts:
        print("bench: no benchmarks yet (later issues add bench/bench_*.py); nothing to run.")
        return 0
    failed = 0
    for script in scripts:
        spec = importlib.util.spec_from_file_location(script.stem, script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {script.name}")
        started = time.perf_counter()
        try:
            module.main()
        except Exception as exc:  # a failing benchmark is reported, the others still run
            failed += 1
            print(f"   FAILED: {exc!r}")
        print(f"   ({time.perf_counter() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
