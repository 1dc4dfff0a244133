"""The trainer against PyTorch (float64): whole trajectories, per-layer gradients; and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F  # noqa: N812 - PyTorch's own convention

from numeric.mlp import MLP, build
from numeric.optimisers import SGD, Adam, Momentum

TORCH_ACTIVATIONS = {
    "identity": lambda z: z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
    "elu": lambda z: F.elu(z, 1.0),
    "softplus": F.softplus,
    "gelu": F.gelu,
    "silu": F.silu,
    "softmax": lambda z: torch.softmax(z, dim=-1),
}
# per-sample, per-output losses: the trainer's cost is their sum over outputs, mean over the batch
TORCH_LOSSES = {
    "mse": lambda a, y: (a - y) ** 2,
    "huber": lambda a, y: F.huber_loss(a, y, reduction="none", delta=1.0),
    "binary_cross_entropy": lambda a, y: F.binary_cross_entropy(a, y, reduction="none"),
    "binary_cross_entropy_logits": lambda z, y: F.binary_cross_entropy_with_logits(z, y, reduction="none"),
    "categorical_cross_entropy": lambda p, y: -(y * torch.log(p)),
    "categorical_cross_entropy_logits": lambda z, y: -(y * torch.log_softmax(z, dim=-1)),
}


@pytest.fixture(autouse=True, scope="module")
def _torch_single_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def torch_cost(net: MLP, weights, biases, x, y, l2=0.0, l1=0.0):
    """The trainer's cost, written with PyTorch: forward pass, batch mean of the summed loss, penalties."""
    a = x
    last = len(weights) - 1
    for layer, (w, b) in enumerate(zip(weights, biases)):
        z = a @ w.T + b
        a = z if (layer == last and net.loss.endswith("_logits")) else TORCH_ACTIVATIONS[net.activations[layer]](z)
    cost = TORCH_LOSSES[net.loss](a, y).sum(dim=1).mean()
    for w in weights:
        cost = cost + l2 / 2 * (w**2).sum() + l1 * w.abs().sum()
    return cost


def torch_parameters(net: MLP):
    ws = [torch.tensor(w.copy(), requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b.copy(), requires_grad=True) for b in net.biases]
    return ws, bs


def make_targets(loss: str, n: int, k: int, rng) -> np.ndarray:
    if loss.startswith("categorical"):
        return np.eye(k)[rng.integers(0, k, n)]
    if loss.startswith("binary"):
        return rng.uniform(0, 1, (n, k))
    return rng.standard_normal((n, k))


# --- trajectories: 200 steps ---------------------------------------------------------------

OPTIMISERS = {
    "sgd": (lambda: SGD(lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    "momentum": (lambda: Momentum(lr=0.05, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    "adam": (lambda: Adam(lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
}
OUTPUTS = {"mse": ("identity", "mse"), "softmax_ce": ("softmax", "categorical_cross_entropy_logits")}
STEPS, BATCH, N = 200, 16, 64


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("optimiser", list(OPTIMISERS))
def test_trajectory_equals_pytorch_after_200_steps(optimiser, hidden, output):
    """Same initial weights, data order and hyper-parameters: max |Δw| ≤ 1e-10 after 200 steps (measured ≤ 3e-14)."""
    rng = np.random.default_rng(0)
    out, loss = OUTPUTS[output]
    net = build([4, 6, 5, 3], activation=hidden, output=out, loss=loss, seed=0)
    net.set_parameters(net.weights, [rng.normal(0, 0.1, b.shape) for b in net.biases])
    start = net.parameters.copy()
    x, y = rng.standard_normal((N, 4)), make_targets(loss, N, 3, rng)
    ws, bs = torch_parameters(net)
    ours, theirs = OPTIMISERS[optimiser]
    opt, topt = ours(), theirs([p for pair in zip(ws, bs) for p in pair])
    xt, yt = torch.tensor(x), torch.tensor(y)
    order = rng.permutation(N)
    for step in range(STEPS):
        batch = order[(step * BATCH) % N :][:BATCH]
        net.train_step(x[batch], y[batch], opt)
        topt.zero_grad()
        torch_cost(net, ws, bs, xt[batch], yt[batch]).backward()
        topt.step()
    difference = max(
        max(float(np.abs(t.detach().numpy() - mine).max()) for t, mine in zip(ws, net.weights)),
        max(float(np.abs(t.detach().numpy() - mine).max()) for t, mine in zip(bs, net.biases)),
    )
    assert difference <= 1e-10
    assert np.abs(net.parameters - start).max() > 0.1  # the weights really moved


# --- per-layer gradients vs autograd and finite differences -------------------------------------

GRADIENT_CASES = [
    (("sigmoid",), "identity", "mse", 0.0, 0.0),
    (("tanh",), "softmax", "categorical_cross_entropy_logits", 0.0, 0.0),
    (("relu",), "sigmoid", "binary_cross_entropy_logits", 0.0, 0.0),
    (("leaky_relu",), "sigmoid", "binary_cross_entropy", 0.0, 0.0),
    (("elu",), "softmax", "categorical_cross_entropy", 0.0, 0.0),  # through softmax's Jacobian
    (("softplus",), "softmax", "mse", 0.0, 0.0),
    (("gelu",), "identity", "huber", 0.0, 0.0),
    (("silu",), "tanh", "mse", 0.0, 0.0),
    (("tanh", "relu"), "softmax", "categorical_cross_entropy_logits", 0.1, 0.0),
    (("sigmoid", "elu"), "identity", "mse", 0.0, 0.05),
]
CASE_IDS = [
    "-".join((*h, o, lo)) + (f"-l2={l2}" if l2 else "") + (f"-l1={l1}" if l1 else "")
    for h, o, lo, l2, l1 in GRADIENT_CASES
]
SMOOTH = [(c, i) for c, i in zip(GRADIENT_CASES, CASE_IDS) if not c[4]]  # no |w| kink for finite differences


def _case(hidden, output, loss, seed=0):
    rng = np.random.default_rng(seed)
    sizes = [3, *([5] * len(hidden)), 4]
    net = build(sizes, activation=list(hidden), output=output, loss=loss, seed=seed)
    net.set_parameters(net.weights, [rng.normal(0, 0.3, b.shape) for b in net.biases])
    x = rng.standard_normal((7, 3))
    return net, x, make_targets(loss, 7, 4, rng)


@pytest.mark.parametrize("hidden, output, loss, l2, l1", GRADIENT_CASES, ids=CASE_IDS)
def test_gradients_equal_torch_autograd(hidden, output, loss, l2, l1):
    net, x, y = _case(hidden, output, loss)
    grads = net.gradients(x, y, l2=l2, l1=l1)
    ws, bs = torch_parameters(net)
    torch_cost(net, ws, bs, torch.tensor(x), torch.tensor(y), l2, l1).backward()
    for (gw, gb), w, b in zip(grads, ws, bs):
        np.testing.assert_allclose(gw, w.grad.numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(gb, b.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("hidden, output, loss, l2, l1", [c for c, _ in SMOOTH], ids=[i for _, i in SMOOTH])
def test_gradients_equal_central_finite_differences(hidden, output, loss, l2, l1):
    net, x, y = _case(hidden, output, loss, seed=1)
    flat = np.concatenate([np.concatenate([gw.ravel(), gb]) for gw, gb in net.gradients(x, y, l2=l2)])
    h = 1e-6
    numeric = np.empty_like(flat)
    for i in range(net.n_parameters):
        keep = net.parameters[i]
        net.parameters[i] = keep + h
        up = net.loss_value(x, y) + net.penalty(l2=l2)
        net.parameters[i] = keep - h
        down = net.loss_value(x, y) + net.penalty(l2=l2)
        net.parameters[i] = keep
        numeric[i] = (up - down) / (2 * h)
    assert np.abs(flat - numeric).max() <= 1e-8 * max(1.0, np.abs(flat).max())  # measured ≤ 8.9e-10


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("optimiser", list(OPTIMISERS))
def test_fused_step_trajectory_equals_pytorch_to_1e_12(optimiser, hidden):
    """The fused generated step (softmax cross-entropy; batches of 16 and a last batch of 7): 200 steps from the
    same start as PyTorch float64, max |Δw| ≤ 1e-12 (measured ≤ 1.2e-15)."""
    from numeric import fused

    rng = np.random.default_rng(1)
    net = build([4, 6, 5, 3], activation=hidden, output="softmax", seed=0)
    net.set_parameters(net.weights, [rng.normal(0, 0.1, b.shape) for b in net.biases])
    x, y = rng.standard_normal((N, 4)), make_targets("categorical_cross_entropy_logits", N, 3, rng)
    ws, bs = torch_parameters(net)
    ours, theirs = OPTIMISERS[optimiser]
    opt, topt = ours(), theirs([p for pair in zip(ws, bs) for p in pair])
    assert fused.fused_step(net.activations[:-1], net.loss, opt) is not None
    xt, yt = torch.tensor(x), torch.tensor(y)
    for step in range(STEPS):
        batch = rng.permutation(N)[: 7 if step % 5 == 4 else BATCH]
        net.train_step(x[batch], y[batch], opt)
        topt.zero_grad()
        torch_cost(net, ws, bs, xt[batch], yt[batch]).backward()
        topt.step()
    assert sorted(net._step_buffers) == [7, BATCH]  # the fused step ran, with buffers per batch size
    mine = [*net.weights, *net.biases]
    difference = max(float(np.abs(t.detach().numpy() - m).max()) for t, m in zip([*ws, *bs], mine))
    assert difference <= 1e-12
