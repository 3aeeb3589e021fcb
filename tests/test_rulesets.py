"""The named rule sets: every threshold on both sides of its edge, from the domain notes."""

from __future__ import annotations

import itertools

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pendulum import WeekDay

import carecontinuum as cc
import carecontinuum.strategies as ccst
from carecontinuum import rulesets
from carecontinuum.catalogs import ASAM3, ASAM4, GENERIC
from strategies import programs

ADULT, ADOLESCENT = cc.Population.ADULT, cc.Population.ADOLESCENT


def week_of(
    level: cc.LevelOfCare,
    hours: float,
    *,
    population: cc.Population = ADULT,
    track: cc.Track = cc.Track.SUBSTANCE_USE,
    days: int | list[str] = 1,
) -> cc.ProgramStructure:
    """A program holding `hours` clinical hours a week, spread evenly over `days` days (the
    first `days` of the week, or the days named)."""
    names = days if isinstance(days, list) else [d.name for d in list(WeekDay)[:days]]
    return cc.ProgramStructure.weekly(
        level,
        days=names,
        hours_per_session=pendulum.duration(seconds=round(hours * 3600 / len(names))),
        weeks=8,
        population=population,
        track=track,
    )


def error_ids(report: cc.ValidationReport) -> list[str]:
    return [f.rule_id for f in report.errors]


def looks_like(report: cc.ValidationReport) -> list[str]:
    return [f.looks_like.code for f in report.errors if f.looks_like is not None]


class TestASAM3:
    @pytest.mark.parametrize(
        ("hours", "ok"), [(8.99, False), (9, True), (19, True), (19.99, True), (20, False)]
    )
    def test_adult_2_1_is_9_to_below_20(self, hours: float, ok: bool) -> None:
        """Adult IOP (2.1) holds 9 to less than 20 clinical hours a week."""
        report = cc.validate(week_of(ASAM3["2.1"], hours, days=4), rulesets.ASAM3)
        assert report.ok is ok
        assert report.applied == ("ASAM3-2.1-ADULT-HOURS",)

    def test_adult_2_1_below_the_floor_looks_like_level_1(self) -> None:
        """8.99 hours of 'IOP' is outpatient care (level 1) under ASAM."""
        report = cc.validate(week_of(ASAM3["2.1"], 8.99, days=3), rulesets.ASAM3)
        assert looks_like(report) == ["1"]
        (finding,) = report.errors
        assert finding.expected == "at least 9 and less than 20 clinical hours a week"
        assert finding.found == "8.99 clinical hours in the typical week"
        assert finding.source.locator == "Level 2.1"
        assert finding.path == "sessions"

    def test_adult_2_1_at_20_looks_like_partial_hospitalization(self) -> None:
        """20 hours is 2.5's floor."""
        report = cc.validate(week_of(ASAM3["2.1"], 20, days=5), rulesets.ASAM3)
        assert looks_like(report) == ["2.5"]

    @pytest.mark.parametrize(("hours", "ok"), [(5.99, False), (6, True), (19.99, True)])
    def test_adolescent_2_1_starts_at_6(self, hours: float, ok: bool) -> None:
        """Adolescent IOP begins at 6 hours a week."""
        program = week_of(ASAM3["2.1"], hours, population=ADOLESCENT, days=3)
        report = cc.validate(program, rulesets.ASAM3)
        assert report.ok is ok
        assert report.applied == ("ASAM3-2.1-ADOLESCENT-HOURS",)

    def test_six_hours_is_iop_for_adolescents_but_not_adults(self) -> None:
        """The same 6-hour week passes as adolescent IOP and fails as adult IOP."""
        adult = cc.validate(week_of(ASAM3["2.1"], 6, days=3), rulesets.ASAM3)
        teen = cc.validate(week_of(ASAM3["2.1"], 6, population=ADOLESCENT, days=3), rulesets.ASAM3)
        assert (adult.ok, teen.ok) == (False, True)

    @pytest.mark.parametrize(
        ("population", "hours", "ok"),
        [(ADULT, 8.99, True), (ADULT, 9, False), (ADOLESCENT, 5.99, True), (ADOLESCENT, 6, False)],
    )
    def test_level_1_is_below_9_adults_and_6_adolescents(
        self, population: cc.Population, hours: float, ok: bool
    ) -> None:
        """Outpatient (1) is fewer than 9 hours for adults, 6 for adolescents."""
        program = week_of(ASAM3["1"], hours, population=population, days=3)
        report = cc.validate(program, rulesets.ASAM3)
        assert report.ok is ok
        if not ok:
            assert looks_like(report) == ["2.1"]

    @pytest.mark.parametrize(("hours", "ok"), [(19.99, False), (20, True), (40, True)])
    def test_2_5_is_20_or_more(self, hours: float, ok: bool) -> None:
        """Partial hospitalization is 20 or more hours, for every population."""
        for population in cc.Population:
            program = week_of(ASAM3["2.5"], hours, population=population, days=5)
            assert cc.validate(program, rulesets.ASAM3).ok is ok

    @pytest.mark.parametrize(("hours", "ok"), [(4.99, False), (5, True)])
    def test_3_1_is_at_least_5(self, hours: float, ok: bool) -> None:
        """Low-intensity residential (3.1) delivers at least 5 clinical hours a week."""
        assert cc.validate(week_of(ASAM3["3.1"], hours), rulesets.ASAM3).ok is ok

    def test_levels_without_a_threshold_are_not_judged(self) -> None:
        """3.7 has no weekly-hours rule: no rule applies, and the report says so."""
        report = cc.validate(week_of(ASAM3["3.7"], 30, days=5), rulesets.ASAM3)
        assert report.applied == ()
        assert [f.rule_id for f in report.infos] == ["NO-RULE-APPLIES"]


class TestASAM4:
    @pytest.mark.parametrize(("hours", "ok"), [(8.99, False), (9, True), (19.99, True)])
    def test_2_1_carries_the_3rd_edition_figures(self, hours: float, ok: bool) -> None:
        """2.1 at 9 to below 20, cited as carried over from the 3rd edition."""
        report = cc.validate(week_of(ASAM4["2.1"], hours, days=4), rulesets.ASAM4)
        assert report.ok is ok
        source = rulesets.ASAM4["ASAM4-2.1-ADULT-HOURS"].source
        assert source.note is not None and "carried over" in source.note

    @pytest.mark.parametrize(("hours", "ok"), [(19.99, False), (20, True)])
    def test_2_5_high_intensity_outpatient_is_20_or_more(self, hours: float, ok: bool) -> None:
        """HIOP (2.5) starts at 20 hours."""
        assert cc.validate(week_of(ASAM4["2.5"], hours, days=5), rulesets.ASAM4).ok is ok

    def test_adolescents_get_a_pointer_to_the_3rd_edition(self) -> None:
        """No adolescent criteria: a warning, no threshold invented, and no classification."""
        program = week_of(ASAM4["2.1"], 12, population=ADOLESCENT, days=4)
        report = cc.validate(program, rulesets.ASAM4)
        assert report.ok
        (warning,) = report.warnings
        assert warning.rule_id == "ASAM4-NO-ADOLESCENT-CRITERIA" and "ASAM3" in warning.message
        assert cc.classify(program, rulesets.ASAM4) == ()


class TestMedicare:
    @pytest.mark.parametrize(
        ("hours", "ok"), [(8.99, False), (9, True), (19, True), (19.99, True), (20, False)]
    )
    def test_iop_is_9_up_to_php_floor(self, hours: float, ok: bool) -> None:
        """IOP from 9 hours; its upper edge is PHP's 20, not an IOP cap."""
        report = cc.validate(week_of(GENERIC["IOP"], hours, days=4), rulesets.MEDICARE_2024)
        assert report.ok is ok
        if hours >= 20:
            assert looks_like(report) == ["PHP"]
        note = rulesets.MEDICARE_2024["MEDICARE-IOP-HOURS"].source.note or ""
        assert "not an IOP cap" in note

    @pytest.mark.parametrize(("hours", "ok"), [(19.99, False), (20, True)])
    def test_php_is_20_or_more(self, hours: float, ok: bool) -> None:
        """PHP needs 20 or more hours a week."""
        assert cc.validate(week_of(GENERIC["PHP"], hours, days=5), rulesets.MEDICARE_2024).ok is ok

    def test_per_diem_tiers_count_services_per_day(self) -> None:
        """Days with 4 services reach the upper tier; days with 2 fall below both (a warning)."""
        four = [cc.Service.CHECK_IN, cc.Service.GROUP_THERAPY, cc.Service.PSYCHOEDUCATION,
                cc.Service.RELAPSE_PREVENTION]  # fmt: skip
        rich = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8, services=four
        )
        report = cc.validate(rich, rulesets.MEDICARE_2024)
        (info,) = [f for f in report.infos if f.rule_id == "MEDICARE-PER-DIEM-TIERS"]
        assert info.found.startswith("0 day(s) with 3 services, 3 with 4 or more, 0 with fewer")
        thin = attrs.evolve(rich, sessions=tuple(
            cc.Session(s.weekday, s.start, s.segments[:2]) for s in rich.sessions))  # fmt: skip
        report = cc.validate(thin, rulesets.MEDICARE_2024)
        assert [f.rule_id for f in report.warnings] == ["MEDICARE-PER-DIEM-TIERS"]


class TestH0015AndTEDS:
    @pytest.mark.parametrize(("per_day", "ok"), [(2.99, False), (3, True)])
    def test_h0015_needs_3_hours_a_day(self, per_day: float, ok: bool) -> None:
        """Each program day operates at least 3 hours."""
        program = week_of(GENERIC["IOP"], per_day * 3, days=3)
        report = cc.validate(program, rulesets.HCPCS_H0015)
        assert report.ok is ok
        if not ok:
            assert [f.path for f in report.errors] == ["sessions[0]", "sessions[1]", "sessions[2]"]

    @pytest.mark.parametrize(("days", "ok"), [(2, False), (3, True)])
    def test_h0015_needs_3_days_a_week(self, days: int, ok: bool) -> None:
        """At least 3 days a week."""
        report = cc.validate(week_of(GENERIC["IOP"], 3.5 * days, days=days), rulesets.HCPCS_H0015)
        assert report.ok is ok

    def test_h0015_warns_for_mental_health_programs(self) -> None:
        """Mental-health IOP is billed as S9480."""
        program = week_of(GENERIC["IOP"], 9, days=3, track=cc.Track.MENTAL_HEALTH)
        report = cc.validate(program, rulesets.HCPCS_H0015)
        assert [f.rule_id for f in report.warnings] == ["H0015-TRACK"]
        assert "S9480" in report.warnings[0].message

    @pytest.mark.parametrize(
        ("per_day", "days", "ok"), [(1.99, 3, False), (2, 3, True), (2, 2, False)]
    )
    def test_teds_is_2_hours_a_day_3_days_a_week(self, per_day: float, days: int, ok: bool) -> None:
        """TEDS: at least 2 hours a day on 3 or more days a week."""
        program = week_of(GENERIC["IOP"], per_day * days, days=days)
        assert cc.validate(program, rulesets.TEDS).ok is ok


class TestNorthCarolina:
    def test_monday_wednesday_friday_has_at_most_2_days_between(self) -> None:
        """Saturday and Sunday are the longest gap: allowed."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8
        )
        assert cc.validate(program, rulesets.NC_SAIOP).ok

    def test_monday_to_wednesday_leaves_4_days_without_service(self) -> None:
        """Thursday to Sunday is 4 days in a row without service."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "tue", "wed"], hours_per_session=3, weeks=8
        )
        report = cc.validate(program, rulesets.NC_SAIOP)
        assert error_ids(report) == ["NC-SAIOP-GAP"]
        assert report.errors[0].found == "4 consecutive days without service"
        assert "Thursday" in report.errors[0].message

    @pytest.mark.parametrize(("hours", "ok"), [(19, True), (19.5, False)])
    def test_at_most_19_structured_hours(self, hours: float, ok: bool) -> None:
        """8A caps SAIOP at 19 hours a week, inclusive."""
        program = week_of(GENERIC["IOP"], hours, days=["mon", "wed", "fri"])
        report = cc.validate(program, rulesets.NC_SAIOP)
        assert report.ok is ok
        assert error_ids(report) == ([] if ok else ["NC-SAIOP-MAX-HOURS"])

    @pytest.mark.parametrize(
        ("population", "hours", "rule_fails"),
        [
            (ADULT, 8.99, "NC-SAIOP-ADULT-HOURS"),
            (ADULT, 9, None),
            (ADULT, 19.01, "NC-SAIOP-ADULT-HOURS"),
            (ADOLESCENT, 5.99, "NC-SAIOP-ADOLESCENT-HOURS"),
            (ADOLESCENT, 6, None),
        ],
    )
    def test_2026_revision_states_weekly_hours_by_population(
        self, population: cc.Population, hours: float, rule_fails: str | None
    ) -> None:
        """8A-12: adults 9-19 hours a week, adolescents 6-19."""
        program = week_of(GENERIC["IOP"], hours, population=population, days=["mon", "wed", "fri"])
        weekly = {"NC-SAIOP-ADULT-HOURS", "NC-SAIOP-ADOLESCENT-HOURS"}
        failing = set(error_ids(cc.validate(program, rulesets.NC_SAIOP_2026))) & weekly
        assert failing == ({rule_fails} if rule_fails else set())

    def test_the_three_versions_are_dated_back_to_back(self) -> None:
        """8A until 2024-12-31; 8A as revised (limits removed) for 2025; 8A-12 from 2026."""
        sets = (rulesets.NC_SAIOP, rulesets.NC_SAIOP_2025, rulesets.NC_SAIOP_2026)
        assert [(rs.effective_from, rs.effective_until) for rs in sets] == [
            (None, pendulum.date(2024, 12, 31)),
            (pendulum.date(2025, 1, 1), pendulum.date(2025, 12, 31)),
            (pendulum.date(2026, 1, 1), None),
        ]
        assert rulesets.ALL["NC_SAIOP_2025"] is rulesets.NC_SAIOP_2025
        assert "NC_SAIOP_2025" in rulesets.__all__

    def test_saiop_needs_group_counseling_each_day_it_is_offered(self) -> None:
        """8A: a program day without group counseling is an ERROR naming the day; an individual
        hour held as a separate appointment (not a program day) needs no group."""
        groups = week_of(GENERIC["IOP"], 9, days=["mon", "wed", "fri"])
        assert cc.validate(groups, rulesets.NC_SAIOP).ok
        individual = cc.Segment(cc.Service.INDIVIDUAL_THERAPY, pendulum.duration(hours=3))
        friday = attrs.evolve(groups.sessions[2], segments=(individual,))
        no_group = attrs.evolve(groups, sessions=(*groups.sessions[:2], friday))
        report = cc.validate(no_group, rulesets.NC_SAIOP)
        assert error_ids(report) == ["NC-SAIOP-GROUP-DAILY"]
        assert report.errors[0].path == "sessions[2]" and "Friday" in report.errors[0].message
        hour = cc.Session(
            WeekDay.TUESDAY,
            pendulum.time(10),
            [cc.Segment(cc.Service.INDIVIDUAL_THERAPY, pendulum.duration(hours=1))],
            program_day=False,
        )
        with_appointment = attrs.evolve(groups, sessions=(*groups.sessions, hour))
        assert cc.validate(with_appointment, rulesets.NC_SAIOP).findings == ()

    def test_2025_notes_8a_figures_and_judges_none(self) -> None:
        """The 2025 revision removed limits and its SAIOP text could not be read: a program
        breaking every 8A figure (2 days of 12 hours, no group, 24 hours a week) gets an INFO
        note per figure, never an error, and each note cites the revision's bulletin."""
        individual = cc.Segment(cc.Service.INDIVIDUAL_THERAPY, pendulum.duration(hours=1))
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"],
            days=["mon", "tue"],
            hours_per_session=12,
            services=[individual, cc.Service.PSYCHOEDUCATION],
            weeks=8,
        )
        strict = cc.validate(program, rulesets.NC_SAIOP)
        assert set(error_ids(strict)) == {
            "NC-SAIOP-DAYS-PER-WEEK", "NC-SAIOP-GAP", "NC-SAIOP-GROUP-DAILY", "NC-SAIOP-MAX-HOURS"
        }  # fmt: skip
        report = cc.validate(program, rulesets.NC_SAIOP_2025)
        assert report.ok and not report.warnings
        assert {f.rule_id for f in report.infos} == set(error_ids(strict))
        for finding in report.infos:
            assert finding.message.endswith("A note, not a judgement: the rule's source says why.")
            assert finding.source.url is not None and "2025/01/24" in finding.source.url
            assert "not confirmed" in (finding.source.note or "")

    def test_2026_judges_weekly_hours_and_only_notes_8a_schedule(self) -> None:
        """8A-12's summary states weekly hours only: Monday, Tuesday and Thursday (3 days
        without service) is an INFO note in 2026, an ERROR under 8A; 8A's 19-hour cap is
        replaced by the population bands."""
        program = week_of(GENERIC["IOP"], 9, days=["mon", "tue", "thu"])
        assert error_ids(cc.validate(program, rulesets.NC_SAIOP)) == ["NC-SAIOP-GAP"]
        report = cc.validate(program, rulesets.NC_SAIOP_2026)
        assert report.ok and [f.rule_id for f in report.infos] == ["NC-SAIOP-GAP"]
        assert "not confirmed" in (report.infos[0].source.note or "")
        assert "NC-SAIOP-MAX-HOURS" not in rulesets.NC_SAIOP_2026
        assert "NC-SAIOP-GROUP-DAILY" in rulesets.NC_SAIOP_2026
        assert rulesets.NC_SAIOP_2026["NC-SAIOP-GROUP-DAILY"].severity is cc.Severity.INFO

    def test_every_nc_rule_says_what_could_not_be_confirmed(self) -> None:
        """Each NC rule's source note says where its figure comes from and what was not
        confirmed (8A's text, the 2025 revision's text, 8A-12's text, later amendments)."""
        for ruleset in (
            rulesets.NC_SAIOP,
            rulesets.NC_SAIOP_2025,
            rulesets.NC_SAIOP_2026,
            rulesets.NC_SACOT,
        ):
            for rule in ruleset:
                note = rule.source.note or ""
                assert "not" in note and ("read" in note or "checked" in note), rule.id

    def test_sacot_is_in_force_since_its_licensure_rules(self) -> None:
        """10A NCAC 27G .4501/.4503 took effect 2006-04-01 and were not ended by NC Medicaid's
        2025 revision of its coverage policy."""
        assert rulesets.NC_SACOT.effective_from == pendulum.date(2006, 4, 1)
        assert rulesets.NC_SACOT.effective_until is None

    def test_sacot_is_for_adults(self) -> None:
        """An adolescent day-treatment program is out of SACOT's scope: one WARNING saying so,
        no SACOT threshold judges it, and it classifies nowhere; the adult program passes
        without that warning."""
        days = ["mon", "tue", "wed", "thu", "fri"]
        teen = cc.ProgramStructure.weekly(
            GENERIC["PHP"], days=days, hours_per_session=4, weeks=8, population=ADOLESCENT
        )
        report = cc.validate(teen, rulesets.NC_SACOT)
        assert report.ok and report.applied == ("NC-SACOT-ADULTS-ONLY",)
        (warning,) = report.warnings
        assert "adults" in warning.message and warning.path == "population"
        assert warning.source.title.startswith("10A NCAC 27G .4501")
        assert cc.classify(teen, rulesets.NC_SACOT) == ()
        adult = attrs.evolve(teen, population=ADULT)
        report = cc.validate(adult, rulesets.NC_SACOT)
        assert report.findings == () and "NC-SACOT-ADULTS-ONLY" not in report.applied
        short_teen = attrs.evolve(teen, sessions=teen.sessions[:2])
        assert cc.validate(short_teen, rulesets.NC_SACOT).errors == ()

    def test_sacot_needs_group_counseling_every_day(self) -> None:
        """5 days of 4 hours passes; a day without group fails, naming that day."""
        days = ["mon", "tue", "wed", "thu", "fri"]
        program = cc.ProgramStructure.weekly(
            GENERIC["PHP"], days=days, hours_per_session=4, weeks=8
        )
        assert cc.validate(program, rulesets.NC_SACOT).ok
        individual = cc.Segment(cc.Service.INDIVIDUAL_THERAPY, pendulum.duration(hours=4))
        sessions = (
            *program.sessions[:4],
            attrs.evolve(program.sessions[4], segments=(individual,)),
        )
        report = cc.validate(attrs.evolve(program, sessions=sessions), rulesets.NC_SACOT)
        assert error_ids(report) == ["NC-SACOT-GROUP-DAILY"]
        assert report.errors[0].path == "sessions[4]"


class TestTypicalIOP:
    @pytest.mark.parametrize(
        ("hours", "ok", "instead", "sides"),
        [
            (2, False, "OP", None),
            (8.25, False, "OP", None),
            (8.99, False, "OP", None),
            (9, True, None, None),
            (15, True, None, None),
            (15.01, False, None, "between TYPICAL_IOP's bands for IOP (9-15) and PHP (20+)"),
            (20, False, "PHP", None),
        ],
    )
    def test_iop_band_9_to_15(
        self, hours: float, ok: bool, instead: str | None, sides: str | None
    ) -> None:
        """Typical IOP is 9-15 hours. Outside it, the finding names the level whose band holds
        the week, or, between bands, the bands on either side (and no level: classify agrees).
        """
        program = week_of(GENERIC["IOP"], hours, days=4)
        report = cc.validate(program, rulesets.TYPICAL_IOP)
        assert report.ok is ok
        assert looks_like(report) == ([instead] if instead else [])
        if sides:
            assert sides in report.errors[0].message
            assert cc.classify(program, rulesets.TYPICAL_IOP) == ()

    def test_adolescent_programs_are_out_of_the_typical_scope(self) -> None:
        """The descriptions are of adult programs; adolescents are judged by ASAM3."""
        teen = week_of(GENERIC["IOP"], 6, population=ADOLESCENT, days=3)
        assert cc.validate(teen, rulesets.TYPICAL_IOP).applied == ()
        assert cc.validate(teen, rulesets.ASAM3).ok

    def test_mental_health_programs_are_out_of_addiction_rule_sets(self) -> None:
        """ASAM, TEDS and NC's substance-abuse rules do not judge a mental-health IOP."""
        program = week_of(GENERIC["IOP"], 12, days=4, track=cc.Track.MENTAL_HEALTH)
        for name in ("ASAM3", "ASAM4", "TEDS", "NC_SAIOP", "NC_SAIOP_2026"):
            assert cc.validate(program, rulesets.ALL[name]).applied == (), name
        assert cc.validate(program, rulesets.MEDICARE_2024).ok

    def test_separate_appointments_do_not_make_program_days(self) -> None:
        """An individual-therapy hour on a non-program day adds hours, not a short program day."""
        base = week_of(GENERIC["IOP"], 9, days=["mon", "wed", "fri"])
        hour = pendulum.duration(hours=1)
        individual = cc.Segment(cc.Service.INDIVIDUAL_THERAPY, hour)
        appointment = cc.Session(WeekDay.TUESDAY, pendulum.time(10), [individual])
        as_program_day = attrs.evolve(base, sessions=(*base.sessions, appointment))
        assert not cc.validate(as_program_day, rulesets.HCPCS_H0015).ok
        separate = attrs.evolve(appointment, program_day=False)
        program = attrs.evolve(base, sessions=(*base.sessions, separate))
        assert cc.validate(program, rulesets.HCPCS_H0015).ok
        assert program.weekly_hours == pendulum.duration(hours=10)

    @pytest.mark.parametrize(
        ("hours", "usual", "instead"),
        [
            (0.5, False, None),
            (1, True, None),
            (3, True, None),
            (3.5, False, None),
            (5, False, None),
            (8.99, False, None),
            (9, None, "IOP"),
            (12, None, "IOP"),
        ],
    )
    def test_standard_outpatient_is_below_9_usually_1_to_3(
        self, hours: float, usual: bool | None, instead: str | None
    ) -> None:
        """Standard outpatient runs below IOP's 9 hours (an ERROR from 9, looking like IOP);
        the descriptions' 1-3 hours is usual, so a week outside it is a WARNING, not an error.
        (usual: True inside 1-3, False outside it, None where the level's band already fails.)
        """
        report = cc.validate(week_of(GENERIC["OP"], hours), rulesets.TYPICAL_IOP)
        assert report.ok is (usual is not None)
        assert looks_like(report) == ([instead] if instead else [])
        warned = [f for f in report.warnings if f.rule_id == "TYPICAL-OP-USUAL-HOURS"]
        assert len(warned) == (1 if usual is False else 0)

    def test_a_five_hour_outpatient_week_is_a_warning_above_the_usual(self) -> None:
        """5 hours of standard outpatient: the warning says it is above the usual 1-3 and
        names no other level."""
        report = cc.validate(week_of(GENERIC["OP"], 5, days=2), rulesets.TYPICAL_IOP)
        assert report.ok and report.errors == ()
        (warning,) = report.warnings
        assert warning.message == (
            "The typical week has 5 clinical hours, more than the usual 1-3 clinical hours a "
            f"week under TYPICAL_IOP, {GENERIC['OP']}: atypical, not another level."
        )
        assert warning.expected == "typically 1-3 clinical hours a week"
        assert warning.looks_like is None

    @pytest.mark.parametrize(
        ("hours", "level"),
        [(0.5, "OP"), (1, "OP"), (3, "OP"), (3.5, "OP"), (8.25, "OP"), (8.99, "OP"), (9, "IOP")],
    )
    def test_classify_places_every_week_below_9_at_op_and_agrees_with_validate(
        self, hours: float, level: str
    ) -> None:
        """Whatever level it declares, an outpatient week below 9 hours classifies as OP (one
        of 4-8 hours is no longer classified nowhere), from 9 as IOP; and validate at the
        classified level has no error, at the other a finding that looks like it."""
        for declared in (GENERIC["OP"], GENERIC["IOP"]):
            program = week_of(declared, hours, days=3)
            assert [c.level.code for c in cc.classify(program, rulesets.TYPICAL_IOP)] == [level]
            assert cc.validate(program, rulesets.TYPICAL_IOP).ok is (declared.code == level)
            at_level = cc.validate(program, rulesets.TYPICAL_IOP, as_level=GENERIC[level])
            assert at_level.ok
            if declared.code != level:
                assert looks_like(cc.validate(program, rulesets.TYPICAL_IOP)) == [level]

    def test_appointments_are_not_judged_as_program_sessions(self) -> None:
        """The descriptions' individual, family and medication-management hours, held as
        separate appointments, are not short program sessions; an hour held as a program-day
        session still is."""
        groups = week_of(GENERIC["IOP"], 9, days=["mon", "wed", "fri"])
        hour = [cc.Segment(cc.Service.MEDICATION_MANAGEMENT, pendulum.duration(hours=1))]
        visit = cc.Session(WeekDay.TUESDAY, pendulum.time(10), hour, program_day=False)
        program = attrs.evolve(groups, sessions=(*groups.sessions, visit))
        assert cc.validate(program, rulesets.TYPICAL_IOP).findings == ()
        as_session = attrs.evolve(
            program, sessions=(*groups.sessions, attrs.evolve(visit, program_day=True))
        )
        (warning,) = cc.validate(as_session, rulesets.TYPICAL_IOP).warnings
        assert warning.rule_id == "TYPICAL-IOP-SESSION-LENGTH" and warning.path == "sessions[1]"

    def test_sessions_are_warnings_and_course_a_note(self) -> None:
        """Two 6-hour sessions for 4 weeks: 12 hours is IOP, but three things are atypical;
        the sessions warn, the 4-week course (Invigorate's 'several weeks') is only noted."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "thu"], hours_per_session=6, weeks=4
        )
        report = cc.validate(program, rulesets.TYPICAL_IOP)
        assert report.ok
        assert sorted(f.rule_id for f in report.warnings) == [
            "TYPICAL-IOP-SESSION-LENGTH",
            "TYPICAL-IOP-SESSION-LENGTH",
            "TYPICAL-IOP-SESSIONS",
        ]
        assert [(f.rule_id, f.path) for f in report.infos] == [("TYPICAL-IOP-LENGTH", "weeks")]

    @pytest.mark.parametrize(("weeks", "noted"), [(5, True), (6, False), (12, False), (13, True)])
    def test_program_length_edges(self, weeks: int, noted: bool) -> None:
        """6 and 12 weeks are usual and raise nothing; 5 and 13 are noted, never warned."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=weeks
        )
        report = cc.validate(program, rulesets.TYPICAL_IOP)
        assert report.findings == tuple(report.infos)
        assert [f.rule_id for f in report.infos] == (["TYPICAL-IOP-LENGTH"] if noted else [])


class TestClassify:
    def test_twelve_hour_adult_week_is_iop_under_the_typical_rules(self) -> None:
        """The issue's example: 12 hours is IOP, and only IOP."""
        program = week_of(GENERIC["IOP"], 12, days=4)
        assert [c.level.code for c in cc.classify(program, rulesets.TYPICAL_IOP)] == ["IOP"]

    def test_twenty_hours_is_php_under_medicare(self) -> None:
        """20 hours is PHP, not IOP, under Medicare's rules."""
        program = week_of(GENERIC["IOP"], 20, days=5)
        assert [c.level.code for c in cc.classify(program, rulesets.MEDICARE_2024)] == ["PHP"]

    def test_classification_carries_the_deciding_report(self) -> None:
        """Each classification holds the report of the program judged at that level."""
        program = week_of(GENERIC["IOP"], 12, days=4)
        (only,) = cc.classify(program, rulesets.ASAM3)
        assert only.level == ASAM3["2.1"]
        assert only.report.level == ASAM3["2.1"] and only.report.ok
        assert "ASAM3-2.1-ADULT-HOURS" in only.report.applied

    def test_two_hours_a_week_is_standard_outpatient(self) -> None:
        """2 hours a week of 'IOP' classifies as standard outpatient."""
        program = week_of(GENERIC["IOP"], 2)
        assert [c.level.code for c in cc.classify(program, rulesets.TYPICAL_IOP)] == ["OP"]

    def test_hours_do_not_make_outpatient_care_residential(self) -> None:
        """ASAM 3.1's 5-hour floor is not a classification of a 12-hour outpatient program."""
        program = week_of(GENERIC["IOP"], 12, days=4)
        assert ASAM3["3.1"] not in [c.level for c in cc.classify(program, rulesets.ASAM3)]
        residential = week_of(ASAM3["3.5"], 12, days=4)
        assert [c.level.code for c in cc.classify(residential, rulesets.ASAM3)] == ["3.1"]


class TestDistrictOfColumbia:
    @pytest.mark.parametrize(
        ("population", "hours", "ok"),
        [
            (ADULT, 8.75, False),
            (ADULT, 9, True),
            (ADULT, 19, True),
            (ADULT, 19.25, False),
            (ADOLESCENT, 5.75, False),
            (ADOLESCENT, 6, True),
            (ADOLESCENT, 19, True),
            (ADOLESCENT, 19.25, False),
        ],
    )
    def test_iop_is_9_to_19_hours_for_adults_and_6_to_19_for_youth(
        self, population: cc.Population, hours: float, ok: bool
    ) -> None:
        """22-A DCMR 6329.1: 9-19 hours a week for adults, 6-19 for youth under 21 (judging
        adolescent programs); both edges inclusive, each band judged by its own rule."""
        program = week_of(GENERIC["IOP"], hours, population=population, days=["mon", "wed", "fri"])
        report = cc.validate(program, rulesets.DC_SUD)
        rule = "DC-IOP-ADULT-HOURS" if population is ADULT else "DC-IOP-YOUTH-HOURS"
        assert rule in report.applied
        assert error_ids(report) == ([] if ok else [rule])

    def test_an_adult_program_is_judged_by_the_adult_band(self) -> None:
        """The youth band (6 hours) is for adolescent programs: 7 hours a week fails an adult
        program, as a client aged 18-20 in an adult program is judged by the adult band."""
        adult = week_of(GENERIC["IOP"], 7, days=["mon", "wed", "fri"])
        youth = week_of(GENERIC["IOP"], 7, population=ADOLESCENT, days=["mon", "wed", "fri"])
        assert error_ids(cc.validate(adult, rulesets.DC_SUD)) == ["DC-IOP-ADULT-HOURS"]
        assert cc.validate(youth, rulesets.DC_SUD).ok

    @pytest.mark.parametrize(("hours", "ok"), [(19.75, False), (20, True), (30, True)])
    def test_day_treatment_is_20_hours_or_more(self, hours: float, ok: bool) -> None:
        """22-A DCMR 6330.1: day treatment (2.5) provides twenty or more hours a week."""
        program = week_of(GENERIC["PHP"], hours, days=5)
        report = cc.validate(program, rulesets.DC_SUD)
        assert error_ids(report) == ([] if ok else ["DC-DAY-TREATMENT-HOURS"])

    @pytest.mark.parametrize("level", ["IOP", "PHP"])
    @pytest.mark.parametrize(("weeks", "noted"), [(4, True), (5, False), (8, False), (9, True)])
    def test_a_length_outside_30_to_60_days_is_a_note(
        self, level: str, weeks: int, noted: bool
    ) -> None:
        """30-60 days holds 5 to 8 whole weeks (28 days is short, 63 long); a length outside it
        is a utilization question: a note, never an error."""
        hours = 12 if level == "IOP" else 20
        program = attrs.evolve(week_of(GENERIC[level], hours, days=5), weeks=weeks)
        report = cc.validate(program, rulesets.DC_SUD)
        assert report.ok
        length = {"IOP": "DC-IOP-LENGTH", "PHP": "DC-DAY-TREATMENT-LENGTH"}[level]
        assert [f.rule_id for f in report.infos] == ([length] if noted else [])

    @pytest.mark.parametrize("rule_id", ["DC-IOP-LENGTH", "DC-DAY-TREATMENT-LENGTH"])
    def test_the_weeks_bounds_are_the_whole_weeks_in_30_to_60_days(self, rule_id: str) -> None:
        """The length rule's week bounds are exactly the whole weeks of 30 to 60 days."""
        rule = rulesets.DC_SUD[rule_id]
        low, high = rule.params["at_least"], rule.params["at_most"]
        assert isinstance(low, int) and isinstance(high, int)
        assert [w for w in range(1, 20) if 30 <= 7 * w <= 60] == list(range(low, high + 1))
        assert rule.severity is cc.Severity.INFO

    def test_every_rule_cites_its_section(self) -> None:
        """Each rule cites 22-A DCMR by section, with where to read it."""
        for rule in rulesets.DC_SUD:
            assert rule.source.locator is not None
            assert rule.source.locator.startswith(("§ 6329", "§ 6330"))
            assert rule.source.url is not None
            assert rule.source.url.endswith(rule.source.locator[2:6])


class TestKansas:
    @pytest.mark.parametrize(
        ("population", "hours", "ok"),
        [
            (ADULT, 8.75, False),
            (ADULT, 9, True),
            (ADULT, 25, True),
            (ADOLESCENT, 5.75, False),
            (ADOLESCENT, 6, True),
        ],
    )
    def test_iop_is_at_least_9_hours_for_adults_and_6_under_18(
        self, population: cc.Population, hours: float, ok: bool
    ) -> None:
        """R03-704 C: at least 9 scheduled counseling hours a week from 18, 6 under 18; no
        ceiling is stated, so a long week is not judged."""
        program = week_of(GENERIC["IOP"], hours, population=population, days=["mon", "wed", "fri"])
        report = cc.validate(program, rulesets.KS_IOP)
        rule = "KS-IOP-ADULT-HOURS" if population is ADULT else "KS-IOP-ADOLESCENT-HOURS"
        assert report.applied == (rule,)
        assert error_ids(report) == ([] if ok else [rule])


class TestLouisiana:
    @pytest.mark.parametrize(
        ("hours", "error", "note"),
        [
            (5.75, True, False),
            (6, False, False),
            (20, False, False),
            (20.25, False, True),
            (30, False, True),
        ],
    )
    def test_adolescent_iop_is_6_hours_and_above_20_only_noted(
        self, hours: float, error: bool, note: bool
    ) -> None:
        """LAC 50:XV.9303 C.2: at least 6 hours a week; the 20-hour maximum may be exceeded on
        medical necessity, so a week above it is a note, not an error."""
        program = week_of(GENERIC["IOP"], hours, population=ADOLESCENT, days=5)
        report = cc.validate(program, rulesets.LA_SUD)
        assert error_ids(report) == (["LA-IOP-HOURS"] if error else [])
        assert [f.rule_id for f in report.infos] == (["LA-IOP-ABOVE-MAXIMUM"] if note else [])
        assert not report.warnings

    @settings(max_examples=40)
    @given(st.integers(min_value=6 * 4, max_value=60 * 4))
    def test_no_adolescent_iop_week_of_6_hours_or_more_is_an_error(self, quarters: int) -> None:
        """'The maximum level of hours may be exceeded based on medical necessity': from the
        6-hour floor up, LA_SUD never finds an error in an adolescent IOP week."""
        program = week_of(GENERIC["IOP"], quarters / 4, population=ADOLESCENT, days=5)
        assert cc.validate(program, rulesets.LA_SUD).ok

    @pytest.mark.parametrize(("hours", "note"), [(0.75, False), (9, False), (9.25, True)])
    def test_outpatient_above_9_hours_is_a_note(self, hours: float, note: bool) -> None:
        """LAC 50:XV.9303 B.2: outpatient up to 9 hours a week, more on medical necessity (a
        note naming IOP's band); a short week is ordinary outpatient care."""
        program = week_of(GENERIC["OP"], hours, population=ADOLESCENT)
        report = cc.validate(program, rulesets.LA_SUD)
        assert report.ok
        infos = report.infos
        assert [f.rule_id for f in infos] == (["LA-OP-ABOVE-MAXIMUM"] if note else [])
        assert [f.looks_like for f in infos] == ([GENERIC["IOP"]] if note else [])

    def test_every_ceiling_is_only_a_note(self) -> None:
        """No Louisiana maximum is an error: each may be exceeded on medical necessity."""
        ceilings = [r for r in rulesets.LA_SUD if r.params.get("at_most") is not None]
        assert {r.id for r in ceilings} == {"LA-OP-ABOVE-MAXIMUM", "LA-IOP-ABOVE-MAXIMUM"}
        assert {r.severity for r in ceilings} == {cc.Severity.INFO}

    @pytest.mark.parametrize("level", ["OP", "IOP"])
    def test_adult_programs_are_out_of_its_scope(self, level: str) -> None:
        """EPSDT serves recipients under 21: its figures judge adolescent programs only."""
        program = week_of(GENERIC[level], 40, days=5)
        assert cc.validate(program, rulesets.LA_SUD).applied == ()


def test_every_rule_names_its_source_and_ids_are_unique() -> None:
    """Rules are data with provenance, and ids identify one rule across the built-in sets."""
    seen: dict[str, cc.Rule] = {}
    for rs in rulesets.ALL.values():
        assert rs.description
        for rule in rs:
            assert rule.source.title
            assert seen.setdefault(rule.id, rule).source.title == rule.source.title or (
                rule.id.startswith("NC-SAIOP")
            )


@settings(max_examples=60)
@given(programs(), st.sampled_from(sorted(rulesets.ALL)))
def test_classify_and_validate_agree(program: cc.ProgramStructure, name: str) -> None:
    """A program classified as level L has no ERROR under L's rules; and a program valid at its
    own level, judged there by an intensity rule, is classified at that level."""
    ruleset = rulesets.ALL[name]
    classified = cc.classify(program, ruleset)
    for c in classified:
        at_level = attrs.evolve(program, level=c.level)
        assert cc.validate(at_level, ruleset).ok
    intensity = {r.id for r in ruleset if "intensity" in r.tags}
    own = cc.validate(program, ruleset)
    judged_by_intensity = bool(intensity & set(own.applied))
    if program.level in ruleset.levels(tag="intensity") and own.ok and judged_by_intensity:
        assert program.level in [c.level for c in classified]


@settings(max_examples=60)
@given(programs(), st.sampled_from(sorted(rulesets.ALL)))
def test_classify_is_validate_at_each_level(program: cc.ProgramStructure, name: str) -> None:
    """classify's definition, spelled out with validate: a level of the program's setting is
    kept exactly when validating there finds no ERROR and some intensity rule judged; its report
    is that validation's report (classify's short cuts change nothing)."""
    ruleset = rulesets.ALL[name]
    expected = _classified_by_validate(program, ruleset)
    classified = cc.classify(program, ruleset)
    assert [c.level for c in classified] == list(expected)
    for c in classified:
        assert c.report == expected[c.level]
        assert c.report.applied == expected[c.level].applied


@settings(max_examples=60)
@given(programs(), st.sampled_from(cc.Severity))
def test_classify_is_validate_at_each_level_whatever_the_per_diem_rule_s_severity(
    program: cc.ProgramStructure, severity: cc.Severity
) -> None:
    """The engine screens MEDICARE's per-diem rule as "only running it can tell" (its summary
    is a WARNING below the tier, else of the rule's severity): made an ERROR, or anything
    else, a level is still kept exactly when validating there finds no ERROR and an
    intensity rule judged, with that validation's report."""
    ruleset = rulesets.MEDICARE_2024.with_severity("MEDICARE-PER-DIEM-TIERS", severity)
    classified = cc.classify(program, ruleset)
    assert {c.level: c.report for c in classified} == _classified_by_validate(program, ruleset)


def _classified_by_validate(
    program: cc.ProgramStructure, ruleset: cc.RuleSet
) -> dict[cc.LevelOfCare, cc.ValidationReport]:
    """classify's definition, spelled out with validate: each level of the program's setting
    where validating finds no ERROR and some intensity rule judged, with its report."""
    intensity = {r.id for r in ruleset if "intensity" in r.tags}
    expected = {}
    for level in ruleset.levels(tag="intensity"):
        if level.is_outpatient != program.level.is_outpatient:
            continue
        report = cc.validate(program, ruleset, as_level=level)
        if report.ok and intensity & set(report.applied):
            expected[level] = report
    return expected


@settings(max_examples=30)
@given(programs())
def test_validation_never_crashes_on_valid_programs(program: cc.ProgramStructure) -> None:
    """No built-in rule crashes (a crash would be an ERROR naming the rule: none may appear)."""
    for ruleset in rulesets.ALL.values():
        report = cc.validate(program, ruleset)
        assert not [f for f in report.findings if "failed to run" in f.message]
        assert set(report.applied).isdisjoint(report.skipped)
        assert sorted(itertools.chain(report.applied, report.skipped)) == sorted(ruleset.ids)


def test_a_one_day_gap_reads_in_the_singular() -> None:
    """Six program days and a day off, against a rule allowing none: '1 day', not '1 days'."""
    rule = rulesets.days_without_service(
        "NO-GAP", "every day", source=cc.Source("S"), levels=GENERIC["PHP"], at_most=0
    )
    program = cc.ProgramStructure.weekly(
        GENERIC["PHP"], days=["mon", "tue", "wed", "thu", "fri", "sat"], hours_per_session=4,
        weeks=4,
    )  # fmt: skip
    (finding,) = cc.validate(program, cc.RuleSet("T", "1", [rule])).errors
    assert finding.message.startswith("1 day in a row without service, from Sunday")
    assert finding.found == "1 consecutive day without service"


class TestNorthCarolinaSeries:
    """NC_SAIOP_SERIES and NC_SACOT_SERIES: each dated week judged by the version in force."""

    @staticmethod
    def spanning() -> cc.Calendar:
        """An adult substance-use IOP of 2-hour days, 2025-11-03 to 2026-02-27."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=2, weeks=(8, 20),
            track="substance use", population="adult",
        )  # fmt: skip
        return cc.expand(program, pendulum.date(2025, 11, 3), "America/New_York",
                         until=pendulum.date(2026, 2, 27))  # fmt: skip

    def test_a_calendar_across_2026_gets_each_versions_findings_for_its_own_weeks(self) -> None:
        """Weeks begun in 2025 are judged by NC_SAIOP_2025 (its notes), weeks from 2026-01-05
        by 8A-12 (6 hours a week below its 9-hour floor is an ERROR); every finding's rule is
        the rule of the version that judged the finding's week."""
        cal = self.spanning()
        report = cc.validate(cal, rulesets.NC_SAIOP_SERIES)
        by_week = {path: rs.name for path, rs in report.judged_by.items()}
        assert len(by_week) == len(cal.by_week())
        assert by_week["weeks[2025-11-03]"] == by_week["weeks[2025-12-29]"] == "NC_SAIOP_2025"
        assert by_week["weeks[2026-01-05]"] == by_week["weeks[2026-02-23]"] == "NC_SAIOP_2026"
        assert "NC_SAIOP" not in by_week.values()  # 8A judges no week of 2025 or 2026

        def week_of_finding(finding: cc.Finding) -> str:
            if finding.path.startswith("weeks["):
                return finding.path
            day = cal.sessions[int(finding.path.removeprefix("sessions[")[:-1])].day
            return f"weeks[{day.subtract(days=day.weekday())}]"

        versions = set()
        for finding in report.findings:
            version = report.judged_by[week_of_finding(finding)]
            assert finding.source == version[finding.rule_id].source
            versions.add(version.name)
        assert versions == {"NC_SAIOP_2025", "NC_SAIOP_2026"}
        assert sorted({f.path for f in report.errors}) == [
            f"weeks[{monday}]" for monday in ("2026-01-05", "2026-01-12", "2026-01-19",
                                              "2026-01-26", "2026-02-02", "2026-02-09",
                                              "2026-02-16")
        ]  # fmt: skip
        assert all(f.severity is cc.Severity.INFO for f in report.findings
                   if report.judged_by[week_of_finding(f)] is rulesets.NC_SAIOP_2025)  # fmt: skip

    def test_the_expired_8a_alone_judges_no_week_of_2026(self) -> None:
        """NC_SAIOP (until 2024-12-31) on the calendar: one INFO finding, nothing judged."""
        report = cc.validate(self.spanning(), rulesets.NC_SAIOP)
        assert [(f.rule_id, f.severity) for f in report.findings] == [
            ("NOT-IN-FORCE", cc.Severity.INFO)
        ]
        assert report.ok and report.applied == () and report.judged_by == {}

    def test_series_are_the_three_saiop_versions_and_sacot(self) -> None:
        """The shipped series hold the shipped versions, oldest first."""
        assert rulesets.NC_SAIOP_SERIES.versions == (
            rulesets.NC_SAIOP, rulesets.NC_SAIOP_2025, rulesets.NC_SAIOP_2026
        )  # fmt: skip
        assert rulesets.NC_SACOT_SERIES.versions == (rulesets.NC_SACOT,)
        assert {"NC_SAIOP_SERIES", "NC_SACOT_SERIES", "series", "RuleSeries"} <= set(
            rulesets.__all__
        )
        assert rulesets.NC_SAIOP_SERIES.version_on("2025-01-01") is rulesets.NC_SAIOP_2025
        assert rulesets.NC_SACOT_SERIES.version_on("2006-03-31") is None

    def test_a_template_with_the_series_is_judged_by_the_version_of_on(self) -> None:
        """The template of the calendar: 8A (2024) fails 2-hour days, 2025 only notes them,
        8A-12 (2026) fails the weekly floor."""
        program = self.spanning().program
        errors = {
            day: error_ids(cc.validate(program, rulesets.NC_SAIOP_SERIES, on=day))
            for day in ("2024-06-03", "2025-06-02", "2026-06-01")
        }
        assert "NC-SAIOP-HOURS-PER-DAY" in errors["2024-06-03"]
        assert errors["2025-06-02"] == []
        assert errors["2026-06-01"] == ["NC-SAIOP-ADULT-HOURS"]


@settings(max_examples=25, deadline=None)
@given(series=ccst.rule_series(), calendar=ccst.calendars())
def test_every_dated_week_is_judged_by_the_version_in_force_on_its_first_day(
    series: cc.RuleSeries, calendar: cc.Calendar
) -> None:
    """Each week whose first day a version covers is in judged_by with that version; the others
    are absent, and then (only then) one NOT-IN-FORCE note is given."""
    report = cc.validate(calendar, series)
    weeks = calendar.by_week()
    uncovered = 0
    for week in weeks:
        version = series.version_on(week.first)
        path = f"weeks[{week.monday}]"
        if version is None:
            uncovered += 1
            assert path not in report.judged_by
        else:
            assert report.judged_by[path] is version
    notes = [f for f in report.findings if f.rule_id == "NOT-IN-FORCE"]
    assert len(notes) == (1 if uncovered else 0)
