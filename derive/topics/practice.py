"""What only the workshop notebooks derive: the dense layer over a batch, and the error of a finite difference.

Everything else the notebooks show is derived where the course derives it (the dense
layer, the chain rule, backpropagation, the update rules); these two are derived here
from ``derive``'s own functions and ``sympy.series``, never typed.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.topics.backpropagation import dense


def batch_layer() -> tuple[sp.Eq, sp.Eq]:
    """The dense layer applied to B samples at once, by :func:`derive.topics.backpropagation.dense` on a batch.

    Columns: Z = W A + b 1ᵀ (the bias repeated for every column).  Rows, as NumPy code and
    PyTorch store a batch: the transpose, Zᵀ = Aᵀ Wᵀ + 1 bᵀ, term by term.  Returns (columns, rows).
    """
    n, m = sp.symbols("n_l n_{l-1}", integer=True, positive=True)
    batch = sp.Symbol("B", integer=True, positive=True)
    w = sp.MatrixSymbol(r"W^{l}", n, m)
    a = sp.MatrixSymbol(r"A^{l-1}", m, batch)
    b = sp.MatrixSymbol(r"\mathbf{b}^{l}", n, 1)
    ones = sp.MatrixSymbol(r"\mathbf{1}", batch, 1)
    z = sp.MatrixSymbol(r"Z^{l}", n, batch)
    columns = dense(w, a, b * ones.T)
    rows = sp.MatAdd(*(term.T for term in sp.Add.make_args(columns)), evaluate=False)
    return sp.Eq(z, columns, evaluate=False), sp.Eq(z.T, rows, evaluate=False)


def difference_quotients() -> dict[str, sp.Expr]:
    """The central and forward differences of f at x with step h, and their series in h.

    central = (f(x + h) − f(x − h)) / (2h) = f'(x) + h² f'''(x)/6 + O(h⁴);
    forward = (f(x + h) − f(x)) / h = f'(x) + h f''(x)/2 + O(h²).
    """
    return dict(_difference_quotients())


@cache
def _difference_quotients() -> tuple[tuple[str, sp.Expr], ...]:
    """The items of :func:`difference_quotients`, derived once (the series take SymPy a while)."""
    x, h = sp.symbols("x h", real=True)
    f = sp.Function("f")
    central = (f(x + h) - f(x - h)) / (2 * h)
    forward = (f(x + h) - f(x)) / h
    return (
        ("derivative", sp.Derivative(f(x), x)),
        ("central", central),
        ("central_series", sp.series(central, h, 0, 4).doit()),
        ("forward", forward),
        ("forward_series", sp.series(forward, h, 0, 2).doit()),
    )
