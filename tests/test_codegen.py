"""Generated NumPy code: the committed module is what the derivation prints today,
printing is strict, and vector formulas derived at K = 3 work for any K."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import sympy as sp
import torch

from derive.calculus.derivation import component, derive
from derive.catalogue import entries, get
from derive.catalogue.entry import ELEMENTWISE, VECTOR_MAP, Entry
from derive.numerics.codegen import (
    entry_functions,
    expression_function,
    module_text,
    printed_body,
    render,
    stale_modules,
)
from derive.numerics.stable_functions import finite_point
from derive.printing.numpy import NumPyCodePrinter
from nnmath.topics import generated_modules
from numeric import (
    categorical_cross_entropy_logits,
    categorical_cross_entropy_logits_grad,
    log_softmax,
    log_softmax_grad,
    lookup,
    relu_grad,
    sigmoid,
    softmax,
    softmax_grad,
)


def test_committed_modules_equal_what_the_derivation_generates_today() -> None:
    assert not stale_modules(generated_modules()), "generated modules are stale: run `nnmath generate`"


@pytest.mark.parametrize("module", generated_modules(), ids=lambda m: m.file)
def test_generated_modules_have_provenance_header(module) -> None:
    head = module.path.read_text().splitlines()[0]
    assert "DO NOT EDIT" in head


def test_every_entry_has_a_function_and_gradient() -> None:
    for e in entries():
        n = lookup(e.name)
        assert n.source.startswith(f"def {e.name}(")
        assert n.gradient_source.startswith(f"def {e.name}_grad(")


def test_printer_is_strict() -> None:
    f = sp.Function("mystery")
    with pytest.raises(Exception, match="mystery|not supported"):
        NumPyCodePrinter().doprint(f(sp.Symbol("x")))


def test_temporaries_are_named_after_what_they_hold() -> None:
    """CSE's temporaries are renamed after their value (x_finite); one without a short description keeps
    its numbered name (with the prefix asked for); nothing else in the printed code is renamed."""
    x = sp.Symbol("x", real=True)
    shared = finite_point(x, 0) + sp.exp(x) + sp.sin(x)  # a sum of three: no short name
    body = printed_body(shared * sp.cos(shared), temporaries="_d")
    assert body.lines == ["_d0 = numpy.exp(x) + numpy.sin(x) + numpy.where(numpy.isinf(x), 0.0, x)"]
    assert body.assigning("diagonal") == [*body.lines, "diagonal = _d0*numpy.cos(_d0)"]
    assert body.names == {"x", "_d0"}
    finite = finite_point(x, 0)
    body = printed_body(sp.exp(-sp.Abs(finite)) / (1 + sp.exp(-sp.Abs(finite))) ** 2 + finite)
    assert body.lines == [
        "x_finite = numpy.where(numpy.isinf(x), 0.0, x)",
        "exp_neg_abs_x_finite = numpy.exp(-numpy.abs(x_finite))",
    ]
    assert body.value == "x_finite + exp_neg_abs_x_finite/(exp_neg_abs_x_finite + 1)**2"


def test_each_stable_rewrite_is_named_in_a_comment() -> None:
    source = entry_functions(get("softplus")).value
    assert "# log(1 + e^u) as max(u, 0) + log1p(e^-|u|): e^u overflows for u > 709" in source
    source = entry_functions(get("sigmoid")).gradient
    assert "# σ(u)σ(-u) as e^-|u| / (1 + e^-|u|)²: e^-u in σ(-u) overflows for u < -709" in source
    assert "exp_neg_abs_x = numpy.exp(-numpy.abs(x))" in source
    softmax = entry_functions(get("softmax")).gradient
    assert "half_log_p, p, one_minus_p = _softmax_parts(logits)" in softmax and "_half_logp" not in softmax


def test_generated_function_is_printed_through_the_templates() -> None:
    x, a = sp.Symbol("x", real=True), sp.Symbol("a", positive=True)
    source = expression_function("scaled", (x, a), a * x, "a times x.", defaults={a: 2})
    assert source.startswith('def scaled(x, a=2.0):\n    r"""a times x.\n\n    $$a x$$\n')
    assert source.endswith("    x = as_float(x)\n    a = as_float(a)\n    return keep_float(a*x, x)\n")
    constant = expression_function("two", (x,), sp.Integer(2), "Two.", shaped_like=x)
    scope: dict = {}
    exec(module_text("Test", [constant], ["two"]), scope)
    assert scope["two"](np.zeros((2, 3))).shape == (2, 3)
    assert scope["__all__"] == ["two"]


def test_templates_refuse_a_missing_value() -> None:
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        render("function.py.j2", name="f", arguments="x", doc=["Doc."])


def test_import_numeric_does_no_symbolic_work() -> None:
    code = "import sys, numeric; numeric.sigmoid(0.0); print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_float64_by_default_and_float_preserved() -> None:
    assert sigmoid([0, 1]).dtype == np.float64
    assert relu_grad(np.array([1, -1])).dtype == np.float64
    assert sigmoid(np.float32([0.5])).dtype == np.float32


def test_elementwise_functions_broadcast_over_batches() -> None:
    x = np.random.default_rng(0).normal(size=(4, 5, 6))
    for e in entries():
        if e.kind == ELEMENTWISE:
            n = lookup(e.name)
            others = {a.name: np.full(x.shape, 0.5) for a in e.args if a != e.wrt and a not in e.params}
            arg = np.clip(np.abs(x), 0.01, 0.99) if e.wrt.name == "prob" else x
            assert n.function(arg, **others).shape == x.shape
            assert n.gradient(arg, **others).shape == x.shape


@pytest.mark.parametrize("entry", [e for e in entries() if e.is_vector], ids=lambda e: e.name)
def test_vectorised_code_equals_concrete_derivation(entry: Entry) -> None:
    """Every component of the K = 3 derivation, lambdified, equals the index-form code."""
    rng = np.random.default_rng(1)
    comps = entry.components
    values = {}
    for base in comps:
        v = rng.uniform(0.1, 0.9, 3) if base.name == "prob" else rng.normal(size=3)
        values[base] = v / v.sum() if base.name == "target" else v
    subs = {s: float(values[b][i]) for b, cs in comps.items() for i, s in enumerate(cs)}
    n = lookup(entry.name)
    kwargs = {b.name: values[b] for b in comps}
    grad = derive(entry).gradient
    if entry.kind == VECTOR_MAP:
        outputs = [float(component(entry.expr, entry, k).xreplace(subs).evalf(30)) for k in range(3)]
        jac = np.array(grad.xreplace(subs).evalf(30).tolist(), dtype=float)
        np.testing.assert_allclose(n.function(**kwargs), outputs, rtol=1e-14)
        np.testing.assert_allclose(n.gradient(**kwargs), jac, rtol=1e-13, atol=1e-16)
    else:
        wrt = comps[entry.wrt]
        expected = [float(sp.diff(entry.expr, z).xreplace(subs).evalf(30)) for z in wrt]
        np.testing.assert_allclose(n.function(**kwargs), float(entry.expr.xreplace(subs).evalf(30)), rtol=1e-14)
        np.testing.assert_allclose(n.gradient(**kwargs), expected, rtol=1e-13)


@pytest.mark.parametrize("k", [2, 5, 7])
def test_vector_functions_match_pytorch_for_other_k(k: int) -> None:
    rng = np.random.default_rng(k)
    z = rng.normal(size=(6, k)) * 3
    y = rng.dirichlet(np.ones(k), size=6)
    tz = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(y, dtype=torch.float64)
    np.testing.assert_allclose(softmax(z), torch.softmax(tz, -1).detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(log_softmax(z), torch.log_softmax(tz, -1).detach().numpy(), rtol=1e-13)
    ce = torch.nn.functional.cross_entropy(tz, ty, reduction="none")
    np.testing.assert_allclose(categorical_cross_entropy_logits(z, y), ce.detach().numpy(), rtol=1e-13)
    (g,) = torch.autograd.grad(ce.sum(), tz)
    np.testing.assert_allclose(categorical_cross_entropy_logits_grad(z, y), g.numpy(), rtol=1e-12, atol=1e-16)
    for fn, ref in ((softmax_grad, torch.softmax), (log_softmax_grad, torch.log_softmax)):
        jac = torch.autograd.functional.jacobian(lambda t, ref=ref: ref(t, -1), tz[0])
        np.testing.assert_allclose(fn(z)[0], jac.numpy(), rtol=1e-12, atol=1e-16)


def test_softmax_jacobian_shape_and_rows() -> None:
    z = np.random.default_rng(3).normal(size=(2, 4, 5))
    jac = softmax_grad(z)
    assert jac.shape == (2, 4, 5, 5)
    np.testing.assert_allclose(jac.sum(axis=-2), 0.0, atol=1e-15)  # columns of diag(p) − p pᵀ sum to 0
    assert get("softmax").kind == VECTOR_MAP
