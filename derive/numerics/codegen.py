"""Generated NumPy modules: functions printed from derivations, assembled through templates.

Every function of ``numeric/_generated/`` is printed from SymPy (never typed by hand): the expression is
stabilised (:mod:`derive.numerics.stability`), common subexpressions become temporaries ``_t0, _t1, …``
(``sympy.cse``), and :class:`~derive.printing.numpy.NumPyCodePrinter` writes NumPy/SciPy calls.  The
printed lines, docstring paragraphs and names go into the Jinja templates of ``templates/numeric/``
(``function.py.j2``, ``module.py.j2`` with the provenance header, ``catalogue.py.j2``, ``package.py.j2``);
printed code is never edited afterwards.

This module prints the catalogue (``numeric/_generated/catalogue.py``: ``name`` and ``name_grad`` for every
entry) and offers the topics :func:`expression_function`, :func:`matrix_function` and :func:`module_text`.
Run ``nnmath generate`` after editing a derivation; a test proves each committed module equals what its
derivation prints today.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2
import sympy as sp

from derive.calculus.derivation import index_form
from derive.calculus.functions import sigmoid, softplus
from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.catalogue import entries
from derive.catalogue.entry import ELEMENTWISE, VECTOR_LOSS, VECTOR_MAP, Entry
from derive.numerics.naming import rename, rewrite_comments, temporary_name
from derive.numerics.stability import stabilise
from derive.numerics.stable_functions import grouped, zero_safe
from derive.paths import TEMPLATES as DATA_TEMPLATES
from derive.printing.latex import latex, matrix_latex
from derive.printing.numpy import NumPyCodePrinter

ROOT = Path(__file__).resolve().parents[2]
NUMERIC = ROOT / "numeric"
GENERATED = NUMERIC / "_generated"  # the private package of generated modules
TEMPLATES = DATA_TEMPLATES / "numeric"

_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined)
_TEMPLATES.trim_blocks = _TEMPLATES.lstrip_blocks = True  # a block tag leaves no line of its own
_TEMPLATES.keep_trailing_newline = True  # a module ends with its newline


def render(template: str, **values) -> str:
    """``templates/numeric/<template>`` filled with ``values`` (pre-printed strings and lists of them)."""
    return _TEMPLATES.get_template(template).render(**values)


# --- Functions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """A printed function body: the temporaries' assignments (``_t0 = …``), the value's expression, and
    the names of every symbol printed in them."""

    lines: list[str]
    value: str
    names: frozenset[str]

    def returning(self) -> list[str]:
        """The lines, then ``return value``."""
        return [*self.lines, f"return {self.value}"]

    def assigning(self, target: str) -> list[str]:
        """The lines, then ``target = value``."""
        return [*self.lines, f"{target} = {self.value}"]


def printed_body(expr: sp.Basic, printer: NumPyCodePrinter | None = None, temporaries: str = "_t") -> Body:
    """``expr`` printed after ``sympy.cse``: its common subexpressions become ``<temporaries>0, …``."""
    printer = printer or NumPyCodePrinter()
    temps, (reduced,) = sp.cse(expr, symbols=sp.numbered_symbols(temporaries), order="none")
    for sym, value in temps:  # a condition made a temporary: the printer tests its inputs for nan
        if isinstance(value, sp.logic.boolalg.Boolean):
            printer.condition_inputs[sym] = set().union(
                *(printer.condition_inputs.get(s, {s}) for s in value.free_symbols)
            )
    lines = [f"{sym} = {printer.doprint(value)}" for sym, value in temps]
    value = printer.doprint(reduced)
    # Each temporary renamed after what it holds (exp_neg_abs_x), in the printed text: the printer ordered
    # the terms by the numbered names, so the arithmetic is the same whatever the new names are.
    taken = set(printer.printed) | {str(s) for s in expr.free_symbols}
    names: dict[sp.Basic, str] = {}
    renames: dict[str, str] = {}
    for sym, held in temps:
        new = temporary_name(held, names, taken)
        if new is not None:
            names[sym] = new
            renames[sym.name] = new
            taken.add(new)
    lines = [rename(line, renames) for line in lines]
    printed = {renames.get(n, n) for n in printer.printed}
    return Body(lines, rename(value, renames), frozenset(printed))


def signature(args: Sequence[sp.Symbol], defaults: Mapping[sp.Symbol, sp.Expr] | None = None) -> str:
    """The arguments of a ``def`` line: ``x, alpha=0.01`` (a default printed as a float)."""
    defaults = defaults or {}
    return ", ".join(f"{a.name}={float(defaults[a])!r}" if a in defaults else a.name for a in args)


def casts(args: Sequence[sp.Symbol]) -> list[str]:
    """``x = as_float(x)`` for every argument: arrays of float64 unless already float."""
    return [f"{a.name} = as_float({a.name})" for a in args]


def keeping_float(lines: Sequence[str], arrays: Sequence[str]) -> list[str]:
    """``lines`` with the last, ``return value``, returning the value in the arrays' float type (``keep_float``):
    float32 in, float32 out."""
    *head, last = lines
    if not last.startswith("return ") or not arrays:
        return list(lines)
    return [*head, f"return keep_float({last.removeprefix('return ')}, {', '.join(arrays)})"]


def convention_checks(entry: Entry, arrays: Sequence[str]) -> list[str]:
    """The lines that refuse what the conventions exclude: a loss's prediction and target of different shapes
    (no broadcasting), a 0-d array where a function works over the last axis."""
    lines = []
    if entry.kind != ELEMENTWISE:
        lines.append(f"with_classes({entry.name!r}, {arrays[0]!r}, {arrays[0]})")
    if entry.group == "loss" and len(arrays) == 2:
        lines.append(f"same_shape({entry.name!r}, {', '.join(f'{a}={a}' for a in arrays)})")
    return lines


def function_source(name: str, arguments: str, doc: Sequence[str], body: Sequence[str]) -> str:
    """``def name(arguments):`` with the docstring paragraphs ``doc`` (the first is the summary line) and the
    lines ``body`` (``templates/numeric/function.py.j2``)."""
    seen: set[str] = set()
    lines = []
    for line in body:  # a comment said once per function (the diagonal and off-diagonal of a Jacobian share)
        if line.startswith("#") and line in seen:
            continue
        seen.add(line)
        lines.append(line)
    return render("function.py.j2", name=name, arguments=arguments, doc=list(doc), body=lines)


def expression_function(
    name: str,
    args: Sequence[sp.Symbol],
    expr: sp.Expr,
    doc: str,
    defaults: Mapping[sp.Symbol, sp.Expr] | None = None,
    shaped_like: sp.Symbol | None = None,
    raw: bool = False,
) -> str:
    """Source of ``def name(args)`` returning ``expr``: stabilised, CSE'd, printed by the NumPy printer.

    ``doc`` is the docstring's first line; the formula (LaTeX of ``expr``) is added below it.
    Array arguments broadcast; every argument is converted with ``as_float``; ``defaults`` gives
    arguments default values.  With ``shaped_like`` the result is broadcast to that argument's shape and
    type (for a formula that does not depend on it, such as a constant derivative).  With ``raw`` the same
    printed expression without ``as_float``/``keep_float``: for float64 arrays and numbers only, in a loop that
    calls it many times (an ODE right-hand side), where the conversions would cost more than the arithmetic.
    """
    stable = stabilise(expr)
    body = printed_body(lower(stable))
    paragraphs = [doc, f"$${latex(expr)}$$", "Generated from a derivation in ``derive/``; do not edit."]
    if raw:
        return function_source(name, signature(args, defaults), paragraphs, rewrite_comments(stable) + body.returning())
    lines = rewrite_comments(stable) + keeping_float(
        body.returning(), [a.name for a in args if a not in (defaults or {})]
    )
    if shaped_like is not None:
        x = shaped_like.name
        lines = body.assigning("_value") + [
            f"_shape = numpy.broadcast_shapes(numpy.shape(_value), {x}.shape)",
            f"return numpy.broadcast_to(_value, _shape).astype({x}.dtype)",
        ]
    return function_source(name, signature(args, defaults), paragraphs, casts(args) + lines)


def matrix_function(name: str, args: Sequence[sp.Basic], expr: sp.Basic, doc: str, shapes: str) -> str:
    """Source of ``def name(args)`` returning the matrix formula ``expr``: ``A @ w - b``.

    A column vector is a 1-D array (so ``wᵀ A w`` prints as ``w @ A @ w``) and ``A⁻¹ b`` is a solve.
    ``doc`` is the docstring's first line, ``shapes`` a sentence on the arrays' shapes; the formula
    (LaTeX of ``expr``) goes between them.  Matrix formulas need no stability rewrite, so one with a
    transcendental function (exp, log, …) is refused rather than printed unstabilised.
    """
    if any(isinstance(f, sp.Function) for f in sp.preorder_traversal(expr)):
        raise ValueError(f"{name}: matrix_function prints polynomial matrix formulas only, not {expr}")
    paragraphs = [doc, f"$${matrix_latex(expr)}$$", shapes, "Generated from a derivation in ``derive/``; do not edit."]
    body = casts(args) + printed_body(expr).returning()
    return function_source(name, ", ".join(a.name for a in args), paragraphs, body)


def module_text(title: str, sources: Sequence[str], names: Sequence[str], template: str = "module.py.j2") -> str:
    """A generated module: provenance docstring, the imports the printer uses, ``sources``, ``__all__``.

    ``template``: ``module.py.j2`` for the committed modules of ``numeric/_generated/``, ``derived.py.j2``
    for a module printed on demand (``nnmath derive``).
    """
    if not all(n.isidentifier() for n in names):
        raise ValueError(f"not Python names: {[n for n in names if not n.isidentifier()]}")
    return render(template, title=title, sources=list(sources), names=list(names))


# --- The catalogue --------------------------------------------------------------------------------


def _array_names(entry: Entry) -> dict[sp.Symbol, str]:
    """Inside a class sum, component k of an argument is the argument's array."""
    return {index_symbols(base).summed: base.name for base in entry.components}


def _difference(u: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
    """(a, b) for u = a − b with a and b symbols."""
    if isinstance(u, sp.Add) and len(u.args) == 2:
        neg = [t for t in u.args if t.could_extract_minus_sign()]
        if len(neg) == 1:
            (pos,) = [t for t in u.args if t is not neg[0]]
            if pos.is_Symbol and (-neg[0]).is_Symbol:
                return pos, -neg[0]
    return None


def _abs_bound(e) -> tuple[sp.Expr, sp.Expr, sp.Expr, bool] | None:
    """(a, b, c, strict) for |a − b| ≤ c (or <, or written c ≥ |a − b|) with c > 0."""
    if isinstance(e, (sp.LessThan, sp.StrictLessThan)):
        small, big = e.lhs, e.rhs
    elif isinstance(e, (sp.GreaterThan, sp.StrictGreaterThan)):
        small, big = e.rhs, e.lhs
    else:
        return None
    if isinstance(small, sp.Abs) and _difference(small.args[0]) and big.is_positive:
        return (*_difference(small.args[0]), big, isinstance(e, (sp.StrictLessThan, sp.StrictGreaterThan)))
    return None


def lower(expr: sp.Expr) -> sp.Expr:
    """Print-level forms, before CSE (which would otherwise take them apart):

    * σ(u) = e^{min(u,0)}/(1 + e^{−|u|}), softplus(u) = max(u, 0) + log1p(e^{−|u|}) — e^{−|u|} and a long
      argument are then computed once;
    * sign(a − b) from comparisons of a and b, |a − b| ≤ c as b − c ≤ a ≤ b + c: a − b overflows
      (1e308 − (−1e308)) where a > b does not.
    """
    from sympy.codegen.cfunctions import log1p

    from derive.numerics.stable_functions import difference_sign

    expr = expr.replace(
        lambda e: isinstance(e, sp.sign) and _difference(e.args[0]) is not None,
        lambda e: difference_sign(*_difference(e.args[0])),
    )

    def bound(e):
        a, b, c, strict = _abs_bound(e)
        le = sp.StrictLessThan if strict else sp.LessThan
        return sp.And(le(a, b + c), le(b, a + c))

    expr = expr.replace(lambda e: _abs_bound(e) is not None, bound)
    expr = expr.replace(
        lambda e: isinstance(e, sigmoid), lambda e: sp.exp(sp.Min(e.args[0], 0)) / (1 + sp.exp(-sp.Abs(e.args[0])))
    )
    return expr.replace(
        lambda e: isinstance(e, softplus), lambda e: sp.Max(e.args[0], 0) + log1p(sp.exp(-sp.Abs(e.args[0])))
    )


def _catalogue_body(expr: sp.Expr, names: dict[sp.Symbol, str], temporaries: str = "_t") -> Body:
    """A catalogue formula in print-level forms (:func:`lower`), printed after CSE; a comment line before
    it for each stable form it is printed in."""
    body = printed_body(lower(expr), NumPyCodePrinter({"names": {LSE: "lse", **names}}), temporaries)
    return Body(rewrite_comments(expr) + body.lines, body.value, body.names)


def _docstring(entry: Entry, what: str, formula: str, shape: str) -> list[str]:
    """The paragraphs of an entry's docstring: what it is, the formula, defaults, shapes, convention."""
    paragraphs = [what, f"$${formula}$$"]
    if entry.params:
        paragraphs.append(f"Parameters with defaults: {', '.join(f'{p.name}={v}' for p, v in entry.params.items())}.")
    paragraphs.append(shape)
    if entry.convention:
        paragraphs.append(f"Convention: {entry.convention}")
    return [*paragraphs, f"Generated from catalogue entry ``{entry.name}``; do not edit."]


def _lse_line(entry: Entry, jacobian: bool) -> list[str]:
    (base,) = [b for b in entry.components if b == entry.wrt or b.name == "logits"][:1] or [None]
    if base is None or base.name != "logits":
        return []
    suffix = "[..., None]" if jacobian else ""
    return [f"lse = scipy.special.logsumexp(logits, axis=-1, keepdims=True){suffix}"]


# Softmax-like formulas are printed in three accurate arrays of p = softmax(z): ½ log p, p and q = 1 − p,
# for index i (free), k (summed) and j (a Jacobian's column); templates/numeric/softmax_parts.py.j2 computes
# them once.
LOGP, LOGP_SUMMED, LOGP_COLUMN = (sp.Symbol(n, nonpositive=True) for n in ("_logp", "_logp_k", "_logp_j"))
HALF, HALF_SUMMED, HALF_COLUMN = (
    sp.Symbol(n, nonpositive=True) for n in ("_half_logp", "_half_logp_k", "_half_logp_j")
)
PROB, PROB_COLUMN = (sp.Symbol(n, nonnegative=True) for n in ("_p", "_p_j"))
COMPLEMENT = sp.Symbol("_q", nonnegative=True)


def _class_sum_linear(expr: sp.Expr, summed: set[sp.Symbol]) -> sp.Expr:
    """Σ_k (a + b) = Σ_k a + Σ_k b and Σ_k c·t = c Σ_k t for c without a summed symbol."""

    def split(e):
        out = []
        for term in sp.Add.make_args(sp.expand(e.args[0], power_exp=False, power_base=False, log=False)):
            const, dep = term.as_independent(*summed, as_Add=False)
            out.append(const * ClassSum(dep))
        return sp.Add(*out)

    return expr.replace(lambda e: isinstance(e, ClassSum), split)


def softmax_form(expr: sp.Expr, entry: Entry) -> sp.Expr | None:
    """``expr`` (an index form in the logits z and LSE) in ½ log p = (z − LSE)/2, p = e^{log p} and
    q = 1 − p, or ``None`` when LSE does not cancel.  Besides:

    * a weight c times log p keeps 0 where c = 0 (c·log 0 = 0: a class the target gives no weight);
    * p·Σy − y (the cross-entropy gradient) becomes −q·Σy + (Σy − y) where y > Σy/2, so that
      p − 1 for a one-hot target does not cancel to 0 as p → 1.
    """
    logits = next((b for b in entry.components if b.name == "logits"), None)
    if logits is None or LSE not in expr.free_symbols:
        return None
    idx = index_symbols(logits)
    swap = {logits: LOGP + LSE, idx.summed: LOGP_SUMMED + LSE, idx.column: LOGP_COLUMN + LSE}
    out = sp.expand(expr.xreplace(swap), power_exp=False, power_base=False, log=False)
    out = sp.expand(_class_sum_linear(out, {idx.summed, LOGP_SUMMED} | _summed(entry)), power_exp=False, log=False)
    if LSE in out.free_symbols or out.free_symbols & {logits, idx.summed, idx.column}:
        return None
    probs = {LOGP: PROB, LOGP_COLUMN: PROB_COLUMN}

    def exp_of_logp(e) -> bool:
        return isinstance(e, sp.exp) and all(t.as_coeff_Mul()[1] in probs for t in sp.Add.make_args(e.args[0]))

    def product(e):
        return sp.Mul(*[probs[t.as_coeff_Mul()[1]] ** t.as_coeff_Mul()[0] for t in sp.Add.make_args(e.args[0])])

    out = sp.factor_terms(out.replace(exp_of_logp, product))
    out = out.replace(lambda e: e == 1 - PROB, lambda e: COMPLEMENT)
    out = sp.factor_terms(out.xreplace({LOGP: 2 * HALF, LOGP_SUMMED: 2 * HALF_SUMMED, LOGP_COLUMN: 2 * HALF_COLUMN}))
    logps = (HALF, HALF_SUMMED, HALF_COLUMN)

    def weighted(e) -> bool:
        return (
            isinstance(e, sp.Mul)
            and any(f in logps for f in e.args)
            and any(not f.is_number and f not in logps for f in e.args)
        )

    def guard(e):
        (lp,) = [f for f in e.args if f in logps][:1]
        c = sp.Mul(*[f for f in e.args if f is not lp and not f.is_number])
        return e.xreplace({lp: zero_safe(lp, c, sp.S.Zero)})

    return _prediction_minus_target(out.replace(weighted, guard))


def _prediction_minus_target(expr: sp.Expr) -> sp.Expr:
    """p·S − y → −q·S + (S − y) where y > S/2 (p·S − y as it is elsewhere)."""

    def parts(e) -> tuple[sp.Expr, sp.Symbol] | None:
        if not isinstance(e, sp.Add) or len(e.args) != 2:
            return None
        ys = [a for a in e.args if isinstance(-a, sp.Symbol)]
        ps = [a for a in e.args if isinstance(a, sp.Mul) and PROB in a.args]
        if len(ys) == 1 and len(ps) == 1:
            return ps[0] / PROB, -ys[0]
        return None

    def rewrite(e):
        scale, y = parts(e)
        return sp.Piecewise((-COMPLEMENT * scale + grouped(scale - y), y > scale / 2), (e, True))

    return expr.replace(lambda e: parts(e) is not None, rewrite)


def _summed(entry: Entry) -> set[sp.Symbol]:
    return {index_symbols(b).summed for b in entry.components}


def _vector_body(expr: sp.Expr, entry: Entry, names: dict[sp.Symbol, str], temporaries: str = "_t") -> Body:
    """A vector entry's expression printed in ½ log p, p, q where LSE cancels, else with LSE."""
    form = softmax_form(expr, entry)
    if form is None:
        return _catalogue_body(stabilise(expr), names, temporaries)
    parts = {HALF: "half_log_p", PROB: "p", COMPLEMENT: "one_minus_p", HALF_SUMMED: "half_log_p"}
    return _catalogue_body(
        stabilise(form), {PROB_COLUMN: "p_col", HALF_COLUMN: "half_log_p_col", **parts, **names}, temporaries
    )


SOFTMAX_PARTS = "half_log_p, p, one_minus_p = _softmax_parts(logits)"
SOFTMAX_NAMES = {f"{a}{b}" for a in ("half_log_p", "p", "one_minus_p") for b in ("", "_row", "_col")}
# A gradient p·Σy − y is computed in extended precision (numpy.longdouble: 64-bit significand on x86-64),
# then rounded once to the arguments' type: the cancellation p − y for p close to a soft target y amplifies
# the error of p by p/|p − y| (13 ULP in double at logits (1, 2, 3), targets (.25, .25, .5)).
EXTENDED = ("_float = numpy.result_type(logits, target)", "logits, target = extended(logits), extended(target)")


def _vector_preamble(entry: Entry, used: frozenset[str], jacobian: bool) -> list[str]:
    """The lines that compute the names ``used``: the softmax parts, or _lse (log-sum-exp)."""
    out = [SOFTMAX_PARTS] if used & SOFTMAX_NAMES else []
    if "lse" in used:
        out += _lse_line(entry, jacobian)
    return out


@dataclass(frozen=True)
class EntryFunctions:
    """The printed source of an entry's ``name`` and ``name_grad``."""

    value: str
    gradient: str
    softmax_parts: bool  # they call the module's helper _softmax_parts


def entry_functions(entry: Entry) -> EntryFunctions:
    """Source of ``name`` and ``name_grad`` for one entry."""
    form = index_form(entry)
    wrt = entry.wrt
    f_latex = latex(form.definition, indexed=entry.is_vector)

    if entry.kind == ELEMENTWISE:
        value = _catalogue_body(stabilise(form.definition), {})
        value_body = value.returning()
        grad_body = _catalogue_body(stabilise(form.gradient), {}).returning()
        g_latex = latex(form.gradient)
        shape = "Elementwise: arguments broadcast; the result has their broadcast shape."
        value_pre = grad_pre = []
    elif entry.kind == VECTOR_LOSS:
        value = _vector_body(form.definition, entry, _array_names(entry))
        value_body = [*value.lines, f"return ({value.value})[..., 0]"]
        g = form.gradient
        grad = _vector_body(g, entry, _array_names(entry))
        grad_body = grad.returning()
        g_latex = latex(g, indexed=True)
        shape = "Over the last axis (the K classes): the loss has shape (...,), its gradient (..., K)."
        value_pre = _vector_preamble(entry, value.names, jacobian=False)
        grad_pre = _vector_preamble(entry, grad.names, jacobian=False)
        if {"p", "one_minus_p"} <= grad.names:  # p·Σy − y: the subtraction cancels where p is close to a soft target y
            grad_pre = [*EXTENDED, *grad_pre]
    else:  # VECTOR_MAP
        value = _vector_body(form.definition, entry, {})
        value_body = value.returning()
        diag, off = form.gradient, form.off_diagonal
        col = index_symbols(wrt).column
        names = {wrt: "z_row", col: "z_col", HALF: "half_log_p_row", PROB: "p_row", COMPLEMENT: "one_minus_p_row"}
        diag_body = _vector_body(diag, entry, names, temporaries="_d")
        off_body = _vector_body(off, entry, names, temporaries="_o")
        used = diag_body.names | off_body.names
        views = [
            f"{name} = {array}[..., {where}]"
            for name, array, where in (
                ("z_row", wrt.name, ":, None"),
                ("z_col", wrt.name, "None, :"),
                *[(f"{a}_row", a, ":, None") for a in ("half_log_p", "p", "one_minus_p")],
                *[(f"{a}_col", a, "None, :") for a in ("half_log_p", "p", "one_minus_p")],
            )
            if name in used
        ]
        grad_body = views + diag_body.assigning("diagonal") + off_body.assigning("off_diagonal")
        grad_body.append(f"return numpy.where(numpy.eye({wrt.name}.shape[-1], dtype=bool), diagonal, off_diagonal)")
        g_latex = (
            r"\frac{\partial f_i}{\partial z_j} = \begin{cases} "
            + latex(diag, indexed=True)
            + r" & i = j \\ "
            + latex(off, indexed=True)
            + r" & i \neq j \end{cases}"
        )
        shape = "Over the last axis: the value has shape (..., K), the gradient is the Jacobian (..., K, K)."
        value_pre = _vector_preamble(entry, value.names, jacobian=False)
        grad_pre = _vector_preamble(entry, used, jacobian=True)

    args = signature(entry.args, entry.params)
    names = [a.name for a in entry.args if a not in entry.params]
    arrays = casts([a for a in entry.args if a not in entry.params]) + convention_checks(entry, names)
    value_body = keeping_float(value_body, names)
    grad_body = keeping_float(grad_body, ["_float"] if EXTENDED[0] in grad_pre else names)
    lhs = "f" if entry.group == "activation" else "L"
    value_doc = _docstring(entry, f"{entry.title}.", f"{lhs} = {f_latex}", shape)
    dlabel = rf"\frac{{\partial {lhs}}}{{\partial {latex(wrt)}}} = " if entry.kind != VECTOR_MAP else ""
    grad_doc = _docstring(entry, f"Gradient of {entry.name} with respect to {wrt.name}.", dlabel + g_latex, shape)
    return EntryFunctions(
        function_source(entry.name, args, value_doc, arrays + value_pre + value_body),
        function_source(f"{entry.name}_grad", args, grad_doc, arrays + grad_pre + grad_body),
        softmax_parts=SOFTMAX_PARTS in value_pre + grad_pre,
    )


def generate_module() -> str:
    """The whole of ``numeric/_generated/catalogue.py`` as text (deterministic)."""
    printed = {entry.name: entry_functions(entry) for entry in entries()}
    table = [
        {
            "name": repr(entry.name),
            "function": entry.name,
            "gradient": f"{entry.name}_grad",
            "group": repr(entry.group),
            "kind": repr(entry.kind),
            "parameters": repr(tuple(p.name for p in entry.params)),
            "init": repr(entry.init),
        }
        for entry in entries()
    ]
    return render(
        "catalogue.py.j2",
        title="NumPy functions generated from the nnmath catalogue",
        softmax_parts=any(p.softmax_parts for p in printed.values()),
        sources=[src for p in printed.values() for src in (p.value, p.gradient)],
        table=table,
        names=[name for entry in entries() for name in (entry.name, f"{entry.name}_grad")],
    )


# --- Modules on disk ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedModule:
    """A module of ``numeric/_generated/``: its file name and the function that prints its text from a derivation.

    Every topic lists its generated modules (:attr:`nnmath.topics.base.Topic.generated`); ``nnmath generate``
    writes them and a test proves each committed file equals what its derivation prints today.
    """

    file: str
    text: Callable[[], str]

    @property
    def path(self) -> Path:
        return GENERATED / self.file

    @cached_property
    def source(self) -> str:
        """The text the derivation prints today (printed once)."""
        return self.text()

    def names(self) -> list[str]:
        """The module's public names: its ``__all__``, read from the printed text."""
        for node in ast.parse(self.source).body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
                return list(ast.literal_eval(node.value))
        raise ValueError(f"{self.file} has no __all__")

    def is_current(self) -> bool:
        """True when the committed file holds exactly what the derivation prints today."""
        return self.path.exists() and self.path.read_text() == self.source

    def write(self) -> bool:
        """Write the module atomically; True if its bytes changed."""
        if self.is_current():
            return False
        tmp = self.path.with_suffix(".py.tmp")
        tmp.write_text(self.source)
        tmp.replace(self.path)
        return True


CATALOGUE_MODULE = GeneratedModule("catalogue.py", lambda: generate_module())


def package_module(modules: Sequence[GeneratedModule]) -> GeneratedModule:
    """``numeric/_generated/__init__.py``: every public name of ``modules``, imported and listed in ``__all__``.

    ``numeric`` re-exports them; the caller passes the modules (``nnmath.topics.generated_modules()``).
    """

    def text() -> str:
        listed = sorted(modules, key=lambda m: m.file)
        return render(
            "package.py.j2",
            title="The public names of every generated module, re-exported by ``numeric``",
            modules=[{"name": Path(m.file).stem, "names": _isort(m.names())} for m in listed],
            sources=[],
            names=[n for m in modules for n in m.names()],
        )

    return GeneratedModule("__init__.py", text)


def _isort(names: Sequence[str]) -> list[str]:
    """Names in the order of an import list sorted by ruff (isort): constants, classes, then the rest."""

    def kind(n: str) -> int:
        return 0 if n.isupper() else 1 if n[:1].isupper() else 2

    return sorted(names, key=lambda n: (kind(n), n))


def stale_modules(modules: Sequence[GeneratedModule]) -> list[Path]:
    """The generated modules whose committed text differs from what the derivation generates."""
    return [m.path for m in modules if not m.is_current()]


def write_modules(modules: Sequence[GeneratedModule]) -> list[Path]:
    """Regenerate every generated module; the ones that changed."""
    return [m.path for m in modules if m.write()]


__all__ = [
    "Body",
    "printed_body",
    "signature",
    "casts",
    "function_source",
    "expression_function",
    "matrix_function",
    "module_text",
    "render",
    "lower",
    "softmax_form",
    "entry_functions",
    "EntryFunctions",
    "generate_module",
    "GeneratedModule",
    "CATALOGUE_MODULE",
    "package_module",
    "write_modules",
    "stale_modules",
    "LSE",
]
