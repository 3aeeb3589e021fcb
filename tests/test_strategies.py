"""carecontinuum.strategies and carecontinuum.pytest_plugin: every strategy yields valid values of
its type, programs built to satisfy a rule set validate ok, invalid programs break exactly the
rule they name, st.from_type resolves every public class, the fixtures hold the figures the
domain notes give, and a fresh project that installs the wheel's testing extra gets it all."""

from __future__ import annotations

import enum
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path
from types import ModuleType

import attrs
import pendulum
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pendulum import WeekDay

import carecontinuum as cc
import carecontinuum.strategies as ccst
from carecontinuum import catalogs, rulesets
from carecontinuum.catalogs import ASAM3, GENERIC, LOCUS

ROOT = Path(__file__).resolve().parent.parent
H = pendulum.duration
ADULT, SUD = cc.Population.ADULT, cc.Track.SUBSTANCE_USE

#: The built-in rule sets with rules that judge programs (PLAN_RULES and EPISODE_RULES judge
#: plans and episodes).
PROGRAM_RULE_SETS = sorted(
    name
    for name, rs in rulesets.ALL.items()
    if any(issubclass(cc.ProgramStructure, rule.judges) for rule in rs)
)

#: Per rule set, the ERROR rules a program can break while keeping every other rule; the others
#: cannot be broken alone (two days a week cannot keep gaps of at most two days; five days of 4
#: hours always make 20 hours).
BREAKABLE = {
    "TYPICAL_IOP": {"TYPICAL-OP-HOURS", "TYPICAL-IOP-HOURS", "TYPICAL-PHP-HOURS"},
    "ASAM3": {r.id for r in rulesets.ASAM3},
    "ASAM4": {"ASAM4-2.1-ADULT-HOURS", "ASAM4-2.5-ADULT-HOURS"},
    "MEDICARE_2024": {"MEDICARE-IOP-HOURS", "MEDICARE-PHP-HOURS"},
    "HCPCS_H0015": {"H0015-HOURS-PER-DAY", "H0015-DAYS-PER-WEEK"},
    "TEDS": {"TEDS-IOP-HOURS-PER-DAY", "TEDS-IOP-DAYS-PER-WEEK"},
    "NC_SAIOP": {
        "NC-SAIOP-HOURS-PER-DAY",
        "NC-SAIOP-GAP",
        "NC-SAIOP-GROUP-DAILY",
        "NC-SAIOP-MAX-HOURS",
    },
    # NC_SAIOP_2025 only notes (INFO): no program breaks it.
    "NC_SAIOP_2026": {"NC-SAIOP-ADULT-HOURS", "NC-SAIOP-ADOLESCENT-HOURS"},
    "NC_SACOT": {"NC-SACOT-HOURS-PER-DAY", "NC-SACOT-DAYS-PER-WEEK", "NC-SACOT-GROUP-DAILY"},
    "DC_SUD": {"DC-IOP-ADULT-HOURS", "DC-IOP-YOUTH-HOURS", "DC-DAY-TREATMENT-HOURS"},
    "KS_IOP": {"KS-IOP-ADULT-HOURS", "KS-IOP-ADOLESCENT-HOURS"},
    # LA_SUD's maximums only note (INFO): its one error is the IOP floor.
    "LA_SUD": {"LA-IOP-HOURS"},
}

#: Settings for finding the minimal example of a strategy, the same on every run.
MINIMAL = settings(database=None, derandomize=True, max_examples=200)


def errors_of(program: cc.ProgramStructure, ruleset: cc.RuleSet) -> set[str]:
    return {f.rule_id for f in cc.validate(program, ruleset).errors}


def weekend_sessions(context: cc.RuleContext) -> Iterator[cc.Finding]:
    """A clinic's own rule of a kind the strategies cannot read: no weekend sessions."""
    program = context.subject
    assert isinstance(program, cc.ProgramStructure)
    for i, session in enumerate(program.sessions):
        if session.weekday >= WeekDay.SATURDAY:
            yield context.finding(
                "Closed at weekends.", expected="Monday to Friday", found="a weekend",
                path=f"sessions[{i}]",
            )  # fmt: skip


CLOSED_AT_WEEKENDS = cc.RuleSet(
    "CLINIC",
    "1",
    [
        cc.Rule(
            "CLINIC-WEEKDAYS",
            "Weekday sessions only",
            source=cc.Source("Clinic policy"),
            check=weekend_sessions,
        )
    ],
)


# ---- levels, continua, spans, crosswalks -------------------------------------------------


class TestLevelsAndContinua:
    @given(ccst.continua())
    def test_continua_are_the_catalogs(self, continuum: cc.Continuum) -> None:
        """Continua come from the catalogs."""
        assert continuum is catalogs.ALL[continuum.scheme]

    @given(ccst.levels())
    def test_levels_are_catalog_members(self, level: cc.LevelOfCare) -> None:
        """Each level is the member of its catalog under its code."""
        assert catalogs.ALL[level.scheme][level.code] is level

    @given(ccst.levels("ASAM3", outpatient=True, pathway="main"))
    def test_levels_can_be_pinned(self, level: cc.LevelOfCare) -> None:
        """Scheme, setting and pathway filters hold."""
        assert level.scheme == "ASAM3" and level.is_outpatient and level.pathway == "main"

    @given(ccst.levels(LOCUS, outpatient=False))
    def test_a_continuum_pins_the_scheme(self, level: cc.LevelOfCare) -> None:
        """A Continuum works as the scheme."""
        assert level in LOCUS and not level.is_outpatient

    @pytest.mark.parametrize(
        "arguments",
        [{"scheme": "ASAM5"}, {"scheme": "GENERIC", "pathway": "withdrawal management"},
         {"outpatient": "yes"}],
    )  # fmt: skip
    def test_impossible_level_filters_are_refused(self, arguments: dict[str, object]) -> None:
        """An unknown scheme, a wrong type or filters no level passes are InvalidArgument."""
        with pytest.raises(InvalidArgument):
            ccst.levels(**arguments)  # type: ignore[arg-type]

    @given(ccst.spans(), ccst.spans(st.dates()))
    def test_spans_are_ordered(self, weeks: cc.Span[int], days: cc.Span[date]) -> None:
        """A span's minimum is at most its maximum, for weeks and for any orderable element."""
        assert 1 <= weeks.minimum <= weeks.maximum <= 52
        assert days.minimum <= days.maximum

    @given(ccst.crosswalks())
    def test_crosswalks_land_in_one_scheme(self, walk: cc.Crosswalk) -> None:
        """A crosswalk's levels are all of its target scheme, least intensive first."""
        assert len({level.scheme for level in walk}) <= 1
        assert list(walk.levels) == sorted(walk.levels)


# ---- segments and sessions --------------------------------------------------------------


class TestSegmentsAndSessions:
    @given(ccst.segments())
    def test_segments_are_on_the_quarter_hour(self, segment: cc.Segment) -> None:
        """Segments last whole quarter-hours, from 15 minutes to 4 hours."""
        minutes = segment.duration.in_minutes()
        assert minutes % 15 == 0 and 15 <= minutes <= 240

    @given(ccst.segments(clinical=True), ccst.segments(clinical=False))
    def test_segments_can_be_clinical_or_breaks(self, care: cc.Segment, pause: cc.Segment) -> None:
        """clinical=True gives clinical time, clinical=False breaks."""
        assert care.is_clinical and pause.service is cc.Service.BREAK

    @given(ccst.sessions(WeekDay.TUESDAY, earliest=time(17), latest=time(21)))
    def test_sessions_keep_to_their_window(self, session: cc.Session) -> None:
        """A session starts and ends within its window, on its day, on the quarter-hour."""
        assert session.weekday is WeekDay.TUESDAY and not session.overnight
        assert time(17) <= session.start and session.end <= time(21)
        assert session.start.minute % 15 == 0
        assert session.week_offset < session.every_weeks

    @given(ccst.sessions())
    def test_sessions_end_by_midnight(self, session: cc.Session) -> None:
        """By default sessions fall between 06:00 and midnight."""
        assert session.start >= time(6) and not session.overnight

    def test_a_window_shorter_than_a_quarter_hour_is_refused(self) -> None:
        """No session fits in ten minutes."""
        with pytest.raises(InvalidArgument):
            ccst.sessions(earliest=time(10), latest=time(10, 10))


# ---- programs ----------------------------------------------------------------------------


class TestPrograms:
    @settings(max_examples=50)
    @given(ccst.programs())
    def test_programs_are_valid_values(self, program: cc.ProgramStructure) -> None:
        """A drawn program rebuilds to itself, keeps its sessions between 06:00 and midnight on
        the quarter-hour, and expands into a zone with a clock change."""
        assert attrs.evolve(program) == program
        for session in program.sessions:
            assert session.start >= time(6) and not session.overnight
            assert session.start.minute % 15 == 0
        calendar = cc.expand(program, date(2026, 3, 2), "America/New_York", until=program.min_weeks)
        assert len(calendar) == program.sessions_over(program.min_weeks)

    @settings(max_examples=30)
    @given(ccst.programs(GENERIC["IOP"], ADULT, cc.Track.MENTAL_HEALTH))
    def test_level_population_and_track_can_be_pinned(self, program: cc.ProgramStructure) -> None:
        """Pinned fields are kept."""
        assert (program.level, program.population, program.track) == (
            GENERIC["IOP"], ADULT, cc.Track.MENTAL_HEALTH
        )  # fmt: skip

    @pytest.mark.parametrize("name", PROGRAM_RULE_SETS)
    @settings(max_examples=30)
    @given(data=st.data())
    def test_satisfying_programs_validate_ok(self, name: str, data: st.DataObject) -> None:
        """programs(satisfying=rs) validate ok under rs, and some rule of rs judged them."""
        ruleset = rulesets.ALL[name]
        program = data.draw(ccst.programs(satisfying=ruleset))
        report = cc.validate(program, ruleset)
        assert report.ok, str(report)
        assert report.applied

    @settings(max_examples=40)
    @given(ccst.programs(level=GENERIC["IOP"], satisfying=rulesets.ASAM3))
    def test_satisfying_asam3_at_generic_iop(self, program: cc.ProgramStructure) -> None:
        """A generic IOP program satisfying ASAM3 is judged by 2.1's hours for its population,
        through the crosswalk, and holds them: adults 9 to under 20 hours, adolescents 6."""
        report = cc.validate(program, rulesets.ASAM3)
        assert report.ok
        assert report.applied == (f"ASAM3-2.1-{program.population.name}-HOURS",)
        floor = 9 if program.population is ADULT else 6
        assert H(hours=floor) <= program.weekly_hours < H(hours=20)

    @settings(max_examples=30)
    @given(
        ccst.programs(
            level=GENERIC["IOP"],
            population=ADULT,
            satisfying=rulesets.TYPICAL_IOP.with_severity(
                "TYPICAL-IOP-SESSION-LENGTH", cc.Severity.ERROR
            )
            .with_severity("TYPICAL-IOP-SESSIONS", cc.Severity.ERROR)
            .with_severity("TYPICAL-IOP-LENGTH", cc.Severity.ERROR)
            .override("TYPICAL-IOP-HOURS", at_least=10),
        )
    )
    def test_satisfying_reads_amended_rules(self, program: cc.ProgramStructure) -> None:
        """Warnings raised to errors and overridden bounds are read too: 3-5 sessions of 2.5-3.5
        hours, 10-15 hours a week, 6-12 weeks."""
        assert 3 <= program.sessions_per_week <= 5
        assert all(H(hours=2.5) <= s.clinical_duration <= H(hours=3.5) for s in program.sessions)
        assert H(hours=10) <= program.weekly_hours <= H(hours=15)
        assert 6 <= program.min_weeks <= program.max_weeks <= 12

    @settings(max_examples=30)
    @given(
        ccst.programs(
            level=GENERIC["IOP"],
            population=ADULT,
            satisfying=rulesets.TYPICAL_IOP | CLOSED_AT_WEEKENDS,
        )
    )
    def test_rules_of_other_kinds_are_checked(self, program: cc.ProgramStructure) -> None:
        """A rule the strategy cannot read (no weekend sessions) is still satisfied."""
        assert cc.validate(program, rulesets.TYPICAL_IOP | CLOSED_AT_WEEKENDS).ok
        assert all(s.weekday < WeekDay.SATURDAY for s in program.sessions)

    def test_rules_no_program_can_meet_are_refused(self) -> None:
        """A floor of 200 hours a week cannot be met: InvalidArgument, on first use."""
        impossible = cc.RuleSet(
            "IMPOSSIBLE",
            "1",
            [rulesets.weekly_hours("X", "200 hours", source=cc.Source("S"),
                                   levels=GENERIC["IOP"], at_least=200)],
        )  # fmt: skip
        strategy = ccst.programs(level=GENERIC["IOP"], satisfying=impossible)
        with pytest.raises(InvalidArgument, match="IMPOSSIBLE"):
            strategy.validate()

    @pytest.mark.parametrize(
        ("arguments", "named"),
        [
            ({"level": GENERIC["RECOVERY"], "satisfying": rulesets.ASAM3}, "GENERIC RECOVERY"),
            ({"level": LOCUS["0"], "satisfying": rulesets.MEDICARE_2024}, "LOCUS 0"),
            (
                {"level": ASAM3["2.1"], "track": cc.Track.MENTAL_HEALTH,
                 "satisfying": rulesets.ASAM3},
                "'mental health'",
            ),
            (
                {"level": GENERIC["IOP"], "population": cc.Population.ADOLESCENT,
                 "satisfying": cc.RuleSet("ADULT-ONLY", "1", [rulesets.weekly_hours(
                     "A", "adults: 9 hours", source=cc.Source("S"), levels=GENERIC["IOP"],
                     populations=ADULT, at_least=9)])},
                "'adolescent'",
            ),
            ({"satisfying": rulesets.PLAN_RULES}, "PLAN_RULES"),
        ],
    )  # fmt: skip
    def test_a_rule_set_with_no_rule_there_is_refused(
        self, arguments: dict[str, object], named: str
    ) -> None:
        """A rule set with no rule for a program at the level, population or track asked for
        would be satisfied by any program: InvalidArgument naming the rule set and the scope,
        on first use, rather than programs that satisfy it vacuously."""
        strategy = ccst.programs(**arguments)  # type: ignore[arg-type]
        ruleset = arguments["satisfying"]
        assert isinstance(ruleset, cc.RuleSet)
        with pytest.raises(InvalidArgument, match="any program would satisfy") as refused:
            strategy.validate()
        assert ruleset.name in str(refused.value) and named in str(refused.value)

    @settings(max_examples=10)
    @given(ccst.programs(population=ADULT, satisfying=rulesets.NC_SACOT))
    def test_an_open_level_is_drawn_among_those_with_rules(
        self, program: cc.ProgramStructure
    ) -> None:
        """With the level left open, it is drawn among the levels the rule set has rules for
        (SACOT's day treatment, directly or through the crosswalk), and those rules judge."""
        report = cc.validate(program, rulesets.NC_SACOT)
        assert report.ok and "NC-SACOT-HOURS" in report.applied

    @pytest.mark.parametrize(
        "arguments", [{"level": "IOP"}, {"population": "adult"}, {"satisfying": "ASAM3"}]
    )
    def test_arguments_of_the_wrong_type_are_refused(self, arguments: dict[str, object]) -> None:
        """Levels, populations and rule sets are values of their types."""
        with pytest.raises(InvalidArgument):
            ccst.programs(**arguments)  # type: ignore[arg-type]

    def test_programs_shrink_to_one_three_hour_group(self) -> None:
        """The simplest program: one weekly three-hour group, Monday 09:00, eight weeks."""
        program = find(ccst.programs(), lambda p: True, settings=MINIMAL)
        (session,) = program.sessions
        assert str(session) == "Monday 09:00-12:00" and program.weeks == 8
        assert [s.service for s in session.segments] == [cc.Service.GROUP_THERAPY]

    def test_satisfying_programs_shrink_to_the_floor(self) -> None:
        """The simplest generic IOP program satisfying ASAM3 is an adult, substance-use one at
        exactly 9 hours a week in the fewest sessions."""
        program = find(
            ccst.programs(level=GENERIC["IOP"], satisfying=rulesets.ASAM3),
            lambda p: True,
            settings=MINIMAL,
        )
        assert (program.population, program.track) == (ADULT, SUD)
        assert program.weekly_hours == H(hours=9) and len(program.sessions) == 1


# ---- invalid programs --------------------------------------------------------------------


class TestInvalidPrograms:
    @pytest.mark.parametrize("name", sorted(BREAKABLE))
    @settings(max_examples=30)
    @given(data=st.data())
    def test_invalid_programs_break_exactly_their_rule(
        self, name: str, data: st.DataObject
    ) -> None:
        """Every ERROR finding is of the named rule, and there is one."""
        ruleset = rulesets.ALL[name]
        program, rule_id = data.draw(ccst.invalid_programs(ruleset))
        assert errors_of(program, ruleset) == {rule_id}

    @pytest.mark.parametrize(
        ("name", "rule_id"),
        sorted((name, rule_id) for name, ids in BREAKABLE.items() for rule_id in ids),
    )
    @settings(max_examples=10)
    @given(data=st.data())
    def test_each_breakable_rule_can_be_chosen(
        self, name: str, rule_id: str, data: st.DataObject
    ) -> None:
        """rule_ids pins the rule to break; each of these rules can be broken alone."""
        ruleset = rulesets.ALL[name]
        program, broken = data.draw(ccst.invalid_programs(ruleset, rule_ids=[rule_id]))
        assert broken == rule_id
        assert errors_of(program, ruleset) == {rule_id}

    @pytest.mark.parametrize(
        ("name", "rule_id"),
        [("NC_SAIOP", "NC-SAIOP-DAYS-PER-WEEK"), ("NC_SACOT", "NC-SACOT-GAP"),
         ("NC_SACOT", "NC-SACOT-HOURS"), ("TYPICAL_IOP", "TYPICAL-IOP-SESSIONS"),
         ("TYPICAL_IOP", "TYPICAL-OP-USUAL-HOURS"), ("NC_SAIOP_2026", "NC-SAIOP-GAP")],
    )  # fmt: skip
    def test_rules_that_cannot_break_alone_are_refused(self, name: str, rule_id: str) -> None:
        """Two days cannot keep gaps of two days; five 4-hour days make 20 hours; a warning or
        a note is not an error: none of these is breakable alone."""
        strategy = ccst.invalid_programs(rulesets.ALL[name], rule_ids=[rule_id])
        with pytest.raises(InvalidArgument):
            strategy.validate()

    def test_a_set_that_only_notes_cannot_be_broken(self) -> None:
        """NC_SAIOP_2025 holds INFO notes only: no program breaks it, and the strategy says so."""
        with pytest.raises(InvalidArgument, match="can be broken"):
            ccst.invalid_programs(rulesets.NC_SAIOP_2025).validate()

    @settings(max_examples=20)
    @given(ccst.invalid_programs(rulesets.TYPICAL_IOP | CLOSED_AT_WEEKENDS, level=GENERIC["IOP"]))
    def test_rules_of_other_kinds_keep_to_the_contract(
        self, broken: tuple[cc.ProgramStructure, str]
    ) -> None:
        """With a rule the strategy cannot read in the set, only the named rule still fails."""
        program, rule_id = broken
        assert errors_of(program, rulesets.TYPICAL_IOP | CLOSED_AT_WEEKENDS) == {rule_id}

    def test_weekly_hours_shrink_to_just_below_the_floor(self) -> None:
        """The simplest break of ASAM 2.1's adult floor of 9 hours is 8.75 hours."""
        program, rule_id = find(
            ccst.invalid_programs(rulesets.ASAM3, level=GENERIC["IOP"], population=ADULT),
            lambda pair: True,
            settings=MINIMAL,
        )
        assert rule_id == "ASAM3-2.1-ADULT-HOURS"
        assert program.weekly_hours == H(hours=8.75)

    @pytest.mark.parametrize(
        ("ruleset", "arguments"),
        [(rulesets.ASAM3, {"rule_ids": ["ASAM3-NOPE"]}), (rulesets.ASAM3, {"rule_ids": "x"}),
         (rulesets.ASAM3, {"level": "2.1"}), ("ASAM3", {})],
    )  # fmt: skip
    def test_bad_arguments_are_refused(self, ruleset: object, arguments: dict[str, object]) -> None:
        """Unknown rule ids, a bare string of ids, wrong types: InvalidArgument."""
        with pytest.raises(InvalidArgument):
            ccst.invalid_programs(ruleset, **arguments)  # type: ignore[arg-type]

    def test_a_rule_set_without_program_rules_is_refused(self) -> None:
        """PLAN_RULES judges plans: no program can break one of its rules."""
        with pytest.raises(InvalidArgument, match="PLAN_RULES"):
            ccst.invalid_programs(rulesets.PLAN_RULES).validate()


# ---- calendars, attendance, assessment, plans, episodes, the rule engine ----------------


class TestOtherStrategies:
    @settings(max_examples=30)
    @given(ccst.calendars())
    def test_calendars_hold_their_programs_sessions(self, calendar: cc.Calendar) -> None:
        """Held and closed sessions together are the program's sessions over the period."""
        weeks = ((calendar.last - calendar.first).days + 1) // 7
        held = len(calendar.sessions) + len(calendar.closed)
        assert held == calendar.program.sessions_over(weeks)
        assert calendar.program.min_weeks <= weeks <= calendar.program.max_weeks

    @settings(max_examples=30)
    @given(ccst.attendances())
    def test_attendances_record_their_calendars_sessions(self, attendance: cc.Attendance) -> None:
        """Records are of the calendar's sessions (or extra ones); rates are shares."""
        held = set(attendance.calendar.sessions)
        assert all(r.session in held for r in attendance.records if not r.is_extra)
        for rate in (attendance.rate, attendance.hours_rate):
            assert rate is None or 0 <= rate <= 1

    @pytest.mark.parametrize("scheme", ["ASAM3", "ASAM4", "LOCUS"])
    @settings(max_examples=20)
    @given(data=st.data())
    def test_assessments_and_placements(self, scheme: str, data: st.DataObject) -> None:
        """Assessments rate every dimension of their scheme and place on its continuum."""
        assessment = data.draw(ccst.assessments(scheme))
        assert assessment.scheme == scheme
        assert set(assessment.ratings) == {d.code for d in cc.dimensions(scheme)}
        placement = data.draw(ccst.placements(scheme))
        assert placement.recommended in catalogs.ALL[scheme]
        assert placement.deviates == (placement.deviation is not None)

    @settings(max_examples=30)
    @given(ccst.treatment_plans(complete=True))
    def test_complete_plans_pass_plan_rules(self, plan: cc.TreatmentPlan) -> None:
        """complete=True plans have no error under PLAN_RULES (judged without a day)."""
        report = cc.validate(plan, rulesets.PLAN_RULES)
        assert report.ok, str(report)

    @settings(max_examples=20)
    @given(ccst.treatment_plans(program=ccst.programs(level=GENERIC["IOP"])))
    def test_draft_plans_are_plans_of_their_program(self, plan: cc.TreatmentPlan) -> None:
        """Drafts are plans too; the program strategy given is used."""
        assert plan.program.level is GENERIC["IOP"] and plan.problems

    @settings(max_examples=40)
    @given(ccst.episodes(ASAM3))
    def test_episodes_rebuild_and_are_judged(self, episode: cc.Episode) -> None:
        """An episode equals its rebuilt history, and the episode rules judge it."""
        rebuilt = cc.Episode(
            episode.client_id,
            episode.continuum,
            episode.stays,
            concurrent=episode.concurrent,
            authorizations=episode.authorizations,
            discharge=episode.discharge_record,
        )
        assert rebuilt == episode and episode.continuum is ASAM3
        report = cc.validate(episode, rulesets.EPISODE_RULES, on=date(2031, 1, 1))
        assert not [f for f in report.findings if "failed to run" in f.message]

    @given(ccst.findings(), ccst.sources())
    def test_findings_and_sources(self, finding: cc.Finding, source: cc.Source) -> None:
        """Findings and sources print, on one line: a finding starts with its severity and rule."""
        shown = str(finding)
        assert shown.startswith(
            " ".join(f"{finding.severity.value} {finding.rule_id[:50]}".split())
        )
        assert "\n" not in shown and 0 < len(str(source)) <= 120

    @settings(max_examples=30)
    @given(ccst.rules(), ccst.rule_sets())
    def test_rules_and_rule_sets(self, rule: cc.Rule, ruleset: cc.RuleSet) -> None:
        """Rules have their ids and sources; rule sets hold rules with unique ids."""
        assert rule.id and rule.source.title
        assert len(set(ruleset.ids)) == len(ruleset)

    @settings(max_examples=20)
    @given(ccst.validation_reports())
    def test_validation_reports(self, report: cc.ValidationReport) -> None:
        """A report's applied and skipped rules partition its rule set."""
        assert sorted([*report.applied, *report.skipped]) == sorted(report.ruleset.ids)


# ---- st.from_type and the hypothesis entry point ----------------------------------------

PUBLIC_CLASSES = [
    obj
    for obj in (getattr(cc, name) for name in cc.__all__)
    if isinstance(obj, type)
    and not issubclass(obj, (BaseException, enum.Enum))
    and obj is not cc.PlacementPolicy  # a Protocol: checked apart
]


class TestFromType:
    def test_the_entry_points_are_installed(self) -> None:
        """The hypothesis hook and the pytest plugin are registered with the installed package."""
        hooks = {e.value for e in importlib.metadata.entry_points(group="hypothesis")}
        plugins = {e.value for e in importlib.metadata.entry_points(group="pytest11")}
        assert "carecontinuum.strategies:_hypothesis_setup_hook" in hooks
        assert "carecontinuum.pytest_plugin" in plugins

    @settings(max_examples=50)
    @given(st.from_type(cc.ProgramStructure))
    def test_from_type_program_structure(self, program: cc.ProgramStructure) -> None:
        """st.from_type(ProgramStructure) draws the strategies' programs."""
        assert isinstance(program, cc.ProgramStructure)
        assert all(s.start >= time(6) for s in program.sessions)

    @pytest.mark.parametrize("cls", PUBLIC_CLASSES, ids=lambda c: c.__name__)
    @settings(max_examples=5)
    @given(data=st.data())
    def test_from_type_resolves_every_public_class(self, cls: type, data: st.DataObject) -> None:
        """Every public class that is neither an enum nor an exception has a strategy."""
        assert isinstance(data.draw(st.from_type(cls)), cls)

    @settings(max_examples=20)
    @given(st.from_type(rulesets.PerDiemDay))
    def test_from_type_per_diem_day(self, day: rulesets.PerDiemDay) -> None:
        """Medicare's per-diem days (a public value of the rulesets module) have a strategy:
        days of programs, calendars and attendance, dated when they fall on a real day."""
        assert isinstance(day, rulesets.PerDiemDay)
        assert day.day is None or day.day.weekday() == day.weekday.value

    @settings(max_examples=10)
    @given(st.from_type(cc.PlacementPolicy))
    def test_from_type_placement_policy(self, policy: cc.PlacementPolicy) -> None:
        """The placement-policy protocol resolves to the built-in policies."""
        assert isinstance(policy, (cc.NeedsPolicy, cc.LocusPolicy))

    def test_importing_strategies_before_hypothesis_still_registers(self) -> None:
        """Importing carecontinuum.strategies first starts hypothesis, whose hook then finds the
        module half built; the strategies are registered all the same."""
        code = textwrap.dedent("""
            import carecontinuum.strategies
            from hypothesis import Phase, find, settings, strategies as st
            import carecontinuum as cc
            program = find(st.from_type(cc.ProgramStructure), lambda p: True,
                           settings=settings(database=None, phases=[Phase.generate]))
            print(type(program).__name__)
        """)
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "ProgramStructure"

    def test_the_core_never_imports_the_strategies(self) -> None:
        """import carecontinuum loads neither this module nor hypothesis nor the plugin."""
        code = (
            "import sys, carecontinuum, carecontinuum.catalogs;"
            "print(sorted(m for m in ('carecontinuum.strategies', 'carecontinuum.pytest_plugin',"
            " 'hypothesis') if m in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "[]"


# ---- the pytest plugin -------------------------------------------------------------------


def load_example(stem: str) -> ModuleType:
    """Import an example script by file name (examples/ is not a package)."""
    examples = ROOT / "examples"
    sys.path.insert(0, str(examples))
    try:
        spec = importlib.util.spec_from_file_location(f"example_{stem}", examples / f"{stem}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(examples))


class TestPytestPlugin:
    def test_the_plugin_is_loaded(self, request: pytest.FixtureRequest) -> None:
        """pytest loads the plugin through its entry point, by the name carecontinuum."""
        assert request.config.pluginmanager.has_plugin("carecontinuum")

    def test_continua(
        self,
        generic_continuum: cc.Continuum,
        asam3_continuum: cc.Continuum,
        asam4_continuum: cc.Continuum,
        locus_continuum: cc.Continuum,
    ) -> None:
        """The continuum fixtures are the catalogs."""
        assert generic_continuum is catalogs.GENERIC and asam3_continuum is catalogs.ASAM3
        assert asam4_continuum is catalogs.ASAM4 and locus_continuum is catalogs.LOCUS

    def test_windmill_as_advertised(self, windmill_program: cc.ProgramStructure) -> None:
        """24 three-hour sessions, Monday, Wednesday and Friday at 18:00, 8 weeks: 72 hours, 9 a
        week, exactly ASAM 2.1's adult floor."""
        p = windmill_program
        assert (p.total_sessions, p.total_hours, p.weekly_hours) == (24, H(hours=72), H(hours=9))
        assert p.weeks == 8 and p.sessions_per_week == 3 and p.level is ASAM3["2.1"]
        assert [str(s) for s in p.sessions] == [
            "Monday 18:00-21:00", "Wednesday 18:00-21:00", "Friday 18:00-21:00"
        ]  # fmt: skip
        assert cc.validate(p, rulesets.ASAM3).ok

    def test_windmill_from_segments(self, windmill_segments_program: cc.ProgramStructure) -> None:
        """The same 24 sessions with a 15-minute break each: 2.75 clinical hours a session, 8.25
        a week, below ASAM 2.1's adult floor."""
        p = windmill_segments_program
        assert p.total_sessions == 24 and p.weekly_hours == H(hours=8.25)
        assert all(s.duration == H(hours=3) for s in p.sessions)
        assert all(
            [seg.service for seg in s.segments].count(cc.Service.BREAK) == 1 for s in p.sessions
        )
        assert errors_of(p, rulesets.ASAM3) == {"ASAM3-2.1-ADULT-HOURS"}

    def test_windmill_fixtures_are_the_example_programs(
        self,
        windmill_program: cc.ProgramStructure,
        windmill_segments_program: cc.ProgramStructure,
    ) -> None:
        """The fixtures are examples/program_5's programs (names aside)."""
        built = load_example("program_5_windmill_addiction_iop").build()
        for fixture, example in ((windmill_program, built["weekly"]),
                                 (windmill_segments_program, built["segments"])):  # fmt: skip
            assert attrs.evolve(fixture, name=None) == attrs.evolve(example, name=None)

    def test_typical_iop(self, typical_iop_program: cc.ProgramStructure) -> None:
        """Three 3-hour sessions a week for 8 weeks at generic IOP: no built-in rule set finds an
        error."""
        p = typical_iop_program
        assert p.weekly_hours == H(hours=9) and p.total_sessions == 24 and p.level is GENERIC["IOP"]
        assert [name for name, rs in rulesets.ALL.items() if not cc.validate(p, rs).ok] == []

    def test_the_plugin_imports_neither_hypothesis_nor_pendulum(self) -> None:
        """Loading the plugin stays cheap: no hypothesis, no pendulum until a fixture runs."""
        code = (
            "import sys, carecontinuum.pytest_plugin;"
            "print(sorted(m for m in ('hypothesis', 'pendulum') if m in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "[]"


# ---- acceptance: a fresh project with the wheel -----------------------------------------

FRESH_TEST = """\
from hypothesis import given, strategies as st
from carecontinuum import ProgramStructure

@given(st.from_type(ProgramStructure))
def test_any_program(program):
    assert program.sessions and program.weekly_hours.total_seconds() > 0
"""

FRESH_FIXTURE_TEST = """\
from carecontinuum import rulesets
from carecontinuum.pytest_plugin import assert_valid

def test_windmill(windmill_program):
    assert windmill_program.total_sessions == 24

def test_roles(iop_calendar, step_down_episode, treatment_plan):
    assert_valid(iop_calendar, rulesets.ASAM3)
    assert_valid(step_down_episode, rulesets.EPISODE_RULES)
    assert treatment_plan.client_id == step_down_episode.client_id
"""


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command outside this checkout's environment (no PYTHONPATH leaking src/ in)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


def test_a_fresh_project_with_the_testing_extra_gets_from_type(tmp_path: Path) -> None:
    """Acceptance: build the wheel, install it with the testing extra into a new virtual
    environment, and a three-line hypothesis test using st.from_type(ProgramStructure) passes
    there (as do tests using the plugin's fixtures and assert_valid)."""
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w", wheels)
    (wheel,) = wheels.glob("carecontinuum-*.whl")
    env = tmp_path / "venv"
    run(sys.executable, "-m", "venv", env)
    python = env / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", f"{wheel}[testing]", "pytest")
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_fresh.py").write_text(FRESH_TEST, encoding="utf-8")
    (project / "test_fixtures.py").write_text(FRESH_FIXTURE_TEST, encoding="utf-8")
    done = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert "3 passed" in done.stdout
