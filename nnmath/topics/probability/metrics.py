"""Classification metrics of a trained model: the confusion matrix and the rates printed from SymPy.

The rates — accuracy, precision, recall, F1 — are the generated functions of
``numeric/_generated/probability.py``, printed from the count formulas of
:mod:`derive.topics.probability` (e.g. F1 = 2TP/(2TP + FP + FN), proven equal to the
harmonic mean of precision and recall).  The per-class counts come from the
confusion matrix C (rows: true class, columns: predicted class) as
:func:`derive.topics.probability.count_definitions` defines them:
TPₖ = Cₖₖ, FPₖ = Σᵢ Cᵢₖ − Cₖₖ, FNₖ = Σⱼ Cₖⱼ − Cₖₖ, TNₖ = N − TPₖ − FPₖ − FNₖ.

Averages over the K classes: *macro* is the plain mean of the per-class rates,
*weighted* the mean weighted by the support (number of true samples) of each
class, *micro* the rate of the summed counts — for single-label data the
micro-averaged precision, recall and F1 all equal the accuracy (proven in
:func:`derive.topics.probability.micro_average_claims`).

:func:`digits_predictions` trains the model the metrics page measures, and :func:`sklearn_differences`
compares every number with scikit-learn's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numeric import accuracy, f1_score, precision, recall

RATES = ("precision", "recall", "f1")


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: int) -> np.ndarray:
    """C[i, j] = number of samples of true class i predicted as class j (int64, classes × classes)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"labels must be two 1-D arrays of the same length, got {y_true.shape} and {y_pred.shape}")
    for name, labels in (("true", y_true), ("predicted", y_pred)):
        if len(labels) and (labels.min() < 0 or labels.max() >= classes):
            raise ValueError(f"{name} labels must be in 0..{classes - 1}")
    out = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(out, (y_true.astype(np.int64), y_pred.astype(np.int64)), 1)
    return out


def class_counts(confusion: np.ndarray) -> dict[str, np.ndarray]:
    """TP, FP, FN, TN of every class (one against the rest), from the confusion matrix."""
    tp = np.diag(confusion).copy()
    fp = confusion.sum(axis=0) - tp
    fn = confusion.sum(axis=1) - tp
    tn = confusion.sum() - tp - fp - fn
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn}


@dataclass(frozen=True)
class Report:
    """Every metric of one set of predictions.

    Attributes:
        confusion: The K × K confusion matrix.
        counts: TP, FP, FN, TN per class.
        support: Number of true samples per class.
        per_class: ``precision``, ``recall``, ``f1`` per class (arrays of length K).
        macro, weighted, micro: The three averages of each rate.
        accuracy: Overall accuracy (= micro precision = micro recall = micro F1).
        class_accuracy: One-against-the-rest accuracy (TP + TN)/N per class.
    """

    confusion: np.ndarray
    counts: dict[str, np.ndarray]
    support: np.ndarray
    per_class: dict[str, np.ndarray]
    macro: dict[str, float]
    weighted: dict[str, float]
    micro: dict[str, float]
    accuracy: float
    class_accuracy: np.ndarray


def _rates(tp, fp, fn) -> dict[str, np.ndarray]:
    return {"precision": precision(tp, fp), "recall": recall(tp, fn), "f1": f1_score(tp, fp, fn)}


def report(y_true: np.ndarray, y_pred: np.ndarray, classes: int) -> Report:
    """The confusion matrix, per-class rates and their macro, weighted and micro averages."""
    confusion = confusion_matrix(y_true, y_pred, classes)
    counts = class_counts(confusion)
    support = confusion.sum(axis=1)
    per_class = _rates(counts["tp"], counts["fp"], counts["fn"])
    totals = {name: counts[name].sum() for name in ("tp", "fp", "fn")}
    micro = {name: float(v) for name, v in _rates(totals["tp"], totals["fp"], totals["fn"]).items()}
    return Report(
        confusion=confusion,
        counts=counts,
        support=support,
        per_class=per_class,
        macro={name: float(np.mean(per_class[name])) for name in RATES},
        weighted={name: float(np.sum(per_class[name] * support) / np.sum(support)) for name in RATES},
        micro=micro,
        accuracy=micro["precision"],
        class_accuracy=accuracy(counts["tp"], counts["fp"], counts["fn"], counts["tn"]),
    )


# --- A trained model to measure ----------------------------------------------------------------------


@dataclass(frozen=True)
class Predictions:
    """A trained model's predictions on held-out data."""

    model: str  # one line: what was trained, how
    data: str  # one line: the data set and the split
    classes: int
    y_true: np.ndarray
    y_pred: np.ndarray
    train_accuracy: float


DIGITS_NETWORK = (64, 32, 10)
DIGITS_EPOCHS = 30


def digits_predictions(seed: int = 0) -> Predictions:
    """A 64-32-10 network (ReLU, softmax) trained with nnmath's trainer on scikit-learn's 8×8 digits.

    ``numeric.mlp`` (every formula a generated function): Adam, learning rate 10⁻³, batches of 32,
    30 epochs; ``numeric.datasets`` split: stratified, 75 % training, 25 % test (seeded).
    """
    from numeric.datasets import load
    from numeric.mlp import build

    data = load("digits", test_size=0.25, seed=seed)
    net = build(list(DIGITS_NETWORK), activation="relu", output="softmax", seed=seed)
    net.fit(  # only the trained network's predictions are used: no per-epoch evaluation
        data.X_train,
        data.y_train,
        epochs=DIGITS_EPOCHS,
        batch_size=32,
        optimiser="adam",
        lr=1e-3,
        seed=seed,
        evaluate=False,
    )
    return Predictions(
        model=f"a {'-'.join(map(str, DIGITS_NETWORK))} network (ReLU hidden layer, softmax output, "
        f"softmax cross-entropy), trained with Adam (learning rate 0.001, batches of 32) for {DIGITS_EPOCHS} epochs",
        data=f"scikit-learn digits (8×8 images, 10 classes): {len(data.y_train)} training, "
        f"{len(data.y_test)} test samples",
        classes=data.n_classes,
        y_true=data.y_test,
        y_pred=net.predict_classes(data.X_test),
        train_accuracy=float(net.accuracy(data.X_train, data.y_train)),
    )


def sklearn_differences(y_true: np.ndarray, y_pred: np.ndarray, measured: Report) -> dict[str, float | bool]:
    """Our metrics against scikit-learn's, on the same predictions.

    Returns whether the confusion matrices are equal (``confusion_equal``), the largest absolute difference of
    the accuracy, of the per-class rates and of each average (``macro``, ``weighted``, ``micro``), and the
    largest of those differences (``largest``).
    """
    from sklearn import metrics

    labels = list(range(len(measured.confusion)))
    out: dict[str, float | bool] = {
        "confusion_equal": bool(
            np.array_equal(measured.confusion, metrics.confusion_matrix(y_true, y_pred, labels=labels))
        ),
        "accuracy": float(abs(measured.accuracy - metrics.accuracy_score(y_true, y_pred))),
    }
    per = metrics.precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    out["per_class"] = max(float(np.max(np.abs(measured.per_class[name] - per[n]))) for n, name in enumerate(RATES))
    for average in ("macro", "weighted", "micro"):
        theirs = metrics.precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=average, zero_division=0
        )
        ours = getattr(measured, average)
        out[average] = float(max(abs(ours[name] - theirs[n]) for n, name in enumerate(RATES)))
    out["largest"] = max(v for k, v in out.items() if k != "confusion_equal")
    return out
