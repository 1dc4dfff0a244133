"""The site's front-end assets (KaTeX, the iframe-worker shim): fetched when nnmath is installed, not when it builds.

Each package is pinned by version and by the sha512 integrity hash of its npm-registry tarball (the registry's
``dist.integrity``).  :func:`fetch` downloads the tarball with the standard library (no npm, no Node), refuses it
unless its hash is the pinned one, and only then unpacks the few files the site serves (:data:`PACKAGES`) into
``nnmath/render/site/assets/`` with a ``MANIFEST.json`` that records each file's sha256.  The folder appears whole
or not at all (written beside, then renamed).

It runs at install time: ``install.sh`` runs ``python3 -m nnmath.render.site.frontend_assets``, and ``setup.py``
runs it while building a wheel, so the wheel carries the assets as package data.  ``nnmath build`` only asks
:func:`assets_dir`, which never touches the network: the folder, or :class:`AssetsMissing` naming the command.

This module uses the standard library only: ``setup.py`` loads it by path, before nnmath is installed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import urllib.request
from collections.abc import Callable
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
ASSETS = Path(__file__).resolve().parent / "assets"  # package data (not in git: see .gitignore)
ASSETS_ENV = "NNMATH_ASSETS"  # another folder, if set (e.g. assets shared by several checkouts)
MANIFEST = "MANIFEST.json"
FETCH_COMMAND = "python3 -m nnmath.render.site.frontend_assets"

_KATEX_FONTS = (
    "AMS-Regular Caligraphic-Bold Caligraphic-Regular Fraktur-Bold Fraktur-Regular Main-Bold Main-BoldItalic "
    "Main-Italic Main-Regular Math-BoldItalic Math-Italic SansSerif-Bold SansSerif-Italic SansSerif-Regular "
    "Script-Regular Size1-Regular Size2-Regular Size3-Regular Size4-Regular Typewriter-Regular"
).split()

# name -> (version, sha512 integrity of the registry tarball, files taken from it: path in the tarball -> path here)
PACKAGES: dict[str, tuple[str, str, dict[str, str]]] = {
    "katex": (
        "0.19.1",
        "sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr5614uRrEfA==",
        {
            "package/LICENSE": "katex/LICENSE",
            "package/dist/katex.min.js": "katex/katex.min.js",
            "package/dist/katex.min.css": "katex/katex.min.css",
            **{f"package/dist/fonts/KaTeX_{f}.woff2": f"katex/fonts/KaTeX_{f}.woff2" for f in _KATEX_FONTS},
        },
    ),
    "iframe-worker": (
        "1.0.4",
        "sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q==",
        {"package/LICENSE": "iframe-worker/LICENSE", "package/shim/index.js": "iframe-worker/shim/index.js"},
    ),
}


class AssetsMissing(RuntimeError):
    """The front-end assets are not installed, or could not be fetched; the message says what to do."""


def tarball_url(name: str, version: str) -> str:
    """The npm registry's address of ``name@version``'s tarball."""
    return f"{REGISTRY}/{name}/-/{name}-{version}.tgz"


def integrity_of(data: bytes) -> str:
    """The Subresource-Integrity string of ``data``: ``sha512-`` + base64(sha512(data)), as npm records it."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _pins() -> dict[str, dict[str, str]]:
    return {name: {"version": v, "integrity": i} for name, (v, i, _) in PACKAGES.items()}


def _download(url: str, timeout: float = 60.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - a fixed https address
        return response.read()


def unpack(name: str, data: bytes, into: Path) -> dict[str, str]:
    """Check ``data`` (the tarball of package ``name``) against its pinned hash, then write the files the site uses.

    Returns {path under ``into``: sha256}.  Raises :class:`AssetsMissing` (nothing written) on another hash, and
    when a listed file is missing or not a regular file.  Only listed members are read, and their bytes are
    written by this function, so no path or link in the tarball can reach outside ``into``.
    """
    version, pinned, wanted = PACKAGES[name]
    got = integrity_of(data)
    if got != pinned:
        raise AssetsMissing(f"{name} {version}: the downloaded tarball's hash {got} is not the pinned {pinned}")
    contents: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.name in wanted and member.isfile():
                contents[wanted[member.name]] = tar.extractfile(member).read()
    missing = sorted(set(wanted.values()) - set(contents))
    if missing:
        raise AssetsMissing(f"{name} {version}: the tarball has no {', '.join(missing)}")
    written = {}
    for rel, blob in sorted(contents.items()):
        path = into / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
        written[rel] = hashlib.sha256(blob).hexdigest()
    return written


def complete(folder: Path) -> bool:
    """Whether ``folder`` holds every pinned package's files, each with the sha256 its manifest records."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("packages") != _pins():
            return False
        files = manifest["files"]
        wanted = {rel for _, _, taken in PACKAGES.values() for rel in taken.values()}
        if set(files) != wanted:
            return False
        return all(hashlib.sha256((folder / rel).read_bytes()).hexdigest() == sha for rel, sha in files.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def installed_folder() -> Path:
    """Where the assets belong: ``$NNMATH_ASSETS`` if set, else the package data folder :data:`ASSETS`."""
    return Path(os.environ[ASSETS_ENV]) if os.environ.get(ASSETS_ENV) else ASSETS


def fetch(
    target: Path | None = None, download: Callable[[str], bytes] = _download, announce: Callable[[str], None] = print
) -> Path:
    """Install the pinned assets into ``target`` (nothing to do when it is already complete); returns ``target``.

    Every tarball is downloaded and checked before ``target`` changes: the files are written into a sibling
    folder that replaces ``target`` by a rename, and is removed on any failure.
    """
    target = installed_folder() if target is None else Path(target)
    if complete(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        files: dict[str, str] = {}
        for name, (version, _, _) in PACKAGES.items():
            url = tarball_url(name, version)
            announce(f"fetching {name} {version} from {url}")
            try:
                data = download(url)
            except OSError as e:  # URLError, timeouts and refused connections are OSErrors
                raise AssetsMissing(f"cannot download {url}: {getattr(e, 'reason', e)}") from None
            files.update(unpack(name, data, tmp))
        manifest = {"packages": _pins(), "files": dict(sorted(files.items()))}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def assets_dir(folder: Path | None = None) -> Path:
    """The installed front-end assets (``katex/``, ``iframe-worker/``; default :func:`installed_folder`), or
    :class:`AssetsMissing` saying how to get them.  Never downloads: ``nnmath build`` makes no network call."""
    folder = installed_folder() if folder is None else folder
    if complete(folder):
        return folder
    wanted = ", ".join(f"{name} {version}" for name, (version, _, _) in PACKAGES.items())
    raise AssetsMissing(
        f"the site's front-end assets ({wanted}) are not installed in {folder}: run `{FETCH_COMMAND}` "
        "(install.sh does), or reinstall nnmath"
    )


def main(argv: list[str] | None = None) -> int:
    """``python3 -m nnmath.render.site.frontend_assets [FOLDER]``: fetch the pinned assets (exit 2 and one line on
    failure)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print(f"usage: {FETCH_COMMAND} [FOLDER]", file=sys.stderr)
        return 2
    try:
        folder = fetch(Path(args[0]) if args else None, announce=lambda m: print(m, file=sys.stderr))
    except (AssetsMissing, OSError) as e:
        print(f"nnmath: front-end assets not installed: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    print(f"front-end assets in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
