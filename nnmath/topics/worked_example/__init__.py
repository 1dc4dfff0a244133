"""A 2-2-2 network's forward and backward pass, exactly."""

from __future__ import annotations

from nnmath.topics.base import CALCULUS, Record, Topic, page


def present() -> Record:
    from nnmath.topics.worked_example.record import present as record

    return record()


TOPIC = Topic(
    name="worked_example",
    title="Worked example",
    present=present,
    pages=(page("worked-example", "calculus/worked-example.md", "Worked example: a 2-2-2 network", CALCULUS),),
)
