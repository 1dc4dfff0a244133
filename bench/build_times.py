"""Cold and warm ``nnmath build`` (and, with ``--kit``, the workshop kit for 60 participants), in a fresh clone.

Run:  python bench/build_times.py [--runs N] [--kit] [--participants P] [--keep DIR]

The repository's last commit is cloned into a temporary folder (so this checkout's ``.cache/`` is neither
used nor touched), with the Python environment as it is installed.  Then, in the clone:

* cold build: ``nnmath build --profile`` with no ``.cache/`` and no site;
* warm build: the same again, ``--runs`` times (every record from the cache);
* with ``--kit``: ``nnmath workshop --participants P`` after the builds (records warm; the sheets, the LaTeX
  and the offline site cold), then ``--runs`` times more (everything warm);
* cold kit: in a second fresh clone, the kit first (nothing cached).

It prints, per run, the wall-clock seconds, the CPU seconds of the command and its children (pdfLaTeX,
notebook kernels; the record workers' CPU from ``--profile``'s table, as the fork server's children escape
rusage) and the load average before and after, because on a shared 2-core
machine the wall clock depends on what else runs; and the per-topic table of the cold build.  Figures
only: nothing is asserted.
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

ROOT = Path(__file__).resolve().parents[1]


def clone(into: Path) -> Path:
    """A fresh clone of this repository's last commit in ``into``/repo, with its front-end assets installed (the
    install step, as ``install.sh`` runs it: the front-end assets and the project's bytecode; not timed)."""
    repo = into / "repo"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(repo)], check=True)
    env = {**os.environ, "PYTHONPATH": str(repo)}
    fetch = [sys.executable, "-m", "nnmath.render.site.frontend_assets"]
    subprocess.run(fetch, cwd=repo, env=env, check=True, capture_output=True)
    compiled = [sys.executable, "-m", "compileall", "-q", "derive", "numeric", "nnmath"]
    subprocess.run(compiled, cwd=repo, env=env, check=True, capture_output=True)
    return repo


def timed(repo: Path, args: list[str]) -> tuple[float, float, str, str]:
    """(wall seconds, CPU seconds of it and its children, its output, the load averages before → after)."""
    load = f"{os.getloadavg()[0]:.2f}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(repo)}
    done = subprocess.run(
        [sys.executable, "-m", "nnmath.cli", *args], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"nnmath {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip(), f"{load} → {os.getloadavg()[0]:.2f}"


def report(what: str, result: tuple[float, float, str, str]) -> None:
    """One line: wall, CPU and load; with ``--profile``'s table in the output, the CPU of the records computed (their
    workers are children of multiprocessing's fork server, which nnmath does not wait for, so rusage misses them)."""
    wall, cpu, output, load = result
    rows = [line.split() for line in output.splitlines()]
    workers = sum(float(row[2]) for row in rows if len(row) == 5 and row[3] == "computed")  # topic, s, cpu, record, pid
    extra = f" + {workers:.1f} s in the record workers" if workers else ""
    print(f"{what:<28} {wall:>7.1f} s wall  {cpu:>7.1f} s CPU{extra}  load {load}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="warm runs of each (default 2)")
    parser.add_argument("--kit", action="store_true", help="also the workshop kit, warm and cold")
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--keep", type=Path, default=None, help="build in this folder and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="nnmath-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores; clones of {ROOT} in {base}", flush=True)
    try:
        repo = clone(base / "warm")
        site = ["build", "--site-dir", str(repo / "site"), "--profile"]
        cold = timed(repo, site)
        report("build, cold", cold)
        for i in range(args.runs):
            report(f"build, warm ({i + 1})", timed(repo, site))
        if args.kit:
            kit = ["workshop", "--participants", str(args.participants), "--out", str(repo / "kit")]
            report("kit, records warm", timed(repo, kit))
            for i in range(args.runs):
                report(f"kit, warm ({i + 1})", timed(repo, kit))
            fresh = clone(base / "cold")
            kit = ["workshop", "--participants", str(args.participants), "--out", str(fresh / "kit")]
            report("kit, cold", timed(fresh, kit))
        print("\nthe cold build:\n" + cold[2])
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
