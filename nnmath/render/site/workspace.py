"""The working folder an installed nnmath renders the site's pages into (a checkout renders into its ``docs/``).

An install's data files (``<prefix>/share/nnmath/``: ``mkdocs.yml`` and the hand-written pages) are read, never
written: they may be read-only, and the generated pages are not package data.  :func:`prepare` makes
:data:`~nnmath.render.site.paths.WORK` (``~/.cache/nnmath/site-sources/``) a copy of them — ``mkdocs.yml`` (its
hooks and watched folders pointed at the install) and ``docs/`` with the hand-written pages — into which
:func:`nnmath.render.site.render.write` then writes the generated pages, beside them as in a checkout.  MkDocs,
Zensical, ``nnmath serve`` and the workshop kit read that folder's ``mkdocs.yml``.

Like the generated pages, the copies are written only when their bytes changed (each to a temporary file renamed
into place), so a warm build rewrites nothing; a file left from another version of the hand-written pages is
removed.  The folder is nnmath's own: it carries the marker of :mod:`nnmath.render.outputs`, and a folder at that
place that nnmath did not make is refused, never emptied.
"""

from __future__ import annotations

from pathlib import Path

from nnmath.render.site.paths import GENERATED, HAND_WRITTEN, HOOKS, IN_PLACE, SOURCE_CONFIG, TEMPLATES, WORK

OPTION = "the site's working folder"  # how errors name it (it is no option of the command line)


def _files(folder: Path) -> dict[str, Path]:
    """Every file under ``folder``, by its path relative to it (``javascripts/katex.js``)."""
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def _generated(rel: str) -> bool:
    return any(rel == g or rel.startswith(g + "/") for g in GENERATED)


def configuration(config: Path = SOURCE_CONFIG) -> str:
    """``config`` (mkdocs.yml) with its ``hooks:`` and ``watch:`` made absolute paths into the install.

    mkdocs.yml names them relative to itself, which holds in a checkout only: the hooks are a module of the
    installed package, the watched folders the installed site templates and ``derive``.  So ``nnmath serve`` (and
    ``mkdocs build -f`` on the copy) find them; ``nnmath build`` passes the hooks itself in any case.
    """
    import yaml

    import derive

    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["hooks"] = [str(HOOKS)]
    settings["watch"] = [str(TEMPLATES), str(Path(derive.__file__).resolve().parent)]
    header = f"# Written by nnmath from {config}: the site's pages of an installed nnmath are rendered beside it.\n"
    return header + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False)


def prepare(work: Path = WORK, hand_written: Path = HAND_WRITTEN, config: Path = SOURCE_CONFIG) -> int:
    """Make ``work`` hold ``config`` as ``mkdocs.yml`` (:func:`configuration`) and the pages of ``hand_written``
    under ``docs/``; remove every other file of ``work/docs`` but the generated ones
    (:data:`~nnmath.render.site.paths.GENERATED`, which :func:`~nnmath.render.site.render.write` keeps current).
    Returns the number of files written.

    Raises :class:`~nnmath.render.cli.UserError` if ``work`` is a folder with other contents that nnmath did not
    make (it has no marker).
    """
    from nnmath.render.cli import UserError
    from nnmath.render.outputs import check_output_folder, mark, write_if_changed

    try:
        work = check_output_folder(work, OPTION)
    except UserError as e:  # the folder is not the user's to choose: say how to free it
        reason = str(e).removesuffix(": choose a new or empty folder")
        raise UserError(f"{reason}: move it away, or set XDG_CACHE_HOME to another cache folder") from None
    work.mkdir(parents=True, exist_ok=True)
    mark(work)
    written = int(write_if_changed(work / "mkdocs.yml", configuration(config).encode("utf-8")))
    pages = _files(hand_written)
    docs = work / "docs"
    written += sum(write_if_changed(docs / rel, source.read_bytes()) for rel, source in pages.items())
    for rel, path in sorted(_files(docs).items(), reverse=True):
        if rel not in pages and not _generated(rel) and not path.name.endswith(".tmp"):  # not another run's
            path.unlink()
    for folder in sorted((p for p in docs.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return written


def prepare_for_build() -> int:
    """:func:`prepare` the working folder of an install; nothing in a checkout (it renders into its ``docs/``)."""
    return 0 if IN_PLACE else prepare()
