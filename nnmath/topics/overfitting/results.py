"""What the overfitting page reports about the runs: the set-up, a table row per run, and the comparisons."""

from __future__ import annotations

from dataclasses import asdict

from nnmath.topics.overfitting.runs import RUNS, SETUP, TITLES, Run, Setup, data


def setup_shown(setup: Setup = SETUP) -> dict:
    """The settings as the page writes them, and the number of weights and biases."""
    return {
        **asdict(setup),
        "sizes": "-".join(map(str, setup.sizes)),
        "train": 10 * setup.per_class,
        "lr": f"{setup.lr:g}",
        "l2": f"{setup.l2:g}",
        "parameters": sum(a * b + b for a, b in zip(setup.sizes, setup.sizes[1:])),
    }


def row(run: Run) -> dict:
    """One run: epochs, the epoch whose weights it returned, losses, gap, accuracies (as text)."""
    return {
        "name": TITLES[run.name],
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


def comparisons(runs: dict[str, Run], setup: Setup = SETUP) -> dict:
    """How much L2 and early stopping shrink the gap, how much it grows after the stop, the accuracy spreads."""
    plain, with_l2, stopped = (runs[name] for name in RUNS)
    return {
        "reduction_l2": f"{100 * (1 - with_l2.gap / plain.gap):.0f}",
        "reduction_stopped": f"{100 * (1 - stopped.gap / plain.gap):.0f}",
        "gap_rise": f"{plain.gap - plain.gaps[stopped.epoch - 1]:.3f}",
        "lower_val": bool(with_l2.val_loss < plain.val_loss and stopped.val_loss < plain.val_loss),
        "val_spread": _spread([r.val_accuracy for r in runs.values()], setup.validation),
        "test_spread": _spread([r.test_accuracy for r in runs.values()], len(data(setup).y_test)),
    }


__all__ = ["comparisons", "row", "setup_shown"]
