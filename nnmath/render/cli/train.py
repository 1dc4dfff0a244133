"""``nnmath train DATASET``: train the generated-function MLP on a bundled data set, with a progress bar."""

from __future__ import annotations

import argparse
import difflib

from derive.printing.wording import counted
from nnmath.render.cli import UserError
from nnmath.render.cli.arguments import integer, non_negative_real, positive, positive_real, real, seed


def _ints(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"layer widths must be positive, got {text!r}")
    return values


def _cmd_train(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from nnmath.topics.optimisers.runs import PRESETS, default_output, output_units, train
    from numeric.datasets import DATASETS, SHIFTS, load
    from numeric.optimisers import make_optimiser

    if args.dataset not in DATASETS:
        close = difflib.get_close_matches(args.dataset, DATASETS, n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(DATASETS)}"
        raise UserError(f"unknown data set {args.dataset!r}; {hint}")
    preset = PRESETS[args.dataset]
    try:
        ds = load(args.dataset, test_size=args.test_size, seed=args.seed)  # no scikit-learn: main() names the extra
    except ValueError as e:
        raise UserError(str(e)) from None
    output = args.output or default_output(ds.n_classes)
    units = output_units(ds.n_classes, output)
    if args.sizes is not None:
        sizes = args.sizes
        if len(sizes) < 2 or sizes[0] != ds.n_features or sizes[-1] != units:
            raise UserError(
                f"layer sizes {'-'.join(map(str, sizes))} do not fit {args.dataset}: "
                f"{ds.n_features} inputs and {counted(units, 'output unit')} (expected {ds.n_features}-…-{units})"
            )
    else:
        sizes = (ds.n_features, *(preset.hidden if args.hidden is None else args.hidden), units)
    optimiser = args.optimiser or preset.optimiser
    lr = args.lr if args.lr is not None else (preset.lr if optimiser == preset.optimiser else None)
    if args.shifts not in (None, "none") and args.dataset != "digits":
        raise UserError(f"--shifts moves 8×8 images: only for digits, not {args.dataset}")
    try:
        lr = make_optimiser(optimiser, lr).lr  # the optimiser's default rate when neither --lr nor the preset's
        recipe = replace(
            preset,
            hidden=tuple(sizes[1:-1]),
            activation=args.activation or preset.activation,
            optimiser=optimiser,
            lr=lr,
            epochs=preset.epochs if args.epochs is None else args.epochs,
            batch_size=preset.batch_size if args.batch_size is None else args.batch_size,
            l2=preset.l2 if args.l2 is None else args.l2,
            schedule=args.schedule or preset.schedule,
            shifts=args.shifts or preset.shifts,
        )
    except ValueError as e:
        raise UserError(str(e)) from None
    validation = args.early_stopping is not None  # stop on a validation part of the training data, never on test
    bar = _progress_bar(recipe.epochs, args.no_progress, "val_acc" if validation else "test_acc")
    try:
        result = train(
            args.dataset,
            recipe,
            ds,
            args.seed,
            validation=validation,
            early_stopping=args.early_stopping,
            progress=bar.update if bar else None,
            sizes=tuple(sizes),
            output=output,
            loss=args.loss,
            dtype=args.dtype,
        )
    except ValueError as e:
        raise UserError(str(e)) from None
    finally:
        if bar:
            bar.close()
    net, history = result.net, result.history
    print(
        f"{ds.name}: {len(ds.y_train)} training / {len(ds.y_test)} test samples, {ds.n_features} features, "
        f"{ds.n_classes} classes"
    )
    print(
        f"network {'-'.join(map(str, net.sizes))} ({'/'.join(net.activations)}), loss {net.loss}, "
        f"{make_optimiser(recipe.optimiser, recipe.lr)!r}, batch {recipe.batch_size}, l2={recipe.l2}, seed {args.seed}"
    )
    print(_inputs_line(recipe, len(SHIFTS[recipe.shifts])))
    stop = f" (early stop; best epoch {history.best_epoch})" if history.stopped_early else ""
    print(f"epochs run: {history.epochs_run}{stop}")
    if validation:
        print(f"validation accuracy {100 * history.val_accuracy[history.best_epoch - 1]:.2f} % (best epoch)")
    print(f"train accuracy {100 * result.train_accuracy:.2f} %")
    print(f"test accuracy {100 * result.test_accuracy:.2f} %")
    return 0


def _inputs_line(recipe, copies: int) -> str:
    """What the trainer did to the inputs and the learning rate, in one line."""
    inputs = (
        "standardised with the training images' mean and std"
        if recipe.standardise
        else "as numeric.datasets.load gives them"
    )
    shifted = f", plus {copies} copies of every training image shifted one pixel ({recipe.shifts})" if copies else ""
    schedule = "cosine schedule η₀/2 (1 + cos(πk/K))" if recipe.schedule == "cosine" else "constant learning rate"
    return f"inputs {inputs}{shifted}; {schedule}"


class _Bar:
    """A tqdm bar over epochs showing the latest losses and accuracies."""

    def __init__(self, epochs: int, held_out: str):
        from tqdm import tqdm

        self._bar = tqdm(total=epochs, unit="epoch", desc="training", dynamic_ncols=True)
        self._held_out = held_out

    def update(self, epoch: int, history) -> None:
        self._bar.set_postfix(
            {
                "loss": f"{history.train_loss[-1]:.4f}",
                "acc": f"{history.train_accuracy[-1]:.3f}",
                self._held_out: f"{history.val_accuracy[-1]:.3f}" if history.val_accuracy else "-",
            },
            refresh=False,
        )
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


def _progress_bar(epochs: int, disabled: bool, held_out: str) -> _Bar | None:
    if disabled:
        return None
    try:
        return _Bar(epochs, held_out)
    except ModuleNotFoundError:  # tqdm comes with the train extra; train without a bar otherwise
        return None


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nnmath train``."""
    p = subparsers.add_parser("train", help="train an MLP of generated functions on a bundled data set")
    p.add_argument("dataset", help="xor, moons, circles, digits or iris")
    p.add_argument("--epochs", type=positive, default=None, help="passes over the training data (default per data set)")
    p.add_argument("--hidden", type=_ints, default=None, help="hidden layer widths, e.g. 64 or 32,32")
    p.add_argument("--sizes", type=_ints, default=None, help="all layer widths incl. input and output, e.g. 64,64,10")
    p.add_argument("--activation", default=None, help="hidden activation (any catalogue activation)")
    p.add_argument("--output", default=None, help="output activation (default softmax; sigmoid for two classes)")
    p.add_argument("--loss", default=None, help="catalogue loss (default: the one that goes with the output)")
    p.add_argument("--optimiser", default=None, help="sgd, momentum or adam (default adam)")
    p.add_argument("--lr", type=positive_real, default=None, help="learning rate (default per data set / optimiser)")
    p.add_argument("--batch-size", type=positive, default=None, help="mini-batch size (default per data set)")
    p.add_argument("--l2", type=non_negative_real, default=None, help="L2 penalty λ on the weights (default per set)")
    p.add_argument(
        "--schedule", choices=("constant", "cosine"), default=None, help="learning-rate schedule (default per data set)"
    )
    p.add_argument(
        "--shifts",
        choices=("none", "horizontal", "four-way"),
        default=None,
        help="add training images shifted one pixel (8×8 digits only; default per data set)",
    )
    p.add_argument(
        "--early-stopping", type=integer(1), default=None, metavar="PATIENCE", help="stop after PATIENCE epochs"
    )
    p.add_argument(
        "--test-size",
        type=real(0.0, 1.0, low_open=True, high_open=True),
        default=0.25,
        help="held-out fraction, stratified (default 0.25)",
    )
    p.add_argument("--seed", type=seed, default=0, help="seed for the split, the weights and the batches")
    p.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_train)
