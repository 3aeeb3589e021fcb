"""Program 3: AACS Counseling's structured IOP: 3-5 sessions a week of 3 hours for 8-12 weeks;
CBT, DBT and MI; group, family, psychoeducation, case management; day, evening or weekend
times; a telehealth option; entry by step-down or step-up. Choices: three variants spanning the
range (3 day sessions in person, 4 evening sessions half by telehealth, 5 evening and weekend
sessions with a family session); the co-occurring track, as AACS treats SUD, MH and both.
"""

from __future__ import annotations

import pendulum
from _describe import describe
from pendulum import WeekDay

import carecontinuum as cc
from carecontinuum.catalogs import GENERIC

WEEKS = (8, 12)
MODALITIES = (cc.Modality.CBT, cc.Modality.DBT, cc.Modality.MI)


def _minutes(n: int) -> pendulum.Duration:
    return pendulum.duration(minutes=n)


def _day_3x() -> cc.ProgramStructure:
    # The common case in one call: the same 3-hour session on three mornings. Segments keep
    # their length; the bare service takes what is left (30 minutes).
    return cc.ProgramStructure.weekly(
        GENERIC["IOP"],
        days=["mon", "wed", "fri"],
        start="09:00",
        hours_per_session=3,
        services=[
            cc.Segment(cc.Service.GROUP_THERAPY, _minutes(90)),
            cc.Segment(cc.Service.PSYCHOEDUCATION, _minutes(60)),
            cc.Service.RELAPSE_PREVENTION,
        ],
        weeks=WEEKS,
        track=cc.Track.CO_OCCURRING,
        modalities=MODALITIES,
        name="AACS structured IOP (day, 3 sessions, in person)",
    )


_GROUP = (
    cc.Segment(cc.Service.GROUP_THERAPY, _minutes(90)),
    cc.Segment(cc.Service.PSYCHOEDUCATION, _minutes(60)),
    cc.Segment(cc.Service.RELAPSE_PREVENTION, _minutes(30)),
)
# One evening a week gives its last half hour to case management.
_GROUP_WITH_CASE_MANAGEMENT = (
    *_GROUP[:2],
    cc.Segment(cc.Service.CASE_MANAGEMENT, _minutes(30)),
)


def _hybrid_4x() -> cc.ProgramStructure:
    # In a hybrid program each session says how it is delivered (left as None, a session would
    # inherit "hybrid", which says nothing about that session).
    remote, on_site = cc.DeliveryMode.TELEHEALTH, cc.DeliveryMode.IN_PERSON
    sessions = [
        cc.Session(WeekDay.MONDAY, pendulum.time(18), _GROUP, delivery_mode=on_site),
        cc.Session(WeekDay.TUESDAY, pendulum.time(18), _GROUP, delivery_mode=remote),
        cc.Session(
            WeekDay.WEDNESDAY,
            pendulum.time(18),
            _GROUP_WITH_CASE_MANAGEMENT,
            delivery_mode=on_site,
        ),
        cc.Session(WeekDay.THURSDAY, pendulum.time(18), _GROUP, delivery_mode=remote),
    ]
    return cc.ProgramStructure(
        GENERIC["IOP"],
        cc.Population.ADULT,
        cc.Track.CO_OCCURRING,
        sessions,
        WEEKS,
        delivery_mode=cc.DeliveryMode.HYBRID,
        modalities=MODALITIES,
        name="AACS structured IOP (evening, 4 sessions, hybrid)",
    )


def _evening_weekend_5x() -> cc.ProgramStructure:
    family = (
        cc.Segment(cc.Service.FAMILY_THERAPY, _minutes(120)),
        cc.Segment(cc.Service.PSYCHOEDUCATION, _minutes(60), label="family education"),
    )
    sessions = [
        cc.Session(WeekDay.MONDAY, pendulum.time(18), _GROUP),
        cc.Session(WeekDay.TUESDAY, pendulum.time(18), _GROUP),
        cc.Session(WeekDay.WEDNESDAY, pendulum.time(18), _GROUP_WITH_CASE_MANAGEMENT),
        cc.Session(WeekDay.THURSDAY, pendulum.time(18), _GROUP),
        cc.Session(WeekDay.SATURDAY, pendulum.time(10), family, name="family session"),
    ]
    return cc.ProgramStructure(
        GENERIC["IOP"],
        cc.Population.ADULT,
        cc.Track.CO_OCCURRING,
        sessions,
        WEEKS,
        modalities=MODALITIES,
        name="AACS structured IOP (evening and weekend, 5 sessions, in person)",
    )


def build() -> dict[str, cc.ProgramStructure]:
    """Three schedules spanning the program's 3-5 sessions a week."""
    return {
        "day 3x": _day_3x(),
        "hybrid 4x": _hybrid_4x(),
        "evening+weekend 5x": _evening_weekend_5x(),
    }


def main() -> None:
    """Print the three schedules and the program's two ways in."""
    programs = build()
    for program in programs.values():
        describe(program)
        print()
    level = programs["day 3x"].level
    print(f"Step-down entry: from {GENERIC.step_up(level)} or residential care.")
    print(f"Step-up entry: from {GENERIC.step_down(level)}.")


if __name__ == "__main__":
    main()
