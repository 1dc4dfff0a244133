"""The record of the dense layer, the chain rule and backpropagation."""

from __future__ import annotations

from nnmath.topics.backpropagation import site_strings as s
from nnmath.topics.base import Record
from nnmath.topics.catalogue import handout_section


def present() -> Record:
    """The three pages' strings, BP1–BP4 verified on two networks, and the handouts' forms."""
    networks = {str(i): s.backprop_verification(*net) for i, net in enumerate(s.BACKPROP_NETWORKS)}
    wrong = [f"backpropagation {v['sizes']}" for v in networks.values() if not v["holds"]]
    if wrong:
        raise ArithmeticError(f"BP1-BP4 disagree with sympy.diff: {', '.join(wrong)}")
    return {
        "dense-layer": s.dense_layer(),
        "chain-rule": s.chain_rule(),
        "backpropagation": s.backprop_equations(),
        "networks": networks,
        "theory": handout_section.backprop_theory(),
        "practice": handout_section.chain_rule_practice(),
    }
