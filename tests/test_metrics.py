"""Classification metrics: formulas proven by SymPy, generated NumPy, a trained model checked against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from sklearn import metrics

from derive.topics import probability as P  # noqa: N812 - the module of the formulas, short
from nnmath.topics.probability.metrics import (
    class_counts,
    confusion_matrix,
    digits_predictions,
    report,
    sklearn_differences,
)
from numeric import accuracy, f1_score, precision, recall

RATE_TOLERANCE = 1e-15
CLAIMS = {c.name: c for c in P.metric_claims() + P.micro_average_claims()}
GENERATED = {"accuracy": accuracy, "precision": precision, "recall": recall, "f1": f1_score}


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_claim_is_proven(name: str) -> None:
    assert CLAIMS[name].holds, CLAIMS[name].text


def test_f1_is_the_harmonic_mean_in_counts() -> None:
    assert P.metric_formulas()["f1"] == 2 * P.tp / (2 * P.tp + P.fp + P.fn)
    wrong = 2 * P.tp / (P.tp + P.fp + P.fn)
    assert sp.simplify(P.metric_definitions()["f1"] - wrong) != 0


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_rate_equals_the_sympy_formula_exactly(name: str) -> None:
    """Integer counts: both sides are one correctly rounded division of the same integers."""
    rng = np.random.default_rng(0)
    form, args = P.metric_formulas()[name], P.METRIC_ARGS[name]
    counts = rng.integers(0, 1000, size=(200, len(args)))
    counts[0] = [1] + [0] * (len(args) - 1)
    got = GENERATED[name](*counts.T)
    exact = [float(form.xreplace({a: int(v) for a, v in zip(args, row)})) for row in counts]
    assert got.tolist() == exact


def test_empty_denominators_give_0_like_scikit_learn_zero_division_0() -> None:
    assert precision(0, 0) == 0.0 and recall(0, 0) == 0.0 and f1_score(0, 0, 0) == 0.0
    y_true, y_pred = np.array([0, 0, 1, 1]), np.array([0, 0, 0, 0])  # class 1 never predicted
    rep = report(y_true, y_pred, 3)  # class 2 never occurs at all
    theirs = metrics.precision_recall_fscore_support(y_true, y_pred, labels=[0, 1, 2], zero_division=0)
    for n, name in enumerate(("precision", "recall", "f1")):
        assert rep.per_class[name].tolist() == theirs[n].tolist()


def test_counts_equal_the_sympy_definitions_on_a_concrete_matrix() -> None:
    rng = np.random.default_rng(1)
    c_values = rng.integers(0, 20, size=(4, 4))
    ours = class_counts(c_values)
    definitions = P.count_definitions()
    for name in ("tp", "fp", "fn", "tn"):
        for k in range(4):
            expr = definitions[name].xreplace({P.K: 4, P.k: k + 1}).doit()
            value = expr.replace(
                lambda e: isinstance(e, sp.Indexed), lambda e: sp.Integer(c_values[e.indices[0] - 1, e.indices[1] - 1])
            )
            assert int(value) == ours[name][k], (name, k)


def test_bad_labels_are_one_line_errors() -> None:
    with pytest.raises(ValueError, match="true labels must be in 0..2"):
        confusion_matrix(np.array([0, 3]), np.array([0, 1]), 3)
    with pytest.raises(ValueError, match="same length"):
        confusion_matrix(np.array([0, 1]), np.array([0]), 3)


# --- A trained model -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trained():
    predictions = digits_predictions()
    return predictions, report(predictions.y_true, predictions.y_pred, predictions.classes)


def test_the_model_was_trained(trained) -> None:
    predictions, rep = trained
    assert len(predictions.y_true) == 450 and predictions.classes == 10
    assert rep.accuracy >= 0.9 and predictions.train_accuracy >= 0.95  # measured: 0.9511 test, 0.9814 training


def test_confusion_matrix_is_scikit_learns_exactly(trained) -> None:
    predictions, rep = trained
    theirs = metrics.confusion_matrix(predictions.y_true, predictions.y_pred, labels=list(range(10)))
    assert np.array_equal(rep.confusion, theirs)
    assert rep.confusion.sum() == 450 and np.array_equal(rep.support, np.bincount(predictions.y_true, minlength=10))


def test_accuracy_is_scikit_learns_and_the_micro_average(trained) -> None:
    predictions, rep = trained
    assert rep.accuracy == metrics.accuracy_score(predictions.y_true, predictions.y_pred)
    assert rep.micro["precision"] == rep.micro["recall"] == rep.micro["f1"] == rep.accuracy


@pytest.mark.parametrize("average", [None, "macro", "weighted", "micro"])
def test_rates_agree_with_scikit_learn(trained, average) -> None:
    predictions, rep = trained
    theirs = metrics.precision_recall_fscore_support(
        predictions.y_true, predictions.y_pred, labels=list(range(10)), average=average, zero_division=0
    )
    for n, name in enumerate(("precision", "recall", "f1")):
        ours = rep.per_class[name] if average is None else getattr(rep, average)[name]
        assert np.max(np.abs(np.asarray(ours) - np.asarray(theirs[n]))) <= RATE_TOLERANCE
    if average is None:
        assert theirs[3].tolist() == rep.support.tolist()


def test_one_class_against_the_rest_agrees_with_scikit_learns_binary_metrics(trained) -> None:
    predictions, rep = trained
    for k in range(10):
        truth, guess = predictions.y_true == k, predictions.y_pred == k
        assert rep.class_accuracy[k] == metrics.accuracy_score(truth, guess)
        assert abs(rep.per_class["precision"][k] - metrics.precision_score(truth, guess, zero_division=0)) <= 1e-15
        assert abs(rep.per_class["recall"][k] - metrics.recall_score(truth, guess, zero_division=0)) <= 1e-15
        assert abs(rep.per_class["f1"][k] - metrics.f1_score(truth, guess, zero_division=0)) <= 1e-15


def test_the_comparison_the_pages_report(trained) -> None:
    """What the metrics page and the theory summary print: equal confusion matrices, the largest difference."""
    predictions, rep = trained
    differences = sklearn_differences(predictions.y_true, predictions.y_pred, rep)
    rates = [differences[k] for k in ("accuracy", "per_class", "macro", "weighted", "micro")]
    assert differences["confusion_equal"] is True
    assert all(type(v) is float for v in rates) and differences["largest"] == max(rates) <= RATE_TOLERANCE
