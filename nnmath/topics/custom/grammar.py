"""What you can type: the grammar's functions and its limits, as the parser has them (computed, never copied)."""

from __future__ import annotations

import sympy as sp

from derive.calculus.functions import textbook
from derive.custom import parse
from derive.printing import formulas
from derive.printing.formulas import in_table
from derive.printing.textbook import latex
from nnmath.topics.base import Tex


def functions() -> list[dict]:
    """The grammar's functions: name, meaning, and the SymPy object each builds (as LaTeX, textbook form beside)."""
    u, v = sp.symbols("u v", real=True)
    rows = []
    for name, f in parse.FUNCTIONS.items():
        args = {1: (u,), 2: (u, v), 3: (u > 0, u, v)}[f.max_args or f.min_args]
        built = f.build(*args)
        forms = [built] + ([textbook(built)] if textbook(built) != built else [])
        call = f"{name}({', '.join(['u > 0', 'u', 'v'] if name == 'where' else [a.name for a in args])})"
        rows.append({"call": call, "meaning": f.meaning, "maths": Tex(in_table(formulas.equation(*forms)).strip())})
    return rows


# (limit, example input) for the table of limits; the messages are produced by the parser when the site is built.
LIMIT_EXAMPLES = (
    ("input length: {MAX_LENGTH} characters", "x+" * 1000 + "x"),
    ("nesting depth: {MAX_DEPTH} levels", "(" * 50 + "x" + ")" * 50),
    ("syntax nodes: {MAX_NODES}", "+".join(["x*x"] * 200)),
    ("digits of a number: {MAX_DIGITS}", "1" * 50 + "*x"),
    ("constant exponents: ±{MAX_EXPONENT}", "9**9**9**9"),
    ("constants: finite in float64", "exp(1000)*x"),
    ("constants: real and defined", "x/0"),
    ("only the grammar", "__import__('os').system('ls')"),
    ("plain ASCII (no look-alikes)", "\u0435xp(x)"),
)


def limits() -> list[dict]:
    """Each limit with an example input and the error the parser gives for it (computed now)."""
    values = {k: getattr(parse, k) for k in ("MAX_LENGTH", "MAX_DEPTH", "MAX_NODES", "MAX_DIGITS", "MAX_EXPONENT")}
    rows = []
    for limit, example in LIMIT_EXAMPLES:
        try:
            parse.parse(example)
        except parse.ExpressionError as e:
            message, error = str(e), type(e).__name__
        else:
            raise AssertionError(f"the example of {limit!r} parsed: {example!r}")
        shown = example if len(example) <= 40 else f"{example[:20]}… ({len(example)} characters)"
        rows.append({"limit": limit.format(**values), "example": shown, "message": message, "error": error})
    return rows


def tenth() -> Tex:
    """How the parser reads ``0.1``: exactly one tenth (decimals are exact), as LaTeX."""
    return Tex(latex(parse.parse("0.1")))
