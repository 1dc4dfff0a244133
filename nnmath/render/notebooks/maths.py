"""The maths and the numbers of the notebooks: the template contexts, one function per part.

Every formula is a string printed from SymPy by the same functions the site
uses (:mod:`nnmath.topics.backpropagation.formulas`, :mod:`nnmath.topics.catalogue.entry`,
:mod:`derive.printing.formulas`), so a notebook shows the site's LaTeX, character
for character.  What only the notebooks show — the dense layer over a batch,
the error of a finite difference — is derived here from ``derive``'s own
functions (:func:`derive.topics.backpropagation.dense`, ``sympy.series``), never typed.
"""

from __future__ import annotations

import sympy as sp

from derive.catalogue import get
from derive.printing import formulas
from derive.printing.latex import latex
from nnmath.topics.backpropagation import formulas as topics
from nnmath.topics.catalogue.entry import entry_record
from nnmath.topics.gradient_descent.formulas import update_step
from nnmath.topics.overfitting.formulas import weight_decay

# Part 2: the activations that are plotted with their derivatives, and the one whose gradient is checked.
PLOTTED = ("sigmoid", "tanh", "relu", "softplus")
CHECKED = "gelu"
# Part 1: the batch of the exercises — the worked example's input first, then three more (one per column).
BATCH = ((0.05, 0.1), (1.0, 0.0), (0.0, 1.0), (-0.5, 0.25))
# Part 2: the neuron of the chain-rule exercise.
NEURON = {"w": 0.8, "x": 1.5, "b": -0.2, "y": 1.0}
# Part 3: few noisy training points and a wide layer, so that overfitting shows within a few seconds.
DATA = {"train": 40, "test": 400, "noise": 0.3, "seed": 0}
NETWORK = {"hidden": 32, "seed": 1, "epochs": 5000, "lr": 0.5, "lam": 0.01}
FAR_AWAY = (6.0, -4.0, -5.0, 5.0)  # two inputs far from the moons


def _entry(name: str) -> dict:
    """The site's strings of one catalogue entry (definition, derivative, identity), as the page shows them."""
    s = entry_record(get(name))
    return {
        "name": name,
        "title": s["title"],
        "definition": s["definition"],
        "gradient": s["gradient"],
        "identity": s["identity"],
        "function": s["function_name"],
        "gradient_function": s["gradient_name"],
    }


def batch_equations() -> dict[str, str]:
    """The dense layer applied to B samples at once, by :func:`derive.topics.backpropagation.dense` on a batch matrix.

    Columns: Z = W A + b 1ᵀ (the bias repeated for every column).  Rows, as NumPy code and
    PyTorch store a batch: the transpose, Zᵀ = Aᵀ Wᵀ + 1 bᵀ, term by term.
    """
    from derive.topics.backpropagation import dense

    n, m = sp.symbols("n_l n_{l-1}", integer=True, positive=True)
    batch = sp.Symbol("B", integer=True, positive=True)
    w = sp.MatrixSymbol(r"W^{l}", n, m)
    a = sp.MatrixSymbol(r"A^{l-1}", m, batch)
    b = sp.MatrixSymbol(r"\mathbf{b}^{l}", n, 1)
    ones = sp.MatrixSymbol(r"\mathbf{1}", batch, 1)
    z = sp.MatrixSymbol(r"Z^{l}", n, batch)
    columns = dense(w, a, b * ones.T)
    rows = sp.MatAdd(*(term.T for term in sp.Add.make_args(columns)), evaluate=False)
    return {
        "columns": formulas.unordered(sp.Eq(z, columns, evaluate=False)),
        "rows": formulas.unordered(sp.Eq(z.T, rows, evaluate=False)),
        "shapes": topics.shapes([sp.Eq(z, columns, evaluate=False)]),
    }


def _literal(rows: tuple[tuple[float, ...], ...]) -> str:
    """A NumPy array literal of ``rows``: ``np.array([[0.05, 0.1], ...])``."""
    return "np.array([" + ", ".join("[" + ", ".join(repr(v) for v in row) + "]" for row in rows) + "])"


def linear_algebra() -> dict:
    """Part 1: a layer as a matrix product, one sample and a batch."""
    dense = topics.dense_layer()
    return {
        "dense": dense,
        "batch": batch_equations(),
        "batch_literal": _literal(tuple(zip(*BATCH))),  # one sample per column
        "batch_size": len(BATCH),
        "sigmoid": _entry("sigmoid"),
    }


def finite_differences() -> dict[str, str]:
    """The central and forward differences and their errors, from ``sympy.series`` in h."""
    x, h = sp.symbols("x h", real=True)
    f = sp.Function("f")
    central = (f(x + h) - f(x - h)) / (2 * h)
    forward = (f(x + h) - f(x)) / h
    derivative = sp.Derivative(f(x), x)
    return {
        "central": latex(derivative) + r" \approx " + latex(central),
        "central_series": latex(central) + " = " + latex(sp.series(central, h, 0, 4).doit()),
        "forward_series": latex(forward) + " = " + latex(sp.series(forward, h, 0, 2).doit()),
    }


def calculus() -> dict:
    """Part 2: activations and their derivatives, finite differences, the chain rule of one neuron."""
    return {
        "plotted": [_entry(name) for name in PLOTTED],
        "checked": _entry(CHECKED),
        "differences": finite_differences(),
        "chain": topics.chain_rule(),
        "neuron": NEURON,
    }


def training() -> dict:
    """Part 3: backpropagation and gradient descent on a small network."""
    return {
        "backprop": {"equations": topics.equations(), "shapes": topics.equation_shapes()},
        "step": update_step(),
        "decay": weight_decay(),
        "loss": _entry("binary_cross_entropy_logits"),
        "hidden": _entry("tanh"),
        "data": DATA,
        "network": NETWORK,
        "far": FAR_AWAY,
    }
