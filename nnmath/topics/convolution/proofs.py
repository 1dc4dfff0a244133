"""What SymPy proved about convolution and pooling, as table rows (the proofs: :mod:`derive.topics.convolution`)."""

from __future__ import annotations

from derive.topics import convolution as cv

# The pooling checks the page shows (the 2-D ones, slower, run in tests/test_convolution.py).
SHOWN_POOL_CASES = cv.POOL_CASES[:1]


def checks() -> dict:
    """Every small-size and all-sizes check: ``{"small": …, "general": …, "pooling": …}``, a row per case or claim."""
    small = []
    for case in cv.CONV_CASES:
        results = cv.conv_gradient_checks(case)
        if case.batch == 1:
            results |= cv.matrix_form_checks(case)
        small.append({"case": case.describe(), "checks": len(results), "holds": all(results.values())})
    general = []
    for d in cv.DIMENSIONS:
        rows = {"input gradient = full correlation with the flipped kernel": cv.general_input_gradient_proof(d)}
        rows |= cv.general_weight_gradient_proof(d)
        rows["average-pooling gradient = scatter of g/(K₁⋯K_d)"] = cv.general_avg_pool_proof(d)
        general += [{"d": d, "claim": claim, "holds": holds} for claim, holds in rows.items()]
    pooling = []
    for case in SHOWN_POOL_CASES:
        results = cv.avg_pool_checks(case) | cv.max_pool_checks(case)
        pooling += [{"case": case.describe(), "claim": claim, "holds": holds} for claim, holds in results.items()]
    return {"small": small, "general": general, "pooling": pooling}


def all_gradients_proven(rows: dict) -> bool:
    """Every gradient identity holds: at every small size and for every size."""
    return all(r["holds"] for r in rows["small"]) and all(r["holds"] for r in rows["general"])
