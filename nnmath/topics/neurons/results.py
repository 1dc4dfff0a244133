"""What the neuron-model pages, handout and figures report: simulations against the derivations, measured.

Every number here is computed when it is asked for (and kept for the rest of the process): the LIF
closed form against a ``solve_ivp`` simulation, the Hodgkin–Huxley resting potential, spike peak,
thresholds and f–I curve, the Morris–Lecar fixed points and their eigenvalues.  Coarse grids keep the
whole set to a few seconds.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import sympy as sp

from derive.topics.neurons import hodgkin_huxley as hh_model
from derive.topics.neurons import lif as lif_model
from derive.topics.neurons import morris_lecar as ml_model
from numeric import LIF_PARAMETERS, lif, lif_rate, lif_time_to_spike
from numeric import hodgkin_huxley as hh

# LIF: currents as multiples of the rheobase; the simulation keeps this many spikes.
LIF_MULTIPLES = (1.02, 1.05, 1.1, 1.2, 1.35, 1.5, 2.0, 2.5, 3.0, 4.0)
LIF_SPIKES = 5
# Hodgkin–Huxley: the step current of the spike figure, and the f–I grid (µA/cm²).
HH_STEP = 10.0
# One batch: fine steps where firing starts, coarse above (the onset's bracket is one step of this grid).
HH_CURRENTS = tuple([i / 4 for i in range(41)] + [float(i) for i in range(11, 31)])
HH_TOLERANCE = 1e-6  # f–I curve and thresholds (the spike itself: numeric.hodgkin_huxley.RTOL)
HH_DURATION = 300.0
HH_TRANSIENT = 100.0


def lif_arguments(p: dict[str, float] = LIF_PARAMETERS) -> tuple[float, ...]:
    """(tau, R, V_rest, V_th, V_reset) for the generated LIF functions."""
    return tuple(p[k] for k in ("tau", "R", "V_rest", "V_th", "V_reset"))


def lif_rheobase(p: dict[str, float] = LIF_PARAMETERS) -> float:
    """The rheobase (nA) of a parameter set, from the derived expression."""
    return float(lif_model.rheobase().subs({s: p[s.name] for s in lif_model.rheobase().free_symbols}))


def lif_asymptote(p: dict[str, float] = LIF_PARAMETERS) -> tuple[float, float]:
    """(slope, offset) of the derived large-current asymptote f ≈ slope·I + offset (no refractory period)."""
    line = lif_model.rate_asymptote().subs({s: p[s.name] for s in lif_model.PARAMETERS})
    return float(line.coeff(lif_model.I, 1)), float(line.coeff(lif_model.I, 0))


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
        "eigenvalues": hh_model.eigenvalues_at(sp.S.Zero),
    }


@cache
def hh_spike() -> dict:
    """One action potential and the train after it: a step of :data:`HH_STEP` µA/cm² from rest, 50 ms."""
    run = hh.simulate(HH_STEP, 50.0)
    spikes = run.spikes()[0]
    first = run.t < spikes[0] + 5.0
    return {
        "t": run.t,
        "y": run.y[:, 0, :],
        "spikes": spikes,
        "peak": float(run.V[0, first].max()),
        "minimum_after": float(run.V[0, (run.t > spikes[0]) & (run.t < spikes[1])].min()),
    }


@cache
def hh_fi() -> dict:
    """The f–I curve (Hz) on :data:`HH_CURRENTS`, and the thresholds: one spike, and repetitive firing."""
    kw = {"rtol": HH_TOLERANCE, "atol": HH_TOLERANCE}
    rates = hh.firing_rates(np.asarray(HH_CURRENTS), HH_DURATION, HH_TRANSIENT, **kw)
    k = int(np.argmax(rates > 0))
    onset = (HH_CURRENTS[k - 1], HH_CURRENTS[k])
    single = hh.threshold_current(0.0, HH_CURRENTS[k], hh.single_spike, 100.0, rounds=2, **kw)
    onset_rate = float(rates[k])
    return {
        "currents": list(HH_CURRENTS),
        "rates": rates.tolist(),
        "onset": onset,
        "onset_rate": onset_rate,
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
