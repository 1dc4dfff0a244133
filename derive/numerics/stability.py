"""Numerical-stability rewrites, applied after the algebra and before printing.

The derivation works on clean textbook expressions.  Just before NumPy code
is printed, :func:`stabilise` rewrites forms that overflow, cancel or meet
∞·0 in floating point into equal forms that do not — as SymPy's own
``sympy.codegen.rewriting`` does for ``log1p``/``expm1``.  What each rewrite
buys is measured by the hostile-number sweep (``nnmath check --extreme``).

==================================  ====================================  ====================================
pattern                             rewritten to                          why
==================================  ====================================  ====================================
eᵘ/(1 + eᵘ), 1/(1 + e⁻ᵘ)            σ(u)                                  inf/inf at u ≳ 710
log σ(u)                            −softplus(−u)                         log(0) at u ≲ −37
log(1 − σ(u))                       −softplus(u)                          log(0) at u ≳ 37
1 − σ(u), σ(u) − 1                  σ(−u), −σ(−u)                         cancellation for large u
σ(z) − y                            ½(1 − 2y) + ½tanh(z/2) for            σ(z) − ½ = ½tanh(z/2) exactly;
                                    ¼ ≤ y ≤ ¾, (1 − y) − σ(−z) for        1 − y and 1 − 2y are exact there
                                    y > ¾, else σ(z) − y                  (σ(1e-300) − ½, σ(40) − 1)
1 − tanh²(u)                        4e^{−2|u|}/(1 + e^{−2|u|})²           cancels to 0 for |u| ≳ 19
σ(u) σ(−u)                          e^{−|u|}/(1 + e^{−|u|})²              e^{710} overflows in σ(−u)
eᵘ − 1, log(1 + u)                  expm1(u), log1p(u)                    cancellation near 0
c log u, c log(1 + u)               xlogy(c, u), xlog1py(c, u)            0 · log 0 = 0 (cross-entropy)
c/p (p a probability)               xdivy(c, p)                           0/0 = 0 where the target is 0
c softplus(u)                       c softplus(u, 0 where c = 0)          0 · ∞ at u = ±∞
(p − y)/(p(p − 1))                  as it is for p ∉ {0, 1}; partial      0/0 at p = y ∈ {0, 1}: the limits
                                    fractions with xdivy at p ∈ {0, 1}    1 and −1
n·a + n·b                           n·(a + b)                             2·1e308 overflows, 1e308 − 1e308 not
Φ(u), u ≤ −1                        ½ erfcx(−u/√2) e^{−u²/2}              ndtr's erfc(−u/√2) loses ~2u² ULP
e^{−u²/2}                           e^{−h²/2}(1 + expm1(−(u−h)(u+h)/2)),  u² rounds: ~u²/2 ULP (450 at u = 30);
                                    h = u rounded to 2⁻²⁰, u clipped      h² is exact, u² overflows at 1e154
                                    to ±40
branch of a Piecewise that          its arguments clipped into the        ``numpy.select``/``where`` evaluates
overflows or divides by 0 outside   branch's region (or set to a point    every branch: exp(1000), 0/0, r²
its region                          inside it)                            warn in a branch that is not used
σ(w), tanh(w), w a polynomial of     s clipped to ±b inside w, and in a    w overflows (0.045·1e308³) where σ,
degree ≥ 2 in s (GELU-tanh)          product σ(w)σ(−w)·p(s) in every       tanh are exactly 0, 1, ±1: |w| ≥ 800
                                     factor                                beyond b
f(s) at s = ±∞ where it meets       at_infinity(f, s, lim₋, lim₊): the    ∞/∞, ∞·0, ∞ − ∞ = nan; softsign(∞)
∞/∞, ∞·0 or ∞ − ∞                    limits of the whole f, proven by      is 1, silu(−∞) is 0
                                     SymPy (:func:`proven_limit`)
==================================  ====================================  ====================================

Every rewrite is an identity; the tests check ``simplify(expr − stabilise(expr)) == 0``
(the classes of :mod:`derive.numerics.stable_functions` rewrite to their meaning).  Rules that change no
formula live with the printer (:func:`derive.numerics.codegen.lower` and the print rules): sign(a − b) and
|a − b| ≤ c as comparisons of a and b, because a − b overflows (1e308 − (−1e308)); σ and softplus in
forms that neither overflow nor flush to 0; e^{−n|u|} as (e^{−|u|})ⁿ; softmax-like formulas in the
accurate ½ log p, p and 1 − p of a generated helper (:func:`derive.numerics.codegen.softmax_form`).
"""

from __future__ import annotations

import math
from functools import cache

import sympy as sp
from sympy.codegen.cfunctions import expm1, log1p
from sympy.codegen.rewriting import expm1_opt, log1p_opt, optimize
from sympy.core.function import PoleError
from sympy.series.gruntz import gruntz

from derive.calculus.functions import normal_cdf, sigmoid, softplus, textbook
from derive.numerics.stable_functions import (
    at_infinity,
    clip_into,
    erfcx,
    finite_point,
    float_clip,
    grouped,
    high_part,
    region_safe,
    xdivy,
    xlog1py,
    xlogy,
    zero_safe,
)


def _sigmoid_ratio(expr: sp.Expr) -> sp.Expr:
    """e^u/(1 + e^u) → σ(u) and 1/(1 + e^{−u}) → σ(u): the sigmoid written out by hand."""

    def one_plus_exp(f) -> sp.Expr | None:
        if isinstance(f, sp.Pow) and f.exp == -1 and isinstance(f.base, sp.Add) and len(f.base.args) == 2:
            if sp.S.One in f.base.args:
                (other,) = [a for a in f.base.args if a is not sp.S.One]
                if isinstance(other, sp.exp):
                    return other.args[0]
        return None

    def match(e) -> bool:
        return any(one_plus_exp(f) is not None for f in sp.Mul.make_args(e))

    def rewrite(e):
        factors = list(sp.Mul.make_args(e))
        (den,) = [f for f in factors if one_plus_exp(f) is not None][:1]
        u = one_plus_exp(den)
        factors.remove(den)
        if sp.exp(u) in factors:
            factors.remove(sp.exp(u))
            return sp.Mul(sigmoid(u), *factors)
        return sp.Mul(sigmoid(-u), *factors)

    return expr.replace(match, rewrite)


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
    """1 − σ(u) → σ(−u) and σ(u) − 1 → −σ(−u)."""

    def pair(e) -> tuple[sp.Expr, sp.Expr, int] | None:
        if not isinstance(e, sp.Add):
            return None
        for one, sign in ((sp.S.One, -1), (sp.S.NegativeOne, 1)):
            if one in e.args:
                for a in e.args:
                    if isinstance(sign * a, sigmoid):
                        return one, a, sign
        return None

    def rewrite(e):
        one, term, sign = pair(e)
        rest = list(e.args)
        rest.remove(one)
        rest.remove(term)
        return sp.Add(-sign * sigmoid(-(sign * term).args[0]), *rest)

    return expr.replace(lambda e: pair(e) is not None, rewrite)


def _sigmoid_minus_target(expr: sp.Expr) -> sp.Expr:
    """σ(z) − y (y a symbol) → three exact-as-possible forms by the size of y (see the table)."""

    def parts(e) -> tuple[sp.Expr, sp.Symbol] | None:
        if not isinstance(e, sp.Add) or len(e.args) != 2:
            return None
        sig = [a for a in e.args if isinstance(a, sigmoid)]
        tgt = [a for a in e.args if isinstance(-a, sp.Symbol)]
        if len(sig) == 1 and len(tgt) == 1 and not (-tgt[0]).free_symbols & sig[0].free_symbols:
            return sig[0].args[0], -tgt[0]
        return None

    def rewrite(e):
        z, y = parts(e)
        half = sp.S.Half
        return sp.Piecewise(
            (half * grouped(1 - 2 * y) + half * sp.tanh(z / 2), sp.And(y >= half / 2, y <= 3 * half / 2)),
            (grouped(1 - y) - sigmoid(-z), y > 3 * half / 2),
            (sigmoid(z) - y, True),
        )

    return expr.replace(lambda e: parts(e) is not None, rewrite)


def _sech_squared(expr: sp.Expr) -> sp.Expr:
    """1 − tanh²(u) → 4e^{−2|u|}/(1 + e^{−2|u|})²; inside a product as e^{−2|u|}/((1 + e^{−2|u|})/2)², without
    the factor 4, which would overflow 4·x at x = 1e308 before the factor that is 0 there
    (mish' = … + x σ(x)(1 − tanh² softplus(x))); halving is exact, so the value is the same."""

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
        sech2 = 4 * t / (1 + t) ** 2 if e == expr else t / grouped((1 + t) / 2) ** 2
        return sp.Add(sech2, *rest)

    return expr.replace(match, rewrite)


def _sign_times(expr: sp.Expr) -> sp.Expr:
    """u·sign(u) → |u| (softsign' = 1/(1 + |x|) − x sign(x)/(1 + |x|)², as ``sympy.diff`` writes it)."""

    def match(e) -> bool:
        return isinstance(e, sp.Mul) and any(isinstance(f, sp.sign) and f.args[0] in e.args for f in e.args)

    def rewrite(e):
        (sign,) = [f for f in e.args if isinstance(f, sp.sign) and f.args[0] in e.args][:1]
        rest = list(e.args)
        rest.remove(sign)
        rest.remove(sign.args[0])
        return sp.Mul(sp.Abs(sign.args[0]), *rest)

    return expr.replace(match, rewrite)


def _cancelling_fractions(expr: sp.Expr) -> sp.Expr:
    """a/tᵏ + b/tʲ over one denominator where the numerators cancel: 1/(1 + |x|) − |x|/(1 + |x|)² =
    1/(1 + |x|)², which as a difference loses ~|x| ULP (20 at x = 40) and overflows in (1 + |x|)² at 1e308."""

    def match(e) -> bool:
        if not isinstance(e, sp.Add) or len(e.args) < 2:
            return False
        bases = {f.base for t in e.args for f in sp.Mul.make_args(t) if isinstance(f, sp.Pow) and f.exp.is_negative}
        return len(bases) == 1 and sp.count_ops(sp.together(e)) < sp.count_ops(e)

    return expr.replace(match, sp.together)


def _sigmoid_product(expr: sp.Expr) -> sp.Expr:
    """σ(u) σ(−u) → e^{−|u|}/(1 + e^{−|u|})²: neither factor can overflow or flush."""

    def pair(e) -> tuple[sigmoid, sigmoid] | None:
        if not isinstance(e, sp.Mul):
            return None
        sigs = [f for f in e.args if isinstance(f, sigmoid)]
        for a in sigs:
            for b in sigs:
                if a is not b and sp.expand(a.args[0] + b.args[0]) == 0:
                    return a, b
        return None

    def rewrite(e):
        a, b = pair(e)
        rest = list(e.args)
        rest.remove(a)
        rest.remove(b)
        t = sp.exp(-sp.Abs(a.args[0]))
        return sp.Mul(t / (1 + t) ** 2, *rest)

    return expr.replace(lambda e: pair(e) is not None, rewrite)


def _zero_annihilates(expr: sp.Expr) -> sp.Expr:
    """c·log u → xlogy(c, u), c·log1p(u) → xlog1py(c, u), c/p → xdivy(c, p) for a probability p,
    c·softplus(u) → c·softplus(zero_safe(u, c, 0)): where the weight c is exactly 0 the term is 0."""

    def split(e: sp.Mul, f: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
        rest = [g for g in e.args if g is not f]
        number = sp.Mul(*[g for g in rest if g.is_number])
        c = sp.Mul(*[g for g in rest if not g.is_number])
        inner = f.args[0] if not isinstance(f, sp.Pow) else f.base
        if c is sp.S.One or c.free_symbols & inner.free_symbols or not c.free_symbols or c.is_positive:
            return None
        return number, c

    def target(e, top: bool = False) -> sp.Expr | None:
        if not isinstance(e, sp.Mul):
            return None
        for f in e.args:
            if isinstance(f, (sp.log, log1p, softplus)) and split(e, f):
                return f
            if (
                top
                and isinstance(f, sp.Pow)
                and f.exp == -1
                and isinstance(f.base, sp.Symbol)
                and f.base.is_positive
                and split(e, f)
                and isinstance(split(e, f)[1], sp.Symbol)
            ):
                return f
        return None

    def rewrite_top(e):
        f = target(e, top=True)
        number, c = split(e, f)
        return number * xdivy(c, f.base)

    def rewrite(e):
        f = target(e)
        number, c = split(e, f)
        if isinstance(f, sp.log):
            return number * xlogy(c, f.args[0])
        if isinstance(f, log1p):
            return number * xlog1py(c, f.args[0])
        if isinstance(f, softplus):
            return number * c * softplus(zero_safe(f.args[0], c, sp.S.Zero))
        return number * xdivy(c, f.base)

    expr = expr.replace(lambda e: target(e) is not None, rewrite)
    # c/p only as a term of its own (−y/p, the cross-entropy gradient), not inside a function's argument
    tops = {t: rewrite_top(t) for t in sp.Add.make_args(expr) if target(t, top=True) is not None}
    return expr.xreplace(tops) if tops else expr


def _probability_poles(expr: sp.Expr) -> sp.Expr:
    """A rational function of a probability p with poles at 0 and 1, e.g. (p − y)/(p(p − 1)): as it
    is, except at the poles, where p = y gives 0/0: there as partial fractions with xdivy."""

    def prob(e) -> sp.Symbol | None:
        if not isinstance(e, sp.Mul) or e.has(sp.Piecewise, xdivy):
            return None
        num, den = sp.fraction(sp.together(e))
        for p in den.free_symbols:
            if not (isinstance(p, sp.Symbol) and p.is_positive and den.is_polynomial(p)):
                continue
            roots = sp.roots(sp.Poly(den, p))
            if set(roots) == {0, 1} and num.has(p) and num.is_polynomial(p) and num.free_symbols - {p}:
                return p
        return None

    def rewrite(e):
        p = prob(e)
        den = sp.fraction(sp.together(e))[1]
        terms = []
        for t in sp.Add.make_args(sp.apart(e, p)):
            n, d = sp.fraction(t)
            const, pole = d.as_independent(p, as_Add=False)
            if pole.subs(p, sp.S.Half).is_negative:  # 1 − p, not p − 1: the limit from inside has the sign of +0
                const, pole = -const, sp.expand(-pole)
            terms.append(xdivy(sp.expand(n / const), pole))
        return sp.Piecewise((sp.Add(*terms), sp.Eq(den, 0)), (e, True))

    return expr.replace(lambda e: prob(e) is not None, rewrite)


def _common_factor(expr: sp.Expr) -> sp.Expr:
    """n·a + n·b → n·(a + b) for a common number n ≠ ±1 (2·pred − 2·target overflows, 2·(pred − target) not)."""

    def match(e) -> bool:
        if not isinstance(e, sp.Add) or len(e.args) < 2:
            return False
        if any(a.is_number for a in e.args):
            return False
        coeffs = [abs(a.as_coeff_Mul()[0]) for a in e.args]
        return all(c.is_Rational for c in coeffs) and len(set(coeffs)) == 1 and coeffs[0] != 1 and coeffs[0] != 0

    def rewrite(e):
        n = abs(e.args[0].as_coeff_Mul()[0])
        return n * grouped(sp.Add(*[a / n for a in e.args]))

    def scaled_sum(e) -> bool:  # n·(a + b) as SymPy keeps it until something rebuilds it
        if not isinstance(e, sp.Mul) or len(e.args) != 2:
            return False
        n, rest = e.as_coeff_Mul()
        return n.is_Integer and abs(n) >= 2 and isinstance(rest, sp.Add) and not any(a.is_number for a in rest.args)

    expr = expr.replace(scaled_sum, lambda e: e.as_coeff_Mul()[0] * grouped(e.as_coeff_Mul()[1]))
    return expr.replace(match, rewrite)


def _normal_tail(expr: sp.Expr) -> sp.Expr:
    """Φ(u) for −40 < u ≤ −1 in the Mills-ratio form ½ erfcx(−u/√2) e^{−u²/2} (Φ(u) < 1e-349 below −40)."""

    def rewrite(e):
        u = e.args[0]
        tail = erfcx(-u / sp.sqrt(2)) * sp.exp(-(u**2) / 2) / 2
        return sp.Piecewise((e, u > -1), (tail, u > -40), (e, True))

    return expr.replace(lambda e: isinstance(e, normal_cdf), rewrite)


def _gaussian(expr: sp.Expr) -> sp.Expr:
    """e^{−u²/2} → e^{−h²/2}(1 + expm1(−(v − h)(v + h)/2)), v = u clipped to ±40, h = v rounded to 2⁻²⁰."""

    def arg(e) -> sp.Expr | None:
        if isinstance(e, sp.exp) and isinstance(e.args[0], sp.Mul):
            c, rest = e.args[0].as_coeff_Mul()
            if c == -sp.S.Half and isinstance(rest, sp.Pow) and rest.exp == 2:
                return rest.base
        return None

    def bounded(u: sp.Expr) -> bool:
        if isinstance(u, clip_into):
            return all(abs(b) <= 40 for b in u.args[1:])
        ends = [u.subs({s: side * sp.oo for s in u.free_symbols}) for side in (1, -1)]
        return all(end.is_number and end.is_finite and abs(end) <= 40 for end in ends)

    def rewrite(e):
        v = arg(e) if bounded(arg(e)) else float_clip(arg(e), 40)
        h = high_part(v)
        return sp.exp(-(h**2) / 2) * (1 + expm1(-(v - h) * (v + h) / 2))

    return expr.replace(lambda e: arg(e) is not None, rewrite)


def _risky(e: sp.Expr) -> bool:
    """Can overflow, divide by zero or take log 0 outside the region where it is used."""
    if e.has(sp.exp, sp.log, expm1, log1p, erfcx):
        return True
    if any(sum(not t.is_number for t in a.args) > 1 for a in e.atoms(sp.Add) | ({e} if e.is_Add else set())):
        return True  # a − b overflows (1e308 − (−1e308))
    return any((p.exp.is_negative and p.base.free_symbols) or (p.exp.is_number and p.exp > 1) for p in e.atoms(sp.Pow))


def _guard_branch(value: sp.Expr, region: sp.Boolean, params: set) -> sp.Expr:
    """``value`` with its arguments kept inside ``region`` (where it is used): clipped to the region's
    closure for a single symbol (Max/Min), else each symbol set to a point of the region where not in it."""
    symbols = region.free_symbols - params
    if len(symbols) == 1:
        (s,) = symbols
        try:
            where = region.as_set()
        except (NotImplementedError, TypeError, ValueError):
            where = None
        if isinstance(where, sp.Set) and (s.is_positive or s.is_nonnegative):
            where = where.intersect(sp.Interval(0, sp.oo, left_open=bool(s.is_positive)))
        if isinstance(where, sp.Union):  # e.g. p ≠ 0, 1: a point inside its first bounded piece
            pieces = [i for i in where.args if isinstance(i, sp.Interval) and i.inf.is_finite and i.sup.is_finite]
            if pieces and _finite_at(value, {s: (pieces[0].inf + pieces[0].sup) / 2}):
                return value.xreplace({s: region_safe(s, region, (pieces[0].inf + pieces[0].sup) / 2)})
        if isinstance(where, sp.Interval):
            lo, hi = where.inf, where.sup
            singular = value.has(sp.log, log1p) or any(p.exp.is_negative and p.base.has(s) for p in value.atoms(sp.Pow))
            if singular and ((where.left_open and lo.is_finite) or (where.right_open and hi.is_finite)):
                inside = (lo + hi) / 2 if lo.is_finite and hi.is_finite else lo + 1 if lo.is_finite else hi - 1
                return value.xreplace({s: region_safe(s, region, inside)})
            if lo.is_finite and hi.is_finite:
                return value.xreplace({s: clip_into(s, lo, hi)})
            clipped = sp.Max(s, lo) if lo.is_finite else sp.Min(s, hi) if hi.is_finite else s
            return value.xreplace({s: clipped})
    zeros = {s: sp.S.Zero for s in symbols}
    if len(symbols) > 1 and region.xreplace(zeros) is sp.true and _finite_at(value, zeros):
        return value.xreplace({s: region_safe(s, region, sp.S.Zero) for s in symbols})
    return value


def _finite_at(value: sp.Expr, point: dict) -> bool:
    """``value`` is finite at ``point`` (its positive parameters left symbolic)."""
    at = textbook(value).xreplace(point)
    return not at.has(sp.zoo, sp.oo, -sp.oo, sp.nan) and at.is_finite is not False


def _clip_piecewise(expr: sp.Expr) -> sp.Expr:
    """Keep every risky branch's arguments inside the region where the branch is used."""

    def guard(pw: sp.Piecewise) -> sp.Expr:
        if pw.args[-1].cond is not sp.true:
            return pw
        params = {s for s in pw.free_symbols if s.is_positive and s.name in ("alpha", "delta", "lam")}
        earlier, out = sp.false, []
        for value, cond in pw.args:
            region = sp.And(cond, sp.Not(earlier)) if earlier is not sp.false else cond
            earlier = sp.Or(earlier, cond)
            if _risky(value) and region is not sp.true and region.free_symbols:
                value = _guard_branch(value, region, params)
            out.append((value, cond))
        return sp.Piecewise(*out)

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), guard)


SATURATED = 800  # |w| beyond which σ(w) and tanh(w) are exactly 0, 1 or ±1 in double (e^{−745.2} < 2⁻¹⁰⁷⁵)


def _variable(expr: sp.Expr) -> sp.Symbol | None:
    """The one real variable of ``expr`` (its positive symbols are parameters), or ``None``."""
    free = [s for s in expr.free_symbols if not s.is_positive]
    return free[0] if len(free) == 1 and free[0].is_real else None


def _saturation_bound(w: sp.Expr, s: sp.Symbol) -> int | None:
    """An integer b ≥ 1 with |w(s)| ≥ 800 for all |s| ≥ b, for a polynomial w of degree ≥ 2 in s whose terms
    have one sign for s > 0 and one for s < 0 (so |w(s)| ≥ |a_k s^k| for each term a_k s^k); else ``None``."""
    if not w.is_polynomial(s) or sp.degree(w, s) < 2:
        return None
    terms = sp.Poly(w, s).terms()
    for side in (1, -1):
        values = [a * side**k for (k,), a in terms]
        if not (all(v.is_positive for v in values) or all(v.is_negative for v in values)):
            return None
    bounds = [(SATURATED / abs(float(a))) ** (1 / k) for (k,), a in terms if a.is_number and k >= 1]
    return max(1, math.ceil(min(bounds))) if bounds else None


def _saturated_polynomials(expr: sp.Expr) -> sp.Expr:
    """σ(w) and tanh(w) with w a polynomial of degree ≥ 2 in s: s → float_clip(s, b) inside w, b from
    :func:`_saturation_bound`; in a product with σ(w)σ(−w), which vanishes on both sides, in every factor.

    Beyond b, σ(±w) and tanh(w) are exactly 0, 1 or ±1 in double either way, and a product σ(w)σ(−w)·p(s)
    with polynomial co-factors p is below 2⁻¹⁰⁷⁵ (e^{−800} outweighs them) and computed as 0 · finite;
    without the clip, w overflows (κx³ at x = 1e308) and σ(w)σ(−w)·x³ is ∞ · 0.
    """
    s = _variable(expr)
    bounds = {f: _saturation_bound(f.args[0], s) for f in expr.atoms(sigmoid, sp.tanh) if s is not None}
    saturating = {f for f, b in bounds.items() if b is not None}
    if not saturating:
        return expr
    clipped = {s: float_clip(s, max(bounds[f] for f in saturating))}

    def vanishes(term: sp.Expr) -> bool:
        args = [f.args[0] for f in sp.Mul.make_args(term) if isinstance(f, sigmoid)]
        return any(sp.expand(a + b) == 0 for a in args for b in args)

    def clip(term: sp.Expr) -> sp.Expr:
        if vanishes(term):
            return term.xreplace(clipped)
        return term.replace(lambda f: f in saturating, lambda f: f.xreplace(clipped))

    return sp.Add(*[clip(t) for t in sp.Add.make_args(sp.expand(expr, deep=False))])


@cache
def proven_limit(expr: sp.Expr, s: sp.Symbol, side: int) -> sp.Expr | None:
    """lim f(s) for s → side·∞, when SymPy proves it: Gruntz's algorithm (a decision procedure for exp-log
    functions) and ``sympy.limit`` of f over one denominator agree on a constant, ±∞ or an expression in the
    positive parameters.  ``None`` otherwise — ``sympy.limit`` alone gives 0 for silu' = σ(x)(1 + x(1 − σ(x)))
    at +∞, whose limit is 1 (SymPy 1.14), so no single answer is taken on trust."""
    e = textbook(expr)
    try:
        first = gruntz(e, s, side * sp.oo)
        second = sp.limit(sp.together(e), s, side * sp.oo)
    except (NotImplementedError, PoleError, ValueError, TypeError, AttributeError, RecursionError, ZeroDivisionError):
        return None  # SymPy found no limit: none is proven
    return first if _definite(first) and _definite(second) and _same(first, second) else None


def _definite(v: sp.Expr) -> bool:
    """An extended real number (±∞ included), possibly in positive parameters: no nan, no ±∞ in a sum or
    product, no unevaluated function, limit or interval."""
    if v in (sp.oo, sp.S.NegativeInfinity):
        return True
    if v.has(sp.nan, sp.zoo, sp.oo, sp.S.NegativeInfinity, sp.AccumBounds, sp.Limit, sp.Piecewise):
        return False
    if v.atoms(sp.Function) - v.atoms(sp.exp, sp.log, sp.erf, sp.erfc, sp.tanh, sp.Abs):
        return False
    return all(p.is_positive for p in v.free_symbols) and v.is_extended_real is True


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    if a in (sp.oo, sp.S.NegativeInfinity) or b in (sp.oo, sp.S.NegativeInfinity):
        return a == b
    return sp.simplify(a - b) == 0


def _limits_at_infinity(clean: sp.Expr, expr: sp.Expr) -> sp.Expr:
    """``expr`` (the stabilised ``clean``) as at_infinity(expr at a finite point, s, f(−∞), f(+∞)) where
    ``clean`` at s = ±∞ meets ∞/∞, ∞·0 or ∞ − ∞ (SymPy's ∞ arithmetic gives nan there, as floating point does).

    At such a side f(±∞) is the limit of the whole of ``clean``, proven by :func:`proven_limit` — never
    inferred factor by factor: x/(1 + |x|) is ∞·0 factor by factor but tends to ±1.  The other side keeps the
    value SymPy gives ``clean`` there (x·σ(x) is ∞ at +∞).  Without a proof, ``expr`` is left as it is (and
    the extreme-value sweep reports it).
    """
    s = _variable(clean)
    if s is None:
        return expr
    ends = [clean.subs(s, side * sp.oo) for side in (-1, 1)]
    if not any(end.has(sp.nan) for end in ends):  # (log 0 = zoo is −∞ in floating point, and no limit needed)
        return expr
    ends = [end if _definite(end) else proven_limit(clean, s, side) for end, side in zip(ends, (-1, 1))]
    point = next((c for c in (sp.S.Zero, sp.S.One, sp.S.NegativeOne) if _finite_at(expr, {s: c})), None)
    if None in ends or point is None:
        return expr
    return at_infinity(expr.xreplace({s: finite_point(s, point)}), s, *ends)


def stabilise(expr: sp.Expr) -> sp.Expr:
    """An equal expression that is finite wherever the exact value is."""
    clean = expr  # the limits at ±∞ are taken of the expression as derived
    expr = _sigmoid_ratio(expr)
    expr = _log_sigmoid(expr)
    expr = _one_minus_sigmoid(expr)
    expr = _sigmoid_minus_target(expr)
    expr = _saturated_polynomials(expr)  # after 1 − σ(w) became σ(−w): it finds σ(w)σ(−w)
    expr = optimize(expr, [expm1_opt, log1p_opt])
    expr = _sech_squared(expr)  # after optimize, which would turn e^{-2|u|} back into e^{2|u|}
    expr = _sigmoid_product(expr)
    expr = _cancelling_fractions(_sign_times(expr))
    expr = _zero_annihilates(expr)
    expr = _probability_poles(expr)
    expr = _common_factor(expr)
    expr = _normal_tail(expr)
    expr = _clip_piecewise(expr)
    expr = _gaussian(expr)  # after the clipping: a clipped argument needs no float_clip
    return _limits_at_infinity(clean, expr)  # last: it checks the form that is printed
