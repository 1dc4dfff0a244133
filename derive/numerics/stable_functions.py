"""Function classes that only the stability rewrites (:mod:`derive.numerics.stability`) produce.

They never appear in a derivation or on a page: they name a numerically better
way to evaluate a subexpression, and :mod:`derive.numerics.codegen` prints each one.
Each rewrites to its textbook meaning (``textbook()`` in
:mod:`derive.calculus.functions`), so that every stability rewrite can still be proven
an identity, and each evaluates in mpmath (``mp_eval``).

=====================  ================================  =========================================
class                  means                             printed as
=====================  ================================  =========================================
``erfcx(u)``           e^{u²} erfc(u)                     ``scipy.special.erfcx`` (finite, no underflow)
``xlogy(c, u)``        c log u, 0 where c = 0            ``scipy.special.xlogy`` (0 · log 0 = 0)
``xlog1py(c, u)``      c log(1 + u), 0 where c = 0       ``scipy.special.xlog1py``
``xdivy(c, u)``        c / u, 0 where c = 0              ``c / where(c == 0, 1, u)`` (0 / 0 = 0)
``zero_safe(u, c, s)`` u (s where c = 0: c·f(u) is 0)    ``where(c == 0, s, u)``, nan kept
``region_safe(u, r, s)``  u (s outside region r)          ``where(r, u, s)``: a branch's inputs
``clip_into(u, a, b)``  u (used only on [a, b])           ``clip(u, a, b)``: a branch's input
``grouped(u)``         u                                 ``(u)``: summed first (1 − 2y exact)
``difference_sign(a, b)`` sign(a − b)                    comparisons a > b, a < b (no overflow)
``high_part(u)``       u (any value is correct)          u rounded to a multiple of 2⁻²⁰
``float_clip(u, b)``   u where it matters                ``clip(u, −b, b)``
``at_infinity(f, s, l₋, l₊)``  f (the reals have no ∞)   ``where(isposinf(s), l₊, where(isneginf(s), l₋, f))``
``finite_point(s, c)`` s (the reals have no ∞)           ``where(isinf(s), c, s)``
=====================  ================================  =========================================

The last four are identities in floating point rather than over the reals,
and each is used in one documented place only: ``high_part`` splits u = h + (u − h)
so that e^{−u²/2} = e^{−h²/2} e^{−(u−h)(u+h)/2} with h² exact (true for any h);
``float_clip(u, 40)`` bounds u inside e^{−u²/2}, which is below the smallest
double (2⁻¹⁰⁷⁴ ≈ e^{−744.4}) for |u| > 38.6 either way, and ``float_clip(s, b)``
bounds s inside a polynomial argument w(s) of σ or tanh where |w| ≥ 800 beyond b
(σ and tanh are exactly 0, 1 or ±1 there);
``at_infinity`` gives f its limits at s = ±∞, each proven by SymPy for the whole
expression f (:func:`derive.numerics.stability.proven_limit`), and f is then
evaluated at ``finite_point(s, c)``, a point where it is finite, so that the
unused branch computes no ∞/∞ or ∞·0.
"""

from __future__ import annotations

import mpmath
import sympy as sp


def _nan(*vs) -> bool:
    return any(mpmath.isnan(v) for v in vs)


class erfcx(sp.Function):  # noqa: N801 - SymPy convention: lowercase function classes
    r"""Scaled complementary error function :math:`\operatorname{erfcx}(u) = e^{u^2}\operatorname{erfc}(u)`."""

    nargs = 1

    def _eval_rewrite_as_exp(self, u, **kwargs):
        return sp.exp(u**2) * (1 - sp.erf(u))  # erf, not erfc: Φ's textbook form is in erf

    @staticmethod
    def mp_eval(u):
        return mpmath.exp(u * u) * mpmath.erfc(u)

    def _latex(self, printer, exp=None):
        tex = rf"\operatorname{{erfcx}}\left({printer._print(self.args[0])}\right)"
        return tex if exp is None else rf"{{{tex}}}^{{{exp}}}"


class _ZeroTimes(sp.Function):
    """c·f(u) that is 0 where c = 0 even where f(u) is infinite (unless u is nan): the convention
    of entropy, 0 · log 0 = 0, and of a term whose weight is exactly zero."""

    nargs = 2

    def _eval_is_real(self):
        return self.args[0].is_real


class xlogy(_ZeroTimes):  # noqa: N801
    r""":math:`c \log u`, 0 where :math:`c = 0`."""

    def _eval_rewrite_as_exp(self, c, u, **kwargs):
        return c * sp.log(u)

    @staticmethod
    def mp_eval(c, u):
        return mpmath.mpf(0) if c == 0 and not _nan(u) else c * mpmath.log(u)


class xlog1py(_ZeroTimes):  # noqa: N801
    r""":math:`c \log(1 + u)`, 0 where :math:`c = 0`."""

    def _eval_rewrite_as_exp(self, c, u, **kwargs):
        return c * sp.log(1 + u)

    @staticmethod
    def mp_eval(c, u):
        return mpmath.mpf(0) if c == 0 and not _nan(u) else c * mpmath.log1p(u)


class xdivy(_ZeroTimes):  # noqa: N801
    r""":math:`c / u`, 0 where :math:`c = 0`."""

    def _eval_rewrite_as_exp(self, c, u, **kwargs):
        return c / u

    @staticmethod
    def mp_eval(c, u):
        return mpmath.mpf(0) if c == 0 and not _nan(u) else c / u


class difference_sign(sp.Function):  # noqa: N801
    """``difference_sign(a, b)`` = sign(a − b), printed from comparisons of a and b (a − b can overflow)."""

    nargs = 2

    def _eval_rewrite_as_exp(self, a, b, **kwargs):
        return sp.sign(a - b)

    @staticmethod
    def mp_eval(a, b):
        return mpmath.sign(a - b)


class _FloatIdentity(sp.Function):
    """A class whose value is its first argument (see the module docstring for where it is not)."""

    def _eval_rewrite_as_exp(self, u, *rest, **kwargs):
        return u

    @staticmethod
    def mp_eval(u, *rest):
        return u

    def _eval_is_real(self):
        return self.args[0].is_real

    def _latex(self, printer, exp=None):
        tex = printer._print(self.args[0])
        return tex if exp is None else rf"{{{tex}}}^{{{exp}}}"


class zero_safe(_FloatIdentity):  # noqa: N801
    """``zero_safe(u, c, s)``: u, replaced by s where c = 0 (and u is not nan), inside a product c·f(u)."""

    nargs = 3


class region_safe(_FloatIdentity):  # noqa: N801
    """``region_safe(u, cond, s)``: u where ``cond`` holds, else s — inside a Piecewise branch used only
    where ``cond`` holds, so that the branch, evaluated everywhere by ``numpy.where``, stays finite."""

    nargs = 3


class clip_into(_FloatIdentity):  # noqa: N801
    """``clip_into(u, lo, hi)``: u clipped to [lo, hi], inside a Piecewise branch used only there."""

    nargs = 3


class grouped(_FloatIdentity):  # noqa: N801
    """``grouped(u)``: u, computed on its own before the sum it stands in (1 − 2y is exact, (−2y + t) + 1 not)."""

    nargs = 1


class high_part(_FloatIdentity):  # noqa: N801
    """``high_part(u)``: u rounded to a multiple of 2⁻²⁰, so that its square is exact for |u| < 64."""

    nargs = 1


class float_clip(_FloatIdentity):  # noqa: N801
    """``float_clip(u, b)``: u clipped to [−b, b], where the surrounding expression does not change."""

    nargs = 2


class finite_point(_FloatIdentity):  # noqa: N801
    """``finite_point(s, c)``: s, with ±∞ replaced by the point c (inside an :class:`at_infinity`)."""

    nargs = 2


class at_infinity(_FloatIdentity):  # noqa: N801
    """``at_infinity(f, s, minus, plus)``: f, whose values at s = −∞ and s = +∞ are ``minus`` and ``plus``
    (limits SymPy proved for the whole of f); f itself is evaluated at a finite point there."""

    nargs = 4


STABLE_FUNCTIONS = (
    erfcx,
    difference_sign,
    xlogy,
    xlog1py,
    xdivy,
    zero_safe,
    region_safe,
    clip_into,
    grouped,
    high_part,
    float_clip,
    finite_point,
    at_infinity,
)
