"""Where the project's data files are: ``templates/``, the site's hand-written ``docs/`` and ``mkdocs.yml``.

In a checkout they sit beside the packages, at the top of the repository.  An installed wheel carries them
under ``<prefix>/share/nnmath/`` (``[tool.setuptools.data-files]`` in pyproject.toml), found through the
installed distribution's file list.  This module lives in ``derive`` because the generated code's templates
(``templates/numeric/``) are read by :mod:`derive.numerics.codegen`, and ``derive`` imports nothing of
``nnmath``; :mod:`nnmath.paths` takes its folders from here.  Standard library only.
"""

from __future__ import annotations

import site
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1]  # the folder holding derive/, numeric/ and nnmath/
INSTALLED = Path("share") / "nnmath"  # the data files' folder under an install's prefix


def is_checkout(source: Path = SOURCE) -> bool:
    """Whether the packages run from a checkout of the repository (its pyproject.toml and templates/ beside them)."""
    return (source / "pyproject.toml").is_file() and (source / "templates").is_dir()


def installed_data() -> Path | None:
    """The ``share/nnmath`` folder of the installed distribution, or ``None`` if there is none."""
    from importlib import metadata

    try:
        files = metadata.distribution("nnmath").files or []
    except metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.parts[-3:] == (*INSTALLED.parts, "mkdocs.yml"):
            return Path(file.locate()).resolve().parent
    for prefix in (sys.prefix, site.getuserbase()):  # a distribution without a file list (RECORD)
        if (Path(prefix) / INSTALLED / "templates").is_dir():
            return Path(prefix) / INSTALLED
    return None


def data_root() -> Path:
    """The folder holding ``templates/``, ``docs/`` and ``mkdocs.yml``: the checkout's top, else the install's."""
    if is_checkout():
        return SOURCE
    return installed_data() or SOURCE


DATA = data_root()
TEMPLATES = DATA / "templates"
