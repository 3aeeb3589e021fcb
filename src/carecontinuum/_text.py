"""How values print for people: one-line summaries (``str``), hours, and the short form a long
value takes inside its container's ``repr``.

Three conventions, one place:

- **Summaries.** ``str()`` of every public value is one line of at most `SUMMARY_LIMIT`
  characters: what a person needs to recognise it (a program's level, population, days, hours
  a week and weeks). Text the caller wrote (names, notes) is put on one line and clipped with
  an ellipsis.
- **Hours.** Clinical time prints in hours, never in pendulum's days: ``72 h``, ``8.25 h``,
  and minutes under an hour (``45 min``); see `hours`.
- **Nested values in a repr.** A container's ``repr`` shows its own fields exactly, but a
  nested value whose ``repr`` is longer than `NESTED_LIMIT` characters is shown as
  ``<TypeName: its summary>``, and a collection shows its leading items within
  `COLLECTION_LIMIT` characters followed by ``<N more>``. Short values keep their exact,
  eval-able ``repr``; anything in angle brackets is an abbreviation (as in `reprlib`).

>>> import pendulum
>>> hours(pendulum.duration(days=3)), hours(pendulum.duration(minutes=45))
('72 h', '45 min')
>>> nested_repr(tuple(range(200))).endswith(", 62, <137 more>)")
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

__all__ = [
    "COLLECTION_LIMIT",
    "NESTED_LIMIT",
    "SUMMARY_LIMIT",
    "clip",
    "hours",
    "line",
    "listing",
    "nested_repr",
    "number",
    "summary",
    "value_repr",
]

#: The most characters a summary (``str`` of a value) holds.
SUMMARY_LIMIT = 120
#: A nested value whose repr is longer than this prints as ``<TypeName: summary>``.
NESTED_LIMIT = 120
#: The characters of items a collection shows in a repr before ``<N more>``.
COLLECTION_LIMIT = 240

_ELLIPSIS = "\u2026"
_MICROSECOND = timedelta(microseconds=1)
# C0 and C1 controls and the Unicode line and paragraph separators: what breaks a line.
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029], " ")
_US_PER_MINUTE = 60_000_000
_US_PER_HOUR = 60 * _US_PER_MINUTE


def number(value: float) -> str:
    """A figure with at most two decimals and no trailing zeros: ``9``, ``8.25``, ``2.5``.

    >>> number(9.0), number(8.25), number(1 / 3)
    ('9', '8.25', '0.33')
    """
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def hours(duration: timedelta) -> str:
    """A duration as a person reads clinical time: hours (``72 h``, ``1.5 h``), or minutes
    under an hour (``45 min``); at most two decimals, negative with a minus sign.

    pendulum's own ``str`` of a duration counts days ("3 days"), which reads as calendar time;
    every summary, finding and table of this library uses this instead.

    >>> import pendulum
    >>> [hours(pendulum.duration(hours=h)) for h in (72, 8.25, 0.75, 0)]
    ['72 h', '8.25 h', '45 min', '0 h']
    """
    us = timedelta.__floordiv__(duration, _MICROSECOND)
    sign = "-" if us < 0 else ""
    us = abs(us)
    if 0 < us < _US_PER_HOUR:
        return f"{sign}{number(us / _US_PER_MINUTE)} min"
    return f"{sign}{number(us / _US_PER_HOUR)} h"


def line(text: object) -> str:
    """`text` on one line: line breaks and other control characters become spaces, and runs
    of white space one space; every other character is kept."""
    return " ".join(str(text).translate(_CONTROLS).split())


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + _ELLIPSIS


def summary(*parts: object) -> str:
    """The non-empty parts joined with ", " on one line, clipped to `SUMMARY_LIMIT`."""
    return clip(line(", ".join(str(p) for p in parts if p not in (None, ""))), SUMMARY_LIMIT)


def _summarised(value: object) -> bool:
    kind = type(value)
    return kind.__module__.startswith("carecontinuum.") and kind.__str__ is not object.__str__


def listing(texts: Iterable[str], count: int) -> str:
    """Item reprs joined, up to `COLLECTION_LIMIT` characters (at least one), then ``<N more>``."""
    shown: list[str] = []
    used = 0
    for text in texts:
        if shown and used + len(text) > COLLECTION_LIMIT:
            shown.append(f"<{count - len(shown)} more>")
            break
        shown.append(text)
        used += len(text) + 2
    return ", ".join(shown)


def nested_repr(value: object) -> str:
    """The repr of a value nested in another's repr: exact when short; a long value of this
    library as ``<TypeName: summary>``; a long collection as its leading items and
    ``<N more>``. Strings, numbers and other foreign values are always exact."""
    kind = type(value)
    if kind is tuple or kind is list:
        seq: Any = value
        body = listing(map(nested_repr, seq), len(seq))
        if kind is list:
            return f"[{body}]"
        return f"({body},)" if len(seq) == 1 else f"({body})"
    if kind is frozenset:
        items: Any = value
        return (
            f"frozenset({{{listing(map(nested_repr, items), len(items))}}})"
            if items
            else "frozenset()"
        )
    if isinstance(value, Mapping) and kind.__module__.startswith("carecontinuum."):
        entries = value.items()
        body = listing((f"{k!r}: {nested_repr(v)}" for k, v in entries), len(value))
        return f"{kind.__name__}({{{body}}})"
    text = repr(value)
    if len(text) <= NESTED_LIMIT or not _summarised(value):
        return text
    return f"<{kind.__name__}: {value}>"


def value_repr(value: Any) -> str:
    """The ``repr`` of a value of this library, shared by every class (``__repr__ =
    value_repr``): ``TypeName(field=..., ...)`` with each field attrs shows (``repr=True``) by
    `nested_repr`, or by the field's own ``repr`` callable, in field order, as attrs would
    write it. One function instead of a method attrs generates and compiles for each class at
    import (about a fifth of loading the package)."""
    kind = type(value)
    shown: list[str] = []
    for field in kind.__attrs_attrs__:
        how = field.repr
        if how is not False:
            text = (nested_repr if how is True else how)(getattr(value, field.name))
            shown.append(f"{field.name}={text}")
    return f"{kind.__qualname__.rsplit('>.', 1)[-1]}({', '.join(shown)})"
