"""Backpropagation: the matrix-form equations equal sympy.diff of the expanded loss,
weight by weight, and the worked example equals the published walk-through."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.printing.latex import latex
from derive.topics import backpropagation as nw
from derive.topics.worked_example import numeric_check, worked_example

CASES = [
    ((3, 4, 2), "sigmoid", "sigmoid", "mse"),
    ((2, 3, 3), "sigmoid", "softmax", "categorical_cross_entropy_logits"),
    ((2, 2, 2, 2), "tanh", "sigmoid", "mse"),  # BP2 applied twice
]


@pytest.mark.parametrize("case", CASES, ids=["-".join(map(str, c[0])) + f" {c[2]}+{c[3]}" for c in CASES])
def test_bp1_to_bp4_equal_elementwise_derivatives(case) -> None:
    v = nw.verify_elementwise(nw.network(*case))
    sizes = case[0]
    assert v.checked == sum(a * b + b for a, b in zip(sizes, sizes[1:]))
    assert v.holds, f"mismatch at {v.mismatches}"


def test_verification_catches_a_wrong_equation(monkeypatch: pytest.MonkeyPatch) -> None:
    """BP2 without the transpose is wrong, and the element-wise check says so."""
    monkeypatch.setattr(nw, "hidden_error", lambda w, d, p: sp.HadamardProduct(w[:, : d.shape[0]] * d, p))
    v = nw.verify_elementwise(nw.network((2, 2, 2), "sigmoid", "sigmoid", "mse"))
    assert not v.holds and v.mismatches


def test_softmax_output_needs_a_logits_loss() -> None:
    with pytest.raises(ValueError, match="needs a loss on logits"):
        nw.backprop(nw.network((2, 3, 3), "sigmoid", "softmax", "mse"))


def test_general_equations_print_in_matrix_form() -> None:
    eqs = {k: latex(v) for k, v in nw.general_equations().items()}
    assert r"\circ" in eqs["BP1"] and r"\circ" in eqs["BP2"]
    assert "^{T}" in eqs["BP2"] and "^{T}" in eqs["BP4"]
    assert set(eqs) == {"dense", "BP1", "BP2", "BP3", "BP4"}


def test_chain_rule_derivation_equals_diff() -> None:
    d = nw.chain_rule_derivation("sigmoid", "mse")
    assert [s.rule for s in d.steps][0] == "chain rule"
    assert sp.simplify(d.result - sp.diff(d.expr, d.wrt)) == 0
    assert d.steps[0].expr.has(sp.Derivative) and not d.steps[-1].expr.has(sp.Derivative)


def test_worked_example_matches_the_classic_walkthrough() -> None:
    """Mazur's step-by-step example: out_h1 = 0.593269992, out_o1 = 0.75136507.
    Our loss is Σ (a − y)² (no ½), so our gradients are twice his."""
    f = worked_example().floats()
    np.testing.assert_allclose(f["a1"].ravel(), [0.593269992, 0.596884378], atol=1e-9)
    np.testing.assert_allclose(f["a2"].ravel(), [0.75136507, 0.772928465], atol=1e-8)
    assert 2 * 0.298371109 == pytest.approx(float(f["loss"]), abs=1e-8)
    assert f["dW2"][0, 0] == pytest.approx(2 * 0.082167041, abs=1e-8)
    assert f["dW1"][0, 0] == pytest.approx(2 * 0.000438568, abs=1e-8)
    ex = worked_example()
    assert all(v.is_Rational for v in (*ex.x, *ex.W1, *ex.z1))


def test_worked_example_agrees_with_numeric() -> None:
    assert numeric_check() < 1e-15
