"""The record of the verification: every gradient cross-checked, every function at extreme inputs."""

from __future__ import annotations

from derive.catalogue import entries
from nnmath.topics.base import Record
from nnmath.topics.verification.checks import cross_check


def present() -> Record:
    """``checks``: the cross-check of every entry (finite differences, PyTorch), by name, as table rows;
    ``passed``: how many pass; ``extreme-sweep``: the extreme-value sweep, a row per function.
    """
    from nnmath.verify.extreme import table_rows

    checks = {e.name: cross_check(e) for e in entries()}
    failed = [name for name, check in checks.items() if check["result"] != "pass"]
    if failed:
        raise VerificationFailed(f"{', '.join(failed)} (run `nnmath check` for the figures)")
    return {"checks": checks, "passed": len(checks), "extreme-sweep": table_rows()}


class VerificationFailed(Exception):
    """A generated gradient disagrees with finite differences or PyTorch."""
