"""Simulating the Hodgkin–Huxley neuron with the generated right-hand sides.

The four ODEs are :func:`~numeric._generated.neurons.hh_dvdt` and ``hh_dmdt``/``hh_dhdt``/``hh_dndt``
(``solve_ivp`` calls their unconverted forms ``hh_dvdt_raw``…),
printed from :mod:`derive.topics.neurons.hodgkin_huxley` with the rate functions in their finite (exprel) form.
:func:`simulate` gives sampled trajectories (``solve_ivp``, RK45, the neurons stacked into one state and so sharing
its steps).  :func:`spike_trains` gives only spike times, for f–I curves and thresholds: the same Dormand–Prince 5(4)
steps and step-size control as RK45, written out over arrays so that every neuron of a batch takes its own steps (the
steps ``solve_ivp`` would take for it alone) while one NumPy call advances them all.  Units: mV, ms, µA/cm²; rates
in Hz.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.integrate import RK45, solve_ivp
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

    @property
    def duration(self) -> float:
        """Simulated time (ms)."""
        return float(self.t[-1])

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


@dataclass(frozen=True)
class SpikeTrains:
    """The spike times (ms, upward crossings of the threshold) of N neurons, each simulated for ``duration`` ms."""

    duration: float
    times: tuple[np.ndarray, ...]

    def spikes(self) -> list[np.ndarray]:
        """Each neuron's spike times."""
        return list(self.times)


def spike_trains(
    currents: np.ndarray,
    duration: float,
    initial: np.ndarray | None = None,
    *,
    parameters: dict[str, float] | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
    threshold: float = SPIKE_THRESHOLD,
) -> SpikeTrains:
    """Spike times of one neuron per constant current, each integrated with its own adaptive steps.

    Dormand–Prince 5(4) as ``solve_ivp``'s RK45: stages kᵢ = f(y + h·Σⱼ aᵢⱼkⱼ), y₊ = y + h·Σ bᵢkᵢ, the error
    estimate h·Σ eᵢkᵢ in the RMS norm of each neuron's four variables scaled by atol + rtol·max(|y|, |y₊|), the step
    accepted when that norm is below 1 and multiplied by 0.9·norm^(−1/5) clipped to [0.2, 10] (at most 1 right after
    a rejection), the first step as ``solve_ivp`` chooses it.  A spike is located inside its step on the step's
    quartic dense output (RK45's interpolant) by bisection to the last bit.

    Args:
        currents: Step currents (µA/cm²) applied from t = 0, one neuron each.
        duration: Simulated time (ms).
        initial: (4,) or (4, N) start state; default: rest at I = 0 (:func:`fixed_point`).
        parameters: Overrides of :data:`HODGKIN_HUXLEY_PARAMETERS`.
        rtol, atol: Tolerances of each neuron's steps.
        threshold: The spike's upward crossing (mV).
    """
    (trains,) = spike_train_batches(
        [(currents, duration)], initial, parameters=parameters, rtol=rtol, atol=atol, threshold=threshold
    )
    return trains


def spike_train_batches(
    runs: list[tuple[np.ndarray, float]],
    initial: np.ndarray | None = None,
    *,
    parameters: dict[str, float] | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
    threshold: float = SPIKE_THRESHOLD,
) -> list[SpikeTrains]:
    """:func:`spike_trains` of several (currents, duration) runs, integrated together: one NumPy call advances every
    neuron of every run (the cost of a step is mostly the calls, not the neurons), each neuron with its own steps, so
    each run's spike times are those of its own :func:`spike_trains`, bit for bit."""
    current = np.concatenate([np.asarray(c, dtype=np.float64).ravel() for c, _ in runs])
    end = np.concatenate([np.full(np.size(c), float(d)) for c, d in runs])
    times = _spike_times(current, end, initial, parameters, rtol, atol, threshold)
    bounds = np.cumsum([0] + [np.size(c) for c, _ in runs])
    return [SpikeTrains(float(d), times[a:b]) for (_, d), a, b in zip(runs, bounds[:-1], bounds[1:], strict=True)]


def _spike_times(
    current: np.ndarray,
    end: np.ndarray,
    initial: np.ndarray | None,
    parameters: dict[str, float] | None,
    rtol: float,
    atol: float,
    threshold: float,
) -> tuple[np.ndarray, ...]:
    """The spike times of :func:`spike_train_batches`: neuron j driven by current[j] from t = 0 to end[j].

    Written for few NumPy calls per step (the cost of a step for hundreds of neurons): the arrays of the running
    neurons are reused (``out=``), and the neurons that have finished leave them.
    """
    size = current.size
    if initial is None:
        initial = gates_at_rest(fixed_point(0.0, parameters))
    y = np.array(np.broadcast_to(np.asarray(initial, dtype=float).reshape(4, -1), (4, size)))
    f = _batch_rhs(parameters)
    stages = np.empty((7, 4, size))
    f(y, current, stages[0])
    step = _first_step(lambda state, out: f(state, current, out), y, stages[0], rtol, atol)
    t = np.zeros(size)
    rejected = np.zeros(size, dtype=bool)
    neuron = np.arange(size)  # the batch index of each neuron still running: finished neurons leave the arrays
    weights = [np.ascontiguousarray(RK45.A[i, :i]) for i in range(1, 6)] + [RK45.B, RK45.E]
    found = []
    live = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # a trial step too long for the spike: rejected
        while True:
            np.minimum(step, end - t, out=step)
            running = step > 0
            if not running.all():
                if not running.any():
                    break
                neuron, current, step, t, end, rejected = (
                    a[running] for a in (neuron, current, step, t, end, rejected)
                )
                y, stages = y[:, running], np.ascontiguousarray(stages[:, :, running])
            if step.min() < 1e-12:
                raise RuntimeError("Hodgkin–Huxley integration failed: the step size fell below 1e-12 ms")
            if neuron.size != live:
                live = neuron.size
                flat = stages.reshape(7, -1)
                sums, trial, y_new, scale = (np.empty((4, live)) for _ in range(4))
                flat_sums = sums.reshape(-1)
                crossed, held = np.empty(live, dtype=bool), np.empty(live, dtype=bool)
            for i in range(1, 6):  # y + h·Σⱼ aᵢⱼkⱼ
                np.matmul(weights[i - 1], flat[:i], out=flat_sums)
                np.multiply(sums, step, out=sums)
                np.add(y, sums, out=trial)
                f(trial, current, stages[i])
            np.matmul(weights[5], flat[:6], out=flat_sums)  # y₊ = y + h·Σ bᵢkᵢ
            np.multiply(sums, step, out=sums)
            np.add(y, sums, out=y_new)
            f(y_new, current, stages[6])
            np.abs(y, out=scale)  # atol + rtol·max(|y|, |y₊|)
            np.maximum(scale, np.abs(y_new, out=trial), out=scale)
            np.multiply(rtol, scale, out=scale)
            np.add(atol, scale, out=scale)
            np.matmul(weights[6], flat, out=flat_sums)  # the RMS of h·Σ eᵢkᵢ / scale over the four variables
            np.multiply(sums, step, out=sums)
            np.divide(sums, scale, out=sums)
            np.square(sums, out=sums)
            error = np.add.reduce(sums, axis=0)
            np.divide(error, 4, out=error)
            np.sqrt(error, out=error)
            np.fmin(error, np.inf, out=error)  # NaN (an overflowed trial) → ∞: rejected
            accepted = error < 1
            factor = np.power(error, -0.2, out=error)
            np.multiply(0.9, factor, out=factor)
            np.maximum(factor, 0.2, out=factor)
            np.minimum(factor, 10.0, out=factor)
            np.logical_and(accepted, rejected, out=held)
            np.minimum(factor, 1.0, out=factor, where=held)
            np.less(y[0], threshold, out=crossed)
            crossed &= y_new[0] >= threshold
            crossed &= accepted
            if crossed.any():
                k = np.flatnonzero(crossed)
                found.append((neuron[k], t[k], step[k], y[0, k], stages[:, 0, k].T @ RK45.P))
            np.add(t, step, out=t, where=accepted)
            np.copyto(y, y_new, where=accepted)
            np.copyto(stages[0], stages[6], where=accepted)
            np.logical_not(accepted, out=rejected)
            np.multiply(step, factor, out=step)
    return _located(found, size, threshold)


def _batch_rhs(parameters: dict[str, float] | None) -> Callable[[np.ndarray, np.ndarray, np.ndarray], None]:
    """f(y, current, out): the generated unconverted right-hand sides of the (4, N) state y, written into ``out``."""
    p = {k: float(value) for k, value in {**HODGKIN_HUXLEY_PARAMETERS, **(parameters or {})}.items()}
    names = list(inspect.signature(hh_dvdt_raw).parameters)[5:]  # after V, m, h, n, I: the parameters, in order
    values = [p[name] for name in names]

    def f(y: np.ndarray, current: np.ndarray, out: np.ndarray) -> None:
        v, m, h, n = y
        out[0] = hh_dvdt_raw(v, m, h, n, current, *values)
        out[1] = hh_dmdt_raw(v, m)
        out[2] = hh_dhdt_raw(v, h)
        out[3] = hh_dndt_raw(v, n)

    return f


def _first_step(f: Callable, y: np.ndarray, dy: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """Each neuron's first step (ms), chosen as ``solve_ivp`` chooses it (Hairer, Nørsett & Wanner, II.4)."""
    scale = atol + np.abs(y) * rtol
    d0 = np.sqrt(np.mean((y / scale) ** 2, axis=0))
    d1 = np.sqrt(np.mean((dy / scale) ** 2, axis=0))
    h0 = np.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / np.maximum(d1, 1e-300))
    dy1 = np.empty_like(y)
    f(y + h0 * dy, dy1)
    d2 = np.sqrt(np.mean(((dy1 - dy) / scale) ** 2, axis=0)) / h0
    biggest = np.maximum(d1, d2)
    with np.errstate(divide="ignore"):
        h1 = np.where(biggest <= 1e-15, np.maximum(1e-6, h0 * 1e-3), (0.01 / biggest) ** (1 / 5))
    return np.minimum(100 * h0, h1)


def _located(found: list, size: int, threshold: float) -> tuple[np.ndarray, ...]:
    """Each neuron's crossing times: V(t₀ + σh) = v₀ + h·Σⱼ qⱼσ^(j+1) = threshold solved for σ ∈ (0, 1] by bisection."""
    if not found:
        return tuple(np.empty(0) for _ in range(size))
    neuron, start, step, v0, q = (np.concatenate(column) for column in zip(*found, strict=True))
    low, high = np.zeros(neuron.size), np.ones(neuron.size)
    for _ in range(60):
        middle = (low + high) / 2
        s = middle
        above = v0 + step * s * (q[:, 0] + s * (q[:, 1] + s * (q[:, 2] + s * q[:, 3]))) >= threshold
        high, low = np.where(above, middle, high), np.where(above, low, middle)
    times = start + step * high
    order = np.lexsort((times, neuron))
    return tuple(np.split(times[order], np.searchsorted(neuron[order], np.arange(1, size))))


def rates(trains: SpikeTrains, window: float, last: float = 100.0) -> np.ndarray:
    """Firing rate (Hz) of each train: (spikes − 1)/(last − first) over its spikes in the last ``window`` ms,
    0 where the firing is not sustained (:func:`sustained` with ``last``)."""
    out = []
    for s, on in zip(trains.spikes(), sustained(last)(trains), strict=True):
        late = s[s > trains.duration - window]
        out.append(1000.0 * (len(late) - 1) / (late[-1] - late[0]) if on else 0.0)
    return np.asarray(out)


def firing_rates(
    currents: np.ndarray, duration: float = 1000.0, window: float = 500.0, *, rtol: float = RTOL, atol: float = ATOL
) -> np.ndarray:
    """Firing rate (Hz) of the sustained firing for each constant current, stepped from rest.

    The rate is (spikes − 1)/(last − first) over the spikes of the last ``window`` ms of a ``duration`` ms run;
    0 where the firing is not sustained (:func:`sustained`): a burst that has stopped has no rate.
    """
    return rates(spike_trains(currents, duration, rtol=rtol, atol=atol), window)


def first_firing(currents: np.ndarray, fires: list[bool]) -> int:
    """The index of the first current that fires, checking that the one before does not and the last one does."""
    result = np.asarray(fires, dtype=bool)
    if result[0] or not result[-1]:
        raise ValueError(f"the criterion does not change between I = {currents[0]} and {currents[-1]}")
    return int(np.argmax(result))


def threshold_search(
    low: float,
    high: float,
    fires: Callable[[SpikeTrains], list[bool]],
    duration: float,
    *,
    points: int = 9,
    rounds: int = 3,
    rtol: float = RTOL,
    atol: float = ATOL,
    first: SpikeTrains | None = None,
    known: dict[float, np.ndarray] | None = None,
) -> tuple[float, float, SpikeTrains]:
    """A bracket (a, b) of the smallest step current (from rest) for which ``fires`` holds, and b's spike train.

    Each round simulates ``points`` currents spanning the bracket in one batch (:func:`spike_trains`) and keeps the
    interval between the last current that does not fire and the first that does; the bracket shrinks by
    (points − 1) per round.  ``first``: the first round's spike trains (of ``np.linspace(low, high, points)``) when
    they were already simulated, e.g. in one batch with other currents; ``known``: spike times already simulated
    (same duration and tolerances), by current, e.g. those of :func:`search_grids` (only the others are simulated).
    """
    if rounds < 1:
        raise ValueError("a threshold search needs at least one round")
    known = dict(known or {})
    for round_ in range(rounds):
        grid = np.linspace(low, high, points)
        if round_ == 0 and first is not None:
            trains = first
        else:
            missing = [float(c) for c in grid if float(c) not in known]
            if missing:
                simulated = spike_trains(np.array(missing), duration, rtol=rtol, atol=atol)
                known.update(zip(missing, simulated.times, strict=True))
            trains = SpikeTrains(float(duration), tuple(known[float(c)] for c in grid))
        k = first_firing(grid, fires(trains))
        low, high = grid[k - 1], grid[k]
    return float(low), float(high), SpikeTrains(trains.duration, (trains.times[k],))


def search_grids(low: float, high: float, expected: float, *, points: int = 9, rounds: int = 3) -> np.ndarray:
    """The currents :func:`threshold_search` simulates when the threshold lies just above ``expected``: each round's
    grid (the same ``np.linspace`` calls), so that they can be simulated beforehand in one batch (``known``)."""
    grids = []
    for _ in range(rounds):
        grid = np.linspace(low, high, points)
        grids.append(grid)
        k = int(np.clip(np.searchsorted(grid, expected), 1, points - 1))  # grid[k − 1] < expected ≤ grid[k]
        low, high = grid[k - 1], grid[k]
    return np.unique(np.concatenate(grids))


def threshold_current(
    low: float, high: float, fires: Callable[[SpikeTrains], list[bool]], duration: float, **search: Any
) -> tuple[float, float]:
    """The bracket of :func:`threshold_search` (``search``: its keyword options ``points``, ``rounds``, ``rtol``,
    ``atol``)."""
    a, b, _ = threshold_search(low, high, fires, duration, **search)
    return a, b


def single_spike(run: HHRun | SpikeTrains) -> list[bool]:
    """Which neurons spiked at least once."""
    return [len(s) >= 1 for s in run.spikes()]


def sustained(last: float = 100.0) -> Callable[[HHRun | SpikeTrains], list[bool]]:
    """A criterion: at least two spikes in the last ``last`` ms of the run (the firing has not died out).

    Just below the onset a step fires a burst that stops (8 spikes in 140 ms at 6.25 µA/cm²; bursts grow
    longer as the current nears the onset), so the run must be long and the spikes counted at its end.
    """

    def fires(run: HHRun | SpikeTrains) -> list[bool]:
        return [np.count_nonzero(s > run.duration - last) >= 2 for s in run.spikes()]

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
