r"""Readable names for the temporaries of generated code, and a comment for each stable rewrite it uses.

``sympy.cse`` calls its temporaries ``_t0, _t1, …``; :func:`temporary_name` names one after what it holds
(``exp_neg_abs_x`` for :math:`e^{-|x|}`, ``x_finite`` for x with ±∞ replaced, ``x_sq``), falling back to the
numbered name when the value has no short description.  :func:`rewrite_comments` names, in one comment line
each, the numerically stable forms that an expression (as :func:`derive.numerics.stability.stabilise` left
it) is printed in, with the failure each avoids: ``# log(1 + e^u) as max(u, 0) + log1p(e^-|u|): …``.
"""

from __future__ import annotations

import keyword
import re

import sympy as sp
from sympy.codegen.cfunctions import expm1, log1p

from derive.calculus.functions import sigmoid, softplus
from derive.calculus.vectorise import ClassSum
from derive.numerics import stable_functions as sf

MAX_LENGTH = 22  # a longer description is no easier to read than _t3

_FUNCTION_WORDS = {"exp": "exp", "log": "log", "log1p": "log1p", "expm1": "expm1", "tanh": "tanh", "erf": "erf"}
_FUNCTION_WORDS |= {"normal_cdf": "cdf", "erfc": "erfc", "sqrt": "sqrt", "cosh": "cosh", "sinh": "sinh"}
_RELATIONS = {sp.StrictGreaterThan: "gt", sp.GreaterThan: "ge", sp.StrictLessThan: "lt", sp.LessThan: "le"}


def _describe(e: sp.Basic, names: dict[sp.Basic, str]) -> str | None:
    """A snake_case description of ``e`` (``None`` when there is no short one)."""
    if e in names:
        return names[e]
    if isinstance(e, sp.Symbol):  # an unnamed temporary (_t2) makes no readable name
        return None if re.fullmatch(r"_[a-z]\d+", e.name) else e.name.lstrip("_") or None
    if e.is_Integer and 0 <= e <= 10:
        return ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")[int(e)]
    if isinstance(e, sp.Abs):
        return _joined("abs", _describe(e.args[0], names))
    if isinstance(e, sf.finite_point):
        return _joined(_describe(e.args[0], names), "finite")
    if isinstance(e, (sf.region_safe, sf.clip_into, sf.float_clip)):
        return _joined(_describe(e.args[0], names), "clipped")
    if isinstance(e, sf.high_part):
        return _joined(_describe(e.args[0], names), "high")
    if isinstance(e, sf.zero_safe):
        return _joined(_describe(e.args[0], names), "safe")
    if isinstance(e, ClassSum):
        return _joined("sum", _describe(e.args[0], names))
    if isinstance(e, sp.And) and all(isinstance(a, sp.Rel) for a in e.args):
        return "in_bounds"
    if isinstance(e, sp.Mul):
        coeff, rest = e.as_coeff_Mul()
        if coeff == -1:
            return _joined("neg", _describe(rest, names))
        if coeff.is_Integer and -10 <= coeff < -1:
            return _joined("neg", _describe(-coeff, names), _describe(rest, names))
        if coeff.is_Integer and 1 < coeff <= 10:
            return _joined(_describe(coeff, names), _describe(rest, names))
        if len(e.args) == 2:
            return _joined(_describe(e.args[0], names), "times", _describe(e.args[1], names))
        return None
    if isinstance(e, sp.Pow):
        base, exp = e.args
        word = {2: "sq", 3: "cube", sp.Rational(1, 2): "sqrt", -1: "inv"}.get(exp)
        if word in ("sq", "cube"):
            return _joined(_describe(base, names), word)
        return _joined(word, _describe(base, names)) if word else None
    if isinstance(e, sp.Add) and len(e.args) == 2:
        a, b = sorted(e.args, key=lambda t: not t.is_Number)
        if a.is_Number and a == 1 and b.could_extract_minus_sign():
            return _joined("one_minus", _describe(-b, names))
        if a.is_Number and a == 1:
            return _joined("one_plus", _describe(b, names))
        if a.is_Number and a == -1:
            return _joined(_describe(b, names), "minus_one")
        return _joined(_describe(a, names), "plus", _describe(b, names))
    if type(e) in _RELATIONS:
        return _joined(_describe(e.args[0], names), _RELATIONS[type(e)], _describe(e.args[1], names))
    if isinstance(e, sp.Function) and len(e.args) == 1:
        word = _FUNCTION_WORDS.get(type(e).__name__)
        return _joined(word, _describe(e.args[0], names)) if word else None
    return None


def _joined(*words: str | None) -> str | None:
    if any(w is None for w in words):
        return None
    return "_".join(words)  # type: ignore[arg-type]


def temporary_name(value: sp.Basic, names: dict[sp.Basic, str], taken: set[str]) -> str | None:
    """A name for a temporary holding ``value``, unused in ``taken`` (``None`` if none reads well).

    ``names``: the names already given to other temporaries (they may appear in ``value``).
    """
    name = _describe(value, names)
    if name is None or len(name) > MAX_LENGTH or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        return None
    candidate, n = name, 2
    while candidate in taken or keyword.iskeyword(candidate):
        candidate, n = f"{name}_{n}", n + 1
    return candidate


def rename(text: str, renames: dict[str, str]) -> str:
    """``text`` with each identifier of ``renames`` replaced (whole identifiers only)."""
    if not renames:
        return text
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, renames)) + r")(?!\w)")
    return pattern.sub(lambda m: renames[m.group(1)], text)


# --- comments on the stable forms -----------------------------------------------------------------


def _has_sech_squared(e: sp.Basic) -> bool:
    """4e^{−2|u|}/(1 + e^{−2|u|})²: what :func:`derive.numerics.stability._sech_squared` writes for 1 − tanh²."""
    return any(
        isinstance(a, sp.exp) and sp.factor_terms(a.args[0]).as_coeff_Mul()[0] == -2 for a in e.atoms(sp.exp)
    ) and any(isinstance(a, sp.Abs) for a in e.atoms(sp.Abs))


def _has_sigmoid_product(e: sp.Basic) -> bool:
    """e^{−|u|}/(1 + e^{−|u|})²: what :func:`derive.numerics.stability._sigmoid_product` writes for σ(u)σ(−u)."""
    return any(isinstance(a.args[0], sp.Mul) and a.args[0].args[0] == -1 and isinstance(a.args[0].args[1], sp.Abs)
               for a in e.atoms(sp.exp))  # fmt: skip


# (test, comment): one comment line for each stable form found in the expression before it is printed.
REWRITES: tuple[tuple[object, str], ...] = (
    (sigmoid, "σ(u) as e^min(u, 0) / (1 + e^-|u|): e^-u overflows for u < -709"),
    (softplus, "log(1 + e^u) as max(u, 0) + log1p(e^-|u|): e^u overflows for u > 709"),
    (_has_sigmoid_product, "σ(u)σ(-u) as e^-|u| / (1 + e^-|u|)²: e^-u in σ(-u) overflows for u < -709"),
    (_has_sech_squared, "1 - tanh²(u) as 4e^-2|u| / (1 + e^-2|u|)²: the difference cancels to 0 for |u| > 19"),
    (log1p, "log(1 + u) as log1p(u): 1 + u loses the digits of a small u"),
    (expm1, "e^u - 1 as expm1(u): the difference loses the digits of a small u"),
    (sf.xlogy, "c·log(u) as xlogy(c, u): 0·log 0 is 0 where the weight c is 0"),
    (sf.xlog1py, "c·log(1 + u) as xlog1py(c, u): 0·log 0 is 0 where the weight c is 0"),
    (sf.xdivy, "c/u as c / where(c == 0, 1, u): 0/0 is 0 where the weight c is 0"),
    (sf.zero_safe, "c·f(u) with f evaluated at a safe input where the weight c is 0: 0·∞ (0·log 0) would be nan"),
    ((sf.region_safe, sf.clip_into), "each branch's input kept inside its region: numpy.where computes every branch"),
    (sf.erfcx, "Φ(u) for u ≤ -1 as erfcx(-u/√2) e^(-u²/2) / 2: ndtr loses about 2u² ULP there"),
    (sf.high_part, "e^(-u²/2) with u = h + (u - h), h² exact: u² rounds (450 ULP at u = 30)"),
    (sf.float_clip, "the argument clipped where the result no longer changes: it would overflow beyond"),
    (sf.difference_sign, "sign(a - b) from comparisons of a and b: a - b overflows (1e308 - (-1e308))"),
    (sf.grouped, "(1 - 2y) summed first: exact for 1/4 ≤ y ≤ 3/4, so σ(z) - y does not cancel"),
    (sf.at_infinity, "the limits at ±∞ (proven by SymPy) where the formula would give ∞/∞ or ∞·0"),
)


def rewrite_comments(expr: sp.Basic) -> list[str]:
    """``# …`` lines naming the stable forms used in ``expr`` (stabilised, not yet lowered), in table order."""
    out = []
    for test, comment in REWRITES:
        if isinstance(test, (type, tuple)):
            found = expr.has(*(test if isinstance(test, tuple) else (test,)))
        else:
            found = test(expr)  # type: ignore[operator]
        if found:
            out.append(f"# {comment}")
    return out


__all__ = ["rename", "rewrite_comments", "temporary_name"]
