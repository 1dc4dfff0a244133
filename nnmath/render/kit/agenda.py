"""The agenda of the 2.5-hour workshop, from the minutes each episode declares.

The minutes are the instructors' judgement, written in each episode's source
(``nnmath/topics/workshop/episodes/``); :func:`nnmath.topics.workshop.schedule.schedule`
places the episodes in the three stages and the break and checks that they make exactly
:data:`SESSION_MINUTES` (a one-line :class:`AgendaError` naming the episode otherwise).  This
module adds clock times (``--start 14:00``) and renders the agenda as Markdown, HTML and text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nnmath.topics.workshop.schedule import SESSION_MINUTES, AgendaError

DAY = 24 * 60
START = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def parse_start(text: str | None) -> int | None:
    """``"14:00"`` → minutes after midnight; ``None`` → ``None``.  Raises :class:`ValueError` on anything else."""
    if text is None:
        return None
    m = START.fullmatch(text)
    if not m:
        raise ValueError(f"--start must be a time of day like 09:30, not {text!r}")
    return int(m[1]) * 60 + int(m[2])


def clock(minutes: int, start: int | None) -> str:
    """A time of the session: ``14:25`` from a start of day, else ``0:25`` from the session's start."""
    if start is None:
        return f"{minutes // 60}:{minutes % 60:02d}"
    t = (start + minutes) % DAY
    return f"{t // 60:02d}:{t % 60:02d}"


def span(begin: int, end: int, start: int | None) -> str:
    return f"{clock(begin, start)}–{clock(end, start)}"


@dataclass(frozen=True)
class Row:
    """One line of the agenda: an episode or the break, with its time span."""

    time: str
    number: str
    title: str
    stage: str
    teaching: int
    exercises: int
    minutes: int
    page: str


@dataclass(frozen=True)
class Agenda:
    """The session: the schedule of the episodes (plain data, see ``schedule``) and the clock it is read on."""

    plan: dict
    participants: int = 1
    seed: int = 0
    start: int | None = None

    @property
    def minutes(self) -> int:
        return self.plan["minutes"]

    def row(self, item: dict) -> Row:
        episode = item["kind"] == "episode"
        return Row(
            time=span(item["start"], item["end"], self.start) if item["start"] is not None else "optional",
            number=str(item["number"]) if episode else "",
            title=item["title"],
            stage=item["stage"],
            teaching=item["teaching_minutes"],
            exercises=item["exercise_minutes"],
            minutes=item["minutes"],
            page=f"site/{item['page']}" if episode else "",
        )

    def stages(self) -> list[dict]:
        """Each stage (and the break) with its span and rows."""
        return [
            {
                "stage": s["stage"],
                "title": s["title"],
                "minutes": s["minutes"],
                "time": span(s["start"], s["end"], self.start),
                "rows": [self.row(i) for i in s["items"]],
            }
            for s in self.plan["stages"]
        ]

    def rows(self) -> list[Row]:
        return [r for s in self.stages() for r in s["rows"]]

    def optional(self) -> list[Row]:
        return [self.row(i) for i in self.plan["optional"]]

    def text(self) -> str:
        """The agenda as a plain-text table (``nnmath agenda``)."""
        rows = self.rows() + self.optional()
        w = max(len(r.title) for r in rows)
        head = f"{'time':<13}  {'#':>2}  {'episode':<{w}}  teach  exerc  total"
        lines = [head, "-" * len(head)]
        for s in self.stages():
            lines.append(f"{s['time']:<13}      {s['title'].upper()} ({s['minutes']} min)")
            for r in s["rows"]:
                lines.append(
                    f"{r.time:<13}  {r.number:>2}  {r.title:<{w}}  {r.teaching:>5}  {r.exercises:>5}  {r.minutes:>5}"
                )
        lines.append("-" * len(head))
        lines.append(f"{'':<13}  {'':>2}  {'session':<{w}}  {'':>5}  {'':>5}  {self.minutes:>5}")
        for r in self.optional():
            lines.append(
                f"{r.time:<13}  {r.number:>2}  {r.title:<{w}}  {r.teaching:>5}  {r.exercises:>5}  {r.minutes:>5}"
            )
        return "\n".join(lines)


def build_agenda(participants: int = 1, seed: int = 0, start: int | None = None) -> Agenda:
    """The agenda of the declared episodes (checked: 150 minutes); times from ``start`` minutes after midnight."""
    from nnmath.topics.workshop.episodes import EPISODES
    from nnmath.topics.workshop.schedule import schedule

    return Agenda(schedule(EPISODES), participants, seed, start)


__all__ = ["SESSION_MINUTES", "Agenda", "AgendaError", "Row", "build_agenda", "clock", "parse_start", "span"]
