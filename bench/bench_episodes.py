"""Episode benchmark: build many episodes of six transitions each, validate them, and report
the time per episode and the peak memory.

Each episode is the journey the domain notes describe, shifted by a day per client: admitted to
detox, five steps down to recovery support, one relapse step up to IOP (resting on a dated
assessment), then discharged with a referral. That is six transitions. The whole set is kept in
memory (as a clinic's analysis would hold it), then each episode is validated against
EPISODE_RULES. Peak memory comes from `tracemalloc` (Python allocations, measured in a separate
pass so the tracing does not slow the timed ones).

There is no baseline: the issue asks that this fits in memory without surprise and for both
figures. Run: python bench/bench_episodes.py [--episodes N]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from datetime import date, timedelta

import carecontinuum as cc
from _table import Row, render
from carecontinuum import rulesets
from carecontinuum.catalogs import GENERIC

_STEPS = (
    ("RESIDENTIAL", 5, "withdrawal complete"),
    ("PHP", 35, "stable"),
    ("IOP", 56, "stable"),
    ("OP", 112, "goals met"),
    ("RECOVERY", 168, "goals met"),
)


_RATINGS = {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1}


def _assessed(on: date) -> cc.Assessment:
    """A reassessment on `on` (the step-up rule reads its date)."""
    return cc.Assessment("ASAM3", _RATINGS, on)


def build(count: int) -> list[cc.Episode]:
    """`count` episodes of six transitions each, admitted on successive days."""
    first = date(2026, 1, 5)
    episodes = []
    for client in range(count):
        admitted = first + timedelta(days=client % 365)
        episode = cc.Episode.admit(f"c-{client}", "DETOX", admitted, continuum=GENERIC)
        for code, offset, reason in _STEPS:
            episode = episode.step_to(code, admitted + timedelta(days=offset), reason)
        relapse = admitted + timedelta(days=200)
        episode = episode.step_to("IOP", relapse, "relapse", assessment=_assessed(relapse))
        episode = episode.discharge(
            admitted + timedelta(days=256),
            cc.DischargeReason.COMPLETED,
            referred_to=GENERIC["RECOVERY"],
        )
        episodes.append(episode)
    return episodes


def validate_all(episodes: list[cc.Episode]) -> int:
    """Validate every episode; return how many are not ok (0 expected)."""
    return sum(not cc.validate(e, rulesets.EPISODE_RULES).ok for e in episodes)


def rows(count: int = 100_000) -> list[Row]:
    """The episodes' rows: build and validate time per episode, and the peak memory of the
    whole set held at once (no baseline: the issue asks for the figures)."""
    started = time.perf_counter()
    episodes = build(count)
    built = time.perf_counter()
    failing = validate_all(episodes)
    validated = time.perf_counter()
    assert len(episodes[0].transitions) == 6, "each episode has six transitions"
    assert failing == 0, f"{failing} episodes fail EPISODE_RULES"
    del episodes

    tracemalloc.start()
    held = build(count)
    validate_all(held)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del held

    what = f"{count:,} episodes x 6 transitions"
    return [
        Row(f"build {what}", f"{(built - started) / count * 1e6:.1f} us/episode",
            "-", "-", "(report)", None),
        Row(f"validate {what} (EPISODE_RULES)",
            f"{(validated - built) / count * 1e6:.1f} us/episode", "-", "-", "(report)", None),
        Row("  peak memory, all held (tracemalloc)", f"{peak / 2**20:.0f} MiB",
            "-", "-", "(report)", None),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000, help="episodes to build")
    options = parser.parse_args()
    print(render(rows(options.episodes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
