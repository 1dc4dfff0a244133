"""The textbook presentation layer: maths printed the way a textbook writes it, pinned to the exact LaTeX.

Every expected string below is what a student reads on the pages; each comes from SymPy through
:class:`derive.printing.textbook.TextbookLatexPrinter`, never from a typed formula.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sympy as sp

from derive.calculus.derivation import derive, equal, line_value
from derive.calculus.functions import sigmoid
from derive.calculus.indexed import indexed_line_value
from derive.catalogue import get
from derive.printing import formulas
from derive.printing.textbook import latex, pretty, update
from derive.topics import backpropagation as bp
from derive.topics import convolution as cv
from derive.topics.gradient_descent import rules
from nnmath.topics.backpropagation.formulas import chain_rule
from nnmath.topics.catalogue.entry import entry_record
from nnmath.topics.gradient_descent.formulas import update_step
from nnmath.topics.practice.formulas import finite_differences

ROOT = Path(__file__).resolve().parents[1]
a, y, w, x, b, z, h = sp.symbols("a y w x b z h", real=True)


def test_positive_term_first_and_the_variable_of_interest_first() -> None:
    assert latex(-y + a) == "a - y"
    assert latex(b + w * x) == "w x + b"
    assert latex(1 - sigmoid(z)) == r"1 - \sigma\left(z\right)"
    assert latex(1 + sp.exp(-x)) == r"1 + e^{- x}"  # a constant before a function value
    assert latex(x + 1) == "x + 1"  # and after anything else
    W, C, eta = sp.symbols("W C eta", real=True)  # noqa: N806
    assert latex(W + sp.MatrixSymbol("x", 1, 1)[0, 0] * W) != ""  # printable, whatever the operands
    assert latex(update(W, W - eta * sp.Derivative(C, W))) == r"W \leftarrow W - \eta \frac{\partial C}{\partial W}"


def test_factors_in_textbook_order() -> None:
    assert latex(sigmoid(z) * (1 - sigmoid(z))) == r"\sigma\left(z\right) \left(1 - \sigma\left(z\right)\right)"
    assert latex(sp.factor(2 * a - 2 * y)) == r"2 \left(a - y\right)"  # the minus taken into the difference
    p, beta, g = sp.symbols("p beta g", positive=True)
    assert latex(p * (1 - p)) == r"p \left(1 - p\right)"
    assert latex((1 - beta) * g) == r"\left(1 - \beta\right) g"
    assert latex((1 - y) * sp.log(1 - p)) == r"\left(1 - y\right) \log{\left(1 - p \right)}"


def test_chain_rule_page_keeps_the_named_intermediates() -> None:
    """L = (a − y)², a = σ(z), z = w x + b: ∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w = 2(a − y) · σ(z)(1 − σ(z)) · x."""
    page = chain_rule()
    assert page["neuron"] == "z = w x + b"
    assert page["activated"] == r"a = \sigma\left(z\right)"
    assert page["loss_of"] == r"L = \left(a - y\right)^{2}"
    rows = [s["expr"] for s in page["derivation"]["steps"]]
    assert rows[0] == (
        r"\frac{\partial L}{\partial a} \cdot \frac{\partial a}{\partial z} \cdot \frac{\partial z}{\partial w}"
    )
    product = r"2 \left(a - y\right) \cdot \sigma\left(z\right) \left(1 - \sigma\left(z\right)\right) \cdot x"
    assert rows[-1] == product
    assert page["result"] == (
        r"\frac{\partial L}{\partial w} = " + product + r", \quad \text{where } a = \sigma\left(z\right),\ z = w x + b"
    )
    assert page["derivation"]["display"].startswith("\\begin{aligned}\n\\frac{\\partial L}{\\partial w} &= ")
    assert page["proven"] and bp.chain_rule_holds(bp.chain_rule_derivation())


def test_step_annotations_stand_right_of_each_line_in_upright_text() -> None:
    display = entry_record(get("sigmoid"))["derivations"][0]["display"]
    lines = display.split("\n")[1:-1]
    assert lines[0].startswith(r"\frac{d}{d x} \frac{1}{1 + e^{- x}} &= ")
    for line in lines:
        relation, _, note = line.partition(" && ")
        assert "&= " in relation and "\\text" not in relation  # nothing typeset left of "="
        assert note.startswith(r"\text{(") and note.rstrip(" \\").endswith(")}")
    assert formulas.annotation(r"cancel $p_k$") == r"cancel $p_k$"
    assert formulas.annotation("a_b") == r"a\_b"


def test_sigmoid_derivative_ends_at_sigma_times_one_minus_sigma() -> None:
    (d,) = derive(get("sigmoid")).steps
    assert latex(d.steps[-1].expr) == r"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)"
    assert equal(d.steps[-1].expr, sp.diff(d.expr, d.wrt))


def test_softmax_cross_entropy_reaches_p_minus_y_in_at_most_six_steps_through_the_jacobian() -> None:
    entry = get("categorical_cross_entropy_logits")
    (d,) = derive(entry).steps
    assert len(d.steps) <= 6
    assert latex(d.steps[-1].expr) == "{p}_{i} - {y}_{i}"
    assert [s.rule for s in d.steps][:2] == ["chain rule", "softmax Jacobian"]
    assert latex(d.steps[1].expr) == (
        r"- \sum_{k=1}^{K} \frac{{y}_{k}}{{p}_{k}} \cdot {p}_{k} \left(\delta_{i k} - {p}_{i}\right)"
    )
    derivative = sp.diff(entry.expr, entry.components[entry.wrt][0])
    for step in d.steps:  # every line, at K = 3 and i = 1, is SymPy's derivative
        assert equal(indexed_line_value(step.expr), derivative, entry.given), step.rule
    for free in (2, 3):  # and at the other components
        assert equal(
            indexed_line_value(d.steps[-1].expr, free=free),
            sp.diff(entry.expr, entry.components[entry.wrt][free - 1]),
            entry.given,
        )


def test_softmax_is_defined_by_its_textbook_form_and_its_jacobian_written_with_p() -> None:
    record = entry_record(get("softmax"))
    assert record["definition"].endswith(r"= \frac{e^{{z}_{i}}}{\sum_{j=1}^{K} e^{{z}_{j}}}")
    assert record["gradient"][0].endswith(r"= p_{i} \left(1 - p_{i}\right)")
    assert record["gradient"][1].startswith(r"\frac{\partial {\operatorname{softmax}")
    assert r"= - p_{i} p_{j}" in record["gradient"][1]
    assert record["named"] == r"\text{where } p_{i} = \operatorname{softmax}\left(\mathbf{z}\right)_{i}"
    assert "709" in record["stable"]["reason"] and r"\operatorname{LSE}" in record["stable"]["formula"]
    diagonal, off = derive(get("softmax")).steps
    assert latex(diagonal.steps[-1].expr) == r"p_{1} \left(1 - p_{1}\right)"
    assert latex(off.steps[-1].expr) == r"- p_{1} p_{2}"
    assert equal(line_value(get("softmax"), off.steps[-1].expr), sp.diff(off.expr, off.wrt))


def test_textbook_definitions_of_gelu_and_binary_cross_entropy() -> None:
    assert entry_record(get("gelu"))["definition"].startswith(
        r"\operatorname{gelu}{\left(x \right)} = x \Phi\left(x\right)"
    )
    bce = entry_record(get("binary_cross_entropy"))["definition"]
    assert bce == (
        r"L{\left(p,y \right)} = - \left(y \log{\left(p \right)} + \left(1 - y\right) \log{\left(1 - p \right)}\right)"
    )
    softplus = entry_record(get("softplus"))
    assert softplus["stable"]["formula"].endswith(
        r"= \max\left(0, x\right) + \log{\left(1 + e^{- \left|{x}\right|} \right)}"
    )


def test_update_rule_finite_difference_and_convolution_output_size() -> None:
    assert update_step()["step"] == r"w \leftarrow w - \eta g"
    assert latex(rules()["gradient_step"]) == r"w \leftarrow w - \eta g"
    fd = finite_differences()
    assert fd["central"].endswith(r"\approx \frac{f{\left(x + h \right)} - f{\left(x - h \right)}}{2 h}")
    (size, _) = cv.output_size_equations(2)
    assert latex(size) == r"L_{1} = \left\lfloor{\frac{N_{1} + 2 p_{1} - K_{1}}{s_{1}}}\right\rfloor + 1"


def test_pretty_printer_draws_the_same_textbook_form() -> None:
    assert pretty(sigmoid(x) * (1 - sigmoid(x))) == "σ(x)⋅(1 - σ(x))"
    assert pretty(sigmoid(x) * (1 - sigmoid(x)), unicode=False) == "sigma(x)*(1 - sigma(x))"
    assert pretty(sp.Mul(sp.factor(2 * a - 2 * y), sigmoid(z) * (1 - sigmoid(z)), x, evaluate=False)) == (
        "2⋅(a - y) · σ(z)⋅(1 - σ(z)) · x"
    )


def _derive(name: str, **env: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "nnmath.cli", "derive", name],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        timeout=600,
        check=True,
    )
    return run.stdout.decode(env.get("PYTHONIOENCODING", "utf-8"))


def test_cli_draws_unicode_on_a_utf8_terminal_and_ascii_otherwise() -> None:
    unicode = _derive("sigmoid", PYTHONIOENCODING="utf-8")
    assert "σ(x)⋅(1 - σ(x))" in unicode and "───────" in unicode and "Derivative(" not in unicode
    assert "(write with σ(x))" in unicode
    ascii_ = _derive("sigmoid", PYTHONIOENCODING="ascii")
    assert ascii_.isascii() and "sigma(x)*(1 - sigma(x))" in ascii_ and "-------" in ascii_
    assert "Derivative(" not in ascii_ and "?" not in ascii_.replace("?)", "")
    cce = _derive("categorical_cross_entropy_logits", PYTHONIOENCODING="utf-8")
    assert "= pᵢ - yᵢ" in cce and "(softmax Jacobian)" in cce


def test_a_number_times_a_surd_is_a_coefficient_not_a_chain_product() -> None:
    """2√2 x (3κx² + 1) is an ordinary coefficient (no ·); two written numbers keep their · (2 · 3)."""
    x, kappa = sp.symbols("x kappa", real=True)
    assert latex(-2 * sp.sqrt(2) * x * (3 * kappa * x**2 + 1)) == r"- 2 \sqrt{2} x \left(3 \kappa x^{2} + 1\right)"
    assert latex(sp.Mul(2, 3, x, evaluate=False)) == r"2 \cdot 3 x"
    shown = entry_record(get("gelu_tanh"))["gradient"][0]
    assert r"\cdot" not in shown and r"2 \sqrt{2} x" in shown


def test_a_max_before_a_log_and_the_old_value_first_in_a_moving_average() -> None:
    """softplus runs as max(0, x) + log(1 + e^{−|x|}); Adam's moment reads β₁ m + (1 − β₁) g (printer rules)."""
    from nnmath.topics.optimisers.formulas import bias_correction, rules

    softplus = r"\max\left(0, x\right) + \log{\left(1 + e^{- \left|{x}\right|} \right)}"
    assert latex(get("softplus").stable) == softplus
    assert latex(get("log_sigmoid").stable).startswith(r"- \max\left(0, - x\right) - \log")
    assert latex(get("binary_cross_entropy_logits").stable).startswith(r"\left(1 - y\right) z + \max")
    adam = rules()[-1]["updates"]
    assert adam[0] == r"m \leftarrow \beta_{1} m + \left(1 - \beta_{1}\right) g"
    assert adam[1] == r"v \leftarrow \beta_{2} v + \left(1 - \beta_{2}\right) g^{2}"
    assert r"\sqrt{\frac{v}{1 - \beta_{2}^{t}}} + \epsilon" in adam[2]
    assert bias_correction()["step"].startswith(r"m_{t+1} = \beta_{1} m_{t} + \left(1 - \beta_{1}\right) g")


def test_a_rounded_decimal_keeps_its_stated_places() -> None:
    """0.593270 to 6 places prints 0.593270 (not 0.59327); approx to 4 places of ½ + tiny prints 0.5000."""
    from derive.printing.decimals import rounded
    from nnmath.topics.texformat import approx

    assert latex(rounded(sp.Rational(593270, 10**6), places=6)) == "0.593270"
    assert latex(rounded(sp.Rational(-1, 2), digits=3)) == "-0.500"
    assert approx(sp.Rational(1, 2) + sp.sqrt(2) / 10**8) == "0.5000"
    assert approx(sp.Matrix([sp.Rational(1, 2) + sp.sqrt(2) / 10**8, sp.sqrt(2)])) == (
        r"\begin{bmatrix}0.5000\\1.4142\end{bmatrix}"
    )
    assert latex(sp.Float("0.044715")) == "0.044715"  # other floats print as before
