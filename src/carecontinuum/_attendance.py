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
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pendulum

from ._calendar import Calendar, ScheduledSession
from ._errors import InvalidTypeError, InvalidValueError
from ._measures import WeekFigures, Weekly, register
from ._program import Segment, Service, Session
from ._validators import check_bool, check_enum, check_optional_str, positive_duration

__all__ = ["Attendance", "AttendanceRecord", "AttendanceStatus", "WeekDelivery"]


class AttendanceStatus(enum.Enum):
    """Whether the client attended a session.

    >>> AttendanceStatus.EXCUSED.value
    'excused'
    """

    PRESENT = "present"
    #: Attended part of the session; the record says how much clinical time.
    PARTIAL = "partial"
    ABSENT = "absent"
    #: Absent with a reason the program accepts: left out of attendance rates.
    EXCUSED = "excused"


def _aware(field: str, value: object) -> pendulum.DateTime:
    if not isinstance(value, datetime):
        raise InvalidTypeError(field, value, "a timezone-aware datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError(field, value, "a timezone-aware datetime (not a naive one)")
    return pendulum.instance(value)


@attrs.frozen(init=False)
class AttendanceRecord:
    """One client's attendance at one session: a scheduled session of a calendar, or an
    unscheduled extra session with its own times (`AttendanceRecord.extra`).

    Args:
        session: The scheduled session.
        status: PRESENT, PARTIAL, ABSENT or EXCUSED.
        attended: For PARTIAL only: the clinical time attended (positive, less than the
            session's clinical time).
        client_id: An opaque client id, if the caller wants one kept.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message.

    >>> import carecontinuum as cc
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon"],
    ...                                hours_per_session=3, weeks=1)
    >>> (s,) = cc.expand(p, pendulum.date(2026, 3, 2), "UTC")
    >>> r = AttendanceRecord(s, AttendanceStatus.PARTIAL, attended=pendulum.duration(hours=2))
    >>> r.attended.in_hours(), r.scheduled.in_hours()
    (2, 3)
    """

    session: ScheduledSession | None
    status: AttendanceStatus
    attended: pendulum.Duration
    client_id: str | None
    start: pendulum.DateTime | None = attrs.field(repr=False)
    end: pendulum.DateTime | None = attrs.field(repr=False)
    service: Service | None = attrs.field(repr=False)
    program_day: bool = attrs.field(repr=False)

    def __init__(
        self,
        session: ScheduledSession,
        status: AttendanceStatus,
        *,
        attended: timedelta | None = None,
        client_id: str | None = None,
    ) -> None:
        if not isinstance(session, ScheduledSession):
            raise InvalidTypeError("session", session, "a ScheduledSession of a calendar")
        status = check_enum("status", status, AttendanceStatus)
        clinical = session.session.clinical_duration
        time = _attended_time(status, attended, clinical)
        self.__attrs_init__(
            session, status, time, check_optional_str("client_id", client_id), None, None, None,
            session.session.program_day,
        )  # fmt: skip

    @classmethod
    def extra(
        cls,
        start: datetime,
        end: datetime,
        *,
        service: Service = Service.INDIVIDUAL_THERAPY,
        status: AttendanceStatus = AttendanceStatus.PRESENT,
        attended: timedelta | None = None,
        client_id: str | None = None,
        program_day: bool = False,
    ) -> AttendanceRecord:
        """A session the calendar did not schedule (an added individual session), with its
        own aware start and end; PRESENT or PARTIAL.

        >>> import carecontinuum as cc
        >>> at = pendulum.datetime(2026, 3, 3, 10, tz="UTC")
        >>> AttendanceRecord.extra(at, at.add(hours=1)).attended.in_hours()
        1
        """
        first = _aware("start", start)
        last = _aware("end", end)
        if last <= first:
            raise InvalidValueError("end", end, f"after start ({first})")
        length = positive_duration("end", last - first)
        if length > timedelta(hours=24):
            raise InvalidValueError("end", end, "at most 24 hours after start")
        if not isinstance(service, Service) or service is Service.BREAK:
            raise InvalidTypeError("service", service, "a clinical Service")
        status = check_enum("status", status, AttendanceStatus)
        if status not in (AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL):
            raise InvalidValueError("status", status, "PRESENT or PARTIAL for an extra session")
        record = object.__new__(cls)
        record.__attrs_init__(
            None, status, _attended_time(status, attended, length),
            check_optional_str("client_id", client_id), first, last, service,
            check_bool("program_day", program_day),
        )  # fmt: skip
        return record

    @property
    def is_extra(self) -> bool:
        """True for an unscheduled extra session."""
        return self.session is None

    @property
    def scheduled(self) -> pendulum.Duration:
        """The clinical time the session offered (for an extra session, its length)."""
        if self.session is not None:
            return self.session.session.clinical_duration
        assert self.start is not None
        assert self.end is not None
        return pendulum.Duration(seconds=(self.end - self.start).total_seconds())


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
        return pendulum.Duration(seconds=clinical.total_seconds())
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

    monday: pendulum.Date
    planned: pendulum.Duration
    delivered: pendulum.Duration
    partial: bool = attrs.field(kw_only=True)
    complete: bool = attrs.field(kw_only=True)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.monday, datetime) or not isinstance(self.monday, date):
            raise InvalidTypeError("monday", self.monday, "a date (not a datetime)")
        if self.monday.weekday() != 0:
            raise InvalidValueError("monday", self.monday, "a Monday")
        if type(self.monday) is not pendulum.Date:
            day = self.monday
            object.__setattr__(self, "monday", pendulum.Date(day.year, day.month, day.day))
        for field in ("planned", "delivered"):
            value = getattr(self, field)
            if not isinstance(value, timedelta):
                raise InvalidTypeError(field, value, "a duration")
            if value < timedelta(0):
                raise InvalidValueError(field, value, "a duration of zero or more")
            if type(value) is not pendulum.Duration:
                object.__setattr__(self, field, pendulum.Duration(microseconds=value // _ONE_US))
        check_bool("partial", self.partial)
        check_bool("complete", self.complete)

    @property
    def shortfall(self) -> pendulum.Duration:
        """Planned time not delivered (zero when delivery met or exceeded the plan)."""
        # In microseconds: total_seconds() is a float, which rounds (and overflows) near
        # timedelta.max.
        gap = timedelta.__floordiv__(self.planned - self.delivered, _ONE_US)
        return pendulum.Duration(microseconds=max(gap, 0))


_ONE_US = timedelta(microseconds=1)
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

    calendar: Calendar = attrs.field(repr=False)
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
                        f"{field}.client_id", record.client_id, f"the client {client!r}"
                    )
            if record.session is None:
                assert record.start is not None
                day = record.start.in_timezone(calendar.zone).date()
                if not calendar.first <= day <= calendar.last:
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
        zone = self.calendar.zone
        weeks = []
        extras = [
            (i, r, r.start.in_timezone(zone).date())  # type: ignore[union-attr]
            for i, r in enumerate(self.records)
            if r.session is None
        ]
        position = {id(r): i for i, r in enumerate(self.records)}
        for week in self.calendar.by_week():
            in_week = [
                (position[id(r)], r) for s in week.sessions if (r := self._by_session.get(s))
            ]
            in_week += [(i, r) for i, r, day in extras if week.first <= day <= week.last]
            complete = all(s in self._by_session for s in week.sessions)
            weeks.append((week, sorted(in_week, key=lambda p: p[0]), complete))
        return weeks

    def by_week(self) -> tuple[WeekDelivery, ...]:
        """Planned against delivered clinical time, week by week."""
        return tuple(
            WeekDelivery(
                week.monday,
                week.clinical_duration,
                pendulum.Duration(seconds=sum(r.attended.total_seconds() for _, r in records)),
                partial=week.partial,
                complete=complete,
            )
            for week, records, complete in self._weeks()
        )

    def attended_by_week(self) -> dict[pendulum.Date, pendulum.Duration]:
        """Clinical time attended in each week, keyed by the week's Monday."""
        return {d.monday: d.delivered for d in self.by_week()}

    def planned_by_week(self) -> dict[pendulum.Date, pendulum.Duration]:
        """Clinical time scheduled in each week, keyed by the week's Monday."""
        return self.calendar.hours_by_week()


def _template(record: AttendanceRecord, zone: Any) -> Session:
    """The weekly template of what was attended (for services and program days)."""
    if record.session is not None:
        return record.session.session
    assert record.start is not None
    assert record.service is not None
    local = record.start.in_timezone(zone)
    return Session(
        pendulum.WeekDay(local.weekday()),
        pendulum.Time(local.hour, local.minute, local.second, local.microsecond),
        [Segment(record.service, record.attended)],
        overnight=local.add(seconds=record.attended.total_seconds()).date() != local.date(),
        program_day=record.program_day,
    )


def _attendance_weeks(attendance: Attendance) -> tuple[WeekFigures, ...]:
    zone = attendance.calendar.zone
    figures = []
    for week, records, complete in attendance._weeks():
        entries = []
        for i, record in records:
            if record.attended.total_seconds() <= 0:
                continue
            day = (record.session.day if record.session is not None else
                   record.start.in_timezone(zone).date())  # type: ignore[union-attr]  # fmt: skip
            us = int(record.attended.total_seconds() * 1_000_000)
            entries.append((day.weekday(), us, i, _template(record, zone)))
        reason = "" if complete else "not every session of it has an attendance record yet"
        figures.append(
            WeekFigures(
                f"the week of {week.monday} as attended",
                f"weeks[{week.monday}]",
                tuple(entries),
                week.days_in_period / 7,
                items="records",
                unjudged=reason,
            )
        )
    return tuple(figures)


def _attendance_profile(attendance: Attendance) -> Any:
    program = attendance.calendar.program
    return (program.level, program.population, program.track)


register(Attendance, _attendance_weeks, _attendance_profile)
Weekly.register(Attendance)
