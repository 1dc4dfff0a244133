"""``nnmath handouts``: the command (see :mod:`nnmath.render.handouts.build` for the build).

Every argument is checked before the build starts — the output folders (nnmath's or new, and
writable), the names file (at most :data:`MAX_NAMES_BYTES` bytes and :data:`MAX_NAMES_LINES` lines),
the ranges — so a bad one costs no LaTeX run.  This module imports only the standard library until
the build.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from derive.printing.wording import counted
from nnmath.render.cli import UserError
from nnmath.render.cli.arguments import positive, seed
from nnmath.render.outputs import check_output_folder

PAPERS = {"a4": "a4paper", "letter": "letterpaper"}
# document: (template, output file, title)
DOCUMENTS: dict[str, tuple[str, str, str]] = {
    "theory": ("theory.tex", "theory.pdf", "Part 1: theory summary"),
    "practice": ("practice.tex", "practice.pdf", "Part 2: guided practice"),
    "exercises": ("sheets.tex", "exercises.pdf", "Part 3: exercise sheets"),
    "answers": ("answers.tex", "answer-key.pdf", "Answer key"),
    "instructor": ("instructor.tex", "instructor-guide.pdf", "Instructor guide"),
}
# Documents for the participants: they never hold a solution (the answer key and the guide are the instructor's).
PARTICIPANT_DOCUMENTS = ("theory", "practice", "exercises")
MAX_PARTICIPANTS = 1000
MAX_NAMES_BYTES = 1_000_000
MAX_NAMES_LINES = 1000


def read_names(path: Path) -> list[str]:
    """Participant names, one per line; blank lines and lines starting with ``#`` are skipped.

    At most :data:`MAX_NAMES_BYTES` bytes and :data:`MAX_NAMES_LINES` lines are read: a bigger file
    (or an endless one such as ``/dev/zero``) is refused without reading it all.
    """
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_NAMES_BYTES + 1)
    except OSError as e:
        raise UserError(f"cannot read names from {path}: {e.strerror or e}") from None
    if len(data) > MAX_NAMES_BYTES:
        raise UserError(f"--names {path} is larger than {MAX_NAMES_BYTES // 1_000_000} MB: one name per line")
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise UserError(f"cannot read names from {path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    if len(lines) > MAX_NAMES_LINES:
        raise UserError(f"--names {path} has {len(lines)} lines; at most {MAX_NAMES_LINES}")
    names = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not names:
        raise UserError(f"{path} has no names (one per line)")
    from nnmath.render.handouts.texrender import UntypesettableText, escape

    for i, name in enumerate(names, 1):
        try:
            escape(name)
        except UntypesettableText as e:
            raise UserError(f"{path}, name {i}: {e}") from None
    return names


def participants_and_names(args: argparse.Namespace) -> tuple[list[str] | None, int]:
    """The names of ``--names`` (or None) and the number of participants: ``--participants``, else one per name."""
    names = read_names(args.names) if args.names else None
    participants = args.participants if args.participants is not None else (len(names) if names else 1)
    if not 1 <= participants <= MAX_PARTICIPANTS:
        raise UserError(f"--participants must be between 1 and {MAX_PARTICIPANTS}, not {participants}")
    if names and len(names) != participants:
        raise UserError(f"{args.names} has {len(names)} names but --participants is {participants}")
    return names, participants


def _cmd_handouts(args: argparse.Namespace) -> int:
    check_output_folder(args.out, "--out")  # every check before the heavy imports and the 30-s build
    if args.keep_build is not None:
        check_output_folder(args.keep_build, "--keep-build")
    names, participants = participants_and_names(args)
    documents = tuple(DOCUMENTS) if not args.only else tuple(d for d in DOCUMENTS if d in args.only)
    if "instructor" in documents:  # the declared minutes first: a one-line error naming the episode
        from nnmath.render.kit.agenda import AgendaError, build_agenda, parse_start

        try:
            build_agenda(start=parse_start(args.start))
        except (AgendaError, ValueError) as e:
            raise UserError(str(e)) from None
    from nnmath.render.handouts.build import build_handouts
    from nnmath.render.handouts.texbuild import LatexFailed, TexMissing
    from nnmath.render.handouts.texrender import TEMPLATE_DIR

    try:
        result = build_handouts(
            args.out,
            participants=participants,
            seed=args.seed,
            names=names,
            paper=args.paper,
            documents=documents,
            keep_build=args.keep_build,
            start=args.start,
        )
    except TexMissing as e:
        raise UserError(str(e)) from None
    except LatexFailed as e:
        hint = "" if args.keep_build else "; --keep-build DIR keeps the .tex files"
        raise UserError(f"{e} (templates in {TEMPLATE_DIR}{hint})") from None
    for document, path in result.pdfs.items():
        report = result.reports[document]
        wide = [w for w, _ in report.overfull if w > 1.0]
        note = f", {len(wide)} overfull boxes (widest {max(wide):.1f} pt)" if wide else ""
        print(f"wrote {path}  ({report.pages} pages{note})")
    print(f"{counted(participants, 'participant')}, seed {args.seed}, {args.paper}: {result.seconds:.1f} s")
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nnmath handouts``."""
    p = subparsers.add_parser("handouts", help="printable PDF handouts and exercise sheets (needs LaTeX)")
    p.add_argument("--out", type=Path, default=Path("handouts"), help="output folder (default handouts/)")
    p.add_argument(
        "--participants", type=positive, default=None, help="exercise sheets to make (default 1, or one per name)"
    )
    p.add_argument("--seed", type=seed, default=0, help="seed for the exercise numbers (default 0)")
    p.add_argument("--names", type=Path, default=None, help="file with one participant name per line")
    p.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="paper size (default a4)")
    p.add_argument(
        "--only",
        action="append",
        choices=list(DOCUMENTS),
        help="build only this document (repeatable; default: all of them)",
    )
    p.add_argument("--keep-build", type=Path, default=None, help="also copy the LaTeX build folder here")
    p.add_argument("--start", default=None, help="the session's start time for the instructor guide, e.g. 14:00")
    p.set_defaults(func=_cmd_handouts)
