"""The library's exceptions: one root, and leaves that also inherit the built-in they resemble."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CareContinuumError",
    "InvalidTypeError",
    "InvalidValueError",
    "ScheduleConflictError",
    "SchemeMismatchError",
    "TransitionError",
    "UnknownLevelError",
    "UnknownRuleError",
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


def _echo(value: object) -> str:
    """`repr(value)`, or what it is when it has none: an int past Python's digit limit for
    text (``10**5000``), a value holding one, a structure nested past the recursion limit."""
    try:
        return repr(value)
    except (ValueError, RecursionError):
        if isinstance(value, int):
            return f"an int of about {int(value.bit_length() * 0.30103) + 1:,} digits"
        return f"a {type(value).__name__} that cannot be shown"


class _FieldError(CareContinuumError):
    """Shared shape of the errors that reject one field's value."""

    field: str
    value: object
    expected: str

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field!r} must be {expected} (got {_echo(value)})")

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuild from the fields, so errors cross process boundaries (multiprocessing).
        return (type(self), (self.field, self.value, self.expected))


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

    `field` and `value` name the later session as the caller gave it (``sessions[2]``);
    `other_field` and `other` the session it clashes with.

    >>> import pendulum
    >>> import carecontinuum as cc
    >>> from carecontinuum.catalogs import GENERIC
    >>> def monday(hour):
    ...     three_hours = cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(hours=3))
    ...     return cc.Session(pendulum.WeekDay.MONDAY, pendulum.time(hour), [three_hours])
    >>> try:
    ...     cc.ProgramStructure(GENERIC["IOP"], cc.Population.ADULT, cc.Track.SUBSTANCE_USE,
    ...                         [monday(9), monday(11)], weeks=8)
    ... except cc.ScheduleConflictError as e:
    ...     print(e)
    'sessions[1]' (Monday 11:00-14:00) overlaps 'sessions[0]' (Monday 09:00-12:00)
    """

    other_field: str
    other: object
    clash: str

    def __init__(
        self, field: str, value: object, other_field: str, other: object, clash: str
    ) -> None:
        self.other_field = other_field
        self.other = other
        self.clash = clash
        CareContinuumError.__init__(self, f"{field!r} ({value}) {clash} {other_field!r} ({other})")
        self.field = field
        self.value = value
        self.expected = f"a session that does not clash with {other_field!r}"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.field, self.value, self.other_field, self.other, self.clash))


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

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.code, self.scheme, self.suggestions))


class TransitionError(CareContinuumError, ValueError):
    """An episode operation that would rewrite or contradict its history: a date before the
    last event, anything after discharge, a level from another continuum, a "transition" to
    the current level.

    >>> import pendulum
    >>> import carecontinuum as cc
    >>> e = cc.Episode.admit("c-1", "IOP", pendulum.date(2026, 3, 2),
    ...                      continuum=cc.catalogs.GENERIC)
    >>> try:
    ...     e.step_to("IOP", pendulum.date(2026, 3, 9))
    ... except cc.TransitionError as error:
    ...     print(isinstance(error, ValueError))
    True
    """


class UnknownRuleError(CareContinuumError, KeyError):
    """A rule id is not in the rule set it was looked up in; `suggestions` holds near ids.

    >>> from carecontinuum import rulesets
    >>> import carecontinuum as cc
    >>> try:
    ...     rulesets.ASAM3["ASAM3-2.1-ADULT-HOUR"]
    ... except cc.UnknownRuleError as e:
    ...     print(e.suggestions[0])
    ASAM3-2.1-ADULT-HOURS
    """

    rule_id: object
    ruleset: str
    suggestions: tuple[str, ...]

    def __init__(self, rule_id: object, ruleset: str, suggestions: Sequence[str] = ()) -> None:
        self.rule_id = rule_id
        self.ruleset = ruleset
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(map(repr, self.suggestions))}?" if suggestions else ""
        super().__init__(f"no rule {rule_id!r} in rule set {ruleset!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.rule_id, self.ruleset, self.suggestions))


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


# Tracebacks name the public path users import from, not this private module.
for _error in (
    CareContinuumError,
    InvalidTypeError,
    InvalidValueError,
    ScheduleConflictError,
    SchemeMismatchError,
    TransitionError,
    UnknownLevelError,
    UnknownRuleError,
):
    _error.__module__ = "carecontinuum"
