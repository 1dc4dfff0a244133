"""The optimisers' formulas as LaTeX: the three rules, Adam's bias correction, momentum's limit, the cost.

Everything is derived and proven in :mod:`derive.topics.optimisers`; this module only writes it, in the order
the rules are read (w − η g, μ v + g: SymPy's rev-lex order).
"""

from __future__ import annotations

import sympy as sp

from derive.printing import textbook
from derive.printing.textbook import TextbookLatexPrinter, latex
from derive.topics import optimisers as theory
from nnmath.topics.base import Tex


def tex(expr: sp.Basic) -> Tex:
    """LaTeX in the order the rules are read: w − η g, μ v + g (SymPy's rev-lex order)."""
    return Tex(TextbookLatexPrinter({"order": "rev-lex"}).doprint(expr))


def chain(*sides: sp.Basic) -> Tex:
    """``a = b = …`` in :func:`tex`."""
    return Tex(" = ".join(tex(s) for s in sides))


def update(target: sp.Symbol, expr: sp.Expr) -> Tex:
    r"""``target \leftarrow expr``, an :class:`~derive.printing.textbook.Update` printed by the textbook printer."""
    return tex(textbook.update(target, expr))


def rules() -> list[dict]:
    """SGD, momentum and Adam: each update on its own, and all of them aligned in one display."""
    return [
        {
            "name": r.name,
            "title": r.title,
            "updates": [update(target, expr) for target, expr in r.updates],
            "display": Tex(
                "\\begin{aligned}"
                + " \\\\ ".join(
                    update(target, expr).replace(r" \leftarrow ", r" &\leftarrow ", 1) for target, expr in r.updates
                )
                + "\\end{aligned}"
            ),
        }
        for r in theory.optimiser_rules()
    ]


def bias_correction() -> dict:
    """Adam's moments under a constant gradient: the geometric series, its induction, the corrected moments.

    ``holds``: SymPy proved both moments' series; ``checked``: the exact iterations whose corrected value is g;
    ``table``: the first steps in exact fractions for g = 1, β₁ = 9/10.
    """
    first = theory.bias_correction_proof()
    second = theory.bias_correction_proof(theory.adam_second_moment, theory.beta2, theory.g**2)
    t, g, beta1 = theory.t, theory.g, theory.beta1
    m_t = sp.Symbol("m_{t}")
    return {
        "recurrence": update(theory.m, theory.adam_first_moment(theory.m, g, beta1)),
        "closed": Tex(latex(m_t) + " = " + latex(first.unrolled) + " = " + tex(first.closed)),
        "base": chain(sp.Symbol("m_{0}"), first.at_zero),
        "step": chain(sp.Symbol("m_{t+1}"), theory.adam_first_moment(m_t, g, beta1), first.at_next),
        "corrected": chain(
            sp.Symbol(r"\hat{m}_{t}"),
            theory.bias_corrected(m_t, beta1, t),
            theory.bias_corrected(sp.UnevaluatedExpr(first.closed), beta1, t),
            first.corrected,
        ),
        "second": Tex(
            chain(sp.Symbol("v_{t}"), second.closed) + r",\qquad " + chain(sp.Symbol(r"\hat{v}_{t}"), second.corrected)
        ),
        "holds": first.holds and second.holds,
        "checked": first.checked_steps,
        "first_step": chain(sp.Symbol("w_{1}"), theory.adam_first_step()),
        "table": [
            {"t": step, "m": Tex(latex(moment)), "m_hat": Tex(latex(corrected))}
            for step, moment, corrected in theory.bias_table()
        ],
    }


def momentum() -> dict:
    """Momentum's velocity under a constant gradient: the geometric series (proven by induction) and its limit."""
    proof = theory.momentum_proof()
    return {
        "closed": Tex(latex(sp.Symbol("v_{t}")) + " = " + latex(proof.unrolled) + " = " + tex(proof.closed)),
        "limit": chain(sp.Symbol(r"v_{\infty}"), proof.limit),
        "holds": proof.holds,
    }


def schedule() -> dict:
    """The cosine learning-rate schedule: its formula, its values at k = 0, K/2, K and its slope at both ends."""
    facts = theory.cosine_schedule_facts()
    eta_k = sp.Symbol(r"\eta_{k}")
    slope = sp.Symbol(r"\frac{d\eta_{k}}{dk}")
    return {
        "formula": tex(sp.Eq(eta_k, facts.formula, evaluate=False)),
        "at_points": Tex(
            r",\qquad ".join(
                tex(sp.Eq(sp.Symbol(rf"\eta_{{{name}}}"), value, evaluate=False))
                for name, (_, value) in zip(("0", "K/2", "K"), facts.values, strict=True)
            )
        ),
        "slope": tex(sp.Eq(slope, facts.slope, evaluate=False)),
        "flat_ends": all(v == 0 for v in facts.slope_at_ends),
    }


def optimisers() -> dict:
    """The rules, the bias-corrected moments, the L2 penalty's way in, and the two proofs."""
    g = theory.g
    return {
        "rules": rules(),
        "hats": {k: tex(v) for k, v in theory.hat_definitions().items()},
        "regularised": tex(
            sp.Eq(sp.Symbol("g'"), theory.regularised_gradient(g, theory.w, theory.lam), evaluate=False)
        ),
        "bias": bias_correction(),
        "momentum": momentum(),
        "schedule": schedule(),
    }


def cost() -> Tex:
    """The trainer's cost: the batch mean of the per-sample loss, summed over the outputs (numeric.mlp)."""
    b, k, n_batch, n_out = sp.symbols("b k B K", integer=True, positive=True)
    loss = sp.Function("L")
    a, y = sp.IndexedBase("a"), sp.IndexedBase("y")
    total = sp.Sum(sp.Sum(loss(a[b, k], y[b, k]), (k, 1, n_out)), (b, 1, n_batch)) / n_batch
    return Tex(latex(sp.Eq(sp.Symbol("C"), total, evaluate=False)))
