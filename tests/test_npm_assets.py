"""Front-end packages from npm: install scripts disabled, and the tarball's integrity hash checked against the
pinned one before the package enters the cache (npm itself is replaced here by a fake: no network)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from nnmath.render.site import npm_assets
from nnmath.render.site.npm_assets import INTEGRITY, AssetUnavailable, npm_package


def _fake_npm(integrity: str, calls: list):
    """A stand-in for ``subprocess.run(npm install …)``: writes the package and a lockfile with ``integrity``."""

    def run(cmd, **kwargs):
        calls.append(cmd)
        prefix = Path(cmd[cmd.index("--prefix") + 1])
        name, version = cmd[cmd.index("--prefix") + 2].rsplit("@", 1)
        (prefix / "node_modules" / name).mkdir(parents=True)
        (prefix / "node_modules" / name / "package.json").write_text(json.dumps({"version": version}))
        lock = {"packages": {"": {}, f"node_modules/{name}": {"version": version, "integrity": integrity}}}
        (prefix / "package-lock.json").write_text(json.dumps(lock))
        return subprocess.CompletedProcess(cmd, 0, "", "")

    return run


def test_a_package_with_the_pinned_hash_is_installed_without_scripts(tmp_path, monkeypatch) -> None:
    calls: list = []
    version, integrity = INTEGRITY["katex"]
    monkeypatch.setattr(npm_assets.shutil, "which", lambda _: "/usr/bin/npm")
    monkeypatch.setattr(npm_assets.subprocess, "run", _fake_npm(integrity, calls))
    folder = npm_package("katex", version, tmp_path, announce=lambda _: None)
    assert folder == tmp_path / f"katex-{version}" / "node_modules" / "katex" and folder.is_dir()
    assert "--ignore-scripts" in calls[0]


def test_a_package_with_another_hash_is_refused_and_nothing_is_cached(tmp_path, monkeypatch) -> None:
    version, _ = INTEGRITY["katex"]
    monkeypatch.setattr(npm_assets.shutil, "which", lambda _: "/usr/bin/npm")
    monkeypatch.setattr(npm_assets.subprocess, "run", _fake_npm("sha512-tampered==", []))
    with pytest.raises(AssetUnavailable, match="does not match its pinned integrity hash"):
        npm_package("katex", version, tmp_path, announce=lambda _: None)
    assert list(tmp_path.iterdir()) == []


def test_an_unpinned_version_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(npm_assets.shutil, "which", lambda _: "/usr/bin/npm")
    monkeypatch.setattr(npm_assets.subprocess, "run", _fake_npm("sha512-x==", []))
    with pytest.raises(AssetUnavailable, match="has no pinned integrity hash"):
        npm_package("katex", "0.0.1", tmp_path, announce=lambda _: None)
    assert list(tmp_path.iterdir()) == []
