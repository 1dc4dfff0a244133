"""Page load of built course sites in Chromium: time until every formula is typeset and the fonts are ready.

Run:  python bench/site_page_load.py SITE [SITE ...] [--rounds N]

Each site is served on 127.0.0.1; every generated page is opened ``--rounds`` times (cache disabled) and timed
from navigation start to the moment all ``.arithmatex`` elements hold KaTeX output and ``document.fonts`` is
ready.  Prints, per site, the median and 90th percentile over pages (ms), the median main-thread time spent in
scripts and in layout per page load (Chromium's own counters), and the bytes of JavaScript loaded.
Run the sites in one call: on a shared machine only numbers measured side by side compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402
from site_support import CHROMIUM, CHROMIUM_FLAGS, SiteServer, generated_pages, page_url_path  # noqa: E402

TYPESET = """() => { const all = document.querySelectorAll('.arithmatex');
  return all.length > 0 && Array.from(all).every(e => e.querySelector('.katex')); }"""


def _counters(cdp) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def measure(site: Path, rounds: int) -> tuple[list[float], list[float], list[float], int]:
    """Per page load: ms to typeset, ms of scripts, ms of layout; and the JavaScript bytes of one page."""
    server = SiteServer(site)
    times, scripts, layouts, script_bytes = [], [], [], 0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            context.route(
                "**/*", lambda route: route.continue_(headers={**route.request.headers, "cache-control": "no-cache"})
            )
            paths = [page_url_path(p.path) for p in generated_pages() if p.is_derivation]
            for _ in range(rounds):
                for path in paths:
                    page.goto("about:blank")
                    before = _counters(cdp)
                    page.goto(server.base + path, wait_until="commit")
                    page.wait_for_function(TYPESET, polling="raf", timeout=30_000)
                    page.evaluate("document.fonts.ready.then(() => true)")
                    times.append(page.evaluate("performance.now()"))
                    after = _counters(cdp)
                    scripts.append(1000 * (after["ScriptDuration"] - before["ScriptDuration"]))
                    layouts.append(1000 * (after["LayoutDuration"] - before["LayoutDuration"]))
            script_bytes = page.evaluate(
                "performance.getEntriesByType('resource').filter(r => r.initiatorType === 'script')"
                ".reduce((n, r) => n + r.decodedBodySize, 0)"
            )
            browser.close()
    finally:
        server.close()
    return times, scripts, layouts, script_bytes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", type=Path, nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for site in args.sites:
        times, scripts, layouts, script_bytes = measure(site, args.rounds)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(
            f"{site}: {len(times)} loads, median {statistics.median(times):.0f} ms, p90 {p90:.0f} ms, "
            f"script time {statistics.median(scripts):.0f} ms, layout {statistics.median(layouts):.0f} ms, "
            f"scripts {script_bytes / 1024:.0f} KiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
