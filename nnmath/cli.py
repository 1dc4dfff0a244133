"""The ``nnmath`` command: list, derive, check, generate."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

EXIT_USAGE = 2

# Modules that add sub-commands: each defines ``add_commands(subparsers)``.
COMMAND_MODULES: list[str] = [
    "nnmath.render.handouts.build",
    "nnmath.render.site.commands",
    "nnmath.render.cli.train",
    "nnmath.render.kit.commands",
    "nnmath.render.notebooks.commands",
    "nnmath.render.cli.custom",  # extends `derive` to expressions: nnmath derive "x*tanh(log(1 + exp(x)))" --name mish
]


class UserError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


def _cmd_list(args: argparse.Namespace) -> int:
    from derive.catalogue import GROUPS, entries
    from nnmath.topics import TOPICS

    for group in GROUPS:
        members = entries(group)
        print(f"{group}s ({len(members)})")
        width = max(len(e.name) for e in members)
        for e in members:
            print(f"  {e.name:<{width}}  {e.title} — {e.summary}")
    for topic in TOPICS:
        if topic.formulas is None:
            continue
        formulas = topic.formulas()
        title = topic.title
        print(f"{title} ({len(formulas)})")
        width = max((len(name) for name, _ in formulas), default=0)
        for name, description in formulas:
            print(f"  {name:<{width}}  {description}")
    return 0


def _show(expr, as_latex: bool, indexed: bool = False) -> str:
    from derive.printing.latex import latex
    from derive.printing.text import plain

    return latex(expr, indexed=indexed) if as_latex else plain(expr, indexed=indexed)


def _cmd_derive(args: argparse.Namespace) -> int:
    from derive.calculus.derivation import derive, index_form
    from derive.catalogue import UnknownName, get

    try:
        entry = get(args.name)
    except UnknownName as e:
        raise UserError(str(e)) from None
    d, form = derive(entry), index_form(entry)
    tex, vec = args.latex, entry.is_vector
    print(f"{entry.title} ({entry.name}, {entry.group})")
    if vec:
        print("  (index form: the free index is i, sums run over the classes k; LSE = log Σ_k exp z_k)")
    print(f"  definition:  {_show(form.definition, tex, vec)}")
    if form.off_diagonal is None:
        print(f"  d/d{_show(entry.wrt, False)}:  {_show(form.gradient, tex, vec)}")
    else:
        print(f"  Jacobian, i = j:  {_show(form.gradient, tex, vec)}")
        print(f"  Jacobian, i ≠ j:  {_show(form.off_diagonal, tex, vec)}")
    if entry.identity is not None:
        verdict = "proven by SymPy" if d.identity_holds else "NOT PROVEN"
        shown = entry.identity_note if vec else _show(entry.identity, tex)
        note = f"  ({entry.identity_note})" if entry.identity_note and not vec else ""
        print(f"  identity:    {shown}  [{verdict}]{note}")
    if entry.convention:
        print(f"  convention:  {entry.convention}")
    for derivation in d.steps:
        print(f"  steps: d/d{derivation.wrt} of {_show(derivation.expr, tex)}")
        for i, step in enumerate(derivation.steps, 1):
            print(f"    {i:>2}. {step.rule:<45} = {_show(step.expr, tex)}")
    return 0 if d.identity_holds else 1


def _cmd_check(args: argparse.Namespace) -> int:
    if args.extreme:  # the hostile-number sweep (issue 7), not the gradient cross-check
        from nnmath.verify.extreme import run_cli

        return run_cli()
    from derive.catalogue import entries
    from derive.topics.backpropagation import network, verify_elementwise
    from nnmath.verify.crosscheck import AUTODIFF_BOUND, FD_BOUND, check_entry, torch_available

    if not torch_available():
        raise UserError("the autodiff cross-check needs PyTorch: pip install -e '.[test]'")
    print(f"{'entry':<34} {'group':<12} {'finite diff':>12} {'autodiff':>12}  result")
    print(f"{'(bound)':<34} {'':<12} {FD_BOUND:>12.0e} {AUTODIFF_BOUND:>12.0e}")
    failures = 0
    for e in entries():
        r = check_entry(e, n=args.points, seed=args.seed)
        failures += not r.passed
        verdict = "pass" if r.passed else "FAIL"
        print(f"{r.name:<34} {r.group:<12} {r.fd_error:>12.2e} {r.autodiff_error:>12.2e}  {verdict}")
    print()
    for sizes, hidden, out, lo in (
        ((3, 4, 2), "sigmoid", "sigmoid", "mse"),
        ((2, 3, 3), "sigmoid", "softmax", "categorical_cross_entropy_logits"),
    ):
        v = verify_elementwise(network(sizes, hidden, out, lo))
        failures += not v.holds
        shape = "-".join(map(str, sizes))
        verdict = "exact" if v.holds else f"FAIL at {', '.join(v.mismatches)}"
        print(f"backprop {shape} {hidden}/{out}+{lo}: {v.checked} parameters, BP1-BP4 vs sympy.diff: {verdict}")
    print(f"\n{'all pass' if not failures else f'{failures} FAILED'}")
    return 0 if not failures else 1


def _cmd_generate(args: argparse.Namespace) -> int:
    from derive.numerics.codegen import GENERATED, stale_modules, write_modules
    from nnmath.topics import generated_modules

    modules = generated_modules()
    if args.check:
        stale = stale_modules(modules)
        for path in stale:
            print(f"{path} is OUT OF DATE: run nnmath generate")
        if not stale:
            print(f"{len(modules)} generated module(s) in {GENERATED} are up to date")
        return 1 if stale else 0
    changed = write_modules(modules)
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print(f"unchanged: {len(modules)} generated module(s) in {GENERATED}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnmath", description="The mathematics of neural networks, derived.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="the catalogue, grouped")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("derive", help="derivative, identity and steps of a catalogue entry or of your own expression")
    p.add_argument("name", help='a catalogue name (e.g. softmax) or an expression in x (e.g. "x*tanh(softplus(x))")')
    p.add_argument("--latex", action="store_true", help="print LaTeX instead of plain text")
    p.set_defaults(func=_cmd_derive)

    p = sub.add_parser("check", help="cross-check every gradient (finite differences, PyTorch)")
    p.add_argument("--points", type=int, default=200, help="random points per entry (default 200)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--extreme", action="store_true", help="instead: every function at ±0, subnormals, ±1e308, ±inf, nan, in ULPs"
    )
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("generate", help="regenerate the generated modules of numeric/ from derive/")
    p.add_argument("--check", action="store_true", help="only report whether it is up to date")
    p.set_defaults(func=_cmd_generate)

    for module in COMMAND_MODULES:
        importlib.import_module(module).add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UserError as e:
        print(f"nnmath: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `nnmath list | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    # `python -m nnmath.cli`: run the imported module, so the UserError that command modules
    # raise (nnmath.cli.UserError) is the class main() catches, not a __main__ copy of it.
    from nnmath.cli import main as _main

    sys.exit(_main())
