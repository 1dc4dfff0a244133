"""The probability section of the theory summary: log-odds, softmax, losses as likelihoods, metrics.

Formulas are printed from :mod:`derive.topics.probability`; the trained model's metrics and the confusion-matrix
figure are those of the site's metrics page (:mod:`nnmath.topics.probability.site_strings`).
"""

from __future__ import annotations

import sympy as sp

from derive.catalogue import get
from derive.printing.latex import CourseLatexPrinter
from derive.topics import probability
from nnmath.topics.base import Tex as TeX
from nnmath.topics.probability import site_strings as page
from nnmath.topics.texformat import formula

SOFTMAX_CLAIMS = ("softmax_sums_to_one", "softmax_shift", "softmax_two_classes")


def _equation(*sides: sp.Basic | str) -> TeX:
    return TeX(" = ".join(s if isinstance(s, str) else formula(s) for s in sides))


def probability_section() -> dict:
    """Context of ``templates/handouts/theory_probability.tex``."""
    x = probability.x
    sigmoid_of_x = get("sigmoid").expr.xreplace({get("sigmoid").wrt: x})
    inverse = {c.name: c for c in probability.log_odds_claims()}
    softmax = {c.name: c for c in probability.softmax_claims()}
    likelihoods = []
    for item in probability.likelihoods():
        strings = page.likelihood_strings(item)
        likelihoods.append({"title": strings["title"], "equals": TeX(strings["equals"]), "holds": item.holds})
    estimates = [
        {"title": page.ESTIMATE_TITLES[e.name][0], "estimate": TeX(page.estimate_strings(e)["estimate"])}
        for e in probability.estimates()
    ]
    names = {key: sp.Symbol(r"\text{" + key + "}") for key in probability.metric_definitions()}
    names["f1"] = sp.Symbol("F_1")
    harmonic = CourseLatexPrinter({"mul_symbol": "dot"}).doprint(
        2 * names["precision"] * names["recall"] / (names["precision"] + names["recall"])
    )
    forms = probability.metric_formulas()
    metrics = [
        _equation(names[key], *([harmonic] if key == "f1" else []), probability.display(forms[key]))
        for key in ("accuracy", "precision", "recall", "f1")
    ]
    data = page.metrics_data()
    return {
        "logit": _equation(page.LOGIT(probability.p), probability.logit(probability.p)),
        "inverse": [
            _equation(page.LOGIT(sigmoid_of_x), x) if inverse["logit_of_sigmoid"].holds else None,
            _equation(inverse["sigmoid_of_logit"].lhs, probability.p) if inverse["sigmoid_of_logit"].holds else None,
        ],
        "softmax": [
            {"text": softmax[name].text, "formula": _equation(softmax[name].lhs, softmax[name].rhs)}
            for name in SOFTMAX_CLAIMS
            if softmax[name].holds
        ],
        "likelihoods": likelihoods,
        "estimates": estimates,
        "metrics": metrics,
        "model": data["predictions"].model,
        "data": data["predictions"].data,
        "accuracy": f"{data['report'].accuracy:.4f}",
        "macro_f1": f"{data['report'].macro['f1']:.4f}",
        "sklearn": f"{max(v for k, v in data['sklearn'].items() if k != 'confusion_equal'):.1e}",
        "confusion_equal": data["sklearn"]["confusion_equal"],
        "figures": {"probability_confusion.pdf": page.confusion_figure(data["report"].confusion, "", fmt="pdf")},
    }
