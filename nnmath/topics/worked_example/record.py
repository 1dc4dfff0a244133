"""The record of the worked example."""

from __future__ import annotations

from nnmath.topics.base import Record
from nnmath.topics.catalogue import handout_section
from nnmath.topics.worked_example.site_strings import worked_example_strings


def present() -> Record:
    """Every value of the 2-2-2 pass: the page's strings and the practice handout's table."""
    return {"worked-example": worked_example_strings(), "practice": handout_section.worked_context()}
