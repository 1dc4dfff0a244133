"""KaTeX, the maths renderer of the site: installed from npm into a cache outside the repository.

The site serves KaTeX itself (no CDN): ``katex.min.js``, ``katex.min.css`` and
the WOFF2 fonts are added to the build by the MkDocs hook, at ``assets/katex/``.
The version is pinned: the stylesheet must match the script exactly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from nnmath.site.paths import asset_cache

VERSION = "0.19.1"
SITE_PREFIX = "assets/katex"


class KatexUnavailable(RuntimeError):
    """KaTeX is not in the cache and could not be installed."""


def package_dir(cache: Path | None = None) -> Path:
    """Where the npm package ``katex`` of :data:`VERSION` is (or will be) installed."""
    return (cache or asset_cache()) / f"katex-{VERSION}" / "node_modules" / "katex"


def installed(cache: Path | None = None) -> bool:
    """True when the pinned KaTeX is in the cache."""
    meta = package_dir(cache) / "package.json"
    try:
        return json.loads(meta.read_text(encoding="utf-8"))["version"] == VERSION
    except (OSError, ValueError, KeyError):
        return False


def ensure(cache: Path | None = None, announce=print) -> Path:
    """The KaTeX ``dist`` folder, installing ``katex@VERSION`` with npm first if it is missing."""
    cache = cache or asset_cache()
    if not installed(cache):
        npm = shutil.which("npm")
        if npm is None:
            raise KatexUnavailable(f"KaTeX {VERSION} is not in {cache} and npm is missing: apt-get install npm")
        prefix = cache / f"katex-{VERSION}"
        tmp = cache / f".katex-{VERSION}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        announce(f"installing KaTeX {VERSION} from npm into {prefix}")
        cmd = [npm, "install", "--prefix", str(tmp), f"katex@{VERSION}", "--no-audit", "--no-fund", "--loglevel=error"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise KatexUnavailable(f"npm install katex@{VERSION} failed: {detail}")
        shutil.rmtree(prefix, ignore_errors=True)
        tmp.replace(prefix)
    return package_dir(cache) / "dist"


def assets(dist: Path) -> list[tuple[str, Path]]:
    """(path on the site, file) for every file the pages load: script, stylesheet, WOFF2 fonts."""
    files = [dist / "katex.min.js", dist / "katex.min.css", *sorted((dist / "fonts").glob("*.woff2"))]
    missing = [f for f in files if not f.is_file()]
    if missing or len(files) < 3:
        raise KatexUnavailable(f"KaTeX assets missing in {dist}: {', '.join(map(str, missing)) or 'fonts'}")
    return [(f"{SITE_PREFIX}/{f.relative_to(dist).as_posix()}", f) for f in files]
