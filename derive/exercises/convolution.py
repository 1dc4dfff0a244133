"""An exercise for the per-participant sheets: a 2-D convolution's output size, one output value, one gradient.

One input channel, one filter, no bias: an N×N input of small integers, a K×K kernel of −1, 0 and 1,
stride s and zero padding p, chosen so that the output is 2×2 or 3×3 (at most nine products to add
by hand), sometimes with a floor in the output size.  Every answer is :mod:`derive.topics.convolution`'s
array program evaluated exactly (:func:`derive.calculus.arrays.evaluate`): the output size from
:func:`~derive.topics.convolution.output_size`, y from :func:`~derive.topics.convolution.conv_forward` and
∂C/∂w for C = Σ y (upstream gradient 1 everywhere) from :func:`~derive.topics.convolution.conv_grad_weight`.
"""

from __future__ import annotations

import random
from functools import cache

import numpy as np
import sympy as sp

from derive.calculus.arrays import definition, evaluate
from derive.exercises import Exercise, Formula, Quantity
from derive.topics.convolution import (
    POSITIONS,
    Case,
    c,
    conv_arrays,
    conv_forward,
    conv_grad_weight,
    f,
    n,
    output_size,
    space,
)

# (N, K, s, p) with a 2×2 or 3×3 output; ⌊·⌋ matters in (5, 2, 2, 0) and (6, 3, 2, 0).
SIZES: tuple[tuple[int, int, int, int], ...] = (
    (5, 3, 1, 0),
    (4, 3, 1, 0),
    (4, 2, 2, 0),
    (5, 2, 2, 0),
    (5, 3, 2, 0),
    (6, 3, 2, 0),
    (4, 3, 2, 1),
    (5, 3, 2, 1),
    (4, 2, 2, 1),
)
INPUTS = (-1, 0, 1, 2)
WEIGHTS = (-1, 0, 1)


def _case(size: int, kernel: int, stride: int, padding: int) -> Case:
    return Case(1, 1, 1, (size, size), (kernel, kernel), (stride, stride), (padding, padding))


@cache
def formulas() -> tuple[Formula, Formula]:
    """L = ⌊(N + 2p − K)/s⌋ + 1, and y_{ij} = Σ_{k,l} w_{kl} x̃_{si+k, sj+l}: derive's forward program with one
    channel, one filter, no bias and the same stride and kernel size on both axes."""
    one = space(1)
    size = Formula(sp.Eq(one.L[0], output_size(one.N[0], one.K[0], one.s[0], one.p[0]), evaluate=False))
    two, a = space(2), conv_arrays(2)
    forward = definition(conv_forward(2)[1], (n, f, *POSITIONS))
    x_tilde, w, y = sp.IndexedBase(r"\tilde{x}"), sp.IndexedBase("w"), sp.IndexedBase("y")
    single = {a.b[f]: sp.S.Zero}

    def drop_channels(e: sp.Basic) -> sp.Basic:
        if isinstance(e, sp.Indexed) and e.base in (a.xp, a.w, a.y):
            return {a.xp: x_tilde, a.w: w, a.y: y}[e.base][e.indices[2:]]
        if isinstance(e, sp.Sum):
            return sp.Sum(e.function, *(lim for lim in e.limits if lim[0] != c))
        return e

    same = {two.s[1]: one.s[0], two.s[0]: one.s[0], two.K[0]: one.K[0], two.K[1]: one.K[0]}
    lhs = drop_channels(forward.lhs)
    rhs = forward.rhs.xreplace(single)
    rhs = rhs.replace(lambda e: isinstance(e, (sp.Indexed, sp.Sum)), drop_channels).xreplace(same)
    return size, Formula(sp.Eq(lhs, rhs, evaluate=False))


def _array(values: list[int], shape: tuple[int, ...]) -> np.ndarray:
    return np.array([sp.Integer(v) for v in values], dtype=object).reshape(shape)


def convolution_exercise(rng: random.Random) -> Exercise | None:
    """Input, kernel, stride and padding drawn; L, one y_{ij} and one ∂C/∂w_{kl} (C = Σ y) from the array programs."""
    size, kernel, stride, padding = rng.choice(SIZES)
    case = _case(size, kernel, stride, padding)
    sizes, a = case.sizes(), conv_arrays(2)
    x = _array(rng.choices(INPUTS, k=size * size), (1, 1, size, size))
    w = _array(rng.choices(WEIGHTS, k=kernel * kernel), (1, 1, kernel, kernel))
    if not any(w.flat) or sum(v != 0 for v in w.flat) > 6:
        return None  # a kernel with something to add, but not nine products
    out = int(output_size(*(sp.Integer(v) for v in (size, kernel, stride, padding))))
    y = evaluate(conv_forward(2), sizes, {a.x: x, a.w: w, a.b: _array([0], (1,))})["y"][0, 0]
    ones = _array([1] * out * out, (1, 1, out, out))
    dw = evaluate(conv_grad_weight(2), sizes, {a.x: x, a.w: w, a.g: ones})["dw"][0, 0]
    i, j = rng.randrange(out), rng.randrange(out)
    k, l = rng.randrange(kernel), rng.randrange(kernel)  # noqa: E741 - the kernel offset's name
    if y[i, j] == 0 or dw[k, l] == 0:
        return None  # a zero answer is too easy to guess
    return Exercise(
        key="convolution",
        formulas=formulas(),
        given=(
            Quantity(r"\mathbf{x}", sp.ImmutableMatrix(x[0, 0].tolist())),
            Quantity(r"\mathbf{w}", sp.ImmutableMatrix(w[0, 0].tolist())),
            Quantity("s", sp.Integer(stride)),
            Quantity("p", sp.Integer(padding)),
        ),
        solution=(
            Quantity(r"L", sp.Integer(out)),
            Quantity(f"y_{{{i},{j}}}", y[i, j]),
            Quantity(rf"\partial C / \partial w_{{{k},{l}}}", dw[k, l]),
        ),
        entries=(),
    )
