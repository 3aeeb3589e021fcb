"""The census of a continuum: how many clients each level held on each day of a period, who came,
left and moved, and how long stays at each level last (right-censored at the period's end).

A client counts in a level on a day when a stay at that level covers the day: it began that day
or before and ends after it (a stay's `end` is the day the next stay begins, or the discharge
day). This is the midnight census a ward reports, read in whole days: the day of a move counts
in the new level, the discharge day counts nowhere, and a stay that begins and ends on one day
covers no day (its arrival and departure are both counted, and cancel). So each day's count is
the previous day's plus that day's admissions and moves in, less its moves out and discharges.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, NamedTuple, TypeVar

import attrs
import pendulum

from ._columns import Columns, register_table
from ._episode import Episode
from ._errors import CareContinuumError, InvalidTypeError, InvalidValueError, _echo
from ._frozen import FrozenMap
from ._levels import Continuum, LevelOfCare
from ._text import summary
from ._validators import check_bool, check_day, check_int, check_number, tuple_of

__all__ = ["Census", "DayCensus", "StayLengths", "census"]

_K = TypeVar("_K", bound=LevelOfCare | None)
_V = TypeVar("_V")

# Where a stay came from and went to, besides a level's index: admitted, discharged, still open.
_ADMITTED = -1
_DISCHARGED = -1
_OPEN = -2


class _Interval(NamedTuple):
    """One stay, in ordinals: its client, its level's index in the continuum, its first day and
    the day it ended (None while it goes on), where the client came from (a level's index, or
    `_ADMITTED`) and went to (a level's index, `_DISCHARGED` or `_OPEN`)."""

    client: str
    level: int
    start: int
    end: int | None
    came_from: int
    went_to: int


def _index_of(continuum: Continuum) -> dict[LevelOfCare, int]:
    return {level: i for i, level in enumerate(continuum.levels)}


def _intervals(
    episodes: Iterable[Episode], continuum: Continuum
) -> tuple[list[_Interval], list[_Interval]]:
    """The main stays and the concurrent services of `episodes`, as intervals."""
    where = _index_of(continuum)
    main: list[_Interval] = []
    alongside: list[_Interval] = []
    for episode in episodes:
        stays = episode.stays
        client = episode.client_id
        came_from = _ADMITTED
        last = len(stays) - 1
        for i, stay in enumerate(stays):
            level = where[stay.level]
            if i < last:
                went_to = where[stays[i + 1].level]
            else:
                went_to = _OPEN if stay.end is None else _DISCHARGED
            end = None if stay.end is None else stay.end.toordinal()
            main.append(_Interval(client, level, stay.start.toordinal(), end, came_from, went_to))
            came_from = level
        for service in episode.concurrent:
            end = None if service.end is None else service.end.toordinal()
            alongside.append(
                _Interval(client, where[service.level], service.start.toordinal(), end, -1, -1)
            )
    return main, alongside


def _running_counts(
    intervals: Iterable[_Interval], first: int, days: int, levels: int
) -> tuple[tuple[int, ...], ...]:
    """For each day from ordinal `first`, the intervals covering it, by level: a running sum of
    +1 where each begins and -1 where it ends (work of the intervals plus days x levels)."""
    change = [[0] * levels for _ in range(days + 1)]
    stop = first + days
    for interval in intervals:
        begin = max(interval.start, first)
        end = stop if interval.end is None else min(interval.end, stop)
        if begin < end:
            change[begin - first][interval.level] += 1
            change[end - first][interval.level] -= 1
    rows: list[tuple[int, ...]] = []
    running = [0] * levels
    for day in range(days):
        running = [a + b for a, b in zip(running, change[day], strict=True)]
        rows.append(tuple(running))
    return tuple(rows)


class _DayFlows(NamedTuple):
    """Each day's flows, by level index: admitted, discharged, and moves by (from, to)."""

    admitted: tuple[tuple[int, ...], ...]
    discharged: tuple[tuple[int, ...], ...]
    moves: tuple[dict[tuple[int, int], int], ...]


def _day_flows(stays: Iterable[_Interval], first: int, days: int, levels: int) -> _DayFlows:
    """The flows of each day from ordinal `first`, in one pass over the stays."""
    admitted = [[0] * levels for _ in range(days)]
    discharged = [[0] * levels for _ in range(days)]
    moves: list[dict[tuple[int, int], int]] = [{} for _ in range(days)]
    for s in stays:
        at = s.start - first
        if 0 <= at < days:
            if s.came_from == _ADMITTED:
                admitted[at][s.level] += 1
            else:
                key = (s.came_from, s.level)
                moves[at][key] = moves[at].get(key, 0) + 1
        if s.end is not None and s.went_to == _DISCHARGED and 0 <= s.end - first < days:
            discharged[s.end - first][s.level] += 1
    return _DayFlows(tuple(map(tuple, admitted)), tuple(map(tuple, discharged)), tuple(moves))


def _sequence(field: str, value: object, what: str) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, value, f"a sequence of {what}")
    return tuple(value)


@attrs.frozen(eq=False)
class StayLengths:
    """How long stays at one level last, in days, from the stays a census saw begin: the
    Kaplan-Meier estimate, which counts a stay still going at the census's end (right-censored)
    as lasting at least the days it has had so far, without guessing the rest.

    A stay's length is the days from its first day to the day it ended (a move or a discharge),
    as `Stay.length` gives. A stay still going on the census's last day is censored at the days
    it had through that day. `survival(t)` is the estimated share of stays lasting more than `t`
    days: the product, over each length `u` up to `t` at which stays ended, of one less the share
    of the stays still going at `u` (those at least `u` days long, censored ones included) that
    ended at `u`. Only stays that began within the census are counted: a stay already going on
    its first day was seen only because it lasted, and would bias lengths upward.

    Attributes:
        level: The level.
        lengths: Each stay's length in days (observed, or so far when censored), ascending.
        ended: For each length, True when the stay ended, False when it was still going.

    >>> import pendulum
    >>> from carecontinuum.catalogs import GENERIC
    >>> lengths = StayLengths(GENERIC["IOP"], (10, 20, 30, 30), (True, False, True, True))
    >>> lengths.survival(10), lengths.survival(29), lengths.survival(30)
    (0.75, 0.75, 0.0)
    >>> lengths.median, lengths.quantile(0.25)
    (30, 10)
    """

    level: LevelOfCare
    lengths: tuple[int, ...]
    ended: tuple[bool, ...]
    # The Kaplan-Meier step function: the lengths at which stays ended, and the survival just
    # after each. Derived, not part of the value's fields.
    _times: tuple[int, ...] = attrs.field(init=False, repr=False)
    _survival: tuple[float, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.level, LevelOfCare):
            raise InvalidTypeError("level", self.level, "a LevelOfCare")
        lengths = _sequence("lengths", self.lengths, "whole numbers of days")
        ended = _sequence("ended", self.ended, "True or False for each length")
        if len(lengths) != len(ended):
            raise InvalidValueError(
                "ended", ended, f"one flag per length ({len(lengths)}), True where a stay ended"
            )
        for i, length in enumerate(lengths):
            if type(length) is not int or length < 0:
                raise InvalidValueError(f"lengths[{i}]", length, "a whole number of days >= 0")
            if i and length < lengths[i - 1]:
                raise InvalidValueError("lengths", lengths, "lengths in ascending order")
        for i, flag in enumerate(ended):
            if type(flag) is not bool:
                raise InvalidTypeError(f"ended[{i}]", flag, "True or False")
        times: list[int] = []
        survival: list[float] = []
        at_risk = len(lengths)
        current = 1.0
        i = 0
        while i < len(lengths):
            length = lengths[i]
            j = bisect.bisect_right(lengths, length, lo=i)
            ends = sum(ended[i:j])
            if ends:
                current *= 1.0 - ends / at_risk
                times.append(length)
                survival.append(current)
            at_risk -= j - i
            i = j
        object.__setattr__(self, "lengths", lengths)
        object.__setattr__(self, "ended", ended)
        object.__setattr__(self, "_times", tuple(times))
        object.__setattr__(self, "_survival", tuple(survival))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StayLengths):
            return NotImplemented
        return (self.level, self.lengths, self.ended) == (other.level, other.lengths, other.ended)

    def __hash__(self) -> int:
        return hash((self.level, self.lengths, self.ended))

    @property
    def count(self) -> int:
        """The stays counted (ended and censored)."""
        return len(self.lengths)

    @property
    def censored(self) -> int:
        """The stays still going at the census's end."""
        return self.ended.count(False)

    @property
    def horizon(self) -> int:
        """The longest length seen (0 without stays): the estimate says nothing beyond it."""
        return self.lengths[-1] if self.lengths else 0

    def survival(self, days: int) -> float:
        """The estimated share of stays lasting more than `days` days (1.0 before any ended).

        Past the longest length seen, the estimate stays at its last value: a censored tail
        says some stays last longer, not how much longer.
        """
        at = bisect.bisect_right(self._times, check_int("days", days))
        return 1.0 if at == 0 else self._survival[at - 1]

    def quantile(self, share: float) -> int | None:
        """The length by which `share` of stays have ended: the fewest days `t` with
        ``survival(t) <= 1 - share``; None when the censored tail leaves it unknown.

        Raises:
            InvalidValueError: `share` not above 0 and at most 1.
        """
        share = check_number("share", share, "a share above 0, at most 1", minimum=0, above=0,
                             maximum=1)  # fmt: skip
        for time, left in zip(self._times, self._survival, strict=True):
            if left <= 1.0 - share + 1e-12:
                return time
        return None

    @property
    def median(self) -> int | None:
        """The length by which half the stays have ended (None when the tail leaves it
        unknown)."""
        return self.quantile(0.5)

    def mean(self, within: int | None = None) -> float:
        """The mean length of stay restricted to `within` days (by default the longest length
        seen): the mean of each stay's length capped at `within`, the sum of `survival(t)` for
        each day `t` before it. Without censoring past `within` it is the plain mean of the
        capped lengths; a censored tail makes any unrestricted mean a guess.

        Raises:
            InvalidValueError: `within` is negative.
        """
        limit = self.horizon if within is None else within
        if type(limit) is not int or limit < 0:
            raise InvalidValueError("within", within, "a whole number of days >= 0 or None")
        total = 0.0
        previous = 0
        current = 1.0
        for time, left in zip(self._times, self._survival, strict=True):
            if time >= limit:
                break
            total += current * (time - previous)
            previous = time
            current = left
        return total + current * max(limit - previous, 0)

    def __repr__(self) -> str:
        return (
            f"StayLengths({self.level.scheme} {self.level.code}, {self.count} stays, "
            f"{self.censored} censored, median {self.median})"
        )

    def __str__(self) -> str:
        """The level, the stays counted and censored, and the median.

        >>> from carecontinuum.catalogs import GENERIC
        >>> print(StayLengths(GENERIC["IOP"], (10, 20, 30), (True, False, True)))
        lengths of stay at GENERIC IOP: 3 stays (1 censored), median 30 days
        """
        median = "unknown" if self.median is None else f"{self.median} days"
        return summary(
            f"lengths of stay at {self.level.scheme} {self.level.code}: {self.count} stays "
            f"({self.censored} censored), median {median}"
        )


def _level_key(continuum: Continuum, level: object, field: str) -> LevelOfCare:
    """The continuum's level for a level or its code, or an error naming `field`."""
    if isinstance(level, (LevelOfCare, str)):
        try:
            return continuum.level(level)
        except CareContinuumError:
            pass
    codes = ", ".join(lv.code for lv in continuum.levels)
    raise InvalidValueError(field, level, f"a level of {continuum.scheme} ({codes}) or its code")


class _ByLevel(FrozenMap[_K, _V]):
    """A read-only mapping by level, read by the level or by its code."""

    __slots__ = ()

    def __getitem__(self, key: _K | str) -> _V:
        if isinstance(key, str):
            for level, value in self._items.items():
                if isinstance(level, LevelOfCare) and level.code == key:
                    return value
        return self._items[key]  # type: ignore[index]  # a KeyError names what is missing

    def get(self, key: object, default: Any = None) -> Any:
        try:
            return self[key]  # type: ignore[index]  # any key may be asked about
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return self.get(key, self) is not self

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self._items),))


def _in_order(stays: Iterable[_Interval]) -> list[tuple[Any, ...]]:
    """The stays in one order whatever order they came in (an open stay after ended ones)."""
    return sorted((s.client, s.level, s.start, s.end is None, s.end or 0, s.came_from,
                   s.went_to) for s in stays)  # fmt: skip


class _Computed:
    """A result the library computes (a census, a day of one): read-only once made."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _set(self, **fields: object) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)


class DayCensus(_Computed, Mapping[LevelOfCare, int]):
    """One day of a census: a mapping from each level of the continuum to the clients whose
    main stay covers the day (a count), with the services running alongside counted apart, the
    day's admissions, discharges and moves, and, for an audit, who the clients were.
    ``census.on(day)`` gives it, as does ``DayCensus(census, day)``.

    Look a level up by the level or by its code, here and in the mappings by level. Every level
    of the continuum is a key, a level no one was in counting 0.

    Attributes:
        day: The day.
        concurrent: The services running alongside main stays that day, by level.
        admissions: The clients admitted that day, by the level they were admitted to.
        discharges: The clients discharged that day, by the level they left.
        moves: The moves that day, by (from level, to level).

    Raises:
        InvalidTypeError: `census` is not a `Census`.
        InvalidValueError: `day` is outside the census.

    >>> import pendulum, carecontinuum as cc
    >>> from carecontinuum.catalogs import GENERIC
    >>> e = cc.Episode.admit("c-1", "PHP", pendulum.date(2026, 3, 2), continuum=GENERIC)
    >>> day = cc.census([e.step_to("IOP", pendulum.date(2026, 3, 9))],
    ...                 "2026-03-01", "2026-03-31").on("2026-03-09")
    >>> day["IOP"], day["PHP"], day.total, sorted(day.clients("IOP"))
    (1, 0, 1, ['c-1'])
    >>> [(a.code, b.code, n) for (a, b), n in day.moves.items()]
    [('PHP', 'IOP', 1)]
    """

    __slots__ = ("_census", "_counts", "admissions", "concurrent", "day", "discharges", "moves")
    day: pendulum.Date
    _counts: Mapping[LevelOfCare, int]
    concurrent: Mapping[LevelOfCare, int]
    admissions: Mapping[LevelOfCare, int]
    discharges: Mapping[LevelOfCare, int]
    moves: Mapping[tuple[LevelOfCare, LevelOfCare], int]
    _census: Census

    def __init__(self, census: Census, day: date | str) -> None:
        if not isinstance(census, Census):
            raise InvalidTypeError("census", census, "a Census")
        at = census._day_index(day)
        levels = census.levels
        flows = census._day
        self._set(
            day=census.start.add(days=at),
            _counts=_ByLevel(zip(levels, census._counts[at], strict=True)),
            concurrent=_ByLevel(zip(levels, census._concurrent[at], strict=True)),
            admissions=_ByLevel(zip(levels, flows.admitted[at], strict=True)),
            discharges=_ByLevel(zip(levels, flows.discharged[at], strict=True)),
            moves=FrozenMap(
                ((levels[a], levels[b]), n) for (a, b), n in sorted(flows.moves[at].items())
            ),
            _census=census,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (DayCensus, (self._census, self.day))

    def __getitem__(self, level: LevelOfCare | str) -> int:
        return self._counts[_level_key(self._census.continuum, level, "level")]

    def __contains__(self, level: object) -> bool:
        try:
            self[level]  # type: ignore[index]  # any key may be asked about
        except InvalidValueError:
            return False
        return True

    def get(self, level: object, default: Any = None) -> Any:
        try:
            return self[level]  # type: ignore[index]  # any key may be asked about
        except InvalidValueError:
            return default

    def __iter__(self) -> Iterator[LevelOfCare]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    @property
    def total(self) -> int:
        """The clients in care that day (main stays)."""
        return sum(self._counts.values())

    def clients(self, level: LevelOfCare | str, *, concurrent: bool = False) -> frozenset[str]:
        """The ids of the clients counted at `level` that day (with `concurrent`, of those
        receiving it as a service alongside). Found from the stays when asked, so a census
        holds counts, not a set of ids for each day."""
        index = self._census._index[_level_key(self._census.continuum, level, "level")]
        day = self.day.toordinal()
        alongside = check_bool("concurrent", concurrent)
        stays = self._census._services if alongside else self._census._stays
        return frozenset(
            s.client
            for s in stays
            if s.level == index and s.start <= day and (s.end is None or day < s.end)
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DayCensus):
            return NotImplemented
        return (self.day, self._counts, self.concurrent, self.admissions, self.discharges,
                self.moves) == (other.day, other._counts, other.concurrent, other.admissions,
                                other.discharges, other.moves)  # fmt: skip

    def __hash__(self) -> int:
        return hash((self.day, self._counts))

    def __repr__(self) -> str:
        counts = ", ".join(f"{lv.code}: {n}" for lv, n in self._counts.items() if n)
        return f"DayCensus({self.day}, {{{counts}}})"


class Census(_Computed):
    """The census of one continuum over a period: for each day, the clients in each level
    (main stays; services alongside counted apart), admissions, discharges and moves, and the
    lengths of stay at each level. ``Census(episodes, start, end)`` is `census` (see it for the
    arguments and errors); `FlowModel.simulate` makes one of a simulated run.

    Counts are per day and level; `DayCensus.clients` names the clients behind a count. See the
    module's rule for which day a client counts in a level: a midnight census, whole days.

    Attributes:
        continuum: The continuum.
        start: The first day.
        end: The last day (inclusive).

    >>> import pendulum, carecontinuum as cc
    >>> from carecontinuum.catalogs import GENERIC
    >>> a = cc.Episode.admit("c-1", "PHP", pendulum.date(2026, 3, 2), continuum=GENERIC)
    >>> b = cc.Episode.admit("c-2", "IOP", pendulum.date(2026, 3, 4), continuum=GENERIC)
    >>> c = cc.Census([a.step_to("IOP", pendulum.date(2026, 3, 5)),
    ...                b.discharge(pendulum.date(2026, 3, 6), "completed")],
    ...               "2026-03-01", "2026-03-07")
    >>> len(c.days), c.series("IOP")
    (7, (0, 0, 0, 1, 2, 1, 1))
    >>> c.capacity("IOP", 0.95), c.lengths_of_stay("PHP").median
    (2, 3)
    """

    __slots__ = ("_concurrent", "_counts", "_day", "_index", "_services", "_stays",
                 "continuum", "end", "start")  # fmt: skip
    continuum: Continuum
    start: pendulum.Date
    end: pendulum.Date
    _counts: tuple[tuple[int, ...], ...]
    _concurrent: tuple[tuple[int, ...], ...]
    _stays: tuple[_Interval, ...]
    _services: tuple[_Interval, ...]
    _day: _DayFlows
    _index: dict[LevelOfCare, int]

    def __init__(
        self,
        episodes: Iterable[Episode],
        start: date | str,
        end: date | str,
        *,
        continuum: Continuum | None = None,
    ) -> None:
        first = _pendulum_day("start", start)
        last = _pendulum_day("end", end)
        if last < first:
            raise InvalidValueError("end", end, f"on or after start ({first})")
        items = tuple_of("episodes", episodes, Episode, "an Episode")
        if continuum is None:
            if not items:
                raise InvalidValueError(
                    "continuum", None, "given when there are no episodes (the census's levels)"
                )
            continuum = items[0].continuum
        elif not isinstance(continuum, Continuum):
            raise InvalidTypeError("continuum", continuum, "a Continuum or None")
        for i, episode in enumerate(items):
            if episode.continuum != continuum:
                raise InvalidValueError(
                    f"episodes[{i}]",
                    episode,
                    f"an episode on {continuum.scheme}, the census's continuum (this one is on "
                    f"{_echo(episode.continuum.scheme)})",
                )
        main, alongside = _intervals(items, continuum)
        self._fill(continuum, first, last, main, alongside)

    @classmethod
    def _of(
        cls,
        continuum: Continuum,
        start: pendulum.Date,
        end: pendulum.Date,
        stays: Iterable[_Interval],
        services: Iterable[_Interval] = (),
    ) -> Census:
        """The census of `continuum` from `start` to `end` of stays given as intervals."""
        made = object.__new__(cls)
        made._fill(continuum, start, end, stays, services)
        return made

    def _fill(
        self,
        continuum: Continuum,
        start: pendulum.Date,
        end: pendulum.Date,
        stays: Iterable[_Interval],
        services: Iterable[_Interval],
    ) -> None:
        first = start.toordinal()
        days = end.toordinal() - first + 1
        width = len(continuum.levels)
        stays = tuple(stays)
        services = tuple(services)
        self._set(
            continuum=continuum,
            start=start,
            end=end,
            _counts=_running_counts(stays, first, days, width),
            _concurrent=_running_counts(services, first, days, width),
            _stays=stays,
            _services=services,
            _day=_day_flows(stays, first, days, width),
            _index=_index_of(continuum),
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (Census._of, (self.continuum, self.start, self.end, self._stays, self._services))

    @property
    def levels(self) -> tuple[LevelOfCare, ...]:
        """The continuum's levels, in its order: the census's columns."""
        return self.continuum.levels

    @property
    def days(self) -> tuple[pendulum.Date, ...]:
        """The days the census covers, from `start` to `end`."""
        return tuple(self.start.add(days=i) for i in range(len(self._counts)))

    def _day_index(self, day: object) -> int:
        at = check_day("day", day).toordinal() - self.start.toordinal()
        if not 0 <= at < len(self._counts):
            raise InvalidValueError("day", day, f"a day from {self.start} to {self.end}")
        return at

    def on(self, day: date | str) -> DayCensus:
        """The census of one day (see `DayCensus`).

        Raises:
            InvalidValueError: `day` outside the census.
        """
        return DayCensus(self, day)

    def series(self, level: LevelOfCare | str, *, concurrent: bool = False) -> tuple[int, ...]:
        """The clients at `level` on each day, in order (with `concurrent`, the services)."""
        index = self._index[_level_key(self.continuum, level, "level")]
        rows = self._concurrent if check_bool("concurrent", concurrent) else self._counts
        return tuple(row[index] for row in rows)

    def capacity(self, level: LevelOfCare | str, share: float = 0.95) -> int:
        """The places `level` needs to hold everyone on `share` of the days: the fewest places
        `n` such that on at least that share of the census's days no more than `n` clients were
        there (the `share` quantile of the daily counts, by the nearest rank).

        Raises:
            InvalidValueError: `share` not above 0 and at most 1, or `level` not of the
                continuum.
        """
        share = check_number("share", share, "a share above 0, at most 1", minimum=0, above=0,
                             maximum=1)  # fmt: skip
        counts = sorted(self.series(level))
        rank = -(-len(counts) * share // 1)  # ceil, exact for a float share of an int count
        return counts[max(int(rank), 1) - 1]

    def stays_begun(self, level: LevelOfCare | str) -> int:
        """The stays at `level` that began within the census (admissions and moves in)."""
        index = self._index[_level_key(self.continuum, level, "level")]
        admitted, _, moves = self._flows()
        return admitted[index] + sum(n for (_, to), n in moves.items() if to == index)

    def lengths_of_stay(self, level: LevelOfCare | str) -> StayLengths:
        """How long stays at `level` last: the Kaplan-Meier estimate over the stays that began
        within the census, a stay still going at its end censored at its days through `end`
        (see `StayLengths`)."""
        index = self._index[_level_key(self.continuum, level, "level")]
        first, last = self.start.toordinal(), self.end.toordinal()
        seen: list[tuple[int, bool]] = []
        for s in self._stays:
            if s.level == index and first <= s.start <= last:
                if s.end is not None and s.end <= last:
                    seen.append((s.end - s.start, True))
                else:
                    seen.append((last + 1 - s.start, False))
        seen.sort()
        return StayLengths(self.levels[index], tuple(n for n, _ in seen), tuple(e for _, e in seen))

    def _flows(self) -> tuple[list[int], list[int], dict[tuple[int, int], int]]:
        """Over the whole census, by level index: admissions, discharges, moves (from, to)."""
        admitted = [sum(column) for column in zip(*self._day.admitted, strict=True)]
        discharged = [sum(column) for column in zip(*self._day.discharged, strict=True)]
        moves: dict[tuple[int, int], int] = {}
        for day in self._day.moves:
            for key, count in day.items():
                moves[key] = moves.get(key, 0) + count
        return admitted, discharged, moves

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Census):
            return NotImplemented
        return (self.continuum, self.start, self.end, self._counts, self._concurrent,
                _in_order(self._stays), _in_order(self._services)) == (
                other.continuum, other.start, other.end, other._counts, other._concurrent,
                _in_order(other._stays), _in_order(other._services))  # fmt: skip

    def __hash__(self) -> int:
        return hash((self.continuum, self.start, self.end, self._counts))

    def __repr__(self) -> str:
        peak = max((sum(row) for row in self._counts), default=0)
        return (
            f"Census({self.continuum.scheme}, {self.start} to {self.end}, {len(self._counts)} "
            f"days, {len(self._stays)} stays, peak {peak} in care)"
        )

    def _repr_html_(self) -> str:
        """The census as HTML, for notebooks: with Altair installed (the ``charts`` extra), the
        chart of `carecontinuum.charts.census_chart` (the clients of each level anyone was in,
        day by day); without it, a compact table: for each such level, its clients on the first
        and last day, the least, mean and most per day, admissions, discharges and the median
        length of stay.

        >>> import pendulum, carecontinuum as cc
        >>> e = cc.Episode.admit("c-1", "IOP", pendulum.date(2026, 3, 2),
        ...                      continuum=cc.catalogs.GENERIC)
        >>> html = cc.census([e], "2026-03-01", "2026-03-31")._repr_html_()
        >>> "<table" in html or "vegaEmbed" in html
        True
        """
        from .charts import _census_html as view  # noqa: PLC0415 (Altair, if any, loads only then)

        return view(self, lambda: _census_html(self))


def _census_html(value: Census) -> str:
    import html  # noqa: PLC0415 (on first use: not a cost of importing the package)

    admitted, discharged, _ = value._flows()
    days = len(value._counts)
    head = ("Level", "First day", "Last day", "Least", "Mean", "Most", "Admitted", "Discharged",
            "Median stay")  # fmt: skip
    rows: list[str] = []
    for i, level in enumerate(value.levels):
        column = [row[i] for row in value._counts]
        if not any(column) and not admitted[i]:
            continue
        median = value.lengths_of_stay(level).median
        cells = (
            f"{level.code} {level.name}",
            str(column[0]),
            str(column[-1]),
            str(min(column)),
            f"{sum(column) / days:.1f}",
            str(max(column)),
            str(admitted[i]),
            str(discharged[i]),
            "unknown (censored)" if median is None else f"{median} days",
        )
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    caption = html.escape(
        f"Census of {value.continuum.scheme}, {value.start} to {value.end} ({days} days)"
    )
    header = "".join(f"<th>{h}</th>" for h in head)
    body = "".join(rows) or f'<tr><td colspan="{len(head)}">No one in care</td></tr>'
    return (
        f'<table style="border-collapse:collapse"><caption>{caption}</caption>'
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
    )


def _pendulum_day(field: str, value: object) -> pendulum.Date:
    day = check_day(field, value)
    return day if type(day) is pendulum.Date else pendulum.Date(day.year, day.month, day.day)


def census(
    episodes: Iterable[Episode],
    start: date | str,
    end: date | str,
    *,
    continuum: Continuum | None = None,
) -> Census:
    """The census of a continuum from `start` to `end` (both included): for each day, the
    clients of `episodes` in each level, their admissions, discharges and moves, and the
    lengths of stay at each level.

    A client counts in a level on a day its main stay there covers: from the stay's first day up
    to the day before it ends (the day of a move counts in the new level; the discharge day
    counts nowhere). Services alongside the main stay (`Episode.concurrent`) are counted apart
    (`DayCensus.concurrent`), by the same rule. The work grows with the stays and with days x
    levels, not with days x episodes.

    Args:
        episodes: Episodes of one continuum, open or discharged, in any order.
        start: The first day.
        end: The last day (inclusive); stays going on after it are censored there.
        continuum: The continuum; by default the episodes', and needed when there are none.

    Raises:
        InvalidTypeError: an item of `episodes` that is not an `Episode`, or a day that is not
            a date.
        InvalidValueError: `end` before `start`, episodes of another continuum, or no episodes
            and no `continuum`.

    >>> import pendulum, carecontinuum as cc
    >>> e = cc.Episode.admit("c-1", "PHP", pendulum.date(2026, 3, 2),
    ...                      continuum=cc.catalogs.GENERIC)
    >>> c = cc.census([e.step_to("IOP", pendulum.date(2026, 3, 9))], "2026-03-01", "2026-03-31")
    >>> c.on("2026-03-08")["PHP"], c.on("2026-03-09")["PHP"], c.on("2026-03-09")["IOP"]
    (1, 0, 1)
    """
    return Census(episodes, start, end, continuum=continuum)


def _census_table(value: Census) -> Columns:
    """Per day and level: the clients in the level, those receiving it alongside, admitted,
    discharged, moved in and moved out."""
    days: list[Any] = []
    codes: list[Any] = []
    columns: dict[str, list[Any]] = {
        k: [] for k in ("clients", "concurrent", "admitted", "discharged", "moved_in", "moved_out")
    }
    width = len(value.levels)
    flows = value._day
    for d, day in enumerate(value.days):
        moved_in = [0] * width
        moved_out = [0] * width
        for (origin, target), n in flows.moves[d].items():
            moved_in[target] += n
            moved_out[origin] += n
        for i, level in enumerate(value.levels):
            days.append(day)
            codes.append(level.code)
            columns["clients"].append(value._counts[d][i])
            columns["concurrent"].append(value._concurrent[d][i])
            columns["admitted"].append(flows.admitted[d][i])
            columns["discharged"].append(flows.discharged[d][i])
            columns["moved_in"].append(moved_in[i])
            columns["moved_out"].append(moved_out[i])
    out: Columns = {"day": ("date", days), "level": ("str", codes)}
    for key, values in columns.items():
        out[key] = ("int", values)
    return out


def _stays_table(value: Census) -> Columns:
    """One row per main stay the census saw begin, in the order of the episodes and their stays
    (a simulation's, in the order drawn): the client, the level, the first day, the
    length in days (so far, when censored) and whether it ended within the census."""
    last = value.end.toordinal()
    first = value.start.toordinal()
    rows = [s for s in value._stays if first <= s.start <= last]
    ended = [s.end is not None and s.end <= last for s in rows]
    return {
        "client": ("str", [s.client for s in rows]),
        "level": ("str", [value.levels[s.level].code for s in rows]),
        "start": ("date", [pendulum.Date.fromordinal(s.start) for s in rows]),
        "length": ("int", [
            (s.end if e and s.end is not None else last + 1) - s.start
            for s, e in zip(rows, ended, strict=True)
        ]),
        "ended": ("bool", ended),
    }  # fmt: skip


register_table(Census, _census_table)
register_table(Census, _stays_table, name="stays")
