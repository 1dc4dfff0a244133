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

from numeric.datasets import Dataset, load, stratified_split
from numeric.mlp import MLP, History, build


@dataclass(frozen=True)
class Preset:
    """Defaults that train a data set well in seconds."""

    hidden: tuple[int, ...]
    activation: str
    optimiser: str
    lr: float
    batch_size: int
    epochs: int


PRESETS: dict[str, Preset] = {
    "xor": Preset((2,), "sigmoid", "adam", 0.05, 4, 2000),
    "moons": Preset((32, 32), "relu", "adam", 0.01, 32, 100),
    "circles": Preset((32,), "relu", "adam", 0.01, 32, 100),
    "digits": Preset((64,), "relu", "adam", 0.001, 32, 30),
    "iris": Preset((16,), "tanh", "adam", 0.01, 16, 100),
}
VALIDATION_FRACTION = 0.2  # of the training data, held out for validation curves and early stopping


def default_output(n_classes: int) -> str:
    """A sigmoid unit for two classes, softmax otherwise."""
    return "sigmoid" if n_classes == 2 else "softmax"


def output_units(n_classes: int, output: str) -> int:
    """One unit for a two-class problem with a sigmoid (or linear) output, else one per class."""
    return 1 if n_classes == 2 and output in ("sigmoid", "identity") else n_classes


@dataclass(frozen=True)
class Run:
    """A trained preset: the network, its history (validation = the split-off part), the accuracies."""

    name: str
    preset: Preset
    net: MLP
    history: History
    data: Dataset
    train_accuracy: float
    test_accuracy: float


def run(name: str, seed: int = 0, validation: bool = True, progress: Callable | None = None) -> Run:
    """Train preset ``name``; with ``validation`` the curves' validation data is split off the training data.

    XOR has four points and no held-out data: its "validation" is the training set itself.
    """
    preset = PRESETS[name]
    data = load(name, seed=seed)
    output = default_output(data.n_classes)
    sizes = (data.n_features, *preset.hidden, output_units(data.n_classes, output))
    net = build(sizes, activation=preset.activation, output=output, seed=seed)
    x, y, held_out = data.X_train, data.y_train, (data.X_test, data.y_test)
    if validation and name != "xor":
        fit, val = stratified_split(data.y_train, VALIDATION_FRACTION, seed)
        x, y, held_out = data.X_train[fit], data.y_train[fit], (data.X_train[val], data.y_train[val])
    history = net.fit(
        x,
        y,
        epochs=preset.epochs,
        batch_size=preset.batch_size,
        optimiser=preset.optimiser,
        lr=preset.lr,
        validation=held_out,
        seed=seed,
        progress=progress,
    )
    return Run(name, preset, net, history, data, net.accuracy(x, y), net.accuracy(data.X_test, data.y_test))


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
