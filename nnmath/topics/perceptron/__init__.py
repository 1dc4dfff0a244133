"""The perceptron: its rule, Novikoff's bound with a checked proof, and XOR."""

from __future__ import annotations

from nnmath.topics.base import ARCHITECTURES, Record, Topic, page


def present() -> Record:
    from nnmath.topics.perceptron.record import present as record

    return record()


def derived_formulas() -> list[tuple[str, str]]:
    """The derived formulas, for ``nnmath list``."""
    from derive.topics import perceptron

    return perceptron.formulas()


def generated() -> tuple:
    from derive.topics import perceptron

    return (perceptron.GENERATED,)


TOPIC = Topic(
    name="perceptron",
    title="Perceptron",
    present=present,
    pages=(page("perceptron", "architectures/perceptron.md", "The perceptron", ARCHITECTURES),),
    handout="perceptron",  # the theory summary shows what the page shows
    formulas=derived_formulas,
    generated=generated,
)
