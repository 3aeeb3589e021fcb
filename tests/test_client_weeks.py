"""Client-weeks in bulk: `judge_client_weeks` gives, client by client, what one `Attendance` per
client and `validate` give."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pendulum
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import rulesets, strategies
from carecontinuum._columns import table_builder
from carecontinuum.catalogs import GENERIC
from carecontinuum.rulesets import (
    attendance_rate,
    daily_hours,
    days_per_week,
    days_without_service,
    service_every_day,
    sessions_per_week,
    typical_weekly_hours,
    weekly_hours,
)

S = cc.AttendanceStatus
HOUR_US = 3_600_000_000
_SOURCE = cc.Source("Test payer")
_LEVELS = tuple(GENERIC)


def _hours_of(record: cc.AttendanceRecord) -> float | None:
    if record.status is not S.PARTIAL:
        return None
    return record.attended.total_seconds() / 3600


def _row(client: str, record: cc.AttendanceRecord) -> dict[str, Any]:
    if record.session is not None:
        return {"client": client, "start": record.session.start, "status": record.status.value,
                "attended_hours": _hours_of(record), "extra": False, "end": None,
                "service": None, "program_day": None}  # fmt: skip
    assert record.service is not None
    return {"client": client, "start": record.start, "status": record.status.value,
            "attended_hours": _hours_of(record), "extra": True, "end": record.end,
            "service": record.service.value, "program_day": record.program_day}  # fmt: skip


def _table(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    columns = ("client", "start", "status", "attended_hours", "extra", "end", "service",
               "program_day")  # fmt: skip
    return {name: [row[name] for row in rows] for name in columns}


def _custom_check(context: cc.RuleContext) -> Iterator[cc.Finding]:
    attendance = context.subject
    assert isinstance(attendance, cc.Attendance)
    if len(attendance.unrecorded) > 2:
        yield context.finding(
            f"{len(attendance.unrecorded)} sessions unrecorded.", expected="at most 2",
            found=str(len(attendance.unrecorded)), path="records",
        )  # fmt: skip


def _payer() -> cc.RuleSet:
    """Every factory rule that judges attendance, at each generic level, plus a custom rule."""
    return cc.RuleSet(
        "TEST-PAYER", "1",
        [
            weekly_hours("W", "hours", source=_SOURCE, levels=_LEVELS, at_least=6, less_than=20),
            typical_weekly_hours("T", "usual", source=_SOURCE, levels=_LEVELS, at_least=8,
                                 at_most=12),
            daily_hours("D", "daily", source=_SOURCE, levels=_LEVELS, at_least=2.5),
            daily_hours("DB", "daily span", source=_SOURCE, levels=_LEVELS, at_most=3.5,
                        include_breaks=True),
            days_per_week("N", "days", source=_SOURCE, levels=_LEVELS, at_least=3),
            sessions_per_week("S", "sessions", source=_SOURCE, levels=_LEVELS, at_most=4),
            days_without_service("G", "gap", source=_SOURCE, levels=_LEVELS, at_most=3),
            service_every_day("E", "group", source=_SOURCE, levels=_LEVELS,
                              services=[cc.Service.GROUP_THERAPY]),
            attendance_rate("R", "goal", source=_SOURCE, at_least=0.8),
            cc.Rule("C", "custom", source=_SOURCE, check=_custom_check, judges=cc.Attendance),
        ],
    )  # fmt: skip


_RULESETS = (_payer(), rulesets.ASAM3, rulesets.MEDICARE_2024, rulesets.NC_SAIOP,
             rulesets.NC_SAIOP_2025, rulesets.TYPICAL_IOP)  # fmt: skip


def _short_calendars() -> st.SearchStrategy[cc.Calendar]:
    # Up to eight weeks of one of the generic levels' programs: enough weeks for gaps and
    # partial weeks, few enough to judge many examples.
    levels = st.sampled_from([GENERIC["IOP"], GENERIC["PHP"], GENERIC["OP"]])
    return strategies.calendars(levels.flatmap(strategies.programs)).map(
        lambda cal: cal.between(cal.first, min(cal.last, cal.first.add(weeks=8)))
    )


@st.composite
def _claims(draw: st.DrawFn) -> tuple[list[cc.Attendance], dict[str, list[Any]]]:
    shared = draw(st.booleans())
    first = draw(_short_calendars())
    attendances = [
        draw(strategies.attendances(first if shared else _short_calendars()))
        for _ in range(draw(st.integers(1, 4)))
    ]
    # The clients' rows interleaved, each client's in its records' order.
    queues = [[_row(f"c{i}", r) for r in a.records] for i, a in enumerate(attendances)]
    rows = []
    while any(queues):
        pick = draw(st.sampled_from([i for i, q in enumerate(queues) if q]))
        rows.append(queues[pick].pop(0))
    return attendances, _table(rows)


class TestEqualsOneClientAtATime:
    @settings(max_examples=60)
    @given(st.data())
    def test_weeks_and_findings_equal_attendance_and_validate(self, data: st.DataObject) -> None:
        """Rule: for every client and week, the bulk figures and findings are those of that
        client's own `Attendance` and `validate` (text, paths, order included)."""
        # Drawn inside: the drawn calendars' reprs run to pages.
        attendances, claims = data.draw(_claims(), label="claims")
        ruleset = data.draw(st.sampled_from(_RULESETS), label="ruleset")
        schedule = {f"c{i}": a.calendar for i, a in enumerate(attendances)}
        judged = cc.judge_client_weeks(claims, schedule, ruleset)
        assert sorted(judged.clients) == sorted(schedule)
        for i, attendance in enumerate(attendances):
            client = f"c{i}"
            assert judged.weeks(client) == attendance.by_week()
            expected = cc.validate(attendance, ruleset).findings
            assert judged.findings(client) == expected
            assert [f.message for f in judged.findings(client)] == [f.message for f in expected]

    def test_one_calendar_for_all_clients(self) -> None:
        """One Calendar serves every client; each is judged on it."""
        cal = _iop(weeks=3)
        a = [cc.AttendanceRecord(s, S.PRESENT) for s in cal.sessions]
        b = [cc.AttendanceRecord(s, S.ABSENT if k % 2 else S.PRESENT)
             for k, s in enumerate(cal.sessions)]  # fmt: skip
        claims = _table([_row("a", r) for r in a] + [_row("b", r) for r in b])
        judged = cc.judge_client_weeks(claims, cal, rulesets.ASAM3)
        for client, records in (("a", a), ("b", b)):
            attendance = cc.Attendance(cal, records)
            assert judged.weeks(client) == attendance.by_week()
            assert judged.findings(client) == cc.validate(attendance, rulesets.ASAM3).findings
        assert judged.findings("a") == () and judged.findings("b")
        assert len(judged) == 6


def _iop(weeks: int = 2) -> cc.Calendar:
    program = cc.ProgramStructure.weekly(
        GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=weeks, start="09:00"
    )
    return cc.expand(program, pendulum.date(2026, 3, 2), "America/New_York")


def _claims_of(cal: cc.Calendar, statuses: list[str], client: str = "a") -> dict[str, list[Any]]:
    starts = [s.start for s in cal.sessions[: len(statuses)]]
    return {"client": [client] * len(statuses), "start": starts, "status": statuses}


class TestFrames:
    @pytest.mark.parametrize("make", [pd.DataFrame, pl.DataFrame], ids=["pandas", "polars"])
    def test_a_dataframe_reads_as_its_dict(self, make: Any) -> None:
        """A pandas or polars frame of the columns gives what the dict of lists gives."""
        cal = _iop()
        claims = _claims_of(cal, ["present", "absent", "partial", "present", "excused", "present"])
        claims["attended_hours"] = [None, None, 1.5, None, None, None]
        claims["extra"] = [False] * 6
        from_dict = cc.judge_client_weeks(claims, cal, rulesets.ASAM3)
        from_frame = cc.judge_client_weeks(make(claims), cal, rulesets.ASAM3)
        assert from_frame.weeks("a") == from_dict.weeks("a")
        assert from_frame.findings("a") == from_dict.findings("a")
        assert [w.delivered.total_seconds() / 3600 for w in from_frame.weeks("a")] == [4.5, 6]

    @pytest.mark.parametrize("make", [pd.DataFrame, pl.DataFrame], ids=["pandas", "polars"])
    def test_extra_sessions_in_a_frame_read_as_in_its_dict(self, make: Any) -> None:
        """Extra sessions' starts come from the frame's start column (kept as an array when
        no cell is empty): the weeks are the dict's, and a bad extra row is named as in the
        dict, by its own row."""
        cal = _iop()
        claims = _claims_of(cal, ["present"] * 4)
        at = cal.sessions[0].start.add(hours=5)
        extras = [at, at.add(days=2)]
        claims["start"] += extras
        claims["client"] += ["a", "a"]
        claims["status"] += ["present", "partial"]
        claims["attended_hours"] = [None] * 5 + [0.5]
        claims["extra"] = [False] * 4 + [True, True]
        claims["end"] = [None] * 4 + [start.add(hours=1) for start in extras]
        from_dict = cc.judge_client_weeks(claims, cal, rulesets.ASAM3)
        from_frame = cc.judge_client_weeks(make(claims), cal, rulesets.ASAM3)
        assert from_frame.weeks("a") == from_dict.weeks("a")
        assert from_frame.findings("a") == from_dict.findings("a")
        assert [w.delivered.total_seconds() / 3600 for w in from_frame.weeks("a")] == [10.5, 3]
        claims["start"][5] = cal.sessions[-1].start.add(days=30)  # past the calendar
        claims["end"][5] = claims["start"][5].add(hours=1)
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.judge_client_weeks(make(claims), cal, rulesets.ASAM3)
        assert caught.value.field == 'claims["start"][5]'

    def test_a_naive_datetime_column_is_refused(self) -> None:
        """Naive datetimes name no instant: refused, naming the column."""
        cal = _iop()
        frame = pd.DataFrame(_claims_of(cal, ["present"]))
        frame["start"] = frame["start"].dt.tz_localize(None)
        with pytest.raises(cc.InvalidValueError, match=r'claims\["start"\]'):
            cc.judge_client_weeks(frame, cal, rulesets.ASAM3)


class TestBadRows:
    def check(
        self, claims: dict[str, list[Any]], field: str, cal: cc.Calendar | None = None
    ) -> None:
        with pytest.raises(cc.CareContinuumError) as caught:
            cc.judge_client_weeks(claims, cal or _iop(), rulesets.ASAM3)
        assert getattr(caught.value, "field", None) == field

    def test_a_start_no_session_has(self) -> None:
        """A scheduled row must start when a session of the client's calendar starts."""
        cal = _iop()
        claims = _claims_of(cal, ["present", "present"])
        claims["start"][1] = claims["start"][1].add(minutes=5)
        self.check(claims, 'claims["start"][1]', cal)

    def test_two_rows_for_one_session(self) -> None:
        """A second row for a session is refused, naming the later row and the earlier."""
        cal = _iop()
        claims = _claims_of(cal, ["present", "present", "absent"])
        claims["start"][2] = claims["start"][0]
        with pytest.raises(cc.InvalidValueError, match=r"row 0 does") as caught:
            cc.judge_client_weeks(claims, cal, rulesets.ASAM3)
        assert caught.value.field == 'claims["start"][2]'

    def test_an_unknown_status(self) -> None:
        """The status is one of the four."""
        claims = _claims_of(_iop(), ["present", "late"])
        self.check(claims, 'claims["status"][1]')

    def test_partial_needs_hours_and_others_refuse_them(self) -> None:
        """PARTIAL needs attended_hours within the session's clinical time; other rows none."""
        cal = _iop()
        claims = _claims_of(cal, ["partial"])
        claims["attended_hours"] = [None]
        self.check(claims, 'claims["attended_hours"][0]', cal)
        claims["attended_hours"] = [3.0]  # all of a 3-hour session is PRESENT, not PARTIAL
        self.check(claims, 'claims["attended_hours"][0]', cal)
        claims = _claims_of(cal, ["present"])
        claims["attended_hours"] = [1.0]
        self.check(claims, 'claims["attended_hours"][0]', cal)

    def test_a_missing_column_and_uneven_columns(self) -> None:
        """The client, start and status columns are needed, all of one length."""
        claims = _claims_of(_iop(), ["present"])
        del claims["status"]
        self.check(claims, "claims")
        claims = _claims_of(_iop(), ["present", "present"])
        claims["client"].append("b")
        self.check(claims, "claims")

    def test_a_client_without_a_calendar(self) -> None:
        """A mapping schedule must give every client of the table a calendar."""
        cal = _iop()
        with pytest.raises(cc.InvalidValueError, match="schedule gives a Calendar") as caught:
            cc.judge_client_weeks(_claims_of(cal, ["present"], "z"), {"a": cal}, rulesets.ASAM3)
        assert caught.value.field == 'claims["client"][0]'

    def test_an_extra_session_outside_the_calendar(self) -> None:
        """An extra session must fall within the calendar's period; its row is named."""
        cal = _iop()
        late = cal.sessions[-1].start.add(days=30)
        claims = {"client": ["a"], "start": [late], "end": [late.add(hours=1)],
                  "status": ["present"], "extra": [True]}  # fmt: skip
        self.check(claims, 'claims["start"][0]', cal)

    def test_an_extra_session_with_a_bad_service(self) -> None:
        """An extra session's fields are checked as `AttendanceRecord.extra` checks them,
        named by column and row."""
        cal = _iop()
        at = cal.sessions[0].start.add(hours=5)
        claims = {"client": ["a"], "start": [at], "end": [at.add(hours=1)],
                  "status": ["present"], "extra": [True], "service": ["juggling"]}  # fmt: skip
        self.check(claims, 'claims["service"][0]', cal)

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"end": None}, 'claims["end"][2]'),
            ({"end": -1.0}, 'claims["end"][2]'),  # an hour before it starts
            ({"end": 25.0}, 'claims["end"][2]'),  # more than a day
            ({"status": "absent"}, 'claims["status"][2]'),
            ({"attended_hours": 0.5}, 'claims["attended_hours"][2]'),  # present: no hours
            ({"status": "partial"}, 'claims["attended_hours"][2]'),  # partial: hours needed
            ({"status": "partial", "attended_hours": 2.0}, 'claims["attended_hours"][2]'),
            ({"program_day": "yes"}, 'claims["program_day"][2]'),
            ({"service": "juggling"}, 'claims["service"][2]'),
            ({"service": "break"}, 'claims["service"][2]'),
            ({"start": 40 * 24.0}, 'claims["start"][2]'),  # 40 days on: past the calendar
            ({"start": "the day after"}, 'claims["start"][2]'),  # just past its last day
        ],
    )
    def test_a_bad_extra_row_among_good_ones(self, change: dict[str, Any], field: str) -> None:
        """Extra sessions are read together; one bad row among good ones is still refused,
        named by its own column and row (good rows, partial and marked program days among
        them, do not hide it)."""
        cal = _iop()
        at = cal.sessions[0].start.add(hours=5)
        rows = [
            {"start": at, "end": 1.0, "status": "present", "attended_hours": None,
             "program_day": True, "service": None},
            {"start": at.add(days=2), "end": 1.0, "status": "partial", "attended_hours": 0.5,
             "program_day": None, "service": "family_therapy"},
            {"start": at.add(days=4), "end": 1.0, "status": "present", "attended_hours": None,
             "program_day": False, "service": None},
        ]  # fmt: skip
        rows[2].update(change)
        for row in rows:
            if row["start"] == "the day after":
                row["start"] = at.set(year=cal.last.year, month=cal.last.month, day=cal.last.day)
                row["start"] = row["start"].add(days=1)
            elif not isinstance(row["start"], pendulum.DateTime):
                row["start"] = at.add(hours=row["start"])
            hours = row["end"]
            row["end"] = None if hours is None else row["start"].add(minutes=round(hours * 60))
        claims = {name: [row[name] for row in rows] for name in rows[0]}
        claims |= {"client": ["a"] * 3, "extra": [True] * 3}
        self.check(claims, field, cal)
        good = {name: values[:2] for name, values in claims.items()}
        judged = cc.judge_client_weeks(good, cal, rulesets.ASAM3)
        assert judged.weeks("a")[0].delivered.in_minutes() == 90

    def test_not_a_table(self) -> None:
        """Neither a mapping of columns nor a DataFrame: refused, naming claims."""
        self.check([1, 2, 3], "claims")  # type: ignore[arg-type]


class TestTables:
    def test_week_rows_carry_the_figures_and_finding_counts(self) -> None:
        """The registered table has a row per client-week, with the week's figures and how
        many findings name the week, by severity."""
        cal = _iop()
        claims = _claims_of(cal, ["present", "absent", "present", "present", "present", "present"])
        judged = cc.judge_client_weeks(claims, cal, rulesets.ASAM3)
        build = table_builder(cc.ClientWeeks)
        assert build is not None
        columns = build(judged)
        assert columns["monday"][1] == [w.monday for w in judged.weeks("a")]
        assert columns["delivered_hours"][1] == [6.0, 9.0]
        assert columns["shortfall_hours"][1] == [3.0, 0.0]
        week_errors = [
            sum(f.path == f"weeks[{w.monday}]" and f.severity is cc.Severity.ERROR
                for f in judged.findings("a"))
            for w in judged.weeks("a")
        ]  # fmt: skip
        assert columns["errors"][1] == week_errors and week_errors[0] > 0

    def test_finding_rows(self) -> None:
        """The findings table has one row per finding, with the client and the text."""
        cal = _iop()
        judged = cc.judge_client_weeks(_claims_of(cal, ["absent"] * 6), cal, rulesets.ASAM3)
        build = table_builder(cc.ClientWeeks, "findings")
        assert build is not None
        columns = build(judged)
        assert columns["message"][1] == [f.message for f in judged.findings("a")]
        assert set(columns["client"][1]) == {"a"}

    def test_an_unknown_client_is_refused(self) -> None:
        """Asking for a client the table and schedule do not hold names it."""
        cal = _iop()
        judged = cc.judge_client_weeks(_claims_of(cal, ["present"]), cal, rulesets.ASAM3)
        with pytest.raises(cc.InvalidValueError, match="client"):
            judged.weeks("nobody")


class TestRuleSets:
    def test_a_list_of_rule_sets_is_their_union(self) -> None:
        """As `validate` takes them: a list judges as the union of its sets."""
        cal = _iop()
        claims = _claims_of(cal, ["present", "absent", "present", "absent", "absent", "present"])
        listed = cc.judge_client_weeks(claims, cal, [rulesets.ASAM3, rulesets.TYPICAL_IOP])
        union = cc.judge_client_weeks(claims, cal, rulesets.ASAM3 | rulesets.TYPICAL_IOP)
        assert listed.findings("a") == union.findings("a") and listed.findings("a")

    def test_not_a_rule_set(self) -> None:
        """Anything else is refused, naming ruleset."""
        cal = _iop()
        with pytest.raises(cc.InvalidTypeError, match="ruleset"):
            cc.judge_client_weeks(_claims_of(cal, ["present"]), cal, "ASAM3")  # type: ignore[arg-type]

    def test_client_weeks_has_no_constructor_of_its_own(self) -> None:
        """Only judge_client_weeks makes one: building it by hand is refused, naming it."""
        with pytest.raises(cc.InvalidTypeError, match="judge_client_weeks"):
            cc.ClientWeeks()

    def test_client_weeks_is_immutable_and_pickles(self) -> None:
        """Its fields cannot be set; a pickled copy gives the same weeks and findings."""
        cal = _iop()
        judged = cc.judge_client_weeks(_claims_of(cal, ["present", "absent"]), cal, rulesets.ASAM3)
        with pytest.raises(AttributeError):
            judged.clients = ()  # type: ignore[misc]
        copy = pickle.loads(pickle.dumps(judged))
        assert copy.weeks("a") == judged.weeks("a") and copy.findings("a") == judged.findings("a")


@pytest.mark.parametrize("enabled", [True, False], ids=["collecting", "paused by the caller"])
def test_the_garbage_collector_is_left_as_it_was_found(enabled: bool) -> None:
    """Bulk judgement pauses Python's cyclic garbage collector while it works: after it, the
    collector is on again if it was on and still off if the caller had turned it off, after a
    result and after a refused table alike."""
    import gc  # noqa: PLC0415

    cal = _iop()
    good = _claims_of(cal, ["present", "absent", "present"])
    bad = {**good, "status": ["present", "absent", "nonsense"]}
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert cc.judge_client_weeks(good, cal, rulesets.ASAM3).clients == ("a",)
        assert gc.isenabled() is enabled
        with pytest.raises(cc.CareContinuumError):
            cc.judge_client_weeks(bad, cal, rulesets.ASAM3)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
