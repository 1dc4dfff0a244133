"""The workshop's own small derivations: the 2-D quadratic of the gradient-descent contour plot.

L(w₁, w₂) = ½ wᵀ A w − bᵀ w with a concrete symmetric positive definite A.  SymPy takes the
Hessian of the written-out loss (it is A), its eigenvalues, and the bound η < 2/λ_max of
:mod:`derive.topics.convergence` at this λ_max.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.topics import convergence as cv

w1, w2 = sp.symbols("w_1 w_2", real=True)
CONTOUR_A = sp.ImmutableMatrix([[5, 2], [2, 2]])
CONTOUR_W_STAR = sp.ImmutableMatrix([1, 1])
CONTOUR_B = CONTOUR_A * CONTOUR_W_STAR  # so that the minimiser is w* = (1, 1)
# Learning rates of the figure as fractions of the critical 2/λ_max: slow, zig-zag, diverging.
CONTOUR_RATIOS = (sp.Rational(3, 10), sp.Rational(9, 10), sp.Rational(21, 20))


@cache
def contour_loss() -> sp.Expr:
    """½ wᵀ A w − bᵀ w written out in w₁, w₂."""
    w = sp.ImmutableMatrix([w1, w2])
    return sp.expand(cv.quadratic_loss(w, CONTOUR_A, CONTOUR_B)[0, 0])


@cache
def contour_hessian() -> sp.ImmutableMatrix:
    """The Hessian of the written-out loss, by ``sympy.hessian`` (equal to A)."""
    return sp.ImmutableMatrix(sp.hessian(contour_loss(), (w1, w2)))


@cache
def contour_eigenvalues() -> tuple[sp.Expr, ...]:
    """The Hessian's eigenvalues, smallest first."""
    values = contour_hessian().eigenvals()
    return tuple(sorted((v for v, k in values.items() for _ in range(k)), key=sp.default_sort_key))


def contour_lambda_max() -> sp.Expr:
    return max(contour_eigenvalues())


@cache
def contour_critical() -> sp.Expr:
    """2/λ_max at this Hessian's λ_max (the bound derived in :mod:`derive.topics.convergence`)."""
    return cv.critical_step_size().xreplace({cv.lambda_max: contour_lambda_max()})


def contour_rates() -> tuple[sp.Expr, ...]:
    """The figure's learning rates, exact."""
    return tuple(r * contour_critical() for r in CONTOUR_RATIOS)


def contour_factor(eta: sp.Expr) -> sp.Expr:
    """|1 − ηλ_max|: the factor by which the error along the top eigenvector changes per step."""
    return sp.Abs(cv.eigen_factor().xreplace({cv.lam: contour_lambda_max(), cv.eta: eta}))


def hessian_is_a() -> bool:
    return contour_hessian() == CONTOUR_A


__all__ = [
    "CONTOUR_A",
    "CONTOUR_B",
    "CONTOUR_RATIOS",
    "CONTOUR_W_STAR",
    "contour_critical",
    "contour_eigenvalues",
    "contour_factor",
    "contour_hessian",
    "contour_lambda_max",
    "contour_loss",
    "contour_rates",
    "hessian_is_a",
    "w1",
    "w2",
]
