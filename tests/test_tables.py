"""carecontinuum.tables: each value's table has its documented, typed columns on every backend,
and its rows say what the value's own API says, row by row."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from typing import Any

import narwhals as nw
import pandas as pd
import pendulum
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import _columns, rulesets
from carecontinuum import strategies as ccst
from carecontinuum._columns import Columns
from carecontinuum.catalogs import ASAM3, GENERIC
from carecontinuum.tables import to_frame

BACKENDS = ("pandas", "polars", "pyarrow")
NATIVE = {"pandas": pd.DataFrame, "polars": pl.DataFrame, "pyarrow": pa.Table}
S = cc.AttendanceStatus
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?")

# The columns docs and docstring promise, each with its kind, in order.
CALENDAR = {
    "program": "str", "scheme": "str", "level": "str", "population": "str", "track": "str",
    "zone": "str", "date": "date", "weekday": "str", "week": "date", "program_week": "int",
    "start": "datetime", "end": "datetime", "clinical_hours": "float", "length_hours": "float",
    "services": "str", "session": "int", "session_name": "str", "delivery_mode": "str",
    "overnight": "bool", "program_day": "bool", "closed": "bool",
}  # fmt: skip
ATTENDANCE = {
    "client": "str", "week": "date", "planned_hours": "float", "delivered_hours": "float",
    "shortfall_hours": "float", "rate": "float", "sessions_planned": "int",
    "sessions_attended": "int", "partial": "bool", "complete": "bool",
}  # fmt: skip
FINDINGS = {
    "rule": "str", "severity": "str", "week": "date", "path": "str", "message": "str",
    "expected": "str", "found": "str", "expected_at_least": "float", "expected_at_most": "float",
    "expected_less_than": "float", "found_value": "float", "looks_like": "str",
}  # fmt: skip
REPORT = {"ruleset": "str", "version": "str", "scheme": "str", "level": "str", **FINDINGS}
CLASSIFICATION = {
    "scheme": "str", "level": "str", "name": "str", "ruleset": "str", "version": "str",
    "rules_applied": "int", "warnings": "int", "infos": "int",
}  # fmt: skip
STAYS = {
    "client": "str", "scheme": "str", "level": "str", "pathway": "str", "concurrent": "bool",
    "start": "date", "end": "date", "length_days": "int", "reason": "str",
}  # fmt: skip
TRANSITIONS = {
    "client": "str", "day": "date", "scheme": "str", "from_level": "str", "to_level": "str",
    "direction": "str", "reason": "str",
}  # fmt: skip


def _kind(dtype: Any) -> str:
    """A narwhals dtype as the kind of column it holds."""
    for kind, cls in (("date", nw.Date), ("datetime", nw.Datetime), ("str", nw.String),
                      ("int", nw.Int64), ("float", nw.Float64), ("bool", nw.Boolean)):  # fmt: skip
        if dtype == cls:
            return kind
    return f"<{dtype}>"


def kinds(frame: Any) -> dict[str, str]:
    """Each column of a native frame and the kind its dtype holds."""
    return {name: _kind(dtype) for name, dtype in nw.from_native(frame).schema.items()}


def rows(frame: Any) -> list[dict[str, Any]]:
    """A native frame's rows as Python values (dates, aware datetimes, floats, None)."""
    if isinstance(frame, pd.DataFrame):
        frame = pa.Table.from_pandas(frame, preserve_index=False)
    if isinstance(frame, pl.DataFrame):
        return frame.to_dicts()
    assert isinstance(frame, pa.Table)
    return frame.to_pylist()


def zone_of(frame: Any, column: str) -> str | None:
    dtype = nw.from_native(frame).schema[column]
    assert isinstance(dtype, nw.Datetime)
    return dtype.time_zone


def hours(duration: timedelta) -> float:
    microseconds = (duration.days * 86_400 + duration.seconds) * 10**6 + duration.microseconds
    return microseconds / 3_600_000_000


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _program(days: tuple[str, ...] = ("mon", "wed", "fri"), hours: float = 3,
             weeks: int = 3) -> cc.ProgramStructure:  # fmt: skip
    return cc.ProgramStructure.weekly(GENERIC["IOP"], days=list(days), hours_per_session=hours,
                                      weeks=weeks, start="18:00", name="Evening IOP")  # fmt: skip


def calendar() -> cc.Calendar:
    """Three weeks from a Wednesday in New York, over the spring clock change, one closure."""
    return cc.expand(_program(), pendulum.date(2026, 3, 4), "America/New_York",
                     closures=[pendulum.date(2026, 3, 9)])  # fmt: skip


def attendance() -> cc.Attendance:
    cal = calendar()
    statuses = [S.PRESENT, S.ABSENT, S.PARTIAL, S.EXCUSED, S.PRESENT]
    records = [
        cc.AttendanceRecord(s, status, attended=pendulum.duration(hours=1))
        if status is S.PARTIAL
        else cc.AttendanceRecord(s, status)
        for s, status in zip(cal.sessions, statuses, strict=False)
    ]
    return cc.Attendance(cal, records, client_id="c-1")


def episode() -> cc.Episode:
    return (
        cc.Episode.admit("c-1", "3.2-WM", pendulum.date(2026, 1, 5), continuum=ASAM3)
        .step_to("3.5", pendulum.date(2026, 1, 9), "withdrawal complete")
        .add_concurrent("OTP", pendulum.date(2026, 1, 9))
        .step_to("2.1", pendulum.date(2026, 2, 9), "stable")
    )


def report() -> cc.ValidationReport:
    return cc.validate(attendance(), rulesets.ASAM3)


CASES = {
    "calendar": (calendar, "", CALENDAR),
    "attendance": (attendance, "", ATTENDANCE),
    "report": (report, "", REPORT),
    "findings": (lambda: report().findings, "", FINDINGS),
    "classification": (lambda: cc.classify(_program(hours=4), rulesets.ASAM3), "",
                       CLASSIFICATION),
    "stays": (episode, "stays", STAYS),
    "transitions": (episode, "transitions", TRANSITIONS),
}  # fmt: skip


class TestColumns:
    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("case", CASES)
    def test_each_table_has_its_documented_typed_columns(self, case: str, backend: str) -> None:
        """Every table's columns are the documented ones, in order, each of its kind, in the
        backend's own frame, with a row for each item."""
        make, table, columns = CASES[case]
        frame = to_frame(make(), backend=backend, table=table)  # type: ignore[arg-type]
        assert isinstance(frame, NATIVE[backend])
        assert kinds(frame) == columns
        assert len(rows(frame)) > 0

    @pytest.mark.parametrize("backend", BACKENDS)
    def test_empty_values_give_empty_typed_frames(self, backend: Any) -> None:
        """A calendar narrowed to a day without sessions, a report without findings, no
        findings and an episode without moves give frames with no rows and every column."""
        empty_calendar = calendar().between("2026-03-05", "2026-03-05")
        ok = cc.validate(_program(hours=4), rulesets.ASAM3)
        assert ok.findings == ()
        just_admitted = cc.Episode.admit("c-2", "IOP", "2026-03-02", continuum=GENERIC)
        for value, table, columns in (
            (empty_calendar, "", CALENDAR),
            (ok, "", REPORT),
            (cc.Findings(), "", FINDINGS),
            (just_admitted, "transitions", TRANSITIONS),
        ):
            frame = to_frame(value, backend=backend, table=table)
            assert kinds(frame) == columns
            assert rows(frame) == []

    def test_pandas_columns_are_arrow_backed(self) -> None:
        """pandas holds dates, nullable counts and zoned times typed through Arrow dtypes."""
        frame = to_frame(calendar())
        assert str(frame["date"].dtype) == "date32[day][pyarrow]"
        assert str(frame["start"].dtype) == "timestamp[us, tz=America/New_York][pyarrow]"
        assert str(frame["program_week"].dtype) == "int64[pyarrow]"

    @pytest.mark.parametrize("backend", BACKENDS)
    def test_datetimes_keep_the_calendars_zone(self, backend: Any) -> None:
        """A calendar's times are in its zone: 18:00 local on both sides of the clock change."""
        frame = to_frame(calendar(), backend=backend)
        assert zone_of(frame, "start") == zone_of(frame, "end") == "America/New_York"
        starts = [row["start"] for row in rows(frame)]
        assert {(s.hour, s.minute) for s in starts} == {(18, 0)}
        assert {s.utcoffset() for s in starts} == {timedelta(hours=-5), timedelta(hours=-4)}

    @pytest.mark.parametrize("backend", BACKENDS)
    def test_calendars_of_two_zones_share_utc(self, backend: Any) -> None:
        """Rows of calendars in different zones are the same instants, in one UTC column, and
        the zone column tells them apart."""
        berlin = cc.expand(_program(), pendulum.date(2026, 3, 4), "Europe/Berlin")
        both = [calendar(), berlin]
        frame = to_frame(both, backend=backend)
        assert zone_of(frame, "start") == "UTC"
        sessions = sorted((*calendar().sessions, *calendar().closed), key=lambda s: s.start)
        expected = [s.start for s in sessions] + [s.start for s in berlin.sessions]
        assert [row["start"] for row in rows(frame)] == expected
        assert {row["zone"] for row in rows(frame)} == {"America/New_York", "Europe/Berlin"}


class TestFindingNumbers:
    def test_bounds_and_figures_are_read_from_the_texts(self) -> None:
        """A weekly-hours error has its rule's bounds and the week's hours as numbers; a note
        about a partial week has none."""
        report_rows = rows(to_frame(report(), backend="pyarrow"))
        rule = rulesets.ASAM3["ASAM3-2.1-ADULT-HOURS"]
        errors = [r for r in report_rows if r["severity"] == "error"]
        notes = [r for r in report_rows if r["severity"] == "info"]
        assert errors and notes
        hours_by_week = attendance().attended_by_week()
        for row in errors:
            assert row["expected_at_least"] == rule.params["at_least"]
            assert row["expected_less_than"] == rule.params["less_than"]
            assert row["expected_at_most"] is None
            assert row["found_value"] == hours(hours_by_week[row["week"]])
        for row in notes:
            assert [row[k] for k in FINDINGS if k.startswith(("expected_", "found_"))] == [None] * 4

    def test_a_finding_on_a_session_of_a_dated_week_has_that_week(self) -> None:
        """A report knows its subject: a finding at ``sessions[i]`` of a calendar is about the
        week that session is in; the same finding on its own has only its path."""
        program = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed", "fri"],
                                             hours_per_session=1, weeks=2)  # fmt: skip
        cal = cc.expand(program, pendulum.date(2026, 3, 2), "UTC")
        judged = cc.validate(cal, rulesets.ALL["NC_SAIOP_2026"])
        on_sessions = [f for f in judged.findings if f.path.startswith("sessions[")]
        assert len(on_sessions) > 3  # the hours-a-day rule names sessions of both weeks
        by_path = {r["path"]: r["week"] for r in rows(to_frame(judged, backend="polars"))}
        for finding in on_sessions:
            index = int(finding.path.removeprefix("sessions[").partition("]")[0])
            assert by_path[finding.path] == monday(cal.sessions[index].day)
        alone = rows(to_frame(list(on_sessions), backend="polars"))
        assert [r["week"] for r in alone] == [None] * len(on_sessions)


class TestRegistry:
    @pytest.mark.parametrize("backend", BACKENDS)
    def test_any_registered_kind_reads_as_a_table(
        self, backend: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A kind another part of the library registers (`register_table`) is a table too:
        its columns typed by their kinds, an int in a float column as a float, times in a
        zone without an IANA name (a fixed offset) as the same instants in UTC."""

        class Tally:
            pass

        at = datetime(2026, 3, 2, 9, tzinfo=timezone(timedelta(hours=2)))

        def build(_: Tally) -> Columns:
            return {
                "day": ("date", [date(2026, 3, 2)]), "at": ("datetime", [at]),
                "share": ("float", [1]), "count": ("int", [None]), "note": ("str", ["x"]),
            }  # fmt: skip

        monkeypatch.setitem(_columns._TABLES, (Tally, ""), build)
        frame = to_frame([Tally(), Tally()], backend=backend)
        assert kinds(frame) == {
            "day": "date", "at": "datetime", "share": "float", "count": "int", "note": "str"
        }  # fmt: skip
        assert zone_of(frame, "at") == "UTC"
        row = {"day": date(2026, 3, 2), "at": at, "share": 1.0, "count": None, "note": "x"}
        assert rows(frame) == [row, row]

    def test_a_path_naming_no_real_day_has_no_week(self) -> None:
        """A hand-written path of a week that is no date leaves the week null."""
        source = cc.Source("Clinic policy")
        found = [
            cc.Finding("X-1", "info", "A note.", expected="a", found="b", path=path, source=source)
            for path in ("weeks[2026-13-45]", "weeks[2026-03-02]", "weeks")
        ]
        weeks = [row["week"] for row in rows(to_frame(found, backend="pyarrow"))]
        assert weeks == [None, date(2026, 3, 2), None]


class TestErrors:
    @pytest.mark.parametrize("backend", ["arrow", "Pandas", "", "dask"])
    def test_an_unknown_backend_is_named(self, backend: str) -> None:
        with pytest.raises(cc.InvalidValueError) as caught:
            to_frame(calendar(), backend=backend)  # type: ignore[arg-type]
        assert caught.value.field == "backend"
        assert "'polars'" in str(caught.value)

    def test_a_backend_that_is_no_string_is_a_type_error(self) -> None:
        with pytest.raises(cc.InvalidTypeError) as caught:
            to_frame(calendar(), backend=pl)  # type: ignore[arg-type]
        assert caught.value.field == "backend"

    @pytest.mark.parametrize("value", [42, "calendar", {"a": [1]}, None, _program()])
    def test_a_value_that_reads_as_no_table_is_named(self, value: object) -> None:
        """Text, a mapping, a number or a program template is no table of the library's."""
        with pytest.raises(cc.InvalidTypeError) as caught:
            to_frame(value)
        assert caught.value.field == "value"
        assert "Calendar" in caught.value.expected

    def test_a_bad_item_of_a_collection_is_named_by_its_position(self) -> None:
        with pytest.raises(cc.InvalidTypeError) as caught:
            to_frame([episode(), "c-2"])
        assert caught.value.field == "value[1]"

    def test_a_collection_mixing_kinds_is_refused(self) -> None:
        """One table holds one kind of row: episodes and calendars do not mix."""
        with pytest.raises(cc.InvalidValueError) as caught:
            to_frame([episode(), calendar()])
        assert caught.value.field == "value[1]"
        assert "Episode" in str(caught.value)

    @pytest.mark.parametrize("value", [[], (), iter(())])
    def test_an_empty_collection_has_no_columns_to_take(self, value: object) -> None:
        with pytest.raises(cc.InvalidValueError) as caught:
            to_frame(value)
        assert caught.value.field == "value"

    def test_a_table_the_kind_lacks_names_its_tables(self) -> None:
        with pytest.raises(cc.InvalidValueError) as caught:
            to_frame(episode(), table="moves")
        assert caught.value.field == "table"
        assert "'transitions'" in str(caught.value) and "'stays'" in str(caught.value)
        with pytest.raises(cc.InvalidValueError) as caught:
            to_frame([calendar()], table="transitions")
        assert caught.value.field == "table"
        with pytest.raises(cc.InvalidTypeError) as caught_type:
            to_frame(episode(), table=None)  # type: ignore[arg-type]
        assert caught_type.value.field == "table"

    @pytest.mark.parametrize(
        ("backend", "missing"),
        [("polars", "polars"), ("pyarrow", "pyarrow"), ("pandas", "pandas"),
         ("pandas", "pyarrow"), ("polars", "narwhals")],
    )  # fmt: skip
    def test_a_missing_backend_names_its_extra(
        self, backend: Any, missing: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without a package the backend needs, the error names the package and the extra."""
        monkeypatch.setitem(sys.modules, missing, None)  # makes `import missing` fail
        with pytest.raises(cc.MissingExtraError) as caught:
            to_frame(calendar(), backend=backend)
        assert (caught.value.package, caught.value.extra) == (missing, backend)
        assert f"carecontinuum[{backend}]" in str(caught.value)


def test_the_core_loads_no_dataframe_library() -> None:
    """Using every kind of value that registers a table (as a program does that never asks for
    one) imports neither this edge nor narwhals nor any DataFrame library."""
    code = (
        "import sys, pendulum, carecontinuum as cc\n"
        "from carecontinuum import rulesets\n"
        "p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC['IOP'], days=['mon'],"
        " hours_per_session=3, weeks=2)\n"
        "cal = cc.expand(p, pendulum.date(2026, 3, 2), 'UTC')\n"
        "cc.validate(cc.Attendance(cal, []), rulesets.ASAM3); cc.classify(p, rulesets.ASAM3)\n"
        "cc.Episode.admit('c', 'IOP', '2026-03-02', continuum=cc.catalogs.GENERIC)\n"
        "print(sorted(m for m in ('narwhals', 'pandas', 'polars', 'pyarrow', 'numpy',"
        " 'carecontinuum.tables') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# ---- properties: a frame's rows are what the value's own API says -------------------------


def _on_every_backend(value: object, table: str = "") -> list[list[dict[str, Any]]]:
    return [rows(to_frame(value, backend=backend, table=table)) for backend in BACKENDS]


def _attended_day(record: cc.AttendanceRecord, cal: cc.Calendar) -> date:
    if record.session is not None:
        return record.session.day
    assert record.start is not None
    return pendulum.instance(record.start).in_timezone(cal.zone.name).date()


@settings(max_examples=40)
@given(ccst.calendars())
def test_calendar_rows_are_its_sessions(cal: cc.Calendar) -> None:
    """Rule: one row per dated session, held or closed, in time order, with the session's own
    day, times, clinical time, length, services and template."""
    program = cal.program
    sessions = sorted((*cal.sessions, *cal.closed), key=lambda s: s.start)
    expected = [
        {
            "program": program.name, "scheme": program.level.scheme,
            "level": program.level.code, "population": program.population.value,
            "track": program.track.value, "zone": cal.zone.name, "date": s.day,
            "weekday": s.day.strftime("%A"), "week": monday(s.day), "program_week": s.week,
            "start": s.start, "end": s.end, "clinical_hours": hours(s.clinical_duration),
            "length_hours": hours(s.duration),
            "services": ", ".join(v.value for v in s.session.services), "session": s.index,
            "session_name": s.session.name,
            "delivery_mode": (s.session.delivery_mode or program.delivery_mode).value,
            "overnight": s.session.overnight, "program_day": s.session.program_day,
            "closed": s in cal.closed,
        }
        for s in sessions
    ]  # fmt: skip
    for got in _on_every_backend(cal):
        assert got == expected
    held = to_frame(cal, backend="polars").filter(~pl.col("closed"))
    by_week = held.group_by("week").agg(pl.col("clinical_hours").sum())
    totals = dict(zip(by_week["week"], by_week["clinical_hours"], strict=True))
    for week, clinical in cal.hours_by_week().items():
        assert totals.get(week, 0.0) == pytest.approx(hours(clinical))


@settings(max_examples=40)
@given(ccst.attendances())
def test_attendance_rows_are_its_weeks(att: cc.Attendance) -> None:
    """Rule: one row per week, the figures `by_week` gives, with the sessions planned (held in
    the week) and attended (present or partial, extra sessions included)."""
    came: dict[date, int] = {}
    for record in att.records:
        if record.status in (S.PRESENT, S.PARTIAL):
            week = monday(_attended_day(record, att.calendar))
            came[week] = came.get(week, 0) + 1
    weeks = att.calendar.by_week()
    expected = [
        {
            "client": att.client_id, "week": w.monday, "planned_hours": hours(w.planned),
            "delivered_hours": hours(w.delivered), "shortfall_hours": hours(w.shortfall),
            "rate": w.rate, "sessions_planned": len(week.sessions),
            "sessions_attended": came.get(w.monday, 0), "partial": w.partial,
            "complete": w.complete,
        }
        for w, week in zip(att.by_week(), weeks, strict=True)
    ]  # fmt: skip
    for got in _on_every_backend(att):
        assert got == expected


def _finding_row(finding: cc.Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule_id, "severity": finding.severity.value, "path": finding.path,
        "message": finding.message, "expected": finding.expected, "found": finding.found,
        "looks_like": None if finding.looks_like is None else finding.looks_like.code,
    }  # fmt: skip


def _week_of(path: str, subject: object) -> date | None:
    """The week a finding at `path` is about, from the subject's own sessions and records."""
    head = path.partition(".")[0]
    if head.startswith("weeks[20"):
        return date.fromisoformat(head[len("weeks[") : -1])
    if head.startswith(("sessions[", "records[")) and not isinstance(subject, cc.ProgramStructure):
        index = int(head.partition("[")[2].rstrip("]"))
        if isinstance(subject, cc.Calendar):
            return monday(subject.sessions[index].day)
        if isinstance(subject, cc.Attendance):
            return monday(_attended_day(subject.records[index], subject.calendar))
    return None


def _dated_subjects() -> st.SearchStrategy[object]:
    return st.one_of(ccst.programs(), ccst.calendars(), ccst.attendances())


@settings(max_examples=40)
@given(_dated_subjects(), ccst.rule_sets())
def test_report_rows_are_its_findings(subject: object, ruleset: cc.RuleSet) -> None:
    """Rule: one row per finding, in order, with its own fields, the rule set that judged it
    and the week its path (or its session's day) is in; findings alone carry the same texts."""
    judged = cc.validate(subject, ruleset)
    level = judged.level
    for got in _on_every_backend(judged):
        assert [{k: row[k] for k in _finding_row(f)} for row, f in
                zip(got, judged.findings, strict=True)] == [
            _finding_row(f) for f in judged.findings
        ]  # fmt: skip
        for row, finding in zip(got, judged.findings, strict=True):
            assert row["week"] == _week_of(finding.path, subject)
            assert (row["ruleset"], row["version"]) == (ruleset.name, ruleset.version)
            assert row["level"] == (None if level is None else level.code)
    for got in _on_every_backend(judged.findings):
        assert [{k: row[k] for k in _finding_row(f)} for row, f in
                zip(got, judged.findings, strict=True)] == [
            _finding_row(f) for f in judged.findings
        ]  # fmt: skip


@settings(max_examples=40)
@given(st.lists(ccst.findings(), max_size=4))
def test_any_findings_keep_their_texts(found: list[cc.Finding]) -> None:
    """Rule: a finding's row holds its texts whole, whatever they say; numbers are null or
    a number the text states."""
    for got in _on_every_backend(cc.Findings(found)):
        assert [{k: row[k] for k in _finding_row(f)} for row, f in
                zip(got, found, strict=True)] == [_finding_row(f) for f in found]  # fmt: skip
        for row in got:
            stated = {float(n) for n in NUMBER.findall(f"{row['expected']} {row['found']}")}
            for column in ("expected_at_least", "expected_at_most", "expected_less_than",
                           "found_value"):  # fmt: skip
                assert row[column] is None or row[column] in stated


@settings(max_examples=30)
@given(ccst.programs(), ccst.rule_sets())
def test_classification_rows_are_its_levels(
    program: cc.ProgramStructure, ruleset: cc.RuleSet
) -> None:
    """Rule: one row per level `classify` keeps, in order, with what its report says."""
    levels = cc.classify(program, ruleset)
    if not levels:
        return
    expected = [
        {
            "scheme": c.level.scheme, "level": c.level.code, "name": c.level.name,
            "ruleset": c.report.ruleset.name, "version": c.report.ruleset.version,
            "rules_applied": len(c.report.applied), "warnings": len(c.report.warnings),
            "infos": len(c.report.infos),
        }
        for c in levels
    ]  # fmt: skip
    for got in _on_every_backend(levels):
        assert got == expected


@settings(max_examples=40)
@given(st.lists(ccst.episodes(), min_size=1, max_size=3))
def test_episode_rows_are_its_stays_and_moves(episodes: list[cc.Episode]) -> None:
    """Rule: an episode's stays (main, then alongside) and its transitions, row by row; a list
    of episodes is each one's rows in turn."""
    stays = [
        {
            "client": e.client_id, "scheme": s.level.scheme, "level": s.level.code,
            "pathway": s.level.pathway, "concurrent": alongside, "start": s.start,
            "end": s.end, "length_days": None if s.end is None else (s.end - s.start).days,
            "reason": s.reason,
        }
        for e in episodes
        for stays_of, alongside in ((e.stays, False), (e.concurrent, True))
        for s in stays_of
    ]  # fmt: skip
    moves = [
        {
            "client": e.client_id, "day": t.on, "scheme": t.from_level.scheme,
            "from_level": t.from_level.code, "to_level": t.to_level.code,
            "direction": t.direction.value, "reason": t.reason,
        }
        for e in episodes
        for t in e.transitions
    ]  # fmt: skip
    for got in _on_every_backend(episodes, "stays"):
        assert got == stays
    assert _on_every_backend(episodes[0]) == _on_every_backend(episodes[0], "stays")
    for got in _on_every_backend(episodes, "transitions"):
        assert got == moves


@settings(max_examples=30)
@given(ccst.censuses())
def test_census_rows_are_its_days_and_levels(census: cc.Census) -> None:
    """Rule: a census is one row per day and level, each the count `Census.on(day)` gives,
    with that day's flows; its "stays" table is what `lengths_of_stay` estimates from."""
    expected = [
        {
            "day": day, "level": level.code, "clients": census.on(day)[level],
        }
        for day in census.days
        for level in census.continuum.levels
    ]  # fmt: skip
    for got in _on_every_backend(census):
        assert [{k: row[k] for k in ("day", "level", "clients")} for row in got] == expected
        assert all(type(row["day"]) is date for row in got)
    for got in _on_every_backend(census, "stays"):
        assert all(row["length"] is None or row["length"] >= 0 for row in got)
