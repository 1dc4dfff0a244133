"""The record of the worked example: a 2-2-2 network's forward and backward pass, exactly.

One page, which the guided-practice handout shows too: the walk-through step by step
(:mod:`~nnmath.topics.worked_example.formulas`), every quantity exact and in decimals
(:mod:`~nnmath.topics.worked_example.quantities`), and the same pass in floating point.
"""

from __future__ import annotations

import sympy as sp

from derive.printing.latex import latex
from derive.topics.worked_example import ACTIVATION, LOSS, SOURCE, output_gradient, published, summed_loss
from nnmath.topics.base import Record, Tex
from nnmath.topics.worked_example.cross_check import numeric_check
from nnmath.topics.worked_example.formulas import printed
from nnmath.topics.worked_example.quantities import PLACES, quantities


def present() -> Record:
    """The walk-through, the table of quantities, and the largest difference from the floating-point pass."""
    return {
        "worked-example": {
            **printed(),
            "quantities": quantities(),
            "places": PLACES,
            "numeric_check": numeric_check(),
            "activation": ACTIVATION,
            "loss": LOSS,
            "source": SOURCE,
            "cost": Tex(latex(sp.Eq(sp.Symbol("C"), summed_loss(2), evaluate=False))),
            "output_gradient": Tex(latex(output_gradient())),
            "published": [{**row, "name": Tex(row["name"])} for row in published()],
        }
    }
