"""The deck: the workshop's record (episodes and agenda) as frames, one idea per slide.

Order: a title slide, the agenda, then for each episode its opening slide (number, title, clock span,
framing questions), one slide per idea (split when too full, see :mod:`nnmath.render.slides.layout`), one
slide per discussion prompt, one slide per challenge followed by its solution, and the key points.  Every
slide's footer gives the episode and its clock span, ``3 · Backpropagation · 0:22–0:33``.

Speaker notes (the notes PDF): the episode's objectives, instructor notes and what to show on its opening
slide; the answer and common mistakes on each challenge and solution slide.  Formulas and figures are the
record's own (:class:`~nnmath.topics.base.Tex` printed from SymPy, figures drawn once); nothing is retyped.
"""

from __future__ import annotations

from nnmath.render.slides.layout import (
    Frame,
    Unit,
    blocks,
    formula_height,
    item_height,
    overlays,
    pack,
    renumber_steps,
    row_height,
    step_height,
    text_height,
)
from nnmath.topics.base import Tex

COURSE = "The mathematics of neural networks"
SUBTITLE = "nnmath workshop"
FIGURE_WIDTH_PT = 398.0


def clock(minutes: int) -> str:
    """Minutes after midnight (or after the session's start) as ``H:MM``: 862 → ``14:22``."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def span(start: int | None, end: int | None, offset: int) -> str:
    """The clock span ``0:22–0:33`` (shifted by ``offset`` minutes); ``optional`` when not in the session."""
    if start is None or end is None:
        return "optional"
    return f"{clock(offset + start)}–{clock(offset + end)}"


def figure_natural_height(pdf: bytes) -> float:
    """The figure's height in points when it is :data:`FIGURE_WIDTH_PT` wide (from its PDF's MediaBox)."""
    import re

    m = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", pdf)
    if not m:
        return 180.0
    x0, y0, x1, y1 = (float(v) for v in m.groups())
    return FIGURE_WIDTH_PT * (y1 - y0) / (x1 - x0)


def figure_file(episode: dict, name: str) -> str:
    """The figure's file in the build folder: ``figures/e03-<n>.pdf`` (names sorted, so stable)."""
    return f"figures/e{episode['number']:02d}-{sorted(episode['figures']).index(name) + 1}.pdf"


def _text(text: str) -> Unit:
    return Unit("text", {"text": text}, text_height(text))


def _idea_units(episode: dict, idea: dict) -> list[Unit]:
    units = [_text(p) for p in idea["prose"]]
    units += [Unit("formula", {"tex": Tex(f)}, formula_height(f)) for f in idea["formulas"]]
    for s in idea["steps"]:
        data = {"lhs": Tex(s["lhs"]), "relation": Tex("{}="), "rhs": Tex(s["rhs"]), "note": s["note"]}
        units.append(Unit("step", data, step_height(s["lhs"] + s["rhs"], s["note"])))
    if idea["figure"]:
        figure = episode["figures"][idea["figure"]]
        path = figure_file(episode, idea["figure"])
        units.append(Unit("figure", {"path": path}, figure_natural_height(figure.pdf)))
    if idea["table"]:
        units += _table_units(idea["table"])
    return units


def _table_units(table: dict) -> list[Unit]:
    """A table as one unit per row (a long table goes on over frames, its header repeated), then its caption."""
    head = {"header": table["header"], "wrap": table["wrap"]}
    units = [Unit("row", {**head, "cells": r}, row_height(r, table["wrap"])) for r in table["rows"]]
    return units + ([_text(table["caption"])] if table["caption"] else [])


def _items(texts: list[str]) -> list[Unit]:
    return [Unit("item", {"text": t}, item_height(t)) for t in texts]


def episode_frames(episode: dict, offset: int, scales: dict[str, float]) -> list[Frame]:
    """Every frame of one episode (see the module docstring); ``scales``: estimate factors by frame key."""
    number = episode["number"]
    when = span(episode["start"], episode["end"], offset)
    footer = f"{number} · {episode['title']} · {when}"
    key = f"e{number:02d}"

    def frames(part: str, title: str, units: list[Unit]) -> list[Frame]:
        return pack(f"{key}/{part}", title, footer, units, scales.get(f"{key}/{part}", 1.0))

    minutes = f"{episode['teaching_minutes']} min teaching, {episode['exercise_minutes']} min exercises"
    opening = [_text(f"{episode['stage_title']} · {when} · {minutes}")]
    opening += [_text("Questions:")] + _items(episode["questions"]) if episode["questions"] else []
    out = frames("opening", f"{number} · {episode['title']}", opening)
    out[0].kind = "opening"
    out[0].notes = [f"Objective: {o}" for o in episode["objectives"]] + list(episode["instructor_notes"])
    for i, idea in enumerate(episode["ideas"], 1):
        ideas = frames(f"idea{i}", idea["heading"], _idea_units(episode, idea))
        if i == 1:  # what to show during the episode, with its first idea
            ideas[0].notes = [f"Show: {s}" for s in episode["show"]]
        out += ideas
    for i, prompt in enumerate(episode["prompts"], 1):
        out += frames(f"prompt{i}", f"Discussion {i} of {len(episode['prompts'])}", [_text(prompt)])
    for i, c in enumerate(episode["challenges"], 1):
        units = [_text(c["prompt"])]
        units += [Unit("hint", {"text": h}, text_height("Hint: " + h), slide=2) for h in c["hints"]]
        challenge = frames(f"challenge{i}", f"Challenge: {c['title']}", units)
        challenge[0].notes = [f"Answer: {c['answer']}"] + [f"Mistake: {m}" for m in c["mistakes"]]
        solution = [_text(c["solution"]), Unit("answer", {"text": c["answer"]}, text_height("Answer: " + c["answer"]))]
        solved = frames(f"solution{i}", f"Solution: {c['title']}", solution)
        solved[0].notes = [f"Mistake: {m}" for m in c["mistakes"]]
        out += challenge + solved
    if episode["keypoints"]:
        out += frames("keypoints", "Key points", _items(episode["keypoints"]))
    return [renumber_steps(f) for f in out]


def agenda_frames(agenda: dict, offset: int, scales: dict[str, float]) -> list[Frame]:
    """The agenda: every episode and the break with its clock span."""
    footer = f"{SUBTITLE} · {span(0, agenda['minutes'], offset)}"
    lines = []
    for stage in agenda["stages"]:
        for item in stage["items"]:
            name = item["title"] if item["kind"] == "break" else f"{item['number']} · {item['title']}"
            lines.append(f"{span(item['start'], item['end'], offset)}  {name}")
    lines += [f"optional  {item['number']} · {item['title']}" for item in agenda["optional"]]
    return pack("agenda", "Agenda", footer, _items(lines), scales.get("agenda", 1.0))


def title_frame(agenda: dict, episodes: list[dict], offset: int) -> Frame:
    """The title slide: the course, and the session's span, minutes and episodes."""
    when = span(0, agenda["minutes"], offset)
    lines = [f"{agenda['minutes']} minutes · {len(episodes)} episodes · {when}"]
    frame = Frame("title/1", COURSE, f"{SUBTITLE} · {when}", kind="title")
    frame.units = [Unit("cover", {"subtitle": SUBTITLE, "lines": lines}, 0.0)]
    return frame


def deck(record: dict, offset: int = 0, scales: dict[str, float] | None = None) -> list[Frame]:
    """All frames of the workshop record, in order (``offset``: the session's start in minutes after midnight)."""
    scales = scales or {}
    frames = [title_frame(record["agenda"], record["episodes"], offset)]
    frames += agenda_frames(record["agenda"], offset, scales)
    for episode in record["episodes"]:
        frames += episode_frames(episode, offset, scales)
    return frames


def context(frames: list[Frame]) -> list[dict]:
    """The frames as the template's plain data: title, footer, kind, blocks, notes, key."""
    return [
        {
            "key": f.key,
            "kind": f.kind,
            "title": f.title,
            "footer": f.footer,
            "blocks": blocks(f.units),
            "notes": list(f.notes),
            "overlays": overlays(f),
            "estimate": f.estimate,
        }
        for f in frames
    ]
