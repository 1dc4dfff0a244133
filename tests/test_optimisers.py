"""Optimisers: the derived rules, SymPy's proofs, the generated updates, and PyTorch's optimisers."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import torch

from derive.topics import optimisers as rules
from derive.topics import training
from numeric import (
    adam_first_moment,
    adam_second_moment,
    adam_step,
    adam_update,
    categorical_cross_entropy_logits_grad,
    categorical_cross_entropy_logits_grad_batch,
    l2_regularised_gradient,
    momentum_step,
    momentum_update,
    momentum_velocity,
    relu,
    relu_batch,
    relu_grad,
    relu_grad_batch,
    sgd_step,
    sgd_update,
)
from numeric.optimisers import SGD, Adam, Momentum, make_optimiser

# --- the rules and their proofs ------------------------------------------------------------


def test_rules_are_pytorchs_conventions():
    w, g, v, m = rules.w, rules.g, rules.v, rules.m
    eta, mu, b1, b2, eps, t = rules.eta, rules.mu, rules.beta1, rules.beta2, rules.epsilon, rules.t
    assert sp.simplify(rules.sgd_step(w, g, eta) - (w - eta * g)) == 0
    assert sp.simplify(rules.momentum_velocity(v, g, mu) - (mu * v + g)) == 0
    assert sp.simplify(rules.momentum_step(w, v, eta) - (w - eta * v)) == 0
    assert sp.simplify(rules.adam_first_moment(m, g, b1) - (b1 * m + (1 - b1) * g)) == 0
    assert sp.simplify(rules.adam_second_moment(v, g, b2) - (b2 * v + (1 - b2) * g**2)) == 0
    expected = w - eta * (m / (1 - b1**t)) / (sp.sqrt(v / (1 - b2**t)) + eps)
    assert sp.simplify(rules.adam_step(w, m, v, t, eta, b1, b2, eps) - expected) == 0
    lam = rules.lam
    assert sp.simplify(rules.regularised_gradient(g, w, lam) - (g + lam * w)) == 0


def test_bias_correction_proof_first_and_second_moment():
    first = rules.bias_correction_proof()
    assert first.holds and first.checked_steps == 8
    assert sp.simplify(first.closed - (1 - rules.beta1**rules.t) * rules.g) == 0
    assert first.corrected == rules.g
    second = rules.bias_correction_proof(rules.adam_second_moment, rules.beta2, rules.g**2)
    assert second.holds and second.corrected == rules.g**2 and second.checked_steps == 8


def test_bias_correction_induction_base_and_step():
    first = rules.bias_correction_proof()
    assert first.at_zero == 0
    assert first.at_next == first.closed.subs(rules.t, rules.t + 1)
    assert sp.simplify(first.at_next - rules.adam_first_moment(first.closed, rules.g, rules.beta1)) == 0


def test_bias_table_is_the_rule_iterated_in_exact_fractions():
    """For g = 1 and β₁ = 9/10: m_t = 1 − (9/10)^t exactly, and the corrected m̂_t is exactly 1."""
    table = rules.bias_table(5)
    assert [t for t, _, _ in table] == [1, 2, 3, 4, 5]
    for t, m_t, m_hat in table:
        assert m_t == 1 - sp.Rational(9, 10) ** t and m_hat == 1
    assert rules.iterate_from_zero(rules.momentum_velocity, sp.Integer(1), sp.Rational(1, 2), 2)[-1][0] == sp.Rational(
        3, 2
    )


def test_bias_correction_proof_refutes_a_wrong_correction():
    """The same machinery says no when the rule does not start the average at the right weight."""
    wrong = lambda a, x, beta: beta * a + x  # noqa: E731 - an un-normalised average
    proof = rules.bias_correction_proof(wrong, rules.beta1, rules.g, iterations=3)
    assert not proof.corrected_equals_input and proof.checked_steps == 0


def test_momentum_velocity_series_and_limit():
    proof = rules.momentum_proof()
    assert proof.holds
    assert sp.simplify(proof.closed - rules.g * (1 - rules.mu**rules.t) / (1 - rules.mu)) == 0
    assert sp.simplify(proof.limit - rules.g / (1 - rules.mu)) == 0


def test_adam_first_step_has_size_eta():
    step = rules.adam_first_step()
    expected = rules.w - rules.eta * rules.g / (sp.Abs(rules.g) + rules.epsilon)
    assert sp.simplify(step - expected) == 0


def test_training_rewrites_are_proven():
    assert training.rewrites_hold() == {
        "shift_identity": True,
        "categorical_cross_entropy_logits_grad_batch": True,
        "relu_batch": True,
    }


def test_shift_identity_refutes_a_wrong_shift():
    zs = sp.symbols("z1:4", real=True)
    wrong = sp.Eq(
        training.shift_identity().lhs, training.SHIFT + sp.log(sum(sp.exp(z - 2 * training.SHIFT) for z in zs))
    )
    assert not training.identity_holds(wrong)


# --- the generated functions -----------------------------------------------------------------

RNG = np.random.default_rng(7)


def test_inplace_updates_equal_the_pure_rules():
    w0, g, v0, m0 = (RNG.standard_normal(50) for _ in range(4))
    v0 = np.abs(v0)
    w = w0.copy()
    sgd_update(w, g, 0.1)
    np.testing.assert_array_equal(w, sgd_step(w0, g, 0.1))
    w, v = w0.copy(), v0.copy()
    momentum_update(w, v, g, 0.1, 0.9)
    v_new = momentum_velocity(v0, g, 0.9)
    np.testing.assert_array_equal(v, v_new)
    np.testing.assert_array_equal(w, momentum_step(w0, v_new, 0.1))
    w, m, v = w0.copy(), m0.copy(), v0.copy()
    adam_update(w, m, v, g, 3, 1e-3, 0.9, 0.999, 1e-8)
    m_new, v_new = adam_first_moment(m0, g, 0.9), adam_second_moment(v0, g, 0.999)
    np.testing.assert_array_equal(m, m_new)
    np.testing.assert_array_equal(v, v_new)
    np.testing.assert_allclose(w, adam_step(w0, m_new, v_new, 3, 1e-3, 0.9, 0.999, 1e-8), rtol=0, atol=1e-15)


def test_l2_regularised_gradient_equals_catalogue_l2_grad():
    from numeric import l2_grad

    g, w = RNG.standard_normal(20), RNG.standard_normal(20)
    np.testing.assert_array_equal(l2_regularised_gradient(g, w, 0.3), g + l2_grad(w, 0.3))


def test_batch_forms_equal_the_catalogue_functions():
    z = RNG.standard_normal((2000, 10)) * 30
    y = np.eye(10)[RNG.integers(0, 10, 2000)]
    zl = z.astype(np.longdouble)  # reference: softmax − y in 80-bit extended precision
    e = np.exp(zl - zl.max(axis=1, keepdims=True))
    reference = e / e.sum(axis=1, keepdims=True) - y
    fast = categorical_cross_entropy_logits_grad_batch(z, y)
    assert np.abs(fast - reference).max() <= 1e-15  # measured 4.0e-16
    # the catalogue's exp(z − LSE) carries LSE's rounding, amplified for large logits (measured 7.1e-15)
    assert np.abs(fast - categorical_cross_entropy_logits_grad(z, y)).max() <= 2e-14
    x = np.concatenate([RNG.standard_normal(1000), [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, -1e-300]])
    np.testing.assert_array_equal(relu_batch(x), relu(x))  # NaN in the same places
    finite = np.isfinite(x) | np.isinf(x)
    np.testing.assert_array_equal(relu_grad_batch(x)[finite], relu_grad(x)[finite])
    assert relu_grad_batch(np.array([0.0]))[0] == 0  # ReLU'(0) = 0
    assert relu_batch(np.ones(3, np.float32)).dtype == np.float32


# --- the optimiser objects against PyTorch ---------------------------------------------------


@pytest.fixture(autouse=True, scope="module")
def _torch_single_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda: SGD(lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
        (lambda: Momentum(lr=0.05, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
        (lambda: Adam(lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
        (
            lambda: Adam(lr=0.003, beta1=0.8, beta2=0.99, eps=1e-6),
            lambda p: torch.optim.Adam(p, lr=0.003, betas=(0.8, 0.99), eps=1e-6),
        ),
    ],
    ids=["sgd", "momentum", "adam", "adam-hyper"],
)
def test_optimiser_matches_torch_on_a_quadratic(ours, theirs):
    """100 steps on L = Σ a_i (w_i − c_i)² in float64: every iterate equal to PyTorch's."""
    rng = np.random.default_rng(0)
    a, c, w0 = rng.uniform(0.5, 2, 30), rng.standard_normal(30), rng.standard_normal(30)
    w = w0.copy()
    opt = ours()
    wt = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    topt = theirs([wt])
    worst = 0.0
    for _ in range(100):
        opt.step([w], [2 * a * (w - c)])
        topt.zero_grad()
        (torch.tensor(a) * (wt - torch.tensor(c)) ** 2).sum().backward()
        topt.step()
        worst = max(worst, float(np.abs(w - wt.detach().numpy()).max()))
    assert worst <= 1e-14
    assert np.abs(w - w0).max() > 0.1  # it moved


def test_optimiser_state_and_errors():
    opt = Momentum(lr=0.1, momentum=0.5)
    w = np.zeros(3)
    opt.step([w], [np.ones(3)])
    opt.step([w], [np.ones(3)])
    np.testing.assert_allclose(w, -0.1 * (1 + 1.5) * np.ones(3))  # v1 = g, v2 = μ g + g
    opt.reset()
    w[...] = 0
    opt.step([w], [np.ones(3)])
    np.testing.assert_allclose(w, -0.1 * np.ones(3))
    with pytest.raises(ValueError, match="unknown optimiser 'adamw'; did you mean adam"):
        make_optimiser("adamw")
    with pytest.raises(ValueError, match="learning rate must be positive"):
        SGD(lr=0)
    with pytest.raises(ValueError, match=r"parameter of shape \(3,\) has a gradient of shape \(4,\)"):
        SGD().step([np.zeros(3)], [np.zeros(4)])
    with pytest.raises(TypeError, match="float ndarrays"):
        SGD().step([np.zeros(3, dtype=int)], [np.zeros(3)])
    assert repr(make_optimiser("adam", lr=0.5)) == "Adam(lr=0.5, beta1=0.9, beta2=0.999, eps=1e-08)"


def test_float32_updates_stay_float32():
    w, g = np.ones(4, np.float32), np.full(4, 0.5, np.float32)
    Adam(lr=0.1).step([w], [g])
    assert w.dtype == np.float32
    np.testing.assert_allclose(w, 0.9, rtol=1e-6)  # first Adam step: w − η g/(|g| + ε)
