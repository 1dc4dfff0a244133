"""The optimisers' figures: their paths on a narrow quadratic valley, and the training curves of a run."""

from __future__ import annotations

import numpy as np

from nnmath.plots import drawn, plt  # pyplot with the house style (grid, fonts, stable ids) already applied
from nnmath.topics.base import Figure
from nnmath.topics.optimisers.runs import QUADRATIC, QUADRATIC_STEPS, Run


def paths(iterates: dict[str, np.ndarray]) -> Figure:
    """The iterates of each optimiser over the contours of the quadratic, the minimum marked with a star."""
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    xs, ys = np.meshgrid(np.linspace(-4.5, 1.5, 200), np.linspace(-1.5, 1.5, 200))
    ax.contour(xs, ys, 0.5 * (QUADRATIC[0] * xs**2 + QUADRATIC[1] * ys**2), levels=12, colors="0.75", linewidths=0.7)
    for (label, path), color in zip(iterates.items(), ("#d62728", "#1f77b4", "#2ca02c")):
        ax.plot(path[:, 0], path[:, 1], marker="o", markersize=2.5, linewidth=1.2, color=color, label=label)
    ax.plot([0], [0], marker="*", color="k", markersize=9)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title(rf"{QUADRATIC_STEPS} steps on $L = \frac{{1}}{{2}}(w_1^2 + 20 w_2^2)$", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return drawn(fig)


def curves(r: Run) -> Figure:
    """Loss (log scale) and accuracy per epoch, on the training data and the held-out validation part."""
    h = r.history
    epochs = np.arange(1, h.epochs_run + 1)
    held_out = "training set (4 points)" if r.name == "xor" else "validation"
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.0))
    left.plot(epochs, h.train_loss, color="#1f77b4", label="training")
    right.plot(epochs, h.train_accuracy, color="#1f77b4", label="training")
    if r.name != "xor":
        left.plot(epochs, h.val_loss, color="#ff7f0e", linestyle="--", label=held_out)
        right.plot(epochs, h.val_accuracy, color="#ff7f0e", linestyle="--", label=held_out)
    left.set_yscale("log")
    left.set_xlabel("epoch")
    left.set_ylabel("loss (batch mean)")
    right.set_xlabel("epoch")
    right.set_ylabel("accuracy")
    right.set_ylim(min(0.4, min(h.train_accuracy + h.val_accuracy)), 1.01)
    left.legend(fontsize=8)
    right.legend(fontsize=8, loc="lower right")
    fig.suptitle(
        f"{r.name}: {'-'.join(map(str, r.net.sizes))} {r.preset.activation}, {r.preset.optimiser}", fontsize=10
    )
    fig.tight_layout()
    return drawn(fig)
