"""Episodes in FHIR both ways: one Encounter per stay linked to one EpisodeOfCare, inclusive
period ends, a transaction Bundle whose references resolve, and `read_episode` giving back the
episode the Bundle was written from."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any

import pendulum
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.episodeofcare import EpisodeOfCare
from fhir.resources.R4B.goal import Goal
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.plandefinition import PlanDefinition
from hypothesis import given

import carecontinuum as cc
import fhir_validators as fv
from carecontinuum import fhir
from carecontinuum.catalogs import ASAM3, GENERIC, LOCUS
from carecontinuum.strategies import episodes

D = pendulum.date
SYSTEM = "https://clinic.example/episodes"
MODELS = {"Bundle": Bundle, "CarePlan": CarePlan, "Encounter": Encounter,
          "EpisodeOfCare": EpisodeOfCare, "Goal": Goal, "Observation": Observation,
          "PlanDefinition": PlanDefinition}  # fmt: skip
CLASS = {"inpatient": "IMP", "residential": "NONAC", "outpatient": "AMB", "community": "AMB"}


def _assessment(on: date) -> cc.Assessment:
    return cc.Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1}, on,
                         client_id="c-9")  # fmt: skip


def _episodes() -> dict[str, cc.Episode]:
    iop = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["tue", "thu"], hours_per_session=3,
                                     weeks=8, start="18:00")  # fmt: skip
    return {
        "open": cc.Episode.admit("c-1", "2.1", D(2026, 3, 2), continuum=ASAM3),
        # 2026-01-05 to 2026-06-22: 168 days of care over five levels.
        "stepped-down": (
            cc.Episode.admit("c-2", "DETOX", D(2026, 1, 5), continuum=GENERIC)
            .step_to("RESIDENTIAL", D(2026, 1, 10), "withdrawal complete")
            .step_to("PHP", D(2026, 2, 9), "stable")
            .step_to("IOP", D(2026, 3, 2), "stable")
            .step_to("OP", D(2026, 4, 27), "goals met")
            .discharge(D(2026, 6, 22), cc.DischargeReason.COMPLETED,
                       referred_to=GENERIC["RECOVERY"], note="alumni group\ton Tuesdays")
        ),
        "concurrent": (
            cc.Episode.admit("c-4", "2.1", D(2026, 3, 2), continuum=ASAM3, reason="intake",
                             assessment=_assessment(D(2026, 3, 2)))
            .add_concurrent("OTP", D(2026, 3, 2), "opioid use disorder")
            .authorize("2.1", D(2026, 3, 2), D(2026, 3, 31), payer="Medicaid", units=12,
                       next_review=D(2026, 3, 20))
            .authorize("1", D(2026, 4, 27), D(2026, 5, 31))
            .step_to("1", D(2026, 4, 27), "goals met", program=None)
            .end_concurrent("OTP", D(2026, 5, 4))
            .add_concurrent("OTP", D(2026, 5, 4))  # ended and begun on one day
            .discharge(D(2026, 6, 1), cc.DischargeReason.AGAINST_MEDICAL_ADVICE, note="left")
        ),
        "no-day": (  # a stay of no day of care, and a discharge on the day of the last move
            cc.Episode.admit("c-5", "4", D(2026, 1, 1), continuum=LOCUS)
            .step_to("3", D(2026, 1, 1), "same-day step down")
            .step_to("2", D(2026, 2, 1), "stable")
            .discharge(D(2026, 2, 1), cc.DischargeReason.TRANSFERRED)
        ),
        "program": (
            cc.Episode.admit("c-7", "3.7-WM", D(2026, 1, 5), continuum=ASAM3)
            .step_to("3.5", D(2026, 1, 9), "withdrawal complete")
            .step_to("2.1", D(2026, 2, 9), "stable", program=iop)
        ),
    }  # fmt: skip


EPISODES = _episodes()


# ---- helpers ---------------------------------------------------------------------------------


def _resources(sent: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in sent["entry"] if e["resource"]["resourceType"] == kind]


def _part(encounter: dict[str, Any]) -> str:
    (coding,) = encounter["type"][0]["coding"]
    assert coding["system"] == fhir.EPISODE_PART_SYSTEM
    return str(coding["code"])


def _days_of_care(encounter: dict[str, Any]) -> int | None:
    """Days of care an Encounter states: its period, last day included; None while open."""
    period = encounter["period"]
    if encounter["status"] == "cancelled":
        assert "end" not in period
        return 0
    if "end" not in period:
        return None
    return (date.fromisoformat(period["end"]) - date.fromisoformat(period["start"])).days + 1


def valid_bundle(sent: dict[str, Any], patient: str | None = None) -> None:
    """The Bundle and every resource in it parse as R4B models; it is a transaction whose full
    URLs are unique urn:uuids and whose references all resolve to them, to a resource contained
    in the same resource (``#id``), or name the Patient."""
    assert json.loads(json.dumps(sent)) == sent
    Bundle.model_validate(sent)
    assert sent["type"] == "transaction"
    urls = [e["fullUrl"] for e in sent["entry"]]
    assert len(set(urls)) == len(urls)
    assert all(u.startswith("urn:uuid:") for u in urls)
    for entry in sent["entry"]:
        resource = entry["resource"]
        MODELS[resource["resourceType"]].model_validate(resource)
        assert entry["request"]["method"] in ("POST", "PUT")
        assert entry["request"]["url"].startswith(resource["resourceType"])
        contained = {c["id"] for c in resource.get("contained", [])}
        for reference in fv.references(resource):
            if reference.startswith("#"):
                assert reference[1:] in contained, reference
            elif reference.startswith("urn:uuid:"):
                assert reference in urls, reference
            else:
                assert reference.startswith("Patient"), reference
                assert patient is None or reference == patient


# ---- stays as Encounters ---------------------------------------------------------------------


class TestEncounters:
    def test_one_encounter_per_stay_linked_to_the_episode(self) -> None:
        sent = fhir.bundle(EPISODES["concurrent"])
        valid_bundle(sent)
        (episode_url,) = [
            e["fullUrl"] for e in sent["entry"] if e["resource"]["resourceType"] == "EpisodeOfCare"
        ]
        encounters = _resources(sent, "Encounter")
        assert [_part(e) for e in encounters] == ["stay"] * 2 + ["concurrent-service"] * 2
        assert {e["episodeOfCare"][0]["reference"] for e in encounters} == {episode_url}
        otp = encounters[2:]
        assert [e["period"] for e in otp] == [
            {"start": "2026-03-02", "end": "2026-05-03"},
            {"start": "2026-05-04", "end": "2026-05-31"},
        ]
        assert otp[0]["reasonCode"] == [{"text": "opioid use disorder"}]

    def test_periods_end_on_the_last_day_of_care(self) -> None:
        """FHIR period ends are inclusive: each stay ends the day before the next begins."""
        encounters = _resources(fhir.bundle(EPISODES["stepped-down"]), "Encounter")
        assert [(e["period"]["start"], e["period"]["end"]) for e in encounters] == [
            ("2026-01-05", "2026-01-09"), ("2026-01-10", "2026-02-08"),
            ("2026-02-09", "2026-03-01"), ("2026-03-02", "2026-04-26"),
            ("2026-04-27", "2026-06-21"),
        ]  # fmt: skip
        assert sum(_days_of_care(e) or 0 for e in encounters) == 168
        assert [e["length"]["value"] for e in encounters] == [5, 30, 21, 56, 56]
        assert [e["class"]["code"] for e in encounters] == ["IMP", "NONAC", "AMB", "AMB", "AMB"]

    def test_a_stay_of_no_day_is_a_cancelled_encounter(self) -> None:
        encounters = _resources(fhir.bundle(EPISODES["no-day"]), "Encounter")
        assert [e["status"] for e in encounters] == ["cancelled", "finished", "cancelled"]
        assert encounters[0]["period"] == {"start": "2026-01-01"}
        assert encounters[1]["period"] == {"start": "2026-01-01", "end": "2026-01-31"}

    def test_the_last_stay_carries_the_discharge(self) -> None:
        encounters = _resources(fhir.bundle(EPISODES["stepped-down"]), "Encounter")
        assert all("hospitalization" not in e for e in encounters[:-1])
        stay = encounters[-1]["hospitalization"]
        assert stay["dischargeDisposition"]["coding"][0] == {
            "system": fhir.DISCHARGE_REASON_SYSTEM, "code": "completed", "display": "Completed",
        }  # fmt: skip
        (extension,) = stay["extension"]
        assert extension["url"] == fhir.DISCHARGE_EXTENSION
        parts = {p["url"]: p for p in extension["extension"]}
        assert (
            fhir.level_from_coding(parts["referredTo"]["valueCodeableConcept"]["coding"][0])
            == GENERIC["RECOVERY"]
        )
        assert parts["note"]["valueString"] == "alumni group\ton Tuesdays"

    def test_an_open_stay_is_in_progress_without_an_end(self) -> None:
        sent = fhir.bundle(EPISODES["program"])
        *_, last = _resources(sent, "Encounter")
        assert last["status"] == "in-progress" and last["period"] == {"start": "2026-02-09"}
        assert "hospitalization" not in last
        (extension,) = last["extension"]
        assert extension["url"] == fhir.PROGRAM_DEFINITION_EXTENSION
        (definition,) = _resources(sent, "PlanDefinition")
        assert extension["valueCanonical"] == definition["url"]

    def test_status_history_holds_the_episode_statuses(self) -> None:
        """statusHistory is what the specification says it is: no level extension on it."""
        resource = fhir.episode_of_care(EPISODES["stepped-down"])
        assert resource["statusHistory"] == [
            {"status": "active", "period": {"start": "2026-01-05", "end": "2026-06-21"}},
            {"status": "finished", "period": {"start": "2026-06-22"}},
        ]
        assert resource["period"] == {"start": "2026-01-05", "end": "2026-06-21"}
        open_ = fhir.episode_of_care(EPISODES["open"])
        assert open_["statusHistory"] == [{"status": "active", "period": {"start": "2026-03-02"}}]
        assert not hasattr(fhir, "LEVEL_OF_CARE_EXTENSION")

    def test_the_assessment_is_an_observation_the_stay_names(self) -> None:
        sent = fhir.bundle(EPISODES["concurrent"])
        (observation,) = _resources(sent, "Observation")
        url = next(e["fullUrl"] for e in sent["entry"] if e["resource"] is observation)
        first = _resources(sent, "Encounter")[0]
        assert first["reasonReference"] == [{"reference": url}]
        assert observation["effectiveDateTime"] == "2026-03-02"
        ratings = {c["code"]["coding"][0]["code"]: c["valueInteger"]
                   for c in observation["component"]}  # fmt: skip
        assert ratings == {f"ASAM3:{k}": v for k, v in _assessment(D(2026, 3, 2)).ratings.items()}

    @given(episode=episodes())
    def test_stays_never_overlap_and_level_days_read_back(self, episode: cc.Episode) -> None:
        """Property: main-stay Encounters never share a day, and the days of care their periods
        state, summed by level, are `Episode.days_by_level()` (ended stays)."""
        encounters = [e for e in _resources(fhir.bundle(episode), "Encounter")
                      if _part(e) == "stay"]  # fmt: skip
        assert len(encounters) == len(episode.stays)
        last_day: date | None = None
        totals: dict[cc.LevelOfCare, int] = {}
        for encounter, stay in zip(encounters, episode.stays, strict=True):
            days = _days_of_care(encounter)
            start = date.fromisoformat(encounter["period"]["start"])
            if days:
                assert last_day is None or start > last_day
                last_day = start + timedelta(days=days - 1)
            level = fhir.level_from_coding(encounter["serviceType"]["coding"][0])
            assert level == stay.level
            assert encounter["class"]["code"] == CLASS[level.setting.value]
            if days is not None:
                totals[level] = totals.get(level, 0) + days
        assert {k: v for k, v in totals.items() if v} == {
            k: v for k, v in episode.days_by_level().items() if v
        }
        assert set(totals) == set(episode.days_by_level())


# ---- the transaction Bundle ------------------------------------------------------------------


class TestBundle:
    @pytest.mark.parametrize("name", sorted(EPISODES))
    def test_every_example_gives_a_valid_bundle(self, name: str) -> None:
        valid_bundle(fhir.bundle(EPISODES[name]))
        valid_bundle(fhir.bundle(EPISODES[name], patient="Patient/123",
                                 identifier_system=SYSTEM), "Patient/123")  # fmt: skip

    def test_the_same_episode_gives_the_same_bundle(self) -> None:
        """No random ids: full URLs derive from the identifiers, so a re-send is the same."""
        episode = EPISODES["concurrent"]
        assert fhir.bundle(episode, identifier_system=SYSTEM) == fhir.bundle(
            cc.from_dict(cc.Episode, cc.to_dict(episode)), identifier_system=SYSTEM
        )
        other = fhir.bundle(episode, identifier_system="https://other.example/ids")
        assert {e["fullUrl"] for e in other["entry"]}.isdisjoint(
            e["fullUrl"] for e in fhir.bundle(episode, identifier_system=SYSTEM)["entry"]
        )

    def test_urls_of_earlier_stays_stay_put_as_the_episode_grows(self) -> None:
        episode = EPISODES["open"]
        before = fhir.bundle(episode, identifier_system=SYSTEM)
        after = fhir.bundle(episode.step_to("2.5", D(2026, 3, 20), "relapse"),
                            identifier_system=SYSTEM)  # fmt: skip
        assert [e["fullUrl"] for e in after["entry"][:2]] == [e["fullUrl"] for e in before["entry"]]

    def test_identifiers_make_each_request_a_conditional_update(self) -> None:
        sent = fhir.bundle(EPISODES["concurrent"], identifier_system=SYSTEM)
        for entry in sent["entry"]:
            (identifier,) = entry["resource"]["identifier"]
            assert identifier["system"] == SYSTEM
            kind = entry["resource"]["resourceType"]
            assert entry["request"] == {
                "method": "PUT", "url": f"{kind}?identifier={SYSTEM}|{identifier['value']}",
            }  # fmt: skip
        values = [e["resource"]["identifier"][0]["value"] for e in sent["entry"]]
        assert values[:3] == ["c-4/2026-03-02", "c-4/2026-03-02/stay/0/assessment",
                              "c-4/2026-03-02/stay/0"]  # fmt: skip
        assert len(set(values)) == len(values)
        given_value = fhir.bundle(EPISODES["open"], identifier_system=SYSTEM, identifier="E 17")
        assert given_value["entry"][0]["request"]["url"] == (
            f"EpisodeOfCare?identifier={SYSTEM}|E%2017"
        )

    def test_without_identifiers_requests_are_creates(self) -> None:
        sent = fhir.bundle(EPISODES["stepped-down"])
        assert {e["request"]["method"] for e in sent["entry"]} == {"POST"}
        assert all("identifier" not in e["resource"] for e in sent["entry"])

    def test_the_patient_reference(self) -> None:
        episode = EPISODES["open"]
        literal = fhir.bundle(episode, patient="Patient/123")["entry"][0]["resource"]
        assert literal["patient"] == {"reference": "Patient/123", "type": "Patient",
                                      "identifier": {"value": "c-1"}}  # fmt: skip
        by_id = fhir.bundle(episode, patient_system="https://clinic.example/mrn")
        reference = by_id["entry"][0]["resource"]["patient"]
        assert reference == {
            "reference": "Patient?identifier=https://clinic.example/mrn|c-1", "type": "Patient",
            "identifier": {"system": "https://clinic.example/mrn", "value": "c-1"},
        }  # fmt: skip
        assert all(e["resource"]["subject"] == reference for e in by_id["entry"][1:])
        plain = fhir.episode_of_care(episode, patient_system="https://clinic.example/mrn")
        assert "reference" not in plain["patient"]  # conditional references are for bundles

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"patient": "Practitioner/1"}, "patient"),
            ({"patient": 123}, "patient"),
            ({"patient_system": "no scheme"}, "patient_system"),
            ({"identifier_system": "clinic ids"}, "identifier_system"),
            ({"identifier": ""}, "identifier"),
        ],
    )
    def test_bad_identity_arguments_are_refused(self, kwargs: dict[str, Any], field: str) -> None:
        with pytest.raises((cc.InvalidValueError, cc.InvalidTypeError), match=f"'{field}'"):
            fhir.bundle(EPISODES["open"], **kwargs)
        with pytest.raises(cc.InvalidTypeError, match="'episode'"):
            fhir.bundle("c-1")  # type: ignore[arg-type]

    @given(episode=episodes())
    def test_any_episode_gives_a_valid_bundle(self, episode: cc.Episode) -> None:
        """Property: every resource parses, every reference resolves."""
        valid_bundle(fhir.bundle(episode, patient="Patient/p-1", identifier_system=SYSTEM),
                     "Patient/p-1")  # fmt: skip


# ---- reading back ----------------------------------------------------------------------------


class TestReadEpisode:
    @pytest.mark.parametrize("name", sorted(EPISODES))
    def test_examples_round_trip_through_json(self, name: str) -> None:
        sent = json.loads(json.dumps(fhir.bundle(EPISODES[name], identifier_system=SYSTEM)))
        assert fhir.read_episode(sent) == EPISODES[name]

    @given(episode=episodes())
    def test_read_episode_inverts_bundle(self, episode: cc.Episode) -> None:
        """Property: read_episode(bundle(ep)) == ep, nothing lost."""
        assert fhir.read_episode(fhir.bundle(episode)) == episode

    def test_entry_order_of_the_encounters_does_not_matter(self) -> None:
        episode = EPISODES["stepped-down"]
        sent = fhir.bundle(episode)
        sent["entry"] = [sent["entry"][0], *reversed(sent["entry"][1:])]
        assert fhir.read_episode(sent) == episode

    def test_unknown_resources_and_codings_are_passed_over(self) -> None:
        episode = EPISODES["concurrent"]
        sent = fhir.bundle(episode)
        sent["entry"].append({"fullUrl": "urn:uuid:x", "resource": {"resourceType": "Patient"}})
        sent["entry"][2]["resource"]["serviceType"]["coding"].insert(
            0, {"system": "http://example.org/state-levels", "code": "2.1x"}
        )
        assert fhir.read_episode(sent) == episode

    def _broken(self, change: Any, name: str = "stepped-down") -> cc.DataError:
        sent = copy.deepcopy(fhir.bundle(EPISODES[name]))
        change(sent)
        with pytest.raises(cc.DataError) as caught:
            fhir.read_episode(sent)
        return caught.value

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            (lambda b: b["entry"][1]["resource"]["period"].pop("start"),
             "bundle.entry[1].resource.period.start"),
            (lambda b: b["entry"][2]["resource"]["period"].update(end="2026-02-30"),
             "bundle.entry[2].resource.period.end"),
            (lambda b: b["entry"][0]["resource"]["patient"].pop("identifier"),
             "bundle.entry[0].resource.patient.identifier"),
            (lambda b: b["entry"][1]["resource"].pop("serviceType"),
             "bundle.entry[1].resource.serviceType"),
            (lambda b: b["entry"][1]["resource"]["serviceType"]["coding"][0].update(code="9"),
             "bundle.entry[1].resource.serviceType.coding[0]"),
            (lambda b: b["entry"][5]["resource"].pop("hospitalization"),
             "bundle.entry[5].resource.hospitalization"),
            (lambda b: b["entry"][5]["resource"]["hospitalization"]["dischargeDisposition"][
                "coding"][0].update(code="escaped"),
             "bundle.entry[5].resource.hospitalization.dischargeDisposition"),
            (lambda b: b["entry"].pop(0), "bundle.entry"),
            (lambda b: b["entry"][2]["resource"]["period"].update(end="9999-12-31"),
             "bundle.entry[2].resource.period.end"),
        ],
    )  # fmt: skip
    def test_what_is_missing_is_named_by_its_path(self, change: Any, path: str) -> None:
        error = self._broken(change)
        (problem,) = error.problems
        assert problem.startswith(f"{path}:"), problem

    def test_a_history_the_library_refuses_is_a_data_error(self) -> None:
        """Stays that leave a gap: the Episode's own check, reported against the resource."""

        def gap(b: dict[str, Any]) -> None:
            b["entry"][2]["resource"]["period"]["start"] = "2026-01-12"

        error = self._broken(gap)
        assert "tile" in error.problems[0]
        assert isinstance(error, ValueError)

    def test_an_authorization_without_its_period_is_named(self) -> None:
        def drop(b: dict[str, Any]) -> None:
            b["entry"][0]["resource"]["extension"][0]["extension"].pop(1)

        error = self._broken(drop, "concurrent")
        assert error.problems[0].startswith("bundle.entry[0].resource.extension[0].extension:")

    def test_not_a_bundle(self) -> None:
        with pytest.raises(cc.DataError, match="expected a Bundle"):
            fhir.read_episode({"resourceType": "EpisodeOfCare"})
        with pytest.raises(cc.DataError, match="expected a Bundle"):
            fhir.read_episode([])  # type: ignore[arg-type]


# ---- the official R4 JSON schema ----------------------------------------------------------


@given(episode=episodes())
def test_every_bundle_passes_the_official_schema_and_fhir_resources(episode: cc.Episode) -> None:
    """Property: the transaction Bundle of every episode the strategies make, with business
    identifiers and conditional requests, is valid R4 by HL7's official JSON schema and by the
    fhir.resources models, every resource in it included (two independent validators)."""
    sent = fhir.bundle(
        episode,
        patient_system="https://clinic.example/clients",
        identifier_system="https://clinic.example/episodes",
    )
    fv.assert_valid(sent)
    # Both look inside the entries: an element R4 does not define, on the last resource, is
    # refused. (The schema leaves complex types untyped, so it would take a string for a
    # Period: an unknown element is what both refuse.)
    broken = copy.deepcopy(sent)
    broken["entry"][-1]["resource"]["levelOfCare"] = "2.1"
    fv.assert_refused(broken)


def _as_a_server_returns_it(sent: dict[str, Any]) -> dict[str, Any]:
    """`sent` as a FHIR server returns it from a search: each resource with a server id, each
    entry's fullUrl the server's absolute URL, every reference relative (``Type/id``)."""
    names = {}
    returned: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset", "entry": []}
    for i, entry in enumerate(sent["entry"]):
        kind = entry["resource"]["resourceType"]
        names[entry["fullUrl"]] = f"{kind}/{100 + i}"
    text = json.dumps([e["resource"] for e in sent["entry"]])
    for old, new in names.items():
        text = text.replace(json.dumps(old), json.dumps(new))
    for i, resource in enumerate(json.loads(text)):
        resource["id"] = str(100 + i)
        url = f"https://fhir.example.org/r4/{resource['resourceType']}/{100 + i}"
        returned["entry"].append({"fullUrl": url, "resource": resource})
    return returned


@given(episode=episodes())
def test_an_episode_reads_back_from_what_a_server_returns(episode: cc.Episode) -> None:
    """Property: a server's search result (server ids, absolute fullUrls, relative references
    such as ``EpisodeOfCare/100``) reads back as the episode that was sent."""
    returned = _as_a_server_returns_it(fhir.bundle(episode, patient="Patient/123"))
    assert not any(
        "urn:uuid" in ref for e in returned["entry"] for ref in fv.references(e["resource"])
    )  # (a program's canonical url is a urn:uuid, which a server keeps)
    assert fhir.read_episode(returned) == episode


def test_a_relative_reference_to_another_episode_is_not_followed() -> None:
    """An Encounter naming another EpisodeOfCare by id is not read as a stay of this one."""
    episode = cc.Episode.admit("c-1", GENERIC["PHP"], date(2026, 2, 2)).step_to(
        "IOP", date(2026, 3, 2), "stable"
    )
    returned = _as_a_server_returns_it(fhir.bundle(episode))
    returned["entry"][1]["resource"]["episodeOfCare"] = [{"reference": "EpisodeOfCare/999"}]
    read = fhir.read_episode(returned)
    assert [s.level.code for s in read.stays] == ["IOP"]


def test_without_cattrs_a_program_goes_both_ways_and_only_an_old_one_needs_it() -> None:
    """A stay's program is a PlanDefinition, written and read without cattrs; only a Bundle of
    an earlier version, whose program is plain-data JSON text (`PROGRAM_EXTENSION`), needs the
    ``dicts`` extra to read, and `read_episode` names fhir as what needs it."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = (
        "import sys; sys.modules['cattrs'] = None\n"
        "import datetime, carecontinuum as cc\n"
        "from carecontinuum import fhir\n"
        "iop = cc.catalogs.GENERIC['IOP']\n"
        "p = cc.ProgramStructure.weekly(iop, days='mon', hours_per_session=3, weeks=8)\n"
        "e = cc.Episode.admit('c-1', iop, datetime.date(2026, 3, 2), program=p)\n"
        "sent = fhir.bundle(e)\n"
        "print(fhir.read_episode(sent) == e)\n"
        "encounter = sent['entry'][1]['resource']\n"
        "encounter['extension'] = [{'url': fhir.PROGRAM_EXTENSION, 'valueString': '{}'}]\n"
        "try:\n"
        "    fhir.read_episode(sent)\n"
        "except cc.MissingExtraError as error:\n"
        "    print(error.extra, error.package, str(error).split(' needs ')[0])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ["True", "dicts cattrs carecontinuum.fhir for a stay's program"]
