"""Slow SymPy results kept on disk (derive.calculus.kept): read back equal, recomputed when unreadable."""

from __future__ import annotations

import sympy as sp

from derive.calculus import kept as kept_module
from derive.calculus.kept import kept
from derive.calculus.steps import tidy

x = sp.Symbol("x", real=True)
GELU_TANH = x / 2 * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (x + sp.Rational(44715, 1000000) * x**3)))


def test_a_kept_result_is_read_back_equal(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(kept_module, "FOLDER", tmp_path)
    monkeypatch.setattr(kept_module, "WORTH_KEEPING", 0.0)
    d = sp.diff(GELU_TANH, x)
    first = kept("tidy", sp.simplify, d)
    assert len(list(tmp_path.glob("tidy-*.pickle"))) == 1
    calls = []
    again = kept("tidy", lambda e: calls.append(e) or e, d)  # read from the file: compute is not called
    assert not calls and again == first and sp.srepr(again) == sp.srepr(first)
    assert sp.simplify(first - d) == 0


def test_a_quick_result_is_not_kept(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(kept_module, "FOLDER", tmp_path)
    assert kept("tidy", lambda e: e, x + 1) == x + 1
    assert not list(tmp_path.iterdir())


def test_an_unreadable_file_is_computed_again_and_replaced(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(kept_module, "FOLDER", tmp_path)
    monkeypatch.setattr(kept_module, "WORTH_KEEPING", 0.0)
    kept("tidy", sp.simplify, sp.sin(x) ** 2 + sp.cos(x) ** 2)
    (path,) = tmp_path.glob("tidy-*.pickle")
    path.write_bytes(b"not a pickle")
    assert kept("tidy", sp.simplify, sp.sin(x) ** 2 + sp.cos(x) ** 2) == 1
    assert path.read_bytes() != b"not a pickle"


def test_a_read_only_cache_still_gives_the_result(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(kept_module, "FOLDER", tmp_path / "file" / "sympy")
    monkeypatch.setattr(kept_module, "WORTH_KEEPING", 0.0)
    (tmp_path / "file").write_text("a file where the folder would be")
    assert kept("tidy", sp.simplify, sp.exp(x) * sp.exp(-x)) == 1


def test_the_key_follows_the_derive_sources(tmp_path, monkeypatch) -> None:
    """An edit anywhere in derive (another digest) never reads a result kept before it."""
    monkeypatch.setattr(kept_module, "FOLDER", tmp_path)
    monkeypatch.setattr(kept_module, "WORTH_KEEPING", 0.0)
    kept("tidy", lambda e: e, x + 2)
    monkeypatch.setattr(kept_module, "_derive_digest", lambda: b"edited")
    assert kept("tidy", lambda e: e + 1, x + 2) == x + 3
    assert len(list(tmp_path.glob("tidy-*.pickle"))) == 2


def test_tidy_reads_a_kept_result(tmp_path, monkeypatch) -> None:
    """tidy goes through the cache: a result kept there (here a planted one) is what it returns."""
    monkeypatch.setattr(kept_module, "FOLDER", tmp_path)
    monkeypatch.setattr(kept_module, "WORTH_KEEPING", 0.0)
    planted = sp.Symbol("planted")
    expr = sp.exp(-x) / (2 + sp.exp(-x)) ** 3
    kept("tidy", lambda e: planted, expr)
    assert tidy(expr) == planted
