"""Small checks shared by the domain classes; each raises the library's errors, naming the field.

These are plain functions called from constructors, not attrs validators: a program is built
often (sweeps, fixtures), and one direct call per field costs far less than attrs' per-field
validator protocol.

Two of them hold the policies every value of the library follows:

- `check_str`, for text: any string a caller gives (a name, a description, a note, a reason,
  a title, an id or a code) is kept exactly as given, surrounding spaces included (nothing is
  trimmed, so a value equals what was written and round-trips through `to_dict`), but it must
  not be blank, must not hold control characters other than tab, line feed and carriage return
  (so line breaks from a web form or a Windows file pass), nor an unpaired surrogate (which no
  UTF-8 file, JSON document or FHIR server can hold), and must be at most `_MAX_TEXT_LENGTH`
  characters long.
- `check_number` (and `check_int`), for numbers: an int or a float, never a bool, never NaN
  or an infinity, and never larger in magnitude than `_MAX_NUMBER`, compared without
  converting (``10**400`` is refused, not overflowed), within each field's own range.

Three more hold the policies of what the API accepts (docs/reference/accepts.md):

- `check_enum`, for a choice among an enumeration's members: the member, its value exactly as
  written (``"group therapy"``), or its name in any case (``"GROUP_THERAPY"``,
  ``"group_therapy"``). No spelling may name two members (a test checks every public enum).
- `check_day`, for a day: a date (not a datetime) or an ISO 8601 calendar date ``YYYY-MM-DD``.
- `check_zone`, for a time zone: an IANA name, a `zoneinfo.ZoneInfo` or a pendulum timezone,
  but not a fixed offset, the host's own zone, nor "EST", "MST" or "HST" (fixed offsets that
  look like the zones they are not).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TypeVar
from zoneinfo import ZoneInfo

import pendulum
from pendulum.tz.timezone import Timezone

from ._errors import (
    _MAX_EXPECTED,
    _MAX_SUGGESTED_LENGTH,
    InvalidTypeError,
    InvalidValueError,
    _echo,
)

_E = TypeVar("_E", bound=Enum)
_T = TypeVar("_T")

#: The largest magnitude of any number the library takes or makes: 2**53 - 1, the largest whole
#: number a float holds exactly and the range within which every JSON reader agrees on a number
#: (RFC 7493, I-JSON). No count, length, rating or threshold of care comes near it; a number
#: past it is a mistake, and would overflow float and date arithmetic (``10**400`` hours).
_MAX_NUMBER = 2**53 - 1

#: The longest text a caller may give for one field (a name, a note, a title, an id), in
#: characters: about four pages. The longest text of the shipped catalogs and rule sets is
#: about 1,100; a longer value is a document, which belongs in the record system, not a field.
_MAX_TEXT_LENGTH = 10_000

#: The longest string of any kind the library holds: FHIR's own cap on a string (1024 * 1024
#: characters). Text the library composes (a finding's message, which quotes names and titles)
#: may exceed `_MAX_TEXT_LENGTH`, never this; `from_dict` refuses a longer string in the data
#: before reading it.
_MAX_STRING_LENGTH = 1_048_576

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; unpaired
# surrogates (category Cs: a str may hold one, no UTF-8 encoder can write it).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _text_problem(value: str, allow_empty: bool, limit: int) -> str | None:
    """What is wrong with `value` as text, or None."""
    if len(value) > limit:
        return f"a string of at most {limit:,} characters (got {len(value):,})"
    if not allow_empty and not value.strip():
        return "a non-empty string"
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        return (
            "text without control characters other than tab and line breaks (found "
            f"{bad[0]!r} at position {bad.start()})"
        )
    return None


def check_str(
    field: str, value: object, *, allow_empty: bool = False, limit: int = _MAX_TEXT_LENGTH
) -> str:
    """Return `value` if it is text as the library takes it: a string, not blank (unless
    `allow_empty`), without control characters other than tab, line feed and carriage return
    or unpaired surrogates, and at most `limit` characters long. Kept exactly as given."""
    if type(value) is not str and not isinstance(value, str):
        raise InvalidTypeError(field, value, "a string")
    problem = _text_problem(value, allow_empty, limit)
    if problem is not None:
        raise InvalidValueError(field, value, problem)
    return value


def is_text(value: object, limit: int = _MAX_TEXT_LENGTH) -> bool:
    """Whether `check_str` takes `value` (non-empty): for fast paths that skip the call."""
    if type(value) is not str or len(value) > limit or value == "" or value.isspace():
        return False
    # A printable string (checked in C) holds no control character and no lone surrogate.
    return value.isprintable() or _FORBIDDEN.search(value) is None


def printable(text: str, limit: int = 500) -> str:
    """`text` made fit for a field: control characters escaped, and clipped to `limit`
    characters. For text the library quotes from elsewhere (a crashing rule's exception)."""
    if _FORBIDDEN.search(text) is not None:
        text = _FORBIDDEN.sub(lambda m: repr(m[0])[1:-1], text)
    if len(text) > limit:
        text = f"{text[: limit - 3]}..."
    return text if text.strip() else repr(text)


def check_optional_str(field: str, value: object) -> str | None:
    """Return `value` if it is None or a non-empty string."""
    return None if value is None else check_str(field, value)


def check_bool(field: str, value: object) -> bool:
    """Return `value` if it is a real bool (0 and 1 are not accepted)."""
    if type(value) is not bool:
        raise InvalidTypeError(field, value, "a bool")
    return value


#: The longest message an enum's refusal makes (it lists the choices: as many as fit).
_MAX_MESSAGE = 400


def check_enum(field: str, value: object, enum_cls: type[_E]) -> _E:
    """Return the member of `enum_cls` that `value` is or spells: the member itself, its value
    exactly as written (``"group therapy"``), or its name in any case (``"GROUP_THERAPY"``,
    ``"group_therapy"``); anything else is refused, listing the values.

    A member costs one identity test, as before strings were taken."""
    if type(value) is enum_cls:
        return value
    return _read_member(field, value, enum_cls)


#: Per enumeration: its members by value (exactly as written) and by name (lowercased).
_SPELLINGS: dict[type[Enum], tuple[dict[str, Enum], dict[str, Enum]]] = {}


def enum_spellings(enum_cls: type[Enum]) -> tuple[dict[str, Enum], dict[str, Enum]]:
    """The members of `enum_cls` by their string values, and by their names lowercased
    (aliases included)."""
    table = _SPELLINGS.get(enum_cls)
    if table is None:
        values = {m.value: m for m in enum_cls if isinstance(m.value, str)}
        names = {name.lower(): m for name, m in enum_cls.__members__.items()}
        table = _SPELLINGS[enum_cls] = (values, names)
    return table


def enum_tuple(field: str, value: object, enum_cls: type[_E]) -> tuple[_E, ...]:
    """Return the members `value` (a list, tuple, set or other non-string iterable) holds or
    spells, as a tuple, each read as `check_enum` reads it (named ``field[i]``)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, value, f"a sequence of {enum_cls.__name__}")
    return tuple(
        item if type(item) is enum_cls else _read_member(f"{field}[{i}]", item, enum_cls)
        for i, item in enumerate(value)
    )


def _read_member(field: str, value: object, enum_cls: type[_E]) -> _E:
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, str):
        values, names = enum_spellings(enum_cls)
        by_value = values.get(value)
        by_name = names.get(value.lower()) if value.isascii() else None
        if by_value is None or by_name is None or by_value is by_name:
            member = by_value or by_name
            if member is not None:
                return member  # type: ignore[return-value]
        error: type[InvalidTypeError | InvalidValueError] = InvalidValueError
    else:
        error = InvalidTypeError
    raise error(field, value, _choices(field, value, enum_cls))


def _choices(field: str, value: object, enum_cls: type[Enum]) -> str:
    """What a refused choice must be, listing as many values as keep the message within
    `_MAX_MESSAGE` characters."""
    members = list(enum_cls)
    head = f"a {enum_cls.__name__} or one of its values: "
    tail = f" (or a name, such as {members[0].name!r})"
    room = min(
        _MAX_MESSAGE - len(f"{field!r} must be {head}{tail} (got {_echo(value)})"),
        _MAX_EXPECTED - len(head) - len(tail),  # what a message shows of `expected`
    )
    shown = [repr(m.value) for m in members]
    listed = ", ".join(shown)
    while len(listed) > room and len(shown) > 1:
        shown.pop()
        listed = f"{', '.join(shown)}, ... ({len(members)} in all)"
    return f"{head}{listed}{tail}"


#: Weekdays by name and three-letter abbreviation, lowercased ("monday", "mon").
_DAY_NAMES: dict[str, pendulum.WeekDay] = {}
for _weekday in pendulum.WeekDay:
    _DAY_NAMES[_weekday.name.lower()] = _weekday
    _DAY_NAMES[_weekday.name.lower()[:3]] = _weekday


def check_weekday(field: str, value: object) -> pendulum.WeekDay:
    """Return the weekday `value` is or names: a pendulum ``WeekDay``, or a weekday's name or
    three-letter abbreviation in any case ("Monday", "mon", "MON"). A number is refused: the
    systems a schedule comes from count weekdays differently (Monday is 0 in Python, 1 in ISO
    8601, and Sunday 0 in JavaScript)."""
    if type(value) is pendulum.WeekDay:
        return value
    if isinstance(value, str):
        day = _DAY_NAMES.get(value.strip().lower()) if value.isascii() else None
        if day is None:
            raise InvalidValueError(field, value, "a weekday name such as 'mon' or 'Monday'")
        return day
    raise InvalidTypeError(field, value, "a pendulum.WeekDay or a weekday name ('mon')")


def check_day(field: str, value: object) -> date:
    """Return `value` if it is a day: a date (a `datetime.date` or pendulum ``Date``, not a
    datetime), or an ISO 8601 calendar date written ``YYYY-MM-DD`` (read as a pendulum
    ``Date``). A date is returned as given."""
    if type(value) is pendulum.Date or type(value) is date:
        return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        return _read_day(field, value)
    if isinstance(value, datetime):
        raise InvalidTypeError(field, value, "a date, not a datetime (take its .date())")
    raise InvalidTypeError(field, value, _DAY_TEXT)


_DAY_TEXT = "a date or an ISO 8601 date 'YYYY-MM-DD'"
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _read_day(field: str, value: str) -> pendulum.Date:
    match = _ISO_DAY.fullmatch(value) if len(value) == 10 else None
    if match is None:
        if len(value) > 10 and _ISO_DAY.fullmatch(value[:10]) and value[10] in "T ":
            raise InvalidValueError(field, value, f"{_DAY_TEXT}, not a date and time")
        raise InvalidValueError(field, value, _DAY_TEXT)
    try:
        return pendulum.Date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise InvalidValueError(field, value, f"{_DAY_TEXT} of a day that exists") from None


def check_optional_day(field: str, value: object) -> date | None:
    """Return None or the day `check_day` takes `value` for."""
    return None if value is None else check_day(field, value)


#: Zone names for the host's own zone: results would depend on the machine.
_HOST_ZONES = frozenset({"localtime", "posixrules"})

#: Zones named like a region's time that are fixed offsets without daylight saving: "EST"
#: puts a New York 18:00 session at 19:00 all summer. Each with the zone people mean.
_FIXED_LOOKALIKES = {
    "EST": "'America/New_York'",
    "MST": "'America/Denver' (or 'America/Phoenix', which keeps standard time all year)",
    "HST": "'Pacific/Honolulu'",
}

_ZONE_TEXT = "an IANA time-zone name"


def is_host_zone(name: str) -> bool:
    """Whether a zone name names the host's own zone ("localtime", also as "posix/localtime"
    and "right/localtime", the same link under the host's other zone trees)."""
    return name.strip().rsplit("/", 1)[-1].lower() in _HOST_ZONES


def check_not_host_zone(
    field: str, value: object, name: object, what: str = "an IANA time-zone name"
) -> None:
    """Refuse a zone named for the host's own (`name`), naming `field` and its `value`."""
    if isinstance(name, str) and is_host_zone(name):
        raise InvalidValueError(
            field, value, f"{what} such as 'America/New_York', not the host's own zone "
            "(results would depend on the machine)",
        )  # fmt: skip


def check_zone(field: str, value: object) -> Timezone:
    """Return the pendulum timezone `value` names: an IANA name ("America/New_York"), a
    `zoneinfo.ZoneInfo` or a pendulum timezone. Refused: a fixed offset (no daylight-saving
    rules), the host's own zone ("localtime": results would depend on the machine), and "EST",
    "MST" and "HST", fixed offsets named like the zones they are not (the message names the
    zone meant); an unknown name gets the closest IANA names as suggestions."""
    name: str
    if isinstance(value, Timezone):
        name = value.name
    elif isinstance(value, pendulum.FixedTimezone):
        raise InvalidValueError(field, value, f"{_ZONE_TEXT}, not a fixed UTC offset")
    elif isinstance(value, ZoneInfo):
        key: object = value.key
        if not isinstance(key, str):  # a ZoneInfo read from a file has no key
            raise InvalidValueError(field, value, f"{_ZONE_TEXT} (a ZoneInfo with a key)")
        name = key
    elif isinstance(value, str):
        name = value
        if value.strip()[:1] in ("+", "-"):
            raise InvalidValueError(field, value, f"{_ZONE_TEXT}, not a fixed UTC offset")
    else:
        raise InvalidTypeError(
            field, value, f"{_ZONE_TEXT}, a zoneinfo.ZoneInfo or a pendulum timezone"
        )
    check_not_host_zone(field, value, name)
    meant = _FIXED_LOOKALIKES.get(name.upper()) if len(name) == 3 else None
    if meant is not None:
        raise InvalidValueError(
            field, value, f"an IANA zone with its daylight-saving rules: {name!r} is a fixed "
            f"offset all year; use {meant}",
        )  # fmt: skip
    if isinstance(value, Timezone):
        return value
    try:
        zone = pendulum.timezone(name)
    except Exception:  # pendulum and zoneinfo raise several kinds for names they lack
        raise InvalidValueError(field, value, _zone_expected(name)) from None
    if not isinstance(zone, Timezone):  # a fixed offset has no DST rules
        raise InvalidValueError(field, value, f"{_ZONE_TEXT}, not a fixed offset")
    return zone


def _zone_expected(name: str) -> str:
    """What an unknown zone name must be, with the closest IANA names (none for text longer
    than a typo of a zone name could be)."""
    if len(name) > _MAX_SUGGESTED_LENGTH or not name.strip():
        return _ZONE_TEXT
    import difflib  # noqa: PLC0415 (read only to refuse a name)
    import zoneinfo  # noqa: PLC0415

    known = {
        z.lower(): z for z in zoneinfo.available_timezones() if z.upper() not in _FIXED_LOOKALIKES
    }
    text = name.strip()
    exact = known.get(text.lower())
    close = (
        [exact]
        if exact
        else [known[k] for k in difflib.get_close_matches(text.lower(), known, n=1, cutoff=0.75)]
    )
    if not close:
        return f"{_ZONE_TEXT} such as 'America/New_York'"
    return f"{_ZONE_TEXT}; did you mean {close[0]!r}?"


def check_instance(field: str, value: object, cls: type[_T], what: str) -> _T:
    """Return `value` if it is an instance of `cls`; `what` describes it in the message."""
    if not isinstance(value, cls):
        raise InvalidTypeError(field, value, what)
    return value


def check_int(
    field: str, value: object, *, minimum: int | None = None, maximum: int = _MAX_NUMBER
) -> int:
    """Return `value` if it is an int (not a bool) at least `minimum` and at most `maximum`
    (by default `_MAX_NUMBER`, as for every number)."""
    if type(value) is not int and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidTypeError(field, value, "an int")
    if minimum is not None and value < minimum:
        raise InvalidValueError(field, value, f"an int >= {minimum}")
    if value > maximum or value < -_MAX_NUMBER:
        low = f"from {minimum:,} to" if minimum is not None else "at most"
        raise InvalidValueError(field, value, f"an int {low} {maximum:,}")
    return int(value)


def check_number(
    field: str,
    value: object,
    expected: str,
    *,
    kind: str = "a number",
    minimum: float = -_MAX_NUMBER,
    above: float | None = None,
    maximum: float = _MAX_NUMBER,
) -> float:
    """Return `value` if it is a real number (an int or a float, not a bool) at least `minimum`
    (and, with `above`, greater than it) and at most `maximum`: never NaN, an infinity, or more
    than `_MAX_NUMBER` in magnitude. The value is returned as given (an int stays an int).

    Python compares ints with floats exactly, without converting, so ``10**400`` is refused
    like any number out of range, never overflowed. A value of the wrong type is refused with
    `kind`, one out of range with `expected` (which states the field's range), to which the
    global cap is added when only the cap refuses it.
    """
    if (type(value) is not float and type(value) is not int) and (
        isinstance(value, bool) or not isinstance(value, (int, float))
    ):
        raise InvalidTypeError(field, value, kind)
    low = max(minimum, -_MAX_NUMBER)
    high = min(maximum, _MAX_NUMBER)
    if low <= value <= high and (above is None or value > above):  # NaN is in no range
        return value
    beyond = value not in _INFINITIES and (
        (value > _MAX_NUMBER and maximum >= _MAX_NUMBER)
        or (value < -_MAX_NUMBER and minimum <= -_MAX_NUMBER)
    )
    if beyond:
        expected = f"{expected}, at most {_MAX_NUMBER:,} in size"
    raise InvalidValueError(field, value, expected)


_INFINITIES = (math.inf, -math.inf)


def tuple_of(field: str, value: object, cls: type[_T], what: str) -> tuple[_T, ...]:
    """Return the items of `value` (a list, tuple, set or other non-string iterable) as a
    tuple, each checked to be a `cls`."""
    if type(value) is tuple:
        for item in value:
            if not isinstance(item, cls):
                break
        else:
            return value
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, value, f"a sequence of {what}")
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            raise InvalidTypeError(f"{field}[{i}]", item, what)
    return items


def trusted(cls: type[_T], *fields: object) -> _T:
    """A value of an attrs class with a checking constructor, built from fields the library
    computed itself, without checking them again (hot paths: calendar expansion, validation).
    """
    new = object.__new__(cls)
    new.__attrs_init__(*fields)  # type: ignore[attr-defined]
    return new


def positive_duration(
    field: str, value: object, *, maximum: timedelta | None = None, most: str = ""
) -> pendulum.Duration:
    """Return `value` as a pendulum Duration if it is a positive timedelta or Duration, at
    most `maximum` when given (`most` says it in words: "24 hours, a session's most").

    Numbers are refused here: a bare 3 could mean hours or minutes. The conversion is exact,
    to the microsecond, for any timedelta (``timedelta.max`` included).
    """
    if not isinstance(value, timedelta):
        raise InvalidTypeError(
            field, value, "a duration (a pendulum Duration or datetime.timedelta)"
        )
    if value <= timedelta(0):
        raise InvalidValueError(field, value, "a positive duration")
    if maximum is not None and value > maximum:
        raise InvalidValueError(field, value, f"a duration of at most {most or maximum}")
    if type(value) is pendulum.Duration:
        return value
    # By days, seconds and microseconds, as timedelta holds them: total_seconds() is a float,
    # which rounds (and overflows pendulum past 999,999,999 days).
    return pendulum.Duration(
        days=value.days, seconds=value.seconds, microseconds=value.microseconds
    )


def hours_to_duration(field: str, value: object) -> pendulum.Duration:
    """Return a positive Duration, at most a week, from a number of hours or a duration.

    Refuses bools, NaN, infinities, non-positive values and numbers too small to make a
    microsecond, naming `field`.
    """
    if isinstance(value, timedelta):
        return positive_duration(field, value, maximum=_ONE_WEEK, most="168 hours (one week)")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidTypeError(field, value, "a number of hours or a duration")
    # Compared as given: Python compares an int with a float exactly (10**400 never overflows).
    if value > 24 * 7:
        raise InvalidValueError(field, value, "at most 168 hours (one week)")
    if value <= 0:
        raise InvalidValueError(field, value, "a positive number of hours")
    hours = check_number(field, value, "a finite number of hours")  # NaN is left
    seconds = round(hours * 3600, 6)
    if seconds <= 0:
        raise InvalidValueError(field, value, "a positive number of hours (a microsecond or more)")
    return pendulum.Duration(seconds=seconds)


_ONE_WEEK = timedelta(weeks=1)
