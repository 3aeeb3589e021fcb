"""`PLAN_RULES`: whether a `TreatmentPlan` is complete and current.

The rules encode what clinic software commonly asks of a plan (every problem has a goal, every
goal a measurable objective, objectives due within the stay, interventions the program
delivers, reviews kept on schedule, aftercare in place before discharge), not a regulation.
Two rules judge a plan on a day: pass it as ``validate(plan, PLAN_RULES, on=day)``; without
one they say, in an INFO finding, that they could not judge.

>>> from datetime import date
>>> import carecontinuum as cc
>>> from carecontinuum._plan import CareRole, Goal, Intervention, Objective, Problem
>>> from carecontinuum._plan import TreatmentPlan
>>> iop = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
...                                  hours_per_session=3, weeks=8)
>>> intake = cc.Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1},
...                        date(2026, 2, 27))
>>> plan = TreatmentPlan(
...     "c-104", intake, cc.place(intake, cc.catalogs.ASAM3), iop,
...     [Problem("Alcohol use disorder", [Goal("Maintain abstinence", [
...         Objective("Names three triggers", date(2026, 3, 20), [
...             Intervention(cc.Service.INDIVIDUAL_THERAPY, 1, CareRole.THERAPIST)])])])],
...     start=date(2026, 3, 2), review_every_days=30, next_review=date(2026, 4, 1))
>>> report = cc.validate(plan, PLAN_RULES, on=date(2026, 4, 6))
>>> [(f.rule_id, f.path) for f in report.errors]  # doctest: +NORMALIZE_WHITESPACE
[('PLAN-INTERVENTION-OFFERED', 'problems[0].goals[0].objectives[0].interventions[0].service'),
 ('PLAN-REVIEW-NOT-OVERDUE', 'next_review')]
"""

from __future__ import annotations

from collections.abc import Iterator

from .._plan import TreatmentPlan
from .._rules import Finding, Rule, RuleContext, RuleSet, Severity, Source

__all__ = ["PLAN_RULES"]

_TITLE = "carecontinuum treatment-planning rules"
_NOTE = "Common EHR plan requirements; see the domain notes."


def _source(locator: str) -> Source:
    return Source(_TITLE, locator=locator, note=_NOTE)


def _plan(context: RuleContext) -> TreatmentPlan:
    plan = context.subject
    assert isinstance(plan, TreatmentPlan)
    return plan


def _needs_a_day(context: RuleContext, path: str) -> Finding:
    return context.finding(
        f"Rule {context.rule.id} judges a plan on a given day and none was given; pass "
        "validate(plan, ruleset, on=day).",
        expected="a day to judge on (validate(..., on=day))",
        found="no day given",
        path=path,
        severity=Severity.INFO,
    )


def _problem_has_goal(context: RuleContext) -> Iterator[Finding]:
    for p, problem in enumerate(_plan(context).problems):
        if not problem.goals:
            yield context.finding(
                f"Problem {p + 1} ({problem.description!r}) has no goal.",
                expected="at least one goal for each problem",
                found="no goals",
                path=f"problems[{p}]",
            )


def _goal_has_objective(context: RuleContext) -> Iterator[Finding]:
    for p, problem in enumerate(_plan(context).problems):
        for g, goal in enumerate(problem.goals):
            if not goal.objectives:
                yield context.finding(
                    f"Goal {goal.description!r} of problem {p + 1} has no measurable objective.",
                    expected="at least one measurable objective for each goal",
                    found="no objectives",
                    path=f"problems[{p}].goals[{g}]",
                )


def _objective_target_in_plan(context: RuleContext) -> Iterator[Finding]:
    plan = _plan(context)
    start, end = plan.start, plan.end
    for path, objective in plan.objectives:
        target = objective.target
        if not start <= target <= end:
            when = "before the plan starts" if target < start else "after the plan's latest end"
            yield context.finding(
                f"Objective {objective.description!r} is due {target}, {when} ({start} to {end}).",
                expected=f"a target date from {start} to {end}",
                found=f"target {target}",
                path=f"{path}.target",
            )


def _intervention_offered(context: RuleContext) -> Iterator[Finding]:
    plan = _plan(context)
    offered = plan.program.services
    names = ", ".join(s.value for s in offered)
    for path, item in plan.interventions:
        if item.service not in offered:
            yield context.finding(
                f"The plan calls for {item.service.value}, which the program does not offer "
                f"(it offers {names}).",
                expected=f"a service the program offers ({names})",
                found=item.service.value,
                path=f"{path}.service",
            )


def _review_not_overdue(context: RuleContext) -> Iterator[Finding]:
    plan = _plan(context)
    on = context.on
    if on is None:
        yield _needs_a_day(context, "next_review")
        return
    if on > plan.next_review:
        late = (on - plan.next_review).days
        yield context.finding(
            f"The plan's review was due on {plan.next_review}; on {on} it is {late} "
            f"day{'s' if late != 1 else ''} overdue.",
            expected=f"a review on or before {plan.next_review}",
            found=f"no review recorded by {on}",
            path="next_review",
        )


def _aftercare_before_discharge(context: RuleContext) -> Iterator[Finding]:
    plan = _plan(context)
    on = context.on
    if on is None:
        yield _needs_a_day(context, "aftercare")
        return
    days = context.param("days_before_end")
    # Compared as a count of days: subtracting from the end could leave the calendar.
    if (plan.end - on).days <= days and plan.aftercare is None:
        yield context.finding(
            f"The plan ends by {plan.end} and on {on} has no aftercare plan; one is needed from "
            f"{days:g} days before the end.",
            expected=f"an aftercare plan from {days:g} days before the plan's end ({plan.end})",
            found="no aftercare plan",
            path="aftercare",
        )


#: Whether a treatment plan is complete and current. Not a regulation: ordinary treatment
#: planning as clinic software records it.
PLAN_RULES = RuleSet(
    "PLAN_RULES",
    "2026.1",
    [
        Rule(
            "PLAN-PROBLEM-HAS-GOAL",
            "Every problem has a goal",
            source=_source("problems and goals"),
            check=_problem_has_goal,
            judges=TreatmentPlan,
            tags=("plan",),
        ),
        Rule(
            "PLAN-GOAL-HAS-OBJECTIVE",
            "Every goal has a measurable objective",
            source=_source("goals and objectives"),
            check=_goal_has_objective,
            judges=TreatmentPlan,
            tags=("plan",),
        ),
        Rule(
            "PLAN-OBJECTIVE-TARGET-IN-PLAN",
            "Objective target dates fall within the plan",
            source=_source("objective target dates"),
            check=_objective_target_in_plan,
            judges=TreatmentPlan,
            tags=("plan",),
        ),
        Rule(
            "PLAN-INTERVENTION-OFFERED",
            "Interventions are services the program offers",
            source=_source("interventions"),
            check=_intervention_offered,
            judges=TreatmentPlan,
            tags=("plan",),
        ),
        Rule(
            "PLAN-REVIEW-NOT-OVERDUE",
            "The plan's review is not overdue",
            source=_source("plan reviews"),
            check=_review_not_overdue,
            judges=TreatmentPlan,
            tags=("plan", "dated"),
        ),
        Rule(
            "PLAN-AFTERCARE-BEFORE-DISCHARGE",
            "An aftercare plan exists as discharge nears",
            source=_source("aftercare"),
            check=_aftercare_before_discharge,
            judges=TreatmentPlan,
            params={"days_before_end": 7},
            tags=("plan", "dated"),
        ),
    ],
    description="Completeness and currency of a treatment plan: goals, measurable objectives "
    "dated within the stay, interventions the enrolled program offers, reviews on schedule and "
    "aftercare planned from 7 days before the plan's latest end. These are common EHR plan "
    "requirements and ordinary treatment-planning practice, not a payer's or a state's rule.",
)
