"""carecontinuum.ics: a calendar as iCalendar text that other readers place right.

Every file is read back by icalendar (which writes it) and by `ical`, a parser that shares no
code with icalendar; `ical` also reads it with the zone renamed, so that it must place every
session by the file's own VTIMEZONE, as a reader without the IANA database (Outlook) does.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pendulum
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

import carecontinuum as cc
from carecontinuum import ics, strategies
from carecontinuum.catalogs import GENERIC

ZONES = ("America/New_York", "Australia/Lord_Howe", "America/Santiago")
RENAMED = "Clinic-Zone"


# ---- reading the text back ------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    assert moment.tzinfo is not None and moment.utcoffset() is not None, moment
    return moment.astimezone(UTC)


def _expected(
    calendar: cc.Calendar, *, closed: bool = True
) -> list[tuple[datetime, datetime, bool]]:
    """The calendar's sessions as (start, end, cancelled), in UTC, in the order written."""
    rows = [(s, False) for s in calendar.sessions]
    if closed:
        rows += [(s, True) for s in calendar.closed]
    rows.sort(key=lambda r: (_utc(r[0].start), r[0].index))
    return [(_utc(s.start), _utc(s.end), cancelled) for s, cancelled in rows]


def _read_icalendar(text: str) -> list[tuple[datetime, datetime, bool]]:
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    return [(_utc(e.start), _utc(e.end), str(e.get("STATUS")) == "CANCELLED") for e in events]


def _read_ical(text: str) -> list[tuple[datetime, datetime, bool]]:
    calendar = IcsCalendarStream.calendar_from_ics(text)
    return [
        (_utc(e.dtstart), _utc(e.dtend), e.status is not None and e.status.value == "CANCELLED")
        for e in calendar.events
    ]


def _renamed(text: str, zone: str) -> str:
    """The text with its zone given a name no zone database knows."""
    assert zone != RENAMED
    return text.replace(f"TZID={zone}:", f"TZID={RENAMED}:").replace(
        f"TZID:{zone}\r\n", f"TZID:{RENAMED}\r\n"
    )


def _check_instants(calendar: cc.Calendar, text: str) -> None:
    """Every reader gives every session's start and end instant, and which were cancelled."""
    expected = _expected(calendar)
    assert _read_icalendar(text) == expected
    assert _read_ical(text) == expected
    name = calendar.zone.name
    if name != "UTC":
        renamed = _renamed(text, name)
        assert name not in renamed
        assert _read_ical(renamed) == expected


def _uids(text: str) -> list[str]:
    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")]


def _transitions(zone: str, first: date, last: date) -> list[tuple[datetime, timedelta, timedelta]]:
    """The zone's changes of offset from `first` to `last`: (instant, offset before, after),
    found from zoneinfo by the hour and then to the second."""
    tz = ZoneInfo(zone)
    found = []
    moment = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC)
    step = timedelta(minutes=30)
    while moment < end:
        before, after = (
            moment.astimezone(tz).utcoffset(),
            (moment + step).astimezone(tz).utcoffset(),
        )
        assert before is not None and after is not None
        if before != after:
            low, high = moment, moment + step
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            found.append((high, before, after))
        moment += step
    return found


def _onsets(text: str) -> list[tuple[datetime, timedelta, timedelta]]:
    """The onsets of the file's VTIMEZONE, read as RFC 5545 (3.6.5) reads them: each DTSTART
    and RDATE a local time in the observance's TZOFFSETFROM; first observances (no change)
    left out."""
    (zone,) = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    onsets = set()
    for observance in zone.subcomponents:
        before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
        if before == after:
            continue
        locals_ = [observance.DTSTART]
        rdates = observance.get("RDATE")
        for rdate in rdates if isinstance(rdates, list) else [rdates] if rdates else []:
            locals_ += [d.dt for d in rdate.dts]
        onsets |= {((local - before).replace(tzinfo=UTC), before, after) for local in locals_}
    return sorted(onsets)


# ---- programs and calendars across clock changes --------------------------------------------


def _changes(zone: str) -> list[date]:
    """The local days in 2026 the zone's clocks change on."""
    return sorted(
        {moment.astimezone(ZoneInfo(zone)).date() for moment, _, _ in
         _transitions(zone, date(2026, 1, 1), date(2027, 1, 1))}
    )  # fmt: skip


CHANGES = {zone: _changes(zone) for zone in ZONES}


@st.composite
def calendars_across_changes(
    draw: st.DrawFn, programs: st.SearchStrategy[cc.ProgramStructure]
) -> cc.Calendar:
    """A program expanded in one of the three zones from a day up to its length before one of
    the zone's clock changes in 2026, so that the change falls inside the calendar."""
    program = draw(programs)
    zone = draw(st.sampled_from(ZONES))
    change = draw(st.sampled_from(CHANGES[zone]))
    before = draw(st.integers(0, min(7 * program.min_weeks - 1, 60)))
    start = change - timedelta(days=before)
    days = 7 * program.min_weeks
    closed = draw(st.lists(st.integers(0, days - 1), max_size=3, unique=True))
    try:
        return cc.expand(program, start, zone, closures=[start + timedelta(days=k) for k in closed])
    except cc.ScheduleConflictError:  # a change moving two night sessions together
        assume(False)
        raise


@st.composite
def night_programs(draw: st.DrawFn) -> cc.ProgramStructure:
    """Short programs whose sessions start at any quarter hour, overnight ones included: the
    small hours are where clocks change."""
    quarter = draw(st.integers(0, 95))
    length = draw(st.integers(1, 12)) * 0.5
    ends = quarter * 15 + length * 60
    return cc.ProgramStructure.weekly(
        GENERIC["DETOX"],
        days=draw(st.lists(st.sampled_from(["fri", "sat", "sun", "mon"]), min_size=1,
                           max_size=4, unique=True)),
        hours_per_session=length,
        weeks=draw(st.integers(1, 3)),
        start=time(quarter // 4, 15 * (quarter % 4)),
        overnight=ends > 24 * 60,
        services=[cc.Service.MEDICATION_MANAGEMENT],
    )  # fmt: skip


class TestInstants:
    """Every start and end instant read back equals the Calendar's, in every reader."""

    @settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
    @given(calendars_across_changes(strategies.programs()))
    def test_programs_from_the_strategies(self, calendar: cc.Calendar) -> None:
        """Programs of every level, from a day before a clock change of New York, Lord Howe
        or Santiago: icalendar and ical (with and without the zone's name) read each session's
        start and end as the calendar's instants."""
        _check_instants(calendar, ics.to_ics(calendar))

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    @given(calendars_across_changes(night_programs()))
    def test_sessions_in_the_small_hours(self, calendar: cc.Calendar) -> None:
        """Sessions starting or ending in the hour a change skips or repeats (RFC 5545 reads a
        repeated local time as its first occurrence) are read at their instants."""
        _check_instants(calendar, ics.to_ics(calendar))

    @pytest.mark.parametrize(
        ("zone", "day", "at", "hours", "offsets"),
        [
            # New York: 02:30 does not exist on 8 March (03:30 EDT); 01:30 occurs twice on
            # 1 November, and expand takes the second (EST).
            ("America/New_York", date(2026, 3, 8), "02:30", 0.5, ["-04:00"]),
            ("America/New_York", date(2026, 11, 1), "01:30", 0.5, ["-05:00"]),
            # Lord Howe: clocks go back half an hour at 02:00 on 5 April (01:30-02:00 twice)
            # and forward half an hour at 02:00 on 4 October (02:00-02:30 skipped).
            ("Australia/Lord_Howe", date(2026, 4, 5), "01:45", 0.25, ["+10:30"]),
            ("Australia/Lord_Howe", date(2026, 10, 4), "02:15", 1, ["+11:00"]),
            # Santiago: clocks go back at midnight on 5 April (23:00-24:00 on the 4th twice)
            # and forward at midnight on 6 September (00:00-01:00 skipped).
            ("America/Santiago", date(2026, 4, 4), "23:30", 2, ["-04:00"]),
            ("America/Santiago", date(2026, 9, 6), "00:30", 1, ["-03:00"]),
        ],
    )
    def test_pinned_clock_changes(
        self, zone: str, day: date, at: str, hours: float, offsets: list[str]
    ) -> None:
        """The nights of the changes in 2026, session by session: the start is where expand
        puts it (its offset as shown), and every reader reads it there."""
        program = cc.ProgramStructure.weekly(
            GENERIC["DETOX"], days=[day.strftime("%a").lower()], hours_per_session=hours,
            weeks=1, start=at, overnight=at >= "22:00",
            services=[cc.Service.MEDICATION_MANAGEMENT],
        )  # fmt: skip
        calendar = cc.expand(program, day, zone)
        assert [s.start.strftime("%z")[:3] + ":" + s.start.strftime("%z")[3:] for s in
                calendar.sessions] == offsets  # fmt: skip
        _check_instants(calendar, ics.to_ics(calendar))

    def test_an_overnight_session_across_the_change(self) -> None:
        """Eight hours from 22:00 on the night New York's clocks go forward end at 07:00 EDT,
        and the file says so."""
        program = cc.ProgramStructure.weekly(
            GENERIC["DETOX"], days=["sat"], hours_per_session=8, weeks=1, start="22:00",
            overnight=True, services=[cc.Service.MEDICATION_MANAGEMENT],
        )  # fmt: skip
        calendar = cc.expand(program, date(2026, 3, 7), "America/New_York")
        text = ics.to_ics(calendar)
        assert "DTEND;TZID=America/New_York:20260308T070000\r\n" in text
        _check_instants(calendar, text)

    @pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "Etc/UTC"])
    def test_zones_without_changes(self, zone: str) -> None:
        """A zone without clock changes reads back too; UTC is written with Z and no
        VTIMEZONE, as RFC 5545 requires."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed"], hours_per_session=3, weeks=2
        )
        calendar = cc.expand(program, date(2026, 3, 2), zone)
        text = ics.to_ics(calendar)
        assert ("BEGIN:VTIMEZONE" in text) is (zone != "UTC")
        _check_instants(calendar, text)

    def test_a_calendar_of_twenty_years(self) -> None:
        """The longest calendar (1,044 weeks) has every one of its 40 or so changes in its
        VTIMEZONE, and reads back."""
        program = cc.ProgramStructure.weekly(
            GENERIC["OP"], days=["mon"], hours_per_session=1, weeks=1_044, start="18:00"
        )
        calendar = cc.expand(program, date(2026, 1, 5), "America/Santiago")
        text = ics.to_ics(calendar)
        assert (
            len(_onsets(text))
            == len(
                _transitions("America/Santiago", calendar.first, calendar.last + timedelta(days=1))
            )
            > 30
        )
        _check_instants(calendar, text)


class TestTimezone:
    """The VTIMEZONE describes the zone's clock changes as RFC 5545 reads them."""

    @pytest.mark.parametrize("zone", ZONES)
    def test_onsets_are_the_zone_changes(self, zone: str) -> None:
        """Read as RFC 5545 says (each onset a local time in the offset before the change),
        the VTIMEZONE's onsets are the instants and offsets of the zone's changes over the
        calendar's days: forward changes included, which icalendar alone writes an hour (or
        half an hour) late."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon"], hours_per_session=3, weeks=52
        )
        calendar = cc.expand(program, date(2026, 1, 5), zone)
        onsets = _onsets(ics.to_ics(calendar))
        expected = _transitions(zone, calendar.first, calendar.last + timedelta(days=1))
        assert len(expected) == 2
        assert onsets == expected

    def test_every_observance_lists_its_first_onset(self) -> None:
        """An observance's DTSTART is in its RDATE too, so a reader taking onsets from RDATE
        alone knows the offset before the first change."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon"], hours_per_session=3, weeks=2
        )
        text = ics.to_ics(cc.expand(program, date(2026, 1, 5), "America/New_York"))
        (zone,) = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
        for observance in zone.subcomponents:
            rdates = observance["RDATE"]
            listed = [d.dt for r in (rdates if isinstance(rdates, list) else [rdates])
                      for d in r.dts]  # fmt: skip
            assert observance.DTSTART in listed


# ---- closures, identity and the text itself --------------------------------------------------


def _evening_iop(name: str | None = "Evening IOP", start: str = "18:00") -> cc.ProgramStructure:
    return cc.ProgramStructure.weekly(
        GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=4, start=start,
        name=name,
    )  # fmt: skip


CLOSED = [date(2026, 3, 9), date(2026, 3, 20)]


class TestClosures:
    def test_closed_sessions_are_cancelled_events(self) -> None:
        """Each session a closure cancelled is an event with STATUS:CANCELLED at its times;
        the others are CONFIRMED."""
        calendar = cc.expand(_evening_iop(), date(2026, 3, 2), "America/New_York",
                             closures=CLOSED)  # fmt: skip
        text = ics.to_ics(calendar)
        read = _read_ical(text)
        assert len(read) == len(calendar.sessions) + len(calendar.closed) == 12
        cancelled = [(start, end) for start, end, flag in read if flag]
        assert cancelled == [(_utc(s.start), _utc(s.end)) for s in calendar.closed]
        assert text.count("STATUS:CANCELLED") == 2
        assert text.count("STATUS:CONFIRMED") == 10
        assert text.count("SUMMARY:Cancelled: Evening IOP") == 2

    def test_omitted_closed_sessions(self) -> None:
        """closed="omitted" writes the sessions held only."""
        calendar = cc.expand(_evening_iop(), date(2026, 3, 2), "America/New_York",
                             closures=CLOSED)  # fmt: skip
        text = ics.to_ics(calendar, closed="omitted")
        assert _read_ical(text) == _expected(calendar, closed=False)
        assert "CANCELLED" not in text


class TestIdentity:
    def _calendar(self, **kwargs: object) -> cc.Calendar:
        return cc.expand(
            kwargs.pop("program", _evening_iop()),  # type: ignore[arg-type]
            date(2026, 3, 2),
            kwargs.pop("zone", "America/New_York"),  # type: ignore[arg-type]
            closures=CLOSED,
        )

    def test_uids_are_unique(self) -> None:
        """No two events of a file share a UID, cancelled ones included."""
        uids = _uids(ics.to_ics(self._calendar()))
        assert len(uids) == 12 == len(set(uids))

    def test_the_same_calendar_gives_the_same_text_in_another_process(self) -> None:
        """No clock, no random number, no hash seed: another interpreter, with another
        PYTHONHASHSEED, writes the same text, UIDs and DTSTAMPs included."""
        text = ics.to_ics(self._calendar(), uid_domain="clinic.example")
        code = (
            "import sys, datetime, carecontinuum as cc\n"
            "from carecontinuum import ics\n"
            "from carecontinuum.catalogs import GENERIC\n"
            "p = cc.ProgramStructure.weekly(GENERIC['IOP'], days=['mon', 'wed', 'fri'],"
            " hours_per_session=3, weeks=4, start='18:00', name='Evening IOP')\n"
            "c = cc.expand(p, datetime.date(2026, 3, 2), 'America/New_York',"
            " closures=[datetime.date(2026, 3, 9), datetime.date(2026, 3, 20)])\n"
            "sys.stdout.buffer.write(ics.to_ics(c, uid_domain='clinic.example').encode())\n"
        )
        for seed in ("1", "2"):
            done = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, check=True,
                env={"PYTHONHASHSEED": seed, "PYTHONPATH": ":".join(sys.path)},
            )  # fmt: skip
            assert done.stdout.decode() == text

    def test_a_new_start_time_keeps_the_uids(self) -> None:
        """A UID names the session, not its hour: moving the program to 17:00 keeps every UID,
        so a reader moves the events instead of adding copies."""
        at_six = _uids(ics.to_ics(self._calendar()))
        at_five = _uids(ics.to_ics(self._calendar(program=_evening_iop(start="17:00"))))
        assert at_six == at_five

    def test_another_program_zone_or_client_has_other_uids(self) -> None:
        """Another program (by name), zone, or a client's attendance gives UIDs of its own."""
        base = set(_uids(ics.to_ics(self._calendar())))
        renamed = _uids(ics.to_ics(self._calendar(program=_evening_iop(name="Day IOP"))))
        moved = _uids(ics.to_ics(self._calendar(zone="America/Chicago")))
        calendar = self._calendar()
        client = _uids(
            ics.to_ics(calendar, attendance=cc.Attendance(calendar, [], client_id="C-1"))
        )
        for other in (renamed, moved, client):
            assert base.isdisjoint(other)

    def test_uid_domain(self) -> None:
        """uid_domain is written after each UID's @."""
        uids = _uids(ics.to_ics(self._calendar(), uid_domain="clinic.example"))
        assert all(u.endswith("@clinic.example") and u.count("@") == 1 for u in uids)
        assert [u.split("@")[0] for u in uids] == _uids(ics.to_ics(self._calendar()))

    def test_dtstamp(self) -> None:
        """DTSTAMP is the stamp given, in UTC to the second; 00:00 UTC on the first day when
        none is given."""
        calendar = self._calendar()
        assert set(_stamps(ics.to_ics(calendar))) == {datetime(2026, 3, 2, tzinfo=UTC)}
        stamp = pendulum.datetime(2026, 3, 1, 9, 30, 15, 999_999, tz="Australia/Lord_Howe")
        assert set(_stamps(ics.to_ics(calendar, stamp=stamp))) == {
            datetime(2026, 2, 28, 22, 30, 15, tzinfo=UTC)
        }


def _stamps(text: str) -> list[datetime]:
    return [e["DTSTAMP"].dt for e in icalendar.Calendar.from_ical(text).walk("VEVENT")]


TRICKY = 'Group, "Mañana"; relapse\nprevention \\ skills \u2014 ' + "évening " * 12


class TestText:
    def _text(self) -> tuple[cc.Calendar, str]:
        session = cc.Session(
            pendulum.WeekDay.MONDAY, time(18),
            [cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(hours=3))], name=TRICKY,
        )  # fmt: skip
        program = cc.ProgramStructure(
            GENERIC["IOP"], cc.Population.ADULT, cc.Track.SUBSTANCE_USE, [session], weeks=2,
            name=TRICKY,
        )  # fmt: skip
        calendar = cc.expand(program, date(2026, 3, 2), "America/New_York")
        return calendar, ics.to_ics(calendar, name=TRICKY)

    def test_lines_end_in_crlf_and_fold_at_75_octets(self) -> None:
        """Every line ends in CRLF, no bare CR or LF is left, and no line is longer than 75
        octets of UTF-8 (RFC 5545 3.1), with names of many non-ASCII characters."""
        _, text = self._text()
        assert text.endswith("\r\n")
        lines = text.split("\r\n")[:-1]
        assert all("\n" not in line and "\r" not in line for line in lines)
        assert max(len(line.encode("utf-8")) for line in lines) <= 75
        assert any(line.startswith(" ") for line in lines)  # something was folded

    def test_names_are_escaped_and_read_back_whole(self) -> None:
        """Commas, semicolons, backslashes and line breaks in names come back as written, in
        both readers."""
        calendar, text = self._text()
        unfolded = text.replace("\r\n ", "")
        escaped = (
            TRICKY.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n")
        )  # fmt: skip
        assert f"\r\nSUMMARY:{escaped}: {escaped}\r\n" in unfolded
        for name in ("NAME", "X-WR-CALNAME"):
            assert f"\r\n{name}:{escaped}\r\n" in unfolded
        summary = f"{TRICKY}: {TRICKY}"
        assert [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")] \
            == [summary] * 2  # fmt: skip
        parsed = IcsCalendarStream.calendar_from_ics(text)
        assert [e.summary for e in parsed.events] == [summary] * 2
        _check_instants(calendar, text)

    def test_the_description_says_level_services_and_time(self) -> None:
        """Each event's description names the level, the services and the clinical time."""
        program = cc.ProgramStructure.weekly(
            GENERIC["PHP"], days=["mon"], hours_per_session=5, weeks=1,
            services=[cc.Service.GROUP_THERAPY, cc.Service.PSYCHOEDUCATION],
        )  # fmt: skip
        text = ics.to_ics(cc.expand(program, date(2026, 3, 2), "America/New_York"))
        (event,) = IcsCalendarStream.calendar_from_ics(text).events
        assert event.description is not None
        assert event.description.splitlines() == [
            "Level: GENERIC PHP (Partial hospitalization), adult, substance use",
            "Services: group therapy, psychoeducation",
            "Clinical time: 5 h of 5 h",
            "Program week 1",
        ]
        assert event.summary == "GENERIC PHP program"

    def test_prodid_and_version(self) -> None:
        """PRODID is the library's, or the caller's; VERSION is 2.0."""
        calendar = cc.expand(_evening_iop(), date(2026, 3, 2), "America/New_York")
        parsed = icalendar.Calendar.from_ical(ics.to_ics(calendar))
        assert (str(parsed["PRODID"]), str(parsed["VERSION"])) == (ics.DEFAULT_PRODID, "2.0")
        mine = icalendar.Calendar.from_ical(ics.to_ics(calendar, prodid="-//Clinic//EHR//EN"))
        assert str(mine["PRODID"]) == "-//Clinic//EHR//EN"


class TestAttendance:
    def test_recorded_sessions_and_extras(self) -> None:
        """With an attendance, each recorded session says its status, others say nothing, and
        each extra session is an event at its own times."""
        calendar = cc.expand(_evening_iop(), date(2026, 3, 2), "America/New_York")
        first, second, third = calendar.sessions[:3]
        extra_start = pendulum.datetime(2026, 3, 10, 17, tz="America/New_York")
        attendance = cc.Attendance(
            calendar,
            [
                cc.AttendanceRecord(first, cc.AttendanceStatus.PRESENT),
                cc.AttendanceRecord(second, cc.AttendanceStatus.PARTIAL,
                                    attended=pendulum.duration(hours=2)),
                cc.AttendanceRecord(third, cc.AttendanceStatus.EXCUSED),
                cc.AttendanceRecord.extra(extra_start, extra_start.add(hours=1)),
            ],
            client_id="C-0042",
        )  # fmt: skip
        text = ics.to_ics(calendar, attendance=attendance)
        events = icalendar.Calendar.from_ical(text).walk("VEVENT")
        marks = [str(e.get("X-CARECONTINUUM-ATTENDANCE", "")) for e in events]
        assert marks == ["present", "partial", "excused", *[""] * 9, "present"]
        assert "Attendance (C-0042): partial, 2 h of 3 h" in str(events[1]["DESCRIPTION"])
        extra = IcsCalendarStream.calendar_from_ics(text).events[-1]
        assert (_utc(extra.dtstart), _utc(extra.dtend)) == (
            _utc(extra_start),
            _utc(extra_start.add(hours=1)),
        )
        assert len(set(_uids(text))) == 13

    def test_an_attendance_on_another_calendar_is_refused(self) -> None:
        """The attendance must be on the calendar written."""
        calendar = cc.expand(_evening_iop(), date(2026, 3, 2), "America/New_York")
        other = cc.expand(_evening_iop(), date(2026, 3, 9), "America/New_York")
        with pytest.raises(cc.InvalidValueError, match="'attendance'"):
            ics.to_ics(calendar, attendance=cc.Attendance(other, []))


class TestArguments:
    CALENDAR = cc.expand(_evening_iop(), date(2026, 3, 2), "America/New_York")

    @pytest.mark.parametrize(
        ("kwargs", "error", "field"),
        [
            ({"uid_domain": "clinic example"}, cc.InvalidValueError, "uid_domain"),
            ({"uid_domain": ""}, cc.InvalidValueError, "uid_domain"),
            ({"uid_domain": 7}, cc.InvalidTypeError, "uid_domain"),
            ({"stamp": datetime(2026, 3, 1)}, cc.InvalidValueError, "stamp"),
            ({"stamp": "2026-03-01T00:00Z"}, cc.InvalidTypeError, "stamp"),
            ({"stamp": datetime(2026, 3, 1, tzinfo=ZoneInfo("localtime"))},
             cc.InvalidValueError, "stamp"),
            ({"prodid": ""}, cc.InvalidValueError, "prodid"),
            ({"prodid": "a\nb"}, cc.InvalidValueError, "prodid"),
            ({"name": 3}, cc.InvalidTypeError, "name"),
            ({"closed": "hidden"}, cc.InvalidValueError, "closed"),
            ({"attendance": "C-1"}, cc.InvalidTypeError, "attendance"),
        ],
    )  # fmt: skip
    def test_bad_arguments_are_named(
        self, kwargs: dict[str, object], error: type[cc.CareContinuumError], field: str
    ) -> None:
        """Each malformed argument raises the library's error naming it."""
        with pytest.raises(error) as info:
            ics.to_ics(self.CALENDAR, **kwargs)  # type: ignore[arg-type]
        assert getattr(info.value, "field", None) == field

    def test_the_calendar_must_be_a_calendar(self) -> None:
        """Anything but a Calendar is refused, by name."""
        with pytest.raises(cc.InvalidTypeError, match="'calendar'"):
            ics.to_ics(_evening_iop())  # type: ignore[arg-type]

    def test_parameters_after_the_calendar_are_keyword_only(self) -> None:
        """to_ics(calendar, "clinic.example") is a TypeError: the options are named."""
        with pytest.raises(TypeError):
            ics.to_ics(self.CALENDAR, "clinic.example")  # type: ignore[misc]

    def test_a_time_within_a_second_is_refused(self) -> None:
        """iCalendar times are whole seconds: a session starting half a second past the
        minute is refused, naming it, rather than moved."""
        session = cc.Session(
            pendulum.WeekDay.MONDAY, time(18, 0, 0, 500_000),
            [cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(hours=3))],
        )  # fmt: skip
        program = cc.ProgramStructure(
            GENERIC["IOP"], cc.Population.ADULT, cc.Track.SUBSTANCE_USE, [session], weeks=1
        )
        calendar = cc.expand(program, date(2026, 3, 2), "UTC")
        with pytest.raises(cc.InvalidValueError) as info:
            ics.to_ics(calendar)
        assert info.value.field == "calendar.sessions[0]"


# ---- the extra stays optional -----------------------------------------------------------------


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_the_library_imports_neither_icalendar_nor_this_module() -> None:
    """`import carecontinuum` and its calendars load no iCalendar code; importing
    carecontinuum.ics loads icalendar only when to_ics is called."""
    probe = "print(sorted(m for m in ('icalendar', 'carecontinuum.ics') if m in sys.modules))"
    assert _run(f"import sys, carecontinuum as cc; cc.expand; cc.Attendance\n{probe}") == "[]"
    assert _run(f"import sys, carecontinuum.ics\n{probe}") == "['carecontinuum.ics']"


def test_without_icalendar_the_error_names_the_extra() -> None:
    """Without icalendar, to_ics raises MissingExtraError naming itself, icalendar and the
    `ics` extra (not to_dict's cattrs)."""
    code = (
        "import sys; sys.modules['icalendar'] = None\n"
        "import datetime, carecontinuum as cc\n"
        "from carecontinuum import ics\n"
        "p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC['IOP'], days='mon',"
        " hours_per_session=3, weeks=1)\n"
        "try:\n"
        "    ics.to_ics(cc.expand(p, datetime.date(2026, 3, 2), 'UTC'))\n"
        "except cc.MissingExtraError as error:\n"
        "    print(isinstance(error, ImportError), error.extra, error.package,\n"
        "          'pip install carecontinuum[ics]' in str(error),\n"
        "          str(error).startswith('carecontinuum.ics.to_ics() needs icalendar'),\n"
        "          'to_dict' in str(error))\n"
    )
    assert _run(code) == "True ics icalendar True True False"
