"""Rich display for notebooks: HTML tables for reports, programs and calendars, SVG drawings of
continua and episodes, built as plain strings with no dependency.

The objects' ``_repr_html_`` and ``_repr_svg_`` import this module on first use, so the core
never loads it. Every output is well-formed XML (XHTML-compatible fragments, standalone SVG):
tags closed, attributes quoted, every text escaped. Nothing relies on colour alone: severities,
verdicts, closures and partial weeks are spelled out, and drawings mark ongoing, concurrent and
authorized stretches with line styles and patterns.

>>> from carecontinuum.catalogs import GENERIC
>>> continuum_svg(GENERIC).startswith("<svg")
True
"""

from __future__ import annotations

import html
import itertools
import re
import zlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from ._episode import Direction
from ._text import hours as _hours
from ._text import number as _number

if TYPE_CHECKING:
    from pendulum import Duration

    from ._attendance import Attendance
    from ._calendar import Calendar, ScheduledSession
    from ._episode import Episode, Stay
    from ._levels import Continuum, LevelOfCare
    from ._program import ProgramStructure, Session
    from ._rules import Classification, Finding, RuleSet, Source, ValidationReport
    from ._span import Span

__all__ = [
    "attendance_html",
    "calendar_html",
    "classification_html",
    "continuum_svg",
    "episode_svg",
    "findings_html",
    "program_html",
    "report_html",
    "ruleset_html",
]

_LAST_ORDINAL = date.max.toordinal()
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DASH = "\u2013"  # en dash, for ranges of times
_SVG_NS = "http://www.w3.org/2000/svg"
# Characters XML 1.0 forbids even when escaped: a stray control character in a name must not
# make the whole output unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_TABLE = 'style="border-collapse:collapse;margin:4px 0 10px 0"'
_CELL = "border:1px solid #888;padding:3px 6px;text-align:left;vertical-align:top"
# A white outline behind a label keeps it legible over hatching and lines.
_HALO = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"'
_SPAN_WEEK = ' colspan="7"'
_SEVERITY = {"error": "\u2718 ERROR", "warning": "\u26a0 WARNING", "info": "\u2139 INFO"}


# ---- text ----------------------------------------------------------------------------------


def _e(value: object) -> str:
    """`value` as escaped text, safe in element content and in quoted attributes."""
    return html.escape(_NOT_XML.sub("\ufffd", str(value)), quote=True)


def _hours_of(value: timedelta | Span[Duration]) -> str:
    if isinstance(value, timedelta):
        return _hours(value)
    return f"{_number(value.minimum.total_seconds() / 3600)}{_DASH}{_hours(value.maximum)}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _sessions(count: float) -> str:
    return f"{_number(count)} session{'' if count == 1 else 's'}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _subject(subject: object) -> str:
    name = getattr(subject, "name", None)
    kind = type(subject).__name__
    return f"{kind} \u201c{name}\u201d" if isinstance(name, str) else kind


# ---- HTML ----------------------------------------------------------------------------------


def _th(content: str, *, scope: str = "col", extra: str = "") -> str:
    return f'<th scope="{scope}" style="{_CELL}{extra}">{content}</th>'


def _td(content: str, *, extra: str = "", attrs: str = "") -> str:
    return f'<td style="{_CELL}{extra}"{attrs}>{content}</td>'


def _table(caption: str, head: Iterable[str], rows: Iterable[str], foot: str = "") -> str:
    header = "".join(_th(_e(h)) for h in head)
    footer = f"<tfoot>{foot}</tfoot>" if foot else ""
    return (
        f'<table {_TABLE}><caption style="text-align:left;font-weight:bold">{_e(caption)}'
        f"</caption><thead><tr>{header}</tr></thead>{footer}<tbody>{''.join(rows)}</tbody>"
        "</table>"
    )


def _region(kind: str, label: str, body: str) -> str:
    return (
        f'<div class="carecontinuum carecontinuum-{kind}" role="region" '
        f'aria-label="{_e(label)}">{body}</div>'
    )


def report_html(report: ValidationReport) -> str:
    """A validation report: a header (rule set, verdict, counts, level judged at) over a table
    of every finding."""
    ruleset = report.ruleset
    name = f"{ruleset.name} {ruleset.version}"
    verdict = "\u2714 ok" if report.ok else "\u2718 not ok"
    counts = ", ".join(
        (
            _plural(len(report.errors), "error"),
            _plural(len(report.warnings), "warning"),
            _plural(len(report.infos), "note"),
        )
    )
    scope = f"{_plural(len(report.applied), 'rule')} applied, {len(report.skipped)} out of scope"
    level = f"judged at {report.level}" if report.level is not None else "judged without a level"
    header = (
        f"<p><strong>{_e(name)}</strong>: <strong>{_e(verdict)}</strong> ({_e(counts)}; "
        f"{_e(scope)}).<br/>{_e(_subject(report.subject))}, {_e(level)}.</p>"
    )
    if report.findings:
        body = _findings_table(report.findings)
    else:
        body = "<p>No findings: every rule applied passed without a note.</p>"
    return _region("report", f"Validation report: {name}, {verdict}", header + body)


_FINDING_HEAD = ("Severity", "Rule", "Path", "Message", "Expected", "Found", "Source")


def _findings_table(findings: Sequence[Finding]) -> str:
    return _table(f"Findings ({len(findings)})", _FINDING_HEAD, (_finding_row(f) for f in findings))


def findings_html(findings: Sequence[Finding]) -> str:
    """A tuple of findings (`Findings`): a count by severity over the table a report shows."""
    counts = ", ".join(
        _plural(sum(f.severity.value == severity for f in findings), word)
        for severity, word in (("error", "error"), ("warning", "warning"), ("info", "note"))
    )
    if not findings:
        return _region("findings", "Findings: none", "<p>No findings.</p>")
    header = f"<p><strong>{_e(_plural(len(findings), 'finding'))}</strong>: {_e(counts)}.</p>"
    return _region("findings", f"Findings: {counts}", header + _findings_table(findings))


def ruleset_html(ruleset: RuleSet) -> str:
    """A rule set: its name, version, dates and description over a table of its rules (id,
    severity, scope, what it checks, thresholds, source)."""
    name = f"{ruleset.name} {ruleset.version}"
    dates = ""
    if ruleset.effective_from is not None or ruleset.effective_until is not None:
        since = ruleset.effective_from or "\u2026"
        until = ruleset.effective_until or "\u2026"
        dates = f"<br/>In effect {_e(since)} to {_e(until)}."
    about = f"<br/>{_e(ruleset.description)}" if ruleset.description else ""
    header = (
        f"<p><strong>{_e(name)}</strong>: {_e(_plural(len(ruleset.rules), 'rule'))}."
        f"{about}{dates}</p>"
    )
    rows = []
    for rule in ruleset.rules:
        severity = rule.severity.value
        label = _SEVERITY.get(severity, severity.upper())
        params = ", ".join(f"{k} = {v!r}" for k, v in rule.params.items())
        cells = (
            _td(f"<code>{_e(rule.id)}</code>"),
            _td(f"<strong>{_e(label)}</strong>"),
            _td(_e(rule.scope)),
            _td(_e(rule.title)),
            _td(_e(params) if params else "\u2014"),
            _td(_source_html(rule.source)),
        )
        rows.append(f'<tr data-severity="{_e(severity)}">{"".join(cells)}</tr>')
    head = ("Rule", "Severity", "Scope", "What it checks", "Thresholds", "Source")
    body = _table(f"Rules ({len(ruleset.rules)})", head, rows)
    return _region("ruleset", f"Rule set: {name}", header + body)


def classification_html(classification: Classification) -> str:
    """A classification: the level, the rule set and the rules that judged the program there,
    and the findings (warnings and notes) that came with it."""
    level = classification.level
    report = classification.report
    ruleset = report.ruleset
    name = f"{ruleset.name} {ruleset.version}"
    header = (
        f"<p><strong>Classified at {_e(level)}</strong> ({_e(level.setting.value)}) under "
        f"<strong>{_e(name)}</strong>: no error at this level.<br/>"
        f"{_e(_subject(report.subject))}; {_e(_plural(len(report.applied), 'rule'))} judged "
        "it here.</p>"
    )
    rows = []
    for rule_id in report.applied:
        rule = ruleset[rule_id]
        cells = (_td(f"<code>{_e(rule.id)}</code>"), _td(_e(rule.title)),
                 _td(_source_html(rule.source)))  # fmt: skip
        rows.append(f"<tr>{''.join(cells)}</tr>")
    reasons = _table("Why: the rules it meets", ("Rule", "What it checks", "Source"), rows)
    if report.findings:
        reasons += _findings_table(report.findings)
    else:
        reasons += "<p>No findings: every rule applied passed without a note.</p>"
    return _region("classification", f"Classification: {level}", header + reasons)


def attendance_html(attendance: Attendance) -> str:
    """An attendance: the client, the program and the rates over a week table of planned,
    delivered and missing clinical time and the rate, each week's state in words."""
    calendar = attendance.calendar
    program = calendar.program
    title = program.name or f"{program.level.scheme} {program.level.code} program"
    weeks = attendance.by_week()
    planned = sum((w.planned for w in weeks), timedelta())
    delivered = sum((w.delivered for w in weeks), timedelta())
    short = sum((w.shortfall for w in weeks), timedelta())
    who = f"client {attendance.client_id}" if attendance.client_id else "Attendance"
    rate, hours_rate = attendance.rate, attendance.hours_rate
    rates = (
        f"sessions attended: {_percent(rate)} of those recorded; "
        f"clinical time attended: {_percent(hours_rate)} of that scheduled"
    )
    header = (
        f"<p><strong>{_e(who)}</strong> on <strong>{_e(title)}</strong>, {_e(program.level)}<br/>"
        f"{_e(calendar.first)} to {_e(calendar.last)}, {_e(calendar.zone.name)}; "
        f"{_e(_plural(len(attendance.records), 'record'))}, "
        f"{_e(len(attendance.unrecorded))} of {_e(_plural(len(calendar.sessions), 'session'))} "
        f"unrecorded.<br/>{_e(rates)}.</p>"
    )
    rows = []
    for week in weeks:
        notes = []
        if week.partial:
            notes.append("partial week")
        if not week.complete:
            notes.append("not all recorded")
        label = f"Week of {_e(week.monday)}"
        if notes:
            label += f"<br/><em>{_e(', '.join(notes))}</em>"
        cells = (
            _th(label, scope="row"),
            _td(_e(_hours(week.planned))),
            _td(_e(_hours(week.delivered))),
            _td(_e(_hours(week.shortfall)) if week.shortfall else "\u2014"),
            _td(_e(_percent(week.rate))),
        )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    foot = (
        f"<tr>{_th('Total', scope='row')}{_td(f'<strong>{_e(_hours(planned))}</strong>')}"
        f"{_td(f'<strong>{_e(_hours(delivered))}</strong>')}"
        f"{_td(_e(_hours(short)) if short else chr(0x2014))}"
        f"{_td(_e(_percent(delivered / planned if planned else None)))}</tr>"
    )
    head = ("Week", "Planned", "Delivered", "Shortfall", "Rate")
    grid = _table("Clinical time, week by week", head, rows, foot)
    return _region("attendance", f"Attendance: {who} on {title}", header + grid)


def _percent(rate: float | None) -> str:
    return "\u2014" if rate is None else f"{rate:.0%}"


def _source_html(source: Source) -> str:
    """A citation in full (its ``str`` is clipped to a line), linked when it has a web address."""
    cited = _e(source.citation)
    if source.url and source.url.startswith(("https://", "http://")):
        cited = f'<a href="{_e(source.url)}">{cited}</a>'
    if source.note:
        cited += f"<br/><small>{_e(source.note)}</small>"
    return cited


def _finding_row(finding: Finding) -> str:
    severity = finding.severity.value
    label = _SEVERITY.get(severity, severity.upper())
    found = _e(finding.found)
    if finding.looks_like is not None:
        found += f"<br/><em>looks like {_e(finding.looks_like)}</em>"
    cited = _source_html(finding.source)
    cells = (
        _td(f"<strong>{_e(label)}</strong>"),
        _td(f"<code>{_e(finding.rule_id)}</code>"),
        _td(f"<code>{_e(finding.path)}</code>" if finding.path else "<em>whole subject</em>"),
        _td(_e(finding.message)),
        _td(_e(finding.expected)),
        _td(found),
        _td(cited),
    )
    return f'<tr data-severity="{_e(severity)}">{"".join(cells)}</tr>'


def program_html(program: ProgramStructure) -> str:
    """A program: its level, population, track and weekly figures, and its week as a
    Monday-to-Sunday grid of sessions (time, clinical hours, services)."""
    title = program.name or f"{program.level.scheme} {program.level.code} program"
    figures = [
        ("Level", _e(program.level)),
        ("Population", _e(program.population.value)),
        ("Track", _e(program.track.value)),
        ("Delivery", _e(program.delivery_mode.value)),
        ("Length", _e(f"{program.weeks} week{'' if program.weeks == 1 else 's'}")),
        ("Sessions a week", _e(_number(program.sessions_per_week))),
        ("Program days a week", _e(_number(program.days_per_week))),
        ("Clinical hours a week", f"<strong>{_e(_hours(program.weekly_hours))}</strong>"),
        ("Total sessions", _e(program.total_sessions)),
        ("Total clinical hours", _e(_hours_of(program.total_hours))),
        ("Services", _e(", ".join(s.value for s in program.services))),
    ]
    if program.modalities:
        figures.append(("Modalities", _e(", ".join(m.value for m in program.modalities))))
    summary = (
        f'<table {_TABLE}><caption style="text-align:left;font-weight:bold">{_e(title)}'
        "</caption><tbody>"
        + "".join(f"<tr>{_th(_e(k), scope='row')}{_td(v)}</tr>" for k, v in figures)
        + "</tbody></table>"
    )
    by_day: list[list[Session]] = [[] for _ in _DAYS]
    for session in program.sessions:
        by_day[session.weekday.value].append(session)
    cells = [_td("".join(_session_html(s) for s in day) or "<em>no session</em>") for day in by_day]
    hours = [sum((s.clinical_duration / s.every_weeks for s in day), timedelta()) for day in by_day]
    grid = _table(
        "The week, Monday to Sunday",
        ("", *_DAYS, "Week"),
        [
            f"<tr>{_th('Sessions', scope='row')}{''.join(cells)}"
            f"{_td(_e(_sessions(program.sessions_per_week)))}</tr>"
        ],
        foot=(
            f"<tr>{_th('Clinical hours', scope='row')}"
            + "".join(_td(_e(_hours(h)) if h else "\u2014") for h in hours)
            + _td(f"<strong>{_e(_hours(program.weekly_hours))}</strong>")
            + "</tr>"
        ),
    )
    return _region("program", f"Program structure: {title}", summary + grid)


def _session_html(session: Session) -> str:
    lines = []
    if session.name:
        lines.append(f"<strong>{_e(session.name)}</strong>")
    end = f"{session.end:%H:%M}" + (" next day" if session.overnight else "")
    lines.append(f"<strong>{_e(f'{session.start:%H:%M}{_DASH}{end}')}</strong>")
    clinical = _hours(session.clinical_duration)
    if session.clinical_duration != session.duration:
        clinical = f"{clinical} clinical of {_hours(session.duration)}"
    else:
        clinical = f"{clinical} clinical"
    lines.append(_e(clinical))
    lines.append(_e(", ".join(s.value for s in session.services)))
    if session.every_weeks > 1:
        lines.append(
            f"<em>every {session.every_weeks} weeks, from week {session.week_offset + 1}</em>"
        )
    if session.delivery_mode is not None:
        lines.append(_e(session.delivery_mode.value))
    if not session.program_day:
        lines.append("<em>separate appointment (not a program day)</em>")
    return f'<div style="margin:0 0 6px 0">{"<br/>".join(lines)}</div>'


def calendar_html(calendar: Calendar) -> str:  # noqa: PLR0915 (one table, built in order)
    """A calendar: one row per Monday-to-Sunday week, its dated sessions in day columns and its
    clinical hours; days outside the period, closures and partial weeks spelled out."""
    program = calendar.program
    title = program.name or f"{program.level.scheme} {program.level.code} program"
    weeks = calendar.by_week()
    closures = set(calendar.closures)
    partial = sum(1 for week in weeks if week.partial)
    total = sum((week.clinical_duration for week in weeks), timedelta())
    header = (
        f"<p><strong>Calendar: {_e(title)}</strong>, {_e(program.level)}<br/>"
        f"{_e(calendar.first)} to {_e(calendar.last)}, {_e(calendar.zone.name)}; "
        f"{_e(_plural(len(calendar.sessions), 'session'))} held, "
        f"{_e(_plural(len(calendar.closed), 'session'))} not held on "
        f"{_e(_plural(len(calendar.closures), 'closure day'))}; "
        # \x00 marks where the note on clock changes goes, once the weeks are read.
        f"{_e(_plural(len(weeks), 'week'))}, {partial} partial.\x00</p>"
    )
    rows = []
    changed_weeks = 0
    for week in weeks:
        changes = _clock_changes(calendar.zone, week.monday.toordinal())
        changed_weeks += bool(changes)
        entries: dict[date, list[str]] = {}
        for held in week.sessions:
            entries.setdefault(held.day, []).append(_scheduled_html(held, held=True))
        for skipped in week.closed:
            entries.setdefault(skipped.day, []).append(_scheduled_html(skipped, held=False))
        label = f"Week of {week.monday}"
        if week.partial:
            label += f"<br/><em>partial: {week.days_in_period} of 7 days</em>"
        for when, before, after in changes:
            label += (
                f"<br/><strong>{_e(f'clocks change {when:%a} {when.day} {when:%b}')}</strong> "
                f"<em>{_e(f'({_utc(before)} to {_utc(after)})')}</em>"
            )
        changed = {when for when, _, _ in changes}
        cells = []
        monday = week.monday.toordinal()
        for offset in range(7):
            # The last week of 9999 runs past the last date Python holds: those days are named
            # only by their weekday, and lie outside the calendar.
            ordinal = monday + offset
            day = date.fromordinal(ordinal) if ordinal <= _LAST_ORDINAL else None
            shown = _DAYS[offset][:3] if day is None else f"{day:%a %d %b}"
            lines = [f"<small>{_e(shown)}</small>"]
            outside = day is None or not week.first <= day <= week.last
            if outside:
                lines.append("<em>outside the calendar</em>")
            if day in closures:
                lines.append("<strong>CLOSED</strong>")
            if day in changed:
                lines.append("<em>clocks change</em>")
            if day is not None:
                lines.extend(entries.get(day, ()))
            extra = ";opacity:0.6;border-style:dotted" if outside else ""
            cells.append(_td("<br/>".join(lines), extra=extra))
        hours = f"<strong>{_e(_hours(week.clinical_duration))}</strong>"
        hours += f"<br/>{_e(_plural(week.days, 'program day'))}"
        if week.closed:
            hours += f"<br/><em>{_e(_plural(len(week.closed), 'session'))} not held</em>"
        if week.partial:
            hours += "<br/><em>partial week</em>"
        mark = f' data-clock-change="{changes[0][0]}"' if changes else ""
        rows.append(f"<tr{mark}>{_th(label, scope='row')}{''.join(cells)}{_td(hours)}</tr>")
    if changed_weeks:
        note = (
            f"<br/>The clocks change in {_e(_plural(changed_weeks, 'week'))}, marked: sessions "
            "keep their local time, and elapsed time shows the change."
        )
        header = header.replace("\x00", note)  # escaped text holds no NUL (see _e)
    else:
        header = header.replace("\x00", "")
    foot = (
        f"<tr>{_th('Total', scope='row')}"
        f"{_td(_e(_plural(len(calendar.sessions), 'session')), attrs=_SPAN_WEEK)}"
        f"{_td(f'<strong>{_e(_hours(total))}</strong>')}</tr>"
    )
    grid = _table("Week by week", ("Week", *_DAYS, "Clinical hours"), rows, foot)
    return _region("calendar", f"Calendar: {title}", header + grid)


def _clock_changes(zone: tzinfo, monday: int) -> list[tuple[date, timedelta, timedelta]]:
    """The days of the week from `monday` (an ordinal) on which the zone's clocks change, with
    the offsets before and after: each day's midnight offset against the next day's."""
    offsets: list[tuple[date, timedelta]] = []
    for ordinal in range(monday, min(monday + 8, _LAST_ORDINAL + 1)):
        day = date.fromordinal(ordinal)
        try:
            offset = datetime(day.year, day.month, day.day, tzinfo=zone).utcoffset()
        except (OverflowError, ValueError):  # past what the zone's rules can say
            break
        if offset is not None:
            offsets.append((day, offset))
    return [
        (day, before, after)
        for (day, before), (_, after) in itertools.pairwise(offsets)
        if before != after
    ]


def _utc(offset: timedelta) -> str:
    """An offset as UTC-05:00."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    return f"UTC{sign}{hours:02d}:{rest // 60:02d}"


def _scheduled_html(scheduled: ScheduledSession, *, held: bool) -> str:
    start, end = scheduled.start, scheduled.end
    later = " next day" if end.date() != start.date() else ""
    when = f"{start:%H:%M}{_DASH}{end:%H:%M}{later}"
    if held:
        return _e(f"{when} \u00b7 {_hours(scheduled.clinical_duration)}")
    return f"<del>{_e(when)}</del> <em>not held (closed)</em>"


# ---- SVG -----------------------------------------------------------------------------------


def _f(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _ident(kind: str, text: str) -> str:
    # Derived from the content, so equal drawings get equal ids and output is reproducible.
    return f"cc-{kind}-{zlib.crc32(text.encode('utf-8', 'replace')):08x}"


def _svg(ident: str, size: tuple[float, float], title: str, desc: str, body: list[str]) -> str:
    width, height = size
    return (
        f'<svg xmlns="{_SVG_NS}" width="{_f(width)}" height="{_f(height)}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="sans-serif" font-size="12">'
        f'<title id="{ident}-title">{_e(title)}</title><desc id="{ident}-desc">{_e(desc)}</desc>'
        f'<rect width="{_f(width)}" height="{_f(height)}" fill="#ffffff"/>'
        f"{''.join(body)}</svg>"
    )


def _text(x: float, y: float, content: str, *, size: int = 12, extra: str = "") -> str:
    """A text element; `content` is markup (escape plain text with `_e`)."""
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" fill="#111111"{extra}>{content}</text>'
    )


def _defs(ident: str) -> str:
    return (
        f'<defs><pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#555555" stroke-width="1.5"/></pattern>'
        f'<marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        'markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#111111"/></marker></defs>'
    )


def continuum_svg(continuum: Continuum) -> str:
    """A continuum as a ladder: levels from least intensive (bottom) to most (top), each pathway
    in its own column, concurrent levels drawn with a dashed outline and labelled."""
    levels = continuum.levels
    pathways = list(continuum.pathways)
    column = {name: i for i, name in enumerate(pathways)}
    count = len(levels)
    col_w, gap, left, top = 250.0, 16.0, 44.0, 76.0
    # Level names wrap inside their boxes (up to four lines, the column widening for longer
    # ones), and the drawing is as wide as its longest caption: nothing is cut short.
    longest = max(len(level.name) for level in levels)
    col_w = max(col_w, min(_NAME_PAD + -(-longest // 4) * _width("x", 10), 640.0))
    col_w = max(col_w, *(_NAME_PAD + _width(_first_line(level), 12, bold=True) for level in levels))
    col_w = max(col_w, *(_width(f"{name} pathway", 12, bold=True) + 4 for name in pathways))
    per_line = max(int((col_w - _NAME_PAD) / _width("x", 10)), 1)
    names = {id(level): _wrap(level.name, per_line, 4) for level in levels}
    lines = max(len(wrapped) for wrapped in names.values())
    box_h = 32.0 + 12 * (lines - 1)
    pitch = box_h + 8
    concurrent = any(level.concurrent for level in levels)
    ladder_bottom = top + count * pitch
    height = ladder_bottom + (44 if concurrent else 16)
    chains = "; ".join(
        f"{name}: {' < '.join(lvl.code for lvl in chain)}"
        for name, chain in continuum.pathways.items()
    )
    marked = [lvl.code for lvl in levels if lvl.concurrent]
    title = f"{continuum.name} ({continuum.scheme}): {_plural(count, 'level')}"
    caption = (
        f"Least intensive at the bottom; {_plural(len(pathways), 'pathway')} side by side; a "
        "line joins the steps of a pathway."
        if len(pathways) > 1
        else "Least intensive at the bottom; a line joins the steps of the pathway."
    )
    legend = "dashed outline: a concurrent level, held alongside a placement at another level"
    width = max(
        left + len(pathways) * (col_w + gap) + 4,
        16 + _width(title, 14, bold=True),
        16 + _width(caption, 11),
        left + 44 + _width(legend, 11) if concurrent else 0.0,
        420.0,
    )
    desc = f"Levels from least to most intensive, by pathway. {chains}."
    if marked:
        desc += f" Concurrent (run alongside another level): {', '.join(marked)}."
    ident = _ident("continuum", title + desc)

    def box_top(index: int) -> float:
        return top + (count - 1 - index) * pitch + (pitch - box_h) / 2

    body = [
        _defs(ident),
        _text(8, 20, _e(title), size=14, extra=' font-weight="bold"'),
        _text(8, 38, _e(caption), size=11),
        # The intensity axis: an arrow pointing up, labelled.
        f'<line x1="22" y1="{_f(ladder_bottom - 4)}" x2="22" y2="{_f(top + 4)}" '
        f'stroke="#111111" stroke-width="1.5" marker-end="url(#{ident}-arrow)"/>',
        _text(
            0,
            0,
            "more intensive \u2192",
            size=11,
            extra=(
                f' text-anchor="middle" transform="translate(14,{_f((top + ladder_bottom) / 2)}) '
                'rotate(-90)"'
            ),
        ),
    ]
    for name, i in column.items():
        x = left + i * (col_w + gap)
        body.append(_text(x, top - 10, _e(f"{name} pathway"), size=12, extra=' font-weight="bold"'))
    index_of = {id(level): i for i, level in enumerate(levels)}
    for chain in continuum.pathways.values():
        for lower, upper in itertools.pairwise(chain):
            x = left + column[lower.pathway] * (col_w + gap) + col_w / 2
            y1 = box_top(index_of[id(lower)])
            y2 = box_top(index_of[id(upper)]) + box_h
            body.append(
                f'<line x1="{_f(x)}" y1="{_f(y1)}" x2="{_f(x)}" y2="{_f(y2)}" '
                'stroke="#444444" stroke-width="2"/>'
            )
    for i, level in enumerate(levels):
        body.append(_ladder_box(level, left + column[level.pathway] * (col_w + gap),
                                box_top(i), (col_w, box_h), names[id(level)]))  # fmt: skip
    if concurrent:
        y = ladder_bottom + 14
        body.append(
            f'<rect x="{_f(left)}" y="{_f(y)}" width="28" height="14" fill="#ffffff" '
            'stroke="#111111" stroke-dasharray="4 3"/>'
        )
        body.append(
            _text(
                left + 36,
                y + 11,
                legend,
                size=11,
            )
        )
    return _svg(ident, (width, height), title, desc, body)


_NAME_PAD = 14.0  # the space either side of a name inside its box


def _width(text: str, size: int, *, bold: bool = False) -> float:
    """About how wide `text` is at a font size, in pixels, erring wide: an average sans-serif
    character is about 0.55 em (0.6 em bold)."""
    return len(text) * size * (0.62 if bold else 0.55)


def _first_line(level: LevelOfCare) -> str:
    return f"{level.code} \u00b7 {level.setting.value}" + (
        " \u00b7 concurrent" if level.concurrent else ""
    )


def _wrap(text: str, width: int, most: int) -> list[str]:
    """`text` in lines of at most `width` characters, broken at spaces where it can be; past
    `most` lines the last is clipped (the whole text is in the box's tooltip)."""
    import textwrap  # noqa: PLC0415 (only when drawing)

    lines = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    if len(lines) > most:
        lines = [*lines[: most - 1], _clip(" ".join(lines[most - 1 :]), width)]
    return lines


def _ladder_box(
    level: LevelOfCare, x: float, y: float, size: tuple[float, float], name: list[str]
) -> str:
    width, height = size
    about = f"{level.scheme} {level.code} ({level.name}): {level.setting.value}, "
    about += f"{level.supervision.value} supervision"
    if level.management is not None:
        about += f", {level.management.value}"
    if level.concurrent:
        about += "; concurrent: runs alongside a placement at another level"
    dash = ' stroke-dasharray="5 3"' if level.concurrent else ""
    first = f'<tspan font-weight="bold">{_e(level.code)}</tspan> \u00b7 {_e(level.setting.value)}'
    if level.concurrent:
        first += " \u00b7 concurrent"
    names = "".join(_text(x + 6, y + 27 + 12 * i, _e(part), size=10) for i, part in enumerate(name))
    return (
        f'<g class="level" data-code="{_e(level.code)}"><title>{_e(about)}</title>'
        f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(width)}" height="{_f(height)}" rx="3" '
        f'fill="#ffffff" stroke="#111111" stroke-width="1.5"{dash}/>'
        f"{_text(x + 6, y + 13, first, size=12)}{names}</g>"
    )


def _row_words(level: LevelOfCare) -> str:
    return _clip(f"{level.code} \u00b7 {level.name}", 120)


class _Timeline:
    """The geometry of an episode drawing: days map onto x from the first known day to `end`
    (beyond the last event for an open episode, so its current stay visibly goes on)."""

    width, left, right, top, pitch, bar = 760.0, 190.0, 96.0, 72.0, 34.0, 18.0

    def __init__(self, episode: Episode, ident: str) -> None:
        known = [
            day
            for stay in (*episode.stays, *episode.concurrent)
            for day in (stay.start, stay.end)
            if day is not None
        ]
        known += [day for grant in episode.authorizations for day in (grant.start, grant.end)]
        self.first = min(known).toordinal()
        last = max(known).toordinal()
        self.end = (
            last + max(7, (last - self.first) // 5)
            if episode.discharge_record is None
            else max(last, self.first + 1)
        )
        self.ident = ident
        # The row labels are drawn whole: the margin widens for long level names (up to 120
        # characters of a label, then clipped; the stays' tooltips name the level in full).
        labels = {_row_words(s.level) for s in (*episode.stays, *episode.concurrent)}
        widest = max((_width(words, 11) for words in labels), default=0.0)
        self.left = max(type(self).left, 16 + widest)
        self.width = type(self).width + self.left - type(self).left
        self.plot = self.width - self.left - self.right

    def x(self, day: date | int) -> float:
        """Where a day (a date or an ordinal) falls."""
        ordinal = day if isinstance(day, int) else day.toordinal()
        return self.left + (ordinal - self.first) / (self.end - self.first) * self.plot

    def row_label(self, y: float, level: LevelOfCare) -> str:
        words = _row_words(level)
        return _text(self.left - 8, y + 4, _e(words), size=11, extra=' text-anchor="end"')

    def heading(self, y: float, words: str) -> str:
        return _text(8, y, _e(words), size=11, extra=' font-weight="bold"')

    def bar_of(self, stay: Stay, y: float, *, alongside: bool = False) -> str:
        """A stay as a bar centred on `y`, labelled inside (above when it does not fit); an
        ongoing or concurrent stay is hatched with a dashed outline, an ongoing one runs to the
        edge marked "ongoing"."""
        ongoing = stay.end is None
        x1 = self.x(stay.start)
        x2 = self.x(self.end if stay.end is None else stay.end)
        if stay.end is None:
            words = f"{stay.level.code}, since {stay.start}"
            about = f"{stay.level}: from {stay.start}, ongoing"
        else:
            days = _plural(stay.length or 0, "day")
            words = f"{stay.level.code}, {days}"
            about = f"{stay.level}: {stay.start} to {stay.end}, {days}"
        if stay.reason:
            about += f"; reason: {stay.reason}"
        if stay.program is not None and stay.program.name:
            about += f"; program: {stay.program.name}"
        hatched = ongoing or alongside
        fill = f"url(#{self.ident}-hatch)" if hatched else "#d9d9d9"
        dash = ' stroke-dasharray="5 3"' if hatched else ""
        bar = self.bar
        parts = [
            f'<g class="stay" data-level="{_e(stay.level.code)}"><title>{_e(about)}</title>',
            f'<rect x="{_f(x1)}" y="{_f(y - bar / 2)}" width="{_f(max(x2 - x1, 2))}" '
            f'height="{_f(bar)}" fill="{fill}" stroke="#111111" stroke-width="1.2"{dash}/>',
        ]
        # About 6 px a character at this size; a label that does not fit goes above the bar,
        # clear of the arrow arriving at its left edge.
        if len(words) * 6 + 8 <= x2 - x1:
            parts.append(_text(x1 + 4, y + 4, _e(words), size=10, extra=_HALO))
        else:
            parts.append(_text(x1 + 6, y - bar / 2 - 3, _e(words), size=10, extra=_HALO))
        if ongoing:
            parts.append(_text(x2 + 4, y + 4, "ongoing \u2192", size=10))
        return "".join(parts) + "</g>"

    def ticks(self, days: Sequence[date], axis: float, *, last_at_end: bool) -> list[str]:
        """Tick marks on the date axis, labelled where there is room: the first always, the
        last always (the discharge), the others when clear of the previous label."""
        xs = [self.x(day) for day in days]
        labelled: list[int] = []
        for i, x in enumerate(xs):
            if labelled and x - xs[labelled[-1]] < 72:
                if i != len(xs) - 1:
                    continue
                if len(labelled) > 1:
                    labelled.pop()
            labelled.append(i)
        marks = [
            f'<line x1="{_f(x)}" y1="{_f(axis)}" x2="{_f(x)}" y2="{_f(axis + 5)}" '
            'stroke="#111111"/>'
            for x in xs
        ]
        for i in labelled:
            anchor = "start" if i == 0 else "middle"
            if i and i == len(xs) - 1 and last_at_end:
                anchor = "end"
            marks.append(
                _text(xs[i], axis + 18, _e(days[i]), size=10, extra=f' text-anchor="{anchor}"')
            )
        return marks


def episode_svg(episode: Episode) -> str:
    """An episode as a step chart: one row per level visited (more intensive higher), each stay
    a bar, each transition an arrow labelled step up or down (dashed for a transfer between
    pathways, which is neither); concurrent services and payer
    authorizations as lanes beneath; the discharge a dashed line, an open episode's current stay
    hatched and marked ongoing."""
    title, desc = _episode_words(episode)
    line = _Timeline(episode, _ident("episode", title + desc))
    body = [
        _defs(line.ident),
        _text(8, 20, _e(title), size=14, extra=' font-weight="bold"'),
        _text(8, 38, _e(_episode_status(episode)), size=11),
        line.heading(line.top - 14, "Main stays (more intensive higher)"),
    ]
    y = _main_stays(episode, line, body)
    if episode.concurrent:
        body.append(line.heading(y + 12, "Alongside the main stay"))
        y += 18
        for stay in episode.concurrent:
            body.append(line.row_label(y + line.pitch / 2, stay.level))
            body.append(line.bar_of(stay, y + line.pitch / 2, alongside=True))
            y += line.pitch
    if episode.authorizations:
        body.append(line.heading(y + 12, "Authorized by payers"))
        y += 18
        drawn, rows = _authorizations(episode, line, y)
        body.append(drawn)
        y += rows * line.pitch
    axis = y + 10
    discharge = episode.discharge_record
    if discharge is not None:
        x = line.x(discharge.on)
        words = f"discharged {discharge.on}: {discharge.reason.value}"
        if discharge.referred_to is not None:
            words += f", referred to {discharge.referred_to.scheme} {discharge.referred_to.code}"
        label = _text(x, 54, _e(words), size=11, extra=' text-anchor="end"')
        body.append(
            f'<g class="discharge"><line x1="{_f(x)}" y1="{_f(line.top - 6)}" x2="{_f(x)}" '
            f'y2="{_f(axis)}" stroke="#111111" stroke-width="1.5" stroke-dasharray="6 3"/>'
            f"{label}</g>"
        )
    body.append(
        f'<line x1="{_f(line.left)}" y1="{_f(axis)}" x2="{_f(line.left + line.plot)}" '
        f'y2="{_f(axis)}" stroke="#111111"/>'
    )
    ticks = [stay.start for stay in episode.stays]
    ticks += [discharge.on] if discharge is not None else []
    body.extend(line.ticks(ticks, axis, last_at_end=discharge is not None))
    legends = (
        "Grey bar: a stay. Hatched bar, dashed outline: going on, or alongside. Dotted outline: "
        "authorized.",
        "Arrow: a step up or down, its head at the new level; dashed arrow: a transfer to "
        "another pathway;",
        "\u2194: a lateral move. Dashed line: discharge.",
    )
    for i, legend in enumerate(legends):
        body.append(_text(8, axis + 38 + 14 * i, _e(legend), size=10))
    return _svg(line.ident, (line.width, axis + 34 + 14 * len(legends)), title, desc, body)


def _main_stays(episode: Episode, line: _Timeline, body: list[str]) -> float:
    """Draw the main stays, the step line and the transitions; return the y below them."""
    rows = sorted({stay.level for stay in episode.stays}, key=lambda lvl: lvl.rank, reverse=True)
    centre = {level: line.top + i * line.pitch + line.pitch / 2 for i, level in enumerate(rows)}
    for level, y in centre.items():
        body.append(line.row_label(y, level))
        body.append(
            f'<line x1="{_f(line.left)}" y1="{_f(y)}" x2="{_f(line.left + line.plot)}" '
            f'y2="{_f(y)}" stroke="#bbbbbb" stroke-dasharray="1 3"/>'
        )
    body.extend(line.bar_of(stay, centre[stay.level]) for stay in episode.stays)
    # Each move is an arrow from one bar to the next on its day, its head pointing up or down
    # (dashed for a transfer between pathways, whose rows are not one ladder); a lateral move
    # (another program at the same level) is a tick across the bar, marked.
    for move in episode.transitions:
        x = line.x(move.on)
        y_from, y_to = centre[move.from_level], centre[move.to_level]
        about = f"{move.on}: {move.direction.value} from {move.from_level} to {move.to_level}"
        about += f" ({move.reason})" if move.reason else ""
        half = line.bar / 2
        if y_from != y_to:
            sign = 1 if y_to > y_from else -1
            dashed = ' stroke-dasharray="5 3"' if move.direction is Direction.TRANSFER else ""
            mark = (
                f'<line x1="{_f(x)}" y1="{_f(y_from + sign * half)}" x2="{_f(x)}" '
                f'y2="{_f(y_to - sign * half)}" stroke="#111111" stroke-width="2"{dashed} '
                f'marker-end="url(#{line.ident}-arrow)"/>'
            )
            glyph = ""
        else:
            mark = (
                f'<line x1="{_f(x)}" y1="{_f(y_from - half - 4)}" x2="{_f(x)}" '
                f'y2="{_f(y_from + half + 4)}" stroke="#111111" stroke-width="2"/>'
            )
            glyph = _text(x, y_from - half - 6, "\u2194", size=10, extra=' text-anchor="middle"')
        body.append(f'<g class="transition"><title>{_e(about)}</title>{mark}{glyph}</g>')
    return line.top + len(rows) * line.pitch + 8


def _authorization_rows(episode: Episode) -> list[int]:
    """The row each authorization is drawn in: the first whose authorizations all end before
    it starts, so that overlapping ones (a concurrent service's beside the main level's) are
    drawn one under the other."""
    ends: list[date] = []  # the last day drawn in each row
    rows = [0] * len(episode.authorizations)
    order = sorted(range(len(rows)), key=lambda i: episode.authorizations[i].start)
    for i in order:
        grant = episode.authorizations[i]
        row = next((r for r, end in enumerate(ends) if end < grant.start), len(ends))
        if row == len(ends):
            ends.append(grant.end)
        ends[row] = grant.end
        rows[i] = row
    return rows


def _authorizations(episode: Episode, line: _Timeline, y: float) -> tuple[str, int]:
    """The authorizations drawn from `y` down, and how many rows they take."""
    parts = [_text(line.left - 8, y + line.pitch / 2 + 4, "authorized", size=11,
                   extra=' text-anchor="end"')]  # fmt: skip
    rows = _authorization_rows(episode)
    for grant, row in zip(episode.authorizations, rows, strict=True):
        y_row = y + row * line.pitch
        x1, x2 = line.x(grant.start), line.x(grant.end.toordinal() + 1)  # the end is inclusive
        words = grant.level.code + (f", {grant.payer}" if grant.payer else "")
        about = f"{grant.level} authorized {grant.start} to {grant.end}"
        about += f" by {grant.payer}" if grant.payer else ""
        parts.append(
            f'<g class="authorization"><title>{_e(about)}</title>'
            f'<rect x="{_f(x1)}" y="{_f(y_row + (line.pitch - line.bar) / 2)}" '
            f'width="{_f(max(x2 - x1, 2))}" height="{_f(line.bar)}" fill="#ffffff" '
            'stroke="#111111" stroke-dasharray="1 2"/>'
            f"{_text(x1 + 3, y_row + line.pitch / 2 + 4, _e(words), size=10)}</g>"
        )
    return "".join(parts), max(rows, default=0) + 1


def _episode_status(episode: Episode) -> str:
    discharge = episode.discharge_record
    if discharge is None:
        current = episode.stays[-1]
        return (
            f"Admitted {episode.admitted_on}; open, at {current.level.code} since {current.start}."
        )
    return f"Admitted {episode.admitted_on}; discharged {discharge.on} ({discharge.reason.value})."


def _episode_words(episode: Episode) -> tuple[str, str]:
    title = f"Episode of client {episode.client_id} on {episode.continuum.scheme}"
    first = episode.stays[0]
    sentences = [f"Admitted at {first.level.code} ({first.level.name}) on {first.start}."]
    for move in episode.transitions:
        why = f" ({move.reason})" if move.reason else ""
        sentences.append(
            f"{move.on}: {move.direction.value} from {move.from_level.code} to "
            f"{move.to_level.code}{why}."
        )
    for stay in episode.concurrent:
        until = f"to {stay.end}" if stay.end is not None else "ongoing"
        sentences.append(f"Alongside: {stay.level.code} from {stay.start}, {until}.")
    for grant in episode.authorizations:
        sentences.append(f"Authorized: {grant.level.code} from {grant.start} to {grant.end}.")
    sentences.append(_episode_status(episode))
    return title, " ".join(sentences)
