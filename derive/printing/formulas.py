"""LaTeX for the pages, printed from SymPy objects by :func:`derive.printing.latex.latex`.

Templates receive only the strings made here; no formula is typed by hand.
The few names this module adds (the function a page is about, ``L`` for a
loss, bold vector arguments) are SymPy objects printed like any other.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus import indexed
from derive.calculus.derivation import in_probabilities
from derive.calculus.indexed import is_indexed
from derive.calculus.steps import Derivation
from derive.calculus.vectorise import index_symbols
from derive.catalogue.entry import ELEMENTWISE, VECTOR_LOSS, VECTOR_MAP, Entry
from derive.printing.textbook import TextbookLatexPrinter, latex
from derive.symbols import logits, prob

# How a page names the function of an entry, per catalogue group (activations use their own name).
GROUP_FUNCTION_NAMES = {"loss": "L", "regulariser": "R"}

_TEXT_ESCAPES = {
    "\\": r"\backslash{}",
    "{": r"\{",
    "}": r"\}",
    "_": r"\_",
    "^": r"\^{}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "~": r"\~{}",
}


def text(s: str) -> str:
    r"""``s`` as the argument of ``\text{…}``, TeX specials escaped."""
    return "".join(_TEXT_ESCAPES.get(c, c) for c in s)


def annotation(note: str) -> str:
    r"""A step's annotation as the argument of ``\text{…}``: text escaped, ``$…$`` parts kept as maths."""
    parts = note.split("$")
    return "".join(f"${part}$" if n % 2 else text(part) for n, part in enumerate(parts))


def in_table(tex: str) -> str:
    r"""``tex`` safe inside a Markdown table cell: a ``|`` would end the cell, ``\vert`` does not."""
    return tex.replace(r"\|", r"\Vert ").replace("|", r"\vert ")


def equation(*sides: sp.Basic | str, indexed: bool = False) -> str:
    """``a = b = …``: SymPy objects printed with the course printer, strings kept as they are."""
    return " = ".join(s if isinstance(s, str) else latex(s, indexed=indexed) for s in sides)


def unordered(expr: sp.Basic) -> str:
    """LaTeX with the terms in the order they were written (w − η g, not −η g + w)."""
    return TextbookLatexPrinter({"order": "none"}).doprint(expr)


def chain(lhs: sp.Basic, *forms: sp.Basic, approx: sp.Basic | None = None) -> str:
    """An aligned chain ``lhs = formula = value ≈ approx``, one per line; the formula keeps its written order."""
    rows = [unordered(lhs) + " &= " + unordered(forms[0])]
    rows += ["&= " + latex(f) for f in forms[1:]]
    if approx is not None:
        rows.append(r"&\approx " + latex(approx))
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def number(value: float) -> sp.Float:
    """A decimal as typed (0.01, not 0.0100000000000000)."""
    return sp.Float(repr(float(value)))


def function_name(entry: Entry) -> sp.FunctionClass:
    r"""The undefined function that stands for the entry: ``\operatorname{relu}``, ``L``, ``R``."""
    name = GROUP_FUNCTION_NAMES.get(entry.group)
    if name is None:
        name = r"\operatorname{" + text(entry.name) + "}"
    return sp.Function(name)


def bold(symbol: sp.Symbol) -> sp.Symbol:
    r"""The vector written with a bold letter, ``\mathbf{z}``."""
    return sp.Symbol(r"\mathbf{" + latex(symbol) + "}")


def inputs(entry: Entry) -> list[sp.Symbol]:
    """The arguments a page shows: parameters (α, δ, λ) are fixed, vectors are bold."""
    shown = [a for a in entry.args if a not in entry.params]
    return [bold(a) if a in entry.components else a for a in shown]


def applied(entry: Entry) -> sp.Expr:
    """The entry applied to its arguments: σ(x) for a named SymPy function, else ``F(args)``."""
    e = entry.expr
    if entry.kind == ELEMENTWISE and isinstance(e, sp.Function) and e.args == (entry.wrt,):
        return e
    return function_name(entry)(*inputs(entry))


def parameters(entry: Entry) -> list[str]:
    """Default parameter values, ``\\alpha = 0.01``."""
    return [latex(sp.Eq(p, number(v), evaluate=False)) for p, v in entry.params.items()]


def kinks(entry: Entry) -> list[str]:
    r"""Where the entry is not differentiable: ``x = 0``, or for a function of several arguments the equations
    that hold there whatever the other arguments are (``\hat{y} - y = 0``, ``y \hat{y} = 1``)."""
    if entry.kink_where:
        return [unordered(eq) for eq in entry.kink_where]
    return kink_points(entry)


def kink_points(entry: Entry) -> list[str]:
    r"""The non-differentiable points of ``wrt`` marked on the plot, ``\hat{y} = 0``."""
    return [latex(sp.Eq(entry.wrt, sp.nsimplify(k), evaluate=False)) for k in entry.kinks]


def free(entry: Entry) -> tuple[str, str]:
    """The vector argument's component i and component j, ``z_{i}`` and ``z_{j}``."""
    return latex(entry.wrt, indexed=True), latex(index_symbols(entry.wrt).column)


def component_of(entry: Entry) -> str:
    r"""Component i of a vector map, ``\operatorname{softmax}{\left(\mathbf{z}\right)}_{i}``."""
    return "{" + latex(applied(entry)) + "}_{i}"


def partial(numerator: str, denominator: str) -> str:
    r"""``\frac{\partial a}{\partial b}`` from two printed expressions."""
    return r"\frac{\partial " + numerator + r"}{\partial " + denominator + "}"


def derivative_of(entry: Entry, wrt: sp.Symbol, indexed: bool = False) -> str:
    """d/d(wrt) of the applied entry, unevaluated."""
    return latex(sp.Derivative(applied(entry), wrt, evaluate=False), indexed=indexed)


def definition(entry: Entry, index_definition: sp.Expr, textbook: sp.Expr) -> str:
    """The definition with its textbook form: F(args) = expr = textbook form = exp/log form, each once
    (σ(x) = 1/(1 + e^{-x})); a vector entry: its textbook form in index notation
    (softmax(z)_i = e^{z_i}/Σ_j e^{z_j})."""
    if entry.is_vector:
        body = entry.textbook if entry.textbook is not None else index_definition
        lhs = component_of(entry) if entry.kind == VECTOR_MAP else latex(applied(entry), indexed=True)
        return equation(lhs, body, indexed=True)
    sides: list[sp.Basic] = [applied(entry)]
    named = entry.textbook is None or _functions(entry.expr) - _functions(entry.textbook)  # x σ(x), softplus
    for form in (entry.expr if named else None, entry.textbook, textbook):  # silu(x) = x σ(x) = x/(1 + e^{-x})
        if form is not None and all(form != s for s in sides):
            sides.append(form)
    return equation(*sides)


def _functions(expr: sp.Basic) -> set[type]:
    return {type(f) for f in expr.atoms(sp.Function)}


def stable(entry: Entry, index_definition: sp.Expr) -> str | None:
    """How the code computes the entry, when that differs from the textbook form: F(args) = stable form (or the
    catalogue expression); ``None`` when the code computes the textbook form as written or there is no formula
    to add (tanh: NumPy's own)."""
    if not entry.stable_reason:
        return None
    if entry.is_vector:
        lhs = component_of(entry) if entry.kind == VECTOR_MAP else latex(applied(entry), indexed=True)
        return equation(lhs, entry.stable if entry.stable is not None else index_definition, indexed=True)
    return None if entry.stable is None else equation(applied(entry), entry.stable)


def named_probabilities(entry: Entry, grad: sp.Expr) -> str | None:
    r"""``where p_i = \operatorname{softmax}(\mathbf{z})_i`` for a gradient over the logits written with p, else
    ``None``."""
    if not entry.is_vector or entry.wrt != logits or not grad.has(prob):
        return None
    return r"\text{where } " + latex(prob, indexed=True) + r" = \operatorname{softmax}\left(\mathbf{z}\right)_{i}"


def gradient(entry: Entry, grad: sp.Expr, off_diagonal: sp.Expr | None) -> list[str]:
    """The derivative, one equation per line (a Jacobian: its diagonal and off-diagonal entries)."""
    if entry.kind == ELEMENTWISE:
        return [equation(derivative_of(entry, entry.wrt), grad)]
    zi, zj = free(entry)
    if entry.kind == VECTOR_LOSS:
        return [equation(derivative_of(entry, entry.wrt, indexed=True), grad, indexed=True)]
    diagonal = equation(partial(component_of(entry), zi), grad, indexed=True)
    off = equation(partial(component_of(entry), zj), off_diagonal, indexed=True) + r"\quad (j \neq i)"
    return [diagonal, off]


def identity(entry: Entry) -> str | None:
    """The textbook form of the derivative that SymPy proves (``None`` if the entry has none)."""
    if entry.identity is None:
        return None
    if entry.kind == ELEMENTWISE:
        return equation(derivative_of(entry, entry.wrt), entry.identity)
    comps = entry.components[entry.wrt]
    shown = in_probabilities(entry, entry.identity)  # p = softmax(z), a named intermediate
    if entry.kind == VECTOR_LOSS:
        return equation(derivative_of(entry, comps[0]), shown)
    jacobian = partial(latex(applied(entry)), latex(bold(entry.wrt)))
    return equation(jacobian, shown)


def annotated(lhs: str, rows: list[tuple[str, str]], relation: str = "=") -> str:
    r"""An aligned chain ``lhs = row₁ = row₂ …``, each row's annotation to its right in upright text:

    ``lhs &= e_1 && \text{(rule)} \\ &= e_2 && \text{(rule)}``; ``rows`` are (LaTeX, annotation) pairs, an
    empty annotation leaves the line without one.
    """
    lines = []
    for i, (tex, note) in enumerate(rows):
        line = (lhs if i == 0 else "") + f" &{relation} " + tex
        if note:
            line += r" && \text{(" + annotation(note) + ")}"
        lines.append(line.strip())
    return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"


def steps(derivation: Derivation, show=None, start: sp.Basic | None = None) -> str:
    """The derivation as an aligned display: d/dx of the expression, then one line per rule, the rule to the right.

    ``show`` prints one expression (default: the textbook printer); ``start``: the left-hand side of the first
    line instead of d/dx of the expression (``∂L/∂w`` when the expression is known by a name)."""
    show = show or latex
    if start is None:
        start = sp.Derivative(derivation.expr, derivation.wrt, evaluate=False)
    start = show(start)
    return annotated(start, [(show(step.expr), step.rule) for step in derivation.steps])


def steps_caption(entry: Entry, derivation: Derivation) -> str:
    """What a step-by-step derivation of a vector entry differentiates (empty for an elementwise one)."""
    if entry.kind == ELEMENTWISE:
        return ""
    if is_indexed(derivation.expr):
        p, z, i, k = indexed.P, indexed.Z, indexed.i, indexed.k
        jacobian = sp.Eq(sp.Derivative(p[k], z[i], evaluate=False), p[k] * (sp.KroneckerDelta(k, i) - p[i]))
        return f"for any number of classes K, with p = softmax(z) and the softmax Jacobian ${latex(jacobian)}$"
    comps = entry.components[entry.wrt]
    k, wrt = len(comps), latex(derivation.wrt)
    if entry.kind == VECTOR_LOSS:
        return f"for K = {k} classes, with respect to ${wrt}$"
    which = "the diagonal entry" if derivation.wrt == comps[0] else "an off-diagonal entry"
    return f"for K = {k} classes, {which} of the Jacobian: output 1 with respect to ${wrt}$"
