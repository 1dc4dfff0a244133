r"""Formulas in index notation as a textbook writes them, for any number of classes K, and their proofs.

A vector entry is derived on K = 3 components (``logits1 … logits3``); a textbook writes it with indices:
softmax(z)_i = e^{z_i} / Σ_j e^{z_j}.  Here those forms are SymPy expressions in :class:`~sympy.IndexedBase`
symbols z, y, p with the free index i, summation indices j, k and the class count K.
:func:`at_components` turns such a form into the entry's K = 3 components (K → 3, Σ expanded, z_n →
``logits_n``), which is how every index-form line is proven equal to the catalogue expression.

:func:`softmax_cross_entropy_steps` derives ∂L/∂z_i of the softmax cross-entropy through the softmax Jacobian
∂p_k/∂z_i = p_k(δ_ki − p_i), in five lines that end at p_i − y_i, each proven equal to ``sympy.diff``.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.steps import Derivation, Step
from derive.symbols import logits, logits_k, prob, prob_k, target, target_k

i, j, k = sp.symbols("i j k", integer=True, positive=True)
K_CLASSES = sp.Symbol("K", integer=True, positive=True)
Z = sp.IndexedBase("z", real=True)
Y = sp.IndexedBase("y", real=True)
P = sp.IndexedBase("p", positive=True)
# Each indexed vector and the catalogue symbols of its components.
VECTORS = {Z: (logits, logits_k), Y: (target, target_k), P: (prob, prob_k)}


def class_sum(term: sp.Expr, index: sp.Symbol) -> sp.Sum:
    """Σ over the classes, ``index`` from 1 to K."""
    return sp.Sum(term, (index, 1, K_CLASSES))


def softmax_of(index: sp.Symbol) -> sp.Expr:
    """softmax(z)_index = e^{z_index} / Σ_j e^{z_j}."""
    return sp.exp(Z[index]) / class_sum(sp.exp(Z[j]), j)


def is_indexed(expr: sp.Basic) -> bool:
    """True for a form written in the index notation of this module."""
    return expr.has(sp.Indexed)


def at_components(expr: sp.Expr, free: int = 1, classes: int = 3) -> sp.Expr:
    """``expr`` at K = ``classes`` and i = ``free``: sums expanded, derivatives done, z_n → ``logits_n``, etc."""
    value = expr.xreplace({K_CLASSES: classes, i: free}).doit()
    names = {}
    for base, (_, comps) in VECTORS.items():
        for n in range(1, classes + 1):
            names[base[n]] = comps[n - 1]
    return value.xreplace(names)


def softmax_cross_entropy_steps() -> Derivation:
    r"""∂L/∂z_i for L = −Σ_k y_k log p_k, p = softmax(z), through the softmax Jacobian, ending at p_i − y_i.

    Lines (each proven equal to ``sympy.diff`` of the catalogue expression by :func:`indexed_steps_hold`):
    −Σ_k y_k (1/p_k) ∂p_k/∂z_i (chain rule), −Σ_k (y_k/p_k) p_k(δ_ki − p_i) (softmax Jacobian),
    −Σ_k y_k(δ_ki − p_i), p_i Σ_k y_k − y_i, p_i − y_i (Σ_k y_k = 1).
    """
    loss = -class_sum(Y[k] * sp.log(P[k]), k)
    jacobian = P[k] * (sp.KroneckerDelta(k, i) - P[i])
    steps = (
        Step("chain rule", -class_sum(sp.Mul(Y[k] / P[k], sp.Derivative(P[k], Z[i]), evaluate=False), k)),
        Step("softmax Jacobian", -class_sum(sp.Mul(Y[k] / P[k], jacobian, evaluate=False), k)),
        Step("cancel $p_k$", -class_sum(Y[k] * (sp.KroneckerDelta(k, i) - P[i]), k)),
        Step(r"$\sum_k y_k \delta_{ki} = y_i$", P[i] * class_sum(Y[k], k) - Y[i]),
        Step(r"$\sum_k y_k = 1$", P[i] - Y[i]),
    )
    return Derivation(expr=loss, wrt=Z[i], steps=steps, result=steps[-1].expr)


def indexed_line_value(expr: sp.Expr, free: int = 1, classes: int = 3) -> sp.Expr:
    """A line of an index-form derivation at K = ``classes``, i = ``free``, with p = softmax(z) substituted."""
    value = expr.replace(lambda e: isinstance(e, sp.Indexed) and e.base == P, lambda e: softmax_of(e.indices[0]))
    return at_components(value, free, classes)


__all__ = [
    "K_CLASSES",
    "P",
    "VECTORS",
    "Y",
    "Z",
    "at_components",
    "class_sum",
    "i",
    "indexed_line_value",
    "is_indexed",
    "j",
    "k",
    "softmax_cross_entropy_steps",
    "softmax_of",
]
