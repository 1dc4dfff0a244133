"""The figures of the overfitting page: the loss curves of the three runs, and their train/validation gap."""

from __future__ import annotations

import numpy as np

from nnmath.plots import drawn, plt
from nnmath.topics.base import Figure
from nnmath.topics.overfitting.runs import SETUP, TITLES, Run, Setup

COLOURS = {"plain": "#d62728", "l2": "#1f77b4", "early stopping": "#2ca02c"}


def curves(runs: dict[str, Run], setup: Setup = SETUP) -> Figure:
    """Training and validation loss against the epoch, one panel per run; the returned epoch marked."""
    fig, axes = plt.subplots(1, len(runs), figsize=(9.6, 3.3), sharey=True)
    for ax, (name, run) in zip(axes, runs.items(), strict=True):
        h = run.history
        epochs = np.arange(1, h.epochs_run + 1)
        ax.semilogy(epochs, h.train_loss, color=COLOURS[name], linestyle="--", linewidth=1.4, label="training")
        ax.semilogy(epochs, h.val_loss, color=COLOURS[name], linewidth=1.8, label="validation")
        ax.axvline(run.epoch, color="0.4", linestyle=":", linewidth=1)
        ax.set_title(f"{TITLES[name]}: gap {run.gap:.3f}", fontsize=9)
        ax.set_xlabel("epoch")
        ax.set_xlim(0, setup.epochs)
        ax.legend(fontsize=7, loc="lower left")
    axes[0].set_ylabel("mean cross-entropy")
    fig.tight_layout()
    return drawn(fig)


def gap(runs: dict[str, Run], setup: Setup = SETUP) -> Figure:
    """The gap (validation − training loss) against the epoch, the three runs in one panel."""
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    for name, run in runs.items():
        epochs = np.arange(1, len(run.gaps) + 1)
        ax.plot(epochs, run.gaps, color=COLOURS[name], linewidth=1.6, label=f"{TITLES[name]} (returned: {run.gap:.3f})")
        ax.plot([run.epoch], [run.gap], "o", color=COLOURS[name])
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation − training loss")
    ax.set_xlim(0, setup.epochs)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return drawn(fig)


__all__ = ["curves", "gap"]
