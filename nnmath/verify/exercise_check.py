"""Recompute every exercise with the NumPy functions of ``numeric`` and compare with SymPy's exact answer.

SymPy's solution comes from the catalogue's symbolic derivatives; this module
runs the same exercise through the *generated* NumPy code instead
(``relu_grad``, ``mse_grad``, ``softmax``, ``l2_grad``, …), so a wrong answer
key would need both paths to be wrong in the same way.  The perceptron has no
catalogue entry (its step function has no useful derivative): its update is
recomputed with plain NumPy.  The convolution runs through the generated ``conv2d`` and
``conv2d_grad_weight``, the LIF neuron through the generated ``lif_time_to_spike`` and ``lif_rate``.
"""

from __future__ import annotations

import re

import numpy as np
import sympy as sp

from derive.exercises import Exercise, Sheet
from numeric import (
    categorical_cross_entropy_logits,
    categorical_cross_entropy_logits_grad,
    conv2d,
    conv2d_grad_weight,
    l2,
    l2_grad,
    lif_rate,
    lif_time_to_spike,
    lookup,
    mse,
    mse_grad,
    relu,
    relu_grad,
    softmax,
)

TOLERANCE = 1e-12


class AnswerMismatch(AssertionError):
    """SymPy's exact answer and the NumPy recomputation differ."""


def _f(value: sp.Basic) -> np.ndarray:
    """A SymPy value (number, ln-expression, matrix) as a float64 array."""
    if isinstance(value, sp.MatrixBase):
        return np.array(value.evalf(30).tolist(), dtype=float)
    return np.array(float(sp.N(value, 30)))


def _activation(ex: Exercise) -> dict[str, np.ndarray]:
    fn = lookup(ex.entries[0])
    x = _f(ex.value("x"))
    return {"f(x)": fn.function(x), "f'(x)": fn.gradient(x)}


def _network(ex: Exercise) -> dict[str, np.ndarray]:
    x, y = _f(ex.value(r"\mathbf{x}")), _f(ex.value("y"))
    w1, b1 = _f(ex.value("W^{1}")), _f(ex.value(r"\mathbf{b}^{1}"))
    w2, b2 = _f(ex.value("W^{2}")), _f(ex.value("b^{2}"))
    z1 = w1 @ x + b1
    a1 = relu(z1)
    z2 = w2 @ a1 + b2
    a2 = relu(z2)
    d2 = mse_grad(a2, y) * relu_grad(z2)  # BP1
    d1 = (w2.T @ d2) * relu_grad(z1)  # BP2
    return {
        r"\mathbf{z}^{1}": z1,
        r"\mathbf{a}^{1}": a1,
        "z^{2}": z2,
        "a^{2}": a2,
        "C": mse(a2, y).sum(),
        r"\delta^{2}": d2,
        r"\boldsymbol{\delta}^{1}": d1,
        r"\partial C / \partial W^{2}": d2 @ a1.T,
        r"\partial C / \partial b^{2}": d2,
        r"\partial C / \partial W^{1}": d1 @ x.T,
        r"\partial C / \partial \mathbf{b}^{1}": d1,
    }


def _gradient_step(ex: Exercise) -> dict[str, np.ndarray]:
    w, b, x = _f(ex.value(r"\mathbf{w}")), _f(ex.value("b")), _f(ex.value(r"\mathbf{x}"))
    y, lr = _f(ex.value("y")), _f(ex.value(r"\eta"))
    y_hat = (w @ x).item() + b
    g = mse_grad(y_hat, y)
    w_new, b_new = w - lr * g * x.T, b - lr * g
    return {
        r"\hat{y}": y_hat,
        "C": mse(y_hat, y),
        r"\partial C / \partial \mathbf{w}": g * x.T,
        r"\partial C / \partial b": g,
        r"\mathbf{w}_{\text{new}}": w_new,
        r"b_{\text{new}}": b_new,
        r"C_{\text{new}}": mse((w_new @ x).item() + b_new, y),
    }


def _softmax_cross_entropy(ex: Exercise) -> dict[str, np.ndarray]:
    z, y = _f(ex.value(r"\mathbf{z}")).ravel(), _f(ex.value(r"\mathbf{y}")).ravel()
    return {
        r"\mathbf{p}": softmax(z)[:, None],
        "C": categorical_cross_entropy_logits(z, y),
        r"\partial C / \partial \mathbf{z}": categorical_cross_entropy_logits_grad(z, y)[:, None],
    }


def _l2_update(ex: Exercise) -> dict[str, np.ndarray]:
    w, g = _f(ex.value(r"\mathbf{w}")), _f(ex.value(r"\nabla_{\mathbf{w}} L"))
    lam, lr = float(_f(ex.value(r"\lambda"))), _f(ex.value(r"\eta"))
    reg = l2_grad(w, lam=lam)
    return {
        r"R(\mathbf{w})": l2(w, lam=lam).sum(),
        r"\lambda \mathbf{w}": reg,
        r"\mathbf{w}_{\text{new}}": w - lr * (g + reg),
        r"1 - \eta\lambda": 1 - lr * lam,
    }


def _perceptron(ex: Exercise) -> dict[str, np.ndarray]:
    w, b, x = _f(ex.value(r"\mathbf{w}")), _f(ex.value("b")), _f(ex.value(r"\mathbf{x}"))
    y, lr = _f(ex.value("y")), _f(ex.value(r"\eta"))
    z = (w.T @ x).item() + b
    y_hat = np.where(z > 0, 1.0, 0.0)
    return {
        "z": z,
        r"\hat{y}": y_hat,
        r"y - \hat{y}": y - y_hat,
        r"\mathbf{w}_{\text{new}}": w + lr * (y - y_hat) * x,
        r"b_{\text{new}}": b + lr * (y - y_hat),
    }


def _indices(label: str) -> tuple[int, int]:
    """The element a label names: ``y_{0,1}`` → (0, 1)."""
    i, j = re.search(r"_\{(\d+),(\d+)\}$", label).groups()
    return int(i), int(j)


def _convolution(ex: Exercise) -> dict[str, np.ndarray]:
    x, w = _f(ex.value(r"\mathbf{x}"))[None, None], _f(ex.value(r"\mathbf{w}"))[None, None]
    stride, padding = int(ex.value("s")), int(ex.value("p"))
    y = conv2d(x, w, np.zeros(1), stride=stride, padding=padding)[0, 0]
    dw = conv2d_grad_weight(x, w, np.ones((1, 1, *y.shape)), stride=stride, padding=padding)[0, 0]
    out = {"L": np.array(float(y.shape[0]))}
    for q in ex.answers:
        if q.label.startswith("y_"):
            out[q.label] = y[_indices(q.label)]
        elif q.label.startswith(r"\partial C / \partial w_"):
            out[q.label] = dw[_indices(q.label)]
    return out


def _lif(ex: Exercise) -> dict[str, np.ndarray]:
    tau, r, rest, threshold, t_ref, current = (float(_f(q.value)) for q in ex.given)
    args = (current, tau, r, rest, threshold, rest)
    return {
        r"I_{rh} \text{ (nA)}": np.array((threshold - rest) / r),
        r"V_{\infty} \text{ (mV)}": np.array(rest + r * current),
        r"t^{*} \text{ (ms)}": lif_time_to_spike(*args),
        r"f \text{ (Hz)}": 1000 * lif_rate(*args, t_ref),  # spikes per ms → Hz
    }


RECOMPUTE = {
    "activation": _activation,
    "network": _network,
    "gradient_step": _gradient_step,
    "softmax_cross_entropy": _softmax_cross_entropy,
    "l2_update": _l2_update,
    "perceptron": _perceptron,
    "convolution": _convolution,
    "lif": _lif,
}


def numeric_answers(ex: Exercise) -> dict[str, np.ndarray]:
    """Every asked value of ``ex``, recomputed in float64 with ``numeric``'s functions."""
    return RECOMPUTE[ex.key](ex)


def crosscheck(sheet: Sheet, tolerance: float = TOLERANCE) -> float:
    """Largest |exact − NumPy| over every asked value of the sheet; :class:`AnswerMismatch` above ``tolerance``."""
    worst = 0.0
    for ex in sheet.exercises:
        recomputed = numeric_answers(ex)
        for q in ex.answers:
            if q.label not in recomputed:
                raise AnswerMismatch(f"sheet {sheet.participant}, {ex.key}: {q.label} is not recomputed")
            exact, approx = _f(q.value), np.asarray(recomputed[q.label], dtype=float)
            error = float(np.max(np.abs(exact - approx.reshape(exact.shape))))
            if not error <= tolerance:
                raise AnswerMismatch(
                    f"sheet {sheet.participant}, {ex.key}: {q.label} = {exact.tolist()} exactly, "
                    f"{approx.tolist()} with numeric"
                )
            worst = max(worst, error)
    return worst
