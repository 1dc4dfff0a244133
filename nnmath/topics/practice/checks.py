"""The checks behind the exercise cells of the workshop notebooks.

A check cell calls one function here.  Until the exercise is solved it raises
:class:`NotSolvedYet` with a message that says what is missing or wrong, in
the participant's terms (the variable, its shape, the hint) — never a bare
``AssertionError`` or a ``NameError``.

The expected values come from ``derive``, not from the solution: the exact
SymPy formula (the dense layer, the chain rule, the update rules) evaluated at
the participant's own numbers, which are converted to exact rationals first.
So a check compares NumPy with SymPy, as the rest of nnmath does.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# Relative agreement required between a participant's float64 result and the exact value.
RTOL = 1e-12
PLACEHOLDER_HINT = "replace the `...` after `# your code here` in the cell above, run it, then run this cell again"


class NotSolvedYet(AssertionError):
    """The exercise above is not solved yet: the message says what is missing or wrong."""


def _shown(value: object) -> str:
    return "..." if value is Ellipsis else repr(value)


def _given(name: str, value: object) -> None:
    if value is Ellipsis or value is None:
        raise NotSolvedYet(f"`{name}` is still `{_shown(value)}`: {PLACEHOLDER_HINT}.")


def _array(name: str, value: object, shape: tuple[int, ...], hint: str = "") -> np.ndarray:
    _given(name, value)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise NotSolvedYet(f"`{name}` should be an array of numbers, not {type(value).__name__}.") from None
    if arr.shape != shape:
        raise NotSolvedYet(f"`{name}` has shape {arr.shape}, expected {shape}{': ' + hint if hint else ''}.")
    if not np.all(np.isfinite(arr)):
        raise NotSolvedYet(f"`{name}` contains inf or nan.")
    return arr


def _close(name: str, got: np.ndarray, expected: np.ndarray, hint: str, rtol: float = RTOL) -> None:
    error = np.abs(got - expected)
    scale = np.maximum(np.abs(expected), 1.0)
    if np.all(error <= rtol * scale):
        return
    worst = np.unravel_index(int(np.argmax(error / scale)), error.shape) if error.ndim else ()
    where = f" at index {tuple(int(i) for i in worst)}" if worst else ""
    raise NotSolvedYet(
        f"`{name}` is not right yet{where}: got {float(got[worst]):.6g}, expected {float(expected[worst]):.6g}. {hint}"
    )


def _callable(name: str, fn: object) -> Callable:
    _given(name, fn)
    if not callable(fn):
        raise NotSolvedYet(f"`{name}` should be a function (def {name}(...): ...), not {type(fn).__name__}.")
    return fn


def _result(name: str, fn: Callable, *args: object) -> object:
    """``fn(*args)``; a placeholder result or an exception becomes a friendly :class:`NotSolvedYet`."""
    try:
        out = fn(*args)
    except Exception as e:  # the participant's code failed: say so in one line
        raise NotSolvedYet(f"calling `{name}` raised {type(e).__name__}: {e}") from None
    if out is Ellipsis or out is None:
        raise NotSolvedYet(f"`{name}` returns `{_shown(out)}`: {PLACEHOLDER_HINT}.")
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


def dense_layer(z: object, w: np.ndarray, x: np.ndarray, b: np.ndarray) -> None:
    """``z`` must be the layer's pre-activation W x + b for one sample ``x`` (a vector)."""
    w, x, b = (np.asarray(v, dtype=float) for v in (w, x, b))
    got = _array("z", z, (w.shape[0],), "one value per neuron of the layer (rows of W)")
    expected = _dense_exact(w, x.reshape(-1, 1), b).ravel()
    _close("z", got, expected, "Row i of W times x, plus b_i: use the matrix product `@`.")


def batch_layer(z: object, w: np.ndarray, x: np.ndarray, b: np.ndarray) -> None:
    """``z`` must be W X + b 1ᵀ for the batch ``X`` (one sample per column)."""
    w, x, b = (np.asarray(v, dtype=float) for v in (w, x, b))
    shape = (w.shape[0], x.shape[1])
    got = _array("Z", z, shape, "one row per neuron, one column per sample")
    expected = _dense_exact(w, x, b)
    _close("Z", got, expected, "Add the bias to every column: `b[:, np.newaxis]` broadcasts it.")


def forward_pass(a2: object, x: np.ndarray, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray) -> None:
    """``a2`` must be σ(W² σ(W¹ X + b¹ 1ᵀ) + b² 1ᵀ) for the batch ``X`` (samples as rows of ``x``)."""
    import sympy as sp

    from derive.catalogue import get
    from derive.topics.backpropagation import dense

    x, w1, b1, w2, b2 = (np.asarray(v, dtype=float) for v in (x, w1, b1, w2, b2))
    got = _array("A2", a2, (x.shape[0], w2.shape[0]), "one row per sample, one column per output neuron")
    sigmoid = get("sigmoid")

    def act(m):
        return m.applyfunc(lambda v: sigmoid.expr.xreplace({sigmoid.wrt: v}))

    ones = sp.ones(1, x.shape[0])
    a1 = act(dense(exact(w1), exact(x).T, exact(b1.reshape(-1, 1)) * ones))
    a2_exact = act(dense(exact(w2), a1, exact(b2.reshape(-1, 1)) * ones))
    _close("A2", got, to_float(a2_exact).T, "Two layers: sigmoid(X @ W1.T + b1), then the same with W2 and b2.")


def central_difference(fn: object) -> None:
    """``fn(f, x, h)`` must be the central difference (f(x + h) − f(x − h)) / (2h), elementwise."""
    import sympy as sp

    from numeric import tanh, tanh_grad

    fn = _callable("central_difference", fn)
    # On x³ the central difference is exactly 3x² + h² (SymPy): a forward difference would give 3x² + 3xh + h².
    s, h = sp.symbols("s h")
    cubic = sp.expand(((s + h) ** 3 - (s - h) ** 3) / (2 * h))
    xs, step = np.array([-1.0, 0.5, 2.0]), 1e-3
    got = _array("central_difference(f, x, h)", _result("central_difference", fn, lambda v: v**3, xs, step), (3,))
    expected = np.array([float(cubic.subs({s: sp.Rational(v), h: sp.Rational(step)})) for v in xs])
    _close(
        "central_difference(lambda v: v**3, x, 1e-3)",
        got,
        expected,
        "Step to both sides: (f(x + h) - f(x - h)) / (2 * h).",
        rtol=1e-9,
    )
    xs = np.linspace(-3.0, 3.0, 13)
    got = _array("central_difference(tanh, x)", _result("central_difference", fn, tanh, xs, 1e-5), xs.shape)
    _close("central_difference(tanh, x, 1e-5)", got, tanh_grad(xs), "It should work on whole arrays.", rtol=1e-8)


def gradient_check(max_error: object, bound: float = 1e-8) -> None:
    """``max_error`` must be the largest |finite difference − generated gradient| found: small, but not 0."""
    _given("max_error", max_error)
    try:
        value = float(max_error)
    except (TypeError, ValueError):
        raise NotSolvedYet(f"`max_error` should be one number, not {type(max_error).__name__}.") from None
    if not np.isfinite(value) or value < 0:
        raise NotSolvedYet(f"`max_error` is {value!r}: take the largest absolute difference, np.max(np.abs(...)).")
    if value == 0:
        raise NotSolvedYet(
            "`max_error` is exactly 0: compare the finite difference with the *generated gradient*, not with itself."
        )
    if value > bound:
        raise NotSolvedYet(f"`max_error` = {value:.3g} is above {bound:g}: is the gradient compared at the same x?")


def chain_rule(dl_dw: object, w: float, x: float, b: float, y: float) -> None:
    """``dl_dw`` must be ∂L/∂w of one sigmoid neuron with squared error, at the given numbers."""
    import sympy as sp

    from derive.topics.backpropagation import chain_rule_derivation, chain_rule_value

    got = _array("dL_dw", dl_dw, ())
    d = chain_rule_derivation("sigmoid", "mse")
    values = {s: sp.Rational(float(v)) for s, v in zip(sp.symbols("w x b y", real=True), (w, x, b, y))}
    expected = np.array(float(sp.N(chain_rule_value(d).xreplace(values), 30)))
    _close("dL_dw", got, expected, "Multiply the three factors: mse_grad(a, y) * sigmoid_grad(z) * x.")


def _update_rule(name: str, fn: object, rule: Callable, extra: tuple[float, ...], hint: str) -> None:
    fn = _callable(name, fn)
    rng = np.random.default_rng(7)
    w, g = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    args = (w.copy(), g.copy(), 0.1, *extra)
    got = _array(f"{name}(w, grad, ...)", _result(name, fn, *args), w.shape, "the same shape as w")
    exact_args = [exact(w), exact(g), *(exact([[v]])[0, 0] for v in (0.1, *extra))]
    _close(f"{name}(w, grad, ...)", got, to_float(rule(*exact_args)), hint)


def gradient_step(fn: object) -> None:
    """``fn(w, grad, lr)`` must be one step of gradient descent (``derive.topics.gradient_descent.gradient_step``)."""
    from derive.topics.gradient_descent import gradient_step as rule

    _update_rule("gradient_step", fn, rule, (), "Move against the gradient: w - lr * grad.")


def l2_step(fn: object) -> None:
    """``fn(w, grad, lr, lam)`` must be the step with the L2 penalty (``derive.topics.gradient_descent.l2_step``)."""
    from derive.topics.gradient_descent import l2_step as rule

    _update_rule("l2_step", fn, rule, (0.05,), "Add the penalty's gradient, numeric.l2_grad(w, lam), to grad.")
