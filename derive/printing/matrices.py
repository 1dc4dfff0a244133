"""Matrix expressions read the same way by the LaTeX and the NumPy printer.

A step formula applies a scalar function φ to every component of a vector (SymPy's
``ElementwiseApplyFunction``: ``φ(W h + b)``) and multiplies vectors componentwise (``HadamardProduct``,
⊙); both printers write φ's body with its variable replaced by the printed vector, and put parentheses
around the same operands.  A matrix sum is written with its positive terms first (``A w - b``), as on a
blackboard, where SymPy's canonical order gives ``- b + A w``.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction


def applied(expr: ElementwiseApplyFunction, arg: str, times: str) -> sp.Expr:
    """The scalar function of an elementwise application with its variable replaced by ``arg`` (printed text).

    A power zⁿ of the variable becomes the n-fold elementwise product (``h ⊙ h``, ``h * h``, with ``times``
    between the factors) so that it cannot be read as a matrix power.
    """
    lam = expr.function
    var = lam.variables[0]
    body = lam.expr.replace(
        lambda e: isinstance(e, sp.Pow) and e.base == var and e.exp.is_Integer and e.exp > 1,
        lambda e: sp.Symbol(times.join([arg] * int(e.exp))),
    )
    return body.xreplace({var: sp.Symbol(arg)})


def compound(expr: sp.Basic) -> bool:
    """True for an operand that needs parentheses: a sum, an elementwise product, or φ whose value is a sum."""
    return isinstance(expr, sp.MatAdd | sp.HadamardProduct) or (
        isinstance(expr, ElementwiseApplyFunction) and isinstance(expr.function.expr, sp.Add)
    )


def _is_negative(term: sp.Basic) -> bool:
    """True for a term of a matrix sum written with a minus sign (``-b``, ``-η A w``)."""
    return isinstance(term, sp.MatMul) and term.as_coeff_matrices()[0].could_extract_minus_sign()


# Matrices a term is written after the others for (the bias: Z = A Wᵀ + 1 bᵀ, W x + b), by SymPy name
TRAILING_MATRICES = frozenset({"b"})


def written_term_order(term: sp.Basic) -> tuple[bool, bool]:
    """Sort key of a term of a matrix sum: positive before negative, a bias term (``1 bᵀ``) last."""
    names = {m.name for m in term.atoms(sp.MatrixSymbol)}
    return _is_negative(term), bool(names & TRAILING_MATRICES)


def written_sum(expr: sp.MatAdd, show: Callable[[sp.Basic], str]) -> str:
    """A matrix sum with its positive terms first and a bias last (``w - eta * (A @ w - b)``, ``A Wᵀ + 1 bᵀ``);
    ``show`` prints one term."""
    terms = sorted(expr.args, key=written_term_order)
    out = show(terms[0])
    for term in terms[1:]:
        out += f" - {show(-term)}" if _is_negative(term) else f" + {show(term)}"
    return out


__all__ = ["TRAILING_MATRICES", "applied", "compound", "written_sum", "written_term_order"]
