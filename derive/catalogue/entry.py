"""The catalogue entry: one formula of the course, declared once.

An :class:`Entry` holds the SymPy definition and what is needed to teach and
test it. Everything else — derivative, steps, identity proof, NumPy code,
pages — is computed from it (see :mod:`derive.calculus.derivation`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

ELEMENTWISE = "elementwise"  # f: R -> R applied to every element; gradient is f'
VECTOR_MAP = "vector_map"  # f: R^K -> R^K over the last axis (softmax); gradient is the Jacobian
VECTOR_LOSS = "vector_loss"  # f: R^K -> R over the last axis (cross-entropy); gradient is a vector
KINDS = (ELEMENTWISE, VECTOR_MAP, VECTOR_LOSS)
# Weight initialisation of the layer an activation follows (numeric.mlp's init="auto"):
GLOROT = "glorot"  # Glorot uniform, Var = 2/(n_in + n_out): tanh-like activations (Glorot & Bengio, 2010)
HE = "he"  # He normal, Var = 2/n_in: ReLU-like activations, which zero about half their inputs (He et al., 2015)
LECUN = "lecun"  # LeCun normal, Var = 1/n_in: SELU's self-normalisation assumes it (Klambauer et al., 2017)
INITS = (GLOROT, HE, LECUN)


@dataclass(frozen=True, eq=False)  # hashed by identity: one object per formula
class Entry:
    """One catalogue formula.

    Attributes:
        name: Python identifier; the NumPy functions are ``name`` and ``name_grad``.
        title: Human name for pages and listings.
        group: ``activation``, ``loss`` or ``regulariser``.
        expr: The definition, written with nnmath's function classes
            (``sigmoid``, ``softplus``, ``logsumexp``) so that the derivative
            and the generated code stay in stable form.  For a vector entry it
            is the first component (or the scalar loss) over ``components``.
        wrt: The variable the gradient is taken with respect to.
        args: Arguments of the generated function, in order (``wrt`` first).
        textbook: The definition as a learner writes it, where it differs from
            ``expr`` (tanh as a ratio of exponentials, softmax as e^{z_i}/Σ_j e^{z_j});
            a vector entry's in the index notation of :mod:`derive.calculus.indexed`.
            Pages show it as the definition; the step-by-step derivation starts
            from it; the build proves it equals ``expr`` (and fails if not).
        stable: "How the code computes it", where that differs from the textbook
            form and ``expr`` does not show it (softplus as max(x, 0) + log(1 + e^{-|x|})),
            proven equal to ``expr`` like ``textbook``; ``None``: ``expr`` shows it.
        stable_reason: Why the code does not compute the textbook form as written
            (e^x overflows for x > 709, log 0, cancellation); empty: it does.
        params: Hyper-parameters with their default values, e.g. ``{alpha: 0.01}``.
        identity: The textbook form of the derivative; SymPy must prove it
            equal to the derivation (``None`` when the derivative *is* the form).
        identity_note: What the identity says, or the assumption it needs.
        given: Substitutions that state that assumption for the proof, e.g.
            ``{y3: 1 - y1 - y2}`` for a target that sums to one.
        kinks: Points of ``wrt`` where the function is not differentiable, with the other arguments at the
            values its plot holds them at (the points marked on the plot).
        kink_where: Where the function is not differentiable for every value of its other arguments, as
            equations in them (``ŷ − y = 0``); empty when that is ``kinks`` (a function of ``wrt`` alone).
        convention: What the gradient is at the kinks (matches PyTorch).
        plot_range: x-range for plots.
        summary: One sentence for listings and pages.
        related: Names of related entries.
        kind: ``elementwise``, ``vector_map`` or ``vector_loss`` (see the constants).
        components: For vector entries: symbols per argument, e.g.
            ``{logits: (logits1, logits2, logits3)}``; ``expr`` is written in
            them (for a map: its first output component).
        domain: Where test points are drawn for the cross-check, per argument.
        init: The weight initialisation of a layer with this activation (``glorot``, ``he`` for
            ReLU-like activations, ``lecun``); the trainer reads it through the generated catalogue.
        citation: Where the formula was introduced (authors, title, venue, year), shown on its page.
    """

    name: str
    title: str
    group: str
    expr: sp.Expr
    wrt: sp.Symbol
    args: tuple[sp.Symbol, ...]
    summary: str
    textbook: sp.Expr | None = None
    stable: sp.Expr | None = None
    stable_reason: str = ""
    params: dict[sp.Symbol, float] = field(default_factory=dict)
    identity: sp.Expr | None = None
    identity_note: str = ""
    given: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    kinks: tuple[float, ...] = ()
    kink_where: tuple[sp.Eq, ...] = ()
    convention: str = ""
    plot_range: tuple[float, float] = (-5.0, 5.0)
    related: tuple[str, ...] = ()
    kind: str = ELEMENTWISE
    components: dict[sp.Symbol, tuple[sp.Symbol, ...]] = field(default_factory=dict)
    domain: dict[sp.Symbol, str] = field(default_factory=dict)
    init: str = GLOROT
    citation: str = ""

    @property
    def is_vector(self) -> bool:
        return self.kind != ELEMENTWISE

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"catalogue name {self.name!r} is not a Python identifier")
        if self.wrt not in self.args:
            raise ValueError(f"{self.name}: wrt {self.wrt} is not among args {self.args}")
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}")
        if self.init not in INITS:
            raise ValueError(f"{self.name}: unknown init {self.init!r}; known: {', '.join(INITS)}")
        if self.kind != ELEMENTWISE and self.wrt not in self.components:
            raise ValueError(f"{self.name}: vector entry needs components for {self.wrt}")
