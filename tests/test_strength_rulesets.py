"""Test strength (issue 7): the built-in rule sets' own checks and citations, the treatment-plan
and episode rules, and the week figures intensity rules read, pinned by the facts they state.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import pendulum
import pytest
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum._plan import CareRole, Goal, Intervention, Objective, Problem, TreatmentPlan
from carecontinuum.catalogs import ASAM3, ASAM4, GENERIC
from carecontinuum.rulesets import _plan_rules

IOP, PHP = GENERIC["IOP"], GENERIC["PHP"]
S = cc.Service
D = pendulum.date


def program(
    level: cc.LevelOfCare = IOP,
    days: tuple[str, ...] = ("mon", "wed", "fri"),
    hours: float = 3,
    **kw: Any,
) -> cc.ProgramStructure:
    return cc.ProgramStructure.weekly(
        level, days=list(days), hours_per_session=hours, weeks=kw.pop("weeks", 8), **kw
    )


# ---- citations --------------------------------------------------------------------------------


class TestCitations:
    @pytest.mark.parametrize(
        ("rule_id", "code"),
        [("ASAM3-1-ADULT-HOURS", "1"), ("ASAM3-2.5-HOURS", "2.5"), ("ASAM3-3.1-HOURS", "3.1")],
    )
    def test_asam3_rules_cite_the_third_edition_at_their_level(
        self, rule_id: str, code: str
    ) -> None:
        """The ASAM Criteria, 3rd edition: ASAM, 2013, the rule's level as the locator; the
        helper writing these citations writes exactly the rule set's."""
        source = rulesets.ASAM3[rule_id].source
        assert source.title.startswith("The ASAM Criteria: Treatment Criteria for Addictive")
        assert source.title.endswith("3rd edition")
        assert source.publisher == "American Society of Addiction Medicine"
        assert (source.year, source.locator, source.note) == (2013, f"Level {code}", None)
        assert rulesets._asam3(code) == source

    @pytest.mark.parametrize(
        ("rule_id", "code"), [("ASAM4-2.1-ADULT-HOURS", "2.1"), ("ASAM4-2.5-ADULT-HOURS", "2.5")]
    )
    def test_asam4_rules_cite_the_fourth_edition_and_the_carried_figures(
        self, rule_id: str, code: str
    ) -> None:
        """The 4th edition (2023, adults): its figures are the 3rd edition's, carried over,
        and each rule's note says so."""
        source = rulesets.ASAM4[rule_id].source
        assert source.title == "The ASAM Criteria, 4th edition, Volume 1: Adults"
        assert source.publisher == "American Society of Addiction Medicine"
        assert (source.year, source.locator) == (2023, f"Level {code}")
        assert source.note is not None and "carried over" in source.note
        assert rulesets._asam4(code) == source

    def test_plan_rules_cite_the_planning_rules_by_topic(self) -> None:
        """Plan rules are ordinary EHR plan requirements, each located by its topic."""
        source = rulesets.PLAN_RULES["PLAN-AFTERCARE-BEFORE-DISCHARGE"].source
        assert source.title == "carecontinuum treatment-planning rules"
        assert source.locator == "aftercare"
        assert source.note == "Common EHR plan requirements; see the domain notes."
        assert _plan_rules._source("aftercare") == source
        assert rulesets.PLAN_RULES["PLAN-REVIEW-NOT-OVERDUE"].source.locator == "plan reviews"


# ---- the built-in sets' own checks ------------------------------------------------------------


class TestBuiltInChecks:
    def test_asam4_has_no_adolescent_criteria(self) -> None:
        """The 2023 book is the adults volume: an adolescent program gets a warning pointing
        to ASAM3, at its population."""
        teen = program(ASAM4["2.1"], population=cc.Population.ADOLESCENT)
        report = cc.validate(teen, rulesets.ASAM4)
        (warning,) = report.warnings
        assert report.ok and warning.rule_id == "ASAM4-NO-ADOLESCENT-CRITERIA"
        assert warning.path == "population"
        assert warning.found == "an adolescent program"
        assert warning.expected == "an adult program (or the 3rd edition's adolescent criteria)"
        assert warning.message.startswith("The ASAM Criteria 4th edition is the adults volume")
        assert warning.message.endswith("Judge adolescent programs with ASAM3.")

    def test_h0015_is_for_substance_use(self) -> None:
        """A mental-health IOP is billed as S9480, not H0015."""
        mh = program(track=cc.Track.MENTAL_HEALTH)
        (warning,) = cc.validate(mh, rulesets.HCPCS_H0015).findings
        assert warning.severity is cc.Severity.WARNING and warning.path == "track"
        assert warning.expected == "a substance-use or co-occurring program"
        assert warning.found == "a mental-health program"
        assert warning.message == (
            "H0015 is alcohol and/or drug intensive outpatient; payers bill mental-health IOP "
            "as S9480."
        )

    def test_medicare_per_diem_tiers_count_days_by_their_services(self) -> None:
        """Three program days of three 1-hour services, one 45-minute unit each: all in the
        3-service tier, an INFO summary."""
        three = program(services=[S.GROUP_THERAPY, S.INDIVIDUAL_THERAPY, S.PSYCHOEDUCATION])
        (info,) = cc.validate(three, rulesets.MEDICARE_2024).findings
        summary = "3 day(s) with 3 services, 0 with 4 or more, 0 with fewer, in the typical week"
        assert info.severity is cc.Severity.INFO and info.found == summary
        assert info.message == f"Per-diem tiers, in service units of 45 minutes: {summary}."
        assert info.expected == "3 or more service units of 45 minutes on each program day"

    def test_four_services_make_the_upper_tier(self) -> None:
        four = program(
            services=[S.GROUP_THERAPY, S.INDIVIDUAL_THERAPY, S.PSYCHOEDUCATION, S.CHECK_IN]
        )
        (info,) = cc.validate(four, rulesets.MEDICARE_2024).findings
        assert info.found.startswith("0 day(s) with 3 services, 3 with 4 or more, 0 with fewer")

    def test_days_below_both_tiers_are_a_warning(self) -> None:
        """An hour of group therapy a day is 1 service unit: every day is below the 3-service
        tier."""
        report = cc.validate(program(hours=1), rulesets.MEDICARE_2024)
        (warning,) = report.warnings
        summary = "0 day(s) with 3 services, 0 with 4 or more, 3 with fewer, in the typical week"
        assert warning.severity is cc.Severity.WARNING and warning.found == summary
        assert warning.message == (
            f"3 program day(s) hold fewer than 3 service units of 45 minutes, below the "
            f"3-service per-diem tier ({summary})."
        )

    def test_per_diem_tiers_over_a_calendar_count_weeks_with_program_days(self) -> None:
        """A 2-week calendar: the summary counts the weeks that have program days."""
        calendar = cc.expand(program(hours=1, weeks=2), D(2026, 3, 2), "UTC")
        finding = next(
            f
            for f in cc.validate(calendar, rulesets.MEDICARE_2024).findings
            if f.rule_id == "MEDICARE-PER-DIEM-TIERS"
        )
        assert finding.found.endswith("6 with fewer, over 2 weeks with program days")
        one = cc.expand(program(hours=1, weeks=1), D(2026, 3, 2), "UTC")
        weeks = cc.validate(one, rulesets.MEDICARE_2024).findings
        tiers = next(f for f in weeks if f.rule_id == "MEDICARE-PER-DIEM-TIERS")
        assert tiers.found.endswith("3 with fewer, in the week of 2026-03-02")


# ---- treatment plans --------------------------------------------------------------------------

START = date(2026, 3, 2)  # a Monday; an 8-week plan ends on Sunday 2026-04-26


def Intake(on: date) -> cc.Assessment:  # noqa: N802 (reads like the value it makes)
    """The ASAM3 assessment a plan is written from."""
    return cc.Assessment(
        "ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1}, on, client_id="c-104"
    )


def plan(**changes: Any) -> TreatmentPlan:
    intake = Intake(date(2026, 2, 27))
    arguments: dict[str, Any] = {
        "client_id": "c-104",
        "assessment": intake,
        "placement": cc.place(intake, ASAM3),
        "program": program(),
        "problems": [
            Problem(
                "Alcohol use disorder",
                [
                    Goal(
                        "Maintain abstinence",
                        [
                            Objective(
                                "Names three triggers",
                                date(2026, 3, 20),
                                [Intervention(S.GROUP_THERAPY, 3, CareRole.ADDICTION_COUNSELOR)],
                            )
                        ],
                    )
                ],
            )
        ],
        "start": START,
        "review_every_days": 30,
        "next_review": date(2026, 4, 1),
    }
    arguments.update(changes)
    return TreatmentPlan(**arguments)


def plan_findings(subject: TreatmentPlan, on: date | None) -> list[cc.Finding]:
    return list(cc.validate(subject, rulesets.PLAN_RULES, on=on).findings)


class TestPlanRules:
    def test_a_complete_current_plan_passes(self) -> None:
        assert plan().end == date(2026, 4, 26)
        assert plan_findings(plan(), date(2026, 3, 20)) == []

    def test_a_review_is_overdue_the_day_after_it_was_due(self) -> None:
        """Due on 1 April: on 1 April it is not overdue, on 2 April 1 day, on 6 April 5 days."""
        assert plan_findings(plan(), date(2026, 4, 1)) == []
        (late,) = plan_findings(plan(), date(2026, 4, 2))
        assert late.rule_id == "PLAN-REVIEW-NOT-OVERDUE" and late.path == "next_review"
        assert late.message == (
            "The plan's review was due on 2026-04-01; on 2026-04-02 it is 1 day overdue."
        )
        assert late.expected == "a review on or before 2026-04-01"
        assert late.found == "no review recorded by 2026-04-02"
        (later,) = plan_findings(plan(), date(2026, 4, 6))
        assert "it is 5 days overdue" in later.message

    def test_aftercare_is_needed_from_7_days_before_the_end(self) -> None:
        """The plan ends on 26 April: on 19 April (7 days before) an aftercare plan is due;
        on 18 April (8 days before) not yet."""
        assert plan_findings(plan(next_review=date(2026, 5, 1)), date(2026, 4, 18)) == []
        (due,) = plan_findings(plan(next_review=date(2026, 5, 1)), date(2026, 4, 19))
        assert due.rule_id == "PLAN-AFTERCARE-BEFORE-DISCHARGE" and due.path == "aftercare"
        assert due.severity is cc.Severity.ERROR
        assert due.message == (
            "The plan ends by 2026-04-26 and on 2026-04-19 has no aftercare plan; one is needed "
            "from 7 days before the end."
        )
        assert due.expected == "an aftercare plan from 7 days before the plan's end (2026-04-26)"
        assert due.found == "no aftercare plan"
        assert rulesets.PLAN_RULES["PLAN-AFTERCARE-BEFORE-DISCHARGE"].params == {
            "days_before_end": 7
        }

    def test_without_a_day_the_dated_rules_say_they_could_not_judge(self) -> None:
        """Reviews and aftercare are judged on a day; without one, an INFO each."""
        notes = plan_findings(plan(), None)
        assert [(f.rule_id, f.path, f.severity) for f in notes] == [
            ("PLAN-REVIEW-NOT-OVERDUE", "next_review", cc.Severity.INFO),
            ("PLAN-AFTERCARE-BEFORE-DISCHARGE", "aftercare", cc.Severity.INFO),
        ]
        assert notes[0].message == (
            "Rule PLAN-REVIEW-NOT-OVERDUE judges a plan on a given day and none was given; pass "
            "validate(plan, ruleset, on=day)."
        )
        assert notes[0].expected == "a day to judge on (validate(..., on=day))"
        assert notes[0].found == "no day given"

    def test_a_problem_without_a_goal(self) -> None:
        subject = plan(problems=[Problem("Insomnia", [])])
        (finding,) = plan_findings(subject, date(2026, 3, 20))
        assert finding.rule_id == "PLAN-PROBLEM-HAS-GOAL" and finding.path == "problems[0]"
        assert finding.message == "Problem 1 ('Insomnia') has no goal."
        assert (finding.expected, finding.found) == (
            "at least one goal for each problem",
            "no goals",
        )

    def test_a_goal_without_an_objective(self) -> None:
        subject = plan(problems=[Problem("Insomnia", [Goal("Sleep 7 hours", [])])])
        (finding,) = plan_findings(subject, date(2026, 3, 20))
        assert finding.rule_id == "PLAN-GOAL-HAS-OBJECTIVE"
        assert finding.path == "problems[0].goals[0]"
        assert finding.message == "Goal 'Sleep 7 hours' of problem 1 has no measurable objective."
        assert finding.expected == "at least one measurable objective for each goal"
        assert finding.found == "no objectives"

    @pytest.mark.parametrize(
        ("target", "when"),
        [
            (date(2026, 3, 1), "before the plan starts"),
            (date(2026, 4, 27), "after the plan's latest end"),
        ],
    )
    def test_an_objective_due_outside_the_plan(self, target: date, when: str) -> None:
        """Objectives are due from the plan's first day to its last, both included."""

        def with_target(day: date) -> TreatmentPlan:
            return plan(
                problems=[
                    Problem(
                        "Alcohol use disorder",
                        [
                            Goal(
                                "Abstinence",
                                [
                                    Objective(
                                        "Names three triggers",
                                        day,
                                        [
                                            Intervention(
                                                S.GROUP_THERAPY, 3, CareRole.ADDICTION_COUNSELOR
                                            )
                                        ],
                                    )
                                ],
                            )
                        ],
                    )
                ]
            )

        (finding,) = plan_findings(with_target(target), date(2026, 3, 20))
        assert finding.rule_id == "PLAN-OBJECTIVE-TARGET-IN-PLAN"
        assert finding.path == "problems[0].goals[0].objectives[0].target"
        assert finding.message == (
            f"Objective 'Names three triggers' is due {target}, {when} (2026-03-02 to 2026-04-26)."
        )
        assert finding.expected == "a target date from 2026-03-02 to 2026-04-26"
        assert finding.found == f"target {target}"
        for edge in (START, date(2026, 4, 26)):
            assert plan_findings(with_target(edge), date(2026, 3, 20)) == []

    def test_an_intervention_the_program_does_not_offer(self) -> None:
        """The program offers group therapy only; family therapy is not offered."""
        subject = plan(
            problems=[
                Problem(
                    "Alcohol use disorder",
                    [
                        Goal(
                            "Abstinence",
                            [
                                Objective(
                                    "Repairs trust",
                                    date(2026, 3, 20),
                                    [Intervention(S.FAMILY_THERAPY, 1, CareRole.THERAPIST)],
                                )
                            ],
                        )
                    ],
                )
            ]
        )
        (finding,) = plan_findings(subject, date(2026, 3, 20))
        assert finding.rule_id == "PLAN-INTERVENTION-OFFERED"
        assert finding.path == "problems[0].goals[0].objectives[0].interventions[0].service"
        assert finding.message == (
            "The plan calls for family therapy, which the program does not offer (it offers "
            "group therapy)."
        )
        assert finding.expected == "a service the program offers (group therapy)"
        assert finding.found == "family therapy"


# ---- episodes ---------------------------------------------------------------------------------


def Assessed(on: date) -> cc.Assessment:  # noqa: N802 (reads like the value it makes)
    """An assessment on `on`: the episode rules read only its date."""
    return cc.Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1}, on)


class TestEpisodeRules:
    def test_a_step_down_skipping_levels_names_them(self) -> None:
        """Residential straight to IOP skips PHP: an INFO note at the new stay's reason."""
        episode = cc.Episode.admit("c", "RESIDENTIAL", D(2026, 1, 5), continuum=GENERIC)
        moved = episode.step_to("IOP", D(2026, 2, 1))
        (note,) = cc.validate(moved, rulesets.EPISODE_RULES).findings
        assert note.severity is cc.Severity.INFO and note.path == "stays[1].reason"
        assert note.found == "no reason; skipped PHP"
        assert note.expected == "a reason for a step down that skips levels"
        assert note.message == (
            f"The step down from {GENERIC['RESIDENTIAL']} to {IOP} on 2026-02-01 skips PHP and "
            "gives no reason. Stepping down past levels is routine (a client moves to the level "
            "the assessment finds); a reason completes the record."
        )
        assert note.source.publisher == "SAMHSA" and note.source.year == 2021
        adjacent = episode.step_to("PHP", D(2026, 2, 1))
        assert cc.validate(adjacent, rulesets.EPISODE_RULES).findings == ()

    def test_a_step_down_skipping_two_levels_names_both(self) -> None:
        episode = cc.Episode.admit("c", "RESIDENTIAL", D(2026, 1, 5), continuum=GENERIC)
        (note,) = cc.validate(episode.step_to("OP", D(2026, 2, 1)), rulesets.EPISODE_RULES).findings
        assert note.found == "no reason; skipped IOP, PHP"  # in the pathway's order

    def test_an_alternative_passed_over_with_its_level_is_named_beside_it(self) -> None:
        """3.7 to 3.1 passes over the 3.5 tier, of which 3.3 is the alternative."""
        episode = cc.Episode.admit("c", "3.7", D(2026, 1, 5), continuum=ASAM3)
        (note,) = cc.validate(
            episode.step_to("3.1", D(2026, 2, 1)), rulesets.EPISODE_RULES
        ).findings
        assert note.found == "no reason; skipped 3.5 (or 3.3)"
        assert "skips 3.5 (or 3.3) and gives no reason" in note.message

    def test_a_discharge_from_24_hour_care_to_nothing(self) -> None:
        episode = cc.Episode.admit("c", "RESIDENTIAL", D(2026, 1, 5), continuum=GENERIC)
        bare = episode.discharge(D(2026, 2, 1), cc.DischargeReason.COMPLETED, note="done")
        (error,) = cc.validate(bare, rulesets.EPISODE_RULES).findings
        assert error.severity is cc.Severity.ERROR
        assert error.path == "discharge_record.referred_to" and error.found == "no referral"
        assert error.message == (
            f"Discharged on 2026-02-01 straight from {GENERIC['RESIDENTIAL']}, a 24-hour level, "
            "with no referral to a next level of care."
        )
        assert error.expected == (
            "a referral (discharge(..., referred_to=level)) from a 24-hour level"
        )

    @pytest.mark.parametrize(
        ("reason", "words"),
        [
            (cc.DischargeReason.AGAINST_MEDICAL_ADVICE, "left against medical advice"),
            (cc.DischargeReason.LOST_TO_CONTACT, "was lost to contact"),
        ],
    )
    def test_a_client_who_left_without_a_documented_attempt(
        self, reason: cc.DischargeReason, words: str
    ) -> None:
        episode = cc.Episode.admit("c", "RESIDENTIAL", D(2026, 1, 5), continuum=GENERIC)
        bare = episode.discharge(D(2026, 2, 1), reason)
        (warning,) = cc.validate(bare, rulesets.EPISODE_RULES).findings
        assert warning.severity is cc.Severity.WARNING
        assert warning.path == "discharge_record.note"
        assert warning.found == "no referral and no discharge note"
        assert warning.message == (
            f"Discharged on 2026-02-01 from {GENERIC['RESIDENTIAL']}, a 24-hour level "
            f"({reason.value}), with no referral and no note of an attempt to make one."
        )
        assert warning.expected == (
            "a referral, or a documented attempt at one (discharge(..., note=...)), when the "
            f"client {words}"
        )
        referred = episode.discharge(D(2026, 2, 1), reason, referred_to=IOP)
        assert cc.validate(referred, rulesets.EPISODE_RULES).findings == ()

    def test_a_transfer_without_a_reason(self) -> None:
        episode = cc.Episode.admit("c", "3.7-WM", D(2026, 1, 5), continuum=ASAM3)
        (note,) = cc.validate(
            episode.step_to("2.1", D(2026, 1, 9)), rulesets.EPISODE_RULES
        ).findings
        assert note.rule_id == "EPISODE-TRANSFER-REASON" and note.severity is cc.Severity.INFO
        assert note.path == "stays[1].reason" and note.found == "no reason"
        assert note.expected == (
            "a reason for a transfer between pathways (withdrawal complete, ...)"
        )
        assert note.message == (
            f"The transfer from {ASAM3['3.7-WM']} to {ASAM3['2.1']} on 2026-01-09 gives no reason."
        )

    def test_a_transfer_into_withdrawal_management_rests_on_a_new_assessment(self) -> None:
        """2.1 from 5 January into 3.7-WM on 1 February: an assessment of 4 January is old."""
        base = cc.Episode.admit("c", "2.1", D(2026, 1, 5), continuum=ASAM3)
        for day in (D(2026, 1, 5), D(2026, 2, 1)):
            fresh = base.step_to("3.7-WM", D(2026, 2, 1), "withdrawal", assessment=Assessed(day))
            assert cc.validate(fresh, rulesets.EPISODE_RULES).findings == ()
        old = base.step_to(
            "3.7-WM", D(2026, 2, 1), "withdrawal", assessment=Assessed(D(2026, 1, 4))
        )
        (error,) = cc.validate(old, rulesets.EPISODE_RULES).findings
        assert error.rule_id == "EPISODE-TRANSFER-INTO-WM-ASSESSED"
        assert error.severity is cc.Severity.ERROR and error.path == "stays[1].assessment"
        assert error.found == "an assessment of 2026-01-04"
        assert error.expected == "an assessment dated from 2026-01-05 to 2026-02-01"
        assert error.message == (
            f"The transfer into withdrawal management from {ASAM3['2.1']} to {ASAM3['3.7-WM']} "
            "on 2026-02-01 rests on no new assessment."
        )
        out = cc.Episode.admit("c", "3.7-WM", D(2026, 1, 5), continuum=ASAM3)
        assert cc.validate(out.step_to("2.1", D(2026, 1, 9), "done"), rulesets.EPISODE_RULES).ok

    def test_a_step_up_rests_on_an_assessment_from_the_stay_being_left(self) -> None:
        """OP from 5 January, up to IOP on 1 February: an assessment from 5 January to
        1 February is new; one of 4 January is not, nor one after the move."""
        base = cc.Episode.admit("c", "OP", D(2026, 1, 5), continuum=GENERIC)
        for day in (D(2026, 1, 5), D(2026, 2, 1)):
            up = base.step_to("IOP", D(2026, 2, 1), "relapse", assessment=Assessed(day))
            assert cc.validate(up, rulesets.EPISODE_RULES).findings == ()
        old = base.step_to("IOP", D(2026, 2, 1), "relapse", assessment=Assessed(D(2026, 1, 4)))
        (error,) = cc.validate(old, rulesets.EPISODE_RULES).findings
        assert error.path == "stays[1].assessment"
        assert error.found == "an assessment of 2026-01-04"
        assert error.expected == "an assessment dated from 2026-01-05 to 2026-02-01"
        assert error.message == (
            f"The step up from {GENERIC['OP']} to {IOP} on 2026-02-01 rests on no new assessment."
        )
        bare = base.step_to("IOP", D(2026, 2, 1), "relapse")
        (error,) = cc.validate(bare, rulesets.EPISODE_RULES).findings
        assert error.found == "none"

    def test_a_stay_past_its_programs_length(self) -> None:
        """An 8-week program is 56 days: a stay of 57 days (to the day given) is past it."""
        episode = cc.Episode.admit("c", "IOP", D(2026, 3, 2), continuum=GENERIC, program=program())
        assert cc.validate(episode, rulesets.EPISODE_RULES, on=D(2026, 4, 27)).findings == ()
        on = D(2026, 4, 28)
        (warning,) = cc.validate(episode, rulesets.EPISODE_RULES, on=on).findings
        assert warning.path == "stays[0]"
        assert warning.found == "57 days as of 2026-04-28"
        assert warning.expected == "at most 56 days (8 weeks)"
        assert warning.message == (
            f"The stay at {IOP} from 2026-03-02 has lasted 57 days, past its program's 8 weeks."
        )

    def test_a_closed_stay_is_measured_to_its_end(self) -> None:
        episode = cc.Episode.admit("c", "IOP", D(2026, 3, 2), continuum=GENERIC, program=program())
        closed = episode.step_to("OP", D(2026, 5, 1), "completed IOP")
        (warning,) = cc.validate(closed, rulesets.EPISODE_RULES).findings
        assert warning.found == "60 days"


# ---- week figures -----------------------------------------------------------------------------


def figures(subject: object) -> tuple[cc.WeekFigures, ...]:
    """The weeks a rule sees, read through a rule's context."""
    seen: list[tuple[cc.WeekFigures, ...]] = []

    def look(context: cc.RuleContext) -> list[cc.Finding]:
        seen.append(context.weeks)
        return []

    rule = cc.Rule("LOOK", "look", source=cc.Source("test"), check=look, judges=type(subject))
    cc.validate(subject, cc.RuleSet("LOOK", "1", [rule]))
    (weeks,) = seen
    return weeks


class TestWeekFigures:
    def test_a_typical_week_by_day(self) -> None:
        """Monday 3 hours of group, Wednesday 3 hours of group and individual therapy."""
        p = program(days=("mon", "wed"), services=[S.GROUP_THERAPY])
        extra = cc.Session(
            WeekDay.WEDNESDAY,
            pendulum.time(14),
            [cc.Segment(S.INDIVIDUAL_THERAPY, pendulum.duration(hours=1))],
        )
        two = cc.ProgramStructure(
            IOP, cc.Population.ADULT, cc.Track.SUBSTANCE_USE, [*p.sessions, extra], 8
        )
        (week,) = figures(two)
        assert (week.label, week.path, week.partial, week.why_unjudged) == (
            "the typical week",
            "sessions",
            False,
            "",
        )
        assert week.hours_on(0) == 3 and week.hours_on(2) == 4 and week.hours_on(1) == 0
        assert week.services_on(2) == {S.GROUP_THERAPY, S.INDIVIDUAL_THERAPY}
        assert week.services_on(4) == frozenset()
        assert week.paths_on(2) == ("sessions[1]", "sessions[2]") and week.paths_on(6) == ()
        assert (week.days, week.sessions, week.program_days) == (2, 3, (0, 2))
        assert week.clinical_hours == 7 and week.clinical_duration == pendulum.duration(hours=7)
        assert week.day_us[2] == 4 * 3_600_000_000

    def test_partial_weeks_say_why_they_are_not_judged(self) -> None:
        calendar = cc.expand(program(weeks=2), D(2026, 3, 4), "UTC")
        first, full, last = figures(calendar)
        assert first.partial and last.partial and not full.partial
        assert first.why_unjudged == "it is a partial week (5 days of 7 in the period)"
        assert full.why_unjudged == ""
        assert last.why_unjudged == "it is a partial week (2 days of 7 in the period)"
        assert first.fraction == pytest.approx(5 / 7)

    def test_subjects_without_weeks_have_none(self) -> None:
        """A rule judging any object sees no weeks for a subject of no registered kind."""

        @attrs.frozen
        class Note:
            text: str

        assert figures(Note("x")) == ()

    def test_a_registered_kind_is_judged_by_weekly_rules(self) -> None:
        """A kind of subject registered with its weeks and profile is judged by the same
        intensity rules: 6 hours in its week is below IOP's 9."""
        from carecontinuum import _measures  # noqa: PLC0415 (the registry is internal)

        @attrs.frozen
        class Roster:
            hours: int

        def weeks(roster: Roster) -> tuple[cc.WeekFigures, ...]:
            session = program(hours=roster.hours, days=("mon",)).sessions[0]
            entries = ((0, roster.hours * 3_600_000_000, 0, session),)
            return (cc.WeekFigures("the roster's week", "roster", entries),)

        _measures.register(Roster, weeks, lambda r: (IOP, cc.Population.ADULT, None))
        _measures.Weekly.register(Roster)
        assert _measures.profile_of(Roster(6)) == (IOP, cc.Population.ADULT, None)
        report = cc.validate(Roster(6), rulesets.TYPICAL_IOP)
        assert [(f.rule_id, f.path) for f in report.errors] == [("TYPICAL-IOP-HOURS", "roster")]
        assert report.errors[0].found == "6 clinical hours in the roster's week"

    def test_a_program_with_a_fortnightly_session_has_a_two_week_cycle(self) -> None:
        base = program(days=("mon",))
        fortnightly = cc.Session(
            WeekDay.FRIDAY,
            pendulum.time(9),
            [cc.Segment(S.GROUP_THERAPY, pendulum.duration(hours=3))],
            every_weeks=2,
            week_offset=1,
        )
        cyclic = cc.ProgramStructure(
            IOP, cc.Population.ADULT, cc.Track.SUBSTANCE_USE, [*base.sessions, fortnightly], 8
        )
        first, second = figures(cyclic)
        assert (first.label, first.path) == ("week 1 of the 2-week cycle", "sessions_in_week(0)")
        assert (second.label, second.path) == ("week 2 of the 2-week cycle", "sessions_in_week(1)")
        assert (first.clinical_hours, second.clinical_hours) == (3, 6)
        assert second.paths_on(4) == ("sessions[1]",)


def test_a_level_judged_through_the_crosswalk_is_in_the_scheme_of_the_rule() -> None:
    """A GENERIC IOP program under ASAM3 is judged at ASAM3 2.1 (its 9-hour floor)."""
    report = cc.validate(program(hours=2.5), rulesets.ASAM3)
    assert [f.rule_id for f in report.errors] == ["ASAM3-2.1-ADULT-HOURS"]
    assert report.errors[0].looks_like == ASAM3["1"]
    assert timedelta(hours=7.5) == program(hours=2.5).weekly_hours


class TestEpisodeRulesLookAtEveryMove:
    """Each rule reads the whole history: a move or stay it passes over does not end its look."""

    def test_a_skipping_step_down_after_an_explained_one(self) -> None:
        """Residential to PHP (adjacent), up again with a reason, then residential to OP
        without a reason: the last move is the one found, at stays[3]."""
        episode = (
            cc.Episode.admit("c", "RESIDENTIAL", D(2026, 1, 5), continuum=GENERIC)
            .step_to("PHP", D(2026, 2, 1), "stable")
            .step_to("RESIDENTIAL", D(2026, 2, 8), "relapse", assessment=Assessed(D(2026, 2, 7)))
            .step_to("OP", D(2026, 3, 1))
        )
        (note,) = cc.validate(episode, rulesets.EPISODE_RULES).findings
        assert note.path == "stays[3].reason"
        assert note.found == "no reason; skipped IOP, PHP"

    def test_an_unexplained_transfer_after_an_explained_one(self) -> None:
        """Out of 3.7-WM with a reason, back in (assessed) with one, out again without: the
        last transfer is the one found, at stays[3]."""
        episode = (
            cc.Episode.admit("c", "3.7-WM", D(2026, 1, 5), continuum=ASAM3)
            .step_to("3.5", D(2026, 1, 9), "withdrawal complete")
            .step_to("3.7-WM", D(2026, 2, 1), "relapse", assessment=Assessed(D(2026, 1, 31)))
            .step_to("3.5", D(2026, 2, 5))
        )
        (note,) = cc.validate(episode, rulesets.EPISODE_RULES).findings
        assert note.rule_id == "EPISODE-TRANSFER-REASON" and note.path == "stays[3].reason"

    def test_an_unassessed_transfer_into_wm_after_an_assessed_one(self) -> None:
        """Into 3.7-WM twice from 3.5; only the second lacks an assessment: found at stays[3]."""
        episode = (
            cc.Episode.admit("c", "3.5", D(2026, 1, 5), continuum=ASAM3)
            .step_to("3.7-WM", D(2026, 1, 9), "withdrawal", assessment=Assessed(D(2026, 1, 8)))
            .step_to("3.5", D(2026, 1, 14), "withdrawal complete")
            .step_to("3.7-WM", D(2026, 2, 5), "withdrawal")
        )
        (error,) = cc.validate(episode, rulesets.EPISODE_RULES).findings
        assert error.rule_id == "EPISODE-TRANSFER-INTO-WM-ASSESSED"
        assert error.path == "stays[3].assessment"

    def test_an_unassessed_step_up_after_a_step_down(self) -> None:
        """PHP down to IOP, then up to PHP without an assessment: found at stays[2]."""
        episode = (
            cc.Episode.admit("c", "PHP", D(2026, 1, 5), continuum=GENERIC)
            .step_to("IOP", D(2026, 2, 1), "stable")
            .step_to("PHP", D(2026, 3, 1), "relapse")
        )
        (error,) = cc.validate(episode, rulesets.EPISODE_RULES).findings
        assert error.path == "stays[2].assessment" and error.found == "none"
        assert error.expected == "an assessment dated from 2026-02-01 to 2026-03-01"

    def test_a_long_stay_after_one_without_a_program(self) -> None:
        """A PHP stay with no program recorded, then an 8-week IOP program stay measured to
        the day given: the IOP stay (stays[1]) is past its length."""
        episode = cc.Episode.admit("c", "PHP", D(2026, 1, 5), continuum=GENERIC).step_to(
            "IOP", D(2026, 2, 2), "stable", program=program()
        )
        (warning,) = cc.validate(episode, rulesets.EPISODE_RULES, on=D(2026, 4, 30)).findings
        assert warning.path == "stays[1]" and warning.found == "87 days as of 2026-04-30"

    def test_an_open_stay_without_a_day_is_not_measured(self) -> None:
        episode = cc.Episode.admit("c", "IOP", D(2026, 1, 5), continuum=GENERIC, program=program())
        assert cc.validate(episode, rulesets.EPISODE_RULES).findings == ()


class TestWeekFiguresByHand:
    """A week built by hand (a new kind of subject's weeks) is checked: each entry is a weekday
    0-6 (Monday first), non-negative clinical microseconds and index, and a Session."""

    def session(self) -> cc.Session:
        return program(days=("mon",)).sessions[0]

    def test_a_valid_week(self) -> None:
        s = self.session()
        week = cc.WeekFigures(
            "the roster's week",
            "",
            ((6, 3_600_000_000, 0, s),),
            fraction=1,
            items="records",
            unjudged="attendance not all recorded",
        )
        assert week.path == "" and week.items == "records" and week.fraction == 1
        assert week.why_unjudged == "attendance not all recorded"
        assert week.hours_on(6) == 1 and week.paths_on(6) == ("records[0]",)
        half = cc.WeekFigures("w", "p", (), fraction=0.5)
        assert half.partial and half.clinical_us == 0
        assert half.why_unjudged == "it is a partial week (4 days of 7 in the period)"

    @pytest.mark.parametrize(
        "entry",
        [
            (7, 1, 0),
            (7, 1, 0, None),
            (-1, 1, 0, None),
            (0, -1, 0, None),
            (0, 1, -1, None),
            (0, 1.0, 0, None),
            (True, 1, 0, None),
            (0, 1, 0, "Monday"),
        ],
    )
    def test_a_malformed_entry_is_refused(self, entry: tuple[object, ...]) -> None:
        s = self.session()
        row = tuple(s if item is None else item for item in entry)
        with pytest.raises(cc.InvalidValueError) as info:
            cc.WeekFigures("w", "p", ((0, 1, 0, s), row))  # type: ignore[arg-type]
        assert info.value.field == "entries[1]"
        assert "a (weekday 0-6, microseconds, index, Session)" in str(info.value)

    def test_a_sunday_entry_is_a_weekday(self) -> None:
        assert cc.WeekFigures("w", "p", ((6, 0, 0, self.session()),)).sessions == 1

    @pytest.mark.parametrize(
        ("fraction", "error"),
        [
            (0, cc.InvalidValueError),
            (1.01, cc.InvalidValueError),
            (float("nan"), cc.InvalidValueError),
            (True, cc.InvalidTypeError),
            ("1", cc.InvalidTypeError),
        ],
    )
    def test_the_fraction_is_a_share_of_a_week(
        self, fraction: object, error: type[Exception]
    ) -> None:
        with pytest.raises(error) as info:
            cc.WeekFigures("w", "p", (), fraction=fraction)  # type: ignore[arg-type]
        assert info.value.field == "fraction"  # type: ignore[attr-defined]

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"label": ""}, "label"),
            ({"items": ""}, "items"),
            ({"entries": "x"}, "entries"),
            ({"unjudged": 3}, "unjudged"),
            ({"path": 3}, "path"),
        ],
    )
    def test_malformed_fields_are_refused(self, changes: dict[str, object], field: str) -> None:
        fields: dict[str, object] = {"label": "w", "path": "p", "entries": ()}
        fields.update(changes)
        with pytest.raises(cc.CareContinuumError) as info:
            cc.WeekFigures(**fields)  # type: ignore[arg-type]
        assert info.value.field == field  # type: ignore[attr-defined]
