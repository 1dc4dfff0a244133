"""SymPy values, formulas and derivations as LaTeX strings for the presentation records.

Formulas go through :func:`derive.printing.latex.latex` (the course's printer).
Numbers are shown as a person writes them by hand: a fraction whose
decimal ends within :data:`PLACES` places as that decimal (3/16 → 0.1875),
other values exactly (6/49, ln 11) with a decimal approximation beside them.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.steps import Derivation
from derive.printing.decimals import rounded
from derive.printing.formulas import annotation, steps
from derive.printing.textbook import TextbookLatexPrinter, latex, vector_names
from nnmath.topics.base import Tex as TeX

PLACES = 4


def terminating_decimal(q: sp.Rational, places: int = PLACES) -> str | None:
    """The decimal of ``q`` if it ends within ``places`` digits (3/16 → ``0.1875``), else ``None``."""
    q = sp.Rational(q)
    scaled = q * 10**places
    if not scaled.is_integer:
        return None
    sign = "-" if q < 0 else ""
    whole, frac = divmod(abs(int(scaled)), 10**places)
    digits = f"{frac:0{places}d}".rstrip("0")
    return f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"


def _decimalise(value: sp.Basic) -> sp.Basic:
    """Terminating rationals as Floats that print as their exact decimal."""

    def one(v: sp.Basic) -> sp.Basic:
        if isinstance(v, sp.Rational) and not v.is_integer:
            dec = terminating_decimal(v)
            return sp.Float(dec, 15) if dec is not None else v
        return v

    if isinstance(value, sp.MatrixBase):
        return sp.ImmutableMatrix(value.applyfunc(one))
    return one(value)


def _is_plain(value: sp.Basic) -> bool:
    """True when the value is shown exactly as a whole number or short decimal (no approximation needed)."""
    items = list(value) if isinstance(value, sp.MatrixBase) else [value]
    return all(isinstance(v, sp.Rational) and terminating_decimal(v) is not None for v in items)


def _vector_brackets(tex: str) -> str:
    return tex.replace(r"\left[\begin{matrix}", r"\begin{bmatrix}").replace(r"\end{matrix}\right]", r"\end{bmatrix}")


def exact(value: sp.Basic) -> TeX:
    """The exact value as LaTeX: decimals where they terminate, fractions and logarithms otherwise."""
    return TeX(_vector_brackets(latex(_decimalise(sp.sympify(value)))))


def approx(value: sp.Basic, places: int = PLACES) -> TeX | None:
    """A decimal approximation to ``places`` places when :func:`exact` is not already a short decimal (the exact
    value rounded once: :func:`derive.printing.decimals.rounded`)."""
    value = sp.sympify(value)
    if _is_plain(value):
        return None

    return TeX(_vector_brackets(latex(rounded(value, places=places))))


def formula(expr: sp.Basic, indexed: bool = False, update_rule: bool = False) -> TeX:
    """A formula; ``indexed`` writes vector symbols with index i; ``update_rule`` keeps w − η g order."""
    if update_rule:
        settings = {"order": "rev-lex", **({"symbol_names": vector_names()} if indexed else {})}
        return TeX(TextbookLatexPrinter(settings).doprint(expr))
    return TeX(latex(expr, indexed=indexed))


def symbol_names(expr: sp.Basic) -> dict[str, TeX]:
    """The LaTeX of each symbol of ``expr``, by its SymPy name (``eta`` → ``\\eta``)."""
    return {s.name: TeX(latex(s)) for s in sorted(expr.free_symbols, key=str)}


def derivation_steps(
    derivation: Derivation, abbreviations: dict[sp.Basic, sp.Symbol] | None = None, start: sp.Basic | None = None
) -> dict:
    """A derivation line by line: ``start`` is d/dx of the expression, each of ``steps`` a rule (``rule``: text,
    ``note``: the same as LaTeX text-mode content, ``$…$`` kept as maths) and what it gives (``expr``);
    ``display``: the whole derivation as one aligned block, each rule in upright text to the right of its line.

    ``abbreviations`` ({expression: symbol}) are written by their symbol, so that long lines fit on a page;
    ``start``: what the first line differentiates, when it has a name (∂L/∂w), instead of d/dx of the expression.
    """
    ab = abbreviations or {}

    def shown(expr: sp.Basic) -> sp.Basic:
        return expr.xreplace(ab) if ab else expr

    return {
        "start": formula(start if start is not None else sp.Derivative(shown(derivation.expr), derivation.wrt)),
        "steps": [
            {"rule": s.rule, "note": TeX(annotation(s.rule)), "expr": formula(shown(s.expr))} for s in derivation.steps
        ],
        "display": TeX(steps(derivation, show=lambda e: latex(shown(e)), start=start)),
    }
