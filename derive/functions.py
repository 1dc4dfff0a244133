"""SymPy function classes for the activations SymPy does not have.

Each class knows three things, the way SymPy's own ``tanh`` or ``log1p`` do:

* its derivative, written in terms of itself (``fdiff``) — so ``sympy.diff``
  produces the textbook identity σ' = σ(1 − σ) without any simplification;
* its special values (``eval``): σ(0) = 1/2, softplus(−∞) = 0, …;
* its textbook definition (``_eval_rewrite_as_exp``), used to *prove* the
  identities and shown on the pages.

How each class is turned into numerically stable NumPy code is not decided
here but by the printer in :mod:`derive.codegen`.
"""

from __future__ import annotations

import mpmath
import sympy as sp


def _mpmath_evalf(f, args: tuple[sp.Expr, ...], prec: int) -> sp.Float | None:
    """Evaluate ``f`` with mpmath at ``prec`` bits, for numeric arguments only."""
    if not all(a.is_number for a in args):
        return None
    with mpmath.workprec(prec):  # convert inside: mpf() outside would round to 53 bits
        value = mpmath.mpf(f(*[a._to_mpmath(prec) for a in args]))
    return sp.Float._new(value._mpf_, prec)


class _CumulativeDistribution(sp.Function):
    """A CDF of a symmetric distribution: 1/2 at 0, 0 at −∞, 1 at +∞."""

    nargs = 1

    @classmethod
    def eval(cls, x: sp.Expr):
        if x is sp.S.Zero:
            return sp.S.Half
        if x is sp.S.Infinity:
            return sp.S.One
        if x is sp.S.NegativeInfinity:
            return sp.S.Zero
        return None

    def _eval_is_real(self):
        return self.args[0].is_real


class sigmoid(_CumulativeDistribution):  # noqa: N801 - SymPy convention: lowercase function classes
    r"""Logistic sigmoid :math:`\sigma(x) = \frac{1}{1 + e^{-x}}`."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sp.exp(-x))

    def _eval_evalf(self, prec):
        return _mpmath_evalf(lambda x: 1 / (1 + mpmath.exp(-x)), self.args, prec)

    def _eval_is_positive(self):
        return self.args[0].is_real

    def _latex(self, printer):
        return rf"\sigma\left({printer._print(self.args[0])}\right)"


class softplus(sp.Function):  # noqa: N801
    r"""Softplus :math:`\operatorname{softplus}(x) = \log(1 + e^{x})`, a smooth ReLU."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sigmoid(self.args[0])

    @classmethod
    def eval(cls, x: sp.Expr):
        if x is sp.S.Zero:
            return sp.log(2)
        if x is sp.S.Infinity:
            return sp.S.Infinity
        if x is sp.S.NegativeInfinity:
            return sp.S.Zero
        return None

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return sp.log(1 + sp.exp(x))

    def _eval_evalf(self, prec):
        return _mpmath_evalf(lambda x: mpmath.log1p(mpmath.exp(x)), self.args, prec)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return self.args[0].is_real

    def _latex(self, printer):
        return rf"\operatorname{{softplus}}\left({printer._print(self.args[0])}\right)"


class logsumexp(sp.Function):  # noqa: N801
    r"""Log-sum-exp :math:`\operatorname{LSE}(z_1,\dots,z_K) = \log \sum_k e^{z_k}`.

    Its partial derivatives are the softmax: ∂LSE/∂z_i = exp(z_i − LSE(z)).
    In generated code it is a reduction over the last axis with a max shift.
    """

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.exp(self.args[argindex - 1] - self)

    @classmethod
    def eval(cls, *zs: sp.Expr):
        ordered = tuple(sorted(zs, key=sp.default_sort_key))
        if ordered != zs:  # symmetric: one canonical order, so equal sums look equal
            return cls(*ordered)
        return None

    def _eval_rewrite_as_exp(self, *zs, **kwargs):
        return sp.log(sp.Add(*[sp.exp(z) for z in zs]))

    def _eval_evalf(self, prec):
        return _mpmath_evalf(lambda *zs: mpmath.log(mpmath.fsum(mpmath.exp(z) for z in zs)), self.args, prec)

    def _eval_is_real(self):
        return all(z.is_real for z in self.args) or None

    def _latex(self, printer):
        args = ", ".join(printer._print(a) for a in self.args)
        return rf"\operatorname{{LSE}}\left({args}\right)"


class normal_cdf(_CumulativeDistribution):  # noqa: N801
    r"""Standard normal CDF :math:`\Phi(x) = \tfrac12\left(1 + \operatorname{erf}(x/\sqrt2)\right)`.

    A class of its own because the erf form cancels to 0 for x ≲ −8.4
    (1 + erf → 0) while Φ(x) is still far from 0; it prints to SciPy's ``ndtr``.
    """

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        x = self.args[0]
        return sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return (1 + sp.erf(x / sp.sqrt(2))) / 2

    _eval_rewrite_as_erf = _eval_rewrite_as_exp

    def _eval_evalf(self, prec):
        return _mpmath_evalf(mpmath.ncdf, self.args, prec)  # through erfc: no cancellation for x ≪ 0

    def _latex(self, printer):
        return rf"\Phi\left({printer._print(self.args[0])}\right)"


CUSTOM_FUNCTIONS = (sigmoid, softplus, logsumexp, normal_cdf)


def textbook(expr: sp.Expr) -> sp.Expr:
    """Rewrite nnmath's function classes, and SymPy's code-generation functions
    (``expm1``, ``log1p``), into their textbook exp/log/erf form."""
    from sympy.codegen.cfunctions import expm1, log1p

    expr = expr.replace(lambda e: isinstance(e, CUSTOM_FUNCTIONS), lambda e: e.rewrite(sp.exp))
    return expr.replace(expm1, lambda u: sp.exp(u) - 1).replace(log1p, lambda u: sp.log(1 + u))
