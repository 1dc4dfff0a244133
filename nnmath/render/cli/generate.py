"""``nnmath generate``: print the generated modules of ``numeric/`` from ``derive/`` (``--check``: only compare)."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Write the modules that changed, or with ``--check`` list the out-of-date ones (exit status 1 if any).

    Only a checkout's modules are written: an install's are package files (perhaps read-only, shared by every
    user of the environment), so there it is a one-line error before any work, and ``--check`` still compares.
    """
    from derive.numerics.codegen import GENERATED
    from derive.paths import is_checkout
    from nnmath.render.cli import UserError

    if not args.check and not is_checkout():
        raise UserError(
            f"nnmath generate rewrites numeric/_generated/ of a checkout, and this nnmath is installed ({GENERATED}): "
            "use nnmath generate --check here, or run it in a checkout"
        )
    from derive.numerics.codegen import stale_modules, write_modules
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
