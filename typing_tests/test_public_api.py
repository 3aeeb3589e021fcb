"""Code that must type-check under mypy --strict against the public API."""

import pendulum

import carecontinuum as cc
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
