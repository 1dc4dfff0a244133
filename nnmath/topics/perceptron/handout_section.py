"""The perceptron section of the theory summary: the rule, Novikoff's bound with its checked proof, data, XOR.

Formulas are printed from :mod:`derive.topics.perceptron`; the numbers and figures are those of the site's
perceptron page (:mod:`nnmath.topics.perceptron.site_strings`), computed with the generated NumPy functions.
"""

from __future__ import annotations

import sympy as sp

from derive.topics import perceptron as theory
from derive.topics.gradient_descent import rules
from nnmath.topics.base import Tex as TeX
from nnmath.topics.perceptron import site_strings as page
from nnmath.topics.texformat import formula


def perceptron_section() -> dict:
    """Context of ``templates/handouts/theory_perceptron.tex``."""
    res = page.results()
    iris = page.check_numbers(res["iris"])
    run, net = res["xor_run"], res["xor_network"]
    return {
        "step": formula(rules()["step"]),
        "rule": formula(rules()["perceptron"], update_rule=True),
        "bound": formula(theory.display(sp.Le(theory.updates, theory.novikoff_bound()))),
        "steps": [
            {"text": s.text, "formula": formula(theory.display(s.relation)), "holds": s.holds}
            for s in theory.novikoff_steps()
        ],
        "iris": {
            "samples": iris["samples"],
            "radius": f"{iris['radius']:.4f}",
            "gamma": f"{iris['gamma']:.4f}",
            "bound": f"{iris['bound']:.1f}",
            "runs": iris["runs"],
            "updates": f"{iris['min']} / {iris['median']:g} / {iris['max']}",
            "kkt": f"{iris['kkt']:.1e}",
            "holds": iris["holds"],
        },
        "xor": {
            "separable": res["xor_margin"] is not None,
            "mistakes": ", ".join(map(str, run.mistakes)),
            "cycle": run.cycle is not None,
            "period": run.cycle[1] if run.cycle else 0,
        },
        "network": {"solved": len(net.solved), "seeds": len(net.seeds)},
        "scaled": TeX(r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}"),
        "figures": {
            "perceptron_iris.pdf": page.iris_figure(res, fmt="pdf"),
            "perceptron_xor.pdf": page.xor_figure(res, fmt="pdf"),
        },
    }
