"""The house style of every figure, and figures saved deterministically (SVG and PDF).

One figure serves the site (SVG) and the handouts (PDF).  Output is
deterministic: a fixed SVG hash salt and no creation dates, so two builds give
the same bytes.  A catalogue entry's figure is drawn by :mod:`nnmath.topics.catalogue.figures`.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402 - after choosing the non-interactive backend
from matplotlib.figure import Figure  # noqa: E402

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
    """``fig`` drawn as SVG text and PDF bytes, deterministically, for a presentation record; closes the figure."""
    try:
        svg = _saved(fig, "svg")
        pdf = _saved(fig, "pdf")
    finally:
        plt.close(fig)
    return base.Figure(svg.decode("utf-8"), pdf)


def _saved(fig: Figure, fmt: str) -> bytes:
    metadata = {"Date": None} if fmt == "svg" else {"CreationDate": None, "ModDate": None}
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def save_figure(fig: Figure, path: Path) -> None:
    """Write ``fig`` to ``path`` (.svg or .pdf) atomically and deterministically; closes the figure."""
    path = Path(path)
    data = figure_bytes(fig, path.suffix.lstrip(".").lower())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
