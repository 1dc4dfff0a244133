"""Backpropagation: the matrix-form equations equal sympy.diff of the expanded loss,
weight by weight, and the worked example equals the published walk-through."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.calculus.functions import textbook
from derive.printing.latex import latex
from derive.topics import backpropagation as nw
from derive.topics.worked_example import WorkedExampleMismatch, walkthrough, worked_example
from nnmath.topics.worked_example.cross_check import numeric_check

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
    assert nw.chain_rule_holds(d)  # a = σ(z), z = w x + b substituted: equal to sp.diff of the composed loss
    names = nw.chain_rule_names("sigmoid")
    value = d.result.xreplace({k: v for k, v in names.items() if k.name == "a"}).xreplace(
        {k: v for k, v in names.items() if k.name == "z"}
    )
    assert sp.simplify(textbook(value - sp.diff(d.expr, d.wrt))) == 0
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


def test_walkthrough_writes_each_step_in_the_quantities_already_computed() -> None:
    w = walkthrough()
    assert [s.label for s in w.backward] == [
        "BP1, output error",
        "BP2, hidden error",
        "BP3, output layer",
        "BP4, output layer",
        "BP3, hidden layer",
        "BP4, hidden layer",
    ]
    a1 = sp.Symbol("a^1_1")
    assert w.forward[3].named.has(a1) and not w.forward[3].exact.has(a1)  # the output, written in a¹
    assert w.update[0].exact == worked_example().W1_new


def test_walkthrough_refuses_a_named_form_that_is_not_the_exact_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """BP2 without the transpose gives a wrong named form of δ¹ (W² is not symmetric), and the check says so."""
    import derive.topics.worked_example as we

    monkeypatch.setattr(we, "hidden_error", lambda w, d, p: sp.HadamardProduct(w * d, p))
    we.walkthrough.cache_clear()
    try:
        with pytest.raises(WorkedExampleMismatch, match="BP2, hidden error"):
            we.walkthrough()
    finally:
        we.walkthrough.cache_clear()


def test_records_of_backpropagation_and_the_worked_example() -> None:
    from derive.printing import formulas
    from nnmath.topics.backpropagation.formulas import CHAIN_RULE
    from nnmath.topics.backpropagation.record import present as backpropagation
    from nnmath.topics.worked_example.record import present as worked

    record = backpropagation()
    networks = record["backpropagation"]["networks"]
    assert [n["sizes"] for n in networks] == ["3-4-2", "2-3-3"] and all(n["holds"] for n in networks)
    equations = record["backpropagation"]["equations"]
    assert [e["label"][:3] for e in equations] == ["The", "BP1", "BP2", "BP3", "BP4"]
    assert all(e["sentence"].startswith(e["label"][:3]) for e in equations)
    # the chain rule's steps, as the site lays them out, are derive's aligned display of the same derivation
    d = nw.chain_rule_derivation(*CHAIN_RULE)
    steps = record["chain-rule"]["derivation"]
    lhs = sp.Derivative(sp.Symbol("L", real=True), d.wrt, evaluate=False)
    assert steps["display"] == formulas.steps(d, start=lhs)
    assert [s["rule"] for s in steps["steps"]] == [s.rule for s in d.steps]
    page = worked()["worked-example"]
    assert len(page["quantities"]) == 20 and page["places"] == 6 and page["numeric_check"] < 1e-15
    assert [p["title"] for p in page["parts"]] == ["Forward pass", "Backward pass"]
