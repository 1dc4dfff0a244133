"""``nnmath check``: every generated gradient against finite differences and PyTorch, and BP1–BP4 against
``sympy.diff``; ``--extreme``: every function at hostile inputs instead (see :mod:`nnmath.verify.extreme`).
"""

from __future__ import annotations

import argparse

from nnmath.render.cli import UserError

# The networks whose BP1-BP4 are compared with sympy.diff, parameter by parameter: (sizes, hidden, output, loss).
NETWORKS = (
    ((3, 4, 2), "sigmoid", "sigmoid", "mse"),
    ((2, 3, 3), "sigmoid", "softmax", "categorical_cross_entropy_logits"),
)


def run(args: argparse.Namespace) -> int:
    """Print a row per entry and a line per network; exit status 1 if anything fails."""
    if args.extreme:
        from nnmath.verify.extreme import run_cli

        return run_cli()
    from nnmath.verify.crosscheck import torch_available

    if not torch_available():
        raise UserError("the autodiff cross-check needs PyTorch: pip install -e '.[test]'")
    failures = _entries(args.points, args.seed)
    print()
    failures += _networks()
    print(f"\n{'all pass' if not failures else f'{failures} FAILED'}")
    return 0 if not failures else 1


def _entries(points: int, seed: int) -> int:
    """The cross-check of every catalogue entry, a row each; the number that fail."""
    from derive.catalogue import entries
    from nnmath.verify.crosscheck import AUTODIFF_BOUND, FD_BOUND, check_entry

    print(f"{'entry':<34} {'group':<12} {'finite diff':>12} {'autodiff':>12}  result")
    print(f"{'(bound)':<34} {'':<12} {FD_BOUND:>12.0e} {AUTODIFF_BOUND:>12.0e}")
    failures = 0
    for e in entries():
        r = check_entry(e, n=points, seed=seed)
        failures += not r.passed
        verdict = "pass" if r.passed else "FAIL"
        print(f"{r.name:<34} {r.group:<12} {r.fd_error:>12.2e} {r.autodiff_error:>12.2e}  {verdict}")
    return failures


def _networks() -> int:
    """BP1–BP4 of each network against ``sympy.diff``, a line each; the number that fail."""
    from derive.topics.backpropagation import network, verify_elementwise

    failures = 0
    for sizes, hidden, out, loss in NETWORKS:
        v = verify_elementwise(network(sizes, hidden, out, loss))
        failures += not v.holds
        shape = "-".join(map(str, sizes))
        verdict = "exact" if v.holds else f"FAIL at {', '.join(v.mismatches)}"
        print(f"backprop {shape} {hidden}/{out}+{loss}: {v.checked} parameters, BP1-BP4 vs sympy.diff: {verdict}")
    return failures
