"""The record of the optimisers: the rules and their proofs, the training results, and the Python API.

The theory summary's section shows the optimisers page's part, ``"optimisers"``.
"""

from __future__ import annotations

import inspect

from derive.printing import formulas as printing
from derive.printing.textbook import latex
from derive.topics import optimisers as theory
from nnmath.topics.base import Record
from nnmath.topics.optimisers import api, figures, formulas, runs
from nnmath.topics.optimisers.trainer_step import trainer_step

CURVE_RUNS = ("digits", "moons", "xor")  # the data sets whose training curves the Training page shows


def optimisers() -> dict:
    """The three rules and what SymPy proves of them, the generated code the trainer calls, their paths."""
    import numeric as generated

    return {
        **formulas.optimisers(),
        "code": [  # in the page's order
            {"name": name, "source": inspect.getsource(getattr(generated, name))}
            for name in ("sgd_update", "momentum_update", "adam_update", "cosine_learning_rate")
        ],
        "figures": {"paths": figures.paths(runs.quadratic_paths())},
    }


def result(r: runs.Run) -> dict:
    """One trained preset: its data, network, hyper-parameters and accuracies (in %, as the table shows them)."""
    p = r.preset
    return {
        "name": r.name,
        "description": r.data.description,
        "sizes": "-".join(map(str, r.net.sizes)),
        "activations": " / ".join(r.net.activations),
        "loss": r.net.loss,
        "optimiser": f"{p.optimiser}, ${latex(theory.eta)} = {latex(printing.number(p.lr))}$",
        "batch": p.batch_size,
        "epochs": p.epochs,
        "train": f"{100 * r.train_accuracy:.1f}",
        "validation": f"{100 * r.history.val_accuracy[-1]:.1f}" if r.name != "xor" else "–",
        "test": f"{100 * r.test_accuracy:.1f}",
        "n_train": len(r.data.y_train),
        "n_test": len(r.data.y_test),
    }


def training_results() -> dict:
    """The cost the trainer minimises, and per data set the run's table row and training curves."""
    trained = {name: runs.run(name) for name in CURVE_RUNS}
    return {
        "cost": formulas.cost(),
        "rows": [result(r) for r in trained.values()],
        "validation_percent": round(100 * runs.VALIDATION_FRACTION),
        "figures": {name: figures.curves(r) for name, r in trained.items()},
    }


def present() -> Record:
    """The topic's presentation record (see the module docstring)."""
    return {
        "optimisers": optimisers(),
        "training-results": training_results(),
        "trainer-step": trainer_step(),
        "python-api": api.python_api(),
    }
