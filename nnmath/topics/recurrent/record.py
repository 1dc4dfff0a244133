"""The record of recurrent networks: what the page and the theory summary's section show."""

from __future__ import annotations

import inspect

import numeric
from derive.topics import recurrent as rn
from nnmath.plots import drawn
from nnmath.topics.base import Record
from nnmath.topics.recurrent import against_torch, experiment, figures, formulas
from nnmath.verify.errors import torch_available

LISTED = "rnn_backward"  # the generated function shown in full


def present() -> Record:
    checks = [
        {"activation": activation, "claim": claim, "holds": holds}
        for activation in rn.ACTIVATIONS
        for claim, holds in rn.bptt_checks(activation).items()
    ]
    table = experiment.slope_table()
    return {
        "recurrent": formulas.bptt()
        | {
            "equations": formulas.equations("tanh"),
            "linear_equations": formulas.equations("linear"),
            "checks": checks,
            "bptt_proven": all(r["holds"] for r in checks),
            "norm": formulas.linear_norm(),
            "slopes": experiment.slope_rows(table),
            "crossing": table.crossing(),
            "hidden": experiment.HIDDEN,
            "steps": experiment.STEPS,
            "code": inspect.getsource(getattr(numeric, LISTED)),
            "listed": LISTED,
            "torch": against_torch.errors() if torch_available() else [],
            "figures": {"gradient-norms": drawn(figures.vanishing_figure(table))},
        }
    }
