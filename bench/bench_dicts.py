"""Plain-data benchmark: `to_dict` and `from_dict` of many episodes, against building the same
episodes through the public constructors in the same run (issue 14).

The episodes are bench_episodes' journeys (detox, five steps down, a relapse step up resting on
a dated assessment, a discharge with a referral: seven stays). The baseline builds each one as
code that already holds the values would: `Assessment`, seven `Stay`s, a `Discharge` and the
`Episode`, from levels, dates and strings, through the constructors (and their checks) that
`from_dict` also ends in. `from_dict` reads each episode's dict without being told the class
(the ``"type"`` key names it), so it does what a reader of a file or a request does: checks the
data's size and nesting, reads every key, builds through the same constructors.

Before timing, each episode read back is checked equal to the one written, and the baseline's
episodes equal to the operations' ones. Run: python bench/bench_dicts.py [--episodes N]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import bench_episodes
import carecontinuum as cc
from _table import Row, ratio_row, render

#: The issue's target: reading an episode costs less than twice building it in code.
FROM_DICT_LIMIT = 2.0


def _parts(episode: cc.Episode) -> tuple[Any, ...]:
    """What code holding the values passes to the constructors: plain values, no library
    objects but the catalog's levels (held as code holds them) and the continuum."""
    stays = tuple(
        (
            s.level,
            date(s.start.year, s.start.month, s.start.day),
            None if s.end is None else date(s.end.year, s.end.month, s.end.day),
            s.reason,
            None
            if s.assessment is None
            else (s.assessment.scheme, dict(s.assessment.ratings), s.assessment.on),
        )
        for s in episode.stays
    )
    out = episode.discharge_record
    assert out is not None, "every bench episode is discharged"
    return (
        episode.client_id,
        episode.continuum,
        stays,
        (out.on, out.reason.value, out.referred_to),
    )


def construct(parts: tuple[Any, ...]) -> cc.Episode:
    """An episode through the public constructors, from `_parts`."""
    client_id, continuum, stays, (on, reason, referred_to) = parts
    return cc.Episode(
        client_id,
        continuum,
        [
            cc.Stay(
                level,
                start,
                end,
                reason=why,
                assessment=None if rated is None else cc.Assessment(*rated),
            )
            for level, start, end, why, rated in stays
        ],
        discharge=cc.Discharge(on, reason, referred_to=referred_to),
    )


def _once(work: Callable[[], object]) -> float:
    """One run of `work`, in seconds, with the collector off while timed."""
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        work()
        return time.perf_counter() - started
    finally:
        gc.enable()


def _best(works: list[Callable[[], object]], repeat: int) -> list[float]:
    """The fastest of `repeat` runs of each of `works`, the runs taken in turn (one of each,
    then again), so that the machine's speed, which drifts on a shared host, weighs on each
    alike."""
    best = [float("inf")] * len(works)
    for _ in range(repeat):
        for i, work in enumerate(works):
            best[i] = min(best[i], _once(work))
    return best


def rows(count: int = 10_000, repeat: int = 5) -> list[Row]:
    """to_dict and from_dict of `count` episodes, each against the constructors' time."""
    episodes = bench_episodes.build(count)
    parts = [_parts(e) for e in episodes]
    data = [cc.to_dict(e) for e in episodes]
    # Agreement before timing: the baseline builds the same values, and they read back whole.
    assert [construct(p) for p in parts] == episodes, "the constructors build other episodes"
    assert [cc.from_dict(d) for d in data] == episodes, "from_dict reads other episodes"

    built, written, read = (
        seconds / count
        for seconds in _best(
            [
                lambda: [construct(p) for p in parts],
                lambda: [cc.to_dict(e) for e in episodes],
                lambda: [cc.from_dict(d) for d in data],
            ],
            repeat,
        )
    )
    what = f"{count:,} episodes of 7 stays"
    return [
        ratio_row(f"to_dict ({what})", written, built, "constructors", limit=None),
        ratio_row(f"from_dict ({what})", read, built, "constructors", limit=FROM_DICT_LIMIT),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=10_000, help="episodes to convert")
    options = parser.parse_args()
    print(render(rows(options.episodes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
