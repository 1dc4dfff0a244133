"""The generated convolution and pooling functions against PyTorch's autograd, in float64.

:func:`errors` returns rows ``{"function", "error", "cases"}``: the largest relative error
max|ours − torch| / max|torch| over the configurations below (batches, channels, strides, paddings).
The page shows these numbers; ``tests/test_convolution.py`` asserts the same agreement (≤ 1e-12) on
its own configurations.
"""

from __future__ import annotations

import numpy as np

import numeric
from nnmath.verify.errors import ErrorTable

# (batch, c_in, c_out, input size, kernel, stride, padding), cut to the first d axes for d-D
CONV_CONFIGS = (
    (2, 3, 4, (9, 11), (3, 2), (2, 3), (1, 0)),
    (1, 1, 2, (5, 6), (5, 5), (1, 1), (2, 2)),
    (3, 2, 3, (8, 7), (2, 3), (1, 2), (0, 1)),
)


def errors(seed: int = 0) -> list[dict]:
    """conv{1,2}d, their input/kernel/bias gradients, max and average pooling and their gradients, against torch."""
    import torch
    import torch.nn.functional as tf

    rng = np.random.default_rng(seed)
    table = ErrorTable()
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
            table.add(conv, getattr(numeric, conv)(x, w, b, stride=stride, padding=padding), ty)
            table.add(f"{conv}_grad_input", getattr(numeric, f"{conv}_grad_input")(x, w, g, stride, padding), tx.grad)
            table.add(f"{conv}_grad_weight", getattr(numeric, f"{conv}_grad_weight")(x, w, g, stride, padding), tw.grad)
            table.add(f"{conv}_grad_bias", getattr(numeric, f"{conv}_grad_bias")(g), tb.grad)
            pad = tuple(min(p, k // 2) for p, k in zip(padding, kernel))  # PyTorch: padding ≤ kernel/2
            for kind in ("max", "avg"):
                tx = torch.tensor(x, requires_grad=True)
                ty = getattr(tf, f"{kind}_pool{d}d")(tx, kernel, stride=stride, padding=pad)
                g = rng.normal(size=tuple(ty.shape))
                (ty * torch.tensor(g)).sum().backward()
                pool = f"{kind}_pool{d}d"
                table.add(pool, getattr(numeric, pool)(x, kernel, stride, pad), ty)
                table.add(f"{pool}_grad", getattr(numeric, f"{pool}_grad")(x, g, kernel, stride, pad), tx.grad)
    return table.rows()
