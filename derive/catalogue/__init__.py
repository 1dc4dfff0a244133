"""The catalogue: every formula of the course, looked up by name.

Adding an activation, loss or regulariser is one :class:`~derive.catalogue.entry.Entry`
in :mod:`derive.catalogue.activations`, :mod:`derive.catalogue.losses` or
:mod:`derive.catalogue.regularisers`; everything else (derivation, NumPy code, tests,
pages) is generated from it.
"""

from __future__ import annotations

import difflib

from derive.catalogue.activations import ACTIVATIONS
from derive.catalogue.entry import Entry
from derive.catalogue.losses import LOSSES
from derive.catalogue.regularisers import REGULARISERS

GROUPS: tuple[str, ...] = ("activation", "loss", "regulariser")

CATALOGUE: dict[str, Entry] = {}
for _entry in (*ACTIVATIONS, *LOSSES, *REGULARISERS):
    if _entry.name in CATALOGUE:
        raise ValueError(f"catalogue name {_entry.name!r} is declared twice")
    CATALOGUE[_entry.name] = _entry


class UnknownName(KeyError):
    """A name that is not in the catalogue; the message lists the closest names."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


def get(name: str) -> Entry:
    """The catalogue entry called ``name``, or :class:`UnknownName` naming the closest ones."""
    try:
        return CATALOGUE[name]
    except KeyError:
        raise UnknownName(unknown_name_message(name, CATALOGUE)) from None


def unknown_name_message(name: str, known: dict | list) -> str:
    """One line: the unknown name and the closest known names."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(sorted(known))}"
    return f"unknown name {name!r}{hint}"


def entries(group: str | None = None) -> list[Entry]:
    """Catalogue entries in declaration order, optionally of one group."""
    return [e for e in CATALOGUE.values() if group is None or e.group == group]
