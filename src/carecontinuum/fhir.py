"""FHIR R4 resources from treatment plans, episodes and calendars: `care_plan`,
`episode_of_care` and `appointments`, and the level-of-care codings they carry (`level_coding`,
`level_from_coding`).

The functions return plain JSON-safe dicts (strings, numbers, lists and dicts, dates as ISO
8601) ready for ``json.dumps`` or a FHIR client; this module imports no FHIR library, and
``import carecontinuum`` never imports this module. The test suite validates every output
against the R4B models of ``fhir.resources`` (a test dependency only).

**Code systems.** Neither ASAM (3rd or 4th edition) nor LOCUS publishes a canonical FHIR code
system for its levels of care, and HL7 defines none. The system URIs below are therefore
carecontinuum's own, one per scheme, and stable: a coding ``{system: ASAM3_SYSTEM, code:
"2.1"}`` always means ASAM 3rd edition level 2.1. State guides define systems of their own
(Colorado's behavioral-health guide codes ASAM levels in a jurisdiction-specific system, with
codes such as ``"3.7x"`` that are not ASAM's), which a caller may add beside ours; the library
does not map to them. Services, care-team roles, aftercare services and the plan category are
likewise coded in carecontinuum systems (each code is the enum's value, lower case, with
hyphens for spaces), and each coding has a display and each concept a text, so a reader who
does not know the systems still reads them.

**The client.** The library knows a client only by an opaque id, so subjects and patients are
logical references: ``{"type": "Patient", "identifier": {"value": client_id}}``. There is no
identifier ``system`` (the id's namespace belongs to the clinic, not to this library) and no
literal ``reference``; a caller who knows the Patient resource can add either.

>>> from carecontinuum import catalogs, fhir
>>> fhir.level_coding(catalogs.ASAM3["2.1"])
{'system': 'https://carecontinuum.dev/fhir/CodeSystem/level-of-care-asam3', 'code': '2.1',
 'display': 'Intensive Outpatient Services'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final

from . import catalogs
from ._attendance import Attendance, AttendanceStatus
from ._calendar import Calendar, ScheduledSession
from ._episode import Episode
from ._errors import InvalidTypeError, InvalidValueError, UnknownLevelError
from ._levels import LevelOfCare
from ._plan import Aftercare, CareRole, Intervention, Objective, TreatmentPlan
from ._program import ProgramStructure, Session
from ._validators import check_optional_day

__all__ = [
    "AFTERCARE_SERVICE_SYSTEM",
    "ASAM3_SYSTEM",
    "ASAM4_SYSTEM",
    "CARE_PLAN_CATEGORY_SYSTEM",
    "CARE_ROLE_SYSTEM",
    "GENERIC_SYSTEM",
    "LEVEL_OF_CARE_EXTENSION",
    "LEVEL_SYSTEMS",
    "LOCUS_SYSTEM",
    "SERVICE_SYSTEM",
    "appointments",
    "care_plan",
    "episode_of_care",
    "level_coding",
    "level_from_coding",
]

# The URIs are written out in full, so the API reference shows each value.
#: Levels of the common continuum of program descriptions (`catalogs.GENERIC`).
GENERIC_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/level-of-care-generic"
#: ASAM Criteria 3rd edition levels (`catalogs.ASAM3`); no canonical FHIR system exists.
ASAM3_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/level-of-care-asam3"
#: ASAM Criteria 4th edition levels (`catalogs.ASAM4`); no canonical FHIR system exists.
ASAM4_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/level-of-care-asam4"
#: LOCUS Adult Version 20 levels (`catalogs.LOCUS`); no canonical FHIR system exists.
LOCUS_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/level-of-care-locus"

#: Scheme name -> the system URI of its levels (read-only).
LEVEL_SYSTEMS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "GENERIC": GENERIC_SYSTEM,
        "ASAM3": ASAM3_SYSTEM,
        "ASAM4": ASAM4_SYSTEM,
        "LOCUS": LOCUS_SYSTEM,
    }
)
_SCHEME_BY_SYSTEM: Final[Mapping[str, str]] = MappingProxyType(
    {uri: scheme for scheme, uri in LEVEL_SYSTEMS.items()}
)

#: `carecontinuum.Service` codes (an intervention's or a session's service).
SERVICE_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/service"
#: `carecontinuum.CareRole` codes (the care-team role responsible for an intervention).
CARE_ROLE_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/care-role"
#: `carecontinuum.AftercareService` codes.
AFTERCARE_SERVICE_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/aftercare-service"
#: The category of the plans this module writes: code ``behavioral-health``. (The R4 binding of
#: ``CarePlan.category`` is an example SNOMED CT value set; no code for it was confirmed.)
CARE_PLAN_CATEGORY_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/care-plan-category"
#: Extension (``valueCodeableConcept``) naming the level of care of an
#: ``EpisodeOfCare.statusHistory`` entry: the level of that stay.
LEVEL_OF_CARE_EXTENSION: Final = "https://carecontinuum.dev/fhir/StructureDefinition/level-of-care"

_DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_US_PER_SECOND: Final = 1_000_000


# ---- levels -----------------------------------------------------------------------------


def level_coding(level: LevelOfCare) -> dict[str, Any]:
    """The FHIR Coding of a catalog level: its scheme's system URI, its code and its name.

    Args:
        level: A level of one of `carecontinuum.catalogs` (GENERIC, ASAM3, ASAM4, LOCUS).

    Returns:
        ``{"system": ..., "code": level.code, "display": level.name}``, with the system from
        `LEVEL_SYSTEMS`. `level_from_coding` reads it back to the same level.

    Raises:
        InvalidTypeError: `level` is not a LevelOfCare.
        InvalidValueError: a level of a scheme with no system here (a custom continuum),
            naming ``level.scheme``.
        UnknownLevelError: a level carrying a catalog's scheme that is not in that catalog.

    >>> from carecontinuum import catalogs
    >>> level_coding(catalogs.LOCUS["3"])["system"]
    'https://carecontinuum.dev/fhir/CodeSystem/level-of-care-locus'
    >>> level_coding(catalogs.ASAM4["2.5"])["display"]
    'High-Intensity Outpatient'
    """
    if not isinstance(level, LevelOfCare):
        raise InvalidTypeError("level", level, "a LevelOfCare")
    system = LEVEL_SYSTEMS.get(level.scheme)
    if system is None:
        raise InvalidValueError(
            "level.scheme", level.scheme, f"a catalog scheme ({', '.join(LEVEL_SYSTEMS)})"
        )
    member = catalogs.ALL[level.scheme].level(level)  # refuses a look-alike not in the catalog
    return {"system": system, "code": member.code, "display": member.name}


def level_from_coding(coding: Mapping[str, Any]) -> LevelOfCare:
    """The catalog level a FHIR Coding names: the inverse of `level_coding`.

    Only ``system`` and ``code`` are read (a ``display`` is not checked). A code may be one of
    the level's aliases (``"III.7-D"`` for ASAM 3rd edition's ``"3.7-WM"``): it resolves to
    the level, as `carecontinuum.Continuum` look-ups do.

    Args:
        coding: A Coding as a mapping, such as one from `level_coding`.

    Raises:
        InvalidTypeError: `coding` is not a mapping, or its system or code is not a string.
        InvalidValueError: a system that is not one of `LEVEL_SYSTEMS`, naming
            ``coding.system``.
        UnknownLevelError: a code that is not a level of the system's scheme.

    >>> from carecontinuum import catalogs
    >>> level_from_coding({"system": ASAM3_SYSTEM, "code": "2.1"}) == catalogs.ASAM3["2.1"]
    True
    >>> level_from_coding({"system": LOCUS_SYSTEM, "code": "9"})
    Traceback (most recent call last):
    ...
    carecontinuum.UnknownLevelError: ...
    """
    if not isinstance(coding, Mapping):
        raise InvalidTypeError("coding", coding, "a Coding as a mapping")
    system = coding.get("system")
    code = coding.get("code")
    if not isinstance(system, str):
        raise InvalidTypeError("coding.system", system, "a system URI string")
    if not isinstance(code, str):
        raise InvalidTypeError("coding.code", code, "a level code string")
    scheme = _SCHEME_BY_SYSTEM.get(system)
    if scheme is None:
        raise InvalidValueError(
            "coding.system",
            system,
            f"one of the level systems ({', '.join(LEVEL_SYSTEMS.values())})",
        )
    return catalogs.ALL[scheme][code]


def _level_concept(level: LevelOfCare) -> dict[str, Any]:
    """A CodeableConcept for a level: coded for catalog levels, text only for any other."""
    text = f"{level.scheme} {level.code}: {level.name}"
    try:
        return {"coding": [level_coding(level)], "text": text}
    except (InvalidValueError, UnknownLevelError):
        return {"text": text}


# ---- shared pieces ----------------------------------------------------------------------


def _check_id(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidTypeError("id", value, "a FHIR id string or None")
    if not _FHIR_ID.fullmatch(value):
        raise InvalidValueError("id", value, "1-64 letters, digits, '-' or '.' (a FHIR id)")
    return value


def _check_on(value: object) -> date | None:
    return check_optional_day("on", value)


def _client(client_id: str) -> dict[str, Any]:
    return {"type": "Patient", "identifier": {"value": client_id}}


def _day(value: date) -> str:
    return date(value.year, value.month, value.day).isoformat()


def _period(start: date, end: date | None) -> dict[str, Any]:
    period = {"start": _day(start)}
    if end is not None:
        period["end"] = _day(end)
    return period


def _slug(value: str) -> str:
    return value.lower().replace(" ", "-")


def _concept(system: str, value: str) -> dict[str, Any]:
    """A CodeableConcept from one of the library's enums' values."""
    display = value[:1].upper() + value[1:]
    return {"coding": [{"system": system, "code": _slug(value), "display": display}],
            "text": display}  # fmt: skip


def _number(value: Fraction | float) -> int | float:
    """A JSON number: an int when whole, else a float."""
    return int(value) if value == int(value) else float(value)


def _us(value: timedelta) -> int:
    return (value.days * 86_400 + value.seconds) * _US_PER_SECOND + value.microseconds


def _time_of_day(value: time) -> str:
    text = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    return f"{text}.{value.microsecond:06d}" if value.microsecond else text


def _duration(value: timedelta) -> tuple[int | float, str]:
    """A session's length as (duration, durationUnit): whole hours in ``h``, whole minutes in
    ``min``, anything finer in ``s``."""
    us = _us(value)
    for unit, size in (("h", 3600 * _US_PER_SECOND), ("min", 60 * _US_PER_SECOND)):
        if us % size == 0:
            return us // size, unit
    return _number(Fraction(us, _US_PER_SECOND)), "s"


def _per_week(per_week: float) -> dict[str, Any]:
    """Timing.repeat frequency and period for `per_week` sessions a week: 3 -> 3 per 1 wk,
    0.5 -> 1 per 2 wk, 1.5 -> 3 per 2 wk; a rate with no small fraction is 1 per 1/rate wk."""
    ratio = Fraction(per_week).limit_denominator(52)
    if ratio.numerator >= 1 and float(ratio) == per_week:
        return {"frequency": ratio.numerator, "period": ratio.denominator, "periodUnit": "wk"}
    return {"frequency": 1, "period": _number(1 / per_week), "periodUnit": "wk"}


def _per_week_text(per_week: float) -> str:
    count = f"{_number(per_week)}"
    return "once a week" if per_week == 1 else f"{count} times a week"


# ---- the care plan ----------------------------------------------------------------------


def _phase(plan: TreatmentPlan, on: date | None) -> str:
    if on is None:
        return "undated"
    if on < plan.start:
        return "before"
    return "after" if on > plan.end else "during"


_PLAN_STATUS: Final = {"undated": "active", "before": "active", "during": "active",
                       "after": "completed"}  # fmt: skip
_ACTIVITY_STATUS: Final = {"undated": "scheduled", "before": "not-started",
                           "during": "in-progress", "after": "completed"}  # fmt: skip
_GOAL_STATUS: Final = {"undated": "active", "before": "planned", "during": "active",
                       "after": "completed"}  # fmt: skip
_AFTERCARE_STATUS: Final = {"undated": "not-started", "before": "not-started",
                            "during": "not-started", "after": "unknown"}  # fmt: skip


def _role_id(role: CareRole) -> str:
    return f"role-{_slug(role.name.replace('_', ' '))}"


def _session_groups(sessions: Iterable[Session]) -> list[list[Session]]:
    """Sessions sharing a start time, a length and a cadence, in week order: each group is one
    Timing (a Timing's days and times combine as a cross product, so a group must share them)."""
    groups: dict[tuple[time, int, int, int], list[Session]] = {}
    for session in sessions:
        key = (session.start, _us(session.duration), session.every_weeks, session.week_offset)
        groups.setdefault(key, []).append(session)
    return list(groups.values())


def _program_activities(
    program: ProgramStructure, start: date, end: date, status: str
) -> list[dict[str, Any]]:
    level = _level_concept(program.level)
    name = program.name or program.level.name
    activities = []
    for group in _session_groups(program.sessions):
        first = group[0]
        at_least = sum(s.occurrences(program.min_weeks) for s in group)
        at_most = sum(s.occurrences(program.max_weeks) for s in group)
        if not at_most:
            continue  # its first week lies beyond the longest run of the program
        duration, unit = _duration(first.duration)
        repeat: dict[str, Any] = {
            # A session held from week k of the program is bounded from that week.
            "boundsPeriod": _period(start + timedelta(weeks=first.week_offset), end),
        }
        if at_least:
            repeat["count"] = at_least
            if at_most != at_least:
                repeat["countMax"] = at_most
        repeat.update(
            {
                "duration": duration,
                "durationUnit": unit,
                "frequency": len(group),
                "period": first.every_weeks,
                "periodUnit": "wk",
                "dayOfWeek": [_DAYS[s.weekday.value] for s in group],
                "timeOfDay": [_time_of_day(first.start)],
            }
        )
        clinical = sorted({s.clinical_duration.total_hours() for s in group})
        hours = " or ".join(f"{_number(h)}" for h in clinical)
        every = f", every {first.every_weeks} weeks" if first.every_weeks > 1 else ""
        activities.append(
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "code": level,
                    "status": status,
                    "scheduledTiming": {"repeat": repeat},
                    "description": (
                        f"Program sessions ({name}): "
                        f"{', '.join(s.weekday.name.title() for s in group)} "
                        f"{first.start:%H:%M}-{first.end:%H:%M}{every}; "
                        f"{hours} clinical hours a session"
                    ),
                }
            }
        )
    return activities


def _intervention_activity(
    item: Intervention, goal_id: str, objective: Objective, bounds: dict[str, Any], status: str
) -> dict[str, Any]:
    role = item.role.value
    text = (
        f"{item.service.value[:1].upper()}{item.service.value[1:]} "
        f"{_per_week_text(item.per_week)}, by the {role}, towards the objective "
        f"'{objective.description}' (target {_day(objective.target)})"
    )
    if item.description:
        text += f": {item.description}"
    return {
        "detail": {
            "kind": "ServiceRequest",
            "code": _concept(SERVICE_SYSTEM, item.service.value),
            "goal": [{"reference": f"#{goal_id}"}],
            "status": status,
            "scheduledTiming": {"repeat": {"boundsPeriod": bounds, **_per_week(item.per_week)}},
            "performer": [{"reference": f"#{_role_id(item.role)}", "display": role}],
            "description": text,
        }
    }


def _aftercare_activities(aftercare: Aftercare, status: str) -> list[dict[str, Any]]:
    suffix = f" ({aftercare.note})" if aftercare.note else ""
    activities = []
    if aftercare.next_level is not None:
        activities.append(
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "code": _level_concept(aftercare.next_level),
                    "status": status,
                    "description": f"Aftercare: step to {aftercare.next_level}{suffix}",
                }
            }
        )
    for service in aftercare.services:
        activities.append(
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "code": _concept(AFTERCARE_SERVICE_SYSTEM, service.value),
                    "status": status,
                    "description": f"Aftercare: {service.value}{suffix}",
                }
            }
        )
    return activities


def care_plan(
    plan: TreatmentPlan, *, id: str | None = None, on: date | str | None = None
) -> dict[str, Any]:
    """A FHIR R4 CarePlan resource, as a JSON-safe dict, for a treatment plan.

    The mapping:

    - ``status``: ``"active"``, or ``"completed"`` when `on` is after the plan's `end`;
      ``intent``: ``"plan"``; ``subject``: the client as a logical reference by identifier
      (``{"type": "Patient", "identifier": {"value": plan.client_id}}``; no display, no
      literal reference). These three are always present.
    - ``period``: the plan's ``start`` to its ``end`` (ISO dates); ``title`` and
      ``description`` name the program, the level and the review cadence.
    - ``category``: behavioral health (`CARE_PLAN_CATEGORY_SYSTEM`) and the program's level
      of care as a CodeableConcept (see `level_coding`).
    - ``contained``: a ``Condition`` per problem (``problem-0``...; code text only), a
      ``Goal`` per goal (``goal-0-1`` for ``problems[0].goals[1]``) whose targets are its
      objectives (``measure.text``, ``dueDate``), and a ``PractitionerRole`` per care-team
      role used (``role-addiction-counselor``..., coded in `CARE_ROLE_SYSTEM`).
      ``addresses`` refers to the Conditions and ``goal`` to the Goals.
    - ``activity``: first the program's sessions, one activity per group of sessions sharing
      a start time, length and cadence, coded with the level of care, with a Timing
      (``dayOfWeek``, ``timeOfDay``, ``duration``/``durationUnit`` of the whole session,
      breaks included; ``frequency`` per ``period`` weeks; ``count``/``countMax`` sessions
      over the program's length; ``boundsPeriod`` the plan's period, from the first week the
      sessions are held); then one activity per
      intervention, coded in `SERVICE_SYSTEM`, referring to its Goal, its Timing
      ``frequency``/``period`` from ``per_week``, ``performer`` the contained role and
      ``description`` naming the role and the objective; then aftercare, if planned.
    - ``note``: the discharge criteria, one markdown list, when there are any.

    Activity statuses follow `on`: ``scheduled`` when `on` is None; ``not-started`` before
    the plan's start, ``in-progress`` during it, ``completed`` after its end (aftercare:
    ``not-started``, or ``unknown`` after the end). Goals are ``active`` (``planned`` before
    the start, ``completed`` after the end).

    Args:
        plan: The treatment plan.
        id: The resource's logical id (a FHIR id: 1-64 letters, digits, '-' or '.'); omitted
            when None.
        on: The day the resource describes the plan on; None for no day (statuses as above).

    Raises:
        InvalidTypeError, InvalidValueError: `plan` is not a TreatmentPlan, `id` is not a FHIR
            id, or `on` is not a date.

    >>> from datetime import date
    >>> import carecontinuum as cc
    >>> intake = cc.Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1},
    ...                        date(2026, 2, 27), client_id="c-104")
    >>> placed = cc.place(intake, cc.catalogs.ASAM3)
    >>> iop = cc.ProgramStructure.weekly(placed.chosen, days=["mon", "wed", "fri"],
    ...                                  hours_per_session=3, weeks=8, start="18:00")
    >>> groups = cc.Intervention(cc.Service.GROUP_THERAPY, 3, cc.CareRole.ADDICTION_COUNSELOR)
    >>> plan = cc.TreatmentPlan(
    ...     "c-104", intake, placed, iop,
    ...     [cc.Problem("Alcohol use disorder", [cc.Goal("Maintain abstinence", [
    ...         cc.Objective("Names three triggers", date(2026, 3, 20), [groups])])])],
    ...     start=date(2026, 3, 2), review_every_days=30, next_review=date(2026, 4, 1),
    ...     discharge_criteria=["Completes the relapse-prevention plan"])
    >>> resource = care_plan(plan, id="plan-104")
    >>> resource["status"], resource["intent"], resource["subject"]
    ('active', 'plan', {'type': 'Patient', 'identifier': {'value': 'c-104'}})
    >>> resource["period"]
    {'start': '2026-03-02', 'end': '2026-04-26'}
    >>> program, intervention = resource["activity"]
    >>> program["detail"]["code"]["coding"][0]["code"]
    '2.1'
    >>> program["detail"]["scheduledTiming"]["repeat"]
    {'boundsPeriod': {'start': '2026-03-02', 'end': '2026-04-26'}, 'count': 24,
     'duration': 3, 'durationUnit': 'h', 'frequency': 3, 'period': 1, 'periodUnit': 'wk',
     'dayOfWeek': ['mon', 'wed', 'fri'], 'timeOfDay': ['18:00:00']}
    >>> intervention["detail"]["performer"], intervention["detail"]["goal"]
    ([{'reference': '#role-addiction-counselor', 'display': 'addiction counselor'}],
     [{'reference': '#goal-0-0'}])
    >>> care_plan(plan, on=date(2026, 5, 1))["status"]
    'completed'
    """
    if not isinstance(plan, TreatmentPlan):
        raise InvalidTypeError("plan", plan, "a TreatmentPlan")
    resource_id = _check_id(id)
    phase = _phase(plan, _check_on(on))
    program = plan.program
    subject = _client(plan.client_id)
    bounds = _period(plan.start, plan.end)
    activity_status = _ACTIVITY_STATUS[phase]

    conditions: list[dict[str, Any]] = []
    goals: list[dict[str, Any]] = []
    interventions: list[dict[str, Any]] = []
    roles: dict[CareRole, None] = {}
    for p, problem in enumerate(plan.problems):
        problem_id = f"problem-{p}"
        conditions.append(
            {
                "resourceType": "Condition",
                "id": problem_id,
                "code": {"text": problem.description},
                "subject": subject,
            }
        )
        for g, goal in enumerate(problem.goals):
            goal_id = f"goal-{p}-{g}"
            resource: dict[str, Any] = {
                "resourceType": "Goal",
                "id": goal_id,
                "lifecycleStatus": _GOAL_STATUS[phase],
                "description": {"text": goal.description},
                "subject": subject,
                "startDate": _day(plan.start),
                "addresses": [{"reference": f"#{problem_id}"}],
            }
            if goal.objectives:
                resource["target"] = [
                    {"measure": {"text": o.description}, "dueDate": _day(o.target)}
                    for o in goal.objectives
                ]
            goals.append(resource)
            for objective in goal.objectives:
                for item in objective.interventions:
                    roles[item.role] = None
                    interventions.append(
                        _intervention_activity(item, goal_id, objective, bounds, activity_status)
                    )
    practitioner_roles = [
        {
            "resourceType": "PractitionerRole",
            "id": _role_id(role),
            "code": [_concept(CARE_ROLE_SYSTEM, role.value)],
        }
        for role in roles
    ]

    activities = _program_activities(program, plan.start, plan.end, activity_status)
    activities += interventions
    if plan.aftercare is not None:
        activities += _aftercare_activities(plan.aftercare, _AFTERCARE_STATUS[phase])

    name = program.name or program.level.name
    result: dict[str, Any] = {"resourceType": "CarePlan"}
    if resource_id is not None:
        result["id"] = resource_id
    result["contained"] = [*conditions, *goals, *practitioner_roles]
    result.update(
        {
            "status": _PLAN_STATUS[phase],
            "intent": "plan",
            "category": [
                _concept(CARE_PLAN_CATEGORY_SYSTEM, "behavioral health"),
                _level_concept(program.level),
            ],
            "title": f"Treatment plan: {name}",
            "description": (
                f"Treatment plan in {name} ({program.level}), "
                f"{program.weekly_hours.total_hours():g} clinical hours a week; reviewed "
                f"every {plan.review_every_days} days, next review {_day(plan.next_review)}."
            ),
            "subject": subject,
            "period": bounds,
            "addresses": [{"reference": f"#{c['id']}"} for c in conditions],
        }
    )
    if goals:
        result["goal"] = [{"reference": f"#{g['id']}"} for g in goals]
    if activities:
        result["activity"] = activities
    if plan.discharge_criteria:
        items = "\n".join(f"- {c}" for c in plan.discharge_criteria)
        result["note"] = [{"text": f"Discharge criteria:\n{items}"}]
    return result


# ---- the episode of care ----------------------------------------------------------------


def episode_of_care(episode: Episode, *, id: str | None = None) -> dict[str, Any]:
    """A FHIR R4 EpisodeOfCare resource, as a JSON-safe dict, for an episode.

    The mapping:

    - ``status``: ``"active"`` while the episode is open, ``"finished"`` once discharged.
    - ``statusHistory``: one entry per main stay, in order, each ``"active"`` over the stay's
      period (start to end; no end while it goes on) and naming its level in the extension
      `LEVEL_OF_CARE_EXTENSION`. As in the library, a stay ends on the day the next begins
      (or on the discharge day), so adjacent entries share that day.
    - ``patient``: the client as a logical reference by identifier (as in `care_plan`).
    - ``period``: admission to discharge (no end while open).
    - ``type``: each level delivered, main stays first, then services that ran alongside,
      each once, as CodeableConcepts coded with the scheme's system URI (`level_coding`).

    Args:
        episode: The episode.
        id: The resource's logical id (a FHIR id); omitted when None.

    Raises:
        InvalidTypeError, InvalidValueError: `episode` is not an Episode, or `id` is not a
            FHIR id.

    >>> import pendulum
    >>> import carecontinuum as cc
    >>> episode = (cc.Episode.admit("c-7", "PHP", pendulum.date(2026, 2, 9),
    ...                             continuum=cc.catalogs.GENERIC)
    ...            .step_to("IOP", pendulum.date(2026, 3, 2), "stable")
    ...            .discharge(pendulum.date(2026, 4, 27), cc.DischargeReason.COMPLETED))
    >>> resource = episode_of_care(episode)
    >>> resource["status"], resource["period"]
    ('finished', {'start': '2026-02-09', 'end': '2026-04-27'})
    >>> [(h["status"], h["period"]["start"]) for h in resource["statusHistory"]]
    [('active', '2026-02-09'), ('active', '2026-03-02')]
    >>> [t["coding"][0]["code"] for t in resource["type"]]
    ['PHP', 'IOP']
    """
    if not isinstance(episode, Episode):
        raise InvalidTypeError("episode", episode, "an Episode")
    resource_id = _check_id(id)
    history = [
        {
            "extension": [
                {"url": LEVEL_OF_CARE_EXTENSION, "valueCodeableConcept": _level_concept(s.level)}
            ],
            "status": "active",
            "period": _period(s.start, s.end),
        }
        for s in episode.stays
    ]
    levels: dict[tuple[str, str], LevelOfCare] = {}
    for stay in (*episode.stays, *episode.concurrent):
        levels.setdefault((stay.level.scheme, stay.level.code), stay.level)
    result: dict[str, Any] = {"resourceType": "EpisodeOfCare"}
    if resource_id is not None:
        result["id"] = resource_id
    result.update(
        {
            "status": "active" if episode.is_open else "finished",
            "statusHistory": history,
            "type": [_level_concept(level) for level in levels.values()],
            "patient": _client(episode.client_id),
            "period": _period(episode.admitted_on, episode.discharged_on),
        }
    )
    return result


# ---- appointments -----------------------------------------------------------------------

_PARTICIPATION_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
#: Appointment status by attendance; a session with no record is ``booked``.
_APPOINTMENT_STATUS: Final = {
    AttendanceStatus.PRESENT: "fulfilled",
    AttendanceStatus.PARTIAL: "fulfilled",
    AttendanceStatus.ABSENT: "noshow",
    AttendanceStatus.EXCUSED: "cancelled",
}
_MAX_PREFIX: Final = 40  # leaves room for "-YYYY-MM-DD-<index>" within a FHIR id's 64
_REFERENCE_KEYS: Final = frozenset({"reference", "type", "identifier", "display"})
_MINUTE_US: Final = 60 * _US_PER_SECOND


def _instant(moment: datetime) -> str:
    """A FHIR instant: the local time with its offset, or UTC (``Z``) where the offset is not
    one an instant can write (whole minutes, at most 14 hours: old local mean times are not)."""
    offset = moment.utcoffset()
    if (
        offset is not None
        and offset % timedelta(minutes=1) == timedelta(0)
        and abs(offset) <= timedelta(hours=14)
    ):
        return moment.isoformat()
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _check_patient(patient: object) -> dict[str, Any] | None:
    if patient is None:
        return None
    if isinstance(patient, str):
        if not patient or any(c.isspace() for c in patient):
            raise InvalidValueError(
                "patient", patient, "a literal reference such as 'Patient/123' (no spaces)"
            )
        return {"reference": patient}
    if isinstance(patient, Mapping):
        keys = set(patient)
        if not keys or not keys <= _REFERENCE_KEYS or not keys & {"reference", "identifier"}:
            raise InvalidValueError(
                "patient", dict(patient), "a FHIR Reference: 'reference' or 'identifier', "
                "and optionally 'type' and 'display'",
            )  # fmt: skip
        return dict(patient)
    raise InvalidTypeError("patient", patient, "a reference string, a Reference mapping or None")


def _check_prefix(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidTypeError("id_prefix", value, "a string of FHIR id characters")
    if len(value) > _MAX_PREFIX or not _FHIR_ID.fullmatch(value):
        raise InvalidValueError("id_prefix", value, f"1-{_MAX_PREFIX} letters, digits, '-' or '.'")
    return value


def _participant(
    patient: dict[str, Any] | None, client_id: str | None, status: AttendanceStatus | None
) -> dict[str, Any]:
    if patient is None and client_id is not None:
        patient = _client(client_id)
    if patient is None:
        return {
            "type": [
                {
                    "coding": [
                        {"system": _PARTICIPATION_SYSTEM, "code": "SBJ", "display": "subject"}
                    ],
                    "text": "Client (not named)",
                }
            ],
            "required": "required",
            "status": "needs-action",
        }
    declined = status is AttendanceStatus.EXCUSED
    return {
        "actor": patient,
        "required": "required",
        "status": "declined" if declined else "accepted",
    }


def _appointment(
    dated: ScheduledSession,
    *,
    prefix: str,
    name: str,
    level: dict[str, Any],
    participant: dict[str, Any],
    status: str,
    note: str | None,
) -> dict[str, Any]:
    start, end = dated.start, dated.end
    services: dict[str, None] = {}
    for segment in dated.session.segments:
        if segment.is_clinical:
            services[segment.service.value] = None
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": f"{prefix}-{_day(dated.day)}-{dated.index}",
        "status": status,
    }
    if note is not None and status == "cancelled":
        resource["cancelationReason"] = {"text": note}
    resource["serviceType"] = [level, *(_concept(SERVICE_SYSTEM, s) for s in services)]
    resource["description"] = (
        f"{name}: {dated.session.weekday.name.title()} session, "
        f"{start:%H:%M}-{end:%H:%M} {start:%Z}"
    )
    resource["start"] = _instant(start)
    resource["end"] = _instant(end)
    length = _us(dated.duration)
    if length % _MINUTE_US == 0:
        resource["minutesDuration"] = length // _MINUTE_US
    if note is not None and status != "cancelled":
        resource["comment"] = note
    resource["participant"] = [participant]
    return resource


def appointments(
    calendar: Calendar,
    *,
    attendance: Attendance | None = None,
    patient: str | Mapping[str, Any] | None = None,
    id_prefix: str = "session",
) -> list[dict[str, Any]]:
    """FHIR R4 Appointments, as JSON-safe dicts: one per scheduled session of a calendar, held
    or closed, in time order.

    The mapping:

    - ``id``: ``{id_prefix}-{day}-{index}``, the session's local day and its template's place
      in the program (``session-2026-03-02-0``): stable, so a re-send updates. Give each
      program (and each client, with `attendance`) its own `id_prefix` when several calendars
      go to one server.
    - ``start``, ``end``: FHIR instants with the zone's offset on that day
      (``2026-03-09T18:00:00-04:00``), equal to `ScheduledSession.start` and ``end``; the
      elapsed length in ``minutesDuration`` when it is whole minutes.
    - ``status``: without `attendance`, ``booked``. With it, from the session's record:
      PRESENT and PARTIAL ``fulfilled`` (PARTIAL with a ``comment`` of the time attended),
      ABSENT ``noshow``, EXCUSED ``cancelled`` (``cancelationReason`` "Excused absence"); a
      session not yet recorded stays ``booked``. A session on a closure day is ``cancelled``
      (``cancelationReason`` "Clinic closed"). Extra, unscheduled sessions of the attendance
      are not appointments of the calendar and are left out.
    - ``serviceType``: the program's level of care (see `level_coding`), then each clinical
      service of the session, coded in `SERVICE_SYSTEM`; ``description`` names the program,
      the weekday and the local times.
    - ``participant`` (R4 requires one): the client, as `patient` when given; else the
      attendance's ``client_id`` as a logical reference by identifier (as in `care_plan`);
      else a placeholder to replace, typed ``SBJ`` (subject) in HL7's v3 ParticipationType
      system with status ``needs-action`` and no actor. The client's participation status is
      ``declined`` for an excused session and ``accepted`` otherwise.

    Args:
        calendar: The calendar (`carecontinuum.expand`).
        attendance: One client's attendance on this calendar, or None.
        patient: The client's Patient: a literal reference (``"Patient/123"``) or a Reference
            mapping (``{"identifier": {"system": ..., "value": ...}}``), used as given.
        id_prefix: The start of every id: 1-40 letters, digits, '-' or '.'.

    Raises:
        InvalidTypeError, InvalidValueError: `calendar` is not a Calendar, `attendance` is not
            an Attendance of this calendar, `patient` is not a reference, or `id_prefix` is not
            of FHIR id characters.

    >>> import pendulum
    >>> import carecontinuum as cc
    >>> iop = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "fri"],
    ...                                  hours_per_session=3, weeks=1, start="18:00")
    >>> cal = cc.expand(iop, pendulum.date(2026, 3, 6), "America/New_York")
    >>> mon, fri = cal.sessions[1], cal.sessions[0]
    >>> came = cc.Attendance(cal, [cc.AttendanceRecord(fri, cc.AttendanceStatus.PRESENT),
    ...                            cc.AttendanceRecord(mon, cc.AttendanceStatus.ABSENT)])
    >>> booked = appointments(cal, attendance=came, patient="Patient/p-7")
    >>> [(a["id"], a["start"], a["status"]) for a in booked]
    [('session-2026-03-06-1', '2026-03-06T18:00:00-05:00', 'fulfilled'),
     ('session-2026-03-09-0', '2026-03-09T18:00:00-04:00', 'noshow')]
    >>> booked[0]["participant"]
    [{'actor': {'reference': 'Patient/p-7'}, 'required': 'required', 'status': 'accepted'}]
    """
    if not isinstance(calendar, Calendar):
        raise InvalidTypeError("calendar", calendar, "a Calendar")
    if attendance is not None:
        if not isinstance(attendance, Attendance):
            raise InvalidTypeError("attendance", attendance, "an Attendance or None")
        if attendance.calendar != calendar:
            raise InvalidValueError(
                "attendance", str(attendance), "the attendance of this calendar"
            )
    reference = _check_patient(patient)
    prefix = _check_prefix(id_prefix)
    program = calendar.program
    name = program.name or program.level.name
    level = _level_concept(program.level)
    client_id = attendance.client_id if attendance is not None else None
    held = [(s, False) for s in calendar.sessions]
    closed = [(s, True) for s in calendar.closed]
    result = []
    for dated, shut in sorted(held + closed, key=lambda pair: pair[0].start):
        record = None if attendance is None or shut else attendance.record_for(dated)
        state = None if record is None else record.status
        if shut:
            status, note = "cancelled", "Clinic closed"
        elif state is None:
            status, note = "booked", None
        else:
            status = _APPOINTMENT_STATUS[state]
            note = "Excused absence" if state is AttendanceStatus.EXCUSED else None
            if state is AttendanceStatus.PARTIAL and record is not None:
                attended = record.attended.total_seconds() / 60
                scheduled = dated.clinical_duration.total_seconds() / 60
                note = f"Attended {attended:g} of {scheduled:g} minutes of clinical time"
        result.append(
            _appointment(
                dated,
                prefix=prefix,
                name=name,
                level=level,
                participant=_participant(reference, client_id, state),
                status=status,
                note=note,
            )
        )
    return result
