"""The convolution topic's formulas as LaTeX, printed from :mod:`derive.topics.convolution`.

Every formula is a SymPy object of the derivation printed by :func:`derive.printing.latex.latex`: the array
programs (the same ones printed into ``numeric/_generated/convolution.py``), the small 1-D example evaluated
exactly, the sums of the all-sizes proof, the im2col and Toeplitz matrices.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.arrays import Program
from derive.printing.textbook import latex
from derive.topics import convolution as cv
from nnmath.topics.base import Tex


def tex(expr: sp.Basic) -> Tex:
    """``expr`` printed by the course printer."""
    return Tex(latex(expr))


def _program(program: Program) -> list[Tex]:
    return [tex(eq) for eq in cv.program_equations(program)]


def forward_program() -> dict:
    """The 2-D convolution with channels as a program (``forward``) and its output size (``size``)."""
    return {"forward": _program(cv.conv_forward(2)), "size": [tex(eq) for eq in cv.output_size_equations(2)]}


def programs() -> dict:
    """The programs in 2-D with channels: definition, output size, input, kernel (two readings) and bias gradients."""
    return forward_program() | {
        "grad_input": _program(cv.conv_grad_input(2)),
        "grad_weight": _program(cv.conv_grad_weight(2))[1:],
        "grad_weight_dilated": _program(cv.conv_grad_weight_dilated(2))[1:],
        "grad_bias": _program(cv.conv_grad_bias(2)),
    }


def example() -> dict:
    """The 1-D example: its sizes, every equation of :func:`derive.topics.convolution.example`, and whether it holds."""
    case, shown = cv.EXAMPLE, cv.example()
    sizes = f"N = {case.N[0]},\\ K = {case.K[0]},\\ s = {case.s[0]},\\ p = {case.p[0]},\\ L = {case.L[0]}"
    return {"sizes": Tex(sizes)} | {name: tex(eq) for name, eq in shown.equations.items()} | {"holds": shown.holds}


def proof() -> dict:
    """The two sides of the all-sizes proof of the input gradient (1-D, with batch and channels)."""
    shown = cv.shown_input_gradient_proof(1)
    return {
        "loss": tex(shown.loss),
        "derivative": Tex(rf"\frac{{\partial L}}{{\partial {tex(shown.element)}}} = {tex(shown.derivative)}"),
        "program": tex(shown.program),
        "unflipped": tex(shown.unflipped),
        "holds": shown.holds,
    }


def pooling() -> dict:
    """Average and max pooling and their gradients (2-D), and SymPy's derivative of a window's maximum."""
    local = cv.max_local_proof(4)
    max_forward = _program(cv.max_pool_forward(2))
    return {
        "avg": _program(cv.avg_pool_forward(2)),
        "avg_grad": _program(cv.avg_pool_grad(2)),
        "max": max_forward,
        # the gradient's program pads x as the forward pass does: that line is shown once, with the forward pass
        "max_grad": [eq for eq in _program(cv.max_pool_grad(2)) if eq not in max_forward],
        "max_derivative": tex(cv.max_derivative_equation(4)),
        "orders": local["orders"],
        "local_holds": local["holds"] and local["tie_sympy"] and local["tie_convention"],
    }
