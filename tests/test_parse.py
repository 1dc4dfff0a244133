"""The expression parser: what the grammar accepts, exactly, and how each error reads."""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.calculus.functions import sigmoid, softplus
from derive.custom import parse as dp
from derive.custom.parse import parse

x = sp.Symbol("x", real=True)
beta = sp.Symbol("beta", real=True)
t = sp.Symbol("t", real=True)

ACCEPTED = {
    # numbers: exact rationals
    "0.1": sp.Rational(1, 10),
    "1e-3": sp.Rational(1, 1000),
    "2.5E2": sp.Integer(250),
    ".5": sp.Rational(1, 2),
    "1_000": sp.Integer(1000),
    "0.044715": sp.Rational(44715, 1000000),
    # ^ is power, with power's precedence and right-associativity
    "x^2 + 1": x**2 + 1,
    "x**2 + 1": x**2 + 1,
    "-x^2": -(x**2),
    "2^-1": sp.Rational(1, 2),
    "2^3^2": sp.Integer(2**9),
    "(2^3)^2": sp.Integer(64),
    "x^0.5": sp.sqrt(x),
    # arithmetic
    "x - 3/4*x": x / 4,
    "1/(1 + x^2)": 1 / (1 + x**2),
    "-(-x)": x,
    "+x": x,
    "x*x*x/x/x": x,
    # functions and constants
    "exp(x) + log(x) + sqrt(x)": sp.exp(x) + sp.log(x) + sp.sqrt(x),
    "abs(x) + sin(x) + cos(x) + tanh(x) + erf(x)": sp.Abs(x) + sp.sin(x) + sp.cos(x) + sp.tanh(x) + sp.erf(x),
    "sigmoid(x) * softplus(x)": sigmoid(x) * softplus(x),
    "pi*x + e": sp.pi * x + sp.E,
    "e^x": sp.exp(x),
    "max(0, x) + min(x, 1, 2*x)": sp.Max(0, x) + sp.Min(x, 1, 2 * x),
    # where and conditions
    "where(x > 0, x, 0.1*x)": sp.Piecewise((x, x > 0), (x / 10, True)),
    "where(x >= 1, 1, where(x <= -1, -1, x))": sp.Piecewise(
        (1, x >= 1), (sp.Piecewise((-1, x <= -1), (x, True)), True)
    ),
    "where(0 < x < 1, x, 0)": sp.Piecewise((x, sp.And(x > 0, x < 1)), (0, True)),
    "where(x < 0 or x > 1, 0, x)": sp.Piecewise((0, sp.Or(x < 0, x > 1)), (x, True)),
    "where(not x == 0, x, 1)": sp.Piecewise((x, sp.Ne(x, 0)), (1, True)),
    "where(x != 0 and x != 1, x, 2)": sp.Piecewise((x, sp.And(sp.Ne(x, 0), sp.Ne(x, 1))), (2, True)),
    # the Unicode operators accepted on purpose, and tabs
    "x \u2212 1": x - 1,
    "2 \u00d7 x \u00f7 3": 2 * x / 3,
    "2\u00b7x": 2 * x,
    "x\t+\t1": x + 1,
    # the examples of the docs
    "x*tanh(log(1 + exp(x)))": x * sp.tanh(sp.log(1 + sp.exp(x))),
    "0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))": x
    / 2
    * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (x + sp.Rational(44715, 1000000) * x**3))),
}


@pytest.mark.parametrize("text, expected", ACCEPTED.items(), ids=list(ACCEPTED))
def test_accepted_expressions_parse_exactly(text: str, expected: sp.Expr) -> None:
    assert parse(text) == expected


def test_declared_variables_and_parameters() -> None:
    assert parse("x*sigmoid(beta*x)", ["x", "beta"]) == x * sigmoid(beta * x)
    assert parse("t^2", [t]) == t**2
    assert parse("x + y", ["x", "y"]) == x + sp.Symbol("y", real=True)
    with pytest.raises(dp.UnknownName, match="unknown name 'beta'"):
        parse("x*beta")


def test_the_sigmoid_is_nnmaths_class() -> None:
    s = parse("sigmoid(x)")
    assert type(s) is sigmoid and sp.diff(s, x) == sigmoid(x) * (1 - sigmoid(x))


ERRORS = {
    # text: (error class, message start, 1-based column or None)
    "x +": (dp.ExpressionSyntaxError, "syntax error: invalid syntax (column 4)", 4),
    "exp(x": (dp.ExpressionSyntaxError, "syntax error: '(' was never closed (column 4)", 4),
    "2x": (dp.ExpressionSyntaxError, "syntax error: invalid decimal literal; write products with *, e.g. 2*x", 1),
    "x^^2": (dp.ExpressionSyntaxError, "syntax error: invalid syntax (column 3)", 3),
    "": (dp.ExpressionSyntaxError, "the expression is empty", None),
    "   ": (dp.ExpressionSyntaxError, "the expression is empty", None),
    "x" * 2001: (dp.InputTooLong, "the expression is 2001 characters long; the limit is 2000", None),
    "(" * 41 + "x" + ")" * 41: (dp.NestingTooDeep, "brackets nested more than 40 deep (column 41)", 41),
    "-" * 45 + "x": (dp.NestingTooDeep, "the expression is nested 47 levels deep; the limit is 40", None),
    "+".join(["x"] * 501): (dp.TooManyNodes, "the expression has 1001 syntax nodes; the limit is 500", None),
    "1" * 41: (dp.NumberTooLarge, "number literal with 41 digits; the limit is 40 (column 1)", 1),
    "1e309": (dp.NumberTooLarge, "number 1e309 is outside the float64 range (column 1)", 1),
    "x*1e-400": (dp.NumberTooLarge, "number 1e-400 is outside the float64 range (column 3)", 3),
    "x^101": (dp.ExponentTooLarge, "exponent 101 is too large; the limit is ±100 (column 2)", 2),
    "x**-101": (dp.ExponentTooLarge, "exponent -101 is too large; the limit is ±100 (column 2)", 2),
    "2^1000": (dp.ExponentTooLarge, "exponent 1000 is too large", 2),
    "(10^100)^4": (dp.NumberTooLarge, "this power overflows float64 (column 9)", 9),
    "exp(710)": (dp.NumberTooLarge, "exp(...) of this constant overflows float64 (column 1)", 1),
    "x/0": (dp.NotReal, "division by zero (column 2)", 2),
    "log(0)": (dp.NotReal, "log(...) of this constant is undefined or not real (column 1)", 1),
    "sqrt(-x^2)": (dp.NotReal, "this sub-expression is undefined or not real (column 1)", 1),
    "(-8)^(1/3)": (dp.NotReal, "a negative number to a fractional power is not real (column 5)", 5),
    "0^-1": (dp.NotReal, "division by zero (0 to a negative power) (column 2)", 2),
    "y": (dp.UnknownName, "unknown name 'y'; variables: x; constants: pi, e; functions: exp, log", 1),
    "exq(x)": (dp.UnknownName, "unknown function 'exq'; did you mean exp? (column 1)", 1),
    "exp": (dp.BadCall, "exp is a function: call it as exp(...) (column 1)", 1),
    "x(2)": (dp.BadCall, "'x' is not a function (column 1)", 1),
    "exp(x, 2)": (dp.BadCall, "exp takes 1 argument, not 2 (column 1)", 1),
    "max(x)": (dp.BadCall, "max takes at least 2 arguments, not 1 (column 1)", 1),
    "where(x, 1, 2)": (dp.BadCall, "the condition of where(...) must be a comparison, such as x > 0 (column 7)", 7),
    "x > 0": (dp.BadCall, "a comparison is only allowed in the condition of where(condition, a, b) (column 1)", 1),
    "1 + (x > 0)": (dp.BadCall, "a comparison is only allowed", 6),
    "where(x is 0, 1, 2)": (dp.NotAllowed, "'is' is not allowed in a condition (column 7)", 7),
    "x % 2": (dp.NotAllowed, "operator '%' is not allowed (column 3)", 3),
    "x & 1": (dp.NotAllowed, "operator '&' is not allowed; write 'and'/'or' in a condition (column 3)", 3),
    "1 if x else 2": (dp.NotAllowed, "not allowed: conditional expressions (a if c else b): use where(c, a, b)", 1),
    "0x1f": (dp.NotAllowed, "only decimal numbers are allowed, not '0x1f' (column 1)", 1),
    "x # comment": (dp.ForbiddenCharacter, "character '#' is not allowed (column 3)", 3),
    "x\n+1": (dp.ForbiddenCharacter, "line breaks are not allowed (column 2)", 2),
    "\u0435xp(x)": (dp.ForbiddenCharacter, "character 'е' (U+0435 CYRILLIC SMALL LETTER IE) is not allowed", 1),
}


@pytest.mark.parametrize("text, error", ERRORS.items(), ids=[repr(k[:30]) for k in ERRORS])
def test_each_error_has_its_class_message_and_column(text: str, error: tuple) -> None:
    cls, start, column = error
    with pytest.raises(cls) as info:
        parse(text)
    e = info.value
    assert str(e).startswith(start), str(e)
    assert "\n" not in str(e)  # one line
    assert e.column == (None if column is None else column - 1)


def test_caret_points_at_the_column_of_the_original_text() -> None:
    # ^ becomes ** before Python's parser sees the text: columns still refer to what the user typed
    with pytest.raises(dp.ExponentTooLarge) as info:
        parse("x^2 + x^200")
    assert info.value.display() == (
        "exponent 200 is too large; the limit is ±100 (column 8)\n  x^2 + x^200\n         ^"
    )


def test_caret_on_long_input_shows_a_window() -> None:
    text = "x + " * 100 + "?"
    with pytest.raises(dp.ExpressionSyntaxError) as info:
        parse(text)
    _, shown, caret = info.value.display().split("\n")
    assert shown.startswith("  ...") and len(shown) < 80
    assert shown[caret.index("^")] == "?"


def test_errors_without_a_position_have_no_caret() -> None:
    with pytest.raises(dp.InputTooLong) as info:
        parse("x" * 5000)
    assert info.value.display() == str(info.value)


def test_errors_travel_between_processes() -> None:
    """The derivation worker sends errors back pickled."""
    import pickle

    with pytest.raises(dp.ExpressionError) as info:
        parse("x^1000")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is dp.ExponentTooLarge and copy.display() == info.value.display()


def test_non_text_is_rejected() -> None:
    with pytest.raises(dp.ExpressionSyntaxError, match="must be text"):
        parse(b"x")  # type: ignore[arg-type]


# -- property: random expression trees, rendered to text, parse to exactly the tree SymPy builds ------------------
#
# A tree is (text, SymPy expression built with SymPy's own operators, whether the text holds the variable).  Every
# compound node has a child with the variable, so the only constants are numbers: the parser may then refuse a
# tree only because SymPy's value is undefined or complex (x/(x - x), log(x - x), sqrt(-x^2)).

UNDEFINED = sp.nan  # stands for "SymPy itself gives an undefined or complex value here"
BAD_ATOMS = (sp.zoo, sp.nan, sp.oo, sp.S.NegativeInfinity, sp.I)
NUMBERS = ["2", "3", "0.5", "1.25", "10", "0.1"]
SYMPY_UNARY = {
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
    "abs": sp.Abs,
    "sin": sp.sin,
    "cos": sp.cos,
    "tanh": sp.tanh,
    "sigmoid": sigmoid,
    "softplus": softplus,
    "erf": sp.erf,
}


def _safe(build, *parts):
    """SymPy's value of a node, or UNDEFINED when a part is (or SymPy refuses to compare an undefined value)."""
    if any(p.has(*BAD_ATOMS) for p in parts):
        return UNDEFINED
    try:
        value = build(*parts)
    except TypeError:  # e.g. "Invalid comparison of non-real zoo"
        return UNDEFINED
    return UNDEFINED if value.has(*BAD_ATOMS) else value


def leaves():
    return st.one_of(
        st.just(("x", x, True)),
        st.sampled_from(NUMBERS).map(lambda s: (s, sp.Rational(s), False)),
        st.sampled_from([("pi", sp.pi, False), ("e", sp.E, False)]),
    )


def extend(children):
    with_x = st.one_of(st.just(("x", x, True)), children.filter(lambda c: c[2]))
    space = st.sampled_from(["", " "])

    def binary(args):
        (a, ea, va), (b, eb, vb), op, s = args
        ops = {"+": lambda p, q: p + q, "-": lambda p, q: p - q, "*": lambda p, q: p * q, "/": lambda p, q: p / q}
        return f"({a}){s}{op}{s}({b})", _safe(ops[op], ea, eb), va or vb

    def power(args):
        (a, ea, _), n, caret = args
        return f"({a}){'^' if caret else '**'}({n})", _safe(lambda p: p ** sp.Integer(n), ea), True

    def function(args):
        name, (a, ea, _) = args
        return f"{name}({a})", _safe(SYMPY_UNARY[name], ea), True

    def extremum(args):
        name, (a, ea, _), (b, eb, _) = args
        return f"{name}({a}, {b})", _safe(sp.Max if name == "max" else sp.Min, ea, eb), True

    def where(args):
        (a, ea, _), (b, eb, _), (c, ec, _), op = args
        cmp = {"<": lambda p, q: p < q, ">=": lambda p, q: p >= q}[op]
        value = _safe(lambda p, q, r: sp.Piecewise((p, cmp(p, q)), (r, True)), ea, eb, ec)
        return f"where(({a}) {op} ({b}), {a}, {c})", value, True

    return st.one_of(
        st.tuples(with_x, children, st.sampled_from("+-*/"), space).map(binary),
        st.tuples(children, with_x, st.sampled_from("+-*/"), space).map(binary),
        st.tuples(with_x, st.integers(-3, 4), st.booleans()).map(power),
        st.tuples(st.sampled_from(list(SYMPY_UNARY)), with_x).map(function),
        st.tuples(st.sampled_from(["max", "min"]), with_x, children).map(extremum),
        st.tuples(with_x, children, children, st.sampled_from(["<", ">="])).map(where),
        children.map(lambda c: (f"-({c[0]})", _safe(lambda p: -p, c[1]), c[2])),
    )


def trees(max_leaves: int):
    """Random expression trees (text, SymPy value, holds x); shared with tests/test_custom_derive.py."""
    return st.recursive(leaves(), extend, max_leaves=max_leaves)


@settings(max_examples=300, deadline=2000, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(trees(12))
def test_random_trees_parse_to_the_tree_sympy_builds(tree: tuple[str, sp.Expr, bool]) -> None:
    text, expected, _ = tree
    if expected is UNDEFINED:
        with pytest.raises(dp.NotReal):
            parse(text)
    else:
        assert parse(text) == expected, text
