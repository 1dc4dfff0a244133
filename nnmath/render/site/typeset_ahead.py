"""The site's maths typeset into KaTeX's cache while the records are computed, ahead of MkDocs.

MkDocs typesets each page's formulas after writing it (:mod:`nnmath.render.site.prerender`), one page after the
other on one core: about 2 s of KaTeX in a cold build.  While the records are computed most of the build process's
time is spent waiting, and when the last records run (and while MkDocs runs) a core is idle.  :class:`TypesetAhead`
starts one process at the lowest priority (``nice`` 19: it takes a core only when nothing else wants it) which,
as each record arrives, renders the pages that have all they need (:class:`~nnmath.render.site.render.Renderer`
over the records so far, read from their cache files), converts their Markdown with MkDocs' Markdown extensions
(the very ones that mark the formulas: pymdownx.arithmatex) and typesets every formula into the cache with
:func:`~nnmath.render.site.prerender.typeset`, last page first, while MkDocs goes first page first.  When every
page is rendered, a second process at normal priority is given them all and typesets what is still missing, also
last page first: on a busy machine the first may have done little, and MkDocs' stage leaves a core idle.

It only fills a cache: MkDocs still typesets every formula it finds, reading the cached ones, so the site is the
same bytes whatever this process managed to do; a page it cannot render or convert is skipped.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from multiprocessing.connection import Connection

STOP = None  # the message that stops the process


class TypesetAhead:
    """The typesetting processes: the first, at the lowest priority, fed with the names of the records as they
    arrive (:meth:`arrived`); the second, at normal priority, started when every page is rendered (:meth:`hurry`),
    to share with MkDocs, on the core MkDocs leaves idle, the formulas the first could not reach.

    :meth:`stop` (or leaving it as a context manager) stops them (between two formulas).  ``start=False`` makes it
    do nothing (a warm build, whose formulas are all in the cache already)."""

    def __init__(self, start: bool = True):
        self.started = start
        self.workers: list = []  # (its end of the pipe, the process)

    def _start(self, nice: int, render: bool) -> None:
        from nnmath.records import _context, _main_hidden

        context = _context()  # the fork server's (already running): a fork of it, without the build's threads
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(receive, nice, render), name="nnmath-typeset", daemon=True)
        with _main_hidden():
            process.start()
        receive.close()
        self.workers.append((send, process))

    def _send(self, message, worker: int = 0) -> None:
        if worker < len(self.workers):
            try:
                self.workers[worker][0].send(message)
            except OSError:  # the process has ended: it only ever fills a cache
                pass

    def arrived(self, topic: str, record=None) -> None:
        """``topic``'s record exists (in its cache file): render and typeset the pages it completes.  The first
        process starts with the first record (the fork server is ready by then: starting it earlier would make
        the build wait for the server's imports)."""
        if self.started and not self.workers:
            self._start(nice=19, render=True)
        self._send(("arrived", topic))

    def hurry(self, pages: dict[str, str]) -> None:
        """Every page is rendered (``pages``: path under docs/ -> Markdown): a second process, at normal priority,
        typesets their formulas, the last page first (MkDocs goes the other way)."""
        if not self.started:
            return
        self._start(nice=0, render=False)
        for path in sorted(pages, reverse=True):
            self._send(("page", path, pages[path]), worker=len(self.workers) - 1)

    def stop(self) -> None:
        for send, _ in self.workers:
            try:
                send.send(STOP)
            except OSError:
                pass
            send.close()
        for _, process in self.workers:
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
                process.join()
        self.workers = []

    def __enter__(self) -> TypesetAhead:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _record(topic: str):
    """``topic``'s record, from the cache file the build has just written or read."""
    from nnmath.records import cache_file

    with open(cache_file(topic), "rb") as f:
        return pickle.load(f)["computed"].record


def markdown_converter() -> Callable[[str], str]:
    """A function from a page's Markdown to its HTML, as MkDocs converts it (the extensions of mkdocs.yml)."""
    import markdown
    from mkdocs.config import load_config
    from mkdocs.utils.meta import get_data

    from nnmath.render.site.paths import BUILD_OVERRIDES, CONFIG

    config = load_config(str(CONFIG), **BUILD_OVERRIDES)
    configs = dict(config.mdx_configs)
    configs["pymdownx.snippets"] = {**configs.get("pymdownx.snippets", {}), "base_path": [config.docs_dir]}

    def convert(text: str) -> str:
        md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=configs)
        return md.convert(get_data(text)[0])

    return convert


def _work(conn: Connection, nice: int = 19, render: bool = True) -> None:
    """The process (``nice`` added to its priority): typeset the formulas of the pages it is sent and, if
    ``render``, of the hand-written pages and of the pages it renders as their records arrive; until told to stop."""
    try:
        os.nice(nice)
    except OSError:
        pass
    try:
        typeset_pages(conn, render)
    except (EOFError, OSError, KeyboardInterrupt):
        pass


def typeset_pages(conn: Connection, render: bool = True) -> None:
    from nnmath.render.site.pages import plan
    from nnmath.render.site.paths import DOCS
    from nnmath.render.site.prerender import MathsFailed, formulas, typeset
    from nnmath.render.site.render import RENDERED_FIRST, Renderer

    every = plan()
    records: dict = {}
    renderer = Renderer(every, records)
    convert = markdown_converter()
    generated = {p.path for p in every}
    hand_written = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    ready = [(path, None) for path in hand_written if render and path not in generated]  # (page, Markdown or None)
    waiting = sorted((p for p in every if p.template not in RENDERED_FIRST), key=lambda p: p.path, reverse=True)
    todo: list[tuple[str, bool]] = []  # the formulas of the pages converted, to typeset (MkDocs goes the other way)
    while True:
        while conn.poll() or not (todo or ready):  # blocks when there is nothing to do
            message = conn.recv()
            if message is STOP:
                return
            if message[0] == "page":
                ready.append(message[1:])
                continue
            try:
                records[message[1]] = _record(message[1])
            except Exception:  # noqa: BLE001 - no record, no pages: MkDocs typesets them
                continue
            still = []
            for page in waiting:
                try:
                    ready.append((page.path, renderer.render(page)))
                except Exception:  # noqa: BLE001 - a record it needs has not arrived yet
                    still.append(page)
            waiting = still
        if todo:
            try:
                typeset(*todo.pop(0))
            except MathsFailed:
                pass  # MkDocs reports it
            continue
        path, text = ready.pop(0)
        try:
            todo += formulas(convert((DOCS / path).read_text(encoding="utf-8") if text is None else text))
        except Exception:  # noqa: BLE001 - e.g. a snippet not written yet: MkDocs typesets that page
            pass
