"""Dated session calendars: `expand()` turns a program's weekly template into real, zoned sessions.

Local wall-clock times stay wall-clock (an 18:00 group is at 18:00 local before and after a DST
change); durations are elapsed time (a session spanning the change still lasts its stated
length, and its end shows the shifted clock). A start time that does not exist on a
spring-forward night moves forward by the gap (02:30 becomes 03:30); one that occurs twice on a
fall-back night takes the later occurrence. This is pendulum's own rule, so a session starts
where ``pendulum.datetime(..., tz=zone)`` would put it.

Inside, times are integer microseconds since the epoch (UTC) and dates are ordinals: pendulum
objects are made only when asked for (`ScheduledSession.start`, `Calendar.hours_by_week`).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pendulum
from pendulum.tz.timezone import Timezone

from ._columns import Columns, register_table
from ._errors import InvalidTypeError, InvalidValueError, ScheduleConflictError, _renamed
from ._frozen import value_eq, value_hash
from ._measures import WeekFigures, Weekly, register
from ._program import ProgramStructure, Session
from ._text import clip, hours, line, summary, value_repr
from ._validators import (
    check_day,
    check_int,
    check_not_host_zone,
    check_zone,
    is_host_zone,
    trusted,
    tuple_of,
)

__all__ = ["Calendar", "CalendarWeek", "ScheduledSession", "expand"]

_US_PER_SECOND = 1_000_000
_US_PER_DAY = 86_400 * _US_PER_SECOND
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Calendars keep two days clear of the ends of Python's dates, so that every session's start
# and end, in any zone, is a datetime Python can hold.
_FIRST_DAY = date(1, 1, 3)
_LAST_DAY = date(9999, 12, 29)
# Week arithmetic is done on ordinals: the Monday-to-Sunday week of the last day ends on
# 10000-01-02, which no date can hold (a week's Sunday may not exist; its Monday always does).
_FIRST_MONDAY = date.fromordinal(_FIRST_DAY.toordinal() - _FIRST_DAY.weekday())
_LAST_ORDINAL = date.max.toordinal()
# Zone names that name the host's own zone, not a zone of the IANA database: a calendar in one
# would change with the machine it runs on ("localtime" links to /etc/localtime; "posixrules"
# is the default rules file of the host's POSIX TZ handling).
#: The most weeks one calendar may span (about 20 years). `expand` makes a dated session for
#: each time a session is held and `by_week` a week for each week, so the work must be bounded
#: before it is done: a 1 KB payload asking for weeks 1 to 999,999,999 once became 3.65 million
#: sessions. Twenty years is longer than any episode of care is scheduled ahead; a longer
#: programme is expanded a part at a time (`until`).
_MAX_CALENDAR_WEEKS = 1_044
#: The most dated sessions (held and closed) one calendar may hold: six sessions a day, every
#: day, for the 20 years of `_MAX_CALENDAR_WEEKS`. Each costs about 10 microseconds and 300
#: bytes to make, so the most a calendar costs is about half a second and 15 MB.
_MAX_CALENDAR_SESSIONS = 50_000


# The zone and day policies live in _validators; these names stay for the modules that use them.
_is_host_zone = is_host_zone
_check_not_host_zone = check_not_host_zone
_zone = check_zone
_day = check_day


def _utc_us(ordinal: int, seconds: int, micro: int, zone: Timezone) -> int:
    """UTC microseconds of a local wall time, by pendulum's rule for DST edges."""
    local_us = (ordinal - _EPOCH_ORDINAL) * _US_PER_DAY + seconds * _US_PER_SECOND + micro
    return local_us - _offset_us(zone, ordinal, seconds, micro)


@functools.lru_cache(maxsize=1 << 16)
def _offset_us(zone: Timezone, ordinal: int, seconds: int, micro: int) -> int:
    """The zone's UTC offset at a local wall time: a nonexistent time takes the offset before
    the gap (so it moves forward by the gap), a repeated one the offset after the change (the
    later occurrence). Memoised: a clinic's calendars share their dates and times, and offsets
    never change for a zone object."""
    day = date.fromordinal(ordinal)
    hour, rest = divmod(seconds, 3600)
    local = datetime(day.year, day.month, day.day, hour, rest // 60, rest % 60, micro, zone)
    offset = local.utcoffset()
    later = local.replace(fold=1).utcoffset()
    assert offset is not None
    assert later is not None
    offset = min(offset, later)  # repeated: the later occurrence has the smaller offset
    return (offset.days * 86_400 + offset.seconds) * _US_PER_SECOND + offset.microseconds


def _at(us: int, zone: Timezone) -> pendulum.DateTime:
    # Built field by field: pendulum.instance() would resolve the zone's offset a second time.
    local = (_UTC_EPOCH + timedelta(microseconds=us)).astimezone(zone)
    return pendulum.DateTime(
        local.year, local.month, local.day, local.hour, local.minute, local.second,
        local.microsecond, tzinfo=zone, fold=local.fold,
    )  # fmt: skip


#: `_at` memoised, for reading sessions' starts and ends: a clinic's calendars share their
#: instants (the same days and hours, client after client), and a DateTime is immutable, so one
#: is made per instant and zone (at most 65,536 kept, the least recently read dropped first).
_instant = functools.lru_cache(maxsize=1 << 16)(_at)


def _zone_key(zone: Timezone) -> str:
    return zone.name


@attrs.frozen(init=False)
class ScheduledSession:
    """One dated session of a calendar: a template `Session` on a real day in a real zone.

    Attributes:
        session: The template it comes from.
        index: The template's position in the program's sessions.
        week: The program week it falls in (0-based, counted from the calendar's first day).
        day: The local date it is held on.

    Two dated sessions are the same session only in the same zone (compared by name, as
    calendars are): a Monday 09:00 session in London and one in UTC start at the same instant in
    winter, but belong to different calendars and are different sessions.

    >>> import carecontinuum as cc
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon"],
    ...                                hours_per_session=3, weeks=1, start="18:00")
    >>> (s,) = expand(p, pendulum.date(2026, 3, 2), "Europe/Berlin").sessions
    >>> str(s.start), str(s.end), s.clinical_duration.in_hours()
    ('2026-03-02 18:00:00+01:00', '2026-03-02 21:00:00+01:00', 3)
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    session: Session
    index: int
    week: int
    day: pendulum.Date
    _utc_us: int = attrs.field(alias="utc_us", repr=False)
    # Zone objects compare by identity; equality and hashing use the zone's name.
    _zone: Timezone = attrs.field(alias="zone", repr=False, eq=_zone_key)

    def __init__(  # noqa: PLR0917 (the fields, as to_dict writes them)
        self,
        session: Session,
        index: int,
        week: int,
        day: date | str,
        utc_us: int,
        zone: str | ZoneInfo,
    ) -> None:
        # `expand` builds sessions without this (validators.trusted); these are the checks for
        # one built by hand or read from plain data.
        if not isinstance(session, Session):
            raise InvalidTypeError("session", session, "a Session")
        index = check_int("index", index, minimum=0)  # a plain int (an IntEnum is read as one)
        week = check_int("week", week, minimum=0)
        held = _calendar_day("day", day)
        if held.weekday() != session.weekday.value:
            raise InvalidValueError(
                "day", day, f"a {session.weekday.name.title()}, the day the session is held on"
            )
        if not session.occurs_in_week(week):
            raise InvalidValueError(
                "week", week, f"a week the session is held in (every {session.every_weeks} "
                f"week(s) from week {session.week_offset})",
            )  # fmt: skip
        zone = check_zone("zone", zone)
        start = session.start
        seconds = start.hour * 3600 + start.minute * 60 + start.second
        expected = _utc_us(held.toordinal(), seconds, start.microsecond, zone)
        if type(utc_us) is not int or utc_us != expected:
            raise InvalidValueError(
                "utc_us",
                utc_us,
                f"{expected}, the session's start on day ({held}) in zone ({zone.name}), in "
                "microseconds since 1970 UTC",
            )
        self.__attrs_init__(session, index, week, held, utc_us, zone)

    @property
    def start(self) -> pendulum.DateTime:
        """The start, timezone-aware in the calendar's zone."""
        return _instant(self._utc_us, self._zone)

    @property
    def end(self) -> pendulum.DateTime:
        """The end: the start plus the session's length in elapsed time."""
        return _instant(self._utc_us + self.session._length_us, self._zone)

    @property
    def duration(self) -> pendulum.Duration:
        """Length from start to end, breaks included (elapsed time)."""
        return self.session.duration

    @property
    def clinical_duration(self) -> pendulum.Duration:
        """Clinical time, breaks excluded."""
        return self.session.clinical_duration

    def __str__(self) -> str:
        start, end = self.start, self.end
        if start.date() == end.date() and start.tzname() == end.tzname():
            return f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M %Z}"
        return f"{start:%a %Y-%m-%d %H:%M %Z} - {end:%a %Y-%m-%d %H:%M %Z}"


@attrs.frozen(init=False)
class CalendarWeek:
    """One Monday-to-Sunday week of a calendar.

    A week the calendar's period cuts short (a start mid-week, the last days of the program) is
    `partial`: rules do not judge it against weekly minimums, and say so.

    >>> import carecontinuum as cc
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=3, weeks=2)
    >>> weeks = expand(p, pendulum.date(2026, 3, 4), "UTC").by_week()
    >>> [(str(w.monday), w.days_in_period, w.partial) for w in weeks]
    [('2026-03-02', 5, True), ('2026-03-09', 7, False), ('2026-03-16', 2, True)]
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    monday: pendulum.Date
    first: pendulum.Date
    last: pendulum.Date
    sessions: tuple[ScheduledSession, ...]
    closed: tuple[ScheduledSession, ...]

    def __init__(
        self,
        monday: date | str,
        first: date | str,
        last: date | str,
        sessions: tuple[ScheduledSession, ...],
        closed: tuple[ScheduledSession, ...],
    ) -> None:
        # `Calendar.by_week` builds weeks without this (validators.trusted).
        week_start = _week_monday("monday", monday)
        begin, end = _calendar_day("first", first), _calendar_day("last", last)
        sunday = week_start.toordinal() + 6  # an ordinal: the Sunday of 9999's last week is past
        if not week_start <= begin or begin.toordinal() > sunday:
            raise InvalidValueError(
                "first", first, f"a day of the week beginning on monday ({week_start})"
            )
        if not begin <= end or end.toordinal() > sunday:
            raise InvalidValueError(
                "last", last, f"a day from first ({begin}) to the end of monday's week"
            )
        held = tuple_of("sessions", sessions, ScheduledSession, "a ScheduledSession")
        skipped = tuple_of("closed", closed, ScheduledSession, "a ScheduledSession")
        for field, items in (("sessions", held), ("closed", skipped)):
            for i, item in enumerate(items):
                if not begin <= item.day <= end:
                    raise InvalidValueError(
                        f"{field}[{i}]", item, f"a session from {begin} to {end}"
                    )
        self.__attrs_init__(week_start, begin, end, held, skipped)

    @property
    def days_in_period(self) -> int:
        """How many of the week's days the calendar covers."""
        return (self.last - self.first).days + 1

    @property
    def partial(self) -> bool:
        """True when the calendar covers fewer than 7 of the week's days."""
        return self.days_in_period < 7

    @property
    def clinical_duration(self) -> pendulum.Duration:
        """Clinical time scheduled in the week."""
        return pendulum.Duration(microseconds=sum(s.session._clinical_us for s in self.sessions))

    @property
    def days(self) -> int:
        """Program days with a session in the week."""
        return len({s.day for s in self.sessions if s.session.program_day})

    def __str__(self) -> str:
        """The week's Monday, its sessions and clinical hours, and what cut it short.

        >>> import carecontinuum as cc
        >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
        ...                                hours_per_session=3, weeks=1)
        >>> print(expand(p, pendulum.date(2026, 3, 4), "UTC").by_week()[0])
        week of 2026-03-02: 2 sessions, 6 h, partial (5 of 7 days)
        """
        count = len(self.sessions)
        return summary(
            f"week of {self.monday}: {count} session{'' if count == 1 else 's'}",
            hours(self.clinical_duration),
            f"{len(self.closed)} not held (closed)" if self.closed else "",
            f"partial ({self.days_in_period} of 7 days)" if self.partial else "",
        )


def _pendulum_day(ordinal: int) -> pendulum.Date:
    plain = date.fromordinal(ordinal)
    return pendulum.Date(plain.year, plain.month, plain.day)


def _calendar_day(field: str, value: object) -> pendulum.Date:
    day = _day(field, value)
    if not _FIRST_DAY <= day <= _LAST_DAY:
        raise InvalidValueError(field, value, f"a day from {_FIRST_DAY} to {_LAST_DAY}")
    return day if type(day) is pendulum.Date else pendulum.Date(day.year, day.month, day.day)


def _week_monday(field: str, value: object) -> pendulum.Date:
    """The Monday of a week holding a calendar day (the first one's is before `_FIRST_DAY`)."""
    day = _day(field, value)
    if day.weekday() != 0:
        raise InvalidValueError(field, value, "a Monday")
    if not _FIRST_MONDAY <= day <= _LAST_DAY:
        raise InvalidValueError(field, value, f"a Monday from {_FIRST_MONDAY} to {_LAST_DAY}")
    return day if type(day) is pendulum.Date else pendulum.Date(day.year, day.month, day.day)


def _check_closures(value: object) -> tuple[date, ...]:
    if isinstance(value, (str, bytes, date)) or not isinstance(value, Iterable):
        raise InvalidTypeError("closures", value, "a collection of dates")
    return tuple(sorted({_day(f"closures[{i}]", d) for i, d in enumerate(value)}))


_UNTIL_TEXT = "a number of weeks (an int) or a last day (a date or 'YYYY-MM-DD')"


def _is_iso_day(text: str) -> bool:
    try:
        check_day("until", text)
    except InvalidValueError:
        return False
    return True


def _weeks_for(program: ProgramStructure, start: date, until: object) -> tuple[int, date]:
    """The number of program weeks and the calendar's last day."""
    low, high = program.min_weeks, program.max_weeks
    if until is None:
        weeks = low
    elif isinstance(until, bool) or not isinstance(until, (int, date, str)):
        raise InvalidTypeError("until", until, _UNTIL_TEXT)
    elif type(until) is int:
        if not low <= until <= high:
            expected = (
                f"{low}, the program's length in weeks"
                if low == high
                else f"a week from {low} to {high} (the program runs from {low} to {high} weeks)"
            )
            raise InvalidValueError("until", until, expected)
        weeks = until
    else:
        if isinstance(until, str) and not _is_iso_day(until):
            raise InvalidValueError("until", until, _UNTIL_TEXT)
        last = _calendar_day("until", until)
        # Ordinals: the program's longest run may end past the last date Python holds.
        first_end = start.toordinal() + 7 * low - 1
        last_end = start.toordinal() + 7 * high - 1
        if not first_end <= last.toordinal() <= last_end:
            ends = [date.fromordinal(min(o, _LAST_DAY.toordinal())) for o in (first_end, last_end)]
            raise InvalidValueError(
                "until", until, f"a last day from {ends[0]} to {ends[1]} (the program's "
                f"{program.weeks} weeks from {start})"
            )  # fmt: skip
        return -(-(last.toordinal() - start.toordinal() + 1) // 7), last
    if start.toordinal() + 7 * weeks - 1 > _LAST_DAY.toordinal():
        raise InvalidValueError(
            "start", start, f"a start leaving room for the program's {weeks} weeks by {_LAST_DAY}"
        )
    return weeks, start + timedelta(days=7 * weeks - 1)


@attrs.frozen(init=False)
class Calendar:
    """A program's sessions on real dates in one time zone, from a first to a last day.

    Build one with `expand`. Sessions are in time order; `closed` holds those that fell on a
    closure day and were not held. A calendar spans at most 1,044 weeks and holds at most 50,000
    sessions (see `expand`); one read from data past either is refused before it is built.

    Attributes:
        program: The program expanded.
        zone: The clinic's time zone (a pendulum timezone).
        first: The first day of the calendar.
        last: The last day (inclusive).
        sessions: The dated sessions held, in order.
        closed: The dated sessions skipped for closures, in order.
        closures: The closure days given.

    >>> import carecontinuum as cc
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=3, weeks=8, start="18:00")
    >>> cal = expand(p, pendulum.date(2026, 3, 2), "America/New_York")
    >>> len(cal), {str(m): h.total_hours() for m, h in list(cal.hours_by_week().items())[:2]}
    (24, {'2026-03-02': 9.0, '2026-03-09': 9.0})
    >>> [str(s.start) for s in cal.sessions[2:4]]  # DST began on 8 March: still 18:00 local
    ['2026-03-06 18:00:00-05:00', '2026-03-09 18:00:00-04:00']
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    program: ProgramStructure
    zone: Timezone = attrs.field(eq=False)
    first: pendulum.Date
    last: pendulum.Date
    sessions: tuple[ScheduledSession, ...]
    closed: tuple[ScheduledSession, ...]
    closures: tuple[pendulum.Date, ...]
    _zone_name: str = attrs.field(init=False, repr=False)

    @_zone_name.default
    def _name_of_zone(self) -> str:
        return self.zone.name

    def __init__(  # noqa: PLR0917 (the fields)
        self,
        program: ProgramStructure,
        zone: str | ZoneInfo,
        first: date | str,
        last: date | str,
        sessions: tuple[ScheduledSession, ...],
        closed: tuple[ScheduledSession, ...],
        closures: Iterable[date | str],
    ) -> None:
        # `expand` and `between` build calendars without this (validators.trusted). One built
        # by hand must be what `expand` makes of its program, first and last days and closures.
        zone = check_zone("zone", zone)
        days = _check_closures(closures)
        try:
            whole = expand(program, first, zone, closures=days, until=_day("last", last))
        except (InvalidValueError, InvalidTypeError) as error:
            # Named as this constructor's arguments, not expand()'s.
            raise _renamed(error, {"start": "first", "until": "last", "tz": "zone"}) from None
        held = tuple_of("sessions", sessions, ScheduledSession, "a ScheduledSession")
        skipped = tuple_of("closed", closed, ScheduledSession, "a ScheduledSession")
        if held != whole.sessions:
            raise InvalidValueError(
                "sessions", sessions, "the sessions expand() gives of program, first, last, "
                "zone and closures"
            )  # fmt: skip
        if skipped != whole.closed:
            raise InvalidValueError(
                "closed", closed, "the closed sessions expand() gives of program, first, last, "
                "zone and closures"
            )  # fmt: skip
        self.__attrs_init__(program, zone, whole.first, whole.last, held, skipped, whole.closures)

    def __iter__(self) -> Iterator[ScheduledSession]:
        return iter(self.sessions)

    def __len__(self) -> int:
        return len(self.sessions)

    def by_week(self) -> tuple[CalendarWeek, ...]:
        """The calendar's Monday-to-Sunday weeks, each with its sessions; partial weeks (cut by
        the first or last day) flagged.

        Every calendar `expand` makes has its weeks, up to the last week of 9999 (whose Sunday,
        10000-01-02, no date can hold: the week ends on the calendar's last day, as any week
        the period cuts short does).
        """
        first, last = self.first, self.last
        # Ordinals: a week's Sunday may lie past the last date Python can hold.
        first_ordinal, last_ordinal = first.toordinal(), last.toordinal()
        monday = first_ordinal - first.weekday()
        weeks = []
        held = iter(self.sessions)
        skipped = iter(self.closed)
        next_held = next(held, None)
        next_skipped = next(skipped, None)
        while monday <= last_ordinal:
            until = _pendulum_day(min(monday + 6, last_ordinal))
            in_week: list[ScheduledSession] = []
            while next_held is not None and next_held.day <= until:
                in_week.append(next_held)
                next_held = next(held, None)
            closed: list[ScheduledSession] = []
            while next_skipped is not None and next_skipped.day <= until:
                closed.append(next_skipped)
                next_skipped = next(skipped, None)
            weeks.append(
                trusted(
                    CalendarWeek,
                    _pendulum_day(monday),
                    first if monday < first_ordinal else _pendulum_day(monday),
                    until,
                    tuple(in_week),
                    tuple(closed),
                )
            )
            monday += 7
        return tuple(weeks)

    def hours_by_week(self) -> dict[pendulum.Date, pendulum.Duration]:
        """Clinical time scheduled in each week, keyed by the week's Monday."""
        return {week.monday: week.clinical_duration for week in self.by_week()}

    def days_by_week(self) -> dict[pendulum.Date, int]:
        """Program days with a session in each week, keyed by the week's Monday."""
        return {week.monday: week.days for week in self.by_week()}

    @property
    def partial_weeks(self) -> tuple[pendulum.Date, ...]:
        """The Mondays of the weeks the calendar's period cuts short."""
        return tuple(week.monday for week in self.by_week() if week.partial)

    def between(self, first: date | str, last: date | str) -> Calendar:
        """The calendar narrowed to the days from `first` to `last` (inclusive, clipped to the
        calendar's own period): its sessions, closures and weeks.

        Raises:
            InvalidValueError: `last` before `first`, or a period outside the calendar.
        """
        asked_first, asked_last = _day("first", first), _day("last", last)
        if asked_last < asked_first:
            raise InvalidValueError("last", asked_last, f"a day on or after first ({asked_first})")
        first, last = max(asked_first, self.first), min(asked_last, self.last)
        if last < first:
            raise InvalidValueError(
                "first", asked_first,
                f"a period overlapping the calendar's ({self.first} to {self.last}); "
                f"{asked_first} to {asked_last} does not",
            )  # fmt: skip

        def inside(sessions: tuple[ScheduledSession, ...]) -> tuple[ScheduledSession, ...]:
            return tuple(s for s in sessions if first <= s.day <= last)

        return trusted(
            Calendar,
            self.program,
            self.zone,
            pendulum.Date(first.year, first.month, first.day),
            pendulum.Date(last.year, last.month, last.day),
            inside(self.sessions),
            inside(self.closed),
            tuple(d for d in self.closures if first <= d <= last),
        )

    def __str__(self) -> str:
        """The program, the zone, the period and the sessions held (and not held).

        >>> import carecontinuum as cc
        >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
        ...                                hours_per_session=3, weeks=8, name="Evening IOP")
        >>> print(expand(p, pendulum.date(2026, 3, 2), "America/New_York"))
        Evening IOP: America/New_York, 2026-03-02 to 2026-04-26, 24 sessions
        """
        program = self.program
        title = program.name or f"{program.level.scheme} {program.level.code} program"
        count = len(self.sessions)
        return summary(
            f"{clip(line(title), 48)}: {self.zone.name}",
            f"{self.first} to {self.last}",
            f"{count} session{'' if count == 1 else 's'}",
            f"{len(self.closed)} not held (closed)" if self.closed else "",
        )

    def _repr_html_(self) -> str:
        """The calendar as HTML, for notebooks: a grid of its Monday-to-Sunday weeks with the
        dated sessions and each week's clinical hours; partial weeks, days outside the period,
        closures and the weeks the clocks change in are marked in words.

        >>> import carecontinuum as cc
        >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed"],
        ...                                hours_per_session=3, weeks=2)
        >>> cal = expand(p, pendulum.date(2026, 3, 4), "UTC", closures=[pendulum.date(2026, 3, 9)])
        >>> html = cal._repr_html_()
        >>> "<table" in html, "CLOSED" in html, "partial" in html
        (True, True, True)
        """
        from ._display import calendar_html  # noqa: PLC0415 (display code loads only when a notebook asks)

        return calendar_html(self)


def expand(
    program: ProgramStructure,
    start: date | str,
    tz: str | ZoneInfo,
    *,
    closures: Iterable[date | str] = (),
    until: date | str | int | None = None,
) -> Calendar:
    """Turn a program's weekly template into dated sessions in a time zone.

    Program week k runs from ``start + 7k`` for seven days; each session of the template is
    held on its weekday within each week it occurs in (every N weeks from its `week_offset`).
    A session falling on a closure day is skipped and recorded in `Calendar.closed`.

    Args:
        program: The program structure.
        start: The first day (a date, or an ISO 8601 date 'YYYY-MM-DD'); the first week
            begins on it.
        tz: An IANA zone name ("America/New_York"), a `zoneinfo.ZoneInfo` or a pendulum
            timezone. Not a fixed offset (it has no daylight-saving rules), nor "EST", "MST"
            or "HST" (fixed offsets named like a region's time: the message names the zone
            meant), nor the host's own zone ("localtime"): a calendar must not change with the
            machine it is expanded on. A misspelt name gets the closest IANA name.
        closures: Days the clinic is shut (dates or 'YYYY-MM-DD').
        until: Where a program of a range of lengths ends: a last day (a date or
            'YYYY-MM-DD') or a number of weeks, within the range; the minimum when omitted.

    A calendar spans at most 1,044 weeks (about 20 years) and holds at most 50,000 dated
    sessions (held and closed); a longer one is refused before any session is made. Expand a
    part of a long program by giving `until`.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed argument, named in the message; a
            calendar past the limits names `until` (or ``program.weeks`` when it is omitted).
        ScheduleConflictError: a clock change would make two sessions overlap in real time
            (possible only for sessions in the small hours of a change night).

    >>> import carecontinuum as cc
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=3, weeks=(8, 12))
    >>> cal = expand(p, pendulum.date(2026, 1, 5), "Asia/Kolkata",
    ...              closures=[pendulum.date(2026, 1, 26)], until=10)
    >>> len(cal), [str(s.day) for s in cal.closed], str(cal.last)
    (29, ['2026-01-26'], '2026-03-15')
    """
    if not isinstance(program, ProgramStructure):
        raise InvalidTypeError("program", program, "a ProgramStructure")
    first = _calendar_day("start", start)
    zone = _zone("tz", tz)
    shut = {d.toordinal() for d in _check_closures(closures)}
    weeks, last = _weeks_for(program, first, until)
    first_ordinal, last_ordinal = first.toordinal(), last.toordinal()
    start_weekday = first.weekday()
    _check_size(program, first, last, weeks, until)
    templates = [
        (
            (session.weekday.value - start_weekday) % 7,
            session.start.hour * 3600 + session.start.minute * 60 + session.start.second,
            session.start.microsecond,
            index,
            session,
        )
        for index, session in enumerate(program.sessions)
    ]
    # Order within a week by day offset from the start, then time: sessions come out in order.
    templates.sort(key=lambda t: (t[0], t[1], t[2]))
    held: list[ScheduledSession] = []
    skipped: list[ScheduledSession] = []
    dates: dict[int, pendulum.Date] = {}
    new, init = object.__new__, ScheduledSession.__attrs_init__  # built unchecked: see trusted
    for week in range(weeks):
        week_ordinal = first_ordinal + 7 * week
        for offset, seconds, micro, index, session in templates:
            if week % session.every_weeks != session.week_offset:
                continue
            ordinal = week_ordinal + offset
            if ordinal > last_ordinal:
                continue
            day = dates.get(ordinal)
            if day is None:
                plain = date.fromordinal(ordinal)
                day = dates[ordinal] = pendulum.Date(plain.year, plain.month, plain.day)
            scheduled = new(ScheduledSession)
            init(scheduled, session, index, week, day, _utc_us(ordinal, seconds, micro, zone), zone)
            (skipped if ordinal in shut else held).append(scheduled)
    held.sort(key=lambda s: s._utc_us)
    skipped.sort(key=lambda s: s._utc_us)
    _check_clock_changes(held)
    return trusted(
        Calendar,
        program,
        zone,
        pendulum.Date(first.year, first.month, first.day),
        pendulum.Date(last.year, last.month, last.day),
        tuple(held),
        tuple(skipped),
        tuple(
            pendulum.Date(d.year, d.month, d.day) for d in sorted(date.fromordinal(o) for o in shut)
        ),
    )


def _sessions_between(program: ProgramStructure, first: date, last: date, weeks: int) -> int:
    """How many dated sessions (held and closed) `expand` makes from `first` to `last` in
    `weeks` program weeks, by arithmetic: the whole weeks, then the last week's days."""
    last_week = first.toordinal() + 7 * (weeks - 1)
    return program.sessions_over(weeks - 1) + sum(
        1
        for s in program.sessions
        if s.occurs_in_week(weeks - 1)
        and last_week + (s.weekday.value - first.weekday()) % 7 <= last.toordinal()
    )


def _check_size(
    program: ProgramStructure, first: date, last: date, weeks: int, until: object
) -> None:
    """Refuse, before making any session, a calendar longer than `_MAX_CALENDAR_WEEKS` or
    holding more than `_MAX_CALENDAR_SESSIONS` sessions."""
    field, value = ("until", until) if until is not None else ("program.weeks", program.weeks)
    if weeks > _MAX_CALENDAR_WEEKS:
        raise InvalidValueError(
            field, value, f"a calendar of at most {_MAX_CALENDAR_WEEKS:,} weeks (about 20 years; "
            f"expand a part at a time), not {weeks:,} weeks from {first}",
        )  # fmt: skip
    count = _sessions_between(program, first, last, weeks)
    if count > _MAX_CALENDAR_SESSIONS:
        raise InvalidValueError(
            field, value, f"a calendar of at most {_MAX_CALENDAR_SESSIONS:,} sessions (expand a "
            f"part at a time), not {count:,} sessions from {first} to {last}",
        )  # fmt: skip


def _check_clock_changes(held: list[ScheduledSession]) -> None:
    """The template's sessions never overlap in wall time, but a clock change can make them
    overlap in real time (a 02:00 start moved to 03:00 onto a 03:00 session): refuse that."""
    for a, b in itertools.pairwise(held):
        if a._utc_us + a.session._length_us > b._utc_us:
            raise ScheduleConflictError(
                f"sessions[{b.index}]", b, f"sessions[{a.index}]", a,
                f"overlaps, on {b.day} (a clock change moves them together),",
            )  # fmt: skip


def _calendar_weeks(calendar: Calendar) -> tuple[WeekFigures, ...]:
    positions = {id(s): i for i, s in enumerate(calendar.sessions)}
    return tuple(
        trusted(
            WeekFigures,
            f"the week of {week.monday}",
            f"weeks[{week.monday}]",
            tuple(
                (s.day.weekday(), s.session._clinical_us, positions[id(s)], s.session)
                for s in week.sessions
            ),
            week.days_in_period / 7,
            "sessions",
            "",
            week.first,
        )
        for week in calendar.by_week()
    )


def _calendar_profile(calendar: Calendar) -> Any:
    program = calendar.program
    return (program.level, program.population, program.track)


register(Calendar, _calendar_weeks, _calendar_profile)
Weekly.register(Calendar)


_US_PER_HOUR = 3_600 * _US_PER_SECOND


def _calendar_columns(calendar: Calendar) -> Columns:
    """A calendar as a table (`carecontinuum.tables`): one row per dated session, held or
    closed, in time order."""
    program = calendar.program
    zone, mode = calendar.zone.name, program.delivery_mode
    rows = sorted((*calendar.sessions, *calendar.closed), key=lambda s: s._utc_us)
    closed = set(calendar.closed)
    templates = [s.session for s in rows]
    days = [s.day for s in rows]
    count = len(rows)
    return {
        "program": ("str", [program.name] * count),
        "scheme": ("str", [program.level.scheme] * count),
        "level": ("str", [program.level.code] * count),
        "population": ("str", [program.population.value] * count),
        "track": ("str", [program.track.value] * count),
        "zone": ("str", [zone] * count),
        "date": ("date", days),
        "weekday": ("str", [t.weekday.name.title() for t in templates]),
        "week": ("date", [date.fromordinal(d.toordinal() - d.weekday()) for d in days]),
        "program_week": ("int", [s.week for s in rows]),
        "start": ("datetime", [s.start for s in rows]),
        "end": ("datetime", [s.end for s in rows]),
        "clinical_hours": ("float", [t._clinical_us / _US_PER_HOUR for t in templates]),
        "length_hours": ("float", [t._length_us / _US_PER_HOUR for t in templates]),
        "services": ("str", [", ".join(v.value for v in t.services) for t in templates]),
        "session": ("int", [s.index for s in rows]),
        "session_name": ("str", [t.name for t in templates]),
        # A session without a mode of its own is delivered as its program is.
        "delivery_mode": ("str", [(t.delivery_mode or mode).value for t in templates]),
        "overnight": ("bool", [t.overnight for t in templates]),
        "program_day": ("bool", [t.program_day for t in templates]),
        "closed": ("bool", [s in closed for s in rows]),
    }


register_table(Calendar, _calendar_columns)
