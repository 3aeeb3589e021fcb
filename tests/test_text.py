"""How values print (`_text`): every public value's ``str`` is one short line, its ``repr``
bounded with its own fields exact, and clinical time printed in hours."""

from __future__ import annotations

import enum
import inspect
import re
from datetime import date, timedelta
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import catalogs, rulesets
from carecontinuum._text import (
    COLLECTION_LIMIT,
    NESTED_LIMIT,
    SUMMARY_LIMIT,
    hours,
    nested_repr,
    value_repr,
)

D = pendulum.date
H = pendulum.duration

#: Every public attrs class; ValidationReport's str and repr print its findings in full.
CLASSES = sorted(
    (
        value
        for name in cc.__all__
        if inspect.isclass(value := getattr(cc, name)) and attrs.has(value)
        and value is not cc.ValidationReport
    ),
    key=lambda kind: kind.__name__,
)  # fmt: skip
# Values printed as themselves inside a repr: a field holding one is shown exactly.
EXACT = (str, int, float, bool, date, timedelta, enum.Enum, type(None))
# The most characters a field holding a nested value takes in its container's repr: a
# collection's items within COLLECTION_LIMIT, the one item over it, and ``<N more>``.
FIELD_MOST = COLLECTION_LIMIT + 2 * NESTED_LIMIT + SUMMARY_LIMIT


def check_summary(value: object) -> None:
    shown = str(value)
    assert 0 < len(shown) <= SUMMARY_LIMIT, shown
    assert shown.splitlines() == [shown], shown
    assert type(value).__str__ is not object.__str__, type(value)


def check_repr(value: object) -> None:
    """The repr names the type, shows each of its own plain fields exactly and each nested
    value in at most FIELD_MOST characters."""
    shown = repr(value)
    kind = type(value)
    assert shown.startswith(f"{kind.__name__}(")
    custom = "__repr__" in vars(kind)
    budget = len(kind.__name__) + 2
    for field in attrs.fields(kind):
        if field.repr is False or custom:
            continue
        held = getattr(value, field.name)
        budget += len(field.name) + 3
        if isinstance(held, EXACT):
            assert f"{field.name}={held!r}" in shown, field.name
            budget += len(repr(held))
        else:
            budget += FIELD_MOST
    assert len(shown) <= (budget if not custom else 2 * FIELD_MOST), (kind, len(shown))


@pytest.mark.parametrize("kind", CLASSES, ids=lambda kind: kind.__name__)
@settings(max_examples=25, suppress_health_check=list(HealthCheck), deadline=None)
@given(data=st.data())
def test_every_value_prints_one_short_line_and_a_bounded_repr(kind: type, data: Any) -> None:
    """For any value of any public class, ``str`` is one line of at most 120 characters and
    ``repr`` keeps its own plain fields exact and each nested value short."""
    value = data.draw(st.from_type(kind))
    check_summary(value)
    check_repr(value)


@pytest.mark.parametrize("continuum", [catalogs.GENERIC, catalogs.ASAM3, catalogs.ASAM4,
                                       catalogs.LOCUS])  # fmt: skip
def test_catalog_continua_and_levels_print_short(continuum: cc.Continuum) -> None:
    """Each catalog continuum and each of its levels (the longest names included) print as
    one short line; the continuum's summary names its scheme and counts its levels."""
    check_summary(continuum)
    assert str(continuum).startswith(f"{continuum.scheme} continuum")
    assert f"{len(continuum.levels)} levels" in str(continuum)
    for level in continuum:
        check_summary(level)
        assert str(level) == f"{level.scheme} {level.code} ({level.name})"


@pytest.mark.parametrize("ruleset", [getattr(rulesets, n) for n in rulesets.__all__
                                     if isinstance(getattr(rulesets, n), cc.RuleSet)])  # fmt: skip
def test_rule_sets_and_rules_print_short(ruleset: cc.RuleSet) -> None:
    """Every built-in rule set and rule prints one short line, with its id or name first."""
    check_summary(ruleset)
    check_repr(ruleset)
    assert str(ruleset).startswith(f"{ruleset.name} {ruleset.version}: {len(ruleset)} rule")
    for rule in ruleset:
        check_summary(rule)
        check_repr(rule)
        assert str(rule).startswith(f"{rule.id} ({rule.severity.value}; ")


def big_calendar() -> cc.Calendar:
    """Twenty years of daily sessions: the longest calendar `expand` makes, about 7,300."""
    program = cc.ProgramStructure.weekly(
        catalogs.GENERIC["RESIDENTIAL"], days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        hours_per_session=4, weeks=1_044, name="Long stay",
    )  # fmt: skip
    return cc.expand(program, D(2026, 1, 5), "America/New_York", closures=[D(2026, 12, 25)])


class TestBigValues:
    """The largest values print as briefly as small ones."""

    def test_a_twenty_year_calendar_and_its_attendance(self) -> None:
        """A 1,044-week calendar and an attendance of 7,000 records: one-line summaries, reprs
        within a few hundred characters, and the summary's figures the values' own."""
        cal = big_calendar()
        records = [cc.AttendanceRecord(s, cc.AttendanceStatus.PRESENT, client_id="c-1")
                   for s in cal.sessions[:7_000]]  # fmt: skip
        att = cc.Attendance(cal, records)
        for value in (cal, att, cal.by_week()[0], cal.program):
            check_summary(value)
            check_repr(value)
            assert len(repr(value)) < 1_500
        assert f"{len(cal.sessions)} sessions, 1 not held (closed)" in str(cal)
        planned = sum((w.planned for w in att.by_week()), timedelta())
        delivered = sum((w.delivered for w in att.by_week()), timedelta())
        assert f"{hours(delivered)} of {hours(planned)} delivered" in str(att)
        assert f"<{len(cal.sessions) - 2} more>" in repr(cal)

    def test_a_long_episode(self) -> None:
        """An episode of 400 stays prints its client, current level and days in care."""
        episode = cc.Episode.admit("c-9", "IOP", D(2026, 1, 5), continuum=catalogs.GENERIC)
        day = D(2026, 1, 5)
        for i in range(400):
            day = day.add(days=3)
            episode = episode.step_to("PHP" if i % 2 == 0 else "IOP", day, "change")
        check_summary(episode)
        check_repr(episode)
        days = (day - D(2026, 1, 5)).days
        assert str(episode) == (
            f"client c-9: at GENERIC IOP since {day}, open; {days} days in care to {day}; 401 stays"
        )
        assert "<" in repr(episode) and "more>" in repr(episode)


class TestSummaries:
    """Each summary says what the brief asks for, in its figures."""

    def test_program(self) -> None:
        """A program: name, level, population, days and start, hours a week, weeks."""
        program = cc.ProgramStructure.weekly(
            catalogs.ASAM3["2.1"], days=["mon", "wed", "fri"], start="18:00",
            hours_per_session=3, weeks=(6, 12),
        )  # fmt: skip
        assert str(program) == "ASAM3 2.1, adult, Mon/Wed/Fri 18:00, 9 h a week, 6-12 weeks"

    def test_program_with_different_start_times(self) -> None:
        """Start times that differ are listed, earliest first."""
        day = cc.Session(pendulum.WeekDay.MONDAY, pendulum.time(9),
                         [cc.Segment(cc.Service.GROUP_THERAPY, H(hours=3))])  # fmt: skip
        evening = cc.Session(pendulum.WeekDay.THURSDAY, pendulum.time(18),
                             [cc.Segment(cc.Service.GROUP_THERAPY, H(minutes=90))])  # fmt: skip
        program = cc.ProgramStructure(catalogs.GENERIC["IOP"], cc.Population.ADOLESCENT,
                                      cc.Track.MENTAL_HEALTH, [evening, day], 1)  # fmt: skip
        assert str(program) == "GENERIC IOP, adolescent, Mon/Thu 09:00/18:00, 4.5 h a week, 1 week"

    def test_finding_is_clipped_but_raises_in_full(self) -> None:
        """A finding's str is clipped at 120 characters; the RuleViolation it raises keeps
        every word."""
        long = "Far too few hours. " * 20
        finding = cc.Finding("X-1", cc.Severity.ERROR, long.strip(), expected="9 h",
                             found="8 h", source=cc.Source("Clinic"))  # fmt: skip
        assert len(str(finding)) == SUMMARY_LIMIT and str(finding).endswith("\u2026")
        assert str(finding).startswith("error X-1: Far too few hours.")
        assert str(cc.RuleViolation(finding)).endswith("(expected 9 h; found 8 h)")

    def test_attendance_week(self) -> None:
        """A week of attendance: delivered of planned hours, the rate and the shortfall."""
        week = cc.WeekDelivery(D(2026, 3, 2), H(hours=9), H(hours=7, minutes=30),
                               partial=False, complete=False)  # fmt: skip
        assert str(week) == (
            "week of 2026-03-02: 7.5 h of 9 h delivered (83%), 1.5 h short, not all recorded"
        )

    def test_names_with_line_breaks_stay_on_one_line(self) -> None:
        """A name holding line breaks and controls is printed on one line."""
        program = cc.ProgramStructure.weekly(catalogs.GENERIC["IOP"], days=["mon"],
                                             hours_per_session=3, weeks=1,
                                             name="Line one\nline\u2028two\r\n")  # fmt: skip
        assert str(program).startswith("Line one line two: GENERIC IOP")


class TestHours:
    """`hours`: clinical time in hours, minutes under an hour, never days."""

    @pytest.mark.parametrize(
        ("duration", "shown"),
        [
            (H(days=3), "72 h"),
            (H(hours=8, minutes=15), "8.25 h"),
            (H(hours=1, minutes=30), "1.5 h"),
            (H(minutes=45), "45 min"),
            (H(seconds=30), "0.5 min"),
            (H(), "0 h"),
            (-H(hours=2), "-2 h"),
            (timedelta(weeks=521_722, hours=3), "87649299 h"),
        ],
    )
    def test_examples(self, duration: timedelta, shown: str) -> None:
        """Whole and fractional hours, minutes, zero, negative and huge durations."""
        assert hours(duration) == shown

    @given(st.integers(min_value=0, max_value=10**7))
    def test_reads_back_to_the_minute(self, minutes: int) -> None:
        """The figure printed, read back, is the duration to within half a hundredth of its
        unit."""
        text = hours(timedelta(minutes=minutes))
        figure, unit = text.split(" ")
        assert unit in {"h", "min"} and (unit == "min") == (0 < minutes < 60)
        scale = 60 if unit == "h" else 1
        assert abs(float(figure) * scale - minutes) <= 0.005 * scale

    def test_no_summary_or_table_says_days(self) -> None:
        """Programs, calendar weeks and attendance weeks print their time in hours."""
        program = cc.ProgramStructure.weekly(
            catalogs.GENERIC["RESIDENTIAL"], days=["mon", "tue", "wed", "thu", "fri", "sat"],
            hours_per_session=6, weeks=2,
        )  # fmt: skip
        cal = cc.expand(program, D(2026, 3, 2), "UTC")
        week = cc.Attendance(cal, []).by_week()[0]
        for shown in (str(program), str(cal.by_week()[0]), str(week), cal._repr_html_(),
                      program._repr_html_()):  # fmt: skip
            assert not re.search(r"\b\d+ days?\b", shown), shown
        assert "36 h a week" in str(program)
        longer = attrs.evolve(program, weeks=cc.Span(2, 3))
        assert str(longer.total_hours) == "72-108 h"  # a Span of durations, in hours


class TestNestedRepr:
    """`nested_repr`: exact when short, abbreviated when long."""

    def test_short_values_stay_exact_and_eval_able(self) -> None:
        """A short value's repr is its own, and evaluates back to it."""
        span = cc.Span(6, 12)
        segment = cc.Segment(cc.Service.BREAK, H(minutes=15))
        assert nested_repr(span) == repr(span) == "Span(minimum=6, maximum=12)"
        names = {"Segment": cc.Segment, "Service": cc.Service, "Duration": pendulum.Duration}
        assert eval(repr(segment).replace("<Service.BREAK: 'break'>", "Service.BREAK"),
                    names) == segment  # fmt: skip

    def test_a_long_value_becomes_its_summary(self) -> None:
        """A nested value whose repr is over the limit prints as <Type: summary>."""
        program = big_calendar().program
        assert len(repr(program)) > NESTED_LIMIT
        assert nested_repr(program) == f"<ProgramStructure: {program}>"

    def test_a_long_collection_shows_its_first_items_and_a_count(self) -> None:
        """A long tuple shows items up to the limit, then how many more."""
        shown = nested_repr(tuple(range(1_000)))
        kept = shown.removeprefix("(").split(", <")[0].split(", ")
        assert kept == [str(i) for i in range(len(kept))]
        assert shown.endswith(f", <{1_000 - len(kept)} more>)")
        assert len(shown) <= COLLECTION_LIMIT + 20
        assert nested_repr((1,)) == "(1,)" and nested_repr(()) == "()"


class TestValueRepr:
    """`value_repr`: the one ``__repr__`` of the library's values, as attrs would write it."""

    def test_it_writes_what_attrs_writes_with_each_shown_field_by_nested_repr(self) -> None:
        """Field order, hidden fields, a field's own repr callable and long nested values: the
        same text as the method attrs generates for a twin class whose fields show by
        `nested_repr`."""

        def shout(value: object) -> str:
            return f"{value}!"

        @attrs.frozen
        class Ours:
            __repr__ = value_repr
            first: object
            _hidden: object = attrs.field(repr=False)
            loud: object = attrs.field(repr=shout)
            last: object = None

        @attrs.frozen
        class Twin:
            first: object = attrs.field(repr=nested_repr)
            _hidden: object = attrs.field(repr=False)
            loud: object = attrs.field(repr=shout)
            last: object = attrs.field(default=None, repr=nested_repr)

        program = big_calendar().program
        for args in [(1, 2, "a", None), ("x", program, program, tuple(range(500))),
                     (program, None, (), cc.Span(1, 2))]:  # fmt: skip
            ours, twin = repr(Ours(*args)), repr(Twin(*args))
            assert ours == twin.replace("Twin(", "Ours(", 1)
        assert repr(Ours(1, 2, 3)) == "Ours(first=1, loud=3!, last=None)"  # a local class too

    @pytest.mark.parametrize("kind", CLASSES, ids=lambda kind: kind.__name__)
    def test_every_public_value_shares_it_or_writes_its_own(self, kind: type) -> None:
        """No public class has a ``__repr__`` attrs generated (compiled for each class at
        import): each uses `value_repr` or one written for it."""
        own = kind.__dict__["__repr__"]
        assert own is value_repr or own.__code__.co_filename.endswith(".py"), kind
