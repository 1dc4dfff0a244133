"""A rule-based differentiator that records the steps a person would write.

``differentiate(f, x)`` starts from the unevaluated derivative d/dx f and,
one rule at a time, replaces the first outstanding ``Derivative`` by what the
rule gives (sum, constant factor, product, quotient, power, exp, log, chain,
piecewise, …).  Every intermediate expression is kept, so a page can show

    d/dx f = … (sum rule) = … (chain rule) = … = result.

The final result is compared with ``sympy.diff`` in the tests; the
differentiator never calls ``sympy.diff`` on a non-trivial expression itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction


@dataclass(frozen=True)
class Step:
    """One line of a derivation: the rule applied and the expression after it."""

    rule: str
    expr: sp.Expr


@dataclass(frozen=True)
class Derivation:
    """d/d(wrt) of ``expr``: the ordered steps and the simplified result."""

    expr: sp.Expr
    wrt: sp.Symbol
    steps: tuple[Step, ...]
    result: sp.Expr

    @property
    def raw_result(self) -> sp.Expr:
        """The expression after the last rule, before simplification."""
        return self.steps[-1].expr if self.steps else self.result


class UnsupportedExpression(ValueError):
    """The differentiator has no rule for a node of the expression."""


def _d(f: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """Unevaluated derivative, or its value at once when it is trivial."""
    if not f.has(x):
        return sp.S.Zero
    if f == x:
        return sp.S.One
    return sp.Derivative(f, x)


def _apply_rule(f: sp.Expr, x: sp.Symbol) -> tuple[str, sp.Expr]:
    """Rewrite d/dx f by one rule; return (rule name, new expression)."""
    if isinstance(f, sp.Add):
        return "sum rule", sp.Add(*[_d(a, x) for a in f.args])

    if isinstance(f, sp.Mul):
        const, dep = f.as_independent(x, as_Add=False)
        if const != 1:
            return "constant factor", sp.Mul(const, _d(dep, x))
        num, den = sp.fraction(f)
        if den.has(x) and num.has(x) and den != 1:
            expr = (_d(num, x) * den - num * _d(den, x)) / den**2
            return "quotient rule", expr
        u, v = f.args[0], sp.Mul(*f.args[1:])
        return "product rule", _d(u, x) * v + u * _d(v, x)

    if isinstance(f, sp.Pow):
        base, expo = f.args
        if not expo.has(x):
            outer = expo * base ** (expo - 1)
            if base == x:
                return "power rule", outer
            return "power rule + chain rule", sp.Mul(outer, _d(base, x))
        if not base.has(x):
            rule = "exponential rule" if base == sp.E else "exponential rule (base a)"
            return rule + _chain(expo, x), sp.Mul(f * sp.log(base), _d(expo, x))
        # general power u^v = exp(v log u)
        return "general power rule", sp.Mul(f, _d(expo * sp.log(base), x))

    if isinstance(f, sp.exp):
        (u,) = f.args
        return "exponential rule" + _chain(u, x), sp.Mul(f, _d(u, x))

    if isinstance(f, sp.log):
        (u,) = f.args
        return "logarithm rule" + _chain(u, x), sp.Mul(1 / u, _d(u, x))

    if isinstance(f, sp.Piecewise):
        pieces = [(_d(e, x), c) for e, c in f.args]
        return "piecewise rule (differentiate each branch)", sp.Piecewise(*pieces)

    if isinstance(f, (sp.Max, sp.Min)):
        return "rewrite max/min as piecewise", _d(f.rewrite(sp.Piecewise), x)

    if isinstance(f, sp.Abs):
        (u,) = f.args
        return "absolute value rule" + _chain(u, x), sp.Mul(sp.sign(u), _d(u, x))

    if isinstance(f, sp.Function):
        terms = []
        for i, u in enumerate(f.args, start=1):
            if u.has(x):
                terms.append(sp.Mul(f.fdiff(i), _d(u, x)))
        name = f"derivative of {f.func.__name__}"
        inner = f.args[0] if len(f.args) == 1 else None
        chain = _chain(inner, x) if inner is not None else " + multivariable chain rule"
        return name + chain, sp.Add(*terms)

    raise UnsupportedExpression(f"no differentiation rule for {type(f).__name__}: {f}")


def _chain(inner: sp.Expr, x: sp.Symbol) -> str:
    return "" if inner == x else " + chain rule"


def _first_derivative(expr: sp.Expr) -> sp.Derivative | None:
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Derivative):
            return node
    return None


# Functions that tidy() holds fixed while it simplifies: sympy.simplify would rewrite tanh through cosh and sinh
# (slowly, by trigsimp, into a form with a new function, which tidy() throws away).  Trigonometric functions are
# not held: sin² + cos² = 1 is a simplification a learner expects.
HELD = (HyperbolicFunction,)


def simplify_held(expr: sp.Expr) -> sp.Expr:
    """``sympy.simplify(expr)`` with every hyperbolic function (tanh, cosh, sinh...) held fixed.

    Each application f(u) stands as a symbol with f(u)'s assumptions while SymPy simplifies, then is put back:
    simplify(e[t := tanh(u)]) = simplify(e)[t := tanh(u)], an exact substitution, so the result equals ``expr``
    (for σ′ = e^{-x}/(1 + e^{-x})², and for tanh′ = 1 − tanh²(x), which keeps tanh).
    """
    applications = expr.atoms(*HELD)
    if not applications:
        return sp.simplify(expr)
    held = {f: sp.Dummy(**f.assumptions0) for f in applications}
    return sp.simplify(expr.xreplace(held)).xreplace({d: f for f, d in held.items()})


@cache
def tidy(expr: sp.Expr) -> sp.Expr:
    """The shortest of a few standard simplifications that adds no new function.

    The candidates: ``expr`` itself, ``sympy.factor(expr)`` and :func:`simplify_held` (``sympy.simplify`` with the
    hyperbolic functions held fixed); the shortest by ``count_ops`` whose functions were all in
    ``expr``.  ``sympy.simplify`` alone likes to turn e^{-x}/(1+e^{-x})^2 into 1/(4 cosh^2(x/2)); a learner
    should see the former.  Cached: the gradient and the last step of a derivation often tidy the same
    expression (a piecewise derivative, a softmax entry).
    """
    allowed = {type(f) for f in expr.atoms(sp.Function)}
    candidates = [expr, sp.factor(expr), simplify_held(expr)]
    fair = [c for c in candidates if {type(f) for f in c.atoms(sp.Function)} <= allowed]
    return min(fair, key=sp.count_ops)


def differentiate(expr: sp.Expr, x: sp.Symbol, max_steps: int = 200) -> Derivation:
    """Differentiate ``expr`` by ``x`` rule by rule, keeping every step.

    Returns a :class:`Derivation` whose ``result`` equals ``sympy.diff(expr, x)``
    (proven in the tests for every catalogue entry).
    """
    current: sp.Expr = _d(expr, x)
    steps: list[Step] = []
    while (node := _first_derivative(current)) is not None:
        if len(steps) >= max_steps:
            raise UnsupportedExpression(f"more than {max_steps} steps differentiating {expr}")
        rule, replacement = _apply_rule(node.expr, x)
        current = current.xreplace({node: replacement})
        steps.append(Step(rule, current))
    result = tidy(current)
    if steps and result != steps[-1].expr:
        steps.append(Step("simplify", result))
    return Derivation(expr=expr, wrt=x, steps=tuple(steps), result=result)
