"""The workshop notebooks: cell scripts, both variants, the checks, and real execution with nbclient.

Every notebook runs in the ``python3`` kernel: the solutions variant must run every cell without an error,
with every check cell printing ``✓ correct``; the student variant must run to the end with no traceback in any
output, each check printing one ``not yet: …`` line and handing the next cells a provided value.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import sys

import nbformat
import numpy as np
import pytest
import sympy as sp

from derive.catalogue import get
from nnmath.render.notebooks import cache
from nnmath.render.notebooks.build import (
    NotebookTemplateFailed,
    build,
    dumps,
    file_name,
    notebook,
    render_script,
    source,
    template_name,
)
from nnmath.render.notebooks.cells import YOUR_CODE_HERE, Cell, CellScriptError, parse
from nnmath.render.notebooks.execute import KERNEL, NotebookFailed, check_lines, execute
from nnmath.render.notebooks.page import blocks
from nnmath.topics.backpropagation import formulas as topics
from nnmath.topics.catalogue.entry import entry_record
from nnmath.topics.gradient_descent.formulas import update_step
from nnmath.topics.overfitting.formulas import weight_decay
from nnmath.topics.practice import checks
from nnmath.topics.practice.formulas import batch_equations, finite_differences
from nnmath.topics.practice.parts import PARTS
from nnmath.topics.practice.record import present


@functools.cache
def record() -> dict:
    """The practice topic's record, computed once for the module."""
    return present()


def part(number: int) -> dict:
    """The record of part ``number``."""
    return record()[f"part-{number}"]


# --- the cell script ---------------------------------------------------------------------------

SCRIPT = """%% markdown
# Title
%% exercise
def f(x):
    ### SOLUTION
    return 2 * x
    ### STUDENT
    return ...
    ### END
%% check
assert f(1) == 2
%% code
print(f(3))
"""


def test_a_cell_script_splits_into_cells_and_variants():
    cells = parse(SCRIPT)
    assert [c.kind for c in cells] == ["markdown", "exercise", "check", "code"]
    exercise = cells[1]
    assert exercise.text("solutions") == "def f(x):\n    return 2 * x"
    assert exercise.text("student") == f"def f(x):\n    {YOUR_CODE_HERE}\n    return ..."
    assert cells[2].text("student") == cells[2].text("solutions") == "assert f(1) == 2"


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("text\n%% code\nx = 1\n", r"line 1: text before the first cell header"),
        ("%% python\nx = 1\n", r"line 1: unknown cell kind 'python'"),
        ("%% code\n\n%% code\nx = 1\n", r"line 1: empty code cell"),
        ("%% exercise\nx = 1\n%% check\nassert x\n", r"exercise cell without a ### SOLUTION region"),
        ("%% exercise\n### SOLUTION\nx = 1\n### STUDENT\nx = ...\n### END\n", r"followed by its check cell"),
        ("%% code\nx = 1\n%% check\nassert x\n", r"a check cell must follow an exercise cell"),
        ("%% exercise\n### SOLUTION\nx = 1\n### END\n%% check\nassert x\n", r"### END where ### STUDENT"),
        ("%% exercise\n### SOLUTION\nx = 1\n### STUDENT\nx = ...\n%% check\nassert x\n", r"not closed"),
        ("%% code\n### SOLUTION\nx = 1\n### STUDENT\nx = ...\n### END\n", r"outside an exercise cell"),
        ("%% exercise\n  ### SOLUTION\nx = 1\n### STUDENT\n### END\n%% check\nassert x\n", r"not indented like"),
    ],
)
def test_a_malformed_cell_script_is_one_error_naming_the_line(script, message):
    with pytest.raises(CellScriptError, match=message):
        parse(script)


def test_an_unknown_variant_is_refused():
    with pytest.raises(ValueError, match="unknown variant 'teacher'"):
        Cell("code", "x = 1", 1).text("teacher")


def test_a_template_error_names_the_template(tmp_path):
    (tmp_path / template_name(part(1))).write_text("%% markdown\n{{ t.no_such_formula }}\n")
    with pytest.raises(NotebookTemplateFailed, match=r"part1_linear_algebra\.nb\.j2:2: UndefinedError"):
        render_script({**part(1), "maths": {}}, templates=tmp_path)


def test_exercise_headings_must_match_the_exercise_cells(tmp_path):
    text = "%% markdown\n### {{ exercise() }}\n%% exercise\n### SOLUTION\nx = 1\n### STUDENT\nx = ...\n### END\n"
    text += "%% check\nassert x\n%% markdown\n### {{ exercise() }}\n"
    (tmp_path / template_name(part(1))).write_text(text)
    with pytest.raises(NotebookTemplateFailed, match="1 exercise cells but 2 exercise"):
        render_script({**part(1), "maths": {}}, templates=tmp_path)


# --- the built notebooks -----------------------------------------------------------------------


@functools.cache
def built() -> dict:
    return build([part(p.number) for p in PARTS])


def test_the_record_describes_every_part_with_plain_data():
    assert list(record()) == [p.key for p in PARTS]
    for p in PARTS:
        r = part(p.number)
        assert (r["number"], r["stem"], r["title"], r["practises"]) == (p.number, p.stem, p.title, list(p.practises))
        assert template_name(r) == f"part{p.number}_{p.slug.replace('-', '_')}.nb.j2"

    def plain(value) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, str) or type(value) in (int, float, bool)  # no NumPy, no SymPy

    assert plain(record())


def test_every_part_has_a_valid_student_and_solutions_notebook_with_the_same_cell_ids():
    notebooks = built()
    assert set(notebooks) == {"student", "solutions"}
    for p in PARTS:
        student, solutions = notebooks["student"][p.stem], notebooks["solutions"][p.stem]
        for nb in (student, solutions):
            nbformat.validate(nb)
            assert nb.metadata.kernelspec.name == KERNEL
            assert all(c.get("outputs", []) == [] and c.get("execution_count") is None for c in nb.cells)
        ids = [c.id for c in student.cells]
        assert ids == [c.id for c in solutions.cells] and len(set(ids)) == len(ids)
        assert ids[0] == f"p{p.number}-c01"
        exercises = [c for c in student.cells if "exercise" in c.metadata.get("tags", [])]
        assert len(exercises) == len(solutions.metadata.nnmath.exercises) >= 2
        for cell in exercises:
            assert YOUR_CODE_HERE in cell.source and "### " not in cell.source
        for cell in (c for c in solutions.cells if c.cell_type == "code"):
            assert YOUR_CODE_HERE not in cell.source and "### SOLUTION" not in cell.source
        checks_cells = [c for c in student.cells if "check" in c.metadata.get("tags", [])]
        assert [c.metadata.nnmath.check for c in checks_cells] == solutions.metadata.nnmath.exercises
        headings = re.findall(r"### (Exercise \d\.\d):", "\n".join(c.source for c in student.cells))
        assert headings == [f"Exercise {n}" for n in solutions.metadata.nnmath.exercises]


def test_the_same_sources_give_the_same_bytes():
    first = {v: {k: dumps(nb) for k, nb in nbs.items()} for v, nbs in built().items()}
    second = {v: {k: dumps(nb) for k, nb in nbs.items()} for v, nbs in build().items()}
    assert first == second
    assert all(text.endswith("\n") for nbs in first.values() for text in nbs.values())


def _markdown(p: dict) -> str:
    return "\n".join(c.source for c in built()["solutions"][p["stem"]].cells if c.cell_type == "markdown")


def test_the_maths_is_the_sites_latex():
    dense, chain, equations = topics.dense_layer(), topics.chain_rule(), topics.equations()
    one = _markdown(part(1))
    assert f"$$\n{dense['general']}\n$$" in one and dense["product"] in one and dense["activation"] in one
    assert batch_equations()["columns"] in one and batch_equations()["rows"] in one
    two = _markdown(part(2))
    for name in ("sigmoid", "tanh", "relu", "softplus", "silu"):
        strings = entry_record(get(name))
        assert strings["definition"] in two and all(g in two for g in strings["gradient"])
    steps = chain["derivation"]["display"]
    assert steps in two and chain["result"] in two and r"\text{(chain rule)}" in steps
    assert finite_differences()["central_series"] in two
    three = _markdown(part(3))
    assert all(eq["tex"] in three for eq in equations)
    assert update_step()["step"] in three and weight_decay()["collected"] in three


def test_the_finite_difference_errors_are_sympys_series():
    x, h = sp.symbols("x h", real=True)
    f = sp.Function("f")
    series = sp.series((f(x + h) - f(x - h)) / (2 * h), h, 0, 4).doit().removeO()
    assert sp.simplify(series - sp.Derivative(f(x), x) - h**2 * sp.Derivative(f(x), (x, 3)) / 6) == 0
    assert r"O\left(h^{4}\right)" in finite_differences()["central_series"]
    assert r"O\left(h^{2}\right)" in finite_differences()["forward_series"]


# --- the checks --------------------------------------------------------------------------------

W = np.array([[0.15, 0.2], [0.25, 0.3]])
B = np.array([0.35, 0.35])
X = np.array([[0.05, 1.0, 0.0], [0.1, 0.0, 1.0]])


def said(capsys, check, *args) -> tuple[object, str]:
    """(what ``check(*args)`` returned, the one line it printed); a check never raises and prints one line."""
    returned = check(*args)
    out = capsys.readouterr().out
    assert out.endswith("\n") and out.count("\n") == 1, out
    return returned, out.rstrip("\n")


def not_yet(capsys, name: str, check, *args) -> tuple[object, str]:
    returned, line = said(capsys, check, *args)
    assert line.startswith("not yet: ") and line.endswith(f"; using the provided value for {name} so you can go on")
    return returned, line


def test_a_right_answer_prints_correct_and_is_kept(capsys):
    z = W @ X[:, 0] + B
    assert said(capsys, checks.dense_layer, z, W, X[:, 0], B) == (z, "✓ correct")
    returned, line = said(capsys, checks.batch_layer, W @ X + B[:, None], W, X, B)
    assert line == checks.CORRECT and np.array_equal(returned, W @ X + B[:, None])


def test_a_wrong_answer_says_what_is_wrong_in_one_line_and_gives_the_provided_value(capsys):
    right = W @ X + B[:, None]
    returned, line = not_yet(capsys, "z", checks.dense_layer, ..., W, X[:, 0], B)
    assert line.startswith("not yet: z is still `...`: write your code above;")
    assert np.array_equal(returned, right[:, 0])  # the provided value: SymPy's exact z
    returned, line = not_yet(capsys, "Z", checks.batch_layer, right.T, W, X, B)
    assert line.startswith("not yet: expected shape (2, 3), got (3, 2);") and np.array_equal(returned, right)
    _, line = not_yet(capsys, "Z", checks.batch_layer, W @ X, W, X, B)  # the bias forgotten
    assert re.match(r"not yet: value [0-9.]+ expected [0-9.]+ \(element \[\d, \d\]\): the bias must be", line)
    _, line = not_yet(capsys, "z", checks.dense_layer, np.array([np.nan, 0.0]), W, X[:, 0], B)
    assert "z contains inf or nan" in line


def test_the_forward_pass_check_agrees_with_the_worked_example(capsys):
    from derive.topics.worked_example import worked_example
    from numeric import sigmoid

    ex = worked_example().floats()
    w1, b1, w2, b2, x = ex["W1"], ex["b1"].ravel(), ex["W2"], ex["b2"].ravel(), ex["x"].T
    a2 = sigmoid(sigmoid(x @ w1.T + b1) @ w2.T + b2)
    assert np.max(np.abs(a2 - ex["a2"].T)) < 1e-15
    assert said(capsys, checks.forward_pass, a2, x, w1, b1, w2, b2)[1] == "✓ correct"
    provided, line = not_yet(capsys, "A2", checks.forward_pass, sigmoid(x @ w1.T + b1) @ w2.T + b2, x, w1, b1, w2, b2)
    assert line.startswith("not yet: value ") and np.max(np.abs(provided - a2)) < 1e-15


def test_the_central_difference_check_tells_a_forward_difference_apart(capsys):
    from numeric import sigmoid, sigmoid_grad

    def mine(f, x, h=1e-5):
        return (f(x + h) - f(x - h)) / (2 * h)

    assert said(capsys, checks.central_difference, mine) == (mine, "✓ correct")
    provided, line = not_yet(
        capsys, "central_difference", checks.central_difference, lambda f, x, h=1e-5: (f(x + h) - f(x)) / h
    )
    assert "step by h to both sides" in line
    assert abs(provided(sigmoid, 1.0) - sigmoid_grad(1.0)) < 1e-10  # the derived central difference, lambdified
    _, line = not_yet(capsys, "central_difference", checks.central_difference, lambda f, x, h=1e-5: ...)
    assert "central_difference returns `...`" in line
    _, line = not_yet(capsys, "central_difference", checks.central_difference, lambda f, x, h=1e-5: 1 / 0)
    assert "calling central_difference raised ZeroDivisionError" in line
    assert "should be a function" in not_yet(capsys, "central_difference", checks.central_difference, 3.0)[1]


def test_the_gradient_check_check(capsys):
    xs = np.linspace(-4, 4, 81)
    assert said(capsys, checks.gradient_check, 3e-11, "gelu", xs) == (3e-11, "✓ correct")
    wrong = ((..., "still"), (0.0, "exactly 0"), (1e-3, "above"), (-1.0, "largest of"), ("x", "one number"))
    for value, message in wrong:
        provided, line = not_yet(capsys, "max_error", checks.gradient_check, value, "gelu", xs)
        assert message in line and 0 < provided < 1e-8


def test_the_chain_rule_check_uses_sympys_derivative(capsys):
    from numeric import mse_grad, sigmoid, sigmoid_grad

    w, x, b, y = 0.8, 1.5, -0.2, 1.0
    z = w * x + b
    right = mse_grad(sigmoid(z), y) * sigmoid_grad(z) * x
    assert said(capsys, checks.chain_rule, right, w, x, b, y)[1] == "✓ correct"
    provided, _ = not_yet(capsys, "dL_dw", checks.chain_rule, mse_grad(sigmoid(z), y) * sigmoid_grad(z), w, x, b, y)
    assert abs(provided - right) < 1e-15


def test_the_update_checks_use_derives_rules(capsys):
    from numeric import l2_grad

    w, g = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    assert said(capsys, checks.gradient_step, lambda w, g, lr: w - lr * g)[1] == "✓ correct"
    assert said(capsys, checks.l2_step, lambda w, g, lr, lam: w - lr * (g + l2_grad(w, lam)))[1] == "✓ correct"
    provided, line = not_yet(capsys, "gradient_step", checks.gradient_step, lambda w, g, lr: w + lr * g)
    assert "against the gradient" in line and np.array_equal(provided(w, g, 0.1), w - 0.1 * g)
    provided, line = not_yet(capsys, "l2_step", checks.l2_step, lambda w, g, lr, lam: w - lr * g)
    assert "penalty's gradient" in line and np.allclose(provided(w, g, 0.1, 0.05), w - 0.1 * (g + 0.05 * w))


def _solution_code(nb: nbformat.NotebookNode) -> list[str]:
    """The code lines of the solutions' exercise cells that a student notebook does not have, spaces removed."""
    lines = []
    for cell in nb.cells:
        if "exercise" in cell.metadata.get("tags", []):
            lines += ["".join(line.split()) for line in cell.source.splitlines() if not line.lstrip().startswith("#")]
    return [line for line in lines if line and not line.startswith(("def", '"""'))]


def _shares_code(text: str, code: str, width: int = 6) -> str | None:
    """A piece of ``code`` at least ``width`` characters long, with an operator or a closed call in it, in ``text``."""
    squeezed = "".join(text.split())
    for start in range(len(code)):
        for end in range(start + width, len(code) + 1):
            piece = code[start:end]
            if piece not in squeezed:
                break
            if any(ch in piece for ch in ")[]*+-/@"):  # an expression, not a name or the start of a call
                return piece
    return None


def test_no_hint_gives_the_solution_away():
    solutions = [line for nb in built()["solutions"].values() for line in _solution_code(nb)]
    student = [line for nb in built()["student"].values() for line in _solution_code(nb)]
    solutions = [line for line in solutions if line not in student]  # what the participant writes
    assert len(solutions) >= 8
    for name, hint in checks.HINTS.items():
        for line in solutions:
            code = line.split("=", 1)[1] if "=" in line.split("(")[0] else line.removeprefix("return")
            assert _shares_code(hint, code) is None, (name, hint, line)
    for stem, nb in built()["student"].items():  # nor does an exercise's statement (the markdown just before it)
        solved = built()["solutions"][stem]
        for index, cell in enumerate(nb.cells[1:], 1):
            if "exercise" in cell.metadata.get("tags", []):
                before, own = (
                    nb.cells[index - 1],
                    {"".join(line.split()) for line in solved.cells[index].source.splitlines()},
                )
                for line in [line for line in solutions if line in own]:
                    code = line.split("=", 1)[1] if "=" in line.split("(")[0] else line.removeprefix("return")
                    assert _shares_code(before.source, code, width=8) is None, (before.id, line)
    for old in ("w - lr * grad", "(f(x + h) - f(x - h)) / (2 * h)", "mse_grad(a, y) * sigmoid_grad(z) * x"):
        assert _shares_code(old, "".join(old.split()))  # the test catches the hints of before


def test_no_cell_shows_a_build_setting():
    for variant in built().values():
        for nb in variant.values():
            for cell in nb.cells:
                assert "hashsalt" not in cell.source and "%config" not in cell.source, cell.id


def test_each_notebook_opens_with_its_minutes_questions_and_objectives():
    for p in PARTS:
        for variant in ("student", "solutions"):
            nb = built()[variant][p.stem]
            first = nb.cells[0].source
            assert first.startswith(f"# {p.title}\n") and f"**Time: {p.minutes} minutes**" in first
            assert all(f"- {q}" in first for q in p.questions) and all(f"- {o}" in first for o in p.objectives)
            assert nb.metadata.nnmath.minutes == p.minutes and nb.metadata.nnmath.objectives == list(p.objectives)
    assert 2 <= min(len(p.objectives) for p in PARTS) and all(p.minutes > 0 for p in PARTS)


# --- execution -----------------------------------------------------------------------------------


def test_the_python3_kernel_needs_no_install_step():
    """jupyter_client falls back to ipykernel's own spec with no kernel folder at all, and runs this interpreter."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec = KernelSpecManager(kernel_dirs=[]).get_kernel_spec(KERNEL)
    assert spec.argv[1:3] == ["-m", "ipykernel_launcher"]
    km = KernelManager(kernel_name=KERNEL)
    assert km.format_kernel_cmd()[0] == sys.executable


@functools.cache
def executed(number: int, variant: str) -> nbformat.NotebookNode:
    """The executed notebook; the student variant's failure is returned as the exception."""
    stem = part(number)["stem"]
    try:
        return execute(built()[variant][stem], name=f"{stem} ({variant})").notebook
    except NotebookFailed as e:
        return e


def _check_outputs(nb: nbformat.NotebookNode) -> list[list]:
    return [c.outputs for c in nb.cells if "check" in c.metadata.get("tags", [])]


def _no_traceback(nb: nbformat.NotebookNode) -> None:
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if "Traceback" in o.get("text", "") or o.get("name") == "stderr"]
    assert all(c.execution_count is not None for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("number", [p.number for p in PARTS])
def test_the_solutions_run_without_an_error_and_every_check_prints_correct(number):
    nb = executed(number, "solutions")
    assert not isinstance(nb, NotebookFailed), str(nb)
    _no_traceback(nb)
    for outputs in _check_outputs(nb):
        assert [(o.output_type, o.name, o.text) for o in outputs] == [("stream", "stdout", "✓ correct\n")]
    assert any("image/svg+xml" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))  # every part draws


@pytest.mark.parametrize("number", [p.number for p in PARTS])
def test_the_student_version_runs_to_the_end_and_each_check_says_not_yet_in_one_line(number):
    nb = executed(number, "student")
    assert not isinstance(nb, NotebookFailed), str(nb)  # no cell fails: every check gave a provided value
    _no_traceback(nb)
    lines = check_lines(nb)
    assert len(lines) == len(nb.metadata.nnmath.exercises) >= 2
    for outputs, line in zip(_check_outputs(nb), lines):
        assert len(outputs) == 1 and "\n" not in line
        assert re.fullmatch(
            r"not yet: \S+ (is still|returns) `\.\.\.`: write your code above; "
            r"using the provided value for \S+ so you can go on",
            line,
        ), line
    assert any("image/svg+xml" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def test_execution_is_deterministic():
    stem = part(1)["stem"]
    again = execute(built()["solutions"][stem], name=stem).notebook
    assert dumps(again) == dumps(executed(1, "solutions"))


def test_the_executed_numbers_are_right():
    texts = {
        n: "\n".join(o.get("text", "") for c in executed(n, "solutions").cells for o in c.get("outputs", []))
        for n in (2, 3)
    }
    error = float(re.search(r"largest difference: ([0-9.e+-]+)", texts[2]).group(1))
    assert 0 < error < 1e-8  # GELU's generated gradient against the central difference
    gradients = float(re.search(r"(\d+) parameters, largest difference: ([0-9.e+-]+)", texts[3]).group(2))
    assert gradients < 1e-8  # backpropagation against finite differences
    trainer = float(re.search(r"largest weight difference after \d+ steps: ([0-9.e+-]+)", texts[3]).group(1))
    assert trainer < 1e-10  # numeric.mlp trains to the same weights
    no_penalty, decay = re.findall(r"test cost ([0-9.]+)", texts[3])
    assert float(decay) < float(no_penalty)  # the overfitting demonstration shows what it says


def test_a_failing_cell_is_one_line_naming_the_notebook_and_cell():
    nb = notebook(source(part(1)), "solutions")
    nb.cells = nb.cells[:2]
    nb.cells[1].source = "1 / 0"
    with pytest.raises(NotebookFailed, match=r"^demo: cell 2 \(p1-c02\) raised ZeroDivisionError: division by zero$"):
        execute(nb, name="demo")


def test_the_page_shows_every_cell_and_figure_of_the_executed_solutions():
    nb = executed(3, "solutions")
    cells, figures = blocks(nb)
    assert len(cells) == len(nb.cells)
    assert not cells[0]["text"].startswith("# ")  # the page writes its own title
    svgs = [o for c in nb.cells for o in c.get("outputs", []) if "image/svg+xml" in o.get("data", {})]
    assert len(figures) == len(svgs) >= 4
    assert all(svg.lstrip().startswith("<?xml") for svg in figures.values())
    roles = [c["role"] for c in cells if c["kind"] == "code"]
    assert roles.count("exercise") == roles.count("check") == len(nb.metadata.nnmath.exercises)


def test_the_notebooks_command_writes_both_versions_atomically_and_only_when_changed(tmp_path, capsys):
    from nnmath import cli
    from nnmath.render.outputs import MARKER

    assert cli.main(["notebooks", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip().endswith("(6 written, 0 unchanged)")
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file() and p.name != MARKER)
    assert files == sorted(f"{v}/{file_name(p.stem, v)}" for p in PARTS for v in ("solutions", "student"))
    stem = PARTS[0].stem
    assert (tmp_path / "student" / file_name(stem, "student")).read_text() == dumps(built()["student"][stem])
    assert cli.main(["notebooks", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip().endswith("(0 written, 6 unchanged)")
    (tmp_path / "file").write_text("")
    assert cli.main(["notebooks", "--out", str(tmp_path / "file")]) == 2
    assert capsys.readouterr().err.strip() == f"nnmath: error: --out {tmp_path / 'file'} is a file, not a folder"


def test_an_executed_notebook_is_cached_until_the_notebook_or_a_module_it_imported_changes(monkeypatch, tmp_path):
    monkeypatch.setattr(cache, "CACHE", tmp_path / "cache")
    nb = notebook(source(part(1)), "solutions")
    nb.cells = nb.cells[:2]  # the title and the imports
    assert "import checks" in nb.cells[1].source
    first = cache.executed(nb, "demo")
    assert dumps(first) == dumps(execute(nb, name="demo").notebook)  # the listing cell leaves no trace
    stored = json.loads(cache.cache_file("demo").read_text())
    assert {"nnmath/topics/practice/checks.py", "numeric/__init__.py", "derive/topics/worked_example.py"} <= set(
        stored["files"]
    )

    def not_again(*args, **kwargs):
        raise AssertionError("the notebook ran again")

    monkeypatch.setattr(cache, "execute", not_again)
    assert dumps(cache.executed(nb, "demo")) == dumps(first)  # the same bytes, without running
    edited = copy.deepcopy(nb)
    edited.cells[0].source += "\nOne more line."
    assert cache.load(edited, "demo") is None  # a template edit changes the notebook
    stored["files"]["nnmath/topics/practice/checks.py"] = "0" * 64  # as if checks.py had been edited
    cache.cache_file("demo").write_text(json.dumps(stored))
    assert cache.load(nb, "demo") is None


def test_a_kernel_started_ahead_runs_a_notebook_to_the_same_bytes_and_one_never_taken_is_killed():
    from nnmath.render.notebooks import kernels

    def running(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    nb = notebook(source(part(1)), "solutions")
    nb.cells = nb.cells[:3]
    fresh = dumps(execute(nb, name="demo").notebook)  # in a kernel of its own
    kernels.start_ahead(2)
    ahead = kernels.waiting()
    assert len(ahead) == 2 and all(k.km.has_kernel for k in ahead)
    pids = [k.km.provisioner.process.pid for k in ahead]
    assert dumps(execute(nb, name="demo").notebook) == fresh  # in the first kernel started ahead, which it killed
    assert kernels.waiting() == [ahead[1]] and not running(pids[0])
    kernels.stop_ahead()
    assert kernels.take() is None and not running(pids[1])
