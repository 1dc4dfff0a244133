"""Front-end packages (KaTeX, the iframe-worker shim) installed from npm into a cache outside the repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from nnmath.render.site.paths import asset_cache


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
    cmd = [npm, "install", "--prefix", str(tmp), f"{name}@{version}", "--no-audit", "--no-fund", "--loglevel=error"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise AssetUnavailable(f"npm install {name}@{version} failed: {detail}")
    shutil.rmtree(prefix, ignore_errors=True)
    tmp.replace(prefix)
    return folder
