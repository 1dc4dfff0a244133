"""Preloaded first by the records' fork server: the server — and so its workers — die with nnmath.

:func:`nnmath.records.compute` names itself in ``NNMATH_RECORDS_PARENT`` before the fork server starts;
imported in a process whose parent is that one (the fork server), this module asks Linux to kill the process
when its parent dies (PR_SET_PDEATHSIG).  The record workers have the same request towards the fork server,
so a SIGKILL of nnmath leaves no process behind.  Imported anywhere else, it does nothing.
"""

from __future__ import annotations

import os

from derive.custom.timelimit import die_with_parent

PARENT = "NNMATH_RECORDS_PARENT"

if os.environ.get(PARENT) == str(os.getppid()):
    die_with_parent()
