"""Charts of the continuum for notebooks, as Altair (Vega-Lite) charts: an attendance's planned
against delivered hours with its level's floor and ceiling, a sweep's pass/fail grid per rule
set, a census by level over time and the flows between levels.

Needs the ``charts`` extra (``pip install "carecontinuum[charts]"``, which installs
`Altair <https://altair-viz.github.io/>`_); ``import carecontinuum`` never imports this module
or Altair, and this module imports Altair only when a chart is made. A chart is data:
``chart.to_dict()`` is its Vega-Lite specification, with the figures inline (``values``), so a
test, a report or another tool reads exactly what is drawn; in a notebook the chart draws
itself, and ``chart.save("chart.html")`` writes a page.

Every chart is built from a table in the library's neutral form (`Columns`: column name ->
(kind, values)), so a table of the library's or one of your own draws alike. The census and
flow charts name the columns they read:

- `census_chart`: ``day`` (date), ``level`` (the level's code, text) and ``clients``
  (a count): one row per day and level. A `Census` itself draws too (its levels in care).
- `flow_chart`: ``from_level`` and ``to_level`` (codes, text) and ``moves`` (a count): one row
  per pair of levels. Episodes can be given instead: their transitions are counted.

>>> import pendulum
>>> import carecontinuum as cc
>>> from carecontinuum import charts, rulesets
>>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
...                                hours_per_session=3, weeks=2)
>>> cal = cc.expand(p, pendulum.date(2026, 3, 2), "UTC")
>>> att = cc.Attendance(cal, [cc.AttendanceRecord(s, cc.AttendanceStatus.PRESENT)
...                           for s in cal.sessions[:4]])
>>> spec = charts.attendance_chart(att, rulesets.TYPICAL_IOP).to_dict()
>>> [(w["week"], w["planned"], w["delivered"]) for w in spec["data"]["values"]]
[('2026-03-02', 9.0, 9.0), ('2026-03-09', 9.0, 3.0)]
>>> [(b["bound"], b["hours"]) for b in spec["layer"][1]["data"]["values"]]
[('floor', 9.0), ('ceiling', 15.0)]
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ._attendance import Attendance
from ._census import Census
from ._columns import Columns, table_builder
from ._dicts import MissingExtraError
from ._episode import Episode
from ._errors import InvalidTypeError, InvalidValueError
from ._program import ProgramStructure
from ._rules import Classification, RuleSet
from ._text import clip, line

if TYPE_CHECKING:
    import altair as alt

__all__ = ["attendance_chart", "census_chart", "flow_chart", "sweep_chart"]

_PER_HOUR = 3600.0
# Planned and delivered: a grey plan behind the delivery, told apart by position and by the
# legend, never by colour alone.
_SERIES_COLOURS = ("#9e9e9e", "#1f77b4")


def _altair() -> Any:
    try:
        import altair  # noqa: PLC0415 (the `charts` extra loads on first use)
    except ImportError as error:
        raise MissingExtraError("altair", "charts", "carecontinuum.charts") from error
    return altair


# ---- tables as Vega-Lite data ----------------------------------------------------------------


def _cell(value: object) -> object:
    if isinstance(value, date):  # datetime too: ISO text is what Vega-Lite parses
        return value.isoformat()
    return value


def _values(columns: Columns) -> list[dict[str, object]]:
    """The rows of a table as Vega-Lite inline values (dates as ISO text)."""
    names = list(columns)
    cells = [columns[name][1] for name in names]
    rows = len(cells[0]) if cells else 0
    return [{name: _cell(column[i]) for name, column in zip(names, cells, strict=True)}
            for i in range(rows)]  # fmt: skip


def _table(argument: str, value: object, needed: Mapping[str, tuple[str, ...]]) -> Columns:
    """`value` as a table holding the columns `needed` (name -> the kinds accepted): Columns
    themselves, or a value whose kind registered a table."""
    columns: object = value
    if not isinstance(value, dict):
        build = table_builder(type(value))
        if build is None:
            raise InvalidTypeError(
                argument, value, f"a table (Columns) with columns {', '.join(needed)}"
            )
        columns = build(value)
    assert isinstance(columns, dict)
    lengths = set()
    for name, entry in columns.items():
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], Sequence)):
            raise InvalidValueError(
                f"{argument}[{name!r}]", entry, "a (kind, values) pair, as Columns hold"
            )
        lengths.add(len(entry[1]))
    missing = [name for name in needed if name not in columns]
    if missing:
        raise InvalidValueError(
            argument, list(columns), f"a table with the columns {', '.join(needed)} "
            f"(missing: {', '.join(missing)})"
        )  # fmt: skip
    for name, kinds in needed.items():
        if columns[name][0] not in kinds:
            raise InvalidValueError(
                f"{argument}[{name!r}]", columns[name][0], f"a column of kind {' or '.join(kinds)}"
            )
    if len(lengths) > 1:
        raise InvalidValueError(argument, sorted(lengths), "columns of one length")
    return columns


# ---- an attendance's weeks ---------------------------------------------------------------------


def _week_columns(attendance: Attendance) -> Columns:
    """An attendance's weeks: planned, delivered and missing clinical hours, and the rate."""
    weeks = attendance.by_week()
    return {
        "week": ("date", [w.monday for w in weeks]),
        "planned": ("float", [w.planned.total_seconds() / _PER_HOUR for w in weeks]),
        "delivered": ("float", [w.delivered.total_seconds() / _PER_HOUR for w in weeks]),
        "shortfall": ("float", [w.shortfall.total_seconds() / _PER_HOUR for w in weeks]),
        "rate": ("float", [w.rate for w in weeks]),
        "partial": ("bool", [w.partial for w in weeks]),
        "complete": ("bool", [w.complete for w in weeks]),
    }


def _band_columns(attendance: Attendance, ruleset: RuleSet) -> Columns:
    """The floors and ceilings of the rule set's weekly-hours rules that judge the attendance
    at its level (directly or through the crosswalk), population and track."""
    program = attendance.calendar.program
    scoped = ruleset._scoped(program.level, Attendance, program.population, program.track)[0]
    rules, bounds, hours, labels = [], [], [], []
    for rule, _judged_at, _note, mismatch in scoped:
        if mismatch is not None or "weekly-hours" not in rule.tags:
            continue
        low = rule.params.get("at_least")
        high = rule.params.get("at_most")
        below = rule.params.get("less_than")
        for bound, value, text in (
            ("floor", low, "at least"),
            ("ceiling", high, "at most"),
            ("ceiling", below, "under"),
        ):
            if isinstance(value, int | float):
                rules.append(rule.id)
                bounds.append(bound)
                hours.append(float(value))
                labels.append(f"{rule.id}: {text} {value:g} h")
    return {
        "rule": ("str", rules),
        "bound": ("str", bounds),
        "hours": ("float", hours),
        "label": ("str", labels),
    }


def _attendance_figure(weeks: Columns, bands: Columns | None, *, title: str) -> Any:
    alt = _altair()
    planned_delivered = (
        alt.Chart()
        .transform_fold(["planned", "delivered"], as_=["series", "hours"])
        .mark_bar()
        .encode(
            x=alt.X("week:O", title="Week of", axis=alt.Axis(labelAngle=-45)),
            xOffset=alt.XOffset("series:N", sort=["planned", "delivered"]),
            y=alt.Y("hours:Q", title="Clinical hours"),
            color=alt.Color(
                "series:N",
                title="",
                sort=["planned", "delivered"],
                scale=alt.Scale(domain=["planned", "delivered"], range=list(_SERIES_COLOURS)),
            ),
            tooltip=[
                alt.Tooltip("week:O", title="Week of"),
                alt.Tooltip("planned:Q", format=".2f"),
                alt.Tooltip("delivered:Q", format=".2f"),
                alt.Tooltip("shortfall:Q", format=".2f"),
                alt.Tooltip("rate:Q", format=".0%"),
            ],
        )
    )
    layers = [planned_delivered]
    if bands is not None:
        layers += _band_layers(alt, bands)
    return alt.layer(*layers, data=alt.Data(values=_values(weeks))).properties(title=title)


def _band_layers(alt: Any, bands: Columns) -> list[Any]:
    data = alt.Data(values=_values(bands))
    lines = (
        alt.Chart(data)
        .mark_rule(strokeDash=[6, 3], color="#d62728")
        .encode(y="hours:Q", tooltip=["label:N"])
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, dy=-6, color="#d62728")
        .encode(y="hours:Q", x=alt.value(0), text="label:N")
    )
    return [lines, labels]


def attendance_chart(attendance: Attendance, ruleset: RuleSet | None = None) -> alt.LayerChart:
    """Planned against delivered clinical hours, week by week, as grouped bars; with a rule
    set, the floor and ceiling of the level's weekly hours drawn across as dashed lines.

    The bands are those of the rule set's `weekly_hours` rules that judge this attendance:
    scoped to its program's level (or, through the crosswalk, the level it is judged at, as
    `validate` does: ASAM3's 2.1 band for a GENERIC IOP), population and track. A floor is
    the rule's ``at_least``; a ceiling its ``at_most`` (inclusive) or ``less_than``. No rule
    set, or none of its rules in scope, draws no band.

    The chart's data is the week table (``week``, ``planned``, ``delivered``, ``shortfall``
    in hours, ``rate``, ``partial``, ``complete``, as `Attendance.by_week` gives them), drawn
    by its first layer; with a rule set, the second and third layers (the lines and their
    labels) hold the bands (``rule``, ``bound``: ``floor`` or ``ceiling``, ``hours``,
    ``label``).

    Args:
        attendance: One client's attendance.
        ruleset: The rule set whose weekly-hours band to draw, or None for none.

    Returns:
        An Altair layered chart.

    Raises:
        InvalidTypeError: `attendance` is not an Attendance, or `ruleset` not a RuleSet.
        MissingExtraError: Altair is not installed (``pip install carecontinuum[charts]``).

    >>> import pendulum
    >>> import carecontinuum as cc
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "thu"],
    ...                                hours_per_session=3, weeks=1)
    >>> cal = cc.expand(p, pendulum.date(2026, 3, 2), "UTC")
    >>> first = cc.AttendanceRecord(cal.sessions[0], cc.AttendanceStatus.PRESENT)
    >>> att = cc.Attendance(cal, [first])
    >>> spec = attendance_chart(att, cc.rulesets.ASAM3).to_dict()
    >>> [b["label"] for b in spec["layer"][1]["data"]["values"]]
    ['ASAM3-2.1-ADULT-HOURS: at least 9 h', 'ASAM3-2.1-ADULT-HOURS: under 20 h']
    """
    if not isinstance(attendance, Attendance):
        raise InvalidTypeError("attendance", attendance, "an Attendance")
    if ruleset is not None and not isinstance(ruleset, RuleSet):
        raise InvalidTypeError("ruleset", ruleset, "a RuleSet or None")
    bands = None if ruleset is None else _band_columns(attendance, ruleset)
    chart = _attendance_figure(_week_columns(attendance), bands, title=_title(attendance))
    return chart  # type: ignore[no-any-return]


def _title(attendance: Attendance) -> str:
    program = attendance.calendar.program
    name = program.name or f"{program.level.scheme} {program.level.code} program"
    who = f"client {clip(line(attendance.client_id), 24)}, " if attendance.client_id else ""
    return f"{who}{clip(line(name), 48)}: clinical hours by week"


# ---- a sweep's grid ------------------------------------------------------------------------


def _codes(argument: str, placed: object) -> tuple[str, ...]:
    """The level codes of one design's placement: codes, or `classify`'s classifications."""
    if isinstance(placed, str):
        return (placed,) if placed else ()
    if not isinstance(placed, Iterable):
        raise InvalidTypeError(argument, placed, "level codes or classify's result")
    codes = []
    for item in placed:
        if isinstance(item, Classification):
            codes.append(item.level.code)
        elif isinstance(item, str):
            codes.append(item)
        else:
            raise InvalidTypeError(argument, item, "a level code or a Classification")
    return tuple(codes)


def _hours_per_session(program: ProgramStructure) -> float:
    """The design's session length in hours, breaks included (the mean of its weekly
    sessions' when they differ)."""
    lengths = [s.duration.total_seconds() for s in program.sessions]
    return sum(lengths) / len(lengths) / _PER_HOUR


def _sweep_columns(
    designs: Sequence[ProgramStructure],
    placements: Mapping[str, Sequence[object]],
    wanted: Mapping[str, str] | None,
) -> Columns:
    shapes = [(design.days_per_week, _hours_per_session(design)) for design in designs]
    cells: dict[tuple[str, float, float], list[Any]] = {}
    for name, placed in placements.items():
        if not isinstance(name, str):
            raise InvalidTypeError("placements", name, "rule set names (text) as keys")
        if isinstance(placed, str) or not isinstance(placed, Sequence):
            raise InvalidTypeError(f"placements[{name!r}]", placed, "one placement per design")
        if len(placed) != len(designs):
            raise InvalidValueError(
                f"placements[{name!r}]", f"{len(placed)} placements",
                f"one placement per design ({len(designs)})",
            )  # fmt: skip
        target = None if wanted is None else wanted.get(name)
        for i, (shape, result) in enumerate(zip(shapes, placed, strict=True)):
            codes = _codes(f"placements[{name!r}][{i}]", result)
            key = (name, *shape)
            cell = cells.setdefault(key, [0, 0, Counter()])
            cell[0] += 1
            cell[1] += bool(codes) if target is None else target in codes
            cell[2][", ".join(codes) or "none"] += 1
    keys = list(cells)
    return {
        "ruleset": ("str", [k[0] for k in keys]),
        "days_per_week": ("float", [k[1] for k in keys]),
        "hours_per_session": ("float", [k[2] for k in keys]),
        "designs": ("int", [cells[k][0] for k in keys]),
        "passing": ("int", [cells[k][1] for k in keys]),
        "share": ("float", [cells[k][1] / cells[k][0] for k in keys]),
        "levels": ("str", ["; ".join(f"{c} x{n}" if len(cells[k][2]) > 1 else c
                                     for c, n in sorted(cells[k][2].items()))
                           for k in keys]),
    }  # fmt: skip


def sweep_chart(
    designs: Sequence[ProgramStructure],
    placements: Mapping[str, Sequence[object]],
    *,
    wanted: Mapping[str, str] | None = None,
) -> alt.FacetChart:
    """A sweep's pass/fail grid: days a week down, hours per session across, one panel per rule
    set, each cell coloured by the share of its designs that pass and labelled with how many.

    A design passes a rule set when the rule set places it at a level (`classify` returns one
    or more), or, with `wanted`, at the level code wanted for that rule set (``{"ASAM3":
    "2.1"}``; rule sets not named there pass on any level). Designs differing only in what
    the grid does not show (their weeks, say) share a cell: ``3/3`` passing, or ``1/3``.

    The chart's data is one row per rule set and cell: ``ruleset``, ``days_per_week``,
    ``hours_per_session`` (breaks included; the mean of the design's weekly sessions when
    they differ), ``designs``,
    ``passing``, ``share`` (passing over designs) and ``levels`` (the placements seen).

    Args:
        designs: The designs swept, in order.
        placements: For each rule set, by name, each design's placement in the same order:
            what `classify` returned for it, or the level codes.
        wanted: The level code that counts as a pass, by rule set name.

    Returns:
        An Altair faceted chart.

    Raises:
        InvalidTypeError: a design that is not a ProgramStructure, or a placement that is
            neither level codes nor classifications.
        InvalidValueError: a rule set with not one placement per design, or a rule set in
            `wanted` that `placements` does not hold.
        MissingExtraError: Altair is not installed (``pip install carecontinuum[charts]``).

    >>> import carecontinuum as cc
    >>> designs = [cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=days,
    ...                                       hours_per_session=3, weeks=8)
    ...            for days in (["mon", "wed"], ["mon", "wed", "fri"])]
    >>> placed = {"ASAM3": [cc.classify(d, cc.rulesets.ASAM3) for d in designs]}
    >>> spec = sweep_chart(designs, placed, wanted={"ASAM3": "2.1"}).to_dict()
    >>> [(c["days_per_week"], c["passing"], c["levels"]) for c in spec["data"]["values"]]
    [(2.0, 0, '1'), (3.0, 1, '2.1')]
    """
    if isinstance(designs, str) or not isinstance(designs, Sequence):
        raise InvalidTypeError("designs", designs, "a sequence of ProgramStructure")
    for i, design in enumerate(designs):
        if not isinstance(design, ProgramStructure):
            raise InvalidTypeError(f"designs[{i}]", design, "a ProgramStructure")
    if not isinstance(placements, Mapping):
        raise InvalidTypeError("placements", placements, "a mapping of rule set name to results")
    if wanted is not None and not isinstance(wanted, Mapping):
        raise InvalidTypeError("wanted", wanted, "a mapping of rule set name to a level code")
    if wanted is not None and (unknown := [name for name in wanted if name not in placements]):
        raise InvalidValueError(
            "wanted", unknown, f"names of the rule sets placed ({', '.join(map(str, placements))})"
        )
    alt = _altair()
    columns = _sweep_columns(designs, placements, wanted)
    cell = alt.Chart().encode(
        x=alt.X("hours_per_session:O", title="Hours per session"),
        y=alt.Y("days_per_week:O", title="Days a week", sort="descending"),
    )
    squares = cell.mark_rect(stroke="#ffffff").encode(
        color=alt.Color(
            "share:Q",
            title="Share passing",
            scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
        ),
        tooltip=["ruleset:N", "days_per_week:O", "hours_per_session:O", "designs:Q",
                 "passing:Q", "levels:N"],
    )  # fmt: skip
    counts = (
        cell.transform_calculate(count="datum.passing + '/' + datum.designs")
        .mark_text(baseline="middle")
        .encode(text="count:N")
    )
    chart = alt.layer(squares, counts, data=alt.Data(values=_values(columns))).facet(
        column=alt.Column("ruleset:N", title="Rule set", sort=list(placements))
    )
    return chart.properties(title="Designs passing, by days a week and hours per session")  # type: ignore[no-any-return]


# ---- a census and its flows ----------------------------------------------------------------

_CENSUS = {"day": ("date",), "level": ("str",), "clients": ("int", "float")}
_FLOWS = {"from_level": ("str",), "to_level": ("str",), "moves": ("int", "float")}


def _census_figure(columns: Columns, *, title: str) -> Any:
    alt = _altair()
    return (
        alt.Chart(alt.Data(values=_values(columns)))
        .mark_area()
        .encode(
            x=alt.X("day:T", title="Day"),
            y=alt.Y("clients:Q", title="Clients", stack="zero"),
            color=alt.Color("level:N", title="Level"),
            tooltip=[alt.Tooltip("day:T"), "level:N", "clients:Q"],
        )
        .properties(title=title)
    )


def _census_columns(census: Census) -> Columns:
    """A census's clients by day and level, for the levels anyone was in on one of its days, in
    the continuum's order: one row per day and such level (`census_chart`'s table)."""
    in_care = [level for level in census.levels if any(census.series(level))]
    counts = zip(*(census.series(level) for level in in_care), strict=True)
    days = census.days if in_care else ()
    return {
        "day": ("date", [day for day in days for _ in in_care]),
        "level": ("str", [level.code for _ in days for level in in_care]),
        "clients": ("int", [n for row in counts for n in row]),
    }


def census_chart(census: object, *, title: str = "Clients by level") -> alt.Chart:
    """The clients in each level, day by day, as stacked areas (one band per level).

    Args:
        census: A `Census`, drawn for the levels anyone was in on one of its days (its
            continuum's other levels would be empty bands); or a table with the columns
            ``day`` (date), ``level`` (the level's code) and ``clients`` (a count), one row per
            day and level: `Columns`, or a value whose kind registered such a table.
        title: The chart's title.

    Returns:
        An Altair chart whose data is the table's rows (days as ISO dates).

    Raises:
        InvalidTypeError: `census` is not a table.
        InvalidValueError: a column missing or of another kind, or columns of unequal length.
        MissingExtraError: Altair is not installed (``pip install carecontinuum[charts]``).

    >>> from datetime import date
    >>> table = {"day": ("date", [date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 3)]),
    ...          "level": ("str", ["IOP", "PHP", "IOP"]), "clients": ("int", [12, 5, 13])}
    >>> spec = census_chart(table).to_dict()
    >>> spec["mark"]["type"], spec["data"]["values"][0]
    ('area', {'day': '2026-03-02', 'level': 'IOP', 'clients': 12})
    """
    if isinstance(census, Census):
        columns = _census_columns(census)
    else:
        columns = _table("census", census, _CENSUS)
    return _census_figure(columns, title=title)  # type: ignore[no-any-return]


def _transition_columns(argument: str, episodes: Iterable[object]) -> Columns:
    counts: Counter[tuple[str, str]] = Counter()
    for i, episode in enumerate(episodes):
        if not isinstance(episode, Episode):
            raise InvalidTypeError(f"{argument}[{i}]", episode, "an Episode")
        for move in episode.transitions:
            counts[move.from_level.code, move.to_level.code] += 1
    pairs = sorted(counts)
    return {
        "from_level": ("str", [a for a, _ in pairs]),
        "to_level": ("str", [b for _, b in pairs]),
        "moves": ("int", [counts[pair] for pair in pairs]),
    }


def flow_chart(moves: object, *, title: str = "Moves between levels") -> alt.LayerChart:
    """The moves between levels as a matrix: the level left down, the level entered across,
    each cell shaded and labelled with its count.

    Args:
        moves: A table with the columns ``from_level`` and ``to_level`` (level codes) and
            ``moves`` (a count), one row per pair of levels (`Columns`, or a value whose kind
            registered such a table); or episodes, whose `Episode.transitions` are counted.
        title: The chart's title.

    Returns:
        An Altair layered chart (cells and their counts) whose data is the table.

    Raises:
        InvalidTypeError: `moves` is neither a table nor episodes.
        InvalidValueError: a column missing or of another kind, or columns of unequal length.
        MissingExtraError: Altair is not installed (``pip install carecontinuum[charts]``).

    >>> import pendulum
    >>> from carecontinuum import Episode
    >>> from carecontinuum.catalogs import GENERIC
    >>> e = Episode.admit("c-1", "PHP", pendulum.date(2026, 3, 2), continuum=GENERIC)
    >>> e = e.step_to("IOP", pendulum.date(2026, 3, 23), "stable")
    >>> flow_chart([e, e]).to_dict()["data"]["values"]
    [{'from_level': 'PHP', 'to_level': 'IOP', 'moves': 2}]
    """
    if isinstance(moves, dict) or table_builder(type(moves)) is not None:
        columns = _table("moves", moves, _FLOWS)
    elif isinstance(moves, Iterable) and not isinstance(moves, str):
        columns = _transition_columns("moves", moves)
    else:
        raise InvalidTypeError("moves", moves, "a table of moves (Columns) or episodes")
    alt = _altair()
    base = alt.Chart().encode(
        x=alt.X("to_level:N", title="To level"),
        y=alt.Y("from_level:N", title="From level"),
    )
    cells = base.mark_rect(stroke="#ffffff").encode(
        color=alt.Color("moves:Q", title="Moves", scale=alt.Scale(scheme="blues")),
        tooltip=["from_level:N", "to_level:N", "moves:Q"],
    )
    counts = base.mark_text(baseline="middle").encode(text="moves:Q")
    chart = alt.layer(cells, counts, data=alt.Data(values=_values(columns)))
    return chart.properties(title=title)  # type: ignore[no-any-return]


# ---- notebook display ------------------------------------------------------------------------

_FIGURES: dict[str, Callable[..., Any]] = {
    "attendance": lambda columns, title: _attendance_figure(columns, None, title=title),
    "census": lambda columns, title: _census_figure(columns, title=title),
}


def _notebook_html(kind: str, columns: Columns, table: Callable[[], str], *, title: str) -> str:
    """A value's notebook view: its chart (Altair's HTML) drawn from its table when Altair is
    installed, else the compact table `table` makes. `kind` names the chart ("attendance",
    "census"); the element's id is drawn from the chart, so that two views on a page differ
    and the same value always gives the same HTML."""
    try:
        figure = _FIGURES[kind](columns, title)
    except MissingExtraError:
        return table()
    spec = json.dumps(figure.to_dict(), sort_keys=True)
    output = f"carecontinuum-{kind}-{zlib.crc32(spec.encode()):08x}"
    html: str = figure.to_html(
        fullhtml=False, output_div=output, json_kwds={"cls": _ScriptSafeEncoder}
    )
    return html


class _ScriptSafeEncoder(json.JSONEncoder):
    """JSON that can sit inside a ``<script>`` element: ``<``, ``>`` and ``&`` written as
    ``\\u`` escapes (the same text once parsed), so that a client id or level code holding
    ``</script>`` cannot end the element Altair embeds the specification in."""

    def encode(self, o: object) -> str:
        text = super().encode(o)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _attendance_html(attendance: Attendance, table: Callable[[], str]) -> str:
    """`Attendance._repr_html_`: the attendance's chart, or `table` without Altair."""
    return _notebook_html("attendance", _week_columns(attendance), table, title=_title(attendance))


def _census_html(census: Census, table: Callable[[], str]) -> str:
    """`Census._repr_html_`: the census's chart (the levels anyone was in), or `table` without
    Altair."""
    scheme = clip(line(census.continuum.scheme), 24)
    title = f"Census of {scheme}, {census.start} to {census.end}: clients by level"
    return _notebook_html("census", _census_columns(census), table, title=title)
