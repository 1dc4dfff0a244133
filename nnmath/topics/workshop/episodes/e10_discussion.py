"""Episode 10: a discussion of the challenges and limits of AI models, with prompts and a measured example."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Challenge, Episode, Idea

FAR = (6.0, -6.0)  # a point far from the moons data
EPOCHS = 300


def _moons() -> dict:
    """A 2-16-16-1 network trained on the moons data, and its output over a region much wider than the data."""
    import numpy as np

    from numeric import datasets, mlp

    d = datasets.load("moons", seed=0)
    net = mlp.build([2, 16, 16, 1], activation="tanh", output="sigmoid", seed=0)
    net.fit(d.X_train, d.y_train, epochs=EPOCHS, batch_size=32, optimiser="adam", lr=0.01, evaluate=False)  # no curve
    g1, g2 = np.meshgrid(np.linspace(-8, 8, 160), np.linspace(-8, 8, 160))
    grid = net.predict(np.column_stack([g1.ravel(), g2.ravel()])).reshape(g1.shape)
    far = float(net.predict(np.array([FAR]))[0, 0])
    return {
        "X": d.X_train,
        "y": d.y_train,
        "grid": (g1, g2, grid),
        "far": far,
        "test": net.accuracy(d.X_test, d.y_test),
    }


def _figure(m: dict):
    from nnmath.plots import drawn, plt

    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    g1, g2, grid = m["grid"]
    c = ax.contourf(g1, g2, grid, levels=20, cmap="coolwarm")
    fig.colorbar(c, ax=ax, label="P(class 1)")
    ax.scatter(m["X"][:, 0], m["X"][:, 1], c=m["y"], cmap="coolwarm", edgecolors="k", s=10, linewidths=0.3)
    ax.plot([FAR[0]], [FAR[1]], "k*", markersize=12)
    ax.set_title(f"Far from the data (★) the network still says {m['far']:.3f}", fontsize=9)
    ax.grid(False)
    fig.tight_layout()
    return drawn(fig)


PROMPTS = (
    "A falling loss is not understanding: in episode 6 the training loss kept falling while the validation loss "
    "rose. Which number would you report, and who would notice the difference?",
    "Confidence is not knowledge: far from its training data the network still answers with a probability near 0 "
    "or 1 (the figure). What does that mean for a model that answers questions about the world?",
    "Accuracy can hide who the errors fall on (episode 5). Which errors are acceptable in a medical test, a loan "
    "decision, a spam filter — and who decides?",
    "Every formula of the course was derived and checked by a computer. What in a real AI system cannot be checked "
    "that way — the data, the labels, the objective, the use?",
    "Hyperparameter tuning costs compute and energy (episode 6's accuracy–cost chart). When is a little more "
    "accuracy worth a lot more cost?",
)


def body() -> Body:
    from nnmath.topics.overfitting.formulas import penalty
    from nnmath.topics.practice.formulas import entry
    from nnmath.topics.workshop import tuning as tu

    m = _moons()
    chosen = tu.chosen_l2()
    n_test = len(tu.data()[5])
    return Body(
        ideas=(
            Idea(
                "What the mathematics guarantees, and what it does not",
                (
                    "The mathematics of this workshop guarantees that the gradients are right and that training "
                    "lowers the loss on the training data. It guarantees nothing about data the model never saw, "
                    "about labels that were wrong, or about whether the loss measures what we care about. The gap "
                    "between validation and training loss is measured, never guaranteed:",
                ),
                formulas=(penalty()["gap"],),
            ),
            Idea(
                "Confidence far from the data",
                (
                    f"A small network trained on the two-moons data reaches {m['test']:.1%} test accuracy. Asked about "
                    f"a point far outside the data, {FAR}, it answers P(class 1) = {m['far']:.3f}: a sigmoid output "
                    "is a function of the input, not a measure of how much the model knows: far out, z is large and "
                    "σ(z) saturates at 0 or 1.",
                ),
                formulas=(entry("sigmoid")["definition"],),
                figure="confidence",
            ),
        ),
        challenges=(
            Challenge(
                "Your report",
                "You trained the digits network of episode 6. Write the two sentences you would put in a report to "
                "someone who will use it: what number, measured how, and one limit.",
                solution=f"For example: 'Test accuracy {chosen.test_accuracy:.1%} on {n_test} held-out digits, chosen "
                "on a separate validation set. It was never tested on handwriting from other sources, and its "
                "confidence is not a probability of being right.' Any answer that names the held-out measurement "
                "and a limit is good.",
                answer="A held-out test figure plus a stated limit.",
                mistakes=("Reporting the training accuracy.", "Reporting the test accuracy after tuning on it."),
            ),
        ),
        figures={"confidence": _figure(m)},
    )


EPISODE = Episode(
    id="discussion",
    number=10,
    title="Discussion: the limits of AI models",
    stage="exercises-discussion",
    questions=("What can the mathematics of neural networks guarantee, and what can it not?",),
    objectives=(
        "Name three limits of a trained model that no gradient check reveals.",
        "Argue which measurement to report for a model and why.",
    ),
    teaching_minutes=15,
    exercise_minutes=0,
    keypoints=(
        "Correct gradients and a low training loss say nothing about unseen data.",
        "A model's output probability is not its knowledge; far from the data it can be confidently wrong.",
        "Choosing what to measure and report is a human decision.",
    ),
    instructor_notes=(
        "Groups of 4–6 take one prompt each (5 minutes), then report back one sentence each (8 minutes).",
        "Close with the keypoints (2 minutes) and point to the site for everything not covered.",
    ),
    body=body,
    references=("overfitting", "metrics"),
    show=("The confidence figure.", "The prompts, one per group."),
    prompts=PROMPTS,
)
