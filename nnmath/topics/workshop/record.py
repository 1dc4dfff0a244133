"""The workshop's record: the episodes in session order and the agenda from their declared minutes.

``{"episodes": [episode record, …], "agenda": schedule}`` — the shape of an episode's record is in
:mod:`nnmath.topics.workshop.episode`, the agenda's in :func:`nnmath.topics.workshop.schedule.schedule`.
"""

from __future__ import annotations

from nnmath.topics.base import Record
from nnmath.topics.workshop.episode import episode_record
from nnmath.topics.workshop.episodes import EPISODES
from nnmath.topics.workshop.schedule import schedule, spans


def present() -> Record:
    """The episodes (each computes its body: formulas, figures, challenge answers) and the agenda."""
    agenda = schedule(EPISODES)
    times = spans(agenda)
    episodes = [{**episode_record(e, times.get(e.id)), "session_minutes": agenda["minutes"]} for e in EPISODES]
    return {"episodes": episodes, "agenda": agenda}
