"""The dense layer, a multilayer perceptron, and backpropagation.

The four backpropagation equations are written once, as functions over
matrices (:func:`output_error`, :func:`hidden_error`, :func:`bias_gradient`,
:func:`weight_gradient`).  Called with ``MatrixSymbol``s they give the general
matrix form shown on pages; called with explicit SymPy matrices of a concrete
network they give formulas that :func:`verify_elementwise` compares, weight
by weight, with ``sympy.diff`` of the fully expanded scalar loss.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from derive.calculus.derivation import component, gradient
from derive.calculus.functions import textbook
from derive.calculus.steps import Derivation, Step
from derive.catalogue import get
from derive.catalogue.entry import ELEMENTWISE, Entry

# --- The four equations (Nielsen's BP1-BP4), written once -------------------------------


def output_error(grad_a: sp.MatrixBase, act_prime: sp.MatrixBase) -> sp.MatrixExpr:
    """BP1: δᴸ = ∇ₐC ⊙ σ'(zᴸ) — the error at the output layer."""
    return sp.HadamardProduct(grad_a, act_prime)


def hidden_error(w_next: sp.MatrixBase, delta_next: sp.MatrixBase, act_prime: sp.MatrixBase) -> sp.MatrixExpr:
    """BP2: δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ'(zˡ) — the error carried backward through Wᵀ."""
    return sp.HadamardProduct(w_next.T * delta_next, act_prime)


def bias_gradient(delta: sp.MatrixBase) -> sp.MatrixBase:
    """BP3: ∂C/∂bˡ = δˡ."""
    return delta


def weight_gradient(delta: sp.MatrixBase, a_prev: sp.MatrixBase) -> sp.MatrixExpr:
    """BP4: ∂C/∂Wˡ = δˡ (aˡ⁻¹)ᵀ — an outer product."""
    return delta * a_prev.T


def dense(w: sp.MatrixBase, a_prev: sp.MatrixBase, b: sp.MatrixBase) -> sp.MatrixExpr:
    """The dense layer: z = W a + b."""
    return w * a_prev + b


# --- The general matrix form, for pages -------------------------------------------------


def general_equations() -> dict[str, sp.Eq]:
    """BP1-BP4 and the dense layer with symbolic sizes, for display."""
    n, m, k = sp.symbols("n_l n_{l-1} n_{l+1}", integer=True, positive=True)
    nl = sp.Symbol("n_L", integer=True, positive=True)
    W = sp.MatrixSymbol(r"W^{l}", n, m)  # noqa: N806 - matrices are capitals, as on the page
    W_next = sp.MatrixSymbol(r"W^{l+1}", k, n)  # noqa: N806
    a_prev = sp.MatrixSymbol(r"\mathbf{a}^{l-1}", m, 1)
    b = sp.MatrixSymbol(r"\mathbf{b}^{l}", n, 1)
    z = sp.MatrixSymbol(r"\mathbf{z}^{l}", n, 1)
    delta = sp.MatrixSymbol(r"\boldsymbol{\delta}^{l}", n, 1)
    delta_next = sp.MatrixSymbol(r"\boldsymbol{\delta}^{l+1}", k, 1)
    delta_out = sp.MatrixSymbol(r"\boldsymbol{\delta}^{L}", nl, 1)
    grad_a = sp.MatrixSymbol(r"\nabla_{\mathbf{a}^{L}} C", nl, 1)
    prime_out = sp.MatrixSymbol(r"\sigma'(\mathbf{z}^{L})", nl, 1)
    prime = sp.MatrixSymbol(r"\sigma'(\mathbf{z}^{l})", n, 1)
    dW = sp.MatrixSymbol(r"\frac{\partial C}{\partial W^{l}}", n, m)  # noqa: N806
    db = sp.MatrixSymbol(r"\frac{\partial C}{\partial \mathbf{b}^{l}}", n, 1)
    return {
        "dense": sp.Eq(z, dense(W, a_prev, b), evaluate=False),
        "BP1": sp.Eq(delta_out, output_error(grad_a, prime_out), evaluate=False),
        "BP2": sp.Eq(delta, hidden_error(W_next, delta_next, prime), evaluate=False),
        "BP3": sp.Eq(db, bias_gradient(delta), evaluate=False),
        "BP4": sp.Eq(dW, weight_gradient(delta, a_prev), evaluate=False),
    }


# --- A concrete network -----------------------------------------------------------------


@dataclass(frozen=True)
class Network:
    """A fully symbolic MLP of given sizes: weights, biases, input and target symbols."""

    sizes: tuple[int, ...]
    hidden: Entry
    output: Entry
    loss: Entry
    weights: tuple[sp.ImmutableMatrix, ...]
    biases: tuple[sp.ImmutableMatrix, ...]
    x: sp.ImmutableMatrix
    y: sp.ImmutableMatrix
    scale: sp.Expr = sp.S.One  # C = scale · Σ loss (½ for the halved squared error of many textbooks)

    @property
    def parameters(self) -> list[sp.Symbol]:
        return [s for m in (*self.weights, *self.biases) for s in m]


def network(sizes: tuple[int, ...], hidden: str, output: str, loss: str, scale: sp.Expr = sp.S.One) -> Network:
    """A network with symbols w^l_{ij}, b^l_i, x_i, y_i (layers numbered from 1); its cost is ``scale`` times the
    loss summed over the outputs."""
    weights, biases = [], []
    for layer, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        weights.append(
            sp.ImmutableMatrix(n_out, n_in, lambda i, j, layer=layer: sp.Symbol(f"w{layer}_{i + 1}{j + 1}", real=True))
        )
        biases.append(sp.ImmutableMatrix(n_out, 1, lambda i, _, layer=layer: sp.Symbol(f"b{layer}_{i + 1}", real=True)))
    x = sp.ImmutableMatrix(sizes[0], 1, lambda i, _: sp.Symbol(f"x{i + 1}", real=True))
    y = sp.ImmutableMatrix(sizes[-1], 1, lambda i, _: sp.Symbol(f"y{i + 1}", real=True))
    layers = (tuple(weights), tuple(biases), x, y, sp.sympify(scale))
    return Network(tuple(sizes), get(hidden), get(output), get(loss), *layers)


def _apply(entry: Entry, expr: sp.Expr, wrt_value: sp.Expr, **others: sp.Expr) -> sp.Expr:
    """Substitute values for an elementwise entry's arguments (parameters at their defaults)."""
    subs = {entry.wrt: wrt_value, **entry.params}
    for a in entry.args:
        if a.name in others:
            subs[a] = others[a.name]
    return expr.xreplace(subs)


def _elementwise(entry: Entry, expr: sp.Expr, column: sp.MatrixBase) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix([_apply(entry, expr, v) for v in column])


def forward(net: Network) -> tuple[list[sp.ImmutableMatrix], list[sp.ImmutableMatrix]]:
    """Pre-activations z¹…zᴸ and activations a⁰ = x, a¹…aᴸ, symbolically."""
    zs, acts = [], [net.x]
    last = len(net.weights) - 1
    for layer, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = sp.ImmutableMatrix(dense(w, acts[-1], b))
        act = net.output if layer == last else net.hidden
        if act.kind == ELEMENTWISE:
            a = _elementwise(act, act.expr, z)
        else:
            a = sp.ImmutableMatrix([_vector_component(act, act.expr, k, {act.wrt: z}) for k in range(len(z))])
        zs.append(z)
        acts.append(a)
    return zs, acts


def _vector_component(entry: Entry, expr: sp.Expr, k: int, values: dict[sp.Symbol, sp.MatrixBase]) -> sp.Expr:
    """Component k of a vector entry's expression, its component symbols replaced by values.

    The concrete derivation has K = 3 components; a network layer of another
    width gets the formula re-indexed: ``logsumexp`` over all its components,
    sums over its classes.
    """
    subs = {}
    for base, comps in entry.components.items():
        vals = list(values[base])
        if len(vals) != len(comps):
            raise ValueError(
                f"{entry.name}: derived for {len(comps)} classes, layer has {len(vals)}; use {len(comps)} outputs"
            )
        subs.update(dict(zip(comps, vals)))
    return component(expr, entry, k).xreplace(subs)


def loss(net: Network, a_out: sp.MatrixBase) -> sp.Expr:
    """The scalar loss C of one sample: the loss entry summed over the outputs, times the network's scale."""
    if net.loss.kind == ELEMENTWISE:
        return net.scale * sp.Add(*[_apply(net.loss, net.loss.expr, a, target=t) for a, t in zip(a_out, net.y)])
    target = next(b for b in net.loss.components if b.name == "target")
    return net.scale * _vector_component(net.loss, net.loss.expr, 0, {net.loss.wrt: a_out, target: net.y})


def _output_delta(net: Network, z_out: sp.MatrixBase, a_out: sp.MatrixBase) -> sp.MatrixBase:
    """δᴸ from the catalogue's derivatives."""
    if net.output.kind == ELEMENTWISE:
        grad_a = sp.ImmutableMatrix(
            [net.scale * _apply(net.loss, gradient(net.loss), a, target=t) for a, t in zip(a_out, net.y)]
        )
        prime = _elementwise(net.output, gradient(net.output), z_out)
        return sp.ImmutableMatrix(output_error(grad_a, prime).doit())
    # softmax + cross-entropy on logits: the loss entry is defined on the logits zᴸ directly
    if net.loss.wrt.name != "logits":
        raise ValueError(f"output {net.output.name} needs a loss on logits, got {net.loss.name}")
    target = next(b for b in net.loss.components if b.name == "target")
    grad = gradient(net.loss)
    return sp.ImmutableMatrix(
        [
            net.scale * _vector_component(net.loss, grad, k, {net.loss.wrt: z_out, target: net.y})
            for k in range(len(z_out))
        ]
    )


@dataclass(frozen=True)
class Backprop:
    """The matrix-form gradients of a concrete network."""

    deltas: tuple[sp.ImmutableMatrix, ...]
    weight_grads: tuple[sp.ImmutableMatrix, ...]
    bias_grads: tuple[sp.ImmutableMatrix, ...]
    cost: sp.Expr


def backprop(net: Network) -> Backprop:
    """BP1-BP4 applied to ``net``, layer by layer from the output."""
    zs, acts = forward(net)
    if net.output.kind == ELEMENTWISE:
        cost = loss(net, acts[-1])
    else:  # the loss entry takes the logits; softmax is inside it
        cost = loss(net, zs[-1])
    deltas = [_output_delta(net, zs[-1], acts[-1])]
    for layer in range(len(net.weights) - 2, -1, -1):
        prime = _elementwise(net.hidden, gradient(net.hidden), zs[layer])
        deltas.insert(0, sp.ImmutableMatrix(hidden_error(net.weights[layer + 1], deltas[0], prime).doit()))
    w_grads = tuple(sp.ImmutableMatrix(weight_gradient(d, a)) for d, a in zip(deltas, acts))
    b_grads = tuple(sp.ImmutableMatrix(bias_gradient(d)) for d in deltas)
    return Backprop(tuple(deltas), w_grads, b_grads, cost)


@dataclass(frozen=True)
class Verification:
    """Outcome of the element-wise check: how many parameters, and which differ."""

    sizes: tuple[int, ...]
    checked: int
    mismatches: tuple[str, ...]

    @property
    def holds(self) -> bool:
        return not self.mismatches


def verify_elementwise(net: Network) -> Verification:
    """``sympy.diff`` of the expanded scalar loss by every weight and bias = BP1-BP4, exactly."""
    bp = backprop(net)
    mismatches = []
    pairs = [(w, g) for W, G in zip(net.weights, bp.weight_grads) for w, g in zip(W, G)]
    pairs += [(b, g) for B, G in zip(net.biases, bp.bias_grads) for b, g in zip(B, G)]
    point = _random_point(bp.cost)
    for param, matrix_form in pairs:
        difference = sp.diff(bp.cost, param) - matrix_form
        if sp.expand(difference) == 0:  # the usual case: identical after expansion
            continue
        # refute fast (a non-zero value at a random point, 40 digits), else prove by simplify
        if _evaluate(difference, point) > 1e-30 or sp.simplify(difference) != 0:
            mismatches.append(str(param))
    return Verification(net.sizes, len(pairs), tuple(mismatches))


def _evaluate(expr: sp.Expr, point: dict[sp.Symbol, sp.Rational], digits: int = 40) -> float:
    """``expr`` at ``point`` with mpmath (much faster than evalf on deeply nested σ/tanh)."""
    import mpmath

    symbols = sorted(point, key=str)
    f = sp.lambdify(symbols, textbook(expr), modules="mpmath")
    with mpmath.workdps(digits):
        return float(abs(f(*[mpmath.mpf(point[s].p) / point[s].q for s in symbols])))


def _random_point(expr: sp.Expr, seed: int = 0) -> dict[sp.Symbol, sp.Rational]:
    """Rational values in (0.1, 0.9) for every symbol (targets stay valid probabilities)."""
    import random

    rng = random.Random(seed)
    return {s: sp.Rational(rng.randint(10, 90), 100) for s in sorted(expr.free_symbols, key=str)}


# --- The chain rule for one weight, step by step ----------------------------------------


def chain_rule_symbols() -> tuple[sp.Symbol, ...]:
    """The neuron's symbols w, x, b, y and its named intermediates z, a, L."""
    return (*sp.symbols("w x b y", real=True), *sp.symbols("z a L", real=True))


def chain_rule_names(activation: str = "sigmoid") -> dict[sp.Symbol, sp.Expr]:
    """The named intermediates of the neuron, in the order a page lists them: a = f(z), z = w x + b."""
    act = get(activation)
    w, x, b, _, z_s, a_s, _ = chain_rule_symbols()
    return {a_s: _apply(act, act.expr, z_s), z_s: w * x + b}


def chain_rule_derivation(activation: str = "sigmoid", loss_name: str = "mse") -> Derivation:
    """∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w for one neuron z = w x + b, a = f(z), L = ℓ(a, y).

    Every line keeps the named intermediates a and z: the result is 2 (a − y) · σ(z)(1 − σ(z)) · x for the sigmoid
    and the squared error, a product of one factor per stage (an unevaluated ``Mul``); :func:`chain_rule_holds`
    proves it equal to ``sympy.diff`` of the composed loss once a and z are substituted.
    """
    act, lo = get(activation), get(loss_name)
    w, x, b, y, z_s, a_s, L_s = chain_rule_symbols()  # noqa: N806
    dL_da = sp.factor(_apply(lo, gradient(lo), a_s, target=y))  # noqa: N806 - 2 (a − y)
    textbook_form = act.identity if act.identity is not None else gradient(act)  # σ(z)(1 − σ(z)), proven
    da_dz = _apply(act, textbook_form, z_s)
    dz_dw = sp.diff(w * x + b, w)
    D = lambda f, v: sp.Derivative(f, v, evaluate=False)  # noqa: E731, N806
    chain = lambda *factors: sp.Mul(*factors, evaluate=False)  # noqa: E731 - one factor per stage, kept apart
    steps = [
        Step("chain rule", chain(D(L_s, a_s), D(a_s, z_s), D(z_s, w))),
        Step(f"derivative of {lo.name}", chain(dL_da, D(a_s, z_s), D(z_s, w))),
        Step(f"derivative of {act.name}", chain(dL_da, da_dz, D(z_s, w))),
        Step("derivative of $z = w x + b$", chain(dL_da, da_dz, dz_dw)),
    ]
    composed = _apply(lo, lo.expr, _apply(act, act.expr, w * x + b), target=y)
    return Derivation(expr=composed, wrt=w, steps=tuple(steps), result=steps[-1].expr)


def chain_rule_value(d: Derivation, activation: str = "sigmoid") -> sp.Expr:
    """The result of the chain rule in w, x, b, y alone: a = f(z) and z = w x + b substituted."""
    value = d.result
    for name, expr in chain_rule_names(activation).items():
        value = value.xreplace({name: expr})
    return value.doit()


def chain_rule_holds(d: Derivation, activation: str = "sigmoid") -> bool:
    """SymPy proves the last line of the chain rule, with a and z substituted, equal to d/dw of the composed loss."""
    return sp.simplify(textbook(chain_rule_value(d, activation) - sp.diff(d.expr, d.wrt))) == 0
