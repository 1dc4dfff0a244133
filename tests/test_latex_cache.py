"""A document compiled before from the same sources comes from ``.cache/latex/``, with the same bytes."""

from __future__ import annotations

import shutil

import pytest

from nnmath.render.handouts import texbuild

pytestmark = pytest.mark.skipif(shutil.which("latexmk") is None, reason="no TeX engine")

SOURCE = r"""\documentclass{article}
\usepackage{graphicx}
\pdfsuppressptexinfo=-1
\pdftrailerid{nnmath-test}
\begin{document}
A sentence of %s.
\end{document}
"""


def _tex(folder, word: str):
    folder.mkdir(parents=True, exist_ok=True)
    tex = folder / "doc.tex"
    tex.write_text(SOURCE % word, encoding="utf-8")
    return tex


def test_the_second_compile_of_a_source_is_the_first_ones_pdf(monkeypatch, tmp_path):
    monkeypatch.setattr(texbuild, "CACHE", tmp_path / "cache")
    first = texbuild.compile_tex(_tex(tmp_path / "a", "test"))
    calls = []
    monkeypatch.setattr(texbuild, "_compile", lambda tex: calls.append(tex))  # a compile would return None
    again = texbuild.compile_tex(_tex(tmp_path / "b", "test"))
    assert not calls
    assert again.pdf.read_bytes() == first.pdf.read_bytes() and again.report == first.report
    assert again.pdf.parent == tmp_path / "b" and again.pdf.with_suffix(".log").read_text(encoding="latin-1")


def test_a_changed_source_is_compiled_again(monkeypatch, tmp_path):
    monkeypatch.setattr(texbuild, "CACHE", tmp_path / "cache")
    texbuild.compile_tex(_tex(tmp_path / "a", "test"))
    other = texbuild.compile_tex(_tex(tmp_path / "b", "another test"))
    assert other.report.pages == 1
    assert len(list((tmp_path / "cache").glob("*.pdf"))) == 2


def test_the_key_follows_the_figures_a_document_names_and_nothing_beside_it(tmp_path):
    tex = _tex(tmp_path, r"\includegraphics{figures/a.pdf}")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.pdf").write_bytes(b"a")
    (tmp_path / "figures" / "b.pdf").write_bytes(b"b")
    key = texbuild.source_key(tex)
    (tmp_path / "figures" / "b.pdf").write_bytes(b"another figure")  # not named by the document
    (tmp_path / "other.aux").write_text("another document's auxiliary file")
    assert texbuild.source_key(tex) == key
    (tmp_path / "figures" / "a.pdf").write_bytes(b"a changed figure")
    assert texbuild.source_key(tex) != key
