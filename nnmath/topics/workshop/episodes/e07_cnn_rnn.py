"""Episode 7: convolutional and recurrent networks as specific mathematical transformations."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Challenge, Episode, Idea

EDGE = ((1.0, 0.0, -1.0), (2.0, 0.0, -2.0), (1.0, 0.0, -1.0))  # a vertical-edge (Sobel) kernel
RADII = (0.8, 1.0, 1.2)  # spectral radii of the recurrent weight matrix (a scaled rotation)
T = 30
WINDOW = (2, 2)  # the output entry of the "one output value" challenge
SIZE_CASE = {"N": 28, "K": 5, "s": 1, "p": 0}  # the output-size challenge


def _convolved() -> dict:
    """The first test digit, the edge kernel and their cross-correlation, with the generated ``conv2d``."""
    import numpy as np

    import numeric
    from numeric import datasets

    d = datasets.load("digits", seed=0)
    image = d.X_test[0].reshape(1, 1, 8, 8)
    kernel = np.array(EDGE).reshape(1, 1, 3, 3)
    return {"image": image[0, 0], "kernel": kernel[0, 0], "out": numeric.conv2d(image, kernel, np.zeros(1))[0, 0]}


def _gradient_norms() -> dict[float, list[float]]:
    """‖∂h_t/∂h_0‖ of a linear RNN whose weight is ρ times a rotation, with the generated state Jacobians."""
    import numpy as np

    import numeric

    rotation = np.array([[np.cos(0.5), -np.sin(0.5)], [np.sin(0.5), np.cos(0.5)]])
    x, h0, u, b = np.zeros((T, 1, 1)), np.zeros((1, 2)), np.zeros((2, 1)), np.zeros(2)
    out = {}
    for rho in RADII:
        jac = numeric.linear_rnn_state_jacobians(x, h0, rho * rotation, u, b)
        out[rho] = [float(np.linalg.norm(j[0], 2)) for j in jac]
    return out


def _figure(conv: dict, norms: dict):
    from nnmath.plots import drawn, plt

    fig, axes = plt.subplots(1, 4, figsize=(10.0, 2.8), gridspec_kw={"width_ratios": [1, 0.6, 0.9, 1.6]})
    for ax, img, title in zip(
        axes[:3], (conv["image"], conv["kernel"], conv["out"]), ("input 8 × 8", "kernel 3 × 3", "output 6 × 6")
    ):
        ax.imshow(img, cmap="gray" if img is conv["image"] else "coolwarm")
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    ax = axes[3]
    for rho, colour in zip(norms, ("#1f77b4", "#7f7f7f", "#d62728"), strict=True):
        ax.semilogy(range(1, T + 1), norms[rho], color=colour, linewidth=1.8, label=f"ρ(W) = {rho:g}")
    ax.set_xlabel("time step t")
    ax.set_ylabel("‖∂h_t/∂h_0‖")
    ax.set_title("RNN: gradients vanish or explode", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return drawn(fig)


def _output_size() -> int:
    """The output width of the challenge's convolution, from the generated ``conv2d`` on zeros of its sizes."""
    import numpy as np

    import numeric

    c = SIZE_CASE
    x, w = np.zeros((1, 1, c["N"], c["N"])), np.zeros((1, 1, c["K"], c["K"]))
    return numeric.conv2d(x, w, np.zeros(1), stride=c["s"], padding=c["p"]).shape[-1]


def body() -> Body:
    import numpy as np

    from nnmath.topics.convolution.formulas import example, forward_program
    from nnmath.topics.recurrent.formulas import bptt, equations

    conv, norms = _convolved(), _gradient_norms()
    prog, ex, rnn, through = forward_program(), example(), equations(), bptt()
    c = SIZE_CASE
    size = _output_size()
    row, col = WINDOW
    window = conv["image"][row : row + 3, col : col + 3]
    top_left = float(np.sum(window * conv["kernel"]))
    last = {rho: v[-1] for rho, v in norms.items()}
    return Body(
        ideas=(
            Idea(
                "A convolution is a small dense layer, slid across the image",
                (
                    "A convolutional layer uses one small kernel of weights everywhere in the image: each output is "
                    "a weighted sum of one window of pixels plus a bias. It is a matrix product whose matrix is "
                    "mostly zeros and repeats the same few weights, so it has far fewer parameters than a dense "
                    "layer and finds a pattern wherever it appears.",
                ),
                formulas=(prog["forward"][-1], *prog["size"]),
            ),
            Idea(
                "The same thing in 1-D, every entry written out",
                (
                    "With N = 5 inputs, a kernel of 3, stride 2 and padding 1 the output has 3 entries. Written as a "
                    "matrix T, the convolution is a dense layer whose rows share weights; its gradient with respect "
                    "to the input is Tᵀ g — the transpose again, as in backpropagation.",
                ),
                formulas=(ex["sizes"], ex["y"], ex["toeplitz"], ex["transposed"]),
            ),
            Idea(
                "A recurrent network applies one layer again and again",
                (
                    "A recurrent network reads a sequence one step at a time and keeps a state h. Each step is the "
                    "same dense layer applied to the new input and the previous state. Backpropagation through time "
                    "carries the error back through every step with Wᵀ.",
                ),
                formulas=(rnn["forward"], rnn["total"], rnn["local"], rnn["grad_w"]),
            ),
            Idea(
                "Why long sequences are hard",
                (
                    "The gradient that reaches an early step is a product of one Jacobian per step. If the weight "
                    "matrix shrinks vectors (spectral radius below 1) the product vanishes; if it stretches them, it "
                    f"explodes. After {T} steps of a linear RNN: "
                    + ", ".join(f"ρ = {rho:g} gives {v:.2g}" for rho, v in last.items())
                    + ". The figure shows a digit filtered by an edge kernel, and these norms.",
                ),
                formulas=(through["product"],),
                figure="cnn_rnn",
            ),
        ),
        challenges=(
            Challenge(
                "Output size",
                f"An input of {c['N']} × {c['N']} pixels meets a {c['K']} × {c['K']} kernel with stride {c['s']} and "
                f"padding {c['p']}. How large is the output?",
                solution=f"L = ⌊(N + 2p − K)/s⌋ + 1 = ⌊({c['N']} + {2 * c['p']} − {c['K']})/{c['s']}⌋ + 1 = {size}: "
                f"{size} × {size}.",
                answer=f"{size} × {size}",
                mistakes=("Forgetting the + 1: a kernel as large as the input still gives one output.",),
            ),
            Challenge(
                "One output value",
                f"Compute the output in row {row}, column {col} (counting from 0) of the figure's convolution: the "
                f"kernel {[list(r) for r in EDGE]} against the 3 × 3 window "
                f"{np.round(window, 3).tolist()} of the digit (no bias).",
                solution=f"Multiply entry by entry and add: {top_left:.4g} (the generated conv2d gives "
                f"{float(conv['out'][row, col]):.4g}).",
                answer=f"{top_left:.4g}",
                hints=("Cross-correlation: no flipping of the kernel.",),
                mistakes=("Flipping the kernel (that is the mathematicians' convolution; networks do not flip).",),
            ),
        ),
        figures={"cnn_rnn": _figure(conv, norms)},
    )


EPISODE = Episode(
    id="cnn-rnn",
    number=7,
    title="CNNs and RNNs as mathematical transformations",
    stage="theory",
    questions=(
        "What does a convolutional layer compute, and why does it need so few weights?",
        "What does a recurrent network repeat, and why do its gradients vanish or explode?",
    ),
    objectives=(
        "Compute the output size and one output value of a convolution.",
        "Write a convolution as a matrix with shared weights and its gradient with the transpose.",
        "Explain vanishing and exploding gradients from the spectral radius of W.",
    ),
    teaching_minutes=7,
    exercise_minutes=2,
    keypoints=(
        "A convolution is a dense layer with shared, local weights; its backward pass uses the transpose too.",
        "An RNN applies the same layer at every step; BPTT multiplies one Jacobian per step.",
        "Spectral radius below 1: gradients vanish; above 1: they explode.",
    ),
    instructor_notes=(
        "Keep this episode conceptual: the convolution and recurrent pages have the full derivations.",
        "If time is short, skip the 1-D written-out idea; the challenges still work.",
    ),
    body=body,
    references=("convolution", "recurrent"),
    show=("The figure: a digit, the edge kernel, the feature map, and the gradient norms.",),
)
