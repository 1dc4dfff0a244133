"""SymPy function classes for the activations SymPy does not have.

Each class knows three things, the way SymPy's own ``tanh`` or ``log1p`` do:

* its derivative, written in terms of itself (``fdiff``) — so ``sympy.diff``
  produces the textbook identity σ' = σ(1 − σ) without any simplification;
* its special values (``eval``): σ(0) = 1/2, softplus(−∞) = 0, …;
* its textbook definition (``_eval_rewrite_as_exp``), used to *prove* the
  identities and shown on the pages.

How each class is turned into numerically stable NumPy code is not decided
here but by the printer in :mod:`derive.numerics.codegen`.
"""

from __future__ import annotations

import functools

import mpmath
import sympy as sp


@functools.lru_cache(maxsize=4096)
def _mpmath_evalf(f, args: tuple[sp.Expr, ...], prec: int) -> sp.Float | None:
    """Evaluate ``f`` with mpmath at ``prec`` bits, for numeric arguments only.

    Remembered (by function, arguments and precision): an exact value such as a network's output nests the same
    σ(z) many times, and SymPy's ``evalf`` evaluates each occurrence again, at several precisions."""
    if not all(a.is_number for a in args):
        return None
    with mpmath.workprec(prec):  # convert inside: mpf() outside would round to 53 bits
        value = mpmath.mpf(f(*[a._to_mpmath(prec) for a in args]))
    return sp.Float._new(value._mpf_, prec)


def _power(tex: str, exp: str | None) -> str:
    """``tex`` raised to ``exp`` when the LaTeX printer passes a power (σ(x)² prints as a power of the function)."""
    return tex if exp is None else rf"{{{tex}}}^{{{exp}}}"


def mp_exp(x: mpmath.mpf) -> mpmath.mpf:
    """eˣ in mpmath at the working precision; for |x| ≥ 10⁴ reduced by hand to eʳ·2ⁿ, r = x − n log 2,
    which mpmath's own ``exp`` does at a cost that grows with both |x| and the precision (25 ms at
    x = 1e308 and 370 digits; this takes 0.1 ms)."""
    if not mpmath.isfinite(x) or abs(x) < 10**4:
        return mpmath.exp(x)
    with mpmath.extraprec(int(mpmath.log(abs(x), 2)) + 20):
        n = mpmath.floor(x / mpmath.ln2)
        r = x - n * mpmath.ln2
    return mpmath.ldexp(mpmath.exp(r), int(n))


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

    @staticmethod
    def mp_eval(x: mpmath.mpf) -> mpmath.mpf:
        """σ(x) in mpmath at the working precision."""
        return 1 / (1 + mp_exp(-x))

    def _eval_evalf(self, prec):
        return _mpmath_evalf(self.mp_eval, self.args, prec)

    def _eval_is_positive(self):
        return self.args[0].is_real

    def _latex(self, printer, exp=None):
        return _power(rf"\sigma\left({printer._print(self.args[0])}\right)", exp)


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

    @staticmethod
    def mp_eval(x: mpmath.mpf) -> mpmath.mpf:
        """softplus(x) in mpmath at the working precision."""
        return mpmath.log1p(mp_exp(x))

    def _eval_evalf(self, prec):
        return _mpmath_evalf(self.mp_eval, self.args, prec)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return self.args[0].is_real

    def _latex(self, printer, exp=None):
        return _power(rf"\operatorname{{softplus}}\left({printer._print(self.args[0])}\right)", exp)


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

    @staticmethod
    def mp_eval(*zs: mpmath.mpf) -> mpmath.mpf:
        """LSE(z) in mpmath at the working precision."""
        return mpmath.log(mpmath.fsum(mp_exp(z) for z in zs))

    def _eval_evalf(self, prec):
        return _mpmath_evalf(self.mp_eval, self.args, prec)

    def _eval_is_real(self):
        return all(z.is_real for z in self.args) or None

    def _latex(self, printer, exp=None):
        args = ", ".join(printer._print(a) for a in self.args)
        return _power(rf"\operatorname{{LSE}}\left({args}\right)", exp)


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

    @staticmethod
    def mp_eval(x: mpmath.mpf) -> mpmath.mpf:
        """Φ(x) in mpmath at the working precision: through erfc (no cancellation for x ≪ 0); for
        x < −1e100, where mpmath's erfc overflows, the Mills-ratio series
        Φ(x) = φ(x)/|x| · Σₖ (−1)ᵏ (2k−1)!!/x²ᵏ (its terms fall by 1e-200 or more each)."""
        if not x < -1e100:  # also nan
            return mpmath.ncdf(x)
        if mpmath.isinf(x):
            return mpmath.mpf(0)
        inv, term, total, k = 1 / (x * x), mpmath.mpf(1), mpmath.mpf(1), 0
        while abs(term) > mpmath.eps:
            k += 1
            term *= -(2 * k - 1) * inv
            total += term
        return mp_exp(-x * x / 2) / mpmath.sqrt(2 * mpmath.pi) / -x * total

    def _eval_evalf(self, prec):
        return _mpmath_evalf(self.mp_eval, self.args, prec)

    def _latex(self, printer, exp=None):
        return _power(rf"\Phi\left({printer._print(self.args[0])}\right)", exp)


class normal_pdf(sp.Function):  # noqa: N801
    r"""Standard normal density :math:`\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}`, the derivative of Φ.

    A class of its own so that a textbook form can name it (GELU' = Φ(x) + x φ(x)); ``Φ.fdiff`` stays in
    exp form, so derivatives and generated code do not change.
    """

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return -self.args[0] * self

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)

    @staticmethod
    def mp_eval(x: mpmath.mpf) -> mpmath.mpf:
        """φ(x) in mpmath at the working precision."""
        return mp_exp(-x * x / 2) / mpmath.sqrt(2 * mpmath.pi)

    def _eval_evalf(self, prec):
        return _mpmath_evalf(self.mp_eval, self.args, prec)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return self.args[0].is_extended_real and self.args[0].is_finite or None

    def _latex(self, printer, exp=None):
        return _power(rf"\varphi\left({printer._print(self.args[0])}\right)", exp)


CUSTOM_FUNCTIONS = (sigmoid, softplus, logsumexp, normal_cdf, normal_pdf)


def textbook(expr: sp.Expr) -> sp.Expr:
    """Rewrite nnmath's function classes (and those of :mod:`derive.numerics.stable_functions`), and SymPy's
    code-generation functions (``expm1``, ``log1p``), into their textbook exp/log/erf form."""
    from sympy.codegen.cfunctions import expm1, log1p

    from derive.numerics.stable_functions import STABLE_FUNCTIONS  # what derive.numerics.stability writes

    expr = expr.replace(lambda e: isinstance(e, STABLE_FUNCTIONS), lambda e: e.rewrite(sp.exp))
    expr = expr.replace(lambda e: isinstance(e, CUSTOM_FUNCTIONS), lambda e: e.rewrite(sp.exp))
    return expr.replace(expm1, lambda u: sp.exp(u) - 1).replace(log1p, lambda u: sp.log(1 + u))
