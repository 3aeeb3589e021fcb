"""classify_many and validate_many: for each design, in order, what classify and validate give
for it, design by design; tables of weekly designs read as `ProgramStructure.weekly(**row)`."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum import rulesets, strategies
from carecontinuum._columns import table_builder
from carecontinuum.catalogs import ASAM3, GENERIC
from carecontinuum.rulesets import RuleSeries

BUILT_IN = sorted(rulesets.ALL)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LEVELS = (*GENERIC.levels, *(ASAM3[code] for code in ("1", "2.1", "2.5", "3.1")))


def _late_start(context: cc.RuleContext) -> Iterator[cc.Finding]:
    """A clinic's own rule (not a factory rule): no session may start after 17:00."""
    program = context.subject
    assert isinstance(program, cc.ProgramStructure)
    for i, session in enumerate(program.sessions):
        if session.start.hour >= 17:
            yield context.finding(
                f"Session {i + 1} starts at {session.start}.",
                expected="a start by 17:00",
                found=str(session.start),
                path=f"sessions[{i}]",
            )


def _named(context: cc.RuleContext) -> Iterator[cc.Finding]:
    """A note on every program without a name (a WARNING, never an error)."""
    program = context.subject
    assert isinstance(program, cc.ProgramStructure)
    if program.name is None:
        yield context.finding("No name.", expected="a name", found="none")


_CLINIC = cc.Source("Clinic policy")
MIXED = rulesets.TYPICAL_IOP | cc.RuleSet(
    "CLINIC",
    "1",
    [
        cc.Rule("CLINIC-LATE", "No late starts", source=_CLINIC, check=_late_start,
                levels=[GENERIC["IOP"], GENERIC["PHP"]]),
        cc.Rule("CLINIC-NAMED", "Programs are named", source=_CLINIC, check=_named,
                severity="warning"),
        rulesets.session_hours("CLINIC-SESSION", "2-4 hour sessions", source=_CLINIC,
                               levels=GENERIC["IOP"], at_least=2, at_most=4, severity="error"),
        rulesets.days_without_service("CLINIC-GAP", "No long gaps", source=_CLINIC,
                                      levels=GENERIC["IOP"], at_most=3),
        rulesets.service_every_day("CLINIC-GROUP", "Group daily", source=_CLINIC,
                                   levels=GENERIC["PHP"], services=[cc.Service.GROUP_THERAPY]),
        rulesets.daily_hours("CLINIC-DAY", "3+ hours a day", source=_CLINIC,
                             levels=GENERIC["IOP"], at_least=3, include_breaks=True),
    ],
)  # fmt: skip
# Thresholds overridden: the batch reads them from the rules, as the checks do.
AMENDED = (
    rulesets.ASAM3.override("ASAM3-2.1-ADULT-HOURS", at_least=8, less_than=21)
    .override("ASAM3-2.1-ADOLESCENT-HOURS", at_least=5)
    .with_severity("ASAM3-2.5-HOURS", "warning")
)
ALL_SETS = {**rulesets.ALL, "MIXED": MIXED, "AMENDED": AMENDED}


def _expected_classify(designs: list[cc.ProgramStructure], ruleset: Any, **options: Any) -> list:
    return [cc.classify(design, ruleset, **options) for design in designs]


def _expected_validate(designs: list[cc.ProgramStructure], ruleset: Any, **options: Any) -> list:
    return [cc.validate(design, ruleset, **options) for design in designs]


def _same_reports(got: list[cc.ValidationReport], expected: list[cc.ValidationReport]) -> None:
    """Equal reports, and the same text of every finding (message, expected, found)."""
    assert got == expected
    for mine, theirs in zip(got, expected, strict=True):
        assert [str(f) for f in mine.findings] == [str(f) for f in theirs.findings]
        assert [f.expected for f in mine.findings] == [f.expected for f in theirs.findings]
        assert mine.subject == theirs.subject


@st.composite
def weekly_rows(draw: st.DrawFn) -> dict[str, Any]:
    """One row of a table of weekly designs: the arguments of `ProgramStructure.weekly`."""
    row: dict[str, Any] = {
        "level": draw(st.sampled_from(_LEVELS)),
        "days": draw(
            st.lists(st.sampled_from(_DAYS), min_size=1, max_size=7, unique=True)
            | st.sampled_from(_DAYS)
        ),
        "hours_per_session": draw(st.integers(2, 24)) / 4,
        "weeks": draw(
            st.integers(1, 16) | st.tuples(st.integers(1, 8), st.integers(8, 16)).map(list)
        ),
        "population": draw(st.sampled_from([None, "adult", "adolescent", cc.Population.ADULT])),
        "track": draw(st.sampled_from([None, *cc.Track])),
        "start": draw(st.sampled_from([None, "08:00", "12:30", "17:30"])),
        "name": draw(st.sampled_from([None, "Evening IOP"])),
    }
    return row


def _table(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    names = ("level", "days", "hours_per_session", "weeks", "population", "track", "start",
             "name")  # fmt: skip
    return {name: [row[name] for row in rows] for name in names}


def _nested(depth: int) -> tuple[Any, ...]:
    """``((...((8,),)...),)``: a tuple `depth` tuples deep."""
    value: tuple[Any, ...] = (8,)
    for _ in range(depth):
        value = (value,)
    return value


def _built(rows: list[dict[str, Any]]) -> list[cc.ProgramStructure]:
    """Row i as `ProgramStructure.weekly(**row_i)` (None: the default; [a, b] weeks: a range)."""
    designs = []
    for row in rows:
        given = {k: v for k, v in row.items() if v is not None and k != "level"}
        if isinstance(given["weeks"], list):
            given["weeks"] = tuple(given["weeks"])
        designs.append(cc.ProgramStructure.weekly(row["level"], **given))
    return designs


class TestClassifyMany:
    @given(st.lists(strategies.programs(), max_size=6), st.sampled_from(sorted(ALL_SETS)))
    def test_equals_classify_design_by_design(
        self, designs: list[cc.ProgramStructure], name: str
    ) -> None:
        """classify_many(designs, set)[i] == classify(designs[i], set), for every built-in set
        and a set mixing factory and custom rules; codes() agrees."""
        ruleset = ALL_SETS[name]
        got = cc.classify_many(designs, ruleset)
        expected = _expected_classify(designs, ruleset)
        assert list(got) == expected
        assert got.codes() == [tuple(c.level.code for c in e) for e in expected]
        for mine, theirs in zip(got, expected, strict=True):
            _same_reports([c.report for c in mine], [c.report for c in theirs])

    @given(st.lists(weekly_rows(), max_size=8), st.sampled_from(sorted(ALL_SETS)))
    def test_a_table_equals_classify_of_each_row(
        self, rows: list[dict[str, Any]], name: str
    ) -> None:
        """Row i of a table is the design ProgramStructure.weekly(**row_i) builds; its
        classification is classify's."""
        ruleset = ALL_SETS[name]
        got = cc.classify_many(_table(rows), ruleset)
        expected = _expected_classify(_built(rows), ruleset)
        assert list(got) == expected
        assert got.codes() == [tuple(c.level.code for c in e) for e in expected]

    @given(st.lists(weekly_rows(), min_size=1, max_size=6), st.data())
    def test_a_list_of_sets_is_their_union(self, rows: list[dict[str, Any]], data: Any) -> None:
        """A list of rule sets classifies as their union, as classify takes it."""
        chosen = data.draw(st.lists(st.sampled_from(["TYPICAL_IOP", "ASAM3", "MEDICARE_2024"]),
                                    min_size=1, max_size=2, unique=True))  # fmt: skip
        sets = [rulesets.ALL[n] for n in chosen]
        assert list(cc.classify_many(_table(rows), sets)) == _expected_classify(_built(rows), sets)

    def test_a_sweep_of_the_domain(self) -> None:
        """Three evenings a week of 3 hours is ASAM 2.1; two 2-hour evenings level 1; 7-hour
        days 2.5: what classify says of each, in the table's order."""
        table = {
            "level": [GENERIC["IOP"]] * 3,
            "days": [["mon", "wed", "fri"], ["tue", "thu"], ["mon", "wed", "fri"]],
            "hours_per_session": [3, 2, 7],
            "weeks": [8, 12, [6, 12]],
            "start": ["17:30", "18:00", "09:00"],
        }
        placed = cc.classify_many(table, rulesets.ASAM3)
        assert placed.codes() == [("2.1",), ("1",), ("2.5",)]
        assert placed[0][0].report.applied == ("ASAM3-2.1-ADULT-HOURS",)
        assert placed[-1] == placed[2]

    def test_a_series_classifies_by_the_version_on_the_day(self) -> None:
        """A RuleSeries needs `on`, and classifies by the version in force then (none in a
        gap), as classify does."""
        design = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed", "fri"],
                                            hours_per_session=3, weeks=8)  # fmt: skip
        series = rulesets.NC_SAIOP_SERIES
        for on in ("2024-06-03", "2026-03-02", date(2025, 7, 1)):
            assert list(cc.classify_many([design], series, on=on)) == [
                cc.classify(design, series, on=on)
            ]
        with pytest.raises(cc.InvalidValueError, match="'on'"):
            cc.classify_many([design], series)
        assert list(cc.classify_many([], series)) == []

    def test_a_table_read_through_each_dataframe_library(self) -> None:
        """pandas, polars and pyarrow tables (level codes with continuum=) give what the dict
        of columns gives."""
        pandas = pytest.importorskip("pandas")
        polars = pytest.importorskip("polars")
        pyarrow = pytest.importorskip("pyarrow")
        columns = {
            "level": ["OP", "IOP", "PHP", "IOP"],
            "days": [["mon"], ["mon", "wed", "fri"], list(_DAYS[:5]), ["tue", "thu"]],
            "hours_per_session": [1.5, 3.0, 5.0, 2.5],
            "weeks": [12, 8, 4, 10],
            "track": ["mental health", None, "co-occurring", None],
        }
        expected = cc.classify_many(columns, rulesets.TYPICAL_IOP, continuum=GENERIC).codes()
        assert expected == [("OP",), ("IOP",), ("PHP",), ("OP",)]
        for frame in (
            pandas.DataFrame(columns),
            polars.DataFrame(columns),
            pyarrow.table(columns),
        ):
            got = cc.classify_many(frame, rulesets.TYPICAL_IOP, continuum=GENERIC)
            assert got.codes() == expected
            assert got[1] == cc.classify(
                cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed", "fri"],
                                           hours_per_session=3.0, weeks=8),
                rulesets.TYPICAL_IOP,
            )  # fmt: skip

    def test_its_table_has_a_row_per_design(self) -> None:
        """The table edge reads one row per design: its first level and all of them."""
        table = {"level": [GENERIC["IOP"]] * 2, "days": [["mon"], ["mon", "wed", "fri"]],
                 "hours_per_session": [1, 7], "weeks": [8, 8]}  # fmt: skip
        placed = cc.classify_many(table, rulesets.MEDICARE_2024)
        build = table_builder(type(placed))
        assert build is not None
        assert build(placed) == {
            "design": ("int", [0, 1]),
            "level": ("str", [None, "PHP"]),
            "levels": ("str", [None, "PHP"]),
        }


class TestDesignTable:
    @given(
        st.lists(weekly_rows(), max_size=8),
        st.lists(st.sampled_from(sorted(ALL_SETS)), min_size=2, max_size=3),
    )
    def test_read_once_judged_by_many_sets(
        self, rows: list[dict[str, Any]], names: list[str]
    ) -> None:
        """A DesignTable judged by several rule sets gives, set by set, what the table it was
        read from gives (classify_many and validate_many); its items are the designs."""
        table = cc.DesignTable(_table(rows))
        assert list(table) == _built(rows)
        for name in names:
            ruleset = ALL_SETS[name]
            placed = cc.classify_many(table, ruleset)
            assert list(placed) == _expected_classify(_built(rows), ruleset)
            assert placed.codes() == cc.classify_many(_table(rows), ruleset).codes()
            reports = cc.validate_many(table, ruleset)
            assert reports.ok == cc.validate_many(_table(rows), ruleset).ok
            _same_reports(list(reports), _expected_validate(_built(rows), ruleset))

    def test_later_changes_to_the_columns_do_not_reach_it(self) -> None:
        """The columns are copied when read: the table stays the designs it was read from."""
        columns = {"level": [ASAM3["2.1"]] * 2, "days": [["mon", "wed", "fri"], ["mon"]],
                   "hours_per_session": [3, 3], "weeks": [8, 8]}  # fmt: skip
        table = cc.DesignTable(columns)
        before = list(table)
        columns["hours_per_session"][0] = 1
        columns["days"][1].append("fri")
        assert list(table) == before
        assert cc.classify_many(table, rulesets.ASAM3).codes() == [("2.1",), ("1",)]

    def test_a_sequence_that_pickles_as_its_designs(self) -> None:
        """Positions from the end, slices, IndexError past the end; pickling and copying keep
        the designs; no attribute can be set."""
        design = _built([{"level": ASAM3["2.1"], "days": ["mon", "wed"], "hours_per_session": 3,
                          "weeks": 8}])[0]  # fmt: skip
        longer = cc.ProgramStructure.weekly(
            ASAM3["2.1"], days=["mon", "wed"], hours_per_session=3, weeks=12
        )
        table = cc.DesignTable([design, longer])
        assert table[-1] == table[1] != table[0] == design and table[:1] == [design]
        with pytest.raises(IndexError):
            table[2]
        again = pickle.loads(pickle.dumps(table))
        assert isinstance(again, cc.DesignTable) and list(again) == list(table)
        assert list(copy.deepcopy(table)) == list(table)
        with pytest.raises(AttributeError):
            table._designs = None  # type: ignore[misc]
        assert repr(table) == "<DesignTable: 2 designs>"

    def test_read_with_its_own_continuum(self) -> None:
        """Codes are read with the continuum given to the table; giving one again is refused."""
        table = cc.DesignTable(
            {
                "level": ["IOP"],
                "days": [["mon", "wed", "fri"]],
                "hours_per_session": [3],
                "weeks": [8],
            },
            continuum=GENERIC,
        )
        assert cc.classify_many(table, rulesets.TYPICAL_IOP).codes() == [("IOP",)]
        with pytest.raises(cc.InvalidValueError, match="'continuum'"):
            cc.classify_many(table, rulesets.TYPICAL_IOP, continuum=GENERIC)
        with pytest.raises(cc.UnknownLevelError) as caught:
            cc.DesignTable({"level": ["XYZ"], "days": ["mon"], "hours_per_session": [3],
                            "weeks": [8]}, continuum=GENERIC)  # fmt: skip
        assert "in row 0" in "".join(caught.value.__notes__)


class TestValidateMany:
    @given(st.lists(strategies.programs(), max_size=6), st.sampled_from(sorted(ALL_SETS)))
    def test_equals_validate_design_by_design(
        self, designs: list[cc.ProgramStructure], name: str
    ) -> None:
        """validate_many(designs, set)[i] == validate(designs[i], set), findings' text
        included; ok is each report's ok."""
        ruleset = ALL_SETS[name]
        got = cc.validate_many(designs, ruleset)
        expected = _expected_validate(designs, ruleset)
        _same_reports(list(got), expected)
        assert got.ok == tuple(r.ok for r in expected)

    @given(
        st.lists(weekly_rows(), max_size=8),
        st.sampled_from(sorted(ALL_SETS)),
        st.sampled_from([None, *_LEVELS]),
    )
    def test_a_table_equals_validate_of_each_row(
        self, rows: list[dict[str, Any]], name: str, as_level: cc.LevelOfCare | None
    ) -> None:
        """Each row's report is validate's, at its own level or at `as_level`."""
        ruleset = ALL_SETS[name]
        got = cc.validate_many(_table(rows), ruleset, as_level=as_level)
        expected = _expected_validate(_built(rows), ruleset, as_level=as_level)
        _same_reports(list(got), expected)
        assert got.ok == tuple(r.ok for r in expected)

    @pytest.mark.parametrize("on", [None, "2024-06-03", "2025-07-01", "2026-03-02", "2020-01-06"])
    @pytest.mark.parametrize("name", ["NC_SAIOP_2025", "NC_SAIOP_2026", "NC_SAIOP_SERIES"])
    def test_dated_sets_and_series(self, on: str | None, name: str) -> None:
        """A dated set judges a program by what is in force on `on` (a NOT-IN-FORCE note
        outside it); a series needs `on`; as validate does."""
        ruleset = getattr(rulesets, name)
        designs = [
            cc.ProgramStructure.weekly(GENERIC["IOP"], days=days, hours_per_session=3, weeks=8)
            for days in (["mon", "wed", "fri"], ["tue"], list(_DAYS[:5]))
        ]
        if on is None and isinstance(ruleset, RuleSeries):
            with pytest.raises(cc.InvalidValueError) as raised:
                cc.validate_many(designs, ruleset)
            with pytest.raises(cc.InvalidValueError) as theirs:
                cc.validate(designs[0], ruleset)
            assert str(raised.value) == str(theirs.value)
            return
        got = cc.validate_many(designs, ruleset, on=on)
        expected = _expected_validate(designs, ruleset, on=on)
        _same_reports(list(got), expected)
        assert got.ok == tuple(r.ok for r in expected)

    def test_a_crashing_rule_is_a_finding_as_in_validate(self) -> None:
        """A custom rule that crashes is an ERROR finding naming it, design by design."""

        def crash(context: cc.RuleContext) -> Iterator[cc.Finding]:
            raise KeyError("x")

        broken = cc.RuleSet("B", "1", [cc.Rule("B-1", "Broken", source=_CLINIC, check=crash)])
        designs = _built([{"level": GENERIC["IOP"], "days": "mon", "hours_per_session": 3,
                           "weeks": 8}])  # fmt: skip
        got = cc.validate_many(designs, [rulesets.TYPICAL_IOP, broken])
        _same_reports(list(got), _expected_validate(designs, [rulesets.TYPICAL_IOP, broken]))
        assert got.ok == (False,)
        assert list(cc.classify_many(designs, [rulesets.TYPICAL_IOP, broken])) == [()]

    def test_its_table_has_the_verdicts(self) -> None:
        """The table edge reads one row per design: the level judged at and ok."""
        table = {"level": [ASAM3["2.1"]] * 2, "days": [["mon", "wed"], ["mon", "wed", "fri"]],
                 "hours_per_session": [3, 3], "weeks": [8, 8]}  # fmt: skip
        reports = cc.validate_many(table, rulesets.ASAM3)
        build = table_builder(type(reports))
        assert build is not None
        assert build(reports) == {
            "design": ("int", [0, 1]),
            "level": ("str", ["2.1", "2.1"]),
            "ok": ("bool", [False, True]),
        }


class TestDesigns:
    """What a table of designs may hold, and the errors that name the column and the row."""

    BASE: dict[str, list[Any]] = {  # noqa: RUF012 (copied by each test)
        "level": [GENERIC["IOP"]] * 3,
        "days": [["mon", "wed", "fri"]] * 3,
        "hours_per_session": [3, 3, 3],
        "weeks": [8, 8, 8],
    }

    def _with(self, **columns: list[Any]) -> dict[str, list[Any]]:
        return {**self.BASE, **columns}

    @pytest.mark.parametrize(
        ("columns", "error", "field"),
        [
            ({"hours_per_session": [3, 3, -1]}, cc.InvalidValueError, "hours_per_session[2]"),
            ({"hours_per_session": [3, None, 3]}, cc.InvalidValueError, "hours_per_session[1]"),
            ({"days": [["mon"], ["mon", "funday"], ["mon"]]}, cc.InvalidValueError,
             "days[1][1]"),
            ({"days": [["mon"], ["mon", "mon"], ["mon"]]}, cc.InvalidValueError, "days[1]"),
            ({"start": ["09:00", "25:00", "09:00"]}, cc.InvalidValueError, "start[1]"),
            ({"weeks": [8, 0, 8]}, cc.InvalidValueError, "weeks[1]"),
            ({"weeks": [8, 8, [12, 6]]}, cc.InvalidValueError, "weeks[2]"),
            # Equal to an earlier row's value but of a type the constructor refuses: not
            # merged with it (each part of a tuple keeps its type).
            ({"weeks": [(8, 12), (8, 12), (8.0, 12.0)]}, cc.InvalidTypeError, "weeks[2]"),
            ({"weeks": [[1, 12], [1, 12], [True, 12]]}, cc.InvalidTypeError, "weeks[2]"),
            ({"days": [[WeekDay.MONDAY], [WeekDay.MONDAY], [0]]}, cc.InvalidTypeError,
             "days[2][0]"),
            ({"days": [WeekDay.MONDAY, WeekDay.MONDAY, 0]}, cc.InvalidTypeError, "days[2]"),
            # A tuple nested deeper than any recursion limit: refused, not a RecursionError.
            ({"weeks": [8, 8, _nested(5_000)]}, cc.InvalidTypeError, "weeks[2]"),
            ({"days": [("mon",), ("mon",), _nested(5_000)]}, cc.InvalidTypeError, "days[2][0]"),
            ({"population": ["adult", "elderly", None]}, cc.InvalidValueError, "population[1]"),
            ({"level": [GENERIC["IOP"], "IOP", GENERIC["IOP"]]}, cc.InvalidTypeError,
             "level[1]"),
            ({"track": [None, None, {"a": 1}]}, cc.InvalidTypeError, "track[2]"),
        ],
    )  # fmt: skip
    def test_a_bad_value_is_named_by_column_and_row(
        self, columns: dict[str, list[Any]], error: type[Exception], field: str
    ) -> None:
        """The error is the library's, naming the column and the row the caller wrote."""
        with pytest.raises(error) as raised:
            cc.classify_many(self._with(**columns), rulesets.ASAM3)
        assert raised.value.field == field  # type: ignore[attr-defined]
        assert field in str(raised.value)

    def test_unknown_missing_and_ragged_columns(self) -> None:
        """A column weekly does not take, a required one missing, or one of another length."""
        with pytest.raises(cc.InvalidValueError, match="hours_per_week"):
            cc.validate_many({**self.BASE, "hours_per_week": [9, 9, 9]}, rulesets.ASAM3)
        without = {k: v for k, v in self.BASE.items() if k != "weeks"}
        with pytest.raises(cc.InvalidValueError, match="'weeks'"):
            cc.validate_many(without, rulesets.ASAM3)
        with pytest.raises(cc.InvalidValueError, match="2 values") as raised:
            cc.validate_many(self._with(weeks=[8, 8]), rulesets.ASAM3)
        assert raised.value.field == "weeks"

    def test_a_level_code_unknown_to_the_continuum(self) -> None:
        """An unknown code is the continuum's UnknownLevelError, noted with its row."""
        with pytest.raises(cc.UnknownLevelError) as raised:
            cc.classify_many(self._with(level=["IOP", "IPO", "IOP"]), rulesets.ASAM3,
                             continuum=GENERIC)  # fmt: skip
        assert "in row 1" in "".join(raised.value.__notes__)

    def test_designs_that_are_not_designs(self) -> None:
        """Only ProgramStructures or a table; an item of another kind is named by position."""
        design = _built([{"level": GENERIC["IOP"], "days": "mon", "hours_per_session": 3,
                          "weeks": 8}])[0]  # fmt: skip
        with pytest.raises(cc.InvalidTypeError) as raised:
            cc.classify_many([design, "IOP"], rulesets.ASAM3)  # type: ignore[list-item]
        assert raised.value.field == "designs[1]"
        with pytest.raises(cc.InvalidTypeError, match="'designs'"):
            cc.classify_many(42, rulesets.ASAM3)
        with pytest.raises(cc.InvalidValueError, match="'continuum'"):
            cc.classify_many([design], rulesets.ASAM3, continuum=GENERIC)
        with pytest.raises(cc.InvalidTypeError, match="'as_level'"):
            cc.validate_many([design], rulesets.ASAM3, as_level="IOP")  # type: ignore[arg-type]
        with pytest.raises(cc.InvalidTypeError, match="'ruleset'"):
            cc.classify_many([design], "ASAM3")  # type: ignore[arg-type]

    def test_results_index_like_a_sequence(self) -> None:
        """Positions from the end, slices, IndexError past the end, no other index."""
        placed = cc.classify_many(self.BASE, rulesets.ASAM3)
        reports = cc.validate_many(self.BASE, rulesets.ASAM3)
        assert placed[-1] == placed[2] and placed[0:2] == [placed[0], placed[1]]
        assert reports[-3] == reports[0] and len(reports[1:]) == 2
        for result in (placed, reports):
            with pytest.raises(IndexError):
                result[3]
            with pytest.raises(cc.InvalidTypeError, match="'index'"):
                result["0"]  # type: ignore[call-overload]
        assert "3 designs" in repr(placed) and "0 not ok" in repr(reports)

    def test_a_subclass_of_program_structure_is_judged_whole(self) -> None:
        """A design of a subclass (whose rules may read more) is judged per object, in place."""

        class Named(cc.ProgramStructure):
            pass

        plain = _built([{"level": ASAM3["2.1"], "days": ["mon", "wed"], "hours_per_session": 3,
                         "weeks": 8}])[0]  # fmt: skip
        mine = Named(plain.level, plain.population, plain.track, plain.sessions, plain.weeks)
        designs = [plain, mine, plain]
        assert list(cc.classify_many(designs, rulesets.ASAM3)) == _expected_classify(
            designs, rulesets.ASAM3
        )
        reports = cc.validate_many([mine], rulesets.ASAM3)
        _same_reports(list(reports), _expected_validate([mine], rulesets.ASAM3))
        build = table_builder(type(reports))
        assert build is not None
        assert build(reports)["level"] == ("str", ["2.1"])
        assert cc.classify_many([mine], rulesets.ASAM3).codes() == [("1",)]

    def test_no_designs(self) -> None:
        """An empty table, an empty list: no results."""
        empty = {name: [] for name in self.BASE}
        assert list(cc.classify_many(empty, rulesets.ASAM3)) == []
        assert cc.classify_many([], rulesets.ASAM3).codes() == []
        assert cc.validate_many(empty, rulesets.ASAM3).ok == ()


# Values equal to one another across types (8 == 8.0 == a range's bound; WeekDay.MONDAY == 0),
# some of which the constructor takes and some it refuses.
_LOOKALIKES: dict[str, list[Any]] = {
    "weeks": [8, 8.0, True, 1, (8, 12), (8.0, 12.0), [8, 12], (True, 12), (1, 12)],
    "days": ["mon", WeekDay.MONDAY, 0, ("mon",), (WeekDay.MONDAY,), (0,), [0], [WeekDay.MONDAY]],
    "hours_per_session": [3, 3.0, True, 1, 1.0],
    "overnight": [False, 0, True, 1],
}


@given(st.sampled_from(sorted(_LOOKALIKES)), st.data())
def test_a_table_takes_what_the_constructor_takes_row_by_row(column: str, data: Any) -> None:
    """A table is refused exactly when one of its rows is, naming the first such row; else it
    is classified as each row's design is: a value is never taken for an equal one that a
    previous row held."""
    values = data.draw(st.lists(st.sampled_from(_LOOKALIKES[column]), min_size=1, max_size=6))
    base = {"level": GENERIC["IOP"], "days": "mon", "hours_per_session": 3, "weeks": 8}
    rows = [{**base, column: value} for value in values]
    refused = None
    for i, row in enumerate(rows):
        try:
            # A table reads a list as a tuple (a list column), which is what the row means.
            cc.ProgramStructure.weekly(**{k: tuple(v) if k == "weeks" and isinstance(v, list)
                                          else v for k, v in row.items()})  # fmt: skip
        except cc.CareContinuumError:
            refused = i
            break
    table = {name: [row[name] for row in rows] for name in rows[0]}
    if refused is None:
        assert list(cc.classify_many(table, rulesets.ASAM3)) == _expected_classify(
            _built(rows), rulesets.ASAM3
        )
    else:
        with pytest.raises(cc.CareContinuumError) as raised:
            cc.classify_many(table, rulesets.ASAM3)
        assert raised.value.field.startswith(f"{column}[{refused}]")  # type: ignore[attr-defined]
