"""The convolution and recurrent-network sections of the theory summary (theory_convolution.tex, theory_recurrent.tex).

Formulas are the LaTeX the site pages print from :mod:`derive.topics.convolution` and :mod:`derive.topics.recurrent`
(:mod:`nnmath.topics.convolution.site_strings`, :mod:`nnmath.topics.recurrent.site_strings`); the figures are the pages'
figures as PDF; the measured slopes are the same numbers.
"""

from __future__ import annotations

from nnmath.topics.base import Tex as TeX

# Wide formulas (sums with stacked limits) are scaled down to the line width, never beyond their natural size.
FIT = TeX(r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}")


def _tex(items) -> list[TeX]:
    return [TeX(s) for s in items]


def convolution_section() -> dict:
    """Context of ``templates/handouts/theory_convolution.tex``."""
    from nnmath.plots import figure_bytes
    from nnmath.topics.convolution import site_strings as page
    from nnmath.topics.convolution.figures import convolution_figure

    formulas, example, pooling = page.formulas_2d(), page.example(), page.pooling()
    checks = page.checks()
    proven = all(r["holds"] for r in checks["general"]) and all(r["holds"] for r in checks["small"])
    return {
        "forward": _tex(formulas["forward"]),
        "size": _tex(formulas["size"]),
        "grad_input": _tex(formulas["grad_input"]),
        "grad_weight": _tex(formulas["grad_weight"] + formulas["grad_bias"]),
        "example": {key: TeX(example[key]) for key in ("sizes", "xp", "y", "toeplitz", "diff", "gp", "flipped")},
        "avg": _tex(pooling["avg"][1:] + pooling["avg_grad"]),
        "max": _tex(pooling["max"][1:] + pooling["max_grad"][1:]),
        "max_derivative": TeX(pooling["max_derivative"]),
        "proven": proven,
        "small_cases": len(checks["small"]),
        "fit": FIT,
        "figures": {"convolution_example.pdf": figure_bytes(convolution_figure(), "pdf")},
    }


def recurrent_section() -> dict:
    """Context of ``templates/handouts/theory_recurrent.tex``."""
    from derive.topics import recurrent as rn
    from nnmath.plots import figure_bytes
    from nnmath.topics.convolution.figures import vanishing_figure
    from nnmath.topics.recurrent import site_strings as page

    eq, norm, measured = page.equations("tanh"), page.linear_norm(), page.measured()
    checks = [holds for activation in rn.ACTIVATIONS for holds in rn.bptt_checks(activation).values()]
    return {
        "equations": {key: TeX(value) for key, value in eq.items()},
        "product": TeX(rn.step_latex(rn.product_formula(3))),
        "unrolled": TeX(page.unrolled_formula()),
        "norm": {key: TeX(value) for key, value in norm.items() if key != "holds"},
        "norm_holds": norm["holds"],
        "checks": len(checks),
        "checks_hold": all(checks),
        "slopes": [
            {
                "rho": f"{r['rho']:g}",
                "log": f"{r['log']:.3f}",
                "linear": f"{r['linear']:.3f}",
                "tanh": f"{r['tanh']:.3f}",
            }
            for r in measured["rows"]
        ],
        "crossing": f"{measured['crossing']:g}",
        "hidden": measured["hidden"],
        "steps": measured["steps"],
        "fit": FIT,
        "figures": {"rnn_gradient_norms.pdf": figure_bytes(vanishing_figure(measured["table"]), "pdf")},
    }


__all__ = ["convolution_section", "recurrent_section"]
