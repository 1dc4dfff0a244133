"""The perceptron's figures: the iris data with two separating lines, the bound against 1/γ², and XOR."""

from __future__ import annotations

import numpy as np

from nnmath.plots import drawn, plt  # pyplot with the house style (grid, fonts, stable ids) already applied
from nnmath.topics.base import Figure
from nnmath.topics.perceptron import experiment


def _line(ax, weights: np.ndarray, xs: np.ndarray, **style) -> None:
    """Draw w₁x₁ + w₂x₂ + b = 0 over ``xs``."""
    w1, w2, b = weights
    if abs(w2) > 1e-12:
        ax.plot(xs, -(w1 * xs + b) / w2, **style)
    else:
        ax.axvline(-b / w1, **style)


def iris(check: experiment.BoundCheck, run: experiment.PerceptronRun) -> Figure:
    """Setosa against the other species: the perceptron's line after ``run`` and the maximum-margin line."""
    x, y = experiment.iris_setosa()
    margin = check.margin
    fig, ax = plt.subplots(figsize=(6.0, 3.6))
    ax.scatter(*x[y == 1].T, s=14, color="#1f77b4", label="setosa (y = 1)")
    ax.scatter(*x[y == 0].T, s=14, color="#ff7f0e", marker="s", label="other species (y = 0)")
    ax.scatter(*x[margin.support].T, s=70, facecolors="none", edgecolors="k", label="support vectors")
    xs = np.linspace(0.5, 7.2, 50)
    _line(ax, run.weights, xs, color="#2ca02c", label="perceptron (one run)")
    _line(ax, margin.direction, xs, color="k", linestyle="--", label="maximum margin")
    ax.set_xlim(0.5, 7.2)
    ax.set_ylim(-0.2, 2.8)
    ax.set_xlabel("petal length (cm)")
    ax.set_ylabel("petal width (cm)")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return drawn(fig)


def sweep(checks: list[experiment.BoundCheck], iris: experiment.BoundCheck) -> Figure:
    """The bound (R/γ)² and the updates actually needed, against 1/γ² (log-log), with the iris data's point."""
    checks = sorted(checks, key=lambda c: c.margin.gamma, reverse=True)
    inverse = [1 / c.margin.gamma**2 for c in checks]
    fig, ax = plt.subplots(figsize=(6.0, 3.4))
    ax.loglog(inverse, [c.margin.bound for c in checks], "o-", color="k", label="bound (R/γ)², synthetic")
    ax.loglog(inverse, [max(c.updates) for c in checks], "s-", color="#d62728", label="updates, worst order")
    ax.loglog(inverse, [np.median(c.updates) for c in checks], "^-", color="#1f77b4", label="updates, median")
    ax.loglog(
        [1 / iris.margin.gamma**2] * 2,
        [iris.margin.bound, max(iris.updates)],
        "D:",
        color="#2ca02c",
        label="iris: bound and worst order",
    )
    ax.set_xlabel("1/γ²")
    ax.set_ylabel("number of updates")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return drawn(fig)


POINTS_ZORDER = 3  # the XOR points above the network's shaded regions (contourf) and the lines


def xor(run: experiment.PerceptronRun, network: experiment.XorNetwork) -> Figure:
    """XOR: the perceptron's line through its repeating cycle (left), a 2-2-1 network's decision region (right)."""
    return drawn(xor_figure(run, network))


def xor_figure(run: experiment.PerceptronRun, network: experiment.XorNetwork):
    """The Matplotlib figure of :func:`xor`; the four points are drawn above the shading in both panels."""
    x, y = experiment.xor()
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 3.2))
    for ax in (left, right):
        points = {"s": 60, "edgecolors": "k", "linewidths": 0.6, "zorder": POINTS_ZORDER}
        ax.scatter(*x[y == 1].T, color="#1f77b4", label="y = 1", **points)
        ax.scatter(*x[y == 0].T, color="#ff7f0e", marker="s", label="y = 0", **points)
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylim(-0.5, 1.5)
        ax.set_aspect("equal")
    in_cycle = sum(run.mistakes[run.cycle[0] :])  # the perceptron's line after every update of the cycle
    xs = np.linspace(-0.5, 1.5, 20)
    for w in run.trajectory[-in_cycle:]:
        if np.any(w[:2]):
            _line(left, w, xs, color="0.5", linewidth=1)
    left.set_title("perceptron: its line keeps moving", fontsize=9)
    grid = np.linspace(-0.5, 1.5, 201)
    gx, gy = np.meshgrid(grid, grid)
    out = network.network.predict(np.column_stack([gx.ravel(), gy.ravel()]))[:, 0].reshape(gx.shape)
    right.contourf(gx, gy, out, levels=[0.0, 0.5, 1.0], colors=["#ffe0c0", "#c6dbef"])
    right.contour(gx, gy, out, levels=[0.5], colors="k", linewidths=1)
    right.set_title("2-2-1 network: output > 0.5 shaded blue", fontsize=9)
    right.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    return fig
