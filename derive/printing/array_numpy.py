"""Print an array program (:mod:`derive.calculus.arrays`) as a vectorised NumPy function.

Each definition of the program becomes one or a few lines, read off its SymPy form:

* an index ``s*i + k`` of an array becomes a window of that array:
  ``sliding_window_view(xp, (K,), axis=…)[…, ::s]`` — the im2col matrix as a view, no copy —
  with letter ``i`` for the window's position and ``k`` for the offset inside it;
  an index ``K - 1 - k`` flips the axis (``numpy.flip``);
* a product summed over indices (``sp.Sum``) becomes ``numpy.einsum`` with one letter per
  index symbol; a window maximum (:class:`~derive.calculus.arrays.WindowMax`) ``numpy.max`` over the
  window's axes; a term without sum is broadcast to the target's axes;
* a scatter — a sum whose factors include ``KroneckerDelta(u, s*i + k)`` — becomes col2im: the
  rest of the product as ``_cols[…, i, k]`` (an einsum), added into the target at ``u = s*i + k``
  with one strided slice per kernel offset k (a loop over the offsets only);
* :class:`~derive.calculus.arrays.Padded` → ``numpy.pad``; :class:`~derive.calculus.arrays.Spread` → zeros with a
  strided slice assigned; :class:`~derive.calculus.arrays.Cropped` → a slice;
  :class:`~derive.calculus.arrays.FirstMaxMask` → ``argmax`` over each flattened window (the last NaN if
  there is one), one-hot.

Sizes are SymPy expressions printed as Python integers by the NumPy printer (``floor(a/b)`` → ``(a)//b``).  Nothing is
typed by hand but the names of the Python variables and these rules; anything else in a program
is an error, never silently wrong code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import sympy as sp

from derive.calculus.arrays import Cropped, FirstMaxMask, IndexFormula, Let, Padded, Program, Spread, WindowMax
from derive.numerics.codegen import function_source
from derive.printing.numpy import NumPyCodePrinter

WINDOWS = "numpy.lib.stride_tricks.sliding_window_view"


@dataclass(frozen=True)
class Parameter:
    """A keyword argument giving one size per spatial axis (``stride=1`` or ``stride=(2, 1)``).

    ``default`` is printed as the default value; ``None`` with ``fallback`` means "the value of
    the parameter ``fallback``" (PyTorch's pooling stride defaults to the kernel size).
    """

    name: str
    symbols: tuple[sp.Symbol, ...]
    default: str | None = None
    fallback: str | None = None


@dataclass(frozen=True)
class Signature:
    """The printed function's arguments and the sizes it binds before the program runs."""

    arrays: tuple[sp.IndexedBase, ...]
    parameters: tuple[Parameter, ...] = ()
    derived: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()  # sizes computed from others, in order
    names: Mapping[sp.Symbol, str] = field(default_factory=dict)  # Python names of the size symbols


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text))


class _Body:
    """Lines of the function body for one program."""

    def __init__(self, signature: Signature, lets: Sequence[Let]):
        self.sig = signature
        self.sizes = NumPyCodePrinter({"names": signature.names})
        self.shapes = {base.name: base.shape for base in signature.arrays}
        self.shapes |= {let.target.name: let.target.shape for let in lets}
        self.lines: list[str] = []
        self.temps = 0

    def size(self, expr: sp.Expr) -> str:
        """A size or coefficient as Python: symbols by their Python names, ``floor(a/b)`` as ``(a)//b``."""
        expr = sp.sympify(expr)
        for symbol in expr.free_symbols - set(self.sig.names):
            raise ValueError(f"size symbol {symbol} has no Python name")
        return self.sizes.doprint(expr)

    def temp(self, hint: str) -> str:
        self.temps += 1
        return f"_{hint}{self.temps}"

    # --- array operations ---

    def let(self, let: Let) -> None:
        name, op = let.target.name, let.value
        if isinstance(op, IndexFormula):
            self.formula(name, let.target.shape, op)
            return
        src = op.source.name
        lead = len(self.shapes[src]) - len(_axes(op))
        if isinstance(op, Padded):
            widths = ", ".join(["(0, 0)"] * lead + [f"({self.size(a)}, {self.size(b)})" for a, b in op.widths])
            fill = "" if op.fill == 0 else f", constant_values={self.size(op.fill)}"
            self.lines.append(f"{name} = numpy.pad({src}, ({widths}){fill})")
        elif isinstance(op, Spread):
            n = self.shapes[src][lead:]
            spans = [
                f"{self.size(off)}:{self.size(off + s * (m - 1) + 1)}:{self.size(s)}"
                for off, s, m in zip(op.offsets, op.strides, n)
            ]
            self.lines.append(f"{name} = numpy.zeros({self.shape(let.target.shape)})")
            self.lines.append(f"{name}[{', '.join([':'] * lead + spans)}] = {src}")
        elif isinstance(op, Cropped):
            n = let.target.shape[lead:]
            spans = [f"{self.size(a)}:{self.size(a + m)}" for a, m in zip(op.starts, n)]
            self.lines.append(f"{name} = {src}[{', '.join([':'] * lead + spans)}]")
        elif isinstance(op, FirstMaxMask):
            win, flat, nan, pick = (self.temp(t) for t in ("windows", "flat", "nan", "pick"))
            axes = tuple(range(lead, lead + len(op.kernel)))
            self.lines.append(f"{win} = {self.window_view(src, len(self.shapes[src]), axes, op.kernel, op.strides)}")
            self.lines.append(f"{flat} = {win}.reshape({win}.shape[:{-len(op.kernel)}] + (-1,))")
            self.lines.append(f"{nan} = numpy.isnan({flat})")
            last_nan = f"{flat}.shape[-1] - 1 - numpy.argmax({nan}[..., ::-1], axis=-1)"
            self.lines.append(f"{pick} = numpy.where({nan}.any(axis=-1), {last_nan}, numpy.argmax({flat}, axis=-1))")
            count = "*".join(self.size(k) for k in op.kernel)
            self.lines.append(
                f"{name} = (numpy.arange({count}) == {pick}[..., None]).reshape({win}.shape).astype({src}.dtype)"
            )
        else:
            raise TypeError(f"no NumPy rule for {type(op).__name__}")

    def shape(self, shape: Sequence[sp.Expr]) -> str:
        items = [self.size(n) for n in shape]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"

    def window_view(self, src: str, ndim: int, axes: Sequence[int], widths, strides) -> str:
        """``src``'s windows along ``axes`` (appended as new last axes), every ``strides``-th position."""
        view = f"{WINDOWS}({src}, {self.shape(widths)}, axis={tuple(axes)!r})"
        if all(s == 1 for s in strides):
            return view
        slices = [":"] * ndim
        for ax, s in zip(axes, strides):
            slices[ax] = f"::{self.size(s)}"
        while slices and slices[-1] == ":":
            slices.pop()
        return f"{view}[{', '.join(slices)}]"

    # --- index formulas ---

    def formula(self, name: str, shape, op: IndexFormula) -> None:
        out = [str(i) for i in op.indices]
        if any(len(s) != 1 for s in out):
            raise ValueError(f"index symbols must be single letters for einsum: {out}")
        terms = sp.Add.make_args(op.expr)
        scatter = [t for t in terms if t.has(sp.KroneckerDelta)]
        if scatter:
            if len(terms) != 1:
                raise ValueError("a scatter must be the only term of its formula")
            self.scatter(name, shape, op.indices, terms[0])
            return
        parts = [self.gather(t, op.indices, shape) for t in terms]
        self.lines.append(f"{name} = {' + '.join(parts)}")

    def _split(self, body: sp.Expr) -> tuple[sp.Expr, list[sp.Indexed], list[sp.KroneckerDelta]]:
        coeff, arrays, deltas = sp.S.One, [], []
        for f in sp.Mul.make_args(body):
            if isinstance(f, sp.Indexed):
                arrays.append(f)
            elif isinstance(f, sp.KroneckerDelta):
                deltas.append(f)
            elif f.free_symbols <= set(self.sig.names):
                coeff *= f
            else:
                raise ValueError(f"no NumPy rule for the factor {f}")
        return coeff, arrays, deltas

    def operand(self, factor: sp.Indexed, free: Sequence[sp.Symbol], ranges: Mapping[sp.Symbol, sp.Expr]):
        """(Python expression of the array or its window view, its einsum letters)."""
        name = factor.base.name
        letters, window_axes, widths, strides, flips, offsets = [], [], [], [], [], []
        for ax, idx in enumerate(factor.indices):
            if idx.is_Symbol:
                letters.append(str(idx))
                continue
            form, const = _affine(idx, ranges)
            variables = list(form)
            if len(variables) == 1 and form[variables[0]] == -1:  # K - 1 - k: the axis flipped
                (k,) = variables
                if sp.simplify(const - (self.shapes[name][ax] - 1)) != 0:
                    raise ValueError(f"{factor}: a flipped index must be (size - 1) - k")
                flips.append(ax)
                letters.append(str(k))
                continue
            position, offset = _window_parts(idx, free, ranges)
            letters.append(str(position))
            offsets.append(str(offset))
            window_axes.append(ax)
            widths.append(ranges[offset])
            strides.append(form[position])
        expr = name
        if flips:
            expr = f"numpy.flip({expr}, axis={tuple(flips)!r})"
        if window_axes:
            view = self.temp(f"{name}_windows")
            ndim = len(factor.indices)
            self.lines.append(f"{view} = {self.window_view(expr, ndim, window_axes, widths, strides)}")
            expr = view
        return expr, letters + offsets

    def contraction(self, arrays, free, ranges, out_letters: Sequence[str]) -> str:
        operands = [self.operand(a, free, ranges) for a in arrays]
        if len(operands) == 1 and operands[0][1] == list(out_letters):
            return operands[0][0]
        spec = ",".join("".join(letters) for _, letters in operands) + "->" + "".join(out_letters)
        args = ", ".join(expr for expr, _ in operands)
        return f'numpy.einsum("{spec}", {args}, optimize=True)'

    def ranges(self, term: sp.Expr, free: Sequence[sp.Symbol], shape) -> dict:
        out = {i: n for i, n in zip(free, shape)}
        for var, lo, hi in getattr(term, "limits", ()):
            if lo != 0:
                raise ValueError(f"summation index {var} must start at 0")
            out[var] = hi + 1
        return out

    def gather(self, term: sp.Expr, free: Sequence[sp.Symbol], shape) -> str:
        ranges = self.ranges(term, free, shape)
        body = term.function if isinstance(term, sp.Sum | WindowMax) else term
        coeff, arrays, deltas = self._split(body)
        if deltas or not arrays:
            raise ValueError(f"no NumPy rule for the term {term}")
        letters = [str(i) for i in free]
        if isinstance(term, WindowMax):
            if len(arrays) != 1:
                raise ValueError("a window maximum takes one array")
            expr, have = self.operand(arrays[0], free, ranges)
            reduced = [str(v) for v, *_ in term.limits]
            if [c for c in have if c not in reduced] != letters:
                raise ValueError(f"{term}: the window maximum keeps the target's axes in order")
            axes = tuple(have.index(c) - len(have) for c in reduced)
            text = f"numpy.max({expr}, axis={axes!r})"
        elif isinstance(term, sp.Sum):
            text = self.contraction(arrays, free, ranges, letters)
        else:  # one array broadcast to the target's axes
            if len(arrays) != 1:
                raise ValueError(f"a term without sum takes one array: {term}")
            expr, have = self.operand(arrays[0], free, ranges)
            if [c for c in letters if c in have] != have:
                raise ValueError(f"{term}: a broadcast term keeps the target's axis order")
            text = f"{expr}[{', '.join(':' if c in have else 'None' for c in letters)}]"
        return text if coeff == 1 else f"{self.size(coeff)} * {text}"

    def scatter(self, name: str, shape, free: Sequence[sp.Symbol], term: sp.Expr) -> None:
        if not isinstance(term, sp.Sum):
            raise ValueError("a scatter is a sum")
        ranges = self.ranges(term, free, shape)
        coeff, arrays, deltas = self._split(term.function)
        placed = []  # (target axis, position, offset, stride)
        for delta in deltas:
            a, b = delta.args
            target, spot = (a, b) if a in free else (b, a)
            if target not in free:
                raise ValueError(f"{delta}: a scatter places at a target index")
            position, offset = _window_parts(spot, (), ranges)
            placed.append((list(free).index(target), position, offset, _affine(spot, ranges)[0][position]))
        axes = [ax for ax, *_ in placed]
        if axes != list(range(len(free) - len(placed), len(free))):
            raise ValueError("a scatter places along the target's trailing axes, in order")
        kept = [str(i) for i in free[: len(free) - len(placed)]]
        positions = [str(p) for _, p, _, _ in placed]
        present = {str(s) for a in arrays for s in a.free_symbols}
        offsets = [str(o) for _, _, o, _ in placed if str(o) in present]
        cols = self.temp("cols")
        value = self.contraction(arrays, free, ranges, kept + positions + offsets)
        self.lines.append(f"{cols} = {value}" if coeff == 1 else f"{cols} = {self.size(coeff)} * {value}")
        self.lines.append(f"{name} = numpy.zeros({self.shape(shape)})")
        indent = ""
        for _, _, offset, _ in placed:
            self.lines.append(f"{indent}for _{offset} in range({self.size(ranges[offset])}):")
            indent += "    "
        spans = [f"_{o}:_{o} + {self.size(s * (ranges[p] - 1) + 1)}:{self.size(s)}" for _, p, o, s in placed]
        pick = f"[..., {', '.join('_' + o for o in offsets)}]" if offsets else ""
        self.lines.append(f"{indent}{name}[{', '.join([':'] * len(kept) + spans)}] += {cols}{pick}")


def _affine(idx: sp.Expr, ranges: Mapping) -> tuple[dict, sp.Expr]:
    """({index symbol: coefficient}, constant) of an index affine in the index symbols (coefficients may be sizes)."""
    idx = sp.expand(idx)
    variables = sorted(idx.free_symbols & set(ranges), key=str)
    form = {v: idx.coeff(v) for v in variables}
    const = sp.expand(idx - sum(form[v] * v for v in variables))
    if any(coef.free_symbols & set(ranges) for coef in form.values()) or const.free_symbols & set(ranges):
        raise ValueError(f"index {idx} is not affine in the index symbols")
    return form, const


def _window_parts(idx: sp.Expr, free: Sequence[sp.Symbol], ranges: Mapping) -> tuple[sp.Symbol, sp.Symbol]:
    """(position, offset) of a window index ``s*i + k``: the offset k has coefficient 1 and is summed if it can be."""
    form, const = _affine(idx, ranges)
    variables = list(form)
    if len(variables) != 2 or const != 0:
        raise ValueError(f"index {idx} is not a window index s*i + k")
    strided = [v for v in variables if form[v] != 1]
    if len(strided) == 1:
        position = strided[0]
    else:  # both coefficient 1 (stride 1 written as 1): the offset is the summed one
        summed = [v for v in variables if v not in free]
        position = next(v for v in variables if v != summed[-1]) if summed else variables[0]
    (offset,) = (v for v in variables if v != position)
    if form[offset] != 1:
        raise ValueError(f"index {idx}: the window offset must have coefficient 1")
    return position, offset


def _axes(op) -> tuple:
    for attr in ("widths", "strides", "starts", "kernel"):
        if hasattr(op, attr):
            return getattr(op, attr)
    raise TypeError(type(op).__name__)


def program_lines(signature: Signature, program: Program) -> list[str]:
    """The function body (without the docstring): argument conversion, sizes, the program, the return."""
    body = _Body(signature, program)
    for let in program:
        body.let(let)
    arrays = ", ".join(a.name for a in signature.arrays)  # float32 in, float32 out (zeros are float64)
    body.lines.append(f"return keep_float({program[-1].target.name}, {arrays})")
    used = _words("\n".join(body.lines))
    derived = {symbol for symbol, _ in signature.derived}
    needed = []
    for symbol, expr in reversed(signature.derived):  # a derived size may use the ones before it
        if signature.names[symbol] in used:
            needed.insert(0, (symbol, expr))
            used |= _words(body.size(expr))
    head = [f"{a.name} = as_float({a.name})" for a in signature.arrays]
    for p in signature.parameters:
        n = len(p.symbols)
        value = p.name if p.fallback is None else f"{p.fallback} if {p.name} is None else {p.name}"
        targets = ", ".join(signature.names[s] for s in p.symbols) + ("," if n == 1 else "")
        head.append(f"{targets} = (int(_v) for _v in numpy.broadcast_to({value}, {n}))")
    bound = {s for p in signature.parameters for s in p.symbols} | derived
    for a in signature.arrays:
        names = []
        for n in a.shape:
            fresh = n.is_Symbol and n not in bound and signature.names.get(n) in used
            names.append(signature.names[n] if fresh else "_")
            bound |= {n} if fresh else set()
        if any(n != "_" for n in names):
            head.append(f"{', '.join(names)} = {a.name}.shape")
    head += [f"{signature.names[symbol]} = {body.size(expr)}" for symbol, expr in needed]
    return head + body.lines


def program_function(name: str, signature: Signature, program: Program, doc: str, formulas: Sequence[str]) -> str:
    """Source of ``def name(...)`` running ``program``; ``formulas`` (LaTeX) go into the docstring."""
    args = [a.name for a in signature.arrays]
    for p in signature.parameters:  # no default and no fallback: a required argument
        args.append(p.name if p.default is None and p.fallback is None else f"{p.name}={p.default or 'None'}")
    paragraphs = [
        doc,
        "\n".join(f"$${f}$$" for f in formulas),
        "Generated from an array program in ``derive/``; do not edit.",
    ]
    return function_source(name, ", ".join(args), paragraphs, program_lines(signature, program))


__all__ = ["Parameter", "Signature", "program_lines", "program_function", "WINDOWS"]
