"""The record of the guided practice: each part's description, formulas and the numbers of its exercises.

``record["part-1"]`` is ``{"number", "slug", "stem", "title", "practises", "minutes", "questions", "objectives",
"maths"}``; ``maths`` is
what the part's notebook template reads as ``t``.  The notebooks renderer builds the notebooks
from it, and the site shows each part as that renderer executed it.
"""

from __future__ import annotations

from nnmath.topics.backpropagation.formulas import chain_rule, dense_layer, equation_shapes, equations
from nnmath.topics.base import Record
from nnmath.topics.gradient_descent.formulas import update_step
from nnmath.topics.overfitting.formulas import weight_decay
from nnmath.topics.practice.formulas import batch_equations, entry, finite_differences
from nnmath.topics.practice.parts import PARTS, Part

# Part 1: the batch of the exercises — the worked example's input first, then three more (one per column).
BATCH = ((0.05, 0.1), (1.0, 0.0), (0.0, 1.0), (-0.5, 0.25))
# Part 2: the activations that are plotted with their derivatives, and the one whose gradient is checked.
PLOTTED = ("sigmoid", "tanh", "relu", "softplus")
CHECKED = "silu"
# Part 2: the neuron of the chain-rule exercise.
NEURON = {"w": 0.8, "x": 1.5, "b": -0.2, "y": 1.0}
# Part 3: few noisy training points and a wide layer, so that overfitting shows within a few seconds: by 2000
# epochs the test cost has risen to twice its minimum (epoch ~380) and weight decay has converged (its costs move
# by < 0.002 more up to 5000 epochs), so a longer run would only cost the participant time.
DATA = {"train": 40, "test": 400, "noise": 0.3, "seed": 0}
NETWORK = {"hidden": 32, "seed": 1, "epochs": 2000, "lr": 0.5, "lam": 0.01}
FAR_AWAY = (6.0, -4.0, -5.0, 5.0)  # two inputs far from the moons


def literal(rows: tuple[tuple[float, ...], ...]) -> str:
    """A NumPy array literal of ``rows``: ``np.array([[0.05, 0.1], ...])``."""
    return "np.array([" + ", ".join("[" + ", ".join(repr(v) for v in row) + "]" for row in rows) + "])"


def linear_algebra() -> dict:
    """Part 1: a layer as a matrix product, one sample and a batch."""
    return {
        "dense": dense_layer(),
        "batch": batch_equations(),
        "batch_literal": literal(tuple(zip(*BATCH))),  # one sample per column
        "batch_size": len(BATCH),
        "sigmoid": entry("sigmoid"),
    }


def calculus() -> dict:
    """Part 2: activations and their derivatives, finite differences, the chain rule of one neuron."""
    return {
        "plotted": [entry(name) for name in PLOTTED],
        "checked": entry(CHECKED),
        "differences": finite_differences(),
        "chain": chain_rule(),
        "neuron": NEURON,
    }


def training() -> dict:
    """Part 3: backpropagation and gradient descent on a small network."""
    return {
        "backprop": {"equations": equations(), "shapes": equation_shapes()},
        "step": update_step(),
        "decay": weight_decay(),
        "loss": entry("binary_cross_entropy_logits"),
        "hidden": entry("tanh"),
        "data": DATA,
        "network": NETWORK,
        "far": FAR_AWAY,
    }


MATHS = {1: linear_algebra, 2: calculus, 3: training}


def part_record(p: Part) -> dict:
    """One part: what it is, what it practises, and its maths."""
    return {
        "number": p.number,
        "slug": p.slug,
        "stem": p.stem,
        "title": p.title,
        "practises": list(p.practises),
        "minutes": p.minutes,
        "questions": list(p.questions),
        "objectives": list(p.objectives),
        "maths": MATHS[p.number](),
    }


def present() -> Record:
    """Every part of the guided practice, by its key (``part-1``, …)."""
    return {p.key: part_record(p) for p in PARTS}
