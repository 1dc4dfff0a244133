"""Loss functions, per element (or per sample for the categorical ones).

Like ``optax`` and PyTorch's ``reduction='none'``, a loss here is not
averaged: the generated ``mse(pred, target)`` returns one value per element
and ``mse_grad`` the gradient of that value.  A training loop chooses the
reduction (mean over the batch) and applies its 1/N itself.
"""

from __future__ import annotations

import sympy as sp

from derive.calculus.functions import logsumexp, sigmoid
from derive.calculus.indexed import P, Y, class_sum, k, softmax_of
from derive.catalogue.entry import VECTOR_LOSS, Entry
from derive.symbols import delta, logits, logits_k, pred, prob, prob_k, target, target_k

_r = pred - target
_lse = logsumexp(*logits_k)
_z1, _y1, _p1 = logits_k[0], target_k[0], prob_k[0]

LOSSES: tuple[Entry, ...] = (
    Entry(
        name="mse",
        title="Squared error (MSE)",
        group="loss",
        expr=_r**2,
        wrt=pred,
        args=(pred, target),
        identity=2 * _r,
        summary="(ŷ − y)²; averaged over the batch it is the mean squared error.",
        related=("mae", "huber"),
        domain={target: "normal"},
    ),
    Entry(
        name="mae",
        title="Absolute error (MAE)",
        group="loss",
        expr=sp.Abs(_r),
        wrt=pred,
        args=(pred, target),
        identity=sp.sign(_r),
        kinks=(0.0,),
        kink_where=(sp.Eq(_r, 0, evaluate=False),),
        convention="∂|ŷ − y|/∂ŷ = sign(0) = 0 at ŷ = y, as in PyTorch's l1_loss.",
        summary="|ŷ − y|; averaged it is the mean absolute error, robust to outliers.",
        related=("mse", "huber"),
        domain={target: "normal"},
    ),
    Entry(
        name="huber",
        title="Huber loss",
        group="loss",
        expr=sp.Piecewise((_r**2 / 2, sp.Abs(_r) <= delta), (delta * (sp.Abs(_r) - delta / 2), True)),
        wrt=pred,
        args=(pred, target, delta),
        params={delta: 1.0},
        identity=sp.Piecewise((_r, sp.Abs(_r) <= delta), (delta * sp.sign(_r), True)),
        identity_note="The gradient is the residual clipped to [−δ, δ].",
        convention="Continuously differentiable: both branches give ±δ at |ŷ − y| = δ.",
        summary="Quadratic near the target, linear beyond δ: MSE's smoothness, MAE's robustness.",
        related=("mse", "mae"),
        domain={target: "normal"},
    ),
    Entry(
        name="binary_cross_entropy",
        title="Binary cross-entropy on probabilities",
        group="loss",
        expr=-(target * sp.log(prob) + (1 - target) * sp.log(1 - prob)),
        wrt=prob,
        args=(prob, target),
        textbook=sp.Mul(-1, target * sp.log(prob) + (1 - target) * sp.log(1 - prob), evaluate=False),
        stable_reason="At a target of 0 or 1 one term is 0 · log 0, which is nan in floating point; the code uses "
        "xlogy(y, p) and xlog1py(1 − y, −p), which are 0 there.",
        identity=(prob - target) / (prob * (1 - prob)),
        summary="−[y log p + (1 − y) log(1 − p)] for a predicted probability p.",
        related=("binary_cross_entropy_logits", "sigmoid"),
        plot_range=(0.01, 0.99),
        domain={prob: "unit", target: "unit"},
    ),
    Entry(
        name="binary_cross_entropy_logits",
        title="Binary cross-entropy on logits",
        group="loss",
        expr=-(target * sp.log(sigmoid(logits)) + (1 - target) * sp.log(1 - sigmoid(logits))),
        wrt=logits,
        args=(logits, target),
        textbook=sp.Mul(
            -1, target * sp.log(sigmoid(logits)) + (1 - target) * sp.log(1 - sigmoid(logits)), evaluate=False
        ),
        stable=(1 - target) * logits + sp.Max(-logits, 0) + sp.log(1 + sp.exp(-sp.Abs(logits))),
        stable_reason="σ(z) rounds to 0 for z < −745 and 1 − σ(z) to 0 for z > 37, and log 0 = −∞; the code never "
        "forms σ(z): L = (1 − y) z + softplus(−z), softplus(−z) = max(−z, 0) + log(1 + exp(−|z|)).",
        identity=sigmoid(logits) - target,
        identity_note="With p = σ(z), ∂L/∂z = p − y: the sigmoid's derivative cancels.",
        summary="Cross-entropy of y against σ(z), computed from the logit z without forming σ(z).",
        related=("binary_cross_entropy", "sigmoid", "softplus"),
        domain={target: "unit"},
    ),
    Entry(
        name="categorical_cross_entropy",
        title="Categorical cross-entropy on probabilities",
        group="loss",
        kind=VECTOR_LOSS,
        expr=-sp.Add(*[y * sp.log(p) for y, p in zip(target_k, prob_k)]),
        wrt=prob,
        args=(prob, target),
        textbook=-class_sum(Y[k] * sp.log(P[k]), k),
        stable_reason="A class with target 0 and probability 0 gives 0 · log 0 = nan; the code uses xlogy(yₖ, pₖ).",
        components={prob: prob_k, target: target_k},
        identity=-_y1 / _p1,
        summary="−Σₖ yₖ log pₖ for a predicted distribution p and a target distribution y.",
        plot_range=(0.01, 0.99),
        related=("categorical_cross_entropy_logits", "softmax"),
        domain={prob: "simplex", target: "simplex"},
    ),
    Entry(
        name="categorical_cross_entropy_logits",
        title="Softmax cross-entropy on logits",
        group="loss",
        kind=VECTOR_LOSS,
        expr=-sp.Add(*[y * (z - _lse) for y, z in zip(target_k, logits_k)]),
        wrt=logits,
        args=(logits, target),
        textbook=-class_sum(Y[k] * sp.log(softmax_of(k)), k),
        stable_reason="Forming the softmax first overflows (eᶻ for z > 709) or gives log 0 = −∞ for an underflowed "
        "pₖ; the code uses log pₖ = zₖ − LSE(z), the log-sum-exp with the maximum taken out.",
        components={logits: logits_k, target: target_k},
        identity=sp.exp(_z1 - _lse) - _y1,
        given={target_k[-1]: 1 - sp.Add(*target_k[:-1])},
        identity_note="∂L/∂z = softmax(z) − y when the target sums to one (Σₖ yₖ = 1).",
        summary="Cross-entropy of y against softmax(z), from the logits via log-softmax.",
        related=("categorical_cross_entropy", "softmax", "log_softmax"),
        domain={target: "simplex"},
    ),
    Entry(
        name="hinge",
        title="Hinge loss",
        group="loss",
        expr=sp.Piecewise((1 - target * pred, target * pred <= 1), (0, True)),
        wrt=pred,
        args=(pred, target),
        identity=sp.Piecewise((-target, target * pred <= 1), (0, True)),
        kinks=(1.0,),
        kink_where=(sp.Eq(sp.Mul(target, pred, evaluate=False), 1, evaluate=False),),
        convention="At the margin y ŷ = 1 the gradient is −y, as PyTorch's clamp(1 − y ŷ, min=0) gives.",
        summary="max(0, 1 − y ŷ) for labels y ∈ {−1, +1}: the support-vector-machine loss.",
        related=("mae",),
        domain={target: "sign"},
    ),
)
