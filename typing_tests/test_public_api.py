"""Code that must type-check under mypy --strict against the public API."""

from typing import assert_type
from zoneinfo import ZoneInfo

import pendulum

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum.catalogs import ASAM3, GENERIC, LOCUS

iop: cc.LevelOfCare = GENERIC["IOP"]
up: cc.LevelOfCare | None = GENERIC.step_up(iop)
is_less: bool = ASAM3["2.1"] < ASAM3["2.5"]
mapped: tuple[cc.LevelOfCare, ...] = cc.crosswalk(iop, to=LOCUS).levels
program = cc.ProgramStructure.weekly(
    iop, days=["mon", pendulum.WeekDay.WEDNESDAY], hours_per_session=3, weeks=(6, 12)
)
weekly: pendulum.Duration = program.weekly_hours
total: int | cc.Span[int] = program.total_sessions
session = cc.Session(
    pendulum.WeekDay.FRIDAY,
    pendulum.time(9),
    [cc.Segment(cc.Service.INDIVIDUAL_THERAPY, pendulum.duration(hours=1))],
)
days: float = program.days_per_week
service_days: float = program.service_days_per_week

# What the API accepts (docs/reference/accepts.md): spellings of members, ISO days, zone objects,
# an inferred continuum, a scheme's name and a list of rule sets all type-check.
spelt = cc.ProgramStructure.weekly(
    iop, days="Monday", hours_per_session=3, weeks=8, population="adult", track="SUBSTANCE_USE",
    services=["group therapy", cc.Service.BREAK], delivery_mode="telehealth", start="18:00",
)  # fmt: skip
by_name = cc.Session("mon", "09:00", [cc.Segment("check-in", pendulum.duration(hours=1))])
calendar_ny = cc.expand(spelt, "2026-03-02", ZoneInfo("America/New_York"), until="2026-04-26")
narrowed: cc.Calendar = calendar_ny.between("2026-03-09", "2026-03-15")
record = cc.AttendanceRecord(calendar_ny.sessions[0], "present")
inferred = cc.Episode.admit("c-9", ASAM3["2.1"], "2026-03-02").discharge("2026-04-01", "completed")
named = cc.Episode.admit("c-9", "2.1", "2026-03-02", continuum="ASAM3")
to_locus: cc.Crosswalk = cc.crosswalk(iop, to="LOCUS")
both: cc.ValidationReport = cc.validate(spelt, [rulesets.ASAM3, rulesets.MEDICARE_2024])
classes: tuple[cc.Classification, ...] = cc.classify(spelt, (rulesets.ASAM3,))

# Plain data: with the class, from_dict is typed as it; without, as object (any value type).
data: dict[str, object] = cc.to_dict(program)
typed: cc.ProgramStructure = cc.from_dict(cc.ProgramStructure, data)
untyped: object = cc.from_dict(data)
weeks_back: cc.Span[int] = cc.from_dict(cc.Span[int], cc.to_dict(cc.Span(6, 12)))
assert_type(cc.from_dict(cc.ProgramStructure, data), cc.ProgramStructure)
assert_type(cc.from_dict(data), object)
assert_type(cc.from_dict(cc.Crosswalk, cc.to_dict(to_locus)), cc.Crosswalk)


# Tables (carecontinuum.tables): a polars frame is typed as one; pandas and pyarrow ship no types.
if not cc.__version__:  # type-checked, never run: the extras may be absent
    import polars

    from carecontinuum.tables import Backend, to_frame

    assert_type(to_frame(GENERIC, backend="polars"), polars.DataFrame)
    frames = [to_frame(GENERIC), to_frame(GENERIC, backend="pyarrow", table="stays")]
    chosen: Backend = "polars"
    either = to_frame(GENERIC, backend=chosen)
# The census of a continuum and a flow model: counts are ints, rates and censuses floats, the
# mappings read by level (or code).
episode = cc.Episode.admit("c-9", "IOP", "2026-03-02", continuum=GENERIC)
census: cc.Census = cc.census([episode], "2026-03-01", "2026-03-31")
census_day: cc.DayCensus = census.on("2026-03-09")
assert_type(census_day["IOP"], int)
assert_type(census.series(GENERIC["IOP"]), tuple[int, ...])
assert_type(census.capacity("IOP", 0.95), int)
stay_lengths: cc.StayLengths = census.lengths_of_stay("IOP")
assert_type(stay_lengths.median, int | None)
flow = cc.FlowModel(GENERIC, admissions={"IOP": 1.0}, length_of_stay={"IOP": stay_lengths})
assert_type(flow.steady_state()[GENERIC["IOP"]], float)
refit: cc.FlowModel = cc.FlowModel.fit(census)
