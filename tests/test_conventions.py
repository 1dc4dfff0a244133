"""The conventions of numeric/ hold for every public function: float32 stays float32, losses do not broadcast
a prediction against a target of another shape, and a 0-d array is refused clearly where a function works
over the last axis."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import numeric
from numeric.registry import REGISTRY

RNG = np.random.default_rng(0)


def _a(*shape: int) -> np.ndarray:
    return RNG.uniform(-0.9, 0.9, shape)


# Shaped arguments, by function name prefix: (arrays..., further positional arguments).
SHAPED = {
    "conv1d_grad_bias": (_a(1, 3, 4),),
    "conv1d": (_a(1, 2, 5), _a(3, 2, 2), _a(1, 3, 4)),  # conv1d(x, w, b) takes b (3,): see below
    "conv2d_grad_bias": (_a(1, 3, 4, 4),),
    "conv2d": (_a(1, 2, 5, 5), _a(3, 2, 2, 2), _a(1, 3, 4, 4)),
    "max_pool1d_grad": (_a(1, 2, 6), _a(1, 2, 3), 2),
    "avg_pool1d_grad": (_a(1, 2, 6), _a(1, 2, 3), 2),
    "max_pool1d": (_a(1, 2, 6), 2),
    "avg_pool1d": (_a(1, 2, 6), 2),
    "max_pool2d_grad": (_a(1, 2, 4, 4), _a(1, 2, 2, 2), 2),
    "avg_pool2d_grad": (_a(1, 2, 4, 4), _a(1, 2, 2, 2), 2),
    "max_pool2d": (_a(1, 2, 4, 4), 2),
    "avg_pool2d": (_a(1, 2, 4, 4), 2),
    "rnn": (_a(3, 2, 2), _a(2, 3), _a(3, 3), _a(3, 2), _a(3), _a(3, 2, 3)),
    "linear_rnn": (_a(3, 2, 2), _a(2, 3), _a(3, 3), _a(3, 2), _a(3), _a(3, 2, 3)),
    "quadratic_minimiser": (np.array([[2.0, 0.3], [0.3, 1.0]]), _a(2)),
    "quadratic": (np.array([[2.0, 0.3], [0.3, 1.0]]), _a(2), _a(2), np.array(0.1)),
    "gradient_descent_step": (np.array([[2.0, 0.3], [0.3, 1.0]]), _a(2), _a(2), np.array(0.1)),
}
# Not array functions of the float convention: in-place updates (return None), a 0/1 mask, and the API.
NOT_NUMERIC = {"sgd_update", "momentum_update", "adam_update", "relu_grad_batch"}
# The fused training steps update the trainer's buffers in place and return None (their float32 and float64
# runs are checked in tests/test_fused_step.py).
IN_PLACE_MODULES = {"numeric._generated.steps"}


def _array_functions() -> list[str]:
    names = []
    for name in numeric.__all__:
        f = getattr(numeric, name)
        generated = inspect.isfunction(f) and f.__module__.startswith("numeric._generated.")
        if generated and name not in NOT_NUMERIC and f.__module__ not in IN_PLACE_MODULES:
            names.append(name)
    return names


def _arguments(name: str, f, dtype) -> list:
    """Arguments of the right shapes in ``dtype``: a shaped entry, or (2, 3) arrays (class probabilities for K)."""
    for prefix in sorted(SHAPED, key=len, reverse=True):
        if name.startswith(prefix):
            args = list(SHAPED[prefix])
            if name in ("conv1d", "conv2d"):
                args[2] = _a(3)
            required = [p for p in inspect.signature(f).parameters.values() if p.default is inspect.Parameter.empty]
            args = args[: len(required)] if len(args) > len(required) else args
            return [a.astype(dtype) if isinstance(a, np.ndarray) else a for a in args]
    required = [p for p in inspect.signature(f).parameters.values() if p.default is inspect.Parameter.empty]
    probs = np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
    return [
        (probs if i and p.name in ("target", "prob") else _a(2, 3) * 0 + probs).astype(dtype)
        for i, p in enumerate(required)
    ]


def test_every_array_function_of_numeric_is_covered() -> None:
    names = _array_functions()
    assert len(names) >= 100 and {e for e in REGISTRY} <= set(names)


@pytest.mark.parametrize("name", _array_functions())
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float32_stays_float32_and_float64_stays_float64(name, dtype) -> None:
    f = getattr(numeric, name)
    with np.errstate(all="ignore"):
        result = f(*_arguments(name, f, dtype))
    for part in result if isinstance(result, tuple) else (result,):
        assert np.asarray(part).dtype == dtype, (name, np.asarray(part).dtype)


LOSSES = [name for name, e in REGISTRY.items() if e.group == "loss"]


@pytest.mark.parametrize("name", LOSSES)
def test_a_loss_refuses_a_prediction_and_target_of_different_shapes(name) -> None:
    e = REGISTRY[name]
    prediction, target = np.full((3, 1), 0.4), np.array([0.0, 1.0, 1.0])
    for f in (e.function, e.gradient):
        with pytest.raises(ValueError, match=rf"{name}: \w+ of shape \(3, 1\) and target of shape \(3,\) differ"):
            f(prediction, target)


@pytest.mark.parametrize("name", [name for name, e in REGISTRY.items() if e.kind != "elementwise"])
def test_a_0d_array_is_refused_where_a_function_works_over_the_last_axis(name) -> None:
    e = REGISTRY[name]
    args = [np.float64(0.5)] * (2 if e.group == "loss" else 1)
    for f in (e.function, e.gradient):
        with pytest.raises(ValueError, match=rf"{name}: \w+ must have a last axis of classes.*got a 0-d array"):
            f(*args)


@pytest.mark.parametrize("name", [name for name, e in REGISTRY.items() if e.kind == "elementwise"])
def test_0d_input_works_for_an_elementwise_function(name) -> None:
    e = REGISTRY[name]
    args = [np.float32(0.25)] * (2 if e.group == "loss" else 1)
    with np.errstate(all="ignore"):
        value = e.function(*args)
    assert np.ndim(value) == 0 and np.asarray(value).dtype == np.float32
