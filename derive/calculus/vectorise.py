"""From K concrete components to code that works for any number of classes.

Vector formulas (softmax, cross-entropy) are derived on K = 3 components
z₁, z₂, z₃, where SymPy's ``diff`` is exact and simple.  This module rewrites
such a result into index form, which the printers turn into array code:

* ``logsumexp(z₁, …, z_K)`` becomes the symbol ``LSE`` (a reduction over the
  last axis, computed once per function with a max shift);
* a sum whose terms are the same pattern for every class k,
  e.g. ``y₁ p₁ + y₂ p₁ + y₃ p₁``, becomes ``p₁ · ClassSum(y_k)``;
* what is left must be in component 1 only, which becomes the array itself
  (index i).  Anything else raises :class:`NotVectorisable`.

The tests check the result against the concrete derivation for every
component, and against PyTorch for another K.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from derive.calculus.functions import logsumexp
from derive.catalogue.entry import Entry

LSE = sp.Symbol("_lse", real=True)


class NotVectorisable(ValueError):
    """A component expression has no index form (a bug in a catalogue entry)."""


class ClassSum(sp.Function):  # noqa: N801 - printed as Σ_k in LaTeX, a sum over the last axis in NumPy
    """Σₖ of its argument over the classes k (the last array axis)."""

    nargs = 1


@dataclass(frozen=True)
class IndexSymbols:
    """The index-form symbols of one vector argument."""

    free: sp.Symbol  # component i (the array itself)
    summed: sp.Symbol  # component k inside a ClassSum
    column: sp.Symbol  # component j of a Jacobian


@cache
def index_symbols(base: sp.Symbol) -> IndexSymbols:
    """The index-form symbols of ``base`` (z → z, z_k, z_j), with its assumptions (cached: printers ask for every
    symbol they print)."""
    a = base.assumptions0
    return IndexSymbols(base, sp.Symbol(f"{base.name}_k", **a), sp.Symbol(f"{base.name}_j", **a))


def _replace_lse(expr: sp.Expr) -> sp.Expr:
    return expr.replace(lambda e: isinstance(e, logsumexp), lambda e: LSE)


def vectorise(expr: sp.Expr, entry: Entry, free_index: bool = True) -> sp.Expr:
    """Index form of ``expr``.

    ``free_index=True``: ``expr`` is component 1 of a vector (an output or a
    gradient); component 1 becomes index i.  ``False``: ``expr`` is a scalar
    symmetric in all components (a loss), every component ends in a ClassSum.
    """
    expr = sp.expand(_replace_lse(expr), power_exp=False, power_base=False, log=False)
    comps = {base: comps for base, comps in entry.components.items()}
    n = len(next(iter(comps.values())))
    by_index = {k: {c[k] for c in comps.values()} for k in range(n)}
    summed_subs = lambda k: {c[k]: index_symbols(b).summed for b, c in comps.items()}  # noqa: E731
    first = 1 if free_index else 0

    groups: dict[tuple[sp.Expr, sp.Expr], set[int]] = {}
    kept: list[sp.Expr] = []
    for term in sp.Add.make_args(expr):
        present = [k for k in range(first, n) if term.free_symbols & by_index[k]]
        if not present:
            kept.append(term)
            continue
        if len(present) > 1:
            raise NotVectorisable(f"{entry.name}: term {term} mixes classes {present}")
        (k,) = present
        indep, dep = term.as_independent(*by_index[k], as_Add=False)
        groups.setdefault((indep, dep.xreplace(summed_subs(k))), set()).add(k)

    out = []
    for (indep, pattern), ks in groups.items():
        if ks != set(range(first, n)):
            raise NotVectorisable(f"{entry.name}: {pattern} appears for classes {sorted(ks)} only")
        if free_index:
            own = indep * pattern.xreplace({v: k for k, v in summed_subs(0).items()})
            if own in kept:
                kept.remove(own)
            else:
                out.append(-own)
        out.append(indep * ClassSum(pattern))
    result = sp.Add(*kept, *out)
    if not free_index and kept:
        raise NotVectorisable(f"{entry.name}: terms {kept} are not sums over the classes")
    return _rename_free(result, entry)


def _rename_free(expr: sp.Expr, entry: Entry) -> sp.Expr:
    expr = expr.xreplace({c[0]: base for base, c in entry.components.items()})
    leftover = expr.free_symbols & {s for c in entry.components.values() for s in c}
    if leftover:
        raise NotVectorisable(f"{entry.name}: components {sorted(map(str, leftover))} left in {expr}")
    return sp.factor_terms(expr)


def vectorise_jacobian(jac: sp.Matrix, entry: Entry) -> tuple[sp.Expr, sp.Expr]:
    """(diagonal ∂f_i/∂z_i, off-diagonal ∂f_i/∂z_j) in index form."""
    diag = vectorise(jac[0, 0], entry)
    off = _replace_lse(jac[0, 1])
    off = off.xreplace({c[1]: index_symbols(b).column for b, c in entry.components.items()})
    return diag, _rename_free(off, entry)
