"""Probability and statistics: the log-odds, softmax as a distribution, losses as likelihoods, metrics."""

from __future__ import annotations

from nnmath.topics.base import PROBABILITY, Record, Topic, page


def present() -> Record:
    from nnmath.topics.probability.record import present as record

    return record()


def derived_formulas() -> list[tuple[str, str]]:
    """The derived formulas, for ``nnmath list``."""
    from derive.topics import probability

    return probability.formulas()


def generated() -> tuple:
    from derive.topics import probability

    return (probability.GENERATED,)


TOPIC = Topic(
    name="probability",
    title="Probability and statistics",
    present=present,
    pages=tuple(  # each page shows its part of the record; the theory summary shows them all
        page(name, f"probability/{name}.md", title, PROBABILITY, record=("probability", part))
        for name, title, part in (
            ("log-odds", "Sigmoid and the log-odds", "log_odds"),
            ("softmax-distribution", "Softmax as a distribution", "softmax"),
            ("likelihood", "Losses as likelihoods", "likelihood"),
            ("metrics", "Classification metrics", "metrics"),
        )
    ),
    handout="probability",
    formulas=derived_formulas,
    generated=generated,
)
