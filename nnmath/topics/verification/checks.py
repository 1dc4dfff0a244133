"""The cross-check of one entry's generated gradient, measured now and printed as a row of a table.

Two references (see :mod:`nnmath.verify.crosscheck`): finite differences of the generated function,
and PyTorch's autodiff of the textbook definition; each error is the maximum relative error over
random points, and passes when it is within its bound.
"""

from __future__ import annotations

from derive.catalogue.entry import Entry
from numeric.registry import NumericEntry


def error_text(value: float | None) -> str:
    """A measured error as text: ``3.1e-16``; ``not measured`` for ``None``."""
    return "not measured" if value is None else f"{value:.1e}"


def verdict(error: float | None, bound: float) -> str:
    """``pass``, ``FAIL``, or ``not measured``."""
    return "not measured" if error is None else "pass" if error <= bound else "FAIL"


def cross_check(entry: Entry, numeric: NumericEntry | None = None, with_autodiff: bool | None = None) -> dict:
    """The cross-check of ``entry`` as text: ``fd``, ``fd_bound``, ``fd_result``, the same for ``autodiff``,
    the number of ``points`` and the overall ``result`` (``pass`` or ``FAIL``).

    ``numeric``: the functions of an entry built at run time (default: the generated ones).
    ``with_autodiff``: compare with PyTorch too (default: when PyTorch is installed).
    """
    from nnmath.verify.crosscheck import AUTODIFF_BOUND, FD_BOUND, check_entry, torch_available

    autodiff = torch_available() if with_autodiff is None else with_autodiff
    r = check_entry(entry, with_autodiff=autodiff, numeric=numeric)
    return {
        "fd": error_text(r.fd_error),
        "fd_bound": error_text(FD_BOUND),
        "fd_result": verdict(r.fd_error, FD_BOUND),
        "autodiff": error_text(r.autodiff_error),
        "autodiff_bound": error_text(AUTODIFF_BOUND),
        "autodiff_result": verdict(r.autodiff_error, AUTODIFF_BOUND),
        "points": r.points,
        "result": "pass" if r.passed else "FAIL",
    }
