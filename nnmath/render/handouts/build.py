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

import hashlib
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nnmath.render.handouts.commands import (  # noqa: F401 (read_names, PARTICIPANT_DOCUMENTS: for the callers)
    DOCUMENTS,
    PAPERS,
    PARTICIPANT_DOCUMENTS,
    read_names,
)
from nnmath.render.handouts.texbuild import (
    WORKERS,
    LatexFailed,
    LogReport,
    compile_tex,
    install,
    require_engine,
)
from nnmath.render.handouts.texrender import render
from nnmath.topics.base import Figure

PDF_ID_PLACEHOLDER = "@@NNMATH-PDF-ID@@"


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

    Each document is compiled (two latexmk at a time) as soon as its LaTeX is written.  The figures' PDFs are
    read from ``.cache/figures/``, or drawn from the records' pickled figures the first time an output asks
    (:attr:`nnmath.topics.base.Figure.pdf`), while the documents written before them compile.
    """
    from nnmath.render.outputs import check_output_folder, keep_and_remove, temporary_folder

    began = time.perf_counter()
    out = check_output_folder(out, "--out")  # before the build: a foreign or unwritable target is refused now
    if keep_build is not None:
        keep_build = check_output_folder(keep_build, "--keep-build")
    require_engine()
    unknown = set(documents) - set(DOCUMENTS)
    if unknown:
        raise ValueError(f"unknown documents {sorted(unknown)}")
    from nnmath.records import records

    recs, _ = records(_needed(documents))
    if {"exercises", "answers"} & set(documents):  # the sheets: a record of their own, computed quietly and cached
        from nnmath.topics.exercises import sheets_topic

        topic = sheets_topic(seed, participants, names)
        recs["exercises"] = records([topic], progress=False)[0][topic.name]
    build = temporary_folder("nnmath-handouts")
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
        keep_and_remove(build, keep_build)


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
        context = {
            **common,
            **records["exercises"],
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
