"""Where the project's sources, templates and caches live, in a checkout and in an installed wheel.

The data folders (``templates/``, the site's ``docs/`` and ``mkdocs.yml``) are found by :mod:`derive.paths`:
the top of the repository in a checkout, ``<prefix>/share/nnmath/`` in an install.  Caches go to ``.cache/``
in a checkout and to the user's cache folder (``$XDG_CACHE_HOME/nnmath``, else ``~/.cache/nnmath``) in an
install, never into the installed packages.
"""

from __future__ import annotations

import os
from pathlib import Path

from derive.paths import DATA, SOURCE, TEMPLATES, is_checkout

ROOT = SOURCE  # the folder holding derive/, numeric/ and nnmath/: the records hash the files under it


def user_cache() -> Path:
    """``$XDG_CACHE_HOME/nnmath`` if set, else ``~/.cache/nnmath``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nnmath"


CACHE = ROOT / ".cache" if is_checkout() else user_cache()  # the records' and notebooks' caches

__all__ = ["CACHE", "DATA", "ROOT", "SOURCE", "TEMPLATES", "user_cache"]
