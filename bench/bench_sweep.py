"""Design sweep benchmark: classify a million generated program designs against three rule sets.

A notebook-style sweep: every design is built with `ProgramStructure.weekly` from a point of a
grid of parameters and classified with `classify` against TYPICAL_IOP, ASAM3 and MEDICARE_2024;
the sweep counts, per rule set, how many designs land at each level (or at none). Design i is a
pure function of i (a mixed-radix decode of a scrambled index), so worker processes generate
their own designs and return only counts: nothing but integers crosses a process boundary.

The grid (175,770 points, each visited about 5.7 times in a million): the generic level (OP,
IOP, PHP), population (adult, adolescent), track (substance use, mental health, co-occurring),
the days of the week (7 patterns of 1 to 6 days), the session length (0.5 to 8 hours in
quarter hours: 31 lengths), the start (08:00, 12:00, 15:30), and the length in weeks (1-12;
a fifth of the designs use a range, 4-12, 6-12 or 4-8 weeks, as some programs advertise).
Classification is done through the public API, one design at a time: the cheapest correct
path is the library's own (the figures computed once per design per rule set, levels rejected
at their first ERROR, finding text never written for the rejected levels).

The baseline, in the same run and the same process pool: a hand-written classifier of the same
designs by weekly clinical hours alone (the bands of the three rule sets, written by hand),
which builds the same designs. Target: the library's sweep of 1,000,000 designs finishes within
60 s on this machine (2 cores, a process pool of 2).

Run: python bench/bench_sweep.py [--designs N] [--processes N] [--check]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor

import carecontinuum as cc
from _table import Row
from carecontinuum import rulesets
from carecontinuum.catalogs import GENERIC

TARGET_SECONDS = 60.0
DESIGNS = 1_000_000
RULESETS = ("TYPICAL_IOP", "ASAM3", "MEDICARE_2024")

_LEVELS = ("OP", "IOP", "PHP")
_POPULATIONS = (cc.Population.ADULT, cc.Population.ADOLESCENT)
_TRACKS = (cc.Track.SUBSTANCE_USE, cc.Track.MENTAL_HEALTH, cc.Track.CO_OCCURRING)
_DAYS = (
    ("wed",),
    ("tue", "thu"),
    ("mon", "wed", "fri"),
    ("mon", "tue", "thu"),
    ("mon", "tue", "wed", "thu"),
    ("mon", "tue", "wed", "thu", "fri"),
    ("mon", "tue", "wed", "thu", "fri", "sat"),
)
_QUARTER_HOURS = tuple(range(2, 33))  # 0.5 to 8 hours
_STARTS = ("08:00", "12:00", "15:30")
_WEEKS: tuple[int | tuple[int, int], ...] = (*range(1, 13), (4, 12), (6, 12), (4, 8))
_RADICES = (
    len(_LEVELS),
    len(_POPULATIONS),
    len(_TRACKS),
    len(_DAYS),
    len(_QUARTER_HOURS),
    len(_STARTS),
    len(_WEEKS),
)
GRID = 1
for _radix in _RADICES:
    GRID *= _radix
_SCRAMBLE = 1_000_003  # a prime, so i -> i * _SCRAMBLE % GRID visits the grid evenly


def design(i: int) -> cc.ProgramStructure:
    """Design number `i`: a point of the grid."""
    point = i * _SCRAMBLE % GRID
    digits = []
    for radix in _RADICES:
        point, digit = divmod(point, radix)
        digits.append(digit)
    level, population, track, days, quarters, start, weeks = digits
    return cc.ProgramStructure.weekly(
        GENERIC[_LEVELS[level]],
        days=_DAYS[days],
        hours_per_session=_QUARTER_HOURS[quarters] / 4,
        weeks=_WEEKS[weeks],
        population=_POPULATIONS[population],
        track=_TRACKS[track],
        start=_STARTS[start],
    )


def classify_chunk(first: int, last: int) -> dict[str, Counter[str]]:
    """Classify designs first..last-1 against the three rule sets; count the levels."""
    chosen = [(name, getattr(rulesets, name)) for name in RULESETS]
    counts: dict[str, Counter[str]] = {name: Counter() for name in RULESETS}
    for i in range(first, last):
        program = design(i)
        for name, ruleset in chosen:
            levels = cc.classify(program, ruleset)
            counts[name][levels[0].level.code if levels else "-"] += 1
    return counts


# Weekly-hours bands of the three rule sets, written by hand: (rule set, level, floor, top).
_HAND_BANDS = (
    ("TYPICAL_IOP", "OP", 0.0, 9.0),
    ("TYPICAL_IOP", "IOP", 9.0, 20.0),
    ("TYPICAL_IOP", "PHP", 20.0, float("inf")),
    ("ASAM3", "1", 0.0, 9.0),
    ("ASAM3", "2.1", 9.0, 20.0),
    ("ASAM3", "2.5", 20.0, float("inf")),
    ("MEDICARE_2024", "IOP", 9.0, 20.0),
    ("MEDICARE_2024", "PHP", 20.0, float("inf")),
)


def hand_chunk(first: int, last: int) -> dict[str, Counter[str]]:
    """The baseline: the same designs, placed by weekly clinical hours alone."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in RULESETS}
    for i in range(first, last):
        program = design(i)
        hours = sum(s._clinical_us for s in program.sessions) / 3_600_000_000
        for name in RULESETS:
            level = next(
                (lvl for rs, lvl, low, top in _HAND_BANDS if rs == name and low <= hours < top),
                "-",
            )
            counts[name][level] += 1
    return counts


def _chunks(designs: int, size: int) -> Iterable[tuple[int, int]]:
    return ((first, min(first + size, designs)) for first in range(0, designs, size))


def sweep(
    work: Callable[[int, int], dict[str, Counter[str]]], designs: int, processes: int
) -> tuple[float, dict[str, Counter[str]]]:
    """Run `work` over all designs in a pool; (seconds, merged counts). The pool is started
    (and its workers have imported carecontinuum) before the clock starts, as in a notebook
    whose pool is already up."""
    totals: dict[str, Counter[str]] = {name: Counter() for name in RULESETS}
    chunk = max(1, min(20_000, designs // (processes * 8) or 1))
    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(work, range(processes), [0] * processes))  # start the workers
        started = time.perf_counter()
        firsts, lasts = zip(*_chunks(designs, chunk), strict=True)
        for counts in pool.map(work, firsts, lasts):
            for name, counter in counts.items():
                totals[name].update(counter)
        seconds = time.perf_counter() - started
    return seconds, totals


def check_sample() -> None:
    """Before timing: the sweep's classification agrees with validate at each level (classify's
    definition) for a spread of designs."""
    for i in range(0, 3_000, 37):
        program = design(i)
        for name in RULESETS:
            ruleset = getattr(rulesets, name)
            intensity = {r.id for r in ruleset if "intensity" in r.tags}
            expected = [
                level
                for level in ruleset.levels(tag="intensity")
                if level.is_outpatient == program.level.is_outpatient
                and (report := cc.validate(program, ruleset, as_level=level)).ok
                and intensity & set(report.applied)
            ]
            got = [c.level for c in cc.classify(program, ruleset)]
            assert got == expected, f"design {i} under {name}: {got} != {expected}"


def measure(designs: int = DESIGNS, processes: int | None = None) -> dict[str, object]:
    """Time the library's sweep and the hand-written one; the figures for the table."""
    processes = processes or min(2, os.cpu_count() or 1)
    check_sample()
    hand, _ = sweep(hand_chunk, designs, processes)
    ours, counts = sweep(classify_chunk, designs, processes)
    return {
        "designs": designs,
        "processes": processes,
        "library": ours,
        "baseline": hand,
        "counts": counts,
        "target": TARGET_SECONDS * designs / DESIGNS,
    }


def rows(designs: int = DESIGNS, processes: int | None = None) -> list[Row]:
    """The sweep's rows: the library's sweep against the hand-written bands, and its target."""
    figures = measure(designs, processes)
    ours, hand, target = figures["library"], figures["baseline"], figures["target"]
    assert isinstance(ours, float)
    assert isinstance(hand, float)
    assert isinstance(target, float)
    what = f"{designs:,} designs x {len(RULESETS)} rule sets, {figures['processes']} processes"
    return [
        Row(f"classify sweep ({what})", f"{ours:.1f} s",
            f"{hand:.1f} s (hand-written hour bands)", f"{ours / hand:.2f}x",
            f"<= {target:g} s", ours <= target),
        Row("  designs classified per second", f"{designs / ours:,.0f}",
            f"{designs / hand:,.0f}", "-", "(report)", None),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", type=int, default=DESIGNS, help="designs to classify")
    parser.add_argument("--processes", type=int, default=None, help="pool size (default 2)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    options = parser.parse_args()
    if options.designs < 1:
        parser.error("--designs must be at least 1")
    figures = measure(options.designs, options.processes)
    ours, hand, target = figures["library"], figures["baseline"], figures["target"]
    assert isinstance(ours, float)
    assert isinstance(hand, float)
    assert isinstance(target, float)
    print(
        f"{options.designs:,} designs x {len(RULESETS)} rule sets, "
        f"{figures['processes']} processes (grid of {GRID:,} points)"
    )
    print(f"classify sweep     {ours:8.1f} s   ({options.designs / ours:,.0f} designs/s)")
    print(f"hand-written bands {hand:8.1f} s   ratio {ours / hand:.2f}x")
    print(f"target             {target:8.1f} s   met: {'yes' if ours <= target else 'NO'}")
    counts = figures["counts"]
    assert isinstance(counts, dict)
    for name, counter in counts.items():
        print(f"  {name:<14}", ", ".join(f"{k}: {v:,}" for k, v in sorted(counter.items())))
    return 1 if options.check and ours > target else 0


if __name__ == "__main__":
    sys.exit(main())
