"""The library's exceptions: one root, and leaves that also inherit the built-in they resemble."""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, time, timedelta, tzinfo
from typing import TypeVar

import attrs

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


#: The most characters of a value an error's message echoes, on one line. A value the caller
#: gave can be a 10 MB string, a list of a million items or a program of a hundred sessions; the
#: message shows its start and how long it was (a library value by a short form naming what it
#: is), so that raising (and logging) the error costs what a sentence costs and the message
#: stays a few lines. 80 characters show any code, date, duration or session whole.
_MAX_ECHO = 80

#: The most characters of what a field must be (`expected`) a message shows: a list of choices
#: longer than this shows its first ones and how many more there are.
_MAX_EXPECTED = 200


def _one_line(text: str) -> str:
    """`text` with its line breaks escaped, as ``repr`` writes them."""
    if "\n" in text or "\r" in text:
        return text.replace("\r", "\\r").replace("\n", "\\n")
    return text


def _clip(text: str, limit: int, tail: str = "...") -> str:
    """`text` on one line, cut to at most `limit` characters (ending in `tail` when cut)."""
    text = _one_line(text)
    return text if len(text) <= limit else f"{text[: max(limit - len(tail), 0)]}{tail}"


def _echo(value: object, limit: int = _MAX_ECHO) -> str:
    """`value` as an error message shows it, on one line and in at most `limit` characters:
    its `repr` whole when that fits; else its start and how long it was; a value of the
    library (a program, a calendar, an episode, a rule set) by a short form naming what it is
    (`ProgramStructure(ASAM3 2.1, adult, substance use, 3 sessions, 8, ...)`), never its
    repr, which may run to pages; and a value whose repr fails (an int past Python's digit
    limit, a structure nested too deep, a broken ``__repr__``) named by its type. Every message
    that echoes a caller's value goes through here."""
    if type(value) is str and len(value) > limit:
        # Cut before repr: a 10 MB string is not copied to show 80 characters of it.
        tail = f"... (a string of {len(value):,} characters)"
        return f"{_one_line(repr(value[:limit]))[: max(limit - len(tail), 8)]}{tail}"
    try:
        brief = _brief(value, limit)
    except Exception:  # a half-built value: named by its type
        brief = f"<{type(value).__name__}>"
    if brief is not None:
        return brief
    try:
        text = _one_line(repr(value))
    except Exception:  # a caller's object may fail in any way; the error must not
        if isinstance(value, int):  # past sys.get_int_max_str_digits()
            digits = int(abs(value).bit_length() * math.log10(2)) + 1
            return f"<an int of about {digits:,} digits>"
        return f"<{type(value).__name__} that cannot be shown>"
    if len(text) > limit:
        tail = f"... ({len(text):,} characters in all)"
        return f"{text[: max(limit - len(tail), 8)]}{tail}"
    return text


def _is_ours(value: object) -> bool:
    """Whether `value` is one of the library's attrs values."""
    cls = type(value)
    return cls.__module__.partition(".")[0] == "carecontinuum" and attrs.has(cls)


def _brief(value: object, limit: int) -> str | None:
    """The short form `_echo` shows of a library value (or a list or tuple starting with one),
    at most `limit` characters; None for anything else. Built from the value's first fields,
    never from its repr, so a calendar of 50,000 sessions costs what a sentence costs."""
    if type(value) in (list, tuple) and value and _is_ours(value[0]):  # type: ignore[index]
        items: list[object] | tuple[object, ...] = value  # type: ignore[assignment]
        kind = "list" if type(value) is list else "tuple"
        tail = f", ...] (a {kind} of {len(items):,})" if len(items) > 1 else "]"
        first = _brief(items[0], max(limit - len(tail) - 1, 16))
        return f"[{first}{tail}"
    if not _is_ours(value):
        return None
    cls = type(value)
    level = _level_text(value)
    if level is not None:
        return f"{cls.__name__}({level})"
    parts: list[str] = []
    size = len(cls.__name__) + 2
    for field in attrs.fields(cls):  # type: ignore[arg-type]  # an attrs class: _is_ours
        if field.name.startswith("_") or not field.init:
            continue
        part = _part(field.name, getattr(value, field.name, None))
        parts.append(part)
        size += len(part) + 2
        if size > limit:
            break
    text = f"{cls.__name__}({', '.join(parts)})"
    return _clip(text, limit, "...)")


def _level_text(value: object) -> str | None:
    """A level or a dimension as its scheme and code (``ASAM3 2.1``); None for other values."""
    scheme, code = getattr(value, "scheme", None), getattr(value, "code", None)
    if isinstance(scheme, str) and isinstance(code, str):
        return _clip(f"{scheme} {code}", 32)
    return None


def _part(name: str, value: object) -> str:  # noqa: PLR0911 (one case per kind of field)
    """One field of a library value as `_brief` shows it: a level as its scheme and code, a
    collection by its size (``3 sessions``), a member of an enum by its value, text clipped."""
    if isinstance(value, enum.Enum):
        return value.value if isinstance(value.value, str) else value.name.lower()
    if value is None or isinstance(value, (bool, int, float)):
        return _clip(repr(value), 24)
    if isinstance(value, str):
        return _one_line(repr(value if len(value) <= 20 else f"{value[:17]}..."))
    if isinstance(value, (date, time, timedelta)):
        return _clip(str(value), 32)
    if isinstance(value, tzinfo):
        return _clip(str(getattr(value, "key", None) or value), 32)
    if _is_ours(value):
        level = _level_text(value)
        if level is not None:
            return level
        low, high = getattr(value, "minimum", None), getattr(value, "maximum", None)
        if low is not None and high is not None:  # a span
            return _clip(f"{low} to {high}", 32)
        scheme = getattr(value, "scheme", None)
        if isinstance(scheme, str):  # a continuum
            return _clip(scheme, 24)
        return f"{type(value).__name__}(...)"
    if isinstance(value, (tuple, list, frozenset, set, Mapping)):
        count = len(value)
        return f"{count:,} {name[:-1] if count == 1 and name.endswith('s') else name}"
    return type(value).__name__


def _expected_text(expected: str) -> str:
    """`expected` as a message shows it: on one line, and a long list of choices cut to its
    first ones and how many more there are."""
    expected = _one_line(expected)
    if len(expected) <= _MAX_EXPECTED:
        return expected
    cut = expected.rfind(", ", 0, _MAX_EXPECTED - 20)
    if cut > 0:
        more = expected.count(", ", cut + 2) + 1
        return f"{expected[:cut]}, ... ({more:,} more)"
    return _clip(expected, _MAX_EXPECTED)


def _lookup_hint(
    key: object, kind: str, suggestions: Sequence[str], lookup: str | None, *, width: int
) -> str:
    """The end of a failed look-up's message: that `kind` are strings (for a number), else the
    first three `suggestions` (each echoed in at most `width` characters), else nothing."""
    strings = _code_hint(key, kind, suggestions, lookup)
    if strings is not None:
        return f": {strings}"
    if suggestions:
        return f"; did you mean {', '.join(_echo(s, width) for s in suggestions[:3])}?"
    return ""


def _code_hint(
    value: object, kind: str, known: Sequence[str], lookup: str | None = None
) -> str | None:
    """For a look-up by a non-string key (``ASAM3[2.1]``), what to write instead: "level codes
    are strings: use ASAM3['2.1']" when the key's digits are a `known` key, else "level codes
    are strings"; None for a string key."""
    if isinstance(value, str):
        return None
    text = _suggestion_text(value)
    if text is None or text not in known:
        return f"{kind} are strings"
    where = f"{lookup}[{text!r}]" if lookup and lookup.isidentifier() else repr(text)
    return f"{kind} are strings: use {where}"


#: The most characters of a message written as one sentence (a transition refused, schemes
#: that do not match): what it quotes (a level's name, say) may be long.
_MAX_SENTENCE = 300


#: The longest look-up (a level code or alias, a rule id) an unknown one is compared with the
#: known ones for "did you mean" suggestions. Likeness (difflib) costs the product of the two
#: lengths; the longest built-in code is 11 characters and rule id 33, so longer text is no typo
#: of one and gets no suggestions, at no cost.
_MAX_SUGGESTED_LENGTH = 100


def _suggestion_text(value: object) -> str | None:
    """The text an unknown look-up is compared with known keys as: a string, or the digits of a
    number (``ASAM3[3.1]`` suggests ``'3.1'``), stripped; None for anything else, and for text
    longer than `_MAX_SUGGESTED_LENGTH`, so that absurd input costs nothing to refuse."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, float) or (
        isinstance(value, int) and not isinstance(value, bool) and value.bit_length() <= 64
    ):
        text = str(value)
    else:
        return None
    if len(text) > _MAX_SUGGESTED_LENGTH:
        return None
    return text.strip()


def _may_be_alike(text: str, key: str) -> bool:
    """False when `text` and `key` differ so much in length that difflib's likeness cannot reach
    0.5 (it is at most twice the shorter length over the sum of both): skipping such keys never
    changes the suggestions, and keeps a long key from costing its length times the text's."""
    return max(len(text), len(key)) <= 3 * min(len(text), len(key))


class CareContinuumError(Exception):
    """Root of every exception carecontinuum raises on purpose.

    Catch this to handle any bad input the library rejects. Each concrete error also inherits
    the built-in exception it resembles (`ValueError`, `TypeError` or `KeyError`), so code that
    already catches those keeps working. A message is a few lines at most: it shows at most 80
    characters of a value it echoes, on one line (and how long the value was); the error's
    attributes keep the value whole.

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
        super().__init__(f"{_echo(field)} must be {_expected_text(expected)} (got {_echo(value)})")

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuild from the fields, so errors cross process boundaries (multiprocessing).
        return (type(self), (self.field, self.value, self.expected))


_Field = TypeVar("_Field", bound=_FieldError)


def _renamed(error: _Field, names: Mapping[str, str]) -> _Field:
    """`error`, raised by a call the library made for the caller, naming the caller's argument
    instead: its field (or the head of its path, ``start`` of ``start.day``) replaced by its
    entry in `names`. Any other error is returned as it is."""
    head = re.split(r"[.\[]", error.field, maxsplit=1)[0]
    if head not in names or type(error).__init__ is not _FieldError.__init__:
        return error
    renamed = type(error)(names[head] + error.field[len(head) :], error.value, error.expected)
    renamed.__cause__ = error.__cause__
    return renamed


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
        CareContinuumError.__init__(
            self,
            f"{_echo(field)} ({_clip(str(value), 60)}) {clash} {_echo(other_field)} "
            f"({_clip(str(other), 60)})",
        )
        self.field = field
        self.value = value
        self.expected = f"a session that does not clash with {other_field!r}"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.field, self.value, self.other_field, self.other, self.clash))


class UnknownLevelError(CareContinuumError, KeyError):
    """A level code is not in the continuum it was looked up in.

    `suggestions` holds the codes that look closest, which the message names too (none for a
    look-up longer than 100 characters, which is no typo of a code).

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
        hint = _lookup_hint(code, "level codes", self.suggestions, scheme, width=24)
        super().__init__(f"no level {_echo(code)} in scheme {_echo(scheme, 40)}{hint}")

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

    def __init__(self, message: str) -> None:
        # One sentence, quoting levels and dates: kept to a line however long their names.
        super().__init__(_clip(message, _MAX_SENTENCE))


class UnknownRuleError(CareContinuumError, KeyError):
    """A rule id is not in the rule set it was looked up in; `suggestions` holds near ids (none
    for a look-up longer than 100 characters).

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
        hint = _lookup_hint(rule_id, "rule ids", self.suggestions, None, width=40)
        super().__init__(f"no rule {_echo(rule_id)} in rule set {_echo(ruleset, 40)}{hint}")

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

    def __init__(self, message: str) -> None:
        super().__init__(_clip(message, _MAX_SENTENCE))


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
