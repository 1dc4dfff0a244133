"""The neuron models simulated and measured against their derivations.

Every number here is computed when it is asked for (and kept for the rest of the process): the LIF
closed form against a ``solve_ivp`` simulation, the Hodgkin–Huxley resting potential, spike peak,
thresholds and f–I curve, the Morris–Lecar fixed points and whether simulations started next to them
come back.  Coarse grids keep the whole set to a few seconds.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from derive.topics.neurons import hodgkin_huxley as hh_model
from derive.topics.neurons import lif as lif_model
from derive.topics.neurons import morris_lecar as ml_model
from numeric import LIF_PARAMETERS, lif, lif_rate, lif_time_to_spike
from numeric import hodgkin_huxley as hh
from numeric import morris_lecar as ml

# LIF: currents as multiples of the rheobase; the simulation keeps this many spikes.
LIF_MULTIPLES = (1.02, 1.05, 1.1, 1.2, 1.35, 1.5, 2.0, 2.5, 3.0, 4.0)
LIF_SPIKES = 5
# Hodgkin–Huxley: the step current of the spike figure, and the f–I grid (µA/cm²).
HH_STEP = 10.0
HH_TRAIN = 50.0  # ms: the run of the spike figure
# One batch: fine steps where firing starts, coarse above (the onset's bracket is one step of this grid).
HH_CURRENTS = tuple([i / 4 for i in range(41)] + [float(i) for i in range(11, 31)])
# f–I curve and thresholds: each neuron's own steps (numeric.hodgkin_huxley.spike_trains); the spike itself: RTOL.
HH_TOLERANCE = 3e-7
# Sustained firing: a step of HH_DURATION ms from rest still gives at least two spikes in its last HH_LAST ms.
HH_DURATION = 1000.0
HH_LAST = 100.0
# The rate of sustained firing: (spikes − 1)/(last − first) over the spikes of the last HH_WINDOW ms.
HH_WINDOW = 500.0
# The onset: HH_ROUNDS rounds of HH_POINTS currents each, from the bracket of the f–I grid: a grid of 8³ steps searched
# in rounds of 8.  Sustained firing starts once on it (all 513 currents from 6.25 to 6.5 simulated: the first 21
# silent, the other 492 firing), so each round keeps the bracket where it starts: the 513-current round's bracket.
HH_POINTS = 9
HH_ROUNDS = 3
# Where sustained firing is expected to start (µA/cm²; measured: 6.2598–6.2603): the f–I batch also simulates the
# currents the onset's rounds and the one-spike threshold ask for if it is there (any other is simulated after).
HH_ONSET_EXPECTED = 6.26
# The one-spike threshold: one round of HH_SINGLE_POINTS currents from 0 to the f–I grid's first sustained current.
HH_SINGLE_POINTS = 65


def lif_arguments(p: dict[str, float] = LIF_PARAMETERS) -> tuple[float, ...]:
    """(tau, R, V_rest, V_th, V_reset) for the generated LIF functions."""
    return tuple(p[k] for k in ("tau", "R", "V_rest", "V_th", "V_reset"))


@cache
def lif_rheobase() -> float:
    """The rheobase (nA) of the page's parameters, from the derived expression."""
    return float(lif_model.rheobase_at_parameters())


def lif_asymptote() -> tuple[float, float]:
    """(slope, offset) of the derived large-current asymptote f ≈ slope·I + offset (no refractory period)."""
    slope, offset = lif_model.asymptote_line()
    return float(slope), float(offset)


@cache
def lif_check() -> dict:
    """Simulated first-spike time and rate against the closed form, at each current of :data:`LIF_MULTIPLES`."""
    rh = lif_rheobase()
    rows = []
    for k in LIF_MULTIPLES:
        current = k * rh
        t_star = float(lif_time_to_spike(current, *lif_arguments()))
        rate = float(lif_rate(current, *lif_arguments(), LIF_PARAMETERS["t_ref"]))
        run = lif.simulate(current, (LIF_SPIKES + 1) * (t_star + LIF_PARAMETERS["t_ref"]), max_spikes=LIF_SPIKES)
        rows.append(
            {
                "current": current,
                "t_star": t_star,
                "t_star_sim": float(run.spikes[0]),
                "rate": rate,
                "rate_sim": run.rate(),
                "t_error": abs(run.spikes[0] / t_star - 1),
                "rate_error": abs(run.rate() / rate - 1),
            }
        )
    return {
        "rheobase": rh,
        "rows": rows,
        "max_t_error": max(r["t_error"] for r in rows),
        "max_rate_error": max(r["rate_error"] for r in rows),
    }


@cache
def hh_rest() -> dict:
    """The resting potential by nsolve (30 digits), by brentq on the generated code, and after 200 ms of simulation."""
    exact = hh_model.resting_potential()
    start = hh.gates_at_rest(-60.0)  # off rest: every gate at its steady state of −60 mV
    run = hh.simulate(0.0, 200.0, start, sample=1.0, rtol=1e-10, atol=1e-12)
    return {
        "nsolve": float(exact),
        "brentq": hh.fixed_point(),
        "simulated": float(run.V[0, -1]),
        "simulation_error": abs(float(run.V[0, -1]) - float(exact)),
        "eigenvalues": hh_model.eigenvalues_at(),
    }


@cache
def hh_spike() -> dict:
    """One action potential and the train after it: a step of :data:`HH_STEP` µA/cm² from rest, :data:`HH_TRAIN` ms.

    The peak is the maximum of V in the first spike (its time: the parabola through the top three samples),
    not the 0 mV crossing; the train's rate is over all its spikes (0 mV crossings) in the run.
    """
    run = hh.simulate(HH_STEP, HH_TRAIN)
    spikes = run.spikes()[0]
    peak_time, peak = hh.peak_time(run, spikes[0], spikes[0] + 5.0)
    return {
        "t": run.t,
        "y": run.y[:, 0, :],
        "spikes": spikes,
        "peak": peak,
        "peak_time": peak_time,
        "crossing": float(spikes[0]),
        "train_rate": float(1000 * (len(spikes) - 1) / (spikes[-1] - spikes[0])),
        "minimum_after": float(run.V[0, (run.t > spikes[0]) & (run.t < spikes[1])].min()),
    }


@cache
def hh_fi() -> dict:
    """The f–I curve (Hz) on :data:`HH_CURRENTS`, and the thresholds: one spike, and sustained firing.

    Sustained firing and its rate as in :func:`numeric.hodgkin_huxley.sustained` and ``firing_rates`` with
    :data:`HH_DURATION`, :data:`HH_LAST` and :data:`HH_WINDOW`; the onset is searched in the grid's bracket by
    :data:`HH_ROUNDS` rounds of :data:`HH_POINTS` currents, and its rate is the rate at the bracket's upper end (from
    the same run); the one-spike threshold by one round of :data:`HH_SINGLE_POINTS` currents.  Every neuron takes its
    own steps (:func:`numeric.hodgkin_huxley.spike_trains`), so the runs are integrated together: the f–I curve, the
    onset's rounds and the one-spike round for the bracket of :data:`HH_ONSET_EXPECTED`, in one batch; a search that
    asks for another current simulates it then.
    """
    kw = {"rtol": HH_TOLERANCE, "atol": HH_TOLERANCE}
    size = len(HH_CURRENTS)
    j = int(np.searchsorted(HH_CURRENTS, HH_ONSET_EXPECTED))  # HH_CURRENTS[j − 1] < expected ≤ HH_CURRENTS[j]
    grids = hh.search_grids(HH_CURRENTS[j - 1], HH_CURRENTS[j], HH_ONSET_EXPECTED, points=HH_POINTS, rounds=HH_ROUNDS)
    rounds = [c for c in grids.tolist() if c not in HH_CURRENTS]  # the first round's ends are on the f–I grid
    single_grid = np.linspace(0.0, HH_CURRENTS[j], HH_SINGLE_POINTS)
    long_runs, short_runs = hh.spike_train_batches(
        [(np.array([*HH_CURRENTS, *rounds]), HH_DURATION), (single_grid, 100.0)], **kw
    )
    rates = hh.rates(hh.SpikeTrains(long_runs.duration, long_runs.times[:size]), HH_WINDOW)
    k = int(np.argmax(rates > 0))
    fires = hh.sustained(HH_LAST)
    *onset, at_onset = hh.threshold_search(
        HH_CURRENTS[k - 1],
        HH_CURRENTS[k],
        fires,
        HH_DURATION,
        points=HH_POINTS,
        rounds=HH_ROUNDS,
        known=dict(zip([*HH_CURRENTS, *rounds], long_runs.times, strict=True)),
        **kw,
    )
    onset_rate = float(hh.rates(at_onset, HH_WINDOW, HH_LAST)[0])
    first = hh.SpikeTrains(short_runs.duration, short_runs.times) if k == j else None
    single = hh.threshold_current(
        0.0, HH_CURRENTS[k], hh.single_spike, 100.0, points=HH_SINGLE_POINTS, rounds=1, first=first, **kw
    )
    return {
        "currents": list(HH_CURRENTS),
        "rates": rates.tolist(),
        "onset": tuple(onset),
        "onset_rate": onset_rate,
        "resolution": (HH_CURRENTS[k] - HH_CURRENTS[k - 1]) / (HH_POINTS - 1) ** HH_ROUNDS,
        "single": single,
        "hopf": hh_model.hopf_current(tolerance=1e-3),
    }


@cache
def ml_analysis() -> list[dict]:
    """Fixed points (nsolve), eigenvalues and types for each example of ``morris_lecar.EXAMPLES``."""
    out = []
    for name, current in ml_model.EXAMPLES:
        points = ml_model.fixed_points(name, current)
        out.append({"set": name, "current": float(current), "points": points})
    return out


def ml_returns(name: str, current: float, point: ml_model.FixedPoint, offset: float = 1e-3) -> int:
    """Started ``offset`` mV from the fixed point in 8 directions: how many runs came back within 10⁻⁶ after 300 ms.

    The 8 runs are integrated together (:func:`numeric.morris_lecar.final_states`, steps shared by all 8).
    """
    angle = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    start = np.array([float(point.V) + offset * np.cos(angle), float(point.w) + offset * np.sin(angle) / 100])
    v, _ = ml.final_states(current, 300.0, start, ml.parameters(name), rtol=1e-10, atol=1e-12)
    return int(np.count_nonzero(abs(v - float(point.V)) < 1e-6))


def ml_nullcline_residual(name: str, current: float, points: tuple[ml_model.FixedPoint, ...]) -> float:
    """The largest difference in w between the fixed points and both nullclines (generated NumPy code)."""
    p = ml.parameters(name)
    residual = 0.0
    for point in points:
        v_null, w_null = ml.nullclines(np.array(float(point.V)), current, p)
        residual = max(residual, abs(float(v_null) - float(point.w)), abs(float(w_null) - float(point.w)))
    return residual
