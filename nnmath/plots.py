"""Figures of a catalogue entry: the function and its derivative, from the generated code.

One figure serves the site (SVG) and the handouts (PDF).  Output is
deterministic: a fixed SVG hash salt and no creation dates, so two builds give
the same bytes.  Non-differentiable points (``entry.kinks``) are marked with a
hollow circle on the derivative and a dotted vertical line.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402 - after choosing the non-interactive backend
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from derive.catalogue.entry import ELEMENTWISE, VECTOR_MAP, Entry  # noqa: E402
from nnmath.topics import base  # noqa: E402
from numeric.registry import NumericEntry, lookup  # noqa: E402

POINTS = 801
CLASSES = 3

# The house style.  Every module that draws takes pyplot from here (``from nnmath.plots import plt``), so a
# figure never depends on whether this module happened to be imported before it was created.
plt.rcParams.update(
    {
        "svg.hashsalt": "nnmath",  # stable element ids
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
        "font.size": 10,
        "axes.grid": True,
        "grid.alpha": 0.3,
    }
)


def _fixed_value(entry: Entry, name: str) -> float:
    """The value held fixed for a second argument: target 0 for regression losses, 1 otherwise."""
    domain = next((d for a, d in entry.domain.items() if a.name == name), "normal")
    return 0.0 if domain == "normal" else 1.0


def curves(entry: Entry, numeric: NumericEntry | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """(x, f(x), f'(x), what is plotted) over ``entry.plot_range``.

    Vector entries are cut along the first class: z = (x, 0, …, 0), target the
    first class, and the curve is the first component (the diagonal of the Jacobian).
    ``numeric``: the functions of an entry built at run time (default: ``lookup(entry.name)``).
    """
    fn = numeric or lookup(entry.name)
    x = np.linspace(*entry.plot_range, POINTS)
    params = {p.name: v for p, v in entry.params.items()}
    others = {a.name: _fixed_value(entry, a.name) for a in entry.args if a != entry.wrt and a not in entry.params}
    if entry.kind == ELEMENTWISE:
        kwargs = {entry.wrt.name: x, **{k: np.full_like(x, v) for k, v in others.items()}, **params}
        note = ", ".join(f"{k} = {v:g}" for k, v in others.items())
        return x, fn.function(**kwargs), fn.gradient(**kwargs), note
    z = np.zeros((POINTS, CLASSES))
    z[:, 0] = x
    if entry.wrt.name == "prob":  # a distribution: the first class gets x, the rest share 1 − x
        z[:, 1:] = ((1 - x) / (CLASSES - 1))[:, None]
    one_hot = np.zeros_like(z)
    one_hot[:, 0] = 1.0
    kwargs = {entry.wrt.name: z, **{k: one_hot for k in others}, **params}
    value, grad = fn.function(**kwargs), fn.gradient(**kwargs)
    if entry.kind == VECTOR_MAP:
        return x, value[:, 0], grad[:, 0, 0], f"first of {CLASSES} components, others 0"
    return x, value, grad[:, 0], f"first of {CLASSES} classes is the target"


def plot_entry(entry: Entry, path: Path, numeric: NumericEntry | None = None) -> None:
    """Write the figure of ``entry`` to ``path`` (.svg or .pdf), atomically and deterministically."""
    x, f, df, note = curves(entry, numeric)
    fig, ax = plt.subplots(figsize=(6.0, 3.4))
    ax.plot(x, f, label=f"{entry.name}", color="#1f77b4", linewidth=2)
    ax.plot(x, df, label=f"derivative (w.r.t. {entry.wrt.name})", color="#d62728", linewidth=1.6, linestyle="--")
    for kink in entry.kinks:
        if entry.plot_range[0] <= kink <= entry.plot_range[1]:
            ax.axvline(kink, color="0.4", linestyle=":", linewidth=1)
            i = int(np.argmin(np.abs(x - kink)))
            ax.plot(
                [kink], [df[i]], "o", markerfacecolor="white", markeredgecolor="#d62728", label="not differentiable"
            )
    ax.set_xlabel(entry.wrt.name + (f"   ({note})" if note else ""))
    ax.legend(loc="best", fontsize=8)
    ax.set_title(entry.title, fontsize=10)
    fig.tight_layout()
    save_figure(fig, path)


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
