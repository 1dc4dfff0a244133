"""The course site built to be opened from disk (``file://``), for the workshop kit.

The same pages as ``nnmath build`` (same ``docs/``, same mkdocs.yml and hooks),
built by MkDocs with Material's ``offline`` plugin: page links end in
``.html`` (no directory URLs) and the search index is inlined into a script,
so search works without a server.  Browsers refuse web workers on ``file://``;
Material's search runs its worker through the ``iframe-worker`` shim, which
the offline plugin would load from unpkg.com.  Here the shim is installed with
nnmath like KaTeX (pinned, :mod:`nnmath.render.site.frontend_assets`) and is
served by the site, so the kit makes no request to any other host.  ``nnmath build`` and
``nnmath serve`` are unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from nnmath.render.site.frontend_assets import AssetsMissing, assets_dir
from nnmath.render.site.paths import BUILD_OVERRIDES, CONFIG

SHIM_URI = "assets/javascripts/iframe-worker-shim.js"  # on the site


@dataclass(frozen=True)
class OfflineSite:
    """A site built for ``file://``: where it is, its page count, and how long it took."""

    site: Path
    pages: int
    seconds: float
    from_cache: bool


def shim() -> Path:
    """The ``iframe-worker`` shim script (web workers on ``file://``), installed with nnmath."""
    return assets_dir() / "iframe-worker" / "shim" / "index.js"


def mkdocs_offline_build(site_dir: Path, config_file: Path = CONFIG) -> None:
    """``mkdocs build`` (strict) of the course site with the ``offline`` plugin, into ``site_dir``."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from nnmath.render.site.build import MkdocsFailed, _log_mkdocs_warnings, run_mkdocs

    script = shim()
    _log_mkdocs_warnings()
    try:
        configured = load_config(str(config_file), site_dir=str(site_dir), **BUILD_OVERRIDES)
        hooks = set(configured.hooks)  # mkdocs.yml's hooks: loaded again by its `hooks:` entry
        plugins = [name for name in configured.plugins if name not in hooks and not name.endswith("offline")]
        config = load_config(
            str(config_file), site_dir=str(site_dir), plugins=[*plugins, "material/offline"], **BUILD_OVERRIDES
        )
        # The offline plugin adds the shim from unpkg.com unless a polyfill named iframe-worker is there.
        config.extra["polyfills"] = [*config.extra.get("polyfills", []), SHIM_URI]
        run_mkdocs(config)
    except MkDocsException as e:
        raise MkdocsFailed(f"mkdocs build (offline) failed: {e}") from None
    target = site_dir / SHIM_URI
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(script, target)


def build_offline_site(site_dir: Path, progress: bool = False) -> OfflineSite:
    """Render the pages (derivations from the cache when current) and build them for ``file://`` into ``site_dir``.

    ``site_dir`` must not exist yet (the kit builds into a fresh temporary folder).
    """
    from nnmath.render.site import katex
    from nnmath.render.site.build import generate, source_date_epoch

    start = time.perf_counter()
    os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch())
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    katex.folder()  # the installed assets, or a one-line error before any work
    generated = generate(progress=progress)
    mkdocs_offline_build(Path(site_dir))
    return OfflineSite(Path(site_dir), len(generated.pages), time.perf_counter() - start, generated.from_cache)


def main(argv: list[str] | None = None) -> int:
    """``python -m nnmath.render.kit.offline_site SITE_DIR``: build in a process of its own (the kit runs it beside
    the handouts); prints the result as JSON, or one line on stderr and exit status 2."""
    from nnmath.records import RecordFailed
    from nnmath.render.site.build import MkdocsFailed
    from nnmath.render.site.render import MissingDerivation, RenderFailed

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m nnmath.render.kit.offline_site SITE_DIR", file=sys.stderr)
        return 2
    try:
        built = build_offline_site(Path(args[0]))
    except (
        AssetsMissing,
        MkdocsFailed,
        RecordFailed,
        MissingDerivation,
        RenderFailed,
        OSError,
    ) as e:
        text = str(e).strip()
        print(f"{type(e).__name__}: {text.splitlines()[0]}" if isinstance(e, OSError) else text, file=sys.stderr)
        return 2
    print(json.dumps({"pages": built.pages, "seconds": built.seconds, "from_cache": built.from_cache}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
