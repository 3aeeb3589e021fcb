"""The Dask path: batch functions over partitions of a dask DataFrame, on a distributed
LocalCluster, equal to the single-process run."""

from __future__ import annotations

import random
from collections.abc import Iterator

import dask
import dask.dataframe as dd
import pandas as pd
import pendulum
import pytest
from distributed import Client, LocalCluster

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum._columns import table_builder
from carecontinuum.catalogs import GENERIC
from carecontinuum.dask import (
    _frame,
    by_group,
    classify_designs,
    client_weeks,
    map_batches,
    validate_designs,
)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A small local cluster: one worker, threads in this process."""
    with (
        LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None)
        as cluster,
        Client(cluster) as connected,
    ):  # fmt: skip
        yield connected


def _schedule() -> dict[str, cc.Calendar]:
    start = pendulum.date(2026, 3, 4)  # a Wednesday: partial first and last weeks
    calendars = [
        cc.expand(
            cc.ProgramStructure.weekly(
                GENERIC["IOP"], days=days, hours_per_session=hours, weeks=6, start="09:00"
            ),
            start,
            "America/Chicago",
        )
        for days, hours in ((["mon", "wed", "fri"], 3), (["tue", "thu"], 4.5))
    ]
    return {f"client-{c:03d}": calendars[c % 2] for c in range(40)}


def _claims(schedule: dict[str, cc.Calendar]) -> pd.DataFrame:
    rng = random.Random(7)
    rows = []
    for client, calendar in schedule.items():
        for session in calendar.sessions:
            if rng.random() < 0.1:
                continue  # unrecorded
            status = rng.choice(["present", "present", "present", "absent", "excused", "partial"])
            hours = (
                session.clinical_duration.total_seconds() / 7200 if status == "partial" else None
            )
            rows.append({"client": client, "start": session.start, "status": status,
                         "attended_hours": hours})  # fmt: skip
    rng.shuffle(rows)
    frame = pd.DataFrame(rows)
    frame["start"] = pd.to_datetime(frame["start"], utc=True)
    return frame


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.sort_values(by, kind="stable").reset_index(drop=True)


class TestClientWeeks:
    @pytest.mark.parametrize("table", ["weeks", "findings"])
    def test_the_dask_run_equals_the_single_process_run(self, client: Client, table: str) -> None:
        """Judged over 4 partitions on a LocalCluster, the table is the single-process one,
        row for row (sorted by client and week, or by client with each client's findings in
        order)."""
        schedule = _schedule()
        claims = _claims(schedule)
        ruleset = rulesets.ASAM3 | rulesets.TYPICAL_IOP
        name = "" if table == "weeks" else "findings"
        build = table_builder(cc.ClientWeeks, name)
        assert build is not None
        single = _frame(build(cc.judge_client_weeks(claims, schedule, ruleset)))
        lazy = client_weeks(dd.from_pandas(claims, npartitions=4), schedule, ruleset, table=table)
        assert lazy.npartitions > 1
        distributed = client.compute(lazy).result()
        keys = ["client", "monday"] if table == "weeks" else ["client"]
        pd.testing.assert_frame_equal(_sorted(distributed, keys), _sorted(single, keys))
        assert len(single) > 0

    def test_another_table_is_refused(self) -> None:
        """Only the weeks and the findings tables exist."""
        frame = dd.from_pandas(_claims(_schedule()), npartitions=2)
        with pytest.raises(cc.InvalidValueError, match="table"):
            client_weeks(frame, _schedule(), rulesets.ASAM3, table="stays")  # type: ignore[arg-type]


class TestGenericBatches:
    def test_map_batches_runs_a_frame_function_per_partition(self, client: Client) -> None:
        """A frame-in, frame-out batch function (as classify_many over weekly designs) runs
        per partition, with its meta, and gives the single-process result."""
        designs = pd.DataFrame(
            {"days": [1, 2, 3, 4, 5] * 20, "hours": [3.0, 2.5, 3.0, 4.0, 2.0] * 20}
        )

        def weekly(part: pd.DataFrame) -> pd.DataFrame:
            return pd.DataFrame({"weekly_hours": part["days"] * part["hours"]}, index=part.index)

        meta = pd.DataFrame({"weekly_hours": pd.Series(dtype="float64")})
        lazy = map_batches(dd.from_pandas(designs, npartitions=3), weekly, meta=meta)
        pd.testing.assert_frame_equal(client.compute(lazy).result().sort_index(), weekly(designs))

    def test_by_group_keeps_each_group_in_one_partition(self, client: Client) -> None:
        """After the shuffle, no value of the column is split between partitions."""
        frame = pd.DataFrame({"client": [f"c{i % 7}" for i in range(70)], "n": range(70)})

        def groups(part: pd.DataFrame) -> pd.DataFrame:
            return part.groupby("client", as_index=False)["n"].count()

        meta = pd.DataFrame({"client": pd.Series(dtype="object"), "n": pd.Series(dtype="int64")})
        lazy = by_group(dd.from_pandas(frame, npartitions=5), groups, on="client", meta=meta)
        counted = client.compute(lazy).result()
        assert sorted(counted["client"]) == sorted({f"c{i}" for i in range(7)})
        assert set(counted["n"]) == {10}

    def test_bad_arguments_are_refused(self) -> None:
        """A pandas frame, a missing column, a non-callable are refused by name."""
        frame = pd.DataFrame({"client": ["a"]})
        meta = pd.DataFrame({"client": pd.Series(dtype="object")})
        with pytest.raises(cc.InvalidTypeError, match="frame"):
            map_batches(frame, lambda p: p, meta=meta)  # type: ignore[arg-type]
        lazy = dd.from_pandas(frame, npartitions=1)
        with pytest.raises(cc.InvalidValueError, match="on"):
            by_group(lazy, lambda p: p, on="patient", meta=meta)
        with pytest.raises(cc.InvalidTypeError, match="function"):
            map_batches(lazy, "not a function", meta=meta)  # type: ignore[arg-type]


def _designs(count: int) -> pd.DataFrame:
    """A table of weekly designs (the columns classify_many reads), some in each level."""
    rng = random.Random(11)
    days = (["wed"], ["tue", "thu"], ["mon", "wed", "fri"], ["mon", "tue", "wed", "thu", "fri"])
    return pd.DataFrame({
        "level": [rng.choice(["OP", "IOP", "PHP"]) for _ in range(count)],
        "days": [rng.choice(days) for _ in range(count)],
        "hours_per_session": [rng.choice([1, 2.5, 3, 4, 6]) for _ in range(count)],
        "weeks": [rng.choice([4, 8, 12]) for _ in range(count)],
        "population": [rng.choice(["adult", "adolescent"]) for _ in range(count)],
    })  # fmt: skip


class TestDesigns:
    @pytest.mark.parametrize("name", ["ASAM3", "TYPICAL_IOP", "MEDICARE_2024"])
    def test_classify_designs_equals_classify_many(self, client: Client, name: str) -> None:
        """Partition by partition on the cluster, each design gets the levels classify_many
        gives it in one process (and the index says which design a row is)."""
        designs = _designs(300)
        ruleset = getattr(rulesets, name)
        whole = cc.classify_many(designs, ruleset, continuum=GENERIC).codes()
        with dask.config.set({"dataframe.convert-string": False}):
            frame = dd.from_pandas(designs, npartitions=5)
            placed = classify_designs(frame, ruleset, continuum=GENERIC).compute()
        assert frame.npartitions == 5
        assert placed.index.tolist() == list(range(300))
        assert placed["levels"].tolist() == [", ".join(c) if c else None for c in whole]
        assert placed["level"].tolist() == [c[0] if c else None for c in whole]

    def test_validate_designs_equals_validate_many(self, client: Client) -> None:
        designs = _designs(200)
        whole = cc.validate_many(designs, rulesets.ASAM3, continuum=GENERIC)
        with dask.config.set({"dataframe.convert-string": False}):
            frame = dd.from_pandas(designs, npartitions=3)
            judged = validate_designs(frame, rulesets.ASAM3, continuum=GENERIC).compute()
        assert judged["ok"].tolist() == list(whole.ok)
        assert judged["ok"].tolist() == [report.ok for report in whole]
        assert not all(judged["ok"]) and any(judged["ok"])

    def test_a_frame_that_is_not_dask_is_refused(self) -> None:
        with pytest.raises(cc.InvalidTypeError, match="'frame'"):
            classify_designs(_designs(3), rulesets.ASAM3, continuum=GENERIC)  # type: ignore[arg-type]
