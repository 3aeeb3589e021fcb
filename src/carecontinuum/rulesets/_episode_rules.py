"""Transition rules: what a well-documented episode of care looks like, as findings.

The rules judge an `Episode`. None of them stops an operation: moving a client is clinical
judgement, and the episode records it; the rules say what the record lacks. Before a rule
reports a WARNING or an ERROR, it asks whether a clinic doing normal, well-documented care would
trip it; where one would (a step down from residential care straight to IOP), the rule says at
most INFO.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from types import MappingProxyType

from .._episode import Authorization, Direction, DischargeReason, Episode, Transition, _lane
from .._levels import LevelOfCare
from .._rules import Finding, Rule, RuleContext, RuleSet, Severity, Source
from ..catalogs.asam3 import WITHDRAWAL_MANAGEMENT

__all__ = ["EPISODE_RULES"]

_PRINCIPLE = Source(
    "carecontinuum continuum-of-care rules",
    note="From the principle the program descriptions state: the least restrictive level "
    "that still meets the client's need, with screening deciding between a higher, the same or "
    "a lower level; and from what clinic software records (an admitting level that never "
    "changes, a history appended and never edited, reasons for the moves). A documentation "
    "standard, not a payer's or a state's rule.",
)

_ANY_LEVEL = Source(
    "Clinical Issues in Intensive Outpatient Treatment for Substance Use Disorders (Advisory)",
    publisher="SAMHSA",
    year=2021,
    locator="introduction: IOP as step-down care from inpatient, residential and withdrawal "
    "management settings",
    note="IOP programs take clients stepping down from inpatient, residential and withdrawal "
    "management settings (this advisory, after TIP 47), and the IOP programs the domain notes "
    "describe (Trinity, Invigorate, AACS, Windmill) present themselves as a step down from "
    "residential or inpatient care; the ASAM Criteria (3rd ed., 2013) "
    "let a client enter, and move to, the level the assessment finds, without passing through "
    "each level between. So a step down past levels is routine care: the rule only notes (INFO) "
    "one that records no reason, and a reason silences it. A level that is an alternative to "
    "another rather than a step below it is never counted as passed over: ASAM3 3.3, "
    "population-specific high-intensity residential care (for adults with cognitive "
    "impairment; CIBHS, 'ASAM 3.3 Decoded', 2018), is an alternative to 3.5, so 3.5 to 3.1 "
    "passes over nothing; GENERIC DETOX (medically monitored withdrawal management) likewise "
    "stands beside the hospital level INPATIENT, not between it and residential care. "
    "carecontinuum's reading of these sources, not a payer's rule.",
)

_PATHWAYS = Source(
    "The ASAM Criteria, 3rd ed.",
    publisher="ASAM",
    year=2013,
    locator="withdrawal management (1-WM to 4-WM) and opioid treatment (OTP), beside the main "
    "levels",
    note="The 3rd edition runs withdrawal management as a chain of its own beside the main "
    "levels, and opioid treatment beside both (codes and names only; the criteria text is "
    "ASAM's). A move between two chains is a transfer, neither a step up nor a step down: the "
    "level numbers of different chains do not form one ladder (3.2-WM to 3.5 is not a step up, "
    "3.7-WM to 2.1 not a step down). Leaving withdrawal management for treatment is its "
    "expected course, so a transfer is not asked for an assessment, and a transfer without a "
    "reason is only noted (INFO); a transfer into withdrawal management from treatment answers "
    "new withdrawal risk (dimension 1) and rests on a new assessment, as a step up does "
    "(carecontinuum documentation standard).",
)

_DISCHARGE = Source(
    "carecontinuum continuum-of-care rules",
    locator="discharge from 24-hour care",
    note="A client discharged from 24-hour care goes on to a next level of care: the program "
    "descriptions' continuum and clinic records of referral at discharge. A client who leaves "
    "against medical advice, or is lost to contact, may give the clinic no chance to make a "
    "referral; standards then expect a documented attempt, not a referral (carecontinuum domain "
    "notes, corrections checked 2026-12; no single published standard is quoted). So those two "
    "reasons ask for the attempt, read from the discharge note, and a missing note is a "
    "WARNING; other reasons without a referral stay an ERROR. A documentation standard, not a "
    "payer's or a state's rule.",
)

_REVIEW = Source(
    "carecontinuum authorization checks",
    locator="payer reviews (next_review)",
    note="Payers re-review PHP and IOP authorizations on a cadence each sets (no public figure: "
    "the review day is data, the authorization's next_review), and clinic software records "
    "the authorized level, payer, dates, units and next review beside the level delivered "
    "(carecontinuum domain notes). The outcome of a review is recorded as a newer "
    "authorization, of the same level or of the level the payer authorizes next on that "
    "pathway (a step down), or of the same concurrent service. Once the review day has "
    "passed with the client still at the level and no newer authorization, the record lacks "
    "the outcome. A WARNING, not an ERROR: late paperwork is normal (an authorization may be "
    "recorded after the fact), and a day's lag is not care without authorization. A client "
    "discharged, or moved off the level, by the review day leaves nothing to review. A "
    "documentation standard, not a payer's rule.",
)

#: Levels that are an alternative to another level of their scheme rather than a step between
#: it and the levels below: (scheme, code) -> the code of the level it is an alternative to.
#: ASAM3 3.3 is population-specific high-intensity residential care (adults with cognitive
#: impairment), an alternative to 3.5 (see `_ANY_LEVEL`'s note). GENERIC DETOX (medically
#: monitored withdrawal management) stands beside the hospital level INPATIENT rather than
#: between it and residential care: a client leaving hospital for residential care has not
#: "skipped" detoxification.
_ALTERNATIVES: Mapping[tuple[str, str], str] = MappingProxyType(
    {("ASAM3", "3.3"): "3.5", ("GENERIC", "DETOX"): "INPATIENT"}
)

#: The discharge reasons under which the client may have left no chance to make a referral,
#: with how the finding says it.
_LEFT_CARE: Mapping[DischargeReason, str] = MappingProxyType(
    {
        DischargeReason.AGAINST_MEDICAL_ADVICE: "left against medical advice",
        DischargeReason.LOST_TO_CONTACT: "was lost to contact",
    }
)


def _episode(context: RuleContext) -> Episode:
    episode = context.subject
    assert isinstance(episode, Episode)
    return episode


def _tier(level: LevelOfCare) -> str:
    """The level a level stands for on its ladder: itself, or the level it is an alternative
    to."""
    return _ALTERNATIVES.get((level.scheme, level.code), level.code)


def _passed_over(move: Transition, chain: tuple[LevelOfCare, ...]) -> list[str]:
    """The levels a step down passes over, by tier, in the pathway's order: "3.5 (or 3.3)" for
    a tier with an alternative passed over too; none for the ends' own tiers."""
    between = chain[chain.index(move.to_level) + 1 : chain.index(move.from_level)]
    ends = {_tier(move.from_level), _tier(move.to_level)}
    tiers: dict[str, list[str]] = {}
    for level in between:
        tier = _tier(level)
        if tier not in ends:
            tiers.setdefault(tier, []).append(level.code)
    names = []
    for tier, codes in tiers.items():
        others = [code for code in codes if code != tier]
        names.append(tier if not others else f"{tier} (or {', '.join(others)})")
    return names


def _skipped_levels(context: RuleContext) -> Iterator[Finding]:
    episode = _episode(context)
    chains = episode.continuum.pathways
    for i, move in enumerate(episode.transitions):
        if move.direction is not Direction.STEP_DOWN or move.reason:
            continue
        names = _passed_over(move, chains[move.from_level.pathway])
        if names:
            listed = ", ".join(names)
            yield context.finding(
                f"The step down from {move.from_level} to {move.to_level} on {move.on} skips "
                f"{listed} and gives no reason. Stepping down past levels is routine (a client "
                "moves to the level the assessment finds); a reason completes the record.",
                expected="a reason for a step down that skips levels",
                found=f"no reason; skipped {listed}",
                path=f"stays[{i + 1}].reason",
            )


def _discharge_to_nothing(context: RuleContext) -> Iterator[Finding]:
    episode = _episode(context)
    discharge = episode.discharge_record
    if discharge is None or discharge.referred_to is not None:
        return
    last = episode.stays[-1].level
    if not last.is_24_hour:
        return
    if discharge.reason not in _LEFT_CARE:
        yield context.finding(
            f"Discharged on {discharge.on} straight from {last}, a 24-hour level, with no "
            "referral to a next level of care.",
            expected="a referral (discharge(..., referred_to=level)) from a 24-hour level",
            found="no referral",
            path="discharge_record.referred_to",
        )
    elif discharge.note is None:
        yield context.finding(
            f"Discharged on {discharge.on} from {last}, a 24-hour level "
            f"({discharge.reason.value}), with no referral and no note of an attempt to make "
            "one.",
            expected="a referral, or a documented attempt at one (discharge(..., note=...)), "
            f"when the client {_LEFT_CARE[discharge.reason]}",
            found="no referral and no discharge note",
            path="discharge_record.note",
            severity=Severity.WARNING,
        )


def _unassessed(
    context: RuleContext, episode: Episode, i: int, move: Transition, kind: str
) -> Iterator[Finding]:
    """A finding when the move into `episode.stays[i + 1]` rests on no assessment dated from
    the start of the stay being left to the day of the move."""
    since = episode.stays[i].start  # the stay being left: an assessment from it or later is new
    assessment = move.assessment
    on = getattr(assessment, "on", None)
    if assessment is None or on is None or not since <= on <= move.on:
        found = "none" if assessment is None else f"an assessment of {on}"
        yield context.finding(
            f"The {kind} from {move.from_level} to {move.to_level} on {move.on} rests on no new "
            "assessment.",
            expected=f"an assessment dated from {since} to {move.on}",
            found=found,
            path=f"stays[{i + 1}].assessment",
        )


def _step_up_without_assessment(context: RuleContext) -> Iterator[Finding]:
    episode = _episode(context)
    for i, move in enumerate(episode.transitions):
        if move.direction is Direction.STEP_UP:
            yield from _unassessed(context, episode, i, move, "step up")


def _transfer_without_reason(context: RuleContext) -> Iterator[Finding]:
    episode = _episode(context)
    for i, move in enumerate(episode.transitions):
        if move.direction is Direction.TRANSFER and not move.reason:
            yield context.finding(
                f"The transfer from {move.from_level} to {move.to_level} on {move.on} gives no "
                "reason.",
                expected="a reason for a transfer between pathways (withdrawal complete, ...)",
                found="no reason",
                path=f"stays[{i + 1}].reason",
            )


def _transfer_into_wm_without_assessment(context: RuleContext) -> Iterator[Finding]:
    episode = _episode(context)
    for i, move in enumerate(episode.transitions):
        if move.direction is Direction.TRANSFER and move.to_level.pathway == WITHDRAWAL_MANAGEMENT:
            yield from _unassessed(context, episode, i, move, "transfer into withdrawal management")


def _delivered_on(episode: Episode, level: LevelOfCare, day: date) -> bool:
    """Whether the episode delivers `level` on `day`: as the main stay, or as a service
    alongside it."""
    if episode.level_on(day) == level:
        return True
    return any(
        s.level == level and s.start <= day and (s.end is None or day < s.end)
        for s in episode.concurrent
    )


def _renewed(episode: Episode, grant: Authorization) -> bool:
    """Whether a newer authorization of `grant`'s pathway (or concurrent level) is recorded:
    one that starts after it."""
    lane = _lane(grant.level)
    return any(
        other.start > grant.start and _lane(other.level) == lane for other in episode.authorizations
    )


def _review_passed(context: RuleContext) -> Iterator[Finding]:
    episode = _episode(context)
    reviewed = [(i, g) for i, g in enumerate(episode.authorizations) if g.next_review is not None]
    if not reviewed:
        return
    on = context.on
    if on is None:
        yield context.finding(
            f"Rule {context.rule.id} judges reviews on a given day and none was given; pass "
            "validate(episode, ruleset, on=day).",
            expected="a day to judge on (validate(..., on=day))",
            found="no day given",
            path=f"authorizations[{reviewed[0][0]}].next_review",
            severity=Severity.INFO,
        )
        return
    for i, grant in reviewed:
        review = grant.next_review
        assert review is not None
        if on <= review or _renewed(episode, grant):
            continue
        if not _delivered_on(episode, grant.level, review):
            continue  # discharged, or moved off the level, by the review: nothing to review
        late = (on - review).days
        yield context.finding(
            f"The authorization of {grant.level} from {grant.start} to {grant.end} was due for "
            f"review on {review}; on {on}, {late} day{'' if late == 1 else 's'} later, no newer "
            "authorization records its outcome.",
            expected=f"a newer authorization of {grant.level.code} (or of the level that "
            f"follows it) by {review}",
            found=f"none recorded by {on}",
            path=f"authorizations[{i}].next_review",
        )


def _stay_past_program_length(context: RuleContext) -> Iterator[Finding]:
    episode = _episode(context)
    for i, stay in enumerate(episode.stays):
        if stay.program is None:
            continue
        end = stay.end if stay.end is not None else context.on
        if end is None:
            continue
        limit = timedelta(weeks=stay.program.max_weeks)
        if end - stay.start > limit:
            days = (end - stay.start).days
            yield context.finding(
                f"The stay at {stay.level} from {stay.start} has lasted {days} days, past its "
                f"program's {stay.program.max_weeks} weeks.",
                expected=f"at most {limit.days} days ({stay.program.weeks} weeks)",
                found=f"{days} days" + ("" if stay.end is not None else f" as of {context.on}"),
                path=f"stays[{i}]",
            )


#: Transition rules: a step down that skips levels without a reason (info: stepping down past
#: levels is routine; levels that are alternatives, such as ASAM3 3.3 beside 3.5, are not
#: counted), a discharge from a 24-hour level straight to nothing (error; a warning, asking for
#: a documented attempt in the discharge note, when the client left against medical advice or
#: was lost to contact), a step up with no new assessment (error), a transfer between pathways
#: without a reason (info), a transfer into withdrawal management with no new assessment
#: (error), a stay past its program's maximum length (warning; an open stay is measured to the
#: day given to ``validate(..., on=day)``), an authorization whose review day has passed, on
#: the day given, with no newer authorization of its pathway (warning; none while the client
#: was no longer at the level on the review day).
EPISODE_RULES = RuleSet(
    "EPISODE_RULES",
    "2026.3",
    [
        Rule(
            "EPISODE-STEP-DOWN-SKIPS-LEVELS",
            "A step down that skips levels gives a reason",
            source=_ANY_LEVEL,
            check=_skipped_levels,
            severity=Severity.INFO,
            judges=Episode,
            tags=("transition",),
        ),
        Rule(
            "EPISODE-24H-DISCHARGE-REFERRAL",
            "No discharge from a 24-hour level straight to nothing",
            source=_DISCHARGE,
            check=_discharge_to_nothing,
            judges=Episode,
            tags=("transition",),
        ),
        Rule(
            "EPISODE-STEP-UP-ASSESSED",
            "A step up rests on a new assessment",
            source=_PRINCIPLE,
            check=_step_up_without_assessment,
            judges=Episode,
            tags=("transition",),
        ),
        Rule(
            "EPISODE-TRANSFER-REASON",
            "A transfer between pathways gives a reason",
            source=_PATHWAYS,
            check=_transfer_without_reason,
            severity=Severity.INFO,
            judges=Episode,
            tags=("transition",),
        ),
        Rule(
            "EPISODE-TRANSFER-INTO-WM-ASSESSED",
            "A transfer into withdrawal management rests on a new assessment",
            source=_PATHWAYS,
            check=_transfer_into_wm_without_assessment,
            judges=Episode,
            tags=("transition",),
        ),
        Rule(
            "EPISODE-STAY-WITHIN-PROGRAM",
            "A stay lasts no longer than its program",
            source=_PRINCIPLE,
            check=_stay_past_program_length,
            severity=Severity.WARNING,
            judges=Episode,
            tags=("length",),
        ),
        Rule(
            "EPISODE-AUTHORIZATION-REVIEWED",
            "An authorization past its review day has a newer one",
            source=_REVIEW,
            check=_review_passed,
            severity=Severity.WARNING,
            judges=Episode,
            tags=("authorization", "dated"),
        ),
    ],
    description="How a well-documented episode moves along the continuum. A documentation "
    "standard drawn from the domain notes, not a payer's rule: findings, never refusals. "
    "Routine care (a step down past levels, a transfer out of withdrawal management) is at "
    "most noted. An authorization past its review day (on the day given to validate) asks for "
    "the review's outcome, a newer authorization.",
)
