"""The perceptron's formulas as LaTeX: its rule and Novikoff's bound with the steps of the proof.

Printed from :mod:`derive.topics.perceptron` and :func:`derive.topics.gradient_descent.rules` by the course printer;
the proof itself (each step checked by SymPy) is derived there.
"""

from __future__ import annotations

import sympy as sp

from derive.printing import formulas
from derive.printing.textbook import TextbookLatexPrinter, latex
from derive.topics import perceptron as theory
from derive.topics.gradient_descent import rules
from nnmath.topics.base import Tex


def proof_steps() -> list[dict]:
    """Each step of the proof: its text, its relation with the terms as written and in SymPy's order, the verdict."""
    return [
        {
            "text": s.text,
            "tex": Tex(formulas.unordered(theory.display(s.relation))),
            "tex_sympy_order": Tex(latex(theory.display(s.relation))),
            "holds": s.holds,
        }
        for s in theory.novikoff_steps()
    ]


def perceptron() -> dict:
    """The step activation, the perceptron rule, Novikoff's bound and the checked steps of its proof."""
    rule = rules()
    return {
        "step": Tex(formulas.unordered(rule["step"])),
        "rule": Tex(formulas.unordered(rule["perceptron"])),  # as derived: w' = w + x η (y − ŷ)
        # the same rule in reading order, learning rate first: w' = w + η x (y − ŷ)
        "rule_reading_order": Tex(TextbookLatexPrinter({"order": "rev-lex"}).doprint(rule["perceptron"])),
        "bound": Tex(latex(theory.display(sp.Le(theory.updates, theory.novikoff_bound())))),
        "steps": proof_steps(),
    }
