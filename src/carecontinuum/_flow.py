"""The flow of clients through a continuum as a model: arrivals into levels, lengths of stay and
where clients go next, from which the expected census follows (Little's law), a simulated one
can be drawn, and which can be estimated from a real census.

Simulation needs numpy (the ``flow`` extra), imported only by `FlowModel.simulate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from ._census import (
    _ADMITTED,
    _DISCHARGED,
    _OPEN,
    Census,
    StayLengths,
    _ByLevel,
    _Interval,
    _level_key,
    _pendulum_day,
    census,
)
from ._crosswalk import catalog_named
from ._episode import Episode
from ._errors import InvalidTypeError, InvalidValueError
from ._frozen import FrozenMap, value_eq, value_hash
from ._levels import Continuum, LevelOfCare
from ._text import clip, summary
from ._validators import check_int, check_number, tuple_of

if TYPE_CHECKING:
    import numpy as np

__all__ = ["FlowModel"]

#: How far a level's move probabilities may sum from 1 (rounding in figures written by hand).
_TOLERANCE = 1e-6

Length = float | StayLengths

#: The most characters of a model's repr (a continuum of fifteen levels with its moves runs
#: long): what is cut ends in an ellipsis.
_REPR_LIMIT = 480

#: The most clients a day the flow equations may send into a level: more means chances of
#: leaving so small (or so rounded) that the model describes no service.
_MOST_ARRIVALS = 1e9


def _mapping(field: str, value: object) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(field, value, "a mapping from level (or its code) to a value")
    return value


def _mean(length: Length) -> float:
    return length.mean() if isinstance(length, StayLengths) else float(length)


@attrs.frozen(init=False)
class FlowModel:
    """How clients flow through a continuum: new clients per day into each level, the length of
    stay at each level, and where clients go when a stay ends (the probability of each next
    level, or of discharge).

    Lengths are whole days, as in a `Census`. A mean length `m` of 1 day or more stands for a
    stay whose chance of ending is the same each day, 1 in `m` (a geometric length: the
    simplest model with that mean, and the one `fit` estimates); a mean under 1 day, for stays
    of 1 day with chance `m` and otherwise of none (a level clients pass through, admitted and
    moved on the same day, as records sometimes have it); a `StayLengths` (a census's
    Kaplan-Meier estimate) stands for itself, up to its longest length seen, where its censored
    tail is cut (its mean is `StayLengths.mean`, restricted to that length).

    Args:
        continuum: The continuum (or a catalog's scheme name, such as ``"GENERIC"``).
        admissions: Mean new clients per day, by level admitted to (levels left out: none).
        length_of_stay: By level: the mean length in days, or a `StayLengths`. Every level
            clients reach needs one.
        moves: By level: a mapping from the next level (None for discharge) to its
            probability, summing to 1. A level left out discharges everyone.

    Raises:
        InvalidTypeError: an argument of the wrong kind.
        InvalidValueError: a level not of the continuum, a negative rate or mean length,
            probabilities outside 0 to 1 or not summing to 1, a level clients reach
            without a length of stay, or levels clients reach and can never leave (moves with
            no way on to discharge). Each error names the argument, such as
            ``moves['IOP']``.

    >>> import carecontinuum as cc
    >>> model = cc.FlowModel(cc.catalogs.GENERIC, admissions={"PHP": 2.0},
    ...                      length_of_stay={"PHP": 14, "IOP": 28},
    ...                      moves={"PHP": {"IOP": 0.75, None: 0.25}})
    >>> {level.code: round(n, 1) for level, n in model.steady_state().items() if n}
    {'IOP': 42.0, 'PHP': 28.0}
    >>> model.steady_state()["IOP"] == model.arrivals()["IOP"] * model.length_of_stay["IOP"]
    True
    """

    __eq__ = value_eq
    __hash__ = value_hash

    continuum: Continuum
    admissions: Mapping[LevelOfCare, float]
    length_of_stay: Mapping[LevelOfCare, Length]
    moves: Mapping[LevelOfCare, Mapping[LevelOfCare | None, float]]
    _arrivals: tuple[float, ...] = attrs.field(eq=False, repr=False)

    def __init__(
        self,
        continuum: Continuum | str,
        *,
        admissions: Mapping[Any, float],
        length_of_stay: Mapping[Any, Length],
        moves: Mapping[Any, Mapping[Any, float]] | None = None,
    ) -> None:
        if isinstance(continuum, str):
            continuum = catalog_named("continuum", continuum)
        elif not isinstance(continuum, Continuum):
            raise InvalidTypeError(
                "continuum", continuum, "a Continuum or a catalog's scheme name ('GENERIC')"
            )
        rates: dict[LevelOfCare, float] = {}
        for key, rate in _mapping("admissions", admissions).items():
            level = _level_key(continuum, key, "admissions")
            field = f"admissions[{level.code!r}]"
            rates[level] = check_number(field, rate, "a number of clients per day >= 0", minimum=0)
        lengths: dict[LevelOfCare, Length] = {}
        for key, length in _mapping("length_of_stay", length_of_stay).items():
            level = _level_key(continuum, key, "length_of_stay")
            field = f"length_of_stay[{level.code!r}]"
            if isinstance(length, StayLengths):
                if not length.count:
                    raise InvalidValueError(field, length, "a StayLengths of at least one stay")
                lengths[level] = length
            else:
                lengths[level] = check_number(
                    field, length, "a mean length in days >= 0", minimum=0,
                    kind="a mean length in days or a StayLengths",
                )  # fmt: skip
        routes: dict[LevelOfCare, Mapping[LevelOfCare | None, float]] = {}
        for key, nexts in _mapping("moves", {} if moves is None else moves).items():
            level = _level_key(continuum, key, "moves")
            field = f"moves[{level.code!r}]"
            route: dict[LevelOfCare | None, float] = {}
            for target, chance in _mapping(field, nexts).items():
                goes = None if target is None else _level_key(continuum, target, field)
                name = "discharge" if goes is None else goes.code
                route[goes] = check_number(
                    f"{field}[{name!r}]", chance, "a probability from 0 to 1", minimum=0,
                    maximum=1,
                )  # fmt: skip
            total = sum(route.values())
            if abs(total - 1) > _TOLERANCE:
                raise InvalidValueError(
                    field, total, "probabilities summing to 1 (None is discharge)"
                )
            routes[level] = _ByLevel(route)
        self.__attrs_init__(continuum, _ByLevel(rates), _ByLevel(lengths), _ByLevel(routes),
                            _arrivals(continuum, rates, lengths, routes))  # fmt: skip

    def __repr__(self) -> str:
        def code(level: LevelOfCare | None) -> str:
            return "discharge" if level is None else level.code

        admitted = ", ".join(f"{lv.code}: {n:g}" for lv, n in self.admissions.items())
        stays = ", ".join(
            f"{lv.code}: {n:g}" if isinstance(n, float | int) else f"{lv.code}: {n!r}"
            for lv, n in self.length_of_stay.items()
        )
        moves = "; ".join(
            f"{lv.code} -> " + ", ".join(f"{code(t)} {p:.3g}" for t, p in route.items())
            for lv, route in self.moves.items()
        )
        return (
            clip(
                f"FlowModel({self.continuum.scheme}, admissions per day {{{admitted}}}, "
                f"mean stay {{{stays}}}, moves {{{moves}}}",
                _REPR_LIMIT - 1,
            )
            + ")"
        )

    def __str__(self) -> str:
        """The continuum, the admissions a day, the levels clients reach and the expected
        census.

        >>> import carecontinuum as cc
        >>> print(cc.FlowModel("GENERIC", admissions={"PHP": 2.0},
        ...                    length_of_stay={"PHP": 14, "IOP": 28},
        ...                    moves={"PHP": {"IOP": 0.75, None: 0.25}}))
        flow model of GENERIC: 2 admissions a day, 2 levels reached, 70 clients expected in care
        """
        admitted = sum(self.admissions.values())
        reached = sum(1 for rate in self._arrivals if rate)
        expected = sum(self.steady_state().values())
        return summary(
            f"flow model of {self.continuum.scheme}: {admitted:.3g} admissions a day, "
            f"{reached} level{'' if reached == 1 else 's'} reached, {expected:.3g} clients "
            "expected in care"
        )

    def _route(self, level: LevelOfCare) -> Mapping[LevelOfCare | None, float]:
        route: Mapping[LevelOfCare | None, float] = self.moves.get(level, _DISCHARGE_ALL)
        return route

    def arrivals(self) -> Mapping[LevelOfCare, float]:
        """Clients entering each level per day in the long run, admitted or moved in: the
        solution of the flow equations (each level's arrivals are its admissions plus, from
        every level, that level's arrivals times the chance its clients move here)."""
        return _ByLevel(zip(self.continuum.levels, self._arrivals, strict=True))

    def steady_state(self) -> Mapping[LevelOfCare, float]:
        """The expected census of each level in the long run: its arrivals per day times its
        mean length of stay (Little's law), 0 for levels no one reaches. By level, read by the
        level or its code, as are the model's own mappings."""
        return _ByLevel(
            (level, rate * _mean(self.length_of_stay[level]) if rate else 0.0)
            for level, rate in self.arrivals().items()
        )

    def simulate(
        self,
        days: int,
        *,
        seed: int | None,
        start: date | str = "2000-01-01",
        warm_up: int = 0,
    ) -> Census:
        """A simulated run of `days` days from `start`: a `Census` of clients admitted (each
        day's admissions to a level a Poisson count with its mean), staying (each stay's length
        drawn from its level's length of stay) and moving on (the next level drawn from its
        level's moves). Drawn with numpy, a level's stays at a time.

        Args:
            days: The days the census covers.
            seed: The random generator's seed (the same seed gives the same run); None draws
                a fresh one.
            start: The census's first day (the model has no calendar: any day will do).
            warm_up: Days simulated before `start`, from an empty continuum, and left out of
                the census, so that it starts near the steady state.

        Raises:
            InvalidValueError: `days` under 1 or `warm_up` negative.
            MissingExtraError: numpy is not installed (``pip install carecontinuum[flow]``).
        """
        days = check_int("days", days, minimum=1, maximum=1_000_000)
        warm_up = check_int("warm_up", warm_up, minimum=0, maximum=1_000_000)
        if seed is not None:
            seed = check_int("seed", seed, minimum=0, maximum=2**128)
        first = _pendulum_day("start", start)
        if first.toordinal() - warm_up < 1 or first.toordinal() + days > date.max.toordinal():
            raise InvalidValueError(
                "start", start, f"a day leaving the warm-up ({warm_up} days) before it and the "
                f"run ({days} days) from it within the calendar (years 1 to 9999)",
            )  # fmt: skip
        np = _numpy()
        rng = np.random.default_rng(seed)
        levels = self.continuum.levels
        width = len(levels)
        total = warm_up + days
        rates = np.array([self.admissions.get(level, 0.0) for level in levels])
        flat = rng.poisson(np.broadcast_to(rates, (total, width))).ravel()
        where = np.repeat(np.arange(total * width), flat)
        entry, level = where // width, where % width
        client = np.arange(len(where))
        came_from = np.full(len(where), _ADMITTED)
        stays: list[Any] = []
        while len(client):
            leave = entry + self._lengths(rng, level)
            went_to = np.full(len(client), _OPEN)
            for index in np.unique(level).tolist():
                mine = (level == index) & (leave < total)
                route = self._route(levels[index])
                targets = np.array([_DISCHARGED if t is None else levels.index(t) for t in route])
                chances = np.array(list(route.values()))
                went_to[mine] = targets[
                    rng.choice(len(targets), mine.sum(), p=chances / chances.sum())
                ]
            stays.append((client, level, entry, leave, came_from, went_to))
            moving = went_to >= 0
            client, came_from = client[moving], level[moving]
            level, entry = went_to[moving], leave[moving]
        base = first.toordinal() - warm_up
        intervals = [
            _Interval(f"sim-{c}", lv, base + s, None if w == _OPEN else base + e, f, w)
            for group in stays
            for c, lv, s, e, f, w in zip(*(part.tolist() for part in group), strict=True)
        ]
        return Census._of(self.continuum, first, first.add(days=days - 1), intervals)

    def _lengths(self, rng: np.random.Generator, level: np.ndarray[Any, Any]) -> Any:
        """A length of stay for each stay, drawn from its level's length of stay."""
        np = _numpy()
        out = np.zeros(len(level), dtype=np.int64)
        for index in np.unique(level).tolist():
            mine = level == index
            length = self.length_of_stay[self.continuum.levels[index]]
            if isinstance(length, StayLengths):
                support, chances = _distribution(length)
                out[mine] = rng.choice(np.array(support), mine.sum(), p=np.array(chances))
            else:
                out[mine] = (
                    rng.geometric(1.0 / length, mine.sum())
                    if length >= 1
                    else rng.random(mine.sum()) < length
                )
        return out

    @classmethod
    def fit(
        cls,
        history: Census | Iterable[Episode],
        *,
        start: date | str | None = None,
        end: date | str | None = None,
    ) -> FlowModel:
        """The model a census (or episodes) suggests: each level's admissions per day, its mean
        length of stay, and the share of its stays that ended in each move and in discharge.

        The mean length of stay is the days clients spent at the level within the census over
        the stays there that ended within it: the estimate of a length whose chance of ending
        is the same each day, which stays still going at the end (censored) and stays begun
        before the start inform without bias. Levels no one was in are left out.

        Args:
            history: A `Census`, or episodes of one continuum.
            start: With episodes: the first day (by default the earliest admission).
            end: With episodes: the last day (by default the latest day a stay began or ended).

        Raises:
            InvalidValueError: a level clients were in with no stay ending there (its length
                cannot be estimated), or `start`/`end` given with a `Census`.

        >>> import pendulum, carecontinuum as cc
        >>> e = cc.Episode.admit("c-1", "PHP", pendulum.date(2026, 3, 2),
        ...                      continuum=cc.catalogs.GENERIC)
        >>> e = e.step_to("IOP", pendulum.date(2026, 3, 9)).discharge(pendulum.date(2026, 3, 30),
        ...                                                           "completed")
        >>> model = cc.FlowModel.fit([e])
        >>> model.length_of_stay["PHP"], model.length_of_stay["IOP"]
        (7.0, 21.0)
        """
        if isinstance(history, Census):
            if start is not None or end is not None:
                raise InvalidValueError(
                    "start" if start is not None else "end", start if start is not None else end,
                    "None with a Census (it has its days)",
                )  # fmt: skip
            seen = history
        else:
            seen = _census_of(history, start, end)
        levels = seen.levels
        admitted, discharged, moves = seen._flows()
        days = len(seen._counts)
        exposure = [sum(row[i] for row in seen._counts) for i in range(len(levels))]
        ended = list(discharged)
        for (origin, _), count in moves.items():
            ended[origin] += count
        lengths: dict[LevelOfCare, float] = {}
        routes: dict[LevelOfCare, dict[LevelOfCare | None, float]] = {}
        for i, level in enumerate(levels):
            if not ended[i]:
                if exposure[i]:
                    raise InvalidValueError(
                        "history", seen, f"a stay ending at {level.code} within the census (its "
                        "clients never left, so their length of stay cannot be estimated)",
                    )  # fmt: skip
                continue
            lengths[level] = exposure[i] / ended[i]
            route: dict[LevelOfCare | None, float] = {}
            for (origin, target), count in sorted(moves.items()):
                if origin == i:
                    route[levels[target]] = count / ended[i]
            if discharged[i]:
                route[None] = discharged[i] / ended[i]
            routes[level] = route
        rates = {level: admitted[i] / days for i, level in enumerate(levels) if admitted[i]}
        return cls(seen.continuum, admissions=rates, length_of_stay=lengths, moves=routes)


_DISCHARGE_ALL: FrozenMap[LevelOfCare | None, float] = FrozenMap([(None, 1.0)])


def _census_of(
    episodes: Iterable[Episode], start: date | str | None, end: date | str | None
) -> Census:
    items = tuple_of("history", episodes, Episode, "an Episode")
    if not items:
        raise InvalidValueError("history", items, "at least one episode")
    first = min(e.admitted_on for e in items) if start is None else start
    if end is None:
        end = max(max(s.start if s.end is None else s.end for s in e.stays) for e in items)
    return census(items, first, end)


def _arrivals(
    continuum: Continuum,
    rates: Mapping[LevelOfCare, float],
    lengths: Mapping[LevelOfCare, Length],
    routes: Mapping[LevelOfCare, Mapping[LevelOfCare | None, float]],
) -> tuple[float, ...]:
    """Each level's arrivals per day, solving the flow equations; checks that every level
    clients reach has a length of stay and a way on to discharge."""
    levels = continuum.levels
    where = {level: i for i, level in enumerate(levels)}
    size = len(levels)
    chance = [[0.0] * size for _ in range(size)]
    leaves = [1.0] * size  # the chance a stay ends in discharge
    for level, route in routes.items():
        leaves[where[level]] = route.get(None, 0.0)
        for target, p in route.items():
            if target is not None:
                chance[where[level]][where[target]] = p
    reached = {where[level] for level, rate in rates.items() if rate > 0}
    todo = list(reached)
    while todo:
        i = todo.pop()
        for j in range(size):
            if chance[i][j] > 0 and j not in reached:
                reached.add(j)
                todo.append(j)
    missing = [levels[i].code for i in sorted(reached) if levels[i] not in lengths]
    if missing:
        raise InvalidValueError(
            "length_of_stay", dict(lengths), f"a length for every level clients reach (missing: "
            f"{', '.join(missing)})",
        )  # fmt: skip
    leaving = {i for i in reached if leaves[i] > 0}
    grown = True
    while grown:
        grown = False
        for i in reached - leaving:
            if any(chance[i][j] > 0 for j in leaving):
                leaving.add(i)
                grown = True
    stuck = [levels[i].code for i in sorted(reached - leaving)]
    if stuck:
        raise InvalidValueError(
            "moves", dict(routes), f"a way on to discharge from every level clients reach "
            f"(none from {', '.join(stuck)})",
        )  # fmt: skip
    # lambda (I - P) = a over the reached levels: Gauss-Jordan with partial pivoting (a few
    # levels; the system is nonsingular once every level can reach discharge).
    order = sorted(reached)
    n = len(order)
    matrix = [
        [(1.0 if r == c else 0.0) - chance[order[c]][order[r]] for c in range(n)]
        + [rates.get(levels[order[r]], 0.0)]
        for r in range(n)
    ]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(matrix[r][col]))
        matrix[col], matrix[pivot] = matrix[pivot], matrix[col]
        head = matrix[col][col]
        matrix[col] = [x / head for x in matrix[col]]
        for r in range(n):
            if r != col and matrix[r][col]:
                factor = matrix[r][col]
                matrix[r] = [x - factor * y for x, y in zip(matrix[r], matrix[col], strict=True)]
    solved = [0.0] * size
    for r, i in enumerate(order):
        solved[i] = max(matrix[r][n], 0.0)
        if not solved[i] < _MOST_ARRIVALS:  # NaN too: chances of leaving too small to hold
            raise InvalidValueError(
                "moves", dict(routes), f"chances of discharge that keep arrivals at "
                f"{levels[i].code} under {_MOST_ARRIVALS:,.0f} a day",
            )  # fmt: skip
    return tuple(solved)


def _distribution(length: StayLengths) -> tuple[list[int], list[float]]:
    """The lengths a `StayLengths` gives and their chances: the drop of the Kaplan-Meier curve
    at each length stays ended, and what is left at the longest length seen."""
    support: list[int] = []
    chances: list[float] = []
    before = 1.0
    for time, left in zip(length._times, length._survival, strict=True):
        support.append(time)
        chances.append(before - left)
        before = left
    if before > 0:
        if support and support[-1] == length.horizon:
            chances[-1] += before
        else:
            support.append(length.horizon)
            chances.append(before)
    total = sum(chances)
    return support, [c / total for c in chances]


def _numpy() -> Any:
    try:
        import numpy  # noqa: PLC0415 (the flow extra: only a simulation loads it)
    except ImportError as error:  # pragma: no cover - the test environment has numpy
        from ._dicts import MissingExtraError  # noqa: PLC0415

        raise MissingExtraError("numpy", "flow", "FlowModel.simulate()") from error
    return numpy
