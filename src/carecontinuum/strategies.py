"""Hypothesis strategies for every public carecontinuum type, for downstream test suites.

Needs the ``testing`` extra (``pip install "carecontinuum[testing]"``); ``import carecontinuum``
never imports this module or hypothesis. Installing the extra also registers a strategy for
every public class with hypothesis (through its plugin entry point), so
``st.from_type(ProgramStructure)`` works in any test suite without importing this module.

Every strategy yields values valid by construction, not by filtering, and shrinks towards a
readable example: the generic continuum before the published schemes, few sessions of about
three hours at 09:00 (or 18:00), Monday first, eight weeks, small counts, quarter-hour times.
`programs` can pin a level, a population and a track, and a rule set the program must satisfy;
`invalid_programs` yields programs that break exactly one rule of a rule set, with the rule's
id, for testing error paths.

Program sessions fall between 06:00 and midnight (a morning and an afternoon-to-evening
window), so a program expands into a calendar in any zone without a clock change moving two of
its sessions together.

>>> from hypothesis import strategies as st
>>> from carecontinuum import catalogs, rulesets
>>> strategy = programs(level=catalogs.GENERIC["IOP"], satisfying=rulesets.ASAM3)
>>> isinstance(strategy, st.SearchStrategy)
True
"""

from __future__ import annotations

import functools
import math
import typing
from collections.abc import Callable, Iterable, Sequence
from datetime import date, time, timedelta
from typing import Any, TypeVar

import attrs
import pendulum
from pendulum import WeekDay

from . import rulesets as _rulesets
from ._assessment import (
    Assessment,
    DeviationReason,
    Dimension,
    LocusPolicy,
    NeedsPolicy,
    Placement,
    PlacementPolicy,
    PlacementReason,
    dimensions,
    place,
)
from ._attendance import Attendance, AttendanceRecord, AttendanceStatus, WeekDelivery
from ._batch import (
    ClassifiedDesigns,
    DesignTable,
    ValidatedDesigns,
    classify_many,
    validate_many,
)
from ._calendar import Calendar, CalendarWeek, ScheduledSession, _is_host_zone, expand
from ._census import Census, DayCensus, StayLengths, census
from ._client_weeks import ClientWeeks, judge_client_weeks
from ._crosswalk import Crosswalk, crosswalk
from ._episode import (
    Authorization,
    Discharge,
    DischargeReason,
    Episode,
    Stay,
    Transition,
    _program_levels,
)
from ._flow import FlowModel
from ._levels import Continuum, LevelOfCare
from ._measures import WeekFigures, weeks_of
from ._plan import (
    Aftercare,
    AftercareService,
    CareRole,
    Goal,
    Intervention,
    Objective,
    Problem,
    TreatmentPlan,
)
from ._program import (
    DeliveryMode,
    Modality,
    Population,
    ProgramStructure,
    Segment,
    Service,
    Session,
    Track,
)
from ._rules import (
    Classification,
    Finding,
    Findings,
    Rule,
    RuleContext,
    RuleSeries,
    RuleSet,
    Severity,
    Source,
    ValidationReport,
    classify,
    validate,
)
from ._span import Span
from .catalogs import ASAM3, ASAM4, GENERIC, LOCUS, TEDS
from .rulesets import _factories

# Hypothesis runs this hook (its plugin entry point) while hypothesis itself is being imported.
# When this module is imported first, the hypothesis import below starts that and hypothesis
# finds this module half built: so the hook comes before that import, and registration then
# waits for the end of this module.
_PENDING_HOOK: list[bool] = []


def _hypothesis_setup_hook() -> None:
    """Register a strategy for every public carecontinuum class with hypothesis, so
    ``st.from_type(cls)`` draws from the strategies of this module. Hypothesis runs it through
    its ``hypothesis`` entry point once the ``testing`` extra is installed.

    >>> from hypothesis import strategies as st
    >>> import carecontinuum as cc
    >>> _hypothesis_setup_hook()
    >>> isinstance(st.from_type(cc.ProgramStructure), st.SearchStrategy)
    True
    """
    if "_register_type_strategies" in globals():
        _register_type_strategies()
    else:
        _PENDING_HOOK.append(True)


from hypothesis import strategies as st  # noqa: E402 (after the hook: see above)
from hypothesis.errors import InvalidArgument  # noqa: E402

__all__ = [
    "assessments",
    "attendances",
    "calendars",
    "censuses",
    "continua",
    "crosswalks",
    "episodes",
    "findings",
    "flow_models",
    "invalid_programs",
    "levels",
    "placements",
    "programs",
    "rule_series",
    "rule_sets",
    "rules",
    "segments",
    "sessions",
    "sources",
    "spans",
    "stay_lengths",
    "treatment_plans",
    "validation_reports",
]

_T = TypeVar("_T")

#: The catalog continua, the generic one first (it shrinks to the most familiar levels).
_CATALOGS = (GENERIC, ASAM3, ASAM4, LOCUS, TEDS)

# Times are counted in quarter-hours from midnight: programs are scheduled on that grid.
_QUARTER_MINUTES = 15
_MORNING = (24, 48)  # 06:00-12:00
_AFTERNOON = (48, 96)  # 12:00-24:00, the afternoon and evening window
_NINE_AM, _SIX_PM = 36, 72
_TYPICAL_SESSION = 12  # three hours, the described programs' session
_TYPICAL_WEEKS = 8
_MAX_BREAK = 2  # quarter-hours of break in one session
_MAX_PARTS = 4  # clinical segments in one session
_UNBOUNDED = 10_000

#: Clinical services, group therapy first: the typical session shrinks to a group.
_CLINICAL = (
    Service.GROUP_THERAPY,
    *(s for s in Service if s.is_clinical and s is not Service.GROUP_THERAPY),
)
#: Zones to expand calendars in: UTC first, then zones with daylight saving time on both
#: hemispheres, half-hour offsets and Lord Howe's half-hour clock change.
_ZONES = (
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/St_Johns",
    "Pacific/Chatham",
)
#: Rating scales the strategies draw from; ASAM's 4th edition has no published ceiling, and 0-4
#: is what its default placement table serves.
_RATING_SCALES = {"ASAM3": (0, 4), "ASAM4": (0, 4), "LOCUS": (1, 5)}
_SCHEMES_RATED = tuple(_RATING_SCALES)


# ---- small pieces -------------------------------------------------------------------------


# Strategy objects are built once and reused: hypothesis validates each new one on its first
# draw, which would otherwise cost more than drawing a whole program.


@functools.lru_cache(maxsize=4096)
def _ints(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


@functools.lru_cache(maxsize=1024)
def _sampled(options: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(options)


def _pick(options: Iterable[_T]) -> st.SearchStrategy[_T]:
    """st.sampled_from, built once per tuple of options; shrinks to the first."""
    return typing.cast("st.SearchStrategy[_T]", _sampled(tuple(options)))


@functools.lru_cache(maxsize=16)
def _order(count: int) -> st.SearchStrategy[list[int]]:
    return st.permutations(range(count))


def _shuffled(draw: st.DrawFn, items: Sequence[_T]) -> list[_T]:
    """`items` in a drawn order, shrinking to the order given."""
    return [items[i] for i in draw(_order(len(items)))]


def _near(draw: st.DrawFn, low: int, high: int, target: int) -> int:
    """An int from `low` to `high` that shrinks to `target` (clamped into the range)."""
    aim = min(max(target, low), high)
    return aim + draw(_ints(low - aim, high - aim))


def _spread(draw: st.DrawFn, total: int, bounds: Sequence[tuple[int, int]]) -> list[int]:
    """Split `total` into one int per bound, each within its bound (the caller checks the
    bounds admit `total`). Shrinks to the most even split, any remainder on the later parts."""
    values = [low for low, _ in bounds]
    left = total - sum(values)
    while left > 0:
        rising = [k for k in range(len(values)) if values[k] < bounds[k][1]]
        k = min(rising, key=lambda i: (values[i], -i))
        values[k] += 1
        left -= 1
    for k in range(len(values) - 1):
        (low_a, high_a), (low_b, high_b) = bounds[k], bounds[k + 1]
        down = min(values[k] - low_a, high_b - values[k + 1])
        up = min(high_a - values[k], values[k + 1] - low_b)
        shift = draw(_ints(-down, up))
        values[k] += shift
        values[k + 1] -= shift
    return values


#: Any character text may hold: no control characters but tab, line feed and carriage return
#: (and no unpaired surrogates), as the library's text policy says.
_TEXT_CHARACTERS = st.characters(exclude_categories=("Cc", "Cs"), include_characters="\t\n\r")


def _text(max_size: int) -> st.SearchStrategy[str]:
    """Any non-blank text the library takes, up to `max_size` characters."""
    return st.text(_TEXT_CHARACTERS, min_size=1, max_size=max_size).filter(str.strip)


@functools.lru_cache(maxsize=64)
def _prose(*examples: str) -> st.SearchStrategy[str]:
    """Readable examples first, then any non-blank text."""
    return st.sampled_from(examples) | _text(60)


def _maybe(strategy: st.SearchStrategy[_T]) -> st.SearchStrategy[_T | None]:
    """None first, then the strategy's values."""
    return st.none() | strategy


@functools.cache
def _client_ids() -> st.SearchStrategy[str]:
    return st.integers(1, 999).map(lambda n: f"c-{n}")


@functools.cache
def _dates() -> st.SearchStrategy[date]:
    # 2024-01-01 is a Monday: the minimal calendar starts a program week on a Monday.
    return st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


_TRUE_FIRST = st.sampled_from([True, False])
_FALSE_FIRST = st.sampled_from([False, True])
_WEEKDAYS = st.sampled_from(list(WeekDay))


def _strategy_of(
    value: object, cls: type[_T], default: Callable[[], st.SearchStrategy[_T]], field: str
) -> st.SearchStrategy[_T]:
    """A strategy from an argument that may be a value, a strategy, or None (the default)."""
    if value is None:
        return default()
    if isinstance(value, st.SearchStrategy):
        return typing.cast("st.SearchStrategy[_T]", value)
    if isinstance(value, cls):
        return st.just(value)
    raise InvalidArgument(
        f"{field!r} must be a {cls.__name__}, a strategy for one, or None (got {value!r})"
    )


def _check_optional(field: str, value: object, cls: type) -> None:
    if value is not None and not isinstance(value, cls):
        raise InvalidArgument(f"{field!r} must be a {cls.__name__} or None (got {value!r})")


def _at(quarter: int) -> time:
    return time(quarter // 4, quarter % 4 * _QUARTER_MINUTES)


def _quarter_of(field: str, value: object, *, up: bool) -> int:
    """The quarter-hour of the day at or after (`up`) or at or before a naive time."""
    if not isinstance(value, time) or value.tzinfo is not None:
        raise InvalidArgument(f"{field!r} must be a naive datetime.time (got {value!r})")
    minutes = value.minute + value.second / 60 + value.microsecond / 60_000_000
    quarters = minutes / _QUARTER_MINUTES
    return value.hour * 4 + (math.ceil(quarters) if up else math.floor(quarters))


# ---- levels and continua ------------------------------------------------------------------


def continua() -> st.SearchStrategy[Continuum]:
    """The catalog continua: GENERIC, ASAM3, ASAM4 and LOCUS, shrinking to GENERIC.

    >>> from hypothesis import strategies as st
    >>> isinstance(continua(), st.SearchStrategy)
    True
    """
    return st.sampled_from(_CATALOGS)


def _continua_for(scheme: object) -> tuple[Continuum, ...]:
    if scheme is None:
        return _CATALOGS
    if isinstance(scheme, Continuum):
        return (scheme,)
    if isinstance(scheme, str):
        for continuum in _CATALOGS:
            if continuum.scheme == scheme:
                return (continuum,)
    names = ", ".join(repr(c.scheme) for c in _CATALOGS)
    raise InvalidArgument(f"'scheme' must be one of {names}, a Continuum or None (got {scheme!r})")


def levels(
    scheme: str | Continuum | None = None,
    *,
    outpatient: bool | None = None,
    pathway: str | None = None,
) -> st.SearchStrategy[LevelOfCare]:
    """Levels of care, least intensive first, the generic continuum's before the schemes'.

    Args:
        scheme: A catalog scheme (``"ASAM3"``) or any `Continuum` to draw from; the five
            catalogs when None.
        outpatient: Only outpatient levels (True), only the others (False), or any (None).
        pathway: Only the levels of this pathway (``"main"``, ``"withdrawal management"``).

    Raises:
        InvalidArgument: an unknown scheme, or filters that leave no level.

    >>> from hypothesis import strategies as st
    >>> isinstance(levels("ASAM3", outpatient=True), st.SearchStrategy)
    True
    """
    _check_optional("outpatient", outpatient, bool)
    _check_optional("pathway", pathway, str)
    pool = [
        level
        for continuum in _continua_for(scheme)
        for level in continuum.levels
        if (outpatient is None or level.is_outpatient == outpatient)
        and (pathway is None or level.pathway == pathway)
    ]
    if not pool:
        raise InvalidArgument(
            f"no level of {scheme or 'the catalogs'} has outpatient={outpatient!r} and "
            f"pathway={pathway!r}"
        )
    return st.sampled_from(pool)


def spans(elements: st.SearchStrategy[Any] | None = None) -> st.SearchStrategy[Span[Any]]:
    """Spans (minimum-maximum ranges) of two drawn elements, by default program lengths of 1 to
    52 weeks; the elements must be orderable.

    >>> from hypothesis import strategies as st
    >>> isinstance(spans(st.integers(0, 9)), st.SearchStrategy)
    True
    """
    items = st.integers(1, 52) if elements is None else elements
    return st.tuples(items, items).map(lambda pair: Span(*sorted(pair)))


def crosswalks() -> st.SearchStrategy[Crosswalk]:
    """Crosswalks of a catalog level to a catalog continuum (possibly its own).

    >>> from hypothesis import strategies as st
    >>> isinstance(crosswalks(), st.SearchStrategy)
    True
    """
    return st.tuples(levels(), continua()).map(lambda pair: crosswalk(pair[0], to=pair[1]))


# ---- segments and sessions ----------------------------------------------------------------

_LABELS = ("educational presentation", "check-in circle", "relapse-prevention skills")
_LABEL = _maybe(st.sampled_from(_LABELS))
_SESSION_NAME = _maybe(_prose("Evening group", "Morning group"))
_SESSION_MODE = _maybe(st.sampled_from(DeliveryMode))
_EVERY_WEEKS = st.sampled_from([1, 1, 1, 2, 3])  # mostly weekly


def segments(*, clinical: bool | None = None) -> st.SearchStrategy[Segment]:
    """Segments of a quarter-hour to four hours, on the quarter-hour grid, shrinking to an hour
    of group therapy.

    Args:
        clinical: Only clinical segments (True), only breaks (False), or either (None).

    >>> from hypothesis import strategies as st
    >>> isinstance(segments(clinical=True), st.SearchStrategy)
    True
    """
    _check_optional("clinical", clinical, bool)
    services = [
        s for s in (*_CLINICAL, Service.BREAK) if clinical is None or s.is_clinical is clinical
    ]

    @st.composite
    def build(draw: st.DrawFn) -> Segment:
        quarters = _near(draw, 1, 16, 4)
        return Segment(
            draw(_pick(services)),
            pendulum.duration(minutes=quarters * _QUARTER_MINUTES),
            draw(_LABEL),
        )

    return build()


def _parts(
    draw: st.DrawFn,
    clinical: int,
    pause: int,
    required: Sequence[frozenset[Service]],
    avoid: frozenset[Service],
) -> list[Segment]:
    """A session's segments: `clinical` quarter-hours in one to four clinical parts (one of each
    `required` set among them, none of `avoid`), and a break of `pause` quarter-hours after one
    part (none when `pause` is 0)."""
    count = draw(_ints(max(1, len(required)), max(1, len(required), min(_MAX_PARTS, clinical))))
    sizes = _spread(draw, clinical, [(1, clinical)] * count)
    allowed = [s for s in _CLINICAL if s not in avoid]
    parts = []
    for i, quarters in enumerate(sizes):
        choices = [s for s in _CLINICAL if s in required[i]] if i < len(required) else allowed
        parts.append(
            Segment(
                draw(_pick(choices)),
                pendulum.duration(minutes=quarters * _QUARTER_MINUTES),
                draw(_LABEL),
            )
        )
    if pause:
        after = draw(_ints(0, count - 1))
        parts.insert(
            after + 1, Segment(Service.BREAK, pendulum.duration(minutes=pause * _QUARTER_MINUTES))
        )
    return parts


def _session(
    draw: st.DrawFn,
    weekday: WeekDay,
    window: tuple[int, int],
    clinical: int,
    *,
    required: Sequence[frozenset[Service]] = (),
    avoid: frozenset[Service] = frozenset(),
    free: bool,
    breaks: bool = True,
) -> Session:
    """A session of `clinical` quarter-hours (plus any break) inside `window`, starting at 09:00
    or 18:00 when it fits. `free` allows sessions held every N weeks and separate appointments
    (sessions that do not make their day a program day); `breaks` allows a break."""
    low, high = window
    pause = draw(_ints(0, min(_MAX_BREAK, high - low - clinical))) if breaks else 0
    length = clinical + pause
    start = _near(draw, low, high - length, _start_aim(low, high, length))
    every, offset, program_day = 1, 0, True
    if free:
        every = draw(_EVERY_WEEKS)
        offset = draw(_ints(0, every - 1))
        program_day = draw(_TRUE_FIRST)
    return Session(
        weekday,
        _at(start),
        _parts(draw, clinical, pause, required, avoid),
        every_weeks=every,
        week_offset=offset,
        delivery_mode=draw(_SESSION_MODE),
        program_day=program_day,
        name=draw(_SESSION_NAME),
    )


def _start_aim(low: int, high: int, length: int) -> int:
    """Where a session of `length` in the window from `low` to `high` starts by preference:
    09:00 in the morning, 18:00 in the evening; a morning session too long for 09:00 ends at
    the window's end, an evening one too long for 18:00 starts at the window's start."""
    if low <= _NINE_AM < high:
        return min(_NINE_AM, high - length)
    if low <= _SIX_PM < high and _SIX_PM + length <= high:
        return _SIX_PM
    return low


def sessions(
    weekday: WeekDay | None = None,
    *,
    earliest: time = time(6),
    latest: time | None = None,
) -> st.SearchStrategy[Session]:
    """Sessions held between `earliest` and `latest` on one weekday, weekly or every few weeks,
    shrinking to a weekly three-hour group at 09:00 on Monday.

    Args:
        weekday: The day; any day when None.
        earliest: The earliest start (rounded up to the quarter-hour).
        latest: The latest end; midnight when None.

    Raises:
        InvalidArgument: a window shorter than a quarter-hour, or times that are not naive
            `datetime.time` values.

    >>> import pendulum
    >>> from datetime import time
    >>> from hypothesis import strategies as st
    >>> evening = sessions(pendulum.WeekDay.TUESDAY, earliest=time(17), latest=time(21))
    >>> isinstance(evening, st.SearchStrategy)
    True
    """
    _check_optional("weekday", weekday, WeekDay)
    low = _quarter_of("earliest", earliest, up=True)
    high = 96 if latest is None else _quarter_of("latest", latest, up=False)
    if high <= low:
        raise InvalidArgument(
            f"'latest' must leave at least a quarter-hour after 'earliest' ({earliest}; got "
            f"{latest})"
        )

    @st.composite
    def build(draw: st.DrawFn) -> Session:
        day = weekday if weekday is not None else draw(_WEEKDAYS)
        clinical = _near(draw, 1, high - low, _TYPICAL_SESSION)
        return _session(draw, day, (low, high), clinical, free=True)

    return build()


# ---- what rules ask of a program ----------------------------------------------------------
#
# A rule set's rules are read into `_Needs`: bounds on the typical week (clinical quarter-hours,
# program days, sessions, days without service), on each day and session, on the length in
# weeks, and services every program day must hold. Programs are then built inside the bounds.

_Interval = tuple[int, int]
_HOURLY = ("weekly", "daily", "session")
#: The rule factories' checks, by the kind of bound they read.
_KINDS: tuple[tuple[Callable[..., Any], str], ...] = (
    (_factories._check_weekly_hours, "weekly"),
    (_factories._check_daily_hours, "daily"),
    (_factories._check_days, "days"),
    (_factories._check_sessions, "sessions"),
    (_factories._check_session_hours, "session"),
    (_factories._check_program_weeks, "weeks"),
    (_factories._check_gap, "gap"),
    (_factories._check_service_every_day, "services"),
)


@attrs.frozen
class _Limit:
    """One rule's bound, in whole units: quarter-hours for hours, else counts (None: no bound on
    that side); or, for "services", the services one of which every program day must hold."""

    kind: str
    low: int | None
    high: int | None
    services: frozenset[Service] = frozenset()
    #: The bound counts program time, breaks included (``daily_hours(include_breaks=True)``).
    breaks: bool = False


def _limit_of(rule: Rule) -> _Limit | None:
    """The bound a rule of a known factory sets; None for any other rule."""
    kind = next((k for check, k in _KINDS if rule.check is check), None)
    if kind is None:
        return None
    params = rule.params
    if kind == "services":
        return _Limit(
            kind, None, None, frozenset(typing.cast("Iterable[Service]", params["services"]))
        )
    if kind == "gap":
        return _Limit(kind, None, math.floor(typing.cast("float", params["at_most"])))
    scale = 4 if kind in _HOURLY else 1
    at_least, at_most, less_than = (
        typing.cast("float | None", params.get(name))
        for name in ("at_least", "at_most", "less_than")
    )
    low = None if at_least is None else math.ceil(at_least * scale)
    breaks = bool(params.get("include_breaks"))
    high = None
    if at_most is not None:
        high = math.floor(at_most * scale)
    elif less_than is not None:
        high = math.ceil(less_than * scale) - 1
    return _Limit(kind, low, high, breaks=breaks)


@attrs.frozen
class _Needs:
    """What a program must hold: bounds on its typical week (every session weekly), and how to
    break one rule when building an invalid program."""

    weekly: _Interval = (1, _UNBOUNDED)  # clinical quarter-hours a week
    daily: _Interval = (1, _UNBOUNDED)  # clinical quarter-hours on each program day
    days: _Interval = (1, 7)  # program days a week
    sessions: _Interval = (1, 14)  # sessions a week
    gap: int = 6  # the most consecutive days without service
    session: _Interval = (1, _UNBOUNDED)  # clinical quarter-hours in each session
    weeks: _Interval = (1, _UNBOUNDED)  # both ends of the program's length
    services: tuple[frozenset[Service], ...] = ()  # one of each set on every program day
    # No rule bounds the program: sessions may be held every few weeks, or be separate
    # appointments on days that are not program days.
    free: bool = True
    # Some ERROR rule is of a kind the builder cannot read: the result must be checked.
    unknown: bool = False
    # A daily bound counts program time (breaks included): sessions hold no break, so program
    # time and clinical time agree and one bound serves both.
    no_breaks: bool = False
    # To break one rule: the first program day's and first session's own bounds, a stretch
    # without service at least this long, services the first program day must lack; and which
    # end of the weekly hours and of the length to lean towards ("low", "high" or "").
    first_day: _Interval | None = None
    first_session: _Interval | None = None
    long_gap: int | None = None
    missing: frozenset[Service] | None = None
    weekly_lean: str = ""
    weeks_lean: str = ""


def _meet(a: _Interval, b: _Interval) -> _Interval:
    return (max(a[0], b[0]), min(a[1], b[1]))


def _tighten(needs: _Needs, limit: _Limit) -> _Needs:
    if limit.kind == "services":
        return attrs.evolve(needs, services=(*needs.services, limit.services), free=False)
    if limit.kind == "gap":
        assert limit.high is not None
        return attrs.evolve(needs, gap=min(needs.gap, limit.high), free=False)
    current: _Interval = getattr(needs, limit.kind)
    bound = (
        current[0] if limit.low is None else limit.low,
        current[1] if limit.high is None else limit.high,
    )
    changes: dict[str, Any] = {limit.kind: _meet(current, bound), "free": False}
    if limit.breaks:
        changes["no_breaks"] = True
    return attrs.evolve(needs, **changes)


def _needs_of(rules: Iterable[Rule]) -> _Needs:
    """The bounds the ERROR rules among `rules` set (warnings and notes never make a program
    not ok)."""
    needs = _Needs()
    for rule in rules:
        if rule.severity is not Severity.ERROR:
            continue
        limit = _limit_of(rule)
        if limit is None:
            needs = attrs.evolve(needs, unknown=True, free=False)
        else:
            needs = _tighten(needs, limit)
    return needs


def _sides(limit: _Limit) -> tuple[str, ...]:
    if limit.kind == "services":
        return ("missing",)
    if limit.kind == "gap":
        return ("above",)
    below = ("below",) if limit.low is not None and limit.low > 1 else ()
    return below + (("above",) if limit.high is not None else ())


def _broken(others: _Needs, limit: _Limit, side: str) -> _Needs:
    """The needs of a program that keeps `others` and breaks `limit` on `side`."""
    needs = attrs.evolve(others, free=False)
    kind = limit.kind
    if kind == "services":
        return attrs.evolve(_tighten(needs, limit), missing=limit.services)
    if kind == "gap":
        assert limit.high is not None
        return attrs.evolve(needs, long_gap=limit.high + 1)
    if side == "below":
        assert limit.low is not None
        wrong, lean = (1, limit.low - 1), "high"  # just below the floor
    else:
        assert limit.high is not None
        wrong, lean = (limit.high + 1, _UNBOUNDED), "low"  # just above the ceiling
    if kind == "daily":
        return attrs.evolve(
            _tighten(needs, limit), first_day=_meet(needs.daily, wrong), no_breaks=True
        )
    if kind == "session":
        return attrs.evolve(_tighten(needs, limit), first_session=_meet(needs.session, wrong))
    current: _Interval = getattr(needs, kind)
    changes: dict[str, Any] = {kind: _meet(current, wrong)}
    if kind in ("weekly", "weeks"):
        changes[f"{kind}_lean"] = lean
    return attrs.evolve(needs, **changes)


def _gap_bounds(needs: _Needs, days: int) -> list[_Interval] | None:
    """Bounds on the runs of days without service after each of `days` program days (the week
    wraps), or None when no arrangement meets the needs."""
    limit = needs.gap
    bounds = [(0, limit)] * days
    if needs.long_gap is not None:
        bounds[-1] = (needs.long_gap, limit)
    free_days = 7 - days
    if sum(b[0] for b in bounds) <= free_days <= sum(b[1] for b in bounds):
        return bounds
    return None


def _required(needs: _Needs, first_day: bool) -> tuple[frozenset[Service], ...]:
    """The service sets a day's first session holds one of each."""
    if first_day and needs.missing is not None:
        return tuple(s - needs.missing for s in needs.services if s != needs.missing)
    return needs.services


_Layout = tuple[_Interval, tuple[tuple[_Interval, tuple[_Interval, ...]], ...]]


def _layout(needs: _Needs, days: int, doubled: int) -> _Layout | None:
    """Bounds for a week of `days` program days, the last `doubled` of them with a morning and
    an afternoon session (the others one session in either window): for the week's clinical
    quarter-hours, each day's and each session's. None when the needs cannot be met so."""
    week_low = week_high = 0
    plan = []
    for d in range(days):
        windows = (_MORNING, _AFTERNOON) if d >= days - doubled else (_AFTERNOON,)
        parts = []
        for k, (start, end) in enumerate(windows):
            bound = needs.session
            if d == 0 and k == 0 and needs.first_session is not None:
                bound = needs.first_session
            low = max(bound[0], len(_required(needs, d == 0))) if k == 0 else bound[0]
            high = min(bound[1], end - start)
            if low > high:
                return None
            parts.append((low, high))
        day_bound = needs.first_day if d == 0 and needs.first_day is not None else needs.daily
        day = _meet(day_bound, (sum(p[0] for p in parts), sum(p[1] for p in parts)))
        if day[0] > day[1]:
            return None
        week_low += day[0]
        week_high += day[1]
        plan.append((day, tuple(parts)))
    week = _meet(needs.weekly, (week_low, week_high))
    return None if week[0] > week[1] else (week, tuple(plan))


def _aim(bounds: _Interval, lean: str, typical: int) -> int:
    low, high = bounds
    return low if lean == "low" else high if lean == "high" else min(max(typical, low), high)


def _plans(needs: _Needs) -> tuple[tuple[int, int], ...]:
    """The (program days, days with two sessions) a program meeting `needs` can have, fewest
    sessions first (and, among as many sessions, fewest days). Hypothesis shrinks towards
    fewer choices, so the first plan must also be the one drawn with the fewest."""
    if needs.weeks[0] > needs.weeks[1]:
        return ()
    if needs.missing is not None and any(
        s <= needs.missing for s in needs.services if s != needs.missing
    ):
        return ()
    found = []
    days = (max(1, needs.days[0]), min(7, needs.days[1]))
    for n in range(days[0], days[1] + 1):
        if _gap_bounds(needs, n) is None:
            continue
        for doubled in range(n + 1):
            if needs.sessions[0] <= n + doubled <= needs.sessions[1] and _layout(needs, n, doubled):
                found.append((n, doubled))
    return tuple(sorted(found, key=lambda p: (p[0] + p[1], -p[1])))


def _weeks(draw: st.DrawFn, needs: _Needs) -> int | tuple[int, int]:
    low, high = needs.weeks
    high = min(high, low + 51)
    if needs.weeks_lean:
        return _near(draw, low, high, low if needs.weeks_lean == "low" else high)
    fixed = _near(draw, low, high, _TYPICAL_WEEKS)
    if draw(_FALSE_FIRST):  # a range of lengths, such as 6-12 weeks
        return (fixed, fixed + draw(_ints(0, high - fixed)))
    return fixed


_WINDOWS = st.sampled_from([_MORNING, _AFTERNOON])
_DELIVERY = st.sampled_from(DeliveryMode)
_MODALITIES = st.lists(st.sampled_from(Modality), unique=True, max_size=3)
_PROGRAM_NAME = _maybe(_prose("Evening IOP", "Day program"))

# A profile: the level, population and track to build at, what the rules need there, and the
# week plans that meet it.
_Profile = tuple[LevelOfCare, Population, Track, _Needs, tuple[tuple[int, int], ...]]


@st.composite
def _built_programs(draw: st.DrawFn, profiles: st.SearchStrategy[_Profile]) -> ProgramStructure:
    return _build_program(draw, draw(profiles))


@st.composite
def _broken_programs(
    draw: st.DrawFn, options: st.SearchStrategy[tuple[_Profile, str]]
) -> tuple[ProgramStructure, str]:
    profile, rule_id = draw(options)
    return _build_program(draw, profile), rule_id


def _build_program(draw: st.DrawFn, profile: _Profile) -> ProgramStructure:
    """A program at the profile's level, population and track meeting its needs."""
    level, population, track, needs, plans = profile
    days, doubled = draw(_pick(plans))
    layout = _layout(needs, days, doubled)
    gap_bounds = _gap_bounds(needs, days)
    assert layout is not None
    assert gap_bounds is not None
    week_bound, day_plans = layout
    # Which weekdays: runs of days without service between program days, most even first,
    # from a first day that shrinks to Monday (three days come out Monday, Wednesday, Friday).
    gaps = _spread(draw, 7 - days, gap_bounds)
    weekdays = [draw(_WEEKDAYS).value]
    for gap in gaps[:-1]:
        weekdays.append((weekdays[-1] + 1 + gap) % 7)
    order = draw(_order(days))
    sessions_count = days + doubled
    total = _near(
        draw, *week_bound, _aim(week_bound, needs.weekly_lean, _TYPICAL_SESSION * sessions_count)
    )
    day_totals = _spread(draw, total, [bound for bound, _ in day_plans])
    sessions = []
    for d, ((_, part_bounds), day_total) in enumerate(zip(day_plans, day_totals, strict=True)):
        weekday = WeekDay(weekdays[order[d]])
        amounts = _spread(draw, day_total, part_bounds)
        if len(amounts) == 2:
            windows = [_MORNING, _AFTERNOON]
        else:
            # Drawn even when only the afternoon window fits: hypothesis shrinks towards fewer
            # choices, so how many are drawn must not hang on a length that should shrink.
            window = draw(_WINDOWS)
            windows = [window if amounts[0] <= window[1] - window[0] else _AFTERNOON]
        avoid = needs.missing if d == 0 and needs.missing is not None else frozenset()
        for k, (window, clinical) in enumerate(zip(windows, amounts, strict=True)):
            sessions.append(
                _session(
                    draw,
                    weekday,
                    window,
                    clinical,
                    required=_required(needs, d == 0) if k == 0 else (),
                    avoid=avoid,
                    free=needs.free,
                    breaks=not needs.no_breaks,
                )
            )
    # A program's repeat cycle must fit in its length: sessions every 2 and 3 weeks need 6.
    cycle = math.lcm(*(session.every_weeks for session in sessions))
    if cycle > needs.weeks[0]:
        needs = attrs.evolve(needs, weeks=(cycle, max(cycle, needs.weeks[1])))
    return ProgramStructure(
        level,
        population,
        track,
        _shuffled(draw, sessions),
        _weeks(draw, needs),
        delivery_mode=draw(_DELIVERY),
        modalities=draw(_MODALITIES),
        name=draw(_PROGRAM_NAME),
    )


def _applicable(
    ruleset: RuleSet, level: LevelOfCare, population: Population, track: Track
) -> tuple[Rule, ...]:
    """The rules of `ruleset` that judge a program at this level, population and track."""
    entries, _ = ruleset._plan(level)
    return tuple(
        rule
        for rule, _, mismatch in entries
        if mismatch is None
        and issubclass(ProgramStructure, rule.judges)
        and (not rule.populations or population in rule.populations)
        and (not rule.tracks or track in rule.tracks)
    )


def _candidates(
    level: LevelOfCare | None, population: Population | None, track: Track | None
) -> Iterable[tuple[LevelOfCare, Population, Track]]:
    for lvl in (level,) if level is not None else (lv for c in _CATALOGS for lv in c.levels):
        for pop in (population,) if population is not None else tuple(Population):
            for trk in (track,) if track is not None else tuple(Track):
                yield lvl, pop, trk


def _check_program_args(
    level: object, population: object, track: object, ruleset: object, field: str
) -> None:
    _check_optional("level", level, LevelOfCare)
    _check_optional("population", population, Population)
    _check_optional("track", track, Track)
    if field and not isinstance(ruleset, RuleSet):
        raise InvalidArgument(f"{field!r} must be a RuleSet (got {ruleset!r})")


def _scope(level: LevelOfCare | None, population: Population | None, track: Track | None) -> str:
    parts = [] if level is None else [f"{level.scheme} {level.code}"]
    parts += [f"{x.value!r}" for x in (population, track) if x is not None]
    return f" at {', '.join(parts)}" if parts else ""


def programs(
    level: LevelOfCare | None = None,
    population: Population | None = None,
    track: Track | None = None,
    satisfying: RuleSet | None = None,
) -> st.SearchStrategy[ProgramStructure]:
    """Program structures, shrinking to the fewest sessions of about three hours: without
    `satisfying`, one weekly three-hour group on Monday at 09:00, for eight weeks.

    Without `satisfying`, programs range widely: one to seven program days, morning and evening
    sessions, sessions held every two or three weeks, separate appointments, breaks, ranges of
    lengths. With it, every session is weekly and the program is built to validate ok under the
    rule set: its rules are read for their bounds (weekly hours, hours a day, days and sessions
    a week, days without service, hours a session, weeks, a service every day), and the hours,
    days and sessions are drawn inside them. A rule of another kind that reports errors is
    checked by validating each program (a filter, as a last resort).

    Args:
        level: The level; any catalog level when None.
        population: The population; any when None.
        track: The track; any when None.
        satisfying: A rule set the program must validate ok under, by at least one of its
            rules. Where the level, population or track is left open, it is drawn among those
            the rule set has rules for.

    Raises:
        InvalidArgument: arguments of the wrong type, or (on first use) rules no program can
            satisfy, such as a floor above a week's hours, or a rule set with no rule for a
            program at the level, population and track asked for (which any program would
            satisfy vacuously): ``programs(level=GENERIC["RECOVERY"], satisfying=ASAM3)``.

    >>> from hypothesis import strategies as st
    >>> from carecontinuum import catalogs, rulesets
    >>> iop = programs(level=catalogs.GENERIC["IOP"], satisfying=rulesets.ASAM3)
    >>> isinstance(iop, st.SearchStrategy)
    True
    """
    _check_program_args(
        level, population, track, satisfying, "" if satisfying is None else "satisfying"
    )
    if satisfying is None:
        profiles = st.tuples(
            levels() if level is None else st.just(level),
            st.sampled_from(Population) if population is None else st.just(population),
            st.sampled_from(Track) if track is None else st.just(track),
        ).map(lambda t: (*t, _Needs(), _free_plans()))
        return _built_programs(profiles)
    ruleset = satisfying
    return st.deferred(lambda: _satisfying(ruleset, level, population, track))


@functools.lru_cache(maxsize=256)
def _satisfying(
    ruleset: RuleSet,
    level: LevelOfCare | None,
    population: Population | None,
    track: Track | None,
) -> st.SearchStrategy[ProgramStructure]:
    """Programs valid under `ruleset` (built once per arguments: reading the rules for every
    level, population and track takes a while)."""
    spoken: list[_Profile] = []
    silent: list[_Profile] = []
    for lvl, pop, trk in _candidates(level, population, track):
        rules = _applicable(ruleset, lvl, pop, trk)
        needs = _needs_of(rules)
        plans = _plans(needs)
        if plans:
            (spoken if rules else silent).append((lvl, pop, trk, needs, plans))
    if not spoken and silent:
        # Every program would satisfy the rule set vacuously: say so rather than draw them.
        levels = ", ".join(f"{lvl.scheme} {lvl.code}" for lvl in ruleset.levels()[:12])
        raise InvalidArgument(
            f"{ruleset.name} {ruleset.version} has no rule that judges a program"
            f"{_scope(level, population, track)}, so any program would satisfy it"
            + (f"; it has rules for {levels}" if levels else "")
        )
    chosen = spoken
    if not chosen:
        raise InvalidArgument(
            f"no program{_scope(level, population, track)} can satisfy {ruleset.name} "
            f"{ruleset.version}: its rules' bounds cannot all be met in a week"
        )
    strategy = _built_programs(st.sampled_from(chosen))
    if any(profile[3].unknown for profile in chosen):
        strategy = strategy.filter(lambda p: validate(p, ruleset).ok)
    return strategy


_FREE_PLANS: list[tuple[tuple[int, int], ...]] = []


def _free_plans() -> tuple[tuple[int, int], ...]:
    if not _FREE_PLANS:
        _FREE_PLANS.append(_plans(_Needs()))
    return _FREE_PLANS[0]


def invalid_programs(
    ruleset: RuleSet,
    *,
    level: LevelOfCare | None = None,
    population: Population | None = None,
    track: Track | None = None,
    rule_ids: Iterable[str] | None = None,
) -> st.SearchStrategy[tuple[ProgramStructure, str]]:
    """Programs that break exactly one ERROR rule of `ruleset`, paired with that rule's id:
    ``validate(program, ruleset).errors`` are all findings of that rule.

    The program keeps every other rule's bounds and breaks the chosen one, shrinking to a
    near miss: weekly hours a quarter-hour below the floor (or above the ceiling), one program
    day or one session a quarter-hour short (or over), a week shorter (or longer) than allowed;
    or fewer program days or sessions than the floor, a stretch without service longer than
    allowed, a program day without the service required every day. Rules that cannot be broken
    on their own (two program days a week cannot keep gaps of at most two days) and rules of
    other kinds are never chosen; if the set has rules of other kinds that report errors, each
    program is checked against them (a filter).

    Args:
        ruleset: The rule set whose rules to break.
        level: The level; drawn among those the rule set has rules for when None.
        population: The population; likewise.
        track: The track; likewise.
        rule_ids: Only break these rules (all breakable ones when None).

    Raises:
        InvalidArgument: arguments of the wrong type, an id not in the rule set, or (on first
            use) no rule that can be broken on its own.

    >>> from hypothesis import strategies as st
    >>> from carecontinuum import catalogs, rulesets
    >>> broken = invalid_programs(rulesets.ASAM3, level=catalogs.GENERIC["IOP"])
    >>> isinstance(broken, st.SearchStrategy)
    True
    """
    _check_program_args(level, population, track, ruleset, "ruleset")
    only: frozenset[str] | None = None
    if rule_ids is not None:
        if isinstance(rule_ids, str):
            raise InvalidArgument(f"'rule_ids' must be a collection of ids (got {rule_ids!r})")
        only = frozenset(rule_ids)
        unknown = sorted(i for i in only if i not in ruleset)
        if unknown:
            raise InvalidArgument(f"'rule_ids' names rules not in {ruleset.name}: {unknown}")

    return st.deferred(lambda: _breaking(ruleset, level, population, track, only))


@functools.lru_cache(maxsize=256)
def _breaking(
    ruleset: RuleSet,
    level: LevelOfCare | None,
    population: Population | None,
    track: Track | None,
    only: frozenset[str] | None,
) -> st.SearchStrategy[tuple[ProgramStructure, str]]:
    """Programs breaking one rule of `ruleset` each, with its id (built once per arguments)."""
    options: list[tuple[_Profile, str]] = []
    for lvl, pop, trk in _candidates(level, population, track):
        rules = _applicable(ruleset, lvl, pop, trk)
        for rule in rules:
            limit = _limit_of(rule)
            if (
                rule.severity is not Severity.ERROR
                or limit is None
                or (only is not None and rule.id not in only)
            ):
                continue
            others = _needs_of(r for r in rules if r is not rule)
            for side in _sides(limit):
                needs = _broken(others, limit, side)
                plans = _plans(needs)
                if plans:
                    options.append(((lvl, pop, trk, needs, plans), rule.id))
    if not options:
        raise InvalidArgument(
            f"no rule of {ruleset.name} {ruleset.version}{_scope(level, population, track)} "
            "can be broken on its own by a program"
        )
    strategy = _broken_programs(st.sampled_from(options))
    if any(profile[3].unknown for profile, _ in options):
        strategy = strategy.filter(
            lambda p: {f.rule_id for f in validate(p[0], ruleset).errors} == {p[1]}
        )
    return strategy


# ---- calendars and attendance -------------------------------------------------------------


def calendars(
    program: ProgramStructure | st.SearchStrategy[ProgramStructure] | None = None,
    *,
    zones: Iterable[str] | None = None,
) -> st.SearchStrategy[Calendar]:
    """Calendars: a program expanded from a day in 2024-2030 in a time zone, with up to three
    closure days, ending anywhere in its range of lengths. Shrinks to UTC from Monday
    2024-01-01.

    Args:
        program: A program or a strategy for programs; `programs()` when None.
        zones: IANA zone names to draw from; UTC and zones with daylight saving time (both
            hemispheres), half-hour offsets and half-hour clock changes when None.

    >>> from hypothesis import strategies as st
    >>> isinstance(calendars(zones=["America/New_York"]), st.SearchStrategy)
    True
    """
    source = _strategy_of(program, ProgramStructure, programs, "program")
    names = _ZONES if zones is None else tuple(zones)
    if not names or not all(isinstance(z, str) and not _is_host_zone(z) for z in names):
        raise InvalidArgument(
            f"'zones' must be IANA zone names, not the host's own zone (got {zones!r})"
        )

    @st.composite
    def build(draw: st.DrawFn) -> Calendar:
        chosen = draw(source)
        start = draw(_dates())
        low, high = chosen.min_weeks, chosen.max_weeks
        until = None if low == high else draw(_maybe(st.integers(low, high)))
        days = 7 * (low if until is None else until)
        closed = draw(st.lists(st.integers(0, days - 1), max_size=3, unique=True))
        return expand(
            chosen,
            start,
            draw(st.sampled_from(names)),
            closures=[start + timedelta(days=k) for k in closed],
            until=until,
        )

    return build()


def _record(draw: st.DrawFn, session: ScheduledSession, client: str | None) -> AttendanceRecord:
    status = draw(st.sampled_from(AttendanceStatus))
    minutes = int(session.clinical_duration.total_seconds() // 60)
    attended = None
    if status is AttendanceStatus.PARTIAL:
        if minutes < 2:
            status = AttendanceStatus.PRESENT
        else:
            attended = pendulum.duration(minutes=_near(draw, 1, minutes - 1, minutes // 2))
    keep_id = client is not None and draw(st.sampled_from([True, False]))
    return AttendanceRecord(
        session, status, attended=attended, client_id=client if keep_id else None
    )


def _extra(draw: st.DrawFn, calendar: Calendar, client: str | None) -> AttendanceRecord:
    day = calendar.first + timedelta(
        days=draw(st.integers(0, (calendar.last - calendar.first).days))
    )
    quarter = _near(draw, 32, 76, 40)  # starts between 08:00 and 19:00, shrinking to 10:00
    length = _near(draw, 1, 8, 4)
    start = pendulum.datetime(
        day.year, day.month, day.day, quarter // 4, quarter % 4 * 15, tz=calendar.zone
    )
    status = draw(st.sampled_from([AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL]))
    minutes = length * _QUARTER_MINUTES
    attended = (
        pendulum.duration(minutes=_near(draw, 1, minutes - 1, minutes // 2))
        if status is AttendanceStatus.PARTIAL
        else None
    )
    return AttendanceRecord.extra(
        start,
        start.add(minutes=minutes),
        service=draw(st.sampled_from(_CLINICAL)),
        status=status,
        attended=attended,
        client_id=client,
        program_day=draw(st.sampled_from([False, True])),
    )


def attendances(
    calendar: Calendar | st.SearchStrategy[Calendar] | None = None,
) -> st.SearchStrategy[Attendance]:
    """One client's attendance: records for the calendar's first sessions (up to thirty, in any
    order; later sessions unrecorded), present, partial, absent or excused, and up to two extra
    unscheduled sessions. Shrinks to no records.

    Args:
        calendar: A calendar or a strategy for calendars; `calendars()` when None.

    >>> from hypothesis import strategies as st
    >>> isinstance(attendances(), st.SearchStrategy)
    True
    """
    source = _strategy_of(calendar, Calendar, calendars, "calendar")

    @st.composite
    def build(draw: st.DrawFn) -> Attendance:
        chosen = draw(source)
        client = draw(_maybe(_client_ids()))
        recorded = draw(st.integers(0, min(len(chosen.sessions), 30)))
        records = [_record(draw, s, client) for s in chosen.sessions[:recorded]]
        records += [_extra(draw, chosen, client) for _ in range(draw(st.integers(0, 2)))]
        return Attendance(chosen, draw(st.permutations(records)), client_id=client)

    return build()


# ---- assessment, placement and treatment plans --------------------------------------------


def _check_scheme(scheme: object) -> tuple[str, ...]:
    if scheme is None:
        return _SCHEMES_RATED
    if isinstance(scheme, str) and scheme in _SCHEMES_RATED:
        return (scheme,)
    raise InvalidArgument(
        f"'scheme' must be one of {', '.join(map(repr, _SCHEMES_RATED))} or None (got {scheme!r})"
    )


def assessments(scheme: str | None = None) -> st.SearchStrategy[Assessment]:
    """Assessments rated on every dimension of a scheme: ASAM3 and ASAM4 from 0 to 4 (the range
    the default placement tables serve), LOCUS from 1 to 5. Shrinks to the lowest ratings.

    Args:
        scheme: ``"ASAM3"``, ``"ASAM4"`` or ``"LOCUS"``; any of them when None.

    Raises:
        InvalidArgument: another scheme.

    >>> from hypothesis import strategies as st
    >>> isinstance(assessments("LOCUS"), st.SearchStrategy)
    True
    """
    schemes = _check_scheme(scheme)

    @st.composite
    def build(draw: st.DrawFn) -> Assessment:
        chosen = draw(st.sampled_from(schemes))
        low, high = _RATING_SCALES[chosen]
        ratings = {dim.code: draw(st.integers(low, high)) for dim in dimensions(chosen)}
        return Assessment(chosen, ratings, draw(_dates()), client_id=draw(_maybe(_client_ids())))

    return build()


_CONTINUA_RATED = {"ASAM3": ASAM3, "ASAM4": ASAM4, "LOCUS": LOCUS}


def _locus_policies() -> st.SearchStrategy[LocusPolicy]:
    floors = st.dictionaries(
        st.tuples(st.sampled_from([d.code for d in dimensions("LOCUS")]), st.integers(1, 5)),
        st.sampled_from(LOCUS.codes),
        max_size=3,
    )
    return st.builds(LocusPolicy, floors)


def _policies(scheme: str) -> st.SearchStrategy[PlacementPolicy]:
    if scheme == "LOCUS":
        return _locus_policies()
    return st.just(NeedsPolicy.default(scheme))


def _placed(draw: st.DrawFn, assessment: Assessment) -> Placement:
    continuum = _CONTINUA_RATED[assessment.scheme]
    placement = place(assessment, continuum, draw(_policies(assessment.scheme)))
    chosen = draw(_maybe(st.sampled_from(continuum.levels)))
    if chosen is None or chosen == placement.recommended:
        return placement
    reason = draw(st.sampled_from(DeviationReason))
    notes = _prose("waiting list", "client's choice")
    note = draw(notes if reason is DeviationReason.OTHER else _maybe(notes))
    return placement.choose(chosen, reason, note)


def placements(scheme: str | None = None) -> st.SearchStrategy[Placement]:
    """Placements of `assessments(scheme)` on the scheme's catalog continuum by its default
    policy (LOCUS with drawn single-dimension floors), sometimes with another level chosen and
    the reason recorded. Shrinks to the recommended level.

    >>> from hypothesis import strategies as st
    >>> isinstance(placements("ASAM3"), st.SearchStrategy)
    True
    """
    source = assessments(scheme)

    @st.composite
    def build(draw: st.DrawFn) -> Placement:
        return _placed(draw, draw(source))

    return build()


def _interventions(services: Sequence[Service]) -> st.SearchStrategy[Intervention]:
    return st.builds(
        Intervention,
        st.sampled_from(services),
        st.sampled_from([1.0, 3.0, 2.0, 0.5, 5.0]),
        st.sampled_from(CareRole),
        description=_maybe(_prose("CBT for cravings", "weekly check-in")),
    )


@st.composite
def _objectives(
    draw: st.DrawFn, services: Sequence[Service], first: date, last: date, complete: bool
) -> Objective:
    if complete:
        target = first + timedelta(days=_near(draw, 0, (last - first).days, 21))
    else:
        target = draw(st.dates(first - timedelta(days=30), last + timedelta(days=30)))
    return Objective(
        draw(_prose("Names three triggers and a coping plan for each", "Attends 90% of groups")),
        target,
        draw(st.lists(_interventions(services), max_size=2)),
    )


@st.composite
def _goals(
    draw: st.DrawFn, services: Sequence[Service], first: date, last: date, complete: bool
) -> Goal:
    return Goal(
        draw(_prose("Maintain abstinence", "Rebuild a daily routine")),
        draw(
            st.lists(
                _objectives(services, first, last, complete), min_size=int(complete), max_size=2
            )
        ),
    )


@st.composite
def _problems(
    draw: st.DrawFn, services: Sequence[Service], first: date, last: date, complete: bool
) -> Problem:
    return Problem(
        draw(_prose("Alcohol use disorder", "Depressed mood")),
        draw(st.lists(_goals(services, first, last, complete), min_size=int(complete), max_size=2)),
    )


@st.composite
def _aftercare(draw: st.DrawFn) -> Aftercare:
    next_level = draw(_maybe(levels()))
    kinds = draw(
        st.lists(
            st.sampled_from(AftercareService),
            unique=True,
            min_size=int(next_level is None),
            max_size=3,
        )
    )
    return Aftercare(next_level, kinds, draw(_maybe(_prose("Alumni group on Thursdays"))))


def treatment_plans(
    *,
    program: ProgramStructure | st.SearchStrategy[ProgramStructure] | None = None,
    complete: bool = False,
) -> st.SearchStrategy[TreatmentPlan]:
    """Treatment plans for a client's enrolment in a program, from an assessment and its
    placement: one to three problems with goals, objectives and interventions, a review cadence
    and the next review, discharge criteria and sometimes aftercare.

    Args:
        program: A program or a strategy for programs; `programs()` when None.
        complete: Only plans `rulesets.PLAN_RULES` finds complete when judged without a day:
            every problem has a goal, every goal an objective due within the plan, and every
            intervention is a service the program offers. When False, drafts are drawn too.

    >>> from hypothesis import strategies as st
    >>> isinstance(treatment_plans(complete=True), st.SearchStrategy)
    True
    """
    source = _strategy_of(program, ProgramStructure, programs, "program")
    if not isinstance(complete, bool):
        raise InvalidArgument(f"'complete' must be a bool (got {complete!r})")

    @st.composite
    def build(draw: st.DrawFn) -> TreatmentPlan:
        enrolled = draw(source)
        assessment = draw(assessments())
        client = assessment.client_id or draw(_client_ids())
        first = draw(_dates())
        last = first + timedelta(weeks=enrolled.max_weeks, days=-1)
        every = draw(st.sampled_from([30, 7, 14, 28, 60, 90]))
        services = enrolled.services if complete else _CLINICAL
        return TreatmentPlan(
            client,
            assessment,
            _placed(draw, assessment),
            enrolled,
            draw(st.lists(_problems(services, first, last, complete), min_size=1, max_size=3)),
            start=first,
            review_every_days=every,
            next_review=first + timedelta(days=_near(draw, 0, every, every)),
            discharge_criteria=draw(
                st.lists(_prose("Completes the relapse-prevention plan"), max_size=3)
            ),
            aftercare=draw(_maybe(_aftercare())),
        )

    return build()


# ---- episodes -----------------------------------------------------------------------------

_REASON = _maybe(st.sampled_from(("stable", "goals met", "needs more structure")))
_PAYER = _maybe(st.sampled_from(["Medicaid", "Medicare"]))
_UNITS = _maybe(st.integers(1, 60))


_STAY_PROGRAM_DAYS = _pick(
    (("mon", "wed", "fri"), ("tue", "thu"), ("mon",), ("mon", "tue", "wed", "thu", "fri"))
)
_STAY_PROGRAM_HOURS = _pick((3, 1, 2.5, 4, 6))


@functools.lru_cache(maxsize=128)
def _stay_programs(level: LevelOfCare) -> st.SearchStrategy[ProgramStructure]:
    """Weekly programs a stay at `level` may carry: at the level itself, or at a level of
    another catalog scheme it crosswalks to exactly (a GENERIC IOP program for an ASAM3 2.1
    stay). Plain weekly programs, cheap to draw: `programs()` ranges over structures."""
    return st.builds(
        lambda fit, days, hours, weeks: ProgramStructure.weekly(
            fit, days=list(days), hours_per_session=hours, weeks=weeks
        ),
        _pick(_program_levels(level)),
        _STAY_PROGRAM_DAYS,
        _STAY_PROGRAM_HOURS,
        _ints(1 - _TYPICAL_WEEKS, 26 - _TYPICAL_WEEKS).map(lambda k: _TYPICAL_WEEKS + k),
    )


def _stay_program(draw: st.DrawFn, level: LevelOfCare) -> ProgramStructure | None:
    """A program for a stay at `level` one time in four; shrinks to none."""
    return draw(_stay_programs(level)) if draw(_ints(0, 3)) == 3 else None


def _assessed_on(draw: st.DrawFn, day: date) -> Assessment | None:
    """The assessment a move rests on, dated that day, one time in four; shrinks to none."""
    if draw(_ints(0, 3)) != 3:
        return None
    drawn = draw(assessments())
    return Assessment(drawn.scheme, drawn.ratings, day)


def episodes(continuum: Continuum | None = None) -> st.SearchStrategy[Episode]:
    """Episodes of care on a catalog continuum: an admission, up to six steps up, down,
    between pathways (transfers, such as out of ASAM3's withdrawal management) and alongside
    (concurrent services where the continuum has them, such as ASAM3's opioid treatment and
    withdrawal management), now and then a lateral move to another program at the same level,
    payer authorizations, and sometimes a discharge. A stay sometimes records its program, at
    the stay's level or one it crosswalks to exactly, and the `Assessment` its move rests on
    (dated the day of the move). Shrinks to an open episode admitted on 2024-01-01.

    Args:
        continuum: The continuum; any catalog continuum when None.

    >>> from hypothesis import strategies as st
    >>> from carecontinuum import catalogs
    >>> isinstance(episodes(catalogs.ASAM3), st.SearchStrategy)
    True
    """
    _check_optional("continuum", continuum, Continuum)
    source = continua() if continuum is None else st.just(continuum)

    @st.composite
    def build(draw: st.DrawFn) -> Episode:
        chosen = draw(source)
        main = [lvl for lvl in chosen.levels if not lvl.concurrent]
        day = draw(_dates())
        admitted = draw(_pick(main))
        episode = Episode.admit(
            draw(_client_ids()),
            admitted,
            day,
            continuum=chosen,
            reason=draw(_REASON),
            assessment=_assessed_on(draw, day),
            program=_stay_program(draw, admitted),
        )
        authorized_until = day - timedelta(days=1)
        for _ in range(draw(_ints(0, 6))):
            day = day + timedelta(days=_near(draw, 0, 60, 14))
            current = episode.stays[-1].level
            running = [s.level for s in episode.concurrent if s.end is None]
            alongside = [
                lvl
                for lvl in chosen.levels
                if (lvl.concurrent or lvl.pathway != current.pathway) and lvl not in running
            ]
            moves = ["step", "authorize"] + ["add"] * bool(alongside) + ["end"] * bool(running)
            move = draw(_pick(moves))
            if move == "step":
                target = draw(_pick(lvl for lvl in main if lvl != current))
                program = _stay_program(draw, target)
                if draw(_ints(0, 7)) == 7:  # now and then, another program at the same level
                    lateral = draw(_stay_programs(current))
                    if lateral != episode.stays[-1].program:
                        target, program = current, lateral
                episode = episode.step_to(
                    target,
                    day,
                    draw(_REASON),
                    assessment=_assessed_on(draw, day),
                    program=program,
                )
            elif move == "add":
                episode = episode.add_concurrent(draw(_pick(alongside)), day)
            elif move == "end":
                episode = episode.end_concurrent(draw(_pick(running)), day)
            else:
                first = max(authorized_until + timedelta(days=1), day)
                authorized_until = first + timedelta(days=_near(draw, 0, 60, 13))
                episode = episode.authorize(
                    draw(_pick(main)),
                    first,
                    authorized_until,
                    payer=draw(_PAYER),
                    units=draw(_UNITS),
                )
        if draw(_FALSE_FIRST):
            day = day + timedelta(days=_near(draw, 0, 60, 14))
            if episode.authorizations:  # no authorization may begin after the discharge
                day = max(day, *(a.start for a in episode.authorizations))
            episode = episode.discharge(
                day,
                draw(_pick(DischargeReason)),
                note=draw(_maybe(_prose("completed the program"))),
                referred_to=draw(_maybe(levels())),
            )
        return episode

    return build()


# ---- the rule engine ----------------------------------------------------------------------


def _continuum_or_any(continuum: Continuum | None) -> st.SearchStrategy[Continuum]:
    """`continuum` (checked) as a strategy, or any catalog continuum when it is None."""
    _check_optional("continuum", continuum, Continuum)
    return continua() if continuum is None else st.just(continuum)


def censuses(continuum: Continuum | None = None) -> st.SearchStrategy[Census]:
    """Censuses of up to five episodes of one continuum (`episodes`), over a window of up to 90
    days that may begin before, during or after them, so that stays are cut at either end.

    Args:
        continuum: The continuum; any catalog continuum when None.

    >>> from hypothesis import strategies as st
    >>> isinstance(censuses(), st.SearchStrategy)
    True
    """
    source = _continuum_or_any(continuum)

    @st.composite
    def build(draw: st.DrawFn) -> Census:
        chosen = draw(source)
        held = draw(st.lists(episodes(chosen), max_size=5))
        first = draw(_dates()) - timedelta(days=draw(_ints(0, 60)))
        return census(held, first, first + timedelta(days=draw(_ints(0, 90))), continuum=chosen)

    return build()


def stay_lengths(level: LevelOfCare | None = None) -> st.SearchStrategy[StayLengths]:
    """Kaplan-Meier lengths of stay of up to 30 stays of 0 to 120 days, ended or censored, ties
    included (none at all sometimes).

    Args:
        level: The level; any level when None.

    >>> from hypothesis import strategies as st
    >>> isinstance(stay_lengths(), st.SearchStrategy)
    True
    """
    _check_optional("level", level, LevelOfCare)
    chosen = levels() if level is None else st.just(level)
    seen = st.lists(st.tuples(_ints(0, 120), _TRUE_FIRST), max_size=30).map(sorted)
    return st.builds(
        lambda lv, pairs: StayLengths(lv, tuple(n for n, _ in pairs), tuple(e for _, e in pairs)),
        chosen,
        seen,
    )


def flow_models(continuum: Continuum | None = None) -> st.SearchStrategy[FlowModel]:
    """Flow models: admissions into some levels, a mean length of stay (0 to 120 days) or a
    `stay_lengths` distribution for every level, and moves from some levels to others, each
    such level discharging at least one client in twenty, so that every level can be left.

    Args:
        continuum: The continuum; any catalog continuum when None.

    >>> from hypothesis import strategies as st
    >>> isinstance(flow_models(), st.SearchStrategy)
    True
    """
    source = _continuum_or_any(continuum)

    @st.composite
    def build(draw: st.DrawFn) -> FlowModel:
        chosen = draw(source)
        every = chosen.levels
        admitted = draw(st.lists(_pick(every), min_size=1, max_size=3, unique=True))
        rates = {lv: draw(st.floats(0, 20, allow_nan=False)) for lv in admitted}
        lengths: dict[LevelOfCare, float | StayLengths] = {}
        for lv in every:
            if draw(_ints(0, 4)) == 4:
                lengths[lv] = draw(stay_lengths(lv).filter(lambda d: d.count > 0))
            else:
                lengths[lv] = draw(st.floats(0, 120, allow_nan=False))
        moves: dict[LevelOfCare, dict[LevelOfCare | None, float]] = {}
        for lv in draw(st.lists(_pick(every), max_size=len(every), unique=True)):
            targets = draw(st.lists(_pick(every), min_size=1, max_size=3, unique=True))
            weights = [draw(st.integers(0, 20)) for _ in targets]
            leave = draw(st.integers(1, 20))
            total = sum(weights) + leave
            route: dict[LevelOfCare | None, float] = {
                t: w / total for t, w in zip(targets, weights, strict=True)
            }
            route[None] = leave / total
            moves[lv] = route
        return FlowModel(chosen, admissions=rates, length_of_stay=lengths, moves=moves)

    return build()


def sources() -> st.SearchStrategy[Source]:
    """Citations: a title, and maybe a publisher, a year, a locator, a URL and a note.

    >>> from hypothesis import strategies as st
    >>> isinstance(sources(), st.SearchStrategy)
    True
    """
    return st.builds(
        Source,
        _prose("Clinic policy", "The ASAM Criteria, 3rd edition"),
        publisher=_maybe(_prose("American Society of Addiction Medicine")),
        year=_maybe(st.integers(1990, 2030)),
        locator=_maybe(_prose("Level 2.1")),
        url=_maybe(st.sampled_from(["https://example.org/policy"])),
        note=_maybe(_prose("Carried over from the 3rd edition.")),
    )


def _rule_ids() -> st.SearchStrategy[str]:
    known = sorted({rule.id for rs in _rulesets.ALL.values() for rule in rs})
    return st.sampled_from(known) | _text(30)


def findings() -> st.SearchStrategy[Finding]:
    """Findings of any severity, with a message, what was expected and found, a path, a source
    and sometimes the level the subject looks like.

    >>> from hypothesis import strategies as st
    >>> isinstance(findings(), st.SearchStrategy)
    True
    """
    return st.builds(
        Finding,
        _rule_ids(),
        st.sampled_from(Severity),
        _prose("The typical week has 8 clinical hours."),
        expected=_prose("at least 9 clinical hours a week"),
        found=_prose("8 clinical hours in the typical week"),
        path=st.sampled_from(["", "sessions[0]", "weeks", "sessions_in_week(1)"]),
        source=sources(),
        looks_like=_maybe(levels()),
    )


_FACTORIES = (
    _rulesets.weekly_hours,
    _rulesets.daily_hours,
    _rulesets.days_per_week,
    _rulesets.sessions_per_week,
    _rulesets.session_hours,
    _rulesets.program_weeks,
)


@st.composite
def _custom_rules(draw: st.DrawFn) -> Rule:
    factory = draw(st.sampled_from(_FACTORIES))
    low = draw(_maybe(st.integers(1, 20)))
    high = draw(_maybe(st.integers(low or 1, 40))) if low is not None else draw(st.integers(1, 40))
    return factory(
        f"CUSTOM-{draw(st.integers(1, 99))}",
        "A clinic's own bound",
        source=draw(sources()),
        levels=draw(levels()),
        populations=draw(st.lists(st.sampled_from(Population), unique=True, max_size=1)),
        at_least=low,
        at_most=high,
    )


def rules() -> st.SearchStrategy[Rule]:
    """Rules: those of the built-in rule sets, or a clinic's own bound built with a rule
    factory (weekly hours, hours a day, days or sessions a week, session hours, weeks).

    >>> from hypothesis import strategies as st
    >>> isinstance(rules(), st.SearchStrategy)
    True
    """
    built_in = [rule for rs in _rulesets.ALL.values() for rule in rs]
    return st.sampled_from(built_in) | _custom_rules()


def rule_sets() -> st.SearchStrategy[RuleSet]:
    """The built-in rule sets (TYPICAL_IOP first), sometimes amended: a rule left out or one
    rule's severity changed.

    >>> from hypothesis import strategies as st
    >>> isinstance(rule_sets(), st.SearchStrategy)
    True
    """

    @st.composite
    def build(draw: st.DrawFn) -> RuleSet:
        ruleset = draw(st.sampled_from(list(_rulesets.ALL.values())))
        change = draw(st.sampled_from(["none", "without", "severity"]))
        if change == "none" or not ruleset.ids:
            return ruleset
        rule_id = draw(st.sampled_from(ruleset.ids))
        if change == "without":
            return ruleset.without(rule_id)
        return ruleset.with_severity(rule_id, draw(st.sampled_from(Severity)))

    return build()


def rule_series() -> st.SearchStrategy[RuleSeries]:
    """Dated series of rule versions: the built-in series (North Carolina's first), or a
    built-in rule set cut into two to four dated versions, with or without gaps between them.

    >>> from hypothesis import strategies as st
    >>> isinstance(rule_series(), st.SearchStrategy)
    True
    """

    @st.composite
    def build(draw: st.DrawFn) -> RuleSeries:
        ruleset = draw(st.sampled_from(list(_rulesets.ALL.values())))
        cuts = draw(st.lists(_dates(), min_size=1, max_size=3, unique=True))
        cuts.sort()
        versions = []
        start: date | None = None
        for i, cut in enumerate(cuts):
            if start is not None and cut < start:
                break
            versions.append(RuleSet(ruleset.name, f"{ruleset.version}.{i + 1}", ruleset.rules,
                                    effective_from=start, effective_until=cut))  # fmt: skip
            gap = draw(st.integers(min_value=1, max_value=30))
            start = cut + timedelta(days=gap)
        last = RuleSet(ruleset.name, f"{ruleset.version}.{len(versions) + 1}", ruleset.rules,
                       effective_from=start)  # fmt: skip
        return _rulesets.series(*versions, last)

    built_in = [_rulesets.NC_SAIOP_SERIES, _rulesets.NC_SACOT_SERIES]
    return st.sampled_from(built_in) | build()


def validation_reports() -> st.SearchStrategy[ValidationReport]:
    """Reports of a program validated under a rule set.

    >>> from hypothesis import strategies as st
    >>> isinstance(validation_reports(), st.SearchStrategy)
    True
    """
    return st.tuples(programs(), rule_sets()).map(lambda pair: validate(*pair))


# ---- registration with hypothesis ---------------------------------------------------------


def _claim_row(record: AttendanceRecord) -> dict[str, Any]:
    """One record as a row of `judge_client_weeks`'s table."""
    partial = record.status is AttendanceStatus.PARTIAL
    row: dict[str, Any] = {
        "status": record.status.value,
        "attended_hours": record.attended.total_seconds() / 3600 if partial else None,
        "extra": record.is_extra,
        "start": record.session.start if record.session is not None else record.start,
        "end": record.end,
        "service": record.service.value if record.service is not None else None,
        "program_day": None if record.session is not None else record.program_day,
    }
    return row


def _client_weeks() -> st.SearchStrategy[ClientWeeks]:
    """Client-weeks judged in bulk: one to three clients' attendance on one calendar."""

    @st.composite
    def build(draw: st.DrawFn) -> ClientWeeks:
        calendar = draw(calendars())
        ruleset = draw(st.sampled_from(list(_rulesets.ALL.values())))
        rows = []
        for i in range(draw(st.integers(1, 3))):
            attendance = draw(attendances(calendar))
            rows += [{"client": f"client-{i}", **_claim_row(r)} for r in attendance.records]
        names = ("client", "start", "status", "attended_hours", "extra", "end", "service",
                 "program_day")  # fmt: skip
        claims = {name: [row[name] for row in rows] for name in names}
        return judge_client_weeks(claims, calendar, ruleset)

    return build()


def _classifications() -> st.SearchStrategy[Classification]:
    graded = [rs for rs in _rulesets.ALL.values() if rs.levels(tag="intensity")]

    def at_level(ruleset: RuleSet) -> st.SearchStrategy[tuple[Classification, ...]]:
        return st.sampled_from(ruleset.levels(tag="intensity")).flatmap(
            lambda level: programs(level=level, satisfying=ruleset).map(
                lambda p: classify(p, ruleset)
            )
        )

    return st.sampled_from(graded).flatmap(at_level).filter(bool).flatmap(st.sampled_from)


def _judged_designs(
    judge: Callable[[list[ProgramStructure], RuleSet], _T],
) -> st.SearchStrategy[_T]:
    """A batch's results: a few programs judged together under a built-in rule set."""
    graded = [rs for rs in _rulesets.ALL.values() if rs.levels(tag="intensity")]
    return st.builds(judge, st.lists(programs(), max_size=3), st.sampled_from(graded))


def _rule_contexts() -> st.SearchStrategy[RuleContext]:
    @st.composite
    def build(draw: st.DrawFn) -> RuleContext:
        program = draw(programs())
        ruleset = draw(st.sampled_from([rs for rs in _rulesets.ALL.values() if rs.ids]))
        rule = draw(st.sampled_from(ruleset.rules))
        return RuleContext(
            program, rule, ruleset, program.level, program.population, program.track, {}
        )

    return build()


def _scheduled_sessions() -> st.SearchStrategy[ScheduledSession]:
    return calendars().filter(lambda c: len(c) > 0).flatmap(lambda c: st.sampled_from(c.sessions))


def _attendance_records() -> st.SearchStrategy[AttendanceRecord]:
    @st.composite
    def build(draw: st.DrawFn) -> AttendanceRecord:
        calendar = draw(calendars().filter(lambda c: len(c) > 0))
        client = draw(_maybe(_client_ids()))
        if draw(st.sampled_from([False, True])):
            return _extra(draw, calendar, client)
        return _record(draw, draw(st.sampled_from(calendar.sessions)), client)

    return build()


def _authorizations() -> st.SearchStrategy[Authorization]:
    @st.composite
    def build(draw: st.DrawFn) -> Authorization:
        first = pendulum.Date.fromordinal(draw(_dates()).toordinal())
        last = first.add(days=_near(draw, 0, 90, 13))
        return Authorization(
            draw(levels()),
            first,
            last,
            payer=draw(_PAYER),
            next_review=draw(_maybe(st.just(last))),
            units=draw(_UNITS),
        )

    return build()


def _span_for(thing: Any) -> st.SearchStrategy[Span[Any]]:
    args = typing.get_args(thing)
    return spans(st.from_type(args[0]) if args and args[0] is not int else None)


def _type_strategies() -> dict[type, Callable[[Any], st.SearchStrategy[Any]]]:
    """A strategy (as a function of the type asked for) for every public class that is neither
    an enum (hypothesis samples those itself) nor an exception."""
    any_episode = episodes()
    any_placement = placements()
    clinical = list(_CLINICAL)
    first, last = date(2026, 3, 2), date(2026, 4, 26)
    return {
        LevelOfCare: lambda _: levels(),
        Continuum: lambda _: continua(),
        Span: _span_for,
        Crosswalk: lambda _: crosswalks(),
        Segment: lambda _: segments(),
        Session: lambda _: sessions(),
        ProgramStructure: lambda _: programs(),
        WeekFigures: lambda _: programs().flatmap(lambda p: st.sampled_from(weeks_of(p))),
        Calendar: lambda _: calendars(),
        CalendarWeek: lambda _: calendars().flatmap(lambda c: st.sampled_from(c.by_week())),
        ScheduledSession: lambda _: _scheduled_sessions(),
        Attendance: lambda _: attendances(),
        AttendanceRecord: lambda _: _attendance_records(),
        WeekDelivery: lambda _: attendances().flatmap(lambda a: st.sampled_from(a.by_week())),
        _rulesets.PerDiemDay: lambda _: (
            st.one_of(programs(), calendars(), attendances())
            .map(_rulesets.per_diem_days)
            .filter(bool)
            .flatmap(st.sampled_from)
        ),
        Assessment: lambda _: assessments(),
        Dimension: lambda _: st.sampled_from([d for s in _SCHEMES_RATED for d in dimensions(s)]),
        Placement: lambda _: any_placement,
        PlacementReason: lambda _: any_placement.flatmap(lambda p: st.sampled_from(p.rationale)),
        PlacementPolicy: lambda _: st.sampled_from(_SCHEMES_RATED).flatmap(_policies),
        NeedsPolicy: lambda _: st.sampled_from(
            [NeedsPolicy.default(s) for s in ("ASAM3", "ASAM4")]
        ),
        LocusPolicy: lambda _: _locus_policies(),
        Intervention: lambda _: _interventions(clinical),
        Objective: lambda _: _objectives(clinical, first, last, False),
        Goal: lambda _: _goals(clinical, first, last, False),
        Problem: lambda _: _problems(clinical, first, last, False),
        Aftercare: lambda _: _aftercare(),
        TreatmentPlan: lambda _: treatment_plans(),
        Episode: lambda _: any_episode,
        Stay: lambda _: any_episode.flatmap(lambda e: st.sampled_from(e.stays)),
        Transition: lambda _: any_episode.filter(lambda e: len(e.stays) > 1).flatmap(
            lambda e: st.sampled_from(e.transitions)
        ),
        Discharge: lambda _: st.builds(
            Discharge,
            _dates().map(lambda d: pendulum.Date.fromordinal(d.toordinal())),
            st.sampled_from(DischargeReason),
            _maybe(_prose("completed the program")),
            _maybe(levels()),
        ),
        Authorization: lambda _: _authorizations(),
        Source: lambda _: sources(),
        Finding: lambda _: findings(),
        Findings: lambda _: st.lists(findings(), max_size=4).map(Findings),
        Rule: lambda _: rules(),
        RuleSet: lambda _: rule_sets(),
        RuleSeries: lambda _: rule_series(),
        RuleContext: lambda _: _rule_contexts(),
        ValidationReport: lambda _: validation_reports(),
        Classification: lambda _: _classifications(),
        ClassifiedDesigns: lambda _: _judged_designs(classify_many),
        DesignTable: lambda _: st.lists(programs(), max_size=3).map(DesignTable),
        ValidatedDesigns: lambda _: _judged_designs(validate_many),
        Census: lambda _: censuses(),
        DayCensus: lambda _: censuses().flatmap(lambda c: st.sampled_from(c.days).map(c.on)),
        StayLengths: lambda _: stay_lengths(),
        FlowModel: lambda _: flow_models(),
        ClientWeeks: lambda _: _client_weeks(),
    }


def _register_type_strategies() -> None:
    for cls, strategy in _type_strategies().items():
        st.register_type_strategy(cls, strategy)


if _PENDING_HOOK:  # hypothesis ran the hook while this module was half imported
    _register_type_strategies()
