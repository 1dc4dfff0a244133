"""Episode 3: backpropagation — BP1–BP4 in matrix form, and a check against finite differences."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Challenge, Episode, Idea

CHECK_SIZES = (4, 5, 3)  # the network whose gradients the figure checks
CHECK_SAMPLES = 8
H = 1e-6  # the central difference's step


def gradient_check() -> dict:
    """Every weight's ∂C/∂w by backpropagation (``MLP.gradients``) and by the central difference.

    The difference is (C(w + h) − C(w − h))/2h.

    A sigmoid 4-5-3 network with softmax output on 8 random samples; returns both lists and the largest gap.
    """
    import numpy as np

    from numeric import mlp

    rng = np.random.default_rng(0)
    x = rng.normal(size=(CHECK_SAMPLES, CHECK_SIZES[0]))
    y = rng.integers(0, CHECK_SIZES[-1], size=CHECK_SAMPLES)
    net = mlp.build(list(CHECK_SIZES), activation="sigmoid", seed=0)
    backprop = np.concatenate([g.ravel() for g, _ in net.gradients(x, y)])
    numeric_grad = []
    for weights in net.weights:
        for idx in np.ndindex(weights.shape):
            old = weights[idx]
            weights[idx] = old + H
            up = net.loss_value(x, y)
            weights[idx] = old - H
            down = net.loss_value(x, y)
            weights[idx] = old
            numeric_grad.append((up - down) / (2 * H))
    numeric_grad = np.array(numeric_grad)
    return {"backprop": backprop, "numeric": numeric_grad, "gap": float(np.max(np.abs(backprop - numeric_grad)))}


def _figure(check: dict):
    from nnmath.plots import drawn, plt

    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    ax.plot(check["numeric"], check["backprop"], "o", markersize=4, color="#1f77b4")
    lo, hi = float(min(check["numeric"].min(), 0)), float(max(check["numeric"].max(), 0))
    ax.plot([lo, hi], [lo, hi], "--", color="#7f7f7f", linewidth=1)
    ax.set_xlabel("central difference (C(w + h) − C(w − h)) / 2h")
    ax.set_ylabel("backpropagation ∂C/∂w")
    n = "-".join(map(str, CHECK_SIZES))
    ax.set_title(f"All {len(check['numeric'])} weights of a {n} network: largest gap {check['gap']:.1e}", fontsize=9)
    fig.tight_layout()
    return drawn(fig)


def _hidden_error() -> dict:
    """δ¹ = (W²ᵀ δ²) ∘ σ′(z¹) for small numbers (the challenge), with the generated σ′."""
    import numpy as np

    import numeric

    w2 = np.array([[1.0, -2.0], [0.5, 1.0]])
    delta2 = np.array([0.2, -0.4])
    z1 = np.array([0.0, 0.0])
    back = w2.T @ delta2
    return {
        "W2": w2,
        "delta2": delta2,
        "z1": z1,
        "back": back,
        "slope": numeric.sigmoid_grad(z1),
        "delta1": back * numeric.sigmoid_grad(z1),
    }


def _vec(v) -> str:
    return "(" + ", ".join(f"{x:g}" for x in v) + ")"


def _rows(m) -> str:
    return "[" + "; ".join(" ".join(f"{v:g}" for v in row) for row in m) + "]"


def body() -> Body:
    from nnmath.topics.backpropagation.formulas import equations

    eq = {e["label"].split(":")[0]: e for e in equations()}
    check = gradient_check()
    h = _hidden_error()
    return Body(
        ideas=(
            Idea(
                "Forward: keep what you computed",
                (
                    "Backpropagation is the chain rule organised for a whole network. The forward pass computes, "
                    "layer by layer, the weighted inputs z and the activations a, and keeps them: the backward "
                    "pass needs every one of them.",
                ),
                formulas=(eq["The dense layer"]["tex"],),
            ),
            Idea(
                "BP1: the error at the output",
                (
                    "Define the error δ of a layer as ∂C/∂z, how much the cost changes when a unit's weighted input "
                    "moves. At the output it is the loss's slope times the activation's slope (for softmax with "
                    "cross-entropy the product simplifies to p − y).",
                ),
                formulas=(eq["BP1"]["tex"],),
            ),
            Idea(
                "BP2: carry the error back with Wᵀ",
                (
                    "A hidden unit influenced the cost through every unit it fed. Its error is the weighted sum of "
                    "their errors — the transposed weights — times its own activation's slope.",
                ),
                formulas=(eq["BP2"]["tex"],),
            ),
            Idea(
                "BP3 and BP4: from errors to gradients",
                (
                    "Once every layer has its δ, the gradients follow at once: the bias gradient is δ, the weight "
                    "gradient is δ times the previous activations (an outer product, the shape of W). One forward "
                    "and one backward pass give all gradients, at about the cost of two forward passes.",
                ),
                formulas=(eq["BP3"]["tex"], eq["BP4"]["tex"]),
            ),
            Idea(
                "Trust, but check",
                (
                    "A gradient can be checked with the central difference of episode 2, one weight at a time. "
                    f"The figure compares both for every weight of a small network: the points lie on the diagonal, "
                    f"the largest gap is {check['gap']:.1e}. Slow (two forward passes per weight) but independent.",
                ),
                figure="check",
            ),
        ),
        challenges=(
            Challenge(
                "An error carried back",
                f"Layer 2 has W² = {_rows(h['W2'])} and error δ² = {_vec(h['delta2'])}. Layer 1 uses the sigmoid "
                f"and had z¹ = {_vec(h['z1'])}. Compute δ¹ with BP2.",
                solution=(
                    f"W²ᵀ δ² = {_vec(h['back'])}; σ′(z¹) = {_vec(h['slope'])}; elementwise product: "
                    f"δ¹ = {_vec(h['delta1'])}."
                ),
                answer=f"δ¹ = {_vec(h['delta1'])}",
                hints=("Transpose first: row i of W²ᵀ is column i of W².",),
                mistakes=(
                    "Using W² instead of its transpose (gives the same shape here, but the wrong numbers).",
                    "Multiplying by σ(z¹) instead of σ′(z¹).",
                ),
            ),
            Challenge(
                "The shape of a weight gradient",
                "In a layer with 32 units fed by 64 inputs, what shape does δ (a)ᵀ have for one sample, and why "
                "must it match W?",
                solution="δ is 32 × 1 and aᵀ is 1 × 64, so δ aᵀ is 32 × 64: the shape of W, since the update "
                "W ← W − η ∂C/∂W subtracts it entry by entry.",
                answer="32 × 64",
                mistakes=("Writing a δᵀ (64 × 32): the transpose of the gradient.",),
            ),
        ),
        figures={"check": _figure(check)},
    )


EPISODE = Episode(
    id="backpropagation",
    number=3,
    title="Backpropagation",
    stage="theory",
    questions=(
        "How does a network get the gradient of its cost with respect to every weight?",
        "Why is one backward pass enough?",
    ),
    objectives=(
        "State BP1–BP4 and say what each computes.",
        "Carry an error back through one layer by hand.",
        "Check a gradient against a central difference.",
    ),
    teaching_minutes=8,
    exercise_minutes=3,
    keypoints=(
        "δ = ∂C/∂z is computed at the output (BP1) and carried back with Wᵀ (BP2).",
        "The gradients are δ for the biases (BP3) and δ aᵀ for the weights (BP4).",
        "Finite differences check backpropagation independently.",
    ),
    instructor_notes=(
        "Link BP2's Wᵀ back to episode 1's last idea before showing it.",
        "The worked-example page has a full 2-2-2 forward and backward pass with every number, for questions.",
    ),
    body=body,
    references=("backpropagation", "worked-example", "verification"),
    show=("BP1–BP4, one at a time.", "The gradient-check figure."),
)
