r"""Recognise nnmath's function classes in a user's expression.

A user writes softplus as ``log(1 + exp(x))`` and the sigmoid as
``1/(1 + exp(-x))``; the catalogue writes them with the function classes of
:mod:`derive.calculus.functions`, whose derivatives are written in terms of themselves
(σ' = σ(1 − σ)) and whose generated code is stable (``log(1 + exp(1000))`` is
inf in float64, ``softplus(1000)`` is 1000).  :func:`recognise` rewrites a
parsed expression into that form before it is derived — the run-time
counterpart of a catalogue entry's ``expr`` beside its ``textbook`` form:

=============================  ======================  ==============================================
pattern                        becomes                 why
=============================  ======================  ==============================================
log(1 + eᵘ)                    softplus(u)             inf at u ≳ 710; its derivative is σ(u)
1/(1 + eᵘ)                     σ(−u)                   its derivative e^u/(1+e^u)² is inf/inf at u ≳ 355
eᵘ·σ(−u)                       σ(u)                    inf·0 at u ≳ 710
max(a, b, …), min(a, b, …)     SymPy's Piecewise form  the derivative at a tie is the branch SymPy's
                                                       rewrite puts first: max(0, x)' = 0 at 0 (PyTorch's relu)
=============================  ======================  ==============================================

Every rewrite is an identity (``tests/test_custom_derive.py`` proves it on examples).
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.functions import sigmoid, softplus


def _one_plus_exp(e: sp.Basic) -> sp.Expr | None:
    """u when ``e`` is 1 + exp(u), else None."""
    if isinstance(e, sp.Add) and len(e.args) == 2 and sp.S.One in e.args:
        (other,) = [a for a in e.args if a is not sp.S.One]
        if isinstance(other, sp.exp):
            return other.args[0]
    return None


def _is_log_one_plus_exp(e: sp.Basic) -> bool:
    return isinstance(e, sp.log) and _one_plus_exp(e.args[0]) is not None


def _is_reciprocal_one_plus_exp(e: sp.Basic) -> bool:
    return isinstance(e, sp.Pow) and e.exp == -1 and _one_plus_exp(e.base) is not None


def _exp_times_sigmoid(e: sp.Basic) -> bool:
    """A product holding exp(u) and σ(−u)."""
    if not isinstance(e, sp.Mul):
        return False
    exps = {a.args[0] for a in e.args if isinstance(a, sp.exp)}
    return any(isinstance(a, sigmoid) and -a.args[0] in exps for a in e.args)


def _merge_exp_sigmoid(e: sp.Mul) -> sp.Expr:
    factors = list(e.args)
    for s in [a for a in factors if isinstance(a, sigmoid)]:
        u = -s.args[0]
        if sp.exp(u) in factors and s in factors:
            factors.remove(sp.exp(u))
            factors.remove(s)
            factors.append(sigmoid(u))
    return sp.Mul(*factors)


def recognise(expr: sp.Expr) -> sp.Expr:
    """An equal expression written with softplus, σ and Piecewise where the patterns above occur."""
    expr = expr.replace(lambda e: isinstance(e, (sp.Max, sp.Min)), lambda e: e.rewrite(sp.Piecewise))
    expr = expr.replace(_is_log_one_plus_exp, lambda e: softplus(_one_plus_exp(e.args[0])))
    expr = expr.replace(_is_reciprocal_one_plus_exp, lambda e: sigmoid(-_one_plus_exp(e.base)))
    return expr.replace(_exp_times_sigmoid, _merge_exp_sigmoid)
