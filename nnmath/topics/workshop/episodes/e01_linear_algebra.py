"""Episode 1: vectors, matrices and shapes; a layer as a matrix–vector product; a batch as a matrix; Wᵀ."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Challenge, Episode, Idea

# The digits network of the course: 64 pixels in, 32 hidden units, 10 classes; a batch of 16 images.
SIZES = (64, 32, 10)
BATCH = 16


def _shapes_figure(n_in: int, n_out: int, batch: int):
    """Boxes drawn to scale: W (n_out × n_in) times A (n_in × B) gives Z (n_out × B), and Wᵀ δ going back."""
    from matplotlib.patches import Rectangle

    from nnmath.plots import drawn, plt

    fig, ax = plt.subplots(figsize=(8.0, 3.4))
    scale = 0.05
    boxes = [
        ("W", n_out, n_in, "#1f77b4"),
        ("A", n_in, batch, "#2ca02c"),
        ("Z = W A", n_out, batch, "#d62728"),
    ]
    x = 0.0
    for i, (name, rows, cols, colour) in enumerate(boxes):
        w, h = cols * scale, rows * scale
        ax.add_patch(Rectangle((x, -h / 2), w, h, facecolor=colour, alpha=0.25, edgecolor=colour, linewidth=1.5))
        ax.text(x + w / 2, 0, name, ha="center", va="center", fontsize=12)
        ax.text(x + w / 2, -h / 2 - 0.12, f"{rows} × {cols}", ha="center", va="top", fontsize=10)
        x += w + 0.5
        if i < len(boxes) - 1:
            ax.text(x - 0.25, 0, "×" if i == 0 else "=", ha="center", va="center", fontsize=16)
    ax.set_xlim(-0.2, x - 0.3)
    ax.set_ylim(-n_in * scale / 2 - 0.5, n_in * scale / 2 + 0.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"A layer of {n_in} → {n_out} units on a batch of {batch}: the inner sizes ({n_in}) must agree")
    fig.tight_layout()
    return drawn(fig)


def _layer_numbers() -> dict:
    """A 2 × 3 layer on one input, computed with NumPy: the challenge's numbers and its answer."""
    import numpy as np

    w = np.array([[1.0, 0.0, 2.0], [-1.0, 3.0, 1.0]])
    x = np.array([1.0, 2.0, 1.0])
    b = np.array([0.5, -2.0])
    return {"W": w, "x": x, "b": b, "z": w @ x + b}


def _shapes_answer() -> dict:
    """The shapes of the digits network's first layer on a batch, from NumPy arrays of those shapes."""
    import numpy as np

    n_in, n_out, _ = SIZES
    weights = np.zeros((n_out, n_in))
    batch = np.zeros((n_in, BATCH))
    z = weights @ batch
    delta = np.zeros((n_out, BATCH))
    back = weights.T @ delta
    return {"W": weights.shape, "A": batch.shape, "Z": z.shape, "back": back.shape}


def _rows(m) -> str:
    return "[" + "; ".join(" ".join(f"{v:g}" for v in row) for row in m) + "]"


def _vec(v) -> str:
    return "(" + ", ".join(f"{x:g}" for x in v) + ")"


def body() -> Body:
    from nnmath.topics.backpropagation.formulas import dense_layer, equations
    from nnmath.topics.practice.formulas import batch_equations

    dense = dense_layer()
    batch = batch_equations()
    bp2 = next(e for e in equations() if e["label"].startswith("BP2"))
    n_in, n_out, _ = SIZES
    layer = _layer_numbers()
    shapes = _shapes_answer()
    return Body(
        ideas=(
            Idea(
                "Inputs, weights and biases are vectors and matrices",
                (
                    "An input is a list of numbers: the 64 grey levels of an 8 × 8 digit, written as a column "
                    "vector x with 64 rows. A layer with 32 units has one weight for every (unit, input) pair: "
                    "a matrix W with 32 rows and 64 columns, and one bias per unit, a vector b with 32 rows.",
                    "Shapes are written rows × columns. Checking shapes is the fastest way to find a mistake "
                    "in a network: most bugs in practice are shape bugs.",
                ),
            ),
            Idea(
                "A layer is a matrix–vector product",
                (
                    "Each unit takes a weighted sum of all inputs and adds its bias. Row i of W holds the "
                    "weights of unit i, so the weighted sums of all units together are one matrix–vector "
                    "product. For the first layer of a 2-2-2 network, written out:",
                ),
                formulas=(dense["general"], dense["product"]),
            ),
            Idea(
                "A batch is a matrix",
                (
                    "Networks process many inputs at once. Put a batch of B inputs side by side as the columns "
                    "of a matrix A: the same product now gives all B outputs in one go, one column per sample. "
                    "The bias is added to every column (b times a row of ones). Libraries such as PyTorch store "
                    "one sample per row instead: transpose both sides.",
                    f"The figure draws the digits network's first layer ({n_in} → {n_out}) on a batch of {BATCH} "
                    f"to scale: the inner sizes must agree, the outer sizes give the result's shape.",
                ),
                formulas=(batch["columns"], batch["rows"]),
                figure="shapes",
            ),
            Idea(
                "Why the transpose Wᵀ appears in backpropagation",
                (
                    "Going forward, W maps the previous layer's n(l−1) values to this layer's n(l) values. "
                    "Going backward, the error δ has one value per unit of layer l + 1, and we need one per unit "
                    "of layer l: the map that goes the other way, with the same weights, is the transpose. "
                    "Entry (j, i) of Wᵀ is the weight from unit j to unit i, so each unit collects the errors "
                    "of the units it fed, weighted by how strongly it fed them.",
                ),
                formulas=(bp2["tex"],),
            ),
        ),
        challenges=(
            Challenge(
                "Shapes of the digits network",
                f"The first layer of the digits network has {n_in} inputs and {n_out} units. A batch holds "
                f"{BATCH} images as columns. What are the shapes of W, of the batch A, of Z = W A, and of "
                f"Wᵀ δ when δ has the shape of Z?",
                solution=(
                    f"W is {n_out} × {n_in} (one row per unit); A is {n_in} × {BATCH}; Z = W A is "
                    f"{shapes['Z'][0]} × {shapes['Z'][1]} (outer sizes); Wᵀ δ is {shapes['back'][0]} × "
                    f"{shapes['back'][1]}, the shape of A: backpropagation returns one error per input value."
                ),
                answer=f"W {shapes['W'][0]}×{shapes['W'][1]}, A {shapes['A'][0]}×{shapes['A'][1]}, "
                f"Z {shapes['Z'][0]}×{shapes['Z'][1]}, Wᵀδ {shapes['back'][0]}×{shapes['back'][1]}",
                hints=("Rows of W: one per unit. Columns of A: one per sample.",),
                mistakes=(
                    "Writing W as inputs × units (the PyTorch Linear layer stores it as out × in too, "
                    "but many textbooks use x W with W as in × out).",
                    "Forgetting that the batch size only appears in A and Z, never in W.",
                ),
            ),
            Challenge(
                "One layer by hand",
                f"Compute z = W x + b for W = {_rows(layer['W'])} (rows separated by ;), x = {_vec(layer['x'])} "
                f"and b = {_vec(layer['b'])}.",
                solution=(
                    f"Row 1: {layer['W'][0][0]:g}·{layer['x'][0]:g} + {layer['W'][0][1]:g}·{layer['x'][1]:g} + "
                    f"{layer['W'][0][2]:g}·({layer['x'][2]:g}) + {layer['b'][0]:g} = {layer['z'][0]:g}; "
                    f"row 2: ({layer['W'][1][0]:g})·{layer['x'][0]:g} + {layer['W'][1][1]:g}·{layer['x'][1]:g} + "
                    f"{layer['W'][1][2]:g}·({layer['x'][2]:g}) + ({layer['b'][1]:g}) = {layer['z'][1]:g}. "
                    f"So z = {_vec(layer['z'])}."
                ),
                answer=f"z = {_vec(layer['z'])}",
                hints=("Each row of W meets the whole of x: a dot product, then add that row's bias.",),
                mistakes=("Multiplying columns of W with x (that computes Wᵀ x, which has the wrong shape).",),
            ),
        ),
        figures={"shapes": _shapes_figure(n_in, n_out, BATCH)},
    )


EPISODE = Episode(
    id="linear-algebra",
    number=1,
    title="Vectors, matrices and a layer",
    stage="theory",
    questions=(
        "How does a network store its inputs, weights and biases?",
        "Why is a whole layer one matrix product, and a batch one more?",
    ),
    objectives=(
        "Write the shapes of x, W, b and z for a layer of given sizes.",
        "Compute a small matrix–vector product W x + b by hand.",
        "Explain why a batch of inputs is a matrix and why Wᵀ carries errors backward.",
    ),
    teaching_minutes=8,
    exercise_minutes=3,
    keypoints=(
        "A layer computes z = W a + b: one row of W per unit, one column per input.",
        "A batch puts samples side by side; the same product handles all of them.",
        "Shapes multiply as (m × n)(n × p) = (m × p); the transpose reverses a layer's direction.",
    ),
    instructor_notes=(
        "Start with the welcome (2 of its 8 teaching minutes): the plan of the session and the notation page.",
        "Draw the shapes figure on the board before showing it: participants predict Z's shape.",
        "Participants who know NumPy: point out that W @ A is exactly the formula.",
    ),
    body=body,
    references=("dense-layer", "notebook-1"),
    show=("The shapes figure (to scale).", "The dense-layer reference page, its 2-2-2 example."),
)
