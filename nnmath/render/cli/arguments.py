"""Argument types and the parser of the ``nnmath`` command: a bad argument is one line on stderr, exit status 2.

The types check ranges while the command line is parsed, before any work starts (and before the
heavy imports): ``--points 0``, ``--seed -1``, ``--lr inf`` or ``--l2 nan`` never reach the code that
would fail on them or, worse, run with them.  Standard library only.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from typing import NoReturn


class OneLineParser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose errors are one line, ``nnmath: error: …``, exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"nnmath: error: {' '.join(message.split())}\n")
        sys.exit(2)


def integer(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: an integer in ``[low, high]`` (no upper bound when ``high`` is None)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, not {text!r}") from None
        if value < low or (high is not None and value > high):
            bound = f"at least {low}" if high is None else f"between {low} and {high}"
            raise argparse.ArgumentTypeError(f"must be {bound}, not {value}")
        return value

    parse.__name__ = "integer"
    return parse


def real(low: float, high: float | None = None, low_open: bool = False, high_open: bool = False):
    """An argparse type: a finite number in the interval from ``low`` to ``high`` (open ends as asked)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, not {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be a finite number, not {text}")
        too_low = value <= low if low_open else value < low
        too_high = high is not None and (value >= high if high_open else value > high)
        if too_low or too_high:
            left = f"> {low:g}" if low_open else f"≥ {low:g}"
            right = "" if high is None else (f" and < {high:g}" if high_open else f" and ≤ {high:g}")
            raise argparse.ArgumentTypeError(f"must be {left}{right}, not {text}")
        return value

    parse.__name__ = "number"
    return parse


def finite(text: str) -> float:
    """An argparse type: any finite number."""
    return real(-math.inf)(text)


positive = integer(1)
seed = integer(0, 2**32 - 1)  # NumPy's seeds
positive_real = real(0.0, low_open=True)
non_negative_real = real(0.0)
