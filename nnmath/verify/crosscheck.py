"""Cross-check every generated gradient against two independent computations.

For each catalogue entry, at random points (a batch of ``n`` samples):

* **finite differences** — central differences of the generated *function*,
  step h = ε^(1/3)·max(|x|, 0.01);  bound 1e-6;
* **autodiff** — PyTorch (float64) differentiates the *textbook definition*
  of the entry (``derive`` → ``sympy.lambdify(..., "torch")``), so neither
  our derivative nor our stable rewrites take part;  bound 1e-10.

Errors are normwise relative: ‖g − g_ref‖∞ / ‖g_ref‖∞ over the batch (the
LAPACK convention), so a gradient that is 0 at one point does not turn a
rounding error into an infinite relative error.  Points are drawn at least
1e-3 away from the non-differentiable points of an entry (its kinks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from derive.calculus.derivation import component, textbook_definition
from derive.catalogue.entry import ELEMENTWISE, VECTOR_LOSS, VECTOR_MAP, Entry
from numeric.registry import NumericEntry, lookup

FD_BOUND = 1e-6
AUTODIFF_BOUND = 1e-10
FD_CLASSES = 5  # vector entries are checked at another K than the K = 3 they were derived with
KINK_MARGIN = 1e-3


@dataclass(frozen=True)
class CheckResult:
    """The measured errors of one entry (``None`` where not measured)."""

    name: str
    group: str
    fd_error: float
    autodiff_error: float | None
    points: int

    @property
    def passed(self) -> bool:
        ok_ad = self.autodiff_error is None or self.autodiff_error <= AUTODIFF_BOUND
        return self.fd_error <= FD_BOUND and ok_ad


def sample(entry: Entry, n: int, k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Random arguments for ``entry``: a batch of ``n`` (times ``k`` classes for vectors)."""
    shape = (n, k) if entry.kind != ELEMENTWISE else (n,)
    out: dict[str, np.ndarray] = {}
    for arg in entry.args:
        if arg in entry.params:
            continue
        how = entry.domain.get(arg, "range" if arg == entry.wrt else "normal")
        if how == "range":
            lo, hi = entry.plot_range
            v = rng.uniform(lo, hi, shape)
        elif how == "normal":
            v = rng.normal(0.0, 2.0, shape)
        elif how == "unit":
            v = rng.uniform(0.05, 0.95, shape)
        elif how == "sign":
            v = rng.choice([-1.0, 1.0], shape)
        elif how == "simplex":
            e = np.exp(rng.normal(0.0, 1.0, shape))
            v = e / e.sum(axis=-1, keepdims=True)
        else:
            raise ValueError(f"{entry.name}: unknown domain {how!r} for {arg}")
        out[arg.name] = v
    return _away_from_kinks(entry, out)


def _away_from_kinks(entry: Entry, args: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Nudge points within KINK_MARGIN of a kink (in the residual ŷ − y for losses)."""
    if not entry.kinks:
        return args
    w = entry.wrt.name
    other = {"pred": "target"}.get(w)
    if entry.name == "hinge":
        at = args["pred"] * args["target"]
        shift = lambda v: v * args["target"]  # noqa: E731 - margin y·ŷ → ŷ
    else:
        at = args[w] - (args[other] if other in args else 0.0)
        shift = lambda v: v  # noqa: E731
    for kink in entry.kinks:
        close = np.abs(at - kink) < KINK_MARGIN
        args[w] = np.where(close, args[w] + shift(np.sign(at - kink + 1e-300) * 2 * KINK_MARGIN), args[w])
    return args


def _params(entry: Entry) -> dict[str, float]:
    return {p.name: v for p, v in entry.params.items()}


def _normwise(a: np.ndarray, b: np.ndarray) -> float:
    scale = float(np.max(np.abs(b)))
    return float(np.max(np.abs(a - b))) / (scale if scale > 0 else 1.0)


def _step(x: np.ndarray) -> np.ndarray:
    """Central-difference step: relative to x, which balances truncation and rounding."""
    return np.finfo(float).eps ** (1 / 3) * np.maximum(np.abs(x), 0.01)


def finite_difference(entry: Entry, args: dict[str, np.ndarray], numeric: NumericEntry | None = None) -> np.ndarray:
    """Central differences of the generated function in its ``wrt`` argument.

    Shapes follow the generated gradient: (n,) elementwise, (n, K) for a
    vector loss, (n, K, K) for a vector map's Jacobian (∂f_i/∂z_j at [i, j]).
    ``numeric``: the functions of an entry built at run time (default: ``lookup(entry.name)``).
    """
    f = (numeric or lookup(entry.name)).function
    w = entry.wrt.name
    x = args[w]
    params = _params(entry)

    def at(xv):
        return f(**{**args, w: xv}, **params)

    if entry.kind == ELEMENTWISE:
        h = _step(x)
        return (at(x + h) - at(x - h)) / (2 * h)
    n, k = x.shape
    cols = []
    for j in range(k):
        h = _step(x[:, j])
        step = np.zeros_like(x)
        step[:, j] = h
        d = (at(x + step) - at(x - step)) / (2 * h[:, None] if entry.kind == VECTOR_MAP else 2 * h)
        cols.append(d)
    return np.stack(cols, axis=-1)  # map: (n, K_out, K_in); loss: (n, K)


def _floats(expr: sp.Expr) -> sp.Expr:
    """Numeric constants (√2, π) as floats, as PyTorch functions need tensors or floats."""
    return expr.replace(lambda e: e.is_number and not e.is_Rational, lambda e: sp.Float(sp.N(e, 20), 20))


def autodiff(entry: Entry, args: dict[str, np.ndarray]) -> np.ndarray:
    """PyTorch float64 gradient of the entry's textbook definition (K = 3 for vectors)."""
    import torch

    definition = _floats(textbook_definition(entry))
    tensors = {name: torch.tensor(v, dtype=torch.float64) for name, v in args.items()}
    x = tensors[entry.wrt.name].clone().requires_grad_(True)
    params = {k: torch.tensor(v, dtype=torch.float64) for k, v in _params(entry).items()}

    if entry.kind == ELEMENTWISE:
        symbols = list(entry.args)
        f = sp.lambdify(symbols, definition, modules="torch")
        values = [x if a == entry.wrt else tensors.get(a.name, params.get(a.name)) for a in symbols]
        (g,) = torch.autograd.grad(f(*values).sum(), x)
        return g.numpy()

    symbols = [s for comps in entry.components.values() for s in comps]
    per_arg = {base: comps for base, comps in entry.components.items()}

    def columns():
        for base, comps in per_arg.items():
            t = x if base == entry.wrt else tensors[base.name]
            yield from (t[..., i] for i in range(len(comps)))

    if entry.kind == VECTOR_LOSS:
        f = sp.lambdify(symbols, definition, modules="torch")
        (g,) = torch.autograd.grad(f(*columns()).sum(), x)
        return g.numpy()

    k = len(entry.components[entry.wrt])
    rows = []
    for i in range(k):
        f = sp.lambdify(symbols, _floats(component(textbook_definition(entry), entry, i)), modules="torch")
        (g,) = torch.autograd.grad(f(*columns()).sum(), x)
        rows.append(g.numpy())
    return np.stack(rows, axis=-2)  # (n, K_out, K_in)


# PyTorch's implementation of a catalogue activation: name -> f(torch.nn.functional, x, **parameters).
TORCH_FUNCTIONS: dict[str, Callable] = {
    "sigmoid": lambda nn, x: nn.sigmoid(x),
    "tanh": lambda nn, x: nn.tanh(x),
    "relu": lambda nn, x: nn.relu(x),
    "leaky_relu": lambda nn, x, alpha: nn.leaky_relu(x, alpha),
    "elu": lambda nn, x, alpha: nn.elu(x, alpha),
    "softplus": lambda nn, x: nn.softplus(x),
    "log_sigmoid": lambda nn, x: nn.logsigmoid(x),
    "gelu": lambda nn, x: nn.gelu(x),
    "silu": lambda nn, x: nn.silu(x),
    "softsign": lambda nn, x: nn.softsign(x),
    "mish": lambda nn, x: nn.mish(x),
    "selu": lambda nn, x, alpha, lam: nn.selu(x),  # Klambauer's constants, fixed in PyTorch: the defaults
    "gelu_tanh": lambda nn, x, kappa: nn.gelu(x, approximate="tanh"),  # κ = 0.044715, fixed in PyTorch
}


def torch_errors(entry: Entry, n: int = 200, seed: int = 0) -> tuple[float, float] | None:
    """Normwise relative errors of the generated function and gradient against PyTorch's own implementation
    (float64, autograd) at ``n`` random points away from kinks; ``None`` where PyTorch has no such function."""
    import torch
    import torch.nn.functional as F  # noqa: N812 - PyTorch's own convention

    if entry.name not in TORCH_FUNCTIONS:
        return None
    args = sample(entry, n, 1, np.random.default_rng(seed))
    x = torch.tensor(args[entry.wrt.name], dtype=torch.float64, requires_grad=True)
    value = TORCH_FUNCTIONS[entry.name](F, x, **_params(entry))
    (grad,) = torch.autograd.grad(value.sum(), x)
    ours = lookup(entry.name)
    return (
        _normwise(ours.function(**args, **_params(entry)), value.detach().numpy()),
        _normwise(ours.gradient(**args, **_params(entry)), grad.numpy()),
    )


def check_entry(
    entry: Entry, n: int = 200, seed: int = 0, with_autodiff: bool = True, numeric: NumericEntry | None = None
) -> CheckResult:
    """Measure the generated gradient of ``entry`` against both references.

    ``numeric``: the functions of an entry built at run time (default: ``lookup(entry.name)``).
    """
    rng = np.random.default_rng(seed)
    g = (numeric or lookup(entry.name)).gradient
    params = _params(entry)

    fd_args = sample(entry, n, FD_CLASSES, rng)
    fd_error = _normwise(g(**fd_args, **params), finite_difference(entry, fd_args, numeric))

    ad_error = None
    if with_autodiff:
        k = len(entry.components[entry.wrt]) if entry.is_vector else 1
        ad_args = sample(entry, n, k, rng)
        ad_error = _normwise(g(**ad_args, **params), autodiff(entry, ad_args))
    return CheckResult(entry.name, entry.group, fd_error, ad_error, n)


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True
