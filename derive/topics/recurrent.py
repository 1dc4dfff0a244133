r"""Recurrent networks: backpropagation through time derived by SymPy, and why gradients vanish or explode.

A vanilla RNN with hidden size H, input size D and activation φ (tanh; the linear RNN has φ = id):

    h_t = φ(W h_{t−1} + U x_t + b),   t = 1, …, T.

With a loss L whose direct gradient with respect to each state is g_t = ∂ℓ/∂h_t (g_t = 0 for t < T
when only the last state is scored), backpropagation through time (BPTT) is the recursion

    e_t = g_t + Wᵀ d_{t+1}   (d_{T+1} = 0),      d_t = φ'(h_t) ⊙ e_t,
    ∂L/∂W = Σ_t d_t h_{t−1}ᵀ,  ∂L/∂U = Σ_t d_t x_tᵀ,  ∂L/∂b = Σ_t d_t,  ∂L/∂x_t = Uᵀ d_t,  ∂L/∂h_0 = Wᵀ d_1,

where φ' is derived by ``sp.diff`` and written in the state: tanh' = 1 − tanh² = 1 − h_t ⊙ h_t.
Unrolled, e_k = Σ_{t ≥ k} (∂h_t/∂h_k)ᵀ g_t with the product of Jacobians

    ∂h_t/∂h_k = diag(φ'(h_t)) W · diag(φ'(h_{t−1})) W ⋯ diag(φ'(h_{k+1})) W.

What is proven, at T = 3, H = 2, D = 2 with every weight, input, bias, initial state and upstream
gradient a symbol (:func:`bptt_checks`): the recursion's ∂L/∂W, ∂L/∂U, ∂L/∂b, ∂L/∂x_t and
∂L/∂h_0 equal ``sp.diff`` of the fully expanded loss L = Σ_t g_tᵀ h_t, for tanh and for the linear
RNN; ``Matrix.jacobian`` of h_T with respect to h_k equals the product of Jacobians for every k;
e_k from the recursion equals the unrolled sum.

Vanishing and exploding (:func:`linear_norm_derivation`): for the linear RNN ∂h_T/∂h_0 = W^T.
With W = ρ R(θ) (a rotation scaled by its spectral radius ρ) SymPy proves R(θ)R(Tθ) = R((T+1)θ)
and R(φ)ᵀR(φ) = I, so W^T = ρ^T R(Tθ) and ‖∂h_T/∂h_0‖₂ = ρ^T exactly: log‖·‖ grows like T log ρ —
it vanishes for ρ < 1 and explodes for ρ > 1 (the same holds for ρQ with any orthogonal Q).
With tanh, 0 < φ' ≤ 1 (its maximum, 1 at z = 0, found by SymPy), so ‖∂h_T/∂h_0‖₂ ≤ ‖W‖₂^T:
vanishing is guaranteed for ‖W‖₂ < 1, while for ρ > 1 saturation (φ' < 1) slows the explosion —
the figures measure the slope.

The NumPy functions are printed from the step formulas above (the SymPy matrix expressions that
the proofs evaluate): each line of the loops — forward step, e_t, d_t, the gradient terms, the
Jacobian step — comes from one expression through :func:`step_printer`; the loops and the sum
over the batch (the loss adds the samples) are the structure around them.  Arrays follow
``torch.nn.RNN``: x (T, batch, D), h0 (batch, H), W (H, H), U (H, D), b (H,).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix

from derive.numerics.codegen import GeneratedModule, function_source
from derive.printing.latex import CourseLatexPrinter
from derive.printing.numpy import NumPyCodePrinter

# --- Symbols --------------------------------------------------------------------------------------

H, D = sp.symbols("H D", integer=True, positive=True)  # hidden and input size
T_steps = sp.Symbol("T", integer=True, positive=True)  # sequence length
t = sp.Symbol("t", integer=True, positive=True)  # time step
z = sp.Symbol("z", real=True)  # pre-activation (scalar, for φ and φ')
rho = sp.Symbol("rho", positive=True)  # spectral radius
theta = sp.Symbol("theta", real=True)  # rotation angle

W = sp.MatrixSymbol("W", H, H)
U = sp.MatrixSymbol("U", H, D)
b = sp.MatrixSymbol("b", H, 1)
h_prev = sp.MatrixSymbol("h_{t-1}", H, 1)
h_t = sp.MatrixSymbol("h_{t}", H, 1)
x_t = sp.MatrixSymbol("x_{t}", D, 1)
g_t = sp.MatrixSymbol("g_{t}", H, 1)  # direct gradient ∂ℓ/∂h_t
e_t = sp.MatrixSymbol("e_{t}", H, 1)  # total gradient ∂L/∂h_t
d_t = sp.MatrixSymbol("d_{t}", H, 1)  # gradient with respect to the pre-activation z_t
d_next = sp.MatrixSymbol("d_{t+1}", H, 1)
d_first = sp.MatrixSymbol("d_{1}", H, 1)
J_prev = sp.MatrixSymbol("J_{t-1}", H, H)  # ∂h_{t−1}/∂h_0

# Activations: name -> φ(z).  The linear RNN is the one whose Jacobians are exactly powers of W.
ACTIVATIONS: dict[str, sp.Expr] = {"tanh": sp.tanh(z), "linear": z}


def derivative_in_state(activation: str) -> sp.Expr:
    """φ'(z) written in the state h = φ(z), as a function of the symbol z standing for h: tanh → 1 − z²."""
    phi = ACTIVATIONS[activation]
    prime = sp.diff(phi, z)
    return sp.simplify(prime.subs(phi, z)) if phi != z else prime


def state_derivative_equation(activation: str = "tanh") -> sp.Eq:
    """φ' = φ'(h) in the state h, as the pages write it: φ' = 1 − h² for tanh."""
    return sp.Eq(sp.Symbol(r"\varphi'"), derivative_in_state(activation).subs(z, sp.Symbol("h")), evaluate=False)


def _elementwise(expr: sp.Expr, arg: sp.MatrixExpr) -> sp.MatrixExpr:
    return ElementwiseApplyFunction(sp.Lambda(z, expr), arg)


@dataclass(frozen=True)
class Step:
    """The formulas of one time step, as SymPy matrix expressions (printed into the NumPy loops)."""

    activation: str
    forward: sp.MatrixExpr  # h_t
    total: sp.MatrixExpr  # e_t
    local: sp.MatrixExpr  # d_t
    grad_w: sp.MatrixExpr  # the step's term of ∂L/∂W
    grad_u: sp.MatrixExpr
    grad_b: sp.MatrixExpr
    grad_x: sp.MatrixExpr  # ∂L/∂x_t
    grad_h0: sp.MatrixExpr  # ∂L/∂h_0 (after the last backward step)
    jacobian: sp.MatrixExpr  # ∂h_t/∂h_0 from ∂h_{t−1}/∂h_0

    def prime(self) -> sp.MatrixExpr:
        """φ'(h_t) as an elementwise function of the state."""
        return _elementwise(derivative_in_state(self.activation), h_t)


@cache
def step(activation: str = "tanh") -> Step:
    """The forward step, BPTT's backward step and the Jacobian step for activation φ."""
    pre = W * h_prev + U * x_t + b
    phi = ACTIVATIONS[activation]
    forward = pre if phi == z else _elementwise(phi, pre)
    prime = derivative_in_state(activation)
    local = e_t if prime == 1 else sp.HadamardProduct(_elementwise(prime, h_t), e_t)
    jac = W * J_prev if prime == 1 else DiagMatrix(_elementwise(prime, h_t)) * W * J_prev
    return Step(
        activation,
        forward=forward,
        total=g_t + W.T * d_next,
        local=local,
        grad_w=d_t * h_prev.T,
        grad_u=d_t * x_t.T,
        grad_b=d_t,
        grad_x=U.T * d_t,
        grad_h0=W.T * d_first,
        jacobian=jac,
    )


# --- Explicit small network: the proofs ---------------------------------------------------------------


@dataclass(frozen=True)
class Unrolled:
    """An RNN unrolled over T steps with symbolic weights, inputs and upstream gradients."""

    activation: str
    W: sp.Matrix  # noqa: N815 - matrices are capitals, as on the page
    U: sp.Matrix  # noqa: N815
    b: sp.Matrix
    xs: tuple[sp.Matrix, ...]  # x_1 … x_T
    h0: sp.Matrix
    gs: tuple[sp.Matrix, ...]  # g_1 … g_T
    hs: tuple[sp.Matrix, ...]  # h_0 … h_T (explicit expressions)

    @property
    def steps(self) -> int:
        return len(self.xs)

    @property
    def loss(self) -> sp.Expr:
        """L = Σ_t g_tᵀ h_t."""
        return sp.Add(*[(g.T * h)[0, 0] for g, h in zip(self.gs, self.hs[1:])])


def _matrix(name: str, rows: int, cols: int) -> sp.Matrix:
    if cols == 1:
        return sp.Matrix(rows, 1, [sp.Symbol(f"{name}_{{{i + 1}}}", real=True) for i in range(rows)])
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{{{i + 1}{j + 1}}}", real=True))


def _evaluate(expr: sp.MatrixExpr, values: dict) -> sp.Matrix:
    """A step formula with its matrix symbols replaced by explicit matrices, evaluated."""
    out = expr.xreplace({k: sp.ImmutableMatrix(v) for k, v in values.items()}).doit()
    return sp.Matrix(out.as_explicit() if hasattr(out, "as_explicit") else out)


def run_forward(st: Step, w, u, bias, xs, h0) -> tuple[sp.Matrix, ...]:
    """h_0 … h_T from the forward step formula."""
    hs = [sp.Matrix(h0)]
    for x in xs:
        hs.append(_evaluate(st.forward, {W: w, U: u, b: bias, h_prev: hs[-1], x_t: x}))
    return tuple(hs)


@cache
def unrolled(activation: str = "tanh", steps: int = 3, hidden: int = 2, inputs: int = 2) -> Unrolled:
    """Every weight, input, bias, initial state and upstream gradient a symbol; the states as expressions."""
    w, u, bias, h0 = (
        _matrix("w", hidden, hidden),
        _matrix("u", hidden, inputs),
        _matrix("b", hidden, 1),
        _matrix("h_0", hidden, 1),
    )
    xs = tuple(_matrix(f"x_{t}", inputs, 1) for t in range(1, steps + 1))
    gs = tuple(_matrix(f"g_{t}", hidden, 1) for t in range(1, steps + 1))
    hs = run_forward(step(activation), w, u, bias, xs, h0)
    return Unrolled(activation, w, u, bias, xs, h0, gs, hs)


@dataclass(frozen=True)
class Gradients:
    """∂L/∂W, ∂L/∂U, ∂L/∂b, ∂L/∂x_t (t = 1 … T), ∂L/∂h_0, and e_k = ∂L/∂h_k (k = 0 … T)."""

    W: sp.Matrix  # noqa: N815
    U: sp.Matrix  # noqa: N815
    b: sp.Matrix
    xs: tuple[sp.Matrix, ...]
    h0: sp.Matrix
    totals: tuple[sp.Matrix, ...] = ()


def bptt(net: Unrolled) -> Gradients:
    """The backward recursion, evaluated from the step formulas (the ones printed into NumPy)."""
    st = step(net.activation)
    hidden = net.h0.shape[0]
    d = sp.zeros(hidden, 1)
    gw, gu, gb = sp.zeros(*net.W.shape), sp.zeros(*net.U.shape), sp.zeros(hidden, 1)
    gx, totals = [None] * net.steps, [None] * (net.steps + 1)
    for t in reversed(range(1, net.steps + 1)):
        e = _evaluate(st.total, {net_g: net.gs[t - 1] for net_g in (g_t,)} | {W: net.W, d_next: d})
        d = _evaluate(st.local, {h_t: net.hs[t], e_t: e})
        values = {d_t: d, h_prev: net.hs[t - 1], x_t: net.xs[t - 1], U: net.U}
        gw += _evaluate(st.grad_w, values)
        gu += _evaluate(st.grad_u, values)
        gb += _evaluate(st.grad_b, values)
        gx[t - 1] = _evaluate(st.grad_x, values)
        totals[t] = e
    h0 = _evaluate(st.grad_h0, {W: net.W, d_first: d})
    totals[0] = h0
    return Gradients(gw, gu, gb, tuple(gx), h0, tuple(totals))


def _diff(loss: sp.Expr, m: sp.Matrix) -> sp.Matrix:
    return m.applyfunc(lambda s: sp.diff(loss, s))


@cache
def differentiated(activation: str = "tanh") -> Gradients:
    """``sp.diff`` of the expanded loss L = Σ_t g_tᵀ h_t with respect to every parameter, input and h_0."""
    net = unrolled(activation)
    loss = net.loss
    return Gradients(
        _diff(loss, net.W),
        _diff(loss, net.U),
        _diff(loss, net.b),
        tuple(_diff(loss, x) for x in net.xs),
        _diff(loss, net.h0),
    )


def _same(a: sp.Matrix, b_: sp.Matrix) -> bool:
    return a.shape == b_.shape and all(sp.expand(x - y) == 0 for x, y in zip(a, b_))


def state_jacobian(net: Unrolled, t: int, k: int) -> sp.Matrix:
    """∂h_t/∂h_k by ``Matrix.jacobian``: the forward restarted from a symbolic h_k, then h_k put back."""
    start = _matrix("eta", net.h0.shape[0], 1)
    hs = run_forward(step(net.activation), net.W, net.U, net.b, net.xs[k:t], start)
    jac = hs[-1].jacobian(start)
    return jac.xreplace(dict(zip(start, net.hs[k])))


def jacobian_product(net: Unrolled, t: int, k: int) -> sp.Matrix:
    """diag(φ'(h_t)) W ⋯ diag(φ'(h_{k+1})) W, from the Jacobian step formula (J_k = I)."""
    st = step(net.activation)
    jac = sp.eye(net.h0.shape[0])
    for s in range(k + 1, t + 1):
        jac = _evaluate(st.jacobian, {W: net.W, h_t: net.hs[s], J_prev: jac})
    return jac


def jacobian_products(net: Unrolled) -> dict[tuple[int, int], sp.Matrix]:
    """:func:`jacobian_product` of every t ≥ k (keys (t, k)), each product extended from the one before it by one
    step formula (the same products, with one evaluation per step instead of one per step and pair)."""
    st, out = step(net.activation), {}
    for k in range(net.steps + 1):
        jac = out[k, k] = sp.eye(net.h0.shape[0])
        for s in range(k + 1, net.steps + 1):
            jac = out[s, k] = _evaluate(st.jacobian, {W: net.W, h_t: net.hs[s], J_prev: jac})
    return out


@cache
def bptt_checks(activation: str = "tanh") -> dict[str, bool]:
    """At T = 3, H = 2, D = 2 (all symbolic): BPTT = sp.diff, Jacobian = product of Jacobians, recursion = unrolled."""
    net = unrolled(activation)
    rec, ref = bptt(net), differentiated(activation)
    out = {
        "∂L/∂W: Σ_t d_t h_{t−1}ᵀ = sp.diff": _same(rec.W, ref.W),
        "∂L/∂U: Σ_t d_t x_tᵀ = sp.diff": _same(rec.U, ref.U),
        "∂L/∂b: Σ_t d_t = sp.diff": _same(rec.b, ref.b),
        "∂L/∂x_t: Uᵀ d_t = sp.diff (every t)": all(_same(a, c) for a, c in zip(rec.xs, ref.xs)),
        "∂L/∂h_0: Wᵀ d_1 = sp.diff": _same(rec.h0, ref.h0),
    }
    jacobians = jacobian_products(net)
    products = all(_same(state_jacobian(net, net.steps, k), jacobians[net.steps, k]) for k in range(net.steps))
    out["∂h_T/∂h_k = Π diag(φ'(h_t)) W (every k)"] = products
    unrolled_sum = all(
        _same(
            rec.totals[k],
            sum(
                (jacobians[s, k].T * net.gs[s - 1] for s in range(max(k, 1), net.steps + 1)),
                sp.zeros(net.h0.shape[0], 1),
            ),
        )
        for k in range(net.steps + 1)
    )
    out["e_k = Σ_{t≥k} (∂h_t/∂h_k)ᵀ g_t (recursion = unrolled, every k)"] = unrolled_sum
    return out


def unrolled_equation() -> sp.Eq:
    """e_k = Σ_{t=k}^{T} (∂h_t/∂h_k)ᵀ g_t: what each later loss sends back to h_k through the product of Jacobians."""
    k = sp.Symbol("k", integer=True, nonnegative=True)
    jac = sp.MatrixSymbol(r"\frac{\partial h_{t}}{\partial h_{k}}", H, H)
    e_k = sp.MatrixSymbol("e_{k}", H, 1)
    return sp.Eq(e_k, sp.Sum(jac.T * g_t, (t, k, T_steps)), evaluate=False)


# --- Vanishing and exploding gradients -----------------------------------------------------------------


def rotation(angle: sp.Expr) -> sp.Matrix:
    """R(θ), the 2-D rotation: orthogonal, eigenvalues e^{±iθ}, spectral radius 1."""
    return sp.Matrix([[sp.cos(angle), -sp.sin(angle)], [sp.sin(angle), sp.cos(angle)]])


@dataclass(frozen=True)
class LinearNorm:
    """∂h_T/∂h_0 of the linear RNN with W = ρR(θ), and its norm, proven for every T."""

    weight: sp.Matrix  # ρ R(θ)
    power: sp.Matrix  # ρ^T R(Tθ) = W^T
    norm: sp.Expr  # ‖W^T‖₂ = ρ^T
    slope: sp.Expr  # log‖W^T‖₂ / T = log ρ
    induction_step: bool  # R(θ) R(Tθ) = R((T+1)θ)
    orthogonal: bool  # R(φ)ᵀ R(φ) = I
    spectral_radius: sp.Expr  # max |eigenvalue| of W = ρ
    tanh_prime: sp.Expr  # tanh'(z) by sp.diff: 1 − tanh²(z)
    tanh_prime_max: sp.Expr  # max of tanh'(z) = 1, at z = 0
    tanh_prime_positive: bool  # tanh'(z) = sech²(z) > 0

    @property
    def proven(self) -> bool:
        """Every step holds: the induction, orthogonality, tanh' = sech² and ‖W^T‖₂ = ρ^T."""
        return self.induction_step and self.orthogonal and self.tanh_prime_positive and self.norm == rho**T_steps


@cache
def linear_norm_derivation() -> LinearNorm:
    """W^T = ρ^T R(Tθ) by induction, ‖W^T‖₂ = ρ^T; tanh' ≤ 1 so tanh can only shrink the linear bound."""
    weight = rho * rotation(theta)
    power = rho**T_steps * rotation(T_steps * theta)
    # cos((T + 1)θ), sin((T + 1)θ) by the addition formulas, then expanded: every entry cancels to 0
    induction = (rotation(theta) * rotation(T_steps * theta) - rotation((T_steps + 1) * theta)).applyfunc(
        lambda entry: sp.expand(entry, trig=True)
    )
    orth = (rotation(z).T * rotation(z) - sp.eye(2)).applyfunc(sp.trigsimp)  # cos² + sin² − 1 = 0
    # ‖A‖₂ = √(largest eigenvalue of AᵀA); AᵀA = ρ^{2T} I here
    gram = sp.simplify(power.T * power)
    norm = sp.sqrt(max(gram.eigenvals(), key=sp.default_sort_key))
    norm = sp.powsimp(sp.simplify(norm), force=True)
    slope = sp.expand_log(sp.log(norm) / T_steps, force=True)
    # |ρ(cos θ ± i sin θ)|² = ρ²(cos²θ + sin²θ) = ρ² (trigsimp), so every eigenvalue has modulus ρ
    radius = sp.Max(*[sp.sqrt(sp.trigsimp(sp.expand(ev * sp.conjugate(ev)))) for ev in weight.eigenvals()])
    prime = sp.diff(sp.tanh(z), z)
    critical = sp.solve(sp.diff(prime, z), z)
    top = sp.Max(*[prime.subs(z, c) for c in critical])
    positive = sp.simplify(prime - sp.sech(z) ** 2) == 0
    return LinearNorm(
        weight,
        power,
        norm,
        sp.simplify(slope),
        induction == sp.zeros(2, 2),
        orth == sp.zeros(2, 2),
        sp.simplify(radius),
        prime,
        top,
        positive,
    )


def linear_norm_equations() -> dict[str, sp.Basic]:
    """:func:`linear_norm_derivation` as the pages write it: W, the induction step, W^T, its norm and slope; tanh'.

    ``radius`` and ``prime_max`` are values; every other entry is an equation.
    """
    ln = linear_norm_derivation()
    norm = sp.Symbol(r"\left\lVert \frac{\partial h_{T}}{\partial h_{0}} \right\rVert_{2}")
    slope = sp.Symbol(r"\frac{1}{T} \log \left\lVert W^{T} \right\rVert_{2}")
    return {
        "weight": sp.Eq(sp.Symbol("W"), ln.weight, evaluate=False),
        "power": sp.Eq(sp.Symbol("W^{T}"), ln.power, evaluate=False),
        "induction": sp.Eq(
            sp.MatMul(rotation(theta), rotation(T_steps * theta), evaluate=False),
            rotation((T_steps + 1) * theta),
            evaluate=False,
        ),
        "norm": sp.Eq(norm, ln.norm, evaluate=False),
        "slope": sp.Eq(slope, ln.slope, evaluate=False),
        "radius": ln.spectral_radius,
        "prime": sp.Eq(sp.Derivative(sp.tanh(z), z), ln.tanh_prime, evaluate=False),
        "sech": sp.Eq(ln.tanh_prime, sp.sech(z) ** 2, evaluate=False),
        "prime_max": ln.tanh_prime_max,
    }


# --- LaTeX of the step formulas -----------------------------------------------------------------------


def step_latex(expr: sp.Basic) -> str:
    """LaTeX of a step formula (elementwise functions applied to the vector; ⊙ for the elementwise product)."""
    return CourseLatexPrinter({"transpose": r"\top", "elementwise_product": r"\odot"}).doprint(expr)


def step_equations(activation: str = "tanh") -> dict[str, sp.Eq]:
    """The step formulas as equations, for pages and handouts."""
    st = step(activation)
    dh = sp.MatrixSymbol(r"\frac{\partial h_{t}}{\partial h_{0}}", H, H)
    dh_prev = sp.MatrixSymbol(r"\frac{\partial h_{t-1}}{\partial h_{0}}", H, H)
    grads = {
        "W": sp.MatrixSymbol(r"\frac{\partial L}{\partial W}", H, H),
        "U": sp.MatrixSymbol(r"\frac{\partial L}{\partial U}", H, D),
        "b": sp.MatrixSymbol(r"\frac{\partial L}{\partial b}", H, 1),
        "x": sp.MatrixSymbol(r"\frac{\partial L}{\partial x_{t}}", D, 1),
        "h0": sp.MatrixSymbol(r"\frac{\partial L}{\partial h_{0}}", H, 1),
    }
    return {
        "forward": sp.Eq(h_t, st.forward, evaluate=False),
        "total": sp.Eq(e_t, st.total, evaluate=False),
        "local": sp.Eq(d_t, st.local, evaluate=False),
        "grad_w": sp.Eq(grads["W"], sp.Sum(st.grad_w, (t, 1, T_steps)), evaluate=False),
        "grad_u": sp.Eq(grads["U"], sp.Sum(st.grad_u, (t, 1, T_steps)), evaluate=False),
        "grad_b": sp.Eq(grads["b"], sp.Sum(st.grad_b, (t, 1, T_steps)), evaluate=False),
        "grad_x": sp.Eq(grads["x"], st.grad_x, evaluate=False),
        "grad_h0": sp.Eq(grads["h0"], st.grad_h0, evaluate=False),
        "jacobian": sp.Eq(dh, st.jacobian.xreplace({J_prev: dh_prev}), evaluate=False),
    }


def product_formula(steps: int = 3, activation: str = "tanh") -> sp.Eq:
    """∂h_T/∂h_0 = diag(φ'(h_T)) W ⋯ diag(φ'(h_1)) W, written out for ``steps`` steps."""
    prime = derivative_in_state(activation)
    factors = []
    for t in range(steps, 0, -1):
        h = sp.MatrixSymbol(f"h_{{{t}}}", H, 1)
        factors += [W] if prime == 1 else [DiagMatrix(_elementwise(prime, h)), W]
    lhs = sp.MatrixSymbol(rf"\frac{{\partial h_{{{steps}}}}}{{\partial h_{{0}}}}", H, H)
    return sp.Eq(lhs, sp.MatMul(*factors), evaluate=False)


# --- The generated NumPy module ---------------------------------------------------------------------


# Python names inside the loops: h[0] is h_0, so h_t is h[t + 1] while t runs 0 … T − 1.
LOOP_NAMES = {
    W: "w",
    U: "u",
    b: "b",
    h_prev: "h[t]",
    h_t: "h[t + 1]",
    x_t: "x[t]",
    g_t: "g[t]",
    e_t: "e",
    d_t: "d",
    d_next: "d",
    d_first: "d",
    J_prev: "jac",
}

PREFIX = {"tanh": "rnn", "linear": "linear_rnn"}
PROVENANCE = "Generated from the step formulas in ``derive/topics/recurrent.py``; do not edit."


def step_printer(names: dict[sp.Basic, str] = LOOP_NAMES) -> NumPyCodePrinter:
    """The NumPy printer for the step formulas: column vectors as (batch, n, 1) arrays, ``@`` for products
    over the batch, the matrices by their Python names inside the loops."""
    return NumPyCodePrinter({"names": names, "batch": True})


def _setup(with_g: bool) -> list[str]:
    lines = [
        "x = as_float(x)[..., None]",
        "h0 = as_float(h0)[..., None]",
        "w = as_float(w)",
        "u = as_float(u)",
        "b = as_float(b)[:, None]",
    ]
    return lines + (["g = as_float(g)[..., None]"] if with_g else [])


def function_sources(activation: str) -> list[tuple[str, str]]:
    """(name, source) of the forward pass, BPTT and the state Jacobians for one activation."""
    st, eq = step(activation), step_equations(activation)
    pr = step_printer()
    prefix = PREFIX[activation]
    forward_loop = ["h = [h0]", "for t in range(x.shape[0]):", f"    h.append({pr.doprint(st.forward)})"]

    def doc(what: str, *keys: str) -> list[str]:
        return [what, "\n".join(f"$${step_latex(eq[k])}$$" for k in keys), PROVENANCE]

    forward_doc = doc(
        f"States h_1 … h_T of the {activation} RNN, shape (T, batch, H), as torch.nn.RNN's output.", "forward"
    )
    forward_body = _setup(False) + forward_loop + ["return numpy.stack(h[1:])[..., 0]"]
    backward_doc = doc(
        f"Backpropagation through time for the {activation} RNN: the gradients of L = Σ_t g_t·h_t with respect to "
        "x, h0, w, u and b (the loss sums over the batch), given g = ∂L/∂h_t of shape (T, batch, H).",
        *("forward", "total", "local", "grad_w", "grad_u", "grad_b", "grad_x", "grad_h0"),
    )
    backward_body = (
        _setup(True)
        + forward_loop
        + [
            "dw = numpy.zeros_like(w)",
            "du = numpy.zeros_like(u)",
            "db = numpy.zeros_like(b)",
            "dx = numpy.zeros_like(x)",
            "d = numpy.zeros_like(h0)",
            "for t in reversed(range(x.shape[0])):",
            f"    e = {pr.doprint(st.total)}",
            f"    d = {pr.doprint(st.local)}",
            f"    dw += numpy.sum({pr.doprint(st.grad_w)}, axis=0)",
            f"    du += numpy.sum({pr.doprint(st.grad_u)}, axis=0)",
            f"    db += numpy.sum({pr.doprint(st.grad_b)}, axis=0)",
            f"    dx[t] = {pr.doprint(st.grad_x)}",
            f"dh0 = {pr.doprint(st.grad_h0)}",
            "return dx[..., 0], dh0[..., 0], dw, du, db[:, 0]",
        ]
    )
    jacobians_doc = doc(
        f"∂h_t/∂h_0 for t = 1 … T of the {activation} RNN, shape (T, batch, H, H): the product of step Jacobians.",
        *("forward", "jacobian"),
    )
    jacobians_body = _setup(False) + [
        "jac = numpy.broadcast_to(numpy.eye(w.shape[0], dtype=w.dtype), h0.shape[:-2] + w.shape).copy()",
        "h = [h0]",
        "out = []",
        "for t in range(x.shape[0]):",
        f"    h.append({pr.doprint(st.forward)})",
        f"    jac = {pr.doprint(st.jacobian)}",
        "    out.append(jac)",
        "return numpy.stack(out)",
    ]
    functions = [
        (f"{prefix}_forward", "x, h0, w, u, b", forward_doc, forward_body),
        (f"{prefix}_backward", "x, h0, w, u, b, g", backward_doc, backward_body),
        (f"{prefix}_state_jacobians", "x, h0, w, u, b", jacobians_doc, jacobians_body),
    ]
    return [(name, function_source(name, args, d, body)) for name, args, d, body in functions]


def generated_module() -> str:
    """``numeric/_generated/recurrent.py``: forward, BPTT and state Jacobians for the tanh and linear RNN."""
    from derive.numerics.codegen import module_text

    pairs = [p for activation in ACTIVATIONS for p in function_sources(activation)]
    return module_text(
        "NumPy recurrent networks generated from derive/topics/recurrent.py",
        [s for _, s in pairs],
        [n for n, _ in pairs],
    )


GENERATED = GeneratedModule("recurrent.py", generated_module)


def formulas() -> list[tuple[str, str]]:
    """``nnmath list`` entries of this topic."""
    return [
        ("rnn_forward", "h_t = tanh(W h_(t-1) + U x_t + b), the states for t = 1…T (as torch.nn.RNN)"),
        ("rnn_backward", "backpropagation through time: e_t = g_t + Wᵀ d_(t+1), d_t = (1 − h_t ⊙ h_t) ⊙ e_t"),
        ("rnn_state_jacobians", "∂h_t/∂h_0 = Π diag(1 − h_s ⊙ h_s) W, the product of step Jacobians"),
        ("linear_rnn_forward", "h_t = W h_(t-1) + U x_t + b"),
        ("linear_rnn_backward", "BPTT of the linear RNN: e_t = g_t + Wᵀ e_(t+1)"),
        ("linear_rnn_state_jacobians", "∂h_t/∂h_0 = W^t: norm ρ^t for W = ρ·(orthogonal), proven"),
    ]


__all__ = [
    "ACTIVATIONS",
    "derivative_in_state",
    "Step",
    "step",
    "Unrolled",
    "unrolled",
    "Gradients",
    "bptt",
    "differentiated",
    "state_jacobian",
    "jacobian_product",
    "bptt_checks",
    "rotation",
    "LinearNorm",
    "linear_norm_derivation",
    "step_latex",
    "step_equations",
    "product_formula",
    "step_printer",
    "function_sources",
    "generated_module",
    "formulas",
]
