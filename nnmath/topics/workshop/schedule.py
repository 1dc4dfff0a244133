"""The session's schedule from the episodes' declared minutes: three stages and a break, 150 minutes.

The minutes are the instructors' judgement, declared in each episode's source; nothing here
computes them.  :func:`schedule` places the episodes in order — theory, guided practice, the break,
exercises and discussion — and checks that they fill :data:`SESSION_MINUTES` exactly.  When they do
not, :class:`AgendaError` says in one line which episode is at fault.
"""

from __future__ import annotations

from nnmath.topics.workshop.episode import STAGES, Episode

SESSION_MINUTES = 150
BREAK_MINUTES = 10
BREAK_BEFORE = "exercises-discussion"  # the break comes before this stage
BREAK_TITLE = "Break"


class AgendaError(ValueError):
    """The declared minutes do not make the session (the message names the episode, in one line)."""


def _name(e: Episode) -> str:
    return f"episode {e.number} '{e.title}' ({e.id})"


def check(episodes: list[Episode]) -> None:
    """Raise :class:`AgendaError` unless the episodes are numbered in order, in known stages, stage by stage,
    with whole positive minutes, and the session's episodes plus the break fill exactly 150 minutes."""
    order = list(STAGES)
    previous = None
    for i, e in enumerate(episodes, 1):
        if e.stage not in STAGES:
            raise AgendaError(f"{_name(e)}: unknown stage {e.stage!r} (stages: {', '.join(STAGES)})")
        if e.number != i:
            raise AgendaError(f"{_name(e)}: numbered {e.number}, but it is episode {i} of the session")
        for what, m in (("teaching", e.teaching_minutes), ("exercise", e.exercise_minutes)):
            if not isinstance(m, int) or isinstance(m, bool) or m < 0:
                raise AgendaError(f"{_name(e)}: {what} minutes must be a whole number ≥ 0, not {m!r}")
        if e.minutes == 0:
            raise AgendaError(f"{_name(e)}: declares 0 minutes")
        if not e.optional:
            if previous is not None and order.index(e.stage) < order.index(previous.stage):
                raise AgendaError(f"{_name(e)}: stage {e.stage!r} after {_name(previous)} of stage {previous.stage!r}")
            previous = e
    session = [e for e in episodes if not e.optional]
    total = BREAK_MINUTES
    for e in session:
        total += e.minutes
        if total > SESSION_MINUTES:
            raise AgendaError(
                f"{_name(e)} ends after {total} minutes, beyond the session's {SESSION_MINUTES} "
                f"(with the {BREAK_MINUTES}-minute break): shorten it or mark it optional"
            )
    if total < SESSION_MINUTES and session:
        raise AgendaError(
            f"the session ends after {total} of {SESSION_MINUTES} minutes at {_name(session[-1])}: "
            f"{SESSION_MINUTES - total} minutes are not declared"
        )


def schedule(episodes: list[Episode]) -> dict:
    """The agenda as plain data (checked by :func:`check`)::

        {"minutes": 150, "break_minutes": 10,
         "stages": [{"stage": "theory", "title": str, "minutes": int, "start": int, "end": int,
                     "items": [{"kind": "episode" | "break", "number": int | None, "id": str | None,
                                "title": str, "page": "workshop/01-….html" | "",
                                "teaching_minutes": int, "exercise_minutes": int, "minutes": int,
                                "start": int, "end": int}]}],
         "optional": [the same item for each optional episode, "start"/"end" None]}

    Times are minutes from the session's start; outputs turn them into clock times.
    """
    check(episodes)
    stages, now = [], 0
    for stage, title in STAGES.items():
        if stage == BREAK_BEFORE:
            item = _item(None, BREAK_TITLE, 0, 0, BREAK_MINUTES, now)
            stages.append(_stage("break", BREAK_TITLE, [item], now))
            now += BREAK_MINUTES
        items = []
        for e in episodes:
            if e.stage == stage and not e.optional:
                items.append(_item(e, e.title, e.teaching_minutes, e.exercise_minutes, e.minutes, now))
                now += e.minutes
        stages.append(_stage(stage, title, items, now - sum(i["minutes"] for i in items)))
    optional = [
        _item(e, e.title, e.teaching_minutes, e.exercise_minutes, e.minutes, None) for e in episodes if e.optional
    ]
    return {"minutes": now, "break_minutes": BREAK_MINUTES, "stages": stages, "optional": optional}


def spans(agenda: dict) -> dict[str, tuple[int, int]]:
    """Each scheduled episode's (start, end) minutes, by id."""
    return {i["id"]: (i["start"], i["end"]) for s in agenda["stages"] for i in s["items"] if i["kind"] == "episode"}


def _item(e: Episode | None, title: str, teaching: int, exercises: int, minutes: int, start: int | None) -> dict:
    return {
        "kind": "episode" if e else "break",
        "number": e.number if e else None,
        "id": e.id if e else None,
        "title": title,
        "page": e.page_path.removesuffix(".md") + ".html" if e else "",  # the episode's page in the built site
        "stage": e.stage if e else "break",
        "teaching_minutes": teaching,
        "exercise_minutes": exercises,
        "minutes": minutes,
        "start": start,
        "end": None if start is None else start + minutes,
    }


def _stage(stage: str, title: str, items: list[dict], start: int) -> dict:
    minutes = sum(i["minutes"] for i in items)
    return {"stage": stage, "title": title, "minutes": minutes, "start": start, "end": start + minutes, "items": items}


__all__ = ["BREAK_MINUTES", "SESSION_MINUTES", "AgendaError", "check", "schedule", "spans"]
