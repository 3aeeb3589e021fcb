"""Treatment plans in FHIR as US Core expects them: a generated narrative and the
``assess-plan`` category on every CarePlan; in an episode's Bundle, each plan's CarePlan linked
to the episode and to its stay's Encounter, with its Goals as entries of their own."""

from __future__ import annotations

import copy
import html
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carecontinuum as cc
import carecontinuum.strategies as ccst
import fhir_validators as fv
from carecontinuum import fhir
from carecontinuum.catalogs import ASAM3
from test_fhir_episodes import valid_bundle

D = pendulum.date
SYSTEM = "https://clinic.example/ids"
US_CORE_CAREPLAN = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-careplan"
ASSESS_PLAN = {"system": "http://hl7.org/fhir/us/core/CodeSystem/careplan-category",
               "code": "assess-plan"}  # fmt: skip
EPISODE_OF_CARE = "http://hl7.org/fhir/StructureDefinition/workflow-episodeOfCare"
XHTML = "{http://www.w3.org/1999/xhtml}"
#: The elements the narrative may use: FHIR's limited XHTML allows these and more.
ALLOWED = {f"{XHTML}{tag}" for tag in ("div", "p", "b", "ul", "li")}


# ---- builders --------------------------------------------------------------------------------


def _plan(
    start: date,
    *,
    client: str = "c-9",
    problems: list[cc.Problem] | None = None,
    level: str = "2.1",
) -> cc.TreatmentPlan:
    intake = cc.Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1},
                           start, client_id=client)  # fmt: skip
    placed = cc.place(intake, ASAM3)
    program = cc.ProgramStructure.weekly(ASAM3[level], days=["mon", "wed", "fri"],
                                         hours_per_session=3, weeks=8)  # fmt: skip
    if problems is None:
        s, r = cc.Service, cc.CareRole
        problems = [
            cc.Problem("Alcohol use disorder", [
                cc.Goal("Maintain abstinence", [
                    cc.Objective("Names three triggers", start + timedelta(days=20), [
                        cc.Intervention(s.GROUP_THERAPY, 3, r.ADDICTION_COUNSELOR),
                        cc.Intervention(s.RELAPSE_PREVENTION, 1, r.THERAPIST),
                    ]),
                ]),
                cc.Goal("Repair family relationships", [
                    cc.Objective("Attends family sessions", start + timedelta(days=40),
                                 [cc.Intervention(s.FAMILY_THERAPY, 0.5, r.FAMILY_THERAPIST)]),
                ]),
            ]),
            cc.Problem("Unemployment", [cc.Goal("Find work")]),
        ]  # fmt: skip
    return cc.TreatmentPlan(client, intake, placed, program, problems, start=start,
                            review_every_days=30,
                            next_review=start + timedelta(days=30))  # fmt: skip


EPISODE = (
    cc.Episode.admit("c-9", "3.7-WM", D(2026, 1, 5), continuum=ASAM3)
    .step_to("3.5", D(2026, 1, 9), "withdrawal complete")
    .step_to("2.1", D(2026, 2, 9), "stable")
    .discharge(D(2026, 4, 6), cc.DischargeReason.COMPLETED)
)


def _entries(sent: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e for e in sent["entry"] if e["resource"]["resourceType"] == kind]


def _narrative_text(resource: dict[str, Any]) -> tuple[ET.Element, str]:
    """The narrative parsed as XML, and its text content."""
    text = resource["text"]
    assert text["status"] in ("generated", "additional")
    root = ET.fromstring(text["div"])
    assert root.tag == f"{XHTML}div"
    assert {element.tag for element in root.iter()} <= ALLOWED
    return root, "".join(root.itertext())


def _shown(text: str) -> str:
    """Text as the narrative shows it (XML 1.0 cannot hold U+FFFE or U+FFFF)."""
    return text.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")


def _check_us_core(resource: dict[str, Any], plan: cc.TreatmentPlan) -> None:
    """What the US Core CarePlan profile requires, and the narrative saying the plan."""
    assert resource["meta"]["profile"] == [US_CORE_CAREPLAN]
    assert resource["status"] in ("active", "completed") and resource["intent"] == "plan"
    assert resource["subject"]
    slices = [c for c in resource["category"]
              if any(ASSESS_PLAN.items() <= coding.items() for coding in c["coding"])]  # fmt: skip
    assert len(slices) == 1  # the AssessPlan slice is 1..1
    categories = [coding["system"] for c in resource["category"] for coding in c.get("coding", [])]
    assert fhir.CARE_PLAN_CATEGORY_SYSTEM in categories  # the library's own category stays
    _, said = _narrative_text(resource)
    for problem in plan.problems:
        assert _shown(problem.description) in said
        for goal in problem.goals:
            assert _shown(goal.description) in said
    assert plan.next_review.isoformat() in said
    for _, item in plan.interventions:
        assert _shown(item.service.value[1:]) in said


# ---- the narrative and the category ----------------------------------------------------------


class TestUSCore:
    @given(
        plan=ccst.treatment_plans(),
        on=st.none() | st.dates(min_value=date(2023, 1, 1), max_value=date(2032, 12, 31)),
    )
    def test_every_plan_has_a_narrative_and_the_assess_plan_category(
        self, plan: cc.TreatmentPlan, on: date | None
    ) -> None:
        """Property: the CarePlan of every treatment plan the strategies make, on any day,
        meets the US Core CarePlan profile it claims (a generated narrative of well-formed
        limited XHTML naming the problems, goals, interventions and next review; the
        assess-plan category; status, intent, subject) and both validators accept it."""
        resource = fhir.care_plan(plan, id="plan-1", on=on)
        _check_us_core(resource, plan)
        fv.assert_valid(resource)
        fv.assert_references_resolve([resource])

    def test_markup_in_the_plan_is_text_in_the_narrative(self) -> None:
        """Text that looks like markup is escaped: it is read back as text, never as elements."""
        odd = '<script>alert("x")</script> & <b>'
        problems = [cc.Problem(odd, [cc.Goal("Sleep \ufffe well")])]
        plan = _plan(D(2026, 3, 2), problems=problems)
        resource = fhir.care_plan(plan)
        _, said = _narrative_text(resource)
        assert odd in said and "Sleep \ufffd well" in said
        assert html.escape(odd, quote=False) in resource["text"]["div"]
        assert [c["code"]["text"] for c in resource["contained"][:1]] == [odd]  # kept exactly
        fv.assert_valid(resource)

    def test_the_narrative_follows_the_status(self) -> None:
        plan = _plan(D(2026, 3, 2))
        assert "; active." in fhir.care_plan(plan)["text"]["div"]
        assert "; completed." in fhir.care_plan(plan, on=D(2027, 1, 1))["text"]["div"]

    def test_contained_ids_stay_when_an_intervention_changes(self) -> None:
        """Changing one intervention (its rate) leaves every contained resource as it was, and
        changing one goal's wording changes that Goal alone: ids are positions, not contents."""
        plan = _plan(D(2026, 3, 2))
        before = fhir.care_plan(plan)
        problems = list(plan.problems)
        first = problems[0]
        goal = first.goals[0]
        objective = goal.objectives[0]
        quicker = cc.Intervention(cc.Service.GROUP_THERAPY, 5, cc.CareRole.ADDICTION_COUNSELOR)
        changed = cc.Objective(objective.description, objective.target,
                               [quicker, *objective.interventions[1:]])  # fmt: skip
        problems[0] = cc.Problem(
            first.description, [cc.Goal(goal.description, [changed]), *first.goals[1:]]
        )
        after = fhir.care_plan(_plan(D(2026, 3, 2), problems=problems))
        assert after["contained"] == before["contained"]
        assert after["activity"] != before["activity"]

        problems[0] = cc.Problem(first.description, [first.goals[0], cc.Goal("Repair trust",
                                 first.goals[1].objectives)])  # fmt: skip
        reworded = fhir.care_plan(_plan(D(2026, 3, 2), problems=problems))
        ids = [c["id"] for c in before["contained"]]
        assert [c["id"] for c in reworded["contained"]] == ids
        differ = [c["id"] for c, d in zip(before["contained"], reworded["contained"], strict=True)
                  if c != d]  # fmt: skip
        assert differ == ["goal-0-1"]


# ---- plans in the episode's Bundle -----------------------------------------------------------


class TestBundleWithPlans:
    def test_goals_are_entries_and_the_plan_links_its_stay_and_episode(self) -> None:
        plan = _plan(D(2026, 2, 16))  # in the third stay, 2.1 from 2026-02-09
        sent = fhir.bundle(EPISODE, plans=[plan], patient="Patient/p-9")
        valid_bundle(sent, "Patient/p-9")
        (episode,) = _entries(sent, "EpisodeOfCare")
        encounters = _entries(sent, "Encounter")
        (care_plan,) = _entries(sent, "CarePlan")
        goals = _entries(sent, "Goal")
        resource = care_plan["resource"]
        assert resource["encounter"] == {"reference": encounters[2]["fullUrl"]}
        assert resource["extension"] == [
            {"url": EPISODE_OF_CARE, "valueReference": {"reference": episode["fullUrl"]}}
        ]
        # Goals are resources of their own: none contained, each an entry the plan names.
        assert all(c["resourceType"] != "Goal" for c in resource["contained"])
        assert resource["goal"] == [{"reference": g["fullUrl"]} for g in goals]
        assert [g["resource"]["description"]["text"] for g in goals] == [
            "Maintain abstinence", "Repair family relationships", "Find work"]  # fmt: skip
        activity_goals = {r["reference"] for a in resource["activity"]
                          for r in a["detail"].get("goal", [])}  # fmt: skip
        assert activity_goals == {g["fullUrl"] for g in goals[:2]}
        for goal in goals:
            assert goal["resource"]["subject"] == resource["subject"]
            assert goal["resource"]["lifecycleStatus"] == "active"
            assert "id" not in goal["resource"]
        assert goals[2]["resource"]["addresses"] == [{"display": "Unemployment"}]
        _check_us_core(resource, plan)

    def test_a_plan_outside_every_stay_links_the_episode_only(self) -> None:
        sent = fhir.bundle(EPISODE, plans=[_plan(D(2026, 4, 6))])  # the discharge day
        (care_plan,) = _entries(sent, "CarePlan")
        assert "encounter" not in care_plan["resource"]
        assert care_plan["resource"]["extension"][0]["url"] == EPISODE_OF_CARE

    def test_a_plan_at_a_service_alongside_links_its_encounter(self) -> None:
        episode = cc.Episode.admit("c-9", "2.1", D(2026, 3, 2), continuum=ASAM3)
        episode = episode.add_concurrent("OTP", D(2026, 3, 9))
        otp = cc.ProgramStructure.weekly(ASAM3["OTP"], days=["mon", "tue", "wed", "thu", "fri"],
                                         hours_per_session=1, weeks=8)  # fmt: skip
        base = _plan(D(2026, 3, 16))
        plan = cc.TreatmentPlan("c-9", base.assessment, base.placement, otp, base.problems,
                                start=D(2026, 3, 16), review_every_days=30,
                                next_review=D(2026, 4, 15))  # fmt: skip
        sent = fhir.bundle(episode, plans=[base, plan])
        valid_bundle(sent)
        encounters = _entries(sent, "Encounter")
        links = [p["resource"]["encounter"]["reference"] for p in _entries(sent, "CarePlan")]
        assert links == [encounters[0]["fullUrl"], encounters[1]["fullUrl"]]

    def test_identifiers_make_plans_and_goals_conditional_updates(self) -> None:
        sent = fhir.bundle(EPISODE, plans=[_plan(D(2026, 2, 16))], identifier_system=SYSTEM)
        requests = {e["request"]["url"] for e in sent["entry"]
                    if e["resource"]["resourceType"] in ("CarePlan", "Goal")}  # fmt: skip
        assert requests == {
            f"CarePlan?identifier={SYSTEM}|c-9/2026-01-05/plan/0",
            *(f"Goal?identifier={SYSTEM}|c-9/2026-01-05/plan/0/goal-{i}" for i in
              ("0-0", "0-1", "1-0")),
        }  # fmt: skip
        for entry in sent["entry"]:
            (identifier,) = entry["resource"]["identifier"]
            assert entry["request"]["url"].endswith(f"|{identifier['value']}")
            assert entry["request"]["method"] == "PUT"
        again = fhir.bundle(EPISODE, plans=[_plan(D(2026, 2, 16))], identifier_system=SYSTEM)
        assert again == sent  # full URLs derive from the identifiers

    def test_read_episode_passes_over_the_plans(self) -> None:
        sent = fhir.bundle(EPISODE, plans=[_plan(D(2026, 2, 16)), _plan(D(2026, 1, 12))])
        assert len(_entries(sent, "CarePlan")) == 2
        assert fhir.read_episode(sent) == EPISODE

    @pytest.mark.parametrize(
        ("plans", "error", "field"),
        [
            ("plan", cc.InvalidTypeError, "plans"),
            ([EPISODE], cc.InvalidTypeError, "plans[0]"),
            ([_plan(D(2026, 2, 16), client="c-1")], cc.InvalidValueError, "plans[0].client_id"),
        ],
    )
    def test_plans_that_are_not_the_clients_are_refused(
        self, plans: Any, error: type[Exception], field: str
    ) -> None:
        with pytest.raises(error, match=re.escape(f"'{field}'")):
            fhir.bundle(EPISODE, plans=plans)


@st.composite
def episodes_with_a_plan(draw: st.DrawFn) -> tuple[cc.Episode, cc.TreatmentPlan]:
    """An episode the strategies make, and a plan of the same client starting on a day near it
    (in one of its stays, or outside them)."""
    drawn = draw(ccst.treatment_plans())
    episode = draw(ccst.episodes())
    episode = cc.Episode(drawn.client_id, episode.continuum, episode.stays,
                         concurrent=episode.concurrent, authorizations=episode.authorizations,
                         discharge=episode.discharge_record)  # fmt: skip
    start = episode.admitted_on + timedelta(days=draw(st.integers(-10, 400)))
    plan = cc.TreatmentPlan(
        drawn.client_id, drawn.assessment, drawn.placement, drawn.program, drawn.problems,
        start=start, review_every_days=drawn.review_every_days,
        next_review=start + (drawn.next_review - drawn.start),
        discharge_criteria=drawn.discharge_criteria, aftercare=drawn.aftercare,
    )  # fmt: skip
    return episode, plan


def _holds(encounter: dict[str, Any], day: date) -> bool:
    period = encounter["period"]
    if encounter["status"] == "cancelled":
        return False
    start = date.fromisoformat(period["start"])
    return start <= day and ("end" not in period or day <= date.fromisoformat(period["end"]))


@given(pair=episodes_with_a_plan())
def test_every_bundle_with_a_plan_passes_both_validators(
    pair: tuple[cc.Episode, cc.TreatmentPlan],
) -> None:
    """Property: the Bundle of every episode with a plan passes HL7's official R4 schema and
    fhir.resources, every reference resolves, Goals are entries and not contained, the plan's
    Encounter is one whose days hold the plan's start (a main stay unless a service alongside
    at the plan's level holds it; none when no stay does), and read_episode still reads it."""
    episode, plan = pair
    sent = fhir.bundle(episode, plans=[plan], patient_system="https://clinic.example/clients",
                       identifier_system=SYSTEM)  # fmt: skip
    fv.assert_valid(sent)
    valid_bundle(sent)
    (care_plan,) = [e["resource"] for e in _entries(sent, "CarePlan")]
    _check_us_core(care_plan, plan)
    goals = _entries(sent, "Goal")
    assert len(goals) == sum(len(p.goals) for p in plan.problems)
    assert all(c["resourceType"] != "Goal" for c in care_plan["contained"])
    encounters = {e["fullUrl"]: e["resource"] for e in _entries(sent, "Encounter")}
    stays = [r for r in encounters.values() if r["type"][0]["coding"][0]["code"] == "stay"]
    if "encounter" in care_plan:
        linked = encounters[care_plan["encounter"]["reference"]]
        assert _holds(linked, plan.start)
        if linked["type"][0]["coding"][0]["code"] != "stay":
            assert fhir.level_from_coding(linked["serviceType"]["coding"][0]) == plan.program.level
    else:
        assert not any(_holds(r, plan.start) for r in stays)
    assert fhir.read_episode(sent) == episode
    # Both validators look inside the plan's entry: an element R4 does not define is refused.
    # (The schema leaves complex types untyped, so an unknown element is what both refuse.)
    broken = copy.deepcopy(sent)
    _entries(broken, "CarePlan")[0]["resource"]["levelOfCare"] = "2.1"
    fv.assert_refused(broken)
