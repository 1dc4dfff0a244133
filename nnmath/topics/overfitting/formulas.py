"""The formulas of weight decay and of the overfitting page, printed from SymPy.

The update rules are :mod:`derive.topics.gradient_descent`'s (the L2 step, and the same step collected in w);
the penalty and its gradient are the catalogue's ``l2`` entry, derived by :mod:`derive.calculus.derivation`.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.derivation import gradient
from derive.catalogue import get
from derive.printing.formulas import unordered
from derive.printing.textbook import latex
from derive.topics.gradient_descent import rules, weight_decay_rule
from nnmath.topics.base import Tex
from nnmath.topics.texformat import symbol_names

GAP = sp.Symbol("G")
VAL_LOSS = sp.Symbol(r"C_{\text{val}}")
TRAIN_LOSS = sp.Symbol(r"C_{\text{train}}")


def weight_decay() -> dict:
    """The gradient step with an L2 penalty, the same step collected in w (weight decay), and its symbols."""
    rule = rules()["l2_step"]
    return {
        "step": Tex(latex(rule)),  # w ← w − η(g + λw), in textbook order
        "collected": Tex(latex(weight_decay_rule())),
        "symbols": symbol_names(rule),
    }


def penalty() -> dict:
    """The L2 penalty (λ/2) w², its gradient λ w, its symbols, and the gap G = C_val − C_train."""
    l2 = get("l2")
    (lam,) = (a for a in l2.args if a != l2.wrt)
    return {
        "penalty": Tex(latex(l2.expr)),
        "penalty_gradient": Tex(latex(gradient(l2))),
        "weight": Tex(latex(l2.wrt)),
        "lam": Tex(latex(lam)),
        "gap": Tex(unordered(sp.Eq(GAP, sp.Add(VAL_LOSS, -TRAIN_LOSS, evaluate=False), evaluate=False))),
    }


__all__ = ["penalty", "weight_decay"]
