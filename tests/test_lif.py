"""Leaky integrate-and-fire: SymPy's solution, time to spike and rate, against a solve_ivp simulation."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive.topics.neurons import lif
from numeric import LIF_PARAMETERS, lif_dvdt, lif_membrane, lif_rate, lif_time_to_spike
from numeric import lif as simulation

P = LIF_PARAMETERS
ARGS = tuple(P[k] for k in ("tau", "R", "V_rest", "V_th", "V_reset"))
RHEOBASE = (P["V_th"] - P["V_rest"]) / P["R"]
# From just above the rheobase (t* ≈ 69 ms) to 20× it (t* ≈ 0.5 ms).
MULTIPLES = (1.01, 1.03, 1.1, 1.3, 1.6, 2.0, 3.0, 5.0, 10.0, 20.0)


# --- symbolic --------------------------------------------------------------------------------------------------------


def test_dsolve_solution_satisfies_the_ode_and_starts_at_reset() -> None:
    eq = lif.membrane_equation()
    v = eq.lhs.atoms(sp.Function).pop()
    assert sp.checkodesol(eq, sp.Eq(v, lif.trajectory())) == (True, 0)
    assert sp.simplify(lif.trajectory().subs(lif.t, 0) - lif.V_reset) == 0


def test_steady_state_and_rheobase() -> None:
    assert sp.simplify(lif.steady_state() - (lif.V_rest + lif.R * lif.I)) == 0
    assert sp.simplify(lif.rheobase() - (lif.V_th - lif.V_rest) / lif.R) == 0


def test_time_to_spike_reaches_the_threshold() -> None:
    at_spike = lif.trajectory().subs(lif.t, lif.time_to_spike())
    assert sp.simplify(at_spike - lif.V_th) == 0


def test_time_to_spike_is_the_textbook_form_when_reset_is_rest() -> None:
    derived = lif.time_to_spike().subs(lif.V_reset, lif.V_rest)
    assert sp.simplify(derived - lif.time_to_spike_textbook()) == 0


def test_time_to_spike_textbook_form_holds_as_the_pages_say() -> None:
    assert lif.textbook_form_holds()


def test_rate_is_zero_at_the_rheobase_and_saturates_at_one_over_t_ref() -> None:
    firing = lif.firing_rate().args[0][0]
    assert firing == lif.rate_above_rheobase()
    assert sp.limit(firing, lif.I, lif.rheobase(), "+") == 0
    assert sp.limit(firing, lif.I, sp.oo) == 1 / lif.t_ref
    assert lif.saturation() == 1 / lif.t_ref
    assert lif.firing_rate().subs(lif.PARAMETERS).subs(lif.I, sp.Rational(3, 2)) == 0  # exactly at the rheobase


def test_rate_asymptote_is_the_large_current_limit() -> None:
    u = sp.Symbol("u", positive=True)  # u = 1/I → 0+
    difference = (1 / lif.time_to_spike() - lif.rate_asymptote()).subs(lif.I, 1 / u)
    assert sp.limit(difference, u, 0, "+") == 0
    # reset = rest: f ≈ (R I − (V_th − V_rest)/2)/(τ (V_th − V_rest))
    rest = lif.rate_asymptote().subs(lif.V_reset, lif.V_rest)
    expected = (lif.R * lif.I - (lif.V_th - lif.V_rest) / 2) / (lif.tau * (lif.V_th - lif.V_rest))
    assert sp.simplify(rest - expected) == 0
    # with the page's parameters: 1/15 spikes per ms per nA, offset −1/20 per ms; rheobase 3/2 nA
    assert lif.asymptote_line() == (sp.Rational(1, 15), sp.Rational(-1, 20))
    assert lif.rheobase_at_parameters() == sp.Rational(3, 2)


def test_gain_is_infinite_at_the_rheobase() -> None:
    assert sp.simplify(lif.gain() - sp.diff(lif.rate_above_rheobase(), lif.I)) == 0
    assert lif.gain_at_rheobase() == sp.oo


def test_stable_forms_equal_the_derivation_where_the_neuron_fires() -> None:
    b, d = sp.symbols("b d", positive=True)  # the drive R I + V_rest − V_th > 0, and V_th − V_reset > 0
    (current,) = sp.solve(sp.Eq(lif.drive(), b), lif.I)
    stable = lif.stable_time_to_spike()
    assert stable.args[0][1] == (lif.drive() > 0) and stable.args[1][0] == sp.oo
    difference = (stable.args[0][0] - lif.time_to_spike()).subs(lif.I, current).subs(lif.V_reset, lif.V_th - d)
    (clip,) = difference.atoms(sp.Max)
    assert clip.args == (b, sp.Float("1e-300") * d) or set(clip.args) == {b, sp.Float("1e-300") * d}
    unclipped = difference.xreplace({clip: b})  # where b ≥ 1e-300·d, i.e. for every current a double can hold
    assert sp.simplify(sp.expand_log(unclipped.rewrite(sp.log), force=True)) == 0
    for value in (sp.Rational(3, 2) + sp.Rational(1, 10**12), 2, 10**9):
        at = {**lif.PARAMETERS, lif.I: value}
        assert abs((stable.subs(at) - lif.time_to_spike().subs(at)).evalf(40)) < 1e-35


# --- generated code --------------------------------------------------------------------------------------------------


def test_membrane_closed_form_matches_its_ode() -> None:
    t = np.linspace(0.0, 50.0, 11)
    v = lif_membrane(t, 2.0, P["tau"], P["R"], P["V_rest"], P["V_reset"])
    h = 1e-5
    slope = (
        lif_membrane(t + h, 2.0, P["tau"], P["R"], P["V_rest"], P["V_reset"])
        - lif_membrane(t - h, 2.0, P["tau"], P["R"], P["V_rest"], P["V_reset"])
    ) / (2 * h)
    np.testing.assert_allclose(slope, lif_dvdt(v, 2.0, P["tau"], P["R"], P["V_rest"]), rtol=1e-7, atol=1e-9)


def _reference_time_to_spike(current: float | mpmath.mpf, reset: float = P["V_reset"]) -> mpmath.mpf:
    """τ ln((R I + V_rest − V_reset)/(R I + V_rest − V_th)) at mpmath's working precision."""
    tau, r, rest, th, re = (mpmath.mpf(x) for x in (P["tau"], P["R"], P["V_rest"], P["V_th"], reset))
    i = mpmath.mpf(current)
    return tau * mpmath.log((r * i + rest - re) / (r * i + rest - th))


@pytest.mark.parametrize("current", [1.5000001, 1.6, 2.0, 10.0, 1e3, 1e6, 1e9])
def test_generated_time_to_spike_is_accurate_to_its_condition_number(current: float) -> None:
    """Error ≤ 4 ulp times the condition number |I t*'(I)/t*| (large only just above the rheobase)."""
    got = float(lif_time_to_spike(current, *ARGS))
    with mpmath.workdps(40):
        expected = _reference_time_to_spike(current)
        kappa = abs(current * mpmath.diff(_reference_time_to_spike, mpmath.mpf(current)) / expected)
    bound = 4 * np.finfo(float).eps * max(1.0, float(kappa))
    assert abs(got / float(expected) - 1) <= bound
    if current >= 2.0:  # well conditioned: a few ulp
        assert abs(got - float(expected)) <= 4 * np.spacing(float(expected))


def test_log1p_form_keeps_digits_the_naive_log_loses_at_large_currents() -> None:
    currents = np.geomspace(1e3, 1e9, 200)
    with mpmath.workdps(40):
        expected = np.array([float(_reference_time_to_spike(c)) for c in currents])
    tau, r, rest, th, reset = ARGS
    naive = tau * np.log((r * currents + rest - reset) / (r * currents + rest - th))
    generated = lif_time_to_spike(currents, *ARGS)
    assert np.max(np.abs(naive / expected - 1)) > 1e-9  # 6.7e-8 measured: log of a ratio close to 1
    assert np.max(np.abs(generated / expected - 1)) <= 4 * np.finfo(float).eps


def test_generated_functions_below_and_at_the_rheobase() -> None:
    currents = np.array([-5.0, 0.0, 1.0, RHEOBASE])
    assert np.all(np.isinf(lif_time_to_spike(currents, *ARGS)))
    assert np.all(lif_rate(currents, *ARGS, P["t_ref"]) == 0.0)
    assert np.isnan(lif_rate(np.nan, *ARGS, P["t_ref"]))
    assert float(lif_rate(1e12, *ARGS, P["t_ref"])) == pytest.approx(1 / P["t_ref"], rel=1e-9)


# --- against a simulation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [{}, {"V_reset": -70.0}, {"V_reset": -55.0, "t_ref": 0.0}],
    ids=["reset=rest", "reset<rest", "reset>rest"],
)
def test_closed_form_matches_the_simulation_within_1e_3(changes: dict) -> None:
    p = {**P, **changes}
    args = tuple(p[k] for k in ("tau", "R", "V_rest", "V_th", "V_reset"))
    rheobase = (p["V_th"] - p["V_rest"]) / p["R"]
    t_errors, rate_errors = [], []
    for k in MULTIPLES:
        current = k * rheobase
        t_star = float(lif_time_to_spike(current, *args))
        rate = float(lif_rate(current, *args, p["t_ref"]))
        run = simulation.simulate(current, 6 * (t_star + p["t_ref"]), p, sample=1.0, max_spikes=5)
        assert len(run.spikes) == 5
        t_errors.append(abs(run.spikes[0] / t_star - 1))
        rate_errors.append(abs(run.rate() / rate - 1))
    assert max(t_errors) < 1e-3 and max(rate_errors) < 1e-3
    assert max(t_errors) < 1e-8 and max(rate_errors) < 1e-8  # what the tolerances 1e-10 actually give


def test_no_spike_below_the_rheobase_in_the_simulation() -> None:
    run = simulation.simulate(0.99 * RHEOBASE, 500.0, sample=1.0)
    assert len(run.spikes) == 0
    v_inf = P["V_rest"] + P["R"] * 0.99 * RHEOBASE
    assert run.V[-1] == pytest.approx(v_inf, abs=1e-6)
    assert run.rate() == 0.0


def test_refractory_period_holds_the_potential_at_reset() -> None:
    run = simulation.simulate(3.0, 30.0, sample=0.01, max_spikes=2)
    first = run.spikes[0]
    held = (run.t >= first) & (run.t < first + P["t_ref"])
    assert held.any() and np.all(run.V[held] == P["V_reset"])
    assert run.spikes[1] - run.spikes[0] == pytest.approx(float(lif_time_to_spike(3.0, *ARGS)) + P["t_ref"], rel=1e-8)


def test_simulation_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="V_reset"):
        simulation.simulate(2.0, 10.0, {"V_reset": -40.0})
    with pytest.raises(ValueError, match="current"):
        simulation.simulate(float("nan"), 10.0)


# --- the exercise for the sheets -------------------------------------------------------------------------------------


def test_exercise_answers_match_the_generated_code_and_a_simulation() -> None:
    import random

    from derive.exercises.lif import lif_exercise

    for seed in range(20):
        ex = lif_exercise(random.Random(seed))
        assert ex == lif_exercise(random.Random(seed))  # deterministic for a seed
        given = [float(q.value) for q in ex.given]
        tau, r, rest, th, t_ref, current = given
        args = (tau, r, rest, th, rest)
        i_rh, v_inf, t_star, f = (float(q.value) for q in ex.answers)
        assert i_rh == pytest.approx((th - rest) / r, rel=1e-15) and current > i_rh
        assert v_inf == pytest.approx(rest + r * current, rel=1e-15)
        assert t_star == pytest.approx(float(lif_time_to_spike(current, *args)), rel=1e-14)
        assert f == pytest.approx(1000 * float(lif_rate(current, *args, t_ref)), rel=1e-14)
        assert all(isinstance(q.value, sp.Basic) and q.value.free_symbols == set() for q in ex.solution)
    p = {"tau": tau, "R": r, "V_rest": rest, "V_th": th, "V_reset": rest, "t_ref": t_ref}
    run = simulation.simulate(current, 10 * (t_star + t_ref), p, sample=1.0, max_spikes=3)
    assert run.spikes[0] == pytest.approx(t_star, rel=1e-8)


def test_the_rate_neuron_keeps_the_background_current() -> None:
    """Erratum (issue 13): I = I₀ + Σwx is defined, so the rate of the weighted sum keeps I₀."""
    from derive.topics.neurons import equations

    eqs = equations.rate_neuron_equations()
    i0 = equations.BACKGROUND
    assert eqs["current"].rhs.has(i0) and eqs["composed"].rhs.has(i0)
    drive = eqs["current"].rhs
    assert sp.simplify(eqs["composed"].rhs - lif.rate_above_rheobase().subs(lif.I, drive)) == 0
    assert sp.diff(eqs["composed"].rhs, i0) != 0
