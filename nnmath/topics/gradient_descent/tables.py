"""The tables of the convergence page and section: the concrete matrices, exactly, and the runs, measured."""

from __future__ import annotations

from derive.printing.textbook import latex
from derive.topics import convergence as cv
from nnmath.topics.base import Tex
from nnmath.topics.gradient_descent.formulas import ETA_STAR, tex
from nnmath.topics.gradient_descent.runs import Run


def matrix_row(a: cv.MatrixAnalysis, threshold: float) -> dict:
    """One concrete matrix, exactly (eigenvalues, intervals, 2/λ_max, η*, ρ*), and the threshold the runs found."""
    exact = float(a.critical)
    return {
        "name": a.name,
        "matrix": Tex(latex(a.matrix)),
        "eigenvalues": Tex(", ".join(latex(v) for v in a.eigenvalues)),
        "intervals": Tex(r" \cap ".join(latex(s) for s in a.intervals)),
        "converges": Tex(latex(a.converges)),
        "critical": Tex(latex(a.critical)),
        "matches": a.matches_critical,
        "decomposition": a.decomposition_holds,
        "stalls": a.critical_start_stalls,
        "optimal": Tex(latex(a.optimal)),
        "optimal_rate": Tex(latex(a.optimal_rate)),
        "optimal_is_smallest": a.optimal_is_smallest,
        "critical_float": f"{exact:.15g}",
        "threshold": f"{threshold:.15g}",
        "threshold_error": f"{abs(threshold / exact - 1):.1e}",
    }


def run_row(r: Run) -> dict:
    """One run: η (as a multiple of 2/λ_max, or η*), its ratio to 2/λ_max, predicted and measured rate, final error."""
    return {
        "label": r.label,
        "tex": Tex(latex(ETA_STAR) if r.multiple is None else f"{r.multiple:g} \\cdot {tex(cv.critical_step_size())}"),
        "eta": f"{r.eta:.6f}",
        "ratio": f"{r.ratio:.4f}",
        "predicted": f"{r.predicted_rate:.6f}",
        "measured": f"{r.measured_rate:.6f}",
        "final": f"{r.final_error:.2e}",
        "verdict": "converges" if r.predicted_rate < 1 else "stays" if r.predicted_rate == 1 else "diverges",
    }


__all__ = ["matrix_row", "run_row"]
