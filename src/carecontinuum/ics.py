"""iCalendar (RFC 5545) text of a calendar: `to_ics` writes a program's dated sessions so that
Outlook, Google Calendar and Apple Calendar show each at its real local time.

Needs the ``ics`` extra (``pip install "carecontinuum[ics]"``, which installs icalendar);
``import carecontinuum`` never imports this module or icalendar, and this module imports
icalendar only when `to_ics` is called.

**What is written.** One ``VEVENT`` per dated session, its ``DTSTART`` and ``DTEND`` in the
calendar's zone (``TZID=America/New_York``), and one ``VTIMEZONE`` describing that zone's
offsets and clock changes over the calendar's days, so that a reader without the IANA zone
database (Outlook names zones its own way) still places every session right. A session that a
closure cancelled is written as a cancelled event (``STATUS:CANCELLED``), or left out with
``closed="omitted"``. With an `Attendance`, each recorded session says what the client
attended, and the client's extra sessions are events too.

**Times the zone holds twice.** RFC 5545 reads a local time that occurs twice (01:30 on a
fall-back night in New York) as its first occurrence; `expand` starts such a session at the
second. Such an instant, and only such, is written in UTC (``20261101T063000Z``), which every
reader places right.

**Identity.** Every event's ``UID`` is derived from what identifies the session, never from a
clock or a random number: the same calendar gives the same UIDs on every run and machine, so
importing a corrected file updates the events instead of adding copies. The UID of a scheduled
session is a digest of the program's identity (its name, level, population and track), the
zone, the session's local day and its position in the program's sessions (``index``), and the
client's id when an attendance is given; not the start time, so a session moved to another hour
keeps its UID and moves in the reader's calendar. An extra session's UID is a digest of the
client's id and its start. ``DTSTAMP`` is `stamp` when given, else 00:00 UTC on the calendar's
first day: the library reads no clock.

>>> import pendulum
>>> import carecontinuum as cc
>>> from carecontinuum import ics
>>> program = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed"],
...                                      hours_per_session=3, weeks=2, start="18:00",
...                                      name="Evening IOP")
>>> calendar = cc.expand(program, pendulum.date(2026, 3, 2), "America/New_York")
>>> text = ics.to_ics(calendar, uid_domain="clinic.example")
>>> text.count("BEGIN:VEVENT"), text.count("BEGIN:VTIMEZONE")
(4, 1)
>>> [line for line in text.splitlines() if line.startswith("DTSTART;")][:3]
['DTSTART;TZID=America/New_York:20260302T180000',
 'DTSTART;TZID=America/New_York:20260304T180000',
 'DTSTART;TZID=America/New_York:20260309T180000']
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final, Literal

from ._attendance import Attendance, AttendanceRecord, AttendanceStatus, _instant_us
from ._calendar import _US_PER_SECOND, _UTC_EPOCH, Calendar, ScheduledSession, _at
from ._dicts import MissingExtraError
from ._errors import InvalidTypeError, InvalidValueError
from ._program import ProgramStructure
from ._text import hours
from ._validators import check_not_host_zone, check_str

if TYPE_CHECKING:
    import icalendar
    from pendulum.tz.timezone import Timezone

__all__ = ["DEFAULT_PRODID", "to_ics"]

#: The ``PRODID`` written when the caller gives none: the product that wrote the file. It names
#: no version, so that the same calendar gives the same text after an upgrade of the library.
DEFAULT_PRODID: Final = "-//carecontinuum//carecontinuum//EN"

#: The property that says, in a client's calendar, what the client attended of a session:
#: ``present``, ``partial``, ``absent`` or ``excused`` (`AttendanceStatus` values).
_ATTENDANCE_PROPERTY = "X-CARECONTINUUM-ATTENDANCE"

# uid_domain: a host name's characters (RFC 5545 recommends a domain on the UID's right side).
_DOMAIN_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_CLOSED_CHOICES = ("cancelled", "omitted")
# The first and last days a VTIMEZONE may describe: the ends of Python's dates.
_FIRST_ZONE_DAY = date(1, 1, 2)
_LAST_ZONE_DAY = date(9999, 12, 31)


def to_ics(
    calendar: Calendar,
    *,
    uid_domain: str | None = None,
    stamp: datetime | None = None,
    prodid: str = DEFAULT_PRODID,
    name: str | None = None,
    closed: Literal["cancelled", "omitted"] = "cancelled",
    attendance: Attendance | None = None,
) -> str:
    """The calendar as iCalendar (RFC 5545) text, ready to save as a ``.ics`` file.

    Lines end in CRLF and are folded at 75 octets, as RFC 5545 requires; save the text
    unchanged (``Path(...).write_text(text, encoding="utf-8", newline="")``), since a text
    file opened without ``newline=""`` on Windows would double the carriage returns.

    Args:
        calendar: The calendar to write (from `expand`).
        uid_domain: A domain the clinic controls ("clinic.example"), written after the ``@``
            of every UID so that its UIDs differ from any other product's; none when None.
        stamp: When the file is made, an aware datetime, written (in UTC, to the second) as
            every event's ``DTSTAMP``; 00:00 UTC on the calendar's first day when None. Give
            the time of a change when publishing a corrected calendar.
        prodid: The ``PRODID``: the product that wrote the file.
        name: The calendar's name as readers show it (``NAME`` and ``X-WR-CALNAME``); the
            program's name, or its level, when None.
        closed: What becomes of a session a closure cancelled: "cancelled", an event with
            ``STATUS:CANCELLED`` (readers show or hide it as they do cancelled events), or
            "omitted", no event.
        attendance: One client's attendance on this calendar: each recorded session's event
            says what the client attended (in its description and in an
            ``X-CARECONTINUUM-ATTENDANCE`` property), each extra session is an event of its
            own, and the UIDs include the client's id.

    Returns:
        The iCalendar text: a ``VCALENDAR`` with the zone's ``VTIMEZONE`` (none for UTC,
        whose times are written with ``Z``) and one ``VEVENT`` per session, in time order,
        then the attendance's extra sessions.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed argument, named in the message; an
            attendance on another calendar; a session whose start or end falls within a
            second (iCalendar times are whole seconds).
        MissingExtraError: icalendar is not installed (``pip install carecontinuum[ics]``).

    >>> import pendulum
    >>> import carecontinuum as cc
    >>> program = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon"],
    ...                                      hours_per_session=3, weeks=2, start="18:00")
    >>> calendar = cc.expand(program, pendulum.date(2026, 3, 2), "America/New_York",
    ...                      closures=[pendulum.date(2026, 3, 9)])
    >>> text = to_ics(calendar)
    >>> [line for line in text.splitlines() if line.startswith(("STATUS", "SUMMARY"))]
    ['SUMMARY:GENERIC IOP program', 'STATUS:CONFIRMED',
     'SUMMARY:Cancelled: GENERIC IOP program', 'STATUS:CANCELLED']
    """
    if not isinstance(calendar, Calendar):
        raise InvalidTypeError("calendar", calendar, "a Calendar (from expand)")
    domain = _check_domain(uid_domain)
    dtstamp = _check_stamp(stamp, calendar)
    product = check_str("prodid", prodid)
    if "\n" in product or "\r" in product:
        raise InvalidValueError("prodid", prodid, "text on one line")
    title = _title(calendar.program) if name is None else check_str("name", name)
    if closed not in _CLOSED_CHOICES:
        raise InvalidValueError("closed", closed, "'cancelled' or 'omitted'")
    if attendance is not None:
        if not isinstance(attendance, Attendance):
            raise InvalidTypeError("attendance", attendance, "an Attendance, or None")
        if attendance.calendar != calendar:
            raise InvalidValueError(
                "attendance", attendance, "an attendance on this calendar (its calendar is "
                f"{attendance.calendar}; this one is {calendar})",
            )  # fmt: skip
    _check_whole_seconds(calendar, attendance)
    lib = _icalendar()

    out = lib.Calendar()
    out.add("prodid", product)
    out.add("version", "2.0")
    out.add("calscale", "GREGORIAN")
    out.add("method", "PUBLISH")
    # The calendar's name as readers show it: NAME (RFC 7986) and X-WR-CALNAME, both text,
    # written as vText (icalendar 7.3 leaves line breaks unescaped in either otherwise).
    out.add("name", lib.vText(title))
    out.add("x-wr-calname", lib.vText(title))
    writer = _Writer(lib, calendar, domain, dtstamp, attendance)
    if writer.zone_name != "UTC":
        out.add_component(_vtimezone(lib, calendar))
    for event in writer.events(closed == "cancelled"):
        out.add_component(event)
    text: str = out.to_ical().decode("utf-8")
    return text


def _icalendar() -> ModuleType:
    """icalendar, imported on first use (the ``ics`` extra)."""
    try:
        import icalendar  # noqa: PLC0415 (the `ics` extra loads on first use)
    except ImportError as error:
        raise MissingExtraError("icalendar", "ics", "carecontinuum.ics.to_ics()") from error
    return icalendar


def _check_domain(value: object) -> str | None:
    if value is None:
        return None
    domain = check_str("uid_domain", value, limit=253)
    if not set(domain) <= _DOMAIN_CHARACTERS or domain.startswith((".", "-")):
        raise InvalidValueError(
            "uid_domain", value, "a domain name such as 'clinic.example' (letters, digits, "
            "dots and hyphens), or None",
        )  # fmt: skip
    return domain


def _check_stamp(value: object, calendar: Calendar) -> datetime:
    if value is None:
        first = calendar.first
        return datetime(first.year, first.month, first.day, tzinfo=UTC)
    if not isinstance(value, datetime):
        raise InvalidTypeError("stamp", value, "a timezone-aware datetime, or None")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError("stamp", value, "a timezone-aware datetime (not a naive one)")
    check_not_host_zone(
        "stamp", value, getattr(value.tzinfo, "key", None), "a datetime in an IANA time zone"
    )
    seconds = _instant_us(value) // _US_PER_SECOND
    try:
        return _UTC_EPOCH + timedelta(seconds=seconds)
    except OverflowError:
        raise InvalidValueError("stamp", value, "a time whose instant Python can hold") from None


def _check_whole_seconds(calendar: Calendar, attendance: Attendance | None) -> None:
    """Refuse a time iCalendar cannot write: its DATE-TIME values are whole seconds."""
    expected = "a session starting and ending on a whole second (iCalendar times have none)"
    for field, sessions in (("sessions", calendar.sessions), ("closed", calendar.closed)):
        for i, s in enumerate(sessions):
            if s._utc_us % _US_PER_SECOND or s.session._length_us % _US_PER_SECOND:
                raise InvalidValueError(f"calendar.{field}[{i}]", str(s), expected)
    if attendance is not None:
        for i, record in enumerate(attendance.records):
            if record.start is None or record.end is None:
                continue
            if _instant_us(record.start) % _US_PER_SECOND or (
                _instant_us(record.end) % _US_PER_SECOND
            ):
                raise InvalidValueError(f"attendance.records[{i}]", str(record), expected)


def _title(program: ProgramStructure) -> str:
    return program.name or f"{program.level.scheme} {program.level.code} program"


def _digest(*parts: object) -> str:
    """A stable digest of `parts`: the same values give the same text on every machine."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class _Writer:
    """Builds the events of one calendar."""

    def __init__(
        self,
        lib: ModuleType,
        calendar: Calendar,
        domain: str | None,
        stamp: datetime,
        attendance: Attendance | None,
    ) -> None:
        self.lib = lib
        self.calendar = calendar
        self.zone: Timezone = calendar.zone
        self.zone_name: str = calendar.zone.name
        self.domain = domain
        self.stamp = stamp
        self.attendance = attendance
        self.client = None if attendance is None else attendance.client_id
        program = calendar.program
        self.title = _title(program)
        level = program.level
        self.program_line = (
            f"Level: {level.scheme} {level.code} ({level.name}), "
            f"{program.population.value}, {program.track.value}"
        )

    def events(self, with_closed: bool) -> Iterator[icalendar.Event]:
        calendar = self.calendar
        held = [(s._utc_us, s.index, False, s) for s in calendar.sessions]
        if with_closed:
            held += [(s._utc_us, s.index, True, s) for s in calendar.closed]
        for _, _, cancelled, session in sorted(held, key=lambda t: (t[0], t[1])):
            yield self._scheduled(session, cancelled=cancelled)
        if self.attendance is not None:
            extras = [r for r in self.attendance.records if r.session is None]
            for record in sorted(extras, key=lambda r: _instant_us(r.start)):  # type: ignore[arg-type]
                yield self._extra(record)

    def _uid(self, *parts: object) -> str:
        digest = _digest(*parts)
        return digest if self.domain is None else f"{digest}@{self.domain}"

    def _moment(self, us: int) -> datetime:
        """An instant as iCalendar should write it: the zone's local time, or UTC where the
        local time occurs twice and RFC 5545 would read it as the other occurrence."""
        if self.zone_name == "UTC":
            return _UTC_EPOCH + timedelta(microseconds=us)
        local = _at(us, self.zone)
        wall = datetime(
            local.year, local.month, local.day, local.hour, local.minute, local.second,
            tzinfo=self.zone,
        )  # fmt: skip
        if _instant_us(wall) != us:  # the later of two occurrences: fold=0 is the first
            return _UTC_EPOCH + timedelta(microseconds=us)
        return wall

    def _event(self, uid: str, start_us: int, end_us: int, summary: str) -> icalendar.Event:
        event: icalendar.Event = self.lib.Event()
        event.add("uid", uid)
        event.add("dtstamp", self.stamp)
        event.add("dtstart", self._moment(start_us))
        event.add("dtend", self._moment(end_us))
        event.add("summary", summary)
        return event

    def _scheduled(self, s: ScheduledSession, *, cancelled: bool) -> icalendar.Event:
        template = s.session
        uid = self._uid(
            "session", self.title, self.calendar.program.level.scheme,
            self.calendar.program.level.code, self.calendar.program.population.value,
            self.calendar.program.track.value, self.zone_name, s.day.isoformat(), s.index,
            self.client,
        )  # fmt: skip
        summary = self.title if template.name is None else f"{self.title}: {template.name}"
        event = self._event(
            uid,
            s._utc_us,
            s._utc_us + template._length_us,
            f"Cancelled: {summary}" if cancelled else summary,
        )
        lines = [
            self.program_line,
            f"Services: {', '.join(x.value for x in template.services)}",
            f"Clinical time: {hours(template.clinical_duration)} of {hours(template.duration)}",
            f"Program week {s.week + 1}",
        ]
        if cancelled:
            lines.append(f"Not held: the clinic is closed on {s.day.isoformat()}.")
        record = None if self.attendance is None else self.attendance.record_for(s)
        if record is not None:
            lines.append(self._attendance_line(record))
            event.add(_ATTENDANCE_PROPERTY, record.status.value)
        event.add("description", "\n".join(lines))
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        return event

    def _attendance_line(self, record: AttendanceRecord) -> str:
        who = "" if self.client is None else f" ({self.client})"
        status = record.status.value
        if record.status is AttendanceStatus.PARTIAL:
            status += f", {hours(record.attended)} of {hours(record.scheduled)}"
        return f"Attendance{who}: {status}"

    def _extra(self, record: AttendanceRecord) -> icalendar.Event:
        assert record.start is not None
        assert record.end is not None
        start_us, end_us = _instant_us(record.start), _instant_us(record.end)
        service = record.service.value if record.service is not None else "individual therapy"
        event = self._event(
            self._uid("extra", self.client, start_us),
            start_us,
            end_us,
            f"{self.title}: extra session ({service})",
        )
        lines = [
            self.program_line,
            f"Extra session, not scheduled: {service}",
            self._attendance_line(record),
        ]
        event.add(_ATTENDANCE_PROPERTY, record.status.value)
        event.add("description", "\n".join(lines))
        event.add("status", "CONFIRMED")
        return event


def _vtimezone(lib: ModuleType, calendar: Calendar) -> icalendar.Timezone:
    """The zone's VTIMEZONE over the calendar's days (a day before the first, for its first
    sessions, and three after the last, for the ends of its last), from icalendar's helper,
    with two corrections.

    The onset of a change that skips local times (clocks forward): icalendar (7.3) writes it
    as the first local time after the gap (03:00 in New York), but RFC 5545 (3.6.5) reads an
    onset in the offset before the change (``TZOFFSETFROM``), which makes that 08:00 UTC, an
    hour late. It is moved back by the gap (to 02:00, 07:00 UTC), as the RFC's examples write
    it.

    Each observance's first onset (its ``DTSTART``) is listed in its ``RDATE`` too: the
    helper lists the later onsets only there, and readers that build an observance's onsets
    from its RRULE and RDATE alone (dateutil's rule sets do so) would miss the first, and with
    it every time before the first change. RFC 5545 counts an onset given twice once."""
    first = max(calendar.first.toordinal() - 1, _FIRST_ZONE_DAY.toordinal())
    last = min(calendar.last.toordinal() + 3, _LAST_ZONE_DAY.toordinal())
    zone: icalendar.Timezone = lib.Timezone.from_tzinfo(
        calendar.zone,
        tzid=calendar.zone.name,
        first_date=date.fromordinal(first),
        last_date=date.fromordinal(last),
    )
    observances: list[icalendar.TimezoneStandard | icalendar.TimezoneDaylight] = [
        *zone.standard,
        *zone.daylight,
    ]
    for observance in observances:
        shift = max(observance.TZOFFSETTO - observance.TZOFFSETFROM, timedelta(0))
        onset = observance.DTSTART - shift
        rdates: Any = observance.pop("RDATE", None)
        later = [] if rdates is None else [d.dt - shift for d in rdates.dts]
        observance.DTSTART = onset
        observance.add("RDATE", [onset, *later])
    return zone
