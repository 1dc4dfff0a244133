"""The record of weight decay and overfitting.

``weight-decay``: the L2 step and the same step collected in w.
``overfitting``: three seeded runs of nnmath's trainer (no regularisation, L2, early stopping) on a small
subset of the digits (about 3.5 s of CPU): the set-up, the penalty, a row per run, the comparisons, two figures.
"""

from __future__ import annotations

from nnmath.topics.base import Record
from nnmath.topics.overfitting import figures, results, runs
from nnmath.topics.overfitting.formulas import penalty, weight_decay


def overfitting() -> dict:
    """The overfitting page: set-up, formulas, the runs (by name) with their comparisons, and the two figures."""
    done = runs.experiment()
    return {
        "setup": results.setup_shown(),
        **penalty(),
        "runs": {name: results.row(run) for name, run in done.items()},
        **results.comparisons(done),
        "figures": {"curves": figures.curves(done), "gap": figures.gap(done)},
    }


def present() -> Record:
    return {"weight-decay": weight_decay(), "overfitting": overfitting()}
