"""The record of the optimisers, the training results and the Python API."""

from __future__ import annotations

from nnmath.topics.base import Record
from nnmath.topics.optimisers import site_strings as s
from nnmath.topics.optimisers.handout_section import optimisers_section


def present() -> Record:
    return {
        "optimisers": s.optimisers(),
        "training-results": s.training(),
        "python-api": s.python_api(),
        "handout": optimisers_section(),
    }
