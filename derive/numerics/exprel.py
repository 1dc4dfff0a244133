r"""``exprel(x) = (eˣ − 1)/x``, with its removable singularity filled in (exprel(0) = 1).

Rate functions of the form :math:`c\,u/(1 - e^{-u/k})` — Hodgkin–Huxley's
:math:`\alpha_m` and :math:`\alpha_n` — are 0/0 at :math:`u = 0` in floating
point although their limit is finite (:math:`c k`).  Written as
:math:`c k / \operatorname{exprel}(-u/k)` they are finite everywhere, and
SciPy's ``scipy.special.exprel`` is accurate near 0 (Brian2 uses the same
function for the same reason).  :func:`exprel_form` does that rewrite on any
expression; it is an identity wherever the original is defined.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from derive.calculus.functions import sigmoid


class exprel(sp.Function):  # noqa: N801 - SymPy convention: lowercase function classes
    r"""Relative exponential :math:`\operatorname{exprel}(x) = \frac{e^{x} - 1}{x}`, equal to 1 at 0."""

    nargs = 1

    @classmethod
    def eval(cls, x: sp.Expr):
        if x.is_zero:
            return sp.S.One
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        x = self.args[0]
        return (sp.exp(x) - exprel(x)) / x

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return (sp.exp(x) - 1) / x

    def _eval_evalf(self, prec):
        (x,) = self.args
        if not x.is_number:
            return None
        with mpmath.workprec(prec):
            a = x._to_mpmath(prec)
            value = mpmath.mpf(1) if a == 0 else mpmath.expm1(a) / a
        return sp.Float._new(value._mpf_, prec)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return self.args[0].is_real

    def _numpycode(self, printer) -> str:
        return f"scipy.special.exprel({printer._print(self.args[0])})"

    def _latex(self, printer) -> str:
        return rf"\operatorname{{exprel}}\left({printer._print(self.args[0])}\right)"


def _one_minus_exp(e: sp.Expr) -> sp.Expr | None:
    """B when ``e`` is 1 − e^B, else None."""
    if isinstance(e, sp.Add) and len(e.args) == 2 and sp.S.One in e.args:
        (other,) = [a for a in e.args if a is not sp.S.One]
        if isinstance(-other, sp.exp):
            return (-other).args[0]
    return None


def _one_plus_exp(e: sp.Expr) -> sp.Expr | None:
    """B when ``e`` is 1 + e^B, else None."""
    if isinstance(e, sp.Add) and len(e.args) == 2 and sp.S.One in e.args:
        (other,) = [a for a in e.args if a is not sp.S.One]
        if isinstance(other, sp.exp):
            return other.args[0]
    return None


def exprel_form(expr: sp.Expr, variable: sp.Symbol) -> sp.Expr:
    """Rewrite λ·B/(1 − e^B) as −λ/exprel(B) and 1/(1 + e^B) as σ(−B), for B linear in ``variable``.

    The first is 0/0 at B = 0 in floating point; in the second e^B overflows (with a warning) for B ≳ 710.
    Both rewrites are identities wherever the original is defined.
    """

    def rewrite_mul(e: sp.Mul) -> sp.Expr:
        for factor in e.args:
            if isinstance(factor, sp.Pow) and factor.exp == -1:
                b = _one_minus_exp(factor.base)
                if b is not None and b.has(variable):
                    rest = sp.Mul(*[a for a in e.args if a is not factor])
                    ratio = sp.simplify(rest / b)
                    if not ratio.has(variable):
                        return -ratio / exprel(b)
                b = _one_plus_exp(factor.base)
                if b is not None and b.has(variable):
                    rest = sp.Mul(*[a for a in e.args if a is not factor])
                    return rest * sigmoid(-b)
        return e

    def rewrite_pow(e: sp.Pow) -> sp.Expr:
        if e.exp == -1 and (b := _one_plus_exp(e.base)) is not None and b.has(variable):
            return sigmoid(-b)
        return e

    expr = expr.replace(lambda e: isinstance(e, sp.Mul), rewrite_mul)
    return expr.replace(lambda e: isinstance(e, sp.Pow), rewrite_pow)
