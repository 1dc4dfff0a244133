"""Probability and statistics: the log-odds, softmax as a distribution, losses as likelihoods, metrics."""

from __future__ import annotations

from nnmath.topics.base import PROBABILITY, Record, Topic, page


def present() -> Record:
    from nnmath.topics.probability.record import present as record

    return record()


def formulas() -> list[tuple[str, str]]:
    from derive.topics import probability

    return probability.formulas()


def generated() -> tuple:
    from derive.topics import probability

    return (probability.GENERATED,)


TOPIC = Topic(
    name="probability",
    title="Probability and statistics",
    present=present,
    pages=(
        page("log-odds", "probability/log-odds.md", "Sigmoid and the log-odds", PROBABILITY),
        page("softmax-distribution", "probability/softmax-distribution.md", "Softmax as a distribution", PROBABILITY),
        page("likelihood", "probability/likelihood.md", "Losses as likelihoods", PROBABILITY),
        page("metrics", "probability/metrics.md", "Classification metrics", PROBABILITY),
    ),
    handout="handout",
    formulas=formulas,
    generated=generated,
)
