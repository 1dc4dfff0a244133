"""Symbolic layer: every identity proven, every step-by-step derivation equal to sympy.diff."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.calculus.derivation import derive, equal, form_holds, index_form, line_value
from derive.calculus.functions import logsumexp, normal_cdf, sigmoid, softplus, textbook
from derive.calculus.indexed import is_indexed
from derive.catalogue import CATALOGUE, GROUPS, UnknownName, entries, get
from derive.catalogue.activations import SELU_ALPHA, SELU_LAMBDA
from derive.catalogue.entry import ELEMENTWISE, HE, INITS, LECUN, Entry
from derive.printing.formulas import annotation
from nnmath.render.cli.derive import ascii_text
from nnmath.render.handouts.texrender import escape
from nnmath.topics.base import Tex
from nnmath.topics.catalogue.derivations import PRACTISED, practice
from nnmath.topics.catalogue.entry import entry_record
from numeric import lookup

ALL = entries()
IDS = [e.name for e in ALL]


def test_catalogue_covers_the_course() -> None:
    required = {
        "activation": {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "gelu", "silu", "softmax"}
        | {"softsign", "mish", "selu", "gelu_tanh"},
        "loss": {"mse", "mae", "huber", "binary_cross_entropy", "categorical_cross_entropy", "hinge"},
        "regulariser": {"l1", "l2"},
    }
    for group, names in required.items():
        assert names <= {e.name for e in entries(group)}
    assert set(GROUPS) == {e.group for e in ALL}


@pytest.mark.parametrize("entry", ALL, ids=IDS)
def test_identity_is_proven(entry: Entry) -> None:
    d = derive(entry)
    assert d.identity_holds, f"{entry.name}: SymPy could not prove the identity"


def _sympy_derivative(entry: Entry, derivation) -> sp.Expr:
    """sympy.diff of what ``derivation`` differentiates: an index-form derivation stands for ∂/∂z_1 of the entry."""
    if is_indexed(derivation.expr):
        return sp.diff(entry.expr, entry.components[entry.wrt][0])
    return sp.diff(derivation.expr, derivation.wrt)


@pytest.mark.parametrize("entry", ALL, ids=IDS)
def test_steps_end_at_sympy_diff(entry: Entry) -> None:
    """Every derivation ends at sympy.diff, and so does each line written with named intermediates (p = softmax(z),
    σ(x)) or in index notation (at K = 3, i = 1)."""
    for derivation in derive(entry).steps:
        assert derivation.steps, "a derivation needs at least one step"
        assert all(step.rule for step in derivation.steps)
        assert not derivation.result.has(sp.Derivative)
        expected = _sympy_derivative(entry, derivation)
        assert equal(line_value(entry, derivation.result), expected, entry.given)
        assert equal(line_value(entry, derivation.steps[-1].expr), expected, entry.given)


@pytest.mark.parametrize("entry", ALL, ids=IDS)
def test_textbook_form_is_proven_equal_to_the_definition(entry: Entry) -> None:
    """The definition a page shows (textbook form) and "how the code computes it" (stable form) equal ``expr``."""
    assert derive(entry).textbook_holds
    assert form_holds(entry, entry.textbook) and form_holds(entry, entry.stable)
    if entry.textbook is not None and not is_indexed(entry.textbook):
        assert equal(entry.textbook, entry.expr)
    assert (entry.stable is None) or entry.stable_reason, "a stable form says why the code uses it"


def test_a_wrong_textbook_form_is_not_proven() -> None:
    """The proof is not vacuous: a sign error, a missing class or a wrong stable form fails."""
    from dataclasses import replace

    from derive.calculus.indexed import Z, class_sum, i, j

    x = get("sigmoid").wrt
    assert not form_holds(get("sigmoid"), 1 / (1 + sp.exp(x)))
    assert not form_holds(get("softplus"), sp.Max(x, 0) + sp.log(1 + sp.exp(sp.Abs(x))))
    assert not form_holds(get("softmax"), sp.exp(Z[i]) / (1 + class_sum(sp.exp(Z[j]), j)))
    wrong = replace(get("softplus"), stable=sp.Max(x, 0) + sp.log(1 + sp.exp(sp.Abs(x))))
    with pytest.raises(ValueError, match="could not prove"):  # the build stops
        entry_record(wrong)


@pytest.mark.parametrize("entry", [e for e in ALL if e.kind == ELEMENTWISE], ids=lambda e: e.name)
def test_gradient_is_the_derivative_of_the_textbook_form(entry: Entry) -> None:
    """The function classes' fdiff rules agree with differentiating exp/log forms."""
    assert equal(derive(entry).gradient, sp.diff(textbook(entry.expr), entry.wrt))


def test_identities_are_not_vacuous() -> None:
    """A wrong identity is rejected: σ' ≠ σ(1 + σ)."""
    x = sp.Symbol("x", real=True)
    assert not equal(sp.diff(sigmoid(x), x), sigmoid(x) * (1 + sigmoid(x)))


def test_textbook_identities_hold_by_fdiff() -> None:
    x = sp.Symbol("x", real=True)
    assert sp.diff(sigmoid(x), x) == sigmoid(x) * (1 - sigmoid(x))
    assert sp.diff(softplus(x), x) == sigmoid(x)
    assert sp.simplify(textbook(sp.diff(normal_cdf(x), x)) - sp.diff(textbook(normal_cdf(x)), x)) == 0
    z = sp.symbols("z1:4", real=True)
    assert sp.diff(logsumexp(*z), z[1]) == sp.exp(z[1] - logsumexp(*z))


def test_softmax_jacobian_is_diag_p_minus_ppt() -> None:
    entry = get("softmax")
    comps = entry.components[entry.wrt]
    p = sp.Matrix([sp.exp(z) / sum(sp.exp(k) for k in comps) for z in comps])
    jac = derive(entry).gradient
    assert jac.shape == (3, 3)
    assert all(
        sp.simplify(textbook(jac[i, j]) - (sp.diag(*p) - p * p.T)[i, j]) == 0 for i in range(3) for j in range(3)
    )


def test_cross_entropy_on_logits_is_p_minus_y_only_for_a_distribution() -> None:
    entry = get("categorical_cross_entropy_logits")
    grad = derive(entry).gradient
    assert not equal(grad, entry.identity)  # without Σ y = 1 the p − y form is wrong
    assert equal(grad, entry.identity, entry.given)


def test_index_form_of_vector_entries_uses_no_components() -> None:
    for entry in ALL:
        if not entry.is_vector:
            continue
        form = index_form(entry)
        concrete = {s for comps in entry.components.values() for s in comps}
        for expr in (form.definition, form.gradient, form.off_diagonal):
            if expr is not None:
                assert not (expr.free_symbols & concrete), entry.name


def test_unknown_name_names_the_closest() -> None:
    with pytest.raises(UnknownName, match="did you mean sigmoid"):
        get("sigmoyd")
    assert "softmax" in CATALOGUE


def test_selu_constants_are_klambauers_to_double_precision() -> None:
    """α₀₁ and λ₀₁ of Klambauer et al. (2017) from their closed form, as PyTorch has them."""
    assert (SELU_ALPHA, SELU_LAMBDA) == (1.6732632423543772848170429916717, 1.0507009873554804934193349852946)
    assert get("selu").params == {get("selu").args[1]: SELU_ALPHA, get("selu").args[2]: SELU_LAMBDA}


def test_facts_about_activations_are_fields_of_the_entry() -> None:
    """The initialisation (He for ReLU-like activations) and a citation, carried into numeric's registry."""
    he = {e.name for e in entries("activation") if e.init == HE}
    assert he == {"relu", "leaky_relu", "elu", "gelu", "silu", "mish", "gelu_tanh"}
    assert get("selu").init == LECUN
    for e in ALL:
        assert e.init in INITS and lookup(e.name).init == e.init, e.name
    for name in ("softsign", "mish", "selu", "gelu_tanh"):
        assert len(get(name).citation) > 40, name
    with pytest.raises(ValueError, match="unknown init 'xavier'"):
        x = sp.Symbol("x")
        Entry(name="ok", title="", group="activation", expr=x, wrt=x, args=(x,), summary="", init="xavier")


def test_entry_validation() -> None:
    x, y = sp.symbols("x y")
    with pytest.raises(ValueError, match="not a Python identifier"):
        Entry(name="bad name", title="", group="activation", expr=x, wrt=x, args=(x,), summary="")
    with pytest.raises(ValueError, match="wrt y is not among args"):
        Entry(name="ok", title="", group="activation", expr=x, wrt=y, args=(x,), summary="")


# --- The entry record: one presentation model of an entry -------------------------------------


def _leaves(value: object, path: str = "") -> list[tuple[str, object]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{path}/{k}")]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{path}/{i}")]
    return [(path, value)]


@pytest.mark.parametrize("entry", ALL, ids=IDS)
def test_entry_record_is_plain_data_with_latex_marked(entry: Entry) -> None:
    record = entry_record(entry)
    for path, value in _leaves(record):
        assert value is None or type(value) in (str, Tex, int, bool), (path, type(value))
    latex = [record["definition"], *record["gradient"], *record["parameters"], *record["kinks"]]
    latex += [*record["lettered"]["derivative"], record["lettered"]["definition"], record["rhs"]["gradient"]]
    latex += [d[key] for d in record["derivations"] for key in ("start", "expr", "display")]
    latex += [s["expr"] for d in record["derivations"] for s in d["steps"]]
    assert all(isinstance(t, Tex) for t in latex)
    assert all(type(v) is str for v in (record["rhs_plain"]["gradient"], record["summary"], record["title"]))


@pytest.mark.parametrize("entry", ALL, ids=IDS)
def test_entry_record_prints_each_formula_once_in_every_form(entry: Entry) -> None:
    """The page's derivative, the theory summary's and the command line's have the same right-hand side."""
    record = entry_record(entry)
    rhs = record["rhs"]
    assert record["gradient"][0].endswith(rhs["gradient"])
    assert record["lettered"]["derivative"][0].endswith(rhs["gradient"])
    assert rhs["definition"] in record["definition"] and rhs["definition"] in record["lettered"]["definition"]
    assert (rhs["off_diagonal"] is None) == (len(record["gradient"]) == 1)
    for d in record["derivations"]:
        assert d["display"].startswith(f"\\begin{{aligned}}\n{d['start']} &= ")
        assert all(f"&= {s['expr']} && \\text{{({annotation(s['rule'])})}}" in d["display"] for s in d["steps"])
        assert all(s["expr_plain"] and "\\" not in s["expr_plain"] for s in d["steps"])


def test_practice_abbreviates_the_vector_entries_only() -> None:
    items = {p["name"]: p for p in practice()}
    assert tuple(items) == PRACTISED
    for name, p in items.items():
        vector = get(name).is_vector
        indexed = any(is_indexed(d.expr) for d in derive(get(name)).steps)  # Σ_j e^{z_j}: no S needed
        assert (p["abbreviation"] is not None) == (vector and not indexed) == (p["derivations"] is not None), name
        if p["abbreviation"] is not None:
            assert p["abbreviation"].startswith("S = ")
            assert all("S" in d["start"] for d in p["derivations"])


@pytest.mark.parametrize(
    ("name", "condition", "plotted"), [("mae", r"\hat{y} - y = 0", "y = 0"), ("hinge", r"y \hat{y} = 1", "y = 1")]
)
def test_kinks_of_a_loss_are_stated_for_every_target(name: str, condition: str, plotted: str) -> None:
    """Erratum (issue 13): "not differentiable at ŷ = 0 / ŷ = 1" held only for the plot's target."""
    from derive.symbols import pred, target
    from nnmath.topics.catalogue.plotted import fixed_arguments

    entry = get(name)
    record = entry_record(entry)
    assert record["kinks"] == [condition] and record["plotted_at"] == [plotted]
    (where,) = entry.kink_where
    t = sp.Symbol("t", positive=True)
    grad = sp.diff(entry.expr, pred)
    for y0 in (
        (sp.Integer(1), sp.Integer(-1)) if name == "hinge" else (sp.Rational(-3, 2), sp.Integer(0), sp.Integer(2))
    ):
        (kink,) = sp.solve(where.subs(target, y0), pred)  # the kink for this target
        left = sp.limit(grad.subs({target: y0, pred: kink - t}), t, 0, "+")
        right = sp.limit(grad.subs({target: y0, pred: kink + t}), t, 0, "+")
        assert left != right, (name, y0)  # the one-sided slopes differ: a kink for every target
    at_plot = where.subs(fixed_arguments(entry))
    assert all(at_plot.subs(pred, k) for k in entry.kinks)  # the plotted points are those kinks


def test_mse_summed_over_k_outputs_is_k_times_the_averaged_gradient() -> None:
    """Erratum (issue 13): the MSE page says, derived, that summing over K outputs gives K times the mean's gradient."""
    from derive.catalogue.reduction import PREDICTION, TARGET, K, j, reduction

    r = reduction("mse")
    assert r.holds and r.factor == K
    assert sp.expand(r.summed_gradient - 2 * (PREDICTION[j] - TARGET[j])) == 0
    assert sp.simplify(r.mean_gradient - 2 * (PREDICTION[j] - TARGET[j]) / K) == 0
    shown = entry_record(get("mse"))["reduction"]
    assert shown["holds"] and shown["factor"].endswith(r"= K \frac{\partial C_{\text{mean}}}{\partial \hat{y}_{j}}")
    assert entry_record(get("mae"))["reduction"] is None


def test_stable_reasons_read_as_text_not_tex() -> None:
    """A stable form's reason is prose on the page and in the handouts: Unicode (eᶻ, e⁻ˣ, exp(−|x|), zᵢ), no TeX."""
    for entry in entries():
        reason = entry.stable_reason or ""
        assert not any(t in reason for t in ("{", "}", "^{", "\\", "_")), (entry.name, reason)
        escape(reason)  # every character typesets in the handouts (else UntypesettableText)
    assert "exp(−|x|)" in get("softplus").stable_reason and "e⁻ˣ" in get("sigmoid").stable_reason
    assert ascii_text(get("sigmoid").stable_reason).startswith("e^(-x) overflows to inf for x < -709")  # nnmath derive


@pytest.mark.parametrize(
    ("name", "shown", "terminal"),
    [
        ("binary_cross_entropy", r"\frac{p - y}{p \left(1 - p\right)}", "p - y"),
        ("gelu", r"\Phi\left(x\right) + x \varphi\left(x\right)", "Φ(x) + x⋅φ(x)"),
    ],
)
def test_bce_and_gelu_derivatives_are_shown_as_a_textbook_writes_them(name, shown, terminal):
    """BCE' = (p − y)/(p(1 − p)) and GELU' = Φ(x) + x φ(x) on the page, the handout and the terminal (not SymPy's
    (y − p)/(p(p − 1)) and √2 x e^{−x²/2}/(2√π) + Φ(x)), proven equal to the derivative; the steps end there."""
    from derive.calculus.derivation import shown_gradient
    from derive.calculus.functions import normal_pdf
    from derive.printing.textbook import latex, pretty

    entry = get(name)
    d = derive(entry)
    assert d.identity_holds and equal(entry.identity, d.gradient)
    assert latex(shown_gradient(entry, index_form(entry).gradient)) == shown
    assert d.steps[0].steps[-1].expr == entry.identity and equal(d.steps[0].result, d.gradient)
    record = entry_record(entry)
    assert record["rhs"]["gradient"] == shown and record["rhs"]["identity"] == shown
    assert terminal in pretty(entry.identity, unicode=True)
    assert textbook(normal_pdf(sp.Symbol("x"))) == sp.exp(-(sp.Symbol("x") ** 2) / 2) / sp.sqrt(2 * sp.pi)
