"""carecontinuum: the behavioral-health continuum of care as pure, typed Python values.

Layout: this facade re-exports the public names of private modules, one concept each:
`_levels` (levels and continua), `_program` (program structures), `_span` (min-max ranges),
`_crosswalk` (mapping between schemes), `_teds` (TEDS reporting), `_rules` and `_measures`
(the rule engine and what it measures), `_batch` (many designs judged at once, in columns),
`_client_weeks` (many clients' attendance judged in bulk), `_calendar` (dated, zoned session
calendars), `_attendance` (what a client attended), `_assessment` (assessments and
placement), `_plan` (treatment plans), `_episode` (a client's course through a continuum),
`_census` (a continuum's census by day and level), `_flow` (a model of the flow of clients
through it), `_dicts` (plain-data round trips), `_schema` (the JSON Schema of that data) and
`_errors` (exceptions). Public submodules: `catalogs` (the published schemes' levels) and
`rulesets` (the named rule sets and rule factories); `strategies` (hypothesis), `fhir` (FHIR
R4), `ics` (iCalendar files), `tables` (DataFrames), `charts` (Altair charts), `dask` (batch
functions on Dask) and `pytest_plugin` (fixtures) are imported only by those who ask for
them.

Only the exceptions load with ``import carecontinuum``; every other name loads its module on
first use, so a program that needs levels never pays for rule sets or calendars.

>>> import carecontinuum as cc
>>> iop = cc.catalogs.GENERIC["IOP"]
>>> program = cc.ProgramStructure.weekly(iop, days=["mon", "wed", "fri"], hours_per_session=3,
...                                      weeks=8)
>>> program.total_sessions, program.weekly_hours.total_hours()
(24, 9.0)
"""

import importlib as _importlib
import typing as _typing

from ._errors import (
    CareContinuumError,
    InvalidTypeError,
    InvalidValueError,
    ScheduleConflictError,
    SchemeMismatchError,
    TransitionError,
    UnknownLevelError,
    UnknownRuleError,
)

if _typing.TYPE_CHECKING:
    from . import catalogs, rulesets
    from ._assessment import (
        Assessment,
        DeviationReason,
        Dimension,
        LocusPolicy,
        NeedsPolicy,
        Placement,
        PlacementPolicy,
        PlacementReason,
        dimensions,
        place,
    )
    from ._attendance import Attendance, AttendanceRecord, AttendanceStatus, WeekDelivery
    from ._batch import (
        ClassifiedDesigns,
        DesignTable,
        ValidatedDesigns,
        classify_many,
        validate_many,
    )
    from ._calendar import Calendar, CalendarWeek, ScheduledSession, expand
    from ._census import Census, DayCensus, StayLengths, census
    from ._client_weeks import ClientWeeks, judge_client_weeks
    from ._crosswalk import Crosswalk, crosswalk
    from ._dicts import DataError, MissingExtraError, from_dict, to_dict
    from ._episode import (
        Authorization,
        Direction,
        Discharge,
        DischargeReason,
        Episode,
        Stay,
        Transition,
    )
    from ._flow import FlowModel
    from ._levels import Continuum, LevelOfCare, Management, Setting, Supervision
    from ._measures import WeekFigures
    from ._plan import (
        Aftercare,
        AftercareService,
        CareRole,
        Goal,
        Intervention,
        Objective,
        Problem,
        TreatmentPlan,
    )
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
    from ._rules import (
        Classification,
        DuplicateRuleError,
        Finding,
        Findings,
        Rule,
        RuleContext,
        RuleSeries,
        RuleSet,
        RuleViolation,
        RuleViolationError,
        Severity,
        Source,
        ValidationReport,
        classify,
        validate,
    )
    from ._schema import json_schema
    from ._span import Span
    from ._teds import teds_setting

# Where each lazily loaded public name lives ("" marks a public submodule).
_LAZY = {
    "catalogs": "",
    "rulesets": "",
    "Assessment": "_assessment",
    "DeviationReason": "_assessment",
    "Dimension": "_assessment",
    "NeedsPolicy": "_assessment",
    "LocusPolicy": "_assessment",
    "Placement": "_assessment",
    "PlacementPolicy": "_assessment",
    "PlacementReason": "_assessment",
    "dimensions": "_assessment",
    "place": "_assessment",
    "Aftercare": "_plan",
    "AftercareService": "_plan",
    "CareRole": "_plan",
    "Goal": "_plan",
    "Intervention": "_plan",
    "Objective": "_plan",
    "Problem": "_plan",
    "TreatmentPlan": "_plan",
    "to_dict": "_dicts",
    "from_dict": "_dicts",
    "DataError": "_dicts",
    "MissingExtraError": "_dicts",
    "json_schema": "_schema",
    "Attendance": "_attendance",
    "AttendanceRecord": "_attendance",
    "AttendanceStatus": "_attendance",
    "WeekDelivery": "_attendance",
    "ClassifiedDesigns": "_batch",
    "DesignTable": "_batch",
    "ValidatedDesigns": "_batch",
    "classify_many": "_batch",
    "validate_many": "_batch",
    "Calendar": "_calendar",
    "CalendarWeek": "_calendar",
    "ScheduledSession": "_calendar",
    "expand": "_calendar",
    "ClientWeeks": "_client_weeks",
    "judge_client_weeks": "_client_weeks",
    "Crosswalk": "_crosswalk",
    "Census": "_census",
    "DayCensus": "_census",
    "StayLengths": "_census",
    "census": "_census",
    "FlowModel": "_flow",
    "Authorization": "_episode",
    "Direction": "_episode",
    "Discharge": "_episode",
    "DischargeReason": "_episode",
    "Episode": "_episode",
    "Stay": "_episode",
    "Transition": "_episode",
    "crosswalk": "_crosswalk",
    "teds_setting": "_teds",
    "Continuum": "_levels",
    "LevelOfCare": "_levels",
    "Management": "_levels",
    "Setting": "_levels",
    "Supervision": "_levels",
    "WeekFigures": "_measures",
    "DeliveryMode": "_program",
    "Modality": "_program",
    "Population": "_program",
    "ProgramStructure": "_program",
    "Segment": "_program",
    "Service": "_program",
    "Session": "_program",
    "Track": "_program",
    "Classification": "_rules",
    "DuplicateRuleError": "_rules",
    "Finding": "_rules",
    "Findings": "_rules",
    "Rule": "_rules",
    "RuleContext": "_rules",
    "RuleSeries": "_rules",
    "RuleSet": "_rules",
    "RuleViolation": "_rules",
    "RuleViolationError": "_rules",
    "Severity": "_rules",
    "Source": "_rules",
    "ValidationReport": "_rules",
    "classify": "_rules",
    "validate": "_rules",
    "Span": "_span",
}


def __getattr__(name: str) -> object:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if module_name:
        value = getattr(_importlib.import_module(f"{__name__}.{module_name}"), name)
    else:
        value = _importlib.import_module(f"{__name__}.{name}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "Aftercare",
    "AftercareService",
    "Assessment",
    "Attendance",
    "AttendanceRecord",
    "AttendanceStatus",
    "Authorization",
    "Calendar",
    "CalendarWeek",
    "CareContinuumError",
    "CareRole",
    "Census",
    "Classification",
    "ClassifiedDesigns",
    "ClientWeeks",
    "Continuum",
    "Crosswalk",
    "DataError",
    "DayCensus",
    "DeliveryMode",
    "DesignTable",
    "DeviationReason",
    "Dimension",
    "Direction",
    "Discharge",
    "DischargeReason",
    "DuplicateRuleError",
    "Episode",
    "Finding",
    "Findings",
    "FlowModel",
    "Goal",
    "Intervention",
    "InvalidTypeError",
    "InvalidValueError",
    "LevelOfCare",
    "LocusPolicy",
    "Management",
    "MissingExtraError",
    "Modality",
    "NeedsPolicy",
    "Objective",
    "Placement",
    "PlacementPolicy",
    "PlacementReason",
    "Population",
    "Problem",
    "ProgramStructure",
    "Rule",
    "RuleContext",
    "RuleSeries",
    "RuleSet",
    "RuleViolation",
    "RuleViolationError",
    "ScheduleConflictError",
    "ScheduledSession",
    "SchemeMismatchError",
    "Segment",
    "Service",
    "Session",
    "Setting",
    "Severity",
    "Source",
    "Span",
    "Stay",
    "StayLengths",
    "Supervision",
    "Track",
    "Transition",
    "TransitionError",
    "TreatmentPlan",
    "UnknownLevelError",
    "UnknownRuleError",
    "ValidatedDesigns",
    "ValidationReport",
    "WeekDelivery",
    "WeekFigures",
    "catalogs",
    "census",
    "classify",
    "classify_many",
    "crosswalk",
    "dimensions",
    "expand",
    "from_dict",
    "json_schema",
    "judge_client_weeks",
    "place",
    "rulesets",
    "teds_setting",
    "to_dict",
    "validate",
    "validate_many",
]

__version__ = "0.1.0"
