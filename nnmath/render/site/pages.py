"""Which pages the site has, in which order, and the navigation.

Every page belongs to a topic (:attr:`nnmath.topics.base.Topic.pages`).  The
site lists them in the order of the course outline below, which follows the
workshop's path: linear algebra, calculus, probability and statistics,
optimisation, then the architectures and the neuron models.  A page the outline
does not name (a new topic's) comes after the named pages of its section, so a
new topic appears on the site without an edit here.
"""

from __future__ import annotations

from nnmath.topics.base import Page

# Hand-written pages, first in the navigation.
HAND_WRITTEN: tuple[tuple[str, str], ...] = (("Home", "index.md"), ("Notation", "notation.md"))

# The course outline: page ids in navigation order; "entries:<group>" stands for a catalogue group's pages,
# "episodes" for the workshop's episodes (first: the section an instructor teaches from, in session order).
OUTLINE: tuple[str, ...] = (
    "episodes",
    "dense-layer",
    "derivatives",
    "your-own-activation",
    "chain-rule",
    "backpropagation",
    "worked-example",
    "gradient-descent",
    "log-odds",
    "softmax-distribution",
    "likelihood",
    "entries:activation",
    "entries:loss",
    "metrics",
    "gd-convergence",
    "weight-decay",
    "entries:regulariser",
    "overfitting",
    "optimisers",
    "training-results",
    "trainer-step",
    "python-api",
    "perceptron",
    "convolution",
    "recurrent",
    "notebook-1",
    "notebook-2",
    "notebook-3",
    "neurons-lif",
    "neurons-hodgkin-huxley",
    "neurons-morris-lecar",
    "neurons-spiking-and-artificial",
    "verification",
)


def _slot(page: Page) -> str:
    if page.nav[:1] == ("Workshop",):
        return "episodes"
    if page.entry is not None:
        from derive.catalogue import get

        return f"entries:{get(page.entry).group}"
    return page.id


def plan() -> list[Page]:
    """Every page of every topic, in navigation order."""
    from nnmath.topics import TOPICS

    pages = [p for t in TOPICS for p in t.pages]
    rank = {slot: i for i, slot in enumerate(OUTLINE)}
    # A page outside the outline goes after the last outlined page of its section (or at the end).
    last_in_section: dict[tuple[str, ...], int] = {}
    for p in pages:
        if _slot(p) in rank:
            last_in_section[p.nav[:1]] = max(last_in_section.get(p.nav[:1], -1), rank[_slot(p)])

    def position(p: Page) -> float:
        return rank.get(_slot(p), last_in_section.get(p.nav[:1], len(OUTLINE)) + 0.5)

    return [p for _, p in sorted(enumerate(pages), key=lambda ip: (position(ip[1]), ip[0]))]


def by_entry(pages: list[Page]) -> dict[str, Page]:
    """Derivation pages by catalogue name."""
    return {p.entry: p for p in pages if p.entry is not None}


def _section(level: list, name: str) -> list:
    """The items of section ``name`` in ``level``, created at the end if new."""
    for item in level:
        if isinstance(item, dict) and isinstance(item.get(name), list):
            return item[name]
    level.append({name: []})
    return level[-1][name]


def nav(pages: list[Page]) -> list:
    """The MkDocs ``nav``: hand-written pages, then sections and sub-sections in plan order."""
    tree: list = [{title: path} for title, path in HAND_WRITTEN]
    for page in pages:
        level = tree
        for name in page.nav:
            level = _section(level, name)
        level.append({page.title: page.path})
    return tree
