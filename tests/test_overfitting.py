"""The overfitting experiment (nnmath/topics/overfitting/runs.py): the run without regularisation overfits, and an L2
penalty and early stopping each reduce the train/validation gap — seeded, with the real trainer."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from nnmath.topics.overfitting import runs as of


@pytest.fixture(scope="module")
def runs() -> dict[str, of.Run]:
    return of.experiment()


def test_data_split_is_stratified_and_disjoint():
    d = of.data()
    assert d.x_train.shape == (50, 64) and np.bincount(d.y_train).tolist() == [5] * 10
    assert d.x_val.shape == (300, 64) and len(d.x_test) == 450
    rows = {r.tobytes() for r in d.x_train}
    assert not any(r.tobytes() in rows for r in d.x_val)  # no training image is a validation image
    again = of.data()
    assert np.array_equal(again.x_train, d.x_train) and np.array_equal(again.y_val, d.y_val)


def test_the_run_without_regularisation_overfits(runs):
    h = runs["plain"].history
    assert h.epochs_run == of.SETUP.epochs and not h.stopped_early
    assert h.train_accuracy[-1] == 1.0 and h.train_loss[-1] < 1e-3
    best = int(np.argmin(h.val_loss))
    assert best < len(h.val_loss) // 2  # the validation loss is lowest early ...
    assert h.val_loss[-1] > h.val_loss[best] + 0.05  # ... and rises by more than 0.05 after that
    assert runs["plain"].gap > 0.4


def test_l2_reduces_the_gap(runs):
    plain, l2 = runs["plain"], runs["l2"]
    assert l2.gap < plain.gap - 0.05
    assert l2.val_loss < plain.val_loss - 0.04  # not only by fitting the training data worse
    assert l2.train_loss > plain.train_loss  # the penalty keeps the training loss away from zero


def test_early_stopping_reduces_the_gap(runs):
    plain, stopped = runs["plain"], runs["early stopping"]
    h = stopped.history
    assert h.stopped_early and h.epochs_run == h.best_epoch + of.SETUP.patience < of.SETUP.epochs
    assert stopped.epoch == h.best_epoch and stopped.val_loss == min(h.val_loss)
    assert stopped.gap < plain.gap - 0.05
    assert stopped.val_loss < plain.val_loss - 0.05
    # the same initial weights and batch order: until it stops, it is the plain run, epoch for epoch
    np.testing.assert_array_equal(h.val_loss, plain.history.val_loss[: h.epochs_run])


def test_accuracies_stay_close(runs):
    """Regularisation here changes the confidence, hardly the decisions: every run is within 2 points on test."""
    accuracies = [r.test_accuracy for r in runs.values()]
    assert min(accuracies) > 0.84 and max(accuracies) - min(accuracies) < 0.02


def test_unknown_run_is_an_error():
    with pytest.raises(ValueError, match="unknown run 'dropout'"):
        of.train("dropout", of.data())


def test_page_record(runs):
    from nnmath.topics.overfitting.record import overfitting

    page = overfitting()
    assert list(page["runs"]) == list(of.RUNS)
    assert [r["name"] for r in page["runs"].values()] == ["no regularisation", "L2 penalty", "early stopping"]
    assert page["runs"]["early stopping"]["epoch"] == runs["early stopping"].epoch
    assert page["penalty"] == r"\frac{\lambda w^{2}}{2}" and page["penalty_gradient"] == r"\lambda w"
    assert int(page["reduction_l2"]) > 10 and int(page["reduction_stopped"]) > 10 and page["lower_val"]
    assert all(f.svg.startswith("<?xml") and f.pdf.startswith(b"%PDF") for f in page["figures"].values())


def test_weight_decay_is_the_l2_step_collected_in_w():
    from derive.topics.gradient_descent import eta, rules, weight_decay_rule
    from nnmath.topics.overfitting.formulas import weight_decay

    collected, step = weight_decay_rule(), rules()["l2_step"]
    (w,) = (s for s in step.rhs.free_symbols if s.name == "w")
    (lam,) = (s for s in step.rhs.free_symbols if s.name == "lambda")
    assert sp.expand(collected.rhs - step.rhs) == 0
    assert sp.expand(collected.rhs.coeff(w) - (1 - eta * lam)) == 0  # the factor 1 − ηλ
    page = weight_decay()
    assert page["collected"] == r"w \leftarrow \left(1 - \eta \lambda\right) w - \eta g"  # textbook order
    assert page["symbols"]["eta"] == r"\eta"
