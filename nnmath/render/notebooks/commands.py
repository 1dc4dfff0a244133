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
    from nnmath.render.notebooks.execute import NotebookFailed, execute

    try:
        parts = practice_parts()
        notebooks = build(parts)
    except (NotebookTemplateFailed, RecordFailed) as e:
        raise UserError(str(e)) from None
    files: dict[Path, str] = {}
    for p in parts:
        for variant, by_stem in notebooks.items():
            nb, name = by_stem[p["stem"]], file_name(p["stem"], variant)
            if args.execute and variant == "solutions":
                try:
                    run = execute(nb, name=f"{p['stem']} ({variant})")
                except NotebookFailed as e:
                    raise UserError(str(e)) from None
                nb = run.notebook
                print(f"ran {name}: {run.seconds:.1f} s, every check passed")
            if args.execute and variant == "student":
                try:
                    run = execute(nb, name=f"{p['stem']} ({variant})")
                except NotebookFailed as e:
                    if e.ename != "NotSolvedYet":
                        raise UserError(str(e)) from None
                    first = e.evalue.split(":")[0]
                    print(f"ran {name}: stops at its first exercise as it should ({first})")
                else:
                    raise UserError(f"{name} ran to the end: its exercises check nothing")
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
        help="run both versions in the python3 kernel first: the solutions must pass every check, "
        "the student version must stop at its first exercise (the solutions are written with their outputs)",
    )
    p.set_defaults(func=_cmd_notebooks)
