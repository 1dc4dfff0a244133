"""KaTeX, the maths renderer of the site: installed from npm into a cache outside the repository.

The site serves KaTeX itself (no CDN): ``katex.min.js``, ``katex.min.css`` and
the WOFF2 fonts are added to the build by the MkDocs hook, at ``assets/katex/``.
The version is pinned: the stylesheet must match the script exactly.
"""

from __future__ import annotations

from pathlib import Path

from nnmath.render.site.npm_assets import AssetUnavailable, npm_package

VERSION = "0.19.1"
SITE_PREFIX = "assets/katex"


class KatexUnavailable(AssetUnavailable):
    """KaTeX is not in the cache and could not be installed."""


def ensure(cache: Path | None = None, announce=print) -> Path:
    """The KaTeX ``dist`` folder, installing ``katex@VERSION`` with npm first if it is missing."""
    try:
        return npm_package("katex", VERSION, cache, announce) / "dist"
    except AssetUnavailable as e:
        raise KatexUnavailable(str(e)) from None


def assets(dist: Path) -> list[tuple[str, Path]]:
    """(path on the site, file) for every file the pages load: script, stylesheet, WOFF2 fonts."""
    files = [dist / "katex.min.js", dist / "katex.min.css", *sorted((dist / "fonts").glob("*.woff2"))]
    missing = [f for f in files if not f.is_file()]
    if missing or len(files) < 3:
        raise KatexUnavailable(f"KaTeX assets missing in {dist}: {', '.join(map(str, missing)) or 'fonts'}")
    return [(f"{SITE_PREFIX}/{f.relative_to(dist).as_posix()}", f) for f in files]
