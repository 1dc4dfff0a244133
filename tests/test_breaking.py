"""Long display formulas broken over aligned lines (derive/printing/breaking.py): nothing lost, each line fits."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from derive.printing.breaking import MEASURE_EM, fit, width
from derive.printing.latex import latex

x, y, z, w, b = sp.symbols("x y z w b")

LONG = [
    # a long sum: broken before + and −
    sp.Eq(sp.Symbol("L"), sum(sp.exp(k * x) * sp.log(1 + sp.exp(-k * z)) for k in range(1, 8)), evaluate=False),
    # a fraction whose numerator is a long sum
    sp.Eq(w, sum(sp.tanh(k * x + y) * sp.Symbol(f"g_{k}") for k in range(1, 9)) / (2 * b + y), evaluate=False),
    # a product with a long sum in parentheses
    sp.Eq(
        sp.Derivative(sp.Function("f")(x), x),
        (sum(sp.sqrt(k) * sp.tanh(k * x) * sp.exp(-k * x) for k in range(1, 7)) + 1) * sp.tanh(x**3 + x),
        evaluate=False,
    ),
]

LAYOUT = re.compile(r"\\begin\{(?:aligned|gathered)\}|\\end\{(?:aligned|gathered)\}|\\\\|&|\\quad|\\right\.|\\left\.")


def same_formula(a: str, b: str) -> bool:
    """Equal once the layout markup (environments, row ends, alignment marks, \\quad, \\left. \\right.) is removed."""
    return re.sub(r"\s+", "", LAYOUT.sub("", a)) == re.sub(r"\s+", "", LAYOUT.sub("", b))


@pytest.mark.parametrize("expr", LONG, ids=["sum", "fraction", "parentheses"])
def test_a_long_formula_is_broken_into_lines_that_fit(expr):
    tex = latex(expr)
    assert width(tex) > MEASURE_EM
    broken = fit(tex)
    assert broken.startswith("\\begin{aligned}") and broken.count("\\\\") >= 2  # two lines at least
    assert width(broken) <= MEASURE_EM  # the aligned display is as wide as its widest row
    assert same_formula(broken, tex)


def test_a_formula_that_fits_is_left_as_it_is():
    tex = latex(sp.Eq(sp.Symbol("L"), (y - sp.tanh(w * x + b)) ** 2, evaluate=False))
    assert fit(tex) == tex


def test_rows_of_an_aligned_derivation_keep_their_labels():
    terms = " + ".join(rf"\tanh{{\left(\frac{{{k} x}}{{{k + 1}}} \right)}}" for k in range(1, 12))
    tex = "\\begin{aligned}\n& \\frac{d}{dx} f \\\\\n\\text{sum rule} &= " + terms + "\n\\end{aligned}"
    broken = fit(tex)
    assert same_formula(broken, tex)
    assert r"\text{sum rule}" in broken
    rows = broken.split(" \\\\\n")
    assert len(rows) > 3


def test_formulas_side_by_side_go_one_per_row():
    one = latex(sp.Eq(sp.Symbol("m_{\\infty}"), (sp.tanh((x - y) / z) + 1) / 2 + sp.exp(-(x**2)) / 7, evaluate=False))
    tex = one + r", \qquad " + one + r", \qquad " + one
    broken = fit(tex)
    assert broken.startswith("\\begin{gathered}") and broken.count(" \\\\\n") == 2


def test_width_grows_with_the_formula():
    assert width("x") < width("x + y") < width(r"x + y + \frac{a + b + c}{2}")
    assert width(r"\frac{a}{b}") < width("a b")  # a fraction is as wide as its wider part
    assert width("x^{2}") < width("x 2")  # scripts are smaller


def test_annotations_right_of_the_lines_go_below_them_when_there_is_no_room():
    terms = " + ".join(rf"\tanh{{\left(\frac{{{k} x}}{{{k + 1}}} \right)}}" for k in range(1, 7))
    note = r"\text{(sum rule, then the derivative of $\tanh$)}"
    rows = [rf"\frac{{d}}{{dx}} f &= {terms} && {note}", r"&= 0 && \text{(simplify)}"]
    tex = "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
    broken = fit(tex)
    rows = broken.removeprefix("\\begin{aligned}\n").removesuffix("\n\\end{aligned}").split(" \\\\\n")
    assert same_formula(broken, tex)
    assert width(broken) <= MEASURE_EM
    assert rows[-1].strip() == r"& \quad \text{(simplify)}" and rows[-2].strip() == "& = 0"  # the note after its line
    assert any(note in row for row in rows)
