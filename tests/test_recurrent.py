"""Recurrent networks: BPTT derived symbolically equals sp.diff (T = 3, exactly), the product of Jacobians,
the ρ^T law of the linear RNN (proven for every T), the generated NumPy against torch.nn.RNN in float64, and
the vanishing/exploding behaviour on both sides of spectral radius 1."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import torch

import numeric
from derive.topics import recurrent as rn
from nnmath.topics import recurrent as topic
from nnmath.topics.recurrent import experiment
from nnmath.topics.recurrent.against_torch import torch_rnn

RTOL = 1e-12


def close(ours: np.ndarray, reference) -> None:
    ref = reference.detach().numpy() if hasattr(reference, "detach") else np.asarray(reference)
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=RTOL, atol=RTOL * float(np.max(np.abs(ref))))


# --- Symbolic ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("activation", list(rn.ACTIVATIONS))
def test_bptt_equals_sp_diff_and_the_product_of_jacobians(activation: str) -> None:
    checks = rn.bptt_checks(activation)
    assert len(checks) == 7 and all(checks.values()), checks


def test_tanh_derivative_is_written_in_the_state() -> None:
    z = rn.z
    assert rn.derivative_in_state("tanh") == 1 - z**2
    assert rn.derivative_in_state("linear") == 1


def test_jacobian_factors_in_the_wrong_order_fail() -> None:
    """The check can fail: W diag(φ'(h_t)) instead of diag(φ'(h_t)) W is not ∂h_t/∂h_{t−1}."""
    net = rn.unrolled("tanh")
    prime = lambda h: sp.diag(*[1 - v**2 for v in h])  # noqa: E731
    wrong = sp.eye(2)
    for t in range(1, net.steps + 1):
        wrong = net.W * prime(net.hs[t]) * wrong
    right = rn.state_jacobian(net, net.steps, 0)
    assert any(sp.expand(a - b) != 0 for a, b in zip(wrong, right))
    assert rn.jacobian_product(net, net.steps, 0).shape == right.shape


def test_linear_rnn_gradient_norm_is_rho_to_the_t() -> None:
    ln = rn.linear_norm_derivation()
    assert ln.induction_step and ln.orthogonal
    assert ln.power == rn.rho**rn.T_steps * rn.rotation(rn.T_steps * rn.theta)
    assert ln.norm == rn.rho**rn.T_steps
    assert ln.slope == sp.log(rn.rho)
    assert ln.spectral_radius == rn.rho
    assert ln.tanh_prime_max == 1 and ln.tanh_prime_positive


def test_generated_module_is_registered_and_current() -> None:
    (module,) = topic.TOPIC.generated()
    assert module.file == "recurrent.py" and module.is_current()


def test_loop_lines_are_printed_from_the_step_formulas() -> None:
    st = rn.step("tanh")
    printer = rn.step_printer(rn.LOOP_NAMES)
    source = dict(rn.function_sources("tanh"))["rnn_backward"]
    assert printer.doprint(st.total) == "numpy.swapaxes(w, -1, -2) @ d + g[t]"
    assert printer.doprint(st.local) == "(1 - h[t + 1] * h[t + 1]) * e"
    assert printer.doprint(st.jacobian) == "(1 - h[t + 1] * h[t + 1]) * (w @ jac)"
    for formula in (st.forward, st.total, st.local, st.grad_w, st.grad_x, st.grad_h0):
        assert printer.doprint(formula) in source
    with pytest.raises(ValueError, match="no Python name"):
        rn.step_printer({}).doprint(st.total)


# --- Against PyTorch (float64) -------------------------------------------------------------------------------

CONFIGS = [(1, 1, 1, 1), (3, 2, 2, 2), (5, 3, 4, 6), (20, 2, 3, 8), (50, 4, 2, 16)]  # (T, batch, D, H)


def _inputs(steps: int, batch: int, d_in: int, hidden: int, seed: int):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(steps, batch, d_in)),
        rng.normal(size=(batch, hidden)),
        rng.normal(size=(hidden, hidden)) / np.sqrt(hidden),
        rng.normal(size=(hidden, d_in)),
        rng.normal(size=hidden),
        rng.normal(size=(steps, batch, hidden)),
    )


@pytest.mark.parametrize("config", CONFIGS, ids=str)
@pytest.mark.parametrize("last_only", [False, True], ids=["summed", "last-state"])
def test_rnn_matches_torch_nn_rnn(config: tuple, last_only: bool) -> None:
    steps, batch, d_in, hidden = config
    x, h0, w, u, b, g = _inputs(*config, seed=steps + hidden)
    if last_only:
        g[:-1] = 0.0  # a loss on the last state only
    rnn = torch_rnn(w, u, b)
    tx, th0 = torch.tensor(x, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
    out, _ = rnn(tx, th0)
    (out * torch.tensor(g)).sum().backward()
    close(numeric.rnn_forward(x, h0, w, u, b), out)
    dx, dh0, dw, du, db = numeric.rnn_backward(x, h0, w, u, b, g)
    close(dx, tx.grad)
    close(dh0, th0.grad[0])
    close(dw, rnn.weight_hh_l0.grad)
    close(du, rnn.weight_ih_l0.grad)
    close(db, rnn.bias_ih_l0.grad)
    close(db, rnn.bias_hh_l0.grad)  # torch's two biases each get ∂L/∂b


@pytest.mark.parametrize("config", CONFIGS[1:], ids=str)
def test_linear_rnn_matches_a_torch_loop(config: tuple) -> None:
    steps = config[0]
    x, h0, w, u, b, g = _inputs(*config, seed=steps)
    tw, tu, tb, tx, th = (torch.tensor(v, requires_grad=True) for v in (w, u, b, x, h0))
    states, h = [], th
    for t in range(steps):
        h = h @ tw.T + tx[t] @ tu.T + tb
        states.append(h)
    out = torch.stack(states)
    (out * torch.tensor(g)).sum().backward()
    close(numeric.linear_rnn_forward(x, h0, w, u, b), out)
    for ours, ref in zip(numeric.linear_rnn_backward(x, h0, w, u, b, g), (tx.grad, th.grad, tw.grad, tu.grad, tb.grad)):
        close(ours, ref)


@pytest.mark.parametrize("config", CONFIGS[1:], ids=str)
def test_state_jacobians_match_torch_autograd(config: tuple) -> None:
    steps, batch, d_in, hidden = config
    x, h0, w, u, b, _ = _inputs(*config, seed=3 * steps)
    tw, tu, tb, tx = (torch.tensor(v) for v in (w, u, b, x))
    jac = numeric.rnn_state_jacobians(x, h0, w, u, b)
    assert jac.shape == (steps, batch, hidden, hidden)

    def state(h: torch.Tensor, t: int) -> torch.Tensor:
        for s in range(t):
            h = torch.tanh(tw @ h + tu @ tx[s, 0] + tb)
        return h

    for t in (1, steps):
        ref = torch.autograd.functional.jacobian(lambda h, t=t: state(h, t), torch.tensor(h0[0]))
        close(jac[t - 1, 0], ref)
    close(numeric.linear_rnn_state_jacobians(x, h0, w, u, b)[-1, 0], np.linalg.matrix_power(w, steps))


# --- Vanishing and exploding -------------------------------------------------------------------------------


@pytest.mark.parametrize("rho", [0.5, 0.9, 1.1, 1.5])
def test_linear_norm_is_rho_to_the_t_and_monotone(rho: float) -> None:
    norms = experiment.gradient_norms(rho, "linear")
    t = np.arange(1, experiment.STEPS + 1)
    np.testing.assert_allclose(norms, rho**t, rtol=1e-12)
    assert np.all(np.diff(norms) < 0) if rho < 1 else np.all(np.diff(norms) > 0)
    assert experiment.fitted_slope(norms) == pytest.approx(np.log(rho), abs=1e-12)


@pytest.mark.parametrize("rho", [0.5, 0.8, 0.9, 0.99])
def test_tanh_gradient_vanishes_monotonically_below_one(rho: float) -> None:
    """‖∂h_T/∂h_0‖ ≤ ‖W‖^T = ρ^T and it shrinks at every step (tanh' ≤ 1, ‖W‖₂ = ρ for W = ρQ)."""
    norms = experiment.gradient_norms(rho, "tanh")
    t = np.arange(1, experiment.STEPS + 1)
    assert np.all(np.diff(norms) < 0)
    assert np.all(norms <= rho**t * (1 + 1e-12))


@pytest.mark.parametrize("rho", [1.5, 2.0, 3.0])
def test_tanh_gradient_explodes_well_above_one(rho: float) -> None:
    norms = experiment.gradient_norms(rho, "tanh")
    blocks = np.exp(np.log(norms).reshape(6, 10).mean(axis=1))  # geometric means of 10 steps
    assert np.all(np.diff(blocks) > 0)
    assert norms[-1] > 10 * norms[0]
    assert np.all(
        norms <= rho ** np.arange(1, experiment.STEPS + 1) * (1 + 1e-12)
    )  # never faster than the linear bound


def test_slope_against_rho_crosses_zero_above_one_for_tanh() -> None:
    table = experiment.slope_table()
    tanh, linear, rhos = np.array(table.tanh), np.array(table.linear), np.array(table.rhos)
    np.testing.assert_allclose(linear, np.log(rhos), atol=1e-12)
    assert np.all(np.diff(tanh[rhos <= 1.5]) > 0)  # rises strictly with ρ on the way through the crossing
    assert np.all(tanh[rhos > 1.5] > tanh[rhos == 1.25])  # beyond, saturation makes it noisy but it stays higher
    assert np.all(tanh[rhos <= 1.0] < 0) and np.all(tanh[rhos >= 1.25] > 0)
    assert np.all(tanh <= linear + 1e-12)  # tanh can only slow the growth
    assert 1.0 < table.crossing() <= 1.25
