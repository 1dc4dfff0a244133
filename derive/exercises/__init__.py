"""Workshop exercises with exact answers, drawn from a seed.

Like R/exams: one parametrised definition per exercise, many randomised
copies, and the solution computed by the same code that drew the numbers.
Every answer is computed by SymPy from the catalogue — ``gradient(entry)``,
the entries' expressions, the network of :mod:`derive.topics.backpropagation` and the
update rules of :mod:`derive.topics.gradient_descent` — never from a retyped formula.

The numbers are drawn so that the arithmetic stays doable by hand and every
copy has the same difficulty: small integers and simple fractions, points
x = ±ln k where eˣ is a whole number (σ(ln k) = k/(k + 1)) — a different activation or point
for every participant — logits ln a so
that the softmax is a/(a + b + c), exactly one active ReLU in the hidden
layer, a misclassified example for the perceptron.  Participant p of seed s
always gets the same sheet, whatever the number of participants.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

import sympy as sp

from derive.calculus.derivation import component, gradient, index_form, textbook_definition
from derive.calculus.functions import logsumexp, textbook
from derive.calculus.vectorise import LSE
from derive.catalogue import get
from derive.symbols import logits_k, prob_k
from derive.topics.backpropagation import (
    Network,
    backprop,
    bias_gradient,
    dense,
    forward,
    general_equations,
    network,
    weight_gradient,
)
from derive.topics.gradient_descent import (
    gradient_step,
    l2_penalty_gradient,
    l2_step,
    perceptron_output,
    perceptron_step,
    rules,
)

R = sp.Rational
MAX_TRIES = 10_000


@dataclass(frozen=True)
class Quantity:
    """A named value: ``label`` is its LaTeX name, ``value`` exact (a number, an ln-expression or a matrix).

    ``asked`` is false for an intermediate value that only the answer key shows.
    """

    label: str
    value: sp.Basic
    asked: bool = True


@dataclass(frozen=True)
class Formula:
    """An equation a sheet states.

    ``indexed`` prints vector symbols with index i (index form);
    ``update_rule`` prints the terms in the order of the rule (w − η g, not −η g + w).
    """

    eq: sp.Eq
    indexed: bool = False
    update_rule: bool = False


def step(label: str, value: sp.Basic) -> Quantity:
    """An intermediate value, shown in the answer key only."""
    return Quantity(label, value, asked=False)


@dataclass(frozen=True)
class Exercise:
    """One exercise of a sheet.

    Attributes:
        key: Which exercise (``activation``, ``network``, ``gradient_step``,
            ``softmax_cross_entropy``, ``l2_update``, ``perceptron``).
        formulas: What the sheet states: definitions from the catalogue, update rules.
        given: The drawn numbers.
        solution: Every value of the solution in the order it is computed:
            what the participant is asked to find and, not asked, key
            intermediate values for the answer key.
        entries: Catalogue names used, for the cross-check with ``numeric``.
    """

    key: str
    formulas: tuple[Formula, ...]
    given: tuple[Quantity, ...]
    solution: tuple[Quantity, ...]
    entries: tuple[str, ...]

    @property
    def answers(self) -> tuple[Quantity, ...]:
        """What the sheet asks for."""
        return tuple(q for q in self.solution if q.asked)

    def value(self, label: str) -> sp.Basic:
        """The value of the given or solution quantity called ``label``."""
        for q in (*self.given, *self.solution):
            if q.label == label:
                return q.value
        raise KeyError(label)


@dataclass(frozen=True)
class Sheet:
    """The exercises of one participant (numbered from 1)."""

    seed: int
    participant: int
    exercises: tuple[Exercise, ...]


def _exact(expr: sp.Basic) -> sp.Basic:
    """``expr`` with nnmath's function classes in textbook form, simplified (a rational or an ln-expression)."""
    if isinstance(expr, sp.MatrixBase):
        return sp.ImmutableMatrix(expr.applyfunc(_exact))
    return sp.simplify(textbook(expr))


def _draw(rng: random.Random, make: Callable[[random.Random], Exercise | None]) -> Exercise:
    """Call ``make`` until it returns an exercise (``None`` = numbers rejected)."""
    for _ in range(MAX_TRIES):
        exercise = make(rng)
        if exercise is not None:
            return exercise
    raise RuntimeError(f"no acceptable numbers after {MAX_TRIES} draws")  # a bug in the constraints


@cache
def _definition(name: str, lhs: sp.Basic) -> Formula:
    """``lhs`` = the catalogue definition of ``name`` (index form for a vector entry)."""
    entry = get(name)
    return Formula(sp.Eq(lhs, index_form(entry).definition, evaluate=False), indexed=entry.is_vector)


@cache
def _rule(name: str) -> Formula:
    """An update rule of :func:`derive.topics.gradient_descent.rules`."""
    return Formula(rules()[name], update_rule=True)


@cache
def _dense() -> Formula:
    """The dense layer z = W a + b, as :mod:`derive.topics.backpropagation` writes it."""
    return Formula(general_equations()["dense"])


_C = sp.Symbol("C")


def _col(*values: int | sp.Rational) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix([[sp.sympify(v)] for v in values])


def _value(m: sp.MatrixBase) -> sp.Basic:
    """A 1×1 matrix as its entry (a single output unit is a number on the page), else the matrix."""
    return m[0, 0] if m.shape == (1, 1) else sp.ImmutableMatrix(m)


# --- 1. An activation's derivative at a point --------------------------------------------------


def _log_points(ks: range) -> tuple[sp.Expr, ...]:
    """x = ±ln k: eˣ = k or 1/k is a whole number or its inverse, so f(x) needs no exponential by hand."""
    return tuple(sign * sp.log(k) for k in ks for sign in (1, -1))


# Exercise 1's activations and their points, each value computable by hand or with a calculator: at ±ln k the
# exponentials are k and 1/k (σ(ln k) = k/(k + 1), tanh(ln k) = (k² − 1)/(k² + 1)); tanh and mish keep k ≤ 5
# so that their derivatives' denominators stay short; softsign x/(1 + |x|) takes simple fractions.
ACTIVATION_POINTS: dict[str, tuple[sp.Expr, ...]] = {
    "sigmoid": _log_points(range(2, 10)),
    "tanh": _log_points(range(2, 6)),
    "softplus": _log_points(range(2, 10)),
    "log_sigmoid": _log_points(range(2, 10)),
    "silu": _log_points(range(2, 10)),
    "mish": _log_points(range(2, 6)),
    "softsign": tuple(
        sign * R(a, b) for a, b in ((1, 4), (1, 3), (1, 2), (1, 1), (3, 2), (2, 1), (3, 1), (4, 1)) for sign in (1, -1)
    ),
}


def activation_pairs(seed: int) -> tuple[tuple[str, sp.Expr], ...]:
    """Every (activation, point) of :data:`ACTIVATION_POINTS`, in an order drawn from ``seed``.

    Participant p gets pair p − 1 (modulo their number), so the first ``len(pairs)`` participants all get
    a different activation or point, whatever the number of participants.
    """
    pairs = [(name, point) for name, points in ACTIVATION_POINTS.items() for point in points]
    random.Random(f"nnmath-exercises/{seed}/activations").shuffle(pairs)
    return tuple(pairs)


def _at_point(expr: sp.Basic) -> sp.Basic:
    """An activation's value at a point, as a person writes it: ``3/4``, ``ln(10/9)``, ``2/3 + 2 ln(2)/9``.

    nnmath's function classes in textbook form, hyperbolic functions as exponentials, logarithms expanded
    (a sum of logarithms alone is combined into one).
    """
    value = sp.simplify(textbook(expr).rewrite(sp.exp))
    value = sp.expand(sp.expand_log(value, force=True)) if value.has(sp.log) else sp.simplify(value)
    if isinstance(value, sp.Add) and all(term.has(sp.log) for term in value.args):
        value = sp.logcombine(value, force=True)
    return value


def activation_exercise(rng: random.Random, pair: tuple[str, sp.Expr] | None = None) -> Exercise:
    r"""f(x) and f'(x) of an activation at a point: ``pair`` (activation, point), or one drawn with ``rng``.

    At x = ±ln k for the exponential family (σ(ln k) = k/(k + 1), σ'(ln k) = k/(k + 1)²), at a simple
    fraction for softsign; the values come from the catalogue expression and ``gradient(entry)``.
    """
    name, point = pair if pair is not None else rng.choice(activation_pairs(0))
    entry = get(name)
    x = entry.wrt
    f = sp.Function("f")
    given = (Quantity("x", point),)
    if point.has(sp.log):
        given += (Quantity("e^{x}", sp.exp(point)),)
    return Exercise(
        key="activation",
        formulas=(Formula(sp.Eq(f(x), textbook_definition(entry), evaluate=False)),),
        given=given,
        solution=(
            Quantity("f(x)", _at_point(entry.expr.xreplace({x: point}))),
            Quantity("f'(x)", _at_point(gradient(entry).xreplace({x: point}))),
        ),
        entries=(name,),
    )


# --- 2. Forward and backward pass of a 2-2-1 ReLU network --------------------------------------


@cache
def _relu_network() -> tuple[Network, tuple, tuple, object]:
    net = network((2, 2, 1), "relu", "relu", "mse")
    zs, acts = forward(net)
    return net, tuple(zs), tuple(acts), backprop(net)


def network_exercise(rng: random.Random) -> Exercise | None:
    """One pass through a 2-2-1 network, ReLU hidden and output, squared error; one hidden unit active."""
    net, zs, acts, bp = _relu_network()
    small = (-2, -1, 1, 2)
    numbers = {
        net.x: _col(*rng.choices(small, k=2)),
        net.weights[0]: sp.ImmutableMatrix(2, 2, rng.choices(small, k=4)),
        net.biases[0]: _col(*rng.choices((-1, 0, 1), k=2)),
        net.weights[1]: sp.ImmutableMatrix(1, 2, rng.choices(small, k=2)),
        net.biases[1]: _col(rng.choice((-1, 0, 1))),
        net.y: _col(rng.randint(-1, 4)),
    }
    subs = {s: v for m, vals in numbers.items() for s, v in zip(m, vals)}
    z1 = zs[0].xreplace(subs)
    if sorted(sp.sign(v) for v in z1) != [-1, 1] or max(abs(v) for v in z1) > 6:
        return None  # exactly one hidden unit active, no kink
    z2 = zs[1].xreplace(subs)
    a2 = acts[2].xreplace(subs)
    y = numbers[net.y]
    if not (0 < z2[0] <= 8) or a2[0] == y[0] or abs(a2[0] - y[0]) > 4:
        return None
    at = lambda m: _value(m.xreplace(subs))  # noqa: E731
    relu = get("relu")
    prime = lambda z: _value(z.applyfunc(lambda v: gradient(relu).xreplace({relu.wrt: v})))  # noqa: E731
    return Exercise(
        key="network",
        formulas=(
            _dense(),
            _definition("relu", sp.Function("ReLU")(get("relu").wrt)),
            _definition("mse", _C),
        ),
        given=(
            Quantity(r"\mathbf{x}", numbers[net.x]),
            Quantity(r"W^{1}", numbers[net.weights[0]]),
            Quantity(r"\mathbf{b}^{1}", numbers[net.biases[0]]),
            Quantity(r"W^{2}", numbers[net.weights[1]]),
            Quantity(r"b^{2}", _value(numbers[net.biases[1]])),
            Quantity(r"y", _value(y)),
        ),
        solution=(
            Quantity(r"\mathbf{z}^{1}", z1),
            Quantity(r"\mathbf{a}^{1}", at(acts[1])),
            Quantity(r"z^{2}", _value(z2)),
            Quantity(r"a^{2}", _value(a2)),
            Quantity(r"C", at(sp.ImmutableMatrix([bp.cost]))),
            step(r"\operatorname{ReLU}'(z^{2})", prime(z2)),
            step(r"\operatorname{ReLU}'(\mathbf{z}^{1})", prime(z1)),
            Quantity(r"\delta^{2}", at(bp.deltas[1])),
            Quantity(r"\boldsymbol{\delta}^{1}", at(bp.deltas[0])),
            Quantity(r"\partial C / \partial W^{2}", at(bp.weight_grads[1])),
            Quantity(r"\partial C / \partial b^{2}", at(bp.bias_grads[1])),
            Quantity(r"\partial C / \partial W^{1}", at(bp.weight_grads[0])),
            Quantity(r"\partial C / \partial \mathbf{b}^{1}", at(bp.bias_grads[0])),
        ),
        entries=("relu", "mse"),
    )


# --- 3. One gradient-descent step for a linear neuron ------------------------------------------


def gradient_step_exercise(rng: random.Random) -> Exercise | None:
    """ŷ = w·x + b, C = (ŷ − y)²; the gradient by BP3/BP4 and one step w ← w − η∇C; the loss must drop."""
    mse = get("mse")
    pred, target = mse.args
    w = sp.ImmutableMatrix(1, 2, rng.choices((-2, -1, 0, 1, 2), k=2))
    x = _col(*rng.choices((-2, -1, 1, 2), k=2))
    b = _col(rng.choice((-1, 0, 1)))
    y = rng.randint(-3, 3)
    lr = rng.choice((R(1, 10), R(1, 20)))
    y_hat = dense(w, x, b)[0, 0]
    if y_hat == y or abs(y_hat - y) > 4:
        return None
    loss = lambda p: mse.expr.xreplace({pred: p, target: y})  # noqa: E731
    delta = _col(gradient(mse).xreplace({pred: y_hat, target: y}))  # BP1, linear output
    grad_w = sp.ImmutableMatrix(weight_gradient(delta, x))
    grad_b = sp.ImmutableMatrix(bias_gradient(delta))
    w_new = sp.ImmutableMatrix(gradient_step(w, grad_w, lr))
    b_new = sp.ImmutableMatrix(gradient_step(b, grad_b, lr))
    y_new = dense(w_new, x, b_new)[0, 0]
    if not loss(y_new) < loss(y_hat):
        return None
    return Exercise(
        key="gradient_step",
        formulas=(_dense(), _definition("mse", _C), _rule("gradient_step")),
        given=(
            Quantity(r"\mathbf{w}", w),
            Quantity("b", b[0]),
            Quantity(r"\mathbf{x}", x),
            Quantity("y", sp.Integer(y)),
            Quantity(r"\eta", lr),
        ),
        solution=(
            Quantity(r"\hat{y}", y_hat),
            Quantity("C", loss(y_hat)),
            step(r"\partial C / \partial \hat{y}", delta[0]),
            Quantity(r"\partial C / \partial \mathbf{w}", grad_w),
            Quantity(r"\partial C / \partial b", grad_b[0]),
            Quantity(r"\mathbf{w}_{\text{new}}", w_new),
            Quantity(r"b_{\text{new}}", b_new[0]),
            step(r"\hat{y}_{\text{new}}", y_new),
            Quantity(r"C_{\text{new}}", loss(y_new)),
        ),
        entries=("mse",),
    )


# --- 4. Softmax + cross-entropy gradient --------------------------------------------------------


def softmax_cross_entropy_exercise(rng: random.Random) -> Exercise | None:
    """Logits z = (ln a, ln b, ln c): p = (a, b, c)/(a + b + c), C = ln((a+b+c)/a_t), ∂C/∂z = p − y."""
    softmax, ce = get("softmax"), get("categorical_cross_entropy_logits")
    counts = rng.choices(range(1, 7), k=3)
    if len(set(counts)) == 1 or sum(counts) > 12:
        return None
    cls = rng.randrange(3)
    logits = [sp.log(c) for c in counts]
    onehot = [sp.Integer(int(k == cls)) for k in range(3)]
    values = {}
    for base, comps in ce.components.items():
        values.update(zip(comps, logits if base == ce.wrt else onehot))
    z_values = dict(zip(softmax.components[softmax.wrt], logits))
    probs = [_exact(component(softmax.expr, softmax, k).xreplace(z_values)) for k in range(3)]
    grad = [_exact(component(gradient(ce), ce, k).xreplace(values)) for k in range(3)]
    return Exercise(
        key="softmax_cross_entropy",
        formulas=(
            Formula(sp.Eq(prob_k[0], textbook_definition(softmax), evaluate=False)),
            Formula(sp.Eq(LSE, textbook(logsumexp(*logits_k)), evaluate=False)),
            _definition("categorical_cross_entropy_logits", _C),
        ),
        given=(
            Quantity(r"\mathbf{z}", sp.ImmutableMatrix(logits)),
            Quantity(r"\mathbf{y}", sp.ImmutableMatrix(onehot)),
        ),
        solution=(
            step(r"\textstyle\sum_k e^{z_k}", sp.Integer(sum(counts))),
            Quantity(r"\mathbf{p}", sp.ImmutableMatrix(probs)),
            Quantity("C", _exact(ce.expr.xreplace(values))),
            Quantity(r"\partial C / \partial \mathbf{z}", sp.ImmutableMatrix(grad)),
        ),
        entries=("softmax", "categorical_cross_entropy_logits"),
    )


# --- 5. An L2-regularised update ----------------------------------------------------------------


def l2_update_exercise(rng: random.Random) -> Exercise:
    """w ← w − η(g + λw) with g the data gradient: λw from the catalogue's L2 penalty."""
    l2 = get("l2")
    (lam_symbol,) = (a for a in l2.args if a != l2.wrt)
    w = _col(*rng.choices((-3, -2, -1, 1, 2, 3), k=2))
    g = _col(*rng.choices((-2, -1, 0, 1, 2), k=2))
    lam = rng.choice((R(1, 10), R(1, 5), R(1, 2)))
    lr = rng.choice((R(1, 10), R(1, 5), R(1, 2)))
    penalty = sum(l2.expr.xreplace({l2.wrt: v, lam_symbol: lam}) for v in w)
    reg_grad = sp.ImmutableMatrix(l2_penalty_gradient(w, lam))
    return Exercise(
        key="l2_update",
        formulas=(_definition("l2", sp.Function("R")(get("l2").wrt)), _rule("l2_step")),
        given=(
            Quantity(r"\mathbf{w}", w),
            Quantity(r"\nabla_{\mathbf{w}} L", g),
            Quantity(r"\lambda", lam),
            Quantity(r"\eta", lr),
        ),
        solution=(
            Quantity(r"R(\mathbf{w})", penalty),
            Quantity(r"\lambda \mathbf{w}", reg_grad),
            step(r"\nabla_{\mathbf{w}} L + \lambda \mathbf{w}", sp.ImmutableMatrix(g + reg_grad)),
            Quantity(r"\mathbf{w}_{\text{new}}", sp.ImmutableMatrix(l2_step(w, g, lr, lam))),
            Quantity(r"1 - \eta\lambda", 1 - lr * lam),
        ),
        entries=("l2",),
    )


# --- 6. A perceptron update ---------------------------------------------------------------------


def perceptron_exercise(rng: random.Random) -> Exercise | None:
    """A misclassified example: ŷ = H(w·x + b) ≠ y, then w ← w + η(y − ŷ)x, b ← b + η(y − ŷ)."""
    w = _col(*rng.choices((-2, -1, 0, 1, 2), k=2))
    x = _col(*rng.choices((-2, -1, 1, 2), k=2))
    b = rng.choice((-1, 0, 1))
    y = rng.choice((0, 1))
    lr = rng.choice((sp.Integer(1), R(1, 2)))
    z = (w.T * x)[0, 0] + b
    y_hat = perceptron_output(w, x, b)
    if z == 0 or y_hat == y:
        return None
    error = y - y_hat
    w_new = sp.ImmutableMatrix(perceptron_step(w, x, error, lr))
    b_new = perceptron_step(sp.Integer(b), 1, error, lr)
    return Exercise(
        key="perceptron",
        formulas=(_rule("step"), _rule("perceptron")),
        given=(
            Quantity(r"\mathbf{w}", w),
            Quantity("b", sp.Integer(b)),
            Quantity(r"\mathbf{x}", x),
            Quantity("y", sp.Integer(y)),
            Quantity(r"\eta", lr),
        ),
        solution=(
            Quantity("z", z),
            Quantity(r"\hat{y}", y_hat),
            Quantity(r"y - \hat{y}", error),
            Quantity(r"\mathbf{w}_{\text{new}}", w_new),
            Quantity(r"b_{\text{new}}", b_new),
            step(r"z_{\text{new}}", (w_new.T * x)[0, 0] + b_new),
        ),
        entries=(),
    )


# The exercise types of their own modules (they build on the classes above).
from derive.exercises.convolution import convolution_exercise  # noqa: E402
from derive.exercises.lif import lif_exercise  # noqa: E402

MAKERS: tuple[Callable[[random.Random], Exercise | None], ...] = (
    activation_exercise,
    network_exercise,
    gradient_step_exercise,
    softmax_cross_entropy_exercise,
    l2_update_exercise,
    perceptron_exercise,
    lif_exercise,
    convolution_exercise,
)


def sheet(seed: int, participant: int) -> Sheet:
    """The exercises of ``participant`` (from 1) for ``seed``; independent of how many participants there are.

    Exercise 1 takes the participant's (activation, point) of :func:`activation_pairs`; the others draw their
    numbers from the participant's own random generator.
    """
    rng = random.Random(f"nnmath-exercises/{seed}/{participant}")
    pairs = activation_pairs(seed)
    pair = pairs[(participant - 1) % len(pairs)]
    makers = [partial(make, pair=pair) if make is activation_exercise else make for make in MAKERS]
    return Sheet(seed, participant, tuple(_draw(rng, make) for make in makers))


def sheets(seed: int, participants: int) -> list[Sheet]:
    """Sheets 1…``participants`` for ``seed``."""
    return [sheet(seed, p) for p in range(1, participants + 1)]
