"""The house style of every figure, and figures saved deterministically (SVG and PDF).

One figure serves the site (SVG) and the handouts and slides (PDF).  A record keeps the SVG and the
figure itself, pickled; its PDF is drawn from that only when an output asks for it
(:attr:`nnmath.topics.base.Figure.pdf`, :func:`pdf_drawn`), and kept in ``.cache/figures/`` under the
SHA-256 of the pickle and of how this module draws, so that computing a record, and building the site,
never draws a PDF.  Output is deterministic: a fixed SVG hash
salt and no creation dates, so two builds give the same bytes.  A catalogue entry's figure is drawn by
:mod:`nnmath.topics.catalogue.figures`.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402 - after choosing the non-interactive backend
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.layout_engine import PlaceHolderLayoutEngine  # noqa: E402
from matplotlib.transforms import TransformNode  # noqa: E402

from nnmath.paths import project_file  # noqa: E402
from nnmath.topics import base  # noqa: E402

# The house style.  Every module that draws takes pyplot from here (``from nnmath.plots import plt``), so a
# figure never depends on whether this module happened to be imported before it was created.
plt.rcParams.update(
    {
        "svg.hashsalt": "nnmath",  # stable element ids
        "svg.fonttype": "path",
        "pdf.fonttype": 3,  # matplotlib's own glyph outlines: 0.2 s less per figure than subsetting TrueType
        "font.size": 10,
        "axes.grid": True,
        "grid.alpha": 0.3,
    }
)


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """``fig`` as SVG or PDF bytes, deterministic (no dates; fixed SVG ids); closes the figure."""
    if fmt not in ("svg", "pdf"):
        raise ValueError(f"plot format must be svg or pdf, not {fmt!r}")
    try:
        return _saved(fig, fmt)
    finally:
        plt.close(fig)


def drawn(fig: Figure) -> base.Figure:
    """``fig`` for a presentation record: drawn as SVG text, deterministically, and pickled, for its PDF when
    an output asks for it (:attr:`nnmath.topics.base.Figure.pdf`); closes the figure.  A figure that cannot be
    pickled fails here, with the record, naming the function that drew it."""
    try:
        svg = _saved(fig, "svg")
        try:
            drawing = pickled(fig)
        except Exception as e:  # a lambda, a local function or an open file among the figure's objects
            caller = sys._getframe(1).f_code
            where = project_file(Path(caller.co_filename)) or caller.co_filename
            reason = (str(e).strip().splitlines() or [type(e).__name__])[0]
            raise TypeError(
                f"the figure drawn by {caller.co_name}() in {where} cannot be kept for its PDF (pickle: {reason})"
            ) from e
    finally:
        plt.close(fig)
    return base.Figure(svg.decode("utf-8"), drawing, hashlib.sha256(_drawing_key().encode() + drawing).hexdigest())


def pickled(fig: Figure) -> bytes:
    """``fig`` pickled, the same bytes in every process that draws it the same way (see :class:`_Pickler`)."""
    buffer = io.BytesIO()
    _Pickler(buffer).dump(fig)
    return buffer.getvalue()


class _Pickler(pickle.Pickler):
    """Pickles as :mod:`pickle` does, except that a transform's parents, which matplotlib keys by their ``id()``
    (a memory address, different in every process), are keyed by the order in which the pickle meets them.
    The keys only tell the parents apart (matplotlib drops a parent by its key when it is freed), so the figure
    read back draws the same."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=5)
        self._numbers: dict[int, int] = {}

    def reducer_override(self, obj: object) -> object:
        if not isinstance(obj, TransformNode):
            return NotImplemented
        reduced = obj.__reduce_ex__(5)
        state = reduced[2] if len(reduced) > 2 else None
        if not isinstance(state, dict) or not state.get("_parents"):
            return reduced
        parents = {self._numbers.setdefault(key, len(self._numbers)): node for key, node in state["_parents"].items()}
        return (*reduced[:2], {**state, "_parents": parents}, *reduced[3:])


def pdf_drawn(drawing: bytes) -> bytes:
    """The PDF of a pickled figure (:attr:`nnmath.topics.base.Figure.drawing`), as :func:`figure_bytes` draws it
    (:attr:`nnmath.topics.base.Figure.pdf` keeps it)."""
    return figure_bytes(pickle.loads(drawing), "pdf")


@functools.cache
def _drawing_key() -> str:
    """What a figure's PDF depends on besides the figure, for its key: matplotlib's version, its settings at
    drawing time (the house style above; not the backend's name) and this module's code (how it saves)."""
    settings = sorted((k, repr(v)) for k, v in plt.rcParams.items() if not k.startswith("backend"))
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return f"{matplotlib.__version__}\n{settings!r}\n{code}\n"


def _saved(fig: Figure, fmt: str) -> bytes:
    """``fig`` saved as ``fmt``, drawn once.

    After ``fig.tight_layout()`` a figure keeps a placeholder layout engine, for which ``savefig`` draws the whole
    figure twice: once, with drawing disabled, for a layout engine to run, then for real.  The placeholder runs no
    layout, so the figure is saved without it (and keeps it afterwards): the same bytes, a third of the time less.
    """
    metadata = {"Date": None} if fmt == "svg" else {"CreationDate": None, "ModDate": None}
    buffer = io.BytesIO()
    engine = fig.get_layout_engine()
    placeholder = isinstance(engine, PlaceHolderLayoutEngine)
    if placeholder:
        fig.set_layout_engine(None)
    try:
        fig.savefig(buffer, format=fmt, metadata=metadata)
    finally:
        if placeholder:
            fig.set_layout_engine(engine)
    return buffer.getvalue()


def save_figure(fig: Figure, path: Path) -> None:
    """Write ``fig`` to ``path`` (.svg or .pdf) atomically and deterministically; closes the figure."""
    path = Path(path)
    _write(path, figure_bytes(fig, path.suffix.lstrip(".").lower()))


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file beside it, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
