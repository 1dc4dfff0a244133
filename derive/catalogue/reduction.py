"""A per-output loss over K outputs, summed or averaged: the sum's gradient is K times the mean's.

The trainer sums the loss over a sample's K outputs (and averages over the batch); PyTorch's ``mse_loss`` with
``reduction="mean"`` averages over the outputs too.  SymPy derives both gradients for a symbolic K and proves
∂C_sum/∂ŷ_j − K ∂C_mean/∂ŷ_j = 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from derive.catalogue import get

K = sp.Symbol("K", integer=True, positive=True)
k, j = sp.symbols("k j", integer=True, positive=True)
PREDICTION, TARGET = sp.IndexedBase(r"\hat{y}"), sp.IndexedBase("y")


@dataclass(frozen=True)
class Reduction:
    """C_sum = Σₖ ℓ(ŷₖ, yₖ) and C_mean = C_sum / K, their gradients by ŷ_j (1 ≤ j ≤ K), and the proof."""

    summed: sp.Expr
    mean: sp.Expr
    summed_gradient: sp.Expr
    mean_gradient: sp.Expr
    factor: sp.Expr  # summed_gradient / mean_gradient, simplified: K
    holds: bool  # summed_gradient − K · mean_gradient simplifies to 0


def _inside(gradient: sp.Expr) -> sp.Expr:
    """The derivative of a sum over k = 1…K by one term's ŷ_j: SymPy's Piecewise, for 1 ≤ j ≤ K."""
    return gradient.replace(lambda e: isinstance(e, sp.Piecewise), lambda e: e.args[0].expr)


@cache
def reduction(name: str = "mse") -> Reduction:
    """The summed and the averaged loss ``name`` over K outputs, and their gradients (derived by ``sympy.diff``)."""
    entry = get(name)
    prediction, target = (a for a in entry.args if a not in entry.params)
    term = entry.expr.xreplace({prediction: PREDICTION[k], target: TARGET[k]})
    summed = sp.Sum(term, (k, 1, K))
    mean = summed / K
    summed_gradient = sp.diff(summed, PREDICTION[j]).doit()
    mean_gradient = sp.diff(mean, PREDICTION[j]).doit()
    holds = sp.simplify(summed_gradient - K * mean_gradient) == 0
    shown_sum, shown_mean = (sp.factor(_inside(g)) for g in (summed_gradient, mean_gradient))
    return Reduction(summed, mean, shown_sum, shown_mean, sp.simplify(shown_sum / shown_mean), holds)
