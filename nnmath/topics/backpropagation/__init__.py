"""The dense layer, the chain rule for one neuron, and backpropagation (BP1–BP4, verified weight by weight)."""

from __future__ import annotations

from nnmath.topics.base import CALCULUS, LINEAR_ALGEBRA, Record, Topic, page


def present() -> Record:
    from nnmath.topics.backpropagation.record import present as record

    return record()


TOPIC = Topic(
    name="backpropagation",
    title="Backpropagation",
    present=present,
    pages=(
        page("dense-layer", "linear-algebra/dense-layer.md", "A layer as a matrix product", LINEAR_ALGEBRA),
        page("chain-rule", "calculus/chain-rule.md", "The chain rule", CALCULUS),
        page("backpropagation", "calculus/backpropagation.md", "Backpropagation", CALCULUS),
    ),
)
