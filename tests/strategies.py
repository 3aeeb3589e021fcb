"""Hypothesis strategies shared by the property tests. Levels, continua, sessions and programs
are carecontinuum's own public strategies (`carecontinuum.strategies`: we eat our own cooking);
the rest are the tests' own, with garbage values for the error paths."""

from __future__ import annotations

import math
from datetime import date, time, timedelta

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


# ---- rule sets of factory rules --------------------------------------------------------------

#: The factories that take bounds (at_least, at_most, less_than), as the brief's ranges: hours
#: and counts from 0 to 40 in quarters.
BOUNDED_FACTORIES = (
    cc.rulesets.weekly_hours,
    cc.rulesets.daily_hours,
    cc.rulesets.days_per_week,
    cc.rulesets.sessions_per_week,
    cc.rulesets.session_hours,
    cc.rulesets.program_weeks,
)
bound_values = st.integers(0, 160).map(lambda quarters: quarters / 4) | st.integers(0, 40)


any_text = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), include_characters="\t\n\r"),
    min_size=1,
    max_size=40,
).filter(str.strip)


@st.composite
def _bounds(draw: st.DrawFn, *, exclusive: bool = True) -> dict[str, float]:
    """At least one bound, consistent: a floor below a ceiling (inclusive or, with
    `exclusive`, not)."""
    low = draw(st.none() | bound_values)
    kinds = ["at_most", "less_than"] if exclusive else ["at_most"]
    top = draw(st.sampled_from([None, *kinds])) if low is not None else draw(st.sampled_from(kinds))
    bounds = {} if low is None else {"at_least": low}
    if top is not None:
        floor = 0 if low is None else low
        value = draw(bound_values.filter(lambda v: v > floor if top == "less_than" else v >= floor))
        bounds[top] = value
    return bounds


@st.composite
def factory_rules(draw: st.DrawFn, rule_id: str) -> cc.Rule:
    """A rule made by any factory of carecontinuum.rulesets, with arguments in its ranges: any
    catalog levels, populations, tracks, source and severity."""
    kind = draw(st.sampled_from(["bounded", "typical", "gap", "every day", "attendance"]))
    common: dict[str, object] = {
        "source": draw(ccst.sources()),
        "levels": draw(st.lists(levels, max_size=2, unique=True)),
        "populations": draw(st.lists(populations, max_size=2, unique=True)),
        "tracks": draw(st.lists(tracks, max_size=3, unique=True)),
        "severity": draw(st.sampled_from(cc.Severity)),
    }
    title = draw(st.sampled_from(["IOP: 9-19 hours a week", "Group every day"]) | any_text)
    if kind == "bounded":
        factory = draw(st.sampled_from(BOUNDED_FACTORIES))
        extra: dict[str, object] = draw(_bounds())
        if factory is cc.rulesets.daily_hours:
            extra["include_breaks"] = draw(st.booleans())
        return factory(rule_id, title, **common, **extra)
    if kind == "typical":
        bounds = draw(_bounds(exclusive=False))
        return cc.rulesets.typical_weekly_hours(rule_id, title, **common, **bounds)
    if kind == "gap":
        return cc.rulesets.days_without_service(
            rule_id, title, at_most=draw(st.integers(0, 6)), **common
        )
    if kind == "every day":
        services = draw(st.lists(st.sampled_from(cc.Service), min_size=1, max_size=3, unique=True))
        return cc.rulesets.service_every_day(rule_id, title, services=services, **common)
    share = draw(st.floats(0, 1, allow_nan=False))
    return cc.rulesets.attendance_rate(rule_id, title, at_least=share, **common)


@st.composite
def factory_rule_sets(draw: st.DrawFn) -> cc.RuleSet:
    """Rule sets of up to five factory rules, sometimes dated, sometimes amended afterwards
    (a threshold overridden, a severity changed, a rule left out), as a state's own set is."""
    count = draw(st.integers(0, 5))
    rules = [draw(factory_rules(f"MY-RULE-{i}")) for i in range(count)]
    start = draw(st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
    end = draw(
        st.none() | st.dates(min_value=start or date(2000, 1, 1), max_value=date(2035, 1, 1))
    )
    ruleset = cc.RuleSet(
        draw(st.sampled_from(["MY_STATE_IOP", "PAYER_X"]) | any_text),
        draw(st.sampled_from(["2026", "1.0"]) | any_text),
        rules,
        description=draw(st.sampled_from(["", "A state's IOP rules."]) | any_text),
        effective_from=start,
        effective_until=end,
    )
    if rules:
        rule = draw(st.sampled_from(rules))
        change = draw(st.sampled_from(["none", "severity", "without", "override"]))
        if change == "severity":
            ruleset = ruleset.with_severity(rule.id, draw(st.sampled_from(cc.Severity)))
        elif change == "without":
            ruleset = ruleset.without(rule.id)
        elif change == "override" and "at_least" in rule.params:
            # A new floor within the rule's ceiling (a share for an attendance goal).
            high, below = rule.params.get("at_most"), rule.params.get("less_than")
            ceiling = next(v for v in (high, below, 1.0 if "attendance" in rule.tags else 40.0)
                           if v is not None)  # fmt: skip
            floor = draw(st.floats(0, ceiling, exclude_max=below is not None))
            ruleset = ruleset.override(rule.id, at_least=floor)
    return ruleset
