"""The formulas of the dense layer, the chain rule for one neuron and backpropagation, printed from SymPy.

Everything is derived in :mod:`derive.topics.backpropagation`; this module prints it with the course
printer and marks the LaTeX as :class:`~nnmath.topics.base.Tex`.
"""

from __future__ import annotations

import re

import sympy as sp

from derive.catalogue import get
from derive.printing import formulas
from derive.printing.textbook import latex, where
from derive.topics.backpropagation import (
    chain_rule_derivation,
    chain_rule_holds,
    chain_rule_names,
    chain_rule_symbols,
    forward,
    general_equations,
    network,
)
from derive.topics.output_error import general_equation, output_error_cases
from nnmath.topics.base import Tex
from nnmath.topics.texformat import derivation_steps

# The neuron of the chain rule: (activation, loss).
CHAIN_RULE = ("sigmoid", "mse")
# The dense layer and BP1-BP4: a heading and a sentence that says what each equation means.
EQUATION_ORDER = ("dense", "BP1", "BP1 general", "BP2", "BP3", "BP4")
EQUATION_LABELS = {
    "dense": "The dense layer",
    "BP1": "BP1: the error at the output layer (an element-wise activation)",
    "BP1 general": "BP1 in general: any output activation",
    "BP2": "BP2: the error carried one layer back",
    "BP3": "BP3: the gradient of the biases",
    "BP4": "BP4: the gradient of the weights",
}
EQUATION_SENTENCES = {
    "dense": "The dense layer: weights times the previous activations, plus the bias.",
    "BP1": "BP1, the error at the output layer: the loss's slope in the output times the output activation's slope.",
    "BP1 general": (
        "BP1 in general (softmax too): the transposed Jacobian of the output activation times the loss's gradient; "
        "for an activation that acts element by element the Jacobian is diagonal and this is the line above."
    ),
    "BP2": "BP2, the error of a hidden layer: the next layer's error carried backward through the transposed weights.",
    "BP3": "BP3, the bias gradient is the error itself.",
    "BP4": "BP4, the weight gradient is the outer product of the error and the previous activations.",
}


def parameter_names(expr: sp.Basic) -> sp.Basic:
    """A network's parameter symbols as a page writes them: ``w1_12`` → w¹₁₂, ``b2_1`` → b²₁."""
    rename = {}
    for s in expr.free_symbols:
        if m := re.fullmatch(r"([wb])(\d+)_(\d+)", s.name):
            rename[s] = sp.Symbol(f"{m[1]}^{m[2]}_{m[3]}", real=True)
    return expr.xreplace(rename)


def shapes(equations: list[sp.Eq]) -> list[dict]:
    """Every matrix symbol of ``equations`` with its rows and columns, in order of first appearance."""
    printed = " ".join(latex(eq) for eq in equations)
    symbols = {latex(m): m for eq in equations for m in eq.atoms(sp.MatrixSymbol)}
    return [
        {"symbol": Tex(tex), "rows": Tex(latex(m.shape[0])), "columns": Tex(latex(m.shape[1]))}
        for tex, m in sorted(symbols.items(), key=lambda item: (printed.find(item[0]), item[0]))
    ]


def dense_layer() -> dict:
    """The dense layer z = W a + b: the general matrix form, and the first layer of a 2-2-2 network."""
    eq = general_equations()["dense"]
    net = network((2, 2, 2), "sigmoid", "sigmoid", "mse")
    zs, acts = forward(net)
    w, x, b = (parameter_names(m) for m in (net.weights[0], net.x, net.biases[0]))
    product = sp.MatAdd(sp.MatMul(w, x, evaluate=False), b, evaluate=False)
    return {
        "general": Tex(latex(eq)),
        "shapes": shapes([eq]),
        "sizes": "-".join(map(str, net.sizes)),
        "product": Tex(formulas.unordered(product) + " = " + latex(parameter_names(zs[0]))),
        "activation": Tex(latex(parameter_names(acts[1]))),
        "activation_name": net.hidden.name,
    }


def chain_rule() -> dict:
    """∂L/∂w for one neuron z = w x + b, a = f(z), L = ℓ(a, y): the neuron, the loss, every step, the result."""
    activation, loss = CHAIN_RULE
    d = chain_rule_derivation(activation, loss)
    act, lo = get(activation), get(loss)
    w, x, b, y, z, a, loss_symbol = chain_rule_symbols()
    prediction, target = (s for s in lo.args if s not in lo.params)
    dl_dw = sp.Derivative(loss_symbol, d.wrt, evaluate=False)
    return {
        "activation": activation,
        "loss": loss,
        "neuron": Tex(latex(sp.Eq(z, w * x + b, evaluate=False))),
        "activated": Tex(latex(sp.Eq(a, act.expr.xreplace({act.wrt: z}), evaluate=False))),
        "loss_of": Tex(latex(sp.Eq(loss_symbol, lo.expr.xreplace({prediction: a, target: y}), evaluate=False))),
        "weight": Tex(latex(w)),
        "composed": Tex(formulas.equation(loss_symbol, d.expr)),
        "derivation": derivation_steps(d, start=dl_dw),
        "result": Tex(formulas.equation(dl_dw, d.result) + r", \quad " + where(chain_rule_names(activation))),
        "proven": chain_rule_holds(d, activation),
    }


def equations() -> list[dict]:
    """The dense layer and BP1-BP4 in matrix form, each with its heading and a sentence."""
    eqs = general_equations() | {"BP1 general": general_equation()}
    return [
        {"label": EQUATION_LABELS[key], "sentence": EQUATION_SENTENCES[key], "tex": Tex(latex(eqs[key]))}
        for key in EQUATION_ORDER
    ]


def equation_shapes() -> list[dict]:
    """The shapes of every matrix in the dense layer and BP1-BP4."""
    eqs = general_equations() | {"BP1 general": general_equation()}
    return shapes([eqs[key] for key in EQUATION_ORDER])


def output_errors() -> list[dict]:
    """BP1 for an element-wise output and for softmax + cross-entropy (K = 3): the Jacobian, the loss's gradient,
    their product and what it reduces to (derived in :mod:`derive.topics.output_error`)."""
    rows = []
    for case in output_error_cases():
        delta = case.delta.applyfunc(lambda e, p=list(case.outputs): sp.collect(sp.expand(e), p))
        rows.append(
            {
                "activation": case.activation,
                "loss": case.loss,
                "diagonal": case.diagonal,
                "holds": case.holds,
                "jacobian": Tex(latex(case.jacobian)),
                "grad_a": Tex(latex(case.grad_a)),
                "delta": Tex(latex(delta)),
                "reduced": Tex(latex(case.reduced)),
            }
        )
    return rows


__all__ = [
    "CHAIN_RULE",
    "chain_rule",
    "dense_layer",
    "equation_shapes",
    "equations",
    "output_errors",
    "parameter_names",
    "shapes",
]
