"""Simulating the Hodgkin–Huxley neuron with the generated right-hand sides.

The four ODEs are :func:`~numeric._generated.neurons.hh_dvdt` and ``hh_dmdt``/``hh_dhdt``/``hh_dndt``
(``solve_ivp`` calls their unconverted forms ``hh_dvdt_raw``…),
printed from :mod:`derive.topics.neurons.hodgkin_huxley` with the rate functions in their finite (exprel) form.
``solve_ivp`` integrates many neurons at once (one per current: the state is stacked), which makes an
f–I curve one integration.  Units: mV, ms, µA/cm²; rates in Hz.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from numeric._generated.neurons import (
    HODGKIN_HUXLEY_PARAMETERS,
    hh_dhdt_raw,
    hh_dmdt_raw,
    hh_dndt_raw,
    hh_dvdt,
    hh_dvdt_raw,
    hh_h_inf,
    hh_m_inf,
    hh_n_inf,
)

SPIKE_THRESHOLD = 0.0  # mV: a spike is an upward crossing of 0 mV
RTOL = 1e-8
ATOL = 1e-8
Current = float | np.ndarray | Callable[[float], float | np.ndarray]


@dataclass(frozen=True)
class HHRun:
    """A simulation: times (T,), states (4, N, T) in the order V, m, h, n; one column per neuron."""

    t: np.ndarray
    y: np.ndarray

    @property
    def V(self) -> np.ndarray:  # noqa: N802 - the membrane potential's name
        """Membrane potential, (N, T)."""
        return self.y[0]

    def spikes(self, threshold: float = SPIKE_THRESHOLD) -> list[np.ndarray]:
        """Each neuron's spike times: upward crossings of ``threshold``, linearly interpolated."""
        return [crossings(self.t, v, threshold) for v in self.V]


def crossings(t: np.ndarray, v: np.ndarray, level: float) -> np.ndarray:
    """Times where ``v`` crosses ``level`` upward, linearly interpolated between samples."""
    i = np.flatnonzero((v[:-1] < level) & (v[1:] >= level))
    return t[i] + (level - v[i]) * (t[i + 1] - t[i]) / (v[i + 1] - v[i])


def gates_at_rest(voltage: float | np.ndarray) -> np.ndarray:
    """(V, m_∞(V), h_∞(V), n_∞(V)): the state with every gate at its steady state."""
    v = np.asarray(voltage, dtype=float)
    return np.stack([v, hh_m_inf(v), hh_h_inf(v), hh_n_inf(v)])


def fixed_point(current: float = 0.0, parameters: dict[str, float] | None = None) -> float:
    """V at the steady state under a constant current (brentq on dV/dt with the gates at steady state)."""
    p = {**HODGKIN_HUXLEY_PARAMETERS, **(parameters or {})}

    def dv(v: float) -> float:
        _, m, h, n = gates_at_rest(v)
        return float(hh_dvdt(v, m, h, n, current, **p))

    return brentq(dv, -90.0, 0.0, xtol=1e-14, rtol=4 * np.finfo(float).eps)


def rhs(current: Current, parameters: dict[str, float] | None = None) -> Callable[[float, np.ndarray], np.ndarray]:
    """The right-hand side for ``solve_ivp`` of N stacked neurons: y = (V₁…V_N, m₁…m_N, h₁…h_N, n₁…n_N).

    The parameters and a constant current are converted to float64 once, here; each call evaluates the generated
    unconverted forms (``hh_dvdt_raw``…), the same printed expressions as ``hh_dvdt``… without their conversions.
    """
    p = {k: float(value) for k, value in {**HODGKIN_HUXLEY_PARAMETERS, **(parameters or {})}.items()}
    constant = None if callable(current) else np.asarray(current, dtype=np.float64)

    def f(t: float, y: np.ndarray) -> np.ndarray:
        v, m, h, n = np.asarray(y, dtype=np.float64).reshape(4, -1)
        i = constant if constant is not None else np.asarray(current(t), dtype=np.float64)
        return np.concatenate(
            [hh_dvdt_raw(v, m, h, n, i, **p), hh_dmdt_raw(v, m), hh_dhdt_raw(v, h), hh_dndt_raw(v, n)]
        )

    return f


def simulate(
    current: Current,
    duration: float,
    initial: np.ndarray | None = None,
    *,
    parameters: dict[str, float] | None = None,
    sample: float = 0.01,
    rtol: float = RTOL,
    atol: float = ATOL,
    max_step: float = np.inf,
) -> HHRun:
    """Integrate N neurons for ``duration`` ms; sampled every ``sample`` ms from the dense output.

    Args:
        current: µA/cm²: a number, an array (one current per neuron) or a function of t returning either.
        duration: Simulated time (ms).
        initial: (4,) or (4, N) start state; default: rest at I = 0 (:func:`fixed_point`).
        parameters: Overrides of :data:`HODGKIN_HUXLEY_PARAMETERS`.
        sample: Spacing of the returned samples (ms).
        rtol, atol, max_step: Passed to ``solve_ivp`` (RK45).
    """
    size = 1 if callable(current) else np.size(current)
    if initial is None:
        initial = gates_at_rest(fixed_point(0.0, parameters))
    y0 = np.broadcast_to(np.asarray(initial, dtype=float).reshape(4, -1), (4, size)).ravel()
    t = np.arange(0.0, duration + sample / 2, sample)
    f = rhs(current if callable(current) else np.asarray(current, dtype=float).ravel(), parameters)
    sol = solve_ivp(f, (0.0, t[-1]), y0, t_eval=t, rtol=rtol, atol=atol, max_step=max_step, method="RK45")
    if not sol.success:
        raise RuntimeError(f"Hodgkin–Huxley integration failed: {sol.message}")
    return HHRun(sol.t, sol.y.reshape(4, size, -1))


def firing_rates(currents: np.ndarray, duration: float = 1000.0, window: float = 500.0, **kwargs) -> np.ndarray:
    """Firing rate (Hz) of the sustained firing for each constant current, stepped from rest.

    The rate is (spikes − 1)/(last − first) over the spikes of the last ``window`` ms of a ``duration`` ms run;
    0 where the firing is not sustained (:func:`sustained`): a burst that has stopped has no rate.
    """
    run = simulate(np.asarray(currents, dtype=float), duration, **kwargs)
    rates = []
    for s, on in zip(run.spikes(), sustained()(run), strict=True):
        late = s[s > run.t[-1] - window]
        rates.append(1000.0 * (len(late) - 1) / (late[-1] - late[0]) if on else 0.0)
    return np.asarray(rates)


def threshold_current(
    low: float,
    high: float,
    fires: Callable[[HHRun], list[bool]],
    duration: float,
    *,
    points: int = 9,
    rounds: int = 3,
    **kwargs,
) -> tuple[float, float]:
    """A bracket (a, b) of the smallest step current (from rest) for which ``fires`` holds.

    Each round simulates ``points`` currents spanning the bracket in one batch and keeps the interval between
    the last current that does not fire and the first that does; the bracket shrinks by (points − 1) per round.
    """
    for _ in range(rounds):
        grid = np.linspace(low, high, points)
        result = np.asarray(fires(simulate(grid, duration, **kwargs)), dtype=bool)
        if result[0] or not result[-1]:
            raise ValueError(f"the criterion does not change between I = {low} and {high}")
        k = int(np.argmax(result))
        low, high = grid[k - 1], grid[k]
    return float(low), float(high)


def single_spike(run: HHRun) -> list[bool]:
    """Which neurons spiked at least once."""
    return [len(s) >= 1 for s in run.spikes()]


def sustained(last: float = 100.0) -> Callable[[HHRun], list[bool]]:
    """A criterion: at least two spikes in the last ``last`` ms of the run (the firing has not died out).

    Just below the onset a step fires a burst that stops (8 spikes in 140 ms at 6.25 µA/cm²; bursts grow
    longer as the current nears the onset), so the run must be long and the spikes counted at its end.
    """

    def fires(run: HHRun) -> list[bool]:
        return [np.count_nonzero(s > run.t[-1] - last) >= 2 for s in run.spikes()]

    return fires


def peak_time(run: HHRun, start: float, stop: float, neuron: int = 0) -> tuple[float, float]:
    """(time, V) of the maximum of V between ``start`` and ``stop`` ms: the sample at the maximum, refined by the
    parabola through it and its two neighbours (vertex t₀ − ½·Δt·(V₊ − V₋)/(V₊ − 2V₀ + V₋))."""
    inside = np.flatnonzero((run.t >= start) & (run.t <= stop))
    k = inside[int(np.argmax(run.V[neuron, inside]))]
    v_minus, v0, v_plus = run.V[neuron, k - 1 : k + 2]
    curvature = v_plus - 2 * v0 + v_minus
    dt = run.t[k + 1] - run.t[k]
    shift = 0.5 * (v_plus - v_minus) / curvature
    return float(run.t[k] - shift * dt), float(v0 - 0.25 * (v_plus - v_minus) * shift)
