"""Preloaded first by the records' fork server: the server — and so its workers — die with nnmath.

:func:`nnmath.records.compute` names itself in ``NNMATH_RECORDS_PARENT`` before the fork server starts;
imported in a process whose parent is that one (the fork server), this module asks Linux to kill the process
when its parent dies (PR_SET_PDEATHSIG).  The record workers make the same request towards the fork server
(:func:`stay_with_nnmath`), so a SIGKILL of nnmath leaves no process behind.  Imported anywhere else, it does
nothing.

Linux sends that signal only if the parent dies *after* the request: a process that nnmath's death overtook
while it started (a slow fork server or a freshly forked worker, under load) looks again and leaves at once.
"""

from __future__ import annotations

import os

from derive.custom.timelimit import die_with_parent, pid_alive

PARENT = "NNMATH_RECORDS_PARENT"


def _nnmath() -> int | None:
    """The process id of the nnmath that computes records, if this process is one of its helpers."""
    named = os.environ.get(PARENT, "")
    return int(named) if named.isdigit() and int(named) != os.getpid() else None


def stay_with_nnmath() -> None:
    """Die with the parent process (PR_SET_PDEATHSIG); leave at once if nnmath has died already."""
    die_with_parent()
    nnmath = _nnmath()
    if nnmath is not None and os.getppid() != nnmath and not pid_alive(nnmath):
        os._exit(0)


if _nnmath() is not None and (os.getppid() == _nnmath() or not pid_alive(_nnmath())):
    stay_with_nnmath()  # this process is the fork server (or nnmath died before it got this far)
