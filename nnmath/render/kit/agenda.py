"""The agenda of the 2.5-hour workshop, computed from what the kit contains.

Three stages and a break, :data:`SESSION_MINUTES` in all:

1. **theory with applied examples** — the site's sections in navigation order,
   each given minutes in proportion to its pages (a topic page weighs
   :data:`TOPIC_WEIGHT`, a catalogue entry page :data:`ENTRY_WEIGHT`: entries are
   shown as a family, one plot each);
2. **guided practice** — the notebooks, each in proportion to its exercises
   (:data:`EXERCISE_WEIGHT` each) and other code cells (1 each);
3. **exercises and discussion** — the exercise sheet, each exercise in
   proportion to the values it asks for, then the discussion of the limits of AI
   models.

Minutes are whole numbers, at least :data:`MINIMUM_MINUTES` per item, shared
out by largest remainder so that every stage sums exactly to its budget and
the session to 150 minutes (checked).  A new site section, notebook or
exercise changes the agenda with no edit here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

SESSION_MINUTES = 150
WELCOME_MINUTES = 5
THEORY_MINUTES = 45  # the welcome included
PRACTICE_MINUTES = 50
BREAK_MINUTES = 10
SHEET_MINUTES = 25
DISCUSSION_MINUTES = 20
TOPIC_WEIGHT = 3.0
ENTRY_WEIGHT = 0.5
EXERCISE_WEIGHT = 4.0
MINIMUM_MINUTES = 3

# Sections of the site that are not theory to present (the notebooks are stage 2).
NOT_THEORY = ("Notebooks",)

DISCUSSION = (
    "A falling loss is not understanding: in Part 3 the training cost went to almost zero while the test cost "
    "rose. Which number would you report, and who would notice the difference?",
    "Confidence is not knowledge: far from its training data the network still answers with a probability "
    "near 0 or 1 (end of Part 3). What does that mean for a model that answers questions about the world?",
    "Every formula of the course was derived and checked by a computer. What in a real AI system cannot be "
    "checked that way — the data, the labels, the objective, the use?",
    "Numbers have limits too: the site's pages show where the textbook formulas overflow or cancel, and the "
    "stable forms that the generated code uses instead.",
)


class AgendaError(ValueError):
    """The minutes do not add up (a budget too small for its items)."""


@dataclass(frozen=True)
class Item:
    """One topic of the agenda: title, minutes, what it covers, and where its material is."""

    title: str
    minutes: int
    details: tuple[str, ...] = ()
    material: str = ""


@dataclass(frozen=True)
class Block:
    """A stage of the workshop (or the break): its items, in order."""

    title: str
    minutes: int
    items: tuple[Item, ...] = ()
    stage: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Agenda:
    """The whole session."""

    blocks: tuple[Block, ...]
    participants: int
    seed: int
    discussion: tuple[str, ...] = field(default=DISCUSSION)

    @property
    def minutes(self) -> int:
        return sum(b.minutes for b in self.blocks)

    def schedule(self, start_minutes: int = 0) -> list[tuple[Block, str, list[tuple[Item, str]]]]:
        """Every block and item with its time span, ``0:05–0:45`` (from ``start_minutes`` after midnight)."""
        out, now = [], start_minutes
        for block in self.blocks:
            block_span = _span(now, now + block.minutes)
            items, t = [], now
            for item in block.items:
                items.append((item, _span(t, t + item.minutes)))
                t += item.minutes
            out.append((block, block_span, items))
            now += block.minutes
        return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _span(start: int, end: int) -> str:
    return f"{_clock(start)}–{_clock(end)}"


def allocate(weights: list[float], total: int, minimum: int = MINIMUM_MINUTES) -> list[int]:
    """Whole minutes proportional to ``weights``, each at least ``minimum``, summing exactly to ``total``.

    Largest-remainder rounding of the minutes left after every item got its minimum.
    """
    if not weights:
        return []
    spare = total - minimum * len(weights)
    if spare < 0 or any(w < 0 for w in weights):
        raise AgendaError(f"{total} minutes cannot give {len(weights)} items {minimum} minutes each")
    weight_sum = sum(weights)
    shares = [spare * (w / weight_sum if weight_sum else 1 / len(weights)) for w in weights]
    minutes = [math.floor(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - minutes[i]), i))
    for i in order[: spare - sum(minutes)]:
        minutes[i] += 1
    return [m + minimum for m in minutes]


def _theory(pages: list) -> list[tuple[str, float, tuple[str, ...], str]]:
    """(section, weight, details, first page as a file of the offline site) of every theory section, in order."""
    sections: dict[str, dict] = {}
    for page in pages:
        if not page.nav or page.nav[0] in NOT_THEORY:
            continue
        first = "site/" + page.path.removesuffix(".md") + ".html"
        s = sections.setdefault(page.nav[0], {"weight": 0.0, "topics": [], "families": {}, "first": first})
        if page.is_derivation:
            s["weight"] += ENTRY_WEIGHT
            s["families"].setdefault(page.nav[-1], []).append(page.title)
        else:
            s["weight"] += TOPIC_WEIGHT
            s["topics"].append(page.title)
    out = []
    for name, s in sections.items():
        details = list(s["topics"])
        details += [f"{family} ({len(titles)}): {', '.join(titles)}" for family, titles in s["families"].items()]
        out.append((name, s["weight"], tuple(details), s["first"]))
    return out


_EXERCISE = re.compile(r"^#+\s*(Exercise \d+\.\d+)\s*:\s*(.+?)\s*$", re.M)


def notebook_outline(path: Path) -> tuple[str, list[str], int]:
    """(title, what it practises and its exercise headings, other code cells) of a student notebook."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.get("nnmath", {})
    title = meta.get("title", path.stem)
    exercises, code = [], 0
    if meta.get("practises"):
        exercises.append("Practises: " + ", ".join(meta["practises"]))
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            exercises += [f"{m[0]}: {m[1]}" for m in _EXERCISE.findall(cell.source)]
        elif not set(cell.metadata.get("tags", [])) & {"exercise", "check"}:
            code += 1
    return title, exercises, code


def sheet_outline(seed: int) -> list[tuple[str, int]]:
    """(title, values asked) of each exercise of the sheets, in order (the same on every sheet): the first sheet's."""
    from nnmath.topics.exercises.sheets import present

    (first,) = present(seed, 1)["sheets"]
    return [(ex["title"], len(ex["asked"])) for ex in first["exercises"]]


def build_agenda(
    pages: list,
    notebooks: list[tuple[Path, str]],
    participants: int,
    seed: int,
    sheets_file: str = "handouts/exercises.pdf",
) -> Agenda:
    """The agenda from the site plan, the student notebooks (path, path in the kit) and the exercise sheet."""
    theory = _theory(pages)
    minutes = allocate([w for _, w, _, _ in theory], THEORY_MINUTES - WELCOME_MINUTES)
    welcome = Item(
        "Welcome, the plan, the notation",
        WELCOME_MINUTES,
        ("The site's home page and its notation page: how scalars, vectors and matrices are written",),
        "site/index.html",
    )
    stage1 = [welcome] + [Item(name, m, details, first) for (name, _, details, first), m in zip(theory, minutes)]

    outlines = [(notebook_outline(path), shown) for path, shown in notebooks]
    weights = [EXERCISE_WEIGHT * sum(e.startswith("Exercise") for e in ex) + code for (_, ex, code), _ in outlines]
    stage2 = [
        Item(title, m, tuple(ex), shown)
        for ((title, ex, _), shown), m in zip(outlines, allocate(weights, PRACTICE_MINUTES))
    ]

    exercises = sheet_outline(seed)
    sheet_minutes = allocate([float(asked) for _, asked in exercises], SHEET_MINUTES, minimum=2)
    stage3 = [
        Item(f"Exercise {i}: {title}", m, (f"{asked} values to find",), sheets_file)
        for i, ((title, asked), m) in enumerate(zip(exercises, sheet_minutes), 1)
    ]
    last_notebook = notebooks[-1][1] if notebooks else ""  # the training notebook ends with the examples discussed
    stage3.append(Item("Discussion: the limits of AI models", DISCUSSION_MINUTES, DISCUSSION, last_notebook))

    blocks = (
        Block(
            "Theory with applied examples",
            THEORY_MINUTES,
            tuple(stage1),
            1,
            "Present from the site; each topic's page has its derivation, plots and a worked example with numbers.",
        ),
        Block(
            "Guided practice in notebooks",
            PRACTICE_MINUTES,
            tuple(stage2),
            2,
            "Participants run the student notebooks; each exercise has a check cell that passes when it is solved.",
        ),
        Block("Break", BREAK_MINUTES),
        Block(
            "Exercises and discussion of the limits of AI models",
            SHEET_MINUTES + DISCUSSION_MINUTES,
            tuple(stage3),
            3,
            f"One sheet per participant ({participants}, seed {seed}); the answer key has every participant's numbers.",
        ),
    )
    agenda = Agenda(blocks, participants, seed)
    for b in blocks:
        if b.items and sum(i.minutes for i in b.items) != b.minutes:
            raise AgendaError(f"stage {b.title!r}: items sum to {sum(i.minutes for i in b.items)}, not {b.minutes}")
    if agenda.minutes != SESSION_MINUTES:
        raise AgendaError(f"the agenda has {agenda.minutes} minutes, not {SESSION_MINUTES}")
    return agenda
