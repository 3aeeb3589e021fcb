"""The pytest plugin (carecontinuum.pytest_plugin): fixtures named by role, each valid under the
rule sets it represents, the earlier names as aliases, and `assert_valid`, as a downstream test
suite sees them."""

from __future__ import annotations

from datetime import date, timedelta

import pendulum
import pytest

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum.catalogs import ASAM3, GENERIC
from carecontinuum.pytest_plugin import assert_valid

H = pendulum.duration
STATUS = cc.AttendanceStatus


def judging(subject: object, **kwargs: object) -> list[str]:
    """The built-in rule sets with a rule that judges `subject`."""
    return [
        name
        for name, ruleset in rulesets.ALL.items()
        if cc.validate(subject, ruleset, **kwargs).applied  # type: ignore[arg-type]
    ]


def _in_full(finding: cc.Finding) -> str:
    """A finding as a line that gives every word of it."""
    where = f" @ {finding.path}" if finding.path else ""
    return (
        f"  {finding.severity.value} {finding.rule_id}{where}: {finding.message} "
        f"(expected {finding.expected}; found {finding.found})"
    )


class TestPrograms:
    def test_the_earlier_names_are_aliases(
        self,
        iop_program: cc.ProgramStructure,
        windmill_program: cc.ProgramStructure,
        segmented_iop_program: cc.ProgramStructure,
        windmill_segments_program: cc.ProgramStructure,
    ) -> None:
        """windmill_program and windmill_segments_program give the very values of iop_program
        and segmented_iop_program."""
        assert windmill_program is iop_program
        assert windmill_segments_program is segmented_iop_program
        assert iop_program != segmented_iop_program

    @pytest.mark.parametrize("fixture", ["iop_program", "php_program", "typical_iop_program"])
    def test_valid_programs_are_ok_under_every_rule_set_that_judges_them(
        self, fixture: str, request: pytest.FixtureRequest
    ) -> None:
        """The valid program fixtures: ok under every built-in rule set, judged by several."""
        program = request.getfixturevalue(fixture)
        assert [name for name, rs in rulesets.ALL.items() if not cc.validate(program, rs).ok] == []
        assert {"ASAM3", "ASAM4", "MEDICARE_2024", "TYPICAL_IOP"} <= set(judging(program))

    def test_the_iop_is_at_asam_2_1_with_9_hours_a_week(
        self, iop_program: cc.ProgramStructure
    ) -> None:
        """iop_program: ASAM3 2.1, 9 clinical hours a week, which ASAM3 classifies as 2.1."""
        assert iop_program.level is ASAM3["2.1"] and iop_program.weekly_hours == H(hours=9)
        assert [c.level.code for c in cc.classify(iop_program, rulesets.ASAM3)] == ["2.1"]

    def test_the_php_is_day_treatment_at_asam_2_5(self, php_program: cc.ProgramStructure) -> None:
        """php_program: ASAM3 2.5, at least 20 clinical hours a week, classified as 2.5 by ASAM3
        and as PHP by Medicare, and judged by North Carolina's SACOT rules too."""
        assert php_program.level is ASAM3["2.5"] and php_program.weekly_hours >= H(hours=20)
        assert [c.level.code for c in cc.classify(php_program, rulesets.ASAM3)] == ["2.5"]
        assert [c.level.code for c in cc.classify(php_program, rulesets.MEDICARE_2024)] == ["PHP"]
        assert "NC_SACOT" in judging(php_program)

    def test_the_segmented_iop_falls_below_the_floor(
        self, segmented_iop_program: cc.ProgramStructure
    ) -> None:
        """segmented_iop_program: 8.25 hours a week, one error under ASAM3 (2.1's hours)."""
        report = cc.validate(segmented_iop_program, rulesets.ASAM3)
        assert segmented_iop_program.weekly_hours == H(hours=8.25)
        assert [f.rule_id for f in report.errors] == ["ASAM3-2.1-ADULT-HOURS"]


class TestDatedRecords:
    def test_the_calendar_is_the_iop_on_dates_across_the_clock_change(
        self, iop_calendar: cc.Calendar, iop_program: cc.ProgramStructure
    ) -> None:
        """iop_calendar: iop_program's 24 sessions from Monday 2 March 2026 in New York, at
        18:00 local before and after the change to summer time; ok under ASAM3, judged."""
        assert iop_calendar.program is iop_program
        assert iop_calendar.first == date(2026, 3, 2) and iop_calendar.first.weekday() == 0
        assert iop_calendar.zone.name == "America/New_York"
        assert len(iop_calendar) == iop_program.total_sessions == 24
        assert {s.start.hour for s in iop_calendar} == {18}
        offsets = [s.start.utcoffset() for s in iop_calendar]
        assert offsets[0] == timedelta(hours=-5) and offsets[-1] == timedelta(hours=-4)
        report = cc.validate(iop_calendar, rulesets.ASAM3)
        assert report.ok and report.applied

    def test_the_attendance_has_absences_and_their_weeks_fall_short(
        self, iop_attendance: cc.Attendance, iop_calendar: cc.Calendar
    ) -> None:
        """iop_attendance: every session of iop_calendar recorded, with absences (one
        excused) and a partial session; ASAM3 finds an error in exactly the weeks that
        delivered less than planned, and the other weeks are ok."""
        assert iop_attendance.calendar is iop_calendar and not iop_attendance.unrecorded
        statuses = [record.status for record in iop_attendance.records]
        assert statuses.count(STATUS.ABSENT) == 2 and STATUS.EXCUSED in statuses
        assert STATUS.PARTIAL in statuses and 0 < iop_attendance.rate < 1
        short = {w.monday for w in iop_attendance.by_week() if w.delivered < w.planned}
        errors = cc.validate(iop_attendance, rulesets.ASAM3).errors
        assert len(short) == 4
        assert sorted(f.path for f in errors) == sorted(f"weeks[{monday}]" for monday in short)

    def test_the_episode_steps_down_from_residential_to_the_iop(
        self,
        step_down_episode: cc.Episode,
        php_program: cc.ProgramStructure,
        iop_program: cc.ProgramStructure,
        iop_calendar: cc.Calendar,
    ) -> None:
        """step_down_episode: RESIDENTIAL -> PHP -> IOP, each move a step down with a reason,
        the PHP and IOP stays in the program fixtures, the IOP stay from the calendar's first
        day; open, and ok under EPISODE_RULES, which judge it."""
        episode = step_down_episode
        assert [s.level for s in episode.stays] == [
            GENERIC[c] for c in ("RESIDENTIAL", "PHP", "IOP")
        ]
        assert [t.direction for t in episode.transitions] == [cc.Direction.STEP_DOWN] * 2
        assert all(t.reason for t in episode.transitions)
        assert [s.program for s in episode.stays[1:]] == [php_program, iop_program]
        assert episode.stays[-1].start == iop_calendar.first and episode.is_open
        report = cc.validate(episode, rulesets.EPISODE_RULES, on=date(2026, 4, 26))
        assert report.ok and report.findings == () and report.applied

    def test_the_plan_is_for_the_iop_stay_and_current(
        self,
        treatment_plan: cc.TreatmentPlan,
        iop_program: cc.ProgramStructure,
        step_down_episode: cc.Episode,
    ) -> None:
        """treatment_plan: for iop_program, from the IOP stay's first day, placed at 2.1, every
        intervention a service the IOP offers; ok under PLAN_RULES from its start to its first
        review, and overdue after it."""
        plan = treatment_plan
        assert plan.program is iop_program and plan.client_id == step_down_episode.client_id
        assert plan.start == step_down_episode.stays[-1].start
        assert plan.placement.recommended is ASAM3["2.1"]
        assert {i.service for _, i in plan.interventions} <= set(iop_program.services)
        for day in (plan.start, plan.next_review):
            report = cc.validate(plan, rulesets.PLAN_RULES, on=day)
            assert report.ok and report.findings == () and report.applied
        late = cc.validate(plan, rulesets.PLAN_RULES, on=plan.next_review + timedelta(days=1))
        assert [f.rule_id for f in late.errors] == ["PLAN-REVIEW-NOT-OVERDUE"]


class TestAssertValid:
    def test_a_valid_subject_returns_its_report(self, iop_program: cc.ProgramStructure) -> None:
        """assert_valid returns the report of a valid subject, warnings included."""
        report = assert_valid(iop_program, rulesets.ASAM3)
        assert report.ok and report.applied == ("ASAM3-2.1-ADULT-HOURS",)

    def test_an_invalid_subject_fails_listing_every_finding(
        self, iop_attendance: cc.Attendance
    ) -> None:
        """The AssertionError names the subject and the rule set, counts the findings, and
        gives each in full, one a line, with its week."""
        report = cc.validate(iop_attendance, rulesets.ASAM3)
        with pytest.raises(AssertionError) as failure:
            assert_valid(iop_attendance, rulesets.ASAM3)
        head, *lines = str(failure.value).splitlines()
        assert head == (
            "Attendance of client 'c-1001' at ASAM3 2.1 is not valid under ASAM3 2013: "
            f"{len(report.errors)} errors"
        )
        assert lines == [_in_full(finding) for finding in report.errors]
        assert all("@ weeks[2026-" in line for line in lines)

    def test_the_on_and_as_level_arguments_are_passed_on(
        self, treatment_plan: cc.TreatmentPlan, typical_iop_program: cc.ProgramStructure
    ) -> None:
        """`on` and `as_level` reach validate: an overdue review fails, and an IOP judged as
        PHP fails."""
        with pytest.raises(AssertionError, match="PLAN-REVIEW-NOT-OVERDUE"):
            assert_valid(treatment_plan, rulesets.PLAN_RULES, on=date(2026, 5, 1))
        with pytest.raises(AssertionError, match="MEDICARE-PHP-HOURS"):
            assert_valid(typical_iop_program, rulesets.MEDICARE_2024, as_level=GENERIC["PHP"])

    def test_errors_come_first_then_warnings_and_notes(self) -> None:
        """Errors lead the list; warnings and notes of a failing report follow."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed"], hours_per_session=2, weeks=8
        )
        with pytest.raises(AssertionError) as failure:
            assert_valid(program, rulesets.TYPICAL_IOP)
        severities = [line.split()[0] for line in str(failure.value).splitlines()[1:]]
        assert severities == sorted(severities, key=["error", "warning", "info"].index)
        assert severities[0] == "error" and "warning" in severities


DOWNSTREAM = """\
import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum.pytest_plugin import assert_valid

def test_helper(segmented_iop_program):
    assert_valid(segmented_iop_program, rulesets.ASAM3)

def test_plain_assert(segmented_iop_program):
    report = cc.validate(segmented_iop_program, rulesets.ASAM3)
    assert report.ok

def test_fixtures(iop_program, iop_calendar, iop_attendance, step_down_episode, treatment_plan,
                  php_program, windmill_program, windmill_segments_program):
    assert windmill_program is iop_program
"""


def test_a_downstream_suite_sees_the_fixtures_and_readable_failures(
    pytester: pytest.Pytester,
) -> None:
    """In a downstream suite, the fixtures resolve by name; assert_valid fails at the test's
    own line with every finding; a bare `assert report.ok` shows the report's findings."""
    pytester.makepyfile(test_downstream=DOWNSTREAM)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    out = result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            ">       assert_valid(segmented_iop_program, rulesets.ASAM3)",
            "E       AssertionError: ProgramStructure 'Windmill IOP, from segments' at ASAM3 2.1 "
            "is not valid under ASAM3 2013: 1 error",
            "E         error ASAM3-2.1-ADULT-HOURS @ sessions: The typical week has 8.25 *",
        ]
    )
    assert "raise AssertionError" not in out  # the helper's own frame is hidden
    result.stdout.fnmatch_lines(
        ["E        +  where False = <ValidationReport not ok under ASAM3 2013: 1 error; "
         "error ASAM3-2.1-ADULT-HOURS @ sessions: *"]
    )  # fmt: skip
