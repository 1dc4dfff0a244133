"""The one piece of hand-written code the generated functions call."""

from __future__ import annotations

import numpy


def as_float(a) -> numpy.ndarray:
    """``a`` as a floating-point array: float64 unless it already is a float array."""
    a = numpy.asarray(a)
    return a if a.dtype.kind == "f" else a.astype(numpy.float64)
