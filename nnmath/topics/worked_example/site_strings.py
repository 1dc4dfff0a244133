"""The strings of the worked example: a 2-2-2 network's forward and backward pass, exactly.

Every value comes from :func:`derive.topics.worked_example.worked_example`.  A step
is shown three ways: its formula (the functions of :mod:`derive.topics.backpropagation` on
named matrices), its exact value written in the quantities already computed
(a¹, a², δ², δ¹ by name, so that it fits on a line), and its decimal value.
Before anything is shown, the named form is checked against the exact value.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.derivation import derive
from derive.calculus.functions import sigmoid
from derive.catalogue import get
from derive.printing import formulas
from derive.printing.latex import latex
from derive.topics.backpropagation import bias_gradient, dense, hidden_error, output_error, weight_gradient
from derive.topics.gradient_descent import eta, gradient_step
from derive.topics.worked_example import numeric_check, worked_example

DIGITS = 6  # significant digits of the decimal values
TOLERANCE = 1e-25  # the named form, evaluated with 40 digits, must agree with the exact value to this


class WorkedExampleMismatch(ValueError):
    """A value shown in named form is not the worked example's exact value."""


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


def summed_loss(n: int, loss: str = "mse") -> sp.Sum:
    """C = Σᵢ ℓ(a²ᵢ, yᵢ): the catalogue's loss summed over the outputs."""
    entry = get(loss)
    prediction, target = (a for a in entry.args if a not in entry.params)
    i = sp.Symbol("i", integer=True)
    term = entry.expr.xreplace({prediction: sp.Symbol("a^2_i"), target: sp.Symbol("y_i")})
    return sp.Sum(term, (i, 1, n))


def worked_example_strings() -> dict:
    """Given values, forward pass, backward pass, update and numeric cross-check, as strings."""
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
    sig = get("sigmoid")
    sig_prime = derive(sig).gradient
    dsig = sp.ImmutableMatrix([sig_prime.xreplace({sig.wrt: z}) for z in ex.z1]).xreplace(by_value)
    hidden = sp.ImmutableMatrix(hidden_error(ex.W2, D2, dsig).doit())
    lr = ex.learning_rate

    def step(label: str, lhs: sp.Basic, formula: sp.Basic, shown: sp.Basic, exact: sp.Basic) -> dict:
        if not agree(shown, exact, values):
            raise WorkedExampleMismatch(f"worked example: the named form of {label} is not its exact value")
        return {"label": label, "display": formulas.chain(lhs, formula, shown, approx=exact.evalf(DIGITS))}

    given = [
        formulas.equation(s, v)
        for s, v in ((x, ex.x), (matrix(r"\mathbf{y}", n), ex.y), (W1, ex.W1), (b1, ex.b1), (W2, ex.W2), (b2, ex.b2))
    ]
    forward = [
        step("The first layer's pre-activation", z1, dense(W1, x, b1), ex.z1, ex.z1),
        step("The first layer's activation", a1s, sigmoid(z1), ex.a1, ex.a1),
        step("The second layer's pre-activation", z2, dense(W2, a1s, b2), ex.z2.xreplace(by_value), ex.z2),
        step("The output", matrix(r"\mathbf{a}^{2}", n), sigmoid(z2), ex.a2.xreplace(dict(zip(ex.a1, A1))), ex.a2),
        step("The loss", sp.Symbol("C"), summed_loss(n), ex.loss.xreplace(by_value), ex.loss),
    ]
    backward = [
        step("BP1, output error", d2s, output_error(grad_a, prime2), ex.delta2.xreplace(by_value), ex.delta2),
        step("BP2, hidden error", d1s, hidden_error(W2, d2s, prime1), hidden, ex.delta1),
        step("BP3, output layer", db2s, bias_gradient(d2s), D2, ex.db2),
        step("BP4, output layer", dW2s, weight_gradient(d2s, a1s), weight_gradient(D2, A1), ex.dW2),
        step("BP3, hidden layer", db1s, bias_gradient(d1s), D1, ex.db1),
        step("BP4, hidden layer", dW1s, weight_gradient(d1s, x), sp.ImmutableMatrix(weight_gradient(D1, ex.x)), ex.dW1),
    ]
    update = [
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
    ]
    return {
        "given": given,
        "parts": [{"title": "Forward pass", "steps": forward}, {"title": "Backward pass", "steps": backward}],
        "update_steps": update,
        "learning_rate": latex(sp.Eq(eta, lr, evaluate=False)),
        "numeric_check": numeric_check(),
        "activation": sig.name,
        "loss": "mse",
    }
