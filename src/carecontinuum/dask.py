"""The batch functions on Dask: a table too large for one machine, judged partition by partition.

Nothing here schedules work: each function is `dask.dataframe.DataFrame.map_partitions` (with
its ``meta``) over a frame shuffled so that the rows that must be judged together (one client's
attendance) sit in one partition. Run it on any Dask scheduler (a `distributed.LocalCluster`,
a cluster); the result is a dask DataFrame equal, row for row, to the single-process table.
Needs the ``dask`` extra (dask[dataframe], distributed, pandas); ``import carecontinuum`` never
loads it.

>>> import dask.dataframe as dd, pandas as pd, pendulum
>>> import carecontinuum as cc
>>> from carecontinuum import rulesets
>>> from carecontinuum.dask import client_weeks
>>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
...                                hours_per_session=3, weeks=1)
>>> cal = cc.expand(p, pendulum.date(2026, 3, 2), "UTC")
>>> claims = pd.DataFrame({"client": ["a", "a", "a", "b"],
...                        "start": [s.start for s in cal.sessions] + [cal.sessions[0].start],
...                        "status": ["present", "absent", "present", "present"]})
>>> claims["start"] = pd.to_datetime(claims["start"], utc=True)
>>> weeks = client_weeks(dd.from_pandas(claims, npartitions=2), cal, rulesets.ASAM3)
>>> weeks.compute().sort_values("client")[["client", "delivered_hours"]].values.tolist()
[['a', 6.0], ['b', 3.0]]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd  # type: ignore[import-untyped]

from ._batch import ClassifiedDesigns, ValidatedDesigns, classify_many, validate_many
from ._calendar import Calendar
from ._client_weeks import ClientWeeks, judge_client_weeks
from ._columns import ColumnKind, Columns, table_builder
from ._errors import InvalidTypeError, InvalidValueError

if TYPE_CHECKING:
    from datetime import date

    import dask.dataframe as dd

    from ._levels import Continuum, LevelOfCare
    from ._rules import RuleSeries, RuleSet

__all__ = ["by_group", "classify_designs", "client_weeks", "map_batches", "validate_designs"]

_DTYPES: dict[ColumnKind, str] = {
    "date": "object",
    "datetime": "object",
    "str": "object",
    "int": "int64",
    "float": "float64",
    "bool": "bool",
}


def _dask_frame(frame: object) -> Any:
    import dask.dataframe as dd  # noqa: PLC0415 (loaded with this module's first use)

    if not isinstance(frame, dd.DataFrame):
        raise InvalidTypeError("frame", frame, "a dask DataFrame (dask.dataframe)")
    return frame


def map_batches(
    frame: dd.DataFrame,
    function: Callable[[pd.DataFrame], pd.DataFrame],
    *,
    meta: pd.DataFrame,
) -> dd.DataFrame:
    """Run a frame-in, frame-out batch function on every partition of `frame`, whose rows are
    judged each on its own (a table of weekly designs for ``classify_many``).

    Args:
        frame: The rows, as a dask DataFrame.
        function: Takes one partition (a pandas DataFrame), returns a pandas DataFrame.
        meta: An empty pandas DataFrame with the columns and dtypes `function` returns.

    Returns:
        A lazy dask DataFrame; `.compute()` runs it on the current scheduler.

    Raises:
        InvalidTypeError: `frame` is not a dask DataFrame, `function` is not callable, or
            `meta` is not a pandas DataFrame.
    """
    chosen = _dask_frame(frame)
    if not callable(function):
        raise InvalidTypeError("function", function, "a function from a DataFrame to a DataFrame")
    if not isinstance(meta, pd.DataFrame):
        raise InvalidTypeError("meta", meta, "an empty pandas DataFrame of the result's columns")
    result: dd.DataFrame = chosen.map_partitions(function, meta=meta)
    return result


def by_group(
    frame: dd.DataFrame,
    function: Callable[[pd.DataFrame], pd.DataFrame],
    *,
    on: str,
    meta: pd.DataFrame,
) -> dd.DataFrame:
    """Run a batch function on partitions in which all the rows of each value of column `on`
    are together (each client's attendance rows): `frame` is shuffled on `on` first.

    Args:
        frame: The rows, as a dask DataFrame.
        function: Takes one partition (a pandas DataFrame), returns a pandas DataFrame.
        on: The column whose rows must be judged together ("client").
        meta: An empty pandas DataFrame with the columns and dtypes `function` returns.

    Raises:
        InvalidTypeError: as `map_batches`.
        InvalidValueError: `frame` has no column `on`.
    """
    chosen = _dask_frame(frame)
    if on not in chosen.columns:
        raise InvalidValueError("on", on, f"a column of the frame ({', '.join(chosen.columns)})")
    return map_batches(chosen.shuffle(on=on), function, meta=meta)


def client_weeks(
    frame: dd.DataFrame,
    schedule: Calendar | Mapping[str, Calendar],
    ruleset: RuleSet | RuleSeries,
    *,
    table: Literal["weeks", "findings"] = "weeks",
) -> dd.DataFrame:
    """`carecontinuum.judge_client_weeks` over a dask DataFrame of claims (its columns), each
    client's rows judged together in one partition, as a dask DataFrame of the result's table:
    one row per client-week (``table="weeks"``) or per finding (``table="findings"``), with
    the columns `carecontinuum.tables.to_frame` gives a `ClientWeeks`.

    Clients of a `schedule` mapping with no rows in `frame` are not in the result (each
    partition judges the clients it holds).

    Raises:
        InvalidTypeError, InvalidValueError: a frame without a ``client`` column, or another
            `table`; a bad row raises, as in `judge_client_weeks`, when the result is computed.
    """
    if table not in ("weeks", "findings"):
        raise InvalidValueError("table", table, "'weeks' or 'findings'")
    name = "" if table == "weeks" else "findings"
    build = table_builder(ClientWeeks, name)
    assert build is not None  # registered by _client_weeks

    def judge(part: pd.DataFrame) -> pd.DataFrame:
        return _judged_part(part, schedule, ruleset, name)

    return by_group(frame, judge, on="client", meta=_frame(build(_EMPTY)))


def classify_designs(
    frame: dd.DataFrame,
    ruleset: RuleSet | RuleSeries,
    *,
    on: date | str | None = None,
    continuum: Continuum | None = None,
) -> dd.DataFrame:
    """`carecontinuum.classify_many` over a dask DataFrame of weekly designs (the columns
    `classify_many` documents), partition by partition, as a dask DataFrame indexed as `frame`:
    one row per design, with the columns `carecontinuum.tables.to_frame` gives a
    `ClassifiedDesigns` but ``design`` (the index says which design a row is).

    Each design is judged on its own, so the partitions need no shuffle. Dask stores a column
    of Python objects as text unless its ``dataframe.convert-string`` setting is off, which
    turns a ``days`` column of lists into their text: turn it off for such a frame
    (``dask.config.set({"dataframe.convert-string": False})``, before the frame is made).

    >>> import dask, dask.dataframe as dd, pandas as pd
    >>> import carecontinuum as cc
    >>> designs = pd.DataFrame({"level": ["IOP", "IOP", "OP"],
    ...                         "days": [["mon", "wed", "fri"], ["mon", "wed"], ["tue"]],
    ...                         "hours_per_session": [3, 3, 1], "weeks": [8, 8, 12]})
    >>> with dask.config.set({"dataframe.convert-string": False}):
    ...     frame = dd.from_pandas(designs, npartitions=2)
    ...     placed = classify_designs(frame, cc.rulesets.ASAM3, continuum=cc.catalogs.GENERIC)
    ...     placed.compute()["level"].tolist()
    ['2.1', '1', '1']

    Raises:
        InvalidTypeError: `frame` is not a dask DataFrame; a bad row raises, as in
            `classify_many`, when the result is computed.
    """
    return _judged_designs(
        frame,
        ClassifiedDesigns,
        lambda part: classify_many(part, ruleset, on=on, continuum=continuum),
    )


def validate_designs(
    frame: dd.DataFrame,
    ruleset: RuleSet | RuleSeries,
    *,
    as_level: LevelOfCare | None = None,
    on: date | str | None = None,
    continuum: Continuum | None = None,
) -> dd.DataFrame:
    """`carecontinuum.validate_many` over a dask DataFrame of weekly designs, as
    `classify_designs` runs `classify_many`: one row per design (its ``level`` and ``ok``),
    indexed as `frame`.

    Raises:
        InvalidTypeError: `frame` is not a dask DataFrame; a bad row raises, as in
            `validate_many`, when the result is computed.
    """
    return _judged_designs(
        frame,
        ValidatedDesigns,
        lambda part: validate_many(part, ruleset, as_level=as_level, on=on, continuum=continuum),
    )


def _judged_designs(
    frame: dd.DataFrame, kind: type, judge: Callable[[object], object]
) -> dd.DataFrame:
    """The designs of each partition judged by `judge` (a batch function of designs, whose
    results are of `kind`), as the result's table indexed as the partition."""
    build = table_builder(kind)
    assert build is not None  # registered by _batch
    meta = _frame(build(judge(_NO_DESIGNS))).drop(columns="design")  # the columns alone

    def judged(part: pd.DataFrame) -> pd.DataFrame:
        if part.empty:  # a partition with no rows: the meta's columns
            return meta
        out = _frame(build(judge(part))).drop(columns="design")
        out.index = part.index
        return out

    return map_batches(frame, judged, meta=meta)


#: A table of no weekly designs (its required columns, empty).
_NO_DESIGNS: dict[str, list[object]] = {
    "level": [],
    "days": [],
    "hours_per_session": [],
    "weeks": [],
}


def _judged_part(
    part: pd.DataFrame,
    schedule: Calendar | Mapping[str, Calendar],
    ruleset: RuleSet | RuleSeries,
    name: str,
) -> pd.DataFrame:
    """One partition judged: only its own clients (a mapping schedule narrowed to them)."""
    if isinstance(schedule, Mapping):
        schedule = {c: schedule[c] for c in dict.fromkeys(part["client"]) if c in schedule}
    build = table_builder(ClientWeeks, name)
    assert build is not None
    return _frame(build(judge_client_weeks(part, schedule, ruleset)))


def _frame(columns: Columns) -> pd.DataFrame:
    """A table as a pandas DataFrame with a fixed dtype per kind of column (so every partition
    and the meta agree)."""
    return pd.DataFrame(
        {
            name: pd.Series(
                list(values)
                if kind != "float"
                else [float("nan") if v is None else v for v in values],
                dtype=_DTYPES[kind],
            )
            for name, (kind, values) in columns.items()
        }
    )


_EMPTY = ClientWeeks._made(None, (), (), (), (), (), (), (), (0,), ())  # type: ignore[arg-type]
