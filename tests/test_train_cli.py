"""``nnmath train``: results, the progress bar, and one-line errors with exit status 2."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from nnmath.cli import main


def _accuracy(text: str, which: str) -> float:
    return float(re.search(rf"{which} accuracy ([\d.]+) %", text).group(1))


def test_train_digits_default_recipe_summary_and_progress_bar(capsys):
    assert main(["train", "digits"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "digits: 1347 training / 450 test samples, 64 features, 10 classes",
        "network 64-128-10 (relu/softmax), loss categorical_cross_entropy_logits, "
        "Adam(lr=0.003, beta1=0.9, beta2=0.999, eps=1e-08), batch 16, l2=0.0, seed 0",
        "inputs standardised with the training images' mean and std, plus 2 copies of every training image "
        "shifted one pixel (horizontal); cosine schedule η₀/2 (1 + cos(πk/K))",
        "epochs run: 7",
        out.splitlines()[4],
        "test accuracy 98.00 %",  # the recipe's seed 0 (tests/test_digits_recipe.py)
    ]
    assert _accuracy(out, "train") >= 99.0
    assert "7/7" in err and "test_acc=" in err  # the tqdm bar, on stderr


def test_train_digits_old_default_with_options(capsys):
    args = ["train", "digits", "--hidden", "64", "--lr", "0.001", "--batch-size", "32", "--epochs", "30"]
    assert main([*args, "--schedule", "constant", "--shifts", "none", "--no-progress"]) == 0
    out, _ = capsys.readouterr()
    assert "network 64-64-10 (relu/softmax)" in out and "batch 32" in out and "constant learning rate" in out
    assert "standardised" in out and "copies" not in out and _accuracy(out, "test") >= 95.0


def test_train_xor_and_options(capsys):
    assert main(["train", "xor", "--no-progress"]) == 0
    out, err = capsys.readouterr()
    assert "network 2-2-1 (sigmoid/sigmoid)" in out and _accuracy(out, "test") == 100.0 and err == ""
    args = ["train", "iris", "--hidden", "8,8", "--activation", "tanh", "--optimiser", "momentum", "--lr", "0.05"]
    assert main([*args, "--epochs", "40", "--batch-size", "8", "--l2", "0.001", "--no-progress"]) == 0
    out, _ = capsys.readouterr()
    assert "network 4-8-8-3 (tanh/tanh/softmax)" in out and "Momentum(lr=0.05, momentum=0.9)" in out
    assert _accuracy(out, "test") >= 85.0


def test_train_early_stopping_uses_a_validation_part(capsys):
    assert main(["train", "moons", "--epochs", "200", "--early-stopping", "5", "--no-progress"]) == 0
    out, _ = capsys.readouterr()
    assert re.search(r"epochs run: \d+ \(early stop; best epoch \d+\)", out)
    assert "validation accuracy" in out and _accuracy(out, "test") >= 95.0


@pytest.mark.parametrize(
    "args, message",
    [
        (["digitz"], "unknown data set 'digitz'; did you mean digits?"),
        (["digits", "--activation", "relux"], "unknown activation 'relux'; did you mean relu"),
        (["digits", "--loss", "mse2"], "unknown loss 'mse2'; did you mean mse"),
        (["digits", "--optimiser", "adamw"], "unknown optimiser 'adamw'; did you mean adam?"),
        (
            ["digits", "--sizes", "64,32,5"],
            "layer sizes 64-32-5 do not fit digits: 64 inputs and 10 output units (expected 64-…-10)",
        ),
        (["digits", "--output", "tanh", "--loss", "categorical_cross_entropy_logits"], "defined on the logits"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message, capsys):
    assert main(["train", *args, "--epochs", "1", "--no-progress"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("nnmath: error: ") and message in err


def test_exit_status_2_from_the_shell():
    r = subprocess.run(
        [sys.executable, "-m", "nnmath.cli", "train", "cifar10"], capture_output=True, text=True, check=False
    )
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == "nnmath: error: unknown data set 'cifar10'; known: xor, moons, circles, digits, iris\n"
