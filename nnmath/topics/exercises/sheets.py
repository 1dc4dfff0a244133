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
    "convolution": (
        "A convolution layer",
        "One input channel x, one 2-D kernel w, no bias; the formula reads x padded with p zeros on every side; "
        "rows and columns are numbered from 0. Find the output size L (the output is L × L), the output y at the given "
        "position, and the gradient of C, the sum of all outputs, with respect to the given kernel entry.",
    ),
    "lif": (
        "Time to spike of a leaky integrate-and-fire neuron",
        "A constant current I drives the neuron from its reset at rest. Find the rheobase, the steady state the "
        "potential would reach without a threshold, the time to the first spike and the firing rate (in Hz).",
    ),
}
# The space each exercise gets on the sheet, in half pages: a whole page for a derivation by hand, for an
# exercise that asks for many values and for the convolution (its input matrix alone takes 4 cm); half a
# page for the others (two a page, by construction).
HALVES: dict[str, int] = {
    "activation": 2,
    "network": 2,
    "gradient_step": 2,
    "softmax_cross_entropy": 1,
    "l2_update": 1,
    "perceptron": 1,
    "lif": 1,
    "convolution": 2,
}
MANY_VALUES = 6  # an exercise asking for this many values or more gets a whole page (tests check it)


def layout(keys: list[str]) -> list[list[int]]:
    """The exercises of a sheet page by page (indices into ``keys``, in order): a page holds two halves.

    A whole-page exercise starts a new page; two half-page exercises share one.
    """
    pages: list[list[int]] = []
    room = 0
    for index, key in enumerate(keys):
        if HALVES[key] > room:
            pages.append([])
            room = 2
        pages[-1].append(index)
        room -= HALVES[key]
    return pages


KEYS = [make.__name__.removesuffix("_exercise") for make in MAKERS]
PAGES_PER_SHEET = len(layout(KEYS))


def present(seed: int, participants: int, names: list[str] | None = None) -> Record:
    """The sheets of participants 1…``participants`` drawn from ``seed``, every answer checked with ``numeric``.

    ``sheets``: each participant's number, ``label`` (``Participant 7``, or the name from ``names``),
    ``exercises`` and ``pages`` (the exercises page by page, :func:`layout`); ``pages_per_sheet``;
    ``places``: the decimals of an approximation.
    """
    from derive.exercises import sheets
    from nnmath.verify.exercise_check import crosscheck

    drawn = sheets(seed, participants)
    for s in drawn:
        crosscheck(s)  # SymPy's exact answers = numeric's NumPy functions, or no answer key
    return {
        "sheets": [sheet(s, names) for s in drawn],
        "pages_per_sheet": PAGES_PER_SHEET,
        "places": PLACES,
    }


def sheet(s: Sheet, names: list[str] | None = None) -> dict:
    """One participant's sheet: ``participant`` (the number), ``label`` and the numbered ``exercises``."""
    label = names[s.participant - 1] if names else f"Participant {s.participant}"
    exercises = [exercise(ex, number) for number, ex in enumerate(s.exercises, 1)]
    return {
        "participant": s.participant,
        "label": label,
        "exercises": exercises,
        "pages": [[exercises[i] for i in page] for page in layout([ex.key for ex in s.exercises])],
    }


def exercise(ex: Exercise, number: int) -> dict:
    """An exercise: its ``number``, ``height`` (its share of the text height), ``title``, ``task`` and ``formulas``,
    the ``given`` values, the labels ``asked`` for, and every value of the ``solution`` (the answer key).
    """
    title, task = TASKS[ex.key]
    return {
        "number": number,
        "height": f"{HALVES[ex.key] / 2 - 0.01:.2f}",  # of \\textheight: two halves and the gap between them
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
