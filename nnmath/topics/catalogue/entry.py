"""One catalogue entry, derived and printed in every form the outputs show: its entry record.

:func:`entry_record` gives plain data only:

* what the entry is: ``name title group summary convention identity_note related is_vector classes``,
  ``variable`` (what it is differentiated by, as plain text) and ``identity_holds`` (SymPy proved the
  textbook form of the derivative; true when there is none);
* its equations with the function by its name (σ(x) = …, d/dx σ(x) = …), in LaTeX: ``definition``
  (= the textbook form, when it reads differently), ``parameters``, ``kinks`` (where it is not differentiable,
  in all its arguments; ``kink_points``: those points on the plot, whose other arguments are ``plotted_at``,
  when they read differently), ``gradient`` (a Jacobian:
  its diagonal and off-diagonal entries) and ``identity`` (``None``: the entry has none);
* ``reduction``: for the entries of :data:`REDUCTIONS`, the loss summed and averaged over K outputs and their
  gradients, K times apart (:func:`reduction_record`); ``None`` for the others;
* ``lettered``: the same with the group's letter for the function (f, L, R), see :mod:`.lettered`;
* ``textbook_holds``: SymPy proved the textbook and stable forms equal to the definition (the record is not
  built otherwise); ``stable``: how the code computes it (``formula``, or ``None``) and why (``reason``), ``None``
  when the code computes the textbook form as written; ``named``: "where p_i = softmax(z)_i" for a gradient
  written with p (else ``None``);
* ``rhs`` / ``rhs_plain``: the right-hand sides alone, one line each, in LaTeX and in plain text;
* ``terminal``: the same drawn by SymPy's pretty printer, ``unicode`` and ``ascii`` (see :mod:`.terminal`);
* ``derivations``: the step-by-step derivations, see :mod:`.derivations`;
* the generated NumPy code: ``function_name source gradient_name gradient_source``.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.derivation import (
    IndexForm,
    derive,
    in_probabilities,
    index_form,
    shown_form,
    shown_gradient,
    textbook_definition,
)
from derive.catalogue.entry import Entry
from derive.catalogue.reduction import reduction
from derive.printing import formulas
from derive.printing.text import plain
from derive.printing.textbook import latex
from nnmath.topics.base import Tex
from nnmath.topics.catalogue.derivations import derivation_record
from nnmath.topics.catalogue.lettered import lettered
from nnmath.topics.catalogue.plotted import fixed_arguments
from nnmath.topics.catalogue.terminal import terminal
from numeric.registry import NumericEntry, lookup

# The entries whose page compares the loss summed over K outputs with its mean over them.
REDUCTIONS = ("mse",)


def entry_record(entry: Entry, numeric: NumericEntry | None = None) -> dict:
    """The record of ``entry`` (see the module docstring).

    ``numeric``: the functions of an entry built at run time (default: ``lookup(entry.name)``).
    """
    d, form = derive(entry), index_form(entry)
    if not d.textbook_holds:  # the build fails: a shown form that is not the formula
        raise ValueError(f"{entry.name}: SymPy could not prove its textbook or stable form equal to the definition")
    numeric = numeric or lookup(entry.name)
    rhs = right_sides(entry, form, as_latex=True)
    identity = formulas.identity(entry)
    shown = shown_form(entry)
    stable = formulas.stable(entry, form.definition)
    grad = shown_gradient(entry, form.gradient)
    named = formulas.named_probabilities(entry, grad)
    return {
        "name": entry.name,
        "title": entry.title,
        "group": entry.group,
        "summary": entry.summary,
        "convention": entry.convention,
        "citation": entry.citation,
        "identity_note": entry.identity_note,
        "related": list(entry.related),
        "is_vector": entry.is_vector,
        "classes": len(entry.components[entry.wrt]) if entry.is_vector else None,
        "variable": plain(entry.wrt),
        "identity_holds": d.identity_holds,
        "textbook_holds": d.textbook_holds,
        "definition": Tex(formulas.definition(entry, form.definition, textbook_definition(entry))),
        "stable": None
        if not entry.stable_reason
        else {"formula": stable and Tex(stable), "reason": entry.stable_reason},
        "parameters": [Tex(p) for p in formulas.parameters(entry)],
        "kinks": [Tex(k) for k in formulas.kinks(entry)],
        "gradient": [Tex(g) for g in formulas.gradient(entry, grad, in_probabilities(entry, form.off_diagonal))],
        "named": None if named is None else Tex(named),
        # where the kinks sit on the plot, when that is not what ``kinks`` says (the target held fixed)
        "kink_points": [Tex(k) for k in formulas.kink_points(entry)] if entry.kink_where else [],
        "plotted_at": [Tex(formulas.equation(a, sp.nsimplify(v))) for a, v in fixed_arguments(entry).items()]
        if entry.kink_where
        else [],
        "reduction": reduction_record(entry.name) if entry.name in REDUCTIONS else None,
        "identity": None if identity is None else Tex(identity),
        "lettered": lettered(entry, rhs),
        "rhs": rhs,
        "rhs_plain": right_sides(entry, form, as_latex=False),
        "terminal": terminal(entry, d, form, shown),
        "derivations": [derivation_record(entry, s) for s in d.steps],
        "function_name": f"numeric.{numeric.function.__name__}",
        "source": numeric.source,
        "gradient_name": f"numeric.{numeric.gradient.__name__}",
        "gradient_source": numeric.gradient_source,
    }


def reduction_record(name: str) -> dict:
    """The loss summed and averaged over K outputs, both gradients, and SymPy's proof that they differ by K."""
    r = reduction(name)
    c_sum, c_mean = sp.Symbol(r"C_{\text{sum}}"), sp.Symbol(r"C_{\text{mean}}")
    d_sum, d_mean = (sp.Symbol(rf"\frac{{\partial {latex(c)}}}{{\partial \hat{{y}}_{{j}}}}") for c in (c_sum, c_mean))
    return {
        "summed": Tex(formulas.equation(c_sum, r.summed)),
        "mean": Tex(formulas.equation(c_mean, r.mean)),
        "summed_gradient": Tex(formulas.equation(d_sum, r.summed_gradient)),
        "mean_gradient": Tex(formulas.equation(d_mean, r.mean_gradient)),
        "factor": Tex(formulas.equation(d_sum, r.factor * d_mean)),
        "holds": r.holds,
    }


def right_sides(entry: Entry, form: IndexForm, as_latex: bool) -> dict[str, str | None]:
    """The right-hand sides alone, one line each, LaTeX (as :class:`Tex`) or plain text.

    ``definition`` and ``gradient`` in index form for a vector entry; ``off_diagonal``: the Jacobian's
    entry i ≠ j (``None`` unless the entry is a vector map); ``identity``: the textbook form of the
    derivative of an elementwise entry (``None`` for a vector entry, whose identity is a sentence).
    """
    vec = entry.is_vector

    def show(expr, indexed: bool = vec) -> str | None:
        if expr is None:
            return None
        return Tex(latex(expr, indexed=indexed)) if as_latex else plain(expr, indexed=indexed)

    return {
        "definition": show(shown_form(entry) if entry.textbook is not None else form.definition),
        "gradient": show(shown_gradient(entry, form.gradient)),
        "off_diagonal": show(None if form.off_diagonal is None else in_probabilities(entry, form.off_diagonal)),
        "identity": None if vec else show(entry.identity),
    }
