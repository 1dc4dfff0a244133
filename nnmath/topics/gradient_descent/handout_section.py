"""The gradient-descent convergence section of the theory summary (``templates/handouts/theory_convergence.tex``).

The formulas are the site page's (:mod:`nnmath.topics.gradient_descent.site_strings`, printed from
:mod:`derive.topics.convergence` by SymPy); the runs and the figure come from the generated NumPy code.
"""

from __future__ import annotations

from nnmath.topics.base import Tex as TeX
from nnmath.topics.gradient_descent import site_strings as page

FORMULAS = (
    "loss",
    "gradient",
    "error_definition",
    "minimiser",
    "step",
    "recursion",
    "eigen",
    "factor",
    "condition",
    "solution",
    "interval",
    "critical",
    "rate",
    "optimal",
    "optimal_rate",
    "optimal_kappa",
    "kappa",
)


def convergence_section() -> dict:
    """Context of the section: the derivation's key formulas, the runs as a table, the figure as PDF."""
    strings = page.symbolic()
    res = page.results()
    analysis = res["analyses"][page.cv.FIGURE_MATRIX]
    return {
        **{key: TeX(strings[key]) for key in FORMULAS},
        "proven": strings["recursion_holds"] and strings["between_holds"] and strings["balanced"],
        "matrix": TeX(page.latex(analysis.matrix)),
        "critical_value": TeX(page.latex(analysis.critical)),
        "optimal_value": TeX(page.latex(analysis.optimal)),
        "runs": [{**row, "tex": TeX(row["tex"])} for row in page.run_rows(res["runs"])],
        "steps": page.gd.STEPS,
        "figures": {"gd_convergence.pdf": page.errors_figure("pdf")},
    }


__all__ = ["convergence_section"]
