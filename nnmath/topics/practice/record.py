"""The record of the guided practice: each notebook, executed."""

from __future__ import annotations

from nnmath.render.notebooks.page import part_1, part_2, part_3
from nnmath.topics.base import Record


def present() -> Record:
    return {"part-1": part_1(), "part-2": part_2(), "part-3": part_3()}
