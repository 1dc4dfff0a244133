"""Strings of the page "When gradient descent converges" (``templates/site/gd_convergence.md.j2``).

The formulas come from :mod:`derive.topics.convergence` (printed by SymPy); the numbers from runs of the
generated NumPy code (:mod:`nnmath.topics.gradient_descent.runs`).  :func:`results` is shared with the handout
section (:mod:`nnmath.topics.gradient_descent.handout_section`).
"""

from __future__ import annotations

import inspect
from functools import cache

import numpy as np
import sympy as sp

import numeric as generated
from derive.printing.formulas import in_table
from derive.printing.latex import latex, matrix_latex
from derive.topics import convergence as cv
from nnmath.plots import figure_bytes
from nnmath.topics.gradient_descent import runs as gd

# Names a page writes (SymPy objects, printed like any other).
L = sp.Function("L")
GRAD = sp.MatrixSymbol(r"\nabla L", cv.n, 1)
HESSIAN = sp.MatrixSymbol(r"\nabla^{2} L", cv.n, cv.n)
W_NEW = sp.MatrixSymbol(r"\mathbf{w}'", cv.n, 1)
E_K = sp.MatrixSymbol(r"\mathbf{e}_{k}", cv.n, 1)
E_NEXT = sp.MatrixSymbol(r"\mathbf{e}_{k+1}", cv.n, 1)
E_0 = sp.MatrixSymbol(r"\mathbf{e}_{0}", cv.n, 1)
Q = sp.MatrixSymbol("Q", cv.n, cv.n)
LAMBDA = sp.MatrixSymbol(r"\Lambda", cv.n, cv.n)
K = sp.Symbol("k", integer=True, nonnegative=True)
RHO = sp.Function(r"\rho")
ETA_STAR = sp.Symbol(r"\eta^{*}")
RHO_STAR = sp.Symbol(r"\rho^{*}")
W_VECTOR = sp.Symbol(r"\mathbf{w}")
LAMBDA_I = sp.Symbol("lam_i", positive=True)  # printed λ_i; a code name, so that 1 − ηλ_i keeps its order
ETA_STAR_TEX = latex(ETA_STAR)
RHO_STAR_CODE = sp.Symbol("rho_star")  # ρ*, by a code name so that terms keep their order
PAGE_NAMES = {**cv.NAMES, LAMBDA_I: r"\lambda_{i}", cv.eta_star: r"\eta^{*}", RHO_STAR_CODE: r"\rho^{*}"}
SHOWN_FUNCTIONS = ("gradient_descent_step", "convergence_rate")


def tex(expr: sp.Basic, order: str = "rev-lex") -> str:
    """LaTeX in the page's notation and written order (``1 - \\eta \\lambda``, ``A \\mathbf{w} - \\mathbf{b}``)."""
    return matrix_latex(_abs_written(expr), PAGE_NAMES, order)


def _abs_written(expr: sp.Basic) -> sp.Basic:
    """|ηλ − 1| written as |1 − ηλ| (SymPy keeps the other sign inside Abs); the value is the same."""

    def flip(a: sp.Abs) -> sp.Basic:
        inner = -a.args[0]
        return sp.Abs(inner, evaluate=False) if inner.as_coeff_Add()[0] == 1 else a

    return expr.replace(lambda e: isinstance(e, sp.Abs), flip) if isinstance(expr, sp.Basic) else expr


def _minus(a: sp.Basic, b: sp.Basic) -> sp.Basic:
    """a − b as written (not re-ordered)."""
    return sp.Add(a, -b, evaluate=False)


def _eq(lhs: sp.Basic, rhs: sp.Basic, order: str = "rev-lex") -> str:
    return f"{tex(lhs, order)} = {tex(rhs, order)}"


def _matrix_row(a: cv.MatrixAnalysis, threshold: float) -> dict:
    exact = float(a.critical)
    return {
        "name": a.name,
        "matrix": latex(a.matrix),
        "eigenvalues": ", ".join(latex(v) for v in a.eigenvalues),
        "intervals": r" \cap ".join(latex(s) for s in a.intervals),
        "converges": latex(a.converges),
        "critical": latex(a.critical),
        "matches": a.matches_critical,
        "decomposition": a.decomposition_holds,
        "stalls": a.critical_start_stalls,
        "optimal": latex(a.optimal),
        "optimal_rate": latex(a.optimal_rate),
        "optimal_is_smallest": a.optimal_is_smallest,
        "critical_float": f"{exact:.15g}",
        "threshold": f"{threshold:.15g}",
        "threshold_error": f"{abs(threshold / exact - 1):.1e}",
    }


def as_array(m: sp.MatrixBase) -> np.ndarray:
    """An exact SymPy matrix as a float64 array (1-D for a column)."""
    out = np.array(m.evalf(17).tolist(), dtype=np.float64)
    return out[:, 0] if out.shape[1] == 1 else out


@cache
def results() -> dict:
    """Everything the page and the handout show, symbolic and numeric (computed once per process)."""
    analyses = {name: cv.analyse(name) for name in cv.MATRICES}
    thresholds = {}
    for name, m in cv.MATRICES.items():
        a = as_array(m)
        thresholds[name] = gd.numeric_threshold(a, a @ np.ones(len(a)), np.zeros(len(a)))
    fig_a = as_array(cv.MATRICES[cv.FIGURE_MATRIX])
    fig_b = as_array(cv.FIGURE_B)
    runs = gd.runs(fig_a, fig_b, np.zeros(len(fig_b)))
    return {"analyses": analyses, "thresholds": thresholds, "runs": runs, "figure_matrix": fig_a, "figure_b": fig_b}


def errors_figure(fmt: str = "svg") -> bytes:
    """‖w_k − w*‖ against k for the step sizes of :data:`nnmath.topics.gradient_descent.runs.RATIOS`."""
    res = results()
    title = f"Gradient descent on the {cv.FIGURE_MATRIX} matrix, w* = A⁻¹b, start w0 = 0"
    return figure_bytes(gd.figure(res["runs"], title), fmt)


def run_rows(runs: list[gd.Run]) -> list[dict]:
    """The runs as table rows."""
    return [
        {
            "label": r.label,
            "tex": ETA_STAR_TEX if r.multiple is None else f"{r.multiple:g} \\cdot {tex(cv.critical_step_size())}",
            "eta": f"{r.eta:.6f}",
            "ratio": f"{r.ratio:.4f}",
            "predicted": f"{r.predicted_rate:.6f}",
            "measured": f"{r.measured_rate:.6f}",
            "final": f"{r.final_error:.2e}",
            "verdict": "converges" if r.predicted_rate < 1 else "stays" if r.predicted_rate == 1 else "diverges",
        }
        for r in runs
    ]


@cache
def symbolic() -> dict:
    """The derivation's formulas as LaTeX, and the checks SymPy made (computed once per process; do not mutate)."""
    scalar = cv.scalar_case()
    opt = cv.optimal_step()
    gap, gap_nonnegative = cv.all_directions_condition()
    factor = cv.eigen_factor()
    small, large = factor.xreplace({cv.lam: cv.lambda_min}), factor.xreplace({cv.lam: cv.lambda_max})
    d = sp.Symbol("d", nonnegative=True)
    w1, e1 = sp.Symbol("w", real=True), scalar["error"]
    mixed = sp.Add(sp.Mul(1 - cv.t, small, evaluate=False), sp.Mul(cv.t, large, evaluate=False), evaluate=False)
    return {
        "loss": _eq(L(W_VECTOR), cv.loss()),
        "raw_gradient": _eq(GRAD, sp.diff(cv.loss(), cv.w)),
        "gradient": _eq(GRAD, cv.gradient()),
        "hessian": _eq(HESSIAN, cv.hessian()),
        "minimiser": _eq(cv.w_star, cv.minimiser()),
        "stationary": cv.minimiser_is_stationary(),
        "gradient_checked": " and ".join(f"{k}×{k}" for k in (2, 3) if cv.check_gradient(k)),
        "step": _eq(W_NEW, cv.step()),
        "error_step": _eq(E_NEXT, cv.error_step().xreplace({cv.e: E_K})),
        "recursion": _eq(E_NEXT, cv.iteration_matrix() * E_K),
        "recursion_holds": cv.error_recursion_holds(),
        "iterated": _eq(E_K, sp.MatPow(cv.iteration_matrix(), K) * E_0),
        "decomposition": _eq(cv.A, Q * LAMBDA * Q.T),
        "eigen": _eq(cv.iteration_matrix() * cv.q, sp.MatMul(factor, cv.q)),
        "factor": tex(factor),
        "scalar_loss": _eq(L(w1), scalar["loss"]),
        "scalar_gradient": _eq(sp.Derivative(L(w1), w1), scalar["gradient"]),
        "scalar_minimiser": _eq(sp.Symbol("w^{*}"), scalar["minimiser"]),
        "scalar_error": _eq(sp.Symbol("e'"), sp.Mul(scalar["factor"], e1, evaluate=False)),
        "condition": tex(sp.Abs(factor)) + " < 1",
        "condition_cell": in_table(tex(sp.Abs(factor)) + " < 1"),
        "solution": tex(cv.scalar_condition()),
        "divergence": tex(cv.scalar_divergence()),
        "critical": tex(cv.critical_step_size()),
        "interval": f"0 < {tex(cv.eta)} < {tex(cv.critical_step_size())}",
        "interval_i": tex(cv.scalar_condition().xreplace({cv.lam: LAMBDA_I})),
        "factor_i": tex(factor.xreplace({cv.lam: LAMBDA_I})),
        "top_factor": tex(sp.simplify(factor.xreplace({cv.lam: cv.lambda_max, cv.eta: cv.critical_step_size()}))),
        "error_definition": _eq(cv.e, cv.w - cv.w_star),
        "b_at_minimum": _eq(cv.b, cv.A * cv.w_star),
        "gap_d": _eq(d, cv.lambda_max - LAMBDA_I) + r" \ge 0",
        "mix": _eq(cv.lam, (1 - cv.t) * cv.lambda_min + cv.t * cv.lambda_max),
        "gap": _eq(sp.Add(2 / LAMBDA_I, -2 / (LAMBDA_I + d), evaluate=False), gap.xreplace({cv.lam: LAMBDA_I})),
        "gap_nonnegative": gap_nonnegative,
        "rate": _eq(RHO(cv.eta), cv.rate()),
        "between": _eq(factor.xreplace({cv.lam: (1 - cv.t) * cv.lambda_min + cv.t * cv.lambda_max}), mixed),
        "between_holds": cv.between(),
        "optimal_equation": f"{tex(small)} = {tex(-large, order='lex')}",
        "optimal": _eq(ETA_STAR, opt.step),
        "optimal_step": tex(opt.step),
        "kappa_rate": tex(opt.rate_in_kappa, order="lex"),
        "optimal_rate": _eq(RHO_STAR, opt.rate, order="lex"),
        "optimal_kappa": _eq(RHO_STAR, opt.rate_in_kappa, order="lex"),
        "kappa": _eq(cv.kappa, cv.lambda_max / cv.lambda_min),
        "balanced": opt.balanced,
        "below": f"{tex(_minus(small, RHO_STAR_CODE), 'none')} = {tex(opt.below)}",
        "above": f"{tex(_minus(sp.Mul(-1, large, evaluate=False), RHO_STAR_CODE), 'none')} = {tex(opt.above, 'lex')}",
        "bounds_hold": opt.bounds_hold,
    }


def gd_convergence() -> dict:
    """Strings of the page: derivation, concrete matrices, runs, figure, generated code."""
    res = results()
    analysis = res["analyses"][cv.FIGURE_MATRIX]
    return {
        **symbolic(),
        "matrices": [_matrix_row(res["analyses"][n], res["thresholds"][n]) for n in cv.MATRICES],
        "figure_matrix": latex(analysis.matrix),
        "figure_b": latex(cv.FIGURE_B),
        "figure_w_star": latex(analysis.matrix.solve(cv.FIGURE_B)),
        "figure_critical": latex(analysis.critical),
        "figure_optimal": latex(analysis.optimal),
        "steps": gd.STEPS,
        "tail": gd.TAIL,
        "threshold_steps": gd.THRESHOLD_STEPS,
        "runs": run_rows(res["runs"]),
        "code": "\n\n".join(inspect.getsource(getattr(generated, name)) for name in SHOWN_FUNCTIONS).rstrip() + "\n",
        "figures": {"errors": errors_figure("svg").decode()},
    }


__all__ = ["as_array", "errors_figure", "gd_convergence", "results", "run_rows", "symbolic"]
