"""Gradient descent: the update rule, and when it converges on a quadratic loss (the 2/λ_max bound)."""

from __future__ import annotations

from nnmath.topics.base import CALCULUS, OPTIMISATION, Record, Topic, page


def present() -> Record:
    from nnmath.topics.gradient_descent.record import present as record

    return record()


def derived_formulas() -> list[tuple[str, str]]:
    from derive.topics import convergence

    return convergence.formulas()


def generated() -> tuple:
    from derive.topics import convergence

    return (convergence.GENERATED,)


TOPIC = Topic(
    name="gradient_descent",
    title="Gradient-descent convergence",
    present=present,
    pages=(
        page("gradient-descent", "calculus/gradient-descent.md", "Gradient descent", CALCULUS),
        page("gd-convergence", "optimisation/gd-convergence.md", "When gradient descent converges", OPTIMISATION),
    ),
    handout="gd-convergence",
    formulas=derived_formulas,
    generated=generated,
)
