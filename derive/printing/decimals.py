"""Decimals of exact values, rounded once.

``value.evalf(6)`` rounds twice: to a binary float of about 6 digits' precision, then to 6 decimal digits when
it is printed (σ-values such as 0.00099542547… print as 0.000995426).  Here a value is evaluated with
:data:`GUARD` extra digits, and that decimal is rounded to the digits shown (half to even): a rational is rounded
exactly, any other value is rounded as its exact value would be unless its digits after the shown ones are
a tie to within 10^-GUARD.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

import sympy as sp

GUARD = 30  # extra significant digits of the evaluation that is rounded


def _exact_decimal(value: sp.Expr, places: int) -> Decimal:
    """``value`` as a Decimal with :data:`GUARD` more decimal places than ``places``.

    A rational is divided exactly and a last digit 1 marks a non-zero remainder (so rounding the Decimal is
    rounding the rational); any other value is evaluated by SymPy to that many places.
    """
    value = sp.sympify(value)
    total = places + GUARD
    if value.is_Rational:
        fraction = Fraction(int(value.p), int(value.q))
        whole, rest = divmod(abs(fraction.numerator) * 10**total, fraction.denominator)
        digits = tuple(int(c) for c in str(whole * 10 + (1 if rest else 0)))
        return Decimal((int(fraction < 0), digits, -(total + 1)))  # exact: no context rounding
    magnitude = 0 if value.is_zero else int(sp.floor(sp.log(abs(sp.N(value, 15)), 10)))
    return Decimal(str(sp.N(value, max(total + magnitude + 1, 15))))


def _leading_exponent(value: sp.Expr) -> int:
    """e with 10^e ≤ |value| < 10^(e+1) (0 for 0): exact for a rational, from 30 digits otherwise."""
    if value.is_zero:
        return 0
    if value.is_Rational:
        p, q = abs(int(value.p)), int(value.q)
        e = len(str(p)) - len(str(q))
        while p * 10 ** max(-e, 0) < q * 10 ** max(e, 0):
            e -= 1
        while p * 10 ** max(-e - 1, 0) >= q * 10 ** max(e + 1, 0):
            e += 1
        return e
    return Decimal(str(sp.N(value, GUARD))).adjusted()


def decimal_string(value: sp.Expr, *, digits: int | None = None, places: int | None = None) -> str:
    """The exact ``value`` rounded once to ``digits`` significant digits or ``places`` decimal places, as a plain
    decimal string (``0.000995425``, trailing zeros kept: the digits shown are the digits asked for)."""
    if (digits is None) == (places is None):
        raise ValueError("decimal_string: give exactly one of digits and places")
    if places is None:
        places = (digits - 1) - _leading_exponent(sp.sympify(value))
    d = _exact_decimal(value, places)
    with localcontext() as context:
        context.prec = len(d.as_tuple().digits) + GUARD  # the quantized value is never cut by the context
        return format(d.quantize(Decimal((0, (1,), -places)), rounding=ROUND_HALF_EVEN), "f")


class ShownDecimal(sp.Float):
    """A Float that keeps the decimal it was rounded to (``text``): printed with its trailing zeros (0.593270)."""

    text: str

    @classmethod
    def of(cls, text: str) -> ShownDecimal:
        """The decimal ``text`` (``"0.593270"``) as a Float that prints as ``text``."""
        shown = cls(text, max(15, len(text)))
        shown.text = text
        return shown


def rounded(value: sp.Basic, *, digits: int | None = None, places: int | None = None) -> sp.Basic:
    """A :class:`ShownDecimal` (or a matrix of them) that prints as :func:`decimal_string` of each entry, trailing
    zeros kept (0.593270 to 6 places)."""

    def one(v: sp.Expr) -> sp.Float:
        return ShownDecimal.of(decimal_string(v, digits=digits, places=places))

    value = sp.sympify(value)
    return value.applyfunc(one) if isinstance(value, sp.MatrixBase) else one(value)
