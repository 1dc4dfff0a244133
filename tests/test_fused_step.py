"""The fused training step (numeric/_generated/steps.py): equal to the trainer's general path, float32 kept,
its rewrites proven, its in-place printer equal to NumPy on the same formulas, and each line naming its equation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp

from derive.calculus.vectorise import ClassSum
from derive.numerics.inplace import InPlace, update_lines
from derive.topics import fused_step
from numeric import fused
from numeric.mlp import build
from numeric.optimisers import make_optimiser

CONFIGURATIONS = list(itertools.product(fused_step.HIDDEN, fused_step.OPTIMISERS))


def _general_step(net, x, y, opt) -> None:
    net._backprop(x, y, 0.0, 0.0)
    opt.step([net.parameters], [net._gradient])


@pytest.mark.parametrize("hidden, optimiser", CONFIGURATIONS)
@pytest.mark.parametrize("sizes", [(5, 3), (5, 7, 3), (5, 7, 6, 4)])
def test_fused_step_equals_the_general_path(hidden, optimiser, sizes):
    """30 steps (batches of 8 and 5) of train_step against backpropagation + optimiser.step: ≤ 1e-14."""
    rng = np.random.default_rng(0)
    fast, slow = build(sizes, activation=hidden, seed=0), build(sizes, activation=hidden, seed=0)
    opt_fast, opt_slow = make_optimiser(optimiser, 0.05), make_optimiser(optimiser, 0.05)
    assert fused.fused_step(fast.activations[:-1], fast.loss, opt_fast) is not None
    for i in range(30):
        n = 8 if i % 3 else 5
        x, y = rng.normal(size=(n, sizes[0])), fast.targets(rng.integers(0, sizes[-1], n), n)
        fast.train_step(x, y, opt_fast)
        _general_step(slow, x, y, opt_slow)
    assert sorted(fast._step_buffers) == [5, 8] and not slow._step_buffers
    assert opt_fast.t == opt_slow.t == 30
    assert np.abs(fast.parameters - slow.parameters).max() <= 1e-14
    assert np.abs(fast.parameters - build(sizes, activation=hidden, seed=0).parameters).max() > 1e-3  # it moved


def test_fit_uses_the_fused_step_and_a_penalty_the_general_path():
    rng = np.random.default_rng(1)
    x, labels = rng.normal(size=(50, 4)), rng.integers(0, 3, 50)
    net = build([4, 6, 3], seed=0)
    net.fit(x, labels, epochs=2, batch_size=16, optimiser="adam", lr=0.01)
    assert sorted(net._step_buffers) == [2, 16]  # 50 = 3 × 16 + 2
    penalised = build([4, 6, 3], seed=0)
    penalised.fit(x, labels, epochs=2, batch_size=16, optimiser="adam", lr=0.01, l2=0.1)
    assert not penalised._step_buffers
    mixed = build([4, 6, 5, 3], activation=["relu", "tanh"], seed=0)
    assert fused.fused_step(mixed.activations[:-1], mixed.loss, make_optimiser("sgd")) is None
    assert fused.fused_step(("relu",), "mse", make_optimiser("sgd")) is None


def test_float32_is_kept_and_follows_float64():
    rng = np.random.default_rng(2)
    nets = {d: build([6, 8, 3], activation="tanh", seed=0, dtype=d) for d in ("float32", "float64")}
    opts = {d: make_optimiser("adam", 0.01) for d in nets}
    for _ in range(20):
        x, labels = rng.normal(size=(10, 6)), rng.integers(0, 3, 10)
        for d, net in nets.items():
            net.train_step(x.astype(d), net.targets(labels, 10), opts[d])
    net32 = nets["float32"]
    assert net32.parameters.dtype == np.float32 and opts["float32"]._buffers[0][0].dtype == np.float32
    assert all(b.dtype == np.float32 for b in (*net32._step_buffers[10].z, *net32._step_buffers[10].delta))
    assert np.abs(net32.parameters - nets["float64"].parameters).max() <= 1e-5


@pytest.mark.parametrize("hidden", fused_step.HIDDEN)
def test_the_derivative_from_the_forward_activation_holds(hidden):
    assert fused_step.activation_prime_holds(hidden)


def test_sigmoid_and_tanh_derivatives_reuse_the_forward_activation():
    assert fused_step.Z not in fused_step.activation_forms("sigmoid")[1].free_symbols
    assert fused_step.Z not in fused_step.activation_forms("tanh")[1].free_symbols
    assert fused_step.A not in fused_step.activation_forms("relu")[1].free_symbols  # ReLU' tests z > 0


def _run(program: InPlace, names: dict) -> None:
    code = "\n".join(program.scalar_lines() + [c for c, _ in program.lines])
    exec(code, {"numpy": np}, names)  # noqa: S102 - our own generated text, run to check its values


def test_inplace_printer_equals_numpy():
    """Formulas printed as out= calls give NumPy's values of the same formulas, and allocate no array."""
    a, z, u, m = sp.symbols("a z u m", real=True)
    s = sp.Symbol("s", positive=True)
    rng = np.random.default_rng(3)
    values = {"a": rng.uniform(0.1, 0.9, (4, 5)), "z": rng.normal(size=(4, 5)), "u": rng.normal(size=(4, 5))}
    cases = {
        a * (1 - a) * u: lambda v: v["u"] * ((1 - v["a"]) * v["a"]),
        1 - a**2: lambda v: 1 - v["a"] ** 2,
        sp.exp(sp.Min(z, 0)) / (1 + sp.exp(-sp.Abs(z))): lambda v: (
            np.exp(np.minimum(v["z"], 0)) / (1 + np.exp(-np.abs(v["z"])))
        ),
        s * sp.exp(z - m) / ClassSum(sp.exp(z - m)) - u: lambda v: (
            s_value * np.exp(v["z"] - v["m"]) / np.exp(v["z"] - v["m"]).sum(axis=-1, keepdims=True) - v["u"]
        ),
    }
    s_value = 0.25
    for expr, reference in cases.items():
        names = {**{k: v.copy() for k, v in values.items()}, "m": values["z"].max(axis=-1, keepdims=True)}
        names |= {"out": np.empty((4, 5)), "spare": np.empty((4, 5)), "row": np.empty((4, 1)), "s": s_value}
        program = InPlace({a: "a", z: "z", u: "u", m: "m"}, scratch=("spare",), row_scratch=("row",), rows={m})
        program.into(expr, "out")
        assert all("out=" in line or "axpy" in line for line, _ in program.lines)
        _run(program, names)
        np.testing.assert_allclose(names["out"], reference(names), rtol=1e-15, atol=1e-15)


def test_inplace_updates_equal_the_generated_optimiser_rules():
    """Adam's rule through update_lines (with a BLAS axpy) equals numeric/_generated/optimisers.adam_update."""
    from scipy.linalg.blas import daxpy

    from derive.topics import optimisers as rules
    from numeric import adam_update

    rng = np.random.default_rng(4)
    w, g = rng.normal(size=50), rng.normal(size=50)
    m, v = rng.normal(size=50) * 0.1, rng.uniform(0, 0.1, 50)
    adam = next(r for r in rules.optimiser_rules() if r.name == "adam")
    arrays = {rules.w: "w", rules.g: "g", rules.m: "m", rules.v: "v"}
    program = InPlace(arrays, scratch=("s0", "s1"))
    update_lines(program, adam.updates, lambda target, expr: "", axpy="axpy")
    names = {"w": w.copy(), "g": g, "m": m.copy(), "v": v.copy(), "s0": np.empty(50), "s1": np.empty(50)}
    names |= {"axpy": daxpy, "t": 3, "eta": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    _run(program, names)
    expected = w.copy(), m.copy(), v.copy()
    adam_update(*expected, g, 3, 0.01, 0.9, 0.999, 1e-8)
    for got, want in zip((names["w"], names["m"], names["v"]), expected):
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-17)


def test_every_line_of_the_step_names_its_equation():
    source = fused_step.step_source("relu", "categorical_cross_entropy_logits", "adam")
    body = source.split('"""')[2].splitlines()[1:]
    calls = [line for line in body if "numpy." in line or "axpy(" in line]
    assert len(calls) >= 20
    assert all("  # " in line for line in calls)
    for label in ("BP1", "BP2", "BP3", "BP4", "dense layer", "activation", "adam: m ← "):
        assert any(f"# {label}" in line for line in calls), label
    assert "numpy.dot(ones_batch, delta[l], out=grad_biases[l])  # BP3" in source
    assert "numpy.dot(delta[l].T, layer_input[l], out=grad_weights[l])  # BP4" in source


def test_the_shown_forms_are_the_textbook_forms_in_the_rows_layout():
    """One convention (samples as rows): Z = A Wᵀ + 1 bᵀ with the bias last, BP2 Δ W, BP3 Δᵀ 1, BP4 Δᵀ A; each proven
    equal to the backpropagation topic's column equation; ReLU′ written as the indicator 1[z > 0]."""
    from derive.printing.text import comment

    assert fused_step.row_equations_hold()
    shown = {key: fused_step.shown_equation(key, value) for key, value in fused_step.row_equations().items()}
    assert shown == {
        "dense": r"Z = A W^{\top} + 1 b^{\top}",
        "BP2": r"\Delta W",
        "BP3": r"\Delta^{\top} 1",
        "BP4": r"\Delta^{\top} A",
    }
    assert comment(fused_step.activation_forms("relu")[1]) == "1[z > 0]"
    source = fused_step.step_source("relu", "categorical_cross_entropy_logits", "adam")
    for line in (
        "# dense layer: Z = A Wᵀ",
        "# dense layer: + 1 bᵀ",
        "# BP2: Δ W",
        "# BP3: ∂C/∂b = Δᵀ 1",
        "# BP4: ∂C/∂W = Δᵀ A",
        "# BP2: ⊙ relu′(Z) = 1[z > 0]",
        r"$$\text{dense}: Z = A W^{\top} + 1 b^{\top}$$",
    ):
        assert line in source, line
    assert "Piecewise" not in source and "A^{T}" not in source


def test_the_bp1_and_update_comments_are_printed_from_the_derivation():
    """BP1's comment is the catalogue's ∂L/∂z in p = softmax(z) over B, proven equal to the max-shifted form the
    code computes; each optimiser line's comment is its update rule, as the optimisers page shows it."""
    from derive.printing.text import comment
    from derive.printing.textbook import update
    from derive.topics import optimisers, training

    loss = "categorical_cross_entropy_logits"
    assert training.shifted_gradient_holds(loss)
    shown = fused_step.shown_output_error(loss)
    assert comment(shown) == "(p - y)/B"
    rules = {r.name: r for r in optimisers.optimiser_rules()}
    for name in fused_step.OPTIMISERS:
        source = fused_step.step_source("relu", loss, name)
        assert f"# BP1: Δᴸ = {comment(shown)}" in source
        for target, expr in rules[name].updates:
            assert f"# {name}: {comment(update(target, expr))}" in source
    assert comment(update(*rules["adam"].updates[0])) == "m ← β₁*m + (1 - β₁)*g"
    assert comment(update(*rules["sgd"].updates[0])) == "w ← w - η*g"
