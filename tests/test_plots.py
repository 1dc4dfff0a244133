"""Figures: deterministic bytes, kinks marked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from derive.catalogue import get
from nnmath.topics.catalogue.figures import curves, plot_entry


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_plots_are_deterministic(tmp_path: Path) -> None:
    for name in ("relu", "softmax"):
        for ext in ("svg", "pdf"):
            a, b = tmp_path / f"a.{ext}", tmp_path / f"b.{ext}"
            plot_entry(get(name), a)
            plot_entry(get(name), b)
            assert digest(a) == digest(b) and a.stat().st_size > 1000


def test_kink_is_marked(tmp_path: Path) -> None:
    p = tmp_path / "relu.svg"
    plot_entry(get("relu"), p)
    assert "not differentiable" in p.read_text()


def test_curves_use_the_generated_functions() -> None:
    x, f, df, _ = curves(get("sigmoid"))
    np.testing.assert_allclose(df, f * (1 - f), rtol=1e-12)
