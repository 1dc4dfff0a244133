"""The formulas of gradient descent and of its convergence, printed from :mod:`derive.topics.convergence`.

Every formula is derived by SymPy in ``derive/topics/``; this module writes it in the page's notation and
order (``1 - \\eta \\lambda``, ``A \\mathbf{w} - \\mathbf{b}``) and marks it as :class:`~nnmath.topics.base.Tex`.
It also prints the update rules (gradient descent, weight decay, the perceptron) of the theory summary.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.printing import formulas
from derive.printing.textbook import latex, matrix_latex
from derive.topics import convergence as cv
from derive.topics.gradient_descent import rules
from nnmath.topics.base import Tex
from nnmath.topics.texformat import formula, symbol_names

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
RHO_STAR_CODE = sp.Symbol("rho_star")  # ρ*, by a code name so that terms keep their order
PAGE_NAMES = {**cv.NAMES, LAMBDA_I: r"\lambda_{i}", cv.eta_star: r"\eta^{*}", RHO_STAR_CODE: r"\rho^{*}"}
# What each update rule of derive.topics.gradient_descent.rules says, in a sentence.
RULE_SENTENCES = {
    "gradient_step": "A gradient-descent step with learning rate η (g is the gradient of the loss).",
    "l2_step": "The same step on the loss plus the L2 penalty: weight decay by the factor 1 − ηλ.",
    "step": "The perceptron's step activation.",
    "perceptron": "The perceptron rule (for the bias use x = 1).",
}


def tex(expr: sp.Basic, order: str = "rev-lex") -> Tex:
    """LaTeX in the page's notation and written order (``1 - \\eta \\lambda``, ``A \\mathbf{w} - \\mathbf{b}``)."""
    return Tex(matrix_latex(_abs_written(expr), PAGE_NAMES, order))


def _abs_written(expr: sp.Basic) -> sp.Basic:
    """|ηλ − 1| written as |1 − ηλ| (SymPy keeps the other sign inside Abs); the value is the same."""

    def flip(a: sp.Abs) -> sp.Basic:
        inner = -a.args[0]
        return sp.Abs(inner, evaluate=False) if inner.as_coeff_Add()[0] == 1 else a

    return expr.replace(lambda e: isinstance(e, sp.Abs), flip) if isinstance(expr, sp.Basic) else expr


def _minus(a: sp.Basic, b: sp.Basic) -> sp.Basic:
    """a − b as written (not re-ordered)."""
    return sp.Add(a, -b, evaluate=False)


def _eq(lhs: sp.Basic, rhs: sp.Basic, order: str = "rev-lex") -> Tex:
    return Tex(f"{tex(lhs, order)} = {tex(rhs, order)}")


def step_size_interval() -> Tex:
    """0 < η < 2/λ_max, the learning rates for which gradient descent converges on every quadratic direction."""
    return Tex(f"0 < {tex(cv.eta)} < {tex(cv.critical_step_size())}")


@cache
def derivation() -> dict:
    """The convergence derivation's formulas as LaTeX, and the checks SymPy made (computed once; do not mutate)."""
    scalar = cv.scalar_case()
    opt = cv.optimal_step()
    gap, gap_nonnegative = cv.all_directions_condition()
    factor = cv.eigen_factor()
    small, large = factor.xreplace({cv.lam: cv.lambda_min}), factor.xreplace({cv.lam: cv.lambda_max})
    d = sp.Symbol("d", nonnegative=True)
    w1, e1 = sp.Symbol("w", real=True), scalar["error"]
    flipped = sp.Mul(-1, large, evaluate=False)  # −(1 − ηλ_max), as written
    mixed = sp.Add(sp.Mul(1 - cv.t, small, evaluate=False), sp.Mul(cv.t, large, evaluate=False), evaluate=False)
    return {
        "loss": _eq(L(W_VECTOR), cv.loss()),
        "raw_gradient": _eq(GRAD, cv.differentiated()),
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
        "condition": Tex(tex(sp.Abs(factor)) + " < 1"),
        "condition_cell": Tex(formulas.in_table(tex(sp.Abs(factor)) + " < 1")),
        "solution": tex(cv.scalar_condition()),
        "divergence": tex(cv.scalar_divergence()),
        "critical": tex(cv.critical_step_size()),
        "interval": step_size_interval(),
        "interval_i": tex(cv.scalar_condition().xreplace({cv.lam: LAMBDA_I})),
        "factor_i": tex(factor.xreplace({cv.lam: LAMBDA_I})),
        "top_factor": tex(cv.factor_at_critical()),
        "error_definition": _eq(cv.e, cv.w - cv.w_star),
        "b_at_minimum": _eq(cv.b, cv.A * cv.w_star),
        "gap_d": Tex(_eq(d, cv.lambda_max - LAMBDA_I) + r" \ge 0"),
        "mix": _eq(cv.lam, (1 - cv.t) * cv.lambda_min + cv.t * cv.lambda_max),
        "gap": _eq(sp.Add(2 / LAMBDA_I, -2 / (LAMBDA_I + d), evaluate=False), gap.xreplace({cv.lam: LAMBDA_I})),
        "gap_nonnegative": gap_nonnegative,
        "rate": _eq(RHO(cv.eta), cv.rate()),
        "between": _eq(factor.xreplace({cv.lam: (1 - cv.t) * cv.lambda_min + cv.t * cv.lambda_max}), mixed),
        "between_holds": cv.between(),
        "optimal_equation": Tex(f"{tex(small)} = {tex(-large, order='lex')}"),
        "optimal": _eq(ETA_STAR, opt.step),
        "optimal_step": tex(opt.step),
        "kappa_rate": tex(opt.rate_in_kappa, order="lex"),
        "optimal_rate": _eq(RHO_STAR, opt.rate, order="lex"),
        "optimal_kappa": _eq(RHO_STAR, opt.rate_in_kappa, order="lex"),
        "kappa": _eq(cv.kappa, cv.lambda_max / cv.lambda_min),
        "balanced": opt.balanced,
        "below": Tex(f"{tex(_minus(small, RHO_STAR_CODE), 'none')} = {tex(opt.below)}"),
        "above": Tex(f"{tex(_minus(flipped, RHO_STAR_CODE), 'none')} = {tex(opt.above, 'lex')}"),
        "bounds_hold": opt.bounds_hold,
    }


def update_step() -> dict:
    """The gradient-descent update w ← w − η g, in textbook order, and its symbols."""
    rule = rules()["gradient_step"]
    return {"step": Tex(latex(rule)), "symbols": symbol_names(rule)}


def update_rules() -> list[dict]:
    """The update rules (gradient descent, weight decay, the perceptron), each with a sentence."""
    return [{"text": RULE_SENTENCES[k], "formula": formula(eq, update_rule=True)} for k, eq in rules().items()]


__all__ = ["derivation", "tex", "update_rules", "update_step"]
