"""`carecontinuum.charts`: each chart's Vega-Lite specification, read back with `to_dict()`,
draws the figures the library computes (weeks, bands, classifications, counts)."""

from __future__ import annotations

import itertools
import json
import sys
from collections import Counter
from datetime import date
from typing import Any

import altair as alt
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import _census, _columns, _display, charts, rulesets, strategies
from carecontinuum.catalogs import GENERIC

IOP = GENERIC["IOP"]


def attendance(population: cc.Population = cc.Population.ADULT) -> cc.Attendance:
    """Three weeks of Monday, Wednesday and Friday 3-hour sessions: week 1 all present, week 2
    one absent, week 3 one partial (1 of 3 hours) and the rest unrecorded."""
    program = cc.ProgramStructure.weekly(
        IOP, days=["mon", "wed", "fri"], hours_per_session=3, weeks=3, population=population
    )
    cal = cc.expand(program, pendulum.date(2026, 3, 2), "UTC")
    s = cal.sessions
    P, A = cc.AttendanceStatus.PRESENT, cc.AttendanceStatus.ABSENT  # noqa: N806 (statuses)
    records = [cc.AttendanceRecord(x, P) for x in (*s[:3], s[3], s[5])]
    records += [cc.AttendanceRecord(s[4], A)]
    records += [cc.AttendanceRecord(s[6], cc.AttendanceStatus.PARTIAL,
                                    attended=pendulum.duration(hours=1))]  # fmt: skip
    return cc.Attendance(cal, records, client_id="c-1")


def data_of(spec: dict[str, Any]) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = spec["data"]["values"]
    return values


def weekly_hours_rules(ruleset: cc.RuleSet, code: str, population: str) -> list[cc.Rule]:
    """The rule set's weekly-hours rules for a level code and population, found by reading the
    rules (not the engine's scope)."""
    return [
        rule
        for rule in ruleset.rules
        if "weekly-hours" in rule.tags
        and any(level.code == code for level in rule.levels)
        and (not rule.populations or any(p.value == population for p in rule.populations))
    ]


class TestAttendanceChart:
    """`attendance_chart`: planned and delivered bars by week, the level's band as rules."""

    def test_the_bars_encode_planned_and_delivered_hours_by_week(self) -> None:
        """The first layer folds planned and delivered into grouped bars: week across, hours
        up, series as offset and colour."""
        spec = charts.attendance_chart(attendance()).to_dict(validate=True)
        bars = spec["layer"][0]
        assert bars["mark"]["type"] == "bar"
        assert bars["transform"] == [{"fold": ["planned", "delivered"], "as": ["series", "hours"]}]
        enc = bars["encoding"]
        assert (enc["x"]["field"], enc["x"]["type"]) == ("week", "ordinal")
        assert (enc["y"]["field"], enc["y"]["type"]) == ("hours", "quantitative")
        assert enc["xOffset"]["field"] == enc["color"]["field"] == "series"

    @settings(max_examples=25, deadline=None)
    @given(strategies.attendances())
    def test_the_data_are_the_weeks_by_week_figures(self, att: cc.Attendance) -> None:
        """Row i is week i of `by_week()`: its Monday, planned, delivered and shortfall hours,
        rate and flags."""
        rows = data_of(charts.attendance_chart(att).to_dict())
        weeks = att.by_week()
        assert len(rows) == len(weeks)
        for row, week in zip(rows, weeks, strict=True):
            assert row["week"] == week.monday.isoformat()
            assert row["planned"] == pytest.approx(week.planned.total_seconds() / 3600)
            assert row["delivered"] == pytest.approx(week.delivered.total_seconds() / 3600)
            assert row["shortfall"] == pytest.approx(week.shortfall.total_seconds() / 3600)
            assert row["rate"] == week.rate
            assert (row["partial"], row["complete"]) == (week.partial, week.complete)

    def test_no_rule_set_draws_no_band(self) -> None:
        """Without a rule set the chart is the bars alone."""
        spec = charts.attendance_chart(attendance()).to_dict()
        assert len(spec["layer"]) == 1

    @pytest.mark.parametrize(
        ("ruleset", "code"),
        [(rulesets.TYPICAL_IOP, "IOP"), (rulesets.MEDICARE_2024, "IOP"), (rulesets.ASAM3, "2.1")],
    )
    def test_the_band_is_the_weekly_hours_rule_of_the_level(
        self, ruleset: cc.RuleSet, code: str
    ) -> None:
        """The floor is the level's weekly-hours rule's at_least, the ceiling its at_most or
        less_than (ASAM3 judges a GENERIC IOP at 2.1, through the crosswalk)."""
        (rule,) = weekly_hours_rules(ruleset, code, "adult")
        spec = charts.attendance_chart(attendance(), ruleset).to_dict(validate=True)
        bands = data_of(spec["layer"][1])
        params = rule.params
        top = params["at_most"] if params["at_most"] is not None else params["less_than"]
        expected = [("floor", params["at_least"]), ("ceiling", top)]
        assert [(b["bound"], b["hours"]) for b in bands] == [
            (bound, float(value)) for bound, value in expected if value is not None
        ]
        assert {b["rule"] for b in bands} == {rule.id}
        rules, labels = spec["layer"][1], spec["layer"][2]
        assert rules["mark"]["type"] == "rule" and rules["encoding"]["y"]["field"] == "hours"
        assert labels["mark"]["type"] == "text" and labels["encoding"]["text"]["field"] == "label"

    def test_the_band_follows_the_population(self) -> None:
        """An adolescent program is drawn against ASAM3's adolescent 2.1 band, not the adult's."""
        (rule,) = weekly_hours_rules(rulesets.ASAM3, "2.1", "adolescent")
        att = attendance(cc.Population.ADOLESCENT)
        bands = data_of(charts.attendance_chart(att, rulesets.ASAM3).to_dict()["layer"][1])
        assert {b["rule"] for b in bands} == {rule.id}
        assert bands[0]["hours"] == rule.params["at_least"]

    def test_a_rule_set_without_the_level_draws_no_band(self) -> None:
        """A rule set with no weekly-hours rule for the level gives an empty band layer."""
        only_php = cc.RuleSet("PHP-ONLY", "1", [
            r for r in rulesets.TYPICAL_IOP.rules if all(lv.code != "IOP" for lv in r.levels)
        ])  # fmt: skip
        spec = charts.attendance_chart(attendance(), only_php).to_dict()
        assert data_of(spec["layer"][1]) == []

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [({"attendance": "c-1"}, "attendance"), ({"ruleset": "ASAM3"}, "ruleset")],
    )
    def test_bad_arguments_are_named(self, kwargs: dict[str, object], field: str) -> None:
        """A wrong argument raises InvalidTypeError naming it."""
        args: dict[str, Any] = {"attendance": attendance(), "ruleset": None, **kwargs}
        with pytest.raises(cc.InvalidTypeError) as caught:
            charts.attendance_chart(**args)
        assert caught.value.field == field


DAYS = {2: ("mon", "thu"), 3: ("mon", "wed", "fri"), 4: ("mon", "tue", "thu", "fri"),
        5: ("mon", "tue", "wed", "thu", "fri")}  # fmt: skip
HOURS = (1, 2, 3, 4)
RULESETS = {"TYPICAL_IOP": rulesets.TYPICAL_IOP, "ASAM3": rulesets.ASAM3,
            "MEDICARE_2024": rulesets.MEDICARE_2024}  # fmt: skip


@pytest.fixture(scope="module")
def sweep() -> tuple[list[cc.ProgramStructure], dict[str, list[tuple[cc.Classification, ...]]]]:
    designs = [
        cc.ProgramStructure.weekly(IOP, days=DAYS[d], hours_per_session=h, weeks=w)
        for d, h, w in itertools.product(DAYS, HOURS, (8, 12))
    ]
    return designs, {n: [cc.classify(d, rs) for d in designs] for n, rs in RULESETS.items()}


class TestSweepChart:
    """`sweep_chart`: one panel per rule set, a cell per days x hours, its share passing."""

    def test_the_cells_are_the_classifications(self, sweep: Any) -> None:
        """Each cell counts the designs of its days and hours and, of them, those the rule set
        places at a level; its levels are the placements seen."""
        designs, placed = sweep
        cells = data_of(charts.sweep_chart(designs, placed).to_dict(validate=True))
        assert len(cells) == len(RULESETS) * len(DAYS) * len(HOURS)
        for cell in cells:
            chosen = [
                i for i, d in enumerate(designs)
                if d.days_per_week == cell["days_per_week"]
                and d.sessions[0].duration.total_hours() == cell["hours_per_session"]
            ]  # fmt: skip
            results = [placed[cell["ruleset"]][i] for i in chosen]
            assert cell["designs"] == len(chosen) == 2
            assert cell["passing"] == sum(bool(r) for r in results)
            assert cell["share"] == cell["passing"] / cell["designs"]
            seen = {",".join(c.level.code for c in r) or "none" for r in results}
            assert {part.split(" x")[0] for part in cell["levels"].split("; ")} == seen

    def test_wanted_counts_only_that_level(self, sweep: Any) -> None:
        """With a wanted level, a cell passes the designs placed at that level only."""
        designs, placed = sweep
        spec = charts.sweep_chart(designs, placed, wanted={"ASAM3": "2.1"}).to_dict()
        cells = [c for c in data_of(spec) if c["ruleset"] == "ASAM3"]
        wanted = Counter(
            (d.days_per_week, d.sessions[0].duration.total_hours())
            for d, r in zip(designs, placed["ASAM3"], strict=True)
            if "2.1" in [c.level.code for c in r]
        )
        assert {(c["days_per_week"], c["hours_per_session"]): c["passing"] for c in cells} == {
            (float(d), float(h)): wanted[d, h] for d in DAYS for h in HOURS
        }

    def test_level_codes_stand_for_classifications(self, sweep: Any) -> None:
        """Placements given as level codes draw the same grid as classify's results."""
        designs, placed = sweep
        codes = {n: [[c.level.code for c in r] for r in rs] for n, rs in placed.items()}
        assert charts.sweep_chart(designs, codes).to_dict() == (
            charts.sweep_chart(designs, placed).to_dict()
        )

    def test_the_grid_encodings_and_panels(self, sweep: Any) -> None:
        """Hours per session across, days a week down, colour by share passing, text the count,
        a column per rule set in the order given."""
        designs, placed = sweep
        spec = charts.sweep_chart(designs, placed).to_dict()
        assert spec["facet"]["column"]["field"] == "ruleset"
        assert spec["facet"]["column"]["sort"] == list(RULESETS)
        rect, text = spec["spec"]["layer"]
        assert rect["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
        enc = rect["encoding"]
        assert (enc["x"]["field"], enc["y"]["field"], enc["color"]["field"]) == (
            "hours_per_session", "days_per_week", "share",
        )  # fmt: skip
        assert text["encoding"]["text"]["field"] == "count"

    def test_a_rule_set_with_too_few_placements_is_named(self, sweep: Any) -> None:
        """One placement missing: InvalidValueError naming that rule set's entry."""
        designs, placed = sweep
        with pytest.raises(cc.InvalidValueError) as caught:
            charts.sweep_chart(designs, {**placed, "ASAM3": placed["ASAM3"][1:]})
        assert caught.value.field == "placements['ASAM3']"

    @pytest.mark.parametrize(
        ("args", "field"),
        [
            (("not designs", {}), "designs"),
            (([1], {}), "designs[0]"),
            (([], [1]), "placements"),
        ],
    )
    def test_bad_arguments_are_named(self, args: tuple[Any, Any], field: str) -> None:
        """A wrong design or placements argument raises InvalidTypeError naming it."""
        with pytest.raises(cc.InvalidTypeError) as caught:
            charts.sweep_chart(*args)
        assert caught.value.field == field

    def test_codes_as_text_and_sessions_of_two_lengths(self) -> None:
        """A placement may be one code as text ("" for none); a design whose sessions differ
        sits at their mean length."""
        group = cc.Segment("group therapy", pendulum.duration(hours=2))
        longer = cc.Segment("group therapy", pendulum.duration(hours=4))
        sessions = [cc.Session("mon", "09:00", [group]), cc.Session("wed", "09:00", [longer])]
        mixed = cc.ProgramStructure(IOP, "adult", "substance use", sessions, 8)
        even = cc.ProgramStructure.weekly(IOP, days=["mon", "wed"], hours_per_session=3, weeks=8)
        cells = data_of(charts.sweep_chart([mixed, even], {"X": ["IOP", ""]}).to_dict())
        assert [
            (c["hours_per_session"], c["designs"], c["passing"], c["levels"]) for c in cells
        ] == [(3.0, 2, 1, "IOP x1; none x1")]

    @pytest.mark.parametrize(
        ("placements", "wanted", "field"),
        [
            ({1: [[]]}, None, "placements"),
            ({"X": "IOP"}, None, "placements['X']"),
            ({"X": [5]}, None, "placements['X'][0]"),
            ({"X": [[]]}, ["X"], "wanted"),
        ],
    )
    def test_malformed_placements_are_named(self, placements: Any, wanted: Any, field: str) -> None:
        """Keys not names, placements not one per design, a placement not codes, `wanted` not
        a mapping: InvalidTypeError naming where."""
        design = cc.ProgramStructure.weekly(IOP, days=["mon"], hours_per_session=3, weeks=8)
        with pytest.raises(cc.InvalidTypeError) as caught:
            charts.sweep_chart([design], placements, wanted=wanted)
        assert caught.value.field == field

    def test_a_wanted_rule_set_not_placed_is_named(self, sweep: Any) -> None:
        """A level wanted of a rule set the placements do not hold is refused, naming `wanted`."""
        designs, placed = sweep
        with pytest.raises(cc.InvalidValueError) as caught:
            charts.sweep_chart(designs, placed, wanted={"ASAM4": "2.1"})
        assert caught.value.field == "wanted" and "ASAM4" in str(caught.value)

    def test_a_placement_of_another_kind_is_named(self, sweep: Any) -> None:
        """A placement that is neither codes nor classifications is refused where it sits."""
        designs, _ = sweep
        with pytest.raises(cc.InvalidTypeError) as caught:
            charts.sweep_chart(designs, {"ASAM3": [[1]] * len(designs)})
        assert caught.value.field == "placements['ASAM3'][0]"


def census_table() -> _columns.Columns:
    days = [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]
    return {
        "day": ("date", [d for d in days for _ in range(2)]),
        "level": ("str", ["IOP", "PHP"] * 3),
        "clients": ("int", [12, 4, 13, 4, 11, 5]),
        "admissions": ("int", [1, 0, 1, 0, 0, 1]),
    }


class TestCensusChart:
    """`census_chart`: stacked areas of clients by level over days, from a census table."""

    def test_the_data_are_the_tables_rows(self) -> None:
        """Row i holds the table's day (as an ISO date), level and clients of row i."""
        table = census_table()
        rows = data_of(charts.census_chart(table).to_dict(validate=True))
        assert [(r["day"], r["level"], r["clients"]) for r in rows] == list(
            zip([d.isoformat() for d in table["day"][1]], table["level"][1], table["clients"][1],
                strict=True)
        )  # fmt: skip

    def test_the_encodings(self) -> None:
        """Days across in time, clients stacked up, a colour per level."""
        spec = charts.census_chart(census_table(), title="Census").to_dict()
        enc = spec["encoding"]
        assert spec["mark"]["type"] == "area" and spec["title"] == "Census"
        assert (enc["x"]["field"], enc["x"]["type"]) == ("day", "temporal")
        assert (enc["y"]["field"], enc["y"]["stack"]) == ("clients", "zero")
        assert enc["color"]["field"] == "level"

    def test_a_registered_table_draws_too(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A value whose kind registered a census table is drawn from that table."""

        class Tally:
            pass

        monkeypatch.setitem(_columns._TABLES, (Tally, ""), lambda _: census_table())
        drawn = charts.census_chart(Tally()).to_dict()
        assert drawn == charts.census_chart(census_table()).to_dict()

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"clients": None}, "census"),
            ({"day": ("str", ["x"] * 6)}, "census['day']"),
            ({"clients": ("int", [1])}, "census"),
            ({"level": ["IOP"] * 6}, "census['level']"),
        ],
    )
    def test_a_malformed_table_is_named(self, change: dict[str, Any], field: str) -> None:
        """A missing column, a column of another kind, unequal lengths, a column not a (kind,
        values) pair: InvalidValueError naming the argument or its column."""
        table: dict[str, Any] = {**census_table(), **change}
        table = {k: v for k, v in table.items() if v is not None}
        with pytest.raises(cc.InvalidValueError) as caught:
            charts.census_chart(table)
        assert caught.value.field == field

    def test_a_census_draws_the_levels_anyone_was_in(self) -> None:
        """A Census is drawn day by day for the levels someone was in on one of its days, in
        the continuum's order, each day's counts being its `series`; the other levels are
        left out."""
        census = cc.census(episodes(), "2026-03-01", "2026-04-30")
        rows = data_of(charts.census_chart(census).to_dict(validate=True))
        in_care = [lv.code for lv in GENERIC.levels if any(census.series(lv))]
        assert in_care == ["OP", "IOP", "PHP"]
        assert [r["level"] for r in rows] == in_care * len(census.days)
        for code in in_care:
            drawn = [(r["day"], r["clients"]) for r in rows if r["level"] == code]
            assert drawn == [(d.isoformat(), n) for d, n in
                             zip(census.days, census.series(code), strict=True)]  # fmt: skip

    def test_a_census_of_no_one_draws_no_rows(self) -> None:
        """A census no one was in draws an empty chart rather than failing."""
        census = cc.census([], "2026-03-01", "2026-03-31", continuum=GENERIC)
        assert data_of(charts.census_chart(census).to_dict(validate=True)) == []

    def test_a_value_with_no_table_is_refused(self) -> None:
        """An object whose kind registered no table raises InvalidTypeError naming `census`."""
        with pytest.raises(cc.InvalidTypeError) as caught:
            charts.census_chart(object())
        assert caught.value.field == "census"


def episodes() -> list[cc.Episode]:
    start = pendulum.date(2026, 3, 2)
    paths = [("PHP", "IOP", "OP"), ("IOP", "OP"), ("PHP", "IOP"), ("IOP", "PHP", "IOP")]
    made = []
    for i, path in enumerate(paths):
        e = cc.Episode.admit(f"c-{i}", path[0], start, continuum=GENERIC)
        for step, code in enumerate(path[1:], start=1):
            e = e.step_to(code, start.add(weeks=2 * step), "reassessed")
        made.append(e)
    return made


class TestFlowChart:
    """`flow_chart`: a from x to matrix of moves, from a table or from episodes."""

    def test_episodes_give_their_transition_counts(self) -> None:
        """Each cell's count is the number of the episodes' transitions between its levels."""
        eps = episodes()
        rows = data_of(charts.flow_chart(eps).to_dict(validate=True))
        counted = Counter((t.from_level.code, t.to_level.code) for e in eps for t in e.transitions)
        assert {(r["from_level"], r["to_level"]): r["moves"] for r in rows} == counted
        assert len(rows) == len(counted)

    def test_a_table_is_drawn_as_given(self) -> None:
        """A moves table's rows are the chart's data, with its encodings."""
        table: _columns.Columns = {
            "from_level": ("str", ["PHP", "IOP"]), "to_level": ("str", ["IOP", "OP"]),
            "moves": ("int", [7, 5]),
        }  # fmt: skip
        spec = charts.flow_chart(table).to_dict(validate=True)
        assert data_of(spec) == [
            {"from_level": "PHP", "to_level": "IOP", "moves": 7},
            {"from_level": "IOP", "to_level": "OP", "moves": 5},
        ]
        cells, counts = spec["layer"]
        assert (cells["encoding"]["x"]["field"], cells["encoding"]["y"]["field"]) == (
            "to_level", "from_level",
        )  # fmt: skip
        assert cells["encoding"]["color"]["field"] == counts["encoding"]["text"]["field"] == "moves"

    @pytest.mark.parametrize(("moves", "field"), [(3, "moves"), ([1], "moves[0]")])
    def test_neither_table_nor_episodes_is_refused(self, moves: object, field: str) -> None:
        """Something else raises InvalidTypeError naming it."""
        with pytest.raises(cc.InvalidTypeError) as caught:
            charts.flow_chart(moves)
        assert caught.value.field == field


@pytest.fixture
def no_altair(monkeypatch: pytest.MonkeyPatch) -> None:
    """Altair cannot be imported (as where the `charts` extra is not installed)."""
    monkeypatch.setitem(sys.modules, "altair", None)


class TestNotebookView:
    """`Attendance._repr_html_` and `Census._repr_html_`: the chart with Altair, the compact
    table without it."""

    def test_with_altair_the_view_is_the_chart(self) -> None:
        """The HTML embeds the attendance chart's specification (vega-embed) in its own
        element, and the same attendance gives the same HTML."""
        att = attendance()
        html = att._repr_html_()
        assert "vegaEmbed" in html and "<table" not in html
        spec = charts._attendance_figure(
            charts._week_columns(att), None, title=charts._title(att)
        ).to_dict()
        assert json.dumps(spec["data"]["values"]) in html
        assert 'id="carecontinuum-attendance-' in html
        assert att._repr_html_() == html

    def test_two_attendances_get_two_elements(self) -> None:
        """Attendances with other figures are drawn in elements of other ids."""
        a = attendance()
        b = cc.Attendance(a.calendar, a.records[:2], client_id="c-1")
        ids = [h.split('id="', 1)[1].split('"', 1)[0] for h in (a._repr_html_(), b._repr_html_())]
        assert a.by_week() != b.by_week() and ids[0] != ids[1]

    @pytest.mark.usefixtures("no_altair")
    def test_without_altair_the_view_is_the_table(self) -> None:
        """Altair missing: the view is the week table the display module makes."""
        att = attendance()
        assert att._repr_html_() == _display.attendance_html(att)

    def test_a_census_view_is_its_chart_or_its_table(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The hook a census's view calls draws its table as the census chart with Altair, and
        gives the census's own table without it."""
        table = census_table()
        html = charts._notebook_html("census", table, lambda: "<table/>", title="Census")
        spec = charts.census_chart(table, title="Census").to_dict()
        assert json.dumps(spec["data"]["values"]) in html and "<table/>" not in html
        monkeypatch.setitem(sys.modules, "altair", None)
        assert charts._notebook_html("census", table, lambda: "<table/>", title="C") == "<table/>"

    def test_a_census_view_is_its_census_chart(self) -> None:
        """`Census._repr_html_` with Altair embeds the census chart of the levels anyone was
        in (not the table), in an element of its own, the same for the same census."""
        census = cc.census(episodes(), "2026-03-01", "2026-04-30")
        html = census._repr_html_()
        assert "vegaEmbed" in html and "<table" not in html
        spec = charts.census_chart(census).to_dict()
        assert json.dumps(spec["data"]["values"]) in html
        assert "Census of GENERIC, 2026-03-01 to 2026-04-30" in html
        assert 'id="carecontinuum-census-' in html and census._repr_html_() == html
        later = cc.census(episodes(), "2026-03-02", "2026-04-30")._repr_html_()
        assert later.split('id="', 1)[1][:30] != html.split('id="', 1)[1][:30]

    @pytest.mark.usefixtures("no_altair")
    def test_without_altair_a_census_view_is_its_table(self) -> None:
        """Altair missing: a census's view is the compact table of its levels in care."""
        census = cc.census(episodes(), "2026-03-01", "2026-04-30")
        assert census._repr_html_() == _census._census_html(census)
        assert "<table" in census._repr_html_() and "vegaEmbed" not in census._repr_html_()

    def test_text_in_a_view_cannot_end_its_script(self) -> None:
        """A client id or level code holding ``</script>`` is escaped inside the embedded
        specification: the HTML holds no tag from it, and the spec read back from the HTML
        still has the text as given."""
        hostile = "</script><i>x</i>"  # short enough for the attendance's title to keep
        att = cc.Attendance(attendance().calendar, attendance().records, client_id=hostile)
        level = cc.LevelOfCare(
            hostile, "Odd", "CLINIC", cc.Setting.OUTPATIENT,
            overnight=False, supervision=cc.Supervision.SCHEDULED, rank=0,
        )  # fmt: skip
        clinic = cc.Continuum("CLINIC", "A clinic", [level], "policy")
        stay = cc.Episode.admit("c-1", level, pendulum.date(2026, 3, 2), continuum=clinic)
        census = cc.census([stay], "2026-03-01", "2026-03-05")
        for html in (att._repr_html_(), census._repr_html_()):
            assert hostile not in html and "</script><i>" not in html
            start = html.index("var spec = ") + len("var spec = ")
            spec, _ = json.JSONDecoder().raw_decode(html, start)
            assert hostile in json.dumps(spec, ensure_ascii=False)

    @pytest.mark.usefixtures("no_altair")
    def test_without_altair_a_chart_names_the_extra(self) -> None:
        """Asking for a chart without Altair raises MissingExtraError naming the extra."""
        with pytest.raises(cc.MissingExtraError) as caught:
            charts.attendance_chart(attendance())
        assert caught.value.extra == "charts" and caught.value.package == "altair"


def test_charts_are_altair_charts() -> None:
    """Each function returns the Altair chart type it promises."""
    assert isinstance(charts.attendance_chart(attendance()), alt.LayerChart)
    assert isinstance(charts.census_chart(census_table()), alt.Chart)
    assert isinstance(charts.flow_chart(episodes()), alt.LayerChart)


@given(st.lists(st.sampled_from(["IOP", "PHP", "OP"]), min_size=1, max_size=8))
def test_the_census_values_keep_every_row(levels: list[str]) -> None:
    """Whatever the rows, the chart's data has one value per row, in order."""
    n = len(levels)
    table: _columns.Columns = {
        "day": ("date", [date(2026, 3, 2 + i % 20) for i in range(n)]),
        "level": ("str", levels),
        "clients": ("int", list(range(n))),
    }
    rows = data_of(charts.census_chart(table).to_dict())
    assert [r["level"] for r in rows] == levels and [r["clients"] for r in rows] == list(range(n))
