"""Numerical stability: the rewrites are identities, and the generated code is
right at extreme inputs (against mpmath at 50 digits, evaluated from the same
SymPy expression) — including every trap listed in shared/notes/pitfalls.md."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from derive.calculus.derivation import derive, equal
from derive.calculus.functions import textbook
from derive.catalogue import entries, get
from derive.catalogue.entry import ELEMENTWISE, Entry
from derive.numerics.stability import proven_limit, stabilise
from derive.numerics.stable_functions import at_infinity
from derive.symbols import x as real_x
from numeric import (
    binary_cross_entropy_logits,
    binary_cross_entropy_logits_grad,
    categorical_cross_entropy_logits,
    elu,
    gelu,
    gelu_tanh,
    gelu_tanh_grad,
    log_softmax,
    lookup,
    mish,
    mish_grad,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softplus,
    softsign,
    softsign_grad,
    tanh_grad,
)

ELEMENTWISE_ENTRIES = [e for e in entries() if e.kind == ELEMENTWISE]


@pytest.mark.parametrize("entry", ELEMENTWISE_ENTRIES, ids=lambda e: e.name)
def test_rewrites_are_identities(entry: Entry) -> None:
    for expr in (entry.expr, derive(entry).gradient):
        assert equal(stabilise(expr), expr)


# --- the pitfalls, one regression test each ----------------------------------------------


def test_sigmoid_grad_at_minus_1000_is_zero_not_nan() -> None:
    assert sigmoid(-1000.0) == 0.0
    assert sigmoid_grad(np.array([-710.0, -1000.0])).tolist() == [pytest.approx(math.exp(-710)), 0.0]


def test_bce_on_logits_at_40_is_40() -> None:
    assert binary_cross_entropy_logits(40.0, 0.0) == pytest.approx(40.0, rel=1e-15)
    assert binary_cross_entropy_logits_grad(40.0, 0.0) == pytest.approx(1.0)


def test_softmax_with_large_logits_is_finite() -> None:
    assert softmax([1000.0, 999.0]).tolist() == pytest.approx([1 / (1 + math.exp(-1)), 1 / (1 + math.exp(1))])
    assert log_softmax([1000.0, 999.0])[1] == pytest.approx(-1 - math.log1p(math.exp(-1)))
    assert categorical_cross_entropy_logits([1000.0, 0.0], [0.0, 1.0]) == pytest.approx(1000.0)


def test_softplus_at_1000_is_1000() -> None:
    assert softplus(1000.0) == 1000.0
    assert softplus(-1000.0) == 0.0


def test_relu_derivative_at_zero_is_zero() -> None:
    assert relu_grad(0.0) == 0.0


def test_gelu_far_left_is_not_flushed_to_zero() -> None:
    # the erf form 0.5 x (1 + erf(x/√2)) is exactly 0 here; x Φ(x) is not
    assert gelu(-10.0) == pytest.approx(-10 * 7.6198530241604696e-24, rel=1e-13)


def test_elu_does_not_overflow_in_the_unused_branch() -> None:
    assert elu(1000.0) == 1000.0  # numpy evaluates both branches: expm1 is clipped to x ≤ 0


def test_tanh_grad_does_not_cancel() -> None:
    assert tanh_grad(30.0) == pytest.approx(4 * math.exp(-60), rel=1e-14)


# --- extremes against an arbitrary-precision reference ------------------------------------

EXTREMES = [-1e3, -710.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 710.0, 1e3]
UNIT_EXTREMES = [1e-300, 1e-10, 0.25, 0.5, 1 - 1e-10]
REL_TOL = 1e-13


def _other_args(entry: Entry) -> dict[sp.Symbol, float]:
    out = {}
    for a in entry.args:
        if a == entry.wrt:
            continue
        out[a] = entry.params.get(a, -1.0 if entry.domain.get(a) == "sign" else 0.3)
    return out


def _reference(expr: sp.Expr, entry: Entry, x: float) -> float:
    """The SymPy expression evaluated by mpmath at 600 digits, so that forms such as
    log(1 − σ(1000)) (1 − σ ≈ 1e-435) keep 50 correct digits.  nnmath's function
    classes evaluate through mpmath (Φ through ``ncdf``, i.e. erfc: the erf form
    1 + erf(u) cancels for u ≪ 0, see shared/notes/pitfalls.md)."""
    subs = {entry.wrt: sp.Float(x, 600), **{a: sp.Float(v, 600) for a, v in _other_args(entry).items()}}
    return float(sp.N(expr.xreplace(subs), 600))


def _points(entry: Entry) -> list[float]:
    return UNIT_EXTREMES if entry.domain.get(entry.wrt) == "unit" else EXTREMES


@pytest.mark.parametrize("entry", ELEMENTWISE_ENTRIES, ids=lambda e: e.name)
@pytest.mark.parametrize("which", ["function", "gradient"])
def test_extremes_match_mpmath(entry: Entry, which: str) -> None:
    fn = getattr(lookup(entry.name), which)
    expr = entry.expr if which == "function" else derive(entry).gradient
    kwargs = {a.name: v for a, v in _other_args(entry).items()}
    xs = np.array(_points(entry))
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        got = fn(xs, **kwargs)
    for x, g in zip(xs, np.broadcast_to(got, xs.shape)):
        ref = _reference(expr, entry, float(x))
        assert math.isfinite(g), f"{entry.name} {which}({x}) = {g}, reference {ref}"
        assert g == pytest.approx(ref, rel=REL_TOL, abs=1e-300), f"{entry.name} {which}({x})"


@pytest.mark.parametrize("entry", ELEMENTWISE_ENTRIES, ids=lambda e: e.name)
def test_nan_in_nan_out(entry: Entry) -> None:
    kwargs = {a.name: v for a, v in _other_args(entry).items()}
    n = lookup(entry.name)
    with np.errstate(invalid="ignore"):  # numpy.logaddexp warns on a NaN input; the result is what counts
        assert np.isnan(n.function(np.nan, **kwargs))
        assert np.isnan(n.gradient(np.nan, **kwargs))


# ±inf: the value must be the mathematical limit — also where x·Φ(x) and x·σ(x) at −∞ (and their
# gradients at +∞) meet ∞·0 in floating point (derive.numerics.stability clamps x to the largest double there).


@pytest.mark.parametrize("entry", [e for e in ELEMENTWISE_ENTRIES if e.group == "activation"], ids=lambda e: e.name)
@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize("which", ["function", "gradient"])
def test_infinity_gives_the_limit(entry: Entry, sign: int, which: str) -> None:
    fn = getattr(lookup(entry.name), which)
    expr = textbook(entry.expr if which == "function" else derive(entry).gradient).xreplace(entry.params)
    limit = expr.subs(entry.wrt, sign * sp.oo)  # Piecewise picks its branch; exp(-oo) = 0 ...
    if limit.has(sp.nan, sp.zoo):  # ... unless it meets ∞·0 or ∞ − ∞: then take the limit
        # (of the simplified form: SymPy 1.14 gives 0 for silu' at +∞ written out, whose limit is 1)
        limit = sp.limit(sp.simplify(expr), entry.wrt, sign * sp.oo)
    got = float(fn(sign * np.inf))
    assert got == pytest.approx(float(limit)), f"{entry.name} {which}({sign}∞) = {got}, limit {limit}"


def test_bce_probability_extremes() -> None:
    entry = get("binary_cross_entropy")
    assert entry.domain[entry.wrt] == "unit"


# --- limits at ±∞: proven for the whole expression, never inferred factor by factor (issue 12) -----------


def test_softsign_at_infinity_is_its_limit_not_zero() -> None:
    """x/(1 + |x|) is ∞·0 factor by factor; the whole tends to ±1 (a factor-by-factor clamp gave 0 and nan)."""
    xs = np.array([np.inf, -np.inf, 1e308, -1e308, np.nan])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is correct
        values, grads = softsign(xs[:4]), softsign_grad(xs[:4])
    assert values.tolist() == [1.0, -1.0, 1.0, -1.0]
    assert grads.tolist() == [0.0, 0.0, 0.0, 0.0]
    assert np.isnan(softsign(xs[4])) and np.isnan(softsign_grad(xs[4]))


def test_a_limit_rewrite_is_the_limit_of_the_whole_expression() -> None:
    softsign_expr = get("softsign").expr
    (wrapped,) = stabilise(softsign_expr).atoms(at_infinity)
    assert wrapped.args[2:] == (-1, 1)  # lim at −∞ and +∞ of x/(1 + |x|), not of its factors (∞ and 0)


def test_sympy_limit_alone_is_not_trusted() -> None:
    """``sympy.limit`` gives 0 for silu' at +∞ (SymPy 1.14); the limit is 1: Gruntz's algorithm and the limit
    over one denominator must agree before a limit is used."""
    silu_grad_expr = derive(get("silu")).gradient
    assert sp.limit(textbook(silu_grad_expr), real_x, sp.oo) == 0  # the trap: if SymPy fixes it, this line can go
    assert proven_limit(silu_grad_expr, real_x, 1) == 1
    assert float(lookup("silu").gradient(np.inf)) == 1.0


def test_no_proof_no_rewrite() -> None:
    """x sin(x)/(1 + |x|) has no limit at ±∞: nothing is substituted there."""
    oscillating = real_x * sp.sin(real_x) / (1 + sp.Abs(real_x))
    assert proven_limit(oscillating, real_x, 1) is None
    assert not stabilise(oscillating).has(at_infinity)


def test_mish_and_its_gradient_at_the_largest_doubles_do_not_warn() -> None:
    xs = np.array([1e308, -1e308, 710.0, -710.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # e^{−2 softplus(x)} and 4·x overflowed
        values, grads = mish(xs), mish_grad(xs)
    assert values.tolist() == [1e308, -0.0, 710.0, pytest.approx(-710 * math.exp(-710), rel=1e-14)]
    assert grads.tolist() == [1.0, 0.0, 1.0, pytest.approx(-709 * math.exp(-710), rel=1e-12)]
    assert mish(np.inf) == np.inf and mish(-np.inf) == 0.0 and mish_grad(np.inf) == 1.0


def test_gelu_tanh_polynomial_does_not_overflow() -> None:
    """0.044715x³ overflows for |x| > 1.6e102; σ and tanh are saturated long before (|x| ≥ 502 clipped)."""
    xs = np.array([1e308, -1e308, 1e103, -1e103, 502.0, -502.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is correct
        values, grads = gelu_tanh(xs), gelu_tanh_grad(xs)
    assert values.tolist() == [1e308, -0.0, 1e103, -0.0, 502.0, -0.0]
    assert grads.tolist() == [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]
