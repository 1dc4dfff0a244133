r"""Parse a user's expression into SymPy without ever evaluating Python.

An expression typed by a user is untrusted text.  SymPy's ``sympify`` and
``parse_expr`` call ``eval`` on it, so neither is used here.  Instead the text
is checked character by character, parsed by Python's parser into a syntax
tree (``ast.parse(mode="eval")`` builds a tree and runs nothing), every node
of the tree is checked against a whitelist, and the tree is turned into SymPy
objects directly — ``sp.Add``, ``sp.Pow``, ``sigmoid(...)`` — one node at a time.

The grammar::

    expression  numbers            2, 0.5, 1e-3       (decimals become exact rationals: 0.1 = 1/10)
                variables          x (the ones declared; default x)
                constants          pi, e
                + - * / and powers x^2 or x**2        (^ means power, as in maths, never XOR)
                unary minus, parentheses
                functions          exp log sqrt abs sin cos tanh sigmoid softplus erf,
                                   max(a, b, ...) min(a, b, ...), where(condition, a, b)
    condition   comparisons        x > 0, x <= 1, 0 < x < 1, x == 0, x != 0
                joined by          and, or, not       (only as the first argument of where)

Also accepted on purpose: the Unicode operators − × · ÷ (as - * * /), so that a
formula copied from a page parses.  Every other non-ASCII character is
rejected — not normalised — so a Cyrillic 'е' in ``ехр`` or fullwidth digits
never turn silently into ``exp`` or ``12`` (Python's own parser would
NFKC-normalise such identifiers).

The checks that need no SymPy are in :mod:`derive.custom.syntax` (run first, before SymPy is
imported by a caller that imports this module lazily); its docstring lists the limits, each its own
error class with a one-line message.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from derive.calculus.functions import sigmoid, softplus
from derive.custom.syntax import (
    _NUMBER,
    ARITY,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NODES,
    UNICODE_OPERATORS,
    BadCall,
    Checker,
    ExponentTooLarge,
    ExpressionError,
    ExpressionSyntaxError,
    ForbiddenCharacter,
    InputTooLong,
    NestingTooDeep,
    NotAllowed,
    NotReal,
    NumberTooLarge,
    TooManyNodes,
    UnknownName,
    _group,
    check_syntax,
    prepare,
)

CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "e": sp.E}


def _where(condition: sp.Basic, if_true: sp.Expr, otherwise: sp.Expr) -> sp.Expr:
    return sp.Piecewise((if_true, condition), (otherwise, True))


def _f_sigmoid(u: float) -> float:
    return 1 / (1 + math.exp(-u)) if u >= 0 else math.exp(u) / (1 + math.exp(u))


def _f_softplus(u: float) -> float:
    return max(u, 0.0) + math.log1p(math.exp(-abs(u)))


@dataclass(frozen=True)
class Function:
    """A function of the grammar: its SymPy constructor and float64 evaluation (for constants); arity in ARITY."""

    name: str
    build: Callable[..., sp.Expr]
    evaluate: Callable[..., float]

    @property
    def meaning(self) -> str:
        return ARITY[self.name].meaning

    @property
    def min_args(self) -> int:
        return ARITY[self.name].min_args

    @property
    def max_args(self) -> int | None:
        return ARITY[self.name].max_args


FUNCTIONS: dict[str, Function] = {
    name: Function(name, build, evaluate)
    for name, build, evaluate in (
        ("exp", sp.exp, math.exp),
        ("log", sp.log, math.log),
        ("sqrt", sp.sqrt, math.sqrt),
        ("abs", sp.Abs, abs),
        ("sin", sp.sin, math.sin),
        ("cos", sp.cos, math.cos),
        ("tanh", sp.tanh, math.tanh),
        ("sigmoid", sigmoid, _f_sigmoid),
        ("softplus", softplus, _f_softplus),
        ("erf", sp.erf, math.erf),
        ("max", sp.Max, max),
        ("min", sp.Min, min),
        ("where", _where, lambda c, a, b: a if c else b),
    )
}

_COMPARISONS = {
    ast.Lt: sp.StrictLessThan,
    ast.LtE: sp.LessThan,
    ast.Gt: sp.StrictGreaterThan,
    ast.GtE: sp.GreaterThan,
    ast.Eq: sp.Eq,
    ast.NotEq: sp.Ne,
}
_FLOAT_COMPARISONS = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}


class _Converter(Checker):
    """Conversion of one checked syntax tree into SymPy (see :func:`parse`)."""

    def __init__(self, checker: Checker, names: Mapping[str, sp.Symbol]):
        super().__init__(checker.text, checker.prepared, checker.columns, names)

    # -- conversion ---------------------------------------------------------------------------------------------
    def convert(self, node: ast.AST) -> tuple[sp.Basic, float | None]:
        """(SymPy object, its float64 value if constant).  Only nodes that passed :meth:`check` arrive here."""
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                value, number = self.convert(node.operand)
                return sp.Not(value), (None if number is None else float(not number))
            value, number = self.convert(node.operand)
            if isinstance(node.op, ast.USub):
                return -value, (None if number is None else -number)
            return value, number
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            if node.id in CONSTANTS:
                value = CONSTANTS[node.id]
                return value, float(value)
            return self.names[node.id], None
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.BoolOp):
            parts = [self.convert(v) for v in node.values]
            join = sp.And if isinstance(node.op, ast.And) else sp.Or
            numbers = [n for _, n in parts]
            number = None
            if all(n is not None for n in numbers):
                number = float(all(numbers) if isinstance(node.op, ast.And) else any(numbers))
            return join(*[v for v, _ in parts]), number
        raise AssertionError(f"unchecked node {type(node).__name__}")  # check() let it through: a bug here

    def number(self, node: ast.Constant) -> tuple[sp.Rational, float]:
        """A decimal literal as an exact rational: 0.1 is 1/10, 1e-3 is 1/1000."""
        literal = self.literal(node)
        m = _NUMBER.fullmatch(literal.replace("_", ""))
        mantissa = int((m["int"] or "") + (m["frac"] or "") or "0")
        scale = int(m["exp"] or 0) - len(m["frac"] or "")
        outside = self.error(NumberTooLarge, f"number {literal} is outside the float64 range", self.col(node))
        if mantissa and abs(len(str(mantissa)) - 1 + scale) > 330:  # decimal exponent: far outside, before 10**scale
            raise outside
        value = sp.Rational(mantissa * 10**scale) if scale >= 0 else sp.Rational(mantissa, 10**-scale)
        try:
            number = float(value)
        except OverflowError:
            raise outside from None
        if not math.isfinite(number) or (mantissa and number == 0.0):
            raise outside
        return value, number

    def binary(self, node: ast.BinOp) -> tuple[sp.Expr, float | None]:
        group = _group(node.op)
        if group is None:  # a power: right-associative, not flattened
            base, b = self.convert(node.left)
            expo, e = self.convert(node.right)
            return self.power(base, b, expo, e, self.operator_col(node))
        # flatten the left spine of a + b - c … (or a * b / c …) so long chains need no recursion
        chain: list[tuple[ast.operator, ast.expr, int]] = []
        left = node
        while isinstance(left, ast.BinOp) and _group(left.op) == group:
            chain.append((left.op, left.right, self.operator_col(left)))
            left = left.left
        value, number = self.convert(left)
        for op, right, col in reversed(chain):
            other, n = self.convert(right)
            if isinstance(op, ast.Add):
                value, number = value + other, _float_op(lambda a, b: a + b, number, n)
            elif isinstance(op, ast.Sub):
                value, number = value - other, _float_op(lambda a, b: a - b, number, n)
            elif isinstance(op, ast.Mult):
                value, number = value * other, _float_op(lambda a, b: a * b, number, n)
            else:
                if other == 0:
                    raise self.error(NotReal, "division by zero", col)
                value, number = value / other, _float_op(lambda a, b: a / b, number, n)
            self.check_value(value, number, col)
        return value, number

    def power(self, base: sp.Expr, b: float | None, expo: sp.Expr, e: float | None, col: int):
        if e is not None:
            if not abs(e) <= MAX_EXPONENT:
                shown = str(expo) if len(str(expo)) <= 20 else f"{e:.3g}"
                raise self.error(ExponentTooLarge, f"exponent {shown} is too large; the limit is ±{MAX_EXPONENT}", col)
            if b is not None:
                if b == 0.0 and e < 0:
                    raise self.error(NotReal, "division by zero (0 to a negative power)", col)
                if b < 0 and not float(e).is_integer():
                    raise self.error(NotReal, "a negative number to a fractional power is not real", col)
        number = None
        if b is not None and e is not None:
            try:
                number = math.pow(b, e)
            except OverflowError:
                raise self.error(NumberTooLarge, "this power overflows float64", col) from None
            except ValueError:
                raise self.error(NotReal, "this power is not real", col) from None
        value = sp.Pow(base, expo)
        self.check_value(value, number, col)
        return value, number

    def call(self, node: ast.Call) -> tuple[sp.Expr, float | None]:
        name = node.func.id
        f = FUNCTIONS[name]
        parts = [self.convert(a) for a in node.args]
        col = self.col(node)
        numbers = [n for _, n in parts]
        number = None
        if all(n is not None for n in numbers):
            try:
                number = float(f.evaluate(*numbers))
            except OverflowError:
                raise self.error(NumberTooLarge, f"{name}(...) of this constant overflows float64", col) from None
            except (ValueError, ZeroDivisionError):
                raise self.error(NotReal, f"{name}(...) of this constant is undefined or not real", col) from None
        value = f.build(*[v for v, _ in parts])
        self.check_value(value, number, col)
        return value, number

    def compare(self, node: ast.Compare) -> tuple[sp.Basic, float | None]:
        left, a = self.convert(node.left)
        relations, truths = [], []
        for op, right_node in zip(node.ops, node.comparators):
            right, b = self.convert(right_node)
            relations.append(_COMPARISONS[type(op)](left, right))
            truths.append(None if a is None or b is None else _FLOAT_COMPARISONS[type(op)](a, b))
            left, a = right, b
        number = None if any(t is None for t in truths) else float(all(truths))
        return sp.And(*relations), number

    def check_value(self, value: sp.Basic, number: float | None, col: int) -> None:
        """A constant must be a finite float64; no value may be complex or undefined."""
        if number is not None and not math.isfinite(number):
            raise self.error(NumberTooLarge, "this constant is not a finite float64", col)
        if isinstance(value, sp.Expr) and value.has(sp.I, sp.zoo, sp.nan, sp.oo, sp.S.NegativeInfinity):
            raise self.error(NotReal, "this sub-expression is undefined or not real", col)


def _float_op(op: Callable[[float, float], float], a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None
    try:
        return op(a, b)
    except OverflowError:
        return math.inf
    except ZeroDivisionError:
        return math.nan


def symbols_for(variables: Iterable[str | sp.Symbol]) -> dict[str, sp.Symbol]:
    """Name → real SymPy symbol for each declared variable (a name becomes ``Symbol(name, real=True)``)."""
    out: dict[str, sp.Symbol] = {}
    for v in variables:
        s = v if isinstance(v, sp.Symbol) else sp.Symbol(v, real=True)
        out[s.name] = s
    return out


def parse(text: str, variables: Sequence[str | sp.Symbol] = ("x",)) -> sp.Expr:
    """The SymPy expression of ``text``, in the variables declared (names or symbols; default ``x``).

    Never evaluates Python: the text is parsed into a syntax tree, the tree is
    checked against the grammar's whitelist, and SymPy objects are built from
    the nodes directly.  Raises an :class:`ExpressionError` subclass whose
    message is one line; ``e.display()`` adds the input and a caret under the
    offending column.

    >>> parse("x^2 + 0.5*x")
    x**2 + x/2
    """
    names = symbols_for(variables)
    tree, checker = check_syntax(text, names)
    value, _ = _Converter(checker, names).convert(tree.body)
    return value


__all__ = [
    "check_syntax",
    "parse",
    "prepare",
    "symbols_for",
    "FUNCTIONS",
    "CONSTANTS",
    "UNICODE_OPERATORS",
    "MAX_LENGTH",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "ExpressionError",
    "InputTooLong",
    "ForbiddenCharacter",
    "ExpressionSyntaxError",
    "NestingTooDeep",
    "TooManyNodes",
    "NotAllowed",
    "UnknownName",
    "BadCall",
    "NumberTooLarge",
    "ExponentTooLarge",
    "NotReal",
]
