"""The ``nnmath`` command: builds the parser and dispatches to the commands' renderers (:mod:`nnmath.render.cli`).

``list``, ``derive``, ``check`` and ``generate`` are declared here; the modules of
:data:`COMMAND_MODULES` add the others.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from nnmath.render.cli import UserError, check, custom, derive, generate, listing, train
from nnmath.render.cli.arguments import OneLineParser, positive, seed
from nnmath.render.handouts import commands as handouts
from nnmath.render.kit import commands as kit
from nnmath.render.notebooks import commands as notebooks
from nnmath.render.site import commands as site
from nnmath.render.slides import commands as slides

EXIT_USAGE = 2
PACKAGES = ("derive", "numeric", "nnmath")  # the project's own packages: a missing one is a bug, not an extra

# The extra (pyproject.toml: [project.optional-dependencies]) each sub-command needs beyond the core (NumPy, SciPy).
EXTRAS = {
    "list": "derive",
    "derive": "derive",
    "check": "derive",
    "generate": "derive",
    "handouts": "handouts",
    "slides": "handouts",
    "build": "docs",
    "serve": "docs",
    "agenda": "docs",
    "train": "train",
    "notebooks": "notebooks",
    "workshop": "workshop",
}

# Modules that add sub-commands: each defines ``add_commands(subparsers)``.  ``custom`` extends
# ``derive`` to expressions: nnmath derive "x*tanh(log(1 + exp(x)))" --name mish.
COMMAND_MODULES = (handouts, site, train, kit, notebooks, slides, custom)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every sub-command; each one's ``func`` is its renderer's ``run``.

    Building it imports no heavy module (SymPy, NumPy, Jinja): the commands import what they need when they
    run, after their arguments are checked, so a bad argument is refused at once.
    """
    parser = OneLineParser(prog="nnmath", description="The mathematics of neural networks, derived.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="the catalogue, grouped")
    p.set_defaults(func=listing.run)

    p = sub.add_parser("derive", help="derivative, identity and steps of a catalogue entry or of your own expression")
    p.add_argument("name", help='a catalogue name (e.g. softmax) or an expression in x (e.g. "x*tanh(softplus(x))")')
    p.add_argument("--latex", action="store_true", help="print LaTeX instead of plain text")
    p.set_defaults(func=derive.run)

    p = sub.add_parser("check", help="cross-check every gradient (finite differences, PyTorch)")
    p.add_argument("--points", type=positive, default=200, help="random points per entry (default 200)")
    p.add_argument("--seed", type=seed, default=0)
    p.add_argument(
        "--extreme", action="store_true", help="instead: every function at ±0, subnormals, ±1e308, ±inf, nan, in ULPs"
    )
    p.set_defaults(func=check.run)

    p = sub.add_parser("generate", help="regenerate the generated modules of numeric/ from derive/")
    p.add_argument("--check", action="store_true", help="only report whether it is up to date")
    p.set_defaults(func=generate.run)

    for module in COMMAND_MODULES:
        module.add_commands(sub)
    return parser


# The extra that brings a third-party module, and the extras that contain others (as in pyproject.toml).
MODULE_EXTRAS = {"sympy": "derive", "jinja2": "derive"}
MODULE_EXTRAS |= dict.fromkeys(("sklearn", "threadpoolctl", "matplotlib", "tqdm"), "train")
MODULE_EXTRAS |= dict.fromkeys(("mkdocs", "material", "pymdownx", "markdown", "quickjs"), "docs")
MODULE_EXTRAS |= dict.fromkeys(("nbformat", "nbclient", "ipykernel"), "notebooks")
MODULE_EXTRAS |= {"torch": "test", "zensical": "zensical"}
CONTAINS = {
    "train": {"derive"},
    "docs": {"notebooks", "derive", "train"},
    "handouts": {"derive", "train"},
    "notebooks": {"derive", "train"},
    "workshop": {"docs", "handouts", "notebooks", "derive", "train"},
    "zensical": {"docs", "notebooks", "derive", "train"},
}


def missing_extra(command: str, module: str) -> str:
    """The one line that says which extra to install when ``command`` finds the third-party ``module`` missing:
    the command's own extra, unless the module comes with another one (``nnmath derive --plot``: matplotlib)."""
    extra = EXTRAS.get(command, "all")
    provider = MODULE_EXTRAS.get(module.split(".")[0], extra)
    if provider != extra and provider not in CONTAINS.get(extra, ()):
        extra = provider
    return f'nnmath {command} needs the {extra} extra (no module {module!r}): pip install "nnmath[{extra}]"'


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command of ``argv`` (default: the command line); its exit status (2: a :class:`UserError`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UserError as e:
        print(f"nnmath: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except ModuleNotFoundError as e:
        if not e.name or e.name.split(".")[0] in PACKAGES:
            raise
        print(f"nnmath: error: {missing_extra(args.command, e.name)}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `nnmath list | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0


__all__ = ["EXIT_USAGE", "EXTRAS", "UserError", "build_parser", "main", "missing_extra"]

if __name__ == "__main__":
    sys.exit(main())
