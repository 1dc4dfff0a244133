"""Every string the pages need, derived once and cached.

Deriving, cross-checking and plotting the catalogue takes tens of seconds;
rendering templates takes a fraction of one.  The results are kept as JSON in
``.cache/site/derivations.json``, keyed by a hash of the sources that produce
them (every module of ``derive/``, ``numeric/`` and ``nnmath/``) and the versions of SymPy, NumPy,
Matplotlib and PyTorch.  A template edit therefore rebuilds in seconds.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from nnmath.render.site.pages import Page
from nnmath.render.site.paths import DERIVATION_CACHE, ROOT

FORMAT = 1  # bump when the layout of the cached data changes
SOURCES = (
    "derive",
    "numeric",
    "nnmath",
)
VERSIONED = ("sympy", "numpy", "matplotlib", "torch")
# Templates whose output is cached with the derivations (the notebooks are rendered and executed at build time).
CACHED_TEMPLATES = ("templates/notebooks",)


class DerivationFailed(Exception):
    """A derivation, cross-check or plot failed; the message names it in one line."""


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def cache_key(root: Path = ROOT) -> str:
    """Hash of the deriving sources and the versions of the libraries that compute the results."""
    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    for source in SOURCES:
        path = root / source
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else []
        for f in files:
            h.update(f"{f.relative_to(root).as_posix()}\n".encode())
            h.update(f.read_bytes())
    for folder in CACHED_TEMPLATES:
        for f in sorted(p for p in (root / folder).rglob("*") if p.is_file()):
            h.update(f"{f.relative_to(root).as_posix()}\n".encode())
            h.update(f.read_bytes())
    for package in VERSIONED:
        h.update(f"{package} {_version(package)}\n".encode())
    return h.hexdigest()


Task = tuple[str, tuple[str, str], Callable[[], object]]  # (label, where the result goes, function)


def tasks(pages: list[Page]) -> list[Task]:
    """Everything the pages need: the catalogue entries first (most of the work), then the topics."""
    from derive.catalogue import get
    from nnmath.topics.backpropagation import site_strings as topics
    from nnmath.topics.catalogue import site_strings as entry_page

    out: list[Task] = []
    for page in pages:  # the catalogue first: it is most of the work, and most likely to fail
        if page.entry is not None:
            e = get(page.entry)
            out += [
                (f"derive {e.name}", ("entries", e.name), lambda e=e: entry_page.entry_strings(e)),
                (f"cross-check {e.name}", ("checks", e.name), lambda e=e: entry_page.entry_check(e)),
                (f"plot {e.name}", ("plots", e.name), lambda e=e: entry_page.entry_plot(e)),
            ]
    out.append(("notation", ("topics", "notation"), topics.notation))
    for page in pages:
        if page.strings is not None:
            out.append((page.id, ("topics", page.id), _resolve(page.strings)))
        elif page.id == "backpropagation":
            out.append(("backpropagation equations", ("topics", "backpropagation"), topics.backprop_equations))
            for i, net in enumerate(topics.BACKPROP_NETWORKS):
                label = f"verify backpropagation {'-'.join(map(str, net[0]))}"
                out.append((label, ("backprop", str(i)), lambda net=net: topics.backprop_verification(*net)))
        elif page.id == "worked-example":
            from nnmath.topics.worked_example.site_strings import worked_example_strings

            out.append(("worked example", ("topics", "worked-example"), worked_example_strings))
        elif page.id == "verification":  # the hostile-number sweep (nnmath check --extreme), ~20 s, cached
            from nnmath.verify.extreme import table_rows

            out.append(("extreme-value sweep", ("topics", "extreme-sweep"), table_rows))
    return out


def _resolve(dotted: str) -> Callable[[], object]:
    """The function named by ``"module:function"``."""
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)


def _one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0]}" if text else type(e).__name__


def compute(pages: list[Page], progress: bool = True) -> dict:
    """Run every task, with a progress bar; raise :class:`DerivationFailed` naming the first failure."""
    data: dict = {"entries": {}, "checks": {}, "plots": {}, "topics": {}, "backprop": {}}
    todo = tasks(pages)
    start = time.perf_counter()
    bar = tqdm(todo, desc="deriving", unit="step", file=sys.stderr, disable=not progress, dynamic_ncols=True)
    with bar:
        for label, (kind, key), run in bar:
            bar.set_postfix_str(label, refresh=False)
            try:
                data[kind][key] = run()
            except Exception as e:  # any failure of a derivation stops the build, named in one line
                bar.leave = False
                raise DerivationFailed(f"{label} failed: {_one_line(e)}") from e
    failed = [c["name"] for c in data["checks"].values() if not c["passed"]]
    failed += [f"backpropagation {v['sizes']}" for v in data["backprop"].values() if not v["holds"]]
    if failed:
        raise DerivationFailed(f"verification failed: {', '.join(failed)} (run `nnmath check` for the figures)")
    data["seconds"] = round(time.perf_counter() - start, 2)
    return data


def load(key: str, path: Path = DERIVATION_CACHE) -> dict | None:
    """The cached results for ``key``, or ``None``."""
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return cached if cached.get("key") == key else None


def save(data: dict, path: Path = DERIVATION_CACHE) -> None:
    """Write the cache atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def derivations(pages: list[Page], use_cache: bool = True, progress: bool = True) -> tuple[dict, bool]:
    """(results, came from the cache): from the cache when its key matches, else computed and cached."""
    key = cache_key()
    if use_cache and (cached := load(key)) is not None:
        return cached, True
    data = compute(pages, progress=progress)
    data["key"] = key
    save(data)
    return json.loads(json.dumps(data, sort_keys=True)), False  # exactly what a warm build reads back (keys sorted)
