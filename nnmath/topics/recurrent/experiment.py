"""How fast an RNN's gradient vanishes or explodes, measured with the generated NumPy code.

* :func:`gradient_norms` — ‖∂h_t/∂h_0‖₂ for t = 1 … T of an RNN with W = ρQ (Q a random orthogonal
  matrix, so the spectral radius and the spectral norm of W are both ρ), driven by small random
  inputs from h_0 = 0, computed by ``rnn_state_jacobians`` / ``linear_rnn_state_jacobians``;
* :func:`fitted_slope` — the least-squares slope of log‖∂h_t/∂h_0‖ against t (log ρ for the linear RNN);
* :func:`slope_table` — that slope on a grid of ρ, for both activations; :func:`slope_rows` the rows the
  page and the theory summary show.

Everything is deterministic (fixed seeds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from numeric import linear_rnn_state_jacobians, rnn_state_jacobians

HIDDEN = 32  # hidden size of the gradient-norm experiment
STEPS = 60  # sequence length T
INPUT_SCALE = 0.1  # U = INPUT_SCALE · N(0, 1): a small drive, so tanh starts near its linear regime
SEED = 0
CURVES = (0.8, 0.9, 1.0, 1.1, 1.25, 1.5)  # ρ of the curves in the figure's left panel
SLOPE_GRID = tuple(round(0.5 + 0.05 * i, 2) for i in range(31))  # ρ from 0.5 to 2.0 for the right panel
TABLE_RHOS = (0.5, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0)  # rows of the slope table
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
    """The slope of both RNNs at every ρ of ``rhos``."""
    return SlopeTable(
        rhos,
        tuple(fitted_slope(gradient_norms(r, "tanh")) for r in rhos),
        tuple(fitted_slope(gradient_norms(r, "linear")) for r in rhos),
    )


def slope_rows(table: SlopeTable, rhos: tuple[float, ...] = TABLE_RHOS) -> list[dict]:
    """``{"rho", "log", "linear", "tanh"}`` at each ρ of ``rhos``: log ρ and both measured slopes, to 6 places."""
    rows = []
    for rho in rhos:
        i = table.rhos.index(rho)
        values = {"linear": table.linear[i], "tanh": table.tanh[i], "log": math.log(rho)}
        rows.append({"rho": rho} | {k: round(v, 6) + 0.0 for k, v in values.items()})  # + 0.0: no "-0.0000"
    return rows
