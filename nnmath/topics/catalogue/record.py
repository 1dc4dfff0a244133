"""The catalogue's record: every entry in every form, the groups, the figures, the notation and the practice."""

from __future__ import annotations

from derive.catalogue import GROUPS, entries
from nnmath.topics.base import Record
from nnmath.topics.catalogue.derivations import practice
from nnmath.topics.catalogue.entry import entry_record
from nnmath.topics.catalogue.figures import entry_figure
from nnmath.topics.catalogue.notation import notation

GROUP_TITLES = {"activation": "Activation functions", "loss": "Loss functions", "regulariser": "Regularisers"}


def present() -> Record:
    """``entries`` (name -> entry record), ``groups`` (their ``title`` and the names of their ``entries``),
    ``figures`` (name -> Figure), ``notation`` and ``practice`` (the guided practice's derivations).
    """
    return {
        "entries": {e.name: entry_record(e) for e in entries()},
        "groups": [
            {"group": group, "title": GROUP_TITLES[group], "entries": [e.name for e in entries(group)]}
            for group in GROUPS
            if entries(group)
        ],
        "figures": {e.name: entry_figure(e) for e in entries()},
        "notation": notation(),
        "practice": practice(),
    }
