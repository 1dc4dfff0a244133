"""Run a function with a wall-clock limit, in a worker process that is killed when the limit passes.

SymPy's ``simplify`` has no time-out and cannot be interrupted from inside
Python (a signal does not stop a long C-level or cached computation reliably,
and a thread cannot be killed).  A forked worker can: it inherits the loaded
modules (no second import of SymPy), runs the function, and sends the result
back pickled.  If the limit passes first, the worker is killed and
:class:`TimeLimitExceeded` is raised.  Where ``fork`` is unavailable the
worker is spawned instead (slower to start, same behaviour).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class TimeLimitExceeded(Exception):
    """The function did not finish within the limit (its worker was killed)."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds

    def __str__(self) -> str:
        return f"did not finish within {self.seconds:g} s"


class WorkerFailed(RuntimeError):
    """The function raised an exception that cannot travel between processes, or the worker died."""


def _context() -> multiprocessing.context.BaseContext:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def pid_alive(pid: int) -> bool:
    """Whether a process with this PID exists (one owned by another user counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (PR_SET_PDEATHSIG): no orphaned workers.

    Used as a worker's first call, or as ``preexec_fn`` of a subprocess; elsewhere than Linux it does nothing.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _run(send, function: Callable, args: tuple) -> None:
    die_with_parent()
    try:
        result = ("ok", function(*args))
    except BaseException as e:  # noqa: BLE001 - every failure goes back to the caller, named
        result = ("error", e)
    try:
        send.send(result)
    except Exception as e:  # the result or exception does not pickle: send its name and message
        status, value = result
        what = f"{type(value).__name__}: {value}" if status == "error" else "the result"
        send.send(("error", WorkerFailed(f"{what} could not be sent back ({type(e).__name__}: {e})")))
    finally:
        send.close()


RETRY_SECONDS = 0.02


def _cannot_raise_in(frame) -> bool:
    """Whether an exception raised in ``frame`` would be swallowed: a weakref callback or a ``__del__``.

    Python reports an exception from these as "Exception ignored in ..." and carries on, so the block
    would run to its end; the interrupt waits for the next tick instead.
    """
    while frame is not None:
        code = frame.f_code
        if code.co_name == "__del__" or (
            code.co_name in ("remove", "_remove") and code.co_filename.endswith(("weakref.py", "_weakrefset.py"))
        ):
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def interrupt_after(seconds: float) -> Iterator[None]:
    """Best effort: raise :class:`TimeLimitExceeded` inside the block after ``seconds`` (a SIGALRM timer).

    For a budget *within* a worker (one step may give up while the rest goes on);
    the interrupt lands between Python bytecodes, so a long C call finishes first.
    After ``seconds`` the timer ticks every ``RETRY_SECONDS`` until the block has
    left: a tick that lands in a weakref callback or a ``__del__`` (where Python
    would swallow the exception) waits for the next, and one that SymPy catches
    is raised again.  The worker's own limit stays the guarantee.  Where there is
    no SIGALRM, or off the main thread, the block simply runs to the end.
    """
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        if not _cannot_raise_in(frame):
            raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, RETRY_SECONDS)
    try:
        yield
    finally:
        while True:  # a tick may land before the timer is off: switch it off again
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except TimeLimitExceeded:
                continue


def call_with_time_limit(function: Callable[..., T], args: tuple, seconds: float) -> T:
    """``function(*args)`` computed in a worker process; :class:`TimeLimitExceeded` after ``seconds``.

    ``function`` must be a module-level function; its result and any exception it
    raises must pickle.  The exception is re-raised here as it was raised there.
    """
    context = _context()
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_run, args=(send, function, args), daemon=True)
    worker.start()
    send.close()  # ours; the worker keeps its copy, so EOF means the worker is gone
    try:
        if not receive.poll(seconds):
            raise TimeLimitExceeded(seconds)
        try:
            status, value = receive.recv()
        except EOFError:
            raise WorkerFailed(f"the worker process ended without a result (exit code {worker.exitcode})") from None
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receive.close()
    if status == "error":
        raise value
    return value
