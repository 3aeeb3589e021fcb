"""The edges of time, fuzzed: calendars at both ends of the range `expand` supports followed by
every weekly view and `validate`; extra sessions across clock changes in many zones, measured
against a brute-force elapsed-time computation; programs whose sessions cross midnight and the
week's end, judged against a brute-force layout from every weekday and expanded from each.

Each test honours the hypothesis profile (ci: 100 examples; fuzz: 100,000), through the
`call` contract of `fuzzing.py`: a whole value or a `CareContinuumError`, never anything else.
"""

from __future__ import annotations

import functools
import itertools
import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum._calendar import _FIRST_DAY, _LAST_DAY
from fuzzing import GARBAGE, POOLS, SLOW_OK, call, check_value, valid

fuzz_settings = settings(suppress_health_check=SLOW_OK, deadline=None)

RULESETS = st.sampled_from(list(rulesets.ALL.values()))


def assert_ran(report: cc.ValidationReport | None, where: str) -> None:
    """Every rule ran: a crash inside a rule is reported as an ERROR finding, not raised."""
    assert report is not None, f"{where}: validate refused its subject"
    crashed = [f.message for f in report.findings if "failed to run" in f.message]
    assert not crashed, f"{where}: {crashed}"


# ---- calendars at the ends of time ------------------------------------------------------------

#: Zones with the largest offsets either side of UTC, and zones with daylight saving time.
END_ZONES = st.sampled_from([
    "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Etc/GMT+12", "Etc/GMT-14",
    "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns",
])  # fmt: skip


@st.composite
def calendars_at_an_end(draw: st.DrawFn) -> tuple[cc.Calendar, str]:
    """A pooled program expanded so that its calendar ends in the last week `expand` allows
    (a last day from 9999-12-23 to 9999-12-29) or starts in the first (0001-01-03 to -09)."""
    program = draw(valid(cc.ProgramStructure))
    weeks = draw(st.integers(program.min_weeks, min(program.max_weeks, program.min_weeks + 3)))
    nudge = draw(st.integers(0, 6))
    at_end = draw(st.booleans())
    if at_end:
        last = _LAST_DAY.toordinal() - nudge
        start = date.fromordinal(last - 7 * weeks + 1)
    else:
        start = date.fromordinal(_FIRST_DAY.toordinal() + nudge)
    zone = draw(END_ZONES)
    closures = [start + timedelta(days=k) for k in draw(st.sets(st.integers(0, 6), max_size=2))]
    calendar = call(cc.expand, program, start, zone, closures=closures, until=weeks)
    assert calendar is not None, f"expand refused {start} + {weeks} weeks in {zone}"
    return calendar, "the last week of 9999" if at_end else "the first week of year 1"


@st.composite
def attendance_records(draw: st.DrawFn, calendar: cc.Calendar) -> list[Any]:
    """Records for some of the calendar's sessions, and extra sessions at times from two days
    before its first day to two days after its last (some of them outside it)."""
    records: list[Any] = []
    for session in calendar.sessions[: draw(st.integers(0, 12))]:
        status = draw(st.sampled_from(cc.AttendanceStatus))
        minutes = session.clinical_duration.in_minutes()
        attended = (
            pendulum.duration(minutes=draw(st.integers(1, minutes - 1)))
            if status is cc.AttendanceStatus.PARTIAL and minutes > 1
            else None
        )
        if attended is None and status is cc.AttendanceStatus.PARTIAL:
            status = cc.AttendanceStatus.PRESENT
        records.append(cc.AttendanceRecord(session, status, attended=attended))
    zone = ZoneInfo(calendar.zone.name)
    low = max(calendar.first.toordinal() - 2, date.min.toordinal())
    high = min(calendar.last.toordinal() + 2, date.max.toordinal())
    for _ in range(draw(st.integers(0, 3))):
        day = date.fromordinal(draw(st.integers(low, high)))
        start = datetime.combine(day, time(draw(st.integers(0, 23)), 15 * draw(st.integers(0, 3))),
                                 zone)  # fmt: skip
        minutes = draw(st.integers(15, 24 * 60))
        if start.toordinal() * 1440 + start.hour * 60 + minutes >= date.max.toordinal() * 1440:
            continue  # no wall time holds its end
        record = call(cc.AttendanceRecord.extra, start, start + timedelta(minutes=minutes))
        if record is not None:
            records.append(record)
    return records


@fuzz_settings
@given(calendars_at_an_end(), RULESETS, st.data())
def test_every_weekly_view_at_both_ends_of_time(
    drawn: tuple[cc.Calendar, str], ruleset: cc.RuleSet, data: st.DataObject
) -> None:
    """'expand promises the calendar, so every weekly view of it works': by_week covers the
    period in Monday-to-Sunday weeks, the hours add up, the HTML renders, attendance gives its
    weeks, and validate runs every rule (none fails to run)."""
    calendar, where = drawn
    weeks = call(calendar.by_week)
    assert weeks, f"{where}: no weeks"
    assert weeks[0].first == calendar.first and weeks[-1].last == calendar.last
    for a, b in itertools.pairwise(weeks):
        assert b.monday.toordinal() - a.monday.toordinal() == 7
        assert b.first.toordinal() == a.last.toordinal() + 1
    assert all(w.monday.weekday() == 0 and w.monday <= w.first for w in weeks)
    assert sum(len(w.sessions) for w in weeks) == len(calendar)
    hours = call(calendar.hours_by_week)
    assert list(hours) == [w.monday for w in weeks]
    total = sum((s.clinical_duration for s in calendar), pendulum.duration())
    assert sum(hours.values(), pendulum.duration()) == total
    assert call(calendar.days_by_week) is not None
    assert call(lambda: calendar.partial_weeks) == tuple(w.monday for w in weeks if w.partial)
    html = call(calendar._repr_html_)
    assert html is not None and html.count("Week of") == len(weeks)
    narrowed = call(calendar.between, calendar.last, calendar.last)
    assert narrowed is not None and len(call(narrowed.by_week)) == 1
    assert_ran(call(cc.validate, calendar, ruleset), where)

    records = data.draw(attendance_records(calendar))
    attendance = call(cc.Attendance, calendar, records)
    if attendance is None:
        return  # an extra session outside the calendar, refused and named
    delivered = call(attendance.by_week)
    assert [d.monday for d in delivered] == [w.monday for w in weeks]
    attended = sum((r.attended for r in records), pendulum.duration())
    assert sum((d.delivered for d in delivered), pendulum.duration()) == attended
    assert call(attendance.planned_by_week) == hours
    assert call(attendance.attended_by_week) is not None
    assert_ran(call(cc.validate, attendance, ruleset), where)
    assert call(rulesets.per_diem_days, attendance) is not None


# ---- extra sessions across clock changes ------------------------------------------------------

#: Zones with daylight saving time (or with a history of changes): shifts of an hour, half an
#: hour (Lord Howe), two hours (Troll), changes at midnight (Santiago, Havana, Beirut) and in
#: the southern hemisphere.
DST_ZONES = (
    "America/New_York", "America/Santiago", "Europe/London", "Europe/Berlin",
    "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "America/Havana",
    "Asia/Beirut", "Antarctica/Troll", "Africa/Casablanca", "Australia/Sydney",
)  # fmt: skip


@functools.cache
def transitions(zone: str, year: int) -> tuple[datetime, ...]:
    """The instants (UTC, to the minute) at which `zone` changed its offset in `year`: found by
    sampling every six hours and bisecting, from zoneinfo alone."""
    tz = ZoneInfo(zone)
    found = []
    step = timedelta(hours=6)
    at = datetime(year, 1, 1, tzinfo=UTC)
    while at.year == year:
        after = at + step
        if at.astimezone(tz).utcoffset() != after.astimezone(tz).utcoffset():
            low, high = at, after
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high)
        at = after
    return tuple(found)


@st.composite
def around_a_clock_change(draw: st.DrawFn) -> tuple[datetime, datetime]:
    """Aware start and end wall times within a few hours of a clock change (some in the
    missing hour, some in the repeated one, either fold), with zoneinfo or pendulum zones."""
    zone = draw(st.sampled_from(DST_ZONES))
    changes = transitions(zone, draw(st.integers(1996, 2037)))
    tz: Any = draw(st.sampled_from([ZoneInfo(zone), pendulum.timezone(zone)]))
    if changes:
        wall = draw(st.sampled_from(changes)).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    else:  # a year without a change: any night
        wall = datetime(2026, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    wall += timedelta(minutes=draw(st.integers(-180, 180)))
    start = wall.replace(tzinfo=tz, fold=draw(st.integers(0, 1)))
    length = timedelta(minutes=draw(st.integers(-90, 25 * 60)))
    end = (wall + length).replace(tzinfo=tz, fold=draw(st.integers(0, 1)))
    return start, end


@fuzz_settings
@given(around_a_clock_change(), st.data())
def test_extra_sessions_are_measured_in_elapsed_time(
    moments: tuple[datetime, datetime], data: st.DataObject
) -> None:
    """'Compare instants': an extra session lasts the real time between its start and end
    (as Python reads each, PEP 495), accepted when that is more than nothing and at most 24
    hours, refused (naming `end`) otherwise; its week counts exactly that time."""
    start, end = moments
    elapsed = end.astimezone(UTC) - start.astimezone(UTC)
    record = call(cc.AttendanceRecord.extra, start, end)
    if not timedelta(0) < elapsed <= timedelta(hours=24):
        assert record is None, f"{start}..{end} ({elapsed}) was accepted"
        return
    assert record is not None, f"{start}..{end} ({elapsed}) was refused"
    assert record.attended == record.scheduled == elapsed
    assert record.start is not None and record.end is not None
    assert record.start.astimezone(UTC) == start.astimezone(UTC)
    assert record.end.astimezone(UTC) == end.astimezone(UTC)
    if data.draw(st.booleans(), label="partial") and elapsed > timedelta(minutes=1):
        part = timedelta(minutes=data.draw(st.integers(1, elapsed // timedelta(minutes=1) - 1)))
        partial = call(cc.AttendanceRecord.extra, start, end, status=cc.AttendanceStatus.PARTIAL,
                       attended=part)  # fmt: skip
        assert partial is not None and partial.attended == part and partial.scheduled == elapsed

    # On a calendar in the zone holding the day it starts on: delivered time is that time, and
    # every rule judges the session (its template is overnight exactly when Session says).
    zone = start.tzinfo.key if isinstance(start.tzinfo, ZoneInfo) else start.tzinfo.name  # type: ignore[union-attr]
    day = record.start.in_timezone(zone).date()
    program = POOLS[cc.ProgramStructure][0]
    calendar = call(cc.expand, program, day - timedelta(days=day.weekday()), zone)
    assert calendar is not None
    attendance = call(cc.Attendance, calendar, [record])
    assert attendance is not None
    assert sum((w.delivered for w in attendance.by_week()), pendulum.duration()) == elapsed
    assert_ran(call(cc.validate, attendance, data.draw(RULESETS, label="ruleset")), str(record))


# ---- programs across midnight and the week's end ------------------------------------------------


@st.composite
def night_sessions(draw: st.DrawFn) -> cc.Session:
    """A session on any weekday, often late at night or just after midnight, up to 6 hours,
    weekly or every 2 to 4 weeks; overnight exactly when it passes 24:00."""
    day = draw(st.sampled_from(WeekDay))
    start_minutes = draw(st.sampled_from([21, 22, 23, 0, 1]) | st.integers(0, 23)) * 60
    start_minutes += draw(st.sampled_from([0, 15, 30, 45]))
    length = draw(st.integers(1, 24)) * 15
    every = draw(st.sampled_from([1, 2, 2, 3, 4]))
    return cc.Session(
        day,
        time(start_minutes // 60, start_minutes % 60),
        [cc.Segment(cc.Service.GROUP_THERAPY, timedelta(minutes=length))],
        every_weeks=every,
        week_offset=draw(st.integers(0, every - 1)),
        overnight=start_minutes + length > 24 * 60,
    )


def overlaps_from(sessions: list[cc.Session], first_weekday: int, weeks: int) -> bool:
    """Brute force: lay every session out in minutes from a program start on `first_weekday`
    (program week w is days 7w to 7w+6 from the start, as `expand` lays them), and look for two
    that overlap."""
    spans = []
    for w in range(weeks):
        for s in sessions:
            if w % s.every_weeks == s.week_offset:
                day = 7 * w + (s.weekday.value - first_weekday) % 7
                begin = day * 1440 + s.start.hour * 60 + s.start.minute
                spans.append((begin, begin + s.duration.in_minutes()))
    spans.sort()
    return any(b[0] < a[1] for a, b in itertools.pairwise(spans))


@fuzz_settings
@given(st.lists(night_sessions(), min_size=2, max_size=4))
def test_programs_are_judged_by_the_program_week_expand_uses(sessions: list[cc.Session]) -> None:
    """'One notion of the program week': a program is refused exactly when, from some weekday
    it could start on, two of its sessions overlap; one accepted expands from every weekday
    (in UTC, without clock changes) with every session it promises."""
    weeks = math.lcm(*(s.every_weeks for s in sessions)) + 2  # every meeting happens by then
    clash = any(overlaps_from(sessions, day, weeks) for day in range(7))
    program = call(cc.ProgramStructure, cc.catalogs.GENERIC["IOP"], cc.Population.ADULT,
                   cc.Track.SUBSTANCE_USE, sessions, weeks)  # fmt: skip
    assert (program is None) == clash, f"clash={clash} for {[str(s) for s in sessions]}"
    if program is None:
        return
    for offset in range(7):
        first = date(2026, 1, 5) + timedelta(days=offset)  # a Monday, then each weekday
        calendar = call(cc.expand, program, first, "UTC")
        assert calendar is not None, f"expand from {first:%A} refused an accepted program"
        assert len(calendar) == program.total_sessions


# ---- evolve ------------------------------------------------------------------------------------

RECORD_FIELDS = ("session", "status", "attended", "client_id", "start", "end", "service",
                 "program_day")  # fmt: skip


@st.composite
def evolutions(draw: st.DrawFn) -> tuple[cc.AttendanceRecord, dict[str, Any]]:
    """A pooled record and changes: fields of another record (scheduled or extra), or garbage."""
    records = [r for a in POOLS[cc.Attendance] for r in a.records] or [
        cc.AttendanceRecord(POOLS[cc.Calendar][0].sessions[0], cc.AttendanceStatus.PRESENT)
    ]
    record, other = draw(st.sampled_from(records)), draw(st.sampled_from(records))
    fields = {f.alias: f.name for f in attrs.fields(cc.AttendanceRecord) if f.init}
    changes = {}
    for name in draw(st.sets(st.sampled_from(RECORD_FIELDS), max_size=4)):
        changes[name] = (
            draw(GARBAGE) if draw(st.integers(0, 4)) == 0 else getattr(other, fields[name])
        )
    return record, changes


@fuzz_settings
@given(evolutions())
def test_evolving_a_record_checks_it_again(
    drawn: tuple[cc.AttendanceRecord, dict[str, Any]],
) -> None:
    """'attrs.evolve makes a record the constructor would make, or the library's error': no
    change gives an equal record, and any changes give a whole, valid record or an error."""
    record, changes = drawn
    assert attrs.evolve(record) == record
    evolved = call(attrs.evolve, record, **changes)
    if evolved is not None:
        check_value(evolved, "evolve")
