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


# --- nnmath build and nnmath workshop from a read-only install ---------------------------------------------------


@pytest.fixture(scope="module")
def publishing_venv(tmp_path_factory, wheel) -> Path:
    """A fresh virtual environment that sees this machine's packages (``--system-site-packages``), with the wheel
    and its ``workshop`` extra (``docs``, ``handouts``, ``notebooks``): pip finds every dependency installed and
    adds nnmath alone (seconds, not the minutes of installing SymPy, Matplotlib, MkDocs… again).  The libraries,
    and so their versions, are the ones the checkout's records were computed with: a record's key is its files'
    hashes and those versions."""
    base = tmp_path_factory.mktemp("publishing-venv")
    proc = _run([sys.executable, "-m", "venv", "--system-site-packages", str(base / "env")], base, "venv")
    assert proc.returncode == 0, proc.stderr
    _pip_install(base / "env" / "bin" / "python", f"{wheel}[workshop]", base)
    return base / "env"


def _purelib(venv: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(_run([str(venv / "bin" / "python"), "-c", code], venv, "python").stdout.strip())


def _installed_files(venv: Path) -> dict[str, str]:
    """Every file and folder of the installed nnmath (its packages and data files), by path, with its SHA-256."""
    import hashlib

    purelib = _purelib(venv)
    roots = [purelib / name for name in ("derive", "numeric", "nnmath")] + [venv / "share" / "nnmath"]
    paths = sorted(p for root in roots for p in root.rglob("*"))
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder" for p in paths}


def _read_only(venv: Path, cmd: list[str]) -> list[str]:
    """``cmd``, run with the install read-only: its packages and data files lose their write bits (``chmod -R
    a-w``, done by :func:`_nnmath_read_only`); root, whom the bits do not stop, gets the whole environment mounted
    read-only in a mount namespace of its own (``unshare -m``), so a write fails as for a user of a system install."""
    if os.geteuid() != 0:
        return cmd
    remount = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", remount, str(venv), *cmd]


def _seeded_home(tmp_path: Path) -> Path:
    """A home folder whose nnmath cache holds the checkout's records and executed notebooks.

    They are keyed by the hashes of the project files they imported, by path in the packages
    (``nnmath/topics/…``), and by the libraries' versions, so they hold in an install of the same files: the
    install reuses them (its build summary says so) instead of spending ~2 min of CPU computing them again.  The
    checkout's site build (:func:`site_support.built`) makes them current first.
    """
    import shutil

    from site_support import built

    built()
    home = tmp_path / "home"
    for cache in ("records", "notebooks"):
        shutil.copytree(ROOT / ".cache" / cache, home / ".cache" / "nnmath" / cache)
    return home


def _nnmath_read_only(venv: Path, args: list[str], home: Path, cwd: Path) -> subprocess.CompletedProcess:
    """``nnmath ARGS`` from the install made read-only, in ``cwd`` (which stays empty), with ``HOME`` = ``home``;
    checks that no file of the install was written, added or removed."""
    before = _installed_files(venv)
    locked = [str(_purelib(venv)), str(venv / "share" / "nnmath")]
    subprocess.run(["chmod", "-R", "a-w", *locked], check=True)
    try:
        command = _read_only(venv, [str(venv / "bin" / "nnmath"), *args])
        proc = _run(command, cwd, "nnmath", timeout=900, env={"HOME": str(home), "XDG_CACHE_HOME": ""})
    finally:
        subprocess.run(["chmod", "-R", "u+w", *locked], check=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert _installed_files(venv) == before
    assert list(cwd.iterdir()) == []
    return proc


def test_nnmath_build_from_a_read_only_install_writes_only_the_site_and_the_user_cache(
    publishing_venv, tmp_path
) -> None:
    """``nnmath build --site-dir`` from an installed wheel whose files cannot be written, in a folder unrelated to
    the checkout, with ``HOME`` in a temporary folder: the site has every page with typeset maths and the same
    bytes as the checkout's build; the generated pages went to ``~/.cache/nnmath/site-sources/``.  KaTeX's
    typeset formulas are not seeded: the install typesets every formula itself."""
    from site_support import built

    home, elsewhere, site = _seeded_home(tmp_path), tmp_path / "elsewhere", tmp_path / "out" / "site"
    elsewhere.mkdir()
    proc = _nnmath_read_only(publishing_venv, ["build", "--site-dir", str(site)], home, elsewhere)
    assert "(warm: every record from the cache;" in proc.stdout, proc.stdout  # the seeded records hold
    work = home / ".cache" / "nnmath" / "site-sources"
    hooks = (_purelib(publishing_venv) / "nnmath" / "render" / "site" / "mkdocs_hooks.py").resolve()
    assert f"- {hooks}\n" in (work / "mkdocs.yml").read_text(encoding="utf-8")  # its config names the install's hooks
    assert (work / ".nnmath-output").is_file() and (work / "docs" / "calculus" / "chain-rule.md").is_file()
    checkout = built().site
    ours = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert ours == {p.relative_to(checkout).as_posix() for p in checkout.rglob("*") if p.is_file()}
    for rel in sorted(ours - {"sitemap.xml.gz"}):  # its gzip header has the build date: the last commit's, or 0
        assert (site / rel).read_bytes() == (checkout / rel).read_bytes(), rel
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    assert not any('class="arithmatex">' in page for page in pages)  # every formula typeset at build time
    assert sum(page.count('<span class="katex">') for page in pages) > 1000


def test_nnmath_workshop_from_a_read_only_install_writes_the_kit_where_asked(publishing_venv, tmp_path) -> None:
    """``nnmath workshop --out`` from the read-only install: the kit (site, PDFs, notebooks, pack, slides) is in
    the folder asked for, and nothing was written into the install or the folder it ran from."""
    home, elsewhere, kit = _seeded_home(tmp_path), tmp_path / "elsewhere", tmp_path / "my" / "kit"
    elsewhere.mkdir()
    proc = _nnmath_read_only(publishing_venv, ["workshop", "--participants", "2", "--out", str(kit)], home, elsewhere)
    assert proc.stdout.startswith(f"workshop kit in {kit} ("), proc.stdout
    for name in ("README.md", "agenda.html", "site/index.html", "handouts/exercises.pdf", "slides/slides.pdf"):
        assert (kit / name).is_file(), name
    assert (kit / "notebooks" / "solutions").is_dir() and (kit / "participants").is_dir()
    assert [p.name for p in kit.parent.iterdir()] == ["kit"]  # no building folder left beside it


def test_nnmath_generate_refuses_to_rewrite_an_installed_package(publishing_venv, tmp_path) -> None:
    """``nnmath generate`` writes a checkout's ``numeric/_generated/``; an install's modules are package files."""
    proc = _run([str(publishing_venv / "bin" / "nnmath"), "generate"], tmp_path, "nnmath generate")
    generated = _purelib(publishing_venv) / "numeric" / "_generated"
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        f"nnmath: error: nnmath generate rewrites numeric/_generated/ of a checkout, and this nnmath is installed "
        f"({generated.resolve()}): use nnmath generate --check here, or run it in a checkout\n"
    )
