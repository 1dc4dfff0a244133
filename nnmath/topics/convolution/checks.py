"""The generated convolution, pooling and RNN functions against PyTorch's autograd, in float64.

Each function returns rows ``{"function", "error", "cases"}``: the largest relative error
max|ours − torch| / max|torch| over the configurations below (batches, channels, strides,
paddings, sequence lengths).  The pages show these numbers; ``tests/test_convolution.py`` and
``tests/test_recurrent.py`` assert the same agreement (≤ 1e-12) on their own configurations.
"""

from __future__ import annotations

import numpy as np

import numeric

# (batch, c_in, c_out, input size, kernel, stride, padding), cut to the first d axes for d-D
CONV_CONFIGS = (
    (2, 3, 4, (9, 11), (3, 2), (2, 3), (1, 0)),
    (1, 1, 2, (5, 6), (5, 5), (1, 1), (2, 2)),
    (3, 2, 3, (8, 7), (2, 3), (1, 2), (0, 1)),
)
# (T, batch, D, H)
RNN_CONFIGS = ((1, 1, 1, 1), (7, 3, 4, 6), (40, 2, 3, 16))


def relative_error(ours: np.ndarray, reference: np.ndarray) -> float:
    """max|ours − reference| / max|reference| (0 when both are 0)."""
    scale = float(np.max(np.abs(reference)))
    return float(np.max(np.abs(np.asarray(ours) - reference))) / scale if scale else float(np.max(np.abs(ours)))


def _rows(errors: dict[str, list[float]]) -> list[dict]:
    return [{"function": name, "error": max(values), "cases": len(values)} for name, values in errors.items()]


def convolution_errors(seed: int = 0) -> list[dict]:
    """conv{1,2}d, their input/kernel/bias gradients, max and average pooling and their gradients, against torch."""
    import torch
    import torch.nn.functional as tf

    rng = np.random.default_rng(seed)
    errors: dict[str, list[float]] = {}

    def record(name: str, ours: np.ndarray, reference) -> None:
        errors.setdefault(name, []).append(relative_error(ours, reference.detach().numpy()))

    for d in (1, 2):
        for batch, c_in, c_out, size, kernel, stride, padding in CONV_CONFIGS:
            size, kernel, stride, padding = size[:d], kernel[:d], stride[:d], padding[:d]
            x, w, b = (
                rng.normal(size=(batch, c_in, *size)),
                rng.normal(size=(c_out, c_in, *kernel)),
                rng.normal(size=c_out),
            )
            tx, tw, tb = (torch.tensor(v, requires_grad=True) for v in (x, w, b))
            ty = getattr(tf, f"conv{d}d")(tx, tw, tb, stride=stride, padding=padding)
            g = rng.normal(size=tuple(ty.shape))
            (ty * torch.tensor(g)).sum().backward()
            conv = f"conv{d}d"
            record(conv, getattr(numeric, conv)(x, w, b, stride=stride, padding=padding), ty)
            record(f"{conv}_grad_input", getattr(numeric, f"{conv}_grad_input")(x, w, g, stride, padding), tx.grad)
            record(f"{conv}_grad_weight", getattr(numeric, f"{conv}_grad_weight")(x, w, g, stride, padding), tw.grad)
            record(f"{conv}_grad_bias", getattr(numeric, f"{conv}_grad_bias")(g), tb.grad)
            pad = tuple(min(p, k // 2) for p, k in zip(padding, kernel))  # PyTorch: padding ≤ kernel/2
            for kind in ("max", "avg"):
                tx = torch.tensor(x, requires_grad=True)
                ty = getattr(tf, f"{kind}_pool{d}d")(tx, kernel, stride=stride, padding=pad)
                g = rng.normal(size=tuple(ty.shape))
                (ty * torch.tensor(g)).sum().backward()
                pool = f"{kind}_pool{d}d"
                record(pool, getattr(numeric, pool)(x, kernel, stride, pad), ty)
                record(f"{pool}_grad", getattr(numeric, f"{pool}_grad")(x, g, kernel, stride, pad), tx.grad)
    return _rows(errors)


def recurrent_errors(seed: int = 0) -> list[dict]:
    """rnn_forward/rnn_backward (tanh) against torch.nn.RNN, the state Jacobian against torch.autograd; linear too."""
    import torch

    rng = np.random.default_rng(seed)
    errors: dict[str, list[float]] = {}

    def record(name: str, ours: np.ndarray, reference) -> None:
        ref = reference.detach().numpy() if hasattr(reference, "detach") else reference
        errors.setdefault(name, []).append(relative_error(ours, ref))

    for steps, batch, d_in, hidden in RNN_CONFIGS:
        x, h0 = rng.normal(size=(steps, batch, d_in)), rng.normal(size=(batch, hidden))
        w, u = rng.normal(size=(hidden, hidden)) / np.sqrt(hidden), rng.normal(size=(hidden, d_in))
        b, g = rng.normal(size=hidden), rng.normal(size=(steps, batch, hidden))
        rnn = torch.nn.RNN(d_in, hidden, nonlinearity="tanh", dtype=torch.float64)
        with torch.no_grad():
            rnn.weight_ih_l0.copy_(torch.tensor(u))
            rnn.weight_hh_l0.copy_(torch.tensor(w))
            rnn.bias_ih_l0.copy_(torch.tensor(b))
            rnn.bias_hh_l0.zero_()
        tx, th0 = torch.tensor(x, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
        out, _ = rnn(tx, th0)
        (out * torch.tensor(g)).sum().backward()
        dx, dh0, dw, du, db = numeric.rnn_backward(x, h0, w, u, b, g)
        record("rnn_forward", numeric.rnn_forward(x, h0, w, u, b), out)
        for name, ours, ref in (
            ("x", dx, tx.grad),
            ("h0", dh0, th0.grad[0]),
            ("W", dw, rnn.weight_hh_l0.grad),
            ("U", du, rnn.weight_ih_l0.grad),
            ("b", db, rnn.bias_ih_l0.grad),
        ):
            record(f"rnn_backward ∂L/∂{name}", ours, ref)

        def last_state(h: torch.Tensor, rnn=rnn, tx=tx) -> torch.Tensor:
            return rnn(tx.detach()[:, :1], h[None, None])[0][-1, 0]

        jac = torch.autograd.functional.jacobian(last_state, torch.tensor(h0[0]))
        record("rnn_state_jacobians", numeric.rnn_state_jacobians(x, h0, w, u, b)[-1, 0], jac)

        # the linear RNN against a manual torch loop
        tw, tu, tb = (torch.tensor(v, requires_grad=True) for v in (w, u, b))
        tx, th = torch.tensor(x, requires_grad=True), torch.tensor(h0, requires_grad=True)
        states, h = [], th
        for t in range(steps):
            h = h @ tw.T + tx[t] @ tu.T + tb
            states.append(h)
        (torch.stack(states) * torch.tensor(g)).sum().backward()
        record("linear_rnn_forward", numeric.linear_rnn_forward(x, h0, w, u, b), torch.stack(states))
        ldx, ldh0, ldw, ldu, ldb = numeric.linear_rnn_backward(x, h0, w, u, b, g)
        for name, ours, ref in (("x", ldx, tx.grad), ("h0", ldh0, th.grad), ("W", ldw, tw.grad), ("U", ldu, tu.grad)):
            record(f"linear_rnn_backward ∂L/∂{name}", ours, ref)
        record("linear_rnn_backward ∂L/∂b", ldb, tb.grad)
        power = np.linalg.matrix_power(w, steps)
        record("linear_rnn_state_jacobians", numeric.linear_rnn_state_jacobians(x, h0, w, u, b)[-1, 0], power)
    return _rows(errors)


__all__ = ["CONV_CONFIGS", "RNN_CONFIGS", "relative_error", "convolution_errors", "recurrent_errors"]
