"""The record of the verification: every gradient cross-checked, every function at extreme inputs."""

from __future__ import annotations

from derive.catalogue import entries
from nnmath.topics.base import Record
from nnmath.topics.catalogue.site_strings import entry_check


def present() -> Record:
    """The cross-check of every entry (finite differences, PyTorch) and the extreme-value sweep."""
    from nnmath.verify.extreme import table_rows

    checks = {e.name: entry_check(e) for e in entries()}
    failed = [name for name, check in checks.items() if not check["passed"]]
    if failed:
        raise VerificationFailed(f"{', '.join(failed)} (run `nnmath check` for the figures)")
    return {"checks": checks, "extreme-sweep": table_rows()}


class VerificationFailed(Exception):
    """A generated gradient disagrees with finite differences or PyTorch."""
