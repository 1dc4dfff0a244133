"""Regularisation and overfitting: weight decay in the update, and L2 and early stopping on a small data set."""

from __future__ import annotations

from nnmath.topics.base import OPTIMISATION, Record, Topic, page


def present() -> Record:
    from nnmath.topics.overfitting.record import present as record

    return record()


TOPIC = Topic(
    name="overfitting",
    title="Regularisation and overfitting",
    present=present,
    pages=(
        page("weight-decay", "optimisation/weight-decay.md", "Weight decay in the update", OPTIMISATION),
        page("overfitting", "optimisation/overfitting.md", "Overfitting and regularisation", OPTIMISATION),
    ),
)
