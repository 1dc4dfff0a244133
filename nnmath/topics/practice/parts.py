"""The parts of the guided practice: one notebook each, in order — **the one place each notebook is declared**.

Each :class:`Part` declares what a participant meets first: the notebook's title, its framing
questions, its objectives and its minutes (the instructors' estimate of the time it takes in the
room, never computed).  The notebook opens with them, its metadata carries them
(``metadata.nnmath.objectives`` / ``minutes``), and the workshop's guided-practice episode reads them
from here.  A part's maths and numbers are in the topic's record
(:mod:`nnmath.topics.practice.record`), from which each part becomes a student and a solutions
notebook.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnmath.topics.base import CALCULUS, LINEAR_ALGEBRA, OPTIMISATION, PROBABILITY


@dataclass(frozen=True)
class Part:
    """One part of the guided practice.

    Attributes:
        number: 1, 2, 3 — the order of the guided practice.
        slug: The part's subject in file names, ``linear-algebra``.
        title: The notebook's title (its first heading).
        page_title: The title of its page on the site (and in the navigation).
        practises: The site sections whose theory the part practises.
        minutes: How long the notebook takes in the room (declared by the instructors).
        questions: The questions the notebook answers (1–3).
        objectives: What a participant can do after it (measurable).
    """

    number: int
    slug: str
    title: str
    page_title: str
    practises: tuple[str, ...]
    minutes: int
    questions: tuple[str, ...]
    objectives: tuple[str, ...]

    @property
    def stem(self) -> str:
        """The part's name in file names: ``part-1-linear-algebra``."""
        return f"part-{self.number}-{self.slug}"

    @property
    def key(self) -> str:
        """The part's key in the record: ``part-1``."""
        return f"part-{self.number}"


PARTS: tuple[Part, ...] = (
    Part(
        1,
        "linear-algebra",
        "Part 1 — Linear algebra: a layer as a matrix product",
        "Part 1: linear algebra",
        (LINEAR_ALGEBRA,),
        minutes=8,
        questions=(
            "What does one layer of a neural network compute?",
            "How does the same layer handle many samples at once?",
        ),
        objectives=(
            "Evaluate a dense layer as a matrix product with NumPy's `@`, and check it against SymPy's exact value.",
            "Process a whole batch with one matrix product, samples as columns and as rows.",
            "Run the forward pass of the worked example's network.",
        ),
    ),
    Part(
        2,
        "calculus",
        "Part 2 — Calculus: derivatives, finite differences and the chain rule",
        "Part 2: calculus",
        (CALCULUS, PROBABILITY),
        minutes=10,
        questions=(
            "What do the derivatives of the activation functions look like?",
            "How can we tell that a gradient formula, or the code made from it, is right?",
            "How does the chain rule give the gradient of a loss with respect to a weight?",
        ),
        objectives=(
            "Plot activations and their derivatives with the NumPy functions generated from the derivations.",
            "Write a central finite difference and use it to check a generated gradient.",
            "Compute the gradient of one neuron's loss with the chain rule, and check it against SymPy.",
        ),
    ),
    Part(
        3,
        "training",
        "Part 3 — Training a small network and watching the loss",
        "Part 3: training a network",
        (CALCULUS, OPTIMISATION),
        minutes=12,
        questions=(
            "How do the backpropagation equations become a training loop?",
            "What does the loss do while a network learns — and what does a low loss *not* tell us?",
        ),
        objectives=(
            "Write the gradient-descent step and train a two-layer network with the generated `numeric` functions.",
            "Check the backpropagated gradients with finite differences.",
            "Watch the training and test loss, see overfitting, and see what weight decay changes.",
        ),
    ),
)


def part(number: int) -> Part:
    """The part with this number."""
    for p in PARTS:
        if p.number == number:
            return p
    raise KeyError(f"no notebook part {number}; the parts are {', '.join(str(p.number) for p in PARTS)}")
