"""Gradient descent on a quadratic loss, run with the generated NumPy code.

Every step is ``numeric.gradient_descent_step``, the minimiser
``quadratic_minimiser`` and the predicted rate ``convergence_rate`` — printed from
``derive/topics/convergence.py``, nothing retyped.  This module only loops and measures:

- :func:`errors`: ‖w_k − w*‖ for k = 0 … K;
- :func:`measured_rate`: the factor per step over the last steps, to compare with the
  predicted max_i |1 − ηλ_i|;
- :func:`numeric_threshold`: the step size at which the iteration turns from shrinking to growing,
  found by bisection on runs of gradient descent alone (no eigenvalues), to compare with 2/λ_max;
- :func:`figure_runs`, :func:`thresholds`: the runs and thresholds on the matrices of
  ``derive/topics/convergence.py`` that the page and the handout show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from derive.topics import convergence as cv
from numeric import (
    convergence_rate,
    critical_step_size,
    gradient_descent_step,
    optimal_step_size,
    quadratic_minimiser,
)

STEPS = 500  # iterations in the figure and the table
TAIL = 100  # steps over which a rate is measured
THRESHOLD_STEPS = 400  # length of each run in the bisection of numeric_threshold
DIVERGED = 1e100  # an error beyond this counts as diverged (the rest of the run is inf)
FLOOR = 1e-10  # relative error below which a run has converged (to rounding, for w* of size 1)
# Step sizes of the figure, as multiples of the critical 2/λ_max ("optimal": η* = 2/(λ_min + λ_max)).
RATIOS: tuple[float | str, ...] = (0.25, "optimal", 0.99, 1.0, 1.01)


@dataclass(frozen=True)
class Run:
    """One gradient-descent run: step size, ‖w_k − w*‖ for k = 0 … K, predicted and measured rate."""

    label: str
    multiple: float | None  # η as a multiple of 2/λ_max as asked for, None for η*
    eta: float
    ratio: float  # η / (2/λ_max)
    errors: np.ndarray
    predicted_rate: float
    measured_rate: float

    @property
    def final_error(self) -> float:
        return float(self.errors[-1])

    @property
    def converges(self) -> bool:
        return self.predicted_rate < 1


def errors(a: np.ndarray, b: np.ndarray, w0: np.ndarray, eta: float, steps: int = STEPS) -> np.ndarray:
    """‖w_k − w*‖ for k = 0 … ``steps``, w_{k+1} = ``gradient_descent_step(A, b, w_k, η)``; ∞ after divergence."""
    w_star = quadratic_minimiser(a, b)
    w = np.asarray(w0, dtype=np.float64)
    out = np.empty(steps + 1)
    out[0] = np.linalg.norm(w - w_star)
    for k in range(1, steps + 1):
        w = gradient_descent_step(a, b, w, eta)
        out[k] = np.linalg.norm(w - w_star)
        if out[k] > DIVERGED:  # stop before the squares in the norm overflow
            out[k + 1 :] = np.inf
            break
    return out


def measured_rate(errs: np.ndarray, tail: int = TAIL) -> float:
    """The factor per step over the last ``tail`` steps before the error reaches the rounding floor.

    (‖e_end‖ / ‖e_start‖)^(1/(end − start)), where ``end`` is the first step with ‖e‖ below
    :data:`FLOOR` · ‖e_0‖ (w is then w* to about 10 digits, and rounding, not the rate, sets the error)
    or the last step, and ``start = end − tail`` (at least 1).
    """
    below = np.flatnonzero(errs < FLOOR * errs[0])
    end = int(below[0]) if below.size else len(errs) - 1
    start = max(1, end - tail)
    return float((errs[end] / errs[start]) ** (1.0 / (end - start)))


def extremes(a: np.ndarray) -> tuple[float, float]:
    """(λ_min, λ_max) of the symmetric matrix ``a``."""
    values = np.linalg.eigvalsh(a)
    return float(values[0]), float(values[-1])


def run(a: np.ndarray, b: np.ndarray, w0: np.ndarray, ratio: float | str, steps: int = STEPS) -> Run:
    """Gradient descent at η = ratio · 2/λ_max (or at η* for ``ratio="optimal"``)."""
    lo, hi = extremes(a)
    critical = float(critical_step_size(hi))
    if ratio == "optimal":
        multiple, eta, label = None, float(optimal_step_size(lo, hi)), "η*"
    else:
        multiple = float(ratio)
        eta, label = multiple * critical, f"{multiple:g} · 2/λmax"
    errs = errors(a, b, w0, eta, steps)
    return Run(label, multiple, eta, eta / critical, errs, float(convergence_rate(eta, lo, hi)), measured_rate(errs))


def runs(a: np.ndarray, b: np.ndarray, w0: np.ndarray, steps: int = STEPS) -> list[Run]:
    """The runs of :data:`RATIOS`."""
    return [run(a, b, w0, r, steps) for r in RATIOS]


def _shrinking(a: np.ndarray, b: np.ndarray, w0: np.ndarray, eta: float, steps: int, tail: int) -> bool:
    """The error fell over the last ``tail`` steps, or has already reached the floor."""
    errs = errors(a, b, w0, eta, steps)
    return bool(np.isfinite(errs[-1]) and (errs[-1] < errs[-1 - tail] or errs[-1] < FLOOR * errs[0]))


def numeric_threshold(
    a: np.ndarray,
    b: np.ndarray,
    w0: np.ndarray,
    steps: int = THRESHOLD_STEPS,
    tail: int = TAIL,
    iterations: int = 60,
) -> float:
    """The step size where gradient descent turns from shrinking to growing, by bisection on runs only.

    A run "shrinks" when its error fell over its last ``tail`` steps (or reached :data:`FLOOR`).
    Near the threshold, after ``steps − tail`` steps only the direction of λ_max is left when the
    other factors |1 − ηλ_i| are well below 1 there (true for ``derive.topics.convergence.MATRICES``), so
    the answer is exact up to rounding.  The bracket needs no eigenvalue: with ‖A‖_F the Frobenius
    norm, λ_max ≤ ‖A‖_F ≤ √n λ_max, so η = 1/‖A‖_F shrinks and η = 4√n/‖A‖_F grows.
    """
    frobenius = float(np.linalg.norm(a))
    lo, hi = 1.0 / frobenius, 4.0 * np.sqrt(a.shape[0]) / frobenius
    if not _shrinking(a, b, w0, lo, steps, tail) or _shrinking(a, b, w0, hi, steps, tail):
        raise ValueError("the bracket of numeric_threshold does not enclose the threshold")
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if _shrinking(a, b, w0, mid, steps, tail):
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def as_array(m: sp.MatrixBase) -> np.ndarray:
    """An exact SymPy matrix as a float64 array (1-D for a column)."""
    out = np.array(m.evalf(17).tolist(), dtype=np.float64)
    return out[:, 0] if out.shape[1] == 1 else out


def thresholds() -> dict[str, float]:
    """:func:`numeric_threshold` for every matrix A of ``derive.topics.convergence.MATRICES``, with b = A·1, w0 = 0."""
    out = {}
    for name, m in cv.MATRICES.items():
        a = as_array(m)
        out[name] = numeric_threshold(a, a @ np.ones(len(a)), np.zeros(len(a)))
    return out


def figure_runs() -> list[Run]:
    """The runs of :data:`RATIOS` on the figure's matrix and b (``FIGURE_MATRIX``, ``FIGURE_B``), from w0 = 0."""
    a, b = as_array(cv.MATRICES[cv.FIGURE_MATRIX]), as_array(cv.FIGURE_B)
    return runs(a, b, np.zeros(len(b)))


__all__ = [
    "RATIOS",
    "Run",
    "as_array",
    "errors",
    "extremes",
    "figure_runs",
    "measured_rate",
    "numeric_threshold",
    "run",
    "runs",
    "thresholds",
]
