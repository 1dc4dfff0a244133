"""Every generated gradient against finite differences and PyTorch autodiff, and
the derivative conventions at non-differentiable points against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F  # noqa: N812 - PyTorch's own convention

from derive.catalogue import entries, get
from derive.catalogue.entry import Entry
from nnmath.topics.verification.checks import cross_check, verdict
from nnmath.verify.crosscheck import AUTODIFF_BOUND, FD_BOUND, TORCH_FUNCTIONS, check_entry, torch_errors
from numeric import lookup

ALL = entries()


@pytest.mark.parametrize("entry", ALL, ids=[e.name for e in ALL])
def test_gradient_matches_finite_differences_and_pytorch(entry: Entry) -> None:
    r = check_entry(entry, n=200, seed=7)
    assert r.fd_error <= FD_BOUND, f"{entry.name}: finite differences {r.fd_error:.2e}"
    assert r.autodiff_error is not None and r.autodiff_error <= AUTODIFF_BOUND, (
        f"{entry.name}: autodiff {r.autodiff_error:.2e}"
    )


def test_crosscheck_detects_a_wrong_gradient(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check is not vacuous: a gradient off by 1e-6 relative fails it."""
    entry = get("tanh")
    real = lookup("tanh")
    wrong = type(real)(
        real.name, real.function, lambda x: real.gradient(x) * (1 + 1e-6), *[real.group, real.kind, real.params]
    )
    monkeypatch.setitem(__import__("numeric").registry.REGISTRY, "tanh", wrong)
    r = check_entry(entry, n=50)
    assert not r.passed and r.autodiff_error > AUTODIFF_BOUND


def test_cross_check_row_prints_the_measured_errors() -> None:
    row = cross_check(get("softplus"))
    r = check_entry(get("softplus"))
    assert row["fd"] == f"{r.fd_error:.1e}" and row["autodiff"] == f"{r.autodiff_error:.1e}"
    assert (row["fd_bound"], row["autodiff_bound"]) == (f"{FD_BOUND:.1e}", f"{AUTODIFF_BOUND:.1e}")
    assert row["fd_result"] == row["autodiff_result"] == row["result"] == "pass" and row["points"] == r.points
    assert cross_check(get("softplus"), with_autodiff=False)["autodiff"] == "not measured"
    assert (verdict(None, 1.0), verdict(2.0, 1.0), verdict(1.0, 1.0)) == ("not measured", "FAIL", "pass")


def _torch_grad(f, *values: float) -> float:
    t = [torch.tensor(v, dtype=torch.float64, requires_grad=(i == 0)) for i, v in enumerate(values)]
    (g,) = torch.autograd.grad(f(*t), t[0])
    return float(g)


KINK_CONVENTIONS = {
    "relu": (lambda x: F.relu(x), (0.0,)),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.01), (0.0,)),
    "elu": (lambda x: F.elu(x, 1.0), (0.0,)),
    "selu": (lambda x: F.selu(x), (0.0,)),
    "mae": (lambda p, y: F.l1_loss(p, y), (0.5, 0.5)),
    "hinge": (lambda p, y: torch.clamp(1 - y * p, min=0), (1.0, 1.0)),
    "l1": (lambda w: 0.01 * torch.abs(w), (0.0,)),
}


@pytest.mark.parametrize("name", sorted(KINK_CONVENTIONS))
def test_kink_convention_matches_pytorch(name: str) -> None:
    torch_f, point = KINK_CONVENTIONS[name]
    ours = float(lookup(name).gradient(*point))
    assert ours == _torch_grad(torch_f, *point), f"{name}'({point}) = {ours}"
    assert get(name).convention, f"{name} must document its convention"


def test_every_entry_with_a_kink_has_a_convention_test() -> None:
    assert {e.name for e in ALL if e.kinks} <= set(KINK_CONVENTIONS)


def test_relu_kink_is_zero_as_documented() -> None:
    assert float(lookup("relu").gradient(np.array(0.0))) == 0.0


ACTIVATIONS = [e for e in entries("activation") if not e.is_vector]


@pytest.mark.parametrize("entry", ACTIVATIONS, ids=[e.name for e in ACTIVATIONS])
def test_activation_matches_pytorchs_own_implementation(entry: Entry) -> None:
    """torch.nn.functional's softsign, mish, selu, gelu(approximate="tanh"), …: value and autograd gradient."""
    errors = torch_errors(entry, n=400, seed=11)
    assert errors is not None, f"{entry.name}: no PyTorch function in TORCH_FUNCTIONS"
    assert errors[0] <= AUTODIFF_BOUND and errors[1] <= AUTODIFF_BOUND, f"{entry.name}: {errors}"


def test_every_pytorch_reference_names_an_entry() -> None:
    assert set(TORCH_FUNCTIONS) == {e.name for e in ACTIVATIONS}
