"""A derived expression summarised as text: what ``nnmath derive EXPRESSION`` prints, and the site shows."""

from __future__ import annotations

from derive.custom.expression import CustomDerivation
from derive.custom.parse import parse
from derive.printing.text import plain
from derive.printing.textbook import latex


def summary(d: CustomDerivation, as_latex: bool = False) -> str:
    """The derivation in lines of text: definition, derivative, how it was checked, the NumPy names, the steps.

    Formulas in plain text, or in LaTeX with ``as_latex``.
    """

    def show(expr) -> str:
        return latex(expr) if as_latex else plain(expr)

    entry, x = d.entry, d.variable

    def line(label: str, value: str) -> str:
        return f"  {label + ':':<12} {value}"

    heading = entry.name if entry.title == entry.name else f"{entry.title} ({entry.name})"
    lines = [f"{heading}: your expression in {x.name}", line("typed", d.text)]
    as_typed = parse(d.text, [x, *entry.params])
    recognised = "   (nnmath's functions recognised)" if d.definition != as_typed else ""
    lines.append(line("definition", show(d.definition) + recognised))
    if entry.params:
        lines.append(line("parameters", ", ".join(f"{p.name} = {v:g}" for p, v in entry.params.items())))
    lines.append(line(f"d/d{x.name}", show(d.derivative)))
    if not d.simplified:
        lines.append("  (NOT SIMPLIFIED: simplification ran out of time; this is sympy.diff's result as it is)")
    lines.append(line("steps end", f"{show(d.steps.result)}  = d/d{x.name}  [{d.agreement.describe()}]"))
    if entry.convention:
        lines.append(line("convention", entry.convention))
    signature = ", ".join([x.name, *(f"{p.name}={v:g}" for p, v in entry.params.items())])
    lines.append(line("NumPy", f"{entry.name}({signature}), {entry.name}_grad({signature})  (--code prints them)"))
    lines.append(f"  steps: d/d{x.name} of {show(d.steps.expr)}")
    for i, step in enumerate(d.steps.steps, 1):
        lines.append(f"    {i:>2}. {step.rule:<45} = {show(step.expr)}")
    return "\n".join(lines) + "\n"
