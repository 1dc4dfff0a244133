"""Training stops with a clear message instead of training to NaN: bad data, bad hyperparameters, divergence."""

from __future__ import annotations

import numpy as np
import pytest

from nnmath.cli import main
from numeric.datasets import load
from numeric.mlp import TrainingDiverged, build
from numeric.optimisers import SGD, make_optimiser

XOR = load("xor")


def _net(output: str = "sigmoid"):
    return build([2, 4, 1 if output == "sigmoid" else 2], activation="tanh", output=output, seed=0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda x, y: (np.where(np.arange(x.size).reshape(x.shape) == 3, np.nan, x), y), "inputs hold 1 non-finite"),
        (lambda x, y: (np.where(x == 1, np.inf, x), y), "inputs hold"),
        (lambda x, y: (x, np.where(y == 1, np.nan, y)), "targets hold"),
        (lambda x, y: (x, np.where(y == 1, 2, y)), "must lie in [0, 1], got 0..2"),
        (lambda x, y: (x, -5 * y), "must lie in [0, 1], got -5..0"),
    ],
)
def test_bad_data_is_refused_before_training(change, message) -> None:
    net = _net()
    before = net.parameters.copy()
    x, y = change(XOR.X_train.astype(float), XOR.y_train)
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        net.fit(x, y, epochs=1)
    np.testing.assert_array_equal(net.parameters, before)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr": float("inf")}, "learning rate must be positive and finite, got inf"),
        ({"lr": float("nan")}, "learning rate must be positive and finite, got nan"),
        ({"lr": 0.0}, "learning rate must be positive and finite, got 0"),
        ({"l2": float("nan")}, "l2 must be a finite number >= 0, got nan"),
        ({"l2": -1.0}, "l2 must be a finite number >= 0, got -1"),
        ({"l1": float("inf")}, "l1 must be a finite number >= 0"),
        ({"batch_size": 0}, "batch_size must be an integer >= 1, got 0"),
        ({"epochs": -1}, "epochs must be an integer >= 0, got -1"),
        ({"early_stopping": 0, "validation": (XOR.X_test, XOR.y_test)}, "early_stopping .* >= 1, got 0"),
        ({"optimiser": SGD(0.1), "lr": float("inf")}, "learning rate must be positive and finite"),
    ],
)
def test_hyperparameters_out_of_range_are_refused(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        _net().fit(XOR.X_train, XOR.y_train, **{"epochs": 1, **kwargs})


@pytest.mark.parametrize("optimiser", ["sgd", "momentum", "adam"])
def test_divergence_stops_training_naming_the_epoch_and_step(optimiser) -> None:
    net = build([2, 8, 2], activation="relu", output="softmax", seed=0)
    data = load("moons", seed=0)
    with pytest.raises(TrainingDiverged, match=r"training diverged at epoch \d+, step \d+: ") as caught:
        net.fit(data.X_train, data.y_train, epochs=50, batch_size=16, optimiser=make_optimiser(optimiser, 1e9))
    assert caught.value.epoch >= 1 and caught.value.step >= 1


def test_a_network_needs_two_layer_widths() -> None:
    with pytest.raises(ValueError, match=r"sizes must list at least two layer widths .*got \[2\]"):
        build([2])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lr", "1e9"], "training diverged at epoch 1, step 1: the training loss is"),
        (["--optimiser", "sgd", "--lr", "1e9"], "training diverged at epoch 1, step 1"),
    ],
)
def test_the_cli_stops_on_divergence_with_one_line(args, message, capsys) -> None:
    assert main(["train", "xor", "--no-progress", *args]) == 2
    out, err = capsys.readouterr()
    assert err.startswith(f"nnmath: error: {message}") and len(err.strip().splitlines()) == 1
    assert "accuracy" not in out
