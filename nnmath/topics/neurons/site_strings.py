"""Strings of the "Biological neurons" pages: LIF, Hodgkin–Huxley, Morris–Lecar, spikes and activations.

Every formula is printed from :mod:`derive.topics.neurons.lif`, :mod:`derive.topics.neurons.hodgkin_huxley` and
:mod:`derive.topics.neurons.morris_lecar`; every number is measured when the site is built
(:mod:`nnmath.topics.neurons.results`); figures come from :mod:`nnmath.topics.neurons.figures` as SVG text.
"""

from __future__ import annotations

import inspect

import numpy as np
import sympy as sp

import numeric as generated
from derive.printing.formulas import equation
from derive.printing.latex import latex
from derive.topics.neurons import hodgkin_huxley as hh
from derive.topics.neurons import lif
from derive.topics.neurons import morris_lecar as ml
from nnmath.plots import figure_bytes
from nnmath.topics.neurons import figures, results
from numeric import morris_lecar as ml_numeric


def svg(fig) -> str:
    """A figure as SVG text."""
    return figure_bytes(fig, "svg").decode("utf-8")


def d_dt(name: str) -> sp.Symbol:
    r"""The symbol printed as dx/dt."""
    return sp.Symbol(rf"\frac{{d{name}}}{{dt}}")


def sci(value: float, digits: int = 1) -> str:
    """A small number in LaTeX scientific notation: 1.2 \\cdot 10^{-10}."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


def complex_tex(z: complex, places: int = 4) -> str:
    """a ± b i, rounded."""
    if abs(z.imag) < 1e-12:
        return f"{z.real:.{places}f}"
    sign = "+" if z.imag > 0 else "-"
    return f"{z.real:.{places}f} {sign} {abs(z.imag):.{places}f}\\,i"


def value(v: sp.Rational) -> str:
    """A parameter as typed: 0.3 or -54.387, or LaTeX maths for a value with no short decimal (1/15)."""
    short = f"{float(v):g}"
    return short if sp.Rational(short) == v else f"${latex(v)}$"


def parameter_rows(values: dict[sp.Symbol, sp.Rational], units: dict[sp.Symbol, str]) -> list[dict]:
    """Symbol, value and unit of each parameter."""
    return [{"symbol": latex(s), "value": value(v), "unit": units.get(s, "")} for s, v in values.items()]


# --- Leaky integrate-and-fire ---------------------------------------------------------------------------------------


def lif_page() -> dict:
    """The LIF page: ODE, dsolve, rheobase, time to spike, rate, asymptote, check against simulation."""
    check = results.lif_check()
    t_star = sp.Symbol("t^{*}")
    v_inf = sp.Symbol(r"V_{\infty}")
    i_rh = sp.Symbol(r"I_{rh}")
    f = sp.Function("f")(lif.I)
    rest_reset = {lif.V_reset: lif.V_rest}
    textbook_holds = sp.simplify(lif.time_to_spike().subs(rest_reset) - lif.time_to_spike_textbook()) == 0
    example_current = sp.Integer(2)
    example = lif.time_to_spike().subs(lif.PARAMETERS).subs(lif.I, example_current)
    p = lif.PARAMETERS
    return {
        "equation": latex(lif.membrane_equation()),
        "parameters": parameter_rows(lif.PARAMETERS, lif.UNITS),
        "trajectory": equation(sp.Function("V")(lif.t), lif.trajectory()),
        "steady_state": equation(v_inf, lif.steady_state()),
        "rheobase": equation(i_rh, lif.rheobase()),
        "rheobase_value": f"{check['rheobase']:g}",
        "time_to_spike": equation(t_star, lif.time_to_spike()),
        "textbook": equation(t_star, lif.time_to_spike_textbook()),
        "textbook_holds": textbook_holds,
        "rate": equation(f, lif.firing_rate()),
        "asymptote": equation(f, lif.rate_asymptote()).replace(" = ", r" \approx ", 1),
        "saturation": equation(sp.Limit(f, lif.I, sp.oo), sp.limit(1 / lif.interspike_interval(), lif.I, sp.oo)),
        "check": [
            {
                "current": f"{r['current']:.4g}",
                "t_star": f"{r['t_star']:.6f}",
                "t_star_sim": f"{r['t_star_sim']:.6f}",
                "t_error": sci(r["t_error"]),
                "rate": f"{1000 * r['rate']:.4f}",
                "rate_sim": f"{1000 * r['rate_sim']:.4f}",
                "rate_error": sci(r["rate_error"]),
            }
            for r in check["rows"]
        ],
        "max_t_error": sci(check["max_t_error"]),
        "max_rate_error": sci(check["max_rate_error"]),
        "spikes": results.LIF_SPIKES,
        "example_current": latex(example_current),
        "example_parameters": ", ".join(f"{latex(s)} = {latex(p[s])}" for s in (lif.tau, lif.R, lif.V_rest, lif.V_th)),
        "example": equation(t_star, example) + rf" \approx {float(example):.4f}",
        "code": inspect.getsource(generated.lif_rate),
        "figures": {"trace": svg(figures.lif_trace()), "rate": svg(figures.lif_rate_curve())},
    }


# --- Hodgkin–Huxley -------------------------------------------------------------------------------------------------


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


def _display_rate(expr: sp.Expr) -> str:
    """A rate as in the textbooks: 0.1 (V + 40)/(1 − e^{−(V + 40)/10}) rather than (V/10 + 4)/(1 − e^{−V/10 − 4})."""

    def tidy(e: sp.Expr) -> sp.Expr:
        return e.replace(
            lambda x: isinstance(x, sp.exp) and _linear_in_v(x.args[0]), lambda x: sp.exp(_grouped(x.args[0]))
        )

    num, den = sp.fraction(expr)
    if den == 1:
        return latex(tidy(expr))
    if _linear_in_v(num):
        c = num.coeff(hh.V, 1)
        top = rf"{latex(c)} \left({latex(hh.V + num.coeff(hh.V, 0) / c)}\right)"
    else:
        top = latex(tidy(num))
    return rf"\frac{{{top}}}{{{latex(tidy(den))}}}"


def _rate_symbol(name: str) -> sp.Symbol:
    kind, gate = name.split("_")
    return sp.Symbol(rf"\{kind}_{{{gate}}}")


def hodgkin_huxley_page() -> dict:
    """The Hodgkin–Huxley page: equations, rates and their singularities, rest, spike, f–I."""
    stable = hh.stable_rates()
    rates = [
        {"lhs": latex(_rate_symbol(name)), "textbook": _display_rate(expr), "stable": latex(stable[name])}
        for name, expr in hh.RATES.items()
    ]
    singular = []
    for name, (v0, limit) in hh.removable_singularities().items():
        value = float(getattr(generated, f"hh_{name}")(float(v0)))
        singular.append(
            {
                "lhs": latex(_rate_symbol(name)),
                "at": latex(v0),
                "limit": latex(limit),
                "generated": repr(value),
                "error": sci(abs(value - float(limit)), 1),
            }
        )
    rest, spike, fi = results.hh_rest(), results.hh_spike(), results.hh_fi()
    gate_equations = [equation(d_dt(g.name), hh.gate_rhs(g, {k: _rate_symbol(k) for k in hh.RATES})) for g in hh.GATES]
    return {
        "membrane": equation(d_dt("V"), hh.membrane_rhs()),
        "gates": gate_equations,
        "parameters": parameter_rows(hh.PARAMETERS, hh.UNITS),
        "rates": rates,
        "singular": singular,
        "rest_nsolve": f"{rest['nsolve']:.10f}",
        "rest_brentq": f"{rest['brentq']:.10f}",
        "rest_simulated": f"{rest['simulated']:.10f}",
        "rest_error": sci(rest["simulation_error"]),
        "rest_eigenvalues": [complex_tex(z) for z in rest["eigenvalues"]],
        "step": f"{results.HH_STEP:g}",
        "peak": f"{spike['peak']:.2f}",
        "trough": f"{spike['minimum_after']:.2f}",
        "first_spike": f"{spike['spikes'][0]:.2f}",
        "train_rate": f"{1000 * (len(spike['spikes']) - 1) / (spike['spikes'][-1] - spike['spikes'][0]):.1f}",
        "single": [f"{x:g}" for x in fi["single"]],
        "onset": [f"{x:g}" for x in fi["onset"]],
        "onset_rate": f"{fi['onset_rate']:.1f}",
        "hopf": f"{fi['hopf']:.2f}",
        "max_current": f"{fi['currents'][-1]:g}",
        "max_rate": f"{fi['rates'][-1]:.1f}",
        "duration": f"{results.HH_DURATION:g}",
        "transient": f"{results.HH_TRANSIENT:g}",
        "figures": {
            "gates": svg(figures.hh_gates()),
            "spike": svg(figures.hh_trace()),
            "fi": svg(figures.hh_fi_curve()),
        },
    }


# --- Morris–Lecar ---------------------------------------------------------------------------------------------------


def _simulated_verdict(name: str, current: float, point: ml.FixedPoint, offset: float = 1e-3) -> str:
    """Started ``offset`` mV from the fixed point in 8 directions: how many runs came back within 10⁻⁶ after 300 ms."""
    p = ml_numeric.parameters(name)
    back = 0
    for angle in np.linspace(0, 2 * np.pi, 8, endpoint=False):
        v0, w0 = float(point.V) + offset * np.cos(angle), float(point.w) + offset * np.sin(angle) / 100
        run = ml_numeric.simulate(current, 300.0, (v0, w0), p, sample=300.0, rtol=1e-10, atol=1e-12)
        back += bool(abs(run.V[-1] - float(point.V)) < 1e-6)
    return f"{back} of 8 returned"


def morris_lecar_page() -> dict:
    """The Morris–Lecar page: equations, nullclines, Jacobian, fixed points with eigenvalues, phase portraits."""
    examples = []
    for index, example in enumerate(results.ml_analysis()):
        name, current = example["set"], example["current"]
        p = ml_numeric.parameters(name)
        rows, residual = [], 0.0
        for point in example["points"]:
            v_null, w_null = ml_numeric.nullclines(np.array(float(point.V)), current, p)
            residual = max(residual, abs(float(v_null) - float(point.w)), abs(float(w_null) - float(point.w)))
            rows.append(
                {
                    "V": f"{float(point.V):.6f}",
                    "w": f"{float(point.w):.6f}",
                    "eigenvalues": ", ".join(complex_tex(z) for z in point.eigenvalues),
                    "kind": point.kind,
                    "simulated": _simulated_verdict(name, current, point),
                }
            )
        examples.append(
            {
                "title": ml.SET_TITLES[name],
                "current": f"{current:g}",
                "points": rows,
                "residual": sci(residual),
                "figure": f"phase{index}",
            }
        )
    sets = list(ml.PARAMETER_SETS)
    symbols = list(ml.PARAMETER_SETS[sets[0]])
    w_null = sp.Symbol("w")
    return {
        "membrane": equation(d_dt("V"), ml.dvdt()),
        "gate": equation(d_dt("w"), ml.dwdt()),
        "m_inf": equation(sp.Symbol(r"m_{\infty}"), ml.m_inf()),
        "w_inf": equation(sp.Symbol(r"w_{\infty}"), ml.w_inf()),
        "tau_w": equation(sp.Symbol(r"\tau_{w}"), ml.tau_w()),
        "set_names": [ml.SET_TITLES[s] for s in sets],
        "parameters": [{"symbol": latex(s), "values": [value(ml.PARAMETER_SETS[n][s]) for n in sets]} for s in symbols],
        "v_nullcline": equation(w_null, ml.v_nullcline()),
        "w_nullcline": equation(w_null, ml.w_nullcline()),
        "jacobian": [
            equation(sp.Symbol(f"J_{{{i + 1}{j + 1}}}"), ml.jacobian()[i, j]) for i in range(2) for j in range(2)
        ],
        "examples": examples,
        "figures": {f"phase{i}": svg(figures.ml_phase_portrait(i)) for i in range(len(examples))},
    }


# --- Spikes and activations -----------------------------------------------------------------------------------------


def spiking_and_artificial_page() -> dict:
    """The LIF rate as an activation of the weighted sum; its derivative, asymptote and saturation."""
    i, n = sp.symbols("i n", integer=True, positive=True)
    w, x = sp.IndexedBase("w"), sp.IndexedBase("x")
    weighted = sp.Sum(w[i] * x[i], (i, 1, n))
    b = sp.Symbol("b")
    a, phi = sp.Symbol("a"), sp.Function(r"\varphi")
    f = sp.Function("f")
    fires = lif.firing_rate().args[0][0]
    gain = sp.simplify(sp.diff(fires, lif.I))
    slope, offset = results.lif_asymptote()
    return {
        "artificial": equation(a, phi(weighted + b)),
        "spiking": equation(f(lif.I), lif.firing_rate()),
        "current": equation(lif.I, weighted + sp.Symbol("I_{0}")),
        "composed": equation(sp.Symbol("r"), fires.subs(lif.I, weighted)),
        "gain": equation(sp.Derivative(f(lif.I), lif.I), gain),
        "gain_at_rheobase": equation(
            sp.Limit(sp.Derivative(f(lif.I), lif.I), lif.I, lif.rheobase(), "+"),
            sp.limit(gain, lif.I, lif.rheobase(), "+"),
        ),
        "asymptote": equation(f(lif.I), lif.rate_asymptote()).replace(" = ", r" \approx ", 1),
        "slope": f"{1000 * slope:g}",
        "offset": f"{1000 * offset:g}",
        "no_ref": latex(sp.Eq(lif.t_ref, 0)),
        "saturation": equation(sp.Limit(f(lif.I), lif.I, sp.oo), sp.limit(fires, lif.I, sp.oo)),
        "figures": {"activation": svg(figures.activation_comparison())},
    }
