"""The command line's renderers: each module prints what one ``nnmath`` command shows.

:mod:`nnmath.cli` builds the parser and dispatches to them.  Bad input from the user is a
:class:`UserError`: one line on stderr, exit status 2.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""
