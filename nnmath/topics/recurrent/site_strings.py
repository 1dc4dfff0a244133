"""The strings of the recurrent-network page and of its handout section, printed from :mod:`derive.topics.recurrent`.

The step formulas are the SymPy matrix expressions printed into ``numeric/_generated/recurrent.py``;
the proofs are :func:`derive.topics.recurrent.bptt_checks` and :func:`derive.topics.recurrent.linear_norm_derivation`;
the slopes and the figure come from :mod:`nnmath.topics.convolution.figures`, the PyTorch comparison from
:mod:`nnmath.topics.convolution.checks`.
"""

from __future__ import annotations

import inspect
from functools import cache

import sympy as sp

from derive.printing.latex import CourseLatexPrinter, latex
from derive.topics import recurrent as rn

LISTED = "rnn_backward"
TABLE_RHOS = (0.5, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0)  # rows of the slope table


def equations(activation: str = "tanh") -> dict[str, str]:
    """LaTeX of the step formulas (forward, BPTT, Jacobian step)."""
    return {key: rn.step_latex(eq) for key, eq in rn.step_equations(activation).items()}


def unrolled_formula() -> str:
    """e_k = Σ_{t=k}^{T} (∂h_t/∂h_k)ᵀ g_t."""
    k = sp.Symbol("k", integer=True, nonnegative=True)
    jac = sp.MatrixSymbol(r"\frac{\partial h_{t}}{\partial h_{k}}", rn.H, rn.H)
    e_k = sp.MatrixSymbol("e_{k}", rn.H, 1)
    return rn.step_latex(sp.Eq(e_k, sp.Sum(jac.T * rn.g_t, (rn.t, k, rn.T_steps)), evaluate=False))


def compact(expr: sp.Basic) -> str:
    """LaTeX with the brackets of one-symbol function arguments folded (cos θ), so rotation matrices fit a page."""
    return CourseLatexPrinter({"fold_func_brackets": True}).doprint(expr)


def linear_norm() -> dict:
    """W = ρR(θ), W^T = ρ^T R(Tθ), the norm and slope, and the facts about tanh' — as SymPy derived them."""
    ln = rn.linear_norm_derivation()
    w = sp.Symbol("W")
    power = sp.Symbol("W^{T}")
    norm = sp.Symbol(r"\left\lVert \frac{\partial h_{T}}{\partial h_{0}} \right\rVert_{2}")
    z = rn.z
    prime = sp.diff(sp.tanh(z), z)
    return {
        "weight": compact(sp.Eq(w, ln.weight, evaluate=False)),
        "power": compact(sp.Eq(power, ln.power, evaluate=False)),
        "induction": compact(
            sp.Eq(
                sp.MatMul(rn.rotation(rn.theta), rn.rotation(rn.T_steps * rn.theta), evaluate=False),
                rn.rotation((rn.T_steps + 1) * rn.theta),
                evaluate=False,
            )
        ),
        "norm": latex(sp.Eq(norm, ln.norm, evaluate=False)),
        "slope": latex(
            sp.Eq(sp.Symbol(r"\frac{1}{T} \log \left\lVert W^{T} \right\rVert_{2}"), ln.slope, evaluate=False)
        ),
        "radius": latex(ln.spectral_radius),
        "prime": latex(sp.Eq(sp.Derivative(sp.tanh(z), z), prime, evaluate=False)),
        "sech": latex(sp.Eq(prime, sp.sech(z) ** 2, evaluate=False)),
        "prime_max": latex(ln.tanh_prime_max),
        "holds": ln.induction_step and ln.orthogonal and ln.tanh_prime_positive and ln.norm == rn.rho**rn.T_steps,
    }


@cache
def measured() -> dict:
    """The slopes on the grid (both activations) and the figure."""
    from nnmath.topics.convolution import figures as af

    table = af.slope_table()
    rows = []
    for rho in TABLE_RHOS:
        i = table.rhos.index(rho)
        values = {"linear": table.linear[i], "tanh": table.tanh[i], "log": float(sp.log(rho))}
        rows.append({"rho": rho} | {k: round(v, 6) + 0.0 for k, v in values.items()})  # + 0.0: no "-0.0000"
    return {
        "rows": rows,
        "crossing": table.crossing(),
        "hidden": af.HIDDEN,
        "steps": af.STEPS,
        "table": table,
    }


def _torch_rows() -> list[dict]:
    try:
        from nnmath.topics.convolution.checks import recurrent_errors

        return recurrent_errors()
    except ImportError:  # PyTorch is a test dependency
        return []


def recurrent() -> dict:
    """Everything the recurrent-network page shows."""
    import numeric
    from nnmath.plots import figure_bytes
    from nnmath.topics.convolution.figures import vanishing_figure

    checks = []
    for activation in rn.ACTIVATIONS:
        checks += [
            {"activation": activation, "claim": claim, "holds": holds}
            for claim, holds in rn.bptt_checks(activation).items()
        ]
    m = measured()
    return {
        "equations": equations("tanh"),
        "linear_equations": equations("linear"),
        "prime": latex(
            sp.Eq(sp.Symbol(r"\varphi'"), rn.derivative_in_state("tanh").subs(rn.z, sp.Symbol("h")), evaluate=False)
        ),
        "product": rn.step_latex(rn.product_formula(3)),
        "unrolled": unrolled_formula(),
        "checks": checks,
        "norm": linear_norm(),
        "slopes": m["rows"],
        "crossing": m["crossing"],
        "hidden": m["hidden"],
        "steps": m["steps"],
        "code": inspect.getsource(getattr(numeric, LISTED)),
        "listed": LISTED,
        "torch": _torch_rows(),
        "figures": {"gradient-norms": figure_bytes(vanishing_figure(m["table"]), "svg").decode()},
    }


__all__ = ["equations", "unrolled_formula", "linear_norm", "measured", "recurrent"]
