"""Episode 2: derivatives, gradients and the chain rule, on one sigmoid neuron."""

from __future__ import annotations

from nnmath.topics.base import Tex
from nnmath.topics.workshop.episode import Body, Challenge, Episode, Idea, Step

TANGENT_AT = 1.0  # the point where the figure draws the tangent of σ
NEURON = {"w": 0.5, "x": 2.0, "b": -1.0, "y": 1.0}  # the challenge's neuron (z = 0: σ'(0) is a quarter)


def _tangent_figure():
    """σ(x), σ'(x) = σ(1 − σ), and the tangent at x = 1 whose slope is σ'(1): computed with the generated code."""
    import numpy as np

    import numeric
    from nnmath.plots import drawn, plt

    x = np.linspace(-6, 6, 400)
    s, ds = numeric.sigmoid(x), numeric.sigmoid_grad(x)
    x0 = TANGENT_AT
    y0, slope = float(numeric.sigmoid(x0)), float(numeric.sigmoid_grad(x0))
    fig, ax = plt.subplots(figsize=(7.0, 3.4))
    ax.plot(x, s, color="#1f77b4", linewidth=2, label="σ(x)")
    ax.plot(x, ds, color="#d62728", linewidth=2, label="σ′(x) = σ(x)(1 − σ(x))")
    near = np.linspace(x0 - 2, x0 + 2, 50)
    ax.plot(near, y0 + slope * (near - x0), "--", color="#7f7f7f", label=f"tangent at x = {x0:g}: slope {slope:.3f}")
    ax.plot([x0], [y0], "o", color="#1f77b4")
    ax.set_xlabel("x")
    ax.set_ylim(-0.1, 1.1)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title("The derivative is the slope of the tangent; σ′ is largest at 0 (a quarter)")
    fig.tight_layout()
    return drawn(fig)


def _neuron_numbers() -> dict:
    """z, a and ∂L/∂w = 2(a − y) σ′(z) x for the challenge's neuron, with the generated functions."""
    import numeric

    n = NEURON
    z = n["w"] * n["x"] + n["b"]
    a = float(numeric.sigmoid(z))
    dl_da = float(numeric.mse_grad(a, n["y"]))
    da_dz = float(numeric.sigmoid_grad(z))
    return {**n, "z": z, "a": a, "dl_da": dl_da, "da_dz": da_dz, "dz_dw": n["x"], "grad": dl_da * da_dz * n["x"]}


def body() -> Body:
    from nnmath.topics.backpropagation.formulas import chain_rule
    from nnmath.topics.practice.formulas import entry, finite_differences

    sigmoid = entry("sigmoid")
    fd = finite_differences()
    chain = chain_rule()
    d = chain["derivation"]
    steps = [
        Step(Tex(d["start"]), Tex(s["expr"]), s["rule"]) if i == 0 else Step(Tex(""), Tex(s["expr"]), s["rule"])
        for i, s in enumerate(d["steps"])
    ]
    n = _neuron_numbers()
    sig0 = _sigma_prime_zero()
    return Body(
        ideas=(
            Idea(
                "A derivative is a slope",
                (
                    "The derivative of f at x says how fast f changes when x moves a little: the slope of the "
                    "tangent. Numerically it is the limit of a difference quotient; the central difference is "
                    "accurate to second order in the step h, which is why checks of gradients use it.",
                ),
                formulas=(fd["central"], fd["central_series"]),
            ),
            Idea(
                "The sigmoid and its derivative",
                (
                    "The logistic sigmoid squashes any number into (0, 1). Its derivative can be written with "
                    "the sigmoid itself, so a network that has computed σ(z) on the way forward gets σ′(z) "
                    f"almost for free on the way back. The figure shows the tangent at x = {TANGENT_AT:g}.",
                ),
                formulas=(sigmoid["definition"], *sigmoid["gradient"]),
                figure="tangent",
            ),
            Idea(
                "A gradient collects the partial derivatives",
                (
                    "A loss depends on many parameters. The partial derivative with respect to one of them holds "
                    "the others fixed; the gradient ∇L is the vector of all of them. It points uphill, the way the "
                    "loss grows fastest, so a step against it lowers the loss.",
                ),
            ),
            Idea(
                "The chain rule, one neuron",
                (
                    "A neuron is a chain of simple functions: the weighted input z, the activation a, the loss L. "
                    "The chain rule multiplies their derivatives, each taken where the forward pass left it:",
                ),
                formulas=(chain["neuron"], chain["activated"], chain["loss_of"]),
                steps=tuple(steps),
            ),
        ),
        challenges=(
            Challenge(
                "The slope of the sigmoid at 0",
                "Use σ′ = σ(1 − σ) to find σ′(0) without differentiating again.",
                solution=f"σ(0) = 1/(1 + 1) = 1/2, so σ′(0) = 1/2 · (1 − 1/2) = {sig0:g}, the largest slope σ has.",
                answer=f"σ′(0) = {sig0:g}",
                hints=("What is e⁰?",),
                mistakes=("Differentiating 1/(1 + e^(−x)) again and losing a sign.",),
            ),
            Challenge(
                "The chain rule with numbers",
                f"A neuron has w = {n['w']:g}, b = {n['b']:g}, input x = {n['x']:g}, target y = {n['y']:g}, "
                "sigmoid activation and loss L = (a − y)². Compute z, a and ∂L/∂w as the product of the three "
                "local derivatives.",
                solution=(
                    f"z = w x + b = {n['z']:g}; a = σ(z) = {n['a']:g}; ∂L/∂a = 2(a − y) = {n['dl_da']:g}; "
                    f"∂a/∂z = σ(z)(1 − σ(z)) = {n['da_dz']:g}; ∂z/∂w = x = {n['dz_dw']:g}. "
                    f"Product: ∂L/∂w = {n['grad']:g}. Negative: increasing w lowers the loss."
                ),
                answer=f"∂L/∂w = {n['grad']:g}",
                hints=("Do the forward pass first and keep z and a: every local derivative uses them.",),
                mistakes=(
                    "Using σ′(x) instead of σ′(z): the activation's derivative is taken at its own input.",
                    "Forgetting the factor x from z = w x + b.",
                ),
            ),
        ),
        figures={"tangent": _tangent_figure()},
    )


def _sigma_prime_zero() -> float:
    import numeric

    return float(numeric.sigmoid_grad(0.0))


EPISODE = Episode(
    id="calculus",
    number=2,
    title="Derivatives, gradients and the chain rule",
    stage="theory",
    questions=(
        "What does a derivative measure, and how is it checked with numbers?",
        "How do we differentiate a chain of functions such as a neuron?",
    ),
    objectives=(
        "Read a derivative as a slope and estimate it with a central difference.",
        "Use σ′ = σ(1 − σ) to evaluate the sigmoid's derivative.",
        "Apply the chain rule to one neuron and compute ∂L/∂w with numbers.",
    ),
    teaching_minutes=8,
    exercise_minutes=3,
    keypoints=(
        "A derivative is the slope of the tangent; a gradient collects all partial derivatives.",
        "The chain rule multiplies local derivatives, each evaluated at the forward pass's values.",
        "σ′ = σ(1 − σ): the forward pass already holds what the backward pass needs.",
    ),
    instructor_notes=(
        "Reveal the chain-rule steps one line at a time; ask the room for the next local derivative.",
        "The numbers of challenge 2 give z = 0 on purpose, so σ′(z) is a quarter.",
    ),
    body=body,
    references=("derivatives", "chain-rule", "entry:sigmoid"),
    show=("The tangent figure.", "The chain-rule page's steps, revealed one at a time."),
)
