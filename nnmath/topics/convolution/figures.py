"""Figures and measurements for the convolution and recurrent-network pages, from the generated NumPy code.

* :func:`gradient_norms` — ‖∂h_t/∂h_0‖₂ for t = 1 … T of an RNN with W = ρQ (Q a random orthogonal
  matrix, so the spectral radius and the spectral norm of W are both ρ), driven by small random
  inputs from h_0 = 0, computed by ``rnn_state_jacobians`` / ``linear_rnn_state_jacobians``;
  :func:`fitted_slope` the least-squares slope of log‖∂h_t/∂h_0‖ against t (log ρ for the linear RNN).
* :func:`vanishing_figure` — those norms against t for several ρ, and the slope against ρ.
* :func:`convolution_figure` — an image through ``conv2d`` and ``max_pool2d``, and the gradient of
  the pooled sum with respect to the image (``max_pool2d_grad`` then ``conv2d_grad_input``).

Everything is deterministic (fixed seeds); figures go through :func:`nnmath.plots.figure_bytes`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from nnmath import plots  # noqa: F401 - the course's matplotlib settings
from numeric import (
    conv2d,
    conv2d_grad_input,
    linear_rnn_state_jacobians,
    max_pool2d,
    max_pool2d_grad,
    rnn_state_jacobians,
)

HIDDEN = 32  # hidden size of the gradient-norm experiment
STEPS = 60  # sequence length T
INPUT_SCALE = 0.1  # U = INPUT_SCALE · N(0, 1): a small drive, so tanh starts near its linear regime
SEED = 0
CURVES = (0.8, 0.9, 1.0, 1.1, 1.25, 1.5)  # ρ of the curves in the left panel
SLOPE_GRID = tuple(round(0.5 + 0.05 * i, 2) for i in range(31))  # ρ from 0.5 to 2.0 for the right panel
JACOBIANS = {"tanh": rnn_state_jacobians, "linear": linear_rnn_state_jacobians}


def orthogonal(size: int, rng: np.random.Generator) -> np.ndarray:
    """A random orthogonal matrix (QR of a Gaussian matrix, signs fixed so the distribution is uniform)."""
    q, r = np.linalg.qr(rng.normal(size=(size, size)))
    return q * np.sign(np.diag(r))


def gradient_norms(
    rho: float, activation: str = "tanh", hidden: int = HIDDEN, steps: int = STEPS, seed: int = SEED
) -> np.ndarray:
    """‖∂h_t/∂h_0‖₂ for t = 1 … steps, W = ρQ, U = 0.1·N(0,1), x_t ~ N(0,1), b = 0, h_0 = 0 (one sequence)."""
    rng = np.random.default_rng(seed)
    w = rho * orthogonal(hidden, rng)
    u = INPUT_SCALE * rng.normal(size=(hidden, 1))
    x = rng.normal(size=(steps, 1, 1))
    jac = JACOBIANS[activation](x, np.zeros((1, hidden)), w, u, np.zeros(hidden))
    return np.linalg.norm(jac[:, 0], 2, axis=(-2, -1))


def fitted_slope(norms: np.ndarray) -> float:
    """Least-squares slope of log‖∂h_t/∂h_0‖ against t: the growth rate per step (log ρ for the linear RNN)."""
    t = np.arange(1, len(norms) + 1)
    return float(np.polyfit(t, np.log(norms), 1)[0])


@dataclass(frozen=True)
class SlopeTable:
    """The measured slopes on :data:`SLOPE_GRID`, for both activations."""

    rhos: tuple[float, ...]
    tanh: tuple[float, ...]
    linear: tuple[float, ...]

    def crossing(self) -> float:
        """The smallest ρ of the grid where the tanh RNN's gradient grows (slope > 0)."""
        return next(r for r, s in zip(self.rhos, self.tanh) if s > 0)


def slope_table(rhos: tuple[float, ...] = SLOPE_GRID) -> SlopeTable:
    return SlopeTable(
        rhos,
        tuple(fitted_slope(gradient_norms(r, "tanh")) for r in rhos),
        tuple(fitted_slope(gradient_norms(r, "linear")) for r in rhos),
    )


def vanishing_figure(table: SlopeTable | None = None) -> Figure:
    """Left: ‖∂h_T/∂h_0‖ against T (log scale), tanh solid, linear (= ρ^T) dashed.  Right: slope against ρ."""
    table = table or slope_table()
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


# --- Convolution ---------------------------------------------------------------------------------------

IMAGE = 28
EDGE_KERNEL = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])  # Sobel: responds to vertical edges


def sample_image(size: int = IMAGE) -> np.ndarray:
    """A deterministic picture: a bright disc and a darker square on a dark background."""
    yy, xx = np.mgrid[0:size, 0:size] / (size - 1)
    disc = ((xx - 0.35) ** 2 + (yy - 0.4) ** 2 < 0.05).astype(float)
    square = ((np.abs(xx - 0.72) < 0.15) & (np.abs(yy - 0.68) < 0.15)).astype(float) * 0.5
    return np.clip(disc + square, 0.0, 1.0)


@dataclass(frozen=True)
class ConvExample:
    image: np.ndarray  # (N, N)
    feature: np.ndarray  # conv2d with the edge kernel, padding 1
    pooled: np.ndarray  # max_pool2d 2×2
    gradient: np.ndarray  # ∂(½‖pooled‖²)/∂image


def convolution_example() -> ConvExample:
    """The sample image through conv2d (Sobel kernel, padding 1) and 2×2 max pooling, and ∂(½‖pooled‖²)/∂image.

    The upstream gradient of ½‖pooled‖² is the pooled map itself, so flat windows (all zeros) send nothing back.
    """
    x = sample_image()[None, None]
    w = EDGE_KERNEL[None, None]
    feature = conv2d(x, w, np.zeros(1), stride=1, padding=1)
    pooled = max_pool2d(feature, 2)
    g_feature = max_pool2d_grad(feature, pooled, 2)
    gradient = conv2d_grad_input(x, w, g_feature, stride=1, padding=1)
    return ConvExample(x[0, 0], feature[0, 0], pooled[0, 0], gradient[0, 0])


def convolution_figure() -> Figure:
    """Four panels: input, edge feature map, max-pooled map, gradient of the pooled sum with respect to the input."""
    ex = convolution_example()
    fig = Figure(figsize=(9.0, 2.6))
    axes = fig.subplots(1, 4)
    panels = (
        (ex.image, "input x (28×28)", "gray"),
        (ex.feature, "y = conv2d(x, Sobel), padding 1", "RdBu_r"),
        (ex.pooled, "max_pool2d(y, 2)  (14×14)", "RdBu_r"),
        (ex.gradient, "∂(½‖pooled‖²)/∂x", "RdBu_r"),
    )
    for ax, (data, title, cmap) in zip(axes, panels):
        limit = float(np.max(np.abs(data))) or 1.0
        vmin = 0.0 if cmap == "gray" else -limit
        ax.imshow(data, cmap=cmap, vmin=vmin, vmax=limit, interpolation="nearest")
        ax.set_title(title, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    fig.tight_layout()
    return fig


__all__ = [
    "HIDDEN",
    "STEPS",
    "CURVES",
    "SLOPE_GRID",
    "orthogonal",
    "gradient_norms",
    "fitted_slope",
    "SlopeTable",
    "slope_table",
    "vanishing_figure",
    "sample_image",
    "ConvExample",
    "convolution_example",
    "convolution_figure",
]
