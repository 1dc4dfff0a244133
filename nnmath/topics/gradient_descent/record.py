"""The record of gradient descent and its convergence on a quadratic loss.

``gradient-descent``: the update rule w' = w − η g.
``gd-convergence`` (also the theory summary's section): the derivation of 0 < η < 2/λ_max and of the fastest
step, three concrete matrices exactly, runs of the generated NumPy code, the figure and the code shown.
``rules``: the update rules of the theory summary, each with a sentence.
"""

from __future__ import annotations

import inspect

import numeric as generated
from derive.printing.textbook import latex
from derive.topics import convergence as cv
from nnmath.topics.base import Record, Tex
from nnmath.topics.gradient_descent import figures, runs
from nnmath.topics.gradient_descent.formulas import derivation, update_rules, update_step
from nnmath.topics.gradient_descent.tables import matrix_row, run_row

SHOWN_FUNCTIONS = ("gradient_descent_step", "convergence_rate")  # the generated code the page lists


def convergence() -> dict:
    """The derivation, the concrete matrices with the thresholds the runs find, the runs, the figure, the code."""
    analyses = {name: cv.analyse(name) for name in cv.MATRICES}
    thresholds = runs.thresholds()
    figure_runs = runs.figure_runs()
    shown = analyses[cv.FIGURE_MATRIX]
    return {
        **derivation(),
        "matrices": [matrix_row(analyses[name], thresholds[name]) for name in cv.MATRICES],
        "figure_matrix": Tex(latex(shown.matrix)),
        "figure_b": Tex(latex(cv.FIGURE_B)),
        "figure_w_star": Tex(latex(shown.matrix.solve(cv.FIGURE_B))),
        "figure_critical": Tex(latex(shown.critical)),
        "figure_optimal": Tex(latex(shown.optimal)),
        "steps": runs.STEPS,
        "tail": runs.TAIL,
        "threshold_steps": runs.THRESHOLD_STEPS,
        "runs": [run_row(r) for r in figure_runs],
        "code": "\n\n".join(inspect.getsource(getattr(generated, name)) for name in SHOWN_FUNCTIONS).rstrip() + "\n",
        "figures": {"errors": figures.errors(figure_runs)},
    }


def present() -> Record:
    """The two pages (the convergence page is also the theory summary's section) and the update rules."""
    return {"gradient-descent": update_step(), "gd-convergence": convergence(), "rules": update_rules()}
