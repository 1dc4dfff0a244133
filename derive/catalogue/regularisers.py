"""Weight penalties added to the loss; per weight, summed by the caller."""

from __future__ import annotations

import sympy as sp

from derive.catalogue.entry import Entry
from derive.symbols import lam, w

REGULARISERS: tuple[Entry, ...] = (
    Entry(
        name="l1",
        title="L1 penalty (lasso)",
        group="regulariser",
        expr=lam * sp.Abs(w),
        wrt=w,
        args=(w, lam),
        params={lam: 0.01},
        identity=lam * sp.sign(w),
        kinks=(0.0,),
        convention="The subgradient 0 at w = 0, as PyTorch's abs gives.",
        summary="λ|w|: pushes weights to exactly zero (sparsity).",
        related=("l2",),
    ),
    Entry(
        name="l2",
        title="L2 penalty (weight decay)",
        group="regulariser",
        expr=lam / 2 * w**2,
        wrt=w,
        args=(w, lam),
        params={lam: 0.01},
        identity=lam * w,
        summary="(λ/2) w²: shrinks every weight in proportion to its size (weight decay).",
        related=("l1",),
    ),
)
