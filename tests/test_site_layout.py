"""Nothing runs off the page: at a 1280 × 800 window, no display formula and no table of any built page
is wider than the content column (measured in a real Chromium, after KaTeX typeset the page).

A display formula is measured by the width of KaTeX's rendered box (``.katex-html``), a table by its
``scrollWidth`` — what the reader would have to scroll to see, not the width of its scroll container.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright
from site_support import CHROMIUM, CHROMIUM_FLAGS, SiteServer, built

WINDOW = {"width": 1280, "height": 800}
SLACK_PX = 0.5  # sub-pixel rounding

# For every display formula and table of the page's content column: its rendered width and a short name.
OVERFLOWING = """
(slack) => {
  const column = document.querySelector("article.md-content__inner");
  const style = getComputedStyle(column);
  const room = column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const found = [];
  for (const display of column.querySelectorAll(".katex-display")) {
    const box = display.querySelector(".katex-html");
    const tex = display.querySelector("annotation");
    const width = Math.max(box.scrollWidth, box.getBoundingClientRect().width);
    if (width > room + slack) found.push(`formula ${Math.round(width)} px > ${Math.round(room)} px: `
        + (tex ? tex.textContent : display.textContent).trim().replace(/\\s+/g, " ").slice(0, 90));
  }
  for (const table of column.querySelectorAll("table")) {
    if (table.scrollWidth > room + slack) found.push(`table ${table.scrollWidth} px > ${Math.round(room)} px: `
        + Array.from(table.querySelectorAll("th")).map(h => h.textContent.trim()).join(" | ").slice(0, 90));
  }
  return [found, column.querySelectorAll(".katex-display").length, column.querySelectorAll("table").length];
}
"""


@pytest.fixture(scope="module")
def site():
    report = built()
    server = SiteServer(report.site)
    yield report.site, server.base
    server.close()


def every_page(root) -> list[str]:
    """Site path of every built HTML page (``""`` for the home page), the 404 page aside."""
    paths = sorted(p.parent.relative_to(root).as_posix() + "/" for p in root.rglob("index.html"))
    return ["" if p == "./" else p for p in paths]


def test_no_formula_or_table_is_wider_than_the_content_column(site):
    root, base = site
    pages = every_page(root)
    problems, displays, tables = [], 0, 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_context(viewport=WINDOW).new_page()
        for path in pages:
            page.goto("about:blank")
            page.goto(base + path, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            found, n_displays, n_tables = page.evaluate(OVERFLOWING, SLACK_PX)
            problems += [f"{path or 'home'}: {what}" for what in found]
            displays, tables = displays + n_displays, tables + n_tables
        browser.close()
    assert problems == [], "\n".join(problems)
    assert len(pages) >= 50 and displays >= 300 and tables >= 30  # the check saw the whole site
