"""The theory summary and the guided-practice handout: template contexts from the catalogue.

Theory: every catalogue entry (definition, derivative, the identity SymPy
proved, the convention at kinks, the site's figure), the dense layer and
BP1–BP4, the update rules.  Practice: step-by-step derivations (sigmoid,
tanh, softmax, softmax cross-entropy, the chain rule for one neuron) and the
exact worked example.  Every formula is printed from SymPy.
"""

from __future__ import annotations

from dataclasses import fields

import sympy as sp

from derive.calculus.derivation import derive, index_form, textbook_definition
from derive.calculus.steps import Derivation
from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.catalogue import GROUPS, entries, get
from derive.catalogue.entry import ELEMENTWISE, VECTOR_MAP, Entry
from derive.topics.backpropagation import chain_rule_derivation, general_equations
from derive.topics.gradient_descent import rules
from derive.topics.worked_example import numeric_check, worked_example
from nnmath.topics.base import Tex as TeX
from nnmath.topics.texformat import approx, exact, formula

GROUP_TITLES = {"activation": "Activation functions", "loss": "Loss functions", "regulariser": "Regularisers"}
LETTERS = {"activation": "f", "loss": "L", "regulariser": "R"}
BACKPROP = {
    "dense": "The dense layer: weights times the previous activations, plus the bias.",
    "BP1": "BP1, the error at the output layer: the loss's slope in the output times the output activation's slope.",
    "BP2": "BP2, the error of a hidden layer: the next layer's error carried backward through the transposed weights.",
    "BP3": "BP3, the bias gradient is the error itself.",
    "BP4": "BP4, the weight gradient is the outer product of the error and the previous activations.",
}
RULES = {
    "gradient_step": "A gradient-descent step with learning rate η (g is the gradient of the loss).",
    "l2_step": "The same step on the loss plus the L2 penalty: weight decay by the factor 1 − ηλ.",
    "step": "The perceptron's step activation.",
    "perceptron": "The perceptron rule (for the bias use x = 1).",
}
DERIVATIONS = ("sigmoid", "tanh", "softmax", "categorical_cross_entropy_logits")
EXACT_MAX_CHARS = 140  # longer exact forms of the worked example are shown as decimals only
WORKED_PLACES = 6


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


def backprop_theory() -> list[dict]:
    """The dense layer and BP1–BP4, each with a sentence."""
    return [{"text": BACKPROP[k], "formula": formula(eq)} for k, eq in general_equations().items()]


def update_rules() -> list[dict]:
    """The update rules (gradient descent, weight decay, the perceptron), each with a sentence."""
    return [{"text": RULES[k], "formula": formula(eq, update_rule=True)} for k, eq in rules().items()]


def lse_definition() -> TeX:
    """LSE(z) = log Σ_k e^{z_k}, in the index notation of the vector formulas."""
    z = index_symbols(get("softmax").wrt).summed
    return formula(sp.Eq(LSE, sp.log(ClassSum(sp.exp(z))), evaluate=False))


# --- Guided practice -------------------------------------------------------------------------


def _abbreviate(expr: sp.Basic, abbreviations: dict[sp.Basic, sp.Symbol]) -> sp.Basic:
    return expr.xreplace(abbreviations) if abbreviations else expr


def derivation_context(derivation: Derivation, abbreviations: dict | None = None) -> dict:
    """One derivation: d/dx of the start, then every rule and the expression after it."""
    ab = abbreviations or {}
    start = sp.Derivative(_abbreviate(derivation.expr, ab), derivation.wrt)
    return {
        "start": formula(start),
        "steps": [{"rule": s.rule, "expr": formula(_abbreviate(s.expr, ab))} for s in derivation.steps],
        "result": formula(derivation.result),
    }


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
                "derivations": [derivation_context(s, ab) for s in d.steps],
                "identity": None if entry.identity is None or entry.is_vector else _identity(entry),
                "identity_note": entry.identity_note,
                "proven": entry.identity is not None and d.identity_holds,
            }
        )
    return derivations


def chain_rule_practice() -> dict:
    """The chain rule for one neuron, step by step."""
    return derivation_context(chain_rule_derivation())


WORKED_LABELS = {
    "x": r"\mathbf{x}",
    "y": r"\mathbf{y}",
    "W1": "W^{1}",
    "b1": r"\mathbf{b}^{1}",
    "W2": "W^{2}",
    "b2": r"\mathbf{b}^{2}",
    "z1": r"\mathbf{z}^{1}",
    "a1": r"\mathbf{a}^{1}",
    "z2": r"\mathbf{z}^{2}",
    "a2": r"\mathbf{a}^{2}",
    "loss": "C",
    "delta2": r"\boldsymbol{\delta}^{2}",
    "delta1": r"\boldsymbol{\delta}^{1}",
    "dW2": r"\partial C / \partial W^{2}",
    "db2": r"\partial C / \partial \mathbf{b}^{2}",
    "dW1": r"\partial C / \partial W^{1}",
    "db1": r"\partial C / \partial \mathbf{b}^{1}",
    "learning_rate": r"\eta",
    "W1_new": r"W^{1}_{\text{new}}",
    "W2_new": r"W^{2}_{\text{new}}",
}


WORKED_HOW = {
    "x": "input",
    "y": "target",
    "W1": "given",
    "b1": "given",
    "W2": "given",
    "b2": "given",
    "z1": "dense layer",
    "a1": "sigmoid",
    "z2": "dense layer",
    "a2": "sigmoid",
    "loss": "squared error",
    "delta2": "BP1",
    "delta1": "BP2",
    "dW2": "BP4",
    "db2": "BP3",
    "dW1": "BP4",
    "db1": "BP3",
    "learning_rate": "given",
    "W1_new": "gradient step",
    "W2_new": "gradient step",
}


def worked_context() -> dict:
    """Every quantity of the worked example: exact where it is short, and its decimals."""
    ex = worked_example()
    rows = []
    for f in fields(ex):
        value = getattr(ex, f.name)
        shown = exact(value)
        rows.append(
            {
                "label": TeX(WORKED_LABELS.get(f.name, f.name)),
                "how": WORKED_HOW.get(f.name, ""),
                "exact": shown if len(shown) <= EXACT_MAX_CHARS else None,
                "approx": approx(value, places=WORKED_PLACES),
            }
        )
    return {"rows": rows, "numeric_error": f"{numeric_check():.1e}", "places": WORKED_PLACES}
