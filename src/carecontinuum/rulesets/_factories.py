"""Rule factories: the common kinds of intensity rule, each one constructor call with its bounds.

Every factory returns a `Rule` whose thresholds live in its `params` (so rule sets can override
them) and whose check judges each week of the subject: each week of a program's cycle, each
dated week of a calendar, each week of a client's attendance. Weeks the subject's period cuts
short (a calendar starting mid-week) are partial: weekly thresholds do not judge them, and the
weekly-hours rule notes each with an INFO finding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator

from .._errors import InvalidValueError
from .._levels import LevelOfCare
from .._measures import WeekFigures, Weekly
from .._program import Population, ProgramStructure, Service, Session, Track
from .._rules import (
    _BUILD_FINDING,
    _CERTAIN,
    _EMITTERS,
    _MAYBE,
    _NOTHING,
    _PARAM_CHECKS,
    _SCREENS,
    Emitter,
    Explanation,
    Finding,
    Rule,
    RuleContext,
    Screen,
    Severity,
    Source,
    _defer_in,
    _in_context,
    _Scope,
    check_bounds,
)
from .._validators import check_bool, check_number, check_str, enum_tuple

__all__ = [
    "attendance_rate",
    "daily_hours",
    "days_per_week",
    "days_without_service",
    "program_weeks",
    "service_every_day",
    "session_hours",
    "sessions_per_week",
    "typical_weekly_hours",
    "weekly_hours",
]

_US_PER_HOUR = 3_600_000_000
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _bounds(
    at_least: float | None, at_most: float | None, less_than: float | None
) -> dict[str, object]:
    params: dict[str, object] = {"at_least": at_least, "at_most": at_most, "less_than": less_than}
    check_bounds(params)
    if at_least is None and at_most is None and less_than is None:
        raise InvalidValueError(
            "at_least", None, "at least one bound (at_least, at_most, less_than)"
        )
    return params


def _bounds_text(context: RuleContext, unit: str) -> str:
    rule = context.rule
    return context.ruleset._memo(("bounds", rule.id, unit), lambda: _describe_bounds(rule, unit))


def _describe_bounds(rule: Rule, unit: str) -> str:
    params = rule.params
    low, high, below = params.get("at_least"), params.get("at_most"), params.get("less_than")
    parts = []
    if low is not None:
        parts.append(f"at least {low:g}")
    if high is not None:
        parts.append(f"at most {high:g}")
    if below is not None:
        parts.append(f"less than {below:g}")
    return " and ".join(parts) + f" {unit}"


def _rule_bounds(rule: Rule, unit: float) -> tuple[float | None, float | None, float | None]:
    """The rule's bounds (at_least, at_most, less_than) in `unit`s of the value compared (hours
    compared in microseconds, exactly), read once per rule and unit (kept by the frozen rule).
    """
    known: dict[float, tuple[float | None, float | None, float | None]] | None = getattr(
        rule, "_derived", None
    )
    bounds = None if known is None else known.get(unit)
    if bounds is None:
        params = rule.params
        low, high, below = (
            None if bound is None else bound * unit
            for bound in (params.get("at_least"), params.get("at_most"), params.get("less_than"))
        )
        bounds = (low, high, below)
        object.__setattr__(rule, "_derived", {**(known or {}), unit: bounds})
    return bounds


def _side(value: float, bounds: tuple[float | None, float | None, float | None]) -> int:
    """-1 below `bounds`, +1 above, 0 within."""
    low, high, below = bounds
    if low is not None and value < low:
        return -1
    if high is not None and value > high:
        return 1
    if below is not None and value >= below:
        return 1
    return 0


def _outside(context: RuleContext, value: float, unit: float = 1.0) -> int:
    """-1 below the rule's bounds, +1 above, 0 within. Bounds are in `unit`s of `value`."""
    return _side(value, _rule_bounds(context.rule, unit))


def _hours(us: int) -> float:
    return round(us / _US_PER_HOUR, 4)


def _under(context: RuleContext) -> str:
    """Who asks: "under ASAM3, ASAM3 2.1 (Intensive Outpatient Services)"."""
    level = context.level
    return context.ruleset._memo(
        ("under", level),
        lambda: f"under {context.ruleset.name}" + (f", {level}" if level is not None else ""),
    )


def _needs(context: RuleContext, verb: str = "need") -> str:
    """'needs'; for a rule that only notes (INFO), 'would need'."""
    return f"would {verb}" if context.rule.severity is Severity.INFO else f"{verb}s"


def _demand(context: RuleContext, unit: str) -> tuple[str, str, str]:
    """The words every finding of the rule at one level shares, written once per rule set:
    what it asks for in `unit`s (``"at least 9 clinical hours a week"``), the sentence that
    says so from "under" to its period, and the closing note of a rule that only notes."""
    rule, level = context.rule, context.level
    key = ("demand", rule.id, level, unit)
    plans = context.ruleset._plans
    wording: tuple[str, str, str] | None = plans.get(key)
    if wording is None:
        asks = _bounds_text(context, unit)
        wording = plans[key] = (
            asks,
            f"{_under(context)} {_needs(context)} {asks}.",
            _only_noted(context),
        )
    return wording


def _only_noted(context: RuleContext) -> str:
    """The closing sentence of a finding of a rule that only notes (INFO): such rules carry a
    figure whose force is not established (a source that may no longer hold it)."""
    if context.rule.severity is not Severity.INFO:
        return ""
    return " A note, not a judgement: the rule's source says why."


def _clinical_hours(hours: float) -> str:
    return f"{hours:g} clinical hour{'' if hours == 1 else 's'}"


def _count(count: int, what: str) -> str:
    """'1 session', '3 program days'."""
    return f"{count} {what if count != 1 else what.removesuffix('s')}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _make(
    rule_id: str,
    title: str,
    *,
    source: Source,
    check: object,
    params: dict[str, object],
    levels: Iterable[LevelOfCare] | LevelOfCare,
    populations: Iterable[Population | str] | Population | str,
    tracks: Iterable[Track | str] | Track | str,
    severity: Severity | str,
    tags: tuple[str, ...],
    judges: type | tuple[type, ...] = Weekly,
) -> Rule:
    # Checked here, as the caller named it: Rule calls it `id`.
    check_str("rule_id", rule_id)
    return Rule(
        rule_id,
        title,
        source=source,
        check=check,  # type: ignore[arg-type]
        severity=severity,
        judges=judges,
        levels=levels,
        populations=populations,
        tracks=tracks,
        params=params,
        tags=tags,
    )


# ---- weekly hours -----------------------------------------------------------------------------


def _band(rule: Rule) -> tuple[float, float, bool]:
    low = rule.params.get("at_least")
    high = rule.params.get("at_most")
    below = rule.params.get("less_than")
    top = high if high is not None else below if below is not None else math.inf
    return (float(low or 0), float(top), high is not None)


_Bands = tuple[tuple[float, float, bool, LevelOfCare], ...]


def _bands(context: RuleContext) -> _Bands:
    """The weekly-hours bands of the rule set, by floor, that speak to this subject: same
    scheme, same setting (hours alone never make outpatient care residential, or the
    reverse), same population and track. Memoised on the (immutable) rule set."""
    scheme = context.rule.levels[0].scheme if context.rule.levels else None
    outpatient = context.level.is_outpatient if context.level is not None else None
    key = ("weekly-hours bands", scheme, outpatient, context.population, context.track)
    plans = context.ruleset._plans
    found: _Bands | None = plans.get(key)
    if found is None:
        found = plans[key] = _find_bands(context, scheme, outpatient)
    return found


def _find_bands(context: RuleContext, scheme: str | None, outpatient: bool | None) -> _Bands:
    bands = []
    for rule in context.ruleset.rules:
        if "weekly-hours" not in rule.tags or not rule.levels:
            continue
        if rule.levels[0].scheme != scheme:
            continue
        if outpatient is not None and rule.levels[0].is_outpatient != outpatient:
            continue
        if rule.populations and context.population not in rule.populations:
            continue
        if rule.tracks and context.track not in rule.tracks:
            continue
        bands.append((*_band(rule), rule.levels[0]))
    return tuple(sorted(bands, key=lambda b: b[0]))


def _band_text(band: tuple[float, float, bool, LevelOfCare]) -> str:
    low, top, inclusive, level = band
    if top == math.inf:
        return f"{level.code} ({low:g}+)"
    if not low:
        return f"{level.code} ({'up to' if inclusive else 'under'} {top:g})"
    return (
        f"{level.code} ({low:g}-{top:g})"
        if inclusive
        else f"{level.code} ({low:g} to under {top:g})"
    )


def _looks_like(context: RuleContext, hours: float) -> tuple[LevelOfCare | None, str]:
    """The level of the rule set whose weekly-hours band holds `hours` (among the bands that
    speak to this subject), and a sentence saying so; between two bands, no level (so it agrees
    with `classify`) and a sentence naming the bands on either side."""
    bands = _bands(context)
    for band in bands:
        low, top, inclusive, level = band
        if low <= hours and (hours <= top if inclusive else hours < top):
            if level is context.level or level == context.level:
                return None, ""
            plans = context.ruleset._plans
            key = ("looks like", level)
            text: str | None = plans.get(key)
            if text is None:
                text = plans[key] = f" It looks like {level} instead."
            return level, text
    below = [b for b in bands if b[1] <= hours]
    above = [b for b in bands if b[0] > hours]
    name = context.ruleset.name
    if below and above:
        sides = f"between {name}'s bands for {_band_text(below[-1])} and {_band_text(above[0])}"
    elif above:
        sides = f"below {name}'s lowest band, {_band_text(above[0])}"
    elif below:
        sides = f"above {name}'s highest band, {_band_text(below[-1])}"
    else:
        return None, ""
    return None, f" It lies {sides}."


def _unjudged_note(context: RuleContext, week: WeekFigures, why: str) -> Finding:
    return context.finding(
        f"{_capital(week.label)} is not judged against weekly thresholds: {why}.",
        expected="a full, fully recorded week",
        found=why,
        path=week.path,
        severity=Severity.INFO,
    )


def _check_weekly_hours(context: RuleContext) -> list[Finding]:
    return _weekly_hours_emitter(context.rule)(context._scope(), context.weeks)


def _weekly_hours_emitter(rule: Rule) -> Emitter:
    """`_check_weekly_hours` as an emitter for `rule`, what it reads of the rule read once."""
    bounds = _rule_bounds(rule, _US_PER_HOUR)
    rule_id, severity, source = rule.id, rule.severity, rule.source

    def emit(scope: _Scope, weeks: tuple[WeekFigures, ...]) -> list[Finding]:
        found = []
        for week in weeks:
            if week.fraction < 1 or week.unjudged:  # what makes `why_unjudged` say why
                found.append(_unjudged_note(RuleContext(*scope), week, week.why_unjudged))
            elif _side(week.clinical_us, bounds):
                # What `_defer_in` makes, without the call: the hot path of failing checks.
                deferred = (_in_context, (_explain_weekly_hours, scope, week))
                found.append(_BUILD_FINDING(
                    rule_id, severity, deferred, deferred, deferred, week.path, source, deferred
                ))  # fmt: skip
        return found

    return emit


def _explain_weekly_hours(context: RuleContext, week: WeekFigures) -> Explanation:
    hours = _hours(week.clinical_us)
    looks, instead = _looks_like(context, hours)
    asks, demand, noted = _demand(context, "clinical hours a week")
    has = _clinical_hours(hours)
    return (
        f"{_capital(week.label)} has {has}; {demand}{instead}{noted}",
        asks,
        f"{has} in {week.label}",
        looks,
    )


def weekly_hours(
    rule_id: str,
    title: str,
    *,
    source: Source,
    levels: Iterable[LevelOfCare] | LevelOfCare,
    populations: Iterable[Population | str] | Population | str = (),
    tracks: Iterable[Track | str] | Track | str = (),
    at_least: float | None = None,
    at_most: float | None = None,
    less_than: float | None = None,
    severity: Severity | str = Severity.ERROR,
) -> Rule:
    """A rule on clinical hours in each week: ``at_least`` and ``at_most`` are inclusive,
    ``less_than`` exclusive (9 to less than 20 is ASAM's 2.1 band, up to 2.5's floor).

    A week outside the band gets a finding naming the level whose band (in the same rule set,
    for the same population and setting) holds it instead; between two bands, the finding names
    the bands on either side and no level, as `classify` would place it nowhere.

    >>> from carecontinuum.catalogs import GENERIC
    >>> rule = weekly_hours("MY-IOP-HOURS", "IOP weekly hours", source=Source("My state"),
    ...                     levels=GENERIC["IOP"], at_least=9, less_than=20)
    >>> dict(rule.params)
    {'at_least': 9, 'at_most': None, 'less_than': 20}
    """
    return _make(
        rule_id,
        title,
        source=source,
        check=_check_weekly_hours,
        params=_bounds(at_least, at_most, less_than),
        levels=levels,
        populations=populations,
        tracks=tracks,
        severity=severity,
        tags=("intensity", "weekly-hours"),
    )


def _own_bands(scope: _Scope) -> _Bands:
    """The weekly-hours bands of the scope's level among those that speak to its subject
    (`_bands`, of its rule's scheme). Memoised on the (immutable) rule set."""
    _, rule, ruleset, level, population, track, _, _ = scope
    scheme = rule.levels[0].scheme if rule.levels else None
    key = ("own weekly-hours bands", scheme, level, population, track)
    plans = ruleset._plans
    found: _Bands | None = plans.get(key)
    if found is None:
        found = plans[key] = tuple(band for band in _bands(RuleContext(*scope)) if band[3] == level)
    return found


def _outside_own_band(own: _Bands, hours: float) -> bool:
    """Whether the level has a weekly-hours band (`own`) and `hours` lies in none of them: the
    band's own rule reports that week, as an error."""
    for low, top, inclusive, _ in own:
        if low <= hours and (hours <= top if inclusive else hours < top):
            return False
    return bool(own)


def _check_typical_weekly_hours(context: RuleContext) -> list[Finding]:
    return _typical_hours_emitter(context.rule)(context._scope(), context.weeks)


def _typical_hours_emitter(rule: Rule) -> Emitter:
    """`_check_typical_weekly_hours` as an emitter for `rule`, its bounds read once."""
    bounds = _rule_bounds(rule, _US_PER_HOUR)
    rule_id, severity, source = rule.id, rule.severity, rule.source

    def emit(scope: _Scope, weeks: tuple[WeekFigures, ...]) -> list[Finding]:
        found = []
        own: _Bands | None = None
        for week in weeks:
            if week.fraction < 1 or week.unjudged:  # what makes `why_unjudged` say why
                continue  # noted by the weekly-hours rule, judged by none
            side = _side(week.clinical_us, bounds)
            if not side:
                continue
            if own is None:
                own = _own_bands(scope)
            if not _outside_own_band(own, _hours(week.clinical_us)):
                deferred = (_in_context, (_explain_typical_weekly_hours, scope, week, side))
                found.append(_BUILD_FINDING(
                    rule_id, severity, deferred, deferred, deferred, week.path, source, deferred
                ))  # fmt: skip
        return found

    return emit


def _explain_typical_weekly_hours(
    context: RuleContext, week: WeekFigures, side: int
) -> Explanation:
    hours = _hours(week.clinical_us)
    params = context.rule.params
    low, high = params.get("at_least"), params.get("at_most")
    usual = (
        f"{low:g}-{high:g} clinical hours a week"
        if low is not None and high is not None
        else _bounds_text(context, "clinical hours a week")
    )
    return (
        f"{_capital(week.label)} has {_clinical_hours(hours)}, {'more' if side > 0 else 'fewer'} "
        f"than the usual {usual} {_under(context)}: atypical, not another level.",
        f"typically {usual}",
        f"{_clinical_hours(hours)} in {week.label}",
        None,
    )


def typical_weekly_hours(
    rule_id: str,
    title: str,
    *,
    source: Source,
    levels: Iterable[LevelOfCare] | LevelOfCare,
    populations: Iterable[Population | str] | Population | str = (),
    tracks: Iterable[Track | str] | Track | str = (),
    at_least: float | None = None,
    at_most: float | None = None,
    severity: Severity | str = Severity.WARNING,
) -> Rule:
    """A rule on weeks outside a level's *typical* clinical hours (standard outpatient's usual
    1-3), where the level itself runs wider: a WARNING by default. Not a band: it never names
    another level, and `classify` does not decide by it (its tags are not "intensity" or
    "weekly-hours"). A week outside the level's own band (a `weekly_hours` rule of the same
    set) is left to that band's rule, which reports it as an error.

    >>> from carecontinuum.catalogs import GENERIC
    >>> rule = typical_weekly_hours("MY-OP-USUAL", "Usually 1-3 hours", source=Source("S"),
    ...                             levels=GENERIC["OP"], at_least=1, at_most=3)
    >>> rule.severity.value, sorted(rule.tags)
    ('warning', ['typical-hours'])
    """
    return _make(
        rule_id,
        title,
        source=source,
        check=_check_typical_weekly_hours,
        params=_bounds(at_least, at_most, None),
        levels=levels,
        populations=populations,
        tracks=tracks,
        severity=severity,
        tags=("typical-hours",),
    )


# ---- hours on each program day ----------------------------------------------------------------


def _check_daily_hours(context: RuleContext) -> Iterator[Finding]:
    breaks = bool(context.rule.params.get("include_breaks"))
    for week in context.weeks:
        day_us = week.day_span_us if breaks else week.day_us
        for day in week.program_days:
            if _outside(context, day_us[day], _US_PER_HOUR):
                yield context._defer(
                    _explain_daily_hours, (context, week, day, day_us[day]), week.paths_on(day)[0]
                )


def _explain_daily_hours(context: RuleContext, week: WeekFigures, day: int, us: int) -> Explanation:
    hours = _hours(us)
    if context.rule.params.get("include_breaks"):
        unit = "hours of program time on each program day"
        held = f"{hours:g} hour{'' if hours == 1 else 's'} of program time"
    else:
        unit, held = "clinical hours on each program day", _clinical_hours(hours)
    asks, demand, noted = _demand(context, unit)
    return (
        f"{_DAY_NAMES[day]} in {week.label} has {held}; {demand}{noted}",
        asks,
        f"{held} on {_DAY_NAMES[day]}",
        None,
    )


def daily_hours(
    rule_id: str,
    title: str,
    *,
    source: Source,
    levels: Iterable[LevelOfCare] | LevelOfCare,
    populations: Iterable[Population | str] | Population | str = (),
    tracks: Iterable[Track | str] | Track | str = (),
    at_least: float | None = None,
    at_most: float | None = None,
    less_than: float | None = None,
    include_breaks: bool = False,
    severity: Severity | str = Severity.ERROR,
) -> Rule:
    """A rule on the hours of each program day ("at least 3 hours a day").

    By default it counts clinical hours (breaks left out). With ``include_breaks=True`` it
    counts *program time*: each session from start to end, breaks within it included (for
    attendance, in the share of the session attended), which is what a rule on the hours a
    program operates or offers a day asks ("a program that operates at least 3 hours a day"):
    a three-hour session with a 15-minute break operates 3 hours and holds 2.75 clinical hours.
    Separate appointments on a program day count either way. ``include_breaks`` is a parameter
    of the rule (``rule.params``), so `RuleSet.override` can change it.

    >>> from carecontinuum.catalogs import GENERIC
    >>> rule = daily_hours("X", "3 hours a day", source=Source("S"), levels=GENERIC["IOP"],
    ...                    at_least=3, include_breaks=True)
    >>> rule.tags == {"intensity", "daily-hours"}, rule.params["include_breaks"]
    (True, True)
    """
    params = _bounds(at_least, at_most, less_than)
    params["include_breaks"] = check_bool("include_breaks", include_breaks)
    return _make(
        rule_id,
        title,
        source=source,
        check=_check_daily_hours,
        params=params,
        levels=levels,
        populations=populations,
        tracks=tracks,
        severity=severity,
        tags=("intensity", "daily-hours"),
    )


# ---- counts per week --------------------------------------------------------------------------


def _check_count(context: RuleContext, what: str, measure: str) -> list[Finding]:
    found = []
    bounds = _rule_bounds(context.rule, 1.0)
    for week in context.weeks:
        if week.why_unjudged:
            continue  # noted by the weekly-hours rule, judged by none
        count = getattr(week, measure)
        if _side(count, bounds):
            found.append(context._defer(_explain_count, (context, week, what, count), week.path))
    return found


def _explain_count(context: RuleContext, week: WeekFigures, what: str, count: int) -> Explanation:
    asks, demand, noted = _demand(context, f"{what} a week")
    has = _count(count, what)
    message = f"{_capital(week.label)} has {has}; {demand}{noted}"
    return message, asks, f"{has} in {week.label}", None


# Checks are module-level functions (not closures) so rules pickle across processes.
def _check_days(context: RuleContext) -> list[Finding]:
    return _check_count(context, "program days", "days")


def _check_sessions(context: RuleContext) -> list[Finding]:
    return _check_count(context, "sessions", "sessions")


def days_per_week(
    rule_id: str,
    title: str,
    *,
    source: Source,
    levels: Iterable[LevelOfCare] | LevelOfCare,
    populations: Iterable[Population | str] | Population | str = (),
    tracks: Iterable[Track | str] | Track | str = (),
    at_least: float | None = None,
    at_most: float | None = None,
    less_than: float | None = None,
    severity: Severity | str = Severity.ERROR,
) -> Rule:
    """A rule on the number of days with clinical time in each week ("3 or more days").

    >>> from carecontinuum.catalogs import GENERIC
    >>> days_per_week("X", "3+ days", source=Source("S"), levels=GENERIC["IOP"],
    ...               at_least=3).params["at_least"]
    3
    """
    return _make(
        rule_id,
        title,
        source=source,
        check=_check_days,
        params=_bounds(at_least, at_most, less_than),
        levels=levels,
        populations=populations,
        tracks=tracks,
        severity=severity,
        tags=("intensity", "days-per-week"),
    )


def sessions_per_week(
    rule_id: str,
    title: str,
    *,
    source: Source,
    levels: Iterable[LevelOfCare] | LevelOfCare,
    populations: Iterable[Population | str] | Population | str = (),
    tracks: Iterable[Track | str] | Track | str = (),
    at_least: float | None = None,
    at_most: float | None = None,
    less_than: float | None = None,
    severity: Severity | str = Severity.ERROR,
) -> Rule:
    """A rule on the number of sessions in each week ("3-5 sessions a week").

    >>> from carecontinuum.catalogs import GENERIC
    >>> sessions_per_week("X", "3-5 sessions", source=Source("S"), levels=GENERIC["IOP"],
    ...                   at_least=3, at_most=5).params["at_most"]
    5
    """
    return _make(
        rule_id,
        title,
        source=source,
        check=_check_sessions,
        params=_bounds(at_least, at_most, less_than),
        levels=levels,
        populations=populations,
        tracks=tracks,
        severity=severity,
        tags=("intensity", "sessions-per-week"),
    )


# ---- gaps between program days ----------------------------------------------------------------


def _longest_gap(flags: list[bool], cyclic: bool) -> tuple[int, int]:
    """The longest run of days without service, and the index of its first day. A cyclic
    pattern wraps around; a dated one only counts gaps between two program days."""
    if not any(flags):
        return (len(flags), 0)
    n = len(flags)
    best, best_start = 0, 0
    days = range(2 * n) if cyclic else range(n)
    run, start = 0, 0
    seen_service = cyclic
    for i in days:
        if flags[i % n]:
            if seen_service and run > best:
                best, best_start = run, start
            run, seen_service = 0, True
        else:
            if run == 0:
                start = i % n
            run += 1
    return (min(best, n), best_start)


def _check_gap(context: RuleContext) -> Iterator[Finding]:
    weeks = context.weeks
    flags = [us > 0 for week in weeks for us in week.day_us]
    gap, start = _longest_gap(flags, context.cyclic)
    limit = context.param("at_most")
    if gap > limit:
        week = weeks[start // 7]
        yield context.finding(
            f"{_count(gap, 'days')} in a row without service, from {_DAY_NAMES[start % 7]} of "
            f"{week.label}; {_under(context)} {_needs(context, 'allow')} at most {limit:g}."
            f"{_only_noted(context)}",
            expected=f"at most {limit:g} consecutive days without service",
            found=f"{_count(gap, 'consecutive days')} without service",
            path=week.path,
        )


def days_without_service(
    rule_id: str,
    title: str,
    *,
    source: Source,
    levels: Iterable[LevelOfCare] | LevelOfCare,
    at_most: float,
    populations: Iterable[Population | str] | Population | str = (),
    tracks: Iterable[Track | str] | Track | str = (),
    severity: Severity | str = Severity.ERROR,
) -> Rule:
    """A rule on the longest run of days without service ("no more than 2 consecutive days").
    A program's week repeats, so Friday to Monday counts Saturday and Sunday.

    >>> from carecontinuum.catalogs import GENERIC
    >>> days_without_service("X", "gap", source=Source("S"), levels=GENERIC["IOP"],
    ...                      at_most=2).params["at_most"]
    2
    """
    check_bounds({"at_most": at_most})
    return _make(
        rule_id,
        title,
        source=source,
        check=_check_gap,
        params={"at_most": at_most},
        levels=levels,
        populations=populations,
        tracks=tracks,
        severity=severity,
        tags=("schedule",),
    )


# ---- a service on every program day -----------------------------------------------------------


def _check_service_every_day(context: RuleContext) -> Iterator[Finding]:
    wanted = frozenset(context.param("services"))
    names = " or ".join(sorted(s.value for s in wanted))
    for week in context.weeks:
        for day in week.program_days:
            if not wanted & week.services_on(day):
                yield context.finding(
                    f"{_DAY_NAMES[day]} in {week.label} has no {names}; "
                    f"{_under(context)} {_needs(context)} it on every program day."
                    f"{_only_noted(context)}",
                    expected=f"{names} on every program day",
                    found=f"none on {_DAY_NAMES[day]}",
                    path=week.paths_on(day)[0],
                )


def service_every_day(
    rule_id: str,
    title: str,
    *,
    source: Source,
    levels: Iterable[LevelOfCare] | LevelOfCare,
    services: Iterable[Service | str],
    populations: Iterable[Population | str] | Population | str = (),
    tracks: Iterable[Track | str] | Track | str = (),
    severity: Severity | str = Severity.ERROR,
) -> Rule:
    """A rule that one of `services` is delivered on every program day ("group counseling
    every day").

    >>> from carecontinuum.catalogs import GENERIC
    >>> rule = service_every_day("X", "group daily", source=Source("S"), levels=GENERIC["PHP"],
    ...                          services=[Service.GROUP_THERAPY])
    >>> rule.params["services"]
    (<Service.GROUP_THERAPY: 'group therapy'>,)
    """
    wanted = enum_tuple("services", services, Service)
    if not wanted:
        raise InvalidValueError("services", wanted, "at least one service")
    return _make(
        rule_id,
        title,
        source=source,
        check=_check_service_every_day,
        params={"services": wanted},
        levels=levels,
        populations=populations,
        tracks=tracks,
        severity=severity,
        tags=("schedule",),
    )


# ---- program templates: session length and program length --------------------------------------


def _check_session_hours(context: RuleContext) -> list[Finding]:
    return _session_hours_emitter(context.rule)(context._scope(), ())


def _session_hours_emitter(rule: Rule) -> Emitter:
    """`_check_session_hours` as an emitter for `rule`, its bounds read once."""
    bounds = _rule_bounds(rule, _US_PER_HOUR)

    def emit(scope: _Scope, weeks: tuple[WeekFigures, ...]) -> list[Finding]:
        program = scope[0]
        assert isinstance(program, ProgramStructure)
        # A separate appointment (an individual hour, a medication review) is not a session of
        # the program's day; its length says nothing about how long program sessions run.
        return [
            _defer_in(scope, _explain_session_hours, (i, session), f"sessions[{i}]")
            for i, session in enumerate(program.sessions)
            if session.program_day and _side(session._clinical_us, bounds)
        ]

    return emit


def _explain_session_hours(context: RuleContext, i: int, session: Session) -> Explanation:
    hours = _hours(session._clinical_us)
    asks = _bounds_text(context, "clinical hours a session")
    return (
        f"Session {i + 1} ({session}) has {_clinical_hours(hours)}; {_under(context)} "
        f"typical sessions have {asks}.",
        asks,
        _clinical_hours(hours),
        None,
    )


def session_hours(
    rule_id: str,
    title: str,
    *,
    source: Source,
    levels: Iterable[LevelOfCare] | LevelOfCare,
    populations: Iterable[Population | str] | Population | str = (),
    tracks: Iterable[Track | str] | Track | str = (),
    at_least: float | None = None,
    at_most: float | None = None,
    less_than: float | None = None,
    severity: Severity | str = Severity.WARNING,
) -> Rule:
    """A rule on the clinical hours of each session that makes a program day ("sessions of
    about 3 hours"). Separate appointments (`Session(..., program_day=False)`), such as a
    one-hour individual-therapy or medication-management visit, are not judged: they are
    components of the program, not its sessions.

    >>> from carecontinuum.catalogs import GENERIC
    >>> session_hours("X", "about 3 h", source=Source("S"), levels=GENERIC["IOP"],
    ...               at_least=2.5, at_most=3.5).severity
    <Severity.WARNING: 'warning'>
    """
    return _make(
        rule_id,
        title,
        source=source,
        check=_check_session_hours,
        params=_bounds(at_least, at_most, less_than),
        levels=levels,
        populations=populations,
        tracks=tracks,
        severity=severity,
        tags=("session",),
        judges=ProgramStructure,
    )


def _check_program_weeks(context: RuleContext) -> list[Finding]:
    return _program_weeks_emitter(context.rule)(context._scope(), context.weeks)


def _program_weeks_emitter(rule: Rule) -> Emitter:
    """`_check_program_weeks` as an emitter for `rule`, its bounds read once: one finding, for
    the shortest length outside the bounds or else the longest."""
    bounds = _rule_bounds(rule, 1.0)
    rule_id, severity, source = rule.id, rule.severity, rule.source

    def emit(scope: _Scope, weeks: tuple[WeekFigures, ...]) -> list[Finding]:
        program = scope[0]
        assert isinstance(program, ProgramStructure)
        for which, length in (("shortest", program.min_weeks), ("longest", program.max_weeks)):
            if _side(length, bounds):
                deferred = (_in_context, (_explain_program_weeks, scope, which, length))
                return [_BUILD_FINDING(
                    rule_id, severity, deferred, deferred, deferred, "weeks", source, deferred
                )]  # fmt: skip
        return []

    return emit


def _explain_program_weeks(context: RuleContext, which: str, length: int) -> Explanation:
    program = context.subject
    assert isinstance(program, ProgramStructure)
    asks = _bounds_text(context, "weeks")
    return (
        f"The program's {which} length is {_count(length, 'weeks')}; {_under(context)} "
        f"programs run {asks}.",
        asks,
        f"{program.weeks} weeks",
        None,
    )


def program_weeks(
    rule_id: str,
    title: str,
    *,
    source: Source,
    levels: Iterable[LevelOfCare] | LevelOfCare,
    populations: Iterable[Population | str] | Population | str = (),
    tracks: Iterable[Track | str] | Track | str = (),
    at_least: float | None = None,
    at_most: float | None = None,
    less_than: float | None = None,
    severity: Severity | str = Severity.WARNING,
) -> Rule:
    """A rule on the program's length in weeks (both ends of a range must fit).

    >>> from carecontinuum.catalogs import GENERIC
    >>> program_weeks("X", "6-12 weeks", source=Source("S"), levels=GENERIC["IOP"],
    ...               at_least=6, at_most=12).tags
    frozenset({'length'})
    """
    return _make(
        rule_id,
        title,
        source=source,
        check=_check_program_weeks,
        params=_bounds(at_least, at_most, less_than),
        levels=levels,
        populations=populations,
        tracks=tracks,
        severity=severity,
        tags=("length",),
        judges=ProgramStructure,
    )


# ---- attendance -------------------------------------------------------------------------------


def _check_attendance_rate(context: RuleContext) -> Iterator[Finding]:
    from .._attendance import Attendance  # noqa: PLC0415 (calendars load only when used)

    attendance = context.subject
    assert isinstance(attendance, Attendance)
    rate = attendance.rate
    if rate is None:
        return
    goal = context.param("at_least")
    if rate < goal:
        yield context.finding(
            f"Attendance is {rate:.0%} of recorded sessions, below the goal of at least "
            f"{goal:.0%} {_under(context)}.",
            expected=f"at least {goal:.0%} of recorded sessions attended (excused left out)",
            found=f"{rate:.0%}",
            path="records",
        )


def attendance_rate(
    rule_id: str,
    title: str,
    *,
    source: Source,
    at_least: float,
    levels: Iterable[LevelOfCare] | LevelOfCare = (),
    populations: Iterable[Population | str] | Population | str = (),
    tracks: Iterable[Track | str] | Track | str = (),
    severity: Severity | str = Severity.WARNING,
) -> Rule:
    """An attendance goal: the share of recorded sessions attended (PRESENT or PARTIAL, with
    EXCUSED left out) must be at least `at_least` (0.9 for 90%). It judges `Attendance` only.

    >>> goal = attendance_rate("CLINIC-ATTENDANCE", "Attend 90% of sessions",
    ...                        source=Source("Clinic policy"), at_least=0.9)
    >>> goal.params["at_least"], goal.severity.value
    (0.9, 'warning')
    """
    from .._attendance import Attendance  # noqa: PLC0415 (calendars load only when used)

    share = _check_share(at_least)
    return _make(
        rule_id,
        title,
        source=source,
        check=_check_attendance_rate,
        params={"at_least": share},
        levels=levels,
        populations=populations,
        tracks=tracks,
        severity=severity,
        tags=("attendance",),
        judges=Attendance,
    )


# An overridden goal must be a share, as the factory takes it.
_PARAM_CHECKS[_check_attendance_rate] = lambda params: _check_share(params["at_least"])


def _check_share(value: object) -> float:
    share = "a share between 0 and 1 (0.9 for 90%)"
    return float(check_number("at_least", value, share, kind=share, minimum=0, maximum=1))


#: The factories whose rules are plain data (`to_dict`, `rulesets.dumps`), by name: such a rule
#: is written as the factory's name and its arguments, which rebuild it.
_FACTORIES: dict[str, Callable[..., Rule]] = {
    factory.__name__: factory
    for factory in (
        weekly_hours,
        typical_weekly_hours,
        daily_hours,
        days_per_week,
        sessions_per_week,
        days_without_service,
        service_every_day,
        session_hours,
        program_weeks,
        attendance_rate,
    )
}

#: The factory that made a rule, by its rule's check: each factory has a check of its own.
_FACTORY_OF_CHECK: dict[Callable[..., object], str] = {
    _check_weekly_hours: "weekly_hours",
    _check_typical_weekly_hours: "typical_weekly_hours",
    _check_daily_hours: "daily_hours",
    _check_days: "days_per_week",
    _check_sessions: "sessions_per_week",
    _check_gap: "days_without_service",
    _check_service_every_day: "service_every_day",
    _check_session_hours: "session_hours",
    _check_program_weeks: "program_weeks",
    _check_attendance_rate: "attendance_rate",
}


# ---- screens: what a factory rule's check will find, from the weeks' figures ----------------


def _plain_bounds(
    rule: Rule, unit: float
) -> tuple[float | None, float | None, float | None] | None:
    """`_rule_bounds`, the very bounds `_outside` compares, when every bound is a plain number; else
    None (then the rule has no screen)."""
    params = rule.params
    for name in ("at_least", "at_most", "less_than"):
        bound = params.get(name)
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
            return None
    return _rule_bounds(rule, unit)


def _weekly_hours_screen(rule: Rule) -> Screen | None:
    """`_check_weekly_hours` finds something in a week that is not judged (its note) or whose
    clinical time is outside the bounds: certainly when one is outside."""
    bounds = _plain_bounds(rule, _US_PER_HOUR)
    if bounds is None:
        return None

    def screen(subject: object, weeks: tuple[WeekFigures, ...]) -> int:
        seen = _NOTHING
        for week in weeks:
            if week.fraction < 1 or week.unjudged:  # why_unjudged: a note, INFO
                seen = _MAYBE
            elif _side(week.clinical_us, bounds):
                return _CERTAIN
        return seen

    return screen


def _typical_hours_screen(rule: Rule) -> Screen | None:
    """`_check_typical_weekly_hours` can find something only in a judged week outside its
    bounds (whether it does depends on the level's own band)."""
    bounds = _plain_bounds(rule, _US_PER_HOUR)
    if bounds is None:
        return None

    def screen(subject: object, weeks: tuple[WeekFigures, ...]) -> int:
        for week in weeks:
            judged = week.fraction == 1 and not week.unjudged
            if judged and _side(week.clinical_us, bounds):
                return _MAYBE
        return _NOTHING

    return screen


def _count_screen(measure: str) -> Callable[[Rule], Screen | None]:
    """`_check_count` finds something in each judged week whose count is outside the bounds."""

    def make(rule: Rule) -> Screen | None:
        bounds = _plain_bounds(rule, 1.0)
        if bounds is None:
            return None

        def screen(subject: object, weeks: tuple[WeekFigures, ...]) -> int:
            for week in weeks:
                judged = week.fraction == 1 and not week.unjudged
                if judged and _side(getattr(week, measure), bounds):
                    return _CERTAIN
            return _NOTHING

        return screen

    return make


def _session_hours_screen(rule: Rule) -> Screen | None:
    """`_check_session_hours` finds something for each program-day session whose clinical time
    is outside the bounds (a program's sessions: the rule judges programs only)."""
    bounds = _plain_bounds(rule, _US_PER_HOUR)
    if bounds is None:
        return None

    def screen(subject: object, weeks: tuple[WeekFigures, ...]) -> int:
        if type(subject) is not ProgramStructure:
            return _MAYBE  # a rule built by hand to judge something else: its check says
        for session in subject.sessions:
            if session.program_day and _side(session._clinical_us, bounds):
                return _CERTAIN
        return _NOTHING

    return screen


def _program_weeks_screen(rule: Rule) -> Screen | None:
    """`_check_program_weeks` finds something when the shortest or the longest length is
    outside the bounds."""
    bounds = _plain_bounds(rule, 1.0)
    if bounds is None:
        return None

    def screen(subject: object, weeks: tuple[WeekFigures, ...]) -> int:
        if type(subject) is not ProgramStructure:
            return _MAYBE  # a rule built by hand to judge something else: its check says
        outside = _side(subject.min_weeks, bounds) or _side(subject.max_weeks, bounds)
        return _CERTAIN if outside else _NOTHING

    return screen


_EMITTERS.update({
    _check_weekly_hours: _weekly_hours_emitter,
    _check_typical_weekly_hours: _typical_hours_emitter,
    _check_session_hours: _session_hours_emitter,
    _check_program_weeks: _program_weeks_emitter,
})  # fmt: skip
_SCREENS.update({
    _check_weekly_hours: _weekly_hours_screen,
    _check_typical_weekly_hours: _typical_hours_screen,
    _check_days: _count_screen("days"),
    _check_sessions: _count_screen("sessions"),
    _check_session_hours: _session_hours_screen,
    _check_program_weeks: _program_weeks_screen,
})  # fmt: skip
