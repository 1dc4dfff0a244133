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
PACKAGES = ("derive", "numeric", "nnmath")  # the project's packages under ROOT (in an install, beside every other)


def user_cache() -> Path:
    """``$XDG_CACHE_HOME/nnmath`` if set, else ``~/.cache/nnmath``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nnmath"


def project_file(path: Path) -> str | None:
    """``path`` relative to :data:`ROOT` (``nnmath/records.py``) if it is a file of the project's packages, else
    ``None``.  In an install ``ROOT`` is ``site-packages``: the other distributions' files there are not the
    project's (a record is keyed by the library versions it ran with, not by their files)."""
    path = Path(path).resolve()
    if not path.is_relative_to(ROOT):
        return None
    rel = path.relative_to(ROOT)
    return rel.as_posix() if len(rel.parts) > 1 and rel.parts[0] in PACKAGES else None


CACHE = ROOT / ".cache" if is_checkout() else user_cache()  # the records' and notebooks' caches

__all__ = ["CACHE", "DATA", "PACKAGES", "ROOT", "SOURCE", "TEMPLATES", "is_checkout", "project_file", "user_cache"]
