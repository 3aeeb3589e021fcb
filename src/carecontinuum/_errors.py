"""The library's exceptions: one root, and leaves that also inherit the built-in they resemble."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CareContinuumError",
    "InvalidTypeError",
    "InvalidValueError",
    "ScheduleConflictError",
    "SchemeMismatchError",
    "UnknownLevelError",
]


class CareContinuumError(Exception):
    """Root of every exception carecontinuum raises on purpose.

    Catch this to handle any bad input the library rejects. Each concrete error also inherits
    the built-in exception it resembles (`ValueError`, `TypeError` or `KeyError`), so code that
    already catches those keeps working.

    >>> import carecontinuum as cc
    >>> issubclass(cc.UnknownLevelError, cc.CareContinuumError)
    True
    """


class _FieldError(CareContinuumError):
    """Shared shape of the errors that reject one field's value."""

    field: str
    value: object
    expected: str

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field!r} must be {expected} (got {value!r})")


class InvalidValueError(_FieldError, ValueError):
    """A field holds a value of the right type that is out of bounds or inconsistent.

    The message and the attributes `field`, `value` and `expected` say what was wrong.

    >>> import pendulum
    >>> import carecontinuum as cc
    >>> try:
    ...     cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(minutes=-5))
    ... except cc.InvalidValueError as e:
    ...     print(e.field)
    duration
    """


class InvalidTypeError(_FieldError, TypeError):
    """A field holds a value of the wrong type (a `bool` where a number is wanted, a string where
    a level is wanted, ...). Nothing is coerced silently.

    >>> import carecontinuum as cc
    >>> try:
    ...     cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days="mon",
    ...                                hours_per_session=True, weeks=8)
    ... except cc.InvalidTypeError as e:
    ...     print(e)
    'hours_per_session' must be a number of hours or a duration (got True)
    """


class ScheduleConflictError(InvalidValueError):
    """Two sessions of one program clash: the same start, or overlapping time on one day.

    >>> import carecontinuum as cc
    >>> issubclass(cc.ScheduleConflictError, ValueError)
    True
    """


class UnknownLevelError(CareContinuumError, KeyError):
    """A level code is not in the continuum it was looked up in.

    `suggestions` holds the codes that look closest, which the message names too.

    >>> import carecontinuum as cc
    >>> try:
    ...     cc.catalogs.ASAM3["2.2"]
    ... except cc.UnknownLevelError as e:
    ...     print(e.suggestions[0])
    2.1
    """

    code: object
    scheme: str
    suggestions: tuple[str, ...]

    def __init__(self, code: object, scheme: str, suggestions: Sequence[str] = ()) -> None:
        self.code = code
        self.scheme = scheme
        self.suggestions = tuple(suggestions)
        hint = (
            f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else ""
        )
        super().__init__(f"no level {code!r} in scheme {scheme!r}{hint}")

    def __str__(self) -> str:
        # KeyError.__str__ quotes its argument; a readable sentence is more use here.
        return str(self.args[0])


class SchemeMismatchError(CareContinuumError, TypeError):
    """Two levels from different schemes were compared, or a level was used with a continuum of
    another scheme. Intensity is only ordered within one scheme; use `crosswalk` to move between
    schemes.

    >>> import carecontinuum as cc
    >>> from carecontinuum.catalogs import ASAM3, LOCUS
    >>> try:
    ...     ASAM3["2.1"] < LOCUS["3"]
    ... except cc.SchemeMismatchError as e:
    ...     print(isinstance(e, TypeError), "crosswalk()" in str(e))
    True True
    """
