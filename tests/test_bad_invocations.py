"""The bad invocations a careful user hits, across every sub-command: each is one line on stderr, exit status 2.

(An expression's parse error adds, as documented, the input and a caret under the column.)

Each runs as ``python -m nnmath.cli`` in a process of its own, in a fresh folder that holds a foreign
project (with ``.git``), a file and an empty temporary folder (``TMPDIR``).  After each: no traceback,
no file changed in that folder, in the temporary folder or in the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# (arguments, a part of the error line); {proj} is a foreign project folder, {file} a file, {new} a new folder
BAD = [
    ([], "the following arguments are required: command"),
    (["bogus"], "invalid choice: 'bogus'"),
    (["list", "--bogus"], "unrecognized arguments: --bogus"),
    (["derive", "sigmoyd"], "unknown name 'sigmoyd'; did you mean sigmoid"),
    (["derive", "sigmoid", "--name", "f"], "--name is for expressions only"),
    (["derive", "x^2", "--param", "beta"], "--param 'beta': write NAME=VALUE"),
    (["derive", "x^2", "--param", "beta=one"], "'one' is not a number"),
    (["derive", "x*beta", "--param", "beta=1", "--param", "beta=2"], "--param beta is given twice"),
    (["derive", "x*beta", "--param", "beta=inf"], "the value must be a finite number"),
    (["derive", "x^2", "--range", "3", "1"], "the plot range must go from low to high"),
    (["derive", "x^2", "--range", "nan", "1"], "argument --range: must be a finite number"),
    (["derive", "x^2", "--time-limit", "0"], "argument --time-limit: must be > 0"),
    (["derive", "x^2", "--time-limit", "inf"], "argument --time-limit: must be a finite number"),
    (["derive", "x^2", "--page", "out.html"], "the page must end in .md"),
    (["derive", "x^2", "--plot", "out.png"], "the file must end in .svg or .pdf"),
    (["derive", "x^2", "--plot", "{file}/x.svg"], "it is a file, not a folder"),
    (["derive", "x^2", "--plot", "{svg}"], "is a folder, not a file"),
    (["derive", "x^2", "--page", "/proc/nnmath.md"], "cannot write into /proc"),
    (["derive", "__import__('os').system('true')"], "not allowed: attribute access"),
    (["check", "--points", "0"], "argument --points: must be at least 1, not 0"),
    (["check", "--points", "-5"], "argument --points: must be at least 1, not -5"),
    (["check", "--seed", "-1"], "argument --seed: must be between 0 and"),
    (["check", "--points", "many"], "argument --points: expected an integer"),
    (["generate", "--bogus"], "unrecognized arguments"),
    (["build", "--site-dir", "{proj}"], "is a folder nnmath did not create"),
    (["build", "--site-dir", "."], "is a folder nnmath did not create"),
    (["build", "--site-dir", "{file}"], "is a file, not a folder"),
    (["build", "--site-dir", "/proc/nnmath-site"], "cannot write into /proc"),
    (["build", "--engine", "hugo"], "argument --engine: invalid choice: 'hugo'"),
    (["build", "--profile=yes"], "argument --profile: ignored explicit argument 'yes'"),
    (["slides", "--out", "{proj}"], "is a folder nnmath did not create"),
    (["slides", "--out", "{file}"], "is a file, not a folder"),
    (["slides", "--out", "/proc/nnmath-slides"], "cannot write into /proc"),
    (["slides", "--out", "{new}", "--keep-build", "{proj}"], "is a folder nnmath did not create"),
    (["slides", "--out", "{new}", "--start", "25:00"], "--start must be a time of day"),
    (["agenda", "--start", "9h"], "--start must be a time of day"),
    (["agenda", "--bogus"], "unrecognized arguments"),
    (["handouts", "--out", "{proj}"], "is a folder nnmath did not create"),
    (["handouts", "--out", "{file}"], "is a file, not a folder"),
    (["handouts", "--out", "/proc/nnmath-handouts"], "cannot write into /proc"),
    (["handouts", "--out", "/sys/nnmath-handouts"], "cannot write into /sys"),
    (["handouts", "--out", "{file}/handouts"], "it is a file, not a folder"),
    (["handouts", "--out", "{new}", "--keep-build", "{file}"], "--keep-build"),
    (["handouts", "--out", "{new}", "--keep-build", "{proj}"], "is a folder nnmath did not create"),
    (["handouts", "--out", "{new}", "--names", "/dev/zero"], "is larger than 1 MB"),
    (["handouts", "--out", "{new}", "--names", "{long}"], "has 1001 lines; at most 1000"),
    (["handouts", "--out", "{new}", "--names", "{missing}"], "cannot read names"),
    (["handouts", "--out", "{new}", "--names", "{empty}"], "has no names"),
    (["handouts", "--out", "{new}", "--participants", "0"], "argument --participants: must be at least 1"),
    (["handouts", "--out", "{new}", "--participants", "1001"], "--participants must be between 1 and 1000"),
    (["handouts", "--out", "{new}", "--seed", "-1"], "argument --seed"),
    (["handouts", "--out", "{new}", "--paper", "a3"], "argument --paper: invalid choice"),
    (["handouts", "--out", "{new}", "--only", "poster"], "argument --only: invalid choice"),
    (["notebooks", "--out", "{proj}"], "is a folder nnmath did not create"),
    (["notebooks", "--out", "{file}"], "is a file, not a folder"),
    (["workshop", "--out", "{proj}"], "is a folder nnmath did not create"),
    (["workshop", "--out", "{new}", "--start", "25:00"], "--start must be a time of day"),
    (["workshop", "--out", "{new}", "--participants", "0"], "--participants must be between 1 and 1000"),
    (["workshop", "--out", "{new}", "--seed", "-1"], "argument --seed"),
    (["train", "xor", "--lr", "inf"], "argument --lr: must be a finite number"),
    (["train", "xor", "--lr", "nan"], "argument --lr: must be a finite number"),
    (["train", "xor", "--lr", "0"], "argument --lr: must be > 0"),
    (["train", "xor", "--lr", "-1"], "argument --lr: must be > 0"),
    (["train", "xor", "--l2", "-1"], "argument --l2: must be ≥ 0"),
    (["train", "xor", "--l2", "nan"], "argument --l2: must be a finite number"),
    (["train", "xor", "--batch-size", "0"], "argument --batch-size: must be at least 1"),
    (["train", "xor", "--early-stopping", "-1"], "argument --early-stopping: must be at least 1"),
    (["train", "xor", "--early-stopping", "0"], "argument --early-stopping: must be at least 1"),
    (["train", "xor", "--epochs", "0"], "argument --epochs: must be at least 1"),
    (["train", "xor", "--seed", "-1"], "argument --seed"),
    (["train", "xor", "--test-size", "1.5"], "argument --test-size: must be > 0 and < 1"),
    (["train", "xor", "--hidden", "0"], "layer widths must be positive"),
    (["train", "xor", "--dtype", "float16"], "argument --dtype: invalid choice"),
    (["train", "xor", "--schedule", "linear"], "argument --schedule: invalid choice"),
    (["train", "xor", "--shifts", "diagonal"], "argument --shifts: invalid choice"),
    (["train", "iris", "--shifts", "horizontal"], "--shifts moves 8×8 images: only for digits, not iris"),
    (["train", "nosuch"], "unknown data set 'nosuch'"),
]


def _snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` (but the ``skip`` folders): its size and modification time."""
    out = {}
    for base, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            path = os.path.join(base, name)
            st = os.lstat(path)
            out[os.path.relpath(path, folder)] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("bad-invocations")
    proj = base / "project"
    (proj / ".git").mkdir(parents=True)
    (proj / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (proj / "thesis.tex").write_text("do not delete")
    (base / "a-file").write_text("not a folder")
    (base / "long.txt").write_text("".join(f"name {i}\n" for i in range(1001)))
    (base / "empty.txt").write_text("# only a comment\n")
    (base / "tmp").mkdir()
    (base / "folder.svg").mkdir()
    (base / "home").mkdir()
    return {
        "base": base,
        "proj": proj,
        "file": base / "a-file",
        "new": base / "new-output",
        "long": base / "long.txt",
        "empty": base / "empty.txt",
        "missing": base / "no-such-file.txt",
        "svg": base / "folder.svg",
    }


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a) or "(none)" for a, _ in BAD])
def test_a_bad_invocation_is_one_line_exit_2_and_changes_nothing(place, args, message) -> None:
    base = place["base"]
    argv = [a.format(**{k: str(v) for k, v in place.items()}) for a in args]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TMPDIR": str(base / "tmp"),
        "HOME": str(base / "home"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    before_here, before_repo = _snapshot(base), _snapshot(ROOT, skip=(".git", "__pycache__", ".pytest_cache"))
    proc = subprocess.run(
        [sys.executable, "-m", "nnmath.cli", *argv], capture_output=True, text=True, cwd=base, env=env, timeout=120
    )
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.rstrip().splitlines()
    if len(lines) == 3 and lines[2].strip() == "^":  # a parse error also shows the input and a caret under it
        lines = lines[:1]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("nnmath: error: ") and message in lines[0], lines[0]
    assert _snapshot(base) == before_here
    assert not any((base / "tmp").iterdir()) and not (base / "new-output").exists()
    assert _snapshot(ROOT, skip=(".git", "__pycache__", ".pytest_cache")) == before_repo


def test_the_table_covers_every_sub_command() -> None:
    from nnmath.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    covered = {args[0] for args, _ in BAD if args}
    assert len(BAD) >= 40
    assert set(sub.choices) - covered <= {"serve"}  # serve runs until stopped; its only option is an address
