"""MkDocs hooks of the course site (``hooks:`` in mkdocs.yml).

* the navigation comes from the page plan (:func:`nnmath.render.site.pages.nav`), so
  a new catalogue entry needs no edit of mkdocs.yml;
* the KaTeX assets are added from the installed package data, not copied into ``docs/``;
* the search index holds readable text: its maths is rewritten from TeX into Unicode;
* the maths is rendered to HTML by KaTeX at build time (:mod:`nnmath.render.site.prerender`);
* under ``mkdocs serve`` / ``nnmath serve`` every rebuild first re-renders the
  pages, so an edited template shows up on reload.

MkDocs loads this file anew with every configuration, so the command is kept
in an environment variable rather than a module global.
"""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

COMMAND = "NNMATH_MKDOCS_COMMAND"


def on_startup(*, command: str, dirty: bool) -> None:
    os.environ[COMMAND] = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    from nnmath.render.site.pages import nav, plan

    config.nav = nav(plan())
    # Snippets (the generated notation tables) are read from docs/, wherever mkdocs runs from.
    config.mdx_configs.setdefault("pymdownx.snippets", {})["base_path"] = [config.docs_dir]
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    if os.environ.get(COMMAND) == "serve":
        from nnmath.render.site.build import generate

        generate()


def on_env(env, config: MkDocsConfig, files: Files):
    """The theme's templates compiled once and kept between builds (see ``render.compiled_templates``)."""
    from nnmath.render.site.render import compiled_templates

    env.bytecode_cache = compiled_templates()
    return env


def on_files(files: Files, config: MkDocsConfig) -> Files:
    from nnmath.render.site import katex

    for uri, path in katex.assets(katex.folder()):
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def on_post_page(output: str, page, config: MkDocsConfig) -> str:
    """The page's maths rendered to HTML by KaTeX at build time (after the search plugin has read the page)."""
    from mkdocs.exceptions import PluginError

    from nnmath.render.site.prerender import MathsFailed, prerender

    try:
        return prerender(output)
    except MathsFailed as e:
        raise PluginError(f"{page.file.src_uri}: {e}") from None


def on_post_build(config: MkDocsConfig) -> None:
    """The search index in readable text (the search plugin wrote it with the maths as TeX source)."""
    from pathlib import Path

    from nnmath.render.site.searchtext import rewrite_index

    rewrite_index(Path(config.site_dir))
