"""Optimisers (SGD, momentum, Adam) derived once, the trainer that runs them, and its results."""

from __future__ import annotations

from nnmath.topics.base import OPTIMISATION, Record, Topic, page


def present() -> Record:
    from nnmath.topics.optimisers.record import present as record

    return record()


def derived_formulas() -> list[tuple[str, str]]:
    """The derived formulas, for ``nnmath list``."""
    from derive.topics import optimisers

    return optimisers.topic_formulas()


def generated() -> tuple:
    from derive.topics import fused_step, optimisers, training

    return (optimisers.GENERATED, training.GENERATED, fused_step.GENERATED)


TOPIC = Topic(
    name="optimisers",
    title="Optimisers",
    present=present,
    pages=(
        page("optimisers", "optimisation/optimisers.md", "Optimisers: SGD, momentum, Adam", OPTIMISATION),
        page("training-results", "optimisation/training-results.md", "Training results", OPTIMISATION),
        page("trainer-step", "optimisation/trainer-step.md", "What the trainer runs", OPTIMISATION),
        page("python-api", "python-api.md", "Python API"),
    ),
    handout="optimisers",  # the theory summary shows what the optimisers page shows
    formulas=derived_formulas,
    generated=generated,
    cost=6,  # seconds, roughly: computed among the first (nnmath.records.longest_first)
)
