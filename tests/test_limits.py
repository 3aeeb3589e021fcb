"""The documented limits (docs/reference/limits.md): each row states the value the code holds,
input exactly at it works, and input just past it is refused at once with the library's error
naming the field."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum import catalogs, rulesets
from carecontinuum._attendance import _MAX_EXTRA_US
from carecontinuum._calendar import (
    _FIRST_DAY,
    _LAST_DAY,
    _MAX_CALENDAR_SESSIONS,
    _MAX_CALENDAR_WEEKS,
    _instant,
    _offset_us,
)
from carecontinuum._dicts import _MAX_DEPTH, _MAX_DURATION_DIGITS, _MAX_SHARED_ITEMS, _day
from carecontinuum._episode import _program_levels
from carecontinuum._errors import _MAX_ECHO, _MAX_SUGGESTED_LENGTH
from carecontinuum._plan import _MAX_PER_WEEK, _MAX_REVIEW_EVERY_DAYS, _MIN_PER_WEEK
from carecontinuum._program import (
    _CHECKED_MODALITIES,
    _CHECKED_MODALITIES_MAX,
    _CHECKED_SESSIONS,
    _CHECKED_SESSIONS_MAX,
    _MAX_CYCLE_WEEKS,
    _MAX_SESSIONS,
    _MAX_WEEKS,
    _ONE_DAY,
    _WEEKLY_SESSIONS,
    _WEEKLY_SESSIONS_MAX,
)
from carecontinuum._validators import _MAX_NUMBER, _MAX_STRING_LENGTH, _MAX_TEXT_LENGTH
from fuzzing import cpu_time

pytest.importorskip("cattrs")

PAGE = Path(__file__).parent.parent / "docs" / "reference" / "limits.md"
GENERIC = catalogs.GENERIC
S = cc.Service
#: "At once": generously, on a machine shared with other work.
FAST = 1.0


def _rows() -> dict[str, str]:
    """The page's table rows: limit (first column) -> value (second column)."""
    rows = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) >= 3 and cells[0] not in {"Limit", "Kept", "---"}:
            rows[cells[0]] = cells[1]
    return rows


def _cache_size(cached: Any) -> int:
    """The most entries a `functools.lru_cache` keeps."""
    size: int = cached.cache_parameters()["maxsize"]
    return size


def _numbers(text: str) -> list[int]:
    """The whole numbers written in `text` (with thousands separators), in order."""
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def refused(call: Callable[[], object], field: str) -> cc.CareContinuumError:
    """The error `call` raises at once, naming `field` (as a field, or as a data path)."""
    with cpu_time() as spent, pytest.raises(cc.CareContinuumError) as caught:
        call()
    assert spent.seconds < FAST
    error = caught.value
    if isinstance(error, cc.DataError):
        assert any(problem.startswith(field) for problem in error.problems), error.problems
    else:
        assert getattr(error, "field", None) == field, error
    assert len(str(error)) < 2_000
    return error


# ---- what each limit is probed with ---------------------------------------------------------


def _time(minute: int) -> pendulum.Time:
    return pendulum.time(minute // 60, minute % 60)


def _segment(minutes: int) -> cc.Segment:
    return cc.Segment(S.GROUP_THERAPY, timedelta(minutes=minutes))


def _program(sessions: list[cc.Session], weeks: int | tuple[int, int] = 52) -> cc.ProgramStructure:
    return cc.ProgramStructure(
        GENERIC["IOP"], cc.Population.ADULT, cc.Track.SUBSTANCE_USE, sessions, weeks
    )


def _weekly(weeks: int | tuple[int, int]) -> cc.ProgramStructure:
    """An hour on Tuesdays."""
    return cc.ProgramStructure.weekly(GENERIC["OP"], days=["tue"], hours_per_session=1,
                                      weeks=weeks)  # fmt: skip


def _length(weeks: int) -> Callable[[], object]:
    return lambda: _weekly(weeks)


def _sessions(count: int) -> Callable[[], object]:
    """`count` weekly sessions of 10 minutes, one after another from Monday 00:00."""
    tiled = []
    for k in range(count):
        day, minute = divmod(10 * k, 1440)
        tiled.append(cc.Session(WeekDay(day), _time(minute), [_segment(10)]))
    return lambda: _program(tiled)


def _period(every: int) -> Callable[[], object]:
    return lambda: cc.Session(WeekDay.MONDAY, _time(600), [_segment(60)], every_weeks=every)


def _cycle(periods: tuple[int, int]) -> Callable[[], object]:
    """Two sessions held every `periods` weeks: a cycle of their lcm."""
    return lambda: _program(
        [cc.Session(day, _time(600), [_segment(60)], every_weeks=every)
         for day, every in zip((WeekDay.MONDAY, WeekDay.TUESDAY), periods, strict=True)],
        weeks=(1, 1_000),
    )  # fmt: skip


def _session_length(us: int) -> Callable[[], object]:
    return lambda: cc.Segment(S.GROUP_THERAPY, timedelta(microseconds=us))


def _extra(us: int) -> Callable[[], object]:
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    return lambda: cc.AttendanceRecord.extra(start, start + timedelta(microseconds=us))


def _span(weeks: int) -> Callable[[], object]:
    return lambda: cc.expand(_weekly((1, 2_000)), date(2026, 3, 2), "UTC", until=weeks)


#: Fifty 30-minute sessions a week: seven a day, every day, and one more on Monday evening.
_FIFTY = _program(
    [cc.Session(WeekDay(day), _time(60 * hour), [_segment(30)])
     for day in range(7) for hour in range(7)]
    + [cc.Session(WeekDay.MONDAY, _time(60 * 20), [_segment(30)])],
    weeks=(1, 2_000),
)  # fmt: skip


def _calendar_sessions(weeks: int) -> Callable[[], object]:
    return lambda: cc.expand(_FIFTY, date(2026, 3, 2), "UTC", until=weeks)


def _first_day(first: date) -> Callable[[], object]:
    return lambda: cc.expand(_weekly(1), first, "UTC")


def _plan(every: int) -> Callable[[], object]:
    assessment = cc.Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1},
                               date(2026, 2, 27), client_id="c-1")  # fmt: skip
    return lambda: cc.TreatmentPlan(
        "c-1", assessment, cc.place(assessment, catalogs.ASAM3), _weekly(8),
        [cc.Problem("Alcohol use disorder")], start=date(2026, 3, 2),
        review_every_days=every, next_review=date(2026, 4, 1),
    )  # fmt: skip


def _per_week(rate: float) -> Callable[[], object]:
    return lambda: cc.Intervention(S.GROUP_THERAPY, rate, cc.CareRole.ADDICTION_COUNSELOR)


def _year(year: int) -> Callable[[], object]:
    return lambda: cc.Source("Clinic policy", year=year)


def _text(length: int) -> Callable[[], object]:
    return lambda: cc.Problem("x" * length)


def _string(length: int) -> Callable[[], object]:
    """A report read from data, holding one finding whose message is `length` characters."""
    data = cc.to_dict(cc.validate(_weekly(8), rulesets.TYPICAL_IOP))
    finding = cc.to_dict(cc.Finding("X", cc.Severity.INFO, "m", expected="e", found="f",
                                    source=cc.Source("s")))  # fmt: skip
    del finding["schema"], finding["type"]
    data.update(findings=[{**finding, "message": "x" * length}], applied=[])
    return lambda: cc.from_dict(cc.ValidationReport, data)


def _number(rank: int) -> Callable[[], object]:
    return lambda: cc.LevelOfCare("X", "Custom", "CLINIC", cc.Setting.OUTPATIENT, overnight=False,
                          supervision=cc.Supervision.SCHEDULED, rank=rank)  # fmt: skip


def _depth(data: object) -> int:
    if isinstance(data, dict):
        return 1 + max(map(_depth, data.values()), default=0)
    if isinstance(data, list):
        return 1 + max(map(_depth, data), default=0)
    return 0


def _nesting(depth: int) -> Callable[[], object]:
    """A report on a report on ... a source, its data nested exactly `depth` deep."""
    data: dict[str, Any] = cc.to_dict(cc.Source("Clinic policy"))
    report = cc.to_dict(cc.validate(_weekly(8), rulesets.TYPICAL_IOP))
    while _depth(data) < depth:
        data = {**report, "subject": data}
    assert _depth(data) == depth
    return lambda: cc.from_dict(cc.ValidationReport, data)


def _values(data: object, seen: dict[int, int]) -> int:
    """The values `data` stands for as JSON would write them (each place counted)."""
    if not isinstance(data, (dict, list)):
        return 1
    if id(data) not in seen:
        items = data.values() if isinstance(data, dict) else data
        seen[id(data)] = 1 + sum(_values(item, seen) for item in items)
    return seen[id(data)]


def _shared(total: int) -> Callable[[], object]:
    """A source's data with one list of 999 zeros placed again and again under a key of its
    own, standing for exactly `total` values. Within the limit the data is read on, to the
    check of its keys (so the probe returns that problem); past it, it is refused unread."""
    block = [0] * 999  # 1,000 values: the list and its items
    parts: list[Any] = []
    data = {**cc.to_dict(cc.Source("t")), "extra": parts}
    rest = total - _values(data, {})
    parts.extend([block] * (rest // 1_000) + [0] * (rest % 1_000))
    assert _values(data, {}) == total

    def read() -> object:
        try:
            return cc.from_dict(cc.Source, data)
        except cc.DataError as error:
            if any("shared parts" in problem for problem in error.problems):
                raise
            (problem,) = error.problems
            assert problem.startswith("extra: unexpected key"), problem
            return error.problems

    return read


def _digits(count: int) -> Callable[[], object]:
    data = cc.to_dict(_segment(60))
    data["duration"] = "PT" + "0" * (count - 1) + "1H"
    return lambda: cc.from_dict(cc.Segment, data)


# ---- the rows --------------------------------------------------------------------------------

#: Row of the page -> (what its value column says, as the code holds it; the probe, which
#: makes its input from its argument and returns the call to time; its argument at the limit;
#: its argument just past it; the field, or the start of the data problem, a refusal names).
LIMITS: dict[
    str, tuple[tuple[int, ...], Callable[[Any], Callable[[], object]], object, object, str]
] = {
    "Sessions in a program's week": ((_MAX_SESSIONS,), _sessions, 1_000, 1_001, "sessions"),
    "A session's period (`every_weeks`)": ((_MAX_CYCLE_WEEKS,), _period, 52, 53, "every_weeks"),
    "A program's repeat cycle (the least common multiple of its sessions' `every_weeks`)": (
        (_MAX_CYCLE_WEEKS,),
        _cycle,
        (4, 13),
        (2, 27),
        "sessions[1].every_weeks",
    ),
    "A program's length (`weeks`)": ((_MAX_WEEKS,), _length, _MAX_WEEKS, _MAX_WEEKS + 1, "weeks"),
    "A session's length (its segments together)": (
        (_ONE_DAY // timedelta(hours=1),),
        _session_length,
        _ONE_DAY // timedelta(microseconds=1),
        _ONE_DAY // timedelta(microseconds=1) + 1,
        "duration",
    ),
    "An extra session recorded in attendance (`AttendanceRecord.extra`)": (
        (_MAX_EXTRA_US // 3_600_000_000,),
        _extra,
        _MAX_EXTRA_US,
        _MAX_EXTRA_US + 1,
        "end",
    ),
    "A calendar's span": ((_MAX_CALENDAR_WEEKS,), _span, 1_044, 1_045, "until"),
    "A calendar's sessions, held and closed": (
        (_MAX_CALENDAR_SESSIONS,),
        _calendar_sessions,
        _MAX_CALENDAR_SESSIONS // 50,
        _MAX_CALENDAR_SESSIONS // 50 + 1,
        "until",
    ),
    "A calendar's days": (
        (*_FIRST_DAY.timetuple()[:3], *_LAST_DAY.timetuple()[:3]),
        _first_day,
        _FIRST_DAY,
        _FIRST_DAY - timedelta(days=1),
        "start",
    ),
    "A treatment plan's review cadence (`review_every_days`)": (
        (_MAX_REVIEW_EVERY_DAYS,),
        _plan,
        3_653,
        3_654,
        "review_every_days",
    ),
    "An intervention's frequency (`per_week`)": (
        (1, round(1 / _MIN_PER_WEEK), _MAX_PER_WEEK),
        _per_week,
        _MAX_PER_WEEK,
        _MAX_PER_WEEK + 1e-9,
        "per_week",
    ),
    "A source's year": ((1, 9_999), _year, 9_999, 10_000, "year"),
    "Text of one field (a name, a note, a title, an id, a code)": (
        (_MAX_TEXT_LENGTH,),
        _text,
        _MAX_TEXT_LENGTH,
        _MAX_TEXT_LENGTH + 1,
        "description",
    ),
    "Any string the library holds, and any string in data": (
        (_MAX_STRING_LENGTH,),
        _string,
        _MAX_STRING_LENGTH,
        _MAX_STRING_LENGTH + 1,
        "findings[0].message",
    ),
    "Any number": ((_MAX_NUMBER, 2, 53, 1), _number, _MAX_NUMBER, _MAX_NUMBER + 1, "rank"),
    "Nesting of plain data (`from_dict`, `to_dict`)": (
        (_MAX_DEPTH,),
        _nesting,
        _MAX_DEPTH,
        _MAX_DEPTH + 1,
        "subject",
    ),
    "Values that data with shared parts stands for": (
        (_MAX_SHARED_ITEMS,),
        _shared,
        _MAX_SHARED_ITEMS,
        _MAX_SHARED_ITEMS + 1,
        "expected data with shared parts",
    ),
    "Digits in one figure of an ISO 8601 duration in data": (
        (_MAX_DURATION_DIGITS,),
        _digits,
        _MAX_DURATION_DIGITS,
        _MAX_DURATION_DIGITS + 1,
        "duration",
    ),
}

#: Rows of the second table: bounds on what the library does, tested below.
BOUNDS = {
    "Characters of a value an error message echoes": (_MAX_ECHO,),
    'Length of an unknown code, alias or rule id that gets "did you mean" suggestions': (
        _MAX_SUGGESTED_LENGTH,
    ),
}


#: Rows of the third table: the memos the library keeps between calls, by their bounds.
KEPT = {
    "Sessions `ProgramStructure.weekly` made, by what it was given": (_WEEKLY_SESSIONS_MAX,),
    "Tuples of weekly sessions programs were built from": (_CHECKED_SESSIONS_MAX,),
    "Combinations of modalities programs were given": (_CHECKED_MODALITIES_MAX,),
    "Days `from_dict` read": (_cache_size(_day),),
    "UTC offsets at local wall times, and the instants calendars hold": (_cache_size(_offset_us),),
    "The levels a program may be at for a stay's level": (_cache_size(_program_levels),),
}


def test_the_page_lists_every_limit_with_the_value_the_code_holds() -> None:
    rows = _rows()
    assert set(rows) == set(LIMITS) | set(BOUNDS) | set(KEPT)
    for name, value in rows.items():
        stated = LIMITS[name][0] if name in LIMITS else BOUNDS.get(name) or KEPT[name]
        assert tuple(_numbers(value)) == stated, name
    assert _cache_size(_instant) == _cache_size(_offset_us)  # "of each"


def test_the_memos_stay_within_their_bounds() -> None:
    """Programs from more session shapes and session tuples than the memos hold leave each
    memo within its bound; the modalities memo can hold every order of the five modalities
    (325, and none), fewer than its bound."""
    for i in range(_WEEKLY_SESSIONS_MAX + 5):
        program = cc.ProgramStructure.weekly(
            GENERIC["OP"], days=["mon"], hours_per_session=(i % 480 + 1) / 60,
            start=_time(i // 480 * 60), weeks=1,
        )  # fmt: skip
        cc.ProgramStructure(program.level, program.population, program.track,
                            (*program.sessions,), 1)  # fmt: skip
    assert 0 < len(_WEEKLY_SESSIONS) <= _WEEKLY_SESSIONS_MAX
    assert 0 < len(_CHECKED_SESSIONS) <= _CHECKED_SESSIONS_MAX
    orders = [
        order
        for size in range(1, len(cc.Modality) + 1)
        for order in itertools.permutations(cc.Modality, size)
    ]
    for order in orders:
        cc.ProgramStructure.weekly(
            GENERIC["OP"], days=["mon"], hours_per_session=1, weeks=1, modalities=order
        )
    # Every order, and none at all: fewer than the bound, so the memo is never emptied.
    assert len(orders) + 1 == 326 < _CHECKED_MODALITIES_MAX
    assert set(orders) <= set(_CHECKED_MODALITIES) <= {(), *orders}


@pytest.mark.parametrize("name", list(LIMITS))
def test_input_at_a_limit_works_and_just_past_it_is_refused_at_once(name: str) -> None:
    _, probe, at, past, field = LIMITS[name]
    assert probe(at)() is not None
    refused(probe(past), field)


def test_the_other_ends_of_the_ranges() -> None:
    """The last day a calendar may hold, the least frequency, the first year."""
    assert len(cc.expand(_weekly(1), _LAST_DAY - timedelta(days=6), "UTC")) == 1
    refused(lambda: cc.expand(_weekly(1), _LAST_DAY - timedelta(days=5), "UTC"), "start")
    assert _per_week(_MIN_PER_WEEK)() is not None
    refused(_per_week(_MIN_PER_WEEK * (1 - 1e-9)), "per_week")
    assert _year(1)() is not None
    refused(_year(0), "year")


def test_an_error_echoes_at_most_80_characters_of_a_value() -> None:
    """A value whose repr is 80 characters is shown whole; one character more is cut to 80,
    saying how long it was; a 10 MB value costs a sentence. The error keeps the value whole."""
    whole = "x" * (_MAX_ECHO - 2)  # its repr has the quotes
    assert repr(whole) in str(cc.InvalidValueError("f", whole, "y"))
    longer = tuple(range(_MAX_ECHO))  # a repr past 80 characters
    cut = str(cc.InvalidValueError("f", longer, "y"))
    shown = cut[cut.index("(got ") + 5 : -1]
    assert len(shown) == _MAX_ECHO and f"({len(repr(longer))} characters in all)" in cut
    huge = "x" * 10**7
    with cpu_time() as spent:
        error = cc.InvalidValueError("f", huge, "y")
        message = str(error)
    assert len(message) < 400 and spent.seconds < FAST
    assert error.value is huge


def test_suggestions_are_made_for_codes_up_to_100_characters() -> None:
    """A mistyped code padded to 100 characters still gets "did you mean"; at 101 it gets
    none, at once."""
    at = "IOPP" + " " * (_MAX_SUGGESTED_LENGTH - 4)
    with pytest.raises(cc.UnknownLevelError) as caught:
        GENERIC[at]
    assert "did you mean 'IOP'" in str(caught.value)
    error = refused_lookup(at + " ")
    assert "did you mean" not in str(error)
    error = refused_lookup("Q" * 10**6)
    assert "did you mean" not in str(error) and len(str(error)) < 400


def refused_lookup(code: str) -> cc.UnknownLevelError:
    with cpu_time() as spent, pytest.raises(cc.UnknownLevelError) as caught:
        GENERIC[code]
    assert spent.seconds < FAST
    return caught.value
