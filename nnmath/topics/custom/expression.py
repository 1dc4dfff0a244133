"""Your expression as a catalogue entry's record: its strings, its cross-check and its figure.

:func:`derive.custom.expression.derive_expression` derives an expression in a worker
process; :func:`expression_strings` (run there, as its ``extra`` hook) prints what the
catalogue prints for an entry — with :func:`nnmath.topics.catalogue.entry.entry_record`,
given the run-time entry and its compiled functions — and :func:`measure` cross-checks the
compiled gradient and draws the figure, as the catalogue does for its entries.  The command
line (``nnmath derive EXPR --page``) and the site's page "Your own activation" render the result.
"""

from __future__ import annotations

import numpy as np

from derive.catalogue.entry import Entry
from derive.custom.expression import CustomDerivation
from derive.printing import formulas
from nnmath.topics.base import Tex
from nnmath.topics.catalogue.entry import entry_record
from nnmath.topics.verification.checks import cross_check
from numeric.registry import NumericEntry


def numeric_entry(entry: Entry, function, gradient) -> NumericEntry:
    """The compiled functions of a run-time entry, in the shape :mod:`numeric.registry` gives catalogue entries."""
    return NumericEntry(entry.name, function, gradient, entry.group, entry.kind, tuple(p.name for p in entry.params))


def expression_strings(d: CustomDerivation) -> dict:
    """The strings of the entry template for a user's expression (run in the derivation's worker).

    The catalogue's strings, plus: the code is named by the function's own name
    (it is not in ``numeric``), and the "Identity" section shows where the
    step-by-step derivation ends and how it was checked against ``sympy.diff``.
    """
    entry = d.entry
    strings = entry_record(entry, numeric_entry(entry, d.function, d.gradient))
    strings["function_name"] = entry.name
    strings["gradient_name"] = f"{entry.name}_grad"
    end = d.steps.result
    if end != d.derivative:
        strings["identity"] = Tex(formulas.equation(formulas.derivative_of(entry, entry.wrt), end))
        strings["identity_holds"] = d.agreement.proven
        checked = "" if d.agreement.proven else f" Checked numerically instead: {d.agreement.describe()}."
        strings["identity_note"] = (
            "This form is where the step-by-step derivation above ends; the derivative further up is sympy.diff's, "
            "simplified." + checked
        )
    return strings


def measure(entry: Entry, numeric: NumericEntry) -> dict:
    """The cross-check of an entry's generated gradient (errors, bounds, verdict) and its SVG figure.

    Points outside the function's domain give NaN, which NumPy warns about; the
    figure leaves them out and the check reports NaN, so the warnings are silenced.
    PyTorch cannot run every definition (lambdify has no torch rule for max/min):
    then the autodiff error is ``None`` ("not measured").
    """
    from nnmath.plots import figure_bytes  # matplotlib: only for a page (nnmath derive --page)
    from nnmath.topics.catalogue.figures import draw

    with np.errstate(all="ignore"):
        try:
            check = cross_check(entry, numeric)
        except Exception:  # PyTorch could not evaluate the definition; finite differences still run
            check = cross_check(entry, numeric, with_autodiff=False)
        svg = figure_bytes(draw(entry, numeric), "svg").decode("utf-8")  # the page shows no PDF: none kept
    return {"check": check, "figure": svg}
