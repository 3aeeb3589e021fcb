"""Program structures: what a program delivers each week (sessions of segments), for how long.

Times here are wall-clock templates (a weekday and a local start time); dated, zoned sessions
come from expanding a program into a calendar. Derived figures are computed from integer
microseconds and only turned into pendulum Durations at the edge.
"""

from __future__ import annotations

import enum
import math
import operator
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

import attrs
import pendulum
from pendulum import WeekDay

from ._errors import InvalidTypeError, InvalidValueError, ScheduleConflictError
from ._frozen import _Derived, unchecked_builder, value_eq, value_hash
from ._levels import LevelOfCare
from ._span import Span
from ._text import clip, hours, line, summary, value_repr
from ._validators import (
    _MAX_NUMBER,
    _MAX_TEXT_LENGTH,
    check_bool,
    check_enum,
    check_int,
    check_optional_str,
    check_weekday,
    enum_tuple,
    hours_to_duration,
    positive_duration,
    tuple_of,
)

__all__ = [
    "DeliveryMode",
    "Modality",
    "Population",
    "ProgramStructure",
    "Segment",
    "Service",
    "Session",
    "Track",
]

_US_PER_SECOND = 1_000_000
_US_PER_HOUR = 3600 * _US_PER_SECOND
_US_PER_DAY = 24 * _US_PER_HOUR
_US_PER_WEEK = 7 * _US_PER_DAY

#: The longest repeat cycle a program may have, in weeks: the most a session's `every_weeks` may
#: be, and the most the least common multiple of all its sessions' `every_weeks` may be. A year:
#: a session held once a year is the rarest a weekly schedule describes. The cycle is what rules
#: judge week by week (`validate` reads every week of it), so it must not grow with the numbers
#: in a program: two sessions every 999,983 and 999,979 weeks made a cycle of a trillion weeks.
_MAX_CYCLE_WEEKS = 52
#: The most sessions a program's week may hold. A residential week holds a few dozen; a thousand
#: is far past any program, and keeps the checks and figures over a program's sessions (and a
#: cycle's weeks of them) quick for whatever a payload says.
_MAX_SESSIONS = 1_000


class Population(enum.Enum):
    """Who a program serves; intensity rules differ by population.

    >>> Population.ADOLESCENT.value
    'adolescent'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    ADULT = "adult"
    ADOLESCENT = "adolescent"


class Track(enum.Enum):
    """The conditions a program treats.

    >>> Track.CO_OCCURRING.value
    'co-occurring'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    SUBSTANCE_USE = "substance use"
    MENTAL_HEALTH = "mental health"
    #: Substance use and mental health together ("dual diagnosis").
    CO_OCCURRING = "co-occurring"


class DeliveryMode(enum.Enum):
    """How sessions are delivered.

    >>> DeliveryMode.TELEHEALTH.value
    'telehealth'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    IN_PERSON = "in person"
    TELEHEALTH = "telehealth"
    #: Some sessions in person, some by telehealth.
    HYBRID = "hybrid"


class Service(enum.Enum):
    """What happens during a stretch of a session. Every service is clinical time except
    `BREAK`.

    >>> Service.GROUP_THERAPY.is_clinical, Service.BREAK.is_clinical
    (True, False)
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    INDIVIDUAL_THERAPY = "individual therapy"
    GROUP_THERAPY = "group therapy"
    FAMILY_THERAPY = "family therapy"
    PSYCHOEDUCATION = "psychoeducation"
    MEDICATION_MANAGEMENT = "medication management"
    RELAPSE_PREVENTION = "relapse prevention"
    CASE_MANAGEMENT = "case management"
    DRUG_TESTING = "drug testing"
    SKILLS_WORKSHOP = "skills workshop"
    PEER_SUPPORT = "peer support"
    CHECK_IN = "check-in"
    PROCESS_GROUP = "process group"
    #: A pause within a session; not clinical time.
    BREAK = "break"

    @property
    def is_clinical(self) -> bool:
        """True for every service but `BREAK`."""
        return self is not Service.BREAK


class Modality(enum.Enum):
    """Therapeutic approaches a program uses, as the program descriptions name them.

    >>> Modality.DBT.value
    'dialectical behavior therapy'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    CBT = "cognitive behavioral therapy"
    DBT = "dialectical behavior therapy"
    MI = "motivational interviewing"
    MINDFULNESS = "mindfulness"
    #: Holistic practices integrated into treatment (named by the Invigorate and AACS programs).
    HOLISTIC = "holistic"


def _us(duration: timedelta) -> int:
    return (duration.days * 86_400 + duration.seconds) * _US_PER_SECOND + duration.microseconds


_MAX_DURATION_US = timedelta.max // timedelta(microseconds=1)
_ONE_DAY = timedelta(days=1)


def _duration(us: int) -> pendulum.Duration:
    return pendulum.Duration(microseconds=us)


def _runs_past_midnight(start_of_day_us: int, length_us: int) -> bool:
    """What "overnight" means, everywhere: a session whose wall-clock start plus its length
    (elapsed time) passes midnight. One that ends at midnight exactly (23:00 for an hour) is
    not overnight: it ends on its own day, at 24:00."""
    return start_of_day_us + length_us > _US_PER_DAY


def _time_of_day(us: int) -> pendulum.Time:
    seconds, micro = divmod(us % _US_PER_DAY, _US_PER_SECOND)
    return pendulum.Time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


@attrs.frozen(init=False)
class Segment:
    """One stretch of a session given to one service: 45 minutes of process group, a 15-minute
    break.

    Args:
        service: What the stretch is for; `Service.BREAK` is not clinical time.
        duration: How long it lasts: a positive pendulum Duration or `datetime.timedelta`
            of at most 24 hours, a session's most (a bare number is refused, as it could mean
            hours or minutes).
        label: An optional name for display ("educational presentation").

    >>> import pendulum
    >>> seg = Segment(Service.PROCESS_GROUP, pendulum.duration(minutes=90))
    >>> seg.duration.in_minutes(), seg.is_clinical
    (90, True)
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    service: Service
    duration: pendulum.Duration
    label: str | None

    def __init__(
        self, service: Service | str, duration: timedelta, label: str | None = None
    ) -> None:
        self.__attrs_init__(
            check_enum("service", service, Service),
            positive_duration(
                "duration", duration, maximum=_ONE_DAY, most="24 hours, a session's most"
            ),
            check_optional_str("label", label),
        )

    @property
    def is_clinical(self) -> bool:
        """True unless the segment is a break."""
        return self.service is not Service.BREAK

    def __str__(self) -> str:
        """The service and its time in hours (minutes under an hour), then the label.

        >>> import pendulum
        >>> str(Segment(Service.BREAK, pendulum.duration(minutes=15)))
        'break 15 min'
        """
        label = f" ({clip(line(self.label), 60)})" if self.label else ""
        return summary(f"{self.service.value} {hours(self.duration)}{label}")


def _check_start(value: object) -> pendulum.Time:
    if not isinstance(value, time):
        raise InvalidTypeError("start", value, "a time of day 'HH:MM' or a datetime.time")
    if value.tzinfo is not None:
        raise InvalidValueError(
            "start", value, "a local wall-clock time without tzinfo (the zone comes with dates)"
        )
    if type(value) is pendulum.Time:
        return value
    return pendulum.Time(value.hour, value.minute, value.second, value.microsecond)


@attrs.frozen(init=False)
class Session(_Derived):
    """One recurring session of a program's week: a weekday, a local start time and its segments.

    A session's *clinical* time excludes breaks: three hours with a 15-minute break is 2.75
    clinical hours. A session that ends after midnight must say so with ``overnight=True``.

    Args:
        weekday: The day it is held on: a pendulum ``WeekDay`` or its name ("mon",
            "Monday", in any case).
        start: Local wall-clock start time: "HH:MM", a naive `datetime.time` or a pendulum
            ``Time`` (kept as a pendulum ``Time``).
        segments: What fills the session, in order; at least one must be clinical.
        every_weeks: Held every N weeks (1 for weekly, 2 for fortnightly, ...), at most 52
            (once a year: the longest cycle a program may repeat on).
        week_offset: For ``every_weeks > 1``, which week of the cycle it falls in: week
            ``week_offset`` of the program, then every N weeks after (0-based). Program weeks
            count from the program's first day, whatever weekday it is (see `ProgramStructure`).
        delivery_mode: How it is delivered; None means as the program is delivered.
        overnight: True for a session that runs past midnight into the next day: its start
            plus its length passes 24:00 (one ending at midnight exactly is not overnight).
        program_day: Whether the session makes its day a program day (the default). Set it
            False for a separate appointment, such as an individual-therapy hour on a day the
            program does not run: its clinical time counts in the week, but rules about program
            days ("at least 3 hours a day on 3 days a week") and `days_per_week` do not count
            its day, and session-length rules do not judge it.
        name: An optional name ("Monday evening group").

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message.

    >>> import pendulum
    >>> from pendulum import WeekDay
    >>> s = Session(WeekDay.MONDAY, pendulum.time(18), [
    ...     Segment(Service.GROUP_THERAPY, pendulum.duration(hours=2, minutes=45)),
    ...     Segment(Service.BREAK, pendulum.duration(minutes=15)),
    ... ])
    >>> s.duration.in_hours(), s.clinical_duration.total_hours(), str(s.end)
    (3, 2.75, '21:00:00')
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    weekday: WeekDay
    start: pendulum.Time
    segments: tuple[Segment, ...]
    every_weeks: int
    week_offset: int
    delivery_mode: DeliveryMode | None
    overnight: bool
    program_day: bool
    name: str | None
    # Precomputed for the schedule checks and sums, which run on every program built.
    _start_us: int = attrs.field(init=False, eq=False, repr=False, hash=False)
    _length_us: int = attrs.field(init=False, eq=False, repr=False, hash=False)
    _clinical_us: int = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __init__(
        self,
        weekday: WeekDay | str,
        start: time | str,
        segments: Iterable[Segment],
        *,
        every_weeks: int = 1,
        week_offset: int = 0,
        delivery_mode: DeliveryMode | str | None = None,
        overnight: bool = False,
        program_day: bool = True,
        name: str | None = None,
    ) -> None:
        day = weekday if type(weekday) is WeekDay else _parse_day("weekday", weekday)
        start = _parse_start(start) if isinstance(start, str) else _check_start(start)
        parts = tuple_of("segments", segments, Segment, "a Segment")
        if not parts:
            raise InvalidValueError("segments", parts, "at least one segment")
        clinical_us = sum(_us(p.duration) for p in parts if p.is_clinical)
        if not clinical_us:
            raise InvalidValueError("segments", parts, "at least one clinical segment")
        length_us = sum(_us(p.duration) for p in parts)
        if length_us > _US_PER_DAY:
            raise InvalidValueError("segments", parts, "at most 24 hours in one session")
        if type(every_weeks) is int and every_weeks > _MAX_CYCLE_WEEKS:  # before the number cap
            raise InvalidValueError(
                "every_weeks", every_weeks, f"at most {_MAX_CYCLE_WEEKS} (once a year: the "
                "longest cycle a program may repeat on)",
            )  # fmt: skip
        every = check_int("every_weeks", every_weeks, minimum=1, maximum=_MAX_CYCLE_WEEKS)
        offset = check_int("week_offset", week_offset, minimum=0)
        if offset >= every:
            raise InvalidValueError("week_offset", offset, f"less than every_weeks ({every})")
        mode = (
            None
            if delivery_mode is None
            else check_enum("delivery_mode", delivery_mode, DeliveryMode)
        )
        overnight = check_bool("overnight", overnight)
        start_of_day_us = (
            start.hour * 3600 + start.minute * 60 + start.second
        ) * _US_PER_SECOND + start.microsecond
        crosses = _runs_past_midnight(start_of_day_us, length_us)
        if crosses != overnight:
            end = _time_of_day(start_of_day_us + length_us)
            expected = (
                f"True for a session that runs past midnight (start {start}, end {end} the "
                "next day)"
                if crosses
                else f"False for a session that ends by midnight (start {start}, end {end})"
            )
            raise InvalidValueError("overnight", overnight, expected)
        self.__attrs_init__(
            day,
            start,
            parts,
            every,
            offset,
            mode,
            overnight,
            check_bool("program_day", program_day),
            check_optional_str("name", name),
        )
        object.__setattr__(self, "_start_us", day * _US_PER_DAY + start_of_day_us)
        object.__setattr__(self, "_length_us", length_us)
        object.__setattr__(self, "_clinical_us", clinical_us)

    def _on(self, weekday: WeekDay) -> Session:
        """This session, checked already, held on another (checked) weekday instead: what
        `ProgramStructure.weekly` repeats, without checking the same fields again."""
        if weekday is self.weekday:
            return self
        clone = object.__new__(Session)
        clone.__attrs_init__(
            weekday,
            self.start,
            self.segments,
            self.every_weeks,
            self.week_offset,
            self.delivery_mode,
            self.overnight,
            self.program_day,
            self.name,
        )
        object.__setattr__(clone, "_start_us", weekday * _US_PER_DAY + self._start_us % _US_PER_DAY)
        object.__setattr__(clone, "_length_us", self._length_us)
        object.__setattr__(clone, "_clinical_us", self._clinical_us)
        return clone

    def __str__(self) -> str:
        every = f", every {self.every_weeks} weeks" if self.every_weeks > 1 else ""
        name = f", {clip(line(self.name), 60)}" if self.name else ""
        return summary(
            f"{self.weekday.name.title()} {self.start:%H:%M}-{self.end:%H:%M}{every}{name}"
        )

    @property
    def duration(self) -> pendulum.Duration:
        """Length from start to end, breaks included."""
        return _duration(self._length_us)

    @property
    def clinical_duration(self) -> pendulum.Duration:
        """Clinical time: the length less any breaks."""
        kept: pendulum.Duration | None = getattr(self, "_derived", None)
        if kept is None:  # made once (a Duration is costly to make, and immutable)
            kept = _duration(self._clinical_us)
            object.__setattr__(self, "_derived", kept)
        return kept

    @property
    def end(self) -> pendulum.Time:
        """Local wall-clock end time (on the next day when ``overnight``)."""
        return _time_of_day(self._start_us + self._length_us)

    @property
    def services(self) -> tuple[Service, ...]:
        """The clinical services the session delivers, each once, in order of first appearance."""
        return tuple(dict.fromkeys(s.service for s in self.segments if s.is_clinical))

    def occurs_in_week(self, week: int) -> bool:
        """True when the session is held in program week `week` (0-based).

        >>> import pendulum
        >>> s = Session(pendulum.WeekDay.FRIDAY, pendulum.time(10),
        ...             [Segment(Service.FAMILY_THERAPY, pendulum.duration(hours=1))],
        ...             every_weeks=2, week_offset=1)
        >>> [s.occurs_in_week(w) for w in range(4)]
        [False, True, False, True]
        """
        if type(week) is not int or week < 0:
            check_int("week", week, minimum=0)
        return week % self.every_weeks == self.week_offset

    def occurrences(self, weeks: int) -> int:
        """How many times the session is held in a program of `weeks` weeks."""
        if type(weeks) is not int or not 0 <= weeks <= _MAX_NUMBER:
            check_int("weeks", weeks, minimum=0)
        if weeks <= self.week_offset:
            return 0
        return (weeks - self.week_offset + self.every_weeks - 1) // self.every_weeks


def _meeting_start_days(a: Session, b: Session, shift: int) -> tuple[int, ...]:
    """The weekdays a program may start on (0 for Monday to 6 for Sunday) for which some
    occurrence of `a` has an occurrence of `b` `shift` calendar (Monday-to-Sunday) weeks later.

    Program weeks count from the program's first day, as `expand` counts them, and a program
    may start on any day: on weekday ``d`` of calendar week ``W``, a program started on weekday
    ``s`` is in its week ``W - 1`` when ``d < s``, else in week ``W``. So `b` falls ``shift``
    plus one, less one, or exactly ``shift`` program weeks after `a`, by the start day, and
    meets it when some week `a` is held in has `b` held that many weeks later.
    """
    cycle = math.gcd(a.every_weeks, b.every_weeks)
    if cycle == 1:
        return _EVERY_DAY
    day_a, day_b = a.weekday.value, b.weekday.value
    return tuple(
        start
        for start in _EVERY_DAY
        if (a.week_offset + shift - (day_b < start) + (day_a < start) - b.week_offset) % cycle == 0
    )


_EVERY_DAY = tuple(range(7))


def _conflict(  # noqa: PLR0917 (the clash, as the check found it)
    sessions: Sequence[Session],
    positions: Sequence[int],
    i: int,
    j: int,
    shift: int,
    start_days: tuple[int, ...] = _EVERY_DAY,
) -> ScheduleConflictError:
    a, b = sessions[i], sessions[j]
    same_start = a._start_us == b._start_us + shift * _US_PER_WEEK
    first, second = sorted((i, j), key=lambda k: positions[k])
    clash = "starts at the same time as" if same_start else "overlaps"
    if start_days != _EVERY_DAY:
        day = WeekDay(start_days[0]).name.title()
        clash += f", in a program that starts on a {day} (its weeks count from its first day),"
    return ScheduleConflictError(
        f"sessions[{positions[second]}]",
        sessions[second],
        f"sessions[{positions[first]}]",
        sessions[first],
        clash,
    )


def _check_schedule(
    sessions: Sequence[Session], positions: Sequence[int], weekly_only: bool
) -> None:
    """Raise ScheduleConflictError for two sessions at the same start or overlapping in time.

    `sessions` must be sorted by start; `positions` are their places in the caller's list, for
    the message. When every session is weekly, only neighbours (and the last against the first,
    across the week's end) can clash; otherwise a sweep over two weeks of starts compares each
    session with those still running when it starts, in the weeks each can meet the other,
    whatever day of the week the program starts on (see `_meeting_start_days`).
    """
    n = len(sessions)
    if weekly_only:
        for i in range(n - 1):
            a = sessions[i]
            if sessions[i + 1]._start_us < a._start_us + a._length_us:
                raise _conflict(sessions, positions, i, i + 1, 0)
        last = sessions[-1]
        if n > 1 and last._start_us + last._length_us > sessions[0]._start_us + _US_PER_WEEK:
            raise _conflict(sessions, positions, n - 1, 0, 1)
        return
    # Each session in its week (shift 0) and a week later (shift 1): starts are in order, and a
    # session (at most a day long) can only clash with one in the same or the next week. The
    # sessions running at any moment pairwise cannot meet (else the sweep would have stopped),
    # so there are at most as many as residues `every_weeks` can share out: the work is linear.
    running: list[tuple[int, int, int]] = []  # (end, index, shift)
    for shift in (0, 1):
        for j in range(n):
            b = sessions[j]
            b_start = b._start_us + shift * _US_PER_WEEK
            running = [r for r in running if r[0] > b_start]
            for _, i, a_shift in running:
                if i == j or a_shift == 1 == shift:  # itself; a pair checked a week before
                    continue
                start_days = _meeting_start_days(sessions[i], b, shift - a_shift)
                if start_days:
                    raise _conflict(sessions, positions, i, j, shift - a_shift, start_days)
            running.append((b_start + b._length_us, j, shift))


def _check_cycle(
    sessions: Sequence[Session], positions: Sequence[int], weeks: int | Span[int]
) -> None:
    """Refuse a repeat cycle (the lcm of the sessions' `every_weeks`) longer than the program's
    longest length or `_MAX_CYCLE_WEEKS`, naming the ``every_weeks`` (in the caller's order) that
    makes it so. A session is at most `_MAX_CYCLE_WEEKS` weeks apart, so the lcm stays small."""
    longest = weeks if isinstance(weeks, int) else weeks.maximum
    limit = min(longest, _MAX_CYCLE_WEEKS)
    cycle = 1
    for position, session in sorted(zip(positions, sessions, strict=True), key=lambda p: p[0]):
        cycle = math.lcm(cycle, session.every_weeks)
        if cycle > limit:
            within = (
                f"the program's weeks ({longest})"
                if longest < _MAX_CYCLE_WEEKS
                else f"{_MAX_CYCLE_WEEKS} weeks (the longest cycle a program may repeat on)"
            )
            raise InvalidValueError(
                f"sessions[{position}].every_weeks", session.every_weeks,
                f"a period keeping the program's repeat cycle (the lcm of its sessions' "
                f"every_weeks) within {within}; with it the cycle is {cycle} weeks",
            )  # fmt: skip


def _session_key(session: Session) -> tuple[int, int, int]:
    return (session._start_us, session.every_weeks, session.week_offset)


#: The longest a program may run, in weeks: the whole weeks from 0001-01-01 to 9999-12-31, the
#: dates Python holds. No program runs longer than the days it would be held on; past this,
#: its figures (sessions and hours over its length) and its calendar would overflow.
_MAX_WEEKS = date.max.toordinal() // 7
_AT_MOST_WEEKS = f"at most {_MAX_WEEKS:,} weeks (the whole weeks of the dates Python holds)"


def _check_weeks(value: object) -> int | Span[int]:
    if type(value) is Span and type(value.minimum) is int and type(value.maximum) is int:
        if value.minimum < 1:
            raise InvalidValueError("weeks", value, "a minimum of at least 1 week")
        if value.maximum > _MAX_WEEKS:
            raise InvalidValueError("weeks", value, _AT_MOST_WEEKS)
        return value  # a Span already holds minimum <= maximum
    if type(value) is int:
        if value < 1:
            raise InvalidValueError("weeks", value, "at least 1 week")
        if value > _MAX_WEEKS:
            raise InvalidValueError("weeks", value, _AT_MOST_WEEKS)
        return value
    if isinstance(value, Span):
        low, high = value.minimum, value.maximum
    elif isinstance(value, tuple) and len(value) == 2:
        low, high = value
    else:
        raise InvalidTypeError("weeks", value, "an int or a (minimum, maximum) range of weeks")
    for part in (low, high):
        if type(part) is not int:
            raise InvalidTypeError("weeks", value, "whole numbers of weeks")
        if part > _MAX_WEEKS:
            raise InvalidValueError("weeks", value, _AT_MOST_WEEKS)
    if low < 1:
        raise InvalidValueError("weeks", value, "a minimum of at least 1 week")
    if low > high:
        raise InvalidValueError("weeks", value, "a minimum no greater than the maximum")
    return value if isinstance(value, Span) else Span(low, high)


# Sessions `ProgramStructure.weekly` made, by what it was given (hours, start and overnight,
# when it fills the session with group therapy): a sweep over program designs repeats a few
# session shapes many times, and a session is immutable, so each shape is checked once.
# Bounded: cleared when full.
_WEEKLY_SESSIONS: dict[Hashable, Session] = {}
_WEEKLY_SESSIONS_MAX = 1024


def _check_sessions(sessions: Iterable[Session]) -> tuple[tuple[Session, ...], list[int] | None]:
    """A program's sessions in the order it keeps them, each clash refused; with the order
    they were given in when some repeat every few weeks or came out of order (for
    `_check_cycle`, against the program's length), else None: then the tuple is kept in
    `_CHECKED_SESSIONS`, as checked."""
    items = (
        sessions
        if type(sessions) is tuple
        else tuple_of("sessions", sessions, Session, "a Session")
    )
    if not items:
        raise InvalidValueError("sessions", items, "at least one session")
    if len(items) > _MAX_SESSIONS:
        raise InvalidValueError(
            "sessions", items, f"at most {_MAX_SESSIONS:,} sessions (got {len(items):,})"
        )
    # The common case (weekly sessions, in order, none starting before the previous ends) in
    # one pass with identity tests.
    simple = True
    previous_end = -1
    for session in items:
        if type(session) is not Session:
            tuple_of("sessions", items, Session, "a Session")  # raises, naming the index
        start = session._start_us
        if start < previous_end or session.every_weeks != 1:
            simple = False
        previous_end = start + session._length_us
    if not simple:
        order = sorted(range(len(items)), key=lambda k: _session_key(items[k]))
        items = tuple(items[k] for k in order)
        _check_schedule(items, order, all(s.every_weeks == 1 for s in items))
        return items, order
    # Only the week's last session can still clash: with the first, across Sunday night.
    if previous_end > items[0]._start_us + _US_PER_WEEK and len(items) > 1:
        _check_schedule(items, range(len(items)), weekly_only=True)
    if len(_CHECKED_SESSIONS) >= _CHECKED_SESSIONS_MAX:
        _CHECKED_SESSIONS.clear()
    _CHECKED_SESSIONS[id(items)] = items
    return items, None


# Tuples of weekly sessions, in order and without a clash, that programs were built from, by
# identity: a program's own sessions given again (`attrs.evolve`, a sweep over names, lengths
# or modalities) are not checked again. A tuple and its sessions are immutable, so a tuple
# checked once stays good, and the memo holds the tuple, so its id is not another's while it
# is kept. Whether sessions that repeat every few weeks fit depends on the program's length:
# they are checked every time. Bounded: cleared when full.
_CHECKED_SESSIONS: dict[int, tuple[Session, ...]] = {}
_CHECKED_SESSIONS_MAX = 1024


def _modalities(value: Iterable[Modality | str]) -> tuple[Modality, ...]:
    """A program's modalities, each at most once, as members; kept for the next program."""
    kinds = enum_tuple("modalities", value, Modality)
    if len(set(kinds)) != len(kinds):  # members hash by identity
        raise InvalidValueError("modalities", kinds, "each modality at most once")
    if len(_CHECKED_MODALITIES) >= _CHECKED_MODALITIES_MAX:
        _CHECKED_MODALITIES.clear()
    return _CHECKED_MODALITIES.setdefault(kinds, kinds)  # the same tuple as the memo's


# Combinations of modalities `_modalities` took, as tuples of members: a program's own
# modalities, given again (a sweep, `attrs.evolve`), cost one lookup. Bounded: cleared when full.
_CHECKED_MODALITIES: dict[tuple[Modality, ...], tuple[Modality, ...]] = {}
_CHECKED_MODALITIES_MAX = 1024


@attrs.frozen(init=False, weakref_slot=False)
class ProgramStructure(_Derived):
    """What a program delivers: its level, population and track, the sessions of a typical week,
    and its length.

    Sessions are kept in the order they fall in the week. Derived figures (`weekly_hours`,
    `days_per_week`, ...) describe a typical week; a session held every N weeks counts 1/N.

    The program week: week 0 is the program's first day and the six days after it, week 1 the
    seven days after those, and so on, whatever weekday the program starts on (a client admitted
    on a Thursday is in week 0 until Wednesday). `Session.week_offset` counts these weeks, and
    `expand` lays sessions out by them. A program does not know its first day, so its sessions
    must not overlap whatever day it starts on: a fortnightly Sunday 23:00 session of two hours
    and a fortnightly Monday 00:30 one, both in week 0 of the cycle, fall in one program week
    (and overlap) unless the program starts on a Monday, and are refused. Weekly figures for
    rules are counted separately, by Monday-to-Sunday calendar weeks (`CalendarWeek`).

    Enumerated fields (`population`, `track`, `delivery_mode`, `modalities`) take a member,
    its value ("adult") or its name in any case ("ADULT"), as every enum-typed argument of the
    library does (see "What the API accepts" in the reference).

    Args:
        level: The level of care the program is designed to deliver.
        population: Adults or adolescents.
        track: Substance use, mental health or co-occurring.
        sessions: The recurring sessions of a week: at least one and at most 1,000, none
            overlapping. Their repeat cycle (the least common multiple of their
            `every_weeks`) must fit in the program's longest length and in 52 weeks.
        weeks: Length in weeks: an int, or a (minimum, maximum) range such as ``(6, 12)``
            (kept as a `Span`); at least 1 and at most 521,722 (``_MAX_WEEKS``, the whole
            weeks of the dates Python holds).
        delivery_mode: How the program is delivered.
        modalities: The therapeutic approaches it uses.
        name: An optional name.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message (a
            repeat cycle too long names the session's ``every_weeks`` that makes it so).
        ScheduleConflictError: two sessions at the same time, or overlapping in time in some
            week, for some day the program could start on.

    >>> from carecontinuum.catalogs import GENERIC
    >>> iop = ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                               hours_per_session=3, weeks=8)
    >>> iop.weekly_hours.total_hours(), iop.days_per_week, iop.total_sessions
    (9.0, 3.0, 24)
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    level: LevelOfCare
    population: Population
    track: Track
    sessions: tuple[Session, ...]
    weeks: int | Span[int]
    delivery_mode: DeliveryMode
    modalities: tuple[Modality, ...]
    name: str | None

    if TYPE_CHECKING:  # the signature, for readers and the docs; __new__ does the work

        def __init__(
            self,
            level: LevelOfCare,
            population: Population | str,
            track: Track | str,
            sessions: Iterable[Session],
            weeks: int | Span[int] | tuple[int, int],
            *,
            delivery_mode: DeliveryMode | str = DeliveryMode.IN_PERSON,
            modalities: Iterable[Modality | str] = (),
            name: str | None = None,
        ) -> None: ...

    def __new__(
        cls,
        level: LevelOfCare,
        population: Population | str,
        track: Track | str,
        sessions: Iterable[Session],
        weeks: int | Span[int] | tuple[int, int],
        *,
        delivery_mode: DeliveryMode | str = DeliveryMode.IN_PERSON,
        modalities: Iterable[Modality | str] = (),
        name: str | None = None,
    ) -> ProgramStructure:
        # Hot path: programs are built by the million in design sweeps, so each field is
        # first tried with identity tests, and checked in full only where they fail.
        if not isinstance(level, LevelOfCare):
            raise InvalidTypeError("level", level, "a LevelOfCare")
        if type(population) is not Population:
            population = check_enum("population", population, Population)
        if type(track) is not Track:
            track = check_enum("track", track, Track)
        if type(delivery_mode) is not DeliveryMode:
            delivery_mode = check_enum("delivery_mode", delivery_mode, DeliveryMode)
        if _CHECKED_SESSIONS.get(id(sessions)) is sessions:  # checked before, kept as is
            items: tuple[Session, ...] = sessions
            order = None
        else:
            items, order = _check_sessions(sessions)
        kinds: tuple[Modality, ...] = ()
        if type(modalities) is not tuple:  # any iterable (or not): checked item by item
            kinds = _modalities(modalities)
        elif modalities:
            try:  # a combination checked before, given as the very members: one lookup
                kinds = _CHECKED_MODALITIES[modalities]
            except Exception:  # new, unhashable, or a hash that fails: checked, kept if good
                kinds = _modalities(modalities)
            else:  # equal is not enough (an item may claim to equal a member): the same ones
                if kinds is not modalities and not all(map(operator.is_, kinds, modalities)):
                    kinds = _modalities(modalities)
        if name is not None and not (
            type(name) is str
            and 0 < len(name) <= _MAX_TEXT_LENGTH
            and name.isprintable()
            and not name.isspace()
        ):
            check_optional_str("name", name)
        if (type(weeks) is not int or not 1 <= weeks <= _MAX_WEEKS) and not (
            type(weeks) is Span  # a Span holds minimum <= maximum
            and type(low := weeks.minimum) is int
            and type(high := weeks.maximum) is int
            and low >= 1
            and high <= _MAX_WEEKS
        ):
            weeks = _check_weeks(weeks)
        if order is not None:
            _check_cycle(items, order, weeks)
        if cls is ProgramStructure:  # see `unchecked_builder`; a subclass's layout may differ
            return _BUILD_PROGRAM(
                level, population, track, items, weeks, delivery_mode, kinds, name
            )
        made = object.__new__(cls)
        fields = (level, population, track, items, weeks, delivery_mode, kinds, name)
        for store, value in zip(_SETTERS, fields, strict=True):
            store(made, value)
        return made

    def __reduce__(self) -> tuple[Callable[..., ProgramStructure], tuple[object, ...]]:
        """Pickling and copying rebuild a program through the constructor's checks, from its
        fields alone (no state is written back past them)."""
        return (_rebuilt, (type(self), self.level, self.population, self.track, self.sessions,
                           self.weeks, self.delivery_mode, self.modalities, self.name))  # fmt: skip

    @classmethod
    def weekly(
        cls,
        level: LevelOfCare,
        *,
        days: Iterable[WeekDay | str] | WeekDay | str,
        hours_per_session: float | timedelta,
        weeks: int | Span[int] | tuple[int, int],
        population: Population | str = Population.ADULT,
        track: Track | str = Track.SUBSTANCE_USE,
        start: time | str | None = None,
        services: Sequence[Service | Segment | str] | None = None,
        name: str | None = None,
        delivery_mode: DeliveryMode | str = DeliveryMode.IN_PERSON,
        modalities: Iterable[Modality | str] = (),
        overnight: bool = False,
    ) -> ProgramStructure:
        """The short way to write the common case: the same session on several days a week.

        Args:
            level: The level of care.
            days: Weekdays, as pendulum ``WeekDay`` values or names ("mon", "Monday").
            hours_per_session: Session length: a number of hours or a duration.
            weeks: Length in weeks (an int or a (minimum, maximum) range).
            population: Adults (default) or adolescents.
            track: Substance use (default), mental health or co-occurring.
            start: Local start time (a `datetime.time` or "HH:MM"); 09:00 when omitted.
            services: What fills each session. `Segment`s are used as given and must not
                exceed the session; bare `Service`s share the remaining time equally. When
                omitted, the whole session is group therapy.
            name: An optional program name.
            delivery_mode: How the program is delivered.
            modalities: The therapeutic approaches it uses.
            overnight: True when the sessions run past midnight (see `Session`).

        >>> from carecontinuum.catalogs import GENERIC
        >>> p = ProgramStructure.weekly(GENERIC["IOP"], days=["Tue", "thu"],
        ...                             hours_per_session=2.5, weeks=(6, 12), start="17:30")
        >>> p.weekly_hours.total_hours(), str(p.total_sessions), str(p.sessions[0].end)
        (5.0, '12-24', '20:00:00')
        """
        day_list = _parse_days(days)
        key: Hashable = None
        if services is None:
            # Types are part of the key: 1 == True == 1.0, and none may stand for another.
            key = (
                type(hours_per_session), hours_per_session, type(start), start,
                type(overnight), overnight,
            )  # fmt: skip
            try:
                template = _WEEKLY_SESSIONS.get(key)
            except TypeError:  # something unhashable: checked (and refused) below
                key = template = None
        else:
            template = None
        if template is None:
            length = hours_to_duration("hours_per_session", hours_per_session)
            if length > _ONE_DAY:
                raise InvalidValueError(
                    "hours_per_session",
                    hours_per_session,
                    "a session of at most 24 hours (one sitting; for more hours a day, build "
                    "the program from several sessions)",
                )
            at = _parse_start(start)
            segments = _fill_segments(length, services)
            template = Session(day_list[0], at, segments, overnight=overnight)
            if key is not None:
                if len(_WEEKLY_SESSIONS) >= _WEEKLY_SESSIONS_MAX:
                    _WEEKLY_SESSIONS.clear()
                _WEEKLY_SESSIONS[key] = template
        sessions = [template._on(day) for day in day_list]
        return cls(
            level,
            population,
            track,
            sessions,
            weeks,
            delivery_mode=delivery_mode,
            modalities=modalities,
            name=name,
        )

    # ---- derived figures -------------------------------------------------------------------

    @property
    def min_weeks(self) -> int:
        """The shortest length in weeks (the length itself when fixed)."""
        return self.weeks if isinstance(self.weeks, int) else self.weeks.minimum

    @property
    def max_weeks(self) -> int:
        """The longest length in weeks (the length itself when fixed)."""
        return self.weeks if isinstance(self.weeks, int) else self.weeks.maximum

    @property
    def cycle_weeks(self) -> int:
        """Weeks after which the pattern of sessions repeats (1 unless some session is held
        every N weeks): the least common multiple of the sessions' `every_weeks`, never more
        than the program's longest length or 52 weeks."""
        return math.lcm(*(s.every_weeks for s in self.sessions))

    @property
    def weekly_hours(self) -> pendulum.Duration:
        """Clinical time in a typical week; a session held every N weeks counts 1/N.

        >>> import pendulum
        >>> from carecontinuum.catalogs import GENERIC
        >>> p = ProgramStructure.weekly(GENERIC["OP"], days=["mon"], hours_per_session=1,
        ...                             weeks=12)
        >>> p.weekly_hours == pendulum.duration(hours=1)
        True
        """
        cycle = self.cycle_weeks
        total_us = sum(s._clinical_us * (cycle // s.every_weeks) for s in self.sessions)
        return _duration((2 * total_us + cycle) // (2 * cycle))  # rounded to the microsecond

    @property
    def sessions_per_week(self) -> float:
        """Sessions in a typical week (fractional when some are held every N weeks)."""
        cycle = self.cycle_weeks
        return sum(cycle // s.every_weeks for s in self.sessions) / cycle

    @property
    def days_per_week(self) -> float:
        """Program days in a typical week, averaged over `cycle_weeks`: days with a session
        that makes its day a program day (see `Session.program_day`). These are the days the
        rules count ("at least 3 days a week", "3 hours on each program day"). A separate
        appointment's day is not one; `service_days_per_week` counts it too. An overnight
        session counts on the day it starts.

        >>> import pendulum
        >>> from carecontinuum.catalogs import GENERIC
        >>> groups = ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed", "fri"],
        ...                                  hours_per_session=3, weeks=8)
        >>> individual = Session(pendulum.WeekDay.TUESDAY, pendulum.time(10),
        ...                      [Segment(Service.INDIVIDUAL_THERAPY, pendulum.duration(hours=1))],
        ...                      program_day=False)
        >>> p = ProgramStructure(GENERIC["IOP"], Population.ADULT, Track.SUBSTANCE_USE,
        ...                      [*groups.sessions, individual], 8)
        >>> p.days_per_week, p.service_days_per_week
        (3.0, 4.0)
        """
        return self._days_per_week(program_days_only=True)

    @property
    def service_days_per_week(self) -> float:
        """Days with any session in a typical week (program days and separate appointments),
        averaged over `cycle_weeks`: the days a client comes in. Rules about days without
        service count these; rules about program days count `days_per_week`."""
        return self._days_per_week(program_days_only=False)

    def _days_per_week(self, *, program_days_only: bool) -> float:
        counted = [s for s in self.sessions if s.program_day or not program_days_only]
        cycle = self.cycle_weeks
        if cycle == 1:
            return float(len({s.weekday for s in counted}))
        # The weeks of the cycle each weekday has a session in, as bits: the union of each
        # session's weeks (every N weeks from its offset). One pattern per (N, offset) pair.
        patterns: dict[tuple[int, int], int] = {}
        held = [0] * 7
        for s in counted:
            key = (s.every_weeks, s.week_offset)
            pattern = patterns.get(key)
            if pattern is None:
                pattern = patterns[key] = sum(
                    1 << w for w in range(s.week_offset, cycle, s.every_weeks)
                )
            held[s.weekday.value] |= pattern
        return sum(weeks.bit_count() for weeks in held) / cycle

    def sessions_in_week(self, week: int) -> tuple[Session, ...]:
        """The sessions held in program week `week` (0-based), in order."""
        check_int("week", week, minimum=0)
        return tuple(s for s in self.sessions if s.occurs_in_week(week))

    def sessions_over(self, weeks: int) -> int:
        """How many sessions a run of `weeks` weeks holds."""
        check_int("weeks", weeks, minimum=0)
        return sum(s.occurrences(weeks) for s in self.sessions)

    def hours_over(self, weeks: int) -> pendulum.Duration:
        """Clinical time a run of `weeks` weeks holds."""
        check_int("weeks", weeks, minimum=0)
        total = sum(s.occurrences(weeks) * s._clinical_us for s in self.sessions)
        if total > _MAX_DURATION_US:
            raise InvalidValueError("weeks", weeks, "a number of weeks a duration can hold")
        return _duration(total)

    @property
    def total_sessions(self) -> int | Span[int]:
        """Sessions over the whole program: an int, or a `Span` for a range of lengths."""
        if isinstance(self.weeks, int):
            return self.sessions_over(self.weeks)
        return Span(self.sessions_over(self.weeks.minimum), self.sessions_over(self.weeks.maximum))

    @property
    def total_hours(self) -> pendulum.Duration | Span[pendulum.Duration]:
        """Clinical time over the whole program: a Duration, or a `Span` of Durations for a
        range of lengths."""
        if isinstance(self.weeks, int):
            return self.hours_over(self.weeks)
        return Span(self.hours_over(self.weeks.minimum), self.hours_over(self.weeks.maximum))

    @property
    def services(self) -> tuple[Service, ...]:
        """The clinical services the program delivers, each once."""
        return tuple(dict.fromkeys(svc for s in self.sessions for svc in s.services))

    def __str__(self) -> str:
        """One line: the name, the level, the population, the days and start times, the
        clinical hours of a typical week and the length.

        >>> from carecontinuum.catalogs import ASAM3
        >>> print(ProgramStructure.weekly(ASAM3["2.1"], days=["mon", "wed", "fri"], start="18:00",
        ...                               hours_per_session=3, weeks=8, name="Evening IOP"))
        Evening IOP: ASAM3 2.1, adult, Mon/Wed/Fri 18:00, 9 h a week, 8 weeks
        """
        level = f"{self.level.scheme} {self.level.code}"
        head = f"{clip(line(self.name), 40)}: {level}" if self.name else level
        low, high = self.min_weeks, self.max_weeks
        length = "1 week" if high == 1 else f"{low} weeks" if low == high else f"{low}-{high} weeks"
        return summary(
            head,
            self.population.value,
            _when(self.sessions),
            f"{hours(self.weekly_hours)} a week",
            length,
        )

    def _repr_html_(self) -> str:
        """The program as HTML, for notebooks: its level, population, track and weekly figures,
        and a Monday-to-Sunday grid of its sessions (time, clinical hours, services).

        >>> from carecontinuum.catalogs import GENERIC
        >>> program = ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed", "fri"],
        ...                                   hours_per_session=3, weeks=8)
        >>> html = program._repr_html_()
        >>> "<table" in html, "9 h" in html, "Wednesday" in html
        (True, True, True)
        """
        from ._display import program_html  # noqa: PLC0415 (display code loads only when a notebook asks)

        return program_html(self)


_parse_day = check_weekday


def _rebuilt(  # noqa: PLR0917 (a pickle's arguments, in field order)
    cls: type[ProgramStructure],
    level: LevelOfCare,
    population: Population,
    track: Track,
    sessions: tuple[Session, ...],
    weeks: int | Span[int],
    delivery_mode: DeliveryMode,
    modalities: tuple[Modality, ...],
    name: str | None,
) -> ProgramStructure:
    """A pickled or copied program, built again by its class's constructor (see
    `ProgramStructure.__reduce__`)."""
    return cls(level, population, track, sessions, weeks, delivery_mode=delivery_mode,
               modalities=modalities, name=name)  # fmt: skip


# ProgramStructure's slot setters, in field order: a subclass's values are filled through them.
_SETTERS = tuple(vars(ProgramStructure)[a.name].__set__ for a in attrs.fields(ProgramStructure))
# Programs the constructor checked, built without a store call per field.
_BUILD_PROGRAM = unchecked_builder(ProgramStructure)


def _when(sessions: Sequence[Session]) -> str:
    """The days a week's sessions fall on, Monday first, and their start times: one time for
    all ("Mon/Wed/Fri 18:00"), each day's where they differ, or how many when they are many."""
    days = sorted({s.weekday.value for s in sessions})
    names = "/".join(_DAY_ABBREVIATIONS[d] for d in days)
    starts = sorted({s.start for s in sessions})
    if len(starts) == 1:
        return f"{names} {starts[0]:%H:%M}"
    if len(starts) <= 3:
        return f"{names} {'/'.join(f'{t:%H:%M}' for t in starts)}"
    return f"{names}, {len(starts)} start times"


_DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _parse_days(days: object) -> tuple[WeekDay, ...]:
    if isinstance(days, (str, WeekDay)):
        return (_parse_day("days", days),)
    if not isinstance(days, Iterable):
        raise InvalidTypeError("days", days, "weekdays (pendulum.WeekDay values or names)")
    parsed = tuple(_parse_day(f"days[{i}]", d) for i, d in enumerate(days))
    if not parsed:
        raise InvalidValueError("days", days, "at least one day")
    if len(set(parsed)) != len(parsed):
        raise InvalidValueError("days", days, "each day at most once")
    return parsed


def _parse_start(start: object) -> pendulum.Time:
    if start is None:
        return pendulum.Time(9, 0)
    if isinstance(start, str):
        parts = start.strip().split(":")
        # ASCII digits only: str.isdigit() takes '²', which int() refuses.
        if len(parts) in (2, 3) and all(p.isascii() and p.isdigit() and len(p) <= 2 for p in parts):
            hour, minute, second = (*(int(p) for p in parts), 0)[:3]
            if hour < 24 and minute < 60 and second < 60:
                return pendulum.Time(hour, minute, second)
        raise InvalidValueError("start", start, "a time of day such as '09:00' or '18:30'")
    return _check_start(start)


def _fill_segments(
    length: pendulum.Duration, services: Sequence[Service | Segment | str] | None
) -> tuple[Segment, ...]:
    if services is None:
        return (Segment(Service.GROUP_THERAPY, length),)
    if isinstance(services, (str, bytes)) or not isinstance(services, Iterable):
        raise InvalidTypeError("services", services, "a sequence of Service or Segment")
    items = tuple(
        check_enum(f"services[{i}]", item, Service) if isinstance(item, str) else item
        for i, item in enumerate(services)
    )
    if not items:
        raise InvalidValueError("services", items, "at least one service")
    fixed_us = 0
    bare = 0
    for i, item in enumerate(items):
        if isinstance(item, Segment):
            fixed_us += _us(item.duration)
        elif isinstance(item, Service):
            bare += 1
        else:
            raise InvalidTypeError(f"services[{i}]", item, "a Service or a Segment")
    remaining_us = _us(length) - fixed_us
    if remaining_us < 0 or (bare and remaining_us <= 0):
        raise InvalidValueError(
            "services", items, f"segments that fit in hours_per_session ({length})"
        )
    if not bare and remaining_us:
        raise InvalidValueError(
            "services", items, f"segments that fill hours_per_session ({length})"
        )
    share, extra = divmod(remaining_us, bare) if bare else (0, 0)
    segments = []
    for item in items:
        if isinstance(item, Segment):
            segments.append(item)
        else:
            # The first bare service takes any leftover microseconds, so shares sum exactly.
            segments.append(Segment(item, pendulum.Duration(microseconds=share + extra)))
            extra = 0
    return tuple(segments)
