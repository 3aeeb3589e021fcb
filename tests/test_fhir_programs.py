"""Programs in an episode's FHIR Bundle as PlanDefinitions: one per distinct program, valid by
both validators, stating in standard elements what the program is, linked from each Encounter
whose stay records it, and read back to the same program; Bundles of the previous version
(the program as JSON text) still read."""

from __future__ import annotations

import copy
import json
from typing import Any

import pendulum
import pytest
from hypothesis import given

import carecontinuum as cc
import fhir_validators as fv
from carecontinuum import fhir
from carecontinuum.catalogs import ALL, ASAM3, GENERIC
from carecontinuum.strategies import programs

D = pendulum.date
UCUM = "http://unitsofmeasure.org"
USAGE = "http://terminology.hl7.org/CodeSystem/usage-context-type"


def _admitted(program: cc.ProgramStructure) -> cc.Episode:
    level = program.level
    return cc.Episode.admit("c-1", level, D(2026, 3, 2), continuum=ALL[level.scheme],
                            program=program)  # fmt: skip


def _definitions(sent: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["resource"] for e in sent["entry"]
            if e["resource"]["resourceType"] == "PlanDefinition"]  # fmt: skip


def _windmill() -> cc.ProgramStructure:
    """Windmill Wellness Ranch's IOP: 24 three-hour sessions, three evenings a week for 8 weeks
    (each with a 15-minute break)."""
    return cc.ProgramStructure.weekly(
        ASAM3["2.1"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8, start="18:00",
        services=[cc.Service.PROCESS_GROUP, cc.Segment(cc.Service.BREAK,
                                                       pendulum.duration(minutes=15)),
                  cc.Service.RELAPSE_PREVENTION],
        name="Windmill IOP",
    )  # fmt: skip


def _resolves(sent: dict[str, Any]) -> None:
    """Every reference names an entry's fullUrl (or the Patient), and every program canonical
    names a PlanDefinition of the Bundle."""
    urls = {e["fullUrl"] for e in sent["entry"]}
    for entry in sent["entry"]:
        for reference in fv.references(entry["resource"]):
            assert reference in urls or reference.startswith("Patient"), reference
    canonicals = {d["url"] for d in _definitions(sent)}
    for entry in sent["entry"]:
        for extension in entry["resource"].get("extension", []):
            if extension["url"] == fhir.PROGRAM_DEFINITION_EXTENSION:
                assert extension["valueCanonical"] in canonicals


class TestRoundTrip:
    @given(program=programs())
    def test_every_strategy_program_survives_bundle_and_read(
        self, program: cc.ProgramStructure
    ) -> None:
        """Property: a stay with any program the strategies make reads back equal, from a
        Bundle both validators accept and whose references and canonicals resolve."""
        episode = _admitted(program)
        sent = fhir.bundle(episode, identifier_system="https://clinic.example/ids")
        fv.assert_valid(sent)
        _resolves(sent)
        assert len(_definitions(sent)) == 1
        assert fhir.read_episode(json.loads(json.dumps(sent))) == episode

    def test_overnight_sessions_and_microseconds_read_back(self) -> None:
        """Overnight is not written: it follows from the start and the length. Times and lengths
        finer than a second survive."""
        late = cc.Session("sat", pendulum.time(23, 0, 0, 250), [
            cc.Segment(cc.Service.PEER_SUPPORT, pendulum.duration(hours=1, microseconds=7)),
            cc.Segment(cc.Service.BREAK, pendulum.duration(minutes=30), "walk")],
            overnight=True, name="Night watch")  # fmt: skip
        program = cc.ProgramStructure(ASAM3["3.5"], "adolescent", "co-occurring", [late], 4)
        episode = _admitted(program)
        sent = fhir.bundle(episode)
        fv.assert_valid(sent)
        (definition,) = _definitions(sent)
        repeat = definition["action"][0]["timingTiming"]["repeat"]
        assert repeat["timeOfDay"] == ["23:00:00.000250"]
        assert (repeat["duration"], repeat["durationUnit"]) == (5400.000007, "s")
        assert fhir.read_episode(sent) == episode

    def test_stays_sharing_a_program_share_one_plan_definition(self) -> None:
        iop = _windmill()
        episode = (
            cc.Episode.admit("c-2", "2.5", D(2026, 1, 5), continuum=ASAM3)
            .step_to("2.1", D(2026, 2, 2), "stable", program=iop)
            .step_to("2.5", D(2026, 3, 2), "relapse")
            .step_to("2.1", D(2026, 3, 30), "stable", program=iop)
        )
        sent = fhir.bundle(episode)
        (definition,) = _definitions(sent)
        links = [x["valueCanonical"] for e in sent["entry"]
                 for x in e["resource"].get("extension", [])
                 if x["url"] == fhir.PROGRAM_DEFINITION_EXTENSION]  # fmt: skip
        assert links == [definition["url"]] * 2
        assert fhir.read_episode(sent) == episode


class TestWhatThePlanDefinitionSays:
    """Read from the standard elements alone, without the library's reader."""

    def test_a_three_evening_iop_in_standard_elements(self) -> None:
        program = _windmill()
        (definition,) = _definitions(fhir.bundle(_admitted(program)))
        assert definition["status"] == "active"
        assert definition["title"] == "Windmill IOP"
        assert definition["type"]["coding"][0]["code"] == "clinical-protocol"
        contexts = {u["code"]["code"]: u["valueCodeableConcept"] for u in definition["useContext"]}
        assert {u["code"]["system"] for u in definition["useContext"]} == {USAGE}
        assert fhir.level_from_coding(contexts["venue"]["coding"][0]) == ASAM3["2.1"]
        assert "H0015" in [c["code"] for c in contexts["venue"]["coding"]]
        assert contexts["age"]["coding"][0]["code"] == "adult"
        assert contexts["focus"]["coding"][0]["code"] == "substance-use"
        days, total = [], 0
        for action in definition["action"]:
            repeat = action["timingTiming"]["repeat"]
            days += repeat["dayOfWeek"]
            assert repeat["timeOfDay"] == ["18:00:00"]
            assert (repeat["duration"], repeat["durationUnit"]) == (3, "h")  # break included
            assert (repeat["frequency"], repeat["period"], repeat["periodUnit"]) == (1, 1, "wk")
            assert repeat["boundsDuration"] == {"value": 8, "unit": "wk", "system": UCUM,
                                                "code": "wk"}  # fmt: skip
            total += repeat["count"]
            services = [c["coding"][0]["code"] for c in action["code"]]
            assert services == ["process-group", "relapse-prevention"]
        assert days == ["mon", "wed", "fri"]
        assert total == 24

    def test_segments_and_cadence_in_the_extensions(self) -> None:
        family = cc.Session("thu", "10:00", [
            cc.Segment(cc.Service.FAMILY_THERAPY, pendulum.duration(minutes=45), "family hour"),
            cc.Segment(cc.Service.BREAK, pendulum.duration(minutes=15))],
            every_weeks=2, week_offset=1, program_day=False,
            delivery_mode="telehealth")  # fmt: skip
        program = cc.ProgramStructure(GENERIC["IOP"], "adult", "mental health",
                                      [*_windmill().sessions[:1], family], (6, 12),
                                      modalities=["DBT"])  # fmt: skip
        (definition,) = _definitions(fhir.bundle(_admitted(program)))
        action = definition["action"][1]
        repeat = action["timingTiming"]["repeat"]
        assert (repeat["period"], repeat["dayOfWeek"], repeat["timeOfDay"]) == (
            2, ["thu"], ["10:00:00"])  # fmt: skip
        assert repeat["boundsRange"]["low"]["value"] == 6
        assert repeat["boundsRange"]["high"]["value"] == 12
        assert (repeat["count"], repeat["countMax"]) == (3, 6)  # weeks 1, 3, 5 (.. 11)
        by_url: dict[str, list[dict[str, Any]]] = {}
        for extension in action["extension"]:
            by_url.setdefault(extension["url"], []).append(extension)
        first, pause = by_url[fhir.SEGMENT_EXTENSION]
        assert [p["url"] for p in first["extension"]] == ["service", "duration", "label"]
        assert first["extension"][1]["valueDuration"]["value"] == 45
        assert [p["url"] for p in pause["extension"]] == ["duration"]  # a break: no service
        (session,) = by_url[fhir.SESSION_EXTENSION]
        assert session["extension"] == [{"url": "weekOffset", "valueUnsignedInt": 1},
                                        {"url": "programDay", "valueBoolean": False}]  # fmt: skip
        assert by_url[fhir.DELIVERY_MODE_EXTENSION][0]["valueCoding"]["code"] == "telehealth"
        modality = [x for x in definition["extension"] if x["url"] == fhir.MODALITY_EXTENSION]
        assert [x["valueCoding"]["code"] for x in modality] == ["dialectical-behavior-therapy"]


class TestIdentity:
    def test_the_same_program_has_the_same_url_and_another_another(self) -> None:
        one = _definitions(fhir.bundle(_admitted(_windmill())))[0]
        again = _definitions(fhir.bundle(_admitted(cc.from_dict(cc.to_dict(_windmill())))))[0]
        assert one == again
        other = cc.ProgramStructure.weekly(ASAM3["2.1"], days=["mon", "wed", "fri"],
                                           hours_per_session=3, weeks=9, start="18:00")  # fmt: skip
        assert _definitions(fhir.bundle(_admitted(other)))[0]["url"] != one["url"]
        assert one["url"].startswith("urn:uuid:")

    def test_a_resend_is_a_conditional_update_by_canonical_url(self) -> None:
        sent = fhir.bundle(_admitted(_windmill()), identifier_system="https://clinic.example/x")
        (entry,) = [e for e in sent["entry"] if e["resource"]["resourceType"] == "PlanDefinition"]
        assert entry["request"] == {
            "method": "PUT", "url": f"PlanDefinition?url={entry['resource']['url']}"}  # fmt: skip
        assert (
            entry["fullUrl"]
            == fhir.bundle(_admitted(_windmill()), identifier_system="https://clinic.example/x")[
                "entry"
            ][-1]["fullUrl"]
        )


class TestReading:
    def test_a_bundle_of_the_previous_version_still_reads(self) -> None:
        """The program as the JSON text of its plain data on the Encounter, no PlanDefinition."""
        episode = _admitted(_windmill())
        sent = fhir.bundle(episode)
        sent["entry"] = [e for e in sent["entry"]
                         if e["resource"]["resourceType"] != "PlanDefinition"]  # fmt: skip
        text = json.dumps(cc.to_dict(_windmill()))
        sent["entry"][1]["resource"]["extension"] = [
            {"url": fhir.PROGRAM_EXTENSION, "valueString": text}
        ]
        assert fhir.read_episode(sent) == episode

    def test_a_session_without_segments_is_its_one_service(self) -> None:
        """A PlanDefinition from elsewhere, without the segment extension: one coded service
        is one segment lasting the whole session."""
        program = cc.ProgramStructure.weekly(GENERIC["OP"], days=["tue"], hours_per_session=1.5,
                                             weeks=12)  # fmt: skip
        episode = _admitted(program)
        sent = fhir.bundle(episode)
        action = _definitions(sent)[0]["action"][0]
        action["extension"] = []
        assert fhir.read_episode(sent) == episode

    def _broken(self, change: Any) -> str:
        family = cc.Session("thu", "10:00", [
            cc.Segment(cc.Service.FAMILY_THERAPY, pendulum.duration(minutes=45), "family hour"),
            cc.Segment(cc.Service.BREAK, pendulum.duration(minutes=15))],
            every_weeks=2, week_offset=1)  # fmt: skip
        program = cc.ProgramStructure(GENERIC["IOP"], "adult", "mental health",
                                      [*_windmill().sessions, family], 8)  # fmt: skip
        sent = copy.deepcopy(fhir.bundle(_admitted(program)))
        assert [e["resource"]["resourceType"] for e in sent["entry"]] == [
            "EpisodeOfCare", "Encounter", "PlanDefinition"]  # fmt: skip
        change(sent["entry"][2]["resource"], sent["entry"][1]["resource"])
        with pytest.raises(cc.DataError) as caught:
            fhir.read_episode(sent)
        (problem,) = caught.value.problems
        return problem

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            (lambda d, e: d["useContext"].pop(0), "useContext"),
            (lambda d, e: d["useContext"][0]["valueCodeableConcept"].pop("coding"),
             "useContext[0].valueCodeableConcept.coding"),
            (lambda d, e: d["useContext"][1]["valueCodeableConcept"]["coding"][0].update(
                code="elderly"), "useContext[1].valueCodeableConcept.coding"),
            (lambda d, e: d.pop("action"), "action"),
            (lambda d, e: d.update(action=[]), "action"),
            (lambda d, e: d.update(extension=[]), "extension"),
            (lambda d, e: d["action"][0].pop("timingTiming"), "action[0].timingTiming"),
            (lambda d, e: d["action"][1]["timingTiming"]["repeat"].pop("dayOfWeek"),
             "action[1].timingTiming.repeat.dayOfWeek"),
            (lambda d, e: d["action"][1]["timingTiming"]["repeat"].update(dayOfWeek=["fr"]),
             "action[1].timingTiming.repeat.dayOfWeek[0]"),
            (lambda d, e: d["action"][2]["timingTiming"]["repeat"].update(timeOfDay=["6pm"]),
             "action[2].timingTiming.repeat.timeOfDay"),
            (lambda d, e: d["action"][2]["timingTiming"]["repeat"].update(duration=4),
             "action[2].timingTiming.repeat.duration"),
            (lambda d, e: d["action"][0]["timingTiming"]["repeat"].pop("boundsDuration"),
             "action[0].timingTiming.repeat.boundsDuration"),
            (lambda d, e: d["action"][3]["timingTiming"]["repeat"]["boundsDuration"].update(
                value=9), "action[3].timingTiming.repeat"),
            (lambda d, e: d["action"][3]["extension"][0]["extension"].pop(1),
             "action[3].extension[0].extension"),
            (lambda d, e: d["action"][3]["extension"][0]["extension"][1]["valueDuration"]
             .update(code="wk"), "action[3].extension[0].extension[1].valueDuration.code"),
            (lambda d, e: d["action"][2]["extension"][0]["extension"][0].update(
                valueUnsignedInt=2), "action[2]"),
            (lambda d, e: e["extension"][0].update(valueCanonical="urn:uuid:elsewhere"),
             "extension[0].valueCanonical"),
        ],
    )  # fmt: skip
    def test_what_is_missing_is_named_by_its_path(self, change: Any, path: str) -> None:
        problem = self._broken(change)
        entry = 1 if path.startswith("extension[0].valueCanonical") else 2
        assert problem.startswith(f"bundle.entry[{entry}].resource.{path}:"), problem
