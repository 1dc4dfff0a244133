"""Hyperparameter experiments on the digits data, run at build time with ``numeric``'s trainer.

Every run trains a ReLU/softmax network of generated functions (:mod:`numeric.mlp`) on scikit-learn's
digits (8 × 8 images, 10 classes).  The training part is split once more into a training set and a
**validation** set: hyperparameters are chosen on the validation set, and the test set is touched only
to report the chosen model.  The cost of a run is counted, not timed, so that the build is deterministic:
multiply–adds of the forward and backward passes, ≈ 3 × 2 × (weights) per sample seen (a training
step costs about three forward passes).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache

import numpy as np

SEED = 0
VALIDATION = 300  # samples of the training part held out for choosing hyperparameters
EPOCHS = 20
BASE = {"hidden": (32,), "batch_size": 32, "optimiser": "sgd", "lr": 0.3, "l2": 0.0}
LEARNING_RATES = (0.003, 0.03, 0.3, 3.0)
WIDTHS = (8, 32, 128)
DEPTHS = (1, 2, 3)
BATCH_SIZES = (8, 32, 128)
L2_VALUES = (0.0, 1e-4, 1e-3, 1e-2)
PATIENCE = 5
LONG_EPOCHS = 150  # the early-stopping run's limit


@dataclass(frozen=True)
class Run:
    """One training run: its settings, the curves, and what it costs."""

    label: str
    hidden: tuple[int, ...]
    batch_size: int
    lr: float
    l2: float
    train_loss: tuple[float, ...]
    val_loss: tuple[float, ...]
    val_accuracy: float
    test_accuracy: float
    parameters: int
    epochs: int
    best_epoch: int | None
    madds: float  # multiply–adds of the whole training run

    @property
    def diverged(self) -> bool:
        return not np.isfinite(self.train_loss[-1]) or self.train_loss[-1] > self.train_loss[0]


@cache
def data() -> tuple:
    """(X_train, y_train, X_val, y_val, X_test, y_test): digits, the training part split once more, seeded."""
    from numeric import datasets

    d = datasets.load("digits", seed=SEED)
    order = np.random.default_rng(SEED).permutation(len(d.y_train))
    val, train = order[:VALIDATION], order[VALIDATION:]
    return d.X_train[train], d.y_train[train], d.X_train[val], d.y_train[val], d.X_test, d.y_test


def train(label: str, epochs: int = EPOCHS, early_stopping: int | None = None, **changes) -> Run:
    """Train one network with :data:`BASE` changed by ``changes``; validation loss every epoch.

    Runs are seeded, so equal settings give the same run: the base network is in the learning-rate sweep and
    in every group of :func:`architecture_runs`, and the width-128 network is the first of :func:`l2_runs`.
    Each is trained once (:func:`_trained`) and labelled here.
    """
    settings = tuple(sorted({**BASE, **changes}.items()))
    return dataclasses.replace(_trained(epochs, early_stopping, settings), label=label)


@cache
def _trained(epochs: int, early_stopping: int | None, settings: tuple) -> Run:
    from threadpoolctl import threadpool_limits

    from numeric import mlp

    s = dict(settings)
    xt, yt, xv, yv, xs, ys = data()
    sizes = [xt.shape[1], *s["hidden"], 10]
    net = mlp.build(sizes, activation="relu", seed=SEED)
    with np.errstate(all="ignore"), threadpool_limits(1):  # small matrices: threads only add contention
        h = net.fit(
            xt,
            yt,
            epochs=epochs,
            batch_size=s["batch_size"],
            optimiser=s["optimiser"],
            lr=s["lr"],
            l2=s["l2"],
            validation=(xv, yv),
            early_stopping=early_stopping,
            seed=SEED,
        )
        val_acc, test_acc = net.accuracy(xv, yv), net.accuracy(xs, ys)
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return Run(
        label="",
        hidden=tuple(s["hidden"]),
        batch_size=s["batch_size"],
        lr=s["lr"],
        l2=s["l2"],
        train_loss=tuple(float(v) for v in h.train_loss),
        val_loss=tuple(float(v) for v in h.val_loss),
        val_accuracy=float(val_acc),
        test_accuracy=float(test_acc),
        parameters=net.n_parameters,
        epochs=h.epochs_run,
        best_epoch=h.best_epoch,
        madds=6.0 * weights * len(yt) * h.epochs_run,
    )


@cache
def learning_rate_sweep() -> tuple[Run, ...]:
    return tuple(train(f"η = {lr:g}", lr=lr) for lr in LEARNING_RATES)


@cache
def architecture_runs() -> dict[str, tuple[Run, ...]]:
    """Width (one hidden layer), depth (layers of 32) and batch size, each varied alone."""
    return {
        "width": tuple(train(f"width {w}", hidden=(w,)) for w in WIDTHS),
        "depth": tuple(train(f"{d} hidden layer{'s' if d > 1 else ''}", hidden=(32,) * d) for d in DEPTHS),
        "batch": tuple(train(f"batch {b}", batch_size=b) for b in BATCH_SIZES),
    }


@cache
def l2_runs() -> tuple[Run, ...]:
    return tuple(train(f"λ = {v:g}", hidden=(128,), l2=v) for v in L2_VALUES)


def chosen_l2() -> Run:
    """The L2 strength with the best validation accuracy (the first of equals)."""
    return max(l2_runs(), key=lambda r: r.val_accuracy)


@cache
def early_stopping_run() -> Run:
    """A wide network trained up to :data:`LONG_EPOCHS`, stopped after :data:`PATIENCE` epochs without a lower
    validation loss, its best epoch's parameters restored."""
    return train("early stopping", epochs=LONG_EPOCHS, early_stopping=PATIENCE, hidden=(128,))


RECIPE_SEEDS = (0, 1, 2, 3, 4)


def recipe_search() -> dict:
    """The seeded search that found the digits preset (:mod:`nnmath.topics.workshop.recipe_search`, written by
    ``bench/digits_recipe_search.py``: validation accuracy only, the test split unread)."""
    from nnmath.topics.workshop.recipe_search import SEARCH

    return SEARCH


@cache
def recipe_test_accuracies() -> tuple[float, ...]:
    """Test accuracy of the digits preset (``nnmath train digits``) for every seed of :data:`RECIPE_SEEDS`,
    measured once after training, as the CLI reports it; no per-epoch evaluation (about 0.15 s of CPU per seed)."""
    from threadpoolctl import threadpool_limits

    from nnmath.topics.optimisers.runs import run

    with np.errstate(all="ignore"), threadpool_limits(1):
        return tuple(run("digits", seed, validation=False, evaluate=False).test_accuracy for seed in RECIPE_SEEDS)


__all__ = [
    "Run",
    "architecture_runs",
    "chosen_l2",
    "data",
    "early_stopping_run",
    "l2_runs",
    "learning_rate_sweep",
    "recipe_search",
    "recipe_test_accuracies",
]
