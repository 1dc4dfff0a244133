"""Simulating the leaky integrate-and-fire neuron with a standard ODE integrator.

The membrane's right-hand side is the generated :func:`numeric._generated.neurons.lif_dvdt`; SciPy's
``solve_ivp`` integrates it and its event detection finds the threshold crossings.  After a spike the
potential is reset and held for the refractory period.  Nothing here uses the closed-form solution, so
the simulation is an independent check of the derived time to spike and firing rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from numeric._generated.neurons import LIF_PARAMETERS, lif_dvdt

RTOL = 1e-10
ATOL = 1e-10


@dataclass(frozen=True)
class LifRun:
    """A simulated LIF neuron: sampled membrane potential and spike times (ms)."""

    t: np.ndarray
    V: np.ndarray
    spikes: np.ndarray

    def rate(self) -> float:
        """Spikes per ms from the mean interspike interval (0 with fewer than two spikes)."""
        if len(self.spikes) < 2:
            return 0.0
        return (len(self.spikes) - 1) / (self.spikes[-1] - self.spikes[0])


def simulate(
    current: float,
    duration: float,
    parameters: dict[str, float] | None = None,
    *,
    sample: float = 0.05,
    max_spikes: int | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> LifRun:
    """Integrate τ dV/dt = −(V − V_rest) + R I from V(0) = V_reset for ``duration`` ms.

    Args:
        current: The constant input current I (nA).
        duration: Simulated time (ms).
        parameters: ``tau, R, V_rest, V_th, V_reset, t_ref``; default :data:`LIF_PARAMETERS`.
        sample: Spacing of the returned samples of V (ms); spike times are exact event times.
        max_spikes: Stop after this many spikes.
        rtol, atol: Tolerances of ``solve_ivp`` (RK45).
    """
    p = {**LIF_PARAMETERS, **(parameters or {})}
    if not np.isfinite(current):
        raise ValueError(f"current must be finite, not {current}")
    if not p["V_reset"] < p["V_th"]:
        raise ValueError(f"V_reset ({p['V_reset']}) must be below V_th ({p['V_th']})")

    def rhs(_t: float, y: np.ndarray) -> np.ndarray:
        return lif_dvdt(y, current, p["tau"], p["R"], p["V_rest"])

    def threshold(_t: float, y: np.ndarray) -> float:
        return y[0] - p["V_th"]

    threshold.terminal = True
    threshold.direction = 1.0

    ts, vs, spikes = [], [], []
    start, v0 = 0.0, p["V_reset"]
    while start < duration and (max_spikes is None or len(spikes) < max_spikes):
        grid = np.arange(start, duration, sample)
        sol = solve_ivp(
            rhs, (start, duration), [v0], events=threshold, dense_output=True, rtol=rtol, atol=atol, method="RK45"
        )
        end = sol.t_events[0][0] if len(sol.t_events[0]) else sol.t[-1]
        grid = grid[grid < end]
        ts.append(grid)
        vs.append(sol.sol(grid)[0])
        if not len(sol.t_events[0]):
            break
        spikes.append(end)
        hold = np.arange(end, min(end + p["t_ref"], duration), sample)  # refractory: clamped at reset
        ts.append(hold)
        vs.append(np.full(hold.shape, p["V_reset"]))
        start, v0 = end + p["t_ref"], p["V_reset"]
    return LifRun(np.concatenate(ts), np.concatenate(vs), np.asarray(spikes))
