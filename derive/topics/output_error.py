"""BP1 in general: the output error δᴸ = (∂aᴸ/∂zᴸ)ᵀ ∇ₐC, and when it is the Hadamard product.

By the chain rule δᴸₖ = ∂C/∂zᴸₖ = Σᵢ (∂C/∂aᴸᵢ)(∂aᴸᵢ/∂zᴸₖ): the transposed Jacobian of the output activation
times the loss's gradient.  An activation that acts element by element (aᵢ depends on zᵢ only) has a diagonal
Jacobian diag(σ'(zᴸ)), and the product is ∇ₐC ⊙ σ'(zᴸ), the BP1 of :func:`derive.topics.backpropagation.output_error`.
Softmax mixes the components: its Jacobian is diag(p) − p pᵀ, and with the cross-entropy −Σ yₖ log pₖ the product
is p − y (when Σₖ yₖ = 1).  Each case is derived here with SymPy on K = 3 outputs from the catalogue's entries and
checked against ``sympy.diff`` of the loss composed with the activation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from derive.calculus.derivation import component, equal
from derive.catalogue import get
from derive.symbols import logits_k, pred, prob_k, target, target_k


def output_error_general(jacobian: sp.MatrixBase, grad_a: sp.MatrixBase) -> sp.MatrixExpr:
    """BP1 in general: δᴸ = (∂aᴸ/∂zᴸ)ᵀ ∇ₐC."""
    return jacobian.T * grad_a


def general_equation() -> sp.Eq:
    """δᴸ = (∂aᴸ/∂zᴸ)ᵀ ∇ₐC with symbolic size n_L, for display."""
    nl = sp.Symbol("n_L", integer=True, positive=True)
    delta = sp.MatrixSymbol(r"\boldsymbol{\delta}^{L}", nl, 1)
    jacobian = sp.MatrixSymbol(r"\frac{\partial \mathbf{a}^{L}}{\partial \mathbf{z}^{L}}", nl, nl)
    grad_a = sp.MatrixSymbol(r"\nabla_{\mathbf{a}^{L}} C", nl, 1)
    return sp.Eq(delta, output_error_general(jacobian, grad_a), evaluate=False)


@dataclass(frozen=True)
class OutputErrorCase:
    """One output layer (activation + loss) on K outputs: each factor of BP1 and what it reduces to.

    ``jacobian`` and ``grad_a`` are written in the outputs a (the probabilities p for softmax); ``delta`` is
    Jᵀ∇ₐC in the same symbols, ``reduced`` its short form (∇ₐC ⊙ σ'(z), or p − y); ``holds`` says that both
    equal ``sympy.diff`` of the composed loss by each zₖ.
    """

    activation: str
    loss: str
    outputs: sp.ImmutableMatrix
    jacobian: sp.ImmutableMatrix
    grad_a: sp.ImmutableMatrix
    delta: sp.ImmutableMatrix
    reduced: sp.ImmutableMatrix
    diagonal: bool
    holds: bool


def _sigmoid_squared_error() -> OutputErrorCase:
    """Element-wise σ with the squared error: the Jacobian is diagonal and Jᵀ∇ₐC = ∇ₐC ⊙ σ'(z)."""
    act, loss = get("sigmoid"), get("mse")
    z = sp.ImmutableMatrix(logits_k)
    a = sp.ImmutableMatrix([act.expr.xreplace({act.wrt: zk}) for zk in z])
    jacobian = sp.ImmutableMatrix(a.jacobian(z))
    outputs = sp.ImmutableMatrix([sp.Symbol(f"a_{{{k}}}") for k in range(1, len(z) + 1)])
    cost = sp.Add(*[loss.expr.xreplace({pred: ak, target: yk}) for ak, yk in zip(outputs, target_k)])
    grad_a = sp.ImmutableMatrix([sp.diff(cost, ak) for ak in outputs])
    delta = sp.ImmutableMatrix(output_error_general(jacobian, grad_a))
    prime = sp.ImmutableMatrix([jacobian[k, k] for k in range(len(z))])
    reduced = sp.ImmutableMatrix(sp.HadamardProduct(grad_a, prime).doit())
    composed = cost.xreplace(dict(zip(outputs, a)))
    direct = sp.ImmutableMatrix([sp.diff(composed, zk) for zk in z])
    at_a = dict(zip(outputs, a))
    holds = equal(delta.xreplace(at_a), direct) and equal(reduced.xreplace(at_a), direct)
    return OutputErrorCase("sigmoid", "mse", outputs, jacobian, grad_a, delta, reduced, jacobian.is_diagonal(), holds)


def _softmax_cross_entropy() -> OutputErrorCase:
    """Softmax with the cross-entropy on probabilities: J = diag(p) − p pᵀ is full and Jᵀ∇ₐC = p − y (Σ y = 1)."""
    act, loss = get("softmax"), get("categorical_cross_entropy")
    z = sp.ImmutableMatrix(logits_k)
    softmax = sp.ImmutableMatrix([component(act.expr, act, k) for k in range(len(z))])
    p = sp.ImmutableMatrix(prob_k)
    # the Jacobian in p: SymPy's Jacobian of the catalogue's softmax equals diag(p) − p pᵀ at p = softmax(z)
    jacobian = sp.ImmutableMatrix(sp.diag(*p) - p * p.T)
    derived = softmax.jacobian(z)
    grad_a = sp.ImmutableMatrix([sp.diff(loss.expr, pk) for pk in p])
    delta = sp.ImmutableMatrix(output_error_general(jacobian, grad_a).doit().applyfunc(sp.expand))
    y = sp.ImmutableMatrix(target_k)
    sums_to_one = {target_k[-1]: 1 - sp.Add(*target_k[:-1])}
    reduced = sp.ImmutableMatrix(p - y)
    composed = loss.expr.xreplace(dict(zip(p, softmax)))
    direct = sp.ImmutableMatrix([sp.diff(composed, zk) for zk in z])
    at_p = dict(zip(p, softmax))
    holds = (
        equal(jacobian.xreplace(at_p), derived)
        and equal(delta, reduced, given=sums_to_one)
        and equal(reduced.xreplace(at_p), direct, given=sums_to_one)
    )
    return OutputErrorCase("softmax", "categorical_cross_entropy", p, jacobian, grad_a, delta, reduced, False, holds)


@lru_cache(maxsize=1)
def output_error_cases() -> tuple[OutputErrorCase, ...]:
    """BP1 for an element-wise output (σ + squared error) and for softmax + cross-entropy, K = 3."""
    return (_sigmoid_squared_error(), _softmax_cross_entropy())
