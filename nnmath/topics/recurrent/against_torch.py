"""The generated RNN functions against ``torch.nn.RNN`` and PyTorch's autograd, in float64.

:func:`errors` returns rows ``{"function", "error", "cases"}``: the largest relative error
max|ours − torch| / max|torch| over the configurations below (sequence lengths, batches, sizes).
The page shows these numbers; ``tests/test_recurrent.py`` asserts the same agreement (≤ 1e-12) on
its own configurations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

import numeric
from nnmath.verify.errors import ErrorTable

if TYPE_CHECKING:
    import torch

# (T, batch, D, H)
RNN_CONFIGS = ((1, 1, 1, 1), (7, 3, 4, 6), (40, 2, 3, 16))


def torch_rnn(w: np.ndarray, u: np.ndarray, b: np.ndarray) -> torch.nn.RNN:
    """A one-layer tanh ``torch.nn.RNN`` in float64 with our weights: W → weight_hh, U → weight_ih, b → bias_ih."""
    import torch

    hidden, d_in = u.shape
    rnn = torch.nn.RNN(d_in, hidden, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.tensor(u))
        rnn.weight_hh_l0.copy_(torch.tensor(w))
        rnn.bias_ih_l0.copy_(torch.tensor(b))
        rnn.bias_hh_l0.zero_()  # our b is the only bias
    return rnn


def errors(seed: int = 0) -> list[dict]:
    """rnn_forward/rnn_backward (tanh) against torch.nn.RNN, the state Jacobian against torch.autograd; linear too."""
    import torch

    rng = np.random.default_rng(seed)
    table = ErrorTable()
    for steps, batch, d_in, hidden in RNN_CONFIGS:
        x, h0 = rng.normal(size=(steps, batch, d_in)), rng.normal(size=(batch, hidden))
        w, u = rng.normal(size=(hidden, hidden)) / np.sqrt(hidden), rng.normal(size=(hidden, d_in))
        b, g = rng.normal(size=hidden), rng.normal(size=(steps, batch, hidden))
        rnn = torch_rnn(w, u, b)
        tx, th0 = torch.tensor(x, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
        out, _ = rnn(tx, th0)
        (out * torch.tensor(g)).sum().backward()
        dx, dh0, dw, du, db = numeric.rnn_backward(x, h0, w, u, b, g)
        table.add("rnn_forward", numeric.rnn_forward(x, h0, w, u, b), out)
        for name, ours, ref in (
            ("x", dx, tx.grad),
            ("h0", dh0, th0.grad[0]),
            ("W", dw, rnn.weight_hh_l0.grad),
            ("U", du, rnn.weight_ih_l0.grad),
            ("b", db, rnn.bias_ih_l0.grad),
        ):
            table.add(f"rnn_backward ∂L/∂{name}", ours, ref)

        def last_state(h: torch.Tensor, rnn=rnn, tx=tx) -> torch.Tensor:
            return rnn(tx.detach()[:, :1], h[None, None])[0][-1, 0]

        jac = torch.autograd.functional.jacobian(last_state, torch.tensor(h0[0]))
        table.add("rnn_state_jacobians", numeric.rnn_state_jacobians(x, h0, w, u, b)[-1, 0], jac)

        # the linear RNN against a manual torch loop
        tw, tu, tb = (torch.tensor(v, requires_grad=True) for v in (w, u, b))
        tx, th = torch.tensor(x, requires_grad=True), torch.tensor(h0, requires_grad=True)
        states, h = [], th
        for t in range(steps):
            h = h @ tw.T + tx[t] @ tu.T + tb
            states.append(h)
        (torch.stack(states) * torch.tensor(g)).sum().backward()
        table.add("linear_rnn_forward", numeric.linear_rnn_forward(x, h0, w, u, b), torch.stack(states))
        ldx, ldh0, ldw, ldu, ldb = numeric.linear_rnn_backward(x, h0, w, u, b, g)
        for name, ours, ref in (("x", ldx, tx.grad), ("h0", ldh0, th.grad), ("W", ldw, tw.grad), ("U", ldu, tu.grad)):
            table.add(f"linear_rnn_backward ∂L/∂{name}", ours, ref)
        table.add("linear_rnn_backward ∂L/∂b", ldb, tb.grad)
        power = np.linalg.matrix_power(w, steps)
        table.add("linear_rnn_state_jacobians", numeric.linear_rnn_state_jacobians(x, h0, w, u, b)[-1, 0], power)
    return table.rows()
