"""The recurrent-network topic's formulas as LaTeX, printed from :mod:`derive.topics.recurrent`.

The step formulas are the SymPy matrix expressions printed into ``numeric/_generated/recurrent.py``, printed
here by :func:`derive.topics.recurrent.step_latex`; the vanishing-gradient derivation by the course printer.
"""

from __future__ import annotations

import sympy as sp

from derive.printing.textbook import TextbookLatexPrinter, latex
from derive.topics import recurrent as rn
from nnmath.topics.base import Tex

FOLDED = ("weight", "power", "induction")  # rotation matrices: printed with folded brackets (cos θ), to fit a page


def equations(activation: str = "tanh") -> dict[str, Tex]:
    """The step formulas (forward, BPTT, Jacobian step)."""
    return {key: Tex(rn.step_latex(eq)) for key, eq in rn.step_equations(activation).items()}


def compact(expr: sp.Basic) -> Tex:
    """LaTeX with the brackets of one-symbol function arguments folded (cos θ), so rotation matrices fit a page."""
    return Tex(TextbookLatexPrinter({"fold_func_brackets": True}).doprint(expr))


def bptt() -> dict:
    """φ' in the state, the product of three Jacobians, and the unrolled sum."""
    return {
        "prime": Tex(latex(rn.state_derivative_equation("tanh"))),
        "product": Tex(rn.step_latex(rn.product_formula(3))),
        "unrolled": Tex(rn.step_latex(rn.unrolled_equation())),
    }


def linear_norm() -> dict:
    """W = ρR(θ), W^T = ρ^T R(Tθ), the norm and slope, tanh' and its maximum — and whether SymPy proved every step."""
    shown = rn.linear_norm_equations()
    printed = {key: compact(value) if key in FOLDED else Tex(latex(value)) for key, value in shown.items()}
    return printed | {"holds": rn.linear_norm_derivation().proven}
