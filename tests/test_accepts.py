"""What the API accepts (docs/reference/accepts.md), point by point: every enum-typed argument
takes a member, its value or its name in any case; every day a date or 'YYYY-MM-DD'; every
zone an IANA name, a ZoneInfo or a pendulum zone, never "EST"; an admission infers a catalog's
continuum; `crosswalk(to=)` takes a scheme's name; `validate` and `classify` a list of rule
sets. Each accepted spelling gives what the member gives; each refusal names the argument,
lists the choices and fits in a few lines."""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import re
import zoneinfo
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pendulum
import pytest
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum import fhir, rulesets
from carecontinuum._validators import _MAX_MESSAGE, check_enum, check_weekday, enum_spellings
from carecontinuum.catalogs import ASAM3, ASAM4, GENERIC, LOCUS
from fuzzing import cpu_time

D = pendulum.date
H = pendulum.duration

#: Every public enumeration whose members an argument takes.
ENUMS: list[type[enum.Enum]] = sorted(
    {
        obj
        for module in (cc, rulesets)
        for obj in (getattr(module, name) for name in module.__all__)
        if isinstance(obj, type) and issubclass(obj, enum.Enum)
    },
    key=lambda cls: cls.__name__,
)
MEMBERS = [member for cls in ENUMS for member in cls]


def _id(member: enum.Enum) -> str:
    return f"{type(member).__name__}.{member.name}"


def brief(error: BaseException) -> None:
    """The house rule for a refusal: at most 400 characters, on at most 4 lines."""
    text = str(error)
    assert len(text) <= _MAX_MESSAGE, text
    assert len(text.splitlines()) <= 4, text


# ---- enums ------------------------------------------------------------------------------------


def spellings(member: enum.Enum) -> list[object]:
    """Every way the policy lets a caller write `member`."""
    name = member.name
    return [member, member.value, name, name.lower(), name.title(), name.capitalize()]


class TestEnumPolicy:
    def test_every_public_enum_is_covered(self) -> None:
        """The enums below are the library's: a new one is added to the policy's tests."""
        assert {cls.__name__ for cls in ENUMS} >= {
            "AftercareService", "AttendanceStatus", "CareRole", "DeliveryMode",
            "DeviationReason", "Direction", "DischargeReason", "Management", "Modality",
            "PerDiemTier", "Population", "Service", "Setting", "Severity", "Supervision",
            "Track",
        }  # fmt: skip

    @pytest.mark.parametrize("member", MEMBERS, ids=_id)
    def test_each_spelling_reads_as_its_member(self, member: enum.Enum) -> None:
        """A member, its exact value and its name in any case all read as the member."""
        for spelling in spellings(member):
            assert check_enum("field", spelling, type(member)) is member, spelling

    @pytest.mark.parametrize("cls", ENUMS, ids=lambda c: c.__name__)
    def test_no_spelling_names_two_members(self, cls: type[enum.Enum]) -> None:
        """Never accept what could be read two ways: no value is, in any case, the name of
        another member, and no two names differ only in case."""
        values, names = enum_spellings(cls)
        assert all(isinstance(m.value, str) for m in cls)  # every value is a spelling
        assert len({n.lower() for n in cls.__members__}) == len(cls.__members__)
        for value, member in values.items():
            other = names.get(value.lower())
            assert other is None or other is member, (value, member, other)

    @pytest.mark.parametrize("cls", ENUMS, ids=lambda c: c.__name__)
    def test_anything_else_is_refused_listing_the_choices(self, cls: type[enum.Enum]) -> None:
        """An unknown string is an InvalidValueError, another type an InvalidTypeError; each
        names the argument and lists the values (as many as fit in 400 characters)."""
        first = next(iter(cls))
        for bad, error in (("no such choice", cc.InvalidValueError), (3, cc.InvalidTypeError)):
            with pytest.raises(error) as info:
                check_enum("services[12]", bad, cls)
            assert info.value.field == "services[12]"
            assert repr(first.value) in str(info.value) and cls.__name__ in str(info.value)
            brief(info.value)
        with pytest.raises(cc.InvalidValueError) as long_info:
            check_enum("services[12]", "x" * 10_000, cls)
        brief(long_info.value)

    @pytest.mark.parametrize(
        "member", [m for m in MEMBERS if " " in m.value or "-" in m.value], ids=_id
    )
    def test_a_value_in_another_case_is_not_a_value(self, member: enum.Enum) -> None:
        """Values are matched exactly: 'GROUP THERAPY' and 'Group therapy' are refused (names
        are matched in any case, so a one-word value in capitals is the name)."""
        for spelling in (member.value.upper(), member.value.capitalize()):
            if spelling != member.value:
                with pytest.raises(cc.InvalidValueError):
                    check_enum("field", spelling, type(member))

    def test_a_member_of_another_enum_is_refused(self) -> None:
        """Service.MEDICATION_MANAGEMENT is not AftercareService.MEDICATION_MANAGEMENT."""
        with pytest.raises(cc.InvalidTypeError) as info:
            cc.Aftercare(services=[cc.Service.MEDICATION_MANAGEMENT])  # type: ignore[list-item]
        assert info.value.field == "services[0]"

    def test_a_member_costs_one_identity_test(self) -> None:
        """The hot path: a member passed in is returned before any look-up."""
        member = cc.Population.ADOLESCENT
        with cpu_time() as spent:
            for _ in range(100_000):
                check_enum("population", member, cc.Population)
        assert spent.seconds < 0.5


class TestWeekdays:
    @pytest.mark.parametrize("day", list(WeekDay), ids=lambda d: d.name)
    def test_a_weekday_by_member_name_or_abbreviation(self, day: WeekDay) -> None:
        """WeekDay.MONDAY, 'Monday', 'MONDAY', 'mon' and 'Mon' are one day, in `weekly`, in
        `Session` and in a per-diem day."""
        for spelling in (day, day.name, day.name.title(), day.name.lower()[:3], day.name[:3]):
            assert check_weekday("weekday", spelling) is day
            session = cc.Session(spelling, "09:00", [cc.Segment("group therapy", H(hours=1))])
            assert session.weekday is day
            assert rulesets.PerDiemDay("0", spelling, 3).weekday is day

    @pytest.mark.parametrize("bad", [0, 1, "Mondays", "M", "lundi"])
    def test_numbers_and_other_words_are_refused(self, bad: object) -> None:
        """A number is refused (Monday is 0 in Python, 1 in ISO 8601); so is any other word."""
        with pytest.raises(cc.CareContinuumError) as info:
            cc.Session(bad, "09:00", [cc.Segment("group therapy", H(hours=1))])  # type: ignore[arg-type]
        assert info.value.field == "weekday"  # type: ignore[attr-defined]
        brief(info.value)


# The enum-typed arguments of every public constructor, factory, operation and function: how to
# call it with a value for that argument, and how to read the member back from the result.

SOURCE = cc.Source("Clinic policy")


def _iop(**kwargs: Any) -> cc.ProgramStructure:
    fields: dict[str, Any] = {"days": ["mon", "wed", "fri"], "hours_per_session": 3, "weeks": 8}
    return cc.ProgramStructure.weekly(GENERIC["IOP"], **{**fields, **kwargs})


def _session() -> cc.ScheduledSession:
    return cc.expand(_iop(), D(2026, 3, 2), "UTC").sessions[0]


def _journey() -> cc.Episode:
    return cc.Episode.admit("c-1", GENERIC["PHP"], D(2026, 3, 2)).step_to("IOP", D(2026, 3, 16))


def _placement() -> cc.Placement:
    ratings = {"1": 0, "2": 0, "3": 2, "4": 1, "5": 2, "6": 1}
    return cc.place(cc.Assessment("ASAM3", ratings, D(2026, 3, 2)), ASAM3)


def _level(**kwargs: Any) -> cc.LevelOfCare:
    fields: dict[str, Any] = {
        "setting": "outpatient", "overnight": False, "supervision": "scheduled", "rank": 0,
    }  # fmt: skip
    return cc.LevelOfCare("X", "Mine", "MINE", **{**fields, **kwargs})


def _no_findings(context: cc.RuleContext) -> tuple[cc.Finding, ...]:
    return ()


def _rule(**kwargs: Any) -> cc.Rule:
    return cc.Rule("X-1", "x", source=SOURCE, check=_no_findings, **kwargs)


def _context() -> cc.RuleContext:
    rule = rulesets.TYPICAL_IOP.rules[0]
    return cc.RuleContext(None, rule, rulesets.TYPICAL_IOP, None, None, None, {})


_FACTORIES: dict[str, dict[str, Any]] = {
    "weekly_hours": {"levels": GENERIC["IOP"], "at_least": 9},
    "daily_hours": {"levels": GENERIC["IOP"], "at_least": 3},
    "days_per_week": {"levels": GENERIC["IOP"], "at_least": 3},
    "sessions_per_week": {"levels": GENERIC["IOP"], "at_least": 3},
    "days_without_service": {"levels": GENERIC["IOP"], "at_most": 2},
    "service_every_day": {"levels": GENERIC["IOP"], "services": [cc.Service.GROUP_THERAPY]},
    "session_hours": {"levels": GENERIC["IOP"], "at_least": 2},
    "program_weeks": {"levels": GENERIC["IOP"], "at_least": 6},
    "attendance_rate": {"at_least": 0.9},
    "typical_weekly_hours": {"levels": GENERIC["OP"], "at_least": 1, "at_most": 3},
}


def _factory(name: str, **kwargs: Any) -> cc.Rule:
    made: cc.Rule = getattr(rulesets, name)(
        "X-1", "x", source=SOURCE, **{**_FACTORIES[name], **kwargs}
    )
    return made


def _first(items: Any) -> Any:
    return next(iter(items))


#: (where, argument, enum, member to write, call with a spelling, read the member back)
Entry = tuple[str, str, type[enum.Enum], enum.Enum, Callable[[Any], Any], Callable[[Any], Any]]
S, P, T = cc.Service, cc.Population, cc.Track
ENTRIES: list[Entry] = [
    ("Segment", "service", S, S.CHECK_IN,
     lambda v: cc.Segment(v, H(hours=1)), lambda r: r.service),
    ("Session", "delivery_mode", cc.DeliveryMode, cc.DeliveryMode.TELEHEALTH,
     lambda v: cc.Session(WeekDay.MONDAY, "09:00", [cc.Segment(S.CHECK_IN, H(hours=1))],
                          delivery_mode=v),
     lambda r: r.delivery_mode),
    ("ProgramStructure", "population", P, P.ADOLESCENT,
     lambda v: cc.ProgramStructure(GENERIC["IOP"], v, T.SUBSTANCE_USE, _iop().sessions, 8),
     lambda r: r.population),
    ("ProgramStructure", "track", T, T.CO_OCCURRING,
     lambda v: cc.ProgramStructure(GENERIC["IOP"], P.ADULT, v, _iop().sessions, 8),
     lambda r: r.track),
    ("ProgramStructure", "delivery_mode", cc.DeliveryMode, cc.DeliveryMode.HYBRID,
     lambda v: cc.ProgramStructure(GENERIC["IOP"], P.ADULT, T.SUBSTANCE_USE, _iop().sessions,
                                   8, delivery_mode=v),
     lambda r: r.delivery_mode),
    ("ProgramStructure", "modalities", cc.Modality, cc.Modality.DBT,
     lambda v: cc.ProgramStructure(GENERIC["IOP"], P.ADULT, T.SUBSTANCE_USE, _iop().sessions,
                                   8, modalities=[v]),
     lambda r: r.modalities[0]),
    ("ProgramStructure.weekly", "population", P, P.ADOLESCENT,
     lambda v: _iop(population=v), lambda r: r.population),
    ("ProgramStructure.weekly", "track", T, T.MENTAL_HEALTH,
     lambda v: _iop(track=v), lambda r: r.track),
    ("ProgramStructure.weekly", "delivery_mode", cc.DeliveryMode, cc.DeliveryMode.TELEHEALTH,
     lambda v: _iop(delivery_mode=v), lambda r: r.delivery_mode),
    ("ProgramStructure.weekly", "modalities", cc.Modality, cc.Modality.MI,
     lambda v: _iop(modalities=[v]), lambda r: r.modalities[0]),
    ("ProgramStructure.weekly", "services", S, S.RELAPSE_PREVENTION,
     lambda v: _iop(services=[v]), lambda r: r.sessions[0].segments[0].service),
    ("LevelOfCare", "setting", cc.Setting, cc.Setting.COMMUNITY,
     lambda v: _level(setting=v), lambda r: r.setting),
    ("LevelOfCare", "supervision", cc.Supervision, cc.Supervision.TWENTY_FOUR_HOUR,
     lambda v: _level(supervision=v), lambda r: r.supervision),
    ("LevelOfCare", "management", cc.Management, cc.Management.MEDICALLY_MONITORED,
     lambda v: _level(management=v), lambda r: r.management),
    ("AttendanceRecord", "status", cc.AttendanceStatus, cc.AttendanceStatus.EXCUSED,
     lambda v: cc.AttendanceRecord(_session(), v), lambda r: r.status),
    ("AttendanceRecord", "service", S, S.FAMILY_THERAPY,
     lambda v: cc.AttendanceRecord(None, "present", start=pendulum.datetime(2026, 3, 3, 10),
                                   end=pendulum.datetime(2026, 3, 3, 11), service=v),
     lambda r: r.service),
    ("AttendanceRecord.extra", "service", S, S.FAMILY_THERAPY,
     lambda v: cc.AttendanceRecord.extra(pendulum.datetime(2026, 3, 3, 10),
                                         pendulum.datetime(2026, 3, 3, 11), service=v),
     lambda r: r.service),
    ("AttendanceRecord.extra", "status", cc.AttendanceStatus, cc.AttendanceStatus.PARTIAL,
     lambda v: cc.AttendanceRecord.extra(pendulum.datetime(2026, 3, 3, 10),
                                         pendulum.datetime(2026, 3, 3, 11), status=v,
                                         attended=H(minutes=30)),
     lambda r: r.status),
    ("Episode.discharge", "reason", cc.DischargeReason, cc.DischargeReason.LOST_TO_CONTACT,
     lambda v: _journey().discharge(D(2026, 4, 1), v), lambda r: r.discharge_record.reason),
    ("Discharge", "reason", cc.DischargeReason, cc.DischargeReason.AGAINST_MEDICAL_ADVICE,
     lambda v: cc.Discharge(D(2026, 4, 1), v), lambda r: r.reason),
    ("Transition", "direction", cc.Direction, cc.Direction.STEP_DOWN,
     lambda v: cc.Transition(GENERIC["PHP"], GENERIC["IOP"], D(2026, 4, 1), None, v),
     lambda r: r.direction),
    ("Intervention", "service", S, S.FAMILY_THERAPY,
     lambda v: cc.Intervention(v, 1, cc.CareRole.THERAPIST), lambda r: r.service),
    ("Intervention", "role", cc.CareRole, cc.CareRole.PEER_SPECIALIST,
     lambda v: cc.Intervention(S.GROUP_THERAPY, 1, v), lambda r: r.role),
    ("Aftercare", "services", cc.AftercareService, cc.AftercareService.SUPPORT_GROUPS,
     lambda v: cc.Aftercare(services=[v]), lambda r: r.services[0]),
    ("Placement.choose", "reason", cc.DeviationReason, cc.DeviationReason.COURT_ORDER,
     lambda v: _placement().choose(ASAM3["3.7"], v), lambda r: r.deviation),
    ("Placement", "deviation", cc.DeviationReason, cc.DeviationReason.CLIENT_PREFERENCE,
     lambda v: attrs.evolve(_placement(), chosen=ASAM3["3.7"], deviation=v),
     lambda r: r.deviation),
    ("Rule", "severity", cc.Severity, cc.Severity.INFO,
     lambda v: _rule(severity=v), lambda r: r.severity),
    ("Rule", "populations", P, P.ADOLESCENT,
     lambda v: _rule(populations=[v]), lambda r: _first(r.populations)),
    ("Rule", "tracks", T, T.CO_OCCURRING,
     lambda v: _rule(tracks=v), lambda r: _first(r.tracks)),
    ("RuleSet.with_severity", "severity", cc.Severity, cc.Severity.WARNING,
     lambda v: rulesets.ASAM3.with_severity("ASAM3-2.1-ADULT-HOURS", v),
     lambda r: r["ASAM3-2.1-ADULT-HOURS"].severity),
    ("Finding", "severity", cc.Severity, cc.Severity.WARNING,
     lambda v: cc.Finding("X", v, "m", expected="e", found="f", source=SOURCE),
     lambda r: r.severity),
    ("RuleContext.finding", "severity", cc.Severity, cc.Severity.INFO,
     lambda v: _context().finding("m", expected="e", found="f", severity=v),
     lambda r: r.severity),
    ("RuleContext.deferred_finding", "severity", cc.Severity, cc.Severity.INFO,
     lambda v: _context().deferred_finding(lambda: ("m", "e", "f", None), severity=v),
     lambda r: r.severity),
    ("PerDiemDay", "weekday", WeekDay, WeekDay.FRIDAY,  # type: ignore[list-item]
     lambda v: rulesets.PerDiemDay("0", v, 3), lambda r: r.weekday),
    ("PerDiemPeriod.days_at", "tier", rulesets.PerDiemTier, rulesets.PerDiemTier.THREE,
     lambda v: rulesets.PerDiemPeriod("0", [rulesets.PerDiemDay("0", "mon", 3)]).days_at(v),
     lambda r: rulesets.PerDiemTier.THREE if r == 1 else None),  # its one day has 3 services
    ("Session", "weekday", WeekDay, WeekDay.SATURDAY,  # type: ignore[list-item]
     lambda v: cc.Session(v, "09:00", [cc.Segment(S.CHECK_IN, H(hours=1))]),
     lambda r: r.weekday),
    ("ProgramStructure.weekly", "days", WeekDay, WeekDay.SUNDAY,  # type: ignore[list-item]
     lambda v: _iop(days=[v]),
     lambda r: r.sessions[0].weekday),
    ("service_every_day", "services", S, S.PEER_SUPPORT,
     lambda v: _factory("service_every_day", services=[v]),
     lambda r: r.params["services"][0]),
    ("BillingCode", "system", rulesets.BillingSystem, rulesets.BillingSystem.APC,
     lambda v: rulesets.BillingCode(v, "1", "d", source=SOURCE), lambda r: r.system),
    ("BillingCode", "tracks", T, T.MENTAL_HEALTH,
     lambda v: rulesets.BillingCode("HCPCS", "1", "d", source=SOURCE, tracks=[v]),
     lambda r: r.tracks[0]),
    ("BillingCode.bills", "track", T, T.MENTAL_HEALTH,
     lambda v: rulesets.BILLING_CODES[1].bills(GENERIC["IOP"], v),  # S9480: mental health
     lambda r: T.MENTAL_HEALTH if r else None),
    ("billing_codes", "track", T, T.MENTAL_HEALTH,
     lambda v: rulesets.billing_codes(GENERIC["IOP"], track=v),
     lambda r: next(c.tracks[0] for c in r if c.tracks)),
    ("billing_codes", "system", rulesets.BillingSystem, rulesets.BillingSystem.APC,
     lambda v: rulesets.billing_codes(GENERIC["IOP"], system=v), lambda r: r[0].system),
]  # fmt: skip
for _name in _FACTORIES:
    ENTRIES += [
        (_name, "severity", cc.Severity, cc.Severity.INFO,
         lambda v, n=_name: _factory(n, severity=v), lambda r: r.severity),
        (_name, "populations", P, P.ADOLESCENT,
         lambda v, n=_name: _factory(n, populations=v), lambda r: _first(r.populations)),
        (_name, "tracks", T, T.MENTAL_HEALTH,
         lambda v, n=_name: _factory(n, tracks=[v]), lambda r: _first(r.tracks)),
    ]  # fmt: skip


def _entry_id(entry: Entry) -> str:
    return f"{entry[0]}({entry[1]})"


def _written(member: enum.Enum) -> list[object]:
    if isinstance(member, WeekDay):
        return [member, member.name.title(), member.name.lower()[:3]]
    return [member, member.value, member.name, member.name.lower()]


#: Arguments that take an enum but not a caller's spelling of one, each with the reason.
NOT_SPELT = {
    # Built by the engine for each rule it runs, on the hot path, from what it already holds.
    ("RuleContext", "population"),
    ("RuleContext", "track"),
}


class TestEnumArguments:
    @pytest.mark.parametrize("entry", ENTRIES, ids=_entry_id)
    def test_each_spelling_gives_what_the_member_gives(self, entry: Entry) -> None:
        """The member, its value and its name (capitals or not) make equal results."""
        _, _, _, member, call, read = entry
        results = [call(spelling) for spelling in _written(member)]
        assert all(read(result) is member for result in results)
        assert all(result == results[0] for result in results[1:])

    @pytest.mark.parametrize("entry", ENTRIES, ids=_entry_id)
    def test_other_text_is_refused_naming_the_argument(self, entry: Entry) -> None:
        """A word that spells no member is refused, naming the argument (an item by its
        index) and listing the choices, briefly."""
        _, argument, cls, _, call, _ = entry
        with pytest.raises(cc.CareContinuumError) as info:
            call("no such choice")
        error = info.value
        assert isinstance(error, cc.InvalidValueError), error
        assert re.fullmatch(rf"{argument}(\[0\])?", error.field), error.field
        listed = "'mon'" if cls is WeekDay else repr(next(iter(cls)).value)
        assert listed in str(error)
        brief(error)

    def test_every_enum_argument_is_listed(self) -> None:
        """Each public argument typed with an enum takes strings (its annotation says
        ``| str``) and is exercised above: none is left to the old rule."""
        names = {cls.__name__ for cls in ENUMS} | {"WeekDay"}
        covered = {(where, argument) for where, argument, *_ in ENTRIES} | NOT_SPELT
        found = set()
        for where, argument, annotation in _annotated():
            if set(re.findall(r"\w+", annotation)) & names:
                found.add((where, argument))
                if (where, argument) not in NOT_SPELT:
                    assert "str" in annotation, (where, argument, annotation)
        assert found - covered == set()


def _public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    for module in (cc, rulesets, fhir):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj):
                if issubclass(obj, (BaseException, enum.Enum)):
                    continue
                yield name, obj.__init__
                for attr, member in vars(obj).items():
                    function = getattr(member, "__func__", member)
                    if not attr.startswith("_") and inspect.isfunction(function):
                        yield f"{name}.{attr}", function
            elif inspect.isfunction(obj):
                yield name, obj


def _annotated() -> Iterator[tuple[str, str, str]]:
    for where, function in _public_callables():
        for parameter in inspect.signature(function).parameters.values():
            yield where, parameter.name, str(parameter.annotation)


# ---- days -------------------------------------------------------------------------------------

#: Every public entry point that takes a day: where, argument, and a call with one.
DayEntry = tuple[str, str, Callable[[Any], Any]]


def _plan(**changes: Any) -> cc.TreatmentPlan:
    placement = _placement()
    objective = cc.Objective(
        "o", D(2026, 4, 1), [cc.Intervention(S.GROUP_THERAPY, 3, cc.CareRole.THERAPIST)]
    )
    problem = cc.Problem("p", [cc.Goal("g", [objective])])
    fields: dict[str, Any] = {"start": D(2026, 3, 2), "review_every_days": 30,
                              "next_review": D(2026, 4, 1), **changes}  # fmt: skip
    return cc.TreatmentPlan("c-1", placement.assessment, placement, _iop(), [problem], **fields)


MARCH_2 = D(2026, 3, 2)


def _calendar(start: pendulum.Date = MARCH_2) -> cc.Calendar:
    return cc.expand(_iop(), start, "UTC")


def _ranged() -> dict[str, Any]:
    """The fields of a calendar of a 1-to-12-week program from 2026-03-02 to 2026-03-23."""
    cal = cc.expand(_iop(weeks=(1, 12)), D(2026, 3, 2), "UTC", until=D(2026, 3, 23))
    return {"program": cal.program, "first": cal.first, "sessions": cal.sessions}


def _rebuilt(**changes: Any) -> cc.Calendar:
    """A calendar from 2026-03-23 built field by field, with `changes`."""
    cal = _calendar(D(2026, 3, 23))
    fields = {"program": cal.program, "zone": cal.zone, "first": cal.first, "last": cal.last,
              "sessions": cal.sessions, "closed": cal.closed, "closures": cal.closures}  # fmt: skip
    return cc.Calendar(**{**fields, **changes})


DAY_ENTRIES: list[DayEntry] = [
    ("expand", "start", lambda d: cc.expand(_iop(), d, "UTC")),
    ("expand", "closures", lambda d: cc.expand(_iop(), D(2026, 3, 2), "UTC", closures=[d])),
    ("expand", "until", lambda d: cc.expand(_iop(weeks=(1, 12)), D(2026, 3, 2), "UTC", until=d)),
    ("Calendar.between", "first", lambda d: _calendar().between(d, D(2026, 4, 20))),
    ("Calendar.between", "last", lambda d: _calendar().between(D(2026, 3, 1), d)),
    ("Calendar", "first", lambda d: _rebuilt(first=d)),
    ("Calendar", "last", lambda d: _rebuilt(**{**_ranged(), "last": d})),
    (
        "Calendar",
        "closures",
        lambda d: _rebuilt(
            closures=[d],
            sessions=_calendar(D(2026, 3, 23)).sessions[1:],
            closed=_calendar(D(2026, 3, 23)).sessions[:1],
        ),
    ),
    (
        "CalendarWeek",
        "monday",
        lambda d: cc.CalendarWeek(d, D(2026, 3, 23), D(2026, 3, 29), (), ()),
    ),
    ("CalendarWeek", "first", lambda d: cc.CalendarWeek(D(2026, 3, 23), d, D(2026, 3, 29), (), ())),
    ("CalendarWeek", "last", lambda d: cc.CalendarWeek(D(2026, 3, 23), D(2026, 3, 23), d, (), ())),
    (
        "ScheduledSession",
        "day",
        lambda d: attrs.evolve(_calendar(D(2026, 3, 23)).sessions[0], day=d),
    ),
    ("Episode.admit", "on", lambda d: cc.Episode.admit("c-1", GENERIC["PHP"], d)),
    ("Episode.step_to", "on", lambda d: _journey().step_to("OP", d)),
    ("Episode.discharge", "on", lambda d: _journey().discharge(d, "completed")),
    (
        "Episode.add_concurrent",
        "on",
        lambda d: cc.Episode.admit("c-1", ASAM3["2.1"], D(2026, 3, 2)).add_concurrent("OTP", d),
    ),
    (
        "Episode.end_concurrent",
        "on",
        lambda d: (
            cc.Episode.admit("c-1", ASAM3["2.1"], D(2026, 3, 2))
            .add_concurrent("OTP", D(2026, 3, 2))
            .end_concurrent("OTP", d)
        ),
    ),
    ("Episode.authorize", "start", lambda d: _journey().authorize("IOP", d, D(2026, 5, 1))),
    ("Episode.authorize", "end", lambda d: _journey().authorize("IOP", D(2026, 3, 16), d)),
    (
        "Episode.authorize",
        "next_review",
        lambda d: _journey().authorize("IOP", D(2026, 3, 16), D(2026, 5, 1), next_review=d),
    ),
    ("Episode.level_on", "day", lambda d: _journey().level_on(d)),
    (
        "Episode.authorized_on",
        "day",
        lambda d: _journey().authorize("IOP", D(2026, 3, 16), D(2026, 5, 1)).authorized_on(d),
    ),
    ("Episode.days_by_level", "through", lambda d: _journey().days_by_level(through=d)),
    (
        "Episode.days_authorization_differs",
        "through",
        lambda d: _journey().days_authorization_differs(through=d),
    ),
    ("Stay", "start", lambda d: cc.Stay(GENERIC["IOP"], d)),
    ("Stay", "end", lambda d: cc.Stay(GENERIC["IOP"], D(2026, 3, 2), d)),
    ("Stay.days_through", "day", lambda d: cc.Stay(GENERIC["IOP"], D(2026, 3, 2)).days_through(d)),
    (
        "Transition",
        "on",
        lambda d: cc.Transition(GENERIC["PHP"], GENERIC["IOP"], d, None, "step down"),
    ),
    ("Discharge", "on", lambda d: cc.Discharge(d, "completed")),
    ("Authorization", "start", lambda d: cc.Authorization(GENERIC["IOP"], d, D(2026, 5, 1))),
    ("Authorization", "end", lambda d: cc.Authorization(GENERIC["IOP"], D(2026, 3, 2), d)),
    (
        "Authorization",
        "next_review",
        lambda d: cc.Authorization(GENERIC["IOP"], D(2026, 3, 2), D(2026, 5, 1), next_review=d),
    ),
    (
        "Authorization.covers",
        "day",
        lambda d: cc.Authorization(GENERIC["IOP"], D(2026, 3, 2), D(2026, 5, 1)).covers(d),
    ),
    (
        "Assessment",
        "on",
        lambda d: cc.Assessment(
            "LOCUS", dict.fromkeys(("I", "II", "III", "IV-A", "IV-B", "V", "VI"), 2), d
        ),
    ),
    ("Objective", "target", lambda d: cc.Objective("o", d)),
    ("TreatmentPlan", "start", lambda d: _plan(start=d)),
    ("TreatmentPlan", "next_review", lambda d: _plan(next_review=d)),
    ("TreatmentPlan.review_due", "on", lambda d: _plan().review_due(d)),
    ("TreatmentPlan.reviewed", "on", lambda d: _plan().reviewed(d)),
    ("TreatmentPlan.reviewed", "next_review", lambda d: _plan().reviewed(D(2026, 3, 9), d)),
    (
        "WeekDelivery",
        "monday",
        lambda d: cc.WeekDelivery(d, H(hours=9), H(hours=9), partial=False, complete=True),
    ),
    ("RuleSet", "effective_from", lambda d: cc.RuleSet("X", "1", (), effective_from=d)),
    ("RuleSet", "effective_until", lambda d: cc.RuleSet("X", "1", (), effective_until=d)),
    ("validate", "on", lambda d: cc.validate(_iop(), rulesets.ASAM3, on=d)),
    ("classify", "on", lambda d: cc.classify(_iop(), rulesets.NC_SAIOP_SERIES, on=d)),
    ("validate_many", "on", lambda d: list(cc.validate_many([_iop()], rulesets.ASAM3, on=d))),
    (
        "classify_many",
        "on",
        lambda d: list(cc.classify_many([_iop()], rulesets.NC_SAIOP_SERIES, on=d)),
    ),
    ("RuleSet.in_force", "day", rulesets.NC_SAIOP_2026.in_force),
    ("RuleSeries.version_on", "day", rulesets.NC_SAIOP_SERIES.version_on),
    ("WeekFigures", "first_day", lambda d: cc.WeekFigures("w", "weeks", (), first_day=d)),
    ("PerDiemDay", "day", lambda d: rulesets.PerDiemDay("0", WeekDay.MONDAY, 3, day=d)),
    (
        "PerDiemPeriod",
        "first",
        lambda d: rulesets.PerDiemPeriod("0", [], first=d, last="9999-12-31"),
    ),
    (
        "PerDiemPeriod",
        "last",
        lambda d: rulesets.PerDiemPeriod("0", [], first="0001-01-01", last=d),
    ),
    ("care_plan", "on", lambda d: fhir.care_plan(_plan(), on=d)),
    ("census", "start", lambda d: cc.census([_journey()], d, D(2026, 4, 30))),
    ("census", "end", lambda d: cc.census([_journey()], D(2026, 3, 1), d)),
    ("Census", "start", lambda d: cc.Census([_journey()], d, D(2026, 4, 30))),
    ("Census", "end", lambda d: cc.Census([_journey()], D(2026, 3, 1), d)),
    ("Census.on", "day", lambda d: cc.census([_journey()], D(2026, 3, 1), D(2026, 4, 30)).on(d)),
    (
        "DayCensus",
        "day",
        lambda d: cc.DayCensus(cc.census([_journey()], D(2026, 3, 1), D(2026, 4, 30)), d),
    ),
    ("FlowModel.simulate", "start", lambda d: _flow().simulate(5, seed=1, start=d)),
    (
        "FlowModel.fit",
        "start",
        lambda d: cc.FlowModel.fit([_journey().discharge(D(2026, 4, 20), "completed")], start=d),
    ),
    (
        "FlowModel.fit",
        "end",
        lambda d: cc.FlowModel.fit([_journey().discharge(D(2026, 3, 20), "completed")], end=d),
    ),
]


def _flow() -> cc.FlowModel:
    return cc.FlowModel(GENERIC, admissions={"IOP": 1.0}, length_of_stay={"IOP": 20})


def _day_id(entry: DayEntry) -> str:
    return f"{entry[0]}({entry[1]})"


class TestDays:
    @pytest.mark.parametrize("entry", DAY_ENTRIES, ids=_day_id)
    def test_an_iso_date_is_the_date(self, entry: DayEntry) -> None:
        """'YYYY-MM-DD', a pendulum Date and a datetime.date give equal results."""
        _, _, call = entry
        given = [D(2026, 3, 23), dt.date(2026, 3, 23), "2026-03-23"]
        results = [call(day) for day in given]
        assert results[1] == results[0] and results[2] == results[0]

    @pytest.mark.parametrize("entry", DAY_ENTRIES, ids=_day_id)
    @pytest.mark.parametrize(
        ("bad", "error", "says"),
        [
            (pendulum.datetime(2026, 3, 23, 9), cc.InvalidTypeError, "not a datetime"),
            (dt.datetime(2026, 3, 23, 9), cc.InvalidTypeError, "not a datetime"),
            ("2026-3-23", cc.InvalidValueError, "a date or an ISO 8601 date 'YYYY-MM-DD'"),
            ("23/03/2026", cc.InvalidValueError, "a date or an ISO 8601 date 'YYYY-MM-DD'"),
            ("2026-03-23T09:00", cc.InvalidValueError, "not a date and time"),
            ("2026-02-30", cc.InvalidValueError, "a day that exists"),
            (20260323, cc.InvalidTypeError, "a date or an ISO 8601 date 'YYYY-MM-DD'"),
        ],
    )
    def test_anything_else_is_refused_saying_what_it_got(
        self, entry: DayEntry, bad: object, error: type[Exception], says: str
    ) -> None:
        """A datetime is 'not a datetime'; other text or a number is told the two forms."""
        _, argument, call = entry
        if argument == "until" and type(bad) is int:
            error = cc.InvalidValueError  # a number of weeks, out of the program's range
        with pytest.raises(error) as info:
            call(bad)
        assert info.value.field in (argument, f"{argument}[0]")  # type: ignore[attr-defined]
        if argument != "until" or not isinstance(bad, (str, int)):
            assert says in str(info.value)
        brief(info.value)

    def test_every_day_argument_is_listed(self) -> None:
        """Each public argument typed as a date takes 'YYYY-MM-DD' too (``| str``) and is
        exercised above."""
        covered = {(where, argument) for where, argument, _ in DAY_ENTRIES}
        # Built by the engine (or by classify_many / validate_many), from a day already read.
        engine = {("RuleContext", "on"), ("ClassifiedDesigns", "on"), ("ValidatedDesigns", "on")}
        for where, argument, annotation in _annotated():
            if "date" in re.findall(r"\w+", annotation) and (where, argument) not in engine:
                assert "str" in annotation, (where, argument, annotation)
                assert (where, argument) in covered, (where, argument)

    def test_expand_with_an_iso_start(self) -> None:
        """The issue's example: expand(p, '2026-03-02', tz) is expand(p, date(2026, 3, 2), tz)."""
        assert cc.expand(_iop(), "2026-03-02", "America/New_York") == cc.expand(
            _iop(), D(2026, 3, 2), "America/New_York"
        )


# ---- zones ------------------------------------------------------------------------------------

ZoneEntry = tuple[str, Callable[[Any], Any]]
ZONE_ENTRIES: list[ZoneEntry] = [
    ("expand", lambda z: cc.expand(_iop(), D(2026, 3, 2), z)),
    (
        "Calendar",
        lambda z: attrs.evolve(cc.expand(_iop(), D(2026, 3, 2), "America/New_York"), zone=z),
    ),
    (
        "ScheduledSession",
        lambda z: attrs.evolve(
            cc.expand(_iop(), D(2026, 3, 2), "America/New_York").sessions[0], zone=z
        ),
    ),
]
FIELDS = {"expand": "tz", "Calendar": "zone", "ScheduledSession": "zone"}


class TestZones:
    @pytest.mark.parametrize("entry", ZONE_ENTRIES, ids=lambda e: e[0])
    def test_a_name_a_zoneinfo_and_a_pendulum_zone_are_one_zone(self, entry: ZoneEntry) -> None:
        """'America/New_York', ZoneInfo('America/New_York') and pendulum's zone give equal
        results, and a session keeps 18:00 local across the clock change."""
        _, call = entry
        given = [
            "America/New_York",
            zoneinfo.ZoneInfo("America/New_York"),
            pendulum.timezone("America/New_York"),
        ]
        results = [call(zone) for zone in given]
        assert all(result == results[0] for result in results)

    @pytest.mark.parametrize("entry", ZONE_ENTRIES, ids=lambda e: e[0])
    @pytest.mark.parametrize(
        ("name", "meant"),
        [
            ("EST", "'America/New_York'"),
            ("est", "'America/New_York'"),
            ("MST", "'America/Denver' (or 'America/Phoenix'"),
            ("HST", "'Pacific/Honolulu'"),
        ],
    )
    def test_fixed_offsets_named_like_a_region_are_refused(
        self, entry: ZoneEntry, name: str, meant: str
    ) -> None:
        """'EST' would put a New York 18:00 session at 19:00 all summer: refused as a name, a
        ZoneInfo or a pendulum zone, naming the zone meant."""
        where, call = entry
        forms: list[object] = [name]
        if name.isupper():
            forms += [zoneinfo.ZoneInfo(name), pendulum.timezone(name)]
        for zone in forms:
            with pytest.raises(cc.InvalidValueError) as info:
                call(zone)
            assert info.value.field == FIELDS[where]
            assert meant in str(info.value) and "fixed offset" in str(info.value)
            brief(info.value)

    @pytest.mark.parametrize(
        ("typo", "meant"),
        [
            ("America/Chicgo", "America/Chicago"),
            ("america/new_york", "America/New_York"),
            ("Europe/Berln", "Europe/Berlin"),
            ("Asia/Kolkatta", "Asia/Kolkata"),
        ],
    )
    def test_a_typo_gets_the_closest_name(self, typo: str, meant: str) -> None:
        """An unknown name is refused with the closest IANA name."""
        with pytest.raises(cc.InvalidValueError) as info:
            cc.expand(_iop(), D(2026, 3, 2), typo)
        assert info.value.field == "tz"
        assert f"did you mean {meant!r}?" in str(info.value)
        brief(info.value)

    @pytest.mark.parametrize(
        ("zone", "error", "says"),
        [
            ("Nowhere/Atall", cc.InvalidValueError, "an IANA time-zone name"),
            ("+05:00", cc.InvalidValueError, "not a fixed UTC offset"),
            (pendulum.FixedTimezone(3600), cc.InvalidValueError, "not a fixed UTC offset"),
            ("localtime", cc.InvalidValueError, "not the host's own zone"),
            (5, cc.InvalidTypeError, "a zoneinfo.ZoneInfo or a pendulum timezone"),
            (dt.UTC, cc.InvalidTypeError, "a zoneinfo.ZoneInfo or a pendulum timezone"),
        ],
    )
    def test_other_zones_are_refused(self, zone: object, error: type[Exception], says: str) -> None:
        """Offsets, the host's zone and other types are refused, saying what a zone is."""
        with pytest.raises(error) as info:
            cc.expand(_iop(), D(2026, 3, 2), zone)  # type: ignore[arg-type]
        assert says in str(info.value)
        brief(info.value)

    def test_long_input_gets_no_suggestion_at_no_cost(self) -> None:
        """Text longer than 100 characters is no typo of a zone name: refused at once."""
        with cpu_time() as spent, pytest.raises(cc.InvalidValueError) as info:
            cc.expand(_iop(), D(2026, 3, 2), "America/" + "x" * 1_000_000)
        assert spent.seconds < 1.0
        assert "did you mean" not in str(info.value)
        brief(info.value)


# ---- continuum inference, scheme names, rule-set lists, the length of a calendar ----------


class TestContinuumInference:
    @pytest.mark.parametrize("catalog", [GENERIC, ASAM3, ASAM4, LOCUS], ids=lambda c: c.scheme)
    def test_a_catalog_level_brings_its_continuum(self, catalog: cc.Continuum) -> None:
        """admit(client, level, on) for a catalog's level opens an episode on that catalog,
        the same episode as with continuum= (or the scheme's name)."""
        level = list(catalog)[-1]
        inferred = cc.Episode.admit("c-1", level, D(2026, 3, 2))
        assert inferred.continuum is catalog
        assert inferred == cc.Episode.admit("c-1", level, D(2026, 3, 2), continuum=catalog)
        assert inferred == cc.Episode.admit("c-1", level, D(2026, 3, 2), continuum=catalog.scheme)

    def test_a_level_of_a_continuum_you_built_needs_it(self) -> None:
        """A level of your own continuum cannot be inferred: the error says so in one line."""
        mine = cc.Continuum("MINE", "Mine", [_level()], "ours")
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Episode.admit("c-1", mine["X"], D(2026, 3, 2))
        assert info.value.field == "continuum"
        assert "the continuum you built must be given" in str(info.value)
        assert len(str(info.value).splitlines()) == 1
        assert cc.Episode.admit("c-1", mine["X"], D(2026, 3, 2), continuum=mine).continuum is mine

    @pytest.mark.parametrize(("code", "holders"), [("2.1", "catalogs.ASAM3 and catalogs.ASAM4"),
                                                    ("IOP", "catalogs.GENERIC")])  # fmt: skip
    def test_a_code_needs_its_continuum(self, code: str, holders: str) -> None:
        """A code names levels of several schemes ('2.1' is ASAM3's and ASAM4's): the error
        names the catalogs that hold it and how to pass the level itself."""
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Episode.admit("c-1", code, D(2026, 3, 2))
        assert info.value.field == "continuum" and holders in str(info.value)
        brief(info.value)


class TestSchemeNames:
    @pytest.mark.parametrize("target", [GENERIC, ASAM3, ASAM4, LOCUS], ids=lambda c: c.scheme)
    def test_crosswalk_to_a_scheme_name(self, target: cc.Continuum) -> None:
        """crosswalk(level, to='LOCUS') is crosswalk(level, to=catalogs.LOCUS)."""
        for level in (GENERIC["IOP"], ASAM3["3.5"]):
            assert cc.crosswalk(level, to=target.scheme) == cc.crosswalk(level, to=target)

    @pytest.mark.parametrize(("name", "hint"), [("asam3", "did you mean 'ASAM3'?"),
                                                ("DSM5", "")])  # fmt: skip
    def test_an_unknown_scheme_is_refused_listing_the_schemes(self, name: str, hint: str) -> None:
        """Scheme names are spelt as the catalogs spell them; the error lists them."""
        with pytest.raises(cc.InvalidValueError) as info:
            cc.crosswalk(GENERIC["IOP"], to=name)
        assert info.value.field == "to"
        assert "'GENERIC', 'ASAM3', 'ASAM4', 'LOCUS'" in str(info.value) and hint in str(info.value)
        brief(info.value)


class TestRuleSetLists:
    @pytest.mark.parametrize("sets", [[rulesets.ASAM3, rulesets.MEDICARE_2024],
                                      (rulesets.ASAM3, rulesets.MEDICARE_2024)])  # fmt: skip
    def test_a_list_is_the_union(self, sets: Any) -> None:
        """validate(p, [A, B]) and classify(p, [A, B]) judge as A | B does."""
        program = _iop(hours_per_session=7)
        union = rulesets.ASAM3 | rulesets.MEDICARE_2024
        assert cc.validate(program, sets).findings == cc.validate(program, union).findings
        assert [c.level for c in cc.classify(program, sets)] == [
            c.level for c in cc.classify(program, union)
        ]

    @pytest.mark.parametrize(
        ("sets", "field", "error"),
        [
            ("ASAM3", "ruleset", cc.InvalidTypeError),
            ({rulesets.ASAM3}, "ruleset", cc.InvalidTypeError),
            ([rulesets.ASAM3, "MEDICARE_2024"], "ruleset[1]", cc.InvalidTypeError),
            ([], "ruleset", cc.InvalidValueError),
        ],
    )
    def test_other_junk_is_refused_in_one_line(
        self, sets: object, field: str, error: type[Exception]
    ) -> None:
        """Not a rule set nor a list of them: one line naming the argument."""
        for call in (cc.validate, cc.classify):
            with pytest.raises(error) as info:
                call(_iop(), sets)  # type: ignore[operator]
            assert info.value.field == field  # type: ignore[attr-defined]
            assert len(str(info.value).splitlines()) == 1
            brief(info.value)


class TestUntil:
    @pytest.mark.parametrize(
        ("weeks", "until", "says"),
        [
            (8, 0, "'until' must be 8, the program's length in weeks (got 0)"),
            (
                (8, 12),
                13,
                "'until' must be a week from 8 to 12 (the program runs from 8 to 12 weeks)",
            ),
            ((8, 12), "ten", "'until' must be a number of weeks (an int) or a last day"),
        ],
    )
    def test_until_says_what_is_expected(self, weeks: object, until: object, says: str) -> None:
        """The range is said in the caller's terms: weeks of the program."""
        with pytest.raises(cc.CareContinuumError) as info:
            cc.expand(_iop(weeks=weeks), D(2026, 3, 2), "UTC", until=until)  # type: ignore[arg-type]
        assert str(info.value).startswith(says)
        brief(info.value)
