"""Dated calendars: wall-clock times across DST, elapsed durations, closures, partial weeks."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from collections.abc import Callable
from zoneinfo import ZoneInfo

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum._calendar import _MAX_CALENDAR_SESSIONS, _MAX_CALENDAR_WEEKS
from carecontinuum._program import _MAX_WEEKS
from carecontinuum.catalogs import GENERIC
from fuzzing import cpu_time
from strategies import garbage, programs

H = pendulum.duration
D = pendulum.date


def mwf(weeks: object = 8, start: str = "18:00", **kw: object) -> cc.ProgramStructure:
    """The 8-week, 24-session program: Monday, Wednesday, Friday, three hours."""
    return cc.ProgramStructure.weekly(
        GENERIC["IOP"],
        days=["mon", "wed", "fri"],
        hours_per_session=3,
        weeks=weeks,  # type: ignore[arg-type]
        start=start,
        **kw,  # type: ignore[arg-type]
    )


def one_session(day: str, start: str, hours: float, **kw: object) -> cc.ProgramStructure:
    return cc.ProgramStructure.weekly(
        GENERIC["RESIDENTIAL"],
        days=[day],
        hours_per_session=hours,
        weeks=1,
        start=start,
        **kw,  # type: ignore[arg-type]
    )


class TestTwentyFourSessionProgram:
    @pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Asia/Kolkata"])
    @pytest.mark.parametrize("monday", [D(2026, 3, 2), D(2026, 10, 19)])
    def test_24_sessions_and_9_hours_in_every_full_week(
        self, zone: str, monday: pendulum.Date
    ) -> None:
        """Across the spring and the autumn change: 24 sessions, 9 hours each week."""
        calendar = cc.expand(mwf(), monday, zone)
        assert len(calendar) == 24
        hours = calendar.hours_by_week()
        assert len(hours) == 8 and calendar.partial_weeks == ()
        assert set(hours.values()) == {H(hours=9)}
        assert set(calendar.days_by_week().values()) == {3}
        assert list(hours) == [monday.add(weeks=i) for i in range(8)]

    @pytest.mark.parametrize(
        ("zone", "before", "after"),
        [
            ("America/New_York", "-05:00", "-04:00"),  # 8 March 2026
            ("Europe/Berlin", "+01:00", "+02:00"),  # 29 March 2026
            ("Asia/Kolkata", "+05:30", "+05:30"),  # no DST
        ],
    )
    def test_wall_clock_stays_at_18_00_across_the_spring_change(
        self, zone: str, before: str, after: str
    ) -> None:
        """18:00 local before and after the change; the offset is what moves."""
        calendar = cc.expand(mwf(), D(2026, 3, 2), zone)
        starts = [s.start for s in calendar.sessions]
        assert all(s.hour == 18 and s.minute == 0 for s in starts)
        assert {s.isoformat()[-6:] for s in starts[:3]} == {before}
        assert {s.isoformat()[-6:] for s in starts[-3:]} == {after}
        assert all(str(s.start.tz) == zone for s in calendar.sessions)

    @pytest.mark.parametrize(
        ("zone", "before", "after"),
        [("America/New_York", "-04:00", "-05:00"), ("Europe/Berlin", "+02:00", "+01:00")],
    )
    def test_and_across_the_autumn_change(self, zone: str, before: str, after: str) -> None:
        """New York falls back on 1 November, Berlin on 25 October 2026."""
        calendar = cc.expand(mwf(), D(2026, 10, 19), zone)
        assert all(s.start.hour == 18 for s in calendar.sessions)
        assert calendar.sessions[0].start.isoformat().endswith(before)
        assert calendar.sessions[-1].start.isoformat().endswith(after)

    def test_sessions_carry_their_template_and_clinical_time(self) -> None:
        """Each dated session knows its template, its index and its program week."""
        program = mwf()
        calendar = cc.expand(program, D(2026, 3, 2), "UTC")
        first = calendar.sessions[0]
        assert first.session is program.sessions[0] and first.index == 0 and first.week == 0
        assert first.clinical_duration == H(hours=3) == first.duration
        assert first.day == D(2026, 3, 2)
        assert calendar.sessions[-1].week == 7


class TestDaylightSavingEdges:
    def test_a_nonexistent_start_moves_forward_by_the_gap(self) -> None:
        """02:30 on the spring-forward night does not exist in New York: it becomes 03:30."""
        (s,) = cc.expand(one_session("sun", "02:30", 1), D(2026, 3, 8), "America/New_York")
        assert s.start.isoformat() == "2026-03-08T03:30:00-04:00"
        assert s.start == pendulum.datetime(2026, 3, 8, 2, 30, tz="America/New_York")
        assert (s.end - s.start).in_minutes() == 60

    def test_a_repeated_start_takes_the_later_occurrence(self) -> None:
        """01:30 happens twice on the fall-back night: the second (standard time) one."""
        (s,) = cc.expand(one_session("sun", "01:30", 1), D(2026, 11, 1), "America/New_York")
        assert s.start.isoformat() == "2026-11-01T01:30:00-05:00"
        assert s.start == pendulum.datetime(2026, 11, 1, 1, 30, tz="America/New_York")

    def test_a_session_spanning_the_change_keeps_its_elapsed_length(self) -> None:
        """00:30 plus 3 hours on the spring-forward night ends at 04:30 local, 3 hours later."""
        (s,) = cc.expand(one_session("sun", "00:30", 3), D(2026, 3, 8), "America/New_York")
        assert s.start.isoformat() == "2026-03-08T00:30:00-05:00"
        assert s.end.isoformat() == "2026-03-08T04:30:00-04:00"
        assert (s.end - s.start).in_hours() == 3

    def test_an_overnight_session_across_the_autumn_change(self) -> None:
        """Saturday 23:00 for 4 hours into the fall-back night ends at 02:00, 4 hours later."""
        program = one_session("sat", "23:00", 4, overnight=True)
        (s,) = cc.expand(program, D(2026, 10, 31), "America/New_York")
        assert s.start.isoformat() == "2026-10-31T23:00:00-04:00"
        assert s.end.isoformat() == "2026-11-01T02:00:00-05:00"
        assert (s.end - s.start).in_hours() == 4

    def test_a_clock_change_that_would_double_book_is_refused(self) -> None:
        """02:00 and 03:00 half-hours are apart in the template, but on the spring-forward night
        02:00 becomes 03:00: the calendar refuses rather than double-book."""
        sessions = [
            cc.Session(WeekDay.SUNDAY, pendulum.time(hour),
                       [cc.Segment(cc.Service.MEDICATION_MANAGEMENT, H(minutes=30))])
            for hour in (2, 3)
        ]  # fmt: skip
        program = cc.ProgramStructure(GENERIC["DETOX"], cc.Population.ADULT,
                                      cc.Track.SUBSTANCE_USE, sessions, 2)  # fmt: skip
        with pytest.raises(cc.ScheduleConflictError) as info:
            cc.expand(program, D(2026, 3, 2), "America/New_York")
        assert "2026-03-08" in str(info.value) and "clock change" in str(info.value)
        assert len(cc.expand(program, D(2026, 3, 2), "Asia/Kolkata")) == 4

    def test_printed_sessions_show_real_local_times(self) -> None:
        """str() shows the real start and end, across midnight and a clock change."""
        program = one_session("sat", "22:00", 8, overnight=True)
        (s,) = cc.expand(program, D(2026, 3, 7), "America/New_York")
        assert str(s) == "Sat 2026-03-07 22:00 EST - Sun 2026-03-08 07:00 EDT"
        (t,) = cc.expand(one_session("mon", "18:00", 3), D(2026, 3, 2), "America/New_York")
        assert str(t) == "Mon 2026-03-02 18:00-21:00 EST"

    def test_berlin_nonexistent_hour(self) -> None:
        """02:15 on 29 March 2026 does not exist in Berlin: 03:15 summer time."""
        (s,) = cc.expand(one_session("sun", "02:15", 1), D(2026, 3, 29), "Europe/Berlin")
        assert s.start.isoformat() == "2026-03-29T03:15:00+02:00"


def assert_ran(report: cc.ValidationReport) -> None:
    """No rule of the report failed to run (a crash is reported as an ERROR finding)."""
    crashed = [f.message for f in report.findings if "failed to run" in f.message]
    assert not crashed, crashed


class TestEndsOfTime:
    """Every weekly view works for every calendar `expand` makes, up to the last week of 9999
    (whose Sunday, 10000-01-02, no date can hold) and from the first week of year 1."""

    ZONES = ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York")

    @pytest.mark.parametrize("zone", ZONES)
    def test_the_last_week_of_9999(self, zone: str) -> None:
        """The issue's example: a week from 9999-12-23 ends in the week of Monday 9999-12-27,
        cut short on 9999-12-29; by_week, hours_by_week, days_by_week, partial_weeks, the HTML
        and attendance all give it, and validate runs every rule."""
        calendar = cc.expand(mwf(weeks=1), D(9999, 12, 23), zone)
        assert calendar.last == D(9999, 12, 29)
        *_, week = calendar.by_week()
        assert (week.monday, week.first, week.last) == (D(9999, 12, 27), D(9999, 12, 27),
                                                        D(9999, 12, 29))  # fmt: skip
        assert week.partial and week.days_in_period == 3
        assert [s.day for s in week.sessions] == [D(9999, 12, 27), D(9999, 12, 29)]
        hours = {D(9999, 12, 20): H(hours=3), D(9999, 12, 27): H(hours=6)}
        assert calendar.hours_by_week() == hours
        assert calendar.days_by_week() == {D(9999, 12, 20): 1, D(9999, 12, 27): 2}
        assert calendar.partial_weeks == (D(9999, 12, 20), D(9999, 12, 27))
        html = calendar._repr_html_()
        assert "Week of 9999-12-27" in html and "Wed 29 Dec" in html
        assert html.count("outside the calendar") == 3 + 4  # Mon-Wed, then Thu-Sun
        records = [cc.AttendanceRecord(s, cc.AttendanceStatus.PRESENT) for s in calendar]
        attendance = cc.Attendance(calendar, records)
        assert [d.delivered for d in attendance.by_week()] == [H(hours=3), H(hours=6)]
        assert attendance.attended_by_week() == attendance.planned_by_week()
        for ruleset in rulesets.ALL.values():
            assert_ran(cc.validate(calendar, ruleset))
            assert_ran(cc.validate(attendance, ruleset))

    @pytest.mark.parametrize("zone", ZONES)
    def test_the_first_week_of_year_1(self, zone: str) -> None:
        """From 0001-01-03 (a Wednesday), the first week's Monday is 0001-01-01."""
        calendar = cc.expand(mwf(weeks=1), D(1, 1, 3), zone)
        week, _ = calendar.by_week()
        assert (week.monday, week.first, week.last) == (D(1, 1, 1), D(1, 1, 3), D(1, 1, 7))
        assert calendar.partial_weeks == (D(1, 1, 1), D(1, 1, 8))
        assert list(calendar.hours_by_week().values()) == [H(hours=6), H(hours=3)]
        assert "Week of 0001-01-01" in calendar._repr_html_()
        attendance = cc.Attendance(calendar, [])
        assert [d.planned for d in attendance.by_week()] == [H(hours=6), H(hours=3)]
        for ruleset in rulesets.ALL.values():
            assert_ran(cc.validate(calendar, ruleset))

    def test_the_weeks_at_both_ends_are_values(self) -> None:
        """The weeks by_week gives at the ends are weeks the constructor accepts, and the
        calendars round-trip through plain data."""
        for calendar in (cc.expand(mwf(weeks=1), D(9999, 12, 23), "UTC"),
                         cc.expand(mwf(weeks=1), D(1, 1, 3), "UTC")):  # fmt: skip
            for week in calendar.by_week():
                again = cc.CalendarWeek(week.monday, week.first, week.last, week.sessions,
                                        week.closed)  # fmt: skip
                assert again == week
            assert cc.from_dict(cc.Calendar, cc.to_dict(calendar)) == calendar

    @pytest.mark.parametrize(
        ("monday", "first", "last", "field"),
        [
            (D(9999, 12, 27), D(9999, 12, 27), D(9999, 12, 30), "last"),  # past the last day
            (D(2026, 3, 2), D(2026, 3, 2), D(2026, 3, 9), "last"),  # past the week's Sunday
            (D(2026, 3, 3), D(2026, 3, 3), D(2026, 3, 4), "monday"),  # not a Monday
            (D(1, 1, 1), D(1, 1, 1), D(1, 1, 2), "first"),  # before the first calendar day
        ],
    )
    def test_weeks_out_of_range_are_refused(
        self, monday: dt.date, first: dt.date, last: dt.date, field: str
    ) -> None:
        """A week's days must be calendar days of its Monday-to-Sunday week."""
        with pytest.raises(cc.InvalidValueError) as info:
            cc.CalendarWeek(monday, first, last, (), ())
        assert info.value.field == field


class TestClosuresAndPeriods:
    def test_a_closure_removes_the_session_and_the_week_fails_typical_iop(self) -> None:
        """Closing Wednesday 11 March leaves that week 6 hours: a finding under TYPICAL_IOP."""
        calendar = cc.expand(mwf(), D(2026, 3, 2), "America/New_York", closures=[D(2026, 3, 11)])
        assert len(calendar) == 23
        assert [s.day for s in calendar.closed] == [D(2026, 3, 11)]
        assert calendar.closures == (D(2026, 3, 11),)
        assert calendar.hours_by_week()[D(2026, 3, 9)] == H(hours=6)
        report = cc.validate(calendar, rulesets.TYPICAL_IOP)
        assert [(f.rule_id, f.path) for f in report.errors] == [
            ("TYPICAL-IOP-HOURS", "weeks[2026-03-09]")
        ]
        assert "6 clinical hours" in report.errors[0].message

    def test_closure_on_a_day_without_sessions_changes_nothing(self) -> None:
        """Closing a Tuesday of a MWF program removes no session."""
        calendar = cc.expand(mwf(), D(2026, 3, 2), "UTC", closures=[D(2026, 3, 3)])
        assert len(calendar) == 24 and calendar.closed == ()

    def test_starting_mid_week_makes_partial_weeks_at_both_ends(self) -> None:
        """Starting Wednesday: the first week has 5 days, the last 2; both flagged."""
        calendar = cc.expand(mwf(weeks=2), D(2026, 3, 4), "UTC")
        weeks = calendar.by_week()
        assert [(w.monday, w.days_in_period, w.partial) for w in weeks] == [
            (D(2026, 3, 2), 5, True),
            (D(2026, 3, 9), 7, False),
            (D(2026, 3, 16), 2, True),
        ]
        assert calendar.partial_weeks == (D(2026, 3, 2), D(2026, 3, 16))
        assert len(calendar) == 6 and calendar.last == D(2026, 3, 17)

    def test_partial_weeks_are_noted_not_judged(self) -> None:
        """A partial week below 9 hours is an INFO note, not an error."""
        calendar = cc.expand(mwf(weeks=2), D(2026, 3, 4), "UTC")
        report = cc.validate(calendar, rulesets.ASAM3)
        assert report.ok
        assert [f.path for f in report.infos] == ["weeks[2026-03-02]", "weeks[2026-03-16]"]
        assert "partial week (5 days of 7" in report.infos[0].message

    def test_until_picks_the_end_of_a_range(self) -> None:
        """A 6-12 week program runs 6 weeks by default, or to the week count or day given."""
        program = mwf(weeks=(6, 12))
        assert len(cc.expand(program, D(2026, 1, 5), "UTC")) == 18
        assert len(cc.expand(program, D(2026, 1, 5), "UTC", until=10)) == 30
        by_date = cc.expand(program, D(2026, 1, 5), "UTC", until=D(2026, 3, 4))
        assert by_date.last == D(2026, 3, 4) and by_date.sessions[-1].day == D(2026, 3, 4)

    @pytest.mark.parametrize("until", [5, 13, D(2026, 1, 20), D(2026, 12, 1), "10", True, 10.0])
    def test_until_outside_the_range_is_refused(self, until: object) -> None:
        """The end must fall within the program's length, as weeks or a date."""
        with pytest.raises(cc.CareContinuumError) as info:
            cc.expand(mwf(weeks=(6, 12)), D(2026, 1, 5), "UTC", until=until)  # type: ignore[arg-type]
        assert info.value.field == "until"  # type: ignore[attr-defined]
        if not isinstance(until, (int, pendulum.Date)) or isinstance(until, bool):
            assert "a number of weeks (an int) or a last day" in str(info.value)
        if type(until) is int:
            assert "a week from 6 to 12 (the program runs from 6 to 12 weeks)" in str(info.value)

    def test_between_narrows_to_a_period(self) -> None:
        """The sessions, closures and weeks of a period only."""
        calendar = cc.expand(mwf(), D(2026, 3, 2), "UTC", closures=[D(2026, 3, 11)])
        march = calendar.between(D(2026, 3, 9), D(2026, 3, 15))
        assert [s.day for s in march.sessions] == [D(2026, 3, 9), D(2026, 3, 13)]
        assert [s.day for s in march.closed] == [D(2026, 3, 11)]
        assert march.partial_weeks == ()
        assert calendar.between(D(2026, 3, 10), D(2026, 3, 12)).partial_weeks == (D(2026, 3, 9),)
        with pytest.raises(cc.InvalidValueError) as info:
            calendar.between(D(2026, 3, 12), D(2026, 3, 10))
        assert info.value.field == "last" and info.value.value == D(2026, 3, 10)
        with pytest.raises(cc.InvalidValueError) as info:
            calendar.between(D(2026, 6, 1), D(2026, 6, 30))
        assert info.value.value == D(2026, 6, 1) and "overlapping" in str(info.value)

    def test_every_other_week_sessions_fall_in_their_weeks(self) -> None:
        """A fortnightly family session from week 2 is held in weeks 2, 4, 6 and 8."""
        family = cc.Session(
            WeekDay.SATURDAY, pendulum.time(10),
            [cc.Segment(cc.Service.FAMILY_THERAPY, H(hours=1))], every_weeks=2, week_offset=1,
        )  # fmt: skip
        base = mwf()
        program = attrs.evolve(base, sessions=(*base.sessions, family))
        calendar = cc.expand(program, D(2026, 3, 2), "UTC")
        saturdays = [s for s in calendar.sessions if s.session is family]
        assert [s.week for s in saturdays] == [1, 3, 5, 7]
        assert [s.day for s in saturdays] == [D(2026, 3, 14), D(2026, 3, 28), D(2026, 4, 11),
                                              D(2026, 4, 25)]  # fmt: skip
        assert list(calendar.hours_by_week().values())[:2] == [H(hours=9), H(hours=10)]


def refused_fast(
    build: Callable[[], object], error: type[cc.CareContinuumError] = cc.InvalidValueError
) -> cc.CareContinuumError:
    """The error `build` raises, checked to come well under a second with a short message."""
    with cpu_time() as spent, pytest.raises(error) as info:
        build()
    assert spent.seconds < 1.0
    assert len(str(info.value)) < 500
    return info.value


def fifty_a_week(weeks: object) -> cc.ProgramStructure:
    """Ten one-hour groups a day, Monday to Friday: 50 sessions a week."""
    day = [
        cc.Session(WeekDay(d), dt.time(h), [cc.Segment(cc.Service.GROUP_THERAPY, H(hours=1))])
        for d in range(5)
        for h in range(8, 18)
    ]
    return cc.ProgramStructure(
        GENERIC["RESIDENTIAL"],
        cc.Population.ADULT,
        cc.Track.SUBSTANCE_USE,
        day,
        weeks,  # type: ignore[arg-type]
    )


class TestSizeLimits:
    """A calendar's size is bounded before it is made, so a small payload cannot ask for
    millions of sessions (issue 13)."""

    def test_the_issue_payload_of_a_billion_weeks_is_refused_at_once(self) -> None:
        """The 1 KB payload of the issue (weeks 1-999,999,999, first 0001-01-03, last
        9999-12-29), which made 3.65 million sessions in 59 s, is refused at once naming the
        program's weeks; with the longest program there may be, it is refused naming `last`."""
        daily = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            hours_per_session=3, weeks=(1, _MAX_WEEKS),
        )  # fmt: skip
        data = cc.to_dict(cc.expand(daily, D(2026, 3, 2), "UTC"))
        data.update(first="0001-01-03", last="9999-12-28")
        del data["sessions"], data["closed"]  # optional: the issue's payload had no sessions
        issue = {
            **data,
            "program": {**data["program"], "weeks": {"minimum": 1, "maximum": 999_999_999}},
        }
        assert len(json.dumps(issue)) < 2_500
        error = refused_fast(lambda: cc.from_dict(cc.Calendar, issue), cc.DataError)
        (problem,) = error.problems  # type: ignore[attr-defined]
        assert problem.startswith("program.weeks: expected at most 521,722 weeks")
        error = refused_fast(lambda: cc.from_dict(cc.Calendar, data), cc.DataError)
        (problem,) = error.problems  # type: ignore[attr-defined]
        assert problem.startswith("last: expected a calendar of at most 1,044 weeks")
        assert "521,722 weeks from 0001-01-03" in problem

    def test_weeks_at_the_limit_work_and_one_more_is_refused(self) -> None:
        """A calendar of 1,044 weeks is made; 1,045 (by weeks, by a last day, or by the
        program's own length) is refused, naming what set the length."""
        one = cc.ProgramStructure.weekly(GENERIC["OP"], days=["tue"], hours_per_session=1,
                                         weeks=(1, 2_000))  # fmt: skip
        start = D(2026, 3, 2)
        calendar = cc.expand(one, start, "America/New_York", until=_MAX_CALENDAR_WEEKS)
        assert len(calendar) == _MAX_CALENDAR_WEEKS
        assert len(calendar.by_week()) == _MAX_CALENDAR_WEEKS
        over = _MAX_CALENDAR_WEEKS + 1
        error = refused_fast(lambda: cc.expand(one, start, "UTC", until=over))
        assert error.field == "until" and error.value == over  # type: ignore[attr-defined]
        last = start.add(weeks=_MAX_CALENDAR_WEEKS)  # the first day of week 1,045
        error = refused_fast(lambda: cc.expand(one, start, "UTC", until=last))
        assert error.field == "until" and "1,045 weeks" in str(error)  # type: ignore[attr-defined]
        error = refused_fast(lambda: cc.expand(attrs.evolve(one, weeks=over), start, "UTC"))
        assert error.field == "program.weeks"  # type: ignore[attr-defined]
        error = refused_fast(lambda: cc.Calendar(one, pendulum.timezone("UTC"), start, last,
                                                 (), (), ()))  # fmt: skip
        assert error.field == "last"  # type: ignore[attr-defined]

    def test_sessions_at_the_limit_work_and_more_are_refused(self) -> None:
        """50 sessions a week for 1,000 weeks make the 50,000 sessions a calendar may hold;
        one day more (ten more sessions) is refused before any is made."""
        program = fifty_a_week((1, 1_001))
        start = D(2026, 3, 2)
        assert _MAX_CALENDAR_SESSIONS == 50 * 1_000
        calendar = cc.expand(program, start, "UTC", until=1_000)
        assert len(calendar) == _MAX_CALENDAR_SESSIONS
        error = refused_fast(lambda: cc.expand(program, start, "UTC", until=start.add(weeks=1_000)))
        assert error.field == "until" and "not 50,010 sessions" in str(error)  # type: ignore[attr-defined]
        error = refused_fast(lambda: cc.expand(fifty_a_week(1_001), start, "UTC"))
        assert error.field == "program.weeks"  # type: ignore[attr-defined]

    def test_closed_sessions_count_towards_the_limit(self) -> None:
        """Sessions skipped for closures are made too, so they count."""
        program = fifty_a_week((1, 1_001))
        start = D(2026, 3, 2)
        shut = [start.add(days=k) for k in range(3)]
        calendar = cc.expand(program, start, "UTC", until=1_000, closures=shut)
        assert len(calendar) + len(calendar.closed) == _MAX_CALENDAR_SESSIONS
        assert len(calendar.closed) == 30


class TestArguments:
    @pytest.mark.parametrize(
        ("kwargs", "field", "error"),
        [
            ({"program": "IOP"}, "program", cc.InvalidTypeError),
            ({"start": "2 March 2026"}, "start", cc.InvalidValueError),
            ({"start": 20260302}, "start", cc.InvalidTypeError),
            ({"start": pendulum.datetime(2026, 3, 2)}, "start", cc.InvalidTypeError),
            ({"tz": "Mars/Olympus_Mons"}, "tz", cc.InvalidValueError),
            ({"tz": "+02:00"}, "tz", cc.InvalidValueError),
            ({"tz": pendulum.fixed_timezone(7200)}, "tz", cc.InvalidValueError),
            ({"tz": 5}, "tz", cc.InvalidTypeError),
            # The host's own zone: results would depend on the machine.
            ({"tz": "localtime"}, "tz", cc.InvalidValueError),
            ({"tz": "posix/localtime"}, "tz", cc.InvalidValueError),
            ({"tz": "posixrules"}, "tz", cc.InvalidValueError),
            ({"tz": pendulum.timezone("localtime")}, "tz", cc.InvalidValueError),
            ({"closures": D(2026, 3, 4)}, "closures", cc.InvalidTypeError),
            ({"closures": ["2026-3-4"]}, "closures[0]", cc.InvalidValueError),
            ({"closures": [20260304]}, "closures[0]", cc.InvalidTypeError),
        ],
    )
    def test_malformed_arguments_are_refused(
        self, kwargs: dict[str, object], field: str, error: type[Exception]
    ) -> None:
        """Each argument is checked and named."""
        arguments: dict[str, object] = {"program": mwf(), "start": D(2026, 3, 2), "tz": "UTC"}
        arguments.update(kwargs)
        with pytest.raises(error) as info:
            cc.expand(**arguments)  # type: ignore[arg-type]
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_the_host_zone_is_refused_wherever_a_zone_is_taken(self) -> None:
        """The name "localtime" means whatever zone the machine is set to: expand, the Calendar and
        ScheduledSession constructors and from_dict all refuse it, naming the field."""
        with pytest.raises(cc.InvalidValueError, match="host's own zone") as info:
            cc.expand(mwf(), D(2026, 3, 2), "localtime")
        assert info.value.field == "tz"
        calendar = cc.expand(mwf(), D(2026, 3, 2), "UTC")
        host = pendulum.timezone("localtime")
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Calendar(calendar.program, host, calendar.first, calendar.last, calendar.sessions,
                        (), ())  # fmt: skip
        assert info.value.field == "zone"
        s = calendar.sessions[0]
        with pytest.raises(cc.InvalidValueError) as info:
            cc.ScheduledSession(s.session, s.index, s.week, s.day, s._utc_us, host)
        assert info.value.field == "zone"
        data = cc.to_dict(calendar)
        data["zone"] = "localtime"
        with pytest.raises(cc.DataError, match="zone: expected an IANA"):
            cc.from_dict(cc.Calendar, data)

    def test_stdlib_dates_and_pendulum_timezones_are_accepted(self) -> None:
        """A datetime.date start and a pendulum timezone object work like their equivalents."""
        a = cc.expand(mwf(), dt.date(2026, 3, 2), pendulum.timezone("Europe/Berlin"))
        b = cc.expand(mwf(), D(2026, 3, 2), "Europe/Berlin")
        assert a == b

    def test_sessions_of_calendars_in_two_zones_differ(self) -> None:
        """London and UTC agree in winter, but a session of a London calendar is not the
        session of a UTC calendar that starts at the same instant."""
        london = cc.expand(mwf(), D(2026, 1, 5), "Europe/London")
        utc = cc.expand(mwf(), D(2026, 1, 5), "UTC")
        a, b = london.sessions[0], utc.sessions[0]
        assert a.start == b.start and a._utc_us == b._utc_us
        assert a != b and len({a, b}) == 2
        again = cc.expand(mwf(), D(2026, 1, 5), pendulum.timezone("Europe/London"))
        assert again.sessions[0] == a and hash(again.sessions[0]) == hash(a)

    def test_calendars_are_values(self) -> None:
        """Calendars compare, hash and pickle as values."""
        calendar = cc.expand(mwf(), D(2026, 3, 2), "America/New_York")
        clone = pickle.loads(pickle.dumps(calendar))
        assert clone == calendar and hash(clone) == hash(calendar)
        assert clone.sessions[5].start == calendar.sessions[5].start
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            calendar.first = D(2026, 1, 1)  # type: ignore[misc]


# ---- properties -----------------------------------------------------------------------------

ZONES = [
    "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe",
    "America/Santiago", "Pacific/Chatham", "America/St_Johns", "Europe/London", "UTC",
]  # fmt: skip
starts = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))


@settings(max_examples=60)
@given(programs(), st.sampled_from(ZONES), starts)
def test_calendars_agree_with_their_program(
    program: cc.ProgramStructure, zone: str, start: dt.date
) -> None:
    """Per program week the calendar holds exactly the program's sessions and hours; each
    session starts at its template's wall time (or, where that time does not exist, later by
    the gap); end - start is the template's length in elapsed time; sessions are strictly
    ordered and never overlap."""
    calendar = cc.expand(program, start, zone)
    weeks = program.min_weeks
    assert len(calendar) == program.sessions_over(weeks)
    for week in range(weeks):
        held = [s for s in calendar.sessions if s.week == week]
        expected = sum((s.clinical_duration for s in program.sessions_in_week(week)), H())
        assert sum((s.clinical_duration for s in held), H()) == expected
    tz = ZoneInfo(zone)
    for s in calendar.sessions:
        wall = dt.datetime.combine(s.day, s.session.start)
        local = s.start.naive()
        if local != wall:  # only where the wall time does not exist that day
            round_trip = wall.replace(tzinfo=tz).astimezone(dt.UTC).astimezone(tz)
            assert round_trip.replace(tzinfo=None) != wall
            assert local > wall
        assert (s.end - s.start).total_seconds() == s.session.duration.total_seconds()
    for a, b in zip(calendar.sessions, calendar.sessions[1:], strict=False):
        assert a.start < b.start
        assert a.end <= b.start


@settings(max_examples=40)
@given(programs(), starts, st.sets(st.integers(0, 100), max_size=10))
def test_closures_only_move_sessions_to_closed(
    program: cc.ProgramStructure, start: dt.date, offsets: set[int]
) -> None:
    """Held and closed sessions together are the calendar without closures; none held falls on
    a closure, every closed one does."""
    closures = [start + dt.timedelta(days=o) for o in offsets]
    plain = cc.expand(program, start, "Europe/Berlin")
    shut = cc.expand(program, start, "Europe/Berlin", closures=closures)
    together = sorted(shut.sessions + shut.closed, key=lambda s: s.start)
    assert together == list(plain.sessions)
    assert all(s.day not in closures for s in shut.sessions)
    assert all(s.day in closures for s in shut.closed)


@settings(max_examples=40)
@given(programs(), starts)
def test_monday_starts_make_full_calendar_weeks_equal_program_weeks(
    program: cc.ProgramStructure, start: dt.date
) -> None:
    """From a Monday, every calendar week is a full week whose hours are the program week's."""
    monday = start - dt.timedelta(days=start.weekday())
    calendar = cc.expand(program, monday, "America/New_York")
    hours = list(calendar.hours_by_week().values())
    assert calendar.partial_weeks == ()
    assert len(hours) == program.min_weeks
    for week, total in enumerate(hours):
        assert total == sum((s.clinical_duration for s in program.sessions_in_week(week)), H())


@given(st.sampled_from(["program", "start", "tz", "closures", "until"]), garbage)
def test_malformed_expand_arguments_raise_only_library_errors(field: str, value: object) -> None:
    """Any junk in any argument of expand() gives a calendar or a CareContinuumError."""
    arguments: dict[str, object] = {"program": mwf(weeks=(6, 12)), "start": D(2026, 3, 2),
                                    "tz": "Europe/Berlin"}  # fmt: skip
    arguments[field] = value
    try:
        cc.expand(**arguments)  # type: ignore[arg-type]
    except cc.CareContinuumError as error:
        assert getattr(error, "field", "").split("[")[0] == field


_READ_ZONES = ["Europe/London", "UTC", "America/New_York", "Australia/Lord_Howe"]


@given(programs(), st.dates(D(2020, 1, 1), D(2030, 12, 31)), st.sampled_from(_READ_ZONES))
def test_starts_and_ends_are_read_as_the_zone_makes_them(
    program: cc.ProgramStructure, first: dt.date, zone: str
) -> None:
    """A session's start and end (memoised by instant and zone) are the instant converted in the
    calendar's zone, read again or not; a London and a UTC calendar on the same day read each
    instant in their own zone, whatever was read first."""
    from carecontinuum._calendar import _UTC_EPOCH  # noqa: PLC0415

    calendars = [cc.expand(program, first, name) for name in (zone, "UTC")]
    for calendar in calendars:
        tz = ZoneInfo(calendar.zone.name)
        for s in calendar:
            for read, us in ((s.start, s._utc_us), (s.end, s._utc_us + s.session._length_us)):
                expected = (_UTC_EPOCH + dt.timedelta(microseconds=us)).astimezone(tz)
                assert read == expected and read.utcoffset() == expected.utcoffset()
                assert (read.replace(tzinfo=None), read.fold) == (
                    expected.replace(tzinfo=None),
                    expected.fold,
                )
                assert read.tzinfo.name == calendar.zone.name  # type: ignore[union-attr]


def test_a_scheduled_session_keeps_its_index_and_week_as_plain_ints() -> None:
    """An index or week given as an int subclass (an IntEnum, found by the 100,000-example fuzz
    run) is kept as the plain int it stands for: the session equals the one `expand` made."""
    made = cc.expand(mwf(), D(2024, 1, 1), "UTC").sessions[0]
    again = cc.ScheduledSession(made.session, WeekDay.MONDAY, WeekDay.MONDAY, made.day,
                                made._utc_us, "UTC")  # fmt: skip
    assert type(again.index) is int and type(again.week) is int
    assert again == made and hash(again) == hash(made) and cc.to_dict(again) == cc.to_dict(made)
