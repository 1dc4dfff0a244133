"""The figures of probability and statistics, drawn with the generated functions (SVG and PDF, once each)."""

from __future__ import annotations

import numpy as np

from nnmath.plots import drawn, plt  # pyplot with the house style (grid, fonts, stable ids) already applied
from nnmath.topics.base import Figure


def log_odds() -> Figure:
    """The sigmoid maps log-odds to probabilities (left); the logit maps them back (right)."""
    from numeric import logit, sigmoid

    fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 3.0))
    x = np.linspace(-6, 6, 401)
    left.plot(x, sigmoid(x), color="#1f77b4", linewidth=2)
    left.set_xlabel("log-odds z")
    left.set_ylabel("probability σ(z)")
    left.set_title("sigmoid: log-odds → probability", fontsize=10)
    q = np.linspace(0.0025, 0.9975, 399)
    right.plot(q, logit(q), color="#d62728", linewidth=2)
    right.set_xlabel("probability p")
    right.set_ylabel("logit(p)")
    right.set_title("logit: probability → log-odds", fontsize=10)
    fig.tight_layout()
    return drawn(fig)


def _nll_panel(
    ax, grid: np.ndarray, nll: np.ndarray, mean: tuple[float, int], xlabel: str, title: str, colour: str
) -> None:
    """One panel of :func:`likelihood`: the summed NLL over the parameter's grid; ``mean``: (value, places) marked."""
    value, places = mean
    ax.plot(grid, nll, color=colour)
    ax.axvline(value, color="0.3", linestyle=":", label=f"sample mean {value:.{places}f}")
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)


def likelihood(seed: int = 0) -> Figure:
    """The NLL of a sample as a function of the parameter: minimum at the sample mean (Bernoulli, Gaussian)."""
    from numeric import binary_cross_entropy, mse

    rng = np.random.default_rng(seed)
    coins = (rng.uniform(size=20) < 0.3).astype(float)
    heights = rng.normal(1.7, 0.1, size=20)
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 3.0))
    theta = np.linspace(0.02, 0.98, 481)
    nll = binary_cross_entropy(*np.broadcast_arrays(theta[:, None], coins[None, :])).sum(axis=1)  # the grid
    _nll_panel(left, theta, nll, (coins.mean(), 2), "θ", "Bernoulli: Σ binary cross-entropy", "#1f77b4")
    mu = np.linspace(1.4, 2.0, 481)
    nll = mse(*np.broadcast_arrays(mu[:, None], heights[None, :])).sum(axis=1)
    _nll_panel(right, mu, nll, (heights.mean(), 3), "μ", "Gaussian: Σ squared error", "#d62728")
    fig.tight_layout()
    return drawn(fig)


def confusion(matrix: np.ndarray, title: str) -> Figure:
    """The confusion matrix as a heat map with the counts written in."""
    classes = len(matrix)
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    ax.imshow(matrix, cmap="Blues")
    ax.grid(False)
    threshold = matrix.max() / 2
    for row in range(classes):
        for col in range(classes):
            value = int(matrix[row, col])
            if value:
                colour = "white" if value > threshold else "black"
                ax.text(col, row, str(value), ha="center", va="center", color=colour, fontsize=8)
    ax.set_xticks(range(classes))
    ax.set_yticks(range(classes))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return drawn(fig)
