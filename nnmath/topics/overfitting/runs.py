"""Overfitting on a small subset of the digits, and the same run with L2 and with early stopping.

One experiment, three runs of nnmath's trainer (:mod:`numeric.mlp`) that differ in one setting
only: the same data, initial weights, batch order and optimiser, and

* ``plain``: no regularisation, trained for all epochs;
* ``l2``: the catalogue's L2 penalty (λ/2)·w² on every weight;
* ``early stopping``: stop once the validation loss has not improved for ``patience`` epochs,
  and return the weights of the best epoch.

The train/validation gap is the validation loss minus the training loss (mean cross-entropy, the
penalty not included), taken at the weights each run returns; the accuracy gap likewise.  A third,
untouched split (the held-out test set of :func:`numeric.datasets.load`) gives each run's test accuracy.
BLAS runs on one thread: the runs are small, and one thread makes them fast on a busy machine
and bit-for-bit reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
from threadpoolctl import threadpool_limits

from numeric.datasets import load
from numeric.mlp import History, build


@dataclass(frozen=True)
class Setup:
    """The experiment's settings (one seed for the data split, the weights and the batch order)."""

    sizes: tuple[int, ...] = (64, 256, 256, 10)
    activation: str = "relu"
    per_class: int = 5  # training images per digit: 50 in all
    validation: int = 300  # validation images, from the rest of the training split
    epochs: int = 150
    batch_size: int = 10
    optimiser: str = "adam"
    lr: float = 1e-3
    l2: float = 3e-3
    patience: int = 10
    seed: int = 0


SETUP = Setup()
RUNS = ("plain", "l2", "early stopping")
TITLES = {"plain": "no regularisation", "l2": "L2 penalty", "early stopping": "early stopping"}  # as pages name them


@dataclass(frozen=True)
class Data:
    """Training subset, validation and test images (features scaled to [0, 1]) and labels."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


@dataclass(frozen=True)
class Run:
    """One training run: its history and the measurements at the weights it returns."""

    name: str
    history: History
    epoch: int  # the epoch whose weights were returned (the best one for early stopping)
    train_loss: float
    val_loss: float
    train_accuracy: float
    val_accuracy: float
    test_accuracy: float
    gaps: list[float] = field(default_factory=list)  # validation − training loss, per epoch

    @property
    def gap(self) -> float:
        """Validation loss − training loss at the returned weights."""
        return self.val_loss - self.train_loss

    @property
    def accuracy_gap(self) -> float:
        """Training accuracy − validation accuracy at the returned weights."""
        return self.train_accuracy - self.val_accuracy


def data(setup: Setup = SETUP) -> Data:
    """``per_class`` training images of every digit and ``validation`` others, both from the training split."""
    ds = load("digits", seed=setup.seed)
    rng = np.random.default_rng(setup.seed)
    labels = np.unique(ds.y_train)
    chosen = [rng.choice(np.flatnonzero(ds.y_train == c), setup.per_class, replace=False) for c in labels]
    train = np.sort(np.concatenate(chosen))
    rest = np.setdiff1d(np.arange(len(ds.y_train)), train)
    val = np.sort(rng.choice(rest, setup.validation, replace=False))
    return Data(ds.X_train[train], ds.y_train[train], ds.X_train[val], ds.y_train[val], ds.X_test, ds.y_test)


def train(name: str, d: Data, setup: Setup = SETUP) -> Run:
    """One of :data:`RUNS` on the data ``d``."""
    if name not in RUNS:
        raise ValueError(f"unknown run {name!r}; known: {', '.join(RUNS)}")
    net = build(list(setup.sizes), activation=setup.activation, seed=setup.seed)
    with threadpool_limits(1):
        h = net.fit(
            d.x_train,
            d.y_train,
            epochs=setup.epochs,
            batch_size=setup.batch_size,
            optimiser=setup.optimiser,
            lr=setup.lr,
            l2=setup.l2 if name == "l2" else 0.0,
            validation=(d.x_val, d.y_val),
            early_stopping=setup.patience if name == "early stopping" else None,
            seed=setup.seed,
        )
        test_accuracy = net.accuracy(d.x_test, d.y_test)
    epoch = h.best_epoch if name == "early stopping" else h.epochs_run
    i = epoch - 1
    gaps = [v - t for v, t in zip(h.val_loss, h.train_loss, strict=True)]
    return Run(
        name, h, epoch, h.train_loss[i], h.val_loss[i], h.train_accuracy[i], h.val_accuracy[i], test_accuracy, gaps
    )


@cache
def experiment(setup: Setup = SETUP) -> dict[str, Run]:
    """The three runs (computed once per process for a setup)."""
    d = data(setup)
    return {name: train(name, d, setup) for name in RUNS}


__all__ = ["RUNS", "SETUP", "TITLES", "Data", "Run", "Setup", "data", "experiment", "train"]
