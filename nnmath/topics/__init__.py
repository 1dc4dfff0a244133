"""The topics of the course: one folder each, and this one list.

Adding a topic is one folder under ``nnmath/topics/`` (see :mod:`nnmath.topics.base`) and one
line here.  The order is the order of the topics' sections in the theory summary and of
their formulas in ``nnmath list``; the site's navigation follows the course outline
(:data:`nnmath.render.site.pages.OUTLINE`).
"""

from __future__ import annotations

from nnmath.topics import (
    backpropagation,
    catalogue,
    convolution,
    custom,
    gradient_descent,
    neurons,
    optimisers,
    overfitting,
    perceptron,
    practice,
    probability,
    recurrent,
    verification,
    worked_example,
    workshop,
)
from nnmath.topics.base import Topic

TOPICS: list[Topic] = [
    catalogue.TOPIC,
    backpropagation.TOPIC,
    worked_example.TOPIC,
    custom.TOPIC,
    overfitting.TOPIC,
    perceptron.TOPIC,
    probability.TOPIC,
    convolution.TOPIC,
    recurrent.TOPIC,
    neurons.TOPIC,
    gradient_descent.TOPIC,
    optimisers.TOPIC,
    practice.TOPIC,
    verification.TOPIC,
    workshop.TOPIC,
]


def topic(name: str) -> Topic:
    """The topic called ``name``."""
    for t in TOPICS:
        if t.name == name:
            return t
    raise KeyError(f"no topic {name!r}; the topics are {', '.join(t.name for t in TOPICS)}")


def generated_modules() -> list:
    """Every generated module of ``numeric/_generated/``, topic by topic, then the package's ``__init__.py``
    that imports their public names."""
    from derive.numerics.codegen import package_module

    modules = [m for t in TOPICS for m in t.generated()]
    return [*modules, package_module(modules)]
