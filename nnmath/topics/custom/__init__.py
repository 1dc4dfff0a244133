"""Your own activation: any expression in x derived like a catalogue entry."""

from __future__ import annotations

from nnmath.topics.base import CALCULUS, Record, Topic, page


def present() -> Record:
    from nnmath.topics.custom.record import present as record

    return record()


TOPIC = Topic(
    name="custom",
    title="Your own activation",
    present=present,
    pages=(page("your-own-activation", "calculus/your-own-activation.md", "Your own activation", CALCULUS),),
    cost=6,  # seconds, roughly: computed among the first (nnmath.records.longest_first)
)
