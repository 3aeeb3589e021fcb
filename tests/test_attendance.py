"""Attendance: records against a calendar, rates, delivered versus planned, and rules on it."""

from __future__ import annotations

import datetime as dt
import pickle
from zoneinfo import ZoneInfo

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum.catalogs import GENERIC
from fuzzing import cpu_time
from strategies import garbage

H = pendulum.duration
D = pendulum.date
S = cc.AttendanceStatus


def calendar(level: str = "IOP", days: tuple[str, ...] = ("mon", "wed", "fri"), hours: float = 3,
             weeks: int = 2) -> cc.Calendar:  # fmt: skip
    program = cc.ProgramStructure.weekly(
        GENERIC[level], days=list(days), hours_per_session=hours, weeks=weeks, start="09:00"
    )
    return cc.expand(program, D(2026, 3, 2), "America/New_York")


def present(cal: cc.Calendar) -> list[cc.AttendanceRecord]:
    return [cc.AttendanceRecord(s, S.PRESENT) for s in cal.sessions]


class TestRecords:
    def test_present_attends_the_clinical_time_absent_none(self) -> None:
        """PRESENT is the session's clinical time; ABSENT and EXCUSED are nothing."""
        cal = calendar()
        s = cal.sessions[0]
        assert cc.AttendanceRecord(s, S.PRESENT).attended == H(hours=3)
        assert cc.AttendanceRecord(s, S.ABSENT).attended == H()
        assert cc.AttendanceRecord(s, S.EXCUSED).attended == H()

    @pytest.mark.parametrize(
        ("status", "attended", "field"),
        [
            (S.PARTIAL, None, "attended"),
            (S.PARTIAL, H(hours=3), "attended"),
            (S.PARTIAL, H(hours=-1), "attended"),
            (S.PARTIAL, 90, "attended"),
            (S.PRESENT, H(hours=1), "attended"),
            ("here", None, "status"),
            (1, None, "status"),
        ],
    )
    def test_malformed_records_are_refused(
        self, status: object, attended: object, field: str
    ) -> None:
        """PARTIAL needs a time below the session's; other statuses take none."""
        with pytest.raises(cc.CareContinuumError) as info:
            cc.AttendanceRecord(calendar().sessions[0], status, attended=attended)  # type: ignore[arg-type]
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_a_record_needs_a_scheduled_session(self) -> None:
        """A template Session is not a dated session."""
        with pytest.raises(cc.InvalidTypeError):
            cc.AttendanceRecord(calendar().program.sessions[0], S.PRESENT)  # type: ignore[arg-type]

    def test_extra_sessions_carry_aware_times(self) -> None:
        """An added session has its own aware start and end; naive times are refused."""
        at = pendulum.datetime(2026, 3, 3, 10, tz="America/New_York")
        extra = cc.AttendanceRecord.extra(at, at.add(minutes=50))
        assert extra.is_extra and extra.attended == H(minutes=50)
        with pytest.raises(cc.InvalidValueError) as info:
            cc.AttendanceRecord.extra(at.naive(), at.add(hours=1))
        assert info.value.field == "start"
        with pytest.raises(cc.InvalidValueError):
            cc.AttendanceRecord.extra(at, at)
        with pytest.raises(cc.InvalidValueError):
            cc.AttendanceRecord.extra(at, at.add(hours=1), status=S.ABSENT)
        with pytest.raises(cc.InvalidValueError):
            cc.AttendanceRecord.extra(at, at.add(hours=1), service=cc.Service.BREAK)
        with pytest.raises(cc.InvalidTypeError):
            cc.AttendanceRecord.extra(at, at.add(hours=1), service=3)  # type: ignore[arg-type]


NEW_YORK = ZoneInfo("America/New_York")
SANTIAGO = ZoneInfo("America/Santiago")


def elapsed(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Brute force: the real time between two aware datetimes, through UTC."""
    return end.astimezone(dt.UTC) - start.astimezone(dt.UTC)


def utc(moment: dt.datetime | None) -> dt.datetime:
    """The instant, as a UTC datetime (Python never calls two datetimes of different tzinfos
    equal inside a repeated or missing hour, PEP 495)."""
    assert moment is not None
    return moment.astimezone(dt.UTC)


def crashes(report: cc.ValidationReport) -> list[str]:
    return [f.message for f in report.findings if "failed to run" in f.message]


class TestEdgesOfTime:
    """Extra sessions are measured in real (elapsed) time, compared by instant."""

    def test_the_repeated_hour_in_new_york(self) -> None:
        """The issue's example: 01:15 EDT to 01:15 EST on 2026-11-01 is 60 real minutes."""
        start = dt.datetime(2026, 11, 1, 1, 15, tzinfo=NEW_YORK)
        end = dt.datetime(2026, 11, 1, 1, 15, tzinfo=NEW_YORK, fold=1)
        assert elapsed(start, end) == H(hours=1)
        record = cc.AttendanceRecord.extra(start, end)
        assert record.attended == record.scheduled == H(hours=1)
        assert utc(record.start) == utc(start) and utc(record.end) == utc(end)
        # The same with pendulum's own datetimes and zone.
        p_start = pendulum.datetime(2026, 11, 1, 1, 15, tz="America/New_York", fold=0)
        p_end = pendulum.datetime(2026, 11, 1, 1, 15, tz="America/New_York", fold=1)
        assert cc.AttendanceRecord.extra(p_start, p_end) == record
        # And in the week it falls in, on a New York calendar.
        program = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed", "fri"],
                                             hours_per_session=3, weeks=1)  # fmt: skip
        cal = cc.expand(program, D(2026, 10, 26), "America/New_York")
        attendance = cc.Attendance(cal, [*present(cal), record])
        assert attendance.by_week()[0].delivered == H(hours=10)

    def test_the_repeated_hour_in_santiago(self) -> None:
        """Santiago falls back at midnight: 23:15 of 4 April 2026 happens twice, an hour apart."""
        start = dt.datetime(2026, 4, 4, 23, 15, tzinfo=SANTIAGO)
        end = dt.datetime(2026, 4, 4, 23, 15, tzinfo=SANTIAGO, fold=1)
        assert elapsed(start, end) == H(hours=1)
        assert cc.AttendanceRecord.extra(start, end).attended == H(hours=1)
        partial = cc.AttendanceRecord.extra(start, end, status=S.PARTIAL, attended=H(minutes=45))
        assert partial.attended == H(minutes=45) and partial.scheduled == H(hours=1)

    def test_the_missing_hour_is_not_counted(self) -> None:
        """01:30 EST to 03:30 EDT on the spring-forward night is one real hour, not two."""
        start = dt.datetime(2026, 3, 8, 1, 30, tzinfo=NEW_YORK)
        end = dt.datetime(2026, 3, 8, 3, 30, tzinfo=NEW_YORK)
        assert cc.AttendanceRecord.extra(start, end).attended == H(hours=1)

    def test_a_time_that_does_not_exist_keeps_the_instant_python_gives_it(self) -> None:
        """02:30 does not exist on 8 March 2026 in New York; Python reads it (fold 0) with the
        offset before the change, as 03:30 EDT. The record keeps that instant."""
        start = dt.datetime(2026, 3, 8, 2, 30, tzinfo=NEW_YORK)
        end = dt.datetime(2026, 3, 8, 4, 0, tzinfo=NEW_YORK)
        record = cc.AttendanceRecord.extra(start, end)
        assert record.start is not None
        assert record.start.isoformat() == "2026-03-08T03:30:00-04:00"
        assert utc(record.start) == utc(start) == dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC)
        assert record.attended == elapsed(start, end) == H(minutes=30)

    def test_the_day_limit_is_elapsed_time(self) -> None:
        """At most 24 real hours: midnight to 00:30 the next day across the spring change is
        23.5 hours (accepted); midnight to 23:30 across the autumn change is 24.5 (refused)."""
        spring = dt.datetime(2026, 3, 8, tzinfo=NEW_YORK)
        record = cc.AttendanceRecord.extra(spring, spring.replace(day=9, minute=30))
        assert record.attended == H(hours=23, minutes=30)
        autumn = dt.datetime(2026, 11, 1, tzinfo=NEW_YORK)
        with pytest.raises(cc.InvalidValueError) as info:
            cc.AttendanceRecord.extra(autumn, autumn.replace(hour=23, minute=30))
        assert info.value.field == "end"

    def test_the_limit_of_an_extra_session_is_a_day_of_elapsed_time(self) -> None:
        """_MAX_EXTRA_US: 24 hours of elapsed time is accepted, a microsecond more refused (fast),
        across a clock change too (wall clocks say 23 and 25 hours)."""
        for start in (dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC),
                      dt.datetime(2026, 3, 8, 0, 30, tzinfo=NEW_YORK),
                      dt.datetime(2026, 10, 31, 12, tzinfo=NEW_YORK)):  # fmt: skip
            end = (start.astimezone(dt.UTC) + dt.timedelta(hours=24)).astimezone(start.tzinfo)
            assert cc.AttendanceRecord.extra(start, end).attended == H(hours=24)
            with (
                cpu_time() as spent,
                pytest.raises(cc.InvalidValueError, match="at most 24 hours") as info,
            ):
                cc.AttendanceRecord.extra(start, end + dt.timedelta(microseconds=1))
            assert spent.seconds < 1 and info.value.field == "end"

    @pytest.mark.parametrize("zone", [ZoneInfo("localtime"), pendulum.timezone("localtime")])
    def test_the_host_zone_is_refused(self, zone: dt.tzinfo) -> None:
        """A datetime in "localtime" names a different instant on another machine."""
        start = dt.datetime(2026, 3, 3, 10, tzinfo=zone)
        with pytest.raises(cc.InvalidValueError, match="host's own zone") as info:
            cc.AttendanceRecord.extra(start, start + dt.timedelta(hours=1))
        assert info.value.field == "start"

    def test_records_compare_by_instant(self) -> None:
        """01:15 EDT and 01:15 EST share a tzinfo and a wall clock, but not an instant: two
        records starting at them are different records."""
        end = dt.datetime(2026, 11, 1, 1, 45, tzinfo=NEW_YORK, fold=1)
        a = cc.AttendanceRecord.extra(dt.datetime(2026, 11, 1, 1, 15, tzinfo=NEW_YORK), end)
        b = cc.AttendanceRecord.extra(dt.datetime(2026, 11, 1, 1, 15, tzinfo=NEW_YORK, fold=1), end)
        assert a.attended == H(hours=1, minutes=30) and b.attended == H(minutes=30)
        assert a != b and len({a, b}) == 2
        assert cc.from_dict(cc.AttendanceRecord, cc.to_dict(a)) == a

    @pytest.mark.parametrize(("end_hour", "end_minute"), [(0, 0), (0, 30)])
    def test_an_extra_session_up_to_or_past_midnight_is_judged(
        self, end_hour: int, end_minute: int
    ) -> None:
        """The issue's example: 23:00 to 00:00 is not overnight (it ends at midnight) and every
        rule runs on it; 23:00 to 00:30 is overnight, and every rule runs too."""
        cal = calendar(weeks=1)
        start = pendulum.datetime(2026, 3, 3, 23, tz="America/New_York")
        end = pendulum.datetime(2026, 3, 4, end_hour, end_minute, tz="America/New_York")
        extra = cc.AttendanceRecord.extra(start, end)
        attendance = cc.Attendance(cal, [*present(cal), extra])
        assert attendance.by_week()[0].delivered == H(hours=9) + (end - start)
        for ruleset in rulesets.ALL.values():
            assert crashes(cc.validate(attendance, ruleset)) == []
        report = cc.validate(attendance, rulesets.ASAM3)
        assert report.ok and report.applied

    def test_an_attendance_takes_only_its_own_calendars_sessions(self) -> None:
        """The issue's example: a record of the UTC calendar's session is refused by an
        attendance on the London calendar, though both start at the same instant."""
        program = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon"], hours_per_session=3,
                                             weeks=1)  # fmt: skip
        london = cc.expand(program, D(2026, 1, 5), "Europe/London")
        utc = cc.expand(program, D(2026, 1, 5), "UTC")
        assert london.sessions[0].start == utc.sessions[0].start
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Attendance(london, [cc.AttendanceRecord(utc.sessions[0], S.PRESENT)])
        assert info.value.field == "records[0].session"
        assert cc.Attendance(london, [cc.AttendanceRecord(london.sessions[0], S.PRESENT)]).rate == 1


class TestEvolve:
    """attrs.evolve on a record makes a new record, checked as the constructor checks."""

    def test_a_scheduled_record_evolves(self) -> None:
        """Change the status, the time attended or the client; the implied time follows."""
        s = calendar().sessions[0]
        record = cc.AttendanceRecord(s, S.PRESENT)
        absent = attrs.evolve(record, status=S.ABSENT)
        assert absent == cc.AttendanceRecord(s, S.ABSENT) and absent.attended == H()
        partial = attrs.evolve(record, status=S.PARTIAL, attended=H(hours=2))
        assert partial.attended == H(hours=2)
        assert attrs.evolve(partial, client_id="c-1").client_id == "c-1"
        assert attrs.evolve(record) == record

    def test_an_extra_record_evolves(self) -> None:
        """An extra session's times, service and flags carry over; new ones are checked."""
        at = pendulum.datetime(2026, 3, 3, 10, tz="UTC")
        record = cc.AttendanceRecord.extra(at, at.add(hours=1), service=cc.Service.CASE_MANAGEMENT,
                                           program_day=True)  # fmt: skip
        later = attrs.evolve(record, end=at.add(hours=2), client_id="c-1")
        assert later == cc.AttendanceRecord.extra(at, at.add(hours=2), client_id="c-1",
                                                  service=cc.Service.CASE_MANAGEMENT,
                                                  program_day=True)  # fmt: skip
        assert later.attended == H(hours=2) and later.program_day

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"attended": H(hours=5)}, "attended"),
            ({"status": "here"}, "status"),
            ({"start": pendulum.datetime(2026, 3, 3, tz="UTC")}, "start"),
            ({"program_day": False}, "program_day"),
            ({"session": None}, "session"),
        ],
    )
    def test_bad_changes_to_a_scheduled_record_are_refused(
        self, changes: dict[str, object], field: str
    ) -> None:
        """Each refusal is the library's error, naming the field."""
        record = cc.AttendanceRecord(calendar().sessions[0], S.PRESENT)
        with pytest.raises(cc.CareContinuumError) as info:
            attrs.evolve(record, **changes)
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_bad_changes_to_an_extra_record_are_refused(self) -> None:
        """An end before the start, or a scheduled session, is refused with the field named."""
        at = pendulum.datetime(2026, 3, 3, 10, tz="UTC")
        record = cc.AttendanceRecord.extra(at, at.add(hours=1))
        with pytest.raises(cc.InvalidValueError) as info:
            attrs.evolve(record, end=at)
        assert info.value.field == "end"
        with pytest.raises(cc.InvalidValueError) as info:
            attrs.evolve(record, session=calendar().sessions[0])
        assert info.value.field == "start"


class TestAttendance:
    def test_rate_leaves_excused_out(self) -> None:
        """2 present, 1 partial, 1 absent, 2 excused: 3 of 4 counted sessions attended."""
        cal = calendar()
        a, b, c, d, e, f = cal.sessions
        records = [
            cc.AttendanceRecord(a, S.PRESENT),
            cc.AttendanceRecord(b, S.PRESENT),
            cc.AttendanceRecord(c, S.PARTIAL, attended=H(hours=1.5)),
            cc.AttendanceRecord(d, S.ABSENT),
            cc.AttendanceRecord(e, S.EXCUSED),
            cc.AttendanceRecord(f, S.EXCUSED),
        ]
        attendance = cc.Attendance(cal, records, client_id="c-17")
        assert attendance.rate == 0.75
        assert attendance.hours_rate == 7.5 / 12
        assert attendance.unrecorded == ()
        assert attendance.record_for(c) is records[2]

    def test_no_countable_record_means_no_rate(self) -> None:
        """Nothing recorded (or all excused): the rate is None, not 0 or 100%."""
        cal = calendar()
        assert cc.Attendance(cal, []).rate is None
        excused = [cc.AttendanceRecord(s, S.EXCUSED) for s in cal.sessions]
        assert cc.Attendance(cal, excused).hours_rate is None

    def test_planned_against_delivered_by_week(self) -> None:
        """Week 1: all attended; week 2: Monday missed and Wednesday not yet recorded."""
        cal = calendar()
        records = [cc.AttendanceRecord(s, S.PRESENT) for s in cal.sessions[:3]]
        records.append(cc.AttendanceRecord(cal.sessions[3], S.ABSENT))
        attendance = cc.Attendance(cal, records)
        first, second = attendance.by_week()
        assert (first.planned, first.delivered, first.complete) == (H(hours=9), H(hours=9), True)
        assert (second.delivered, second.shortfall, second.complete) == (H(), H(hours=9), False)
        assert attendance.attended_by_week() == {D(2026, 3, 2): H(hours=9), D(2026, 3, 9): H()}
        assert attendance.planned_by_week() == cal.hours_by_week()
        assert attendance.unrecorded == cal.sessions[4:]

    def test_extra_sessions_count_in_their_week(self) -> None:
        """An added individual hour on Tuesday adds to the week's delivered time."""
        cal = calendar(weeks=1)
        at = pendulum.datetime(2026, 3, 3, 14, tz="America/New_York")
        records = [*present(cal), cc.AttendanceRecord.extra(at, at.add(hours=1))]
        attendance = cc.Attendance(cal, records)
        assert attendance.by_week()[0].delivered == H(hours=10)

    def test_records_for_sessions_not_in_the_calendar_are_refused(self) -> None:
        """Another calendar's session, a closed session, or one recorded twice."""
        cal = calendar()
        other = calendar(days=("tue",))
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Attendance(cal, [cc.AttendanceRecord(other.sessions[0], S.PRESENT)])
        assert info.value.field == "records[0].session"
        program = cal.program
        shut = cc.expand(program, D(2026, 3, 2), "America/New_York", closures=[D(2026, 3, 4)])
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Attendance(shut, [cc.AttendanceRecord(cal.sessions[1], S.PRESENT)])
        assert "closure" in str(info.value)
        twice = [cc.AttendanceRecord(cal.sessions[0], S.PRESENT),
                 cc.AttendanceRecord(cal.sessions[0], S.ABSENT)]  # fmt: skip
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Attendance(cal, twice)
        assert info.value.field == "records[1].session"

    def test_extra_sessions_outside_the_period_are_refused(self) -> None:
        """An extra session a month after the calendar ends is not this calendar's."""
        cal = calendar(weeks=1)
        at = pendulum.datetime(2026, 4, 20, 10, tz="America/New_York")
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Attendance(cal, [cc.AttendanceRecord.extra(at, at.add(hours=1))])
        assert info.value.field == "records[0].start"

    def test_records_of_two_clients_are_refused(self) -> None:
        """One Attendance is one client."""
        cal = calendar()
        a, b = cal.sessions[:2]
        mixed = [cc.AttendanceRecord(a, S.PRESENT, client_id="c-1"),
                 cc.AttendanceRecord(b, S.PRESENT, client_id="c-2")]  # fmt: skip
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Attendance(cal, mixed)
        assert info.value.field == "records[1].client_id"
        with pytest.raises(cc.InvalidValueError):
            cc.Attendance(cal, mixed[:1], client_id="c-9")
        assert cc.Attendance(cal, mixed[:1]).client_id == "c-1"

    def test_attendance_is_a_value(self) -> None:
        """It pickles to an equal value."""
        cal = calendar()
        attendance = cc.Attendance(cal, present(cal)[:4], client_id="c-1")
        clone = pickle.loads(pickle.dumps(attendance))
        assert clone == attendance and clone.rate == attendance.rate


class TestRulesOnAttendance:
    def test_a_php_week_of_15_delivered_hours_counts_as_iop(self) -> None:
        """Medicare: a PHP client who attended 15 hours had an IOP week; the finding says so."""
        cal = calendar("PHP", ("mon", "tue", "wed", "thu", "fri"), 5, weeks=1)
        records = [cc.AttendanceRecord(s, S.PRESENT if i < 3 else S.ABSENT)
                   for i, s in enumerate(cal.sessions)]  # fmt: skip
        report = cc.validate(cc.Attendance(cal, records), rulesets.MEDICARE_2024)
        (error,) = report.errors
        assert error.rule_id == "MEDICARE-PHP-HOURS"
        assert error.looks_like == GENERIC["IOP"]
        assert error.found == "15 clinical hours in the week of 2026-03-02 as attended"
        assert cc.validate(cal, rulesets.MEDICARE_2024).ok  # the plan itself was PHP

    def test_weeks_not_fully_recorded_are_noted_not_judged(self) -> None:
        """Future weeks (no records yet) do not fail the weekly minimum."""
        cal = calendar()
        attendance = cc.Attendance(cal, present(cal)[:3])
        report = cc.validate(attendance, rulesets.ASAM3)
        assert report.ok
        assert [f.path for f in report.infos] == ["weeks[2026-03-09]"]
        assert "attendance record" in report.infos[0].message

    def test_an_attendance_goal_is_a_rule(self) -> None:
        """A 90% goal: 5 of 6 attended (83%) is below it; excused absences do not count."""
        goal = cc.RuleSet("CLINIC", "1", [rulesets.attendance_rate(
            "CLINIC-ATTENDANCE", "Attend 90% of sessions",
            source=cc.Source("Clinic policy (illustrative)"), at_least=0.9)])  # fmt: skip
        cal = calendar()
        records = present(cal)
        records[5] = cc.AttendanceRecord(cal.sessions[5], S.ABSENT)
        report = cc.validate(cc.Attendance(cal, records), goal)
        assert [f.found for f in report.warnings] == ["83%"]
        records[5] = cc.AttendanceRecord(cal.sessions[5], S.EXCUSED)
        assert cc.validate(cc.Attendance(cal, records), goal).warnings == ()
        assert cc.validate(cal, goal).applied == ()  # it judges attendance only

    def test_nc_billing_minimum_judges_attended_days(self) -> None:
        """NC SAIOP's 3-hours-a-day rule, on attendance in 2024 (8A in force): a day attended
        for 2 hours fails."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=1, start="09:00"
        )
        cal = cc.expand(program, D(2024, 3, 4), "America/New_York")
        records = present(cal)
        records[1] = cc.AttendanceRecord(cal.sessions[1], S.PARTIAL, attended=H(hours=2))
        report = cc.validate(cc.Attendance(cal, records), rulesets.NC_SAIOP)
        assert [(f.rule_id, f.path) for f in report.errors] == [
            ("NC-SAIOP-HOURS-PER-DAY", "records[1]")
        ]

    @pytest.mark.parametrize("at_least", [1.5, -0.1, True, "90%"])
    def test_goals_are_shares(self, at_least: object) -> None:
        """0.9 means 90%: 90 or '90%' is refused."""
        with pytest.raises(cc.CareContinuumError):
            rulesets.attendance_rate("X", "x", source=cc.Source("S"), at_least=at_least)  # type: ignore[arg-type]


@settings(max_examples=50)
@given(st.lists(st.sampled_from(list(S)), min_size=6, max_size=6))
def test_delivered_time_is_the_sum_of_attended_time(statuses: list[cc.AttendanceStatus]) -> None:
    """Delivered per week sums the records; the rate is attended over counted sessions."""
    cal = calendar()
    records = [
        cc.AttendanceRecord(s, status, attended=H(hours=1) if status is S.PARTIAL else None)
        for s, status in zip(cal.sessions, statuses, strict=True)
    ]
    attendance = cc.Attendance(cal, records)
    total = sum((d.delivered for d in attendance.by_week()), H())
    assert total == sum((r.attended for r in records), H())
    counted = [s for s in statuses if s is not S.EXCUSED]
    if counted:
        attended = sum(s is not S.ABSENT for s in counted)
        assert attendance.rate == pytest.approx(attended / len(counted))
    else:
        assert attendance.rate is None


@given(st.sampled_from(["status", "attended", "client_id"]), garbage)
def test_malformed_record_arguments_raise_only_library_errors(field: str, value: object) -> None:
    """Any junk in a record's fields gives a record or a CareContinuumError naming the field."""
    arguments: dict[str, object] = {"status": S.PARTIAL, "attended": H(hours=1)}
    arguments[field] = value
    try:
        cc.AttendanceRecord(calendar().sessions[0], **arguments)  # type: ignore[arg-type]
    except cc.CareContinuumError as error:
        assert getattr(error, "field", "") in ("status", "attended", "client_id")
