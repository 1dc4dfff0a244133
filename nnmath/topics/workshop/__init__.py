"""The workshop: timed episodes (questions, objectives, minutes, keypoints, challenges) and the agenda.

Each episode is declared in ``episodes/eNN_<name>.py``; its page sits in the site's "Workshop"
section, first in the navigation.  The record (:func:`nnmath.topics.workshop.record.present`) holds
the episodes in order and the agenda made from their declared minutes.

Every topic's process imports this module (through :data:`nnmath.topics.TOPICS`), so it reads the
pages' ids, numbers and titles from the episode files' source (``ast``, nothing is run or imported):
editing an episode then recomputes the workshop's record only.
"""

from __future__ import annotations

import ast
from pathlib import Path

from nnmath.topics.base import Page, Record, Topic

WORKSHOP = "Workshop"
EPISODE_FILES = "e[0-9][0-9]_*.py"


def present() -> Record:
    from nnmath.topics.workshop.record import present as record

    return record()


def declared(path: Path) -> dict:
    """The constant keywords ``id``, ``number`` and ``title`` of ``EPISODE = Episode(...)`` in ``path``."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["EPISODE"]:
            keywords = {k.arg: k.value for k in node.value.keywords}
            return {key: ast.literal_eval(keywords[key]) for key in ("id", "number", "title")}
    raise ValueError(f"{path}: no EPISODE = Episode(...) declaration")


def _pages() -> tuple[Page, ...]:
    files = sorted((Path(__file__).parent / "episodes").glob(EPISODE_FILES))
    return tuple(
        Page(
            f"episode-{d['id']}",
            f"workshop/{d['number']:02d}-{d['id']}.md",
            f"{d['number']}. {d['title']}",
            "episode.md.j2",
            (WORKSHOP,),
            ("episodes", i),
        )
        for i, d in enumerate(declared(f) for f in files)
    )


TOPIC = Topic(
    name="workshop",
    title="The workshop's episodes",
    present=present,
    pages=_pages(),
    handout="theory",  # the theory summary's sections from episodes (linear algebra, chain rule, overfitting)
    cost=14,  # seconds, roughly: computed among the first (nnmath.records.longest_first)
)
