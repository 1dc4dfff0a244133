r"""The textbook presentation layer: maths printed the way a textbook writes it, for every output.

The rules are printer code, never typed strings:

* **terms** in the order people write them (:func:`term_order`): positive terms first (``a - y``,
  ``1 - \sigma(z)``, ``W - \eta \frac{\partial C}{\partial W}``), the term of the variable of interest first
  (``w x + b``, ``x + h``), a bias or step (``b``, ``h``) and a constant last (``\lfloor … \rfloor + 1``);
* **factors** (:func:`factor_order`): a number first, then symbols and functions, a bracketed sum last
  (``\sigma(z) (1 - \sigma(z))``, ``2 (a - y)``);
* a product kept unevaluated (``Mul(..., evaluate=False)`` of factors that are themselves products or
  derivatives) is the chain rule's product of factors, written with ``\cdot`` between them;
* **named intermediates** (:func:`named`): sub-expressions replaced by their names (z, a, σ(z), p) before
  printing, with the names listed by :func:`where` ("where z = w x + b");
* an **update** ``W \leftarrow W - \eta \frac{\partial C}{\partial W}`` (:class:`Update`).

:class:`TextbookLatexPrinter` (a :class:`~derive.printing.latex.CourseLatexPrinter` with these rules) is the LaTeX
printer of every shown formula (site, handouts, notebooks, ``nnmath derive --latex``);
:class:`TextbookPrettyPrinter` applies the same rules to SymPy's Unicode/ASCII pretty printer for the terminal.
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_use_unicode
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from derive.calculus.functions import CUSTOM_FUNCTIONS
from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.printing.latex import CourseLatexPrinter, vector_names
from derive.symbols import LATEX_NAMES

# Symbols whose terms come first (the variable of interest) and last (a bias, a step), by SymPy name.
LEAD = frozenset({"x", "w", "W", "a", "N"})
TRAIL = frozenset({"b", "h", "bias"})


class Update(sp.Basic):
    r"""``lhs ← rhs``: an update rule, printed ``W \leftarrow W - \eta \frac{\partial C}{\partial W}``."""

    @property
    def lhs(self) -> sp.Basic:
        return self.args[0]

    @property
    def rhs(self) -> sp.Basic:
        return self.args[1]


def _names(expr: sp.Basic) -> set[str]:
    return {s.name for s in expr.free_symbols if isinstance(s, sp.Symbol)}


def _saturating(term: sp.Basic) -> bool:
    """A term a constant is written before: a function value such as eˣ, σ(x), |x|, tanh u (not ⌊…⌋)."""
    body = -term if term.could_extract_minus_sign() else term
    if isinstance(body, sp.Mul):
        body = body.as_coeff_Mul()[1]
    if isinstance(body, sp.Pow) and body.base == sp.E:
        return True
    return isinstance(body, sp.Function) and not isinstance(body, sp.floor | sp.ceiling)


def _body(term: sp.Basic) -> sp.Basic:
    """``term`` without its sign and numeric coefficient: -2 log(u) → log(u)."""
    body = -term if term.could_extract_minus_sign() else term
    return body.as_coeff_Mul()[1] if isinstance(body, sp.Mul) else body


def _late(term: sp.Basic) -> int:
    """How late a term comes among terms otherwise alike: −1 for the value alone of one of the course's named
    functions (Φ(x) + x φ(x)), 0, 1 for a product with a bracketed sum or a max (β m + (1 - β) g), 2 for a
    logarithm (max(0, x) + log(1 + e^{-|x|}), m + log Σ …)."""
    if isinstance(term, CUSTOM_FUNCTIONS):
        return -1
    body = _body(term)
    if isinstance(body, sp.log):
        return 2
    bracketed = isinstance(body, sp.Mul) and any(isinstance(f, sp.Add) for f in body.args)
    return 1 if bracketed or isinstance(body, sp.Max | sp.Min) else 0


def term_order(term: sp.Basic, constant_first: bool = False) -> tuple[bool, bool, bool, bool, int]:
    """Sort key of a term of a sum: positive before negative, then the variable of interest first, a bias or a
    step (b, h) after it and a constant last (first with ``constant_first``: 1 + e^{-x}, 1 - σ(x)); among the
    rest by :func:`_late` (β m + (1 - β) g, max(0, x) + log(1 + e^{-|x|}))."""
    names = _names(term)
    return (
        bool(term.could_extract_minus_sign()),
        bool(term.is_number) != constant_first,
        bool(names) and names <= TRAIL,
        not names & LEAD,
        _late(term),
    )


def factor_order(factor: sp.Basic, others: frozenset = frozenset()) -> int:
    """Sort key of a factor of a product: a number; a coefficient 1 − β that shares no symbol with the other
    factors ((1 - β) g, (1 - η λ) w); symbols, powers and sums of them ((1 - y) log(1 - p)); functions (y log p,
    x σ(x)); a derivative still to take (e^{z_1} ∂/∂z_2 …); a sum that involves the other factors (p (1 - p),
    σ(z) (1 - σ(z)), x (σ(z) - y))."""
    if factor.is_number:
        return 0
    if isinstance(factor, sp.Add):
        coefficient = any(t.is_number for t in factor.args) and not (factor.free_symbols & others)
        if coefficient and not factor.has(sp.Function):
            return 1
        return 5 if factor.has(sp.Function) or factor.free_symbols & others else 2
    if isinstance(factor, sp.Derivative):
        return 4
    return 3 if isinstance(factor, sp.Function) else 2


def ordered_terms(terms: list[sp.Basic]) -> list[sp.Basic]:
    """``terms`` in textbook order (:func:`term_order`), stable over the order they come in; a constant goes
    before function values (1 + e^{-x}, 1 + |x|) and after anything else (w x + 1, ⌊…⌋ + 1)."""
    others = [t for t in terms if not t.is_number]
    constant_first = bool(others) and all(_saturating(t) for t in others)
    return sorted(terms, key=lambda t: term_order(t, constant_first))


def ordered_factors(factors: list[sp.Basic]) -> list[sp.Basic]:
    """``factors`` in textbook order (:func:`factor_order`), stable over the order they come in."""

    def others(f: sp.Basic) -> frozenset:
        return frozenset().union(*(g.free_symbols for g in factors if g is not f))

    return sorted(factors, key=lambda f: factor_order(f, others(f)))


def is_chain_product(expr: sp.Basic) -> bool:
    """True for the chain rule's product of factors: two derivatives or more (∂L/∂a ∂a/∂z), or a product kept
    unevaluated whose factors are products or derivatives (2 (a − y) · σ(z)(1 − σ(z)) · x)."""
    if not isinstance(expr, sp.Mul) or len(expr.args) < 2:
        return False
    if sum(isinstance(a, sp.Derivative) for a in expr.args) >= 2:  # ∂L/∂a · ∂a/∂z · ∂z/∂w
        return True
    evaluated = sp.Mul(*expr.args)
    return evaluated.args != expr.args and any(isinstance(a, sp.Mul | sp.Derivative) for a in expr.args)


def absorb_minus(expr: sp.Mul) -> sp.Mul | None:
    """A negative product with one bracketed difference, the minus taken into it: -2 (y - a) → 2 (a - y)
    (unevaluated); ``None`` when there is nothing to absorb."""
    if is_chain_product(expr) or not expr.could_extract_minus_sign():
        return None
    sums = [f for f in expr.args if isinstance(f, sp.Add)]
    if len(sums) != 1 or sp.fraction(expr, exact=True)[1] != 1:
        return None
    (diff,) = sums
    if not any(t.could_extract_minus_sign() for t in diff.args) or all(t.could_extract_minus_sign() for t in diff.args):
        return None
    rest = [f for f in expr.args if f is not diff]
    coeff = -sp.Mul(*rest)
    flipped = sp.Add(*[-t for t in diff.args])
    return sp.Mul(*ordered_factors([*sp.Mul.make_args(coeff), flipped]), evaluate=False)


def named(expr: sp.Basic, names: dict[sp.Basic, sp.Basic]) -> sp.Basic:
    """``expr`` with each sub-expression of ``names`` written by its name ({σ(w x + b): a, w x + b: z} → a, z)."""
    for long, short in names.items():
        expr = expr.xreplace({long: short})
    return expr


def _is_name(expr: sp.Basic) -> bool:
    """A symbol or an indexed symbol: a quantity with a name (C, L, a, p_k), whose derivative is written ∂C/∂W."""
    return isinstance(expr, sp.Symbol | sp.Indexed)


class TextbookLatexPrinter(CourseLatexPrinter):
    r"""The course printer with the textbook rules of this module (see the module docstring).

    With ``order="none"`` the terms keep the order they were written in (no reordering).
    """

    def _as_ordered_terms(self, expr: sp.Basic, order: str | None = None) -> list[sp.Basic]:
        terms = super()._as_ordered_terms(expr, order=order)
        if (order or self.order) == "none":
            return terms
        return ordered_terms(terms)

    def _print_Mul(self, expr: sp.Mul) -> str:
        if is_chain_product(expr):
            return r" \cdot ".join(self._chain_factor(a) for a in expr.args)
        flipped = absorb_minus(expr)
        if flipped is not None:
            return self._print_Mul(flipped)
        if expr.could_extract_minus_sign():
            rest = -expr
            text = self._print(rest)
            return "- " + (rf"\left({text}\right)" if isinstance(rest, sp.Add) else text)
        _, denominator = sp.fraction(expr, exact=True)
        if denominator != 1 or self.order == "none":
            return super()._print_Mul(expr)
        factors = ordered_factors(list(expr.as_ordered_factors()))
        parts = []
        for i, f in enumerate(factors):
            text = self._print(f)
            if self._needs_mul_brackets(f, first=i == 0, last=i == len(factors) - 1):
                text = rf"\left({text}\right)"
            if parts and factors[i - 1].is_number and isinstance(f, sp.Number):  # 2 \cdot 3, but 2 \sqrt{2}
                parts.append(r"\cdot")
            parts.append(text)
        return " ".join(parts)

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        """∂C/∂W for the derivative of a named quantity (a symbol); SymPy's d/dx (…) for an expression."""
        f = expr.expr
        if len(expr.variable_count) == 1 and expr.variable_count[0][1] == 1 and _is_name(f):
            top = self._print(f)
            return rf"\frac{{\partial {top}}}{{\partial {self._print(expr.variables[0])}}}"
        return super()._print_Derivative(expr)

    def _chain_factor(self, factor: sp.Basic) -> str:
        text = self._print(factor)
        return rf"\left({text}\right)" if isinstance(factor, sp.Add) else text

    def _print_Update(self, expr: Update) -> str:
        return self._print(expr.lhs) + r" \leftarrow " + self._print(expr.rhs)

    def _print_ShownDecimal(self, expr: sp.Float) -> str:
        """A rounded decimal with the places it was rounded to: 0.593270, not 0.59327."""
        text = getattr(expr, "text", None)
        return text if text is not None else self._print_Float(expr)


def latex(expr: sp.Basic, indexed: bool = False, **settings) -> str:
    """LaTeX of ``expr`` in textbook form; ``indexed=True`` writes vector symbols with index i."""
    return TextbookLatexPrinter({"indexed": indexed, **settings}).doprint(expr)


def matrix_latex(expr: sp.Basic, names: dict[sp.Basic, str] | None = None, order: str = "rev-lex") -> str:
    r"""LaTeX of a formula with matrices in written order (``A w - b``), the transpose as ``\top``, in textbook form."""
    settings = {"order": order, "names": names, "written_order": True, "transpose": r"\top"}
    return TextbookLatexPrinter(settings).doprint(expr)


def update(lhs: sp.Basic, rhs: sp.Basic) -> Update:
    """The update ``lhs ← rhs`` (an :class:`Update`)."""
    return Update(sp.sympify(lhs), sp.sympify(rhs))


def where(names: dict[sp.Basic, sp.Basic], indexed: bool = False) -> str:
    r"""``\text{where } a = \sigma(z),\ z = w x + b``: the named intermediates, ``names`` as {name: value}."""
    parts = [latex(name, indexed) + " = " + latex(value, indexed) for name, value in names.items()]
    return r"\text{where } " + r",\ ".join(parts)


# --- The terminal: SymPy's pretty printer with the same rules ---------------------------------------------------

# The course's function classes by the letter the pages use (Unicode, ASCII).
_PRETTY_FUNCTIONS = {
    "sigmoid": ("σ", "sigma"),
    "normal_cdf": ("Φ", "Phi"),
    "normal_pdf": ("φ", "phi"),
    "logsumexp": ("LSE", "LSE"),
}
_PLAIN = {"pred": "yhat", "target": "y", "prob": "p", "logits": "z", "lam": "lambda"}


def _pretty_name(symbol: sp.Symbol, indexed: bool) -> str:
    if symbol == LSE:
        return "LSE(z)"
    if m := re.fullmatch(r"(logits|target|prob)(\d+)", symbol.name):  # a component: z_1
        return f"{_PLAIN[m[1]]}_{m[2]}"
    for base in LATEX_NAMES:
        plain = _PLAIN.get(base.name, base.name)
        idx = index_symbols(base)
        if symbol == base:
            vector = base.name in ("logits", "target", "prob")
            return f"{plain}_i" if indexed and vector else plain
        if symbol == idx.summed:
            return f"{plain}_k"
        if symbol == idx.column:
            return f"{plain}_j"
    return _PLAIN.get(symbol.name, symbol.name)


class TextbookPrettyPrinter(PrettyPrinter):
    """SymPy's pretty printer (Unicode or ASCII) with the textbook order of terms and factors and the course's
    symbol names (``z_i``, ``ŷ``, ``Σ_k``); setting ``indexed`` as for the LaTeX printer."""

    _default_settings = {**PrettyPrinter._default_settings, "indexed": False}

    def _as_ordered_terms(self, expr: sp.Basic, order: str | None = None) -> list[sp.Basic]:
        terms = super()._as_ordered_terms(expr, order=order)
        return terms if (order or self.order) == "none" else ordered_terms(terms)

    def _print_Symbol(self, expr: sp.Symbol, bold_name: bool = False) -> prettyForm:
        name = _pretty_name(expr, self._settings["indexed"])
        return super()._print_Symbol(sp.Symbol(name), bold_name)

    def _print_Mul(self, product: sp.Mul) -> prettyForm:
        if is_chain_product(product):
            parts = [self._print(a) for a in product.args]
            parts = [prettyForm(*p.parens()) if isinstance(a, sp.Add) else p for a, p in zip(product.args, parts)]
            dot = " · " if self._use_unicode else " * "
            out = parts[0]
            for p in parts[1:]:
                out = prettyForm(*stringPict.next(out, dot, p))
            return out
        flipped = absorb_minus(product)
        if flipped is not None:
            return self._print_Mul(flipped)
        if product.could_extract_minus_sign():
            rest = -product
            form = self._print(rest)
            if isinstance(rest, sp.Add):
                form = prettyForm(*form.parens())
            return prettyForm(*stringPict.next("-", form), binding=prettyForm.NEG)
        if self.order == "none" or sp.fraction(product, exact=True)[1] != 1:
            return super()._print_Mul(product)
        factors = ordered_factors(list(product.as_ordered_factors()))
        forms = [self._print(f) for f in factors]
        return prettyForm.__mul__(*forms)  # brackets around a sum are added here

    def _print_Function(self, e: sp.Function, sort: bool = False, func_name: str | None = None) -> prettyForm:
        name = _PRETTY_FUNCTIONS.get(type(e).__name__)
        if name is not None:
            func_name = name[0] if self._use_unicode else name[1]
        return super()._print_Function(e, sort=sort, func_name=func_name)

    def _print_Derivative(self, deriv: sp.Derivative) -> prettyForm:
        f = deriv.expr
        if len(deriv.variable_count) == 1 and deriv.variable_count[0][1] == 1 and _is_name(f):
            top = f
            d = "∂" if self._use_unicode else "d"
            num = prettyForm(*stringPict.next(d, self._print(top)))
            den = prettyForm(*stringPict.next(d, self._print(deriv.variables[0])))
            return prettyForm.__truediv__(num, den)
        return super()._print_Derivative(deriv)

    def _print_Indexed(self, expr: sp.Indexed) -> prettyForm:
        indices = "".join(str(i) for i in expr.indices)
        return self._print(sp.Symbol(f"{expr.base.label}_{indices}"))

    def _print_ClassSum(self, expr: ClassSum) -> prettyForm:
        k, n = sp.symbols("k K")
        return self._print(sp.Sum(expr.args[0], (k, 1, n)))

    def _print_Update(self, expr: Update) -> prettyForm:
        arrow = " ← " if self._use_unicode else " <- "
        return prettyForm(*stringPict.next(self._print(expr.lhs), arrow, self._print(expr.rhs)))


def pretty(expr: sp.Basic, unicode: bool = True, indexed: bool = False) -> str:
    """``expr`` drawn over several lines by SymPy's pretty printer in textbook form (Unicode, or ASCII)."""
    return pretty_relation("", expr, unicode, indexed)


def pretty_relation(lhs: str, expr: sp.Basic, unicode: bool = True, indexed: bool = False) -> str:
    """``lhs expr`` with the text ``lhs`` (``"="``, ``"f(x) ="``) on the baseline of the drawn ``expr``."""
    printer = TextbookPrettyPrinter({"use_unicode": unicode, "wrap_line": False, "indexed": indexed})
    previous = pretty_use_unicode(unicode)  # SymPy's drawing characters follow this global flag
    try:
        form = printer._print(expr)
        if lhs:
            form = prettyForm(*stringPict.next(lhs + " ", form))
        text = form.render(wrap_line=False)
    finally:
        pretty_use_unicode(previous)
    return "\n".join(line.rstrip() for line in text.split("\n"))


__all__ = [
    "LEAD",
    "TRAIL",
    "TextbookLatexPrinter",
    "TextbookPrettyPrinter",
    "Update",
    "is_chain_product",
    "latex",
    "matrix_latex",
    "named",
    "ordered_factors",
    "ordered_terms",
    "pretty",
    "pretty_relation",
    "update",
    "vector_names",
    "where",
]
