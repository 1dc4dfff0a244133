"""Run a notebook with nbclient in the ``python3`` kernel, deterministically.

The kernel is ipykernel's ``python3`` kernel spec, which jupyter_client
always finds when ipykernel is installed (the spec's ``python`` is replaced
by the running interpreter), so no ``ipykernel install`` step is needed.
Outputs are made reproducible by the executor, never by a cell a participant
sees: no timing metadata, each cell's stream outputs merged into one (however the
kernel flushed them), ``SOURCE_DATE_EPOCH`` for Matplotlib's SVG/PDF
dates, a ``matplotlibrc`` (``MATPLOTLIBRC``) with a fixed ``svg.hashsalt``
for the ids inside the SVGs, an IPython profile (``IPYTHONDIR``) that makes
the inline backend draw SVG, and the kernel runs in an empty temporary
folder; once the last cell has run the kernel is killed, not shut down gracefully (its
exit hooks leave nothing the notebook keeps).  The kernel's own log (stderr) is kept out of the terminal and only
shown when the kernel dies.
"""

from __future__ import annotations

import asyncio
import copy
import os
import tempfile
import time
from collections.abc import Coroutine
from dataclasses import dataclass

from nbformat import NotebookNode

KERNEL = "python3"
TIMEOUT = 300  # seconds per cell
SOURCE_DATE_EPOCH = "0"
# The build's settings for reproducible figures, kept out of the notebooks' cells.
MATPLOTLIBRC = "svg.hashsalt: nnmath\n"  # fixed ids in the SVG figures: a rerun gives the same file
KERNEL_CONFIG = 'c.InlineBackend.figure_formats = {"svg"}\n'  # figures as SVG, which the site shows


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


class NotebookFailed(RuntimeError):
    """A cell raised (or the kernel died); the message is one line naming the notebook, cell and error."""

    def __init__(self, message: str, cell_id: str | None = None, ename: str | None = None, evalue: str = ""):
        super().__init__(message)
        self.cell_id, self.ename, self.evalue = cell_id, ename, evalue


@dataclass(frozen=True)
class Executed:
    """An executed notebook and how long it took (kernel start included)."""

    notebook: NotebookNode
    seconds: float


def _error(nb: NotebookNode) -> tuple[int, NotebookNode, NotebookNode] | None:
    """(index, cell, error output) of the first cell with an error output."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, cell, output
    return None


def check_lines(nb: NotebookNode) -> list[str]:
    """What each check cell of an executed notebook printed, one string per check cell (its lines joined)."""
    out = []
    for cell in nb.cells:
        if "check" in cell.get("metadata", {}).get("tags", []):
            text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
            out.append(text.rstrip("\n"))
    return out


def _first_line(text: str) -> str:
    lines = [line for line in str(text).strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def _in_own_loop(coroutine: Coroutine) -> None:
    """Run ``coroutine`` in an event loop of its own, closed afterwards.

    ``NotebookClient.execute`` would keep a loop per thread open for ever, so notebooks run
    side by side in threads would leave unclosed loops (and their sockets) behind.
    """
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(coroutine)
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def execute(nb: NotebookNode, name: str = "notebook", timeout: int = TIMEOUT) -> Executed:
    """Run every cell of a copy of ``nb``; raise :class:`NotebookFailed` at the first error."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    from traitlets.config import Config

    nb = copy.deepcopy(nb)
    start = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="nnmath-notebook-") as cwd,
        tempfile.TemporaryDirectory(prefix="nnmath-kernel-") as settings,
        tempfile.TemporaryFile("w+") as log,
    ):
        # The kernel's sockets are files in its own folder (ZeroMQ's ipc transport), not TCP ports: kernels started
        # side by side (the build runs notebooks while records compute; other processes start kernels too) never
        # race for a port another one picked first ("Address already in use").
        sockets = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(settings, "kernel")}})
        client = NotebookClient(
            nb,
            config=sockets,
            kernel_name=KERNEL,
            timeout=timeout,
            record_timing=False,
            # Every output is in by now: kill the kernel rather than let it run its exit hooks and tear down
            # its modules (SymPy, Matplotlib), which cost ~0.5 s of CPU per notebook for nothing kept.
            shutdown_kernel="immediate",
            coalesce_streams=True,  # one output per stream, however the kernel happened to flush it
            resources={"metadata": {"path": cwd}},
        )
        env = {
            **os.environ,
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            **kernel_settings(settings),
        }
        try:
            _in_own_loop(client.async_execute(env=env, stderr=log, stdout=log))
        except CellExecutionError as e:
            found = _error(nb)
            if found is None:  # nbclient reported an error that left no output: say what it said
                raise NotebookFailed(f"{name}: {_first_line(e)}") from None
            index, cell, output = found
            ename, evalue = output.get("ename", "Error"), output.get("evalue", "")
            raise NotebookFailed(
                f"{name}: cell {index + 1} ({cell.get('id')}) raised {ename}: {_first_line(evalue)}",
                cell_id=cell.get("id"),
                ename=ename,
                evalue=evalue,
            ) from None
        except (DeadKernelError, RuntimeError, TimeoutError) as e:
            log.seek(0)
            detail = _first_line("\n".join(log.read().strip().splitlines()[-1:])) or _first_line(e)
            raise NotebookFailed(f"{name}: the {KERNEL} kernel failed: {type(e).__name__}: {detail}") from None
    return Executed(nb, time.perf_counter() - start)
