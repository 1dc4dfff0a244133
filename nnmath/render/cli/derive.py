"""``nnmath derive NAME``: a catalogue entry's record as text — definition, derivative, identity, steps.

The record is :func:`nnmath.topics.catalogue.entry.entry_record`, computed for the one entry (not
read from the site's cache).  ``--latex`` prints the formulas in LaTeX instead of plain text.
"""

from __future__ import annotations

import argparse

from nnmath.render.cli import UserError

INDEX_FORM_NOTE = "  (index form: the free index is i, sums run over the classes k; LSE = log Σ_k exp z_k)"


def _shown(record: dict, key: str, as_latex: bool) -> object:
    """``record[key]`` in LaTeX, or its plain-text form ``record[key + "_plain"]``."""
    return record[key] if as_latex else record[key + "_plain"]


def describe(e: dict, as_latex: bool = False) -> str:
    """The report of an entry record, line by line, as ``nnmath derive`` prints it."""
    rhs = _shown(e, "rhs", as_latex)
    lines = [f"{e['title']} ({e['name']}, {e['group']})"]
    if e["is_vector"]:
        lines.append(INDEX_FORM_NOTE)
    lines.append(f"  definition:  {rhs['definition']}")
    if rhs["off_diagonal"] is None:
        lines.append(f"  d/d{e['variable']}:  {rhs['gradient']}")
    else:
        lines.append(f"  Jacobian, i = j:  {rhs['gradient']}")
        lines.append(f"  Jacobian, i ≠ j:  {rhs['off_diagonal']}")
    if e["identity"] is not None:
        verdict = "proven by SymPy" if e["identity_holds"] else "NOT PROVEN"
        shown = e["identity_note"] if e["is_vector"] else rhs["identity"]
        note = f"  ({e['identity_note']})" if e["identity_note"] and not e["is_vector"] else ""
        lines.append(f"  identity:    {shown}  [{verdict}]{note}")
    if e["convention"]:
        lines.append(f"  convention:  {e['convention']}")
    for d in e["derivations"]:
        lines.append(f"  steps: d/d{d['wrt_name']} of {_shown(d, 'expr', as_latex)}")
        for i, step in enumerate(d["steps"], 1):
            lines.append(f"    {i:>2}. {step['rule']:<45} = {_shown(step, 'expr', as_latex)}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print the entry ``args.name``; exit status 1 if SymPy did not prove its identity."""
    from derive.catalogue import UnknownName, get
    from nnmath.topics.catalogue.entry import entry_record

    try:
        entry = get(args.name)
    except UnknownName as e:
        raise UserError(str(e)) from None
    record = entry_record(entry)
    print(describe(record, args.latex), end="")
    return 0 if record["identity_holds"] else 1
