"""Array programs: formulas over whole arrays, written once as index formulas, evaluated exactly and printed.

A convolution, its gradients and pooling are *programs*: a few definitions
``Let(target, value)`` in order, each either

* an :class:`IndexFormula` ``target[n, c, u, v] = expr``, where ``expr`` is a sum of terms, each a
  product of array elements (``sp.Indexed``) and numbers, summed over indices (``sp.Sum``),
  maximised over a window (:class:`WindowMax`) or scattered (a sum whose factors include
  ``KroneckerDelta(u, s*i + k)``).  Array indices are affine in the index symbols: ``i`` (one
  axis), ``s*i + k`` (a window of width K moved s at a time: im2col), ``K - 1 - k`` (a flipped axis);
* an array operation with an element formula: zero padding (:class:`Padded`), spreading the
  entries out with zeros between and around them (:class:`Spread`: dilation and padding in one),
  cropping (:class:`Cropped`), the first maximum of every window (:class:`FirstMaxMask`).

The same program is evaluated exactly at small concrete sizes (:func:`evaluate`: every element a
SymPy expression — that is how ``sp.diff`` of the definition checks it), its element formulas are
used in the proofs for arbitrary sizes (:func:`element`), and it is printed to vectorised NumPy by
:mod:`derive.printing.array_numpy`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.concrete.expr_with_limits import ExprWithLimits


class WindowMax(ExprWithLimits):
    r"""``WindowMax(f, (k, 0, K - 1), ...)``: the maximum of ``f`` over the index ranges (a max-pooling window)."""

    __slots__ = ()

    def doit(self, **hints):
        values = [self.function]
        for var, lo, hi in self.limits:
            values = [v.xreplace({var: sp.Integer(x)}) for v in values for x in range(int(lo), int(hi) + 1)]
        return sp.Max(*values)

    def _latex(self, printer) -> str:
        names = ",".join(printer._print(lim[0]) for lim in self.limits)
        return rf"\max_{{{names}}} " + printer.parenthesize(self.function, 1000, strict=True)


@dataclass(frozen=True)
class IndexFormula:
    """``target[indices] = expr`` for every index in the target's shape."""

    indices: tuple[sp.Symbol, ...]
    expr: sp.Expr


@dataclass(frozen=True)
class Padded:
    """The source with ``widths[a] = (before, after)`` entries of ``fill`` around each of its trailing axes."""

    source: sp.IndexedBase
    widths: tuple[tuple[sp.Expr, sp.Expr], ...]
    fill: sp.Expr = sp.S.Zero


@dataclass(frozen=True)
class Spread:
    """Trailing axes spread out: ``out[..., m] = Σ_i source[..., i] δ(m, s·i + offset)``, zeros elsewhere.

    Stride s inserts s − 1 zeros between the entries (dilation), the offset puts zeros in front,
    and ``lengths`` fixes the size (zeros at the end).  ``positions`` name the summed index i.
    """

    source: sp.IndexedBase
    strides: tuple[sp.Expr, ...]
    offsets: tuple[sp.Expr, ...]
    positions: tuple[sp.Symbol, ...]


@dataclass(frozen=True)
class Cropped:
    """``out[..., u] = source[..., u + start]``: a window of the source's trailing axes."""

    source: sp.IndexedBase
    starts: tuple[sp.Expr, ...]


@dataclass(frozen=True)
class FirstMaxMask:
    """1 where a window of the source has its first maximum (row-major order within the window), else 0.

    ``out[..., i, j, k, l]`` is about the window at output position (i, j) and its element (k, l):
    ``source[..., s1·i + k, s2·j + l]``.  A window with NaN picks its *last* NaN: PyTorch's CPU kernel
    scans the window and takes a new maximum when ``value > max or isnan(value)``.
    """

    source: sp.IndexedBase
    kernel: tuple[sp.Expr, ...]
    strides: tuple[sp.Expr, ...]


Operation = IndexFormula | Padded | Spread | Cropped | FirstMaxMask


@dataclass(frozen=True)
class Let:
    """One definition of a program: ``target`` (an ``IndexedBase`` with a shape) is ``value``."""

    target: sp.IndexedBase
    value: Operation


Program = tuple[Let, ...]


# --- Element formulas (symbolic, any size) ---------------------------------------------------------


def element(let: Let, index: tuple[sp.Expr, ...]) -> sp.Expr:
    """The element ``target[index]`` as a formula in the source's elements (for proofs and pages)."""
    op = let.value
    if isinstance(op, IndexFormula):
        return op.expr.xreplace(dict(zip(op.indices, index)))
    src = op.source
    d = len(_spatial(op))
    lead, space = tuple(index[:-d]), tuple(index[-d:])
    if isinstance(op, Padded):
        shape = src.shape[-d:]
        inside = [sp.And(before <= u, u < before + n) for u, (before, _), n in zip(space, op.widths, shape)]
        shifted = tuple(u - before for u, (before, _) in zip(space, op.widths))
        return sp.Piecewise((src[lead + shifted], sp.And(*inside)), (op.fill, True))
    if isinstance(op, Spread):
        deltas = [
            sp.KroneckerDelta(m, s * i + off) for m, s, off, i in zip(space, op.strides, op.offsets, op.positions)
        ]
        limits = [(i, 0, n - 1) for i, n in zip(op.positions, src.shape[-d:])]
        return sp.Sum(sp.Mul(src[lead + op.positions], *deltas), *limits)
    if isinstance(op, Cropped):
        return src[lead + tuple(u + start for u, start in zip(space, op.starts))]
    raise TypeError(f"{type(op).__name__} has no element formula")


def definition(let: Let, index: tuple[sp.Symbol, ...]) -> sp.Eq:
    """``target[index] = element`` as an unevaluated equation (its LaTeX is the page's formula)."""
    return sp.Eq(let.target[index], element(let, index), evaluate=False)


def _spatial(op: Operation) -> tuple:
    if isinstance(op, Padded):
        return op.widths
    if isinstance(op, Spread):
        return op.strides
    if isinstance(op, Cropped):
        return op.starts
    if isinstance(op, FirstMaxMask):
        return op.kernel
    raise TypeError(type(op).__name__)


# --- Exact evaluation at concrete sizes -------------------------------------------------------------


def shape_of(base: sp.IndexedBase, sizes: Mapping[sp.Symbol, int]) -> tuple[int, ...]:
    """The concrete shape of ``base`` at ``sizes``."""
    return tuple(int(sp.sympify(n).xreplace(dict(sizes))) for n in base.shape)


def symbols_array(base: sp.IndexedBase, shape: tuple[int, ...], **assumptions) -> np.ndarray:
    """An object array of symbols named like ``x_{0,1,2}`` (0-based, the deep-learning convention)."""
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(shape):
        out[idx] = sp.Symbol(f"{base.name}_{{{','.join(map(str, idx))}}}", **assumptions)
    return out


def evaluate(
    program: Program, sizes: Mapping[sp.Symbol, int], inputs: Mapping[sp.IndexedBase, np.ndarray]
) -> dict[str, np.ndarray]:
    """Every array of ``program`` at concrete ``sizes``, as object arrays of exact SymPy values.

    ``inputs`` maps each input array to an object array (symbols or numbers) of its concrete shape.
    """
    sizes = {k: sp.Integer(v) for k, v in sizes.items()}
    arrays: dict[str, np.ndarray] = {}
    for base, values in inputs.items():
        values = np.asarray(values, dtype=object)
        if values.shape != shape_of(base, sizes):
            raise ValueError(f"input {base.name} has shape {values.shape}, the sizes give {shape_of(base, sizes)}")
        arrays[base.name] = values
    for let in program:
        arrays[let.target.name] = _evaluate_let(let, sizes, arrays)
    return arrays


def _int(expr: sp.Expr, sizes: Mapping) -> int:
    return int(sp.sympify(expr).xreplace(dict(sizes)))


def _evaluate_let(let: Let, sizes: Mapping, arrays: dict[str, np.ndarray]) -> np.ndarray:
    op = let.value
    shape = shape_of(let.target, sizes)
    if isinstance(op, IndexFormula):
        return _evaluate_formula(op, shape, sizes, arrays)
    src = arrays[op.source.name]
    d = len(_spatial(op))
    out = np.empty(shape, dtype=object)
    if isinstance(op, Padded):
        out[...] = op.fill
        before = [_int(b, sizes) for b, _ in op.widths]
        out[(Ellipsis, *(slice(b, b + n) for b, n in zip(before, src.shape[-d:])))] = src
    elif isinstance(op, Spread):
        out[...] = sp.S.Zero
        steps = [(_int(off, sizes), _int(s, sizes), n) for s, off, n in zip(op.strides, op.offsets, src.shape[-d:])]
        out[(Ellipsis, *(slice(off, off + s * (n - 1) + 1, s) for off, s, n in steps))] = src
    elif isinstance(op, Cropped):
        starts = [_int(s, sizes) for s in op.starts]
        out[...] = src[(Ellipsis, *(slice(s, s + n) for s, n in zip(starts, shape[len(shape) - d :])))]
    elif isinstance(op, FirstMaxMask):
        out[...] = sp.S.Zero
        kernel = [_int(k, sizes) for k in op.kernel]
        strides = [_int(s, sizes) for s in op.strides]
        for idx in np.ndindex(shape[: len(shape) - d]):  # leading axes and window positions
            lead, pos = idx[: len(idx) - d], idx[len(idx) - d :]
            window = [
                (offs, src[lead + tuple(s * p + o for s, p, o in zip(strides, pos, offs))])
                for offs in itertools.product(*(range(k) for k in kernel))
            ]
            out[idx + _first_max(window)] = sp.S.One
    else:
        raise TypeError(type(op).__name__)
    return out


def _first_max(window: list[tuple[tuple[int, ...], sp.Expr]]) -> tuple[int, ...]:
    """The offsets PyTorch's max pooling picks: scanning in order, take a value if it is larger or NaN."""
    best, best_value = window[0]
    for offs, value in window[1:]:
        if value is sp.nan or (best_value is not sp.nan and bool(value > best_value)):
            best, best_value = offs, value
    return best


@dataclass(frozen=True)
class _Factor:
    array: str
    index: tuple[dict, ...]  # one affine form per axis: {symbol or 1: int coefficient}


def _affine(expr: sp.Expr, sizes: Mapping) -> dict:
    expr = sp.expand(sp.sympify(expr).xreplace(dict(sizes)))
    form = {}
    for term, coeff in expr.as_coefficients_dict().items():
        if not coeff.is_integer or not (term == 1 or term.is_Symbol):
            raise ValueError(f"index {expr} is not affine with integer coefficients")
        form[term] = int(coeff)
    return form


def _at(form: dict, values: dict) -> int:
    return sum(c * (1 if v == 1 else values[v]) for v, c in form.items())


def _evaluate_formula(op: IndexFormula, shape: tuple[int, ...], sizes: Mapping, arrays: dict) -> np.ndarray:
    compiled = [_compile_term(term, sizes) for term in sp.Add.make_args(op.expr)]
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(shape):
        values = dict(zip(op.indices, idx))
        out[idx] = sp.Add(*(_term_value(c, values, arrays) for c in compiled))
    return out


def _compile_term(term: sp.Expr, sizes: Mapping) -> tuple:
    kind, body, limits = "single", term, ()
    if isinstance(term, sp.Sum | WindowMax):
        kind = "max" if isinstance(term, WindowMax) else "sum"
        body, limits = term.function, term.limits
    ranges = [(var, range(_int(lo, sizes), _int(hi, sizes) + 1)) for var, lo, hi in limits]
    coeff, factors, deltas = sp.S.One, [], []
    for f in sp.Mul.make_args(body):
        if isinstance(f, sp.Indexed):
            factors.append(_Factor(f.base.name, tuple(_affine(i, sizes) for i in f.indices)))
        elif isinstance(f, sp.KroneckerDelta):
            deltas.append(_affine(f.args[0] - f.args[1], sizes))
        elif f.free_symbols <= set(sizes):
            coeff *= f.xreplace(dict(sizes))
        else:
            raise ValueError(f"cannot evaluate the factor {f} of an index formula")
    return kind, ranges, coeff, factors, deltas


def _term_value(compiled: tuple, values: dict, arrays: dict) -> sp.Expr:
    kind, ranges, coeff, factors, deltas = compiled
    parts = []
    for combo in itertools.product(*(r for _, r in ranges)):
        local = {**values, **dict(zip((v for v, _ in ranges), combo))}
        if any(_at(d, local) != 0 for d in deltas):
            continue
        product = coeff
        for f in factors:
            arr = arrays[f.array]
            pos = tuple(_at(form, local) for form in f.index)
            if any(not 0 <= p < n for p, n in zip(pos, arr.shape)):
                raise IndexError(f"{f.array}{list(pos)} is outside its shape {arr.shape}")
            product = product * arr[pos]
        parts.append(product)
    if kind == "max":
        return sp.Max(*parts)
    return sp.Add(*parts)


__all__ = [
    "WindowMax",
    "IndexFormula",
    "Padded",
    "Spread",
    "Cropped",
    "FirstMaxMask",
    "Let",
    "Program",
    "element",
    "definition",
    "evaluate",
    "shape_of",
    "symbols_array",
]
