"""An episode of the workshop: what an author declares, and the record every output renders.

An episode is declared once, in ``nnmath/topics/workshop/episodes/eNN_<name>.py``, as
``EPISODE = Episode(...)``.  Its metadata (questions, objectives, minutes, keypoints, instructor
notes) is plain data, cheap to import; its body — the ideas with their derived formulas and figures,
and the challenges whose answers come from the code — is computed by ``EPISODE.body()`` when the
workshop's record is made.  The minutes are the instructor's judgement, declared, never computed.

The record of one episode (``record["episodes"][i]``, see :func:`episode_record`) is plain data::

    {
      "id": "linear-algebra", "number": 1, "title": "Vectors, matrices and a layer",
      "stage": "theory",                      # theory | practice | exercises-discussion
      "stage_title": "Theory with applied examples",
      "optional": False,                      # optional: its minutes are outside the 150
      "teaching_minutes": 10, "exercise_minutes": 3, "minutes": 13,
      "start": 0, "end": 11,                  # minutes from the session's start (None when optional)
      "session_minutes": 150,
      "questions": [str], "objectives": [str], "keypoints": [str],
      "instructor_notes": [str],              # the instructor guide and speaker notes only
      "show": [str],                          # what to project or demonstrate, for the instructor
      "prompts": [str],                       # discussion prompts (the discussion episode)
      "references": [page id],                # reference pages of the site, e.g. "dense-layer"
      "ideas": [                              # the body: one idea per slide
        {"heading": str, "prose": [str],      # paragraphs: text, inline symbols in Unicode
         "formulas": [Tex],                   # display formulas, printed from SymPy
         "steps": [{"lhs": Tex, "rhs": Tex, "note": str}],   # a derivation revealed line by line
         "figure": str | None,                # a name in "figures"
         "table": None | {                    # a table drawn by every output (HTML/Markdown, booktabs, Beamer)
             "header": [cell], "rows": [[cell]], "caption": str,
             "wrap": [bool]}},                # per column: long text that wraps (LaTeX's X column)
      ],
      "challenges": [
        {"title": str, "prompt": str, "hints": [str], "solution": str,
         "answer": str,                       # the short answer (numbers computed by the code)
         "mistakes": [str]},                  # common mistakes, for the instructor
      ],
      "figures": {name: Figure},              # SVG for the site, PDF for handouts and slides
    }

A table cell is ``{"text": str, "tex": Tex | ""}``: plain text, or a formula when ``tex`` is set.

Prose is text on one line each (no LaTeX, no Markdown, no line break): outputs escape it.  Formulas are
:class:`Tex`, printed from the derivations, never typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from nnmath.topics.base import Figure, Tex

STAGES: dict[str, str] = {
    "theory": "Theory with applied examples",
    "practice": "Guided practice in notebooks",
    "exercises-discussion": "Exercises and discussion of the limits of AI models",
}


@dataclass(frozen=True)
class Step:
    """One line of a derivation: ``lhs = rhs``, and why (the rule used)."""

    lhs: Tex
    rhs: Tex
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A table of an idea: a header, rows of cells (plain text, or :class:`Tex` for a formula), a caption.

    Every row has as many cells as the header; a text cell is one line without ``|`` (Markdown's separator).
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


WRAP_CHARS = 30  # a column whose longest text cell is longer wraps (LaTeX's X column)


@dataclass(frozen=True)
class Idea:
    """One idea of an episode (one slide): a heading, paragraphs, display formulas or steps, a figure, a table."""

    heading: str
    prose: tuple[str, ...] = ()
    formulas: tuple[Tex, ...] = ()
    steps: tuple[Step, ...] = ()
    figure: str | None = None
    table: Table | None = None


@dataclass(frozen=True)
class Challenge:
    """A challenge in the page: the prompt, hints, the worked solution, its short answer, common mistakes."""

    title: str
    prompt: str
    solution: str
    answer: str
    hints: tuple[str, ...] = ()
    mistakes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Body:
    """What an episode teaches, computed at build time: its ideas, challenges and figures."""

    ideas: tuple[Idea, ...]
    challenges: tuple[Challenge, ...] = ()
    figures: dict[str, Figure] = field(default_factory=dict)


@dataclass(frozen=True)
class Episode:
    """One episode, as its author declares it (see the module docstring).

    Attributes:
        id: The page's id and file name (``linear-algebra``).
        number: Its place in the session (1, 2, …); optional episodes come after the others.
        title: The page's title.
        stage: One of :data:`STAGES`.
        questions: 1–3 framing questions.
        objectives: What a participant can do afterwards (measurable).
        teaching_minutes: Minutes the instructor teaches (declared judgement).
        exercise_minutes: Minutes participants work on the challenges.
        keypoints: What to remember.
        instructor_notes: For the instructor only (guide, speaker notes).
        body: Computes the ideas, challenges and figures.
        references: Ids of the site's reference pages this episode links to.
        show: What the instructor projects or demonstrates.
        prompts: Discussion prompts.
        optional: Optional material: its minutes count outside the 150.
    """

    id: str
    number: int
    title: str
    stage: str
    questions: tuple[str, ...]
    objectives: tuple[str, ...]
    teaching_minutes: int
    exercise_minutes: int
    keypoints: tuple[str, ...]
    instructor_notes: tuple[str, ...]
    body: Callable[[], Body]
    references: tuple[str, ...] = ()
    show: tuple[str, ...] = ()
    prompts: tuple[str, ...] = ()
    optional: bool = False

    @property
    def minutes(self) -> int:
        return self.teaching_minutes + self.exercise_minutes

    @property
    def page_path(self) -> str:
        return f"workshop/{self.number:02d}-{self.id}.md"


def _cell(value: str) -> dict:
    """A table cell: ``{"text": …, "tex": ""}`` for text, ``{"text": "", "tex": …}`` for a :class:`Tex` formula."""
    return {"text": "", "tex": Tex(value)} if isinstance(value, Tex) else {"text": str(value), "tex": ""}


def table_record(table: Table) -> dict:
    """The plain record of ``table``: cells (see :func:`_cell`), the caption, and which columns wrap (a text
    longer than :data:`WRAP_CHARS` characters)."""
    width = len(table.header)
    bad = [r for r in table.rows if len(r) != width]
    if bad:
        raise ValueError(f"a table row has {len(bad[0])} cells, its header {width}: {bad[0]!r}")
    texts = [str(c) for c in (*table.header, *(c for r in table.rows for c in r), table.caption)]
    broken = [t for t in texts if "\n" in t or "|" in t]
    if broken:
        raise ValueError(f"a table text spans lines or holds '|': {broken[0]!r}")
    wrap = [
        any(not isinstance(r[i], Tex) and len(r[i]) > WRAP_CHARS for r in (table.header, *table.rows))
        for i in range(width)
    ]
    return {
        "header": [_cell(c) for c in table.header],
        "rows": [[_cell(c) for c in r] for r in table.rows],
        "caption": table.caption,
        "wrap": wrap,
    }


def _idea(idea: Idea) -> dict:
    return {
        "heading": idea.heading,
        "prose": list(idea.prose),
        "formulas": [Tex(f) for f in idea.formulas],
        "steps": [{"lhs": Tex(s.lhs), "rhs": Tex(s.rhs), "note": s.note} for s in idea.steps],
        "figure": idea.figure,
        "table": table_record(idea.table) if idea.table else None,
    }


def _challenge(c: Challenge) -> dict:
    return {
        "title": c.title,
        "prompt": c.prompt,
        "hints": list(c.hints),
        "solution": c.solution,
        "answer": c.answer,
        "mistakes": list(c.mistakes),
    }


def _one_line_texts(episode: Episode, body: Body) -> None:
    """Raise ValueError if a text of the episode spans lines: outputs nest texts in blocks (admonitions, items)."""
    texts = [*episode.questions, *episode.objectives, *episode.keypoints, *episode.instructor_notes, *episode.show]
    texts += [*episode.prompts, *(p for i in body.ideas for p in (i.heading, *i.prose))]
    texts += [t for c in body.challenges for t in (c.title, c.prompt, c.solution, c.answer, *c.hints, *c.mistakes)]
    broken = [t for t in texts if "\n" in t]
    if broken:
        raise ValueError(f"episode {episode.number} '{episode.title}': a text spans lines: {broken[0]!r}")


def episode_record(episode: Episode, span: tuple[int, int] | None) -> dict:
    """The plain record of ``episode`` (the shape is in the module docstring); ``span``: its (start, end) minutes."""
    body = episode.body()
    _one_line_texts(episode, body)
    unknown = {i.figure for i in body.ideas if i.figure} - set(body.figures)
    if unknown:
        raise ValueError(f"episode {episode.number} '{episode.title}': no figure named {sorted(unknown)}")
    return {
        "id": episode.id,
        "number": episode.number,
        "title": episode.title,
        "stage": episode.stage,
        "stage_title": STAGES[episode.stage],
        "optional": episode.optional,
        "teaching_minutes": episode.teaching_minutes,
        "exercise_minutes": episode.exercise_minutes,
        "minutes": episode.minutes,
        "start": span[0] if span else None,
        "end": span[1] if span else None,
        "questions": list(episode.questions),
        "objectives": list(episode.objectives),
        "keypoints": list(episode.keypoints),
        "instructor_notes": list(episode.instructor_notes),
        "show": list(episode.show),
        "prompts": list(episode.prompts),
        "references": list(episode.references),
        "ideas": [_idea(i) for i in body.ideas],
        "challenges": [_challenge(c) for c in body.challenges],
        "figures": dict(body.figures),
    }


__all__ = ["STAGES", "Body", "Challenge", "Episode", "Idea", "Step", "Table", "episode_record", "table_record"]
