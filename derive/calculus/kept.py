"""Slow SymPy results kept on disk, so that the processes of a build compute each one once.

Several topics, each in its own process, tidy the same derivatives (:func:`derive.calculus.steps.tidy`): the
catalogue, the extreme-value sweep and the custom page's GELU example.  Some of them take SymPy seconds (GELU's
tanh form: ``simplify`` factors over the Gaussian integers).  A result that took at least :data:`WORTH_KEEPING`
seconds of CPU is pickled into ``<caches>/sympy/<name>-<key>.pickle``.  The key hashes the expression (its
``srepr``), SymPy's version and every source file of ``derive`` (the functions SymPy calls back into, and the
code that computed the result), so an edit anywhere in ``derive`` never reuses an old result.  Files are
written whole, then renamed into place; a cache that cannot be read or written only means computing again.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path

import sympy as sp

from derive.paths import CACHE

FOLDER = CACHE / "sympy"
WORTH_KEEPING = 0.01  # CPU seconds: quicker results are computed again (the cache stays small)
DERIVE = Path(__file__).resolve().parents[1]  # the derive package


@functools.cache
def _derive_digest() -> bytes:
    """One hash of SymPy's version and of every source file of ``derive`` (read once per process)."""
    digest = hashlib.sha256(sp.__version__.encode())
    for path in sorted(DERIVE.rglob("*.py")):
        digest.update(path.relative_to(DERIVE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def kept(name: str, compute: Callable[[sp.Basic], sp.Basic], expr: sp.Basic) -> sp.Basic:
    """``compute(expr)``, read from the cache if a process has kept it, else computed (and kept if it was slow)."""
    key = hashlib.sha256(_derive_digest() + name.encode() + b"\0" + sp.srepr(expr).encode()).hexdigest()
    path = FOLDER / f"{name}-{key}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    start = time.process_time()
    result = compute(expr)
    if time.process_time() - start >= WORTH_KEEPING:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.{os.getpid()}")
            partial.write_bytes(pickle.dumps(result, protocol=5))
            os.replace(partial, path)
        except OSError:  # a read-only cache: the result is right, only not kept
            pass
    return result
