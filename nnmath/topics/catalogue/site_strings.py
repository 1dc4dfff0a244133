"""The strings of a derivation page: one catalogue entry, derived, generated, measured."""

from __future__ import annotations

import tempfile
from pathlib import Path

from derive.calculus.derivation import derive, index_form, textbook_definition
from derive.catalogue.entry import Entry
from derive.printing import formulas
from numeric.registry import NumericEntry, lookup


def entry_strings(entry: Entry, numeric: NumericEntry | None = None) -> dict:
    """Definition, derivative, steps, identity and generated code of ``entry``, as strings.

    ``numeric``: the functions of an entry built at run time (default: ``lookup(entry.name)``).
    """
    d = derive(entry)
    form = index_form(entry)
    numeric = numeric or lookup(entry.name)
    return {
        "name": entry.name,
        "title": entry.title,
        "group": entry.group,
        "summary": entry.summary,
        "is_vector": entry.is_vector,
        "classes": len(entry.components[entry.wrt]) if entry.is_vector else None,
        "definition": formulas.definition(entry, form.definition, textbook_definition(entry)),
        "parameters": formulas.parameters(entry),
        "kinks": formulas.kinks(entry),
        "convention": entry.convention,
        "citation": entry.citation,
        "gradient": formulas.gradient(entry, form.gradient, form.off_diagonal),
        "derivations": [
            {"caption": formulas.steps_caption(entry, s), "display": formulas.steps(s), "rules": len(s.steps)}
            for s in d.steps
        ],
        "identity": formulas.identity(entry),
        "identity_holds": d.identity_holds,
        "identity_note": entry.identity_note,
        "function_name": f"numeric.{numeric.function.__name__}",
        "source": numeric.source,
        "gradient_name": f"numeric.{numeric.gradient.__name__}",
        "gradient_source": numeric.gradient_source,
    }


def entry_check(entry: Entry, numeric: NumericEntry | None = None, with_autodiff: bool | None = None) -> dict:
    """The cross-check of the generated gradient, measured now (see :mod:`nnmath.verify.crosscheck`).

    ``with_autodiff``: compare with PyTorch too (default: when PyTorch is installed).
    """
    from nnmath.verify.crosscheck import AUTODIFF_BOUND, FD_BOUND, check_entry, torch_available

    autodiff = torch_available() if with_autodiff is None else with_autodiff
    r = check_entry(entry, with_autodiff=autodiff, numeric=numeric)
    return {
        "name": r.name,
        "fd_error": r.fd_error,
        "autodiff_error": r.autodiff_error,
        "fd_bound": FD_BOUND,
        "autodiff_bound": AUTODIFF_BOUND,
        "points": r.points,
        "passed": r.passed,
    }


def entry_plot(entry: Entry, numeric: NumericEntry | None = None) -> str:
    """The SVG figure of ``entry`` (function and derivative, kinks marked), as text."""
    return entry_figure(entry, numeric, formats=("svg",))["svg"]


def entry_figure(entry: Entry, numeric: NumericEntry | None = None, formats=("svg", "pdf")) -> dict:
    """The figure of ``entry`` (function and derivative, kinks marked): SVG text and PDF bytes."""
    from nnmath.plots import plot_entry

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            path = Path(tmp) / f"{entry.name}.{fmt}"
            plot_entry(entry, path, numeric)
            out[fmt] = path.read_text(encoding="utf-8") if fmt == "svg" else path.read_bytes()
    return out
