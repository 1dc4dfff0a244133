"""``nnmath_practice.py``: the one module of the participant pack, generated, NumPy only.

The pack's notebooks (the ``pack`` target of :func:`nnmath.render.notebooks.build.notebook`) import it as
``numeric``.  It holds exactly what they use: the catalogue functions they call (``numeric.<name>``, or by
name through ``lookup``), copied from the generated ``numeric/_generated/catalogue.py``; the rules their
checks compare with, printed from ``derive/`` by :mod:`derive.numerics.codegen`; the checks' reporting,
copied from :mod:`nnmath.topics.practice.checks`; the worked example's numbers and the moons data.
Nothing is typed twice: the sources are read from the modules that run in the project.
"""

from __future__ import annotations

import base64
import hashlib
import inspect
import pprint
import re
import textwrap
from pathlib import Path

import numpy as np

MODULE = "nnmath_practice"
MOONS = {"n_samples": 440, "noise": 0.3, "random_state": 0}  # part 3's data: record DATA (train + test)
_REPORTING = ("NotSolvedYet", "verdict", "_say", "_shown", "_given", "_array", "_close", "_callable", "_result")
_REPORTING_TESTS = ("_gradient_check_test",)  # tests that need no SymPy, shared as they are
_CALL = re.compile(r"\bnumeric\.(\w+)")
_STRING = re.compile(r"[\"'](\w+)[\"']")


def used_entries(code: str) -> list[str]:
    """The catalogue entries the notebooks' ``code`` uses: ``numeric.<f>``/``numeric.<f>_grad``, or a quoted name.

    In catalogue order (so the module's order does not depend on the notebooks' order).
    """
    from numeric import REGISTRY

    called = {m.removesuffix("_grad") for m in _CALL.findall(code)}
    quoted = set(_STRING.findall(code))
    return [name for name in REGISTRY if name in called or name in quoted]


def _rules() -> list[str]:
    """The derived rules the checks compare with, printed from ``derive/`` (``derived_dense_layer``, …)."""
    import sympy as sp

    from derive.numerics.codegen import expression_function, function_source, matrix_function, printed_body
    from derive.printing.numpy import NumPyCodePrinter
    from derive.printing.textbook import latex
    from derive.topics import gradient_descent
    from derive.topics.backpropagation import chain_rule_derivation, chain_rule_value, dense
    from derive.topics.practice import difference_quotients

    n, m, k = sp.symbols("n m k", integer=True, positive=True)
    w_mat, a_mat, b_mat = sp.MatrixSymbol("W", n, m), sp.MatrixSymbol("a", m, k), sp.MatrixSymbol("b", n, k)
    w, grad, lr, lam = sp.symbols("w grad lr lam")
    chain = chain_rule_value(chain_rule_derivation("sigmoid", "mse"))
    by_name = {s.name: s for s in chain.free_symbols}
    central = difference_quotients()["central"]
    body = printed_body(central, NumPyCodePrinter({"calls": True}))  # f(x + h): f is the caller's function
    return [
        matrix_function(
            "derived_dense_layer",
            [w_mat, a_mat, b_mat],
            dense(w_mat, a_mat, b_mat),
            "The dense layer (``derive.topics.backpropagation.dense``).",
            "One sample per column of ``a``; ``b`` of shape (n, 1) is added to every column.",
        ),
        expression_function(
            "derived_gradient_step",
            [w, grad, lr],
            gradient_descent.gradient_step(w, grad, lr),
            "One step of gradient descent (``derive.topics.gradient_descent.gradient_step``).",
        ),
        expression_function(
            "derived_l2_step",
            [w, grad, lr, lam],
            gradient_descent.l2_step(w, grad, lr, lam),
            "The step with the L2 penalty (``derive.topics.gradient_descent.l2_step``).",
        ),
        expression_function(
            "derived_chain_rule",
            [by_name[s] for s in "wxby"],
            chain,
            "∂L/∂w of one sigmoid neuron with squared error (``derive.topics.backpropagation.chain_rule_value``).",
        ),
        function_source(
            "derived_central_difference",
            "f, x, h=1e-05",
            [
                "The central difference of f at x (``derive.topics.practice.difference_quotients``).",
                f"$${latex(central)}$$",
                "Generated from a derivation in ``derive/``; do not edit.",
            ],
            body.returning(),
        ),
    ]


def _array_literal(a: np.ndarray) -> str:
    """``numpy.array([[0.15, 0.2], ...])``: every float as its shortest round-trip text (the same float64)."""
    return f"numpy.array({np.asarray(a, dtype=float).tolist()!r})"


def _base64_lines(data: bytes, width: int = 100) -> list[str]:
    text = base64.b64encode(data).decode("ascii")
    return [text[i : i + width] for i in range(0, len(text), width)]


def moons() -> tuple[np.ndarray, np.ndarray]:
    """Part 3's data, from scikit-learn (at build time): ``make_moons(**MOONS)``."""
    from sklearn.datasets import make_moons

    return make_moons(**MOONS)


def _moons_values() -> dict:
    x, labels = moons()
    arguments = ", ".join(f"{k}={v!r}" for k, v in MOONS.items())
    return {
        **MOONS,
        "arguments": arguments,
        "x": _base64_lines(np.ascontiguousarray(x, dtype="<f8").tobytes()),
        "y": _base64_lines(np.asarray(labels, dtype=np.uint8).tobytes()),
    }


def module_text(code: str, command: str = "nnmath workshop") -> str:
    """The module's source for notebooks whose code cells are ``code`` (all of them, joined)."""
    import numeric
    from derive.topics.worked_example import worked_example
    from nnmath.paths import TEMPLATES
    from nnmath.render.site.render import environment
    from nnmath.topics.practice import checks

    entries = used_entries(code)
    functions = [f for name in entries for f in (name, f"{name}_grad")]
    sources = [getattr(numeric, f) for f in functions]
    # The helpers the generated functions call (as_float, keep_float, ...): their module, found from a function.
    runtime = inspect.getmodule(sources[0].__globals__["as_float"])
    runtime_functions = [
        f for _, f in inspect.getmembers(runtime, inspect.isfunction) if f.__module__ == runtime.__name__
    ]
    path = inspect.getsourcefile(sources[0])
    if any(inspect.getsourcefile(f) != path for f in sources):
        raise ValueError("the generated functions of the pack come from more than one module")
    rules = _rules()
    values = {
        "command": command,
        "functions": _listed(functions),
        "generated_file": path.rsplit("/", 1)[-1],
        "generated_sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
        "rules": _listed([re.match(r"def (\w+)", r).group(1) for r in rules]),
        "correct": repr(checks.CORRECT),
        "placeholder": repr(checks.PLACEHOLDER),
        "rtol": repr(checks.RTOL),
        "cubic": {
            "points": repr(checks.CUBIC_POINTS),
            "step": repr(checks.CUBIC_STEP),
            "expected": repr(checks.cubic_central_differences().tolist()),
        },
        "hints": "HINTS = " + pprint.pformat(checks.HINTS, width=120, sort_dicts=False),
        "runtime": _joined(_source(f) for f in runtime_functions),
        "generated": _joined(_source(f) for f in sources),
        "entries": entries,
        "rule_sources": _joined(r.rstrip("\n") for r in rules),
        "reporting": _joined(_source(getattr(checks, n)) for n in _REPORTING + _REPORTING_TESTS),
        "worked_example": [(k, _array_literal(v)) for k, v in worked_example().floats().items()],
        "moons": _moons_values(),
    }
    return environment(TEMPLATES / "pack").get_template(f"{MODULE}.py.j2").render(**values)


def _joined(sources) -> str:
    """Top-level definitions, two blank lines apart (PEP 8)."""
    return "\n\n\n".join(sources)


def _listed(names: list[str]) -> str:
    """``a, b, c`` as docstring lines indented by two, at most 120 characters each."""
    return textwrap.fill(", ".join(f"``{n}``" for n in names), width=118, initial_indent="  ", subsequent_indent="  ")


def _source(obj: object) -> str:
    """The source of a function or class as written in its module, without a trailing newline."""
    return textwrap.dedent(inspect.getsource(obj)).rstrip("\n")
