"""Hostile input is rejected before SymPy is imported; whitespace around an expression is accepted; a
derivative whose simplification runs out of time is still given, unsimplified and marked so."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = [
    "__import__('os').system('echo owned')",
    "x.__class__",
    "lambda: 0",
    "(" * 1000 + "x" + ")" * 1000,
    "x" + "+x" * 5000,
    "ехр(x)",
    "x # a comment",
    "[x for x in ()]",
]


def _python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)


def test_building_the_command_line_parser_imports_no_sympy() -> None:
    proc = _python(
        "import sys\nfrom nnmath.cli import build_parser\nbuild_parser()\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sympy', 'numpy', 'jinja2', 'matplotlib'})\n"
        "print(heavy)"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_rejected_before_sympy_is_imported(text: str) -> None:
    proc = _python(
        "import sys\nfrom nnmath.cli import main\n"
        f"status = main(['derive', '--', {text!r}])\n"
        "print(status, 'sympy' in sys.modules, 'matplotlib' in sys.modules)"
    )
    assert proc.stdout.split() == ["2", "False", "False"], proc.stdout + proc.stderr
    assert proc.stderr.startswith("nnmath: error: ") and "Traceback" not in proc.stderr


def test_the_grammar_checks_import_no_sympy() -> None:
    proc = _python(
        "import sys\nfrom derive.custom.syntax import ExpressionError, check_syntax\n"
        "check_syntax('x*tanh(log(1 + exp(x)))')\n"
        "print('sympy' in sys.modules)"
    )
    assert proc.stdout.strip() == "False", proc.stderr


@pytest.mark.parametrize("text", ["  x^2 + 1", "x^2 + 1  ", "\tx^2 + 1\t", "   x^2 + 1   "])
def test_surrounding_whitespace_is_accepted(text: str) -> None:
    from derive.custom.parse import parse

    assert parse(text) == parse("x^2 + 1")


def test_a_caret_still_points_at_the_right_column_after_leading_blanks() -> None:
    from derive.custom.parse import ExpressionError, parse

    with pytest.raises(ExpressionError) as e:
        parse("   x + $")
    assert e.value.column == 7 and e.value.display().splitlines()[-1] == "         ^"


def _slow_gradient(entry):
    time.sleep(600)


def test_simplification_out_of_time_falls_back_to_the_unsimplified_derivative(monkeypatch) -> None:
    import sympy as sp

    import derive.custom.expression as expression
    from nnmath.topics.custom.summary import summary

    monkeypatch.setattr(expression, "gradient", _slow_gradient)  # the worker is forked: it inherits this
    d = expression.derive_expression("x*tanh(log(1 + exp(x)))", name="mish", time_limit=30)
    assert not d.simplified
    assert d.derivative == sp.diff(d.definition, d.variable)
    assert abs(float(d.gradient(0.0)) - 0.6) < 1e-12
    assert "NOT SIMPLIFIED" in summary(d)


def test_tanh_nested_five_deep_derives() -> None:
    from derive.custom.expression import derive_expression

    d = derive_expression("tanh(tanh(tanh(tanh(tanh(x)))))", name="t5")
    assert d.agreement.holds
    assert abs(float(d.gradient(0.0)) - 1.0) < 1e-12  # every tanh has slope 1 at 0
