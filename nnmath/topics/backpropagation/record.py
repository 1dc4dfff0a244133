"""The record of the dense layer, the chain rule and backpropagation: one page each.

``dense-layer``: z = W a + b, in general and for the first layer of a 2-2-2 network.
``chain-rule``: ∂L/∂w for one neuron, step by step (the practice handout shows the same steps).
``backpropagation``: the dense layer and BP1-BP4 (the theory summary shows them with their sentences),
the shapes of their matrices, and BP1-BP4 verified weight by weight on two networks.
"""

from __future__ import annotations

from nnmath.topics.backpropagation.formulas import chain_rule, dense_layer, equation_shapes, equations, output_errors
from nnmath.topics.backpropagation.verification import networks
from nnmath.topics.base import Record


def present() -> Record:
    """The three pages' formulas, and BP1-BP4 verified on two networks."""
    bp1 = output_errors()
    return {
        "dense-layer": dense_layer(),
        "chain-rule": chain_rule(),
        "backpropagation": {
            "equations": equations(),
            "shapes": equation_shapes(),
            "networks": networks(),
            "output_errors": bp1,
            "output_errors_hold": all(c["holds"] for c in bp1),
        },
    }
