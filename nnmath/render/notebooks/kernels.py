"""The ``python3`` kernels that run the notebooks, each in folders of its own; some started ahead of their notebook.

A kernel's start (IPython, ipykernel, ~0.5 s of CPU) does not depend on the notebook it will run: the build's
settings (:func:`kernel_settings`), an empty working folder, its sockets as files in its own folder (ZeroMQ's
``ipc`` transport: kernels started side by side never race for a TCP port).  So a cold site build starts the
practice notebooks' kernels with :func:`start_ahead` while the fork server is still loading its libraries (a core
is mostly idle then), and each notebook takes one with :func:`take` when its record arrives; a notebook finding
none starts its own.  A kernel started ahead and never taken is killed by :func:`stop_ahead` (which the build calls
when it ends, however it ends) or at exit.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import tempfile
import threading
from collections.abc import Coroutine

KERNEL = "python3"
SOURCE_DATE_EPOCH = "0"
# The build's settings for reproducible figures, kept out of the notebooks' cells.
MATPLOTLIBRC = "svg.hashsalt: nnmath\n"  # fixed ids in the SVG figures: a rerun gives the same file
KERNEL_CONFIG = 'c.InlineBackend.figure_formats = {"svg"}\n'  # figures as SVG, which the site shows
# What nbclient passes to a kernel it starts itself: IPython's history in memory, never in a file.
HISTORY = ["--HistoryManager.hist_file=:memory:"]


def kernel_settings(folder: str) -> dict[str, str]:
    """Write the build's Matplotlib and IPython settings into ``folder``; the environment variables that load them."""
    profile = os.path.join(folder, "ipython", "profile_default")
    os.makedirs(profile)
    with open(os.path.join(profile, "ipython_kernel_config.py"), "w", encoding="utf-8") as f:
        f.write(KERNEL_CONFIG)
    rc = os.path.join(folder, "matplotlibrc")
    with open(rc, "w", encoding="utf-8") as f:
        f.write(MATPLOTLIBRC)
    return {"MATPLOTLIBRC": rc, "IPYTHONDIR": os.path.join(folder, "ipython")}


def in_own_loop(coroutine: Coroutine):
    """Run ``coroutine`` in an event loop of its own, closed afterwards; its result.

    ``NotebookClient.execute`` would keep a loop per thread open for ever, so notebooks run
    side by side in threads would leave unclosed loops (and their sockets) behind.
    """
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


class Kernel:
    """A started ``python3`` kernel (``km``: its jupyter_client ``AsyncKernelManager``) with its folders: ``cwd``
    (empty, where it runs), its settings and sockets, and ``log``, the file its output (stderr, stdout) goes to.
    :meth:`close` kills it and removes its folders."""

    def __init__(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from traitlets.config import Config

        self._cwd = tempfile.TemporaryDirectory(prefix="nnmath-notebook-")
        self._settings = tempfile.TemporaryDirectory(prefix="nnmath-kernel-")
        self.cwd = self._cwd.name
        self.log = tempfile.TemporaryFile("w+")
        sockets = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(self._settings.name, "kernel")}})
        self.km = AsyncKernelManager(kernel_name=KERNEL, config=sockets)
        env = {
            **os.environ,
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            **kernel_settings(self._settings.name),
        }
        try:
            in_own_loop(
                self.km.start_kernel(
                    extra_arguments=list(HISTORY), cwd=self.cwd, env=env, stderr=self.log, stdout=self.log
                )
            )
        except BaseException:
            self.close()
            raise

    def wait_until_ready(self, timeout: float = 60) -> None:
        """Wait until the kernel answers (IPython loaded; a ``kernel_info`` request, which changes nothing it runs)."""

        async def ready() -> None:
            client = self.km.client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=timeout)
            finally:
                client.stop_channels()

        in_own_loop(ready())

    def log_tail(self) -> str:
        """The last line the kernel wrote to its log."""
        self.log.seek(0)
        lines = self.log.read().strip().splitlines()
        return lines[-1] if lines else ""

    def close(self) -> None:
        """Kill the kernel (if it runs) and remove its folders."""
        try:
            if self.km.has_kernel:
                in_own_loop(self.km.shutdown_kernel(now=True))
        except Exception:  # already dead: there is nothing to kill
            pass
        finally:
            in_own_loop(self.km.cleanup_resources())  # its connection file and sockets (nbclient may have already)
            self.log.close()
            self._settings.cleanup()
            self._cwd.cleanup()


_AHEAD: list[Kernel] = []  # kernels started ahead, not yet taken
_STARTING: list[threading.Thread] = []  # the threads starting them
_LOCK = threading.Lock()


def _start(count: int) -> None:
    """Start ``count`` kernels one after the other, each once the last is ready: the fork server, loading its
    libraries meanwhile, shares the cores with one kernel at a time, not all."""
    for _ in range(count):
        try:
            kernel = Kernel()
        except Exception:  # a notebook then starts its own kernel, which says what failed
            return
        with _LOCK:
            _AHEAD.append(kernel)
        try:
            kernel.wait_until_ready()
        except Exception:  # its notebook will find out (and say) what is wrong with it
            return


def start_ahead(count: int) -> None:
    """Start ``count`` kernels for notebooks to :func:`take` later, in a thread (this process goes on meanwhile)."""
    thread = threading.Thread(target=_start, args=(count,), name="nnmath-kernels", daemon=True)
    thread.start()
    with _LOCK:
        _STARTING.append(thread)


def _started() -> None:
    """Wait until the kernels being started ahead are (starting one takes half a second)."""
    with _LOCK:
        threads = list(_STARTING)
        _STARTING.clear()
    for thread in threads:
        thread.join()


def waiting() -> list[Kernel]:
    """The kernels started ahead that no notebook has taken yet (once the thread starting them is done)."""
    _started()
    with _LOCK:
        return list(_AHEAD)


def take() -> Kernel | None:
    """A kernel started ahead (its caller closes it), or ``None`` if none is left."""
    _started()
    with _LOCK:
        return _AHEAD.pop(0) if _AHEAD else None


def stop_ahead() -> None:
    """Kill the kernels started ahead that no notebook took."""
    _started()
    with _LOCK:
        left = list(_AHEAD)
        _AHEAD.clear()
    for kernel in left:
        kernel.close()


atexit.register(stop_ahead)
