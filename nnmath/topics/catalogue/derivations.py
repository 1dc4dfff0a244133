"""An entry's step-by-step derivations in every form the outputs show, and the entries the guided practice derives.

The record of one derivation:

* ``wrt_name``: the name of the symbol it differentiates by (``x``, ``pred``, ``logits1``);
* ``expr`` / ``expr_plain``: the expression differentiated, LaTeX and plain text;
* ``start``: d/dx of that expression (LaTeX), the first line;
* ``steps``: each ``rule`` with the expression after it, ``expr`` (LaTeX) and ``expr_plain``;
* ``caption``: what a vector entry's derivation differentiates (empty for an elementwise entry);
* ``display``: all the lines as one aligned display.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.derivation import derive
from derive.calculus.indexed import is_indexed
from derive.calculus.steps import Derivation
from derive.catalogue import get
from derive.catalogue.entry import Entry
from derive.printing import formulas
from derive.printing.text import plain
from nnmath.topics.base import Tex
from nnmath.topics.texformat import derivation_steps, formula

# The entries the guided practice derives step by step, in its order.
PRACTISED = ("sigmoid", "tanh", "softmax", "categorical_cross_entropy_logits")


def derivation_record(entry: Entry, derivation: Derivation) -> dict:
    """One step-by-step derivation of ``entry``, line by line (see the module docstring)."""
    lines = derivation_steps(derivation)
    for line, step in zip(lines["steps"], derivation.steps, strict=True):
        line["expr_plain"] = plain(step.expr)
    return {
        "wrt_name": derivation.wrt.name,
        "expr": formula(derivation.expr),
        "expr_plain": plain(derivation.expr),
        **lines,
        "caption": formulas.steps_caption(entry, derivation),
        "display": lines["display"],
    }


def sum_of_exponentials(entry: Entry) -> dict[sp.Basic, sp.Symbol]:
    """For a vector entry derived on its components: e^{z_1} + … + e^{z_K} written as S, so that its lines fit on
    a page (else nothing: an elementwise entry, or one derived in index notation, Σ_j e^{z_j})."""
    if not entry.is_vector or any(is_indexed(d.expr) for d in derive(entry).steps):
        return {}
    components = entry.components[entry.wrt]
    return {sp.Add(*[sp.exp(z) for z in components]): sp.Symbol("S")}


def practice() -> list[dict]:
    """The guided practice: each practised entry's ``name``, and for a vector entry the ``abbreviation``
    S = e^{z_1} + … + e^{z_K} and its ``derivations`` written with it (``None``: the entry's own derivations).
    """
    out = []
    for name in PRACTISED:
        entry = get(name)
        abbreviation = sum_of_exponentials(entry)
        if not abbreviation:
            out.append({"name": name, "abbreviation": None, "derivations": None})
            continue
        ((long, short),) = abbreviation.items()
        out.append(
            {
                "name": name,
                "abbreviation": Tex(f"{formula(short)} = {formula(long)}"),
                "derivations": [derivation_steps(s, abbreviation) for s in derive(entry).steps],
            }
        )
    return out
