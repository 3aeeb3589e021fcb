"""The fuzz suites' hang guard (`fuzzing.time_limit`) counts the guarded call's own CPU time:
a busy loop is stopped, waiting and garbage collection are not counted, and nested guards keep
the outer one's clock. The meter (`fuzzing.cpu_time`) that "at once" assertions use counts the
same time, and works inside and around guards."""

from __future__ import annotations

import gc
import time
from typing import Any

import pytest

from fuzzing import CpuTime, Hang, _gc_pause, cpu_time, time_limit


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


def _full_collection() -> float:
    """The CPU seconds of one full collection of the heap as it is."""
    began = time.process_time()
    gc.collect()
    return time.process_time() - began


def test_garbage_collection_is_not_counted() -> None:
    """A full collection of a large heap, longer than the limit, does not count against the
    call it happens in (a long fuzz run's heap made such collections seconds long)."""
    heap: list[Any] = [[i] for i in range(1_000_000)]  # objects for the collector to walk
    collection = _full_collection()
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


class TestCpuTime:
    """The meter of "at once" assertions: this process's CPU time in the block, garbage
    collection left out."""

    def test_a_busy_loop_counts_and_a_sleep_of_the_same_length_does_not(self) -> None:
        """Work on the CPU is measured; waiting (the machine busy with other work) is not."""
        with cpu_time() as busy:
            _spin(0.3)
        with cpu_time() as asleep:
            time.sleep(0.3)
        assert 0.3 <= busy.seconds < 1.0
        assert asleep.seconds < 0.05 < busy.seconds - asleep.seconds

    def test_the_reading_grows_inside_the_block_and_stays_after_it(self) -> None:
        with cpu_time() as spent:
            _spin(0.05)
            during = spent.seconds
            _spin(0.05)
        after = spent.seconds
        _spin(0.05)
        assert 0.05 <= during < after == spent.seconds
        assert f"{after:.3f} s" in repr(spent)

    def test_a_forced_collection_is_left_out(self) -> None:
        """Three full collections of a large heap in the block measure less than one does
        outside it; a meter around and a meter within both leave them out."""
        heap: list[Any] = [[i] for i in range(1_000_000)]
        collection = _full_collection()
        with cpu_time() as outer:
            with cpu_time() as inner:
                gc.collect()
                gc.collect()
                gc.collect()
            _spin(0.05)
        del heap
        assert collection > 0.02  # the heap is large enough for the test to mean something
        assert inner.seconds < collection / 2
        assert 0.05 <= outer.seconds < 0.05 + collection / 2

    def test_a_meter_around_a_guard_leaves_the_guard_working(self) -> None:
        """Inside a meter, a guard still stops a busy loop after its limit, a collection still
        does not count against the guard, and the meter counts the loop."""
        heap: list[Any] = [[i] for i in range(1_000_000)]
        limit = _full_collection() / 3
        with cpu_time() as spent:
            with time_limit(limit):
                gc.collect()
                gc.collect()
            with pytest.raises(Hang), time_limit(0.2):
                _spin(5)
        del heap
        assert 0.15 < spent.seconds < 1.0

    def test_a_meter_inside_a_guard_leaves_the_guard_working(self) -> None:
        """After a metered block (with a collection in it), the guard around it still stops a
        busy loop, counting the metered block's work; the meter counted only its own block."""
        meters: list[CpuTime] = []
        collections: list[float] = []

        def metered_then_spin() -> None:
            with cpu_time() as spent:
                _spin(0.1)
                collections.append(_full_collection())
            meters.append(spent)
            _spin(5)

        began = time.process_time()
        with pytest.raises(Hang), time_limit(0.3):
            metered_then_spin()
        # The collection walks the whole test process's heap, late in a run a second or more;
        # neither the guard nor the meter counts it, so neither does this bound.
        assert 0.25 < time.process_time() - began - collections[0] < 1.5
        assert 0.1 <= meters[0].seconds < 0.25

    def test_nothing_is_left_watching_collections_after_the_blocks(self) -> None:
        """Meters and guards, nested and left by an exception, take their gc callback away."""
        watching: list[int] = []

        def nested_then_spin() -> None:
            with cpu_time(), time_limit(0.05), cpu_time():
                watching.append(gc.callbacks.count(_gc_pause))
                _spin(5)

        with pytest.raises(Hang):
            nested_then_spin()
        assert watching == [1]
        assert _gc_pause not in gc.callbacks
