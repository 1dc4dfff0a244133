"""The record of gradient descent and its convergence."""

from __future__ import annotations

from nnmath.topics.backpropagation.site_strings import gradient_descent
from nnmath.topics.base import Record
from nnmath.topics.catalogue import handout_section
from nnmath.topics.gradient_descent.handout_section import convergence_section
from nnmath.topics.gradient_descent.site_strings import gd_convergence


def present() -> Record:
    return {
        "gradient-descent": gradient_descent(),
        "gd-convergence": gd_convergence(),
        "handout": convergence_section(),
        "rules": handout_section.update_rules(),
    }
