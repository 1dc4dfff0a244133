"""KaTeX, the maths renderer of the site: installed with nnmath (:mod:`nnmath.render.site.frontend_assets`).

The site serves KaTeX itself (no CDN): ``katex.min.js``, ``katex.min.css`` and
the WOFF2 fonts are added to the build by the MkDocs hook, at ``assets/katex/``.
The version is pinned: the stylesheet must match the script exactly.
"""

from __future__ import annotations

from pathlib import Path

from nnmath.render.site.frontend_assets import PACKAGES, AssetsMissing, assets_dir

VERSION = PACKAGES["katex"][0]
SITE_PREFIX = "assets/katex"


def folder() -> Path:
    """The installed KaTeX files (script, stylesheet, ``fonts/``), or :class:`AssetsMissing` naming the fix."""
    return assets_dir() / "katex"


def assets(dist: Path) -> list[tuple[str, Path]]:
    """(path on the site, file) for every file the pages load: script, stylesheet, WOFF2 fonts."""
    files = [dist / "katex.min.js", dist / "katex.min.css", *sorted((dist / "fonts").glob("*.woff2"))]
    missing = [f for f in files if not f.is_file()]
    if missing or len(files) < 3:
        raise AssetsMissing(f"KaTeX assets missing in {dist}: {', '.join(map(str, missing)) or 'fonts'}")
    return [(f"{SITE_PREFIX}/{f.relative_to(dist).as_posix()}", f) for f in files]
