"""Hodgkin–Huxley: stable rate functions at their removable singularities, rest, the spike, the f–I curve."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

import numeric
from derive.numerics.exprel import exprel, exprel_form
from derive.topics.neurons import hodgkin_huxley as hh
from numeric import hodgkin_huxley as sim

P = numeric.HODGKIN_HUXLEY_PARAMETERS


def _generated(name: str):
    return getattr(numeric, f"hh_{name}")


def _reference(expr: sp.Expr, voltage: float, digits: int = 40) -> mpmath.mpf:
    """The textbook rate at ``voltage`` (the exact value of the double) to ``digits`` digits; the limit at 0/0."""
    v = sp.Float(voltage, digits + 10)
    value = expr.subs(hh.V, v).evalf(digits)
    if not value.is_finite or value is sp.nan:
        value = sp.limit(expr, hh.V, sp.Rational(voltage)).evalf(digits)
    return mpmath.mpf(str(value))


# --- symbolic --------------------------------------------------------------------------------------------------------


def test_exprel_class() -> None:
    x = sp.Symbol("x", real=True)
    assert exprel(0) == 1
    assert sp.simplify(exprel(x).rewrite(sp.exp) - (sp.exp(x) - 1) / x) == 0
    assert sp.simplify(sp.diff(exprel(x), x).rewrite(sp.exp) - sp.diff((sp.exp(x) - 1) / x, x)) == 0
    assert abs(exprel(sp.Rational(1, 10**20)).evalf(30) - (1 + sp.Rational(1, 2 * 10**20))) < 1e-35


@pytest.mark.parametrize("name", list(hh.RATES))
def test_stable_rates_equal_the_textbook_rates(name: str) -> None:
    stable = hh.stable_rates()[name]
    assert sp.simplify(stable.rewrite(sp.exp) - hh.RATES[name]) == 0


def test_exprel_form_rewrites_only_the_singular_rates() -> None:
    stable = hh.stable_rates()
    assert {n for n, e in stable.items() if e.has(exprel)} == {"alpha_m", "alpha_n"}
    assert stable["beta_h"].has(sp.Function) and not stable["beta_h"].has(sp.exp)  # σ, not 1/(1 + e^u)
    u = sp.Symbol("u", real=True)
    assert exprel_form(3 * u / (1 - sp.exp(-u / 7)), u) == 21 / exprel(-u / 7)


def test_removable_singularities_are_found_with_their_limits() -> None:
    singular = hh.removable_singularities()
    assert singular == {"alpha_m": (-40, 1), "alpha_n": (-55, sp.Rational(1, 10))}


# --- generated code at and near the singularities -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["alpha_m", "alpha_n"])
def test_generated_rate_is_exact_at_its_singularity(name: str) -> None:
    v0, limit = hh.removable_singularities()[name]
    value = _generated(name)(float(v0))
    assert float(value) == float(limit)  # exactly 1 and 0.1
    naive = sp.lambdify(hh.V, hh.RATES[name], "numpy")
    with np.errstate(invalid="ignore", divide="ignore"):
        assert np.isnan(naive(np.float64(v0)))  # the trap the stable form avoids


@pytest.mark.parametrize("name", ["alpha_m", "alpha_n"])
@pytest.mark.parametrize("offset", [1e-12, -1e-9, 1e-6, -1e-3, 0.5, -20.0])
def test_generated_rate_is_accurate_near_its_singularity(name: str, offset: float) -> None:
    v0, _ = hh.removable_singularities()[name]
    v = float(v0) + offset
    with mpmath.workdps(40):
        expected = float(_reference(hh.RATES[name], v))
    got = float(_generated(name)(v))
    assert abs(got - expected) <= 4 * np.spacing(expected)


def test_naive_rate_loses_digits_that_the_stable_one_keeps() -> None:
    v = -40.0 + 1e-9
    naive = float(sp.lambdify(hh.V, hh.RATES["alpha_m"], "numpy")(np.float64(v)))
    with mpmath.workdps(40):
        expected = float(_reference(hh.RATES["alpha_m"], v))
    assert abs(naive / expected - 1) > 1e-12  # 5e-11 measured, ~2e5 ulp: cancellation in 1 − e^{−(V+40)/10}
    assert abs(float(numeric.hh_alpha_m(v)) / expected - 1) < 4e-16


def test_generated_functions_are_finite_without_warnings_on_a_wide_grid() -> None:
    v = np.concatenate([np.linspace(-200.0, 200.0, 4001), [-40.0, -55.0, -35.0, -65.0]])
    for name in (*hh.RATES, "m_inf", "h_inf", "n_inf", "tau_m", "tau_h", "tau_n"):
        values = _generated(name)(v)
        assert np.all(np.isfinite(values)), name
    assert np.all((numeric.hh_m_inf(v) >= 0) & (numeric.hh_m_inf(v) <= 1))


def test_generated_right_hand_side_equals_sympy() -> None:
    rng = np.random.default_rng(6)
    rhs = hh.rhs().subs(hh.PARAMETERS)
    for _ in range(5):
        v, m, h, n = rng.uniform(-90, 40), *rng.uniform(0, 1, 3)
        current = rng.uniform(0, 20)
        at = {hh.V: v, hh.m: m, hh.h: h, hh.n: n, hh.I: current}
        expected = [float(e.subs(at).evalf(30)) for e in rhs]
        got = [
            float(numeric.hh_dvdt(v, m, h, n, current, **P)),
            float(numeric.hh_dmdt(v, m)),
            float(numeric.hh_dhdt(v, h)),
            float(numeric.hh_dndt(v, n)),
        ]
        np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-13)


# --- rest ------------------------------------------------------------------------------------------------------------


def test_resting_potential_is_the_fixed_point() -> None:
    v_rest = hh.resting_potential()
    assert abs(float(v_rest) + 65) < 0.01  # the convention: rest near −65 mV (E_L = −54.387 makes it so)
    assert abs(hh._reduced_current().subs(hh.V, v_rest)) < 1e-25
    assert sim.fixed_point() == pytest.approx(float(v_rest), abs=1e-11)
    run = sim.simulate(0.0, 200.0, sim.gates_at_rest(-60.0), sample=1.0, rtol=1e-10, atol=1e-12)
    assert abs(run.V[0, -1] - float(v_rest)) < 1e-6
    assert sim.simulate(0.0, 200.0, sample=1.0).spikes() == [pytest.approx([])]


def test_rest_is_stable_and_loses_stability_near_9_8() -> None:
    eigen = hh.eigenvalues_at(sp.S.Zero)
    assert all(z.real < 0 for z in eigen)
    assert 9.7 < hh.hopf_current(9.0, 10.5, 1e-3) < 9.85  # the known Hopf current, 9.78 µA/cm²


# --- the spike and the f–I curve -------------------------------------------------------------------------------------


def test_action_potential_peak_and_undershoot() -> None:
    tight = sim.simulate(10.0, 20.0, rtol=1e-10, atol=1e-10)
    loose = sim.simulate(10.0, 20.0)
    peak = tight.V[0].max()
    assert 38.0 < peak < 45.0  # overshoot to about +40 mV
    assert abs(peak - loose.V[0].max()) < 1e-3  # converged in the tolerance
    first = tight.spikes()[0][0]
    assert 1.0 < first < 3.0
    assert tight.V[0][tight.t > first].min() < -70.0  # undershoot below rest (towards E_K)


def test_firing_threshold_of_a_step_from_rest() -> None:
    low, high = sim.threshold_current(0.0, 4.0, sim.single_spike, 100.0, points=9, rounds=2, rtol=1e-8, atol=1e-8)
    assert 2.0 <= low < high <= 2.5 and high - low <= 4.0 / 64


def test_each_neuron_of_a_batch_spikes_as_it_does_alone() -> None:
    """Neurons that finish leave the batch's arrays; every neuron's steps and spike times stay its own, bit for bit."""
    currents = np.array([0.0, 2.5, 10.0, 30.0])
    batch = sim.spike_trains(currents, 60.0, rtol=1e-6, atol=1e-6).spikes()
    for current, times in zip(currents, batch, strict=True):
        assert np.array_equal(times, sim.spike_trains(np.array([current]), 60.0, rtol=1e-6, atol=1e-6).times[0])


def test_threshold_search_with_its_first_round_already_simulated() -> None:
    """``first``: the first round's trains simulated elsewhere (in a bigger batch) give the same bracket and train."""
    kw = {"rtol": 1e-6, "atol": 1e-6}
    grid = np.linspace(0.0, 4.0, 9)
    batch = sim.spike_trains(np.concatenate([[30.0], grid]), 100.0, **kw)
    first = sim.SpikeTrains(batch.duration, batch.times[1:])
    a = sim.threshold_search(0.0, 4.0, sim.single_spike, 100.0, points=9, rounds=2, **kw)
    b = sim.threshold_search(0.0, 4.0, sim.single_spike, 100.0, points=9, rounds=2, first=first, **kw)
    assert a[:2] == b[:2] and np.array_equal(a[2].times[0], b[2].times[0])


def test_threshold_search_with_its_rounds_simulated_beforehand(monkeypatch: pytest.MonkeyPatch) -> None:
    """``known``: every round's currents (:func:`search_grids`) simulated beforehand, in one batch with a run of another
    duration, give the same bracket and train as the search alone, which then simulates nothing."""
    kw = {"rtol": 1e-6, "atol": 1e-6}
    alone = sim.threshold_search(0.0, 4.0, sim.single_spike, 100.0, points=9, rounds=2, **kw)
    grid = sim.search_grids(0.0, 4.0, 2.2, points=9, rounds=2)
    assert grid.size == 16 and alone[0] < 2.2 <= alone[1]
    trains, other = sim.spike_train_batches([(grid, 100.0), (np.array([30.0]), 50.0)], **kw)
    assert np.array_equal(other.times[0], sim.spike_trains(np.array([30.0]), 50.0, **kw).times[0])
    known = dict(zip(grid.tolist(), trains.times, strict=True))
    monkeypatch.setattr(sim, "spike_trains", None)  # nothing left to simulate
    searched = sim.threshold_search(0.0, 4.0, sim.single_spike, 100.0, points=9, rounds=2, known=known, **kw)
    assert alone[:2] == searched[:2] and np.array_equal(alone[2].times[0], searched[2].times[0])


def test_f_i_curve_no_sustained_firing_below_about_6_and_type_ii_onset() -> None:
    currents = np.array([0.0, 2.0, 4.0, 6.0, 6.25, 6.5, 8.0, 10.0, 20.0, 30.0])
    rates = sim.firing_rates(currents, 1000.0, 500.0, rtol=1e-6, atol=1e-6)
    below, above = rates[currents <= 6.25], rates[currents >= 6.5]
    assert np.all(below == 0.0)
    assert np.all(above > 50.0)  # firing starts at about 50 Hz, not at 0 (type II)
    assert np.all(np.diff(above) > 0)


def test_a_step_of_6_25_fires_a_burst_that_stops() -> None:
    """Erratum (issue 13): 6.25 µA/cm² was reported as repetitive firing; it is a burst of 8 spikes."""
    run = sim.simulate(6.25, 1000.0, rtol=1e-8, atol=1e-8, sample=0.05)
    spikes = run.spikes()[0]
    assert len(spikes) == 8 and spikes[-1] < 150.0
    assert sim.sustained(100.0)(run) == [False]
    assert sim.firing_rates(np.array([6.25]), 1000.0, 500.0, rtol=1e-8, atol=1e-8)[0] == 0.0


def test_sustained_onset_and_its_rate() -> None:
    """Erratum (issue 13): sustained firing (2 spikes in the last 100 ms of 1000 ms) starts at 6.260 µA/cm², 50 Hz."""
    kw = {"rtol": 1e-6, "atol": 1e-6}
    low, high = sim.threshold_current(6.25, 6.27, sim.sustained(100.0), 1000.0, points=5, rounds=2, **kw)
    assert (low, high) == pytest.approx((6.26, 6.26125), abs=1e-12)
    rate = sim.firing_rates(np.array([high]), 1000.0, 500.0, **kw)[0]
    assert rate == pytest.approx(50.61, abs=0.05)  # over the last 500 ms, 0.001 µA/cm² above the onset


def test_record_reports_the_sustained_onset_and_the_peak_at_the_maximum() -> None:
    """The page's numbers (the cached record): the onset bisected to 2⁻¹¹ µA/cm², the peak at the maximum of V."""
    from nnmath import records
    from nnmath.topics.neurons import TOPIC, measurements

    hh_page = records.records([TOPIC], progress=False)[0]["neurons"]["models"]["hodgkin_huxley"]
    assert hh_page["onset"] == pytest.approx([6.259765625, 6.26025390625], abs=1e-12)
    assert hh_page["onset_resolution"] == 0.25 / 8**3
    assert hh_page["onset_rate"] == pytest.approx(50.30, abs=0.02)  # not 46.2 Hz (a burst, measured on 300 ms)
    assert (hh_page["duration"], hh_page["last"], hh_page["window"]) == (1000.0, 100.0, 500.0)
    run = sim.simulate(measurements.HH_STEP, 5.0, sample=1e-4)
    k = int(np.argmax(run.V[0]))
    assert hh_page["peak_time"] == pytest.approx(run.t[k], abs=1e-3)  # the maximum of V, not the 0 mV crossing
    assert hh_page["peak"] == pytest.approx(run.V[0, k], abs=1e-3)
    assert hh_page["peak_time"] - hh_page["crossing"] > 0.2
