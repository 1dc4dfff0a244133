"""Packing a slide's content into frames that fit: estimated heights, split when too full, never shrunk.

A frame's body is a box of fixed height (:data:`BODY_PT`, the frame title included).  Its content is a
sequence of :class:`Unit` s — a paragraph, a display formula, one line of a derivation, a list item, a
figure — each with an estimated height in points.  :func:`pack` fills frames in order; a unit that does
not fit starts the next frame (the title then says "continued").  The estimates are rough on purpose:
the template logs each frame's natural height, and the build packs a frame that is too tall again with a
larger ``scale``, and the frames that were split with the ratio of measured to estimated heights
(see :mod:`nnmath.render.slides.build`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

BODY_PT = 223.0  # the body box: \textheight − 18 pt on Beamer's 16:9 page (160 mm × 90 mm, 11 pt)
WIDTH_PT = 398.0  # \textwidth
LINE_PT = 13.6  # baselineskip of the 11 pt body text
CHARS_PER_LINE = 84  # body text, sans serif 11 pt (about 95 fit), with room to spare
TITLE_CHARS_PER_LINE = 50  # the \Large bold title
TITLE_LINE_PT = 19.0
TITLE_SKIP_PT = 8.0
PARAGRAPH_SKIP_PT = 6.0
FIGURE_MIN_PT = 150.0  # a figure smaller than this goes to a frame of its own


@dataclass(frozen=True)
class Unit:
    """One indivisible piece of a frame: ``kind`` (text, hint, answer, formula, step, item, figure, row of a
    table), its data,
    its estimated height in points, and the overlay slide it appears on (1: from the start)."""

    kind: str
    data: dict
    height: float
    slide: int = 1


def text_height(text: str, chars_per_line: int = CHARS_PER_LINE) -> float:
    """Estimated height of a paragraph: its lines (words wrapped at ``chars_per_line``) times the line height."""
    lines = max(1, math.ceil(len(text) * 1.08 / chars_per_line))
    return lines * LINE_PT + PARAGRAPH_SKIP_PT


def _tall(tex: str) -> float:
    """Extra height of a formula's tallest part: fractions, big operators, matrices."""
    extra = 0.0
    if r"\frac" in tex or r"\dfrac" in tex:
        extra = max(extra, 12.0)
    if re.search(r"\\(sum|prod|int)\b", tex):
        extra = max(extra, 10.0)
    if r"\begin{" in tex:
        extra = max(extra, 10.0 * (tex.count(r"\\") + 1))
    return extra


def formula_height(tex: str) -> float:
    """Estimated height of a display formula with the space around it."""
    return 30.0 + _tall(tex)


def step_height(tex: str, note: str) -> float:
    """Estimated height of one derivation line (and its note line)."""
    return 17.0 + 0.7 * _tall(tex) + (LINE_PT if note else 0.0)


def item_height(text: str) -> float:
    """Estimated height of one list item."""
    return text_height(text, CHARS_PER_LINE - 4) - PARAGRAPH_SKIP_PT + 5.0


TABLE_WRAP_CHARS = 45  # a table's wrapping (X) column at 11 pt, beside two narrow columns
TABLE_HEAD_PT = 2 * LINE_PT + 6.0  # a table's header row and booktabs' rules, on every frame it is on


def row_height(cells: list[dict], wrap: list[bool]) -> float:
    """Estimated height of one table row: its tallest wrapping cell (wrapped at :data:`TABLE_WRAP_CHARS`)."""
    wrapped = [len(c["text"]) for c, w in zip(cells, wrap, strict=True) if w]
    return max([1, *(math.ceil(n * 1.08 / TABLE_WRAP_CHARS) for n in wrapped)]) * LINE_PT


def title_height(title: str) -> float:
    """Height of the frame title (it wraps after about :data:`TITLE_CHARS_PER_LINE` characters)."""
    return max(1, math.ceil(len(title) / TITLE_CHARS_PER_LINE)) * TITLE_LINE_PT + TITLE_SKIP_PT


@dataclass
class Frame:
    """A frame before grouping: its title, units and notes."""

    key: str
    title: str
    footer: str
    units: list[Unit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kind: str = "content"

    @property
    def estimate(self) -> float:
        """The estimated height of the body (title included), in points, before any scaling."""
        return title_height(self.title) + sum(u.height for u in self.units)


def pack(key: str, title: str, footer: str, units: list[Unit], scale: float = 1.0) -> list[Frame]:
    """``units`` in frames of at most :data:`BODY_PT`, in order; the frames after the first are "continued".

    ``scale`` multiplies every estimate (the build raises it for a frame that overflowed).  A figure takes
    what is left of its frame if that is at least :data:`FIGURE_MIN_PT`, else a frame of its own.
    """
    frames: list[Frame] = []
    used = 0.0

    def start() -> Frame:
        nonlocal used
        shown = title if not frames else f"{title} (continued)"
        frames.append(Frame(f"{key}/{len(frames) + 1}", shown, footer))
        used = title_height(shown) * scale
        return frames[-1]

    frame = start()
    breaks: set[int] = set()  # rows of a table that start a frame (a long table split into even parts)
    for i, unit in enumerate(units):
        need = (FIGURE_MIN_PT if unit.kind == "figure" else unit.height) * scale
        if unit.kind == "row" and (i == 0 or units[i - 1].kind != "row"):  # a table starts on a frame it fits on
            rows = _run(units, i, "row")
            run = (sum(u.height for u in rows) + TABLE_HEAD_PT) * scale
            room = BODY_PT - title_height(f"{title} (continued)") * scale
            if used + run > BODY_PT:
                need = BODY_PT  # a frame of its own
                parts = math.ceil(run / room)
                per = math.ceil(len(rows) / parts)
                breaks = {i + k for k in range(per, len(rows), per)}
        if i in breaks:
            need = BODY_PT
        if unit.kind == "step" and (i == 0 or units[i - 1].kind != "step"):  # a derivation stays on one frame
            run = sum(u.height for u in _run(units, i)) * scale
            if used + run > BODY_PT and title_height(title) * scale + run <= BODY_PT:
                need = run
        if frame.units and used + need + _header(unit, frame, scale) > BODY_PT:
            last = frame.units[-1]
            frame = start()
            if unit.kind == "step" and last.kind == "step":  # a derivation goes on from its last line
                context = {"lhs": "", "relation": "", "rhs": last.data["rhs"], "note": ""}
                frame.units.append(Unit("step", context, step_height(last.data["rhs"], "")))
                used += frame.units[-1].height * scale
        used += _header(unit, frame, scale)
        if unit.kind == "figure":
            room = max(BODY_PT - used - 4.0, FIGURE_MIN_PT) / scale
            height = min(room, unit.height)
            unit = Unit("figure", {**unit.data, "height": f"{height:.1f}pt"}, height, unit.slide)
        frame.units.append(unit)
        used += unit.height * scale
    return frames


def _header(unit: Unit, frame: Frame, scale: float) -> float:
    """The height a table row adds for its table's header and rules: on the first row of each frame it is on."""
    first = unit.kind == "row" and (not frame.units or frame.units[-1].kind != "row")
    return TABLE_HEAD_PT * scale if first else 0.0


def _run(units: list[Unit], i: int, kind: str = "step") -> list[Unit]:
    """The derivation lines (or table rows: ``kind``) from ``units[i]`` on, up to the first unit that is not one."""
    end = next((j for j in range(i, len(units)) if units[j].kind != kind), len(units))
    return units[i:end]


def renumber_steps(frame: Frame) -> Frame:
    """Derivation lines revealed one per overlay slide: the frame's n-th line from slide n."""
    units, n = [], 0
    for u in frame.units:
        if u.kind == "step":
            n += 1
            u = Unit(u.kind, u.data, u.height, n)
        units.append(u)
    frame.units = units
    return frame


def overlays(frame: Frame) -> int:
    """The number of overlay slides (PDF pages) the frame makes."""
    return max((u.slide for u in frame.units), default=1)


def blocks(units: list[Unit]) -> list[dict]:
    """Consecutive derivation lines as one ``steps`` block, consecutive items as one ``items`` block, the rest
    one block each, consecutive rows of a table as one ``table`` block (its header repeated on each frame): what
    the template lays out."""
    out: list[dict] = []
    for u in units:
        group = {"step": "steps", "item": "items", "row": "table"}.get(u.kind)
        if group and out and out[-1]["kind"] == group:
            out[-1]["lines"].append({**u.data, "slide": u.slide})
        elif group == "table":
            head = {"header": u.data["header"], "wrap": u.data["wrap"]}
            out.append({"kind": group, **head, "lines": [{**u.data, "slide": u.slide}]})
        elif group:
            out.append({"kind": group, "lines": [{**u.data, "slide": u.slide}]})
        else:
            out.append({"kind": u.kind, **u.data, "slide": u.slide})
    return out
