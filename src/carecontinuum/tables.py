"""DataFrames of the library's values, for analysts: `to_frame` turns a calendar's sessions, an
attendance's weeks, a report's findings, a classification, episodes' stays and transitions (and
the tables other parts of the library register) into a pandas, polars or pyarrow table with
typed columns.

Needs a backend's extra: ``pip install "carecontinuum[pandas]"`` (or ``[polars]``,
``[pyarrow]``), which installs narwhals, the one compatibility layer every backend is built
through, and the backend. ``import carecontinuum`` never imports this module, narwhals or any
DataFrame library; this module imports them only when `to_frame` is called.

**Columns.** Each kind of value reads as a table of its own, with the same columns whatever
its content (an empty calendar gives an empty frame with every column typed). Columns are
typed, never Python objects: days are dates, instants are zone-aware datetimes, hours are
floats (clinical time in hours: ``1.5`` for 90 minutes), counts are 64-bit integers, flags are
booleans and the library's choices (services, severities, directions) are their values as
text (``"group therapy"``, ``"error"``, ``"step down"``). A missing value is null.

**Zones.** A datetime column (a session's ``start`` and ``end``) keeps the zone its instants
are in: a calendar's sessions give a column in the calendar's zone
(``datetime[μs, America/New_York]`` in polars, ``timestamp[us, tz=America/New_York]`` in
pyarrow and pandas), so the wall-clock times read as the clinic's. Rows of calendars in
different zones (a list of calendars) give a column in UTC, the same instants; the ``zone``
column says each row's zone. A frame without rows has no zone to take: its datetime columns
are in UTC.

**pandas.** A pandas frame's columns are Arrow-backed (`pandas.ArrowDtype`: ``date32[pyarrow]``,
``int64[pyarrow]``, ...): pandas' own NumPy dtypes hold no date, and no integer or flag with a
missing value, so the `pandas` extra installs pyarrow too.

**A collection of values** (a list of episodes, what `classify` returns) is one table: each
value's rows in turn, under the columns of its kind. An empty collection has no kind to take
columns from and is refused; a value of a kind that reads as a table (an empty calendar, a
report without findings, `Findings()`) gives an empty, typed frame.

>>> import pendulum
>>> import carecontinuum as cc
>>> from carecontinuum.tables import to_frame
>>> program = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed"],
...                                      hours_per_session=3, weeks=2, start="18:00")
>>> calendar = cc.expand(program, pendulum.date(2026, 3, 2), "America/New_York")
>>> sessions = to_frame(calendar, backend="polars")
>>> sessions.select("date", "start", "clinical_hours").head(2)
shape: (2, 3)
┌────────────┬────────────────────────────────┬────────────────┐
│ date       ┆ start                          ┆ clinical_hours │
│ ---        ┆ ---                            ┆ ---            │
│ date       ┆ datetime[μs, America/New_York] ┆ f64            │
╞════════════╪════════════════════════════════╪════════════════╡
│ 2026-03-02 ┆ 2026-03-02 18:00:00 EST        ┆ 3.0            │
│ 2026-03-04 ┆ 2026-03-04 18:00:00 EST        ┆ 3.0            │
└────────────┴────────────────────────────────┴────────────────┘
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, overload
from zoneinfo import ZoneInfo

from ._columns import _TABLES, ColumnKind, Columns, table_builder
from ._dicts import MissingExtraError
from ._errors import InvalidTypeError, InvalidValueError

if TYPE_CHECKING:
    import polars

__all__ = ["Backend", "to_frame"]

#: The DataFrame libraries `to_frame` builds for, each the name of its extra.
Backend = Literal["pandas", "polars", "pyarrow"]
_BACKENDS: tuple[Backend, ...] = ("pandas", "polars", "pyarrow")
#: What each backend needs besides narwhals (pandas holds typed columns through Arrow).
_NEEDS: Mapping[str, tuple[str, ...]] = {
    "pandas": ("pandas", "pyarrow"),
    "polars": ("polars",),
    "pyarrow": ("pyarrow",),
}
_KINDS = "a Calendar, an Attendance, a ValidationReport, Findings, a Classification, an Episode"


# polars ships its types, so a polars frame is typed; pandas and pyarrow ship none.
@overload
def to_frame(value: object, *, backend: Literal["polars"], table: str = "") -> polars.DataFrame: ...
@overload
def to_frame(
    value: object, *, backend: Literal["pandas", "pyarrow"] = "pandas", table: str = ""
) -> Any: ...


def to_frame(value: object, *, backend: Backend = "pandas", table: str = "") -> Any:
    """`value` as a DataFrame of `backend`, with typed columns.

    The tables the library's values read as (each row, then its columns; dates are `date`,
    times zone-aware `datetime`, hours `float`):

    - **Calendar** (`expand`): one row per dated session, held or closed, in time order:
      ``program``, ``scheme``, ``level``, ``population``, ``track``, ``zone``; ``date`` (the
      local day), ``weekday`` (``"Monday"``), ``week`` (the Monday of its week),
      ``program_week`` (0-based, as `ScheduledSession.week`); ``start``, ``end``;
      ``clinical_hours`` (breaks excluded), ``length_hours`` (start to end); ``services``
      (the clinical services, comma-separated), ``session`` (the template's index in the
      program) and ``session_name``; ``delivery_mode`` (the program's where the session has
      none of its own), ``overnight``, ``program_day``; ``closed`` (a closure cancelled it:
      filter on ``~closed`` for what was held).
    - **Attendance**: one row per calendar week, the figures of `Attendance.by_week`:
      ``client``, ``week`` (its Monday), ``planned_hours``, ``delivered_hours`` (extra
      sessions included), ``shortfall_hours`` (planned not delivered, never negative),
      ``rate`` (delivered over planned; null when nothing was planned), ``sessions_planned``
      (sessions held that week), ``sessions_attended`` (records present or partial, extra
      sessions included), ``partial`` (the period cuts the week short), ``complete`` (every
      session of the week has a record).
    - **Findings** (or a list of `Finding`): one row per finding: ``rule``, ``severity``,
      ``week`` (the Monday of the dated week the finding is about, read from its path
      ``weeks[2026-03-02]``; null for a template's findings), ``path``, ``message``,
      ``expected``, ``found``; then the numbers those texts state, null where they state
      none: ``expected_at_least``, ``expected_at_most``, ``expected_less_than`` (the bounds
      ``expected`` names: "at least 9 and less than 20 clinical hours a week" gives 9.0 and
      20.0; "3 or more" gives 3.0) and ``found_value`` (the figure ``found`` starts with:
      "8.25 clinical hours in the week of ..." gives 8.25); ``looks_like`` (a level code).
    - **ValidationReport**: its findings, as above, after ``ruleset`` and ``version`` (the
      rule set that judged the finding's week: for a dated subject judged by a series, the
      version in force), ``scheme`` and ``level`` (the level judged at). A report knows its
      subject, so a finding on one session of a dated week (``sessions[4]``, ``records[2]``)
      gets that week too.
    - **Classification** (a list of them: what `classify` returns): one row per level:
      ``scheme``, ``level``, ``name``, ``ruleset``, ``version``, ``rules_applied``,
      ``warnings``, ``infos``.
    - **Episode** (or a list of episodes), ``table="stays"`` (the default): one row per stay,
      the main stays then the services alongside: ``client``, ``scheme``, ``level``,
      ``pathway``, ``concurrent``, ``start``, ``end`` (exclusive; null while it goes on),
      ``length_days`` (null while it goes on), ``reason``. ``table="transitions"``: one row
      per move: ``client``, ``day``, ``scheme``, ``from_level``, ``to_level``, ``direction``
      (``"step down"``...), ``reason``.

    Args:
        value: A value of a kind that reads as a table, or a collection of values of one
            such kind (their rows in turn).
        backend: ``"pandas"`` (a `pandas.DataFrame` with Arrow-backed columns),
            ``"polars"`` (a `polars.DataFrame`) or ``"pyarrow"`` (a `pyarrow.Table`).
        table: Which of a kind's tables, for a kind that has several (an episode's
            ``"stays"`` or ``"transitions"``); "" for its default.

    Returns:
        The backend's own frame, its columns typed as above.

    Raises:
        InvalidTypeError: `value` is no kind of value that reads as a table (nor a collection
            of them), or `backend` or `table` is not a string.
        InvalidValueError: `backend` is not one of the three; `table` is not a table of the
            value's kind; an empty collection; a collection mixing kinds.
        MissingExtraError: the backend's extra is not installed.

    >>> import pendulum
    >>> import carecontinuum as cc
    >>> from carecontinuum.catalogs import GENERIC
    >>> episode = (cc.Episode.admit("c-1", "PHP", pendulum.date(2026, 3, 2), continuum=GENERIC)
    ...            .step_to("IOP", pendulum.date(2026, 3, 23), "stable"))
    >>> stays = to_frame(episode, backend="pyarrow")
    >>> stays.column("level").to_pylist(), stays.column("length_days").to_pylist()
    (['PHP', 'IOP'], [21, None])
    >>> moves = to_frame([episode], table="transitions")
    >>> moves[["day", "from_level", "to_level", "direction"]]
              day from_level to_level  direction
    0  2026-03-23        PHP      IOP  step down
    >>> str(moves["day"].dtype)
    'date32[day][pyarrow]'
    """
    if not isinstance(backend, str):
        raise InvalidTypeError("backend", backend, "'pandas', 'polars' or 'pyarrow'")
    if backend not in _BACKENDS:
        raise InvalidValueError("backend", backend, "'pandas', 'polars' or 'pyarrow'")
    if not isinstance(table, str):
        raise InvalidTypeError("table", table, "the name of a table (a string)")
    columns = _columns_of(value, table)
    nw = _needed("narwhals", backend)
    libraries = [_needed(package, backend) for package in _NEEDS[backend]]
    data: dict[str, list[Any]] = {}
    schema: dict[str, Any] = {}
    for name, (kind, values) in columns.items():
        data[name], schema[name] = _typed(nw, kind, values)
    # narwhals builds every backend's frame; pandas' comes through Arrow, whose types it keeps.
    frame = nw.from_dict(data, schema, backend="pyarrow" if backend == "pandas" else backend)
    native = frame.to_native()
    if backend == "pandas":
        pandas = libraries[0]
        return native.to_pandas(types_mapper=pandas.ArrowDtype)
    return native


def _needed(package: str, backend: str) -> ModuleType:
    """The package a backend needs, imported; MissingExtraError naming the extra if absent."""
    try:
        return importlib.import_module(package)
    except ImportError as error:
        raise MissingExtraError(
            package, backend, f"carecontinuum.tables.to_frame(backend={backend!r})"
        ) from error


def _tables_of(kind: type) -> list[str]:
    """The names of the tables registered for a kind of value (or its bases)."""
    return sorted({name for base, name in _TABLES if issubclass(kind, base)})


def _unreadable(field: str, value: object, table: str) -> Exception:
    """The error for a value with no table of that name: the table's name is wrong when its
    kind has other tables, else the value is of no kind that reads as a table."""
    names = _tables_of(type(value))
    if names:
        shown = ", ".join(repr(name) for name in names)
        return InvalidValueError("table", table, f"a table of {type(value).__name__}: {shown}")
    return InvalidTypeError(field, value, f"a value that reads as a table ({_KINDS}, ...)")


def _columns_of(value: object, table: str) -> Columns:
    build = table_builder(type(value), table)
    if build is not None:
        return build(value)
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise _unreadable("value", value, table)
    items = list(value)
    if not items:
        raise InvalidValueError(
            "value", value, "a value that reads as a table, or a collection of at least one "
            "(an empty collection has no kind to take columns from)",
        )  # fmt: skip
    joined: dict[str, tuple[ColumnKind, list[Any]]] = {}
    for i, item in enumerate(items):
        build = table_builder(type(item), table)
        if build is None:
            raise _unreadable(f"value[{i}]", item, table)
        columns = build(item)
        if not i:
            joined = {name: (kind, list(values)) for name, (kind, values) in columns.items()}
            continue
        if [(name, kind) for name, (kind, _) in columns.items()] != [
            (name, kind) for name, (kind, _) in joined.items()
        ]:
            raise InvalidValueError(
                f"value[{i}]", item, f"a value of the kind of value[0] "
                f"({type(items[0]).__name__}): one table has one kind of row",
            )  # fmt: skip
        for name, (_, values) in columns.items():
            joined[name][1].extend(values)
    result: Columns = {name: (kind, values) for name, (kind, values) in joined.items()}
    return result


def _typed(nw: ModuleType, kind: ColumnKind, values: Iterable[Any]) -> tuple[list[Any], Any]:
    """A column's values as the frame takes them, and its narwhals type."""
    if kind == "datetime":
        zone, instants = _zoned(list(values))
        return instants, nw.Datetime("us", zone)
    if kind == "float":  # an int in a float column is its float
        return [None if v is None else float(v) for v in values], nw.Float64()
    dtype = {"date": nw.Date, "str": nw.String, "int": nw.Int64, "bool": nw.Boolean}[kind]
    return list(values), dtype()


def _zoned(values: list[datetime | None]) -> tuple[str, list[datetime | None]]:
    """The zone of a datetime column and its values: the zone all the values are in, else
    UTC (every instant kept, shown in UTC)."""
    zones = {_zone_name(v) for v in values if v is not None}
    if len(zones) == 1:
        (zone,) = zones
        if zone is not None:
            return zone, values
    return "UTC", [None if v is None else v.astimezone(UTC) for v in values]


def _zone_name(moment: datetime) -> str | None:
    """The IANA name of a datetime's zone (a pendulum or zoneinfo zone), else None."""
    zone = moment.tzinfo
    name = getattr(zone, "key", None) or getattr(zone, "name", None)
    return name if isinstance(name, str) and _is_iana(name) else None


@functools.cache
def _is_iana(name: str) -> bool:
    """Whether `name` names an IANA zone (not a fixed offset such as ``+02:00``)."""
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True
