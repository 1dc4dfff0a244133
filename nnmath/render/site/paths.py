"""Where the site's sources, outputs and caches live.

In a checkout the generated pages are written into ``docs/`` beside the hand-written ones, and MkDocs reads the
checkout's ``mkdocs.yml``.  An install never writes into its data files (``<prefix>/share/nnmath/`` may be
read-only, a system install or a shared environment): it renders into a working folder of its own under the user's
cache, :data:`WORK`, which holds a copy of the hand-written pages and of ``mkdocs.yml`` beside the generated pages
(:mod:`nnmath.render.site.workspace`).  :data:`DOCS` and :data:`CONFIG` are what a build reads and writes, in both.
"""

from __future__ import annotations

from pathlib import Path

from nnmath.paths import CACHE, DATA, ROOT, is_checkout
from nnmath.paths import TEMPLATES as ALL_TEMPLATES

HAND_WRITTEN = DATA / "docs"  # the hand-written pages, as shipped: the checkout's docs/ or share/nnmath/docs/
SOURCE_CONFIG = DATA / "mkdocs.yml"
IN_PLACE = is_checkout()  # a checkout renders into its own docs/
WORK = DATA if IN_PLACE else CACHE / "site-sources"  # an install: ~/.cache/nnmath/site-sources/{mkdocs.yml,docs/}
DOCS = WORK / "docs"
CONFIG = WORK / "mkdocs.yml"
TEMPLATES = ALL_TEMPLATES / "site"
SITE = ROOT / "site" if IN_PLACE else Path.cwd() / "site"  # an install builds into ./site by default
# mkdocs.yml names its hooks and watched folders relative to itself, which holds in a checkout only; a build
# passes these instead (an installed wheel has mkdocs.yml in share/nnmath/, the hooks in the package).
HOOKS = Path(__file__).resolve().with_name("mkdocs_hooks.py")
BUILD_OVERRIDES = {"hooks": [str(HOOKS)], "watch": []}

# Top-level paths under docs/ that `nnmath build` owns: written by it, never committed.
GENERATED = ("linear-algebra", "calculus", "probability", "optimisation", "verification.md", "snippets", "notebooks")
GENERATED += ("architectures",)  # the Architectures section: perceptron, CNN, RNN
GENERATED += ("neurons",)  # the Biological neurons section
GENERATED += ("python-api.md",)  # the Python API page (issue 5)
GENERATED += ("workshop",)  # the Workshop section: the episodes (issue 14)
