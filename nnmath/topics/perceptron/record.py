"""The record of the perceptron."""

from __future__ import annotations

from nnmath.topics.base import Record
from nnmath.topics.perceptron.handout_section import perceptron_section
from nnmath.topics.perceptron.site_strings import perceptron


def present() -> Record:
    return {"perceptron": perceptron(), "handout": perceptron_section()}
