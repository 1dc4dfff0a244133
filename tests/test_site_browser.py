"""The built site in a real headless Chromium (Debian's), driven by Playwright, served on 127.0.0.1.

Every page: the maths is typeset (rendered KaTeX elements > 0 on every generated page), no formula failed,
no console error, no request to any host but 127.0.0.1, every image loads.  One screenshot per section
goes to artifacts/screenshots/.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, sync_playwright
from site_support import CHROMIUM, CHROMIUM_FLAGS, SiteServer, built, generated_pages, page_url_path

from nnmath.render.site.pages import HAND_WRITTEN
from nnmath.render.site.paths import ROOT

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
MATH = ".katex"
MATH_ERRORS = ".nnmath-math-error, .katex-error"


@pytest.fixture(scope="module")
def server():
    srv = SiteServer(built().site)
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def browser_page():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        yield page
        browser.close()


class Recorder:
    """Console errors, uncaught exceptions, foreign and failed requests of one page load."""

    def __init__(self, page: Page):
        self.console: list[str] = []
        self.foreign: list[str] = []
        self.failed: list[str] = []
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))
        page.on("request", self._request)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: self.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob") and parts.hostname != "127.0.0.1":
            self.foreign.append(request.url)

    def clear(self) -> None:
        self.console.clear()
        self.foreign.clear()
        self.failed.clear()


def load(page: Page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")


def section_shots() -> dict[str, str]:
    """Site path → screenshot name: home, notation, the first page of every section, verification."""
    shots = {"": "home", "notation/": "notation"}
    seen = set()
    for p in generated_pages():
        section = p.nav[0] if p.nav else p.title
        if section not in seen:
            seen.add(section)
            shots[page_url_path(p.path)] = section.lower().replace(" ", "-")
    return shots


def test_every_page_typesets_its_maths_offline_without_errors(server, browser_page):
    page = browser_page
    record = Recorder(page)
    generated = {page_url_path(p.path): p for p in generated_pages()}
    paths = [page_url_path(path) for _, path in HAND_WRITTEN] + list(generated)
    shots = section_shots()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems, typeset = [], {}
    for path in paths:
        # Leave the previous page first: a request it still had in flight (Material's search worker
        # fetching its index, slow on a loaded machine) is aborted by the navigation, and must not be
        # charged to the next page.  The search index itself is checked by test_search_works_offline.
        page.goto("about:blank")
        record.clear()
        load(page, server.base + path)
        maths, errors = page.locator(MATH).count(), page.locator(MATH_ERRORS).count()
        images = page.evaluate("Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0])")
        typeset[path] = maths
        where = path or "home"
        problems += [f"{where}: console error: {m}" for m in record.console]
        problems += [f"{where}: request to another host: {u}" for u in record.foreign]
        problems += [f"{where}: failed request: {u}" for u in record.failed]
        problems += [f"{where}: image did not load: {src}" for src, ok in images if not ok]
        if errors:
            problems.append(f"{where}: {errors} maths errors")
        if path in generated and generated[path].id != "verification" and maths == 0:  # a table of figures
            problems.append(f"{where}: no typeset maths")
        if generated.get(path) and generated[path].is_derivation and len(images) != 1:
            problems.append(f"{where}: {len(images)} images, expected the plot")
        if path in shots:
            page.screenshot(path=str(SCREENSHOTS / f"{shots[path]}.png"), full_page=True)
    assert problems == []
    assert len(typeset) == len(paths) >= 25
    assert typeset["notation/"] > 0  # the generated symbol tables reached the hand-written page
    assert min(typeset[page_url_path(p.path)] for p in generated.values() if p.is_derivation) >= 4
    assert sorted(p.stem for p in SCREENSHOTS.glob("*.png")) >= sorted(shots.values())


def test_a_broken_formula_is_reported(server, browser_page):
    page = browser_page
    record = Recorder(page)
    load(page, server.base + "notation/")
    assert page.locator(MATH_ERRORS).count() == 0
    assert page.evaluate("typeof katex") == "undefined"  # rendered at build time: KaTeX's script is not loaded
    page.evaluate(
        """() => { const d = document.createElement("div"); d.className = "arithmatex";
                   d.textContent = "\\\\[\\\\frac{1}{\\\\]"; document.body.append(d);
                   return nnmathTypesetLeft(document.body); }"""
    )
    assert page.locator(MATH_ERRORS).count() == 1
    assert any("KaTeX cannot typeset" in m for m in record.console)


def test_search_works_offline(server, browser_page):
    page = browser_page
    record = Recorder(page)
    load(page, server.base)
    page.locator("input.md-search__input").click()
    page.keyboard.type("backpropagation")  # Material searches on key events, not on a value set by fill()
    results = page.locator(".md-search-result__item a.md-search-result__link")
    results.first.wait_for(timeout=10_000)
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("calculus/backpropagation" in h for h in hrefs), hrefs
    assert record.foreign == [] and record.console == []


def test_screenshots_are_images():
    shots = list(Path(SCREENSHOTS).glob("*.png"))
    assert shots and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in shots)
