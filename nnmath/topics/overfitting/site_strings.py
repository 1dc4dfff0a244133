"""Strings of the page "Overfitting and regularisation" (``templates/site/overfitting.md.j2``).

The runs are :func:`nnmath.topics.overfitting.runs.experiment` (nnmath's trainer, computed at build time, about
3.5 s of CPU); the penalty and its gradient are the catalogue's ``l2`` entry, printed by SymPy.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.derivation import derive
from derive.catalogue import get
from derive.printing.formulas import unordered
from derive.printing.latex import latex
from nnmath.plots import figure_bytes
from nnmath.topics.overfitting import runs as of

GAP = sp.Symbol("G")
VAL_LOSS = sp.Symbol(r"C_{\text{val}}")
TRAIN_LOSS = sp.Symbol(r"C_{\text{train}}")


def _row(run: of.Run) -> dict:
    return {
        "name": of.TITLES[run.name],
        "epochs": run.history.epochs_run,
        "epoch": run.epoch,
        "train_loss": f"{run.train_loss:.4f}",
        "val_loss": f"{run.val_loss:.4f}",
        "gap": f"{run.gap:.4f}",
        "train_accuracy": f"{100 * run.train_accuracy:.1f} %",
        "val_accuracy": f"{100 * run.val_accuracy:.1f} %",
        "accuracy_gap": f"{100 * run.accuracy_gap:.1f}",
        "test_accuracy": f"{100 * run.test_accuracy:.1f} %",
        "min_val_loss": f"{min(run.history.val_loss):.4f}",
        "best_epoch": run.history.best_epoch,
    }


def _spread(accuracies: list[float], images: int) -> int:
    """How many images the best and the worst of the runs differ by."""
    return round((max(accuracies) - min(accuracies)) * images)


def overfitting() -> dict:
    """Setup, formulas, the runs as a table and the two figures."""
    setup = of.SETUP
    runs = of.experiment()
    l2 = get("l2")
    (lam,) = (a for a in l2.args if a != l2.wrt)
    plain, with_l2, stopped = (runs[name] for name in of.RUNS)
    return {
        "setup": {
            "sizes": "-".join(map(str, setup.sizes)),
            "activation": setup.activation,
            "train": 10 * setup.per_class,
            "per_class": setup.per_class,
            "validation": setup.validation,
            "epochs": setup.epochs,
            "batch_size": setup.batch_size,
            "optimiser": setup.optimiser,
            "lr": f"{setup.lr:g}",
            "l2": f"{setup.l2:g}",
            "patience": setup.patience,
            "seed": setup.seed,
            "parameters": sum(a * b + b for a, b in zip(setup.sizes, setup.sizes[1:])),
        },
        "penalty": latex(l2.expr),
        "penalty_gradient": latex(derive(l2).gradient),
        "weight": latex(l2.wrt),
        "lam": latex(lam),
        "gap": unordered(sp.Eq(GAP, sp.Add(VAL_LOSS, -TRAIN_LOSS, evaluate=False), evaluate=False)),
        "runs": [_row(r) for r in runs.values()],
        "plain": _row(plain),
        "l2_run": _row(with_l2),
        "stopped": _row(stopped),
        "reduction_l2": f"{100 * (1 - with_l2.gap / plain.gap):.0f}",
        "reduction_stopped": f"{100 * (1 - stopped.gap / plain.gap):.0f}",
        "gap_rise": f"{plain.gap - plain.gaps[stopped.epoch - 1]:.3f}",
        "lower_val": with_l2.val_loss < plain.val_loss and stopped.val_loss < plain.val_loss,
        "val_spread": _spread([r.val_accuracy for r in runs.values()], setup.validation),
        "test_spread": _spread([r.test_accuracy for r in runs.values()], len(of.data(setup).y_test)),
        "figures": {
            "curves": figure_bytes(of.curves_figure(runs, setup), "svg").decode(),
            "gap": figure_bytes(of.gap_figure(runs, setup), "svg").decode(),
        },
    }


__all__ = ["overfitting"]
