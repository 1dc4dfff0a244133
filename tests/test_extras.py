"""The core install and its extras: ``import numeric`` needs neither SymPy nor any publishing tool, and a command
whose extra is missing says which one to install, in one line with exit status 2 (never an ImportError).

A missing extra is simulated by blocking its modules (``sys.modules[name] = None`` makes ``import name`` raise
``ModuleNotFoundError``) in a fresh process.  :mod:`tests.test_wheel` checks the same in a real install.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from nnmath.cli import CONTAINS, EXTRAS, MODULE_EXTRAS, build_parser, missing_extra

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
OPTIONAL = PYPROJECT["project"]["optional-dependencies"]
# distribution name → the module it installs, where they differ
MODULE_OF = {"scikit-learn": "sklearn", "mkdocs-material": "material", "pymdown-extensions": "pymdownx"}
THIRD_PARTY = ("sympy", "jinja2", "matplotlib", "sklearn", "tqdm", "mkdocs", "material", "nbformat", "markdown")


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=\[;!~]", requirement, maxsplit=1)[0].lower()


def _included(extra: str) -> set[str]:
    """The extras that ``extra`` pulls in through ``nnmath[...]``, transitively."""
    out: set[str] = set()
    for requirement in OPTIONAL[extra]:
        if _name(requirement) == "nnmath":
            for inner in re.search(r"\[(.*)\]", requirement).group(1).split(","):
                out |= {inner.strip(), *_included(inner.strip())}
    return out


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_import_numeric_imports_no_sympy_and_no_publishing_tool(tmp_path) -> None:
    heavy = ("sympy", "jinja2", "matplotlib", "sklearn", "mkdocs", "nbformat", "torch", "derive", "nnmath")
    proc = _run(
        f"import sys, numeric; print(float(numeric.sigmoid(0.0))); print([m for m in {heavy} if m in sys.modules])",
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:2] == ["0.5", "[]"]


def test_the_core_dependencies_are_numpy_and_scipy_only() -> None:
    assert sorted(_name(r) for r in PYPROJECT["project"]["dependencies"]) == ["numpy", "scipy"]
    # all: everything but Zensical, an alternative site engine (its test installs it into a venv of its own)
    assert "all" in OPTIONAL and _included("all") == set(OPTIONAL) - {"all", "zensical"}


def test_the_cli_tables_agree_with_pyproject() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(EXTRAS) == set(sub.choices)  # every sub-command names its extra
    assert set(EXTRAS.values()) <= set(OPTIONAL)
    for module, extra in MODULE_EXTRAS.items():  # the extra named for a module lists it itself
        listed = {MODULE_OF.get(_name(r), _name(r).replace("-", "_")) for r in OPTIONAL[extra]}
        assert module in listed, (module, extra)
    for extra in OPTIONAL:
        assert CONTAINS.get(extra, set()) == _included(extra) or extra in ("test", "all"), extra


@pytest.mark.parametrize(
    ("command", "module", "extra"),
    [
        ("derive", "sympy", "derive"),
        ("derive", "matplotlib", "train"),  # nnmath derive x^2 --plot: the plot needs matplotlib
        ("build", "tqdm", "docs"),
        ("build", "nbformat", "docs"),
        ("notebooks", "sympy", "notebooks"),
        ("handouts", "matplotlib", "handouts"),
        ("check", "torch", "test"),
        ("workshop", "mkdocs", "workshop"),
    ],
)
def test_the_missing_extra_is_named(command: str, module: str, extra: str) -> None:
    line = missing_extra(command, module)
    assert line == f'nnmath {command} needs the {extra} extra (no module {module!r}): pip install "nnmath[{extra}]"'


# One run of each sub-command that gets past its argument checks: (arguments, the extra its line names).
RUNS = [
    (["list"], "derive"),
    (["derive", "sigmoid"], "derive"),
    (["derive", "x^2"], "derive"),
    (["derive", "x^2", "--plot", "{tmp}/x.svg"], "derive"),
    (["check", "--points", "1"], "derive"),
    (["generate", "--check"], "derive"),
    (["handouts", "--out", "{tmp}/handouts"], "handouts"),
    (["slides", "--out", "{tmp}/slides"], "handouts"),
    (["build", "--site-dir", "{tmp}/site"], "docs"),
    (["train", "digits", "--epochs", "1"], "train"),
    (["notebooks", "--out", "{tmp}/notebooks"], "notebooks"),
    (["workshop", "--out", "{tmp}/kit"], "workshop"),
]


def test_the_runs_cover_every_sub_command() -> None:
    assert set(EXTRAS) - {args[0] for args, _ in RUNS} <= {"serve", "agenda"}  # serve runs until stopped


def test_the_agenda_needs_no_extra(tmp_path) -> None:
    """``nnmath agenda`` prints the 150 minutes from the episodes' declarations on the core alone."""
    block = "; ".join(f"sys.modules[{m!r}] = None" for m in THIRD_PARTY)
    proc = _run(f"import sys; {block}\nfrom nnmath.cli import main\nsys.exit(main(['agenda']))", tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "150" in proc.stdout and proc.stderr == ""


@pytest.mark.parametrize(("args", "extra"), RUNS, ids=[" ".join(a) for a, _ in RUNS])
def test_a_command_without_its_extra_says_which_to_install(tmp_path, args, extra) -> None:
    argv = [a.format(tmp=tmp_path) for a in args]
    block = "; ".join(f"sys.modules[{m!r}] = None" for m in THIRD_PARTY)
    proc = _run(f"import sys; {block}\nfrom nnmath.cli import main\nsys.exit(main({argv!r}))", tmp_path)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.rstrip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"nnmath: error: nnmath {args[0]} needs the {extra} extra (no module "), lines[0]
    assert lines[0].endswith(f'pip install "nnmath[{extra}]"'), lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written
