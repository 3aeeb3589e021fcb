"""`fhir.definitions()`: a CodeSystem for each of the library's own code systems listing exactly
the codes it writes, a StructureDefinition for each extension it writes, all valid R4 by both
validators; and the standard codings written beside the library's own (HL7 episodeofcare-type,
v3 ActCode classes, HCPCS)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carecontinuum as cc
import carecontinuum.strategies as ccst
import fhir_validators as fv
from carecontinuum import fhir
from carecontinuum.catalogs import ALL, ASAM3, ASAM4, GENERIC, LOCUS

D = pendulum.date
HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
EPISODE_TYPE = "http://terminology.hl7.org/CodeSystem/episodeofcare-type"

DEFINITIONS = fhir.definitions()
RESOURCES = [entry["resource"] for entry in DEFINITIONS["entry"]]
CODE_SYSTEMS = {r["url"]: r for r in RESOURCES if r["resourceType"] == "CodeSystem"}
PROFILES = {r["url"]: r for r in RESOURCES if r["resourceType"] == "StructureDefinition"}


def _constants(suffix: str) -> set[str]:
    return {getattr(fhir, name) for name in fhir.__all__ if name.endswith(suffix)}


def _concepts(items: list[dict[str, Any]]) -> dict[str, str]:
    """A CodeSystem's codes (nested ones included) and their displays."""
    found: dict[str, str] = {}
    for item in items:
        found[item["code"]] = item["display"]
        found.update(_concepts(item.get("concept", [])))
    return found


CODES = {url: _concepts(system["concept"]) for url, system in CODE_SYSTEMS.items()}


def _codings(data: object) -> Iterator[dict[str, Any]]:
    """Every Coding-like mapping (with a system and a code) in a resource."""
    if isinstance(data, dict):
        if isinstance(data.get("system"), str) and isinstance(data.get("code"), str):
            yield data
        for value in data.values():
            yield from _codings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _codings(item)


def _extensions(data: object) -> Iterator[dict[str, Any]]:
    """Every extension of a resource (not the parts of a complex one)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "extension" and isinstance(value, list):
                yield from value
            else:
                yield from _extensions(value)
    elif isinstance(data, list):
        for item in data:
            yield from _extensions(item)


def _differential(profile: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {element["id"]: element for element in profile["differential"]["element"]}


def _value_key(element: dict[str, Any]) -> str:
    kind: str = element["type"][0]["code"]
    return f"value{kind[:1].upper()}{kind[1:]}"


def _check_output(resource: object) -> None:
    """Every coding in one of the library's systems is a code of its CodeSystem with the same
    display, and every extension it writes conforms to its StructureDefinition: the url is
    defined, the parts are the profile's slices (the required ones present) with the value type
    each slice names, or the value is of the type the profile names."""
    for coding in _codings(resource):
        if coding["system"] in CODE_SYSTEMS:
            codes = CODES[coding["system"]]
            assert coding["code"] in codes, coding
            assert coding.get("display") == codes[coding["code"]], coding
    for extension in _extensions(resource):
        profile = PROFILES.get(extension["url"])
        assert profile is not None, f"no StructureDefinition for {extension['url']}"
        elements = _differential(profile)
        values = [key for key in extension if key.startswith("value")]
        if "Extension.value[x]" in elements and elements["Extension.value[x]"].get("max") == "0":
            assert values == []
            slices = {e["sliceName"]: e for e in elements.values() if "sliceName" in e}
            parts = {part["url"]: part for part in extension["extension"]}
            assert set(parts) <= set(slices), set(parts) - set(slices)
            assert {name for name, s in slices.items() if s["min"] == 1} <= set(parts)
            for name, part in parts.items():
                value = elements[f"Extension.extension:{name}.value[x]"]
                assert [k for k in part if k.startswith("value")] == [_value_key(value)]
        else:
            assert values == [_value_key(elements["Extension.value[x]"])]
            assert "extension" not in extension


# ---- the definitions --------------------------------------------------------------------------


class TestDefinitions:
    def test_a_code_system_for_each_system_of_the_librarys_own(self) -> None:
        """Each `*_SYSTEM` constant has its CodeSystem, and there is no other."""
        assert set(CODE_SYSTEMS) == _constants("_SYSTEM")
        assert len(CODE_SYSTEMS) == len(_constants("_SYSTEM")) == 16

    def test_a_structure_definition_for_each_extension(self) -> None:
        """Each `*_EXTENSION` constant has its StructureDefinition, and there is no other."""
        assert set(PROFILES) == _constants("_EXTENSION")
        assert len(RESOURCES) == len(CODE_SYSTEMS) + len(PROFILES)

    def test_the_bundle_and_every_definition_pass_both_validators(self) -> None:
        """The Bundle and each resource in it are valid R4 by the official schema and by
        fhir.resources."""
        fv.assert_valid(DEFINITIONS)
        for resource in RESOURCES:
            fv.assert_valid(resource)

    @pytest.mark.parametrize(
        ("kind", "mutate"),
        [
            pytest.param("CodeSystem", lambda r: r.update(codes=[]), id="unknown element"),
            pytest.param(
                "CodeSystem", lambda r: r["concept"][0].update(label="x"), id="unknown in concept"
            ),
            pytest.param("CodeSystem", lambda r: r.update(caseSensitive=[True]), id="wrong type"),
            pytest.param(
                "StructureDefinition", lambda r: r.update(extends="Extension"), id="unknown"
            ),
            pytest.param(
                "StructureDefinition",
                lambda r: r["differential"]["element"][0].update(cardinality="0..1"),
                id="unknown in element",
            ),
            pytest.param(
                "StructureDefinition", lambda r: r.update(abstract=[False]), id="wrong type sd"
            ),
        ],
    )
    def test_both_validators_refuse_a_broken_definition(
        self, kind: str, mutate: Callable[[dict[str, Any]], None]
    ) -> None:
        """Neither validator is vacuous on these resources: each refuses an element the type
        does not have (the official schema checks complex types inside a resource only by their
        elements' names) and a primitive of the wrong type."""
        for resource in RESOURCES:
            if resource["resourceType"] == kind:
                broken = json.loads(json.dumps(resource))
                mutate(broken)
                fv.assert_refused(broken)

    def test_each_code_system_is_complete_and_counted(self) -> None:
        for url, system in CODE_SYSTEMS.items():
            assert (system["status"], system["content"]) == ("active", "complete")
            assert system["count"] == len(CODES[url]) > 0
            assert system["caseSensitive"] is True

    def test_each_extension_is_an_extension_profile(self) -> None:
        for url, profile in PROFILES.items():
            assert (profile["kind"], profile["type"], profile["derivation"]) == (
                "complex-type", "Extension", "constraint",
            )  # fmt: skip
            assert profile["baseDefinition"] == "http://hl7.org/fhir/StructureDefinition/Extension"
            assert _differential(profile)["Extension.url"]["fixedUri"] == url

    def test_the_extensions_apply_where_they_are_written(self) -> None:
        contexts = {url: [c["expression"] for c in p["context"]] for url, p in PROFILES.items()}
        assert contexts == {
            fhir.AUTHORIZATION_EXTENSION: ["EpisodeOfCare"],
            fhir.DISCHARGE_EXTENSION: ["Encounter.hospitalization"],
            fhir.PROGRAM_EXTENSION: ["Encounter"],
            fhir.PROGRAM_DEFINITION_EXTENSION: ["Encounter"],
            fhir.DELIVERY_MODE_EXTENSION: ["PlanDefinition", "PlanDefinition.action"],
            fhir.MODALITY_EXTENSION: ["PlanDefinition"],
            fhir.SEGMENT_EXTENSION: ["PlanDefinition.action"],
            fhir.SESSION_EXTENSION: ["PlanDefinition.action"],
        }

    def test_the_retired_program_extension_says_so(self) -> None:
        """The JSON-text program extension is no longer written but still defined (read)."""
        assert PROFILES[fhir.PROGRAM_EXTENSION]["status"] == "retired"
        assert {p["status"] for u, p in PROFILES.items() if u != fhir.PROGRAM_EXTENSION} == {
            "active"
        }

    def test_ids_full_urls_and_requests_follow_the_url(self) -> None:
        """Each id is the url's last segment, each fullUrl the url, each request a PUT by id:
        a second load updates the first."""
        for entry in DEFINITIONS["entry"]:
            resource = entry["resource"]
            assert resource["url"].endswith("/" + resource["id"])
            assert entry["fullUrl"] == resource["url"]
            kind = resource["resourceType"]
            assert entry["request"] == {"method": "PUT", "url": f"{kind}/{resource['id']}"}
        urls = [entry["fullUrl"] for entry in DEFINITIONS["entry"]]
        assert len(set(urls)) == len(urls)

    def test_each_call_gives_a_new_equal_value(self) -> None:
        first = fhir.definitions()
        first["entry"][0]["resource"]["concept"].clear()
        assert fhir.definitions() == DEFINITIONS != first

    @pytest.mark.parametrize("scheme", sorted(ALL))
    def test_a_level_system_lists_each_level_as_level_coding_writes_it(self, scheme: str) -> None:
        written = {c["code"]: c["display"] for c in map(fhir.level_coding, ALL[scheme])}
        assert CODES[fhir.LEVEL_SYSTEMS[scheme]] == written


# ---- what the library writes is what the definitions define -----------------------------------


@given(
    plan=ccst.treatment_plans(),
    on=st.none() | st.dates(min_value=date(2023, 1, 1), max_value=date(2032, 12, 31)),
)
def test_every_care_plan_uses_only_defined_codes(plan: cc.TreatmentPlan, on: date | None) -> None:
    """Property: every coding of a CarePlan in one of the library's systems is a code of its
    CodeSystem, with the CodeSystem's display."""
    _check_output(fhir.care_plan(plan, on=on))


@given(episode=ccst.episodes())
def test_every_bundle_uses_only_defined_codes_and_extensions(episode: cc.Episode) -> None:
    """Property: every coding of an episode's Bundle in one of the library's systems is a code
    of its CodeSystem, and every extension conforms to its StructureDefinition."""
    _check_output(fhir.bundle(episode, identifier_system="https://clinic.example/ids"))


@given(attendance=ccst.attendances())
def test_every_appointment_uses_only_defined_codes(attendance: cc.Attendance) -> None:
    """Property: the same for a calendar's Appointments."""
    _check_output(fhir.appointments(attendance.calendar, attendance=attendance))


def _ratings(scheme: str) -> dict[str, int]:
    return {d.code: 1 for d in cc.dimensions(scheme)}


def _every_kind_of_output() -> list[dict[str, Any]]:
    """Outputs that between them use every code and every extension the library has: a plan
    with every service, role and aftercare service, episodes ending for every reason, with a
    service alongside, assessments of every scheme, authorizations, a referral and a
    program."""
    services = [s for s in cc.Service if s.is_clinical]
    roles = list(cc.CareRole)
    interventions = [
        cc.Intervention(service, 1, roles[i % len(roles)]) for i, service in enumerate(services)
    ]
    interventions += [cc.Intervention(cc.Service.GROUP_THERAPY, 1, role) for role in roles]
    iop = cc.ProgramStructure.weekly(ASAM3["2.1"], days=["mon", "wed", "fri"],
                                     hours_per_session=3, weeks=8, start="18:00")  # fmt: skip
    intake = cc.Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1},
                           D(2026, 2, 27), client_id="c-1")  # fmt: skip
    plan = cc.TreatmentPlan(
        "c-1", intake, cc.place(intake, ASAM3), iop,
        [cc.Problem("Alcohol use disorder", [cc.Goal("Abstinence", [
            cc.Objective("Names triggers", D(2026, 3, 20), interventions)])])],
        start=D(2026, 3, 2), review_every_days=30, next_review=D(2026, 4, 1),
        aftercare=cc.Aftercare(GENERIC["OP"], list(cc.AftercareService)),
    )  # fmt: skip
    outputs = [fhir.care_plan(plan)]
    outpatient = cc.ProgramStructure.weekly(ASAM3["1"], days=["tue"], hours_per_session=2,
                                            weeks=12)  # fmt: skip
    for reason in cc.DischargeReason:
        episode = (
            cc.Episode.admit("c-2", "2.1", D(2026, 3, 2), continuum=ASAM3,
                             assessment=cc.Assessment("ASAM3", _ratings("ASAM3"), D(2026, 3, 2)))
            .add_concurrent("OTP", D(2026, 3, 2))
            .authorize("2.1", D(2026, 3, 2), D(2026, 3, 31), payer="Medicaid", units=12,
                       next_review=D(2026, 3, 20))
            .step_to("1", D(2026, 4, 6), "stable", program=outpatient)
            .discharge(D(2026, 5, 4), reason, referred_to=ASAM3["0.5"], note="alumni")
        )  # fmt: skip
        outputs.append(fhir.bundle(episode))
    for scheme, continuum, level in (("ASAM4", ASAM4, "2.1"), ("LOCUS", LOCUS, "3")):
        assessed = cc.Assessment(scheme, _ratings(scheme), D(2026, 3, 2))
        outputs.append(
            fhir.bundle(cc.Episode.admit("c-3", level, D(2026, 3, 2), continuum=continuum,
                                         assessment=assessed))
        )  # fmt: skip
    # Programs of every population, track, delivery mode and modality, with a session held
    # every other week in the second week, a separate appointment and a labelled break.
    fortnightly = cc.Session("thu", "10:00", [
        cc.Segment(cc.Service.FAMILY_THERAPY, pendulum.duration(minutes=45), "family hour"),
        cc.Segment(cc.Service.BREAK, pendulum.duration(minutes=15))],
        every_weeks=2, week_offset=1, program_day=False,
        delivery_mode=cc.DeliveryMode.TELEHEALTH)  # fmt: skip
    for population, track, mode in zip(
        [*cc.Population, cc.Population.ADULT], cc.Track, cc.DeliveryMode, strict=True
    ):
        weekly = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed"], hours_per_session=3, weeks=(6, 10)
        )
        program = cc.ProgramStructure(
            GENERIC["IOP"], population, track, [*weekly.sessions, fortnightly], (6, 10),
            delivery_mode=mode, modalities=list(cc.Modality), name="Evening IOP")  # fmt: skip
        episode = cc.Episode.admit("c-4", "IOP", D(2026, 3, 2), continuum=GENERIC,
                                   program=program)  # fmt: skip
        outputs.append(fhir.bundle(episode))
    return outputs


def test_every_defined_code_and_extension_is_written() -> None:
    """The other half of 'exactly': each code of each CodeSystem, and each extension, is written
    by some output (so the definitions list no code the library never writes), and everything
    written is defined."""
    outputs = _every_kind_of_output()
    written: dict[str, set[str]] = {url: set() for url in CODE_SYSTEMS}
    for output in outputs:
        _check_output(output)
        for coding in _codings(output):
            written.get(coding["system"], set()).add(coding["code"])
    for level in (lvl for continuum in ALL.values() for lvl in continuum):
        written[fhir.LEVEL_SYSTEMS[level.scheme]].add(fhir.level_coding(level)["code"])
    assert written == {url: set(codes) for url, codes in CODES.items()}
    urls = {e["url"] for output in outputs for e in _extensions(output)}
    # The JSON-text program extension is retired: defined and read, no longer written.
    assert urls == set(PROFILES) - {fhir.PROGRAM_EXTENSION}


# ---- standard codings beside the library's own ------------------------------------------------


def _hcpcs(concept: dict[str, Any]) -> list[str]:
    return [c["code"] for c in concept.get("coding", []) if c["system"] == HCPCS]


PROBLEMS = [cc.Problem("Alcohol use disorder", [cc.Goal("Abstinence")])]


def _program(level: cc.LevelOfCare, track: cc.Track) -> cc.ProgramStructure:
    return cc.ProgramStructure.weekly(level, days=["mon", "wed", "fri"], hours_per_session=3,
                                      weeks=8, start="18:00", track=track)  # fmt: skip


@pytest.mark.parametrize(
    ("level", "track", "expected"),
    [
        (ASAM3["2.1"], cc.Track.SUBSTANCE_USE, ["H0015"]),
        (ASAM3["2.1"], cc.Track.CO_OCCURRING, ["H0015"]),
        (ASAM4["2.1"], cc.Track.SUBSTANCE_USE, ["H0015"]),
        (GENERIC["IOP"], cc.Track.SUBSTANCE_USE, ["H0015"]),
        (GENERIC["IOP"], cc.Track.CO_OCCURRING, ["H0015"]),
        (GENERIC["IOP"], cc.Track.MENTAL_HEALTH, ["S9480"]),
        (GENERIC["PHP"], cc.Track.MENTAL_HEALTH, []),
        (ASAM3["2.5"], cc.Track.SUBSTANCE_USE, []),
        (LOCUS["3"], cc.Track.MENTAL_HEALTH, []),
        (GENERIC["OP"], cc.Track.SUBSTANCE_USE, []),
    ],
    ids=str,
)
def test_a_program_level_carries_the_hcpcs_code_of_its_service(
    level: cc.LevelOfCare, track: cc.Track, expected: list[str]
) -> None:
    """ASAM 2.1 is substance-use IOP (H0015) whatever the track; the common IOP is H0015 for
    substance use and co-occurring, S9480 for mental health; other levels name no code. The
    code is on the Encounter's serviceType, the CarePlan's program activity and each
    Appointment, after the level's own coding, which stays first."""
    program = _program(level, track)
    encounter = fhir.bundle(
        cc.Episode.admit("c-1", level, D(2026, 3, 2), continuum=ALL[level.scheme],
                         program=program)
    )["entry"][1]["resource"]  # fmt: skip
    calendar = cc.expand(program, D(2026, 3, 2), "America/New_York")
    appointment = fhir.appointments(calendar)[0]
    intake = cc.Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1},
                           D(2026, 2, 27), client_id="c-1")  # fmt: skip
    plan = cc.TreatmentPlan("c-1", intake, cc.place(intake, ASAM3), program, PROBLEMS,
                            start=D(2026, 3, 2), review_every_days=30,
                            next_review=D(2026, 4, 1))  # fmt: skip
    activity = fhir.care_plan(plan)["activity"][0]["detail"]["code"]
    for concept in (encounter["serviceType"], appointment["serviceType"][0], activity):
        assert concept["coding"][0] == fhir.level_coding(level)
        assert _hcpcs(concept) == expected
    fv.assert_valid(encounter)
    fv.assert_valid(appointment)


def test_without_a_program_only_the_level_decides() -> None:
    """A stay that recorded no program: ASAM 2.1 is still H0015; the common IOP, whose code
    depends on the track, has none."""
    for level, expected in ((ASAM3["2.1"], ["H0015"]), (GENERIC["IOP"], [])):
        sent = fhir.bundle(cc.Episode.admit("c-1", level, D(2026, 3, 2),
                                            continuum=ALL[level.scheme]))  # fmt: skip
        assert _hcpcs(sent["entry"][1]["resource"]["serviceType"]) == expected


def test_the_codes_read_back_to_the_same_episode() -> None:
    """The HCPCS coding beside the level's is passed over on reading."""
    episode = cc.Episode.admit("c-1", "2.1", D(2026, 3, 2), continuum=ASAM3,
                               program=_program(ASAM3["2.1"], cc.Track.SUBSTANCE_USE))  # fmt: skip
    assert fhir.read_episode(json.loads(json.dumps(fhir.bundle(episode)))) == episode


@pytest.mark.parametrize(
    ("level", "expected"),
    [(GENERIC["PHP"], ["G0410"]), (GENERIC["IOP"], ["G0410"]), (ASAM3["2.5"], ["G0410"]),
     (ASAM4["2.1"], ["G0410"]), (GENERIC["OP"], []), (LOCUS["4"], [])],
    ids=str,
)  # fmt: skip
def test_group_therapy_in_a_php_or_iop_is_g0410(level: cc.LevelOfCare, expected: list[str]) -> None:
    """A session's group therapy is HCPCS G0410 (group psychotherapy in a partial
    hospitalization or intensive outpatient program) at a PHP or IOP level, and not at
    others; other services carry no HCPCS code."""
    session = cc.Session(
        pendulum.WeekDay.MONDAY,
        "18:00",
        [
            cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(hours=1)),
            cc.Segment(cc.Service.PSYCHOEDUCATION, pendulum.duration(hours=1)),
        ],
    )
    program = cc.ProgramStructure(level, "adult", "mental health", [session], 2)
    calendar = cc.expand(program, D(2026, 3, 2), "America/New_York")
    _, group, education = fhir.appointments(calendar)[0]["serviceType"]
    assert group["coding"][0]["code"] == "group-therapy"
    assert _hcpcs(group) == expected
    assert _hcpcs(education) == []


def test_asam_episodes_are_drug_and_alcohol_rehabilitation() -> None:
    """HL7's episodeofcare-type ``da`` heads the type of ASAM episodes, and only theirs."""
    for continuum, level in ((ASAM3, "2.1"), (ASAM4, "2.1"), (GENERIC, "IOP"), (LOCUS, "3")):
        resource = fhir.episode_of_care(cc.Episode.admit("c-1", level, D(2026, 3, 2),
                                                         continuum=continuum))  # fmt: skip
        first = resource["type"][0]["coding"][0]
        is_da = (first["system"], first["code"]) == (EPISODE_TYPE, "da")
        assert is_da is (continuum.scheme in ("ASAM3", "ASAM4"))


@pytest.mark.parametrize("level", [lvl for c in ALL.values() for lvl in c], ids=str)
def test_every_encounter_has_its_act_code_class(level: cc.LevelOfCare) -> None:
    """Encounter.class is v3 ActCode: IMP inpatient, NONAC residential, AMB otherwise."""
    expected = {"inpatient": "IMP", "residential": "NONAC"}.get(level.setting.value, "AMB")
    sent = fhir.bundle(cc.Episode.admit("c-1", level, D(2026, 3, 2), continuum=ALL[level.scheme]))
    encounter = next(e["resource"] for e in sent["entry"]
                     if e["resource"]["resourceType"] == "Encounter")  # fmt: skip
    assert encounter["class"]["system"] == ACT_CODE
    assert encounter["class"]["code"] == expected
