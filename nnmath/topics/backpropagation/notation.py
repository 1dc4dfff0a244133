"""The notation snippet's symbols: the catalogue's arguments (with their index forms) and the network's matrices.

Kept here until the catalogue topic has its own copy (it shows the snippet); the network's part is
:func:`nnmath.topics.backpropagation.formulas.equation_shapes`.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.catalogue import entries
from derive.printing import formulas
from derive.printing.latex import latex
from nnmath.topics.backpropagation.formulas import equation_shapes


def notation() -> dict:
    """The symbols of the catalogue's arguments (with their index forms) and of the network equations."""
    vectors = {base for e in entries() for base in e.components}
    seen: dict[str, dict] = {}
    for e in entries():
        for arg in e.args:
            if arg.name in seen:
                continue
            row = {"python": arg.name, "symbol": latex(arg), "vector": arg in vectors}
            if arg in vectors:
                idx = index_symbols(arg)
                row |= {
                    "bold": latex(formulas.bold(arg)),
                    "i": latex(arg, indexed=True),
                    "k": latex(idx.summed),
                    "j": latex(idx.column),
                }
            seen[arg.name] = row
    logits = next((b for b in vectors if b.name == "logits"), None)
    lse = None
    if logits is not None:
        k = index_symbols(logits).summed
        lse = formulas.equation(LSE, sp.log(ClassSum(sp.exp(k))))
    return {"arguments": list(seen.values()), "lse": lse, "network": equation_shapes()}


__all__ = ["notation"]
