"""Build step: the wheel carries the site's front-end assets (KaTeX, the iframe-worker shim) as package data.

``build_py`` fetches them (pinned npm-registry tarballs, sha512-checked, standard library only: no npm, no Node)
with :mod:`nnmath.render.site.frontend_assets`, loaded by path because nnmath is not installed yet.  A source tree
that already holds them complete (``install.sh`` fetched them) is copied instead of downloading again.  An editable
install (``pip install -e .``) fetches them into the source tree.  Everything else is in pyproject.toml.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
ASSETS = Path("nnmath", "render", "site", "assets")


def _frontend_assets():
    spec = importlib.util.spec_from_file_location(
        "_nnmath_frontend_assets", HERE / "nnmath/render/site/frontend_assets.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class BuildPyWithAssets(build_py):
    """``build_py``, then the pinned front-end assets into the build (or the source tree when editable)."""

    def run(self) -> None:
        super().run()
        assets = _frontend_assets()
        source = HERE / ASSETS
        if self.editable_mode:
            assets.fetch(source)
            return
        target = Path(self.build_lib) / ASSETS
        if assets.complete(source):
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)
        else:
            assets.fetch(target)


setup(cmdclass={"build_py": BuildPyWithAssets})
