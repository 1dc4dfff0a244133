"""Episode 8: guided practice in the notebooks (parts 1–3), with a network trained live at the end."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Challenge, Episode, Idea

XOR_EPOCHS = 2000


def _xor() -> dict:
    """A 2-2-1 sigmoid network trained on XOR with the generated functions: loss curve and outputs."""
    import numpy as np

    from numeric import mlp

    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    net = mlp.build([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0)
    history = net.fit(x, y, epochs=XOR_EPOCHS, batch_size=4, optimiser="adam", lr=0.05)
    g1, g2 = np.meshgrid(np.linspace(-0.5, 1.5, 120), np.linspace(-0.5, 1.5, 120))
    grid = net.predict(np.column_stack([g1.ravel(), g2.ravel()])).reshape(g1.shape)
    return {"x": x, "y": y, "loss": history.train_loss, "out": net.predict(x).ravel(), "grid": (g1, g2, grid)}


def _figure(xor: dict):
    from nnmath.plots import drawn, plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.3))
    left.semilogy(range(1, len(xor["loss"]) + 1), xor["loss"], color="#1f77b4", linewidth=1.8)
    left.set_xlabel("epoch")
    left.set_ylabel("training loss")
    left.set_title("Part 3: the loss of a 2-2-1 network on XOR", fontsize=9)
    g1, g2, grid = xor["grid"]
    right.contourf(g1, g2, grid, levels=20, cmap="coolwarm", alpha=0.8)
    right.scatter(xor["x"][:, 0], xor["x"][:, 1], c=xor["y"], cmap="coolwarm", edgecolors="k", s=60)
    right.set_title("Its output: XOR needs the hidden layer", fontsize=9)
    right.set_xlabel("x₁")
    right.set_ylabel("x₂")
    right.grid(False)
    fig.tight_layout()
    return drawn(fig)


def body() -> Body:
    from nnmath.topics.gradient_descent.formulas import update_step
    from nnmath.topics.practice.formulas import batch_equations, finite_differences
    from nnmath.topics.practice.parts import PARTS

    xor = _xor()
    titles = {p.number: p.title for p in PARTS}
    minutes = {p.number: p.minutes for p in PARTS}  # declared with each notebook
    outputs = ", ".join(f"{v:.2f}" for v in xor["out"])
    formulas = {1: (batch_equations()["columns"],), 2: (finite_differences()["central"],), 3: (update_step()["step"],)}
    what = {
        1: "Build a dense layer with NumPy, check its shapes, and run it on a batch.",
        2: "Compare derivatives from the catalogue with central differences, then apply the chain rule to a neuron.",
        3: "Train a small network with the generated functions and watch training and validation loss.",
    }
    return Body(
        ideas=tuple(
            Idea(
                f"{titles[n]} (about {minutes[n]} min)",
                (what[n], "Each exercise has a check cell: it prints one line, ✓ when the answer is right."),
                formulas=formulas[n],
                figure="xor" if n == 3 else None,
            )
            for n in sorted(minutes)
        ),
        challenges=(
            Challenge(
                "Predict before you run",
                "Before training the 2-2-1 network on XOR in part 3, predict its four outputs for (0, 0), (0, 1), "
                "(1, 0) and (1, 1). After training, what are they?",
                solution=f"After {XOR_EPOCHS} epochs of Adam the outputs are {outputs}: close to 0, 1, 1, 0. A "
                "network without a hidden layer cannot do this (XOR is not linearly separable).",
                answer=outputs,
                mistakes=("Expecting exact 0 and 1: a sigmoid output only approaches them.",),
            ),
        ),
        figures={"xor": _figure(xor)},
    )


EPISODE = Episode(
    id="practice",
    number=8,
    title="Guided practice: the notebooks",
    stage="practice",
    questions=("How do the formulas of the theory become working NumPy code?",),
    objectives=(
        "Run and complete the three notebooks: a layer, derivatives and the chain rule, training.",
        "Use check cells to confirm each answer, and read their one-line messages.",
    ),
    teaching_minutes=5,
    exercise_minutes=30,
    keypoints=(
        "Every formula of the theory is one line of NumPy.",
        "Checks compare with the course's generated functions: a ✓ means the same numbers.",
    ),
    instructor_notes=(
        "Before the session, send participants the kit's participants/ folder: its README installs NumPy, "
        "Matplotlib and JupyterLab in three commands, or runs the notebooks on a hosted Jupyter (JupyterHub, Colab); "
        "hand out participants-solutions/ afterwards.",
        "Demonstrate the first exercise of part 1 on the projector (5 minutes), then let participants work.",
        "Helpers walk the room; a participant who finishes early continues with part 3's experiments.",
        "Call time at 8, 18 and 30 minutes to keep the parts in step.",
    ),
    body=body,
    references=("notebook-1", "notebook-2", "notebook-3"),
    show=("Part 1's first exercise, solved live.", "The XOR figure at the end of part 3."),
)
