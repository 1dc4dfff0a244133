r"""The leaky integrate-and-fire (LIF) neuron, solved by SymPy.

The membrane is a leaky capacitor driven by a constant current :math:`I`:

.. math:: \tau \frac{dV}{dt} = -(V - V_{rest}) + R I .

When :math:`V` reaches the threshold :math:`V_{th}` the neuron spikes, :math:`V`
is reset to :math:`V_{reset}` and held there for the refractory period
:math:`t_{ref}`.  SymPy solves the ODE (``dsolve``), the time to spike
:math:`t^*` (``solve``: :math:`V(t^*) = V_{th}`), the rheobase (the current
below which :math:`V_\infty = V_{rest} + R I` never reaches the threshold), the
firing rate :math:`f(I) = 1/(t_{ref} + t^*)` and its large-current asymptote.

Units: time in ms, potentials in mV, current in nA, resistance in MΩ (so
:math:`R I` is in mV) and rates in spikes per ms (×1000 for Hz).
"""

from __future__ import annotations

from functools import cache

import sympy as sp
from sympy.codegen.cfunctions import log1p

t = sp.Symbol("t", nonnegative=True)
V = sp.Symbol("V", real=True)
I = sp.Symbol("I", real=True)  # noqa: E741 - the input current's usual name
tau = sp.Symbol("tau", positive=True)
R = sp.Symbol("R", positive=True)
V_rest = sp.Symbol("V_rest", real=True)
V_th = sp.Symbol("V_th", real=True)
V_reset = sp.Symbol("V_reset", real=True)
t_ref = sp.Symbol("t_ref", nonnegative=True)

# The neuron of the pages and tests (a common textbook choice, e.g. Gerstner et al., "Neuronal Dynamics", ch. 1).
PARAMETERS: dict[sp.Symbol, sp.Rational] = {
    tau: sp.Integer(10),  # ms
    R: sp.Integer(10),  # MΩ
    V_rest: sp.Integer(-65),  # mV
    V_th: sp.Integer(-50),  # mV
    V_reset: sp.Integer(-65),  # mV
    t_ref: sp.Integer(2),  # ms
}
UNITS: dict[sp.Symbol, str] = {tau: "ms", R: "MΩ", V_rest: "mV", V_th: "mV", V_reset: "mV", t_ref: "ms"}

# Argument order of the generated functions.
RHS_ARGS = (V, I, tau, R, V_rest)
SPIKE_ARGS = (I, tau, R, V_rest, V_th, V_reset)
RATE_ARGS = (*SPIKE_ARGS, t_ref)


@cache
def membrane_equation() -> sp.Eq:
    """τ dV/dt = −(V − V_rest) + R I, with V a function of t."""
    v = sp.Function("V")(t)
    return sp.Eq(tau * v.diff(t), -(v - V_rest) + R * I)


@cache
def rhs() -> sp.Expr:
    """dV/dt = (−(V − V_rest) + R I)/τ, with V a plain symbol (what a simulation integrates)."""
    eq = membrane_equation()
    v = eq.lhs.atoms(sp.Function).pop()
    (dv,) = sp.solve(eq, v.diff(t))
    return dv.subs(v, V)


@cache
def trajectory() -> sp.Expr:
    """V(t) from V(0) = V_reset, by ``dsolve``: V_rest + R I + (V_reset − V_rest − R I) e^{−t/τ}."""
    eq = membrane_equation()
    v = eq.lhs.atoms(sp.Function).pop()
    return sp.dsolve(eq, v, ics={v.subs(t, 0): V_reset}).rhs


@cache
def steady_state() -> sp.Expr:
    """V_∞ = lim_{t→∞} V(t) = V_rest + R I."""
    return sp.limit(trajectory(), t, sp.oo)


@cache
def rheobase() -> sp.Expr:
    """The smallest current that fires: V_∞ = V_th solved for I, (V_th − V_rest)/R."""
    (current,) = sp.solve(sp.Eq(steady_state(), V_th), I)
    return current


@cache
def time_to_spike() -> sp.Expr:
    """t*: V(t*) = V_th solved for t, τ ln((R I + V_rest − V_reset)/(R I + V_rest − V_th)) (above the rheobase)."""
    ts = sp.Symbol("t_s", positive=True)
    (solution,) = sp.solve(sp.Eq(trajectory().subs(t, ts), V_th), ts)
    return solution


@cache
def time_to_spike_textbook() -> sp.Expr:
    """The textbook form for reset = rest, τ ln(R I/(R I − (V_th − V_rest))); see :func:`textbook_form_holds`."""
    return tau * sp.log(R * I / (R * I - (V_th - V_rest)))


def textbook_form_holds() -> bool:
    """With the reset at rest (V_reset = V_rest), :func:`time_to_spike` simplifies to the textbook form."""
    return sp.simplify(time_to_spike().subs({V_reset: V_rest}) - time_to_spike_textbook()) == 0


def fires() -> sp.Rel:
    """The condition for spiking: the current exceeds the rheobase."""
    return sp.StrictGreaterThan(I, rheobase())


def firing_rate(spike_time: sp.Expr | None = None) -> sp.Piecewise:
    """f(I) = 1/(t_ref + t*) above the rheobase, 0 below (V never reaches the threshold).

    ``spike_time`` replaces t* (e.g. by a symbol, to show the formula's shape); default :func:`time_to_spike`.
    """
    ts = time_to_spike() if spike_time is None else spike_time
    return sp.Piecewise((1 / (t_ref + ts), fires()), (0, True))


@cache
def interspike_interval() -> sp.Expr:
    """The period of repetitive firing, t_ref + t*."""
    return t_ref + time_to_spike()


@cache
def rate_above_rheobase() -> sp.Expr:
    """f(I) = 1/(t_ref + t*), the rate where the neuron fires."""
    return firing_rate().args[0][0]


@cache
def saturation() -> sp.Expr:
    """lim_{I→∞} 1/(t_ref + t*) = 1/t_ref: at most one spike per refractory period."""
    return sp.limit(1 / interspike_interval(), I, sp.oo)


@cache
def gain() -> sp.Expr:
    """df/dI above the rheobase (``sp.diff``, simplified): how steeply the rate rises with the current."""
    return sp.simplify(sp.diff(rate_above_rheobase(), I))


@cache
def gain_at_rheobase() -> sp.Expr:
    """lim_{I→I_rh⁺} df/dI = ∞: the rate rises with infinite slope at the rheobase."""
    return sp.limit(gain(), I, rheobase(), "+")


@cache
def rate_asymptote() -> sp.Expr:
    """Without a refractory period, f(I) for large I: the first two terms of the series at I → ∞.

    f ≈ (R I + V_rest − V_th)/(τ (V_th − V_reset)) + 1/(2τ): linear in I, like a shifted ReLU.

    With u = 1/I the rate is 1/(τ ln(a(u)/b(u))), a and b linear in u and both R at u = 0, so the logarithm is
    ln a − ln b near u = 0.  Its Taylor polynomial to u², c₁u + c₂u² (c₁ ≠ 0), leaves an O(u³) error, which changes
    1/(τ ln) only at O(u): the series of 1/(τ(c₁u + c₂u²)) has the same two first terms, and SymPy finds it much
    faster than the series of the logarithm's reciprocal.
    """
    u = sp.Symbol("u", positive=True)  # u = 1/I
    rate = (1 / time_to_spike()).subs(I, 1 / u)
    (log,) = rate.atoms(sp.log)
    a, b = sp.fraction(sp.cancel(log.args[0]))
    if not (a.subs(u, 0).is_positive and b.subs(u, 0).is_positive and sp.diff(a, u, 2) == sp.diff(b, u, 2) == 0):
        raise ArithmeticError(f"expected ln(a/b) with a, b linear in u and positive at u = 0, not {log}")
    taylor = sp.series(sp.log(a) - sp.log(b), u, 0, 3).removeO()
    if taylor.coeff(u, 1) == 0:
        raise ArithmeticError("the logarithm's first Taylor coefficient vanishes")
    series = sp.expand(sp.series(rate.xreplace({log: taylor}), u, 0, 1).removeO().subs(u, 1 / I))
    slope = sp.factor(series.coeff(I, 1))
    return slope * I + sp.factor(series.coeff(I, 0))


def rheobase_at_parameters() -> sp.Rational:
    """The rheobase with the parameters of :data:`PARAMETERS` (nA), exactly."""
    return rheobase().subs(PARAMETERS)


def asymptote_line() -> tuple[sp.Rational, sp.Rational]:
    """(slope, offset) of :func:`rate_asymptote` with the parameters of :data:`PARAMETERS`: f ≈ slope·I + offset."""
    line = rate_asymptote().subs(PARAMETERS)
    return line.coeff(I, 1), line.coeff(I, 0)


def example_time_to_spike(current: sp.Rational) -> sp.Expr:
    """t* at ``current`` (nA) with the parameters of :data:`PARAMETERS`, exactly: 10 ln 4 at 2 nA."""
    return time_to_spike().subs(PARAMETERS).subs(I, current)


@cache
def drive() -> sp.Expr:
    """The distance the steady state overshoots the threshold, R I + V_rest − V_th (the log's denominator)."""
    return sp.expand(steady_state() - V_th)


# Where the neuron does not fire, the drive b in log1p(Δ/b) is raised to Δ·10⁻³⁰⁰: ``numpy.where`` evaluates
# both branches, and this keeps the unused one finite (no log of a negative number, no division by zero, no
# overflow).  Where it fires, b ≥ 10⁻¹⁵ Δ for any current a double can hold, so the clip changes nothing.
_CLIP = sp.Float("1e-300")


def _stable_log(expr: sp.Expr) -> sp.Expr:
    """τ ln(a/b) → τ log1p(Δ/b) with Δ = a − b and b the drive: accurate when a/b ≈ 1 (large I)."""
    b = drive()

    def rewrite(e: sp.log) -> sp.Expr:
        num, den = sp.fraction(sp.together(e.args[0]))
        if sp.expand(den - b) != 0:
            raise ValueError(f"expected the drive {b} as the denominator of {e}")
        gap = sp.expand(num - den)
        return log1p(gap / sp.Max(b, _CLIP * gap))

    return expr.replace(lambda e: isinstance(e, sp.log), rewrite)


@cache
def stable_time_to_spike() -> sp.Piecewise:
    """t* where the neuron fires (drive > 0, the same condition as I > rheobase), ∞ where it does not."""
    return sp.Piecewise((_stable_log(time_to_spike()), drive() > 0), (sp.oo, True))


@cache
def stable_firing_rate() -> sp.Piecewise:
    """f(I) in the log1p form of :func:`_stable_log`, 0 where the drive is not positive."""
    return sp.Piecewise((1 / (t_ref + _stable_log(time_to_spike())), drive() > 0), (0, True))


def generated_sources() -> list[tuple[str, str]]:
    """(name, source) of the LIF functions in ``numeric/_generated/neurons.py``."""
    from derive.numerics.codegen import expression_function

    return [
        ("lif_dvdt", expression_function("lif_dvdt", RHS_ARGS, rhs(), "LIF membrane: dV/dt (mV/ms).")),
        (
            "lif_membrane",
            expression_function(
                "lif_membrane",
                (t, I, tau, R, V_rest, V_reset),
                trajectory(),
                "LIF membrane potential V(t) from V(0) = V_reset under a constant current (dsolve).",
            ),
        ),
        (
            "lif_time_to_spike",
            expression_function(
                "lif_time_to_spike",
                SPIKE_ARGS,
                stable_time_to_spike(),
                "LIF time from reset to the next spike (ms); inf at or below the rheobase.",
            ),
        ),
        (
            "lif_rate",
            expression_function(
                "lif_rate",
                RATE_ARGS,
                stable_firing_rate(),
                "LIF firing rate f(I) = 1/(t_ref + t*) in spikes per ms; 0 at or below the rheobase.",
            ),
        ),
    ]


def formulas() -> list[tuple[str, str]]:
    """``nnmath list`` rows of the LIF model."""
    from derive.printing.text import plain

    t_star = sp.Symbol("t*", positive=True)
    rate = firing_rate(t_star)
    return [
        ("lif_dvdt", f"leaky integrate-and-fire membrane: dV/dt = {plain(rhs())}"),
        ("lif_membrane", f"its solution from V(0) = V_reset (dsolve): V(t) = {plain(trajectory())}"),
        ("lif_time_to_spike", f"time to spike (V(t*) = V_th): t* = {plain(time_to_spike())}"),
        ("lif_rate", f"firing rate: f = {plain(rate.args[0][0])} for {plain(rate.args[0][1])}, else 0"),
    ]
