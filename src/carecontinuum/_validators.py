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
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import timedelta
from enum import Enum
from typing import TypeVar

import pendulum

from ._errors import InvalidTypeError, InvalidValueError

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
    return (
        type(value) is str
        and len(value) <= limit
        and value.strip() != ""
        and _FORBIDDEN.search(value) is None
    )


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


def check_enum(field: str, value: object, enum_cls: type[_E]) -> _E:
    """Return `value` if it is a member of `enum_cls` (its raw value is not accepted)."""
    if type(value) is not enum_cls and not isinstance(value, enum_cls):
        names = ", ".join(f"{enum_cls.__name__}.{m.name}" for m in enum_cls)
        raise InvalidTypeError(field, value, f"one of {names}")
    return value


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
