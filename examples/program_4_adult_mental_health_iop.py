"""Program 4: an adult mental-health IOP: 3-5 days a week for 6-12 weeks; group, individual and
family therapy, medication management by a psychiatrist or NP, CBT, mindfulness and skills
workshops. Choices: no hours are given, so four days (three 3-hour groups, a weekly individual
hour, and on alternate weeks a half-hour medication review or an hour of family therapy);
attendance goals, team reviews and payer reports are not schedule data and are left out.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from _describe import describe, hours
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum.catalogs import GENERIC


def _minutes(n: int) -> pendulum.Duration:
    return pendulum.duration(minutes=n)


def build() -> cc.ProgramStructure:
    """The program's week: group days Monday, Wednesday and Friday; one-to-one work Tuesday."""
    group_day = [
        cc.Segment(cc.Service.GROUP_THERAPY, _minutes(90)),
        cc.Segment(cc.Service.SKILLS_WORKSHOP, _minutes(90), label="CBT and mindfulness skills"),
    ]
    groups = [
        cc.Session(day, pendulum.time(9), group_day, name="group day")
        for day in (WeekDay.MONDAY, WeekDay.WEDNESDAY, WeekDay.FRIDAY)
    ]
    individual = cc.Session(
        WeekDay.TUESDAY,
        pendulum.time(10),
        [cc.Segment(cc.Service.INDIVIDUAL_THERAPY, _minutes(60))],
        program_day=False,
        name="individual therapy",
    )
    # The psychiatrist (or nurse practitioner) sees each client every 2 weeks, in weeks
    # 1, 3, 5, ...; the same slot holds family therapy, when appropriate, in weeks 2, 4, 6, ...
    medication = cc.Session(
        WeekDay.TUESDAY,
        pendulum.time(11),
        [cc.Segment(cc.Service.MEDICATION_MANAGEMENT, _minutes(30))],
        program_day=False,
        every_weeks=2,
        name="medication management (psychiatrist or NP)",
    )
    family = cc.Session(
        WeekDay.TUESDAY,
        pendulum.time(11),
        [cc.Segment(cc.Service.FAMILY_THERAPY, _minutes(60))],
        program_day=False,
        every_weeks=2,
        week_offset=1,
        name="family therapy",
    )
    return cc.ProgramStructure(
        GENERIC["IOP"],
        cc.Population.ADULT,
        cc.Track.MENTAL_HEALTH,
        [*groups, individual, medication, family],
        (6, 12),
        modalities=[cc.Modality.CBT, cc.Modality.MINDFULNESS],
        name="Adult mental-health IOP",
    )


def main() -> None:
    """Print the program and its two alternating weeks."""
    program = build()
    describe(program)
    print()
    for week in (0, 1):
        held = program.sessions_in_week(week)
        clinical = sum((s.clinical_duration for s in held), timedelta())
        print(f"  week {week + 1}: {len(held)} sessions, {hours(clinical):g} clinical hours")


if __name__ == "__main__":
    main()
