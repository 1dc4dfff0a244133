"""``nnmath workshop``: the whole kit for one session, in one folder.

::

    kit/
      README.md            what is where (the summary), how to open it
      agenda.md, .html     the 2.5-hour agenda, from the episodes' declared minutes
      site/                the course site, built for file:// (open site/index.html)
      handouts/            theory.pdf, practice.pdf, exercises.pdf (one sheet each), answer-key.pdf,
                           instructor-guide.pdf
      notebooks/student/   the notebooks with exercises to solve (they import nnmath: for a machine with nnmath)
      notebooks/solutions/ the same, solved and executed
      participants/        the participant pack: the notebooks with one generated module, NumPy only, and a
                           README (a venv in 3 commands, or any hosted Jupyter) — hand it out before the session
      participants-solutions/  the pack's notebooks solved — hand it out afterwards
      slides/              slides.pdf (16:9, for the projector) and slides-notes.pdf (speaker notes)

Atomic: the kit is built in a temporary folder beside ``--out`` and renamed
into place only when every part is there; on failure the previous kit is
untouched.  ``--out`` must be new, empty, or an earlier kit (it holds
:data:`MARKER`), so that no other folder is ever replaced.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from derive.custom.timelimit import die_with_parent
from nnmath.paths import TEMPLATES as ALL_TEMPLATES
from nnmath.render.kit.agenda import Agenda
from nnmath.render.kit.offline_site import OfflineSite
from nnmath.render.outputs import mark, remove_stale
from nnmath.render.pack.build import Pack, build_pack
from nnmath.render.pack.module import MODULE
from nnmath.render.site.build import swap_in
from nnmath.render.site.render import environment

MARKER = ".nnmath-kit"
TEMPLATES = ALL_TEMPLATES / "workshop"
NOTEBOOK_FOLDER = "notebooks"


class NotAKit(ValueError):
    """``--out`` is a folder with other contents: the kit will not replace it."""


@dataclass(frozen=True)
class Row:
    """One line of the summary: what, where (relative to the kit), details, size."""

    what: str
    path: str
    details: str
    size: str


@dataclass(frozen=True)
class Kit:
    """A finished kit: where it is, what it holds, how long it took (and its parts)."""

    out: Path
    rows: list[Row]
    seconds: float
    timings: dict[str, float]

    def summary(self) -> str:
        """The closing summary: every artefact with its path, details and size, and the time taken."""
        w_what = max(len(r.what) for r in self.rows)
        w_path = max(len(r.path) for r in self.rows)
        lines = [f"workshop kit in {self.out} ({_size(_bytes(self.out))}):"]
        lines += [f"  {r.what:<{w_what}}  {r.path:<{w_path}}  {r.size:>8}  {r.details}" for r in self.rows]
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items())
        lines.append(f"done in {self.seconds:.1f} s ({parts})")
        return "\n".join(lines)


def _bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def check_out(out: Path) -> None:
    """Raise :class:`NotAKit` unless ``out`` is missing, an empty folder, or nnmath's (an earlier kit)."""
    from nnmath.render.cli import UserError
    from nnmath.render.outputs import check_output_folder

    try:
        check_output_folder(out, "--out")
    except UserError as e:
        raise NotAKit(str(e)) from None


def _environment() -> jinja2.Environment:
    return environment(TEMPLATES)


def html_page(title: str, markdown_text: str) -> str:
    """A Markdown document as one self-contained HTML page (``templates/workshop/page.html.j2``)."""
    import markdown

    body = markdown.markdown(markdown_text, extensions=["tables"])
    return _environment().get_template("page.html.j2").render(title=title, body=body)


def _copy_notebooks(site: Path, kit: Path) -> dict[str, list[Path]]:
    """The site's notebook downloads, into ``notebooks/student`` and ``notebooks/solutions``; validated."""
    import nbformat

    from nnmath.render.notebooks.build import file_name
    from nnmath.topics.practice.parts import PARTS

    placed: dict[str, list[Path]] = {"student": [], "solutions": []}
    for part in PARTS:
        for variant in placed:
            name = file_name(part.stem, variant)
            source = site / NOTEBOOK_FOLDER / name
            target = kit / NOTEBOOK_FOLDER / variant / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            nbformat.validate(nbformat.read(target, as_version=4))
            placed[variant].append(target)
    return placed


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def agenda_markdown(agenda: Agenda, start: str | None) -> str:
    """The agenda as Markdown (``templates/workshop/agenda.md.j2``)."""
    return (
        _environment()
        .get_template("agenda.md.j2")
        .render(agenda=agenda, stages=agenda.stages(), optional=agenda.optional(), start=start)
    )


def _agenda(kit: Path, participants: int, seed: int, start: str | None) -> Agenda:
    """The agenda from the episodes' declared minutes; written as .md and .html."""
    from nnmath.render.kit.agenda import build_agenda, parse_start

    agenda = build_agenda(participants, seed, parse_start(start))
    text = agenda_markdown(agenda, start)
    _write(kit / "agenda.md", text)
    _write(kit / "agenda.html", html_page("Workshop agenda", text))
    return agenda


def _rows(
    kit: Path, site_pages: int, handouts, notebooks: dict[str, list[Path]], agenda: Agenda, seed: int
) -> list[Row]:
    """The summary's rows, from what is on disk in ``kit``."""
    from nnmath.topics.exercises.sheets import PAGES_PER_SHEET

    pages = {d: r.pages for d, r in handouts.reports.items()}
    sizes = {d: _size(_bytes(path)) for d, path in handouts.pdfs.items()}
    exercises = sum(len(_exercises(p)) for p in notebooks["student"])
    episodes = sum(1 for r in agenda.rows() if r.number)
    sheets = pages["exercises"] // PAGES_PER_SHEET
    return [
        Row(
            "course site",
            "site/index.html",
            f"{site_pages} pages + home and notation, opens from disk",
            _size(_bytes(kit / "site")),
        ),
        Row("theory summary", "handouts/theory.pdf", f"{pages['theory']} pages", sizes["theory"]),
        Row("guided practice", "handouts/practice.pdf", f"{pages['practice']} pages", sizes["practice"]),
        Row(
            "exercise sheets",
            "handouts/exercises.pdf",
            f"{sheets} sheets × {PAGES_PER_SHEET} pages = {pages['exercises']} pages (seed {seed})",
            sizes["exercises"],
        ),
        Row(
            "answer key",
            "handouts/answer-key.pdf",
            f"{pages['answers']} pages (cover + one per participant)",
            sizes["answers"],
        ),
        Row(
            "instructor guide",
            "handouts/instructor-guide.pdf",
            f"{pages['instructor']} pages: timeline, objectives, notes, answers, prompts",
            sizes["instructor"],
        ),
        Row(
            "student notebooks",
            f"{NOTEBOOK_FOLDER}/student/",
            f"{len(notebooks['student'])} notebooks, {exercises} exercises with check cells",
            _size(_bytes(kit / NOTEBOOK_FOLDER / "student")),
        ),
        Row(
            "solution notebooks",
            f"{NOTEBOOK_FOLDER}/solutions/",
            f"{len(notebooks['solutions'])} notebooks, solved and executed",
            _size(_bytes(kit / NOTEBOOK_FOLDER / "solutions")),
        ),
        Row(
            "agenda",
            "agenda.html",
            f"{agenda.minutes} min: 3 stages and a break, {episodes} timed episodes (also agenda.md)",
            _size(_bytes(kit / "agenda.html")),
        ),
    ]


def _pack_rows(kit: Path, pack: Pack) -> list[Row]:
    """The summary's rows of the participant pack and its solutions."""
    return [
        Row(
            "participant pack",
            f"{pack.folder.relative_to(kit).as_posix()}/",
            f"{len(pack.notebooks)} notebooks + {MODULE}.py (NumPy only), README, requirements.txt: hand it out",
            _size(_bytes(pack.folder)),
        ),
        Row(
            "pack solutions",
            f"{pack.solutions.relative_to(kit).as_posix()}/",
            f"{len(pack.solution_notebooks)} notebooks solved, same module: hand it out after the session",
            _size(_bytes(pack.solutions)),
        ),
    ]


def _slide_rows(kit: Path, slides) -> list[Row]:
    """The summary's rows of the slides and their notes."""
    pages = slides.reports["slides"].pages
    return [
        Row(
            "slides",
            "slides/slides.pdf",
            f"{len(slides.frames)} slides, {pages} pages with overlays, 16:9",
            _size(_bytes(slides.slides)),
        ),
        Row(
            "speaker notes",
            "slides/slides-notes.pdf",
            f"{slides.reports['notes'].pages} pages",
            _size(_bytes(slides.notes)),
        ),
    ]


def compute_records(participants: int, seed: int, names: list[str] | None = None) -> None:
    """Every record the kit shows (the topics' and the exercise sheets'), computed once, two processes at a time,
    longest first, into the cache: the site's build and the handouts then read them (none computes one twice).
    The sheets' record is computed quietly (the one line of a failure stays the only output)."""
    from nnmath.records import records
    from nnmath.topics import TOPICS
    from nnmath.topics.exercises import sheets_topic

    records(TOPICS)  # a progress bar when one is computed
    records([sheets_topic(seed, participants, names)], progress=False)  # new for each seed and participants


def start_site_build(site_dir: Path) -> SiteBuild:
    """Start building the offline site into ``site_dir`` (see :class:`SiteBuild`)."""
    return SiteBuild(site_dir)


class SiteBuildFailed(RuntimeError):
    """The site's build process failed; the message is its one-line error."""


class SiteBuild:
    """The offline site, built by a process of its own while the handouts compile (2 cores: both busy).

    A separate process rather than a thread: both the site's build and the handouts' (their LaTeX, the figures'
    PDFs) are mostly Python, which one process runs on one core at a time.  Its output goes to temporary files
    (no pipe to fill up).
    """

    def __init__(self, site_dir: Path):
        self.out = tempfile.TemporaryFile("w+")
        self.err = tempfile.TemporaryFile("w+")
        cmd = [sys.executable, "-m", "nnmath.render.kit.offline_site", str(site_dir)]
        self.process = subprocess.Popen(
            cmd, stdout=self.out, stderr=self.err, text=True, preexec_fn=die_with_parent
        )  # killed with nnmath
        self.site_dir = site_dir

    def result(self) -> OfflineSite:
        """Wait for the build; raise :class:`SiteBuildFailed` with its error line if it failed."""
        try:
            status = self.process.wait()
            self.out.seek(0)
            self.err.seek(0)
            out, err = self.out.read(), self.err.read()
        finally:
            self.close()
        if status != 0:
            lines = [line for line in err.splitlines() if line.strip()]
            raise SiteBuildFailed(lines[-1] if lines else f"the site build stopped with status {status}")
        result = json.loads(out.strip().splitlines()[-1])
        return OfflineSite(self.site_dir, result["pages"], result["seconds"], result["from_cache"])

    def close(self) -> None:
        """Stop the build if it still runs, and release its files."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.out.close()
        self.err.close()


def build_kit(
    out: Path,
    participants: int,
    seed: int,
    names: list[str] | None = None,
    paper: str = "a4",
    start: str | None = None,
    command: str = "nnmath workshop",
) -> Kit:
    """Build the kit into ``out`` atomically (see the module docstring)."""
    from nnmath.render.handouts.build import build_handouts
    from nnmath.render.slides.build import build_slides
    from nnmath.topics.exercises.sheets import PAGES_PER_SHEET

    out = Path(out).resolve()
    check_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out.parent)  # the building and old folders of killed runs
    tmp = out.with_name(f".{out.name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    started = time.perf_counter()
    timings: dict[str, float] = {}
    try:
        t = time.perf_counter()
        compute_records(participants, seed, names)
        record_seconds = time.perf_counter() - t
        site_build = start_site_build(tmp / "site")  # beside the handouts, in a process of its own
        try:
            t = time.perf_counter()
            handouts = build_handouts(
                tmp / "handouts", participants=participants, seed=seed, names=names, paper=paper, start=start
            )
            timings["handouts"] = time.perf_counter() - t
            t = time.perf_counter()
            slides = build_slides(tmp / "slides", start=start)
            slide_seconds = time.perf_counter() - t
            site = site_build.result()
        finally:
            site_build.close()
        timings["site" + (" (derivations cached)" if site.from_cache else " (derived)")] = site.seconds
        timings["slides"] = slide_seconds
        timings["records"] = record_seconds
        t = time.perf_counter()
        notebooks = _copy_notebooks(site.site, tmp)
        pack = build_pack(tmp, command=command)
        agenda = _agenda(tmp, participants, seed, start)
        timings["notebooks, pack and agenda"] = time.perf_counter() - t
        rows = (
            _rows(tmp, site.pages, handouts, notebooks, agenda, seed) + _pack_rows(tmp, pack) + _slide_rows(tmp, slides)
        )
        readme = (
            _environment()
            .get_template("README.md.j2")
            .render(
                command=command,
                seconds=f"{time.perf_counter() - started:.1f}",
                rows=rows,
                agenda_minutes=agenda.minutes,
                pages_per_sheet=PAGES_PER_SHEET,
            )
        )
        _write(tmp / "README.md", readme)
        _write(tmp / MARKER, json.dumps({"participants": participants, "seed": seed, "paper": paper}) + "\n")
        mark(tmp)
        rows.append(Row("this summary", "README.md", "what is where, how to open it", _size(_bytes(tmp / "README.md"))))
        swap_in(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Kit(out, rows, time.perf_counter() - started, timings)


_EXERCISE = re.compile(r"^#+\s*(Exercise \d+\.\d+)\s*:", re.M)


def _exercises(path: Path) -> list[str]:
    """The exercise headings (``Exercise 1.2``) of a notebook's Markdown cells."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return [m for cell in nb.cells if cell.cell_type == "markdown" for m in _EXERCISE.findall(cell.source)]
