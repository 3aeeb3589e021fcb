"""FHIR R4 resources from treatment plans, episodes and calendars: `care_plan`,
`episode_of_care`, an episode whole as a transaction Bundle (`bundle`, its programs as
PlanDefinitions) and back (`read_episode`), a calendar's sessions as `appointments`, and the
level-of-care codings they carry (`level_coding`, `level_from_coding`).

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
does not know the systems still reads them. `definitions` gives each of these systems as a
``CodeSystem`` resource, and each extension the module writes as a ``StructureDefinition``, for a
FHIR server or the HL7 validator to load.

**Standard codings beside them.** Where a standard code exists it is written too: HL7's
episodeofcare-type ``da`` on ASAM episodes, v3 ActCode classes on Encounters, and HCPCS Level II
(``http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets``) where a level clearly is the service
a code names: H0015 (alcohol and/or drug intensive outpatient) for ASAM 2.1 and for the common
IOP of a substance-use or co-occurring program, S9480 (intensive outpatient psychiatric services)
for the common IOP of a mental-health program, on an Encounter's ``serviceType``, a CarePlan's
program activity and an Appointment; and G0410 (group psychotherapy in a partial hospitalization
or intensive outpatient program) on an Appointment's group therapy at IOP and PHP levels. The
mapping is approximate: it names the kind of service, not that a program meets the code's
definition (the rule set `carecontinuum.rulesets.HCPCS_H0015` judges that), nor the billed units.

**The client.** The library knows a client only by an opaque id, so subjects and patients are
logical references: ``{"type": "Patient", "identifier": {"value": client_id}}``. The id's
namespace belongs to the clinic, not to this library: `episode_of_care` and `bundle` take the
identifier's ``system`` and a literal ``reference`` to the Patient from the caller.

>>> from carecontinuum import catalogs, fhir
>>> fhir.level_coding(catalogs.ASAM3["2.1"])
{'system': 'https://carecontinuum.dev/fhir/CodeSystem/level-of-care-asam3', 'code': '2.1',
 'display': 'Intensive Outpatient Services'}
"""

from __future__ import annotations

import enum
import functools
import html
import json
import math
import re
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs
import pendulum

from . import catalogs
from ._attendance import Attendance, AttendanceStatus
from ._calendar import Calendar, ScheduledSession
from ._episode import Authorization, Discharge, DischargeReason, Episode, Stay
from ._errors import CareContinuumError, InvalidTypeError, InvalidValueError, UnknownLevelError
from ._levels import LevelOfCare, Setting
from ._plan import Aftercare, AftercareService, CareRole, Intervention, Objective, TreatmentPlan
from ._program import (
    DeliveryMode,
    Modality,
    Population,
    ProgramStructure,
    Segment,
    Service,
    Session,
    Track,
)
from ._span import Span
from ._validators import check_optional_day, check_str

if TYPE_CHECKING:
    from ._assessment import Assessment

__all__ = [
    "AFTERCARE_SERVICE_SYSTEM",
    "ASAM3_SYSTEM",
    "ASAM4_SYSTEM",
    "ASSESSMENT_SYSTEM",
    "AUTHORIZATION_EXTENSION",
    "CARE_PLAN_CATEGORY_SYSTEM",
    "CARE_ROLE_SYSTEM",
    "DISCHARGE_EXTENSION",
    "DELIVERY_MODE_EXTENSION",
    "DELIVERY_MODE_SYSTEM",
    "DISCHARGE_REASON_SYSTEM",
    "EPISODE_PART_SYSTEM",
    "GENERIC_SYSTEM",
    "LEVEL_SYSTEMS",
    "LOCUS_SYSTEM",
    "MODALITY_EXTENSION",
    "MODALITY_SYSTEM",
    "POPULATION_SYSTEM",
    "PROGRAM_DEFINITION_EXTENSION",
    "PROGRAM_EXTENSION",
    "SEGMENT_EXTENSION",
    "SERVICE_SYSTEM",
    "SESSION_EXTENSION",
    "TEDS_SYSTEM",
    "TRACK_SYSTEM",
    "appointments",
    "bundle",
    "care_plan",
    "definitions",
    "episode_of_care",
    "level_coding",
    "level_from_coding",
    "read_episode",
]

_T = TypeVar("_T")

# The URIs are written out in full, so the API reference shows each value.
#: Levels of the common continuum of program descriptions (`catalogs.GENERIC`).
GENERIC_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/level-of-care-generic"
#: ASAM Criteria 3rd edition levels (`catalogs.ASAM3`); no canonical FHIR system exists.
ASAM3_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/level-of-care-asam3"
#: ASAM Criteria 4th edition levels (`catalogs.ASAM4`); no canonical FHIR system exists.
ASAM4_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/level-of-care-asam4"
#: LOCUS Adult Version 20 levels (`catalogs.LOCUS`); no canonical FHIR system exists.
LOCUS_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/level-of-care-locus"
#: SAMHSA's TEDS service settings (`catalogs.TEDS`); SAMHSA publishes no FHIR system.
TEDS_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/level-of-care-teds"

#: Scheme name -> the system URI of its levels (read-only).
LEVEL_SYSTEMS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "GENERIC": GENERIC_SYSTEM,
        "ASAM3": ASAM3_SYSTEM,
        "ASAM4": ASAM4_SYSTEM,
        "LOCUS": LOCUS_SYSTEM,
        "TEDS": TEDS_SYSTEM,
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
#: `carecontinuum.DischargeReason` codes (an Encounter's ``hospitalization.dischargeDisposition``).
DISCHARGE_REASON_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/discharge-reason"
#: What an Encounter of an episode holds (its ``type``): ``stay``, a main stay at a level, or
#: ``concurrent-service``, a service alongside it (opioid treatment beside a level).
EPISODE_PART_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/episode-part"
#: Assessments as Observations: the code is the scheme (``ASAM3``, ``ASAM4``, ``LOCUS``), each
#: component's code the scheme and the dimension (``ASAM3:1``, ``LOCUS:IV-A``).
ASSESSMENT_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/assessment"
#: Extension on an EpisodeOfCare: one payer authorization of a level, with the parts ``level``
#: (valueCodeableConcept), ``period`` (valuePeriod, both days inclusive), and if recorded
#: ``payer`` (valueString), ``nextReview`` (valueDate), ``units`` (valuePositiveInt).
AUTHORIZATION_EXTENSION: Final = "https://carecontinuum.dev/fhir/StructureDefinition/authorization"
#: Extension on an Encounter's ``hospitalization``: the discharge's parts FHIR has no element
#: for, ``referredTo`` (the level referred to, valueCodeableConcept) and ``note`` (valueString).
DISCHARGE_EXTENSION: Final = "https://carecontinuum.dev/fhir/StructureDefinition/discharge"
#: `carecontinuum.Population` codes (a program's PlanDefinition, ``useContext`` ``age``).
POPULATION_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/population"
#: `carecontinuum.Track` codes (a program's PlanDefinition, ``useContext`` ``focus``).
TRACK_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/track"
#: `carecontinuum.DeliveryMode` codes (in `DELIVERY_MODE_EXTENSION`).
DELIVERY_MODE_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/delivery-mode"
#: `carecontinuum.Modality` codes (in `MODALITY_EXTENSION`).
MODALITY_SYSTEM: Final = "https://carecontinuum.dev/fhir/CodeSystem/modality"
#: Extension on an Encounter (valueCanonical): the canonical ``url`` of the PlanDefinition of the
#: program the stay recorded. (HL7's ``workflow-instantiatesCanonical`` says this, but R4 allows
#: it only on Observation, DiagnosticReport, Media, Condition, SupplyDelivery,
#: CommunicationRequest and SupplyRequest, and R4's Encounter has no element for it.)
PROGRAM_DEFINITION_EXTENSION: Final = (
    "https://carecontinuum.dev/fhir/StructureDefinition/program-definition"
)
#: Extension on a program's PlanDefinition (the program's) and on an action (a session's, when
#: it differs), valueCoding in `DELIVERY_MODE_SYSTEM`: how sessions are delivered.
DELIVERY_MODE_EXTENSION: Final = "https://carecontinuum.dev/fhir/StructureDefinition/delivery-mode"
#: Extension on a program's PlanDefinition, one per therapeutic approach (valueCoding in
#: `MODALITY_SYSTEM`).
MODALITY_EXTENSION: Final = "https://carecontinuum.dev/fhir/StructureDefinition/modality"
#: Extension on a PlanDefinition's action (a session), one per segment in order, with the parts
#: ``service`` (valueCoding in `SERVICE_SYSTEM`; none for a break, which is not clinical time),
#: ``duration`` (valueDuration, UCUM ``h``, ``min`` or ``s``) and if named ``label``
#: (valueString).
SEGMENT_EXTENSION: Final = "https://carecontinuum.dev/fhir/StructureDefinition/program-segment"
#: Extension on a PlanDefinition's action (a session), what of a session FHIR's Timing cannot
#: say, each part only when it is not the default: ``weekOffset`` (valueUnsignedInt, the week of
#: the ``period``-week cycle the session is held in, 0-based from the program's first week;
#: default 0) and ``programDay`` (valueBoolean ``false`` for a separate appointment that does not
#: make its day a program day; default true).
SESSION_EXTENSION: Final = "https://carecontinuum.dev/fhir/StructureDefinition/program-session"
#: Extension on an Encounter (valueString), no longer written: the program the stay recorded, as
#: the JSON text of the library's plain data (`carecontinuum.to_dict`, schema
#: ``carecontinuum/1.x``). `read_episode` still reads it, in Bundles of earlier versions.
PROGRAM_EXTENSION: Final = "https://carecontinuum.dev/fhir/StructureDefinition/program"

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


# ---- standard codings beside the library's own ------------------------------------------
#
# HCPCS Level II (HL7 Terminology's system URI) names billable services. Where a level clearly
# is the service a code names, the level's concept carries the code beside the library's own
# coding. The match is of kind, not of figures: H0015 is "a program that operates at least 3
# hours a day and at least 3 days a week", which a 2.1 program of 9 hours on two days is not;
# whether a program meets the code's definition is what the rule set HCPCS_H0015 judges.

_HCPCS: Final = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
#: A level's HCPCS code by the program's track (None: the track is not known). ASAM's levels
#: are addiction treatment whatever the track; the common continuum's IOP is H0015 for
#: substance use (and co-occurring: the H0015 rule set accepts it) and S9480 for mental health,
#: and no code while the track is unknown. LOCUS levels name no single HCPCS service
#: (level 3, "high intensity community based", is more than IOP) and get none.
_HCPCS_BY_LEVEL: Final[Mapping[tuple[str, str], Mapping[Track | None, str]]] = MappingProxyType(
    {
        ("ASAM3", "2.1"): dict.fromkeys((None, *Track), "H0015"),
        ("ASAM4", "2.1"): dict.fromkeys((None, *Track), "H0015"),
        ("GENERIC", "IOP"): {
            Track.SUBSTANCE_USE: "H0015",
            Track.CO_OCCURRING: "H0015",
            Track.MENTAL_HEALTH: "S9480",
        },
    }
)


@functools.cache
def _hcpcs_display(code: str) -> str:
    """The HCPCS code's display, from the library's billing-code data (`rulesets.BILLING_CODES`,
    loaded on first use: rule sets are not needed to write FHIR until a code is)."""
    from .rulesets import BILLING_CODES, BillingSystem  # noqa: PLC0415

    return next(
        c.display for c in BILLING_CODES if c.system is BillingSystem.HCPCS and c.code == code
    )


@functools.cache
def _group_levels() -> frozenset[tuple[str, str]]:
    """Levels at which group therapy is HCPCS G0410 (group psychotherapy in a partial
    hospitalization or intensive outpatient program: the common continuum's IOP and PHP, ASAM's
    2.1 and 2.5), as the billing-code data names them. G0411, interactive group psychotherapy,
    is not written: the library's services do not tell an interactive group apart."""
    from .rulesets import BILLING_CODES, BillingSystem  # noqa: PLC0415

    g0410 = next(c for c in BILLING_CODES if c.system is BillingSystem.HCPCS and c.code == "G0410")
    return frozenset((level.scheme, level.code) for level in g0410.levels)


def _hcpcs_coding(code: str) -> dict[str, str]:
    return {"system": _HCPCS, "code": code, "display": _hcpcs_display(code)}


def _service_type(level: LevelOfCare, program: ProgramStructure | None) -> dict[str, Any]:
    """The CodeableConcept of a level delivered as a program (an Encounter's ``serviceType``, a
    CarePlan's program activity): the level's concept, and the HCPCS code of the service where
    the level (and the program's track, when known) names one."""
    concept = _level_concept(level)
    track = None if program is None else program.track
    code = _HCPCS_BY_LEVEL.get((level.scheme, level.code), {}).get(track)
    if code is not None and "coding" in concept:
        concept["coding"].append(_hcpcs_coding(code))
    return concept


def _service_concept(service: str, level: LevelOfCare) -> dict[str, Any]:
    """A session's service, coded in `SERVICE_SYSTEM`, and group therapy in a PHP or IOP also
    as HCPCS G0410."""
    concept = _concept(SERVICE_SYSTEM, service)
    if service == Service.GROUP_THERAPY.value and (level.scheme, level.code) in _group_levels():
        concept["coding"].append(_hcpcs_coding("G0410"))
    return concept


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


def _display(value: str) -> str:
    """The display of an enum's value: the value with a capital (``Group therapy``)."""
    return value[:1].upper() + value[1:]


def _concept(system: str, value: str) -> dict[str, Any]:
    """A CodeableConcept from one of the library's enums' values."""
    display = _display(value)
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
    level = _service_type(program.level, program)
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
    item: Intervention, goal: str, objective: Objective, bounds: dict[str, Any], status: str
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
            "goal": [{"reference": goal}],
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
    - ``category``: US Core's ``assess-plan`` (assessment and plan of treatment, in
      ``http://hl7.org/fhir/us/core/CodeSystem/careplan-category``), behavioral health
      (`CARE_PLAN_CATEGORY_SYSTEM`) and the program's level of care as a CodeableConcept (see
      `level_coding`).
    - ``text``: a generated narrative (status ``generated``), limited XHTML in a ``div`` of
      the XHTML namespace: the plan's title, level, period and status, its problems, its goals
      (each with the problem it addresses), its interventions and the next review. The plan's
      text is escaped (it reads as text, never as markup); U+FFFE and U+FFFF, which XML cannot
      hold, show as U+FFFD there (the structured elements keep the text exactly).
    - ``meta.profile``: the US Core CarePlan profile
      (``http://hl7.org/fhir/us/core/StructureDefinition/us-core-careplan``), which the
      resource meets: a narrative, ``status``, ``intent``, the ``assess-plan`` category and a
      ``subject``. (US Core asks that a reference to the Patient SHOULD be literal; here the
      client is known by identifier alone: `bundle` takes the literal reference.)
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
    >>> resource["category"][0]["coding"][0]["code"], resource["text"]["status"]
    ('assess-plan', 'generated')
    >>> div = resource["text"]["div"]
    >>> div.startswith('<div xmlns="http://www.w3.org/1999/xhtml">'), "2026-04-01" in div
    (True, True)
    """
    if not isinstance(plan, TreatmentPlan):
        raise InvalidTypeError("plan", plan, "a TreatmentPlan")
    resource_id = _check_id(id)
    phase = _phase(plan, _check_on(on))
    resource, _ = _plan_resource(plan, phase, _client(plan.client_id))
    if resource_id is not None:
        return {"resourceType": "CarePlan", "id": resource_id, **resource}
    return resource


#: The US Core CarePlan profile (US Core 3.1.1 to 8): a narrative (``text``), ``status``,
#: ``intent``, a ``category`` coded ``assess-plan`` in `_US_CORE_CAREPLAN_CATEGORY` and a
#: ``subject``.
_US_CORE_CAREPLAN: Final = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-careplan"
_US_CORE_CAREPLAN_CATEGORY: Final = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
_ASSESS_PLAN: Final = {
    "coding": [{"system": _US_CORE_CAREPLAN_CATEGORY, "code": "assess-plan",
                "display": "Assessment and Plan of Treatment"}],
    "text": "Assessment and plan of treatment",
}  # fmt: skip
#: HL7's R4 extension linking a CarePlan to the EpisodeOfCare it belongs to (R4 has no element).
_EPISODE_OF_CARE_EXTENSION: Final = "http://hl7.org/fhir/StructureDefinition/workflow-episodeOfCare"
_XHTML: Final = "http://www.w3.org/1999/xhtml"
#: Characters XML 1.0 cannot hold that a library string may (the library refuses the others).
_NOT_XML = re.compile("[\ufffe\uffff]")


def _xhtml(text: str) -> str:
    """Text as XHTML character data: markup escaped, a carriage return as a character
    reference (an XML parser would turn it into a line feed), and the two non-characters XML
    cannot hold shown as the replacement character (the structured elements keep the text)."""
    return html.escape(_NOT_XML.sub("\ufffd", text), quote=False).replace("\r", "&#13;")


def _narrative(
    plan: TreatmentPlan, title: str, status: str, goals: list[tuple[str, str]], care: list[str]
) -> dict[str, str]:
    """The generated narrative US Core asks for: the plan, its problems, goals (with the
    problem each addresses), interventions and next review, as limited XHTML."""
    program = plan.program
    parts = [
        f'<div xmlns="{_XHTML}">',
        f"<p><b>{_xhtml(title)}</b> ({_xhtml(f'{program.level.scheme} {program.level.code}')}), "
        f"{_day(plan.start)} to {_day(plan.end)}; {status}.</p>",
    ]
    sections = (
        ("Problems", [_xhtml(p.description) for p in plan.problems]),
        ("Goals", [f"{_xhtml(g)} (problem: {_xhtml(p)})" for g, p in goals]),
        ("Interventions", [_xhtml(text) for text in care]),
    )
    for heading, items in sections:
        if items:
            parts.append(f"<p>{heading}:</p><ul>")
            parts.extend(f"<li>{item}</li>" for item in items)
            parts.append("</ul>")
    parts.append(
        f"<p>Next review {_day(plan.next_review)}; reviewed every "
        f"{plan.review_every_days} days.</p></div>"
    )
    return {"status": "generated", "div": "".join(parts)}


def _plan_resource(
    plan: TreatmentPlan,
    phase: str,
    subject: dict[str, Any],
    goal_url: Callable[[str], str] | None = None,
) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """The CarePlan of a plan (see `care_plan`) and its Goals as (goal id, Goal). With
    `goal_url` None the Goals are contained and none are returned; otherwise (a Bundle) they are
    returned beside the CarePlan, which refers to each as ``goal_url(goal id)``, and each Goal
    names the problem it addresses by ``display`` (the plan's contained Conditions are not
    theirs)."""
    program = plan.program
    bounds = _period(plan.start, plan.end)
    activity_status = _ACTIVITY_STATUS[phase]

    conditions: list[dict[str, Any]] = []
    goals: list[tuple[str, dict[str, Any]]] = []
    goal_refs: list[str] = []
    named: list[tuple[str, str]] = []
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
            reference = f"#{goal_id}" if goal_url is None else goal_url(goal_id)
            resource: dict[str, Any] = {"resourceType": "Goal"}
            if goal_url is None:
                resource["id"] = goal_id
            resource.update(
                {
                    "lifecycleStatus": _GOAL_STATUS[phase],
                    "description": {"text": goal.description},
                    "subject": subject,
                    "startDate": _day(plan.start),
                    "addresses": [
                        {"reference": f"#{problem_id}"}
                        if goal_url is None
                        else {"display": problem.description}
                    ],
                }
            )
            if goal.objectives:
                resource["target"] = [
                    {"measure": {"text": o.description}, "dueDate": _day(o.target)}
                    for o in goal.objectives
                ]
            goals.append((goal_id, resource))
            goal_refs.append(reference)
            named.append((goal.description, problem.description))
            for objective in goal.objectives:
                for item in objective.interventions:
                    roles[item.role] = None
                    interventions.append(
                        _intervention_activity(item, reference, objective, bounds, activity_status)
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
    title = f"Treatment plan: {name}"
    status = _PLAN_STATUS[phase]
    care = [a["detail"]["description"] for a in interventions]
    result: dict[str, Any] = {
        "resourceType": "CarePlan",
        "meta": {"profile": [_US_CORE_CAREPLAN]},
        "text": _narrative(plan, title, status, named, care),
        "contained": [*conditions, *(g for _, g in goals if goal_url is None), *practitioner_roles],
        "status": status,
        "intent": "plan",
        "category": [
            _ASSESS_PLAN,
            _concept(CARE_PLAN_CATEGORY_SYSTEM, "behavioral health"),
            _level_concept(program.level),
        ],
        "title": title,
        "description": (
            f"Treatment plan in {name} ({program.level}), "
            f"{program.weekly_hours.total_hours():g} clinical hours a week; reviewed "
            f"every {plan.review_every_days} days, next review {_day(plan.next_review)}."
        ),
        "subject": subject,
        "period": bounds,
        "addresses": [{"reference": f"#{c['id']}"} for c in conditions],
    }
    if goal_refs:
        result["goal"] = [{"reference": r} for r in goal_refs]
    if activities:
        result["activity"] = activities
    if plan.discharge_criteria:
        items = "\n".join(f"- {c}" for c in plan.discharge_criteria)
        result["note"] = [{"text": f"Discharge criteria:\n{items}"}]
    return result, ([] if goal_url is None else goals)


def _plan_encounter(plan: TreatmentPlan, episode: Episode) -> tuple[str, int] | None:
    """The stay a plan belongs to, as (part, index): a service alongside at the plan's level
    whose days hold the plan's start, else the main stay whose days hold it; None if none."""
    day = plan.start

    def holds(stay: Stay) -> bool:
        return stay.start <= day and (stay.end is None or day < stay.end)

    level = plan.program.level
    for i, stay in enumerate(episode.concurrent):
        if stay.level == level and holds(stay):
            return _SERVICE, i
    for i, stay in enumerate(episode.stays):
        if holds(stay):
            return _STAY, i
    return None


def _check_plans(plans: object, episode: Episode) -> list[TreatmentPlan]:
    if isinstance(plans, (str, bytes, Mapping)) or not isinstance(plans, Iterable):
        raise InvalidTypeError("plans", plans, "an iterable of TreatmentPlans")
    result = list(plans)
    for i, plan in enumerate(result):
        if not isinstance(plan, TreatmentPlan):
            raise InvalidTypeError(f"plans[{i}]", plan, "a TreatmentPlan")
        if plan.client_id != episode.client_id:
            raise InvalidValueError(
                f"plans[{i}].client_id", plan.client_id,
                f"the episode's client ({episode.client_id!r})",
            )  # fmt: skip
    return result


def _plan_entries(
    plans: list[TreatmentPlan], episode: Episode, identity: _Identity
) -> list[dict[str, Any]]:
    """Each plan's Goals, then its CarePlan, linked to the EpisodeOfCare (HL7's
    workflow-episodeOfCare extension) and to the Encounter of its stay (``encounter``)."""
    episode_link = {"url": _EPISODE_OF_CARE_EXTENSION,
                    "valueReference": {"reference": identity.full_url()}}  # fmt: skip
    entries = []
    for i, plan in enumerate(plans):
        where = ("plan", str(i))

        def goal_url(goal_id: str, where: tuple[str, ...] = where) -> str:
            return identity.full_url(*where, goal_id)

        resource, goals = _plan_resource(plan, "undated", identity.patient, goal_url)
        for goal_id, goal in goals:
            part = (*where, goal_id)
            written = goal
            if identity.system is not None:
                written = {"resourceType": "Goal", "identifier": identity.identifier(*part),
                           **goal}  # fmt: skip
            entries.append(_entry(goal_url(goal_id), written, identity.request("Goal", *part)))
        stay = _plan_encounter(plan, episode)
        care_plan: dict[str, Any] = {}
        for key, value in resource.items():
            if key == "status":
                care_plan["extension"] = [episode_link]
                if identity.system is not None:
                    care_plan["identifier"] = identity.identifier(*where)
            care_plan[key] = value
            if key == "subject" and stay is not None:
                part_name, index = stay
                care_plan["encounter"] = {"reference": identity.full_url(part_name, str(index))}
        entries.append(
            _entry(identity.full_url(*where), care_plan, identity.request("CarePlan", *where))
        )
    return entries


# ---- the episode of care ----------------------------------------------------------------
#
# An episode is one EpisodeOfCare and one Encounter per stay (main stays and services
# alongside), each Encounter linked to the EpisodeOfCare. The library's stay ends on the day the
# next begins (exclusive); a FHIR Period's end is the last day of care (inclusive), one day
# before. A stay of no day of care (a move on the day of admission) is a ``cancelled``
# Encounter with a start only.

_ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
_EPISODE_TYPE: Final = "http://terminology.hl7.org/CodeSystem/episodeofcare-type"
_OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
_UCUM: Final = "http://unitsofmeasure.org"
#: Encounter.class for each setting (v3 ActCode): community support is ambulatory care.
_CLASS: Final[Mapping[Setting, tuple[str, str]]] = MappingProxyType(
    {
        Setting.INPATIENT: ("IMP", "inpatient encounter"),
        Setting.RESIDENTIAL: ("NONAC", "inpatient non-acute"),
        Setting.OUTPATIENT: ("AMB", "ambulatory"),
        Setting.COMMUNITY: ("AMB", "ambulatory"),
    }
)
#: Schemes whose episodes are drug and alcohol rehabilitation (episodeofcare-type ``da``).
_DRUG_AND_ALCOHOL: Final = frozenset({"ASAM3", "ASAM4"})
_STAY: Final = "stay"
_SERVICE: Final = "concurrent-service"
_PART_DISPLAY: Final = {_STAY: "Stay at a level of care", _SERVICE: "Service alongside the stay"}
_ONE_DAY: Final = timedelta(days=1)
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")
_PATIENT_REFERENCE = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*://\S+/)?Patient/[A-Za-z0-9\-.]{1,64}")
#: The namespace of the bundle's ``urn:uuid:`` full URLs (uuid5, so the same input gives the
#: same URL).
_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "https://carecontinuum.dev/fhir")


@attrs.frozen
class _Identity:
    """Who the resources are about and the business identifiers they carry."""

    patient: dict[str, Any]
    system: str | None
    value: str

    def identifier(self, *part: str) -> list[dict[str, str]]:
        if self.system is None:
            return []
        return [{"system": self.system, "value": "/".join((self.value, *part))}]

    def full_url(self, *part: str) -> str:
        key = "|".join((self.system or "", self.value, *part))
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"

    def request(self, resource_type: str, *part: str) -> dict[str, str]:
        """A conditional update by business identifier (a re-send updates), or a create."""
        if self.system is None:
            return {"method": "POST", "url": resource_type}
        value = "/".join((self.value, *part))
        query = f"{_query_part(self.system)}|{_query_part(value)}"
        return {"method": "PUT", "url": f"{resource_type}?identifier={query}"}


def _query_part(text: str) -> str:
    return urllib.parse.quote(text, safe=":/")


def _identity(
    episode: Episode,
    patient: object,
    patient_system: object,
    identifier_system: object,
    identifier: object,
    *,
    conditional: bool,
) -> _Identity:
    client = episode.client_id
    reference: dict[str, Any] = {}
    if patient is not None:
        if not isinstance(patient, str):
            raise InvalidTypeError("patient", patient, "a reference string such as 'Patient/123'")
        if not _PATIENT_REFERENCE.fullmatch(patient):
            raise InvalidValueError("patient", patient, "a literal reference such as 'Patient/123'")
        reference["reference"] = patient
    system = _check_uri("patient_system", patient_system)
    if patient is None and system is not None and conditional:
        reference["reference"] = f"Patient?identifier={_query_part(system)}|{_query_part(client)}"
    reference["type"] = "Patient"
    reference["identifier"] = {"value": client} if system is None else {
        "system": system, "value": client}  # fmt: skip
    value = f"{client}/{_day(episode.admitted_on)}"
    if identifier is not None:
        value = check_str("identifier", identifier)
    return _Identity(reference, _check_uri("identifier_system", identifier_system), value)


def _check_uri(field: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidTypeError(field, value, "a system URI string or None")
    if not _URI.fullmatch(value):
        raise InvalidValueError(
            field, value, "an absolute URI such as 'https://clinic.example/ids'"
        )
    return value


def _care_period(start: date, end: date | None) -> dict[str, Any]:
    """A FHIR Period of days of care: the last day inclusive; a stay of no day has a start only."""
    if end is None or end <= start:
        return {"start": _day(start)}
    return {"start": _day(start), "end": _day(end - _ONE_DAY)}


def _authorization_extension(grant: Authorization) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [
        {"url": "level", "valueCodeableConcept": _level_concept(grant.level)},
        {"url": "period", "valuePeriod": _period(grant.start, grant.end)},
    ]
    if grant.payer is not None:
        parts.append({"url": "payer", "valueString": grant.payer})
    if grant.next_review is not None:
        parts.append({"url": "nextReview", "valueDate": _day(grant.next_review)})
    if grant.units is not None:
        parts.append({"url": "units", "valuePositiveInt": grant.units})
    return {"url": AUTHORIZATION_EXTENSION, "extension": parts}


def _episode_resource(episode: Episode, identity: _Identity) -> dict[str, Any]:
    levels: dict[tuple[str, str], LevelOfCare] = {}
    for stay in (*episode.stays, *episode.concurrent):
        levels.setdefault((stay.level.scheme, stay.level.code), stay.level)
    types = [_level_concept(level) for level in levels.values()]
    if episode.continuum.scheme in _DRUG_AND_ALCOHOL:
        types.insert(0, {"coding": [{"system": _EPISODE_TYPE, "code": "da",
                                     "display": "Drug and alcohol rehabilitation"}],
                         "text": "Drug and alcohol rehabilitation"})  # fmt: skip
    admitted, discharged = episode.admitted_on, episode.discharged_on
    history: list[dict[str, Any]] = []
    if discharged is None or discharged > admitted:
        history.append({"status": "active", "period": _care_period(admitted, discharged)})
    if discharged is not None:
        history.append({"status": "finished", "period": {"start": _day(discharged)}})
    result: dict[str, Any] = {"resourceType": "EpisodeOfCare"}
    if episode.authorizations:
        result["extension"] = [_authorization_extension(a) for a in episode.authorizations]
    if identity.system is not None:
        result["identifier"] = identity.identifier()
    result.update(
        {
            "status": "active" if discharged is None else "finished",
            "statusHistory": history,
            "type": types,
            "patient": identity.patient,
            "period": _care_period(admitted, discharged),
        }
    )
    return result


def _encounter(
    stay: Stay,
    *,
    part: str,
    index: int,
    identity: _Identity,
    episode_url: str,
    assessment_url: str | None,
    discharge: Discharge | None,
    program_url: str | None,
) -> dict[str, Any]:
    code, display = _CLASS[stay.level.setting]
    if stay.end is None:
        status = "in-progress"
    else:
        status = "finished" if stay.end > stay.start else "cancelled"
    result: dict[str, Any] = {"resourceType": "Encounter"}
    if program_url is not None:
        result["extension"] = [{"url": PROGRAM_DEFINITION_EXTENSION, "valueCanonical": program_url}]
    if identity.system is not None:
        result["identifier"] = identity.identifier(part, str(index))
    result.update(
        {
            "status": status,
            "class": {"system": _ACT_CODE, "code": code, "display": display},
            "type": [
                {
                    "coding": [
                        {
                            "system": EPISODE_PART_SYSTEM,
                            "code": part,
                            "display": _PART_DISPLAY[part],
                        }
                    ],
                    "text": _PART_DISPLAY[part],
                }
            ],
            "serviceType": _service_type(stay.level, stay.program),
            "subject": identity.patient,
            "episodeOfCare": [{"reference": episode_url}],
            "period": _care_period(stay.start, stay.end),
        }
    )
    if stay.length:
        result["length"] = {"value": stay.length, "unit": "days", "system": _UCUM, "code": "d"}
    if stay.reason is not None:
        result["reasonCode"] = [{"text": stay.reason}]
    if assessment_url is not None:
        result["reasonReference"] = [{"reference": assessment_url}]
    if discharge is not None:
        result["hospitalization"] = _hospitalization(discharge)
    return result


def _hospitalization(discharge: Discharge) -> dict[str, Any]:
    details: list[dict[str, Any]] = []
    if discharge.referred_to is not None:
        details.append(
            {"url": "referredTo", "valueCodeableConcept": _level_concept(discharge.referred_to)}
        )
    if discharge.note is not None:
        details.append({"url": "note", "valueString": discharge.note})
    result: dict[str, Any] = {}
    if details:
        result["extension"] = [{"url": DISCHARGE_EXTENSION, "extension": details}]
    result["dischargeDisposition"] = _concept(DISCHARGE_REASON_SYSTEM, discharge.reason.value)
    return result


# ---- programs as PlanDefinitions -----------------------------------------------------------
#
# A program is a definition, not an event: one PlanDefinition (a clinical protocol) whose actions
# are its sessions. What FHIR has elements for is written in them (the level, population and
# track as usage contexts; each session's services as codes and its weekday, start, length,
# cadence and the program's length in weeks as a Timing); the rest in the extensions above.
# The canonical url is derived from the content, so the same program has the same url
# wherever it is sent.

_PLAN_DEFINITION_TYPE: Final = "http://terminology.hl7.org/CodeSystem/plan-definition-type"
_USAGE_CONTEXT_TYPE: Final = "http://terminology.hl7.org/CodeSystem/usage-context-type"
#: The usage contexts a program's PlanDefinition states: the level of care is the setting it is
#: meant for (``venue``), the population the ages (``age``), the track the clinical ``focus``.
_USAGE_DISPLAY: Final = {"venue": "Clinical Venue", "age": "Age Range",
                         "focus": "Clinical Focus"}  # fmt: skip
_SIZE_US: Final[Mapping[str, int]] = MappingProxyType(
    {"h": 3600 * _US_PER_SECOND, "min": 60 * _US_PER_SECOND, "s": _US_PER_SECOND}
)


def _coding(system: str, value: str) -> dict[str, str]:
    """A Coding of one of the library's enums' values, as `_concept` codes it."""
    coding: dict[str, str] = _concept(system, value)["coding"][0]
    return coding


def _quantity(value: int | float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": _UCUM, "code": unit}


def _usage(code: str, concept: dict[str, Any]) -> dict[str, Any]:
    kind = {"system": _USAGE_CONTEXT_TYPE, "code": code, "display": _USAGE_DISPLAY[code]}
    return {"code": kind, "valueCodeableConcept": concept}


def _computable_name(program: ProgramStructure) -> str:
    """A PlanDefinition ``name`` (``[A-Z][A-Za-z0-9_]*``, at most 255): ``Program`` and the
    program's name (or its level's) in capitalised ASCII words."""
    words = re.findall("[A-Za-z0-9]+", program.name or program.level.name)
    return ("Program" + "".join(w[:1].upper() + w[1:] for w in words))[:255]


def _session_action(session: Session, program: ProgramStructure) -> dict[str, Any]:
    extensions: list[dict[str, Any]] = []
    if session.delivery_mode is not None:
        extensions.append({"url": DELIVERY_MODE_EXTENSION,
                           "valueCoding": _coding(DELIVERY_MODE_SYSTEM,
                                                  session.delivery_mode.value)})  # fmt: skip
    details: list[dict[str, Any]] = []
    if session.week_offset:
        details.append({"url": "weekOffset", "valueUnsignedInt": session.week_offset})
    if not session.program_day:
        details.append({"url": "programDay", "valueBoolean": False})
    if details:
        extensions.append({"url": SESSION_EXTENSION, "extension": details})
    for segment in session.segments:
        parts: list[dict[str, Any]] = []
        if segment.is_clinical:
            coding = _coding(SERVICE_SYSTEM, segment.service.value)
            parts.append({"url": "service", "valueCoding": coding})
        parts.append({"url": "duration", "valueDuration": _quantity(*_duration(segment.duration))})
        if segment.label is not None:
            parts.append({"url": "label", "valueString": segment.label})
        extensions.append({"url": SEGMENT_EXTENSION, "extension": parts})
    weeks = program.weeks
    repeat: dict[str, Any] = (
        {"boundsDuration": _quantity(weeks, "wk")}
        if isinstance(weeks, int)
        else {"boundsRange": {"low": _quantity(weeks.minimum, "wk"),
                              "high": _quantity(weeks.maximum, "wk")}}
    )  # fmt: skip
    at_least = session.occurrences(program.min_weeks)
    at_most = session.occurrences(program.max_weeks)
    if at_least:
        repeat["count"] = at_least
        if at_most != at_least:
            repeat["countMax"] = at_most
    duration, unit = _duration(session.duration)
    repeat.update(
        {
            "duration": duration,
            "durationUnit": unit,
            "frequency": 1,
            "period": session.every_weeks,
            "periodUnit": "wk",
            "dayOfWeek": [_DAYS[session.weekday.value]],
            "timeOfDay": [_time_of_day(session.start)],
        }
    )
    action: dict[str, Any] = {"extension": extensions}
    if session.name is not None:
        action["title"] = session.name
    every = f", every {session.every_weeks} weeks" if session.every_weeks > 1 else ""
    action["description"] = (
        f"{session.weekday.name.title()} {session.start:%H:%M}-{session.end:%H:%M}{every}: "
        f"{', '.join(s.value for s in session.services)}; "
        f"{_number(session.clinical_duration.total_hours())} clinical hours"
    )
    action["code"] = [_service_concept(s.value, program.level) for s in session.services]
    action["timingTiming"] = {"repeat": repeat}
    return action


def _plan_definition(program: ProgramStructure) -> dict[str, Any]:
    """A program's PlanDefinition, its canonical ``url`` a ``urn:uuid:`` derived from the rest
    of the resource (the same program, the same url)."""
    extensions = [
        {"url": DELIVERY_MODE_EXTENSION,
         "valueCoding": _coding(DELIVERY_MODE_SYSTEM, program.delivery_mode.value)},
        *({"url": MODALITY_EXTENSION, "valueCoding": _coding(MODALITY_SYSTEM, m.value)}
          for m in program.modalities),
    ]  # fmt: skip
    body: dict[str, Any] = {"name": _computable_name(program)}
    if program.name is not None:
        body["title"] = program.name
    body.update(
        {
            "type": {
                "coding": [
                    {
                        "system": _PLAN_DEFINITION_TYPE,
                        "code": "clinical-protocol",
                        "display": "Clinical Protocol",
                    }
                ],
            },
            "status": "active",
            "description": f"Program: {program}",
            "useContext": [
                _usage("venue", _service_type(program.level, program)),
                _usage("age", _concept(POPULATION_SYSTEM, program.population.value)),
                _usage("focus", _concept(TRACK_SYSTEM, program.track.value)),
            ],
            "action": [_session_action(session, program) for session in program.sessions],
        }
    )
    text = json.dumps([extensions, body], ensure_ascii=False, sort_keys=True)
    url = f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'PlanDefinition|' + text)}"
    return {"resourceType": "PlanDefinition", "extension": extensions, "url": url, **body}


def _program_entries(
    episode: Episode, identity: _Identity
) -> tuple[list[dict[str, Any]], dict[ProgramStructure, str]]:
    """One PlanDefinition entry per distinct program of the episode's stays (main stays first),
    and each program's canonical url. Its request is a conditional update by that url: a
    re-send, or another episode with the same program, updates the one resource."""
    entries: list[dict[str, Any]] = []
    urls: dict[ProgramStructure, str] = {}
    for stay in (*episode.stays, *episode.concurrent):
        program = stay.program
        if program is None or program in urls:
            continue
        resource = _plan_definition(program)
        url = urls[program] = resource["url"]
        request = {"method": "PUT", "url": f"PlanDefinition?url={_query_part(url)}"}
        entries.append(_entry(identity.full_url("program", url), resource, request))
    return entries, urls


def _observation(assessment: Assessment, identity: _Identity, *part: str) -> dict[str, Any]:
    scheme = assessment.scheme
    result: dict[str, Any] = {"resourceType": "Observation"}
    if identity.system is not None:
        result["identifier"] = identity.identifier(*part)
    result.update(
        {
            "status": "final",
            "category": [
                {
                    "coding": [
                        {"system": _OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
                    ]
                }
            ],
            "code": {
                "coding": [
                    {"system": ASSESSMENT_SYSTEM, "code": scheme, "display": f"{scheme} assessment"}
                ],
                "text": f"{scheme} dimensional assessment",
            },
        }
    )
    if assessment.client_id is not None:
        result["subject"] = {"type": "Patient", "identifier": {"value": assessment.client_id}}
    result["effectiveDateTime"] = _day(assessment.on)
    result["component"] = [
        {
            "code": {
                "coding": [
                    {"system": ASSESSMENT_SYSTEM, "code": f"{scheme}:{d.code}", "display": d.name}
                ],
                "text": f"Dimension {d.code}: {d.name}",
            },
            "valueInteger": assessment.ratings[d.code],
        }
        for d in assessment.dimensions
    ]
    return result


def _entries(episode: Episode, identity: _Identity) -> list[dict[str, Any]]:
    """The bundle's entries: the EpisodeOfCare, then per stay its assessment (if any) and its
    Encounter, then the services alongside, then the PlanDefinitions of their programs."""
    episode_url = identity.full_url()
    programs, program_urls = _program_entries(episode, identity)
    entries = [_entry(episode_url, _episode_resource(episode, identity),
                      identity.request("EpisodeOfCare"))]  # fmt: skip
    last = len(episode.stays) - 1
    for part, stays in ((_STAY, episode.stays), (_SERVICE, episode.concurrent)):
        for i, stay in enumerate(stays):
            assessment_url = None
            if stay.assessment is not None:
                where = (part, str(i), "assessment")
                assessment_url = identity.full_url(*where)
                resource = _observation(stay.assessment, identity, *where)
                entries.append(
                    _entry(assessment_url, resource, identity.request("Observation", *where))
                )
            discharge = episode.discharge_record if part == _STAY and i == last else None
            resource = _encounter(
                stay,
                part=part,
                index=i,
                identity=identity,
                episode_url=episode_url,
                assessment_url=assessment_url,
                discharge=discharge,
                program_url=None if stay.program is None else program_urls[stay.program],
            )
            entries.append(
                _entry(identity.full_url(part, str(i)), resource,
                       identity.request("Encounter", part, str(i)))
            )  # fmt: skip
    return entries + programs


def _entry(url: str, resource: dict[str, Any], request: dict[str, str]) -> dict[str, Any]:
    return {"fullUrl": url, "resource": resource, "request": request}


def episode_of_care(
    episode: Episode,
    *,
    id: str | None = None,
    patient: str | None = None,
    patient_system: str | None = None,
    identifier_system: str | None = None,
    identifier: str | None = None,
) -> dict[str, Any]:
    """A FHIR R4 EpisodeOfCare resource, as a JSON-safe dict, for an episode: the resource
    `bundle` writes, without the Encounters that hold the stays.

    The mapping:

    - ``status``: ``"active"`` while the episode is open, ``"finished"`` once discharged.
    - ``statusHistory``: the episode's statuses, as the specification means them: ``active``
      from the admission through the last day of care (no end while open; left out when the
      client was discharged on the day of admission), then ``finished`` from the discharge day.
    - ``period``: the admission to the last day of care, the day before the discharge (FHIR
      period ends are inclusive; the library's discharge day is not a day of care). No end
      while open.
    - ``type``: for ASAM episodes first HL7's episodeofcare-type ``da`` (drug and alcohol
      rehabilitation); then each level delivered, main stays first, then services alongside,
      each once, coded with the scheme's system URI (`level_coding`).
    - ``patient``: the client: ``{"type": "Patient", "identifier": {"value": client_id}}``,
      the identifier's ``system`` `patient_system` when given, and `patient` as the literal
      ``reference`` when given.
    - ``identifier``: with `identifier_system`, one business identifier: `identifier`, or
      ``"<client id>/<admission day>"`` when None.
    - ``extension``: one `AUTHORIZATION_EXTENSION` per authorization, in the episode's order.

    Args:
        episode: The episode.
        id: The resource's logical id (a FHIR id); omitted when None.
        patient: A literal reference to the client's Patient (``"Patient/123"``), or None.
        patient_system: The system of the client id as a Patient identifier, or None.
        identifier_system: The system of the business identifiers, or None for none.
        identifier: The episode's identifier value (see above).

    Raises:
        InvalidTypeError, InvalidValueError: `episode` is not an Episode, `id` is not a FHIR
            id, `patient` not a Patient reference, or a system not an absolute URI.

    >>> import pendulum
    >>> import carecontinuum as cc
    >>> episode = (cc.Episode.admit("c-7", "PHP", pendulum.date(2026, 2, 9),
    ...                             continuum=cc.catalogs.GENERIC)
    ...            .step_to("IOP", pendulum.date(2026, 3, 2), "stable")
    ...            .discharge(pendulum.date(2026, 4, 27), cc.DischargeReason.COMPLETED))
    >>> resource = episode_of_care(episode, identifier_system="https://clinic.example/episodes")
    >>> resource["status"], resource["period"]
    ('finished', {'start': '2026-02-09', 'end': '2026-04-26'})
    >>> resource["statusHistory"]
    [{'status': 'active', 'period': {'start': '2026-02-09', 'end': '2026-04-26'}},
     {'status': 'finished', 'period': {'start': '2026-04-27'}}]
    >>> [t["coding"][0]["code"] for t in resource["type"]]
    ['PHP', 'IOP']
    >>> resource["identifier"]
    [{'system': 'https://clinic.example/episodes', 'value': 'c-7/2026-02-09'}]
    """
    if not isinstance(episode, Episode):
        raise InvalidTypeError("episode", episode, "an Episode")
    resource_id = _check_id(id)
    identity = _identity(
        episode, patient, patient_system, identifier_system, identifier, conditional=False
    )
    resource = _episode_resource(episode, identity)
    if resource_id is not None:
        return {"resourceType": "EpisodeOfCare", "id": resource_id, **resource}
    return resource


def bundle(
    episode: Episode,
    *,
    patient: str | None = None,
    patient_system: str | None = None,
    identifier_system: str | None = None,
    identifier: str | None = None,
    plans: Iterable[TreatmentPlan] = (),
) -> dict[str, Any]:
    """A FHIR R4 transaction Bundle, as a JSON-safe dict, holding an episode whole: a FHIR
    server (HAPI, for one) takes it in one POST, and `read_episode` reads it back.

    The entries, each with a ``fullUrl`` (``urn:uuid:``, derived from the identifiers: the same
    episode gives the same bundle) and a ``request``:

    - the ``EpisodeOfCare`` (see `episode_of_care`);
    - one ``Encounter`` per main stay, in order, then one per service alongside (opioid
      treatment beside a level), each linked by ``episodeOfCare`` to the EpisodeOfCare, with
      ``type`` coded in `EPISODE_PART_SYSTEM` (``stay`` or ``concurrent-service``),
      ``class`` from the level's setting (v3 ActCode ``IMP`` inpatient, ``NONAC``
      residential, ``AMB`` outpatient and community), ``serviceType`` the level
      (`level_coding`), ``period`` from the first to the last day of care (inclusive; no end
      while the stay goes on), ``length`` in days, ``reasonCode`` the reason for the move;
      status ``finished``, ``in-progress`` while the stay goes on, or ``cancelled`` for a stay
      of no day of care (a move on the day it began), whose period has a start only.
      The program a stay records is named by its PlanDefinition's canonical url, in the
      extension `PROGRAM_DEFINITION_EXTENSION`;
    - before a stay's Encounter, the assessment the move rests on, as an ``Observation``
      (category ``survey``, coded in `ASSESSMENT_SYSTEM`, a component per dimension rating),
      which the Encounter's ``reasonReference`` names;
    - on the last main stay's Encounter, once discharged, ``hospitalization``: the reason as
      ``dischargeDisposition`` (coded in `DISCHARGE_REASON_SYSTEM`), the referral and the note
      in the extension `DISCHARGE_EXTENSION`;
    - after the Encounters, one ``PlanDefinition`` per distinct program the stays record (in
      the order first recorded): ``type`` ``clinical-protocol``, ``status`` ``active``,
      ``title`` the program's name (if named), ``name`` a computable form of it, ``useContext``
      the level of care (``venue``, coded as the Encounter's ``serviceType``), the population
      (``age``, `POPULATION_SYSTEM`) and the track (``focus``, `TRACK_SYSTEM`), the delivery
      mode and modalities in `DELIVERY_MODE_EXTENSION` and `MODALITY_EXTENSION`; and one
      ``action`` per session, in week order, ``title`` the session's name, ``code`` each of
      its clinical services (`SERVICE_SYSTEM`, and HCPCS G0410 for group therapy in a PHP or
      IOP), and ``timingTiming.repeat``: ``dayOfWeek``, ``timeOfDay`` (the local start),
      ``duration``/``durationUnit`` (the whole session, breaks included), ``frequency`` 1 per
      ``period`` weeks (``every_weeks``), the program's length as ``boundsDuration`` in weeks
      (``boundsRange`` for a range), and ``count``/``countMax`` the sessions held over it.
      What a Timing cannot say is in the action's extensions: each segment in order
      (`SEGMENT_EXTENSION`), the week of the cycle a session every N weeks is held in and a
      separate appointment (`SESSION_EXTENSION`), and a session's own delivery mode. An
      overnight session is not marked: its start and length say so. The canonical ``url`` is
      a ``urn:uuid:`` derived from the rest of the resource (the same program, the same url;
      the library has no web address for a clinic's programs), and the request is always a
      conditional update by it, ``PUT PlanDefinition?url=...``;
    - for each of `plans`, in order, its ``Goal``s, each an entry of its own (not contained:
      ``lifecycleStatus``, ``description``, ``subject``, its objectives as ``target``s, and
      the problem it addresses by ``display``), then its ``CarePlan`` as `care_plan` writes it
      without a day, whose ``goal`` and activities refer to those entries. R4 gives a CarePlan
      no element for its episode: it names the EpisodeOfCare with HL7's own extension
      ``http://hl7.org/fhir/StructureDefinition/workflow-episodeOfCare``, and the stay it
      belongs to with ``encounter``: the Encounter of a service alongside at the plan's level
      whose days hold the plan's start, else of the main stay whose days hold it (none when no
      stay does, such as a plan starting on the discharge day).

    With `identifier_system`, every resource carries a business identifier (the episode's
    value, ``"<client id>/<admission day>"`` unless `identifier` is given, then
    ``/stay/0``, ``/concurrent-service/1``, ``/stay/2/assessment``, ``/plan/0``,
    ``/plan/0/goal-1-0`` for the Goal of ``problems[1].goals[0]``...; a PlanDefinition is known
    by its canonical url instead) and its request is
    a conditional update, ``PUT Encounter?identifier=system|value``: a re-send updates what
    the server holds. Without it the requests are plain creates (``POST``). References to the
    client are as in `episode_of_care`; with `patient_system` and no `patient`, the
    reference is the conditional ``Patient?identifier=system|client id``, which the server
    resolves to the Patient it holds.

    Args:
        episode: The episode.
        patient: A literal reference to the client's Patient (``"Patient/123"``), or None.
        patient_system: The system of the client id as a Patient identifier, or None.
        identifier_system: The system of the business identifiers, or None for none.
        identifier: The episode's identifier value (see above).
        plans: Treatment plans of the episode's client, to send with it.

    Raises:
        InvalidTypeError, InvalidValueError: as `episode_of_care`; or `plans` is not an
            iterable of TreatmentPlans of the episode's client (naming ``plans[1].client_id``).

    >>> import pendulum
    >>> import carecontinuum as cc
    >>> episode = (cc.Episode.admit("c-7", "PHP", pendulum.date(2026, 2, 9),
    ...                             continuum=cc.catalogs.GENERIC)
    ...            .step_to("IOP", pendulum.date(2026, 3, 2), "stable")
    ...            .discharge(pendulum.date(2026, 4, 27), cc.DischargeReason.COMPLETED))
    >>> sent = bundle(episode, patient="Patient/123",
    ...               identifier_system="https://clinic.example/episodes")
    >>> sent["type"], [e["resource"]["resourceType"] for e in sent["entry"]]
    ('transaction', ['EpisodeOfCare', 'Encounter', 'Encounter'])
    >>> [e["resource"]["period"] for e in sent["entry"][1:]]
    [{'start': '2026-02-09', 'end': '2026-03-01'}, {'start': '2026-03-02', 'end': '2026-04-26'}]
    >>> sent["entry"][2]["request"]
    {'method': 'PUT',
     'url': 'Encounter?identifier=https://clinic.example/episodes|c-7/2026-02-09/stay/1'}
    >>> read_episode(sent) == episode
    True
    """
    if not isinstance(episode, Episode):
        raise InvalidTypeError("episode", episode, "an Episode")
    identity = _identity(
        episode, patient, patient_system, identifier_system, identifier, conditional=True
    )
    written = _check_plans(plans, episode)
    entries = _entries(episode, identity) + _plan_entries(written, episode, identity)
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


# ---- reading an episode back ----------------------------------------------------------------


class _Unreadable(Exception):  # noqa: N818 (becomes the DataError read_episode raises)
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T.*)?")
_MISSING: Final = object()


def _field(data: Mapping[str, Any], key: str, path: str, kind: type, what: str) -> Any:
    value = data.get(key, _MISSING)
    if value is _MISSING:
        raise _Unreadable(f"{path}.{key}", f"missing: {what} is needed")
    if not isinstance(value, kind):
        raise _Unreadable(f"{path}.{key}", f"expected {what}, got {_echo_json(value)}")
    return value


def _optional(data: Mapping[str, Any], key: str, path: str, kind: type, what: str) -> Any:
    return None if data.get(key) is None else _field(data, key, path, kind, what)


def _echo_json(value: object) -> str:
    text = json.dumps(value, default=repr, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _read_date(value: object, path: str) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise _Unreadable(path, f"expected a date 'YYYY-MM-DD', got {_echo_json(value)}")
    try:
        return pendulum.Date.fromisoformat(value[:10])
    except ValueError:
        raise _Unreadable(path, f"expected a date that exists, got {_echo_json(value)}") from None


def _read_level(concept: object, path: str) -> LevelOfCare:
    if not isinstance(concept, Mapping):
        raise _Unreadable(path, f"expected a CodeableConcept of a level, got {_echo_json(concept)}")
    codings = concept.get("coding")
    for i, coding in enumerate(codings if isinstance(codings, list) else []):
        if isinstance(coding, Mapping) and coding.get("system") in _SCHEME_BY_SYSTEM:
            try:
                return level_from_coding(coding)
            except CareContinuumError as error:
                raise _Unreadable(f"{path}.coding[{i}]", str(error)) from None
    systems = ", ".join(LEVEL_SYSTEMS.values())
    raise _Unreadable(
        f"{path}.coding", f"missing: a coding in one of the level systems ({systems})"
    )


def _code_in(concept: object, system: str, path: str) -> str:
    if isinstance(concept, Mapping):
        codings = concept.get("coding")
        for coding in codings if isinstance(codings, list) else []:
            if isinstance(coding, Mapping) and coding.get("system") == system:
                code = coding.get("code")
                if isinstance(code, str):
                    return code
    raise _Unreadable(f"{path}.coding", f"missing: a coding in {system}")


def _sub_extensions(extension: Mapping[str, Any], path: str) -> dict[str, tuple[str, Any]]:
    """A complex extension's parts by url: (path, part)."""
    parts = _field(extension, "extension", path, list, "a list of extensions")
    found: dict[str, tuple[str, Any]] = {}
    for i, part in enumerate(parts):
        at = f"{path}.extension[{i}]"
        if not isinstance(part, Mapping):
            raise _Unreadable(at, f"expected an extension, got {_echo_json(part)}")
        found.setdefault(_field(part, "url", at, str, "a url"), (at, part))
    return found


def _extensions(resource: Mapping[str, Any], url: str, path: str) -> list[tuple[str, Any]]:
    items = _optional(resource, "extension", path, list, "a list of extensions") or []
    return [
        (f"{path}.extension[{i}]", item)
        for i, item in enumerate(items)
        if isinstance(item, Mapping) and item.get("url") == url
    ]


def _read_authorization(extension: Mapping[str, Any], path: str) -> Authorization:
    parts = _sub_extensions(extension, path)
    if "level" not in parts or "period" not in parts:
        missing = "level" if "level" not in parts else "period"
        raise _Unreadable(f"{path}.extension", f"missing: the part {missing!r}")
    at, level = parts["level"]
    at_period, period = parts["period"]
    span = _field(period, "valuePeriod", at_period, Mapping, "a Period")
    payer = next_review = units = None
    if "payer" in parts:
        at_payer, payer_part = parts["payer"]
        payer = _field(payer_part, "valueString", at_payer, str, "a string")
    if "nextReview" in parts:
        at_review, review = parts["nextReview"]
        next_review = _read_date(review.get("valueDate"), f"{at_review}.valueDate")
    if "units" in parts:
        at_units, units_part = parts["units"]
        units = _field(units_part, "valuePositiveInt", at_units, int, "a positive integer")
    return _built(
        path,
        lambda: Authorization(
            _read_level(level.get("valueCodeableConcept"), f"{at}.valueCodeableConcept"),
            _read_date(span.get("start"), f"{at_period}.valuePeriod.start"),
            _read_date(span.get("end"), f"{at_period}.valuePeriod.end"),
            payer,
            next_review,
            units,
        ),
    )


def _built(path: str, build: Callable[[], _T]) -> _T:
    """What `build` makes; a constructor's refusal becomes a problem at `path`."""
    try:
        return build()
    except _Unreadable:
        raise
    except CareContinuumError as error:
        raise _Unreadable(path, str(error)) from None


def _read_assessment(resource: Mapping[str, Any], path: str) -> Assessment:
    from ._assessment import Assessment  # noqa: PLC0415 (the rule engine: only when needed)

    scheme = _code_in(resource.get("code"), ASSESSMENT_SYSTEM, f"{path}.code")
    on = _read_date(resource.get("effectiveDateTime"), f"{path}.effectiveDateTime")
    client = None
    subject = _optional(resource, "subject", path, Mapping, "a Reference")
    if subject is not None:
        who = _field(subject, "identifier", f"{path}.subject", Mapping, "an Identifier")
        client = _field(who, "value", f"{path}.subject.identifier", str, "the client id")
    ratings: dict[str, int] = {}
    components = _field(resource, "component", path, list, "a list of dimension ratings")
    prefix = f"{scheme}:"
    for i, component in enumerate(components):
        at = f"{path}.component[{i}]"
        if not isinstance(component, Mapping):
            raise _Unreadable(at, f"expected a component, got {_echo_json(component)}")
        code = _code_in(component.get("code"), ASSESSMENT_SYSTEM, f"{at}.code")
        if not code.startswith(prefix):
            raise _Unreadable(f"{at}.code", f"expected a dimension of {scheme}, got {code!r}")
        rating = _field(component, "valueInteger", at, int, "an integer rating")
        ratings[code[len(prefix) :]] = rating
    return _built(path, lambda: Assessment(scheme, ratings, on, client_id=client))


def _read_program(extension: Mapping[str, Any], path: str) -> ProgramStructure:
    from ._dicts import DataError, MissingExtraError, from_dict  # noqa: PLC0415 (cattrs)

    text = _field(extension, "valueString", path, str, "the program as JSON text")
    try:
        data = json.loads(text)
    except ValueError as error:
        raise _Unreadable(f"{path}.valueString", f"expected JSON text ({error})") from None
    try:
        return from_dict(ProgramStructure, data)
    except MissingExtraError as error:
        needed_by = "carecontinuum.fhir for a stay's program"
        raise MissingExtraError(error.package, error.extra, needed_by) from error
    except DataError as error:
        first = error.problems[0] if error.problems else error.summary
        raise _Unreadable(f"{path}.valueString", first) from None


_TIME_OF_DAY = re.compile(r"([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,6})\d*)?")
_E = TypeVar("_E", bound=enum.Enum)


def _member(enum_cls: type[_E], code: str, path: str, what: str) -> _E:
    for member in enum_cls:
        if _slug(member.value) == code:
            return member
    raise _Unreadable(path, f"{code!r} is not {what}")


def _coded(coding: object, system: str, path: str, enum_cls: type[_E], what: str) -> _E:
    """The member a Coding in `system` names (a valueCoding of one of the extensions)."""
    if not isinstance(coding, Mapping) or coding.get("system") != system:
        raise _Unreadable(path, f"expected a Coding in {system}, got {_echo_json(coding)}")
    code = _field(coding, "code", path, str, "a code")
    return _member(enum_cls, code, f"{path}.code", what)


def _read_length(quantity: object, path: str) -> pendulum.Duration:
    """A Duration (``{value, code: h | min | s}``, the UCUM code, else the unit) as a pendulum
    Duration, to the microsecond."""
    if not isinstance(quantity, Mapping):
        raise _Unreadable(path, f"expected a Duration, got {_echo_json(quantity)}")
    value = quantity.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Unreadable(f"{path}.value", f"expected a number, got {_echo_json(value)}")
    unit = quantity.get("code", quantity.get("unit"))
    size = _SIZE_US.get(unit) if isinstance(unit, str) else None
    if size is None:
        raise _Unreadable(f"{path}.code", f"expected 'h', 'min' or 's', got {_echo_json(unit)}")
    us = round(Fraction(value) * size) if math.isfinite(value) and abs(value) < 1e12 else -1
    if us <= 0:
        raise _Unreadable(f"{path}.value", f"expected a positive length, got {_echo_json(value)}")
    return pendulum.Duration(microseconds=us)


def _read_weeks(repeat: Mapping[str, Any], path: str) -> int | Span[int]:
    """The program's length from a Timing's bounds: boundsDuration, or a boundsRange, in weeks."""

    def weeks(quantity: object, at: str) -> int:
        if not isinstance(quantity, Mapping):
            raise _Unreadable(at, f"expected a number of weeks, got {_echo_json(quantity)}")
        if quantity.get("code", quantity.get("unit")) != "wk":
            raise _Unreadable(f"{at}.code", "expected weeks, 'wk'")
        return int(_field(quantity, "value", at, int, "a whole number of weeks"))

    if "boundsDuration" in repeat:
        return weeks(repeat["boundsDuration"], f"{path}.boundsDuration")
    if "boundsRange" in repeat:
        span = _field(repeat, "boundsRange", path, Mapping, "a Range of weeks")
        at = f"{path}.boundsRange"
        low = weeks(_field(span, "low", at, Mapping, "the fewest weeks"), f"{at}.low")
        high = weeks(_field(span, "high", at, Mapping, "the most weeks"), f"{at}.high")
        return _built(at, lambda: Span(low, high))
    raise _Unreadable(
        f"{path}.boundsDuration", "missing: the program's length in weeks (or boundsRange)"
    )


def _read_segments(action: Mapping[str, Any], path: str) -> list[Segment]:
    segments = []
    for at, extension in _extensions(action, SEGMENT_EXTENSION, path):
        parts = _sub_extensions(extension, at)
        if "duration" not in parts:
            raise _Unreadable(f"{at}.extension", "missing: the part 'duration'")
        service = Service.BREAK
        if "service" in parts:
            at_service, part = parts["service"]
            service = _coded(part.get("valueCoding"), SERVICE_SYSTEM, f"{at_service}.valueCoding",
                             Service, "a service")  # fmt: skip
        at_length, part = parts["duration"]
        length = _read_length(part.get("valueDuration"), f"{at_length}.valueDuration")
        label = None
        if "label" in parts:
            at_label, part = parts["label"]
            label = _field(part, "valueString", at_label, str, "the label")
        segments.append(_built(at, functools.partial(Segment, service, length, label)))
    return segments


def _read_session(action: object, path: str) -> list[Session]:
    """The sessions of an action: one per day of its ``dayOfWeek`` (one, as `bundle` writes)."""
    if not isinstance(action, Mapping):
        raise _Unreadable(path, f"expected an action, got {_echo_json(action)}")
    timing = _field(action, "timingTiming", path, Mapping, "the session's Timing")
    at = f"{path}.timingTiming.repeat"
    repeat = _field(timing, "repeat", f"{path}.timingTiming", Mapping, "its repeat")
    days = _field(repeat, "dayOfWeek", at, list, "the session's day")
    weekdays = []
    for i, day in enumerate(days):
        if day not in _DAYS:
            raise _Unreadable(f"{at}.dayOfWeek[{i}]", f"expected a day code, got {_echo_json(day)}")
        weekdays.append(pendulum.WeekDay(_DAYS.index(day)))
    if not weekdays:
        raise _Unreadable(f"{at}.dayOfWeek", "missing: the session's day")
    times = _field(repeat, "timeOfDay", at, list, "the session's start time")
    start = times[0] if len(times) == 1 else None
    match = _TIME_OF_DAY.fullmatch(start) if isinstance(start, str) else None
    if match is None:
        raise _Unreadable(
            f"{at}.timeOfDay", f"expected one time 'HH:MM:SS', got {_echo_json(times)}"
        )
    hour, minute, second = (int(g) for g in match.groups()[:3])
    micro = int((match[4] or "0").ljust(6, "0"))
    begins = pendulum.Time(hour, minute, second, micro)
    length = _read_length({"value": repeat.get("duration"), "code": repeat.get("durationUnit")},
                          f"{at}.duration")  # fmt: skip
    if repeat.get("periodUnit", "wk") != "wk" or repeat.get("frequency", 1) != 1:
        raise _Unreadable(f"{at}.periodUnit", "expected once every 'period' weeks ('wk')")
    every = repeat.get("period", 1)
    if isinstance(every, float) and every.is_integer():
        every = int(every)
    segments = _read_segments(action, path)
    if not segments:
        services = [_code_in(concept, SERVICE_SYSTEM, f"{path}.code[{i}]")
                    for i, concept in enumerate(action.get("code") or [])]  # fmt: skip
        if len(services) != 1:
            raise _Unreadable(
                f"{path}.extension",
                f"missing: the session's segments ({SEGMENT_EXTENSION}), or one service code",
            )
        service = _member(Service, services[0], f"{path}.code[0]", "a service")
        segments = [_built(f"{path}.code[0]", lambda: Segment(service, length))]
    elif sum(_us(s.duration) for s in segments) != _us(length):
        raise _Unreadable(f"{at}.duration", "expected the sum of the segments' durations")
    offset, program_day = 0, True
    for where, extension in _extensions(action, SESSION_EXTENSION, path)[:1]:
        parts = _sub_extensions(extension, where)
        if "weekOffset" in parts:
            at_offset, part = parts["weekOffset"]
            offset = _field(part, "valueUnsignedInt", at_offset, int, "a week of the cycle")
        if "programDay" in parts:
            at_day, part = parts["programDay"]
            program_day = _field(part, "valueBoolean", at_day, bool, "true or false")
    mode = None
    for where, extension in _extensions(action, DELIVERY_MODE_EXTENSION, path)[:1]:
        mode = _coded(extension.get("valueCoding"), DELIVERY_MODE_SYSTEM, f"{where}.valueCoding",
                      DeliveryMode, "a delivery mode")  # fmt: skip
    name = _optional(action, "title", path, str, "the session's name")
    start_us = ((hour * 60 + minute) * 60 + second) * _US_PER_SECOND + micro
    overnight = start_us + _us(length) > 86_400 * _US_PER_SECOND
    return [
        _built(
            path,
            functools.partial(
                Session,
                day,
                begins,
                segments,
                every_weeks=every,
                week_offset=offset,
                delivery_mode=mode,
                overnight=overnight,
                program_day=program_day,
                name=name,
            ),
        )
        for day in weekdays
    ]


def _read_plan_definition(resource: Mapping[str, Any], path: str) -> ProgramStructure:
    """The program a PlanDefinition written by `bundle` (or shaped as it writes one) states."""
    contexts: dict[str, tuple[str, Any]] = {}
    usage = _field(resource, "useContext", path, list, "the program's usage contexts")
    for i, item in enumerate(usage):
        kind = item.get("code") if isinstance(item, Mapping) else None
        if isinstance(kind, Mapping) and kind.get("system") == _USAGE_CONTEXT_TYPE:
            contexts.setdefault(str(kind.get("code")), (f"{path}.useContext[{i}]", item))
    found = {}
    for code, what in (("venue", "the level of care"), ("age", "the population"),
                       ("focus", "the track")):  # fmt: skip
        if code not in contexts:
            raise _Unreadable(f"{path}.useContext", f"missing: a context {code!r}, {what}")
        at, item = contexts[code]
        found[code] = (f"{at}.valueCodeableConcept", item.get("valueCodeableConcept"))
    level = _read_level(found["venue"][1], found["venue"][0])
    at, concept = found["age"]
    population = _member(Population, _code_in(concept, POPULATION_SYSTEM, at), f"{at}.coding",
                         "a population")  # fmt: skip
    at, concept = found["focus"]
    track = _member(Track, _code_in(concept, TRACK_SYSTEM, at), f"{at}.coding", "a track")
    modes = _extensions(resource, DELIVERY_MODE_EXTENSION, path)
    if not modes:
        raise _Unreadable(
            f"{path}.extension", f"missing: the delivery mode ({DELIVERY_MODE_EXTENSION})"
        )
    mode = _coded(modes[0][1].get("valueCoding"), DELIVERY_MODE_SYSTEM,
                  f"{modes[0][0]}.valueCoding", DeliveryMode, "a delivery mode")  # fmt: skip
    modalities = [
        _coded(ext.get("valueCoding"), MODALITY_SYSTEM, f"{at}.valueCoding", Modality, "a modality")
        for at, ext in _extensions(resource, MODALITY_EXTENSION, path)
    ]
    actions = _field(resource, "action", path, list, "the program's sessions")
    if not actions:
        raise _Unreadable(f"{path}.action", "missing: the program's sessions")
    sessions: list[Session] = []
    lengths: list[int | Span[int]] = []
    for i, action in enumerate(actions):
        at = f"{path}.action[{i}]"
        sessions += _read_session(action, at)
        length = _read_weeks(action["timingTiming"]["repeat"], f"{at}.timingTiming.repeat")
        if lengths and length != lengths[0]:
            raise _Unreadable(
                f"{at}.timingTiming.repeat",
                f"expected the program's length in weeks as the first session states it "
                f"({lengths[0]}), got {length}",
            )
        lengths.append(length)
    name = _optional(resource, "title", path, str, "the program's name")
    return _built(
        path,
        lambda: ProgramStructure(
            level, population, track, sessions, lengths[0],
            delivery_mode=mode, modalities=modalities, name=name,
        ),
    )  # fmt: skip


def _read_stay(
    resource: Mapping[str, Any],
    path: str,
    observations: Mapping[str, tuple[str, Any]],
    programs: _Programs,
) -> Stay:
    level = _read_level(resource.get("serviceType"), f"{path}.serviceType")
    period = _field(resource, "period", path, Mapping, "a Period")
    start = _read_date(period.get("start"), f"{path}.period.start")
    status = resource.get("status")
    end: date | None = None
    if status == "cancelled":  # a stay of no day of care
        end = start
    elif period.get("end") is not None:
        last = _read_date(period["end"], f"{path}.period.end")
        if last == date.max:
            raise _Unreadable(f"{path}.period.end", "expected a day before 9999-12-31")
        end = last + _ONE_DAY
    elif status == "finished":
        raise _Unreadable(f"{path}.period.end", "missing: a finished stay has a last day")
    reason = None
    reasons = _optional(resource, "reasonCode", path, list, "a list of CodeableConcepts")
    if reasons:
        first = reasons[0]
        reason = first.get("text") if isinstance(first, Mapping) else None
        if not isinstance(reason, str):
            raise _Unreadable(f"{path}.reasonCode[0].text", "expected the reason as text")
    assessment = None
    references = _optional(resource, "reasonReference", path, list, "a list of References")
    for i, item in enumerate(references or []):
        target = item.get("reference") if isinstance(item, Mapping) else None
        if target is not None and not isinstance(target, str):
            raise _Unreadable(f"{path}.reasonReference[{i}].reference", "expected a string")
        if target is not None and target in observations:
            at, observation = observations[target]
            assessment = _read_assessment(observation, at)
            break
    program = None
    links = _extensions(resource, PROGRAM_DEFINITION_EXTENSION, path)
    legacy = _extensions(resource, PROGRAM_EXTENSION, path)
    if links:
        program = programs.read(*links[0])
    elif legacy:
        program = _read_program(legacy[0][1], legacy[0][0])
    return _built(path, lambda: Stay(level, start, end, reason, assessment, program))


class _Programs:
    """The PlanDefinitions of a bundle by canonical url, each read once, when a stay names it."""

    def __init__(self) -> None:
        self._found: dict[str, tuple[str, Mapping[str, Any]]] = {}
        self._read: dict[str, ProgramStructure] = {}

    def add(self, path: str, resource: Mapping[str, Any]) -> None:
        url = resource.get("url")
        if isinstance(url, str):
            self._found.setdefault(url, (path, resource))

    def read(self, path: str, extension: Mapping[str, Any]) -> ProgramStructure:
        url = _field(extension, "valueCanonical", path, str, "the url of a PlanDefinition")
        url = url.partition("|")[0]  # a canonical may name a version: the bundle holds one
        if url not in self._read:
            if url not in self._found:
                raise _Unreadable(
                    f"{path}.valueCanonical",
                    f"expected the url of a PlanDefinition in the Bundle, got {_echo_json(url)}",
                )
            self._read[url] = _read_plan_definition(self._found[url][1], self._found[url][0])
        return self._read[url]


def _read_discharge(encounter: Mapping[str, Any], path: str, on: date) -> Discharge:
    stay = _field(encounter, "hospitalization", path, Mapping, "the discharge")
    at = f"{path}.hospitalization"
    code = _code_in(stay.get("dischargeDisposition"), DISCHARGE_REASON_SYSTEM,
                    f"{at}.dischargeDisposition")  # fmt: skip
    reason = next((r for r in DischargeReason if _slug(r.value) == code), None)
    if reason is None:
        raise _Unreadable(f"{at}.dischargeDisposition", f"{code!r} is not a discharge reason")
    note = referred = None
    for where, extension in _extensions(stay, DISCHARGE_EXTENSION, at)[:1]:
        parts = _sub_extensions(extension, where)
        if "note" in parts:
            at_note, part = parts["note"]
            note = _field(part, "valueString", at_note, str, "the note")
        if "referredTo" in parts:
            at_to, part = parts["referredTo"]
            referred = _read_level(
                part.get("valueCodeableConcept"), f"{at_to}.valueCodeableConcept"
            )
    return _built(at, lambda: Discharge(on, reason, note, referred))


def _part(encounter: Mapping[str, Any], path: str) -> str:
    """What an Encounter holds: a service alongside when its type says so, else a main stay."""
    types = encounter.get("type")
    for i, concept in enumerate(types if isinstance(types, list) else []):
        try:
            return _code_in(concept, EPISODE_PART_SYSTEM, f"{path}.type[{i}]")
        except _Unreadable:
            continue
    return _STAY


def _names(url: object, resource: Mapping[str, Any]) -> frozenset[str]:
    """What a reference to an entry may say: its ``fullUrl`` (``urn:uuid:...``, as `bundle`
    writes it, or a server's absolute URL), and the relative ``Type/id`` a server writes in
    what it returns (from the resource's ``id``, or the end of an absolute ``fullUrl``)."""
    names: set[str] = set()
    kind, rid = resource.get("resourceType"), resource.get("id")
    if isinstance(kind, str) and isinstance(rid, str):
        names.add(f"{kind}/{rid}")
    if isinstance(url, str):
        names.add(url)
        if isinstance(kind, str) and url.startswith(("http://", "https://")):
            head, _, tail = url.rstrip("/").rpartition("/")
            if head.endswith(f"/{kind}") and tail:
                names.add(f"{kind}/{tail}")
    return frozenset(names)


def _read_stays(
    encounters: list[tuple[str, Mapping[str, Any]]],
    episode_names: frozenset[str],
    observations: Mapping[str, tuple[str, Any]],
    programs: _Programs,
) -> tuple[list[tuple[date, str, Mapping[str, Any], Stay]], list[tuple[date, Stay]]]:
    """The main stays (with their paths and Encounters) and the services alongside of the
    Encounters linked to the episode (a reference naming it by any of `episode_names`), each
    in order of their start."""
    main: list[tuple[date, str, Mapping[str, Any], Stay]] = []
    alongside: list[tuple[date, Stay]] = []
    for at, encounter in encounters:
        links = encounter.get("episodeOfCare")
        if not isinstance(links, list) or not any(
            isinstance(link, Mapping) and link.get("reference") in episode_names for link in links
        ):
            continue  # another episode's encounter
        stay = _read_stay(encounter, at, observations, programs)
        if _part(encounter, at) == _SERVICE:
            alongside.append((stay.start, stay))
        else:
            main.append((stay.start, at, encounter, stay))
    main.sort(key=lambda item: item[0])  # stable: a stay of no day keeps its place
    alongside.sort(key=lambda item: item[0])
    return main, alongside


def _read_episode(data: object) -> Episode:
    if not isinstance(data, Mapping) or data.get("resourceType") != "Bundle":
        raise _Unreadable("bundle", f"expected a Bundle resource, got {_echo_json(data)}")
    entries = _field(data, "entry", "bundle", list, "a list of entries")
    episodes: list[tuple[str, str | None, Mapping[str, Any]]] = []
    encounters: list[tuple[str, Mapping[str, Any]]] = []
    observations: dict[str, tuple[str, Any]] = {}
    programs = _Programs()
    for i, entry in enumerate(entries):
        at = f"bundle.entry[{i}]"
        if not isinstance(entry, Mapping):
            raise _Unreadable(at, f"expected an entry, got {_echo_json(entry)}")
        resource = _field(entry, "resource", at, Mapping, "a resource")
        url = entry.get("fullUrl")
        kind = resource.get("resourceType")
        if kind == "EpisodeOfCare":
            episodes.append((f"{at}.resource", url, resource))
        elif kind == "Encounter":
            encounters.append((f"{at}.resource", resource))
        elif kind == "Observation":
            for name in _names(url, resource):
                observations[name] = (f"{at}.resource", resource)
        elif kind == "PlanDefinition":
            programs.add(f"{at}.resource", resource)
    if len(episodes) != 1:
        raise _Unreadable("bundle.entry", f"expected one EpisodeOfCare, found {len(episodes)}")
    path, episode_url, resource = episodes[0]
    patient = _field(resource, "patient", path, Mapping, "a reference to the client")
    who = _field(patient, "identifier", f"{path}.patient", Mapping, "the client's Identifier")
    client = _field(who, "value", f"{path}.patient.identifier", str, "the client id")
    grants = [
        _read_authorization(extension, at)
        for at, extension in _extensions(resource, AUTHORIZATION_EXTENSION, path)
    ]
    main, alongside = _read_stays(encounters, _names(episode_url, resource), observations, programs)
    if not main:
        raise _Unreadable("bundle.entry", "missing: an Encounter of a stay in the episode")
    discharge = None
    status = _field(resource, "status", path, str, "a status")
    if status == "finished":
        _, at, last, stay = main[-1]
        if stay.end is None:
            raise _Unreadable(f"{at}.period.end", "missing: the episode is finished")
        discharge = _read_discharge(last, at, stay.end)
    stays = [stay for *_, stay in main]
    continuum = catalogs.ALL[stays[0].level.scheme]
    return _built(
        path,
        lambda: Episode(
            client,
            continuum,
            stays,
            concurrent=[stay for _, stay in alongside],
            authorizations=grants,
            discharge=discharge,
        ),
    )


def read_episode(bundle: Mapping[str, Any]) -> Episode:
    """The Episode a FHIR Bundle holds: the inverse of `bundle`, ``read_episode(bundle(e)) ==
    e`` for every episode.

    It reads the one ``EpisodeOfCare`` of the bundle's entries (the client from
    ``patient.identifier.value``, authorizations from `AUTHORIZATION_EXTENSION`, ``finished``
    for a discharged episode) and the ``Encounter``s linked to it by ``episodeOfCare`` (by the
    EpisodeOfCare entry's ``fullUrl``, or by ``EpisodeOfCare/<id>`` as a server writes it in
    what a search returns): the main stays in order of their start, the services
    alongside (``type`` coded ``concurrent-service`` in `EPISODE_PART_SYSTEM`; any other
    Encounter is a main stay) in order of theirs. A stay's level is its ``serviceType``
    coding in one of `LEVEL_SYSTEMS`; its period's ``end`` is its last day of care
    (inclusive); a ``cancelled`` stay had no day of care. A stay's program is the
    ``PlanDefinition`` of the bundle whose ``url`` its `PROGRAM_DEFINITION_EXTENSION` names,
    read from the elements `bundle` writes (an action without `SEGMENT_EXTENSION` and with one
    service code is one segment of that service; an action of several ``dayOfWeek`` is a
    session on each); in a Bundle of an earlier version, the JSON text of
    `PROGRAM_EXTENSION`. Other entries, and codings and
    extensions the library does not know, are passed over. The episode's continuum is the
    catalog of its first stay's level. The work grows with the size of the bundle alone.

    Args:
        bundle: A Bundle as a JSON-like mapping (from ``json.load``, or `bundle`).

    Raises:
        DataError: something the Episode needs is missing or malformed, or the history is one
            the library refuses; its problem names the element, such as
            ``bundle.entry[2].resource.period.start`` or
            ``bundle.entry[3].resource.action[0].timingTiming.repeat.timeOfDay``.
        MissingExtraError: a stay's program is in `PROGRAM_EXTENSION` (a Bundle of an earlier
            version), which is read as plain data, and the ``dicts`` extra (cattrs) is not
            installed.

    >>> bad = {"resourceType": "Bundle", "type": "transaction", "entry": []}
    >>> read_episode(bad)
    Traceback (most recent call last):
    ...
    carecontinuum.DataError: the Bundle does not hold an episode the library can read (1
    problem):
      bundle.entry: expected one EpisodeOfCare, found 0
    """
    from ._dicts import DataError  # noqa: PLC0415 (the plain-data module: only when reading)

    try:
        return _read_episode(bundle)
    except _Unreadable as problem:
        raise DataError(
            "the Bundle does not hold an episode the library can read", [str(problem)]
        ) from None


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
    program_level: LevelOfCare,
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
    resource["serviceType"] = [level, *(_service_concept(s, program_level) for s in services)]
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
    level = _service_type(program.level, program)
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
                program_level=program.level,
                participant=_participant(reference, client_id, state),
                status=status,
                note=note,
            )
        )
    return result


# ---- definitions: the library's code systems and extensions as FHIR resources ---------------
#
# Built at call time from the tables the writers use (the catalogs, the enums, the dimension
# lists, `_PART_DISPLAY`), so a code the library writes is a code of its CodeSystem.

_BASE: Final = "https://carecontinuum.dev/fhir/"
_PUBLISHER: Final = "carecontinuum"
_EXTENSION_BASE: Final = "http://hl7.org/fhir/StructureDefinition/Extension"
#: The category of the plans `care_plan` writes (its code is the slug of the value).
_PLAN_CATEGORIES: Final = ("behavioral health",)


def _code_system(
    url: str, name: str, title: str, description: str, concepts: list[dict[str, Any]]
) -> dict[str, Any]:
    def count(items: list[dict[str, Any]]) -> int:
        return sum(1 + count(c.get("concept", [])) for c in items)

    result: dict[str, Any] = {
        "resourceType": "CodeSystem",
        "id": url.rsplit("/", 1)[1],
        "url": url,
        "name": name,
        "title": title,
        "status": "active",
        "experimental": False,
        "publisher": _PUBLISHER,
        "description": description,
        "caseSensitive": True,
    }
    if any("concept" in c for c in concepts):
        result["hierarchyMeaning"] = "part-of"
    result.update({"content": "complete", "count": count(concepts), "concept": concepts})
    return result


def _enum_concepts(values: Iterable[str]) -> list[dict[str, Any]]:
    return [{"code": _slug(v), "display": _display(v)} for v in values]


def _level_system(scheme: str, title: str) -> dict[str, Any]:
    concepts = [{"code": lvl.code, "display": lvl.name} for lvl in catalogs.ALL[scheme]]
    return _code_system(
        LEVEL_SYSTEMS[scheme],
        f"LevelOfCare{scheme.title()}",
        f"Levels of care: {title}",
        f"The levels of care of {title} (`carecontinuum.catalogs.{scheme}`), each coded with "
        "its primary code and named with its name. Older codes a level is known by (aliases) "
        "are read back by the library but are not codes of this system. No canonical FHIR "
        "code system for these levels exists; this one is carecontinuum's own.",
        concepts,
    )


def _assessment_system() -> dict[str, Any]:
    from ._assessment import _NAMES, dimensions  # noqa: PLC0415 (the rule engine: only when needed)

    concepts = [
        {
            "code": scheme,
            "display": f"{scheme} assessment",
            "concept": [
                {"code": f"{scheme}:{d.code}", "display": d.name} for d in dimensions(scheme)
            ],
        }
        for scheme in _NAMES
    ]
    return _code_system(
        ASSESSMENT_SYSTEM,
        "Assessment",
        "Dimensional assessments",
        "A dimensional assessment as an Observation: its code is the scheme, each component's "
        "code the scheme and the dimension (part of the scheme's concept).",
        concepts,
    )


def _code_systems() -> list[dict[str, Any]]:
    return [
        _level_system("GENERIC", "the common continuum of program descriptions"),
        _level_system("ASAM3", "the ASAM Criteria, 3rd edition"),
        _level_system("ASAM4", "the ASAM Criteria, 4th edition"),
        _level_system("LOCUS", "LOCUS Adult Version 20"),
        _level_system("TEDS", "SAMHSA's TEDS service settings"),
        _code_system(
            SERVICE_SYSTEM,
            "Service",
            "Services of a program",
            "What a session or an intervention delivers (`carecontinuum.Service`; a break is "
            "not clinical time and is never coded).",
            _enum_concepts(s.value for s in Service if s.is_clinical),
        ),
        _code_system(
            CARE_ROLE_SYSTEM,
            "CareRole",
            "Care-team roles",
            "The care-team role responsible for an intervention (`carecontinuum.CareRole`).",
            _enum_concepts(r.value for r in CareRole),
        ),
        _code_system(
            AFTERCARE_SERVICE_SYSTEM,
            "AftercareService",
            "Aftercare services",
            "Support planned for after discharge (`carecontinuum.AftercareService`).",
            _enum_concepts(a.value for a in AftercareService),
        ),
        _code_system(
            CARE_PLAN_CATEGORY_SYSTEM,
            "CarePlanCategory",
            "Care plan categories",
            "The category of the treatment plans carecontinuum writes as CarePlans.",
            _enum_concepts(_PLAN_CATEGORIES),
        ),
        _code_system(
            DISCHARGE_REASON_SYSTEM,
            "DischargeReason",
            "Discharge reasons",
            "Why an episode ended (`carecontinuum.DischargeReason`), an Encounter's "
            "hospitalization.dischargeDisposition.",
            _enum_concepts(r.value for r in DischargeReason),
        ),
        _code_system(
            EPISODE_PART_SYSTEM,
            "EpisodePart",
            "Parts of an episode",
            "What an Encounter of an episode holds (its type): a stay at a level, or a "
            "service alongside it.",
            [{"code": code, "display": display} for code, display in _PART_DISPLAY.items()],
        ),
        _assessment_system(),
        _code_system(
            POPULATION_SYSTEM,
            "Population",
            "Populations of a program",
            "Who a program serves (`carecontinuum.Population`): a program's PlanDefinition "
            "useContext 'age'.",
            _enum_concepts(p.value for p in Population),
        ),
        _code_system(
            TRACK_SYSTEM,
            "Track",
            "Tracks of a program",
            "The conditions a program treats (`carecontinuum.Track`): a program's PlanDefinition "
            "useContext 'focus'.",
            _enum_concepts(t.value for t in Track),
        ),
        _code_system(
            DELIVERY_MODE_SYSTEM,
            "DeliveryMode",
            "Delivery modes",
            "How a program's sessions are delivered (`carecontinuum.DeliveryMode`).",
            _enum_concepts(m.value for m in DeliveryMode),
        ),
        _code_system(
            MODALITY_SYSTEM,
            "Modality",
            "Therapeutic modalities",
            "The therapeutic approaches a program uses (`carecontinuum.Modality`).",
            _enum_concepts(m.value for m in Modality),
        ),
    ]


@attrs.frozen
class _Part:
    """A part of a complex extension: its url (the slice name), value type and cardinality."""

    url: str
    type: str
    required: bool
    short: str


@attrs.frozen
class _Extension:
    """An extension the library writes: where, how often, and its value or its parts."""

    url: str
    name: str
    title: str
    contexts: tuple[str, ...]
    repeats: bool
    description: str
    value_type: str | None = None
    parts: tuple[_Part, ...] = ()
    #: For a canonical or a Reference, the profile of what it names.
    target: str | None = None
    status: str = "active"


_EXTENSIONS: Final = (
    _Extension(
        AUTHORIZATION_EXTENSION,
        "Authorization",
        "Payer authorization of a level",
        ("EpisodeOfCare",),
        True,
        "One payer authorization of a level of care for the episode (`carecontinuum."
        "Authorization`): the level, the days authorized (both inclusive), and if recorded the "
        "payer, the next review and the units.",
        parts=(
            _Part("level", "CodeableConcept", True, "The level of care authorized"),
            _Part("period", "Period", True, "The days authorized, both inclusive"),
            _Part("payer", "string", False, "The payer"),
            _Part("nextReview", "date", False, "The day of the next utilization review"),
            _Part("units", "positiveInt", False, "The units (days or sessions) authorized"),
        ),
    ),
    _Extension(
        DISCHARGE_EXTENSION,
        "Discharge",
        "Discharge details",
        ("Encounter.hospitalization",),
        False,
        "The parts of a discharge (`carecontinuum.Discharge`) FHIR has no element for: the "
        "level of care referred to and the note.",
        parts=(
            _Part("referredTo", "CodeableConcept", False, "The level of care referred to"),
            _Part("note", "string", False, "The discharge note"),
        ),
    ),
    _Extension(
        PROGRAM_DEFINITION_EXTENSION,
        "ProgramDefinition",
        "Program of a stay",
        ("Encounter",),
        False,
        "The program the stay recorded: the canonical url of its PlanDefinition (HL7's "
        "workflow-instantiatesCanonical is not allowed on an Encounter in R4).",
        value_type="canonical",
        target="http://hl7.org/fhir/StructureDefinition/PlanDefinition",
    ),
    _Extension(
        DELIVERY_MODE_EXTENSION,
        "DeliveryMode",
        "Delivery mode",
        ("PlanDefinition", "PlanDefinition.action"),
        False,
        "How a program's sessions are delivered (`carecontinuum.DeliveryMode`): on a "
        "PlanDefinition, the program's; on an action, a session's own when it has one.",
        value_type="Coding",
    ),
    _Extension(
        MODALITY_EXTENSION,
        "Modality",
        "Therapeutic modality",
        ("PlanDefinition",),
        True,
        "A therapeutic approach a program uses (`carecontinuum.Modality`), one per approach.",
        value_type="Coding",
    ),
    _Extension(
        SEGMENT_EXTENSION,
        "ProgramSegment",
        "Segment of a session",
        ("PlanDefinition.action",),
        True,
        "One stretch of a session given to one service (`carecontinuum.Segment`), in order: "
        "the service (none for a break, which is not clinical time), its length and its label. "
        "The segments' lengths add up to the Timing's duration.",
        parts=(
            _Part("service", "Coding", False, "The service; absent for a break"),
            _Part("duration", "Duration", True, "How long the segment lasts"),
            _Part("label", "string", False, "The segment's name for display"),
        ),
    ),
    _Extension(
        SESSION_EXTENSION,
        "ProgramSession",
        "Session details",
        ("PlanDefinition.action",),
        False,
        "What of a session (`carecontinuum.Session`) a Timing cannot say, each only when it is "
        "not the default: the week of its period-week cycle it is held in (0-based, counted "
        "from the program's first week; default 0), and whether its day is a program day "
        "(default true; false for a separate appointment).",
        parts=(
            _Part("weekOffset", "unsignedInt", False, "The week of the cycle it is held in"),
            _Part("programDay", "boolean", False, "Whether its day counts as a program day"),
        ),
    ),
    _Extension(
        PROGRAM_EXTENSION,
        "Program",
        "Program of a stay (retired)",
        ("Encounter",),
        False,
        "The program a stay recorded, as the JSON text of carecontinuum's plain data "
        "(`carecontinuum.to_dict`, schema carecontinuum/1.x). Retired: no longer written (see "
        "program-definition), still read in Bundles of earlier versions.",
        value_type="string",
        status="retired",
    ),
)


def _element(element_id: str, **fields: Any) -> dict[str, Any]:
    path = re.sub(r":[^.]+", "", element_id)
    return {"id": element_id, "path": path, **fields}


def _structure_definition(spec: _Extension) -> dict[str, Any]:
    elements = [
        _element(
            "Extension",
            short=spec.title,
            definition=spec.description,
            min=0,
            max="*" if spec.repeats else "1",
        )
    ]
    if spec.parts:
        required = sum(part.required for part in spec.parts)
        elements.append(
            _element(
                "Extension.extension",
                slicing={"discriminator": [{"type": "value", "path": "url"}], "rules": "open"},
                min=required,
            )
        )
        for part in spec.parts:
            at = f"Extension.extension:{part.url}"
            elements += [
                _element(
                    at,
                    sliceName=part.url,
                    short=part.short,
                    definition=part.short,
                    min=int(part.required),
                    max="1",
                ),
                _element(f"{at}.extension", max="0"),
                _element(f"{at}.url", fixedUri=part.url),
                _element(f"{at}.value[x]", min=1, type=[{"code": part.type}]),
            ]
    else:
        elements.append(_element("Extension.extension", max="0"))
    elements.append(_element("Extension.url", fixedUri=spec.url))
    if spec.value_type is None:
        elements.append(_element("Extension.value[x]", max="0"))
    else:
        kind: dict[str, Any] = {"code": spec.value_type}
        if spec.target is not None:
            kind["targetProfile"] = [spec.target]
        elements.append(_element("Extension.value[x]", min=1, type=[kind]))
    return {
        "resourceType": "StructureDefinition",
        "id": spec.url.rsplit("/", 1)[1],
        "url": spec.url,
        "name": spec.name,
        "title": spec.title,
        "status": spec.status,
        "experimental": False,
        "publisher": _PUBLISHER,
        "description": spec.description,
        "kind": "complex-type",
        "abstract": False,
        "context": [{"type": "element", "expression": where} for where in spec.contexts],
        "type": "Extension",
        "baseDefinition": _EXTENSION_BASE,
        "derivation": "constraint",
        "differential": {"element": elements},
    }


def definitions() -> dict[str, Any]:
    """The library's own code systems and extensions as FHIR R4 resources, in a transaction
    Bundle (a JSON-safe dict): load it into a FHIR server, or give its resources to the HL7
    validator, so that every code and extension the library writes resolves.

    The Bundle holds, in this order:

    - a ``CodeSystem`` for every code system of the library's own (each ``*_SYSTEM`` constant
      of this module: the levels of each scheme, services, care-team roles, aftercare
      services, the plan category, discharge reasons, episode parts, assessments,
      populations, tracks, delivery modes, modalities), with
      ``content`` ``complete``: every code the library writes in that system, with the same
      ``display`` as the codings it writes, and no other code. The assessment system nests
      each scheme's dimensions (``ASAM3:1``) under the scheme (``ASAM3``);
    - a ``StructureDefinition`` for every extension it writes (each ``*_EXTENSION`` constant):
      an Extension profile (``kind`` complex-type, ``derivation`` constraint) whose
      ``context`` is where the library puts it and whose differential gives its value type or
      its parts (sub-extensions by url, each with its type and cardinality); `PROGRAM_EXTENSION`,
      read but no longer written, has ``status`` ``retired``. It states no
      ``fhirVersion``: it holds for R4 4.0.0 and 4.0.1 alike.

    Each resource's ``id`` is the last segment of its ``url`` (``level-of-care-asam3``), and
    its entry's ``fullUrl`` is the ``url`` itself. Each entry's ``request`` is ``PUT
    CodeSystem/<id>`` (or ``StructureDefinition/<id>``), so a server takes the Bundle in one
    POST and a second POST updates what the first created. The resources are built from the
    tables the library writes from (the catalogs and the enums), on each call: a new dict
    each time, which the caller may change.

    Returns:
        A ``Bundle`` of type ``transaction``; its ``entry[i].resource`` are the definitions.

    >>> sent = definitions()
    >>> sent["type"], sorted({e["resource"]["resourceType"] for e in sent["entry"]})
    ('transaction', ['CodeSystem', 'StructureDefinition'])
    >>> asam3 = next(e["resource"] for e in sent["entry"]
    ...              if e["resource"]["url"] == ASAM3_SYSTEM)
    >>> asam3["content"], asam3["concept"][5]
    ('complete', {'code': '2.1', 'display': 'Intensive Outpatient Services'})
    >>> next(e for e in sent["entry"]
    ...      if e["fullUrl"] == PROGRAM_DEFINITION_EXTENSION)["request"]
    {'method': 'PUT', 'url': 'StructureDefinition/program-definition'}
    """
    resources = _code_systems() + [_structure_definition(spec) for spec in _EXTENSIONS]
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": resource["url"],
                "resource": resource,
                "request": {
                    "method": "PUT",
                    "url": f"{resource['resourceType']}/{resource['id']}",
                },
            }
            for resource in resources
        ],
    }
