"""Verification: every gradient against finite differences and PyTorch, and every function at extreme inputs."""

from __future__ import annotations

from nnmath.topics.base import Record, Topic, page


def present() -> Record:
    from nnmath.topics.verification.record import present as record

    return record()


TOPIC = Topic(
    name="verification",
    title="Verification",
    present=present,
    pages=(page("verification", "verification.md", "Verification", record=()),),
    cost=20,  # seconds, roughly: computed among the first (nnmath.records.longest_first)
)
