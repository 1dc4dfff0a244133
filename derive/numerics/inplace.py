r"""Elementwise formulas printed as in-place NumPy calls into preallocated buffers (``out=``).

The NumPy printer writes ``a*(1 - a)`` as one expression, and NumPy allocates a new array for every
operation in it.  A training step that runs thousands of times on small arrays spends much of its time
in those allocations.  :class:`InPlace` prints the same SymPy expression as a sequence of ufunc calls,
each writing into a buffer given by name::

    numpy.subtract(1, a, out=scratch)
    numpy.multiply(scratch, a, out=scratch)

The arithmetic is the expression's, operation for operation (SymPy's term order, scalars hoisted and
computed once), so the result equals the printed expression's to the last bit for +, −, ×, ÷.
Supported: array and scalar symbols, Add, Mul, Pow (integer exponents and ½), exp, log, tanh, Abs,
Max/Min with a scalar, a 0/1 ``Piecewise`` (printed as a comparison), and ``ClassSum`` (a sum over
the last axis into a (B, 1) buffer: ``numpy.add.reduce``, or the product with a vector of ones).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sympy as sp

from derive.calculus.vectorise import ClassSum
from derive.printing.numpy import NumPyCodePrinter

UFUNCS: dict[type, str] = {sp.exp: "numpy.exp", sp.log: "numpy.log", sp.tanh: "numpy.tanh", sp.Abs: "numpy.absolute"}
COMPARISONS: dict[type, str] = {
    sp.StrictGreaterThan: "numpy.greater",
    sp.GreaterThan: "numpy.greater_equal",
    sp.StrictLessThan: "numpy.less",
    sp.LessThan: "numpy.less_equal",
}


@dataclass
class InPlace:
    """Prints expressions over the arrays ``arrays`` (symbol → buffer name) as ``out=`` calls.

    ``scratch`` and ``row_scratch`` are spare buffers of the full (B, n) and the row (B, 1) shape;
    ``rows`` are the array symbols of row shape.  Scalar sub-expressions become ``_s0, _s1, …``
    (:attr:`scalars`), printed once before the calls.  :attr:`lines` collects ``(code, comment)``.
    """

    arrays: dict[sp.Symbol, str]
    scratch: Sequence[str] = ()
    row_scratch: Sequence[str] = ()
    rows: frozenset[sp.Symbol] = frozenset()
    scalar_names: dict[sp.Symbol, str] = field(default_factory=dict)
    lines: list[tuple[str, str]] = field(default_factory=list)
    scalars: list[tuple[str, sp.Expr]] = field(default_factory=list)
    comment: str = ""
    class_sum: tuple[str, dict[str, str]] | None = None  # (ones over the classes, row buffer -> its 1-D view)

    def __post_init__(self) -> None:
        self._printer = NumPyCodePrinter()

    # --- helpers -------------------------------------------------------------------------

    def _is_scalar(self, e: sp.Basic) -> bool:
        return not (e.free_symbols & set(self.arrays))

    def _is_row(self, e: sp.Basic) -> bool:
        if isinstance(e, ClassSum) or e in self.rows:
            return True
        arrays = e.free_symbols & set(self.arrays)
        return bool(arrays) and arrays <= self.rows

    def scalar(self, e: sp.Expr) -> str:
        """A scalar sub-expression: a number printed as is, a symbol by its name, the rest hoisted (``_sN``)."""
        if e.is_Number:
            return self._printer.doprint(e)
        if isinstance(e, sp.Symbol):
            return self.scalar_names.get(e, e.name)
        for name, value in self.scalars:
            if value == e:
                return name
        name = f"_s{len(self.scalars)}"
        self.scalars.append((name, e))
        return name

    def scalar_lines(self) -> list[str]:
        """``_sN = …`` for every hoisted scalar (a reciprocal as ``1/(…)``)."""
        printer = NumPyCodePrinter({"names": dict(self.scalar_names)}) if self.scalar_names else self._printer
        out = []
        for name, value in self.scalars:
            if isinstance(value, sp.Pow) and value.exp == -1:
                out.append(f"{name} = 1/({printer.doprint(value.base)})")
            else:
                out.append(f"{name} = {printer.doprint(value)}")
        return out

    def _emit(self, code: str) -> None:
        self.lines.append((code, self.comment))

    def _spare(self, row: bool, busy: set[str]) -> str:
        pool = self.row_scratch if row else self.scratch
        for name in pool:
            if name not in busy:
                return name
        raise ValueError(f"out of {'row ' if row else ''}scratch buffers ({list(pool)} busy)")

    def _operand(self, e: sp.Expr, busy: set[str]) -> tuple[str, set[str]]:
        """The name holding ``e``: an array's buffer, a scalar's text, or a spare buffer it is computed into."""
        if e in self.arrays:
            return self.arrays[e], busy
        if self._is_scalar(e):
            return self.scalar(e), busy
        spare = self._spare(self._is_row(e), busy)
        self.into(e, spare, busy | {spare})
        return spare, busy | {spare}

    # --- the printer ----------------------------------------------------------------------

    def into(self, e: sp.Expr, out: str, busy: set[str] | None = None) -> None:
        """Calls that leave the value of ``e`` in the buffer ``out``."""
        busy = set(busy or ()) | {out}
        if e in self.arrays:
            if self.arrays[e] != out:
                self._emit(f"numpy.copyto({out}, {self.arrays[e]})")
            return
        if self._is_scalar(e):
            self._emit(f"{out}.fill({self.scalar(e)})")
            return
        if isinstance(e, sp.Add):
            return self._add(e, out, busy)
        if isinstance(e, sp.Mul):
            return self._mul(e, out, busy)
        if isinstance(e, sp.Pow):
            return self._pow(e, out, busy)
        if type(e) in UFUNCS:
            arg, _ = self._operand_into(e.args[0], out, busy)
            return self._emit(f"{UFUNCS[type(e)]}({arg}, out={out})")
        if isinstance(e, (sp.Max, sp.Min)):
            return self._extremum(e, out, busy)
        if isinstance(e, ClassSum):
            arg, _ = self._operand(e.args[0], busy)
            if self.class_sum is not None:  # Σ_k u_k = u · 1: a matrix-vector product into the row's 1-D view
                ones, flat = self.class_sum
                return self._emit(f"numpy.dot({arg}, {ones}, out={flat[out]})")
            return self._emit(f"numpy.add.reduce({arg}, axis=-1, keepdims=True, out={out})")
        if isinstance(e, sp.Piecewise):
            return self._indicator(e, out, busy)
        raise ValueError(f"no in-place form for {type(e).__name__}: {e}")

    def _operand_into(self, e: sp.Expr, out: str, busy: set[str]) -> tuple[str, set[str]]:
        """Like :meth:`_operand`, but compute a compound ``e`` into ``out`` itself (for a unary call)."""
        if e in self.arrays or self._is_scalar(e):
            return self._operand(e, busy)
        self.into(e, out, busy)
        return out, busy

    def _add(self, e: sp.Add, out: str, busy: set[str]) -> None:
        constant = sp.Add(*[a for a in e.args if self._is_scalar(a)])
        terms = [a.as_coeff_Mul() for a in e.args if not self._is_scalar(a)]
        positive = [(c, u) for c, u in terms if c > 0]
        negative = [(-c, u) for c, u in terms if c < 0]
        if positive:
            c, u = positive.pop(0)
            if c == 1 and u in self.arrays and (positive or negative or constant != 0):
                if positive or negative:
                    op, (c2, u2) = ("add", positive.pop(0)) if positive else ("subtract", negative.pop(0))
                else:
                    op, (c2, u2) = "add", (constant, sp.S.One)
                if u2 == 1:
                    constant = sp.S.Zero
                right, _ = self._operand(c2 * u2, busy)
                self._emit(f"numpy.{op}({self.arrays[u]}, {right}, out={out})")
            else:
                self.into(c * u, out, busy)
        else:
            c, u = negative.pop(0)
            if constant != 0 and c == 1 and u in self.arrays:
                self._emit(f"numpy.subtract({self.scalar(constant)}, {self.arrays[u]}, out={out})")
                constant = sp.S.Zero
            else:
                self.into(c * u, out, busy)
                if constant != 0:
                    self._emit(f"numpy.subtract({self.scalar(constant)}, {out}, out={out})")
                    constant = sp.S.Zero
                else:
                    self._emit(f"numpy.negative({out}, out={out})")
        for op, group in (("add", positive), ("subtract", negative)):
            for c, u in group:
                name, _ = self._operand(c * u, busy)
                self._emit(f"numpy.{op}({out}, {name}, out={out})")
        if constant != 0:
            self._emit(f"numpy.add({out}, {self.scalar(constant)}, out={out})")

    def _mul(self, e: sp.Mul, out: str, busy: set[str]) -> None:
        coefficient = sp.Mul(*[a for a in e.args if self._is_scalar(a)])
        factors = [a for a in e.args if not self._is_scalar(a)]
        numerators = [f for f in factors if not (isinstance(f, sp.Pow) and f.exp.is_negative)]
        denominators = [f.base ** (-f.exp) for f in factors if isinstance(f, sp.Pow) and f.exp.is_negative]
        if not numerators:  # c / u
            self.into(sp.Mul(*denominators), out, busy)
            self._emit(f"numpy.divide({self.scalar(coefficient)}, {out}, out={out})")
            return
        # the factor already in ``out`` goes first, then compound factors (computed into ``out``), then arrays
        first, *rest = sorted(numerators, key=lambda f: 0 if self.arrays.get(f) == out else 1 + (f in self.arrays))
        if first in self.arrays and coefficient != 1:
            self._emit(f"numpy.multiply({self.arrays[first]}, {self.scalar(coefficient)}, out={out})")
            coefficient = sp.S.One
        elif first in self.arrays and self.arrays[first] != out and (rest or denominators):
            op, f = ("multiply", rest.pop(0)) if rest else ("divide", denominators.pop(0))
            name, _ = self._operand(f, busy)
            self._emit(f"numpy.{op}({self.arrays[first]}, {name}, out={out})")
        else:
            self.into(first, out, busy)
        for op, group in (("multiply", rest), ("divide", denominators)):
            for f in group:
                name, _ = self._operand(f, busy)
                self._emit(f"numpy.{op}({out}, {name}, out={out})")
        if coefficient == -1:
            self._emit(f"numpy.negative({out}, out={out})")
        elif coefficient != 1:
            self._emit(f"numpy.multiply({out}, {self.scalar(coefficient)}, out={out})")

    def _pow(self, e: sp.Pow, out: str, busy: set[str]) -> None:
        base, exp = e.args
        name, _ = self._operand_into(base, out, busy)
        if exp == 2:
            self._emit(f"numpy.square({name}, out={out})")
        elif exp == sp.S.Half:
            self._emit(f"numpy.sqrt({name}, out={out})")
        elif exp == -1:
            self._emit(f"numpy.divide(1, {name}, out={out})")
        elif exp.is_Integer:
            self._emit(f"numpy.power({name}, {exp}, out={out})")
        else:
            raise ValueError(f"no in-place form for the power {e}")

    def _extremum(self, e: sp.Basic, out: str, busy: set[str]) -> None:
        scalars = [a for a in e.args if self._is_scalar(a)]
        arrays = [a for a in e.args if not self._is_scalar(a)]
        if len(arrays) != 1 or len(scalars) != 1:
            raise ValueError(f"no in-place form for {e}: one array and one scalar argument expected")
        name, _ = self._operand_into(arrays[0], out, busy)
        func = "numpy.maximum" if isinstance(e, sp.Max) else "numpy.minimum"
        self._emit(f"{func}({name}, {self.scalar(scalars[0])}, out={out})")

    def _indicator(self, e: sp.Piecewise, out: str, busy: set[str]) -> None:
        """``Piecewise((1, u > c), (0, True))`` as the comparison written into a float buffer (True = 1)."""
        (one, cond), (zero, _) = e.args if len(e.args) == 2 else (e.args[0], (None, None))
        if one != 1 or zero != 0 or type(cond) not in COMPARISONS:
            raise ValueError(f"no in-place form for {e}: a 0/1 indicator of a comparison expected")
        left, _ = self._operand(cond.lhs, busy)
        right, _ = self._operand(cond.rhs, busy)
        self._emit(f"{COMPARISONS[type(cond)]}({left}, {right}, out={out})")


def separate_update(target: sp.Symbol, expr: sp.Expr, arrays: set[sp.Symbol]) -> tuple[sp.Expr, sp.Expr]:
    """(c, rest) with ``expr = c·target + rest``, c free of the ``arrays`` and rest free of ``target``."""
    coefficient = sp.diff(expr, target)
    if coefficient.free_symbols & arrays:
        raise ValueError(f"update of {target} is not c·{target} + rest with scalar c: {expr}")
    rest = expr - coefficient * target
    if target in rest.free_symbols:
        rest = sp.expand(rest)
    if target in rest.free_symbols:
        raise ValueError(f"could not separate {target} in {expr}")
    return coefficient, rest


def update_lines(
    program: InPlace,
    updates: Sequence[tuple[sp.Symbol, sp.Expr]],
    comment: Callable[[sp.Symbol, sp.Expr], str],
    axpy: str | None = None,
) -> None:
    """Each update ``target ← c·target + rest`` (c free of arrays) as ``target *= c; target += rest``.

    ``rest`` is computed into a scratch buffer.  With ``axpy`` (the name of BLAS ``axpy(x, y, a=…)``, which
    computes y ← y + a·x in place in one pass) a ``rest = s·u`` with a scalar s ≠ 1 is added as
    ``axpy(u, target, a=s)`` instead of a multiplication and an addition.  Later updates see the targets
    updated before them, as the rules are written.
    """
    for target, expr in updates:
        program.comment = comment(target, expr)
        coefficient, rest = separate_update(target, expr, set(program.arrays))
        name = program.arrays[target]
        if coefficient != 1:
            program._emit(f"numpy.multiply({name}, {program.scalar(coefficient)}, out={name})")
        scale, core = rest.as_independent(*program.arrays, as_Add=False)
        if axpy is not None and scale != 1:
            operand, _ = program._operand(core, {name})
            program._emit(f"{axpy}({operand}, {name}, a={program.scalar(scale)})")
        else:
            operand, _ = program._operand(rest, {name})
            program._emit(f"numpy.add({name}, {operand}, out={name})")
