"""Hostile input: every string gives its documented error quickly, and no code runs.

Each string of the corpus would do something if Python evaluated it — import a
module, create a file (the canary), read an attribute chain to ``object``,
allocate gigabytes, recurse without end — or tries to slip past the grammar
(Unicode look-alikes, Python builtins, literals of other types).  The parser
must answer each with the documented error class, in under 2 s (a generous
hang guard; the slowest is reported in the summary), and the canary file must
never appear.  ``builtins.eval``/``exec`` are replaced by tripwires while the
corpus is parsed: if anything called them, the test fails.
"""

from __future__ import annotations

import builtins
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.custom import parse as dp
from derive.custom.expression import DerivationTimeout, InvalidName, InvalidOption, derive_expression

HANG_GUARD = 2.0  # seconds per string
CANARY = "CANARY"  # replaced by a path in tmp_path: the file a successful attack would create


def corpus(canary: str) -> dict[str, type[dp.ExpressionError]]:
    """The hostile strings and the error each must give."""
    touch = f"__import__('pathlib').Path('{canary}').touch()"
    return {
        # code execution through Python's object model
        "().__class__.__bases__[0].__subclasses__()": dp.NotAllowed,
        "().__class__.__bases__": dp.NotAllowed,
        "x.__class__": dp.NotAllowed,
        "__builtins__": dp.UnknownName,
        "__import__": dp.UnknownName,
        "__import__('os').system('touch " + canary + "')": dp.NotAllowed,
        touch: dp.NotAllowed,
        f"open('{canary}', 'w').write('x')": dp.NotAllowed,  # the leftmost problem: .write
        f"open('{canary}', 'w')": dp.UnknownName,
        f"exec(\"open('{canary}','w')\")": dp.UnknownName,
        f"eval(\"open('{canary}','w')\")": dp.UnknownName,
        "eval": dp.UnknownName,
        "exec(x)": dp.UnknownName,
        "getattr(x, 'real')": dp.UnknownName,
        "getattr(x, x)": dp.UnknownName,
        "globals()": dp.UnknownName,
        "locals()": dp.UnknownName,
        "vars(x)": dp.UnknownName,
        "compile(x, x, x)": dp.UnknownName,
        "breakpoint()": dp.UnknownName,
        "input()": dp.UnknownName,
        "print(x)": dp.UnknownName,
        "help(x)": dp.UnknownName,
        "type(x)": dp.UnknownName,
        "sympify(x)": dp.UnknownName,
        "lambdify(x, x)": dp.UnknownName,
        "exp.__globals__": dp.NotAllowed,
        "sigmoid.__init__.__globals__['sp']": dp.NotAllowed,
        "x.func": dp.NotAllowed,
        # Python syntax outside the grammar
        "lambda: 0": dp.NotAllowed,
        "(lambda x: x)(2)": dp.NotAllowed,
        "[x for x in (1, 2)]": dp.NotAllowed,
        "{x: 1 for x in (1,)}": dp.NotAllowed,
        "sum(x for x in (1, 2))": dp.UnknownName,
        "exp(x for x in (1, 2))": dp.NotAllowed,
        "(y := 5)": dp.NotAllowed,
        "f'{x}'": dp.NotAllowed,
        'f\'{__import__("os").system("id")}\'': dp.NotAllowed,
        "exp(*x)": dp.NotAllowed,
        "max(**x)": dp.NotAllowed,
        "exp(x=1)": dp.NotAllowed,
        "x[0]": dp.NotAllowed,
        "x[1:2]": dp.NotAllowed,
        "[x, x]": dp.NotAllowed,
        "(x, x)": dp.NotAllowed,
        "{x}": dp.NotAllowed,
        "{}": dp.NotAllowed,
        "x if x else 1": dp.NotAllowed,
        "await x": dp.NotAllowed,
        "yield x": dp.ExpressionSyntaxError,
        "import os": dp.ExpressionSyntaxError,
        "x = 1": dp.ExpressionSyntaxError,
        "x; import os": dp.ExpressionSyntaxError,
        "x @ x": dp.NotAllowed,
        "x // 2": dp.NotAllowed,
        "x << 100000000": dp.NotAllowed,
        "~x": dp.NotAllowed,
        "x and 1": dp.BadCall,
        "not x": dp.BadCall,
        # literals of other types
        "'x'": dp.NotAllowed,
        "b'x'": dp.NotAllowed,
        "'a' * 10**10": dp.NotAllowed,
        "1j": dp.NotAllowed,
        "2.5J*x": dp.NotAllowed,
        "True": dp.NotAllowed,
        "None": dp.NotAllowed,
        "...": dp.NotAllowed,
        "0x1F": dp.NotAllowed,
        "0o17": dp.NotAllowed,
        "0b101": dp.NotAllowed,
        # resource exhaustion
        "9**9**9**9": dp.ExponentTooLarge,
        "2**100000": dp.ExponentTooLarge,
        "10**10**10": dp.ExponentTooLarge,
        "x**(10**40)": dp.ExponentTooLarge,
        "((2**100)**100)**100": dp.NumberTooLarge,
        "exp(exp(exp(100)))": dp.NumberTooLarge,
        "max(exp(exp(exp(100))), 1)": dp.NumberTooLarge,
        "1e999999999": dp.NumberTooLarge,
        "1e-999999999": dp.NumberTooLarge,
        "9" * 1500: dp.NumberTooLarge,
        "(" * 10_000 + "x" + ")" * 10_000: dp.InputTooLong,
        "(" * 900 + "x" + ")" * 900: dp.NestingTooDeep,
        "[" * 100 + "]" * 100: dp.NestingTooDeep,
        "exp(" * 45 + "x" + ")" * 45: dp.NestingTooDeep,
        "-" * 400 + "x": dp.NestingTooDeep,
        "-" * 1000 + "x": dp.TooManyNodes,
        "x**" * 200 + "x": dp.NestingTooDeep,
        "x" * 1_000_000: dp.InputTooLong,
        "x+" * 500_000 + "x": dp.InputTooLong,
        "+".join(["x*x"] * 300): dp.TooManyNodes,
        # Unicode look-alikes and invisible characters: rejected, never normalised into ASCII
        "\u0435xp(x)": dp.ForbiddenCharacter,  # Cyrillic е
        "ex\u0440(x)": dp.ForbiddenCharacter,  # Cyrillic р
        "\uff45\uff58\uff50(x)": dp.ForbiddenCharacter,  # fullwidth ｅｘｐ (NFKC: exp)
        "\uff11\uff12*x": dp.ForbiddenCharacter,  # fullwidth digits
        "\U0001d431": dp.ForbiddenCharacter,  # mathematical bold x (NFKC: x)
        "x\u200b+1": dp.ForbiddenCharacter,  # zero-width space
        "\ufeffx": dp.ForbiddenCharacter,  # byte-order mark
        "x\u2044 2": dp.ForbiddenCharacter,  # fraction slash
        "x\u00a0+ 1": dp.ForbiddenCharacter,  # no-break space
        "\u03c0*x": dp.ForbiddenCharacter,  # π
        "x\u00b2": dp.ForbiddenCharacter,  # superscript two
        "x\x00": dp.ForbiddenCharacter,
        "x\n__import__('os')": dp.ForbiddenCharacter,
        "x\r": dp.ForbiddenCharacter,
        "x # __import__('os')": dp.ForbiddenCharacter,
        "x \\\n + 1": dp.ForbiddenCharacter,
        "\udcff": dp.ForbiddenCharacter,  # a lone surrogate (undecodable bytes from a command line)
        # names of Python and SymPy that are not in the grammar
        "open": dp.UnknownName,
        "os": dp.UnknownName,
        "sys": dp.UnknownName,
        "sp": dp.UnknownName,
        "numpy": dp.UnknownName,
        "E": dp.UnknownName,
        "I": dp.UnknownName,
        "oo": dp.UnknownName,
        "zoo": dp.UnknownName,
        "Symbol('x')": dp.UnknownName,
        "Integer(2)**Integer(10**9)": dp.UnknownName,
        "x.evalf(10**9)": dp.NotAllowed,
        # values that are not real numbers
        "sqrt(-1)": dp.NotReal,
        "log(-1)*x": dp.NotReal,
        "x/0": dp.NotReal,
        "0**-1": dp.NotReal,
        "log(x-x)": dp.NotReal,
    }


def test_the_corpus_is_large_enough() -> None:
    assert len(corpus(CANARY)) >= 50


class Tripwire(Exception):
    """eval or exec was called while parsing."""


@pytest.fixture
def no_eval(monkeypatch: pytest.MonkeyPatch):
    """Replace eval and exec by functions that record the call and raise."""
    calls: list[str] = []

    def tripwire(name):
        def call(*args, **kwargs):
            calls.append(name)
            raise Tripwire(name)

        return call

    monkeypatch.setattr(builtins, "eval", tripwire("eval"))
    monkeypatch.setattr(builtins, "exec", tripwire("exec"))
    return calls


def test_every_hostile_string_gives_its_error_quickly_and_runs_nothing(tmp_path: Path, no_eval: list) -> None:
    canary = tmp_path / "canary"
    cases = corpus(str(canary))
    slowest = (0.0, "")
    failures = []
    for text, expected in cases.items():
        start = time.perf_counter()
        try:
            dp.parse(text)
        except dp.ExpressionError as e:
            got = e
        else:
            got = None
        seconds = time.perf_counter() - start
        slowest = max(slowest, (seconds, text[:40]))
        if type(got) is not expected or seconds > HANG_GUARD:
            failures.append(
                f"{text[:60]!r}: {type(got).__name__} {got} in {seconds:.3f} s, expected {expected.__name__}"
            )
        elif "\n" in str(got):
            failures.append(f"{text[:60]!r}: message is not one line")
    assert not failures, "\n".join(failures)
    assert not canary.exists()
    assert no_eval == []
    print(f"\n{len(cases)} hostile strings; slowest {slowest[0] * 1000:.1f} ms: {slowest[1]!r}")


def test_the_derive_api_refuses_the_corpus_too(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    for text, expected in list(corpus(str(canary)).items())[::5]:  # every fifth: each call checks names first
        start = time.perf_counter()
        with pytest.raises(expected):
            derive_expression(text, name="hostile")
        assert time.perf_counter() - start < HANG_GUARD
    assert not canary.exists()


HOSTILE_NAMES = ["__class__", "__import__", "os.system", "exp", "numpy", "scipy", "as_float", "lambda", "open", "x y"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_function_variable_and_parameter_names(name: str) -> None:
    with pytest.raises(InvalidName):
        derive_expression("x", name=name)
    with pytest.raises(InvalidName):
        derive_expression("x", variable=name)
    with pytest.raises(InvalidName):
        derive_expression("x", parameters={name: 1.0})


@pytest.mark.parametrize(
    "options",
    [
        {"parameters": {"beta": float("nan")}},
        {"parameters": {"beta": "1; import os"}},
        {"plot_range": (1.0, -1.0)},
        {"plot_range": (0.0, float("inf"))},
        {"title": 'mish"""; import os; """'},
        {"title": "two\nlines"},
        {"summary": "back\\slash"},
        {"time_limit": 0},
    ],
    ids=["nan", "text", "reversed", "infinite", "quotes", "newline", "backslash", "time"],
)
def test_hostile_options(options: dict) -> None:
    with pytest.raises(InvalidOption):
        derive_expression("x*beta", parameters=options.pop("parameters", {"beta": 1.0}), **options)


def test_simplification_time_limit_stops_the_worker() -> None:
    """GELU's tanh approximation takes seconds to simplify: with a limit of 0.3 s the worker is killed."""
    start = time.perf_counter()
    with pytest.raises(DerivationTimeout, match="took longer than the time limit of 0.3 s"):
        derive_expression("0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))", name="gelu_tanh", time_limit=0.3)
    assert time.perf_counter() - start < HANG_GUARD


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nnmath.cli", "derive", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("__import__('os').system('touch CANARY')", "not allowed: attribute access (a.b) (column 1)"),
        ("open('CANARY', 'w')", "unknown function 'open'; variables: x;"),
        ("9**9**9**9", "exponent 387420489 is too large; the limit is ±100 (column 5)"),
        ("(" * 5000 + "x" + ")" * 5000, "the expression is 10001 characters long; the limit is 2000"),
        ("\u0435xp(x)", "character 'е' (U+0435 CYRILLIC SMALL LETTER IE) is not allowed"),
        ("lambda: 0", "not allowed: lambda (column 1)"),
    ],
    ids=["import", "open", "power", "nesting", "cyrillic", "lambda"],
)
def test_hostile_strings_on_the_command_line(tmp_path: Path, text: str, message: str) -> None:
    canary = tmp_path / "canary"
    r = run_cli(text.replace("CANARY", str(canary)), "--name", "hostile")
    assert r.returncode == 2 and r.stdout == ""
    first, *caret = r.stderr.rstrip("\n").split("\n")
    assert first.startswith("nnmath: error: ") and message in first, r.stderr
    assert "Traceback" not in r.stderr
    if "column" in first:  # the input, and a caret under the column
        shown, marker = caret
        column = int(first.split("(column ")[1].split(")")[0])
        assert marker.index("^") == shown.index(text[:3]) + column - 1
    else:
        assert caret == []
    assert not canary.exists()


# -- property: any text at all gives a SymPy expression or a clean error, quickly --------------------------------

GRAMMAR_PIECES = [
    "x", "1", "0.5", "e", "pi", "+", "-", "*", "/", "^", "**", "(", ")", ",", "<", ">", "==", " and ", " not ",
    "exp(", "log(", "sqrt(", "max(", "where(", "sigmoid(", "softplus(", "abs(", "9", "1e400", "0",
]  # fmt: skip
JUNK = ["__", ".", "[", "]", "'", '"', "{", "}", ":", "=", "lambda", "import", "os", "#", "\\", "\n", "@", "%",
        "\u0435", "\uff58", "\u2212", "\u00d7", "j", ";", "*", "!"]  # fmt: skip


@settings(max_examples=500, deadline=HANG_GUARD * 1000, derandomize=True)
@given(st.text(max_size=60))
def test_arbitrary_text_parses_or_gives_a_clean_error(text: str) -> None:
    try:
        dp.parse(text)
    except dp.ExpressionError as e:
        assert str(e) and "\n" not in str(e)


@settings(max_examples=500, deadline=HANG_GUARD * 1000, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(GRAMMAR_PIECES + JUNK), max_size=40))
def test_token_soup_parses_or_gives_a_clean_error(pieces: list[str]) -> None:
    text = "".join(pieces)
    try:
        dp.parse(text)
    except dp.ExpressionError as e:
        assert str(e) and "\n" not in str(e)
        if e.column is not None:
            assert 0 <= e.column <= len(text)
