"""The hostile-number sweep (issue 7): every generated function and gradient at ±0, subnormals,
±1e-300, ±1, ±30, ±710, ±1e308, ±∞ and nan against mpmath at 50 digits, evaluated from the
derivation's own SymPy expression — no non-finite result where the exact value is finite, nan in →
nan out, no stray RuntimeWarning, and the ULP error within the bound documented in
``nnmath.verify.extreme.BOUNDS`` (4 unless a reason is written there)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive.calculus.derivation import derive, gradient
from derive.catalogue import entries, get
from nnmath.verify.extreme import BOUNDS, DEFAULT_BOUND, HOSTILE, SweepRow, sweep_function, ulp_text
from nnmath.verify.extreme_reference import forget_values, nearest_double, reference, references_at, ulp, ulp_error
from numeric import gelu, log_softmax, softmax, softmax_grad

FUNCTIONS = [(e, which) for e in entries() for which in ("function", "gradient")]


@pytest.fixture(scope="module")
def rows() -> dict[str, SweepRow]:
    return {r.function: r for r in (sweep_function(e, w) for e, w in FUNCTIONS)}


@pytest.mark.parametrize("name", [e.name + ("" if w == "function" else "_grad") for e, w in FUNCTIONS])
def test_sweep(rows: dict[str, SweepRow], name: str) -> None:
    r = rows[name]
    where = f"{name}: worst {ulp_text(r.max_ulp)} ULP at {r.worst}"
    assert r.nonfinite == 0, f"{name}: {r.nonfinite} nan/inf where the exact value is finite"
    assert r.nan_failures == 0, f"{name}: {r.nan_failures} numbers where the exact value is nan"
    assert r.warnings == 0, f"{name}: RuntimeWarnings at {r.warnings} points"
    assert r.max_ulp <= r.bound, where


def test_bounds_above_four_ulp_have_a_reason_and_are_tight(rows: dict[str, SweepRow]) -> None:
    for name, (bound, reason) in BOUNDS.items():
        assert name in rows, f"BOUNDS names {name}, which is not a generated function"
        assert bound > DEFAULT_BOUND and len(reason) > 40, name
        assert rows[name].max_ulp > DEFAULT_BOUND, f"{name} is within {DEFAULT_BOUND} ULP now: drop its bound"


def test_the_sweep_covers_the_issue_values() -> None:
    for v in (0.0, 5e-324, 2.2250738585072014e-308 / 2, 1e-300, 1.0, 30.0, 710.0, 1e308, math.inf):
        assert v in HOSTILE and -v in HOSTILE
    assert any(math.isnan(v) for v in HOSTILE)


# --- the measuring instrument itself -----------------------------------------------------------


def test_nearest_double_rounds_correctly_including_subnormals_and_overflow() -> None:
    with mpmath.workdps(60):
        tiny = mpmath.mpf(2) ** -1074
        assert nearest_double(tiny * mpmath.mpf("0.5000001")) == 5e-324
        assert nearest_double(tiny * mpmath.mpf("0.4999999")) == 0.0
        assert nearest_double(tiny * mpmath.mpf("1.5")) == 1e-323  # tie to even: 2·2⁻¹⁰⁷⁴
        assert nearest_double(mpmath.mpf(2) ** 1024) == math.inf
        assert nearest_double(mpmath.mpf(1) + mpmath.mpf(2) ** -53) == 1.0  # tie to even
        assert nearest_double(mpmath.mpf(1) + mpmath.mpf(3) * mpmath.mpf(2) ** -54) == 1 + 2**-52
        assert nearest_double(-tiny * mpmath.mpf("1.5")) == -1e-323  # negative ties to even too
        assert nearest_double(-(mpmath.mpf(2) ** 1024)) == -math.inf
        assert nearest_double(mpmath.mpf(2) ** 1024 * (1 - mpmath.mpf(2) ** -54)) == math.inf  # max + ulp/2
        assert nearest_double(mpmath.mpf(2) ** 1024 * (1 - mpmath.mpf(2) ** -53)) == 1.7976931348623157e308
        assert nearest_double(mpmath.mpf(10) ** -100000) == 0.0 and nearest_double(mpmath.mpf(10) ** 100000) == math.inf
        assert math.isnan(nearest_double(mpmath.nan)) and nearest_double(-mpmath.inf) == -math.inf
    rng = np.random.default_rng(0)
    doubles = np.concatenate([rng.standard_normal(200) * 10.0 ** rng.integers(-320, 308, 200), [5e-324, -5e-324]])
    assert all(nearest_double(mpmath.mpf(float(d))) == d for d in doubles)  # a double rounds to itself


def test_expressions_at_one_point_share_values_without_changing_them() -> None:
    """references_at evaluates LSE(z) once for the K components of softmax's gradient: each value is the same
    to the last bit as the expression's reference computed alone, with nothing known beforehand."""
    entry = get("softmax")
    exprs = list(gradient(entry))  # ∂softmax_i/∂z_j, row-major, as the sweep evaluates them
    z1, z2, z3 = entry.components[entry.wrt]
    for point in ({z1: 36.7, z2: 0.0, z3: -36.7}, {z1: math.inf, z2: 1e308, z3: -30.0}):
        forget_values()
        alone = []
        for e in exprs:
            forget_values()
            alone.append(reference(e, point, entry.domain))
        forget_values()
        together = references_at(exprs, point, entry.domain)
        assert [v._mpf_ for v in together] == [v._mpf_ for v in alone]


def test_ulp_is_numpy_spacing_and_the_error_is_exact() -> None:
    for r in (1.0, 0.3, 1e-300, 5e-324, 0.0, 1e308, 2.0**-1022):
        assert ulp(r) == np.spacing(r)
    with mpmath.workdps(60):
        assert ulp_error(1.0 + 2**-52, mpmath.mpf(1)) == pytest.approx(1.0)
        assert ulp_error(0.0, mpmath.mpf(2) ** -1074 * 3) == pytest.approx(3.0)  # absolute below 2⁻¹⁰²²
        assert ulp_error(math.inf, mpmath.inf) == 0.0
        assert ulp_error(1e308, mpmath.inf) == math.inf


def test_reference_resolves_cancellation_and_limits() -> None:
    entry = get("sigmoid")
    x = entry.wrt
    grad = sp.diff(entry.expr, x)  # σ(x)(1 − σ(x)): 1 − σ(710) needs 310 digits
    assert nearest_double(reference(grad, {x: 710.0})) == float(mpmath.exp(-710) / (1 + mpmath.exp(-710)) ** 2)
    assert nearest_double(reference(get("silu").expr, {x: -math.inf})) == 0.0  # x·σ(x) at −∞: the limit
    mse = get("mse")
    pred, target = mse.args
    assert math.isnan(nearest_double(reference(mse.expr, {pred: math.inf, target: math.inf})))  # path-dependent
    assert nearest_double(reference(mse.expr, {pred: math.inf, target: -math.inf})) == math.inf


def test_reference_takes_the_limit_at_a_probability_of_zero() -> None:
    bce = get("binary_cross_entropy")
    prob, target = bce.args
    grad = sp.diff(bce.expr, prob)
    assert nearest_double(reference(grad, {prob: 0.0, target: 0.0}, bce.domain)) == 1.0  # 0/0 → 1/(1 − p)
    assert nearest_double(reference(bce.expr, {prob: 0.0, target: 0.0}, bce.domain)) == 0.0  # 0·log 0 = 0


# --- the pitfalls of shared/notes/pitfalls.md, as the sweep found them fixed ---------------------


def test_gelu_at_minus_30_to_half_an_ulp() -> None:
    exact = reference(get("gelu").expr, {get("gelu").wrt: -30.0})
    assert ulp_error(float(gelu(-30.0)), exact) <= 0.5  # the erf form loses ~800 ULP here


def test_softmax_shift_and_log_softmax_near_zero() -> None:
    z = np.array([0.1, -700.3, -30.7])
    with mpmath.workdps(80):
        zs = [mpmath.mpf(v) for v in z]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in zs))
        for got, v in zip(softmax(z), zs):
            assert ulp_error(float(got), mpmath.exp(v - lse)) <= 2  # the plain max shift: ~150 ULP
    w = np.array([36.7, 0.0, -36.7])
    with mpmath.workdps(80):
        ws = [mpmath.mpf(v) for v in w]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in ws))
        assert ulp_error(float(log_softmax(w)[0]), ws[0] - lse) <= 2  # z − LSE: ~4e15 ULP
    assert softmax([math.inf, 0.0, 1.0]).tolist() == [1.0, 0.0, 0.0]
    assert np.isnan(softmax([math.inf, math.inf, 0.0])).all()  # the limit depends on the path
    assert np.isfinite(softmax_grad(np.array([1e308, -1e308, 0.0]))).all()


# --- the reference of the four entries of issue 12 at huge |x|, against formulas written out here --------------


def _ref(name: str, which: str, value: float) -> float:
    entry = get(name)
    expr = entry.expr if which == "function" else derive(entry).gradient
    return nearest_double(reference(expr, {entry.wrt: value, **entry.params}))  # parameters as exact doubles


def test_reference_of_the_new_entries_at_huge_inputs() -> None:
    assert [_ref("softsign", "function", v) for v in (math.inf, -math.inf, 1e308)] == [1.0, -1.0, 1.0]
    assert _ref("softsign", "gradient", 1e308) == 0.0  # 1/(1 + 1e308)² = 1e-616
    assert [_ref("mish", "function", v) for v in (1e308, -1e308, -math.inf)] == [1e308, 0.0, 0.0]
    assert [_ref("mish", "gradient", v) for v in (1e308, math.inf, -1e308)] == [1.0, 1.0, 0.0]
    assert [_ref("gelu_tanh", "function", v) for v in (1e308, -1e308)] == [1e308, 0.0]  # 0.044715·1e924 inside
    assert [_ref("gelu_tanh", "gradient", v) for v in (1e308, -1e308, math.inf)] == [1.0, 0.0, 1.0]
    assert _ref("selu", "function", -math.inf) == -1.6732632423543772 * 1.0507009873554805


def _textbook_at(name: str, x: mpmath.mpf) -> mpmath.mpf:
    """The four definitions as the papers print them, parameters at the doubles the code uses."""
    kappa, c = mpmath.mpf(0.044715), mpmath.sqrt(2 / mpmath.pi)
    alpha, lam = mpmath.mpf(1.6732632423543772), mpmath.mpf(1.0507009873554805)
    return {
        "softsign": lambda: x / (1 + abs(x)),
        "mish": lambda: x * mpmath.tanh(mpmath.log1p(mpmath.exp(x))),
        "selu": lambda: lam * (x if x > 0 else alpha * mpmath.expm1(x)),
        "gelu_tanh": lambda: x * (1 + mpmath.tanh(c * (x + kappa * x**3))) / 2,
    }[name]()


@pytest.mark.parametrize("name", ["softsign", "mish", "selu", "gelu_tanh"])
@pytest.mark.parametrize("v", [-3.0, -1.0, 0.5, 2.0])
def test_reference_of_the_new_entries_against_their_textbook_forms(name: str, v: float) -> None:
    """The sweep's reference (the derivation's own expression in mpmath) against the papers' definitions
    and, for the gradient, mpmath's numerical derivative of them."""
    with mpmath.workdps(50):
        x = mpmath.mpf(v)
        assert _ref(name, "function", v) == nearest_double(_textbook_at(name, x))
        assert _ref(name, "gradient", v) == nearest_double(mpmath.diff(lambda t: _textbook_at(name, t), x))
