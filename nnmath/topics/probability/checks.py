"""The generated functions of probability and statistics measured in floating point, against SciPy.

* the logit and the sigmoid are inverse to each other in doubles too, and the logit equals SciPy's;
* softmax is a distribution (sums to one, positive) and shift-invariant on random logits;
* the generated losses equal SciPy's negative log-densities up to the scale and constant SymPy derived.
"""

from __future__ import annotations

import numpy as np

from derive.topics import probability

GAUSSIAN_DEVIATION = 0.7  # s of the Gaussian noise model in the comparison with SciPy
LAPLACE_SCALE = 1.3  # b of the Laplace noise model
SAMPLES = 1000


def _max(values: np.ndarray) -> float:
    return float(np.max(values))


def log_odds() -> dict[str, float]:
    """The round trips logit(σ(x)) and σ(logit(p)) with the generated functions, and the logit against SciPy's.

    For x > 0, σ(x) is within a few ulp of 1: rounding σ(x) to a double moves the logit by about ε eˣ, so that
    round trip is measured in units of ε eˣ.
    """
    from scipy.special import logit as scipy_logit

    from numeric import logit, sigmoid

    negative, positive = np.linspace(-30.0, 0.0, 3001), np.linspace(0.0, 30.0, 3001)
    q = np.concatenate([np.logspace(-300, -1, 300), np.linspace(0.1, 0.9, 81), 1 - np.logspace(-1, -15, 150)])
    return {
        "roundtrip_negative": _max(np.abs(logit(sigmoid(negative)) - negative)),
        "roundtrip_positive": _max(
            np.abs(logit(sigmoid(positive)) - positive) / (np.finfo(float).eps * np.exp(positive))
        ),
        "roundtrip_at_30": float(abs(logit(sigmoid(30.0)) - 30.0)),
        "roundtrip_p": _max(np.abs(sigmoid(logit(q)) - q) / q),
        "vs_scipy": _max(np.abs(logit(q) - scipy_logit(q)) / np.maximum(np.abs(scipy_logit(q)), 1e-300)),
    }


def softmax(seed: int = 0, classes: int = 7) -> dict[str, float | int]:
    """Sum, positivity and shift invariance of the generated softmax on random logits."""
    from numeric import softmax

    rng = np.random.default_rng(seed)
    z = rng.normal(scale=5.0, size=(SAMPLES, classes))
    probabilities = softmax(z)
    shifted = softmax(z + 1000.0)  # exp(z + 1000) overflows; the generated code subtracts the log-sum-exp
    return {
        "sum_error": _max(np.abs(probabilities.sum(axis=-1) - 1.0)),
        "min": float(np.min(probabilities)),
        "shift_error": _max(np.abs(shifted - probabilities)),
        "samples": SAMPLES,
        "classes": classes,
    }


def likelihoods(seed: int = 0) -> dict[str, float]:
    """The largest |scale · loss + constant + log P| of each generated loss against SciPy's log-density."""
    from scipy import stats

    from numeric import binary_cross_entropy, categorical_cross_entropy, mae, mse

    rng = np.random.default_rng(seed)
    p, y01 = rng.uniform(0.01, 0.99, SAMPLES), rng.integers(0, 2, SAMPLES).astype(float)
    probs = rng.dirichlet(np.ones(4), SAMPLES)
    onehot = np.eye(4)[rng.integers(0, 4, SAMPLES)]
    pred, target, s, b = rng.normal(size=SAMPLES), rng.normal(size=SAMPLES), GAUSSIAN_DEVIATION, LAPLACE_SCALE
    constants = {item.name: item.constant_at(s, b) for item in probability.likelihoods()}
    return {
        "bernoulli": _max(np.abs(binary_cross_entropy(p, y01) + stats.bernoulli.logpmf(y01, p))),
        "categorical": _max(
            np.abs(categorical_cross_entropy(probs, onehot) + stats.multinomial.logpmf(onehot, 1, probs))
        ),
        "gaussian": _max(
            np.abs(mse(pred, target) / (2 * s**2) + constants["gaussian"] + stats.norm.logpdf(target, pred, s))
        ),
        "laplace": _max(np.abs(mae(pred, target) / b + constants["laplace"] + stats.laplace.logpdf(target, pred, b))),
    }
