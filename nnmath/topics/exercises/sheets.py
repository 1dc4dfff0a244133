"""The record of the exercise sheets: one sheet per participant, numbers drawn from a seed.

:mod:`derive.exercises` draws each participant's numbers and solves every exercise exactly
(SymPy); :func:`nnmath.verify.exercise_check.crosscheck` recomputes each answer with the
NumPy functions of ``numeric``; this module prints the exercises for the sheets and the answer
key: formulas with the course printer, values exactly (``3/16`` as 0.1875, ``6/49`` as a
fraction) with a decimal beside those that do not terminate (:mod:`nnmath.topics.texformat`).
"""

from __future__ import annotations

from derive.exercises import MAKERS, Exercise, Quantity, Sheet
from nnmath.topics.base import Record, Tex
from nnmath.topics.texformat import PLACES, approx, exact, formula

# What the participant is told, per exercise: a title and the task in words (formulas come from the catalogue).
TASKS: dict[str, tuple[str, str]] = {
    "activation": (
        "Derivative of an activation",
        "Differentiate f by hand, then evaluate f(x) and f'(x) exactly at the given point.",
    ),
    "network": (
        "Forward and backward pass",
        "A 2-2-1 network with ReLU units in both layers and the squared error of its output "
        "ŷ = a² against the target y. Do the forward pass, then BP1–BP4 for every gradient.",
    ),
    "gradient_step": (
        "One gradient-descent step",
        "A single linear unit (one dense layer, no activation) predicts ŷ = z. "
        "Compute the loss, its gradient, one step of gradient descent, and the loss after the step.",
    ),
    "softmax_cross_entropy": (
        "Softmax and cross-entropy",
        "Three classes; the logits are logarithms, so their exponentials are whole numbers. "
        "Compute the probabilities, the loss and its gradient with respect to the logits.",
    ),
    "l2_update": (
        "An L2-regularised update",
        "The data gradient of the loss is given. Add the L2 penalty, summed over both weights, "
        "and take one step of gradient descent.",
    ),
    "perceptron": (
        "A perceptron update",
        "A perceptron with a step activation sees one example. Classify it, then apply the "
        "perceptron rule to the weights and (with x = 1) to the bias.",
    ),
}
# Each sheet prints PER_PAGE exercises a page (1–3, then 4–6), so a duplex print keeps a sheet on one leaf.
PER_PAGE = 3
PAGES_PER_SHEET = -(-len(MAKERS) // PER_PAGE)


def present(seed: int, participants: int, names: list[str] | None = None) -> Record:
    """The sheets of participants 1…``participants`` drawn from ``seed``, every answer checked with ``numeric``.

    ``sheets``: each participant's number, ``label`` (``Participant 7``, or the name from ``names``)
    and ``exercises``; ``per_page`` and ``pages_per_sheet``: the layout; ``places``: the decimals
    of an approximation.
    """
    from derive.exercises import sheets
    from nnmath.verify.exercise_check import crosscheck

    drawn = sheets(seed, participants)
    for s in drawn:
        crosscheck(s)  # SymPy's exact answers = numeric's NumPy functions, or no answer key
    return {
        "sheets": [sheet(s, names) for s in drawn],
        "per_page": PER_PAGE,
        "pages_per_sheet": PAGES_PER_SHEET,
        "places": PLACES,
    }


def sheet(s: Sheet, names: list[str] | None = None) -> dict:
    """One participant's sheet: ``participant`` (the number), ``label`` and the numbered ``exercises``."""
    label = names[s.participant - 1] if names else f"Participant {s.participant}"
    return {
        "participant": s.participant,
        "label": label,
        "exercises": [exercise(ex, number) for number, ex in enumerate(s.exercises, 1)],
    }


def exercise(ex: Exercise, number: int) -> dict:
    """An exercise: its ``number``, ``title``, ``task`` and ``formulas``, the ``given`` values, the labels
    ``asked`` for, and every value of the ``solution`` (the answer key).
    """
    title, task = TASKS[ex.key]
    return {
        "number": number,
        "title": title,
        "task": task,
        "formulas": [formula(f.eq, f.indexed, f.update_rule) for f in ex.formulas],
        "given": [quantity(q) for q in ex.given],
        "asked": [Tex(q.label) for q in ex.answers],
        "solution": [quantity(q) for q in ex.solution],
    }


def quantity(q: Quantity) -> dict:
    """A value: its ``label``, the exact ``value``, a decimal ``approx`` (``None`` if exact is short) and
    whether the sheet ``asked`` for it (an intermediate value is shown in the answer key only).
    """
    return {"label": Tex(q.label), "value": exact(q.value), "approx": approx(q.value), "asked": q.asked}
