"""Derive a catalogue entry: its gradient, the steps, and the proof of its identity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import sympy as sp
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from derive.calculus.functions import logsumexp, normal_cdf, normal_pdf, sigmoid, textbook
from derive.calculus.indexed import at_components, indexed_line_value, is_indexed, softmax_cross_entropy_steps
from derive.calculus.steps import Derivation, Step, differentiate, tidy
from derive.calculus.vectorise import LSE, ClassSum, index_symbols, vectorise, vectorise_jacobian
from derive.catalogue.entry import ELEMENTWISE, VECTOR_LOSS, VECTOR_MAP, Entry
from derive.symbols import logits, prob, prob_k


@dataclass(frozen=True)
class EntryDerivation:
    """Everything SymPy establishes about one entry.

    Attributes:
        entry: The catalogue entry.
        gradient: ∂f/∂wrt.  Elementwise: an expression.  Vector loss: the
            gradient's first component ∂L/∂z₁.  Vector map: the K×K Jacobian.
        steps: Step-by-step derivations from the textbook definition
            (a vector map has two: a diagonal and an off-diagonal entry).
        identity_holds: SymPy proved ``gradient == entry.identity``.
        textbook_holds: SymPy proved the textbook form and the stable form equal to ``entry.expr``.
    """

    entry: Entry
    gradient: sp.Expr | sp.Matrix
    steps: tuple[Derivation, ...]
    identity_holds: bool
    textbook_holds: bool = True


def component(expr: sp.Expr, entry: Entry, k: int) -> sp.Expr:
    """``expr`` with component 1 and component k of every vector argument swapped."""
    swap = {}
    for comps in entry.components.values():
        swap[comps[0]], swap[comps[k]] = comps[k], comps[0]
    return expr.xreplace(swap)


def latex_name(f: sp.Function) -> str:
    r"""LaTeX of σ(x), tanh(x), Φ(x), φ(x) for a step's annotation (``\sigma(x)``)."""
    name = {sigmoid: r"\sigma", sp.tanh: r"\tanh", normal_cdf: r"\Phi", normal_pdf: r"\varphi"}[type(f)]
    return rf"{name}({sp.latex(f.args[0])})"


@cache
def gradient(entry: Entry) -> sp.Expr | sp.Matrix:
    """The derivative of the entry's definition, by ``sympy.diff``, tidied (cached: :func:`derive` and the
    extreme-value sweep share it; the sweep needs the gradient, not the proofs)."""
    if entry.kind == ELEMENTWISE:
        return tidy(sp.diff(entry.expr, entry.wrt))
    comps = entry.components[entry.wrt]
    if entry.kind == VECTOR_MAP:
        outputs = [component(entry.expr, entry, k) for k in range(len(comps))]
        return sp.Matrix([[tidy(sp.diff(f, z)) for z in comps] for f in outputs])
    return tidy(sp.diff(entry.expr, comps[0]))


def equal(a: sp.Expr | sp.Matrix, b: sp.Expr | sp.Matrix, given: dict | None = None) -> bool:
    """Symbolic equality, a − b = 0 in textbook form (see :func:`_is_zero`), element by element for matrices."""
    diff = textbook(sp.sympify(a) - sp.sympify(b))
    if given:
        diff = diff.subs(given)
    elements = diff if isinstance(diff, sp.MatrixBase) else [diff]
    return all(_is_zero(e) for e in elements)


# What splits an expression into cases: |u|, min, max, sign(u) and piecewise definitions.
CASES = (sp.Abs, sp.Min, sp.Max, sp.Piecewise, sp.sign)


def _is_zero(e: sp.Expr) -> bool:
    """SymPy proves e = 0: by exact rational arithmetic first (:func:`_cancels`, then case by case), else by
    ``simplify`` (:func:`_simplifies_to_zero`).  Every route is a proof; none evaluates e at points."""
    return _cancels(e) or _cancels_by_cases(e) or _simplifies_to_zero(e)


def _cancels(e: sp.Expr) -> bool:
    """e = 0 as a rational function of its atoms (x, eˣ, log(1 + eˣ), …) once every function is written by its
    exponential definition (σ(u) = 1/(1 + e⁻ᵘ), tanh u = (eᵘ − e⁻ᵘ)/(eᵘ + e⁻ᵘ)); else with the logarithms expanded
    where SymPy knows it valid (log(a/b) = log a − log b for a, b > 0); else, for a real e, eᵉ = 1.

    Cheap: ``cancel`` only, no ``simplify``.  sin, cos, tan stay as they are (atoms like x): written in exponentials
    they bring in i, and factoring over the Gaussian rationals is the slow part of ``simplify``."""
    if e == 0:
        return True
    t = _in_exponentials(e)
    if t.has(sp.I):
        return False
    if sp.cancel(t) == 0:
        return True
    if not t.has(sp.log):
        return False
    logs_cancelled = t.replace(lambda u: isinstance(u, sp.log), lambda u: sp.log(sp.cancel(u.args[0])))
    if sp.cancel(sp.expand_log(logs_cancelled, force=False)) == 0:
        return True
    return bool(e.is_real) and sp.cancel(sp.expand_power_exp(sp.exp(t)) - 1) == 0  # a real e with eᵉ = 1 is 0


def _in_exponentials(e: sp.Expr) -> sp.Expr:
    """``e`` with every function but the trigonometric ones written by its exponential definition."""
    kinds = {type(f) for f in e.atoms(sp.Function) if not isinstance(f, TrigonometricFunction)}
    return e.rewrite(sorted(kinds, key=lambda kind: kind.__name__), sp.exp) if kinds else e


def _cancels_by_cases(e: sp.Expr) -> bool:
    """e with |u|, min, max, sign(u) split into their cases is 0 in every case, each proven by :func:`_cancels`."""
    if not e.has(*CASES):
        return False
    folded = sp.piecewise_fold(e.rewrite(sp.Piecewise))
    return _cancels(folded) or (isinstance(folded, sp.Piecewise) and _piecewise_is_zero(folded, _cancels))


def _simplifies_to_zero(e: sp.Expr) -> bool:
    """``simplify(e) == 0``, in textbook form, then fully in exponentials; or eᵉ = 1 for a real e with logarithms;
    or case by case (|u|, min, max split), each case by :func:`_is_zero`."""
    if sp.simplify(e) == 0 or sp.simplify(e.rewrite(sp.exp)) == 0:
        return True
    if e.has(sp.log) and e.is_real and sp.simplify(sp.exp(e) - 1) == 0:  # a real e with eᵉ = 1 is 0
        return True
    if e.has(sp.Abs, sp.Min, sp.Max, sp.Piecewise):  # split |u|, min, max into their cases
        folded = sp.piecewise_fold(e.rewrite(sp.Piecewise)).rewrite(sp.exp)
        if sp.simplify(folded) == 0:
            return True
        if isinstance(folded, sp.Piecewise):
            return _piecewise_is_zero(folded)
    return False


def _piecewise_is_zero(pw: sp.Piecewise, is_zero: Callable[[sp.Expr], bool] = _is_zero) -> bool:
    """Each branch is zero on the region where it applies (its condition and no earlier one), by ``is_zero``."""
    earlier = sp.false
    for value, cond in pw.args:
        region = sp.And(cond, sp.Not(earlier))
        earlier = sp.Or(earlier, cond)
        symbols = region.free_symbols
        if region is sp.false or value == 0:
            continue
        if len(symbols) != 1:
            return False
        (s,) = symbols
        where = region.as_set()
        if where is sp.S.EmptySet:  # a branch no point reaches
            continue
        if isinstance(where, sp.FiniteSet):
            if not all(is_zero(value.subs(s, point)) for point in where):
                return False
            continue
        if not isinstance(where, sp.Interval):
            return False
        t = sp.Dummy("t", nonnegative=True)
        if where.inf.is_finite and where.sup is sp.oo:
            value = value.subs(s, where.inf + t)
        elif where.inf is sp.S.NegativeInfinity and where.sup.is_finite:
            value = value.subs(s, where.sup - t)
        if not is_zero(value):
            return False
    return True


def textbook_definition(entry: Entry) -> sp.Expr:
    """The definition in exp/log form, as the step-by-step derivation starts from it (a vector entry's in its
    K = 3 components)."""
    if entry.textbook is not None:  # GELU's x Φ(x) as x (1 + erf(x/√2))/2
        return textbook(at_components(entry.textbook) if is_indexed(entry.textbook) else entry.textbook)
    return sp.powsimp(sp.expand_log(textbook(entry.expr), force=True))


def shown_form(entry: Entry) -> sp.Expr:
    """The definition as pages show it: the textbook form (index notation for a vector entry), else ``expr``."""
    return entry.textbook if entry.textbook is not None else entry.expr


def form_holds(entry: Entry, form: sp.Expr | None) -> bool:
    """SymPy proves ``form`` (textbook or stable) equal to ``entry.expr``; an index form for every component."""
    if form is None:
        return True
    form = form.replace(sp.erfc, lambda u: 1 - sp.erf(u))  # GELU's ½ x erfc(−x/√2) against ½ x (1 + erf(x/√2))
    if not is_indexed(form):
        return equal(form, entry.expr)
    if entry.kind == VECTOR_MAP:
        comps = entry.components[entry.wrt]
        return all(equal(at_components(form, n + 1), component(entry.expr, entry, n)) for n in range(len(comps)))
    return equal(at_components(form), entry.expr)


def softmax_names(entry: Entry) -> dict[sp.Symbol, sp.Expr]:
    """For the softmax: the named outputs p_n = softmax(z)_n, as the end of its derivations writes them."""
    comps = entry.components[entry.wrt]
    return {p: component(entry.expr, entry, n) for n, p in enumerate(prob_k[: len(comps)])}


def line_value(entry: Entry, expr: sp.Expr) -> sp.Expr:
    """What a shown line of a derivation of ``entry`` stands for, in the entry's own symbols: an index form at
    K = 3 and i = 1 with p = softmax(z), a softmax line with its p_n written out."""
    if is_indexed(expr):
        return indexed_line_value(expr)
    if entry.kind == VECTOR_MAP:
        return expr.xreplace(softmax_names(entry))
    return expr


# Entries whose derivative the pages show in its textbook form, the identity (proven equal to the derivative by
# :func:`derive`), rather than in SymPy's shape: BCE' = (p − y)/(p (1 − p)), not (y − p)/(p (p − 1)); GELU' =
# Φ(x) + x φ(x), not √2 x e^{−x²/2}/(2√π) + Φ(x).
TEXTBOOK_DERIVATIVES = ("binary_cross_entropy", "gelu")


def shown_gradient(entry: Entry, gradient: sp.Expr | sp.Matrix) -> sp.Expr | sp.Matrix:
    """The derivative ``gradient`` as pages show it: an entry of :data:`TEXTBOOK_DERIVATIVES` by its identity
    (which :func:`derive` proves equal to it, or the build fails), a gradient over the logits with p =
    softmax(z) (:func:`in_probabilities`), else as is."""
    if entry.name in TEXTBOOK_DERIVATIVES and entry.identity is not None:
        if not derive(entry).identity_holds:
            raise ValueError(f"{entry.name}: the textbook form {entry.identity} is not the derivative {gradient}")
        return entry.identity
    return in_probabilities(entry, gradient)


def in_probabilities(entry: Entry, expr: sp.Expr | sp.Matrix | None) -> sp.Expr | sp.Matrix | None:
    """A gradient over the logits written with the named intermediate p = softmax(z): e^{z_i − LSE(z)} → p_i,
    e^{z_j − LSE(z)} → p_j, component e^{z_n − LSE} → p_n, factored (−p² + p → p(1 − p)). Other entries: as is."""
    if expr is None or not entry.is_vector or entry.wrt != logits or not expr.has(sp.exp):
        return expr
    subs = {logits: LSE + sp.log(prob), index_symbols(logits).column: LSE + sp.log(index_symbols(prob).column)}
    subs.update({z: LSE + sp.log(p) for z, p in zip(entry.components[logits], prob_k)})
    value = sp.sympify(expr).replace(lambda e: isinstance(e, logsumexp), lambda e: LSE).xreplace(subs)
    if isinstance(value, sp.MatrixBase):
        return value.applyfunc(lambda e: sp.factor(sp.powsimp(sp.expand(e))))
    return sp.factor(sp.powsimp(sp.expand(value)), deep=False) if not value.has(ClassSum) else sp.expand(value)


def _written_with(entry: Entry, derivation: Derivation, form: sp.Expr, note: str) -> Derivation:
    """``derivation`` continued by one line, ``form`` (the textbook identity), proven equal to its result."""
    if not equal(line_value(entry, form), derivation.result):
        raise ValueError(f"{entry.name}: the textbook form {form} is not the derivative {derivation.result}")
    steps = (*derivation.steps, Step(note, form))
    return Derivation(derivation.expr, derivation.wrt, steps, derivation.result)


def _continued(entry: Entry, derivation: Derivation, column: int = 0) -> Derivation:
    """The rule-by-rule derivation carried on to the form a student expects: σ(x)(1 − σ(x)), 1 − tanh²(x),
    p₁(1 − p₁) and −p₁p₂ for the softmax."""
    if entry.kind == VECTOR_MAP and entry.name == "softmax":
        p1, pj = prob_k[0], prob_k[column]
        form = p1 * (1 - p1) if column == 0 else -p1 * pj
        return _written_with(entry, derivation, form, r"write with $p = \operatorname{softmax}(z)$")
    if entry.kind != ELEMENTWISE or entry.identity is None:
        return derivation
    named = sorted(entry.identity.atoms(sigmoid, sp.tanh, normal_cdf, normal_pdf), key=sp.default_sort_key)
    if named and all(f.args == (entry.wrt,) for f in named):  # σ(x), tanh(x), Φ(x), φ(x): not GELU-tanh's σ(2u)
        note = "write with " + ", ".join(f"${latex_name(f)}$" for f in named)
        return _written_with(entry, derivation, entry.identity, note)
    if entry.name in TEXTBOOK_DERIVATIVES:  # the identity is not None (above)
        return _written_with(entry, derivation, entry.identity, "as a textbook writes it")
    return derivation


def step_derivations(entry: Entry) -> tuple[Derivation, ...]:
    """The derivative of the textbook definition, rule by rule, ending at the textbook form of the derivative
    (an entry of :data:`INDEX_DERIVATIONS` is derived in index notation instead)."""
    if entry.name in INDEX_DERIVATIONS:
        return (INDEX_DERIVATIONS[entry.name](),)
    definition = textbook_definition(entry)
    if entry.kind == ELEMENTWISE:
        return (_continued(entry, differentiate(definition, entry.wrt)),)
    comps = entry.components[entry.wrt]
    if entry.kind == VECTOR_MAP:
        return (
            _continued(entry, differentiate(definition, comps[0]), 0),
            _continued(entry, differentiate(definition, comps[1]), 1),
        )
    return (differentiate(definition, comps[0]),)


# Entries whose derivation a textbook gives in index notation, through a named intermediate (p = softmax(z)).
INDEX_DERIVATIONS = {"categorical_cross_entropy_logits": softmax_cross_entropy_steps}


@cache
def derive(entry: Entry) -> EntryDerivation:
    """Derive ``entry`` (cached): gradient, steps, the identity proof and the proof of its textbook forms."""
    grad = gradient(entry)
    identity_holds = entry.identity is None or equal(grad, entry.identity, entry.given)
    textbook_holds = form_holds(entry, entry.textbook) and form_holds(entry, entry.stable)
    return EntryDerivation(entry, grad, step_derivations(entry), identity_holds, textbook_holds)


@dataclass(frozen=True)
class IndexForm:
    """An entry's definition and gradient in index notation, valid for any K.

    Elementwise entries are their own index form.  For a vector map the
    gradient is a Jacobian given by its diagonal ∂f_i/∂z_i and off-diagonal
    ∂f_i/∂z_j entries (``off_diagonal`` is ``None`` otherwise).  Code and
    pages are printed from this form.
    """

    definition: sp.Expr
    gradient: sp.Expr
    off_diagonal: sp.Expr | None = None


@cache
def index_form(entry: Entry) -> IndexForm:
    """The index form of ``entry`` (see :class:`IndexForm`)."""
    d = derive(entry)
    if entry.kind == ELEMENTWISE:
        return IndexForm(entry.expr, d.gradient)
    if entry.kind == VECTOR_LOSS:
        return IndexForm(vectorise(entry.expr, entry, free_index=False), vectorise(d.gradient, entry))
    diag, off = vectorise_jacobian(d.gradient, entry)
    return IndexForm(vectorise(entry.expr, entry), diag, off)
