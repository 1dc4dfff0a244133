"""The arbitrary-precision reference of the extreme-value sweep, and errors in units in the last place.

A SymPy expression of the derivation (a definition or a gradient, *not* the
stabilised form the NumPy code is printed from) is evaluated by mpmath, node by
node; nnmath's function classes evaluate through their own ``mp_eval`` (the
same mpmath definition SymPy's ``evalf`` uses).  Rules:

* **precision** — the working precision grows with the size of the inputs:
  40 + |x|/2 digits for |x| ≤ 2000, so that cancellations such as
  1 − σ(710) ≈ 4e-309 keep 50 correct digits; 60 + log₁₀|x| beyond, where
  e^{−|x|} < 10^{−868} rounds to an exact 0 at that precision and only the
  digits of x itself matter (LSE(1e308, 1e308, 1e308) − 1e308 = log 3);
  20 + 2·log₁₀(1/|x|) for |x| < 1 (e^{1e-300} − 1, log(1 − 1e-300));
  every value is computed twice, the second time 25 digits finer, and both
  must round to the same double and agree to 40 digits (else the precision
  doubles: 1 − tanh²(30) loses 26 digits);
* **±∞ input** — the limit: the expression at ±10⁷⁰⁰ and at ±10⁷¹⁰ (so far
  beyond the largest double that even 5e-324·x rounds to ∞) must round to the same
  double; with two or more infinite inputs also with their
  magnitudes in the other order (so mse(∞, ∞) and softmax(∞, ∞, 0), whose
  limits depend on the path, are undefined: nan);
* **nan input** — nan wherever the expression depends on that input;
* **1 − σ(u)** — evaluated as σ(−u) (as mpmath evaluates 1 − erf as erfc):
  no precision resolves 1 − σ(1e308) = e^{−1e308}, whose log is −1e308;
* **a finite singular point** (log 0, 0/0 at p = 0 or 1) — an exact zero
  factor annihilates an infinity that does not depend on it (0·log 0 = 0 in
  cross-entropy, the xlogy convention); anything else (1/p at p = 0) is the
  one-sided limit from inside the domain, by ``sympy.limit``.

ULP error of a double ``c`` against the exact value ``r``: |c − r| / ulp(r̂)
with r̂ the correctly rounded double of r and ulp(r̂) = ``numpy.spacing(|r̂|)``,
the gap to the next double away from zero: 2⁻¹⁰⁷⁴ for r̂ = 0 and for
subnormals (an absolute error), 2⁹⁷¹ at the largest double (where
``numpy.spacing`` overflows).  +0 and −0 are equal.  A correctly rounded
result has error ≤ 0.5.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

import mpmath
import sympy as sp

from derive.calculus.functions import CUSTOM_FUNCTIONS, mp_exp, sigmoid, textbook

INFINITY_EXPONENTS = (700, 710)  # ±∞ becomes ±10^700 and ±10^710
BASE_DIGITS = 40
CANCELLING = 2000.0  # below this |x|, e^{-|x|} can survive a cancellation into a double
CHECK_DIGITS = 25
AGREE_DIGITS = 40
MAX_DIGITS = 5000
SMALLEST = math.ldexp(1.0, -1074)
KNOWN_POINTS = 8192
_KNOWN: dict[tuple, dict] = {}  # (digits, point) -> the values known there (see _values_at)


class Singular(ArithmeticError):
    """0/0, ∞ − ∞ or 0·∞ of dependent factors: the value is a limit."""


class ReferenceFailed(RuntimeError):
    """The reference could not be computed to 50 digits (a bug in the sweep, not in the code)."""


# --- mpmath evaluation of a SymPy expression --------------------------------------------------


def _is_nan(v) -> bool:
    return mpmath.isnan(v)


def _relational(expr: sp.Basic, env: dict) -> bool | mpmath.mpf:
    """A condition: True/False, or nan when it compares a nan."""
    if expr is sp.true or expr is sp.false:
        return bool(expr)
    if isinstance(expr, (sp.And, sp.Or)):
        parts = [_relational(a, env) for a in expr.args]
        if any(not isinstance(p, bool) for p in parts):
            return mpmath.nan
        return all(parts) if isinstance(expr, sp.And) else any(parts)
    if isinstance(expr, sp.Not):
        inner = _relational(expr.args[0], env)
        return inner if not isinstance(inner, bool) else not inner
    lhs, rhs = evaluate(expr.lhs, env), evaluate(expr.rhs, env)
    if _is_nan(lhs) or _is_nan(rhs):
        return mpmath.nan
    ops: dict[type, Callable] = {
        sp.StrictGreaterThan: lambda a, b: a > b,
        sp.GreaterThan: lambda a, b: a >= b,
        sp.StrictLessThan: lambda a, b: a < b,
        sp.LessThan: lambda a, b: a <= b,
        sp.Eq: lambda a, b: a == b,
        sp.Ne: lambda a, b: a != b,
    }
    return bool(ops[type(expr)](lhs, rhs))


def _mul(expr: sp.Mul, env: dict) -> mpmath.mpf:
    values: list = []
    for f in expr.args:
        try:
            values.append(evaluate(f, env))
        except Singular:
            values.append(None)
    if any(v is not None and _is_nan(v) for v in values):
        return mpmath.nan
    zeros = [f for f, v in zip(expr.args, values) if v is not None and v == 0]
    wild = [f for f, v in zip(expr.args, values) if v is None or mpmath.isinf(v)]
    if zeros and wild:  # 0·∞: zero only when the zero does not depend on what is infinite
        if set().union(*(z.free_symbols for z in zeros)) & set().union(*(w.free_symbols for w in wild)):
            raise Singular(str(expr))
        return mpmath.mpf(0)
    if wild and any(v is None for v in values):
        raise Singular(str(expr))
    return mpmath.fprod(values)


@functools.lru_cache(maxsize=4096)
def _complement_sigmoid(expr: sp.Add) -> sp.Expr:
    """1 − σ(u) as σ(−u), σ(u) − 1 as −σ(−u): the one cancellation no precision can resolve
    (1 − σ(1e308) = e^{−1e308}), evaluated the way mpmath evaluates 1 − erf(u) as erfc(u).  Remembered: the sweep
    evaluates each expression at hundreds of points."""
    terms = list(expr.args)
    for one, sign in ((sp.S.One, -1), (sp.S.NegativeOne, 1)):
        match = [t for t in terms if isinstance(sign * t, sigmoid)]
        if one in terms and match:
            terms.remove(one)
            terms.remove(match[0])
            return sp.Add(-sign * sigmoid(-(sign * match[0]).args[0]), *terms, evaluate=False)
    return expr


def _add(expr: sp.Add, env: dict) -> mpmath.mpf:
    expr = _complement_sigmoid(expr)
    if not isinstance(expr, sp.Add):
        return evaluate(expr, env)
    values = [evaluate(a, env) for a in expr.args]
    if any(_is_nan(v) for v in values):
        return mpmath.nan
    if any(v == mpmath.inf for v in values) and any(v == -mpmath.inf for v in values):
        raise Singular(str(expr))
    return mpmath.fsum(values)


def _pow(expr: sp.Pow, env: dict) -> mpmath.mpf:
    base, exp = evaluate(expr.base, env), evaluate(expr.exp, env)
    if _is_nan(base) or _is_nan(exp):
        return mpmath.nan
    if base == 0 and exp < 0:
        raise Singular(str(expr))
    if exp == mpmath.mpf(1) / 2:
        return mpmath.sqrt(base)
    return mpmath.power(base, exp)


def _real(v) -> mpmath.mpf:
    """A real result; a complex one (log of a negative) is outside the domain: nan."""
    return v if isinstance(v, mpmath.mpf) else mpmath.nan


def _log(v: mpmath.mpf) -> mpmath.mpf:
    if _is_nan(v) or v < 0:
        return mpmath.nan
    return mpmath.log(v)  # log 0 = -inf


def _minmax(pick: Callable) -> Callable:
    def run(*vs):
        return mpmath.nan if any(_is_nan(v) for v in vs) else pick(vs)

    return run


_FUNCTIONS: dict[type, Callable] = {
    sp.exp: mp_exp,
    sp.log: _log,
    sp.tanh: mpmath.tanh,
    sp.erf: mpmath.erf,
    sp.erfc: mpmath.erfc,
    sp.Abs: mpmath.fabs,
    sp.sign: lambda v: v if _is_nan(v) else mpmath.sign(v),
    sp.Max: _minmax(max),
    sp.Min: _minmax(min),
    sp.Heaviside: lambda v: v if _is_nan(v) else mpmath.mpf(1 if v > 0 else 0 if v < 0 else 0.5),
}


def evaluate(expr: sp.Basic, env: dict[sp.Basic, mpmath.mpf]) -> mpmath.mpf:
    """``expr`` at the point ``env`` (symbol -> mpf), in mpmath at the current working precision.

    The value of every subexpression is added to ``env``, so that a subexpression that occurs more than once (σ(x)
    in σ'(x) = σ(x)(1 − σ(x))) is evaluated once: pass a fresh copy of the point for each precision."""
    if isinstance(expr, sp.Symbol):
        return env[expr]
    known = env.get(expr)
    if known is not None:
        return known
    value = env[expr] = _evaluate(expr, env)
    return value


def _evaluate(expr: sp.Basic, env: dict[sp.Basic, mpmath.mpf]) -> mpmath.mpf:
    """``expr`` (not a symbol) at the point ``env``: :func:`evaluate`'s work."""
    if expr.is_Number or isinstance(expr, sp.NumberSymbol):
        return mpmath.mpf(expr._to_mpmath(mpmath.mp.prec))
    if isinstance(expr, sp.Add):
        return _add(expr, env)
    if isinstance(expr, sp.Mul):
        return _mul(expr, env)
    if isinstance(expr, sp.Pow):
        return _pow(expr, env)
    if isinstance(expr, sp.Piecewise):
        for value, cond in expr.args:
            holds = _relational(cond, env)
            if not isinstance(holds, bool):
                return mpmath.nan
            if holds:
                return evaluate(value, env)
        return mpmath.nan  # no branch applies: undefined
    args = [evaluate(a, env) for a in expr.args]
    if isinstance(expr, CUSTOM_FUNCTIONS):
        return mpmath.nan if any(_is_nan(a) for a in args) else _real(expr.mp_eval(*args))
    for cls, f in _FUNCTIONS.items():
        if isinstance(expr, cls):
            return _real(f(*args))
    raise ReferenceFailed(f"no mpmath rule for {type(expr).__name__} in {expr}")


# --- rounding and ULPs --------------------------------------------------------------------------


def nearest_double(v: mpmath.mpf) -> float:
    """``v`` correctly rounded to float64 (ties to even), subnormals and overflow to ±inf included.

    On the bits of ``v`` = (−1)^sign · man · 2^exp: n = man · 2^(exp − q) rounded to an integer, ties to even,
    at the spacing 2^q of doubles at ``v`` (the sweep rounds every reference several times)."""
    bits = getattr(v, "_mpf_", None)
    if bits is not None and bits[1]:  # a nonzero finite mpf
        sign, man, exp, bc = bits
        e = exp + bc  # v = m·2^e, 1/2 ≤ |m| < 1
        if e > 1025:
            return -math.inf if sign else math.inf
        q = max(e, -1021) - 53  # the spacing of doubles at v (subnormals: 2^-1074)
        shift = q - exp
        if shift <= 0:
            n = int(man) << -shift
        elif shift > bc:  # |v| < 2^(q−1): rounds to 0
            n = 0
        else:
            n, rest, half = int(man) >> shift, int(man) & ((1 << shift) - 1), 1 << (shift - 1)
            n += rest > half or (rest == half and n & 1)
        try:
            return math.ldexp(-n if sign else n, q)
        except OverflowError:
            return -math.inf if sign else math.inf
    return _nearest_double(v)


def _nearest_double(v: mpmath.mpf) -> float:
    """:func:`nearest_double` through mpmath's own functions (zero, ±∞, nan)."""
    if _is_nan(v):
        return math.nan
    if mpmath.isinf(v):
        return math.inf if v > 0 else -math.inf
    if v == 0:
        return 0.0
    _, e = mpmath.frexp(v)  # v = m·2^e, 1/2 ≤ |m| < 1
    if e > 1025:
        return math.copysign(math.inf, v)
    q = max(int(e), -1021) - 53  # the spacing of doubles at v (subnormals: 2^-1074)
    n = int(mpmath.nint(mpmath.ldexp(v, -q)))
    try:
        return math.ldexp(n, q)
    except OverflowError:
        return math.copysign(math.inf, v)


def ulp(r: float) -> float:
    """Gap from |r| to the next double away from zero (``numpy.spacing``); 2⁻¹⁰⁷⁴ at 0."""
    if r == 0:
        return SMALLEST
    return math.ldexp(1.0, max(math.frexp(r)[1], -1021) - 53)


def ulp_error(computed: float, exact: mpmath.mpf) -> float:
    """|computed − exact| / ulp(exact rounded), rounded up to a float; 0 for equal infinities."""
    rounded = nearest_double(exact)
    if math.isinf(rounded) or math.isinf(computed):
        return 0.0 if computed == rounded else math.inf
    with mpmath.workdps(60):
        err = abs(mpmath.mpf(computed) - exact) / ulp(rounded)
    return float(err) * (1 + 2**-50)


# --- the reference at one point -----------------------------------------------------------------


def _digits(point: dict[sp.Symbol, float]) -> int:
    """Working precision for ``point`` (see the module docstring)."""
    extra = 0
    for v in point.values():
        a = abs(v)
        if math.isnan(a) or a == 0:
            continue
        if a < 1:
            extra = max(extra, 20 - 2 * int(math.log10(a)))
        elif a <= CANCELLING:
            extra = max(extra, int(a / 2))
        else:
            extra = max(extra, 20 + (INFINITY_EXPONENTS[1] if math.isinf(a) else int(math.log10(a))))
    return BASE_DIGITS + extra


def _exact(v: float) -> mpmath.mpf:
    return mpmath.mpf(v)  # a double is a dyadic rational: exact at any precision


def _environments(point: dict[sp.Symbol, float]) -> list[dict[sp.Symbol, mpmath.mpf]]:
    """The point with ±∞ replaced by huge numbers, in the assignments whose results must agree."""
    infinite = [s for s, v in point.items() if math.isinf(v)]
    base = {s: (mpmath.nan if math.isnan(v) else _exact(v)) for s, v in point.items() if not math.isinf(v)}
    if not infinite:
        return [base]
    lo, hi = INFINITY_EXPONENTS
    step = hi - lo
    orders = [[lo] * len(infinite), [hi] * len(infinite)]
    if len(infinite) > 1:
        orders += [
            [lo + step * k for k in range(len(infinite))],
            [lo + step * k for k in reversed(range(len(infinite)))],
        ]
    out = []
    for exps in orders:
        env = dict(base)
        for s, e in zip(infinite, exps):
            env[s] = mpmath.mpf(10) ** e * (1 if point[s] > 0 else -1)
        out.append(env)
    return out


def _agree(a: mpmath.mpf, b: mpmath.mpf) -> bool:
    ra, rb = nearest_double(a), nearest_double(b)
    if math.isnan(ra) or math.isnan(rb):
        return math.isnan(ra) and math.isnan(rb)
    if ra != rb:
        return False
    if ra == 0 or math.isinf(ra):
        return True
    return abs(a - b) <= abs(b) * mpmath.mpf(10) ** -AGREE_DIGITS


def _values_at(env: dict, digits: int) -> dict:
    """The values known at the point ``env`` and precision ``digits``: the point itself, and every subexpression
    evaluated there so far (:func:`evaluate` adds them).  Shared by the expressions evaluated at that point (the
    K components of a vector entry share LSE(z), a function and its gradient share σ(x)): a value depends only on
    its subexpression, the point and the precision, so it is the same whichever expression asks first."""
    key = (digits, *((s, v._mpf_) for s, v in env.items()))
    known = _KNOWN.get(key)
    if known is None:
        if len(_KNOWN) >= KNOWN_POINTS:
            del _KNOWN[next(iter(_KNOWN))]  # the oldest: the sweep goes point by point
        known = _KNOWN[key] = dict(env)
    return known


def forget_values() -> None:
    """Forget the values known at every point (:func:`_values_at`): memory back, the next evaluations start afresh."""
    _KNOWN.clear()


def _at(expr: sp.Expr, env: dict, digits: int) -> mpmath.mpf:
    with mpmath.workdps(digits):
        return +evaluate(expr, _values_at(env, digits))


def _converged(expr: sp.Expr, env: dict, digits: int) -> mpmath.mpf:
    """The value at ``digits``, doubled until two evaluations 25 digits apart agree (up to 5,000)."""
    while True:
        first, second = _at(expr, env, digits), _at(expr, env, digits + CHECK_DIGITS)
        if _agree(first, second):
            return second
        if digits > MAX_DIGITS:
            raise ReferenceFailed(f"{expr} at {env}: {first} vs {second} at {digits} digits")
        digits *= 2


def _limit(expr: sp.Expr, point: dict[sp.Symbol, float], domains: dict[sp.Symbol, str]) -> mpmath.mpf:
    """One-sided limit from inside the domain at the boundary values (0 or 1) of probability-like
    inputs, the others substituted exactly; iterated in argument order."""
    e = textbook(expr)
    poles = set().union(*(a.free_symbols for a in e.atoms(sp.log)))
    poles |= set().union(*(p.base.free_symbols for p in e.atoms(sp.Pow) if p.exp.is_negative))
    boundary = [s for s, v in point.items() if s in poles and domains.get(s) in ("unit", "simplex") and v in (0.0, 1.0)]
    e = e.xreplace({s: sp.Rational(v) for s, v in point.items() if s not in boundary})
    for s in boundary:
        e = sp.limit(e, s, sp.Integer(int(point[s])), "+" if point[s] == 0 else "-")
    if e is sp.oo or e is sp.S.NegativeInfinity:
        return mpmath.inf if e is sp.oo else -mpmath.inf
    if not e.is_number or e.has(sp.nan, sp.zoo, sp.AccumBounds):
        raise ReferenceFailed(f"no limit of {expr} at {point}: {e}")
    with mpmath.workdps(BASE_DIGITS + CHECK_DIGITS):
        return mpmath.mpf(sp.N(e, BASE_DIGITS + CHECK_DIGITS)._to_mpmath(mpmath.mp.prec))


def reference(expr: sp.Expr, point: dict[sp.Symbol, float], domains: dict[sp.Symbol, str] | None = None) -> mpmath.mpf:
    """The exact value of ``expr`` at ``point`` to 50 digits (see the module docstring); nan if undefined."""
    return references_at((expr,), point, domains)[0]


def references_at(
    exprs: Sequence[sp.Expr], point: dict[sp.Symbol, float], domains: dict[sp.Symbol, str] | None = None
) -> list[mpmath.mpf]:
    """:func:`reference` of each of ``exprs`` at the same ``point`` (its precision and assignments found once)."""
    digits, envs = _digits(point), _environments(point)
    return [_reference(e, point, domains, digits, envs) for e in exprs]


def _reference(
    expr: sp.Expr, point: dict[sp.Symbol, float], domains: dict[sp.Symbol, str] | None, digits: int, envs: list[dict]
) -> mpmath.mpf:
    """:func:`reference`'s work, given the point's precision and assignments."""
    results = []
    for env in envs:
        try:
            results.append(_converged(expr, env, digits))
        except Singular:
            if any(math.isinf(v) for v in point.values()):
                raise ReferenceFailed(f"singular at an infinite input: {expr} at {point}") from None
            return _limit(expr, point, domains or {})
    if all(_agree(results[0], r) for r in results[1:]):
        return results[-1]
    return mpmath.nan  # the limit depends on the path: undefined
