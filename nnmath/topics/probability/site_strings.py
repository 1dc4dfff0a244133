"""The strings of the probability pages: log-odds, softmax as a distribution, losses as likelihoods, metrics.

Every formula is printed from :mod:`derive.topics.probability`; every number is measured here with the
generated NumPy functions (and scikit-learn / SciPy as the independent reference).
"""

from __future__ import annotations

import inspect
from functools import cache

import numpy as np
import sympy as sp

from derive.catalogue import get
from derive.printing import formulas
from derive.printing.latex import CourseLatexPrinter, latex
from derive.topics import probability

LOGIT = sp.Function(r"\operatorname{logit}")
PROB = sp.Function("P")


def output(fig, fmt: str = "svg") -> str | bytes:
    """A matplotlib figure as deterministic SVG text (the site) or PDF bytes (the handouts); closes the figure."""
    from nnmath.plots import figure_bytes

    data = figure_bytes(fig, fmt)
    return data.decode() if fmt == "svg" else data


RELATIONS = {"=": "=", ">": ">", ">=": r"\geq", "<=": r"\leq"}


def claim_strings(
    claims: list[probability.Claim],
    before: dict[str, sp.Basic] | None = None,
    instead: dict[str, sp.Basic | str] | None = None,
    show=lambda expr: expr,
) -> list[dict]:
    """Each claim as text, its relation in LaTeX and the verdict.

    ``before[name]`` is written in front of the claim's left side (``logit(σ(x)) = log(σ/(1 − σ)) = x``);
    ``instead[name]`` replaces the left side on the page (a shorter name for the same quantity);
    ``show`` rewrites every side before printing (e.g. the counts as TP, FP, FN, TN).
    """
    before, instead = before or {}, instead or {}
    out = []
    for c in claims:
        lhs = [before[c.name], c.lhs] if c.name in before else [instead.get(c.name, c.lhs)]
        shown = [side if isinstance(side, str) else show(side) for side in lhs]
        tex = formulas.equation(*shown) + f" {RELATIONS[c.relation]} " + latex(show(c.rhs))
        out.append({"name": c.name, "text": c.text, "tex": tex, "holds": c.holds})
    return out


def _max(values: np.ndarray) -> float:
    return float(np.max(values))


# --- Log-odds -----------------------------------------------------------------------------------------


def log_odds_numbers() -> dict[str, float]:
    """The inverse pair in floating point, with the generated functions."""
    from scipy.special import logit as scipy_logit

    from numeric import logit, sigmoid

    negative, positive = np.linspace(-30.0, 0.0, 3001), np.linspace(0.0, 30.0, 3001)
    q = np.concatenate([np.logspace(-300, -1, 300), np.linspace(0.1, 0.9, 81), 1 - np.logspace(-1, -15, 150)])
    # For x > 0, σ(x) is within a few ulp of 1: rounding σ(x) to a double moves logit by about ε eˣ.
    return {
        "roundtrip_negative": _max(np.abs(logit(sigmoid(negative)) - negative)),
        "roundtrip_positive": _max(
            np.abs(logit(sigmoid(positive)) - positive) / (np.finfo(float).eps * np.exp(positive))
        ),
        "roundtrip_at_30": float(abs(logit(sigmoid(30.0)) - 30.0)),
        "roundtrip_p": _max(np.abs(sigmoid(logit(q)) - q) / q),
        "vs_scipy": _max(np.abs(logit(q) - scipy_logit(q)) / np.maximum(np.abs(scipy_logit(q)), 1e-300)),
    }


def log_odds_figure(fmt: str = "svg") -> str | bytes:
    from nnmath.plots import plt  # pyplot with the house style (grid, fonts, stable ids) already applied
    from numeric import logit, sigmoid

    fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 3.0))
    x = np.linspace(-6, 6, 401)
    left.plot(x, sigmoid(x), color="#1f77b4", linewidth=2)
    left.set_xlabel("log-odds z")
    left.set_ylabel("probability σ(z)")
    left.set_title("sigmoid: log-odds → probability", fontsize=10)
    q = np.linspace(0.0025, 0.9975, 399)
    right.plot(q, logit(q), color="#d62728", linewidth=2)
    right.set_xlabel("probability p")
    right.set_ylabel("logit(p)")
    right.set_title("logit: probability → log-odds", fontsize=10)
    fig.tight_layout()
    return output(fig, fmt)


def log_odds() -> dict:
    """The log-odds, its inverse the sigmoid (proven), and the generated logit."""
    from numeric import logit

    p, x = probability.p, probability.x
    return {
        "definition": formulas.equation(LOGIT(p), probability.logit(p)),
        "claims": claim_strings(
            probability.log_odds_claims(),
            before={"logit_of_sigmoid": LOGIT(get("sigmoid").expr.xreplace({get("sigmoid").wrt: x}))},
        ),
        "model": formulas.equation(LOGIT(sp.Symbol(r"P(y = 1 \mid \mathbf{x})")), sp.Symbol("z")),
        "odds": formulas.equation(sp.Symbol("p") / (1 - sp.Symbol("p")), sp.exp(sp.Symbol("z"))),
        "code": inspect.getsource(logit),
        "numbers": log_odds_numbers(),
        "figures": {"log_odds": log_odds_figure()},
    }


# --- Softmax as a categorical distribution -------------------------------------------------------------


def softmax_numbers(seed: int = 0) -> dict[str, float]:
    """Sum, positivity and shift invariance of the generated softmax on random logits (K = 7)."""
    from numeric import softmax

    rng = np.random.default_rng(seed)
    z = rng.normal(scale=5.0, size=(1000, 7))
    probabilities = softmax(z)
    shifted = softmax(z + 1000.0)  # exp(z + 1000) overflows; the generated code subtracts the log-sum-exp
    return {
        "sum_error": _max(np.abs(probabilities.sum(axis=-1) - 1.0)),
        "min": float(np.min(probabilities)),
        "shift_error": _max(np.abs(shifted - probabilities)),
        "samples": 1000,
        "classes": 7,
    }


def softmax_distribution() -> dict:
    """Softmax is a categorical distribution for any K, and shift-invariant (proven)."""
    i = probability.i
    component = probability.softmax_component(lambda m: probability.z[m], i)
    return {
        "definition": latex(sp.Eq(sp.IndexedBase("p")[i], component, evaluate=False)),
        "claims": claim_strings(
            probability.softmax_claims(),
            instead={
                "softmax_positive": sp.IndexedBase("p")[i],
                "softmax_log_odds": sp.log(sp.IndexedBase("p")[i] / sp.IndexedBase("p")[probability.j], evaluate=False),
            },
        ),
        "numbers": softmax_numbers(),
    }


# --- Losses as negative log-likelihoods ---------------------------------------------------------------


def _nll_numbers(seed: int = 0) -> dict[str, float]:
    """The generated losses against SciPy's log-densities: −log P = scale · loss + constant."""
    from scipy import stats

    from numeric import binary_cross_entropy, categorical_cross_entropy, mae, mse

    rng = np.random.default_rng(seed)
    p, y01 = rng.uniform(0.01, 0.99, 1000), rng.integers(0, 2, 1000).astype(float)
    probs = rng.dirichlet(np.ones(4), 1000)
    onehot = np.eye(4)[rng.integers(0, 4, 1000)]
    pred, target, s, b = rng.normal(size=1000), rng.normal(size=1000), 0.7, 1.3
    constants = {
        item.name: float(item.constant.subs({probability.s: s, probability.b: b})) for item in probability.likelihoods()
    }
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


def likelihood_figure(seed: int = 0, fmt: str = "svg") -> str | bytes:
    """The NLL of a sample as a function of the parameter: minimum at the sample mean (Bernoulli, Gaussian)."""
    from nnmath.plots import plt  # pyplot with the house style (grid, fonts, stable ids) already applied
    from numeric import binary_cross_entropy, mse

    rng = np.random.default_rng(seed)
    coins = (rng.uniform(size=20) < 0.3).astype(float)
    heights = rng.normal(1.7, 0.1, size=20)
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 3.0))
    theta = np.linspace(0.02, 0.98, 481)
    left.plot(theta, binary_cross_entropy(theta[:, None], coins[None, :]).sum(axis=1), color="#1f77b4")
    left.axvline(coins.mean(), color="0.3", linestyle=":", label=f"sample mean {coins.mean():.2f}")
    left.set_xlabel("θ")
    left.set_title("Bernoulli: Σ binary cross-entropy", fontsize=10)
    left.legend(fontsize=8)
    mu = np.linspace(1.4, 2.0, 481)
    right.plot(mu, mse(mu[:, None], heights[None, :]).sum(axis=1), color="#d62728")
    right.axvline(heights.mean(), color="0.3", linestyle=":", label=f"sample mean {heights.mean():.3f}")
    right.set_xlabel("μ")
    right.set_title("Gaussian: Σ squared error", fontsize=10)
    right.legend(fontsize=8)
    fig.tight_layout()
    return output(fig, fmt)


LIKELIHOOD_TITLES = {
    "bernoulli": "Bernoulli: binary cross-entropy",
    "bernoulli_logits": "Bernoulli on a logit: binary cross-entropy on logits",
    "categorical": "Categorical: categorical cross-entropy",
    "categorical_logits": "Categorical on logits: softmax cross-entropy",
    "gaussian": "Gaussian noise: squared error",
    "laplace": "Laplace noise: absolute error",
}
# Estimate name -> (heading, when the second derivative is positive at the estimate)
ESTIMATE_TITLES = {
    "bernoulli": ("The Bernoulli parameter θ", "when both outcomes occur in the sample (0 < Σ yₙ < N)"),
    "gaussian_mean": ("The Gaussian mean μ", "for every sample"),
}


def likelihood_strings(item: probability.Likelihood) -> dict:
    """One noise model: its density, −log of it, and the catalogue loss it equals (up to scale and constant)."""
    target = sp.Symbol("y")
    loss = sp.Function(r"L_{\text{" + formulas.text(item.loss) + "}}")
    args = [a for a in get(item.loss).args if a not in get(item.loss).params]
    rhs = latex(item.scale * loss(*args)) + (" + " + latex(item.constant) if item.constant != 0 else "")
    return {
        "name": item.name,
        "title": LIKELIHOOD_TITLES[item.name],
        "model": item.model,
        "loss": item.loss,
        "density": latex(item.density),
        "nll": formulas.equation(-sp.log(PROB(target)), item.nll),
        "equals": latex(-sp.log(PROB(target))) + " = " + rhs,
        "constant": latex(item.constant),
        "holds": item.holds,
    }


def estimate_strings(e: probability.Estimate) -> dict:
    title, condition = ESTIMATE_TITLES[e.name]
    return {
        "name": e.name,
        "title": title,
        "condition": condition,
        "parameter": latex(e.parameter),
        "nll": latex(e.nll),
        "derivative": latex(sp.Eq(sp.Derivative(sp.Symbol("L"), e.parameter), e.derivative, evaluate=False)),
        "estimate": latex(sp.Eq(sp.Symbol(r"\hat{" + latex(e.parameter) + "}"), e.estimate, evaluate=False)),
        "second": latex(e.second_derivative),
        "minimum": e.minimum,
    }


def likelihood() -> dict:
    """Cross-entropies and MSE/MAE as negative log-likelihoods; maximum-likelihood estimates."""
    solution, unique = probability.categorical_estimate()
    probs = [k for k in solution if k != probability.lagrange]
    return {
        "likelihoods": [likelihood_strings(item) for item in probability.likelihoods()],
        "any_k": claim_strings([probability.categorical_nll_any_k()])[0],
        "estimates": [estimate_strings(e) for e in probability.estimates()],
        "categorical": r",\quad ".join(latex(sp.Eq(k, solution[k], evaluate=False)) for k in sorted(probs, key=str)),
        "categorical_unique": unique,
        "numbers": _nll_numbers(),
        "figures": {"likelihood": likelihood_figure()},
    }


# --- Metrics --------------------------------------------------------------------------------------------


def confusion_figure(confusion: np.ndarray, title: str, fmt: str = "svg") -> str | bytes:
    """The confusion matrix as a heat map with the counts written in."""
    from nnmath.plots import plt  # pyplot with the house style (grid, fonts, stable ids) already applied

    classes = len(confusion)
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    ax.imshow(confusion, cmap="Blues")
    ax.grid(False)
    threshold = confusion.max() / 2
    for row in range(classes):
        for col in range(classes):
            value = int(confusion[row, col])
            if value:
                colour = "white" if value > threshold else "black"
                ax.text(col, row, str(value), ha="center", va="center", color=colour, fontsize=8)
    ax.set_xticks(range(classes))
    ax.set_yticks(range(classes))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return output(fig, fmt)


def sklearn_differences(y_true: np.ndarray, y_pred: np.ndarray, report) -> dict[str, float | bool]:
    """Our metrics against scikit-learn's: exact equality of counts, the largest difference of the rates."""
    from sklearn import metrics

    labels = list(range(len(report.confusion)))
    out: dict[str, float | bool] = {
        "confusion_equal": bool(
            np.array_equal(report.confusion, metrics.confusion_matrix(y_true, y_pred, labels=labels))
        ),
        "accuracy": abs(report.accuracy - metrics.accuracy_score(y_true, y_pred)),
    }
    per = metrics.precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    out["per_class"] = max(_max(np.abs(report.per_class[name] - per[n])) for n, name in enumerate(P_RATES))
    for average in ("macro", "weighted", "micro"):
        theirs = metrics.precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=average, zero_division=0
        )
        ours = getattr(report, average)
        out[average] = max(abs(ours[name] - theirs[n]) for n, name in enumerate(P_RATES))
    return out


P_RATES = ("precision", "recall", "f1")


@cache
def metrics_data() -> dict:
    """The trained model's predictions, their report and the comparison with scikit-learn (computed once)."""
    from nnmath.topics.probability.metrics import digits_predictions, report

    predictions = digits_predictions()
    rep = report(predictions.y_true, predictions.y_pred, predictions.classes)
    return {
        "predictions": predictions,
        "report": rep,
        "sklearn": sklearn_differences(predictions.y_true, predictions.y_pred, rep),
    }


def metrics() -> dict:
    """Definitions from counts, the counts from the confusion matrix, and a trained model measured."""
    definitions = probability.metric_definitions()
    forms = probability.metric_formulas()
    names = {key: sp.Symbol(r"\text{" + key + "}") for key in definitions} | {"f1": sp.Symbol("F_1")}
    # the harmonic mean with a visible product: 2 · precision · recall / (precision + recall)
    harmonic = CourseLatexPrinter({"mul_symbol": "dot"}).doprint(
        2 * names["precision"] * names["recall"] / (names["precision"] + names["recall"])
    )
    rows = []
    for key, expr in definitions.items():
        sides = [names[key], harmonic if key == "f1" else expr] + ([forms[key]] if forms[key] != expr else [])
        shown = [side if isinstance(side, str) else probability.display(side) for side in sides]
        rows.append({"name": key, "tex": formulas.equation(*shown)})
    counts = probability.count_definitions()
    count_names = {"tp": r"\mathrm{TP}_k", "fp": r"\mathrm{FP}_k", "fn": r"\mathrm{FN}_k", "tn": r"\mathrm{TN}_k"}
    data = metrics_data()
    predictions, rep = data["predictions"], data["report"]
    from numeric import f1_score

    return {
        "definitions": rows,
        "claims": claim_strings(
            probability.metric_claims() + probability.micro_average_claims(),
            instead={"f1_counts": harmonic},
            show=probability.display,
        ),
        "counts": [
            {"name": name, "tex": f"{tex} = {formulas.unordered(counts[name])}"} for name, tex in count_names.items()
        ],
        "total": f"N = {latex(counts['N'])}",
        "model": predictions.model,
        "data": predictions.data,
        "train_accuracy": predictions.train_accuracy,
        "accuracy": rep.accuracy,
        "per_class": [
            {
                "label": k,
                "precision": float(rep.per_class["precision"][k]),
                "recall": float(rep.per_class["recall"][k]),
                "f1": float(rep.per_class["f1"][k]),
                "support": int(rep.support[k]),
            }
            for k in range(predictions.classes)
        ],
        "averages": [
            {"name": name, **{rate: getattr(rep, name)[rate] for rate in P_RATES}}
            for name in ("macro", "weighted", "micro")
        ],
        "sklearn": data["sklearn"],
        "code": inspect.getsource(f1_score),
        "figures": {"confusion": confusion_figure(rep.confusion, "Digits, test set: confusion matrix")},
    }
