"""Exercise sheets and the answer key: template contexts from :mod:`derive.exercises`.

Each participant gets two pages (exercises 1–3, then 4–6, so a duplex print
of the whole file keeps every sheet on one leaf); the answer key gives every
participant one page with all values of the solution, exact and as decimals.
"""

from __future__ import annotations

from derive.exercises import MAKERS, Exercise, Quantity, Sheet
from nnmath.topics.base import Tex as TeX
from nnmath.topics.texformat import approx, exact, formula

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
PER_PAGE = 3
PAGES_PER_SHEET = -(-len(MAKERS) // PER_PAGE)


def _quantity(q: Quantity) -> dict:
    return {"label": TeX(q.label), "value": exact(q.value), "approx": approx(q.value), "asked": q.asked}


def _exercise(ex: Exercise, number: int) -> dict:
    title, task = TASKS[ex.key]
    return {
        "number": number,
        "title": title,
        "task": task,
        "formulas": [formula(f.eq, f.indexed, f.update_rule) for f in ex.formulas],
        "given": [_quantity(q) for q in ex.given],
        "asked": [TeX(q.label) for q in ex.answers],
        "solution": [_quantity(q) for q in ex.solution],
    }


def participant_label(sheet: Sheet, names: list[str] | None) -> str:
    """``Participant 7`` or the participant's name from ``--names``."""
    return names[sheet.participant - 1] if names else f"Participant {sheet.participant}"


def sheet_context(sheet: Sheet, names: list[str] | None = None) -> dict:
    """One participant's sheet: number, name, exercises (all six, and split into pages)."""
    exercises = [_exercise(ex, i) for i, ex in enumerate(sheet.exercises, 1)]
    return {
        "participant": sheet.participant,
        "label": participant_label(sheet, names),
        "exercises": exercises,
        "pages": [exercises[i : i + PER_PAGE] for i in range(0, len(exercises), PER_PAGE)],
    }


def sheets_context(sheets: list[Sheet], names: list[str] | None = None) -> dict:
    """The context of ``sheets.tex`` and ``answers.tex``."""
    return {"sheets": [sheet_context(s, names) for s in sheets]}


def sheets_record(seed: int, participants: int, names: list[str] | None = None) -> dict:
    """The sheets of ``participants`` participants drawn from ``seed``, every answer checked with ``numeric``."""
    from derive.exercises import sheets
    from nnmath.topics.texformat import PLACES
    from nnmath.verify.exercise_check import crosscheck

    drawn = sheets(seed, participants)
    for s in drawn:
        crosscheck(s)  # SymPy's exact answers = numeric's NumPy functions, or no answer key
    return {**sheets_context(drawn, names), "pages_per_sheet": PAGES_PER_SHEET, "places": PLACES}
