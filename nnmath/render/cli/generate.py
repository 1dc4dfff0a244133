"""``nnmath generate``: print the generated modules of ``numeric/`` from ``derive/`` (``--check``: only compare)."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Write the modules that changed, or with ``--check`` list the out-of-date ones (exit status 1 if any)."""
    from derive.numerics.codegen import GENERATED, stale_modules, write_modules
    from derive.printing.wording import counted
    from nnmath.topics import generated_modules

    modules = generated_modules()
    if args.check:
        stale = stale_modules(modules)
        for path in stale:
            print(f"{path} is OUT OF DATE: run nnmath generate")
        if not stale:
            verb = "is" if len(modules) == 1 else "are"
            print(f"{counted(len(modules), 'generated module')} in {GENERATED} {verb} up to date")
        return 1 if stale else 0
    changed = write_modules(modules)
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print(f"unchanged: {counted(len(modules), 'generated module')} in {GENERATED}")
    return 0
