"""Executed notebooks, cached: a warm build does not run the notebooks again.

Running a notebook takes seconds; its outputs depend only on the notebook's JSON, on
the libraries the kernel ran and on the project modules the notebook imported.  So an
executed notebook is stored in ``.cache/notebooks/<name>.json`` with

* a key: the SHA-256 of the notebook's JSON and of the library versions
  (:func:`nnmath.records.versions`, and Python's);
* the SHA-256 of every project file the kernel imported, listed by one more cell run
  after the notebook's own (and dropped from the result),

and reused while the key and every one of those files are unchanged — as the topics'
records are (:mod:`nnmath.records`).  Bytes are kept as they were written, so a cached
notebook is the notebook a fresh run gives.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell

from nnmath.paths import CACHE as CACHES
from nnmath.paths import ROOT, project_file
from nnmath.render.notebooks.build import dumps
from nnmath.render.notebooks.execute import execute

FORMAT = 1  # bump when the layout of a cache file changes
CACHE = CACHES / "notebooks"
# Run after the notebook's cells: every file the kernel has imported, one per line.
LIST_IMPORTS = (
    "import sys\nprint('\\n'.join(sorted({str(getattr(m, '__file__', None)) for m in list(sys.modules.values())})))"
)


def key(nb: NotebookNode) -> str:
    """What a notebook's outputs depend on besides the project files: its JSON and the library versions."""
    from nnmath.records import versions

    libraries = json.dumps({**versions(), "python": sys.version}, sort_keys=True)
    return hashlib.sha256((dumps(nb) + libraries).encode("utf-8")).hexdigest()


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _project_files(listing: str) -> dict[str, str]:
    """The project files among the kernel's imported files, with their hashes."""
    files = set()
    for line in listing.splitlines():
        path = Path(line)
        rel = project_file(path) if path.is_absolute() and path.is_file() else None
        if rel is not None:
            files.add(rel)
    return {rel: _digest(ROOT / rel) for rel in sorted(files)}


def cache_file(name: str) -> Path:
    """The cache file of the notebook called ``name`` (``part-1-linear-algebra (solutions)``)."""
    return CACHE / (re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") + ".json")


def any_cached() -> bool:
    """Whether some executed notebook is in the cache (a fresh clone has none: every notebook will run)."""
    return CACHE.is_dir() and any(CACHE.glob("*.json"))


def load(nb: NotebookNode, name: str) -> NotebookNode | None:
    """The cached run of ``nb`` if it ran from the same JSON, libraries and project files; else ``None``."""
    try:
        stored = json.loads(cache_file(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("key") != key(nb):
        return None
    if any(_digest(ROOT / rel) != digest for rel, digest in stored["files"].items()):
        return None
    return nbformat.reads(stored["notebook"], as_version=4)


def save(nb: NotebookNode, name: str, run: NotebookNode, files: dict[str, str]) -> None:
    """Store ``run``, the executed ``nb``, with what it was run from; atomically."""
    path = cache_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    stored = {"format": FORMAT, "key": key(nb), "files": files, "notebook": dumps(run)}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(stored, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def executed(nb: NotebookNode, name: str, use_cache: bool = True) -> NotebookNode:
    """``nb`` run in the kernel (:func:`nnmath.render.notebooks.execute.execute`), or its run from the cache.

    ``use_cache=False``: run it even if it ran before (and cache the new run).

    Raises :class:`~nnmath.render.notebooks.execute.NotebookFailed` as ``execute`` does (a failed run is not cached).
    """
    cached = load(nb, name) if use_cache else None
    if cached is not None:
        return cached
    listing = copy.deepcopy(nb)
    listing.cells.append(new_code_cell(LIST_IMPORTS, id="nnmath-imported-files"))
    run = execute(listing, name=name).notebook
    imported = run.cells.pop()
    text = "".join(o.get("text", "") for o in imported.get("outputs", []) if o.get("output_type") == "stream")
    save(nb, name, run, _project_files(text))
    return run
