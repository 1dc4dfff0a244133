"""The record of the perceptron: its rule, Novikoff's bound with the checked proof, the bound on data, XOR.

The site's perceptron page and the theory summary's section show the same part, ``"perceptron"``.
"""

from __future__ import annotations

import inspect

import numpy as np

from derive.printing.wording import counted, every
from nnmath.topics.base import Record
from nnmath.topics.perceptron import experiment, figures, formulas

IRIS_RUNS = 20  # presentation orders tried on the iris data


def bound_numbers(check: experiment.BoundCheck) -> dict:
    """One bound check as numbers for a table: R, γ, the bound, and the updates over the orders tried."""
    return {
        "name": check.name,
        "samples": check.samples,
        "radius": check.margin.radius,
        "gamma": check.margin.gamma,
        "bound": check.margin.bound,
        "support": len(check.margin.support),
        "kkt": check.margin.kkt_residual,
        "runs": len(check.updates),
        "min": min(check.updates),
        "median": float(np.median(check.updates)),
        "max": max(check.updates),
        "epochs": max(check.epochs),
        "holds": check.holds,
    }


def perceptron() -> dict:
    """The formulas, the generated code, the experiments of :mod:`~nnmath.topics.perceptron.experiment`, figures."""
    from numeric import perceptron_output, perceptron_update

    iris_x, iris_y = experiment.iris_setosa()
    iris = experiment.bound_check("iris", iris_x, iris_y, runs=IRIS_RUNS)
    iris_run = experiment.train(iris_x, iris_y, order=experiment.orders(len(iris_x), 1)[0])
    sweep = experiment.margin_sweep()
    xor_run = experiment.xor_run()
    network = experiment.xor_network()
    return {
        **formulas.perceptron(),
        "code": inspect.getsource(perceptron_output) + "\n\n" + inspect.getsource(perceptron_update),
        "iris": bound_numbers(iris),
        "direction": [float(v) for v in iris.margin.direction],
        "sweep": [bound_numbers(c) for c in sweep],
        "xor": {
            "separable": experiment.max_margin(*experiment.xor()) is not None,
            "mistakes": list(xor_run.mistakes),
            "cycle_start": xor_run.cycle[0] if xor_run.cycle else None,
            "period": xor_run.cycle[1] if xor_run.cycle else None,
            # the sentence's words for the period: "every epoch" / "every 2 epochs", "the last epoch repeats" / ...
            "every": every(xor_run.cycle[1], "epoch") if xor_run.cycle else None,
            "repeating": last_epochs_repeat(xor_run.cycle[1]) if xor_run.cycle else None,
            "weights": [float(v) for v in xor_run.weights],
        },
        "network": {
            "seeds": len(network.seeds),
            "solved": len(network.solved),
            "outputs": [float(v) for v in network.outputs],
            "final_loss": network.loss[-1],
            "epochs": experiment.XOR_EPOCHS,
            "learning_rate": experiment.XOR_LEARNING_RATE,
        },
        "figures": {
            "iris": figures.iris(iris, iris_run),
            "sweep": figures.sweep(sweep, iris),
            "xor": figures.xor(xor_run, network),
        },
    }


def last_epochs_repeat(period: int) -> str:
    """ "the last epoch repeats" or "the last 3 epochs repeat"."""
    return "the last epoch repeats" if period == 1 else f"the last {counted(period, 'epoch')} repeat"


def present() -> Record:
    """The topic's presentation record (see the module docstring)."""
    return {"perceptron": perceptron()}
