"""An entry drawn for the terminal by SymPy's pretty printer in textbook form, Unicode and ASCII.

``nnmath derive NAME`` prints one of the two (Unicode when the terminal's encoding is UTF-8); the record holds
both, as plain strings, so that the command line only chooses one and lays the lines out.
"""

from __future__ import annotations

import re

import sympy as sp

from derive.calculus.derivation import EntryDerivation, IndexForm, in_probabilities, shown_gradient
from derive.calculus.steps import Derivation
from derive.catalogue.entry import Entry
from derive.printing.textbook import pretty, pretty_relation

# LaTeX in a step's annotation ($\sum_k y_k = 1$) as terminal text: (Unicode, ASCII).
_MACROS = {
    r"\sum": ("Σ", "sum"),
    r"\delta": ("δ", "delta"),
    r"\sigma": ("σ", "sigma"),
    r"\tanh": ("tanh", "tanh"),
    r"\Phi": ("Φ", "Phi"),
    r"\varphi": ("φ", "phi"),
    r"\operatorname{softmax}": ("softmax", "softmax"),
}


def rule_text(rule: str, unicode: bool) -> str:
    """A step's annotation as terminal text: ``$…$`` maths with its macros written out, braces dropped."""
    for macro, (u, a) in _MACROS.items():
        rule = rule.replace(macro, u if unicode else a)
    return re.sub(r"[${}]", "", rule).replace("\\", "")


def _derivation(derivation: Derivation, indexed: bool, unicode: bool) -> dict:
    start = sp.Derivative(derivation.expr, derivation.wrt, evaluate=False)
    return {
        "start": pretty(start, unicode, indexed),
        "steps": [
            {"rule": rule_text(s.rule, unicode), "expr": pretty_relation("=", s.expr, unicode, indexed)}
            for s in derivation.steps
        ],
    }


def drawn(entry: Entry, d: EntryDerivation, form: IndexForm, shown: sp.Expr, unicode: bool) -> dict:
    """The definition (textbook form), gradient, off-diagonal Jacobian entry, identity and derivations, drawn."""
    vec = entry.is_vector

    def show(expr: sp.Expr | None) -> str | None:
        return None if expr is None else pretty(expr, unicode, indexed=vec)

    return {
        "definition": show(shown),
        "gradient": show(shown_gradient(entry, form.gradient)),
        "off_diagonal": show(None if form.off_diagonal is None else in_probabilities(entry, form.off_diagonal)),
        "identity": None if vec or entry.identity is None else show(entry.identity),
        "derivations": [_derivation(s, vec, unicode) for s in d.steps],
    }


def terminal(entry: Entry, d: EntryDerivation, form: IndexForm, shown: sp.Expr) -> dict[str, dict]:
    """``{"unicode": drawn, "ascii": drawn}`` (see :func:`drawn`)."""
    return {"unicode": drawn(entry, d, form, shown, True), "ascii": drawn(entry, d, form, shown, False)}
