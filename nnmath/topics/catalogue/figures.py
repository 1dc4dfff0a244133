"""The figure of a catalogue entry: the function and its derivative, drawn with the generated NumPy code.

Drawn once for every output (SVG for the site, PDF for the handouts, drawn when they ask), in the house style of
:mod:`nnmath.plots`.  Non-differentiable points (``entry.kinks``) are marked with a hollow
circle on the derivative and a dotted vertical line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure as PyplotFigure

from derive.catalogue.entry import ELEMENTWISE, VECTOR_MAP, Entry
from nnmath.plots import drawn, plt, save_figure
from nnmath.topics.base import Figure
from nnmath.topics.catalogue.plotted import fixed_arguments
from numeric.registry import NumericEntry, lookup

POINTS = 801
CLASSES = 3


def curves(entry: Entry, numeric: NumericEntry | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """(x, f(x), f'(x), what is plotted) over ``entry.plot_range``.

    Vector entries are cut along the first class: z = (x, 0, …, 0), target the
    first class, and the curve is the first component (the diagonal of the Jacobian).
    ``numeric``: the functions of an entry built at run time (default: ``lookup(entry.name)``).
    """
    fn = numeric or lookup(entry.name)
    x = np.linspace(*entry.plot_range, POINTS)
    params = {p.name: v for p, v in entry.params.items()}
    others = {a.name: v for a, v in fixed_arguments(entry).items()}
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


def draw(entry: Entry, numeric: NumericEntry | None = None) -> PyplotFigure:
    """The Matplotlib figure of ``entry``: the function (solid), its derivative (dashed), the kinks marked."""
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
    return fig


def entry_figure(entry: Entry, numeric: NumericEntry | None = None) -> Figure:
    """The figure of ``entry`` for a record: drawn as SVG, its PDF when an output asks (:func:`nnmath.plots.drawn`)."""
    return drawn(draw(entry, numeric))


def plot_entry(entry: Entry, path: Path, numeric: NumericEntry | None = None) -> None:
    """Write the figure of ``entry`` to ``path`` (.svg or .pdf), atomically and deterministically."""
    save_figure(draw(entry, numeric), path)
