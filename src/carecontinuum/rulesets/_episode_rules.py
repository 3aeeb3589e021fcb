"""Transition rules: what a well-documented episode of care looks like, as findings.

The rules judge an `Episode`. None of them stops an operation: moving a client is clinical
judgement, and the episode records it; the rules say what the record lacks.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from .._episode import Direction, Episode
from .._rules import Finding, Rule, RuleContext, RuleSet, Severity, Source

__all__ = ["EPISODE_RULES"]

_PRINCIPLE = Source(
    "carecontinuum continuum-of-care rules",
    note="From the principle the program descriptions state: the least restrictive level "
    "that still meets the client's need, with screening deciding between a higher, the same or "
    "a lower level; and from what clinic software records (an admitting level that never "
    "changes, a history appended and never edited, reasons for the moves). A documentation "
    "standard, not a payer's or a state's rule.",
)


def _episode(context: RuleContext) -> Episode:
    episode = context.subject
    assert isinstance(episode, Episode)
    return episode


def _skipped_levels(context: RuleContext) -> Iterator[Finding]:
    episode = _episode(context)
    chains = episode.continuum.pathways
    for i, move in enumerate(episode.transitions):
        if move.direction is not Direction.STEP_DOWN or move.reason:
            continue
        chain = chains[move.from_level.pathway]
        if move.to_level.pathway != move.from_level.pathway:
            continue
        skipped = chain[chain.index(move.to_level) + 1 : chain.index(move.from_level)]
        if skipped:
            names = ", ".join(level.code for level in skipped)
            yield context.finding(
                f"The step down from {move.from_level} to {move.to_level} on {move.on} skips "
                f"{names} and gives no reason.",
                expected="a reason for a step down that skips levels",
                found=f"no reason; skipped {names}",
                path=f"stays[{i + 1}].reason",
            )


def _discharge_to_nothing(context: RuleContext) -> Iterator[Finding]:
    episode = _episode(context)
    discharge = episode.discharge_record
    if discharge is None or discharge.referred_to is not None:
        return
    last = episode.stays[-1].level
    if last.is_24_hour:
        yield context.finding(
            f"Discharged on {discharge.on} straight from {last}, a 24-hour level, with no "
            "referral to a next level of care.",
            expected="a referral (discharge(..., referred_to=level)) from a 24-hour level",
            found="no referral",
            path="discharge_record.referred_to",
        )


def _step_up_without_assessment(context: RuleContext) -> Iterator[Finding]:
    episode = _episode(context)
    stays = episode.stays
    for i, move in enumerate(episode.transitions):
        if move.direction is not Direction.STEP_UP:
            continue
        since = stays[i].start  # the stay being left: an assessment from it or later is new
        assessment = move.assessment
        on = getattr(assessment, "on", None)
        if assessment is None or on is None or not since <= on <= move.on:
            found = "none" if assessment is None else f"an assessment of {on}"
            yield context.finding(
                f"The step up from {move.from_level} to {move.to_level} on {move.on} rests on "
                "no new assessment.",
                expected=f"an assessment dated from {since} to {move.on}",
                found=found,
                path=f"stays[{i + 1}].assessment",
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


#: Transition rules: a step down that skips levels without a reason (warning), a discharge from
#: a 24-hour level straight to nothing (error), a step up with no new assessment (error), a stay
#: past its program's maximum length (warning; an open stay is measured to the day given to
#: ``validate(..., on=day)``).
EPISODE_RULES = RuleSet(
    "EPISODE_RULES",
    "2026.1",
    [
        Rule(
            "EPISODE-STEP-DOWN-SKIPS-LEVELS",
            "A step down that skips levels gives a reason",
            source=_PRINCIPLE,
            check=_skipped_levels,
            severity=Severity.WARNING,
            judges=Episode,
            tags=("transition",),
        ),
        Rule(
            "EPISODE-24H-DISCHARGE-REFERRAL",
            "No discharge from a 24-hour level straight to nothing",
            source=_PRINCIPLE,
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
            "EPISODE-STAY-WITHIN-PROGRAM",
            "A stay lasts no longer than its program",
            source=_PRINCIPLE,
            check=_stay_past_program_length,
            severity=Severity.WARNING,
            judges=Episode,
            tags=("length",),
        ),
    ],
    description="How a well-documented episode moves along the continuum. A documentation "
    "standard drawn from the domain notes, not a payer's rule: findings, never refusals.",
)
