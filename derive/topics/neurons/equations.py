r"""The neuron models' equations as the course writes them: named ``sp.Eq`` objects, ready to print.

Each function returns ``{name: equation}`` for one model, built from the derivations of :mod:`.lif`,
:mod:`.hodgkin_huxley` and :mod:`.morris_lecar`, with the left-hand sides a reader expects
(:math:`\frac{dV}{dt}`, :math:`t^*`, :math:`I_{rh}`, :math:`\alpha_m`, …).  Nothing here derives
anything new; :mod:`nnmath.topics.neurons` prints these with the course printer.
"""

from __future__ import annotations

import sympy as sp

from derive.printing.latex import latex
from derive.topics.neurons import hodgkin_huxley as hh
from derive.topics.neurons import lif
from derive.topics.neurons import morris_lecar as ml

T_STAR = sp.Symbol("t^{*}")  # the time from reset to the next spike
LIF_EXAMPLE_CURRENT = sp.Integer(2)  # nA: the current of the LIF exercise


def d_dt(name: str) -> sp.Symbol:
    r"""The symbol printed as dx/dt."""
    return sp.Symbol(rf"\frac{{d{name}}}{{dt}}")


def _eq(lhs: sp.Basic, rhs: sp.Basic) -> sp.Eq:
    return sp.Eq(lhs, rhs, evaluate=False)


# --- Leaky integrate-and-fire --------------------------------------------------------------------------------


def lif_rate_symbol() -> sp.Expr:
    """f(I), the firing rate as a function of the input current."""
    return sp.Function("f")(lif.I)


def lif_solution_equations() -> dict[str, sp.Eq]:
    """The membrane equation, its solution, the rheobase, the time to spike and the rate (not its limits)."""
    f = lif_rate_symbol()
    return {
        "equation": lif.membrane_equation(),
        "trajectory": _eq(sp.Function("V")(lif.t), lif.trajectory()),
        "steady_state": _eq(sp.Symbol(r"V_{\infty}"), lif.steady_state()),
        "rheobase": _eq(sp.Symbol(r"I_{rh}"), lif.rheobase()),
        "time_to_spike": _eq(T_STAR, lif.time_to_spike()),
        "textbook": _eq(T_STAR, lif.time_to_spike_textbook()),
        "rate": _eq(f, lif.firing_rate()),
        "rate_of_spike_time": _eq(f, lif.firing_rate(T_STAR)),  # the rate's shape: t* left as a symbol
    }


def lif_equations() -> dict[str, sp.Eq]:
    """:func:`lif_solution_equations`, then the rate's limits and the example's time to spike."""
    f = lif_rate_symbol()
    return lif_solution_equations() | {
        "asymptote": _eq(f, lif.rate_asymptote()),  # printed with ≈
        "saturation": _eq(sp.Limit(f, lif.I, sp.oo), lif.saturation()),
        "example": _eq(T_STAR, lif.example_time_to_spike(LIF_EXAMPLE_CURRENT)),
    }


# --- Hodgkin–Huxley ------------------------------------------------------------------------------------------


def rate_symbol(name: str) -> sp.Symbol:
    r"""The symbol of a rate: ``alpha_m`` → :math:`\alpha_{m}`."""
    kind, gate = name.split("_")
    return sp.Symbol(rf"\{kind}_{{{gate}}}")


def hodgkin_huxley_equations() -> dict[str, sp.Basic]:
    """The membrane equation, each gate's equation (rates as symbols), a generic gate x, and α_m as derived."""
    rates = {name: rate_symbol(name) for name in hh.RATES}
    generic = sp.Symbol("x")
    return {
        "membrane": _eq(d_dt("V"), hh.membrane_rhs()),
        "gates": [_eq(d_dt(g.name), hh.gate_rhs(g, rates)) for g in hh.GATES],
        "gate": _eq(
            d_dt("x"), hh.gate_rhs(generic, {"alpha_x": sp.Symbol(r"\alpha_x"), "beta_x": sp.Symbol(r"\beta_x")})
        ),
        "alpha_m": _eq(rates["alpha_m"], hh.RATES["alpha_m"]),
    }


def _linear_in_v(e: sp.Expr) -> bool:
    """c V + d with c ≠ 1 and d ≠ 0 (printed as c (V + d/c))."""
    return (
        isinstance(e, sp.Add)
        and not e.has(sp.UnevaluatedExpr)
        and e.is_polynomial(hh.V)
        and sp.Poly(e, hh.V).degree() == 1
        and e.coeff(hh.V, 1) != 1
        and e.coeff(hh.V, 0) != 0
    )


def _grouped(e: sp.Add) -> sp.Expr:
    c = e.coeff(hh.V, 1)
    return c * sp.UnevaluatedExpr(hh.V + e.coeff(hh.V, 0) / c)


def textbook_rate_latex(name: str) -> str:
    """A rate as in the textbooks: 0.1 (V + 40)/(1 − e^{−(V + 40)/10}) rather than (V/10 + 4)/(1 − e^{−V/10 − 4})."""

    def tidy(e: sp.Expr) -> sp.Expr:
        return e.replace(
            lambda x: isinstance(x, sp.exp) and _linear_in_v(x.args[0]), lambda x: sp.exp(_grouped(x.args[0]))
        )

    num, den = sp.fraction(hh.RATES[name])
    if den == 1:
        return latex(tidy(hh.RATES[name]))
    if _linear_in_v(num):
        c = num.coeff(hh.V, 1)
        top = rf"{latex(c)} \left({latex(hh.V + num.coeff(hh.V, 0) / c)}\right)"
    else:
        top = latex(tidy(num))
    return rf"\frac{{{top}}}{{{latex(tidy(den))}}}"


# --- Morris–Lecar --------------------------------------------------------------------------------------------


def morris_lecar_equations() -> dict[str, sp.Basic]:
    """The two equations, the gates' steady states and time scale, the nullclines and the Jacobian's entries."""
    w = sp.Symbol("w")
    j = ml.jacobian()
    return {
        "membrane": _eq(d_dt("V"), ml.dvdt()),
        "gate": _eq(d_dt("w"), ml.dwdt()),
        "m_inf": _eq(sp.Symbol(r"m_{\infty}"), ml.m_inf()),
        "w_inf": _eq(sp.Symbol(r"w_{\infty}"), ml.w_inf()),
        "tau_w": _eq(sp.Symbol(r"\tau_{w}"), ml.tau_w()),
        "v_nullcline": _eq(w, ml.v_nullcline()),
        "w_nullcline": _eq(w, ml.w_nullcline()),
        "jacobian": [_eq(sp.Symbol(f"J_{{{r + 1}{c + 1}}}"), j[r, c]) for r in range(2) for c in range(2)],
    }


# --- The LIF neuron as a rate unit ---------------------------------------------------------------------------


BACKGROUND = sp.Symbol("I_{0}")  # the background current of the rate neuron


def rate_neuron_equations() -> dict[str, sp.Basic]:
    """An artificial neuron φ(Σ wᵢxᵢ + b); the LIF rate of I = Σ wᵢxᵢ + I₀, its gain, and the gain at the rheobase."""
    i, n = sp.symbols("i n", integer=True, positive=True)
    w, x = sp.IndexedBase("w"), sp.IndexedBase("x")
    weighted = sp.Sum(w[i] * x[i], (i, 1, n))
    current = weighted + BACKGROUND  # the background current I₀ plays the part of the bias b
    f = lif_rate_symbol()
    slope = sp.Derivative(f, lif.I)
    return {
        "artificial": _eq(sp.Symbol("a"), sp.Function(r"\varphi")(weighted + sp.Symbol("b"))),
        "current": _eq(lif.I, current),
        "composed": _eq(sp.Symbol("r"), lif.rate_above_rheobase().subs(lif.I, current)),
        "gain": _eq(slope, lif.gain()),
        "gain_at_rheobase": _eq(sp.Limit(slope, lif.I, lif.rheobase(), "+"), lif.gain_at_rheobase()),
        "no_ref": _eq(lif.t_ref, 0),
        "background": BACKGROUND,
    }
