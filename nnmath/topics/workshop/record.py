"""The workshop's record: the episodes in session order and the agenda from their declared minutes.

``{"episodes": [episode record, …], "agenda": schedule, "theory": theory summary sections}`` — the shape of an
episode's record is in :mod:`nnmath.topics.workshop.episode`, the agenda's in
:func:`nnmath.topics.workshop.schedule.schedule`.
"""

from __future__ import annotations

from nnmath.topics.base import Record
from nnmath.topics.workshop.episode import episode_record
from nnmath.topics.workshop.episodes import EPISODES
from nnmath.topics.workshop.schedule import schedule, spans

# Episodes whose ideas are also a section of the theory summary (theory.pdf had none on these subjects).
THEORY_EPISODES = ("linear-algebra", "calculus", "hyperparameters")


def theory_sections(episodes: list[dict]) -> dict:
    """The theory summary's sections: the ideas of :data:`THEORY_EPISODES`, their figures named ``<episode>-<name>``."""
    sections, figures = [], {}
    for e in episodes:
        if e["id"] in THEORY_EPISODES:
            ideas = [{**i, "figure": f"{e['id']}-{i['figure']}" if i["figure"] else None} for i in e["ideas"]]
            figures |= {f"{e['id']}-{name}": f for name, f in e["figures"].items()}
            sections.append({"title": e["title"], "ideas": ideas})
    return {"sections": sections, "figures": figures}


def present() -> Record:
    """The episodes (each computes its body: formulas, figures, challenge answers) and the agenda."""
    agenda = schedule(EPISODES)
    times = spans(agenda)
    episodes = [{**episode_record(e, times.get(e.id)), "session_minutes": agenda["minutes"]} for e in EPISODES]
    return {"episodes": episodes, "agenda": agenda, "theory": theory_sections(episodes)}
