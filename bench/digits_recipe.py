"""The digits recipe against scikit-learn and PyTorch: test accuracy and training CPU time, seeds 0–4, one run.

Run:  python bench/digits_recipe.py [--seeds 0,1,2,3,4] [--markdown FILE]

On the same stratified 25 % test split of scikit-learn's digits (``numeric.datasets.load("digits", seed)``),
for every seed it trains

* **nnmath, recipe**: ``nnmath train digits`` with its defaults (the digits preset of
  ``nnmath/topics/optimisers/runs.py``: shifted copies of the training images, standardised inputs, 64-128-10
  ReLU, Adam with a cosine schedule, L2), through the same function the CLI calls;
* **nnmath, old default**: the preset before the recipe (64-64-10 ReLU, Adam η = 0.001, batch 32, 30 epochs,
  pixels / 16);
* **scikit-learn MLPClassifier(64)**: its defaults (Adam η = 0.001, batch 200, α = 1e-4, up to 200 epochs with
  its own stopping rule) on pixels / 16;
* **scikit-learn, tuned, same size**: MLPClassifier((128,)) on the recipe's inputs (the same shifted copies,
  standardised), Adam η = 0.003, batch 32, the recipe's epochs, α = λ · batch (scikit-learn divides its
  penalty by the batch size; our λ is per weight of the batch-mean cost);
* **PyTorch float64, same architecture**: ``nn.Linear``/``nn.ReLU``, ``F.cross_entropy``, ``torch.optim.Adam``
  with ``weight_decay = λ`` (which adds λw to the gradient, as our L2 does), ``CosineAnnealingLR`` stepped per
  epoch (η₀/2 (1 + cos(πk/K)), the recipe's schedule), batch 32, on the recipe's inputs.

Time is the CPU time (``time.process_time``) of the training call only — data preparation included for nnmath
(its trainer prepares the inputs), excluded for the peers — with one BLAS thread for NumPy and one thread for
PyTorch; CPU time, not wall time, because the machine may be shared.  The script prints per-system accuracy
(mean and min over the seeds) and median time, and the ratios of every peer's time to the recipe's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from nnmath.topics.optimisers.runs import PRESETS, Preset, prepared, train  # noqa: E402
from numeric.datasets import load  # noqa: E402

RECIPE = PRESETS["digits"]
OLD_DEFAULT = Preset((64,), "relu", "adam", 0.001, 32, 30)


def nnmath_run(preset: Preset, seed: int) -> tuple[float, float]:
    data = load("digits", seed=seed)
    start = time.process_time()
    result = train("digits", preset, data, seed, validation=False)
    return result.test_accuracy, time.process_time() - start


def _recipe_inputs(seed: int):
    data = load("digits", seed=seed)
    x, y, x_test = prepared(RECIPE, data.X_train, data.y_train, data.X_test)
    return x, y, x_test, data.y_test


def sklearn_default(seed: int) -> tuple[float, float]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    data = load("digits", seed=seed)
    model = MLPClassifier((64,), random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # its default stopping rule, as shipped
        start = time.process_time()
        model.fit(data.X_train, data.y_train)
        seconds = time.process_time() - start
    return model.score(data.X_test, data.y_test), seconds


def sklearn_tuned(seed: int) -> tuple[float, float]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    x, y, x_test, y_test = _recipe_inputs(seed)
    model = MLPClassifier(
        RECIPE.hidden,
        learning_rate_init=RECIPE.lr,
        batch_size=RECIPE.batch_size,
        alpha=RECIPE.l2 * RECIPE.batch_size,
        max_iter=RECIPE.epochs,
        random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter is the recipe's epochs, on purpose
        start = time.process_time()
        model.fit(x, y)
        seconds = time.process_time() - start
    return model.score(x_test, y_test), seconds


def pytorch_same(seed: int) -> tuple[float, float]:
    import torch
    import torch.nn.functional as F  # noqa: N812 - PyTorch's usual name

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    x, y, x_test, y_test = _recipe_inputs(seed)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    layers, sizes = [], (x.shape[1], *RECIPE.hidden, 10)
    for n_in, n_out in zip(sizes, sizes[1:]):
        layers += [torch.nn.Linear(n_in, n_out, dtype=torch.float64), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    opt = torch.optim.Adam(model.parameters(), lr=RECIPE.lr, weight_decay=RECIPE.l2)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=RECIPE.epochs)
    generator = torch.Generator().manual_seed(seed)
    start = time.process_time()
    for _ in range(RECIPE.epochs):
        order = torch.randperm(len(yt), generator=generator)
        for i in range(0, len(yt), RECIPE.batch_size):
            batch = order[i : i + RECIPE.batch_size]
            opt.zero_grad()
            F.cross_entropy(model(xt[batch]), yt[batch]).backward()
            opt.step()
        schedule.step()
    seconds = time.process_time() - start
    with torch.no_grad():
        predicted = model(torch.from_numpy(x_test)).argmax(dim=1).numpy()
    return float(np.mean(predicted == y_test)), seconds


SYSTEMS = {
    "nnmath, recipe (default `nnmath train digits`)": lambda seed: nnmath_run(RECIPE, seed),
    "nnmath, old default (64-64-10, 30 epochs)": lambda seed: nnmath_run(OLD_DEFAULT, seed),
    "scikit-learn MLPClassifier(64), defaults": sklearn_default,
    "scikit-learn MLPClassifier(128), tuned like the recipe": sklearn_tuned,
    "PyTorch float64, same architecture and recipe": pytorch_same,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2,3,4", help="comma-separated seeds (default 0,1,2,3,4)")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table as Markdown")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in SYSTEMS}
    with threadpool_limits(1):
        for system in SYSTEMS.values():  # one warm-up run each: imports and first calls are not timed
            system(seeds[0])
        for seed in seeds:  # round robin, so that load from other programs hits every system alike
            for name, system in SYSTEMS.items():
                results[name].append(system(seed))
    recipe_time = float(np.median([t for _, t in results[next(iter(SYSTEMS))]]))
    load_average = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    lines = [
        f"digits, stratified 25 % test split, seeds {args.seeds}; CPU time of training, 1 thread; "
        f"{os.cpu_count()} CPUs, load average {load_average}",
        "",
        "| system | test acc. seed 0 | mean | min | time (median) | time / recipe |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, rows in results.items():
        accuracy = [a for a, _ in rows]
        seconds = float(np.median([t for _, t in rows]))
        lines.append(
            f"| {name} | {100 * accuracy[0]:.2f} % | {100 * np.mean(accuracy):.2f} % | {100 * min(accuracy):.2f} % "
            f"| {seconds:.3f} s | {seconds / recipe_time:.2f}× |"
        )
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
