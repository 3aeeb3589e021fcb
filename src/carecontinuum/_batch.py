"""Batch judgement: `classify_many` and `validate_many` judge many program designs at once,
column-wise where the rules are the factory rules, with the answers `classify` and `validate`
give design by design.

How: designs are reduced to columns. Each design's week is a *shape* (its sessions: the same
for every design of a table that shares days, session length and start), measured once through
`weeks_of`, the figures every rule reads; a design is a row with its shape, its level,
population and track, and its length in weeks. Each factory rule is then decided for every
shape (and, for program length, every row) at once with numpy, reading its thresholds from the
rule's own `params` through the factories' own helpers: the same numbers, the same comparisons
as the rule's check. Scoping (which rules judge at which level, crosswalk notes,
``LEVEL-MISMATCH``, "nothing applies", the levels `classify` tries) comes from the rule set's own
plans, as `validate` and `classify` read them. A rule that is not a factory rule (a custom
check), and a design whose week is not one repeating week, are judged per object. A report is
built when it is read; a design with findings gets them from the per-object path, so their text
is what `validate` writes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar, cast, overload

from ._columns import Columns, register_table
from ._errors import CareContinuumError, InvalidTypeError, InvalidValueError
from ._levels import Continuum, LevelOfCare
from ._measures import WeekFigures, weeks_of
from ._program import Population, ProgramStructure, Service, Track
from ._rules import (
    Classification,
    Rule,
    RuleContext,
    RuleSeries,
    RuleSet,
    Severity,
    ValidationReport,
    _candidates,
    _check_ruleset,
    _closed,
    _covers,
    _judge,
    _Scoped,
    classify,
    validate,
)
from ._validators import check_day, trusted
from .rulesets import _factories as _f
from .rulesets import _per_diem

_T = TypeVar("_T")

__all__ = [
    "ClassifiedDesigns",
    "DesignTable",
    "ValidatedDesigns",
    "classify_many",
    "validate_many",
]

#: The columns of a table of weekly designs: the arguments of `ProgramStructure.weekly`.
_REQUIRED = ("level", "days", "hours_per_session", "weeks")
_OPTIONAL = (
    "population",
    "track",
    "start",
    "services",
    "name",
    "delivery_mode",
    "modalities",
    "overnight",
)
_COLUMNS = (*_REQUIRED, *_OPTIONAL)
#: The columns that make a design's week (its sessions); the others do not change it.
_SHAPE_COLUMNS = ("days", "hours_per_session", "start", "services", "overnight")
#: Columns of names and labels (strings, or members), looked up by value directly: their values
#: neither compare equal across types nor hash slowly.
_BY_VALUE = frozenset({"population", "track", "start", "name", "delivery_mode"})
#: Columns whose values may come as lists from a table (a list column): read as tuples.
_LIST_COLUMNS = frozenset({"days", "services", "modalities", "weeks"})

#: The most levels `classify_many` tries for a design column-wise: one bit each in an int64.
_MAX_CANDIDATES = 62

_SERVICE_BITS = {service: 1 << i for i, service in enumerate(Service)}


def _numpy() -> Any:
    from ._dicts import MissingExtraError  # noqa: PLC0415 (the error path of an optional extra)

    try:
        import numpy  # noqa: PLC0415 (an optional extra, loaded by the batch path only)
    except ImportError:  # pragma: no cover - numpy is in the test extra
        raise MissingExtraError("numpy", "batch", "classify_many() and validate_many()") from None
    return numpy


# ---- designs as columns ---------------------------------------------------------------------


class _Designs:
    """Designs as columns: per row its profile (level, population, track, as an index into
    `profiles`), its shape (an index into the shape table), its length in weeks, and how to
    build the design itself; rows whose design is judged per object are flagged."""

    def __init__(
        self,
        *,
        count: int,
        build: Callable[[int], ProgramStructure],
        profiles: list[tuple[LevelOfCare, Population, Track]],
        row_profile: Any,
        shapes: list[ProgramStructure],
        row_shape: Any,
        min_weeks: Any,
        max_weeks: Any,
        whole: Any,
    ) -> None:
        self.count = count
        self.build = build
        self.profiles = profiles
        self.row_profile = row_profile
        self.shapes = shapes
        self.row_shape = row_shape
        self.min_weeks = min_weeks
        self.max_weeks = max_weeks
        #: Rows judged per object, whole (not one repeating week, or not exactly a
        #: ProgramStructure).
        self.whole = whole
        self._measured: tuple[_Measures, Any] | None = None

    def measured(self) -> tuple[_Measures, Any]:
        """The shapes' figures, and the rows whose week does not repeat (judged per object):
        measured once, whatever rule sets then judge the designs."""
        if self._measured is None:
            measures = _Measures(self.shapes)
            self._measured = (measures, _irregular_rows(measures, self))
        return self._measured


def _designs(designs: object, continuum: Continuum | None) -> _Designs:
    if isinstance(designs, DesignTable):
        if continuum is not None:
            raise InvalidValueError(
                "continuum", continuum, "None for a DesignTable (it was read with its own)"
            )
        return designs._designs
    if isinstance(designs, Mapping):
        return _from_columns(dict(designs), continuum)
    if _is_frame(designs):
        return _from_columns(_frame_columns(designs), continuum)
    if isinstance(designs, (str, bytes)) or not isinstance(designs, Iterable):
        raise InvalidTypeError(
            "designs",
            designs,
            "ProgramStructures (an iterable of them), a table of weekly designs (a DataFrame) "
            "or a dict of column lists",
        )
    if continuum is not None:
        raise InvalidValueError(
            "continuum", continuum, "None for designs given as ProgramStructures"
        )
    return _from_programs(list(designs))


def _is_frame(value: object) -> bool:
    """Whether `value` looks like a DataFrame of some library (read through narwhals)."""
    return any(
        hasattr(value, name)
        for name in ("__narwhals_dataframe__", "__dataframe__", "__arrow_c_stream__")
    ) or type(value).__module__.partition(".")[0] in {"pandas", "polars", "pyarrow", "modin"}


def _frame_columns(frame: object) -> dict[str, list[Any]]:
    from ._dicts import MissingExtraError  # noqa: PLC0415 (the error path of an optional extra)

    try:
        import narwhals.stable.v2 as nw  # noqa: PLC0415 (an optional extra: tables only)
    except ImportError:  # pragma: no cover - narwhals is in the test extra
        raise MissingExtraError(
            "narwhals", "batch", "classify_many() and validate_many() of a DataFrame"
        ) from None
    try:
        table = nw.from_native(cast("Any", frame), eager_only=True)
    except TypeError:
        raise InvalidTypeError(
            "designs", frame, "an eager DataFrame (pandas, polars, pyarrow) of weekly designs"
        ) from None
    return {str(name): table[name].to_list() for name in table.columns}


def _from_programs(items: list[object]) -> _Designs:
    np = _numpy()
    count = len(items)
    profile_index: dict[tuple[Any, ...], int] = {}
    shape_index: dict[tuple[Any, ...], int] = {}
    shapes: list[ProgramStructure] = []
    row_profile = np.zeros(count, dtype=np.int64)
    row_shape = np.zeros(count, dtype=np.int64)
    min_weeks = np.zeros(count, dtype=np.int64)
    max_weeks = np.zeros(count, dtype=np.int64)
    whole = np.zeros(count, dtype=np.bool_)
    for i, program in enumerate(items):
        if not isinstance(program, ProgramStructure):
            raise InvalidTypeError(f"designs[{i}]", program, "a ProgramStructure")
        if type(program) is not ProgramStructure:
            whole[i] = True
            continue
        row_profile[i] = profile_index.setdefault(
            (program.level, program.population, program.track), len(profile_index)
        )
        sessions = program.sessions
        shape = shape_index.get(sessions)
        if shape is None:
            shape = shape_index[sessions] = len(shapes)
            shapes.append(program)
        row_shape[i] = shape
        min_weeks[i] = program.min_weeks
        max_weeks[i] = program.max_weeks
    return _Designs(
        count=count,
        build=items.__getitem__,  # type: ignore[arg-type]
        profiles=list(profile_index),
        row_profile=row_profile,
        shapes=shapes,
        row_shape=row_shape,
        min_weeks=min_weeks,
        max_weeks=max_weeks,
        whole=whole,
    )


def _rename(error: CareContinuumError, column: str, row: int) -> CareContinuumError:
    """`error`, raised for the value of `column` in `row`, as the caller wrote the table: the
    field named by column and row (``days[3][1]``: the second day of row 3)."""
    field = getattr(error, "field", None)
    if isinstance(field, str) and type(error) in {InvalidTypeError, InvalidValueError}:
        root, bracket, rest = field.partition("[")
        if root in _COLUMNS:
            named = f"{root}[{row}]" + (bracket + rest if bracket else "")
        else:
            named = f"{column}[{row}]"
        return type(error)(named, error.value, error.expected)  # type: ignore[attr-defined]
    error.add_note(f"in row {row} of the designs (column {column!r})")
    return error


def _factorize(column: str, values: list[Any]) -> tuple[Any, list[Any], list[int]]:
    """The codes of a column's values (0, 1, ... by first appearance), its distinct values (a
    list read as a tuple) and the row each first appears in.

    Strings and numbers are looked up by value; any other value (a level, a list, a tuple) by
    identity first, then the distinct objects merged by value: a table built from a grid's
    options repeats the same objects, and hashing a level hashes all its fields."""
    np = _numpy()
    if column in _BY_VALUE:
        # Strings (or members) hash cheaply and exactly: looked up by value at once, without
        # a pass for their types; a value that does not hash goes the general way below.
        try:
            raw, rows = _codes_by_value(column, values, range(len(values)), set())
        except InvalidTypeError:
            pass
        else:
            return _dense(raw, rows), [values[r] for r in rows], rows
    kinds = set(map(type, values))
    if kinds <= _PLAIN and tuple not in kinds:
        # Scalars (keyed by type and value where types mix): looked up by value at once.
        raw, rows = _codes_by_value(column, values, range(len(values)), kinds)
        return _dense(raw, rows), [values[r] for r in rows], rows
    by_id: dict[int, int] = {}
    raw = np.fromiter(map(by_id.setdefault, map(id, values), itertools.count()), np.int64,
                      len(values))  # fmt: skip
    objects = list(by_id.values())
    distinct_objects = [values[r] for r in objects]
    if column in _LIST_COLUMNS:
        distinct_objects = [tuple(v) if type(v) is list else v for v in distinct_objects]
    merged_raw, merged_rows = _codes_by_value(
        column, distinct_objects, objects, set(map(type, distinct_objects))
    )
    merged = _dense(merged_raw, merged_rows)
    codes = merged[_dense(raw, objects)]
    rows = [objects[i] for i in merged_rows]
    return codes, [distinct_objects[i] for i in merged_rows], rows


def _factorize_all(columns: dict[str, list[Any]]) -> dict[str, tuple[Any, list[Any], list[int]]]:
    """`_factorize` of each column, reading the rows twice rather than once a column: the
    columns looked up by value together (their values as one key), and those looked up by
    identity together (their objects' ids as one key); then each column's values among the
    distinct keys (few: a table repeats its options) factorized alone, as `_factorize` would.
    A value that does not hash sends its group back to one column at a time, which names it.
    """
    np = _numpy()
    by_value: list[tuple[str, str]] = []  # (column, how its values are keyed)
    by_identity: list[tuple[str, str]] = []
    for name, values in columns.items():
        if name in _BY_VALUE:
            by_value.append((name, "value"))
            continue
        kinds = set(map(type, values))
        if not (kinds <= _PLAIN and tuple not in kinds):
            by_identity.append((name, "identity"))
        else:  # where types mix, keyed by type and value, as `_codes_by_value` keys them
            by_value.append((name, "typed" if len(kinds) > 1 else "value"))
    found: dict[str, tuple[Any, list[Any], list[int]]] = {}
    for group in (by_value, by_identity):
        alone = len(group) < 2  # nothing to share
        if not alone:
            index: dict[Any, int] = {}
            keys = zip(*(_keys(how, columns[name]) for name, how in group), strict=True)
            count = len(columns[group[0][0]])
            try:
                raw = np.fromiter(map(index.setdefault, keys, itertools.count()), np.int64, count)
            except TypeError:  # a value that does not hash: its column alone names it
                alone = True
        if alone:
            found.update((name, _factorize(name, columns[name])) for name, _ in group)
            continue
        rows = list(index.values())
        combination = _dense(raw, rows)
        for name, _ in group:
            values = columns[name]
            codes, distinct, firsts = _factorize(name, [values[row] for row in rows])
            found[name] = (codes[combination], distinct, [rows[i] for i in firsts])
    return {name: found[name] for name in columns}


def _keys(how: str, values: list[Any]) -> Iterable[Any]:
    """A column's values as keys: by value, by type and value ("typed"), by type and value
    with each tuple's items typed ("parts", `_typed_key`), or by the identity of each object."""
    if how == "identity":
        return map(id, values)
    if how == "typed":
        return zip(map(type, values), values, strict=True)
    if how == "parts":
        return map(_typed_key, values)
    return values


def _codes_by_value(
    column: str, values: list[Any], rows: Sequence[int], kinds: set[type]
) -> tuple[Any, list[int]]:
    """Each value's code as the position of its first equal, and those positions. Where types
    mix, and in tuples, equal means of the same type and value, part by part (`_typed_key`):
    values equal across types may not stand for one another."""
    np = _numpy()
    keys = _keys("parts" if tuple in kinds else "typed" if len(kinds) > 1 else "value", values)
    index: dict[Any, int] = {}
    try:
        raw = np.fromiter(map(index.setdefault, keys, itertools.count()), np.int64, len(values))
    except TypeError:
        for position, value in enumerate(values):
            try:
                hash(value)
            except TypeError:
                raise InvalidTypeError(
                    f"{column}[{rows[position]}]",
                    value,
                    f"a value ProgramStructure.weekly takes as {column}",
                ) from None
        raise  # pragma: no cover - a value that hashes once and fails another time
    return raw, list(index.values())


def _typed_key(value: object) -> object:
    """`value` with its type, and a tuple with the type of each item, so that values equal
    across types (1, 1.0, True, a `WeekDay`; tuples of them) that the constructor may take
    differently are told apart. One level is enough, and bounded however deep a hostile value
    nests: the constructor takes no tuple within a tuple, and a tuple equals only a tuple, so
    a value equal to one it takes holds none either."""
    if type(value) is tuple:
        return (tuple, tuple(map(type, value)), value)
    return (type(value), value)


#: The types of value a column's values are looked up by directly (cheap, exact hashes).
_PLAIN = frozenset({str, int, float, bool, tuple, type(None)})


def _dense(raw: Any, rows: list[int]) -> Any:
    """Codes numbered by row of first appearance made 0, 1, 2, ... in that order."""
    np = _numpy()
    lookup = np.zeros(len(raw), dtype=np.int64)
    lookup[np.asarray(rows, dtype=np.int64)] = np.arange(len(rows), dtype=np.int64)
    return lookup[raw]


def _unique(keys: Any) -> tuple[Any, Any]:
    """`np.unique(keys, return_inverse=True)` for non-negative int keys, by counting when they
    are small (a profile, a pattern of levels): no sort of a million rows."""
    np = _numpy()
    if not len(keys) or int(keys.max()) >= 1 << 20:
        unique, inverse = np.unique(keys, return_inverse=True)
        return unique, inverse.reshape(-1)
    present = np.flatnonzero(np.bincount(keys))
    lookup = np.zeros(int(present[-1]) + 1, dtype=np.int64)
    lookup[present] = np.arange(len(present), dtype=np.int64)
    return present, lookup[keys]


def _first_rows(codes: Any) -> list[int]:
    """The row each code of `codes` (0, 1, ... each present) first appears in, in code order:
    what ``np.unique(codes, return_index=True)[1]`` gives, without sorting the rows."""
    np = _numpy()
    count = len(codes)
    first = np.full(int(codes.max()) + 1 if count else 0, count, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(count, dtype=np.int64))
    return first.tolist()  # type: ignore[no-any-return]


def _from_columns(table: dict[Any, Any], continuum: Continuum | None) -> _Designs:
    np = _numpy()
    for name in table:
        if name not in _COLUMNS:
            raise InvalidValueError(
                "designs",
                name,
                "columns named as ProgramStructure.weekly's arguments: " + ", ".join(_COLUMNS),
            )
    for name in _REQUIRED:
        if name not in table:
            raise InvalidValueError(
                "designs", sorted(map(str, table)), f"a column {name!r} (the designs' {name})"
            )
    columns: dict[str, list[Any]] = {}
    for name, values in table.items():
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
            raise InvalidTypeError(name, values, "a column: a list of one value per design")
        columns[name] = list(values)
    count = len(columns["level"])
    for name, values in columns.items():
        if len(values) != count:
            raise InvalidValueError(
                name, f"{len(values):,} values", f"{count:,} values, one per design (as 'level')"
            )

    read = _read(columns, continuum)
    levels, level_code, profiles, row_profile, shapes, row_shape, min_weeks, max_weeks = read[:8]
    # Designs are built from the distinct values read (lists as tuples), not from the caller's
    # columns: a list the caller changes later does not change a design.
    codes, distinct = read[8], read[9]
    optional = [(name, codes[name], distinct[name]) for name in _OPTIONAL if name in codes]
    required = [(name, codes[name], distinct[name]) for name in _REQUIRED[1:]]

    def build(row: int) -> ProgramStructure:
        given = {name: values[code[row]] for name, code, values in required}
        for name, code, values in optional:
            value = values[code[row]]
            if value is not None:
                given[name] = value
        return ProgramStructure.weekly(levels[int(level_code[row])], **given)

    return _Designs(
        count=count,
        build=build,
        profiles=profiles,
        row_profile=row_profile,
        shapes=shapes,
        row_shape=row_shape,
        min_weeks=min_weeks,
        max_weeks=max_weeks,
        whole=np.zeros(count, dtype=np.bool_),
    )


def _arguments(columns: dict[str, list[Any]], row: int, names: Iterable[str]) -> dict[str, Any]:
    """Row `row`'s values of the columns `names` that it has (None: the argument's default)."""
    found = {}
    for name in names:
        if name in columns:
            value = columns[name][row]
            if value is not None:
                found[name] = (
                    tuple(value) if name in _LIST_COLUMNS and type(value) is list else value
                )
    return found


def _read(columns: dict[str, list[Any]], continuum: Continuum | None) -> tuple[Any, ...]:
    """A table's columns read: the levels, each row's profile and shape, the lengths; each
    distinct value checked once by `ProgramStructure.weekly` (errors name its first row)."""
    np = _numpy()
    codes: dict[str, Any] = {}
    distinct: dict[str, list[Any]] = {}
    firsts: dict[str, list[int]] = {}
    for name, factorized in _factorize_all(columns).items():
        codes[name], distinct[name], firsts[name] = factorized
    for name in _REQUIRED:
        for row, value in zip(firsts[name], distinct[name], strict=True):
            if value is None:
                raise InvalidValueError(
                    f"{name}[{row}]", value, f"the design's {name.replace('_', ' ')}"
                )
    levels = _read_levels(distinct["level"], firsts["level"], continuum)

    # Each other column's distinct values, checked by the constructor; population and track
    # read as the members they spell, weeks as their range.
    members = {
        name: [_probe(columns, levels[0], row, [name], name) for row in firsts[name]]
        for name in ("population", "track", "weeks", "name", "delivery_mode", "modalities")
        if name in columns
    }
    parts = []
    for name, default in (("population", Population.ADULT), ("track", Track.SUBSTANCE_USE)):
        order = list(type(default))
        if name in members:
            spelt = [order.index(getattr(p, name)) for p in members[name]]
            parts.append(np.asarray(spelt, dtype=np.int64)[codes[name]])
        else:
            parts.append(np.full(len(codes["level"]), order.index(default), dtype=np.int64))
    weeks = members["weeks"]
    min_weeks = np.asarray([p.min_weeks for p in weeks], dtype=np.int64)[codes["weeks"]]
    max_weeks = np.asarray([p.max_weeks for p in weeks], dtype=np.int64)[codes["weeks"]]

    # Shapes: each distinct combination of the columns that make the week, built once.
    key = np.zeros(len(codes["level"]), dtype=np.int64)
    for name in _SHAPE_COLUMNS:
        if name in codes:
            key = _unique(key * len(distinct[name]) + codes[name])[1]
    first_rows = _first_rows(key)
    shapes = [_probe(columns, levels[0], row, _SHAPE_COLUMNS, "days") for row in first_rows]
    row_shape = key

    level_code = codes["level"]
    profile_key = (level_code * len(Population) + parts[0]) * len(Track) + parts[1]
    unique_profiles, row_profile = _unique(profile_key)
    profiles = []
    for value in unique_profiles.tolist():
        rest, track = divmod(value, len(Track))
        level, population = divmod(rest, len(Population))
        profiles.append((levels[level], list(Population)[population], list(Track)[track]))
    return (levels, level_code, profiles, row_profile, shapes, row_shape, min_weeks, max_weeks,
            codes, distinct)  # fmt: skip


def _read_levels(
    values: list[Any], rows: list[int], continuum: Continuum | None
) -> list[LevelOfCare]:
    """A level column's distinct values as levels (codes looked up in `continuum`)."""
    levels = []
    for value, row in zip(values, rows, strict=True):
        level = value
        if isinstance(value, str) and continuum is not None:
            try:
                level = continuum[value]
            except CareContinuumError as error:
                raise _rename(error, "level", row) from None
        if not isinstance(level, LevelOfCare):
            raise InvalidTypeError(
                f"level[{row}]",
                value,
                "a LevelOfCare (or a level code, with continuum= the continuum it is of)",
            )
        levels.append(level)
    return levels


def _probe(
    columns: dict[str, list[Any]],
    level: LevelOfCare,
    row: int,
    names: Iterable[str],
    column: str,
) -> ProgramStructure:
    """The design `ProgramStructure.weekly` builds from row `row`'s values of `names` (the
    others at a plain default): the library's own checks, once per distinct value."""
    given = {"days": "mon", "hours_per_session": 1, "weeks": 1, **_arguments(columns, row, names)}
    try:
        return ProgramStructure.weekly(level, **given)
    except CareContinuumError as error:
        raise _rename(error, column, row) from None


# ---- the measures of each shape, as columns --------------------------------------------------


class _Measures:
    """The figures the factory rules read, one entry per shape (numpy columns): clinical and
    program time each weekday, the program days, sessions, services each day, the shortest and
    longest program-day session. Shapes whose week is not one repeating week are `irregular`
    (their designs are judged per object)."""

    def __init__(self, shapes: list[ProgramStructure]) -> None:
        np = _numpy()
        count = len(shapes)
        self.week_us = np.zeros(count, dtype=np.int64)
        self.day_us = np.zeros((count, 7), dtype=np.int64)
        self.span_us = np.zeros((count, 7), dtype=np.int64)
        self.program_day = np.zeros((count, 7), dtype=np.bool_)
        self.services = np.zeros((count, 7), dtype=np.int64)
        self.days = np.zeros(count, dtype=np.int64)
        self.sessions = np.zeros(count, dtype=np.int64)
        self.session_low = np.zeros(count, dtype=np.int64)
        self.session_high = np.zeros(count, dtype=np.int64)
        self.has_session = np.zeros(count, dtype=np.bool_)
        self.irregular = np.zeros(count, dtype=np.bool_)
        self.gap_flags = np.zeros(count, dtype=np.int64)
        #: Each shape's week (None for an irregular shape), for rules read per shape.
        self.weeks: list[WeekFigures | None] = [None] * count
        for s, program in enumerate(shapes):
            weeks = weeks_of(program)
            if len(weeks) != 1 or weeks[0].why_unjudged:
                self.irregular[s] = True
                continue
            (week,) = weeks
            self.weeks[s] = week
            self.week_us[s] = week.clinical_us
            self.day_us[s] = week.day_us
            self.span_us[s] = week.day_span_us
            for day in week.program_days:
                self.program_day[s, day] = True
                self.services[s, day] = sum(_SERVICE_BITS[x] for x in week.services_on(day))
            self.days[s] = week.days
            self.sessions[s] = week.sessions
            self.gap_flags[s] = sum(1 << d for d, us in enumerate(week.day_us) if us > 0)
            lengths = [x._clinical_us for x in program.sessions if x.program_day]
            if lengths:
                self.has_session[s] = True
                self.session_low[s] = min(lengths)
                self.session_high[s] = max(lengths)
        self.unique_week_us, self.week_code = np.unique(self.week_us, return_inverse=True)
        self.week_code = self.week_code.reshape(-1)


def _irregular_rows(measures: _Measures, designs: _Designs) -> Any:
    """For each row, whether its design's week is irregular (False for rows judged whole)."""
    np = _numpy()
    rows = np.zeros(designs.count, dtype=np.bool_)
    kept = ~designs.whole
    rows[kept] = measures.irregular[designs.row_shape[kept]]
    return rows


def _outside(rule_params: Mapping[str, object], value: Any, scale: float = 1.0) -> Any:
    """`_factories._outside` over a column: True where `value` lies outside the rule's bounds
    (the same comparisons, the same thresholds)."""
    np = _numpy()
    low, high, below = (rule_params.get(k) for k in ("at_least", "at_most", "less_than"))
    out = np.zeros(value.shape, dtype=np.bool_)
    if low is not None:
        out |= value < low * scale  # type: ignore[operator]
    if high is not None:
        out |= value > high * scale  # type: ignore[operator]
    if below is not None:
        out |= value >= below * scale  # type: ignore[operator]
    return out


def _weekly_hours(context: RuleContext, m: _Measures) -> Any:
    return _outside(context.rule.params, m.week_us, _f._US_PER_HOUR)


def _typical_weekly_hours(context: RuleContext, m: _Measures) -> Any:
    np = _numpy()
    side = _outside(context.rule.params, m.unique_week_us, _f._US_PER_HOUR)
    # A week outside the level's own band is left to the band's rule (as the check does).
    own = _f._own_bands(context._scope())
    keep = np.asarray(
        [
            bool(out) and not _f._outside_own_band(own, _f._hours(int(us)))
            for out, us in zip(side.tolist(), m.unique_week_us.tolist(), strict=True)
        ],
        dtype=np.bool_,
    )
    return keep[m.week_code]


def _daily_hours(context: RuleContext, m: _Measures) -> Any:
    values = m.span_us if context.rule.params.get("include_breaks") else m.day_us
    return (_outside(context.rule.params, values, _f._US_PER_HOUR) & m.program_day).any(axis=1)


def _days_per_week(context: RuleContext, m: _Measures) -> Any:
    return _outside(context.rule.params, m.days)


def _sessions_per_week(context: RuleContext, m: _Measures) -> Any:
    return _outside(context.rule.params, m.sessions)


def _days_without_service(context: RuleContext, m: _Measures) -> Any:
    np = _numpy()
    limit = context.param("at_most")
    # The longest gap of each of the 128 weekday patterns, by the check's own function.
    table = np.asarray(
        [_f._longest_gap([bool(mask >> d & 1) for d in range(7)], True)[0] > limit
         for mask in range(128)],
        dtype=np.bool_,
    )  # fmt: skip
    return table[m.gap_flags]


def _service_every_day(context: RuleContext, m: _Measures) -> Any:
    wanted = sum(_SERVICE_BITS[s] for s in frozenset(context.param("services")))
    return (m.program_day & ((m.services & wanted) == 0)).any(axis=1)


def _session_hours(context: RuleContext, m: _Measures) -> Any:
    params = context.rule.params
    outside = _outside(params, m.session_low, _f._US_PER_HOUR) | _outside(
        params, m.session_high, _f._US_PER_HOUR
    )
    return outside & m.has_session


def _per_diem_tiers(context: RuleContext, m: _Measures) -> tuple[Any, Any]:
    """``MEDICARE-PER-DIEM-TIERS`` per shape: one finding always; a WARNING when a program day
    holds fewer than 3 units, else of the rule's severity (by the check's own functions)."""
    np = _numpy()
    unit_us = _per_diem._unit_us(context.param("unit_minutes"))
    below = np.asarray(
        [
            week is not None
            and any(
                _per_diem._tier(units) is _per_diem.PerDiemTier.BELOW_THREE
                for units in _per_diem._day_units(week, unit_us).values()
            )
            for week in m.weeks
        ],
        dtype=np.bool_,
    )
    found = np.ones(len(m.weeks), dtype=np.bool_)
    return found, ~below & (context.rule.severity is Severity.ERROR)


_SHAPE_RULES: dict[Callable[..., object], Callable[[RuleContext, _Measures], Any]] = {
    _per_diem._check_per_diem_tiers: _per_diem_tiers,
    _f._check_weekly_hours: _weekly_hours,
    _f._check_typical_weekly_hours: _typical_weekly_hours,
    _f._check_daily_hours: _daily_hours,
    _f._check_days: _days_per_week,
    _f._check_sessions: _sessions_per_week,
    _f._check_gap: _days_without_service,
    _f._check_service_every_day: _service_every_day,
    _f._check_session_hours: _session_hours,
}


def _program_weeks(params: Mapping[str, object], designs: _Designs, rows: Any) -> Any:
    """`_check_program_weeks` over rows: the shortest or the longest length outside."""
    return _outside(params, designs.min_weeks[rows]) | _outside(params, designs.max_weeks[rows])


# ---- judging a group of rows at one level ------------------------------------------------------


class _Verdict:
    """What the columns decide for some rows at one level: an ERROR finding (`failed`), any
    finding of a rule (`found`), and whether a rule needs the per-object path (`per_object`)."""

    def __init__(self, failed: Any, found: Any, per_object: bool) -> None:
        self.failed = failed
        self.found = found
        self.per_object = per_object


def _by_shape(  # noqa: PLR0917 (the engine's arguments)
    shape_rule: Callable[[RuleContext, _Measures], Any],
    rule: Rule,
    ruleset: RuleSet,
    judged_at: LevelOfCare | None,
    population: Population,
    track: Track,
    on: date | None,
    measures: _Measures,
) -> tuple[Any, Any] | None:
    """A rule decided for every shape: (has a finding, has an ERROR finding), or None when the
    rule must be judged per object (its thresholds make the check crash: it reports that)."""
    np = _numpy()
    context = RuleContext(None, rule, ruleset, judged_at, population, track, {}, on)
    try:
        decided = shape_rule(context, measures)
    except Exception:  # the check crashes too, and reports it as a finding
        return None
    if isinstance(decided, tuple):
        return decided
    if rule.severity is Severity.ERROR:
        return decided, decided
    return decided, np.zeros(len(decided), dtype=np.bool_)


def _decide(  # noqa: PLR0917 (the engine's arguments)
    designs: _Designs,
    measures: _Measures,
    rows: Any,
    ruleset: RuleSet,
    level: LevelOfCare | None,
    population: Population,
    track: Track,
    on: date | None,
    scoped: _Scoped,
    memo: dict[tuple[Any, ...], Any],
) -> _Verdict:
    np = _numpy()
    entries = scoped[0]
    failed = np.zeros(len(rows), dtype=np.bool_)
    found = np.zeros(len(rows), dtype=np.bool_)
    per_object = False
    shapes = designs.row_shape[rows]
    for rule, judged_at, _note, mismatch in entries:
        if mismatch is not None:
            failed[:] = True
            continue
        shape_rule = _SHAPE_RULES.get(rule.check)
        if shape_rule is not None:
            key = (id(rule), judged_at, population, track)
            if key not in memo:
                memo[key] = _by_shape(shape_rule, rule, ruleset, judged_at, population, track,
                                      on, measures)  # fmt: skip
            by_shape = memo[key]
            if by_shape is None:
                per_object = True
                continue
            found |= by_shape[0][shapes]
            failed |= by_shape[1][shapes]
        elif rule.check is _f._check_program_weeks:
            hit = _program_weeks(rule.params, designs, rows)
            found |= hit
            if rule.severity is Severity.ERROR:
                failed |= hit
        else:
            per_object = True
    return _Verdict(failed, found, per_object)


def _static_report(
    subject: object, ruleset: RuleSet, level: LevelOfCare | None, scoped: _Scoped
) -> ValidationReport:
    """The report of a design no rule has a finding on: what `_judge` adds besides the rules'
    findings (crosswalk notes, level mismatches, "nothing applies")."""
    findings = []
    for _, _, note, mismatch in scoped[0]:
        if note is not None:
            findings.append(note)
        if mismatch is not None:
            findings.append(mismatch)
    return _closed(subject, ruleset, level, findings, scoped)


def _resolve(
    ruleset: RuleSet | RuleSeries | Sequence[RuleSet], on: date | str | None, count: int
) -> tuple[RuleSet | None, date | None]:
    """The rule set `classify` judges by (None when none is in force), as `classify` picks it."""
    day = None if on is None else check_day("on", on)
    if isinstance(ruleset, RuleSeries):
        if day is None:
            if not count:
                return None, None
            raise InvalidValueError(
                "on", on, f"the day whose version of {ruleset.name} classifies the program"
            )
        version = ruleset._version_on(day)
        if version is None:
            return None, day
        ruleset = version
    elif type(ruleset) is not RuleSet:
        ruleset = _check_ruleset(ruleset)
    if day is not None and not _covers(ruleset, day):
        return None, day
    return ruleset, day


# ---- classify_many ---------------------------------------------------------------------------


class _Results(Sequence[_T]):
    """A sequence of one result per design, each built when read (`_item`)."""

    __slots__ = ()
    _designs: _Designs

    def __len__(self) -> int:
        return self._designs.count

    @overload
    def __getitem__(self, index: int) -> _T: ...
    @overload
    def __getitem__(self, index: slice) -> list[_T]: ...
    def __getitem__(self, index: int | slice) -> _T | list[_T]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        if isinstance(index, bool) or not isinstance(index, int):
            raise InvalidTypeError("index", index, "a design's position (an int) or a slice")
        count = len(self)
        if not -count <= index < count:
            raise IndexError(f"design {index} of {count}")
        return self._item(index % count)

    def __iter__(self) -> Iterator[_T]:
        return (self._item(i) for i in range(len(self)))

    def _item(self, row: int) -> _T:
        raise NotImplementedError


class DesignTable(_Results[ProgramStructure]):
    """Designs read once, to be judged by several rule sets: `classify_many` and
    `validate_many` take it as they take the designs it was read from, and skip reading them
    again (checking every distinct value, measuring every distinct week). A sweep of one grid
    under many rule sets reads it once.

    Args:
        designs: ProgramStructures, or a table of weekly designs (a DataFrame, or a dict of
            column lists), as `classify_many` takes them; the table's columns are copied, so
            later changes to them do not reach the designs.
        continuum: The continuum whose codes a table's ``level`` column holds, when it holds
            codes rather than levels.

    Raises:
        InvalidTypeError, InvalidValueError: as `classify_many` raises them for `designs`.
        MissingExtraError: numpy (or, for a DataFrame, narwhals) is not installed.

    A sequence of the designs (each `ProgramStructure` built when read; it pickles as them):

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> from carecontinuum.catalogs import GENERIC
    >>> table = cc.DesignTable({"level": ["IOP"] * 2, "days": [["mon", "wed"], ["mon"]],
    ...                         "hours_per_session": [3, 3], "weeks": [8, 8]}, continuum=GENERIC)
    >>> one_day = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon"], hours_per_session=3,
    ...                                      weeks=8)
    >>> len(table), table[1] == one_day
    (2, True)
    >>> [cc.classify_many(table, rs).codes() for rs in (rulesets.ASAM3, rulesets.TYPICAL_IOP)]
    [[('1',), ('1',)], [('OP',), ('OP',)]]
    """

    __slots__ = ("_designs",)

    def __init__(self, designs: object, *, continuum: Continuum | None = None) -> None:
        self._designs = _designs(designs, continuum)

    def _item(self, row: int) -> ProgramStructure:
        return self._designs.build(row)

    def __setattr__(self, name: str, value: object) -> None:
        if name != "_designs" or hasattr(self, "_designs"):
            raise AttributeError(f"DesignTable is immutable: cannot set {name!r}")
        object.__setattr__(self, name, value)

    def __reduce__(self) -> tuple[Any, ...]:
        return DesignTable, (list(self),)

    def __repr__(self) -> str:
        return f"<DesignTable: {len(self):,} designs>"


class ClassifiedDesigns(_Results[tuple[Classification, ...]]):
    """What `classify_many` returns: for each design, in order, what `classify` returns for it
    (a tuple of `Classification`, empty when no level's intensity rules hold).

    The levels of every design are decided when it is made; a design's classifications (and
    their reports) are built when read, so a sweep that only counts levels never builds them.
    `codes` gives the level codes of every design at once.

    Attributes:
        ruleset: The rule set that classified (a version of a series, a union of a list), or
            None when none was in force (every design then has no level).

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> from carecontinuum.catalogs import GENERIC
    >>> table = {"level": [GENERIC["IOP"]] * 3, "days": [["mon", "wed", "fri"]] * 3,
    ...          "hours_per_session": [2, 3, 7], "weeks": [8, 8, 8]}
    >>> placed = cc.classify_many(table, rulesets.ASAM3)
    >>> placed.codes()
    [('1',), ('2.1',), ('2.5',)]
    >>> placed[1][0].level.code, len(placed)
    ('2.1', 3)
    """

    __slots__ = ("_cache", "_candidates", "_designs", "_on", "_passed", "_plain", "ruleset")

    def __init__(  # noqa: PLR0917 (the fields)
        self,
        designs: _Designs,
        ruleset: RuleSet | None,
        on: date | None,
        candidates: list[tuple[tuple[LevelOfCare, _Scoped], ...]],
        passed: Any,
        plain: Any,
        cache: dict[int, tuple[Classification, ...]],
    ) -> None:
        self._designs = designs
        self.ruleset = ruleset
        self._on = on
        self._candidates = candidates
        self._passed = passed  # per row: a bit per candidate level it holds
        self._plain = plain  # per row: a bit per candidate level where no rule has a finding
        self._cache = cache  # rows judged per object, whole

    def _item(self, row: int) -> tuple[Classification, ...]:
        cached = self._cache.get(row)
        if cached is not None:
            return cached
        ruleset = self.ruleset
        passed = int(self._passed[row])
        if ruleset is None or not passed:
            return ()
        design = self._designs.build(row)
        _, population, track = self._designs.profiles[int(self._designs.row_profile[row])]
        plain = int(self._plain[row])
        shared: dict[str, Any] = {}
        result = []
        for k, (level, scoped) in enumerate(self._profile_candidates(row)):
            if not passed >> k & 1:
                continue
            if plain >> k & 1:
                report = _static_report(design, ruleset, level, scoped)
            else:
                judged = _judge(design, ruleset, level, population, track, self._on, shared,
                                scoped, stop_at_error=True)  # fmt: skip
                assert judged is not None, "the columns and the rules disagree"
                report = judged
            result.append(trusted(Classification, level, report))
        return tuple(result)

    def _profile_candidates(self, row: int) -> tuple[tuple[LevelOfCare, _Scoped], ...]:
        return self._candidates[int(self._designs.row_profile[row])]

    def codes(self) -> list[tuple[str, ...]]:
        """The codes of each design's levels, in order (what
        ``[c.level.code for c in classify(design, ruleset)]`` gives), computed from the columns
        without building a design."""
        designs = self._designs
        if not designs.count:
            return []
        patterns: dict[tuple[int, int], tuple[str, ...]] = {}
        width = max(map(len, self._candidates), default=0)
        keys = (designs.row_profile << width) + self._passed
        unique, inverse = _unique(keys)
        for key in unique.tolist():
            profile, bits = divmod(key, 1 << width)
            patterns[key] = tuple(
                level.code
                for k, (level, _) in enumerate(
                    self._candidates[profile] if profile < len(self._candidates) else ()
                )
                if bits >> k & 1
            )
        # Each row's pattern by a gather in C over an array of the (few) patterns.
        np = _numpy()
        by_key = np.empty(len(unique), dtype=object)
        for i, key in enumerate(unique.tolist()):
            by_key[i] = patterns[key]
        codes: list[tuple[str, ...]] = by_key[inverse.reshape(-1)].tolist()
        for row, result in self._cache.items():
            codes[row] = tuple(c.level.code for c in result)
        return codes

    def __repr__(self) -> str:
        name = "no rule set in force" if self.ruleset is None else self.ruleset.name
        return f"<ClassifiedDesigns: {len(self):,} designs under {name}>"


def classify_many(
    designs: object,
    ruleset: RuleSet | RuleSeries | Sequence[RuleSet],
    *,
    on: date | str | None = None,
    continuum: Continuum | None = None,
) -> ClassifiedDesigns:
    """For each design, in order, what ``classify(design, ruleset, on=on)`` returns, decided
    column-wise: a million designs in seconds.

    Designs come as ProgramStructures (any iterable of them) or as a table of weekly designs:
    a DataFrame of any library narwhals reads (pandas, polars, pyarrow; the ``batch`` extra) or
    a dict of column lists. A table's columns are named as `ProgramStructure.weekly`'s
    arguments, and row i is the design ``ProgramStructure.weekly(**row_i)`` builds:

    - ``level`` (required): a `LevelOfCare`; or, with `continuum`, a level code of it ("IOP").
    - ``days`` (required): the weekdays, a list of names (``["mon", "wed"]``) or one name.
    - ``hours_per_session`` (required): a number of hours, or a `datetime.timedelta`.
    - ``weeks`` (required): an int, or a range as a (minimum, maximum) pair (a list of two
      from a table's list column).
    - ``population``, ``track``, ``start`` ("HH:MM"), ``services`` (a list), ``name``,
      ``delivery_mode``, ``modalities`` (a list), ``overnight`` (a bool): optional; a missing
      value (None, null) is the argument's default.

    The rules of `carecontinuum.rulesets`' factories (weekly hours, typical weekly hours,
    daily hours, days and sessions a week, days without service, a service every day, session
    hours, program length) are decided for all designs at once, reading the thresholds from
    the rules themselves; any other rule (a custom check) judges each design it could still
    change the answer for, one at a time. Levels, crosswalks, populations, tracks, dated sets
    and "LEVEL-MISMATCH" are scoped as `classify` scopes them. A design's classifications are
    built when read (`ClassifiedDesigns.codes` gives every design's level codes at once).

    Args:
        designs: ProgramStructures, or a table of weekly designs (see above).
        ruleset: As `classify` takes it: a `RuleSet`, a list of them (their union) or a
            `RuleSeries` (with `on`).
        on: As `classify` takes it: the day a dated set must be in force on, or whose version
            of a series classifies.
        continuum: The continuum whose codes a table's ``level`` column holds, when it holds
            codes (a DataFrame column of strings) rather than levels.

    Raises:
        InvalidTypeError: `designs` is neither ProgramStructures nor a table; a value of a
            table is of the wrong type (named by column and row: ``hours_per_session[4]``).
        InvalidValueError: a table's column is unknown, missing or of another length, or a
            value is refused by `ProgramStructure.weekly` (named by column and row); a
            `RuleSeries` without `on`.
        MissingExtraError: numpy (or, for a DataFrame, narwhals) is not installed.

    >>> from carecontinuum import rulesets
    >>> from carecontinuum.catalogs import GENERIC
    >>> table = {"level": ["IOP", "IOP"], "days": [["tue", "thu"], ["mon", "wed", "fri"]],
    ...          "hours_per_session": [3, 3], "weeks": [8, [6, 12]]}
    >>> classify_many(table, rulesets.TYPICAL_IOP, continuum=GENERIC).codes()
    [('OP',), ('IOP',)]
    """
    np = _numpy()
    batch = _designs(designs, continuum)
    chosen, day = _resolve(ruleset, on, batch.count)
    count = batch.count
    passed = np.zeros(count, dtype=np.int64)
    plain = np.zeros(count, dtype=np.int64)
    cache: dict[int, tuple[Classification, ...]] = {}
    candidates: list[tuple[tuple[LevelOfCare, _Scoped], ...]] = []
    if chosen is None:
        return ClassifiedDesigns(batch, None, day, candidates, passed, plain, cache)
    for row in np.flatnonzero(batch.whole).tolist():
        cache[row] = classify(batch.build(row), chosen, on=day)
    measures, irregular = batch.measured()
    memo: dict[tuple[Any, ...], Any] = {}
    kind = ProgramStructure
    for p, (own_level, population, track) in enumerate(batch.profiles):
        scope = chosen._memo(
            ("classify", own_level.is_outpatient, kind, population, track),
            lambda: _candidates(chosen, own_level.is_outpatient, kind, population, track),  # noqa: B023 (called at once)
        )
        rows = np.flatnonzero(batch.row_profile == p)
        rows = rows[~batch.whole[rows]]
        if len(scope) > _MAX_CANDIDATES:  # more levels than bits: each design classified alone
            for row in rows.tolist():
                cache[row] = classify(batch.build(row), chosen, on=day)
            scope = ()
        candidates.append(scope)
        for k, (level, scoped) in enumerate(scope):
            verdict = _decide(batch, measures, rows, chosen, level, population, track, day,
                              scoped, memo)  # fmt: skip
            ok = ~verdict.failed
            objects = irregular[rows] | (ok & verdict.per_object)
            for row in rows[objects].tolist():
                design = batch.build(row)
                judged = _judge(design, chosen, level, population, track, day, {}, scoped,
                                stop_at_error=True)  # fmt: skip
                if judged is not None:
                    passed[row] |= 1 << k
            columnar = rows[ok & ~objects]
            passed[columnar] |= 1 << k
            plain[rows[ok & ~objects & ~verdict.found]] |= 1 << k
    return ClassifiedDesigns(batch, chosen, day, candidates, passed, plain, cache)


# ---- validate_many ---------------------------------------------------------------------------


class ValidatedDesigns(_Results[ValidationReport]):
    """What `validate_many` returns: for each design, in order, what `validate` returns for it
    (a `ValidationReport`), decided column-wise; a report is built when read.

    Attributes:
        ok: For each design, whether its report has no ERROR finding (``report.ok``), decided
            without building a report.

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> from carecontinuum.catalogs import ASAM3
    >>> table = {"level": [ASAM3["2.1"]] * 2, "days": [["mon", "wed"], ["mon", "wed", "fri"]],
    ...          "hours_per_session": [3, 3], "weeks": [8, 8]}
    >>> reports = cc.validate_many(table, rulesets.ASAM3)
    >>> reports.ok
    (False, True)
    >>> reports[0].errors[0].found
    '6 clinical hours in the typical week'
    """

    __slots__ = ("_cache", "_designs", "_levels", "_on", "_plain", "_ruleset", "_scopes", "ok")

    def __init__(  # noqa: PLR0917 (the fields)
        self,
        designs: _Designs,
        ruleset: RuleSet | RuleSeries | Sequence[RuleSet],
        on: date | None,
        levels: list[tuple[LevelOfCare | None, _Scoped | None]],
        ok: tuple[bool, ...],
        plain: Any,
        cache: dict[int, ValidationReport],
    ) -> None:
        self._designs = designs
        self._ruleset = ruleset
        self._on = on
        self._levels = levels
        self.ok = ok
        self._plain = plain
        self._cache = cache

    def _item(self, row: int) -> ValidationReport:
        cached = self._cache.get(row)
        if cached is not None:
            return cached
        design = self._designs.build(row)
        level, scoped = self._levels[int(self._designs.row_profile[row])]
        if self._plain[row] and scoped is not None and isinstance(self._ruleset, RuleSet):
            return _static_report(design, self._ruleset, level, scoped)
        return validate(design, self._ruleset, as_level=level, on=self._on)

    def __repr__(self) -> str:
        failed = self.ok.count(False)
        return f"<ValidatedDesigns: {len(self):,} designs, {failed:,} not ok>"


def validate_many(
    designs: object,
    ruleset: RuleSet | RuleSeries | Sequence[RuleSet],
    *,
    as_level: LevelOfCare | None = None,
    on: date | str | None = None,
    continuum: Continuum | None = None,
) -> ValidatedDesigns:
    """For each design, in order, what ``validate(design, ruleset, as_level=as_level, on=on)``
    returns, decided column-wise (`ValidatedDesigns.ok` for every design without building a
    report).

    Designs come as in `classify_many` (ProgramStructures, or a table of weekly designs whose
    columns are `ProgramStructure.weekly`'s arguments), and rules are decided as there: the
    factory rules for all designs at once, other rules per design. A report is built when read;
    the findings of a design that has any are written by `validate` itself.

    Args:
        designs: ProgramStructures, or a table of weekly designs (see `classify_many`).
        ruleset: As `validate` takes it: a `RuleSet`, a list of them (their union) or a
            `RuleSeries` (with `on`).
        as_level: Judge every design as if it were at this level.
        on: As `validate` takes it.
        continuum: The continuum whose codes a table's ``level`` column holds, if codes.

    Raises:
        InvalidTypeError: as `classify_many`, or `as_level` not a LevelOfCare.
        InvalidValueError: as `classify_many`; a `RuleSeries` without `on`.
        MissingExtraError: numpy (or, for a DataFrame, narwhals) is not installed.

    >>> from carecontinuum import rulesets
    >>> from carecontinuum.catalogs import GENERIC
    >>> table = {"level": ["OP", "OP"], "days": ["mon", ["mon", "wed", "fri"]],
    ...          "hours_per_session": [2, 3], "weeks": [12, 12]}
    >>> validate_many(table, rulesets.TYPICAL_IOP, as_level=GENERIC["IOP"],
    ...               continuum=GENERIC).ok
    (False, True)
    """
    np = _numpy()
    if as_level is not None and not isinstance(as_level, LevelOfCare):
        raise InvalidTypeError("as_level", as_level, "a LevelOfCare or None")
    day = None if on is None else check_day("on", on)
    batch = _designs(designs, continuum)
    count = batch.count
    chosen: RuleSet | RuleSeries = (
        ruleset
        if type(ruleset) is RuleSet or isinstance(ruleset, RuleSeries)
        else _check_ruleset(ruleset)
    )
    judge: RuleSet | None = None
    if type(chosen) is RuleSet and not chosen.dated:
        judge = chosen
    elif count:
        # A program has no dates: a dated set or a series judges it by what is in force on
        # `on`, the same for every design (`validate` raises without `on` for a series).
        first = validate(batch.build(0), chosen, as_level=as_level, on=day)
        if not first.findings or first.findings[0].rule_id != "NOT-IN-FORCE" or first.applied:
            judge = first.ruleset
    ok = np.ones(count, dtype=np.bool_)
    plain = np.zeros(count, dtype=np.bool_)
    cache: dict[int, ValidationReport] = {}
    levels: list[tuple[LevelOfCare | None, _Scoped | None]] = []
    if judge is None:
        levels = [(as_level or level, None) for level, _, _ in batch.profiles]
        return ValidatedDesigns(batch, chosen, day, levels, tuple(ok.tolist()), plain, cache)
    for row in np.flatnonzero(batch.whole).tolist():
        report = cache[row] = validate(batch.build(row), chosen, as_level=as_level, on=day)
        ok[row] = report.ok
    measures, irregular = batch.measured()
    memo: dict[tuple[Any, ...], Any] = {}
    for p, (own_level, population, track) in enumerate(batch.profiles):
        level = own_level if as_level is None else as_level
        scoped = judge._scoped(level, ProgramStructure, population, track)
        levels.append((level, scoped))
        rows = np.flatnonzero(batch.row_profile == p)
        rows = rows[~batch.whole[rows]]
        verdict = _decide(batch, measures, rows, judge, level, population, track, day, scoped,
                          memo)  # fmt: skip
        objects = irregular[rows] | verdict.per_object
        for row in rows[objects].tolist():
            report = cache[row] = validate(batch.build(row), chosen, as_level=as_level, on=day)
            ok[row] = report.ok
        columnar = rows[~objects]
        ok[columnar] = ~verdict.failed[~objects]
        plain[columnar[~verdict.found[~objects]]] = True
    return ValidatedDesigns(
        batch, judge if judge is not None else chosen, day, levels, tuple(ok.tolist()), plain,
        cache,
    )  # fmt: skip


# ---- tables ------------------------------------------------------------------------------------


def _classified_table(value: ClassifiedDesigns) -> Columns:
    codes = value.codes()
    return {
        "design": ("int", list(range(len(codes)))),
        "level": ("str", [c[0] if c else None for c in codes]),
        "levels": ("str", [", ".join(c) if c else None for c in codes]),
    }


def _validated_table(value: ValidatedDesigns) -> Columns:
    designs = value._designs
    levels = value._levels
    judged = [
        value[row].level if whole else levels[p][0]
        for row, (p, whole) in enumerate(
            zip(designs.row_profile.tolist(), designs.whole.tolist(), strict=True)
        )
    ]
    return {
        "design": ("int", list(range(len(value)))),
        "level": ("str", [None if lvl is None else lvl.code for lvl in judged]),
        "ok": ("bool", list(value.ok)),
    }


register_table(ClassifiedDesigns, _classified_table)
register_table(ValidatedDesigns, _validated_table)
