"""``nnmath build``: derive, render, and build the site atomically into ``site/``.

The site is built by MkDocs into a temporary folder beside ``site/`` and swapped
in only when everything succeeded: a failing derivation, cross-check or MkDocs
warning leaves the previous site as it was.  Builds are deterministic (fixed
``SOURCE_DATE_EPOCH``, deterministic SVGs, pages written from sorted data).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from nnmath.records import computing_expected, records
from nnmath.render.site import katex
from nnmath.render.site.pages import Page, plan
from nnmath.render.site.paths import BUILD_OVERRIDES, CONFIG, IN_PLACE, ROOT, SITE
from nnmath.render.site.render import MadeEarly, Renderer, write
from nnmath.render.site.typeset_ahead import TypesetAhead


class MkdocsFailed(RuntimeError):
    """MkDocs stopped (in strict mode any warning does)."""


@dataclass(frozen=True)
class Generated:
    """The result of rendering the pages into ``docs/``."""

    pages: list[Page]
    written: int
    computed: tuple[str, ...]  # the topics whose records this run computed (the others came from the cache)
    derive_seconds: float  # this run: computing the records, or loading them from the cache
    topic_seconds: dict[str, float]  # what computing each record took, in this run or when it was cached
    processes: dict[str, int] | None = None  # the id of the process that computed each record
    cpu_seconds: dict[str, float] | None = None  # its CPU seconds

    @property
    def from_cache(self) -> bool:
        return not self.computed


@dataclass(frozen=True)
class BuildReport:
    """What a build did and how long it took."""

    site: Path
    generated: Generated
    render_seconds: float
    mkdocs_seconds: float
    total_seconds: float

    def summary(self) -> str:
        g = self.generated
        if g.from_cache:
            kind = "warm: every record from the cache"
        else:
            kind = f"{len(g.computed)} of {len(g.topic_seconds)} topic records computed, the rest from the cache"
        return (
            f"built {len(g.pages)} pages into {self.site} in {self.total_seconds:.1f} s ({kind}; "
            f"{g.written} files changed in docs/)\n"
            f"  records {g.derive_seconds:.1f} s (computing them took {sum(g.topic_seconds.values()):.1f} s, "
            f"{sum((g.cpu_seconds or {}).values()):.1f} s of CPU), render {self.render_seconds:.1f} s, "
            f"mkdocs {self.mkdocs_seconds:.1f} s"
        )

    def profile(self) -> str:
        """``nnmath build --profile``: a row per topic (seconds computing its record, wall clock and CPU; computed
        now or cached; the process that computed it), longest first, then the stages of the build (seconds)."""
        g = self.generated
        rows = sorted(g.topic_seconds.items(), key=lambda kv: (-kv[1], kv[0]))
        cpu = g.cpu_seconds or {}
        lines = [f"{'topic':<18} {'seconds':>8} {'cpu':>8}  {'record':<8}  process"]
        for name, seconds in rows:
            how = "computed" if name in g.computed else "cached"
            pid = (g.processes or {}).get(name) or "-"
            lines.append(f"{name:<18} {seconds:>8.2f} {cpu.get(name, 0.0):>8.2f}  {how:<8}  {pid}")
        lines.append(f"{'(sum)':<18} {sum(g.topic_seconds.values()):>8.2f} {sum(cpu.values()):>8.2f}")
        lines.append("")
        lines.append(f"{'stage':<18} {'seconds':>8}")
        stages = (
            ("records", g.derive_seconds),
            ("render pages", self.render_seconds),
            ("site (mkdocs)", self.mkdocs_seconds),
            ("total", self.total_seconds),
        )
        lines += [f"{name:<18} {seconds:>8.2f}" for name, seconds in stages]
        return "\n".join(lines)


def generate(use_cache: bool = True, progress: bool = True, ahead: TypesetAhead | None = None) -> Generated:
    """Compute (or load from the cache) the topics' records and write the generated pages into ``docs/`` (in an
    install, into the working folder :func:`~nnmath.render.site.workspace.prepare` makes); ``ahead`` is told of
    each record as it arrives and given the rendered pages, to typeset their maths ahead of MkDocs."""
    from nnmath.records import LAST
    from nnmath.render.site.workspace import prepare_for_build
    from nnmath.topics import NAMES

    start = time.perf_counter()
    prepare_for_build()
    pages = plan()
    with MadeEarly(pages, use_cache=use_cache) as early:  # the notebooks run while the other records are computed

        def arrived(topic: str, record) -> None:
            early.arrived(topic, record)
            if ahead is not None:
                ahead.arrived(topic)

        recs, computed = records(use_cache=use_cache, progress=progress, first=early.topics, arrived=arrived)
        derived = time.perf_counter() - start
        files = Renderer(pages, recs, use_cache=use_cache, made=early.made()).files()
        if ahead is not None:
            ahead.hurry({page.path: files[page.path] for page in pages})
        written = write(files)
    every = {name: LAST[name] for name in NAMES}
    seconds = {name: c.seconds for name, c in every.items()}
    processes = {name: c.process for name, c in every.items()}
    cpu = {name: c.cpu for name, c in every.items()}
    return Generated(pages, written, tuple(computed), derived, seconds, processes, cpu)


def source_date_epoch() -> str:
    """The time stamp MkDocs writes into sitemap.xml(.gz): the last commit's, so two builds agree (an install has
    no commits: 0, rather than the commit of a repository the environment happens to lie in)."""
    if not IN_PLACE:
        return "0"
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True)
        stamp = out.stdout.strip()
    except OSError:
        stamp = ""
    return stamp if stamp.isdigit() else "0"


def _log_mkdocs_warnings() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "nnmath", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
        handler.nnmath = True
        logger.addHandler(handler)


def mkdocs_build(site_dir: Path, config_file: Path = CONFIG) -> None:
    """``mkdocs build`` (strict, as configured) into ``site_dir``."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _log_mkdocs_warnings()
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), **BUILD_OVERRIDES)
        run_mkdocs(config)
    except MkDocsException as e:
        raise MkdocsFailed(f"mkdocs build failed: {e}") from None


def run_mkdocs(config) -> None:
    """Build a loaded MkDocs ``config`` as ``mkdocs build`` does: plugins get their startup and shutdown events."""
    from mkdocs.commands.build import build

    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def swap_in(built: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``built`` with renames (the old site exists until the new one is in place).

    Callers check first that ``site_dir`` is missing, empty or nnmath's
    (:func:`nnmath.render.outputs.check_output_folder`).
    """
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(old)
    built.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def build_site(
    site_dir: Path = SITE, use_cache: bool = True, progress: bool = True, engine: str = "mkdocs"
) -> BuildReport:
    """Derive, render and build the site into ``site_dir`` with ``engine`` (MkDocs or Zensical), atomically."""
    from nnmath.render.outputs import check_output_folder, mark, remove_stale

    start = time.perf_counter()
    site_dir = check_output_folder(site_dir, "--site-dir")  # a foreign folder is refused before any work
    os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch())
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if engine == "zensical":
        from nnmath.render.site.zensical import executable

        executable()  # a missing Zensical is reported before any work
    katex.folder()  # the installed assets, or a one-line error before any work (never a download)
    # records to compute (a cold build): the maths is typeset meanwhile, on a core the records leave idle
    ahead = TypesetAhead(start=engine == "mkdocs" and computing_expected())
    try:
        generated = generate(use_cache=use_cache, progress=progress, ahead=ahead)
    except BaseException:
        ahead.stop()
        raise
    rendered = time.perf_counter()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(site_dir.parent)  # the building and old folders of killed runs
    tmp = site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        if engine == "zensical":
            from nnmath.render.site.zensical import zensical_build

            zensical_build(tmp)
        else:
            mkdocs_build(tmp)
        mark(tmp)
        swap_in(tmp, site_dir)
    finally:
        ahead.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    end = time.perf_counter()
    render_seconds = rendered - start - generated.derive_seconds
    return BuildReport(site_dir, generated, render_seconds, end - rendered, end - start)
