"""The topics' presentation records: computed in parallel, each in its own process, and cached.

Deriving, measuring and drawing take tens of seconds; rendering a record takes
milliseconds.  Each topic's record is computed in a fresh child process, forked
from a clean server process (multiprocessing's ``forkserver``) that has loaded
the heavy third-party libraries and no project module, so the project files the
child imported are exactly the files the record depends on (and a parent that
has used PyTorch's threads cannot deadlock a child, as a plain fork can).  The
record is cached in ``.cache/records/<topic>.pickle`` together with those
files' hashes (and those of the templates it printed generated code through, :data:`DATA`) and the
versions of the libraries that computed it; it is reused while every one of those files and versions is
unchanged.  Editing one topic therefore recomputes that topic only; the registry
(``nnmath/topics/__init__.py``, which imports no topic) and this module's machinery are not part of any
record's key (:data:`MACHINERY`).

The topics start longest first (the seconds of their last computation, or their declared ``cost``), so
that on two cores the long ones overlap instead of finishing last.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import multiprocessing
import os
import pickle
import resource
import sys
import time
import traceback
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from nnmath.forkserver_guard import stay_with_nnmath
from nnmath.paths import CACHE as CACHES
from nnmath.paths import ROOT, TEMPLATES, project_file
from nnmath.topics.base import Record, Topic

FORMAT = 4  # bump when the layout of a cached record changes
CACHE = CACHES / "records"
VERSIONED = ("sympy", "numpy", "scipy", "matplotlib", "torch", "scikit-learn", "mpmath", "nbclient", "ipykernel")
# Folders of files a topic reads that are not Python modules: the templates of generated NumPy code that
# derive.numerics.codegen prints a derived expression through.  The files of these folders a record's process
# opened are part of its key, as its modules are (:func:`_watch_data`).
DATA = (TEMPLATES / "numeric",)
# Third-party libraries the fork server imports once, so each child starts with them loaded: those most topics
# use (the figures' SVG and PDF writers with fontTools, Jinja2 for generated code, scikit-learn's data sets with
# the parts of SciPy they import, and sympy.physics.units, which SymPy's simplify() imports on its first call).
# A library missing from the environment is skipped.  Not PyTorch: three topics use it, and importing it (1 s)
# would delay every child.  nnmath.forkserver_guard first: the server dies with nnmath.
PRELOAD = (
    "nnmath.forkserver_guard",
    "sympy",
    "sympy.physics.units",
    "sympy.codegen.rewriting",
    "numpy",
    "scipy.special",
    "matplotlib.pyplot",
    "matplotlib.backends.backend_svg",
    "matplotlib.backends.backend_pdf",
    "fontTools.subset",
    "jinja2",
    "sklearn.datasets",
)
# Files every child imports to run, which no record depends on: not part of any record's key.
MACHINERY = ("nnmath/records.py", "nnmath/forkserver_guard.py", "nnmath/topics/__init__.py")


LAST: dict[str, Computed] = {}  # every topic's Computed of the last call of records(), by name


class RecordFailed(Exception):
    """A topic's derivation, measurement or figure failed; the message names the topic in one line."""


@dataclass(frozen=True)
class Computed:
    """A topic's record, the files it was computed from (path → SHA-256), how long it took (wall clock; ``cpu``:
    the CPU seconds of its process, which a loaded machine does not inflate) and in which process (its id)."""

    record: Record
    files: dict[str, str]
    versions: dict[str, str]
    seconds: float
    process: int = 0
    cpu: float = 0.0


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def versions() -> dict[str, str]:
    """The versions of the libraries whose results the records hold (read once per process)."""
    return dict(_versions())


@functools.cache
def _versions() -> tuple[tuple[str, str], ...]:
    return tuple((p, _version(p)) for p in VERSIONED)


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _project_files() -> dict[str, str]:
    """Every project source file this process has imported, with its hash (but the :data:`MACHINERY`)."""
    named = set()
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        rel = project_file(Path(name)) if name else None
        if rel is not None:
            named.add(rel)
    return {rel: _digest(ROOT / rel) for rel in sorted(named) if rel not in MACHINERY}


def _watch_data() -> set[str]:
    """The files under :data:`DATA` this process opens from now on (Jinja's loader opens each template it renders,
    included ones too), collected by an audit hook on the ``open`` event into the returned set."""
    folders = tuple(os.path.join(folder, "") for folder in map(str, DATA))
    opened: set[str] = set()

    def hook(event: str, args: tuple) -> None:
        if event == "open" and isinstance(args[0], (str, os.PathLike)) and os.fspath(args[0]).startswith(folders):
            opened.add(os.fspath(args[0]))

    sys.addaudithook(hook)
    return opened


def _data_files(opened: Collection[str]) -> dict[str, str]:
    """The files ``opened`` with their hashes, named relative to :data:`ROOT` where they are under it (a checkout)."""
    paths = {Path(name).resolve() for name in opened}
    return {(p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else str(p)): _digest(p) for p in sorted(paths)}


def cache_file(topic: Topic | str) -> Path:
    """The cache file of a topic's record (``topic``: the topic or its name)."""
    return CACHE / f"{topic if isinstance(topic, str) else topic.name}.pickle"


def load(topic: Topic) -> Computed | None:
    """The cached record of ``topic`` if every file and version it was computed from is unchanged."""
    return _load(topic.name)


def _load(name: str) -> Computed | None:
    try:
        with open(cache_file(name), "rb") as f:
            stored = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("versions") != versions():
        return None
    computed: Computed = stored["computed"]
    if any(_digest(ROOT / rel) != digest for rel, digest in computed.files.items()):
        return None
    return computed


def save(topic: Topic, computed: Computed) -> None:
    """Write the cache file atomically."""
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = cache_file(topic).with_name(f".{topic.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump({"format": FORMAT, "versions": computed.versions, "computed": computed}, f, protocol=5)
    tmp.replace(cache_file(topic))


def _cpu_seconds() -> float:
    """User and system CPU seconds of this process and of the children it has waited for (a topic's subprocesses)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _one_blas_thread() -> AbstractContextManager:
    """One BLAS thread while a record is computed: the records run a process per core already, and BLAS's extra
    threads only spin (on the optimisers' training runs a second OpenBLAS thread costs 1.5 s of CPU for nothing).
    Without threadpoolctl (an extra), BLAS keeps its threads."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return nullcontext()
    return threadpool_limits(1)


def _child(topic: Topic, conn: Connection) -> None:
    """Compute ``topic``'s record and send it, with the files it read, to the parent."""
    stay_with_nnmath()  # its parent, the fork server, exits when this process's own parent (nnmath) dies
    opened = _watch_data()
    start, cpu = time.perf_counter(), _cpu_seconds()
    try:
        with _one_blas_thread():
            record = topic.present()
        seconds, cpu = round(time.perf_counter() - start, 2), round(_cpu_seconds() - cpu, 2)
        files = {**_project_files(), **_data_files(opened)}
        result = ("ok", Computed(record, files, versions(), seconds, os.getpid(), cpu))
    except BaseException as e:  # any failure is reported to the parent, named in one line
        lines = str(e).strip().splitlines()
        message = f"{type(e).__name__}: {lines[0]}" if lines else type(e).__name__
        result = ("error", (message, traceback.format_exc()))
    try:
        conn.send(result)
    finally:
        conn.close()


@contextmanager
def _main_hidden() -> Iterator[None]:
    """While children start: ``__main__`` without ``__spec__`` and ``__file__``, so that a forkserver child does not
    run it again (``multiprocessing.spawn.prepare`` re-imports the parent's main module).  For ``python -m
    nnmath.cli`` that is the parser and every command module: files no record depends on, which would
    otherwise be part of every record's key."""
    main = sys.modules["__main__"]
    saved = {k: main.__dict__[k] for k in ("__spec__", "__file__") if k in main.__dict__}
    main.__dict__["__spec__"] = None
    main.__dict__.pop("__file__", None)
    try:
        yield
    finally:
        main.__dict__.update(saved)
        if "__spec__" not in saved:
            main.__dict__.pop("__spec__", None)


def expected_seconds(topic: Topic) -> float:
    """How long computing ``topic``'s record is expected to take: its last computation's CPU seconds (from its cache
    file, even a stale one; CPU, because wall seconds depend on what else ran), else the topic's declared ``cost``."""
    try:
        with open(cache_file(topic), "rb") as f:
            computed = pickle.load(f)["computed"]
        return float(computed.cpu or computed.seconds)
    except Exception:  # no cache file, or one of another format: the declared cost
        return float(topic.cost)


def longest_first(topics: Sequence[Topic]) -> list[Topic]:
    """``topics`` by expected seconds, longest first (ties in their given order): on a few cores the long
    ones then overlap, instead of one of them running alone at the end."""
    return sorted(topics, key=lambda t: -expected_seconds(t))


def _context() -> multiprocessing.context.ForkServerContext:
    """The fork server's context, with its preload and the environment its processes read."""
    os.environ.setdefault("MPLBACKEND", "Agg")  # the fork server imports pyplot: never a GUI backend
    context = multiprocessing.get_context("forkserver")
    os.environ["NNMATH_RECORDS_PARENT"] = str(os.getpid())  # read by nnmath.forkserver_guard
    context.set_forkserver_preload(list(PRELOAD))
    return context


_CHECKED: dict[str, Computed] = {}  # the valid cached records start_early() found, for the next records() call
_STARTED = False  # whether the last start_early() started the fork server (records to compute)


def computing_expected() -> bool:
    """Whether the last :func:`start_early` found records to compute (and started the fork server for them)."""
    return _STARTED


def cached_early() -> frozenset[str]:
    """The topics whose valid cached records the last :func:`start_early` found (until :func:`records` takes them):
    with :func:`computing_expected`, which records a build will compute."""
    return frozenset(_CHECKED)


def start_early(names: Sequence[str], use_cache: bool = True) -> bool:
    """Start the fork server now if a record of the topics ``names`` is to be computed (its cache file missing or
    stale, or ``use_cache`` false), so that the server imports :data:`PRELOAD` while this process does its own
    work (its imports, the page plan); whether it did.  The valid cached records it read are handed to the next
    :func:`records` call, which does not read them again."""
    global _STARTED
    _CHECKED.clear()
    _CHECKED.update({n: c for n in names if use_cache and (c := _load(n)) is not None})
    _STARTED = len(_CHECKED) < len(names)
    if not _STARTED:
        return False
    from multiprocessing import forkserver

    _context()
    with _main_hidden():  # as for the processes: the server must not import the command's main module
        forkserver.ensure_running()
    return True


Arrived = Callable[[str, Record], None]  # called with a topic's name and record as soon as the record exists


def compute(
    topics: Sequence[Topic],
    workers: int | None = None,
    progress: bool = True,
    first: Collection[str] = (),
    arrived: Arrived | None = None,
) -> dict[str, Computed]:
    """Compute the records of ``topics``, each in a fresh forked process, ``workers`` at a time, the topics named in
    ``first`` first, then longest first; each is saved in the cache (and passed to ``arrived``) as soon as it
    arrives."""
    if not topics:
        return {}
    context = _context()
    workers = workers or os.cpu_count() or 1
    ordered = longest_first(topics)
    waiting = [t for t in ordered if t.name in first] + [t for t in ordered if t.name not in first]
    running, done = {}, {}
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(topics), desc="deriving", unit="topic", file=sys.stderr, dynamic_ncols=True)
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                topic = waiting.pop(0)
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(topic, send), name=f"nnmath-{topic.name}")
                with _main_hidden():
                    process.start()
                send.close()
                running[receive] = (topic, process)
            for conn in wait(list(running)):
                topic, process = running.pop(conn)
                try:
                    status, payload = conn.recv()
                except EOFError:
                    status, payload = "error", (f"the worker died (exit code {process.exitcode})", "")
                process.join()
                if status == "error":
                    raise RecordFailed(f"{topic.name} failed: {payload[0]}")
                done[topic.name] = payload
                save(topic, payload)  # at once: a later failure or an interrupt keeps the finished records
                if arrived is not None:
                    arrived(topic.name, payload.record)
                if bar is not None:
                    bar.set_postfix_str(topic.name, refresh=False)
                    bar.update()
    finally:
        for _, process in running.values():
            process.kill()
            process.join()
        if bar is not None:
            bar.close()
    return done


def records(
    topics: Sequence[Topic] | None = None,
    use_cache: bool = True,
    progress: bool = True,
    first: Collection[str] = (),
    arrived: Arrived | None = None,
) -> tuple[dict[str, Record], dict[str, Computed]]:
    """The record of every topic (from the cache where it is valid), and what this call computed
    (:data:`LAST` holds every topic's :class:`Computed`, cached or not, of the last call).

    ``arrived(name, record)`` is called for every record as soon as it exists (cached ones first), so that a
    caller can start using a record while the others are computed; the topics named in ``first`` start first."""
    if topics is None:
        from nnmath.topics import TOPICS

        topics = TOPICS
    checked = dict(_CHECKED)
    _CHECKED.clear()
    found = {t.name: c for t in topics if use_cache and (c := checked.get(t.name) or load(t)) is not None}
    if arrived is not None:
        for name, c in found.items():
            arrived(name, c.record)
    missing = [t for t in topics if t.name not in found]
    computed = compute(missing, progress=progress, first=first, arrived=arrived)  # saves each record
    every = {**found, **computed}
    LAST.clear()
    LAST.update({t.name: every[t.name] for t in topics})
    return {t.name: every[t.name].record for t in topics}, computed
