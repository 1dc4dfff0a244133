"""The catalogue's record: every entry derived, its figure, the notation, and its handout forms."""

from __future__ import annotations

from derive.catalogue import entries
from nnmath.topics.base import Record
from nnmath.topics.catalogue import handout_section
from nnmath.topics.catalogue.site_strings import entry_figure, entry_strings


def present() -> Record:
    """Strings of every entry, its figure (SVG and PDF), the notation tables and the handouts' forms."""
    from nnmath.topics.backpropagation.notation import notation

    return {
        "entries": {e.name: entry_strings(e) for e in entries()},
        "figures": {e.name: entry_figure(e) for e in entries()},
        "notation": notation(),
        "theory": handout_section.catalogue_theory(),
        "practice": handout_section.catalogue_practice(),
    }
