"""Episode 6: optimisation — hyperparameter tuning on a validation split, and preventing overfitting."""

from __future__ import annotations

import numpy as np

from nnmath.topics.workshop.episode import Body, Challenge, Episode, Idea, Table

COLOURS = ("#9467bd", "#2ca02c", "#1f77b4", "#d62728")


def _sweep_figure(runs):
    from nnmath.plots import drawn, plt

    fig, ax = plt.subplots(figsize=(7.0, 3.5))
    for r, colour in zip(runs, COLOURS, strict=True):
        ax.semilogy(
            range(1, len(r.train_loss) + 1),
            r.train_loss,
            "--" if r.diverged else "-",
            color=colour,
            linewidth=1.8,
            label=f"{r.label}: validation accuracy {r.val_accuracy:.1%}",
        )
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss (cross-entropy)")
    ax.set_title("A learning-rate sweep (SGD, digits, 64-32-10): too small crawls, too large diverges", fontsize=9)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    return drawn(fig)


def _tradeoff_figure(groups: dict):
    """Test accuracy against training cost (left) and against parameter count (right), every run of the sweeps.

    The base network (width 32, one hidden layer, batch 32) is in every group: it is drawn once.
    """
    from nnmath.plots import drawn, plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.8), sharey=True)
    markers = {"width": "o", "depth": "s", "batch": "^"}
    seen: set[tuple] = set()
    for (name, runs), colour in zip(groups.items(), COLOURS, strict=False):
        for r in runs:
            key = (r.hidden, r.batch_size)
            if key in seen:
                continue
            seen.add(key)
            label = "base: width 32, 1 layer, batch 32" if len(seen) == 2 and name == "width" else r.label
            for ax, x in ((left, r.madds / 1e6), (right, r.parameters)):
                ax.plot([x], [r.test_accuracy], markers[name], color=colour, markersize=7)
                ax.annotate(
                    label,
                    (x, r.test_accuracy),
                    fontsize=6,
                    xytext=(5, -9 if len(seen) % 2 else 4),
                    textcoords="offset points",
                )
    for name, colour in zip(groups, COLOURS, strict=False):
        left.plot([], [], markers[name], color=colour, label=name)
    left.legend(fontsize=7, loc="lower right")
    for ax in (left, right):
        ax.set_xscale("log")
    left.set_xlabel("training cost (million multiply–adds, ∝ time)")
    right.set_xlabel("parameters")
    left.set_ylabel("test accuracy")
    left.set_title("Accuracy against training cost", fontsize=9)
    right.set_title("Accuracy against model size", fontsize=9)
    fig.tight_layout()
    return drawn(fig)


def _early_figure(run):
    from nnmath.plots import drawn, plt

    fig, ax = plt.subplots(figsize=(7.0, 3.3))
    epochs = range(1, len(run.train_loss) + 1)
    ax.plot(epochs, run.train_loss, color="#1f77b4", linewidth=1.8, label="training loss")
    ax.plot(epochs, run.val_loss, color="#d62728", linewidth=1.8, label="validation loss")
    ax.axvline(run.best_epoch, color="#7f7f7f", linestyle="--", label=f"best epoch {run.best_epoch}: kept")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_yscale("log")
    ax.set_title("Early stopping: train on, keep the parameters of the lowest validation loss", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return drawn(fig)


def _shown(key: str, value) -> str:
    """A searched value as the table shows it."""
    if key == "hidden":
        return "-".join(map(str, value))
    if key == "passes":
        return f"{value} passes"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _recipe_table(search: dict) -> Table:
    """The search as a table: per lever, every value tried with its mean validation accuracy, and the value kept."""
    rows = []
    for stage in search["stages"]:
        tried = []
        for row in stage["rows"]:
            mark = "\u00a0(over budget)" if not row["within_budget"] else ""
            tried.append(f"{_shown(stage['key'], row['value'])}:\u00a0{row['val_mean']:.2%}{mark}")  # kept together
        rows.append((stage["title"], ", ".join(tried), _shown(stage["key"], stage["chosen"])))
    budget = search["provenance"]["budget_seconds"]
    return Table(
        header=("lever", "values tried: mean validation accuracy, seeds 0–4", "kept"),
        rows=tuple(rows),
        caption=f"One lever at a time, in this order; kept: the best mean validation accuracy among the runs that "
        f"train in at most {budget:g} s of CPU.",
    )


def _recipe_idea(tu) -> Idea:
    """How the default recipe was found: the search (a committed record) and the chosen preset's test accuracy."""
    from nnmath.topics.optimisers.formulas import schedule
    from nnmath.topics.optimisers.runs import PRESETS

    search, accuracies = tu.recipe_search(), tu.recipe_test_accuracies()
    p, prov = PRESETS["digits"], search["provenance"]
    start = search["start"]
    return Idea(
        "How the default recipe was found",
        (
            f"The default of nnmath train digits was chosen by a small, seeded search: start from the old default "
            f"({_shown('hidden', start['hidden'])} hidden units, Adam η = {start['lr']:g}, batch "
            f"{start['batch_size']}, {start['passes']} epochs), change one lever at a time, and keep the value "
            f"with the best mean validation accuracy over seeds 0–4 among the runs that train in at most "
            f"{prov['budget_seconds']:g} s of CPU. The validation part is {prov['validation_fraction']:.0%} of "
            "the training images; the search never reads the test split. Training length counts passes over the "
            "original images: with shifted copies (3 or 5 images for each) a run trains for passes / copies epochs, "
            "at the same cost.",
            f"The recipe: standardised inputs, copies of the training images shifted one pixel "
            f"({p.shifts}), {_shown('hidden', p.hidden)} {p.activation} units, Adam η = {p.lr:g} with a cosine "
            f"schedule, batch {p.batch_size}, {p.epochs} epochs, λ = {p.l2:g}. Reported once on the test split: "
            f"{accuracies[0]:.1%} at seed 0, {np.mean(accuracies):.1%} on average over seeds 0–4 "
            f"(lowest {min(accuracies):.1%}).",
            f"Greedy search has limits: a lever is judged with the others fixed, so the order matters, and "
            f"{len(tu.RECIPE_SEEDS)} validation splits of about 270 images tell apart differences of about half "
            f"a percent, not less. Results: {prov['script']}, {prov['date']}, commit {prov['commit'][:10]}.",
        ),
        formulas=(schedule()["formula"],),
        table=_recipe_table(search),
    )


def body() -> Body:
    from nnmath.topics.overfitting.formulas import penalty, weight_decay
    from nnmath.topics.workshop import tuning as tu

    sweep = tu.learning_rate_sweep()
    groups = tu.architecture_runs()
    l2 = tu.l2_runs()
    chosen = tu.chosen_l2()
    early = tu.early_stopping_run()
    pen, decay = penalty(), weight_decay()
    best_lr = max(sweep, key=lambda r: r.val_accuracy)
    diverged = [r for r in sweep if r.diverged]
    width = groups["width"]
    l2_line = "; ".join(f"{r.label}: {r.val_accuracy:.1%}" for r in l2)
    n_train = len(tu.data()[1]) + tu.VALIDATION
    return Body(
        ideas=(
            Idea(
                "Parameters and hyperparameters",
                (
                    "Training learns the parameters (weights and biases). Everything we choose before training is "
                    "a hyperparameter: the learning rate, the width and depth of the network, the batch size, the "
                    "strength of a penalty, the number of epochs. Hyperparameter tuning balances accuracy against "
                    "the cost of training and of running the model.",
                    f"Rule one: choose on a validation set. The {n_train} training images lose {tu.VALIDATION} to "
                    "a validation set; the test set is used once, at the end, to report the chosen model.",
                ),
            ),
            Idea(
                "The learning rate first",
                (
                    f"A sweep over four learning rates, {tu.EPOCHS} epochs each. The best on validation is "
                    f"{best_lr.label} ({best_lr.val_accuracy:.1%}). "
                    + (
                        f"At {diverged[0].label} the loss does not fall: the steps overshoot, as above 2/λ_max in "
                        "episode 4. "
                        if diverged
                        else ""
                    )
                    + "Try rates a factor of about 10 apart first, then refine.",
                ),
                figure="sweep",
            ),
            Idea(
                "Width, depth and batch size: accuracy against cost",
                (
                    f"Wider and deeper networks have more parameters and cost more to train: from width "
                    f"{width[0].hidden[0]} to {width[-1].hidden[0]} the parameters grow from {width[0].parameters:,} "
                    f"to {width[-1].parameters:,} and the test accuracy from {width[0].test_accuracy:.1%} to "
                    f"{width[-1].test_accuracy:.1%}. The batch size leaves the cost per sample unchanged but changes "
                    "the number of steps per epoch: small batches take more, noisier steps.",
                    "The figure puts every run on one chart: pick the cheapest model that is accurate enough.",
                ),
                figure="tradeoff",
            ),
            Idea(
                "Overfitting, and L2 against it",
                (
                    "A model overfits when the training loss keeps falling while the validation loss rises: it "
                    "learns the training images rather than digits. An L2 penalty adds λ/2 w² per weight to the "
                    "loss, so every step also shrinks the weights (weight decay).",
                    f"Chosen on the validation set (width 128): {l2_line}. The validation set picks "
                    f"{chosen.label}, test accuracy {chosen.test_accuracy:.1%}.",
                ),
                formulas=(pen["penalty"], decay["step"], decay["collected"], pen["gap"]),
            ),
            _recipe_idea(tu),
            Idea(
                "Early stopping",
                (
                    f"Train for up to {tu.LONG_EPOCHS} epochs, watch the validation loss and stop after "
                    f"{tu.PATIENCE} epochs without improvement: this run stopped after {early.epochs} epochs and "
                    f"kept epoch {early.best_epoch} (validation {early.val_accuracy:.1%}, test "
                    f"{early.test_accuracy:.1%}). The number of epochs is a hyperparameter chosen on the "
                    "validation set too.",
                ),
                figure="early",
            ),
        ),
        challenges=(
            Challenge(
                "Which learning rate?",
                "Look at the sweep's loss curves. Which learning rate would you pick, and what would you try next?",
                solution=(
                    f"{best_lr.label}: the best validation accuracy ({best_lr.val_accuracy:.1%}). Next, try rates "
                    "between it and its neighbours (a factor of about 3), and more epochs for the slow ones."
                ),
                answer=best_lr.label,
                mistakes=(
                    "Picking by the final training loss alone: it rewards overfitting.",
                    "Picking by the test accuracy: then the test set no longer measures an unseen case.",
                ),
            ),
            Challenge(
                "Count the parameters",
                f"How many parameters has a 64-{width[-1].hidden[0]}-10 network? How many multiply–adds does one "
                "forward pass of one image take?",
                solution=(
                    f"Weights 64·{width[-1].hidden[0]} + {width[-1].hidden[0]}·10, plus biases "
                    f"{width[-1].hidden[0]} + 10: {width[-1].parameters:,} parameters. One forward pass takes one "
                    f"multiply–add per weight: {width[-1].parameters - width[-1].hidden[0] - 10:,}."
                ),
                answer=f"{width[-1].parameters:,} parameters",
                hints=("A layer from n to m units has an m × n weight matrix and m biases.",),
                mistakes=("Forgetting the biases.",),
            ),
        ),
        figures={
            "sweep": _sweep_figure(sweep),
            "tradeoff": _tradeoff_figure(groups),
            "early": _early_figure(early),
        },
    )


EPISODE = Episode(
    id="hyperparameters",
    number=6,
    title="Hyperparameters: tuning for accuracy and cost, and overfitting",
    stage="theory",
    questions=(
        "How do we choose the learning rate, the size of the network and the batch size?",
        "How do we notice and prevent overfitting?",
    ),
    objectives=(
        "Distinguish parameters from hyperparameters and choose hyperparameters on a validation split.",
        "Read a learning-rate sweep and an accuracy–cost chart to pick a model.",
        "Explain how L2 (weight decay) and early stopping limit overfitting.",
    ),
    teaching_minutes=9,
    exercise_minutes=3,
    keypoints=(
        "Hyperparameters are chosen on a validation set; the test set is used once.",
        "Tune the learning rate first, a factor of about 10 apart; then size and batch against cost.",
        "Overfitting: training loss falls while validation loss rises; L2 and early stopping counter it.",
    ),
    instructor_notes=(
        "Every number on this page was measured at build time with the course's own trainer (digits data), except "
        "the recipe search's table: bench/digits_recipe_search.py measured it (about 4 minutes) and its record is "
        "committed; the recipe's test accuracies are measured at build time.",
        "The tuning happens on the validation split; stress that the test accuracy is reported, not optimised.",
        "If asked about time: the cost axis counts multiply–adds, which is proportional to training time.",
    ),
    body=body,
    references=("overfitting", "weight-decay", "optimisers", "training-results"),
    show=(
        "The learning-rate sweep.",
        "The accuracy–cost chart.",
        "The early-stopping curves.",
        "How the default digits recipe was found (the search table).",
    ),
)
