r"""Optimisers: SGD, momentum and Adam, each update rule written once.

The rules follow PyTorch's conventions (``torch.optim.SGD``, ``torch.optim.Adam``):

* SGD: :math:`w \leftarrow w - \eta g` (:func:`derive.topics.gradient_descent.gradient_step`);
* momentum: :math:`v \leftarrow \mu v + g`, :math:`w \leftarrow w - \eta v`, with :math:`v_0 = 0`
  (so the first step has :math:`v = g`, as PyTorch's first ``momentum_buffer``);
* Adam: :math:`m \leftarrow \beta_1 m + (1 - \beta_1) g`, :math:`v \leftarrow \beta_2 v + (1 - \beta_2) g^2`,
  :math:`\hat m = m / (1 - \beta_1^t)`, :math:`\hat v = v / (1 - \beta_2^t)`,
  :math:`w \leftarrow w - \eta \hat m / (\sqrt{\hat v} + \epsilon)`.

An L2 penalty enters every rule through the gradient, :math:`g + \lambda w`
(:func:`derive.topics.gradient_descent.l2_penalty_gradient`).

What SymPy proves here (:func:`bias_correction_proof`, :func:`momentum_proof`): for a constant
gradient the moving averages are geometric series, :math:`m_t = (1 - \beta^t) g`, so the
bias-corrected :math:`\hat m_t` equals :math:`g` for every :math:`t` — which is why Adam's first
steps are not too small; and momentum's velocity tends to :math:`g / (1 - \mu)`.

The NumPy module ``numeric/_generated/optimisers.py`` is printed from these rules
(:func:`generated_module`): pure functions through :func:`derive.numerics.codegen.expression_function`,
and in-place updates (``w += …``) through a small printer step, :func:`inplace_function`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from derive.numerics.codegen import GeneratedModule, expression_function, function_source, module_text
from derive.numerics.inplace import separate_update
from derive.printing.latex import latex
from derive.printing.numpy import NumPyCodePrinter
from derive.printing.textbook import latex as textbook_latex
from derive.printing.textbook import update
from derive.topics.gradient_descent import eta, gradient_step, l2_penalty_gradient  # eta: the learning rate η

# --- Symbols ------------------------------------------------------------------------------

w = sp.Symbol("w", real=True)  # a parameter
g = sp.Symbol("g", real=True)  # its gradient ∂C/∂w
v = sp.Symbol("v", real=True)  # momentum's velocity; Adam's second moment
m = sp.Symbol("m", real=True)  # Adam's first moment
mu = sp.Symbol("mu", positive=True)  # momentum coefficient μ
beta1 = sp.Symbol("beta1", positive=True)
beta2 = sp.Symbol("beta2", positive=True)
epsilon = sp.Symbol("epsilon", positive=True)
t = sp.Symbol("t", integer=True, positive=True)  # the step number, from 1
lam = sp.Symbol("lam", positive=True)
k = sp.Symbol("k", integer=True, nonnegative=True)  # a summation index; the epoch number of a schedule
eta_0 = sp.Symbol("eta_0", positive=True)  # a schedule's initial learning rate η₀
K = sp.Symbol("K", integer=True, positive=True)  # a schedule's number of epochs

# --- The rules, written once ------------------------------------------------------------


def sgd_step(w: sp.Basic, g: sp.Basic, lr: sp.Basic) -> sp.Basic:
    r"""Plain gradient descent: :math:`w \leftarrow w - \eta g`."""
    return gradient_step(w, g, lr)


def momentum_velocity(v: sp.Basic, g: sp.Basic, mu: sp.Basic) -> sp.Basic:
    r"""Momentum's velocity (PyTorch convention, no dampening): :math:`v \leftarrow \mu v + g`."""
    return mu * v + g


def momentum_step(w: sp.Basic, v: sp.Basic, lr: sp.Basic) -> sp.Basic:
    r"""Momentum's step along the velocity: :math:`w \leftarrow w - \eta v`."""
    return gradient_step(w, v, lr)


def moving_average(average: sp.Basic, value: sp.Basic, beta: sp.Basic) -> sp.Basic:
    r"""Exponential moving average: :math:`a \leftarrow \beta a + (1 - \beta) x`."""
    return beta * average + (1 - beta) * value


def adam_first_moment(m: sp.Basic, g: sp.Basic, beta1: sp.Basic) -> sp.Basic:
    r""":math:`m \leftarrow \beta_1 m + (1 - \beta_1) g`: the moving average of the gradient."""
    return moving_average(m, g, beta1)


def adam_second_moment(v: sp.Basic, g: sp.Basic, beta2: sp.Basic) -> sp.Basic:
    r""":math:`v \leftarrow \beta_2 v + (1 - \beta_2) g^2`: the moving average of the squared gradient."""
    return moving_average(v, g**2, beta2)


def bias_corrected(average: sp.Basic, beta: sp.Basic, t: sp.Basic) -> sp.Basic:
    r"""Bias correction of a moving average started at 0: :math:`\hat a = a / (1 - \beta^t)`."""
    return average / (1 - beta**t)


def adam_step(w, m, v, t, lr, beta1, beta2, eps) -> sp.Basic:
    r"""Adam's step: :math:`w \leftarrow w - \eta \hat m / (\sqrt{\hat v} + \epsilon)`."""
    m_hat, v_hat = bias_corrected(m, beta1, t), bias_corrected(v, beta2, t)
    return gradient_step(w, m_hat / (sp.sqrt(v_hat) + eps), lr)


def regularised_gradient(g: sp.Basic, w: sp.Basic, lam: sp.Basic) -> sp.Basic:
    r"""The gradient of loss + L2 penalty: :math:`g + \lambda w` (the catalogue's ``l2`` derivative)."""
    return g + l2_penalty_gradient(w, lam)


def cosine_learning_rate(eta_0: sp.Basic, k: sp.Basic, K: sp.Basic) -> sp.Basic:  # noqa: N803 - K as on the page
    r"""The cosine schedule: the learning rate after epoch k of K epochs,
    :math:`\eta_k = \tfrac{\eta_0}{2}(1 + \cos(\pi k/K))` (Loshchilov & Hutter 2017, without restarts):
    η₀ at the start, η₀/2 halfway, 0 at the end."""
    return eta_0 / 2 * (1 + sp.cos(sp.pi * k / K))


@dataclass(frozen=True)
class ScheduleFacts:
    """The cosine schedule at its start, halfway and at the end (SymPy evaluates each), and its slope.

    Attributes:
        formula: η_k as a SymPy expression of η₀, k, K.
        values: (k, η_k) at k = 0, K/2 and K.
        slope: dη_k/dk (SymPy); zero at both ends, so the rate leaves η₀ and arrives at 0 gently.
        slope_at_ends: the slope at k = 0 and k = K (both 0).
    """

    formula: sp.Expr
    values: tuple[tuple[sp.Expr, sp.Expr], ...]
    slope: sp.Expr
    slope_at_ends: tuple[sp.Expr, sp.Expr]


def cosine_schedule_facts() -> ScheduleFacts:
    """What SymPy says of the cosine schedule: η₀, η₀/2 and 0 at k = 0, K/2, K, and a flat start and end."""
    formula = cosine_learning_rate(eta_0, k, K)
    slope = sp.diff(formula, k)
    values = tuple((at, sp.simplify(formula.subs(k, at))) for at in (sp.Integer(0), K / 2, K))
    return ScheduleFacts(formula, values, slope, (sp.simplify(slope.subs(k, 0)), sp.simplify(slope.subs(k, K))))


# --- The rules as equations, for pages and handouts -----------------------------------


@dataclass(frozen=True)
class Rule:
    """One optimiser: its updates in order (target, new value), and a one-line description."""

    name: str
    title: str
    updates: tuple[tuple[sp.Symbol, sp.Expr], ...]
    description: str


def optimiser_rules() -> tuple[Rule, ...]:
    """SGD, momentum and Adam as sequences of updates (each right side uses the values updated before it)."""
    return (
        Rule("sgd", "Stochastic gradient descent", ((w, sgd_step(w, g, eta)),), "w ← w − η g"),
        Rule(
            "momentum",
            "Momentum (heavy ball, PyTorch convention)",
            ((v, momentum_velocity(v, g, mu)), (w, momentum_step(w, v, eta))),
            "v ← μ v + g, w ← w − η v (v starts at 0)",
        ),
        Rule(
            "adam",
            "Adam with bias correction",
            (
                (m, adam_first_moment(m, g, beta1)),
                (v, adam_second_moment(v, g, beta2)),
                (w, adam_step(w, m, v, t, eta, beta1, beta2, epsilon)),
            ),
            "moving averages m, v of g and g², bias-corrected by 1/(1 − βᵗ), step η m̂/(√v̂ + ε)",
        ),
    )


def hat_definitions() -> dict[str, sp.Eq]:
    """:math:`\\hat m` and :math:`\\hat v` as equations, for display."""
    m_hat, v_hat = sp.Symbol(r"\hat{m}"), sp.Symbol(r"\hat{v}")
    return {
        "m_hat": sp.Eq(m_hat, bias_corrected(m, beta1, t), evaluate=False),
        "v_hat": sp.Eq(v_hat, bias_corrected(v, beta2, t), evaluate=False),
        "step": update(w, gradient_step(w, m_hat / (sp.sqrt(v_hat) + epsilon), eta)),
    }


def update_tex(target: sp.Symbol, expr: sp.Expr) -> str:
    r"""``target \leftarrow expr`` in LaTeX, in textbook form (``w \leftarrow w - \eta g``, the target first)."""
    return textbook_latex(update(target, expr))


# --- What SymPy proves --------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesProof:
    """A moving average under a constant input, summed as a geometric series and proven by induction.

    Attributes:
        unrolled: a_t written as the sum the recurrence unrolls to, Σ_{k=0}^{t−1} (1−β) βᵏ x (unevaluated).
        closed: The sum evaluated by SymPy (β ≠ 1): (1 − βᵗ) x.
        at_zero: The closed form at t = 0 (the induction's base: 0).
        at_next: The closed form at t + 1 (what one more step of the rule must give).
        base_holds: The closed form gives a_0 = 0.
        step_holds: closed(t+1) − rule(closed(t)) simplifies to 0 (the induction step).
        corrected: The bias-corrected value closed / (1 − βᵗ), simplified.
        corrected_equals_input: corrected − x simplifies to 0: the proof's conclusion, for every t.
        checked_steps: The rule iterated exactly from 0 for t = 1…N, each bias-corrected value equal to x.
    """

    unrolled: sp.Expr
    closed: sp.Expr
    at_zero: sp.Expr
    at_next: sp.Expr
    base_holds: bool
    step_holds: bool
    corrected: sp.Expr
    corrected_equals_input: bool
    checked_steps: int

    @property
    def holds(self) -> bool:
        return self.base_holds and self.step_holds and self.corrected_equals_input


def _geometric_closed_form(unrolled: sp.Expr, beta: sp.Symbol) -> sp.Expr:
    """Evaluate the geometric sum, taking the β ≠ 1 branch of SymPy's Piecewise (0 < β < 1)."""
    summed = unrolled.doit()
    summed = summed.replace(
        lambda e: isinstance(e, sp.Piecewise), lambda e: next(val for val, cond in e.args if cond != sp.Eq(beta, 1))
    )
    return readable(sp.factor(sp.simplify(summed)))


def readable(expr: sp.Expr) -> sp.Expr:
    """The same fraction with the fewest minus signs: g(1 − βᵗ)/(1 − β) rather than g(βᵗ − 1)/(β − 1)."""
    numerator, denominator = sp.fraction(sp.factor(expr))
    candidates = [expr]
    for n, d in ((numerator, denominator), (-numerator, -denominator)):
        terms = sp.factor_terms(sp.expand(n))
        candidates.append(sp.Mul(terms, 1 / sp.expand(d), evaluate=True))
    return min(candidates, key=lambda e: (latex(e).count("-"), latex(e).count(" - 1"), len(latex(e))))


def bias_correction_proof(
    rule=adam_first_moment, beta: sp.Symbol = beta1, value: sp.Expr = g, iterations: int = 8
) -> SeriesProof:
    r"""For a constant input x and a_0 = 0, the moving average is :math:`a_t = (1 - \beta^t) x`,
    so the bias-corrected :math:`\hat a_t = x` exactly, for every t.

    ``rule(average, g, beta)`` is the update (``adam_first_moment``, or ``adam_second_moment``
    with ``value = g**2``).
    """
    one_step = sp.factor_terms(sp.expand(rule(sp.Integer(0), g, beta)))  # (1 − β) x: what one step adds from 0
    unrolled = sp.Sum(one_step * beta**k, (k, 0, t - 1))
    closed = _geometric_closed_form(unrolled, beta)
    at_zero, at_next = closed.subs(t, 0), closed.subs(t, t + 1)
    base_holds = sp.simplify(at_zero) == 0
    step_holds = sp.simplify(at_next - rule(closed, g, beta)) == 0
    corrected = sp.simplify(bias_corrected(closed, beta, t))
    # â_t − x is a rational function of β and g: cancel's reduced form is 0 exactly when it is identically 0.
    checked = sum(sp.cancel(hat - value) == 0 for _, hat in iterate_from_zero(rule, g, beta, iterations))
    return SeriesProof(
        unrolled=unrolled,
        closed=closed,
        at_zero=at_zero,
        at_next=at_next,
        base_holds=bool(base_holds),
        step_holds=bool(step_holds),
        corrected=corrected,
        corrected_equals_input=bool(sp.simplify(corrected - value) == 0),
        checked_steps=checked,
    )


def iterate_from_zero(rule, value: sp.Expr, beta: sp.Expr, steps: int) -> list[tuple[sp.Expr, sp.Expr]]:
    r"""The moving average ``rule(a, value, β)`` iterated exactly from :math:`a_0 = 0`.

    Returns :math:`(a_t, \hat a_t)` for t = 1 … ``steps``, with :math:`\hat a_t = a_t / (1 - \beta^t)`.
    """
    out, average = [], sp.Integer(0)
    for step in range(1, steps + 1):
        average = rule(average, value, beta)
        out.append((average, bias_corrected(average, beta, step)))
    return out


TABLE_BETA1 = sp.Rational(9, 10)  # β₁ of the worked table of Adam's first moment


def bias_table(steps: int = 5, beta: sp.Expr = TABLE_BETA1) -> list[tuple[int, sp.Expr, sp.Expr]]:
    r"""Adam's first moment for the constant gradient g = 1, in exact fractions: :math:`(t, m_t, \hat m_t)`."""
    moments = iterate_from_zero(adam_first_moment, sp.Integer(1), beta, steps)
    return [(step, m_t, m_hat) for step, (m_t, m_hat) in enumerate(moments, 1)]


@dataclass(frozen=True)
class MomentumProof:
    """Momentum under a constant gradient: the velocity as a geometric series, and its limit."""

    unrolled: sp.Expr
    closed: sp.Expr
    base_holds: bool
    step_holds: bool
    limit: sp.Expr

    @property
    def holds(self) -> bool:
        return self.base_holds and self.step_holds


def momentum_proof() -> MomentumProof:
    r"""v_0 = 0, v ← μv + g with constant g: :math:`v_t = g (1 - \mu^t)/(1 - \mu) \to g/(1 - \mu)` for 0 < μ < 1."""
    unrolled = sp.Sum(g * mu**k, (k, 0, t - 1))
    closed = _geometric_closed_form(unrolled, mu)
    base_holds = sp.simplify(closed.subs(t, 0)) == 0
    step_holds = sp.simplify(closed.subs(t, t + 1) - momentum_velocity(closed, g, mu)) == 0
    q = sp.Symbol("q", positive=True)  # the limit needs 0 < μ < 1: write μ = 1/(1 + q), q > 0
    limit = sp.limit(closed.xreplace({mu: 1 / (1 + q)}), t, sp.oo)
    limit = readable(sp.simplify(limit.xreplace({q: 1 / mu - 1})))
    return MomentumProof(unrolled, closed, bool(base_holds), bool(step_holds), limit)


def adam_first_step() -> sp.Expr:
    r"""Adam's first step from m = v = 0 with gradient g: :math:`w - \eta g / (|g| + \epsilon)` (size ≈ η)."""
    m1 = adam_first_moment(sp.Integer(0), g, beta1)
    v1 = adam_second_moment(sp.Integer(0), g, beta2)
    return adam_step(w, m1, v1, 1, eta, beta1, beta2, epsilon)  # m̂₁ = g, v̂₁ = g² cancel by themselves


# --- Code generation --------------------------------------------------------------------

ARRAYS = (w, g, v, m)  # the array arguments; every other argument is a scalar


def _hoist_scalars(expr: sp.Expr, arrays: set[sp.Symbol], names: list[tuple[sp.Symbol, sp.Expr]]) -> sp.Expr:
    """Replace every scalar-only factor or term by a temporary ``_s0, _s1, …`` (computed once, not per element)."""

    def scalar(e: sp.Basic) -> bool:
        return not (e.free_symbols & arrays)

    def hoist(e: sp.Expr) -> sp.Expr:
        if e.is_Atom:
            return e
        if scalar(e):
            existing = next((s for s, val in names if val == e), None)
            if existing is not None:
                return existing
            symbol = sp.Symbol(f"_s{len(names)}")
            names.append((symbol, e))
            return symbol
        if isinstance(e, (sp.Mul, sp.Add)):
            constant = [a for a in e.args if scalar(a)]
            varying = [hoist(a) for a in e.args if not scalar(a)]
            op = type(e)
            if len(constant) > 1 or (constant and not all(a.is_Atom for a in constant)):
                constant = [hoist(op(*constant))]
            return op(*constant, *varying, evaluate=False)
        if isinstance(e, sp.Pow) and not scalar(e.base) and scalar(e.exp):
            return sp.Pow(hoist(e.base), e.exp if e.exp.is_Atom else hoist(e.exp), evaluate=False)
        return e.func(*[hoist(a) for a in e.args])

    return hoist(expr)


def _scalar_source(printer: NumPyCodePrinter, value: sp.Expr) -> str:
    """A hoisted scalar; a reciprocal prints as ``1/(…)``."""
    if isinstance(value, sp.Pow) and value.exp == -1:
        return f"1/({printer.doprint(value.base)})"
    return printer.doprint(value)


def inplace_function(
    name: str,
    args: Sequence[sp.Symbol],
    updates: Sequence[tuple[sp.Symbol, sp.Expr]],
    doc: str,
) -> str:
    """Source of ``def name(args)`` applying ``updates`` to its array arguments in place.

    Each update ``target ← c·target + rest`` (c free of arrays) prints as ``target *= c`` (when c ≠ 1) and
    ``target += rest``; scalar sub-expressions are computed once (``_s0 = …``).  Later updates see the
    targets updated before them, as the rules are written.  Array arguments must be float ndarrays.
    """
    arrays = {a for a in args if a in ARRAYS}
    printer = NumPyCodePrinter()
    names: list[tuple[sp.Symbol, sp.Expr]] = []
    statements = []
    for target, expr in updates:
        coefficient, rest = separate_update(target, expr, arrays)
        if coefficient != 1:
            statements.append(f"{target.name} *= {printer.doprint(_hoist_scalars(coefficient, arrays, names))}")
        statements.append(f"{target.name} += {printer.doprint(_hoist_scalars(rest, arrays, names))}")
    scalars = [f"{s} = {_scalar_source(printer, val)}" for s, val in names]
    paragraphs = [
        doc,
        "\n".join(f"$${update_tex(target, expr)}$$" for target, expr in updates),
        f"Updates {', '.join(dict.fromkeys(tg.name for tg, _ in updates))} in place (float ndarrays).",
        "Generated from a derivation in ``derive/``; do not edit.",
    ]
    return function_source(name, ", ".join(a.name for a in args), paragraphs, scalars + statements)


def _pure_functions() -> list[tuple[str, str]]:
    """(name, source) of the functional forms: each returns the new value."""
    specs = [
        ("sgd_step", (w, g, eta), sgd_step(w, g, eta), "SGD: the parameter after one step, w − η g."),
        ("momentum_velocity", (v, g, mu), momentum_velocity(v, g, mu), "Momentum: the new velocity μ v + g."),
        ("momentum_step", (w, v, eta), momentum_step(w, v, eta), "Momentum: the parameter after a step along v."),
        ("adam_first_moment", (m, g, beta1), adam_first_moment(m, g, beta1), "Adam: the new first moment."),
        ("adam_second_moment", (v, g, beta2), adam_second_moment(v, g, beta2), "Adam: the new second moment."),
        (
            "adam_step",
            (w, m, v, t, eta, beta1, beta2, epsilon),
            adam_step(w, m, v, t, eta, beta1, beta2, epsilon),
            "Adam: the parameter after one bias-corrected step (m, v already updated; t counts from 1).",
        ),
        ("l2_regularised_gradient", (g, w, lam), regularised_gradient(g, w, lam), "The gradient of loss + L2."),
        (
            "cosine_learning_rate",
            (eta_0, k, K),
            cosine_learning_rate(eta_0, k, K),
            "The cosine schedule: the learning rate after epoch k of K, from eta_0 down to 0.",
        ),
    ]
    return [(n, expression_function(n, a, e, d)) for n, a, e, d in specs]


def _inplace_functions() -> list[tuple[str, str]]:
    """(name, source) of the in-place updates the trainer calls: one per optimiser."""
    rules = {r.name: r for r in optimiser_rules()}
    specs = [
        ("sgd_update", (w, g, eta), "sgd", "SGD step in place."),
        ("momentum_update", (w, v, g, eta, mu), "momentum", "Momentum step in place (v starts at 0)."),
        (
            "adam_update",
            (w, m, v, g, t, eta, beta1, beta2, epsilon),
            "adam",
            "Adam step in place (m, v start at 0; t is this step's number, from 1).",
        ),
    ]
    return [(n, inplace_function(n, a, rules[r].updates, d)) for n, a, r, d in specs]


def generated_module() -> str:
    """The text of ``numeric/_generated/optimisers.py``."""
    functions = _pure_functions() + _inplace_functions()
    return module_text(
        "NumPy optimiser updates generated from derive/topics/optimisers.py",
        [src for _, src in functions],
        [name for name, _ in functions],
    )


GENERATED = GeneratedModule("optimisers.py", generated_module)


# --- nnmath list -------------------------------------------------------------------------


def topic_formulas() -> list[tuple[str, str]]:
    """The optimiser formulas for ``nnmath list``."""
    out = [(r.name, f"{r.title}: {r.description}") for r in optimiser_rules()]
    out += [
        ("bias_correction", "m̂_t = m_t/(1 − β₁ᵗ) = g for a constant gradient, every t (geometric series, proven)"),
        ("l2_regularised_gradient", "g + λw: an L2 penalty enters every optimiser through the gradient"),
        ("cosine_learning_rate", "η_k = η₀/2 (1 + cos(πk/K)): the learning rate after epoch k of K (cosine schedule)"),
    ]
    return out
