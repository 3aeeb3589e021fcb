"""The flow model: the flow equations and Little's law, simulated runs against the steady state,
fits that recover the parameters of a simulated history, and the validation of its inputs."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum.catalogs import GENERIC

D = pendulum.date
L = GENERIC


def step_down() -> cc.FlowModel:
    """A step-down pathway: PHP to IOP to OP, some stepping back up, some leaving early."""
    return cc.FlowModel(
        GENERIC,
        admissions={"PHP": 1.5, "IOP": 0.8},
        length_of_stay={"PHP": 12, "IOP": 30, "OP": 55},
        moves={
            "PHP": {"IOP": 0.7, None: 0.3},
            "IOP": {"OP": 0.5, "PHP": 0.1, None: 0.4},
            "OP": {"IOP": 0.05, None: 0.95},
        },
    )


@st.composite
def models(draw: st.DrawFn) -> cc.FlowModel:
    """Models on GENERIC's levels: random admissions, means and moves, every level leaving to
    discharge with a chance of at least 0.05."""
    levels = list(GENERIC.levels)
    admissions = {lv: draw(st.floats(0, 5)) for lv in levels}
    lengths = {lv: draw(st.floats(1, 90)) for lv in levels}
    moves = {}
    for level in levels:
        weights = [draw(st.floats(0, 1)) for _ in levels]
        leave = draw(st.floats(0.05, 1))
        total = sum(weights) + leave
        moves[level] = {**{t: w / total for t, w in zip(levels, weights, strict=True)},
                        None: leave / total}  # fmt: skip
    return cc.FlowModel(GENERIC, admissions=admissions, length_of_stay=lengths, moves=moves)


class TestSteadyState:
    @given(models())
    def test_arrivals_solve_the_flow_equations(self, model: cc.FlowModel) -> None:
        """lambda = a + lambda P, checked against numpy's solver of the same equations."""
        levels = GENERIC.levels
        routing = np.array([[model.moves[a].get(b, 0.0) for b in levels] for a in levels])
        admitted = np.array([model.admissions.get(lv, 0.0) for lv in levels])
        expected = np.linalg.solve((np.eye(len(levels)) - routing).T, admitted)
        arrivals = model.arrivals()
        for level, rate in zip(levels, expected, strict=True):
            assert arrivals[level] == pytest.approx(rate, rel=1e-9, abs=1e-9)

    @given(models())
    def test_steady_state_obeys_littles_law_level_by_level(self, model: cc.FlowModel) -> None:
        """Little's law: census = arrivals x mean stay, for each level, within 1%."""
        arrivals = model.arrivals()
        for level, expected in model.steady_state().items():
            mean = model.length_of_stay[level]
            assert isinstance(mean, float)
            assert expected == pytest.approx(arrivals[level] * mean, rel=0.01)

    def test_a_pathway_by_hand(self) -> None:
        """Admissions 2/day to PHP, 3 in 4 step down to IOP: IOP receives 1.5/day."""
        model = cc.FlowModel(GENERIC, admissions={"PHP": 2.0}, length_of_stay={"PHP": 14,
                             "IOP": 28}, moves={"PHP": {"IOP": 0.75, None: 0.25}})  # fmt: skip
        state = model.steady_state()
        assert state[L["PHP"]] == pytest.approx(28.0) and state[L["IOP"]] == pytest.approx(42.0)
        assert state[L["OP"]] == 0.0


class TestSimulate:
    def test_mean_census_after_warm_up_is_near_the_steady_state(self) -> None:
        """Over 4,000 days after a 400-day warm-up, each level's mean census is within 5% of
        the steady state, and the run obeys Little's law from its own counts within 2%."""
        model = step_down()
        census = model.simulate(4000, seed=7, warm_up=400)
        expected = model.steady_state()
        fitted = cc.FlowModel.fit(census)
        for code in ("PHP", "IOP", "OP"):
            series = census.series(code)
            mean = sum(series) / len(series)
            assert mean == pytest.approx(expected[L[code]], rel=0.05)
            arrivals = census.stays_begun(code) / len(series)
            assert mean == pytest.approx(arrivals * fitted.length_of_stay[L[code]], rel=0.02)

    def test_the_same_seed_gives_the_same_run(self) -> None:
        """A run is a function of its seed."""
        model = step_down()
        assert model.simulate(200, seed=3) == model.simulate(200, seed=3)
        assert model.simulate(200, seed=3) != model.simulate(200, seed=4)

    def test_a_run_starts_empty_without_warm_up_and_on_its_start_day(self) -> None:
        """Without warm-up the first day holds only its own admissions; the census's days run
        from `start`."""
        census = step_down().simulate(30, seed=1, start="2026-01-05")
        assert census.days[0] == D(2026, 1, 5) and len(census.days) == 30
        first = census.on("2026-01-05")
        assert first.total == sum(first.admissions.values())

    def test_a_mean_under_a_day_is_a_level_passed_through(self) -> None:
        """A mean of 0.25 days: a quarter of stays last a day, the rest none; the census holds
        arrivals x 0.25, and every client still moves on."""
        model = cc.FlowModel(GENERIC, admissions={"RESIDENTIAL": 8.0},
                             length_of_stay={"RESIDENTIAL": 0.25, "PHP": 10},
                             moves={"RESIDENTIAL": {"PHP": 1.0}})  # fmt: skip
        census = model.simulate(2000, seed=9, warm_up=50)
        series = census.series("RESIDENTIAL")
        assert sum(series) / len(series) == pytest.approx(2.0, rel=0.05)
        assert set(census.lengths_of_stay("RESIDENTIAL").lengths) <= {0, 1}
        assert cc.FlowModel.fit(census).length_of_stay["RESIDENTIAL"] == pytest.approx(
            0.25, rel=0.05
        )

    def test_a_length_distribution_is_simulated_as_itself(self) -> None:
        """With a census's Kaplan-Meier lengths, the mean census is its arrivals times the
        distribution's (restricted) mean, within 5%."""
        lengths = cc.StayLengths(L["IOP"], (5, 10, 10, 20, 40), (True, True, True, False, True))
        model = cc.FlowModel(GENERIC, admissions={"IOP": 3.0}, length_of_stay={"IOP": lengths})
        census = model.simulate(3000, seed=11, warm_up=100)
        series = census.series("IOP")
        assert sum(series) / len(series) == pytest.approx(3.0 * lengths.mean(), rel=0.05)
        assert model.steady_state()[L["IOP"]] == pytest.approx(3.0 * lengths.mean())
        assert set(census.lengths_of_stay("IOP").lengths) <= {5, 10, 40} | set(range(0, 41))
        ended = {n for n, e in zip(*_stays(census, "IOP"), strict=True) if e}
        assert ended <= {5, 10, 40}


def _stays(census: cc.Census, code: str) -> tuple[tuple[int, ...], tuple[bool, ...]]:
    lengths = census.lengths_of_stay(code)
    return lengths.lengths, lengths.ended


class TestFit:
    def test_a_fit_of_a_simulated_history_recovers_its_parameters(self) -> None:
        """Admissions and mean stays within 5%, move probabilities within 0.03, of the model
        that made the history (4,000 days)."""
        truth = step_down()
        fitted = cc.FlowModel.fit(truth.simulate(4000, seed=5, warm_up=400))
        for level, rate in truth.admissions.items():
            assert fitted.admissions[level] == pytest.approx(rate, rel=0.05)
        for level, mean in truth.length_of_stay.items():
            assert fitted.length_of_stay[level] == pytest.approx(mean, rel=0.05)
        for level, route in truth.moves.items():
            for target, chance in route.items():
                assert fitted.moves[level].get(target, 0.0) == pytest.approx(chance, abs=0.03)

    def test_fitting_episodes_is_fitting_their_census(self) -> None:
        """fit(episodes) reads the census of the days they span."""
        a = cc.Episode.admit("a", "PHP", D(2026, 3, 2), continuum=GENERIC)
        a = a.step_to("IOP", D(2026, 3, 9)).discharge(D(2026, 3, 30), "completed")
        b = cc.Episode.admit("b", "IOP", D(2026, 3, 5), continuum=GENERIC)
        b = b.discharge(D(2026, 3, 15), "lost to contact")
        fitted = cc.FlowModel.fit([a, b])
        assert fitted == cc.FlowModel.fit(cc.census([a, b], "2026-03-02", "2026-03-30"))
        assert fitted.length_of_stay[L["IOP"]] == pytest.approx((21 + 10) / 2)
        assert dict(fitted.moves[L["PHP"]]) == {L["IOP"]: 1.0}
        assert fitted.admissions[L["PHP"]] == pytest.approx(1 / 29)

    def test_a_level_no_one_left_cannot_be_fitted(self) -> None:
        """Clients in a level with no stay ending there leave its length unknown: refused."""
        open_one = cc.Episode.admit("a", "PHP", D(2026, 3, 2), continuum=GENERIC)
        with pytest.raises(cc.InvalidValueError, match=r"'history'.*PHP"):
            cc.FlowModel.fit(cc.census([open_one], "2026-03-01", "2026-03-31"))

    def test_days_with_a_census_are_refused(self) -> None:
        census = step_down().simulate(20, seed=1)
        with pytest.raises(cc.InvalidValueError, match="'start'"):
            cc.FlowModel.fit(census, start="2026-01-01")


class TestValidation:
    def base(self, **changes: object) -> cc.FlowModel:
        args: dict[str, object] = {
            "admissions": {"PHP": 1.0},
            "length_of_stay": {"PHP": 10, "IOP": 20},
            "moves": {"PHP": {"IOP": 0.5, None: 0.5}},
        }
        args.update(changes)
        return cc.FlowModel(GENERIC, **args)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("changes", "error", "field"),
        [
            ({"admissions": {"PHP": -1.0}}, cc.InvalidValueError, "admissions['PHP']"),
            ({"admissions": {"2.1": 1.0}}, cc.InvalidValueError, "admissions"),
            ({"admissions": [1.0]}, cc.InvalidTypeError, "admissions"),
            ({"length_of_stay": {"PHP": -0.5, "IOP": 20}}, cc.InvalidValueError,
             "length_of_stay['PHP']"),
            ({"length_of_stay": {"PHP": "long", "IOP": 20}}, cc.InvalidTypeError,
             "length_of_stay['PHP']"),
            ({"length_of_stay": {"PHP": 10}}, cc.InvalidValueError, "length_of_stay"),
            ({"moves": {"PHP": {"IOP": 0.5, None: 0.4}}}, cc.InvalidValueError, "moves['PHP']"),
            ({"moves": {"PHP": {"IOP": 1.5}}}, cc.InvalidValueError, "moves['PHP']['IOP']"),
            ({"moves": {"PHP": {"IOP": 1.0}, "IOP": {"PHP": 1.0}}}, cc.InvalidValueError,
             "moves"),
            ({"moves": {"PHP": {"IOP": 1.0}, "IOP": {"PHP": 1 - 1e-15, None: 1e-15}}},
             cc.InvalidValueError, "moves"),
        ],
    )  # fmt: skip
    def test_bad_inputs_are_refused_naming_the_argument(
        self, changes: dict[str, object], error: type[cc.CareContinuumError], field: str
    ) -> None:
        """Each bad input raises the library's error naming the argument the caller wrote."""
        with pytest.raises(error) as raised:
            self.base(**changes)
        assert getattr(raised.value, "field", None) == field

    def test_bad_simulation_arguments_are_named(self) -> None:
        model = self.base()
        with pytest.raises(cc.InvalidValueError, match="'days'"):
            model.simulate(0, seed=1)
        with pytest.raises(cc.InvalidValueError, match="'warm_up'"):
            model.simulate(10, seed=1, warm_up=-1)
        with pytest.raises(cc.InvalidTypeError, match="'seed'"):
            model.simulate(10, seed="x")  # type: ignore[arg-type]

    @settings(max_examples=20)
    @given(models(), st.integers(0, 2**32))
    def test_any_valid_model_simulates(self, model: cc.FlowModel, seed: int) -> None:
        """A valid model's run is a census of its continuum, every day and level counted."""
        census = model.simulate(15, seed=seed)
        assert census.continuum is GENERIC and len(census.days) == 15
        assert all(min(census.series(lv)) >= 0 for lv in GENERIC.levels)


def test_only_a_simulation_loads_numpy() -> None:
    """A census, a model, its steady state and a fit load no numpy; a simulation does."""
    code = (
        "import sys, carecontinuum as cc\n"
        "m = cc.FlowModel('GENERIC', admissions={'IOP': 1.0}, length_of_stay={'IOP': 20})\n"
        "m.steady_state(); c = cc.census([], '2026-01-01', '2026-01-02', continuum=m.continuum)\n"
        "before = 'numpy' in sys.modules; m.simulate(10, seed=1)\n"
        "print(before, 'numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.split() == ["False", "True"]
