"""The catalogue's notation: the symbol of every argument (and a vector's index forms), and the log-sum-exp.

The site's notation snippet shows it beside the shapes of the network equations (from the
backpropagation record); the theory summary states the log-sum-exp.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.catalogue import entries
from derive.printing import formulas
from derive.printing.textbook import latex
from nnmath.topics.base import Tex


def arguments() -> list[dict]:
    """Each argument of the catalogue once: its name in ``numeric``, its symbol and, for a vector,
    the bold vector and its component i, summed component k and Jacobian column j.
    """
    vectors = {base for e in entries() for base in e.components}
    seen: dict[str, dict] = {}
    for e in entries():
        for arg in e.args:
            if arg.name in seen:
                continue
            row = {"python": arg.name, "symbol": Tex(latex(arg)), "vector": arg in vectors}
            if arg in vectors:
                idx = index_symbols(arg)
                row |= {
                    "bold": Tex(latex(formulas.bold(arg))),
                    "i": Tex(latex(arg, indexed=True)),
                    "k": Tex(latex(idx.summed)),
                    "j": Tex(latex(idx.column)),
                }
            seen[arg.name] = row
    return list(seen.values())


def lse_definition() -> Tex | None:
    """LSE(z) = log Σ_k e^{z_k}, in the index notation of the vector formulas (``None``: no entry takes logits)."""
    logits = next((b for e in entries() for b in e.components if b.name == "logits"), None)
    if logits is None:
        return None
    k = index_symbols(logits).summed
    return Tex(formulas.equation(LSE, sp.log(ClassSum(sp.exp(k)))))


def notation() -> dict:
    """The ``arguments`` table and the ``lse`` definition."""
    return {"arguments": arguments(), "lse": lse_definition()}
