"""Run every benchmark and print one table: the operation, the library's figure, the baseline's
figure measured in the same run, the ratio, the target and whether it is met.

The benchmarks (each also runs alone, with its own options; see its docstring):

- bench_foundation.py: `import carecontinuum` against `import attrs, pendulum`; building a
  ProgramStructure against a plain frozen attrs class (issue 2; issue 18: loading every public
  name below 1.25x, building below 1.5x).
- bench_rules.py: `validate` against ASAM3, passing and failing, against a hand-written check
  (issue 3; issue 18: below 2x).
- bench_calendar.py: `expand` for 1,000 clients x 12 weeks against a stdlib zoneinfo loop and
  dateutil.rrule (issue 4; issue 18: expand and read every start and end below 1.25x).
- bench_episodes.py: 100,000 episodes of six transitions, built, validated and held (issue 5).
- bench_dicts.py: to_dict and from_dict of 10,000 episodes against the public constructors
  (issue 14: from_dict below 2x).
- bench_sweep.py: 1,000,000 program designs classified against three rule sets in a process
  pool of 2, against hand-written hour bands (issue 7: within 60 s).
- bench_batch.py: `classify_many` over a table of 1,000,000 designs and three rule sets, in
  designs per second, against looping `classify` and the hand-written loop of bench_sweep
  (issue 16: at least 20x the loop, faster than the hand-written loop; issue 18: the loop
  within 2x of the hand-written loop).
- bench_census.py: the census of a year of 10,000 episodes against a hand-written loop over days
  and episodes (issue 16: at least 10x faster), and a simulated run of a flow model.
- bench_weeks.py: a year of claims for 2,000 clients judged in bulk (`judge_client_weeks`)
  against one `Attendance` per client and `validate` (issue 16: at least 20x faster).
- bench_year.py: a year of calendars for 10,000 clients, held at once, against the stdlib loop
  (issue 7: peak memory below 1 GiB).

Run: python bench/run.py [--quick] [--only NAME ...] [--check]
--quick runs every benchmark at a small size (a smoke run: its figures are not the targets'
sizes, and the table says so); --check exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

import bench_batch
import bench_calendar
import bench_census
import bench_dicts
import bench_episodes
import bench_foundation
import bench_rules
import bench_sweep
import bench_weeks
import bench_year
from _table import Row, all_met, render

# name -> (full run, quick run)
BENCHMARKS: dict[str, tuple[Callable[[], list[Row]], Callable[[], list[Row]]]] = {
    "foundation": (
        bench_foundation.rows,
        lambda: bench_foundation.rows(runs=3, number=2_000),
    ),
    "rules": (bench_rules.rows, lambda: bench_rules.rows(number=2_000)),
    "calendar": (bench_calendar.rows, lambda: bench_calendar.rows(clients=50, repeat=2)),
    "episodes": (bench_episodes.rows, lambda: bench_episodes.rows(count=500)),
    "dicts": (bench_dicts.rows, lambda: bench_dicts.rows(count=300, repeat=1)),
    "sweep": (bench_sweep.rows, lambda: bench_sweep.rows(designs=4_000)),
    "batch": (
        bench_batch.rows,
        lambda: bench_batch.rows(designs=20_000, sample=1_000, hand=5_000, repeat=1),
    ),
    "year": (bench_year.rows, lambda: bench_year.rows(clients=100)),
    "census": (bench_census.rows, lambda: bench_census.rows(count=300, repeat=1)),
    "weeks": (bench_weeks.rows, lambda: bench_weeks.rows(clients=60, repeat=1)),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()

    chosen = options.only or list(BENCHMARKS)
    table: list[Row] = []
    timings = []
    for name in chosen:
        full, quick = BENCHMARKS[name]
        gc.collect()  # each benchmark starts from a collected heap, whatever ran before it
        started = time.perf_counter()
        table.extend(quick() if options.quick else full())
        timings.append(f"{name} {time.perf_counter() - started:.0f} s")
    print(
        f"carecontinuum benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; Python "
        f"{platform.python_version()}, {os.cpu_count()} cores"
        + (" (QUICK: small sizes, not the targets' sizes)" if options.quick else "")
    )
    print(render(table))
    print("run times: " + ", ".join(timings))
    return 1 if options.check and not all_met(table) else 0


if __name__ == "__main__":
    sys.exit(main())
