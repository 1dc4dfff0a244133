"""The strings of the topic pages: the dense layer, the chain rule, backpropagation, updates, notation."""

from __future__ import annotations

import re

import sympy as sp

from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.catalogue import entries, get
from derive.printing import formulas
from derive.printing.latex import latex
from derive.topics.backpropagation import chain_rule_derivation, forward, general_equations, network, verify_elementwise

# The networks whose BP1-BP4 are compared with sympy.diff, weight by weight: (sizes, hidden, output, loss).
BACKPROP_NETWORKS = (
    ((3, 4, 2), "sigmoid", "sigmoid", "mse"),
    ((2, 3, 3), "sigmoid", "softmax", "categorical_cross_entropy_logits"),
)
# The neuron of the chain-rule page: (activation, loss).
CHAIN_RULE = ("sigmoid", "mse")
EQUATION_ORDER = ("dense", "BP1", "BP2", "BP3", "BP4")
EQUATION_LABELS = {
    "dense": "The dense layer",
    "BP1": "BP1: the error at the output layer",
    "BP2": "BP2: the error carried one layer back",
    "BP3": "BP3: the gradient of the biases",
    "BP4": "BP4: the gradient of the weights",
}


def parameter_names(expr: sp.Basic) -> sp.Basic:
    """A network's parameter symbols as a page writes them: ``w1_12`` → w¹₁₂, ``b2_1`` → b²₁."""
    rename = {}
    for s in expr.free_symbols:
        if m := re.fullmatch(r"([wb])(\d+)_(\d+)", s.name):
            rename[s] = sp.Symbol(f"{m[1]}^{m[2]}_{m[3]}", real=True)
    return expr.xreplace(rename)


def shapes(equations: list[sp.Eq]) -> list[dict]:
    """Every matrix symbol of ``equations`` with its shape, in order of first appearance."""
    printed = " ".join(latex(eq) for eq in equations)
    symbols = {latex(m): m for eq in equations for m in eq.atoms(sp.MatrixSymbol)}
    return [
        {"symbol": tex, "rows": latex(m.shape[0]), "columns": latex(m.shape[1])}
        for tex, m in sorted(symbols.items(), key=lambda item: (printed.find(item[0]), item[0]))
    ]


def dense_layer() -> dict:
    """The dense layer z = W a + b: general matrix form, and the first layer of a 2-2-2 network."""
    eq = general_equations()["dense"]
    net = network((2, 2, 2), "sigmoid", "sigmoid", "mse")
    zs, acts = forward(net)
    w, x, b = (parameter_names(m) for m in (net.weights[0], net.x, net.biases[0]))
    product = sp.MatAdd(sp.MatMul(w, x, evaluate=False), b, evaluate=False)
    return {
        "general": latex(eq),
        "shapes": shapes([eq]),
        "sizes": "-".join(map(str, net.sizes)),
        "product": formulas.unordered(product) + " = " + latex(parameter_names(zs[0])),
        "activation": latex(parameter_names(acts[1])),
        "activation_name": net.hidden.name,
    }


def chain_rule() -> dict:
    """∂L/∂w for one neuron, step by step."""
    activation, loss = CHAIN_RULE
    d = chain_rule_derivation(activation, loss)
    act, lo = get(activation), get(loss)
    w, x, b, y, z, a = sp.symbols("w x b y z a", real=True)
    loss_symbol = sp.Symbol("L")
    prediction, target = (s for s in lo.args if s not in lo.params)
    return {
        "activation": activation,
        "loss": loss,
        "neuron": formulas.unordered(sp.Eq(z, w * x + b, evaluate=False)),
        "activated": latex(sp.Eq(a, act.expr.xreplace({act.wrt: z}), evaluate=False)),
        "loss_of": latex(sp.Eq(loss_symbol, lo.expr.xreplace({prediction: a, target: y}), evaluate=False)),
        "weight": latex(w),
        "composed": formulas.equation(loss_symbol, d.expr),
        "steps": formulas.steps(d),
        "result": formulas.equation(sp.Derivative(sp.Symbol("L"), d.wrt, evaluate=False), d.result),
    }


def backprop_equations() -> dict:
    """The dense layer and BP1-BP4 in matrix form."""
    eqs = general_equations()
    return {
        "equations": [{"label": EQUATION_LABELS[key], "tex": latex(eqs[key])} for key in EQUATION_ORDER],
        "shapes": shapes([eqs[key] for key in EQUATION_ORDER]),
    }


def backprop_verification(sizes: tuple[int, ...], hidden: str, output: str, loss: str) -> dict:
    """BP1-BP4 against ``sympy.diff`` of the expanded loss, for every weight and bias of one network."""
    v = verify_elementwise(network(sizes, hidden, output, loss))
    return {
        "sizes": "-".join(map(str, v.sizes)),
        "hidden": hidden,
        "output": output,
        "loss": loss,
        "checked": v.checked,
        "mismatches": list(v.mismatches),
        "holds": v.holds,
    }


def symbol_names(expr: sp.Basic) -> dict[str, str]:
    """The LaTeX of each symbol of ``expr``, by its SymPy name (``eta`` → ``\\eta``)."""
    return {s.name: latex(s) for s in sorted(expr.free_symbols, key=str)}


def gradient_descent() -> dict:
    """The gradient-descent update rule."""
    from derive.topics.gradient_descent import rules

    rule = rules()["gradient_step"]
    return {"step": formulas.unordered(rule), "symbols": symbol_names(rule)}


def weight_decay() -> dict:
    """The update with an L2 penalty, and the same rule collected in w (weight decay)."""
    from derive.topics.gradient_descent import rules

    rule = rules()["l2_step"]
    (w,) = (s for s in rule.rhs.free_symbols if s.name == "w")
    decayed = sp.collect(sp.expand(rule.rhs), w)
    return {
        "step": formulas.unordered(rule),
        "collected": formulas.unordered(sp.Eq(rule.lhs, decayed, evaluate=False)),
        "symbols": symbol_names(rule),
    }


def notation() -> dict:
    """The symbols of the catalogue's arguments (with their index forms) and of the network equations."""
    vectors = {base for e in entries() for base in e.components}
    seen: dict[str, dict] = {}
    for e in entries():
        for arg in e.args:
            if arg.name in seen:
                continue
            row = {"python": arg.name, "symbol": latex(arg), "vector": arg in vectors}
            if arg in vectors:
                idx = index_symbols(arg)
                row |= {
                    "bold": latex(formulas.bold(arg)),
                    "i": latex(arg, indexed=True),
                    "k": latex(idx.summed),
                    "j": latex(idx.column),
                }
            seen[arg.name] = row
    logits = next((b for b in vectors if b.name == "logits"), None)
    lse = None
    if logits is not None:
        k = index_symbols(logits).summed
        lse = formulas.equation(LSE, sp.log(ClassSum(sp.exp(k))))
    eqs = general_equations()
    return {
        "arguments": list(seen.values()),
        "lse": lse,
        "network": shapes([eqs[key] for key in EQUATION_ORDER]),
    }
