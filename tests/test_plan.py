"""Treatment plans: their parts, their refusals, new plans from old, and the PLAN_RULES."""

from __future__ import annotations

import contextlib
import math
import pickle
from collections.abc import Callable
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum._plan import (
    Aftercare,
    AftercareService,
    CareRole,
    Goal,
    Intervention,
    Objective,
    Problem,
    TreatmentPlan,
)
from carecontinuum.rulesets._plan_rules import PLAN_RULES
from fuzzing import cpu_time
from strategies import garbage

GENERIC = cc.catalogs.GENERIC
START = date(2026, 3, 2)  # a Monday
END = date(2026, 4, 26)  # the 8th Sunday: START + 8 weeks - 1 day
S = cc.Service


RATINGS = {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1}


def intake(on: date = date(2026, 2, 27), client_id: str | None = "c-104") -> cc.Assessment:
    """The ASAM3 assessment a plan is written from."""
    return cc.Assessment("ASAM3", RATINGS, on, client_id=client_id)


INTAKE = intake()
PLACED = cc.place(INTAKE, cc.catalogs.ASAM3)


def iop(weeks: int = 8) -> cc.ProgramStructure:
    return cc.ProgramStructure.weekly(
        GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=weeks
    )


PROGRAM = iop()  # offers group therapy only


def groups(per_week: float = 3) -> Intervention:
    return Intervention(S.GROUP_THERAPY, per_week, CareRole.ADDICTION_COUNSELOR)


def objective(target: date = date(2026, 3, 20), *items: Intervention) -> Objective:
    return Objective("Names three triggers", target, items or (groups(),))


def problems(*objectives: Objective) -> list[Problem]:
    return [
        Problem(
            "Alcohol use disorder",
            [Goal("Maintain abstinence", objectives or (objective(),))],
        )
    ]


def plan(**changes: Any) -> TreatmentPlan:
    """A complete, current plan; `changes` replace its arguments."""
    arguments: dict[str, Any] = {
        "client_id": "c-104",
        "assessment": INTAKE,
        "placement": PLACED,
        "program": PROGRAM,
        "problems": problems(),
        "start": START,
        "review_every_days": 30,
        "next_review": date(2026, 4, 1),
        "discharge_criteria": ["Completes the relapse-prevention plan"],
        "aftercare": None,
    }
    arguments.update(changes)
    return TreatmentPlan(**arguments)


def errors(subject: TreatmentPlan, on: date | None = None) -> list[tuple[str, str]]:
    return [(f.rule_id, f.path) for f in cc.validate(subject, PLAN_RULES, on=on).errors]


class TestIntervention:
    def test_keeps_frequency_as_a_float(self) -> None:
        """An int frequency is kept as the equal float; fractions mean less than weekly."""
        assert groups(3).per_week == 3.0
        assert type(groups(3).per_week) is float
        assert groups(0.5).per_week == 0.5

    @pytest.mark.parametrize(
        ("per_week", "error"),
        [
            (0, cc.InvalidValueError),
            (-1, cc.InvalidValueError),
            (float("nan"), cc.InvalidValueError),
            (float("inf"), cc.InvalidValueError),
            (169, cc.InvalidValueError),
            (True, cc.InvalidTypeError),
            ("3", cc.InvalidTypeError),
            (None, cc.InvalidTypeError),
        ],
    )
    def test_refuses_a_bad_frequency(self, per_week: object, error: type[Exception]) -> None:
        """Frequencies must be positive, finite numbers of sessions (bools are not numbers)."""
        with pytest.raises(error) as info:
            Intervention(S.GROUP_THERAPY, per_week, CareRole.THERAPIST)  # type: ignore[arg-type]
        assert info.value.field == "per_week"  # type: ignore[attr-defined]

    @pytest.mark.parametrize(
        ("arguments", "field"),
        [
            (("group", 1, CareRole.THERAPIST), "service"),
            ((3, 1, CareRole.THERAPIST), "service"),
            ((S.BREAK, 1, CareRole.THERAPIST), "service"),
            ((S.GROUP_THERAPY, 1, "counsellor"), "role"),
        ],
    )
    def test_refuses_a_bad_service_or_role(self, arguments: tuple[Any, ...], field: str) -> None:
        """Spellings of no member are refused, and a break is not an intervention."""
        with pytest.raises(cc.CareContinuumError) as info:
            Intervention(*arguments)
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_refuses_an_empty_description(self) -> None:
        """A description, when given, says something."""
        with pytest.raises(cc.InvalidValueError) as info:
            Intervention(S.GROUP_THERAPY, 1, CareRole.THERAPIST, description=" ")
        assert info.value.field == "description"


class TestParts:
    def test_collections_are_stored_as_tuples(self) -> None:
        """Lists given for nested parts are kept as tuples."""
        goal = Goal("g", [objective()])
        assert type(goal.objectives) is tuple
        assert type(Problem("p", [goal]).goals) is tuple
        assert type(objective().interventions) is tuple

    def test_empty_children_are_accepted_as_drafts(self) -> None:
        """Goals without objectives and problems without goals are left to the rules."""
        assert Problem("p").goals == ()
        assert Goal("g").objectives == ()
        assert Objective("o", START).interventions == ()

    @pytest.mark.parametrize(
        ("part", "arguments", "field", "error"),
        [
            (Objective, ("o", datetime(2026, 3, 2, 9)), "target", cc.InvalidTypeError),
            (Objective, ("o", "March 2, 2026"), "target", cc.InvalidValueError),
            (Objective, ("o", 20260302), "target", cc.InvalidTypeError),
            (Objective, ("", START), "description", cc.InvalidValueError),
            (Objective, ("o", START, [groups(), 3]), "interventions[1]", cc.InvalidTypeError),
            (Objective, ("o", START, groups()), "interventions", cc.InvalidTypeError),
            (Goal, (3,), "description", cc.InvalidTypeError),
            (Goal, ("g", [objective(), None]), "objectives[1]", cc.InvalidTypeError),
            (Goal, ("g", "objective"), "objectives", cc.InvalidTypeError),
            (Problem, ("",), "description", cc.InvalidValueError),
            (Problem, ("p", [Objective("o", START)]), "goals[0]", cc.InvalidTypeError),
        ],
    )  # fmt: skip
    def test_malformed_fields_are_named(
        self,
        part: Callable[..., object],
        arguments: tuple[Any, ...],
        field: str,
        error: type[Exception],
    ) -> None:
        """Each part names the field it refuses, with the index of a bad child."""
        with pytest.raises(error) as info:
            part(*arguments)
        assert info.value.field == field  # type: ignore[attr-defined]


class TestAftercare:
    def test_a_next_level_or_services_suffice(self) -> None:
        """Aftercare is a next level, support services, or both."""
        assert Aftercare(GENERIC["OP"]).services == ()
        assert Aftercare(services=[AftercareService.ALUMNI]).next_level is None
        both = Aftercare(GENERIC["OP"], (AftercareService.SUPPORT_GROUPS,), note="Tue AA group")
        assert both.note == "Tue AA group"

    @pytest.mark.parametrize(
        ("arguments", "field", "error"),
        [
            ({}, "services", cc.InvalidValueError),
            ({"next_level": "OP"}, "next_level", cc.InvalidTypeError),
            ({"services": ["alumni group"]}, "services[0]", cc.InvalidValueError),
            ({"services": [1]}, "services[0]", cc.InvalidTypeError),
            ({"services": AftercareService.ALUMNI}, "services", cc.InvalidTypeError),
            ({"services": [AftercareService.ALUMNI] * 2}, "services", cc.InvalidValueError),
            ({"next_level": GENERIC["OP"], "note": ""}, "note", cc.InvalidValueError),
        ],
    )
    def test_malformed_fields_are_named(
        self, arguments: dict[str, Any], field: str, error: type[Exception]
    ) -> None:
        """An empty aftercare plan, raw values and repeated services are refused."""
        with pytest.raises(error) as info:
            Aftercare(**arguments)
        assert info.value.field == field  # type: ignore[attr-defined]


class TestTreatmentPlan:
    def test_derived_end_objectives_and_interventions(self) -> None:
        """The end is the last day of the program's longest length; parts come with paths."""
        extra = Intervention(S.GROUP_THERAPY, 1, CareRole.PEER_SPECIALIST)
        subject = plan(problems=[*problems(), Problem("Insomnia", [Goal("Sleep", [
            objective(START), objective(START, groups(), extra)])])])  # fmt: skip
        assert subject.end == END
        assert plan(program=iop(12)).end == date(2026, 5, 24)
        assert [path for path, _ in subject.objectives] == [
            "problems[0].goals[0].objectives[0]",
            "problems[1].goals[0].objectives[0]",
            "problems[1].goals[0].objectives[1]",
        ]
        found = dict(subject.interventions)
        assert found["problems[1].goals[0].objectives[1].interventions[1]"] is extra
        assert len(found) == 4

    def test_end_uses_the_longest_length_of_a_range(self) -> None:
        """For a 6-12 week program the plan's latest end is 12 weeks on."""
        ranged = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon"], hours_per_session=3, weeks=(6, 12)
        )
        assert plan(program=ranged).end == START + timedelta(weeks=12, days=-1)

    def test_pendulum_dates_are_accepted(self) -> None:
        """A pendulum Date is a date."""
        subject = plan(start=pendulum.date(2026, 3, 2), next_review=pendulum.date(2026, 4, 1))
        assert subject.end == END
        assert subject == plan()

    @pytest.mark.parametrize(
        ("changes", "field", "error"),
        [
            ({"client_id": ""}, "client_id", cc.InvalidValueError),
            ({"client_id": 104}, "client_id", cc.InvalidTypeError),
            ({"assessment": None}, "assessment", cc.InvalidTypeError),
            ({"assessment": intake(START, "c-999")}, "assessment", cc.InvalidValueError),
            ({"placement": object()}, "placement", cc.InvalidTypeError),
            ({"placement": None}, "placement", cc.InvalidTypeError),
            ({"placement": cc.place(intake(START), cc.catalogs.ASAM3)}, "placement",
             cc.InvalidValueError),
            ({"review_every_days": 3_654}, "review_every_days", cc.InvalidValueError),
            ({"program": GENERIC["IOP"]}, "program", cc.InvalidTypeError),
            ({"problems": []}, "problems", cc.InvalidValueError),
            ({"problems": Problem("p")}, "problems", cc.InvalidTypeError),
            ({"problems": [Problem("p"), Goal("g")]}, "problems[1]", cc.InvalidTypeError),
            ({"start": datetime(2026, 3, 2, 9)}, "start", cc.InvalidTypeError),
            ({"start": "2026-3-2"}, "start", cc.InvalidValueError),
            ({"start": 20260302}, "start", cc.InvalidTypeError),
            ({"review_every_days": 0}, "review_every_days", cc.InvalidValueError),
            ({"review_every_days": 30.0}, "review_every_days", cc.InvalidTypeError),
            ({"review_every_days": True}, "review_every_days", cc.InvalidTypeError),
            ({"next_review": date(2026, 3, 1)}, "next_review", cc.InvalidValueError),
            ({"next_review": None}, "next_review", cc.InvalidTypeError),
            ({"discharge_criteria": "sober"}, "discharge_criteria", cc.InvalidTypeError),
            ({"discharge_criteria": ["ok", ""]}, "discharge_criteria[1]", cc.InvalidValueError),
            ({"discharge_criteria": ["ok", 1]}, "discharge_criteria[1]", cc.InvalidTypeError),
            ({"aftercare": AftercareService.ALUMNI}, "aftercare", cc.InvalidTypeError),
        ],
    )  # fmt: skip
    def test_malformed_fields_are_named(
        self, changes: dict[str, Any], field: str, error: type[Exception]
    ) -> None:
        """Each malformed field raises the library's error, naming the field."""
        with pytest.raises(error) as info:
            plan(**changes)
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_a_part_forced_past_its_constructor_is_named_by_its_full_path(self) -> None:
        """The plan checks its whole tree and names a bad field by the path from the plan."""
        bad_goal = Goal("placeholder", [objective()])
        object.__setattr__(bad_goal, "description", "")
        bad_item = groups()
        object.__setattr__(bad_item, "per_week", -1.0)
        tree = [Problem("p", [Goal("g", [objective()]), bad_goal])]
        with pytest.raises(cc.InvalidValueError) as info:
            plan(problems=tree)
        assert info.value.field == "problems[0].goals[1].description"
        with pytest.raises(cc.InvalidValueError) as info:
            plan(problems=problems(objective(START, groups(), bad_item)))
        assert info.value.field == "problems[0].goals[0].objectives[0].interventions[1].per_week"

    def test_dates_at_the_calendar_s_ends_are_refused_cleanly(self) -> None:
        """A plan whose end, or a review whose next review, would pass 9999-12-31 is refused."""
        with pytest.raises(cc.InvalidValueError) as info:
            plan(start=date(9999, 12, 1), next_review=date(9999, 12, 2))
        assert info.value.field == "start"
        with pytest.raises(cc.InvalidValueError) as info:
            plan().reviewed(date.max)
        assert info.value.field == "on"
        earliest = plan(
            start=date.min,
            next_review=date.min,
            program=iop(1),
            problems=problems(objective(date.min)),
        )
        assert errors(earliest, date.min) == [("PLAN-AFTERCARE-BEFORE-DISCHARGE", "aftercare")]

    def test_only_the_library_s_assessments_and_placements_are_taken(self) -> None:
        """Issue 13: any object with an `on` date (the docstring even showed one) was taken as
        an assessment, and a class merely named Placement as a placement, making the plan
        unhashable and unwritable. Only `Assessment` and `Placement` are taken now."""
        stand_in = SimpleNamespace(on=date(2026, 2, 27), client_id="c-104")
        with pytest.raises(cc.InvalidTypeError) as info:
            plan(assessment=stand_in, placement=SimpleNamespace(on=date(2026, 2, 27)))
        assert info.value.field == "assessment" and "an Assessment" in str(info.value)
        placement_class = attrs.make_class("Placement", ["chosen", "assessment"])
        with pytest.raises(cc.InvalidTypeError) as info:
            plan(placement=placement_class(GENERIC["IOP"], INTAKE))
        assert info.value.field == "placement"
        kept = plan()
        assert hash(kept) == hash(plan())
        assert cc.from_dict(TreatmentPlan, cc.to_dict(kept)) == kept

    def test_the_review_cadence_is_at_most_ten_years(self) -> None:
        """Issue 13: `reviewed(on)` with `review_every_days` >= 3,652,059 raised OverflowError.
        A cadence above 3,653 days is refused, at once and naming the field; at 3,653 a
        review lands ten years on, and where that passes 9999-12-31 `on` is refused."""
        with cpu_time() as spent:
            for every in (3_654, 3_652_059, 10**30):
                with pytest.raises(cc.InvalidValueError) as info:
                    plan(review_every_days=every)
                assert info.value.field == "review_every_days" and "3,653" in str(info.value)
        assert spent.seconds < 1
        longest = plan(review_every_days=3_653)
        assert longest.reviewed(START).next_review == START + timedelta(days=3_653)
        last = date.max - timedelta(days=3_653)
        assert longest.reviewed(last).next_review == date.max
        with pytest.raises(cc.InvalidValueError) as info:
            longest.reviewed(last + timedelta(days=1))
        assert info.value.field == "on"
        forced = plan()
        object.__setattr__(forced, "review_every_days", 3_652_059)  # past the constructor
        with pytest.raises(cc.InvalidValueError) as info:
            forced.reviewed(START)  # was OverflowError
        assert info.value.field == "on"

    def test_review_due(self) -> None:
        """A review is due from the day of the next review on."""
        subject = plan()
        assert not subject.review_due(date(2026, 3, 31))
        assert subject.review_due(date(2026, 4, 1))
        assert subject.review_due(date(2026, 4, 2))
        with pytest.raises(cc.InvalidTypeError) as info:
            subject.review_due(datetime(2026, 4, 1, 9))
        assert info.value.field == "on"

    def test_reviewed_makes_a_new_plan(self) -> None:
        """A review sets the next review (by default a cadence later) on a new plan."""
        old = plan()
        new = old.reviewed(date(2026, 4, 1))
        assert new.next_review == date(2026, 5, 1)
        assert old.next_review == date(2026, 4, 1)
        assert new != old
        assert attrs.evolve(new, next_review=old.next_review) == old
        assert old.reviewed(date(2026, 3, 30), date(2026, 4, 13)).next_review == date(2026, 4, 13)

    @pytest.mark.parametrize(
        ("on", "next_review", "field", "error"),
        [
            (date(2026, 3, 1), None, "on", cc.InvalidValueError),
            (datetime(2026, 4, 1, 9), None, "on", cc.InvalidTypeError),
            (date(2026, 4, 1), date(2026, 4, 1), "next_review", cc.InvalidValueError),
            (date(2026, 4, 1), "1 May 2026", "next_review", cc.InvalidValueError),
            (date(2026, 4, 1), 20260501, "next_review", cc.InvalidTypeError),
        ],
    )
    def test_reviewed_refuses_bad_days(
        self, on: object, next_review: object, field: str, error: type[Exception]
    ) -> None:
        """A review happens on or after the start and sets a later next review."""
        with pytest.raises(error) as info:
            plan().reviewed(on, next_review)  # type: ignore[arg-type]
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_with_aftercare_makes_a_new_plan(self) -> None:
        """Adding aftercare returns a new plan and leaves the old one without it."""
        old = plan()
        after = Aftercare(GENERIC["OP"], [AftercareService.ALUMNI])
        new = old.with_aftercare(after)
        assert new.aftercare is after
        assert old.aftercare is None
        assert attrs.evolve(new, aftercare=None) == old
        with pytest.raises(cc.InvalidTypeError) as info:
            old.with_aftercare(None)  # type: ignore[arg-type]
        assert info.value.field == "aftercare"

    def test_plans_are_frozen_values(self) -> None:
        """Plans compare and hash by value, refuse changes and survive pickling."""
        subject = plan(aftercare=Aftercare(GENERIC["OP"]))
        assert subject == plan(aftercare=Aftercare(GENERIC["OP"]))
        assert hash(subject) == hash(plan(aftercare=Aftercare(GENERIC["OP"])))
        other = intake(START, "c-105")
        assert subject != plan(
            client_id="c-105", assessment=other, placement=cc.place(other, cc.catalogs.ASAM3)
        )
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            subject.start = END  # type: ignore[misc]
        copy = pickle.loads(pickle.dumps(subject))
        assert copy == subject
        assert copy.end == END
        assert dict(copy.interventions) == dict(subject.interventions)

    def test_parts_are_slotted(self) -> None:
        """No part carries a __dict__."""
        for part in (groups(), objective(), Goal("g"), Problem("p"), Aftercare(GENERIC["OP"]),
                     plan()):  # fmt: skip
            assert not hasattr(part, "__dict__")


class TestWithRealAssessments:
    def test_a_plan_from_a_real_assessment_and_placement(self) -> None:
        """The assessment module's own Assessment and Placement are accepted and checked."""
        assessment = pytest.importorskip("carecontinuum._assessment")
        asam3 = cc.catalogs.ASAM3
        ratings = {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1}
        intake = assessment.Assessment("ASAM3", ratings, date(2026, 2, 27), client_id="c-104")
        placed = assessment.place(intake, asam3)
        subject = plan(assessment=intake, placement=placed)
        assert pickle.loads(pickle.dumps(subject)) == subject
        assert cc.validate(subject, PLAN_RULES, on=date(2026, 3, 20)).ok
        other = assessment.Assessment("ASAM3", ratings, date(2026, 2, 28), client_id="c-104")
        with pytest.raises(cc.InvalidValueError) as info:
            plan(assessment=other, placement=placed)
        assert info.value.field == "placement"


class TestPlanRules:
    def test_a_complete_current_plan_passes(self) -> None:
        """A plan with goals, objectives, offered services and a review to come passes."""
        report = cc.validate(plan(), PLAN_RULES, on=date(2026, 3, 20))
        assert report.ok
        assert report.findings == ()
        assert set(report.applied) == set(PLAN_RULES.ids)

    def test_every_rule_cites_a_source(self) -> None:
        """Each rule names the treatment-planning source and the note on where it comes from."""
        assert len(PLAN_RULES) == 6
        assert PLAN_RULES.name == "PLAN_RULES"
        assert PLAN_RULES.version == "2026.1"
        for rule in PLAN_RULES:
            assert rule.source.title == "carecontinuum treatment-planning rules"
            assert rule.source.note
            assert rule.judges == (TreatmentPlan,)

    def test_problem_has_goal(self) -> None:
        """A problem without a goal is an error at the problem's path."""
        subject = plan(problems=[*problems(), Problem("Insomnia")])
        (finding,) = cc.validate(subject, PLAN_RULES).errors
        assert (finding.rule_id, finding.path) == ("PLAN-PROBLEM-HAS-GOAL", "problems[1]")
        assert finding.source == PLAN_RULES["PLAN-PROBLEM-HAS-GOAL"].source

    def test_goal_has_objective(self) -> None:
        """A goal without an objective is an error at the goal's path."""
        tree = [Problem("p", [Goal("g", [objective()]), Goal("Rebuild family trust")])]
        (finding,) = cc.validate(plan(problems=tree), PLAN_RULES).errors
        assert (finding.rule_id, finding.path) == (
            "PLAN-GOAL-HAS-OBJECTIVE",
            "problems[0].goals[1]",
        )
        assert "Rebuild family trust" in finding.message
        assert finding.source.locator == "goals and objectives"

    @pytest.mark.parametrize(
        ("target", "ok"),
        [
            (START, True),
            (END, True),
            (START - timedelta(days=1), False),
            (END + timedelta(days=1), False),
        ],
    )
    def test_objective_target_in_plan(self, target: date, ok: bool) -> None:
        """An objective's target lies within start..end, both days included."""
        subject = plan(problems=problems(objective(), objective(target)))
        if ok:
            assert errors(subject) == []
            return
        (finding,) = cc.validate(subject, PLAN_RULES).errors
        assert finding.rule_id == "PLAN-OBJECTIVE-TARGET-IN-PLAN"
        assert finding.path == "problems[0].goals[0].objectives[1].target"
        assert finding.expected == f"a target date from {START} to {END}"
        assert finding.source.locator == "objective target dates"

    def test_intervention_offered(self) -> None:
        """A service the program does not run is an error naming what the program offers."""
        family = Intervention(S.FAMILY_THERAPY, 0.5, CareRole.FAMILY_THERAPIST)
        subject = plan(problems=problems(objective(START, groups(), family)))
        (finding,) = cc.validate(subject, PLAN_RULES).errors
        assert finding.rule_id == "PLAN-INTERVENTION-OFFERED"
        assert finding.path == "problems[0].goals[0].objectives[0].interventions[1].service"
        assert "group therapy" in finding.expected
        assert finding.found == "family therapy"
        assert finding.source.locator == "interventions"

    def test_intervention_offered_by_a_richer_program(self) -> None:
        """A program that runs the service passes the same plan."""
        richer = cc.ProgramStructure.weekly(
            GENERIC["IOP"],
            days=["mon", "wed", "fri"],
            hours_per_session=3,
            weeks=8,
            services=[S.GROUP_THERAPY, S.FAMILY_THERAPY],
        )
        family = Intervention(S.FAMILY_THERAPY, 0.5, CareRole.FAMILY_THERAPIST)
        assert errors(plan(program=richer, problems=problems(objective(START, family)))) == []

    def test_review_not_overdue_on_a_day(self) -> None:
        """The review may be due today; a day later it is overdue."""
        subject = plan()
        assert errors(subject, date(2026, 4, 1)) == []
        (finding,) = cc.validate(subject, PLAN_RULES, on=date(2026, 4, 3)).errors
        assert (finding.rule_id, finding.path) == ("PLAN-REVIEW-NOT-OVERDUE", "next_review")
        assert "2 days overdue" in finding.message
        assert finding.source.locator == "plan reviews"
        assert errors(subject.reviewed(date(2026, 4, 3)), date(2026, 4, 3)) == []

    def test_dated_rules_say_they_need_a_day(self) -> None:
        """Without a day, the review and aftercare rules report INFO, not a pass or an error."""
        report = cc.validate(plan(), PLAN_RULES)
        assert report.ok
        assert [(f.rule_id, f.severity, f.path) for f in report.infos] == [
            ("PLAN-REVIEW-NOT-OVERDUE", cc.Severity.INFO, "next_review"),
            ("PLAN-AFTERCARE-BEFORE-DISCHARGE", cc.Severity.INFO, "aftercare"),
        ]
        assert all(f.found == "no day given" for f in report.infos)

    @pytest.mark.parametrize(
        ("on", "needed"),
        [
            (END - timedelta(days=8), False),
            (END - timedelta(days=7), True),
            (END, True),
            (END + timedelta(days=30), True),
        ],
    )
    def test_aftercare_before_discharge(self, on: date, needed: bool) -> None:
        """From 7 days before the plan's end, an aftercare plan must exist."""
        subject = plan(next_review=END + timedelta(days=60))
        found = errors(subject, on)
        assert found == ([("PLAN-AFTERCARE-BEFORE-DISCHARGE", "aftercare")] if needed else [])
        done = subject.with_aftercare(Aftercare(services=[AftercareService.SUPPORT_GROUPS]))
        assert errors(done, on) == []

    def test_aftercare_window_can_be_overridden(self) -> None:
        """A clinic can ask for aftercare earlier by overriding days_before_end."""
        early = PLAN_RULES.override("PLAN-AFTERCARE-BEFORE-DISCHARGE", days_before_end=14)
        subject = plan(next_review=END)
        on = END - timedelta(days=10)
        assert errors(subject, on) == []
        assert [f.rule_id for f in cc.validate(subject, early, on=on).errors] == [
            "PLAN-AFTERCARE-BEFORE-DISCHARGE"
        ]

    def test_the_rules_judge_only_plans(self) -> None:
        """A program is out of every plan rule's scope."""
        assert cc.validate(PROGRAM, PLAN_RULES).applied == ()


# ---- fuzzing ---------------------------------------------------------------------------------

PLAN_FIELDS = (
    "client_id", "assessment", "placement", "program", "problems", "start",
    "review_every_days", "next_review", "discharge_criteria", "aftercare",
)  # fmt: skip


def _library_errors_only(build: Callable[[], object]) -> None:
    """Run `build`; a library error is an accepted outcome, anything else fails the test."""
    with contextlib.suppress(cc.CareContinuumError):
        build()


@given(field=st.sampled_from(PLAN_FIELDS), junk=garbage)
def test_junk_in_any_plan_field_raises_only_library_errors(field: str, junk: object) -> None:
    """ "Every malformed input raises the library's errors": junk in one field of a plan."""
    _library_errors_only(lambda: plan(**{field: junk}))


@given(junk=garbage, nested=st.booleans())
def test_junk_in_any_part_raises_only_library_errors(junk: Any, nested: bool) -> None:
    """Junk in any field of an intervention, objective, goal or problem raises only library
    errors, alone or inside a list of parts."""
    builders: list[Callable[[], object]] = [
        lambda: Intervention(junk, 1, CareRole.THERAPIST),
        lambda: Intervention(S.GROUP_THERAPY, junk, CareRole.THERAPIST),
        lambda: Intervention(S.GROUP_THERAPY, 1, junk),
        lambda: Objective("o", junk),
        lambda: Objective(junk, START),
        lambda: Goal("g", [junk] if nested else junk),
        lambda: Problem(junk, [junk] if nested else ()),
        lambda: Aftercare(junk),
        lambda: Aftercare(services=[junk] if nested else junk),
    ]
    for build in builders:
        _library_errors_only(build)


@given(field=st.sampled_from(["start", "next_review"]), day=st.dates())
def test_any_date_is_accepted_or_refused_cleanly(field: str, day: date) -> None:
    """Dates near the calendar's ends are refused with library errors, not OverflowError."""
    _library_errors_only(lambda: plan(**{field: day}))


@given(on=st.dates(), junk=garbage)
def test_plan_methods_and_rules_never_crash(on: date, junk: Any) -> None:
    """On any day the rules judge without crashing, and the methods refuse junk cleanly."""
    subject = plan()
    report = cc.validate(subject, PLAN_RULES, on=on)
    assert all("failed to run" not in f.message for f in report.findings)
    _library_errors_only(lambda: subject.review_due(junk))
    _library_errors_only(lambda: subject.reviewed(junk))
    _library_errors_only(lambda: subject.reviewed(on, junk))
    _library_errors_only(lambda: subject.with_aftercare(junk))


# ---- issue 13: frequencies at the edges --------------------------------------------------------


class TestFrequencyEdges:
    @pytest.mark.parametrize("per_week", [10**400, 5e-324, 2**53, 1e308])
    def test_absurd_frequencies_are_refused_naming_per_week(self, per_week: float) -> None:
        """Issue 13: Intervention(per_week=10**400) raised OverflowError, and per_week=5e-324
        made fhir.care_plan overflow computing its period."""
        with pytest.raises(cc.InvalidValueError) as caught:
            Intervention(S.GROUP_THERAPY, per_week, CareRole.THERAPIST)
        assert caught.value.field == "per_week"
        assert "from 1/52 (once a year) to 168" in caught.value.expected

    def test_once_a_year_is_the_least_and_every_hour_the_most(self) -> None:
        """_MIN_PER_WEEK (1/52) and _MAX_PER_WEEK (168) are taken; just past them is refused."""
        assert Intervention(S.GROUP_THERAPY, 1 / 52, CareRole.THERAPIST).per_week == 1 / 52
        assert Intervention(S.GROUP_THERAPY, 168, CareRole.THERAPIST).per_week == 168.0
        for per_week in (math.nextafter(1 / 52, 0), math.nextafter(168, 169)):
            with pytest.raises(cc.InvalidValueError):
                Intervention(S.GROUP_THERAPY, per_week, CareRole.THERAPIST)
