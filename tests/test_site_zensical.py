"""``nnmath build --engine zensical``: the same site as MkDocs builds, built by Zensical.

Zensical is installed into a virtual environment of its own (never into the environment running the tests);
the build finds its ``zensical`` command on ``PATH``.  The site is compared with the MkDocs build of the same
pages: the same pages, the same maths on each, every page in the navigation, KaTeX rendering in a real browser
with no request to another host, and a search index with readable maths.  If the package registry cannot be
reached the test fails and says so.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from site_support import CHROMIUM, CHROMIUM_FLAGS, SiteServer, built, html_file, page_url_path

from nnmath.render.site.build import build_site
from nnmath.render.site.pages import plan
from nnmath.render.site.paths import CONFIG

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def zensical_bin(tmp_path_factory) -> Path:
    """The ``bin`` folder of a fresh virtual environment with Zensical."""
    env = tmp_path_factory.mktemp("zensical") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, timeout=120)
    proc = subprocess.run(
        [str(env / "bin" / "python"), "-m", "pip", "install", "-q", "zensical>=0.0.73"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    tail = "\n".join(line for line in proc.stderr.splitlines() if "is ignored: it is neither" not in line)[-3000:]
    assert proc.returncode == 0, f"pip could not install zensical; is the package registry reachable?\n{tail}"
    return env / "bin"


@pytest.fixture(scope="module")
def site(zensical_bin, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zensical-site") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", f"{os.environ['PATH']}{os.pathsep}{zensical_bin}")
        build_site(out, progress=False, engine="zensical")
    return out


def _maths(page_html: str) -> list[str]:
    """The TeX of every formula on the page, as KaTeX rendered it at build time (its annotation)."""
    assert 'class="arithmatex">' not in page_html  # every formula was rendered (data-typeset="ok")
    sources = re.findall(r'<annotation encoding="application/x-tex">(.*?)</annotation>', page_html, flags=re.S)
    return [re.sub(r"\s+", " ", html.unescape(s)).strip() for s in sources]


def test_zensical_builds_every_page_with_the_same_maths_as_mkdocs(site) -> None:
    mkdocs_site = built().site
    for page in plan():
        ours = html_file(site, page)
        assert ours.is_file(), page.path
        theirs = html_file(mkdocs_site, page).read_text(encoding="utf-8")
        assert _maths(ours.read_text(encoding="utf-8")) == _maths(theirs), page.path
    assert sum(len(_maths(html_file(site, page).read_text(encoding="utf-8"))) for page in plan()) > 1000
    assert (site / ".nnmath-output").is_file()
    assert [p.name for p in site.parent.iterdir()] == ["site"]  # its project folder is gone
    assert not (CONFIG.parent / ".cache" / "zensical").exists()


def test_every_page_is_in_the_navigation_and_the_maths_assets_are_there(site) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]*)"', home, flags=re.S))
    links |= set(re.findall(r'href="([^"]*)"[^>]*class="md-nav__link', home, flags=re.S))
    wanted = {"./" + page_url_path(p.path) for p in plan()}
    assert wanted - {link if link.endswith("/") else link + "/" for link in links} <= {"./"}
    assert (site / "assets" / "katex" / "katex.min.js").is_file()
    assert list((site / "assets" / "katex" / "fonts").glob("*.woff2"))


def test_the_search_index_has_readable_maths(site) -> None:
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    texts = " ".join(item["title"] + " " + item["text"] for item in index["items"])
    assert len(index["items"]) > 100
    assert "\\(" not in texts and "\\[" not in texts and "\\frac" not in texts
    assert "σ(x)" in texts


def test_the_maths_renders_in_a_browser_with_no_other_host(site) -> None:
    from playwright.sync_api import sync_playwright

    server = SiteServer(site)
    elsewhere: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.on("request", lambda r: None if r.url.startswith((server.base, "data:")) else elsewhere.append(r.url))
            page.goto(server.base + "calculus/backpropagation/", wait_until="networkidle")
            rendered = page.locator(".katex").count()
            errors = page.locator(".katex-error").count()
            title = page.title()
            browser.close()
    finally:
        server.close()
    assert rendered >= 20 and errors == 0
    assert title.startswith("Backpropagation")
    assert elsewhere == []


def test_a_missing_zensical_names_its_extra(tmp_path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "nnmath.cli", "build", "--engine", "zensical", "--site-dir", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr == (
        "nnmath: error: nnmath build needs the zensical extra (no module 'zensical'): "
        'pip install "nnmath[zensical]"\n'
    )
    assert list(tmp_path.iterdir()) == []
