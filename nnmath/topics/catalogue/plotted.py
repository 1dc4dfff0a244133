"""The values a catalogue entry's plot holds its other arguments at (the target of a loss)."""

from __future__ import annotations

import sympy as sp

from derive.catalogue.entry import Entry


def fixed_value(entry: Entry, name: str) -> float:
    """The value held fixed for a second argument: target 0 for regression losses, 1 otherwise."""
    domain = next((d for a, d in entry.domain.items() if a.name == name), "normal")
    return 0.0 if domain == "normal" else 1.0


def fixed_arguments(entry: Entry) -> dict[sp.Symbol, float]:
    """Every argument of an elementwise entry but ``wrt`` and the parameters, with the value its plot holds."""
    return {a: fixed_value(entry, a.name) for a in entry.args if a != entry.wrt and a not in entry.params}
