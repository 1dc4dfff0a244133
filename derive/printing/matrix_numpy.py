"""NumPy source for matrix formulas (``MatrixSymbol`` expressions): ``A @ w - b``.

:func:`derive.numerics.codegen.expression_function` prints scalar formulas that
broadcast elementwise.  A formula of matrices and vectors needs different
rules: a product of matrices is ``@`` (SymPy's own NumPy printer writes
``(A).dot(w)`` and turns a scalar factor into ``.dot(-1)``), ``A⁻¹ b`` is
``numpy.linalg.solve(A, b)`` (no inverse is formed), and a column vector is a
1-D array, so its transpose prints as the vector itself (``wᵀ A w`` →
``w @ A @ w``).  Printing is strict, as in :mod:`derive.numerics.codegen`: a node
without a rule fails loudly.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp
from sympy.printing.precedence import precedence

from derive.numerics.codegen import NumPyCodePrinter
from derive.printing.matrix_latex import matrix_latex


class MatrixNumPyPrinter(NumPyCodePrinter):
    """The course NumPy printer plus rules for products, sums, transposes and solves of matrices."""

    def _print_MatrixSymbol(self, expr: sp.MatrixSymbol) -> str:
        return expr.name

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        arg = expr.arg
        if arg.shape[1] == 1:  # a column vector is a 1-D array: its transpose is the same array
            return self._operand(arg)
        return f"{self._operand(arg)}.T"

    def _operand(self, expr: sp.Basic) -> str:
        text = self._print(expr)
        return f"({text})" if isinstance(expr, (sp.MatAdd, sp.MatMul)) else text

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        coeff, matrices = expr.as_coeff_matrices()
        if coeff.could_extract_minus_sign():
            inner = self._print(sp.MatMul(-coeff, *matrices))
            return f"-{inner}" if coeff == -1 and len(matrices) == 1 else f"-({inner})"
        if len(matrices) == 2 and isinstance(matrices[0], sp.Inverse):
            product = f"numpy.linalg.solve({self._print(matrices[0].arg)}, {self._print(matrices[1])})"
        elif any(isinstance(m, sp.Inverse) for m in matrices):
            raise ValueError(f"only A⁻¹ b (a solve) can be printed, not {expr}")
        else:
            product = " @ ".join(self._operand(m) for m in matrices)
        if coeff == 1:
            return product
        factor = self.parenthesize(coeff, precedence(sp.Mul(2, 3, evaluate=False)))
        return f"{factor} * ({product})" if len(matrices) > 1 else f"{factor} * {product}"

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        """Terms with a positive sign first (``w - eta * (A @ w - b)``, not ``-eta * (A @ w - b) + w``)."""
        terms = sorted(expr.args, key=_is_negative)
        out = self._print(terms[0])
        for term in terms[1:]:
            out += f" - {self._print(-term)}" if _is_negative(term) else f" + {self._print(term)}"
        return out


def _is_negative(term: sp.Basic) -> bool:
    """True for a term printed with a minus sign (``-b``, ``-eta * A @ w``)."""
    return isinstance(term, sp.MatMul) and term.as_coeff_matrices()[0].could_extract_minus_sign()


def matrix_function(name: str, args: Sequence[sp.Basic], expr: sp.Basic, doc: str, shapes: str) -> str:
    """Source of ``def name(args)`` returning the matrix formula ``expr``, printed by :class:`MatrixNumPyPrinter`.

    ``doc`` is the docstring's first line, ``shapes`` a sentence on the arrays' shapes; the formula
    (LaTeX of ``expr``) goes between them.  Matrix formulas need no stability rewrite, so one with a
    transcendental function (exp, log, …) is refused rather than printed unstabilised.
    """
    if any(isinstance(f, sp.Function) for f in sp.preorder_traversal(expr)):
        raise ValueError(f"{name}: matrix_function prints polynomial matrix formulas only, not {expr}")
    printer = MatrixNumPyPrinter()
    temps, (reduced,) = sp.cse(expr, symbols=sp.numbered_symbols("_t"), order="none")
    body = [f"{sym} = {printer.doprint(value)}" for sym, value in temps] + [f"return {printer.doprint(reduced)}"]
    lines = [
        f"def {name}({', '.join(a.name for a in args)}):",
        f'    r"""{doc}',
        "",
        f"    $${matrix_latex(expr)}$$",
        "",
    ]
    lines += [f"    {shapes}", "", "    Generated from a derivation in ``derive/``; do not edit.", '    """']
    lines += [f"    {a.name} = as_float({a.name})" for a in args] + [f"    {ln}" for ln in body]
    return "\n".join(lines) + "\n"


__all__ = ["MatrixNumPyPrinter", "matrix_function"]
