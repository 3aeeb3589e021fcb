"""Plain data: `to_dict` writes any carecontinuum value as JSON-safe dicts, lists, strings,
numbers, booleans and None, and `from_dict` reads such data back through the public constructors.

The conversion runs on cattrs (the ``dicts`` extra), imported on the first call, never by
``import carecontinuum``.
"""

from __future__ import annotations

import enum
import functools
import inspect
import math
import operator
import re
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import (
    TYPE_CHECKING,
    Any,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    overload,
)

import attrs
import pendulum
from pendulum import WeekDay
from pendulum.tz.timezone import Timezone

from ._assessment import _NAMES as _DIMENSION_NAMES
from ._assessment import (
    Assessment,
    Dimension,
    LocusPolicy,
    NeedsPolicy,
    Placement,
    PlacementReason,
)
from ._attendance import Attendance, AttendanceRecord, AttendanceStatus, WeekDelivery
from ._calendar import Calendar, CalendarWeek, ScheduledSession, _is_host_zone, _utc_us, expand
from ._crosswalk import Crosswalk
from ._episode import (
    Authorization,
    Discharge,
    Episode,
    Stay,
    Transition,
    _direction,
)
from ._errors import (
    CareContinuumError,
    InvalidTypeError,
    InvalidValueError,
    ScheduleConflictError,
    UnknownLevelError,
    UnknownRuleError,
    _clip,
    _echo,
)
from ._frozen import FrozenMap, value_eq, value_hash
from ._levels import Continuum, LevelOfCare
from ._measures import WeekFigures
from ._plan import (
    Aftercare,
    Goal,
    Intervention,
    Objective,
    Problem,
    TreatmentPlan,
)
from ._program import (
    ProgramStructure,
    Segment,
    Service,
    Session,
)
from ._rules import Classification, Finding, Rule, RuleSeries, RuleSet, Source, ValidationReport
from ._span import Span
from ._text import value_repr
from ._validators import _MAX_NUMBER, _MAX_STRING_LENGTH, check_int

if TYPE_CHECKING:
    from cattrs.errors import (
        AttributeValidationNote,
        ClassValidationError,
        IterableValidationError,
        IterableValidationNote,
    )
    from cattrs.preconf.json import JsonConverter

__all__ = ["SCHEMA", "DataError", "MissingExtraError", "from_dict", "to_dict"]

_T = TypeVar("_T")

#: The format written into every dict's ``"schema"`` key: ``carecontinuum/MAJOR.MINOR``. A
#: minor version only adds (optional keys, value types); a major one changes what is there.
#: `from_dict` reads every ``carecontinuum/1.x`` (see `_reading`) and refuses other majors.
SCHEMA = "carecontinuum/1.1"
_VERSION = (1, 1)
_SCHEMA_TEXT = re.compile(r"carecontinuum/(0|[1-9][0-9]{0,8})(?:\.(0|[1-9][0-9]{0,8}))?")


# ---- errors ------------------------------------------------------------------------------------


class MissingExtraError(CareContinuumError, ImportError):
    """Raised when a part of the library that runs on an optional package is used without it:
    `to_dict` and `from_dict` need cattrs (the ``dicts`` extra), `carecontinuum.ics.to_ics`
    needs icalendar (the ``ics`` extra). The message names the call, the package and the extra
    to install (``pip install carecontinuum[dicts]``).

    >>> from carecontinuum import MissingExtraError
    >>> error = MissingExtraError()
    >>> isinstance(error, ImportError), "carecontinuum[dicts]" in str(error)
    (True, True)
    """

    package: str
    extra: str
    needed_by: str

    def __init__(
        self,
        package: str = "cattrs",
        extra: str = "dicts",
        needed_by: str = "to_dict() and from_dict()",
    ) -> None:
        self.package = package
        self.extra = extra
        self.needed_by = needed_by
        verb = "need" if " and " in needed_by else "needs"
        super().__init__(
            f"{needed_by} {verb} {package}, which is not installed; install "
            f"carecontinuum's {extra!r} extra: pip install carecontinuum[{extra}]"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.package, self.extra, self.needed_by))


class DataError(CareContinuumError, ValueError):
    """Raised by `from_dict` for data it cannot read, and by `to_dict` for a value it cannot
    write, listing every problem found, each with its path.

    `problems` holds one line per problem, ``"path: what is wrong"``, the path written as you
    would index the data (``sessions[2].start``, ``ratings['3']``); a problem with the data as
    a whole has no path. Missing, unexpected and mistyped keys are all reported together;
    so is each object whose keys were well-formed but which its constructor refused (one
    problem per object: a constructor stops at its first). The cattrs exception group behind
    the problems is the error's ``__cause__``.

    >>> from carecontinuum import Span, from_dict, to_dict
    >>> data = to_dict(Span(6, 12))
    >>> data["minimum"], data["colour"] = "six", "blue"
    >>> try:
    ...     from_dict(Span, data)
    ... except DataError as error:
    ...     print(*error.problems, sep="\\n")
    minimum: expected a number, a date or an ISO 8601 duration, got 'six'
    colour: unexpected key (a Span has minimum, maximum)
    """

    summary: str
    problems: tuple[str, ...]

    def __init__(self, summary: str, problems: Iterable[str]) -> None:
        self.summary = summary
        self.problems = tuple(problems)
        super().__init__(_problems_text(summary, self.problems))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.summary, self.problems))


#: The most problems a `DataError`'s message lists (all are in its `problems`), and the most
#: characters of its message: a few lines, however many problems the data has.
_MAX_PROBLEMS_SHOWN = 3
_MAX_MESSAGE = 400


def _problems_text(summary: str, problems: tuple[str, ...]) -> str:
    """A `DataError`'s message: the summary and the first problems, each on one line, and how
    many more there are ("... and 12 more in .problems")."""
    count = len(problems)
    head = f"{_clip(summary, 100)} ({count:,} problem{'' if count == 1 else 's'}):"
    shown = problems if count <= _MAX_PROBLEMS_SHOWN else problems[: _MAX_PROBLEMS_SHOWN - 1]
    more = f"\n  ... and {count - len(shown):,} more in .problems" if len(shown) < count else ""
    width = (_MAX_MESSAGE - len(head) - len(more)) // max(len(shown), 1) - 3
    lines = "".join(f"\n  {_clip(problem, width)}" for problem in shown)
    return f"{head}{lines}{more}"


class _Problem(Exception):  # noqa: N818 (one problem among many; DataError is the error)
    """One problem with one value; where it is comes from the notes cattrs' machinery adds (or,
    raised by a constructor-like check, from `field`, as the library's errors name theirs)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _short(value: object) -> str:
    return _echo(value, 48)


def _expected(what: str, value: object) -> _Problem:
    return _Problem(f"expected {what}, got {_short(value)}")


def _a(name: str) -> str:
    return f"{'an' if name[:1] in 'AEIOU' else 'a'} {name}"


# ---- leaves: dates, times, durations, zones ---------------------------------------------------

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?")
_DURATION = re.compile(
    r"(-)?P(?!$)(?:([0-9]+)D)?"
    r"(?:T(?=[0-9])(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)(?:\.([0-9]{1,6}))?S)?)?"
)
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    # Offsets to the second (and beyond): zones' local mean times before 1900 have them.
    r"(?:Z|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)"
)
_US_PER_SECOND = 1_000_000
# A figure of a duration with more digits than this is past what Python holds (999,999,999
# days are 86,399,999,999,913,600 seconds: 17 digits); refused before it is read as an int.
_MAX_DURATION_DIGITS = 20
_ONE_US = timedelta(microseconds=1)
_MAX_US = timedelta.max // _ONE_US
_MIN_US = -(timedelta.min // _ONE_US)  # the longest negative duration, in microseconds

_DATE_TEXT = "a date 'YYYY-MM-DD'"
_TIME_TEXT = "a time 'HH:MM[:SS]'"
_DURATION_TEXT = "an ISO 8601 duration such as 'PT2H45M'"
_DATETIME_TEXT = "a date and time with its UTC offset, such as '2026-03-02T18:00:00-05:00'"
_ZONE_TEXT = "an IANA time-zone name such as 'America/New_York'"


def _micro(fraction: str | None) -> int:
    return int(fraction.ljust(6, "0")) if fraction else 0


def _read_day(value: object, _kind: object = None) -> pendulum.Date:
    day = _day(value) if type(value) is str else None
    if type(day) is pendulum.Date:  # what `_day` makes of a day that exists
        return day
    raise _expected(_DATE_TEXT if day is None else f"{_DATE_TEXT} that exists", value)


@functools.lru_cache(maxsize=4096)  # the days of a file repeat: each is parsed once
def _day(text: str) -> pendulum.Date | bool | None:
    """The day `text` writes; False when it has a date's form but no such day exists
    ('2026-02-30'), None when it has not."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return pendulum.Date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False


def _read_plain_day(value: object, _kind: object = None) -> date:
    day = _read_day(value)
    return date(day.year, day.month, day.day)


def _write_day(value: object) -> str:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _expected("a date", value)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _read_time(value: object, _kind: object = None) -> pendulum.Time:
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _expected(_TIME_TEXT, value)
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise _expected(f"{_TIME_TEXT} that exists", value)
    return pendulum.Time(hour, minute, second, _micro(match[4]))


def _write_time(value: object) -> str:
    if not isinstance(value, time) or value.tzinfo is not None:
        raise _expected("a wall-clock time without a zone", value)
    text = f"{value.hour:02d}:{value.minute:02d}"
    if value.second or value.microsecond:
        text += f":{value.second:02d}"
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text


def _read_duration(value: object, _kind: object = None) -> pendulum.Duration:
    match = _DURATION.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _expected(_DURATION_TEXT, value)
    sign, days, hours, minutes, seconds, fraction = match.groups()
    if any(part is not None and len(part) > _MAX_DURATION_DIGITS for part in match.groups()):
        raise _expected(f"{_DURATION_TEXT} Python can hold", value)
    total = (
        (int(days or 0) * 24 + int(hours or 0)) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    ) * _US_PER_SECOND + _micro(fraction)
    if total > (_MIN_US if sign else _MAX_US):
        raise _expected(f"{_DURATION_TEXT} Python can hold", value)
    return pendulum.Duration(microseconds=-total if sign else total)


def _write_duration(value: object) -> str:
    if not isinstance(value, timedelta):
        raise _expected("a duration", value)
    # timedelta's own arithmetic: pendulum's Duration reads days and seconds its own way.
    total = timedelta.__floordiv__(value, _ONE_US)
    sign, total = ("-", -total) if total < 0 else ("", total)
    seconds, micro = divmod(total, _US_PER_SECOND)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    text = f"{hours}H" if hours else ""
    text += f"{minutes}M" if minutes else ""
    if seconds or micro or not text:
        text += f"{seconds}.{micro:06d}".rstrip("0").rstrip(".") + "S"
    return f"{sign}PT{text}"


def _read_moment(value: object, _kind: object = None) -> pendulum.DateTime:
    if not isinstance(value, str) or _DATETIME.fullmatch(value) is None:
        raise _expected(_DATETIME_TEXT, value)
    try:
        return pendulum.instance(datetime.fromisoformat(value))
    except (ValueError, OverflowError):
        raise _expected(f"{_DATETIME_TEXT} that exists", value) from None


def _write_moment(value: object) -> str:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise _expected("a timezone-aware datetime", value)
    return value.isoformat()


def _read_zone(value: object, _kind: object = None) -> Timezone:
    if not isinstance(value, str):
        raise _expected(_ZONE_TEXT, value)
    if _is_host_zone(value):
        raise _expected(f"{_ZONE_TEXT}, not the host's own zone", value)
    try:
        zone = pendulum.timezone(value)
    except Exception:  # pendulum and zoneinfo raise several kinds for names they lack
        zone = None
    if not isinstance(zone, Timezone):
        raise _expected(_ZONE_TEXT, value)
    return zone


def _write_zone(value: object) -> str:
    if not isinstance(value, Timezone):
        raise _expected("an IANA time zone", value)
    return value.name


_WEEKDAYS = {day.name.lower(): day for day in WeekDay}


def _read_weekday(value: object, _kind: object = None) -> WeekDay:
    day = _WEEKDAYS.get(value) if isinstance(value, str) else None
    if day is None:
        raise _expected("a weekday name ('monday' to 'sunday')", value)
    return day


def _write_weekday(value: object) -> str:
    if type(value) is not WeekDay:
        raise _expected("a pendulum.WeekDay", value)
    return value.name.lower()


def _read_str(value: object, _kind: object = None) -> str:
    if not isinstance(value, str):
        raise _expected("a string", value)
    return value


def _read_int(value: object, _kind: object = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _expected("an int", value)
    return value


def _read_number(value: object, _kind: object = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _expected("a number", value)
    return value


def _read_bool(value: object, _kind: object = None) -> bool:
    if not isinstance(value, bool):
        raise _expected("true or false", value)
    return value


def _is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, enum.Enum) and kind is not WeekDay


def _enum_values(kind: type[enum.Enum]) -> str:
    return ", ".join(repr(member.value) for member in kind)


@functools.cache
def _members(kind: type[enum.Enum]) -> dict[tuple[type, object], enum.Enum]:
    """An enum's members by their values, typed (so True is not read as 1)."""
    return {(type(member.value), member.value): member for member in kind}


def _read_member(value: object, kind: type[enum.Enum]) -> enum.Enum:
    if type(value) is str or type(value) is int:
        member = _members(kind).get((type(value), value))
        if member is not None:
            return member
    raise _expected(f"one of {_enum_values(kind)}", value)


def _write_member(value: object) -> object:
    if not isinstance(value, enum.Enum):
        raise _expected("an enum member", value)
    return value.value


# ---- shapes: the keys of each kind of value ----------------------------------------------------


class _Weeks:
    """Marker kind: a program's length, a number of weeks or a {minimum, maximum} range."""


class _SpanValue:
    """Marker kind: one end of a bare `Span` (a number, a date or a duration)."""


class _Subject:
    """Marker kind: any value written with its own schema and type (a report's subject)."""


class _Null:
    """Marker kind: a key that holds null (an unscheduled record's ``session``)."""


class _Entries:
    """Marker kind: an attendance's records, whose sessions are positions in its calendar."""


class _FactoryRule:
    """Marker kind: a rule of a rule set written in full, as the factory that made it and its
    arguments (`_factory_shape`)."""


@attrs.frozen
class _Floor:
    """One LOCUS floor as data: a rating of a dimension sets a minimum level."""

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    dimension: str
    rating: int
    level: str


@attrs.frozen
class _Dated:
    """One dated session of a calendar as data: its start and end instants with their UTC
    offsets, its template's position in the program's sessions, and its program week; written
    so a reader need not expand the program itself."""

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    start: datetime
    end: datetime
    index: int
    week: int


def _dated(sessions: tuple[ScheduledSession, ...]) -> tuple[_Dated, ...]:
    return tuple(_Dated(s.start, s.end, s.index, s.week) for s in sessions)


def _check_dated(
    name: str, written: tuple[_Dated, ...], made: tuple[ScheduledSession, ...]
) -> None:
    """Refuse dated sessions other than those the calendar's program, zone, days and closures
    make, naming the first that differs (an instant differs also by its UTC offset)."""
    if len(written) != len(made):
        raise _Problem(
            f"expected the {len(made):,} sessions expand() makes of program, zone, first, last "
            f"and closures, got {len(written):,}",
            field=name,
        )
    for i, (mine, theirs) in enumerate(zip(written, _dated(made), strict=True)):
        for key in ("start", "end", "index", "week"):
            got, want = getattr(mine, key), getattr(theirs, key)
            instant = key in ("start", "end")
            # In UTC: Python never finds an instant of a repeated hour (a clock going back)
            # equal to one in another zone.
            if instant and (got.astimezone(UTC), got.utcoffset()) == (
                want.astimezone(UTC),
                want.utcoffset(),
            ):
                continue
            if instant or got != want:
                shown = _write_moment(want) if instant else want
                raise _Problem(
                    f"expected {shown!r}, as expand() makes it, got {_as_data(got)}",
                    field=f"{name}[{i}].{key}",
                )


def _calendar(
    *,
    program: ProgramStructure,
    zone: Timezone,
    first: pendulum.Date,
    last: pendulum.Date,
    closures: tuple[pendulum.Date, ...] = (),
    sessions: tuple[_Dated, ...] | None = None,
    closed: tuple[_Dated, ...] | None = None,
) -> Calendar:
    """A calendar as expand() makes it, checked against the dated sessions the data lists."""
    calendar = expand(program, first, zone, closures=closures, until=last)
    if sessions is not None:
        _check_dated("sessions", sessions, calendar.sessions)
    if closed is not None:
        _check_dated("closed", closed, calendar.closed)
    return calendar


@attrs.frozen
class _WeekEntry:
    """One session's part of a `WeekFigures` week as data: the weekday its clinical time counts
    on, that time, and the session with its position in the subject's sessions or records."""

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    weekday: WeekDay
    clinical: pendulum.Duration
    index: int
    session: Session


def _week_entries(week: WeekFigures) -> tuple[_WeekEntry, ...]:
    return tuple(
        _WeekEntry(WeekDay(day), pendulum.Duration(microseconds=us), index, session)
        for day, us, index, session in week._entries
    )


def _week_figures(entries: tuple[_WeekEntry, ...], **rest: Any) -> WeekFigures:
    for i, entry in enumerate(entries):  # named as the data has them, not as WeekFigures' rows
        if entry.clinical < timedelta(0):
            raise InvalidValueError(f"entries[{i}].clinical", entry.clinical, "no negative time")
        check_int(f"entries[{i}].index", entry.index, minimum=0)
    rows = tuple(
        (e.weekday.value, timedelta.__floordiv__(e.clinical, _ONE_US), e.index, e.session)
        for e in entries
    )
    return WeekFigures(entries=rows, **rest)


@attrs.frozen
class _Positioned:
    """An attendance record with its session's position in the calendar (None when extra)."""

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    position: int | None
    record: AttendanceRecord


_REFERENCES = {
    LevelOfCare: "a level of care ({'scheme': ..., 'code': ...} or in full)",
    Continuum: "a continuum ({'scheme': ...} or in full)",
    RuleSet: "a rule set: a built-in one ({'name': ..., 'version': ...}) or one of factory rules "
    "in full ({'name': ..., 'version': ..., 'rules': [...], ...})",
    _FactoryRule: "a rule made by a factory ({'factory': 'weekly_hours', 'id': ..., ...}) or a "
    "built-in set's rule ({'ruleset': ..., 'version': ..., 'id': ...})",
    Rule: "a rule of a built-in rule set ({'ruleset': ..., 'version': ..., 'id': ...})",
    _Weeks: "a number of weeks, or a range {'minimum': ..., 'maximum': ...}",
    _SpanValue: "a number, a date or an ISO 8601 duration",
    _Subject: "a carecontinuum value as to_dict() writes it",
    _Null: "null",
    _Entries: "a list of attendance records",
    str: "a string",
    int: "an int",
    float: "a number",
    bool: "true or false",
    date: _DATE_TEXT,
    pendulum.Date: _DATE_TEXT,
    pendulum.Time: _TIME_TEXT,
    pendulum.Duration: _DURATION_TEXT,
    datetime: _DATETIME_TEXT,
    Timezone: _ZONE_TEXT,
    WeekDay: "a weekday name ('monday' to 'sunday')",
}


def _is_nullable(kind: Any) -> bool:
    """Whether `kind` is ``X | None``: a key that may be null."""
    if not isinstance(kind, types.UnionType):
        return False
    args = get_args(kind)
    return len(args) == 2 and type(None) in args


def _not_null(kind: Any) -> Any:
    """The X of ``X | None``."""
    return next(arg for arg in get_args(kind) if arg is not type(None))


def _describe(kind: Any) -> str:
    """What a value of `kind` looks like in the data, for messages."""
    if kind in _REFERENCES:
        return _REFERENCES[kind]
    if _is_nullable(kind):
        return f"{_describe(_not_null(kind))} or null"
    origin = get_origin(kind)
    if origin is tuple:
        return f"a list, each item {_describe(get_args(kind)[0])}"
    if origin is dict:
        return f"a mapping (a JSON object), each value {_describe(get_args(kind)[1])}"
    if _is_enum(kind):
        return f"one of {_enum_values(kind)}"
    name = getattr(origin or kind, "__name__", repr(kind))
    return f"{_a(name)} object (a JSON object)"


@attrs.frozen
class _Key:
    """One key of a shape: its name, the kind of its value, whether it may be left out (the
    constructor's default then applies) or be null, and how to read it from a value."""

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    name: str
    kind: Any
    optional: bool = False
    nullable: bool = False
    #: How the key's value is made from the whole value, when it is not an attribute's.
    get: Callable[[Any], Any] | None = None
    #: The attribute that holds the key's value, when it is not named as the key.
    attribute: str | None = None

    def read(self, value: object) -> Any:
        if self.get is not None:
            return self.get(value)
        return getattr(value, self.name if self.attribute is None else self.attribute)


def _key(
    name: str,
    kind: Any,
    *,
    optional: bool = False,
    nullable: bool = False,
    get: Callable[[Any], Any] | None = None,
    attribute: str | None = None,
) -> _Key:
    return _Key(name, kind, optional, nullable, get, attribute)


@attrs.frozen
class _Shape:
    """How one kind of value is written: its keys, and how a value is built from them (a public
    constructor, given the keys present as keyword arguments)."""

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    name: str
    keys: tuple[_Key, ...]
    build: Callable[..., Any]
    #: Constructor argument names that differ from the keys, as the constructor's errors name
    #: them (expand() calls the calendar's first day ``start``).
    renames: Mapping[str, str] = attrs.field(factory=dict)
    #: How a constructor's error is said in the data's terms, where it differs.
    restate: Callable[[Exception], Exception] | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)


_HEAD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _field_path(error: Exception, shape: _Shape, prefix: str = "") -> str | None:
    """The path, among `shape`'s keys, of the field a constructor's error names; None when it
    names none of them."""
    field = getattr(error, "field", None)
    match = _HEAD.match(field) if isinstance(field, str) else None
    if field is None or match is None:
        return None
    head = shape.renames.get(match[0], match[0])
    return f"{prefix}{head}{field[match.end() :]}" if head in shape.names else None


def _as_data(value: object) -> str:
    """A value as the data would hold it (``'2026-03-02'``, not ``Date(2026, 3, 2)``)."""
    writers: tuple[tuple[type, Callable[[Any], object]], ...] = (
        (WeekDay, _write_weekday),
        (enum.Enum, _write_member),
        (datetime, _write_moment),
        (date, _write_day),
        (time, _write_time),
        (timedelta, _write_duration),
    )
    for kind, write in writers:
        if isinstance(value, kind):
            try:
                return _short(write(value))
            except _Problem:
                break
    return _short(value)


def _message(error: BaseException) -> str:
    """One problem's text: what was expected and what came."""
    if isinstance(error, _Problem):
        return error.message
    if isinstance(error, (InvalidValueError, InvalidTypeError)) and not isinstance(
        error, ScheduleConflictError
    ):
        return f"expected {error.expected}, got {_as_data(error.value)}"
    if isinstance(error, CareContinuumError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _restate_stay(error: Exception) -> Exception:
    """A stay's program at another level, named by the program's level as the data has it."""
    if isinstance(error, InvalidValueError) and error.field == "program":
        level = error.value
        if isinstance(level, LevelOfCare):
            data = {"scheme": level.scheme, "code": level.code}
            return InvalidValueError("program.level", data, error.expected)
    return error


def _check_transition(**fields: Any) -> Transition:
    given, order = fields["direction"], _direction(fields["from_level"], fields["to_level"])
    if given is not order:
        raise InvalidValueError(
            "direction", given.value, f"{order.value!r}, as the two levels give"
        )
    return Transition(**fields)


def _check_scheduled(
    session: Session, index: int, week: int, day: pendulum.Date, zone: Timezone
) -> ScheduledSession:
    check_int("index", index, minimum=0)
    check_int("week", week, minimum=0)
    if day.weekday() != session.weekday.value:
        raise InvalidValueError(
            "day", day, f"a {session.weekday.name.title()}, the day the session is held on"
        )
    if not session.occurs_in_week(week):
        raise InvalidValueError(
            "week",
            week,
            f"a week the session is held in (every {session.every_weeks} week(s) from week "
            f"{session.week_offset})",
        )
    start = session.start
    seconds = start.hour * 3600 + start.minute * 60 + start.second
    utc_us = _utc_us(day.toordinal(), seconds, start.microsecond, zone)
    return ScheduledSession(session, index, week, day, utc_us, zone)


def _check_report(  # noqa: PLR0917 (the report's fields, as the data has them)
    subject: object,
    ruleset: RuleSet,
    level: LevelOfCare | None,
    findings: tuple[Finding, ...],
    applied: tuple[str, ...],
    judged_by: Mapping[str, RuleSet] | None = None,
) -> ValidationReport:
    for i, rule_id in enumerate(applied):
        if rule_id not in ruleset:
            raise InvalidValueError(
                f"applied[{i}]", rule_id, f"the id of a rule of {ruleset.name} {ruleset.version}"
            )
    return ValidationReport(subject, ruleset, level, findings, applied, judged_by)


def _check_classification(level: LevelOfCare, report: ValidationReport) -> Classification:
    if report.level != level:
        raise InvalidValueError("level", level, f"the level its report judged at ({report.level})")
    return Classification(level, report)


def _locus_policy(floors: tuple[_Floor, ...] = (), **rest: Any) -> LocusPolicy:
    table: dict[tuple[str, int], str] = {}
    where: dict[tuple[str, int], int] = {}
    for i, floor in enumerate(floors):
        pair = (floor.dimension, floor.rating)
        if pair in where:
            raise InvalidValueError(
                f"floors[{i}]",
                pair,
                f"a (dimension, rating) no other floor has (floors[{where[pair]}] has it)",
            )
        table[pair], where[pair] = floor.level, i
    try:
        return LocusPolicy(table, **rest)
    except (InvalidValueError, InvalidTypeError) as error:
        for pair, i in where.items():
            if error.field == f"floors[{pair!r}]":
                raise type(error)(f"floors[{i}]", error.value, error.expected) from None
        raise


def _partial_only(record: AttendanceRecord) -> pendulum.Duration | None:
    return record.attended if record.status is AttendanceStatus.PARTIAL else None


def _data_kind(hint: Any) -> tuple[Any, bool]:
    """The kind of a field's value in the data, from its type, and whether it may be null
    (``X | None``): a `FrozenMap` is a mapping, the items of tuples and mappings as their own
    kinds say."""
    args = get_args(hint)
    if isinstance(hint, types.UnionType) or get_origin(hint) is Union:
        others = tuple(arg for arg in args if arg is not type(None))
        if len(others) == 1 and len(others) < len(args):
            return _data_kind(others[0])[0], True
        raise TypeError(f"no data kind for {hint!r}: give the key its kind")  # pragma: no cover
    origin = get_origin(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return tuple[_data_kind(args[0])[0], ...], False  # type: ignore[misc]
    if origin in (dict, FrozenMap):
        return dict[args[0], _data_kind(args[1])[0]], False  # type: ignore[misc,valid-type]
    if origin is not None or hint is object:
        raise TypeError(f"no data kind for {hint!r}: give the key its kind")  # pragma: no cover
    return hint, False


def _derived(
    cls: type,
    *,
    build: Callable[..., Any] | None = None,
    keys: Mapping[str, _Key | None] | None = None,
    after: tuple[_Key, ...] = (),
    renames: Mapping[str, str] | None = None,
    restate: Callable[[Exception], Exception] | None = None,
) -> _Shape:
    """The shape of `cls` as its fields describe it, so a field added to the class reaches the
    data (and the JSON Schema) with no other change: one key per attrs field, in the fields'
    order, named as the constructor names it (a private ``_zone`` is ``zone``), of the kind
    its type gives (`_data_kind`), which may be left out when the constructor has a default
    for it, and be null when its type or that default is None. `keys` gives, by that name,
    the key where the data differs from the field (a value written in another form) or None
    where the field is not written; `after`, keys written after the fields' (what the fields
    make, checked on reading); `restate`, how a constructor's error is said in the data's
    terms where they differ."""
    keys = keys or {}
    hints = get_type_hints(cls, localns=globals())
    parameters = inspect.signature(cls).parameters
    derived: list[_Key] = []
    for field in attrs.fields(cls):
        name = field.alias
        if not field.init:  # made by the constructor (an index, a cache): not data
            continue
        if name in keys:
            key = keys[name]
            if key is not None:
                derived.append(key)
            continue
        kind, nullable = _data_kind(hints[field.name])
        parameter = parameters.get(name)
        optional = parameter is not None and parameter.default is not inspect.Parameter.empty
        # A constructor that takes None for a field (Placement's ``chosen``: the recommended
        # level) reads null for its key.
        nullable = nullable or (optional and parameter is not None and parameter.default is None)
        attribute = None if name == field.name else field.name
        derived.append(_Key(name, kind, optional, nullable, attribute=attribute))
    build = cls if build is None else build
    return _Shape(cls.__name__, (*derived, *after), build, renames or {}, restate)


def _argument_kind(hint: Any) -> tuple[Any, bool]:
    """The kind in the data of a factory's argument, from its type, and whether it may be null:
    a collection of values (``Iterable[Population | str] | Population | str``) is a list of
    them, a value also taken by name (``Severity | str``) is that value."""
    args = get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    nullable = type(None) in args
    args = tuple(arg for arg in args if arg is not type(None))
    for arg in args:
        if get_origin(arg) is Iterable:
            items = get_args(get_args(arg)[0]) or get_args(arg)
            return tuple[next(item for item in items if item is not str), ...], nullable  # type: ignore[misc]
    named = tuple(arg for arg in args if arg is not str) or args
    if len(named) != 1:  # pragma: no cover (a factory's argument of a type no kind holds)
        raise TypeError(f"no data kind for {hint!r}")
    return named[0], nullable


def _factory_shape(name: str, factory: Callable[..., Rule]) -> _Shape:
    """How a rule a factory made is written: ``"factory"`` (its name), then one key per argument
    of the factory, named as the factory names it (its ``rule_id`` is ``"id"``), of the kind
    its type gives, which may be left out when it has a default: the factory's signature is
    the description, so an argument added to a factory reaches the data and the schema."""
    from .rulesets import _factories  # noqa: PLC0415 (the rule sets load on first need)

    hints = get_type_hints(factory, vars(_factories))
    keys = [_key("factory", str, get=lambda _rule: name)]
    for parameter in inspect.signature(factory).parameters.values():
        kind, nullable = _argument_kind(hints[parameter.name])
        optional = parameter.default is not inspect.Parameter.empty
        keys.append(
            _key(
                _RULE_KEYS.get(parameter.name, parameter.name),
                kind,
                optional=optional,
                nullable=nullable or (optional and parameter.default is None),
                get=_ARGUMENT_OF_RULE.get(parameter.name) or _param_of(parameter.name),
            )
        )

    def build(**fields: Any) -> Rule:
        del fields["factory"]
        return factory(fields.pop("id"), fields.pop("title"), **fields)

    return _Shape("Rule", tuple(keys), build, renames={"rule_id": "id"})


#: A factory's arguments as the data's keys (the rest are named alike).
_RULE_KEYS = {"rule_id": "id"}

#: How a rule holds each of its factory's arguments that are not among its params.
_ARGUMENT_OF_RULE: dict[str, Callable[[Rule], Any]] = {
    "rule_id": operator.attrgetter("id"),
    "title": operator.attrgetter("title"),
    "source": operator.attrgetter("source"),
    "severity": operator.attrgetter("severity"),
    "levels": operator.attrgetter("levels"),
    "populations": lambda rule: tuple(sorted(rule.populations, key=operator.attrgetter("value"))),
    "tracks": lambda rule: tuple(sorted(rule.tracks, key=operator.attrgetter("value"))),
}


def _param_of(name: str) -> Callable[[Rule], Any]:
    return lambda rule: rule.params.get(name)


def _factory_shapes() -> dict[str, _Shape]:
    """The shape of the rules of each factory, by the factory's name."""
    from .rulesets._factories import _FACTORIES  # noqa: PLC0415 (as above)

    return {name: _factory_shape(name, factory) for name, factory in _FACTORIES.items()}


def _rebuilt(shape: _Shape, rule: Rule) -> Rule | None:
    """The rule its factory makes of what the data holds of `rule` (None if it refuses): equal
    to `rule` unless the rule was changed past what its factory's arguments say."""
    fields = {key.name: key.read(rule) for key in shape.keys}
    try:
        rebuilt: Rule = shape.build(**fields)
    except (CareContinuumError, ArithmeticError, ValueError, TypeError):
        return None
    return rebuilt


def _shapes() -> dict[type, _Shape]:
    """Every value type written by a plain shape: derived from its class (`_derived`), with a
    key given by hand only where the data differs from the field."""
    from .rulesets import PerDiemDay, PerDiemPeriod  # noqa: PLC0415 (loaded on first need)

    plain = (
        Segment, Session, Source, Finding, CalendarWeek, _Dated, _WeekEntry, WeekDelivery,
        PerDiemDay, PerDiemPeriod, Assessment, Dimension, Crosswalk, PlacementReason, Placement,
        NeedsPolicy,
        RuleSeries,
        _Floor, Intervention, Objective, Goal, Problem, Aftercare, TreatmentPlan, Discharge,
        LevelOfCare, Continuum,
    )  # fmt: skip
    shapes: dict[type, _Shape] = {cls: _derived(cls) for cls in plain}
    dated = tuple[_Dated, ...]
    shapes.update({
        ProgramStructure: _derived(ProgramStructure, keys={"weeks": _key("weeks", _Weeks)}),
        ValidationReport: _derived(
            ValidationReport, build=_check_report, keys={"subject": _key("subject", _Subject)}
        ),
        Classification: _derived(Classification, build=_check_classification),
        Calendar: _derived(
            Calendar,
            build=_calendar,
            keys={
                "sessions": None,
                "closed": None,
                "closures": _key("closures", tuple[pendulum.Date, ...], optional=True),
            },
            # After what expand() takes, the sessions it makes of them, checked on reading.
            after=(
                _key("sessions", dated, optional=True, get=lambda c: _dated(c.sessions)),
                _key("closed", dated, optional=True, get=lambda c: _dated(c.closed)),
            ),
            renames={"start": "first", "tz": "zone", "until": "last"},
        ),
        ScheduledSession: _derived(
            ScheduledSession, build=_check_scheduled, keys={"utc_us": None}
        ),
        WeekFigures: _derived(
            WeekFigures,
            build=_week_figures,
            keys={"entries": _key("entries", tuple[_WeekEntry, ...], get=_week_entries)},
        ),
        LocusPolicy: _derived(
            LocusPolicy,
            build=_locus_policy,
            keys={
                "floors": _key(
                    "floors",
                    tuple[_Floor, ...],
                    optional=True,
                    get=lambda p: tuple(_Floor(d, r, lvl) for (d, r), lvl in p.floors.items()),
                )
            },
        ),
        Stay: _derived(Stay, restate=_restate_stay),
        Transition: _derived(Transition, build=_check_transition),
        Authorization: _derived(Authorization),
        Episode: _derived(
            Episode,
            keys={
                "discharge_record": _key(
                    "discharge",
                    Discharge,
                    optional=True,
                    nullable=True,
                    attribute="discharge_record",
                )
            },
        ),
    })  # fmt: skip
    return shapes


def _unbuildable(error: Exception) -> _Problem:
    """Well-typed values a constructor fails on without a library error (dates near the ends
    of the calendar overflow in date arithmetic, say)."""
    problem = _Problem(f"cannot be built from these values ({type(error).__name__}: {error})")
    problem.__cause__ = error
    return problem


def _record_shapes(session: Any, *, positioned: bool) -> tuple[_Shape, _Shape]:
    """The two shapes of an attendance record: a scheduled session's, and an extra session's
    (``"session": null``). Inside an `Attendance` (`positioned`), a scheduled record names its
    session by position in the calendar's sessions rather than repeating it."""

    def field(name: str) -> Callable[[Any], Any] | None:
        return (lambda p: getattr(p.record, name)) if positioned else None

    attended: Callable[[Any], Any] = (
        (lambda p: _partial_only(p.record)) if positioned else _partial_only
    )
    where: Callable[[Any], Any] | None = (lambda p: p.position) if positioned else None
    scheduled = _Shape(
        "AttendanceRecord",
        (
            _key("session", session, get=where),
            _key("status", AttendanceStatus, get=field("status")),
            _key("attended", pendulum.Duration, optional=True, nullable=True, get=attended),
            _key("client_id", str, optional=True, nullable=True, get=field("client_id")),
        ),
        AttendanceRecord,
    )
    extra = _Shape(
        "AttendanceRecord",
        (
            _key("session", _Null, nullable=True, get=where),
            _key("start", datetime, get=field("start")),
            _key("end", datetime, get=field("end")),
            _key("service", Service, optional=True, get=field("service")),
            _key("status", AttendanceStatus, optional=True, get=field("status")),
            _key("attended", pendulum.Duration, optional=True, nullable=True, get=attended),
            _key("client_id", str, optional=True, nullable=True, get=field("client_id")),
            _key("program_day", bool, optional=True, get=field("program_day")),
        ),
        lambda session, start, end, **rest: AttendanceRecord.extra(start, end, **rest),
    )
    return scheduled, extra


def _is_extra(value: object) -> bool:
    """Whether record data is an unscheduled record's (its ``session`` is null)."""
    return isinstance(value, Mapping) and "session" in value and value["session"] is None


def _check_span(minimum: Any, maximum: Any) -> Span[Any]:
    def kind(value: object) -> str:
        if isinstance(value, timedelta):
            return "a duration"
        return "a date" if isinstance(value, date) else "a number"

    if kind(minimum) != kind(maximum):
        raise InvalidTypeError("maximum", maximum, f"{kind(minimum)}, as the minimum is")
    return Span(minimum, maximum)


def _read_span_value(value: object, _kind: object = None) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DURATION.fullmatch(value):
        return _read_duration(value)
    if isinstance(value, str) and _DATE.fullmatch(value):
        return _read_day(value)
    raise _expected(_describe(_SpanValue), value)


def _write_span_value(value: object) -> object:
    if isinstance(value, timedelta):
        return _write_duration(value)
    if isinstance(value, date):
        return _write_day(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    raise _expected("a finite number, a date or a duration", value)


def _read_null(value: object, _kind: object = None) -> None:
    if value is not None:
        raise _expected("null", value)


# ---- the limits of plain data ------------------------------------------------------------------

#: The deepest nesting of objects and lists `from_dict` reads (and `to_dict` writes): about three
#: times the deepest value of the library (a report on a treatment plan nests 10 deep). Deeper
#: data (a report whose subject is a report whose subject is ..., 163 times) is refused before
#: it is read, as reading it would exhaust Python's stack.
_MAX_DEPTH = 32

#: The most values (objects, lists, strings, numbers, ...) data with shared parts may expand
#: to: a dict or list placed in several places, which only Python code makes (JSON text never
#: does), counts once for each place, so a kilobyte of it can stand for billions of values.
#: Data without shared parts is bounded by its own size only.
_MAX_SHARED_ITEMS = 1_000_000

_CONTAINERS = (dict, list, tuple)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _path_text(path: tuple[object, ...]) -> str:
    """A path as `DataError` writes them: ``sessions[2].start``, ``ratings['3']``."""
    text = ""
    for key in path:
        if isinstance(key, str) and len(key) <= 64 and _NAME.fullmatch(key):
            text += f".{key}" if text else key
        elif isinstance(key, int) and not isinstance(key, bool):
            text += f"[{key}]"
        else:
            text += f"[{_short(key)}]"
    return text


def _leaf_problem(value: object) -> str | None:
    """What is wrong with a string or number of the data, past the limits every field has."""
    kind = type(value)
    if kind is str:
        if len(value) > _MAX_STRING_LENGTH:  # type: ignore[arg-type]
            return (
                f"expected a string of at most {_MAX_STRING_LENGTH:,} characters, got one of "
                f"{len(value):,}"  # type: ignore[arg-type]
            )
    elif (kind is int or kind is float) and not -_MAX_NUMBER <= value <= _MAX_NUMBER:  # type: ignore[operator]
        return (
            f"expected a finite number at most {_MAX_NUMBER:,} in size (as JSON readers "
            f"agree on), got {_short(value)}"
        )
    return None


def _children(node: object) -> Iterator[tuple[object, object]]:
    if type(node) is dict or isinstance(node, Mapping):
        return iter(node.items())
    assert isinstance(node, (list, tuple))  # the walk enters mappings, lists and tuples only
    return enumerate(node)


def _plainly_within(data: object, names: frozenset[str] = frozenset()) -> bool:  # noqa: PLR0911 (one pass, a return per limit)
    """Whether `data` is certainly within the limits: JSON's own kinds (dicts, lists, strings,
    numbers, booleans, None) within every limit, no part placed twice. A quick pass, level by
    level, for the data a JSON parser makes; False sends the data to `_payload_problem`'s full
    walk, which also measures shared parts and says where a limit breaks. A dict whose keys
    are all among `names` (short strings, known within the limits) skips the key-by-key
    check."""
    longest, largest = _MAX_STRING_LENGTH, _MAX_NUMBER
    seen: set[int] = set()
    level: list[object] = [data]
    for _depth in range(_MAX_DEPTH):
        below: list[object] = []
        for node in level:
            if id(node) in seen:
                return False
            seen.add(id(node))
            children: Iterable[object]
            if type(node) is dict:
                if not names.issuperset(node):
                    for key in node:
                        if type(key) is not str or len(key) > longest:
                            return False
                children = node.values()
            elif type(node) is list:
                children = node
            else:
                return False
            for child in children:
                kind = type(child)
                if kind is str:
                    if len(child) > longest:
                        return False
                elif child is None:
                    continue
                elif kind is dict or kind is list:
                    below.append(child)
                elif kind is int or kind is float:
                    if not -largest <= child <= largest:
                        return False
                elif kind is not bool:
                    return False
        if not below:
            return True
        level = below
    return False


def _payload_problem(
    data: object, names: frozenset[str] = frozenset()
) -> tuple[tuple[object, ...], str] | None:
    """The first limit `data` breaks, with its path, or None: nesting past `_MAX_DEPTH`, a
    structure that contains itself, shared parts expanding past `_MAX_SHARED_ITEMS`, a string
    past `_MAX_STRING_LENGTH`, a number that is not finite or is past `_MAX_NUMBER`.

    Passes without recursion; a part met again (shared) is not walked again, so each costs
    the size of the data in memory, however much it stands for. Data a JSON parser makes
    passes the quick pass alone; anything else is walked in full. `names`: keys known to be
    within the limits, for the quick pass.
    """
    if not isinstance(data, (*_CONTAINERS, Mapping)):
        problem = _leaf_problem(data)
        return None if problem is None else ((), problem)
    return None if _plainly_within(data, names) else _walked_problem(data)


def _walked_problem(data: object) -> tuple[tuple[object, ...], str] | None:  # noqa: PLR0911 (one loop, a return per limit, with where it broke)
    """`_payload_problem` by the full walk, for data of containers (what the quick pass,
    `_plainly_within`, does not pass)."""
    deep = f"expected data nested at most {_MAX_DEPTH} objects and lists deep"
    done: dict[int, tuple[int, int]] = {}  # id of a walked part: (values it holds, its height)
    walking = {id(data)}
    # Each frame: the part, its path, its depth, its children, values so far, height so far.
    stack: list[list[Any]] = [[data, (), 1, _children(data), 1, 0]]
    shared = False
    longest, largest = _MAX_STRING_LENGTH, _MAX_NUMBER
    while stack:
        frame = stack[-1]
        path, depth = frame[1], frame[2]
        values = 0
        for key, child in frame[3]:
            if type(key) is str and len(key) > longest:
                return path, f"expected keys of at most {longest:,} characters"
            kind = type(child)
            if kind is str:
                if len(child) > longest:
                    return (*path, key), str(_leaf_problem(child))
            elif kind is int or kind is float:
                if not -largest <= child <= largest:
                    return (*path, key), str(_leaf_problem(child))
            elif child is None or kind is bool:
                pass
            elif kind in _CONTAINERS or isinstance(child, (*_CONTAINERS, Mapping)):
                ident = id(child)
                if ident in walking:
                    return (*path, key), "expected data, got a structure that contains itself"
                walked = done.get(ident)
                if walked is None:
                    if depth + 1 > _MAX_DEPTH:
                        return (*path, key), deep
                    walking.add(ident)
                    stack.append([child, (*path, key), depth + 1, _children(child), 1, 0])
                    break
                shared = True
                if depth + 1 + walked[1] > _MAX_DEPTH:
                    return (*path, key), deep
                values += walked[0] - 1
                frame[5] = max(frame[5], walked[1] + 1)
            values += 1
        else:
            frame[4] += values
            stack.pop()
            ident = id(frame[0])
            walking.discard(ident)
            done[ident] = (frame[4], frame[5])
            if stack:
                stack[-1][4] += frame[4]
                stack[-1][5] = max(stack[-1][5], frame[5] + 1)
            elif shared and frame[4] > _MAX_SHARED_ITEMS:
                return (), (
                    f"expected data with shared parts (a dict or list placed in several places) "
                    f"to hold at most {_MAX_SHARED_ITEMS:,} values as JSON would write them, "
                    f"got {frame[4]:,}"
                )
            continue
        frame[4] += values  # a child to walk first: the values counted so far are kept
    return None


# ---- the converter -----------------------------------------------------------------------------


class _Codec:
    """A cattrs JSON converter with a hook for every kind of value, and the catalogs and rule
    sets that references resolve through. Built once, on the first `to_dict` or `from_dict`.

    Reading collects problems the way cattrs' detailed validation does: each hook gathers the
    errors of its keys or items, each noted with where it happened, into one
    `ClassValidationError` or `IterableValidationError`; `transform_error` walks the tree into
    paths.
    """

    def __init__(self, *, lenient: bool = False) -> None:
        #: Whether keys the shapes do not know are passed over rather than refused: for data of
        #: a later minor version of the format (`_is_later_minor`).
        self.lenient = lenient
        try:
            from cattrs.errors import (  # noqa: PLC0415 (the `dicts` extra loads on first use)
                AttributeValidationNote,
                BaseValidationError,
                ClassValidationError,
                IterableValidationError,
                IterableValidationNote,
            )
            from cattrs.gen import (  # noqa: PLC0415 (as above)
                make_dict_structure_fn_from_attrs,
                make_dict_unstructure_fn_from_attrs,
                override,
            )
            from cattrs.preconf.json import make_converter  # noqa: PLC0415 (as above)
            from cattrs.v import transform_error  # noqa: PLC0415 (as above)
        except ImportError as error:
            raise MissingExtraError() from error
        # The catalogs and rule sets load on first need, as the facade loads them.
        from . import catalogs, rulesets  # noqa: PLC0415

        self._attribute_note: type[AttributeValidationNote] = AttributeValidationNote
        self._index_note: type[IterableValidationNote] = IterableValidationNote
        self._class_error: type[ClassValidationError] = ClassValidationError
        self._iterable_error: type[IterableValidationError] = IterableValidationError
        self._transform_error = transform_error
        self._make_structure_fn = make_dict_structure_fn_from_attrs
        self._make_unstructure_fn = make_dict_unstructure_fn_from_attrs
        self._override = override
        #: cattrs' generated reader of each shape, by the shape's id and whether it builds.
        self._readers: dict[tuple[int, bool], Callable[[object, Any], Any]] = {}
        self._caught: tuple[type[Exception], ...] = (
            _Problem,
            CareContinuumError,
            BaseValidationError,
        )
        self._catalogs: Mapping[str, Continuum] = catalogs.ALL
        # Each catalog's levels by code and alias (what `Continuum.get` reads), for the levels
        # data names by reference: one look-up each, without a method call.
        self._catalog_codes: dict[str, Mapping[str, LevelOfCare]] = {
            scheme: continuum._index for scheme, continuum in self._catalogs.items()
        }
        # The built-in sets, and the built-in series seen as one set (a report's `ruleset`
        # when a series judged a dated subject).
        self._rulesets: Mapping[str, RuleSet] = {
            **rulesets.ALL,
            **{series.name: series.ruleset for series in rulesets._SERIES},
        }
        self._shapes = _shapes()
        self._scheduled_record, self._extra_record = _record_shapes(
            ScheduledSession, positioned=False
        )
        self._scheduled_entry, self._extra_entry = _record_shapes(int, positioned=True)
        self._shapes[Attendance] = _derived(
            Attendance, keys={"records": _key("records", _Entries, get=_positioned)}
        )
        self._level_ref = _Shape(
            "LevelOfCare", (_key("scheme", str), _key("code", str)), self._catalog_level
        )
        self._continuum_ref = _Shape("Continuum", (_key("scheme", str),), self._catalog)
        self._ruleset_ref = _Shape(
            "RuleSet",
            (_key("name", str), _key("version", str)),
            lambda name, version: self._builtin_ruleset(name, version, "name"),
        )
        # A rule set of factory rules, in full; its rules, each by the shape of its factory.
        self._ruleset_full = _derived(
            RuleSet, keys={"rules": _key("rules", tuple[_FactoryRule, ...])}
        )
        self._factory_shapes = _factory_shapes()
        self._factory_of_check = rulesets._factories._FACTORY_OF_CHECK
        self._rule_ref = _Shape(
            "Rule",
            (_key("ruleset", str), _key("version", str), _key("id", str)),
            self._builtin_rule,
        )
        self._span_shapes: dict[Any, _Shape] = {}
        self.types: dict[str, type] = {
            cls.__name__: cls
            for cls in (*self._shapes, AttendanceRecord, Rule, RuleSet, Span)
            if not cls.__name__.startswith("_")  # the parts of shapes that are not values
        }
        self._converter = self._configure(make_converter(detailed_validation=True))
        # Every key the shapes name, the envelope's and the dimension codes ratings are keyed
        # by: a dict of these keys only skips the limits pre-pass's key-by-key check.
        shapes = (
            *self._shapes.values(),
            *self._factory_shapes.values(),
            self._scheduled_record, self._extra_record, self._scheduled_entry,
            self._extra_entry, self._level_ref, self._continuum_ref, self._ruleset_ref,
            self._ruleset_full, self._rule_ref,
        )  # fmt: skip
        self._plain_keys = frozenset(
            (*(name for shape in shapes for name in shape.names), "schema", "type",
             "minimum", "maximum",  # a span's, whose shapes are made on first use
             *(code for codes in _DIMENSION_NAMES.values() for code in codes))
        )  # fmt: skip

    def _configure(self, converter: JsonConverter) -> JsonConverter:
        leaves: dict[Any, tuple[Callable[..., Any] | None, Callable[[Any], Any] | None]] = {
            str: (_read_str, None),
            int: (_read_int, None),
            float: (_read_number, None),
            bool: (_read_bool, None),
            date: (_read_plain_day, _write_day),
            pendulum.Date: (_read_day, _write_day),
            time: (None, _write_time),
            pendulum.Time: (_read_time, _write_time),
            timedelta: (None, _write_duration),
            pendulum.Duration: (_read_duration, _write_duration),
            datetime: (_read_moment, _write_moment),
            Timezone: (_read_zone, _write_zone),
            WeekDay: (_read_weekday, _write_weekday),
            _Null: (_read_null, None),
            _SpanValue: (_read_span_value, _write_span_value),
            _Weeks: (self._read_weeks, self._write_weeks),
            _Subject: (self._read_subject, self._write_subject),
            _Positioned: (None, self._write_entry),
            _Entries: (self._read_entries, self._write_entries),
            AttendanceRecord: (self._read_record, self._write_record),
            LevelOfCare: (self._read_level, self._write_level),
            Continuum: (self._read_continuum, self._write_continuum),
            RuleSet: (self._read_ruleset, self._write_ruleset),
            _FactoryRule: (self._read_factory_rule, self._write_factory_rule),
            Rule: (self._reader(self._rule_ref, built=True), self._write_rule),
        }
        for cls, shape in self._shapes.items():
            leaves.setdefault(
                cls,
                (self._reader(shape, built=True), self._writer(shape, cls)),
            )
        leaves[Calendar] = (leaves[Calendar][0], self._write_calendar)
        leaves[Attendance] = (self._read_attendance, leaves[Attendance][1])
        for kind, (read, write) in leaves.items():
            if attrs.has(kind):
                # By identity: registering an attrs class by type would make cattrs resolve its
                # annotations, and some name types imported for type checking only.
                same: Callable[[Any], bool] = functools.partial(operator.is_, kind)
                if read is not None:
                    converter.register_structure_hook_func(same, read)
                if write is not None:
                    converter.register_unstructure_hook_func(same, write)
                continue
            if read is not None:
                converter.register_structure_hook(kind, read)
            if write is not None:
                converter.register_unstructure_hook(kind, write)
        converter.register_structure_hook_factory(_is_nullable, self._nullable_reader)
        converter.register_unstructure_hook_factory(_is_nullable, self._nullable_writer)
        converter.register_structure_hook_factory(_is_enum, lambda _kind: _read_member)
        converter.register_unstructure_hook_factory(_is_enum, lambda _kind: _write_member)
        converter.register_structure_hook_factory(_is_tuple, self._list_reader)
        converter.register_unstructure_hook_factory(_is_tuple, self._list_writer)
        converter.register_structure_hook_factory(_is_dict, self._mapping_reader)
        converter.register_unstructure_hook_factory(_is_dict, self._mapping_writer)
        converter.register_structure_hook_factory(
            _is_span, lambda kind: functools.partial(self._read, self._span_shape(_item(kind)))
        )
        converter.register_unstructure_hook_factory(
            _is_span,
            lambda kind: functools.partial(self._write, self._span_shape(_item(kind)), Span),
        )
        return converter

    # ---- entry points --------------------------------------------------------------------

    def read(self, cls: Any, data: object) -> Any:
        """Read `data` as a `cls`, or, with `cls` None, as the type its ``"type"`` names."""
        kind = None if cls is None else get_origin(cls) or cls
        if kind is not None and kind not in self.types.values():
            raise InvalidTypeError(
                "cls", cls, f"a carecontinuum value type ({', '.join(sorted(self.types))})"
            )
        if kind is Span and cls is not Span:
            args = get_args(cls)
            ends = next((_SPAN_ENDS[a] for a in args[:1] if a in _SPAN_ENDS), None)
            if ends is None or len(args) != 1:
                raise InvalidTypeError(
                    "cls",
                    cls,
                    "Span, or a Span of int, float, date or Duration (what a span "
                    "holds in plain data)",
                )
            cls = Span[ends]  # type: ignore[valid-type]
        broken = _payload_problem(data, self._plain_keys)
        if broken is not None:
            path, problem = broken
            raise DataError(
                _cannot_read(kind), [f"{_path_text(path)}: {problem}" if path else problem]
            )
        try:
            found, body = self._open(data, kind)
            return self._converter.structure(body, found if cls is None else cls)
        except self._caught as error:
            raise DataError(_cannot_read(kind), self._problems(error)) from error

    def write(self, value: object) -> dict[str, Any]:
        cls = type(value)
        if cls not in self.types.values():
            raise InvalidTypeError(
                "value", value, f"a carecontinuum value ({', '.join(sorted(self.types))})"
            )
        summary = f"cannot write {_a(cls.__name__)} as data"
        # Only reports nest without bound (a report on a report on ...): refused before writing
        # (which would exhaust the stack), as from_dict would refuse the data.
        nested, subject = 0, value
        while isinstance(subject, (ValidationReport, Classification)) and nested <= _MAX_DEPTH:
            subject = subject.subject if isinstance(subject, ValidationReport) else subject.report
            nested += 1
        if nested > _MAX_DEPTH:
            raise DataError(summary, [f"subject: more than {_MAX_DEPTH} reports nested"])
        try:
            body = self._converter.unstructure(value)
        except self._caught as error:
            raise DataError(summary, self._problems(error)) from error
        data = {"schema": SCHEMA, "type": cls.__name__, **body}
        # Every other value's fields hold text, numbers and nesting within the limits already.
        broken = _payload_problem(data) if nested else None
        if broken is not None:  # what from_dict would refuse to read back
            path, problem = broken
            raise DataError(summary, [f"{_path_text(path)}: {problem}" if path else problem])
        return data

    def _problems(self, error: BaseException) -> tuple[str, ...]:
        """Every problem under `error`, as ``"path: message"`` lines, by cattrs'
        `transform_error` (its messages are kept aside, so no text can be taken for a path)."""
        messages: list[str] = []

        def remember(problem: BaseException, kind: object) -> str:
            missing = isinstance(problem, KeyError) and not isinstance(problem, CareContinuumError)
            messages.append(
                f"missing; expected {_describe(kind)}" if missing else _message(problem)
            )
            return str(len(messages) - 1)

        lines = []
        for line in self._transform_error(error, path="$", format_exception=remember):
            number, _, path = line.partition(" @ ")
            path = path.removeprefix("$").removeprefix(".")
            text = messages[int(number)]
            lines.append(f"{path}: {text}" if path else text)
        return tuple(lines)

    def _open(self, value: object, expected: type | None) -> tuple[type, dict[str, Any]]:
        """Check the ``schema`` and ``type`` keys of a value's envelope; return the class to
        read and the other keys. Without `expected`, any value type is accepted."""
        what = _a(expected.__name__) if expected is not None else "a carecontinuum value"
        if type(value) is not dict and not isinstance(value, Mapping):
            raise _expected(
                f"{what} as to_dict() writes it (a JSON object with 'schema' and 'type')", value
            )
        errors: list[Exception] = []
        if "schema" not in value:
            errors.append(self._noted(_Problem(f"missing; expected {SCHEMA!r}"), "schema"))
        else:
            problem = _schema_problem(value["schema"])
            if problem is not None:
                errors.append(self._noted(problem, "schema"))
        name = value.get("type")
        cls = self.types.get(name) if isinstance(name, str) else None
        if "type" not in value:
            wanted = self._wanted(expected)
            errors.append(self._noted(_Problem(f"missing; expected {wanted}"), "type"))
        elif cls is None or (expected is not None and cls is not expected):
            asked = " (the cls asked for)" if expected is not None else ""
            errors.append(self._noted(_expected(self._wanted(expected) + asked, name), "type"))
        if errors or cls is None:
            raise self._class_error(f"while reading {what}", errors, expected or object)
        body = dict(value)
        del body["schema"], body["type"]
        return cls, body

    def _wanted(self, expected: type | None) -> str:
        """What the ``type`` key should hold, for its problem: `expected`'s name, else any."""
        if expected is not None:
            return repr(expected.__name__)
        return f"the name of a value type ({', '.join(sorted(self.types))})"

    # ---- records -------------------------------------------------------------------------

    def _noted(self, error: Exception, name: str, kind: Any = None) -> Exception:
        error.add_note(self._attribute_note(f"reading key {name!r}", name, kind))
        return error

    def _fields(self, shape: _Shape, value: object, kind: Any) -> dict[str, Any]:
        """The values of a record's keys, read by their kinds but not built; every missing,
        unexpected or unreadable key is reported, together."""
        fields: dict[str, Any] = self._run(shape, value, kind, built=False)
        return fields

    def _read(self, shape: _Shape, value: object, kind: Any) -> Any:
        """A value of `shape` read from `value` and built; every problem reported together."""
        return self._run(shape, value, kind, built=True)

    def _run(self, shape: _Shape, value: object, kind: Any, *, built: bool) -> Any:
        read = self._readers.get((id(shape), built))
        if read is None:
            read = self._readers[id(shape), built] = self._reader(shape, built=built)
        return read(value, kind)

    def _reader(self, shape: _Shape, *, built: bool) -> Callable[[object, Any], Any]:
        """The hook that reads `shape`: cattrs' generated function (`_generate`, made on the
        first read), its problems reported as this module reports them (`_reported`). Keys the
        shape does not have are looked for here, in one subset test, before the function runs
        (unless reading leniently, a later 1.x): data that has some is read without building,
        so that they are reported beside every other key's problem."""
        generated: Callable[[object, Any], Any] | None = None
        allowed = frozenset(shape.names)
        strict = not self.lenient

        def read(value: object, kind: Any) -> Any:
            nonlocal generated
            if type(value) is not dict and not isinstance(value, Mapping):
                raise _expected(f"{_a(shape.name)} object (a JSON object)", value)
            if generated is None:
                generated = self._generate(shape, built=built)
            if strict and not allowed.issuperset(value):  # every key one of the shape's
                collect = generated if not built else self._generate(shape, built=False)
                raise self._unexpected(collect, shape, value, kind)
            try:
                return generated(value, kind)
            except self._class_error as error:
                raise self._reported(error, shape, kind) from None

        return read

    def _unexpected(
        self,
        collect: Callable[[object, Any], Any],
        shape: _Shape,
        value: Mapping[Any, Any],
        kind: Any,
    ) -> Exception:
        """The problems of data with keys its shape does not have: each key's own problem (its
        keys read by `collect`, nothing built), then each unknown key, in the data's order."""
        try:
            collect(value, kind)
            errors: list[Exception] = []
        except self._class_error as error:
            errors = list(error.exceptions)
        names = shape.names
        errors.extend(
            self._noted(
                _Problem(f"unexpected key ({_a(shape.name)} has {', '.join(names)})"), str(name)
            )
            for name in value
            if name not in names
        )
        return self._class_error(f"while reading {_a(shape.name)}", errors, kind)

    def _generate(self, shape: _Shape, *, built: bool) -> Callable[[object, Any], Any]:
        """cattrs' generated structuring function for the shape's keys (detailed validation:
        every key's problem collected, noted with its key), calling the shape's constructor
        (with `built`) or returning the keys read."""
        fields = {
            key.name: attrs.field(
                type=key.kind | None if key.nullable else key.kind,
                default=None if key.optional else attrs.NOTHING,
                kw_only=True,
            )
            for key in shape.keys
        }
        made = attrs.make_class(shape.name, fields)
        construct: Any = shape.build if built else dict
        if not construct.__name__.isidentifier():  # a lambda: cattrs names its function by it

            def construct(**fields: Any) -> Any:
                return shape.build(**fields)

            construct.__name__ = construct.__qualname__ = shape.name
        read: Callable[[object, Any], Any] = self._make_structure_fn(  # type: ignore[assignment]
            list(attrs.fields(made)),
            construct,
            self._converter,
            _cattrs_forbid_extra_keys=False,  # looked for by _reader, before the function
            _cattrs_detailed_validation=True,
            _cattrs_use_linecache=False,
        )
        return read

    def _reported(self, error: ClassValidationError, shape: _Shape, kind: Any) -> Exception:
        """The problems of a generated function's error as this module reports them: each
        key's at its path; a constructor's refusal at the key it names (`_locate`), or as a
        problem of the value as a whole."""
        exceptions = error.exceptions
        if len(exceptions) == 1 and not self._is_keyed(exceptions[0]):
            return self._refused(exceptions[0], shape, kind)  # by the constructor
        return self._class_error(f"while reading {_a(shape.name)}", list(exceptions), kind)

    def _refused(self, refused: Exception, shape: _Shape, kind: Any) -> Exception:
        """A constructor's refusal of well-read keys: at the key it names (`_locate`), or as a
        problem of the value as a whole."""
        if shape.restate is not None:
            refused = shape.restate(refused)
        if isinstance(refused, (_Problem, CareContinuumError)):
            located, noted = self._locate(refused, shape)
            if noted:
                return self._class_error(f"while reading {_a(shape.name)}", [located], kind)
            return located
        if isinstance(refused, (ArithmeticError, ValueError, TypeError)):
            return _unbuildable(refused)
        return refused  # pragma: no cover (a constructor's bug: raised as it is)

    def _is_keyed(self, error: BaseException) -> bool:
        """Whether `error` is a key's (noted with it), not the constructor's."""
        notes = getattr(error, "__notes__", ())
        return any(isinstance(note, self._attribute_note) for note in notes)

    def _locate(self, error: Exception, shape: _Shape, prefix: str = "") -> tuple[Exception, bool]:
        """A constructor's error, noted with the path of the field it names when that is one of
        the shape's keys; otherwise as a problem of the value as a whole."""
        path = _field_path(error, shape, prefix)
        if path is not None:
            return self._noted(error, path), True
        if isinstance(error, _Problem):
            return error, False
        problem = _Problem(str(error))
        problem.__cause__ = error
        return problem, False

    def _writer(self, shape: _Shape, cls: type) -> Callable[[object], dict[str, Any]]:
        """The hook that writes `shape`: cattrs' generated unstructuring function when every
        key is an attribute's (made on the first write), else `_write`. A value the generated
        function fails on is written again key by key, for every problem at its path."""
        if any(key.get is not None for key in shape.keys):
            return functools.partial(self._write, shape, cls)
        generated: list[Callable[[Any], dict[str, Any]]] = []

        def write(value: object) -> dict[str, Any]:
            if not isinstance(value, cls):
                return self._write(shape, cls, value)  # refused there
            if not generated:
                generated.append(self._generate_writer(shape, cls))
            try:
                return generated[0](value)
            except Exception:  # written again by _write, which names the key
                return self._write(shape, cls, value)

        return write

    def _generate_writer(self, shape: _Shape, cls: type) -> Callable[[Any], dict[str, Any]]:
        """cattrs' generated unstructuring function for the shape's keys, each read from its
        attribute (renamed where the attribute is not named as the key)."""
        names = {key.name: key.attribute or key.name for key in shape.keys}
        fields = {
            names[key.name]: attrs.field(
                type=key.kind | None if key.nullable else key.kind, kw_only=True
            )
            for key in shape.keys
        }
        made = attrs.make_class(shape.name, fields)
        renamed: dict[str, Any] = {
            attribute: self._override(rename=name)
            for name, attribute in names.items()
            if attribute != name
        }
        return self._make_unstructure_fn(
            list(attrs.fields(made)),
            cls,
            self._converter,
            _cattrs_use_linecache=False,
            **renamed,
        )

    def _write(self, shape: _Shape, cls: type, value: object) -> dict[str, Any]:
        if not isinstance(value, cls):
            raise _expected(
                f"{_a(cls.__name__)} (only carecontinuum values can be written as data)", value
            )
        data: dict[str, Any] = {}
        errors: list[Exception] = []
        for key in shape.keys:
            item = key.read(value)
            if item is None and key.nullable:
                data[key.name] = None
                continue
            try:
                data[key.name] = self._converter.unstructure(item, unstructure_as=key.kind)
            except self._caught as error:
                errors.append(self._noted(error, key.name, key.kind))
        if errors:
            raise self._class_error(f"while writing {_a(shape.name)}", errors, cls)
        return data

    # ---- lists and mappings --------------------------------------------------------------

    def _nullable_reader(self, kind: Any) -> Callable[[object, Any], Any]:
        item = _not_null(kind)
        hook = self._converter.get_structure_hook(item)
        if item is str:  # the most common: names, notes, reasons

            def read_text(value: object, _kind: Any) -> Any:
                return value if value is None or type(value) is str else hook(value, item)

            return read_text

        def read(value: object, _kind: Any) -> Any:
            return None if value is None else hook(value, item)

        return read

    def _nullable_writer(self, kind: Any) -> Callable[[object], Any]:
        item = _not_null(kind)
        hook = self._converter.get_unstructure_hook(item)

        def write(value: object) -> Any:
            return None if value is None else hook(value)

        return write

    def _noted_at(self, error: Exception, index: int | str, kind: Any) -> Exception:
        error.add_note(self._index_note(f"reading item {index!r}", index, kind))
        return error

    def _list_reader(self, kind: Any) -> Callable[[object, Any], tuple[Any, ...]]:
        item = get_args(kind)[0]

        hook = self._converter.get_structure_hook(item)

        def read(value: object, _kind: Any) -> tuple[Any, ...]:
            if not isinstance(value, (list, tuple)):
                raise _expected(_describe(kind), value)
            items: list[Any] = []
            errors: list[Exception] = []
            for i, raw in enumerate(value):
                try:
                    items.append(hook(raw, item))
                except self._caught as error:
                    errors.append(self._noted_at(error, i, item))
            if errors:
                raise self._iterable_error(f"while reading {_describe(kind)}", errors, kind)
            return tuple(items)

        return read

    def _list_writer(self, kind: Any) -> Callable[[object], list[Any]]:
        item = get_args(kind)[0]

        def write(value: object) -> list[Any]:
            if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
                raise _expected("a sequence", value)
            items: list[Any] = []
            errors: list[Exception] = []
            for i, raw in enumerate(value):
                try:
                    items.append(self._converter.unstructure(raw, unstructure_as=item))
                except self._caught as error:
                    errors.append(self._noted_at(error, i, item))
            if errors:
                raise self._iterable_error(f"while writing {_describe(kind)}", errors, kind)
            return items

        return write

    def _mapping_reader(self, kind: Any) -> Callable[[object, Any], dict[str, Any]]:
        item = get_args(kind)[1]
        hook = self._converter.get_structure_hook(item)

        def read(value: object, _kind: Any) -> dict[str, Any]:
            if type(value) is not dict and not isinstance(value, Mapping):
                raise _expected(_describe(kind), value)
            items: dict[str, Any] = {}
            errors: list[Exception] = []
            for name, raw in value.items():
                try:
                    items[_read_str(name)] = hook(raw, item)
                except self._caught as error:
                    errors.append(self._noted_at(error, str(name), item))
            if errors:
                raise self._iterable_error(f"while reading {_describe(kind)}", errors, kind)
            return items

        return read

    def _mapping_writer(self, kind: Any) -> Callable[[object], dict[str, Any]]:
        item = get_args(kind)[1]

        def write(value: object) -> dict[str, Any]:
            if not isinstance(value, Mapping):
                raise _expected("a mapping", value)
            items: dict[str, Any] = {}
            errors: list[Exception] = []
            for name, raw in value.items():
                try:
                    items[_read_str(name)] = self._converter.unstructure(raw, unstructure_as=item)
                except self._caught as error:
                    errors.append(self._noted_at(error, str(name), item))
            if errors:
                raise self._iterable_error(f"while writing {_describe(kind)}", errors, kind)
            return items

        return write

    # ---- references: catalog levels and continua, built-in rule sets ---------------------

    def _catalog(self, scheme: str) -> Continuum:
        continuum = self._catalogs.get(scheme)
        if continuum is None:
            raise _Problem(
                f"expected one of the catalog schemes ({', '.join(map(repr, self._catalogs))}), "
                f"got {_short(scheme)}; a continuum of another scheme is written in full",
                field="scheme",
            )
        return continuum

    def _catalog_level(self, scheme: str, code: str) -> LevelOfCare:
        try:
            return self._catalog(scheme)[code]
        except UnknownLevelError as error:
            raise _Problem(str(error), field="code") from None
        except _Problem as error:
            raise _Problem(error.message.replace("a continuum", "a level"), "scheme") from None

    def _is_catalog_level(self, level: LevelOfCare) -> bool:
        continuum = self._catalogs.get(level.scheme)
        member = None if continuum is None else continuum.get(level.code)
        return member is not None and (member is level or member == level)

    def _read_level(self, value: object, kind: Any) -> LevelOfCare:
        if type(value) is dict and len(value) == 2:  # a catalog level by reference, most often
            scheme, code = value.get("scheme"), value.get("code")
            if type(scheme) is str and type(code) is str:
                codes = self._catalog_codes.get(scheme)
                found = None if codes is None else codes.get(code)
                if found is not None:
                    return found
        if not isinstance(value, Mapping):
            raise _expected(_describe(LevelOfCare), value)
        by_code = value.keys() <= {"scheme", "code"}
        shape = self._level_ref if by_code else self._shapes[LevelOfCare]
        level: LevelOfCare = self._read(shape, value, kind)
        return level

    def _write_level(self, level: object) -> dict[str, Any]:
        if isinstance(level, LevelOfCare) and self._is_catalog_level(level):
            return {"scheme": level.scheme, "code": level.code}
        return self._write(self._shapes[LevelOfCare], LevelOfCare, level)

    def _read_continuum(self, value: object, kind: Any) -> Continuum:
        if not isinstance(value, Mapping):
            raise _expected(_describe(Continuum), value)
        by_scheme = value.keys() <= {"scheme"}
        shape = self._continuum_ref if by_scheme else self._shapes[Continuum]
        continuum: Continuum = self._read(shape, value, kind)
        return continuum

    def _write_continuum(self, continuum: object) -> dict[str, Any]:
        if isinstance(continuum, Continuum):
            member = self._catalogs.get(continuum.scheme)
            if member is not None and (member is continuum or member == continuum):
                return {"scheme": continuum.scheme}
        return self._write(self._shapes[Continuum], Continuum, continuum)

    def _builtin_ruleset(self, name: str, version: str, field: str) -> RuleSet:
        ruleset = self._rulesets.get(name)
        if ruleset is None:
            raise _Problem(
                f"expected the name of a built-in rule set ({', '.join(self._rulesets)}), got "
                f"{_short(name)}; a rule set of your own is written in full, with its 'rules'",
                field=field,
            )
        if ruleset.version != version:
            raise _Problem(
                f"expected {ruleset.version!r}, the version of the built-in {name}, got "
                f"{_short(version)}",
                field="version",
            )
        return ruleset

    def _builtin_rule(self, ruleset: str, version: str, id: str) -> Rule:
        try:
            return self._builtin_ruleset(ruleset, version, "ruleset")[id]
        except UnknownRuleError as error:
            raise _Problem(str(error), field="id") from None

    def _read_ruleset(self, value: object, kind: Any) -> RuleSet:
        if not isinstance(value, Mapping):
            raise _expected(_describe(RuleSet), value)
        by_name = value.keys() <= {"name", "version"}
        shape = self._ruleset_ref if by_name else self._ruleset_full
        ruleset: RuleSet = self._read(shape, value, kind)
        return ruleset

    def _write_ruleset(self, ruleset: object) -> dict[str, Any]:
        """A built-in rule set by name and version; any other in full, if its rules are all
        factory rules (each problem at its rule's path)."""
        if not isinstance(ruleset, RuleSet):
            raise _expected("a RuleSet", ruleset)
        member = self._rulesets.get(ruleset.name)
        if member is not None and (member is ruleset or member == ruleset):
            return {"name": ruleset.name, "version": ruleset.version}
        return self._write(self._ruleset_full, RuleSet, ruleset)

    def write_in_full(self, ruleset: RuleSet) -> dict[str, Any]:
        """A rule set written in full, built in or not (what `rulesets.dumps` writes)."""
        summary = "cannot write a RuleSet as data"
        try:
            return self._write(self._ruleset_full, RuleSet, ruleset)
        except self._caught as error:
            raise DataError(summary, self._problems(error)) from error

    def _read_factory_rule(self, value: object, kind: Any) -> Rule:
        if not isinstance(value, Mapping):
            raise _expected(_describe(_FactoryRule), value)
        if "factory" not in value and "ruleset" in value:  # a built-in rule, by reference
            builtin: Rule = self._read(self._rule_ref, value, kind)
            return builtin
        name = value.get("factory")
        shape = self._factory_shapes.get(name) if isinstance(name, str) else None
        if shape is None:
            names = ", ".join(map(repr, self._factory_shapes))
            problem = (
                _Problem(f"missing; expected the name of a rule factory ({names})")
                if "factory" not in value
                else _expected(f"the name of a rule factory ({names})", name)
            )
            raise self._class_error("while reading a Rule", [self._noted(problem, "factory")], kind)
        rule: Rule = self._read(shape, value, kind)
        return rule

    def _write_factory_rule(self, rule: object) -> dict[str, Any]:
        if not isinstance(rule, Rule):
            raise _expected("a Rule", rule)
        name = self._factory_of_check.get(rule.check)
        if name is None:
            # Named as code: a built-in rule whose check is written in Python, by reference.
            reference = self._builtin_reference(rule)
            if reference is not None:
                return reference
            raise _Problem(
                f"rule {rule.id!r} has a check written in Python: only factory rules are data "
                "(rules made by carecontinuum.rulesets' factories, such as weekly_hours), and "
                "the built-in sets' rules, by reference; any other is rebuilt in code"
            )
        shape = self._factory_shapes[name]
        if _rebuilt(shape, rule) != rule:
            raise _Problem(
                f"rule {rule.id!r} was changed past what {name}() takes (its tags, what it "
                "judges, or a parameter the factory has no argument for): only what a factory's "
                "arguments say is data"
            )
        return self._write(shape, Rule, rule)

    def _builtin_reference(self, rule: Rule) -> dict[str, Any] | None:
        """A built-in rule set's rule as ``{"ruleset", "version", "id"}``; None for another."""
        for ruleset in self._rulesets.values():
            if rule.id in ruleset and ruleset[rule.id] == rule:
                return {"ruleset": ruleset.name, "version": ruleset.version, "id": rule.id}
        return None

    def _write_rule(self, rule: object) -> dict[str, Any]:
        if not isinstance(rule, Rule):
            raise _expected("a Rule", rule)
        reference = self._builtin_reference(rule)
        if reference is not None:
            return reference
        raise _Problem(
            "only the rules of the built-in rule sets (carecontinuum.rulesets.ALL) can be "
            f"written as data, as rules hold Python functions; {rule.id!r} is not one of them"
        )

    # ---- the values with more than one shape ---------------------------------------------

    def _span_shape(self, item: Any) -> _Shape:
        shape = self._span_shapes.get(item)
        if shape is None:
            keys = (_key("minimum", item), _key("maximum", item))
            shape = self._span_shapes[item] = _Shape("Span", keys, _check_span)
        return shape

    def _read_weeks(self, value: object, _kind: Any) -> int | Span[int]:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, Mapping):
            weeks: Span[int] = self._converter.structure(value, Span[int])
            return weeks
        raise _expected(_describe(_Weeks), value)

    def _write_weeks(self, weeks: object) -> object:
        if isinstance(weeks, Span):
            return self._write(self._span_shape(int), Span, weeks)
        return weeks

    def _read_subject(self, value: object, _kind: Any) -> object:
        cls, body = self._open(value, None)
        return self._converter.structure(body, cls)

    def _write_subject(self, value: object) -> dict[str, Any]:
        cls = type(value)
        if cls not in self.types.values():
            raise _expected("a carecontinuum value (a stand-in cannot be written as data)", value)
        body = self._converter.unstructure(value)
        return {"schema": SCHEMA, "type": cls.__name__, **body}

    def _write_calendar(self, calendar: object) -> dict[str, Any]:
        data = self._write(self._shapes[Calendar], Calendar, calendar)
        assert isinstance(calendar, Calendar)
        try:
            rebuilt = expand(
                calendar.program,
                calendar.first,
                calendar.zone,
                closures=calendar.closures,
                until=calendar.last,
            )
        except (CareContinuumError, ArithmeticError, ValueError, TypeError):
            rebuilt = None  # a calendar assembled by hand, from parts expand() refuses
        if rebuilt != calendar:
            raise _Problem(
                "only a calendar as expand() makes it can be written as data (as what rebuilds "
                "it: program, zone, first and last day, closures); this one was narrowed with "
                "between() or assembled by hand: write the calendar it came from, and narrow "
                "it again after from_dict()"
            )
        return data

    def _read_record(self, value: object, kind: Any) -> AttendanceRecord:
        shape = self._extra_record if _is_extra(value) else self._scheduled_record
        record: AttendanceRecord = self._read(shape, value, kind)
        return record

    def _write_record(self, record: object) -> dict[str, Any]:
        extra = isinstance(record, AttendanceRecord) and record.session is None
        shape = self._extra_record if extra else self._scheduled_record
        return self._write(shape, AttendanceRecord, record)

    def _write_entry(self, entry: object) -> dict[str, Any]:
        assert isinstance(entry, _Positioned)
        if entry.record.session is None:
            return self._write(self._extra_entry, _Positioned, entry)
        if entry.position is None:
            raise _Problem("the record's session is not one of the calendar's sessions")
        return self._write(self._scheduled_entry, _Positioned, entry)

    def _read_entries(self, value: object, _kind: Any) -> list[Any]:
        """An attendance's records, each read but not built (its session is a position in the
        calendar, which the attendance resolves), or the error reading it: an attendance
        reports every record's problems together."""
        if not isinstance(value, (list, tuple)):
            raise _expected(_describe(tuple[AttendanceRecord, ...]), value)
        entries: list[Any] = []
        for raw in value:
            shape = self._extra_entry if _is_extra(raw) else self._scheduled_entry
            try:
                entries.append((shape, self._fields(shape, raw, AttendanceRecord)))
            except self._caught as error:
                entries.append(error)
        return entries

    def _write_entries(self, entries: object) -> object:
        return self._converter.unstructure(entries, unstructure_as=tuple[_Positioned, ...])

    def _read_attendance(self, value: object, kind: Any) -> Attendance:
        """Read an attendance, listing every malformed record and, once the calendar reads,
        every well-formed record its constructor refuses, all together."""
        shape = self._shapes[Attendance]
        errors: list[Exception] = []
        try:
            fields = self._fields(shape, value, kind)
        except self._class_error as error:
            # The records' own problems are reported too, read again (their reader only
            # collects them): the error kept the keys' problems only.
            errors.extend(error.exceptions)
            fields = {}
            raw = value.get("records") if isinstance(value, Mapping) else None
            if isinstance(raw, (list, tuple)):
                fields["records"] = self._read_entries(raw, None)
        calendar: Calendar | None = fields.get("calendar")
        records: list[AttendanceRecord] = []
        for i, entry in enumerate(fields.get("records", ())):
            if isinstance(entry, Exception):
                errors.append(self._noted(entry, f"records[{i}]"))
                continue
            if calendar is None:
                continue
            entry_shape, entry_fields = entry
            try:
                records.append(self._record_of(calendar, entry_shape, entry_fields))
            except CareContinuumError as error:
                located, noted = self._locate(error, entry_shape, f"records[{i}].")
                errors.append(located if noted else self._noted(located, f"records[{i}]"))
            except (ArithmeticError, ValueError, TypeError) as error:
                errors.append(self._noted(_unbuildable(error), f"records[{i}]"))
        if errors:
            raise self._class_error("while reading an Attendance", errors, kind)
        try:
            attendance: Attendance = shape.build(**{**fields, "records": records})
        except (_Problem, CareContinuumError, ArithmeticError, ValueError, TypeError) as error:
            raise self._refused(error, shape, kind) from None
        return attendance

    def _record_of(
        self, calendar: Calendar, shape: _Shape, fields: dict[str, Any]
    ) -> AttendanceRecord:
        if shape is self._extra_entry:
            extra: AttendanceRecord = self._extra_record.build(**fields)
            return extra
        position, sessions = fields.pop("session"), calendar.sessions
        if not 0 <= position < len(sessions):
            held = f"0 to {len(sessions) - 1}" if sessions else "the calendar holds none"
            raise InvalidValueError(
                "session", position, f"the position of a session of the calendar ({held})"
            )
        scheduled: AttendanceRecord = self._scheduled_record.build(sessions[position], **fields)
        return scheduled


#: What a span of plain data may hold, by the type asked for (`from_dict(Span[int], ...)`).
_SPAN_ENDS: dict[object, type] = {
    int: int,
    float: float,
    date: date,
    pendulum.Date: pendulum.Date,
    timedelta: pendulum.Duration,
    pendulum.Duration: pendulum.Duration,
}


def _is_tuple(kind: Any) -> bool:
    return get_origin(kind) is tuple


def _is_dict(kind: Any) -> bool:
    return get_origin(kind) is dict


def _is_span(kind: Any) -> bool:
    return kind is Span or get_origin(kind) is Span


def _item(kind: Any) -> Any:
    args = get_args(kind)
    return args[0] if args else _SpanValue


def _positioned(attendance: Attendance) -> tuple[_Positioned, ...]:
    """An attendance's records, each with its session's position in the calendar."""
    positions = {session: i for i, session in enumerate(attendance.calendar.sessions)}
    return tuple(
        _Positioned(None if r.session is None else positions.get(r.session), r)
        for r in attendance.records
    )


def _cannot_read(kind: type | None) -> str:
    """The summary of `from_dict`'s error: what it could not read (written when it fails)."""
    what = "a carecontinuum value" if kind is None else _a(kind.__name__)
    return f"cannot read {what} from the data"


@functools.cache
def _codec(*, lenient: bool = False) -> _Codec:
    return _Codec(lenient=lenient)


def _version_of(schema: object) -> tuple[int, int] | None:
    """The (major, minor) version of a ``"schema"`` value; ``carecontinuum/1`` is 1.0."""
    if schema == SCHEMA:  # what this version writes: most data
        return _VERSION
    match = _SCHEMA_TEXT.fullmatch(schema) if isinstance(schema, str) else None
    return None if match is None else (int(match[1]), int(match[2] or 0))


def _schema_problem(schema: object) -> _Problem | None:
    """What is wrong with a ``"schema"`` value, or None for a format this version reads: any
    ``carecontinuum/1.x``."""
    version = _version_of(schema)
    if version is not None and version[0] == _VERSION[0]:
        return None
    reads = f"{SCHEMA!r} or another 'carecontinuum/{_VERSION[0]}.x', the format this version reads"
    if version is not None and version[0] > _VERSION[0]:
        return _Problem(
            f"expected {reads}; got {_short(schema)}, a later format: read it with the "
            "carecontinuum that wrote it, or a later one"
        )
    return _expected(reads, schema)


def _is_later_minor(data: object) -> bool:
    """Whether `data` is of a later minor version of the format this version writes (1.2 for a
    reader of 1.1): read leniently, passing over keys this version does not know, which a later
    minor version may only have added."""
    if not isinstance(data, Mapping):
        return False
    version = _version_of(data.get("schema"))
    return version is not None and version[0] == _VERSION[0] and version[1] > _VERSION[1]


# ---- the public functions ----------------------------------------------------------------------


def to_dict(value: object) -> dict[str, Any]:
    """Write a carecontinuum value as plain, JSON-safe data.

    The result holds only dicts, lists, strings, ints, floats, booleans and None, so
    ``json.dumps`` takes it as it is. Its first keys are ``"schema"`` (``"carecontinuum/1.1"``)
    and ``"type"`` (the class name); the others are the value's fields, all of them, defaults
    included, named as the constructor names them:

    - dates as ``"2026-03-02"``; wall-clock times as ``"18:00"`` (``"HH:MM[:SS]"``); durations
      as ISO 8601 durations in hours, minutes and seconds (``"PT2H45M"``); aware datetimes
      with their UTC offset (``"2026-03-02T18:00:00-05:00"``); time zones by IANA name;
    - enums by value (``"group therapy"``), weekdays by name (``"monday"``), tuples as lists,
      mappings as objects;
    - a level of a catalog as ``{"scheme": "ASAM3", "code": "2.1"}``, a catalog continuum as
      ``{"scheme": "ASAM3"}``, and any other level or continuum in full;
    - a built-in rule set as ``{"name": ..., "version": ...}`` and a built-in rule as
      ``{"ruleset": ..., "version": ..., "id": ...}``; any other rule set made only of rules
      of the factories of `carecontinuum.rulesets` (amended built-in sets included) in full:
      its name, version, description, dates and ``"rules"``, each rule as
      ``{"factory": "weekly_hours", "id": ..., "title": ..., "source": ..., "levels": ...,
      "at_least": 9, ...}``, the factory's name and its arguments (the same keys as
      `carecontinuum.rulesets.dumps` writes in TOML);
    - a calendar as what rebuilds it with `expand` (program, zone, first and last day,
      closures), then its dated sessions, held (``"sessions"``) and closed (``"closed"``),
      each ``{"start", "end", "index", "week"}``: its start and end with their UTC offsets,
      its template's position in the program's sessions and its program week, so a reader
      need not expand the program (`from_dict` checks them against what `expand` makes);
      an attendance's records name their session by its position in ``"sessions"``;
    - a report's subject in full, with its own ``"schema"`` and ``"type"``.

    Args:
        value: Any value type of the library (levels, programs, rules, calendars, attendance,
            assessments, plans, episodes and their parts).

    Returns:
        A new dict.

    Raises:
        DataError: the value holds something that cannot be written, each listed with its
            path: a rule whose check is written in Python in a rule set that is not built in
            (or a rule of your own standing alone), a calendar narrowed
            with ``between()``, a stand-in where an `Assessment` or `Placement` belongs; or a
            report nested in reports past what `from_dict` reads (32 objects and lists deep).
        InvalidTypeError: `value` is not a value type of the library.
        MissingExtraError: cattrs is not installed (``pip install carecontinuum[dicts]``).

    >>> import json
    >>> import pendulum
    >>> import carecontinuum as cc
    >>> segment = cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(hours=2, minutes=45))
    >>> print(json.dumps(to_dict(segment)))  # doctest: +NORMALIZE_WHITESPACE
    {"schema": "carecontinuum/1.1", "type": "Segment", "service": "group therapy",
     "duration": "PT2H45M", "label": null}
    >>> program = cc.ProgramStructure.weekly(cc.catalogs.ASAM3["2.1"], days=["mon", "wed"],
    ...                                      hours_per_session=3, weeks=(6, 12), start="18:00")
    >>> data = to_dict(program)
    >>> data["level"], data["weeks"], data["sessions"][1]["weekday"], data["sessions"][1]["start"]
    ({'scheme': 'ASAM3', 'code': '2.1'}, {'minimum': 6, 'maximum': 12}, 'wednesday', '18:00')
    """
    return _codec().write(value)


class _Absent(enum.Enum):
    """`from_dict`'s data argument when only one is given (the data, in `cls`'s place)."""

    ABSENT = enum.auto()


@overload
def from_dict(data: Mapping[str, Any], /) -> object: ...


@overload
def from_dict(cls: type[_T], data: object) -> _T: ...


def from_dict(cls: Any, data: object = _Absent.ABSENT) -> Any:
    """Read a value back from data `to_dict` wrote (or data written by hand in the same
    format), through the public constructors, so every check they make runs.

    ``from_dict(data)`` reads the type the data's ``"type"`` key names; ``from_dict(cls,
    data)`` reads a `cls` and refuses data of another type (naming ``type``), and is typed as
    returning a `cls`.

    Keys for fields with a default may be left out (the constructor's default applies); keys
    that take null may hold it. Nothing is coerced: a number is not a string, ``"3"`` is not
    a number, ``1`` is not ``true``.

    The ``"schema"`` says which version of the format the data is in, ``carecontinuum/1.1``
    now. Any ``carecontinuum/1.x`` is read: data of this version or an earlier one
    (``carecontinuum/1`` is 1.0) in full, refusing keys it does not know; data of a later
    minor version (1.2, ...), which may only add keys, ignoring the keys this version does not
    know. Another major version (``carecontinuum/2``) is refused, naming ``schema``.

    Args:
        cls: The value type to read, such as `ProgramStructure` (``Span[int]`` reads a span of
            ints; a bare `Span` reads numbers, dates or durations as they come). Leave it out
            to read whatever type the data names.
        data: The data: a mapping whose ``"schema"`` is a ``"carecontinuum/1.x"`` and whose
            ``"type"`` is the name of a value type (of `cls`, when given).

    Returns:
        The value, equal to the one written: ``from_dict(to_dict(x)) == x`` and
        ``from_dict(type(x), to_dict(x)) == x``.

    Data past the limits below is refused before any of it is read (one `DataError` naming
    where), so a small payload never costs much work: nesting deeper than 32 objects and
    lists (``_MAX_DEPTH``); a structure that contains itself; shared parts (one dict or list
    placed in several places, which only Python code makes) standing for more than 1,000,000
    values (``_MAX_SHARED_ITEMS``); a string or key longer than 1,048,576 characters
    (``_MAX_STRING_LENGTH``); a number that is not finite or is more than 2**53 - 1 in size
    (``_MAX_NUMBER``); a duration figure of more than 20 digits (``_MAX_DURATION_DIGITS``).

    Raises:
        DataError: anything wrong with the data: every missing, unexpected or mistyped key,
            every unreadable value, each object its constructor refused, a ``"schema"`` of
            another major version or none, a ``"type"`` missing, unknown or not `cls`; all
            listed in `DataError.problems`, each with its path. Data past a limit: that one
            problem.
        InvalidTypeError: `cls` is not a value type of the library (or a `Span` of a kind
            plain data does not hold: ``Span[int]``, ``Span[float]``, ``Span[date]`` and
            ``Span[Duration]`` are read); or a class alone was given, without data.
        MissingExtraError: cattrs is not installed (``pip install carecontinuum[dicts]``).

    >>> import carecontinuum as cc
    >>> program = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed"],
    ...                                      hours_per_session=3, weeks=8)
    >>> from_dict(to_dict(program)) == program == from_dict(cc.ProgramStructure, to_dict(program))
    True
    >>> data = to_dict(program)
    >>> data["sessions"][1]["start"] = "25:00"
    >>> data["sessions"][0]["colour"] = "blue"
    >>> del data["track"]
    >>> try:
    ...     from_dict(cc.ProgramStructure, data)
    ... except DataError as error:
    ...     print(*error.problems, sep="\\n")  # doctest: +NORMALIZE_WHITESPACE
    track: missing; expected one of 'substance use', 'mental health', 'co-occurring'
    sessions[0].colour: unexpected key (a Session has weekday, start, segments, every_weeks,
        week_offset, delivery_mode, overnight, program_day, name)
    sessions[1].start: expected a time 'HH:MM[:SS]' that exists, got '25:00'
    """
    if data is _Absent.ABSENT:
        if isinstance(cls, type) or get_origin(cls) is not None:
            raise InvalidTypeError(
                "data", cls, "data as to_dict() writes it; a class goes before it: "
                "from_dict(cls, data)",
            )  # fmt: skip
        cls, data = None, cls
    return _codec(lenient=_is_later_minor(data)).read(cls, data)


# Tracebacks name the public path users import from, not this private module.
DataError.__module__ = "carecontinuum"
MissingExtraError.__module__ = "carecontinuum"
