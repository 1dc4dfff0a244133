r"""The Morris–Lecar model: a two-variable neuron whose phase plane SymPy analyses.

.. math::
    C \frac{dV}{dt} = I - g_L (V - V_L) - g_{Ca}\, m_\infty(V) (V - V_{Ca}) - g_K\, w\, (V - V_K), \qquad
    \frac{dw}{dt} = \phi\, \frac{w_\infty(V) - w}{\tau_w(V)},

with :math:`m_\infty = \tfrac12(1 + \tanh\frac{V - V_1}{V_2})`,
:math:`w_\infty = \tfrac12(1 + \tanh\frac{V - V_3}{V_4})`,
:math:`\tau_w = 1/\cosh\frac{V - V_3}{2 V_4}`.

Parameters: the two sets of Rinzel & Ermentrout, "Analysis of neural excitability and oscillations"
(in Koch & Segev, *Methods in Neuronal Modeling*, 2nd ed., 1998), also Ermentrout & Terman,
*Mathematical Foundations of Neuroscience* (2010), table 3.1: ``"hopf"`` (rest loses stability in a Hopf
bifurcation) and ``"snlc"`` (saddle-node on a limit cycle: firing starts at zero frequency).
Units: V in mV, t in ms, I in µA/cm², conductances in mS/cm², C in µF/cm².

SymPy gives the nullclines (dV/dt = 0 solved for w; dw/dt = 0 solved for w), the fixed points (where
they cross: one equation in V, bracketed on a grid and refined by ``nsolve``), the Jacobian and its
eigenvalues at each fixed point, and from them the fixed point's type.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

V, w = sp.symbols("V w", real=True)
I = sp.Symbol("I", real=True)  # noqa: E741 - the injected current's usual name
C = sp.Symbol("C", positive=True)
g_L, g_Ca, g_K = sp.symbols("g_L g_Ca g_K", positive=True)  # noqa: N816 - the textbook names
V_L, V_Ca, V_K = sp.symbols("V_L V_Ca V_K", real=True)
V_1, V_2, V_3, V_4 = sp.symbols("V_1 V_2 V_3 V_4", real=True)
phi = sp.Symbol("phi", positive=True)

STATE = (V, w)
MEMBRANE_PARAMETERS = (C, g_L, g_Ca, g_K, V_L, V_Ca, V_K, V_1, V_2)
GATE_PARAMETERS = (phi, V_3, V_4)
PARAMETER_SYMBOLS = (*MEMBRANE_PARAMETERS, *GATE_PARAMETERS)

_r = sp.Rational
_COMMON = {
    C: sp.Integer(20),
    g_L: sp.Integer(2),
    g_K: sp.Integer(8),
    V_L: sp.Integer(-60),
    V_Ca: sp.Integer(120),
    V_K: sp.Integer(-84),
    V_1: _r(-12, 10),
    V_2: sp.Integer(18),
}
PARAMETER_SETS: dict[str, dict[sp.Symbol, sp.Rational]] = {
    "hopf": {**_COMMON, g_Ca: _r(44, 10), V_3: sp.Integer(2), V_4: sp.Integer(30), phi: _r(4, 100)},
    "snlc": {**_COMMON, g_Ca: sp.Integer(4), V_3: sp.Integer(12), V_4: _r(174, 10), phi: _r(1, 15)},
}
SET_TITLES = {
    "hopf": "Hopf set (Rinzel & Ermentrout)",
    "snlc": "SNLC set (Rinzel & Ermentrout)",
}
# The currents the pages show: (set, I) with I in µA/cm².
EXAMPLES: tuple[tuple[str, sp.Rational], ...] = (("snlc", sp.Integer(30)), ("hopf", sp.Integer(100)))


def m_inf() -> sp.Expr:
    """Steady state of the (instantaneous) calcium gate, ½(1 + tanh((V − V₁)/V₂))."""
    return (1 + sp.tanh((V - V_1) / V_2)) / 2


def w_inf() -> sp.Expr:
    """Steady state of the potassium gate, ½(1 + tanh((V − V₃)/V₄))."""
    return (1 + sp.tanh((V - V_3) / V_4)) / 2


def tau_w() -> sp.Expr:
    """Time scale of the potassium gate, 1/cosh((V − V₃)/(2V₄))."""
    return 1 / sp.cosh((V - V_3) / (2 * V_4))


def dvdt() -> sp.Expr:
    """dV/dt = (I − g_L(V − V_L) − g_Ca m_∞(V)(V − V_Ca) − g_K w (V − V_K))/C."""
    return (I - g_L * (V - V_L) - g_Ca * m_inf() * (V - V_Ca) - g_K * w * (V - V_K)) / C


def dwdt() -> sp.Expr:
    """dw/dt = φ (w_∞(V) − w)/τ_w(V)."""
    return phi * (w_inf() - w) / tau_w()


def rhs() -> sp.Matrix:
    """(dV/dt, dw/dt)."""
    return sp.Matrix([dvdt(), dwdt()])


@cache
def jacobian() -> sp.Matrix:
    """∂(dV/dt, dw/dt)/∂(V, w), by SymPy."""
    return rhs().jacobian(STATE)


@cache
def v_nullcline() -> sp.Expr:
    """The V-nullcline, dV/dt = 0 solved for w: w = (I − g_L(V − V_L) − g_Ca m_∞(V − V_Ca))/(g_K(V − V_K)).

    dV/dt = c₀ + c₁w is linear in w, so w = −c₀/c₁, put over one denominator (``cancel``, ``factor_terms``: the form
    ``solve`` gives, without its ``simplify``); SymPy checks that it makes dV/dt vanish identically."""
    rate = dvdt()
    if rate.diff(w, 2) != 0:
        raise ValueError("dV/dt is not linear in w")
    solution = sp.factor_terms(sp.cancel(-rate.subs(w, 0) / rate.diff(w)))
    if sp.cancel(rate.subs(w, solution)) != 0:
        raise ArithmeticError("the V-nullcline does not solve dV/dt = 0")
    return solution


@cache
def w_nullcline() -> sp.Expr:
    """The w-nullcline, dw/dt = 0 solved for w: w = w_∞(V)."""
    (solution,) = sp.solve(dwdt(), w)
    return solution


def fixed_point_equation() -> sp.Expr:
    """dV/dt on the w-nullcline: one equation in V whose roots are the fixed points' potentials.

    (The V-nullcline minus the w-nullcline has the same roots, but a pole at V = V_K.)"""
    return dvdt().subs(w, w_nullcline())


@dataclass(frozen=True)
class FixedPoint:
    """A fixed point, its Jacobian's eigenvalues and its type (``stable node``, ``saddle``, …)."""

    V: sp.Float
    w: sp.Float
    eigenvalues: tuple[complex, complex]
    kind: str

    @property
    def stable(self) -> bool:
        return all(e.real < 0 for e in self.eigenvalues)


def classify(trace: float, determinant: float) -> str:
    """The type of a planar fixed point from the Jacobian's trace and determinant."""
    if determinant < 0:
        return "saddle"
    side = "stable" if trace < 0 else "unstable"
    return f"{side} {'node' if trace**2 >= 4 * determinant else 'focus'}"


def fixed_point_at(
    voltage: sp.Float, parameters: dict[sp.Symbol, sp.Rational], current: sp.Rational, digits: int = 30
) -> FixedPoint:
    """The fixed point at potential ``voltage``: w from the w-nullcline, eigenvalues of the Jacobian there."""
    values = {**parameters, I: current}
    w_star = w_nullcline().subs(values).subs(V, voltage).evalf(digits)
    point = {**values, V: voltage, w: w_star}
    j = jacobian().subs(point).evalf(digits)
    trace, det = j.trace(), j.det()
    root = sp.sqrt(trace**2 - 4 * det)  # imaginary for a focus
    pair = (((trace + root) / 2).evalf(digits), ((trace - root) / 2).evalf(digits))
    eigen = tuple(sorted((complex(e) for e in pair), key=lambda z: (-z.real, -z.imag)))
    return FixedPoint(voltage, w_star, eigen, classify(float(trace), float(det)))


@cache
def fixed_points(
    name: str, current: sp.Rational, low: int = -90, high: int = 130, digits: int = 30
) -> tuple[FixedPoint, ...]:
    """Every fixed point with V in [low, high] mV: sign changes on a 1-mV grid, each refined by ``nsolve``."""
    parameters = PARAMETER_SETS[name]
    f = fixed_point_equation().subs(parameters).subs(I, current)
    grid = list(range(low, high + 1))
    evaluate = sp.lambdify(V, f, modules="mpmath")  # for the sign scan only; the roots come from nsolve
    values = [evaluate(sp.Integer(v)) for v in grid]
    out = []
    for a, b, fa, fb in zip(grid, grid[1:], values, values[1:]):
        if fa == 0 or fa * fb < 0:
            root = sp.nsolve(f, V, (a, b), solver="anderson", prec=digits) if fa != 0 else sp.Float(a, digits)
            out.append(fixed_point_at(root, parameters, current, digits))
    return tuple(out)


def generated_sources() -> list[tuple[str, str]]:
    """(name, source) of the Morris–Lecar functions in ``numeric/_generated/neurons.py``."""
    from derive.numerics.codegen import expression_function

    membrane = (V, w, I, *MEMBRANE_PARAMETERS)
    gate = (V, w, *GATE_PARAMETERS)
    nullcline = (V, I, *[p for p in MEMBRANE_PARAMETERS if p is not C])
    return [
        ("ml_m_inf", expression_function("ml_m_inf", (V, V_1, V_2), m_inf(), "Morris–Lecar calcium gate m_∞(V).")),
        ("ml_w_inf", expression_function("ml_w_inf", (V, V_3, V_4), w_inf(), "Morris–Lecar potassium gate w_∞(V).")),
        ("ml_tau_w", expression_function("ml_tau_w", (V, V_3, V_4), tau_w(), "Morris–Lecar τ_w(V) (before φ).")),
        ("ml_dvdt", expression_function("ml_dvdt", membrane, dvdt(), "Morris–Lecar dV/dt (mV/ms).")),
        ("ml_dwdt", expression_function("ml_dwdt", gate, dwdt(), "Morris–Lecar dw/dt (1/ms).")),
        (
            "ml_v_nullcline",
            expression_function(
                "ml_v_nullcline", nullcline, v_nullcline(), "Morris–Lecar V-nullcline: w where dV/dt = 0."
            ),
        ),
        (
            "ml_w_nullcline",
            expression_function(
                "ml_w_nullcline", (V, V_3, V_4), w_nullcline(), "Morris–Lecar w-nullcline: w where dw/dt = 0."
            ),
        ),
    ]


def formulas() -> list[tuple[str, str]]:
    """``nnmath list`` rows of the Morris–Lecar model."""
    from derive.printing.text import plain

    return [
        ("ml_dvdt", f"membrane: dV/dt = {plain(dvdt())}"),
        ("ml_dwdt", f"potassium gate: dw/dt = {plain(dwdt())}"),
        ("ml_v_nullcline", f"V-nullcline: w = {plain(v_nullcline())}"),
        ("ml_w_nullcline", f"w-nullcline: w = {plain(w_nullcline())}"),
        ("ml_m_inf", f"calcium gate: m_inf = {plain(m_inf())}"),
        ("ml_w_inf", f"potassium gate: w_inf = {plain(w_inf())}"),
        ("ml_tau_w", f"its time scale: tau_w = {plain(tau_w())}"),
    ]
