"""Plain text for terminals (``nnmath derive``, ``nnmath list``) in the course's index notation: the text printer."""

from __future__ import annotations

import sympy as sp
from sympy.printing.str import StrPrinter

from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.symbols import LATEX_NAMES

_PLAIN = {"logits": "z", "target": "y", "prob": "p", "pred": "yhat"}
_VECTOR_ARGS = {"logits", "target", "prob"}


class TextPrinter(StrPrinter):
    """SymPy's string printer with the course's index notation: z_i, z_j, sum_k, LSE(z).

    Setting besides SymPy's: ``indexed``, vector symbols written with index i (``z_i``).
    """

    _default_settings = {**StrPrinter._default_settings, "indexed": False}

    def _print_Symbol(self, expr: sp.Symbol) -> str:
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


def plain(expr: sp.Basic, indexed: bool = False) -> str:
    """One-line plain text of ``expr``; ``indexed=True`` writes vector symbols with index i."""
    return TextPrinter({"indexed": indexed}).doprint(expr)


__all__ = ["TextPrinter", "plain"]
