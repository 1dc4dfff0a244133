"""The probability behind the activations, the losses and the metrics, derived by SymPy.

* **Log-odds.** σ is the inverse of the logit log(p/(1 − p)): SymPy proves
  logit(σ(x)) = x for every real x and σ(logit(p)) = p for 0 < p < 1.
* **Softmax is a categorical distribution.** For *any* number of classes K
  (K is a symbol, the sums are ``sympy.Sum``): every component is positive,
  the components sum to 1, and adding a constant c to every logit changes
  nothing.  The catalogue's own softmax (K = 3, in log-sum-exp form) is
  checked too, and for K = 2 softmax is σ of the difference of the logits.
* **Losses are negative log-likelihoods.** −log of the Bernoulli likelihood
  p^y (1 − p)^(1 − y) *is* the catalogue's binary cross-entropy; −log of the
  categorical likelihood ∏ₖ pₖ^yₖ is its categorical cross-entropy; the
  Gaussian −log N(y | ŷ, s²) is the squared error divided by 2s² plus a
  constant, and the Laplace one the absolute error divided by b plus a constant.
  With p = σ(z) or p = softmax(z) the logit forms of the catalogue follow.
* **Maximum likelihood.** Setting d/dθ of the negative log-likelihood of N
  samples to 0 gives the sample mean for the Bernoulli parameter and the
  Gaussian mean (N symbolic), and pₖ = nₖ/N for a categorical distribution
  (Lagrange multiplier, K = 3).
* **Metrics.** Accuracy, precision, recall and F1 as expressions of the
  counts TP, FP, FN, TN; F1 as the harmonic mean of precision and recall is
  proven equal to 2TP/(2TP + FP + FN).  The NumPy functions of
  ``numeric/_generated/probability.py`` are printed from these expressions.

Every claim is a :class:`Claim` whose ``holds`` SymPy established; the tests
assert each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp
from sympy.codegen.cfunctions import log1p

from derive.calculus.derivation import equal
from derive.calculus.functions import logsumexp, sigmoid, textbook
from derive.catalogue import get
from derive.numerics.codegen import GeneratedModule
from derive.symbols import logits, logits_k, pred, prob, prob_k, target, target_k

x = sp.Symbol("x", real=True)
p = sp.Symbol("p", positive=True)  # a probability, 0 < p < 1
c = sp.Symbol("c", real=True)  # a constant shift of the logits

# Symbolic sizes and indices: K classes, N samples.
K = sp.Symbol("K", integer=True, positive=True)
N = sp.Symbol("N", integer=True, positive=True)
i, j, k, n = sp.symbols("i j k n", integer=True, positive=True)
z = sp.IndexedBase("z", real=True)  # the logits z_1, ..., z_K
y = sp.IndexedBase("y", real=True)  # the targets y_1, ..., y_N of N samples

theta = sp.Symbol("theta", positive=True)  # the parameter of a Bernoulli distribution, 0 < θ < 1
mu = sp.Symbol("mu", real=True)  # the mean of a Gaussian
s = sp.Symbol("s", positive=True)  # the standard deviation of the Gaussian noise
b = sp.Symbol("b", positive=True)  # the scale of the Laplace noise
lagrange = sp.Symbol("lambda", real=True)

# The counts of a binary confusion matrix (one class against the rest).
tp, fp, fn, tn = sp.symbols("tp fp fn tn", integer=True, nonnegative=True)
COUNT_NAMES = {tp: r"\mathrm{TP}", fp: r"\mathrm{FP}", fn: r"\mathrm{FN}", tn: r"\mathrm{TN}"}


@dataclass(frozen=True)
class Claim:
    """A relation SymPy established: ``lhs relation rhs`` (``=`` unless said); ``holds`` is the result of the proof."""

    name: str
    text: str
    lhs: sp.Basic
    rhs: sp.Basic
    holds: bool
    relation: str = "="

    @property
    def equation(self) -> sp.Basic:
        return sp.Rel(self.lhs, self.rhs, "==" if self.relation == "=" else self.relation, evaluate=False)


def _is_zero(expr: sp.Basic) -> bool:
    return sp.simplify(expr) == 0


# --- Log-odds ------------------------------------------------------------------------------------


def logit(q: sp.Expr) -> sp.Expr:
    r"""The log-odds :math:`\operatorname{logit}(p) = \log \frac{p}{1 - p}`."""
    return sp.log(q / (1 - q))


MIDDLE = (sp.Rational(1, 4), sp.Rational(3, 4))  # where log p − log1p(−p) would cancel (it is 0 at p = 1/2)


def logit_branches(q: sp.Expr) -> list[tuple[sp.Expr, sp.Basic]]:
    """The logit in two forms, each accurate where it is used (a few ulp):

    * on [1/4, 3/4]: log1p((2p − 1)/(1 − p)) — 2p − 1 is exact there, and log1p has no cancellation near 0;
    * elsewhere: log p − log1p(−p) — the two logs differ in size, so nothing cancels.
    """
    low, high = MIDDLE
    return [
        (log1p((2 * q - 1) / (1 - q)), sp.And(q >= low, q <= high)),
        (sp.log(q) - log1p(-q), sp.true),
    ]


def logit_stable(q: sp.Expr) -> sp.Piecewise:
    """:func:`logit_branches` as one Piecewise for code generation.

    The middle branch is evaluated on p clipped to [1/4, 3/4] (``numpy.where`` evaluates every branch), so it is
    finite for every input; the outer branch is finite on (0, 1) and ±inf at 0 and 1, as the logit is.
    """
    (middle, where), (outer, _) = logit_branches(q)
    clipped = sp.Min(sp.Max(q, MIDDLE[0]), MIDDLE[1])
    return sp.Piecewise((middle.xreplace({q: clipped}), where), (outer, True))


def _same_log(a: sp.Expr, b: sp.Expr) -> bool:
    """a = b for two real logarithmic expressions: exp is one-to-one on the reals, so compare e^a and e^b."""
    as_log = lambda e: e.replace(log1p, lambda u: sp.log(1 + u))  # noqa: E731
    return _is_zero(sp.exp(as_log(a)) - sp.exp(as_log(b)))


def log_odds_claims() -> list[Claim]:
    """σ and logit are inverse to each other; each branch of the generated logit equals the textbook one."""
    # every argument of a log here is positive for 0 < p < 1, so both sides are real
    branches_hold = all(_same_log(form, logit(p)) for form, _ in logit_branches(p))
    shown = sp.Piecewise(*[(form, cond) for form, cond in logit_branches(p)])
    return [
        Claim(
            "logit_of_sigmoid",
            "The log-odds of σ(x) is x, for every real x.",
            logit(sigmoid(x)),
            x,
            _is_zero(textbook(logit(sigmoid(x))) - x),
        ),
        Claim(
            "sigmoid_of_logit",
            "σ of the log-odds of p is p, for 0 < p < 1.",
            sigmoid(logit(p)),
            p,
            _is_zero(textbook(sigmoid(logit(p))) - p),
        ),
        Claim(
            "logit_stable",
            "The forms the generated code uses: each branch equals the logit, and the split avoids cancellation "
            "near p = 1/2.",
            logit(p),
            shown,
            branches_hold,
        ),
    ]


# --- Softmax as a categorical distribution -------------------------------------------------------


def softmax_component(logit_of, index: sp.Expr, classes: sp.Expr = K) -> sp.Expr:
    r""":math:`\operatorname{softmax}(\mathbf{z})_i = e^{z_i} / \sum_{k=1}^{K} e^{z_k}` for symbolic K.

    ``logit_of(m)`` gives the logit of class m (e.g. ``lambda m: z[m]``).
    """
    return sp.exp(logit_of(index)) / sp.Sum(sp.exp(logit_of(k)), (k, 1, classes))


def canonical_sums(expr: sp.Basic) -> sp.Basic:
    """Rename the bound variables of every ``Sum`` to k, then j (alpha-renaming: the value is unchanged).

    Σᵢ e^{zᵢ} and Σₖ e^{zₖ} are the same sum; after renaming, SymPy sees it.
    """

    def rename(sum_: sp.Sum) -> sp.Sum:
        fresh = [sp.Dummy(f"b{m}") for m in range(len(sum_.variables))]
        out = sum_.xreplace(dict(zip(sum_.variables, fresh)))
        return out.xreplace(dict(zip(fresh, (k, j, i)[: len(fresh)])))

    return expr.replace(lambda e: isinstance(e, sp.Sum), rename)


def softmax_claims() -> list[Claim]:
    """Positive, sums to one, shift-invariant (symbolic K); the catalogue softmax too (K = 3); K = 2 gives σ."""
    p_i = softmax_component(lambda m: z[m], i)
    total = sp.Sum(p_i, (i, 1, K))
    shifted = softmax_component(lambda m: z[m] + c, i)

    entry = get("softmax")  # component 1 of softmax over z1, z2, z3, written exp(z1 - LSE(z))
    shift = {zk: zk + c for zk in entry.components[entry.wrt]}
    catalogue_shifted = entry.expr.xreplace(shift)

    z1, z2 = sp.symbols("z1 z2", real=True)
    two = sp.exp(z1) / (sp.exp(z1) + sp.exp(z2))
    return [
        Claim(
            "softmax_positive",
            "Every component is positive: a positive numerator over a sum of positive terms (K ≥ 1).",
            p_i,
            sp.S.Zero,
            bool(p_i.is_positive),
            relation=">",
        ),
        Claim(
            "softmax_sums_to_one",
            "The components sum to one for any number of classes K: the denominator does not depend on i.",
            total,
            sp.S.One,
            canonical_sums(sp.simplify(total)) == 1,
        ),
        Claim(
            "softmax_shift",
            "Adding the same constant c to every logit leaves the distribution unchanged, for any K: "
            "exp(c) factors out of the numerator and of every term of the denominator.",
            shifted,
            p_i,
            _is_zero(shifted - p_i),
        ),
        Claim(
            "softmax_shift_catalogue",
            "The catalogue's softmax (K = 3, log-sum-exp form, as the NumPy code computes it) is shift-invariant.",
            catalogue_shifted,
            entry.expr,
            equal(catalogue_shifted, entry.expr),
        ),
        Claim(
            "softmax_two_classes",
            "With two classes softmax is the sigmoid of the difference of the logits.",
            two,
            sigmoid(z1 - z2),
            _is_zero(textbook(sigmoid(z1 - z2)) - two),
        ),
        Claim(
            "softmax_log_odds",
            "The log-odds of class i against class j is the difference of their logits.",
            sp.log(p_i / softmax_component(lambda m: z[m], j)),
            z[i] - z[j],
            # the sums cancel, leaving e^{z_i - z_j}; its log is z_i - z_j because the logits are real
            _is_zero(sp.log(sp.simplify(p_i / softmax_component(lambda m: z[m], j))) - (z[i] - z[j])),
        ),
    ]


# --- Losses as negative log-likelihoods ----------------------------------------------------------


@dataclass(frozen=True)
class Likelihood:
    """A noise model whose negative log-likelihood is a catalogue loss (times ``scale``) plus ``constant``.

    Attributes:
        name: Identifier of the derivation.
        model: One line: the distribution of the target given the prediction.
        density: P(y | prediction) as a SymPy expression.
        nll: −log of the density, expanded.
        loss: Catalogue name of the loss.
        scale: Factor in front of the loss (1 for the cross-entropies).
        constant: What is left: ``nll − scale · loss``; it does not depend on the prediction.
        holds: SymPy proved ``nll = scale · loss + constant`` with a constant free of prediction and target
            (a Gaussian's or Laplace's constant depends only on the noise scale).
    """

    name: str
    model: str
    density: sp.Expr
    nll: sp.Expr
    loss: str
    scale: sp.Expr
    constant: sp.Expr
    holds: bool

    def constant_at(self, deviation: float, scale: float) -> float:
        """The constant for a Gaussian standard deviation s = ``deviation`` and a Laplace scale b = ``scale``."""
        return float(self.constant.subs({s: deviation, b: scale}))


def _likelihood(
    name: str, model: str, density: sp.Expr, loss: str, scale: sp.Expr, subs: dict | None = None
) -> Likelihood:
    # expand_log(force=True): every factor of the density is positive (0 < p < 1, s, b > 0)
    nll = sp.expand_log(-sp.log(density), force=True)
    loss_expr = get(loss).expr.xreplace(subs or {})
    constant = sp.simplify(textbook(nll - scale * loss_expr))
    free = constant.free_symbols & ({pred, target, prob, logits} | set(prob_k) | set(target_k) | set(logits_k))
    return Likelihood(name, model, density, nll, loss, scale, constant, not free)


@cache
def likelihoods() -> tuple[Likelihood, ...]:
    """Bernoulli → binary cross-entropy; categorical → categorical cross-entropy; Gaussian → MSE; Laplace → MAE.

    The logit forms: p = σ(z) in the Bernoulli likelihood gives ``binary_cross_entropy_logits``,
    p = softmax(z) in the categorical one gives ``categorical_cross_entropy_logits``.
    """
    softmax_k = [sp.exp(zk - logsumexp(*logits_k)) for zk in logits_k]
    bernoulli = prob**target * (1 - prob) ** (1 - target)
    categorical = sp.Mul(*[pk**yk for pk, yk in zip(prob_k, target_k)])
    gaussian = sp.exp(-((target - pred) ** 2) / (2 * s**2)) / sp.sqrt(2 * sp.pi * s**2)
    laplace = sp.exp(-sp.Abs(target - pred) / b) / (2 * b)
    return (
        _likelihood("bernoulli", "y ∈ {0, 1} is 1 with probability p", bernoulli, "binary_cross_entropy", sp.S.One),
        _likelihood(
            "bernoulli_logits",
            "the same with p = σ(z)",
            bernoulli.xreplace({prob: sigmoid(logits)}),
            "binary_cross_entropy_logits",
            sp.S.One,
        ),
        _likelihood(
            "categorical",
            "y is one-hot over K classes, class k having probability pₖ",
            categorical,
            "categorical_cross_entropy",
            sp.S.One,
        ),
        _likelihood(
            "categorical_logits",
            "the same with p = softmax(z)",
            categorical.xreplace(dict(zip(prob_k, softmax_k))),
            "categorical_cross_entropy_logits",
            sp.S.One,
        ),
        _likelihood("gaussian", "y = ŷ + Gaussian noise of standard deviation s", gaussian, "mse", 1 / (2 * s**2)),
        _likelihood("laplace", "y = ŷ + Laplace noise of scale b", laplace, "mae", 1 / b),
    )


def categorical_nll_any_k() -> Claim:
    """−log ∏ₖ pₖ^yₖ = −Σₖ yₖ log pₖ for a symbolic number of classes K (the catalogue's entry has K = 3)."""
    p_k, y_k = sp.IndexedBase("p", positive=True), sp.IndexedBase("y", real=True)
    product = sp.Product(p_k[k] ** y_k[k], (k, 1, K))
    cross_entropy = -sp.Sum(y_k[k] * sp.log(p_k[k]), (k, 1, K))
    nll = sp.expand_log(-sp.log(product), force=True)  # every p_k > 0
    return Claim(
        "categorical_any_k",
        "For any number of classes K, −log of the categorical likelihood is the cross-entropy.",
        -sp.log(product),
        cross_entropy,
        _is_zero(linear_sums(nll) - linear_sums(cross_entropy)),
    )


def likelihood(name: str) -> Likelihood:
    """One of :func:`likelihoods` by name."""
    return next(item for item in likelihoods() if item.name == name)


# --- Maximum likelihood --------------------------------------------------------------------------


def split_sum(sum_: sp.Sum) -> sp.Expr:
    """Linearity of a sum: Σ (a·f + g) = a·Σ f + Σ g for a free of the index; Σ 1 = N."""
    out = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(sum_.function)):
        coeff, rest = term.as_independent(*sum_.variables)
        out += coeff * sp.Sum(rest, *sum_.limits).doit()
    return out


def linear_sums(expr: sp.Expr) -> sp.Expr:
    """Every ``Sum`` in ``expr`` split by :func:`split_sum`."""
    return expr.replace(lambda e: isinstance(e, sp.Sum), split_sum)


@dataclass(frozen=True)
class Estimate:
    """A maximum-likelihood estimate: the NLL of N samples, its derivative, the root, the curvature there."""

    name: str
    parameter: sp.Symbol
    nll: sp.Expr  # Σ over the samples (the catalogue loss per sample)
    derivative: sp.Expr
    estimate: sp.Expr
    second_derivative: sp.Expr
    minimum: bool  # the second derivative is positive (at the root or everywhere)


def _mle(name: str, parameter: sp.Symbol, per_sample: sp.Expr, positive_when: dict | None = None) -> Estimate:
    nll = sp.Sum(per_sample, (n, 1, N))
    linear = linear_sums(nll)
    derivative = sp.diff(linear, parameter)
    (root,) = sp.solve(derivative, parameter)
    second = sp.diff(linear, parameter, 2)
    at_root = sp.simplify(second.xreplace({parameter: root}))
    minimum = bool(at_root.xreplace(positive_when or {}).is_positive)
    return Estimate(name, parameter, nll, sp.simplify(derivative), root, second, minimum)


@cache
def estimates() -> tuple[Estimate, ...]:
    """θ̂ of a Bernoulli model and μ̂ of a Gaussian model from N samples (N symbolic): both the sample mean.

    The per-sample negative log-likelihood is the catalogue's loss: binary cross-entropy at p = θ,
    the Gaussian NLL (MSE/(2s²) + constant) at ŷ = μ.
    """
    bce = get("binary_cross_entropy").expr.xreplace({prob: theta, target: y[n]})
    gauss = likelihood("gaussian")
    gauss_nll = gauss.scale * get("mse").expr.xreplace({pred: mu, target: y[n]}) + gauss.constant
    # The Bernoulli curvature at θ̂ = m/N is N³/(m(N − m)) > 0 when 0 < m < N (m = Σ y, both outcomes seen).
    m = sp.Symbol("m", positive=True)
    observed = {sp.Sum(y[n], (n, 1, N)): m, N: m + sp.Symbol("r", positive=True)}
    return (
        _mle("bernoulli", theta, bce, observed),
        _mle("gaussian_mean", mu, gauss_nll),
    )


def categorical_estimate() -> tuple[dict[sp.Symbol, sp.Expr], bool]:
    """pₖ = nₖ / N maximises Σₖ nₖ log pₖ subject to Σₖ pₖ = 1 (K = 3, Lagrange multiplier λ).

    Returns the solution and whether it is the unique stationary point.
    """
    counts = sp.symbols("n1:4", positive=True)
    log_lik = sum(nk * sp.log(pk) for nk, pk in zip(counts, prob_k))
    lagrangian = -log_lik + lagrange * (sum(prob_k) - 1)
    equations = [sp.diff(lagrangian, v) for v in (*prob_k, lagrange)]
    solutions = sp.solve(equations, [*prob_k, lagrange], dict=True)
    total = sum(counts)
    unique = len(solutions) == 1 and all(_is_zero(solutions[0][pk] - nk / total) for pk, nk in zip(prob_k, counts))
    return solutions[0], unique


# --- Classification metrics ----------------------------------------------------------------------


def metric_definitions() -> dict[str, sp.Expr]:
    """The textbook definitions over the counts of one class (positive) against the rest."""
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    return {
        "accuracy": (tp + tn) / (tp + fp + fn + tn),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
    }


# The rates as the generated NumPy computes them: over counts, the denominator guarded by max(·, 1) so that an
# empty denominator (no predicted or no actual positives) gives 0 — scikit-learn's zero_division=0 — not 0/0.
METRIC_ARGS: dict[str, tuple[sp.Symbol, ...]] = {
    "accuracy": (tp, fp, fn, tn),
    "precision": (tp, fp),
    "recall": (tp, fn),
    "f1": (tp, fp, fn),
}


def metric_formulas() -> dict[str, sp.Expr]:
    """Each rate as a fraction of counts (F1 simplified by SymPy to 2TP/(2TP + FP + FN))."""
    out = {}
    for name, expr in metric_definitions().items():
        out[name] = sp.factor(sp.cancel(expr))
    return out


def guarded(expr: sp.Expr) -> sp.Expr:
    """``num/den`` as ``num/max(den, 1)``: equal whenever den ≥ 1, and 0 instead of 0/0 when den = num = 0."""
    num, den = sp.fraction(expr)
    return num / sp.Max(den, 1)


def metric_claims() -> list[Claim]:
    """F1 is 2TP/(2TP + FP + FN); the guarded forms equal the definitions when the denominator is positive."""
    defs, forms = metric_definitions(), metric_formulas()
    claims = [
        Claim(
            "f1_counts",
            "F1, the harmonic mean of precision and recall, in counts.",
            defs["f1"],
            forms["f1"],
            _is_zero(defs["f1"] - forms["f1"]) and forms["f1"] == 2 * tp / (2 * tp + fp + fn),
        )
    ]
    positive = sp.Symbol("d", integer=True, positive=True)  # a denominator of counts that is at least 1
    for name, form in forms.items():
        num, den = sp.fraction(form)
        # Max(d, 1) = d for an integer d ≥ 1: the guard changes nothing where the rate is defined.
        holds = sp.Max(positive, 1) == positive and guarded(form).xreplace({den: positive}) == num / positive
        claims.append(
            Claim(
                f"{name}_guard",
                f"The guarded {name} equals the definition when its denominator is ≥ 1.",
                guarded(form),
                form,
                holds,
            )
        )
    return claims


def count_definitions() -> dict[str, sp.Expr]:
    """Per-class counts from a K×K confusion matrix C (rows: true class, columns: predicted), for class k."""
    C = sp.IndexedBase("C", integer=True, nonnegative=True)  # noqa: N806 - a matrix is a capital
    total = sp.Sum(C[i, j], (i, 1, K), (j, 1, K))
    tp_k = C[k, k]
    fp_k = sp.Sum(C[i, k], (i, 1, K)) - C[k, k]
    fn_k = sp.Sum(C[k, j], (j, 1, K)) - C[k, k]
    return {"tp": tp_k, "fp": fp_k, "fn": fn_k, "tn": total - tp_k - fp_k - fn_k, "N": total}


def micro_average_claims() -> list[Claim]:
    """Summed over the classes, FP and FN both count every off-diagonal entry: Σₖ FPₖ = Σₖ FNₖ = N − Σₖ TPₖ.

    Hence micro-averaged precision = recall = F1 = accuracy for single-label data (any K).
    """
    counts = count_definitions()
    sums = {name: sp.Sum(counts[name], (k, 1, K)) for name in ("tp", "fp", "fn")}
    fp_sum, fn_sum = (canonical_sums(linear_sums(sums[name])) for name in ("fp", "fn"))
    off_diagonal = canonical_sums(counts["N"] - linear_sums(sums["tp"]))
    # Σₖ Σᵢ C[i, k] and Σₖ Σⱼ C[k, j] are the same double sum in the other order
    fn_swapped = canonical_sums(
        fn_sum.replace(lambda e: isinstance(e, sp.Sum) and len(e.limits) == 2, lambda e: e.reorder((0, 1)))
    )
    return [
        Claim(
            "fp_equals_fn",
            "Σₖ FPₖ = Σₖ FNₖ (every misclassified sample is one FP and one FN).",
            sums["fp"],
            sums["fn"],
            fp_sum == fn_swapped,
        ),
        Claim(
            "fp_is_errors",
            "Σₖ FPₖ = N − Σₖ TPₖ, the number of misclassified samples.",
            sums["fp"],
            counts["N"] - sums["tp"],
            _is_zero(fp_sum - off_diagonal),
        ),
    ]


def display(expr: sp.Basic) -> sp.Basic:
    r"""``expr`` with the counts written TP, FP, FN, TN (upright) for pages and handouts."""
    return expr.xreplace({sym: sp.Symbol(name) for sym, name in COUNT_NAMES.items()})


# --- Generated NumPy and the catalogue listing -----------------------------------------------------

GENERATED_DOCS = {
    "logit": "Log-odds logit(p) = log(p / (1 − p)), the inverse of the sigmoid; in (0, 1) → R.",
    "accuracy": "Accuracy from the counts of a confusion matrix: (TP + TN) / N.",
    "precision": "Precision TP / (TP + FP) from counts; 0 when nothing is predicted positive.",
    "recall": "Recall TP / (TP + FN) from counts; 0 when there are no actual positives.",
    "f1": "F1 = 2TP / (2TP + FP + FN) from counts (harmonic mean of precision and recall); 0 when all counts are 0.",
}


def generated_functions() -> list[tuple[str, tuple[sp.Symbol, ...], sp.Expr]]:
    """(name, arguments, expression) of every generated function of this topic."""
    out = [("logit", (p,), logit_stable(p))]
    forms = metric_formulas()
    out += [(f"{name}_score" if name == "f1" else name, METRIC_ARGS[name], guarded(forms[name])) for name in forms]
    return out


def generated_module() -> str:
    """``numeric/_generated/probability.py``: the log-odds and the classification rates, printed from SymPy."""
    from derive.numerics.codegen import expression_function, module_text

    sources, names = [], []
    for name, args, expr in generated_functions():
        key = "f1" if name == "f1_score" else name
        sources.append(expression_function(name, args, expr, GENERATED_DOCS[key]))
        names.append(name)
    return module_text("NumPy functions generated from derive/topics/probability.py", sources, names)


GENERATED = GeneratedModule("probability.py", generated_module)


def formulas() -> list[tuple[str, str]]:
    """``nnmath list`` entries of this topic."""
    return [
        ("logit", "log-odds log(p/(1 − p)); SymPy proves logit(σ(x)) = x and σ(logit(p)) = p"),
        ("softmax_distribution", "softmax is positive, sums to 1 and is shift-invariant for any K (proven)"),
        ("bernoulli_nll", "−log Bernoulli likelihood = binary cross-entropy (proven)"),
        ("categorical_nll", "−log categorical likelihood = categorical cross-entropy (proven)"),
        ("gaussian_nll", "−log Gaussian likelihood = MSE/(2s²) + constant (proven)"),
        ("laplace_nll", "−log Laplace likelihood = MAE/b + constant (proven)"),
        ("mle", "maximum likelihood: Bernoulli θ̂ and Gaussian μ̂ are the sample mean, categorical p̂ₖ = nₖ/N"),
        ("accuracy", "(TP + TN)/N, generated NumPy"),
        ("precision", "TP/(TP + FP), generated NumPy"),
        ("recall", "TP/(TP + FN), generated NumPy"),
        ("f1_score", "2TP/(2TP + FP + FN), the harmonic mean of precision and recall (proven), generated NumPy"),
    ]
