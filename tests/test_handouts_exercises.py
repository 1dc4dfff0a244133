"""Exercise generation (exact, seeded, hand-friendly), the NumPy cross-check, and the LaTeX helpers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jinja2
import numpy as np
import pytest
import sympy as sp

from derive.exercises import MAKERS, activation_pairs, sheet, sheets
from derive.topics.gradient_descent import gradient_step, l2_step, perceptron_step
from nnmath.cli import UserError
from nnmath.render.handouts.build import read_names
from nnmath.render.handouts.texbuild import first_error, parse_log
from nnmath.render.handouts.texrender import TeX, UntypesettableText, escape, render
from nnmath.topics.exercises import sheets as sheets_record
from nnmath.topics.texformat import approx, exact, terminating_decimal
from nnmath.verify.exercise_check import AnswerMismatch, crosscheck, numeric_answers

KEYS = [
    "activation",
    "network",
    "gradient_step",
    "softmax_cross_entropy",
    "l2_update",
    "perceptron",
    "lif",
    "convolution",
]


def _numbers(s) -> list:
    return [(q.label, q.value) for ex in s.exercises for q in (*ex.given, *ex.solution)]


@pytest.fixture(scope="module")
def forty():
    return sheets(2026, 40)


def test_a_sheet_has_the_eight_exercises_in_order() -> None:
    assert [ex.key for ex in sheet(2026, 1).exercises] == KEYS == [m.__name__.removesuffix("_exercise") for m in MAKERS]


def test_same_seed_same_numbers_and_a_participant_does_not_depend_on_the_count() -> None:
    assert _numbers(sheet(2026, 3)) == _numbers(sheet(2026, 3))
    assert _numbers(sheets(2026, 5)[2]) == _numbers(sheet(2026, 3))


def test_different_seeds_and_participants_get_different_numbers(forty) -> None:
    assert _numbers(sheet(2026, 1)) != _numbers(sheet(2027, 1))
    distinct = {str(_numbers(s)) for s in forty}
    assert len(distinct) == len(forty)
    # not just one exercise: most exercises vary across participants
    for i, key in enumerate(KEYS):
        givens = {str([(q.label, q.value) for q in s.exercises[i].given]) for s in forty}
        assert len(givens) >= 8, key


def _atoms_ok(value: sp.Basic) -> bool:
    """Exact: rationals and logarithms of rationals only, no floats."""
    items = list(value) if isinstance(value, sp.MatrixBase) else [value]
    return all(not v.atoms(sp.Float) and v.is_real for v in items)


def test_every_value_is_exact_and_small(forty) -> None:
    for s in forty:
        for ex in s.exercises:
            for q in (*ex.given, *ex.solution):
                assert _atoms_ok(q.value), (s.participant, ex.key, q.label, q.value)
                items = list(q.value) if isinstance(q.value, sp.MatrixBase) else [q.value]
                for v in items:
                    assert abs(float(v)) <= (1000 if ex.key == "lif" else 100), (ex.key, q.label, v)  # lif: Hz
                    if isinstance(v, sp.Rational):
                        assert v.q <= 400, (ex.key, q.label, v)  # denominators a person can handle


def test_exercise_1_is_a_different_activation_or_point_for_every_participant() -> None:
    sixty = sheets(2026, 60)
    pairs = {(s.exercises[0].entries[0], s.exercises[0].value("x")) for s in sixty}
    assert len(pairs) == 60  # was 15 points, all sigmoid
    assert len({name for name, _ in pairs}) >= 5
    assert set(pairs) <= set(activation_pairs(2026)) and len(activation_pairs(2026)) >= 60
    assert sheets(2027, 60)[0].exercises[0] != sixty[0].exercises[0] or sheets(2027, 60)[1] != sixty[1]


def test_exercise_1_stays_solvable_by_hand(forty) -> None:
    from numeric import lookup

    for s in forty:
        act = s.exercises[0]
        x, name = act.value("x"), act.entries[0]
        if x.has(sp.log):  # x = ±ln k: e^x is given, a whole number or its inverse
            k = sp.exp(abs(x))
            assert k.is_Integer and 2 <= k <= 9 and act.value("e^{x}") == sp.exp(x)
        else:  # softsign at a simple fraction
            assert name == "softsign" and isinstance(x, sp.Rational) and x.q <= 4
        fn = lookup(name)
        assert float(act.value("f(x)")) == pytest.approx(float(fn.function(float(x))), rel=1e-14)
        assert float(act.value("f'(x)")) == pytest.approx(float(fn.gradient(float(x))), rel=1e-14)
        for q in act.solution:  # a short exact form: rationals and logarithms of small whole numbers
            assert all(a.is_Rational or a.func in (sp.log,) for a in sp.preorder_traversal(q.value) if not a.args)
            assert all(int(arg) <= 10 for lg in q.value.atoms(sp.log) for arg in [lg.args[0]]), (name, q.value)


def test_same_difficulty_constraints_hold(forty) -> None:
    for s in forty:
        _, net, gd, smx, l2, per, lif, conv = s.exercises
        z1 = list(net.value(r"\mathbf{z}^{1}"))
        assert sorted(sp.sign(v) for v in z1) == [-1, 1]  # exactly one active hidden ReLU
        assert net.value("z^{2}") > 0 and net.value("C") > 0
        assert gd.value(r"C_{\text{new}}") < gd.value("C")  # the step lowers the loss
        p = list(smx.value(r"\mathbf{p}"))
        assert sum(p) == 1 and all(isinstance(v, sp.Rational) for v in p)
        assert l2.value(r"1 - \eta\lambda") < 1
        assert per.value(r"\hat{y}") != per.value("y") and per.value("z") != 0  # a misclassified example
        assert conv.value("L") in (2, 3) and all(q.value != 0 for q in conv.answers)  # at most nine products
        assert lif.value(r"I \text{ (nA)}") > lif.value(r"I_{rh} \text{ (nA)}")  # the neuron fires


def test_known_sheet_values() -> None:
    """Sheet 1 of seed 2026, recomputed by hand."""
    act, net, gd, smx, l2, per, lif, conv = sheet(2026, 1).exercises
    assert act.entries == ("log_sigmoid",) and act.value("x") == -sp.log(6)
    assert act.value("f(x)") == -sp.log(7) and act.value("f'(x)") == sp.Rational(6, 7)  # ln σ(x), 1 − σ(x)
    assert net.value(r"\mathbf{z}^{1}") == sp.Matrix([1, -2])
    assert net.value(r"\partial C / \partial W^{1}") == sp.Matrix([[8, 8], [0, 0]])
    assert gd.value(r"\mathbf{w}_{\text{new}}") == sp.Matrix([[sp.Rational(-3, 5), sp.Rational(7, 5)]])
    assert smx.value("C") == sp.log(sp.Rational(9, 2))
    assert smx.value(r"\partial C / \partial \mathbf{z}") == sp.Matrix(
        [sp.Rational(-7, 9), sp.Rational(1, 3), sp.Rational(4, 9)]
    )
    assert l2.value(r"\mathbf{w}_{\text{new}}") == sp.Matrix([sp.Rational(61, 20), sp.Rational(-53, 20)])
    assert per.value(r"\mathbf{w}_{\text{new}}") == sp.Matrix([1, 2]) and per.value(r"b_{\text{new}}") == -2
    # 5×5 input, 2×2 kernel, stride 2, no padding: L = ⌊3/2⌋ + 1 = 2
    assert conv.value("L") == 2 and conv.value("y_{1,0}") == 1  # x₂₁ + x₃₁ = 2 − 1
    assert conv.value(r"\partial C / \partial w_{1,0}") == 3  # x₁₀ + x₁₂ + x₃₀ + x₃₂ = 1 + 1 − 1 + 2
    # R I = 20 · 9/8 = 22.5 mV = 1.5 × the 15 mV gap: t* = τ ln(1.5/0.5) = 5 ln 3
    assert lif.value(r"I_{rh} \text{ (nA)}") == sp.Rational(3, 4) and lif.value(r"t^{*} \text{ (ms)}") == 5 * sp.log(3)


def test_convolution_answers_equal_a_plain_numpy_convolution(forty) -> None:
    for s in forty:
        conv = s.exercises[7]
        x = np.array(conv.value(r"\mathbf{x}").tolist(), dtype=float)
        w = np.array(conv.value(r"\mathbf{w}").tolist(), dtype=float)
        stride, padding = int(conv.value("s")), int(conv.value("p"))
        padded = np.pad(x, padding)
        size = (padded.shape[0] - w.shape[0]) // stride + 1
        windows = [
            [padded[stride * i : stride * i + w.shape[0], stride * j : stride * j + w.shape[1]] for j in range(size)]
            for i in range(size)
        ]
        y = np.array([[np.sum(win * w) for win in row] for row in windows])
        dw = sum(win for row in windows for win in row)  # C = Σ y: each window once
        assert conv.value("L") == size
        for q in conv.answers:
            if q.label.startswith("y_"):
                i, j = map(int, q.label[3:-1].split(","))
                assert float(q.value) == y[i, j]
            elif "w_" in q.label:
                row, column = map(int, q.label.split("w_{")[1][:-1].split(","))
                assert float(q.value) == dw[row, column]


def test_lif_answers_equal_the_simulator() -> None:
    from numeric.lif import simulate

    for s in sheets(2026, 6):
        lif = s.exercises[6]
        tau, r, rest, threshold, t_ref, current = (float(q.value) for q in lif.given)
        parameters = {"tau": tau, "R": r, "V_rest": rest, "V_th": threshold, "V_reset": rest, "t_ref": t_ref}
        t_star, rate = float(lif.value(r"t^{*} \text{ (ms)}")), float(lif.value(r"f \text{ (Hz)}"))
        run = simulate(current, 5 * (t_star + t_ref), parameters, sample=1.0, max_spikes=4)
        assert run.spikes[0] == pytest.approx(t_star, rel=1e-7)
        assert 1000 * run.rate() == pytest.approx(rate, rel=1e-6)


def test_the_layout_gives_every_exercise_half_a_page_and_more_when_it_asks_for_many_values() -> None:
    from nnmath.topics.exercises.sheets import HALVES, MANY_VALUES, PAGES_PER_SHEET, layout

    pages = layout(KEYS)
    assert [i for page in pages for i in page] == list(range(len(KEYS)))  # in order, each once
    assert all(sum(HALVES[KEYS[i]] for i in page) <= 2 for page in pages)  # two halves a page at most
    assert all(HALVES[key] >= 1 for key in KEYS) and PAGES_PER_SHEET == len(pages)
    for ex in sheet(2026, 1).exercises:
        if len(ex.answers) >= MANY_VALUES:
            assert HALVES[ex.key] == 2, ex.key  # the forward and backward pass (11 values) gets a whole page
    assert HALVES["network"] == 2


def test_the_same_seed_gives_the_same_record() -> None:
    assert sheets_record.present(2026, 4) == sheets_record.present(2026, 4)
    assert sheets_record.present(2026, 4) != sheets_record.present(2027, 4)


def test_update_rules() -> None:
    w, g, lr, lam = sp.Integer(2), sp.Integer(1), sp.Rational(1, 2), sp.Rational(1, 10)
    assert gradient_step(w, g, lr) == sp.Rational(3, 2)
    assert l2_step(w, g, lr, lam) == (1 - lr * lam) * w - lr * g
    assert perceptron_step(sp.Matrix([1, 0]), sp.Matrix([2, -1]), 1, lr) == sp.Matrix([2, sp.Rational(-1, 2)])


def test_numpy_crosscheck_agrees_for_every_participant(forty) -> None:
    for s in forty:
        assert crosscheck(s) < 1e-12
    recomputed = numeric_answers(forty[0].exercises[3])
    assert np.isclose(recomputed[r"\mathbf{p}"].sum(), 1.0)


def test_crosscheck_catches_a_wrong_answer() -> None:
    s = sheet(2026, 1)
    ex = s.exercises[1]
    wrong = tuple(dataclasses.replace(q, value=q.value + 1) if q.label == "C" else q for q in ex.solution)
    bad = dataclasses.replace(s, exercises=(s.exercises[0], dataclasses.replace(ex, solution=wrong), *s.exercises[2:]))
    with pytest.raises(AnswerMismatch, match="network"):
        crosscheck(bad)


def page_numbers(page: list[dict]) -> list[int]:
    return [ex["number"] for ex in page]


def test_the_sheets_record_prints_every_exercise_of_every_participant() -> None:
    record = sheets_record.present(2026, 2, names=["Ada Lovelace", "Zoë O'Neil"])
    assert [s["label"] for s in record["sheets"]] == ["Ada Lovelace", "Zoë O'Neil"]
    first = record["sheets"][0]["exercises"]
    assert [ex["number"] for ex in first] == list(range(1, len(MAKERS) + 1))
    assert [ex["title"] for ex in first] == [sheets_record.TASKS[key][0] for key in KEYS]
    activation = first[0]
    x = {"label": "x", "value": r"- \log{\left(6 \right)}", "approx": "-1.7918", "asked": True}
    assert activation["given"][0] == x
    assert [q["value"] for q in activation["solution"] if q["asked"]] == [r"- \log{\left(7 \right)}", r"\frac{6}{7}"]
    assert [page_numbers(page) for page in record["sheets"][0]["pages"]] == [[1], [2], [3], [4, 5], [6, 7], [8]]
    assert {ex["height"] for ex in first} == {"0.99", "0.49"}
    assert all(isinstance(label, TeX) for ex in first for label in ex["asked"])
    assert sheets_record.present(2026, 1)["sheets"][0]["label"] == "Participant 1"


# --- LaTeX helpers ------------------------------------------------------------------------------


def test_numbers_are_shown_as_a_person_writes_them() -> None:
    assert terminating_decimal(sp.Rational(3, 16)) == "0.1875"
    assert terminating_decimal(sp.Rational(-57, 20)) == "-2.85"
    assert terminating_decimal(sp.Rational(1, 3)) is None
    assert exact(sp.Rational(-1, 8)) == "-0.125" and approx(sp.Rational(-1, 8)) is None
    assert exact(sp.Rational(6, 49)) == r"\frac{6}{49}" and approx(sp.Rational(6, 49)) == "0.1224"
    assert approx(sp.log(11)) == "2.3979"
    assert exact(sp.Matrix([1, sp.Rational(1, 2)])) == r"\begin{bmatrix}1\\0.5\end{bmatrix}"


def test_escape_text() -> None:
    assert escape("50% of x_1 & y #2 {a} ~ ^ \\") == (
        r"50\% of x\_1 \& y \#2 \{a\} \textasciitilde{} \textasciicircum{} \textbackslash{}"
    )
    assert escape("σ(x) − 1 ≤ λ ∈ ŷ") == (
        r"\ensuremath{\sigma}(x) \ensuremath{-} 1 \ensuremath{\leq} "
        r"\ensuremath{\lambda} \ensuremath{\in} \ensuremath{\hat{y}}"
    )
    assert escape("Zoë Łukasz") == "Zoë Łukasz"
    assert escape(TeX(r"\frac{1}{2}")) == r"\frac{1}{2}"
    with pytest.raises(UntypesettableText, match="U\\+4E2D"):
        escape("中")


def test_every_catalogue_text_can_be_typeset() -> None:
    from derive.catalogue import entries

    for e in entries():
        for text in (e.title, e.summary, e.convention, e.identity_note):
            escape(text)


def test_templates_escape_values_and_refuse_undefined(tmp_path: Path) -> None:
    (tmp_path / "t.tex").write_text(r"\VAR{text} $\VAR{maths}$ \BLOCK{for x in xs}[\VAR{x}]\BLOCK{endfor}")
    out = render("t.tex", {"text": "a_b", "maths": TeX(r"\sigma_1"), "xs": [1, "%"]}, tmp_path)
    assert out == r"a\_b $\sigma_1$ [1][\%]"
    with pytest.raises(jinja2.UndefinedError):
        render("t.tex", {"text": "a"}, tmp_path)


LOG = r"""This is pdfTeX, Version 3.141592653-2.6-1.40.24
Overfull \hbox (12.5pt too wide) in paragraph at lines 10--12
Overfull \hbox (0.3pt too wide) in paragraph at lines 20--21
LaTeX Warning: Reference `fig:a' on page 2 undefined on input line 30.
./sheets.tex:57: Undefined control sequence.
Output written on sheets.pdf (6 pages, 1234 bytes).
"""


def test_log_parsing() -> None:
    r = parse_log(LOG)
    assert r.pages == 6
    assert [w for w, _ in r.overfull] == [12.5, 0.3]
    assert r.undefined == ("fig:a",)
    assert first_error(LOG) == "sheets.tex line 57: Undefined control sequence."
    assert first_error("! LaTeX Error: File `x.sty' not found.") == "LaTeX Error: File `x.sty' not found."


def test_read_names(tmp_path: Path) -> None:
    f = tmp_path / "names.txt"
    f.write_text("# workshop\nAda Lovelace\n\n  Zoë O'Neil & Co  \n")
    assert read_names(f) == ["Ada Lovelace", "Zoë O'Neil & Co"]
    f.write_text("Ada\n中文\n")
    with pytest.raises(UserError, match="name 2"):
        read_names(f)
    f.write_text("\n# nobody\n")
    with pytest.raises(UserError, match="no names"):
        read_names(f)
