"""The record of probability and statistics: the log-odds, softmax as a distribution, likelihoods, metrics.

Everything sits under ``"probability"``: one part per page (``log_odds``, ``softmax``, ``likelihood``,
``metrics``), which the site shows one at a time and the theory summary all together, and the summary's own
figure (the confusion matrix without a title: the summary's heading names it).
"""

from __future__ import annotations

import inspect

from nnmath.topics.base import Record
from nnmath.topics.probability import checks, figures, formulas
from nnmath.topics.probability.metrics import (
    RATES,
    Predictions,
    Report,
    digits_predictions,
    report,
    sklearn_differences,
)

AVERAGES = ("macro", "weighted", "micro")


def log_odds() -> dict:
    """The logit, proven inverse to the sigmoid, its generated code and its round trips in doubles."""
    from numeric import logit

    return {
        **formulas.log_odds(),
        "code": inspect.getsource(logit),
        "numbers": checks.log_odds(),
        "figures": {"log_odds": figures.log_odds()},
    }


def softmax() -> dict:
    """Softmax as a categorical distribution for any K (proven), measured on random logits."""
    return {**formulas.softmax_distribution(), "numbers": checks.softmax()}


def likelihood() -> dict:
    """Losses as negative log-likelihoods and maximum-likelihood estimates (proven), checked against SciPy."""
    return {**formulas.likelihoods(), "numbers": checks.likelihoods(), "figures": {"likelihood": figures.likelihood()}}


def metrics(predictions: Predictions, measured: Report) -> dict:
    """The rates and counts (proven), and the trained model's predictions measured with them and by scikit-learn."""
    from numeric import f1_score

    return {
        **formulas.metrics(),
        "model": predictions.model,
        "data": predictions.data,
        "train_accuracy": predictions.train_accuracy,
        "accuracy": measured.accuracy,
        "per_class": [
            {
                "label": k,
                "precision": float(measured.per_class["precision"][k]),
                "recall": float(measured.per_class["recall"][k]),
                "f1": float(measured.per_class["f1"][k]),
                "support": int(measured.support[k]),
            }
            for k in range(predictions.classes)
        ],
        "averages": {kind: {rate: getattr(measured, kind)[rate] for rate in RATES} for kind in AVERAGES},
        "sklearn": sklearn_differences(predictions.y_true, predictions.y_pred, measured),
        "code": inspect.getsource(f1_score),
        "figures": {"confusion": figures.confusion(measured.confusion, "Digits, test set: confusion matrix")},
    }


def present() -> Record:
    """The topic's presentation record (see the module docstring)."""
    predictions = digits_predictions()
    measured = report(predictions.y_true, predictions.y_pred, predictions.classes)
    return {
        "probability": {
            "log_odds": log_odds(),
            "softmax": softmax(),
            "likelihood": likelihood(),
            "metrics": metrics(predictions, measured),
            "figures": {"confusion": figures.confusion(measured.confusion, "")},
        }
    }
