"""Program structures: segments, sessions and programs, their figures and their refusals."""

from __future__ import annotations

import copy
import enum
import itertools
import math
import pickle
from collections.abc import Callable, Iterator
from datetime import time, timedelta
from fractions import Fraction

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum._measures import weeks_of
from carecontinuum._program import (
    _CHECKED_MODALITIES,
    _CHECKED_SESSIONS,
    _CHECKED_SESSIONS_MAX,
    _MAX_CYCLE_WEEKS,
    _MAX_SESSIONS,
    _MAX_WEEKS,
)
from carecontinuum.catalogs import ASAM3, GENERIC
from fuzzing import cpu_time
from strategies import garbage, programs


class _HashFails:
    """An object whose hash raises something other than TypeError."""

    def __hash__(self) -> int:
        raise ValueError("no hash")


H = pendulum.duration
MON, TUE, WED, THU, FRI, SAT, SUN = WeekDay


def seg(service: cc.Service = cc.Service.GROUP_THERAPY, **length: float) -> cc.Segment:
    return cc.Segment(service, H(**length))


def session(
    day: WeekDay = MON, start: time = time(9), hours: float = 3, **kw: object
) -> cc.Session:
    return cc.Session(day, start, [seg(hours=hours)], **kw)  # type: ignore[arg-type]


def program(sessions: list[cc.Session], weeks: object = 8, **kw: object) -> cc.ProgramStructure:
    return cc.ProgramStructure(
        GENERIC["IOP"],
        cc.Population.ADULT,
        cc.Track.SUBSTANCE_USE,
        sessions,
        weeks,  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


class TestSegment:
    def test_break_is_not_clinical(self) -> None:
        """Only BREAK is excluded from clinical time."""
        assert not seg(cc.Service.BREAK, minutes=15).is_clinical
        assert all(seg(s, minutes=15).is_clinical for s in cc.Service if s is not cc.Service.BREAK)

    def test_timedelta_is_accepted_as_a_pendulum_duration(self) -> None:
        """A stdlib timedelta is stored as the equal pendulum Duration."""
        segment = cc.Segment(cc.Service.CHECK_IN, timedelta(minutes=20))
        assert type(segment.duration) is pendulum.Duration
        assert segment.duration == H(minutes=20)

    @pytest.mark.parametrize("duration", [H(0), H(minutes=-5), timedelta(seconds=-1)])
    def test_non_positive_durations_are_refused(self, duration: timedelta) -> None:
        """Zero and negative durations raise, naming 'duration'."""
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Segment(cc.Service.CHECK_IN, duration)
        assert info.value.field == "duration"

    @pytest.mark.parametrize("duration", [3, 2.5, math.nan, True, "3h", None])
    def test_numbers_and_other_types_are_refused(self, duration: object) -> None:
        """A bare number is ambiguous (hours? minutes?) and is refused like any non-duration."""
        with pytest.raises(cc.InvalidTypeError) as info:
            cc.Segment(cc.Service.CHECK_IN, duration)  # type: ignore[arg-type]
        assert info.value.field == "duration"

    def test_service_must_be_a_service(self) -> None:
        """A service is a Service or a spelling of one; anything else is refused, naming it."""
        with pytest.raises(cc.InvalidTypeError) as info:
            cc.Segment(7, H(hours=1))  # type: ignore[arg-type]
        assert info.value.field == "service"
        with pytest.raises(cc.InvalidValueError) as value_info:
            cc.Segment("group", H(hours=1))
        assert value_info.value.field == "service"


class TestSession:
    def test_clinical_time_excludes_breaks(self) -> None:
        """A 3-hour session with a 15-minute break is 2.75 clinical hours."""
        s = cc.Session(MON, time(18), [seg(hours=2, minutes=45), seg(cc.Service.BREAK, minutes=15)])
        assert s.duration == H(hours=3)
        assert s.clinical_duration == H(hours=2.75)
        assert s.end == time(21)

    def test_services_lists_clinical_services_once(self) -> None:
        """Breaks are not services; repeated services are listed once, in order."""
        s = cc.Session(
            MON,
            time(9),
            [
                seg(cc.Service.CHECK_IN, minutes=15),
                seg(cc.Service.PROCESS_GROUP, hours=1),
                seg(cc.Service.BREAK, minutes=15),
                seg(cc.Service.PROCESS_GROUP, hours=1),
            ],
        )
        assert s.services == (cc.Service.CHECK_IN, cc.Service.PROCESS_GROUP)

    def test_a_session_running_past_midnight_must_say_so(self) -> None:
        """23:00 for 2 hours ends at 01:00 the next day: refused unless overnight=True."""
        with pytest.raises(cc.InvalidValueError) as info:
            session(start=time(23), hours=2)
        assert info.value.field == "overnight"
        assert "01:00" in str(info.value)
        ok = session(start=time(23), hours=2, overnight=True)
        assert ok.end == time(1)

    def test_overnight_claimed_for_a_daytime_session_is_refused(self) -> None:
        """The flag must match the times, so it can be trusted."""
        with pytest.raises(cc.InvalidValueError) as info:
            session(overnight=True)
        assert info.value.field == "overnight"

    def test_ending_exactly_at_midnight_is_not_overnight(self) -> None:
        """21:00 + 3 hours ends at midnight, still the same day."""
        assert session(start=time(21), hours=3).end == time(0)

    def test_only_breaks_is_refused(self) -> None:
        """A session needs some clinical time."""
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Session(MON, time(9), [seg(cc.Service.BREAK, minutes=30)])
        assert info.value.field == "segments"

    def test_overnight_means_past_midnight_on_the_wall_clock(self) -> None:
        """One definition: start plus length passes 24:00. 23:00 for an hour is not overnight
        (it ends at midnight), for an hour and a minute it is; an extra session is judged by
        the same rule (see test_attendance)."""
        assert not session(MON, time(23), 1).overnight
        with pytest.raises(cc.InvalidValueError) as info:
            session(MON, time(23), 1, overnight=True)
        assert info.value.field == "overnight"
        late = cc.Session(MON, time(23), [seg(hours=1, minutes=1)], overnight=True)
        assert late.overnight and str(late.end) == "00:01:00"

    def test_more_than_a_day_is_refused(self) -> None:
        """A session is at most 24 hours."""
        with pytest.raises(cc.InvalidValueError):
            cc.Session(MON, time(0), [seg(hours=20), seg(hours=5)], overnight=True)

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"weekday": 0}, "weekday"),
            ({"weekday": "mondays"}, "weekday"),
            ({"start": "9 am"}, "start"),
            ({"start": pendulum.datetime(2026, 1, 5, 9)}, "start"),
            ({"start": time(9, tzinfo=pendulum.timezone("UTC"))}, "start"),
            ({"segments": []}, "segments"),
            ({"segments": "group"}, "segments"),
            ({"segments": [H(hours=1)]}, "segments[0]"),
            ({"every_weeks": 0}, "every_weeks"),
            ({"every_weeks": True}, "every_weeks"),
            ({"every_weeks": 2.0}, "every_weeks"),
            ({"every_weeks": 2, "week_offset": 2}, "week_offset"),
            ({"week_offset": -1}, "week_offset"),
            ({"delivery_mode": "video"}, "delivery_mode"),
            ({"overnight": 1}, "overnight"),
            ({"name": ""}, "name"),
        ],
    )
    def test_malformed_fields_raise_naming_the_field(
        self, kwargs: dict[str, object], field: str
    ) -> None:
        """Every malformed field raises a CareContinuumError that names it."""
        fields: dict[str, object] = {"weekday": MON, "start": time(9), "segments": [seg(hours=1)]}
        fields.update(kwargs)
        with pytest.raises(cc.CareContinuumError) as info:
            cc.Session(**fields)  # type: ignore[arg-type]
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_datetime_is_not_a_time(self) -> None:
        """A datetime is a subclass of date, not of time, and is refused as a start."""
        with pytest.raises(cc.InvalidTypeError):
            session(start=pendulum.datetime(2026, 3, 2, 9))  # type: ignore[arg-type]

    def test_occurrences_count_every_n_weeks(self) -> None:
        """A fortnightly session from week 1 is held in weeks 1, 3, 5, 7 of an 8-week program."""
        s = session(every_weeks=2, week_offset=1)
        assert s.occurrences(8) == 4
        assert s.occurrences(1) == 0
        assert s.occurrences(2) == 1
        assert session(every_weeks=3).occurrences(7) == 3


class TestProgramStructure:
    def test_windmill_program_24_sessions_72_hours_9_a_week(self) -> None:
        """8 weeks of three 3-hour sessions: 24 sessions, 72 hours, 9 hours a week."""
        p = cc.ProgramStructure.weekly(
            ASAM3["2.1"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8
        )
        assert p.total_sessions == 24
        assert p.total_hours == H(hours=72)
        assert p.weekly_hours == H(hours=9)
        assert p.days_per_week == 3
        assert p.sessions_per_week == 3

    def test_windmill_sessions_with_a_break_hold_8_25_hours_a_week(self) -> None:
        """Built from segments with a 15-minute break, the same program is 2.75 h a session."""
        parts = [
            seg(cc.Service.CHECK_IN, minutes=30),
            seg(cc.Service.PROCESS_GROUP, hours=1, minutes=15),
            seg(cc.Service.BREAK, minutes=15),
            seg(cc.Service.PSYCHOEDUCATION, hours=1),
        ]
        p = program([cc.Session(d, time(18), parts) for d in (MON, WED, FRI)])
        assert p.weekly_hours == H(hours=8.25)
        assert p.total_sessions == 24
        assert p.total_hours == H(hours=66)

    def test_sessions_are_kept_in_week_order(self) -> None:
        """Sessions given out of order are listed Monday first."""
        p = program([session(FRI), session(MON), session(WED)])
        assert [s.weekday for s in p.sessions] == [MON, WED, FRI]
        assert p == program([session(MON), session(WED), session(FRI)])

    def test_fortnightly_sessions_count_pro_rata(self) -> None:
        """Weekly 3x3h plus a 1-hour family session every 2 weeks is 9.5 hours a week."""
        family = cc.Session(SAT, time(10), [seg(cc.Service.FAMILY_THERAPY, hours=1)], every_weeks=2)
        p = program([session(MON), session(WED), session(FRI), family], weeks=8)
        assert p.weekly_hours == H(hours=9.5)
        assert p.sessions_per_week == 3.5
        assert p.days_per_week == 3.5
        assert p.total_sessions == 24 + 4
        assert p.total_hours == H(hours=76)
        assert p.cycle_weeks == 2
        assert len(p.sessions_in_week(0)) == 4 and len(p.sessions_in_week(1)) == 3

    def test_an_appointment_day_is_a_service_day_not_a_program_day(self) -> None:
        """Groups Monday, Wednesday, Friday and an individual hour on Tuesday marked as a
        separate appointment: 3 program days (what "3 days a week" rules count), 4 days with a
        session; marked as a program day, Tuesday counts in both."""
        hour = cc.Session(
            TUE, time(10), [seg(cc.Service.INDIVIDUAL_THERAPY, hours=1)], program_day=False
        )
        p = program([session(MON), session(WED), session(FRI), hour])
        assert (p.days_per_week, p.service_days_per_week) == (3, 4)
        as_program_day = program([session(MON), session(WED), session(FRI), session(TUE)])
        assert (as_program_day.days_per_week, as_program_day.service_days_per_week) == (4, 4)

    def test_two_sessions_on_one_day_count_one_day(self) -> None:
        """A morning and an afternoon session make one program day."""
        p = program([session(MON, time(9), 2), session(MON, time(13), 2), session(TUE)])
        assert p.days_per_week == 2
        assert p.sessions_per_week == 3
        assert p.weekly_hours == H(hours=7)

    def test_week_ranges_give_spans(self) -> None:
        """A 6-12 week program totals 18-36 sessions of 3 hours."""
        p = program([session(MON), session(WED), session(FRI)], weeks=(6, 12))
        assert p.weeks == cc.Span(6, 12)
        assert (p.min_weeks, p.max_weeks) == (6, 12)
        assert p.total_sessions == cc.Span(18, 36)
        assert p.total_hours == cc.Span(H(hours=54), H(hours=108))

    def test_services_of_the_whole_program(self) -> None:
        """The program's services are those of its sessions, each once."""
        family = cc.Session(SAT, time(10), [seg(cc.Service.FAMILY_THERAPY, hours=1)])
        p = program([session(MON), family])
        assert p.services == (cc.Service.GROUP_THERAPY, cc.Service.FAMILY_THERAPY)

    # ---- schedule conflicts ---------------------------------------------------------------

    def test_duplicate_sessions_at_the_same_time_are_refused(self) -> None:
        """Two sessions starting Monday 09:00 are a duplicate."""
        with pytest.raises(cc.ScheduleConflictError) as info:
            program([session(MON), session(MON)])
        assert str(info.value) == (
            "'sessions[1]' (Monday 09:00-12:00) starts at the same time as "
            "'sessions[0]' (Monday 09:00-12:00)"
        )
        assert (info.value.field, info.value.other_field) == ("sessions[1]", "sessions[0]")

    def test_overlapping_sessions_on_one_day_are_refused(self) -> None:
        """09:00-12:00 and 11:00-12:00 overlap."""
        with pytest.raises(cc.ScheduleConflictError) as info:
            program([session(MON, time(9), 3), session(MON, time(11), 1)])
        assert "overlaps" in str(info.value)

    def test_conflicts_name_the_callers_positions(self) -> None:
        """Sessions given out of order are named by where the caller put them."""
        with pytest.raises(cc.ScheduleConflictError) as info:
            program([session(FRI), session(MON, time(18), 3), session(MON, time(20), 1)])
        assert (info.value.field, info.value.other_field) == ("sessions[2]", "sessions[1]")
        assert info.value.value == session(MON, time(20), 1)

    def test_back_to_back_sessions_are_fine(self) -> None:
        """09:00-12:00 then 12:00-13:00 touch but do not overlap."""
        p = program([session(MON, time(9), 3), session(MON, time(12), 1)])
        assert p.sessions_per_week == 2

    def test_overnight_session_overlapping_the_next_morning_is_refused(self) -> None:
        """Sunday 22:00-06:00 clashes with Monday 05:00, across the week's end."""
        night = session(SUN, time(22), 8, overnight=True)
        with pytest.raises(cc.ScheduleConflictError):
            program([session(MON, time(5), 2), night])

    def test_alternating_fortnightly_sessions_in_one_slot_are_fine(self) -> None:
        """Every 2 weeks at offsets 0 and 1 never meet, so one slot can hold both."""
        a = session(SAT, every_weeks=2, week_offset=0)
        b = session(SAT, every_weeks=2, week_offset=1)
        p = program([a, b])
        assert p.sessions_per_week == 1
        assert p.days_per_week == 1

    def test_fortnightly_and_weekly_in_one_slot_clash(self) -> None:
        """A weekly session meets a fortnightly one in the same slot every other week."""
        with pytest.raises(cc.ScheduleConflictError):
            program([session(SAT), session(SAT, every_weeks=2, week_offset=1)])

    def test_every_2_and_every_3_weeks_meet_eventually(self) -> None:
        """Cycles of 2 and 3 weeks coincide in some week, whatever their offsets."""
        with pytest.raises(cc.ScheduleConflictError):
            program([session(SAT, every_weeks=2, week_offset=1), session(SAT, every_weeks=3)])

    # ---- the program week: counted from the first day, which may be any weekday ------------

    def test_fortnightly_sessions_meeting_across_midnight_are_refused(self) -> None:
        """The issue's example: fortnightly Sunday 23:00 (2 hours) and Monday 00:30 fall in
        one program week unless the program starts on a Monday, and overlap there; the
        program is refused (it used to pass, and expand then blamed a clock change)."""
        sunday = session(SUN, time(23), 2, every_weeks=2, overnight=True)
        monday = session(MON, time(0, 30), 1, every_weeks=2)
        with pytest.raises(cc.ScheduleConflictError) as info:
            program([sunday, monday])
        assert "starts on a Tuesday" in str(info.value)
        assert {info.value.field, info.value.other_field} == {"sessions[0]", "sessions[1]"}

    def test_alternate_weeks_across_midnight_clash_for_some_start_day(self) -> None:
        """Tuesday 23:00 (2 hours) in week 0 and Wednesday 00:30 in week 1 of a fortnight:
        from a Wednesday start, the Tuesday is the last day of week 0 and the Wednesday the
        first of week 1, so they overlap."""
        tuesday = session(TUE, time(23), 2, every_weeks=2, overnight=True)
        wednesday = session(WED, time(0, 30), 1, every_weeks=2, week_offset=1)
        with pytest.raises(cc.ScheduleConflictError, match="starts on a Wednesday"):
            program([tuesday, wednesday])

    def test_alternate_weeks_that_never_meet_pass_and_expand_from_every_weekday(self) -> None:
        """Sunday 23:00 (2 hours) and Monday 09:00, fortnightly in alternate weeks, never
        overlap: the program is accepted and expands from any day without a conflict."""
        p = program([session(SUN, time(23), 2, every_weeks=2, overnight=True),
                     session(MON, time(9), 3, every_weeks=2, week_offset=1)], weeks=6)  # fmt: skip
        for offset in range(7):
            first = pendulum.date(2026, 1, 5).add(days=offset)  # Monday to Sunday
            calendar = cc.expand(p, first, "UTC")
            assert len(calendar) == p.total_sessions

    def test_weekly_sessions_across_midnight_are_judged_the_same_whatever_the_start(
        self,
    ) -> None:
        """Weekly sessions meet every week: Sunday 23:00 (2 hours) clashes with Monday 00:30
        whatever the start day, and the message names none."""
        with pytest.raises(cc.ScheduleConflictError) as info:
            program([session(SUN, time(23), 2, overnight=True), session(MON, time(0, 30), 1)])
        assert "starts on a" not in str(info.value)

    # ---- malformed programs -----------------------------------------------------------------

    @pytest.mark.parametrize(
        ("weeks", "error"),
        [
            (0, cc.InvalidValueError),
            (-3, cc.InvalidValueError),
            (True, cc.InvalidTypeError),
            (8.0, cc.InvalidTypeError),
            (math.nan, cc.InvalidTypeError),
            ((12, 6), cc.InvalidValueError),
            ((0, 6), cc.InvalidValueError),
            ((6, 12.5), cc.InvalidTypeError),
            ((6,), cc.InvalidTypeError),
            ("8", cc.InvalidTypeError),
        ],
    )
    def test_malformed_lengths_are_refused(self, weeks: object, error: type[Exception]) -> None:
        """Lengths must be whole weeks >= 1, and a range's minimum no more than its maximum."""
        with pytest.raises(error) as info:
            program([session()], weeks=weeks)
        assert info.value.field == "weeks"  # type: ignore[attr-defined]

    def test_span_with_min_above_max_is_refused(self) -> None:
        """Span itself refuses an inverted range."""
        with pytest.raises(cc.InvalidValueError):
            cc.Span(12, 6)

    @pytest.mark.parametrize(
        ("position", "value", "field"),
        [
            (0, "IOP", "level"),
            (1, "adults", "population"),
            (2, None, "track"),
            (3, [], "sessions"),
            (3, "mon", "sessions"),
            (3, [session(), "x"], "sessions[1]"),
        ],
    )
    def test_malformed_fields_are_refused(self, position: int, value: object, field: str) -> None:
        """Each positional field is checked and named."""
        args: list[object] = [
            GENERIC["IOP"],
            cc.Population.ADULT,
            cc.Track.SUBSTANCE_USE,
            [session()],
            8,
        ]
        args[position] = value
        with pytest.raises(cc.CareContinuumError) as info:
            cc.ProgramStructure(*args)  # type: ignore[arg-type]
        assert info.value.field == field  # type: ignore[attr-defined]

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"delivery_mode": "video"}, "delivery_mode"),
            ({"modalities": ["C.B.T."]}, "modalities[0]"),
            ({"modalities": [cc.Modality.CBT, cc.Modality.CBT]}, "modalities"),
            ({"modalities": (cc.Modality.MI, cc.Modality.CBT, cc.Modality.MI)}, "modalities"),
            ({"modalities": (cc.Modality.MI, "mi")}, "modalities"),
            ({"modalities": (cc.Modality.MI, "C.B.T.")}, "modalities[1]"),
            ({"modalities": (cc.Modality.MI, ["cbt"])}, "modalities[1]"),
            ({"modalities": (cc.Modality.MI, _HashFails())}, "modalities[1]"),
            ({"modalities": (cc.Modality.MI, cc.Population.ADULT)}, "modalities[1]"),
            ({"name": 5}, "name"),
        ],
    )
    def test_malformed_keywords_are_refused(self, kwargs: dict[str, object], field: str) -> None:
        """Keyword fields are checked and named too."""
        with pytest.raises(cc.CareContinuumError) as info:
            program([session()], **kwargs)
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_programs_pickle_copy_and_stay_frozen(self) -> None:
        """Programs are immutable values that survive pickling and deep copies."""
        p = program([session(MON), session(WED)], weeks=(6, 12))
        assert pickle.loads(pickle.dumps(p)) == p
        assert copy.deepcopy(p) == p
        assert hash(p) == hash(copy.deepcopy(p))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            p.weeks = 3  # type: ignore[misc]
        clone = pickle.loads(pickle.dumps(p))
        assert clone.weekly_hours == p.weekly_hours


def refused_fast(
    build: Callable[[], object], error: type[cc.CareContinuumError] = cc.InvalidValueError
) -> cc.CareContinuumError:
    """The error `build` raises, checked to come well under a second."""
    with cpu_time() as spent, pytest.raises(error) as info:
        build()
    assert spent.seconds < 1.0
    assert len(str(info.value)) < 500
    return info.value


def ten_minutes(k: int, **kw: object) -> cc.Session:
    """The k-th of the week's ten-minute slots (Monday 00:00, 00:10, ...)."""
    day, slot = divmod(k, 144)
    return cc.Session(WeekDay(day), time(slot // 6, slot % 6 * 10), [seg(minutes=10)], **kw)  # type: ignore[arg-type]


class TestBounds:
    """What a program may say is bounded, so its figures and rules cost what its sessions
    cost, never what the numbers in them say (issue 13)."""

    def test_the_issue_example_every_999983_and_999979_weeks_is_refused_at_once(self) -> None:
        """Sessions every 999,983 and 999,979 weeks (a cycle of 10**12 weeks, which made
        days_per_week, validate and the HTML run for minutes) are refused, naming every_weeks."""
        for every in (999_983, 999_979):
            error = refused_fast(lambda every=every: session(SAT, every_weeks=every))
            assert isinstance(error, cc.InvalidValueError)
            assert error.field == "every_weeks" and error.value == every
            assert "at most 52" in str(error)

    def test_every_weeks_at_the_cap_works_and_just_over_is_refused(self) -> None:
        """A session held once a year (every 52 weeks) is fine; every 53 weeks is refused."""
        yearly = session(SAT, every_weeks=_MAX_CYCLE_WEEKS, week_offset=_MAX_CYCLE_WEEKS - 1)
        p = program([session(MON), yearly], weeks=_MAX_CYCLE_WEEKS)
        assert p.cycle_weeks == _MAX_CYCLE_WEEKS and len(weeks_of(p)) == _MAX_CYCLE_WEEKS
        assert p.days_per_week == 1 + 1 / _MAX_CYCLE_WEEKS
        error = refused_fast(lambda: session(SAT, every_weeks=_MAX_CYCLE_WEEKS + 1))
        assert isinstance(error, cc.InvalidValueError) and error.field == "every_weeks"

    def test_a_cycle_over_the_cap_is_refused_naming_the_session_that_makes_it(self) -> None:
        """Every 51 and every 52 weeks repeat only after 2,652 weeks: refused however long the
        program, naming the second session's every_weeks; every 4 and 13 (52) is fine."""
        a = session(SAT, every_weeks=51)
        b = session(SUN, every_weeks=52)
        error = refused_fast(lambda: program([a, b], weeks=(1, _MAX_WEEKS)))
        assert isinstance(error, cc.InvalidValueError)
        assert error.field == "sessions[1].every_weeks" and error.value == 52
        assert "52 weeks (the longest cycle" in str(error) and "2652 weeks" in str(error)
        p = program([session(SAT, every_weeks=4), session(SUN, every_weeks=13)], weeks=52)
        assert p.cycle_weeks == 52
        assert p.days_per_week == pytest.approx(1 / 4 + 1 / 13)

    def test_a_cycle_longer_than_the_program_is_refused(self) -> None:
        """Every 2 and 3 weeks repeat after 6 weeks: a program of 6 weeks (or up to 6) holds
        that; one of at most 5 weeks does not, and the message says so."""
        fortnightly = session(SAT, every_weeks=2)
        three_weekly = session(SUN, every_weeks=3)
        assert program([fortnightly, three_weekly], weeks=6).cycle_weeks == 6
        assert program([fortnightly, three_weekly], weeks=(2, 6)).cycle_weeks == 6
        for weeks in (5, (2, 5)):
            error = refused_fast(lambda weeks=weeks: program([three_weekly, fortnightly], weeks))
            assert isinstance(error, cc.InvalidValueError)
            assert error.field == "sessions[1].every_weeks"
            assert "the program's weeks (5)" in str(error)
        error = refused_fast(lambda: program([session(SAT, every_weeks=2)], weeks=1))
        assert error.field == "sessions[0].every_weeks"  # type: ignore[attr-defined]

    def test_every_path_that_builds_a_program_checks_the_cycle(self) -> None:
        """The constructor, attrs.evolve (of a weekly() program) and from_dict refuse the same
        cycle, naming the same field."""
        weekly = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["sat"], hours_per_session=3,
                                            weeks=4)  # fmt: skip
        both = [session(SAT, every_weeks=2), session(SUN, every_weeks=3)]
        data = cc.to_dict(program(both, weeks=6))
        data["weeks"] = 4
        builds: list[Callable[[], object]] = [
            lambda: program(both, weeks=4),
            lambda: attrs.evolve(weekly, sessions=tuple(both)),
            lambda: attrs.evolve(program(both, weeks=6), weeks=4),
        ]
        for build in builds:
            error = refused_fast(build)
            assert error.field == "sessions[1].every_weeks"  # type: ignore[attr-defined]
        problem = refused_fast(lambda: cc.from_dict(cc.ProgramStructure, data), cc.DataError)
        assert problem.problems[0].startswith("sessions[1].every_weeks: expected a period")  # type: ignore[attr-defined]
        data["sessions"][0]["every_weeks"] = 999_983
        problem = refused_fast(lambda: cc.from_dict(cc.ProgramStructure, data), cc.DataError)
        assert problem.problems[0].startswith("sessions[0].every_weeks: expected at most 52")  # type: ignore[attr-defined]

    def test_sessions_at_the_cap_work_and_one_more_is_refused(self) -> None:
        """A week of 1,000 sessions (weekly, or fortnightly in turn, which takes the general
        overlap check) is built well under a second; 1,001 are refused at once."""
        for kw in ({}, {"every_weeks": 2}):
            sessions = [ten_minutes(k, **kw) for k in range(_MAX_SESSIONS + 1)]
            with cpu_time() as spent:
                p = program(sessions[:_MAX_SESSIONS])
            assert spent.seconds < 1.0
            assert len(p.sessions) == _MAX_SESSIONS
            error = refused_fast(lambda sessions=sessions: program(sessions))
            assert error.field == "sessions" and "at most 1,000 sessions" in str(error)  # type: ignore[attr-defined]

    def test_days_per_week_over_a_long_cycle_is_the_average_of_its_weeks(self) -> None:
        """Over a 52-week cycle (every 4 and 13 weeks, some on one day, one an appointment),
        days_per_week and service_days_per_week are the averages of the weeks one by one."""
        sessions = [
            session(MON, every_weeks=4, week_offset=1),
            session(MON, time(14), every_weeks=13, week_offset=5),
            session(TUE, every_weeks=13),
            session(WED, every_weeks=4, week_offset=3, program_day=False),
            session(FRI),
        ]
        p = program(sessions, weeks=60)
        weeks = [p.sessions_in_week(w) for w in range(52)]
        program_days = sum(len({s.weekday for s in held if s.program_day}) for held in weeks)
        service_days = sum(len({s.weekday for s in held}) for held in weeks)
        assert p.days_per_week == program_days / 52
        assert p.service_days_per_week == service_days / 52


class TestWeekly:
    def test_a_remembered_session_never_stands_for_a_value_of_another_type(self) -> None:
        """weekly() remembers the session it checked for (hours, start, overnight); 1 == True
        and 3 == 3.0 in Python, but a bool is never taken for a number or a flag."""
        ok = cc.ProgramStructure.weekly(GENERIC["OP"], days="mon", hours_per_session=1, weeks=4)
        with pytest.raises(cc.InvalidTypeError) as info:
            cc.ProgramStructure.weekly(GENERIC["OP"], days="mon", hours_per_session=True, weeks=4)
        assert info.value.field == "hours_per_session"
        late = cc.ProgramStructure.weekly(
            GENERIC["OP"], days="mon", hours_per_session=3, start="22:00", weeks=4, overnight=True
        )
        assert late.sessions[0].overnight is True
        with pytest.raises(cc.InvalidTypeError) as info:
            cc.ProgramStructure.weekly(
                GENERIC["OP"], days="mon", hours_per_session=3, start="22:00", weeks=4,
                overnight=1,  # type: ignore[arg-type]
            )  # fmt: skip
        assert info.value.field == "overnight"
        again = cc.ProgramStructure.weekly(
            GENERIC["OP"], days=["mon"], hours_per_session=1.0, weeks=4
        )
        assert again == ok

    def test_the_memory_of_sessions_is_bounded(self) -> None:
        from carecontinuum import _program  # noqa: PLC0415

        for seconds in range(60, 60 + 2 * _program._WEEKLY_SESSIONS_MAX + 2):
            cc.ProgramStructure.weekly(
                GENERIC["OP"], days="tue", hours_per_session=timedelta(seconds=seconds), weeks=1
            )
            assert len(_program._WEEKLY_SESSIONS) <= _program._WEEKLY_SESSIONS_MAX

    @given(
        days=st.lists(st.sampled_from(list(WeekDay)), min_size=1, max_size=7, unique=True),
        minutes=st.integers(min_value=1, max_value=24 * 60),
        start=st.integers(min_value=0, max_value=24 * 60 - 1),
    )
    def test_weekly_sessions_are_the_sessions_built_one_by_one(
        self, days: list[WeekDay], minutes: int, start: int
    ) -> None:
        """`weekly` checks its session once and repeats it on the other days: each repeat is
        the session `Session(...)` builds for that day, precomputed figures included."""
        at = time(start // 60, start % 60)
        overnight = start + minutes > 24 * 60
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=days, hours_per_session=timedelta(minutes=minutes),
            start=at, weeks=4, overnight=overnight,
        )  # fmt: skip
        for session in program.sessions:
            built = cc.Session(session.weekday, at, session.segments, overnight=overnight)
            assert session == built
            assert hash(session) == hash(built)
            assert (session._start_us, session._length_us, session._clinical_us) == (
                built._start_us, built._length_us, built._clinical_us,
            )  # fmt: skip
            assert str(session) == str(built)

    def test_days_accept_weekday_values_and_names(self) -> None:
        """'mon', 'Wednesday' and WeekDay.FRIDAY all name days."""
        p = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "Wednesday", FRI], hours_per_session=3, weeks=8
        )
        assert [s.weekday for s in p.sessions] == [MON, WED, FRI]

    def test_a_single_day_may_be_given_alone(self) -> None:
        """days='tue' is one day, not three letters."""
        p = cc.ProgramStructure.weekly(GENERIC["OP"], days="tue", hours_per_session=1, weeks=4)
        assert [s.weekday for s in p.sessions] == [TUE]

    def test_hours_accept_numbers_and_durations(self) -> None:
        """2.5 and a 2h30m duration give the same program."""
        a = cc.ProgramStructure.weekly(GENERIC["IOP"], days="mon", hours_per_session=2.5, weeks=1)
        b = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days="mon", hours_per_session=H(hours=2, minutes=30), weeks=1
        )
        assert a == b

    def test_defaults_adult_substance_use_at_nine(self) -> None:
        """The documented defaults."""
        p = cc.ProgramStructure.weekly(GENERIC["IOP"], days="mon", hours_per_session=3, weeks=1)
        assert p.population is cc.Population.ADULT
        assert p.track is cc.Track.SUBSTANCE_USE
        assert p.sessions[0].start == time(9)
        assert p.sessions[0].services == (cc.Service.GROUP_THERAPY,)

    def test_start_accepts_a_string_or_a_time(self) -> None:
        """'18:00' and time(18) are the same start."""
        for start in ("18:00", time(18), pendulum.time(18)):
            p = cc.ProgramStructure.weekly(
                GENERIC["IOP"], days="mon", hours_per_session=3, weeks=1, start=start
            )
            assert p.sessions[0].start == time(18)

    def test_services_share_the_session(self) -> None:
        """Segments are kept; bare services share what is left equally."""
        p = cc.ProgramStructure.weekly(
            GENERIC["IOP"],
            days="mon",
            hours_per_session=3,
            weeks=1,
            services=[
                seg(cc.Service.CHECK_IN, minutes=30),
                cc.Service.PROCESS_GROUP,
                seg(cc.Service.BREAK, minutes=30),
                cc.Service.PSYCHOEDUCATION,
            ],
        )
        durations = [s.duration for s in p.sessions[0].segments]
        assert durations == [H(minutes=30), H(hours=1), H(minutes=30), H(hours=1)]
        assert p.weekly_hours == H(hours=2.5)

    def test_uneven_shares_still_sum_exactly(self) -> None:
        """Three services in 1 hour share it without losing a microsecond."""
        p = cc.ProgramStructure.weekly(
            GENERIC["OP"],
            days="mon",
            hours_per_session=1,
            weeks=1,
            services=[cc.Service.CHECK_IN, cc.Service.GROUP_THERAPY, cc.Service.PEER_SUPPORT],
        )
        assert p.sessions[0].duration == H(hours=1)

    @pytest.mark.parametrize(
        ("kwargs", "field", "error"),
        [
            ({"hours_per_session": True}, "hours_per_session", cc.InvalidTypeError),
            ({"hours_per_session": math.nan}, "hours_per_session", cc.InvalidValueError),
            ({"hours_per_session": math.inf}, "hours_per_session", cc.InvalidValueError),
            ({"hours_per_session": -3}, "hours_per_session", cc.InvalidValueError),
            ({"hours_per_session": 0}, "hours_per_session", cc.InvalidValueError),
            ({"hours_per_session": "3"}, "hours_per_session", cc.InvalidTypeError),
            ({"hours_per_session": H(hours=-1)}, "hours_per_session", cc.InvalidValueError),
            ({"days": []}, "days", cc.InvalidValueError),
            ({"days": ["mon", "Monday"]}, "days", cc.InvalidValueError),
            ({"days": ["funday"]}, "days[0]", cc.InvalidValueError),
            ({"days": [0]}, "days[0]", cc.InvalidTypeError),
            ({"days": 3}, "days", cc.InvalidTypeError),
            ({"start": "25:00"}, "start", cc.InvalidValueError),
            ({"start": "6pm"}, "start", cc.InvalidValueError),
            ({"start": 18}, "start", cc.InvalidTypeError),
            ({"start": "23:00"}, "overnight", cc.InvalidValueError),
            ({"services": []}, "services", cc.InvalidValueError),
            ({"services": ["group"]}, "services[0]", cc.InvalidValueError),
            ({"services": [3]}, "services[0]", cc.InvalidTypeError),
            ({"services": [seg(hours=4)]}, "services", cc.InvalidValueError),
            ({"services": [seg(hours=1)]}, "services", cc.InvalidValueError),
            ({"services": [seg(hours=3), cc.Service.CHECK_IN]}, "services", cc.InvalidValueError),
            ({"weeks": (12, 6)}, "weeks", cc.InvalidValueError),
        ],
    )
    def test_malformed_arguments_raise_naming_the_field(
        self, kwargs: dict[str, object], field: str, error: type[Exception]
    ) -> None:
        """weekly() checks each argument and names it."""
        arguments: dict[str, object] = {"days": ["mon"], "hours_per_session": 3, "weeks": 8}
        arguments.update(kwargs)
        with pytest.raises(error) as info:
            cc.ProgramStructure.weekly(GENERIC["IOP"], **arguments)  # type: ignore[arg-type]
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_overnight_sessions_can_be_declared(self) -> None:
        """A night session that says so is accepted and ends the next morning."""
        p = cc.ProgramStructure.weekly(
            GENERIC["RESIDENTIAL"],
            days="fri",
            hours_per_session=3,
            weeks=1,
            start="23:00",
            overnight=True,
        )
        assert p.sessions[0].end == time(2)


# ---- properties -----------------------------------------------------------------------------


def _microseconds(d: timedelta) -> int:
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


@given(programs())
def test_derived_figures_agree_with_a_brute_force_sum(p: cc.ProgramStructure) -> None:
    """weekly_hours, sessions/days per week and totals equal sums over the weeks one by one."""
    cycle = p.cycle_weeks
    week_hours = [
        sum((s.clinical_duration for s in p.sessions_in_week(w)), start=timedelta())
        for w in range(cycle)
    ]
    average_us = Fraction(sum(_microseconds(h) for h in week_hours), cycle)
    assert abs(_microseconds(p.weekly_hours) - average_us) <= Fraction(1, 2)
    assert p.sessions_per_week == pytest.approx(
        sum(len(p.sessions_in_week(w)) for w in range(cycle)) / cycle
    )
    assert p.days_per_week == pytest.approx(
        sum(len({s.weekday for s in p.sessions_in_week(w) if s.program_day}) for w in range(cycle))
        / cycle
    )
    assert p.service_days_per_week == pytest.approx(
        sum(len({s.weekday for s in p.sessions_in_week(w)}) for w in range(cycle)) / cycle
    )
    # The rules count program days as the program does (WeekFigures.days: "3 days a week").
    figures = weeks_of(p)
    assert p.days_per_week == pytest.approx(sum(w.days for w in figures) / len(figures))
    for weeks in {p.min_weeks, p.max_weeks}:
        assert p.sessions_over(weeks) == sum(len(p.sessions_in_week(w)) for w in range(weeks))
        assert p.hours_over(weeks) == sum(
            (s.clinical_duration for w in range(weeks) for s in p.sessions_in_week(w)),
            start=timedelta(),
        )
    if isinstance(p.weeks, int):
        assert p.total_sessions == p.sessions_over(p.weeks)
    else:
        assert p.total_sessions == cc.Span(
            p.sessions_over(p.min_weeks), p.sessions_over(p.max_weeks)
        )


@given(programs())
def test_no_two_sessions_of_a_valid_program_overlap(p: cc.ProgramStructure) -> None:
    """In every week of the cycle, the sessions held are disjoint and in order."""
    for week in range(p.cycle_weeks):
        held = p.sessions_in_week(week)
        spans = [
            (s.weekday * 1440 + s.start.hour * 60 + s.start.minute, s.duration.in_minutes())
            for s in held
        ]
        for (a_start, a_length), (b_start, _) in itertools.pairwise(spans):
            assert a_start + a_length <= b_start


@given(programs())
def test_evolve_rebuilds_and_revalidates(p: cc.ProgramStructure) -> None:
    """attrs.evolve makes a new, checked value from a program, a session and a level."""
    session = p.sessions[0]
    later = attrs.evolve(session, name="moved")
    assert later.name == "moved" and later.clinical_duration == session.clinical_duration
    assert attrs.evolve(p, sessions=(session,)).sessions == (session,)
    with pytest.raises(cc.InvalidValueError):
        attrs.evolve(p, weeks=0)


@given(programs())
def test_programs_are_values(p: cc.ProgramStructure) -> None:
    """A program rebuilt from its own fields, pickled or copied equals the original."""
    fields = attrs.asdict(p, recurse=False)
    rebuilt = cc.ProgramStructure(
        fields.pop("level"),
        fields.pop("population"),
        fields.pop("track"),
        fields.pop("sessions"),
        fields.pop("weeks"),
        **fields,
    )
    assert rebuilt == p and hash(rebuilt) == hash(p)
    assert pickle.loads(pickle.dumps(p)) == p


@given(programs())
def test_a_program_keeps_its_weeks_and_only_its_fields(p: cc.ProgramStructure) -> None:
    """The weeks the rule engine reads are made once and kept by the program; they are not a
    field: not pickled, compared or shown, and a copy or an unpickled program makes equal
    weeks of its own."""
    first = weeks_of(p)
    assert weeks_of(p) is first
    assert "_derived" not in repr(p) and "_derived" not in attrs.asdict(p, recurse=False)
    for other in (pickle.loads(pickle.dumps(p)), copy.copy(p), copy.deepcopy(p)):
        assert other == p and weeks_of(other) == first
    fresh = attrs.evolve(p)
    assert weeks_of(fresh) == first and weeks_of(fresh) is not first


@given(programs())
def test_a_program_s_weeks_are_the_weeks_the_public_constructor_builds(
    p: cc.ProgramStructure,
) -> None:
    """The weeks the engine builds slot by slot are the weeks `WeekFigures` builds from the same
    label, path and entries (each field, clinical time included), a week's weekday is its
    session's, and a week keeps its count of program days: it is not a field, and a pickled
    week counts it again."""
    for week in weeks_of(p):
        rebuilt = cc.WeekFigures(week.label, week.path, week._entries)
        assert attrs.astuple(rebuilt, recurse=False) == attrs.astuple(week, recurse=False)
        assert all(day == session.weekday.value for day, _, _, session in week._entries)
        days = len({day for day, _, _, session in week._entries if session.program_day})
        assert week.days == days and week.days == days  # counted, then kept
        assert pickle.loads(pickle.dumps(week)).days == days
        assert "_derived" not in attrs.asdict(week, recurse=False)


_PROGRAM_FIELDS = ("level", "population", "track", "sessions", "weeks")


@given(
    st.sampled_from([*_PROGRAM_FIELDS, "delivery_mode", "modalities", "name"]),
    garbage,
)
def test_malformed_program_input_raises_only_library_errors(field: str, value: object) -> None:
    """Any junk in any field either builds a valid program or raises CareContinuumError."""
    args: dict[str, object] = {
        "level": GENERIC["IOP"],
        "population": cc.Population.ADULT,
        "track": cc.Track.SUBSTANCE_USE,
        "sessions": [session()],
        "weeks": 8,
    }
    args[field] = value
    positional = [args.pop(name) for name in _PROGRAM_FIELDS]
    try:
        cc.ProgramStructure(*positional, **args)  # type: ignore[arg-type]
    except cc.CareContinuumError as error:
        assert error.args and str(error)
        assert field in str(error)


@given(
    st.sampled_from(["days", "hours_per_session", "weeks", "start", "services", "name"]),
    garbage,
)
def test_malformed_weekly_input_raises_only_library_errors(field: str, value: object) -> None:
    """weekly() turns any junk into a CareContinuumError (or a valid program), never a crash."""
    args: dict[str, object] = {"days": ["mon"], "hours_per_session": 3, "weeks": 8}
    args[field] = value
    try:
        cc.ProgramStructure.weekly(GENERIC["IOP"], **args)  # type: ignore[arg-type]
    except cc.CareContinuumError as error:
        assert str(error)


@given(
    st.sampled_from(["weekday", "start", "segments", "every_weeks", "week_offset",
                     "delivery_mode", "overnight", "name"]),
    garbage,
)  # fmt: skip
def test_malformed_session_input_raises_only_library_errors(field: str, value: object) -> None:
    """Session() turns any junk into a CareContinuumError naming the field, never a crash."""
    args: dict[str, object] = {"weekday": MON, "start": time(9), "segments": [seg(hours=1)]}
    args[field] = value
    try:
        cc.Session(**args)  # type: ignore[arg-type]
    except cc.CareContinuumError as error:
        assert getattr(error, "field", "").split("[")[0] in (field, "overnight", "week_offset")


# ---- issue 13: numbers and texts at the edges --------------------------------------------------


class TestNumbersAtTheEdges:
    def test_a_start_with_a_superscript_digit_is_refused_naming_start(self) -> None:
        """Issue 13: start="1²:00" raised a bare ValueError (str.isdigit() takes '²')."""
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.ProgramStructure.weekly(GENERIC["IOP"], days="mon", hours_per_session=3, weeks=8,
                                       start="1²:00")  # fmt: skip
        assert caught.value.field == "start"

    def test_hours_per_session_of_10_to_the_400_is_refused_naming_it(self) -> None:
        """Issue 13: hours_per_session=10**400 raised OverflowError."""
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.ProgramStructure.weekly(GENERIC["IOP"], days="mon", hours_per_session=10**400,
                                       weeks=8)  # fmt: skip
        assert caught.value.field == "hours_per_session"

    def test_a_segment_of_timedelta_max_is_refused_naming_duration(self) -> None:
        """Issue 13: Segment(..., timedelta.max) raised OverflowError."""
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.Segment(cc.Service.GROUP_THERAPY, timedelta.max)
        assert caught.value.field == "duration"

    def test_a_segment_lasts_at_most_a_session_of_24_hours(self) -> None:
        """24 hours is a session's most: a segment of 24 hours is taken, one microsecond more
        is refused."""
        day = timedelta(hours=24)
        assert cc.Segment(cc.Service.GROUP_THERAPY, day).duration == day
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.Segment(cc.Service.GROUP_THERAPY, day + timedelta(microseconds=1))
        assert caught.value.expected == "a duration of at most 24 hours, a session's most"

    def test_a_program_runs_at_most_the_weeks_of_the_calendar(self) -> None:
        """_MAX_WEEKS (521,722): the whole weeks of the dates Python holds. At it, the program
        and its figures work; one more week, or 10**400, is refused naming weeks."""
        program = cc.ProgramStructure.weekly(GENERIC["IOP"], days="mon", hours_per_session=3,
                                             weeks=521_722)  # fmt: skip
        assert program.total_sessions == 521_722
        assert program.total_hours == pendulum.duration(hours=3 * 521_722)
        ranged = cc.ProgramStructure.weekly(GENERIC["IOP"], days="mon", hours_per_session=3,
                                            weeks=(1, 521_722))  # fmt: skip
        assert ranged.total_sessions == cc.Span(1, 521_722)
        for weeks in (521_723, (1, 521_723), cc.Span(1, 521_723), 10**400):
            with pytest.raises(cc.InvalidValueError) as caught:
                cc.ProgramStructure.weekly(GENERIC["IOP"], days="mon", hours_per_session=3,
                                           weeks=weeks)  # type: ignore[arg-type]  # fmt: skip
            assert caught.value.field == "weeks"

    @pytest.mark.parametrize("number", [10**400, 2**53, -(2**53)])
    def test_week_counts_past_the_cap_are_refused(self, number: int) -> None:
        program = cc.ProgramStructure.weekly(GENERIC["IOP"], days="mon", hours_per_session=3,
                                             weeks=8)  # fmt: skip
        for method in (program.sessions_over, program.hours_over, program.sessions_in_week):
            with pytest.raises(cc.InvalidValueError):
                method(number)

    @pytest.mark.parametrize("every", [10**400, 2**53])
    def test_every_weeks_past_the_cap_is_refused(self, every: int) -> None:
        three_hours = cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(hours=3))
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.Session(WeekDay.MONDAY, pendulum.time(9), [three_hours], every_weeks=every)
        assert caught.value.field == "every_weeks"

    @pytest.mark.parametrize("end", [math.inf, 10**400, 2**53])
    def test_a_span_holds_numbers_plain_data_can_hold(self, end: float) -> None:
        """A span's ends are finite and within the cap, so to_dict can write every span."""
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.Span(0, end)
        assert caught.value.field == "maximum"


def test_a_session_makes_its_clinical_duration_once() -> None:
    """The clinical duration is one immutable value, made on first read; copies and
    unpickled sessions make an equal one."""
    s = session()
    first = s.clinical_duration
    assert s.clinical_duration is first and first == timedelta(hours=3)
    for other in (pickle.loads(pickle.dumps(s)), copy.copy(s)):
        assert other == s and other.clinical_duration == first
    assert "_derived" not in attrs.asdict(s, recurse=False)


def test_members_hash_by_identity_and_still_key_by_value() -> None:
    """Every public enumeration of the library hashes its members as `object` does (in C,
    not `Enum.__hash__` by name in Python: the engine keys dicts by members on every check),
    so a member finds itself in a dict or set and nothing else does."""
    public = [getattr(module, name) for module in (cc, rulesets) for name in module.__all__]
    enums = {value for value in public if isinstance(value, type) and issubclass(value, enum.Enum)}
    assert {cc.Population, cc.Modality, cc.Severity, rulesets.PerDiemTier} <= enums
    assert len(enums) == 17
    for enum_cls in enums:
        assert enum_cls.__hash__ is object.__hash__
        member = next(iter(enum_cls))
        assert {member: 1}[member] == 1 and member.name not in {member}
        assert pickle.loads(pickle.dumps({member})) == {member}


class _PosingAsCBT:
    """Equal to every object, hashing as Modality.CBT: what a dict lookup cannot tell apart."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash(cc.Modality.CBT)


def test_modalities_given_again_are_the_members_the_first_program_kept() -> None:
    """A combination of modalities checked once is looked up for the next program, which keeps
    the members, never the caller's items. An object a dict lookup cannot tell from a member
    (equal to everything, hashing as one) is refused whether or not the real combination was
    seen before, and is never stored."""
    posing = (_PosingAsCBT(),)
    with pytest.raises(cc.InvalidTypeError, match=r"modalities\[0\]"):
        program([session()], modalities=posing)
    first = program([session()], modalities=["cbt", cc.Modality.MI])
    assert first.modalities == (cc.Modality.CBT, cc.Modality.MI)
    again = program([session()], modalities=(cc.Modality.CBT, cc.Modality.MI))
    assert again.modalities is first.modalities
    alone = program([session()], modalities=(cc.Modality.CBT,))
    assert alone.modalities == (cc.Modality.CBT,)
    assert program([session()], modalities=[cc.Modality.CBT]).modalities is alone.modalities
    with pytest.raises(cc.InvalidTypeError, match=r"modalities\[0\]"):
        program([session()], modalities=posing)
    assert all(type(m) is cc.Modality for key in _CHECKED_MODALITIES for m in key)
    with pytest.raises(cc.InvalidValueError, match="at most once"):
        program([session()], modalities=(cc.Modality.CBT, cc.Modality.CBT))
    with pytest.raises(cc.InvalidTypeError, match=r"modalities\[1\]"):
        program([session()], modalities=(cc.Modality.CBT, [1]))


def test_a_program_s_own_sessions_given_again_are_kept_not_checked_again() -> None:
    """Weekly sessions in order, once checked, are kept by identity: a program built from
    another's sessions (`attrs.evolve`) holds the very tuple. Sessions that repeat every few
    weeks are checked against each program's length every time; the memo stays bounded."""
    first = program([session(), session(WED)])
    assert first.sessions in _CHECKED_SESSIONS.values()
    renamed = attrs.evolve(first, name="Evening IOP", weeks=(6, 12))
    assert renamed.sessions is first.sessions and renamed.name == "Evening IOP"
    fortnightly = program([session(), session(SAT, every_weeks=2)], 4)
    assert id(fortnightly.sessions) not in _CHECKED_SESSIONS
    with pytest.raises(cc.InvalidValueError, match=r"sessions\[1\]\.every_weeks"):
        attrs.evolve(fortnightly, weeks=1)
    for minute in range(_CHECKED_SESSIONS_MAX + 5):  # more tuples than the memo keeps
        program([session(start=time(6 + minute // 60, minute % 60), hours=0.25)])
    assert 0 < len(_CHECKED_SESSIONS) <= _CHECKED_SESSIONS_MAX


class _PosingAsCombination:
    """Equal to every object, hashing as (CBT, MI), yielding CBT alone: not a tuple."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash((cc.Modality.CBT, cc.Modality.MI))

    def __iter__(self) -> Iterator[cc.Modality]:
        return iter([cc.Modality.CBT])


class _NoModalities:
    """Neither iterable nor true or false: its truth value raises."""

    def __bool__(self) -> bool:
        raise RuntimeError("no truth value")


def test_modalities_that_are_no_tuple_are_read_item_by_item() -> None:
    """Only a tuple is looked up among the combinations seen before: any other value is read
    item by item, so a program holds what it yields, and a value with no items is refused by
    name, never a crash."""
    program([session()], modalities=(cc.Modality.CBT, cc.Modality.MI))
    posing = program([session()], modalities=_PosingAsCombination())  # type: ignore[arg-type]
    assert posing.modalities == (cc.Modality.CBT,)
    assert program([session()], modalities=[]).modalities == ()
    with pytest.raises(cc.InvalidTypeError, match="modalities"):
        program([session()], modalities=_NoModalities())  # type: ignore[arg-type]


class _Named(cc.ProgramStructure):
    """A subclass with a slot of its own: its layout is not ProgramStructure's."""

    __slots__ = ("extra",)


def test_a_subclass_is_built_with_the_same_checks_and_fields() -> None:
    """A subclass of ProgramStructure is built through the same checks into its own class
    (whose layout the fast builder cannot take), with the fields a program would have."""
    made = _Named(GENERIC["IOP"], "adult", "substance use", [session(), session(WED)], (6, 12),
                  modalities=["cbt"], name="Evening IOP")  # fmt: skip
    assert type(made) is _Named
    plain = program([session(), session(WED)], (6, 12), modalities=["cbt"], name="Evening IOP")
    assert attrs.asdict(made, recurse=False) == attrs.asdict(plain, recurse=False)
    assert made.weekly_hours == plain.weekly_hours
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.name = "other"  # type: ignore[misc]
    with pytest.raises(cc.InvalidValueError):
        _Named(GENERIC["IOP"], "adult", "substance use", [session()], 0)


def test_a_program_unpickles_through_its_constructor() -> None:
    """Unpickling and copying build a program (of its own class) through the constructor's
    checks, from its fields alone (no state written back past them): a pickle whose fields
    the constructor refuses does not load."""
    p = program([session()], (6, 12), name="Day IOP")
    rebuild, args = p.__reduce_ex__(pickle.HIGHEST_PROTOCOL)  # the fields, and no state
    assert rebuild(*args) == p and type(copy.copy(p)) is cc.ProgramStructure
    named = _Named(GENERIC["IOP"], "adult", "substance use", [session()], 8, name="Day IOP")
    assert type(pickle.loads(pickle.dumps(named))) is _Named
    bad = pickle.dumps(p).replace(b"Day IOP", b"Day\x07IOP")
    with pytest.raises(cc.InvalidValueError, match="name"):
        pickle.loads(bad)
