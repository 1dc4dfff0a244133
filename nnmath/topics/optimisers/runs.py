"""The optimisers at work: the training runs that ``nnmath train``, the Training page and the README quote, one
preset per data set, and the three optimisers' paths on a narrow quadratic valley.

A preset fixes the network and the hyper-parameters that train its data set well in seconds; with
the seed it fixes every number (split, initial weights, batch order).  :func:`run` trains one preset
with a validation part split off the training data (stratified), and reports the held-out test set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from numeric.datasets import Dataset, augmented, load, standardised, stratified_split
from numeric.mlp import MLP, History, build
from numeric.optimisers import cosine_learning_rate, make_optimiser


@dataclass(frozen=True)
class Preset:
    """Defaults that train a data set well in seconds.

    ``standardise``: standardise the inputs after the augmentation, with the fitted part's mean and std
    (``None``: as :func:`numeric.datasets.load` does for the data set); ``shifts``: add the training images
    moved one pixel (:data:`numeric.datasets.SHIFTS`); ``schedule``: ``constant`` or ``cosine`` (the
    learning rate after epoch k of K is η₀/2 (1 + cos(πk/K))); ``l2``: the penalty λ.
    """

    hidden: tuple[int, ...]
    activation: str
    optimiser: str
    lr: float
    batch_size: int
    epochs: int
    standardise: bool | None = None
    shifts: str = "none"
    schedule: str = "constant"
    l2: float = 0.0


# The digits preset was found by bench/digits_recipe_search.py (validation data only); episode 6 shows how.
PRESETS: dict[str, Preset] = {
    "xor": Preset((2,), "sigmoid", "adam", 0.05, 4, 2000),
    "moons": Preset((32, 32), "relu", "adam", 0.01, 32, 100),
    "circles": Preset((32,), "relu", "adam", 0.01, 32, 100),
    "digits": Preset((128,), "relu", "adam", 0.003, 16, 7, True, "horizontal", "cosine", 0.0),
    "iris": Preset((16,), "tanh", "adam", 0.01, 16, 100),
}
SCHEDULES = ("constant", "cosine")
VALIDATION_FRACTION = 0.2  # of the training data, held out for validation curves and early stopping


def prepared(preset: Preset, x_fit, y_fit, *held_out) -> tuple:
    """(x_fit, y_fit, *held_out) as the preset trains on them: the fitted part augmented with shifted copies,
    then every part standardised with the (augmented) fitted part's mean and std.  Nothing is learnt from
    ``held_out``: only transformed."""
    x_fit, y_fit = augmented(x_fit, y_fit, preset.shifts)
    if preset.standardise:
        x_fit, *held_out = standardised(x_fit, *held_out)
    return (x_fit, y_fit, *held_out)


def scheduled(schedule: str, optimiser, epochs: int, progress: Callable | None = None) -> Callable | None:
    """A ``progress(epoch, history)`` callback for :meth:`numeric.mlp.MLP.fit` that sets the optimiser's learning
    rate for the next epoch by ``schedule`` (``cosine``: η₀/2 (1 + cos(πk/K)) after epoch k of K, generated
    ``cosine_learning_rate``), then calls ``progress``; ``constant``: ``progress`` itself."""
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; known: {', '.join(SCHEDULES)}")
    if schedule == "constant":
        return progress
    initial = optimiser.lr

    def update(epoch: int, history: History) -> None:
        optimiser.lr = max(cosine_learning_rate(initial, epoch, epochs), 0.0)
        if progress is not None:
            progress(epoch, history)

    return update


def default_output(n_classes: int) -> str:
    """A sigmoid unit for two classes, softmax otherwise."""
    return "sigmoid" if n_classes == 2 else "softmax"


def output_units(n_classes: int, output: str) -> int:
    """One unit for a two-class problem with a sigmoid (or linear) output, else one per class."""
    return 1 if n_classes == 2 and output in ("sigmoid", "identity") else n_classes


@dataclass(frozen=True)
class Run:
    """A trained preset: the network, its history (validation = the split-off part), the accuracies.

    ``test_accuracy`` is measured once, after training; the test inputs are only transformed as the
    training inputs were (:func:`prepared`), never learnt from.
    """

    name: str
    preset: Preset
    net: MLP
    history: History
    data: Dataset
    train_accuracy: float
    test_accuracy: float
    optimiser: object = None


def train(
    name: str,
    preset: Preset,
    data: Dataset,
    seed: int = 0,
    *,
    validation: bool = True,
    early_stopping: int | None = None,
    progress: Callable | None = None,
    sizes: tuple[int, ...] | None = None,
    output: str | None = None,
    loss: str | None = None,
    dtype: str = "float64",
    evaluate: bool = True,
) -> Run:
    """Train ``preset`` on ``data`` (seeded weights and batches); with ``validation`` the history's validation data
    is a stratified :data:`VALIDATION_FRACTION` of the training part (the model is fitted on the rest), without
    it the history follows the test set.  ``train_accuracy`` is measured on the fitted images (without shifted
    copies).  ``evaluate=False``: no history (no evaluation after every epoch), the same trained network.

    XOR has four points and no held-out data: its "validation" is the training set itself.
    """
    output = output or default_output(data.n_classes)
    sizes = sizes or (data.n_features, *preset.hidden, output_units(data.n_classes, output))
    net = build(sizes, activation=preset.activation, output=output, loss=loss, seed=seed, dtype=dtype)
    opt = make_optimiser(preset.optimiser, preset.lr)
    fit = np.arange(len(data.y_train))
    held = None
    if validation and name != "xor":
        fit, held = stratified_split(data.y_train, VALIDATION_FRACTION, seed)
    extra = [] if held is None else [data.X_train[held]]
    x_fit, y_fit, x_plain, x_test, *x_held = prepared(
        preset, data.X_train[fit], data.y_train[fit], data.X_train[fit], data.X_test, *extra
    )
    held_out = (x_held[0], data.y_train[held]) if held is not None else (x_test, data.y_test)
    if not evaluate:
        held_out = None
    history = fit_preset(net, preset, opt, x_fit, y_fit, seed, held_out, early_stopping, progress, evaluate)
    return Run(
        name,
        preset,
        net,
        history,
        data,
        net.accuracy(x_plain, data.y_train[fit]),
        net.accuracy(x_test, data.y_test),
        opt,
    )


def fit_preset(
    net: MLP,
    preset: Preset,
    optimiser,
    x,
    y,
    seed: int,
    validation: tuple | None = None,
    early_stopping: int | None = None,
    progress: Callable | None = None,
    evaluate: bool = True,
) -> History:
    """:meth:`MLP.fit` with the preset's epochs, batch size, L2 and learning-rate schedule (inputs already
    :func:`prepared`)."""
    return net.fit(
        x,
        y,
        epochs=preset.epochs,
        batch_size=preset.batch_size,
        optimiser=optimiser,
        l2=preset.l2,
        validation=validation,
        early_stopping=early_stopping,
        seed=seed,
        progress=scheduled(preset.schedule, optimiser, preset.epochs, progress),
        evaluate=evaluate,
    )


def run(
    name: str, seed: int = 0, validation: bool = True, progress: Callable | None = None, evaluate: bool = True
) -> Run:
    """Train preset ``name`` on its data set's seeded split (see :func:`train`)."""
    preset = PRESETS[name]
    return train(name, preset, load(name, seed=seed), seed, validation=validation, progress=progress, evaluate=evaluate)


# --- The optimisers on a quadratic -------------------------------------------------------------------

QUADRATIC = (1.0, 20.0)  # curvatures a, b of the quadratic L = ½(a w₁² + b w₂²)
QUADRATIC_START = (-4.0, 1.0)
QUADRATIC_STEPS = 60


def quadratic_paths() -> dict[str, np.ndarray]:
    """The iterates of SGD, momentum and Adam on L = ½(a w₁² + b w₂²), whose gradient is (a w₁, b w₂).

    Each optimiser is :mod:`numeric.optimisers` (the generated updates); returns ``{label: iterates}``, the
    iterates an array of shape (:data:`QUADRATIC_STEPS` + 1, 2) from :data:`QUADRATIC_START`.
    """
    from numeric.optimisers import SGD, Adam, Momentum

    curvature = np.array(QUADRATIC)
    optimisers = {"SGD (η = 0.09)": SGD(0.09), "momentum (η = 0.02, μ = 0.9)": Momentum(0.02, 0.9)}
    optimisers["Adam (η = 0.3)"] = Adam(0.3)
    paths = {}
    for label, opt in optimisers.items():
        w = np.array(QUADRATIC_START)
        path = [w.copy()]
        for _ in range(QUADRATIC_STEPS):
            opt.step([w], [curvature * w])
            path.append(w.copy())
        paths[label] = np.array(path)
    return paths
