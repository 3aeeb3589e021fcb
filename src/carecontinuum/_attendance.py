"""Attendance: what one client actually attended of a calendar, and delivered-versus-planned
intensity week by week.

A record says of one scheduled session whether the client was PRESENT, PARTIAL (with the
clinical time attended), ABSENT or EXCUSED; an unscheduled extra session carries its own times.
The library knows nothing else of the client but an opaque id.

Counting rules (documented once, here): the attendance `rate` is sessions attended (present or
partial) over sessions recorded, leaving EXCUSED sessions out of both; `hours_rate` is clinical
time attended over clinical time scheduled, EXCUSED again left out. Both count scheduled
sessions only: an extra session adds to the week's delivered time (and so to what rules judge),
but was never scheduled, so it neither raises nor lowers a rate. Scheduled sessions with no
record are `unrecorded`: they count in neither rate, and a week holding one is not judged
against weekly thresholds until it is recorded.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pendulum
from pendulum.tz.timezone import Timezone

from ._calendar import _US_PER_DAY, Calendar, ScheduledSession, _at, _check_not_host_zone
from ._columns import Columns, register_table
from ._errors import InvalidTypeError, InvalidValueError, _echo
from ._frozen import value_eq, value_hash
from ._measures import WeekFigures, Weekly, register
from ._program import Segment, Service, Session, _runs_past_midnight, _us
from ._text import clip, hours, line, nested_repr, summary, value_repr
from ._validators import (
    check_bool,
    check_day,
    check_enum,
    check_optional_str,
    positive_duration,
)

__all__ = ["Attendance", "AttendanceRecord", "AttendanceStatus", "WeekDelivery"]

_US_PER_SECOND = 1_000_000
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# The longest extra session: a day of elapsed time, as for a scheduled session (`Session`).
_MAX_EXTRA_US = 86_400 * _US_PER_SECOND


class AttendanceStatus(enum.Enum):
    """Whether the client attended a session.

    >>> AttendanceStatus.EXCUSED.value
    'excused'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    PRESENT = "present"
    #: Attended part of the session; the record says how much clinical time.
    PARTIAL = "partial"
    ABSENT = "absent"
    #: Absent with a reason the program accepts: left out of attendance rates.
    EXCUSED = "excused"


def _aware(field: str, value: object) -> pendulum.DateTime:
    """`value` as a pendulum DateTime naming the same instant.

    Python reads a wall time that does not exist (02:30 on a spring-forward night) by its fold
    (PEP 495: fold 0 with the offset before the change, so 02:30 is 03:30 after it); pendulum
    would move it elsewhere. The instant Python gives is kept, shown as the real local time."""
    if not isinstance(value, datetime):
        raise InvalidTypeError(field, value, "a timezone-aware datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError(field, value, "a timezone-aware datetime (not a naive one)")
    # A zone named for the host's own ("localtime") names another instant on another machine.
    _check_not_host_zone(
        field, value, getattr(value.tzinfo, "key", None), "a datetime in an IANA time zone"
    )
    moment = pendulum.instance(value)
    if _instant_us(moment) != _instant_us(value):
        try:
            moment = pendulum.instance(value.astimezone(UTC).astimezone(moment.tzinfo))
        except OverflowError:
            raise InvalidValueError(field, value, "a time whose instant Python can hold") from None
    return moment


def _instant_or_none(moment: datetime | None) -> int | None:
    """What a record's start or end is compared and hashed by: its instant."""
    return None if moment is None else _instant_us(moment)


def _instant_us(moment: datetime) -> int:
    """Microseconds since the epoch (UTC) of an aware datetime: the instant it names.

    Two aware datetimes that share a tzinfo compare and subtract by their wall clocks in Python,
    so 01:15 EDT and 01:15 EST (an hour apart, on a fall-back night) would be equal; instants
    are compared instead. Integer arithmetic: an instant past the ends of Python's datetimes
    (9999-12-31 23:00 in New York is in 10000 in UTC) is still a number."""
    offset = moment.utcoffset()
    assert offset is not None
    seconds = (moment.toordinal() - _EPOCH_ORDINAL) * 86_400 + (
        moment.hour * 3600 + moment.minute * 60 + moment.second
    )
    return seconds * _US_PER_SECOND + moment.microsecond - _us(offset)


@attrs.frozen(init=False, repr=False)
class AttendanceRecord:
    """One client's attendance at one session: a scheduled session of a calendar, or an
    unscheduled extra session with its own times (`AttendanceRecord.extra`).

    Args:
        session: The scheduled session; None for an extra session, which then needs `start`
            and `end`.
        status: PRESENT, PARTIAL, ABSENT or EXCUSED (PRESENT or PARTIAL for an extra session).
        attended: For PARTIAL only: the clinical time attended (positive, less than the
            session's clinical time). None for the other statuses, which imply it.
        client_id: An opaque client id, if the caller wants one kept.
        start: An extra session's aware start (see `extra`); None for a scheduled session.
        end: An extra session's aware end, after its start by at most 24 hours of elapsed
            time; None for a scheduled session.
        service: An extra session's clinical service (individual therapy when None); None for
            a scheduled session, whose services are its template's.
        program_day: Whether an extra session makes its day a program day (False when None);
            None for a scheduled session, whose template says.

    The fields are what was given (`attended` None unless PARTIAL), so ``attrs.evolve`` makes a
    new record checked as this constructor checks: ``attrs.evolve(record, status=ABSENT)``.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message.

    >>> import carecontinuum as cc
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon"],
    ...                                hours_per_session=3, weeks=1)
    >>> (s,) = cc.expand(p, pendulum.date(2026, 3, 2), "UTC")
    >>> r = AttendanceRecord(s, AttendanceStatus.PARTIAL, attended=pendulum.duration(hours=2))
    >>> r.attended.in_hours(), r.scheduled.in_hours()
    (2, 3)
    >>> import attrs
    >>> attrs.evolve(r, status=AttendanceStatus.ABSENT, attended=None).attended.in_hours()
    0
    """

    __eq__ = value_eq
    __hash__ = value_hash

    session: ScheduledSession | None
    status: AttendanceStatus
    # As given: the clinical time attended for PARTIAL, else None (the status implies it).
    _given: pendulum.Duration | None = attrs.field(alias="attended")
    client_id: str | None
    # Compared by instant: Python compares two datetimes sharing a tzinfo by wall clock.
    start: pendulum.DateTime | None = attrs.field(eq=_instant_or_none)
    end: pendulum.DateTime | None = attrs.field(eq=_instant_or_none)
    service: Service | None
    # As given: an extra session's flag, None for a scheduled one (its template's).
    _extra_program_day: bool | None = attrs.field(alias="program_day")
    _attended: pendulum.Duration = attrs.field(init=False, eq=False, hash=False)

    def __init__(
        self,
        session: ScheduledSession | None,
        status: AttendanceStatus | str,
        *,
        attended: timedelta | None = None,
        client_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        service: Service | str | None = None,
        program_day: bool | None = None,
    ) -> None:
        if session is None and (start is not None or end is not None):
            self._init_extra(start, end, service, status, attended, client_id, program_day)
            return
        if not isinstance(session, ScheduledSession):
            raise InvalidTypeError(
                "session", session,
                "a ScheduledSession of a calendar (or None, with start and end, for an extra "
                "session)",
            )  # fmt: skip
        for field, value in (("start", start), ("end", end), ("service", service)):
            if value is not None:
                raise InvalidValueError(
                    field, value, "None for a scheduled session (its template says)"
                )
        if program_day is not None:
            raise InvalidValueError(
                "program_day", program_day, "None for a scheduled session (its template says)"
            )
        status = check_enum("status", status, AttendanceStatus)
        time = _attended_time(status, attended, session.session.clinical_duration)
        self.__attrs_init__(
            session, status, time if status is AttendanceStatus.PARTIAL else None,
            check_optional_str("client_id", client_id), None, None, None, None,
        )  # fmt: skip
        object.__setattr__(self, "_attended", time)

    def _init_extra(  # noqa: PLR0917 (an extra session's fields)
        self,
        start: datetime | None,
        end: datetime | None,
        service: Service | str | None,
        status: AttendanceStatus | str,
        attended: timedelta | None,
        client_id: str | None,
        program_day: bool | None,
    ) -> None:
        first = _aware("start", start)
        last = _aware("end", end)
        # Instants, not wall clocks: 01:15 EDT to 01:15 EST is an hour.
        length_us = _instant_us(last) - _instant_us(first)
        if length_us <= 0:
            raise InvalidValueError("end", end, f"after start ({first})")
        if length_us > _MAX_EXTRA_US:
            raise InvalidValueError("end", end, "at most 24 hours after start (elapsed time)")
        if service is not None:
            service = check_enum("service", service, Service)
        kind = Service.INDIVIDUAL_THERAPY if service is None else service
        if kind is Service.BREAK:
            raise InvalidValueError("service", service, "a clinical Service (not BREAK)")
        status = check_enum("status", status, AttendanceStatus)
        if status not in (AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL):
            raise InvalidValueError("status", status, "PRESENT or PARTIAL for an extra session")
        time = _attended_time(status, attended, pendulum.Duration(microseconds=length_us))
        self.__attrs_init__(
            None, status, time if status is AttendanceStatus.PARTIAL else None,
            check_optional_str("client_id", client_id), first, last, kind,
            False if program_day is None else check_bool("program_day", program_day),
        )  # fmt: skip
        object.__setattr__(self, "_attended", time)

    @classmethod
    def extra(
        cls,
        start: datetime,
        end: datetime,
        *,
        service: Service | str = Service.INDIVIDUAL_THERAPY,
        status: AttendanceStatus | str = AttendanceStatus.PRESENT,
        attended: timedelta | None = None,
        client_id: str | None = None,
        program_day: bool = False,
    ) -> AttendanceRecord:
        """A session the calendar did not schedule (an added individual session), with its
        own aware start and end; PRESENT or PARTIAL.

        Its length is the elapsed time from start to end (instants are compared, not wall
        clocks): on a fall-back night, 01:15 EDT to 01:15 EST is an hour. At most 24 hours.

        >>> import carecontinuum as cc
        >>> at = pendulum.datetime(2026, 3, 3, 10, tz="UTC")
        >>> AttendanceRecord.extra(at, at.add(hours=1)).attended.in_hours()
        1
        """
        if start is None:
            raise InvalidTypeError("start", start, "a timezone-aware datetime")
        if service is None:
            raise InvalidTypeError("service", service, "a clinical Service")
        if program_day is None:
            raise InvalidTypeError("program_day", program_day, "a bool")
        return cls(
            None, status, attended=attended, client_id=client_id, start=start, end=end,
            service=service, program_day=program_day,
        )  # fmt: skip

    def __repr__(self) -> str:
        return (
            f"AttendanceRecord(session={nested_repr(self.session)}, status={self.status!r}, "
            f"attended={self._attended!r}, client_id={self.client_id!r})"
        )

    def __str__(self) -> str:
        """The session (or the extra session's service and times), the status and, for a
        partial record, the time attended of the time offered.

        >>> import carecontinuum as cc
        >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon"],
        ...                                hours_per_session=3, weeks=1, start="18:00")
        >>> (s,) = cc.expand(p, pendulum.date(2026, 3, 2), "UTC")
        >>> two = pendulum.duration(hours=2)
        >>> print(AttendanceRecord(s, AttendanceStatus.PARTIAL, attended=two))
        Mon 2026-03-02 18:00-21:00 UTC: partial, 2 h of 3 h
        """
        if self.session is not None:
            what = str(self.session)
        else:
            assert self.start is not None
            assert self.service is not None
            what = f"extra {self.service.value} {self.start:%a %Y-%m-%d %H:%M %Z}"
        status = self.status.value
        if self.status is AttendanceStatus.PARTIAL:
            status += f", {hours(self._attended)} of {hours(self.scheduled)}"
        client = f" (client {clip(line(self.client_id), 24)})" if self.client_id else ""
        return summary(f"{what}: {status}{client}")

    @property
    def attended(self) -> pendulum.Duration:
        """The clinical time attended: all of it for PRESENT, the time given for PARTIAL, none
        for ABSENT and EXCUSED."""
        return self._attended

    @property
    def program_day(self) -> bool:
        """Whether the session makes its day a program day: its template's flag for a scheduled
        session, the flag given for an extra one."""
        if self.session is not None:
            return self.session.session.program_day
        return bool(self._extra_program_day)

    @property
    def is_extra(self) -> bool:
        """True for an unscheduled extra session."""
        return self.session is None

    @property
    def scheduled(self) -> pendulum.Duration:
        """The clinical time the session offered (for an extra session, its length: the
        elapsed time from start to end)."""
        if self.session is not None:
            return self.session.session.clinical_duration
        assert self.start is not None
        assert self.end is not None
        return pendulum.Duration(microseconds=_instant_us(self.end) - _instant_us(self.start))


def _attended_time(
    status: AttendanceStatus, attended: timedelta | None, clinical: timedelta
) -> pendulum.Duration:
    if status is AttendanceStatus.PARTIAL:
        if attended is None:
            raise InvalidValueError("attended", attended, "the clinical time attended, for PARTIAL")
        time = positive_duration("attended", attended)
        if time >= clinical:
            raise InvalidValueError(
                "attended", attended, f"less than the session's clinical time ({clinical})"
            )
        return time
    if attended is not None:
        raise InvalidValueError(
            "attended", attended, f"None unless status is PARTIAL (status is {status.name})"
        )
    if status is AttendanceStatus.PRESENT:
        return pendulum.Duration(microseconds=_us(clinical))
    return pendulum.Duration()


@attrs.frozen
class WeekDelivery:
    """Planned against delivered clinical time in one week of one client's attendance.

    Attributes:
        monday: The week's Monday.
        planned: Clinical time scheduled (sessions held, closures excluded).
        delivered: Clinical time attended, extra sessions included.
        partial: The calendar's period cuts the week short.
        complete: Every scheduled session of the week has a record.

    >>> w = WeekDelivery(pendulum.date(2026, 3, 2), pendulum.duration(hours=9),
    ...                  pendulum.duration(hours=6), partial=False, complete=True)
    >>> w.shortfall.in_hours()
    3
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    monday: pendulum.Date
    planned: pendulum.Duration
    delivered: pendulum.Duration
    partial: bool = attrs.field(kw_only=True)
    complete: bool = attrs.field(kw_only=True)

    def __attrs_post_init__(self) -> None:
        day = check_day("monday", self.monday)
        if day.weekday() != 0:
            raise InvalidValueError("monday", self.monday, "a Monday")
        if type(day) is not pendulum.Date:
            day = pendulum.Date(day.year, day.month, day.day)
        object.__setattr__(self, "monday", day)
        for field in ("planned", "delivered"):
            value = getattr(self, field)
            if not isinstance(value, timedelta):
                raise InvalidTypeError(field, value, "a duration")
            if value < timedelta(0):
                raise InvalidValueError(field, value, "a duration of zero or more")
            if type(value) is not pendulum.Duration:
                object.__setattr__(self, field, pendulum.Duration(microseconds=_us(value)))
        check_bool("partial", self.partial)
        check_bool("complete", self.complete)

    @property
    def shortfall(self) -> pendulum.Duration:
        """Planned time not delivered (zero when delivery met or exceeded the plan)."""
        gap = _us(self.planned) - _us(self.delivered)
        return pendulum.Duration(microseconds=max(gap, 0))

    @property
    def rate(self) -> float | None:
        """Delivered over planned clinical time (above 1 when extra sessions add time); None
        when nothing was planned.

        >>> WeekDelivery(pendulum.date(2026, 3, 2), pendulum.duration(hours=9),
        ...              pendulum.duration(hours=6), partial=False, complete=True).rate
        0.6666666666666666
        """
        planned = _us(self.planned)
        return _us(self.delivered) / planned if planned else None

    def __str__(self) -> str:
        """The week, delivered of planned hours with the rate, and what qualifies them.

        >>> print(WeekDelivery(pendulum.date(2026, 3, 2), pendulum.duration(hours=9),
        ...                    pendulum.duration(hours=6), partial=False, complete=True))
        week of 2026-03-02: 6 h of 9 h delivered (67%), 3 h short
        """
        short = self.shortfall
        return summary(
            f"week of {self.monday}: {hours(self.delivered)} of {hours(self.planned)} delivered"
            + _percent(self.rate),
            f"{hours(short)} short" if short else "",
            "partial week" if self.partial else "",
            "" if self.complete else "not all recorded",
        )


def _percent(rate: float | None) -> str:
    return "" if rate is None else f" ({rate:.0%})"


_COUNTED = (AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL, AttendanceStatus.ABSENT)


@attrs.frozen(init=False)
class Attendance:
    """One client's attendance records against one calendar.

    Args:
        calendar: The calendar the client is enrolled on.
        records: Their records, in any order; at most one per scheduled session.
        client_id: The client's opaque id; records carrying another id are refused.

    Raises:
        InvalidValueError: a record for a session not in the calendar (or a closed one), two
            records for one session, an extra session outside the calendar's period, or
            records of different clients.

    >>> import carecontinuum as cc
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=3, weeks=1)
    >>> cal = cc.expand(p, pendulum.date(2026, 3, 2), "UTC")
    >>> mon, wed, fri = cal.sessions
    >>> att = Attendance(cal, [AttendanceRecord(mon, AttendanceStatus.PRESENT),
    ...                        AttendanceRecord(wed, AttendanceStatus.ABSENT),
    ...                        AttendanceRecord(fri, AttendanceStatus.EXCUSED)])
    >>> att.rate, [d.delivered.in_hours() for d in att.by_week()]
    (0.5, [3])
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    calendar: Calendar
    records: tuple[AttendanceRecord, ...]
    client_id: str | None
    _by_session: dict[ScheduledSession, AttendanceRecord] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __init__(
        self,
        calendar: Calendar,
        records: Iterable[AttendanceRecord],
        *,
        client_id: str | None = None,
    ) -> None:
        if not isinstance(calendar, Calendar):
            raise InvalidTypeError("calendar", calendar, "a Calendar")
        if isinstance(records, (str, bytes)) or not isinstance(records, Iterable):
            raise InvalidTypeError("records", records, "a collection of AttendanceRecord")
        items = tuple(records)
        client = check_optional_str("client_id", client_id)
        scheduled = set(calendar.sessions)
        by_session: dict[ScheduledSession, AttendanceRecord] = {}
        for i, record in enumerate(items):
            field = f"records[{i}]"
            if not isinstance(record, AttendanceRecord):
                raise InvalidTypeError(field, record, "an AttendanceRecord")
            if record.client_id is not None:
                if client is None:
                    client = record.client_id
                elif record.client_id != client:
                    raise InvalidValueError(
                        f"{field}.client_id",
                        record.client_id,
                        f"the attendance's client_id ({_echo(client, 40)})",
                    )
            if record.session is None:
                assert record.start is not None
                day = _local_day(record, calendar)
                if day is None or not calendar.first <= day <= calendar.last:
                    raise InvalidValueError(
                        f"{field}.start", record.start,
                        f"a time within the calendar ({calendar.first} to {calendar.last})",
                    )  # fmt: skip
                continue
            if record.session not in scheduled:
                closed = record.session in set(calendar.closed)
                raise InvalidValueError(
                    f"{field}.session",
                    str(record.session),
                    "a session the calendar holds"
                    + (" (this one fell on a closure)" if closed else ""),
                )
            if record.session in by_session:
                earlier = items.index(by_session[record.session])
                raise InvalidValueError(
                    f"{field}.session", str(record.session),
                    f"a session no other record holds (records[{earlier}] does)",
                )  # fmt: skip
            by_session[record.session] = record
        self.__attrs_init__(calendar, items, client)
        object.__setattr__(self, "_by_session", by_session)

    def record_for(self, session: ScheduledSession) -> AttendanceRecord | None:
        """The record of a scheduled session, or None."""
        if not isinstance(session, ScheduledSession):
            raise InvalidTypeError("session", session, "a ScheduledSession")
        return self._by_session.get(session)

    @property
    def unrecorded(self) -> tuple[ScheduledSession, ...]:
        """The calendar's sessions with no record yet."""
        return tuple(s for s in self.calendar.sessions if s not in self._by_session)

    @property
    def rate(self) -> float | None:
        """Sessions attended (PRESENT or PARTIAL) over sessions recorded, EXCUSED left out;
        None while nothing countable is recorded."""
        counted = [r for r in self._by_session.values() if r.status in _COUNTED]
        if not counted:
            return None
        return sum(r.status is not AttendanceStatus.ABSENT for r in counted) / len(counted)

    @property
    def hours_rate(self) -> float | None:
        """Clinical time attended over clinical time scheduled, of recorded sessions, EXCUSED
        left out; None while nothing countable is recorded."""
        counted = [r for r in self._by_session.values() if r.status in _COUNTED]
        scheduled = sum(r.scheduled.total_seconds() for r in counted)
        if not scheduled:
            return None
        return sum(r.attended.total_seconds() for r in counted) / scheduled

    def _weeks(self) -> list[tuple[Any, list[tuple[int, AttendanceRecord]], bool]]:
        """Each calendar week with its records (by position) and whether it is complete."""
        weeks = []
        extras = [
            (i, r, _local_day(r, self.calendar)) for i, r in enumerate(self.records) if r.is_extra
        ]
        position = {id(r): i for i, r in enumerate(self.records)}
        for week in self.calendar.by_week():
            in_week = [
                (position[id(r)], r) for s in week.sessions if (r := self._by_session.get(s))
            ]
            in_week += [
                (i, r) for i, r, day in extras if day is not None and week.first <= day <= week.last
            ]
            complete = all(s in self._by_session for s in week.sessions)
            weeks.append((week, sorted(in_week, key=lambda p: p[0]), complete))
        return weeks

    def by_week(self) -> tuple[WeekDelivery, ...]:
        """Planned against delivered clinical time, week by week."""
        return tuple(
            WeekDelivery(
                week.monday,
                week.clinical_duration,
                pendulum.Duration(microseconds=sum(_us(r.attended) for _, r in records)),
                partial=week.partial,
                complete=complete,
            )
            for week, records, complete in self._weeks()
        )

    def __str__(self) -> str:
        """The client and program, the weeks, the clinical hours delivered of those planned,
        and the records kept.

        >>> import carecontinuum as cc
        >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
        ...                                hours_per_session=3, weeks=1)
        >>> cal = cc.expand(p, pendulum.date(2026, 3, 2), "UTC")
        >>> mon, wed, fri = cal
        >>> records = [AttendanceRecord(mon, AttendanceStatus.PRESENT),
        ...            AttendanceRecord(wed, AttendanceStatus.ABSENT)]
        >>> print(Attendance(cal, records, client_id="c-1"))  # doctest: +NORMALIZE_WHITESPACE
        client c-1 on GENERIC IOP program: 1 week, 3 h of 9 h delivered (33%), 2 records,
        1 unrecorded
        """
        weeks = self.by_week()
        planned = sum((w.planned for w in weeks), pendulum.Duration())
        delivered = sum((w.delivered for w in weeks), pendulum.Duration())
        program = self.calendar.program
        title = program.name or f"{program.level.scheme} {program.level.code} program"
        who = f"client {clip(line(self.client_id), 24)}" if self.client_id else "attendance"
        rate = _us(delivered) / _us(planned) if _us(planned) else None
        count = len(self.records)
        return summary(
            f"{who} on {clip(line(title), 36)}: {len(weeks)} week{'' if len(weeks) == 1 else 's'}",
            f"{hours(delivered)} of {hours(planned)} delivered{_percent(rate)}",
            f"{count} record{'' if count == 1 else 's'}",
            f"{missing} unrecorded" if (missing := len(self.unrecorded)) else "",
        )

    def _repr_html_(self) -> str:
        """The attendance as HTML, for notebooks: with Altair installed (the ``charts``
        extra), the chart of `carecontinuum.charts.attendance_chart` (planned against delivered
        hours by week); without it, the client, the program and the rates over a table of each
        week's planned, delivered and missing clinical time and its rate.

        >>> import carecontinuum as cc
        >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed"],
        ...                                hours_per_session=3, weeks=2)
        >>> cal = cc.expand(p, pendulum.date(2026, 3, 2), "UTC")
        >>> att = Attendance(cal, [AttendanceRecord(cal.sessions[0], AttendanceStatus.ABSENT)])
        >>> html = att._repr_html_()
        >>> "<table" in html or "vegaEmbed" in html
        True
        """
        from ._display import attendance_html  # noqa: PLC0415 (display code loads only when a notebook asks)
        from .charts import _attendance_html  # noqa: PLC0415 (Altair, if any, loads only then)

        return _attendance_html(self, lambda: attendance_html(self))

    def attended_by_week(self) -> dict[pendulum.Date, pendulum.Duration]:
        """Clinical time attended in each week, keyed by the week's Monday."""
        return {d.monday: d.delivered for d in self.by_week()}

    def planned_by_week(self) -> dict[pendulum.Date, pendulum.Duration]:
        """Clinical time scheduled in each week, keyed by the week's Monday."""
        return self.calendar.hours_by_week()


def _local_day(record: AttendanceRecord, calendar: Calendar) -> date | None:
    """The day in the calendar's zone an extra session starts on, or None when it starts more
    than a day from the calendar's period (so far that it may not be a date Python holds)."""
    assert record.start is not None
    at = _instant_us(record.start)
    # Zone offsets are under a day: within a day of the period, the local time is a datetime.
    low = (calendar.first.toordinal() - 1 - _EPOCH_ORDINAL) * _US_PER_DAY
    high = (calendar.last.toordinal() + 2 - _EPOCH_ORDINAL) * _US_PER_DAY
    if not low <= at < high:
        return None
    return _at(at, calendar.zone).date()


def _template(record: AttendanceRecord, zone: Timezone) -> Session:
    """The weekly template of what was attended (for services and program days): a session
    at the extra session's local start, as long as the time attended; overnight as `Session`
    defines it (past midnight on the wall clock of its start)."""
    if record.session is not None:
        return record.session.session
    assert record.start is not None
    assert record.service is not None
    return _extra_template(
        _instant_us(record.start), record.service, _us(record.attended), record.program_day, zone
    )


def _extra_template(
    start_us: int, service: Service, attended_us: int, program_day: bool, zone: Timezone
) -> Session:
    """An extra session's template from its instant, service, time attended and flag."""
    local = _at(start_us, zone)
    start = pendulum.Time(local.hour, local.minute, local.second, local.microsecond)
    since_midnight = (local.hour * 3600 + local.minute * 60 + local.second) * _US_PER_SECOND
    return Session(
        pendulum.WeekDay(local.weekday()),
        start,
        [Segment(service, pendulum.Duration(microseconds=attended_us))],
        overnight=_runs_past_midnight(since_midnight + local.microsecond, attended_us),
        program_day=program_day,
    )


def _attendance_weeks(attendance: Attendance) -> tuple[WeekFigures, ...]:
    zone = attendance.calendar.zone
    figures = []
    for week, records, complete in attendance._weeks():
        entries = []
        for i, record in records:
            us = _us(record.attended)
            if us <= 0:
                continue
            template = _template(record, zone)
            entries.append((template.weekday.value, us, i, template))
        reason = "" if complete else "not every session of it has an attendance record yet"
        figures.append(
            WeekFigures(
                f"the week of {week.monday} as attended",
                f"weeks[{week.monday}]",
                tuple(entries),
                week.days_in_period / 7,
                items="records",
                unjudged=reason,
                first_day=week.first,
            )
        )
    return tuple(figures)


def _attendance_profile(attendance: Attendance) -> Any:
    program = attendance.calendar.program
    return (program.level, program.population, program.track)


register(Attendance, _attendance_weeks, _attendance_profile)
Weekly.register(Attendance)


_US_PER_HOUR = 3_600 * _US_PER_SECOND
#: The statuses of a session the client came to (all of it or part).
_CAME = frozenset((AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL))


def _attendance_columns(attendance: Attendance) -> Columns:
    """An attendance as a table (`carecontinuum.tables`): one row per calendar week, the
    figures of `Attendance.by_week` with the sessions planned and attended."""
    weeks = attendance._weeks()
    planned = [_us(week.clinical_duration) for week, _, _ in weeks]
    delivered = [sum(_us(r.attended) for _, r in records) for _, records, _ in weeks]
    count = len(weeks)
    return {
        "client": ("str", [attendance.client_id] * count),
        "week": ("date", [week.monday for week, _, _ in weeks]),
        "planned_hours": ("float", [us / _US_PER_HOUR for us in planned]),
        "delivered_hours": ("float", [us / _US_PER_HOUR for us in delivered]),
        "shortfall_hours": (
            "float", [max(p - d, 0) / _US_PER_HOUR for p, d in zip(planned, delivered, strict=True)]
        ),
        "rate": ("float", [d / p if p else None for p, d in zip(planned, delivered, strict=True)]),
        "sessions_planned": ("int", [len(week.sessions) for week, _, _ in weeks]),
        "sessions_attended": (
            "int", [sum(r.status in _CAME for _, r in records) for _, records, _ in weeks]
        ),
        "partial": ("bool", [week.partial for week, _, _ in weeks]),
        "complete": ("bool", [complete for _, _, complete in weeks]),
    }  # fmt: skip


register_table(Attendance, _attendance_columns)
