r"""The whole training step of an MLP as one generated function: ``numeric/_generated/steps.py``.

For each configuration the trainer supports this way — hidden activation, a softmax output with
cross-entropy on the logits, optimiser — one function runs the forward pass, BP1–BP4 and the optimiser
update on preallocated buffers, every operation writing in place (``out=``).  Nothing is retyped:

* the matrix products are the backpropagation topic's equations (:func:`dense`, :func:`hidden_error`,
  :func:`weight_gradient`, :func:`bias_gradient`) applied to stacked columns, one per sample, and
  transposed by SymPy into the row-per-sample layout of the trainer (``Z = A Wᵀ + 1 bᵀ``, ``Δᵀ A``, …);
  a product with the all-ones column is a sum over the samples (BP3: ``sum(axis=0)``);
* the activation and its derivative are the catalogue's; the derivative is written in terms of the
  forward activation a = f(z) when SymPy can (σ′ = σ(1 − σ) reuses σ from the forward pass, tanh′ = 1 − a²),
  otherwise in terms of z (ReLU′ = [z > 0]);
* BP1 is the max-shifted softmax cross-entropy gradient p − y of ``derive/topics/training.py``, times
  1/B for the batch mean, written into Δᴸ in place;
* the updates are the optimiser rules of ``derive/topics/optimisers.py`` applied to the flat parameter
  vector, state (m, v) updated in place.

Elementwise work is printed by :class:`derive.numerics.inplace.InPlace`.  Each line carries a comment
naming its equation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sympy as sp

from derive.calculus.derivation import derive, in_probabilities, index_form
from derive.calculus.vectorise import ClassSum, index_symbols
from derive.catalogue import get
from derive.numerics import codegen
from derive.numerics.inplace import InPlace, update_lines
from derive.numerics.stability import stabilise
from derive.printing.text import comment
from derive.printing.textbook import matrix_latex, update
from derive.topics import backpropagation as bp
from derive.topics import optimisers, training

HIDDEN = ("relu", "sigmoid", "tanh")
LOSSES = ("categorical_cross_entropy_logits",)
OPTIMISERS = ("sgd", "momentum", "adam")

# --- The matrix equations in the batch layout --------------------------------------------------

B = sp.Symbol("B", integer=True, positive=True)  # samples in the batch
_n_in, _n_out = sp.symbols("n_in n_out", integer=True, positive=True)
W = sp.MatrixSymbol("W", _n_out, _n_in)  # one layer's weights
BIAS = sp.MatrixSymbol("b", _n_out, 1)
ONES = sp.MatrixSymbol("1", B, 1)  # the all-ones column
# Stacked columns, one per sample (the trainer stores their transposes: one row per sample)
INPUT_COLUMNS = sp.MatrixSymbol("A", _n_in, B)
DELTA_COLUMNS = sp.MatrixSymbol("Delta", _n_out, B)
PRIME = sp.MatrixSymbol("F", _n_in, B)  # f'(Z) of the layer below, stacked
# The trainer's layout, the one every shown form uses: one row per sample (A is B × n_in, Δ is B × n_out)
INPUT_ROWS = sp.MatrixSymbol("A", B, _n_in)
DELTA_ROWS = sp.MatrixSymbol("Delta", B, _n_out)
PRE_ACTIVATION_ROWS = sp.MatrixSymbol("Z", B, _n_out)
ROWS = {INPUT_COLUMNS: INPUT_ROWS.T, DELTA_COLUMNS: DELTA_ROWS.T}  # the stacked columns are the rows transposed


def batch_equations() -> dict[str, sp.MatrixExpr]:
    """The dense layer and BP2–BP4 for a batch stored as rows: the column equations applied to stacked
    columns, transposed (BP4 sums the per-sample outer products δ aᵀ; BP3 sums δ over the samples)."""
    return {
        "dense": bp.dense(W, INPUT_COLUMNS, BIAS * ONES.T).T.doit(),
        "BP2": bp.hidden_error(W, DELTA_COLUMNS, PRIME).args[0].T.doit(),  # then ⊙ f'(Z), elementwise
        "BP3": (bp.bias_gradient(DELTA_COLUMNS) * ONES).doit(),
        "BP4": bp.weight_gradient(DELTA_COLUMNS, INPUT_COLUMNS).doit(),
    }


def row_equations() -> dict[str, sp.MatrixExpr]:
    """:func:`batch_equations` in the trainer's layout, samples as rows (A = the stacked columns transposed):
    Z = A Wᵀ + 1 bᵀ, BP2 Δ W, BP3 Δᵀ 1, BP4 Δᵀ A."""
    return {key: value.xreplace(ROWS).doit() for key, value in batch_equations().items()}


def row_equations_hold(sizes: tuple[int, int, int] = (3, 2, 4)) -> bool:
    """SymPy: each row form equals the backpropagation topic's column equation with the stacked columns written
    as the rows transposed — as matrix expressions, and entry by entry for ``sizes`` = (B, n_in, n_out)."""
    columns = {
        "dense": bp.dense(W, INPUT_ROWS.T, BIAS * ONES.T).T,
        "BP2": bp.hidden_error(W, DELTA_ROWS.T, PRIME).args[0].T,
        "BP3": bp.bias_gradient(DELTA_ROWS.T) * ONES,
        "BP4": bp.weight_gradient(DELTA_ROWS.T, INPUT_ROWS.T),
    }
    shape = dict(zip((B, _n_in, _n_out), sizes, strict=True))
    for key, shown in row_equations().items():
        if shown != columns[key].doit():
            return False
        difference = (shown - columns[key]).subs(shape).as_explicit()
        if any(sp.expand(entry) != 0 for entry in difference):
            return False
    return True


def shown_equation(key: str, value: sp.MatrixExpr) -> str:
    """LaTeX of one row equation in textbook form, the dense layer with its name: Z = A W^⊤ + 1 b^⊤."""
    text = matrix_latex(value)
    return f"{matrix_latex(PRE_ACTIVATION_ROWS)} = {text}" if key == "dense" else text


def _factor(e: sp.MatrixExpr, rows: dict[sp.MatrixSymbol, str], weight: str) -> str:
    """A matrix factor: a stacked-column matrix is the transpose of its rows buffer; W is ``weight``."""
    transposed = isinstance(e, sp.Transpose)
    base = e.arg if transposed else e
    if base == W:
        return f"{weight}.T" if transposed else weight
    return rows[base] if transposed else f"{rows[base]}.T"


def matmul_line(product: sp.MatMul, rows: dict[sp.MatrixSymbol, str], weight: str, out: str) -> str:
    """``numpy.dot(P, Q, out=out)`` for a product of two factors (see :func:`_factor`); for 2-D arrays ``dot`` is
    ``matmul`` with less overhead per call (``out`` must be C-contiguous, as every buffer is)."""
    left, right = product.args[-2:]
    if len(product.args) != 2:
        raise ValueError(f"a product of two matrices expected, got {product}")
    return f"numpy.dot({_factor(left, rows, weight)}, {_factor(right, rows, weight)}, out={out})"


def dense_lines(inputs: str, weight: str, bias: str, out: str) -> list[str]:
    """Z = A Wᵀ + 1 bᵀ into ``out``: the product, then the bias row added to every row."""
    product, ones_bias = sorted(batch_equations()["dense"].args, key=lambda t: ONES in t.free_symbols)
    if ones_bias != ONES * BIAS.T:
        raise ValueError(f"unexpected dense layer {batch_equations()['dense']}")
    shown_product, shown_bias = sorted(row_equations()["dense"].args, key=lambda t: ONES in t.free_symbols)
    return [
        f"{matmul_line(product, {INPUT_COLUMNS: inputs}, weight, out)}  # dense layer: Z = {comment(shown_product)}",
        f"numpy.add({out}, {bias}, out={out})  # dense layer: + {comment(shown_bias)} (the bias in every row)",
    ]


def bias_sum_line(delta: str, ones: str, out: str) -> str:
    """BP3 for the batch: Δ·1, the product with the all-ones column (a sum over the samples), printed as
    ``numpy.dot(ones, Δ)`` on the rows buffer."""
    equation = batch_equations()["BP3"]
    if equation != DELTA_COLUMNS * ONES:
        raise ValueError(f"unexpected BP3 {equation}")
    shown = comment(row_equations()["BP3"])
    return f"numpy.dot({ones}, {delta}, out={out})  # BP3: ∂C/∂b = {shown}, δ summed over the samples"


# --- Elementwise pieces ---------------------------------------------------------------------------

Z = sp.Symbol("z", real=True)  # pre-activation (an array)
A = sp.Symbol("a", real=True)  # the forward activation f(z), kept from the forward pass
DELTA = sp.Symbol("delta", real=True)  # the error being multiplied by f'(z)


def activation_forms(name: str) -> tuple[sp.Expr, sp.Expr]:
    """(f(z), f'(z)) of catalogue activation ``name``; f' in terms of a = f(z) when that removes z.

    f is the one-pass batch form (ReLU as max(z, 0)) or the stabilised catalogue expression.
    """
    entry = get(name)
    x = entry.wrt
    if name in training.BATCH_ACTIVATIONS:
        value = training.batch_activation(name)[0]
    else:
        value = codegen.lower(stabilise(entry.expr))
    prime = derive(entry).gradient
    in_a = prime.subs(entry.expr, A)
    prime = in_a if x not in in_a.free_symbols else prime
    return value.xreplace({x: Z}), prime.xreplace({x: Z})


def activation_prime_holds(name: str) -> bool:
    """SymPy: f'(z) written with a = f(z) equals the catalogue's derivative."""
    entry = get(name)
    _, prime = activation_forms(name)
    exact = derive(entry).gradient.xreplace({entry.wrt: Z})
    return sp.simplify(prime.xreplace({A: entry.expr.xreplace({entry.wrt: Z})}) - exact) == 0


INV_BATCH = sp.Symbol("inv_batch", positive=True)  # 1/B: the cost is the batch mean


def output_error(loss: str) -> tuple[sp.Expr, dict[sp.Symbol, str]]:
    """BP1 for the batch mean on the logits: (1/B) ∂L/∂z, max-shifted; and its arrays' names."""
    entry = get(loss)
    target = next(b for b in entry.components if b.name == "target")
    names = {entry.wrt: "z[last]", target: "y", training.SHIFT: "rowmax"}
    return INV_BATCH * training.shifted_gradient(loss), names


def shown_output_error(loss: str) -> sp.Expr:
    """BP1 as its comment writes it: the catalogue's index-form ∂L/∂z with p = softmax(z) and Σ_k y_k = 1, over B
    ((p − y)/B); :func:`output_error` is the same derivative max-shifted (``training.shifted_gradient_holds``)."""
    entry = get(loss)
    target = next(b for b in entry.components if b.name == "target")
    gradient = in_probabilities(entry, index_form(entry).gradient)
    return gradient.xreplace({ClassSum(index_symbols(target).summed): sp.Integer(1)}) / B


# --- Printing ---------------------------------------------------------------------------------------


def _lines(program: InPlace, indent: str = "") -> list[str]:
    return [f"{indent}{code}  # {comment}" for code, comment in program.lines]


def _bp1_lines(loss: str, scalars: list) -> list[str]:
    expr, names = output_error(loss)
    temps, (reduced,) = sp.cse(expr, symbols=sp.numbered_symbols("_t"), order="none")
    rows = frozenset(s for s, n in names.items() if n == "rowmax")
    note = f"BP1: Δᴸ = {comment(shown_output_error(loss))}"
    program = InPlace({**names}, row_scratch=("rowsum",), rows=rows, scalars=scalars, comment=note)
    program.class_sum = ("ones_classes", {"rowsum": "rowsum[:, 0]"})
    for sym, value in temps:  # the shared exponential lives in Δᴸ itself until it is divided
        program.into(value, "delta[last]")
        program.arrays[sym] = "delta[last]"
    program.into(reduced, "delta[last]")
    shift = "numpy.maximum.reduce(z[last], axis=-1, keepdims=True, out=rowmax)  # BP1: M = the row maximum (the shift)"
    return [shift, *_lines(program)]


def _activation_lines(name: str, scalars: list) -> tuple[list[str], list[str]]:
    """(forward lines A^l = f(Z^l), BP2 lines Δ^{l-1} ⊙= f'(Z^{l-1})), inside the layer loops."""
    value, prime = activation_forms(name)
    forward = InPlace({Z: "z[l]"}, scratch=("scratch[l]",), scalars=scalars, comment=f"activation: A = {name}(Z)")
    forward.into(value, "layer_input[l + 1]")
    arrays = {Z: "z[l - 1]", A: "layer_input[l]", DELTA: "delta[l - 1]"}
    note = f"BP2: ⊙ {name}′(Z) = {comment(prime)}"
    backward = InPlace(arrays, scratch=("scratch[l - 1]",), scalars=scalars, comment=note)
    backward.into(DELTA * prime, "delta[l - 1]")
    return _lines(forward, "    "), _lines(backward, "        ")


def _optimiser_lines(rule: optimisers.Rule, scalars: list) -> tuple[list[str], list[sp.Symbol]]:
    """The rule's updates on the flat vectors, and its arguments (state arrays, then scalars)."""
    arrays = {optimisers.w: "parameters", optimisers.g: "gradient", optimisers.m: "m", optimisers.v: "v"}
    program = InPlace(arrays, scratch=("flat_scratch[0]", "flat_scratch[1]"), scalars=scalars)
    update_lines(program, rule.updates, lambda target, expr: f"{rule.name}: {comment(update(target, expr))}", "axpy")
    free = set().union(*(e.free_symbols | {tg} for tg, e in rule.updates))
    state = [s for s in (optimisers.m, optimisers.v) if s in free]
    hyper = [s for s in (optimisers.t, optimisers.eta, optimisers.mu, optimisers.beta1, optimisers.beta2) if s in free]
    hyper += [optimisers.epsilon] if optimisers.epsilon in free else []
    return _lines(program), state + hyper


# The buffers a step reads and writes, unpacked into local names (only those the step uses)
BUFFERS = (
    ("weights", "biases", "grad_weights", "grad_biases", "parameters", "gradient"),
    ("z", "delta", "scratch", "rowmax", "rowsum", "flat_scratch"),
    ("ones_batch", "ones_classes", "axpy"),  # the all-ones vectors 1; axpy: BLAS y ← y + a·x in place
)
PREAMBLE = [
    "layer_input = [x, *buffers.a]  # A⁰ = x, then the hidden activations",
    "last = len(weights) - 1",
    "inv_batch = 1.0 / x.shape[0]  # the cost is the batch mean",
]


def _unpack(body: list[str]) -> list[str]:
    """``a, b = buffers.a, buffers.b`` for the buffers ``body`` uses, a line per group of :data:`BUFFERS`."""
    used = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", "\n".join(body)))
    lines = []
    for group in BUFFERS:
        names = [n for n in group if n in used]
        if names:
            lines.append(f"{', '.join(names)} = {', '.join(f'buffers.{n}' for n in names)}")
    return lines


def step_name(hidden: str, loss: str, optimiser: str) -> str:
    return f"{hidden}_{loss}_{optimiser}_step"


def step_source(hidden: str, loss: str, optimiser: str) -> str:
    """Source of one fused training step (see the module docstring)."""
    rule = next(r for r in optimisers.optimiser_rules() if r.name == optimiser)
    scalars: list = []
    forward, backward = _activation_lines(hidden, scalars)
    bp1 = _bp1_lines(loss, scalars)
    update, arguments = _optimiser_lines(rule, scalars)
    hoisted = InPlace({}, scalars=scalars).scalar_lines()
    equations, shown = batch_equations(), row_equations()
    rows = {DELTA_COLUMNS: "delta[l]", INPUT_COLUMNS: "layer_input[l]"}
    bp4 = matmul_line(equations["BP4"], rows, "", "grad_weights[l]")
    bp2 = matmul_line(equations["BP2"], rows, "weights[l]", "delta[l - 1]")
    body = [
        *hoisted,
        "for l in range(last):  # the forward pass through the hidden layers",
        *(f"    {line}" for line in dense_lines("layer_input[l]", "weights[l]", "biases[l]", "z[l]")),
        *forward,
        *dense_lines("layer_input[last]", "weights[last]", "biases[last]", "z[last]"),
        *bp1,
        "for l in range(last, -1, -1):  # backpropagation, output layer first",
        f"    {bp4}  # BP4: ∂C/∂W = {comment(shown['BP4'])}",
        f"    {bias_sum_line('delta[l]', 'ones_batch', 'grad_biases[l]')}",
        "    if l:",
        f"        {bp2}  # BP2: {comment(shown['BP2'])}",
        *backward,
        *update,
    ]
    body = _unpack([*PREAMBLE, *body]) + PREAMBLE + body
    doc = [
        f"One training step: {hidden} hidden layers, {loss}, {optimiser}; every array written in place.",
        "Dense layer and BP2–BP4 for B samples stored as rows (A: B × n_in, one row per sample; Δ: B × n_out):",
        "\n".join(rf"$$\text{{{k}}}: {shown_equation(k, v)}$$" for k, v in shown.items()),
        f"The {optimiser} update, on the flat vectors of every parameter w and its gradient g:",
        "\n".join(f"$${optimisers.update_tex(target, expr)}$$" for target, expr in rule.updates),
        f"``buffers``: the trainer's preallocated arrays (``numeric.fused.StepBuffers``); "
        f"{', '.join(s.name for s in arguments)}: the optimiser's state and hyperparameters.",
        "Generated from ``derive/topics/fused_step.py``; do not edit.",
    ]
    args = ", ".join(["x", "y", "buffers", *(s.name for s in arguments)])
    return codegen.function_source(step_name(hidden, loss, optimiser), args, doc, body)


def configurations() -> list[tuple[str, str, str]]:
    return [(h, lo, o) for h in HIDDEN for lo in LOSSES for o in OPTIMISERS]


def generated_module() -> str:
    """The text of ``numeric/_generated/steps.py``."""
    sources = [step_source(*c) for c in configurations()]
    table = "\n".join(f"    {c!r}: {step_name(*c)}," for c in configurations())
    sources.append(f"# (hidden activation, loss, optimiser) -> the fused step\nFUSED_STEPS = {{\n{table}\n}}")
    names = [step_name(*c) for c in configurations()] + ["FUSED_STEPS"]
    return codegen.module_text("Fused training steps generated from derive/topics/fused_step.py", sources, names)


GENERATED = codegen.GeneratedModule("steps.py", generated_module)


def shown_step(hidden: str = "relu", loss: str = "categorical_cross_entropy_logits", optimiser: str = "adam") -> str:
    """The source of one fused step, as the trainer runs it (for the site page)."""
    return step_source(hidden, loss, optimiser)


OPTIMISER_ARGUMENTS: Callable[[str], list[str]] = lambda name: [  # noqa: E731
    s.name for s in _optimiser_lines(next(r for r in optimisers.optimiser_rules() if r.name == name), [])[1]
]
