"""The rule-based differentiator: each rule, and its agreement with sympy.diff."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.calculus.steps import UnsupportedExpression, differentiate, simplify_held

x = sp.Symbol("x", real=True)
a = sp.Symbol("a", positive=True)

CASES = {
    "sum rule": x**2 + sp.exp(x),
    "constant factor": 3 * sp.log(x),
    "product rule": x * sp.exp(x),
    "quotient rule": sp.exp(x) / (1 + x**2),
    "power rule + chain rule": (1 + x**2) ** 5,
    "exponential rule + chain rule": sp.exp(-(x**2)),
    "exponential rule (base a)": a**x,
    "logarithm rule + chain rule": sp.log(1 + sp.exp(x)),
    "general power rule": x**x,
    "piecewise rule (differentiate each branch)": sp.Piecewise((x**2, x > 0), (-x, True)),
    "absolute value rule + chain rule": sp.Abs(x - 3),
    "derivative of tanh + chain rule": sp.tanh(2 * x),
    "rewrite max/min as piecewise": sp.Max(0, x),
}


@pytest.mark.parametrize("rule, expr", CASES.items(), ids=list(CASES))
def test_first_rule_and_result(rule: str, expr: sp.Expr) -> None:
    d = differentiate(expr, x)
    assert d.steps[0].rule == rule
    expected = sp.diff(expr.rewrite(sp.Piecewise) if expr.has(sp.Max) else expr, x)
    assert sp.simplify(d.result - expected) == 0


def test_each_step_resolves_one_derivative_at_a_time() -> None:
    d = differentiate(x * sp.exp(x) + sp.sin(x) ** 2, x)
    counts = [len(s.expr.atoms(sp.Derivative)) for s in d.steps]
    assert counts[-1] == 0
    assert len(d.steps) >= 4  # sum, product, exp, power+chain, sin ...


def test_sigmoid_from_its_textbook_form() -> None:
    d = differentiate(1 / (1 + sp.exp(-x)), x)
    rules = [s.rule for s in d.steps]
    assert rules[0] == "power rule + chain rule"
    assert "exponential rule + chain rule" in rules
    # the tidy result stays in exponentials (no cosh) and equals σ(1 − σ)
    assert not d.result.has(sp.cosh)
    s = 1 / (1 + sp.exp(-x))
    assert sp.simplify(d.result - s * (1 - s)) == 0


HELD_CASES = {
    "tanh' keeps tanh": (1 - sp.tanh(x) ** 2, 1 - sp.tanh(x) ** 2),
    "the algebra around tanh is simplified": (
        (sp.tanh(x) * sp.exp(x) + sp.tanh(x)) / (sp.exp(x) + 1),
        sp.tanh(x),
    ),
    "no trigonometric function: sympy.simplify": ((sp.exp(x) ** 2 - 1) / (sp.exp(x) - 1), sp.exp(x) + 1),
    "sin and cos are not held": (sp.sin(x) ** 2 + sp.cos(x) ** 2 + sp.tanh(x), 1 + sp.tanh(x)),
}


@pytest.mark.parametrize("expr, expected", HELD_CASES.values(), ids=list(HELD_CASES))
def test_simplify_holds_hyperbolic_functions(expr: sp.Expr, expected: sp.Expr) -> None:
    assert simplify_held(expr) == expected


def test_held_functions_keep_their_assumptions() -> None:
    # tanh(x) of a real x is real: |tanh(x)|**2 is tanh(x)**2 only because the held symbol is real too
    assert simplify_held(sp.Abs(sp.tanh(x)) ** 2) == sp.tanh(x) ** 2


def test_unsupported_node_is_a_clear_error() -> None:
    f = sp.Function("f")
    with pytest.raises(UnsupportedExpression, match="no differentiation rule"):
        differentiate(sp.Integral(f(x), x) * x, x)
