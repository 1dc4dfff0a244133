"""``nnmath slides``: the workshop's episodes as 16:9 Beamer slides and the speaker notes.

* ``slides.pdf`` — for the projector: a title slide, the agenda, then each episode's slides
  (:mod:`nnmath.render.slides.deck`); a derivation is revealed one line per overlay;
* ``slides-notes.pdf`` — for the instructor: Beamer's notes pages (objectives, instructor notes, what to
  show, the challenges' answers and common mistakes), the same source built with ``show only notes``.

The LaTeX comes from ``templates/slides/deck.tex`` through the handouts' LaTeX Jinja environment
(:mod:`nnmath.render.handouts.texrender`) and is compiled by their latexmk wrapper
(:mod:`nnmath.render.handouts.texbuild`: fixed dates, a /ID hashed from the source, so the same record
gives the same bytes).  The template logs each frame's natural body height: a frame taller than its
body box is packed again with larger estimates, and once everything fits, the slides that were split
are packed again with their measured heights, so that each is as full as it can be (at most
:data:`MAX_PASSES` compiles).  A full slide is split, never shrunk.
The PDFs are moved into ``--out`` only when both are built.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

from nnmath.paths import TEMPLATES as ALL_TEMPLATES
from nnmath.render.handouts.texbuild import LogReport, compile_tex, install, require_engine
from nnmath.render.handouts.texrender import render
from nnmath.render.slides.deck import context, deck, figure_file

TEMPLATES = ALL_TEMPLATES / "slides"
TEMPLATE = "deck.tex"
SLIDES = "slides.pdf"
NOTES = "slides-notes.pdf"
PDF_ID_PLACEHOLDER = "@@NNMATH-PDF-ID@@"
MAX_PASSES = 5
SCALE_STEP = 1.3  # estimates of an overflowing frame grow by this factor each pass
MARGIN = 1.06
_BODY_LINE = re.compile(r"^SLIDEBODY ([\d.]+)pt$", re.M)
_SLIDE_LINE = re.compile(r"^SLIDE (\S+) ([\d.]+)pt$", re.M)


class SlidesOverflow(RuntimeError):
    """A frame still overflowed after :data:`MAX_PASSES` packings (the message names it)."""


@dataclass(frozen=True)
class SlidesBuild:
    """A finished build: the two PDFs in ``out``, the slides' frames, logs and reports, and the time taken."""

    slides: Path
    notes: Path
    frames: list[dict]
    logs: dict[str, str]
    reports: dict[str, LogReport]
    seconds: float


def parse_start(start: str | None) -> int:
    """``HH:MM`` as minutes after midnight (``None``: 0, clock times from 0:00); ValueError when malformed."""
    if start is None:
        return 0
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", start)
    if not m:
        raise ValueError(f"--start must be a time of day like 14:00, not {start!r}")
    return int(m.group(1)) * 60 + int(m.group(2))


def workshop_record() -> dict:
    """The workshop topic's record (computed once and cached by :mod:`nnmath.records`)."""
    from nnmath.records import records
    from nnmath.topics import TOPICS

    (topic,) = [t for t in TOPICS if t.name == "workshop"]
    recs, _ = records([topic], progress=False)
    return recs["workshop"]


def _figures(record: dict, build: Path) -> bytes:
    """Write every episode's figures into ``build/figures``; their bytes, in order (for the /ID)."""
    (build / "figures").mkdir(exist_ok=True)
    drawn = b""
    for episode in record["episodes"]:
        for name in sorted(episode["figures"]):
            data = episode["figures"][name].pdf
            (build / figure_file(episode, name)).write_bytes(data)
            drawn += data
    return drawn


def write_tex(path: Path, frames: list[dict], notes: bool, drawn: bytes) -> Path:
    """Render the deck's LaTeX into ``path``; its /ID is a hash of the source and the figures."""
    title = "nnmath: workshop speaker notes" if notes else "nnmath: workshop slides"
    text = render(
        TEMPLATE, {"frames": frames, "notes": notes, "pdf_id": PDF_ID_PLACEHOLDER, "pdf_title": title}, TEMPLATES
    )
    text = text.replace(PDF_ID_PLACEHOLDER, hashlib.sha256(text.encode() + drawn).hexdigest()[:32])
    path.write_text(text, encoding="utf-8")
    return path


def measured(log: str) -> tuple[float, dict[str, float]]:
    """The body box's height and each frame's natural body height, in points, as the template logged them."""
    body = float(_BODY_LINE.search(log).group(1))
    return body, {key: float(height) for key, height in _SLIDE_LINE.findall(log)}


def calibrated(frames: list[dict], heights: dict[str, float], scales: dict[str, float]) -> dict[str, float]:
    """New estimate factors for the packings that made more than one frame: measured over estimated height,
    with :data:`MARGIN` to spare, so that the next packing fills each frame as far as it really goes."""
    parts: dict[str, list[dict]] = {}
    for f in frames:
        parts.setdefault(_part(f["key"]), []).append(f)
    out = dict(scales)
    for part, mine in parts.items():
        if len(mine) > 1 and part not in scales:  # a packing that overflowed keeps its larger estimates
            ratio = sum(heights[f["key"]] for f in mine) / sum(f["estimate"] for f in mine)
            out[part] = max(ratio, 0.5) * MARGIN
    return out


def _part(key: str) -> str:
    """The packing a frame key belongs to: ``e03/idea2/1`` → ``e03/idea2``."""
    return key.rsplit("/", 1)[0]


def build_slides(out: Path, start: str | None = None, keep_build: Path | None = None) -> SlidesBuild:
    """Build ``slides.pdf`` and ``slides-notes.pdf`` into ``out`` (see the module docstring)."""
    from nnmath.render.outputs import check_output_folder, keep_and_remove, temporary_folder

    began = time.perf_counter()
    offset = parse_start(start)
    out = check_output_folder(out, "--out")  # before the build: a foreign or unwritable target is refused now
    if keep_build is not None:
        keep_build = check_output_folder(keep_build, "--keep-build")
    require_engine()
    record = workshop_record()
    build = temporary_folder("nnmath-slides")
    try:
        drawn = _figures(record, build)
        scales: dict[str, float] = {}
        calibrating = True
        for attempt in range(MAX_PASSES):
            frames = context(deck(record, offset, scales))
            tex = write_tex(build / "slides.tex", frames, notes=False, drawn=drawn)
            slides = compile_tex(tex)
            body, heights = measured(slides.log)
            full = {_part(k) for k, h in heights.items() if h > body + 0.5}
            if full:  # too full: pack those again with larger estimates
                scales = {**scales, **{p: scales.get(p, 1.0) * SCALE_STEP for p in full}}
            elif calibrating:  # fits: once, pack the split ones again with measured heights
                calibrating = False
                better = calibrated(frames, heights, scales)
                if better == scales or attempt == MAX_PASSES - 1:  # this layout fits: keep it
                    break
                scales = better
            else:
                break
        else:
            raise SlidesOverflow(f"slides {', '.join(sorted(full))} are still too full after {MAX_PASSES} packings")
        notes_tex = write_tex(build / "slides-notes.tex", frames, notes=True, drawn=drawn)
        notes = compile_tex(notes_tex)
        placed = install([slides.pdf, notes.pdf], out)
        return SlidesBuild(
            slides=placed[0],
            notes=placed[1],
            frames=frames,
            logs={"slides": slides.log, "notes": notes.log},
            reports={"slides": slides.report, "notes": notes.report},
            seconds=time.perf_counter() - began,
        )
    finally:
        keep_and_remove(build, keep_build)
