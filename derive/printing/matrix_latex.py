"""LaTeX of matrix formulas in the order they are written: ``A w - b``, ``\\frac{1}{2} w^T A w``.

SymPy's LaTeX printer puts the terms of a matrix sum in its canonical order
(``- b + A w``) and wraps a rational factor in parentheses; this printer keeps
:class:`~derive.printing.latex.CourseLatexPrinter`'s names and writes positive terms first,
the identity as :math:`I` and the transpose as a superscript :math:`\\top`; scalar sums are printed in
``rev-lex`` order (``1 - \\eta \\lambda``, ``\\lambda w - b``), as the handouts print update rules.
"""

from __future__ import annotations

import sympy as sp

from derive.printing.latex import CourseLatexPrinter


def _is_negative(term: sp.Basic) -> bool:
    if isinstance(term, sp.MatMul):
        return term.as_coeff_matrices()[0].could_extract_minus_sign()
    return term.could_extract_minus_sign() if isinstance(term, sp.Expr) and not term.is_Matrix else False


class MatrixLatexPrinter(CourseLatexPrinter):
    """The course printer with matrix sums and products written as on a blackboard."""

    def __init__(self, settings: dict | None = None, names: dict[sp.Basic, str] | None = None):
        super().__init__({"order": "rev-lex", **(settings or {})})
        if names:  # extra symbol names on top of the course's (the terms keep the order of the code names)
            self._settings["symbol_names"] = {**self._settings["symbol_names"], **names}

    def _print_Identity(self, expr: sp.Identity) -> str:
        return "I"

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        base = self._print(expr.arg)
        if isinstance(expr.arg, (sp.MatAdd, sp.MatMul)):
            base = rf"\left({base}\right)"
        return f"{base}^{{\\top}}"

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        terms = sorted(expr.args, key=_is_negative)
        out = self._print(terms[0])
        for term in terms[1:]:
            out += f" - {self._print(-term)}" if _is_negative(term) else f" + {self._print(term)}"
        return out

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        coeff, matrices = expr.as_coeff_matrices()
        if coeff.could_extract_minus_sign() and not isinstance(coeff, sp.Add):
            return "-" + self._print(sp.MatMul(-coeff, *matrices))
        parts = []
        for m in matrices:
            text = self._print(m)
            parts.append(rf"\left({text}\right)" if isinstance(m, sp.MatAdd) else text)
        product = " ".join(parts)
        if coeff == 1:
            return product
        factor = self._print(coeff)
        if isinstance(coeff, sp.Add):
            factor = rf"\left({factor}\right)"
        return f"{factor} {product}"


def matrix_latex(expr: sp.Basic, names: dict[sp.Basic, str] | None = None) -> str:
    """LaTeX of a formula with matrices, in written order (see :class:`MatrixLatexPrinter`).

    ``names``: extra symbol names.
    """
    return MatrixLatexPrinter(names=names).doprint(expr)


__all__ = ["MatrixLatexPrinter", "matrix_latex"]
