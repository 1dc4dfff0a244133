"""The worked example: one forward and backward pass of a 2-2-2 network, exactly.

The classic walk-through (Mazur's numbers: inputs 0.05, 0.10, targets 0.01,
0.99, sigmoid everywhere) — here as exact rationals fed into the symbolic
network of :mod:`derive.topics.backpropagation`, so every number on the page is the value of
a SymPy expression: inputs, weights and pre-activations of the first layer are
rationals; from the first sigmoid on the values are exact closed forms (σ of a
rational), shown with their decimals.  The loss is the catalogue's squared
error summed over the two outputs, C = Σᵢ (aᵢ − yᵢ)².
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache

import numpy as np
import sympy as sp

from derive.topics.backpropagation import backprop, forward, network

R = sp.Rational

INPUT = (R(1, 20), R(1, 10))
TARGET = (R(1, 100), R(99, 100))
W1 = ((R(3, 20), R(1, 5)), (R(1, 4), R(3, 10)))
B1 = (R(7, 20), R(7, 20))
W2 = ((R(2, 5), R(9, 20)), (R(1, 2), R(11, 20)))
B2 = (R(3, 5), R(3, 5))
LEARNING_RATE = R(1, 2)


@dataclass(frozen=True)
class WorkedExample:
    """Every quantity of the pass, exact (SymPy); ``floats()`` gives NumPy arrays."""

    x: sp.ImmutableMatrix
    y: sp.ImmutableMatrix
    W1: sp.ImmutableMatrix  # noqa: N815 - matrices are capitals, as on the page
    b1: sp.ImmutableMatrix
    W2: sp.ImmutableMatrix  # noqa: N815
    b2: sp.ImmutableMatrix
    z1: sp.ImmutableMatrix
    a1: sp.ImmutableMatrix
    z2: sp.ImmutableMatrix
    a2: sp.ImmutableMatrix
    loss: sp.Expr
    delta2: sp.ImmutableMatrix
    delta1: sp.ImmutableMatrix
    dW2: sp.ImmutableMatrix  # noqa: N815
    db2: sp.ImmutableMatrix
    dW1: sp.ImmutableMatrix  # noqa: N815
    db1: sp.ImmutableMatrix
    learning_rate: sp.Rational
    W1_new: sp.ImmutableMatrix  # noqa: N815
    W2_new: sp.ImmutableMatrix  # noqa: N815

    def floats(self) -> dict[str, np.ndarray]:
        """Every field as float64 (evaluated from the exact value with 30 digits)."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = np.array(sp.N(v, 30).tolist() if hasattr(v, "tolist") else sp.N(v, 30), dtype=float)
        return out


@lru_cache(maxsize=1)
def worked_example() -> WorkedExample:
    """The exact 2-2-2 sigmoid / squared-error example."""
    net = network((2, 2, 2), "sigmoid", "sigmoid", "mse")
    values = {}
    for symbols, numbers in (
        (net.x, INPUT),
        (net.y, TARGET),
        (net.weights[0], sum(W1, ())),
        (net.biases[0], B1),
        (net.weights[1], sum(W2, ())),
        (net.biases[1], B2),
    ):
        values.update(dict(zip(list(symbols), numbers)))

    def at(m):
        return m.xreplace(values)

    zs, acts = forward(net)
    bp = backprop(net)
    eta = LEARNING_RATE
    return WorkedExample(
        x=at(net.x),
        y=at(net.y),
        W1=at(net.weights[0]),
        b1=at(net.biases[0]),
        W2=at(net.weights[1]),
        b2=at(net.biases[1]),
        z1=at(zs[0]),
        a1=at(acts[1]),
        z2=at(zs[1]),
        a2=at(acts[2]),
        loss=at(bp.cost),
        delta2=at(bp.deltas[1]),
        delta1=at(bp.deltas[0]),
        dW2=at(bp.weight_grads[1]),
        db2=at(bp.bias_grads[1]),
        dW1=at(bp.weight_grads[0]),
        db1=at(bp.bias_grads[0]),
        learning_rate=eta,
        W1_new=sp.ImmutableMatrix(at(net.weights[0]) - eta * at(bp.weight_grads[0])),
        W2_new=sp.ImmutableMatrix(at(net.weights[1]) - eta * at(bp.weight_grads[1])),
    )


def numeric_check() -> float:
    """Largest |difference| between the exact values and the same pass with ``numeric``'s functions."""
    from numeric import mse, mse_grad, sigmoid, sigmoid_grad

    ex = worked_example()
    f = ex.floats()
    x, y = f["x"].ravel(), f["y"].ravel()
    z1 = f["W1"] @ x + f["b1"].ravel()
    a1 = sigmoid(z1)
    z2 = f["W2"] @ a1 + f["b2"].ravel()
    a2 = sigmoid(z2)
    loss = mse(a2, y).sum()
    d2 = mse_grad(a2, y) * sigmoid_grad(z2)
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
