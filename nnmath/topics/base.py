"""What a topic is, and the presentation record it hands to every output.

A **topic** (the catalogue, backpropagation, convolution, a neuron model, …) is
one folder of :mod:`nnmath.topics`.  It derives (through ``derive/``), measures
(with ``numeric/``) and draws, and returns **one presentation record**: plain
data — strings, numbers, booleans, lists and dicts of them, LaTeX marked as
:class:`Tex`, figures as :class:`Figure` — with no SymPy object in it.  The
site, the handouts, the notebooks and the command line only render records
through templates; they never derive or measure.  A topic never knows which
output will show it.

A topic declares itself with one :class:`Topic` in its ``__init__.py`` and one
line in :data:`nnmath.topics.TOPICS`.  Its ``present`` function is imported
only when the record is computed, so listing the topics is cheap and a build
can compute each record in its own process (see :mod:`nnmath.render.records`).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from nnmath.paths import CACHE

# The areas of the course, in the order the workshop teaches them (the site's top-level sections).
LINEAR_ALGEBRA = "Linear algebra"
CALCULUS = "Calculus"
PROBABILITY = "Probability and statistics"
OPTIMISATION = "Optimisation"
ARCHITECTURES = "Architectures"
NOTEBOOKS = "Notebooks"
NEURONS = "Biological neurons"

Record = dict  # a presentation record: plain data only (see the module docstring)


class Tex(str):
    """A string that is LaTeX already: outputs print it as it is and never escape it as text."""

    __slots__ = ()

    def __reduce__(self):  # pickled as Tex, so a record read back from the cache keeps its marks
        return (Tex, (str(self),))


@dataclass(frozen=True)
class Figure:
    """A figure, in the two formats the outputs embed: SVG (the site) and PDF (handouts, slides).

    The SVG is drawn with the record; the PDF only when an output asks for it (:attr:`pdf`), from ``drawing``,
    the matplotlib figure pickled (a build of the site never spends time on PDFs).  ``key`` names the PDF in
    ``.cache/figures/``: the SHA-256 of the pickle and of how :mod:`nnmath.plots` draws.  Draw one with
    :func:`nnmath.plots.drawn`.  In a record, figures sit under ``"figures"``, by name; the site writes
    ``<page>-<name>.svg`` beside the page, the handouts ``figures/<topic>-<name>.pdf``.
    """

    svg: str
    drawing: bytes
    key: str

    @property
    def pdf(self) -> bytes:
        """The figure as PDF bytes: read from ``.cache/figures/<key>.pdf``, else drawn from ``drawing`` (and kept
        there, atomically; a cache that cannot be written only means drawing again next time); then kept in this
        process.  Matplotlib is imported only to draw."""
        if self.key not in _PDFS:
            path = FIGURE_PDFS / f"{self.key}.pdf"
            try:
                pdf = path.read_bytes()
            except OSError:
                pdf = b""
            if not pdf.startswith(b"%PDF"):
                from nnmath.plots import pdf_drawn

                pdf = pdf_drawn(self.drawing)
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
                    tmp.write_bytes(pdf)
                    tmp.replace(path)
                except OSError:  # a read-only cache: the PDF is right, only not kept for the next build
                    pass
            _PDFS[self.key] = pdf
        return _PDFS[self.key]


FIGURE_PDFS = CACHE / "figures"  # the PDFs of records' figures, by Figure.key
_PDFS: dict[str, bytes] = {}  # the PDFs this process has read or drawn, by Figure.key


@dataclass(frozen=True)
class Page:
    """One page of the course that shows (part of) a topic's record.

    Attributes:
        id: Unique name of the page (``gd-convergence``, ``entry:sigmoid``).
        path: Where the page sits in the course, as a Markdown path (``optimisation/gd-convergence.md``).
        title: The page's title (its heading and its name in the navigation).
        template: The site template that lays the page out.
        nav: The sections of the course the page sits in (empty: top level).
        record: The keys that lead from the topic's record to what this page shows (empty: all of it).
        entry: The catalogue name, for the page of one catalogue entry.
    """

    id: str
    path: str
    title: str
    template: str
    nav: tuple[str, ...] = ()
    record: tuple[str, ...] = ()
    entry: str | None = None

    @property
    def is_derivation(self) -> bool:
        return self.entry is not None

    def link_to(self, other: Page) -> str:
        """Relative link from this page to ``other``."""
        return posixpath.relpath(other.path, posixpath.dirname(self.path) or ".")

    def shows(self, record: Record) -> object:
        """The part of ``record`` this page shows."""
        for key in self.record:
            record = record[key]
        return record


def page(id: str, path: str, title: str, *nav: str, record: tuple[str, ...] | None = None) -> Page:  # noqa: A002
    """A page laid out by ``templates/site/<id with _>.md.j2``, showing ``record[id]`` unless told otherwise."""
    return Page(id, path, title, id.replace("-", "_") + ".md.j2", nav, (id,) if record is None else record)


@dataclass(frozen=True)
class Topic:
    """One topic of the course.

    Attributes:
        name: The topic's folder under ``nnmath/topics/``.
        title: Its name in listings (``nnmath list``).
        present: Computes the presentation record (derives, measures, draws).
        pages: The pages that show the record, in course order.
        handout: The record's key of its section in the theory summary, or ``None`` (no section);
            the section is typeset by ``templates/handouts/topics/<name>.tex``.
        formulas: ``[(name, description), …]`` of the derived formulas, for ``nnmath list``.
        listing: ``[(heading, [(name, description), …]), …]``: the topic's sections of ``nnmath list`` when
            they are not the one section of its ``formulas`` under its title (the catalogue: one per group).
        generated: The generated NumPy modules of ``numeric/`` this topic's derivations print.
        cost: Roughly how many seconds computing the record takes, before any build has timed it (a build
            starts the longest first; :func:`nnmath.records.longest_first`).
    """

    name: str
    title: str
    present: Callable[[], Record]
    pages: tuple[Page, ...] = ()
    handout: str | None = None
    formulas: Callable[[], list[tuple[str, str]]] | None = None
    listing: Callable[[], list[tuple[str, list[tuple[str, str]]]]] | None = None
    generated: Callable[[], tuple] = field(default=tuple)
    cost: float = 1.0
