"""The preallocated arrays of a fused training step (``numeric/_generated/steps.py``), and the call into it.

A fused step runs the forward pass, BP1–BP4 and the optimiser update of one batch as a single generated
function that writes every result in place.  This module only allocates the arrays it writes into — per
batch size B: Zˡ, Aˡ, Δˡ and a scratch array of shape (B, nˡ) per layer, the row maximum and row sum
(B, 1) of the softmax — and passes the optimiser's state and hyperparameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy

from numeric._generated.steps import FUSED_STEPS
from numeric.optimisers import SGD, Adam, Momentum, Optimiser

# The optimisers whose rule the fused steps print, and their state arrays per parameter (m, v / v / none).
OPTIMISER_SLOTS: dict[type, int] = {SGD: 0, Momentum: 1, Adam: 2}


@dataclass
class StepBuffers:
    """Every array a fused step reads or writes, for one batch size.

    ``weights``/``biases``/``grad_weights``/``grad_biases`` are views into the flat ``parameters`` and
    ``gradient``; ``z``, ``a`` (hidden layers only), ``delta`` and ``scratch`` are (B, nˡ);
    ``flat_scratch`` holds two arrays the size of ``parameters`` for the update.
    """

    weights: list
    biases: list
    grad_weights: list
    grad_biases: list
    parameters: numpy.ndarray
    gradient: numpy.ndarray
    z: list
    a: list
    delta: list
    scratch: list
    rowmax: numpy.ndarray
    rowsum: numpy.ndarray
    flat_scratch: list
    ones_batch: numpy.ndarray  # B ones: Δ·1 sums over the samples (BP3)
    ones_classes: numpy.ndarray  # K ones: z·1 sums over the classes
    axpy: object  # BLAS axpy(x, y, a=…): y ← y + a·x in place (daxpy or saxpy for the dtype)


def buffers(net, batch: int) -> StepBuffers:
    """Arrays for a batch of ``batch`` rows of network ``net`` (an :class:`numeric.mlp.MLP`), in its dtype."""
    from scipy.linalg.blas import get_blas_funcs  # imported on the first fused step, not with numeric

    dtype, widths = net.dtype, net.sizes[1:]
    per_layer = [[numpy.empty((batch, n), dtype) for n in widths] for _ in range(3)]
    return StepBuffers(
        net.weights,
        net.biases,
        net._grad_weights,
        net._grad_biases,
        net.parameters,
        net._gradient,
        z=per_layer[0],
        a=[numpy.empty((batch, n), dtype) for n in widths[:-1]],
        delta=per_layer[1],
        scratch=per_layer[2],
        rowmax=numpy.empty((batch, 1), dtype),
        rowsum=numpy.empty((batch, 1), dtype),
        flat_scratch=[numpy.empty_like(net.parameters) for _ in range(2)],
        ones_batch=numpy.ones(batch, dtype),
        ones_classes=numpy.ones(net.sizes[-1], dtype),
        axpy=get_blas_funcs("axpy", dtype=dtype),
    )


def fused_step(hidden: tuple[str, ...], loss: str, optimiser: Optimiser):
    """The generated step for this configuration, or None (mixed hidden activations, another loss or a
    user-defined optimiser: the trainer then takes its general path)."""
    if type(optimiser) not in OPTIMISER_SLOTS or len(set(hidden)) > 1:
        return None
    return FUSED_STEPS.get((hidden[0] if hidden else "relu", loss, optimiser.name))


def run(step, x: numpy.ndarray, y: numpy.ndarray, arrays: StepBuffers, optimiser: Optimiser) -> None:
    """One fused step on the batch (x, y): the optimiser's state is created on its first step, t counts up."""
    slots = OPTIMISER_SLOTS[type(optimiser)]
    if slots:
        state = getattr(optimiser, "_buffers", None)
        if optimiser.t == 0 or state is None or state[0][0].shape != arrays.parameters.shape:
            state = optimiser._state([arrays.parameters], slots)
        state = state[0]
    optimiser.t += 1
    if slots == 2:
        m, v = state
        step(x, y, arrays, m, v, optimiser.t, optimiser.lr, optimiser.beta1, optimiser.beta2, optimiser.eps)
    elif slots == 1:
        step(x, y, arrays, state[0], optimiser.lr, optimiser.momentum)
    else:
        step(x, y, arrays, optimiser.lr)
