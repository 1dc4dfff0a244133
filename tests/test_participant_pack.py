"""The participant pack (``kit/participants/``): notebooks that run with NumPy, Matplotlib and Jupyter alone.

The pack's module is generated (never retyped) and imports only NumPy; its data equal scikit-learn's and the
worked example's; and — the test that matters — every solution notebook of the pack runs in a fresh virtual
environment with only numpy, matplotlib, ipykernel and nbclient (no SymPy, no nnmath, no scikit-learn),
every check printing ``✓ correct``, and the exercise notebooks run too, each check saying ``not yet``.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nnmath.render.notebooks.build import build, practice_parts
from nnmath.render.pack.build import FOLDER, REQUIREMENTS, SOLUTIONS_FOLDER, build_pack
from nnmath.render.pack.module import MODULE, moons, used_entries
from nnmath.topics.practice.checks import CORRECT

RUNNER = Path(__file__).parent / "pack" / "run_pack.py"
VENV_PACKAGES = ("numpy>=1.26", "matplotlib>=3.8", "ipykernel", "nbclient")
ALLOWED_IMPORTS = {"__future__", "base64", "sys", "types", "collections.abc", "numpy"}


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    return build_pack(tmp_path_factory.mktemp("kit"))


@pytest.fixture(scope="module")
def module(pack):
    spec = importlib.util.spec_from_file_location(MODULE, pack.folder / f"{MODULE}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _code(paths: list[Path]) -> str:
    return "\n".join(c.source for p in paths for c in nbformat.read(p, as_version=4).cells if c.cell_type == "code")


def test_the_pack_holds_notebooks_module_requirements_and_readme(pack):
    assert pack.folder.name == FOLDER and pack.solutions.name == SOLUTIONS_FOLDER
    parts = practice_parts()
    assert [p.name for p in pack.notebooks] == [f"{p['stem']}.ipynb" for p in parts]
    assert [p.name for p in pack.solution_notebooks] == [f"{p['stem']}-solutions.ipynb" for p in parts]
    for folder in (pack.folder, pack.solutions):
        assert (folder / "requirements.txt").read_text() == "numpy>=1.26\nmatplotlib>=3.8\njupyterlab>=4\n"
        assert (folder / f"{MODULE}.py").read_bytes() == (pack.folder / f"{MODULE}.py").read_bytes()
    assert list(REQUIREMENTS) == ["numpy>=1.26", "matplotlib>=3.8", "jupyterlab>=4"]
    assert not any("solutions" in p.name for p in pack.folder.iterdir())  # the hand-out has no answers
    readme = (pack.folder / "README.md").read_text()
    for text in ("python3 -m venv .venv", ".venv/bin/pip install -r requirements.txt", ".venv/bin/jupyter lab"):
        assert text in readme
    assert r".venv\Scripts\pip install -r requirements.txt" in readme and "Colab" in readme
    for p in parts:
        assert f"| `{p['stem']}.ipynb` | {p['title']} | {p['minutes']} |" in readme


def test_the_module_imports_only_numpy(pack):
    tree = ast.parse((pack.folder / f"{MODULE}.py").read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported == ALLOWED_IMPORTS


def test_the_pack_notebooks_import_the_pack_module_not_the_project(pack):
    code = _code(pack.notebooks + pack.solution_notebooks)
    imports = {line.strip() for line in code.splitlines() if re.match(r"\s*(import|from) ", line)}
    assert imports == {
        "import matplotlib.pyplot as plt",
        "import numpy as np",
        f"import {MODULE} as numeric  # the generated NumPy functions: {MODULE}.py, beside this notebook",
        f"from {MODULE} import checks, worked_example",
        f"from {MODULE} import checks",
        f"from {MODULE} import checks, make_moons  # make_moons: scikit-learn's data, stored in the module",
    }
    for name in ("sympy", "sklearn", "derive", "nnmath.", "numeric.mlp"):
        assert name not in code


def test_one_template_gives_both_targets_with_the_same_cell_ids(pack):
    course, packed = build(target="course"), build(target="pack")
    for variant, by_stem in packed.items():
        for stem, nb in by_stem.items():
            by_id = {c.id: c for c in course[variant][stem].cells}
            own = [c for c in nb.cells if c.id not in by_id]
            assert [c.source.splitlines()[-2] for c in own] == [
                f"import {MODULE} as numeric  # the generated NumPy functions: {MODULE}.py, beside this notebook"
            ]
            assert all(c.source == by_id[c.id].source for c in nb.cells if c.id in by_id)  # the rest is the same text
            assert nb.metadata.nnmath == course[variant][stem].metadata.nnmath
            left_out = [c for c in course[variant][stem].cells if c.id not in {d.id for d in nb.cells}]
            assert 1 < len(left_out) <= 5  # the import cell, and what needs SymPy or numeric.mlp


def test_the_module_holds_exactly_the_generated_functions_the_notebooks_use(pack, module):
    import numeric

    code = _code(pack.notebooks + pack.solution_notebooks)
    for name in set(re.findall(r"\bnumeric\.(\w+)", code)):
        assert hasattr(module, name), name
    entries = used_entries(code)
    assert list(module.CATALOGUE) == entries
    assert {"sigmoid", "tanh", "relu", "softplus", "silu", "mse", "binary_cross_entropy_logits", "l2"} == set(entries)
    source = (pack.folder / f"{MODULE}.py").read_text(encoding="utf-8")
    xs = np.linspace(-30.0, 30.0, 601)
    for name in entries:
        for f in (name, f"{name}_grad"):
            assert inspect.getsource(getattr(numeric, f)) in source  # copied, not retyped
            args = (xs, np.tanh(xs)) if module.CATALOGUE[name][0].__code__.co_argcount == 2 else (xs,)
            np.testing.assert_array_equal(getattr(module, f)(*args), getattr(numeric, f)(*args))
    assert "derived_dense_layer" in source and "Generated from a derivation in ``derive/``" in source


def test_the_data_are_scikit_learns_and_the_worked_examples(module):
    from derive.topics.worked_example import worked_example

    x, labels = module.make_moons(n_samples=440, noise=0.3, random_state=0)
    sk_x, sk_labels = moons()
    assert x.dtype == sk_x.dtype and labels.dtype == sk_labels.dtype
    np.testing.assert_array_equal(x, sk_x)
    np.testing.assert_array_equal(labels, sk_labels)
    with pytest.raises(ValueError, match="holds make_moons"):
        module.make_moons(n_samples=100)
    exact = worked_example().floats()
    ours = module.worked_example().floats()
    assert ours.keys() == exact.keys()
    for name, value in exact.items():
        np.testing.assert_array_equal(ours[name], value)


def test_the_pack_checks_agree_with_the_courses(module, capsys):
    from nnmath.topics.practice import checks

    rng = np.random.default_rng(3)
    w, x, b = rng.normal(size=(2, 2)), rng.normal(size=2), rng.normal(size=2)
    assert module.checks.dense_layer(w @ x + b, w, x, b) is not None
    assert capsys.readouterr().out == f"{CORRECT}\n"
    wrong = module.checks.dense_layer(w @ x, w, x, b)
    line = capsys.readouterr().out
    assert line.startswith("not yet: value") and checks.HINTS["dense_layer"] in line
    np.testing.assert_allclose(wrong, w @ x + b, rtol=1e-15)
    assert module.checks.chain_rule(0.1, 0.8, 1.5, -0.2, 1.0) == pytest.approx(
        checks.chain_rule(0.1, 0.8, 1.5, -0.2, 1.0), rel=1e-14
    )
    capsys.readouterr()
    forward = module.checks.central_difference(lambda f, x, h=1e-5: (f(x + h) - f(x)) / h)
    assert capsys.readouterr().out.startswith("not yet: value")
    assert forward(np.sin, 0.0) == pytest.approx(1.0, abs=1e-9)  # the provided, derived central difference
    for name in ("gradient_step", "l2_step"):
        getattr(module.checks, name)(lambda w, g, lr, *lam: w + lr * g)
        assert capsys.readouterr().out.startswith("not yet: value")


def _clean_env(**extra: str) -> dict[str, str]:
    """PATH, HOME and pip's own settings only: no PYTHONPATH, no virtual environment of the caller."""
    keep = {k: v for k, v in os.environ.items() if k.startswith("PIP_") or k in ("HOME", "LANG", "TMPDIR")}
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", **keep, **extra}


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> tuple[Path, dict[str, float]]:
    """A new virtual environment (no system site packages) with only numpy, matplotlib, ipykernel and nbclient."""
    venv = tmp_path_factory.mktemp("venv") / "pack-env"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=_clean_env(), timeout=120)
    created = time.perf_counter() - started
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *VENV_PACKAGES],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=600,
    )
    if install.returncode != 0:
        tail = " ".join(install.stderr.strip().splitlines()[-2:])
        pytest.fail(
            f"could not install {', '.join(VENV_PACKAGES)} into a fresh venv (is the registry reachable?): {tail}"
        )
    return python, {"venv": created, "pip": time.perf_counter() - started - created}


def _run(python: Path, folder: Path, *args: str) -> list[dict]:
    out = subprocess.run(
        [str(python), str(RUNNER), str(folder), *args],
        capture_output=True,
        text=True,
        cwd=folder,
        env=_clean_env(),
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_fresh_environment_has_no_sympy_and_no_project(fresh_venv, tmp_path):
    python, _ = fresh_venv
    names = ("sympy", "sklearn", "scipy", "nnmath", "numeric", "derive")
    probe = f"import importlib.util as u; print([m for m in {names!r} if u.find_spec(m)])"
    out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=_clean_env())
    assert out.stdout.strip() == "[]", out.stderr


def test_every_solution_notebook_of_the_pack_runs_in_the_fresh_environment(pack, fresh_venv, tmp_path):
    python, timings = fresh_venv
    folder = tmp_path / SOLUTIONS_FOLDER
    shutil.copytree(pack.solutions, folder)  # a copy, away from the checkout
    started = time.perf_counter()
    results = _run(python, folder)
    seconds = time.perf_counter() - started
    assert [r["notebook"] for r in results] == sorted(p.name for p in pack.solution_notebooks)
    for r in results:
        assert r["error"] is None, f"{r['notebook']}: {r['error']}"
        assert all(c["executed"] and not c["errors"] for c in r["cells"]), r["notebook"]
        checks = [c["stdout"] for c in r["cells"] if "check" in c["tags"]]
        assert len(checks) >= 2 and checks == [f"{CORRECT}\n"] * len(checks), r["notebook"]
        assert any(c["figures"] for c in r["cells"])  # every part draws
    size = sum(p.stat().st_size for p in pack.folder.rglob("*") if p.is_file())
    each = ", ".join(f"{r['notebook']} {r['seconds']:.1f} s" for r in results)
    print(
        f"\npack {size} bytes; fresh venv {timings['venv']:.1f} s + pip {timings['pip']:.1f} s; "
        f"solution notebooks {seconds:.1f} s ({each})"
    )


def test_the_exercise_notebooks_run_in_the_fresh_environment_up_to_the_first_exercise_and_on(
    pack, fresh_venv, tmp_path
):
    python, _ = fresh_venv
    folder = tmp_path / FOLDER
    shutil.copytree(pack.folder, folder)
    for r in _run(python, folder):  # to the end: every unsolved check gives a provided value
        assert r["error"] is None, f"{r['notebook']}: {r['error']}"
        first = next(i for i, c in enumerate(r["cells"]) if "exercise" in c["tags"])
        assert first >= 2 and all(c["executed"] and not c["errors"] for c in r["cells"][:first]), r["notebook"]
        checks = [c["stdout"] for c in r["cells"] if "check" in c["tags"]]
        assert len(checks) >= 2 and all(line.startswith("not yet: ") and line.count("\n") == 1 for line in checks)


def test_an_undefined_function_prints_as_a_call_only_when_asked():
    import sympy as sp

    from derive.printing.numpy import NumPyCodePrinter

    x, h, f = sp.Symbol("x"), sp.Symbol("h"), sp.Function("f")
    assert NumPyCodePrinter({"calls": True}).doprint(f(x + h) - f(x)) == "-f(x) + f(h + x)"
    with pytest.raises(Exception, match="Unsupported"):
        NumPyCodePrinter().doprint(f(x))


def test_the_same_sources_give_the_same_pack(pack, tmp_path):
    again = build_pack(tmp_path)
    for first, second in ((pack.folder, again.folder), (pack.solutions, again.solutions)):
        files = sorted(p.relative_to(first) for p in first.rglob("*"))
        assert files == sorted(p.relative_to(second) for p in second.rglob("*"))
        assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("%% code web\nx = 1\n", r"line 1: '%% code web': only a markdown or code cell may name a target"),
        ("%% exercise pack\n### SOLUTION\nx = 1\n### STUDENT\nx = ...\n### END\n%% check\nassert x\n", r"line 1"),
    ],
)
def test_a_cell_names_course_or_pack_and_only_a_markdown_or_code_cell(script, message):
    from nnmath.render.notebooks.cells import CellScriptError, parse

    with pytest.raises(CellScriptError, match=message):
        parse(script)
    cells = parse("%% code course\nimport numeric\n%% code pack\nimport nnmath_practice as numeric\n%% code\nx = 1\n")
    assert [(c.only, c.shown_in("course"), c.shown_in("pack")) for c in cells] == [
        ("course", True, False),
        ("pack", False, True),
        (None, True, True),
    ]
