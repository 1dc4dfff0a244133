"""Derive a catalogue entry: its gradient, the steps, and the proof of its identity."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from derive.calculus.functions import textbook
from derive.calculus.steps import Derivation, differentiate, tidy
from derive.calculus.vectorise import vectorise, vectorise_jacobian
from derive.catalogue.entry import ELEMENTWISE, VECTOR_LOSS, VECTOR_MAP, Entry


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
    """

    entry: Entry
    gradient: sp.Expr | sp.Matrix
    steps: tuple[Derivation, ...]
    identity_holds: bool


def component(expr: sp.Expr, entry: Entry, k: int) -> sp.Expr:
    """``expr`` with component 1 and component k of every vector argument swapped."""
    swap = {}
    for comps in entry.components.values():
        swap[comps[0]], swap[comps[k]] = comps[k], comps[0]
    return expr.xreplace(swap)


def gradient(entry: Entry) -> sp.Expr | sp.Matrix:
    """The derivative of the entry's definition, by ``sympy.diff``, tidied."""
    if entry.kind == ELEMENTWISE:
        return tidy(sp.diff(entry.expr, entry.wrt))
    comps = entry.components[entry.wrt]
    if entry.kind == VECTOR_MAP:
        outputs = [component(entry.expr, entry, k) for k in range(len(comps))]
        return sp.Matrix([[tidy(sp.diff(f, z)) for z in comps] for f in outputs])
    return tidy(sp.diff(entry.expr, comps[0]))


def equal(a: sp.Expr | sp.Matrix, b: sp.Expr | sp.Matrix, given: dict | None = None) -> bool:
    """Symbolic equality: ``simplify(a - b) == 0``, in textbook form, then fully in exponentials."""
    diff = textbook(sp.sympify(a) - sp.sympify(b))
    if given:
        diff = diff.subs(given)
    elements = diff if isinstance(diff, sp.MatrixBase) else [diff]
    return all(_is_zero(e) for e in elements)


def _is_zero(e: sp.Expr) -> bool:
    if sp.simplify(e) == 0 or sp.simplify(e.rewrite(sp.exp)) == 0:
        return True
    if e.has(sp.Abs, sp.Min, sp.Max, sp.Piecewise):  # split |u|, min, max into their cases
        folded = sp.piecewise_fold(e.rewrite(sp.Piecewise)).rewrite(sp.exp)
        if sp.simplify(folded) == 0:
            return True
        if isinstance(folded, sp.Piecewise):
            return _piecewise_is_zero(folded)
    return False


def _piecewise_is_zero(pw: sp.Piecewise) -> bool:
    """Each branch is zero on the region where it applies (its condition and no earlier one)."""
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
        if isinstance(where, sp.FiniteSet):
            if not all(_is_zero(value.subs(s, point)) for point in where):
                return False
            continue
        if not isinstance(where, sp.Interval):
            return False
        t = sp.Dummy("t", nonnegative=True)
        if where.inf.is_finite and where.sup is sp.oo:
            value = value.subs(s, where.inf + t)
        elif where.inf is sp.S.NegativeInfinity and where.sup.is_finite:
            value = value.subs(s, where.sup - t)
        if not _is_zero(value):
            return False
    return True


def textbook_definition(entry: Entry) -> sp.Expr:
    """The definition in exp/log form, as the step-by-step derivation starts from it."""
    if entry.textbook is not None:
        return entry.textbook
    return sp.powsimp(sp.expand_log(textbook(entry.expr), force=True))


def step_derivations(entry: Entry) -> tuple[Derivation, ...]:
    """The derivative of the textbook definition, rule by rule."""
    definition = textbook_definition(entry)
    if entry.kind == ELEMENTWISE:
        return (differentiate(definition, entry.wrt),)
    comps = entry.components[entry.wrt]
    if entry.kind == VECTOR_MAP:
        return (differentiate(definition, comps[0]), differentiate(definition, comps[1]))
    return (differentiate(definition, comps[0]),)


@cache
def derive(entry: Entry) -> EntryDerivation:
    """Derive ``entry`` (cached): gradient, steps and the identity proof."""
    grad = gradient(entry)
    identity_holds = entry.identity is None or equal(grad, entry.identity, entry.given)
    return EntryDerivation(entry, grad, step_derivations(entry), identity_holds)


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
