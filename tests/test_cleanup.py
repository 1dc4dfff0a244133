"""Leftovers of killed runs: stale temporary folders are removed only when their process is dead, and
workers die with their parent (SIGKILL the main process: no child is alive 5 s later)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nnmath.render.outputs import pid_alive, remove_stale, temporary_folder

ROOT = Path(__file__).resolve().parents[1]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_folders_of_dead_processes_are_removed_and_the_others_kept(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getppid()
    assert not pid_alive(dead) and pid_alive(alive)
    names = [
        f".site.building-{dead}",
        f".site.old-{dead}",
        f".kit.building-{dead}",
        f".handouts.staging-{dead}-x1y2",
        f"nnmath-handouts-{dead}-abc",
        f".site.building-{alive}",
        f"nnmath-handouts-{alive}-abc",
        "site",
        ".git",
        "nnmath-handouts-abc",  # no PID: not ours to judge
    ]
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / "page.html").write_text("x")
    removed = remove_stale(tmp_path)
    assert sorted(p.name for p in removed) == sorted(names[:5])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[5:])


def test_a_temporary_folder_carries_the_pid_and_clears_dead_ones(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    stale = tmp_path / f"nnmath-handouts-{_dead_pid()}-old"
    stale.mkdir()
    fresh = temporary_folder("nnmath-handouts")
    assert fresh.parent == tmp_path and fresh.name.startswith(f"nnmath-handouts-{os.getpid()}-")
    assert not stale.exists()


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc/*/stat)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has died; only its exit status waits to be collected


@pytest.mark.parametrize(
    "args",
    [
        ["derive", "tanh(tanh(tanh(tanh(tanh(tanh(x))))))", "--name", "t6"],  # the time-limit worker
        ["build", "--no-cache", "--site-dir", "{tmp}/site"],  # the records' fork server and its children
    ],
    ids=["derive-worker", "record-workers"],
)
def test_workers_die_with_the_main_process(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    main = subprocess.Popen(
        [sys.executable, "-m", "nnmath.cli", *argv],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and main.poll() is None:
        children = _descendants(main.pid)
        if children:
            time.sleep(1.0)  # let the workers start their work
            children |= _descendants(main.pid)
            break
        time.sleep(0.1)
    assert children, "the command started no worker"
    main.send_signal(signal.SIGKILL)
    main.wait()
    time.sleep(5)
    alive = sorted(p for p in children if _running(p))
    names = [Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:200] for p in alive]
    for p in alive:  # do not leave them behind even if the test fails
        os.kill(p, signal.SIGKILL)
    assert alive == [], names
