"""The wheel: built from the checkout's files, installed into a fresh virtual environment (no system site
packages, no checkout on the path), it works on the core dependencies alone, and ``nnmath derive`` works with
the ``derive`` extra.

pip fetches NumPy, SciPy and SymPy from the package registry (its cache keeps this fast).  If the registry
cannot be reached the test fails and says so: it never skips.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = "nnmath-0.1.0.data/data/share/nnmath/"
# The files the installed commands read outside the packages (a sample of each folder), and what must not go in.
SHIPPED = ("mkdocs.yml", "docs/index.md", "docs/javascripts/katex.js", "templates/numeric/module.py.j2")
SHIPPED += ("templates/site/entry.md.j2", "templates/handouts/preamble.tex", "templates/handouts/topics/neurons.tex")
SHIPPED += ("templates/notebooks/part3_training.nb.j2", "templates/slides/deck.tex", "templates/workshop/agenda.md.j2")
NOT_SHIPPED = ("docs/verification.md", "docs/python-api.md", "docs/workshop/", "docs/snippets/", ".cache/", "tests/")


def _run(
    cmd: list[str], cwd: Path, what: str, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    clean |= {"PIP_NO_INPUT": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=clean | (env or {}), timeout=timeout)


def _pip_install(python: Path, requirement: str, cwd: Path) -> None:
    proc = _run([str(python), "-m", "pip", "install", "-q", requirement], cwd, "pip install")
    tail = "\n".join(line for line in proc.stderr.splitlines() if "is ignored: it is neither" not in line)[-3000:]
    assert proc.returncode == 0, (
        f"pip could not install {requirement} into the fresh environment; is the package registry reachable? "
        f"(pip's own message follows)\n{tail}"
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of the checkout's files (tracked or new, not ignored: no caches, no built pages), built with
    the installed setuptools (no build isolation, so no download)."""
    base = tmp_path_factory.mktemp("wheel")
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard", "-z"], capture_output=True, check=True
    )
    source = base / "source"
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((ROOT / name).read_bytes())
    proc = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(base / "dist"),
            ".",
        ],
        source,
        "pip wheel",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (built,) = (base / "dist").glob("nnmath-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A fresh virtual environment (no system site packages) with the wheel and its core dependencies."""
    base = tmp_path_factory.mktemp("venv")
    proc = _run([sys.executable, "-m", "venv", str(base / "env")], base, "venv")
    assert proc.returncode == 0, proc.stderr
    python = base / "env" / "bin" / "python"
    _pip_install(python, str(wheel), base)
    return base / "env"


def test_the_wheel_carries_the_data_files_and_no_build_output(wheel) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for file in SHIPPED:
        assert DATA + file in names, file
    for prefix in NOT_SHIPPED:
        assert not any(n.startswith(DATA + prefix) or n.startswith(prefix) for n in names), prefix
    assert {n.split("/")[0] for n in names if not n.startswith("nnmath-0.1.0")} == {"derive", "numeric", "nnmath"}
    assert wheel.stat().st_size < 2_000_000


def test_the_wheel_carries_every_template(wheel) -> None:
    """Every tracked file under ``templates/`` is in the wheel's data (a new template folder needs its line in
    ``[tool.setuptools.data-files]``)."""
    names = set(zipfile.ZipFile(wheel).namelist())
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "templates"], capture_output=True, check=True, text=True
    )
    missing = [name for name in listed.stdout.split() if DATA + name not in names]
    assert missing == []


def test_the_core_install_runs_numeric_without_sympy(venv, tmp_path) -> None:
    python = venv / "bin" / "python"
    code = "import importlib.util, numeric; print(numeric.sigmoid(0.0)); print(importlib.util.find_spec('sympy'))"
    proc = _run([str(python), "-c", code], tmp_path, "python")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0.5", "None"]  # SymPy is not even installed
    proc = _run([str(python), "-m", "pip", "list", "--format=freeze"], tmp_path, "pip list")
    installed = {line.split("==")[0].lower() for line in proc.stdout.split()}
    assert installed - {"pip", "setuptools"} == {"nnmath", "numpy", "scipy"}


def test_a_command_of_a_missing_extra_says_which_to_install(venv, tmp_path) -> None:
    if (venv / "bin" / "python").exists() and _run(
        [str(venv / "bin" / "python"), "-c", "import sympy"], tmp_path, ""
    ).returncode == 0:
        pytest.fail("run the core-install tests first: SymPy is already in the environment")
    proc = _run([str(venv / "bin" / "nnmath"), "derive", "sigmoid"], tmp_path, "nnmath derive")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == (
        "nnmath: error: nnmath derive needs the derive extra (no module 'sympy'): pip install \"nnmath[derive]\"\n"
    )


def test_the_derive_extra_runs_nnmath_derive_from_the_installed_data(venv, wheel, tmp_path) -> None:
    python = venv / "bin" / "python"
    _pip_install(python, f"{wheel}[derive]", tmp_path)
    proc = _run([str(venv / "bin" / "nnmath"), "derive", "sigmoid"], tmp_path, "nnmath derive")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Logistic sigmoid (sigmoid, activation)\n")
    assert "d/dx:  σ(x)⋅(1 - σ(x))" in proc.stdout and "identity [proven by SymPy]" in proc.stdout
    code = "import nnmath.paths as p, derive.numerics.codegen as c; print(p.DATA); print(c.TEMPLATES.is_dir())"
    proc = _run([str(python), "-c", code], tmp_path, "python")
    data, found = proc.stdout.split()
    assert Path(data) == (venv / "share" / "nnmath").resolve() and found == "True"  # not the checkout's folder


# --- nnmath build from a read-only install -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def docs_venv(tmp_path_factory, wheel) -> Path:
    """A fresh virtual environment that sees this machine's packages (``--system-site-packages``), with the wheel
    and its ``docs`` extra: pip finds every dependency installed and adds nnmath alone (seconds, not the minutes
    of installing SymPy, Matplotlib, MkDocs… again).  The libraries, and so their versions, are the ones the
    checkout's records were computed with: a record's key is its files' hashes and those versions."""
    base = tmp_path_factory.mktemp("docs-venv")
    proc = _run([sys.executable, "-m", "venv", "--system-site-packages", str(base / "env")], base, "venv")
    assert proc.returncode == 0, proc.stderr
    _pip_install(base / "env" / "bin" / "python", f"{wheel}[docs]", base)
    return base / "env"


def _purelib(venv: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(_run([str(venv / "bin" / "python"), "-c", code], venv, "python").stdout.strip())


def _installed_files(venv: Path) -> dict[str, str]:
    """Every file of the installed nnmath (its packages and data files), by path, with its SHA-256."""
    import hashlib

    purelib = _purelib(venv)
    roots = [purelib / name for name in ("derive", "numeric", "nnmath")] + [venv / "share" / "nnmath"]
    files = sorted(p for root in roots for p in root.rglob("*") if p.is_file() or p.is_dir())
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder" for p in files}


def _read_only(venv: Path, cmd: list[str]) -> list[str]:
    """``cmd``, run with the install read-only: its packages and data files lose their write bits (``chmod -R
    a-w``, the caller's job); root, whom the bits do not stop, gets the whole environment mounted read-only in a
    mount namespace of its own (``unshare -m``), so a write fails as it would for a user of a system install."""
    if os.geteuid() != 0:
        return cmd
    remount = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", remount, str(venv), *cmd]


def test_nnmath_build_from_a_read_only_install_writes_only_the_site_and_the_user_cache(docs_venv, tmp_path) -> None:
    """``nnmath build --site-dir`` from an installed wheel whose files cannot be written, in a folder unrelated to
    the checkout, with ``HOME`` in a temporary folder: the site has every page with typeset maths, the same bytes
    as the checkout builds, and the install is unchanged (the generated pages go to ``~/.cache/nnmath/``).

    The user cache is seeded with the checkout's records and executed notebooks (``.cache/records``,
    ``.cache/notebooks``; the checkout's site build makes them current): they are keyed by the hashes of the
    project files they imported, by path in the package (``nnmath/topics/…``), and by the libraries' versions, so
    they hold in the install, and the install's build reuses every one (proven by its summary) instead of
    spending ~2 min of CPU computing them again.  KaTeX's typeset formulas are not seeded: the install typesets
    every formula itself."""
    import shutil

    from site_support import built, html_file

    from nnmath.render.site.pages import plan

    checkout = built().site  # the checkout's site: its records and notebooks are now current in .cache/
    home, elsewhere, site = tmp_path / "home", tmp_path / "elsewhere", tmp_path / "out" / "site"
    elsewhere.mkdir()
    for cache in ("records", "notebooks"):
        shutil.copytree(ROOT / ".cache" / cache, home / ".cache" / "nnmath" / cache)
    before = _installed_files(docs_venv)
    locked = [str(_purelib(docs_venv)), str(docs_venv / "share" / "nnmath")]
    subprocess.run(["chmod", "-R", "a-w", *locked], check=True)
    try:
        command = [str(docs_venv / "bin" / "nnmath"), "build", "--site-dir", str(site)]
        env = {"HOME": str(home), "XDG_CACHE_HOME": ""}
        proc = _run(_read_only(docs_venv, command), elsewhere, "nnmath build", timeout=900, env=env)
    finally:
        subprocess.run(["chmod", "-R", "u+w", *locked], check=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "(warm: every record from the cache;" in proc.stdout, proc.stdout  # the seeded records hold
    assert _installed_files(docs_venv) == before  # nothing in the install was written, added or removed
    assert list(elsewhere.iterdir()) == []  # nor in the folder it ran from
    work = home / ".cache" / "nnmath" / "site-sources"
    assert (work / "mkdocs.yml").read_bytes() == (docs_venv / "share" / "nnmath" / "mkdocs.yml").read_bytes()
    assert (work / ".nnmath-output").is_file() and (work / "docs" / "calculus" / "chain-rule.md").is_file()
    typeset = 0
    for page in plan():
        ours = html_file(site, page).read_text(encoding="utf-8")
        assert 'class="arithmatex">' not in ours, page.path  # every formula typeset at build time
        typeset += ours.count('<span class="katex">')
        assert ours == html_file(checkout, page).read_text(encoding="utf-8"), page.path  # the checkout's bytes
    assert typeset > 1000
    assert (site / ".nnmath-output").is_file() and (site / "assets" / "katex" / "katex.min.css").is_file()


def test_nnmath_generate_refuses_to_rewrite_an_installed_package(docs_venv, tmp_path) -> None:
    """``nnmath generate`` writes a checkout's ``numeric/_generated/``; an install's modules are package files."""
    nnmath = str(docs_venv / "bin" / "nnmath")
    proc = _run([nnmath, "generate"], tmp_path, "nnmath generate")
    generated = _purelib(docs_venv) / "numeric" / "_generated"
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        f"nnmath: error: nnmath generate rewrites numeric/_generated/ of a checkout, and this nnmath is installed "
        f"({generated.resolve()}): use nnmath generate --check here, or run it in a checkout\n"
    )
