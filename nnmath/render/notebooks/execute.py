"""Run a notebook with nbclient in the ``python3`` kernel, deterministically.

The kernel is ipykernel's ``python3`` kernel spec, which jupyter_client
always finds when ipykernel is installed (the spec's ``python`` is replaced
by the running interpreter), so no ``ipykernel install`` step is needed.
Outputs are made reproducible by the executor, never by a cell a participant
sees: no timing metadata, each cell's stream outputs merged into one (however the
kernel flushed them), ``SOURCE_DATE_EPOCH`` for Matplotlib's SVG/PDF
dates, a ``matplotlibrc`` with a fixed ``svg.hashsalt``
for the ids inside the SVGs, an IPython profile that makes
the inline backend draw SVG, and the kernel runs in an empty temporary
folder (:mod:`nnmath.render.notebooks.kernels`, which may have started it ahead); once
the last cell has run the kernel is killed, not shut down gracefully (its exit hooks leave
nothing the notebook keeps).  The kernel's own log (stderr) is kept out of the terminal and
only shown when the kernel dies.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass

from nbformat import NotebookNode

from nnmath.render.notebooks.kernels import KERNEL, Kernel, in_own_loop, take

__all__ = ["KERNEL", "TIMEOUT", "Executed", "NotebookFailed", "check_lines", "execute"]

TIMEOUT = 300  # seconds per cell


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


def execute(nb: NotebookNode, name: str = "notebook", timeout: int = TIMEOUT) -> Executed:
    """Run every cell of a copy of ``nb``; raise :class:`NotebookFailed` at the first error."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    nb = copy.deepcopy(nb)
    start = time.perf_counter()
    kernel = take() or Kernel()  # one started ahead (a cold site build), else a new one
    try:
        client = NotebookClient(
            nb,
            km=kernel.km,
            kernel_name=KERNEL,
            timeout=timeout,
            record_timing=False,
            # Every output is in by now: kill the kernel rather than let it run its exit hooks and tear down
            # its modules (SymPy, Matplotlib), which cost ~0.5 s of CPU per notebook for nothing kept.
            shutdown_kernel="immediate",
            coalesce_streams=True,  # one output per stream, however the kernel happened to flush it
            resources={"metadata": {"path": kernel.cwd}},
        )
        try:
            in_own_loop(client.async_execute(cleanup_kc=True))  # the client, though not the km's owner, kills it
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
            detail = _first_line(kernel.log_tail()) or _first_line(e)
            raise NotebookFailed(f"{name}: the {KERNEL} kernel failed: {type(e).__name__}: {detail}") from None
    finally:
        kernel.close()
    return Executed(nb, time.perf_counter() - start)
