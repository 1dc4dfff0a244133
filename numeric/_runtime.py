"""The hand-written helpers the generated functions call: argument conversion and the checks of the conventions."""

from __future__ import annotations

import numpy


class _SciPy:
    """``scipy`` as the generated modules use it: ``scipy.special`` (ndtr, erfcx, xlogy, logsumexp...) is imported
    when a function first needs it, not with ``numeric``, so a program that calls none of them (a notebook's
    kernel) does not import SciPy's special functions (0.2-0.5 s)."""

    def __getattr__(self, name: str):
        if name != "special":
            raise AttributeError(f"numeric._runtime.scipy has no {name!r} (only scipy.special)")
        import scipy.special

        self.special = scipy.special  # later uses find it here, without calling __getattr__
        return scipy.special


scipy = _SciPy()


def as_float(a) -> numpy.ndarray:
    """``a`` as a floating-point array: float64 unless it already is a float array."""
    a = numpy.asarray(a)
    return a if a.dtype.kind == "f" else a.astype(numpy.float64)


def keep_float(value, *inputs):
    """``value`` in the floating type of the (already float) ``inputs``: float32 in, float32 out.

    Literals such as ``numpy.where(c, 1.0, 0.0)`` or a float64 constant would otherwise widen a float32
    result to float64.  Mixed inputs give the wider type (``numpy.result_type``).
    """
    dtype = numpy.result_type(*inputs)
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    return value.astype(dtype) if kind == "f" and value.dtype != dtype else value


def same_shape(function: str, **arrays) -> None:
    """Raise ValueError unless the arrays have one shape (a 0-d one, a single number, may stand for all): a loss
    compares a prediction with its target element by element, and broadcasting a (3, 1) prediction against a
    (3,) target would give a (3, 3) loss."""
    shapes = {name: numpy.shape(a) for name, a in arrays.items()}
    if len({shape for shape in shapes.values() if shape}) > 1:
        shown = " and ".join(f"{name} of shape {shape}" for name, shape in shapes.items())
        raise ValueError(f"{function}: {shown} differ (a loss does not broadcast them; reshape one)")


def with_classes(function: str, name: str, a) -> None:
    """Raise ValueError if ``a`` is 0-d: the function works over the last axis, the K classes."""
    if numpy.ndim(a) == 0:
        raise ValueError(f"{function}: {name} must have a last axis of classes, shape (..., K); got a 0-d array")


def extended(a) -> numpy.ndarray:
    """``a`` in extended precision (``numpy.longdouble``: an 80-bit x87 number, 64-bit significand, on x86-64),
    for a subtraction that cancels; the caller rounds the result back with :func:`keep_float`."""
    return numpy.asarray(a, dtype=numpy.longdouble)
