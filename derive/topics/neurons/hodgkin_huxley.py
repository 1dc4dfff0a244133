r"""The Hodgkin–Huxley model of the squid giant axon, with SymPy.

Convention: the modern form with the resting potential near −65 mV (Dayan & Abbott; Gerstner et al.,
"Neuronal Dynamics", table 2.1 shifted; Brian2's example), at 6.3 °C.  Units: V in mV, t in ms,
I in µA/cm², conductances in mS/cm², C_m in µF/cm².

.. math::
    C_m \frac{dV}{dt} = I - \bar g_{Na} m^3 h (V - E_{Na}) - \bar g_K n^4 (V - E_K) - g_L (V - E_L),
    \qquad \frac{dx}{dt} = \alpha_x(V)(1 - x) - \beta_x(V)\,x \quad (x = m, h, n).

The rates :math:`\alpha_m` and :math:`\alpha_n` are 0/0 at V = −40 and V = −55 mV (removable
singularities); the generated NumPy code uses their :func:`~derive.numerics.exprel.exprel_form`, finite there.
The resting potential is the fixed point of the ODE with I = 0, solved by ``nsolve``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import mpmath
import sympy as sp

from derive.numerics.exprel import exprel_form

V = sp.Symbol("V", real=True)
m, h, n = sp.symbols("m h n", real=True)
I = sp.Symbol("I", real=True)  # noqa: E741 - the injected current's usual name
C_m = sp.Symbol("C_m", positive=True)
g_Na, g_K, g_L = sp.symbols("g_Na g_K g_L", positive=True)  # noqa: N816 - the textbook names
E_Na, E_K, E_L = sp.symbols("E_Na E_K E_L", real=True)

GATES = (m, h, n)
STATE = (V, m, h, n)
PARAMETER_SYMBOLS = (C_m, g_Na, g_K, g_L, E_Na, E_K, E_L)
PARAMETERS: dict[sp.Symbol, sp.Rational] = {
    C_m: sp.Integer(1),  # µF/cm²
    g_Na: sp.Integer(120),  # mS/cm²
    g_K: sp.Integer(36),
    g_L: sp.Rational(3, 10),
    E_Na: sp.Integer(50),  # mV
    E_K: sp.Integer(-77),
    E_L: sp.Rational(-54387, 1000),
}
UNITS: dict[sp.Symbol, str] = {
    C_m: "µF/cm²",
    g_Na: "mS/cm²",
    g_K: "mS/cm²",
    g_L: "mS/cm²",
    E_Na: "mV",
    E_K: "mV",
    E_L: "mV",
}

_r = sp.Rational
# The opening and closing rates (1/ms) of the gates, V in mV.
RATES: dict[str, sp.Expr] = {
    "alpha_m": _r(1, 10) * (V + 40) / (1 - sp.exp(-(V + 40) / 10)),
    "beta_m": 4 * sp.exp(-(V + 65) / 18),
    "alpha_h": _r(7, 100) * sp.exp(-(V + 65) / 20),
    "beta_h": 1 / (1 + sp.exp(-(V + 35) / 10)),
    "alpha_n": _r(1, 100) * (V + 55) / (1 - sp.exp(-(V + 55) / 10)),
    "beta_n": _r(1, 8) * sp.exp(-(V + 65) / 80),
}


def rate(kind: str, gate: sp.Symbol) -> sp.Expr:
    """α or β of one gate: ``rate("alpha", m)``."""
    return RATES[f"{kind}_{gate.name}"]


@cache
def stable_rates() -> dict[str, sp.Expr]:
    """The rates in a form finite for every V: λ·u/(1 − e^{−u/k}) → k λ/exprel(−u/k), 1/(1 + e^u) → σ(−u)."""
    return {name: exprel_form(expr, V) for name, expr in RATES.items()}


@cache
def removable_singularities() -> dict[str, tuple[sp.Expr, sp.Expr]]:
    """Rate name → (V where its denominator vanishes, the limit there), for the rates that are 0/0 somewhere."""
    out = {}
    for name, expr in RATES.items():
        _, den = sp.fraction(sp.together(expr))
        for v0 in sp.solve(den, V):
            if v0.is_real:
                out[name] = (v0, sp.limit(expr, V, v0))
    return out


def steady_state(gate: sp.Symbol, rates: dict[str, sp.Expr] | None = None) -> sp.Expr:
    """x_∞(V) = α_x/(α_x + β_x): where dx/dt = 0 at fixed V."""
    rates = rates or RATES
    a, b = rates[f"alpha_{gate.name}"], rates[f"beta_{gate.name}"]
    return a / (a + b)


def time_constant(gate: sp.Symbol, rates: dict[str, sp.Expr] | None = None) -> sp.Expr:
    """τ_x(V) = 1/(α_x + β_x): the gate relaxes to x_∞ with this time constant (ms)."""
    rates = rates or RATES
    return 1 / (rates[f"alpha_{gate.name}"] + rates[f"beta_{gate.name}"])


def currents() -> dict[str, sp.Expr]:
    """The ionic currents (µA/cm²), outward positive."""
    return {
        "Na": g_Na * m**3 * h * (V - E_Na),
        "K": g_K * n**4 * (V - E_K),
        "L": g_L * (V - E_L),
    }


def membrane_rhs() -> sp.Expr:
    """dV/dt = (I − I_Na − I_K − I_L)/C_m."""
    return (I - sum(currents().values())) / C_m


def gate_rhs(gate: sp.Symbol, rates: dict[str, sp.Expr] | None = None) -> sp.Expr:
    """dx/dt = α_x (1 − x) − β_x x."""
    rates = rates or RATES
    return rates[f"alpha_{gate.name}"] * (1 - gate) - rates[f"beta_{gate.name}"] * gate


def rhs() -> sp.Matrix:
    """The right-hand side of the four ODEs, (dV/dt, dm/dt, dh/dt, dn/dt)."""
    return sp.Matrix([membrane_rhs(), *[gate_rhs(g) for g in GATES]])


def jacobian() -> sp.Matrix:
    """∂(dV/dt, dm/dt, dh/dt, dn/dt)/∂(V, m, h, n), by SymPy."""
    return rhs().jacobian(STATE)


@cache
def _reduced() -> sp.Expr:
    """dV/dt with every gate at its steady state and the standard parameters, the current I still a symbol."""
    gates = {g: steady_state(g) for g in GATES}
    return membrane_rhs().subs(gates).subs(PARAMETERS)


def _reduced_current(current: sp.Expr = sp.S.Zero) -> sp.Expr:
    """dV/dt with every gate at its steady state and the standard parameters: its zero is the fixed point."""
    return _reduced().subs(I, current)


@cache
def fixed_point(current: sp.Rational = sp.S.Zero, guess: float = -65.0, digits: int = 30) -> dict[sp.Symbol, sp.Float]:
    """The steady state (V*, m*, h*, n*) at a constant current, by ``nsolve`` to ``digits`` digits."""
    v_star = sp.nsolve(_reduced_current(current), V, guess, prec=digits)
    state = {V: v_star}
    for g in GATES:
        state[g] = steady_state(g).subs(V, v_star).evalf(digits)
    return state


def resting_potential(digits: int = 30) -> sp.Float:
    """The resting potential: the fixed point at I = 0."""
    return fixed_point(sp.S.Zero, -65.0, digits)[V]


def eigenvalues_at(current: sp.Rational = sp.S.Zero, digits: int = 30) -> list[complex]:
    """Eigenvalues of the Jacobian at the fixed point (1/ms), sorted by real part, largest first."""
    point = fixed_point(current, -65.0, digits)
    subs = {**PARAMETERS, I: current, **point}
    with mpmath.workdps(digits):
        matrix = mpmath.matrix([[sp.N(e.subs(subs), digits) for e in row] for row in jacobian().tolist()])
        values = mpmath.eig(matrix, left=False, right=False)
    return sorted((complex(v) for v in values), key=lambda z: (-z.real, -z.imag))


@cache
def _jacobian_function() -> Callable[..., list[list]]:
    """The Jacobian with the standard parameters as an mpmath function of ((V, m, h, n), I), lambdified once."""
    return sp.lambdify((STATE, I), jacobian().subs(PARAMETERS).tolist(), "mpmath")


@cache
def _fixed_point_functions() -> tuple[Callable[..., mpmath.mpf], list[Callable[..., mpmath.mpf]]]:
    """The reduced dV/dt (:func:`_reduced`) as an mpmath function of (V, I), and each gate's steady state as one of
    V: lambdified once, for the fixed points of many currents."""
    gates = [sp.lambdify(V, steady_state(g), "mpmath") for g in GATES]
    return sp.lambdify((V, I), _reduced(), "mpmath"), gates


def _largest_real_part(current: sp.Rational, digits: int) -> float:
    """The largest real part of the Jacobian's eigenvalues at the fixed point, in mpmath at ``digits`` digits.

    The fixed point as :func:`fixed_point` finds it (``findroot`` from −65 mV on the reduced dV/dt, which is what
    ``nsolve`` calls), on the functions lambdified once (:func:`_fixed_point_functions`).
    """
    reduced, gates = _fixed_point_functions()
    with mpmath.workdps(digits):
        i = mpmath.mpf(current)
        v = mpmath.findroot(lambda x: reduced(x, i), mpmath.mpf(-65))
        entries = _jacobian_function()([v, *(g(v) for g in gates)], i)
        values = mpmath.eig(mpmath.matrix(entries), left=False, right=False)
    return max(float(v.real) for v in values)


def hopf_current(low: float = 5.0, high: float = 15.0, tolerance: float = 1e-6) -> float:
    """The current where the resting state loses stability (largest eigenvalue real part crosses 0), by bisection.

    The sign of the largest real part is taken from the Jacobian lambdified once to mpmath at 20 digits.
    """

    def unstable(current: float) -> bool:
        return _largest_real_part(sp.Rational(current), 20) > 0

    if unstable(low) or not unstable(high):
        raise ValueError(f"no loss of stability between I = {low} and {high}")
    while high - low > tolerance:
        mid = (low + high) / 2
        low, high = (low, mid) if unstable(mid) else (mid, high)
    return (low + high) / 2


def generated_sources() -> list[tuple[str, str]]:
    """(name, source) of the Hodgkin–Huxley functions in ``numeric/_generated/neurons.py``."""
    from derive.numerics.codegen import expression_function

    stable = stable_rates()
    out = []
    for name in RATES:
        kind, gate = name.split("_")
        doc = f"Hodgkin–Huxley {kind} rate of the {gate} gate (1/ms), V in mV; finite at every V."
        out.append((f"hh_{name}", expression_function(f"hh_{name}", (V,), stable[name], doc)))
    for g in GATES:
        out.append(
            (
                f"hh_{g.name}_inf",
                expression_function(
                    f"hh_{g.name}_inf", (V,), steady_state(g, stable), f"Steady state of the {g.name} gate."
                ),
            )
        )
        out.append(
            (
                f"hh_tau_{g.name}",
                expression_function(
                    f"hh_tau_{g.name}", (V,), time_constant(g, stable), f"Time constant of the {g.name} gate (ms)."
                ),
            )
        )
    right_hand_sides = [
        ("hh_dvdt", (V, m, h, n, I, *PARAMETER_SYMBOLS), membrane_rhs(), "Hodgkin–Huxley dV/dt (mV/ms).")
    ]
    right_hand_sides += [(f"hh_d{g.name}dt", (V, g), gate_rhs(g, stable), f"d{g.name}/dt (1/ms).") for g in GATES]
    out += [(name, expression_function(name, args, expr, doc)) for name, args, expr, doc in right_hand_sides]
    # the same expressions unconverted, for the ODE solver's many calls (numeric.hodgkin_huxley.rhs)
    raw_doc = " On float64 arrays and numbers only, unconverted: the form ``solve_ivp`` calls."
    out += [
        (f"{name}_raw", expression_function(f"{name}_raw", args, expr, doc + raw_doc, raw=True))
        for name, args, expr, doc in right_hand_sides
    ]
    return out


def formulas() -> list[tuple[str, str]]:
    """``nnmath list`` rows of the Hodgkin–Huxley model."""
    from derive.printing.text import plain

    rows = [(f"hh_{name}", f"rate {name} = {plain(expr)}") for name, expr in RATES.items()]
    rows += [("hh_dvdt", f"membrane: dV/dt = {plain(membrane_rhs())}")]
    rows += [(f"hh_d{g.name}dt", f"gate: d{g.name}/dt = {plain(gate_rhs(g))}") for g in GATES]
    names = {k: sp.Symbol(k, positive=True) for k in RATES}  # the rates by name, to show the formulas' shapes
    rows += [(f"hh_{g.name}_inf", f"steady state: {g.name}_inf = {plain(steady_state(g, names))}") for g in GATES]
    rows += [(f"hh_tau_{g.name}", f"time constant: tau_{g.name} = {plain(time_constant(g, names))}") for g in GATES]
    return rows
