"""The working folder an installed nnmath renders the site into (:mod:`nnmath.render.site.workspace`).

A checkout renders into its own ``docs/``; an install copies its read-only data files (``mkdocs.yml``, the
hand-written pages) into ``~/.cache/nnmath/site-sources/`` and renders beside them.  ``tests/test_wheel.py``
builds the site from a real read-only install; these tests check the folder's upkeep.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nnmath.render.cli import UserError
from nnmath.render.outputs import MARKER
from nnmath.render.site import paths
from nnmath.render.site.workspace import prepare, prepare_for_build

ROOT = Path(__file__).resolve().parents[1]
WATCHED = [str(ROOT / "templates" / "site"), str(ROOT / "derive")]  # the installed templates and derive, in an install


@pytest.fixture
def data(tmp_path) -> tuple[Path, Path]:
    """A stand-in for ``share/nnmath``: mkdocs.yml and two hand-written pages."""
    docs = tmp_path / "share" / "docs"
    (docs / "javascripts").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "javascripts" / "katex.js").write_text("// katex\n", encoding="utf-8")
    config = tmp_path / "share" / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    return docs, config


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_prepare_copies_the_data_files_and_marks_the_folder(data, tmp_path) -> None:
    docs, config = data
    work = tmp_path / "cache" / "site-sources"
    assert prepare(work, docs, config) == 3
    tree = _tree(work)
    assert tree.pop(MARKER).startswith(b"made by nnmath")
    assert yaml.safe_load(tree.pop("mkdocs.yml")) == {"site_name": "x", "hooks": [str(paths.HOOKS)], "watch": WATCHED}
    assert tree == {
        "docs/index.md": b"# Home\n",
        "docs/javascripts/katex.js": b"// katex\n",
    }
    stamp = (work / "docs" / "index.md").stat().st_mtime_ns
    assert prepare(work, docs, config) == 0  # a warm build rewrites nothing
    assert (work / "docs" / "index.md").stat().st_mtime_ns == stamp


def test_prepare_keeps_the_generated_pages_and_drops_pages_no_longer_shipped(data, tmp_path) -> None:
    docs, config = data
    work = tmp_path / "site-sources"
    prepare(work, docs, config)
    generated = work / "docs" / "calculus" / "chain-rule.md"  # calculus/ is a generated path
    generated.parent.mkdir()
    generated.write_text("generated\n", encoding="utf-8")
    (work / "docs" / "old" / "page.md").parent.mkdir()
    (work / "docs" / "old" / "page.md").write_text("from an earlier version\n", encoding="utf-8")
    (docs / "index.md").write_text("# Home, edited\n", encoding="utf-8")
    (docs / "javascripts" / "katex.js").unlink()
    assert prepare(work, docs, config) == 1
    assert sorted(_tree(work / "docs")) == ["calculus/chain-rule.md", "index.md"]
    assert (work / "docs" / "index.md").read_text(encoding="utf-8") == "# Home, edited\n"
    assert not (work / "docs" / "old").exists() and not (work / "docs" / "javascripts").exists()


def test_prepare_refuses_a_folder_nnmath_did_not_make(data, tmp_path) -> None:
    docs, config = data
    work = tmp_path / "site-sources"
    (work / "docs").mkdir(parents=True)
    (work / "notes.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(UserError) as error:
        prepare(work, docs, config)
    assert str(error.value) == (
        f"the site's working folder {work} is a folder nnmath did not create (it has other contents and no "
        ".nnmath-output): move it away, or set XDG_CACHE_HOME to another cache folder"
    )
    assert _tree(work) == {"notes.txt": b"mine\n"}


def test_the_copied_configuration_builds_with_mkdocs_own_command(data, tmp_path) -> None:
    """The working folder's mkdocs.yml names its hooks and watched folders by absolute paths: ``mkdocs build -f``
    on it loads them (the checkout's hand-written pages stand in for the generated ones' absence)."""
    from mkdocs.config import load_config

    work = tmp_path / "site-sources"
    prepare(work, ROOT / "docs", ROOT / "mkdocs.yml")
    config = load_config(str(work / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    assert config.docs_dir == str(work / "docs") and config.watch == WATCHED
    assert len(config.hooks) == 1  # loaded from nnmath/render/site/mkdocs_hooks.py


def test_a_checkout_renders_into_its_own_docs() -> None:
    assert paths.IN_PLACE and paths.DOCS == ROOT / "docs" and paths.CONFIG == ROOT / "mkdocs.yml"
    assert prepare_for_build() == 0
    assert not (ROOT / ".cache" / "site-sources").exists()
