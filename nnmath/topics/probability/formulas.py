"""The formulas of probability and statistics as LaTeX, printed from :mod:`derive.topics.probability`.

Nothing is derived here: every claim, likelihood and estimate comes from ``derive``; this module only
chooses how each is written (the names on the left side, TP/FP/FN/TN for the counts) and prints it with
the course printer.  A claim is printed in parts — an optional name for its left side, the left side,
the relation, the right side — so that each output can write as much of it as it shows.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from derive.catalogue import get
from derive.printing import formulas
from derive.printing.textbook import TextbookLatexPrinter, latex
from derive.topics import probability
from nnmath.topics.base import Tex

LOGIT = sp.Function(r"\operatorname{logit}")
PROB = sp.Function("P")
RELATIONS = {"=": "=", ">": ">", ">=": r"\geq", "<=": r"\leq"}
# Estimate name -> (heading, when the second derivative is positive at the estimate)
ESTIMATE_TITLES = {
    "bernoulli": ("The Bernoulli parameter θ", "when both outcomes occur in the sample (0 < Σ yₙ < N)"),
    "gaussian_mean": ("The Gaussian mean μ", "for every sample"),
}
LIKELIHOOD_TITLES = {
    "bernoulli": "Bernoulli: binary cross-entropy",
    "bernoulli_logits": "Bernoulli on a logit: binary cross-entropy on logits",
    "categorical": "Categorical: categorical cross-entropy",
    "categorical_logits": "Categorical on logits: softmax cross-entropy",
    "gaussian": "Gaussian noise: squared error",
    "laplace": "Laplace noise: absolute error",
}
COUNT_NAMES = {"tp": r"\mathrm{TP}_k", "fp": r"\mathrm{FP}_k", "fn": r"\mathrm{FN}_k", "tn": r"\mathrm{TN}_k"}


def tex(expr: sp.Basic) -> Tex:
    """``expr`` in the course's LaTeX."""
    return Tex(latex(expr))


def claims(
    established: list[probability.Claim],
    named: dict[str, sp.Basic] | None = None,
    instead: dict[str, sp.Basic | str] | None = None,
    show: Callable[[sp.Basic], sp.Basic] = lambda expr: expr,
) -> list[dict]:
    """Each claim as its text, its sides in LaTeX and whether SymPy proved it.

    ``named[name]`` is a name for the claim's left side (``logit(σ(x))`` for ``log(σ/(1 − σ))``), shown in front
    of it; ``instead[name]`` replaces the left side (a shorter name for the same quantity, or LaTeX as it is);
    ``show`` rewrites every side before printing (e.g. the counts as TP, FP, FN, TN).
    """
    named, instead = named or {}, instead or {}
    out = []
    for c in established:
        lhs = instead.get(c.name, c.lhs)
        out.append(
            {
                "name": c.name,
                "text": c.text,
                "named": tex(show(named[c.name])) if c.name in named else None,
                "lhs": Tex(lhs) if isinstance(lhs, str) else tex(show(lhs)),
                "relation": Tex(RELATIONS[c.relation]),
                "rhs": tex(show(c.rhs)),
                "holds": c.holds,
            }
        )
    return out


def sigmoid_of_x() -> sp.Basic:
    """σ(x), the catalogue's sigmoid at the claims' x."""
    return get("sigmoid").expr.xreplace({get("sigmoid").wrt: probability.x})


def log_odds_formulas() -> dict:
    """The logit, logistic regression and the odds (without the proofs of :func:`log_odds`)."""
    p = probability.p
    return {
        "definition": Tex(formulas.equation(LOGIT(p), probability.logit(p))),
        "model": Tex(formulas.equation(LOGIT(sp.Symbol(r"P(y = 1 \mid \mathbf{x})")), sp.Symbol("z"))),
        "odds": Tex(formulas.equation(sp.Symbol("p") / (1 - sp.Symbol("p")), sp.exp(sp.Symbol("z")))),
    }


def log_odds() -> dict:
    """The logit, its inverse the sigmoid (both directions proven), logistic regression and the odds."""
    shown = log_odds_formulas()
    return {
        "definition": shown["definition"],
        "claims": claims(probability.log_odds_claims(), named={"logit_of_sigmoid": LOGIT(sigmoid_of_x())}),
        "model": shown["model"],
        "odds": shown["odds"],
    }


def softmax_definition() -> Tex:
    """p_i = e^{z_i} / Σ_j e^{z_j}, softmax's component for any K."""
    p_i = sp.IndexedBase("p")[probability.i]
    return tex(sp.Eq(p_i, probability.softmax_component(lambda m: probability.z[m], probability.i), evaluate=False))


def softmax_distribution() -> dict:
    """Softmax's components for any K, and what SymPy proves of them."""
    i, j = probability.i, probability.j
    p_i = sp.IndexedBase("p")[i]
    return {
        "definition": softmax_definition(),
        "claims": claims(
            probability.softmax_claims(),
            instead={
                "softmax_positive": p_i,
                "softmax_log_odds": sp.log(p_i / sp.IndexedBase("p")[j], evaluate=False),
            },
        ),
    }


def likelihood(item: probability.Likelihood) -> dict:
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
        "density": tex(item.density),
        "nll": Tex(formulas.equation(-sp.log(PROB(target)), item.nll)),
        "equals": Tex(latex(-sp.log(PROB(target))) + " = " + rhs),
        "constant": tex(item.constant),
        "holds": item.holds,
    }


def estimate(e: probability.Estimate) -> dict:
    """One maximum-likelihood estimate: the summed loss, its derivative set to zero, the root, the curvature."""
    title, condition = ESTIMATE_TITLES[e.name]
    return {
        "name": e.name,
        "title": title,
        "condition": condition,
        "parameter": tex(e.parameter),
        "nll": tex(e.nll),
        "derivative": tex(sp.Eq(sp.Derivative(sp.Symbol("L"), e.parameter), e.derivative, evaluate=False)),
        "estimate": tex(sp.Eq(sp.Symbol(r"\hat{" + latex(e.parameter) + "}"), e.estimate, evaluate=False)),
        "second": tex(e.second_derivative),
        "minimum": e.minimum,
    }


def likelihoods() -> dict:
    """Cross-entropies and MSE/MAE as negative log-likelihoods; the maximum-likelihood estimates."""
    solution, unique = probability.categorical_estimate()
    probs = sorted((k for k in solution if k != probability.lagrange), key=str)
    return {
        "likelihoods": [likelihood(item) for item in probability.likelihoods()],
        "any_k": claims([probability.categorical_nll_any_k()])[0],
        "estimates": [estimate(e) for e in probability.estimates()],
        "categorical": Tex(r",\quad ".join(latex(sp.Eq(k, solution[k], evaluate=False)) for k in probs)),
        "categorical_unique": unique,
    }


def harmonic_mean() -> Tex:
    """F1 as the harmonic mean of the named rates, with a visible product: 2 · precision · recall / (…)."""
    precision, recall = sp.Symbol(r"\text{precision}"), sp.Symbol(r"\text{recall}")
    return Tex(TextbookLatexPrinter({"mul_symbol": "dot"}).doprint(2 * precision * recall / (precision + recall)))


def metric_rows() -> list[dict]:
    """Each rate (``name``) from the counts, in LaTeX (``tex``): its definition and, when it reads differently,
    its formula (F1 as the harmonic mean)."""
    definitions = probability.metric_definitions()
    forms = probability.metric_formulas()
    names = {key: sp.Symbol(r"\text{" + key + "}") for key in definitions} | {"f1": sp.Symbol("F_1")}
    harmonic = harmonic_mean()
    rows = []
    for key, expr in definitions.items():
        sides = [names[key], harmonic if key == "f1" else expr] + ([forms[key]] if forms[key] != expr else [])
        shown = [side if isinstance(side, str) else probability.display(side) for side in sides]
        rows.append({"name": key, "tex": Tex(formulas.equation(*shown))})
    return rows


def metrics() -> dict:
    """The rates from the counts, what SymPy proves of them, and the counts from the confusion matrix."""
    harmonic = harmonic_mean()
    counts = probability.count_definitions()
    return {
        "definitions": metric_rows(),
        "claims": claims(
            probability.metric_claims() + probability.micro_average_claims(),
            instead={"f1_counts": harmonic},
            show=probability.display,
        ),
        "counts": [
            {"name": name, "tex": Tex(f"{tex_name} = {formulas.unordered(counts[name])}")}
            for name, tex_name in COUNT_NAMES.items()
        ],
        "total": Tex(f"N = {latex(counts['N'])}"),
    }
