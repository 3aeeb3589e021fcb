"""What intensity rules measure: `WeekFigures`, one week of clinical time, from any subject that
has weeks (a program's template weeks now; dated calendar and attendance weeks register here too).
"""

from __future__ import annotations

import functools

import attrs
import pendulum

from ._levels import LevelOfCare
from ._program import Population, ProgramStructure, Service, Track

__all__ = ["WeekFigures", "profile_of", "weeks_of"]

_US_PER_HOUR = 3_600_000_000

# One session's contribution to a week: (weekday 0-6, clinical microseconds, path, services).
_Entry = tuple[int, int, str, tuple[Service, ...]]


@attrs.frozen
class WeekFigures:
    """One week of clinical time, as intensity rules judge it.

    A program template yields one `WeekFigures` per week of its cycle (one, unless a session is
    held every N weeks); a dated calendar yields one per real week. Clinical time of a session
    counts on the day it starts.

    Attributes:
        label: How findings name the week ("the typical week", "week 2 of the 2-week cycle").
        path: Where the week's sessions are in the subject ("sessions").
        fraction: The share of a full week it covers (1.0 but for partial weeks); weekly
            thresholds are judged pro rata on partial weeks.

    >>> import carecontinuum as cc
    >>> from carecontinuum.catalogs import GENERIC
    >>> p = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed"], hours_per_session=3,
    ...                                weeks=8)
    >>> (week,) = weeks_of(p)
    >>> week.clinical_hours, week.days, week.sessions, week.hours_on(0)
    (6.0, 2, 2, 3.0)
    """

    label: str
    path: str
    _entries: tuple[_Entry, ...] = attrs.field(alias="entries", repr=False)
    fraction: float = 1.0

    @property
    def clinical_us(self) -> int:
        """Clinical microseconds in the week (exact, for comparisons)."""
        return sum(entry[1] for entry in self._entries)

    @property
    def clinical_hours(self) -> float:
        """Clinical hours in the week."""
        return self.clinical_us / _US_PER_HOUR

    @property
    def clinical_duration(self) -> pendulum.Duration:
        """Clinical time in the week, as a Duration."""
        return pendulum.Duration(microseconds=self.clinical_us)

    @property
    def day_us(self) -> tuple[int, ...]:
        """Clinical microseconds on each weekday, Monday first."""
        days = [0] * 7
        for day, us, _, _ in self._entries:
            days[day] += us
        return tuple(days)

    @property
    def days(self) -> int:
        """Days with clinical time."""
        return len({entry[0] for entry in self._entries})

    @property
    def sessions(self) -> int:
        """Sessions held in the week."""
        return len(self._entries)

    def hours_on(self, weekday: int) -> float:
        """Clinical hours on a weekday (0 for Monday)."""
        return sum(us for day, us, _, _ in self._entries if day == weekday) / _US_PER_HOUR

    def services_on(self, weekday: int) -> frozenset[Service]:
        """The distinct clinical services delivered on a weekday."""
        return frozenset(
            s for day, _, _, services in self._entries if day == weekday for s in services
        )

    def paths_on(self, weekday: int) -> tuple[str, ...]:
        """Where the sessions held on a weekday are in the subject."""
        return tuple(path for day, _, path, _ in self._entries if day == weekday)

    @property
    def program_days(self) -> tuple[int, ...]:
        """The weekdays with clinical time, Monday first."""
        return tuple(sorted({entry[0] for entry in self._entries}))


@functools.singledispatch
def weeks_of(subject: object) -> tuple[WeekFigures, ...]:
    """The weeks a subject holds, for intensity rules; () for subjects without weeks."""
    return ()


def _program_weeks(program: ProgramStructure) -> tuple[WeekFigures, ...]:
    cycle = program.cycle_weeks
    sessions = program.sessions
    if cycle == 1:
        entries = tuple(
            (s.weekday.value, s._clinical_us, f"sessions[{i}]", s.services)
            for i, s in enumerate(sessions)
        )
        return (WeekFigures("the typical week", "sessions", entries),)
    weeks = []
    for week in range(cycle):
        entries = tuple(
            (s.weekday.value, s._clinical_us, f"sessions[{i}]", s.services)
            for i, s in enumerate(sessions)
            if s.occurs_in_week(week)
        )
        label = f"week {week + 1} of the {cycle}-week cycle"
        weeks.append(WeekFigures(label, f"sessions_in_week({week})", entries))
    return tuple(weeks)


@functools.singledispatch
def profile_of(subject: object) -> tuple[LevelOfCare | None, Population | None, Track | None]:
    """The level, population and track a subject is judged at; Nones where it has none."""
    return (None, None, None)


def _program_profile(
    program: ProgramStructure,
) -> tuple[LevelOfCare | None, Population | None, Track | None]:
    return (program.level, program.population, program.track)


# Registered by class, not by annotation: resolving annotations costs more than the import.
weeks_of.register(ProgramStructure, _program_weeks)
profile_of.register(ProgramStructure, _program_profile)


def _cyclic(subject: object) -> bool:
    """Whether the subject's weeks repeat (a template) rather than run once (a calendar)."""
    return isinstance(subject, ProgramStructure)
