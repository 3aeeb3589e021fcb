"""Test strength (issue 7): the rule factories and the rule engine, pinned down by the facts the
rules encode, so that mutation testing (scripts/mutation) finds no change of behaviour the suite
misses.

Every rule set here is built inside the test that uses it, with the public factories and the
thresholds of the sources they cite: the built-in sets are made once, when `carecontinuum.rulesets`
is imported, so only rules built at test time exercise the factories' own code.
"""

from __future__ import annotations

import pickle

import attrs
import pendulum
import pytest
from hypothesis import given
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum import strategies as cst
from carecontinuum._measures import weeks_of
from carecontinuum.catalogs import ASAM3, GENERIC
from carecontinuum.rulesets import (
    attendance_rate,
    daily_hours,
    days_per_week,
    days_without_service,
    program_weeks,
    service_every_day,
    session_hours,
    sessions_per_week,
    weekly_hours,
)

ADULT, ADOLESCENT = cc.Population.ADULT, cc.Population.ADOLESCENT
SUD, MH = cc.Track.SUBSTANCE_USE, cc.Track.MENTAL_HEALTH
IOP, OP, PHP = GENERIC["IOP"], GENERIC["OP"], GENERIC["PHP"]
STATE = cc.Source("State IOP rule", publisher="State", year=2026, locator="§ 4")


def program(
    level: cc.LevelOfCare,
    hours: float,
    days: list[str] | int = 3,
    *,
    weeks: int | tuple[int, int] = 8,
    population: cc.Population = ADULT,
    track: cc.Track = SUD,
    services: list[cc.Service] | None = None,
) -> cc.ProgramStructure:
    """`hours` clinical hours a week, spread evenly over `days` (the first N days, or named)."""
    names = days if isinstance(days, list) else [d.name for d in list(WeekDay)[:days]]
    return cc.ProgramStructure.weekly(
        level,
        days=names,
        hours_per_session=pendulum.duration(seconds=round(hours * 3600 / len(names))),
        weeks=weeks,
        population=population,
        track=track,
        services=services,
    )


def ruleset(*rules: cc.Rule, name: str = "STATE") -> cc.RuleSet:
    return cc.RuleSet(name, "2026", rules)


def asam3_bands() -> cc.RuleSet:
    """ASAM 3rd edition's weekly hours for adults, rebuilt with the factory: level 1 below 9,
    2.1 from 9 to below 20, 2.5 from 20, and residential 3.1 from 5."""
    return ruleset(
        weekly_hours("A-1", "1", source=STATE, levels=ASAM3["1"], populations=ADULT, less_than=9),
        weekly_hours(
            "A-2.1",
            "2.1",
            source=STATE,
            levels=ASAM3["2.1"],
            populations=ADULT,
            at_least=9,
            less_than=20,
        ),
        weekly_hours("A-2.5", "2.5", source=STATE, levels=ASAM3["2.5"], at_least=20),
        weekly_hours("A-3.1", "3.1", source=STATE, levels=ASAM3["3.1"], at_least=5),
        weekly_hours(
            "A-1-TEEN", "1", source=STATE, levels=ASAM3["1"], populations=ADOLESCENT, less_than=6
        ),
        weekly_hours(
            "A-2.1-TEEN",
            "2.1",
            source=STATE,
            levels=ASAM3["2.1"],
            populations=ADOLESCENT,
            at_least=6,
            less_than=20,
        ),
        name="BANDS",
    )


def typical_bands() -> cc.RuleSet:
    """The program descriptions' weekly hours: OP 1-3, IOP 9-15, PHP 20 or more."""
    return ruleset(
        weekly_hours("T-OP", "OP", source=STATE, levels=OP, at_least=1, at_most=3),
        weekly_hours("T-IOP", "IOP", source=STATE, levels=IOP, at_least=9, at_most=15),
        weekly_hours("T-PHP", "PHP", source=STATE, levels=PHP, at_least=20),
        name="TYPICAL",
    )


def only(report: cc.ValidationReport) -> cc.Finding:
    (finding,) = report.findings
    return finding


# ---- weekly_hours ----------------------------------------------------------------------------


class TestWeeklyHours:
    def test_the_factory_makes_an_intensity_rule_with_its_bounds(self) -> None:
        """The rule keeps its id, title, source and scope; its thresholds are its params (so a
        state can override them); it is an intensity rule, an ERROR unless said otherwise."""
        rule = weekly_hours(
            "S-IOP",
            "IOP: 9-19 hours",
            source=STATE,
            levels=IOP,
            populations=ADULT,
            tracks=SUD,
            at_least=9,
            less_than=20,
        )
        assert (rule.id, rule.title, rule.source) == ("S-IOP", "IOP: 9-19 hours", STATE)
        assert rule.levels == (IOP,)
        assert rule.populations == {ADULT} and rule.tracks == {SUD}
        assert dict(rule.params) == {"at_least": 9, "at_most": None, "less_than": 20}
        assert rule.tags == {"intensity", "weekly-hours"}
        assert rule.severity is cc.Severity.ERROR
        assert (
            cc.Severity.WARNING
            is weekly_hours(
                "W", "w", source=STATE, levels=IOP, at_least=9, severity=cc.Severity.WARNING
            ).severity
        )

    def test_it_judges_templates_and_dated_calendars(self) -> None:
        """The same rule judges a program's typical week and each week of its calendar."""
        rules = ruleset(weekly_hours("S", "9+", source=STATE, levels=IOP, at_least=9))
        short = program(IOP, 6)
        assert cc.validate(short, rules).applied == ("S",)
        calendar = cc.expand(short, pendulum.date(2026, 3, 2), "UTC")
        report = cc.validate(calendar, rules)
        assert report.applied == ("S",) and len(report.errors) == 8

    @pytest.mark.parametrize(
        ("hours", "ok"), [(8.99, False), (9, True), (15, True), (15.01, False)]
    )
    def test_at_least_and_at_most_are_inclusive(self, hours: float, ok: bool) -> None:
        """The descriptions' IOP band, 9-15 hours a week, holds both of its ends."""
        rules = ruleset(weekly_hours("S", "9-15", source=STATE, levels=IOP, at_least=9, at_most=15))
        assert cc.validate(program(IOP, hours), rules).ok is ok

    @pytest.mark.parametrize(("hours", "ok"), [(19.99, True), (20, False), (0, True)])
    def test_less_than_is_exclusive(self, hours: float, ok: bool) -> None:
        """ASAM 2.1 runs to below 20 hours: 20 hours is 2.5's floor, not 2.1."""
        rules = ruleset(weekly_hours("S", "<20", source=STATE, levels=IOP, less_than=20))
        subject = program(IOP, hours) if hours else program(IOP, 1)
        assert cc.validate(subject, rules).ok is ok

    def test_a_short_week_names_the_band_and_the_level_it_looks_like(self) -> None:
        """8.99 hours at ASAM 2.1 (adults) is an ERROR: it is level 1's band (below 9)."""
        finding = only(cc.validate(program(ASAM3["2.1"], 8.99), asam3_bands()))
        assert finding.rule_id == "A-2.1" and finding.severity is cc.Severity.ERROR
        assert finding.expected == "at least 9 and less than 20 clinical hours a week"
        assert finding.found == "8.99 clinical hours in the typical week"
        assert finding.path == "sessions"
        assert finding.looks_like == ASAM3["1"]
        assert finding.message == (
            f"The typical week has 8.99 clinical hours; under BANDS, {ASAM3['2.1']} needs at "
            f"least 9 and less than 20 clinical hours a week. It looks like {ASAM3['1']} instead."
        )

    def test_a_long_week_looks_like_the_next_level_up(self) -> None:
        """20 hours at 2.1 is partial hospitalization (2.5) hours."""
        finding = only(cc.validate(program(ASAM3["2.1"], 20), asam3_bands()))
        assert finding.looks_like == ASAM3["2.5"]
        assert finding.found == "20 clinical hours in the typical week"
        assert finding.message.endswith(f"It looks like {ASAM3['2.5']} instead.")

    def test_hours_never_make_outpatient_care_residential(self) -> None:
        """6 hours at 2.1 meets residential 3.1's floor of 5, but an outpatient program is
        compared with outpatient bands only: it looks like level 1."""
        finding = only(cc.validate(program(ASAM3["2.1"], 6), asam3_bands()))
        assert finding.looks_like == ASAM3["1"]

    def test_adolescent_bands_speak_to_adolescent_programs(self) -> None:
        """An adolescent 2.1 program of 5 hours falls below the adolescent floor of 6; the
        adolescent band for level 1 (below 6) holds it; the adult bands are not consulted."""
        teen = program(ASAM3["2.1"], 5, population=ADOLESCENT)
        finding = only(cc.validate(teen, asam3_bands()))
        assert finding.rule_id == "A-2.1-TEEN" and finding.looks_like == ASAM3["1"]
        assert finding.expected == "at least 6 and less than 20 clinical hours a week"
        assert cc.validate(program(ASAM3["2.1"], 7, population=ADOLESCENT), asam3_bands()).ok

    def test_track_scoped_bands_speak_to_their_track_only(self) -> None:
        """A band for substance-use programs does not place a mental-health program."""
        rules = ruleset(
            weekly_hours("IOP", "IOP", source=STATE, levels=IOP, at_least=9),
            weekly_hours("OP-SUD", "OP", source=STATE, levels=OP, tracks=SUD, at_most=8),
        )
        assert only(cc.validate(program(IOP, 4), rules)).looks_like == OP
        mh = only(cc.validate(program(IOP, 4, track=MH), rules))
        assert mh.looks_like is None
        assert mh.message.endswith("It lies below STATE's lowest band, IOP (9+).")

    def test_between_two_bands_no_level_and_both_bands_named(self) -> None:
        """16 hours is above IOP's 9-15 and below PHP's 20: no level holds it, as classify
        would agree, and the finding names the bands on either side."""
        finding = only(cc.validate(program(IOP, 16), typical_bands()))
        assert finding.looks_like is None
        assert finding.message.endswith(
            "It lies between TYPICAL's bands for IOP (9-15) and PHP (20+)."
        )
        assert finding.expected == "at least 9 and at most 15 clinical hours a week"
        assert cc.classify(program(IOP, 16), typical_bands()) == ()

    def test_an_exclusive_band_is_written_to_under_its_cap(self) -> None:
        """ASAM 2.1 adults (9 to below 20) reads "2.1 (9 to under 20)" when named as a side."""
        rules = ruleset(
            weekly_hours("2.1", "2.1", source=STATE, levels=ASAM3["2.1"], at_least=9, less_than=20),
            weekly_hours("1", "1", source=STATE, levels=ASAM3["1"], at_least=1, at_most=3),
            name="GAPPED",
        )
        finding = only(cc.validate(program(ASAM3["2.1"], 5), rules))
        assert finding.looks_like is None
        assert finding.message.endswith(
            "It lies between GAPPED's bands for 1 (1-3) and 2.1 (9 to under 20)."
        )

    def test_below_the_lowest_band(self) -> None:
        """Half an hour a week is below even standard outpatient's 1-3."""
        finding = only(cc.validate(program(IOP, 0.5, 1), typical_bands()))
        assert finding.message.endswith("It lies below TYPICAL's lowest band, OP (1-3).")
        assert finding.found == "0.5 clinical hours in the typical week"

    def test_above_the_highest_band(self) -> None:
        """With no band above IOP's, 30 hours lies above the highest band."""
        rules = ruleset(
            weekly_hours("T-OP", "OP", source=STATE, levels=OP, at_least=1, at_most=3),
            weekly_hours("T-IOP", "IOP", source=STATE, levels=IOP, at_least=9, at_most=15),
            name="NOPHP",
        )
        finding = only(cc.validate(program(IOP, 30, 5), rules))
        assert finding.looks_like is None
        assert finding.message.endswith("It lies above NOPHP's highest band, IOP (9-15).")

    def test_a_band_open_at_the_top_reads_with_a_plus(self) -> None:
        """PHP's "20 or more" is written "PHP (20+)" when named as the band below."""
        rules = ruleset(
            weekly_hours("T-PHP", "PHP", source=STATE, levels=PHP, at_least=20),
            weekly_hours("T-X", "cap", source=STATE, levels=IOP, at_most=10),
            name="OPEN",
        )
        finding = only(cc.validate(program(IOP, 30, 5), rules))
        assert finding.looks_like == PHP
        finding = only(cc.validate(program(IOP, 30, 5), rules.without("T-PHP")))
        assert finding.message.endswith(
            "It lies above OPEN (amended)'s highest band, IOP (up to 10)."
        )
        rules = ruleset(
            weekly_hours("T-OP", "OP", source=STATE, levels=OP, less_than=9),
            weekly_hours("T-PHP", "PHP", source=STATE, levels=PHP, at_least=20),
            name="FLOORLESS",
        )
        finding = only(cc.validate(program(PHP, 12, 4), rules))
        assert finding.message.endswith(
            "It lies between FLOORLESS's bands for OP (under 9) and PHP (20+)."
        )

    def test_a_week_within_its_own_levels_band_names_no_other_level(self) -> None:
        """Two rules for one level (a band and a stricter cap): 17 hours breaks the cap but lies
        in the level's own band, so the finding names no other level."""
        rules = ruleset(
            weekly_hours("BAND", "9-19", source=STATE, levels=IOP, at_least=9, less_than=20),
            weekly_hours("CAP", "cap 15", source=STATE, levels=IOP, at_most=15),
        )
        finding = only(cc.validate(program(IOP, 17), rules))
        assert finding.rule_id == "CAP" and finding.looks_like is None
        assert finding.message == (
            f"The typical week has 17 clinical hours; under STATE, {IOP} needs at most 15 "
            "clinical hours a week."
        )

    def test_one_clinical_hour_is_singular(self) -> None:
        """ "1 clinical hour", not "1 clinical hours"."""
        rules = ruleset(weekly_hours("S", "20+", source=STATE, levels=PHP, at_least=20))
        finding = only(cc.validate(program(PHP, 1, 1), rules))
        assert finding.found == "1 clinical hour in the typical week"
        assert finding.message.startswith("The typical week has 1 clinical hour;")

    def test_partial_weeks_are_noted_not_judged(self) -> None:
        """A calendar starting on a Sunday: its first week holds 1 day of the period, its last
        6; neither is judged against the weekly floor, each gets an INFO note."""
        rules = ruleset(weekly_hours("S", "9+", source=STATE, levels=IOP, at_least=9))
        calendar = cc.expand(program(IOP, 9, weeks=2), pendulum.date(2026, 3, 8), "UTC")
        report = cc.validate(calendar, rules)
        assert report.ok
        first, last = report.findings
        assert first.severity is cc.Severity.INFO and first.rule_id == "S"
        assert first.path == "weeks[2026-03-02]"
        assert first.found == "it is a partial week (1 day of 7 in the period)"
        assert first.expected == "a full, fully recorded week"
        assert first.message == (
            "The week of 2026-03-02 is not judged against weekly thresholds: it is a partial "
            "week (1 day of 7 in the period)."
        )
        assert last.found == "it is a partial week (6 days of 7 in the period)"

    def test_each_week_of_a_cycle_is_judged(self) -> None:
        """A program with a fortnightly extra session: week 1 of its 2-week cycle has 9 hours,
        week 2 only 6, which is an ERROR for a 9-hour floor, found in week 2."""
        base = program(IOP, 6, 2)
        extra = cc.Session(
            WeekDay.FRIDAY,
            pendulum.time(9),
            [cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(hours=3))],
            every_weeks=2,
        )
        cyclic = cc.ProgramStructure(IOP, ADULT, SUD, [*base.sessions, extra], 8)
        rules = ruleset(weekly_hours("S", "9+", source=STATE, levels=IOP, at_least=9))
        finding = only(cc.validate(cyclic, rules))
        assert finding.path == "sessions_in_week(1)"
        assert finding.found == "6 clinical hours in week 2 of the 2-week cycle"
        assert finding.message.startswith("Week 2 of the 2-week cycle has 6 clinical hours;")


# ---- daily hours, days and sessions a week -----------------------------------------------------


class TestDailyHours:
    def test_the_factory(self) -> None:
        """H0015's "at least 3 hours a day" is an intensity rule on each program day."""
        rule = daily_hours("D", "3 h a day", source=STATE, levels=IOP, tracks=SUD, at_least=3)
        assert rule.tags == {"intensity", "daily-hours"}
        assert rule.severity is cc.Severity.ERROR and rule.tracks == {SUD}
        assert dict(rule.params) == {
            "at_least": 3,
            "at_most": None,
            "less_than": None,
            "include_breaks": False,
        }
        assert rule.populations == frozenset()

    def test_include_breaks_must_be_a_bool(self) -> None:
        """The program-time switch is a bool, named when it is not; override keeps it one."""
        with pytest.raises(cc.InvalidTypeError) as info:
            daily_hours("D", "3 h", source=STATE, levels=IOP, at_least=3, include_breaks=1)  # type: ignore[arg-type]
        assert info.value.field == "include_breaks"
        rules = ruleset(daily_hours("D", "3 h", source=STATE, levels=IOP, at_least=3))
        assert rules.override("D", include_breaks=True)["D"].params["include_breaks"] is True
        with pytest.raises(cc.InvalidTypeError):
            rules.override("D", include_breaks="yes")

    def test_program_time_counts_breaks_clinical_time_does_not(self) -> None:
        """Windmill's three-hour sessions hold a 15-minute break: 2.75 clinical hours a day,
        3 hours of program time. A rule on what a program operates a day passes it; a rule on
        clinical hours does not; a 2.5-hour session with its break fails both."""

        def sessions(minutes: int) -> list[cc.Session]:
            parts = [
                cc.Segment(cc.Service.PROCESS_GROUP, pendulum.duration(minutes=minutes)),
                cc.Segment(cc.Service.BREAK, pendulum.duration(minutes=15)),
                cc.Segment(cc.Service.PSYCHOEDUCATION, pendulum.duration(minutes=75)),
            ]
            return [
                cc.Session(day, pendulum.time(18), parts)
                for day in (WeekDay.MONDAY, WeekDay.WEDNESDAY, WeekDay.FRIDAY)
            ]

        full = cc.ProgramStructure(IOP, ADULT, SUD, sessions(90), 8)  # 3 h, 2.75 clinical
        clinical = ruleset(daily_hours("D", "3 h", source=STATE, levels=IOP, at_least=3))
        operating = ruleset(
            daily_hours("D", "3 h", source=STATE, levels=IOP, at_least=3, include_breaks=True)
        )
        assert next(f.found for f in cc.validate(full, clinical).errors) == (
            "2.75 clinical hours on Monday"
        )
        assert cc.validate(full, operating).ok
        short = cc.ProgramStructure(IOP, ADULT, SUD, sessions(60), 8)  # 2.5 h with the break
        finding = cc.validate(short, operating).errors[0]
        assert finding.found == "2.5 hours of program time on Monday"
        assert finding.expected == "at least 3 hours of program time on each program day"

    def test_program_time_of_a_partial_attendance_is_its_share(self) -> None:
        """Attending 2 of a session's 2.75 clinical hours is 2/2.75 of its 3 hours."""
        parts = [
            cc.Segment(cc.Service.PROCESS_GROUP, pendulum.duration(minutes=90)),
            cc.Segment(cc.Service.BREAK, pendulum.duration(minutes=15)),
            cc.Segment(cc.Service.PSYCHOEDUCATION, pendulum.duration(minutes=75)),
        ]
        template = cc.ProgramStructure(
            IOP, ADULT, SUD, [cc.Session(WeekDay.MONDAY, pendulum.time(18), parts)], 1
        )
        calendar = cc.expand(template, pendulum.date(2026, 3, 2), "UTC")
        (session,) = calendar.sessions
        attended = cc.Attendance(
            calendar,
            [
                cc.AttendanceRecord(
                    session, cc.AttendanceStatus.PARTIAL, attended=pendulum.duration(hours=2)
                )
            ],
        )
        (week,) = weeks_of(attended)
        assert week.day_us[0] == 2 * 3_600_000_000
        assert week.day_span_us[0] == 2 * 3_600_000_000 * 180 // 165

    @given(cst.programs())
    def test_program_time_holds_clinical_time_and_the_breaks(
        self, program: cc.ProgramStructure
    ) -> None:
        """A day's program time is its clinical time plus the breaks of its sessions: never
        less, and equal on a day whose sessions hold no break."""
        for week in weeks_of(program):
            spans, clinical = week.day_span_us, week.day_us
            for day in range(7):
                held = [e for e in week._entries if e[0] == day]
                breaks = sum(e[3]._length_us - e[3]._clinical_us for e in held)
                assert spans[day] == clinical[day] + breaks

    def test_a_short_day_is_named_with_its_first_session(self) -> None:
        """Two hours on Monday, Wednesday and Friday: each day is short of H0015's 3."""
        rules = ruleset(daily_hours("D", "3 h", source=STATE, levels=IOP, at_least=3))
        report = cc.validate(program(IOP, 6, ["mon", "wed", "fri"]), rules)
        assert [f.path for f in report.errors] == ["sessions[0]", "sessions[1]", "sessions[2]"]
        first = report.errors[0]
        assert first.expected == "at least 3 clinical hours on each program day"
        assert first.found == "2 clinical hours on Monday"
        assert first.message == (
            f"Monday in the typical week has 2 clinical hours; under STATE, {IOP} needs at "
            "least 3 clinical hours on each program day."
        )
        assert report.errors[2].found == "2 clinical hours on Friday"
        assert cc.validate(program(IOP, 9, ["mon", "wed", "fri"]), rules).ok

    def test_a_day_sums_its_sessions(self) -> None:
        """Two 1.5-hour sessions on one day make a 3-hour day."""
        sessions = [
            cc.Session(
                WeekDay.MONDAY,
                pendulum.time(h),
                [cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(minutes=90))],
            )
            for h in (9, 13)
        ]
        two = cc.ProgramStructure(IOP, ADULT, SUD, sessions, 8)
        rules = ruleset(daily_hours("D", "3 h", source=STATE, levels=IOP, at_least=3))
        assert cc.validate(two, rules).ok
        rules = ruleset(daily_hours("D", "<3 h", source=STATE, levels=IOP, less_than=3))
        assert only(cc.validate(two, rules)).found == "3 clinical hours on Monday"

    def test_an_appointment_off_the_program_days_is_not_a_short_day(self) -> None:
        """A one-hour individual session on a non-program day is not judged as a program day."""
        base = program(IOP, 9, ["mon", "wed", "fri"])
        appointment = cc.Session(
            WeekDay.TUESDAY,
            pendulum.time(9),
            [cc.Segment(cc.Service.INDIVIDUAL_THERAPY, pendulum.duration(hours=1))],
            program_day=False,
        )
        with_appointment = cc.ProgramStructure(IOP, ADULT, SUD, [*base.sessions, appointment], 8)
        rules = ruleset(daily_hours("D", "3 h", source=STATE, levels=IOP, at_least=3))
        assert cc.validate(with_appointment, rules).ok


class TestCountsPerWeek:
    def test_days_per_week_factory_and_finding(self) -> None:
        """TEDS' "3 or more days a week": two program days is an ERROR, three is fine."""
        rule = days_per_week("D", "3+ days", source=STATE, levels=IOP, at_least=3)
        assert rule.tags == {"intensity", "days-per-week"} and rule.severity is cc.Severity.ERROR
        assert dict(rule.params) == {"at_least": 3, "at_most": None, "less_than": None}
        rules = ruleset(rule)
        finding = only(cc.validate(program(IOP, 9, 2), rules))
        assert finding.expected == "at least 3 program days a week"
        assert finding.found == "2 program days in the typical week"
        assert finding.path == "sessions"
        assert finding.message == (
            f"The typical week has 2 program days; under STATE, {IOP} needs at least 3 program "
            "days a week."
        )
        assert cc.validate(program(IOP, 9, 3), rules).ok

    def test_one_program_day_is_singular(self) -> None:
        rules = ruleset(days_per_week("D", "3+ days", source=STATE, levels=IOP, at_least=3))
        assert only(cc.validate(program(IOP, 3, 1), rules)).found == (
            "1 program day in the typical week"
        )

    def test_sessions_per_week_factory_and_finding(self) -> None:
        """The descriptions' 3-5 sessions a week: 6 is too many, 5 is fine."""
        rule = sessions_per_week(
            "S",
            "3-5",
            source=STATE,
            levels=IOP,
            at_least=3,
            at_most=5,
            severity=cc.Severity.WARNING,
        )
        assert rule.tags == {"intensity", "sessions-per-week"}
        assert rule.severity is cc.Severity.WARNING
        rules = ruleset(rule)
        finding = only(cc.validate(program(IOP, 12, 6), rules))
        assert finding.severity is cc.Severity.WARNING
        assert finding.found == "6 sessions in the typical week"
        assert finding.expected == "at least 3 and at most 5 sessions a week"
        assert cc.validate(program(IOP, 12, 5), rules).ok
        assert only(cc.validate(program(IOP, 3, 1), rules)).found == (
            "1 session in the typical week"
        )

    def test_partial_weeks_are_not_counted(self) -> None:
        """A calendar's partial weeks hold fewer days by construction: not judged, not noted
        (the weekly-hours rule notes them)."""
        rules = ruleset(days_per_week("D", "3+", source=STATE, levels=IOP, at_least=3))
        calendar = cc.expand(
            program(IOP, 9, ["mon", "wed", "fri"], weeks=2), pendulum.date(2026, 3, 4), "UTC"
        )
        assert cc.validate(calendar, rules).findings == ()


# ---- schedule rules -------------------------------------------------------------------------


class TestNotes:
    def test_an_info_rule_says_it_only_notes(self) -> None:
        """A factory rule at INFO (a figure whose force is not established) says "would need"
        and that it is a note; the same rule as an ERROR says "needs"."""
        rule = daily_hours(
            "D", "3 h a day", source=STATE, levels=IOP, at_least=3, severity=cc.Severity.INFO
        )
        finding = cc.validate(program(IOP, 6, 3), ruleset(rule)).findings[0]
        assert finding.severity is cc.Severity.INFO
        assert finding.message == (
            f"Monday in the typical week has 2 clinical hours; under STATE, {IOP} would need "
            "at least 3 clinical hours on each program day. A note, not a judgement: the "
            "rule's source says why."
        )
        strict = ruleset(attrs.evolve(rule, severity=cc.Severity.ERROR))
        assert "needs at least 3" in cc.validate(program(IOP, 6, 3), strict).errors[0].message
        gap = days_without_service(
            "G", "gap", source=STATE, levels=IOP, at_most=2, severity=cc.Severity.INFO
        )
        finding = only(cc.validate(program(IOP, 9, ["mon", "thu"]), ruleset(gap)))
        assert "would allow at most 2. A note, not a judgement" in finding.message


class TestDaysWithoutService:
    def test_the_factory(self) -> None:
        """NC's "no more than 2 consecutive days without service" is a schedule rule."""
        rule = days_without_service("G", "gap", source=STATE, levels=IOP, tracks=SUD, at_most=2)
        assert dict(rule.params) == {"at_most": 2}
        assert rule.tags == {"schedule"} and rule.severity is cc.Severity.ERROR
        assert rule.levels == (IOP,) and rule.tracks == {SUD}
        with pytest.raises(cc.InvalidValueError):
            days_without_service("G", "gap", source=STATE, levels=IOP, at_most=-1)

    def test_a_weeks_pattern_wraps_around_the_weekend(self) -> None:
        """Monday, Wednesday, Friday: Saturday and Sunday are 2 days without service, allowed;
        Monday and Thursday leave Friday to Sunday, 3 days, which is not."""
        rules = ruleset(days_without_service("G", "gap", source=STATE, levels=IOP, at_most=2))
        assert cc.validate(program(IOP, 9, ["mon", "wed", "fri"]), rules).ok
        finding = only(cc.validate(program(IOP, 9, ["mon", "thu"]), rules))
        assert finding.found == "3 consecutive days without service"
        assert finding.expected == "at most 2 consecutive days without service"
        assert finding.path == "sessions"
        assert finding.message == (
            f"3 days in a row without service, from Friday of the typical week; under STATE, "
            f"{IOP} allows at most 2."
        )

    def test_the_gap_across_the_week_end_is_found_where_it_starts(self) -> None:
        """Tuesday and Wednesday only: from Thursday to Monday is 5 days."""
        rules = ruleset(days_without_service("G", "gap", source=STATE, levels=IOP, at_most=4))
        finding = only(cc.validate(program(IOP, 9, ["tue", "wed"]), rules))
        assert finding.found == "5 consecutive days without service"
        assert "from Thursday of the typical week" in finding.message

    def test_a_gap_equal_to_the_limit_is_allowed(self) -> None:
        rules = ruleset(days_without_service("G", "gap", source=STATE, levels=IOP, at_most=3))
        assert cc.validate(program(IOP, 9, ["mon", "thu"]), rules).ok

    def test_a_dated_calendar_counts_only_gaps_between_program_days(self) -> None:
        """A 1-week Monday-Friday calendar: the weekend after its last day is not a gap."""
        rules = ruleset(days_without_service("G", "gap", source=STATE, levels=IOP, at_most=1))
        weekdays = program(IOP, 10, 5, weeks=1)
        assert not cc.validate(weekdays, rules).ok  # the template's week wraps: Sat-Sun
        calendar = cc.expand(weekdays, pendulum.date(2026, 3, 2), "UTC")
        assert cc.validate(calendar, rules).ok


class TestServiceEveryDay:
    def test_the_factory(self) -> None:
        """NC SACOT's group counseling on every program day: group therapy or a process
        group; a schedule rule, an ERROR; at least one service is needed."""
        rule = service_every_day(
            "G",
            "group daily",
            source=STATE,
            levels=PHP,
            tracks=SUD,
            services=[cc.Service.PROCESS_GROUP, cc.Service.GROUP_THERAPY],
        )
        assert rule.params["services"] == (cc.Service.PROCESS_GROUP, cc.Service.GROUP_THERAPY)
        assert rule.tags == {"schedule"} and rule.severity is cc.Severity.ERROR
        assert rule.levels == (PHP,) and rule.tracks == {SUD}
        with pytest.raises(cc.InvalidValueError):
            service_every_day("G", "g", source=STATE, levels=PHP, services=[])
        with pytest.raises(cc.InvalidTypeError):
            service_every_day("G", "g", source=STATE, levels=PHP, services=[3])  # type: ignore[list-item]

    def test_a_day_without_the_service_is_found(self) -> None:
        """Individual therapy only, on Monday and Thursday: both days lack a group."""
        rules = ruleset(
            service_every_day(
                "G",
                "group daily",
                source=STATE,
                levels=IOP,
                services=[cc.Service.PROCESS_GROUP, cc.Service.GROUP_THERAPY],
            )
        )
        individual = program(IOP, 6, ["mon", "thu"], services=[cc.Service.INDIVIDUAL_THERAPY])
        report = cc.validate(individual, rules)
        assert [f.path for f in report.errors] == ["sessions[0]", "sessions[1]"]
        first = report.errors[0]
        assert first.expected == "group therapy or process group on every program day"
        assert first.found == "none on Monday"
        assert first.message == (
            f"Monday in the typical week has no group therapy or process group; under STATE, "
            f"{IOP} needs it on every program day."
        )
        assert report.errors[1].found == "none on Thursday"
        assert cc.validate(program(IOP, 6, ["mon", "thu"]), rules).ok


# ---- program templates ------------------------------------------------------------------------


class TestSessionHours:
    def test_the_factory(self) -> None:
        """Session length is a warning by default, and judges program templates only."""
        rule = session_hours("L", "about 3 h", source=STATE, levels=IOP, at_least=2.5, at_most=3.5)
        assert rule.severity is cc.Severity.WARNING and rule.tags == {"session"}
        assert rule.judges == (cc.ProgramStructure,)
        assert dict(rule.params) == {"at_least": 2.5, "at_most": 3.5, "less_than": None}
        calendar = cc.expand(program(IOP, 12), pendulum.date(2026, 3, 2), "UTC")
        assert cc.validate(calendar, ruleset(rule)).applied == ()

    def test_each_long_session_is_found(self) -> None:
        """Three 4-hour sessions: each is longer than "about 3 hours" (2.5-3.5)."""
        rules = ruleset(
            session_hours("L", "about 3 h", source=STATE, levels=IOP, at_least=2.5, at_most=3.5)
        )
        report = cc.validate(program(IOP, 12, ["mon", "wed", "fri"]), rules)
        assert [f.path for f in report.warnings] == ["sessions[0]", "sessions[1]", "sessions[2]"]
        first = report.warnings[0]
        assert first.found == "4 clinical hours"
        assert first.expected == "at least 2.5 and at most 3.5 clinical hours a session"
        assert first.message == (
            f"Session 1 (Monday 09:00-13:00) has 4 clinical hours; under STATE, {IOP} typical "
            "sessions have at least 2.5 and at most 3.5 clinical hours a session."
        )
        assert report.warnings[2].message.startswith("Session 3 (Friday 09:00-13:00)")
        assert cc.validate(program(IOP, 9, ["mon", "wed", "fri"]), rules).ok
        assert cc.validate(program(IOP, 10.5, ["mon", "wed", "fri"]), rules).findings == ()

    def test_separate_appointments_are_not_judged(self) -> None:
        """A one-hour individual appointment (program_day=False) beside three 3-hour groups is
        not a short session; the same hour held as a program-day session still is."""
        rules = ruleset(
            session_hours("L", "about 3 h", source=STATE, levels=IOP, at_least=2.5, at_most=3.5)
        )
        groups = program(IOP, 9, ["mon", "wed", "fri"])
        hour = [cc.Segment(cc.Service.INDIVIDUAL_THERAPY, pendulum.duration(hours=1))]
        appointment = cc.Session(WeekDay.TUESDAY, pendulum.time(10), hour, program_day=False)
        with_appointment = attrs.evolve(groups, sessions=(*groups.sessions, appointment))
        assert cc.validate(with_appointment, rules).findings == ()
        as_session = attrs.evolve(appointment, program_day=True)
        short = attrs.evolve(groups, sessions=(*groups.sessions, as_session))
        (finding,) = cc.validate(short, rules).warnings
        assert finding.path == "sessions[1]" and finding.found == "1 clinical hour"


class TestProgramWeeks:
    def test_the_factory(self) -> None:
        rule = program_weeks("W", "6-12 weeks", source=STATE, levels=IOP, at_least=6, at_most=12)
        assert rule.severity is cc.Severity.WARNING and rule.tags == {"length"}
        assert rule.judges == (cc.ProgramStructure,)
        assert dict(rule.params) == {"at_least": 6, "at_most": 12, "less_than": None}

    @pytest.mark.parametrize(
        ("weeks", "which"),
        [
            ((4, 12), "shortest length is 4 weeks"),
            ((6, 16), "longest length is 16 weeks"),
            ((4, 16), "shortest length is 4 weeks"),
        ],
    )
    def test_both_ends_of_a_range_must_fit(self, weeks: tuple[int, int], which: str) -> None:
        """The descriptions' 6-12 weeks: a 4-12 or 6-16 week program does not fit; one finding
        each, naming the end that does not."""
        rules = ruleset(
            program_weeks("W", "6-12", source=STATE, levels=IOP, at_least=6, at_most=12)
        )
        finding = only(cc.validate(program(IOP, 9, weeks=weeks), rules))
        assert finding.path == "weeks" and finding.severity is cc.Severity.WARNING
        assert finding.found == f"{weeks[0]}-{weeks[1]} weeks"
        assert finding.expected == "at least 6 and at most 12 weeks"
        assert finding.message == (
            f"The program's {which}; under STATE, {IOP} programs run at least 6 and at most 12 "
            "weeks."
        )
        assert cc.validate(program(IOP, 9, weeks=(6, 12)), rules).ok

    def test_a_one_week_program_is_one_week(self) -> None:
        rules = ruleset(program_weeks("W", "6+", source=STATE, levels=IOP, at_least=6))
        finding = only(cc.validate(program(IOP, 9, weeks=1), rules))
        assert "shortest length is 1 week;" in finding.message
        assert finding.found == "1 weeks"


# ---- attendance -------------------------------------------------------------------------------


def attendance(attended: int, of: int) -> cc.Attendance:
    """`of` recorded sessions of an IOP's calendar, the first `attended` attended."""
    calendar = cc.expand(
        program(IOP, 9, ["mon", "wed", "fri"], weeks=4), pendulum.date(2026, 3, 2), "UTC"
    )
    statuses = [cc.AttendanceStatus.PRESENT] * attended + [cc.AttendanceStatus.ABSENT] * (
        of - attended
    )
    records = [
        cc.AttendanceRecord(s, st) for s, st in zip(calendar.sessions, statuses, strict=False)
    ]
    return cc.Attendance(calendar, records)


class TestAttendanceRate:
    def test_the_factory(self) -> None:
        """A clinic's 90% attendance goal: a warning about Attendance, unscoped."""
        goal = attendance_rate("A", "90%", source=STATE, at_least=0.9)
        assert goal.params["at_least"] == 0.9 and goal.severity is cc.Severity.WARNING
        assert goal.tags == {"attendance"} and goal.levels == ()
        assert goal.judges == (cc.Attendance,)
        assert attendance_rate("A", "all", source=STATE, at_least=1).params["at_least"] == 1.0
        assert attendance_rate("A", "none", source=STATE, at_least=0).params["at_least"] == 0.0

    @pytest.mark.parametrize("share", [1.01, -0.01, True, "90%", None])
    def test_the_goal_is_a_share(self, share: object) -> None:
        """0.9 means 90%: a share outside 0-1, or not a number, is refused, naming at_least."""
        with pytest.raises((cc.InvalidValueError, cc.InvalidTypeError)) as info:
            attendance_rate("A", "x", source=STATE, at_least=share)  # type: ignore[arg-type]
        assert info.value.field == "at_least"  # type: ignore[union-attr]
        assert "a share between 0 and 1 (0.9 for 90%)" in str(info.value)

    def test_below_the_goal_is_a_warning(self) -> None:
        """8 of 10 recorded sessions attended is 80%, below a 90% goal; 9 of 10 meets it."""
        rules = ruleset(attendance_rate("A", "90%", source=STATE, at_least=0.9))
        finding = only(cc.validate(attendance(8, 10), rules))
        assert finding.severity is cc.Severity.WARNING and finding.path == "records"
        assert finding.found == "80%"
        assert finding.expected == "at least 90% of recorded sessions attended (excused left out)"
        assert finding.message == (
            f"Attendance is 80% of recorded sessions, below the goal of at least 90% under "
            f"STATE, {IOP}."
        )
        assert cc.validate(attendance(9, 10), rules).findings == ()

    def test_nothing_recorded_is_not_judged(self) -> None:
        rules = ruleset(attendance_rate("A", "90%", source=STATE, at_least=0.9))
        assert cc.validate(attendance(0, 0), rules).findings == ()


# ---- bounds -----------------------------------------------------------------------------------


class TestBounds:
    @pytest.mark.parametrize(
        ("bounds", "field", "says"),
        [
            ({}, "at_least", "at least one bound"),
            ({"at_least": 10, "at_most": 9}, "at_least", "at most at_most (9)"),
            ({"at_least": 20, "less_than": 20}, "at_least", "less than less_than (20)"),
            ({"at_most": 19, "less_than": 20}, "at_most", "not set together with less_than"),
            ({"at_least": -1}, "at_least", "a finite number >= 0"),
            ({"at_most": float("inf")}, "at_most", "a finite number >= 0"),
            ({"less_than": float("nan")}, "less_than", "a finite number >= 0"),
        ],
    )
    def test_inconsistent_bounds_are_refused(
        self, bounds: dict[str, float], field: str, says: str
    ) -> None:
        """A band must have a bound, its floor at most its cap, and finite, non-negative ends."""
        with pytest.raises(cc.InvalidValueError) as info:
            weekly_hours("X", "x", source=STATE, levels=IOP, **bounds)
        assert info.value.field == field and says in str(info.value)

    @pytest.mark.parametrize("value", ["9", True, [9]])
    def test_a_bound_is_a_number(self, value: object) -> None:
        with pytest.raises(cc.InvalidTypeError) as info:
            weekly_hours("X", "x", source=STATE, levels=IOP, at_least=value)  # type: ignore[arg-type]
        assert info.value.field == "at_least" and "a number or None" in str(info.value)

    def test_a_band_of_one_value_is_allowed(self) -> None:
        """at_least equal to at_most: exactly that many hours."""
        rules = ruleset(weekly_hours("X", "9", source=STATE, levels=IOP, at_least=9, at_most=9))
        assert cc.validate(program(IOP, 9), rules).ok
        assert not cc.validate(program(IOP, 9.5), rules).ok


# ---- overriding a rule set --------------------------------------------------------------------


class TestOverride:
    def test_an_override_changes_the_threshold_and_says_so(self) -> None:
        """A state raising ASAM 2.1's adult floor to 10: the title and the source record it;
        9.5 hours becomes an ERROR."""
        mine = asam3_bands().override("A-2.1", at_least=10)
        rule = mine["A-2.1"]
        assert rule.params["at_least"] == 10 and rule.params["less_than"] == 20
        assert rule.title == "2.1 [amended: at_least 10]"
        assert rule.source.note == "locally overridden: at_least 9 -> 10"
        assert mine.name == "BANDS (amended)" and mine.version == "2026"
        assert [r.id for r in mine] == [r.id for r in asam3_bands()]
        assert not cc.validate(program(ASAM3["2.1"], 9.5), mine).ok
        assert cc.validate(program(ASAM3["2.1"], 9.5), asam3_bands()).ok

    def test_overriding_again_replaces_the_amendment_in_the_title(self) -> None:
        twice = asam3_bands().override("A-2.1", at_least=10).override("A-2.1", at_least=11)
        assert twice["A-2.1"].title == "2.1 [amended: at_least 11]"
        assert twice.name == "BANDS (amended)"
        assert twice["A-2.1"].source.note == (
            "locally overridden: at_least 9 -> 10; Locally overridden: at_least 10 -> 11"
        )

    def test_a_note_ending_a_sentence_is_followed_by_a_space(self) -> None:
        """A source note ending in a full stop gets the change as a new sentence."""
        noted = cc.Source("State rule", note="Adults only.")
        rules = ruleset(weekly_hours("X", "x", source=noted, levels=IOP, at_least=9))
        rule = rules.override("X", at_least=10)["X"]
        assert rule.source.note == "Adults only. Locally overridden: at_least 9 -> 10"
        assert rule.source.title == "State rule"

    def test_an_override_with_its_own_source_cites_it(self) -> None:
        new = cc.Source("State IOP rule 2027", year=2027)
        rule = asam3_bands().override("A-2.1", at_least=10, source=new)["A-2.1"]
        assert rule.source == new

    def test_several_params_at_once(self) -> None:
        rule = typical_bands().override("T-IOP", at_least=10, at_most=16)["T-IOP"]
        assert rule.title == "IOP [amended: at_least 10, at_most 16]"
        assert rule.source.note == "locally overridden: at_least 9 -> 10, at_most 15 -> 16"

    def test_a_bound_not_set_can_be_set(self) -> None:
        """A parameter that was None (no cap) takes a number."""
        rule = typical_bands().override("T-PHP", at_most=40)["T-PHP"]
        assert rule.params["at_most"] == 40

    @pytest.mark.parametrize(
        ("params", "error", "field"),
        [
            ({}, cc.InvalidValueError, "params"),
            ({"at_leest": 10}, cc.InvalidValueError, "at_leest"),
            ({"at_least": "10"}, cc.InvalidTypeError, "at_least"),
            ({"at_least": 30}, cc.InvalidValueError, "at_least"),
            ({"at_least": -1}, cc.InvalidValueError, "at_least"),
        ],
    )
    def test_bad_overrides_are_refused(
        self, params: dict[str, object], error: type[Exception], field: str
    ) -> None:
        """Only the rule's own parameters, as numbers, keeping the band consistent."""
        with pytest.raises(error) as info:
            typical_bands().override("T-IOP", **params)
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_a_non_numeric_param_keeps_its_type(self) -> None:
        """A rule's services stay a tuple of services: a string is refused."""
        rules = ruleset(
            service_every_day(
                "G", "g", source=STATE, levels=IOP, services=[cc.Service.GROUP_THERAPY]
            )
        )
        with pytest.raises(cc.InvalidTypeError) as info:
            rules.override("G", services="group")
        assert "a tuple, as before" in str(info.value)
        changed = rules.override("G", services=(cc.Service.PROCESS_GROUP,))
        assert changed["G"].params["services"] == (cc.Service.PROCESS_GROUP,)

    def test_the_override_source_must_be_a_source(self) -> None:
        with pytest.raises(cc.InvalidTypeError) as info:
            typical_bands().override("T-IOP", at_least=10, source="State")  # type: ignore[arg-type]
        assert info.value.field == "source"

    def test_an_unknown_rule_is_refused(self) -> None:
        with pytest.raises(cc.UnknownRuleError):
            typical_bands().override("T-IOPP", at_least=10)

    def test_with_severity_records_the_change(self) -> None:
        """A payer's ERROR as a WARNING: the source's note says it was changed locally."""
        softer = typical_bands().with_severity("T-IOP", cc.Severity.WARNING)
        rule = softer["T-IOP"]
        assert rule.severity is cc.Severity.WARNING
        assert rule.source.note == "severity changed locally from error to warning"
        report = cc.validate(program(IOP, 8), softer)
        assert report.ok and report.warnings[0].rule_id == "T-IOP"
        assert softer["T-OP"].severity is cc.Severity.ERROR
        assert typical_bands().with_severity("T-IOP", "warning") == softer
        with pytest.raises(cc.InvalidValueError):
            typical_bands().with_severity("T-IOP", "soft")


# ---- the engine -------------------------------------------------------------------------------


class TestEngine:
    def test_a_rule_param_error_names_the_rule_and_its_params(self) -> None:
        rule = typical_bands()["T-IOP"]
        assert rule.param("at_most") == 15
        with pytest.raises(cc.InvalidValueError) as info:
            rule.param("at_mots")
        assert info.value.field == "name"
        assert "one of the parameters of rule 'T-IOP' (at_least, at_most, less_than)" in str(
            info.value
        )

    def test_a_crashing_rule_becomes_an_error_finding(self) -> None:
        def crash(context: cc.RuleContext) -> list[cc.Finding]:
            raise ZeroDivisionError("boom")

        rule = cc.Rule("CRASH", "Divides", source=STATE, check=crash)
        finding = only(cc.validate(program(IOP, 9), ruleset(rule)))
        assert finding.rule_id == "CRASH" and finding.severity is cc.Severity.ERROR
        assert finding.message == "Rule CRASH (Divides) failed to run: ZeroDivisionError: boom"
        assert finding.expected == "the rule to run"
        assert finding.found == "ZeroDivisionError: boom"
        assert finding.source == STATE

    def test_nothing_in_scope_is_said(self) -> None:
        """A PHP program under rules for IOP only: an INFO naming the set and the level."""
        finding = only(cc.validate(program(PHP, 20, 5), typical_bands().without("T-PHP")))
        assert finding.rule_id == "NO-RULE-APPLIES" and finding.severity is cc.Severity.INFO
        assert finding.message == (
            "No rule of TYPICAL (amended) applies to this subject at GENERIC PHP."
        )
        assert finding.found == "ProgramStructure at GENERIC PHP"
        assert str(finding.source) == "TYPICAL (amended) 2026"

    def test_a_report_reads_as_a_verdict_and_its_findings(self) -> None:
        report = cc.validate(program(IOP, 8), typical_bands())
        lines = str(report).splitlines()
        assert lines[0] == "TYPICAL 2026: not ok (1 error(s), 0 warning(s), 1 rule(s) applied)"
        f = report.findings[0]
        assert lines[1] == (
            f"  {f.severity.value} {f.rule_id} @ {f.path}: {f.message} "
            f"(expected {f.expected}; found {f.found})"
        )
        assert str(f).removesuffix("\u2026") in lines[1]
        ok = cc.validate(program(IOP, 9), typical_bands())
        assert str(ok) == "TYPICAL 2026: ok (0 error(s), 0 warning(s), 1 rule(s) applied)"

    def test_raising_for_errors_counts_them_and_names_the_set(self) -> None:
        report = cc.validate(program(IOP, 8), typical_bands())
        with pytest.raises(cc.RuleViolationError) as info:
            report.raise_for_errors()
        assert str(info.value).startswith("1 error(s) under TYPICAL 2026")
        (violation,) = info.value.exceptions
        assert violation.finding == report.errors[0]
        assert violation.__notes__ == ["@ sessions"]
        copied = pickle.loads(pickle.dumps(violation))
        assert copied.finding == violation.finding
        cc.validate(program(IOP, 9), typical_bands()).raise_for_errors()

    def test_a_violation_without_a_path_has_no_note(self) -> None:
        finding = cc.Finding("X", cc.Severity.ERROR, "m", expected="e", found="f", source=STATE)
        assert not hasattr(cc.RuleViolation(finding), "__notes__")

    def test_classify_keeps_the_levels_whose_intensity_rules_pass(self) -> None:
        """12 hours is IOP under the descriptions; 2 hours standard outpatient; 25 hours PHP."""
        bands = typical_bands()
        assert [c.level for c in cc.classify(program(IOP, 12), bands)] == [IOP]
        assert [c.level for c in cc.classify(program(IOP, 2, 1), bands)] == [OP]
        assert [c.level for c in cc.classify(program(PHP, 25, 5), bands)] == [PHP]
        (iop,) = cc.classify(program(IOP, 12), bands)
        assert iop.report.level == IOP and iop.report.ok and iop.findings == ()

    def test_classify_needs_an_intensity_rule(self) -> None:
        """A level scoped only by a schedule rule is not a classification."""
        rules = ruleset(days_without_service("G", "gap", source=STATE, levels=IOP, at_most=2))
        assert rules.levels() == (IOP,) and rules.levels(tag="intensity") == ()
        assert cc.classify(program(IOP, 12), rules) == ()

    def test_the_levels_of_a_set_by_tag(self) -> None:
        """Levels come once each, by scheme then intensity."""
        rules = ruleset(
            days_without_service("G", "gap", source=STATE, levels=(PHP, IOP), at_most=2),
            *typical_bands(),
        )
        assert rules.levels() == (OP, IOP, PHP)
        assert rules.levels(tag="schedule") == (IOP, PHP)
        assert rules.levels(tag="intensity") == (OP, IOP, PHP)

    def test_a_crosswalk_note_comes_once_before_the_rules_of_its_scheme(self) -> None:
        """A GENERIC IOP program judged by ASAM rules: the crosswalk to 2.1 is approximate, so
        an INFO note says which level it was judged as, once."""
        rules = ruleset(
            weekly_hours("A", "a", source=STATE, levels=ASAM3["2.1"], at_least=9),
            days_per_week("B", "b", source=STATE, levels=ASAM3["2.1"], at_least=3),
        )
        report = cc.validate(program(IOP, 6, 2), rules)
        notes = [f for f in report.findings if f.rule_id == "CROSSWALK"]
        if notes:
            (note,) = notes
            assert report.findings[0] is note
            assert note.severity is cc.Severity.INFO
            assert note.message.startswith("Judged as ASAM3 2.1 through an approximate crosswalk")
            assert note.expected == "a level of ASAM3" and note.found == "GENERIC IOP"
        assert [f.rule_id for f in report.errors] == ["A", "B"]
        assert report.applied == ("A", "B")

    def test_a_set_composes_with_another(self) -> None:
        """TYPICAL | a schedule set: both sets' rules, the names and versions joined."""
        gap = ruleset(
            days_without_service("G", "gap", source=STATE, levels=IOP, at_most=2), name="GAP"
        )
        both = typical_bands() | gap
        assert both.name == "TYPICAL | GAP" and both.version == "2026 | 2026"
        assert both.description == "TYPICAL 2026 composed with GAP 2026"
        assert both.ids == ("T-OP", "T-IOP", "T-PHP", "G")
        with pytest.raises(cc.DuplicateRuleError):
            _ = both | gap

    def test_an_unknown_rule_id_suggests_close_ones(self) -> None:
        with pytest.raises(cc.UnknownRuleError) as info:
            typical_bands()["T-IOOP"]
        assert "T-IOP" in str(info.value)

    def test_sources_read_as_citations(self) -> None:
        assert str(STATE) == "State IOP rule (State, 2026), § 4"
        assert str(cc.Source("Rule", year=2026)) == "Rule (2026)"
        assert str(cc.Source("Rule", publisher="P")) == "Rule (P)"
        assert str(cc.Source("Rule", locator="§ 1")) == "Rule, § 1"

    def test_a_finding_reads_with_its_path_when_it_has_one(self) -> None:
        finding = cc.Finding("X", cc.Severity.INFO, "Note.", expected="e", found="f", source=STATE)
        assert str(finding) == "info X: Note. (expected e; found f)"


# ---- refusals: each names the field, what it must be and what it got --------------------------


def _no_findings(context: cc.RuleContext) -> list[cc.Finding]:
    return []


def refusal(make: object) -> cc.CareContinuumError:
    with pytest.raises(cc.CareContinuumError) as info:
        make()  # type: ignore[operator]
    return info.value


class TestRefusals:
    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"source": "s"}, "'source' must be a Source (got 's')"),
            ({"check": 3}, "'check' must be a function taking a RuleContext (got 3)"),
            ({"judges": ()}, "'judges' must be a class or a tuple of classes (got ())"),
            ({"judges": (3,)}, "'judges' must be a class or a tuple of classes (got (3,))"),
            ({"levels": "IOP"}, "'levels' must be LevelOfCare values (got 'IOP')"),
            ({"levels": 3}, "'levels' must be LevelOfCare values (got 3)"),
            ({"levels": [IOP, 3]}, "'levels[1]' must be a LevelOfCare (got 3)"),
            ({"tags": "intensity"}, "'tags' must be a collection of strings (got 'intensity')"),
            (
                {"populations": "adults"},
                "'populations' must be a Population or one of its values: 'adult', 'adolescent'",
            ),
            ({"populations": [3]}, "'populations[0]' must be a Population or one of its values"),
            ({"populations": 3}, "'populations' must be a Population or a collection of them"),
            ({"tracks": 3}, "'tracks' must be a Track or a collection of them (got 3)"),
            ({"params": [1]}, "'params' must be a mapping of parameter names to values (got [1])"),
            ({"params": {1: 2}}, "'params' must be a string (got 1)"),
            ({"id": ""}, "'id'"),
            ({"title": " "}, "'title'"),
            ({"tags": ["ok", ""]}, "'tags'"),
        ],
    )
    def test_a_malformed_rule_is_refused(self, changes: dict[str, object], message: str) -> None:
        arguments: dict[str, object] = {
            "id": "X",
            "title": "t",
            "source": STATE,
            "check": _no_findings,
        }
        arguments.update(changes)
        error = refusal(lambda: cc.Rule(**arguments))  # type: ignore[arg-type]
        assert str(error).startswith(message)
        assert error.field == message.split("'")[1]  # type: ignore[attr-defined]

    def test_a_rule_keeps_its_scope(self) -> None:
        """One level or several, one population or several; the tags and params as given."""
        rule = cc.Rule(
            "X",
            "t",
            source=STATE,
            check=_no_findings,
            levels=[IOP, PHP],
            populations=ADULT,
            tracks=[SUD, MH],
            params={"at_least": 3},
            tags=["schedule"],
        )
        assert rule.levels == (IOP, PHP) and rule.schemes == {"GENERIC"}
        assert rule.populations == {ADULT} and rule.tracks == {SUD, MH}
        assert dict(rule.params) == {"at_least": 3} and rule.tags == {"schedule"}
        assert rule.judges == (cc.ProgramStructure,) and rule.severity is cc.Severity.ERROR
        one = cc.Rule("Y", "t", source=STATE, check=_no_findings, levels=IOP, tracks=SUD)
        assert one.levels == (IOP,) and one.tracks == {SUD} and one.populations == frozenset()
        assert one.params == {} and one.tags == frozenset()

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            (
                {"effective_from": "1 January 2026"},
                "'effective_from' must be a date or an ISO 8601 date 'YYYY-MM-DD'",
            ),
            (
                {"effective_until": pendulum.datetime(2026, 1, 1)},
                "'effective_until' must be a date, not a datetime",
            ),
            (
                {
                    "effective_from": pendulum.date(2026, 2, 1),
                    "effective_until": pendulum.date(2026, 1, 31),
                },
                "'effective_until' must be on or after effective_from",
            ),
        ],
    )
    def test_a_rule_set_is_dated_consistently(
        self, arguments: dict[str, object], message: str
    ) -> None:
        error = refusal(lambda: cc.RuleSet("S", "1", [], **arguments))  # type: ignore[arg-type]
        assert str(error).startswith(message)

    def test_a_rule_set_dated_one_day_is_fine(self) -> None:
        day = pendulum.date(2026, 1, 1)
        dated = cc.RuleSet("S", "1", [], effective_from=day, effective_until=day)
        assert (dated.effective_from, dated.effective_until) == (day, day)

    def test_amending_keeps_the_dates_and_description(self) -> None:
        """NC's 2026 set, amended locally, still applies from 1 January 2026."""
        amended = rulesets.NC_SAIOP_2026.without("NC-SAIOP-GAP")
        assert amended.effective_from == pendulum.date(2026, 1, 1)
        assert amended.effective_until is None
        assert amended.description == rulesets.NC_SAIOP_2026.description
        assert rulesets.NC_SAIOP.without("NC-SAIOP-GAP").effective_until == pendulum.date(
            2024, 12, 31
        )
        assert amended.without("NC-SAIOP-DAYS-PER-WEEK").name == "NC_SAIOP_2026 (amended)"

    def test_a_report_built_by_hand_is_checked(self) -> None:
        rules = typical_bands()
        subject = program(IOP, 9)
        report = cc.ValidationReport(subject, rules, IOP, (), ("T-IOP",))
        assert report.applied == ("T-IOP",) and report.skipped == ("T-OP", "T-PHP")
        assert str(refusal(lambda: cc.ValidationReport([], rules, IOP, (), ()))).startswith(
            "'subject' must be an immutable value (got [])"
        )
        assert str(refusal(lambda: cc.ValidationReport(subject, "R", IOP, (), ()))).startswith(
            "'ruleset' must be a RuleSet (got 'R')"
        )
        assert str(refusal(lambda: cc.ValidationReport(subject, rules, "IOP", (), ()))).startswith(
            "'level' must be a LevelOfCare or None (got 'IOP')"
        )
        assert str(
            refusal(lambda: cc.ValidationReport(subject, rules, IOP, (), ("T-OP", "X")))
        ).startswith("'applied[1]' must be the id of a rule of TYPICAL 2026 (got 'X')")

    def test_a_classification_is_its_reports_level(self) -> None:
        rules = typical_bands()
        report = cc.validate(program(IOP, 12), rules, as_level=IOP)
        assert cc.Classification(IOP, report).level == IOP
        assert str(refusal(lambda: cc.Classification("IOP", report))).startswith(
            "'level' must be a LevelOfCare (got 'IOP')"
        )
        assert str(refusal(lambda: cc.Classification(IOP, "report"))).startswith(
            "'report' must be a ValidationReport (got 'report')"
        )
        error = refusal(lambda: cc.Classification(PHP, report))
        assert isinstance(error, cc.InvalidValueError) and error.field == "level"
        assert str(error).startswith(f"'level' must be the level its report judged at ({IOP}) (got")

    def test_a_set_refuses_what_is_not_a_rule_and_repeated_ids(self) -> None:
        rule = cc.Rule("X", "t", source=STATE, check=_no_findings)
        assert str(refusal(lambda: cc.RuleSet("S", "1", "X"))).startswith(
            "'rules' must be a collection of Rule"
        )
        assert str(refusal(lambda: cc.RuleSet("S", "1", [rule, "Y"]))).startswith(
            "'rules[1]' must be a Rule (got 'Y')"
        )
        error = refusal(lambda: cc.RuleSet("S", "1", [rule, rule]))
        assert isinstance(error, cc.DuplicateRuleError)
        assert str(error).startswith("'rules[1].id' must be a rule id used once in a set (got 'X')")

    def test_an_unknown_rule_suggests_up_to_three_close_ids(self) -> None:
        rules = ruleset(
            *(cc.Rule(f"IOP-{n}", "t", source=STATE, check=_no_findings) for n in "ABCDE")
        )
        error = refusal(lambda: rules["IOP-F"])
        assert isinstance(error, cc.UnknownRuleError)
        assert sum(f"IOP-{n}" in str(error) for n in "ABCDE") == 3
        assert "IOP-" not in str(refusal(lambda: rules["PHP-HOURS-A-WEEK"]))


# ---- classify on fresh rule sets (built-in sets memoise their plans for the process) ----------


class TestClassify:
    def test_an_outpatient_program_is_placed_among_outpatient_levels(self) -> None:
        """25 hours at 2.1 meets 2.5's 20 and residential 3.1's 5: it is classified 2.5, as
        hours never make outpatient care residential."""
        found = cc.classify(program(ASAM3["2.1"], 25, 5), asam3_bands())
        assert [c.level for c in found] == [ASAM3["2.5"]]

    def test_a_residential_program_is_placed_among_24_hour_levels(self) -> None:
        """A 3.1 program of 25 hours is 3.1, not 2.5; at 4 hours it is nothing."""
        found = cc.classify(program(ASAM3["3.1"], 25, 5), asam3_bands())
        assert [c.level for c in found] == [ASAM3["3.1"]]
        assert found[0].report.level == ASAM3["3.1"] and found[0].report.ok
        assert cc.classify(program(ASAM3["3.1"], 4, 2), asam3_bands()) == ()

    def test_adolescent_programs_are_placed_by_adolescent_bands(self) -> None:
        """7 hours: an adolescent 2.1 (6 to below 20); an adult level 1 (below 9)."""
        bands = asam3_bands()
        teen = program(ASAM3["2.1"], 7, population=ADOLESCENT)
        assert [c.level for c in cc.classify(teen, bands)] == [ASAM3["2.1"]]
        assert [c.level for c in cc.classify(program(ASAM3["2.1"], 7), bands)] == [ASAM3["1"]]

    def test_a_program_no_intensity_rule_judges_is_not_placed(self) -> None:
        """An intensity rule for substance-use programs does not place a mental-health program,
        and a schedule rule alone places nothing."""
        rules = ruleset(
            weekly_hours("IOP", "IOP", source=STATE, levels=IOP, tracks=SUD, at_least=9),
            days_without_service("G", "gap", source=STATE, levels=IOP, at_most=4),
        )
        assert [c.level for c in cc.classify(program(IOP, 12), rules)] == [IOP]
        assert cc.classify(program(IOP, 12, track=MH), rules) == ()

    def test_overlapping_bands_give_every_level_by_intensity(self) -> None:
        """OP from 1 hour and IOP from 9 overlap: 10 hours is both, the less intensive first."""
        rules = ruleset(
            weekly_hours("IOP", "IOP", source=STATE, levels=IOP, at_least=9),
            weekly_hours("OP", "OP", source=STATE, levels=OP, at_least=1),
        )
        assert [c.level for c in cc.classify(program(IOP, 10), rules)] == [OP, IOP]
        assert rules.levels(tag="intensity") == (OP, IOP)

    def test_a_warning_does_not_stop_a_classification(self) -> None:
        """Six sessions is a warning under the descriptions (3-5): still an IOP, with the
        warning among the classification's findings."""
        rules = ruleset(
            *typical_bands(),
            sessions_per_week(
                "S",
                "3-5",
                source=STATE,
                levels=IOP,
                at_least=3,
                at_most=5,
                severity=cc.Severity.WARNING,
            ),
        )
        (iop,) = cc.classify(program(IOP, 12, 6), rules)
        assert iop.level == IOP and [f.rule_id for f in iop.findings] == ["S"]

    def test_classify_takes_a_rule_set(self) -> None:
        error = refusal(lambda: cc.classify(program(IOP, 12), "TYPICAL"))
        assert str(error).startswith(
            "'ruleset' must be a RuleSet, or a list or tuple of them (their union, as with |) "
            "(got 'TYPICAL')"
        )
        error = refusal(lambda: typical_bands().levels(tag=3))  # type: ignore[arg-type]
        assert str(error).startswith("'tag' must be a string or None (got 3)")
        error = refusal(lambda: cc.validate(program(IOP, 12), typical_bands(), as_level="IOP"))
        assert str(error).startswith("'as_level' must be a LevelOfCare or None (got 'IOP')")


# ---- deferred findings --------------------------------------------------------------------------


def explaining(explanation: tuple[object, ...]) -> cc.Rule:
    def check(context: cc.RuleContext) -> list[cc.Finding]:
        return [context.deferred_finding(lambda: explanation, path="sessions")]  # type: ignore[arg-type, return-value]

    return cc.Rule("EXPLAINS", "explains", source=STATE, check=check)


class TestDeferredFindings:
    def test_a_deferred_finding_reads_like_any_other(self) -> None:
        rule = explaining(("Too short.", "9 hours", "8 hours", PHP))
        finding = only(cc.validate(program(IOP, 9), ruleset(rule)))
        assert (finding.message, finding.expected, finding.found) == (
            "Too short.",
            "9 hours",
            "8 hours",
        )
        assert finding.looks_like == PHP and finding.path == "sessions"
        assert finding == cc.Finding(
            "EXPLAINS",
            cc.Severity.ERROR,
            "Too short.",
            expected="9 hours",
            found="8 hours",
            path="sessions",
            source=STATE,
            looks_like=PHP,
        )
        assert pickle.loads(pickle.dumps(finding)) == finding

    @pytest.mark.parametrize(
        ("explanation", "why"),
        [
            (("m", "", "f", None), "InvalidValueError: 'expected' must be a non-empty string"),
            (("", "e", "f", None), "InvalidValueError: 'message' must be a non-empty string"),
            (("m", "e", "", None), "InvalidValueError: 'found' must be a non-empty string"),
            (
                ("m", "e", "f", "IOP"),
                "InvalidTypeError: 'looks_like' must be a LevelOfCare or None (got 'IOP')",
            ),
            (("m", "e"), "ValueError: not enough values to unpack"),
        ],
    )
    def test_an_explanation_that_fails_says_so_in_the_finding(
        self, explanation: tuple[object, ...], why: str
    ) -> None:
        """Reading a finding never raises: a broken explanation becomes its text."""
        finding = only(cc.validate(program(IOP, 9), ruleset(explaining(explanation))))
        assert finding.message.startswith(f"Rule EXPLAINS could not explain its finding: {why}")
        assert finding.found.startswith(why)
        assert finding.expected == "an explanation" and finding.looks_like is None
        assert finding.severity is cc.Severity.ERROR and finding.path == "sessions"


def test_a_week_one_second_short_is_short() -> None:
    """8 hours 59 minutes 59 seconds is below ASAM 2.1's 9 (compared exactly, in
    microseconds), and the finding shows it to the ten-thousandth of an hour, not as 9."""
    rules = ruleset(weekly_hours("S", "9+", source=STATE, levels=IOP, at_least=9))
    short = cc.ProgramStructure.weekly(
        IOP,
        days=["mon"],
        hours_per_session=pendulum.duration(hours=9) - pendulum.duration(seconds=1),
        weeks=8,
    )
    assert only(cc.validate(short, rules)).found == "8.9997 clinical hours in the typical week"


# ---- refusals quote the value given ------------------------------------------------------------


class TestRefusalsQuoteTheValue:
    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (
                lambda: cc.Source("S", year="2026"),
                "'year' must be an int year or None (got '2026')",
            ),
            (
                lambda: weekly_hours("X", "x", source=STATE, levels=IOP, at_least="9"),
                "'at_least' must be a number or None (got '9')",
            ),
            (
                lambda: weekly_hours("X", "x", source=STATE, levels=IOP, at_least=-1),
                "'at_least' must be a finite number >= 0 (got -1)",
            ),
            (
                lambda: weekly_hours("X", "x", source=STATE, levels=IOP, at_most=19, less_than=20),
                "'at_most' must be not set together with less_than (got 19)",
            ),
            (
                lambda: weekly_hours("X", "x", source=STATE, levels=IOP, at_least=10, at_most=9),
                "'at_least' must be at most at_most (9) (got 10)",
            ),
            (
                lambda: weekly_hours("X", "x", source=STATE, levels=IOP, at_least=20, less_than=20),
                "'at_least' must be less than less_than (20) (got 20)",
            ),
            (lambda: cc.RuleSet("S", "1", 3), "'rules' must be a collection of Rule (got 3)"),
            (
                lambda: cc.RuleSet("S", "1", [], effective_from="2026"),
                "'effective_from' must be a date or an ISO 8601 date 'YYYY-MM-DD' (got '2026')",
            ),
            (
                lambda: cc.RuleSet(
                    "S",
                    "1",
                    [],
                    effective_from=pendulum.date(2026, 2, 1),
                    effective_until=pendulum.date(2026, 1, 1),
                ),
                "'effective_until' must be on or after effective_from (got Date(2026, 1, 1))",
            ),
            (lambda: cc.RuleSet("", "1", []), "'name'"),
            (lambda: cc.RuleSet("S", "", []), "'version'"),
            (lambda: cc.RuleSet("S", "1", [], description=3), "'description'"),
            (
                lambda: typical_bands().override("T-IOP"),
                "'params' must be at least one parameter to override (got {})",
            ),
            (
                lambda: typical_bands().override("T-IOP", at_leest=10),
                "'at_leest' must be a parameter of rule 'T-IOP' (at_least, at_most, less_than) "
                "(got 10)",
            ),
            (
                lambda: typical_bands().override("T-IOP", at_least="10"),
                "'at_least' must be a number or None (got '10')",
            ),
            (
                lambda: typical_bands().override("T-IOP", at_least=10, source="State"),
                "'source' must be a Source or None (got 'State')",
            ),
            (lambda: typical_bands().with_severity("T-IOP", "soft"), "'severity'"),
            (
                lambda: typical_bands()["T-IOP"].param("at_mots"),
                "'name' must be one of the parameters of rule 'T-IOP' (at_least, at_most, "
                "less_than) (got 'at_mots')",
            ),
            (
                lambda: cc.ValidationReport(None, typical_bands(), None, ("x",), ()),
                "'findings[0]' must be a Finding (got 'x')",
            ),
            (
                lambda: cc.ValidationReport(None, typical_bands(), None, (), (3,)),
                "'applied[0]' must be a rule id (got 3)",
            ),
        ],
    )
    def test_the_message_names_the_field_and_quotes_the_value(
        self, make: object, message: str
    ) -> None:
        assert str(refusal(make)).startswith(message)

    def test_a_service_param_keeps_its_type_and_says_so(self) -> None:
        rules = ruleset(
            service_every_day(
                "G", "g", source=STATE, levels=IOP, services=[cc.Service.GROUP_THERAPY]
            )
        )
        error = refusal(lambda: rules.override("G", services="group"))
        assert str(error).startswith("'services' must be a tuple, as before (got 'group')")

    def test_a_missing_param_asked_by_a_check_crashes_the_rule_naming_it(self) -> None:
        def asks(context: cc.RuleContext) -> list[cc.Finding]:
            context.param("at_leest")
            return []

        rule = cc.Rule("ASKS", "asks", source=STATE, check=asks, params={"at_least": 9})
        finding = only(cc.validate(program(IOP, 9), ruleset(rule)))
        assert finding.found == (
            "InvalidValueError: 'name' must be one of the parameters of rule 'ASKS' (at_least) "
            "(got 'at_leest')"
        )

    def test_zero_and_fractional_bounds_are_allowed(self) -> None:
        """A floor of 0 or half an hour is a floor: only negative bounds are refused."""
        assert weekly_hours("X", "x", source=STATE, levels=IOP, at_least=0).params["at_least"] == 0
        half = weekly_hours("X", "x", source=STATE, levels=IOP, at_least=0.5, less_than=0.75)
        assert (half.params["at_least"], half.params["less_than"]) == (0.5, 0.75)

    def test_a_rule_set_has_no_description_unless_given(self) -> None:
        assert cc.RuleSet("S", "1", []).description == ""

    def test_an_amended_title_keeps_the_whole_original_title(self) -> None:
        """ASAM3's 2.1 rule, overridden twice, keeps its title once, with the last change."""
        twice = rulesets.ASAM3.override("ASAM3-2.1-ADULT-HOURS", at_least=10).override(
            "ASAM3-2.1-ADULT-HOURS", at_least=11
        )
        assert twice["ASAM3-2.1-ADULT-HOURS"].title == (
            "Level 2.1, adults: 9-19 clinical hours a week [amended: at_least 11]"
        )

    @pytest.mark.parametrize(
        ("note", "noted"),
        [
            ("Adults only. ", "Adults only. Locally overridden: at_least 9 -> 10"),
            ("Adults only;", "Adults only; Locally overridden: at_least 9 -> 10"),
            ("Adults only", "Adults only; Locally overridden: at_least 9 -> 10"),
        ],
    )
    def test_a_note_gains_the_change_as_its_next_clause(self, note: str, noted: str) -> None:
        source = cc.Source("State rule", note=note)
        rules = ruleset(weekly_hours("X", "x", source=source, levels=IOP, at_least=9))
        assert rules.override("X", at_least=10)["X"].source.note == noted

    def test_levels_of_several_schemes_are_listed_scheme_by_scheme(self) -> None:
        rules = ruleset(
            weekly_hours("G", "g", source=STATE, levels=(PHP, IOP), at_least=9),
            weekly_hours("A", "a", source=STATE, levels=(ASAM3["2.5"], ASAM3["1"]), at_least=9),
        )
        assert rules.levels() == (ASAM3["1"], ASAM3["2.5"], IOP, PHP)

    def test_a_violation_reads_as_its_finding(self) -> None:
        finding = only(cc.validate(program(IOP, 8), typical_bands()))
        violation = cc.RuleViolation(finding)
        assert violation.finding is finding
        assert str(violation) == (
            f"{finding.severity.value} {finding.rule_id} @ {finding.path}: {finding.message} "
            f"(expected {finding.expected}; found {finding.found})"
        )
        assert str(violation).startswith(str(finding).removesuffix("\u2026"))


# ---- the last survivors: exact texts, edges and the order rules are met in ----------------------


class TestLastSurvivors:
    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (
                lambda: service_every_day("G", "g", source=STATE, levels=IOP, services="x"),
                "'services' must be a sequence of Service (got 'x')",
            ),
            (
                lambda: service_every_day("G", "g", source=STATE, levels=IOP, services=[]),
                "'services' must be at least one service (got ())",
            ),
            (
                lambda: attendance_rate("A", "a", source=STATE, at_least="90%"),
                "'at_least' must be a share between 0 and 1 (0.9 for 90%) (got '90%')",
            ),
            (
                lambda: attendance_rate("A", "a", source=STATE, at_least=1.5),
                "'at_least' must be a share between 0 and 1 (0.9 for 90%) (got 1.5)",
            ),
            (
                lambda: weekly_hours("X", "x", source=STATE, levels=IOP),
                "'at_least' must be at least one bound (at_least, at_most, less_than) (got None)",
            ),
            (
                lambda: cc.WeekFigures("w", "p", "x"),
                "'entries' must be a sequence of a (weekday, microseconds, index, Session) "
                "(got 'x')",
            ),
            (
                lambda: cc.WeekFigures("w", "p", ((7, 0, 0, None),)),
                "'entries[0]' must be a (weekday 0-6, microseconds, index, Session) "
                "(got (7, 0, 0, None))",
            ),
            (
                lambda: cc.WeekFigures("w", "p", (), fraction="1"),
                "'fraction' must be a number (got '1')",
            ),
            (
                lambda: cc.WeekFigures("w", "p", (), fraction=2),
                "'fraction' must be a share of a week, in (0, 1] (got 2)",
            ),
        ],
    )
    def test_refusals_read_exactly(self, make: object, message: str) -> None:
        assert str(refusal(make)) == message

    def test_count_rules_keep_an_exclusive_cap(self) -> None:
        """ "Fewer than 6 days", "fewer than 4 hours a session", "under 13 weeks"."""
        for factory in (days_per_week, sessions_per_week, session_hours, program_weeks):
            rule = factory("X", "x", source=STATE, levels=IOP, less_than=6)
            assert rule.params["less_than"] == 6

    def test_two_rules_of_a_set_state_their_own_bounds(self) -> None:
        """One session of 2 hours under the descriptions: the hours and the sessions rules each
        say what they ask for."""
        rules = ruleset(
            weekly_hours("H", "9-15", source=STATE, levels=IOP, at_least=9, at_most=15),
            days_per_week("D", "3-5", source=STATE, levels=IOP, at_least=3, at_most=5),
        )
        hours, days = cc.validate(program(IOP, 2, 1), rules).findings
        assert hours.expected == "at least 9 and at most 15 clinical hours a week"
        assert days.expected == "at least 3 and at most 5 program days a week"

    def test_an_unscoped_rule_on_a_subject_without_a_level(self) -> None:
        """A rule for any level judging a kind of subject with no level: "under STATE" alone,
        and no band to compare with."""
        from carecontinuum import _measures  # noqa: PLC0415 (the registry is internal)

        @attrs.frozen
        class Log:
            hours: int

        def weeks(log: Log) -> tuple[cc.WeekFigures, ...]:
            session = program(IOP, 3, ["mon"]).sessions[0]
            return (
                cc.WeekFigures(
                    "the log's week", "log", ((0, log.hours * 3_600_000_000, 0, session),)
                ),
            )

        _measures.register(Log, weeks, lambda log: (None, None, None))
        rule = weekly_hours("ANY", "9+", source=STATE, levels=(), at_least=9)
        rule = attrs.evolve(rule, judges=(Log,))
        finding = only(cc.validate(Log(4), ruleset(rule)))
        assert finding.message == (
            "The log's week has 4 clinical hours; under STATE needs at least 9 clinical hours a "
            "week."
        )
        assert finding.looks_like is None

    def test_bands_come_only_from_weekly_hours_rules_of_the_scheme_and_scope(self) -> None:
        """Rules met first that are not bands of this subject (a days rule, another scheme's
        band, a band for another track) neither stop the search nor count as bands."""
        rules = ruleset(
            days_per_week("D", "1+ days", source=STATE, levels=OP, at_least=1),
            weekly_hours("A", "ASAM", source=STATE, levels=ASAM3["1"], at_least=1),
            weekly_hours("MH", "MH OP", source=STATE, levels=OP, tracks=MH, at_least=1, at_most=8),
            weekly_hours("IOP", "9-15", source=STATE, levels=IOP, at_least=9, at_most=15),
            name="MIXED",
        )
        finding = only(cc.validate(program(IOP, 4), rules))
        assert finding.looks_like is None
        assert finding.message.endswith("It lies below MIXED's lowest band, IOP (9-15).")

    def test_the_top_of_an_inclusive_band_is_in_it(self) -> None:
        """15 hours at PHP is IOP's (9-15, both ends included)."""
        assert only(cc.validate(program(PHP, 15), typical_bands())).looks_like == IOP

    def test_a_week_at_an_exclusive_cap_is_above_that_band(self) -> None:
        """An OP program of 20 hours where IOP runs 9 to under 20 and no band holds 20."""
        rules = ruleset(
            weekly_hours("OP", "1-3", source=STATE, levels=OP, at_least=1, at_most=3),
            weekly_hours("IOP", "9-<20", source=STATE, levels=IOP, at_least=9, less_than=20),
            name="CAPPED",
        )
        finding = only(cc.validate(program(OP, 20, 5), rules))
        assert finding.message.endswith("It lies above CAPPED's highest band, IOP (9 to under 20).")

    def test_a_full_week_after_a_partial_one_is_counted(self) -> None:
        """A Monday-Wednesday program expanded from a Wednesday: the partial first week is
        passed over, the full second week (2 days) is below 3 days a week."""
        rules = ruleset(days_per_week("D", "3+", source=STATE, levels=IOP, at_least=3))
        calendar = cc.expand(
            program(IOP, 6, ["mon", "wed"], weeks=2), pendulum.date(2026, 3, 4), "UTC"
        )
        finding = only(cc.validate(calendar, rules))
        assert finding.path == "weeks[2026-03-09]"

    def test_a_calendar_with_every_session_closed_has_no_service_at_all(self) -> None:
        """One week, all three sessions closed: 7 days without service, from its Monday."""
        rules = ruleset(days_without_service("G", "gap", source=STATE, levels=IOP, at_most=2))
        closed = cc.expand(
            program(IOP, 9, ["mon", "wed", "fri"], weeks=1),
            pendulum.date(2026, 3, 2),
            "UTC",
            closures=[pendulum.date(2026, 3, d) for d in (2, 4, 6)],
        )
        finding = only(cc.validate(closed, rules))
        assert finding.found == "7 consecutive days without service"
        assert "from Monday of the week of 2026-03-02" in finding.message

    def test_service_every_day_allows_no_gap(self) -> None:
        rules = ruleset(days_without_service("G", "gap", source=STATE, levels=PHP, at_most=0))
        assert cc.validate(program(PHP, 21, 7), rules).ok
        finding = only(cc.validate(program(PHP, 24, ["mon", "wed", "fri", "sat"]), rules))
        assert "from Tuesday of the typical week" in finding.message  # the first of equal gaps

    def test_a_gap_in_a_later_week_is_found_in_that_week(self) -> None:
        """Four weeks of Monday-Wednesday-Friday, closed on 18, 20 and 23 March: from Tuesday
        17 to Tuesday 24 March, 8 days without service, found in the week of 16 March."""
        rules = ruleset(days_without_service("G", "gap", source=STATE, levels=IOP, at_most=2))
        calendar = cc.expand(
            program(IOP, 9, ["mon", "wed", "fri"], weeks=4),
            pendulum.date(2026, 3, 2),
            "UTC",
            closures=[pendulum.date(2026, 3, d) for d in (18, 20, 23)],
        )
        finding = only(cc.validate(calendar, rules))
        assert finding.found == "8 consecutive days without service"
        assert "from Tuesday of the week of 2026-03-16" in finding.message
        assert finding.path == "weeks[2026-03-16]"
