"""Episode 9: exercises by hand on the per-participant sheets (numbers drawn per participant)."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Challenge, Episode, Idea

SIZES = (2, 2, 2)  # the network of the forward-and-backward exercise


def _network_figure():
    """A 2-2-2 network drawn with its names: inputs x, weights W, weighted inputs z, activations a."""
    from nnmath.plots import drawn, plt

    fig, ax = plt.subplots(figsize=(6.5, 3.0))
    xs = [0.0, 1.0, 2.0]
    names = [["x₁", "x₂"], ["a¹₁", "a¹₂"], ["a²₁", "a²₂"]]
    for layer, (x, size) in enumerate(zip(xs, SIZES, strict=True)):
        for i in range(size):
            y = 0.5 - i
            if layer + 1 < len(SIZES):
                for j in range(SIZES[layer + 1]):
                    ax.annotate("", (xs[layer + 1] - 0.1, 0.5 - j), (x + 0.1, y), arrowprops={"arrowstyle": "->"})
            ax.add_patch(plt.Circle((x, y), 0.1, color="#1f77b4", alpha=0.3))
            ax.text(x, y, names[layer][i], ha="center", va="center", fontsize=10)
    ax.text(0.5, 0.85, "W¹, b¹", ha="center")
    ax.text(1.5, 0.85, "W², b²", ha="center")
    ax.text(2.45, 0.0, "→ loss C", va="center")
    ax.text(1.0, -1.05, "forward: z = W a + b, a = σ(z)   ·   backward: δ, then ∂C/∂W = δ aᵀ", ha="center", fontsize=8)
    ax.set_xlim(-0.3, 3.0)
    ax.set_ylim(-1.2, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return drawn(fig)


def body() -> Body:
    from nnmath.topics.backpropagation.formulas import equations
    from nnmath.topics.exercises.sheets import present

    (sheet,) = present(0, 1)["sheets"]
    exercises = sheet["exercises"]
    bp = {e["label"].split(":")[0]: e["tex"] for e in equations()}
    listing = "; ".join(f"{e['number']}. {e['title']} ({len(e['asked'])} values)" for e in exercises)
    return Body(
        ideas=(
            Idea(
                "Your own sheet",
                (
                    "Every participant gets a sheet with their own numbers, drawn from one seed: neighbours can "
                    "compare methods but not copy answers. The instructor's answer key has every sheet's solutions.",
                    f"The exercises: {listing}.",
                ),
            ),
            Idea(
                "The forward and backward pass by hand",
                (
                    "The longest exercise is a full forward and backward pass through a 2-2-2 network. Work layer "
                    "by layer and write every intermediate value down: each backward quantity uses one forward one.",
                ),
                formulas=(bp["The dense layer"], bp["BP1"], bp["BP2"], bp["BP4"]),
                figure="network",
            ),
        ),
        challenges=(
            Challenge(
                "Check your own work",
                "Having finished the forward pass, how can you check a weight gradient of the sheet without the "
                "answer key?",
                solution="Change that weight by a small h (say 0.001) in both directions, redo the forward pass, and "
                "compare (C(w + h) − C(w − h))/2h with your ∂C/∂w: the central difference of episode 2.",
                answer="A central difference.",
                mistakes=("Using a large h (0.5): the difference then measures curvature too.",),
            ),
        ),
        figures={"network": _network_figure()},
    )


EPISODE = Episode(
    id="exercises",
    number=9,
    title="Exercises by hand",
    stage="exercises-discussion",
    questions=("Can I compute what the network computes, with pen and paper?",),
    objectives=(
        "Compute a derivative, a forward and backward pass, and a gradient step by hand.",
        "Check a result with an independent method (a central difference).",
    ),
    teaching_minutes=3,
    exercise_minutes=12,
    keypoints=(
        "Every number of training can be computed by hand: the network has no hidden magic.",
        "Write intermediate values down; the backward pass reuses them.",
    ),
    instructor_notes=(
        "Hand out the sheets (one per participant, exercises.pdf) at the end of the break.",
        "Exercises 1 and 2 are the core; the others are for those who finish early.",
        "Answers: answer-key.pdf, one page per participant.",
    ),
    body=body,
    references=("worked-example", "backpropagation"),
    show=("The network figure while explaining exercise 2.",),
)
