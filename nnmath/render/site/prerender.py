"""The site's maths rendered to HTML at build time: no typesetting in the browser, good printing.

pymdownx.arithmatex marks each formula as ``<span class="arithmatex">\\(…\\)</span>`` (inline) or
``<div class="arithmatex">\\[…\\]</div>`` (display).  After MkDocs has written a page's HTML (and the search
plugin has read its text), :func:`prerender` replaces each formula's TeX by KaTeX's HTML, made by the installed
``katex.min.js`` (the very file the pages' stylesheet matches) running in QuickJS, an embedded JavaScript engine
from PyPI: no Node.  The element keeps its class and gets ``data-typeset="ok"``, so the page's script
(``docs/javascripts/katex.js``) leaves it alone.  KaTeX runs with ``throwOnError`` and ``strict: "error"``: a
formula it rejects stops the build with one line naming the formula.
"""

from __future__ import annotations

import functools
import hashlib
import html
import os
import re
from pathlib import Path

ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
RENDER = "(tex, display) => katex.renderToString(tex, {displayMode: display, throwOnError: true, strict: 'error'})"


class MathsFailed(RuntimeError):
    """KaTeX rejected a formula; the message names it."""


@functools.cache
def _katex():
    """KaTeX's ``renderToString`` in a QuickJS context, loaded once per process."""
    try:
        import quickjs
    except ImportError:
        raise MathsFailed("the maths cannot be rendered: quickjs is missing (pip install -e '.[docs]')") from None
    from nnmath.render.site import katex

    context = quickjs.Context()
    context.eval((katex.folder() / "katex.min.js").read_text(encoding="utf-8"))
    return context.eval(f"({RENDER})"), quickjs.JSException


@functools.cache
def _cache_folder() -> Path:
    """Where typeset formulas are kept between builds: ``.cache/katex/<hash of katex.min.js and its options>/``,
    so another KaTeX (or other options) never reuses them."""
    from nnmath.paths import CACHE
    from nnmath.render.site import katex

    script = (katex.folder() / "katex.min.js").read_bytes()
    return CACHE / "katex" / hashlib.sha256(script + RENDER.encode()).hexdigest()[:16]


def kept_file(tex: str, display: bool) -> Path:
    """The file of :func:`_cache_folder` that keeps the typeset formula: named by a hash of ``display`` and ``tex``."""
    return _cache_folder() / f"{hashlib.sha256(f'{int(display)}:{tex}'.encode()).hexdigest()}.html"


@functools.cache
def typeset(tex: str, display: bool) -> str:
    """KaTeX's HTML (with its MathML) for the TeX ``tex``, as a display or inline formula.

    The HTML is kept in :func:`_cache_folder`, one file per formula (written whole, then renamed into place), so
    a warm build does not run KaTeX again; a formula KaTeX rejects is never kept.
    """
    kept = kept_file(tex, display)
    try:
        return kept.read_text(encoding="utf-8")
    except OSError:
        pass
    render, js_error = _katex()
    try:
        typeset_html = render(tex, display)
    except js_error as e:
        raise MathsFailed(f"KaTeX cannot typeset {tex!r}: {str(e).splitlines()[0]}") from None
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f".{kept.name}.{os.getpid()}")
        partial.write_text(typeset_html, encoding="utf-8")
        os.replace(partial, kept)
    except OSError:  # a read-only cache: the build goes on, it only does not keep the formula
        pass
    return typeset_html


def _tex(match: re.Match) -> tuple[str, bool]:
    """The TeX of an arithmatex element and whether it is a display, as :func:`typeset` takes them."""
    tag, source = match.group(1), html.unescape(match.group(2)).strip()
    if not (source[:2] in ("\\(", "\\[") and source[-2:] in ("\\)", "\\]")):
        raise MathsFailed(f"a maths element without \\( \\) or \\[ \\] delimiters: {source[:80]!r}")
    return source[2:-2], tag == "div"


def _formula(match: re.Match) -> str:
    tag = match.group(1)
    return f'<{tag} class="arithmatex" data-typeset="ok">{typeset(*_tex(match))}</{tag}>'


def formulas(page_html: str) -> list[tuple[str, bool]]:
    """The formulas of ``page_html`` that :func:`prerender` typesets: (TeX, display), each once, in page order."""
    return list(dict.fromkeys(_tex(m) for m in ARITHMATEX.finditer(page_html)))


def prerender(page_html: str) -> str:
    """``page_html`` with every arithmatex formula rendered by KaTeX (:class:`MathsFailed` if one cannot be)."""
    return ARITHMATEX.sub(_formula, page_html)
