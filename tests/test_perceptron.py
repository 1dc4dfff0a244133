"""The perceptron: Novikoff's proof checked by SymPy, the bound on data, XOR cycles, the 2-2-1 network solves XOR."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from sklearn.svm import LinearSVC

from derive.topics.gradient_descent import perceptron_output as symbolic_output
from derive.topics.gradient_descent import perceptron_step, step
from derive.topics.perceptron import generated_functions, novikoff_bound, novikoff_steps, separate_sum
from derive.topics.probability import canonical_sums
from nnmath.topics.perceptron import experiment
from numeric import novikoff_bound as numeric_bound
from numeric import perceptron_output, perceptron_update

STEPS = novikoff_steps()


@pytest.mark.parametrize("index", range(len(STEPS)), ids=[f"step{i + 1}" for i in range(len(STEPS))])
def test_every_step_of_novikoffs_proof_holds(index: int) -> None:
    assert STEPS[index].holds, STEPS[index].text


def test_the_proof_ends_in_the_bound() -> None:
    k, radius, margin = sp.symbols("k radius margin", positive=True)
    assert STEPS[-1].relation == sp.Le(k, radius**2 / margin**2)
    assert novikoff_bound() == (radius / margin) ** 2


def test_separate_sum_is_not_vacuous() -> None:
    # Σᵢ Σⱼ uᵢ wⱼ = (Σ u)(Σ w), but Σᵢ Σⱼ uᵢ wᵢ = d Σ uᵢ wᵢ is not (Σ u)(Σ w)
    d = sp.Symbol("d", integer=True, positive=True)
    i, j = sp.symbols("i j", integer=True, positive=True)
    u, w = sp.IndexedBase("u"), sp.IndexedBase("w")
    product = sp.Sum(u[i], (i, 1, d)) * sp.Sum(w[i], (i, 1, d))
    assert (
        sp.expand(canonical_sums(separate_sum(sp.Sum(u[i] * w[j], (i, 1, d), (j, 1, d)))) - canonical_sums(product))
        == 0
    )
    wrong = canonical_sums(separate_sum(sp.Sum(u[i] * w[i], (i, 1, d), (j, 1, d))))
    assert sp.expand(wrong - canonical_sums(product)) != 0
    with pytest.raises(ValueError, match="several summation indices"):
        separate_sum(sp.Sum(u[i + j], (i, 1, d), (j, 1, d)))


# --- Generated code against the derivation ------------------------------------------------------------


def test_generated_update_equals_the_rule_of_derive_updates() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        w, x = rng.integers(-8, 9, 3), rng.integers(-8, 9, 3)
        y, y_hat = rng.integers(0, 2, 2)
        eta = sp.Rational(int(rng.integers(1, 9)), 8)  # exact in binary
        exact = perceptron_step(sp.Matrix(w), sp.Matrix(x), int(y) - int(y_hat), eta)
        got = perceptron_update(w, x, y, y_hat, float(eta))
        assert got.tolist() == [float(v) for v in exact]


def test_generated_output_is_the_step_with_h0_equal_0() -> None:
    z = np.array([-2.0, -1e-300, 0.0, 1e-300, 3.0, np.nan])
    got = perceptron_output(z)
    assert got[:5].tolist() == [float(step(sp.Float(v))) for v in z[:5]] == [0.0, 0.0, 0.0, 1.0, 1.0]
    assert np.isnan(got[5])
    w, x = sp.Matrix([1, -2]), sp.Matrix([3, 1])
    assert float(symbolic_output(w, x, -1)) == float(perceptron_output(float((w.T * x)[0]) - 1.0))


def test_generated_bound_and_the_functions_registered() -> None:
    assert float(numeric_bound(7.0, 0.5)) == 196.0
    assert [f[0] for f in generated_functions()] == ["perceptron_output", "perceptron_update", "novikoff_bound"]


# --- The maximum margin --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def iris() -> tuple[np.ndarray, np.ndarray, experiment.Margin]:
    x, y = experiment.iris_setosa()
    return x, y, experiment.max_margin(x, y)


def test_max_margin_is_certified_by_kkt_and_separates(iris) -> None:
    x, y, margin = iris
    scores = (2 * y - 1) * (experiment.augment(x) @ margin.direction)
    assert margin.kkt_residual <= 1e-9
    assert abs(np.linalg.norm(margin.direction) - 1.0) <= 1e-15
    assert abs(scores.min() - margin.gamma) <= 1e-12
    assert margin.radius == np.max(np.linalg.norm(experiment.augment(x), axis=1))
    assert 2 <= len(margin.support) <= 4  # a handful of support vectors (3 for iris petals)


def test_max_margin_agrees_with_scikit_learns_linear_svm(iris) -> None:
    """Hinge-loss linear SVM without intercept; C = 10⁴ exceeds every multiplier, so it is the hard margin."""
    x, y, margin = iris
    assert margin.multipliers.max() < 1e4
    a = experiment.augment(x)
    svm = LinearSVC(fit_intercept=False, C=1e4, loss="hinge", max_iter=200_000, tol=1e-10).fit(a, y)
    v = svm.coef_[0]
    gamma = np.min((2 * y - 1) * (a @ v)) / np.linalg.norm(v)
    assert abs(gamma - margin.gamma) <= 1e-8 * margin.gamma


def test_no_separating_vector_beats_the_max_margin(iris) -> None:
    x, y, margin = iris
    a, t = experiment.augment(x), 2 * y - 1
    rng = np.random.default_rng(1)
    for w in [experiment.train(x, y).weights, *(margin.direction + 0.05 * rng.normal(size=(200, 3)))]:
        assert np.min(t * (a @ w)) / np.linalg.norm(w) <= margin.gamma + 1e-12


# --- The bound on data --------------------------------------------------------------------------------


def test_iris_updates_are_within_the_bound_for_every_order(iris) -> None:
    x, y, margin = iris
    check = experiment.bound_check("iris", x, y, runs=20)
    assert check.holds
    assert max(check.updates) <= margin.bound
    assert margin.bound == pytest.approx(747.69, abs=0.01)  # R = 7.3417, γ = 0.26849 (petal length/width, cm)
    assert 1 <= min(check.updates) and max(check.updates) <= 20  # measured: 3 to 13 updates


def test_synthetic_data_sets_are_within_the_bound() -> None:
    checks = experiment.margin_sweep()
    assert all(c.holds for c in checks)
    bounds = [c.margin.bound for c in checks]
    assert bounds == sorted(bounds)  # a smaller gap, a larger bound
    assert all(c.margin.kkt_residual <= 1e-9 for c in checks)
    assert all(c.samples == 200 and len(c.updates) == 5 for c in checks)


def test_learning_rate_only_scales_the_weights() -> None:
    """Exact arithmetic: petals in whole millimetres and η = 3/8, so every product and sum is exact in binary.

    (With the centimetre values, which binary cannot hold exactly, rounding can put a pre-activation on the
    other side of 0 for one η and not the other, and the runs differ.)
    """
    x, y = experiment.iris_setosa()
    x = np.round(10 * x)
    for seed in range(5):
        order = experiment.orders(len(x), 1, seed=seed)[0]
        one, scaled = experiment.train(x, y, eta=1.0, order=order), experiment.train(x, y, eta=0.375, order=order)
        assert one.converged and one.mistakes == scaled.mistakes
        np.testing.assert_array_equal(scaled.weights, 0.375 * one.weights)


def test_bad_labels_are_rejected() -> None:
    with pytest.raises(ValueError, match="labels must be 0 or 1"):
        experiment.train(np.zeros((2, 2)), np.array([1.0, -1.0]))


# --- XOR ----------------------------------------------------------------------------------------------


def test_xor_is_not_linearly_separable() -> None:
    assert experiment.max_margin(*experiment.xor()) is None


def test_the_perceptron_cycles_on_xor() -> None:
    run = experiment.xor_run()
    assert not run.converged and run.cycle is not None
    start, period = run.cycle
    assert all(m > 0 for m in run.mistakes)
    # the weights after epoch start + period are the weights after epoch start: the run repeats forever
    before = sum(run.mistakes[:start])
    at_start = run.trajectory[before - 1] if before else np.zeros(3)
    np.testing.assert_array_equal(run.trajectory[-1], at_start)
    assert len(run.mistakes) == start + period
    assert (run.mistakes, run.cycle) == ((2, 3, 4), (2, 1))  # measured: epoch 3's 4 mistakes repeat


def test_the_perceptron_cycles_on_xor_in_every_order() -> None:
    x, y = experiment.xor()
    for order in experiment.orders(4, 10, seed=0):
        run = experiment.train(x, y, order=order, max_epochs=1000)
        assert not run.converged and run.cycle is not None and run.epochs < 1000


def test_a_2_2_1_network_solves_xor() -> None:
    net = experiment.xor_network(seeds=(0, 1))
    assert net.solved == (0, 1)
    assert np.array_equal(net.outputs > 0.5, [False, True, True, False])
    assert np.max(np.abs(net.outputs - experiment.xor()[1])) < 0.01


def test_the_xor_figure_shows_the_four_points_above_the_shading() -> None:
    """Erratum (issue 13): the network's shading covered the XOR points (legend only, on the site and in theory.pdf)."""
    from matplotlib.collections import PathCollection

    from nnmath.plots import plt
    from nnmath.topics.perceptron import figures

    x, _ = experiment.xor()
    fig = figures.xor_figure(experiment.xor_run(), experiment.xor_network(seeds=(0,)))
    try:
        for ax in fig.axes:
            scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
            points = np.concatenate([c.get_offsets() for c in scatters])
            assert sorted(map(tuple, points)) == sorted(map(tuple, x))  # the 4 markers
            others = [c for c in ax.collections if c not in scatters] + list(ax.lines)  # shading, contour, lines
            assert min(c.get_zorder() for c in scatters) > max(a.get_zorder() for a in others)
    finally:
        plt.close(fig)
    svg = figures.xor(experiment.xor_run(), experiment.xor_network(seeds=(0,))).svg
    right = svg[svg.index('id="axes_2"') :]
    assert right.index("PathCollection") > right.index("QuadContourSet")  # drawn after (above) the shading
