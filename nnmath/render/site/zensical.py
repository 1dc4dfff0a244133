"""``nnmath build --engine zensical``: build the rendered ``docs/`` with Zensical, Material for MkDocs' successor.

Zensical reads ``mkdocs.yml`` but runs no MkDocs hooks (0.0.73 ignores ``hooks:``), so this module does
what :mod:`nnmath.render.site.mkdocs_hooks` does for MkDocs, around the Zensical run:

* it writes a Zensical configuration into a project folder of its own: ``mkdocs.yml`` with the navigation
  from the page plan and the snippets' base path, without ``hooks:``;
* after the build it copies the KaTeX assets into the site (the hooks add them as MkDocs files);
* it rewrites Zensical's search index (``search.json``) with readable maths, as for MkDocs.

Zensical runs as a command (``zensical build --strict``): the one beside this Python, else on ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from nnmath.render.site.paths import CONFIG, DOCS


class ZensicalFailed(RuntimeError):
    """Zensical stopped (strict mode: a warning stops it)."""


def executable() -> str:
    """The ``zensical`` command of this Python's environment, else the one on ``PATH``.

    Raises ``ModuleNotFoundError`` (the CLI then names the ``zensical`` extra) when there is none.
    """
    beside = Path(sys.executable).parent / "zensical"
    found = str(beside) if beside.is_file() else shutil.which("zensical")
    if found is None:
        raise ModuleNotFoundError("the zensical command is not installed", name="zensical")
    return found


def configuration(site_dir: Path, config_file: Path, docs_dir: Path) -> dict:
    """``mkdocs.yml`` as Zensical needs it, for a configuration written to ``config_file``: the hooks' work
    (navigation, snippets' base path) written in; ``site_dir`` and ``docs_dir`` lie under its folder."""
    import yaml

    from nnmath.render.site.pages import nav, plan

    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config.pop("watch", None)
    config["nav"] = nav(plan())
    root = config_file.parent.resolve()  # Zensical takes both folders relative to it (an absolute one panics)
    config["docs_dir"] = docs_dir.resolve().relative_to(root).as_posix()
    config["site_dir"] = site_dir.resolve().relative_to(root).as_posix()
    for extension in config["markdown_extensions"]:
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            extension["pymdownx.snippets"]["base_path"] = [str(docs_dir.resolve())]
    return config


def add_katex(site_dir: Path) -> int:
    """Copy the KaTeX assets into ``site_dir`` (``assets/katex/``); the number of files."""
    from nnmath.render.site import katex

    assets = katex.assets(katex.folder())
    for uri, path in assets:
        target = site_dir / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return len(assets)


def prerender_pages(site_dir: Path) -> int:
    """Render the maths of every page in ``site_dir`` to HTML with KaTeX, as the MkDocs hook does; the number
    of pages (:class:`ZensicalFailed` names the page and formula KaTeX rejects)."""
    from nnmath.render.site.prerender import MathsFailed, prerender

    pages = sorted(site_dir.rglob("*.html"))
    for page in pages:
        source = page.read_text(encoding="utf-8")
        try:
            rendered = prerender(source)
        except MathsFailed as e:
            raise ZensicalFailed(f"{page.relative_to(site_dir)}: {e}") from None
        if rendered != source:
            page.write_text(rendered, encoding="utf-8")
    return len(pages)


def zensical_build(site_dir: Path, docs_dir: Path = DOCS) -> None:
    """Build the site into ``site_dir`` with Zensical, then add what the MkDocs hooks would have.

    Zensical wants ``docs_dir`` and ``site_dir`` inside the configuration's folder, and it keeps its cache in
    that folder's ``.cache/`` (which ``--clean`` empties: beside mkdocs.yml that is nnmath's record cache).
    So it runs in a project folder of its own, beside ``site_dir``: the configuration and a copy of the
    rendered ``docs/``; the built site is then moved to ``site_dir`` and the folder removed.
    """
    import yaml

    from nnmath.render.site.searchtext import rewrite_index

    command = executable()
    work = site_dir.with_name(f".{site_dir.name}.zensical-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    try:
        shutil.copytree(docs_dir, work / "docs")
        config = work / "zensical.yml"
        settings = configuration(work / "site", config, work / "docs")
        config.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
        out = subprocess.run(
            [command, "build", "--strict", "--clean", "-f", str(config)],
            capture_output=True,
            text=True,
            cwd=work,
            env={**os.environ, "NO_COLOR": "1"},
        )
        if out.returncode != 0 or not (work / "site" / "index.html").is_file():
            last = (out.stderr.strip() or out.stdout.strip()).splitlines()[-1:] or ["no output"]
            raise ZensicalFailed(f"zensical build failed: {last[0]}")
        shutil.rmtree(site_dir, ignore_errors=True)
        (work / "site").rename(site_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    add_katex(site_dir)
    prerender_pages(site_dir)
    rewrite_index(site_dir)
