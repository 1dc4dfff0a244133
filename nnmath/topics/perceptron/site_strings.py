"""The strings of the perceptron page: the rule, Novikoff's bound (proof checked by SymPy), the bound on data, XOR.

Formulas come from :mod:`derive.topics.perceptron` (and :mod:`derive.topics.gradient_descent`); the numbers from
:mod:`nnmath.topics.perceptron.experiment`, which trains with the generated NumPy functions.
"""

from __future__ import annotations

import inspect
from functools import cache

import numpy as np
import sympy as sp

from derive.printing import formulas
from derive.printing.latex import latex
from derive.topics import perceptron as theory
from nnmath.topics.perceptron import experiment

IRIS_RUNS = 20  # presentation orders tried on the iris data


def output(fig, fmt: str = "svg") -> str | bytes:
    """A matplotlib figure as deterministic SVG text (the site) or PDF bytes (the handouts); closes the figure."""
    from nnmath.plots import figure_bytes

    data = figure_bytes(fig, fmt)
    return data.decode() if fmt == "svg" else data


@cache
def results() -> dict:
    """Every experiment of the page, computed once (the page and the handout share it)."""
    iris_x, iris_y = experiment.iris_setosa()
    return {
        "iris": experiment.bound_check("iris", iris_x, iris_y, runs=IRIS_RUNS),
        "iris_run": experiment.train(iris_x, iris_y, order=experiment.orders(len(iris_x), 1)[0]),
        "sweep": experiment.margin_sweep(),
        "xor_run": experiment.xor_run(),
        "xor_margin": experiment.max_margin(*experiment.xor()),
        "xor_network": experiment.xor_network(),
    }


def check_numbers(check: experiment.BoundCheck) -> dict:
    """One bound check as numbers for a table."""
    return {
        "name": check.name,
        "samples": check.samples,
        "radius": check.margin.radius,
        "gamma": check.margin.gamma,
        "bound": check.margin.bound,
        "support": len(check.margin.support),
        "kkt": check.margin.kkt_residual,
        "runs": len(check.updates),
        "min": min(check.updates),
        "median": float(np.median(check.updates)),
        "max": max(check.updates),
        "epochs": max(check.epochs),
        "holds": check.holds,
    }


def _line(ax, weights: np.ndarray, xs: np.ndarray, **style) -> None:
    """Draw w₁x₁ + w₂x₂ + b = 0 over ``xs``."""
    w1, w2, b = weights
    if abs(w2) > 1e-12:
        ax.plot(xs, -(w1 * xs + b) / w2, **style)
    else:
        ax.axvline(-b / w1, **style)


def iris_figure(res: dict, fmt: str = "svg") -> str | bytes:
    from nnmath.plots import plt  # pyplot with the house style (grid, fonts, stable ids) already applied

    x, y = experiment.iris_setosa()
    margin = res["iris"].margin
    fig, ax = plt.subplots(figsize=(6.0, 3.6))
    ax.scatter(*x[y == 1].T, s=14, color="#1f77b4", label="setosa (y = 1)")
    ax.scatter(*x[y == 0].T, s=14, color="#ff7f0e", marker="s", label="other species (y = 0)")
    ax.scatter(*x[margin.support].T, s=70, facecolors="none", edgecolors="k", label="support vectors")
    xs = np.linspace(0.5, 7.2, 50)
    _line(ax, res["iris_run"].weights, xs, color="#2ca02c", label="perceptron (one run)")
    _line(ax, margin.direction, xs, color="k", linestyle="--", label="maximum margin")
    ax.set_xlim(0.5, 7.2)
    ax.set_ylim(-0.2, 2.8)
    ax.set_xlabel("petal length (cm)")
    ax.set_ylabel("petal width (cm)")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return output(fig, fmt)


def sweep_figure(res: dict, fmt: str = "svg") -> str | bytes:
    from nnmath.plots import plt  # pyplot with the house style (grid, fonts, stable ids) already applied

    checks = sorted(res["sweep"], key=lambda c: c.margin.gamma, reverse=True)
    inverse = [1 / c.margin.gamma**2 for c in checks]
    iris = res["iris"]
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
    return output(fig, fmt)


def xor_figure(res: dict, fmt: str = "svg") -> str | bytes:
    from nnmath.plots import plt  # pyplot with the house style (grid, fonts, stable ids) already applied

    x, y = experiment.xor()
    net = res["xor_network"].network
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 3.2))
    for ax in (left, right):
        ax.scatter(*x[y == 1].T, s=60, color="#1f77b4", label="y = 1")
        ax.scatter(*x[y == 0].T, s=60, color="#ff7f0e", marker="s", label="y = 0")
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylim(-0.5, 1.5)
        ax.set_aspect("equal")
    # The perceptron's line after every update of the repeating cycle
    run = res["xor_run"]
    in_cycle = sum(run.mistakes[run.cycle[0] :])
    xs = np.linspace(-0.5, 1.5, 20)
    for w in run.trajectory[-in_cycle:]:
        if np.any(w[:2]):
            _line(left, w, xs, color="0.5", linewidth=1)
    left.set_title("perceptron: its line keeps moving", fontsize=9)
    grid = np.linspace(-0.5, 1.5, 201)
    gx, gy = np.meshgrid(grid, grid)
    out = net.predict(np.column_stack([gx.ravel(), gy.ravel()]))[:, 0].reshape(gx.shape)
    right.contourf(gx, gy, out, levels=[0.0, 0.5, 1.0], colors=["#ffe0c0", "#c6dbef"])
    right.contour(gx, gy, out, levels=[0.5], colors="k", linewidths=1)
    right.set_title("2-2-1 network: output > 0.5 shaded blue", fontsize=9)
    right.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    return output(fig, fmt)


def proof_steps() -> list[dict]:
    return [
        {"text": s.text, "tex": formulas.unordered(theory.display(s.relation)), "holds": s.holds}
        for s in theory.novikoff_steps()
    ]


def perceptron() -> dict:
    """The rule, the theorem with its checked proof, the bound on data, and XOR."""
    from derive.topics.gradient_descent import rules
    from numeric import perceptron_output, perceptron_update

    res = results()
    run, net = res["xor_run"], res["xor_network"]
    rule = rules()
    return {
        "step": formulas.unordered(rule["step"]),
        "rule": formulas.unordered(rule["perceptron"]),
        "bound": latex(theory.display(sp.Le(theory.updates, theory.novikoff_bound()))),
        "steps": proof_steps(),
        "code": inspect.getsource(perceptron_output) + "\n\n" + inspect.getsource(perceptron_update),
        "iris": check_numbers(res["iris"]),
        "direction": [float(v) for v in res["iris"].margin.direction],
        "sweep": [check_numbers(c) for c in res["sweep"]],
        "xor": {
            "separable": res["xor_margin"] is not None,
            "mistakes": list(run.mistakes),
            "cycle_start": run.cycle[0] if run.cycle else None,
            "period": run.cycle[1] if run.cycle else None,
            "weights": [float(v) for v in run.weights],
        },
        "network": {
            "seeds": len(net.seeds),
            "solved": len(net.solved),
            "outputs": [float(v) for v in net.outputs],
            "final_loss": net.loss[-1],
            "epochs": experiment.XOR_EPOCHS,
            "learning_rate": experiment.XOR_LEARNING_RATE,
        },
        "figures": {"iris": iris_figure(res), "sweep": sweep_figure(res), "xor": xor_figure(res)},
    }
