"""The worked example: one forward and backward pass of a 2-2-2 network, exactly.

The classic walk-through of Matt Mazur, "A Step by Step Backpropagation Example" (2015,
:data:`SOURCE`): inputs 0.05, 0.10, targets 0.01, 0.99, sigmoid everywhere, η = ½ — here as exact
rationals fed into the symbolic network of :mod:`derive.topics.backpropagation`, so every number on the
page is the value of a SymPy expression: inputs, weights and pre-activations of the first layer are
rationals; from the first sigmoid on the values are exact closed forms (σ of a rational), shown with
their decimals.  The loss is his: half the catalogue's squared error summed over the two outputs,
C = ½ Σᵢ (aᵢ − yᵢ)² (:data:`SCALE`), so that ∇ₐC = a − y and every number equals his
(:data:`PUBLISHED`, :func:`published`).

:func:`walkthrough` writes every step three ways: its formula (the functions of
:mod:`derive.topics.backpropagation` on named matrices), its value written in the
quantities already computed (a¹, a², δ², δ¹ by name, so that it fits on a line), and
its exact value; it checks that the named form is the exact value before returning.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache

import numpy as np
import sympy as sp

from derive.calculus.derivation import gradient
from derive.calculus.functions import sigmoid
from derive.catalogue import get
from derive.printing.decimals import decimal_string
from derive.topics.backpropagation import (
    backprop,
    bias_gradient,
    dense,
    forward,
    hidden_error,
    network,
    output_error,
    weight_gradient,
)
from derive.topics.gradient_descent import eta, gradient_step

R = sp.Rational

INPUT = (R(1, 20), R(1, 10))
TARGET = (R(1, 100), R(99, 100))
W1 = ((R(3, 20), R(1, 5)), (R(1, 4), R(3, 10)))
B1 = (R(7, 20), R(7, 20))
W2 = ((R(2, 5), R(9, 20)), (R(1, 2), R(11, 20)))
B2 = (R(3, 5), R(3, 5))
LEARNING_RATE = R(1, 2)
ACTIVATION, LOSS = "sigmoid", "mse"  # in both layers; the loss summed over the outputs
SCALE = R(1, 2)  # C = ½ Σ (a − y)², Mazur's E_total
SOURCE = "https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/"
# The numbers the post prints, as printed (his names; each is compared with the exact value rounded once
# to the decimals he prints): the field of WorkedExample and the entry (row, column) it is.
PUBLISHED: tuple[tuple[str, str, str, tuple[int, ...]], ...] = (
    ("out_{h1}", "0.593269992", "a1", (0, 0)),
    ("out_{h2}", "0.596884378", "a1", (1, 0)),
    ("out_{o1}", "0.75136507", "a2", (0, 0)),
    ("out_{o2}", "0.772928465", "a2", (1, 0)),
    ("E_{total}", "0.298371109", "loss", ()),
    (r"\partial E_{total}/\partial w_5", "0.082167041", "dW2", (0, 0)),
    ("w_5^+", "0.35891648", "W2_new", (0, 0)),
    ("w_6^+", "0.408666186", "W2_new", (0, 1)),
    ("w_7^+", "0.511301270", "W2_new", (1, 0)),
    ("w_8^+", "0.561370121", "W2_new", (1, 1)),
    (r"\partial E_{total}/\partial w_1", "0.000438568", "dW1", (0, 0)),
    ("w_1^+", "0.149780716", "W1_new", (0, 0)),
    ("w_2^+", "0.19956143", "W1_new", (0, 1)),
    ("w_3^+", "0.24975114", "W1_new", (1, 0)),
    ("w_4^+", "0.29950229", "W1_new", (1, 1)),
)


@dataclass(frozen=True)
class WorkedExample:
    """Every quantity of the pass, exact (SymPy); ``floats()`` gives NumPy arrays."""

    x: sp.ImmutableMatrix
    y: sp.ImmutableMatrix
    W1: sp.ImmutableMatrix  # noqa: N815 - matrices are capitals, as on the page
    b1: sp.ImmutableMatrix
    W2: sp.ImmutableMatrix  # noqa: N815
    b2: sp.ImmutableMatrix
    z1: sp.ImmutableMatrix
    a1: sp.ImmutableMatrix
    z2: sp.ImmutableMatrix
    a2: sp.ImmutableMatrix
    loss: sp.Expr
    delta2: sp.ImmutableMatrix
    delta1: sp.ImmutableMatrix
    dW2: sp.ImmutableMatrix  # noqa: N815
    db2: sp.ImmutableMatrix
    dW1: sp.ImmutableMatrix  # noqa: N815
    db1: sp.ImmutableMatrix
    learning_rate: sp.Rational
    W1_new: sp.ImmutableMatrix  # noqa: N815
    W2_new: sp.ImmutableMatrix  # noqa: N815

    def floats(self) -> dict[str, np.ndarray]:
        """Every field as float64 (evaluated from the exact value with 30 digits)."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = np.array(sp.N(v, 30).tolist() if hasattr(v, "tolist") else sp.N(v, 30), dtype=float)
        return out


@lru_cache(maxsize=1)
def worked_example() -> WorkedExample:
    """The exact 2-2-2 sigmoid / halved squared-error example."""
    net = network((2, 2, 2), ACTIVATION, ACTIVATION, LOSS, SCALE)
    values = {}
    for symbols, numbers in (
        (net.x, INPUT),
        (net.y, TARGET),
        (net.weights[0], sum(W1, ())),
        (net.biases[0], B1),
        (net.weights[1], sum(W2, ())),
        (net.biases[1], B2),
    ):
        values.update(dict(zip(list(symbols), numbers)))

    def at(m):
        return m.xreplace(values)

    zs, acts = forward(net)
    bp = backprop(net)
    lr = LEARNING_RATE
    return WorkedExample(
        x=at(net.x),
        y=at(net.y),
        W1=at(net.weights[0]),
        b1=at(net.biases[0]),
        W2=at(net.weights[1]),
        b2=at(net.biases[1]),
        z1=at(zs[0]),
        a1=at(acts[1]),
        z2=at(zs[1]),
        a2=at(acts[2]),
        loss=at(bp.cost),
        delta2=at(bp.deltas[1]),
        delta1=at(bp.deltas[0]),
        dW2=at(bp.weight_grads[1]),
        db2=at(bp.bias_grads[1]),
        dW1=at(bp.weight_grads[0]),
        db1=at(bp.bias_grads[0]),
        learning_rate=lr,
        W1_new=sp.ImmutableMatrix(at(net.weights[0]) - lr * at(bp.weight_grads[0])),
        W2_new=sp.ImmutableMatrix(at(net.weights[1]) - lr * at(bp.weight_grads[1])),
    )


# --- The walk-through: every step as formula, named form and exact value --------------------------------

TOLERANCE = 1e-25  # the named form, evaluated with 40 digits, must agree with the exact value to this


class WorkedExampleMismatch(ValueError):
    """A value written in named form is not the worked example's exact value."""


@dataclass(frozen=True)
class Shown:
    """One step of the walk-through: ``lhs = formula = named`` (≈ ``exact``)."""

    label: str
    lhs: sp.Basic
    formula: sp.Basic  # in named matrices (W¹, a¹, δ²): the equation the step applies
    named: sp.Basic  # the value, written in the quantities already computed (a¹ᵢ, δ²ᵢ by name)
    exact: sp.Basic  # the exact value


@dataclass(frozen=True)
class Walkthrough:
    """The given values ``(symbol, value)``, the forward pass, the backward pass and the update."""

    given: tuple[tuple[sp.Basic, sp.Basic], ...]
    forward: tuple[Shown, ...]
    backward: tuple[Shown, ...]
    update: tuple[Shown, ...]
    learning_rate: sp.Eq  # η = 1/2


def matrix(name: str, rows: int, cols: int = 1) -> sp.MatrixSymbol:
    """A named matrix, printed as given (``W^{1}``, ``\\mathbf{x}``)."""
    return sp.MatrixSymbol(name, rows, cols)


def named(letter: str, layer: int, values: sp.MatrixBase) -> sp.ImmutableMatrix:
    """Symbols ``letter^layer_i`` standing for the entries of ``values``."""
    return sp.ImmutableMatrix([sp.Symbol(f"{letter}^{layer}_{i + 1}") for i in range(len(values))])


def _entries(value: sp.Basic) -> list[sp.Basic]:
    return list(value) if isinstance(value, sp.MatrixBase) else [value]


def agree(shown: sp.Basic, exact: sp.Basic, values: dict[sp.Symbol, sp.Basic]) -> bool:
    """``shown``, its named quantities replaced by ``values``, equals ``exact`` (to 40 digits)."""
    pairs = list(zip(_entries(shown), _entries(exact)))
    same_size = len(pairs) == len(_entries(exact)) == len(_entries(shown))
    return same_size and all(abs(sp.N(s.xreplace(values) - e, 40)) < TOLERANCE for s, e in pairs)


def summed_loss(n: int, loss: str = "mse", scale: sp.Expr = SCALE) -> sp.Expr:
    """C = scale · Σᵢ ℓ(a²ᵢ, yᵢ): the catalogue's loss summed over the outputs (½ Σ (a²ᵢ − yᵢ)² here)."""
    entry = get(loss)
    prediction, target = (a for a in entry.args if a not in entry.params)
    i = sp.Symbol("i", integer=True)
    term = entry.expr.xreplace({prediction: sp.Symbol("a^2_i"), target: sp.Symbol("y_i")})
    return sp.Mul(scale, sp.Sum(term, (i, 1, n)), evaluate=False)


def output_gradient(loss: str = "mse", scale: sp.Expr = SCALE) -> sp.Eq:
    """∂C/∂a²ᵢ of :func:`summed_loss`, differentiated by SymPy: a²ᵢ − yᵢ for the halved squared error."""
    a, y = sp.Symbol("a^2_i"), sp.Symbol("y_i")
    entry = get(loss)
    prediction, target = (v for v in entry.args if v not in entry.params)
    term = scale * entry.expr.xreplace({prediction: a, target: y})
    lhs = sp.Symbol(r"\frac{\partial C}{\partial a^{2}_{i}}")  # C = ½Σ: only the i-th term depends on a²ᵢ
    return sp.Eq(lhs, sp.factor(sp.diff(term, a)), evaluate=False)


def published() -> list[dict[str, str]]:
    """Mazur's printed numbers beside the exact values rounded once to the same decimals (:data:`PUBLISHED`)."""
    ex = worked_example()
    rows = []
    for name, printed, field, index in PUBLISHED:
        value = getattr(ex, field)
        value = value[index] if index else value
        places = len(printed.split(".")[1])
        rows.append({"name": name, "published": printed, "exact": decimal_string(value, places=places)})
    return rows


@lru_cache(maxsize=1)
def walkthrough() -> Walkthrough:
    """Every step of :func:`worked_example` as formula, named form and exact value; raises
    :class:`WorkedExampleMismatch` if a named form is not its exact value."""
    ex = worked_example()
    n = ex.x.shape[0]
    W1, W2 = matrix("W^{1}", n, n), matrix("W^{2}", n, n)  # noqa: N806 - matrices are capitals
    x, b1, b2 = matrix(r"\mathbf{x}", n), matrix(r"\mathbf{b}^{1}", n), matrix(r"\mathbf{b}^{2}", n)
    z1, z2 = sp.Symbol(r"\mathbf{z}^{1}"), sp.Symbol(r"\mathbf{z}^{2}")
    a1s, d1s, d2s = (
        matrix(r"\mathbf{a}^{1}", n),
        matrix(r"\boldsymbol{\delta}^{1}", n),
        matrix(r"\boldsymbol{\delta}^{2}", n),
    )
    grad_a = matrix(r"\nabla_{\mathbf{a}^{2}} C", n)
    db1s, db2s = (matrix(rf"\frac{{\partial C}}{{\partial \mathbf{{b}}^{{{layer}}}}}", n) for layer in (1, 2))
    dW1s, dW2s = (matrix(rf"\frac{{\partial C}}{{\partial W^{{{layer}}}}}", n, n) for layer in (1, 2))  # noqa: N806
    prime1, prime2 = matrix(r"\sigma'(\mathbf{z}^{1})", n), matrix(r"\sigma'(\mathbf{z}^{2})", n)

    A1, A2 = named("a", 1, ex.a1), named("a", 2, ex.a2)  # noqa: N806
    D1, D2 = named("delta", 1, ex.delta1), named("delta", 2, ex.delta2)  # noqa: N806
    by_value = {**dict(zip(ex.a2, A2)), **dict(zip(ex.a1, A1))}
    values = {
        **dict(zip(A1, ex.a1)),
        **dict(zip(A2, ex.a2)),
        **dict(zip(D1, ex.delta1)),
        **dict(zip(D2, ex.delta2)),
    }
    # σ'(z¹) in the names a¹ᵢ: the catalogue's derivative σ(1 − σ) at z¹, each σ(z¹ᵢ) named a¹ᵢ.
    sig = get(ACTIVATION)
    sig_prime = gradient(sig)
    dsig = sp.ImmutableMatrix([sig_prime.xreplace({sig.wrt: z}) for z in ex.z1]).xreplace(by_value)
    hidden = sp.ImmutableMatrix(hidden_error(ex.W2, D2, dsig).doit())
    lr = ex.learning_rate

    def step(label: str, lhs: sp.Basic, formula: sp.Basic, shown: sp.Basic, exact: sp.Basic) -> Shown:
        if not agree(shown, exact, values):
            raise WorkedExampleMismatch(f"worked example: the named form of {label} is not its exact value")
        return Shown(label, lhs, formula, shown, exact)

    given = ((x, ex.x), (matrix(r"\mathbf{y}", n), ex.y), (W1, ex.W1), (b1, ex.b1), (W2, ex.W2), (b2, ex.b2))
    forward_pass = (
        step("The first layer's pre-activation", z1, dense(W1, x, b1), ex.z1, ex.z1),
        step("The first layer's activation", a1s, sigmoid(z1), ex.a1, ex.a1),
        step("The second layer's pre-activation", z2, dense(W2, a1s, b2), ex.z2.xreplace(by_value), ex.z2),
        step("The output", matrix(r"\mathbf{a}^{2}", n), sigmoid(z2), ex.a2.xreplace(dict(zip(ex.a1, A1))), ex.a2),
        step("The loss", sp.Symbol("C"), summed_loss(n, LOSS), ex.loss.xreplace(by_value), ex.loss),
    )
    backward_pass = (
        step("BP1, output error", d2s, output_error(grad_a, prime2), ex.delta2.xreplace(by_value), ex.delta2),
        step("BP2, hidden error", d1s, hidden_error(W2, d2s, prime1), hidden, ex.delta1),
        step("BP3, output layer", db2s, bias_gradient(d2s), D2, ex.db2),
        step("BP4, output layer", dW2s, weight_gradient(d2s, a1s), weight_gradient(D2, A1), ex.dW2),
        step("BP3, hidden layer", db1s, bias_gradient(d1s), D1, ex.db1),
        step("BP4, hidden layer", dW1s, weight_gradient(d1s, x), sp.ImmutableMatrix(weight_gradient(D1, ex.x)), ex.dW1),
    )
    update = (
        step(
            "First layer",
            matrix("W^{1}_{new}", n, n),
            gradient_step(W1, dW1s, eta),
            sp.ImmutableMatrix(gradient_step(ex.W1, weight_gradient(D1, ex.x), lr)),
            ex.W1_new,
        ),
        step(
            "Second layer",
            matrix("W^{2}_{new}", n, n),
            gradient_step(W2, dW2s, eta),
            sp.ImmutableMatrix(gradient_step(ex.W2, weight_gradient(D2, A1), lr)),
            ex.W2_new,
        ),
    )
    return Walkthrough(given, forward_pass, backward_pass, update, sp.Eq(eta, lr, evaluate=False))
