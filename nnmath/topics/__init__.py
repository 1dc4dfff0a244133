"""The topics of the course: one folder each, and this one list.

Adding a topic is one folder under ``nnmath/topics/`` (see :mod:`nnmath.topics.base`) and one
line here.  The order is the order of the topics' sections in the theory summary and of
their formulas in ``nnmath list``; the site's navigation follows the course outline
(:data:`nnmath.render.site.pages.OUTLINE`).
"""

from __future__ import annotations

import importlib

from nnmath.topics.base import Topic

# The registry: the topics' folders, in order.  Imported lazily (``TOPICS`` is built on first use), so that
# computing one topic's record imports that topic only (:mod:`nnmath.records` keys a record by the files its
# computation imported) and editing this list invalidates no record.
NAMES: tuple[str, ...] = (
    "catalogue",
    "backpropagation",
    "worked_example",
    "custom",
    "overfitting",
    "perceptron",
    "probability",
    "convolution",
    "recurrent",
    "neurons",
    "gradient_descent",
    "optimisers",
    "practice",
    "verification",
    "workshop",
)


def __getattr__(name: str) -> list[Topic]:
    """``TOPICS``: every topic's :class:`Topic`, in the order of :data:`NAMES` (imported on first use)."""
    if name != "TOPICS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    topics = [importlib.import_module(f"{__name__}.{n}").TOPIC for n in NAMES]
    globals()["TOPICS"] = topics
    return topics


def _registry() -> list[Topic]:
    return globals()["TOPICS"] if "TOPICS" in globals() else __getattr__("TOPICS")


def topic(name: str) -> Topic:
    """The topic called ``name``."""
    for t in _registry():
        if t.name == name:
            return t
    raise KeyError(f"no topic {name!r}; the topics are {', '.join(NAMES)}")


def generated_modules() -> list:
    """Every generated module of ``numeric/_generated/``, topic by topic, then the package's ``__init__.py``
    that imports their public names."""
    from derive.numerics.codegen import package_module

    modules = [m for t in _registry() for m in t.generated()]
    return [*modules, package_module(modules)]
