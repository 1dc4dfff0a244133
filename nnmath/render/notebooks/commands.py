"""``nnmath notebooks``: write the workshop notebooks, and optionally run them as the tests do."""

from __future__ import annotations

import argparse
from pathlib import Path


def _cmd_notebooks(args: argparse.Namespace) -> int:
    from nnmath.render.outputs import check_output_folder, mark

    check_output_folder(args.out, "--out")  # before the heavy imports
    from nnmath.records import RecordFailed
    from nnmath.render.cli import UserError
    from nnmath.render.notebooks.build import (
        NotebookTemplateFailed,
        build,
        dumps,
        file_name,
        practice_parts,
        write_text,
    )
    from nnmath.render.notebooks.execute import NotebookFailed, check_lines, execute
    from nnmath.topics.practice.checks import CORRECT

    try:
        parts = practice_parts()
        notebooks = build(parts)
    except (NotebookTemplateFailed, RecordFailed) as e:
        raise UserError(str(e)) from None
    files: dict[Path, str] = {}
    for p in parts:
        for variant, by_stem in notebooks.items():
            nb, name = by_stem[p["stem"]], file_name(p["stem"], variant)
            if args.execute:
                try:
                    run = execute(nb, name=f"{p['stem']} ({variant})")
                except NotebookFailed as e:
                    raise UserError(str(e)) from None
                verdicts = check_lines(run.notebook)
                if variant == "solutions":
                    if any(line != CORRECT for line in verdicts):
                        raise UserError(f"{name}: a check of the solutions did not print {CORRECT!r}")
                    nb = run.notebook
                    print(f"ran {name}: {run.seconds:.1f} s, every check passed")
                else:
                    if any(not line.startswith("not yet: ") for line in verdicts):
                        raise UserError(f"{name}: a check passed with the exercises unsolved: it checks nothing")
                    print(f"ran {name}: {run.seconds:.1f} s, to the end; {len(verdicts)} checks say 'not yet'")
            files[args.out / variant / name] = dumps(nb)
    written = sum(write_text(path, text) for path, text in files.items())
    mark(args.out)
    print(f"{len(files)} notebooks in {args.out} ({written} written, {len(files) - written} unchanged)")
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nnmath notebooks``."""
    p = subparsers.add_parser("notebooks", help="write the workshop notebooks (student and solutions versions)")
    p.add_argument("--out", type=Path, default=Path("notebooks"), help="output folder (default notebooks/)")
    p.add_argument(
        "--execute",
        action="store_true",
        help="run both versions in the python3 kernel first: every check of the solutions must print "
        "'✓ correct', the student version must run to the end with every check saying 'not yet' "
        "(the solutions are written with their outputs)",
    )
    p.set_defaults(func=_cmd_notebooks)
