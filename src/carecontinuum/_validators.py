"""Small checks shared by the domain classes; each raises the library's errors, naming the field.

These are plain functions called from constructors, not attrs validators: a program is built
often (sweeps, fixtures), and one direct call per field costs far less than attrs' per-field
validator protocol.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import timedelta
from enum import Enum
from typing import TypeVar

import pendulum

from ._errors import InvalidTypeError, InvalidValueError

_E = TypeVar("_E", bound=Enum)
_T = TypeVar("_T")


def check_str(field: str, value: object, *, allow_empty: bool = False) -> str:
    """Return `value` if it is a (non-empty, unless allowed) string."""
    if type(value) is not str and not isinstance(value, str):
        raise InvalidTypeError(field, value, "a string")
    if not allow_empty and not value.strip():
        raise InvalidValueError(field, value, "a non-empty string")
    return value


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


def check_int(field: str, value: object, *, minimum: int | None = None) -> int:
    """Return `value` if it is an int (not a bool) at least `minimum`."""
    if type(value) is not int and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidTypeError(field, value, "an int")
    if minimum is not None and value < minimum:
        raise InvalidValueError(field, value, f"an int >= {minimum}")
    return int(value)


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


def positive_duration(field: str, value: object) -> pendulum.Duration:
    """Return `value` as a pendulum Duration if it is a positive timedelta or Duration.

    Numbers are refused here: a bare 3 could mean hours or minutes.
    """
    if not isinstance(value, timedelta):
        raise InvalidTypeError(
            field, value, "a duration (a pendulum Duration or datetime.timedelta)"
        )
    if value <= timedelta(0):
        raise InvalidValueError(field, value, "a positive duration")
    if type(value) is pendulum.Duration:
        return value
    return pendulum.Duration(seconds=value.total_seconds())


def hours_to_duration(field: str, value: object) -> pendulum.Duration:
    """Return a positive Duration from a number of hours or a duration.

    Refuses bools, NaN, infinities and non-positive values, naming `field`.
    """
    if isinstance(value, timedelta):
        return positive_duration(field, value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidTypeError(field, value, "a number of hours or a duration")
    if not math.isfinite(value):
        raise InvalidValueError(field, value, "a finite number of hours")
    if value <= 0:
        raise InvalidValueError(field, value, "a positive number of hours")
    if value > 24 * 7:
        raise InvalidValueError(field, value, "at most 168 hours (one week)")
    return pendulum.Duration(seconds=round(value * 3600, 6))
