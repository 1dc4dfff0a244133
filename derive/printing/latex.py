"""LaTeX for pages and handouts, in the notation of ``docs/notation.md``."""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.symbols import LATEX_NAMES


class CourseLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the course's symbol names and index notation."""

    def __init__(self, settings: dict | None = None):
        super().__init__({"symbol_names": _symbol_names(), **(settings or {})})

    def _print_ClassSum(self, expr: ClassSum) -> str:
        return r"\sum_{k} " + self.parenthesize(expr.args[0], 1000, strict=True)


def _symbol_names() -> dict[sp.Symbol, str]:
    names = dict(LATEX_NAMES)
    names[LSE] = r"\operatorname{LSE}(\mathbf{z})"
    for base, plain in list(LATEX_NAMES.items()):
        if not plain[-1].isalpha():
            continue
        idx = index_symbols(base)
        names[base] = names.get(base, plain)
        names[idx.summed] = f"{plain}_{{k}}"
        names[idx.column] = f"{plain}_{{j}}"
    return names


def vector_names() -> dict[sp.Symbol, str]:
    """Names for index-form expressions: the free component is written with index i."""
    names = _symbol_names()
    for base, plain in LATEX_NAMES.items():
        if plain[-1].isalpha():
            names[base] = f"{plain}_{{i}}"
    return names


def latex(expr: sp.Basic, indexed: bool = False) -> str:
    """LaTeX of ``expr``; ``indexed=True`` writes vector symbols with index i."""
    settings = {"symbol_names": vector_names()} if indexed else {}
    return CourseLatexPrinter(settings).doprint(expr)


class _PlainPrinter(sp.printing.str.StrPrinter):
    """Plain text with the course's index notation (z_i, z_j, sum_k, LSE(z))."""

    def __init__(self, indexed: bool):
        super().__init__()
        self._indexed = indexed

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        if expr == LSE:
            return "LSE(z)"
        for base in LATEX_NAMES:
            idx = index_symbols(base)
            plain = _PLAIN.get(base.name, base.name)
            if expr == base:
                return f"{plain}_i" if self._indexed and base.name in _VECTOR_ARGS else plain
            if expr == idx.summed:
                return f"{plain}_k"
            if expr == idx.column:
                return f"{plain}_j"
        return expr.name

    def _print_ClassSum(self, expr: ClassSum) -> str:
        return f"sum_k({self._print(expr.args[0])})"


_PLAIN = {"logits": "z", "target": "y", "prob": "p", "pred": "yhat"}
_VECTOR_ARGS = {"logits", "target", "prob"}


def plain(expr: sp.Basic, indexed: bool = False) -> str:
    """One-line plain text of ``expr``; ``indexed=True`` writes vector symbols with index i."""
    return _PlainPrinter(indexed).doprint(expr)
