"""Our functions against a reference implementation (PyTorch): the largest relative error per function.

The error of one comparison is normwise, max|ours − reference| / max|reference| (0 when both are 0),
so an element that is 0 in the reference does not turn a rounding error into an infinite relative error.
"""

from __future__ import annotations

import importlib.util

import numpy as np


def torch_available() -> bool:
    """Whether PyTorch (a test dependency) is installed; without it, pages show no comparison."""
    return importlib.util.find_spec("torch") is not None


def relative_error(ours: np.ndarray, reference: np.ndarray) -> float:
    """max|ours − reference| / max|reference| (0 when both are 0)."""
    scale = float(np.max(np.abs(reference)))
    return float(np.max(np.abs(np.asarray(ours) - reference))) / scale if scale else float(np.max(np.abs(ours)))


class ErrorTable:
    """Relative errors collected function by function, over several configurations."""

    def __init__(self) -> None:
        self._errors: dict[str, list[float]] = {}

    def add(self, name: str, ours: np.ndarray, reference: object) -> None:
        """Compare ``ours`` with ``reference`` (an array, or a PyTorch tensor) under ``name``."""
        ref = reference.detach().numpy() if hasattr(reference, "detach") else np.asarray(reference)
        self._errors.setdefault(name, []).append(relative_error(ours, ref))

    def rows(self) -> list[dict]:
        """``{"function", "error", "cases"}`` per function, in the order first compared: the largest error."""
        return [{"function": name, "error": max(values), "cases": len(values)} for name, values in self._errors.items()]
