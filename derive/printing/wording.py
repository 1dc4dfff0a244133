"""Counted nouns in the records' sentences: "1 epoch", "2 epochs", "every epoch", "every 3 epochs"."""

from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun in its number: ``counted(1, "epoch")`` = "1 epoch", ``counted(2, "loss", "losses")``."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def every(n: int, singular: str, plural: str | None = None) -> str:
    """ "every epoch" for n = 1, else "every 3 epochs"."""
    return f"every {singular}" if n == 1 else f"every {counted(n, singular, plural)}"
