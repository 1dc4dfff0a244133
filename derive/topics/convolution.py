r"""Convolution and pooling: definitions, gradients derived by SymPy, proofs, and the NumPy code printed from them.

Convolution in deep learning is cross-correlation.  With batch index n, input channel c, output
channel (filter) f, output position i (and j in 2-D), kernel offset k (and l), stride s and zero
padding p on every side of each spatial axis:

    y[n, f, i, j] = Σ_{c,k,l} w[f, c, k, l] · x̃[n, c, s₁i + k, s₂j + l] + b[f],
    x̃ = x padded with p zeros,   output size L = ⌊(N + 2p − K)/s⌋ + 1.

Every formula is an *array program* (:mod:`derive.calculus.arrays`): a few index formulas over
``sp.IndexedBase`` arrays with affine indices.  What is proven, and how:

* **Gradients, at small sizes, by ``sp.diff``.**  The forward program is evaluated exactly with
  symbolic arrays (:func:`derive.calculus.arrays.evaluate`), the scalar loss L = Σ g ⊙ y with a symbolic
  upstream gradient g is differentiated by ``sp.diff`` with respect to every input and kernel
  entry, and the gradient programs, evaluated at the same sizes, are proven equal element by
  element (``sp.expand(a − b) == 0``) — 1-D and 2-D, with batch, channels, strides and paddings
  (:data:`CONV_CASES`).
* **Gradients, for every size, by index algebra.**  ``sp.diff`` of the loss written as a
  ``sp.Sum`` over symbolic sizes with respect to ``x̃[ν, γ, u, v]`` gives Kronecker deltas;
  the gradient program's element formula, after the change of variables k → K − 1 − k of the
  flipped kernel, has the same summand and limits (:func:`general_input_gradient_proof`): the
  input gradient is a *full correlation of the upstream gradient, dilated by the stride
  (s − 1 zeros between entries) and padded with K − 1 zeros, with the flipped kernel*, cropped
  by p.  The kernel gradient is the *correlation of the padded input with the upstream gradient*
  (taps s apart: the dilated gradient) (:func:`general_weight_gradient_proof`).
* **im2col and Toeplitz.**  y = W_row · X_col (+ b) with X_col[(c,k,l), (i,j)] = x̃[c, s₁i + k,
  s₂j + l]; and vec(y) = T vec(x) with T = ∂vec(y)/∂vec(x) computed by SymPy, whose transpose
  gives the input gradient x̄ = Tᵀ vec(g) — all proven equal at small sizes.
* **Pooling.**  Average pooling (PyTorch's default ``count_include_pad=True``: divide by K₁K₂)
  and its scatter gradient, proven as above.  Max pooling: ``sp.diff`` of a window's ``Max`` is
  ``Heaviside(x_k − max of the others)``, proven equal to the one-hot of the first maximum on every
  ordering of a 2×2 window; at a tie SymPy's Heaviside(0) = 1/2 is not a gradient, and nnmath
  follows PyTorch: the whole gradient goes to the *first* maximum in row-major window order
  (a window with NaN outputs NaN and sends its gradient to its last NaN, as PyTorch's CPU kernel
  does).  Where windows overlap, the gradients of all windows add up.

How the NumPy code is printed from the SymPy objects: :mod:`derive.printing.array_numpy` reads each
index formula — an index ``s*i + k`` becomes a ``sliding_window_view`` of that array taken every
s-th position (the im2col matrix as a strided view), an index ``K − 1 − k`` a ``numpy.flip``, a
product summed over indices a ``numpy.einsum`` whose letters are the index symbols, a window
maximum a ``numpy.max`` over the window axes, a scatter (a sum with ``KroneckerDelta(u, s*i + k)``)
a col2im loop over the kernel offsets; padding, spreading and cropping have one rule each.  Sizes
are printed from the same SymPy expressions (``floor`` → ``//``).  The programs printed are exactly
the ones the proofs above are about.  The functions take PyTorch's layouts (NCL / NCHW, weights
F×C×K…) and arguments (``stride``, ``padding``, ``kernel_size``), and ``tests/test_convolution.py``
checks them against ``torch.nn.functional`` in float64.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from derive.calculus.arrays import (
    Cropped,
    FirstMaxMask,
    IndexFormula,
    Let,
    Padded,
    Program,
    Spread,
    WindowMax,
    element,
    evaluate,
    shape_of,
    symbols_array,
)
from derive.numerics.codegen import GeneratedModule
from derive.printing.array_numpy import Parameter, Signature, program_function

# --- Sizes and indices -----------------------------------------------------------------------------

_size = {"integer": True, "positive": True}
_index = {"integer": True, "nonnegative": True}
B = sp.Symbol("B", **_size)  # batch
C = sp.Symbol("C", **_size)  # input channels (pooling: channels)
F = sp.Symbol("F", **_size)  # output channels (filters)
n, c, f = sp.symbols("n c f", **_index)
POSITIONS = sp.symbols("i j", **_index)  # output position
OFFSETS = sp.symbols("k l", **_index)  # offset inside the kernel / window
INPUTS = sp.symbols("u v", **_index)  # input position
DILATED = sp.symbols("m q", **_index)  # position in the dilated upstream gradient
DIMENSIONS = (1, 2)


@dataclass(frozen=True)
class Space:
    """Spatial sizes per axis: input N, kernel K, output L, stride s, padding p (1-D: N, K, …; 2-D: N₁, N₂, …)."""

    d: int
    N: tuple[sp.Symbol, ...]
    K: tuple[sp.Symbol, ...]
    L: tuple[sp.Symbol, ...]
    s: tuple[sp.Symbol, ...]
    p: tuple[sp.Symbol, ...]

    @property
    def positions(self) -> tuple[sp.Symbol, ...]:
        return POSITIONS[: self.d]

    @property
    def offsets(self) -> tuple[sp.Symbol, ...]:
        return OFFSETS[: self.d]

    @property
    def inputs(self) -> tuple[sp.Symbol, ...]:
        return INPUTS[: self.d]

    @property
    def padded(self) -> tuple[sp.Expr, ...]:
        return tuple(N + 2 * p for N, p in zip(self.N, self.p))

    def output_sizes(self) -> tuple[tuple[sp.Symbol, sp.Expr], ...]:
        """(L, ⌊(N + 2p − K)/s⌋ + 1) per axis."""
        return tuple((L, output_size(N, K, s, p)) for L, N, K, s, p in zip(self.L, self.N, self.K, self.s, self.p))

    def windows(self, array: sp.IndexedBase, *lead: sp.Expr) -> sp.Indexed:
        """``array[lead…, s₁i + k, s₂j + l]``: the element (k, l) of the window at output position (i, j)."""
        spots = [s * i + k for s, i, k in zip(self.s, self.positions, self.offsets)]
        return array[(*lead, *spots)]

    def python_names(self) -> dict[sp.Symbol, str]:
        names = {B: "batch", C: "c_in", F: "c_out"}
        for a in range(self.d):
            names |= {
                self.N[a]: f"n_{a + 1}",
                self.K[a]: f"k_{a + 1}",
                self.L[a]: f"out_{a + 1}",
                self.s[a]: f"s_{a + 1}",
                self.p[a]: f"p_{a + 1}",
            }
        return names


def output_size(N: sp.Expr, K: sp.Expr, s: sp.Expr, p: sp.Expr) -> sp.Expr:  # noqa: N803 - sizes are capitals
    """L = ⌊(N + 2p − K)/s⌋ + 1: the number of positions of a K-wide window moved s at a time over N + 2p."""
    return sp.floor((N + 2 * p - K) / s) + 1


@cache
def space(d: int) -> Space:
    """The sizes of a ``d``-dimensional convolution (d = 1 or 2)."""
    if d not in DIMENSIONS:
        raise ValueError(f"convolution is derived in 1-D and 2-D, not {d}-D")
    suffixes = [""] if d == 1 else ["_1", "_2"]

    def sym(name: str, **assumptions) -> tuple[sp.Symbol, ...]:
        return tuple(sp.Symbol(f"{name}{x}", **assumptions) for x in suffixes)

    nonneg = {"integer": True, "nonnegative": True}
    return Space(d, sym("N", **_size), sym("K", **_size), sym("L", **_size), sym("s", **_size), sym("p", **nonneg))


# --- The arrays and programs ----------------------------------------------------------------------


@dataclass(frozen=True)
class ConvArrays:
    """The arrays of a convolution layer and of its gradients."""

    x: sp.IndexedBase  # input (B, C, N…)
    w: sp.IndexedBase  # kernel (F, C, K…)
    b: sp.IndexedBase  # bias (F,)
    g: sp.IndexedBase  # upstream gradient ∂L/∂y (B, F, L…)
    xp: sp.IndexedBase  # padded input (B, C, N + 2p…)
    y: sp.IndexedBase  # output (B, F, L…)
    gp: sp.IndexedBase  # g dilated by s and padded by K − 1 (B, F, N + 2p + K − 1…)
    dxp: sp.IndexedBase  # ∂L/∂x̃
    dx: sp.IndexedBase  # ∂L/∂x
    gd: sp.IndexedBase  # g dilated by s (B, F, s(L − 1) + 1…)
    dw: sp.IndexedBase  # ∂L/∂w
    db: sp.IndexedBase  # ∂L/∂b


@cache
def conv_arrays(d: int) -> ConvArrays:
    sp_ = space(d)
    N, K, L, s = sp_.N, sp_.K, sp_.L, sp_.s  # noqa: N806 - sizes are capitals, as on the page
    padded = sp_.padded
    return ConvArrays(
        x=sp.IndexedBase("x", shape=(B, C, *N)),
        w=sp.IndexedBase("w", shape=(F, C, *K)),
        b=sp.IndexedBase("b", shape=(F,)),
        g=sp.IndexedBase("g", shape=(B, F, *L)),
        xp=sp.IndexedBase("xp", shape=(B, C, *padded)),
        y=sp.IndexedBase("y", shape=(B, F, *L)),
        gp=sp.IndexedBase("gp", shape=(B, F, *(m + k - 1 for m, k in zip(padded, K)))),
        dxp=sp.IndexedBase("dxp", shape=(B, C, *padded)),
        dx=sp.IndexedBase("dx", shape=(B, C, *N)),
        gd=sp.IndexedBase("gd", shape=(B, F, *(si * (li - 1) + 1 for si, li in zip(s, L)))),
        dw=sp.IndexedBase("dw", shape=(F, C, *K)),
        db=sp.IndexedBase("db", shape=(F,)),
    )


def _pad(sp_: Space, source: sp.IndexedBase, target: sp.IndexedBase, fill: sp.Expr = sp.S.Zero) -> Let:
    return Let(target, Padded(source, tuple((p, p) for p in sp_.p), fill))


def _limits(*pairs: tuple[sp.Symbol, sp.Expr]) -> list[tuple[sp.Symbol, int, sp.Expr]]:
    return [(v, 0, size - 1) for v, size in pairs]


@cache
def conv_forward(d: int) -> Program:
    """x̃ = pad(x, p);  y[n,f,i,j] = Σ_{c,k,l} w[f,c,k,l] x̃[n,c,s₁i+k,s₂j+l] + b[f]."""
    sp_, a = space(d), conv_arrays(d)
    total = sp.Sum(a.w[(f, c, *sp_.offsets)] * sp_.windows(a.xp, n, c), *_limits((c, C), *zip(sp_.offsets, sp_.K)))
    return (_pad(sp_, a.x, a.xp), Let(a.y, IndexFormula((n, f, *sp_.positions), total + a.b[f])))


@cache
def conv_grad_input(d: int) -> Program:
    """g̃ = g dilated by s, padded by K − 1;  ∂L/∂x̃ = full correlation of g̃ with the flipped kernel;  crop p."""
    sp_, a = space(d), conv_arrays(d)
    spread = Spread(a.g, sp_.s, tuple(k - 1 for k in sp_.K), sp_.positions)
    shifted = tuple(u + k for u, k in zip(sp_.inputs, sp_.offsets))
    flipped = tuple(size - 1 - k for size, k in zip(sp_.K, sp_.offsets))
    full = sp.Sum(a.gp[(n, f, *shifted)] * a.w[(f, c, *flipped)], *_limits((f, F), *zip(sp_.offsets, sp_.K)))
    return (
        Let(a.gp, spread),
        Let(a.dxp, IndexFormula((n, c, *sp_.inputs), full)),
        Let(a.dx, Cropped(a.dxp, sp_.p)),
    )


@cache
def conv_grad_weight(d: int) -> Program:
    """∂L/∂w[f,c,k,l] = Σ_{n,i,j} g[n,f,i,j] x̃[n,c,s₁i+k,s₂j+l]: the windows of the forward pass, weighted by g."""
    sp_, a = space(d), conv_arrays(d)
    total = sp.Sum(a.g[(n, f, *sp_.positions)] * sp_.windows(a.xp, n, c), *_limits((n, B), *zip(sp_.positions, sp_.L)))
    return (_pad(sp_, a.x, a.xp), Let(a.dw, IndexFormula((f, c, *sp_.offsets), total)))


@cache
def conv_grad_weight_dilated(d: int) -> Program:
    """The same kernel gradient read as a correlation: ∂L/∂w = x̃ ⋆ ĝ, ĝ = g dilated by s (stride 1)."""
    sp_, a = space(d), conv_arrays(d)
    spread = Spread(a.g, sp_.s, tuple(sp.S.Zero for _ in sp_.s), sp_.positions)
    shifted = tuple(m + k for m, k in zip(DILATED, sp_.offsets))
    sizes = [si * (li - 1) + 1 for si, li in zip(sp_.s, sp_.L)]
    total = sp.Sum(a.xp[(n, c, *shifted)] * a.gd[(n, f, *DILATED[:d])], *_limits((n, B), *zip(DILATED, sizes)))
    return (_pad(sp_, a.x, a.xp), Let(a.gd, spread), Let(a.dw, IndexFormula((f, c, *sp_.offsets), total)))


@cache
def conv_grad_bias(d: int) -> Program:
    """∂L/∂b[f] = Σ_{n,i,j} g[n,f,i,j]."""
    sp_, a = space(d), conv_arrays(d)
    total = sp.Sum(a.g[(n, f, *sp_.positions)], *_limits((n, B), *zip(sp_.positions, sp_.L)))
    return (Let(a.db, IndexFormula((f,), total)),)


# --- Pooling ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolArrays:
    x: sp.IndexedBase  # input (B, C, N…)
    g: sp.IndexedBase  # upstream gradient (B, C, L…)
    xp: sp.IndexedBase  # padded input
    y: sp.IndexedBase  # output (B, C, L…)
    mask: sp.IndexedBase  # first maximum of each window (B, C, L…, K…)
    dxp: sp.IndexedBase
    dx: sp.IndexedBase


@cache
def pool_arrays(d: int) -> PoolArrays:
    sp_ = space(d)
    return PoolArrays(
        x=sp.IndexedBase("x", shape=(B, C, *sp_.N)),
        g=sp.IndexedBase("g", shape=(B, C, *sp_.L)),
        xp=sp.IndexedBase("xp", shape=(B, C, *sp_.padded)),
        y=sp.IndexedBase("y", shape=(B, C, *sp_.L)),
        mask=sp.IndexedBase("mask", shape=(B, C, *sp_.L, *sp_.K)),
        dxp=sp.IndexedBase("dxp", shape=(B, C, *sp_.padded)),
        dx=sp.IndexedBase("dx", shape=(B, C, *sp_.N)),
    )


def _window_size(sp_: Space) -> sp.Expr:
    return sp.Mul(*sp_.K)


@cache
def avg_pool_forward(d: int) -> Program:
    """x̃ = pad(x, p) with zeros;  y[n,c,i,j] = Σ_{k,l} x̃[n,c,s₁i+k,s₂j+l] / (K₁K₂) (padding counted, as PyTorch)."""
    sp_, a = space(d), pool_arrays(d)
    mean = sp.Sum(sp_.windows(a.xp, n, c) / _window_size(sp_), *_limits(*zip(sp_.offsets, sp_.K)))
    return (_pad(sp_, a.x, a.xp), Let(a.y, IndexFormula((n, c, *sp_.positions), mean)))


def _scatter(sp_: Space, value: sp.Expr) -> sp.Sum:
    """Σ_{i,j,k,l} value · δ(u, s₁i + k) δ(v, s₂j + l): every window's share added back at its place."""
    deltas = [sp.KroneckerDelta(u, s * i + k) for u, s, i, k in zip(sp_.inputs, sp_.s, sp_.positions, sp_.offsets)]
    return sp.Sum(sp.Mul(value, *deltas), *_limits(*zip(sp_.positions, sp_.L), *zip(sp_.offsets, sp_.K)))


@cache
def avg_pool_grad(d: int) -> Program:
    """∂L/∂x̃[n,c,u,v] = Σ over the windows containing (u, v) of g / (K₁K₂);  crop p."""
    sp_, a = space(d), pool_arrays(d)
    share = a.g[(n, c, *sp_.positions)] / _window_size(sp_)
    return (Let(a.dxp, IndexFormula((n, c, *sp_.inputs), _scatter(sp_, share))), Let(a.dx, Cropped(a.dxp, sp_.p)))


@cache
def max_pool_forward(d: int) -> Program:
    """x̃ = pad(x, p) with −∞;  y[n,c,i,j] = max_{k,l} x̃[n,c,s₁i+k,s₂j+l]."""
    sp_, a = space(d), pool_arrays(d)
    top = WindowMax(sp_.windows(a.xp, n, c), *_limits(*zip(sp_.offsets, sp_.K)))
    return (_pad(sp_, a.x, a.xp, sp.S.NegativeInfinity), Let(a.y, IndexFormula((n, c, *sp_.positions), top)))


@cache
def max_pool_grad(d: int) -> Program:
    """mask = one-hot of each window's first maximum;  ∂L/∂x̃ = Σ over windows of g · mask at its place;  crop p."""
    sp_, a = space(d), pool_arrays(d)
    routed = a.g[(n, c, *sp_.positions)] * a.mask[(n, c, *sp_.positions, *sp_.offsets)]
    return (
        _pad(sp_, a.x, a.xp, sp.S.NegativeInfinity),
        Let(a.mask, FirstMaxMask(a.xp, sp_.K, sp_.s)),
        Let(a.dxp, IndexFormula((n, c, *sp_.inputs), _scatter(sp_, routed))),
        Let(a.dx, Cropped(a.dxp, sp_.p)),
    )


# --- Small sizes: the definition evaluated, differentiated by sp.diff, compared with the programs ------


@dataclass(frozen=True)
class Case:
    """Concrete sizes: batch, channels in and out, and per spatial axis input size, kernel, stride, padding."""

    batch: int
    c_in: int
    c_out: int
    N: tuple[int, ...]  # noqa: N815 - the page's names
    K: tuple[int, ...]  # noqa: N815
    s: tuple[int, ...]
    p: tuple[int, ...]

    @property
    def d(self) -> int:
        return len(self.N)

    @property
    def L(self) -> tuple[int, ...]:  # noqa: N802
        return tuple((n_ + 2 * p_ - k_) // s_ + 1 for n_, k_, s_, p_ in zip(self.N, self.K, self.s, self.p))

    def sizes(self) -> dict[sp.Symbol, int]:
        sp_ = space(self.d)
        out = {B: self.batch, C: self.c_in, F: self.c_out}
        for syms, values in ((sp_.N, self.N), (sp_.K, self.K), (sp_.s, self.s), (sp_.p, self.p), (sp_.L, self.L)):
            out |= dict(zip(syms, values))
        return out

    def describe(self) -> str:
        def t(v: tuple[int, ...]) -> str:
            return "×".join(map(str, v))

        return (
            f"{self.d}-D: batch {self.batch}, channels {self.c_in}→{self.c_out}, input {t(self.N)}, "
            f"kernel {t(self.K)}, stride {t(self.s)}, padding {t(self.p)}, output {t(self.L)}"
        )


# The sizes at which the gradients are derived with sp.diff and compared with the programs.
CONV_CASES: tuple[Case, ...] = (
    Case(1, 2, 2, (5,), (3,), (1,), (0,)),
    Case(2, 1, 2, (5,), (2,), (2,), (1,)),
    Case(1, 2, 1, (7,), (3,), (3,), (2,)),
    Case(1, 2, 2, (4, 5), (2, 3), (2, 1), (1, 0)),
    Case(2, 1, 1, (3, 4), (2, 2), (1, 2), (0, 1)),
)
POOL_CASES: tuple[Case, ...] = (
    Case(1, 1, 1, (6,), (3,), (2,), (1,)),
    Case(1, 2, 2, (4, 5), (2, 3), (2, 1), (1, 0)),
    Case(1, 1, 1, (5, 5), (3, 3), (2, 2), (1, 1)),
)


def _random_symbols(base: sp.IndexedBase, sizes: dict) -> np.ndarray:
    return symbols_array(base, shape_of(base, sizes), real=True)


@dataclass(frozen=True)
class ConvDerivation:
    """One small case: symbolic arrays, the output and the loss L = Σ g ⊙ y, and sp.diff of L."""

    case: Case
    x: np.ndarray
    w: np.ndarray
    b: np.ndarray
    g: np.ndarray
    y: np.ndarray
    loss: sp.Expr
    dx: np.ndarray  # sp.diff(L, x[…]) for every entry
    dw: np.ndarray
    db: np.ndarray


def _diff_all(loss: sp.Expr, wrt: np.ndarray) -> np.ndarray:
    """``sp.diff(loss, s)`` for every symbol s of ``wrt``, term by term of the sum L (as ``sp.diff`` of a sum
    does): the terms without s, which contribute 0, are not visited."""
    out = np.empty(wrt.shape, dtype=object)
    terms = sp.Add.make_args(loss)
    for idx in np.ndindex(wrt.shape):
        out[idx] = sp.Add(*[sp.diff(term, wrt[idx]) for term in terms if term.has(wrt[idx])])
    return out


@cache
def conv_derivation(case: Case) -> ConvDerivation:
    """Evaluate the forward program with symbols and differentiate L = Σ g ⊙ y by ``sp.diff``."""
    a, sizes = conv_arrays(case.d), case.sizes()
    x, w, b, g = (_random_symbols(base, sizes) for base in (a.x, a.w, a.b, a.g))
    y = evaluate(conv_forward(case.d), sizes, {a.x: x, a.w: w, a.b: b})["y"]
    loss = sp.Add(*(g * y).flat)
    return ConvDerivation(case, x, w, b, g, y, loss, _diff_all(loss, x), _diff_all(loss, w), _diff_all(loss, b))


def equal_arrays(left: np.ndarray, right: np.ndarray) -> bool:
    """Exact element-wise equality of two object arrays of SymPy expressions (expanded difference is 0)."""
    return left.shape == right.shape and all(sp.expand(a - b) == 0 for a, b in zip(left.flat, right.flat))


@cache
def conv_gradient_checks(case: Case) -> dict[str, bool]:
    """Each gradient program, evaluated at ``case``, equals ``sp.diff`` of the loss (exactly)."""
    a, sizes, dv = conv_arrays(case.d), case.sizes(), conv_derivation(case)
    inputs = {a.x: dv.x, a.w: dv.w, a.g: dv.g}
    return {
        "input gradient = full correlation of the dilated, padded g with the flipped kernel": equal_arrays(
            evaluate(conv_grad_input(case.d), sizes, inputs)["dx"], dv.dx
        ),
        "kernel gradient = Σ g · windows of the padded input": equal_arrays(
            evaluate(conv_grad_weight(case.d), sizes, inputs)["dw"], dv.dw
        ),
        "kernel gradient = correlation of the padded input with the dilated g": equal_arrays(
            evaluate(conv_grad_weight_dilated(case.d), sizes, inputs)["dw"], dv.dw
        ),
        "bias gradient = Σ g": equal_arrays(evaluate(conv_grad_bias(case.d), sizes, {a.g: dv.g})["db"], dv.db),
    }


# --- im2col and the Toeplitz matrix ------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixForm:
    """A convolution as matrix products, for one sample of a small case."""

    case: Case
    columns: sp.Matrix  # X_col: rows (c, k, l), columns (i, j)
    kernel_rows: sp.Matrix  # W_row: rows f, columns (c, k, l)
    output: sp.Matrix  # y as F × (L₁L₂)
    toeplitz: sp.Matrix  # T = ∂vec(y)/∂vec(x) (one sample)
    x: sp.Matrix  # vec(x)
    g: sp.Matrix  # vec(g)
    dx: sp.Matrix  # vec(sp.diff(L, x))


@cache
def matrix_form(case: Case) -> MatrixForm:
    """im2col: X_col[(c,k,l),(i,j)] = x̃[c, s₁i+k, s₂j+l] and W_row; the Toeplitz matrix T from SymPy's Jacobian."""
    if case.batch != 1:
        raise ValueError("the matrix form is shown for one sample (batch 1)")
    dv, sizes, a = conv_derivation(case), case.sizes(), conv_arrays(case.d)
    xp = evaluate((conv_forward(case.d)[0],), sizes, {a.x: dv.x})["xp"][0]
    offsets = list(itertools.product(*(range(k) for k in case.K)))
    positions = list(itertools.product(*(range(m) for m in case.L)))
    rows = [(ch, off) for ch in range(case.c_in) for off in offsets]
    columns = sp.Matrix(
        len(rows),
        len(positions),
        lambda r, q: xp[(rows[r][0], *(s * i + k for s, i, k in zip(case.s, positions[q], rows[r][1])))],
    )
    kernel_rows = sp.Matrix(case.c_out, len(rows), lambda fo, r: dv.w[(fo, rows[r][0], *rows[r][1])])
    output = sp.Matrix(case.c_out, len(positions), lambda fo, q: dv.y[(0, fo, *positions[q])])
    y_vec, x_vec = sp.Matrix(list(dv.y[0].flat)), sp.Matrix(list(dv.x[0].flat))
    return MatrixForm(
        case,
        columns,
        kernel_rows,
        output,
        y_vec.jacobian(x_vec),
        x_vec,
        sp.Matrix(list(dv.g[0].flat)),
        sp.Matrix(list(dv.dx[0].flat)),
    )


def matrix_form_checks(case: Case) -> dict[str, bool]:
    """W_row X_col + b = y;  T vec(x) + b = vec(y) (T does not depend on x: linear);  Tᵀ vec(g) = ∂L/∂x."""
    mf, dv = matrix_form(case), conv_derivation(case)
    bias = sp.Matrix(case.c_out, 1, lambda fo, _: dv.b[fo])
    per_position = int(np.prod(case.L))
    bias_vec = sp.Matrix([dv.b[fo] for fo in range(case.c_out) for _ in range(per_position)])
    im2col = mf.kernel_rows * mf.columns + bias * sp.ones(1, per_position)
    return {
        "im2col: W_row · X_col + b = y": sp.expand(im2col - mf.output) == sp.zeros(*mf.output.shape),
        "Toeplitz: T · vec(x) + b = vec(y), T constant": sp.expand(mf.toeplitz * mf.x + bias_vec)
        == sp.Matrix(list(dv.y[0].flat)).expand()
        and not (mf.toeplitz.free_symbols & set(mf.x)),
        "transposed Toeplitz: Tᵀ vec(g) = ∂L/∂x": sp.expand(mf.toeplitz.T * mf.g - mf.dx) == sp.zeros(*mf.dx.shape),
    }


# --- Pooling: small-size proofs -----------------------------------------------------------------------


@cache
def avg_pool_checks(case: Case) -> dict[str, bool]:
    """The scatter gradient of average pooling equals ``sp.diff`` of L = Σ g ⊙ y (exactly, symbolic x and g)."""
    a, sizes = pool_arrays(case.d), case.sizes()
    x, g = _random_symbols(a.x, sizes), _random_symbols(a.g, sizes)
    y = evaluate(avg_pool_forward(case.d), sizes, {a.x: x})["y"]
    loss = sp.Add(*(g * y).flat)
    dx = evaluate(avg_pool_grad(case.d), sizes, {a.x: x, a.g: g})["dx"]
    return {"average pooling: scatter of g/(K₁K₂) = sp.diff": equal_arrays(dx, _diff_all(loss, x))}


def max_window_derivative(size: int) -> list[sp.Expr]:
    """``sp.diff(Max(x₀, …, x_{size−1}), x_k)`` for every k (SymPy: Heaviside(x_k − max of the others))."""
    xs = sp.symbols(f"x_0:{size}", real=True)
    top = sp.Max(*xs)
    return [sp.diff(top, xk) for xk in xs]


def first_max_one_hot(values: tuple) -> list[int]:
    """1 at the first largest value, 0 elsewhere (PyTorch's choice at a tie)."""
    best = max(range(len(values)), key=lambda k: (values[k], -k))
    return [int(k == best) for k in range(len(values))]


@cache
def max_local_proof(size: int = 4) -> dict[str, bool | int]:
    """sp.diff of a window's Max equals the one-hot of the (unique) maximum, on every ordering of ``size`` values.

    Both sides depend on the values only through their order, so checking every one of the
    ``size!`` strict orders proves equality wherever the maximum is unique.  At a tie SymPy gives
    Heaviside(0) = 1/2 to each tied maximum — a subgradient average, not PyTorch's convention.
    """
    xs = sp.symbols(f"x_0:{size}", real=True)
    derivative = max_window_derivative(size)
    orders = list(itertools.permutations(range(size)))
    holds = all(
        [d.xreplace(dict(zip(xs, map(sp.Integer, order)))) for d in derivative] == first_max_one_hot(order)
        for order in orders
    )
    tie = tuple(sp.Integer(v) for v in [1, 1] + [0] * (size - 2))
    at_tie = [d.xreplace(dict(zip(xs, tie))) for d in derivative]
    return {
        "orders": len(orders),
        "holds": holds,
        "tie_sympy": at_tie[:2] == [sp.S.Half, sp.S.Half],
        "tie_convention": first_max_one_hot(tie)[:2] == [1, 0],
    }


# Distinct values for the exact max-pooling check; the same values in another order give another routing.
_MAX_POINTS = 3


@cache
def max_pool_checks(case: Case) -> dict[str, bool]:
    """At points with distinct entries (several orders), the program's routing equals ``sp.diff`` of L exactly.

    L = Σ g ⊙ y is differentiated symbolically (Heaviside terms), then x is set to a permutation of
    distinct integers; g stays symbolic, so every entry of g is checked to go to the right place.
    """
    a, sizes = pool_arrays(case.d), case.sizes()
    x, g = _random_symbols(a.x, sizes), _random_symbols(a.g, sizes)
    y = evaluate(max_pool_forward(case.d), sizes, {a.x: x})["y"]
    grad = _diff_all(sp.Add(*(g * y).flat), x)
    rng = np.random.default_rng(case.N[0] * 10 + case.K[0])
    holds = True
    for _ in range(_MAX_POINTS):
        values = np.empty(x.shape, dtype=object)
        values.flat[:] = [sp.Integer(int(v)) for v in rng.permutation(x.size)]
        point = dict(zip(x.flat, values.flat))
        routed = evaluate(max_pool_grad(case.d), sizes, {a.x: values, a.g: g})["dx"]
        derived = np.vectorize(lambda e, point=point: e.xreplace(point), otypes=[object])(grad)
        holds &= equal_arrays(routed, derived)
    return {"max pooling: scatter of g to each window's maximum = sp.diff (distinct values)": holds}


# --- Proofs for every size: index algebra on sp.Sum ---------------------------------------------------


def _canonical_delta(expr: sp.Expr) -> sp.Expr:
    """δ(a, b) written δ(±(a − b), 0) with one sign, so equal deltas look equal."""

    def one(delta: sp.KroneckerDelta) -> sp.Expr:
        diff = sp.expand(delta.args[0] - delta.args[1])
        return sp.KroneckerDelta(-diff if diff.could_extract_minus_sign() else diff, 0)

    return expr.replace(lambda e: isinstance(e, sp.KroneckerDelta), one)


def _flatten(expr: sp.Expr) -> sp.Expr:
    """Nested sums and products of sums as one ``Sum`` over all the indices (finite sums commute)."""
    if isinstance(expr, sp.Sum):
        inner = _flatten(expr.function)
        if isinstance(inner, sp.Sum):
            return sp.Sum(inner.function, *inner.limits, *expr.limits)
        return sp.Sum(inner, *expr.limits)
    if isinstance(expr, sp.Mul):
        body, limits = sp.S.One, []
        for factor in map(_flatten, expr.args):
            if isinstance(factor, sp.Sum):
                body, limits = body * factor.function, limits + list(factor.limits)
            else:
                body *= factor
        return sp.Sum(body, *limits) if limits else body
    return expr


def _corners(expr: sp.Expr, ranges: dict) -> list[sp.Expr]:
    variables = sorted(expr.free_symbols & set(ranges), key=str)
    return [
        expr.xreplace(dict(zip(variables, corner)))
        for corner in itertools.product(*([ranges[v][0], ranges[v][1]] for v in variables))
    ]


def _within(expr: sp.Expr, lo: sp.Expr, hi: sp.Expr, ranges: dict) -> bool:
    """lo ≤ expr ≤ hi for every value of its indices in their ranges (expr affine: the corners decide)."""
    return all(
        bool((corner - lo).is_nonnegative) and bool((hi - corner).is_nonnegative) for corner in _corners(expr, ranges)
    )


def _eliminate(total: sp.Sum, free_ranges: dict) -> sp.Expr:
    """Sum out every index pinned by a Kronecker delta to a value that provably lies in its range."""
    body, limits = total.function, list(total.limits)
    changed = True
    while changed:
        changed = False
        for delta in [e for e in sp.Mul.make_args(body) if isinstance(e, sp.KroneckerDelta)]:
            for var, value in (delta.args, delta.args[::-1]):
                lim = next((lim for lim in limits if lim[0] == var), None)
                if lim is None or var in value.free_symbols:
                    continue
                ranges = dict(free_ranges) | {v: (lo, hi) for v, lo, hi in limits if v != var}
                if _within(value, lim[1], lim[2], ranges):
                    body = body.xreplace({var: value})
                    limits.remove(lim)
                    changed = True
                    break
            if changed:
                break
    return sp.Sum(body, *limits) if limits else body


def _unflip(total: sp.Sum) -> sp.Sum:
    """Change of variables k → K − 1 − k for every summation index that appears as ``K − 1 − k`` in an array index."""
    subs = {}
    for var, lo, hi in total.limits:
        if lo == 0 and any(
            sp.expand(idx - (hi - var)) == 0 for e in total.function.atoms(sp.Indexed) for idx in e.indices
        ):
            subs[var] = hi - var
    return sp.Sum(total.function.xreplace(subs), *total.limits)


def same_sum(left: sp.Expr, right: sp.Expr) -> bool:
    """Two sums are equal: the same limits (in any order) and summands whose difference expands to 0.

    Reordering is allowed because every range is a constant box (no limit mentions another summation
    index); a sum where one does is refused rather than compared.
    """
    left, right = _canonical_delta(_flatten(left)), _canonical_delta(_flatten(right))
    if isinstance(left, sp.Sum) != isinstance(right, sp.Sum):
        return False
    if not isinstance(left, sp.Sum):
        return sp.expand(left - right) == 0
    for total in (left, right):
        bound = {v for v, *_ in total.limits}
        if any((sp.sympify(lo).free_symbols | sp.sympify(hi).free_symbols) & bound for _, lo, hi in total.limits):
            raise ValueError(f"a limit depends on a summation index: {total.limits}")
    return set(left.limits) == set(right.limits) and sp.expand(left.function - right.function) == 0


def _loss(formula: IndexFormula, g: sp.IndexedBase, shape) -> sp.Expr:
    """L = Σ over the output of g · y, with y's sums merged into one sum per term."""
    outer = [(i, 0, size - 1) for i, size in zip(formula.indices, shape)]
    terms = []
    for term in sp.Add.make_args(formula.expr):
        gy = g[formula.indices] * (term.function if isinstance(term, sp.Sum) else term)
        terms.append(sp.Sum(gy, *outer, *(term.limits if isinstance(term, sp.Sum) else ())))
    return sp.Add(*terms)


def _derivative(loss: sp.Expr, wrt: sp.Indexed) -> sp.Expr:
    """``sp.diff`` of a sum of sums, term by term; terms whose summand is 0 are dropped."""
    terms = [sp.diff(term, wrt) for term in sp.Add.make_args(loss)]
    terms = [t for t in terms if not (t == 0 or (isinstance(t, sp.Sum) and t.function == 0))]
    if len(terms) != 1:
        raise ValueError(f"expected one non-zero term in the derivative with respect to {wrt}, got {len(terms)}")
    return terms[0]


def _fresh(prefix: str, count: int) -> tuple[sp.Symbol, ...]:
    return tuple(sp.Symbol(f"{prefix}{i}", integer=True, nonnegative=True) for i in range(count))


def _ranges(indices, shape) -> dict:
    return {i: (sp.S.Zero, size - 1) for i, size in zip(indices, shape)}


def _with_elements(expr: sp.Expr, lets: dict[str, Let]) -> sp.Expr:
    """``expr`` with every element of an intermediate array replaced by its element formula."""
    return expr.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base.name in lets,
        lambda e: element(lets[e.base.name], e.indices),
    )


@dataclass(frozen=True)
class SumProof:
    """The all-sizes proof of the input gradient: both sides as ``sp.Sum`` objects.

    ``derivative`` is ``sp.diff`` of the summed ``loss`` with respect to x̃[ν, γ, u, …] with the
    deltas that pin n and c summed out; ``program`` the gradient program's element formula with
    the spread gradient's elements substituted; ``unflipped`` the same after k → K − 1 − k.
    """

    index: tuple[sp.Symbol, ...]
    loss: sp.Expr
    derivative: sp.Expr
    program: sp.Expr
    unflipped: sp.Expr

    @property
    def holds(self) -> bool:
        return same_sum(self.derivative, self.unflipped)


@cache
def input_gradient_sums(d: int) -> SumProof:
    """Both sides of the input-gradient identity for every size, as sums over symbolic ranges."""
    sp_, a = space(d), conv_arrays(d)
    loss = _loss(conv_forward(d)[1].value, a.g, a.y.shape)
    index = (*_fresh("nu", 1), *_fresh("gamma", 1), *sp_.inputs)
    derivative = _eliminate(_flatten(_derivative(loss, a.xp[index])), _ranges(index, a.xp.shape))
    gp, dxp, _ = conv_grad_input(d)
    program = _flatten(_with_elements(element(dxp, index), {"gp": gp}))
    return SumProof(index, loss, derivative, program, _unflip(program))


@cache
def general_input_gradient_proof(d: int) -> bool:
    """For all sizes: ∂L/∂x̃[ν,γ,u,v] (sp.diff of the summed loss) = the program's full correlation, elementwise."""
    return input_gradient_sums(d).holds


@cache
def general_weight_gradient_proof(d: int) -> dict[str, bool]:
    """For all sizes: ∂L/∂w and ∂L/∂b (sp.diff of the summed loss) = the programs' formulas, both readings of ∂L/∂w."""
    a = conv_arrays(d)
    forward = conv_forward(d)[1]
    loss = _loss(forward.value, a.g, a.y.shape)
    index = _fresh("phi", 1) + _fresh("gamma", 1) + _fresh("kappa", d)
    lhs = _eliminate(_flatten(_derivative(loss, a.w[index])), _ranges(index, a.w.shape))
    windows = element(conv_grad_weight(d)[1], index)
    _, gd, dw = conv_grad_weight_dilated(d)
    dilated = _flatten(_with_elements(element(dw, index), {"gd": gd}))
    dilated = _eliminate(dilated, _ranges(index, a.w.shape))
    (phi,) = _fresh("phi", 1)
    bias = _eliminate(_flatten(_derivative(loss, a.b[phi])), _ranges((phi,), a.b.shape))
    return {
        "kernel gradient = Σ g · windows of x̃": same_sum(lhs, windows),
        "kernel gradient = x̃ ⋆ (g dilated by s)": same_sum(lhs, dilated),
        "bias gradient = Σ g": same_sum(bias, element(conv_grad_bias(d)[0], (phi,))),
    }


@cache
def general_avg_pool_proof(d: int) -> bool:
    """For all sizes: ∂L/∂x̃ of average pooling (sp.diff of the summed loss) = the program's scatter."""
    sp_, a = space(d), pool_arrays(d)
    loss = _loss(avg_pool_forward(d)[1].value, a.g, a.y.shape)
    index = (*_fresh("nu", 1), *_fresh("gamma", 1), *sp_.inputs)
    lhs = _eliminate(_flatten(_derivative(loss, a.xp[index])), _ranges(index, a.xp.shape))
    return same_sum(lhs, element(avg_pool_grad(d)[0], index))


# --- What the course shows: the worked example and the all-sizes proof, as equations ----------------------

# The worked example: one channel, input 5, kernel 3, stride 2, padding 1 (output 3).
EXAMPLE = Case(1, 1, 1, (5,), (3,), (2,), (1,))


def _short_names(array: np.ndarray, name: str) -> dict[sp.Symbol, sp.Symbol]:
    """Symbols of a one-sample, one-channel array renamed by their spatial index only: x_{0,0,3} → x_{3}."""
    out = {}
    for idx in np.ndindex(array.shape):
        spatial = idx[2:] if array.ndim > 2 else idx[-1:]
        out[array[idx]] = sp.Symbol(f"{name}_{{{','.join(map(str, spatial))}}}", real=True)
    return out


def _row(values) -> sp.Matrix:
    return sp.Matrix([list(values)])


def _col(values) -> sp.Matrix:
    return sp.Matrix(list(values))


@dataclass(frozen=True)
class Example:
    """A 1-D, one-channel case evaluated exactly, as equations (entries named by position: x_{3}, w_{1}, g_{0}).

    ``equations``: the padded input x̃, the output y, sp.diff's input gradient x̄, the recipe's spread gradient
    g̃, the flipped kernel, its correlation x̄̃, im2col's X_col and W_row, the Toeplitz matrix T and Tᵀg.
    ``holds``: the recipe's input gradient equals sp.diff's.
    """

    equations: dict[str, sp.Eq]
    holds: bool


@cache
def example(case: Case = EXAMPLE) -> Example:
    """The worked example: definition, gradient recipe and matrix forms evaluated at ``case`` (1-D, one channel)."""
    a = conv_arrays(1)
    dv, sizes = conv_derivation(case), case.sizes()
    names = _short_names(dv.x, "x") | _short_names(dv.g, "g")
    names |= {dv.w[0, 0, k]: sp.Symbol(f"w_{{{k}}}") for k in range(case.K[0])}
    names[dv.b[0]] = sp.Symbol("b")

    def shown(name: str, value: sp.Basic) -> sp.Eq:
        return sp.Eq(sp.Symbol(name), value.xreplace(names), evaluate=False)

    forward = evaluate(conv_forward(1), sizes, {a.x: dv.x, a.w: dv.w, a.b: dv.b})
    grad = evaluate(conv_grad_input(1), sizes, {a.x: dv.x, a.w: dv.w, a.g: dv.g})
    mf = matrix_form(case)
    equations = {
        "xp": shown(r"\tilde{x}", _row(forward["xp"][0, 0])),
        "y": shown("y", _col(dv.y[0, 0])),
        "diff": shown(r"\bar{x}", _col(dv.dx[0, 0])),
        "gp": shown(r"\tilde{g}", _row(grad["gp"][0, 0])),
        "flipped": shown(r"w^{\mathrm{flip}}", _row(dv.w[0, 0, ::-1])),
        "dxp": shown(r"\bar{\tilde{x}}", _row(grad["dxp"][0, 0])),
        "columns": shown(r"X_{\mathrm{col}}", mf.columns),
        "kernel_rows": shown(r"W_{\mathrm{row}}", mf.kernel_rows),
        "toeplitz": shown("T", mf.toeplitz),
        "transposed": shown(r"T^{\top} g", mf.toeplitz.T * mf.g),
    }
    return Example(equations, equal_arrays(grad["dx"], dv.dx))


def output_size_equations(d: int) -> list[sp.Eq]:
    """L_i = ⌊(N_i + 2p_i − K_i)/s_i⌋ + 1 for each spatial axis."""
    return [sp.Eq(size, formula, evaluate=False) for size, formula in space(d).output_sizes()]


@dataclass(frozen=True)
class ShownProof:
    """The all-sizes proof of the input gradient as the course shows it, with the bound ν, γ written n, c.

    ``derivative`` is ∂L/∂``element``; ``program`` the gradient program's element formula, ``unflipped``
    the same after k → K − 1 − k.
    """

    loss: sp.Eq
    element: sp.Basic
    derivative: sp.Expr
    program: sp.Eq
    unflipped: sp.Expr
    holds: bool


@cache
def shown_input_gradient_proof(d: int = 1) -> ShownProof:
    """:func:`input_gradient_sums` with the display names of :func:`display`."""
    proof = input_gradient_sums(d)
    back = {proof.index[0]: n, proof.index[1]: c}

    def shown(e: sp.Basic) -> sp.Basic:
        return display(e.xreplace(back))

    at = (n, c, *proof.index[2:])
    a = conv_arrays(d)
    return ShownProof(
        loss=shown(sp.Eq(sp.Symbol("L"), proof.loss, evaluate=False)),
        element=shown(a.xp[at]),
        derivative=shown(proof.derivative),
        program=shown(sp.Eq(a.dxp[at], proof.program, evaluate=False)),
        unflipped=shown(proof.unflipped),
        holds=proof.holds,
    )


def max_derivative_equation(size: int = 4) -> sp.Eq:
    """∂ max(x₀, …)/∂x₀ = SymPy's derivative of a window's maximum (a Heaviside of x₀ − the others' maximum)."""
    xs = sp.symbols(f"x_0:{size}", real=True)
    return sp.Eq(sp.Derivative(sp.Max(*xs), xs[0]), max_window_derivative(size)[0], evaluate=False)


# --- The generated NumPy module -------------------------------------------------------------------------


def _conv_signature(d: int, arrays: tuple[sp.IndexedBase, ...]) -> Signature:
    sp_ = space(d)
    return Signature(
        arrays,
        (Parameter("stride", sp_.s, "1"), Parameter("padding", sp_.p, "0")),
        sp_.output_sizes(),
        sp_.python_names() | {C: "c_in"},
    )


def _pool_signature(d: int, arrays: tuple[sp.IndexedBase, ...]) -> Signature:
    sp_ = space(d)
    return Signature(
        arrays,
        (
            Parameter("kernel_size", sp_.K),
            Parameter("stride", sp_.s, None, fallback="kernel_size"),
            Parameter("padding", sp_.p, "0"),
        ),
        sp_.output_sizes(),
        sp_.python_names() | {C: "channels"},
    )


# How pages, handouts and docstrings write the arrays (the Python names are those of the generated code).
DISPLAY_NAMES = {
    "xp": r"\tilde{x}",
    "gp": r"\tilde{g}",
    "gd": r"\hat{g}",
    "dxp": r"\bar{\tilde{x}}",
    "dx": r"\bar{x}",
    "dw": r"\bar{w}",
    "db": r"\bar{b}",
    "mask": "M",
}


def display(expr: sp.Basic) -> sp.Basic:
    """``expr`` with the arrays renamed for reading: x̃ padded input, x̄ = ∂L/∂x (adjoint notation), …"""
    return expr.replace(
        lambda e: isinstance(e, sp.IndexedBase) and e.name in DISPLAY_NAMES,
        lambda e: sp.IndexedBase(DISPLAY_NAMES[e.name], shape=e.shape),
    )


def let_index(let: Let) -> tuple[sp.Symbol, ...]:
    """The index symbols of a definition: an index formula's own, else n, c or f, then u, v (m, q for spreads)."""
    if isinstance(let.value, IndexFormula):
        return let.value.indices
    shape = let.target.shape
    d = len(shape) - 2
    channel = {C: c, F: f}[shape[1]]
    spatial = DILATED[:d] if isinstance(let.value, Spread) else INPUTS[:d]
    return (n, channel, *spatial)


def program_equations(program: Program) -> list[sp.Eq]:
    """Every definition of ``program`` with an element formula, as ``target[index] = formula`` (display names)."""
    out = []
    for let in program:
        if isinstance(let.value, FirstMaxMask):
            continue
        index = let_index(let)
        rhs = let.value.expr if isinstance(let.value, IndexFormula) else element(let, index)
        out.append(display(sp.Eq(let.target[index], rhs, evaluate=False)))
    return out


def _latex(program: Program) -> list[str]:
    from derive.printing.latex import latex

    return [latex(eq) for eq in program_equations(program)]


def generated_functions() -> list[tuple[str, Signature, Program, str]]:
    """(name, signature, program, docstring line) of every generated function, 1-D and 2-D."""
    out = []
    for d in DIMENSIONS:
        ca, pa = conv_arrays(d), pool_arrays(d)
        layout = "(batch, channels, length)" if d == 1 else "(batch, channels, height, width)"
        out += [
            (
                f"conv{d}d",
                _conv_signature(d, (ca.x, ca.w, ca.b)),
                conv_forward(d),
                f"{d}-D convolution (cross-correlation) with stride and zero padding; x {layout}, "
                f"w (c_out, c_in, kernel…), b (c_out,), as torch.nn.functional.conv{d}d.",
            ),
            (
                f"conv{d}d_grad_input",
                _conv_signature(d, (ca.x, ca.w, ca.g)),
                conv_grad_input(d),
                f"Gradient of sum(g * conv{d}d(x, w, b)) with respect to x: the full correlation of g "
                "(dilated by the stride, padded by kernel − 1) with the flipped kernel, cropped by the padding.",
            ),
            (
                f"conv{d}d_grad_weight",
                _conv_signature(d, (ca.x, ca.w, ca.g)),
                conv_grad_weight(d),
                f"Gradient of sum(g * conv{d}d(x, w, b)) with respect to w: the windows of the padded input "
                "weighted by g (x̃ correlated with g dilated by the stride).",
            ),
            (
                f"conv{d}d_grad_bias",
                Signature((ca.g,), names=space(d).python_names()),
                conv_grad_bias(d),
                f"Gradient of sum(g * conv{d}d(x, w, b)) with respect to b: g summed over batch and positions.",
            ),
            (
                f"max_pool{d}d",
                _pool_signature(d, (pa.x,)),
                max_pool_forward(d),
                f"{d}-D max pooling, padding with −inf, as torch.nn.functional.max_pool{d}d "
                "(stride defaults to kernel_size).",
            ),
            (
                f"max_pool{d}d_grad",
                _pool_signature(d, (pa.x, pa.g)),
                max_pool_grad(d),
                f"Gradient of sum(g * max_pool{d}d(x, …)) with respect to x: each window's g goes to its first "
                "maximum (row-major; PyTorch's tie rule); overlapping windows add up.",
            ),
            (
                f"avg_pool{d}d",
                _pool_signature(d, (pa.x,)),
                avg_pool_forward(d),
                f"{d}-D average pooling with zero padding counted in the mean (K₁K₂ divisor), as "
                f"torch.nn.functional.avg_pool{d}d.",
            ),
            (
                f"avg_pool{d}d_grad",
                _pool_signature(d, (pa.x, pa.g)),
                avg_pool_grad(d),
                f"Gradient of sum(g * avg_pool{d}d(x, …)) with respect to x: g/(K₁K₂) spread over each window.",
            ),
        ]
    return out


def generated_module() -> str:
    """``numeric/_generated/convolution.py``: convolution and pooling and their gradients, printed from the programs."""
    from derive.numerics.codegen import module_text

    sources, names = [], []
    for name, signature, program, doc in generated_functions():
        formulas = _latex(program)
        sources.append(program_function(name, signature, program, doc, formulas))
        names.append(name)
    return module_text("NumPy convolution and pooling generated from derive/topics/convolution.py", sources, names)


GENERATED = GeneratedModule("convolution.py", generated_module)


def formulas() -> list[tuple[str, str]]:
    """``nnmath list`` entries of this topic."""
    out = []
    for d in DIMENSIONS:
        out += [
            (f"conv{d}d", f"{d}-D convolution as cross-correlation with stride and padding (im2col, einsum)"),
            (
                f"conv{d}d_grad_input",
                "input gradient: full correlation of the dilated gradient with the flipped kernel",
            ),
            (f"conv{d}d_grad_weight", "kernel gradient: correlation of the padded input with the gradient"),
            (f"conv{d}d_grad_bias", "bias gradient: the upstream gradient summed"),
            (f"max_pool{d}d", f"{d}-D max pooling (padding −inf)"),
            (f"max_pool{d}d_grad", "max-pooling gradient: routed to each window's first maximum"),
            (f"avg_pool{d}d", f"{d}-D average pooling (padding counted)"),
            (f"avg_pool{d}d_grad", "average-pooling gradient: spread evenly over each window"),
        ]
    return out


__all__ = [
    "Space",
    "space",
    "output_size",
    "conv_arrays",
    "pool_arrays",
    "conv_forward",
    "conv_grad_input",
    "conv_grad_weight",
    "conv_grad_weight_dilated",
    "conv_grad_bias",
    "avg_pool_forward",
    "avg_pool_grad",
    "max_pool_forward",
    "max_pool_grad",
    "Case",
    "CONV_CASES",
    "POOL_CASES",
    "conv_derivation",
    "conv_gradient_checks",
    "matrix_form",
    "matrix_form_checks",
    "avg_pool_checks",
    "max_pool_checks",
    "max_local_proof",
    "max_window_derivative",
    "SumProof",
    "input_gradient_sums",
    "general_input_gradient_proof",
    "general_weight_gradient_proof",
    "general_avg_pool_proof",
    "DISPLAY_NAMES",
    "display",
    "let_index",
    "program_equations",
    "generated_functions",
    "generated_module",
    "formulas",
]
