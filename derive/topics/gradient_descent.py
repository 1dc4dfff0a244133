"""Parameter update rules: a gradient-descent step, weight decay, the perceptron rule.

Each rule is written once, as a function over SymPy objects.  Called with
symbols it gives the formula a handout prints (:func:`rules`); called with
numbers it gives the exact update an exercise asks for.  :func:`weight_decay_rule`
collects the L2 step in w, which shows why the L2 penalty is called weight decay.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.derivation import gradient
from derive.catalogue import get
from derive.printing.textbook import Update, update

eta = sp.Symbol("eta", positive=True)  # learning rate η


def gradient_step(w: sp.Basic, grad: sp.Basic, lr: sp.Basic) -> sp.Basic:
    r"""One step of gradient descent: :math:`w \leftarrow w - \eta \, \nabla_w L`."""
    return w - lr * grad


def l2_penalty_gradient(w: sp.Basic, lam: sp.Basic) -> sp.Basic:
    r"""∂/∂w of the catalogue's L2 penalty (λ/2) w², elementwise: :math:`\lambda w`."""
    entry = get("l2")
    (symbol_lam,) = (a for a in entry.args if a != entry.wrt)
    grad = gradient(entry)

    def at(v: sp.Basic) -> sp.Basic:
        return grad.xreplace({entry.wrt: v, symbol_lam: lam})

    return w.applyfunc(at) if isinstance(w, sp.MatrixBase) else at(w)


def l2_step(w: sp.Basic, grad: sp.Basic, lr: sp.Basic, lam: sp.Basic) -> sp.Basic:
    r"""Gradient step on loss + L2 penalty (weight decay).

    :math:`w \leftarrow w - \eta(\nabla_w L + \lambda w) = (1 - \eta\lambda) w - \eta \nabla_w L`.
    """
    return gradient_step(w, grad + l2_penalty_gradient(w, lam), lr)


def step(z: sp.Basic) -> sp.Basic:
    r"""The perceptron's step activation: :math:`H(z) = 1` for :math:`z > 0`, else 0."""
    return sp.Piecewise((1, z > 0), (0, True))


def perceptron_output(w: sp.MatrixBase, x: sp.MatrixBase, b: sp.Basic) -> sp.Basic:
    r"""The perceptron's prediction :math:`\hat{y} = H(\mathbf{w}^\top \mathbf{x} + b)`."""
    return step((w.T * x)[0, 0] + b)


def perceptron_step(w: sp.Basic, x: sp.Basic, error: sp.Basic, lr: sp.Basic) -> sp.Basic:
    r"""The perceptron rule :math:`\mathbf{w} \leftarrow \mathbf{w} + \eta (y - \hat{y}) \mathbf{x}`.

    ``error`` is y − ŷ; for the bias pass ``x = 1``.
    """
    return w + lr * error * x


def rules() -> dict[str, Update | sp.Eq]:
    """The update rules with symbols, for pages and handouts (g = ∇_w L): each an :class:`Update`, w ← w − η g,
    and the perceptron's step activation H(z) as an equation."""
    w, grad, lam = sp.symbols("w g lambda", real=True)  # g = ∇_w L
    y, y_hat, x, z = sp.symbols(r"y \hat{y} x z", real=True)
    return {
        "gradient_step": update(w, gradient_step(w, grad, eta)),
        "l2_step": update(w, l2_step(w, grad, eta, lam)),
        "step": sp.Eq(sp.Function("H")(z), step(z), evaluate=False),
        "perceptron": update(w, perceptron_step(w, x, y - y_hat, eta)),
    }


def weight_decay_rule() -> Update:
    r"""The L2 step of :func:`rules` collected in w: :math:`w \leftarrow w (1 - \eta\lambda) - \eta g`.

    Every step first shrinks the weight by the factor 1 − ηλ, then takes the ordinary step.
    """
    rule = rules()["l2_step"]
    (w,) = (s for s in rule.rhs.free_symbols if s.name == "w")
    return update(rule.lhs, sp.collect(sp.expand(rule.rhs), w))
