"""Simulating the Morris–Lecar neuron and drawing its phase plane, with the generated functions.

Right-hand side, nullclines and gates are printed from :mod:`derive.topics.neurons.morris_lecar`; the parameter sets
are :data:`MORRIS_LECAR_HOPF` and :data:`MORRIS_LECAR_SNLC` (Rinzel & Ermentrout).  Units: mV, ms, µA/cm².
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from numeric._generated.neurons import (
    MORRIS_LECAR_HOPF,
    MORRIS_LECAR_SNLC,
    ml_dvdt,
    ml_dwdt,
    ml_v_nullcline,
    ml_w_nullcline,
)

PARAMETER_SETS: dict[str, dict[str, float]] = {"hopf": MORRIS_LECAR_HOPF, "snlc": MORRIS_LECAR_SNLC}
MEMBRANE = ("C", "g_L", "g_Ca", "g_K", "V_L", "V_Ca", "V_K", "V_1", "V_2")
GATE = ("phi", "V_3", "V_4")


def parameters(name: str) -> dict[str, float]:
    """The parameter set ``"hopf"`` or ``"snlc"``."""
    try:
        return PARAMETER_SETS[name]
    except KeyError:
        raise ValueError(f"unknown Morris–Lecar parameter set {name!r}; known: hopf, snlc") from None


def _pick(p: dict[str, float], names: tuple[str, ...]) -> dict[str, float]:
    return {k: p[k] for k in names}


def vector_field(
    v: np.ndarray, w: np.ndarray, current: float, params: dict[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """(dV/dt, dw/dt) at the points (v, w) (arrays broadcast)."""
    return ml_dvdt(v, w, current, **_pick(params, MEMBRANE)), ml_dwdt(v, w, **_pick(params, GATE))


def nullclines(v: np.ndarray, current: float, params: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """(w on the V-nullcline, w on the w-nullcline) at the potentials ``v``."""
    membrane = {k: params[k] for k in MEMBRANE if k != "C"}
    return ml_v_nullcline(v, current, **membrane), ml_w_nullcline(v, params["V_3"], params["V_4"])


def rhs(current: float, params: dict[str, float]) -> Callable[[float, np.ndarray], np.ndarray]:
    """The right-hand side for ``solve_ivp`` of N stacked neurons: y = (V₁…V_N, w₁…w_N) (N = 1: y = (V, w))."""
    membrane, gate = _pick(params, MEMBRANE), _pick(params, GATE)

    def f(_t: float, y: np.ndarray) -> np.ndarray:
        v, w = y.reshape(2, -1)
        return np.concatenate([ml_dvdt(v, w, current, **membrane), ml_dwdt(v, w, **gate)])

    return f


@dataclass(frozen=True)
class MLRun:
    """A trajectory: times (T,), V (T,) and w (T,)."""

    t: np.ndarray
    V: np.ndarray  # noqa: N815 - the membrane potential's name
    w: np.ndarray


def simulate(
    current: float,
    duration: float,
    initial: tuple[float, float],
    params: dict[str, float],
    *,
    sample: float = 0.1,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> MLRun:
    """Integrate from ``initial`` = (V, w) for ``duration`` ms (DOP853), sampled every ``sample`` ms."""
    t = np.arange(0.0, duration + sample / 2, sample)
    sol = solve_ivp(rhs(current, params), (0.0, t[-1]), list(initial), t_eval=t, rtol=rtol, atol=atol, method="DOP853")
    if not sol.success:
        raise RuntimeError(f"Morris–Lecar integration failed: {sol.message}")
    return MLRun(sol.t, sol.y[0], sol.y[1])


def final_states(
    current: float,
    duration: float,
    initial: np.ndarray,
    params: dict[str, float],
    *,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> np.ndarray:
    """The states (V, w) after ``duration`` ms of N neurons started at the columns of ``initial`` (2, N).

    One ``solve_ivp`` run (DOP853) of the stacked state: the neurons share their steps, so each step is at least as
    fine as the one the neuron would take alone (the error is controlled over all of them).
    """
    start = np.asarray(initial, dtype=float)
    sol = solve_ivp(rhs(current, params), (0.0, duration), start.ravel(), rtol=rtol, atol=atol, method="DOP853")
    if not sol.success:
        raise RuntimeError(f"Morris–Lecar integration failed: {sol.message}")
    return sol.y[:, -1].reshape(start.shape)
