"""The workshop notebooks: one per part of the guided practice, in order.

Each part names its template (``templates/notebooks/``), the function that
gives the template its maths (:mod:`nnmath.render.notebooks.maths`) and the site
section it practises, which the agenda uses to put the part next to its theory.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from nnmath.topics.base import CALCULUS, LINEAR_ALGEBRA, OPTIMISATION, PROBABILITY


@dataclass(frozen=True)
class Part:
    """One notebook.

    Attributes:
        number: 1, 2, 3 — the order of the guided practice.
        slug: The file name's topic, ``linear-algebra``.
        title: The notebook's title (its first heading, the site page's title).
        template: Template under ``templates/notebooks/``.
        context: ``"module:function"`` returning the template's maths (``t`` in the template).
        practises: The site sections whose theory the part practises (``nnmath.render.site.pages`` names).
    """

    number: int
    slug: str
    title: str
    template: str
    context: str
    practises: tuple[str, ...]

    @property
    def stem(self) -> str:
        """File name without variant and suffix: ``part-1-linear-algebra``."""
        return f"part-{self.number}-{self.slug}"

    def file_name(self, variant: str) -> str:
        """``part-1-linear-algebra.ipynb`` (student) or ``part-1-linear-algebra-solutions.ipynb``."""
        return f"{self.stem}.ipynb" if variant == "student" else f"{self.stem}-{variant}.ipynb"

    def maths(self) -> dict:
        """The template's context (formulas printed by SymPy, numbers of the exercises)."""
        module, _, name = self.context.partition(":")
        return getattr(importlib.import_module(module), name)()


_MATHS = "nnmath.render.notebooks.maths:"

PARTS: tuple[Part, ...] = (
    Part(
        1,
        "linear-algebra",
        "Part 1 — Linear algebra: a layer as a matrix product",
        "part1_linear_algebra.nb.j2",
        _MATHS + "linear_algebra",
        (LINEAR_ALGEBRA,),
    ),
    Part(
        2,
        "calculus",
        "Part 2 — Calculus: derivatives, finite differences and the chain rule",
        "part2_calculus.nb.j2",
        _MATHS + "calculus",
        (CALCULUS, PROBABILITY),
    ),
    Part(
        3,
        "training",
        "Part 3 — Training a small network and watching the loss",
        "part3_training.nb.j2",
        _MATHS + "training",
        (CALCULUS, OPTIMISATION),
    ),
)


def part(number: int) -> Part:
    """The part with this number."""
    for p in PARTS:
        if p.number == number:
            return p
    raise KeyError(f"no notebook part {number}; the parts are {', '.join(str(p.number) for p in PARTS)}")
