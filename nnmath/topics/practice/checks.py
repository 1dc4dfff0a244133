"""The checks behind the exercise cells of the workshop notebooks.

A check cell calls one function here and keeps what it returns::

    z = checks.dense_layer(z, W1, x, b1)

The check never raises.  It prints **one line**: ``✓ correct`` and returns the participant's own
answer, or ``not yet: …`` — what is missing or wrong, in the participant's terms (the shape, the
first wrong element, a hint that guides without giving the code) — and returns the *provided*
value, saying so (``using the provided value for z so you can go on``), so that the cells after an
unsolved exercise still run.

The expected values come from ``derive``, not from a solution typed here: the exact SymPy formula
(the dense layer, the chain rule, the update rules) evaluated at the participant's own numbers,
which are converted to exact rationals first; the provided functions are the derived rules,
``sympy.lambdify``'d.  So a check compares NumPy with SymPy, as the rest of nnmath does.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache

import numpy as np

# Relative agreement required between a participant's float64 result and the exact value.
RTOL = 1e-12
CORRECT = "✓ correct"
PLACEHOLDER = "write your code above"
# What a wrong answer is told, per check: a direction, never the code of the solution
# (tests/test_notebooks.py checks that no hint shares code with a solution).
HINTS: dict[str, str] = {
    "dense_layer": "each entry is one row of the weight matrix times the input, plus that neuron's bias",
    "batch_layer": "the bias must be added to every column: give it the shape (n, 1) first",
    "forward_pass": "apply a dense layer and the sigmoid, then a second dense layer and the sigmoid on that result",
    "central_difference": "step by h to both sides of x and divide the change in f by the distance between them",
    "gradient_check": "compare the finite difference with the generated gradient at the same points",
    "chain_rule": "multiply one factor per stage: the loss's derivative, the activation's derivative, and dz/dw",
    "gradient_step": "the update rule above moves the weight against the gradient, scaled by the learning rate",
    "l2_step": "add the penalty's gradient (a generated function in numeric) to the data gradient, then step",
}


class NotSolvedYet(AssertionError):
    """The exercise above is not solved yet: the message says what is missing or wrong (caught by the checks)."""


def verdict(name: str, answer: object, provided: object, test: Callable[[], None]) -> object:
    """Run ``test``; print ``✓ correct`` and return ``answer``, or print ``not yet: …`` and return ``provided``.

    Prints exactly one line and never raises: a failure of the participant's code inside ``test``
    is reported like a wrong answer.
    """
    try:
        test()
    except NotSolvedYet as e:
        reason = str(e)
    except Exception as e:  # noqa: BLE001 - the participant's code may raise anything: one line, no traceback
        reason = f"{type(e).__name__}: {e}"
    else:
        _say(CORRECT)
        return answer
    reason = " ".join(reason.split()).rstrip(".")
    _say(f"not yet: {reason}; using the provided value for {name} so you can go on")
    return provided


def _say(line: str) -> None:
    """Print ``line`` in one write, so that the notebook stores it as one output whatever the kernel's flushing."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _shown(value: object) -> str:
    return "..." if value is Ellipsis else repr(value)


def _given(name: str, value: object) -> None:
    if value is Ellipsis or value is None:
        raise NotSolvedYet(f"{name} is still `{_shown(value)}`: {PLACEHOLDER}")


def _array(name: str, value: object, shape: tuple[int, ...]) -> np.ndarray:
    _given(name, value)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise NotSolvedYet(f"{name} should be an array of numbers, not {type(value).__name__}") from None
    if arr.shape != shape:
        raise NotSolvedYet(f"expected shape {shape}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise NotSolvedYet(f"{name} contains inf or nan")
    return arr


def _close(got: np.ndarray, expected: np.ndarray, hint: str, rtol: float = RTOL) -> None:
    error = np.abs(got - expected)
    scale = np.maximum(np.abs(expected), 1.0)
    if np.all(error <= rtol * scale):
        return
    worst = np.unravel_index(int(np.argmax(error / scale)), error.shape) if error.ndim else ()
    where = f" (element [{', '.join(str(int(i)) for i in worst)}])" if worst else ""
    raise NotSolvedYet(f"value {float(got[worst]):.6g} expected {float(expected[worst]):.6g}{where}: {hint}")


def _callable(name: str, fn: object) -> Callable:
    _given(name, fn)
    if not callable(fn):
        raise NotSolvedYet(f"{name} should be a function (def {name}(...): ...), not {type(fn).__name__}")
    return fn


def _result(name: str, fn: Callable, *args: object) -> object:
    """``fn(*args)``; a placeholder result or an exception becomes a friendly :class:`NotSolvedYet`."""
    try:
        out = fn(*args)
    except Exception as e:  # noqa: BLE001 - the participant's code failed: say so in one line
        raise NotSolvedYet(f"calling {name} raised {type(e).__name__}: {e}") from None
    if out is Ellipsis or out is None:
        raise NotSolvedYet(f"{name} returns `{_shown(out)}`: {PLACEHOLDER}")
    return out


def exact(values: object):
    """A float array as an exact SymPy matrix (each float's exact binary value, as a rational)."""
    import sympy as sp

    arr = np.atleast_2d(np.asarray(values, dtype=float))
    return sp.Matrix(arr.shape[0], arr.shape[1], [sp.Rational(float(v)) for v in arr.ravel()])


def to_float(matrix) -> np.ndarray:
    """An exact SymPy matrix as float64 (correctly rounded: evaluated with 30 digits)."""
    import sympy as sp

    return np.array(sp.N(matrix, 30).tolist(), dtype=float)


def _dense_exact(w: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``derive.topics.backpropagation.dense`` — z = W a + b — with exact rationals, one column per sample."""
    import sympy as sp

    from derive.topics.backpropagation import dense

    columns = a.shape[1]
    bias = exact(b.reshape(-1, 1)) * sp.ones(1, columns)  # the same bias for every column
    return to_float(dense(exact(w), exact(a), bias))


def dense_layer(z: object, w: np.ndarray, x: np.ndarray, b: np.ndarray) -> object:
    """``z`` must be the layer's pre-activation W x + b for one sample ``x`` (a vector); returns z or the provided z."""
    w, x, b = (np.asarray(v, dtype=float) for v in (w, x, b))
    expected = _dense_exact(w, x.reshape(-1, 1), b).ravel()
    return verdict("z", z, expected, lambda: _close(_array("z", z, expected.shape), expected, HINTS["dense_layer"]))


def batch_layer(z: object, w: np.ndarray, x: np.ndarray, b: np.ndarray) -> object:
    """``z`` must be W X + b 1ᵀ for the batch ``X`` (one sample per column); returns Z or the provided Z."""
    w, x, b = (np.asarray(v, dtype=float) for v in (w, x, b))
    expected = _dense_exact(w, x, b)
    return verdict("Z", z, expected, lambda: _close(_array("Z", z, expected.shape), expected, HINTS["batch_layer"]))


def forward_pass(a2: object, x: np.ndarray, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray) -> object:
    """``a2`` must be σ(W² σ(W¹ X + b¹ 1ᵀ) + b² 1ᵀ) for the batch ``X`` (samples as rows of ``x``)."""
    import sympy as sp

    from derive.catalogue import get
    from derive.topics.backpropagation import dense

    x, w1, b1, w2, b2 = (np.asarray(v, dtype=float) for v in (x, w1, b1, w2, b2))
    sigmoid = get("sigmoid")

    def act(m):
        return m.applyfunc(lambda v: sigmoid.expr.xreplace({sigmoid.wrt: v}))

    ones = sp.ones(1, x.shape[0])
    a1 = act(dense(exact(w1), exact(x).T, exact(b1.reshape(-1, 1)) * ones))
    expected = to_float(act(dense(exact(w2), a1, exact(b2.reshape(-1, 1)) * ones))).T
    return verdict(
        "A2", a2, expected, lambda: _close(_array("A2", a2, expected.shape), expected, HINTS["forward_pass"])
    )


@cache
def provided_central_difference() -> Callable:
    """(f(x + h) − f(x − h)) / (2h), lambdified from :func:`derive.topics.practice.difference_quotients`."""
    import sympy as sp

    from derive.topics.practice import difference_quotients

    central = difference_quotients()["central"]
    (f,) = {applied.func for applied in central.atoms(sp.core.function.AppliedUndef)}
    x, h = sorted(central.free_symbols, key=str)[::-1]  # (x, h)
    fn = sp.lambdify((f, x, h), central, "numpy")

    def central_difference(f: Callable, x: object, h: float = 1e-5) -> object:
        """The central finite difference of f at x (elementwise), as derived."""
        return fn(f, x, h)

    return central_difference


CUBIC_POINTS, CUBIC_STEP = (-1.0, 0.5, 2.0), 1e-3  # where the central-difference check tries x³


def cubic_central_differences() -> np.ndarray:
    """The central difference of x³ at :data:`CUBIC_POINTS` with step :data:`CUBIC_STEP`, exactly (SymPy).

    On x³ it is exactly 3x² + h²: a forward difference would give 3x² + 3xh + h².
    """
    import sympy as sp

    s, h = sp.symbols("s h")
    cubic = sp.expand(((s + h) ** 3 - (s - h) ** 3) / (2 * h))
    return np.array([float(cubic.subs({s: sp.Rational(v), h: sp.Rational(CUBIC_STEP)})) for v in CUBIC_POINTS])


def _central_difference_test(fn: object) -> None:
    from numeric import tanh, tanh_grad

    fn = _callable("central_difference", fn)
    xs = np.array(CUBIC_POINTS)
    got = _array("central_difference(f, x, h)", _result("central_difference", fn, lambda v: v**3, xs, CUBIC_STEP), (3,))
    _close(got, cubic_central_differences(), HINTS["central_difference"], rtol=1e-9)
    xs = np.linspace(-3.0, 3.0, 13)
    got = _array("central_difference(tanh, x)", _result("central_difference", fn, tanh, xs, 1e-5), xs.shape)
    _close(got, tanh_grad(xs), "it should work on a whole array x at once", rtol=1e-8)


def central_difference(fn: object) -> Callable:
    """``fn(f, x, h)`` must be the central difference (f(x + h) − f(x − h)) / (2h), elementwise."""
    return verdict("central_difference", fn, provided_central_difference(), lambda: _central_difference_test(fn))


def _gradient_check_test(max_error: object, bound: float) -> None:
    _given("max_error", max_error)
    try:
        value = float(max_error)
    except (TypeError, ValueError):
        raise NotSolvedYet(f"max_error should be one number, not {type(max_error).__name__}") from None
    if not np.isfinite(value) or value < 0:
        raise NotSolvedYet(f"max_error is {value!r}: take the largest of the absolute differences")
    if value == 0:
        raise NotSolvedYet("max_error is exactly 0: compare the finite difference with the generated gradient")
    if value > bound:
        raise NotSolvedYet(f"max_error = {value:.3g} is above {bound:g}: {HINTS['gradient_check']}")


def gradient_check(max_error: object, name: str, xs: np.ndarray, bound: float = 1e-8) -> object:
    """``max_error`` must be the largest |finite difference − generated gradient| of ``name`` at ``xs``, not 0."""
    from numeric import lookup

    generated = lookup(name)
    xs = np.asarray(xs, dtype=float)
    provided = float(np.max(np.abs(provided_central_difference()(generated.function, xs) - generated.gradient(xs))))
    return verdict("max_error", max_error, provided, lambda: _gradient_check_test(max_error, bound))


def chain_rule(dl_dw: object, w: float, x: float, b: float, y: float) -> object:
    """``dl_dw`` must be ∂L/∂w of one sigmoid neuron with squared error, at the given numbers."""
    import sympy as sp

    from derive.topics.backpropagation import chain_rule_derivation, chain_rule_value

    d = chain_rule_derivation("sigmoid", "mse")
    values = {s: sp.Rational(float(v)) for s, v in zip(sp.symbols("w x b y", real=True), (w, x, b, y))}
    expected = np.array(float(sp.N(chain_rule_value(d).xreplace(values), 30)))
    return verdict(
        "dL_dw", dl_dw, float(expected), lambda: _close(_array("dL_dw", dl_dw, ()), expected, HINTS["chain_rule"])
    )


@cache
def _lambdified(rule_name: str, arity: int) -> Callable:
    """The update rule ``derive.topics.gradient_descent.<rule_name>`` of symbols (w, grad, lr, …), lambdified."""
    import sympy as sp

    from derive.topics import gradient_descent

    symbols = sp.symbols("w grad lr lam")[:arity]
    return sp.lambdify(symbols, getattr(gradient_descent, rule_name)(*symbols), "numpy")


def _update_rule_test(name: str, fn: object, rule: Callable, extra: tuple[float, ...]) -> None:
    fn = _callable(name, fn)
    rng = np.random.default_rng(7)
    w, g = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    args = (w.copy(), g.copy(), 0.1, *extra)
    got = _array(f"{name}(w, grad, ...)", _result(name, fn, *args), w.shape)
    exact_args = [exact(w), exact(g), *(exact([[v]])[0, 0] for v in (0.1, *extra))]
    _close(got, to_float(rule(*exact_args)), HINTS[name])


def gradient_step(fn: object) -> Callable:
    """``fn(w, grad, lr)`` must be one step of gradient descent (``derive.topics.gradient_descent.gradient_step``)."""
    from derive.topics.gradient_descent import gradient_step as rule

    provided = _lambdified("gradient_step", 3)
    return verdict("gradient_step", fn, provided, lambda: _update_rule_test("gradient_step", fn, rule, ()))


def l2_step(fn: object) -> Callable:
    """``fn(w, grad, lr, lam)`` must be the step with the L2 penalty (``derive.topics.gradient_descent.l2_step``)."""
    from derive.topics.gradient_descent import l2_step as rule

    provided = _lambdified("l2_step", 4)
    return verdict("l2_step", fn, provided, lambda: _update_rule_test("l2_step", fn, rule, (0.05,)))
