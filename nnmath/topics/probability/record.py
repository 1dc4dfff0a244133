"""The record of probability and statistics."""

from __future__ import annotations

from nnmath.topics.base import Record
from nnmath.topics.probability import site_strings as s
from nnmath.topics.probability.handout_section import probability_section


def present() -> Record:
    return {
        "log-odds": s.log_odds(),
        "softmax-distribution": s.softmax_distribution(),
        "likelihood": s.likelihood(),
        "metrics": s.metrics(),
        "handout": probability_section(),
    }
