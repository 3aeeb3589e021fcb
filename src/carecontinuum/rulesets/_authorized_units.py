"""Authorized units against the care delivered: a rule set built for one client's attendance.

A payer authorizes a level for a period and a number of units: sessions, hours or days, as the
payer says. `authorized_units` compares each authorization of the episode with what the
client's `Attendance` records as delivered in its period, and looks ahead to an authorized
period about to end with sessions still scheduled after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Literal

from .._attendance import Attendance, AttendanceRecord, _local_day
from .._episode import Authorization, Episode, _lane, _program_levels
from .._errors import InvalidTypeError, InvalidValueError
from .._rules import Finding, Rule, RuleContext, RuleSet, Severity, Source
from .._validators import check_int

__all__ = ["authorized_units"]

#: What an authorization's units count, as `authorized_units(unit=...)` takes it.
Unit = Literal["sessions", "hours", "days"]
_UNITS: tuple[str, ...] = ("sessions", "hours", "days")

_SOURCE = Source(
    "carecontinuum authorization checks",
    locator="authorized units and periods",
    note="Payers authorize a level for a period and a number of units, which each payer "
    "defines: sessions, hours (a timed service) or days (a per-diem service such as HCPCS "
    "S9480 or H2036); clinic software records the units beside the level delivered "
    "(carecontinuum domain notes). Units are counted from the attendance: a session attended "
    "in full or in part is one session; hours are the clinical time attended; a day is a "
    "local day with any clinical time attended; absent and excused sessions count nothing. "
    "Delivered care beyond the units authorized is an ERROR: a clinic doing normal care asks "
    "the payer for more units before it uses them up, and the sessions over are care the "
    "payer has not authorized; units used up exactly are no finding. An authorized period "
    "ending within the lead time with sessions still scheduled after it is INFO: every "
    "authorization of a continuing client comes to this point in normal care, and the note "
    "is a reminder to request a continued-stay review. The 7-day default lead time is "
    "carecontinuum's choice (no payer figure is quoted), as for PLAN_RULES' aftercare. A "
    "documentation standard, not a payer's rule.",
)


def _episode(context: RuleContext) -> Episode:
    episode = context.subject
    assert isinstance(episode, Episode)
    return episode


def _delivered(record: AttendanceRecord, attendance: Attendance) -> date | None:
    """The local day a record delivered care on, or None when it delivered none."""
    if record.attended <= timedelta(0):
        return None
    if record.session is not None:
        return record.session.day
    return _local_day(record, attendance.calendar)


def _amount(record: AttendanceRecord, unit: str) -> float:
    if unit == "hours":
        return record.attended.total_seconds() / 3600
    return 1


def _matching(episode: Episode, attendance: Attendance) -> Iterator[tuple[int, Authorization]]:
    """The authorizations the attendance's program delivers: of its level, or of a level it
    corresponds to exactly (a GENERIC IOP program under an ASAM3 2.1 authorization)."""
    level = attendance.calendar.program.level
    for i, grant in enumerate(episode.authorizations):
        if level in _program_levels(grant.level):
            yield i, grant


def _other_client(episode: Episode, attendance: Attendance) -> bool:
    return attendance.client_id is not None and attendance.client_id != episode.client_id


def _units_exceeded(attendance: Attendance) -> Callable[[RuleContext], Iterator[Finding]]:
    def check(context: RuleContext) -> Iterator[Finding]:
        episode = _episode(context)
        if _other_client(episode, attendance):
            yield context.finding(
                f"The attendance is client {attendance.client_id!r}'s, the episode client "
                f"{episode.client_id!r}'s: units are compared for one client.",
                expected=f"the attendance of client {episode.client_id!r}",
                found=f"client {attendance.client_id!r}",
                path="client_id",
            )
            return
        unit = context.param("unit")
        delivered = sorted(
            (day, _amount(record, unit), n)
            for n, record in enumerate(attendance.records)
            if (day := _delivered(record, attendance)) is not None
        )
        for i, grant in _matching(episode, attendance):
            if grant.units is None:
                continue
            used: float = 0
            over: date | None = None
            days: set[date] = set()
            for day, amount, _ in delivered:
                if not grant.start <= day <= grant.end:
                    continue
                if unit == "days":
                    if day in days:
                        continue
                    days.add(day)
                used += amount
                if over is None and used > grant.units:
                    over = day
            if over is not None:
                yield context.finding(
                    f"The authorization of {grant.level} from {grant.start} to {grant.end} "
                    f"allows {grant.units} {unit}; {used:g} {unit} were delivered in it, past "
                    f"the authorization from {over}.",
                    expected=f"at most {grant.units} {unit} delivered",
                    found=f"{used:g} {unit} delivered (over from {over})",
                    path=f"authorizations[{i}].units",
                )

    return check


def _period_ending(attendance: Attendance) -> Callable[[RuleContext], Iterator[Finding]]:
    def check(context: RuleContext) -> Iterator[Finding]:
        episode = _episode(context)
        if _other_client(episode, attendance):
            return  # said once, by the units rule
        grants = list(_matching(episode, attendance))
        if not grants:
            return
        on = context.on
        if on is None:
            yield context.finding(
                f"Rule {context.rule.id} looks ahead from a given day and none was given; pass "
                "validate(episode, ruleset, on=day).",
                expected="a day to judge on (validate(..., on=day))",
                found="no day given",
                path=f"authorizations[{grants[0][0]}].end",
                severity=Severity.INFO,
            )
            return
        lead = context.param("lead_days")
        discharged = episode.discharged_on
        for i, grant in grants:
            # Compared as a count of days: adding to the end could leave the calendar.
            left = grant.end.toordinal() - on.toordinal()
            if not 0 <= left <= lead:
                continue
            planned = [
                s for s in attendance.calendar.sessions
                if s.day > grant.end and (discharged is None or s.day < discharged)
            ]  # fmt: skip
            if not planned:
                continue
            lane, first = _lane(grant.level), planned[0].day
            if any(
                _lane(g.level) == lane and grant.end < g.start <= first <= g.end
                for g in episode.authorizations
            ):
                continue  # the next period is authorized already
            yield context.finding(
                f"The authorization of {grant.level} ends on {grant.end}, {left} "
                f"day{'' if left == 1 else 's'} after {on}, and {len(planned)} "
                f"session{'' if len(planned) == 1 else 's'} are scheduled after it, from "
                f"{planned[0].day}: request the next authorization.",
                expected=f"an authorization from {grant.end + timedelta(days=1)} for the "
                "sessions scheduled after this one ends",
                found=f"{len(planned)} scheduled after {grant.end}, none authorized",
                path=f"authorizations[{i}].end",
            )

    return check


def authorized_units(
    attendance: Attendance, *, unit: Unit = "sessions", lead_days: int = 7
) -> RuleSet:
    """The rule set that judges an episode's authorizations against one client's attendance.

    Validate the episode with it (``validate(episode, authorized_units(attendance), on=day)``,
    alone or with ``|`` beside `EPISODE_RULES`). Its two rules judge each authorization of the
    level the attendance's program is at (or a level it corresponds to exactly):

    - ``AUTH-UNITS-EXCEEDED`` (ERROR): more units delivered in the authorization's period
      than it authorizes. Units used up exactly are no finding; one over is.
    - ``AUTH-PERIOD-ENDING`` (INFO): on the day given to `validate`, the period ends within
      `lead_days` days (the end day itself included; none once it has ended) while the
      calendar still schedules sessions after it (before the discharge, if any) and no
      authorization of the level's pathway follows it. Without a day, an INFO finding says
      that the rule needs one.

    A unit is what the payer authorized: ``"sessions"`` (a session attended, in full or in
    part, is one), ``"hours"`` (clinical time attended) or ``"days"`` (a local day with any
    clinical time attended). Absent and excused sessions count nothing; extra sessions count.
    Both figures are rule parameters, so ``.override("AUTH-PERIOD-ENDING", lead_days=3)``
    changes one on the rule set.

    Args:
        attendance: The client's attendance at the program of the authorized level.
        unit: What the authorizations' units count.
        lead_days: How many days before an authorization ends to say so (0: on its last day
            only).

    Raises:
        InvalidTypeError: `attendance` is not an `Attendance`, or `lead_days` not an int.
        InvalidValueError: `unit` is not one of the three, or `lead_days` is negative.

    >>> import pendulum
    >>> import carecontinuum as cc
    >>> from carecontinuum.catalogs import GENERIC
    >>> iop = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                  hours_per_session=3, weeks=4)
    >>> calendar = cc.expand(iop, pendulum.date(2026, 6, 1), "UTC")
    >>> attended = cc.Attendance(calendar, [
    ...     cc.AttendanceRecord(s, cc.AttendanceStatus.PRESENT) for s in calendar.sessions[:7]])
    >>> episode = (cc.Episode.admit("c-1", "IOP", pendulum.date(2026, 6, 1), continuum=GENERIC)
    ...            .authorize("IOP", pendulum.date(2026, 6, 1), pendulum.date(2026, 6, 14),
    ...                       units=5))
    >>> report = cc.validate(episode, authorized_units(attended), on=pendulum.date(2026, 6, 10))
    >>> for f in report.findings:
    ...     print(f.rule_id, f.severity.name, "-", f.found)
    AUTH-UNITS-EXCEEDED ERROR - 6 sessions delivered (over from 2026-06-12)
    AUTH-PERIOD-ENDING INFO - 6 scheduled after 2026-06-14, none authorized
    """
    if not isinstance(attendance, Attendance):
        raise InvalidTypeError("attendance", attendance, "an Attendance")
    if not isinstance(unit, str) or unit not in _UNITS:
        raise InvalidValueError("unit", unit, "'sessions', 'hours' or 'days'")
    lead = check_int("lead_days", lead_days, minimum=0)
    return RuleSet(
        "AUTHORIZED_UNITS",
        "2026.1",
        [
            Rule(
                "AUTH-UNITS-EXCEEDED",
                "Care delivered stays within the units authorized",
                source=_SOURCE,
                check=_units_exceeded(attendance),
                judges=Episode,
                params={"unit": unit},
                tags=("authorization",),
            ),
            Rule(
                "AUTH-PERIOD-ENDING",
                "An authorized period about to end with care still planned",
                source=_SOURCE,
                check=_period_ending(attendance),
                severity=Severity.INFO,
                judges=Episode,
                params={"lead_days": lead},
                tags=("authorization", "dated"),
            ),
        ],
        description=f"An episode's authorizations against one client's attendance, counted in "
        f"{unit}: care delivered beyond the units authorized (error), and an authorized period "
        f"ending within {lead} days with sessions still scheduled after it (info).",
    )
