"""The fuzz suites' hang guard (`fuzzing.time_limit`) counts the guarded call's own CPU time:
a busy loop is stopped, waiting and garbage collection are not counted, and nested guards keep
the outer one's clock."""

from __future__ import annotations

import gc
import time
from typing import Any

import pytest

from fuzzing import Hang, time_limit


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_busy_loop_is_stopped_after_its_cpu_time() -> None:
    began = time.process_time()
    with pytest.raises(Hang), time_limit(0.2):
        _spin(5)
    assert 0.15 < time.process_time() - began < 1.0


def test_waiting_is_not_counted() -> None:
    with time_limit(0.2):
        time.sleep(0.4)


def test_garbage_collection_is_not_counted() -> None:
    """A full collection of a large heap, longer than the limit, does not count against the
    call it happens in (a long fuzz run's heap made such collections seconds long)."""
    heap: list[Any] = [[i] for i in range(1_000_000)]  # objects for the collector to walk
    began = time.process_time()
    gc.collect()
    collection = time.process_time() - began
    limit = collection / 3  # the collection alone takes three times the limit
    with time_limit(limit):
        gc.collect()
        gc.collect()
        gc.collect()
    with pytest.raises(Hang), time_limit(limit):
        _spin(5)
    del heap


def test_an_inner_guard_leaves_the_outer_clock_running() -> None:
    """After an inner guarded call, the outer guard still stops a busy loop (it used to be
    switched off by the inner guard's exit)."""

    def inner_then_spin() -> None:
        with time_limit(1.0):
            _spin(0.1)
        _spin(5)

    began = time.process_time()
    with pytest.raises(Hang), time_limit(0.3):
        inner_then_spin()
    assert 0.25 < time.process_time() - began < 1.5
