"""Medicare's per-diem tiers count billed service units (rulesets/_per_diem.py): timed units of
45 minutes by default, a unit once more than half of it is delivered, from what was delivered."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pendulum import WeekDay

import carecontinuum as cc
import carecontinuum.strategies as ccst
from carecontinuum import rulesets
from carecontinuum._frozen import FrozenMap
from carecontinuum._measures import profile_of, weeks_of
from carecontinuum.catalogs import GENERIC
from carecontinuum.rulesets import PerDiemDay, PerDiemTier, per_diem_days

S = cc.Service
M = pendulum.duration
IOP = GENERIC["IOP"]
ADULT, SUD = cc.Population.ADULT, cc.Track.SUBSTANCE_USE
RULE = "MEDICARE-PER-DIEM-TIERS"
MONDAY = pendulum.date(2026, 3, 2)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def day_of(*parts: tuple[cc.Service, timedelta]) -> cc.ProgramStructure:
    """An IOP of one session a week, Monday 09:00, made of `parts` in order."""
    segments = [cc.Segment(service, length) for service, length in parts]
    session = cc.Session(WeekDay.MONDAY, pendulum.time(9), segments)
    return cc.ProgramStructure(IOP, ADULT, SUD, [session], weeks=8)


def services_of(program: cc.ProgramStructure, **kw: float) -> int:
    (day,) = per_diem_days(program, **kw)
    return day.services


def tier_finding(subject: object, ruleset: cc.RuleSet = rulesets.MEDICARE_2024) -> cc.Finding:
    (finding,) = [f for f in cc.validate(subject, ruleset).findings if f.rule_id == RULE]
    return finding


def four_services() -> cc.ProgramStructure:
    """Three 3-hour days of check-in, group, psychoeducation and relapse prevention, 45
    minutes each: 4 services a day."""
    return cc.ProgramStructure.weekly(
        IOP, days=["mon", "wed", "fri"], hours_per_session=3, weeks=1,
        services=[S.CHECK_IN, S.GROUP_THERAPY, S.PSYCHOEDUCATION, S.RELAPSE_PREVENTION],
    )  # fmt: skip


# ---- counting units ---------------------------------------------------------------------------


class TestUnits:
    @pytest.mark.parametrize(
        ("length", "units"),
        [
            (M(minutes=22, seconds=30), 0),  # exactly half a unit: not yet billed
            (M(minutes=22, seconds=31), 1),
            (M(minutes=45), 1),
            (M(minutes=67, seconds=30), 1),
            (M(minutes=67, seconds=31), 2),
            (M(minutes=112, seconds=30), 2),
            (M(minutes=112, seconds=31), 3),
            (M(minutes=157, seconds=30), 3),
            (M(minutes=157, seconds=31), 4),
        ],
    )
    def test_a_unit_counts_once_more_than_half_of_it_is_delivered(
        self, length: pendulum.Duration, units: int
    ) -> None:
        """45-minute units: unit k is billed once more than k - 1/2 units of time are
        delivered (the CPT time rule), not at the half itself."""
        assert services_of(day_of((S.GROUP_THERAPY, length))) == units

    def test_a_three_hour_group_day_holds_four_services(self) -> None:
        """A 3-hour group day (the described programs' session) is 4 timed units, not one
        service, so it reaches the upper tier."""
        (day,) = per_diem_days(day_of((S.GROUP_THERAPY, M(hours=3))))
        assert (day.services, day.tier) == (4, PerDiemTier.FOUR_OR_MORE)
        assert (day.week, day.weekday, day.day) == ("the typical week", WeekDay.MONDAY, None)

    def test_exactly_three_services_is_the_lower_tier(self) -> None:
        """Three 1-hour services are 1 unit each: 3 services, the 3-service tier; a fourth
        half-hour service makes 4."""
        three = [(S.GROUP_THERAPY, M(hours=1)), (S.PSYCHOEDUCATION, M(hours=1)),
                 (S.RELAPSE_PREVENTION, M(hours=1))]  # fmt: skip
        assert per_diem_days(day_of(*three))[0].tier is PerDiemTier.THREE
        four = day_of(*three, (S.CASE_MANAGEMENT, M(minutes=30)))
        assert per_diem_days(four)[0].tier is PerDiemTier.FOUR_OR_MORE

    def test_a_service_is_summed_over_the_day_before_it_is_cut_into_units(self) -> None:
        """Two 30-minute groups on one day are 60 minutes of group: 1 unit, not 2 (a claim
        bills one line per service and date)."""
        split = day_of((S.GROUP_THERAPY, M(minutes=30)), (S.BREAK, M(minutes=15)),
                       (S.GROUP_THERAPY, M(minutes=30)))  # fmt: skip
        assert services_of(split) == 1
        apart = day_of((S.GROUP_THERAPY, M(minutes=30)), (S.PSYCHOEDUCATION, M(minutes=30)))
        assert services_of(apart) == 2

    def test_breaks_hold_no_units(self) -> None:
        """A 3-hour session with a 15-minute break holds 165 clinical minutes: still 4 units;
        the break is never counted."""
        windmill = day_of((S.CHECK_IN, M(minutes=30)), (S.PROCESS_GROUP, M(minutes=75)),
                          (S.BREAK, M(minutes=15)), (S.PSYCHOEDUCATION, M(minutes=60)))  # fmt: skip
        assert services_of(windmill) == 4
        assert services_of(day_of((S.GROUP_THERAPY, M(minutes=20)), (S.BREAK, M(hours=2)))) == 0

    def test_the_unit_length_is_a_parameter(self) -> None:
        """With 50-minute units (G0410's upper end) the Windmill day's 75-minute process group
        is 1 unit (75 is not past 1.5 units), and the day drops to 3 services."""
        windmill = day_of((S.CHECK_IN, M(minutes=30)), (S.PROCESS_GROUP, M(minutes=75)),
                          (S.BREAK, M(minutes=15)), (S.PSYCHOEDUCATION, M(minutes=60)))  # fmt: skip
        assert services_of(windmill, unit_minutes=50) == 3
        assert services_of(windmill, unit_minutes=45) == 4
        assert services_of(day_of((S.GROUP_THERAPY, M(hours=3))), unit_minutes=60) == 3

    def test_days_that_are_not_program_days_are_not_listed(self) -> None:
        """A separate appointment on a day of its own is not a program day; on a program day
        it adds to that day's units."""

        def hour(day: WeekDay, service: cc.Service, **kw: bool) -> cc.Session:
            return cc.Session(day, pendulum.time(14), [cc.Segment(service, M(hours=1))], **kw)

        group = cc.Session(
            WeekDay.MONDAY, pendulum.time(9), [cc.Segment(S.GROUP_THERAPY, M(hours=2))]
        )
        same_day = hour(WeekDay.MONDAY, S.INDIVIDUAL_THERAPY, program_day=False)
        other_day = hour(WeekDay.TUESDAY, S.INDIVIDUAL_THERAPY, program_day=False)
        program = cc.ProgramStructure(IOP, ADULT, SUD, [group, same_day, other_day], weeks=8)
        (monday,) = per_diem_days(program)
        assert (monday.weekday, monday.services) == (WeekDay.MONDAY, 3 + 1)


class TestPartialAttendance:
    def attendance(self, attended: timedelta) -> cc.Attendance:
        calendar = cc.expand(four_services(), MONDAY, "UTC")
        mon, wed, fri = calendar.sessions
        return cc.Attendance(calendar, [
            cc.AttendanceRecord(mon, cc.AttendanceStatus.PRESENT),
            cc.AttendanceRecord(wed, cc.AttendanceStatus.PARTIAL, attended=attended),
            cc.AttendanceRecord(fri, cc.AttendanceStatus.ABSENT),
        ])  # fmt: skip

    def test_twenty_minutes_of_a_four_service_day_is_not_a_four_service_day(self) -> None:
        """A client who stays 20 minutes of a 4-service session received no billable unit:
        the day is below the 3-service tier, not 'four distinct services'."""
        days = per_diem_days(self.attendance(M(minutes=20)))
        assert [(d.day, d.services, d.tier) for d in days] == [
            (MONDAY, 4, PerDiemTier.FOUR_OR_MORE),
            (MONDAY.add(days=2), 0, PerDiemTier.BELOW_THREE),
        ]
        finding = tier_finding(self.attendance(M(minutes=20)))
        assert finding.severity is cc.Severity.WARNING
        assert finding.found.startswith("0 day(s) with 3 services, 1 with 4 or more, 1 with fewer")

    def test_a_partial_is_read_as_attended_from_the_start(self) -> None:
        """100 of 180 minutes: the first two 45-minute segments (1 unit each) and 10 minutes of
        the third (no unit): 2 services."""
        (_, wednesday) = per_diem_days(self.attendance(M(minutes=100)))
        assert wednesday.services == 2
        (_, wednesday) = per_diem_days(self.attendance(M(minutes=158)))
        assert wednesday.services == 4  # 45 + 45 + 45 + 23: the fourth passes its midpoint

    def test_days_are_dated_for_calendars_and_attendance(self) -> None:
        """A calendar's days carry their dates; a closed day is not a program day."""
        calendar = cc.expand(four_services(), MONDAY, "UTC", closures=[MONDAY.add(days=2)])
        days = per_diem_days(calendar)
        assert [(d.day, d.weekday) for d in days] == [
            (MONDAY, WeekDay.MONDAY),
            (MONDAY.add(days=4), WeekDay.FRIDAY),
        ]
        assert {d.week for d in days} == {"the week of 2026-03-02"}


# ---- the rule ---------------------------------------------------------------------------------


class TestRule:
    def test_the_rule_and_per_diem_days_tell_one_truth(self) -> None:
        """The rule's summary counts the tiers per_diem_days gives."""
        program = day_of((S.GROUP_THERAPY, M(hours=1)), (S.PSYCHOEDUCATION, M(hours=1)),
                         (S.RELAPSE_PREVENTION, M(hours=1)))  # fmt: skip
        finding = tier_finding(program)
        assert finding.severity is cc.Severity.INFO
        assert finding.found == (
            "1 day(s) with 3 services, 0 with 4 or more, 0 with fewer, in the typical week"
        )

    def test_override_changes_the_unit(self) -> None:
        """`override(unit_minutes=50)` recounts: the Windmill day is 3 services, and the
        finding names the unit."""
        windmill = day_of((S.CHECK_IN, M(minutes=30)), (S.PROCESS_GROUP, M(minutes=75)),
                          (S.BREAK, M(minutes=15)), (S.PSYCHOEDUCATION, M(minutes=60)))  # fmt: skip
        assert tier_finding(windmill).found.startswith("0 day(s) with 3 services, 1 with 4")
        fifty = rulesets.MEDICARE_2024.override(RULE, unit_minutes=50)
        assert fifty[RULE].params["unit_minutes"] == 50
        finding = tier_finding(windmill, fifty)
        assert finding.found.startswith("1 day(s) with 3 services, 0 with 4")
        assert finding.expected == "3 or more service units of 50 minutes on each program day"

    def test_a_day_below_three_services_warns(self) -> None:
        """Two hours of group is 3 units; an hour and a half is 2: a warning naming the tier."""
        assert tier_finding(day_of((S.GROUP_THERAPY, M(hours=2)))).severity is cc.Severity.INFO
        finding = tier_finding(day_of((S.GROUP_THERAPY, M(minutes=90))))
        assert finding.severity is cc.Severity.WARNING
        assert finding.message == (
            "1 program day(s) hold fewer than 3 service units of 45 minutes, below the 3-service "
            "per-diem tier (0 day(s) with 3 services, 0 with 4 or more, 1 with fewer, in the "
            "typical week)."
        )

    @pytest.mark.parametrize("severity", list(cc.Severity))
    def test_classify_keeps_a_level_whose_days_are_below_the_tier_at_any_severity(
        self, severity: cc.Severity
    ) -> None:
        """Six days of 1 h 45 min of group are 10.5 hours a week (Medicare's IOP band) and 2
        units a day: the per-diem summary is a WARNING whatever the rule's severity, so even
        a per-diem rule made an ERROR keeps the IOP, in `classify` as in `validate`."""
        program = cc.ProgramStructure.weekly(
            IOP, days=["mon", "tue", "wed", "thu", "fri", "sat"], hours_per_session=1.75,
            weeks=8,
        )  # fmt: skip
        ruleset = rulesets.MEDICARE_2024.with_severity(RULE, severity)
        assert tier_finding(program, ruleset).severity is cc.Severity.WARNING
        (kept,) = cc.classify(program, ruleset)
        assert kept.level == IOP and kept.report == cc.validate(program, ruleset)

    @pytest.mark.parametrize("minutes", [0, 1441, 2**53 - 1, 10**400])
    def test_override_refuses_a_unit_the_rule_cannot_count_by(self, minutes: int) -> None:
        """Overriding the unit checks it as per_diem_days does (a unit of 0 minutes, or longer
        than a day, would make the rule fail to run)."""
        with pytest.raises(cc.InvalidValueError) as caught:
            rulesets.MEDICARE_2024.override(RULE, unit_minutes=minutes)
        assert caught.value.field == "unit_minutes"

    def test_a_unit_of_no_length_is_reported_not_divided_by(self) -> None:
        """A rule given a unit of 0 minutes by hand (past override's check) reports an error
        naming unit_minutes, and the other rules still run."""
        rule = rulesets.MEDICARE_2024[RULE]
        broken = attrs.evolve(rule, params=FrozenMap({"unit_minutes": 0}))
        zero = rulesets.MEDICARE_2024.without(RULE) | cc.RuleSet("local", "1", [broken])
        report = cc.validate(day_of((S.GROUP_THERAPY, M(hours=3))), zero)
        assert [f.rule_id for f in report.errors] == ["MEDICARE-IOP-HOURS", RULE]
        error = report.errors[1]
        assert "'unit_minutes' must be a positive number" in error.found

    def test_the_source_cites_the_unit_and_what_was_not_confirmed(self) -> None:
        """The source note states the unit, the rounding rule and what could not be
        confirmed."""
        source = rulesets.MEDICARE_2024[RULE].source
        assert "APC 5851" in (source.locator or "") and "APC 5852" in (source.locator or "")
        note = source.note or ""
        assert "45 to 50 minutes" in note and "midpoint is passed" in note
        assert "Not confirmed" in note

    def test_the_seed_programs_reach_a_tier_on_every_program_day(self) -> None:
        """Normal care does not warn: every program day of the five described programs (each
        variant) holds 4 or more service units, as a clinician billing them would count."""
        import sys  # noqa: PLC0415

        sys.path.insert(0, str(EXAMPLES))
        try:
            from _programs import programs  # noqa: PLC0415

            built = programs()
        finally:
            sys.path.remove(str(EXAMPLES))
        assert len(built) == 10
        for name, program in built.items():
            assert {d.tier for d in per_diem_days(program)} == {PerDiemTier.FOUR_OR_MORE}, name
            assert tier_finding(program).severity is cc.Severity.INFO, name


# ---- the values -------------------------------------------------------------------------------


class TestPerDiemDay:
    @pytest.mark.parametrize(
        ("services", "tier"),
        [(0, PerDiemTier.BELOW_THREE), (2, PerDiemTier.BELOW_THREE), (3, PerDiemTier.THREE),
         (4, PerDiemTier.FOUR_OR_MORE), (9, PerDiemTier.FOUR_OR_MORE)],
    )  # fmt: skip
    def test_the_tier_follows_the_services(self, services: int, tier: PerDiemTier) -> None:
        """3 services is the lower tier, 4 or more the upper, fewer neither."""
        assert PerDiemDay("the typical week", WeekDay.FRIDAY, services).tier is tier
        assert PerDiemTier.of(services) is tier

    @pytest.mark.parametrize(
        ("args", "kw", "error", "field"),
        [
            (("", WeekDay.MONDAY, 3), {}, cc.InvalidValueError, "week"),
            (("w", 0, 3), {}, cc.InvalidTypeError, "weekday"),
            (("w", WeekDay.MONDAY, -1), {}, cc.InvalidValueError, "services"),
            (("w", WeekDay.MONDAY, True), {}, cc.InvalidTypeError, "services"),
            (("w", WeekDay.MONDAY, 3), {"day": MONDAY.add(days=1)}, cc.InvalidValueError, "day"),
            (("w", WeekDay.MONDAY, 3), {"day": datetime(2026, 3, 2)}, cc.InvalidTypeError, "day"),
        ],
    )
    def test_malformed_fields_are_refused_by_name(
        self, args: tuple[object, ...], kw: dict[str, object], error: type, field: str
    ) -> None:
        """Each bad field raises the library's error naming it."""
        with pytest.raises(error) as info:
            PerDiemDay(*args, **kw)  # type: ignore[arg-type]
        assert info.value.field == field

    def test_a_plain_date_is_kept_as_a_pendulum_date(self) -> None:
        day = PerDiemDay("w", WeekDay.MONDAY, 3, day=date(2026, 3, 2))
        assert type(day.day) is pendulum.Date and day == PerDiemDay("w", WeekDay.MONDAY, 3,
                                                                    day=MONDAY)  # fmt: skip

    @pytest.mark.parametrize(
        ("unit", "error"),
        [(0, cc.InvalidValueError), (-45, cc.InvalidValueError), (math.nan, cc.InvalidValueError),
         (1441, cc.InvalidValueError), (True, cc.InvalidTypeError), ("45", cc.InvalidTypeError)],
    )  # fmt: skip
    def test_per_diem_days_refuses_a_bad_unit(self, unit: object, error: type) -> None:
        """The unit is a positive number of minutes, at most a day."""
        with pytest.raises(error) as info:
            per_diem_days(day_of((S.GROUP_THERAPY, M(hours=3))), unit_minutes=unit)  # type: ignore[arg-type]
        assert info.value.field == "unit_minutes"

    def test_per_diem_days_needs_a_subject_with_weeks(self) -> None:
        with pytest.raises(cc.InvalidTypeError) as info:
            per_diem_days(IOP)
        assert info.value.field == "subject"


# ---- properties -------------------------------------------------------------------------------

units = st.integers(5, 120)


@given(st.one_of(ccst.programs(), ccst.calendars(), ccst.attendances()), units)
def test_units_are_each_services_time_rounded_at_its_midpoint(subject: object, unit: int) -> None:
    """Each service's units are its time over the unit, rounded at the midpoint, so a day of D
    clinical minutes and k services holds at least D/u - k/2 units and fewer than D/u + k/2
    (rounding down or up instead would break one side)."""
    days = {(d.week, d.weekday.value): d for d in per_diem_days(subject, unit_minutes=unit)}
    unit_us = unit * 60_000_000
    for week in weeks_of(subject):
        for weekday in week.program_days:
            day = days.pop((week.label, weekday))
            delivered, k = week.day_us[weekday], len(week.services_on(weekday))
            # In integers: D/u - k/2 <= services < D/u + k/2, times 2u.
            assert 2 * delivered - k * unit_us <= 2 * day.services * unit_us
            assert 2 * day.services * unit_us < 2 * delivered + k * unit_us
    assert days == {}


def _units_by_hand(subject: object, unit_us: int) -> list[tuple[str, int, int]]:
    """(week, weekday, units) of each program day, minute by minute: a session's entry fills its
    clinical segments in order; each service's time on a day is cut into units that count once
    more than half of them is delivered."""
    out = []
    for week in weeks_of(subject):
        program = {day for day, _, _, session in week._entries if session.program_day}
        served: dict[tuple[int, object], int] = {}
        for day, us, _, session in week._entries:
            if day not in program:
                continue
            left = us
            for segment in session.segments:
                if segment.service is S.BREAK:
                    continue
                length = int(segment.duration.total_seconds() * 1_000_000)
                taken = min(length, max(left, 0))
                served[day, segment.service] = served.get((day, segment.service), 0) + taken
                left -= taken
        for day in sorted(program):
            units = 0
            for (on, _), us in served.items():
                if on == day:
                    k = 0
                    while 2 * us > (2 * k + 1) * unit_us:  # unit k+1 is more than half delivered
                        k += 1
                    units += k
            out.append((week.label, day, units))
    return out


@given(st.one_of(ccst.programs(), ccst.calendars(), ccst.attendances()), units)
def test_per_diem_days_count_what_a_hand_count_does(subject: object, unit: int) -> None:
    """per_diem_days' units are the hand count's, day by day: sessions of one segment and of
    several, breaks, partial attendance and separate appointments on program days alike."""
    days = per_diem_days(subject, unit_minutes=unit)
    by_hand = _units_by_hand(subject, unit * 60_000_000)
    assert [(d.week, d.weekday.value, d.services) for d in days] == by_hand


@given(st.integers(1, 600), st.integers(1, 600), units)
def test_services_and_tiers_never_fall_as_minutes_grow(a: int, b: int, unit: int) -> None:
    """More minutes of a service never make fewer services or a lower tier, and a service
    never holds more units than its minutes over the unit, rounded up."""
    short, long = sorted((a, b))
    order = list(PerDiemTier)
    counts = [services_of(day_of((S.GROUP_THERAPY, M(minutes=m))), unit_minutes=unit)
              for m in (short, long)]  # fmt: skip
    assert counts[0] <= counts[1] <= math.ceil(long / unit)
    assert order.index(PerDiemTier.of(counts[0])) <= order.index(PerDiemTier.of(counts[1]))


@given(ccst.programs(), units, units)
def test_longer_units_never_make_more_services(
    program: cc.ProgramStructure, a: int, b: int
) -> None:
    """A longer unit never counts more services on any day."""
    short, long = sorted((a, b))
    many = per_diem_days(program, unit_minutes=short)
    few = per_diem_days(program, unit_minutes=long)
    assert [d.weekday for d in many] == [d.weekday for d in few]
    assert all(f.services <= m.services for f, m in zip(few, many, strict=True))


@given(ccst.programs(level=IOP))
def test_the_rule_summarises_per_diem_days(program: cc.ProgramStructure) -> None:
    """The rule's tier counts are per_diem_days' tiers, and it warns exactly when some day is
    below 3 services."""
    days = per_diem_days(program)
    count = {tier: sum(d.tier is tier for d in days) for tier in PerDiemTier}
    finding = tier_finding(program)
    assert finding.found.startswith(
        f"{count[PerDiemTier.THREE]} day(s) with 3 services, "
        f"{count[PerDiemTier.FOUR_OR_MORE]} with 4 or more, "
        f"{count[PerDiemTier.BELOW_THREE]} with fewer, "
    )
    warns = finding.severity is cc.Severity.WARNING
    assert warns is (count[PerDiemTier.BELOW_THREE] > 0)


@given(st.from_type(PerDiemDay))
def test_per_diem_days_round_trip_through_plain_data(day: PerDiemDay) -> None:
    """One description per value: every per-diem day the strategies draw is written by to_dict
    and read back equal by from_dict."""
    assert cc.from_dict(PerDiemDay, cc.to_dict(day)) == day


# ---- sums per week and per claim period --------------------------------------------------------


class TestPerDiemPeriods:
    """`per_diem_periods` sums `per_diem_days` per week or per calendar month."""

    def calendar(self) -> cc.Calendar:
        """Three 3-hour days a week (4 services each), 8 weeks from Monday 2 March 2026: 13
        program days in March, 11 in April."""
        program = cc.ProgramStructure.weekly(IOP, days=["mon", "wed", "fri"],
                                             hours_per_session=3, weeks=8)  # fmt: skip
        return cc.expand(program, MONDAY, "America/New_York")

    def test_months_are_claim_periods_from_the_first_to_the_last_day(self) -> None:
        march, april = rulesets.per_diem_periods(self.calendar(), per="month")
        assert (march.label, march.first, march.last) == (
            "2026-03", pendulum.date(2026, 3, 1), pendulum.date(2026, 3, 31),
        )  # fmt: skip
        assert (april.label, april.first, april.last) == (
            "2026-04", pendulum.date(2026, 4, 1), pendulum.date(2026, 4, 30),
        )  # fmt: skip
        assert (len(march.days), march.services) == (13, 52)
        assert (len(april.days), april.services) == (11, 44)
        assert march.days_at(PerDiemTier.FOUR_OR_MORE) == march.billable_days == 13
        assert march.days_at("3 services") == 0

    def test_weeks_run_monday_to_sunday(self) -> None:
        weeks = rulesets.per_diem_periods(self.calendar())
        assert len(weeks) == 8
        assert [(w.first, w.last) for w in weeks[:2]] == [
            (MONDAY, MONDAY.add(days=6)), (MONDAY.add(days=7), MONDAY.add(days=13)),
        ]  # fmt: skip
        assert all(len(w.days) == 3 and w.services == 12 for w in weeks)

    def test_a_template_has_weeks_but_no_months(self) -> None:
        (week,) = rulesets.per_diem_periods(four_services())
        assert (week.first, week.last) == (None, None) and week.label == "the typical week"
        with pytest.raises(cc.InvalidValueError) as refused:
            rulesets.per_diem_periods(four_services(), per="month")
        assert refused.value.field == "per"
        with pytest.raises(cc.InvalidValueError) as refused:
            rulesets.per_diem_periods(four_services(), per="quarter")  # type: ignore[arg-type]
        assert refused.value.field == "per"

    def test_days_below_three_services_are_not_billable(self) -> None:
        days = [PerDiemDay("w", WeekDay.MONDAY, 2), PerDiemDay("w", WeekDay.TUESDAY, 3),
                PerDiemDay("w", WeekDay.FRIDAY, 5)]  # fmt: skip
        week = rulesets.PerDiemPeriod("w", days)
        assert (week.services, week.billable_days) == (10, 2)
        assert [week.days_at(t) for t in PerDiemTier] == [1, 1, 1]
        assert str(week) == (
            "w: 3 days, 10 services; 1 at 4 or more services; 1 at 3 services; "
            "1 at fewer than 3 services"
        )

    def test_a_period_holds_only_its_own_days(self) -> None:
        day = PerDiemDay("w", WeekDay.MONDAY, 4, day=MONDAY)
        with pytest.raises(cc.InvalidValueError) as refused:
            rulesets.PerDiemPeriod("w", [day], first=MONDAY.add(days=1), last=MONDAY.add(days=7))
        assert refused.value.field == "days[0].day"
        with pytest.raises(cc.InvalidValueError) as refused:
            rulesets.PerDiemPeriod("w", [day])
        assert refused.value.field == "days[0].day"
        with pytest.raises(cc.InvalidValueError) as refused:
            rulesets.PerDiemPeriod("w", [day], first=MONDAY)
        assert refused.value.field == "last"
        with pytest.raises(cc.InvalidValueError) as refused:
            rulesets.PerDiemPeriod("w", [day], first=MONDAY, last=MONDAY.subtract(days=1))
        assert refused.value.field == "last"
        edges = rulesets.PerDiemPeriod("w", [day], first=MONDAY, last=MONDAY)
        assert edges.days == (day,)

    def test_periods_round_trip_through_plain_data(self) -> None:
        for per in ("week", "month"):
            for period in rulesets.per_diem_periods(self.calendar(), per=per):  # type: ignore[arg-type]
                assert cc.from_dict(cc.to_dict(period)) == period


@given(st.one_of(ccst.calendars(), ccst.attendances()), st.sampled_from(["week", "month"]))
def test_periods_partition_the_days(subject: object, per: str) -> None:
    """Every program day is in exactly one period, in order, within its bounds; a period's
    services are its days' sum."""
    days = per_diem_days(subject)
    periods = rulesets.per_diem_periods(subject, per=per)  # type: ignore[arg-type]
    assert [d for p in periods for d in p.days] == list(days)
    for period in periods:
        assert period.first is not None and period.last is not None
        assert all(period.first <= d.day <= period.last for d in period.days if d.day)
        assert period.services == sum(d.services for d in period.days)
    assert len({p.label for p in periods}) == len(periods)


@given(st.one_of(ccst.programs(), ccst.calendars(), ccst.attendances()), units,
       st.sampled_from(cc.Severity))  # fmt: skip
def test_the_engine_and_the_check_find_the_same(
    subject: object, unit: int, severity: cc.Severity
) -> None:
    """`validate` runs the rule as its emitter, without a `RuleContext`; called as a check (as
    a census calls it), at the same level, the rule finds the same, word for word, at every
    unit length and severity: a WARNING when a day is below the tier, else the rule's
    severity."""
    ruleset = rulesets.MEDICARE_2024.override(RULE, unit_minutes=unit).with_severity(RULE, severity)
    rule = ruleset[RULE]
    _, population, track = profile_of(subject)
    context = cc.RuleContext(subject, rule, ruleset, IOP, population, track, {})
    (by_check,) = rule.check(context)
    judged = cc.validate(subject, ruleset, as_level=IOP)
    (by_engine,) = [f for f in judged.findings if f.rule_id == RULE]
    assert by_engine == by_check
    assert (by_engine.message, by_engine.expected, by_engine.found) == (
        by_check.message, by_check.expected, by_check.found,
    )  # fmt: skip
    low = int(re.search(r", (\d+) with fewer", by_check.found)[1])  # type: ignore[index]
    assert by_check.severity is (cc.Severity.WARNING if low else severity)
