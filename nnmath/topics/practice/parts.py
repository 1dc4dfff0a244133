"""The parts of the guided practice: one notebook each, in order, and what each practises.

A part's maths and numbers are in the topic's record (:mod:`nnmath.topics.practice.record`),
from which each part becomes a student and a solutions notebook; the workshop's agenda puts
each part next to the theory it practises.
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
    """

    number: int
    slug: str
    title: str
    page_title: str
    practises: tuple[str, ...]

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
    ),
    Part(
        2,
        "calculus",
        "Part 2 — Calculus: derivatives, finite differences and the chain rule",
        "Part 2: calculus",
        (CALCULUS, PROBABILITY),
    ),
    Part(
        3,
        "training",
        "Part 3 — Training a small network and watching the loss",
        "Part 3: training a network",
        (CALCULUS, OPTIMISATION),
    ),
)


def part(number: int) -> Part:
    """The part with this number."""
    for p in PARTS:
        if p.number == number:
            return p
    raise KeyError(f"no notebook part {number}; the parts are {', '.join(str(p.number) for p in PARTS)}")
