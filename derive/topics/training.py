r"""Batch forms of catalogue formulas for the trainer's hot path: ``numeric/_generated/training.py``.

The functions of ``numeric/_generated/catalogue.py`` are exact everywhere, ±inf and NaN included, and pay for
it on every call: SciPy's ``logsumexp`` costs about 60 µs even on a small batch, and a ReLU printed
as nested ``numpy.where`` with a NaN test makes four passes over the array.  A training step on
finite numbers can use cheaper, equal forms of the same derivation.  Each is a rewrite that SymPy
checks (:func:`rewrites_hold`), applied to the catalogue's expressions before printing:

* the max shift, for any M (here the row maximum),
  :math:`\operatorname{LSE}(\mathbf{z}) = M + \log \sum_k e^{z_k - M}`, so
  :math:`e^{z_i - \operatorname{LSE}} = e^{z_i - M} / \sum_k e^{z_k - M}`;
* the catalogue's own assumption for the identity :math:`\partial L/\partial z = p - y`: the
  target sums to one, :math:`\sum_k y_k = 1` (one-hot labels; the trainer checks it);
* :math:`\begin{cases} x & x > 0 \\ 0 & \text{otherwise}\end{cases} = \max(x, 0)`, one pass
  (``numpy.maximum`` propagates NaN as the catalogue's ReLU does);
* a derivative :math:`\begin{cases} 1 & c \\ 0 & \text{otherwise}\end{cases}` printed as the
  boolean indicator of c, which the trainer multiplies into the upstream gradient in place.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.derivation import gradient, index_form
from derive.calculus.functions import logsumexp, textbook
from derive.calculus.vectorise import LSE, ClassSum, index_symbols
from derive.catalogue import get
from derive.numerics import codegen
from derive.numerics.stability import stabilise
from derive.printing.latex import latex
from derive.printing.numpy import NumPyCodePrinter

SHIFT = sp.Symbol("_max", real=True)  # the row maximum of the logits, computed before the formula
SHIFTED_LOSSES = ("categorical_cross_entropy_logits",)
BATCH_ACTIVATIONS = ("relu",)


# --- The rewrites --------------------------------------------------------------------------


def shift_identity(k: int = 3) -> sp.Eq:
    """LSE(z₁…z_k) = M + log Σ exp(z_j − M), concrete components (for the proof)."""
    zs = sp.symbols(f"z1:{k + 1}", real=True)
    return sp.Eq(logsumexp(*zs), SHIFT + sp.log(sum(sp.exp(z - SHIFT) for z in zs)), evaluate=False)


def identity_holds(eq: sp.Eq) -> bool:
    """SymPy proves a log-sum-exp identity: log is injective, so compare exp of both sides."""
    difference = sp.exp(textbook(eq.lhs)) - sp.exp(textbook(eq.rhs))
    return sp.simplify(sp.expand(sp.powsimp(sp.expand(difference)))) == 0


def shifted_gradient(name: str) -> sp.Expr:
    """The index-form gradient of loss ``name``: e^{a − LSE} → e^{a − M} / Σ_k e^{z_k − M}, and Σ_k y_k → 1.

    Inside the class sum the component z_k is written as the array z (the printer's meaning of a
    class sum), so the exponential is shared between the numerator and the sum.
    """
    entry = get(name)
    z = entry.wrt
    total = ClassSum(sp.exp(z - SHIFT))

    def rewrite(node: sp.exp) -> sp.Expr:
        arg = sp.expand(node.args[0])
        c = arg.coeff(LSE)
        return sp.exp(arg - c * LSE + c * SHIFT) * total**c

    gradient = index_form(entry).gradient
    shifted = gradient.replace(lambda e: isinstance(e, sp.exp) and LSE in e.free_symbols, rewrite)
    if LSE in shifted.free_symbols:
        raise ValueError(f"{name}: LSE outside an exponential, cannot shift {gradient}")
    target = next(b for b in entry.components if b.name == "target")
    shifted = shifted.xreplace({ClassSum(index_symbols(target).summed): sp.Integer(1)})  # Σ_k y_k = 1 (given)
    summed = index_symbols(z).summed
    return shifted.replace(lambda e: isinstance(e, ClassSum), lambda e: ClassSum(e.args[0].xreplace({summed: z})))


def shifted_gradient_holds(name: str) -> bool:
    """The shifted gradient equals the catalogue's derivative, component by component (K = 3), given Σy = 1.

    The index form is re-expanded on concrete components z₁…z₃, y₁…y₃ with M free, y₃ = 1 − y₁ − y₂.
    """
    entry = get(name)
    z_base = entry.wrt
    target = next(b for b in entry.components if b.name == "target")
    zs, ys = entry.components[z_base], entry.components[target]
    expr = shifted_gradient(name)
    concrete = []
    for i in range(len(zs)):
        sums = {ClassSum(sp.exp(z_base - SHIFT)): sum(sp.exp(zk - SHIFT) for zk in zs)}
        concrete.append(expr.xreplace(sums).xreplace({z_base: zs[i], target: ys[i]}))
    exact = gradient(entry)  # component 1 of the derivative, in z₁…z₃, y₁…y₃
    given = entry.given
    for i, value in enumerate(concrete):
        swap = {zs[0]: zs[i], zs[i]: zs[0], ys[0]: ys[i], ys[i]: ys[0]}  # component i by symmetry
        reference = textbook(exact.xreplace(swap)).xreplace(given)
        if sp.simplify(sp.powsimp(sp.expand(value.xreplace(given) - reference))) != 0:
            return False
    return True


def batch_activation(name: str) -> tuple[sp.Expr, sp.Expr]:
    """An activation and its derivative with ``Piecewise((u, u > 0), (0, True))`` written as ``Max(u, 0)``."""
    entry = get(name)

    def as_max(e: sp.Piecewise) -> sp.Expr:
        (value, cond), (rest, otherwise) = e.args if len(e.args) == 2 else (e.args[0], (None, None))
        if isinstance(cond, sp.StrictGreaterThan) and cond.rhs == 0 and value == cond.lhs and rest == 0:
            return sp.Max(value, 0)
        return e

    value = entry.expr.replace(lambda e: isinstance(e, sp.Piecewise), as_max)
    return value, gradient(entry)


def rewrites_hold() -> dict[str, bool]:
    """Every rewrite, checked by SymPy: the shift identity, each shifted gradient, each batch activation."""
    out = {"shift_identity": identity_holds(shift_identity())}
    for name in SHIFTED_LOSSES:
        out[f"{name}_grad_batch"] = shifted_gradient_holds(name)
    for name in BATCH_ACTIVATIONS:
        entry = get(name)
        value, _ = batch_activation(name)
        out[f"{name}_batch"] = sp.simplify(value.rewrite(sp.Piecewise) - entry.expr) == 0
    return out


# --- Printing --------------------------------------------------------------------------------


PROVENANCE = "Generated from the catalogue by ``derive/topics/training.py``; do not edit."


def _function(name: str, args: list[str], doc: list[str], pre: list[str], expr: sp.Expr, names=None) -> str:
    """A batch function: ``doc``'s paragraphs, ``pre`` and ``expr`` stabilised and printed after CSE.

    The printer writes a derivative ``Piecewise((1, c), (0, True))`` as the boolean ``c`` (True = 1):
    multiplied into a float array it is the 0/1 derivative in one pass.  At NaN it is 0, not NaN — the
    upstream gradient of a NaN input is NaN anyway.
    """
    printer = NumPyCodePrinter({"names": names or {}, "indicators": True})
    body = codegen.printed_body(stabilise(expr), printer)
    lines = [f"{a} = as_float({a})" for a in args] + pre + body.returning()
    return codegen.function_source(name, ", ".join(args), [*doc, PROVENANCE], lines)


def display(expr: sp.Expr, z: sp.Symbol) -> sp.Expr:
    """``expr`` as a page writes it: the shift as M, the class sum over z_k."""
    summed = index_symbols(z).summed
    expr = expr.replace(lambda e: isinstance(e, ClassSum), lambda e: ClassSum(e.args[0].xreplace({z: summed})))
    return expr.xreplace({SHIFT: sp.Symbol("M", real=True)})


def shifted_loss_source(name: str) -> str:
    """Source of ``<name>_grad_batch``: the catalogue gradient, max-shifted, for targets summing to one."""
    entry = get(name)
    expr = shifted_gradient(name)
    args = [a.name for a in entry.args if a not in entry.params]
    doc = [
        f"Gradient of {name} with respect to {entry.wrt.name} for finite logits and Σ_k y_k = 1.",
        rf"$$\frac{{\partial L}}{{\partial z}} = {latex(display(expr, entry.wrt), indexed=True)}$$",
        f"M is the row maximum. Equals ``{name}_grad`` there (which also handles ±inf). Over the last axis.",
    ]
    pre = [f"{SHIFT.name} = numpy.max({entry.wrt.name}, axis=-1, keepdims=True)"]
    return _function(f"{name}_grad_batch", args, doc, pre, expr, codegen._array_names(entry))


def batch_activation_sources(name: str) -> tuple[str, str]:
    """Sources of ``<name>_batch`` and ``<name>_grad_batch`` (the derivative as a boolean indicator)."""
    entry = get(name)
    value, gradient = batch_activation(name)
    args = [entry.wrt.name]
    f_doc = [f"{entry.title}, one pass.", f"$$f = {latex(value)}$$", f"Equals ``{name}`` (NaN → NaN)."]
    g_doc = [
        f"Derivative of {name} as a boolean indicator (True = 1): multiply it into the upstream gradient.",
        rf"$$\frac{{\partial f}}{{\partial {latex(entry.wrt)}}} = {latex(gradient)}$$",
        f"Convention: {entry.convention or 'as the catalogue entry'}",
    ]
    value_source = _function(f"{name}_batch", args, f_doc, [], value)
    return value_source, _function(f"{name}_grad_batch", args, g_doc, [], gradient)


def generated_module() -> str:
    """The text of ``numeric/_generated/training.py``."""
    sources, names = [], []
    for name in BATCH_ACTIVATIONS:
        sources += batch_activation_sources(name)
        names += [f"{name}_batch", f"{name}_grad_batch"]
    for name in SHIFTED_LOSSES:
        sources.append(shifted_loss_source(name))
        names.append(f"{name}_grad_batch")
    return codegen.module_text(
        "Batch forms of catalogue formulas for the trainer, generated from derive/topics/training.py", sources, names
    )


GENERATED = codegen.GeneratedModule("training.py", generated_module)
