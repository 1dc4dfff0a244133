"""Which pages the site has, where they live, and the navigation.

The course follows the workshop's path: linear algebra, calculus,
probability and statistics, optimisation.  A page exists only for what
``derive`` actually contains: one derivation page per catalogue entry, and a
topic page only when its module is there (no placeholders).  The plan is
cheap to compute (no derivation), so the MkDocs hook calls it for the nav.
"""

from __future__ import annotations

import importlib.util
import posixpath
from dataclasses import dataclass

from derive.catalogue import entries
from derive.catalogue.entry import Entry

LINEAR_ALGEBRA = "Linear algebra"
CALCULUS = "Calculus"
PROBABILITY = "Probability and statistics"
OPTIMISATION = "Optimisation"
ARCHITECTURES = "Architectures"
NOTEBOOKS = "Notebooks"
NEURONS = "Biological neurons"

# Catalogue group -> (section, sub-section, folder under docs/).
GROUP_PLACES: dict[str, tuple[str, str, str]] = {
    "activation": (PROBABILITY, "Activations", "probability/activations"),
    "loss": (PROBABILITY, "Losses", "probability/losses"),
    "regulariser": (OPTIMISATION, "Regularisation", "optimisation/regularisation"),
}

# Hand-written pages, first in the navigation.
HAND_WRITTEN: tuple[tuple[str, str], ...] = (("Home", "index.md"), ("Notation", "notation.md"))


@dataclass(frozen=True)
class Page:
    """A generated page.

    Attributes:
        id: Key of the page's strings in the derivation cache (``entry:sigmoid``).
        path: Markdown path under ``docs/``.
        title: Title in the navigation (the page's H1 is the same).
        template: Jinja2 template under ``templates/site/``.
        nav: Section and sub-sections the page sits in (empty: top level).
        entry: Catalogue name for a derivation page.
        strings: ``"module:function"`` returning the template's strings (a topic page), or ``None``.
    """

    id: str
    path: str
    title: str
    template: str
    nav: tuple[str, ...] = ()
    entry: str | None = None
    strings: str | None = None

    @property
    def is_derivation(self) -> bool:
        return self.entry is not None

    def link_to(self, other: Page) -> str:
        """Relative Markdown link from this page to ``other``."""
        return posixpath.relpath(other.path, posixpath.dirname(self.path) or ".")


def has_module(name: str) -> bool:
    """True when ``derive`` has the module ``name`` (a topic with a derivation)."""
    return importlib.util.find_spec(f"derive.topics.{name}") is not None


def entry_page(entry: Entry) -> Page:
    """The derivation page of a catalogue entry."""
    section, sub, folder = GROUP_PLACES[entry.group]
    slug = entry.name.replace("_", "-")
    return Page(f"entry:{entry.name}", f"{folder}/{slug}.md", entry.title, "entry.md.j2", (section, sub), entry.name)


def _topic(id: str, path: str, title: str, *nav: str, strings: str | None = None) -> Page:  # noqa: A002
    """A topic page: template ``templates/site/<id>.md.j2``, its strings from ``strings`` ("module:function")."""
    return Page(id, path, title, id.replace("-", "_") + ".md.j2", nav, strings=strings)


TOPICS = "nnmath.topics.backpropagation.site_strings:"  # where the core topic pages get their strings

# The site in navigation order: topic pages, and catalogue groups (one page per entry) by name.
LAYOUT: tuple[Page | str, ...] = (
    _topic(
        "dense-layer",
        "linear-algebra/dense-layer.md",
        "A layer as a matrix product",
        LINEAR_ALGEBRA,
        strings=TOPICS + "dense_layer",
    ),
    _topic("derivatives", "calculus/derivatives.md", "Derivatives", CALCULUS),
    _topic(
        "your-own-activation",
        "calculus/your-own-activation.md",
        "Your own activation",
        CALCULUS,
        strings="nnmath.topics.custom.site_strings:your_own_activation",
    ),
    _topic("chain-rule", "calculus/chain-rule.md", "The chain rule", CALCULUS, strings=TOPICS + "chain_rule"),
    _topic("backpropagation", "calculus/backpropagation.md", "Backpropagation", CALCULUS),
    _topic("worked-example", "calculus/worked-example.md", "Worked example: a 2-2-2 network", CALCULUS),
    _topic(
        "gradient-descent",
        "calculus/gradient-descent.md",
        "Gradient descent",
        CALCULUS,
        strings=TOPICS + "gradient_descent",
    ),
    _topic(
        "log-odds",
        "probability/log-odds.md",
        "Sigmoid and the log-odds",
        PROBABILITY,
        strings="nnmath.topics.probability.site_strings:log_odds",
    ),
    _topic(
        "softmax-distribution",
        "probability/softmax-distribution.md",
        "Softmax as a distribution",
        PROBABILITY,
        strings="nnmath.topics.probability.site_strings:softmax_distribution",
    ),
    _topic(
        "likelihood",
        "probability/likelihood.md",
        "Losses as likelihoods",
        PROBABILITY,
        strings="nnmath.topics.probability.site_strings:likelihood",
    ),
    "activation",
    "loss",
    _topic(
        "metrics",
        "probability/metrics.md",
        "Classification metrics",
        PROBABILITY,
        strings="nnmath.topics.probability.site_strings:metrics",
    ),
    _topic(
        "gd-convergence",
        "optimisation/gd-convergence.md",
        "When gradient descent converges",
        OPTIMISATION,
        strings="nnmath.topics.gradient_descent.site_strings:gd_convergence",
    ),
    _topic(
        "weight-decay",
        "optimisation/weight-decay.md",
        "Weight decay in the update",
        OPTIMISATION,
        strings=TOPICS + "weight_decay",
    ),
    "regulariser",
    _topic(
        "overfitting",
        "optimisation/overfitting.md",
        "Overfitting and regularisation",
        OPTIMISATION,
        strings="nnmath.topics.overfitting.site_strings:overfitting",
    ),
    # Optimisers and training with the generated functions (nnmath/topics/optimisers/)
    _topic(
        "optimisers",
        "optimisation/optimisers.md",
        "Optimisers: SGD, momentum, Adam",
        OPTIMISATION,
        strings="nnmath.topics.optimisers.site_strings:optimisers",
    ),
    _topic(
        "training-results",
        "optimisation/training-results.md",
        "Training results",
        OPTIMISATION,
        strings="nnmath.topics.optimisers.site_strings:training",
    ),
    _topic("python-api", "python-api.md", "Python API", strings="nnmath.topics.optimisers.site_strings:python_api"),
    _topic(
        "perceptron",
        "architectures/perceptron.md",
        "The perceptron",
        ARCHITECTURES,
        strings="nnmath.topics.perceptron.site_strings:perceptron",
    ),
    _topic(
        "convolution",
        "architectures/convolution.md",
        "Convolution and pooling",
        ARCHITECTURES,
        strings="nnmath.topics.convolution.site_strings:convolution",
    ),
    _topic(
        "recurrent",
        "architectures/recurrent.md",
        "Recurrent networks",
        ARCHITECTURES,
        strings="nnmath.topics.recurrent.site_strings:recurrent",
    ),
    # The workshop notebooks, executed (nnmath/render/notebooks/): one page each, with both .ipynb files to download.
    *(
        Page(
            f"notebook-{n}",
            f"notebooks/{stem}.md",
            title,
            "notebook.md.j2",
            (NOTEBOOKS,),
            strings=f"nnmath.render.notebooks.page:part_{n}",
        )
        for n, stem, title in (
            (1, "part-1-linear-algebra", "Part 1: linear algebra"),
            (2, "part-2-calculus", "Part 2: calculus"),
            (3, "part-3-training", "Part 3: training a network"),
        )
    ),
    # Biological neurons (derive/topics/neurons/, nnmath/topics/neurons/)
    *(
        _topic(
            f"neurons-{slug}",
            f"neurons/{slug}.md",
            title,
            NEURONS,
            strings=f"nnmath.topics.neurons.site_strings:{function}",
        )
        for slug, title, function in (
            ("lif", "Leaky integrate-and-fire", "lif_page"),
            ("hodgkin-huxley", "Hodgkin–Huxley", "hodgkin_huxley_page"),
            ("morris-lecar", "Morris–Lecar phase plane", "morris_lecar_page"),
            ("spiking-and-artificial", "From spikes to activations", "spiking_and_artificial_page"),
        )
    ),
    _topic("verification", "verification.md", "Verification"),
)
# Topic pages that exist only once their module in derive/ does.
REQUIRES: dict[str, str] = {
    "worked-example": "worked_example",
    "gradient-descent": "gradient_descent",
    "weight-decay": "gradient_descent",
    "gd-convergence": "convergence",
    "overfitting": "training",
    "log-odds": "probability",
    "softmax-distribution": "probability",
    "likelihood": "probability",
    "metrics": "probability",
    "perceptron": "perceptron",
    "convolution": "convolution",
    "recurrent": "recurrent",
    "optimisers": "optimisers",
}
REQUIRES.update(
    {f"neurons-{slug}": "neurons" for slug in ("lif", "hodgkin-huxley", "morris-lecar", "spiking-and-artificial")}
)


def plan() -> list[Page]:
    """Every generated page, in navigation order."""
    catalogue = entries()
    unplaced = sorted({e.group for e in catalogue} - {slot for slot in LAYOUT if isinstance(slot, str)})
    if unplaced:
        raise ValueError(f"catalogue group(s) {', '.join(unplaced)} have no place on the site (pages.LAYOUT)")
    pages: list[Page] = []
    for slot in LAYOUT:
        if isinstance(slot, str):
            pages += [entry_page(e) for e in catalogue if e.group == slot]
        elif slot.id not in REQUIRES or has_module(REQUIRES[slot.id]):
            pages.append(slot)
    return pages


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
