"""Work bounded by the size of the input, fuzzed (issue 13): huge and coprime `every_weeks`,
calendar payloads spanning millennia, and long codes and strings in look-ups and payloads. Each
either builds a value whose figures agree with a walk over its weeks, or is refused at once, for
the documented reason, in a short message.

Run long with HYPOTHESIS_PROFILE=fuzz, as the rest of the fuzz suite.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from datetime import date, time, timedelta
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum import catalogs, rulesets
from carecontinuum._calendar import (
    _FIRST_DAY,
    _LAST_DAY,
    _MAX_CALENDAR_SESSIONS,
    _MAX_CALENDAR_WEEKS,
    _sessions_between,
)
from carecontinuum._errors import _MAX_SUGGESTED_LENGTH, _echo
from carecontinuum._measures import weeks_of
from carecontinuum._program import _MAX_CYCLE_WEEKS, _MAX_WEEKS
from carecontinuum.catalogs import GENERIC
from fuzzing import GARBAGE, NASTY, SLOW_OK, cpu_time

fuzz_settings = settings(suppress_health_check=SLOW_OK, deadline=None)

#: Seconds a refusal may take: "at once", generously, on a machine shared with other work.
FAST = 1.0
#: The most characters a refusal's message may run to, whatever the input's size.
SHORT = 2_000

_US_PER_WEEK = 7 * 86_400 * 1_000_000


def within(seconds: float, fn: Callable[[], Any]) -> Any:
    """What `fn` returns or raises (a library error is returned), checked to take at most
    `seconds` of CPU time (garbage collection left out: `fuzzing.cpu_time`)."""
    with cpu_time() as spent:
        try:
            result = fn()
        except cc.CareContinuumError as error:
            result = error
    assert spent.seconds < seconds, f"took {spent.seconds:.2f} s of CPU time"
    return result


def refused_briefly(result: object) -> cc.CareContinuumError:
    assert isinstance(result, cc.CareContinuumError), f"not refused: {result!r}"
    assert len(str(result)) < SHORT, f"a message of {len(str(result)):,} characters"
    return result


# ---- programs: huge and coprime every_weeks ------------------------------------------------

#: Periods: small ones (that meet, or not), the cap and just past it, the issue's coprime
#: pair, and anything up to 10**18.
_SMALL_EVERY = st.sampled_from([1, 2, 3, 4, 13, 51, 52, 53]) | st.integers(1, 52)
_HUGE_EVERY = st.sampled_from([999_983, 999_979, 10**12 + 39, 2**61 - 1]) | st.integers(1, 10**18)
#: One period in four is huge (past the cap), so that most programs get to be built.
EVERY = st.integers(0, 3).flatmap(lambda k: _HUGE_EVERY if k == 3 else _SMALL_EVERY)
WEEKS = st.one_of(
    st.integers(1, 120),
    st.integers(1, 10**9),
    st.integers(_MAX_WEEKS - 2, _MAX_WEEKS + 2),
    st.tuples(st.integers(1, 60), st.integers(0, 10**9)).map(lambda t: (t[0], t[0] + t[1])),
)
#: Sessions crowded around midnight on Sunday and Monday, so that some meet (across the
#: week's end too) and some only share a slot in weeks they are never both held.
_Shape = tuple[WeekDay, int, int, int, int]  # weekday, start minute, minutes, every, offset


@st.composite
def shapes(draw: st.DrawFn) -> _Shape:
    every = draw(EVERY)
    offset = draw(st.integers(0, min(every - 1, 10**6)) | st.just(every - 1))
    return (
        draw(st.sampled_from([WeekDay.SUNDAY, WeekDay.MONDAY])),
        draw(st.sampled_from([22 * 60, 23 * 60, 23 * 60 + 30, 0, 30, 60])),
        draw(st.sampled_from([30, 60, 90, 180])),
        every,
        offset,
    )


def _session(shape: _Shape) -> cc.Session:
    day, start, minutes, every, offset = shape
    return cc.Session(
        day, time(start // 60, start % 60),
        [cc.Segment(cc.Service.GROUP_THERAPY, timedelta(minutes=minutes))],
        every_weeks=every, week_offset=offset, overnight=start + minutes > 1440,
    )  # fmt: skip


def _session_data(shape: _Shape) -> dict[str, Any]:
    day, start, minutes, every, offset = shape
    return {
        "weekday": day.name.lower(), "start": f"{start // 60:02}:{start % 60:02}",
        "segments": [{"service": "group therapy", "duration": f"PT{minutes}M"}],
        "every_weeks": every, "week_offset": offset, "overnight": start + minutes > 1440,
    }  # fmt: skip


def _clash(shapes_: Sequence[_Shape]) -> bool:
    """Whether two sessions meet in a program started on some day of the week: every session
    laid out on a timeline of minutes, program week by program week (a program's weeks count
    from its first day, whatever weekday it is), for two whole repeat cycles, and the occurrences
    checked for overlap (the definition the program's sweep must agree with)."""
    cycle = math.lcm(*(every for *_, every, _ in shapes_))
    for first_day in range(7):
        held = sorted(
            (minute, minute + minutes, k)
            for k, (day, start, minutes, every, offset) in enumerate(shapes_)
            for week in range(offset, 2 * cycle + 2, every)
            for minute in [(7 * week + first_day + (day.value - first_day) % 7) * 1440 + start]
        )
        latest_end, latest = -1, -1
        for start, end, k in held:
            if start < latest_end and k != latest:
                return True
            if end > latest_end:
                latest_end, latest = end, k
    return False


def _expected_cycle_error(shapes_: Sequence[_Shape], weeks: int | tuple[int, int]) -> int | None:
    """The caller's position of the session whose every_weeks makes the cycle too long."""
    longest = weeks if isinstance(weeks, int) else weeks[1]
    cycle = 1
    for position, shape in enumerate(shapes_):
        cycle = math.lcm(cycle, shape[3])
        if cycle > min(longest, _MAX_CYCLE_WEEKS):
            return position
    return None


_BASE = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["wed"], hours_per_session=3, weeks=8)


def _build(path: str, shapes_: Sequence[_Shape], weeks: int | tuple[int, int]) -> Any:
    if path == "from_dict":
        data = cc.to_dict(_BASE)
        data["sessions"] = [_session_data(shape) for shape in shapes_]
        data["weeks"] = (
            weeks if isinstance(weeks, int) else {"minimum": weeks[0], "maximum": weeks[1]}
        )
        return cc.from_dict(cc.ProgramStructure, data)
    sessions = [_session(shape) for shape in shapes_]
    if path == "evolve":
        return attrs.evolve(_BASE, sessions=tuple(sessions), weeks=weeks)
    return cc.ProgramStructure(
        GENERIC["IOP"], cc.Population.ADULT, cc.Track.SUBSTANCE_USE, sessions, weeks
    )


def _check_figures(program: cc.ProgramStructure) -> None:
    """The figures agree with a walk over the cycle's weeks, and rules judge it at once."""
    cycle = program.cycle_weeks
    assert cycle <= min(program.max_weeks, _MAX_CYCLE_WEEKS)
    weeks = [program.sessions_in_week(w) for w in range(cycle)]
    days = sum(len({s.weekday for s in held if s.program_day}) for held in weeks)
    assert program.days_per_week == days / cycle
    assert program.service_days_per_week == days / cycle  # no separate appointments here
    assert program.sessions_per_week == pytest.approx(sum(map(len, weeks)) / cycle)
    assert len(weeks_of(program)) == cycle
    report = within(FAST, lambda: cc.validate(program, rulesets.ASAM3))
    assert isinstance(report, cc.ValidationReport)
    assert within(FAST, program._repr_html_).startswith("<")


@fuzz_settings
@given(
    st.lists(shapes(), min_size=1, max_size=5),
    WEEKS,
    st.sampled_from(["constructor", "evolve", "from_dict"]),
)
@example([(WeekDay.SUNDAY, 600, 60, 999_983, 0), (WeekDay.MONDAY, 600, 60, 999_979, 0)],
         10**9, "constructor")  # fmt: skip
@example([(WeekDay.SUNDAY, 600, 60, 51, 0), (WeekDay.MONDAY, 600, 60, 52, 0)], _MAX_WEEKS, "evolve")
def test_any_every_weeks_builds_a_bounded_program_or_is_refused_at_once(
    shapes_: list[_Shape], weeks: int | tuple[int, int], path: str
) -> None:
    """Whatever the periods: a period past 52 weeks, two sessions that meet, or a cycle past
    the program's length or 52 weeks is refused at once, naming the field; anything else builds
    a program whose cycle is bounded and whose figures are those of its weeks."""
    result = within(FAST, lambda: _build(path, shapes_, weeks))
    too_long = any(shape[3] > _MAX_CYCLE_WEEKS for shape in shapes_)
    if too_long:
        error = refused_briefly(result)
        # A payload's number past 2**53 - 1 is refused as a number before it is a period.
        huge = any(shape[3] > 2**53 - 1 for shape in shapes_)
        assert "every_weeks" in str(error)
        assert "at most 52" in str(error) or (huge and "9,007,199,254,740,991" in str(error))
        return
    if _clash(shapes_):
        error = refused_briefly(result)
        assert isinstance(error, (cc.ScheduleConflictError, cc.DataError))
        return
    if (weeks if isinstance(weeks, int) else weeks[1]) > _MAX_WEEKS:
        error = refused_briefly(result)
        assert "weeks" in str(error) and "at most 521,722 weeks" in str(error)
        return
    position = _expected_cycle_error(shapes_, weeks)
    if position is not None:
        error = refused_briefly(result)
        field = f"sessions[{position}].every_weeks"
        if isinstance(error, cc.DataError):
            assert error.problems[0].startswith(f"{field}: expected a period")
        else:
            assert isinstance(error, cc.InvalidValueError) and error.field == field
        return
    assert isinstance(result, cc.ProgramStructure), result
    _check_figures(result)


@st.composite
def crowded(draw: st.DrawFn) -> _Shape:
    """A session every 1 to 6 weeks, in a few slots around Sunday midnight."""
    every = draw(st.integers(1, 6))
    return (
        draw(st.sampled_from([WeekDay.SUNDAY, WeekDay.MONDAY])),
        draw(st.sampled_from([23 * 60, 0, 60, 120])),
        draw(st.sampled_from([30, 60, 90])),
        every,
        draw(st.integers(0, every - 1)),
    )


@st.composite
def disjoint_weeks(draw: st.DrawFn) -> list[tuple[int, int]]:
    """(every_weeks, week_offset) pairs that never fall in the same week: classes of weeks
    split again and again (every 2 weeks from 0 and from 1; the second split in three...),
    periods dividing 24."""
    leaves = [(1, 0)]
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(leaves) - 1))
        every, offset = leaves[i]
        factors = [f for f in (2, 3) if 24 % (every * f) == 0]
        if factors:
            k = draw(st.sampled_from(factors))
            leaves[i : i + 1] = [(every * k, offset + j * every) for j in range(k)]
    kept = draw(st.lists(st.integers(0, len(leaves) - 1), min_size=1, unique=True))
    return [leaves[i] for i in kept]


#: Slots that do not overlap one another (Sunday night into Monday morning).
_SLOTS = ((WeekDay.SUNDAY, 22 * 60, 60), (WeekDay.SUNDAY, 23 * 60 + 30, 60),
          (WeekDay.MONDAY, 60, 60), (WeekDay.MONDAY, 6 * 60, 90))  # fmt: skip


@st.composite
def sharing(draw: st.DrawFn) -> list[_Shape]:
    """Many sessions sharing a few slots in weeks they never meet, and sometimes an intruder
    that may meet one of them."""
    shapes_ = [
        (day, start, minutes, every, offset)
        for day, start, minutes in _SLOTS[: draw(st.integers(1, len(_SLOTS)))]
        for every, offset in draw(disjoint_weeks())
    ]
    if draw(st.booleans()):
        shapes_.insert(draw(st.integers(0, len(shapes_))), draw(crowded()))
    return shapes_


@fuzz_settings
@given(st.lists(crowded(), min_size=2, max_size=30) | sharing())
def test_the_overlap_sweep_refuses_exactly_the_programs_whose_sessions_meet(
    shapes_: list[_Shape],
) -> None:
    """Many sessions sharing a few slots in alternate weeks: the program is refused for a clash
    exactly when some two sessions meet in some week (checked pair by pair)."""
    result = within(FAST, lambda: _build("constructor", shapes_, 60))
    assert isinstance(result, cc.ScheduleConflictError) == _clash(shapes_), result


# ---- calendars: spans of millennia in payloads ----------------------------------------------

_ANY_DAY = st.dates(_FIRST_DAY, _LAST_DAY)
_SPAN_DAYS = st.one_of(
    st.integers(0, 7 * (_MAX_CALENDAR_WEEKS + 2)),
    st.integers(7 * _MAX_CALENDAR_WEEKS - 7, 7 * _MAX_CALENDAR_WEEKS + 7),
    st.integers(0, _LAST_DAY.toordinal() - _FIRST_DAY.toordinal()),
)
_DAYS = st.lists(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
                 min_size=1, max_size=3, unique=True)  # fmt: skip


@fuzz_settings
@given(
    _DAYS,
    st.tuples(
        st.integers(1, 10),
        st.one_of(st.integers(1, _MAX_WEEKS), st.integers(1, 2 * _MAX_CALENDAR_WEEKS)),
    ).map(sorted),
    _ANY_DAY,
    _SPAN_DAYS,
    st.sampled_from(["from_dict", "until_day", "until_weeks", "program"]),
)
@example(["mon", "tue", "wed"], [1, _MAX_WEEKS], date(1, 1, 3), 3_652_054, "from_dict")
def test_a_calendar_of_any_span_is_made_within_the_limits_or_refused_at_once(
    days: list[str], lengths: list[int], first: date, span: int, path: str
) -> None:
    """A calendar asked for from a day to a day (or for a number of weeks) anywhere in the
    supported range is either refused at once or made, holding at most 1,044 weeks and 50,000
    sessions, exactly as many as counted in advance."""
    low, high = lengths
    program = cc.ProgramStructure.weekly(GENERIC["IOP"], days=days, hours_per_session=1,
                                         weeks=(low, high))  # fmt: skip
    last = date.fromordinal(min(first.toordinal() + span, _LAST_DAY.toordinal()))
    weeks = -(-(last.toordinal() - first.toordinal() + 1) // 7)

    def build() -> cc.Calendar:
        if path == "from_dict":
            data = cc.to_dict(cc.expand(program, pendulum.date(2026, 3, 2), "UTC"))
            data.update(first=first.isoformat(), last=last.isoformat())
            return cc.from_dict(cc.Calendar, data)
        if path == "until_day":
            return cc.expand(program, first, "UTC", until=last)
        if path == "until_weeks":
            return cc.expand(program, first, "UTC", until=weeks)
        return cc.expand(attrs.evolve(program, weeks=weeks), first, "UTC")

    result = within(FAST, build)
    if isinstance(result, cc.CareContinuumError):
        refused_briefly(result)
        by_day = path in {"from_dict", "until_day"}
        if by_day and low <= weeks <= high and weeks > _MAX_CALENDAR_WEEKS:
            assert "at most 1,044 weeks" in str(result)
        return
    assert isinstance(result, cc.Calendar)
    assert weeks <= _MAX_CALENDAR_WEEKS
    made = len(result.sessions) + len(result.closed)
    assert made <= _MAX_CALENDAR_SESSIONS
    assert made == _sessions_between(program, result.first, result.last, weeks)


@fuzz_settings
@given(
    st.sampled_from(["mon", "wed", "sun"]).flatmap(
        lambda day: st.tuples(st.just(day), st.integers(1, 6), st.integers(0, 5))
    ),
    st.dates(date(2000, 1, 1), date(2100, 12, 31)),
    st.integers(0, 60),
)
def test_sessions_counted_in_advance_are_the_sessions_made(
    shape: tuple[str, int, int], first: date, extra_days: int
) -> None:
    """The arithmetic count that guards expand equals what expand makes, for sessions held
    every few weeks and calendars ending mid-week."""
    day, every, offset = shape
    offset = min(offset, every - 1)
    weekly = cc.Session(WeekDay.TUESDAY, time(9),
                        [cc.Segment(cc.Service.GROUP_THERAPY, timedelta(hours=1))])  # fmt: skip
    other = cc.Session(
        {"mon": WeekDay.MONDAY, "wed": WeekDay.WEDNESDAY, "sun": WeekDay.SUNDAY}[day], time(18),
        [cc.Segment(cc.Service.FAMILY_THERAPY, timedelta(hours=1))],
        every_weeks=every, week_offset=offset,
    )  # fmt: skip
    program = cc.ProgramStructure(
        GENERIC["OP"], cc.Population.ADULT, cc.Track.MENTAL_HEALTH, [weekly, other], (6, 20)
    )
    last = first + timedelta(days=7 * 6 - 1 + extra_days)
    calendar = cc.expand(program, first, "UTC", until=last, closures=[first + timedelta(days=3)])
    weeks = -(-(last.toordinal() - first.toordinal() + 1) // 7)
    made = len(calendar.sessions) + len(calendar.closed)
    assert made == _sessions_between(program, calendar.first, calendar.last, weeks)


# ---- long codes and long strings in look-ups and payloads -----------------------------------

#: Long text, drawn as a recipe (the text is made in the test: hypothesis would otherwise
#: print megabytes when reporting an example).
LONG_TEXT = st.one_of(
    st.text(min_size=_MAX_SUGGESTED_LENGTH + 1, max_size=_MAX_SUGGESTED_LENGTH + 40).map(
        lambda text: (text, 1)
    ),
    st.tuples(st.characters(), st.integers(_MAX_SUGGESTED_LENGTH + 1, 2 * 10**6)),
    st.sampled_from([("Q", 10**6), ("IOP", 10**5), (" ", 10**6), ("2.1x", 10**5)]),
)
CONTINUA = tuple(catalogs.ALL.values())
RULESETS = tuple(rulesets.ALL.values())


def _program_with_code(scheme: str, code: str) -> dict[str, Any]:
    data = cc.to_dict(_BASE)
    data["level"] = {"scheme": scheme, "code": code}
    return data


_LOOKUPS: dict[str, Callable[[str, int], object]] = {
    "continuum[code]": lambda text, k: CONTINUA[k % len(CONTINUA)][text],
    "continuum.level": lambda text, k: CONTINUA[k % len(CONTINUA)].level(text),
    "ruleset[id]": lambda text, k: RULESETS[k % len(RULESETS)][text],
    "ruleset.without": lambda text, k: RULESETS[k % len(RULESETS)].without(text),
    "from_dict level code": lambda text, k: cc.from_dict(
        cc.ProgramStructure, _program_with_code(CONTINUA[k % len(CONTINUA)].scheme, text)
    ),
    "from_dict scheme": lambda text, k: cc.from_dict(
        cc.ProgramStructure, _program_with_code(text, "IOP")
    ),
    "from_dict weeks": lambda text, k: cc.from_dict(
        cc.ProgramStructure, {**cc.to_dict(_BASE), "weeks": text}
    ),
    "episode admit": lambda text, k: cc.Episode.admit(
        "c-1", text, date(2026, 3, 2), continuum=CONTINUA[k % len(CONTINUA)]
    ),
    "weekly days": lambda text, k: cc.ProgramStructure.weekly(
        GENERIC["IOP"], days=[text], hours_per_session=3, weeks=8
    ),
    "weekly start": lambda text, k: cc.ProgramStructure.weekly(
        GENERIC["IOP"], days=["mon"], hours_per_session=3, weeks=8, start=text
    ),
    "expand zone": lambda text, k: cc.expand(_BASE, date(2026, 3, 2), text),
}


@fuzz_settings
@given(LONG_TEXT, st.sampled_from(sorted(_LOOKUPS)), st.integers(0, 100))
def test_long_codes_and_strings_are_refused_at_once_in_a_short_message(
    recipe: tuple[str, int], lookup: str, k: int
) -> None:
    """A code, rule id, scheme, weekday, time or zone of any length is refused in time linear
    in its length (no fuzzy matching past 100 characters), and the message echoes at most a few
    hundred characters of it."""
    text = recipe[0] * recipe[1]
    result = within(FAST, lambda: _LOOKUPS[lookup](text, k))
    error = refused_briefly(result)
    if isinstance(error, (cc.UnknownLevelError, cc.UnknownRuleError)):
        assert error.suggestions == ()


def _reference_level_suggestions(continuum: cc.Continuum, text: str) -> list[str]:
    """The suggestions as they were, comparing every key (before the length filter)."""
    scored = []
    for key, level in continuum._index.items():
        score = difflib.SequenceMatcher(None, text, key).ratio()
        if score >= 0.5:
            scored.append((-score, level.rank, key != level.code, key))
    return [key for *_, key in sorted(scored)[:3]]


def _typos(keys: Sequence[str]) -> st.SearchStrategy[str]:
    """Near misses of real keys: a character dropped, changed or added."""

    @st.composite
    def typo(draw: st.DrawFn) -> str:
        key = draw(st.sampled_from(keys))
        at = draw(st.integers(0, len(key)))
        char = draw(st.characters(codec="ascii"))
        return draw(st.sampled_from([key[:at] + key[at + 1 :], key[:at] + char + key[at + 1 :],
                                     key[:at] + char + key[at:]]))  # fmt: skip

    return typo()


_LEVEL_KEYS = sorted({key for c in CONTINUA for key in c._index})
_RULE_IDS = sorted({rule_id for r in RULESETS for rule_id in r._index})


@fuzz_settings
@given(
    st.sampled_from(CONTINUA),
    st.sampled_from(RULESETS),
    st.one_of(_typos(_LEVEL_KEYS), _typos(_RULE_IDS), st.text(max_size=_MAX_SUGGESTED_LENGTH)),
)
def test_skipping_keys_of_unlike_length_never_changes_a_suggestion(
    continuum: cc.Continuum, ruleset: cc.RuleSet, text: str
) -> None:
    """For look-ups up to the limit, suggestions are what comparing every key gives: a key
    more than three times longer or shorter cannot be "close" (difflib's ratio)."""
    if text in continuum._index or text.strip().lower() in {k.lower() for k in continuum._index}:
        return  # found, or suggested by case, before any likeness is computed
    if continuum._generic_hint(text.strip()):
        return  # suggested by meaning, not likeness
    assert continuum._suggest(text) == _reference_level_suggestions(continuum, text.strip())
    if text not in ruleset._index:
        expected = difflib.get_close_matches(text.strip(), list(ruleset._index), n=3, cutoff=0.6)
        assert ruleset._suggest(text) == expected


#: Values of any size, drawn as recipes (made in the test, for the reason of LONG_TEXT).
HUGE = st.one_of(
    st.sampled_from(NASTY).map(lambda value: lambda: value),
    GARBAGE.map(lambda value: lambda: value),
    st.integers(4_000, 6_000).map(lambda digits: lambda: -(10**digits)),
    st.integers(1_000, 5_000).map(lambda n: lambda: "é\x00" * n),
    st.integers(1, 10**5).map(lambda n: lambda: ["x"] * n),
    st.integers(1, 3_000).map(lambda n: lambda: {"k": "v" * n}),
    st.integers(1, 10**5).map(lambda depth: lambda: _nested(depth)),
)


def _nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


@fuzz_settings
@given(HUGE)
def test_every_error_echoes_any_value_briefly(make: Callable[[], object]) -> None:
    """Whatever the value, an error naming it is made at once and says at most a few hundred
    characters of it (the attributes keep it whole)."""
    value = make()
    errors = within(
        FAST,
        lambda: [
            cc.InvalidValueError("field", value, "something else"),
            cc.InvalidTypeError("field", value, "something else"),
            cc.UnknownLevelError(value, "GENERIC"),
            cc.UnknownRuleError(value, "ASAM3"),
        ],
    )
    for error in errors:
        assert len(str(error)) < 400
    assert errors[0].value is value
    assert len(_echo(value)) <= 250
