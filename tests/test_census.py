"""The census of a continuum: counts by day and level against a brute-force count, the flows
that balance them, the Kaplan-Meier lengths of stay against lifelines and against Efron's
redistribution, the table builders and the errors."""

from __future__ import annotations

import math
import pickle
import sys
from datetime import date, timedelta
from fractions import Fraction

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from lifelines.utils import restricted_mean_survival_time

import carecontinuum as cc
from carecontinuum import strategies as ccst
from carecontinuum._columns import table_builder
from carecontinuum.catalogs import ASAM3, GENERIC

D = pendulum.date


def pathway() -> list[cc.Episode]:
    """Three clients: a step-down on one day, a same-day admission and move, and a discharge."""
    a = (
        cc.Episode.admit("a", "PHP", D(2026, 3, 2), continuum=GENERIC)
        .step_to("IOP", D(2026, 3, 5))
        .discharge(D(2026, 3, 9), "completed")
    )
    b = cc.Episode.admit("b", "RESIDENTIAL", D(2026, 3, 4), continuum=GENERIC).step_to(
        "PHP", D(2026, 3, 4)
    )
    c = cc.Episode.admit("c", "IOP", D(2026, 2, 20), continuum=GENERIC)
    return [a, b, c]


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[cc.Episode], date, date]:
    """Episodes of one continuum and a window that may cut through them."""
    continuum = draw(ccst.continua())
    episodes = draw(st.lists(ccst.episodes(continuum), max_size=6))
    start = draw(st.dates(date(2023, 12, 1), date(2031, 2, 1)))
    end = start + timedelta(days=draw(st.integers(0, 120)))
    return episodes, start, end


def window(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


class TestCounts:
    @given(histories())
    def test_census_equals_a_brute_force_count(
        self, history: tuple[list[cc.Episode], date, date]
    ) -> None:
        """Each day's count at each level is the number of episodes whose `level_on` that day is
        the level; services alongside count where a service covers the day."""
        episodes, start, end = history
        continuum = episodes[0].continuum if episodes else GENERIC
        census = cc.census(episodes, start, end, continuum=continuum)
        assert census.days == tuple(window(start, end))
        for day in window(start, end):
            counted = census.on(day)
            for level in continuum.levels:
                main = sum(1 for e in episodes if e.level_on(day) == level)
                alongside = sum(
                    1
                    for e in episodes
                    for s in e.concurrent
                    if s.level == level and s.start <= day and (s.end is None or day < s.end)
                )
                assert counted[level] == main
                assert counted.concurrent[level] == alongside
                assert counted.clients(level) == {
                    e.client_id for e in episodes if e.level_on(day) == level
                }

    @given(histories())
    def test_flows_match_the_episodes_events(
        self, history: tuple[list[cc.Episode], date, date]
    ) -> None:
        """A day's admissions, discharges and moves are the episodes' admissions, discharges
        and transitions on that day."""
        episodes, start, end = history
        continuum = episodes[0].continuum if episodes else GENERIC
        census = cc.census(episodes, start, end, continuum=continuum)
        for day in window(start, end):
            counted = census.on(day)
            for level in continuum.levels:
                admitted = sum(1 for e in episodes
                               if e.admitted_on == day and e.stays[0].level == level)  # fmt: skip
                left = sum(1 for e in episodes
                           if e.discharged_on == day and e.stays[-1].level == level)  # fmt: skip
                assert counted.admissions[level] == admitted
                assert counted.discharges[level] == left
            moves: dict[tuple[cc.LevelOfCare, cc.LevelOfCare], int] = {}
            for e in episodes:
                for t in e.transitions:
                    if t.on == day:
                        key = (t.from_level, t.to_level)
                        moves[key] = moves.get(key, 0) + 1
            assert dict(counted.moves) == moves

    @given(histories())
    def test_each_day_is_the_day_before_plus_its_flows(
        self, history: tuple[list[cc.Episode], date, date]
    ) -> None:
        """Census(day) = census(day before) + admissions + moves in - moves out - discharges,
        level by level: the count and the flows tell one story."""
        episodes, start, end = history
        continuum = episodes[0].continuum if episodes else GENERIC
        census = cc.census(episodes, start - timedelta(days=1), end, continuum=continuum)
        for before, day in zip(census.days, census.days[1:], strict=False):
            was, now = census.on(before), census.on(day)
            for level in continuum.levels:
                moved_in = sum(n for (_, to), n in now.moves.items() if to == level)
                moved_out = sum(n for (src, _), n in now.moves.items() if src == level)
                expected = was[level] + now.admissions[level] + moved_in - moved_out
                assert now[level] == expected - now.discharges[level]

    def test_the_day_of_a_move_counts_in_the_new_level_and_the_discharge_day_nowhere(
        self,
    ) -> None:
        """Midnight census: a move on day D counts D in the new level; the discharge day is not
        counted; a stay begun and ended on one day counts on no day."""
        census = cc.census(pathway(), "2026-03-01", "2026-03-10")
        assert census.series("PHP") == (0, 1, 1, 2, 1, 1, 1, 1, 1, 1)
        assert census.series("IOP") == (1, 1, 1, 1, 2, 2, 2, 2, 1, 1)
        assert census.series("RESIDENTIAL") == (0,) * 10
        day = census.on("2026-03-04")
        assert day.admissions["RESIDENTIAL"] == 1
        assert day.moves[GENERIC["RESIDENTIAL"], GENERIC["PHP"]] == 1
        assert census.on("2026-03-09").discharges["IOP"] == 1
        assert census.on("2026-03-09").clients("IOP") == {"c"}

    def test_services_alongside_are_counted_apart(self) -> None:
        """Opioid treatment beside 2.1 counts in `concurrent`, not in the main census."""
        e = cc.Episode.admit("c-1", "2.1", D(2026, 3, 2), continuum=ASAM3).add_concurrent(
            "OTP", D(2026, 3, 3)
        )
        census = cc.census([e], "2026-03-01", "2026-03-04")
        assert census.series("OTP") == (0, 0, 0, 0)
        assert census.series("OTP", concurrent=True) == (0, 0, 1, 1)
        assert census.on("2026-03-04").clients("OTP", concurrent=True) == {"c-1"}
        assert census.on("2026-03-04").total == 1

    def test_a_level_is_read_by_level_or_code(self) -> None:
        """`on(day)` is a mapping over every level, looked up by level or by code."""
        day = cc.census(pathway(), "2026-03-01", "2026-03-10").on(D(2026, 3, 6))
        assert set(day) == set(GENERIC.levels)
        assert day["IOP"] == day[GENERIC["IOP"]] == 2
        assert "IOP" in day and "NOPE" not in day and day.get("NOPE", -1) == -1


class TestCapacity:
    @given(st.lists(st.integers(0, 30), min_size=1, max_size=60), st.floats(0.01, 1.0))
    def test_capacity_is_the_fewest_places_that_hold_everyone_on_the_share_of_days(
        self, counts: list[int], share: float
    ) -> None:
        """capacity(level, share) is the least n with at least `share` of days at n or fewer."""
        start = D(2026, 1, 1)
        episodes = []
        for day, count in enumerate(counts):
            on = start.add(days=day)
            for k in range(count):
                e = cc.Episode.admit(f"{day}-{k}", "IOP", on, continuum=GENERIC)
                episodes.append(e.discharge(on.add(days=1), "completed"))
        census = cc.census(episodes, start, start.add(days=len(counts) - 1), continuum=GENERIC)
        places = census.capacity("IOP", share)
        held = sum(1 for n in counts if n <= places) / len(counts)
        assert held >= share
        assert all(sum(1 for n in counts if n <= fewer) / len(counts) < share
                   for fewer in range(places))  # fmt: skip


def efron(lengths: list[int], ended: list[bool]) -> dict[int, Fraction]:
    """Survival by Efron's redistribution to the right: every stay starts with an equal
    weight; a censored stay hands its weight in equal parts to the stays longer than it (ties
    broken ended-first); survival(t) is one less the weight of stays ended by t."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], not ended[i]))
    weight = {i: Fraction(1, len(lengths)) for i in order}
    for at, i in enumerate(order):
        if not ended[i]:
            later = order[at + 1 :]
            for j in later:
                weight[j] += weight[i] / len(later)
            weight[i] = Fraction(0)
    return {
        t: 1 - sum((weight[i] for i in order if ended[i] and lengths[i] <= t), Fraction(0))
        for t in range(max(lengths) + 2)
    }


stays = st.lists(st.tuples(st.integers(0, 40), st.booleans()), min_size=1, max_size=40).map(sorted)


class TestStayLengths:
    @given(stays)
    def test_kaplan_meier_agrees_with_lifelines(self, seen: list[tuple[int, bool]]) -> None:
        """Survival at each day, the median and the restricted mean equal lifelines'."""
        lengths = StayLengthsOf(seen)
        fitter = KaplanMeierFitter().fit([n for n, _ in seen], [e for _, e in seen])
        days = list(range(max(n for n, _ in seen) + 2))
        theirs = fitter.survival_function_at_times(days).tolist()
        for day, expected in zip(days, theirs, strict=True):
            assert lengths.survival(day) == pytest.approx(expected, abs=1e-12)
        median = fitter.median_survival_time_
        if all(abs(v - 0.5) > 1e-9 for v in theirs):  # at exactly 0.5, lifelines' float noise
            assert lengths.median == (None if math.isinf(median) else median)
        horizon = lengths.horizon
        if horizon:
            expected_mean = restricted_mean_survival_time(fitter, t=horizon)
            assert lengths.mean() == pytest.approx(expected_mean, abs=1e-9)

    @given(stays)
    def test_kaplan_meier_equals_efrons_redistribution(self, seen: list[tuple[int, bool]]) -> None:
        """The estimate equals redistribution to the right, done in exact fractions."""
        lengths = StayLengthsOf(seen)
        exact = efron([n for n, _ in seen], [e for _, e in seen])
        for day, survival in exact.items():
            assert lengths.survival(day) == pytest.approx(float(survival), abs=1e-12)
        below = [day for day, survival in exact.items() if survival <= Fraction(1, 2)]
        assert lengths.median == (below[0] if below else None)

    @given(st.lists(st.integers(0, 40), min_size=1, max_size=40))
    def test_without_censoring_it_is_the_share_of_longer_stays(self, seen: list[int]) -> None:
        """All stays ended: survival(t) is the share longer than t; the mean is the plain
        mean; the quantile is the nearest-rank one."""
        lengths = cc.StayLengths(GENERIC["IOP"], tuple(sorted(seen)), (True,) * len(seen))
        for day in range(max(seen) + 2):
            assert lengths.survival(day) == pytest.approx(
                sum(1 for n in seen if n > day) / len(seen)
            )
        assert lengths.mean() == pytest.approx(sum(seen) / len(seen))
        ranked = sorted(seen)
        assert lengths.median == ranked[math.ceil(len(seen) / 2) - 1]

    def test_census_lengths_censor_stays_going_at_the_end(self) -> None:
        """Stays begun in the window are counted, ended ones by length, open ones censored at
        their days through `end`; stays begun before the window are left out."""
        census = cc.census(pathway(), "2026-03-01", "2026-03-10")
        php = census.lengths_of_stay("PHP")
        assert (php.lengths, php.ended) == ((3, 7), (True, False))
        assert census.lengths_of_stay("IOP").lengths == (4,)  # c's began before the window
        assert census.lengths_of_stay("RESIDENTIAL").lengths == (0,)
        assert php.survival(3) == 0.5 and php.median == 3 and php.quantile(0.75) is None

    def test_bad_lengths_are_refused_naming_the_field(self) -> None:
        """Lengths must be whole days >= 0, ascending, one flag each."""
        iop = GENERIC["IOP"]
        with pytest.raises(cc.InvalidValueError, match=r"'lengths\[0\]'"):
            cc.StayLengths(iop, (-1,), (True,))
        with pytest.raises(cc.InvalidValueError, match="'ended'"):
            cc.StayLengths(iop, (1, 2), (True,))
        with pytest.raises(cc.InvalidValueError, match="ascending"):
            cc.StayLengths(iop, (2, 1), (True, True))
        with pytest.raises(cc.InvalidValueError, match="'share'"):
            cc.StayLengths(iop, (2,), (True,)).quantile(1.5)
        with pytest.raises(cc.InvalidTypeError, match="'lengths'"):
            cc.StayLengths(iop, 3, (True,))  # type: ignore[arg-type]
        with pytest.raises(cc.InvalidTypeError, match=r"'ended\[0\]'"):
            cc.StayLengths(iop, (3,), (1,))  # type: ignore[arg-type]


def StayLengthsOf(seen: list[tuple[int, bool]]) -> cc.StayLengths:  # noqa: N802 (a value's maker)
    return cc.StayLengths(GENERIC["IOP"], tuple(n for n, _ in seen), tuple(e for _, e in seen))


class TestTables:
    def test_the_default_table_is_per_day_and_level(self) -> None:
        """One row per day and level; its clients column is the series, its flows the day's."""
        census = cc.census(pathway(), "2026-03-01", "2026-03-10")
        build = table_builder(cc.Census)
        assert build is not None
        table = build(census)
        rows = len(census.days) * len(GENERIC.levels)
        assert all(len(values) == rows for _, values in table.values())
        kinds = {name: kind for name, (kind, _) in table.items()}
        assert kinds["day"] == "date" and kinds["clients"] == "int"
        iop = [n for n, code in zip(table["clients"][1], table["level"][1], strict=True)
               if code == "IOP"]  # fmt: skip
        assert tuple(iop) == census.series("IOP")
        assert sum(table["moved_in"][1]) == sum(table["moved_out"][1]) == 2
        assert sum(table["admitted"][1]) == 2 and sum(table["discharged"][1]) == 1

    def test_the_stays_table_lists_the_stays_begun(self) -> None:
        """name="stays": one row per stay begun within the census, with its length so far."""
        census = cc.census(pathway(), "2026-03-01", "2026-03-10")
        build = table_builder(cc.Census, "stays")
        assert build is not None
        table = build(census)
        assert table["level"][1] == ["PHP", "IOP", "RESIDENTIAL", "PHP"]
        assert table["length"][1] == [3, 4, 0, 7]
        assert table["ended"][1] == [True, True, True, False]

    def test_html_names_the_levels_in_care(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The notebook table (the view without Altair; tests/test_charts.py covers the chart
        with it) lists each level anyone was in, and only those."""
        monkeypatch.setitem(sys.modules, "altair", None)
        page = cc.census(pathway(), "2026-03-01", "2026-03-10")._repr_html_()
        assert "<table" in page
        assert "IOP Intensive outpatient" in page and "PHP" in page
        assert "INPATIENT" not in page


class TestErrors:
    def test_end_before_start_names_end(self) -> None:
        with pytest.raises(cc.InvalidValueError, match="'end' must be on or after start"):
            cc.census(pathway(), "2026-03-10", "2026-03-01")

    def test_an_item_that_is_not_an_episode_is_named_by_position(self) -> None:
        with pytest.raises(cc.InvalidTypeError, match=r"'episodes\[1\]'"):
            cc.census([pathway()[0], "b"], "2026-03-01", "2026-03-10")  # type: ignore[list-item]

    def test_episodes_of_two_continua_are_refused(self) -> None:
        other = cc.Episode.admit("z", "2.1", D(2026, 3, 2), continuum=ASAM3)
        with pytest.raises(cc.InvalidValueError, match=r"'episodes\[3\]'.*GENERIC"):
            cc.census([*pathway(), other], "2026-03-01", "2026-03-10")

    def test_no_episodes_needs_a_continuum(self) -> None:
        with pytest.raises(cc.InvalidValueError, match="'continuum'"):
            cc.census([], "2026-03-01", "2026-03-10")
        assert cc.census([], "2026-03-01", "2026-03-02", continuum=GENERIC).series("IOP") == (0, 0)

    def test_a_day_outside_the_census_and_an_unknown_level_are_named(self) -> None:
        census = cc.census(pathway(), "2026-03-01", "2026-03-10")
        with pytest.raises(cc.InvalidValueError, match="'day' must be a day from 2026-03-01"):
            census.on("2026-04-01")
        with pytest.raises(cc.InvalidValueError, match="'level' must be a level of GENERIC"):
            census.series("2.1")
        with pytest.raises(cc.InvalidValueError, match="'share'"):
            census.capacity("IOP", 0)


class TestValue:
    def test_a_census_is_equal_whatever_the_order_of_its_episodes(self) -> None:
        """Equality reads the counts and the stays, not the order the episodes came in; a
        same-day lateral move (a stay ended the day it began beside an open one) compares."""
        program = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed", "fri"],
                                             hours_per_session=3, weeks=8)  # fmt: skip
        lateral = cc.Episode.admit("c-9", "IOP", D(2026, 3, 3), continuum=GENERIC).step_to(
            "IOP", D(2026, 3, 3), program=program
        )
        one = cc.census([*pathway(), lateral], "2026-03-01", "2026-03-10")
        other = cc.census([lateral, *reversed(pathway())], "2026-03-01", "2026-03-10")
        assert one == other and hash(one) == hash(other)
        assert one != cc.census(pathway(), "2026-03-01", "2026-03-10")

    def test_a_census_and_a_model_survive_pickling(self) -> None:
        """Pickled and read back, they are equal and still read levels by code."""
        census = cc.census(pathway(), "2026-03-01", "2026-03-10")
        model = cc.FlowModel.fit(census)
        again = pickle.loads(pickle.dumps((census, model)))
        assert again == (census, model)
        assert again[1].length_of_stay["IOP"] == model.length_of_stay[GENERIC["IOP"]]
        assert again[0].on("2026-03-05").admissions["PHP"] == 0
