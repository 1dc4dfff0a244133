"""An entry's formulas with its group's letter for the function: f for an activation, L for a loss, R for a regulariser.

Short enough for the theory summary's pages: f(x) = …, d/dx f(x) = …, ∂f_i/∂z_j = … (i ≠ j).  Built from the
right-hand sides of :func:`nnmath.topics.catalogue.entry.right_sides`, so each formula is printed once.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.derivation import textbook_definition
from derive.calculus.vectorise import index_symbols
from derive.catalogue.entry import ELEMENTWISE, VECTOR_MAP, Entry
from nnmath.topics.base import Tex
from nnmath.topics.texformat import formula

LETTERS = {"activation": "f", "loss": "L", "regulariser": "R"}


def left_sides(entry: Entry) -> tuple[str, str, str | None]:
    """LaTeX of the definition's left side, the derivative's, and the off-diagonal Jacobian entry's (or ``None``)."""
    letter = LETTERS[entry.group]
    if entry.kind == ELEMENTWISE:
        fn = sp.Function(letter)(*[a for a in entry.args if a not in entry.params])
        return formula(fn), formula(sp.Derivative(fn, entry.wrt)), None
    i, j = formula(entry.wrt, indexed=True), formula(index_symbols(entry.wrt).column, indexed=True)
    if entry.kind == VECTOR_MAP:
        fi = f"{letter}_{{i}}"
        return fi, rf"\frac{{\partial {fi}}}{{\partial {i}}}", rf"\frac{{\partial {fi}}}{{\partial {j}}}"
    return letter, rf"\frac{{\partial {letter}}}{{\partial {i}}}", None


def lettered(entry: Entry, rhs: dict[str, Tex | None]) -> dict:
    """``definition`` (= the textbook form, when it reads differently), ``derivative`` (one line per Jacobian entry),
    ``identity`` (only when it differs from the derivative) and the default ``parameters`` (α = 1), with the letter.
    """
    lhs, dlhs, off_lhs = left_sides(entry)
    derivative = [Tex(f"{dlhs} = {rhs['gradient']}")]
    if rhs["off_diagonal"] is not None:
        derivative.append(Tex(rf"{off_lhs} = {rhs['off_diagonal']} \quad (i \neq j)"))
    identity = None
    if rhs["identity"] is not None and rhs["identity"] != rhs["gradient"]:
        identity = Tex(f"{dlhs} = {rhs['identity']}")
    definition = f"{lhs} = {rhs['definition']}"
    if not entry.is_vector:
        textbook = formula(textbook_definition(entry))
        if textbook != rhs["definition"]:
            definition += f" = {textbook}"
    return {
        "definition": Tex(definition),
        "derivative": derivative,
        "identity": identity,
        "parameters": Tex(r",\quad ".join(f"{formula(p)} = {v:g}" for p, v in entry.params.items())),
    }
