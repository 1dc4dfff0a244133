"""The record of recurrent networks."""

from __future__ import annotations

from nnmath.topics.base import Record
from nnmath.topics.convolution.handout_section import recurrent_section
from nnmath.topics.recurrent.site_strings import recurrent


def present() -> Record:
    return {"recurrent": recurrent(), "handout": recurrent_section()}
