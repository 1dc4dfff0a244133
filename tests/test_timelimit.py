"""The in-process time limit stops a block even when its first interrupt would be swallowed."""

from __future__ import annotations

import time
import weakref

import pytest

from derive.custom.timelimit import TimeLimitExceeded, interrupt_after


def busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


class SlowToDelete:
    def __del__(self) -> None:
        busy(0.3)


def test_an_interrupt_due_inside_del_waits_for_the_block() -> None:
    """An exception raised in ``__del__`` is printed and dropped by Python; the interrupt lands after it."""
    start = time.perf_counter()
    with pytest.raises(TimeLimitExceeded):
        with interrupt_after(0.1):
            obj = SlowToDelete()
            del obj  # the limit passes in here
            busy(10)
    assert time.perf_counter() - start < 5


def test_an_interrupt_due_inside_a_weakref_callback_waits_for_the_block() -> None:
    """A WeakKeyDictionary's clean-up runs as a weakref callback: where SymPy's proof lost its interrupt."""

    class Key:
        pass

    table = weakref.WeakKeyDictionary()
    start = time.perf_counter()
    with pytest.raises(TimeLimitExceeded):
        with interrupt_after(0.05):
            for _ in range(10**8):
                table[Key()] = 1  # each key dies at once: its callback runs
    assert time.perf_counter() - start < 5


def test_an_interrupt_that_is_caught_is_raised_again() -> None:
    start = time.perf_counter()
    with pytest.raises(TimeLimitExceeded):
        with interrupt_after(0.05):
            try:
                busy(10)
            except TimeLimitExceeded:  # code inside that catches too broadly
                pass
            busy(10)
    assert time.perf_counter() - start < 5


def test_a_block_that_ends_in_time_leaves_no_timer() -> None:
    with interrupt_after(0.05):
        pass
    busy(0.2)  # no stray interrupt after the block
