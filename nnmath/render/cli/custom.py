"""``nnmath derive`` for your own expression: the catalogue's ``derive`` command, extended.

The rule for the argument of ``nnmath derive``:

* a bare name (letters, digits, ``_``) is a catalogue entry, exactly as before —
  ``nnmath derive softmax``; an unknown name is an error naming the closest ones;
* anything else is an expression in the variable ``x`` (``--variable`` to change it),
  parsed safely (see :mod:`derive.custom.parse`) and derived like an entry; ``--name``
  names it (default ``f``).  An expression that is a single name is written in
  brackets, ``"(x)"``; one that starts with a minus follows ``--``.

Adds ``--name --variable --param --title --range --time-limit`` (expressions only)
and ``--code --plot --page`` (expressions and catalogue entries).  Errors are one
line, exit status 2; an error with a position adds the input and a caret.

The custom topic (:mod:`nnmath.topics.custom`) computes what is shown — the
expression's summary, its entry strings, its cross-check and figure; this command
prints it or writes it: the page through the site's entry template
(:func:`nnmath.render.site.entry_page.render_entry_page`).
"""

from __future__ import annotations

import argparse
import functools
import html
import math
import os
import re
import sys
from pathlib import Path

from nnmath.render.cli import UserError
from nnmath.render.cli.arguments import finite, positive_real

CATALOGUE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
EXPRESSION_RULE = (
    "NAME is a catalogue entry when it is a bare name (letters, digits, _), e.g. softmax; anything else is an "
    'expression in x, e.g. "x*tanh(log(1 + exp(x)))" (write a single name in brackets, "(x)", and put -- before '
    "an expression that starts with a minus). Grammar: numbers, the variable, parameters (--param beta=1), pi, e, "
    "+ - * / and ^ or ** (both mean power), brackets, exp log sqrt abs sin cos tanh sigmoid softplus erf, "
    "max(a, b, ...), min(...), where(condition, a, b) with comparisons joined by and/or/not."
)
# dest -> option of the options that only apply to an expression (the positional argument is `name`)
EXPRESSION_ONLY = {
    "function_name": "--name",
    "variable": "--variable",
    "param": "--param",
    "title": "--title",
    "range": "--range",
    "time_limit": "--time-limit",
}


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Extend the ``derive`` command of :mod:`nnmath.cli` to expressions."""
    p = sub.choices["derive"]
    catalogue_command = p.get_default("func")
    p.epilog = EXPRESSION_RULE
    p.add_argument(
        "--name",
        dest="function_name",
        metavar="NAME",
        help="expression: name of the function (default f); the gradient is NAME_grad",
    )
    p.add_argument("--variable", help="expression: the variable to differentiate by (default x)")
    p.add_argument(
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help="expression: a parameter with its default value, e.g. --param beta=1.5 (repeatable)",
    )
    p.add_argument("--title", help="expression: title for the page and plot (default: the name)")
    p.add_argument(
        "--range", nargs=2, type=finite, metavar=("LOW", "HIGH"), help="expression: x-range to plot (default -5 5)"
    )
    p.add_argument(
        "--time-limit",
        type=positive_real,
        metavar="SECONDS",
        help="expression: wall-clock limit for the symbolic work "
        "(default: derive.custom.expression.DEFAULT_TIME_LIMIT, 60)",
    )
    p.add_argument("--code", action="store_true", help="print the generated NumPy module (function and gradient)")
    p.add_argument("--plot", type=Path, metavar="OUT.svg", help="write a plot of the function and its derivative")
    p.add_argument("--page", type=Path, metavar="OUT.md", help="write a page (and OUT.svg) with the catalogue template")
    p.set_defaults(func=functools.partial(_cmd_derive, catalogue_command))


def _cmd_derive(catalogue_command, args: argparse.Namespace) -> int:
    _check_outputs(args)
    if CATALOGUE_NAME.fullmatch(args.name):
        return _catalogue(catalogue_command, args)
    return _expression(args)


def _catalogue(catalogue_command, args: argparse.Namespace) -> int:
    """A catalogue entry: the command as it always was, then --code/--plot/--page if asked."""
    from derive.catalogue import UnknownName, get

    try:
        entry = get(args.name)
    except UnknownName as e:
        from derive.custom.parse import CONSTANTS, FUNCTIONS

        hint = ' (to derive the expression, write it in brackets: "(NAME)")'.replace("NAME", args.name)
        raise UserError(str(e) + (hint if args.name == "x" or args.name in {*FUNCTIONS, *CONSTANTS} else "")) from None
    given = [option for dest, option in EXPRESSION_ONLY.items() if getattr(args, dest) is not None]
    if given:
        verb = "is" if len(given) == 1 else "are"
        raise UserError(f"{args.name!r} is a catalogue name; {', '.join(given)} {verb} for expressions only")
    if args.code:
        from numeric.registry import lookup

        numeric = lookup(entry.name)
        print(numeric.source + "\n\n" + numeric.gradient_source, end="")
        status = 0
    else:
        status = catalogue_command(args)
    if args.plot or args.page:
        from nnmath.topics.catalogue.entry import entry_record
        from numeric.registry import lookup

        _outputs(entry, lambda: entry_record(entry), lookup(entry.name), args)
    return status


def _expression(args: argparse.Namespace) -> int:
    from derive.custom.syntax import ExpressionError, check_syntax

    parameters = _parameters(args.param or [])
    try:  # the grammar's checks need no SymPy: hostile input is rejected before it is imported
        check_syntax(args.name, [args.variable or "x", *parameters])
    except ExpressionError as e:
        raise UserError(e.display()) from None
    from derive.custom.expression import DEFAULT_TIME_LIMIT, derive_expression
    from nnmath.topics.custom.expression import expression_strings, numeric_entry
    from nnmath.topics.custom.summary import summary

    try:
        d = derive_expression(
            args.name,
            name=args.function_name or "f",
            variable=args.variable or "x",
            parameters=parameters,
            title=args.title,
            plot_range=tuple(args.range) if args.range else (-5.0, 5.0),
            time_limit=args.time_limit if args.time_limit is not None else DEFAULT_TIME_LIMIT,
            extra=expression_strings if args.page else None,
        )
    except ExpressionError as e:
        raise UserError(e.display()) from None
    if args.code:
        print(d.module_source, end="")
    else:
        print(summary(d, args.latex), end="")
    _outputs(d.entry, lambda: _escaped(d.extra), numeric_entry(d.entry, d.function, d.gradient), args)
    return 0 if d.agreement.holds else 1


def _escaped(strings: dict | None) -> dict | None:
    """An expression's page strings with the user's ``--title`` HTML-escaped: a page is Markdown, which passes
    HTML through, and ``--title '<script>…'`` must show as text.  (The summary quotes the expression in a code
    span, where HTML is not interpreted.)"""
    return None if strings is None else {**strings, "title": html.escape(strings["title"], quote=False)}


def _check_outputs(args: argparse.Namespace) -> None:
    """The options that need no derivation, checked before any: --range, --plot and --page (their files)."""
    from nnmath.render.outputs import writable_parent

    if args.range and not args.range[0] < args.range[1]:
        low, high = args.range
        raise UserError(f"--range: the plot range must go from low to high, not {low:g} to {high:g}")
    if args.plot and args.plot.suffix.lower() not in (".svg", ".pdf"):
        raise UserError(f"--plot {args.plot}: the file must end in .svg or .pdf")
    if args.page and args.page.suffix != ".md":
        raise UserError(f"--page {args.page}: the page must end in .md (its figure goes beside it as .svg)")
    for option, path in (("--plot", args.plot), ("--page", args.page)):
        if path is not None:
            if path.is_dir():
                raise UserError(f"{option} {path} is a folder, not a file")
            writable_parent(path.resolve(), option)
    if args.page is not None and args.page.with_suffix(".svg").is_dir():
        raise UserError(f"--page {args.page}: its figure {args.page.with_suffix('.svg')} is a folder")


def _parameters(specs: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        if not sep:
            raise UserError(f"--param {spec!r}: write NAME=VALUE, e.g. --param beta=1.5")
        if name.strip() in out:
            raise UserError(f"--param {name.strip()} is given twice; give each parameter once")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise UserError(f"--param {spec!r}: {value!r} is not a number") from None
        if not math.isfinite(out[name.strip()]):
            raise UserError(f"--param {spec!r}: the value must be a finite number")
    return out


def _outputs(entry, strings, numeric, args: argparse.Namespace) -> None:
    """--plot and --page; the messages go to stderr when stdout carries the code."""
    report = sys.stderr if args.code else sys.stdout
    try:
        if args.plot:
            if args.plot.suffix.lower() not in (".svg", ".pdf"):
                raise UserError(f"--plot {args.plot}: the file must end in .svg or .pdf")
            import numpy as np

            from nnmath.topics.catalogue.figures import plot_entry

            with np.errstate(all="ignore"):  # NaN outside the domain (sqrt, log) is left out of the plot
                plot_entry(entry, args.plot, numeric)
            print(f"wrote {args.plot}", file=report)
        if args.page:
            if args.page.suffix != ".md":
                raise UserError(f"--page {args.page}: the page must end in .md (its figure goes beside it as .svg)")
            for path in write_page(entry, strings(), numeric, args.page):
                print(f"wrote {path}", file=report)
    except OSError as e:
        raise UserError(f"cannot write {e.filename}: {e.strerror}") from None


def write_page(entry, strings: dict, numeric, path: Path) -> list[Path]:
    """Write ``path`` (Markdown, the site's entry template) and the figure beside it (same name, ``.svg``).

    The entry is cross-checked and drawn now (:func:`nnmath.topics.custom.expression.measure`).  Links to
    the site's verification and notation pages are relative to ``docs/`` of this project, so they work when
    ``path`` is under ``docs/``.  Returns the paths written.
    """
    from nnmath.render.site.entry_page import render_entry_page
    from nnmath.render.site.paths import DOCS
    from nnmath.topics.custom.expression import measure

    path = Path(path)
    if path.suffix != ".md":
        raise ValueError(f"the page must be a .md file, not {path.name}")
    figure = path.with_suffix(".svg")
    measured = measure(entry, numeric)
    here = path.resolve().parent
    links = {k: Path(os.path.relpath(DOCS / f"{k}.md", here)).as_posix() for k in ("verification", "notation")}
    markdown = render_entry_page(strings, measured["check"], figure.name, links["verification"], links["notation"])
    for target, text in ((figure, measured["figure"]), (path, markdown)):
        _write_atomic(target, text)
    return [path, figure]


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
