"""LaTeX for pages, handouts and docstrings, in the notation of ``docs/notation.md``: the course's one LaTeX printer."""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.printing.matrices import applied, compound, written_sum
from derive.symbols import LATEX_NAMES


class CourseLatexPrinter(LatexPrinter):
    r"""SymPy's LaTeX printer with the course's symbol names, index notation and matrix notation.

    Settings besides SymPy's (``order``, ``symbol_names``, ``mul_symbol``, …):

    * ``names``: more symbol names, on top of the course's (``symbol_names`` replaces the course's);
    * ``indexed``: vector symbols written with index i (``z_{i}``), for index-form expressions;
    * ``written_order``: matrix sums and products as written on a blackboard — positive terms first
      (``A w - b``, not ``- b + A w``), a scalar factor in front of the product without parentheses
      (``\frac{1}{2} w^{\top} A w``), the identity as :math:`I`;
    * ``transpose``: the transpose's superscript, SymPy's ``T`` by default; any other (``\top``, where T is
      a length) with parentheses around anything but a plain matrix symbol;
    * ``elementwise_product``: SymPy's ``\circ`` by default; any other (``\odot``) with parentheses around a
      sum or product operand only.

    Always: φ applied elementwise is written as the function of the vector, a power of it as the
    elementwise product (``1 - h \odot h``); ``diag(v)`` as :math:`\operatorname{diag}`; a class sum as
    :math:`\sum_k`.
    """

    _default_settings = {
        **LatexPrinter._default_settings,
        "names": None,
        "indexed": False,
        "written_order": False,
        "transpose": "T",
        "elementwise_product": r"\circ",
    }

    def __init__(self, settings: dict | None = None):
        settings = dict(settings or {})
        if "symbol_names" not in settings:
            settings["symbol_names"] = vector_names() if settings.get("indexed") else _symbol_names()
        if settings.get("names"):  # the terms keep the order of the symbols' code names
            settings["symbol_names"] = {**settings["symbol_names"], **settings["names"]}
        super().__init__(settings)

    def _print_ClassSum(self, expr: ClassSum) -> str:
        return r"\sum_{k} " + self.parenthesize(expr.args[0], 1000, strict=True)

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        symbol = self._settings["transpose"]
        if symbol == "T":
            return super()._print_Transpose(expr)
        base = self._print(expr.arg)
        plain = isinstance(expr.arg, sp.MatrixSymbol) and "\\" not in expr.arg.name  # not a fraction, not ∇L
        return f"{base}^{{{symbol}}}" if plain else f"\\left({base}\\right)^{{{symbol}}}"

    def _print_ElementwiseApplyFunction(self, expr) -> str:
        return self._print(applied(expr, self._print(expr.expr), f" {self._settings['elementwise_product']} "))

    def _print_DiagMatrix(self, expr) -> str:
        return r"\operatorname{diag}\left(" + self._print(expr.args[0]) + r"\right)"

    def _print_HadamardProduct(self, expr: sp.HadamardProduct) -> str:
        symbol = self._settings["elementwise_product"]
        if symbol == r"\circ":
            return super()._print_HadamardProduct(expr)
        return f" {symbol} ".join(
            rf"\left({self._print(a)}\right)" if compound(a) else self._print(a) for a in expr.args
        )

    def _print_Identity(self, expr: sp.Identity) -> str:
        return "I" if self._settings["written_order"] else super()._print_Identity(expr)

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        if not self._settings["written_order"]:
            return self._print_Add(expr)  # SymPy's rule for a matrix sum
        return written_sum(expr, self._print)

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        if not self._settings["written_order"]:
            return super()._print_MatMul(expr)
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
    return CourseLatexPrinter({"indexed": indexed}).doprint(expr)


def matrix_latex(expr: sp.Basic, names: dict[sp.Basic, str] | None = None, order: str = "rev-lex") -> str:
    """LaTeX of a formula with matrices in written order: ``A w - b``, ``1 - \\eta \\lambda`` (``order``).

    ``names``: more symbol names, on top of the course's.
    """
    settings = {"order": order, "names": names, "written_order": True, "transpose": r"\top"}
    return CourseLatexPrinter(settings).doprint(expr)


__all__ = ["CourseLatexPrinter", "latex", "matrix_latex", "vector_names"]
