"""Time ``nnmath workshop --participants 60 --seed 2026`` (the real command: site, handouts, notebooks, agenda).

Run:  python bench/workshop_60.py [--runs N] [--cold] [--keep DIR]

Each run builds a whole kit into a temporary folder.  ``--cold`` empties the
derivation cache first, so the run also derives the catalogue and executes the
notebooks (what a fresh clone does once); without it the cache is used when
it is current.  Prints wall-clock and CPU seconds (the command and its
children: pdfLaTeX, the notebook kernels) and the machine's load, because on a
shared 2-core machine the wall clock depends on what else is running.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nnmath.records import CACHE as RECORD_CACHE

COMMAND = ["workshop", "--participants", "60", "--seed", "2026"]


def run_once(out: Path) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, the command's summary) of one kit build into ``out``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "nnmath.cli", *COMMAND, "--out", str(out)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cold", action="store_true", help="empty the derivation cache before every run")
    parser.add_argument("--keep", type=Path, default=None, help="leave the kit of the last run here")
    args = parser.parse_args()
    if shutil.which("latexmk") is None:
        print("bench: latexmk is not on PATH (see nnmath handouts)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="nnmath-bench-") as tmp:
        for i in range(1, args.runs + 1):
            out = args.keep if args.keep and i == args.runs else Path(tmp) / f"kit-{i}"
            if args.cold:
                shutil.rmtree(RECORD_CACHE, ignore_errors=True)
            load = os.getloadavg()[0]
            wall, cpu, summary = run_once(out)
            print(summary)
            print(f"run {i}: {wall:.1f} s wall, {cpu:.1f} s CPU, load average {load:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
