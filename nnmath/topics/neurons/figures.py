"""Figures of the biological neuron models, drawn from the generated code and the simulations.

Each function returns a Matplotlib figure; :func:`nnmath.plots.drawn` draws it once as SVG (site) and PDF (handout).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import nnmath.plots  # noqa: F401 - sets the Agg backend and the shared style
from derive.topics.neurons import morris_lecar as ml_model
from nnmath.topics.neurons import measurements
from numeric import (
    LIF_PARAMETERS,
    hh_h_inf,
    hh_m_inf,
    hh_n_inf,
    hh_tau_h,
    hh_tau_m,
    hh_tau_n,
    lif,
    lif_membrane,
    lif_rate,
    relu,
    softplus,
)
from numeric import morris_lecar as ml

BLUE, RED, GREEN, GREY = "#1f77b4", "#d62728", "#2ca02c", "0.45"
KIND_STYLE = {  # fixed-point type -> marker, fill
    "stable node": ("o", "black"),
    "stable focus": ("o", "black"),
    "unstable node": ("o", "white"),
    "unstable focus": ("o", "white"),
    "saddle": ("X", "0.6"),
}


def _figure(width: float = 6.0, height: float = 3.4, **kwargs) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots(**kwargs)


def lif_trace() -> Figure:
    """V(t) of the LIF neuron below and above the rheobase; the closed form V(t) over the first interval."""
    p = LIF_PARAMETERS
    rh = measurements.lif_rheobase()
    fig, ax = _figure()
    for k, color in ((0.8, GREY), (1.4, BLUE)):
        run = lif.simulate(k * rh, 80.0, sample=0.05)
        ax.plot(run.t, run.V, color=color, linewidth=1.6, label=f"simulated, I = {k * rh:g} nA")
        ax.vlines(run.spikes, p["V_th"], p["V_th"] + 8, color=color, linewidth=1.2)
        end = run.spikes[0] if len(run.spikes) else run.t[-1]
        t = np.linspace(0, end, 200)
        closed = lif_membrane(t, k * rh, p["tau"], p["R"], p["V_rest"], p["V_reset"])
        ax.plot(t, closed, color="black", linestyle=":", linewidth=1.4, label="closed form" if k > 1 else None)
    ax.axhline(p["V_th"], color=RED, linestyle="--", linewidth=1, label="threshold $V_{th}$")
    ax.set_xlabel("t (ms)")
    ax.set_ylabel("V (mV)")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Leaky integrate-and-fire: membrane potential (spikes drawn as ticks)", fontsize=10)
    fig.tight_layout()
    return fig


def lif_rate_curve() -> Figure:
    """f(I) from the closed form (with and without refractory period) and the simulated rates."""
    p = LIF_PARAMETERS
    check = measurements.lif_check()
    rh = check["rheobase"]
    current = np.linspace(0, 6 * rh, 600)
    fig, ax = _figure()
    args = measurements.lif_arguments()
    ax.plot(
        current,
        1000 * lif_rate(current, *args, p["t_ref"]),
        color=BLUE,
        label=f"closed form, $t_{{ref}}$ = {p['t_ref']:g} ms",
    )
    ax.plot(
        current, 1000 * lif_rate(current, *args, 0.0), color=GREEN, linestyle="--", label="closed form, $t_{ref}$ = 0"
    )
    rows = check["rows"]
    ax.plot(
        [r["current"] for r in rows],
        [1000 * r["rate_sim"] for r in rows],
        "o",
        markerfacecolor="white",
        markeredgecolor="black",
        label="simulation (solve_ivp)",
    )
    ax.axvline(rh, color=GREY, linestyle=":", linewidth=1)
    ax.annotate("rheobase", (rh, 0), xytext=(4, 6), textcoords="offset points", fontsize=8)
    ax.set_xlabel("I (nA)")
    ax.set_ylabel("f (Hz)")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title("LIF firing rate f(I)", fontsize=10)
    fig.tight_layout()
    return fig


def hh_trace() -> Figure:
    """The action potential: V(t) and the gates m, h, n for a step current."""
    spike = measurements.hh_spike()
    fig, (top, bottom) = _figure(6.0, 4.4, nrows=2, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    top.plot(spike["t"], spike["y"][0], color=BLUE)
    top.set_ylabel("V (mV)")
    top.set_title(f"Hodgkin–Huxley: step current I = {measurements.HH_STEP:g} µA/cm² from rest", fontsize=10)
    for row, name, color in ((1, "m", RED), (2, "h", GREEN), (3, "n", "#9467bd")):
        bottom.plot(spike["t"], spike["y"][row], color=color, label=name)
    bottom.set_xlabel("t (ms)")
    bottom.set_ylabel("gate")
    bottom.legend(loc="upper right", fontsize=8, ncol=3)
    fig.tight_layout()
    return fig


def hh_gates() -> Figure:
    """Steady states x_∞(V) and time constants τ_x(V) of the three gates (generated functions)."""
    v = np.linspace(-100, 50, 601)
    fig, (left, right) = _figure(6.0, 3.0, ncols=2)
    for inf, tau, name, color in (
        (hh_m_inf, hh_tau_m, "m", RED),
        (hh_h_inf, hh_tau_h, "h", GREEN),
        (hh_n_inf, hh_tau_n, "n", "#9467bd"),
    ):
        left.plot(v, inf(v), color=color, label=f"${name}_\\infty$")
        right.plot(v, tau(v), color=color, label=f"$\\tau_{name}$")
    left.set_xlabel("V (mV)")
    right.set_xlabel("V (mV)")
    right.set_ylabel("ms")
    left.legend(fontsize=8)
    right.legend(fontsize=8)
    left.set_title("steady states", fontsize=10)
    right.set_title("time constants", fontsize=10)
    fig.tight_layout()
    return fig


def hh_fi_curve() -> Figure:
    """The simulated f–I curve with the measured onset of repetitive firing and the Hopf current of rest."""
    fi = measurements.hh_fi()
    fig, ax = _figure()
    label = f"simulated ({measurements.HH_DURATION:g} ms from rest)"
    ax.plot(fi["currents"], fi["rates"], "o-", color=BLUE, markersize=4, label=label)
    ax.axvline(fi["onset"][1], color=RED, linewidth=1.5, label="onset of sustained firing (measured)")
    ax.axvline(fi["hopf"], color=GREY, linestyle="--", linewidth=1, label="rest loses stability (Hopf, SymPy)")
    ax.set_xlabel("I (µA/cm²)")
    ax.set_ylabel("f (Hz)")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Hodgkin–Huxley f–I curve: firing starts at a non-zero rate", fontsize=10)
    fig.tight_layout()
    return fig


def _phase_plane(ax, name: str, current: float, points, trajectories: list[tuple[float, float, float]]) -> None:
    p = ml.parameters(name)
    v_lo, v_hi, w_lo, w_hi = -70.0, 50.0, -0.05, 0.6
    vv, ww = np.meshgrid(np.linspace(v_lo, v_hi, 17), np.linspace(w_lo, w_hi, 15))
    dv, dw = ml.vector_field(vv, ww, current, p)
    scale = np.hypot(dv / (v_hi - v_lo), dw / (w_hi - w_lo))
    ax.quiver(vv, ww, dv / scale, dw / scale, color="0.75", angles="xy", pivot="mid", width=0.003)
    v = np.linspace(v_lo, v_hi, 800)
    v_null, w_null = ml.nullclines(v, current, p)
    ax.plot(v, np.where((v_null > w_lo - 0.2) & (v_null < w_hi + 0.2), v_null, np.nan), color=RED, label="V-nullcline")
    ax.plot(v, w_null, color=GREEN, label="w-nullcline")
    for v0, w0, duration in trajectories:
        run = ml.simulate(current, duration, (v0, w0), p, sample=0.2, rtol=1e-8, atol=1e-10)
        ax.plot(run.V, run.w, color=BLUE, linewidth=1.2)
        ax.plot([v0], [w0], ".", color=BLUE)
    for fp in points:
        marker, fill = KIND_STYLE[fp.kind]
        ax.plot([float(fp.V)], [float(fp.w)], marker, markerfacecolor=fill, markeredgecolor="black", markersize=7)
        ax.annotate(fp.kind, (float(fp.V), float(fp.w)), xytext=(6, -10), textcoords="offset points", fontsize=7)
    ax.set_xlim(v_lo, v_hi)
    ax.set_ylim(w_lo, w_hi)
    ax.set_xlabel("V (mV)")
    ax.set_ylabel("w")
    ax.set_title(f"{ml_model.SET_TITLES[name]}, I = {current:g} µA/cm²", fontsize=9)


# Start points of the trajectories drawn in each example: (V, w, duration in ms).
TRAJECTORIES = {
    "snlc": [(-25.0, 0.0, 150.0), (-22.0, 0.0, 150.0)],  # left of the saddle: back to rest; right: a spike
    "hopf": [(-22.0, 0.16, 600.0)],
}


def ml_phase_portrait(index: int) -> Figure:
    """Nullclines, vector field, trajectories and typed fixed points of one example."""
    example = measurements.ml_analysis()[index]
    fig, ax = _figure(6.0, 4.0)
    _phase_plane(ax, example["set"], example["current"], example["points"], TRAJECTORIES[example["set"]])
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def activation_comparison() -> Figure:
    """The LIF rate as an activation of I = Σ wᵢxᵢ, next to ReLU and softplus with the same asymptote."""
    p = LIF_PARAMETERS
    args = measurements.lif_arguments()
    rh = measurements.lif_rheobase()
    current = np.linspace(-1 * rh, 5 * rh, 800)
    slope, offset = measurements.lif_asymptote()  # f ≈ slope·I + offset for large I (t_ref = 0), derived by SymPy
    unit = abs(offset)  # the rate scale of softplus's bend: 1/(2τ) when V_reset = V_rest
    drive = (slope * current + offset) / unit
    fig, ax = _figure()
    ax.plot(
        current, 1000 * lif_rate(current, *args, 0.0), color=BLUE, linewidth=2, label="LIF rate f(I), $t_{ref}$ = 0"
    )
    ax.plot(
        current,
        1000 * lif_rate(current, *args, p["t_ref"]),
        color=BLUE,
        linestyle=":",
        label=f"LIF, $t_{{ref}}$ = {p['t_ref']:g} ms",
    )
    ax.plot(current, 1000 * unit * relu(drive), color=RED, linestyle="--", label="ReLU (the LIF's asymptote)")
    ax.plot(current, 1000 * unit * softplus(drive), color=GREEN, linestyle="-.", label="softplus, same asymptote")
    ax.set_xlabel("I = Σ wᵢ xᵢ (nA)")
    ax.set_ylabel("rate (Hz)")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title("A spiking neuron's rate as an activation function", fontsize=10)
    fig.tight_layout()
    return fig
