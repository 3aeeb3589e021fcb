"""Batch classification benchmark: `classify_many` over a table of a million weekly designs and
three rule sets, against looping `classify` and against the hand-written loop of bench_sweep.

The designs are bench_sweep's grid (175,770 points, design i a pure function of i), given as a
table: a dict of column lists named as `ProgramStructure.weekly`'s arguments (level, days,
hours_per_session, weeks, population, track, start) holding the grid's own option values, as
a table built from a grid (itertools.product) does. All in one process, in the same run:

- the table read once (`DesignTable`, as the sweep how-to reads a grid for several rule sets)
  and `classify_many(table, ruleset)` for TYPICAL_IOP, ASAM3 and MEDICARE_2024 over all
  designs (the reading timed with them), and the level codes of every design (`codes()`); and,
  reported, the same with the plain table read again for each rule set;
- the per-object path: building each design and looping `classify` over the three rule sets,
  timed on a sample (20,000 designs by default) and compared in designs per second;
- bench_sweep's hand-written loop (`hand_chunk`: each design built, placed by hand-written hour
  bands), timed on a sample (200,000 designs by default).

Targets: classify_many at least 20x the classify loop's designs per second, and faster than
the hand-written loop; and (issue 18) the classify loop itself, per object, within 2x of the
hand-written loop's time per design. Each figure is the median of `--repeat` runs (the
machine is shared); the classify loop and the hand-written loop take turns, round by round, so
that drifting load hits both alike. Before timing, classify_many's answers are checked against
`classify` on a sample.

Run: python bench/bench_batch.py [--designs N] [--sample N] [--hand N] [--repeat N] [--check]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from typing import Any

import bench_sweep
import carecontinuum as cc
from _table import Row
from carecontinuum import rulesets
from carecontinuum.catalogs import GENERIC

DESIGNS = 1_000_000
SAMPLE = 20_000
HAND = 200_000
TARGET_VS_LOOP = 20.0
#: Issue 18: classify per object within 2x of the hand-written loop (its time per design).
PER_OBJECT_TARGET = 2.0
RULESETS = bench_sweep.RULESETS


def table(designs: int) -> dict[str, list[Any]]:
    """bench_sweep's designs 0..designs-1 as a table of weekly designs (column lists)."""
    columns: dict[str, list[Any]] = {
        name: []
        for name in ("level", "days", "hours_per_session", "weeks", "population", "track", "start")
    }
    grid = bench_sweep.GRID
    for i in range(designs):
        point = i * bench_sweep._SCRAMBLE % grid
        digits = []
        for radix in bench_sweep._RADICES:
            point, digit = divmod(point, radix)
            digits.append(digit)
        level, population, track, days, quarters, start, weeks = digits
        columns["level"].append(GENERIC[bench_sweep._LEVELS[level]])
        columns["days"].append(bench_sweep._DAYS[days])
        columns["hours_per_session"].append(bench_sweep._QUARTER_HOURS[quarters] / 4)
        columns["weeks"].append(bench_sweep._WEEKS[weeks])
        columns["population"].append(bench_sweep._POPULATIONS[population].value)
        columns["track"].append(bench_sweep._TRACKS[track].value)
        columns["start"].append(bench_sweep._STARTS[start])
    return columns


def batch(designs: dict[str, list[Any]], *, once: bool = True) -> dict[str, Counter[str]]:
    """classify_many for each rule set over the table read once (a `DesignTable`, as the
    sweep how-to reads a grid for several sets), or read again for each set (`once` False);
    the count of designs at each first level ("-" for none), as bench_sweep counts."""
    read: Any = cc.DesignTable(designs) if once else designs
    counts = {}
    for name in RULESETS:
        codes = cc.classify_many(read, getattr(rulesets, name)).codes()
        counts[name] = Counter(c[0] if c else "-" for c in codes)
    return counts


def check(designs: dict[str, list[Any]], sample: int = 2_000) -> None:
    """Before timing: classify_many agrees with classify, design by design, on a sample."""
    rows = {k: v[:sample] for k, v in designs.items()}
    for name in RULESETS:
        ruleset = getattr(rulesets, name)
        placed = cc.classify_many(rows, ruleset)
        expected = [cc.classify(bench_sweep.design(i), ruleset) for i in range(sample)]
        assert list(placed) == expected, f"classify_many disagrees with classify under {name}"


def _median(runs: int, work: Any) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _interleaved(runs: int, *works: Any) -> list[float]:
    """The median seconds of each work over `runs` rounds, the works taking turns in each round
    so that drifting load hits them alike (the per-object ratio compares two of them)."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for spent, work in zip(times, works, strict=True):
            started = time.perf_counter()
            work()
            spent.append(time.perf_counter() - started)
    return [statistics.median(spent) for spent in times]


def measure(
    designs: int = DESIGNS, sample: int = SAMPLE, hand: int = HAND, repeat: int = 3
) -> dict[str, float]:
    """Designs per second of classify_many, the classify loop and the hand-written loop."""
    columns = table(designs)
    check(columns)
    ours = _median(repeat, lambda: batch(columns))
    again = _median(repeat, lambda: batch(columns, once=False))
    loop, handed = _interleaved(
        repeat,
        lambda: bench_sweep.classify_chunk(0, sample),
        lambda: bench_sweep.hand_chunk(0, hand),
    )
    return {
        "designs": designs,
        "batch": designs / ours,
        "batch_seconds": ours,
        "batch_each": designs / again,
        "loop": sample / loop,
        "hand": hand / handed,
    }


def rows(
    designs: int = DESIGNS, sample: int = SAMPLE, hand: int = HAND, repeat: int = 3
) -> list[Row]:
    """The batch rows: classify_many against the classify loop and the hand-written loop."""
    f = measure(designs, sample, hand, repeat)
    what = f"{designs:,} designs x {len(RULESETS)} rule sets, 1 process"
    vs_loop = f["batch"] / f["loop"]
    vs_hand = f["batch"] / f["hand"]
    return [
        Row(f"classify_many ({what}), designs/s", f"{f['batch']:,.0f}",
            f"{f['loop']:,.0f} (classify loop)", f"{vs_loop:.1f}x",
            f">= {TARGET_VS_LOOP:g}x", vs_loop >= TARGET_VS_LOOP),
        Row("  against the hand-written loop, designs/s", f"{f['batch']:,.0f}",
            f"{f['hand']:,.0f} (hand-written bands)", f"{vs_hand:.1f}x", "> 1x", vs_hand > 1),
        Row("classify per object (the loop) against the hand-written loop, designs/s",
            f"{f['loop']:,.0f}", f"{f['hand']:,.0f} (hand-written bands)",
            f"{f['hand'] / f['loop']:.1f}x", f"< {PER_OBJECT_TARGET:g}x",
            f["hand"] / f["loop"] < PER_OBJECT_TARGET),
        Row("  the table read again for each rule set, designs/s", f"{f['batch_each']:,.0f}",
            f"{f['loop']:,.0f} (classify loop)", f"{f['batch_each'] / f['loop']:.1f}x",
            "(report)", None),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", type=int, default=DESIGNS, help="designs in the table")
    parser.add_argument("--sample", type=int, default=SAMPLE, help="designs the loop classifies")
    parser.add_argument("--hand", type=int, default=HAND, help="designs the hand loop places")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()
    for name in ("designs", "sample", "hand", "repeat"):
        if getattr(options, name) < 1:
            parser.error(f"--{name} must be at least 1")
    f = measure(options.designs, options.sample, options.hand, options.repeat)
    vs_loop, vs_hand = f["batch"] / f["loop"], f["batch"] / f["hand"]
    print(f"{options.designs:,} designs x {len(RULESETS)} rule sets, 1 process, "
          f"median of {options.repeat}")  # fmt: skip
    print(f"classify_many      {f['batch_seconds']:8.2f} s   ({f['batch']:,.0f} designs/s)")
    print(f"classify loop      {f['loop']:12,.0f} designs/s   batch is {vs_loop:.1f}x "
          f"(target >= {TARGET_VS_LOOP:g}x)")  # fmt: skip
    print(f"hand-written loop  {f['hand']:12,.0f} designs/s   batch is {vs_hand:.1f}x "
          "(target > 1x)")  # fmt: skip
    print(f"read for each set  {f['batch_each']:12,.0f} designs/s   "
          f"{f['batch_each'] / f['loop']:.1f}x the classify loop (reported)")  # fmt: skip
    met = vs_loop >= TARGET_VS_LOOP and vs_hand > 1
    print(f"targets met: {'yes' if met else 'NO'}")
    return 1 if options.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
