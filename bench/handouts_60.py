"""Time ``nnmath handouts --participants 60 --seed 2026`` (the real command, all four PDFs).

Run:  python bench/handouts_60.py [--runs N] [--keep DIR]

Prints the wall-clock seconds of each run, the CPU seconds it used (the
command and its latexmk/pdfLaTeX children) and the machine's load, because
on a shared 2-core machine the wall clock depends on what else is running.
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

COMMAND = ["handouts", "--participants", "60", "--seed", "2026"]


def run_once(out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one build into ``out``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "nnmath.cli", *COMMAND, "--out", str(out)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="leave the PDFs of the last run here")
    args = parser.parse_args()
    if shutil.which("latexmk") is None:
        print("bench: latexmk is not on PATH (see nnmath handouts)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="nnmath-bench-") as tmp:
        out = args.keep or Path(tmp) / "handouts"
        for i in range(1, args.runs + 1):
            load = os.getloadavg()[0]
            wall, cpu = run_once(out)
            print(f"run {i}: {wall:.1f} s wall, {cpu:.1f} s CPU, load average {load:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
