"""The ``build`` and ``serve`` sub-commands of ``nnmath``."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from nnmath.render.site.paths import CONFIG, SITE


def _cmd_build(args: argparse.Namespace) -> int:
    from nnmath.render.outputs import check_output_folder

    check_output_folder(args.site_dir, "--site-dir")  # before the heavy imports
    from nnmath.records import RecordFailed, start_early
    from nnmath.topics import NAMES

    start_early(NAMES, use_cache=not args.no_cache)  # records to compute: the fork server loads its libraries meanwhile
    from nnmath.render.cli import UserError
    from nnmath.render.site.build import MkdocsFailed, build_site
    from nnmath.render.site.frontend_assets import AssetsMissing
    from nnmath.render.site.render import MissingDerivation, RenderFailed
    from nnmath.render.site.zensical import ZensicalFailed
    from nnmath.topics.workshop.episodes import EPISODES
    from nnmath.topics.workshop.schedule import AgendaError, check

    try:
        check(EPISODES)  # the episodes' declared minutes make 150: checked before anything is derived
        report = build_site(args.site_dir, use_cache=not args.no_cache, engine=args.engine)
    except (
        AgendaError,
        RecordFailed,
        MkdocsFailed,
        ZensicalFailed,
        AssetsMissing,
        MissingDerivation,
        RenderFailed,
    ) as e:
        raise UserError(str(e)) from None
    print(report.summary())
    if args.profile:
        print(report.profile())
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    from nnmath.records import RecordFailed
    from nnmath.render.cli import UserError
    from nnmath.render.site.build import generate
    from nnmath.render.site.frontend_assets import AssetsMissing
    from nnmath.render.site.katex import folder

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        folder()
        generate()
    except (RecordFailed, AssetsMissing) as e:
        raise UserError(str(e)) from None
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)  # "Serving on …", rebuilds
    serve(config_file=str(CONFIG), dev_addr=args.dev_addr, livereload=True)
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``build`` and ``serve`` to the ``nnmath`` command."""
    p = subparsers.add_parser("build", help="derive the catalogue and build the course site (MkDocs) into site/")
    p.add_argument("--site-dir", type=Path, default=SITE, help="where to build (default: site/)")
    p.add_argument("--no-cache", action="store_true", help="derive everything again, ignoring .cache/")
    p.add_argument(
        "--engine",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="the static site generator: MkDocs with Material (default) or Zensical (needs nnmath[zensical])",
    )
    p.add_argument(
        "--profile", action="store_true", help="also print a table: seconds per topic (cached or computed), per stage"
    )
    p.set_defaults(func=_cmd_build)

    p = subparsers.add_parser("serve", help="preview the course site with live reload")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    p.set_defaults(func=_cmd_serve)
