"""Shared by the site tests: one build per test session, served on 127.0.0.1, read back from disk."""

from __future__ import annotations

import atexit
import functools
import html
import http.server
import re
import shutil
import tempfile
import threading
from pathlib import Path

from nnmath.render.site.build import BuildReport, build_site
from nnmath.render.site.pages import Page, plan

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@functools.cache
def workdir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="nnmath-site-tests-"))
    atexit.register(shutil.rmtree, path, True)
    return path


@functools.cache
def built() -> BuildReport:
    """The site, built once per session (derivations from .cache/ when they are up to date)."""
    return build_site(workdir() / "site", progress=False)


def page_url_path(page_path: str) -> str:
    """Site path of a Markdown page: ``calculus/chain-rule.md`` → ``calculus/chain-rule/``."""
    stem = page_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def html_file(site: Path, page: Page | str) -> Path:
    path = page.path if isinstance(page, Page) else page
    return site / page_url_path(path) / "index.html"


def code_listing(page_html: str, title: str) -> str:
    """The text of the code block titled ``title`` (pymdownx.highlight), tags stripped, entities decoded."""
    m = re.search(
        r'<span class="filename">' + re.escape(title) + r"</span>.*?<code>(.*?)</code>", page_html, flags=re.S
    )
    if m is None:
        raise AssertionError(f"no code block titled {title!r}")
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


class SiteServer:
    """The built site over HTTP on 127.0.0.1, in a thread."""

    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def generated_pages() -> list[Page]:
    return plan()
