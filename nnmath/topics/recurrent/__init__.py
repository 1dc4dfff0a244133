"""Recurrent networks: backpropagation through time, and why gradients vanish or explode."""

from __future__ import annotations

from nnmath.topics.base import ARCHITECTURES, Record, Topic, page


def present() -> Record:
    from nnmath.topics.recurrent.record import present as record

    return record()


def derived_formulas() -> list[tuple[str, str]]:
    """``nnmath list`` rows: the derived formulas."""
    from derive.topics import recurrent

    return recurrent.formulas()


def generated() -> tuple:
    from derive.topics import recurrent

    return (recurrent.GENERATED,)


TOPIC = Topic(
    name="recurrent",
    title="Recurrent networks",
    present=present,
    pages=(page("recurrent", "architectures/recurrent.md", "Recurrent networks", ARCHITECTURES),),
    handout="recurrent",
    formulas=derived_formulas,
    generated=generated,
)
