"""Where the site's sources, outputs and caches live."""

from __future__ import annotations

from nnmath.paths import ROOT

DOCS = ROOT / "docs"
TEMPLATES = ROOT / "templates" / "site"
CONFIG = ROOT / "mkdocs.yml"
SITE = ROOT / "site"

# Top-level paths under docs/ that `nnmath build` owns: written by it, never committed.
GENERATED = ("linear-algebra", "calculus", "probability", "optimisation", "verification.md", "snippets", "notebooks")
GENERATED += ("architectures",)  # the Architectures section: perceptron, CNN, RNN
GENERATED += ("neurons",)  # the Biological neurons section
GENERATED += ("python-api.md",)  # the Python API page (issue 5)
GENERATED += ("workshop",)  # the Workshop section: the episodes (issue 14)
