"""Client-weeks in bulk: a table of attendance rows for many clients judged at once, with the
weekly figures and the findings that building one `Attendance` per client and `validate` give.

The weekly figures are computed column-wise (numpy, the ``columns`` extra); the factory rules
(`rulesets` weekly hours, daily hours, days and sessions a week, gaps, a service every day, an
attendance goal) screen every client-week column-wise from their own params, and only the weeks
they flag are judged by the rule's own check, so a finding's text is the rule's own. Other rules
(custom checks) and dated rule sets judge one `Attendance` per client, as `validate` does.
"""

from __future__ import annotations

import contextlib
import gc
import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, cast

import pendulum

from ._attendance import (
    _EPOCH_ORDINAL,
    _MAX_EXTRA_US,
    Attendance,
    AttendanceRecord,
    AttendanceStatus,
    WeekDelivery,
    _extra_template,
    _instant_us,
)
from ._batch import _outside
from ._calendar import _US_PER_DAY, Calendar, _at
from ._columns import Columns, register_table
from ._errors import InvalidTypeError, InvalidValueError, _echo
from ._measures import WeekFigures
from ._measures import _week as _week_figures
from ._program import Service, _us
from ._rules import (
    Finding,
    Findings,
    RuleContext,
    RuleSeries,
    RuleSet,
    _apply,
    _check_ruleset,
    _findings,
    _nothing_applies,
    validate,
)
from ._validators import check_enum

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from ._rules import Rule

__all__ = ["ClientWeeks", "judge_client_weeks"]

_US_PER_HOUR = 3_600_000_000
_STATUSES = tuple(AttendanceStatus)
_PRESENT, _PARTIAL, _ABSENT, _EXCUSED = range(4)
_STATUS_CODES: dict[object, int] = {}
for _code, _status in enumerate(_STATUSES):
    _STATUS_CODES[_status] = _code
    _STATUS_CODES[_status.value] = _code
    _STATUS_CODES[_status.name] = _code
    _STATUS_CODES[_status.name.lower()] = _code
_COLUMNS = ("client", "start", "status", "end", "service", "attended_hours", "extra", "program_day")
_REQUIRED = ("client", "start", "status")
_UNRECORDED = "not every session of it has an attendance record yet"


def _numpy() -> Any:
    try:
        import numpy  # noqa: PLC0415 (the columns extra loads only when bulk judgement is asked)
    except ImportError:  # pragma: no cover (numpy is in the test environment)
        from ._dicts import MissingExtraError  # noqa: PLC0415

        raise MissingExtraError("numpy", "batch", "judge_client_weeks()") from None
    return numpy


def _field(column: str, row: int) -> str:
    return f'claims["{column}"][{row}]'


def _is_null(value: object) -> bool:
    """An empty cell: None, NaN, or a DataFrame library's missing time (pandas' NaT)."""
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or type(value).__name__ == "NaTType"
    )


class _Table:
    """The claims table read column by column: a plain mapping of lists or any DataFrame
    narwhals reads. Datetime columns become instants (microseconds since 1970 UTC)."""

    def __init__(self, claims: object) -> None:
        self.raw: dict[str, Sequence[Any]] = {}
        self.instants: dict[str, Sequence[int | None]] = {}
        self.series: dict[str, Any] = {}
        # Instants as an int64 array, for a frame's column with no empty cell.
        self.stamps: dict[str, Any] = {}
        self._filled: dict[str, Any] = {}
        if isinstance(claims, Mapping):
            self._from_mapping(claims)
        else:
            self._from_frame(claims)
        for column in _REQUIRED:
            if column not in self.raw:
                raise InvalidValueError(
                    "claims", sorted(self.raw), f"a table with a {column!r} column"
                )
        lengths = {len(values) for values in self.raw.values()}
        if len(lengths) > 1:
            raise InvalidValueError(
                "claims",
                {name: len(values) for name, values in self.raw.items()},
                "columns of one length (one value per row)",
            )
        self.rows = lengths.pop()

    def _from_mapping(self, claims: Mapping[Any, Any]) -> None:
        for name in _COLUMNS:
            if name not in claims:
                continue
            values = claims[name]
            if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
                raise InvalidTypeError(f'claims["{name}"]', values, "a list of values, one a row")
            self.raw[name] = values
        for name in ("start", "end"):
            if name in self.raw:
                self.instants[name] = [
                    None if _is_null(value) else _aware_us(name, i, value)
                    for i, value in enumerate(self.raw[name])
                ]

    def _from_frame(self, claims: object) -> None:
        import narwhals.stable.v2 as nw  # noqa: PLC0415 (the columns extra)

        try:
            frame = nw.from_native(claims, eager_only=True)  # type: ignore[call-overload]
        except TypeError:
            raise InvalidTypeError(
                "claims", claims, "a DataFrame (pandas, polars, pyarrow, ...) or a dict of lists"
            ) from None
        schema = frame.schema
        for name in _COLUMNS:
            if name not in schema:
                continue
            series = self.series[name] = frame.get_column(name)
            if name in ("start", "end") and isinstance(schema[name], nw.Datetime):
                if schema[name].time_zone is None:
                    raise InvalidValueError(
                        f'claims["{name}"]', str(schema[name]), "timezone-aware datetimes"
                    )
                stamps = series.dt.timestamp("us")
                if stamps.null_count():
                    self.instants[name] = stamps.to_list()
                else:  # no empty cell: kept as an array, read a row at a time where needed
                    array = self.stamps[name] = stamps.to_numpy()
                    self.instants[name] = _Instants(array)
                self.raw[name] = _Lazy(series)
            else:
                self.raw[name] = series.to_list()
                if name in ("start", "end"):
                    self.instants[name] = [
                        None if _is_null(value) else _aware_us(name, i, value)
                        for i, value in enumerate(self.raw[name])
                    ]

    def filled(self, column: str, np: Any) -> Any:
        """Where a column has a value (not None, NaN or NaT), as a bool array."""
        mask = self._filled.get(column)
        if mask is None:
            values = self.raw.get(column)
            if values is None:
                mask = np.zeros(self.rows, dtype=bool)
            elif column in self.series:
                mask = ~self.series[column].is_null().to_numpy()
            else:
                cells = np.empty(len(values), dtype=object)
                cells[:] = values
                # Elementwise: None is no value, and NaN and NaT are not equal to themselves.
                mask = np.asarray((cells != None) & (cells == cells), dtype=bool)  # noqa: E711, PLR0124 (elementwise; NaN is not itself)
            self._filled[column] = mask
        return mask

    def cells(self, column: str, np: Any) -> Any:
        """A column's values as an object array (None where absent)."""
        values = self.raw.get(column)
        cells = np.empty(self.rows, dtype=object)
        if values is not None:
            cells[:] = values if not isinstance(values, _Lazy) else [None] * self.rows
        return cells

    def get(self, column: str, row: int) -> Any:
        values = self.raw.get(column)
        return None if values is None else values[row]


class _Lazy(Sequence[Any]):
    """A frame's column read one value at a time (its datetimes, for extra sessions)."""

    def __init__(self, series: Any) -> None:
        self._series = series

    def __len__(self) -> int:
        return len(self._series)

    def __getitem__(self, row: Any) -> Any:
        value = self._series[row]
        return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value


class _Instants(Sequence[int]):
    """A frame's datetime column without an empty cell, as instants: its int64 array, read a
    row at a time (a list would make a Python int for every row, and the rows are read by
    their arrays; only extra sessions are read one by one)."""

    def __init__(self, array: Any) -> None:
        self._array = array

    def __len__(self) -> int:
        return len(self._array)

    def __getitem__(self, row: Any) -> Any:
        return int(self._array[row]) if isinstance(row, int) else self._array[row].tolist()


def _aware_us(column: str, row: int, value: object) -> int:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError(_field(column, row), value, "a timezone-aware datetime")
    return _instant_us(value)


class _CalendarPlan:
    """A calendar's sessions and weeks as arrays, computed once per calendar."""

    def __init__(self, calendar: Calendar, np: Any) -> None:
        self.calendar = calendar
        self.weeks = calendar.by_week()
        sessions = [s for week in self.weeks for s in week.sessions]
        self.sessions = sessions
        self.templates = [s.session for s in sessions]
        starts = np.array([s._utc_us for s in sessions], dtype=np.int64)
        self.order = np.argsort(starts, kind="stable")
        self.starts = starts[self.order]
        self.week_of = np.array(
            [i for i, week in enumerate(self.weeks) for _ in week.sessions], dtype=np.int64
        )
        self.clinical = np.array([s.session._clinical_us for s in sessions], dtype=np.int64)
        self.length = np.array([s.session._length_us for s in sessions], dtype=np.int64)
        self.program_day = np.array([s.session.program_day for s in sessions], dtype=bool)
        self.weekday = np.array([s.session.weekday.value for s in sessions], dtype=np.int64)
        self.planned = np.array(
            [sum(s.session._clinical_us for s in week.sessions) for week in self.weeks],
            dtype=np.int64,
        )
        self.held = np.array([len(week.sessions) for week in self.weeks], dtype=np.int64)
        self.fraction = np.array([week.days_in_period / 7 for week in self.weeks])
        self.fractions: list[float] = self.fraction.tolist()
        self.labels = [f"the week of {week.monday} as attended" for week in self.weeks]
        self.paths = [f"weeks[{week.monday}]" for week in self.weeks]
        self.monday0 = self.weeks[0].monday.toordinal() if self.weeks else 0


class ClientWeeks:
    """The weekly figures and findings of many clients' attendance, as `judge_client_weeks`
    gives them: for each client, what ``Attendance(calendar, records).by_week()`` and
    ``validate(attendance, ruleset).findings`` give, held column-wise.

    Attributes:
        ruleset: The rule set the clients were judged by.
        clients: The clients, in the order they first appear in the table (then clients of the
            schedule with no rows, in its order).

    `judge_client_weeks` makes it (it has no constructor of its own). A table
    (`carecontinuum.tables.to_frame`) reads it one row per client-week (client,
    monday, planned_hours, delivered_hours, shortfall_hours, rate, partial, complete, and the
    week's errors, warnings and infos); ``name="findings"`` reads its findings, one a row.

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=3, weeks=1)
    >>> cal = cc.expand(p, pendulum.date(2026, 3, 2), "UTC")
    >>> claims = {"client": ["a", "a", "a", "b"],
    ...           "start": [s.start for s in cal.sessions] + [cal.sessions[0].start],
    ...           "status": ["present", "absent", "present", "present"]}
    >>> judged = cc.judge_client_weeks(claims, cal, rulesets.MEDICARE_2024)
    >>> [(w.delivered.in_hours(), w.complete) for w in judged.weeks("a")]
    [(6, True)]
    >>> [f.rule_id for f in judged.findings("a") if f.severity is cc.Severity.ERROR]
    ['MEDICARE-IOP-HOURS']
    """

    __slots__ = ("_client", "_complete", "_delivered", "_findings", "_first", "_index",
                 "_monday", "_partial", "_planned", "clients", "ruleset")  # fmt: skip

    ruleset: RuleSet | RuleSeries
    clients: tuple[str, ...]
    # Per client-week, in client order then week order; `_first[i]` is client i's first.
    _client: tuple[int, ...]
    _monday: tuple[date, ...]
    _planned: tuple[int, ...]
    _delivered: tuple[int, ...]
    _partial: tuple[bool, ...]
    _complete: tuple[bool, ...]
    _first: tuple[int, ...]
    _findings: tuple[Findings, ...]
    _index: dict[str, int]

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise InvalidTypeError(
            "ClientWeeks", args or kwargs, "a value judge_client_weeks() makes (it has no "
            "constructor of its own)",
        )  # fmt: skip

    @classmethod
    def _made(
        cls, ruleset: RuleSet | RuleSeries, clients: tuple[str, ...], *columns: Any
    ) -> ClientWeeks:
        """The result of `judge_client_weeks`, from its columns (trusted: the library's)."""
        made = object.__new__(cls)
        for name, value in zip(_FIELDS, (ruleset, clients, *columns), strict=True):
            object.__setattr__(made, name, value)
        object.__setattr__(made, "_index", {client: i for i, client in enumerate(clients)})
        return made

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"ClientWeeks is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"ClientWeeks is immutable (cannot delete {name!r})")

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its fields, so a result crosses process boundaries (Dask, pools).
        return (_rebuilt, tuple(getattr(self, name) for name in _FIELDS))

    def __len__(self) -> int:
        """The number of client-weeks."""
        return len(self._client)

    def _position(self, client: str) -> int:
        position = self._index.get(client) if isinstance(client, str) else None
        if position is None:
            raise InvalidValueError("client", client, "a client of the table or the schedule")
        return position

    def weeks(self, client: str) -> tuple[WeekDelivery, ...]:
        """A client's weeks, as ``Attendance(...).by_week()`` gives them."""
        i = self._position(client)
        return tuple(
            WeekDelivery(
                pendulum.Date(day.year, day.month, day.day),
                pendulum.Duration(microseconds=self._planned[k]),
                pendulum.Duration(microseconds=self._delivered[k]),
                partial=self._partial[k],
                complete=self._complete[k],
            )
            for k in range(self._first[i], self._first[i + 1])
            if (day := self._monday[k])
        )

    def findings(self, client: str) -> Findings:
        """A client's findings, as ``validate(Attendance(...), ruleset).findings`` gives them."""
        return self._findings[self._position(client)]

    @property
    def ok(self) -> bool:
        """True when no client has an ERROR finding."""
        return not any(f.severity.value == "error" for fs in self._findings for f in fs)

    def __repr__(self) -> str:
        count = len(self.clients)
        return (
            f"<ClientWeeks: {count} client{'' if count == 1 else 's'}, {len(self)} client-weeks, "
            f"{sum(map(len, self._findings))} findings>"
        )


_FIELDS = ("ruleset", "clients", "_client", "_monday", "_planned", "_delivered", "_partial",
           "_complete", "_first", "_findings")  # fmt: skip


def _rebuilt(*fields: Any) -> ClientWeeks:
    return ClientWeeks._made(*fields)


def _week_columns(judged: ClientWeeks) -> Columns:
    counts: dict[str, list[int]] = {
        kind: [0] * len(judged) for kind in ("error", "warning", "info")
    }
    for i, client_findings in enumerate(judged._findings):
        first = judged._first[i]
        row_of = {f"weeks[{judged._monday[k]}]": k for k in range(first, judged._first[i + 1])}
        for finding in client_findings:
            k = row_of.get(finding.path)
            if k is not None:
                counts[finding.severity.value][k] += 1
    planned = [us / _US_PER_HOUR for us in judged._planned]
    delivered = [us / _US_PER_HOUR for us in judged._delivered]
    return {
        "client": ("str", [judged.clients[i] for i in judged._client]),
        "monday": ("date", list(judged._monday)),
        "planned_hours": ("float", planned),
        "delivered_hours": ("float", delivered),
        "shortfall_hours": (
            "float",
            [
                max(p - d, 0) / _US_PER_HOUR
                for p, d in zip(judged._planned, judged._delivered, strict=True)
            ],
        ),
        "rate": (
            "float",
            [d / p if p else None for p, d in zip(judged._planned, judged._delivered, strict=True)],
        ),
        "partial": ("bool", list(judged._partial)),
        "complete": ("bool", list(judged._complete)),
        "errors": ("int", counts["error"]),
        "warnings": ("int", counts["warning"]),
        "infos": ("int", counts["info"]),
    }


def _finding_columns(judged: ClientWeeks) -> Columns:
    rows = [
        (client, f) for client, fs in zip(judged.clients, judged._findings, strict=True) for f in fs
    ]
    return {
        "client": ("str", [client for client, _ in rows]),
        "rule": ("str", [f.rule_id for _, f in rows]),
        "severity": ("str", [f.severity.value for _, f in rows]),
        "path": ("str", [f.path for _, f in rows]),
        "message": ("str", [f.message for _, f in rows]),
        "expected": ("str", [f.expected for _, f in rows]),
        "found": ("str", [f.found for _, f in rows]),
    }


register_table(ClientWeeks, _week_columns)
register_table(ClientWeeks, _finding_columns, name="findings")


def judge_client_weeks(
    claims: object,
    schedule: Calendar | Mapping[str, Calendar],
    ruleset: RuleSet | RuleSeries | Sequence[RuleSet],
) -> ClientWeeks:
    """Judge a table of attendance rows for many clients: each client's weekly figures and
    findings, equal to building one `Attendance` per client and calling `validate`.

    The table (a dict of column lists, or a pandas, polars or pyarrow DataFrame, read through
    narwhals) has one row per attendance record; other columns are ignored:

    - ``client`` (str): the client's opaque id.
    - ``start`` (timezone-aware datetime): for a scheduled session, its start, which names the
      session of the client's calendar; for an extra session, its start.
    - ``status`` (str): ``present``, ``partial``, ``absent`` or ``excused``.
    - ``attended_hours`` (float, optional): for ``partial`` rows only, the clinical hours
      attended (to the microsecond); empty (None or NaN) on every other row.
    - ``extra`` (bool, optional): True for an unscheduled extra session (present or partial).
    - ``end`` (timezone-aware datetime, optional): an extra session's end; ignored on
      scheduled rows, whose end is their session's.
    - ``service`` (str, optional): an extra session's clinical service (individual therapy
      when empty); ignored on scheduled rows, whose services are their session's.
    - ``program_day`` (bool, optional): whether an extra session makes its day a program day
      (False when empty); ignored on scheduled rows.

    Args:
        claims: The attendance rows.
        schedule: Each client's calendar: one `Calendar` for every client, or a mapping from
            client to calendar (clients of the mapping with no rows are judged too: every
            session unrecorded).
        ruleset: The rules, as `validate` takes them: a rule set, a list of them (their
            union) or a series.

    Returns:
        A `ClientWeeks`: `ClientWeeks.weeks` and `ClientWeeks.findings` per client.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed table, naming the column and row
            (``claims["start"][12]``): a start no session of the client's calendar has, two
            rows for one session, a bad status or attended time; a client with no calendar.
        MissingExtraError: numpy (the ``columns`` extra) is not installed.

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=3, weeks=2)
    >>> cal = cc.expand(p, pendulum.date(2026, 3, 2), "America/New_York")
    >>> starts = [s.start for s in cal.sessions]
    >>> claims = {"client": ["c1"] * 6 + ["c2"] * 6, "start": starts * 2,
    ...           "status": ["present"] * 6 + ["present", "absent"] * 3}
    >>> judged = judge_client_weeks(claims, cal, rulesets.ASAM3)
    >>> [w.shortfall.in_hours() for w in judged.weeks("c2")]
    [3, 6]
    >>> print(judged.findings("c2")[0].found)
    6 clinical hours in the week of 2026-03-02 as attended
    """
    np = _numpy()
    table = _Table(claims)
    if not isinstance(schedule, (Calendar, Mapping)):
        raise InvalidTypeError(
            "schedule", schedule, "a Calendar, or a mapping of client to Calendar"
        )
    if isinstance(ruleset, (list, tuple)):
        ruleset = _check_ruleset(ruleset)  # their union, as `validate` takes them
    if not isinstance(ruleset, (RuleSet, RuleSeries)):
        raise InvalidTypeError("ruleset", ruleset, "a RuleSet, a RuleSeries or a list of RuleSets")
    rows = table.rows
    # Clients, by first appearance.
    names = table.raw["client"]
    try:  # in C: the distinct ids in order, then each row's number
        index = {name: k for k, name in enumerate(dict.fromkeys(names))}
        codes: Sequence[int] = list(map(index.__getitem__, names))
    except TypeError:  # an unhashable id: the checks below name its row
        index = {}
        codes = []
        for name in names:
            try:
                codes.append(index.setdefault(name, len(index)))
            except TypeError:
                break
    for name in index:
        if type(name) is not str or not name:
            row = next(i for i, n in enumerate(names) if n == name)
            raise InvalidValueError(_field("client", row), name, "a client id (a non-empty string)")
    if len(codes) != rows:
        row = next(i for i, n in enumerate(names) if not isinstance(n, str))
        raise InvalidValueError(
            _field("client", row), names[row], "a client id (a non-empty string)"
        )
    client_of = np.array(codes, dtype=np.int64)
    if isinstance(schedule, Mapping):
        for name in schedule:
            if name not in index:
                if type(name) is not str or not name:
                    raise InvalidValueError(
                        "schedule", name, "client ids (non-empty strings) as keys"
                    )
                index[name] = len(index)
    clients = tuple(index)
    plans: dict[int, _CalendarPlan] = {}
    plan_of: list[_CalendarPlan] = []
    for name in clients:
        calendar = schedule if isinstance(schedule, Calendar) else schedule.get(name)
        if not isinstance(calendar, Calendar):
            found = next((i for i, n in enumerate(names) if n == name), None)
            raise InvalidValueError(
                "schedule" if found is None else _field("client", found),
                name,
                "a client the schedule gives a Calendar for",
            )
        plan = plans.get(id(calendar))
        if plan is None:
            plan = plans[id(calendar)] = _CalendarPlan(calendar, np)
        plan_of.append(plan)
    with _collector_paused():
        return _Judge(np, table, clients, client_of, plan_of, ruleset).result()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused (as it was found, after): bulk judgement makes
    a few objects per flagged client-week (its figures, findings and their explanations), all
    alive until it returns and none in a cycle, and each collection of the older generations
    would walk them all again: a quarter to a third of the bulk path's time. Reference counting
    still frees what is dropped; a cycle made meanwhile (by another thread) waits for the next
    collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Judge:
    """One call of `judge_client_weeks`: the rows matched to sessions, the client-weeks summed,
    the rules applied."""

    def __init__(  # noqa: PLR0917 (the call's parts)
        self,
        np: Any,
        table: _Table,
        clients: tuple[str, ...],
        client_of: NDArray[np.int64],
        plan_of: list[_CalendarPlan],
        ruleset: RuleSet | RuleSeries,
    ) -> None:
        self.np = np
        self.table = table
        self.clients = clients
        self.client_of = client_of
        self.plan_of = plan_of
        self.ruleset = ruleset
        rows = table.rows
        # Client-weeks: each client's calendar weeks, clients in order.
        sizes = np.array([len(plan.weeks) for plan in plan_of], dtype=np.int64)
        self.first = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.count = int(self.first[-1])
        self.week_plan = np.repeat(np.arange(len(clients)), sizes)
        self.week_index = np.arange(self.count) - self.first[self.week_plan]
        # Rank of each row among its client's rows (its position in the client's records).
        order = np.argsort(client_of, kind="stable")
        starts = np.searchsorted(client_of[order], np.arange(len(clients)))
        rank = np.empty(rows, dtype=np.int64)
        rank[order] = np.arange(rows) - starts[client_of[order]]
        self.rank = rank
        self.client_rows = order
        self.client_starts = np.append(starts, rows)
        self.plans = list({id(p): p for p in plan_of}.values())
        plan_number = {id(p): k for k, p in enumerate(self.plans)}
        self.plan_of_client = np.array([plan_number[id(p)] for p in plan_of], dtype=np.int64)
        self._read_rows()

    # ---- rows -------------------------------------------------------------------------------

    def _read_rows(self) -> None:
        np, table = self.np, self.table
        rows = table.rows
        statuses = table.raw["status"]
        try:
            self.status = np.fromiter(map(_STATUS_CODES.__getitem__, statuses), np.int64, rows)
        except (KeyError, TypeError):
            for i, value in enumerate(statuses):
                known = isinstance(value, (str, AttendanceStatus)) and value in _STATUS_CODES
                if not known:
                    raise InvalidValueError(
                        _field("status", i), value, "present, partial, absent or excused"
                    ) from None
            raise  # pragma: no cover (a status the loop accepts fails no look-up)
        self.extra = np.zeros(rows, dtype=bool)
        filled = np.flatnonzero(table.filled("extra", np))
        if len(filled):
            flags = table.cells("extra", np)[filled]
            if not set(map(type, flags)) <= {bool, np.bool_}:
                for i, value in zip(filled.tolist(), flags, strict=True):
                    if not isinstance(value, (bool, np.bool_)):
                        raise InvalidTypeError(_field("extra", i), value, "a bool (or empty)")
            self.extra[filled] = flags.astype(bool)
        self.session = np.full(rows, -1, dtype=np.int64)
        self.week = np.zeros(rows, dtype=np.int64)
        self.attended = np.zeros(rows, dtype=np.int64)
        self.weekday = np.zeros(rows, dtype=np.int64)
        self.span = np.zeros(rows, dtype=np.int64)
        self.row_program_day = np.zeros(rows, dtype=bool)
        self.templates: dict[int, Any] = {}
        self.extra_records: dict[int, AttendanceRecord] = {}
        self.extra_services: dict[int, Service] = {}
        self.services_read: dict[object, Service] = {}
        scheduled = np.flatnonzero(~self.extra)
        if "start" not in table.stamps:  # (a column kept as an array has no empty cell)
            start_us = table.instants["start"]
            for i in scheduled.tolist():
                if start_us[i] is None:
                    raise InvalidValueError(
                        _field("start", i), None, "the start of a scheduled session"
                    )
        for number, plan in enumerate(self.plans):
            rows_here = scheduled[self.plan_of_client[self.client_of[scheduled]] == number]
            if len(rows_here):
                self._match(plan, rows_here)
        self._check_once(scheduled)
        extras = np.flatnonzero(self.extra)
        if len(extras) and not self._read_extras(extras):
            for i in extras.tolist():  # row by row: the first problem, named as the row has it
                self._read_extra(i)
        self.cw = self.first[self.client_of] + self.week

    def _match(self, plan: _CalendarPlan, rows: NDArray[np.int64]) -> None:
        """Scheduled rows of clients on one calendar: each row's session, by its start."""
        np, table = self.np, self.table
        start_us = table.instants["start"]
        stamps = table.stamps.get("start")
        if stamps is not None:
            at = stamps[rows].astype(np.int64)
        else:
            at = np.array([start_us[i] for i in rows.tolist()], dtype=np.int64)
        slot = np.minimum(np.searchsorted(plan.starts, at), max(len(plan.starts) - 1, 0))
        found = plan.starts[slot] == at if len(plan.starts) else np.zeros(len(at), dtype=bool)
        if not found.all():
            bad = int(rows[np.flatnonzero(~found)[0]])
            client = _echo(self.clients[self.client_of[bad]], 40)
            raise InvalidValueError(
                _field("start", bad), table.get("start", bad),
                f"the start of a session of client {client}'s calendar (or a row marked extra)",
            )  # fmt: skip
        index = plan.order[slot]
        self.session[rows] = index
        self.week[rows] = plan.week_of[index]
        self.weekday[rows] = plan.weekday[index]
        self.row_program_day[rows] = plan.program_day[index]
        clinical = plan.clinical[index]
        length = plan.length[index]
        codes = self.status[rows]
        got = np.where(codes == _PRESENT, clinical, 0)
        spans = np.where(codes == _PRESENT, length, 0)
        hours = table.raw.get("attended_hours")
        if hours is not None:
            wrong = table.filled("attended_hours", np)[rows] & (codes != _PARTIAL)
            if wrong.any():
                k = int(np.flatnonzero(wrong)[0])
                raise InvalidValueError(
                    _field("attended_hours", int(rows[k])), hours[int(rows[k])],
                    f"empty unless status is partial (status is {_STATUSES[codes[k]].value})",
                )  # fmt: skip
        for k in np.flatnonzero(codes == _PARTIAL).tolist():
            i = int(rows[k])
            us = _partial_us(i, None if hours is None else hours[i], int(clinical[k]))
            got[k] = us
            # Python integers: microseconds times microseconds overflow 64 bits.
            spans[k] = us * int(length[k]) // int(clinical[k])
        self.attended[rows] = got
        self.span[rows] = spans

    def _check_once(self, scheduled: NDArray[np.int64]) -> None:
        """No two rows for one session of one client."""
        np = self.np
        if not len(scheduled):
            return
        key = self.client_of[scheduled] * (1 << 32) + self.session[scheduled]
        order = np.argsort(key, kind="stable")
        same = np.flatnonzero(key[order][1:] == key[order][:-1])
        if len(same):
            later = scheduled[order[same + 1]]
            earlier = scheduled[order[same]]
            k = int(np.argmin(later))
            raise InvalidValueError(
                _field("start", int(later[k])),
                self.table.get("start", int(later[k])),
                f"a session no other row of the client holds (row {int(earlier[k])} does)",
            )

    def _read_extras(self, rows: NDArray[np.int64]) -> bool:
        """Extra sessions' rows checked and read column by column, as `_read_extra` reads
        each; False, with nothing trusted, when a row has a problem (`_read_extra` names it)."""
        np, table = self.np, self.table
        ends = table.instants.get("end")
        index = rows.tolist()
        starts = [table.instants["start"][i] for i in index]
        stops = [None] if ends is None else [ends[i] for i in index]
        if None in starts or None in stops:
            return False
        start = np.array(starts, dtype=np.int64)
        length = np.array(stops, dtype=np.int64) - start
        codes = self.status[rows]
        partial = codes == _PARTIAL
        flags = table.filled("program_day", np)[rows]
        if (
            not ((length > 0) & (length <= _MAX_EXTRA_US)).all()
            or not (partial | (codes == _PRESENT)).all()
            or (table.filled("attended_hours", np)[rows] & ~partial).any()
        ):
            return False
        program_day = np.zeros(len(index), dtype=bool)
        if flags.any():
            given = table.cells("program_day", np)[rows[flags]]
            if not set(map(type, given)) <= {bool, np.bool_}:
                return False
            program_day[flags] = given.astype(bool)
        attended = length.copy()
        hours = table.raw.get("attended_hours")
        try:
            kinds = [self._service(i) for i in index]
            for k in np.flatnonzero(partial).tolist():
                i = index[k]
                attended[k] = _partial_us(i, None if hours is None else hours[i], int(length[k]))
        except (InvalidValueError, InvalidTypeError):
            return False
        days = self._extra_days(rows, cast("list[int]", starts))
        if days is None:
            return False
        week, weekday = days
        self.extra_services.update(zip(index, kinds, strict=True))
        self.week[rows] = week
        self.weekday[rows] = weekday
        self.attended[rows] = self.span[rows] = attended
        self.row_program_day[rows] = program_day
        return True

    def _extra_days(
        self, rows: NDArray[np.int64], starts: list[int]
    ) -> tuple[list[int], list[int]] | None:
        """Extra sessions' program weeks and weekdays in their clients' calendars (None when
        one falls outside its calendar)."""
        week, weekday = [], []
        for c, at in zip(self.client_of[rows].tolist(), starts, strict=True):
            plan = self.plan_of[c]
            calendar = plan.calendar
            low = (calendar.first.toordinal() - _EPOCH_ORDINAL - 1) * _US_PER_DAY
            high = (calendar.last.toordinal() + 2 - _EPOCH_ORDINAL) * _US_PER_DAY
            if not low <= at < high:
                return None
            day = _at(at, calendar.zone)
            if not calendar.first <= day.date() <= calendar.last:
                return None
            week.append((day.toordinal() - plan.monday0) // 7)
            weekday.append(day.weekday())
        return week, weekday

    def _read_extra(self, i: int) -> None:
        """An extra session's row, checked as `AttendanceRecord.extra` checks it (the record
        itself is built only when a rule needs it)."""
        table = self.table
        start = table.instants["start"][i]
        ends = table.instants.get("end")
        end = None if ends is None else ends[i]
        if start is None or end is None:
            column = "start" if start is None else "end"
            raise InvalidTypeError(
                _field(column, i), table.get(column, i), "a timezone-aware datetime"
            )
        length = end - start
        if length <= 0:
            raise InvalidValueError(_field("end", i), table.get("end", i), "after start")
        if length > _MAX_EXTRA_US:
            raise InvalidValueError(
                _field("end", i), table.get("end", i), "at most 24 hours after start (elapsed time)"
            )
        kind = self._service(i)
        code = int(self.status[i])
        if code not in (_PRESENT, _PARTIAL):
            raise InvalidValueError(
                _field("status", i), table.get("status", i),
                "present or partial for an extra session",
            )  # fmt: skip
        given = table.get("attended_hours", i)
        if code == _PARTIAL:
            attended = _partial_us(i, given, length)
        elif not _is_null(given):
            raise InvalidValueError(
                _field("attended_hours", i), given, "empty unless status is partial"
            )
        else:
            attended = length
        flag = table.get("program_day", i)
        if not _is_null(flag) and not isinstance(flag, (bool, self.np.bool_)):
            raise InvalidTypeError(_field("program_day", i), flag, "a bool (or empty)")
        plan = self.plan_of[self.client_of[i]]
        calendar = plan.calendar
        low = (calendar.first.toordinal() - _EPOCH_ORDINAL) * _US_PER_DAY - _US_PER_DAY
        high = (calendar.last.toordinal() + 2 - _EPOCH_ORDINAL) * _US_PER_DAY
        day = _at(start, calendar.zone) if low <= start < high else None
        if day is None or not calendar.first <= day.date() <= calendar.last:
            raise InvalidValueError(
                _field("start", i), table.get("start", i),
                f"a time within the calendar ({calendar.first} to {calendar.last})",
            )  # fmt: skip
        self.extra_services[i] = kind
        self.week[i] = (day.toordinal() - plan.monday0) // 7
        self.attended[i] = self.span[i] = attended
        self.weekday[i] = day.weekday()
        self.row_program_day[i] = bool(flag) if not _is_null(flag) else False

    def _service(self, i: int) -> Service:
        """An extra session's clinical service (individual therapy when empty)."""
        raw = self.table.get("service", i)
        if _is_null(raw):
            return Service.INDIVIDUAL_THERAPY
        known = self.services_read.get(raw) if isinstance(raw, (str, Service)) else None
        if known is None:
            try:
                known = check_enum(_field("service", i), raw, Service)
            except (InvalidValueError, InvalidTypeError):
                raise
            if known is Service.BREAK:
                raise InvalidValueError(_field("service", i), raw, "a clinical Service (not BREAK)")
            self.services_read[raw] = known
        return known

    def _extra_template(self, i: int) -> Any:
        """The weekly template of what an extra session's row attended, as `Attendance` makes
        it for rules."""
        template = self.templates.get(i)
        if template is None:
            zone = self.plan_of[self.client_of[i]].calendar.zone
            template = self.templates[i] = _extra_template(
                self.table.instants["start"][i] or 0, self.extra_services[i],
                int(self.attended[i]), bool(self.row_program_day[i]), zone,
            )  # fmt: skip
        return template

    def _extra_record(self, i: int) -> AttendanceRecord:
        """An extra session's row as its record (built once)."""
        record = self.extra_records.get(i)
        if record is not None:
            return record
        table = self.table
        given = table.get("attended_hours", i)
        attended = None
        if not _is_null(given):
            attended = _hours_duration(i, given)
        fields = {"start": table.get("start", i), "end": table.get("end", i)}
        service = table.get("service", i)
        program_day = table.get("program_day", i)
        try:
            record = self.extra_records[i] = AttendanceRecord.extra(
                fields["start"],
                fields["end"],
                service=Service.INDIVIDUAL_THERAPY if _is_null(service) else service,
                status=table.get("status", i),
                attended=attended,
                program_day=False if _is_null(program_day) else program_day,
            )
        except (InvalidValueError, InvalidTypeError) as error:
            head = error.field.split("[", 1)[0].split(".", 1)[0]
            column = "attended_hours" if head == "attended" else head
            raise type(error)(_field(column, i), error.value, error.expected) from None
        return record

    # ---- figures ----------------------------------------------------------------------------

    def _figures(self) -> None:
        np = self.np
        count = self.count
        planned = np.empty(count, dtype=np.int64)
        held = np.empty(count, dtype=np.int64)
        fraction = np.empty(count)
        for c, plan in enumerate(self.plan_of):
            lo, hi = int(self.first[c]), int(self.first[c + 1])
            planned[lo:hi] = plan.planned
            held[lo:hi] = plan.held
            fraction[lo:hi] = plan.fraction
        cw = self.cw
        given = self.attended > 0
        self.delivered = np.bincount(cw, weights=self.attended, minlength=count).astype(np.int64)
        recorded = np.bincount(cw[~self.extra], minlength=count)
        self.planned, self.fraction = planned, fraction
        self.complete = recorded == held
        self.unjudged = (fraction < 1) | ~self.complete
        self.sessions = np.bincount(cw[given], minlength=count)
        slot = cw * 7 + self.weekday
        self.day_us = np.bincount(slot[given], weights=self.attended[given], minlength=count * 7)
        self.day_span = np.bincount(slot[given], weights=self.span[given], minlength=count * 7)
        self.day_program = (
            np.bincount(slot[given & self.row_program_day], minlength=count * 7) > 0
        ).reshape(count, 7)
        self.days = self.day_program.sum(axis=1)
        # Sorted by client-week, then position among the client's rows.
        self.by_week = np.lexsort((self.rank, cw))
        self.week_rows = np.searchsorted(cw[self.by_week], np.arange(count + 1))
        # Python lists of what `_week` reads one value at a time (numpy scalars are slow).
        self.lists: dict[str, list[Any]] = {
            "attended": self.attended.tolist(),
            "session": self.session.tolist(),
            "rank": self.rank.tolist(),
            "by_week": self.by_week.tolist(),
            "week_rows": self.week_rows.tolist(),
            "week_plan": self.week_plan.tolist(),
            "week_index": self.week_index.tolist(),
            "complete": self.complete.tolist(),
        }

    # ---- judgement --------------------------------------------------------------------------

    def result(self) -> ClientWeeks:
        self._figures()
        ruleset = self.ruleset
        if isinstance(ruleset, RuleSet) and not ruleset.dated:
            findings = self._judged(ruleset)
        else:
            findings = [
                _findings(validate(self._attendance(c), ruleset).findings)
                for c in range(len(self.clients))
            ]
        mondays: list[date] = []
        for plan in self.plan_of:
            mondays.extend(week.monday for week in plan.weeks)
        return ClientWeeks._made(
            ruleset,
            self.clients,
            tuple(self.week_plan.tolist()),
            tuple(mondays),
            tuple(self.planned.tolist()),
            tuple(self.delivered.tolist()),
            tuple((self.fraction < 1).tolist()),
            tuple(self.complete.tolist()),
            tuple(self.first.tolist()),
            tuple(findings),
        )

    def _judged(self, ruleset: RuleSet) -> list[Findings]:
        from .rulesets._factories import _FACTORY_OF_CHECK  # noqa: PLC0415

        np = self.np
        per_client: list[list[Finding]] = [[] for _ in self.clients]
        applied_any: dict[int, bool] = {}
        groups: dict[tuple[Any, ...], list[int]] = {}
        for c, plan in enumerate(self.plan_of):
            program = plan.calendar.program
            groups.setdefault((program.level, program.population, program.track), []).append(c)
        self.weeks_cache: dict[int, WeekFigures] = {}
        self.attendances: dict[int, Attendance] = {}
        for (level, population, track), members in groups.items():
            entries, applied, _, _ = ruleset._scoped(level, Attendance, population, track)
            in_group = np.zeros(len(self.clients), dtype=bool)
            in_group[members] = True
            for rule, judged_at, note, mismatch in entries:
                if note is not None:
                    for c in members:
                        per_client[c].append(note)
                if mismatch is not None:
                    for c in members:
                        per_client[c].append(mismatch)
                    continue
                factory = _FACTORY_OF_CHECK.get(rule.check)
                for c, found in self._rule(
                    rule, factory, judged_at, population, track, members, in_group
                ):
                    per_client[c].extend(found)
            if not applied and all(entry[3] is None for entry in entries):
                for c in members:
                    applied_any[c] = False
        out = []
        for c, found in enumerate(per_client):
            if applied_any.get(c) is False:
                level = self.plan_of[c].calendar.program.level
                subject = self._attendance(c)
                found.append(
                    ruleset._memo(
                        ("nothing applies", level, Attendance),
                        partial(_nothing_applies, subject, ruleset, level),
                    )
                )
            out.append(_findings(tuple(found)))
        return out

    def _rule(  # noqa: PLR0917 (a rule and its scope)
        self,
        rule: Rule,
        factory: str | None,
        level: Any,
        population: Any,
        track: Any,
        members: list[int],
        in_group: NDArray[np.bool_],
    ) -> Iterator[tuple[int, list[Finding]]]:
        np = self.np
        params = rule.params
        member_weeks = in_group[self.week_plan]
        if factory in (
            "weekly_hours",
            "typical_weekly_hours",
            "days_per_week",
            "sessions_per_week",
        ):
            measure = {
                "weekly_hours": self.delivered,
                "typical_weekly_hours": self.delivered,
                "days_per_week": self.days,
                "sessions_per_week": self.sessions,
            }[factory]
            scale = _US_PER_HOUR if factory.endswith("hours") else 1
            flagged = _outside(params, measure, scale) & ~self.unjudged
            if factory == "weekly_hours":
                flagged |= self.unjudged
            yield from self._by_weeks(rule, level, population, track, flagged & member_weeks)
        elif factory == "daily_hours":
            values = (self.day_span if params.get("include_breaks") else self.day_us).reshape(-1, 7)
            flagged = (self.day_program & _outside(params, values, _US_PER_HOUR)).any(axis=1)
            yield from self._by_weeks(rule, level, population, track, flagged & member_weeks)
        elif factory == "service_every_day":
            wanted = frozenset(cast("tuple[Service, ...]", params["services"]))
            has = np.zeros(self.table.rows, dtype=bool)
            row_plan = self.plan_of_client[self.client_of]
            for number, plan in enumerate(self.plans):
                hit = np.array(
                    [bool(wanted.intersection(s.session.services)) for s in plan.sessions] + [False]
                )
                mine = np.flatnonzero(~self.extra & (row_plan == number))
                has[mine] = hit[self.session[mine]]
            for i, kind in self.extra_services.items():
                has[i] = kind in wanted
            given = self.attended > 0
            slot = self.cw * 7 + self.weekday
            served = (np.bincount(slot[given & has], minlength=self.count * 7) > 0).reshape(-1, 7)
            flagged = (self.day_program & ~served).any(axis=1)
            yield from self._by_weeks(rule, level, population, track, flagged & member_weeks)
        elif factory == "days_without_service":
            limit = params["at_most"]
            service = (self.day_us > 0).reshape(-1, 7)
            for c in members:
                lo, hi = int(self.first[c]), int(self.first[c + 1])
                days = np.flatnonzero(service[lo:hi].ravel())
                gap = (hi - lo) * 7 if not len(days) else int(np.diff(days).max(initial=1)) - 1
                if gap > limit:  # type: ignore[operator]
                    weeks = tuple(self._week(k) for k in range(lo, hi))
                    yield c, self._apply(rule, level, population, track, None, weeks)
        elif factory == "attendance_rate":
            goal = params["at_least"]
            scheduled = ~self.extra
            counted = scheduled & (self.status != _EXCUSED)
            went = counted & (self.status != _ABSENT)
            total = np.bincount(self.client_of[counted], minlength=len(self.clients))
            kept = np.bincount(self.client_of[went], minlength=len(self.clients))
            for c in members:
                if total[c] and kept[c] / total[c] < goal:
                    yield c, self._apply(rule, level, population, track, self._attendance(c), None)
        else:
            for c in members:
                yield c, self._apply(rule, level, population, track, self._attendance(c), None)

    def _by_weeks(
        self, rule: Rule, level: Any, population: Any, track: Any, flagged: NDArray[np.bool_]
    ) -> Iterator[tuple[int, list[Finding]]]:
        np = self.np
        hits = np.flatnonzero(flagged)
        if not len(hits):
            return
        owners = self.week_plan[hits]
        cuts = (np.flatnonzero(np.diff(owners)) + 1).tolist()
        flat, clients = hits.tolist(), owners.tolist()
        for lo, hi in zip([0, *cuts], [*cuts, len(flat)], strict=True):
            weeks = tuple(self._week(k) for k in flat[lo:hi])
            yield clients[lo], self._apply(rule, level, population, track, None, weeks)

    def _apply(  # noqa: PLR0917 (a rule and its scope)
        self,
        rule: Rule,
        level: Any,
        population: Any,
        track: Any,
        subject: Attendance | None,
        weeks: tuple[WeekFigures, ...] | None,
    ) -> list[Finding]:
        shared: dict[str, Any] = {} if weeks is None else {"weeks": weeks}
        ruleset = self.ruleset
        assert isinstance(ruleset, RuleSet)
        return _apply(RuleContext(subject, rule, ruleset, level, population, track, shared))

    def _week(self, k: int) -> WeekFigures:
        """Client-week `k` as `Attendance` gives it to rules."""
        cached = self.weeks_cache.get(k)
        if cached is not None:
            return cached
        lists = self.lists
        plan = self.plan_of[lists["week_plan"][k]]
        attended, session, rank = lists["attended"], lists["session"], lists["rank"]
        entries = []
        for i in lists["by_week"][lists["week_rows"][k] : lists["week_rows"][k + 1]]:
            us = attended[i]
            if us <= 0:
                continue
            number = session[i]
            template = plan.templates[number] if number >= 0 else self._extra_template(i)
            entries.append((template._start_us // _US_PER_DAY, us, rank[i], template))
        w = lists["week_index"][k]
        figures = _week_figures(
            plan.labels[w],
            plan.paths[w],
            tuple(entries),
            plan.fractions[w],
            "records",
            "" if lists["complete"][k] else _UNRECORDED,
            plan.weeks[w].first,
        )
        self.weeks_cache[k] = figures
        return figures

    def _attendance(self, c: int) -> Attendance:
        """Client `c`'s rows as one `Attendance`, for rules judged one client at a time."""
        cached: Attendance | None = getattr(self, "attendances", {}).get(c)
        if cached is not None:
            return cached
        plan = self.plan_of[c]
        records = []
        rows = self.client_rows[self.client_starts[c] : self.client_starts[c + 1]]
        for i in rows.tolist():
            if self.extra[i]:
                records.append(self._extra_record(i))
                continue
            status = _STATUSES[int(self.status[i])]
            partial = status is AttendanceStatus.PARTIAL
            records.append(
                AttendanceRecord(
                    plan.sessions[int(self.session[i])],
                    status,
                    attended=timedelta(microseconds=int(self.attended[i])) if partial else None,
                )
            )
        attendance = Attendance(plan.calendar, records, client_id=self.clients[c])
        if hasattr(self, "attendances"):
            self.attendances[c] = attendance
        return attendance


def _hours_duration(row: int, given: object) -> timedelta:
    if isinstance(given, bool) or not isinstance(given, (int, float)) or not math.isfinite(given):
        raise InvalidValueError(_field("attended_hours", row), given, "a number of hours")
    return timedelta(microseconds=round(given * _US_PER_HOUR))


def _partial_us(row: int, given: object, clinical: int) -> int:
    if _is_null(given):
        raise InvalidValueError(
            _field("attended_hours", row), given, "the clinical hours attended, for partial"
        )
    us = _us(_hours_duration(row, given))
    if not 0 < us < clinical:
        raise InvalidValueError(
            _field("attended_hours", row), given,
            f"more than 0 and less than the session's {clinical / _US_PER_HOUR:g} clinical hours",
        )  # fmt: skip
    return us
