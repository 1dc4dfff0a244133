"""The strings of the convolution page and of its handout section, printed from :mod:`derive.topics.convolution`.

Every formula is a SymPy object from the derivation printed by :func:`derive.printing.latex.latex`: the
array programs (the same ones printed into ``numeric/_generated/convolution.py``), a small 1-D
example evaluated exactly, the sums of the all-sizes proof, the im2col and Toeplitz matrices.
The PyTorch comparison and the figure come from :mod:`nnmath.topics.convolution.checks` and
:mod:`nnmath.topics.convolution.figures`.
"""

from __future__ import annotations

import inspect
from functools import cache

import numpy as np
import sympy as sp

from derive.printing.latex import latex
from derive.topics import convolution as cv

# The worked example: one channel, input 5, kernel 3, stride 2, padding 1 (output 3).
EXAMPLE = cv.Case(1, 1, 1, (5,), (3,), (2,), (1,))
# The pooling checks shown on the page (the 2-D ones, slower, run in tests/test_convolution.py).
PAGE_POOL_CASES = cv.POOL_CASES[:1]
LISTED = "conv2d_grad_input"  # the generated function shown in full


def _short(array: np.ndarray, name: str) -> dict[sp.Symbol, sp.Symbol]:
    """Symbols of a one-sample, one-channel array renamed by their spatial index only: x_{0,0,3} → x_{3}."""
    out = {}
    for idx in np.ndindex(array.shape):
        spatial = idx[2:] if array.ndim > 2 else idx[-1:]
        out[array[idx]] = sp.Symbol(f"{name}_{{{','.join(map(str, spatial))}}}", real=True)
    return out


def _row(values) -> sp.Matrix:
    return sp.Matrix([list(values)])


def _col(values) -> sp.Matrix:
    return sp.Matrix(list(values))


@cache
def example() -> dict:
    """The 1-D example, evaluated exactly: padded input, output, sp.diff, the full correlation, T and X_col."""
    case, a = EXAMPLE, cv.conv_arrays(1)
    dv, sizes = cv.conv_derivation(case), case.sizes()
    names = _short(dv.x, "x") | _short(dv.g, "g") | {dv.w[0, 0, k]: sp.Symbol(f"w_{{{k}}}") for k in range(3)}
    names[dv.b[0]] = sp.Symbol("b")

    def show(e):
        return e.xreplace(names)

    inputs = {a.x: dv.x, a.w: dv.w, a.g: dv.g}
    forward = cv.evaluate(cv.conv_forward(1), sizes, {a.x: dv.x, a.w: dv.w, a.b: dv.b})
    grad = cv.evaluate(cv.conv_grad_input(1), sizes, inputs)
    mf = cv.matrix_form(case)
    flipped = _row(dv.w[0, 0, ::-1])
    return {
        "sizes": f"N = {case.N[0]},\\ K = {case.K[0]},\\ s = {case.s[0]},\\ p = {case.p[0]},\\ L = {case.L[0]}",
        "xp": latex(sp.Eq(sp.Symbol(r"\tilde{x}"), show(_row(forward["xp"][0, 0])), evaluate=False)),
        "y": latex(sp.Eq(sp.Symbol("y"), show(_col(dv.y[0, 0])), evaluate=False)),
        "diff": latex(sp.Eq(sp.Symbol(r"\bar{x}"), show(_col(dv.dx[0, 0])), evaluate=False)),
        "gp": latex(sp.Eq(sp.Symbol(r"\tilde{g}"), show(_row(grad["gp"][0, 0])), evaluate=False)),
        "flipped": latex(sp.Eq(sp.Symbol(r"w^{\mathrm{flip}}"), show(flipped), evaluate=False)),
        "dxp": latex(sp.Eq(sp.Symbol(r"\bar{\tilde{x}}"), show(_row(grad["dxp"][0, 0])), evaluate=False)),
        "columns": latex(sp.Eq(sp.Symbol(r"X_{\mathrm{col}}"), show(mf.columns), evaluate=False)),
        "kernel_rows": latex(sp.Eq(sp.Symbol(r"W_{\mathrm{row}}"), show(mf.kernel_rows), evaluate=False)),
        "toeplitz": latex(sp.Eq(sp.Symbol("T"), show(mf.toeplitz), evaluate=False)),
        "transposed": latex(sp.Eq(sp.Symbol(r"T^{\top} g"), show(mf.toeplitz.T * mf.g), evaluate=False)),
        "holds": cv.equal_arrays(grad["dx"], dv.dx),
    }


def _equations(program: cv.Program) -> list[str]:
    return [latex(eq) for eq in cv.program_equations(program)]


def general_proof_sums(d: int = 1) -> dict:
    """The two sides of the all-sizes proof of the input gradient, as the page shows them (ν, γ written n, c)."""
    proof = cv.input_gradient_sums(d)
    back = {proof.index[0]: cv.n, proof.index[1]: cv.c}

    def show(e: sp.Basic) -> str:
        return latex(cv.display(e.xreplace(back)))

    at = (cv.n, cv.c, *proof.index[2:])
    a = cv.conv_arrays(d)
    return {
        "loss": show(sp.Eq(sp.Symbol("L"), proof.loss, evaluate=False)),
        "derivative": rf"\frac{{\partial L}}{{\partial {show(a.xp[at])}}} = {show(proof.derivative)}",
        "program": show(sp.Eq(a.dxp[at], proof.program, evaluate=False)),
        "unflipped": show(proof.unflipped),
        "holds": proof.holds,
    }


def checks() -> dict:
    """Every small-size and all-sizes check of the page, as table rows."""
    small = []
    for case in cv.CONV_CASES:
        results = cv.conv_gradient_checks(case)
        if case.batch == 1:
            results |= cv.matrix_form_checks(case)
        small.append({"case": case.describe(), "checks": len(results), "holds": all(results.values())})
    general = []
    for d in cv.DIMENSIONS:
        rows = {"input gradient = full correlation with the flipped kernel": cv.general_input_gradient_proof(d)}
        rows |= cv.general_weight_gradient_proof(d)
        rows["average-pooling gradient = scatter of g/(K₁⋯K_d)"] = cv.general_avg_pool_proof(d)
        general += [{"d": d, "claim": claim, "holds": holds} for claim, holds in rows.items()]
    pooling = []
    for case in PAGE_POOL_CASES:
        results = cv.avg_pool_checks(case) | cv.max_pool_checks(case)
        pooling += [{"case": case.describe(), "claim": claim, "holds": holds} for claim, holds in results.items()]
    return {"small": small, "general": general, "pooling": pooling}


def pooling() -> dict:
    """Formulas of average and max pooling and the derivative of a window's maximum."""
    derivative = cv.max_window_derivative(4)
    xs = sp.symbols("x_0:4", real=True)
    local = cv.max_local_proof(4)
    return {
        "avg": _equations(cv.avg_pool_forward(2)),
        "avg_grad": _equations(cv.avg_pool_grad(2)),
        "max": _equations(cv.max_pool_forward(2)),
        "max_grad": _equations(cv.max_pool_grad(2)),
        "max_derivative": latex(sp.Eq(sp.Derivative(sp.Max(*xs), xs[0]), derivative[0], evaluate=False)),
        "orders": local["orders"],
        "local_holds": local["holds"] and local["tie_sympy"] and local["tie_convention"],
    }


def _torch_rows() -> list[dict]:
    try:
        from nnmath.topics.convolution.checks import convolution_errors
    except ImportError:  # PyTorch is a test dependency
        return []
    try:
        return [{"function": r["function"], "error": r["error"], "cases": r["cases"]} for r in convolution_errors()]
    except ImportError:
        return []


def formulas_2d() -> dict:
    """The programs in 2-D with channels: definition, input gradient, kernel gradient (two readings), bias gradient."""
    sp_ = cv.space(2)
    return {
        "forward": _equations(cv.conv_forward(2)),
        "size": [latex(sp.Eq(size, formula, evaluate=False)) for size, formula in sp_.output_sizes()],
        "grad_input": _equations(cv.conv_grad_input(2)),
        "grad_weight": _equations(cv.conv_grad_weight(2))[1:],
        "grad_weight_dilated": _equations(cv.conv_grad_weight_dilated(2))[1:],
        "grad_bias": _equations(cv.conv_grad_bias(2)),
    }


def convolution() -> dict:
    """Everything the convolution page shows."""
    import numeric
    from nnmath.plots import figure_bytes
    from nnmath.topics.convolution.figures import convolution_figure

    return {
        "formulas": formulas_2d(),
        "example": example(),
        "proof": general_proof_sums(1),
        "checks": checks(),
        "pooling": pooling(),
        "code": inspect.getsource(getattr(numeric, LISTED)),
        "listed": LISTED,
        "torch": _torch_rows(),
        "figures": {"example": figure_bytes(convolution_figure(), "svg").decode()},
    }


__all__ = ["EXAMPLE", "example", "general_proof_sums", "checks", "pooling", "formulas_2d", "convolution"]
