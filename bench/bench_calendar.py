"""Calendar benchmark: `expand()` for many clients against hand-written stdlib and dateutil code.

One program, built once: a 12-week PHP, Monday to Friday, one 3-hour session a day at 09:00.
Each of N clients (1,000 by default) starts it on its own day, consecutive days from 2026-01-01
(wrapping after a year), so many runs cross a DST change; the zone is America/New_York. Each
figure is one whole N-client expansion, best of several repeats, the three interleaved:

- the library: ``expand(program, start, "America/New_York")`` per client.
- stdlib: a hand-written loop with `zoneinfo` and `datetime`. For each client, week and session
  weekday: the date, the aware local start (wall time 09:00; a nonexistent time moves forward
  by the gap, a repeated one takes the later occurrence, as the library does: the two folds'
  offsets compared), the aware end (start plus 3 hours elapsed, through UTC) and the clinical
  duration, collected as tuples in a per-client list. Target: expand costs less than 2x.
- dateutil: the same weekly pattern from ``dateutil.rrule`` (WEEKLY, Monday to Friday, from the
  naive local 09:00 on the start day, count = weeks x days), each occurrence localized and
  ended the same way. Target: expand is faster (ratio below 1).

The library memoises zone offsets by wall time, and the pendulum DateTimes it reads starts and
ends as by instant; the memos are cleared before each timed run, so a run starts cold and gains
only from clients sharing dates and times within it. A last row adds reading every session's
pendulum `start` and `end` (which `expand` makes only when asked): the cost of pendulum at the
API boundary; target (issue 18): less than 1.25x the stdlib loop.

Before timing, both baselines are checked against the library (same days, same start and end
instants, same clinical time) for a spread of clients, and the baselines' DST rule against the
library's on a spring-forward and a fall-back night.

Run: python bench/bench_calendar.py [--clients N] [--repeat N] [--check]
(--check exits 1 when a target is missed.)
"""

from __future__ import annotations

import argparse
import sys
import timeit
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import (  # type: ignore[import-untyped,unused-ignore]
    FR,
    MO,
    TH,
    TU,
    WE,
    WEEKLY,
    rrule,
)

import carecontinuum as cc
from _table import Row, all_met, ratio_row, render

TZ = "America/New_York"
FIRST_START = date(2026, 1, 1)
DAYS = ("mon", "tue", "wed", "thu", "fri")
WEEKDAYS = (0, 1, 2, 3, 4)  # date.weekday() of DAYS
WEEKS = 12
AT = time(9, 0)
LENGTH = timedelta(hours=3)  # elapsed, breaks included
CLINICAL = timedelta(hours=3)  # the whole session is group therapy: no breaks
STDLIB_TARGET = 2.0
DATEUTIL_TARGET = 1.0
#: Issue 18's target for expanding and reading every start and end as pendulum.
READ_TARGET = 1.25

# (day, aware local start, aware local end, clinical duration)
SessionRow = tuple[date, datetime, datetime, timedelta]


def _starts(clients: int) -> list[date]:
    return [FIRST_START + timedelta(days=i % 365) for i in range(clients)]


def _program() -> cc.ProgramStructure:
    return cc.ProgramStructure.weekly(
        cc.catalogs.GENERIC["PHP"],
        days=list(DAYS),
        hours_per_session=3,
        weeks=WEEKS,
        start=f"{AT:%H:%M}",
    )


def _utc_of_wall(wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of a naive local wall time: a nonexistent time moves forward by the gap
    (the earlier, pre-transition offset), a repeated one takes the later occurrence."""
    offset = wall.replace(tzinfo=zone).utcoffset()
    later = wall.replace(tzinfo=zone, fold=1).utcoffset()
    assert offset is not None
    assert later is not None
    # In a gap fold=0 has the pre-transition (smaller) offset: kept, so the time moves forward.
    # In a repeated hour fold=1 (the later occurrence) has the smaller offset: taken.
    return (wall - min(offset, later)).replace(tzinfo=UTC)


# ---- the three contenders ------------------------------------------------------------------


def _cold() -> None:
    """Forget the library's memos (of zone offsets, and of the instants sessions' starts and ends
    are read as), so every timed run starts cold (within a run, clients share dates and times,
    and the memos serve them as they would in a clinic's process)."""
    from carecontinuum._calendar import _instant, _offset_us  # noqa: PLC0415 (the bench's peek)

    _offset_us.cache_clear()
    _instant.cache_clear()


def run_library(program: cc.ProgramStructure, starts: Sequence[date]) -> list[cc.Calendar]:
    _cold()
    return [cc.expand(program, start, TZ) for start in starts]


def run_library_read(
    program: cc.ProgramStructure, starts: Sequence[date]
) -> list[list[SessionRow]]:
    """The library, then every session read out as the baselines' tuples (for information:
    `expand` makes aware datetimes only when asked, the baselines make them all)."""
    _cold()
    return [
        [(s.day, s.start, s.end, s.clinical_duration) for s in cc.expand(program, start, TZ)]
        for start in starts
    ]


def run_stdlib(starts: Sequence[date]) -> list[list[SessionRow]]:
    zone = ZoneInfo(TZ)
    hour, minute = AT.hour, AT.minute
    calendars = []
    for start in starts:
        # Day offsets from the start, in order within a program week (which starts on `start`).
        offsets = sorted((weekday - start.weekday()) % 7 for weekday in WEEKDAYS)
        rows: list[SessionRow] = []
        for week in range(WEEKS):
            for offset in offsets:
                day = start + timedelta(days=7 * week + offset)
                wall = datetime(day.year, day.month, day.day, hour, minute)
                begin = _utc_of_wall(wall, zone)
                rows.append(
                    (day, begin.astimezone(zone), (begin + LENGTH).astimezone(zone), CLINICAL)
                )
        calendars.append(rows)
    return calendars


def run_dateutil(starts: Sequence[date]) -> list[list[SessionRow]]:
    zone = ZoneInfo(TZ)
    byweekday = (MO, TU, WE, TH, FR)
    count = WEEKS * len(WEEKDAYS)
    calendars = []
    for start in starts:
        rule = rrule(
            WEEKLY,
            byweekday=byweekday,
            dtstart=datetime.combine(start, AT),
            count=count,
        )
        rows: list[SessionRow] = []
        wall: datetime
        for wall in rule:
            begin = _utc_of_wall(wall, zone)
            rows.append(
                (wall.date(), begin.astimezone(zone), (begin + LENGTH).astimezone(zone), CLINICAL)
            )
        calendars.append(rows)
    return calendars


# ---- agreement, checked before timing ------------------------------------------------------


def _same(calendar: cc.Calendar, rows: list[SessionRow], who: str) -> None:
    assert len(calendar.sessions) == len(rows), f"{who}: {len(calendar)} vs {len(rows)} sessions"
    for i, (session, (day, begin, end, clinical)) in enumerate(
        zip(calendar.sessions, rows, strict=True)
    ):
        assert session.day == day, f"{who}, session {i}: day {session.day} vs {day}"
        assert session.start == begin, f"{who}, session {i}: start {session.start} vs {begin}"
        assert session.end == end, f"{who}, session {i}: end {session.end} vs {end}"
        assert session.start.utcoffset() == begin.utcoffset(), f"{who}, session {i}: offset"
        assert session.clinical_duration == clinical, f"{who}, session {i}: clinical time"


def check_agreement(program: cc.ProgramStructure, starts: Sequence[date]) -> None:
    """The three produce the same sessions for a spread of clients (DST crossings included),
    and the baselines' DST rule is the library's on the edge nights."""
    picks = sorted({*range(0, len(starts), max(1, len(starts) // 12)), 60, 66, 300, 306})
    chosen = [starts[i] for i in picks if i < len(starts)]
    ours = run_library(program, chosen)
    for name, theirs in (("stdlib", run_stdlib(chosen)), ("dateutil", run_dateutil(chosen))):
        for start, calendar, rows in zip(chosen, ours, theirs, strict=True):
            _same(calendar, rows, f"{name}, start {start}")
    offsets = {(c.sessions[0].start.utcoffset(), c.sessions[-1].start.utcoffset()) for c in ours}
    assert any(a != b for a, b in offsets), "no checked client crosses a DST change"

    # 02:30 on 8 March 2026 does not exist in New York; 01:30 on 1 November 2026 occurs twice.
    zone = ZoneInfo(TZ)
    for night, at in ((date(2026, 3, 8), "02:30"), (date(2026, 11, 1), "01:30")):
        edge = cc.ProgramStructure.weekly(
            cc.catalogs.GENERIC["PHP"], days=["sun"], hours_per_session=3, weeks=1, start=at
        )
        (session,) = cc.expand(edge, night, TZ).sessions
        wall = datetime.combine(night, time.fromisoformat(at))
        begin = _utc_of_wall(wall, zone)
        # Compared in UTC: an aware time in a repeated hour never equals one in another zone
        # (PEP 495), so `==` against the pendulum start would be False even for one instant.
        start, end = session.start.astimezone(UTC), session.end.astimezone(UTC)
        assert start == begin, f"DST rule on {night} {at}: {session.start} vs {begin}"
        assert end == begin + LENGTH, f"DST rule on {night} {at}: {session.end} vs end"


# ---- timing ----------------------------------------------------------------------------------


def best_of(functions: Sequence[Callable[[], object]], repeat: int) -> list[float]:
    """Best seconds of one call of each function, the calls interleaved so drifting load hits
    all alike. (timeit: garbage collection off while timing, as in the other benches.)"""
    timers = [timeit.Timer(function) for function in functions]
    best = [float("inf")] * len(functions)
    for _ in range(repeat):
        for i, timer in enumerate(timers):
            best[i] = min(best[i], timer.timeit(number=1))
    return best


def rows(clients: int = 1_000, repeat: int = 7) -> list[Row]:
    """The calendar's rows: expand against the stdlib loop and dateutil (agreement checked
    first), and, for information, expand plus reading every start and end."""
    program = _program()
    starts = _starts(clients)
    check_agreement(program, starts)
    sessions = sum(len(c) for c in run_library(program, starts))  # also a warm-up
    run_stdlib(starts)
    run_dateutil(starts)
    ours, stdlib, dateutil, read = best_of(
        [
            lambda: run_library(program, starts),
            lambda: run_stdlib(starts),
            lambda: run_dateutil(starts),
            lambda: run_library_read(program, starts),
        ],
        repeat,
    )
    what = f"{clients:,} clients x {WEEKS} weeks x {len(DAYS)} days"
    return [
        ratio_row(f"expand ({what})", ours, stdlib, "stdlib zoneinfo loop",
                  limit=STDLIB_TARGET, unit="ms"),
        ratio_row(f"expand ({what})", ours, dateutil, "dateutil.rrule",
                  limit=DATEUTIL_TARGET, unit="ms"),
        ratio_row("  expand + read every start/end", read, stdlib, "stdlib zoneinfo loop",
                  limit=READ_TARGET, unit="ms"),
        Row("  sessions per second", f"{sessions / ours:,.0f}",
            f"{sessions / stdlib:,.0f} (stdlib)", "-", "(report)", None),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1_000, help="clients per expansion")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each (best kept)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()
    if options.clients < 1 or options.repeat < 1:
        parser.error("--clients and --repeat must be at least 1")
    table = rows(options.clients, options.repeat)
    print(render(table))
    return 1 if options.check and not all_met(table) else 0


if __name__ == "__main__":
    sys.exit(main())
