"""Look a generated function up by name, and read its source."""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from dataclasses import dataclass

from numeric._generated import catalogue as _generated


@dataclass(frozen=True)
class NumericEntry:
    """A catalogue entry's NumPy functions.

    Attributes:
        name: Catalogue name (``sigmoid``).
        function: The function (``numeric.sigmoid``).
        gradient: Its gradient (``numeric.sigmoid_grad``); for softmax-like
            maps the Jacobian over the last axis.
        group: ``activation``, ``loss`` or ``regulariser``.
        kind: ``elementwise``, ``vector_map`` or ``vector_loss``.
        params: Names of the keyword parameters (``alpha``, ``delta``, ``lam``).
        init: The weight initialisation of a layer with this activation: ``he`` (ReLU-like),
            ``glorot`` or ``lecun`` (the catalogue entry's ``init``).
    """

    name: str
    function: Callable
    gradient: Callable
    group: str
    kind: str
    params: tuple[str, ...]
    init: str = "glorot"

    @property
    def source(self) -> str:
        """The generated source of the function, as ``numeric`` runs it."""
        return inspect.getsource(self.function)

    @property
    def gradient_source(self) -> str:
        """The generated source of the gradient."""
        return inspect.getsource(self.gradient)


REGISTRY: dict[str, NumericEntry] = {name: NumericEntry(name, *row) for name, row in _generated.CATALOGUE.items()}


class UnknownFunction(KeyError):
    """No generated function of that name; the message names the closest ones."""

    def __str__(self) -> str:
        return str(self.args[0])


def lookup(name: str) -> NumericEntry:
    """The generated functions of catalogue entry ``name``."""
    try:
        return REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(REGISTRY), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownFunction(f"unknown function {name!r}{hint}") from None
