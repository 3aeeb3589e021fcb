"""Bad input, fuzzed: every public constructor and operation, called with valid values mixed
with garbage, either returns a whole, valid value or raises a `CareContinuumError` that names
what was wrong. Never another exception, never a half-built object, never a hang.

Each test draws one callable of a group per example, so the long `fuzz` profile
(HYPOTHESIS_PROFILE=fuzz, 100,000 examples per test) spreads its examples over all of them.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import carecontinuum as cc
import fuzzing
from carecontinuum import catalogs, fhir, rulesets
from fuzzing import (
    ANY_VALID,
    GARBAGE,
    NASTY,
    POOLS,
    PUBLIC_CLASSES,
    SLOW_OK,
    WRITABLE,
    Mixer,
    _index,
    call,
    check_value,
    stay_programs,
    valid,
)

fuzz_settings = settings(suppress_health_check=SLOW_OK, deadline=None)

CONTINUA = tuple(catalogs.ALL.values())
ZONES = st.sampled_from(
    [
        "UTC",
        "America/New_York",
        "Europe/Berlin",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
        "America/St_Johns",
        "Asia/Kolkata",
    ]
)
ZONES_OR_OBJECTS = ZONES | ZONES.map(pendulum.timezone)
DATES = st.dates(date(2000, 1, 1), date(2100, 12, 31))
ANY_DATES = st.dates() | DATES.map(lambda d: pendulum.Date(d.year, d.month, d.day))
TEXT = st.sampled_from(["stable", "goals met", "c-1"]) | st.text(min_size=1, max_size=8)
LEVELS = valid(cc.LevelOfCare)
RULESETS = valid(cc.RuleSet)
SEVERITIES = st.sampled_from(cc.Severity)
Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def day_near(m: Mixer, day: date) -> Any:
    """A day around `day` (mostly on or after it), any date at all, or garbage."""
    return m.keep(m.near(day) if m.coin() else m.valid(ANY_DATES))


def level_of(m: Mixer, continuum: cc.Continuum) -> Any:
    """A level of `continuum` or its code, some other level, or garbage."""
    if m.coin():
        return m.keep(m.valid(LEVELS))
    level = m.pick(continuum.levels)
    return m.keep(level if m.coin() else level.code)


# ---- constructors -----------------------------------------------------------------------------


def _field_of(cls: type, param: str) -> str:
    for field in attrs.fields(cls):
        if field.alias == param:
            return field.name
    raise AssertionError(f"{cls.__name__}({param}=...) has no field")  # pragma: no cover


def _constructor(cls: type) -> Callable[[Mixer], Call]:
    """Arguments for `cls(...)`: the fields of a valid value (sometimes of two, mixed), each
    possibly garbage or, for a tuple, given as a list; defaults sometimes left out."""
    params = inspect.signature(cls).parameters

    def build(m: Mixer) -> Call:
        a, b = m.valid(valid(cls)), m.valid(valid(cls))
        kwargs: dict[str, Any] = {}
        for name, param in params.items():
            if param.default is not param.empty and m.coin():
                continue
            value = getattr(m.pick((a, a, b)), _field_of(cls, name))
            if isinstance(value, tuple) and m.coin():
                value = list(value)
            kwargs[name] = m.keep(value)
        return cls, (), kwargs

    return build


def _weekly(m: Mixer) -> Call:
    kwargs: dict[str, Any] = {
        "days": m(
            st.lists(
                st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
                min_size=1,
                max_size=4,
                unique=True,
            )
        ),
        "hours_per_session": m(st.sampled_from([3, 2.5, 1, pendulum.duration(hours=3)])),
        "weeks": m(st.integers(1, 52) | st.sampled_from([(6, 12), cc.Span(4, 8)])),
    }
    m.optional(kwargs, "population", st.sampled_from(cc.Population))
    m.optional(kwargs, "track", st.sampled_from(cc.Track))
    m.optional(kwargs, "start", st.sampled_from(["09:00", "18:00", pendulum.time(6), None]))
    m.optional(kwargs, "services", st.lists(st.sampled_from(cc.Service), min_size=1, max_size=3))
    m.optional(kwargs, "name", TEXT)
    m.optional(kwargs, "delivery_mode", st.sampled_from(cc.DeliveryMode))
    m.optional(kwargs, "modalities", st.lists(st.sampled_from(cc.Modality), max_size=2))
    m.optional(kwargs, "overnight", st.booleans())
    return cc.ProgramStructure.weekly, (m(LEVELS),), kwargs


_MOMENTS = st.datetimes(timezones=st.just(pendulum.timezone("UTC")))
_LENGTHS = st.timedeltas(timedelta(minutes=-30), timedelta(hours=4))


def _extra_record(m: Mixer) -> Call:
    start = m.valid(_MOMENTS)
    end = start + m.valid(_LENGTHS)
    kwargs: dict[str, Any] = {}
    m.optional(kwargs, "service", st.sampled_from(cc.Service))
    m.optional(kwargs, "status", st.sampled_from(cc.AttendanceStatus))
    m.optional(kwargs, "attended", st.timedeltas(timedelta(0), timedelta(hours=5)))
    m.optional(kwargs, "client_id", TEXT)
    m.optional(kwargs, "program_day", st.booleans())
    return cc.AttendanceRecord.extra, (m.keep(start), m.keep(end)), kwargs


def _needs_default(m: Mixer) -> Call:
    return cc.NeedsPolicy.default, (m(st.sampled_from(["ASAM3", "ASAM4", "LOCUS"])),), {}


def _admit(m: Mixer) -> Call:
    continuum = m.pick(CONTINUA)
    kwargs: dict[str, Any] = {"continuum": m.keep(continuum)}
    m.optional(kwargs, "reason", TEXT)
    m.optional(kwargs, "assessment", valid(cc.Assessment))
    level = level_of(m, continuum)
    m.optional(kwargs, "program", stay_programs(continuum, level))
    return cc.Episode.admit, (m(TEXT), level, m(ANY_DATES)), kwargs


CONSTRUCTORS: dict[str, Callable[[Mixer], Call]] = {
    **{cls.__name__: _constructor(cls) for cls in PUBLIC_CLASSES},
    "ProgramStructure.weekly": _weekly,
    "AttendanceRecord.extra": _extra_record,
    "NeedsPolicy.default": _needs_default,
    "Episode.admit": _admit,
}


def test_every_public_class_has_a_constructor_entry() -> None:
    assert len(PUBLIC_CLASSES) >= 30
    assert {cls.__name__ for cls in PUBLIC_CLASSES} <= set(CONSTRUCTORS)


@st.composite
def calls(draw: st.DrawFn, table: dict[str, Callable[[Mixer], Call]]) -> tuple[str, Call]:
    m = Mixer(draw)
    name = m.pick(sorted(table))
    return name, table[name](m)


def run(drawn: tuple[str, Call]) -> Any:
    _, (fn, args, kwargs) = drawn
    return call(fn, *args, **kwargs)


@fuzz_settings
@given(calls(CONSTRUCTORS))
def test_constructors(drawn: tuple[str, Call]) -> None:
    run(drawn)


# ---- from_dict --------------------------------------------------------------------------------

JSONISH = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "x" * 10_000,
            "monday",
            "PT3H",
            "2026-02-30",
            "25:00",
            "P-1D",
            "Mars/Olympus_Mons",
            "carecontinuum/2",
            "2026-03-02T18:00:00",
            {"scheme": "ASAM3", "code": "9.9"},
            {"scheme": "NOPE"},
            [],
            {},
        ]
    ).map(copy.deepcopy),  # a fresh copy: mangling mutates what it inserted
)


KEYS = st.text(max_size=6)


def _paths(data: object, limit: int = 400) -> list[tuple[Any, Any]]:
    """(container, key) for every value in nested data, breadth first, at most `limit`."""
    found: list[tuple[Any, Any]] = []
    queue = [data]
    while queue and len(found) < limit:
        node = queue.pop(0)
        keys = list(node) if isinstance(node, dict) else range(len(node))
        for key in keys:
            found.append((node, key))
            if isinstance(node[key], (dict, list)):
                queue.append(node[key])
    return found


def mangle(m: Mixer, data: dict[str, Any]) -> Any:
    for _ in range(m.draw(_index(4))):
        paths = _paths(data)
        if not paths:
            break
        node, key = m.pick(paths)
        action = m.pick(("drop", "extra", "json", "garbage", "tuple", "swap"))
        if action == "drop":
            del node[key]
        elif action == "extra" and isinstance(node, dict):
            node[m.draw(KEYS)] = m.draw(JSONISH)
        elif action == "extra":
            node.append(m.draw(JSONISH))
        elif action == "json":
            node[key] = m.draw(JSONISH)
        elif action == "garbage":
            node[key] = m.draw(GARBAGE)
        elif action == "tuple" and isinstance(node[key], list):
            node[key] = tuple(node[key])
        elif action == "swap" and isinstance(node[key], dict):
            node[key] = list(node[key].values())
    return data


def _plain(value: object) -> dict[str, Any] | None:
    try:
        return cc.to_dict(value)
    except cc.DataError:  # a custom rule set, say: documented as not writable
        return None


#: Plain data of the pooled values, by class, to mangle.
PLAIN = {
    cls: written
    for cls in sorted(WRITABLE, key=lambda c: c.__name__)
    if (written := tuple(d for d in map(_plain, POOLS[cls]) if d is not None))
}


_PLAIN_CLASSES = sorted(PLAIN, key=lambda c: c.__name__)


def _from_dict(m: Mixer) -> Call:
    cls = m.pick(_PLAIN_CLASSES)
    data = mangle(m, copy.deepcopy(m.pick(PLAIN[cls])))
    target = m.keep(m.pick((cls, cls, cls, cc.Span[int], m.pick(PUBLIC_CLASSES))))
    return cc.from_dict, (target, m.keep(data)), {}


@fuzz_settings
@given(calls({"from_dict": _from_dict}))
@example(("from_dict", (cc.from_dict, (cc.Span, {"schema": "carecontinuum/1"}), {})))
def test_from_dict(drawn: tuple[str, Call]) -> None:
    result = run(drawn)
    if result is not None:
        check_value(result, "from_dict")


# ---- calendars --------------------------------------------------------------------------------


def _expand(m: Mixer) -> Call:
    program = m.valid(valid(cc.ProgramStructure))
    start = m.valid(DATES)
    kwargs: dict[str, Any] = {}
    if m.coin():
        kwargs["closures"] = m.keep([m.near(start) for _ in range(m.draw(_index(5)))])
    if m.coin():
        low, high = program.min_weeks, program.max_weeks
        last = m.near(start + timedelta(days=7 * low - 4))
        weeks = low + m.draw(_index(high - low + 1))
        kwargs["until"] = m.keep(m.pick((None, weeks, last, 0, -1, 10**6, 10**30)))
    first = start if m.coin() else m.valid(ANY_DATES)
    return cc.expand, (m.keep(program), m.keep(first), m(ZONES_OR_OBJECTS)), kwargs


def _between(m: Mixer) -> Call:
    calendar = m.valid(valid(cc.Calendar))
    return calendar.between, (day_near(m, calendar.first), day_near(m, calendar.first)), {}


@fuzz_settings
@given(calls({"expand": _expand, "Calendar.between": _between}))
@example(("expand", (cc.expand, (POOLS[cc.ProgramStructure][0], date(9999, 12, 27), "UTC"), {})))
@example(
    ("expand", (cc.expand, (POOLS[cc.ProgramStructure][0], date(1, 1, 1), "Asia/Kolkata"), {}))
)
def test_expand(drawn: tuple[str, Call]) -> None:
    run(drawn)


# ---- validate and classify --------------------------------------------------------------------


def _validate(m: Mixer) -> Call:
    subject = m.valid(valid(cc.ProgramStructure) | ANY_VALID)
    kwargs: dict[str, Any] = {}
    m.optional(kwargs, "as_level", LEVELS)
    m.optional(kwargs, "on", ANY_DATES)
    return cc.validate, (m.keep(subject), m(RULESETS)), kwargs


def _classify(m: Mixer) -> Call:
    subject = m.valid(valid(cc.ProgramStructure) | ANY_VALID)
    return cc.classify, (m.keep(subject), m(RULESETS)), {}


def _ruleset_method(m: Mixer) -> Call:
    ruleset = m.valid(RULESETS)
    ids = ruleset.ids or ("NOPE",)
    name = m.pick(("without", "with_severity", "override", "levels"))
    if name == "without":
        return ruleset.without, tuple(m.keep(m.pick(ids)) for _ in range(m.draw(_index(4)))), {}
    if name == "with_severity":
        return ruleset.with_severity, (m.keep(m.pick(ids)), m(SEVERITIES)), {}
    if name == "levels":
        kwargs: dict[str, Any] = {}
        m.optional(kwargs, "tag", st.sampled_from(["intensity", "nope"]))
        return ruleset.levels, (), kwargs
    rule_id = m.keep(m.pick(ids))
    rule = ruleset.rules[ruleset.ids.index(rule_id)] if rule_id in ruleset.ids else None
    params = dict(rule.params) if rule is not None else {}
    kwargs = {key: m.keep(value) for key, value in params.items() if m.coin()}
    m.optional(kwargs, "source", valid(cc.Source))
    if m.draw(_index(10)) == 0:
        kwargs[m.pick(("at_least", "bogus", "source2"))] = m.draw(GARBAGE)
    return ruleset.override, (rule_id,), kwargs


def _rule_param(m: Mixer) -> Call:
    rule = m.valid(valid(cc.Rule))
    return rule.param, (m.keep(m.pick((*rule.params, "nope"))),), {}


def _raise_for_errors(m: Mixer) -> Call:
    return m.valid(valid(cc.ValidationReport)).raise_for_errors, (), {}


@fuzz_settings
@given(
    calls(
        {
            "validate": _validate,
            "classify": _classify,
            "RuleSet.method": _ruleset_method,
            "Rule.param": _rule_param,
            "ValidationReport.raise_for_errors": _raise_for_errors,
        }
    )
)
def test_validate_and_classify(drawn: tuple[str, Call]) -> None:
    run(drawn)


# ---- placement --------------------------------------------------------------------------------

POLICIES = valid(cc.NeedsPolicy) | valid(cc.LocusPolicy)


def _place(m: Mixer) -> Call:
    kwargs: dict[str, Any] = {}
    m.optional(kwargs, "policy", st.none() | POLICIES)
    return cc.place, (m.of(cc.Assessment), m.keep(m.pick(CONTINUA))), kwargs


def _recommend(m: Mixer) -> Call:
    policy = m.valid(POLICIES)
    return policy.recommend, (m.of(cc.Assessment), m.keep(m.pick(CONTINUA))), {}


def _choose(m: Mixer) -> Call:
    placement = m.valid(valid(cc.Placement))
    args = [m(LEVELS)]
    if m.coin():
        args.append(m(st.none() | st.sampled_from(cc.DeviationReason)))
        if m.coin():
            args.append(m(st.none() | TEXT))
    return placement.choose, tuple(args), {}


def _dimensions(m: Mixer) -> Call:
    return cc.dimensions, (m(st.sampled_from(["ASAM3", "ASAM4", "LOCUS", "GENERIC"])),), {}


def _crosswalk(m: Mixer) -> Call:
    return cc.crosswalk, (m(LEVELS),), {"to": m.keep(m.pick(CONTINUA))}


def _continuum_method(m: Mixer) -> Call:
    continuum = m.valid(valid(cc.Continuum))
    name = m.pick(("get", "level", "step_up", "step_down"))
    return getattr(continuum, name), (level_of(m, continuum),), {}


def _rating(m: Mixer) -> Call:
    assessment = m.valid(valid(cc.Assessment))
    dimension = m.pick(cc.dimensions(assessment.scheme))
    return assessment.rating, (m.keep(dimension if m.coin() else dimension.code),), {}


@fuzz_settings
@given(
    calls(
        {
            "place": _place,
            "recommend": _recommend,
            "Placement.choose": _choose,
            "dimensions": _dimensions,
            "crosswalk": _crosswalk,
            "Continuum.method": _continuum_method,
            "Assessment.rating": _rating,
        }
    )
)
def test_place(drawn: tuple[str, Call]) -> None:
    run(drawn)


# ---- episodes ---------------------------------------------------------------------------------


def _last_event(episode: cc.Episode) -> date:
    days = [s.start for s in (*episode.stays, *episode.concurrent)]
    days += [s.end for s in episode.concurrent if s.end is not None]
    return max(days)


_EPISODE_OPS = (
    "step_to",
    "discharge",
    "add_concurrent",
    "end_concurrent",
    "authorize",
    "level_on",
    "days_by_level",
    "authorized_on",
    "days_authorization_differs",
)
REASONS = st.none() | TEXT
DISCHARGE_REASONS = st.sampled_from(cc.DischargeReason)


def _episode_op(m: Mixer) -> Call:
    episode = m.valid(valid(cc.Episode))
    last = _last_event(episode)
    name = m.pick(_EPISODE_OPS)
    kwargs: dict[str, Any] = {}
    if name == "step_to":
        m.optional(kwargs, "assessment", valid(cc.Assessment))
        level = level_of(m, episode.continuum)
        m.optional(kwargs, "program", stay_programs(episode.continuum, level))
        args = (level, day_near(m, last), m(REASONS))
        return episode.step_to, args, kwargs
    if name == "discharge":
        m.optional(kwargs, "note", TEXT)
        m.optional(kwargs, "referred_to", LEVELS)
        return episode.discharge, (day_near(m, last), m(DISCHARGE_REASONS)), kwargs
    if name == "add_concurrent":
        args = (level_of(m, episode.continuum), day_near(m, last), m(REASONS))
        return episode.add_concurrent, args, kwargs
    if name == "end_concurrent":
        running = [s.level for s in episode.concurrent if s.end is None]
        level = m.keep(m.pick(running)) if running and m.coin() else level_of(m, episode.continuum)
        return episode.end_concurrent, (level, day_near(m, last)), kwargs
    if name == "authorize":
        start = m.near(episode.admitted_on)
        if m.coin():
            kwargs["next_review"] = day_near(m, start)
        m.optional(kwargs, "payer", TEXT)
        m.optional(kwargs, "units", st.integers(1, 60))
        args = (level_of(m, episode.continuum), m.keep(start), day_near(m, start))
        return episode.authorize, args, kwargs
    day = None if name.startswith("days") and m.coin() else day_near(m, episode.admitted_on)
    return getattr(episode, name), (day,), kwargs


def _stay_days_through(m: Mixer) -> Call:
    stay = m.valid(valid(cc.Stay))
    return stay.days_through, (day_near(m, stay.start),), {}


def _covers(m: Mixer) -> Call:
    grant = m.valid(valid(cc.Authorization))
    return grant.covers, (day_near(m, grant.start),), {}


@fuzz_settings
@given(
    calls(
        {
            "Episode.op": _episode_op,
            "Stay.days_through": _stay_days_through,
            "Authorization.covers": _covers,
        }
    )
)
def test_episode_operations(drawn: tuple[str, Call]) -> None:
    run(drawn)


_OPEN = cc.Episode.admit("c-1", "IOP", date(2026, 3, 2), continuum=catalogs.GENERIC)


@pytest.mark.parametrize(
    ("method", "day", "error"),
    [
        # days_authorization_differs(date.max) now answers (runs of days): test_fuzz_episode2
        ("level_on", 20260302, cc.InvalidTypeError),  # was TypeError from a comparison
        ("authorized_on", None, cc.InvalidTypeError),
    ],
)
def test_episode_readers_refuse_bad_days(method: str, day: object, error: type) -> None:
    with pytest.raises(error):
        getattr(_OPEN, method)(day)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: cc.Stay("IOP", date(2026, 3, 2)), "level"),
        (lambda: cc.Discharge(date(2026, 3, 2), "done"), "reason"),
        (
            lambda: cc.Authorization(catalogs.GENERIC["IOP"], date(2026, 3, 9), date(2026, 3, 2)),
            "end",
        ),
        (lambda: cc.Span(1, "a"), "maximum"),
        (lambda: cc.Span([], []), "minimum"),
        (lambda: cc.Crosswalk(catalogs.GENERIC["IOP"], "LOCUS", [1], False, ""), "levels[0]"),
        (
            lambda: cc.WeekDelivery(
                date(2026, 3, 3), timedelta(0), timedelta(0), partial=False, complete=True
            ),
            "monday",
        ),
        (lambda: cc.WeekFigures("w", "sessions", [(9, 0, 0, None)]), "entries[0]"),
        (
            lambda: cc.Episode(
                "c",
                catalogs.GENERIC,
                [cc.Stay(catalogs.GENERIC["IOP"], date(2026, 3, 2))],
                authorizations=5,
            ),
            "authorizations",
        ),
        (lambda: cc.Classification(catalogs.GENERIC["IOP"], None), "report"),
        (lambda: cc.ValidationReport([], rulesets.ASAM3, None, (), ()), "subject"),
        (lambda: cc.expand(POOLS[cc.ProgramStructure][0], date(9999, 12, 27), "UTC"), "start"),
        (lambda: cc.Stay(catalogs.GENERIC["IOP"], date(2026, 3, 2)).days_through(None), "day"),
        (lambda: POOLS[cc.Session][0].occurrences("3"), "weeks"),
        (lambda: cc.rulesets.ASAM3.rules[0].param({}), "name"),
        (lambda: cc.Rule("R", "t", source=cc.Source("s"), check=print, tags=None), "tags"),
        (lambda: cc.Continuum("X", "x", str, "s"), "levels"),  # was TypeError
        (lambda: POOLS[cc.ProgramStructure][0].hours_over(10**30), "weeks"),  # was OverflowError
        (
            lambda: cc.Rule("R", "t", source=cc.Source("s"), check=print, populations=[[]]),
            "populations[0]",
        ),
        (
            lambda: cc.Rule("R", "t", source=cc.Source("s"), check=print, params={"a": []}),
            "params['a']",
        ),
    ],
)
def test_regressions_half_built_values_are_refused(build: Callable[[], object], field: str) -> None:
    """Constructors that used to accept garbage (and half-built values), or crash."""
    with pytest.raises((cc.InvalidValueError, cc.InvalidTypeError)) as caught:
        build()
    assert caught.value.field == field


# ---- everything else: plain data out, FHIR, plans, programs, attendance ------------------------


def _to_dict(m: Mixer) -> Call:
    return cc.to_dict, (m(ANY_VALID),), {}


def _care_plan(m: Mixer) -> Call:
    kwargs: dict[str, Any] = {}
    m.optional(kwargs, "id", TEXT)
    m.optional(kwargs, "on", DATES)
    return fhir.care_plan, (m.of(cc.TreatmentPlan),), kwargs


FHIR_IDS = TEXT | st.sampled_from(["a" * 65, "bad id!"])


def _episode_of_care(m: Mixer) -> Call:
    kwargs: dict[str, Any] = {}
    m.optional(kwargs, "id", FHIR_IDS)
    return fhir.episode_of_care, (m.of(cc.Episode),), kwargs


def _level_coding(m: Mixer) -> Call:
    return fhir.level_coding, (m(LEVELS),), {}


def _level_from_coding(m: Mixer) -> Call:
    coding = dict(fhir.level_coding(m.valid(LEVELS)))
    for key in list(coding):
        coding[key] = m.keep(coding[key])
    if m.coin():
        coding.pop(m.pick(sorted(coding)))
    return fhir.level_from_coding, (m.keep(coding),), {}


def _plan_method(m: Mixer) -> Call:
    plan = m.valid(valid(cc.TreatmentPlan))
    name = m.pick(("review_due", "reviewed", "with_aftercare"))
    if name == "review_due":
        return plan.review_due, (day_near(m, plan.start),), {}
    if name == "reviewed":
        day = day_near(m, plan.start)
        if m.coin():
            return plan.reviewed, (day,), {}
        return plan.reviewed, (day, None if m.coin() else day_near(m, plan.start)), {}
    return plan.with_aftercare, (m.of(cc.Aftercare),), {}


WEEK_NUMBERS = st.integers(0, 60)
WEEKDAY_NUMBERS = st.integers(0, 6)


def _program_method(m: Mixer) -> Call:
    program = m.valid(valid(cc.ProgramStructure))
    name = m.pick(("sessions_in_week", "sessions_over", "hours_over"))
    return getattr(program, name), (m(WEEK_NUMBERS),), {}


def _session_method(m: Mixer) -> Call:
    session = m.valid(valid(cc.Session))
    name = m.pick(("occurs_in_week", "occurrences"))
    return getattr(session, name), (m(WEEK_NUMBERS),), {}


def _record_for(m: Mixer) -> Call:
    attendance = m.valid(valid(cc.Attendance))
    sessions = attendance.calendar.sessions or POOLS[cc.ScheduledSession]
    return attendance.record_for, (m.keep(m.pick(sessions)),), {}


def _week_figures(m: Mixer) -> Call:
    figures = m.valid(valid(cc.WeekFigures))
    name = m.pick(("hours_on", "services_on", "paths_on"))
    return getattr(figures, name), (m(WEEKDAY_NUMBERS),), {}


@fuzz_settings
@given(
    calls(
        {
            "to_dict": _to_dict,
            "fhir.care_plan": _care_plan,
            "fhir.episode_of_care": _episode_of_care,
            "fhir.level_coding": _level_coding,
            "fhir.level_from_coding": _level_from_coding,
            "TreatmentPlan.method": _plan_method,
            "ProgramStructure.method": _program_method,
            "Session.method": _session_method,
            "Attendance.record_for": _record_for,
            "WeekFigures.method": _week_figures,
        }
    )
)
def test_other_operations(drawn: tuple[str, Call]) -> None:
    run(drawn)


# ---- the contract's own machinery ---------------------------------------------------------------


def test_garbage_covers_the_nasty_cases() -> None:
    kinds = {type(v) for v in NASTY}
    assert {bool, int, float, str, bytes, tuple, type(None), date, timedelta} <= kinds
    assert any(isinstance(v, str) and len(v) >= 10_000 for v in NASTY)
    assert any(isinstance(v, datetime) and v.tzinfo is None for v in NASTY)


def test_a_hang_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fuzzing, "TIME_LIMIT", 0.05)
    with pytest.raises(pytest.fail.Exception, match="hang"):
        call(lambda: [None for _ in iter(int, 1)])


def test_a_foreign_exception_is_reported() -> None:
    with pytest.raises(pytest.fail.Exception, match="ZeroDivisionError"):
        call(lambda: 1 / 0)
