"""Training throughput (samples/s): nnmath's trainer against a hand-written NumPy MLP and PyTorch on CPU.

Run:  python bench/train_throughput.py [--quick] [--threads N] [--repeats R] [--optimisers sgd,adam]
                                       [--markdown FILE] [--json FILE]

For the networks 784-256-128-10 and 64-64-10 (ReLU hidden layers, softmax cross-entropy) and batches
of 32, 128 and 512, it times training steps — forward pass, backpropagation and the optimiser update,
nothing else — of

* nnmath: ``numeric.mlp`` (every formula generated from ``derive/``), float64 (its default) and float32:
  ``train_step`` runs the fused generated step (``numeric/_generated/steps.py``); "nnmath general path" is
  the trainer's layer-by-layer path (backpropagation, then ``optimiser.step``), float64, the trainer before it;
* the peer: a plain NumPy MLP written by hand below (forward with ``@``, backpropagation by hand,
  in-place updates), float64;
* PyTorch on CPU: ``nn.Sequential`` of ``nn.Linear``/``nn.ReLU``, ``F.cross_entropy``, ``torch.optim``,
  float32 and float64.

All of them start from the same weights, see the same batches in the same order and use the same
optimiser and learning rate; before timing, the script checks that nnmath, the NumPy MLP and
PyTorch-float64 follow the same trajectory (max |Δw| after 20 steps).  Each measurement runs steps for
at least ``--min-time`` seconds; the implementations take turns (round robin) and every cell is the
median of ``--repeats`` measurements, so that load from other programs on a shared machine hits them
alike.  NumPy's BLAS (through threadpoolctl) and PyTorch (``torch.set_num_threads``) use the same
number of threads, ``--threads`` (default 1).

It also measures this machine's matrix-multiply peak — a plain ``A @ B`` of two n×n matrices in
float64 and float32 with the same thread count — and reports the fraction of it that the largest
configuration (784-256-128-10, batch 512) reaches, counting 2·m·n·k FLOPs per matrix product of a
training step.  ``--quick`` (SGD only, fewer repeats, shorter measurements, n = 1024) finishes in
well under a minute.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from numeric import optimisers as nnmath_optimisers  # noqa: E402
from numeric.mlp import MLP, build  # noqa: E402 - after the path set-up above

NETWORKS = ((784, 256, 128, 10), (64, 64, 10))
BATCHES = (32, 128, 512)
LR = {"sgd": 0.01, "adam": 1e-3}
ADAM = (0.9, 0.999, 1e-8)  # β1, β2, ε: PyTorch's defaults, used by all three
SEED = 0
TARGETS = {"numpy": 1.0, "torch-f32": 1.0, "torch-f64": 1.0}  # ratios nnmath must reach (issue 18)


# --- the peer: a hand-written NumPy MLP ------------------------------------------------------------


class NumpyMLP:
    """A plain NumPy MLP, as a competent NumPy user writes one: ReLU hidden layers, softmax cross-entropy.

    Weights are (n_out, n_in) like ``nn.Linear``; the loss is the batch mean; updates are in place.
    """

    def __init__(self, weights: list[np.ndarray], biases: list[np.ndarray], optimiser: str, lr: float):
        self.W = [w.copy() for w in weights]
        self.b = [b.copy() for b in biases]
        self.params = self.W + self.b
        self.optimiser, self.lr = optimiser, lr
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def gradients(self, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        acts, zs = [x], []
        for i, (w, b) in enumerate(zip(self.W, self.b)):
            z = acts[-1] @ w.T + b
            zs.append(z)
            if i < len(self.W) - 1:
                acts.append(np.maximum(z, 0))
        logits = zs[-1]
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        delta = (p - y) / x.shape[0]
        grad_w, grad_b = [None] * len(self.W), [None] * len(self.W)
        for i in range(len(self.W) - 1, -1, -1):
            grad_w[i] = delta.T @ acts[i]
            grad_b[i] = delta.sum(axis=0)
            if i:
                delta = (delta @ self.W[i]) * (zs[i - 1] > 0)
        return grad_w + grad_b

    def step(self, x: np.ndarray, y: np.ndarray) -> None:
        grads = self.gradients(x, y)
        if self.optimiser == "sgd":
            for p, g in zip(self.params, grads):
                p -= self.lr * g
            return
        beta1, beta2, eps = ADAM
        self.t += 1
        c1, c2 = 1 - beta1**self.t, 1 - beta2**self.t
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            p -= (self.lr / c1) * m / (np.sqrt(v / c2) + eps)


# --- the implementations, behind one interface ------------------------------------------------------


@dataclass
class Impl:
    """One implementation: how to take a step on batch i, and its parameters (for the trajectory check)."""

    name: str
    step: Callable[[int], None]
    parameters: Callable[[], list[np.ndarray]]


def make_nnmath(net0: MLP, optimiser: str, batches, dtype: str, general: bool = False) -> Impl:
    """nnmath's ``train_step`` (the fused generated step); ``general``: the general path the trainer takes
    without a fused step — backpropagation layer by layer, then ``optimiser.step`` (the trainer before it)."""
    net = MLP.from_parameters(net0.weights, net0.biases, activation="relu", output="softmax", dtype=dtype)
    if optimiser == "sgd":
        opt = nnmath_optimisers.SGD(lr=LR["sgd"])
    else:
        opt = nnmath_optimisers.Adam(LR["adam"], *ADAM)
    data = [(x.astype(dtype), y.astype(dtype)) for x, y, _ in batches]

    def step(i: int) -> None:
        x, y = data[i]
        net.train_step(x, y, opt)

    def general_step(i: int) -> None:
        x, y = data[i]
        net._backprop(x, y, 0.0, 0.0)
        opt.step([net.parameters], [net._gradient])

    name = f"nnmath-{'f64' if dtype == 'float64' else 'f32'}" + ("-general" if general else "")
    return Impl(name, general_step if general else step, lambda: [*net.weights, *net.biases])


def make_numpy(net0: MLP, optimiser: str, batches) -> Impl:
    mlp = NumpyMLP(net0.weights, net0.biases, optimiser, LR[optimiser])
    data = [(x, y) for x, y, _ in batches]

    def step(i: int) -> None:
        mlp.step(*data[i])

    return Impl("numpy", step, lambda: [*mlp.W, *mlp.b])


def make_torch(net0: MLP, optimiser: str, batches, dtype: torch.dtype) -> Impl:
    layers: list[torch.nn.Module] = []
    for i, (w, b) in enumerate(zip(net0.weights, net0.biases)):
        lin = torch.nn.Linear(w.shape[1], w.shape[0], dtype=dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        if i < len(net0.weights) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    if optimiser == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=LR["sgd"])
    else:
        beta1, beta2, eps = ADAM
        opt = torch.optim.Adam(model.parameters(), lr=LR["adam"], betas=(beta1, beta2), eps=eps)
    data = [(torch.from_numpy(x).to(dtype), torch.from_numpy(labels)) for x, _, labels in batches]

    def step(i: int) -> None:
        x, labels = data[i]
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()

    def parameters() -> list[np.ndarray]:
        lins = [m for m in model if isinstance(m, torch.nn.Linear)]
        return [m.weight.detach().double().numpy() for m in lins] + [m.bias.detach().double().numpy() for m in lins]

    return Impl("torch-f32" if dtype == torch.float32 else "torch-f64", step, parameters)


CLOCK_TEXT = {
    "cpu": "CPU time of the benchmark process (time.process_time), so that other programs on the shared machine "
    "do not count; with one thread every library computes in the calling thread",
    "wall": "elapsed time (time.perf_counter)",
}
IMPL_ORDER = ("nnmath-f64", "numpy", "torch-f32", "torch-f64", "nnmath-f32", "nnmath-f64-general")


def implementations(sizes: tuple[int, ...], batch: int, optimiser: str, n_batches: int) -> dict[str, Impl]:
    """Every implementation for one configuration, from the same initial weights and batches."""
    net0 = build(list(sizes), activation="relu", seed=SEED)
    rng = np.random.default_rng(SEED)
    batches = []
    for _ in range(n_batches):
        x = rng.random((batch, sizes[0]))
        labels = rng.integers(0, sizes[-1], size=batch)
        batches.append((np.ascontiguousarray(x), np.eye(sizes[-1])[labels], labels))
    impls = [
        make_nnmath(net0, optimiser, batches, "float64"),
        make_numpy(net0, optimiser, batches),
        make_torch(net0, optimiser, batches, torch.float32),
        make_torch(net0, optimiser, batches, torch.float64),
        make_nnmath(net0, optimiser, batches, "float32"),
        make_nnmath(net0, optimiser, batches, "float64", general=True),
    ]
    return {i.name: i for i in impls}


def trajectory_difference(sizes: tuple[int, ...], optimiser: str, steps: int = 20) -> dict[str, float]:
    """Max |Δw| after ``steps`` steps between nnmath-f64 and the float64 peers (same start, same batches)."""
    impls = implementations(sizes, 32, optimiser, steps)
    for impl in impls.values():
        for i in range(steps):
            impl.step(i)
    ref = impls["nnmath-f64"].parameters()
    out = {}
    for name in ("numpy", "torch-f64", "nnmath-f64-general"):
        out[name] = max(float(np.max(np.abs(a - b))) for a, b in zip(ref, impls[name].parameters()))
    return out


# --- timing -----------------------------------------------------------------------------------------------


CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}


def samples_per_second(impl: Impl, batch: int, n_batches: int, min_time: float, clock: Callable[[], float]) -> float:
    """Steps for at least ``min_time`` seconds of ``clock`` (cycling through the batches): samples per second."""
    steps, start = 0, clock()
    while True:
        impl.step(steps % n_batches)
        steps += 1
        elapsed = clock() - start
        if elapsed >= min_time and steps >= 3:
            return steps * batch / elapsed


def flops_per_step(sizes: tuple[int, ...], batch: int) -> int:
    """Multiply-add FLOPs (2 per multiply-add) of the matrix products of one training step.

    Forward Z = A Wᵀ, weight gradients Δᵀ A, and the back-propagated Δ W for every layer but the first.
    """
    products = [n_in * n_out for n_in, n_out in zip(sizes, sizes[1:])]
    return 2 * batch * (2 * sum(products) + sum(products[1:]))


def matmul_peak(n: int, dtype, repeats: int, clock: Callable[[], float]) -> float:
    """GFLOP/s of a plain ``A @ B`` of two n×n matrices (median of ``repeats``)."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n)).astype(dtype), rng.random((n, n)).astype(dtype)
    return _median_gflops(lambda: a @ b, 2 * n**3, repeats, clock)


def torch_matmul_peak(n: int, dtype: torch.dtype, repeats: int, clock: Callable[[], float]) -> float:
    """The same for ``torch`` tensors (PyTorch's own BLAS)."""
    gen = torch.Generator().manual_seed(0)
    a, b = torch.rand((n, n), generator=gen, dtype=dtype), torch.rand((n, n), generator=gen, dtype=dtype)
    return _median_gflops(lambda: a @ b, 2 * n**3, repeats, clock)


def _median_gflops(product: Callable[[], object], flops: int, repeats: int, clock: Callable[[], float]) -> float:
    product()  # warm up
    times = []
    for _ in range(repeats):
        start = clock()
        product()
        times.append(clock() - start)
    return flops / statistics.median(times) / 1e9


# --- the machine ------------------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict:
    """CPU, cores, load, library versions and BLAS."""
    blas = [i for i in threadpool_info() if i["user_api"] == "blas" and "numpy" in i["filepath"]]
    numpy_blas = ", ".join(
        f"{i['internal_api']} {i.get('version')} ({i.get('architecture')}, {i.get('threading_layer')})" for i in blas
    )
    config = torch.__config__.show()
    torch_blas = next(
        (part.split("=", 1)[1] for part in config.replace(",", "\n").split() if "BLAS_INFO=" in part), "?"
    )
    mkl = next((line.strip(" -") for line in config.splitlines() if "Math Kernel Library" in line), "")
    return {
        "cpu": cpu_model(),
        "logical_cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numpy_blas": numpy_blas or "?",
        "torch": torch.__version__,
        "torch_blas": f"{torch_blas} ({mkl})" if mkl else torch_blas,
        "torch_capability": torch.backends.cpu.get_cpu_capability(),
    }


# --- the run -----------------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict:
    results: list[dict] = []
    checks = {}
    for optimiser in args.optimisers:
        for sizes in NETWORKS:
            checks[f"{'-'.join(map(str, sizes))} {optimiser}"] = trajectory_difference(sizes, optimiser)
    for optimiser in args.optimisers:
        for sizes in NETWORKS:
            for batch in BATCHES:
                n_batches = max(4, 4096 // batch)
                impls = implementations(sizes, batch, optimiser, n_batches)
                for impl in impls.values():  # warm up: first calls allocate, Adam creates its state
                    for i in range(3):
                        impl.step(i)
                measured: dict[str, list[float]] = {name: [] for name in impls}
                gc.collect()
                gc.disable()
                try:
                    for _ in range(args.repeats):
                        for name in IMPL_ORDER:
                            one = samples_per_second(impls[name], batch, n_batches, args.min_time, CLOCKS[args.clock])
                            measured[name].append(one)
                finally:
                    gc.enable()
                medians = {name: statistics.median(v) for name, v in measured.items()}
                row = {"network": "-".join(map(str, sizes)), "batch": batch, "optimiser": optimiser, **medians}
                row["spread"] = {name: (min(v), max(v)) for name, v in measured.items()}
                row["gflops"] = {name: medians[name] / batch * flops_per_step(sizes, batch) / 1e9 for name in impls}
                results.append(row)
                print(
                    f"  {row['network']:>15} batch {batch:>3} {optimiser:>4}: "
                    + ", ".join(f"{n} {medians[n]:,.0f}/s" for n in IMPL_ORDER),
                    file=sys.stderr,
                    flush=True,
                )
    return {"rows": results, "checks": checks}


def ratio_table(rows: list[dict]) -> str:
    """The markdown table: samples/s per implementation and nnmath's ratios."""
    head = (
        "| network | batch | optimiser | nnmath f64 | NumPy f64 (hand-written) | PyTorch f32 | PyTorch f64 "
        "| nnmath f32 | nnmath / NumPy | nnmath / PyTorch f32 | nnmath / PyTorch f64 | nnmath f32 / PyTorch f32 "
        "| nnmath general path / NumPy |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        nn = r["nnmath-f64"]
        lines.append(
            f"| {r['network']} | {r['batch']} | {r['optimiser']} | {nn:,.0f} | {r['numpy']:,.0f} | "
            f"{r['torch-f32']:,.0f} | {r['torch-f64']:,.0f} | {r['nnmath-f32']:,.0f} | "
            f"{nn / r['numpy']:.2f} | {nn / r['torch-f32']:.2f} | {nn / r['torch-f64']:.2f} | "
            f"{r['nnmath-f32'] / r['torch-f32']:.2f} | {r['nnmath-f64-general'] / r['numpy']:.2f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="SGD only, 3 repeats of 0.05 s, n = 1024 for the peak")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for NumPy and PyTorch (default 1)")
    parser.add_argument("--repeats", type=int, default=None, help="measurements per cell (default 7; quick 3)")
    parser.add_argument("--min-time", type=float, default=None, help="seconds per measurement (0.2; quick 0.05)")
    parser.add_argument("--optimisers", default=None, help="comma-separated: sgd,adam (default both; quick sgd)")
    parser.add_argument(
        "--clock",
        choices=tuple(CLOCKS),
        default=None,
        help="cpu: CPU time of this process (default with 1 thread: robust to other programs' load); "
        "wall: elapsed time (default with more threads)",
    )
    parser.add_argument("--markdown", type=Path, default=None, help="also write the results table here")
    parser.add_argument("--json", type=Path, default=None, help="also write every number here")
    args = parser.parse_args()
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    args.repeats = args.repeats or (3 if args.quick else 7)
    args.min_time = args.min_time or (0.05 if args.quick else 0.2)
    args.optimisers = (args.optimisers or ("sgd" if args.quick else "sgd,adam")).split(",")
    unknown = sorted(set(args.optimisers) - set(LR))
    if unknown:
        parser.error(f"unknown optimiser(s) {', '.join(unknown)}; known: {', '.join(LR)}")
    peak_n = 1024 if args.quick else 2048
    args.clock = args.clock or ("cpu" if args.threads == 1 else "wall")
    clock = CLOCKS[args.clock]

    start = time.perf_counter()
    torch.set_num_threads(args.threads)
    with threadpool_limits(args.threads):
        info = machine()
        peaks = {
            "numpy-f64": matmul_peak(peak_n, np.float64, 5, clock),
            "numpy-f32": matmul_peak(peak_n, np.float32, 5, clock),
            "torch-f64": torch_matmul_peak(peak_n, torch.float64, 5, clock),
            "torch-f32": torch_matmul_peak(peak_n, torch.float32, 5, clock),
        }
        print("timing (median samples/s per cell):", file=sys.stderr)
        measured = run(args)
    rows = measured["rows"]
    seconds = time.perf_counter() - start

    load = info["load_average"]
    out = [
        "## Training throughput",
        "",
        f"Machine: {info['cpu']}, {info['logical_cpus']} logical CPUs ({info['usable_cpus']} usable), "
        f"load average at the start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min; the machine was shared)."
        if load
        else f"Machine: {info['cpu']}, {info['logical_cpus']} logical CPUs.",
        f"Python {info['python']}; NumPy {info['numpy']} with {info['numpy_blas']}; "
        f"PyTorch {info['torch']} with BLAS {info['torch_blas']}, CPU capability {info['torch_capability']}.",
        f"Threads: {args.threads} for NumPy's BLAS (threadpoolctl) and {args.threads} for PyTorch "
        f"(torch.set_num_threads({args.threads})).",
        f"Clock: {CLOCK_TEXT[args.clock]}.",
        f"Each cell: median of {args.repeats} measurements of ≥ {args.min_time} s of training steps "
        f"(forward + backpropagation + update), implementations interleaved; ReLU hidden layers, softmax "
        f"cross-entropy, learning rate {', '.join(f'{o} {LR[o]:g}' for o in args.optimisers)}.",
        "",
        ratio_table(rows),
        "",
    ]
    worst = {key: min(r["nnmath-f64"] / r[key] for r in rows) for key in ("numpy", "torch-f32", "torch-f64")}
    for key, target in TARGETS.items():
        met = sum(r["nnmath-f64"] / r[key] >= target for r in rows)
        out.append(
            f"- nnmath / {key} ≥ {target:g}: met in {met} of {len(rows)} configurations (lowest {worst[key]:.2f})."
        )
    big = [r for r in rows if r["network"] == "784-256-128-10" and r["batch"] == max(BATCHES)]
    out += [
        "",
        f"Matrix-multiply peak (A @ B, {peak_n}×{peak_n}, median of 5): NumPy float64 "
        f"{peaks['numpy-f64']:.1f} GFLOP/s, float32 {peaks['numpy-f32']:.1f} GFLOP/s; PyTorch float64 "
        f"{peaks['torch-f64']:.1f} GFLOP/s, float32 {peaks['torch-f32']:.1f} GFLOP/s.",
    ]
    for r in big:
        g = r["gflops"]
        out.append(
            f"- 784-256-128-10, batch {r['batch']}, {r['optimiser']}: nnmath f64 {g['nnmath-f64']:.1f} GFLOP/s = "
            f"{g['nnmath-f64'] / peaks['numpy-f64']:.0%} of the NumPy float64 peak; NumPy (hand-written) "
            f"{g['numpy'] / peaks['numpy-f64']:.0%}; PyTorch f32 {g['torch-f32']:.1f} GFLOP/s = "
            f"{g['torch-f32'] / peaks['torch-f32']:.0%} of its float32 peak; PyTorch f64 "
            f"{g['torch-f64'] / peaks['torch-f64']:.0%} of its float64 peak; nnmath f32 "
            f"{g['nnmath-f32'] / peaks['numpy-f32']:.0%} of the NumPy float32 peak."
        )
    out.append("")
    checks = ", ".join(
        f"{cfg}: {', '.join(f'{k} {v:.1e}' for k, v in diffs.items())}" for cfg, diffs in measured["checks"].items()
    )
    out.append(f"Same trajectory (max |Δw| of nnmath-f64 against each float64 peer after 20 steps) — {checks}.")
    out.append(f"Benchmark time: {seconds:.0f} s.")
    text = "\n".join(out) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    if args.json:
        payload = {"machine": info, "threads": args.threads, "peaks": peaks, **measured, "seconds": seconds}
        args.json.write_text(json.dumps(payload, indent=1, default=list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
