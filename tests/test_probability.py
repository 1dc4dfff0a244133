"""Probability: log-odds, softmax as a distribution, losses as likelihoods, maximum likelihood — proven and measured."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special
import sympy as sp
import torch
from scipy import optimize, stats

from derive.calculus.functions import sigmoid as sigmoid_class
from derive.catalogue import get
from derive.printing.latex import latex
from derive.topics import probability as P  # noqa: N812 - the module of the claims, short
from numeric import binary_cross_entropy, categorical_cross_entropy, logit, mae, mse, sigmoid, softmax

CLAIMS = {c.name: c for c in P.log_odds_claims() + P.softmax_claims()}


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_claim_is_proven(name: str) -> None:
    assert CLAIMS[name].holds, CLAIMS[name].text


def test_the_proofs_can_fail() -> None:
    """The same machinery says no to false statements."""
    i, k, c, z = P.i, P.k, P.c, P.z
    only_numerator = sp.exp(z[i] + c) / sp.Sum(sp.exp(z[k]), (k, 1, P.K))
    assert sp.simplify(only_numerator - P.softmax_component(lambda m: z[m], i)) != 0
    twice = sp.Sum(2 * P.softmax_component(lambda m: z[m], i), (i, 1, P.K))
    assert P.canonical_sums(sp.simplify(twice)) != 1
    assert sp.simplify(P.logit(sigmoid_class(2 * P.x)) - P.x) != 0


def test_softmax_claims_are_for_symbolic_k() -> None:
    for name in ("softmax_positive", "softmax_sums_to_one", "softmax_shift"):
        assert P.K in CLAIMS[name].lhs.free_symbols
    assert latex(CLAIMS["softmax_sums_to_one"].lhs) == r"\sum_{i=1}^{K} \frac{e^{{z}_{i}}}{\sum_{k=1}^{K} e^{{z}_{k}}}"


# --- Losses as negative log-likelihoods ----------------------------------------------------------------


LIKELIHOODS = {item.name: item for item in P.likelihoods()}


@pytest.mark.parametrize("name", sorted(LIKELIHOODS))
def test_nll_is_the_catalogue_loss_plus_a_constant(name: str) -> None:
    assert LIKELIHOODS[name].holds


def test_categorical_nll_for_symbolic_k() -> None:
    claim = P.categorical_nll_any_k()
    assert claim.holds and P.K in claim.lhs.free_symbols


def test_the_constants_and_scales() -> None:
    s, b = P.s, P.b
    for name in ("bernoulli", "bernoulli_logits", "categorical", "categorical_logits"):
        assert LIKELIHOODS[name].constant == 0 and LIKELIHOODS[name].scale == 1
    assert sp.simplify(LIKELIHOODS["gaussian"].constant - sp.log(2 * sp.pi * s**2) / 2) == 0
    assert LIKELIHOODS["gaussian"].scale == 1 / (2 * s**2)
    assert sp.simplify(LIKELIHOODS["laplace"].constant - sp.log(2 * b)) == 0
    assert LIKELIHOODS["laplace"].scale == 1 / b


def test_a_wrong_noise_model_is_not_the_loss() -> None:
    gaussian = LIKELIHOODS["gaussian"]
    wrong = P._likelihood("wrong", "", gaussian.density, "mae", 1 / (2 * P.s**2))
    assert not wrong.holds  # the Gaussian NLL minus the absolute error still depends on the prediction


def test_nll_against_scipy_log_densities() -> None:
    rng = np.random.default_rng(0)
    p, y = rng.uniform(0.01, 0.99, 500), rng.integers(0, 2, 500).astype(float)
    assert np.max(np.abs(binary_cross_entropy(p, y) + stats.bernoulli.logpmf(y, p))) <= 1e-15 * 10
    probs, onehot = rng.dirichlet(np.ones(5), 500), np.eye(5)[rng.integers(0, 5, 500)]
    got = categorical_cross_entropy(probs, onehot)
    assert np.max(np.abs(got + stats.multinomial.logpmf(onehot, 1, probs)) / got) <= 1e-14
    pred, target, s, b = rng.normal(size=500), rng.normal(size=500), 0.7, 1.3
    const = {n: LIKELIHOODS[n].constant_at(s, b) for n in ("gaussian", "laplace")}
    assert const["laplace"] == np.log(2 * b) and abs(const["gaussian"] - np.log(2 * np.pi * s**2) / 2) <= 1e-15
    nll = mse(pred, target) / (2 * s**2) + const["gaussian"]
    assert np.max(np.abs(nll + stats.norm.logpdf(target, pred, s)) / np.abs(nll)) <= 1e-14
    nll = mae(pred, target) / b + const["laplace"]
    assert np.max(np.abs(nll + stats.laplace.logpdf(target, pred, b)) / np.abs(nll)) <= 1e-14


# --- Maximum likelihood ---------------------------------------------------------------------------------


def test_bernoulli_and_gaussian_estimates_are_the_sample_mean() -> None:
    mean = sp.Sum(P.y[P.n], (P.n, 1, P.N)) / P.N
    for e in P.estimates():
        assert e.estimate == mean and e.minimum
        assert sp.simplify(e.derivative.xreplace({e.parameter: e.estimate})) == 0
    gauss = next(e for e in P.estimates() if e.name == "gaussian_mean")
    assert gauss.second_derivative == P.N / P.s**2


def test_categorical_estimate_is_the_frequencies() -> None:
    solution, unique = P.categorical_estimate()
    assert unique
    assert solution[P.lagrange] == sum(sp.symbols("n1:4", positive=True))


def test_numerical_maximum_likelihood_agrees() -> None:
    rng = np.random.default_rng(1)
    coins = (rng.uniform(size=40) < 0.3).astype(float)
    best = optimize.minimize_scalar(
        lambda t: binary_cross_entropy(np.full_like(coins, t), coins).sum(),
        bounds=(1e-6, 1 - 1e-6),
        method="bounded",
        options={"xatol": 1e-12},
    )
    assert abs(best.x - coins.mean()) <= 1e-8
    heights = rng.normal(1.7, 0.1, size=40)
    best = optimize.minimize_scalar(lambda m: mse(np.full_like(heights, m), heights).sum())
    assert abs(best.x - heights.mean()) <= 1e-8


# --- Generated NumPy ------------------------------------------------------------------------------------


def _ulp(got: np.ndarray, ref: np.ndarray) -> np.ndarray:
    return np.abs(got - ref) / np.spacing(np.abs(ref))


def test_generated_logit_is_within_4_ulp_of_a_200_bit_reference() -> None:
    import mpmath

    rng = np.random.default_rng(3)
    p = np.concatenate(
        [
            np.logspace(-300, -1, 300),
            rng.uniform(0.2, 0.8, 3000),
            1 - np.logspace(-1, -16, 160),
            [0.25, 0.75, np.nextafter(0.25, 0), np.nextafter(0.75, 1), 0.499, 0.501],
        ]
    )
    with mpmath.workprec(200):
        ref = np.array([float(mpmath.log(mpmath.mpf(v) / (1 - mpmath.mpf(v)))) for v in p])
    assert np.max(_ulp(logit(p), ref)) <= 4  # measured: 3
    # the one-line form log p − log1p(−p) cancels near p = 1/2: the reason for the second branch
    assert np.max(_ulp(np.log(p) - np.log1p(-p), ref)) > 16
    assert logit(0.5) == 0.0 and np.isnan(logit(np.nan))


def test_generated_logit_against_scipy_and_torch() -> None:
    p = np.concatenate([np.logspace(-300, -1, 300), np.linspace(0.1, 0.9, 81), 1 - np.logspace(-1, -16, 160)])
    p = p[p != 0.5]
    ours = logit(p)
    for ref in (scipy.special.logit(p), torch.logit(torch.tensor(p, dtype=torch.float64)).numpy()):
        assert np.max(_ulp(ours, ref)) <= 8


def test_logit_at_0_and_1_is_infinite() -> None:
    with np.errstate(divide="ignore"):  # log(0) and log1p(-1), as numpy.log(0) itself
        assert logit(np.array([0.0, 1.0])).tolist() == [-np.inf, np.inf]


def test_logit_inverts_sigmoid_numerically() -> None:
    x = np.linspace(-30.0, 0.0, 3001)
    assert np.max(np.abs(logit(sigmoid(x)) - x)) <= 1e-14
    q = np.logspace(-300, np.log10(0.999), 400)
    assert np.max(np.abs(sigmoid(logit(q)) - q) / q) <= 1e-13
    # for x > 0 rounding σ(x) near 1 costs about ε·eˣ: the round trip is as good as that allows
    x = np.linspace(0.0, 30.0, 3001)
    assert np.max(np.abs(logit(sigmoid(x)) - x) / (np.finfo(float).eps * np.exp(x))) <= 2.0


def test_generated_softmax_is_a_shift_invariant_distribution() -> None:
    z = np.random.default_rng(2).normal(scale=5.0, size=(400, 7))
    p = softmax(z)
    assert np.all(p > 0)
    assert np.max(np.abs(p.sum(axis=-1) - 1)) <= 8 * np.finfo(float).eps
    assert np.max(np.abs(softmax(z + 1000.0) - p)) <= 1e-12
    z2 = z[:, :2]
    assert np.max(np.abs(softmax(z2)[:, 0] - sigmoid(z2[:, 0] - z2[:, 1]))) <= 4 * np.finfo(float).eps


def test_catalogue_entries_used_are_the_catalogues() -> None:
    assert LIKELIHOODS["bernoulli"].loss == "binary_cross_entropy"
    # the Bernoulli NLL, expanded, is literally the catalogue expression
    assert sp.simplify(LIKELIHOODS["bernoulli"].nll - get("binary_cross_entropy").expr) == 0
