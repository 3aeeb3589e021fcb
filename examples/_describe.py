"""Printing shared by the example scripts: a program's weekly and total figures, then its
sessions. Not part of the library; the scripts import it as a sibling module."""

from __future__ import annotations

from datetime import timedelta

import carecontinuum as cc


def hours(duration: timedelta) -> float:
    """A duration in hours, for printing."""
    return duration.total_seconds() / 3600


def _session_line(session: cc.Session) -> str:
    when = f"{session.weekday.name.title()[:3]} {session.start:%H:%M}-{session.end:%H:%M}"
    content = ", ".join(
        f"{seg.label or seg.service.value} {seg.duration.in_minutes()} min"
        + (f" ({seg.service.value})" if seg.label else "")
        for seg in session.segments
    )
    line = f"{when}  {hours(session.clinical_duration):>4g} h  {content}"
    if session.every_weeks > 1:
        line += f"  [every {session.every_weeks} weeks, from week {session.week_offset + 1}]"
    if session.delivery_mode is not None:
        line += f"  [{session.delivery_mode.value}]"
    return line


def describe(program: cc.ProgramStructure) -> None:
    """Print a program's weekly and total figures, then its sessions."""
    total_sessions = program.total_sessions
    total_hours = program.total_hours
    if isinstance(total_hours, cc.Span):
        hours_text = f"{hours(total_hours.minimum):g}-{hours(total_hours.maximum):g} h"
    else:
        hours_text = f"{hours(total_hours):g} h"
    rows = [
        ("level", str(program.level)),
        ("population", program.population.value),
        ("track", program.track.value),
        ("sessions per week", f"{program.sessions_per_week:g}"),
        ("program days per week", f"{program.days_per_week:g}"),
        ("days with any session", f"{program.service_days_per_week:g}"),
        ("weekly clinical hours", f"{program.weekly_hours.total_hours():g} h"),
        ("length in weeks", str(program.weeks)),
        ("total sessions", str(total_sessions)),
        ("total clinical hours", hours_text),
        ("delivery", program.delivery_mode.value),
        ("modalities", ", ".join(m.value for m in program.modalities) or "(none named)"),
    ]
    print(program.name)
    for label, value in rows:
        print(f"  {label + ':':<23}{value}")
    print("  sessions (weekday, start-end, clinical hours, content):")
    for session in program.sessions:
        print(f"    {_session_line(session)}")
