"""The exercise sheets: one per participant, numbers drawn from a seed, answers exact (SymPy) and checked (NumPy).

Sheets depend on the seed, the number of participants and their names, so they are not one of the
course's topics: :func:`sheets_topic` makes a topic of one such set (named by them), whose record
(:func:`nnmath.topics.exercises.sheets.present`) :mod:`nnmath.records` computes in a process of its
own, beside the other records, and caches like theirs.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence

from nnmath.topics.base import Topic


def _present(seed: int, participants: int, names: tuple[str, ...] | None) -> dict:
    from nnmath.topics.exercises.sheets import present

    return present(seed, participants, list(names) if names is not None else None)


def sheets_topic(seed: int, participants: int, names: Sequence[str] | None = None) -> Topic:
    """The sheets of participants 1…``participants`` drawn from ``seed`` (labelled with ``names``), as a topic
    named ``exercises-<seed>-<participants>[-<hash of the names>]``."""
    named = tuple(names) if names is not None else None
    name = f"exercises-{seed}-{participants}"
    if named is not None:
        name += "-" + hashlib.sha256("\n".join(named).encode()).hexdigest()[:12]
    return Topic(name=name, title="Exercise sheets", present=functools.partial(_present, seed, participants, named))
