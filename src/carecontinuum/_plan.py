"""Treatment plans: a client's problems, goals, measurable objectives and the interventions that
serve them, with the plan's review cadence, discharge criteria and aftercare.

A plan is written for one enrolment in one program, from an assessment and the placement it led
to. The parts nest as clinicians write them: a problem has goals, a goal has objectives with
target dates, an objective has interventions (a service, how often, who delivers it). Whether a
plan is complete and current (every goal has an objective, targets fall within the stay, the
review is not overdue, aftercare is in place before discharge) is judged by the rule set
`carecontinuum.rulesets.PLAN_RULES`, not by the constructors, so drafts can be written and saved.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

import attrs

from ._errors import InvalidTypeError, InvalidValueError, _echo
from ._frozen import value_eq, value_hash
from ._levels import LevelOfCare
from ._program import ProgramStructure, Service
from ._text import clip, line, number, summary, value_repr
from ._validators import (
    check_day,
    check_enum,
    check_int,
    check_number,
    check_optional_str,
    check_str,
    enum_tuple,
    tuple_of,
)

if TYPE_CHECKING:
    from ._assessment import Assessment, Placement

__all__ = [
    "Aftercare",
    "AftercareService",
    "CareRole",
    "Goal",
    "Intervention",
    "Objective",
    "Problem",
    "TreatmentPlan",
]

#: Sessions a week above this are not a plausible frequency (one every hour of the week).
_MAX_PER_WEEK = 7 * 24

#: The longest review cadence a plan may set, in days: ten years. Plans are reviewed every 30 to
#: 90 days (yearly at the longest), so this refuses only nonsense, and keeps a review's next day
#: a date for any plan starting before the last decade of the calendar.
_MAX_REVIEW_EVERY_DAYS = 3_653

#: Sessions a week below this are not a frequency a treatment plan schedules: less than once a
#: year. (Past it, a rate such as 5e-324 has no period a float can hold: 1 / rate overflows.)
_MIN_PER_WEEK = 1 / 52


class CareRole(enum.Enum):
    """Who on the care team is responsible for an intervention (the care team of the program
    descriptions).

    >>> CareRole.NURSE_PRACTITIONER.value
    'nurse practitioner'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    THERAPIST = "therapist"
    PSYCHIATRIST = "psychiatrist"
    NURSE_PRACTITIONER = "nurse practitioner"
    ADDICTION_COUNSELOR = "addiction counselor"
    CASE_MANAGER = "case manager"
    FAMILY_THERAPIST = "family therapist"
    #: A peer recovery specialist or recovery coach.
    PEER_SPECIALIST = "peer specialist"


class AftercareService(enum.Enum):
    """Support planned for after discharge (the aftercare the program descriptions name).

    >>> AftercareService.ALUMNI.value
    'alumni'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    #: Weekly standard outpatient care: one or two sessions a week.
    STANDARD_OUTPATIENT = "standard outpatient"
    #: Peer recovery groups and fellowships.
    SUPPORT_GROUPS = "support groups"
    #: The program's alumni group.
    ALUMNI = "alumni"
    #: Continued medication management.
    MEDICATION_MANAGEMENT = "medication management"
    #: Recovery coaching or a peer specialist.
    PEER_SUPPORT = "peer support"
    INDIVIDUAL_THERAPY = "individual therapy"
    GROUP_THERAPY = "group therapy"


# ---- field checks, shared by the constructors and the plan's walk of its parts -------------
#
# Each takes `at`, the path prefix of the part ("" when a part checks itself, or
# "problems[0].goals[1]." when the plan checks it), so every error names the field by the path
# the caller would write.


_check_day = check_day


def _check_per_week(field: str, value: object) -> float:
    rate = check_number(
        field,
        value,
        f"a number of sessions a week from 1/52 (once a year) to {_MAX_PER_WEEK}",
        kind="a number of sessions a week (0.5 for fortnightly)",
        minimum=_MIN_PER_WEEK,
        maximum=_MAX_PER_WEEK,
    )
    return float(rate)


def _intervention_fields(
    at: str, service: object, per_week: object, role: object, description: object
) -> tuple[Service, float, CareRole, str | None]:
    checked = check_enum(f"{at}service", service, Service)
    if checked is Service.BREAK:
        raise InvalidValueError(f"{at}service", checked, "a clinical service (not a break)")
    return (
        checked,
        _check_per_week(f"{at}per_week", per_week),
        check_enum(f"{at}role", role, CareRole),
        check_optional_str(f"{at}description", description),
    )


def _objective_fields(
    at: str, description: object, target: object, interventions: object
) -> tuple[str, date, tuple[Intervention, ...]]:
    return (
        check_str(f"{at}description", description),
        _check_day(f"{at}target", target),
        tuple_of(f"{at}interventions", interventions, Intervention, "an Intervention"),
    )


def _goal_fields(
    at: str, description: object, objectives: object
) -> tuple[str, tuple[Objective, ...]]:
    return (
        check_str(f"{at}description", description),
        tuple_of(f"{at}objectives", objectives, Objective, "an Objective"),
    )


def _problem_fields(at: str, description: object, goals: object) -> tuple[str, tuple[Goal, ...]]:
    return (
        check_str(f"{at}description", description),
        tuple_of(f"{at}goals", goals, Goal, "a Goal"),
    )


# ---- the parts of a plan -------------------------------------------------------------------


@attrs.frozen(init=False)
class Intervention:
    """What will be done towards an objective: a service, how often, and who is responsible.

    Args:
        service: The service delivered (`Service.BREAK` is refused: it is not clinical).
        per_week: How often, in sessions a week: a number from 1/52 (once a year) to 168
            (every hour); 0.5 is every other week. Bools are refused; an int is kept as a
            float.
        role: The care-team role responsible for it.
        description: An optional note on what it involves ("CBT for cravings").

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message.

    >>> from carecontinuum import Service
    >>> family = Intervention(Service.FAMILY_THERAPY, 0.5, CareRole.FAMILY_THERAPIST)
    >>> family.per_week, family.role.value
    (0.5, 'family therapist')
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    service: Service
    per_week: float
    role: CareRole
    description: str | None

    def __init__(
        self,
        service: Service | str,
        per_week: float,
        role: CareRole | str,
        *,
        description: str | None = None,
    ) -> None:
        self.__attrs_init__(*_intervention_fields("", service, per_week, role, description))

    def __str__(self) -> str:
        """The service, how often, who, and the note.

        >>> from carecontinuum import Service
        >>> print(Intervention(Service.FAMILY_THERAPY, 0.5, CareRole.FAMILY_THERAPIST))
        family therapy 0.5 a week, by the family therapist
        """
        note = f" ({clip(line(self.description), 48)})" if self.description else ""
        return summary(
            f"{self.service.value} {number(self.per_week)} a week, by the {self.role.value}{note}"
        )


@attrs.frozen(init=False)
class Objective:
    """A measurable step towards a goal, with the date it should be met by.

    Args:
        description: What will be measured ("attends 90% of group sessions").
        target: The date it should be met by (a date, not a datetime). Whether it lies within
            the plan's stay is checked by the rule PLAN-OBJECTIVE-TARGET-IN-PLAN.
        interventions: The interventions serving it; may be empty in a draft.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message
            (``interventions[1]`` for the second intervention).

    >>> from datetime import date
    >>> from carecontinuum import Service
    >>> o = Objective("Names three triggers and a coping plan for each", date(2026, 3, 27),
    ...               [Intervention(Service.GROUP_THERAPY, 3, CareRole.ADDICTION_COUNSELOR)])
    >>> o.target.isoformat(), len(o.interventions)
    ('2026-03-27', 1)
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    description: str
    target: date
    interventions: tuple[Intervention, ...]

    def __init__(
        self, description: str, target: date | str, interventions: Iterable[Intervention] = ()
    ) -> None:
        self.__attrs_init__(*_objective_fields("", description, target, interventions))

    def __str__(self) -> str:
        """The objective, its target day and how many interventions serve it."""
        count = len(self.interventions)
        return summary(
            f"{clip(line(self.description), 72)} by {self.target}",
            f"{count} intervention{'' if count == 1 else 's'}",
        )


@attrs.frozen(init=False)
class Goal:
    """What the client works towards for a problem, broken into measurable objectives.

    Args:
        description: The goal in the client's or clinician's words.
        objectives: Its objectives. A goal without any is accepted here (a draft) and
            reported by the rule PLAN-GOAL-HAS-OBJECTIVE.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message.

    >>> Goal("Maintain abstinence from alcohol").objectives
    ()
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    description: str
    objectives: tuple[Objective, ...]

    def __init__(self, description: str, objectives: Iterable[Objective] = ()) -> None:
        self.__attrs_init__(*_goal_fields("", description, objectives))

    def __str__(self) -> str:
        """The goal and how many objectives it has."""
        count = len(self.objectives)
        return summary(
            clip(line(self.description), 80), f"{count} objective{'' if count == 1 else 's'}"
        )


@attrs.frozen(init=False)
class Problem:
    """A problem the assessment identified, with the goals that address it.

    Args:
        description: The problem as the plan states it ("alcohol use disorder, moderate").
        goals: Its goals. A problem without any is accepted here (a draft) and reported by
            the rule PLAN-PROBLEM-HAS-GOAL.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message.

    >>> p = Problem("Alcohol use disorder", [Goal("Maintain abstinence")])
    >>> p.goals[0].description
    'Maintain abstinence'
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    description: str
    goals: tuple[Goal, ...]

    def __init__(self, description: str, goals: Iterable[Goal] = ()) -> None:
        self.__attrs_init__(*_problem_fields("", description, goals))

    def __str__(self) -> str:
        """The problem and how many goals address it.

        >>> print(Problem("Alcohol use disorder", [Goal("Maintain abstinence")]))
        Alcohol use disorder, 1 goal
        """
        count = len(self.goals)
        return summary(clip(line(self.description), 80), f"{count} goal{'' if count == 1 else 's'}")


@attrs.frozen(init=False)
class Aftercare:
    """The plan for after discharge: the next level of care, support services, or both.

    Args:
        next_level: The level the client steps to (standard outpatient after IOP, say), if
            any; it may be of any scheme.
        services: Support services planned, each at most once.
        note: An optional note (the clinic or group referred to, an appointment made).

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message; an
            aftercare plan with neither a next level nor a service (named as ``services``).

    >>> from carecontinuum.catalogs import GENERIC
    >>> after = Aftercare(GENERIC["OP"], [AftercareService.ALUMNI])
    >>> after.next_level.code, [s.value for s in after.services]
    ('OP', ['alumni'])
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    next_level: LevelOfCare | None
    services: tuple[AftercareService, ...]
    note: str | None

    def __init__(
        self,
        next_level: LevelOfCare | None = None,
        services: Iterable[AftercareService | str] = (),
        note: str | None = None,
    ) -> None:
        if next_level is not None and not isinstance(next_level, LevelOfCare):
            raise InvalidTypeError("next_level", next_level, "a LevelOfCare or None")
        kinds = enum_tuple("services", services, AftercareService)
        if len(set(kinds)) != len(kinds):
            raise InvalidValueError("services", kinds, "each service at most once")
        if next_level is None and not kinds:
            raise InvalidValueError(
                "services", kinds, "at least one service when there is no next_level"
            )
        self.__attrs_init__(next_level, kinds, check_optional_str("note", note))

    def __str__(self) -> str:
        """The next level, the services and the note.

        >>> from carecontinuum.catalogs import GENERIC
        >>> print(Aftercare(GENERIC["OP"], [AftercareService.ALUMNI]))
        aftercare: GENERIC OP, alumni
        """
        level = self.next_level
        return summary(
            "aftercare: " + (f"{level.scheme} {level.code}" if level is not None else "no level"),
            ", ".join(s.value for s in self.services),
            clip(line(self.note), 48) if self.note else "",
        )


# ---- the plan ------------------------------------------------------------------------------


def _check_records(assessment: object, placement: object) -> None:
    """The plan's assessment is an `Assessment` and its placement a `Placement` (the library's
    own: frozen values, so the plan hashes and writes as data)."""
    # Imported here: the assessment module loads the rule engine, which a plan does not need
    # until it is built.
    from ._assessment import Assessment, Placement  # noqa: PLC0415

    if not isinstance(assessment, Assessment):
        raise InvalidTypeError("assessment", assessment, "an Assessment")
    if not isinstance(placement, Placement):
        raise InvalidTypeError("placement", placement, "a Placement")


def _end_of(start: date, weeks: int) -> date | None:
    """The last day of `weeks` weeks from `start`; None past the calendar's end."""
    try:
        return start + timedelta(weeks=weeks, days=-1)
    except OverflowError:
        return None


def _check_tree(problems: tuple[Problem, ...]) -> None:
    """Check every part of the plan again, naming each field by its full path.

    The parts are frozen and checked when built, so this only fails for a part forced past its
    constructor (``object.__setattr__``, a copier that skips ``__init__``); the plan then names
    the field as ``problems[0].goals[1].description`` rather than storing it.
    """
    for p, problem in enumerate(problems):
        at = f"problems[{p}]"
        _problem_fields(f"{at}.", problem.description, problem.goals)
        for g, goal in enumerate(problem.goals):
            at_goal = f"{at}.goals[{g}]"
            _goal_fields(f"{at_goal}.", goal.description, goal.objectives)
            for o, objective in enumerate(goal.objectives):
                at_objective = f"{at_goal}.objectives[{o}]"
                _objective_fields(
                    f"{at_objective}.",
                    objective.description,
                    objective.target,
                    objective.interventions,
                )
                for i, item in enumerate(objective.interventions):
                    _intervention_fields(
                        f"{at_objective}.interventions[{i}].",
                        item.service,
                        item.per_week,
                        item.role,
                        item.description,
                    )


@attrs.frozen(init=False)
class TreatmentPlan:
    """One client's treatment plan for one enrolment: problems, goals, objectives and
    interventions, when it is reviewed, when the client is ready for discharge, and what
    follows.

    The constructor checks each field's shape; whether the plan is complete and current is for
    `carecontinuum.rulesets.PLAN_RULES` to judge (on a given day, for the review and aftercare
    rules). A plan changes only by making a new one (`reviewed`, `with_aftercare`), so each
    version can be kept.

    Args:
        client_id: An opaque, non-empty client id (the library knows nothing else of the
            client). When the assessment carries a string ``client_id``, the two must agree.
        assessment: The `Assessment` the plan is written from.
        placement: The `Placement` made from that assessment (its ``assessment`` must be the
            plan's).
        program: The `ProgramStructure` the client is enrolled in.
        problems: The problems addressed; at least one.
        start: The first day of the plan (a date, not a datetime).
        review_every_days: How often the team reviews the plan, in days: a positive int, at
            most 3,653 (ten years; plans are reviewed every 30 to 90 days, yearly at the
            longest).
        next_review: The day of the next review: on or after `start`.
        discharge_criteria: What must hold for discharge, each a non-empty sentence.
        aftercare: The plan for after discharge, once made.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named by its full path
            (``problems[0].goals[1]``, ``discharge_criteria[2]``).

    >>> from datetime import date
    >>> import carecontinuum as cc
    >>> iop = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                  hours_per_session=3, weeks=8)
    >>> intake = cc.Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1},
    ...                        date(2026, 2, 27), client_id="c-104")
    >>> placed = cc.place(intake, cc.catalogs.ASAM3)
    >>> groups = Intervention(cc.Service.GROUP_THERAPY, 3, CareRole.ADDICTION_COUNSELOR)
    >>> plan = TreatmentPlan(
    ...     "c-104", intake, placed, iop,
    ...     [Problem("Alcohol use disorder", [Goal("Maintain abstinence", [
    ...         Objective("Names three triggers", date(2026, 3, 20), [groups])])])],
    ...     start=date(2026, 3, 2), review_every_days=30, next_review=date(2026, 4, 1),
    ...     discharge_criteria=["Completes the relapse-prevention plan"])
    >>> plan.end.isoformat(), [path for path, _ in plan.interventions]
    ('2026-04-26', ['problems[0].goals[0].objectives[0].interventions[0]'])
    >>> plan.review_due(date(2026, 4, 1))
    True
    >>> later = plan.reviewed(date(2026, 4, 1))
    >>> later.next_review.isoformat(), plan.next_review.isoformat()
    ('2026-05-01', '2026-04-01')
    >>> done = later.with_aftercare(Aftercare(services=[AftercareService.ALUMNI]))
    >>> done.aftercare.services, later.aftercare
    ((<AftercareService.ALUMNI: 'alumni'>,), None)
    >>> print(plan)
    plan for c-104 at ASAM3 2.1: 2026-03-02 to 2026-04-26, 1 problem, 1 goal, 1 objective, ...
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    client_id: str
    assessment: Assessment
    placement: Placement
    program: ProgramStructure
    problems: tuple[Problem, ...]
    start: date
    review_every_days: int
    next_review: date
    discharge_criteria: tuple[str, ...]
    aftercare: Aftercare | None

    def __init__(
        self,
        client_id: str,
        assessment: Assessment,
        placement: Placement,
        program: ProgramStructure,
        problems: Iterable[Problem],
        *,
        start: date | str,
        review_every_days: int,
        next_review: date | str,
        discharge_criteria: Iterable[str] = (),
        aftercare: Aftercare | None = None,
    ) -> None:
        client = check_str("client_id", client_id)
        _check_records(assessment, placement)
        if assessment.client_id is not None and assessment.client_id != client:
            raise InvalidValueError(
                "assessment",
                assessment,
                f"an assessment of the client (client_id {_echo(client, 40)})",
            )
        if placement.assessment != assessment:
            raise InvalidValueError(
                "placement", placement, "the placement made from the plan's assessment"
            )
        if not isinstance(program, ProgramStructure):
            raise InvalidTypeError("program", program, "a ProgramStructure")
        parts = tuple_of("problems", problems, Problem, "a Problem")
        if not parts:
            raise InvalidValueError("problems", parts, "at least one problem")
        _check_tree(parts)
        first = _check_day("start", start)
        if _end_of(first, program.max_weeks) is None:
            raise InvalidValueError("start", first, "a date whose plan ends by 9999-12-31")
        every = check_int(
            "review_every_days", review_every_days, minimum=1, maximum=_MAX_REVIEW_EVERY_DAYS
        )
        review = _check_day("next_review", next_review)
        if review < first:
            raise InvalidValueError("next_review", review, f"on or after start ({first})")
        if isinstance(discharge_criteria, str):
            raise InvalidTypeError(
                "discharge_criteria", discharge_criteria, "a sequence of strings"
            )
        criteria = tuple_of("discharge_criteria", discharge_criteria, str, "a string")
        for i, criterion in enumerate(criteria):
            check_str(f"discharge_criteria[{i}]", criterion)
        if aftercare is not None and not isinstance(aftercare, Aftercare):
            raise InvalidTypeError("aftercare", aftercare, "an Aftercare or None")
        self.__attrs_init__(
            client,
            assessment,
            placement,
            program,
            parts,
            first,
            every,
            review,
            criteria,
            aftercare,
        )

    def __str__(self) -> str:
        """The client, the level chosen, the plan's days, its parts counted and the next review."""
        level = self.placement.chosen
        goals = [g for p in self.problems for g in p.goals]
        objectives = sum(len(g.objectives) for g in goals)
        return summary(
            f"plan for {clip(line(self.client_id), 24)} at {level.scheme} {level.code}: "
            f"{self.start} to {self.end}",
            f"{len(self.problems)} problem{'' if len(self.problems) == 1 else 's'}",
            f"{len(goals)} goal{'' if len(goals) == 1 else 's'}",
            f"{objectives} objective{'' if objectives == 1 else 's'}",
            f"review {self.next_review}",
        )

    @property
    def end(self) -> date:
        """The latest planned last day: `start` plus the program's longest length in weeks,
        less a day (a plan starting on a Monday in an 8-week program ends on the 8th Sunday).
        """
        end = _end_of(self.start, self.program.max_weeks)
        assert end is not None  # the constructor refused starts whose end is not a date
        return end

    @property
    def objectives(self) -> tuple[tuple[str, Objective], ...]:
        """Every objective of the plan with its path (``problems[0].goals[1].objectives[0]``),
        in plan order; ``dict(plan.objectives)`` looks them up by path."""
        return tuple(self._objectives())

    def _objectives(self) -> Iterator[tuple[str, Objective]]:
        for p, problem in enumerate(self.problems):
            for g, goal in enumerate(problem.goals):
                for o, objective in enumerate(goal.objectives):
                    yield f"problems[{p}].goals[{g}].objectives[{o}]", objective

    @property
    def interventions(self) -> tuple[tuple[str, Intervention], ...]:
        """Every intervention of the plan with its path
        (``problems[0].goals[1].objectives[0].interventions[2]``), in plan order."""
        return tuple(
            (f"{path}.interventions[{i}]", item)
            for path, objective in self._objectives()
            for i, item in enumerate(objective.interventions)
        )

    def review_due(self, on: date | str) -> bool:
        """True when the plan's review is due on day `on`: on or after `next_review`.

        Raises:
            InvalidTypeError: `on` is not a date.
        """
        return _check_day("on", on) >= self.next_review

    def reviewed(self, on: date | str, next_review: date | str | None = None) -> TreatmentPlan:
        """The plan as reviewed on day `on`: a new plan whose next review is `next_review`,
        or `on` plus `review_every_days` when omitted. The plan itself is unchanged.

        Raises:
            InvalidTypeError: `on` or `next_review` is not a date.
            InvalidValueError: `on` is before the plan's start, `next_review` is not after
                `on`, or, without `next_review`, `on` plus `review_every_days` is past
                9999-12-31.
        """
        day = _check_day("on", on)
        if day < self.start:
            raise InvalidValueError("on", day, f"on or after the plan's start ({self.start})")
        if next_review is None:
            # Ordinals: `date.max - timedelta(...)` itself overflows for a long cadence.
            if day.toordinal() + self.review_every_days > date.max.toordinal():
                raise InvalidValueError("on", day, "a day whose next review falls by 9999-12-31")
            following = day + timedelta(days=self.review_every_days)
        else:
            following = _check_day("next_review", next_review)
            if following <= day:
                raise InvalidValueError(
                    "next_review", following, f"after the day of the review ({day})"
                )
        return attrs.evolve(self, next_review=following)

    def with_aftercare(self, aftercare: Aftercare) -> TreatmentPlan:
        """A new plan with `aftercare` as its plan for after discharge (replacing any).

        Raises:
            InvalidTypeError: `aftercare` is not an Aftercare.
        """
        if not isinstance(aftercare, Aftercare):
            raise InvalidTypeError("aftercare", aftercare, "an Aftercare")
        return attrs.evolve(self, aftercare=aftercare)
