"""Backpropagation: the matrix-form equations equal sympy.diff of the expanded loss,
weight by weight, and the worked example equals the published walk-through."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.calculus.functions import textbook
from derive.printing.decimals import decimal_string
from derive.printing.latex import latex
from derive.topics import backpropagation as nw
from derive.topics.worked_example import WorkedExampleMismatch, published, walkthrough, worked_example
from nnmath.topics.backpropagation.formulas import output_errors
from nnmath.topics.worked_example.cross_check import numeric_check
from nnmath.topics.worked_example.formulas import shown

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


def test_bp1_in_general_is_the_transposed_jacobian_and_reduces_to_hadamard_or_p_minus_y() -> None:
    """Erratum (issue 13): BP1 was shown only with ⊙ beside a softmax verification."""
    from derive.topics.output_error import general_equation, output_error_cases

    assert latex(general_equation()) == (
        r"\boldsymbol{\delta}^{L} = \left(\frac{\partial \mathbf{a}^{L}}{\partial \mathbf{z}^{L}}\right)^{T} "
        r"\nabla_{\mathbf{a}^{L}} C"
    )
    elementwise, softmax = output_error_cases()
    assert elementwise.holds and softmax.holds  # both equal sympy.diff of the composed loss
    assert elementwise.diagonal and elementwise.delta == elementwise.reduced  # Jᵀ∇C = ∇C ⊙ σ'(z)
    assert not softmax.diagonal and not softmax.jacobian.is_diagonal()
    from derive.symbols import prob_k, target_k

    assert softmax.reduced == sp.ImmutableMatrix(prob_k) - sp.ImmutableMatrix(target_k)  # δ = p − y
    sums_to_one = {target_k[-1]: 1 - sum(target_k[:-1])}
    assert sp.expand((softmax.delta - softmax.reduced).subs(sums_to_one)) == sp.zeros(3, 1)
    record = output_errors()
    assert [r["activation"] for r in record] == ["sigmoid", "softmax"] and all(r["holds"] for r in record)
    assert record[1]["reduced"] == latex(softmax.reduced)


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
    """Mazur, "A Step by Step Backpropagation Example" (2015), C = ½ Σ (a − y)²: every number he prints, to every
    digit he prints (erratum, issue 13: the loss had no ½, so every gradient was twice his)."""
    his = {
        "out_{h1}": "0.593269992",
        "out_{h2}": "0.596884378",
        "out_{o1}": "0.75136507",
        "out_{o2}": "0.772928465",
        "E_{total}": "0.298371109",
        r"\partial E_{total}/\partial w_5": "0.082167041",
        "w_5^+": "0.35891648",
        "w_6^+": "0.408666186",
        "w_7^+": "0.511301270",
        "w_8^+": "0.561370121",
        r"\partial E_{total}/\partial w_1": "0.000438568",
        "w_1^+": "0.149780716",
        "w_2^+": "0.19956143",
        "w_3^+": "0.24975114",
        "w_4^+": "0.29950229",
    }
    rows = published()
    assert {r["name"]: r["published"] for r in rows} == his
    assert all(r["exact"] == r["published"] for r in rows), [r for r in rows if r["exact"] != r["published"]]
    f = worked_example().floats()
    assert float(f["loss"]) == pytest.approx(0.298371109, abs=5e-10)
    assert f["W2_new"][0, 0] == pytest.approx(0.35891648, abs=5e-9)
    ex = worked_example()
    assert all(v.is_Rational for v in (*ex.x, *ex.W1, *ex.z1))


def test_worked_example_rounds_the_exact_value_once() -> None:
    """∂C/∂w⁴ = 0.000995425470…: to 6 digits 0.000995425 (evalf(6) then printing gave 0.000995426)."""
    ex = worked_example()
    value = ex.dW1[1, 1]
    assert decimal_string(value, digits=12) == "0.000995425470522"
    assert decimal_string(value, digits=6) == "0.000995425"
    assert latex(value.evalf(6)) == "0.000995426"  # the double rounding this replaces
    step = next(s for s in walkthrough().backward if s.label == "BP4, hidden layer")
    assert "0.000995425" in shown(step)["display"] and "0.000995426" not in shown(step)["display"]
    assert decimal_string(sp.Rational(1, 400), places=3) == "0.002"  # a rational tie: half to even, exactly
    assert decimal_string(sp.Rational(1, 400) + sp.Rational(1, 10**40), places=3) == "0.003"
    assert decimal_string(-sp.Rational(1, 3), digits=4) == "-0.3333"


def test_worked_example_page_shows_the_halved_loss_and_its_gradient() -> None:
    from nnmath.topics.worked_example.record import present

    page = present()["worked-example"]
    assert page["source"].startswith("https://mattmazur.com/2015/03/17/")
    assert page["output_gradient"].endswith("= a^{2}_{i} - y_{i}")
    assert r"\frac{\sum_{i=1}^{2}" in page["cost"] and page["cost"].endswith("{2}")


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
    assert [e["label"][:3] for e in equations] == ["The", "BP1", "BP1", "BP2", "BP3", "BP4"]
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
