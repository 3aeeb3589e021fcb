"""`Span`: an inclusive minimum-maximum range, such as a program length of 6-12 weeks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Generic, TypeVar

import attrs

from ._errors import InvalidTypeError, InvalidValueError, _echo
from ._frozen import value_eq, value_hash
from ._text import hours, summary, value_repr
from ._validators import check_number

__all__ = ["Span"]


def _check_end(field: str, value: object) -> None:
    """An end of a span: an orderable, immutable value (no None, bool or NaN, which order
    nothing; no infinity or number past the library's cap, which plain data cannot hold; and
    nothing unhashable, which a frozen span cannot hold)."""
    if value is None or isinstance(value, bool):
        raise InvalidTypeError(field, value, "a number, a date or a duration")
    if isinstance(value, (int, float)):
        check_number(field, value, "a finite number (not NaN or an infinity)")
    try:
        hash(value)
    except TypeError:
        raise InvalidTypeError(field, value, "an immutable value such as a number") from None


# Unbounded: a Protocol bound ("orderable") would cost more at import than it checks.
_T = TypeVar("_T")


@attrs.frozen
class Span(Generic[_T]):
    """An inclusive range from `minimum` to `maximum`: a program length of 6-12 weeks, or the
    total sessions such a program holds.

    Raises:
        InvalidValueError: `minimum` is above `maximum`.

    >>> Span(6, 12)
    Span(minimum=6, maximum=12)
    >>> str(Span(6, 12)), 8 in Span(6, 12)
    ('6-12', True)
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    minimum: _T
    maximum: _T

    def __attrs_post_init__(self) -> None:
        _check_end("minimum", self.minimum)
        _check_end("maximum", self.maximum)
        try:
            below = self.maximum < self.minimum  # type: ignore[operator]
        except TypeError:
            raise InvalidTypeError(
                "maximum", self.maximum, f"a value of the minimum's kind ({_echo(self.minimum)})"
            ) from None
        except ArithmeticError:  # a Decimal NaN refuses to be ordered
            field = "minimum" if self.minimum != self.minimum else "maximum"
            raise InvalidValueError(
                field, getattr(self, field), "a value that can be ordered (not NaN)"
            ) from None
        if below:
            raise InvalidValueError(
                "minimum", self.minimum, f"at most the maximum ({_echo(self.maximum)})"
            )

    def __contains__(self, value: object) -> bool:
        try:
            return bool(self.minimum <= value <= self.maximum)  # type: ignore[operator]
        except TypeError:
            return False

    @property
    def is_fixed(self) -> bool:
        """True when minimum and maximum are equal.

        >>> Span(8, 8).is_fixed
        True
        """
        return bool(self.minimum == self.maximum)

    def __str__(self) -> str:
        """``6-12`` for numbers, ``9-15 h`` for durations, ``... to ...`` for dates.

        >>> import pendulum
        >>> str(Span(pendulum.duration(hours=9), pendulum.duration(hours=15)))
        '9-15 h'
        """
        low, high = self.minimum, self.maximum
        if isinstance(low, timedelta) and isinstance(high, timedelta):
            return summary(f"{hours(low).removesuffix(' h')}-{hours(high)}")
        if isinstance(low, date) and isinstance(high, date):
            return summary(f"{low} to {high}")
        return summary(f"{low}-{high}")
