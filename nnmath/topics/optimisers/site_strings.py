"""Strings of the Optimisers, Training and Python API pages.

Formulas come from :mod:`derive.topics.optimisers` (LaTeX via SymPy); numbers and figures from training with
the generated functions (:mod:`numeric.mlp`, :mod:`nnmath.topics.optimisers.runs`), computed when the site is built.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import re
import textwrap
from functools import cache

import numpy as np
import sympy as sp

from derive.printing import formulas
from derive.printing.latex import CourseLatexPrinter, latex
from derive.topics import optimisers as theory

CURVE_RUNS = ("digits", "moons", "xor")  # the data sets whose training curves the Training page shows
BIAS_TABLE_STEPS = 5
QUADRATIC = (1.0, 20.0)  # curvatures of the quadratic the optimiser paths are drawn on
QUADRATIC_START = (-4.0, 1.0)
QUADRATIC_STEPS = 60


def svg(fig, fmt: str = "svg") -> str | bytes:
    """A figure as deterministic SVG text, or PDF bytes for a handout (closes it)."""
    from nnmath.plots import figure_bytes

    data = figure_bytes(fig, fmt)
    return data.decode() if fmt == "svg" else data


# --- Optimisers ---------------------------------------------------------------------------------


def tex(expr: sp.Basic) -> str:
    """LaTeX in the order the rules are read: w − η g, μ v + g (SymPy's rev-lex order)."""
    return CourseLatexPrinter({"order": "rev-lex"}).doprint(expr)


def chain(*sides: sp.Basic) -> str:
    """``a = b = …`` in :func:`tex`."""
    return " = ".join(tex(s) for s in sides)


def _update(target: sp.Symbol, expr: sp.Expr) -> str:
    return rf"{tex(target)} \leftarrow {tex(expr)}"


def _bias_table() -> list[dict]:
    """m_t and m̂_t for a constant gradient g = 1, β₁ = 9/10, from the rule with exact rationals."""
    beta = sp.Rational(9, 10)
    rows, m = [], sp.Integer(0)
    for t in range(1, BIAS_TABLE_STEPS + 1):
        m = theory.adam_first_moment(m, sp.Integer(1), beta)
        rows.append({"t": t, "m": latex(m), "m_hat": latex(theory.bias_corrected(m, beta, t))})
    return rows


def _quadratic_paths() -> dict[str, np.ndarray]:
    """The iterates of each optimiser on L = ½(a x² + b y²) (generated updates via numeric.optimisers)."""
    from numeric.optimisers import SGD, Adam, Momentum

    curvature = np.array(QUADRATIC)
    optimisers = {"SGD (η = 0.09)": SGD(0.09), "momentum (η = 0.02, μ = 0.9)": Momentum(0.02, 0.9)}
    optimisers["Adam (η = 0.3)"] = Adam(0.3)
    paths = {}
    for label, opt in optimisers.items():
        w = np.array(QUADRATIC_START)
        path = [w.copy()]
        for _ in range(QUADRATIC_STEPS):
            opt.step([w], [curvature * w])
            path.append(w.copy())
        paths[label] = np.array(path)
    return paths


def quadratic_figure(fmt: str = "svg") -> str | bytes:
    from nnmath.plots import plt  # pyplot with the house style (grid, fonts, stable ids) already applied

    paths = _quadratic_paths()
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    xs, ys = np.meshgrid(np.linspace(-4.5, 1.5, 200), np.linspace(-1.5, 1.5, 200))
    ax.contour(xs, ys, 0.5 * (QUADRATIC[0] * xs**2 + QUADRATIC[1] * ys**2), levels=12, colors="0.75", linewidths=0.7)
    for (label, path), color in zip(paths.items(), ("#d62728", "#1f77b4", "#2ca02c")):
        ax.plot(path[:, 0], path[:, 1], marker="o", markersize=2.5, linewidth=1.2, color=color, label=label)
    ax.plot([0], [0], marker="*", color="k", markersize=9)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title(rf"{QUADRATIC_STEPS} steps on $L = \frac{{1}}{{2}}(w_1^2 + 20 w_2^2)$", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return svg(fig, fmt)


def optimisers() -> dict:
    """The three rules, the bias-correction proof, the momentum limit, the generated code, a figure."""
    import numeric as generated

    rules = [
        {
            "name": r.name,
            "title": r.title,
            "updates": [_update(target, expr) for target, expr in r.updates],
            "display": "\\begin{aligned}"
            + " \\\\ ".join(rf"{tex(target)} &\leftarrow {tex(expr)}" for target, expr in r.updates)
            + "\\end{aligned}",
        }
        for r in theory.optimiser_rules()
    ]
    hats = theory.hat_definitions()
    first = theory.bias_correction_proof()
    second = theory.bias_correction_proof(theory.adam_second_moment, theory.beta2, theory.g**2)
    momentum = theory.momentum_proof()
    t, g = theory.t, theory.g
    m_t, v_t, m0 = sp.Symbol("m_{t}"), sp.Symbol("v_{t}"), sp.Symbol("m_{0}")
    m_next = sp.Symbol("m_{t+1}")
    return {
        "rules": rules,
        "hats": {k: tex(v) for k, v in hats.items()},
        "regularised": tex(
            sp.Eq(sp.Symbol("g'"), theory.regularised_gradient(g, theory.w, theory.lam), evaluate=False)
        ),
        "bias": {
            "recurrence": _update(theory.m, theory.adam_first_moment(theory.m, g, theory.beta1)),
            "closed": latex(m_t) + " = " + latex(first.unrolled) + " = " + tex(first.closed),
            "base": chain(m0, first.closed.subs(t, 0)),
            "step": chain(m_next, theory.adam_first_moment(m_t, g, theory.beta1), first.closed.subs(t, t + 1)),
            "corrected": chain(
                sp.Symbol(r"\hat{m}_{t}"),
                theory.bias_corrected(m_t, theory.beta1, t),
                theory.bias_corrected(sp.UnevaluatedExpr(first.closed), theory.beta1, t),
                first.corrected,
            ),
            "second": chain(v_t, second.closed) + r",\qquad " + chain(sp.Symbol(r"\hat{v}_{t}"), second.corrected),
            "holds": first.holds and second.holds,
            "checked": first.checked_steps,
            "first_step": chain(sp.Symbol("w_{1}"), theory.adam_first_step()),
            "table": _bias_table(),
        },
        "momentum": {
            "closed": latex(sp.Symbol("v_{t}")) + " = " + latex(momentum.unrolled) + " = " + tex(momentum.closed),
            "limit": chain(sp.Symbol(r"v_{\infty}"), momentum.limit),
            "holds": momentum.holds,
        },
        "code": [  # a list: the cache stores dicts with sorted keys, and this order is the page's
            {"name": name, "source": inspect.getsource(getattr(generated, name))}
            for name in ("sgd_update", "momentum_update", "adam_update")
        ],
        "figures": {"paths": quadratic_figure()},
    }


# --- Training results -----------------------------------------------------------------------------


@cache
def runs() -> dict:
    """The presets of the Training page, trained once per build."""
    from nnmath.topics.optimisers.runs import run

    return {name: run(name) for name in CURVE_RUNS}


def curves_figure(r) -> str:
    from nnmath.plots import plt  # pyplot with the house style (grid, fonts, stable ids) already applied

    h = r.history
    epochs = np.arange(1, h.epochs_run + 1)
    held_out = "training set (4 points)" if r.name == "xor" else "validation"
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.0))
    left.plot(epochs, h.train_loss, color="#1f77b4", label="training")
    right.plot(epochs, h.train_accuracy, color="#1f77b4", label="training")
    if r.name != "xor":
        left.plot(epochs, h.val_loss, color="#ff7f0e", linestyle="--", label=held_out)
        right.plot(epochs, h.val_accuracy, color="#ff7f0e", linestyle="--", label=held_out)
    left.set_yscale("log")
    left.set_xlabel("epoch")
    left.set_ylabel("loss (batch mean)")
    right.set_xlabel("epoch")
    right.set_ylabel("accuracy")
    right.set_ylim(min(0.4, min(h.train_accuracy + h.val_accuracy)), 1.01)
    left.legend(fontsize=8)
    right.legend(fontsize=8, loc="lower right")
    fig.suptitle(
        f"{r.name}: {'-'.join(map(str, r.net.sizes))} {r.preset.activation}, {r.preset.optimiser}", fontsize=10
    )
    fig.tight_layout()
    return svg(fig)


def cost_formula() -> str:
    """The trainer's cost: the batch mean of the per-sample loss, summed over the outputs (numeric.mlp)."""
    b, k, n_batch, n_out = sp.symbols("b k B K", integer=True, positive=True)
    loss = sp.Function("L")
    a, y = sp.IndexedBase("a"), sp.IndexedBase("y")
    cost = sp.Sum(sp.Sum(loss(a[b, k], y[b, k]), (k, 1, n_out)), (b, 1, n_batch)) / n_batch
    return latex(sp.Eq(sp.Symbol("C"), cost, evaluate=False))


def training() -> dict:
    """Per data set: the network, hyper-parameters, final accuracies, and the curves."""
    from nnmath.topics.optimisers.runs import VALIDATION_FRACTION

    rows = []
    for name, r in runs().items():
        p = r.preset
        rows.append(
            {
                "name": name,
                "description": r.data.description,
                "sizes": "-".join(map(str, r.net.sizes)),
                "activations": " / ".join(r.net.activations),
                "loss": r.net.loss,
                "optimiser": f"{p.optimiser}, ${latex(theory.eta)} = {latex(formulas.number(p.lr))}$",
                "batch": p.batch_size,
                "epochs": p.epochs,
                "train": f"{100 * r.train_accuracy:.1f}",
                "validation": f"{100 * r.history.val_accuracy[-1]:.1f}" if name != "xor" else "–",
                "test": f"{100 * r.test_accuracy:.1f}",
                "n_train": len(r.data.y_train),
                "n_test": len(r.data.y_test),
            }
        )
    return {
        "cost": cost_formula(),
        "rows": rows,
        "validation_percent": round(100 * VALIDATION_FRACTION),
        "figures": {name: curves_figure(r) for name, r in runs().items()},
    }


# --- Python API -------------------------------------------------------------------------------------


def example() -> None:
    from numeric import datasets, mlp

    data = datasets.load("digits", seed=0)
    net = mlp.build([64, 64, 10], activation="relu", output="softmax", seed=0)
    history = net.fit(data.X_train, data.y_train, epochs=30, optimiser="adam", lr=1e-3)
    print(net.predict_classes(data.X_test[:8]), data.y_test[:8], net.accuracy(data.X_test, data.y_test))
    print([(dW.shape, db.shape) for dW, db in net.gradients(data.X_test[:5], data.y_test[:5])], len(history.train_loss))


def example_source() -> str:
    """The body of :func:`example`, as the page shows it (the code that runs is the code shown)."""
    body = inspect.getsource(example).splitlines()[1:]
    return textwrap.dedent("\n".join(body)) + "\n"


def example_output() -> str:
    """What :func:`example` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        example()
    return out.getvalue()


def markdown(doc: str) -> str:
    """A docstring paragraph for Markdown: RST ``code`` and :math:`…` become `code` and $…$."""
    doc = re.sub(r":math:`([^`]*)`", r"$\1$", doc)
    return re.sub(r"``([^`]*)``", r"`\1`", doc)


class _Annotation(str):
    """A string annotation (``from __future__ import annotations``) shown without quotes."""

    def __repr__(self) -> str:
        return str(self)


def _signature(obj, name: str) -> dict:
    sig = inspect.signature(obj)
    unquote = lambda a: _Annotation(a) if isinstance(a, str) else a  # noqa: E731
    params = [p.replace(annotation=unquote(p.annotation)) for p in sig.parameters.values() if p.name != "self"]
    sig = sig.replace(parameters=params, return_annotation=unquote(sig.return_annotation))
    summary = (inspect.getdoc(obj) or "").split("\n\n")[0].replace("\n", " ")
    return {"name": name, "signature": f"{name}{sig}", "summary": markdown(summary)}


def python_api() -> dict:
    """The example with its output, and the public names with signatures and first docstring paragraph."""
    from numeric import datasets, mlp, optimisers

    functions = [_signature(mlp.build, "mlp.build"), _signature(datasets.load, "datasets.load")]
    methods = [
        _signature(getattr(mlp.MLP, m), f"MLP.{m}")
        for m in (
            "fit",
            "predict",
            "predict_classes",
            "accuracy",
            "loss_value",
            "gradients",
            "train_step",
            "set_parameters",
        )
    ]
    methods.append(_signature(mlp.MLP.from_parameters, "MLP.from_parameters"))
    opts = [
        _signature(cls.__init__, f"optimisers.{cls.__name__}")
        for cls in (optimisers.SGD, optimisers.Momentum, optimisers.Adam)
    ]
    for o, cls in zip(opts, (optimisers.SGD, optimisers.Momentum, optimisers.Adam)):
        o["summary"] = markdown(inspect.getdoc(cls).split("\n\n")[0])
    return {
        "example": example_source(),
        "output": example_output(),
        "functions": functions,
        "methods": methods,
        "optimisers": opts,
        "activations": [a for a in mlp.activation_names()],
        "losses": mlp.loss_names(),
        "datasets": list(datasets.DATASETS),
    }
