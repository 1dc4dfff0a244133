"""The theory summary's BP1–BP4 and update rules, the practice's chain rule and worked example.

(Leftovers of the old handout module: the backpropagation, gradient-descent and worked-example
topics take these over.  The catalogue's entries are in :mod:`nnmath.topics.catalogue.entry`.)
"""

from __future__ import annotations

from dataclasses import fields

import sympy as sp

from derive.calculus.steps import Derivation
from derive.topics.backpropagation import chain_rule_derivation, general_equations
from derive.topics.gradient_descent import rules
from derive.topics.worked_example import numeric_check, worked_example
from nnmath.topics.base import Tex as TeX
from nnmath.topics.texformat import approx, exact, formula

BACKPROP = {
    "dense": "The dense layer: weights times the previous activations, plus the bias.",
    "BP1": "BP1, the error at the output layer: the loss's slope in the output times the output activation's slope.",
    "BP2": "BP2, the error of a hidden layer: the next layer's error carried backward through the transposed weights.",
    "BP3": "BP3, the bias gradient is the error itself.",
    "BP4": "BP4, the weight gradient is the outer product of the error and the previous activations.",
}
RULES = {
    "gradient_step": "A gradient-descent step with learning rate η (g is the gradient of the loss).",
    "l2_step": "The same step on the loss plus the L2 penalty: weight decay by the factor 1 − ηλ.",
    "step": "The perceptron's step activation.",
    "perceptron": "The perceptron rule (for the bias use x = 1).",
}
EXACT_MAX_CHARS = 140  # longer exact forms of the worked example are shown as decimals only
WORKED_PLACES = 6


def backprop_theory() -> list[dict]:
    """The dense layer and BP1–BP4, each with a sentence."""
    return [{"text": BACKPROP[k], "formula": formula(eq)} for k, eq in general_equations().items()]


def update_rules() -> list[dict]:
    """The update rules (gradient descent, weight decay, the perceptron), each with a sentence."""
    return [{"text": RULES[k], "formula": formula(eq, update_rule=True)} for k, eq in rules().items()]


# --- Guided practice -------------------------------------------------------------------------


def _abbreviate(expr: sp.Basic, abbreviations: dict[sp.Basic, sp.Symbol]) -> sp.Basic:
    return expr.xreplace(abbreviations) if abbreviations else expr


def derivation_context(derivation: Derivation, abbreviations: dict | None = None) -> dict:
    """One derivation: d/dx of the start, then every rule and the expression after it."""
    ab = abbreviations or {}
    start = sp.Derivative(_abbreviate(derivation.expr, ab), derivation.wrt)
    return {
        "start": formula(start),
        "steps": [{"rule": s.rule, "expr": formula(_abbreviate(s.expr, ab))} for s in derivation.steps],
        "result": formula(derivation.result),
    }


def chain_rule_practice() -> dict:
    """The chain rule for one neuron, step by step."""
    return derivation_context(chain_rule_derivation())


WORKED_LABELS = {
    "x": r"\mathbf{x}",
    "y": r"\mathbf{y}",
    "W1": "W^{1}",
    "b1": r"\mathbf{b}^{1}",
    "W2": "W^{2}",
    "b2": r"\mathbf{b}^{2}",
    "z1": r"\mathbf{z}^{1}",
    "a1": r"\mathbf{a}^{1}",
    "z2": r"\mathbf{z}^{2}",
    "a2": r"\mathbf{a}^{2}",
    "loss": "C",
    "delta2": r"\boldsymbol{\delta}^{2}",
    "delta1": r"\boldsymbol{\delta}^{1}",
    "dW2": r"\partial C / \partial W^{2}",
    "db2": r"\partial C / \partial \mathbf{b}^{2}",
    "dW1": r"\partial C / \partial W^{1}",
    "db1": r"\partial C / \partial \mathbf{b}^{1}",
    "learning_rate": r"\eta",
    "W1_new": r"W^{1}_{\text{new}}",
    "W2_new": r"W^{2}_{\text{new}}",
}


WORKED_HOW = {
    "x": "input",
    "y": "target",
    "W1": "given",
    "b1": "given",
    "W2": "given",
    "b2": "given",
    "z1": "dense layer",
    "a1": "sigmoid",
    "z2": "dense layer",
    "a2": "sigmoid",
    "loss": "squared error",
    "delta2": "BP1",
    "delta1": "BP2",
    "dW2": "BP4",
    "db2": "BP3",
    "dW1": "BP4",
    "db1": "BP3",
    "learning_rate": "given",
    "W1_new": "gradient step",
    "W2_new": "gradient step",
}


def worked_context() -> dict:
    """Every quantity of the worked example: exact where it is short, and its decimals."""
    ex = worked_example()
    rows = []
    for f in fields(ex):
        value = getattr(ex, f.name)
        shown = exact(value)
        rows.append(
            {
                "label": TeX(WORKED_LABELS.get(f.name, f.name)),
                "how": WORKED_HOW.get(f.name, ""),
                "exact": shown if len(shown) <= EXACT_MAX_CHARS else None,
                "approx": approx(value, places=WORKED_PLACES),
            }
        )
    return {"rows": rows, "numeric_error": f"{numeric_check():.1e}", "places": WORKED_PLACES}
