"""Census benchmark: the census of a year from many episodes, against the loop an analyst writes
by hand (for each day, for each episode, `level_on`), and a simulated run of a flow model.

The episodes are bench_episodes' journeys (detox to recovery support, a relapse to IOP, a
discharge: seven stays each), admitted over a year. `census` does work in proportion to the
stays plus days x levels; the hand-written loop in proportion to days x episodes. Both counts
are checked equal before timing. The flow model is a step-down pathway (PHP, IOP, OP) run for
three years after a year's warm-up (no baseline: the figure is reported).

Run: python bench/bench_census.py [--episodes N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

import bench_episodes
import carecontinuum as cc
from _table import Row, ratio_row, render
from carecontinuum.catalogs import GENERIC

_START = date(2026, 1, 5)
_END = date(2026, 12, 31)


def by_hand(episodes: list[cc.Episode], start: date, end: date) -> list[dict[str, int]]:
    """For each day, the clients of each level: the loop over days and episodes."""
    days = []
    day = start
    while day <= end:
        counts: dict[str, int] = {}
        for episode in episodes:
            level = episode.level_on(day)
            if level is not None:
                counts[level.code] = counts.get(level.code, 0) + 1
        days.append(counts)
        day += timedelta(days=1)
    return days


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def rows(count: int = 10_000, repeat: int = 3) -> list[Row]:
    """The census rows: the census of a year against the hand-written loop (target: at least
    10x faster), and three simulated years of a pathway (reported)."""
    episodes = bench_episodes.build(count)
    census = cc.census(episodes, _START, _END)
    expected = by_hand(episodes, _START, _END)
    for day, counts in zip(census.days, expected, strict=True):
        found = {level.code: n for level, n in census.on(day).items() if n}
        assert found == counts, f"census and the hand-written count differ on {day}"
    ours = _best(lambda: cc.census(episodes, _START, _END), repeat)
    theirs = _best(lambda: by_hand(episodes, _START, _END), 1)
    pathway = cc.FlowModel(
        GENERIC,
        admissions={"PHP": 1.2, "IOP": 0.6},
        length_of_stay={"PHP": 14, "IOP": 35, "OP": 60},
        moves={"PHP": {"IOP": 0.75, None: 0.25}, "IOP": {"OP": 0.6, "PHP": 0.1, None: 0.3}},
    )
    simulated = _best(lambda: pathway.simulate(3 * 365, seed=1, warm_up=365), repeat)
    days = len(census.days)
    return [
        ratio_row(f"census of {days} days ({count:,} episodes)", ours, theirs,
                  "per-day level_on loop", limit=0.1, unit="ms"),
        Row("simulate a flow model (3 years, 3 levels)", f"{simulated * 1e3:.0f} ms", "-", "-",
            "(report)", None),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=10_000, help="episodes to count")
    options = parser.parse_args()
    print(render(rows(options.episodes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
