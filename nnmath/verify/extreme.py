"""The hostile-number sweep: every generated function and gradient at extreme inputs, in ULPs.

For every catalogue entry, its generated NumPy function and gradient are run
at ±0, subnormals, ±1e-300, ±1e-8, ±1, ±30, ±40, ±710, ±1e308, ±∞ and nan —
for two-argument losses on the grid of these values and the targets, for
vector entries (K = 3) on vectors built from them, for probabilities on
0, subnormals, 1e-300, 1e-8, 0.3, 0.5, 1 − 2⁻⁵³, 1 and nan; parameters at
their defaults — and compared with the derivation's own SymPy expression (the
definition and the gradient ``derive`` computed, not the stabilised form the
code is printed from) evaluated by mpmath to 50 digits
(:mod:`nnmath.verify.extreme_reference`: limits at ±∞, ULPs).

Per function the sweep counts

* non-finite results (nan, ±inf) where the exact value is a finite double;
* nan failures: a number where the exact value is nan (a nan input it
  depends on, or an undefined limit such as mse(∞, ∞) or softmax(∞, ∞, 0));
* RuntimeWarnings where no result is infinite (overflow, a pole such as
  log 0: the warning is IEEE's signal) or undefined at an infinite input (∞ − ∞);

and the largest error in ULPs (∞ for a wrong infinity).  A function passes
with no non-finite result, no nan failure, no such warning and its largest
error within :data:`BOUNDS` (4 ULP unless a reason is given there).
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import time
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import cache

import mpmath
import numpy as np
import sympy as sp

from derive.calculus.derivation import component, gradient
from derive.catalogue import entries
from derive.catalogue.entry import ELEMENTWISE, VECTOR_MAP, Entry
from nnmath.paths import CACHE as CACHES
from nnmath.paths import ROOT
from nnmath.verify.extreme_reference import nearest_double, reference, references_at, ulp_error
from numeric.registry import lookup

INF, NAN = math.inf, math.nan
SUBNORMALS = (5e-324, 2.2250738585072014e-308 / 2)
HOSTILE: tuple[float, ...] = (
    0.0,
    -0.0,
    *[s * v for v in SUBNORMALS for s in (1, -1)],
    *[s * v for v in (1e-300, 1e-8, 1.0, 30.0, 40.0, 710.0, 1e308, INF) for s in (1, -1)],
    NAN,
)
UNIT: tuple[float, ...] = (0.0, *SUBNORMALS, 1e-300, 1e-8, 0.3, 0.5, 1 - 2**-53, 1.0, NAN)
SIGN: tuple[float, ...] = (-1.0, 1.0, NAN)
SIMPLEX_TARGETS: tuple[tuple[float, ...], ...] = (
    (1.0, 0.0, 0.0),
    (0.0, 1.0, 0.0),
    (0.0, 0.0, 1.0),
    (0.2, 0.3, 0.5),
    (0.25, 0.25, 0.5),  # soft targets close to softmax(1, 2, 3): p − y cancels (issue 16)
    (0.0, 0.5, 0.5),
    (NAN, 0.0, 1.0),
)
# Vectors from shared/notes/pitfalls.md: the max shift loses ~150 ULP, log-softmax ~4e15 ULP, overflow.
PITFALL_LOGITS: tuple[tuple[float, ...], ...] = (
    (0.1, -700.3, -30.7),
    (36.7, 0.0, -36.7),
    (1000.0, 999.0, 0.0),
    (1.0, 2.0, 3.0),  # with the targets (.25, .25, .5): p·Σy − y was 13 ULP off in double precision
)

# The exact values of a function at its points (mpmath, most of the sweep's time) depend only on its SymPy
# expressions, the points and the evaluator: cached per function, keyed by those, so a change of the
# generated code or of another entry re-runs the NumPy side only.
REFERENCES = CACHES / "extreme"
EVALUATOR = (ROOT / "nnmath" / "verify" / "extreme_reference.py", ROOT / "derive" / "calculus" / "functions.py")

DEFAULT_BOUND = 4.0
# Function -> (largest ULP error allowed, why it exceeds DEFAULT_BOUND).  The only place a bound is loosened.
BOUNDS: dict[str, tuple[float, str]] = {}  # none: every function is within DEFAULT_BOUND


@dataclass(frozen=True)
class SweepRow:
    """The sweep of one generated function.

    Attributes:
        function: ``sigmoid`` or ``sigmoid_grad``.
        entry: Catalogue name.
        points: Input points (a vector entry's point gives K or K×K outputs).
        outputs: Values compared.
        nonfinite: Outputs that are nan or ±inf where the exact value is a finite double.
        nan_failures: Outputs that are not nan where the exact value is nan (nan input, undefined limit).
        warnings: Points that emitted a RuntimeWarning although no output there is infinite or undefined.
        max_ulp: Largest error in ULPs over the outputs where both values are finite (∞: a wrong infinity).
        worst: The input of ``max_ulp``.
        bound: The documented bound on ``max_ulp``.
        reason: Why the bound exceeds DEFAULT_BOUND ("" when it does not).
    """

    function: str
    entry: str
    points: int
    outputs: int
    nonfinite: int
    nan_failures: int
    warnings: int
    max_ulp: float
    worst: str
    bound: float
    reason: str

    @property
    def passed(self) -> bool:
        return not (self.nonfinite or self.nan_failures or self.warnings) and self.max_ulp <= self.bound

    @property
    def nan_ok(self) -> bool:
        return self.nan_failures == 0


# --- the points ------------------------------------------------------------------------------


def _values(entry: Entry, arg: sp.Symbol) -> tuple:
    """The sweep values of one argument (a scalar per point, or a K-vector for vector arguments)."""
    how = entry.domain.get(arg, "real")
    if arg in entry.components:
        if how == "simplex" and arg == entry.wrt:
            return tuple(v for u in UNIT for v in ((u, 0.25, 0.75), (u, 1.0 - u, 0.0), (1.0, 0.0, u)))
        if how == "simplex":
            return SIMPLEX_TARGETS
        vectors = [vec for v in HOSTILE for vec in ((v, 0.0, 1.0), (v, v, v), (v, -v, 0.0))]
        return tuple(vectors) + PITFALL_LOGITS
    return {"unit": UNIT, "sign": SIGN}.get(how, HOSTILE)


def points(entry: Entry) -> list[dict[str, object]]:
    """Every input point of ``entry``: argument name -> value (float, or a tuple for a vector)."""
    args = [a for a in entry.args if a not in entry.params]
    grid: list[dict[str, object]] = [{}]
    for a in args:
        grid = [{**p, a.name: v} for p in grid for v in _values(entry, a)]
    return grid


def _symbol_values(entry: Entry, point: dict[str, object]) -> dict[sp.Symbol, float]:
    """The point as exact values of the derivation's symbols (components for vectors, parameters at defaults)."""
    out: dict[sp.Symbol, float] = {p: float(v) for p, v in entry.params.items()}
    for a in entry.args:
        if a in entry.params:
            continue
        v = point[a.name]
        if a in entry.components:
            out.update({s: float(x) for s, x in zip(entry.components[a], v)})
        else:
            out[a] = float(v)
    return out


def _domains(entry: Entry) -> dict[sp.Symbol, str]:
    out = dict(entry.domain)
    for base, comps in entry.components.items():
        out.update({c: entry.domain.get(base, "real") for c in comps})
    return out


@cache
def expressions(entry: Entry, which: str) -> tuple[sp.Expr, ...]:
    """The derivation's expressions of ``which`` ("function" or "gradient"), in the order NumPy returns them."""
    if which == "function":
        if entry.kind == VECTOR_MAP:
            return tuple(component(entry.expr, entry, k) for k in range(len(entry.components[entry.wrt])))
        return (entry.expr,)
    g = gradient(entry)  # the gradient derive() proves things of; the proofs are not needed here
    if entry.kind == ELEMENTWISE:
        return (g,)
    if entry.kind == VECTOR_MAP:
        return tuple(g)  # row-major: ∂f_i/∂z_j
    return tuple(component(g, entry, k) for k in range(len(entry.components[entry.wrt])))


# --- one point ---------------------------------------------------------------------------------


def computed(entry: Entry, which: str, point: dict[str, object]) -> tuple[list[float], list[str]]:
    """The generated function's outputs at ``point`` (flattened) and the RuntimeWarnings it emitted."""
    n = lookup(entry.name)
    fn = n.function if which == "function" else n.gradient
    kwargs = {k: np.array(v, dtype=np.float64) for k, v in point.items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(**kwargs)
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return [float(v) for v in np.asarray(out, dtype=np.float64).ravel()], messages


def _fmt(v: object) -> str:
    if isinstance(v, tuple):
        return "(" + ", ".join(_fmt(x) for x in v) + ")"
    return repr(float(v)).replace("inf", "∞").replace("e+", "e")


def describe(point: dict[str, object]) -> str:
    """``x=-30.0`` / ``logits=(36.7, 0.0, -36.7), target=(1.0, 0.0, 0.0)``."""
    return ", ".join(f"{k}={_fmt(v)}" for k, v in point.items())


@dataclass
class _Tally:
    outputs: int = 0
    nonfinite: int = 0
    nan_failures: int = 0
    warnings: int = 0
    max_ulp: float = 0.0
    worst: dict[str, object] | None = None  # the point of max_ulp (described once, at the end)

    def add(self, got: float, exact: mpmath.mpf, where: dict[str, object]) -> None:
        self.outputs += 1
        rounded = nearest_double(exact)
        if math.isnan(rounded):
            self.nan_failures += not math.isnan(got)
            return
        if math.isfinite(rounded) and not math.isfinite(got):
            self.nonfinite += 1
            return
        if math.isnan(got):
            err = math.inf
        else:
            err = ulp_error(got, exact)
        if err > self.max_ulp or self.worst is None:
            self.max_ulp, self.worst = err, where


def _point_warns(messages: list[str], refs: list[float], point: dict[str, object]) -> bool:
    """A warning counts unless some output is infinite, or some output is nan at an infinite input
    (undefined, as ∞ − ∞): IEEE's overflow, divide-by-zero and invalid signals where they are due."""
    if not messages:
        return False
    infinite_input = any(math.isinf(x) for v in point.values() for x in (v if isinstance(v, tuple) else (v,)))
    infinite = any(math.isinf(r) for r in refs)
    undefined = any(math.isnan(r) for r in refs) and infinite_input
    return not (infinite or undefined)


def _reference_key(exprs: tuple[sp.Expr, ...], domains: dict, values: list[dict[sp.Symbol, float]]) -> str:
    """SHA-256 of what the exact values depend on: the expressions, the domains, the points, the evaluator."""
    h, names = hashlib.sha256(), {s: sp.srepr(s) for s in {s for p in values for s in p}}
    for part in (
        [sp.srepr(e) for e in exprs],
        sorted((sp.srepr(s), d) for s, d in domains.items()),
        [sorted((names[s], repr(v)) for s, v in p.items()) for p in values],
        mpmath.__version__,
    ):
        h.update(repr(part).encode())
    for path in EVALUATOR:
        h.update(path.read_bytes())
    return h.hexdigest()


def references(
    name: str, exprs: tuple[sp.Expr, ...], domains: dict, values: list[dict[sp.Symbol, float]]
) -> list[list[mpmath.mpf]]:
    """The exact values of ``exprs`` at each point of ``values`` (mpmath, 50 digits), from ``.cache/extreme/``
    while the expressions, points and evaluator are unchanged; computed and cached (atomically) otherwise."""
    key, path = _reference_key(exprs, domains, values), REFERENCES / f"{name}.pickle"
    try:
        with open(path, "rb") as f:
            stored = pickle.load(f)
        if isinstance(stored, dict) and stored.get("key") == key:
            return stored["values"]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    exact = [references_at(exprs, v, domains) for v in values]
    REFERENCES.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump({"key": key, "values": exact}, f, protocol=5)
    tmp.replace(path)
    return exact


def sweep_function(entry: Entry, which: str) -> SweepRow:
    """The sweep of ``entry``'s function or gradient."""
    name = entry.name if which == "function" else f"{entry.name}_grad"
    exprs, domains = expressions(entry, which), _domains(entry)
    tally, pts = _Tally(), points(entry)
    for point, exact in zip(pts, references(name, exprs, domains, [_symbol_values(entry, p) for p in pts])):
        got, messages = computed(entry, which, point)
        if len(got) != len(exact):
            raise ValueError(f"{name}: {len(got)} outputs at {describe(point)}, expected {len(exact)}")
        for g, r in zip(got, exact):
            tally.add(g, r, point)
        tally.warnings += _point_warns(messages, [nearest_double(r) for r in exact], point)
    bound, reason = BOUNDS.get(name, (DEFAULT_BOUND, ""))
    return SweepRow(
        name, entry.name, len(pts), tally.outputs, tally.nonfinite, tally.nan_failures, tally.warnings,
        tally.max_ulp, "" if tally.worst is None else describe(tally.worst), bound, reason,
    )  # fmt: skip


def sweep(names: list[str] | None = None) -> Iterator[SweepRow]:
    """Rows for every catalogue entry (or those named): function, then gradient."""
    for entry in entries():
        if names is None or entry.name in names:
            yield sweep_function(entry, "function")
            yield sweep_function(entry, "gradient")


# --- the table ---------------------------------------------------------------------------------


def ulp_text(v: float) -> str:
    """An ULP figure for a table: ``0.5``, ``13``, ``4.5e15``, ``∞``."""
    if math.isinf(v):
        return "∞"
    if v < 10:
        return f"{v:.2g}" if v >= 0.01 or v == 0 else f"{v:.0e}"
    return f"{v:.0f}" if v < 1e5 else f"{v:.1e}".replace("e+", "e")


def table_rows() -> list[dict]:
    """The sweep as JSON-serialisable dicts (for the site's verification page)."""
    out = []
    for row in sweep():
        d = asdict(row)
        d.update(
            passed=row.passed, nan_ok=row.nan_ok, max_ulp_text=ulp_text(row.max_ulp), bound_text=ulp_text(row.bound)
        )
        d["max_ulp"] = row.max_ulp if math.isfinite(row.max_ulp) else None  # JSON has no infinity
        out.append(d)
    return out


def print_table(rows: Iterator[SweepRow]) -> int:
    """Print the table as rows arrive; the number of failing functions."""
    print(f"{'function':<38} {'points':>6} {'non-finite':>10} {'nan ok':>6} {'warn':>4} ", end="")
    print(f"{'max ULP':>8} {'bound':>6}  result")
    failures, start, reasons = 0, time.perf_counter(), []
    for r in rows:
        failures += not r.passed
        nan_ok = "yes" if r.nan_ok else f"no {r.nan_failures}"
        verdict = "pass" if r.passed else "FAIL"
        print(
            f"{r.function:<38} {r.points:>6} {r.nonfinite:>10} {nan_ok:>6} {r.warnings:>4} "
            f"{ulp_text(r.max_ulp):>8} {ulp_text(r.bound):>6}  {verdict}"
            + (f"  worst at {r.worst}" if r.max_ulp > 0.5 else "")
        )
        if r.reason:
            reasons.append(f"  {r.function}: ≤ {ulp_text(r.bound)} ULP — {r.reason}")
    if reasons:
        print("\nbounds above 4 ULP:\n" + "\n".join(reasons))
    print(f"\n{'all pass' if not failures else f'{failures} FAILED'} ({time.perf_counter() - start:.0f} s)")
    return failures


def failures(entry: Entry, which: str, limit: int = 20) -> list[str]:
    """The points where ``entry``'s function or gradient misbehaves (for debugging): input, got, exact, why."""
    exprs, domains, out = expressions(entry, which), _domains(entry), []
    for point in points(entry):
        exact = [reference(e, _symbol_values(entry, point), domains) for e in exprs]
        got, messages = computed(entry, which, point)
        rounded = [nearest_double(r) for r in exact]
        bad = [
            (g, r)
            for g, r, x in zip(got, rounded, exact)
            if (math.isnan(r) and not math.isnan(g))
            or (math.isfinite(r) and not math.isfinite(g))
            or (not math.isnan(r) and not math.isnan(g) and ulp_error(g, x) > DEFAULT_BOUND)
        ]
        if bad or _point_warns(messages, rounded, point):
            out.append(f"{describe(point)}: got/exact {bad} warnings {messages}")
    return out[:limit]


def run_cli() -> int:
    """``nnmath check --extreme``: the table; exit status 1 if a function fails."""
    print(
        "Every generated function and gradient at ±0, subnormals, ±1e-300, ±1e-8, ±1, ±30, ±40, ±710, ±1e308,\n"
        "±inf and nan (losses on a grid with their targets, vectors of K = 3), against mpmath at 50 digits\n"
        "evaluated from the derivation's own SymPy expression.  non-finite: nan/inf where the exact value is\n"
        "finite; nan ok: nan wherever the exact value is nan; warn: points with a stray RuntimeWarning.\n"
    )
    return 1 if print_table(sweep()) else 0
