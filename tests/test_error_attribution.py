"""Errors point at the argument the caller wrote: for every public constructor, factory,
operation and function, and each of its parameters, a wrong value (with the other arguments
valid) is refused with a `CareContinuumError` whose `field` is that parameter (or a path from
it, ``sessions[2].every_weeks``), or, for an error without a field, whose message names it.
An internal name (``segments`` for ``hours_per_session``, ``utc_us`` for ``day``) is a bug."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs
import pendulum
import pytest

import carecontinuum as cc
from carecontinuum import catalogs, fhir, rulesets
from fuzzing import NASTY, POOLS, PUBLIC_CLASSES, check_error

GENERIC, ASAM3 = catalogs.GENERIC, catalogs.ASAM3
IOP = GENERIC["IOP"]
MONDAY = date(2026, 3, 2)
PROGRAM = cc.ProgramStructure.weekly(
    ASAM3["2.1"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8
)
CALENDAR = cc.expand(PROGRAM, MONDAY, "America/New_York")
EPISODE = (
    cc.Episode.admit("c-1", "2.1", MONDAY, continuum=ASAM3)
    .add_concurrent("OTP", MONDAY + timedelta(days=1))
    .authorize("2.1", MONDAY, MONDAY + timedelta(days=30))
)
SOURCE = cc.Source("clinic")
CENSUS = cc.census([EPISODE], MONDAY, MONDAY + timedelta(30))
LENGTHS = cc.StayLengths(IOP, (3, 5, 9), (True, False, True))
MODEL = cc.FlowModel(GENERIC, admissions={"IOP": 2.0}, length_of_stay={"IOP": 10})
RULE = rulesets.ASAM3.rules[0]
ASSESSMENT = POOLS[cc.Assessment][0]
PLACEMENT = POOLS[cc.Placement][0]
PLAN = POOLS[cc.TreatmentPlan][0]
ATTENDANCE = POOLS[cc.Attendance][0]
CLAIMS = {"client": ["c-1", "c-1"], "start": [s.start for s in CALENDAR.sessions[:2]],
          "status": ["present", "absent"]}  # fmt: skip
CLIENT_WEEKS = cc.judge_client_weeks(CLAIMS, CALENDAR, rulesets.ASAM3)
FIGURES = POOLS[cc.WeekFigures][0]
NOW = pendulum.datetime(2026, 3, 2, 18, tz="UTC")


def _factory(**extra: Any) -> dict[str, Any]:
    """Valid arguments of a rule factory of `rulesets` (the others are left at defaults)."""
    return {"rule_id": "X-1", "title": "t", "source": SOURCE, "levels": [IOP], **extra}


#: A valid call of every public callable that takes arguments (constructors are drawn from the
#: pools below): name -> (callable, valid arguments by parameter name).
CALLS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "ProgramStructure.weekly": (
        cc.ProgramStructure.weekly,
        {
            "level": IOP,
            "days": ["mon", "wed"],
            "hours_per_session": 3,
            "weeks": 8,
            "population": cc.Population.ADULT,
            "track": cc.Track.SUBSTANCE_USE,
            "start": "09:00",
            "services": [cc.Service.GROUP_THERAPY],
            "name": "x",
            "delivery_mode": cc.DeliveryMode.IN_PERSON,
            "modalities": [],
            "overnight": False,
        },
    ),
    "ProgramStructure.sessions_in_week": (PROGRAM.sessions_in_week, {"week": 1}),
    "ProgramStructure.sessions_over": (PROGRAM.sessions_over, {"weeks": 2}),
    "ProgramStructure.hours_over": (PROGRAM.hours_over, {"weeks": 2}),
    "Session.occurs_in_week": (PROGRAM.sessions[0].occurs_in_week, {"week": 1}),
    "Session.occurrences": (PROGRAM.sessions[0].occurrences, {"weeks": 2}),
    "AttendanceRecord.extra": (
        cc.AttendanceRecord.extra,
        {
            "start": NOW,
            "end": NOW + timedelta(hours=1),
            "service": cc.Service.INDIVIDUAL_THERAPY,
            "status": cc.AttendanceStatus.PARTIAL,
            "attended": timedelta(minutes=30),
            "client_id": "c-1",
            "program_day": False,
        },
    ),
    "Attendance.record_for": (ATTENDANCE.record_for, {"session": CALENDAR.sessions[0]}),
    "Assessment.rating": (ASSESSMENT.rating, {"code": cc.dimensions(ASSESSMENT.scheme)[0].code}),
    "Authorization.covers": (EPISODE.authorizations[0].covers, {"day": MONDAY}),
    "Calendar.between": (CALENDAR.between, {"first": MONDAY, "last": MONDAY + timedelta(days=6)}),
    "Continuum.get": (GENERIC.get, {"code": "IOP"}),
    "Continuum.level": (GENERIC.level, {"level": "IOP"}),
    "Continuum.step_up": (GENERIC.step_up, {"level": "IOP"}),
    "Continuum.step_down": (GENERIC.step_down, {"level": "IOP"}),
    "Episode.admit": (
        cc.Episode.admit,
        {
            "client_id": "c-1",
            "level": "IOP",
            "on": MONDAY,
            "continuum": GENERIC,
            "reason": "r",
            "assessment": None,
            "program": None,
        },
    ),
    "Episode.step_to": (
        EPISODE.step_to,
        {
            "level": "2.5",
            "on": MONDAY + timedelta(days=9),
            "reason": "r",
            "assessment": None,
            "program": None,
        },
    ),
    "Episode.discharge": (
        EPISODE.discharge,
        {
            "on": MONDAY + timedelta(days=9),
            "reason": cc.DischargeReason.COMPLETED,
            "note": "n",
            "referred_to": ASAM3["1"],
        },
    ),
    "Episode.add_concurrent": (
        EPISODE.add_concurrent,
        {"level": "1-WM", "on": MONDAY + timedelta(days=9), "reason": "r"},
    ),
    "Episode.end_concurrent": (
        EPISODE.end_concurrent,
        {"level": "OTP", "on": MONDAY + timedelta(days=9)},
    ),
    "Episode.authorize": (
        EPISODE.authorize,
        {
            "level": "2.1",
            "start": MONDAY + timedelta(days=31),
            "end": MONDAY + timedelta(days=60),
            "payer": "p",
            "next_review": MONDAY + timedelta(days=45),
            "units": 10,
        },
    ),
    "Episode.level_on": (EPISODE.level_on, {"day": MONDAY}),
    "Episode.days_by_level": (EPISODE.days_by_level, {"through": MONDAY + timedelta(days=3)}),
    "Episode.authorized_on": (EPISODE.authorized_on, {"day": MONDAY}),
    "Episode.days_authorization_differs": (
        EPISODE.days_authorization_differs,
        {"through": MONDAY + timedelta(days=3)},
    ),
    "NeedsPolicy.default": (cc.NeedsPolicy.default, {"scheme": "ASAM3"}),
    "NeedsPolicy.recommend": (
        cc.NeedsPolicy.default(ASSESSMENT.scheme).recommend,
        {"assessment": ASSESSMENT, "continuum": catalogs.ALL[ASSESSMENT.scheme]},
    ),
    "Placement.choose": (
        PLACEMENT.choose,
        {"level": PLACEMENT.recommended, "reason": None, "note": None},
    ),
    "Rule.param": (RULE.param, {"name": next(iter(RULE.params))}),
    "RuleSet.with_severity": (
        rulesets.ASAM3.with_severity,
        {"rule_id": RULE.id, "severity": cc.Severity.WARNING},
    ),
    "RuleSet.override": (
        rulesets.ASAM3.override,
        {"rule_id": RULE.id, "source": SOURCE, **RULE.params},
    ),
    "RuleSet.levels": (rulesets.ASAM3.levels, {"tag": "intensity"}),
    "RuleSet.in_force": (rulesets.NC_SAIOP_2026.in_force, {"day": MONDAY}),
    "RuleSeries.version_on": (rulesets.NC_SAIOP_SERIES.version_on, {"day": MONDAY}),
    "Stay.days_through": (EPISODE.stays[0].days_through, {"day": MONDAY + timedelta(days=3)}),
    "TreatmentPlan.review_due": (PLAN.review_due, {"on": PLAN.start}),
    "TreatmentPlan.reviewed": (PLAN.reviewed, {"on": PLAN.start, "next_review": None}),
    "TreatmentPlan.with_aftercare": (PLAN.with_aftercare, {"aftercare": POOLS[cc.Aftercare][0]}),
    "WeekFigures.hours_on": (FIGURES.hours_on, {"weekday": 0}),
    "WeekFigures.services_on": (FIGURES.services_on, {"weekday": 0}),
    "WeekFigures.paths_on": (FIGURES.paths_on, {"weekday": 0}),
    "classify": (cc.classify, {"program": PROGRAM, "ruleset": rulesets.ASAM3, "on": MONDAY}),
    "classify_many": (
        cc.classify_many,
        {"designs": [PROGRAM], "ruleset": rulesets.ASAM3, "on": MONDAY, "continuum": None},
    ),
    "validate_many": (
        cc.validate_many,
        {
            "designs": [PROGRAM],
            "ruleset": rulesets.ASAM3,
            "as_level": None,
            "on": MONDAY,
            "continuum": None,
        },
    ),
    "crosswalk": (cc.crosswalk, {"level": IOP, "to": ASAM3, "within": None}),
    "teds_setting": (cc.teds_setting, {"stay": EPISODE.stays[0], "within": ASAM3}),
    "dimensions": (cc.dimensions, {"scheme": "ASAM3"}),
    "expand": (
        cc.expand,
        {"program": PROGRAM, "start": MONDAY, "tz": "UTC", "closures": [], "until": None},
    ),
    "from_dict": (cc.from_dict, {"cls": cc.ProgramStructure, "data": cc.to_dict(PROGRAM)}),
    "place": (
        cc.place,
        {"assessment": ASSESSMENT, "continuum": catalogs.ALL[ASSESSMENT.scheme], "policy": None},
    ),
    "to_dict": (cc.to_dict, {"value": PROGRAM}),
    "judge_client_weeks": (
        cc.judge_client_weeks,
        {"claims": CLAIMS, "schedule": CALENDAR, "ruleset": rulesets.ASAM3},
    ),
    "ClientWeeks.weeks": (CLIENT_WEEKS.weeks, {"client": "c-1"}),
    "ClientWeeks.findings": (CLIENT_WEEKS.findings, {"client": "c-1"}),
    "validate": (
        cc.validate,
        {"subject": PROGRAM, "ruleset": rulesets.ASAM3, "as_level": None, "on": MONDAY},
    ),
    "fhir.appointments": (
        fhir.appointments,
        {
            "calendar": ATTENDANCE.calendar,
            "attendance": ATTENDANCE,
            "patient": "Patient/p-1",
            "id_prefix": "s",
        },
    ),
    "fhir.care_plan": (fhir.care_plan, {"plan": PLAN, "id": "p-1", "on": PLAN.start}),
    "fhir.episode_of_care": (
        fhir.episode_of_care,
        {
            "episode": EPISODE,
            "id": "e-1",
            "patient": "Patient/1",
            "patient_system": "https://x.example/mrn",
            "identifier_system": "https://x.example/ids",
            "identifier": "E-1",
        },
    ),
    "fhir.bundle": (
        fhir.bundle,
        {
            "episode": EPISODE,
            "patient": "Patient/1",
            "patient_system": "https://x.example/mrn",
            "identifier_system": "https://x.example/ids",
            "identifier": "E-1",
        },
    ),
    "fhir.read_episode": (fhir.read_episode, {"bundle": fhir.bundle(EPISODE)}),
    "fhir.level_coding": (fhir.level_coding, {"level": IOP}),
    "fhir.level_from_coding": (fhir.level_from_coding, {"coding": fhir.level_coding(IOP)}),
    "census": (
        cc.census,
        {
            "episodes": [EPISODE],
            "start": MONDAY,
            "end": MONDAY + timedelta(30),
            "continuum": ASAM3,
        },
    ),
    "Census.on": (CENSUS.on, {"day": MONDAY}),
    "Census.series": (CENSUS.series, {"level": "2.1", "concurrent": False}),
    "Census.capacity": (CENSUS.capacity, {"level": "2.1", "share": 0.95}),
    "Census.stays_begun": (CENSUS.stays_begun, {"level": "2.1"}),
    "Census.lengths_of_stay": (CENSUS.lengths_of_stay, {"level": "2.1"}),
    "DayCensus.clients": (CENSUS.on(MONDAY).clients, {"level": "2.1", "concurrent": False}),
    "DayCensus.get": (CENSUS.on(MONDAY).get, {"level": "2.1", "default": None}),
    "StayLengths.survival": (LENGTHS.survival, {"days": 3}),
    "StayLengths.quantile": (LENGTHS.quantile, {"share": 0.5}),
    "StayLengths.mean": (LENGTHS.mean, {"within": 30}),
    "FlowModel.simulate": (MODEL.simulate, {"days": 20, "seed": 1, "start": MONDAY, "warm_up": 5}),
    "FlowModel.fit": (
        cc.FlowModel.fit,
        {
            "history": [EPISODE.discharge(MONDAY + timedelta(40), "completed")],
            "start": MONDAY,
            "end": MONDAY + timedelta(60),
        },
    ),
    "rulesets.per_diem_days": (rulesets.per_diem_days, {"subject": ATTENDANCE, "unit_minutes": 60}),
    "rulesets.per_diem_periods": (
        rulesets.per_diem_periods,
        {"subject": ATTENDANCE, "per": "month", "unit_minutes": 60},
    ),
    "rulesets.billing_codes": (
        rulesets.billing_codes,
        {"level": IOP, "track": cc.Track.SUBSTANCE_USE, "system": rulesets.BillingSystem.HCPCS},
    ),
    "rulesets.authorized_units": (
        rulesets.authorized_units,
        {"attendance": ATTENDANCE, "unit": "hours", "lead_days": 7},
    ),
    "rulesets.attendance_rate": (rulesets.attendance_rate, _factory(at_least=0.8)),
    "rulesets.daily_hours": (rulesets.daily_hours, _factory(at_least=3, include_breaks=False)),
    "rulesets.days_per_week": (rulesets.days_per_week, _factory(at_least=3)),
    "rulesets.days_without_service": (rulesets.days_without_service, _factory(at_most=2)),
    "rulesets.program_weeks": (rulesets.program_weeks, _factory(at_least=4)),
    "rulesets.service_every_day": (
        rulesets.service_every_day,
        _factory(services=[cc.Service.GROUP_THERAPY]),
    ),
    "rulesets.session_hours": (rulesets.session_hours, _factory(at_most=4)),
    "rulesets.sessions_per_week": (rulesets.sessions_per_week, _factory(at_least=3)),
    "rulesets.weekly_hours": (rulesets.weekly_hours, _factory(at_least=9, at_most=20)),
    "rulesets.typical_weekly_hours": (
        rulesets.typical_weekly_hours,
        _factory(at_least=1, at_most=3),
    ),
    "rulesets.loads": (rulesets.loads, {"text": rulesets.dumps(rulesets.TEDS)}),
    "rulesets.dumps": (rulesets.dumps, {"ruleset": rulesets.TEDS}),
}

#: Constructor arguments that take any value (a finding quotes what it found).
ANY_FIELD = {"subject"}

#: Parameters that take any value: nothing to refuse.
TAKES_ANYTHING = {
    ("DayCensus.get", "default"),
    ("DayCensus.get", "level"),  # a look-up that answers the default for what it does not hold
    ("Continuum.get", "default"),
    ("Continuum.get", "code"),  # a look-up that answers None for what it does not hold
    ("validate", "subject"),  # anything: a subject no rule judges gets an INFO finding
    ("classify", "program"),
}

#: Wrong values in range where a parameter has one (the type is right, the value is not):
#: (callable, parameter) -> values. Wrong types are `WRONG_TYPES` and the whole NASTY pool.
OUT_OF_RANGE: dict[tuple[str, str], tuple[Any, ...]] = {
    ("census", "end"): (MONDAY - timedelta(1),),
    ("census", "continuum"): (GENERIC,),
    ("Census.on", "day"): (MONDAY + timedelta(31), MONDAY - timedelta(1)),
    ("Census.series", "level"): ("IOP", IOP),
    ("Census.capacity", "share"): (0, 1.5, -0.1),
    ("StayLengths.quantile", "share"): (0, 1.5),
    ("StayLengths.mean", "within"): (-1,),
    ("FlowModel.simulate", "days"): (0, -1, 10**9),
    ("FlowModel.simulate", "warm_up"): (-1,),
    ("FlowModel.simulate", "seed"): (-1,),
    ("ProgramStructure.weekly", "hours_per_session"): (25, 0, -3, 169, timedelta(hours=25)),
    ("ProgramStructure.weekly", "weeks"): (0, -1, 10**9, (12, 6)),
    ("ProgramStructure.weekly", "days"): ([], ["mon", "mon"], ["someday"]),
    ("ProgramStructure.weekly", "start"): ("25:00", "9am"),
    ("ProgramStructure.weekly", "name"): ("", " ", "x" * 10_001),
    ("ProgramStructure.weekly", "services"): ([],),
    ("ProgramStructure.sessions_in_week", "week"): (-1,),
    ("ProgramStructure.sessions_over", "weeks"): (-1, 10**30),
    ("ProgramStructure.hours_over", "weeks"): (-1, 10**30),
    ("Session.occurs_in_week", "week"): (-1,),
    ("WeekFigures.hours_on", "weekday"): (-1, 7),
    ("WeekFigures.services_on", "weekday"): (-1, 7),
    ("WeekFigures.paths_on", "weekday"): (-1, 7),
    ("Session.occurrences", "weeks"): (-1, 10**30),
    ("AttendanceRecord.extra", "end"): (NOW - timedelta(hours=1), NOW + timedelta(hours=25)),
    ("AttendanceRecord.extra", "attended"): (timedelta(hours=-1), timedelta(hours=2)),
    ("AttendanceRecord.extra", "client_id"): ("",),
    ("Assessment.rating", "code"): ("9", "x" * 200),
    ("Calendar.between", "last"): (MONDAY - timedelta(days=1),),
    ("Episode.admit", "client_id"): ("", "\x00"),
    ("Episode.admit", "level"): ("9.9", 2.1),
    ("Episode.step_to", "on"): (MONDAY - timedelta(days=1),),
    ("Episode.step_to", "level"): ("9.9", "2.1"),
    ("Episode.discharge", "on"): (MONDAY - timedelta(days=1),),
    ("Episode.authorize", "end"): (MONDAY,),
    ("Episode.authorize", "units"): (0, -1, 10**30),
    ("Episode.authorize", "level"): ("9.9",),
    ("Placement.choose", "level"): (GENERIC["OP"],),
    ("Rule.param", "name"): ("nope",),
    ("RuleSet.with_severity", "rule_id"): ("NOPE",),
    ("RuleSet.override", "rule_id"): ("NOPE",),
    ("dimensions", "scheme"): ("NOPE",),
    ("expand", "tz"): ("Mars/Olympus_Mons",),
    ("fhir.appointments", "id_prefix"): ("bad id!", "a" * 41),
    ("fhir.appointments", "patient"): ("", "Patient/ 1", {"display": "Ann"}),
    ("fhir.care_plan", "id"): ("bad id!", "a" * 65),
    ("fhir.episode_of_care", "id"): ("bad id!", "a" * 65),
    ("rulesets.per_diem_days", "unit_minutes"): (0, -1, 10**30),
    ("rulesets.per_diem_periods", "unit_minutes"): (0, -1, 10**30),
    ("rulesets.authorized_units", "unit"): ("visits", "Sessions", ""),
    ("rulesets.authorized_units", "lead_days"): (-1, 10**30),
    **{
        (f"rulesets.{name}", bound): (-1, 10**30)
        for name in (
            "daily_hours",
            "days_per_week",
            "program_weeks",
            "session_hours",
            "sessions_per_week",
            "weekly_hours",
            "typical_weekly_hours",
        )
        for bound in ("at_least", "at_most")
    },
    ("rulesets.attendance_rate", "at_least"): (-0.1, 1.5),
    ("rulesets.days_without_service", "at_most"): (-1,),
}


class _Nothing:
    """A value of a type no parameter takes."""

    def __repr__(self) -> str:
        return "<nothing>"


#: A value of the wrong type for every parameter (except those that take anything).
WRONG_TYPES: tuple[Any, ...] = (_Nothing(),)


def _head(field: str) -> str:
    """The argument a field's path starts from: ``sessions`` of ``sessions[2].every_weeks``."""
    return re.split(r"[.\[]", field, maxsplit=1)[0]


def _names(error: cc.CareContinuumError, param: str, value: object, params: list[str]) -> bool:
    """Whether `error` points at `param`: its field is `param` or a path from it; or another
    argument of the same call (an error about how the two fit together: ``end`` before
    ``start``); or, for an error without a field, its message names the parameter (an episode's
    operation: "'on' (2026-03-01) is before the episode's last event"), or it is a failed
    look-up (a level code, a rule id) of the very value given. A field that is no argument of
    the call (``duration`` for ``hours_per_session``) is a misattribution."""
    field = getattr(error, "field", None)
    if isinstance(field, str):
        return _head(field) in params
    if isinstance(error, cc.UnknownLevelError) and error.code is value:
        return True
    if isinstance(error, cc.UnknownRuleError) and error.rule_id is value:
        return True
    return re.search(rf"\b{re.escape(param)}\b", str(error)) is not None


def _parameters(fn: Callable[..., Any]) -> list[str]:
    return [
        name
        for name, p in inspect.signature(fn).parameters.items()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _probe(
    fn: Callable[..., Any], kwargs: dict[str, Any], param: str, value: Any
) -> BaseException | None:
    """What `fn` raises with `param` set to `value` and the other arguments valid."""
    try:
        fn(**{**kwargs, param: value})
    except Exception as error:  # any: a foreign one is a failure the test reports
        return error
    return None


def _misattributed(
    fn: Callable[..., Any],
    kwargs: dict[str, Any],
    param: str,
    values: tuple[Any, ...],
    *,
    must: bool,
) -> list[str]:
    """The values of `param` refused without naming it (or, with `must`, also accepted)."""
    params = _parameters(fn)
    wrong = []
    for value in values:
        error = _probe(fn, kwargs, param, value)
        if error is None:
            if must:
                wrong.append(f"{param}={value!r}: accepted")
        elif not isinstance(error, cc.CareContinuumError):
            wrong.append(f"{param}={value!r}: {type(error).__name__}: {error}")
        else:
            check_error(error, f"{param}={value!r:.60}")  # named, and a few lines long
            if not _names(error, param, value, params):
                field = getattr(error, "field", None)
                wrong.append(f"{param}={value!r}: field {field!r}: {error}")
    return wrong


def test_every_public_callable_with_arguments_is_probed() -> None:
    """CALLS lists every public function and every public method taking arguments."""
    listed = set()
    for module, prefix in ((cc, ""), (fhir, "fhir."), (rulesets, "rulesets.")):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) and _parameters(obj):
                listed.add(prefix + name)
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                for attr, member in vars(obj).items():
                    function = getattr(member, "__func__", member)
                    if not attr.startswith("_") and inspect.isfunction(function):
                        params = [p for p in _parameters(function) if p not in ("self", "cls")]
                        if params and prefix == "":
                            listed.add(f"{name}.{attr}")
    skipped = {
        "RuleContext.param",
        "RuleContext.finding",
        "RuleContext.deferred_finding",
        "LocusPolicy.recommend",
        "PlacementPolicy.recommend",
        "RuleSet.without",
        "rulesets.series",  # its versions are *rulesets; test_rules' TestRuleSeries probes them
    }
    assert listed - skipped <= set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_wrong_argument_is_refused_naming_it(name: str) -> None:
    """Each parameter given a value of the wrong type (or out of its range) is refused naming
    the parameter; any NASTY value it refuses names it too."""
    fn, kwargs = CALLS[name]
    assert fn(**kwargs) is not None or True  # the valid call works
    wrong = []
    for param in _parameters(fn):
        if (name, param) not in TAKES_ANYTHING:
            wrong += _misattributed(fn, kwargs, param, WRONG_TYPES, must=True)
            wrong += _misattributed(
                fn, kwargs, param, OUT_OF_RANGE.get((name, param), ()), must=True
            )
        wrong += _misattributed(fn, kwargs, param, NASTY, must=False)
    assert not wrong, "\n".join(wrong)


def _field_of(cls: type, param: str) -> str:
    return next(f.name for f in attrs.fields(cls) if f.alias == param)


@pytest.mark.parametrize("cls", PUBLIC_CLASSES, ids=lambda cls: cls.__name__)
def test_a_wrong_constructor_argument_is_refused_naming_it(cls: type) -> None:
    """Each argument of a public class's constructor, given a wrong value with the others
    those of a valid value, is refused naming it."""
    wrong = []
    for base in POOLS[cls][:2]:
        kwargs = {p: getattr(base, _field_of(cls, p)) for p in inspect.signature(cls).parameters}
        for param in kwargs:
            wrong += _misattributed(cls, kwargs, param, WRONG_TYPES, must=param not in ANY_FIELD)
            wrong += _misattributed(cls, kwargs, param, NASTY, must=False)
    assert not wrong, "\n".join(wrong)
