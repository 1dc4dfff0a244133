"""The workshop: timed episodes (questions, objectives, minutes, keypoints, challenges) and the agenda.

Each episode is declared in ``episodes/eNN_<name>.py``; its page sits in the site's "Workshop"
section, first in the navigation.  The record (:func:`nnmath.topics.workshop.record.present`) holds
the episodes in order and the agenda made from their declared minutes.
"""

from __future__ import annotations

from nnmath.topics.base import Page, Record, Topic

WORKSHOP = "Workshop"


def present() -> Record:
    from nnmath.topics.workshop.record import present as record

    return record()


def _pages() -> tuple[Page, ...]:
    from nnmath.topics.workshop.episodes import EPISODES

    return tuple(
        Page(f"episode-{e.id}", e.page_path, f"{e.number}. {e.title}", "episode.md.j2", (WORKSHOP,), ("episodes", i))
        for i, e in enumerate(EPISODES)
    )


TOPIC = Topic(name="workshop", title="The workshop's episodes", present=present, pages=_pages())
