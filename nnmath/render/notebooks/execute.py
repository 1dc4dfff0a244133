"""Run a notebook with nbclient in the ``python3`` kernel, deterministically.

The kernel is ipykernel's ``python3`` kernel spec, which jupyter_client
always finds when ipykernel is installed (the spec's ``python`` is replaced
by the running interpreter), so no ``ipykernel install`` step is needed.
Outputs are made reproducible: no timing metadata, ``SOURCE_DATE_EPOCH``
for Matplotlib's SVG/PDF dates, and the kernel runs in an empty temporary
folder.  The kernel's own log (stderr) is kept out of the terminal and only
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

    nb = copy.deepcopy(nb)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nnmath-notebook-") as cwd, tempfile.TemporaryFile("w+") as log:
        client = NotebookClient(
            nb,
            kernel_name=KERNEL,
            timeout=timeout,
            record_timing=False,
            resources={"metadata": {"path": cwd}},
        )
        env = {
            **os.environ,
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
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
