"""FHIR R4 export: every CarePlan, EpisodeOfCare and Appointment validates against two
independent validators, HL7's official R4 JSON schema and the fhir.resources R4B models (test
dependencies only; see fhir_validators.py), its references resolve, level codes round-trip,
and the import stays optional."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any

import jsonschema
import pendulum
import pytest
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.episodeofcare import EpisodeOfCare
from hypothesis import given
from hypothesis import strategies as st
from pendulum import WeekDay
from pydantic import BaseModel

import carecontinuum as cc
import carecontinuum.strategies as ccst
import fhir_validators as fv
from carecontinuum import catalogs, fhir
from carecontinuum.catalogs import ALL, ASAM3, ASAM4, GENERIC, LOCUS
from strategies import programs

ASAM3_RATINGS = {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1}  # places at ASAM3 2.1
START = date(2026, 3, 2)  # a Monday


# ---- validation helpers ---------------------------------------------------------------------


def _walk(model: BaseModel, path: str = "") -> Iterator[tuple[str, str, object, BaseModel]]:
    """Every (path, field name, value, owner) of a validated model, recursively."""
    for name in type(model).model_fields:
        value = getattr(model, name, None)
        if value is None:
            continue
        yield f"{path}{name}", name, value, model
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                where = f"{path}{name}[{i}]." if isinstance(value, list) else f"{path}{name}."
                yield from _walk(item, where)


def _check_codes(model: BaseModel) -> None:
    """Codes bound to a required value set hold one of its codes (the models list them but do
    not enforce them)."""
    for path, name, value, owner in _walk(model):
        extra = type(owner).model_fields[name].json_schema_extra
        allowed = extra.get("enum_values") if isinstance(extra, dict) else None
        if isinstance(allowed, list):
            for code in value if isinstance(value, list) else [value]:
                assert code in allowed, f"{path}: {code!r} not in {allowed}"


def _local_references(data: object) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "reference" and isinstance(value, str) and value.startswith("#"):
                yield value[1:]
            else:
                yield from _local_references(value)
    elif isinstance(data, list):
        for item in data:
            yield from _local_references(item)


def _periods(data: object) -> Iterator[dict[str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("period", "boundsPeriod") and isinstance(value, dict):
                yield value
            yield from _periods(value)
    elif isinstance(data, list):
        for item in data:
            yield from _periods(item)


def _check_invariants(resource: dict[str, Any]) -> None:
    """FHIR invariants the models leave unchecked: local references resolve to contained
    resources and every contained resource is referenced (dom-3), periods run forwards
    (per-1), and Timing units accompany their values (tim-1, tim-2)."""
    contained = {r["id"] for r in resource.get("contained", [])}
    referenced = set(_local_references(resource))
    assert referenced <= contained, referenced - contained
    assert contained <= referenced, contained - referenced
    for period in _periods(resource):
        if "end" in period:
            assert period["start"] <= period["end"], period
    for activity in resource.get("activity", []):
        repeat = activity["detail"].get("scheduledTiming", {}).get("repeat", {})
        assert ("duration" in repeat) == ("durationUnit" in repeat)
        assert ("period" in repeat) == ("periodUnit" in repeat)
        assert "countMax" not in repeat or "count" in repeat
        assert repeat.get("frequency", 1) >= 1
        assert repeat.get("period", 1) > 0


def _strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)


def _check_strings(resource: dict[str, Any]) -> None:
    """Every string is a FHIR string: no character below 32 but tab, line feed and carriage
    return (R4 datatypes, string), encodable as UTF-8, at most 1,048,576 characters."""
    for text in _strings(resource):
        assert all(c >= " " or c in "\t\n\r" for c in text), repr(text)
        text.encode("utf-8")
        assert len(text) <= 1_048_576


def valid_care_plan(resource: dict[str, Any]) -> CarePlan:
    """Validate a CarePlan dict every way this suite knows."""
    fv.assert_valid(resource)
    _check_strings(resource)
    model = CarePlan.model_validate(resource)
    _check_codes(model)
    _check_invariants(resource)
    assert resource["status"] and resource["intent"] == "plan" and resource["subject"]
    return model


def valid_episode(resource: dict[str, Any]) -> EpisodeOfCare:
    """Validate an EpisodeOfCare dict every way this suite knows."""
    fv.assert_valid(resource)
    _check_strings(resource)
    model = EpisodeOfCare.model_validate(resource)
    _check_codes(model)
    _check_invariants(resource)
    assert resource["status"] and resource["patient"]
    return model


# ---- builders -------------------------------------------------------------------------------


def _plan(
    program: cc.ProgramStructure,
    problems: list[cc.Problem] | None = None,
    *,
    client: str = "c-104",
    criteria: tuple[str, ...] = ("Completes the relapse-prevention plan",),
    aftercare: cc.Aftercare | None = None,
) -> cc.TreatmentPlan:
    intake = cc.Assessment("ASAM3", ASAM3_RATINGS, date(2026, 2, 27), client_id=client)
    placed = cc.place(intake, ASAM3)
    if problems is None:
        groups = cc.Intervention(cc.Service.GROUP_THERAPY, 3, cc.CareRole.ADDICTION_COUNSELOR)
        problems = [
            cc.Problem(
                "Alcohol use disorder",
                [cc.Goal("Maintain abstinence", [cc.Objective("Names triggers", START, [groups])])],
            )
        ]
    return cc.TreatmentPlan(
        client, intake, placed, program, problems,
        start=START, review_every_days=30, next_review=date(2026, 4, 1),
        discharge_criteria=criteria, aftercare=aftercare,
    )  # fmt: skip


def _rich_problems() -> list[cc.Problem]:
    """Several problems, goals and objectives; interventions at every kind of rate and role; a
    goal without objectives and a problem without goals, as drafts have."""
    s, r = cc.Service, cc.CareRole
    return [
        cc.Problem(
            "Alcohol use disorder, moderate",
            [
                cc.Goal(
                    "Maintain abstinence",
                    [
                        cc.Objective(
                            "Names three triggers and a coping plan for each",
                            date(2026, 3, 27),
                            [
                                cc.Intervention(s.GROUP_THERAPY, 3, r.ADDICTION_COUNSELOR),
                                cc.Intervention(s.RELAPSE_PREVENTION, 1.5, r.THERAPIST,
                                                description="CBT for cravings"),
                            ],
                        ),
                        cc.Objective("Negative drug screens", date(2026, 4, 20),
                                     [cc.Intervention(s.DRUG_TESTING, 1, r.NURSE_PRACTITIONER)]),
                    ],
                ),
                cc.Goal("Repair family relationships", [
                    cc.Objective("Attends family sessions", date(2026, 4, 24), [
                        cc.Intervention(s.FAMILY_THERAPY, 0.5, r.FAMILY_THERAPIST),
                        cc.Intervention(s.CASE_MANAGEMENT, 0.3, r.CASE_MANAGER),
                    ])]),
                cc.Goal("Find stable housing"),
            ],
        ),
        cc.Problem("Depressive symptoms", [cc.Goal("Mood stabilises", [
            cc.Objective("PHQ-9 below 10", date(2026, 4, 24), [
                cc.Intervention(s.MEDICATION_MANAGEMENT, 0.25, r.PSYCHIATRIST),
                cc.Intervention(s.PEER_SUPPORT, 2.7, r.PEER_SPECIALIST),
            ])])]),
        cc.Problem("Unemployment"),
    ]  # fmt: skip


def _outpatient_level(code: str, name: str, scheme: str, rank: int) -> cc.LevelOfCare:
    return cc.LevelOfCare(
        code, name, scheme, cc.Setting.OUTPATIENT,
        overnight=False, supervision=cc.Supervision.SCHEDULED, rank=rank,
    )  # fmt: skip


def _session(day: WeekDay, start: time, minutes: int, **kwargs: Any) -> cc.Session:
    segment = cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(minutes=minutes))
    return cc.Session(day, start, [segment], **kwargs)


def _programs() -> dict[str, cc.ProgramStructure]:
    windmill = [
        cc.Segment(cc.Service.CHECK_IN, pendulum.duration(minutes=15)),
        cc.Segment(cc.Service.PROCESS_GROUP, pendulum.duration(minutes=90)),
        cc.Segment(cc.Service.BREAK, pendulum.duration(minutes=15)),
        cc.Segment(cc.Service.PSYCHOEDUCATION, pendulum.duration(minutes=60)),
    ]
    mon, tue, wed, fri = WeekDay.MONDAY, WeekDay.TUESDAY, WeekDay.WEDNESDAY, WeekDay.FRIDAY
    return {
        "asam3-iop": cc.ProgramStructure.weekly(
            ASAM3["2.1"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8
        ),
        "windmill": cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["tue", "thu", "sat"], hours_per_session=3, weeks=8,
            start="18:00", services=windmill, name="Classic addiction IOP",
        ),
        "aacs-range": cc.ProgramStructure.weekly(
            ASAM4["2.1"], days=["mon", "tue", "wed", "thu"], hours_per_session=2.5,
            weeks=(8, 12), start="17:30",
        ),
        "mixed": cc.ProgramStructure(
            LOCUS["3"], cc.Population.ADULT, cc.Track.MENTAL_HEALTH,
            [
                _session(mon, time(9), 180),
                _session(wed, time(9), 180),
                _session(tue, time(18, 30), 105),
                _session(fri, time(10), 60, every_weeks=2, week_offset=1, program_day=False),
                _session(WeekDay.SATURDAY, time(22), 150, overnight=True),
            ],
            (6, 12), name="Adult mental-health IOP",
        ),
        "php": cc.ProgramStructure.weekly(
            GENERIC["PHP"], days=["mon", "tue", "wed", "thu", "fri"], hours_per_session=5,
            weeks=3, start="08:45:30",
        ),
    }  # fmt: skip


PROGRAMS = _programs()


def _episodes() -> dict[str, cc.Episode]:
    d = pendulum.date
    return {
        "open": cc.Episode.admit("c-1", "2.1", d(2026, 3, 2), continuum=ASAM3),
        "stepped-down": (
            cc.Episode.admit("c-2", "DETOX", d(2026, 1, 5), continuum=GENERIC)
            .step_to("RESIDENTIAL", d(2026, 1, 10), "withdrawal complete")
            .step_to("PHP", d(2026, 2, 9), "stable")
            .step_to("IOP", d(2026, 3, 2), "stable")
            .step_to("OP", d(2026, 4, 27), "goals met")
            .discharge(d(2026, 6, 22), cc.DischargeReason.COMPLETED,
                       referred_to=GENERIC["RECOVERY"])
        ),
        "up-and-down": (
            cc.Episode.admit("c-3", "2.1", d(2026, 3, 2), continuum=ASAM3)
            .step_to("2.5", d(2026, 3, 16), "relapse")
            .step_to("2.1", d(2026, 4, 6), "stable")
        ),
        "concurrent": (
            cc.Episode.admit("c-4", "2.1", d(2026, 3, 2), continuum=ASAM3)
            .add_concurrent("OTP", d(2026, 3, 2), "opioid use disorder")
            .authorize("2.1", d(2026, 3, 2), d(2026, 3, 31), payer="Medicaid", units=12)
            .step_to("1", d(2026, 4, 27), "goals met")
            .discharge(d(2026, 6, 1), cc.DischargeReason.AGAINST_MEDICAL_ADVICE, note="left")
        ),
        "locus": (
            cc.Episode.admit("c-5", "4", d(2026, 1, 1), continuum=LOCUS)
            .step_to("3", d(2026, 1, 1), "same-day step down")  # a stay of no days
            .discharge(d(2026, 2, 1), cc.DischargeReason.TRANSFERRED)
        ),
        "asam4": (
            cc.Episode.admit("c-6", "2.5", d(2026, 5, 4), continuum=ASAM4)
            .step_to("2.1", d(2026, 5, 25), "stable")
        ),
        "transfer": (  # out of withdrawal management: a transfer, then a step down
            cc.Episode.admit("c-7", "3.7-WM", d(2026, 1, 5), continuum=ASAM3)
            .step_to("3.5", d(2026, 1, 9), "withdrawal complete")
            .step_to("2.1", d(2026, 2, 9), "stable", program=PROGRAMS["windmill"])  # GENERIC IOP
            .discharge(d(2026, 4, 6), cc.DischargeReason.COMPLETED, referred_to=ASAM3["1"])
        ),
    }  # fmt: skip


EPISODES = _episodes()


# ---- care plans -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PROGRAMS))
@pytest.mark.parametrize("on", [None, date(2026, 2, 1), date(2026, 3, 10), date(2027, 1, 1)])
def test_every_care_plan_validates(name: str, on: date | None) -> None:
    """Plans over each program, on each kind of day, validate as R4B CarePlans."""
    aftercare = cc.Aftercare(GENERIC["OP"], [cc.AftercareService.ALUMNI,
                             cc.AftercareService.SUPPORT_GROUPS], note="Tuesday group")  # fmt: skip
    for plan in (
        _plan(PROGRAMS[name]),
        _plan(PROGRAMS[name], _rich_problems(), aftercare=aftercare),
        _plan(PROGRAMS[name], [cc.Problem("Only a problem")], criteria=()),
    ):
        resource = fhir.care_plan(plan, id="plan-1", on=on)
        model = valid_care_plan(resource)
        assert model.id == "plan-1"
        assert model.subject.identifier is not None
        assert model.subject.identifier.value == plan.client_id


def test_required_and_derived_fields() -> None:
    """status, intent and subject are always there; the period is the plan's; the level of care
    is a category and codes the program's activity."""
    plan = _plan(PROGRAMS["asam3-iop"])
    resource = fhir.care_plan(plan)
    assert "id" not in resource
    assert resource["resourceType"] == "CarePlan"
    assert (resource["status"], resource["intent"]) == ("active", "plan")
    assert resource["subject"] == {"type": "Patient", "identifier": {"value": "c-104"}}
    assert resource["period"] == {"start": "2026-03-02", "end": "2026-04-26"}
    _, behavioral, level = resource["category"]
    assert behavioral["coding"][0] == {
        "system": fhir.CARE_PLAN_CATEGORY_SYSTEM, "code": "behavioral-health",
        "display": "Behavioral health",
    }  # fmt: skip
    assert level["coding"] == [fhir.level_coding(ASAM3["2.1"])]
    assert resource["activity"][0]["detail"]["code"]["coding"][0] == level["coding"][0]
    assert resource["note"] == [
        {"text": "Discharge criteria:\n- Completes the relapse-prevention plan"}
    ]
    assert "Treatment plan" in resource["title"] and "30 days" in resource["description"]


@pytest.mark.parametrize(
    ("on", "plan_status", "activity_status", "goal_status", "aftercare_status"),
    [
        (None, "active", "scheduled", "active", "not-started"),
        (date(2026, 3, 1), "active", "not-started", "planned", "not-started"),
        (START, "active", "in-progress", "active", "not-started"),
        (date(2026, 4, 26), "active", "in-progress", "active", "not-started"),
        (date(2026, 4, 27), "completed", "completed", "completed", "unknown"),
    ],
)
def test_statuses_follow_the_day(
    on: date | None, plan_status: str, activity_status: str, goal_status: str,
    aftercare_status: str,
) -> None:  # fmt: skip
    """Without a day the plan is active and scheduled; with one, its phase decides."""
    plan = _plan(PROGRAMS["asam3-iop"], aftercare=cc.Aftercare(GENERIC["OP"]))
    resource = fhir.care_plan(plan, on=on)
    assert resource["status"] == plan_status
    *care, aftercare = resource["activity"]
    assert {a["detail"]["status"] for a in care} == {activity_status}
    assert aftercare["detail"]["status"] == aftercare_status
    goals = [r for r in resource["contained"] if r["resourceType"] == "Goal"]
    assert {g["lifecycleStatus"] for g in goals} == {goal_status}


def test_program_sessions_become_timing() -> None:
    """A weekly program is one activity: its days, start, length, cadence and session count."""
    resource = fhir.care_plan(_plan(PROGRAMS["asam3-iop"]))
    program = resource["activity"][0]["detail"]
    assert program["kind"] == "ServiceRequest"
    assert program["scheduledTiming"] == {
        "repeat": {
            "boundsPeriod": {"start": "2026-03-02", "end": "2026-04-26"},
            "count": 24,
            "duration": 3, "durationUnit": "h",
            "frequency": 3, "period": 1, "periodUnit": "wk",
            "dayOfWeek": ["mon", "wed", "fri"],
            "timeOfDay": ["09:00:00"],
        }
    }  # fmt: skip


def test_a_session_with_a_break_is_timed_whole_and_its_clinical_hours_said() -> None:
    """The Timing holds the whole three hours; the description says 2.75 clinical hours."""
    resource = fhir.care_plan(_plan(PROGRAMS["windmill"]))
    program = resource["activity"][0]["detail"]
    repeat = program["scheduledTiming"]["repeat"]
    assert (repeat["duration"], repeat["durationUnit"]) == (3, "h")
    assert repeat["dayOfWeek"] == ["tue", "thu", "sat"]
    assert repeat["timeOfDay"] == ["18:00:00"]
    assert "2.75 clinical hours" in program["description"]
    assert "Classic addiction IOP" in program["description"]
    assert "Classic addiction IOP" in resource["title"]


def test_a_range_of_weeks_gives_a_range_of_sessions() -> None:
    """8-12 weeks of four sessions: count 32, countMax 48; bounds end with the longest run."""
    plan = _plan(PROGRAMS["aacs-range"])
    repeat = fhir.care_plan(plan)["activity"][0]["detail"]["scheduledTiming"]["repeat"]
    assert (repeat["count"], repeat["countMax"]) == (32, 48)
    assert (repeat["duration"], repeat["durationUnit"]) == (150, "min")
    assert repeat["timeOfDay"] == ["17:30:00"]
    assert repeat["boundsPeriod"]["end"] == plan.end.isoformat()


def test_sessions_that_differ_become_one_timing_each() -> None:
    """Sessions group by start, length and cadence; a fortnightly session from week 1 runs
    every 2 weeks from the plan's second week; an overnight one keeps its evening start."""
    resource = fhir.care_plan(_plan(PROGRAMS["mixed"]))
    repeats = [a["detail"]["scheduledTiming"]["repeat"] for a in resource["activity"][:4]]
    assert [(r["dayOfWeek"], r["timeOfDay"]) for r in repeats] == [
        (["mon", "wed"], ["09:00:00"]),
        (["tue"], ["18:30:00"]),
        (["fri"], ["10:00:00"]),
        (["sat"], ["22:00:00"]),
    ]
    assert [(r["duration"], r["durationUnit"]) for r in repeats] == [
        (3, "h"), (105, "min"), (1, "h"), (150, "min"),
    ]  # fmt: skip
    assert [(r["frequency"], r["period"]) for r in repeats] == [(2, 1), (1, 1), (1, 2), (1, 1)]
    fortnightly = repeats[2]
    assert fortnightly["boundsPeriod"]["start"] == "2026-03-09"
    assert (fortnightly["count"], fortnightly["countMax"]) == (3, 6)  # weeks 1, 3, 5 (.. 11)
    codes = {a["detail"]["code"]["coding"][0]["code"] for a in resource["activity"][:4]}
    assert codes == {"3"}


def test_seconds_in_a_start_time_and_a_length_are_kept() -> None:
    """A start at 08:45:30 keeps its seconds; a five-hour session is 5 h."""
    repeat = fhir.care_plan(_plan(PROGRAMS["php"]))["activity"][0]["detail"]["scheduledTiming"]
    assert repeat["repeat"]["timeOfDay"] == ["08:45:30"]
    assert (repeat["repeat"]["duration"], repeat["repeat"]["durationUnit"]) == (5, "h")


def test_interventions_become_activities_with_goal_role_and_rate() -> None:
    """Each intervention: its service coded, its goal referred to, a Timing from per_week, the
    contained role as performer and a description naming the role and the objective."""
    resource = fhir.care_plan(_plan(PROGRAMS["asam3-iop"], _rich_problems()))
    details = [a["detail"] for a in resource["activity"][1:]]
    rates = [
        (d["scheduledTiming"]["repeat"]["frequency"], d["scheduledTiming"]["repeat"]["period"])
        for d in details
    ]
    assert rates == [(3, 1), (3, 2), (1, 1), (1, 2), (3, 10), (1, 4), (27, 10)]
    assert {d["scheduledTiming"]["repeat"]["periodUnit"] for d in details} == {"wk"}
    first, second = details[0], details[1]
    assert first["code"]["coding"] == [
        {"system": fhir.SERVICE_SYSTEM, "code": "group-therapy", "display": "Group therapy"}
    ]
    assert first["goal"] == [{"reference": "#goal-0-0"}]
    assert first["performer"] == [
        {"reference": "#role-addiction-counselor", "display": "addiction counselor"}
    ]
    assert "addiction counselor" in first["description"]
    assert "Names three triggers" in first["description"]
    assert second["description"].endswith(": CBT for cravings")
    assert [d["goal"][0]["reference"] for d in details] == [
        "#goal-0-0", "#goal-0-0", "#goal-0-0", "#goal-0-1", "#goal-0-1", "#goal-1-0",
        "#goal-1-0",
    ]  # fmt: skip
    roles = {r["id"]: r for r in resource["contained"] if r["resourceType"] == "PractitionerRole"}
    assert len(roles) == len(cc.CareRole)
    assert roles["role-nurse-practitioner"]["code"][0]["coding"][0] == {
        "system": fhir.CARE_ROLE_SYSTEM, "code": "nurse-practitioner",
        "display": "Nurse practitioner",
    }  # fmt: skip


def test_problems_and_goals_are_contained_and_linked() -> None:
    """A Condition per problem, a Goal per goal with its objectives as targets."""
    resource = fhir.care_plan(_plan(PROGRAMS["asam3-iop"], _rich_problems()))
    by_id = {r["id"]: r for r in resource["contained"]}
    assert [a["reference"] for a in resource["addresses"]] == [
        "#problem-0", "#problem-1", "#problem-2",
    ]  # fmt: skip
    assert [g["reference"] for g in resource["goal"]] == [
        "#goal-0-0", "#goal-0-1", "#goal-0-2", "#goal-1-0",
    ]  # fmt: skip
    assert by_id["problem-2"]["code"] == {"text": "Unemployment"}
    goal = by_id["goal-0-0"]
    assert goal["description"] == {"text": "Maintain abstinence"}
    assert goal["addresses"] == [{"reference": "#problem-0"}]
    assert goal["subject"] == resource["subject"]
    assert goal["target"] == [
        {"measure": {"text": "Names three triggers and a coping plan for each"},
         "dueDate": "2026-03-27"},
        {"measure": {"text": "Negative drug screens"}, "dueDate": "2026-04-20"},
    ]  # fmt: skip
    assert "target" not in by_id["goal-0-2"]


def test_a_plan_with_no_goal_has_no_goal_element() -> None:
    """Empty lists are left out, not written as []."""
    resource = fhir.care_plan(_plan(PROGRAMS["asam3-iop"], [cc.Problem("Only")], criteria=()))
    assert "goal" not in resource and "note" not in resource
    assert [r["resourceType"] for r in resource["contained"]] == ["Condition"]
    assert len(resource["activity"]) == 1  # the program
    valid_care_plan(resource)


def test_aftercare_becomes_activities() -> None:
    """The next level, coded in its scheme, and each service, coded in ours."""
    after = cc.Aftercare(LOCUS["1"], [cc.AftercareService.MEDICATION_MANAGEMENT], note="Dr Lee")
    resource = fhir.care_plan(_plan(PROGRAMS["asam3-iop"], aftercare=after))
    level, service = (a["detail"] for a in resource["activity"][-2:])
    assert level["code"]["coding"] == [fhir.level_coding(LOCUS["1"])]
    assert "Dr Lee" in level["description"]
    assert service["code"]["coding"][0]["system"] == fhir.AFTERCARE_SERVICE_SYSTEM
    assert service["code"]["coding"][0]["code"] == "medication-management"


def test_a_level_outside_the_catalogs_is_text_only() -> None:
    """A clinic's own continuum has no system here: its level is a text-only concept."""
    house = _outpatient_level("EVE", "Evening IOP", "CLINIC", 0)
    program = cc.ProgramStructure.weekly(house, days=["mon"], hours_per_session=3, weeks=4)
    resource = fhir.care_plan(_plan(program))
    assert resource["category"][2] == {"text": "CLINIC EVE: Evening IOP"}
    valid_care_plan(resource)


@pytest.mark.parametrize("bad", ["", "has space", "x" * 65, "under_score"])
def test_an_id_that_is_not_a_fhir_id_is_refused(bad: str) -> None:
    with pytest.raises(cc.InvalidValueError, match="'id'"):
        fhir.care_plan(_plan(PROGRAMS["asam3-iop"]), id=bad)
    with pytest.raises(cc.InvalidValueError, match="'id'"):
        fhir.episode_of_care(EPISODES["open"], id=bad)


def test_wrong_types_are_refused() -> None:
    plan = _plan(PROGRAMS["asam3-iop"])
    with pytest.raises(cc.InvalidTypeError, match="'plan'"):
        fhir.care_plan(EPISODES["open"])  # type: ignore[arg-type]
    with pytest.raises(cc.InvalidTypeError, match="'episode'"):
        fhir.episode_of_care(plan)  # type: ignore[arg-type]
    with pytest.raises(cc.InvalidTypeError, match="'on'"):
        fhir.care_plan(plan, on=pendulum.datetime(2026, 3, 2))
    with pytest.raises(cc.InvalidTypeError, match="'id'"):
        fhir.care_plan(plan, id=7)  # type: ignore[arg-type]


rates = st.floats(min_value=1 / 52, max_value=168, allow_nan=False, allow_infinity=False)


@given(
    program=programs(),
    per_week=rates,
    role=st.sampled_from(cc.CareRole),
    service=st.sampled_from([s for s in cc.Service if s.is_clinical]),
)
def test_any_program_and_intervention_gives_a_valid_care_plan(
    program: cc.ProgramStructure, per_week: float, role: cc.CareRole, service: cc.Service
) -> None:
    """Property: every program the strategies build, with an intervention at any rate, gives a
    valid CarePlan whose program Timings count every session and whose rate is the rate."""
    item = cc.Intervention(service, per_week, role, description="as needed")
    problems = [cc.Problem("P", [cc.Goal("G", [cc.Objective("O", START, [item])])])]
    resource = fhir.care_plan(_plan(program, problems))
    valid_care_plan(resource)
    *sessions, intervention = resource["activity"]
    repeats = [a["detail"]["scheduledTiming"]["repeat"] for a in sessions]
    # count is a positiveInt: a group first held after the shortest run has none (nor countMax)
    assert sum(r.get("count", 0) for r in repeats) == program.sessions_over(program.min_weeks)
    most = sum(r.get("countMax", r.get("count", 0)) for r in repeats)
    assert most <= program.sessions_over(program.max_weeks)
    assert sum(len(r["dayOfWeek"]) for r in repeats) == sum(
        s.occurrences(program.max_weeks) > 0 for s in program.sessions
    )
    rate = intervention["detail"]["scheduledTiming"]["repeat"]
    assert rate["frequency"] / rate["period"] == pytest.approx(per_week, rel=1e-5)


# ---- episodes of care -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EPISODES))
def test_every_episode_validates(name: str) -> None:
    """Open and discharged episodes, steps both ways, concurrent services, each scheme."""
    episode = EPISODES[name]
    resource = fhir.episode_of_care(episode, id=f"episode-{name}")
    model = valid_episode(resource)
    assert model.id == f"episode-{name}"
    assert resource["status"] == ("active" if episode.is_open else "finished")
    assert resource["patient"] == {"type": "Patient", "identifier": {"value": episode.client_id}}
    assert [h["status"] for h in resource["statusHistory"]][-1] == resource["status"]
    assert resource["period"]["start"] == episode.admitted_on.isoformat()
    assert ("end" in resource["period"]) == (not episode.is_open)


def test_an_open_episode_has_no_end() -> None:
    resource = fhir.episode_of_care(EPISODES["up-and-down"])
    assert resource["status"] == "active"
    assert resource["statusHistory"] == [{"status": "active", "period": {"start": "2026-03-02"}}]
    assert resource["period"] == {"start": "2026-03-02"}


def test_types_are_the_levels_delivered_each_once() -> None:
    """Main levels in order of first stay, then concurrent ones; a level returned to is not
    repeated."""
    up_down = fhir.episode_of_care(EPISODES["up-and-down"])
    assert up_down["type"][0]["coding"][0]["code"] == "da"  # drug and alcohol rehabilitation
    assert [fhir.level_from_coding(t["coding"][0]).code for t in up_down["type"][1:]] == [
        "2.1", "2.5",
    ]  # fmt: skip
    concurrent = fhir.episode_of_care(EPISODES["concurrent"])
    assert [fhir.level_from_coding(t["coding"][0]).code for t in concurrent["type"][1:]] == [
        "2.1", "1", "OTP",
    ]  # fmt: skip
    locus = fhir.episode_of_care(EPISODES["locus"])
    assert [t["coding"][0]["code"] for t in locus["type"]] == ["4", "3"]  # no "da" for LOCUS
    for concept in concurrent["type"][1:]:
        assert concept["coding"][0]["system"] == fhir.ASAM3_SYSTEM
        assert concept["text"].startswith("ASAM3 ")


# ---- two validators: every resource the strategies can produce ------------------------------


def test_the_vendored_schema_is_hl7s_r4_schema() -> None:
    """The file is HL7's draft-06 JSON schema of R4: its id, its resourceType discriminator
    over R4's 146 resource types, a valid draft-06 schema (see tests/data/README.md)."""
    schema = fv.official_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
    assert schema["id"] == fv.SCHEMA_ID
    assert schema["discriminator"]["propertyName"] == "resourceType"
    mapping = schema["discriminator"]["mapping"]
    assert len(mapping) == len(schema["oneOf"]) == 146
    assert {"CarePlan", "EpisodeOfCare", "Appointment", "Bundle"} <= set(mapping)
    assert (
        "4.0.0" in schema["definitions"]["CapabilityStatement"]["properties"]["fhirVersion"]["enum"]
    )
    jsonschema.Draft6Validator.check_schema(schema)


def _samples() -> list[dict[str, Any]]:
    plan = fhir.care_plan(_plan(PROGRAMS["windmill"], _rich_problems()), id="plan-1")
    return [plan, fhir.episode_of_care(EPISODES["concurrent"], id="episode-1")]


def test_the_discriminator_keeps_the_verdict() -> None:
    """The validator picks a resource's definition by resourceType instead of trying all 146:
    plain draft-06 oneOf gives the same verdict, valid or not."""
    plain = fv.plain_schema_validator()
    episode = fhir.episode_of_care(EPISODES["concurrent"])
    wrong = {**episode, "status": 7}
    unknown = {**episode, "resourceType": "Episode"}
    for resource, valid in ((episode, True), (wrong, False), (unknown, False)):
        assert plain.is_valid(resource) is valid
        assert (fv.schema_errors(resource) == []) is valid


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda r: r.update(status=["active"]), id="wrong type"),
        pytest.param(lambda r: r.update(statusReason="unknown element"), id="unknown element"),
        # (The JSON schema leaves required primitives such as status optional, as an element
        # may be given by its extensions alone: a required reference is removed instead.)
        pytest.param(
            lambda r: r.pop("subject" if "subject" in r else "patient"),
            id="missing required element",
        ),
        pytest.param(lambda r: r["period"].update(start="2026-13-01"), id="malformed date"),
        pytest.param(
            lambda r: r["contained" if "contained" in r else "type"][0].update(id=3.5),
            id="wrong type inside",
        ),
    ],
)
def test_both_validators_refuse_a_broken_resource(mutate: Any) -> None:
    """Neither validator is vacuous: each refuses a wrong type, an element the resource does not
    have, a missing required element and a malformed date. (Neither checks codes against
    CarePlan's required value sets: `_check_codes` does.)"""
    for resource in _samples():
        broken = json.loads(json.dumps(resource))
        mutate(broken)
        fv.assert_refused(broken)


def test_a_contained_resource_is_checked_by_its_own_type() -> None:
    """A contained Goal that is not a Goal is refused, by both validators."""
    broken = json.loads(json.dumps(_samples()[0]))
    goal = next(c for c in broken["contained"] if c["resourceType"] == "Goal")
    goal["lifecycleStatus"] = {"text": "active"}
    fv.assert_refused(broken)


@pytest.mark.parametrize("space", ["\u00a0", "\u2028", "\u3000"])
def test_unicode_spaces_fail_only_the_ecma_reading(space: str) -> None:
    """Known difference, recorded: the library keeps Unicode spaces in text, and FHIR's string
    pattern ``[ \\r\\n\\t\\S]+`` accepts them read as Java reads ``\\S`` (this suite's
    reading) but refuses them read with Unicode classes (ECMA 262, as a JavaScript schema
    validator would, and plain Python ``re``)."""
    episode = fhir.episode_of_care(cc.Episode.admit(f"c{space}1", "IOP", START, continuum=GENERIC))
    assert fv.schema_errors(episode) == []
    assert fv.model_errors(episode) == []
    assert not fv.plain_schema_validator().is_valid(episode)


def test_the_reference_check_finds_a_dangling_reference() -> None:
    plan = json.loads(json.dumps(_samples()[0]))
    fv.assert_references_resolve([plan])
    plan["goal"].append({"reference": "#goal-9-9"})
    with pytest.raises(AssertionError, match="goal-9-9"):
        fv.assert_references_resolve([plan])
    plan["goal"].pop()
    with pytest.raises(AssertionError, match="Patient/p-1"):
        fv.assert_references_resolve([{**plan, "author": {"reference": "Patient/p-1"}}])


@given(
    plan=ccst.treatment_plans(),
    on=st.none() | st.dates(min_value=date(2023, 1, 1), max_value=date(2032, 12, 31)),
)
def test_every_plan_the_strategies_make_passes_both_validators(
    plan: cc.TreatmentPlan, on: date | None
) -> None:
    """Property: the CarePlan of every treatment plan, on any day or none, is valid R4 by the
    official schema and by fhir.resources, and every reference in it resolves."""
    resource = fhir.care_plan(plan, id="plan-1", on=on)
    valid_care_plan(resource)
    fv.assert_references_resolve([resource])


@given(episode=ccst.episodes())
def test_every_episode_the_strategies_make_passes_both_validators(episode: cc.Episode) -> None:
    """Property: the EpisodeOfCare of every episode is valid R4 by both validators."""
    resource = fhir.episode_of_care(episode, id="episode-1")
    valid_episode(resource)
    fv.assert_references_resolve([resource])


# ---- appointments -----------------------------------------------------------------------------

_EXPECTED_STATUS = {
    cc.AttendanceStatus.PRESENT: "fulfilled",
    cc.AttendanceStatus.PARTIAL: "fulfilled",
    cc.AttendanceStatus.ABSENT: "noshow",
    cc.AttendanceStatus.EXCUSED: "cancelled",
}


def _utc(instant: str) -> datetime:
    return datetime.fromisoformat(instant).astimezone(UTC)


def _check_appointments(
    calendar: cc.Calendar,
    attendance: cc.Attendance | None,
    output: list[dict[str, Any]],
    *,
    validate: bool = True,
) -> None:
    """One appointment per held or closed session, in time order, at the session's instants,
    with the status its record (or closure) gives; each valid by both validators."""
    dated = sorted([*calendar.sessions, *calendar.closed], key=lambda s: s.start)
    assert len(output) == len(dated)
    closed = set(calendar.closed)
    for resource, session in zip(output, dated, strict=True):
        if validate:
            fv.assert_valid(resource)
        # Compared in UTC: Python calls two aware datetimes of different zones unequal when
        # either falls in a clock change's repeated hour, whatever their instants (PEP 495).
        assert _utc(resource["start"]) == session.start.astimezone(UTC)
        assert _utc(resource["end"]) == session.end.astimezone(UTC)
        record = None if attendance is None else attendance.record_for(session)
        if session in closed:
            expected = "cancelled"
        elif record is None:
            expected = "booked"
        else:
            expected = _EXPECTED_STATUS[record.status]
        assert resource["status"] == expected
    fv.assert_references_resolve(output, external=["Patient/p-1"])


@given(attendance=ccst.attendances(), patient=st.sampled_from([None, "Patient/p-1"]))
def test_every_calendar_and_attendance_gives_valid_appointments(
    attendance: cc.Attendance, patient: str | None
) -> None:
    """Property: for every calendar and attendance the strategies make (zones with clock
    changes on both hemispheres, half-hour offsets, closures), each Appointment is valid R4 by
    both validators, its start and end are the session's instants, and its status is the one
    its attendance record gives."""
    calendar = attendance.calendar
    # (Validated once, with the attendance: each validator takes about a millisecond an
    # appointment, and the placeholder participant is drawn there too.)
    _check_appointments(calendar, None, fhir.appointments(calendar), validate=False)
    _check_appointments(
        calendar, attendance, fhir.appointments(calendar, attendance=attendance, patient=patient)
    )


def test_appointments_keep_local_time_across_new_yorks_clock_change() -> None:
    """18:00 in New York is 23:00 UTC before 8 March 2026 and 22:00 UTC after; each instant
    carries the offset of its day."""
    program = cc.ProgramStructure.weekly(
        GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=2, start="18:00"
    )
    calendar = cc.expand(program, date(2026, 3, 2), "America/New_York")
    output = fhir.appointments(calendar)
    _check_appointments(calendar, None, output)
    assert [a["start"] for a in output[2:4]] == [
        "2026-03-06T18:00:00-05:00", "2026-03-09T18:00:00-04:00",
    ]  # fmt: skip
    utc = [datetime.fromisoformat(a["start"]).astimezone(UTC).hour for a in output]
    assert utc == [23, 23, 23, 22, 22, 22]
    assert {a["minutesDuration"] for a in output} == {180}
    assert len({a["id"] for a in output}) == len(output)


def test_statuses_closures_and_participants() -> None:
    program = cc.ProgramStructure.weekly(
        GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=2, start="18:00"
    )
    calendar = cc.expand(program, date(2026, 3, 2), "America/New_York", closures=["2026-03-13"])
    s = calendar.sessions
    status = cc.AttendanceStatus
    attendance = cc.Attendance(calendar, [
        cc.AttendanceRecord(s[0], status.PRESENT),
        cc.AttendanceRecord(s[1], status.PARTIAL, attended=pendulum.duration(hours=2)),
        cc.AttendanceRecord(s[2], status.ABSENT),
        cc.AttendanceRecord(s[3], status.EXCUSED),
    ], client_id="c-9")  # fmt: skip
    output = fhir.appointments(calendar, attendance=attendance, id_prefix="iop-c-9")
    _check_appointments(calendar, attendance, output)
    assert [a["status"] for a in output] == [
        "fulfilled", "fulfilled", "noshow", "cancelled", "booked", "cancelled",
    ]  # fmt: skip
    assert output[1]["comment"] == "Attended 120 of 180 minutes of clinical time"
    assert output[3]["cancelationReason"] == {"text": "Excused absence"}
    assert output[5]["cancelationReason"] == {"text": "Clinic closed"}
    assert output[0]["id"] == "iop-c-9-2026-03-02-0"
    client = {"type": "Patient", "identifier": {"value": "c-9"}}
    assert [p["actor"] for a in output for p in a["participant"]] == [client] * 6
    assert [a["participant"][0]["status"] for a in output][3] == "declined"
    placeholder = fhir.appointments(calendar)[0]["participant"]
    assert placeholder[0]["status"] == "needs-action" and "actor" not in placeholder[0]
    level, service = output[0]["serviceType"]
    assert level["coding"][0] == fhir.level_coding(GENERIC["IOP"])  # then HCPCS H0015
    assert service["coding"][0]["system"] == fhir.SERVICE_SYSTEM
    by_identifier = {"identifier": {"system": "urn:oid:2.16.840.1.113883.4.1", "value": "1"}}
    (first, *_) = fhir.appointments(calendar, patient=by_identifier)
    assert first["participant"][0]["actor"] == by_identifier
    fv.assert_valid(first)


def test_appointment_arguments_are_checked() -> None:
    program = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon"], hours_per_session=3,
                                         weeks=1)  # fmt: skip
    calendar = cc.expand(program, date(2026, 3, 2), "UTC")
    other = cc.expand(program, date(2026, 3, 9), "UTC")
    with pytest.raises(cc.InvalidTypeError, match="'calendar'"):
        fhir.appointments(program)  # type: ignore[arg-type]
    with pytest.raises(cc.InvalidTypeError, match="'attendance'"):
        fhir.appointments(calendar, attendance=[])  # type: ignore[arg-type]
    with pytest.raises(cc.InvalidValueError, match="'attendance'"):
        fhir.appointments(calendar, attendance=cc.Attendance(other, []))
    for patient in ("", "Patient/ 1", {"display": "Ann"}, {"reference": "P/1", "x": 1}):
        with pytest.raises(cc.InvalidValueError, match="'patient'"):
            fhir.appointments(calendar, patient=patient)
    with pytest.raises(cc.InvalidTypeError, match="'patient'"):
        fhir.appointments(calendar, patient=7)  # type: ignore[arg-type]
    for prefix in ("", "a b", "x" * 41):
        with pytest.raises(cc.InvalidValueError, match="'id_prefix'"):
            fhir.appointments(calendar, id_prefix=prefix)
    with pytest.raises(cc.InvalidTypeError, match="'id_prefix'"):
        fhir.appointments(calendar, id_prefix=None)  # type: ignore[arg-type]


def test_an_offset_an_instant_cannot_write_is_written_in_utc() -> None:
    """New York's local mean time (-04:56:02, before 1883) is not whole minutes: the instant is
    written in UTC, still the session's instant."""
    program = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon"], hours_per_session=3,
                                         weeks=1, start="18:00")  # fmt: skip
    calendar = cc.expand(program, date(1850, 3, 4), "America/New_York")
    (appointment,) = fhir.appointments(calendar)
    assert appointment["start"].endswith("Z")
    _check_appointments(calendar, None, [appointment])


# ---- level codings --------------------------------------------------------------------------


@pytest.mark.parametrize("level", [lvl for c in ALL.values() for lvl in c], ids=str)
def test_every_catalog_level_round_trips(level: cc.LevelOfCare) -> None:
    coding = fhir.level_coding(level)
    assert coding == {
        "system": fhir.LEVEL_SYSTEMS[level.scheme], "code": level.code, "display": level.name,
    }  # fmt: skip
    assert fhir.level_from_coding(coding) == level
    assert fhir.level_from_coding(json.loads(json.dumps(coding))) == level


def test_systems_are_the_documented_stable_uris() -> None:
    base = "https://carecontinuum.dev/fhir/CodeSystem/level-of-care-"
    assert dict(fhir.LEVEL_SYSTEMS) == {
        "GENERIC": base + "generic", "ASAM3": base + "asam3", "ASAM4": base + "asam4",
        "LOCUS": base + "locus", "TEDS": base + "teds",
    }  # fmt: skip
    systems = (fhir.ASAM3_SYSTEM, fhir.ASAM4_SYSTEM, fhir.LOCUS_SYSTEM, fhir.GENERIC_SYSTEM,
               fhir.TEDS_SYSTEM)  # fmt: skip
    assert systems == tuple(base + s for s in ("asam3", "asam4", "locus", "generic", "teds"))
    assert set(fhir.LEVEL_SYSTEMS) == set(catalogs.ALL)
    assert len(set(fhir.LEVEL_SYSTEMS.values())) == len(fhir.LEVEL_SYSTEMS)


def _uri_constants() -> list[str]:
    return [name for name in fhir.__all__ if name.endswith(("_SYSTEM", "_EXTENSION"))]


def test_the_reference_shows_each_uri_as_its_value() -> None:
    """mkdocstrings renders a module constant's source expression, so each URI constant is
    assigned a string literal equal to its value: the API reference shows the URI itself, not
    an expression such as f'{_BASE}/...'. All share one base."""
    import ast  # noqa: PLC0415 (only this test reads the module's source)
    import inspect  # noqa: PLC0415

    assigned = {
        node.target.id: node.value
        for node in ast.parse(inspect.getsource(fhir)).body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }
    names = _uri_constants()
    assert len(names) == 24
    for name in names:
        value = assigned[name]
        assert isinstance(value, ast.Constant) and value.value == getattr(fhir, name), name
        assert getattr(fhir, name).startswith("https://carecontinuum.dev/fhir/")


def test_an_alias_resolves_to_its_level() -> None:
    coding = {"system": fhir.ASAM3_SYSTEM, "code": "III.7-D"}
    assert fhir.level_from_coding(coding) == ASAM3["3.7-WM"]


def test_the_same_code_in_two_systems_is_two_levels() -> None:
    """2.1 is a level of both ASAM editions: the system tells them apart."""
    third = fhir.level_from_coding({"system": fhir.ASAM3_SYSTEM, "code": "2.1"})
    fourth = fhir.level_from_coding({"system": fhir.ASAM4_SYSTEM, "code": "2.1"})
    assert (third.scheme, fourth.scheme) == ("ASAM3", "ASAM4")


def test_codings_that_name_no_level_are_refused() -> None:
    with pytest.raises(cc.UnknownLevelError):
        fhir.level_from_coding({"system": fhir.ASAM4_SYSTEM, "code": "0.5"})  # gone in 4th
    with pytest.raises(cc.InvalidValueError, match=r"coding\.system"):
        fhir.level_from_coding({"system": "http://example.org/levels", "code": "2.1"})
    with pytest.raises(cc.InvalidTypeError, match=r"coding\.system"):
        fhir.level_from_coding({"code": "2.1"})
    with pytest.raises(cc.InvalidTypeError, match=r"coding\.code"):
        fhir.level_from_coding({"system": fhir.ASAM3_SYSTEM, "code": 2.1})
    with pytest.raises(cc.InvalidTypeError, match="'coding'"):
        fhir.level_from_coding("2.1")  # type: ignore[arg-type]


def test_levels_outside_the_catalogs_have_no_coding() -> None:
    house = _outpatient_level("EVE", "Evening IOP", "CLINIC", 0)
    with pytest.raises(cc.InvalidValueError, match=r"level\.scheme"):
        fhir.level_coding(house)
    impostor = _outpatient_level("2.2", "Not a level", "ASAM3", 99)
    with pytest.raises(cc.UnknownLevelError):
        fhir.level_coding(impostor)
    with pytest.raises(cc.InvalidTypeError, match="'level'"):
        fhir.level_coding("2.1")  # type: ignore[arg-type]


# ---- the import stays optional ----------------------------------------------------------------


def _loaded_after(code: str) -> list[str]:
    program = (
        f"import sys\n{code}\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('fhir', 'fhir_core', 'pydantic') or m == 'carecontinuum.fhir')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_importing_the_library_imports_neither_fhir_resources_nor_this_module() -> None:
    """`import carecontinuum`, and using plans and episodes, loads nothing of FHIR."""
    assert _loaded_after("import carecontinuum") == []
    assert _loaded_after(
        "import carecontinuum as cc; cc.TreatmentPlan; cc.Episode; cc.catalogs.ASAM3"
    ) == []  # fmt: skip


def test_the_fhir_module_needs_no_fhir_library() -> None:
    """carecontinuum.fhir builds dicts by itself: importing it loads no FHIR or pydantic code."""
    assert _loaded_after("import carecontinuum.fhir") == ["carecontinuum.fhir"]


# ---- issue 13: text and numbers at the edges -------------------------------------------------


#: Text the library keeps as given: tabs, line breaks (CRLF from a web form), surrounding spaces.
KEPT = "  Line one\tcolumn\r\nline two\n"


def test_text_with_tabs_and_line_breaks_in_every_field_gives_a_valid_care_plan() -> None:
    """Issue 13: control characters made an exported CarePlan invalid; they are refused at
    construction, and the whitespace the policy keeps exports as valid FHIR strings."""
    item = cc.Intervention(cc.Service.GROUP_THERAPY, 3, cc.CareRole.THERAPIST, description=KEPT)
    problems = [cc.Problem(KEPT, [cc.Goal(KEPT, [cc.Objective(KEPT, START, [item])])])]
    program = cc.ProgramStructure.weekly(ASAM3["2.1"], days=["mon", "wed", "fri"],
                                         hours_per_session=3, weeks=8, name=KEPT)  # fmt: skip
    aftercare = cc.Aftercare(ASAM3["1"], note=KEPT)
    plan = _plan(program, problems, client=KEPT, criteria=(KEPT,), aftercare=aftercare)
    resource = fhir.care_plan(plan)
    valid_care_plan(resource)
    assert KEPT in list(_strings(resource))


@pytest.mark.parametrize("text", ["\x00", "group\x1b[31m", "\x7f", "a\x85", "\ud800"])
def test_text_fhir_cannot_carry_never_reaches_a_plan(text: str) -> None:
    with pytest.raises(cc.InvalidValueError):
        cc.Problem(text, [])
    with pytest.raises(cc.InvalidValueError):
        cc.Episode.admit(text, "IOP", START, continuum=GENERIC)


@pytest.mark.parametrize(("per_week", "frequency", "period"), [(1 / 52, 1, 52), (168, 168, 1)])
def test_the_rarest_and_most_frequent_interventions_export(
    per_week: float, frequency: int, period: int
) -> None:
    """Issue 13: per_week=5e-324 overflowed computing the period; the rates a plan may hold
    run from once a year to every hour, and both ends export."""
    item = cc.Intervention(cc.Service.GROUP_THERAPY, per_week, cc.CareRole.THERAPIST)
    problems = [cc.Problem("P", [cc.Goal("G", [cc.Objective("O", START, [item])])])]
    program = cc.ProgramStructure.weekly(ASAM3["2.1"], days=["mon", "wed", "fri"],
                                         hours_per_session=3, weeks=8)  # fmt: skip
    resource = fhir.care_plan(_plan(program, problems))
    valid_care_plan(resource)
    repeat = resource["activity"][-1]["detail"]["scheduledTiming"]["repeat"]
    assert (repeat["frequency"], repeat["period"]) == (frequency, period)
