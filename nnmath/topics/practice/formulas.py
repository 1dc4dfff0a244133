"""The formulas of the notebooks, printed from SymPy by the same functions as the site's pages.

A notebook shows the site's LaTeX, character for character: a catalogue entry is
printed by :func:`nnmath.topics.catalogue.entry.entry_record`, the dense layer and
backpropagation by :mod:`nnmath.topics.backpropagation.formulas`.  What only the
notebooks show — the dense layer over a batch, the error of a finite difference — is
derived in :mod:`derive.topics.practice` and printed here.
"""

from __future__ import annotations

from derive.catalogue import get
from derive.printing import formulas
from derive.printing.textbook import latex
from derive.topics.practice import batch_layer, difference_quotients
from nnmath.topics.backpropagation.formulas import shapes
from nnmath.topics.base import Tex
from nnmath.topics.catalogue.entry import entry_record


def entry(name: str) -> dict:
    """A catalogue entry as its page shows it: title, definition, derivative, identity, generated functions."""
    s = entry_record(get(name))
    return {
        "name": name,
        "title": s["title"],
        "definition": Tex(s["definition"]),
        "gradient": [Tex(g) for g in s["gradient"]],
        "identity": Tex(s["identity"]) if s["identity"] is not None else None,
        "function": s["function_name"],
        "gradient_function": s["gradient_name"],
    }


def batch_equations() -> dict:
    """The dense layer over a batch (:func:`derive.topics.practice.batch_layer`): columns, rows, and the shapes.

    Z = W A + b 1ᵀ, one sample per column; Zᵀ = Aᵀ Wᵀ + 1 bᵀ, one sample per row.
    """
    columns, rows = batch_layer()
    return {
        "columns": Tex(formulas.unordered(columns)),
        "rows": Tex(formulas.unordered(rows)),
        "shapes": shapes([columns]),
    }


def finite_differences() -> dict[str, Tex]:
    """The central difference f'(x) ≈ (f(x + h) − f(x − h)) / (2h), and the series of both differences in h."""
    d = difference_quotients()
    return {
        "central": Tex(latex(d["derivative"]) + r" \approx " + latex(d["central"])),
        "central_series": Tex(latex(d["central"]) + " = " + latex(d["central_series"])),
        "forward_series": Tex(latex(d["forward"]) + " = " + latex(d["forward_series"])),
    }
