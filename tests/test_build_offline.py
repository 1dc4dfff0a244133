"""``nnmath build`` on a machine without Node and without network: the front-end assets came with the install.

The build runs in a network namespace of its own (``unshare -rn``: no interface but the loopback, which is brought
up as on any offline machine: the build's Jupyter kernels talk to it) with ``node``, ``npm`` and ``npx`` absent
from ``PATH``.  The pages then carry KaTeX's stylesheet, script and fonts themselves,
and a real Chromium typesets their maths with no request to any host but 127.0.0.1.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from site_support import CHROMIUM, CHROMIUM_FLAGS, SiteServer, page_url_path
from test_site_browser import MATH, MATH_ERRORS, Recorder, load

from nnmath.render.site import katex
from nnmath.render.site.frontend_assets import assets_dir

ROOT = Path(__file__).resolve().parents[1]
NODE_TOOLS = {"node", "nodejs", "npm", "npx", "corepack", "yarn", "pnpm"}
UNSHARE = shutil.which("unshare")


def _no_namespace() -> str:
    if UNSHARE is None:
        return "unshare (util-linux) is not installed"
    done = subprocess.run([UNSHARE, "-rn", "true"], capture_output=True, text=True)
    return "" if done.returncode == 0 else f"unshare -rn is refused here: {done.stderr.strip()}"


pytestmark = pytest.mark.skipif(bool(_no_namespace()), reason=_no_namespace() or "ok")


def path_without_node(into: Path) -> str:
    """A ``PATH`` of one folder linking every command on today's ``PATH`` except Node's."""
    into.mkdir()
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        for entry in sorted(Path(folder).glob("*")) if Path(folder).is_dir() else []:
            link = into / entry.name
            if entry.name not in NODE_TOOLS and not link.exists() and os.access(entry, os.X_OK) and entry.is_file():
                link.symlink_to(entry.resolve())
    return str(into)


# Run in the new namespace: bring the loopback up (ioctl SIOCSIFFLAGS: up, loopback, running), then exec the command.
LOOPBACK_UP = (
    "import fcntl, os, socket, struct, sys\n"
    "with socket.socket() as s:\n"
    "    fcntl.ioctl(s, 0x8914, struct.pack('16sh', b'lo', 0x1 | 0x8 | 0x40))\n"
    "os.execv(sys.argv[1], sys.argv[1:])\n"
)


def offline(cmd: list[str], path: str, **kwargs) -> subprocess.CompletedProcess:
    """``cmd`` in a new user and network namespace (a loopback, no other network), with ``PATH`` set to ``path``."""
    env = {**os.environ, "PATH": path, "PYTHONPATH": str(ROOT)}
    wrapped = [UNSHARE, "-rn", sys.executable, "-c", LOOPBACK_UP, *cmd]
    return subprocess.run(wrapped, env=env, cwd=ROOT, capture_output=True, text=True, **kwargs)


@functools.cache
def offline_build() -> tuple[Path, subprocess.CompletedProcess, str]:
    """The site built once with no network and no Node: (site folder, the build's process, the PATH it had)."""
    work = Path(tempfile.mkdtemp(prefix="nnmath-offline-build-"))
    path = path_without_node(work / "bin")
    site = work / "site"
    done = offline([sys.executable, "-m", "nnmath.cli", "build", "--site-dir", str(site)], path, timeout=1200)
    return site, done, path


def test_the_namespace_has_no_network_and_the_path_no_node():
    _, _, path = offline_build()
    assert all(shutil.which(tool, path=path) is None for tool in NODE_TOOLS)
    assert shutil.which("git", path=path) and shutil.which("python3", path=path)
    probe = (
        "import socket\n"
        "with socket.create_server(('127.0.0.1', 0)) as s: socket.create_connection(s.getsockname()).close()\n"
        "for host in ('registry.npmjs.org', '104.16.0.35'):\n"  # by name, and by one of the registry's addresses
        "    try: socket.create_connection((host, 443), timeout=5)\n"
        "    except OSError as e: print(host, 'unreachable:', e)\n"
    )
    done = offline([sys.executable, "-c", probe], path, timeout=60)
    assert done.returncode == 0, done.stderr  # the loopback works
    assert [line.split()[:2] for line in done.stdout.splitlines()] == [
        ["registry.npmjs.org", "unreachable:"],
        ["104.16.0.35", "unreachable:"],
    ], done.stdout


def test_the_site_builds_with_no_network_and_no_node():
    site, done, _ = offline_build()
    assert done.returncode == 0, done.stderr[-2000:]
    assert "npm" not in done.stdout + done.stderr and "fetching" not in done.stderr
    assert (site / "index.html").is_file()


def test_the_built_pages_carry_katex_and_its_fonts():
    site, done, _ = offline_build()
    assert done.returncode == 0, done.stderr[-2000:]
    installed = katex.folder()
    for uri, source in katex.assets(installed):
        assert (site / uri).read_bytes() == source.read_bytes(), uri
    css = (site / katex.SITE_PREFIX / "katex.min.css").read_text(encoding="utf-8")
    fonts = set(re.findall(r"url\((fonts/KaTeX_[\w-]+\.woff2)\)", css))
    assert len(fonts) == 20 and all((site / katex.SITE_PREFIX / f).is_file() for f in fonts)
    page = (site / "calculus" / "chain-rule" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../assets/katex/katex.min.css"' in page
    assert 'data-typeset="ok"><span class="katex' in page and "katex.min.js" not in page  # rendered at build time
    assert not re.search(r'<(link|script|img)\b[^>]*\b(href|src)="(https?:)?//', page)  # nothing loaded from elsewhere


def test_the_browser_typesets_the_maths_with_local_fonts_and_no_other_host():
    site, done, _ = offline_build()
    assert done.returncode == 0, done.stderr[-2000:]
    server = SiteServer(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            record = Recorder(page)
            fonts: list[str] = []
            page.on("requestfinished", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
            for path in ("calculus/chain-rule.md", "notation.md"):
                page.goto("about:blank")
                load(page, server.base + page_url_path(path))
                assert page.locator(MATH).count() > 0, path
                assert page.locator(MATH_ERRORS).count() == 0, path
                assert page.evaluate("document.fonts.check('16px KaTeX_Main')"), path
                assert page.evaluate("typeof katex") == "undefined", path  # no typesetting script ran
            browser.close()
    finally:
        server.close()
    assert record.foreign == [] and record.failed == [] and record.console == []
    assert fonts and all(u.startswith(server.base + "assets/katex/fonts/KaTeX_") for u in fonts), fonts
    assert assets_dir() == katex.folder().parent
