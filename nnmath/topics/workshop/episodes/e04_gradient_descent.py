"""Episode 4: gradient descent on a 2-D quadratic, the learning rate, and the bound η < 2/λ_max."""

from __future__ import annotations

from functools import cache

from nnmath.topics.workshop.episode import Body, Challenge, Episode, Idea

START = (-1.0, 3.0)  # w₀ of the contour plot's trajectories
STEPS = 25
COLOURS = ("#2ca02c", "#1f77b4", "#d62728")


@cache
def _loss_function():
    """L(w₁, w₂) of :func:`derive.topics.workshop.contour_loss`, as a NumPy function (SymPy's lambdify)."""
    import sympy as sp

    from derive.topics import workshop as ws

    return sp.lambdify((ws.w1, ws.w2), ws.contour_loss(), modules="numpy")


def trajectories() -> list[dict]:
    """Gradient descent from w₀ at each of the figure's learning rates, with the generated step function.

    Returns, per rate: η (exact and float), |1 − ηλ_max|, whether it diverges (η > 2/λ_max), the path and the losses.
    """
    import numpy as np

    import numeric
    from derive.topics import workshop as ws

    a = np.array(ws.CONTOUR_A.tolist(), dtype=float)
    b = np.array(ws.CONTOUR_B.T.tolist()[0], dtype=float)
    w_star = numeric.quadratic_minimiser(a, b)
    critical = ws.contour_critical()
    out = []
    for eta in ws.contour_rates():
        w = np.array(START)
        path = [w]
        for _ in range(STEPS):
            w = numeric.gradient_descent_step(a, b, w, float(eta))
            path.append(w)
        path = np.array(path)
        loss = _loss_function()
        losses = [loss(*p) - loss(*w_star) for p in path]
        out.append(
            {
                "eta": eta,
                "value": float(eta),
                "factor": ws.contour_factor(eta),
                "diverges": bool(eta > critical),
                "path": path,
                "gaps": np.array(losses),
            }
        )
    return out


def _figure(runs: list[dict]):
    """Left: contours of L with the three trajectories; right: L(w_k) − L(w*) on a log scale."""
    import numpy as np

    from derive.topics import workshop as ws
    from nnmath.plots import drawn, plt

    g1, g2 = np.meshgrid(np.linspace(-3, 5, 200), np.linspace(-2, 5, 200))
    loss = _loss_function()(g1, g2)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.9))
    left.contour(g1, g2, loss, levels=np.linspace(loss.min(), loss.min() + 40, 14), colors="#bbbbbb", linewidths=0.8)
    critical = float(ws.contour_critical())
    for r, colour in zip(runs, COLOURS, strict=True):
        label = f"η = {r['value']:.3g} ({'>' if r['diverges'] else '<'} 2/λmax = {critical:.3g})"
        p = r["path"]
        left.plot(p[:, 0], p[:, 1], "o-", color=colour, markersize=2.5, linewidth=1.1, label=label)
        right.semilogy(np.maximum(r["gaps"], 1e-16), color=colour, linewidth=1.6, label=label)
    left.plot([1], [1], "k*", markersize=10)
    left.set_xlim(-3, 5)
    left.set_ylim(-2, 5)
    left.set_xlabel("w₁")
    left.set_ylabel("w₂")
    left.set_title("Contours of L and the paths of gradient descent", fontsize=9)
    left.legend(fontsize=7, loc="lower right")
    right.set_xlabel("step k")
    right.set_ylabel("L(w_k) − L(w*)")
    right.set_title("Loss gap: below 2/λmax it shrinks, above it grows", fontsize=9)
    fig.tight_layout()
    return drawn(fig)


def body() -> Body:
    import sympy as sp

    from derive.topics import convergence as cv
    from derive.topics import workshop as ws
    from nnmath.topics.base import Tex
    from nnmath.topics.gradient_descent.formulas import HESSIAN, L, step_size_interval, tex, update_step

    runs = trajectories()
    lam_min, lam_max = ws.contour_eigenvalues()[0], ws.contour_lambda_max()
    critical = ws.contour_critical()
    slow, zigzag, wild = runs
    loss = Tex(tex(L(ws.w1, ws.w2)) + " = " + tex(ws.contour_loss(), "lex"))
    hessian = Tex(tex(HESSIAN) + " = " + tex(ws.contour_hessian()))
    eigen = Tex(f"{tex(cv.lambda_min)} = {tex(lam_min)}, \\quad {tex(cv.lambda_max)} = {tex(lam_max)}")
    trace, det = ws.contour_hessian().trace(), ws.contour_hessian().det()
    bound = Tex(f"{tex(cv.critical_step_size())} = {tex(critical)}")
    return Body(
        ideas=(
            Idea(
                "Step downhill",
                (
                    "Gradient descent moves the parameters a small step against the gradient. The learning rate η "
                    "sets the step's length: the one number that decides whether training is slow, fast or "
                    "explodes.",
                ),
                formulas=(update_step()["step"],),
            ),
            Idea(
                "A loss we can see: a 2-D quadratic",
                (
                    "Near a minimum every smooth loss looks like a quadratic bowl. Take two weights and a bowl "
                    "whose minimum is at w* = (1, 1). SymPy computes the Hessian, the matrix of second "
                    "derivatives, from the written-out loss; its eigenvalues are the curvatures along the bowl's "
                    "axes.",
                ),
                formulas=(loss, hessian, eigen),
            ),
            Idea(
                "Why 2/λ_max",
                (
                    "Along each axis of the bowl, one step multiplies the distance to the minimum by 1 − ηλ. The "
                    "distance shrinks only while that factor lies between −1 and 1: for every curvature λ, so η "
                    "must stay below 2/λ_max. The steepest direction sets the limit.",
                ),
                formulas=(tex(cv.eigen_factor()), step_size_interval(), bound),
            ),
            Idea(
                "Three learning rates",
                (
                    f"The figure runs {STEPS} steps from w₀ = {START} at three learning rates: "
                    f"η = {slow['value']:.3g} (factor {float(slow['factor']):.2f} along the steep axis: a smooth "
                    f"path), η = {zigzag['value']:.3g} (factor {float(zigzag['factor']):.2f}: the path zig-zags "
                    f"across the valley but converges) and η = {wild['value']:.3g}, just above 2/λ_max = "
                    f"{float(critical):.3g} (factor {float(wild['factor']):.2f}: every step overshoots a little "
                    "more, and the loss grows without bound).",
                    "In a real network the curvature changes during training; the same picture explains why a "
                    "loss that suddenly explodes calls for a smaller learning rate.",
                ),
                figure="contour",
            ),
        ),
        challenges=(
            Challenge(
                "The largest stable learning rate",
                f"A quadratic loss has the Hessian {ws.CONTOUR_A.tolist()}. Find its eigenvalues and the largest "
                "learning rate for which gradient descent converges.",
                solution=(
                    f"The eigenvalues add up to the trace ({trace}) and multiply to the determinant ({det}): "
                    f"λ = {lam_min} and λ = {lam_max}. "
                    f"Convergence needs η < 2/λ_max = {critical}."
                ),
                answer=f"λ = {lam_min}, {lam_max}; η < {critical}",
                hints=("For a 2 × 2 matrix: trace = λ₁ + λ₂, determinant = λ₁λ₂.",),
                mistakes=(
                    "Using the smallest eigenvalue: the steepest direction sets the limit.",
                    "Taking the largest diagonal entry (5) as λ_max: the off-diagonal terms change the curvature.",
                ),
            ),
            Challenge(
                "How fast does it blow up?",
                f"With η = {wild['eta']} on this loss, by what factor does the error along the steepest axis "
                f"change per step? After 10 steps?",
                solution=(
                    f"|1 − ηλ_max| = |1 − {wild['eta']} · {lam_max}| = {wild['factor']}: each step multiplies the "
                    f"error by {sp.N(wild['factor'], 3)} with alternating sign; after 10 steps by "
                    f"{float(wild['factor']) ** 10:.2f}."
                ),
                answer=f"{wild['factor']} per step, {float(wild['factor']) ** 10:.2f} after 10",
                mistakes=("Forgetting the absolute value: 1 − ηλ is negative here, the path jumps across.",),
            ),
        ),
        figures={"contour": _figure(runs)},
    )


EPISODE = Episode(
    id="gradient-descent",
    number=4,
    title="Gradient descent and the learning rate",
    stage="theory",
    questions=(
        "How does a network use its gradient to learn?",
        "Why does a too-large learning rate make training explode?",
    ),
    objectives=(
        "Write the gradient-descent update and take one step by hand.",
        "Compute the curvature (Hessian eigenvalues) of a 2-D quadratic and the bound η < 2/λ_max.",
        "Predict from η whether a run converges smoothly, zig-zags or diverges.",
    ),
    teaching_minutes=7,
    exercise_minutes=3,
    keypoints=(
        "w ← w − η∇L: a step against the gradient, of size set by the learning rate η.",
        "On a quadratic, each step multiplies the error along an axis by 1 − ηλ.",
        "Gradient descent converges only if η < 2/λ_max: the steepest direction sets the limit.",
    ),
    instructor_notes=(
        "Show the contour figure and ask which colour will diverge before revealing the loss panel.",
        "The learning rates are 0.3, 0.9 and 1.05 times 2/λ_max; the red run is just 5 % too large.",
    ),
    body=body,
    references=("gradient-descent", "gd-convergence", "optimisers"),
    show=("The contour figure with the three trajectories.", "The convergence page's table of thresholds."),
)
