"""``nnmath handouts``: printable PDFs for the three parts of the workshop.

* ``theory.pdf`` — part 1: every catalogue formula, BP1–BP4, update rules, figures;
* ``practice.pdf`` — part 2: derivations step by step, the exact worked example;
* ``exercises.pdf`` — part 3: one sheet per participant (each exercise on half a page or a page), numbers
  from ``--seed``;
* ``answer-key.pdf`` — for the instructor: every participant's solution, one page each;
* ``instructor-guide.pdf`` — for the instructor: the timeline, each episode's objectives, notes, what to show,
  the challenges' answers and common mistakes, the discussion prompts.

LaTeX is rendered from ``templates/handouts/`` and compiled by latexmk +
pdfLaTeX in a temporary folder; the PDFs are moved into ``--out`` only when
all of them are built, so a failure leaves ``--out`` as it was.  The same
arguments give byte-identical PDFs.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nnmath.render.cli import UserError
from nnmath.render.handouts.texbuild import (
    WORKERS,
    LatexFailed,
    LogReport,
    TexMissing,
    compile_tex,
    install,
    require_engine,
)
from nnmath.render.handouts.texrender import TEMPLATE_DIR, UntypesettableText, escape, render
from nnmath.topics.base import Figure
from nnmath.wording import counted

PAPERS = {"a4": "a4paper", "letter": "letterpaper"}
# document: (template, output file, title)
DOCUMENTS: dict[str, tuple[str, str, str]] = {
    "theory": ("theory.tex", "theory.pdf", "Part 1: theory summary"),
    "practice": ("practice.tex", "practice.pdf", "Part 2: guided practice"),
    "exercises": ("sheets.tex", "exercises.pdf", "Part 3: exercise sheets"),
    "answers": ("answers.tex", "answer-key.pdf", "Answer key"),
    "instructor": ("instructor.tex", "instructor-guide.pdf", "Instructor guide"),
}
# Documents for the participants: they never hold a solution (the answer key and the guide are the instructor's).
PARTICIPANT_DOCUMENTS = ("theory", "practice", "exercises")
PDF_ID_PLACEHOLDER = "@@NNMATH-PDF-ID@@"
MAX_PARTICIPANTS = 1000


@dataclass(frozen=True)
class HandoutBuild:
    """The result of a build: the PDFs placed in ``out``, and each document's log."""

    pdfs: dict[str, Path]
    logs: dict[str, str]
    reports: dict[str, LogReport]
    seconds: float


def expected_pages(document: str, participants: int) -> int | None:
    """Pages the exercise sheets and the answer key must have (``None``: not fixed)."""
    from nnmath.topics.exercises.sheets import PAGES_PER_SHEET

    if document == "exercises":
        return PAGES_PER_SHEET * participants
    if document == "answers":
        return participants + 1  # a cover page, then one page per participant
    return None


def read_names(path: Path) -> list[str]:
    """Participant names, one per line; blank lines and lines starting with ``#`` are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"cannot read names from {path}: {e}") from None
    names = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not names:
        raise UserError(f"{path} has no names (one per line)")
    for i, name in enumerate(names, 1):
        try:
            escape(name)
        except UntypesettableText as e:
            raise UserError(f"{path}, name {i}: {e}") from None
    return names


def _pdf_id(text: str, extra: bytes = b"") -> str:
    return hashlib.sha256(text.encode() + extra).hexdigest()[:32]


def _write(folder: Path, document: str, context: dict, extra: bytes = b"") -> Path:
    """Render one document into ``folder``; its /ID is a hash of its own source (and figures)."""
    template, output, title = DOCUMENTS[document]
    text = render(template, {**context, "pdf_id": PDF_ID_PLACEHOLDER, "pdf_title": f"nnmath: {title}"})
    text = text.replace(PDF_ID_PLACEHOLDER, _pdf_id(text, extra))
    path = folder / Path(output).with_suffix(".tex").name
    path.write_text(text, encoding="utf-8")
    return path


def _needed(documents: Sequence[str]) -> list:
    """The topics whose records the documents show."""
    from nnmath.topics import TOPICS

    names = set()
    if "theory" in documents:
        names |= {"catalogue", "backpropagation", "gradient_descent"} | {t.name for t in TOPICS if t.handout}
    if "practice" in documents:
        names |= {"catalogue", "backpropagation", "worked_example"}
    if "instructor" in documents:
        names |= {"workshop"}
    return [t for t in TOPICS if t.name in names]


def theory_context(records: dict) -> dict:
    """The theory summary: the catalogue by group, the dense layer and BP1–BP4, the update rules, topic sections."""
    from nnmath.topics import TOPICS

    return {
        "sections": [
            {"template": f"topics/{t.name}.tex", "topic": t.name, "context": records[t.name][t.handout], "figures": {}}
            for t in TOPICS
            if t.handout
        ],
        "entries": records["catalogue"]["entries"],
        "groups": records["catalogue"]["groups"],
        "figures": {name: f"figures/{name}.pdf" for name in records["catalogue"]["figures"]},
        "backprop": records["backpropagation"]["backpropagation"]["equations"],
        "rules": records["gradient_descent"]["rules"],
        "lse": records["catalogue"]["notation"]["lse"],
    }


def practice_context(records: dict) -> dict:
    """The guided practice: derivations step by step, the chain rule for one neuron, the worked example."""
    return {
        "entries": records["catalogue"]["entries"],
        "practice": records["catalogue"]["practice"],
        "chain_rule": records["backpropagation"]["chain-rule"]["derivation"],
        "worked": records["worked_example"]["worked-example"],
    }


def instructor_context(records: dict, start: str | None = None) -> dict:
    """The instructor guide: the agenda with (clock) times, and every episode with its answers and notes."""
    from nnmath.render.kit.agenda import Agenda, parse_start, span

    workshop = records["workshop"]
    agenda = Agenda(workshop["agenda"], start=parse_start(start))
    episodes = [
        {**e, "time": span(e["start"], e["end"], agenda.start) if e["start"] is not None else ""}
        for e in workshop["episodes"]
    ]
    return {
        "minutes": agenda.minutes,
        "start": start,
        "stages": agenda.stages(),
        "optional": agenda.optional(),
        "episodes": episodes,
    }


def build_handouts(
    out: Path,
    participants: int = 1,
    seed: int = 0,
    names: list[str] | None = None,
    paper: str = "a4",
    documents: Sequence[str] = tuple(DOCUMENTS),
    keep_build: Path | None = None,
    start: str | None = None,
) -> HandoutBuild:
    """Build ``documents`` into ``out``; see the module docstring.  Raises TexMissing or LatexFailed.

    The figures are drawn in a worker process while SymPy prepares the
    documents, and each document is compiled (two latexmk at a time) as soon
    as its LaTeX is written.
    """
    began = time.perf_counter()
    require_engine()
    unknown = set(documents) - set(DOCUMENTS)
    if unknown:
        raise ValueError(f"unknown documents {sorted(unknown)}")
    from nnmath.records import records

    recs, _ = records(_needed(documents))
    build = Path(tempfile.mkdtemp(prefix="nnmath-handouts-"))
    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as latex_pool:
            jobs = {
                d: latex_pool.submit(compile_tex, tex)
                for d, tex in _sources(build, documents, participants, seed, names, paper, recs, start)
            }
            compiled = {d: jobs[d].result() for d in DOCUMENTS if d in jobs}
        for document, c in compiled.items():
            want = expected_pages(document, participants)
            if want is not None and c.report.pages != want:
                raise LatexFailed(f"{c.tex.name}: {c.report.pages} pages, expected {want} (a page overflowed)")
        placed = install([c.pdf for c in compiled.values()], out)
        return HandoutBuild(
            pdfs=dict(zip(compiled, placed)),
            logs={d: c.log for d, c in compiled.items()},
            reports={d: c.report for d, c in compiled.items()},
            seconds=time.perf_counter() - began,
        )
    finally:
        if keep_build is not None:
            shutil.copytree(build, keep_build, dirs_exist_ok=True)
        shutil.rmtree(build, ignore_errors=True)


def _sources(
    build: Path,
    documents: Sequence[str],
    participants: int,
    seed: int,
    names: list[str] | None,
    paper: str,
    records: dict,
    start: str | None = None,
) -> Iterator[tuple[str, Path]]:
    """Write each document's LaTeX into ``build`` and yield it: sheets first, the theory last."""
    common = {"paper": PAPERS[paper], "seed": seed}
    if "instructor" in documents:
        yield "instructor", _write(build, "instructor", {**common, **instructor_context(records, start)})
    if {"exercises", "answers"} & set(documents):
        from nnmath.topics.exercises import sheets

        context = {
            **common,
            **sheets.present(seed, participants, names),
            "total_pages": expected_pages("answers", participants),
        }
        for d in ("exercises", "answers"):
            if d in documents:
                yield d, _write(build, d, context)
    if "practice" in documents:
        yield "practice", _write(build, "practice", {**common, **practice_context(records)})
    if "theory" in documents:
        context = {**common, **theory_context(records)}
        (build / "figures").mkdir()
        digest = hashlib.sha256()
        for group in context["groups"]:  # the entries' figures, in the order of the document
            for name in group["entries"]:
                data = records["catalogue"]["figures"][name].pdf
                (build / context["figures"][name]).write_bytes(data)
                digest.update(data)
        drawn = digest.digest()
        for section in context["sections"]:  # a topic section's own figures
            for name, figure in sorted(section["context"].get("figures", {}).items()):
                if isinstance(figure, Figure):  # drawn for every output: figures/<topic>-<name>.pdf
                    path = f"figures/{section['topic']}-{name}.pdf"
                    section["figures"][name] = path
                    data = figure.pdf
                else:  # {file name: PDF bytes}
                    path, data = f"figures/{name}", figure
                (build / path).write_bytes(data)
                drawn += data
        yield "theory", _write(build, "theory", context, drawn)


def _cmd_handouts(args: argparse.Namespace) -> int:
    names = read_names(args.names) if args.names else None
    participants = args.participants if args.participants is not None else (len(names) if names else 1)
    if not 1 <= participants <= MAX_PARTICIPANTS:
        raise UserError(f"--participants must be between 1 and {MAX_PARTICIPANTS}, not {participants}")
    if args.out.exists() and not args.out.is_dir():
        raise UserError(f"--out {args.out} is a file, not a folder")
    if names and len(names) != participants:
        raise UserError(f"{args.names} has {len(names)} names but --participants is {participants}")
    documents = tuple(DOCUMENTS) if not args.only else tuple(d for d in DOCUMENTS if d in args.only)
    if "instructor" in documents:  # the declared minutes first: a one-line error naming the episode
        from nnmath.render.kit.agenda import AgendaError, build_agenda, parse_start

        try:
            build_agenda(start=parse_start(args.start))
        except (AgendaError, ValueError) as e:
            raise UserError(str(e)) from None
    try:
        result = build_handouts(
            args.out,
            participants=participants,
            seed=args.seed,
            names=names,
            paper=args.paper,
            documents=documents,
            keep_build=args.keep_build,
            start=args.start,
        )
    except TexMissing as e:
        raise UserError(str(e)) from None
    except LatexFailed as e:
        hint = "" if args.keep_build else "; --keep-build DIR keeps the .tex files"
        raise UserError(f"{e} (templates in {TEMPLATE_DIR}{hint})") from None
    for document, path in result.pdfs.items():
        report = result.reports[document]
        wide = [w for w, _ in report.overfull if w > 1.0]
        note = f", {len(wide)} overfull boxes (widest {max(wide):.1f} pt)" if wide else ""
        print(f"wrote {path}  ({report.pages} pages{note})")
    print(f"{counted(participants, 'participant')}, seed {args.seed}, {args.paper}: {result.seconds:.1f} s")
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nnmath handouts``."""
    p = subparsers.add_parser("handouts", help="printable PDF handouts and exercise sheets (needs LaTeX)")
    p.add_argument("--out", type=Path, default=Path("handouts"), help="output folder (default handouts/)")
    p.add_argument(
        "--participants", type=int, default=None, help="exercise sheets to make (default 1, or one per name)"
    )
    p.add_argument("--seed", type=int, default=0, help="seed for the exercise numbers (default 0)")
    p.add_argument("--names", type=Path, default=None, help="file with one participant name per line")
    p.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="paper size (default a4)")
    p.add_argument(
        "--only",
        action="append",
        choices=list(DOCUMENTS),
        help="build only this document (repeatable; default: all of them)",
    )
    p.add_argument("--keep-build", type=Path, default=None, help="also copy the LaTeX build folder here")
    p.add_argument("--start", default=None, help="the session's start time for the instructor guide, e.g. 14:00")
    p.set_defaults(func=_cmd_handouts)
