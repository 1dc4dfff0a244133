"""Where the site's sources, outputs and caches live."""

from __future__ import annotations

from pathlib import Path

from nnmath.paths import DATA, ROOT
from nnmath.paths import TEMPLATES as ALL_TEMPLATES

DOCS = DATA / "docs"
TEMPLATES = ALL_TEMPLATES / "site"
CONFIG = DATA / "mkdocs.yml"
SITE = Path.cwd() / "site" if DATA != ROOT else ROOT / "site"  # an install builds into ./site by default
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
