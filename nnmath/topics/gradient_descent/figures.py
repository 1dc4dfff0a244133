"""The figure of the convergence page: ‖w_k − w*‖ against k for several step sizes, on a log scale."""

from __future__ import annotations

import numpy as np

from derive.topics import convergence as cv
from nnmath.plots import drawn, plt
from nnmath.topics.base import Figure
from nnmath.topics.gradient_descent.runs import Run

COLOURS = ("#2ca02c", "#1f77b4", "#9467bd", "#7f7f7f", "#d62728")
TITLE = f"Gradient descent on the {cv.FIGURE_MATRIX} matrix, w* = A⁻¹b, start w0 = 0"


def errors(all_runs: list[Run], title: str = TITLE) -> Figure:
    """‖w_k − w*‖ against k, log scale, one line per run (dashed where the predicted rate is ≥ 1)."""
    fig, ax = plt.subplots(figsize=(8.0, 3.8))
    for r, colour in zip(all_runs, COLOURS, strict=False):
        style = "--" if r.predicted_rate >= 1 else "-"
        ax.semilogy(
            np.arange(len(r.errors)),
            r.errors,
            style,
            color=colour,
            linewidth=1.6,
            label=f"η = {r.eta:.4f}\n({r.label}, rate {r.predicted_rate:.3f})",
        )
    ax.set_xlabel("step k")
    ax.set_ylabel("‖w_k − w*‖")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, title="learning rate", title_fontsize=8)
    fig.tight_layout()
    return drawn(fig)


__all__ = ["errors"]
