"""Program 2: Invigorate's step-down IOP: 9-15 h/week over several days, individual and group
therapy with family therapy as needed, CBT, DBT and holistic practices, for mental-health,
substance-use and dual-diagnosis clients (so the co-occurring track). Choices: 10 h/week on four
days (three 3-hour groups and an individual hour); "several weeks to a few months" is read as
4-12 weeks; "family as needed" is a second variant with fortnightly family therapy.
"""

from __future__ import annotations

import pendulum
from _describe import describe
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum.catalogs import GENERIC

#: "Several weeks" (taken as 4) to "a few months" (taken as 3 months, about 12 weeks).
WEEKS = (4, 12)


def _sessions(*, with_family: bool) -> list[cc.Session]:
    group = [
        cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(minutes=120)),
        cc.Segment(cc.Service.SKILLS_WORKSHOP, pendulum.duration(minutes=60), label="DBT skills"),
    ]
    sessions = [
        cc.Session(day, pendulum.time(10), group, name="therapy group")
        for day in (WeekDay.MONDAY, WeekDay.WEDNESDAY, WeekDay.FRIDAY)
    ]
    sessions.append(
        cc.Session(
            WeekDay.TUESDAY,
            pendulum.time(10),
            [cc.Segment(cc.Service.INDIVIDUAL_THERAPY, pendulum.duration(hours=1))],
            program_day=False,
            name="individual therapy",
        )
    )
    if with_family:
        sessions.append(
            cc.Session(
                WeekDay.TUESDAY,
                pendulum.time(17),
                [cc.Segment(cc.Service.FAMILY_THERAPY, pendulum.duration(hours=1))],
                program_day=False,
                every_weeks=2,
                name="family therapy",
            )
        )
    return sessions


def build() -> dict[str, cc.ProgramStructure]:
    """The program without and with the as-needed family therapy."""
    return {
        variant: cc.ProgramStructure(
            GENERIC["IOP"],
            cc.Population.ADULT,
            cc.Track.CO_OCCURRING,
            _sessions(with_family=with_family),
            WEEKS,
            modalities=[cc.Modality.CBT, cc.Modality.DBT, cc.Modality.HOLISTIC],
            name=f"Invigorate step-down IOP ({variant})",
        )
        for variant, with_family in (("standard", False), ("with family", True))
    }


def main() -> None:
    """Print both variants and the levels the program steps down from."""
    programs = build()
    for program in programs.values():
        describe(program)
        print()
    level = programs["standard"].level
    above = GENERIC.step_up(level)
    print(f"Step-down entry: from {above} or a more intensive level.")
    print("Intake assessment and the personalised plan come first; neither is a weekly session.")


if __name__ == "__main__":
    main()
