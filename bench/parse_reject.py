"""How long ``nnmath derive`` takes to reject a hostile expression, end to end (a fresh process each time).

Run:  python bench/parse_reject.py [--repeats R]

Each hostile string runs as ``python -m nnmath.cli derive TEXT`` in a new process, the way a user meets
it: interpreter start, the parser of the command line, the grammar's checks (``derive.custom.syntax``,
no SymPy), the one-line error.  Printed: the median and the worst wall time per string, the exit status,
and whether SymPy was imported on the way (it must not be: ``-X importtime`` lists every import).
The issue's target is a rejection in under 0.3 s on an idle machine (it was 0.7-1.0 s while SymPy was
imported first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = [
    "__import__('os').system('echo owned')",
    "x" + "+x" * 5000,
    "(" * 1000 + "x" + ")" * 1000,
    "9**9**9**9",
    "lambda: 0",
    "x.__class__.__bases__",
    "ехр(x)",  # Cyrillic look-alikes
    "x # comment",
]


def once(text: str) -> tuple[float, int, bool]:
    """Wall time, exit status, and whether SymPy was imported, for one rejection."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "nnmath.cli", "derive", "--", text],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - start
    imported = any(line.split("|")[-1].strip() == "sympy" for line in proc.stderr.splitlines())
    return seconds, proc.returncode, imported


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    baseline = [once("x^2 +")[0] for _ in range(args.repeats)]  # a syntax error: the floor
    print(f"{'hostile input':<42} {'median s':>9} {'worst s':>8}  exit  sympy imported")
    worst_all = 0.0
    for text in HOSTILE:
        runs = [once(text) for _ in range(args.repeats)]
        times = [t for t, _, _ in runs]
        worst_all = max(worst_all, max(times))
        shown = text if len(text) <= 40 else text[:37] + "..."
        status = {s for _, s, _ in runs}
        imported = any(i for _, _, i in runs)
        print(f"{shown!r:<42} {statistics.median(times):>9.3f} {max(times):>8.3f}  {status}  {imported}")
    print(f"a syntax error, for comparison: median {statistics.median(baseline):.3f} s")
    print(f"worst rejection: {worst_all:.3f} s (target < 0.3 s on an idle machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
