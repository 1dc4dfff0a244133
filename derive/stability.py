"""Numerical-stability rewrites, applied after the algebra and before printing.

The derivation works on clean textbook expressions.  Just before NumPy code
is printed, :func:`stabilise` rewrites forms that overflow or cancel in
floating point into equal forms that do not — as SymPy's own
``sympy.codegen.rewriting`` does for ``log1p``/``expm1``:

==============================  ==============================  ==========================
pattern                         rewritten to                    why
==============================  ==============================  ==========================
log σ(u)                        −softplus(−u)                   log(0) at u ≲ −37
log(1 − σ(u))                   −softplus(u)                    log(0) at u ≳ 37
1 − σ(u)                        σ(−u)                           cancellation for large u
1 − tanh²(u)                    4e^{−2|u|}/(1 + e^{−2|u|})²     cancels to 0 for |u| ≳ 19
eᵘ − 1                          expm1(u)                        cancellation near 0
log(1 + u)                      log1p(u)                        cancellation near 0
branch of a 2-piece Piecewise   argument clipped to its side    ``numpy.select`` evaluates
containing exp                  of the break point              every branch: exp(1000)
==============================  ==============================  ==========================

Every rewrite is an identity; the tests check ``simplify(expr − stabilise(expr)) == 0``.
"""

from __future__ import annotations

import sympy as sp
from sympy.codegen.rewriting import expm1_opt, log1p_opt, optimize

from derive.functions import sigmoid, softplus


def _log_sigmoid(expr: sp.Expr) -> sp.Expr:
    def is_log_sigmoid(e):
        return isinstance(e, sp.log) and isinstance(e.args[0], sigmoid)

    def is_log_one_minus_sigmoid(e):
        if not isinstance(e, sp.log):
            return False
        inner = e.args[0]
        return (
            isinstance(inner, sp.Add)
            and len(inner.args) == 2
            and sp.S.One in inner.args
            and any(isinstance(-a, sigmoid) for a in inner.args)
        )

    def one_minus_sigmoid_arg(inner: sp.Add) -> sp.Expr:
        (neg,) = [a for a in inner.args if a is not sp.S.One]
        return (-neg).args[0]

    expr = expr.replace(is_log_sigmoid, lambda e: -softplus(-e.args[0].args[0]))
    return expr.replace(is_log_one_minus_sigmoid, lambda e: -softplus(one_minus_sigmoid_arg(e.args[0])))


def _one_minus_sigmoid(expr: sp.Expr) -> sp.Expr:
    def match(e):
        return isinstance(e, sp.Add) and sp.S.One in e.args and any(isinstance(-a, sigmoid) for a in e.args)

    def rewrite(e):
        rest = list(e.args)
        rest.remove(sp.S.One)
        (neg,) = [a for a in rest if isinstance(-a, sigmoid)][:1]
        rest.remove(neg)
        return sp.Add(sigmoid(-(-neg).args[0]), *rest)

    return expr.replace(match, rewrite)


def _sech_squared(expr: sp.Expr) -> sp.Expr:
    def match(e):
        return (
            isinstance(e, sp.Add)
            and sp.S.One in e.args
            and any(isinstance(-a, sp.Pow) and isinstance((-a).base, sp.tanh) and (-a).exp == 2 for a in e.args)
        )

    def rewrite(e):
        rest = list(e.args)
        rest.remove(sp.S.One)
        (term,) = [a for a in rest if isinstance(-a, sp.Pow) and isinstance((-a).base, sp.tanh)][:1]
        rest.remove(term)
        t = sp.exp(-2 * sp.Abs((-term).base.args[0]))
        return sp.Add(4 * t / (1 + t) ** 2, *rest)

    return expr.replace(match, rewrite)


def _clip_piecewise(expr: sp.Expr) -> sp.Expr:
    def risky(e: sp.Expr) -> bool:
        return e.has(sp.exp) or any(f.func.__name__ == "expm1" for f in e.atoms(sp.Function))

    def clip(pw: sp.Piecewise) -> sp.Expr:
        if len(pw.args) != 2 or pw.args[1].cond is not sp.true:
            return pw
        (first, cond), (second, _) = pw.args
        if not isinstance(cond, (sp.StrictGreaterThan, sp.GreaterThan)):
            return pw
        s, c = cond.lhs, cond.rhs
        if not (isinstance(s, sp.Symbol) and c.is_number):
            return pw
        if risky(first):
            first = first.xreplace({s: sp.Max(s, c)})
        if risky(second):
            second = second.xreplace({s: sp.Min(s, c)})
        return sp.Piecewise((first, cond), (second, True))

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), clip)


def stabilise(expr: sp.Expr) -> sp.Expr:
    """An equal expression that is finite wherever the exact value is."""
    expr = _log_sigmoid(expr)
    expr = _one_minus_sigmoid(expr)
    expr = optimize(expr, [expm1_opt, log1p_opt])
    expr = _sech_squared(expr)  # after optimize, which would turn e^{-2|u|} back into e^{2|u|}
    return _clip_piecewise(expr)
