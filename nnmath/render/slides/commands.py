"""``nnmath slides``: the projector's slides and the speaker notes (see :mod:`nnmath.render.slides.build`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from nnmath.render.cli import UserError


def _cmd_slides(args: argparse.Namespace) -> int:
    from nnmath.render.outputs import check_output_folder

    check_output_folder(args.out, "--out")  # every check before the heavy imports and the LaTeX build
    if args.keep_build is not None:
        check_output_folder(args.keep_build, "--keep-build")
    from nnmath.records import RecordFailed
    from nnmath.render.handouts.texbuild import LatexFailed, TexMissing
    from nnmath.render.handouts.texrender import UntypesettableText
    from nnmath.render.slides.build import SlidesOverflow, build_slides, parse_start

    try:
        parse_start(args.start)
    except ValueError as e:
        raise UserError(str(e)) from None
    try:
        result = build_slides(args.out, start=args.start, keep_build=args.keep_build)
    except (TexMissing, LatexFailed, SlidesOverflow, UntypesettableText, RecordFailed) as e:
        hint = "" if args.keep_build else "; --keep-build DIR keeps the .tex files"
        raise UserError(f"the slides were not built ({args.out} is unchanged): {e}{hint}") from None
    pages = {name: report.pages for name, report in result.reports.items()}
    made = {
        result.slides: f"{len(result.frames)} slides, {pages['slides']} pages with the overlays",
        result.notes: f"{pages['notes']} pages of speaker notes",
    }
    print("\n".join(f"wrote {path}  ({what})" for path, what in made.items()) + f"\ndone in {result.seconds:.1f} s")
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nnmath slides``."""
    p = subparsers.add_parser("slides", help="16:9 slides of the workshop's episodes and speaker notes (needs LaTeX)")
    p.add_argument("--out", type=Path, default=Path("slides"), help="output folder (default slides/)")
    p.add_argument("--start", default=None, help="the session's start time, e.g. 14:00 (default: times from 0:00)")
    p.add_argument("--keep-build", type=Path, default=None, help="also copy the LaTeX build folder here")
    p.set_defaults(func=_cmd_slides)
