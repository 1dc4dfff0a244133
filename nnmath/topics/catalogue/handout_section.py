"""The theory summary and the guided-practice handout: template contexts from the catalogue.

Theory: every catalogue entry (definition, derivative, the identity SymPy
proved, the convention at kinks, the site's figure), the dense layer and
BP1–BP4, the update rules.  Practice: step-by-step derivations (sigmoid,
tanh, softmax, softmax cross-entropy, the chain rule for one neuron) and the
exact worked example.  Every formula is printed from SymPy.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.derivation import derive, index_form, textbook_definition
from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.catalogue import GROUPS, entries, get
from derive.catalogue.entry import ELEMENTWISE, VECTOR_MAP, Entry
from nnmath.topics.base import Tex as TeX
from nnmath.topics.texformat import derivation_steps, formula

GROUP_TITLES = {"activation": "Activation functions", "loss": "Loss functions", "regulariser": "Regularisers"}
LETTERS = {"activation": "f", "loss": "L", "regulariser": "R"}
DERIVATIONS = ("sigmoid", "tanh", "softmax", "categorical_cross_entropy_logits")


def _lhs(entry: Entry) -> tuple[str, str, str | None]:
    """LaTeX of the definition's left side, the derivative's, and the off-diagonal Jacobian entry's."""
    letter = LETTERS[entry.group]
    if entry.kind == ELEMENTWISE:
        fn = sp.Function(letter)(*[a for a in entry.args if a not in entry.params])
        return formula(fn), formula(sp.Derivative(fn, entry.wrt)), None
    i, j = formula(entry.wrt, indexed=True), formula(index_symbols(entry.wrt).column, indexed=True)
    if entry.kind == VECTOR_MAP:
        fi = f"{letter}_{{i}}"
        return fi, rf"\frac{{\partial {fi}}}{{\partial {i}}}", rf"\frac{{\partial {fi}}}{{\partial {j}}}"
    return letter, rf"\frac{{\partial {letter}}}{{\partial {i}}}", None


def entry_context(entry: Entry) -> dict:
    """Definition, derivative, identity, convention and figure of one entry."""
    d, form = derive(entry), index_form(entry)
    vec = entry.is_vector
    lhs, dlhs, off_lhs = _lhs(entry)
    derivative = [TeX(f"{dlhs} = {formula(form.gradient, indexed=vec)}")]
    if form.off_diagonal is not None:
        derivative.append(TeX(rf"{off_lhs} = {formula(form.off_diagonal, indexed=vec)} \quad (i \neq j)"))
    identity = None
    if entry.identity is not None and not vec and formula(entry.identity) != formula(form.gradient):
        identity = TeX(f"{dlhs} = {formula(entry.identity)}")
    definition = f"{lhs} = {formula(form.definition, indexed=vec)}"
    if not vec and formula(textbook_definition(entry)) != formula(form.definition):
        definition += f" = {formula(textbook_definition(entry))}"
    return {
        "name": entry.name,
        "title": entry.title,
        "summary": entry.summary,
        "definition": TeX(definition),
        "derivative": derivative,
        "identity": identity,
        "identity_note": entry.identity_note,
        "proven": entry.identity is not None and d.identity_holds,
        "convention": entry.convention,
        "params": TeX(r",\quad ".join(f"{formula(p)} = {v:g}" for p, v in entry.params.items())),
        "figure": f"figures/{entry.name}.pdf",
    }


def catalogue_theory() -> dict:
    """The theory summary's catalogue: entries by group, and LSE's definition."""
    return {
        "groups": [
            {"title": GROUP_TITLES[g], "entries": [entry_context(e) for e in entries(g)]} for g in GROUPS if entries(g)
        ],
        "lse": lse_definition(),
    }


def lse_definition() -> TeX:
    """LSE(z) = log Σ_k e^{z_k}, in the index notation of the vector formulas."""
    z = index_symbols(get("softmax").wrt).summed
    return formula(sp.Eq(LSE, sp.log(ClassSum(sp.exp(z))), evaluate=False))


# --- Guided practice -------------------------------------------------------------------------


def _sum_of_exponentials(entry: Entry) -> dict[sp.Basic, sp.Symbol]:
    """For a vector entry: e^{z_1} + … + e^{z_K} written as S, so the steps fit on the page."""
    if not entry.is_vector:
        return {}
    comps = entry.components[entry.wrt]
    return {sp.Add(*[sp.exp(z) for z in comps]): sp.Symbol("S")}


def _identity(entry: Entry) -> TeX:
    """d/dx f(x) = the textbook form of the derivative."""
    return formula(sp.Eq(sp.Derivative(entry.expr, entry.wrt), entry.identity, evaluate=False))


def catalogue_practice() -> list[dict]:
    """Step-by-step derivations of the practice handout's entries (sigmoid, tanh, softmax, cross-entropy)."""
    derivations = []
    for name in DERIVATIONS:
        entry = get(name)
        ab = _sum_of_exponentials(entry)
        d = derive(entry)
        derivations.append(
            {
                "title": entry.title,
                "summary": entry.summary,
                "abbreviation": TeX(f"{formula(*ab.values())} = {formula(*ab.keys())}") if ab else None,
                "derivations": [derivation_steps(s, ab) for s in d.steps],
                "identity": None if entry.identity is None or entry.is_vector else _identity(entry),
                "identity_note": entry.identity_note,
                "proven": entry.identity is not None and d.identity_holds,
            }
        )
    return derivations
