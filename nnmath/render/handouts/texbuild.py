r"""Compile LaTeX to PDF with latexmk + pdfLaTeX, reproducibly, and read the logs.

Reproducible bytes: ``SOURCE_DATE_EPOCH`` with ``FORCE_SOURCE_DATE=1`` fixes
every date pdfTeX writes; the documents set ``\pdfsuppressptexinfo=-1`` (no
file paths of included figures) and a ``\pdftrailerid`` computed from their
own source (a fixed /ID).  Callers compile documents in parallel, :data:`WORKERS`
latexmk processes at a time.

Since the same source gives the same PDF, a compiled document is kept in ``.cache/latex/`` under
the hash of its source, every other file of its folder (figures) and the TeX engine's version, and a
document compiled before is copied from there instead of compiled again (:func:`compile_tex`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from derive.custom.timelimit import die_with_parent
from nnmath.paths import CACHE as CACHES

ENGINES = ("latexmk", "pdflatex")
APT_PACKAGES = (
    "texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended lmodern latexmk"
)
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01 00:00 UTC: the date in every PDF
WORKERS = 2
TIMEOUT = 300  # seconds for one document
CACHE = CACHES / "latex"  # compiled documents by the hash of what they were compiled from


class TexMissing(RuntimeError):
    """latexmk or pdflatex is not on PATH."""


class LatexFailed(RuntimeError):
    """A document did not compile; the message is one line: file, line and first LaTeX error."""


def require_engine() -> None:
    """Raise :class:`TexMissing` with the install command unless latexmk and pdflatex are on PATH."""
    missing = [e for e in ENGINES if shutil.which(e) is None]
    if missing:
        raise TexMissing(
            f"the handouts need a TeX engine, but {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not on PATH: apt-get install {APT_PACKAGES}"
        )


@dataclass(frozen=True)
class LogReport:
    """What a pdfLaTeX log says: pages written, overfull boxes (pt too wide), undefined references."""

    pages: int
    overfull: tuple[tuple[float, str], ...]
    undefined: tuple[str, ...]
    warnings: tuple[str, ...]


_PAGES = re.compile(r"Output written on .*?\((\d+) pages?")
_OVERFULL = re.compile(r"^Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too (?:wide|high)\) (.*)$", re.M)
_UNDEFINED = re.compile(r"(?:Reference|Citation) `([^']*)' on page \d+ undefined")
_WARNING = re.compile(r"^(?:LaTeX|Package \w+) Warning: (.*)$", re.M)
_ERROR_FILE_LINE = re.compile(r"^(?:\./)?([^\s:]+\.tex):(\d+): (.*)$", re.M)
_ERROR_BANG = re.compile(r"^! (.*)$", re.M)


def parse_log(text: str) -> LogReport:
    """Pages, overfull boxes, undefined references and warnings of one pdfLaTeX log."""
    pages = _PAGES.findall(text)
    undefined = set(_UNDEFINED.findall(text))
    if "There were undefined references" in text and not undefined:
        undefined.add("?")
    return LogReport(
        pages=int(pages[-1]) if pages else 0,
        overfull=tuple((float(w), where.strip()) for w, where in _OVERFULL.findall(text)),
        undefined=tuple(sorted(undefined)),
        warnings=tuple(w.strip() for w in _WARNING.findall(text)),
    )


def first_error(text: str) -> str:
    """The first LaTeX error of a log, as ``file.tex line N: message`` (or the ``!`` line)."""
    m = _ERROR_FILE_LINE.search(text)
    if m:
        return f"{m.group(1)} line {m.group(2)}: {m.group(3).strip()}"
    m = _ERROR_BANG.search(text)
    return m.group(1).strip() if m else "no error message in the log"


def environment() -> dict[str, str]:
    """The process environment for reproducible pdfTeX output."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env["FORCE_SOURCE_DATE"] = "1"
    env.pop("TEXINPUTS", None)
    return env


@dataclass(frozen=True)
class Compiled:
    """One compiled document: its PDF and what its log says."""

    tex: Path
    pdf: Path
    log: str
    report: LogReport


@functools.cache
def engine_version() -> str:
    """The first lines of ``pdflatex --version`` and ``latexmk --version`` (part of a compiled document's key)."""
    out = []
    for engine in ENGINES:
        try:
            done = subprocess.run([engine, "--version"], capture_output=True, text=True, timeout=60, check=False)
            out.append(next((line for line in done.stdout.splitlines() if line.strip()), ""))
        except (OSError, subprocess.TimeoutExpired):
            out.append("absent")
    return "\n".join(out)


def source_key(tex: Path) -> str:
    """SHA-256 of what ``tex`` compiles from: its bytes, the files of its sub-folders it names (its figures, by
    relative path), the engine's version and the date pdfTeX writes.  (Files beside it are other documents and
    their auxiliary files, written while it compiles: not part of it.)"""
    source = tex.read_bytes()
    text = source.decode("utf-8", errors="replace")
    h = hashlib.sha256()
    h.update(engine_version().encode() + b"\0" + SOURCE_DATE_EPOCH.encode() + b"\0" + tex.name.encode() + b"\0")
    h.update(source)
    for path in sorted(p for p in tex.parent.glob("*/**/*") if p.is_file()):
        rel = path.relative_to(tex.parent).as_posix()
        if rel in text or rel.rsplit(".", 1)[0] in text:
            h.update(b"\0" + rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _cached(tex: Path, key: str) -> Compiled | None:
    """The document compiled before from the same sources, copied beside ``tex`` (``None``: not in the cache)."""
    pdf, log = CACHE / f"{key}.pdf", CACHE / f"{key}.log"
    try:
        text = log.read_text(encoding="latin-1")
        shutil.copyfile(pdf, tex.with_suffix(".pdf"))
    except OSError:
        return None
    tex.with_suffix(".log").write_text(text, encoding="latin-1")
    return Compiled(tex, tex.with_suffix(".pdf"), text, parse_log(text))


def _keep(compiled: Compiled, key: str) -> None:
    """Store a compiled document in the cache, atomically (the PDF last: a log without its PDF is no entry)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    for suffix, data in ((".log", compiled.log.encode("latin-1")), (".pdf", compiled.pdf.read_bytes())):
        tmp = CACHE / f".{key}.{os.getpid()}.{suffix[1:]}.tmp"
        tmp.write_bytes(data)
        tmp.replace(CACHE / f"{key}{suffix}")


def compile_tex(tex: Path, use_cache: bool = True) -> Compiled:
    """``latexmk -pdf`` on ``tex`` in its own folder (or its PDF from the cache, compiled before from the same
    sources); :class:`LatexFailed` names the first error."""
    key = source_key(tex)
    if use_cache and (found := _cached(tex, key)) is not None:
        return found
    compiled = _compile(tex)
    _keep(compiled, key)
    return compiled


def _compile(tex: Path) -> Compiled:
    """``latexmk -pdf`` on ``tex`` in its own folder; :class:`LatexFailed` names the first error."""
    cmd = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", tex.name]
    try:
        proc = subprocess.run(
            cmd,
            cwd=tex.parent,
            env=environment(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            preexec_fn=die_with_parent,  # latexmk does not outlive nnmath
        )
    except FileNotFoundError:  # latexmk vanished between the check and the run
        require_engine()
        raise
    except subprocess.TimeoutExpired:
        raise LatexFailed(f"{tex.name}: pdfLaTeX did not finish in {TIMEOUT} s") from None
    log_path = tex.with_suffix(".log")
    log = log_path.read_text(encoding="latin-1") if log_path.exists() else ""
    pdf = tex.with_suffix(".pdf")
    if proc.returncode != 0 or not pdf.exists():
        if log:
            raise LatexFailed(f"LaTeX failed on {tex.name}: {first_error(log)}")
        last = (proc.stderr or proc.stdout).strip().splitlines()
        raise LatexFailed(f"LaTeX failed on {tex.name}: {last[-1] if last else f'exit status {proc.returncode}'}")
    return Compiled(tex, pdf, log, parse_log(log))


def install(files: Iterable[Path], out: Path) -> list[Path]:
    """Move finished files into ``out``, each atomically (staged on ``out``'s file system, then renamed).

    Nothing in ``out`` changes until every file is staged, and other files in it are left alone.  A folder
    made here gets nnmath's marker; an existing one must be empty or nnmath's
    (:func:`nnmath.render.outputs.check_output_folder`).
    """
    from nnmath.render.outputs import check_output_folder, mark

    out = check_output_folder(out, "--out")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-{os.getpid()}-", dir=out.parent))
    try:
        staged = []
        for f in files:
            target = staging / f.name
            shutil.copyfile(f, target)
            staged.append(target)
        out.mkdir(exist_ok=True)
        mark(out)
        placed = []
        for f in staged:
            os.replace(f, out / f.name)
            placed.append(out / f.name)
        return placed
    finally:
        shutil.rmtree(staging, ignore_errors=True)
