"""Front-end assets fetched at install time without npm: the tarball's sha512 is checked before anything is
unpacked, only the listed files are written, the folder appears whole or not at all, and ``nnmath build`` without
them stops at once with one line naming the command (no download).  The registry is replaced by a stand-in here:
no network."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from nnmath.render.site import frontend_assets
from nnmath.render.site.frontend_assets import (
    ASSETS_ENV,
    FETCH_COMMAND,
    MANIFEST,
    PACKAGES,
    AssetsMissing,
    assets_dir,
    complete,
    fetch,
    integrity_of,
)

ROOT = Path(__file__).resolve().parents[1]


def _tarball(files: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    """A gzipped tar like the npm registry's: ``files`` as regular members, ``links`` as symbolic links."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, blob in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
    return out.getvalue()


@pytest.fixture
def registry(monkeypatch):
    """Stand-in tarballs for every pinned package (each file's bytes name it), pinned by their own hashes."""
    tarballs, pinned = {}, {}
    for name, (version, _, wanted) in PACKAGES.items():
        files = {member: f"{name} {member}".encode() for member in wanted}
        files["package/README.md"] = b"not taken"
        files["package/../../outside.txt"] = b"never written"
        tarballs[frontend_assets.tarball_url(name, version)] = data = _tarball(files)
        pinned[name] = (version, integrity_of(data), wanted)
    monkeypatch.setattr(frontend_assets, "PACKAGES", pinned)
    return tarballs


def test_integrity_is_the_npm_registry_form():
    assert integrity_of(b"") == (
        "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
    )
    assert all(i.startswith("sha512-") and len(i) == 95 for _, i, _ in PACKAGES.values())


def test_fetch_writes_only_the_listed_files_and_a_manifest_of_their_hashes(tmp_path, registry):
    urls: list[str] = []
    target = fetch(tmp_path / "assets", download=lambda u: urls.append(u) or registry[u], announce=lambda _: None)
    assert sorted(urls) == sorted(registry) and all(u.startswith("https://registry.npmjs.org/") for u in urls)
    written = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    listed = sorted(rel for _, _, wanted in frontend_assets.PACKAGES.values() for rel in wanted.values())
    assert written == sorted([*listed, MANIFEST])
    assert (target / "katex/katex.min.js").read_bytes() == b"katex package/dist/katex.min.js"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assets"]  # no temporary folder, nothing outside
    assert complete(target) and assets_dir(target) == target
    # complete: a second fetch downloads nothing
    assert fetch(target, download=lambda u: pytest.fail(f"downloaded {u}"), announce=lambda _: None) == target


def test_a_tampered_tarball_is_refused_and_nothing_is_written(tmp_path, registry):
    url = frontend_assets.tarball_url("iframe-worker", frontend_assets.PACKAGES["iframe-worker"][0])
    data = bytearray(registry[url])
    data[len(data) // 2] ^= 1
    registry[url] = bytes(data)
    with pytest.raises(AssetsMissing, match="iframe-worker 1.0.4: the downloaded tarball's hash .* is not the pinned"):
        fetch(tmp_path / "assets", download=registry.__getitem__, announce=lambda _: None)
    assert list(tmp_path.iterdir()) == []


def test_the_real_pins_refuse_any_other_tarball(tmp_path):
    """With the pins as shipped, a tarball that is not KaTeX 0.19.1's is refused before it is opened."""
    with pytest.raises(AssetsMissing, match="katex 0.19.1: the downloaded tarball's hash"):
        frontend_assets.unpack("katex", _tarball({"package/dist/katex.min.js": b"alert(1)"}), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_refetch_leaves_the_installed_folder_as_it_was(tmp_path, registry):
    target = fetch(tmp_path / "assets", download=registry.__getitem__, announce=lambda _: None)
    (target / "katex/katex.min.css").write_bytes(b"edited")  # no longer complete: a fetch would replace it
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}

    def offline(url: str) -> bytes:
        raise OSError("Network is unreachable")

    with pytest.raises(AssetsMissing, match="cannot download https://registry.npmjs.org/.*Network is unreachable"):
        fetch(target, download=offline, announce=lambda _: None)
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assets"]
    with pytest.raises(AssetsMissing, match="not installed"):
        assets_dir(target)


def test_a_link_in_place_of_a_listed_file_is_refused(tmp_path, monkeypatch):
    wanted = {"package/LICENSE": "x/LICENSE", "package/shim/index.js": "x/index.js"}
    data = _tarball({"package/LICENSE": b"MIT"}, links={"package/shim/index.js": "/etc/passwd"})
    monkeypatch.setattr(frontend_assets, "PACKAGES", {"x": ("1.0.0", integrity_of(data), wanted)})
    with pytest.raises(AssetsMissing, match="x 1.0.0: the tarball has no x/index.js"):
        fetch(tmp_path / "assets", download=lambda _: data, announce=lambda _: None)
    assert list(tmp_path.iterdir()) == []


def test_a_manifest_of_other_pins_is_not_complete(tmp_path, registry):
    target = fetch(tmp_path / "assets", download=registry.__getitem__, announce=lambda _: None)
    manifest = json.loads((target / MANIFEST).read_text())
    manifest["packages"]["katex"]["version"] = "0.16.0"
    (target / MANIFEST).write_text(json.dumps(manifest))
    assert not complete(target)


def test_the_installed_assets_are_complete():
    """The install (install.sh, or the wheel's build step) fetched them: ``nnmath build`` finds them."""
    folder = assets_dir()
    assert (folder / "katex/katex.min.css").stat().st_size > 20_000
    assert len(list((folder / "katex/fonts").glob("*.woff2"))) == 20
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", str(folder)], capture_output=True, text=True)
    assert tracked.returncode == 0 and tracked.stdout == ""  # downloaded, never committed


def test_build_without_the_assets_stops_at_once_with_one_line_naming_the_command(tmp_path):
    """No download during a build: a missing folder is a one-line error, exit status 2, before any derivation."""
    done = subprocess.run(
        [sys.executable, "-m", "nnmath.cli", "build", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env={**os.environ, ASSETS_ENV: str(tmp_path / "none")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and FETCH_COMMAND in lines[0] and "katex 0.19.1" in lines[0], done.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "none").exists()


def test_the_fetch_command_reports_bad_arguments_in_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "nnmath.render.site.frontend_assets", "--bogus"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and done.stderr.strip() == f"usage: {FETCH_COMMAND} [FOLDER]"
