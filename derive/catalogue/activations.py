"""Activation functions: the non-linearities applied after each layer."""

from __future__ import annotations

import sympy as sp

from derive.calculus.functions import logsumexp, normal_cdf, normal_pdf, sigmoid, softplus
from derive.calculus.indexed import Z, class_sum, i, j, softmax_of
from derive.catalogue.entry import HE, LECUN, VECTOR_MAP, Entry
from derive.symbols import alpha, lam, logits, logits_k, x

_z1 = logits_k[0]
_lse = logsumexp(*logits_k)
_p = sp.Matrix([sp.exp(z - _lse) for z in logits_k])  # softmax, component by component

# SELU's constants α₀₁ and λ₀₁ in the closed form of Klambauer et al. (2017), which makes mean 0 and variance 1
# the fixed point of the activations' moments for weights of mean 0 and variance 1/n; rounded to doubles.
_erfc = sp.erfc(1 / sp.sqrt(2))
SELU_ALPHA = float(sp.N(-sp.sqrt(2 / sp.pi) / (_erfc * sp.exp(sp.S.Half) - 1), 30))  # 1.6732632423543772
SELU_LAMBDA = float(
    sp.N(
        (1 - _erfc * sp.sqrt(sp.E))
        * sp.sqrt(2 * sp.pi)
        / sp.sqrt(
            2 * sp.erfc(sp.sqrt(2)) * sp.E**2
            + sp.pi * _erfc**2 * sp.E
            - 2 * (2 + sp.pi) * _erfc * sp.sqrt(sp.E)
            + sp.pi
            + 2
        ),
        30,
    )
)  # 1.0507009873554805
kappa = sp.Symbol("kappa", positive=True)  # GELU-tanh's fitted 0.044715: a symbol, so SymPy proves its forms fast
_u = sp.sqrt(2 / sp.pi) * (x + kappa * x**3)  # the tanh argument of GELU-tanh

ACTIVATIONS: tuple[Entry, ...] = (
    Entry(
        name="sigmoid",
        title="Logistic sigmoid",
        group="activation",
        expr=sigmoid(x),
        wrt=x,
        args=(x,),
        textbook=1 / (1 + sp.exp(-x)),
        stable=sp.Piecewise((1 / (1 + sp.exp(-x)), x >= 0), (sp.exp(x) / (1 + sp.exp(x)), True)),
        stable_reason="e⁻ˣ overflows to ∞ for x < −709; for x < 0 the code uses eˣ/(1 + eˣ), whose exponent is "
        "never positive.",
        identity=sigmoid(x) * (1 - sigmoid(x)),
        summary="Squashes any real number into (0, 1); the probability of the positive class.",
        plot_range=(-8.0, 8.0),
        related=("tanh", "softplus", "binary_cross_entropy_logits", "silu"),
    ),
    Entry(
        name="tanh",
        title="Hyperbolic tangent",
        group="activation",
        expr=sp.tanh(x),
        textbook=(sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x)),
        wrt=x,
        args=(x,),
        stable_reason="For |x| > 709 the ratio of exponentials is ∞/∞ = nan; the code calls NumPy's tanh.",
        identity=1 - sp.tanh(x) ** 2,
        summary="A zero-centred sigmoid with range (-1, 1): tanh(x) = 2σ(2x) − 1.",
        plot_range=(-4.0, 4.0),
        related=("sigmoid",),
    ),
    Entry(
        name="relu",
        title="Rectified linear unit (ReLU)",
        group="activation",
        expr=sp.Piecewise((x, x > 0), (0, True)),
        wrt=x,
        args=(x,),
        kinks=(0.0,),
        convention="ReLU'(0) = 0, as in PyTorch and JAX (the x ≤ 0 branch includes 0).",
        summary="max(0, x): passes positive inputs, zeroes the rest.",
        related=("leaky_relu", "elu", "softplus", "gelu"),
        init=HE,
    ),
    Entry(
        name="leaky_relu",
        title="Leaky ReLU",
        group="activation",
        expr=sp.Piecewise((x, x > 0), (alpha * x, True)),
        wrt=x,
        args=(x, alpha),
        params={alpha: 0.01},
        kinks=(0.0,),
        convention="LeakyReLU'(0) = α, as in PyTorch (the x ≤ 0 branch includes 0).",
        summary="ReLU with a small slope α for negative inputs, so no unit stops learning.",
        related=("relu", "elu"),
        init=HE,
    ),
    Entry(
        name="elu",
        title="Exponential linear unit (ELU)",
        group="activation",
        expr=sp.Piecewise((x, x > 0), (alpha * (sp.exp(x) - 1), True)),
        wrt=x,
        args=(x, alpha),
        params={alpha: 1.0},
        identity=sp.Piecewise((1, x > 0), (alpha * (sp.exp(x) - 1) + alpha, True)),
        kinks=(0.0,),
        convention="ELU'(0) = α, as in PyTorch (the x ≤ 0 branch includes 0); for α = 1 ELU is C¹.",
        summary="Identity for x > 0, a smooth exponential saturating at −α below.",
        related=("relu", "leaky_relu"),
        init=HE,
    ),
    Entry(
        name="softplus",
        title="Softplus",
        group="activation",
        expr=softplus(x),
        wrt=x,
        args=(x,),
        textbook=sp.log(1 + sp.exp(x)),
        stable=sp.Max(x, 0) + sp.log(1 + sp.exp(-sp.Abs(x))),
        stable_reason="eˣ overflows to ∞ for x > 709 (softplus(1000) would be ∞, not 1000); the code computes "
        "max(x, 0) + log(1 + exp(−|x|)), with log1p.",
        identity=sigmoid(x),
        summary="log(1 + eˣ), a smooth ReLU whose derivative is the sigmoid.",
        plot_range=(-6.0, 6.0),
        related=("relu", "sigmoid"),
    ),
    Entry(
        name="log_sigmoid",
        title="Log-sigmoid",
        group="activation",
        expr=sp.log(sigmoid(x)),
        wrt=x,
        args=(x,),
        textbook=-sp.log(1 + sp.exp(-x)),
        stable=-(sp.Max(-x, 0) + sp.log(1 + sp.exp(-sp.Abs(x)))),
        stable_reason="e⁻ˣ overflows for x < −709 and σ(x) rounds to 0 below −745, where log 0 = −∞; the code "
        "computes −softplus(−x) = −max(−x, 0) − log(1 + exp(−|x|)).",
        identity=1 - sigmoid(x),
        summary="log σ(x) = −softplus(−x): the log-probability of the positive class.",
        plot_range=(-6.0, 6.0),
        related=("sigmoid", "softplus", "binary_cross_entropy_logits"),
    ),
    Entry(
        name="gelu",
        title="Gaussian error linear unit (GELU)",
        group="activation",
        expr=x * normal_cdf(x),
        wrt=x,
        args=(x,),
        textbook=x * normal_cdf(x),
        stable=x * sp.erfc(-x / sp.sqrt(2), evaluate=False) / 2,
        stable_reason="Φ(x) = ½(1 + erf(x/√2)) cancels for x < 0 (it is 0 below x ≈ −8.3, and far from Φ before); "
        "the code uses ½ erfc(−x/√2), and the scaled erfcx for x ≤ −1.",
        identity=normal_cdf(x) + x * normal_pdf(x),
        identity_note="Φ(x) + x φ(x), with Φ and φ the standard normal CDF and density.",
        summary="x Φ(x): the input weighted by the probability that a standard normal is below it.",
        plot_range=(-4.0, 4.0),
        related=("relu", "silu"),
        init=HE,
    ),
    Entry(
        name="silu",
        title="SiLU / swish",
        group="activation",
        expr=x * sigmoid(x),
        wrt=x,
        args=(x,),
        textbook=x / (1 + sp.exp(-x)),
        stable_reason="e⁻ˣ overflows for x < −709; the code computes x σ(x) with the sigmoid's stable form.",
        identity=x * sigmoid(x) + sigmoid(x) * (1 - x * sigmoid(x)),
        identity_note="silu' = silu + σ (1 − silu).",
        summary="x σ(x): a smooth, non-monotonic ReLU.",
        plot_range=(-6.0, 6.0),
        related=("sigmoid", "gelu"),
        init=HE,
    ),
    Entry(
        name="softsign",
        title="Softsign",
        group="activation",
        expr=x / (1 + sp.Abs(x)),
        wrt=x,
        args=(x,),
        identity=1 / (1 + sp.Abs(x)) ** 2,
        summary="x/(1 + |x|): a tanh-like squashing into (−1, 1) whose tails approach ±1 polynomially.",
        plot_range=(-6.0, 6.0),
        related=("tanh", "sigmoid"),
        citation="D. L. Elliott, A better activation function for artificial neural networks, ISR Technical "
        "Report TR 93-8, University of Maryland, 1993; compared with tanh in X. Glorot and Y. Bengio, "
        "Understanding the difficulty of training deep feedforward neural networks, AISTATS 2010.",
    ),
    Entry(
        name="mish",
        title="Mish",
        group="activation",
        expr=x * sp.tanh(softplus(x)),
        wrt=x,
        args=(x,),
        textbook=x * sp.tanh(sp.log(1 + sp.exp(x))),
        stable_reason="eˣ overflows for x > 709; the code computes the softplus inside as max(x, 0) + "
        "log(1 + exp(−|x|)).",
        identity=sp.exp(x)
        * (4 * (x + 1) + 4 * sp.exp(2 * x) + sp.exp(3 * x) + sp.exp(x) * (4 * x + 6))
        / (2 * sp.exp(x) + sp.exp(2 * x) + 2) ** 2,
        identity_note="Misra's form eˣω/δ², with ω = 4(x + 1) + 4e²ˣ + e³ˣ + eˣ(4x + 6) and δ = 2eˣ + e²ˣ + 2.",
        summary="x tanh(softplus(x)): a smooth, non-monotonic ReLU, close to SiLU.",
        plot_range=(-6.0, 6.0),
        related=("silu", "softplus", "gelu"),
        init=HE,
        citation="D. Misra, Mish: A Self Regularized Non-Monotonic Activation Function, BMVC 2020 (arXiv:1908.08681).",
    ),
    Entry(
        name="selu",
        title="Scaled exponential linear unit (SELU)",
        group="activation",
        expr=lam * sp.Piecewise((x, x > 0), (alpha * (sp.exp(x) - 1), True)),
        wrt=x,
        args=(x, alpha, lam),
        params={alpha: SELU_ALPHA, lam: SELU_LAMBDA},
        identity=sp.Piecewise((lam, x > 0), (lam * alpha * (sp.exp(x) - 1) + lam * alpha, True)),
        identity_note="SELU' = λ for x > 0 and SELU + λα otherwise.",
        kinks=(0.0,),
        convention="SELU'(0) = λα, as in PyTorch (the x ≤ 0 branch includes 0).",
        summary="λ·ELU with Klambauer's α ≈ 1.6733 and λ ≈ 1.0507: activations keep mean 0 and variance 1.",
        related=("elu", "relu"),
        init=LECUN,
        citation="G. Klambauer, T. Unterthiner, A. Mayr and S. Hochreiter, Self-Normalizing Neural Networks, "
        "NeurIPS 2017 (arXiv:1706.02515); α and λ are its α01 and λ01, from their closed form to double precision.",
    ),
    Entry(
        name="gelu_tanh",
        title="GELU, tanh approximation",
        group="activation",
        expr=x * sigmoid(2 * _u),
        textbook=x * (1 + sp.tanh(_u)) / 2,
        wrt=x,
        args=(x, kappa),
        stable_reason="The code uses x σ(2u), equal to x(1 + tanh u)/2 with one exponential, and clips x where σ is "
        "exactly 0 or 1, since 0.044715x³ overflows for |x| > 1.6·10¹⁰².",
        params={kappa: 0.044715},
        identity=sigmoid(2 * _u) * (1 + 2 * x * sp.diff(_u, x) * sigmoid(-2 * _u)),
        identity_note="σ(2u)(1 + 2xu'σ(−2u)) with u = √(2/π)(x + 0.044715x³): as σ(2u) = (1 + tanh u)/2, this is "
        "(1 + tanh u)/2 + xu'(1 − tanh²u)/2.",
        summary="0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) = xσ(2u): GELU as BERT and GPT-2 compute it.",
        plot_range=(-4.0, 4.0),
        related=("gelu", "silu", "relu"),
        init=HE,
        citation="D. Hendrycks and K. Gimpel, Gaussian Error Linear Units (GELUs), arXiv:1606.08415, 2016.",
    ),
    Entry(
        name="softmax",
        title="Softmax",
        group="activation",
        kind=VECTOR_MAP,
        expr=_p[0],
        wrt=logits,
        args=(logits,),
        textbook=softmax_of(i),
        stable_reason="eᶻ overflows to ∞ for z > 709 (softmax of [1000, 0] would be ∞/∞ = nan); the code "
        "computes exp(zᵢ − LSE(z)), with LSE(z) = m + log Σₖ exp(zₖ − m) and m = maxₖ zₖ, so that no exponent "
        "is positive.",
        components={logits: logits_k},
        identity=sp.diag(*_p) - _p * _p.T,
        identity_note="J = diag(p) − p pᵀ, with p = softmax(z).",
        summary="Turns a vector of scores into a probability distribution over K classes.",
        related=("log_softmax", "categorical_cross_entropy_logits", "sigmoid"),
    ),
    Entry(
        name="log_softmax",
        title="Log-softmax",
        group="activation",
        kind=VECTOR_MAP,
        expr=_z1 - _lse,
        wrt=logits,
        args=(logits,),
        textbook=Z[i] - sp.log(class_sum(sp.exp(Z[j]), j)),
        stable_reason="Σₖ exp(zₖ) overflows for z > 709 and log of an underflowed softmax is −∞; the code computes "
        "zᵢ − LSE(z) with the maximum taken out of the log-sum-exp.",
        components={logits: logits_k},
        identity=sp.eye(len(logits_k)) - sp.ones(len(logits_k), 1) * _p.T,
        identity_note="J = I − 1 pᵀ, with p = softmax(z).",
        summary="log softmax(z) = z − LSE(z), computed without forming the softmax.",
        related=("softmax", "categorical_cross_entropy_logits"),
    ),
)
