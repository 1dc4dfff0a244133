"""The worked example recomputed in floating point with ``numeric``'s generated functions."""

from __future__ import annotations

import numpy as np

from derive.topics.worked_example import SCALE, worked_example
from numeric import mse, mse_grad, sigmoid, sigmoid_grad


def numeric_check() -> float:
    """Largest |difference| between the exact values and the same pass with ``numeric``'s functions
    (C = ½ Σ mse(a, y), so ∇ₐC = ½ mse_grad(a, y))."""
    f = worked_example().floats()
    half = float(SCALE)
    x, y = f["x"].ravel(), f["y"].ravel()
    z1 = f["W1"] @ x + f["b1"].ravel()
    a1 = sigmoid(z1)
    z2 = f["W2"] @ a1 + f["b2"].ravel()
    a2 = sigmoid(z2)
    loss = half * mse(a2, y).sum()
    d2 = half * mse_grad(a2, y) * sigmoid_grad(z2)
    d1 = (f["W2"].T @ d2) * sigmoid_grad(z1)
    ours = {
        "z1": z1,
        "a1": a1,
        "z2": z2,
        "a2": a2,
        "loss": loss,
        "delta2": d2,
        "delta1": d1,
        "dW2": np.outer(d2, a1),
        "dW1": np.outer(d1, x),
    }
    return max(float(np.max(np.abs(np.ravel(v) - np.ravel(f[k])))) for k, v in ours.items())


__all__ = ["numeric_check"]
