"""Hypothesis strategies shared by the property tests. Levels, continua, sessions and programs
are carecontinuum's own public strategies (`carecontinuum.strategies`: we eat our own cooking);
the rest are the tests' own, with garbage values for the error paths."""

from __future__ import annotations

import math
from datetime import time, timedelta

import pendulum
from hypothesis import strategies as st
from pendulum import WeekDay

import carecontinuum as cc
import carecontinuum.strategies as ccst

continua = ccst.continua()
levels = ccst.levels()
populations = st.sampled_from(cc.Population)
tracks = st.sampled_from(cc.Track)
modes = st.sampled_from(cc.DeliveryMode)
clinical_services = st.sampled_from([s for s in cc.Service if s.is_clinical])

QUARTER = 15  # minutes: programs are scheduled on a quarter-hour grid


def segments(max_minutes: int) -> st.SearchStrategy[tuple[cc.Segment, ...]]:
    """Segments lasting at most `max_minutes` in all, with at least one clinical segment and
    sometimes a break."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[cc.Segment, ...]:
        budget = max_minutes // QUARTER
        count = draw(st.integers(1, min(4, budget)))
        parts: list[cc.Segment] = []
        for i in range(count):
            left = budget - (count - i - 1)  # leave a quarter for each segment still to come
            quarters = draw(st.integers(1, max(1, min(left, 8))))
            budget -= quarters
            service = cc.Service.BREAK if i and draw(st.booleans()) else draw(clinical_services)
            parts.append(cc.Segment(service, pendulum.duration(minutes=quarters * QUARTER)))
        return tuple(parts)

    return build()


def sessions_on(day: WeekDay, earliest: int, latest: int) -> st.SearchStrategy[cc.Session]:
    """A session on `day` starting at or after `earliest` and ending by `latest` (minutes)."""
    return ccst.sessions(
        day,
        earliest=time(earliest // 60, earliest % 60),
        latest=None if latest >= 24 * 60 else time(latest // 60, latest % 60),
    )


@st.composite
def session_lists(draw: st.DrawFn) -> list[cc.Session]:
    """Non-overlapping sessions: a morning and/or an afternoon slot on some weekdays."""
    days = draw(st.lists(st.sampled_from(list(WeekDay)), min_size=1, max_size=7, unique=True))
    result = []
    for day in days:
        slots = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
        if slots[0]:
            result.append(draw(sessions_on(day, 6 * 60, 12 * 60)))
        if slots[1]:
            result.append(draw(sessions_on(day, 12 * 60, 24 * 60)))
    return draw(st.permutations(result))


weeks = st.integers(1, 52) | st.tuples(st.integers(1, 26), st.integers(0, 26)).map(
    lambda t: (t[0], t[0] + t[1])
)


#: Valid programs of any level, population, track and schedule (or pinned, or built to satisfy
#: a rule set: see carecontinuum.strategies.programs).
programs = ccst.programs


# Values no constructor should accept where it expects a number, a duration, an enum or a level.
garbage = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 0, -1, -0.5]),
    st.text(max_size=20),
    st.binary(max_size=5),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(object()),
    st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=9)),
    st.sampled_from(list(WeekDay)),
    st.sampled_from(list(cc.Service)),
    st.datetimes(),
    st.times(),
)
