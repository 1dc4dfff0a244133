"""Gradient descent on a quadratic loss converges iff 0 < η < 2/λ_max: each claim of derive/topics/convergence.py,
the generated NumPy code (against SymPy and PyTorch float64), the runs, and the record the page and the handout show."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import torch

import numeric as gen
from derive.numerics.codegen import GENERATED
from derive.topics import convergence as cv
from nnmath.topics import gradient_descent as topic
from nnmath.topics.base import Figure, Tex
from nnmath.topics.gradient_descent import figures
from nnmath.topics.gradient_descent import runs as gd
from nnmath.topics.gradient_descent.record import convergence

# Exact values for the matrices of derive.topics.convergence.MATRICES: (eigenvalues, 2/λ_max, η*, ρ(η*)).
EXPECTED = {
    "2x2 integer": ((2, 4), sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 3)),
    "2x2 irrational": (
        ((3 - sp.sqrt(5)) / 2, (3 + sp.sqrt(5)) / 2),
        3 - sp.sqrt(5),
        sp.Rational(2, 3),
        sp.sqrt(5) / 3,
    ),
    "3x3": ((2 - sp.sqrt(2), 2, 2 + sp.sqrt(2)), 2 - sp.sqrt(2), sp.Rational(1, 2), sp.sqrt(2) / 2),
}


def same(a: sp.Expr, b: sp.Expr) -> bool:
    return sp.simplify(a - b) == 0


@pytest.fixture(scope="module")
def analyses() -> dict[str, cv.MatrixAnalysis]:
    """cv.analyse of every matrix, as the record computes it (once per module)."""
    return {name: cv.analyse(name) for name in cv.MATRICES}


@pytest.fixture(scope="module")
def page() -> dict:
    """The convergence page's record, which the theory summary's section shows too (once per module)."""
    return convergence()


def array(m: sp.MatrixBase) -> np.ndarray:
    out = np.array(m.evalf(17).tolist(), dtype=np.float64)
    return out[:, 0] if out.shape[1] == 1 else out


# --- 1. loss, gradient, minimiser ------------------------------------------------------------------


def test_gradient_is_a_w_minus_b_and_matches_elementwise_diff():
    assert cv.gradient() == cv.A * cv.w - cv.b
    assert cv.check_gradient(2) and cv.check_gradient(3)


def test_gradient_check_fails_for_a_wrong_formula(monkeypatch):
    """The element-wise check can fail: with the gradient doubled it must."""
    monkeypatch.setattr(cv, "gradient", lambda: 2 * cv.A * cv.w - cv.b)
    assert not cv.check_gradient(2)


def test_minimiser_is_stationary_and_hessian_is_a():
    assert cv.minimiser() == cv.A.I * cv.b
    assert cv.minimiser_is_stationary()
    assert cv.hessian() == cv.A


# --- 2. the error recursion ---------------------------------------------------------------------------


def test_error_after_one_step_is_i_minus_eta_a_times_e():
    assert cv.error_recursion_holds()
    assert cv.error_step() == cv.e - cv.eta * cv.A * cv.e
    assert cv.iteration_matrix() == sp.Identity(cv.n) - cv.eta * cv.A


def test_error_recursion_on_concrete_matrices():
    """w' − w* = (I − ηA)(w − w*) element by element for every concrete matrix and a symbolic w, η."""
    for m in cv.MATRICES.values():
        size = m.shape[0]
        w_ = cv.vector("w", size)
        b_ = sp.ImmutableMatrix(m * sp.ones(size, 1))  # w* = (1, ..., 1)
        w_star = m.solve(b_)
        step = w_ - cv.eta * (m * w_ - b_)
        assert sp.expand(step - w_star - (sp.eye(size) - cv.eta * m) * (w_ - w_star)) == sp.zeros(size, 1)


# --- 3./4. eigen-directions and the condition ----------------------------------------------------------


def test_eigen_factor_is_one_minus_eta_lambda():
    assert sp.expand(cv.eigen_factor() - (1 - cv.eta * cv.lam)) == 0


def test_scalar_case_derived():
    s = cv.scalar_case()
    assert sp.expand(s["gradient"] - (cv.lam * cv.w_1 - cv.b_1)) == 0
    assert same(s["minimiser"], cv.b_1 / cv.lam)
    assert sp.expand(s["factor"] - (1 - cv.eta * cv.lam)) == 0
    assert same(s["error_after"], (1 - cv.eta * cv.lam) * s["error"])


def test_scalar_condition_is_the_open_interval_zero_to_two_over_lambda():
    assert cv.scalar_condition() == sp.Interval.open(0, 2 / cv.lam)
    assert cv.scalar_divergence() == sp.Union(sp.Interval(-sp.oo, 0), sp.Interval(2 / cv.lam, sp.oo))
    for value in (sp.Integer(3), sp.Rational(1, 7), sp.sqrt(2)):  # the two sets split the real line
        inside, outside = (s.xreplace({cv.lam: value}) for s in (cv.scalar_condition(), cv.scalar_divergence()))
        assert sp.Union(inside, outside) == sp.S.Reals and sp.Intersection(inside, outside) == sp.S.EmptySet
    assert cv.critical_step_size() == 2 / cv.lambda_max


def test_the_interval_of_lambda_max_lies_inside_every_other():
    gap, nonnegative = cv.all_directions_condition()
    d = sp.Symbol("d", nonnegative=True)
    assert same(gap, 2 * d / (cv.lam * (cv.lam + d)))
    assert nonnegative


@pytest.mark.parametrize("name", list(cv.MATRICES))
def test_concrete_matrix_exactly(analyses, name):
    a = analyses[name]
    values, critical, optimal, optimal_rate = EXPECTED[name]
    assert len(a.eigenvalues) == len(values)
    assert all(same(got, want) for got, want in zip(a.eigenvalues, values, strict=True))
    # the eigenvalues are exact roots of the characteristic polynomial, and sum/multiply to trace/determinant
    x = sp.Symbol("x")
    assert all(same(a.matrix.charpoly(x).as_expr().subs(x, v), 0) for v in a.eigenvalues)
    assert same(sp.Add(*a.eigenvalues), a.matrix.trace()) and same(sp.Mul(*a.eigenvalues), a.matrix.det())
    assert a.decomposition_holds
    assert all(
        isinstance(s, sp.Interval) and s.left_open and s.right_open and s.inf == 0 and same(s.sup, 2 / v)
        for s, v in zip(a.intervals, a.eigenvalues, strict=True)
    )
    assert a.matches_critical and same(a.converges.sup, critical) and same(a.critical, critical)
    assert a.critical_start_stalls
    assert same(a.optimal, optimal) and same(a.optimal_rate, optimal_rate)
    assert a.optimal_is_smallest


def test_concrete_matrix_not_positive_definite_is_refused(monkeypatch):
    monkeypatch.setitem(cv.MATRICES, "indefinite", sp.ImmutableMatrix([[1, 2], [2, 1]]))
    with pytest.raises(ValueError, match="not symmetric positive definite"):
        cv.analyse("indefinite")


# --- 5. the fastest step ----------------------------------------------------------------------------------


def test_optimal_step_and_rate():
    opt = cv.optimal_step()
    assert same(opt.step, 2 / (cv.lambda_min + cv.lambda_max))
    assert same(opt.rate, (cv.lambda_max - cv.lambda_min) / (cv.lambda_max + cv.lambda_min))
    assert same(opt.rate_in_kappa, (cv.kappa - 1) / (cv.kappa + 1))
    assert opt.balanced and opt.bounds_hold
    assert cv.between()
    # the rate at η*: both terms of the max equal ρ* (with λ_max = λ_min + δ, δ ≥ 0)
    delta = sp.Symbol("delta", nonnegative=True)
    for lam in (cv.lambda_min, cv.lambda_max):
        at_optimum = sp.Abs(cv.eigen_factor().xreplace({cv.lam: lam, cv.eta: opt.step}))
        assert same((at_optimum - opt.rate).xreplace({cv.lambda_max: cv.lambda_min + delta}), 0)


# --- generated NumPy code --------------------------------------------------------------------------------------


def test_generated_module_is_fresh():
    (module,) = topic.TOPIC.generated()
    assert module.is_current()


def test_generated_code_imports_no_sympy():
    assert "sympy" not in (GENERATED / "convergence.py").read_text().replace("SymPy", "")


def spd(seed: int, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((size, size))
    return m @ m.T + size * np.eye(size), rng.standard_normal(size), rng.standard_normal(size)


@pytest.mark.parametrize("seed", range(5))
def test_generated_functions_against_exact_values(seed):
    """The generated functions equal the SymPy formulas evaluated exactly on the same (rational) inputs."""
    a, b, w = spd(seed, 3)
    eta = 0.1
    a_q = sp.ImmutableMatrix(3, 3, [sp.Rational(float(x)) for x in a.ravel()])
    b_q = sp.ImmutableMatrix(3, 1, [sp.Rational(float(x)) for x in b])
    w_q = sp.ImmutableMatrix(3, 1, [sp.Rational(float(x)) for x in w])
    subs = {cv.A: a_q, cv.b: b_q, cv.w: w_q}
    loss = float(cv.loss().subs(subs).doit()[0, 0])
    grad = array(sp.ImmutableMatrix(cv.gradient().subs(subs).doit()))
    step = array(sp.ImmutableMatrix(cv.step().subs({**subs, cv.eta: sp.Rational(eta)}).doit()))
    w_star = array(a_q.solve(b_q))
    assert gen.quadratic_loss(a, b, w) == pytest.approx(loss, rel=1e-13)
    np.testing.assert_allclose(gen.quadratic_gradient(a, b, w), grad, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(gen.gradient_descent_step(a, b, w, eta), step, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(gen.quadratic_minimiser(a, b), w_star, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("seed", range(5))
def test_generated_gradient_against_pytorch_autograd(seed):
    a, b, w = spd(seed, 4)
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    at, bt = torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)
    loss = 0.5 * wt @ at @ wt - bt @ wt
    loss.backward()
    assert gen.quadratic_loss(a, b, w) == pytest.approx(loss.item(), rel=1e-14)
    np.testing.assert_allclose(gen.quadratic_gradient(a, b, w), wt.grad.numpy(), rtol=1e-13, atol=1e-13)
    # the minimiser has zero gradient
    np.testing.assert_allclose(gen.quadratic_gradient(a, b, gen.quadratic_minimiser(a, b)), 0, atol=1e-12)


def test_generated_scalar_formulas():
    lo, hi = np.array([0.5, 2.0]), np.array([4.0, 2.0])
    np.testing.assert_array_equal(gen.critical_step_size(hi), 2 / hi)
    np.testing.assert_allclose(gen.optimal_step_size(lo, hi), 2 / (lo + hi), rtol=1e-15)
    np.testing.assert_allclose(gen.optimal_rate(lo, hi), (hi - lo) / (hi + lo), rtol=1e-15)
    np.testing.assert_allclose(gen.error_factor(0.25, hi), 1 - 0.25 * hi, rtol=1e-15)
    eta = np.linspace(0.01, 1.0, 50)
    expected = np.maximum(np.abs(1 - eta * 0.5), np.abs(1 - eta * 4.0))
    np.testing.assert_allclose(gen.convergence_rate(eta, 0.5, 4.0), expected, rtol=1e-15)
    # the optimal rate is the minimum of the rate over a fine grid
    grid = np.linspace(1e-4, 2 / 4.0, 20001)
    assert gen.convergence_rate(grid, 0.5, 4.0).min() >= gen.optimal_rate(0.5, 4.0) - 1e-12
    assert gen.convergence_rate(gen.optimal_step_size(0.5, 4.0), 0.5, 4.0) == pytest.approx(
        gen.optimal_rate(0.5, 4.0), rel=1e-15
    )


# --- numerically: below converges, above diverges ---------------------------------------------------------------


@pytest.mark.parametrize("name", list(cv.MATRICES))
def test_just_below_converges_just_above_diverges(analyses, name):
    a = array(cv.MATRICES[name])
    b = a @ np.ones(len(a))
    w0 = np.zeros(len(a))
    critical = float(analyses[name].critical)
    lo, hi = gd.extremes(a)
    for ratio, steps in ((0.99, 1500), (0.999, 12000)):
        errs = gd.errors(a, b, w0, ratio * critical, steps)
        assert errs[-1] < 1e-6 * errs[0], (ratio, errs[-1])
        assert np.all(np.diff(errs[len(errs) // 2 :]) <= 0)
    for ratio, steps in ((1.01, 1500), (1.001, 12000)):
        errs = gd.errors(a, b, w0, ratio * critical, steps)
        assert errs[-1] > 1e3 * errs[0], (ratio, errs[-1])
    # exactly at the threshold the error neither shrinks nor grows: it settles on the top eigenvector
    errs = gd.errors(a, b, w0, critical, 1500)
    assert gd.measured_rate(errs) == pytest.approx(1.0, abs=1e-9)
    assert 1e-3 * errs[0] < errs[-1] <= errs[0]
    assert float(gen.convergence_rate(critical, lo, hi)) == pytest.approx(1.0, abs=1e-15)


def test_measured_rates_equal_the_predicted_rate():
    a, b = array(cv.MATRICES["3x3"]), array(cv.FIGURE_B)
    runs = gd.runs(a, b, np.zeros(3))
    assert [r.multiple for r in runs] == [0.25, None, 0.99, 1.0, 1.01]
    for r in runs:
        assert r.measured_rate == pytest.approx(r.predicted_rate, rel=1e-6), r.label
    optimal = runs[1]
    assert optimal.eta == pytest.approx(0.5, rel=1e-15) and optimal.predicted_rate == pytest.approx(2**-0.5)
    assert [r.converges for r in runs] == [True, True, True, False, False]
    assert runs[-1].final_error > 1e3 and runs[2].final_error < 1e-4


@pytest.mark.parametrize("name", list(cv.MATRICES))
def test_threshold_found_by_runs_alone_is_two_over_lambda_max(analyses, name):
    a = array(cv.MATRICES[name])
    found = gd.numeric_threshold(a, a @ np.ones(len(a)), np.zeros(len(a)))
    assert found == pytest.approx(float(analyses[name].critical), rel=1e-12)


def test_divergent_run_is_cut_off_without_overflow_warning():
    a = array(cv.MATRICES["3x3"])
    errs = gd.errors(a, np.zeros(3), np.ones(3), 4 * float(gen.critical_step_size(gd.extremes(a)[1])), 2000)
    assert np.isinf(errs[-1]) and np.isfinite(errs[:10]).all()


# --- the page and the handout section ----------------------------------------------------------------------------


def test_page_record_and_figure_are_deterministic(page):
    assert page["critical"] == r"\frac{2}{\lambda_{\max}}" and isinstance(page["critical"], Tex)
    assert page["solution"] == r"\left(0, \frac{2}{\lambda}\right)"
    assert page["raw_gradient"].startswith(r"\nabla L = ") and page["top_factor"] == "-1"
    assert page["recursion_holds"] and page["between_holds"] and page["bounds_hold"]
    assert all(
        m["matches"] and m["decomposition"] and m["stalls"] and m["optimal_is_smallest"] for m in page["matrices"]
    )
    assert all(float(m["threshold_error"]) < 1e-12 for m in page["matrices"])
    assert [r["verdict"] for r in page["runs"]] == ["converges", "converges", "converges", "stays", "diverges"]
    figure = page["figures"]["errors"]
    assert isinstance(figure, Figure) and figure.svg.startswith("<?xml") and figure.pdf.startswith(b"%PDF")
    assert figures.errors(gd.figure_runs()) == figure  # drawn again: the same bytes


def test_theory_section_is_the_page_record(page):
    assert topic.TOPIC.handout == "gd-convergence"
    assert page["recursion_holds"] and page["between_holds"] and page["balanced"]
    assert page["interval"] == r"0 < \eta < \frac{2}{\lambda_{\max}}"
    assert len(page["runs"]) == len(gd.RATIOS) and all(isinstance(r["tex"], Tex) for r in page["runs"])
    assert page["figure_critical"] == page["matrices"][list(cv.MATRICES).index(cv.FIGURE_MATRIX)]["critical"]


def test_sympy_differentiates_to_the_symmetric_part_and_the_top_factor_at_the_critical_step_is_minus_one():
    raw = cv.differentiated()
    assert raw.has(cv.A.T)  # SymPy writes ½(A + Aᵀ) w − b; the gradient uses A = Aᵀ
    assert (raw - cv.gradient()).xreplace({cv.A.T: cv.A}).doit() == sp.ZeroMatrix(cv.n, 1)
    assert cv.factor_at_critical() == -1
