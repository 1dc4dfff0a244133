"""``nnmath workshop``: the whole kit for a session (see :mod:`nnmath.render.kit.kit`)."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

from nnmath.render.cli.arguments import seed


def _first_line(e: BaseException) -> str:
    lines = [line for line in str(e).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(e).__name__


def _cmd_workshop(args: argparse.Namespace) -> int:
    from nnmath.render.cli import UserError
    from nnmath.render.handouts.commands import participants_and_names
    from nnmath.render.outputs import check_output_folder

    check_output_folder(args.out, "--out")  # every check before the heavy imports
    names, participants = participants_and_names(args)
    if args.start is not None and not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", args.start):
        raise UserError(f"--start must be a time of day like 09:30, not {args.start!r}")
    from nbformat import ValidationError

    from nnmath.records import RecordFailed
    from nnmath.render.handouts.texbuild import LatexFailed, TexMissing
    from nnmath.render.kit.agenda import AgendaError
    from nnmath.render.kit.kit import NotAKit, SiteBuildFailed, build_kit
    from nnmath.render.site.build import MkdocsFailed
    from nnmath.render.site.frontend_assets import AssetsMissing
    from nnmath.render.site.render import MissingDerivation, RenderFailed
    from nnmath.render.slides.build import SlidesOverflow

    _checked_agenda(args.start)  # the declared minutes first: a one-line error before anything is built
    shown = ["--participants", str(participants), "--seed", str(args.seed), "--out", str(args.out)]
    command = "nnmath workshop " + shlex.join(shown)
    known = (
        NotAKit,
        SiteBuildFailed,
        TexMissing,
        LatexFailed,
        RecordFailed,
        MkdocsFailed,
        MissingDerivation,
        RenderFailed,
        AssetsMissing,
        AgendaError,
        SlidesOverflow,
        ValidationError,
        OSError,
    )
    try:
        kit = build_kit(
            args.out,
            participants=participants,
            seed=args.seed,
            names=names,
            paper=args.paper,
            start=args.start,
            command=command,
        )
    except known as e:
        raise UserError(f"the workshop kit was not built ({args.out} is unchanged): {_first_line(e)}") from None
    print(kit.summary())
    return 0


def _checked_agenda(start: str | None, participants: int = 1, seed: int = 0):
    """The agenda from the episodes' declared minutes, or a :class:`UserError` naming the episode at fault."""
    from nnmath.render.cli import UserError
    from nnmath.render.kit.agenda import AgendaError, build_agenda, parse_start

    try:
        return build_agenda(participants, seed, parse_start(start))
    except (AgendaError, ValueError) as e:
        raise UserError(_first_line(e)) from None


def _cmd_agenda(args: argparse.Namespace) -> int:
    agenda = _checked_agenda(args.start)
    if args.markdown:
        from nnmath.render.kit.kit import agenda_markdown

        print(agenda_markdown(agenda, args.start), end="")
    else:
        print(agenda.text())
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nnmath workshop`` and ``nnmath agenda``."""
    p = subparsers.add_parser("agenda", help="the 150-minute agenda from the episodes' declared minutes")
    p.add_argument("--start", default=None, help="the session's start time, e.g. 14:00 (default: times from 0:00)")
    p.add_argument("--markdown", action="store_true", help="print the Markdown of the kit's agenda.md")
    p.set_defaults(func=_cmd_agenda)

    from nnmath.render.handouts.commands import PAPERS

    p = subparsers.add_parser(
        "workshop",
        help="the whole kit for a session: site (opens from disk), handouts, notebooks, agenda",
    )
    p.add_argument(
        "--participants", type=int, default=None, help="exercise sheets to make (default 1, or one per name)"
    )
    p.add_argument("--seed", type=seed, default=0, help="seed for the exercise numbers (default 0)")
    p.add_argument("--out", type=Path, default=Path("kit"), help="the kit's folder (default kit/)")
    p.add_argument("--names", type=Path, default=None, help="file with one participant name per line")
    p.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="paper size (default a4)")
    p.add_argument("--start", default=None, help="the session's start time, e.g. 09:30 (default: times from 0:00)")
    p.set_defaults(func=_cmd_workshop)
