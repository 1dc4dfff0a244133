r"""Check a user's expression against the grammar, without SymPy and without ever evaluating Python.

This is the first half of :mod:`derive.custom.parse`: every check that needs no SymPy (characters, length,
brackets, Python's syntax tree, nesting, node count, the whitelist of nodes, names and calls) runs here, so
hostile input is rejected before SymPy is even imported.  :func:`check_syntax` is the entry point; the grammar
and why nothing is ever evaluated are in :mod:`derive.custom.parse`.

Limits, each its own error class and one-line message:

==========================  =====================================================
:class:`InputTooLong`        more than ``MAX_LENGTH`` characters
:class:`ForbiddenCharacter`  a character outside the grammar (Unicode look-alikes, control characters, ``#``, ``\``)
:class:`NestingTooDeep`      brackets or the tree nested deeper than ``MAX_DEPTH``
:class:`TooManyNodes`        more than ``MAX_NODES`` nodes in the tree
:class:`NumberTooLarge`      a literal with more than ``MAX_DIGITS`` digits, or a
                             constant outside float64 (1e400, exp(1000), 10^400)
:class:`ExponentTooLarge`    a constant exponent beyond ±``MAX_EXPONENT`` (x^1000, 2**100000, 9**9**9**9)
==========================  =====================================================

Constant sub-expressions are also evaluated in float64 as the tree is built
(with ``math``, on the tree, never on the text): SymPy's automatic evaluation
can hang on an astronomically large constant (``max(exp(exp(exp(100))), 1)``
asks for its digits), so a constant that is not a finite float64 is rejected
before SymPy sees it.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
import unicodedata
import warnings
from collections.abc import Collection
from dataclasses import dataclass

MAX_LENGTH = 2000
MAX_DEPTH = 40
MAX_NODES = 500
MAX_DIGITS = 40
MAX_EXPONENT = 100

CONSTANT_NAMES = ("pi", "e")
# Non-ASCII characters accepted deliberately, with their ASCII meaning.
UNICODE_OPERATORS = {"\u2212": "-", "\u00d7": "*", "\u00b7": "*", "\u00f7": "/"}
# Printable ASCII that never belongs to an expression (and that Python's parser would read as a comment
# or a line continuation, hiding the rest of the text).
FORBIDDEN_ASCII = "#\\"
WINDOW = 60  # characters of the input shown around a caret


class ExpressionError(ValueError):
    """A user's expression cannot be accepted; ``str(e)`` is one line naming what is wrong.

    Attributes:
        message: The one-line message.
        text: The input, when the error has a position in it.
        column: 0-based column in ``text`` of the offending character, or ``None``.
    """

    def __init__(self, message: str, text: str | None = None, column: int | None = None):
        super().__init__(message, text, column)
        self.message, self.text, self.column = message, text, column

    def __str__(self) -> str:
        return self.message

    def caret(self) -> str:
        """Two lines: the input (a window of it, if long) and a caret under the column; empty without a position."""
        if self.text is None or self.column is None:
            return ""
        text, col = self.text, self.column
        start = max(0, min(col - WINDOW // 2, len(text) - WINDOW))
        shown = text[start : start + WINDOW]
        prefix = "..." if start > 0 else ""
        suffix = "..." if start + WINDOW < len(text) else ""
        return f"  {prefix}{shown}{suffix}\n  {' ' * (len(prefix) + col - start)}^"

    def display(self) -> str:
        """The message, and below it the caret lines when the error has a position."""
        caret = self.caret()
        return f"{self.message}\n{caret}" if caret else self.message


class InputTooLong(ExpressionError):
    """The input is longer than ``MAX_LENGTH`` characters."""


class ForbiddenCharacter(ExpressionError):
    """A character that no expression contains (a Unicode look-alike, a control character, ``#``)."""


class ExpressionSyntaxError(ExpressionError):
    """The text is not a well-formed expression; the column says where."""


class NestingTooDeep(ExpressionError):
    """Brackets or function calls nested deeper than ``MAX_DEPTH``."""


class TooManyNodes(ExpressionError):
    """The expression has more than ``MAX_NODES`` nodes."""


class NotAllowed(ExpressionError):
    """Python syntax outside the grammar: attribute access, lambda, strings, subscripts, keyword arguments, …"""


class UnknownName(ExpressionError):
    """A name that is neither a declared variable, a constant nor a function of the grammar."""


class BadCall(ExpressionError):
    """A function of the grammar called with the wrong number of arguments, or a comparison out of place."""


class NumberTooLarge(ExpressionError):
    """A literal with too many digits, or a constant that is not a finite float64."""


class ExponentTooLarge(ExpressionError):
    """A constant exponent beyond ±``MAX_EXPONENT``."""


class NotReal(ExpressionError):
    """A constant that is undefined or not real: 1/0, log(0), sqrt(-1), (-8)^(1/3)."""


@dataclass(frozen=True)
class Arity:
    """How a function of the grammar is called: its number of arguments, and what it means."""

    min_args: int
    max_args: int | None  # None: any number from min_args
    meaning: str


ARITY: dict[str, Arity] = {
    "exp": Arity(1, 1, "exponential"),
    "log": Arity(1, 1, "natural logarithm"),
    "sqrt": Arity(1, 1, "square root"),
    "abs": Arity(1, 1, "absolute value; its derivative sign(u) is 0 at u = 0"),
    "sin": Arity(1, 1, "sine"),
    "cos": Arity(1, 1, "cosine"),
    "tanh": Arity(1, 1, "hyperbolic tangent"),
    "sigmoid": Arity(1, 1, "logistic sigmoid"),
    "softplus": Arity(1, 1, "smooth ReLU"),
    "erf": Arity(1, 1, "error function"),
    "max": Arity(2, None, "largest argument"),
    "min": Arity(2, None, "smallest argument"),
    "where": Arity(3, 3, "a where the condition holds, else b"),
}

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_OTHER_OPERATORS = {
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.Invert: "~",
}
COMPARISON_OPERATORS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
# What a user is told about Python syntax outside the grammar.
_CONSTRUCTS = {
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "subscripts (a[i])",
    ast.Slice: "slices",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.NamedExpr: "assignment expressions (:=)",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.Starred: "starred arguments (*a)",
    ast.IfExp: "conditional expressions (a if c else b): use where(c, a, b)",
    ast.List: "lists",
    ast.Tuple: "tuples (a comma outside a function call)",
    ast.Set: "sets",
    ast.Dict: "dictionaries",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}
_NUMBER = re.compile(r"(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?(?:[eE](?P<exp>[+-]?[0-9]+))?")


def _describe_char(c: str) -> str:
    name = unicodedata.name(c, "unnamed")
    return f"{c!r} (U+{ord(c):04X} {name})"


def prepare(text: str) -> tuple[str, list[int]]:
    """The text Python's parser sees, and for each of its characters the column it came from.

    Checks the length first (a megabyte of input fails at once), then every
    character; ``^`` becomes ``**`` and the accepted Unicode operators their
    ASCII forms.
    """
    if not isinstance(text, str):
        raise ExpressionSyntaxError(f"an expression must be text (str), not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise InputTooLong(f"the expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    out: list[str] = []
    columns: list[int] = []
    for i, c in enumerate(text):
        if c == "^":
            out += "**"
            columns += [i, i]
            continue
        if c in UNICODE_OPERATORS:
            c = UNICODE_OPERATORS[c]
        elif c == "\t":
            c = " "
        elif ord(c) > 126:
            raise ForbiddenCharacter(
                f"character {_describe_char(c)} is not allowed: expressions are plain ASCII, look-alike letters "
                f"and digits are rejected, not converted (column {i + 1})",
                text,
                i,
            )
        elif ord(c) < 32 or ord(c) == 127:
            what = "line breaks are" if c in "\r\n" else f"control character U+{ord(c):04X} is"
            raise ForbiddenCharacter(f"{what} not allowed (column {i + 1})", _visible(text), i)
        elif c in FORBIDDEN_ASCII:
            raise ForbiddenCharacter(f"character {c!r} is not allowed (column {i + 1})", text, i)
        out.append(c)
        columns.append(i)
    prepared = "".join(out)
    if not prepared.strip():
        raise ExpressionSyntaxError("the expression is empty")
    lead = len(prepared) - len(prepared.lstrip(" "))  # surrounding blanks are not part of the expression
    return prepared[lead:].rstrip(" "), columns[lead:]


def _visible(text: str) -> str:
    """``text`` with control characters shown as spaces, so a caret line stays aligned."""
    return "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)


def _check_brackets(prepared: str, columns: list[int], text: str) -> None:
    """Bracket depth, checked before Python's parser sees deeply nested text."""
    depth = 0
    for i, c in enumerate(prepared):
        if c in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise NestingTooDeep(
                    f"brackets nested more than {MAX_DEPTH} deep (column {columns[i] + 1})", text, columns[i]
                )
        elif c in ")]}":
            depth -= 1


def _syntax_tree(prepared: str, columns: list[int], text: str) -> ast.Expression:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. SyntaxWarning for `1 is 1`: the whitelist rejects it anyway
            return ast.parse(prepared, mode="eval")
    except SyntaxError as e:
        offset = (e.offset or len(prepared) + 1) - 1
        col = columns[offset] if 0 <= offset < len(columns) else len(text)
        msg = (e.msg or "invalid syntax").rstrip(".")
        if re.match(r"[0-9.]", prepared[offset : offset + 1] or " ") and "literal" in msg:
            msg += "; write products with *, e.g. 2*x"
        raise ExpressionSyntaxError(f"syntax error: {msg} (column {col + 1})", text, col) from None
    except (MemoryError, RecursionError):
        raise NestingTooDeep(f"the expression is nested too deeply to parse (limit {MAX_DEPTH})") from None


def _depth(tree: ast.AST) -> int:
    """Nesting depth of the tree; a chain a + b - c + … (or a * b / c …) counts as one level."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)):
                continue
            same_chain = (
                isinstance(node, ast.BinOp)
                and child is node.left
                and isinstance(child, ast.BinOp)
                and _group(child.op) == _group(node.op) is not None
            )
            stack.append((child, depth if same_chain else depth + 1))
    return deepest


def _group(op: ast.operator) -> str | None:
    if isinstance(op, (ast.Add, ast.Sub)):
        return "additive"
    if isinstance(op, (ast.Mult, ast.Div)):
        return "multiplicative"
    return None


class Checker:
    """The whitelist check of one syntax tree (no SymPy): positions, and the leftmost node outside the grammar."""

    def __init__(self, text: str, prepared: str, columns: list[int], names: Collection[str]):
        self.text, self.prepared, self.columns, self.names = text, prepared, columns, names

    # -- positions ---------------------------------------------------------------------------------------------
    def col(self, node: ast.AST) -> int:
        """0-based column in the original text where ``node`` starts."""
        offset = getattr(node, "col_offset", 0)
        return self.columns[offset] if offset < len(self.columns) else len(self.text)

    def operator_col(self, node: ast.BinOp) -> int:
        """Column of a binary operator: the first non-blank character after the left operand (and its brackets)."""
        i = node.left.end_col_offset or 0
        while i < len(self.prepared) and self.prepared[i] in " )":
            i += 1
        return self.columns[min(i, len(self.columns) - 1)]

    def error(self, cls: type[ExpressionError], message: str, col: int) -> ExpressionError:
        return cls(f"{message} (column {col + 1})", self.text, col)

    # -- the whitelist -----------------------------------------------------------------------------------------
    def check(self, tree: ast.Expression) -> None:
        """Raise for the leftmost node outside the grammar (nothing is built from a tree that has one)."""
        problems: list[tuple[int, ExpressionError]] = []
        stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
        while stack:
            node, condition = stack.pop()
            problem = self.problem(node, condition)
            if problem is not None:
                problems.append((node.col_offset, problem))
                continue
            stack += self.children(node, condition)
        if problems:
            raise min(problems, key=lambda p: p[0])[1]

    def children(self, node: ast.AST, condition: bool) -> list[tuple[ast.AST, bool]]:
        if isinstance(node, ast.Call):
            args = [(a, False) for a in node.args]
            if node.func.id == "where":
                args[0] = (node.args[0], True)
            return args
        if isinstance(node, ast.BoolOp):
            return [(v, True) for v in node.values]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return [(node.operand, True)]
        if isinstance(node, ast.Compare):
            return [(node.left, False)] + [(c, False) for c in node.comparators]
        if isinstance(node, ast.BinOp):
            return [(node.left, False), (node.right, False)]
        if isinstance(node, ast.UnaryOp):
            return [(node.operand, False)]
        return []

    def problem(self, node: ast.AST, condition: bool) -> ExpressionError | None:  # noqa: C901 - one case per node type
        col = self.col(node)
        if isinstance(node, ast.BinOp):
            if type(node.op) in _BINARY:
                return None
            symbol = _OTHER_OPERATORS.get(type(node.op), type(node.op).__name__)
            hint = "; write 'and'/'or' in a condition" if symbol in "&|" else ""
            return self.error(NotAllowed, f"operator {symbol!r} is not allowed{hint}", self.operator_col(node))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, (ast.USub, ast.UAdd)):
                return None
            if isinstance(node.op, ast.Not):
                return None if condition else self.out_of_place("'not'", col)
            return self.error(NotAllowed, "operator '~' is not allowed", col)
        if isinstance(node, (ast.Compare, ast.BoolOp)):
            if not condition:
                return self.out_of_place("a comparison" if isinstance(node, ast.Compare) else "'and'/'or'", col)
            if isinstance(node, ast.Compare):
                bad = [op for op in node.ops if type(op) not in COMPARISON_OPERATORS]
                if bad:
                    return self.error(NotAllowed, f"'{_cmp_text(bad[0])}' is not allowed in a condition", col)
            return None
        if condition:
            return self.error(BadCall, "the condition of where(...) must be a comparison, such as x > 0", col)
        if isinstance(node, ast.Constant):
            return self.constant_problem(node, col)
        if isinstance(node, ast.Name):
            return self.name_problem(node.id, col)
        if isinstance(node, ast.Call):
            return self.call_problem(node, col)
        what = _CONSTRUCTS.get(type(node), type(node).__name__)
        return self.error(NotAllowed, f"not allowed: {what}", col)

    def out_of_place(self, what: str, col: int) -> ExpressionError:
        return self.error(BadCall, f"{what} is only allowed in the condition of where(condition, a, b)", col)

    def constant_problem(self, node: ast.Constant, col: int) -> ExpressionError | None:
        v = node.value
        if isinstance(v, bool) or v is None or v is Ellipsis:
            return self.error(NotAllowed, f"{v!r} is not allowed", col)
        if isinstance(v, (str, bytes)):
            return self.error(NotAllowed, "strings are not allowed", col)
        if isinstance(v, complex):
            return self.error(NotAllowed, "complex numbers are not allowed", col)
        literal = self.literal(node)
        m = _NUMBER.fullmatch(literal.replace("_", ""))
        if m is None or not (m["int"] or m["frac"]):
            return self.error(NotAllowed, f"only decimal numbers are allowed, not {literal!r}", col)
        digits = ((m["int"] or "") + (m["frac"] or "")).lstrip("0")
        if len(digits) > MAX_DIGITS:
            return self.error(
                NumberTooLarge, f"number literal with {len(digits)} digits; the limit is {MAX_DIGITS}", col
            )
        return None

    def name_problem(self, name: str, col: int) -> ExpressionError | None:
        if name in self.names or name in CONSTANT_NAMES:
            return None
        if name in ARITY:
            return self.error(BadCall, f"{name} is a function: call it as {name}(...)", col)
        return self.error(UnknownName, self.unknown(name), col)

    def unknown(self, name: str) -> str:
        known = [*self.names, *CONSTANT_NAMES, *ARITY]
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        if close:
            return f"unknown name {name!r}; did you mean {', '.join(close)}?"
        variables = ", ".join(self.names) or "none"
        return f"unknown name {name!r}; variables: {variables}; constants: pi, e; functions: {', '.join(ARITY)}"

    def call_problem(self, node: ast.Call, col: int) -> ExpressionError | None:
        if not isinstance(node.func, ast.Name):
            inner = self.problem(node.func, False)
            return inner or self.error(NotAllowed, "only the functions of the grammar can be called", col)
        name = node.func.id
        if name not in ARITY:
            if name in self.names or name in CONSTANT_NAMES:
                return self.error(BadCall, f"{name!r} is not a function", col)
            return self.error(UnknownName, self.unknown(name).replace("unknown name", "unknown function", 1), col)
        if node.keywords:
            kw = node.keywords[0]
            return self.error(NotAllowed, "keyword arguments are not allowed", self.col(kw))
        f = ARITY[name]
        n = len(node.args)
        if any(isinstance(a, ast.Starred) for a in node.args):
            return None  # reported at the starred argument itself
        if n < f.min_args or (f.max_args is not None and n > f.max_args):
            wanted = (
                f"{f.min_args} argument{'s' * (f.min_args > 1)}"
                if f.max_args == f.min_args
                else f"at least {f.min_args} arguments"
            )
            return self.error(BadCall, f"{name} takes {wanted}, not {n}", col)
        return None

    def literal(self, node: ast.Constant) -> str:
        return self.prepared[node.col_offset : node.end_col_offset]


def _cmp_text(op: ast.cmpop) -> str:
    return {ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}.get(type(op), type(op).__name__)


def check_syntax(text: str, names: Collection[str] = ("x",)) -> tuple[ast.Expression, Checker]:
    """The syntax tree of ``text`` and its checker, once every check that needs no SymPy passed.

    ``names`` are the declared variables and parameters.  Raises an :class:`ExpressionError` subclass
    (one-line message; ``e.display()`` adds the input and a caret).  Surrounding whitespace is ignored.
    """
    prepared, columns = prepare(text)
    _check_brackets(prepared, columns, text)
    tree = _syntax_tree(prepared, columns, text)
    count = sum(isinstance(node, ast.expr) for node in ast.walk(tree))
    if count > MAX_NODES:
        raise TooManyNodes(f"the expression has {count} syntax nodes; the limit is {MAX_NODES}")
    depth = _depth(tree)
    if depth > MAX_DEPTH:
        raise NestingTooDeep(f"the expression is nested {depth} levels deep; the limit is {MAX_DEPTH}")
    checker = Checker(text, prepared, columns, names)
    checker.check(tree)
    _integer_powers(tree.body, checker)
    return tree, checker


def _integer_powers(node: ast.AST, checker: Checker) -> float | None:
    """The float64 value of an integer constant built from literals, unary signs and powers (else None),
    raising :class:`ExponentTooLarge` for a constant exponent beyond ±MAX_EXPONENT — the conversion's own
    check, made here so that ``9**9**9**9`` is refused before SymPy is imported.  Children are visited
    left to right, as the conversion does."""
    if isinstance(node, ast.Constant):
        v = node.value
        return float(v) if isinstance(v, int) and not isinstance(v, bool) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _integer_powers(node.operand, checker)
        return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        b, e = _integer_powers(node.left, checker), _integer_powers(node.right, checker)
        if e is not None and not abs(e) <= MAX_EXPONENT:
            shown = str(int(e)) if abs(e) < 1e20 else f"{e:.3g}"
            col = checker.operator_col(node)
            raise checker.error(ExponentTooLarge, f"exponent {shown} is too large; the limit is ±{MAX_EXPONENT}", col)
        if b is None or e is None:
            return None
        try:
            return math.pow(b, e)
        except (OverflowError, ValueError, ZeroDivisionError):
            return None
    for child in ast.iter_child_nodes(node):
        _integer_powers(child, checker)
    return None
