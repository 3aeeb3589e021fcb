"""Program 1: Trinity's continuum-of-care IOP (9-15 h/week; day or evening sessions; individual,
group and family therapy, psychoeducation, medication management, relapse-prevention planning).
Choices: the range is modelled at 10.75 h/week (three 3-hour groups, the 9-hour floor, plus a
weekly individual hour and fortnightly family therapy and medication review on a fourth day),
as a day and an evening variant; Trinity states no length, so 8 weeks is assumed.
"""

from __future__ import annotations

from datetime import time

import pendulum
from _describe import describe
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum.catalogs import GENERIC

#: Trinity gives no program length; 8 weeks is an assumption (the classic IOP length).
ASSUMED_WEEKS = 8


def _minutes(n: int) -> pendulum.Duration:
    return pendulum.duration(minutes=n)


def _at(hour: int) -> time:
    return pendulum.time(hour)


def _program(variant: str, first_hour: int) -> cc.ProgramStructure:
    """One variant: the same week, starting at `first_hour` (9 for day, 18 for evening)."""
    core = [
        cc.Segment(cc.Service.GROUP_THERAPY, _minutes(90)),
        cc.Segment(cc.Service.PSYCHOEDUCATION, _minutes(60)),
        cc.Segment(cc.Service.RELAPSE_PREVENTION, _minutes(30)),
    ]
    groups = [
        cc.Session(day, _at(first_hour), core, name="core group")
        for day in (WeekDay.MONDAY, WeekDay.TUESDAY, WeekDay.THURSDAY)
    ]
    individual = cc.Session(
        WeekDay.WEDNESDAY,
        _at(first_hour),
        [cc.Segment(cc.Service.INDIVIDUAL_THERAPY, _minutes(60))],
        program_day=False,
        name="individual therapy",
    )
    # Family therapy and medication management alternate in the hour after individual therapy:
    # family in weeks 1, 3, 5, ...; medication management (for co-occurring disorders) in
    # weeks 2, 4, 6, ...
    family = cc.Session(
        WeekDay.WEDNESDAY,
        _at(first_hour + 1),
        [cc.Segment(cc.Service.FAMILY_THERAPY, _minutes(60))],
        program_day=False,
        every_weeks=2,
        name="family therapy",
    )
    medication = cc.Session(
        WeekDay.WEDNESDAY,
        _at(first_hour + 1),
        [cc.Segment(cc.Service.MEDICATION_MANAGEMENT, _minutes(30))],
        program_day=False,
        every_weeks=2,
        week_offset=1,
        name="medication management",
    )
    return cc.ProgramStructure(
        GENERIC["IOP"],
        cc.Population.ADULT,
        # Trinity treats addiction, mental-health disorders or both.
        cc.Track.CO_OCCURRING,
        [*groups, individual, family, medication],
        ASSUMED_WEEKS,
        name=f"Trinity continuum-of-care IOP ({variant})",
    )


def build() -> dict[str, cc.ProgramStructure]:
    """The program's two variants: day sessions and evening sessions."""
    return {"day": _program("day", 9), "evening": _program("evening", 18)}


def main() -> None:
    """Print both variants and where the program sits on the continuum."""
    programs = build()
    for program in programs.values():
        describe(program)
        print()
    level = programs["day"].level
    up, down = GENERIC.step_up(level), GENERIC.step_down(level)
    print(f"On Trinity's continuum, {level.code} steps up to {up} and down to {down}.")


if __name__ == "__main__":
    main()
