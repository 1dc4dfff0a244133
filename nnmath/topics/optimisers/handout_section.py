"""The optimisers section of the theory summary (``templates/handouts/theory_optimisers.tex``).

The formulas are the Optimisers page's (:func:`nnmath.topics.optimisers.site_strings.optimisers`, printed from
:mod:`derive.topics.optimisers` by SymPy); the figure is the same optimiser paths, as PDF.
"""

from __future__ import annotations

from nnmath.topics.base import Tex as TeX
from nnmath.topics.optimisers import site_strings as page


def optimisers_section() -> dict:
    """Context: the three rules, the bias-correction proof, momentum's limit, the paths figure."""
    strings = page.optimisers()
    bias, momentum = strings["bias"], strings["momentum"]
    return {
        "rules": [{"title": r["title"], "updates": [TeX(u) for u in r["updates"]]} for r in strings["rules"]],
        "hats": {k: TeX(v) for k, v in strings["hats"].items()},
        "regularised": TeX(strings["regularised"]),
        "bias": {k: TeX(bias[k]) for k in ("recurrence", "closed", "step", "corrected", "second", "first_step")},
        "proven": bias["holds"] and momentum["holds"],
        "momentum": {k: TeX(momentum[k]) for k in ("closed", "limit")},
        "figures": {"optimiser_paths.pdf": page.quadratic_figure("pdf")},
    }


__all__ = ["optimisers_section"]
