"""Front-end packages (KaTeX, the iframe-worker shim) installed from npm into a cache outside the repository.

Supply chain: each package is pinned by version and by the integrity hash of its tarball (:data:`INTEGRITY`,
the registry's ``dist.integrity``), checked against the lockfile npm writes before the package is moved
into the cache; npm runs with ``--ignore-scripts`` (no install script of any package runs).  The files
used are the pinned package's own (KaTeX's ``dist/``, the shim's ``index.js``); dependencies npm installs
beside them (KaTeX's ``commander``, for its command line) are never loaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from nnmath.render.site.paths import asset_cache

# name -> (version, sha512 integrity of the npm tarball)
INTEGRITY: dict[str, tuple[str, str]] = {
    "katex": (
        "0.19.1",
        "sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr5614uRrEfA==",
    ),
    "iframe-worker": (
        "1.0.4",
        "sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q==",
    ),
}


class AssetUnavailable(RuntimeError):
    """An npm package is not in the cache and could not be installed; the message says why."""


def npm_package(name: str, version: str, cache: Path | None = None, announce=print) -> Path:
    """The folder of npm package ``name@version`` in the asset cache, installing it with npm if missing."""
    cache = cache or asset_cache()
    prefix = cache / f"{name}-{version}"
    folder = prefix / "node_modules" / name
    try:
        if json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"] == version:
            return folder
    except (OSError, ValueError, KeyError):
        pass
    npm = shutil.which("npm")
    if npm is None:
        raise AssetUnavailable(f"{name} {version} is not in {cache} and npm is missing: apt-get install npm")
    tmp = cache / f".{name}-{version}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    announce(f"installing {name} {version} from npm into {prefix}")
    cmd = [npm, "install", "--prefix", str(tmp), f"{name}@{version}", "--ignore-scripts", "--no-audit", "--no-fund"]
    done = subprocess.run([*cmd, "--loglevel=error"], capture_output=True, text=True, check=False)
    try:
        if done.returncode != 0:
            detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise AssetUnavailable(f"npm install {name}@{version} failed: {detail}")
        check_integrity(tmp, name, version)
    except AssetUnavailable:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(prefix, ignore_errors=True)
    tmp.replace(prefix)
    return folder


def check_integrity(prefix: Path, name: str, version: str) -> None:
    """Raise :class:`AssetUnavailable` unless npm installed ``name@version`` with the pinned integrity hash."""
    pinned = INTEGRITY.get(name)
    if pinned is None or pinned[0] != version:
        raise AssetUnavailable(f"{name} {version} has no pinned integrity hash (nnmath.render.site.npm_assets)")
    try:
        lock = json.loads((prefix / "package-lock.json").read_text(encoding="utf-8"))
        installed = lock["packages"][f"node_modules/{name}"]
    except (OSError, ValueError, KeyError):
        raise AssetUnavailable(f"npm wrote no lockfile entry for {name} {version}: its integrity is unknown") from None
    if (installed.get("version"), installed.get("integrity")) != pinned:
        raise AssetUnavailable(
            f"{name} {version} from npm does not match its pinned integrity hash "
            f"(got {installed.get('version')} {installed.get('integrity')}): not installed"
        )
