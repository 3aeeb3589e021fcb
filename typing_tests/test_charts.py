"""The charts edge type-checks under mypy --strict: each function takes what the library gives
(classify's results, Columns, episodes) and returns the Altair chart type it promises."""

from typing import assert_type

import altair as alt
import pendulum

import carecontinuum as cc
from carecontinuum import charts, rulesets
from carecontinuum.catalogs import GENERIC

program = cc.ProgramStructure.weekly(GENERIC["IOP"], days="mon", hours_per_session=3, weeks=2)
calendar = cc.expand(program, "2026-03-02", "UTC")
attendance = cc.Attendance(calendar, [cc.AttendanceRecord(calendar.sessions[0], "present")])
assert_type(charts.attendance_chart(attendance), alt.LayerChart)
assert_type(charts.attendance_chart(attendance, rulesets.ASAM3), alt.LayerChart)

placed = {"ASAM3": [cc.classify(program, rulesets.ASAM3)]}
codes = {"ASAM3": [["2.1"]]}
assert_type(charts.sweep_chart([program], placed, wanted={"ASAM3": "2.1"}), alt.FacetChart)
assert_type(charts.sweep_chart([program], codes), alt.FacetChart)

census = {
    "day": ("date", [pendulum.date(2026, 3, 2)]),
    "level": ("str", ["IOP"]),
    "clients": ("int", [12]),
}
assert_type(charts.census_chart(census, title="IOP census"), alt.Chart)
episode = cc.Episode.admit("c-1", "PHP", "2026-03-02", continuum=GENERIC)
assert_type(charts.flow_chart([episode.step_to("IOP", "2026-03-23", "stable")]), alt.LayerChart)
