"""The recurrent-network page's figure: gradient norms against sequence length, and their slope against ρ."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from nnmath import plots  # noqa: F401 - the course's matplotlib settings
from nnmath.topics.recurrent.experiment import CURVES, HIDDEN, STEPS, SlopeTable, gradient_norms


def vanishing_figure(table: SlopeTable) -> Figure:
    """Left: ‖∂h_T/∂h_0‖ against T (log scale), tanh solid, linear (= ρ^T) dashed.  Right: slope against ρ."""
    fig = Figure(figsize=(9.0, 3.6))
    left, right = fig.subplots(1, 2)
    colours = [f"C{i}" for i in range(len(CURVES))]
    t = np.arange(1, STEPS + 1)
    for rho, colour in zip(CURVES, colours):
        left.semilogy(t, gradient_norms(rho, "tanh"), color=colour, linewidth=1.6, label=f"ρ = {rho:g}")
        left.semilogy(t, gradient_norms(rho, "linear"), color=colour, linewidth=1.0, linestyle="--")
    left.set_xlabel("sequence length T")
    left.set_ylabel("‖∂h_T/∂h_0‖₂")
    left.set_title("tanh RNN (solid) and linear RNN, ρ^T (dashed)", fontsize=9)
    left.legend(fontsize=7, ncol=2)
    right.plot(table.rhos, table.linear, color="0.4", linestyle="--", label="linear: log ρ")
    right.plot(table.rhos, table.tanh, color="#d62728", marker="o", markersize=3, label="tanh: measured")
    right.axhline(0.0, color="0.2", linewidth=0.8)
    right.axvline(1.0, color="0.2", linewidth=0.8, linestyle=":")
    right.set_xlabel("spectral radius ρ of W")
    right.set_ylabel("slope of log‖∂h_T/∂h_0‖ per step")
    right.set_title(f"vanishing below 0, exploding above (H = {HIDDEN}, T = {STEPS})", fontsize=9)
    right.legend(fontsize=7)
    fig.tight_layout()
    return fig
