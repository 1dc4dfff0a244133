"""Plain text for terminals (``nnmath derive``, ``nnmath list``) in the course's index notation: the text printer."""

from __future__ import annotations

import sympy as sp
from sympy.printing.precedence import precedence
from sympy.printing.str import StrPrinter

from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.printing.matrices import written_term_order
from derive.printing.textbook import ordered_factors, ordered_terms
from derive.symbols import LATEX_NAMES

_PLAIN = {"logits": "z", "target": "y", "prob": "p", "pred": "yhat"}
_VECTOR_ARGS = {"logits", "target", "prob"}
_GREEK = {"Delta": "Δ", "delta": "δ", "eta": "η", "mu": "μ", "sigma": "σ"}  # matrix names in comments
# Scalar names in comments: the optimisers' hyperparameters as the course writes them.
_GREEK_SCALARS = {"eta": "η", "mu": "μ", "beta1": "β₁", "beta2": "β₂", "epsilon": "ε"}


class TextPrinter(StrPrinter):
    """SymPy's string printer with the course's index notation: z_i, z_j, sum_k, LSE(z).

    Settings besides SymPy's: ``indexed``, vector symbols written with index i (``z_i``); ``comment``, one line
    of Unicode for a code comment as the course writes it — matrices as on a blackboard (``A Wᵀ + 1 bᵀ``:
    juxtaposed factors, ᵀ, the bias term last), Greek names as letters (Δ, η, β₁), the terms of a sum in textbook
    order (``w - η*g``), an update ``m ← β₁*m + (1 - β₁)*g``, and the indicator ``1[z > 0]`` for
    ``Piecewise((1, z > 0), (0, True))``.
    """

    _default_settings = {**StrPrinter._default_settings, "indexed": False, "comment": False}

    def _as_ordered_terms(self, expr: sp.Basic, order: str | None = None) -> list[sp.Basic]:
        terms = super()._as_ordered_terms(expr, order=order)
        return ordered_terms(terms) if self._settings["comment"] else terms

    def _print_Mul(self, expr: sp.Mul) -> str:
        """With ``comment``: the factors of a product without a sign or a denominator in textbook order
        (``(1 - β₁)*g``); SymPy's text otherwise."""
        if not self._settings["comment"] or expr.could_extract_minus_sign() or sp.fraction(expr, exact=True)[1] != 1:
            return super()._print_Mul(expr)
        factors = ordered_factors(list(expr.as_ordered_factors()))
        return "*".join(self.parenthesize(f, precedence(expr), strict=False) for f in factors)

    def _print_Update(self, expr: sp.Basic) -> str:
        """``target ← rule`` (:class:`derive.printing.textbook.Update`)."""
        return f"{self._print(expr.args[0])} ← {self._print(expr.args[1])}"

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        if self._settings["comment"] and expr.name in _GREEK_SCALARS:
            return _GREEK_SCALARS[expr.name]
        if expr == LSE:
            return "LSE(z)"
        for base in LATEX_NAMES:
            idx = index_symbols(base)
            plain = _PLAIN.get(base.name, base.name)
            if expr == base:
                return f"{plain}_i" if self._settings["indexed"] and base.name in _VECTOR_ARGS else plain
            if expr == idx.summed:
                return f"{plain}_k"
            if expr == idx.column:
                return f"{plain}_j"
        return expr.name

    def _print_ClassSum(self, expr: ClassSum) -> str:
        return f"sum_k({self._print(expr.args[0])})"

    def _print_MatrixSymbol(self, expr: sp.MatrixSymbol) -> str:
        return _GREEK.get(expr.name, expr.name) if self._settings["comment"] else super()._print_MatrixSymbol(expr)

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        if not self._settings["comment"]:
            return super()._print_Transpose(expr)
        base = self._print(expr.arg)
        return f"{base}ᵀ" if isinstance(expr.arg, sp.MatrixSymbol) else f"({base})ᵀ"

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        if not self._settings["comment"]:
            return super()._print_MatMul(expr)
        coeff, matrices = expr.as_coeff_matrices()
        parts = [f"({self._print(m)})" if isinstance(m, sp.MatAdd) else self._print(m) for m in matrices]
        return " ".join(parts if coeff == 1 else [self._print(coeff), *parts])

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        if not self._settings["comment"]:
            return super()._print_Add(expr)  # SymPy's rule for a matrix sum (MatAdd is printed as an Add)
        terms = sorted(expr.args, key=written_term_order)
        out = self._print(terms[0])
        for term in terms[1:]:
            negative = written_term_order(term)[0]
            out += f" - {self._print(-term)}" if negative else f" + {self._print(term)}"
        return out

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        """With ``comment``: ``1[c]`` for the indicator of the condition c (1 where c holds, else 0)."""
        indicator = len(expr.args) == 2 and expr.args[0].expr == 1 and expr.args[1] == (0, True)
        if self._settings["comment"] and indicator:
            return f"1[{self._print(expr.args[0].cond)}]"
        return super()._print_Function(expr)  # SymPy's text (StrPrinter has no Piecewise method)


def comment(expr: sp.Basic) -> str:
    """One-line Unicode of ``expr`` for a code comment (``comment`` setting): ``A Wᵀ + 1 bᵀ``, ``1[z > 0]``."""
    return TextPrinter({"comment": True}).doprint(expr)


def plain(expr: sp.Basic, indexed: bool = False) -> str:
    """One-line plain text of ``expr``; ``indexed=True`` writes vector symbols with index i."""
    return TextPrinter({"indexed": indexed}).doprint(expr)


__all__ = ["TextPrinter", "comment", "plain"]
