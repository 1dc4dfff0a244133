"""The perceptron: its learning rule and Novikoff's convergence theorem, derived by SymPy.

The rule is :func:`derive.topics.gradient_descent.perceptron_step` with the step activation
:func:`derive.topics.gradient_descent.step` (the same functions the handout exercises use):
w ← w + η (y − ŷ) x, ŷ = H(w·x + b), labels y ∈ {0, 1}; the bias is a weight
on a constant input 1, so "x" below is the augmented input (x, 1).

Novikoff (1962): if a unit vector u separates the data with margin γ > 0
(tᵢ u·xᵢ ≥ γ for the signed labels tᵢ = 2yᵢ − 1) and ‖xᵢ‖ ≤ R, the perceptron
started at w₀ = 0 makes at most (R/γ)² updates, whatever the order of the
samples and whatever η > 0.  :func:`novikoff_steps` carries the proof out in
SymPy, step by step, for a symbolic dimension d:

1. a mistake's update is w + t x, with t = y − ŷ = ±1 (and η drops out);
2. u·(w + t x) = u·w + t u·x ≥ u·w + γ, so u·w_k ≥ kγ (the recurrence solved by ``rsolve``);
3. ‖w + t x‖² = ‖w‖² + 2t w·x + t²‖x‖² ≤ ‖w‖² + R², because t w·x ≤ 0 on a mistake; so ‖w_k‖² ≤ kR²;
4. Cauchy–Schwarz (Lagrange's identity, proven for symbolic d): u·w ≤ ‖u‖‖w‖ = ‖w‖;
5. (kγ)² ≤ ‖wₖ‖² ≤ kR² gives k ≤ (R/γ)² (``reduce_inequalities``).

The NumPy functions (``numeric/_generated/perceptron.py``) are printed from
these expressions: the output H(z), the update, and the bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from derive.numerics.codegen import GeneratedModule
from derive.topics.gradient_descent import eta, perceptron_step, rules, step
from derive.topics.probability import canonical_sums, linear_sums

# Symbols of the theorem.  The Python names are what the generated functions take as arguments.
radius = sp.Symbol("radius", positive=True)  # R = max ‖x_i‖ over the (augmented) inputs
margin = sp.Symbol("margin", positive=True)  # γ = min t_i u·x_i for a unit vector u
updates = sp.Symbol("k", positive=True)  # number of updates made so far
d = sp.Symbol("d", integer=True, positive=True)  # dimension of the augmented input
m = sp.Symbol("m", integer=True, positive=True)  # component index
t = sp.Symbol("t", real=True)  # signed label of a mistake, ±1
w_vec, x_vec, u_vec = sp.IndexedBase("w", real=True), sp.IndexedBase("x", real=True), sp.IndexedBase("u", real=True)
z = sp.Symbol("z", real=True)  # pre-activation w·x + b
w, x = sp.symbols("w x", real=True)  # one weight and its input (the update is elementwise)
y, y_hat = sp.symbols("y y_hat", real=True)  # label and prediction, in {0, 1}

PROGRESS = sp.Symbol(r"\mathbf{u}^{\top} \mathbf{w}_{k}")  # u·w_k, written as on the page
NORM_SQUARED = sp.Symbol(r"\lVert \mathbf{w}_{k} \rVert^{2}")  # ‖w_k‖²

DISPLAY = {radius: sp.Symbol("R"), margin: sp.Symbol("gamma"), y_hat: sp.Symbol(r"\hat{y}")}


def display(expr: sp.Basic) -> sp.Basic:
    """``expr`` with the theorem's symbols written R, γ, ŷ for pages and handouts."""
    return expr.xreplace(DISPLAY)


def dot(a: sp.IndexedBase, b_: sp.IndexedBase | sp.Expr) -> sp.Sum:
    """a·b = Σ_m a_m b_m over the d components."""
    term = b_[m] if isinstance(b_, sp.IndexedBase) else b_
    return sp.Sum(a[m] * term, (m, 1, d))


def novikoff_bound() -> sp.Expr:
    """The bound (R/γ)² on the number of updates."""
    return (radius / margin) ** 2


@dataclass(frozen=True)
class Step:
    """One step of the proof: what it says, the relation SymPy checked, and whether it holds."""

    text: str
    relation: sp.Basic
    holds: bool


def separate_sum(sum_: sp.Sum) -> sp.Expr:
    """A multiple sum of products of one-index factors as a product of sums: Σᵢ Σⱼ f(i) g(j) = (Σᵢ f)(Σⱼ g).

    The summand is expanded first; a factor that depends on two summation indices is an error.
    """
    out = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(sum_.function)):
        by_index: dict[sp.Symbol, list[sp.Expr]] = {v: [] for v in sum_.variables}
        constant = []
        for factor in sp.Mul.make_args(term):
            indices = [v for v in sum_.variables if factor.has(v)]
            if len(indices) > 1:
                raise ValueError(f"factor {factor} depends on several summation indices")
            (by_index[indices[0]] if indices else constant).append(factor)
        product = sp.Mul(*constant)
        for v, low, high in sum_.limits:
            product *= sp.Sum(sp.Mul(*by_index[v]), (v, low, high))
        out += product
    return out


def _dot_sum(a: sp.IndexedBase, expr: sp.Expr) -> sp.Sum:
    return sp.Sum(a[m] * expr, (m, 1, d))


def _zero(expr: sp.Expr) -> bool:
    return sp.simplify(linear_sums(expr)) == 0


@cache
def novikoff_steps() -> tuple[Step, ...]:
    """The proof of Novikoff's theorem, each step checked by SymPy (symbolic dimension d where it matters)."""
    steps = []

    # 1. On a mistake the error y − ŷ is the signed label t = 2y − 1 (ŷ = 1 − y), and η only scales w.
    label = sp.Symbol("y_label", integer=True)
    mistake_error = label - (1 - label)
    holds = all(mistake_error.subs(label, v) == 2 * v - 1 for v in (0, 1)) and {
        mistake_error.subs(label, v) for v in (0, 1)
    } == {-1, 1}
    steps.append(Step("On a mistake ŷ = 1 − y, so y − ŷ = 2y − 1 = t ∈ {−1, +1}.", sp.Eq(y - y_hat, t), holds))

    pos, neg = sp.Symbol("zp", positive=True), sp.Symbol("zn", negative=True)
    invariant = all(step(eta * v) == step(v) for v in (pos, neg, sp.S.Zero))
    steps.append(
        Step(
            "For η > 0, H(ηz) = H(z) (cases z > 0, z < 0, z = 0): from w₀ = 0 every wₖ is η times the wₖ of η = 1, "
            "so the predictions, hence the mistakes, do not depend on η; take η = 1.",
            sp.Eq(sp.Function("H")(eta * z), sp.Function("H")(z)),
            invariant,
        )
    )

    # 2. Progress along u: linearity of the dot product, then the recurrence a_k = a_{k-1} + γ.
    updated = w_vec[m] + t * x_vec[m]
    lhs, rhs = _dot_sum(u_vec, updated), dot(u_vec, w_vec) + t * dot(u_vec, x_vec)
    steps.append(Step("The update w + t x moves u·w by t u·x, which is ≥ γ.", sp.Eq(lhs, rhs), _zero(lhs - rhs)))
    a = sp.Function("a")
    progress = sp.rsolve(a(updates) - a(updates - 1) - margin, a(updates), {a(0): 0})
    steps.append(
        Step(
            "Starting from w₀ = 0, after k updates u·wₖ ≥ kγ.",
            sp.Ge(PROGRESS, progress),
            progress == updates * margin,
        )
    )

    # 3. Growth of the norm: ‖w + t x‖² expanded, with t² = 1 and t w·x ≤ 0 on a mistake.
    norm_sq = sp.Sum(updated**2, (m, 1, d))
    expanded = dot(w_vec, w_vec) + 2 * t * dot(w_vec, x_vec) + t**2 * dot(x_vec, x_vec)
    steps.append(
        Step(
            "‖w + t x‖² = ‖w‖² + 2t w·x + t²‖x‖² ≤ ‖w‖² + R², because t² = 1, t w·x ≤ 0 on a mistake and ‖x‖ ≤ R.",
            sp.Eq(norm_sq, expanded),
            _zero(norm_sq - expanded),
        )
    )
    growth = sp.rsolve(a(updates) - a(updates - 1) - radius**2, a(updates), {a(0): 0})
    steps.append(Step("So after k updates ‖wₖ‖² ≤ kR².", sp.Le(NORM_SQUARED, growth), growth == updates * radius**2))

    # 4. Cauchy–Schwarz via Lagrange's identity, for symbolic d: ‖u‖²‖w‖² − (u·w)² is a sum of squares.
    i, j = sp.symbols("i j", integer=True, positive=True)
    squares = sp.Sum((u_vec[i] * w_vec[j] - u_vec[j] * w_vec[i]) ** 2 / 2, (i, 1, d), (j, 1, d))
    gap = dot(u_vec, u_vec) * dot(w_vec, w_vec) - dot(u_vec, w_vec) ** 2
    holds = sp.expand(canonical_sums(separate_sum(squares)) - canonical_sums(gap)) == 0
    steps.append(
        Step(
            "Cauchy–Schwarz: ‖u‖²‖w‖² − (u·w)² is a sum of squares (Lagrange's identity), so u·w ≤ ‖w‖ for ‖u‖ = 1.",
            sp.Eq(gap, squares),
            holds,
        )
    )

    # 5. Combine: (kγ)² ≤ (u·w_k)² ≤ ‖w_k‖² ≤ kR², solved for k.
    combined = (updates * margin) ** 2 <= updates * radius**2
    solved = sp.reduce_inequalities([combined], updates)
    factor = updates * margin**2  # (kγ)² − kR² = kγ² (k − (R/γ)²), and kγ² > 0
    holds = (
        solved == sp.Le(updates, novikoff_bound())
        and sp.expand((updates * margin) ** 2 - updates * radius**2 - factor * (updates - novikoff_bound())) == 0
        and bool(factor.is_positive)
    )
    steps.append(Step("(kγ)² ≤ ‖wₖ‖² ≤ kR² leaves k ≤ (R/γ)².", sp.Le(updates, novikoff_bound()), holds))
    return tuple(steps)


def rule() -> sp.Eq:
    """The perceptron rule with symbols, from :func:`derive.topics.gradient_descent.rules`."""
    return rules()["perceptron"]


def generated_functions() -> list[tuple[str, tuple[sp.Symbol, ...], sp.Expr, str]]:
    """(name, arguments, expression, first docstring line) of every generated function of this topic."""
    return [
        ("perceptron_output", (z,), step(z), "The perceptron's prediction H(z) for the pre-activation z = w·x + b."),
        (
            "perceptron_update",
            (w, x, y, y_hat, eta),
            perceptron_step(w, x, y - y_hat, eta),
            "The perceptron rule w ← w + η (y − ŷ) x, elementwise (for the bias pass x = 1).",
        ),
        ("novikoff_bound", (radius, margin), novikoff_bound(), "Novikoff's bound (R/γ)² on the number of updates."),
    ]


def generated_module() -> str:
    """``numeric/_generated/perceptron.py``: the output, the update and the bound, printed from SymPy."""
    from derive.numerics.codegen import expression_function, module_text

    funcs = generated_functions()
    sources = [expression_function(name, args, expr, doc) for name, args, expr, doc in funcs]
    return module_text("NumPy functions generated from derive/topics/perceptron.py", sources, [f[0] for f in funcs])


GENERATED = GeneratedModule("perceptron.py", generated_module)


def formulas() -> list[tuple[str, str]]:
    """``nnmath list`` entries of this topic."""
    return [
        ("perceptron_output", "ŷ = H(w·x + b), the step activation (generated NumPy)"),
        ("perceptron_update", "w ← w + η (y − ŷ) x, the perceptron rule (generated NumPy)"),
        ("novikoff_bound", "at most (R/γ)² updates on data separable with margin γ (proof checked by SymPy)"),
    ]
