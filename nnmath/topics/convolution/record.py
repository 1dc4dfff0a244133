"""The record of convolution and pooling."""

from __future__ import annotations

from nnmath.topics.base import Record
from nnmath.topics.convolution.handout_section import convolution_section
from nnmath.topics.convolution.site_strings import convolution


def present() -> Record:
    return {"convolution": convolution(), "handout": convolution_section()}
