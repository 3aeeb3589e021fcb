"""Medicare's per-diem tiers for IOP and PHP days: services counted as billed service units.

Medicare pays intensive outpatient and partial hospitalization days per diem, in two tiers: days
with 3 services and days with 4 or more. The services are billed units, and group
psychotherapy (G0410) is a timed unit of about 45 to 50 minutes, so a 3-hour group day holds
several services, not one. `per_diem_days` counts each program day's units from what was
delivered; the rule ``MEDICARE-PER-DIEM-TIERS`` of `MEDICARE_2024` summarises the same count.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from typing import Literal

import attrs
import pendulum
from pendulum import WeekDay

from .._errors import InvalidTypeError, InvalidValueError
from .._frozen import value_eq, value_hash
from .._measures import WeekFigures, Weekly, weeks_of
from .._program import Service, _us
from .._rules import (
    _BUILD_FINDING,
    _EMITTERS,
    _MAYBE,
    _PARAM_CHECKS,
    _SCREENS,
    _WARNING,
    Emitter,
    Explanation,
    Finding,
    Rule,
    RuleContext,
    Screen,
    _in_context,
    _Scope,
)
from .._text import summary, value_repr
from .._validators import (
    check_day,
    check_enum,
    check_int,
    check_number,
    check_optional_day,
    check_str,
    check_weekday,
    tuple_of,
)

__all__ = ["PerDiemDay", "PerDiemPeriod", "PerDiemTier", "per_diem_days", "per_diem_periods"]

# The default length of one billed service unit, in minutes: group psychotherapy in an IOP or
# PHP (HCPCS G0410) is "approximately 45 to 50 minutes"; the rule takes the lower end.
_UNIT_MINUTES = 45

_US_PER_MINUTE = 60_000_000


class PerDiemTier(enum.Enum):
    """Medicare's per-diem tier of one IOP or PHP day, by its billed service units.

    Each tier has a hospital-based and a community mental health center (CMHC) payment; for
    community mental health center IOP they are APC 5851 (3 services) and APC 5852 (4 or more),
    as `BILLING_CODES` cites them.

    >>> PerDiemTier.of(3), PerDiemTier.of(5).value
    (<PerDiemTier.THREE: '3 services'>, '4 or more services')
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    #: Fewer than 3 service units: below the 3-service tier.
    BELOW_THREE = "fewer than 3 services"
    THREE = "3 services"
    FOUR_OR_MORE = "4 or more services"

    @classmethod
    def of(cls, services: int) -> PerDiemTier:
        """The tier of a day holding `services` service units."""
        return _tier(check_int("services", services, minimum=0))


# The members by name, read once: on Python 3.11 each read of a member from its class goes
# through the enum type's ``__getattr__`` hook, a cost per call on the hot path.
_TIERS = _BELOW_THREE, _THREE, _FOUR_OR_MORE = tuple(PerDiemTier)


def _tier(services: int) -> PerDiemTier:
    if services >= 4:
        return _FOUR_OR_MORE
    return _THREE if services == 3 else _BELOW_THREE


@attrs.frozen(init=False)
class PerDiemDay:
    """One program day and the service units it holds, as Medicare's per-diem tiers count them.

    Args:
        week: The week the day belongs to, as findings name it ("the typical week", "the week
            of 2026-03-02 as attended").
        weekday: The day of the week.
        services: Billed service units delivered on the day (see `per_diem_days`).
        day: The date, for dated subjects (calendars and attendance); None for a program's
            template weeks. It must fall on `weekday`.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message.

    >>> day = PerDiemDay("the typical week", WeekDay.MONDAY, 4)
    >>> day.tier, day.day
    (<PerDiemTier.FOUR_OR_MORE: '4 or more services'>, None)
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    week: str
    weekday: WeekDay
    services: int
    day: pendulum.Date | None

    def __init__(
        self, week: str, weekday: WeekDay | str, services: int, *, day: date | str | None = None
    ) -> None:
        weekday = check_weekday("weekday", weekday)
        if day is not None:
            day = check_day("day", day)
            if day.weekday() != weekday.value:
                raise InvalidValueError("day", day, f"a date on a {weekday.name.title()}")
            if type(day) is not pendulum.Date:
                day = pendulum.Date(day.year, day.month, day.day)
        self.__attrs_init__(
            check_str("week", week), weekday, check_int("services", services, minimum=0), day
        )

    @property
    def tier(self) -> PerDiemTier:
        """The per-diem tier the day's service units reach."""
        return PerDiemTier.of(self.services)


def _unit_us(unit_minutes: object) -> int:
    """One service unit in microseconds, from a positive number of minutes (at most a day)."""
    minutes = check_number(
        "unit_minutes",
        unit_minutes,
        "a positive number of minutes, at most 1440 (a day)",
        kind="a number of minutes",
        above=0,
        maximum=24 * 60,
    )
    return max(round(minutes * _US_PER_MINUTE), 1)


def _units(delivered_us: int, unit_us: int) -> int:
    """Timed units in `delivered_us`: unit k is billed once more than half of it is delivered,
    that is once more than (k - 1/2) units of time have passed (the CPT time rule)."""
    over = 2 * delivered_us - unit_us
    return 0 if over <= 0 else (over + 2 * unit_us - 1) // (2 * unit_us)


def _day_units(week: WeekFigures, unit_us: int) -> dict[int, int]:
    """The service units of each program day of `week` (weekday -> units).

    Each service's delivered time on the day is summed (a claim bills one line per service and
    date, with its units) and turned into units. A session's entry may hold less time than the
    session offers (a PARTIAL attendance record): the time is read as attended from the start,
    filling the session's clinical segments in order.
    """
    units: dict[int, int] = {}
    last = -1
    for weekday, us, _, session in week._entries:
        # The common case, in one pass: one session a day (Monday first), a program day, of
        # one segment (clinical: a session has one), whose time is that service's on the day.
        if weekday <= last or not session.program_day or len(session.segments) != 1:
            break
        clinical = session._clinical_us
        units[weekday] = _units(us if us < clinical else clinical, unit_us)
        last = weekday
    else:
        return units
    program: set[int] = set()
    served: dict[tuple[int, Service], int] = {}  # (weekday, service) -> delivered time
    for weekday, us, _, session in week._entries:
        if session.program_day:
            program.add(weekday)
        segments = session.segments
        if len(segments) == 1:  # one segment, clinical (a session has one): all of `us`
            key = (weekday, segments[0].service)
            served[key] = served.get(key, 0) + min(us, session._clinical_us)
            continue
        left = us
        for segment in segments:
            if left <= 0:
                break
            if segment.is_clinical:
                taken = min(_us(segment.duration), left)
                key = (weekday, segment.service)
                served[key] = served.get(key, 0) + taken
                left -= taken
    units = {}
    ordered, last = True, -1
    for (weekday, _), us in served.items():
        if weekday in program:  # a separate appointment's day that is no program day: not billed
            units[weekday] = units.get(weekday, 0) + _units(us, unit_us)
            ordered, last = ordered and weekday >= last, weekday
    # Monday first: a program's sessions come in weekday order already, a calendar's may not.
    return units if ordered else dict(sorted(units.items()))


def per_diem_days(
    subject: object, *, unit_minutes: float = _UNIT_MINUTES
) -> tuple[PerDiemDay, ...]:
    """Every program day of a program, calendar or attendance, with its billed service units
    and per-diem tier, week by week.

    Medicare's IOP and PHP per-diem tiers count billed service units. Here each clinical
    service's time on a program day is summed and cut into timed units of `unit_minutes`, a
    unit counting once more than half of it is delivered (the CPT time rule: "a unit of time is
    attained when the midpoint is passed"). With the default 45 minutes, 23 minutes of a
    service make 1 unit, 68 make 2, 113 make 3 and 158 make 4: a 3-hour group day holds 4.
    Days that are not program days (a separate appointment, see `Session.program_day`) are not
    listed; a separate appointment on a program day adds to that day.

    What was delivered is what counts: an attendance's days hold what the client attended. A
    PARTIAL record says how much clinical time was attended, not which part; it is read as
    attended from the start of the session (the client arrived and left early), so 20 minutes
    of a 3-hour session are 20 minutes of its first segment, not a share of every service.

    The library's services carry no billing codes, so every clinical service is counted as a
    timed service of `unit_minutes`; untimed codes (an evaluation) and services billed outside
    the per diem are not told apart.

    Args:
        subject: A `ProgramStructure`, a `Calendar` or an `Attendance` (any subject with weeks).
        unit_minutes: The length of one service unit, in minutes (45: group psychotherapy,
            G0410, is "approximately 45 to 50 minutes").

    Returns:
        One `PerDiemDay` per program day, in order of weeks and weekdays; dated for calendars
        and attendance.

    Raises:
        InvalidTypeError: `subject` has no weeks, or `unit_minutes` is not a number.
        InvalidValueError: `unit_minutes` is not a positive number of minutes up to a day.

    >>> import carecontinuum as cc
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=3, weeks=8)
    >>> [(d.weekday.name, d.services, d.tier.value) for d in per_diem_days(p)]
    [('MONDAY', 4, '4 or more services'), ('WEDNESDAY', 4, '4 or more services'),
     ('FRIDAY', 4, '4 or more services')]
    >>> [d.services for d in per_diem_days(p, unit_minutes=60)]
    [3, 3, 3]
    """
    unit_us = _unit_us(unit_minutes)
    if not isinstance(subject, Weekly):
        raise InvalidTypeError(
            "subject", subject, "a subject with weeks (a program, a calendar or an attendance)"
        )
    weeks = weeks_of(subject)
    mondays = _mondays(subject, len(weeks))
    return tuple(
        PerDiemDay(
            week.label,
            WeekDay(weekday),
            units,
            day=None if monday is None else monday.add(days=weekday),
        )
        for week, monday in zip(weeks, mondays, strict=True)
        for weekday, units in _day_units(week, unit_us).items()
    )


@attrs.frozen(init=False)
class PerDiemPeriod:
    """A week's or a claim period's program days, summed: how many days reached each per-diem
    tier and how many service units they held.

    Args:
        label: The period, as `per_diem_periods` names it: a week as findings name it ("the
            week of 2026-03-02 as attended"), or a month ("2026-03").
        days: The program days of the period, each a `PerDiemDay`, in order.
        first: The period's first day, for dated subjects; None for a program's template
            weeks (then `last` is None too, and so is every day's `PerDiemDay.day`).
        last: The period's last day (inclusive), on or after `first`.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, or a day outside the period,
            named in the message.

    >>> monday = PerDiemDay("week 1", WeekDay.MONDAY, 4)
    >>> friday = PerDiemDay("week 1", WeekDay.FRIDAY, 2)
    >>> week = PerDiemPeriod("week 1", [monday, friday])
    >>> week.services, week.days_at(PerDiemTier.FOUR_OR_MORE), week.billable_days
    (6, 1, 1)
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    label: str
    days: tuple[PerDiemDay, ...]
    first: pendulum.Date | None
    last: pendulum.Date | None

    def __init__(
        self,
        label: str,
        days: Iterable[PerDiemDay],
        *,
        first: date | str | None = None,
        last: date | str | None = None,
    ) -> None:
        label = check_str("label", label)
        days = tuple_of("days", days, PerDiemDay, "PerDiemDay values")
        first, last = _pendulum_day("first", first), _pendulum_day("last", last)
        if (first is None) != (last is None):
            raise InvalidValueError(
                "last" if last is None else "first", None, "both first and last, or neither"
            )
        if first is not None and last is not None and last < first:
            raise InvalidValueError("last", last, f"on or after first ({first})")
        for i, day in enumerate(days):
            if first is None and day.day is not None:
                raise InvalidValueError(
                    f"days[{i}].day", day.day, "no date in a period without first and last"
                )
            if (
                first is not None
                and last is not None
                and not (day.day is not None and first <= day.day <= last)
            ):
                raise InvalidValueError(f"days[{i}].day", day.day, f"a date from {first} to {last}")
        self.__attrs_init__(label, days, first, last)

    @property
    def services(self) -> int:
        """The service units of all its days."""
        return sum(day.services for day in self.days)

    def days_at(self, tier: PerDiemTier | str) -> int:
        """How many of its days reached `tier`."""
        tier = check_enum("tier", tier, PerDiemTier)
        return sum(day.tier is tier for day in self.days)

    @property
    def billable_days(self) -> int:
        """Its days of 3 service units or more: those a per-diem tier pays."""
        return sum(day.tier is not PerDiemTier.BELOW_THREE for day in self.days)

    def __str__(self) -> str:
        """The period, its days and services, and its days by tier.

        >>> print(PerDiemPeriod("week 1", [PerDiemDay("week 1", WeekDay.MONDAY, 4)]))
        week 1: 1 day, 4 services; 1 at 4 or more services
        """
        counts = {tier: self.days_at(tier) for tier in reversed(PerDiemTier)}
        tiers = "; ".join(f"{count} at {tier.value}" for tier, count in counts.items() if count)
        days = len(self.days)
        head = f"{self.label}: {days} day{'' if days == 1 else 's'}, {self.services} services"
        return summary(f"{head}; {tiers}" if tiers else head)


def per_diem_periods(
    subject: object, *, per: Literal["week", "month"] = "week", unit_minutes: float = _UNIT_MINUTES
) -> tuple[PerDiemPeriod, ...]:
    """The program days of a program, calendar or attendance (`per_diem_days`), summed per
    week or per calendar month: what a week's or a claim's per-diem lines add up to.

    Medicare pays IOP and PHP days per diem, and institutional claims for a continuing course of
    outpatient treatment are billed for a span of days, commonly a calendar month (the
    contractors' "repetitive services" instructions ask for monthly claims, or one at the end of
    treatment). Which span a provider's claims cover is its own practice: ``per="month"`` sums
    calendar months; for other spans, sum the days of `per_diem_days` yourself.

    Args:
        subject: A `ProgramStructure`, a `Calendar` or an `Attendance`.
        per: ``"week"`` (each week of the subject, as `per_diem_days` labels them) or
            ``"month"`` (each calendar month a dated subject has program days in; a program's
            template weeks have no months).
        unit_minutes: The length of one service unit, as `per_diem_days` takes it.

    Returns:
        One `PerDiemPeriod` per week or month holding program days, in order; a dated period
        runs from the week's Monday to its Sunday, or from the month's first day to its last.

    Raises:
        InvalidTypeError: as `per_diem_days`.
        InvalidValueError: `per` is neither, or ``"month"`` for an undated program.

    >>> import carecontinuum as cc
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=3, weeks=8)
    >>> calendar = cc.expand(p, "2026-03-02", "America/New_York")
    >>> [(m.label, len(m.days), m.services) for m in per_diem_periods(calendar, per="month")]
    [('2026-03', 13, 52), ('2026-04', 11, 44)]
    """
    if not isinstance(per, str) or per not in ("week", "month"):
        raise InvalidValueError("per", per, "'week' or 'month'")
    days = per_diem_days(subject, unit_minutes=unit_minutes)
    groups: dict[str, list[PerDiemDay]] = {}
    if per == "week":
        for day in days:
            groups.setdefault(day.week, []).append(day)
        return tuple(_period(label, group, week=True) for label, group in groups.items())
    if days and days[0].day is None:
        raise InvalidValueError(
            "per", per, "'week' for a program's template weeks (they have no dates, so no months)"
        )
    for day in days:
        assert day.day is not None  # dated subjects date every day
        groups.setdefault(f"{day.day.year:04d}-{day.day.month:02d}", []).append(day)
    return tuple(_period(label, group, week=False) for label, group in groups.items())


def _pendulum_day(field: str, value: object) -> pendulum.Date | None:
    day = check_optional_day(field, value)
    if day is None or type(day) is pendulum.Date:
        return day
    return pendulum.Date(day.year, day.month, day.day)


def _period(label: str, days: list[PerDiemDay], *, week: bool) -> PerDiemPeriod:
    some = days[0].day
    if some is None:
        return PerDiemPeriod(label, days)
    if week:
        first = some.subtract(days=some.weekday())
        return PerDiemPeriod(label, days, first=first, last=first.add(days=6))
    first = some.replace(day=1)
    return PerDiemPeriod(label, days, first=first, last=first.add(months=1).subtract(days=1))


def _mondays(subject: object, count: int) -> tuple[pendulum.Date | None, ...]:
    """The Monday of each of the subject's weeks, for dated subjects (Nones for templates)."""
    from .._attendance import Attendance  # noqa: PLC0415 (calendars load only when used)
    from .._calendar import Calendar  # noqa: PLC0415 (as above)

    calendar = subject.calendar if isinstance(subject, Attendance) else subject
    if isinstance(calendar, Calendar):
        return tuple(week.monday for week in calendar.by_week())
    return (None,) * count


# ---- the rule's check -------------------------------------------------------------------------


def _check_per_diem_tiers(context: RuleContext) -> list[Finding]:
    """``MEDICARE-PER-DIEM-TIERS``: one finding summarising the subject's days by tier (INFO),
    a WARNING when some program day holds fewer than 3 service units."""
    rule = context.rule
    key = ("per-diem emitter", rule.id)
    made: tuple[Rule, Emitter] | None = context.ruleset._plans.get(key)
    if made is None or made[0] is not rule:  # what `_memo` does, for this very rule
        made = context.ruleset._plans[key] = (rule, _per_diem_emitter(rule))
    return made[1](context._scope(), context.weeks)


def _per_diem_emitter(rule: Rule) -> Emitter:
    """`_check_per_diem_tiers` as an emitter for `rule` (see `_EMITTERS`), its unit length
    read once."""
    unit_minutes = rule.param("unit_minutes")
    unit_us = _unit_us(unit_minutes)
    rule_id, severity, source = rule.id, rule.severity, rule.source

    def emit(scope: _Scope, weeks: tuple[WeekFigures, ...]) -> list[Finding]:
        days: list[int] = []  # the units of each program day, week by week
        with_days = 0
        for week in weeks:
            units = _day_units(week, unit_us)
            if units:
                with_days += 1
                days.extend(units.values())
        # What `_defer_in` makes, with the WARNING when a day is below the tier (the tiers
        # rise with the units, so the day with the fewest says); the tiers are counted when
        # the text is first read.
        deferred = (_in_context, (_explain_tiers, scope, days, with_days, unit_minutes))
        below = bool(days) and _tier(min(days)) is _BELOW_THREE
        return [_BUILD_FINDING(
            rule_id, _WARNING if below else severity, deferred, deferred, deferred, "", source,
            deferred,
        )]  # fmt: skip

    return emit


def _per_diem_screen(rule: Rule) -> Screen | None:
    """`_check_per_diem_tiers` always finds its summary, of a severity only the units tell (a
    WARNING below the tier): only running it can tell, but it runs without a context. None
    for a rule whose unit its check refuses (a rule built past `override`'s checks): its
    check runs, and reports the error."""
    try:
        _unit_us(rule.param("unit_minutes"))
    except Exception:  # its check says what is wrong, as a finding
        return None
    return _may_find


def _may_find(subject: object, weeks: tuple[WeekFigures, ...]) -> int:
    return _MAYBE


# An overridden unit length must be one the check takes.
_PARAM_CHECKS[_check_per_diem_tiers] = lambda params: _unit_us(params["unit_minutes"])
_EMITTERS[_check_per_diem_tiers] = _per_diem_emitter
_SCREENS[_check_per_diem_tiers] = _per_diem_screen


def _explain_tiers(
    context: RuleContext, days: list[int], with_days: int, unit_minutes: float
) -> Explanation:
    tiers = dict.fromkeys(_TIERS, 0)
    for units in days:
        tiers[_tier(units)] += 1
    low = tiers[PerDiemTier.BELOW_THREE]
    weeks = context.weeks
    if len(weeks) == 1:
        period = f"in {weeks[0].label}"
    else:
        period = f"over {with_days} week{'' if with_days == 1 else 's'} with program days"
    summary = (
        f"{tiers[PerDiemTier.THREE]} day(s) with 3 services, "
        f"{tiers[PerDiemTier.FOUR_OR_MORE]} with 4 or more, {low} with fewer, {period}"
    )
    unit = f"service units of {unit_minutes:g} minutes"
    message = (
        f"{low} program day(s) hold fewer than 3 {unit}, below the 3-service per-diem tier "
        f"({summary})."
        if low
        else f"Per-diem tiers, in {unit}: {summary}."
    )
    return message, f"3 or more {unit} on each program day", summary, None
