"""Program 5: Windmill's classic addiction IOP: 24 three-hour sessions, 3 a week for 8 weeks, each
a check-in, a process group, an educational presentation and a break or two. Shown two ways:
from segments with one 15-minute break (2.75 clinical h a session) and as weekly(...,
hours_per_session=3). Choices: Monday, Wednesday, Friday evenings; individual counseling, family
component, drug testing and online delivery have no stated frequency and are not scheduled.
"""

from __future__ import annotations

import pendulum
from _describe import describe, hours
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum.catalogs import ASAM3

#: ASAM Criteria 3rd ed., level 2.1: 9+ clinical hours a week for adults.
ASAM3_2_1_ADULT_MIN_WEEKLY_HOURS = pendulum.duration(hours=9)

DAYS = (WeekDay.MONDAY, WeekDay.WEDNESDAY, WeekDay.FRIDAY)
START = pendulum.time(18)
WEEKS = 8


def _presentation(minutes: int) -> cc.Segment:
    return cc.Segment(
        cc.Service.PSYCHOEDUCATION,
        pendulum.duration(minutes=minutes),
        label="educational presentation",
    )


def build_from_segments() -> cc.ProgramStructure:
    """Each three-hour session as it runs: the break is not clinical time."""
    session = [
        cc.Segment(cc.Service.CHECK_IN, pendulum.duration(minutes=30)),
        cc.Segment(cc.Service.PROCESS_GROUP, pendulum.duration(minutes=75)),
        cc.Segment(cc.Service.BREAK, pendulum.duration(minutes=15)),
        _presentation(60),
    ]
    return cc.ProgramStructure(
        ASAM3["2.1"],
        cc.Population.ADULT,
        cc.Track.SUBSTANCE_USE,
        [cc.Session(day, START, session) for day in DAYS],
        WEEKS,
        name="Windmill IOP, from segments",
    )


def build_weekly() -> cc.ProgramStructure:
    """The program as advertised: three hours a session, all counted."""
    return cc.ProgramStructure.weekly(
        ASAM3["2.1"],
        days=DAYS,
        start=START,
        hours_per_session=3,
        # Segments keep their length; the process group takes the remaining 90 minutes.
        services=[
            cc.Segment(cc.Service.CHECK_IN, pendulum.duration(minutes=30)),
            cc.Service.PROCESS_GROUP,
            _presentation(60),
        ],
        weeks=WEEKS,
        track=cc.Track.SUBSTANCE_USE,
        name="Windmill IOP, as weekly(hours_per_session=3)",
    )


def build() -> dict[str, cc.ProgramStructure]:
    """Both views of the same program."""
    return {"segments": build_from_segments(), "weekly": build_weekly()}


def main() -> None:
    """Print both views and compare each week with ASAM 2.1's adult floor."""
    programs = build()
    for program in programs.values():
        describe(program)
        print()
    floor = ASAM3_2_1_ADULT_MIN_WEEKLY_HOURS
    print(
        f"ASAM Criteria 3rd ed., level 2.1 asks {hours(floor):g}+ clinical hours a week (adults):"
    )
    for view, program in programs.items():
        weekly = program.weekly_hours
        if weekly >= floor:
            verdict = "meets the floor"
        else:
            verdict = f"below the floor by {hours(floor - weekly):g} h"
        print(f"  {view:<9} {hours(weekly):>5g} h a week: {verdict}")
    session = programs["segments"].sessions[0]
    if programs["segments"].weekly_hours < floor <= programs["weekly"].weekly_hours:
        print(
            f"So the segment view falls below the {hours(floor):g}-hour floor: each "
            f"{hours(session.duration):g}-hour session holds {hours(session.clinical_duration):g}"
        )
        print("clinical hours once its break is taken out; the weekly() view counts all three.")


if __name__ == "__main__":
    main()
