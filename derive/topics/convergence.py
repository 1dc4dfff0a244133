r"""Gradient descent on a quadratic loss: when it converges, and how fast.

For :math:`L(\mathbf{w}) = \tfrac12 \mathbf{w}^\top A \mathbf{w} - \mathbf{b}^\top \mathbf{w}` with
:math:`A` symmetric positive definite, everything below is computed by SymPy:

1. :func:`gradient`: :math:`\nabla L = A\mathbf{w} - \mathbf{b}` (``sympy.diff`` of the matrix form with
   :math:`A^\top = A`, checked element by element on 2×2 and 3×3 matrices by :func:`check_gradient`);
   the minimiser :math:`\mathbf{w}^* = A^{-1}\mathbf{b}` makes it zero (:func:`minimiser_is_stationary`).
2. :func:`error_step`: one step of :func:`derive.topics.gradient_descent.gradient_step` moves the error
   :math:`\mathbf{e} = \mathbf{w} - \mathbf{w}^*` to :math:`(I - \eta A)\mathbf{e}`.
3. :func:`eigen_factor`: along an eigenvector (:math:`A\mathbf{q} = \lambda\mathbf{q}`) one step multiplies
   the error by :math:`1 - \eta\lambda`; with :math:`A = Q\Lambda Q^\top` every start is a sum of such directions.
4. :func:`scalar_condition`: SymPy solves :math:`|1 - \eta\lambda| < 1` to :math:`0 < \eta < 2/\lambda`; every
   direction shrinks iff :math:`0 < \eta < 2/\lambda_{\max}` (:func:`all_directions_condition`, and exactly for
   the matrices of :data:`MATRICES` in :func:`analyse`).
5. :func:`optimal_step`: the rate :math:`\rho(\eta) = \max_i |1 - \eta\lambda_i|` is smallest at
   :math:`\eta^* = 2/(\lambda_{\min} + \lambda_{\max})`, where it is :math:`(\kappa - 1)/(\kappa + 1)`.

:func:`generated_module` prints the formulas as NumPy code (``numeric/_generated/convergence.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from derive.numerics.codegen import GeneratedModule, expression_function, matrix_function, module_text
from derive.topics.gradient_descent import gradient_step

n = sp.Symbol("n", integer=True, positive=True)
A = sp.MatrixSymbol("A", n, n)
w = sp.MatrixSymbol("w", n, 1)
b = sp.MatrixSymbol("b", n, 1)
w_star = sp.MatrixSymbol("w_star", n, 1)
e = sp.MatrixSymbol("e", n, 1)
q = sp.MatrixSymbol("q", n, 1)
I = sp.Identity(n)  # noqa: E741 - the identity matrix, as written on the page

eta = sp.Symbol("eta", real=True)  # real, not positive: that η > 0 is needed comes out of the solution
lam = sp.Symbol("lam", positive=True)  # one eigenvalue of A (printed λ)
lambda_min, lambda_max = sp.symbols("lambda_min lambda_max", positive=True)
kappa = sp.Symbol("kappa", positive=True)  # condition number λ_max / λ_min
t = sp.Symbol("t", nonnegative=True)  # position of an eigenvalue between λ_min and λ_max

# The scalar case: w and b are numbers, A is the number λ.
w_1, b_1 = sp.symbols("w b", real=True)

# How pages write the symbols (LaTeX names; the printer keeps the order the code names give: 1 − ηλ).
NAMES: dict[sp.Basic, str] = {
    w: r"\mathbf{w}",
    b: r"\mathbf{b}",
    w_star: r"\mathbf{w}^{*}",
    e: r"\mathbf{e}",
    q: r"\mathbf{q}",
    lam: r"\lambda",
    lambda_min: r"\lambda_{\min}",
    lambda_max: r"\lambda_{\max}",
}

# Symmetric positive definite matrices with exact eigenvalues: integer, irrational, and 3×3 (the figure's).
MATRICES: dict[str, sp.ImmutableMatrix] = {
    "2x2 integer": sp.ImmutableMatrix([[3, 1], [1, 3]]),
    "2x2 irrational": sp.ImmutableMatrix([[2, 1], [1, 1]]),
    "3x3": sp.ImmutableMatrix([[2, -1, 0], [-1, 2, -1], [0, -1, 2]]),
}
FIGURE_MATRIX = "3x3"
FIGURE_B = sp.ImmutableMatrix([1, 0, 1])  # so that w* = (1, 1, 1)


# --- 1. The loss, its gradient and its minimiser -------------------------------------------


def quadratic_loss(w_: sp.Basic, a_: sp.Basic, b_: sp.Basic) -> sp.Basic:
    r"""The quadratic loss :math:`\tfrac12 \mathbf{w}^\top A \mathbf{w} - \mathbf{b}^\top \mathbf{w}` (a 1×1 matrix)."""
    return sp.Rational(1, 2) * (w_.T * a_ * w_) - b_.T * w_


def loss() -> sp.MatrixExpr:
    """The loss with symbolic size n."""
    return quadratic_loss(w, A, b)


@cache
def differentiated() -> sp.MatrixExpr:
    r"""``sympy.diff`` of the loss with respect to w, as SymPy gives it: ½(A + Aᵀ) w − b (before A = Aᵀ is used)."""
    return sp.diff(loss(), w)


@cache
def gradient() -> sp.MatrixExpr:
    r"""∇L = A w − b: ``sympy.diff`` gives ½(A + Aᵀ) w − b; A is symmetric."""
    return differentiated().xreplace({A.T: A}).doit()


def minimiser() -> sp.MatrixExpr:
    r"""The minimiser :math:`\mathbf{w}^* = A^{-1}\mathbf{b}` (A is invertible: positive definite)."""
    return A.I * b


def minimiser_is_stationary() -> bool:
    """∇L(w*) is the zero matrix."""
    return isinstance(gradient().xreplace({w: minimiser()}).doit(), sp.ZeroMatrix)


def hessian() -> sp.MatrixExpr:
    """The Hessian ∂(∇L)/∂w = A: the loss is strictly convex when A is positive definite.

    SymPy writes d(A w)/dw as Aᵀ (its layout convention); A is symmetric.
    """
    return sp.diff(gradient(), w).xreplace({A.T: A}).doit()


def symmetric_matrix(size: int) -> sp.ImmutableMatrix:
    """A symmetric matrix of symbols a_ij = a_ji."""

    def entry(i: int, j: int) -> sp.Symbol:
        i, j = min(i, j), max(i, j)
        return sp.Symbol(f"a{i + 1}{j + 1}", real=True)

    return sp.ImmutableMatrix(size, size, entry)


def vector(name: str, size: int) -> sp.ImmutableMatrix:
    """A column of symbols name1 … name_size."""
    return sp.ImmutableMatrix(size, 1, lambda i, _: sp.Symbol(f"{name}{i + 1}", real=True))


def check_gradient(size: int) -> bool:
    """∇L = A w − b equals ``sympy.diff`` of the expanded scalar loss, component by component."""
    a_, w_, b_ = symmetric_matrix(size), vector("w", size), vector("b", size)
    scalar_loss = quadratic_loss(w_, a_, b_)[0, 0]
    direct = sp.ImmutableMatrix([sp.diff(scalar_loss, wi) for wi in w_])
    general = gradient().subs({A: a_, w: w_, b: b_}).doit()
    return sp.expand(sp.ImmutableMatrix(general) - direct) == sp.zeros(size, 1)


# --- 2. The error after one step --------------------------------------------------------------


def step() -> sp.MatrixExpr:
    """One gradient-descent step on the quadratic loss: w − η (A w − b)."""
    return gradient_step(w, gradient(), eta)


def error_step() -> sp.MatrixExpr:
    """The error after one step, w' − w*, for w = w* + e and b = A w* (w* is the minimiser)."""
    after = step().xreplace({w: w_star + e}).xreplace({b: A * w_star}) - w_star
    return sp.expand(after).doit()


def iteration_matrix() -> sp.MatrixExpr:
    """I − ηA: the matrix that multiplies the error at every step."""
    return I - eta * A


def error_recursion_holds() -> bool:
    """e_{k+1} = (I − ηA) e_k, exactly."""
    return isinstance(sp.expand(error_step() - iteration_matrix() * e).doit(), sp.ZeroMatrix)


# --- 3. Eigen-directions -------------------------------------------------------------------------


@cache
def eigen_factor() -> sp.Expr:
    """The factor 1 − ηλ by which one step multiplies an error along an eigenvector q (A q = λ q)."""
    moved = sp.expand(iteration_matrix() * q).doit().subs(A * q, lam * q).doit()
    coeff, matrices = moved.as_coeff_matrices() if isinstance(moved, sp.MatMul) else (None, None)
    if matrices != [q]:
        raise ValueError(f"(I - ηA) q did not reduce to a multiple of q: {moved}")
    return sp.expand(coeff)


# --- 4. When every direction shrinks ----------------------------------------------------------------


def scalar_case() -> dict[str, sp.Basic]:
    """The scalar case L(w) = ½ λ w² − b w: gradient, minimiser and the error after one step, by SymPy."""
    loss_1 = quadratic_loss(sp.ImmutableMatrix([w_1]), sp.ImmutableMatrix([lam]), sp.ImmutableMatrix([b_1]))[0, 0]
    grad_1 = sp.diff(loss_1, w_1)
    (w_star_1,) = sp.solve(grad_1, w_1)
    e_1 = sp.Symbol("e", real=True)
    after = gradient_step(w_1, grad_1, eta).subs(w_1, w_star_1 + e_1) - w_star_1
    return {
        "loss": loss_1,
        "gradient": grad_1,
        "minimiser": w_star_1,
        "error": e_1,
        "error_after": sp.factor(sp.simplify(after)),
        "factor": sp.simplify(after / e_1),
    }


@cache  # solved once: every matrix's analysis asks for it
def scalar_condition() -> sp.Set:
    """{η real : |1 − ηλ| < 1}, solved by SymPy for a symbolic λ > 0: the open interval (0, 2/λ)."""
    return sp.solveset(sp.Abs(eigen_factor()) < 1, eta, sp.S.Reals)


def scalar_divergence() -> sp.Set:
    """{η real : |1 − ηλ| ≥ 1}: the step sizes at which an error along the eigenvector does not shrink."""
    return sp.solveset(sp.Abs(eigen_factor()) >= 1, eta, sp.S.Reals)


@cache
def critical_step_size() -> sp.Expr:
    """2/λ_max: the upper end of the interval for λ = λ_max."""
    return scalar_condition().sup.xreplace({lam: lambda_max})


def factor_at_critical() -> sp.Expr:
    """1 − ηλ_max at η = 2/λ_max, simplified: −1, so the error along the top eigenvector flips and never shrinks."""
    return sp.simplify(eigen_factor().xreplace({lam: lambda_max, eta: critical_step_size()}))


def all_directions_condition() -> tuple[sp.Expr, bool]:
    """For λ ≤ λ_max, the interval of λ contains the interval of λ_max: (0, 2/λ_max) is the intersection.

    Returns 2/λ − 2/λ_max for λ = λ_max − d (d ≥ 0) after ``factor``, and whether SymPy finds it ≥ 0.
    """
    d = sp.Symbol("d", nonnegative=True)
    sup = scalar_condition().sup
    gap = sp.factor(sup - sup.xreplace({lam: lam + d}))
    return gap, bool(gap.is_nonnegative)


# --- 5. The fastest step size --------------------------------------------------------------------------


def rate() -> sp.Expr:
    r"""ρ(η) = max(|1 − ηλ_min|, |1 − ηλ_max|): the largest factor over all eigenvalues (see :func:`between`)."""
    f = eigen_factor()
    return sp.Max(sp.Abs(f.xreplace({lam: lambda_min})), sp.Abs(f.xreplace({lam: lambda_max})))


def between() -> bool:
    """For λ = (1 − t) λ_min + t λ_max, 1 − ηλ is the same mix of the two extreme factors: so |·| ≤ ρ(η)."""
    f = eigen_factor()
    mixed = (1 - t) * f.xreplace({lam: lambda_min}) + t * f.xreplace({lam: lambda_max})
    return sp.expand(f.xreplace({lam: (1 - t) * lambda_min + t * lambda_max}) - mixed) == 0


eta_star = sp.Symbol("eta_star", positive=True)  # η*, kept as a symbol in the bounds below


@dataclass(frozen=True)
class OptimalStep:
    """η* and ρ*, with the facts that make η* the minimiser of ρ."""

    step: sp.Expr  # η* = 2/(λ_min + λ_max)
    rate: sp.Expr  # ρ* = (λ_max − λ_min)/(λ_max + λ_min)
    rate_in_kappa: sp.Expr  # (κ − 1)/(κ + 1)
    balanced: bool  # at η*: 1 − η*λ_min = −(1 − η*λ_max) = ρ*
    below: sp.Expr  # (1 − ηλ_min) − ρ* = λ_min (η* − η): ≥ 0 for η ≤ η*
    above: sp.Expr  # −(1 − ηλ_max) − ρ* = λ_max (η − η*): ≥ 0 for η ≥ η*
    bounds_hold: bool  # both identities, exactly: so ρ(η) ≥ ρ* for every η, with equality at η*


@cache
def optimal_step() -> OptimalStep:
    """Solve 1 − ηλ_min = −(1 − ηλ_max) for η; the rate there, also in terms of κ = λ_max/λ_min.

    ρ(η) ≥ max(1 − ηλ_min, ηλ_max − 1), and SymPy confirms that these two differ from ρ* by
    λ_min (η* − η) and λ_max (η − η*): one of them is ≥ 0 for every η, so ρ(η) ≥ ρ*.
    """
    f = eigen_factor()
    small, large = f.xreplace({lam: lambda_min}), f.xreplace({lam: lambda_max})
    (step_,) = sp.solve(sp.Eq(small, -large), eta)
    rate_ = sp.factor(sp.simplify(small.xreplace({eta: step_})))
    in_kappa = sp.factor(sp.simplify(rate_.xreplace({lambda_max: kappa * lambda_min})))
    balanced = (
        sp.simplify(small.xreplace({eta: step_}) - rate_) == 0
        and sp.simplify(-large.xreplace({eta: step_}) - rate_) == 0
    )
    below, above = lambda_min * (eta_star - eta), lambda_max * (eta - eta_star)
    bounds = (
        sp.simplify(small - rate_ - below.xreplace({eta_star: step_})) == 0
        and sp.simplify(-large - rate_ - above.xreplace({eta_star: step_})) == 0
    )
    return OptimalStep(step_, rate_, in_kappa, balanced, below, above, bounds)


# --- Concrete matrices, exactly -------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixAnalysis:
    """Everything about one concrete matrix, exact."""

    name: str
    matrix: sp.ImmutableMatrix
    eigenvalues: tuple[sp.Expr, ...]  # ascending
    eigenvectors: sp.ImmutableMatrix  # orthonormal columns Q, in the order of ``eigenvalues``
    decomposition_holds: bool  # QᵀQ = I, QΛQᵀ = A, I − ηA = Q(I − ηΛ)Qᵀ
    intervals: tuple[sp.Set, ...]  # {η : |1 − ηλ_i| < 1} for each i, solved by SymPy
    converges: sp.Set  # their intersection
    critical: sp.Expr  # 2/λ_max
    matches_critical: bool  # converges == (0, 2/λ_max)
    critical_start_stalls: bool  # at η = 2/λ_max, (I − ηA) q_max = −q_max: no decay along q_max
    optimal: sp.Expr  # η*
    optimal_rate: sp.Expr  # ρ(η*)
    optimal_is_smallest: bool  # ρ(η* ± 1/100) > ρ(η*)


def _rate_at(eigenvalues: tuple[sp.Expr, ...], step_: sp.Expr) -> sp.Expr:
    return sp.Max(*[sp.Abs(sp.nsimplify(1 - step_ * v)) for v in eigenvalues])


def _simplify_equal(a: sp.Expr, b_: sp.Expr) -> bool:
    return sp.simplify(a - b_) == 0


def _is_zero(m: sp.MatrixBase) -> bool:
    """Every entry of ``m`` is exactly 0: its denominators rationalised (``radsimp``), then expanded.

    The entries are sums of products of square roots and fractions (normalised eigenvectors): radsimp clears the
    roots from the denominators, and the expanded numerator cancels term by term.
    """
    return all(sp.expand(sp.radsimp(entry)) == 0 for entry in m)


def analyse(name: str) -> MatrixAnalysis:
    """Eigenvalues, eigen-decomposition, the solved condition, η* and ρ* of ``MATRICES[name]``."""
    m = MATRICES[name]
    if m != m.T or not m.is_positive_definite:
        raise ValueError(f"{name} is not symmetric positive definite")
    pairs = sorted(((v, vecs) for v, _, vecs in m.eigenvects()), key=lambda p: float(p[0]))
    values = tuple(sp.radsimp(v) for v, vecs in pairs for _ in vecs)
    columns = [sp.simplify(vec / vec.norm()) for _, vecs in pairs for vec in vecs]
    Q = sp.ImmutableMatrix.hstack(*columns)  # noqa: N806 - matrices are capitals
    Lam = sp.diag(*values)  # noqa: N806
    size = m.shape[0]
    decomposition = (
        _is_zero(Q.T * Q - sp.eye(size))
        and _is_zero(Q * Lam * Q.T - m)
        and _is_zero(Q * (sp.eye(size) - eta * Lam) * Q.T - (sp.eye(size) - eta * m))
    )
    factor = eigen_factor()
    intervals = tuple(sp.solveset(sp.Abs(factor.xreplace({lam: v})) < 1, eta, sp.S.Reals) for v in values)
    converges = sp.Intersection(*intervals)
    critical = sp.radsimp(critical_step_size().xreplace({lambda_max: values[-1]}))
    matches = (
        isinstance(converges, sp.Interval)
        and converges.left_open
        and converges.right_open
        and _simplify_equal(converges.inf, 0)
        and _simplify_equal(converges.sup, critical)
    )
    q_max = Q[:, -1]
    stalls = _is_zero((sp.eye(size) - critical * m) * q_max + q_max)
    opt = optimal_step()
    subs = {lambda_min: values[0], lambda_max: values[-1]}
    best = sp.radsimp(opt.step.xreplace(subs))
    best_rate = sp.radsimp(sp.simplify(_rate_at(values, best)))
    smallest = all(
        sp.simplify(_rate_at(values, best + delta) - best_rate).is_positive
        for delta in (sp.Rational(-1, 100), sp.Rational(1, 100))
    )
    return MatrixAnalysis(
        name, m, values, Q, decomposition, intervals, converges, critical, matches, stalls, best, best_rate, smallest
    )


# --- Generated NumPy code ------------------------------------------------------------------------------

SHAPES = "A is an (n, n) symmetric positive definite array; b and w are 1-D arrays of length n."


def generated_sources() -> list[tuple[str, str]]:
    """(name, source) of every generated function, printed from the formulas above."""
    opt = optimal_step()
    return [
        ("quadratic_loss", matrix_function("quadratic_loss", (A, b, w), loss(), "The quadratic loss.", SHAPES)),
        (
            "quadratic_gradient",
            matrix_function("quadratic_gradient", (A, b, w), gradient(), "Gradient of the quadratic loss.", SHAPES),
        ),
        (
            "quadratic_minimiser",
            matrix_function("quadratic_minimiser", (A, b), minimiser(), "Minimiser of the quadratic loss.", SHAPES),
        ),
        (
            "gradient_descent_step",
            matrix_function(
                "gradient_descent_step", (A, b, w, eta), step(), "One gradient-descent step on the loss.", SHAPES
            ),
        ),
        (
            "error_factor",
            expression_function(
                "error_factor", (eta, lam), eigen_factor(), "Factor of the error along an eigenvector (eigenvalue lam)."
            ),
        ),
        (
            "critical_step_size",
            expression_function(
                "critical_step_size", (lambda_max,), critical_step_size(), "Largest step size that still converges."
            ),
        ),
        (
            "convergence_rate",
            expression_function(
                "convergence_rate", (eta, lambda_min, lambda_max), rate(), "Error factor per step (spectral radius)."
            ),
        ),
        (
            "optimal_step_size",
            expression_function(
                "optimal_step_size", (lambda_min, lambda_max), opt.step, "Step size with the smallest rate."
            ),
        ),
        (
            "optimal_rate",
            expression_function("optimal_rate", (lambda_min, lambda_max), opt.rate, "The rate at the optimal step."),
        ),
    ]


def generated_module() -> str:
    """The text of ``numeric/_generated/convergence.py``."""
    sources = generated_sources()
    title = "NumPy functions for gradient descent on a quadratic loss, generated from derive/topics/convergence.py"
    return module_text(title, [src for _, src in sources], [name for name, _ in sources])


GENERATED = GeneratedModule("convergence.py", generated_module)


def formulas() -> list[tuple[str, str]]:
    """For ``nnmath list``: the generated functions of this topic."""
    return [
        ("quadratic_loss", "½ wᵀAw − bᵀw, A symmetric positive definite"),
        ("quadratic_gradient", "A w − b (sympy.diff, checked elementwise on 2×2 and 3×3)"),
        ("quadratic_minimiser", "w* = A⁻¹ b (numpy.linalg.solve)"),
        ("gradient_descent_step", "w − η (A w − b); the error moves to (I − ηA) e"),
        ("error_factor", "1 − ηλ: the error factor along an eigenvector"),
        ("critical_step_size", "2/λ_max: GD converges from every start iff 0 < η < 2/λ_max"),
        ("convergence_rate", "max(|1 − ηλ_min|, |1 − ηλ_max|)"),
        ("optimal_step_size", "η* = 2/(λ_min + λ_max)"),
        ("optimal_rate", "(λ_max − λ_min)/(λ_max + λ_min) = (κ − 1)/(κ + 1)"),
    ]


__all__ = [
    "MATRICES",
    "MatrixAnalysis",
    "OptimalStep",
    "all_directions_condition",
    "analyse",
    "between",
    "check_gradient",
    "critical_step_size",
    "differentiated",
    "NAMES",
    "eigen_factor",
    "error_recursion_holds",
    "error_step",
    "factor_at_critical",
    "formulas",
    "generated_module",
    "gradient",
    "hessian",
    "iteration_matrix",
    "loss",
    "minimiser",
    "minimiser_is_stationary",
    "optimal_step",
    "rate",
    "scalar_case",
    "scalar_condition",
    "scalar_divergence",
    "step",
]
