"""Every quantity of the worked example in one table: its symbol, where it comes from, exact and decimal.

Exact values are written as a person writes them (:func:`nnmath.topics.texformat.exact`: short decimals
where they terminate); an exact form longer than :data:`EXACT_MAX_CHARS` is left out, the decimals never are.
"""

from __future__ import annotations

from dataclasses import fields

from derive.topics.worked_example import worked_example
from nnmath.topics.base import Tex
from nnmath.topics.texformat import approx, exact

EXACT_MAX_CHARS = 140  # longer exact forms are shown as decimals only
PLACES = 6  # decimal places
LABELS = {
    "x": r"\mathbf{x}",
    "y": r"\mathbf{y}",
    "W1": "W^{1}",
    "b1": r"\mathbf{b}^{1}",
    "W2": "W^{2}",
    "b2": r"\mathbf{b}^{2}",
    "z1": r"\mathbf{z}^{1}",
    "a1": r"\mathbf{a}^{1}",
    "z2": r"\mathbf{z}^{2}",
    "a2": r"\mathbf{a}^{2}",
    "loss": "C",
    "delta2": r"\boldsymbol{\delta}^{2}",
    "delta1": r"\boldsymbol{\delta}^{1}",
    "dW2": r"\partial C / \partial W^{2}",
    "db2": r"\partial C / \partial \mathbf{b}^{2}",
    "dW1": r"\partial C / \partial W^{1}",
    "db1": r"\partial C / \partial \mathbf{b}^{1}",
    "learning_rate": r"\eta",
    "W1_new": r"W^{1}_{\text{new}}",
    "W2_new": r"W^{2}_{\text{new}}",
}
HOW = {
    "x": "input",
    "y": "target",
    "W1": "given",
    "b1": "given",
    "W2": "given",
    "b2": "given",
    "z1": "dense layer",
    "a1": "sigmoid",
    "z2": "dense layer",
    "a2": "sigmoid",
    "loss": "half the squared error",
    "delta2": "BP1",
    "delta1": "BP2",
    "dW2": "BP4",
    "db2": "BP3",
    "dW1": "BP4",
    "db1": "BP3",
    "learning_rate": "given",
    "W1_new": "gradient step",
    "W2_new": "gradient step",
}


def quantities() -> list[dict]:
    """A row per quantity: ``label`` (LaTeX), ``how`` it is computed, ``exact`` (or ``None``), ``approx``."""
    ex = worked_example()
    rows = []
    for f in fields(ex):
        value = getattr(ex, f.name)
        written = exact(value)
        rows.append(
            {
                "label": Tex(LABELS.get(f.name, f.name)),
                "how": HOW.get(f.name, ""),
                "exact": written if len(written) <= EXACT_MAX_CHARS else None,
                "approx": approx(value, places=PLACES),
            }
        )
    return rows


__all__ = ["EXACT_MAX_CHARS", "PLACES", "quantities"]
