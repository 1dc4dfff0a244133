"""Derive a user's own expression: what a catalogue entry gets, built at run time from a string.

``derive_expression("x*tanh(log(1 + exp(x)))", name="mish")`` parses the text
safely (:mod:`derive.custom.parse`), recognises nnmath's function classes in it
(:mod:`derive.custom.recognise`: ``log(1 + exp(x))`` is softplus), builds an
elementwise :class:`~derive.catalogue.entry.Entry` from it — ``textbook`` is the typed
form, ``expr`` the recognised one — and derives it with the catalogue's own
machinery (:func:`derive.calculus.derivation.derive`): the step-by-step derivation
from the typed form, the simplified derivative by ``sympy.diff``, and the
check that the two agree (:func:`agreement_of`), and the points where it is
not differentiable (:func:`kinks_of`).  The NumPy function and its gradient
are printed from SymPy by :func:`derive.numerics.codegen.expression_function`
(stabilised, CSE'd) and compiled into callables (:func:`compile_module`).

All symbolic work runs in a worker process with a wall-clock limit
(:mod:`derive.custom.timelimit`), because ``sympy.simplify`` has none: past the
limit the worker is killed and :class:`DerivationTimeout` says so.
"""

from __future__ import annotations

import builtins
import dataclasses
import keyword
import linecache
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.calculus.derivation import EntryDerivation, equal, gradient, step_derivations
from derive.calculus.functions import textbook
from derive.calculus.steps import Derivation
from derive.catalogue.entry import Entry
from derive.custom.parse import CONSTANTS, FUNCTIONS, ExpressionError, parse, symbols_for
from derive.custom.recognise import recognise
from derive.custom.timelimit import TimeLimitExceeded, call_with_time_limit, interrupt_after
from derive.numerics.codegen import expression_function, module_text
from derive.printing.text import plain

DEFAULT_TIME_LIMIT = 60.0  # seconds for all the symbolic work (GELU's tanh approximation takes ~3 s)
PROOF_TIME_LIMIT = 10.0  # seconds SymPy may try to prove the steps' result equal to the derivative (see agreement_of)
AGREEMENT_POINTS = 16  # where the step-by-step result is compared numerically when SymPy cannot prove it
AGREEMENT_TOLERANCE = 1e-20  # relative, at 30 significant digits
NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
# Names a generated function or argument must not take: the generated module's own globals, Python's names,
# and the grammar's functions and constants.
RUNTIME = {"as_float", "extended", "keep_float", "same_shape", "with_classes"}  # the helpers of numeric._runtime
RESERVED = {"numpy", "scipy"} | RUNTIME | set(keyword.kwlist) | set(dir(builtins)) | set(FUNCTIONS) | set(CONSTANTS)
TEXT_PATTERN = re.compile(r"[^\x00-\x1f\x7f\"\\]{1,500}")  # a title or summary: one printable line, no quotes


class InvalidName(ExpressionError):
    """A function, variable or parameter name that cannot be used (not an identifier, reserved, repeated)."""


class InvalidOption(ExpressionError):
    """A parameter value, plot range, title or time limit that cannot be used."""


class DerivationTimeout(ExpressionError):
    """The symbolic work (mostly ``sympy.simplify``) took longer than the time limit."""


class DerivationFailed(ExpressionError):
    """SymPy or the step-by-step differentiator could not derive the expression."""


@dataclass(frozen=True)
class Agreement:
    """How the step-by-step result was checked against the derivative of ``sympy.diff``.

    Attributes:
        proven: SymPy simplified their difference to zero.
        points: Points at which they were compared numerically (0 when proven).
        max_difference: Largest relative difference at those points (30 digits), ``None`` when proven.
        gave_up_after: Seconds after which SymPy's attempt at a proof was stopped, if it was.
    """

    proven: bool
    points: int = 0
    max_difference: float | None = None
    gave_up_after: float | None = None

    @property
    def holds(self) -> bool:
        if self.proven:
            return True
        return self.points > 0 and self.max_difference is not None and self.max_difference <= AGREEMENT_TOLERANCE

    def describe(self) -> str:
        if self.proven:
            return "proven by SymPy"
        if self.holds:
            why = (
                f"SymPy's proof was stopped after {self.gave_up_after:g} s"
                if self.gave_up_after is not None
                else "SymPy could not simplify the difference to 0"
            )
            return f"equal at {self.points} points to 30 digits ({why})"
        if self.points == 0:
            return "NOT CHECKED: SymPy could not simplify the difference, and no test point was finite"
        return f"DIFFERENT: relative difference up to {self.max_difference:.1e} at {self.points} points"


@dataclass(frozen=True)
class CustomDerivation:
    """A user's expression, derived.

    Attributes:
        text: The expression as typed.
        entry: The run-time catalogue entry: ``textbook`` is the typed form (nnmath's
            function classes written out), ``expr`` the recognised form that is derived
            and printed; ``args`` are the variable and the parameters.
        derivation: Gradient (``sympy.diff``, tidied), the step-by-step derivation from
            the typed form, as for a catalogue entry.
        agreement: The step-by-step result checked against the gradient.
        module_source: The generated NumPy module (function ``name`` and ``name_grad``).
        function, gradient: The compiled functions of ``module_source``.
        extra: What the ``extra`` hook of :func:`derive_expression` returned (page strings), or ``None``.
        simplified: False when simplifying the derivative took more than a third of the time limit: the
            derivative is then ``sympy.diff``'s unsimplified result (still checked and printed).
    """

    text: str
    entry: Entry
    derivation: EntryDerivation
    agreement: Agreement
    module_source: str
    function: Callable[..., Any]
    gradient: Callable[..., Any]
    extra: Any = None
    simplified: bool = True  # False: simplification ran out of time; the derivative is sympy.diff's, as it is

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def variable(self) -> sp.Symbol:
        return self.entry.wrt

    @property
    def definition(self) -> sp.Expr:
        """The expression that is derived and printed (nnmath's function classes recognised)."""
        return self.entry.expr

    @property
    def typed(self) -> sp.Expr:
        """The expression as typed, in exp/log form: the step-by-step derivation starts from it."""
        return self.entry.textbook

    @property
    def derivative(self) -> sp.Expr:
        """d(definition)/d(variable): ``sympy.diff``, simplified."""
        return self.derivation.gradient

    @property
    def steps(self) -> Derivation:
        """The step-by-step derivation of the typed form, rule by rule."""
        return self.derivation.steps[0]


def check_name(name: str, what: str) -> str:
    """``name`` if it can name a generated function or argument, else :class:`InvalidName`."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise InvalidName(
            f"{what} {name!r} is not a name: use a letter, then letters, digits or _ (at most 40 characters)"
        )
    if name in RESERVED:
        raise InvalidName(f"{what} {name!r} is reserved (a Python name or a function of the grammar)")
    return name


def _check_text(value: str, what: str) -> str:
    if not isinstance(value, str) or not TEXT_PATTERN.fullmatch(value):
        raise InvalidOption(f"the {what} must be one line of at most 500 characters without quotes or backslashes")
    return value


def _check_number(value: float, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidOption(f"{what} must be a number, not {value!r}") from None
    if not math.isfinite(number):
        raise InvalidOption(f"{what} must be finite, not {value!r}")
    return number


def build_entry(
    text: str,
    name: str = "f",
    variable: str = "x",
    parameters: Mapping[str, float] | None = None,
    title: str | None = None,
    summary: str | None = None,
    plot_range: tuple[float, float] = (-5.0, 5.0),
) -> Entry:
    """Parse ``text`` and build its elementwise :class:`Entry` (fast: no derivation yet)."""
    check_name(name, "the function name")
    check_name(f"{name}_grad", "the gradient name")
    check_name(variable, "the variable")
    params = dict(parameters or {})
    for p in params:
        check_name(p, "the parameter")
    declared = [variable, *params]
    if len(set(declared)) != len(declared) or name in declared:
        raise InvalidName(f"names must differ: function {name!r}, variable {variable!r}, parameters {list(params)}")
    values = {p: _check_number(v, f"parameter {p}") for p, v in params.items()}
    lo, hi = (_check_number(v, "the plot range") for v in plot_range)
    if not lo < hi:
        raise InvalidOption(f"the plot range must go from low to high, not {lo:g} to {hi:g}")
    title = _check_text(title, "title") if title is not None else name
    symbols = symbols_for(declared)
    parsed = parse(text, list(symbols.values()))
    x = symbols[variable]
    typed = textbook(parsed)
    return Entry(
        name=name,
        title=title,
        group="activation",
        expr=recognise(parsed),
        textbook=typed,
        wrt=x,
        args=(x, *(symbols[p] for p in params)),
        params={symbols[p]: v for p, v in values.items()},
        summary=_check_text(summary, "summary") if summary is not None else f"Derived from the expression `{text}`.",
        convention=convention(parsed),
        plot_range=(lo, hi),
    )


def convention(expr: sp.Expr) -> str:
    """What the derivative is where the expression is not differentiable (max/min, abs, where)."""
    notes = []
    if expr.has(sp.Max, sp.Min):
        notes.append(
            "max and min are differentiated in SymPy's piecewise form: at a tie the first branch counts, "
            "so max(0, x)' = 0 at x = 0, as PyTorch's relu."
        )
    if expr.has(sp.Abs):
        notes.append("|u|' = sign(u), which is 0 at u = 0, as in PyTorch.")
    if expr.has(sp.Piecewise):
        notes.append(
            "where(c, a, b) has the derivative of a where c holds and of b elsewhere: at the boundary, "
            "that of the branch whose condition holds there."
        )
    return " ".join(notes)


def derive_expression(
    text: str,
    name: str = "f",
    variable: str = "x",
    parameters: Mapping[str, float] | None = None,
    title: str | None = None,
    summary: str | None = None,
    plot_range: tuple[float, float] = (-5.0, 5.0),
    time_limit: float = DEFAULT_TIME_LIMIT,
    extra: Callable[[CustomDerivation], Any] | None = None,
) -> CustomDerivation:
    """Derive a user's expression: steps, simplified derivative, NumPy function and gradient.

    Args:
        text: The expression, e.g. ``"x*tanh(log(1 + exp(x)))"`` (grammar: :mod:`derive.custom.parse`).
        name: Name of the generated function (``name`` and ``name_grad``).
        variable: The variable the derivative is taken with respect to.
        parameters: Further names in ``text`` with their default values, e.g. ``{"beta": 1.0}``.
        title, summary: For pages; default the name and the expression.
        plot_range: x-range for plots and the numeric cross-check.
        time_limit: Seconds for the symbolic work (worker killed after it).
        extra: Called in the worker with the finished derivation (while SymPy's caches are warm);
            its picklable result becomes ``.extra`` (the site's page strings are made this way).

    Raises:
        ExpressionError: one of its subclasses, with a one-line message.

    >>> d = derive_expression("x*sigmoid(x)", name="silu")
    >>> float(d.gradient(0.0))
    0.5
    """
    entry = build_entry(text, name, variable, parameters, title, summary, plot_range)
    seconds = _check_number(time_limit, "the time limit")
    if seconds <= 0:
        raise InvalidOption("the time limit must be positive")
    try:
        work = (text, entry, extra, min(PROOF_TIME_LIMIT, seconds / 3), seconds / 3)
        derivation, agreement, source, result, simplified = call_with_time_limit(_symbolic_work, work, seconds)
    except TimeLimitExceeded:
        raise DerivationTimeout(
            f"deriving {name} took longer than the time limit of {seconds:g} s "
            "(mostly SymPy's simplification); raise the limit or simplify the expression"
        ) from None
    except ExpressionError:
        raise
    except Exception as e:  # WorkerFailed, or SymPy or the differentiator gave up: one line, no traceback
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise DerivationFailed(f"deriving {name} failed: {type(e).__name__}: {first}") from None
    entry = dataclasses.replace(entry, kinks=derivation.entry.kinks)  # found in the worker
    derivation = EntryDerivation(entry, derivation.gradient, derivation.steps, derivation.identity_holds)
    namespace = compile_module(source, name)
    return CustomDerivation(
        text, entry, derivation, agreement, source, namespace[name], namespace[f"{name}_grad"], result, simplified
    )


def _symbolic_work(
    text: str, entry: Entry, extra: Callable | None, proof_seconds: float, simplify_seconds: float
) -> tuple[EntryDerivation, Agreement, str, Any, bool]:
    """In the worker: find the kinks, derive, check the steps against the derivative, generate the code, run
    ``extra``.  The derivation holds the entry with its kinks.  If deriving (simplification, mostly) takes
    more than ``simplify_seconds``, the derivative is ``sympy.diff``'s unsimplified result (and the last item
    of the result, ``simplified``, is False)."""
    entry = dataclasses.replace(entry, kinks=kinks_of(entry))
    steps = step_derivations(entry)
    try:
        with interrupt_after(simplify_seconds):
            grad, simplified = gradient(entry), True
    except TimeLimitExceeded:
        grad, simplified = sp.diff(entry.expr, entry.wrt), False
    d = EntryDerivation(entry, grad, steps, True)  # an expression has no identity to prove
    agreement = agreement_of(d.steps[0].result, d.gradient, entry, proof_seconds)
    source = generated_module(entry, d.gradient)
    result = None
    if extra is not None:
        namespace = compile_module(source, entry.name)
        f, g = namespace[entry.name], namespace[f"{entry.name}_grad"]
        result = extra(CustomDerivation(text, entry, d, agreement, source, f, g, None, simplified))
    return d, agreement, source, result, simplified


def kinks_of(entry: Entry, max_degree: int = 3) -> tuple[float, ...]:
    """Points in the plot range where the function or its derivative jumps (not differentiable there).

    Candidates are the zeros of u(x) for every comparison u ≷ 0 of a Piecewise (where, max, min) and every
    |u|, when u is a polynomial in x of degree ≤ ``max_degree``; a candidate is a kink when the function or
    ``sympy.diff`` differs to the left and right of it.  Other kinks (e.g. where exp(x) = x²) are not found.
    """
    x, lo, hi = entry.wrt, *entry.plot_range
    at = {p: sp.Float(v, 30) for p, v in entry.params.items()}
    f = entry.expr.subs(at)
    g = sp.diff(f, x)
    candidates = [r.lhs - r.rhs for r in f.atoms(sp.core.relational.Relational)]
    candidates += [a.args[0] for a in f.atoms(sp.Abs)]
    roots: set[float] = set()
    for u in candidates:
        if not u.is_polynomial(x) or not u.free_symbols <= {x}:
            continue
        poly = sp.Poly(u, x)
        if not 1 <= poly.degree() <= max_degree:
            continue
        for r in _real_roots(poly):
            if lo < r < hi:
                roots.add(round(r, 12))
    return tuple(sorted(r for r in roots if _jumps(f, x, r) or _jumps(g, x, r)))


def _real_roots(poly: sp.Poly) -> list[float]:
    """Real roots: exact for rational coefficients (repeated roots too), else numeric (none if it fails)."""
    if all(c.is_Rational for c in poly.all_coeffs()):
        return [float(r) for r in sp.real_roots(poly)]
    try:
        return [float(r) for r in poly.nroots(n=30) if r.is_real]
    except Exception:  # mpmath's NoConvergence, e.g. for a multiple root of a polynomial with float coefficients
        return []


def _jumps(e: sp.Expr, x: sp.Symbol, at: float) -> bool:
    h = 1e-8 * max(1.0, abs(at))
    try:
        left, right = (complex(sp.N(e.subs(x, sp.Float(at + s * h, 30)), 20)) for s in (-1, 1))
    except (TypeError, ValueError):
        return False
    return abs(left - right) > 1e-6 * (1 + max(abs(left), abs(right)))


def agreement_of(
    steps_result: sp.Expr, gradient: sp.Expr, entry: Entry, proof_seconds: float = PROOF_TIME_LIMIT
) -> Agreement:
    """Symbolic equality (SymPy gets ``proof_seconds``), else numeric: 30 digits at points across the plot
    range where both are finite.  Proofs over many piecewise cases can take minutes (the conditions of a
    max inside a where); the numbers then still check the result."""
    if steps_result == gradient:
        return Agreement(proven=True)
    gave_up = None
    try:
        with interrupt_after(proof_seconds):
            if equal(steps_result, gradient):
                return Agreement(proven=True)
    except TimeLimitExceeded:
        gave_up = proof_seconds
    lo, hi = entry.plot_range
    values = {p: sp.Float(v, 30) for p, v in entry.params.items()}
    worst, used = 0.0, 0
    for k in range(AGREEMENT_POINTS):
        # points spread over the range but off round numbers, where kinks and ties sit
        t = (k + 0.5 + 0.1 * math.sqrt(2)) / AGREEMENT_POINTS
        at = {entry.wrt: sp.Float(lo + (hi - lo) * t, 30), **values}
        try:
            a, b = (sp.N(e.subs(at), 30) for e in (steps_result, gradient))
        except (TypeError, ValueError):  # a complex value meets a comparison or max (log of x < 0): not a point
            continue
        if not (a.is_real and b.is_real and a.is_finite and b.is_finite):
            continue
        used += 1
        worst = max(worst, float(abs(a - b) / max(abs(a), abs(b), sp.Float(1e-300))))
    return Agreement(proven=False, points=used, max_difference=worst if used else None, gave_up_after=gave_up)


def generated_module(entry: Entry, gradient: sp.Expr) -> str:
    """The NumPy module of ``entry``: ``name`` and ``name_grad``, printed from SymPy (parameters get defaults).

    A function that does not depend on the variable (a constant derivative) still returns an array of
    the variable's shape and float type.
    """
    name, x = entry.name, entry.wrt
    origin = f"from the expression {plain(entry.textbook)}"
    value, gradient = (with_otherwise(e) for e in (entry.expr, gradient))
    functions = [
        (name, value, f"{entry.name}, generated by nnmath {origin}."),
        (f"{name}_grad", gradient, f"Derivative of {name} with respect to {x.name}."),
    ]
    sources = [
        expression_function(n, entry.args, e, doc, defaults=entry.params, shaped_like=None if e.has(x) else x)
        for n, e, doc in functions
    ]
    return module_text(
        f"NumPy functions generated by nnmath {origin}", sources, [name, f"{name}_grad"], "derived.py.j2"
    )


def with_otherwise(expr: sp.Expr) -> sp.Expr:
    """Every Piecewise ends in an 'otherwise' branch (the printer needs one): NaN where no condition holds.

    SymPy may merge the branches of a derivative so that the last condition is not
    literally True although the conditions cover every x — e.g. (x ≥ 1/2) ∨ (x ≤ π);
    the NaN branch is then never taken.
    """

    def complete(pw: sp.Piecewise) -> sp.Piecewise:
        return pw if pw.args[-1].cond is sp.true else sp.Piecewise(*pw.args, (sp.nan, True))

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), complete)


def compile_module(source: str, name: str) -> dict[str, Any]:
    """Execute a module that nnmath printed from SymPy; its names (functions ``name``, ``name_grad``).

    ``source`` is code generated by :func:`generated_module` from a SymPy tree —
    never the user's text, which was only ever parsed into that tree.  The source
    is registered with :mod:`linecache` (as ``lambdify`` does), so
    ``inspect.getsource`` and tracebacks show it.
    """
    filename = f"<nnmath derive {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    namespace: dict[str, Any] = {"__name__": f"nnmath_custom_{name}"}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - our own printed code, see the docstring
    return namespace


__all__ = [
    "derive_expression",
    "build_entry",
    "generated_module",
    "compile_module",
    "agreement_of",
    "kinks_of",
    "convention",
    "check_name",
    "CustomDerivation",
    "Agreement",
    "InvalidName",
    "InvalidOption",
    "DerivationTimeout",
    "DerivationFailed",
    "DEFAULT_TIME_LIMIT",
]
