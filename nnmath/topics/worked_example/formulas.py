"""The worked example's walk-through, printed: every step as ``lhs = formula = named value ≈ decimals``.

The steps, their named forms and the check that each named form is the exact value are
:func:`derive.topics.worked_example.walkthrough`'s; this module only prints them.
"""

from __future__ import annotations

from derive.printing import formulas
from derive.printing.decimals import rounded
from derive.printing.textbook import latex
from derive.topics.worked_example import Shown, walkthrough
from nnmath.topics.base import Tex

DIGITS = 6  # significant digits of the decimal values


def shown(step: Shown) -> dict:
    """One step: its label and the aligned chain lhs = formula = named form ≈ decimals (the exact value rounded
    once to :data:`DIGITS` significant digits)."""
    display = formulas.chain(step.lhs, step.formula, step.named, approx=rounded(step.exact, digits=DIGITS))
    return {"label": step.label, "display": Tex(display)}


def printed() -> dict:
    """The given values, the forward and backward passes, the update and the learning rate, as LaTeX."""
    w = walkthrough()
    return {
        "given": [Tex(formulas.equation(symbol, value)) for symbol, value in w.given],
        "parts": [
            {"title": "Forward pass", "steps": [shown(s) for s in w.forward]},
            {"title": "Backward pass", "steps": [shown(s) for s in w.backward]},
        ],
        "update_steps": [shown(s) for s in w.update],
        "learning_rate": Tex(latex(w.learning_rate)),
    }


__all__ = ["DIGITS", "printed", "shown"]
