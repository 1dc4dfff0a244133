"""The maths rendered at build time by the installed KaTeX in QuickJS: same HTML as KaTeX gives, entities decoded,
a rejected formula is one line naming it."""

from __future__ import annotations

import pytest

from nnmath.render.site.prerender import MathsFailed, prerender, typeset


def test_inline_and_display_formulas_become_katex_html_marked_typeset():
    page = '<p>Let <span class="arithmatex">\\(a &lt; b\\)</span>.</p><div class="arithmatex">\\[\\sigma(x)\\]</div>'
    out = prerender(page)
    assert out.count('data-typeset="ok"') == 2 and "\\(" not in out.replace("\\\\(", "")
    inline, display = out.split("<div", 1)
    assert '<span class="katex">' in inline and "katex-display" not in inline
    assert '<span class="katex-display">' in display
    assert '<annotation encoding="application/x-tex">a &lt; b</annotation>' in inline  # the TeX as KaTeX read it
    assert "<mo>&lt;</mo>" in inline  # the entity was decoded before KaTeX saw it
    assert prerender(page) == out  # deterministic


def test_a_formula_katex_rejects_is_one_line_naming_it():
    with pytest.raises(MathsFailed, match=r"KaTeX cannot typeset '\\\\frac\{1\}\{': .*ParseError") as e:
        prerender('<div class="arithmatex">\\[\\frac{1}{\\]</div>')
    assert "\n" not in str(e.value)
    with pytest.raises(MathsFailed, match="KaTeX cannot typeset"):
        typeset("\\undefinedmacro", False)  # strict: an unknown command is an error, not red text


def test_a_page_without_maths_is_unchanged():
    page = "<p>No maths, only a <code>\\(</code> in code.</p>"
    assert prerender(page) == page


def test_the_build_hook_names_the_page_of_a_rejected_formula():
    """The hook raises MkDocs' PluginError, which ``nnmath build`` reports in one line (MkdocsFailed, exit 2)."""
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from nnmath.render.site import mkdocs_hooks

    page = SimpleNamespace(file=SimpleNamespace(src_uri="calculus/chain-rule.md"))
    with pytest.raises(PluginError, match=r"^calculus/chain-rule\.md: KaTeX cannot typeset '\\\\frac\{1\}\{'"):
        mkdocs_hooks.on_post_page('<span class="arithmatex">\\(\\frac{1}{\\)</span>', page=page, config=None)


def test_a_typeset_formula_is_kept_for_the_next_build_and_a_rejected_one_is_not(tmp_path, monkeypatch):
    from nnmath.render.site import prerender as module

    monkeypatch.setattr(module, "_cache_folder", lambda: tmp_path / "katex")
    module.typeset.cache_clear()
    fresh = typeset(r"\sigma(x) = \frac{1}{1 + e^{-x}}", True)
    (kept,) = (tmp_path / "katex").iterdir()
    assert kept.read_text(encoding="utf-8") == fresh
    module.typeset.cache_clear()  # a new build: KaTeX is not run again
    monkeypatch.setattr(module, "_katex", lambda: pytest.fail("KaTeX ran for a kept formula"))
    assert typeset(r"\sigma(x) = \frac{1}{1 + e^{-x}}", True) == fresh
    monkeypatch.undo()
    monkeypatch.setattr(module, "_cache_folder", lambda: tmp_path / "katex")
    module.typeset.cache_clear()
    with pytest.raises(MathsFailed):
        typeset(r"\frac{1}{", True)
    assert len(list((tmp_path / "katex").iterdir())) == 1
    module.typeset.cache_clear()


def test_formulas_are_what_prerender_typesets():
    page = (
        '<span class="arithmatex">\\(a &lt; b\\)</span> <div class="arithmatex">\\[\n\\sigma(x)\n\\]</div>'
        '<span class="arithmatex">\\(a &lt; b\\)</span>'
    )
    from nnmath.render.site.prerender import formulas

    assert formulas(page) == [("a < b", False), ("\n\\sigma(x)\n", True)]


def test_typesetting_ahead_fills_the_cache_mkdocs_then_reads(tmp_path, monkeypatch):
    """The process started in a cold build converts a page as MkDocs does and typesets its formulas into KaTeX's
    cache: MkDocs' own pass over the page then runs no KaTeX and gives the same HTML."""
    import threading
    import time
    from multiprocessing import Pipe

    from nnmath.render.site import prerender as module
    from nnmath.render.site.typeset_ahead import STOP, markdown_converter, typeset_pages

    monkeypatch.setattr(module, "_cache_folder", lambda: tmp_path / "katex")
    module.typeset.cache_clear()
    markdown = "# A page\n\nThe sigmoid $\\sigma(x)$ is\n\n$$\n\\sigma(x) = \\frac{1}{1 + e^{-x}}\n$$\n"
    page_html = markdown_converter()(markdown)
    wanted = module.formulas(page_html)
    assert wanted == [("\\sigma(x)", False), ("\n\\sigma(x) = \\frac{1}{1 + e^{-x}}\n", True)]
    receive, send = Pipe(duplex=False)
    worker = threading.Thread(target=typeset_pages, args=(receive,))
    worker.start()
    send.send(("page", "a-page.md", markdown))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not all(module.kept_file(*f).is_file() for f in wanted):
        time.sleep(0.1)
    send.send(STOP)
    worker.join(timeout=60)
    assert not worker.is_alive()
    module.typeset.cache_clear()  # MkDocs' pass: every formula is read from the cache
    monkeypatch.setattr(module, "_katex", lambda: pytest.fail("KaTeX ran for a formula typeset ahead"))
    out = prerender(page_html)
    assert out.count('data-typeset="ok"') == 2
    monkeypatch.undo()
    module.typeset.cache_clear()
    assert prerender(page_html) == out  # the same HTML as KaTeX run there and then
