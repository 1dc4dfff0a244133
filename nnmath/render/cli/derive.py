"""``nnmath derive NAME``: a catalogue entry's record as text — definition, derivative, identity, steps.

The record is :func:`nnmath.topics.catalogue.entry.entry_record`, computed for the one entry (not
read from the site's cache).  The formulas are drawn by SymPy's pretty printer in textbook form (the record's
``terminal``): Unicode when standard output is UTF-8, ASCII otherwise.  ``--latex`` prints the textbook LaTeX.
"""

from __future__ import annotations

import argparse
import codecs
import re
import sys
import unicodedata

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


def utf8(stream: object = None) -> bool:
    """True when ``stream`` (standard output) encodes UTF-8, so that Unicode drawing characters print."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _block(label: str, text: str | None, indent: str = "      ") -> list[str]:
    """``label:  text`` on one line, or the label and the drawn lines under it, indented."""
    if text is None:
        return []
    lines = text.split("\n")
    if len(lines) == 1:
        return [f"  {label}  {text}"]
    return [f"  {label}", *(indent + line for line in lines)]


def drawn(e: dict, unicode: bool) -> str:
    """The report of an entry record with its formulas drawn (Unicode or ASCII), as ``nnmath derive`` prints it."""
    t = e["terminal"]["unicode" if unicode else "ascii"]
    lines = [f"{e['title']} ({e['name']}, {e['group']})"]
    if e["is_vector"]:
        lines.append(INDEX_FORM_NOTE if unicode else INDEX_FORM_NOTE.replace("Σ_k", "sum_k"))
    lines += _block("definition:", t["definition"])
    if e["stable"]:
        lines.append(f"  how the code computes it: {e['stable']['reason']}")
    if t["off_diagonal"] is None:
        lines += _block(f"d/d{e['variable']}:", t["gradient"])
    else:
        lines += _block("Jacobian, i = j:", t["gradient"])
        lines += _block("Jacobian, i ≠ j:" if unicode else "Jacobian, i != j:", t["off_diagonal"])
    if e["named"] is not None:
        lines.append("  where p_i = softmax(z)_i")
    if e["identity"] is not None:
        verdict = "proven by SymPy" if e["identity_holds"] else "NOT PROVEN"
        if e["is_vector"] or t["identity"] is None:
            lines.append(f"  identity:    {e['identity_note']}  [{verdict}]")
        else:
            note = f"  ({e['identity_note']})" if e["identity_note"] else ""
            lines += _block(f"identity [{verdict}]{note}:", t["identity"])
    if e["convention"]:
        lines.append(f"  convention:  {e['convention']}")
    for d in t["derivations"]:
        lines += _block("steps, from", d["start"])
        for i, step in enumerate(d["steps"], 1):
            lines.append(f"    {i:>2}. ({step['rule']})")
            lines += [" " * 8 + line for line in step["expr"].split("\n")]
    text = "\n".join(lines) + "\n"
    return text if unicode else ascii_text(text)


# Text characters of the catalogue's sentences and their ASCII spelling (the drawn formulas are ASCII already).
_ASCII = {"−": "-", "∞": "inf", "Σ": "sum", "∂": "d", "≠": "!=", "σ": "sigma", "·": "*", "≤": "<=", "≥": ">="}
_ASCII |= {"√": "sqrt", "φ": "phi", "Φ": "Phi", "λ": "lambda", "α": "alpha", "δ": "delta", "η": "eta", "κ": "kappa"}
_ASCII |= {"ŷ": "yhat", "π": "pi", "½": "1/2", "′": "'", "ε": "eps", "∈": "in", "→": "->", "≈": "~", "–": "-"}


_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻ˣᶻⁿⁱᵗ]+")


def _power(run: re.Match) -> str:
    """A run of superscripts as an ASCII power: ˣ → ^x, ⁻ˣ → ^(-x), ¹⁰² → ^(102)."""
    exponent = unicodedata.normalize("NFKD", run[0]).replace("−", "-")
    return "^" + (exponent if len(exponent) == 1 else f"({exponent})")


def ascii_text(text: str) -> str:
    """``text`` in ASCII: Greek letters and signs spelled out, a superscript as a power (e⁻ˣ → e^(-x)), subscripts
    as plain characters."""
    spelled = "".join(_ASCII.get(c, c) for c in _SUPERSCRIPT_RUN.sub(_power, text))
    return unicodedata.normalize("NFKD", spelled).encode("ascii", "replace").decode("ascii")


def run(args: argparse.Namespace) -> int:
    """Print the entry ``args.name``; exit status 1 if SymPy did not prove its identity."""
    from derive.catalogue import UnknownName, get
    from nnmath.topics.catalogue.entry import entry_record

    try:
        entry = get(args.name)
    except UnknownName as e:
        raise UserError(str(e)) from None
    record = entry_record(entry)
    print(describe(record, True) if args.latex else drawn(record, utf8()), end="")
    return 0 if record["identity_holds"] else 1
