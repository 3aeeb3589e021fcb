"""What intensity rules measure: `WeekFigures`, one week of clinical time, from any subject that
has weeks (a program's template weeks now; dated calendar and attendance weeks register here too).
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import pendulum

from ._errors import InvalidTypeError, InvalidValueError
from ._frozen import _Derived, unchecked_builder, value_eq, value_hash
from ._levels import LevelOfCare
from ._program import _US_PER_DAY, Population, ProgramStructure, Service, Session, Track
from ._text import hours, summary, value_repr
from ._validators import check_int, check_optional_day, check_str, tuple_of

__all__ = ["WeekFigures", "Weekly", "profile_of", "register", "weeks_of"]

_US_PER_HOUR = 3_600_000_000

# One session's contribution to a week: (weekday 0-6, clinical microseconds, the session's
# index in the subject, the session). Paths and services are derived on demand: most rules
# need neither, and validation runs in sweeps of millions.
_Entry = tuple[int, int, int, Session]


@attrs.frozen(init=False, weakref_slot=False)
class WeekFigures(_Derived):
    """One week of clinical time, as intensity rules judge it.

    A program template yields one `WeekFigures` per week of its cycle (one, unless a session is
    held every N weeks); a dated calendar yields one per real week. Clinical time of a session
    counts on the day it starts.

    Attributes:
        label: How findings name the week ("the typical week", "week 2 of the 2-week cycle").
        path: Where the week's sessions are in the subject ("sessions").
        fraction: The share of a full week the subject's period covers (1.0 but for partial
            weeks: a calendar starting mid-week, its last days). Weekly rules do not judge
            partial weeks against weekly thresholds; they note them.
        first_day: The week's first day in the subject's period (its Monday, or the day a
            calendar starts mid-week) for a dated week; None for a template's weeks, which
            repeat. A dated rule set judges a dated week when it is in force on this day.

    >>> import carecontinuum as cc
    >>> from carecontinuum.catalogs import GENERIC
    >>> p = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed"], hours_per_session=3,
    ...                                weeks=8)
    >>> (week,) = weeks_of(p)
    >>> week.clinical_hours, week.days, week.sessions, week.hours_on(0), week.program_days
    (6.0, 2, 2, 3.0, (0, 2))
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    label: str
    path: str
    _entries: tuple[_Entry, ...] = attrs.field(alias="entries", repr=False)
    fraction: float = 1.0
    #: What the entries' indices point into, for paths ("sessions", "records").
    items: str = attrs.field(default="sessions", repr=False)
    #: Why weekly thresholds cannot judge the week yet ("" when they can), besides it being
    #: partial: attendance not all recorded, say.
    unjudged: str = attrs.field(default="", repr=False)
    first_day: date | None = attrs.field(default=None, repr=False)
    #: Clinical microseconds in the week (exact, for comparisons).
    clinical_us: int = attrs.field(init=False, repr=False)

    @clinical_us.default
    def _sum_clinical(self) -> int:
        return sum(entry[1] for entry in self._entries)

    def __init__(  # noqa: PLR0917 (the fields)
        self,
        label: str,
        path: str,
        entries: tuple[_Entry, ...],
        fraction: float = 1.0,
        items: str = "sessions",
        unjudged: str = "",
        *,
        first_day: date | str | None = None,
    ) -> None:
        check_str("label", label)
        check_str("path", path, allow_empty=True)
        rows = tuple_of("entries", entries, tuple, "a (weekday, microseconds, index, Session)")
        for i, row in enumerate(rows):
            if (
                len(row) != 4
                or any(type(n) is not int for n in row[:3])
                or not 0 <= row[0] <= 6  # Monday to Sunday
                or row[1] < 0
                or row[2] < 0
                or not isinstance(row[3], Session)
            ):
                raise InvalidValueError(
                    f"entries[{i}]", row, "a (weekday 0-6, microseconds, index, Session)"
                )
        if isinstance(fraction, bool) or not isinstance(fraction, (int, float)):
            raise InvalidTypeError("fraction", fraction, "a number")
        if not 0 < fraction <= 1:  # NaN fails this too
            raise InvalidValueError("fraction", fraction, "a share of a week, in (0, 1]")
        self.__attrs_init__(
            label, path, rows, fraction, check_str("items", items),
            check_str("unjudged", unjudged, allow_empty=True),
            check_optional_day("first_day", first_day),
        )  # fmt: skip

    def __str__(self) -> str:
        """The week's label, its sessions and clinical hours, and whether it is partial.

        >>> import carecontinuum as cc
        >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed"],
        ...                                hours_per_session=3, weeks=8)
        >>> print(weeks_of(p)[0])
        the typical week: 2 sessions, 6 h
        """
        count = self.sessions
        return summary(
            f"{self.label}: {count} {self.items if count != 1 else self.items.rstrip('s')}",
            hours(self.clinical_duration),
            f"partial ({round(self.fraction * 7)} of 7 days)" if self.partial else "",
        )

    @property
    def partial(self) -> bool:
        """True when the subject's period covers only part of this week."""
        return self.fraction < 1

    @property
    def why_unjudged(self) -> str:
        """Why weekly thresholds do not judge this week ("" when they do)."""
        if self.fraction < 1:
            days = round(self.fraction * 7)
            return f"it is a partial week ({days} day{'' if days == 1 else 's'} of 7 in the period)"
        return self.unjudged

    @property
    def clinical_hours(self) -> float:
        """Clinical hours in the week."""
        return self.clinical_us / _US_PER_HOUR

    @property
    def clinical_duration(self) -> pendulum.Duration:
        """Clinical time in the week, as a Duration."""
        return pendulum.Duration(microseconds=self.clinical_us)

    @property
    def day_us(self) -> tuple[int, ...]:
        """Clinical microseconds on each weekday, Monday first."""
        days = [0] * 7
        for day, us, _, _ in self._entries:
            days[day] += us
        return tuple(days)

    @property
    def day_span_us(self) -> tuple[int, ...]:
        """Program time on each weekday, Monday first, in microseconds: each session's length
        from start to end, breaks included, in the share of its clinical time the week holds
        (all of it for a program or a calendar; for attendance, the share attended). What a
        rule on the hours a program *operates* each day reads ("at least 3 hours a day")."""
        days = [0] * 7
        for day, us, _, session in self._entries:
            clinical = session._clinical_us
            length = session._length_us
            days[day] += length if us == clinical else us * length // clinical
        return tuple(days)

    @property
    def days(self) -> int:
        """Program days: days with a session that makes its day a program day (see
        `Session.program_day`)."""
        days: int | None = getattr(self, "_derived", None)  # counted once, on first read
        if days is None:
            days = len({entry[0] for entry in self._entries if entry[3].program_day})
            object.__setattr__(self, "_derived", days)
        return days

    @property
    def service_days(self) -> tuple[int, ...]:
        """The weekdays with any clinical time (program days and separate appointments)."""
        return tuple(sorted({entry[0] for entry in self._entries}))

    @property
    def sessions(self) -> int:
        """Sessions held in the week."""
        return len(self._entries)

    def hours_on(self, weekday: int) -> float:
        """Clinical hours on a weekday (0 for Monday)."""
        _check_weekday(weekday)
        return sum(us for day, us, _, _ in self._entries if day == weekday) / _US_PER_HOUR

    def services_on(self, weekday: int) -> frozenset[Service]:
        """The distinct clinical services delivered on a weekday."""
        _check_weekday(weekday)
        return frozenset(
            s for day, _, _, session in self._entries if day == weekday for s in session.services
        )

    def paths_on(self, weekday: int) -> tuple[str, ...]:
        """Where the sessions held on a weekday are in the subject."""
        _check_weekday(weekday)
        return tuple(f"{self.items}[{i}]" for day, _, i, _ in self._entries if day == weekday)

    @property
    def program_days(self) -> tuple[int, ...]:
        """The program days (see `days`), Monday first."""
        return tuple(sorted({entry[0] for entry in self._entries if entry[3].program_day}))


# WeekFigures' builder, fields in order: `_week` makes them unchecked.
_BUILD_WEEK = unchecked_builder(WeekFigures)


def _week(  # noqa: PLR0917 (the fields)
    label: str,
    path: str,
    entries: tuple[_Entry, ...],
    fraction: float = 1.0,
    items: str = "sessions",
    unjudged: str = "",
    first_day: date | None = None,
    *,
    clinical_us: int | None = None,
) -> WeekFigures:
    """A week the library computed itself, built without checking it again: what `trusted`
    does, through `unchecked_builder` (a program's weeks are made once per program, and sweeps
    make millions of programs; bulk judgement makes a week per client-week it judges).
    `clinical_us`, when the caller has summed the entries' time already, is that sum."""
    if clinical_us is None:
        clinical_us = sum([entry[1] for entry in entries])
    return _BUILD_WEEK(
        label, path, entries, fraction, items, unjudged, first_day, clinical_us
    )  # fmt: skip


def _check_weekday(weekday: object) -> None:
    """A weekday as `WeekFigures` numbers them: 0 (Monday) to 6 (Sunday)."""
    if type(weekday) is not int or not 0 <= weekday <= 6:
        check_int("weekday", weekday, minimum=0, maximum=6)


class Weekly(abc.ABC):  # noqa: B024 (a marker: the kinds of subject that have weeks)
    """The kinds of subject intensity rules judge week by week: program templates, dated
    calendars, attendance. Each registers here (and in `register`) as it is defined."""


Weekly.register(ProgramStructure)


def _program_weeks(program: ProgramStructure) -> tuple[WeekFigures, ...]:
    """A program's weeks, made once: on first read, then kept by the (frozen) program."""
    weeks: tuple[WeekFigures, ...] | None = getattr(program, "_derived", None)
    if weeks is None:
        weeks = _make_program_weeks(program)
        object.__setattr__(program, "_derived", weeks)
    return weeks


def _make_program_weeks(program: ProgramStructure) -> tuple[WeekFigures, ...]:
    sessions = program.sessions
    # The common case, in one pass: every session weekly, so one typical week. A session's
    # weekday (0 for Monday) is its start's day of the week, kept in microseconds.
    entries: list[_Entry] = []
    clinical_us = 0
    for i, s in enumerate(sessions):
        if s.every_weeks != 1:
            break
        us = s._clinical_us
        entries.append((s._start_us // _US_PER_DAY, us, i, s))
        clinical_us += us
    else:
        return (_week("the typical week", "sessions", tuple(entries), clinical_us=clinical_us),)
    cycle = program.cycle_weeks
    weeks = []
    for week in range(cycle):
        held = tuple(
            (s._start_us // _US_PER_DAY, s._clinical_us, i, s)
            for i, s in enumerate(sessions)
            if s.occurs_in_week(week)
        )
        label = f"week {week + 1} of the {cycle}-week cycle"
        weeks.append(_week(label, f"sessions_in_week({week})", held))
    return tuple(weeks)


def _program_profile(program: ProgramStructure) -> _Profile:
    return (program.level, program.population, program.track)


_Profile = tuple[LevelOfCare | None, Population | None, Track | None]
_WEEKS: dict[type, Callable[[Any], tuple[WeekFigures, ...]]] = {ProgramStructure: _program_weeks}
_PROFILES: dict[type, Callable[[Any], _Profile]] = {ProgramStructure: _program_profile}


def register(
    kind: type,
    weeks: Callable[[Any], tuple[WeekFigures, ...]],
    profile: Callable[[Any], _Profile],
) -> None:
    """Teach the rule engine a kind of subject: how to read its weeks and its level, population
    and track. (Calendars and attendance register here, so the same rules judge them.)"""
    _WEEKS[kind] = weeks
    _PROFILES[kind] = profile


def _lookup(table: dict[type, Any], kind: type) -> Any:
    for base in kind.__mro__:
        if base in table:
            return table[base]
    return None


def weeks_of(subject: object) -> tuple[WeekFigures, ...]:
    """The weeks a subject holds, for intensity rules; () for subjects without weeks."""
    extract = _WEEKS.get(type(subject)) or _lookup(_WEEKS, type(subject))
    return extract(subject) if extract is not None else ()


def profile_of(subject: object) -> _Profile:
    """The level, population and track a subject is judged at; Nones where it has none."""
    if type(subject) is ProgramStructure:  # the common case, without the registry's look-up
        return subject.level, subject.population, subject.track
    extract = _PROFILES.get(type(subject)) or _lookup(_PROFILES, type(subject))
    return extract(subject) if extract is not None else (None, None, None)


def _cyclic(subject: object) -> bool:
    """Whether the subject's weeks repeat (a template) rather than run once (a calendar)."""
    return isinstance(subject, ProgramStructure)
