"""The catalogue: every activation, loss and regulariser, derived, with its figure and its printed code."""

from __future__ import annotations

from derive.catalogue import GROUPS, entries
from derive.catalogue.entry import Entry
from nnmath.topics.base import CALCULUS, OPTIMISATION, PROBABILITY, Page, Record, Topic, page

# Catalogue group -> (section, sub-section, folder of the course).
GROUP_PLACES: dict[str, tuple[str, str, str]] = {
    "activation": (PROBABILITY, "Activations", "probability/activations"),
    "loss": (PROBABILITY, "Losses", "probability/losses"),
    "regulariser": (OPTIMISATION, "Regularisation", "optimisation/regularisation"),
}

# Catalogue group -> its plural, as ``nnmath list`` names its sections.
GROUP_PLURALS: dict[str, str] = {"activation": "activations", "loss": "losses", "regulariser": "regularisers"}


def entry_page(entry: Entry) -> Page:
    """The derivation page of a catalogue entry."""
    section, sub, folder = GROUP_PLACES[entry.group]
    slug = entry.name.replace("_", "-")
    return Page(
        f"entry:{entry.name}",
        f"{folder}/{slug}.md",
        entry.title,
        "entry.md.j2",
        (section, sub),
        ("entries", entry.name),
        entry.name,
    )


def present() -> Record:
    from nnmath.topics.catalogue.record import present as record

    return record()


def listing() -> list[tuple[str, list[tuple[str, str]]]]:
    """The catalogue in ``nnmath list``: a section per group (``activations``), an entry per line with its summary."""
    return [(GROUP_PLURALS[g], [(e.name, f"{e.title} — {e.summary}") for e in entries(g)]) for g in GROUPS]


def generated() -> tuple:
    from derive.numerics.codegen import CATALOGUE_MODULE

    return (CATALOGUE_MODULE,)


TOPIC = Topic(
    name="catalogue",
    title="Catalogue",
    present=present,
    pages=(
        page("derivatives", "calculus/derivatives.md", "Derivatives", CALCULUS, record=()),
        *(entry_page(e) for e in entries()),
    ),
    listing=listing,
    generated=generated,
    cost=18,  # seconds, roughly: computed among the first (nnmath.records.longest_first)
)
