"""Client-weeks benchmark: a payer's utilization review of a year of claims, judged in bulk.

2,000 clients on three IOP programs (four evenings of 3 hours; three mornings of 4 hours; four
days of 3.25 hours with a 15-minute break), 52 weeks each from Monday 2026-01-05 in New York:
a claims table of about 390,000 rows, as a pandas DataFrame with typed columns (present 90%,
absent 4%, excused 3%, partial 3% with half the session attended; an extra individual hour
after about one Monday or Tuesday session in twenty). The rules: ASAM3, TYPICAL_IOP and an
attendance goal of 90%, as one rule set (weekly hours bands, typical hours, sessions a week,
attendance rate): a finding in about one client-week in four.

The library: `judge_client_weeks(claims, schedule, rules)` and every finding's message read.
The baseline, in the same run: one `Attendance` per client built from the same rows (as
Python lists) with the public constructors (`AttendanceRecord`, `Attendance`), its
`by_week()`, and `validate` with every finding's message read. Before timing, the two agree
client by client (weeks and findings) on the first 100 clients. Each time is the median of
`--repeat` runs (3 by default), the two paths run in turn. Target: the bulk path at least 20x
faster. Reports client-weeks per second.

Run: python bench/bench_weeks.py [--clients N] [--repeat N] [--check]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from typing import Any

import pandas as pd  # type: ignore[import-untyped]
import pendulum

import carecontinuum as cc
from _table import Row
from carecontinuum import rulesets
from carecontinuum.catalogs import GENERIC

CLIENTS = 2_000
WEEKS = 52
TARGET = 20.0
_SOURCE = cc.Source("Bench payer")


def _calendars() -> list[cc.Calendar]:
    iop = GENERIC["IOP"]
    evening = cc.ProgramStructure.weekly(
        iop, days=["mon", "tue", "wed", "thu"], hours_per_session=3, weeks=WEEKS, start="18:00"
    )
    morning = cc.ProgramStructure.weekly(
        iop, days=["mon", "wed", "fri"], hours_per_session=4, weeks=WEEKS, start="09:00"
    )
    hour = pendulum.duration(hours=1)
    parts = [
        cc.Segment(cc.Service.GROUP_THERAPY, hour * 1.5),
        cc.Segment(cc.Service.BREAK, hour / 4),
        cc.Segment(cc.Service.PSYCHOEDUCATION, hour * 1.5),
    ]
    four = cc.ProgramStructure.weekly(
        iop, days=["mon", "tue", "thu", "fri"], hours_per_session=3.25, weeks=WEEKS,
        start="10:00", services=parts,
    )  # fmt: skip
    start = pendulum.date(2026, 1, 5)
    return [cc.expand(p, start, "America/New_York") for p in (evening, morning, four)]


def _rules() -> cc.RuleSet:
    goal = cc.RuleSet(
        "PAYER-GOAL", "1",
        [rulesets.attendance_rate("PAYER-ATTEND", "90% attendance", source=_SOURCE,
                                  at_least=0.9)],
    )  # fmt: skip
    return rulesets.ASAM3 | rulesets.TYPICAL_IOP | goal


def claims(clients: int, seed: int = 16) -> tuple[dict[str, list[Any]], dict[str, cc.Calendar]]:
    """The claims table (a dict of columns) and each client's calendar."""
    rng = random.Random(seed)
    calendars = _calendars()
    table: dict[str, list[Any]] = {
        name: [] for name in ("client", "start", "end", "status", "attended_hours", "extra")
    }
    schedule = {}
    for c in range(clients):
        client = f"client-{c:05d}"
        calendar = calendars[c % len(calendars)]
        schedule[client] = calendar
        for session in calendar.sessions:
            draw = rng.random()
            status = (
                "present" if draw < 0.9 else "absent" if draw < 0.94
                else "excused" if draw < 0.97 else "partial"
            )  # fmt: skip
            hours = (
                session.clinical_duration.total_seconds() / 7200 if status == "partial" else None
            )
            table["client"].append(client)
            table["start"].append(session.start)
            table["end"].append(None)
            table["status"].append(status)
            table["attended_hours"].append(hours)
            table["extra"].append(False)
            if session.session.weekday.value in (0, 1) and rng.random() < 0.05:
                at = session.start.add(days=1).set(hour=13, minute=0)
                table["client"].append(client)
                table["start"].append(at)
                table["end"].append(at.add(hours=1))
                table["status"].append("present")
                table["attended_hours"].append(None)
                table["extra"].append(True)
    return table, schedule


def per_client(
    table: dict[str, list[Any]], schedule: dict[str, cc.Calendar], rules: cc.RuleSet
) -> dict[str, tuple[tuple[cc.WeekDelivery, ...], tuple[cc.Finding, ...]]]:
    """The baseline: one Attendance per client with the public constructors, and validate."""
    rows: dict[str, list[int]] = {}
    for i, client in enumerate(table["client"]):
        rows.setdefault(client, []).append(i)
    out = {}
    for client, mine in rows.items():
        calendar = schedule[client]
        by_start = {s.start: s for s in calendar.sessions}
        records = []
        for i in mine:
            status = table["status"][i]
            hours = table["attended_hours"][i]
            attended = None if hours is None else timedelta(hours=hours)
            if table["extra"][i]:
                records.append(
                    cc.AttendanceRecord.extra(
                        table["start"][i], table["end"][i], status=status, attended=attended
                    )
                )
            else:
                session = by_start[table["start"][i]]
                records.append(cc.AttendanceRecord(session, status, attended=attended))
        attendance = cc.Attendance(calendar, records, client_id=client)
        findings = cc.validate(attendance, rules).findings
        for finding in findings:
            assert finding.message
        out[client] = (attendance.by_week(), findings)
    return out


def frame_of(table: dict[str, list[Any]]) -> pd.DataFrame:
    """The claims as an analyst holds them: a pandas DataFrame with typed columns."""
    frame = pd.DataFrame(table)
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def bulk(frame: Any, schedule: dict[str, cc.Calendar], rules: cc.RuleSet) -> cc.ClientWeeks:
    """The library: every client judged at once, and every finding's message read."""
    judged = cc.judge_client_weeks(frame, schedule, rules)
    for client in judged.clients:
        for finding in judged.findings(client):
            assert finding.message
    return judged


def measure(clients: int = CLIENTS, repeat: int = 3) -> dict[str, float]:
    table, schedule = claims(clients)
    rules = _rules()
    # Agreement first, on the first clients: the same weeks and findings.
    few = min(clients, 100)
    head = {name: values[: sum(1 for c in table["client"] if int(c[-5:]) < few)]
            for name, values in table.items()}  # fmt: skip
    judged = bulk(frame_of(head), schedule, rules)
    for client, (weeks, findings) in per_client(head, schedule, rules).items():
        assert judged.weeks(client) == weeks, client
        assert judged.findings(client) == findings, client
    frame = frame_of(table)
    ours_runs, theirs_runs = [], []
    for _ in range(repeat):  # interleaved, so drifting load hits both alike
        started = time.perf_counter()
        judged = bulk(frame, schedule, rules)
        ours_runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        per_client(table, schedule, rules)
        theirs_runs.append(time.perf_counter() - started)
    ours, theirs = statistics.median(ours_runs), statistics.median(theirs_runs)
    found = sum(len(judged.findings(client)) for client in judged.clients)
    return {"library": ours, "baseline": theirs, "client_weeks": float(len(judged)),
            "findings": float(found),
            "rows": float(len(table["client"]))}  # fmt: skip


def rows(clients: int = CLIENTS, repeat: int = 3) -> list[Row]:
    """The benchmark's rows: bulk against per-client Attendance + validate, and the rate."""
    figures = measure(clients, repeat)
    ours, theirs, weeks = figures["library"], figures["baseline"], figures["client_weeks"]
    speedup = theirs / ours
    what = f"{clients:,} clients x {WEEKS} weeks, {figures['rows']:,.0f} rows"
    return [
        Row(f"judge_client_weeks ({what})", f"{ours:.2f} s",
            f"{theirs:.2f} s (per-client Attendance + validate)", f"{speedup:.1f}x faster",
            f">= {TARGET:g}x faster", speedup >= TARGET),
        Row("  client-weeks judged per second", f"{weeks / ours:,.0f}", f"{weeks / theirs:,.0f}",
            "-", "(report)", None),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=CLIENTS, help="clients to judge")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    options = parser.parse_args()
    if options.clients < 1 or options.repeat < 1:
        parser.error("--clients and --repeat must be at least 1")
    figures = measure(options.clients, options.repeat)
    ours, theirs, weeks = figures["library"], figures["baseline"], figures["client_weeks"]
    speedup = theirs / ours
    print(
        f"{options.clients:,} clients x {WEEKS} weeks, {figures['rows']:,.0f} claim rows, "
        f"{figures['findings']:,.0f} findings"
    )
    print(f"judge_client_weeks      {ours:8.2f} s   ({weeks / ours:,.0f} client-weeks/s)")
    print(f"per-client + validate   {theirs:8.2f} s   ({weeks / theirs:,.0f} client-weeks/s)")
    print(f"speed-up {speedup:.1f}x, target >= {TARGET:g}x: {'yes' if speedup >= TARGET else 'NO'}")
    return 1 if options.check and speedup < TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
