"""The "What the trainer runs" page's part of the record: the fused training step the trainer calls.

The step is printed from the derivations by ``derive/topics/fused_step.py`` into
``numeric/_generated/steps.py``; the page shows one configuration's source as it is in that module, the
batch equations it was printed from, and the activation derivatives in the form the step uses.
"""

from __future__ import annotations

import inspect

from derive.topics import fused_step
from nnmath.topics.base import Tex
from nnmath.topics.optimisers.formulas import tex

SHOWN = ("relu", "categorical_cross_entropy_logits", "adam")  # the configuration of the digits recipe


def trainer_step() -> dict:
    """The shown step's source, the equations and derivative forms it prints, and every fused configuration."""
    import numeric

    name = fused_step.step_name(*SHOWN)
    hidden, loss, optimiser = SHOWN
    return {
        "shown": {"name": name, "hidden": hidden, "loss": loss, "optimiser": optimiser},
        "source": inspect.getsource(getattr(numeric, name)),
        "equations": _equations(),
        "derivatives": [_derivative(h) for h in fused_step.HIDDEN],
        "configurations": [
            {"hidden": h, "loss": lo, "optimiser": o, "name": fused_step.step_name(h, lo, o)}
            for h, lo, o in fused_step.configurations()
        ],
    }


def _derivative(hidden: str) -> dict:
    """The activation's f′ in the form the step uses, and whether the step computes it from the forward activation
    a (no z left in it), as the table says it."""
    prime = fused_step.activation_forms(hidden)[1]
    return {
        "activation": hidden,
        "tex": Tex(tex(prime)),
        "from_forward": "no (from z)" if fused_step.Z in prime.free_symbols else "yes",
    }


def _equations() -> list[dict]:
    """The dense layer and BP2–BP4 with samples as rows (A W^⊤ + 1 b^⊤, bias last), as the step's docstring
    prints them; proven equal to the backpropagation topic's column equations first."""
    if not fused_step.row_equations_hold():
        raise AssertionError("a row form of the batch equations differs from the column equations")
    shown = fused_step.row_equations().items()
    return [{"name": key, "tex": Tex(fused_step.shown_equation(key, value))} for key, value in shown]
