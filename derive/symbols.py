"""The symbols of the course, with the notation of ``docs/notation.md``.

Python names are what the generated NumPy functions take as arguments
(``mse(pred, target)``); ``LATEX_NAMES`` is how pages write them.
"""

from __future__ import annotations

import sympy as sp

K = 3  # number of classes used to derive the vector formulas component by component

x = sp.Symbol("x", real=True)
w = sp.Symbol("w", real=True)
pred = sp.Symbol("pred", real=True)
target = sp.Symbol("target", real=True)
prob = sp.Symbol("prob", positive=True)
logits = sp.Symbol("logits", real=True)

alpha = sp.Symbol("alpha", positive=True)
delta = sp.Symbol("delta", positive=True)
lam = sp.Symbol("lam", positive=True)


def components(base: sp.Symbol, k: int = K, **assumptions) -> tuple[sp.Symbol, ...]:
    """``base1, …, baseK`` — the components of a vector argument."""
    assumptions = assumptions or base.assumptions0
    return tuple(sp.Symbol(f"{base.name}{i}", **assumptions) for i in range(1, k + 1))


logits_k = components(logits)
target_k = components(target, real=True)
prob_k = components(prob, positive=True)

LATEX_NAMES: dict[sp.Symbol, str] = {
    pred: r"\hat{y}",
    target: "y",
    prob: "p",
    logits: "z",
    lam: r"\lambda",
    **{s: f"z_{{{i}}}" for i, s in enumerate(logits_k, 1)},
    **{s: f"y_{{{i}}}" for i, s in enumerate(target_k, 1)},
    **{s: f"p_{{{i}}}" for i, s in enumerate(prob_k, 1)},
}
