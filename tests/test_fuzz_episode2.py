"""Episodes, fuzzed (issue 13): a history the constructor accepts is exactly one the operations
can make, in some order of each day's events; every operation's result equals the same history
rebuilt by the constructor and read back from plain data; the runs of days on which the
authorized level differs from the level delivered agree with a day-by-day count, at both ends
of the calendar; long sequences of operations take time in proportion to their length.

The oracle for "the operations can make it" replays a history through the operations, trying
every order of the events of one day (a service added before or after a step, ended before or
after the next one at its level), so it knows nothing of how the constructor checks.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carecontinuum as cc
import carecontinuum.strategies as ccst
from carecontinuum import catalogs
from fuzzing import SLOW_OK, check_error, cpu_time, time_limit

fuzz_settings = settings(suppress_health_check=SLOW_OK, deadline=None)

CONTINUA = (catalogs.ASAM3, catalogs.GENERIC)
FIRST, LAST = date.min.toordinal(), date.max.toordinal()
#: Where a history starts: the first day of the calendar, an ordinary day, and late enough
#: that its events (and its authorizations) reach 9999-12-31.
ANCHORS = st.sampled_from([FIRST, date(2026, 3, 2).toordinal(), LAST - 12])
RATINGS = {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1}
GAPS = st.sampled_from([0, 1, 0, 2, 3])  # days between events: often none (ties)


def day(ordinal: int) -> pendulum.Date:
    """The day of `ordinal`, held within the calendar."""
    return pendulum.Date.fromordinal(min(max(ordinal, FIRST), LAST))


def assessed(ordinal: int) -> cc.Assessment:
    return cc.Assessment("ASAM3", RATINGS, day(ordinal))


_PROGRAMS: dict[tuple[cc.LevelOfCare, int], cc.ProgramStructure] = {}


def program(level: cc.LevelOfCare, variant: int) -> cc.ProgramStructure:
    """One of two weekly programs at `level` (two, so a lateral move has somewhere to go)."""
    key = (level, variant)
    if key not in _PROGRAMS:
        _PROGRAMS[key] = cc.ProgramStructure.weekly(
            level, days=["mon", "wed"], hours_per_session=2 + variant, weeks=8
        )
    return _PROGRAMS[key]


# ---- histories, as a clinic's database might hold them --------------------------------------

History = tuple[
    cc.Continuum,
    tuple[cc.Stay, ...],
    tuple[cc.Stay, ...],
    tuple[cc.Authorization, ...],
    cc.Discharge | None,
]


@st.composite
def histories(draw: st.DrawFn) -> History:
    """Histories near the ones the operations make: days often tied, now and then a level
    repeated, a service on the main pathway, listed out of order or still running at
    discharge, an authorization before, after or overlapping; some near 0001-01-01 or
    9999-12-31."""
    continuum = draw(st.sampled_from((catalogs.ASAM3, *CONTINUA)))
    levels = continuum.levels
    beside = [lvl for lvl in levels if lvl.concurrent or lvl.pathway != "main"] or levels
    at = draw(ANCHORS)
    main: list[tuple[cc.LevelOfCare, int, cc.ProgramStructure | None, Any, Any]] = []
    for k in range(draw(st.integers(1, 4))):
        if k:
            at += draw(GAPS)
        repeat = bool(main) and draw(st.integers(0, 4)) == 0  # IOP after IOP, or lateral
        level = main[-1][0] if repeat else draw(st.sampled_from(levels))
        chosen = draw(st.sampled_from([None, None, 0, 1]))
        main.append(
            (
                level,
                at,
                None if chosen is None else program(level, chosen),
                draw(st.sampled_from([None, "stable"])),
                assessed(at - draw(GAPS)) if draw(st.integers(0, 3)) == 0 else None,
            )
        )
    discharged = draw(st.booleans())
    final = at + draw(GAPS) if discharged else None
    if discharged and draw(st.integers(0, 9)) == 0:
        final = None  # the last stay ends, but no discharge says so
    ends = [start for _, start, *_ in main[1:]] + [final]
    if len(main) > 1 and draw(st.integers(0, 9)) == 0:
        ends[0] = ends[0] + 1  # a gap between the first two stays
    stays = tuple(
        cc.Stay(level, day(start), None if end is None else day(max(end, start)), reason, a, p)
        for (level, start, p, reason, a), end in zip(main, ends, strict=True)
    )
    discharge = None
    if discharged:
        on = stays[-1].end or day(at)
        if draw(st.integers(0, 9)) == 0:
            on = day(on.toordinal() + 1)  # a discharge on another day than the last stay's end
        discharge = cc.Discharge(on, draw(st.sampled_from(cc.DischargeReason)))
    first, span = stays[0].start.toordinal(), at - stays[0].start.toordinal() + 3
    services = []
    for _ in range(draw(st.integers(0, 3))):
        start = first + draw(st.integers(-1, span))
        end = None if draw(st.integers(0, 2)) == 0 else start + draw(GAPS)
        odd = draw(st.integers(0, 39))
        services.append(
            cc.Stay(
                draw(st.sampled_from(levels if odd < 10 else beside)),
                day(start),
                None if end is None else day(end),
                draw(st.sampled_from([None, "methadone"])),
                assessed(start) if odd == 0 else None,
            )
        )
    if draw(st.integers(0, 4)) != 0:
        services.sort(key=lambda s: s.start)  # usually listed in the order they began
    grants = []
    for _ in range(draw(st.integers(0, 2))):
        start = first + draw(st.integers(-4, span + 3))
        grants.append(
            cc.Authorization(
                draw(st.sampled_from(levels)),
                day(start),
                day(start + draw(st.integers(0, 5))),
                payer=draw(st.sampled_from([None, "Medicaid"])),
            )
        )
    return continuum, stays, tuple(services), tuple(grants), discharge


def build(history: History, client: str = "c") -> cc.Episode:
    continuum, stays, services, grants, discharge = history
    return cc.Episode(
        client, continuum, stays, concurrent=services, authorizations=grants, discharge=discharge
    )


def replay(history: History) -> cc.Episode | None:
    """The episode the operations make of `history`, trying every order of each day's events;
    None when no order makes it."""
    continuum, stays, services, grants, discharge = history
    first = stays[0]
    try:
        episode = cc.Episode.admit(
            "c",
            first.level,
            first.start,
            continuum=continuum,
            reason=first.reason,
            assessment=first.assessment,
            program=first.program,
        )
        for g in grants:  # authorize() depends on no day: all of them first
            episode = episode.authorize(g.level, g.start, g.end, payer=g.payer)
    except cc.CareContinuumError:
        return None
    if len(episode.authorizations) != len(grants):
        # authorize() with a level and start already authorized amends that authorization:
        # two such grants are a history no order of the operations makes.
        return None
    failed: set[tuple[int, int, frozenset[int]]] = set()

    def attempts(
        episode: cc.Episode, k: int, i: int, ended: frozenset[int]
    ) -> Iterator[tuple[Any, int, int, frozenset[int]]]:
        """Each next event of the earliest day still to come, as a call and the state after."""
        days = [stays[k].start] if k < len(stays) else []
        days += [services[i].start] if i < len(services) else []
        endings = [j for j in range(i) if j not in ended and services[j].end is not None]
        days += [services[j].end for j in endings]
        if not days:
            return
        today = min(days)
        if k < len(stays) and stays[k].start == today:
            s = stays[k]
            yield (
                lambda: episode.step_to(
                    s.level, s.start, s.reason, assessment=s.assessment, program=s.program
                ),
                k + 1,
                i,
                ended,
            )
        if i < len(services) and services[i].start == today:
            c = services[i]
            yield lambda: episode.add_concurrent(c.level, c.start, c.reason), k, i + 1, ended
        for j in endings:
            if services[j].end == today:
                level = services[j].level
                yield (
                    lambda level=level: episode.end_concurrent(level, today),
                    k,
                    i,
                    ended | {j},
                )

    def search(episode: cc.Episode, k: int, i: int, ended: frozenset[int]) -> cc.Episode | None:
        if (k, i, ended) in failed:
            return None
        moved = False
        for attempt, *state in attempts(episode, k, i, ended):
            moved = True
            try:
                following = attempt()
            except cc.CareContinuumError:
                continue
            done = search(following, *state)
            if done is not None:
                return done
        if not moved:  # every event made: the discharge, and the history must be this one
            if discharge is not None:
                try:
                    episode = episode.discharge(discharge.on, discharge.reason)
                except cc.CareContinuumError:
                    return None
            if (episode.stays, episode.concurrent, episode.discharge_record) == (
                stays,
                services,
                discharge,
            ):
                return episode
        failed.add((k, i, ended))
        return None

    return search(episode, 1, 0, frozenset())


def same_inside(a: cc.Episode, b: cc.Episode) -> None:
    """Equal, and equal in what the operations consult (which equality leaves out)."""
    assert a == b and hash(a) == hash(b)
    assert a._last_event == b._last_event
    assert a._running == b._running
    assert a._by_start == b._by_start


def round_trips(episode: cc.Episode) -> None:
    rebuilt = build(
        (
            episode.continuum,
            episode.stays,
            episode.concurrent,
            episode.authorizations,
            episode.discharge_record,
        ),
        episode.client_id,
    )
    same_inside(rebuilt, episode)
    same_inside(cc.from_dict(cc.Episode, cc.to_dict(episode)), episode)


@fuzz_settings
@given(histories())
def test_the_constructor_accepts_exactly_the_histories_the_operations_make(
    history: History,
) -> None:
    """ "One set of checks for both paths": the constructor accepts a history if and only if
    some order of its events, made by the operations, makes it; then the two are equal."""
    try:
        built: cc.Episode | None = build(history)
    except cc.CareContinuumError as error:
        check_error(error, "Episode(...)")
        built = None
    made = replay(history)
    assert (built is None) == (made is None), (
        f"the constructor {'accepted' if built else 'refused'} a history the operations "
        f"{'cannot make' if made is None else 'make'}: {history!r}"
    )
    if built is not None and made is not None:
        same_inside(built, made)
        round_trips(built)


# ---- operations, one after another ----------------------------------------------------------

OPS = ("step_to", "step_to", "add_concurrent", "end_concurrent", "authorize", "discharge")


@fuzz_settings
@given(st.data())
def test_every_operation_s_result_is_the_history_the_constructor_rebuilds(
    data: st.DataObject,
) -> None:
    """After each operation (days often tied, near either end of the calendar), the episode
    equals its history rebuilt by the constructor and read back from plain data, down to what
    the operations consult; a refusal is a library error naming what was wrong."""
    continuum = data.draw(st.sampled_from(CONTINUA))
    at = data.draw(ANCHORS)
    levels = continuum.levels
    episode = cc.Episode.admit(
        "c", data.draw(st.sampled_from(levels)), day(at), continuum=continuum
    )
    for _ in range(data.draw(st.integers(1, 12))):
        name = data.draw(st.sampled_from(OPS))
        at += data.draw(GAPS)
        level = data.draw(st.sampled_from(levels))
        try:
            if name == "step_to":
                chosen = data.draw(st.sampled_from([None, None, 0, 1]))
                episode = episode.step_to(
                    level,
                    day(at),
                    program=None if chosen is None else program(level, chosen),
                    assessment=assessed(at) if data.draw(st.booleans()) else None,
                )
            elif name == "add_concurrent":
                episode = episode.add_concurrent(level, day(at))
            elif name == "end_concurrent":
                running = [s.level for s in episode.concurrent if s.end is None]
                if running and data.draw(st.booleans()):
                    level = data.draw(st.sampled_from(running))
                episode = episode.end_concurrent(level, day(at))
            elif name == "authorize":
                start = at + data.draw(st.integers(-6, 6))
                episode = episode.authorize(level, day(start), day(start + data.draw(GAPS)))
            else:
                episode = episode.discharge(day(at), cc.DischargeReason.COMPLETED)
        except cc.CareContinuumError as error:
            check_error(error, name)
            continue
        round_trips(episode)
    check_readers(episode, data)


# ---- readers against day-by-day counts ------------------------------------------------------


def level_on_by_scan(episode: cc.Episode, on: date) -> cc.LevelOfCare | None:
    return next(
        (s.level for s in episode.stays if s.start <= on and (s.end is None or on < s.end)),
        None,
    )


def lane_of(level: cc.LevelOfCare) -> tuple[str, object]:
    """What authorizations may not overlap within, as `Episode.authorize` documents it: a
    pathway, or a concurrent level itself."""
    return ("level", level) if level.concurrent else ("pathway", level.pathway)


def authorized_on_by_scan(episode: cc.Episode, on: date) -> cc.Authorization | None:
    """`Episode.authorized_on` as documented, by scanning: of the authorizations covering the
    day (first begun first), the one of the lane of the level delivered that day, else the
    first begun."""
    covering = sorted(
        (a for a in episode.authorizations if a.start <= on <= a.end), key=lambda a: a.start
    )
    delivered = level_on_by_scan(episode, on)
    if len(covering) > 1 and delivered is not None:
        lane = lane_of(delivered)
        return next((a for a in covering if lane_of(a.level) == lane), covering[0])
    return covering[0] if covering else None


def differs_by_day(episode: cc.Episode, through: date | None) -> list[tuple[int, int]]:
    """The runs of `days_authorization_differs`, counted a day at a time (ordinals, the last
    exclusive)."""
    admitted = episode.admitted_on.toordinal()
    if through is not None:
        stop = through.toordinal() + 1
    elif episode.discharge_record is not None:
        stop = episode.discharge_record.on.toordinal()
    else:
        stop = max([admitted, *(a.end.toordinal() for a in episode.authorizations)]) + 1
    runs: list[tuple[int, int]] = []
    for ordinal in range(admitted, stop):
        on = pendulum.Date.fromordinal(ordinal)
        delivered = level_on_by_scan(episode, on)
        grant = authorized_on_by_scan(episode, on)
        if delivered is not None and (grant is None or grant.level != delivered):
            if runs and runs[-1][1] == ordinal:
                runs[-1] = (runs[-1][0], ordinal + 1)
            else:
                runs.append((ordinal, ordinal + 1))
    return runs


def check_readers(episode: cc.Episode, data: st.DataObject) -> None:
    first = episode.admitted_on.toordinal()
    for offset in range(-1, 20):
        on = day(first + offset)
        assert episode.level_on(on) == level_on_by_scan(episode, on)
        assert episode.authorized_on(on) == authorized_on_by_scan(episode, on)
    choices = [None, day(first + data.draw(st.integers(-2, 25)))]
    if LAST - first < 60:
        choices.append(date.max)  # near the calendar's end: through its last day
    for through in choices:
        runs = episode.days_authorization_differs(through)
        expected = differs_by_day(episode, through)
        assert [(r.minimum.toordinal(), r.maximum.toordinal() + 1) for r in runs] == expected


@fuzz_settings
@given(histories(), st.data())
def test_readers_agree_with_day_by_day_counts_on_stored_histories(
    history: History, data: st.DataObject
) -> None:
    """On any history the constructor accepts, `level_on`, `authorized_on` and the runs of
    `days_authorization_differs` are what a walk over the days finds."""
    try:
        episode = build(history)
    except cc.CareContinuumError:
        return
    check_readers(episode, data)


def test_readers_on_shipped_episodes() -> None:
    """The shipped strategy's episodes (years long) read the same as day-by-day counts."""

    @fuzz_settings
    @given(ccst.episodes(), st.data())
    def check(episode: cc.Episode, data: st.DataObject) -> None:
        round_trips(episode)
        check_readers(episode, data)

    check()


# ---- long sequences --------------------------------------------------------------------------


@fuzz_settings
@given(st.integers(50, 300), st.randoms(use_true_random=False))
def test_long_sequences_of_operations_stay_whole_and_quick(length: int, rng: Any) -> None:
    """Hundreds of steps, services and authorizations on tied and following days, then a
    discharge: never near the hang limit (each operation costs what it adds), and what the
    operations carried from one episode to the next is what the constructor derives from the
    whole history."""
    episode = cc.Episode.admit("c", "3.5", pendulum.date(2026, 1, 5), continuum=catalogs.ASAM3)
    on = begins = authorized = episode.admitted_on
    main = ["3.5", "3.7", "2.1", "2.5"]
    with time_limit():
        for n in range(length):
            on = on.add(days=rng.choice([0, 0, 1, 2]))
            move = rng.randrange(4)
            running = any(s.end is None for s in episode.concurrent[-1:])
            if move == 0:
                level = main[n % len(main)]
                current = episode.current_level.code  # type: ignore[union-attr]
                episode = episode.step_to(level if level != current else "1", on)
            elif move == 1 and not running:
                episode = episode.add_concurrent(rng.choice(["OTP", "3.2-WM"]), on)
            elif move == 2 and running:
                episode = episode.end_concurrent(episode.concurrent[-1].level, on)
            else:
                begins = max(on, authorized.add(days=1))
                authorized = begins.add(days=rng.choice([0, 1, 6]))
                episode = episode.authorize("2.1", begins, authorized)
        round_trips(episode)
        episode = episode.discharge(max(on, begins), cc.DischargeReason.COMPLETED)
    round_trips(episode)


@pytest.mark.parametrize(
    ("through", "runs"),
    [
        (date.max, ((date(2026, 3, 16), date.max),)),  # was OverflowError
        (date(9999, 12, 30), ((date(2026, 3, 16), date(9999, 12, 30)),)),  # was a hang
        (date(2026, 3, 1), ()),
    ],
)
def test_any_through_is_answered_at_once(through: date, runs: tuple[Any, ...]) -> None:
    """Moved from test_fuzz (where these were refused): through the calendar's last days,
    the answer is a run, at once."""
    episode = (
        cc.Episode.admit("c", "PHP", pendulum.date(2026, 3, 2), continuum=catalogs.GENERIC)
        .authorize("PHP", pendulum.date(2026, 3, 2), pendulum.date(2026, 3, 15))
        .step_to("IOP", pendulum.date(2026, 3, 16))
    )
    with cpu_time() as spent:
        found = episode.days_authorization_differs(through)
    assert spent.seconds < 1
    assert [(r.minimum, r.maximum) for r in found] == list(runs)


def test_the_oracle_is_not_trivial() -> None:
    """The replay finds same-day orders the constructor must allow, and refuses what no
    order makes."""
    asam = catalogs.ASAM3
    d = pendulum.date
    stays = (
        cc.Stay(asam["3.7-WM"], d(2026, 1, 5), d(2026, 1, 9)),
        cc.Stay(asam["3.5"], d(2026, 1, 9)),
    )
    after = (cc.Stay(asam["3.2-WM"], d(2026, 1, 9)),)
    assert replay((asam, stays, after, (), None)) is not None
    both = tuple(itertools.repeat(cc.Stay(asam["3.2-WM"], d(2026, 1, 9), d(2026, 1, 9)), 2))
    assert replay((asam, stays, both, (), None)) is not None
    before = (cc.Stay(asam["3.2-WM"], d(2026, 1, 8)),)
    assert replay((asam, stays, before, (), None)) is None


def test_two_lanes_authorized_on_one_day_found_by_the_long_run() -> None:
    """Found by the 100,000-example run: a main-pathway authorization and a withdrawal
    management one cover the admission day of a withdrawal management stay. The day's
    authorization is the one of the stay's lane (not the first listed), the day is
    authorized, and the oracle says the same."""
    asam = catalogs.ASAM3
    day = pendulum.date(1, 1, 1)
    episode = (
        cc.Episode.admit("c", "1-WM", day, continuum=asam)
        .authorize("0.5", day, day)
        .authorize("1-WM", day, day)
    )
    grant = episode.authorized_on(day)
    assert grant is not None and grant.level == asam["1-WM"]
    assert authorized_on_by_scan(episode, day) == grant
    assert episode.days_authorization_differs(through=day) == ()
    assert differs_by_day(episode, day) == []
    assert episode.authorized_on(day, "0.5") == episode.authorizations[0]


def test_a_second_grant_of_one_level_and_start_amends_found_by_the_long_run() -> None:
    """Found by the 100,000-example run: two authorizations of one level from one day are a
    history the operations do not make (the second amends the first), and the constructor
    refuses it."""
    asam = catalogs.ASAM3
    day = pendulum.date(1, 1, 1)
    grant = cc.Authorization(asam["0.5"], day, day)
    history = (asam, (cc.Stay(asam["0.5"], day),), (), (grant, grant), None)
    assert replay(history) is None
    with pytest.raises(cc.CareContinuumError):
        build(history)
    once = cc.Episode.admit("c", "0.5", day, continuum=asam).authorize("0.5", day, day)
    assert once.authorize("0.5", day, day).authorizations == once.authorizations
