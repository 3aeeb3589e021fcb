"""A year of calendars: expand a 52-week program for 10,000 clients and hold them all.

The program: a 52-week PHP, Monday to Friday, one 6-hour session a day at 09:00 (260 sessions a
client, 2.6 million in all). Client i starts on day i of 2026 (wrapping after a year), in
America/New_York, so every calendar crosses both DST changes. All the calendars are kept in a
list, as a scheduling service or a notebook would hold them.

Each contender runs in a fresh interpreter, so its peak resident memory (VmHWM) is its
own: the library (``expand`` per client), and the baseline, the stdlib loop of
bench_calendar.py over the same 52 weeks (zoneinfo and datetime; one tuple of the day, the aware
start and the aware end per session), which holds the same calendars as plain tuples. Both are
checked to agree for a few clients before timing.

Target: the library's peak memory stays below 1 GiB. Time and memory are reported against the
baseline in the same run.

Run: python bench/bench_year.py [--clients N] [--check]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import carecontinuum as cc
from _table import Row, all_met, render

TZ = "America/New_York"
CLIENTS = 10_000
WEEKS = 52
WEEKDAYS = (0, 1, 2, 3, 4)
HOURS = 6
FIRST_START = date(2026, 1, 1)
LIMIT_BYTES = 2**30

Session = tuple[date, datetime, datetime]


def _program() -> cc.ProgramStructure:
    return cc.ProgramStructure.weekly(
        cc.catalogs.GENERIC["PHP"],
        days=["mon", "tue", "wed", "thu", "fri"],
        hours_per_session=HOURS,
        weeks=WEEKS,
        start="09:00",
    )


def _start(client: int) -> date:
    return FIRST_START + timedelta(days=client % 365)


def library(clients: int) -> list[cc.Calendar]:
    program = _program()
    return [cc.expand(program, _start(i), TZ) for i in range(clients)]


def _utc_of_wall(wall: datetime, zone: ZoneInfo) -> datetime:
    """As bench_calendar.py: a nonexistent wall time moves forward by the gap, a repeated one
    takes the later occurrence."""
    offset = wall.replace(tzinfo=zone).utcoffset()
    later = wall.replace(tzinfo=zone, fold=1).utcoffset()
    assert offset is not None
    assert later is not None
    return (wall - min(offset, later)).replace(tzinfo=UTC)


def stdlib(clients: int) -> list[list[Session]]:
    zone = ZoneInfo(TZ)
    length = timedelta(hours=HOURS)
    calendars = []
    for i in range(clients):
        start = _start(i)
        offsets = sorted((weekday - start.weekday()) % 7 for weekday in WEEKDAYS)
        rows: list[Session] = []
        for week in range(WEEKS):
            for offset in offsets:
                day = start + timedelta(days=7 * week + offset)
                begin = _utc_of_wall(datetime(day.year, day.month, day.day, 9), zone)
                rows.append((day, begin.astimezone(zone), (begin + length).astimezone(zone)))
        calendars.append(rows)
    return calendars


def check_agreement() -> None:
    """Same days, starts and ends, for clients starting in winter, spring, summer and autumn."""
    picks = (0, 66, 180, 300)
    ours = library(max(picks) + 1)
    theirs = stdlib(max(picks) + 1)
    for i in picks:
        sessions = ours[i].sessions
        assert len(sessions) == len(theirs[i]) == WEEKS * len(WEEKDAYS)
        for s, (day, begin, end) in zip(sessions, theirs[i], strict=True):
            assert (s.day, s.start, s.end) == (day, begin, end), f"client {i}: {s} vs {begin}"


def _peak_bytes() -> int:
    """This interpreter's peak resident memory. Linux's VmHWM belongs to the process image
    (ru_maxrss would carry over the peak of the parent that started this interpreter)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def child(which: str, clients: int) -> None:
    """Run one contender in this (fresh) interpreter; print its figures as JSON."""
    run = library if which == "library" else stdlib
    before = _peak_bytes()
    started = time.perf_counter()
    held = run(clients)
    seconds = time.perf_counter() - started
    peak = _peak_bytes()
    sessions = sum(len(c) for c in held)
    print(json.dumps({"seconds": seconds, "peak": peak, "before": before,
                      "sessions": sessions}))  # fmt: skip


def _measure(which: str, clients: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", which, "--clients", str(clients)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def rows(clients: int = CLIENTS) -> list[Row]:
    """The year-of-calendars rows: time and peak memory, library against the stdlib loop."""
    check_agreement()
    ours = _measure("library", clients)
    theirs = _measure("stdlib", clients)
    assert ours["sessions"] == theirs["sessions"] == clients * WEEKS * len(WEEKDAYS)
    mib = 2**20
    ours_each = (ours["peak"] - ours["before"]) / ours["sessions"]
    theirs_each = (theirs["peak"] - theirs["before"]) / theirs["sessions"]
    what = f"{clients:,} clients x {WEEKS} weeks x 5 days"
    return [
        Row(f"expand a year ({what})", f"{ours['seconds']:.1f} s",
            f"{theirs['seconds']:.1f} s (stdlib zoneinfo loop)",
            f"{ours['seconds'] / theirs['seconds']:.2f}x", "(report)", None),
        Row("  peak memory, all calendars held", f"{ours['peak'] / mib:.0f} MiB",
            f"{theirs['peak'] / mib:.0f} MiB (stdlib tuples)",
            f"{ours['peak'] / theirs['peak']:.2f}x", "< 1024 MiB",
            ours["peak"] < LIMIT_BYTES),
        Row("  bytes per session held", f"{ours_each:.0f} B",
            f"{theirs_each:.0f} B (stdlib tuples)", "-", "(report)", None),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=CLIENTS, help="clients (one calendar each)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--child", choices=("library", "stdlib"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.clients < 1:
        parser.error("--clients must be at least 1")
    if options.child:
        child(options.child, options.clients)
        return 0
    table = rows(options.clients)
    print(render(table))
    return 1 if options.check and not all_met(table) else 0


if __name__ == "__main__":
    sys.exit(main())
