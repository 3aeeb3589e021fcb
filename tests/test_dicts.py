"""Plain data: `to_dict` and `from_dict` round trips for every value type, the JSON-safe format,
what cannot be written, and bad data reported in full."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum._dicts import SCHEMA, DataError, MissingExtraError, _codec, from_dict, to_dict
from carecontinuum._measures import weeks_of
from carecontinuum._plan import (
    Aftercare,
    AftercareService,
    CareRole,
    Goal,
    Intervention,
    Objective,
    Problem,
    TreatmentPlan,
)
from carecontinuum.catalogs import ALL, ASAM3, ASAM4, GENERIC, LOCUS
from fuzzing import cpu_time
from strategies import levels, programs

D = pendulum.date
H = pendulum.duration
S = cc.AttendanceStatus
JSON_TYPES = (dict, list, str, int, float, bool, type(None))

# Every value type to_dict writes, by name.
TYPES: dict[str, type] = {
    t.__name__: t
    for t in (
        cc.Aftercare, cc.Assessment, cc.Attendance, cc.AttendanceRecord, cc.Authorization,
        cc.Calendar, cc.CalendarWeek, cc.Classification, cc.Continuum, cc.Crosswalk,
        cc.Dimension, cc.Discharge, cc.Episode, cc.WeekFigures,
        cc.Finding, cc.Goal, cc.Intervention, cc.LevelOfCare, cc.LocusPolicy, cc.NeedsPolicy,
        cc.Objective, cc.Placement, cc.PlacementReason, cc.Problem, cc.ProgramStructure, cc.Rule,
        cc.RuleSeries, cc.RuleSet, cc.ScheduledSession, cc.Segment, cc.Session, cc.Source,
        cc.Span, cc.Stay, cc.Transition, cc.TreatmentPlan, cc.ValidationReport, cc.WeekDelivery,
        rulesets.PerDiemDay, rulesets.PerDiemPeriod,
    )
}  # fmt: skip


def assert_json_safe(data: object, path: str = "") -> None:
    """Only dicts with string keys, lists, strings, numbers, booleans and None."""
    assert type(data) in JSON_TYPES, f"{path}: {type(data).__name__}"
    if isinstance(data, dict):
        for key, value in data.items():
            assert type(key) is str, f"{path}: key {key!r}"
            assert_json_safe(value, f"{path}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            assert_json_safe(value, f"{path}[{i}]")


def round_trip(value: Any) -> Any:
    """Write `value`, pass it through JSON text, read it back; return what came back after
    checking it equals `value`."""
    data = to_dict(value)
    assert_json_safe(data)
    assert list(data)[:2] == ["schema", "type"]
    assert data["schema"] == SCHEMA and data["type"] == type(value).__name__
    text = json.dumps(data, allow_nan=False)
    back = from_dict(type(value), json.loads(text))
    assert back == value
    assert type(back) is type(value)
    named = from_dict(json.loads(text))  # the class the data names
    assert named == value
    assert type(named) is type(value)
    assert to_dict(back) == data
    return back


def assert_sessions_written(cal: cc.Calendar, data: dict[str, Any]) -> None:
    """The calendar's data lists its dated sessions, held and closed, each with the instants
    of its start and end in the calendar's zone (the same instant and UTC offset), its
    template's position in the program and its week."""
    for key in ("sessions", "closed"):
        made = getattr(cal, key)
        assert len(data[key]) == len(made)
        for written, scheduled in zip(data[key], made, strict=True):
            for end in ("start", "end"):
                instant, made_at = datetime.fromisoformat(written[end]), getattr(scheduled, end)
                # Compared in UTC: Python never finds a time of a repeated hour equal to one
                # in another zone.
                assert instant.astimezone(UTC) == made_at.astimezone(UTC)
                assert instant.utcoffset() == made_at.utcoffset()
            assert cal.program.sessions[written["index"]] == scheduled.session
            assert written["week"] == scheduled.week


def problems_of(cls: type, data: object) -> tuple[str, ...]:
    with pytest.raises(DataError) as info:
        from_dict(cls, data)
    return info.value.problems


# ---- values to write ---------------------------------------------------------------------------


def iop(weeks: int | tuple[int, int] = (8, 12)) -> cc.ProgramStructure:
    return cc.ProgramStructure.weekly(
        GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=weeks,
        start="18:00", name="Evening IOP", modalities=[cc.Modality.CBT, cc.Modality.MI],
    )  # fmt: skip


def calendar() -> cc.Calendar:
    return cc.expand(
        iop(), D(2026, 3, 2), "America/New_York", closures=[D(2026, 3, 4), D(2027, 1, 1)], until=10
    )


def spanning_2026() -> cc.Calendar:
    """A calendar across North Carolina's 2026 revision of its SAIOP rules."""
    return cc.expand(iop(), D(2025, 12, 1), "America/New_York", until=D(2026, 2, 13))


def attendance() -> cc.Attendance:
    cal = calendar()
    s = cal.sessions
    at = pendulum.datetime(2026, 3, 3, 10, tz="America/New_York")
    return cc.Attendance(
        cal,
        [
            cc.AttendanceRecord(s[2], S.ABSENT, client_id="c-1"),
            cc.AttendanceRecord(s[0], S.PRESENT),
            cc.AttendanceRecord(s[1], S.PARTIAL, attended=H(hours=2, minutes=15)),
            cc.AttendanceRecord(s[3], S.EXCUSED),
            cc.AttendanceRecord.extra(at, at.add(minutes=50), client_id="c-1"),
            cc.AttendanceRecord.extra(
                at.add(days=2), at.add(days=2, hours=1), service=cc.Service.FAMILY_THERAPY,
                status=S.PARTIAL, attended=H(minutes=40), program_day=True,
            ),
        ],
    )  # fmt: skip


def asam3(**ratings: int) -> cc.Assessment:
    return cc.Assessment(
        "ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1, **ratings}, date(2026, 2, 27),
        client_id="c-104",
    )  # fmt: skip


def assessments() -> list[cc.Assessment]:
    locus = dict.fromkeys(["I", "II", "III", "IV-A", "IV-B", "V", "VI"], 2)
    return [
        asam3(),
        cc.Assessment("ASAM4", {"1": 3, "2": 1, "3": 1, "4": 2, "5": 1, "6": 1}, D(2024, 5, 1)),
        cc.Assessment("LOCUS", {**locus, "I": 5}, date(2024, 5, 1)),
    ]


LOCUS_FLOORS = cc.LocusPolicy({("I", 5): "6", ("I", 4): "5"}, name="clinic floors")


def placements() -> list[cc.Placement]:
    a3, a4, locus = assessments()
    placed = cc.place(a3, ASAM3)
    return [
        placed,
        placed.choose(ASAM3["1"], cc.DeviationReason.SERVICE_UNAVAILABLE),
        placed.choose(ASAM3["3.5"], cc.DeviationReason.OTHER, "only bed in the county"),
        cc.place(a4, ASAM4),
        cc.place(locus, LOCUS),
        cc.place(locus, LOCUS, LOCUS_FLOORS),
    ]


def plan() -> TreatmentPlan:
    groups = Intervention(cc.Service.GROUP_THERAPY, 3, CareRole.ADDICTION_COUNSELOR)
    family = Intervention(
        cc.Service.FAMILY_THERAPY, 0.5, CareRole.FAMILY_THERAPIST, description="Sunday family"
    )
    intake = asam3()
    return TreatmentPlan(
        "c-104", intake, cc.place(intake, ASAM3), iop(),
        [
            Problem("Alcohol use disorder", [
                Goal("Maintain abstinence", [
                    Objective("Names three triggers", date(2026, 3, 20), [groups, family]),
                    Objective("Attends 90% of groups", date(2026, 4, 20)),
                ]),
                Goal("Rebuild routines"),
            ]),
            Problem("Insomnia"),
        ],
        start=date(2026, 3, 2), review_every_days=30, next_review=date(2026, 4, 1),
        discharge_criteria=["Completes the relapse-prevention plan", "Sober housing in place"],
        aftercare=Aftercare(GENERIC["OP"], [AftercareService.ALUMNI], "Tuesday alumni group"),
    )  # fmt: skip


def episode() -> cc.Episode:
    """Detox to outpatient, with an assessment, a program, an authorization and a discharge."""
    return (
        cc.Episode.admit("c-1", "DETOX", D(2026, 1, 5), continuum=GENERIC, reason="intake")
        .step_to("RESIDENTIAL", D(2026, 1, 10), "withdrawal complete", assessment=asam3())
        .step_to("IOP", D(2026, 3, 2), "stable", program=iop())
        .authorize("IOP", D(2026, 3, 2), D(2026, 3, 29), payer="Aetna", units=24,
                   next_review=D(2026, 3, 23))
        .step_to("PHP", D(2026, 3, 16), "relapse")
        .discharge(D(2026, 5, 1), cc.DischargeReason.COMPLETED, note="goals met",
                   referred_to=ASAM3["1"])
    )  # fmt: skip


def concurrent_episode() -> cc.Episode:
    """ASAM 2.1 with opioid treatment alongside, still open."""
    return (
        cc.Episode.admit("c-2", "2.1", D(2026, 1, 5), continuum=ASAM3)
        .add_concurrent("OTP", D(2026, 1, 6), "methadone")
        .add_concurrent("2-WM", D(2026, 1, 7))
        .end_concurrent("2-WM", D(2026, 1, 9))
    )


CLINIC_LEVELS = (
    cc.LevelOfCare("LOW", "Check-ins", "CLINIC", cc.Setting.COMMUNITY, overnight=False,
                   supervision=cc.Supervision.NONE, rank=0, aliases=("CHK",)),
    cc.LevelOfCare("DAY", "Day program", "CLINIC", cc.Setting.OUTPATIENT, overnight=False,
                   supervision=cc.Supervision.SCHEDULED, rank=1,
                   management=cc.Management.CLINICALLY_MANAGED, adolescent_name="Teen day"),
    cc.LevelOfCare("STAY", "Residence", "CLINIC", cc.Setting.RESIDENTIAL, overnight=True,
                   supervision=cc.Supervision.TWENTY_FOUR_HOUR, rank=2, pathway="res",
                   concurrent=True),
)  # fmt: skip
CLINIC = cc.Continuum("CLINIC", "A clinic's own ladder", CLINIC_LEVELS, "Clinic policy 2026")


def reports() -> list[cc.ValidationReport]:
    program = iop()
    return [
        *(cc.validate(program, ruleset) for ruleset in rulesets.ALL.values()),
        cc.validate(program, rulesets.ASAM3, as_level=ASAM3["2.5"]),
        cc.validate(calendar(), rulesets.NC_SAIOP),
        cc.validate(calendar(), rulesets.NC_SAIOP_2026),
        cc.validate(spanning_2026(), rulesets.NC_SAIOP_SERIES),
        cc.validate(program, rulesets.NC_SAIOP_SERIES, on=date(2025, 6, 2)),
        cc.validate(attendance(), rulesets.TYPICAL_IOP),
        cc.validate(plan(), rulesets.PLAN_RULES, on=date(2026, 4, 6)),
        cc.validate(plan(), rulesets.PLAN_RULES),
        cc.validate(episode(), rulesets.EPISODE_RULES, on=date(2026, 4, 6)),
    ]


# ---- round trips -------------------------------------------------------------------------------


class TestRoundTrip:
    """from_dict(type(x), to_dict(x)) == x, through JSON text, for every value type."""

    @given(programs())
    def test_programs_and_their_sessions_and_segments(self, program: cc.ProgramStructure) -> None:
        """Every valid program, each of its sessions and segments, and its length."""
        round_trip(program)
        for session in program.sessions:
            round_trip(session)
            for segment in session.segments:
                round_trip(segment)
        if isinstance(program.weeks, cc.Span):
            round_trip(program.weeks)
        for week in weeks_of(program):
            round_trip(week)

    @given(levels)
    def test_catalog_levels(self, level: cc.LevelOfCare) -> None:
        """Every level of every catalog comes back as the catalog's own object."""
        assert round_trip(level) is level

    @pytest.mark.parametrize("target", list(ALL.values()), ids=list(ALL))
    def test_crosswalks(self, target: cc.Continuum) -> None:
        """The crosswalk of every catalog level to every catalog: exact, approximate and empty;
        its levels written by reference."""
        walks = [cc.crosswalk(level, to=target) for c in ALL.values() for level in c]
        assert {(len(w) > 1, w.approximate) for w in walks} >= {(False, False), (False, True)}
        for walk in walks:
            assert round_trip(walk).levels == walk.levels
        assert to_dict(walks[0])["source"] == {"scheme": "GENERIC", "code": walks[0].source.code}

    def test_week_figures_write_their_entries_by_weekday_name_and_duration(self) -> None:
        """A week's entries as data: the weekday's name, the clinical time as ISO 8601, the
        position and the session template."""
        program = iop()
        (week,) = weeks_of(program)
        entry = to_dict(week)["entries"][1]
        assert entry == {
            "weekday": "wednesday",
            "clinical": "PT3H",
            "index": 1,
            "session": {k: v for k, v in to_dict(program.sessions[1]).items()
                        if k not in ("schema", "type")},
        }  # fmt: skip

    @pytest.mark.parametrize("continuum", list(ALL.values()), ids=list(ALL))
    def test_catalog_continua(self, continuum: cc.Continuum) -> None:
        """A catalog continuum comes back as the catalog's own object."""
        assert round_trip(continuum) is continuum

    def test_levels_and_continua_of_ones_own(self) -> None:
        """Custom levels (aliases, pathways, adolescent names) and their continuum, in full;
        so is a level of one's own in a catalog scheme, with a code of its own."""
        round_trip(CLINIC)
        for level in CLINIC_LEVELS:
            round_trip(level)
        own = attrs.evolve(GENERIC["IOP"], code="EVENING-IOP", name="Our evening IOP")
        assert round_trip(own) != GENERIC["IOP"]

    def test_a_catalog_level_written_in_full_reads_back_as_it(self) -> None:
        """A catalog level written field by field reads back equal to the catalog's level;
        changed in one field (a trailing space in the name), it is refused, naming the field."""
        data = to_dict(attrs.evolve(GENERIC["IOP"], code="X"))
        data["code"] = "IOP"
        assert from_dict(cc.LevelOfCare, data) == GENERIC["IOP"]
        data["name"] += " "
        (problem,) = problems_of(cc.LevelOfCare, data)
        assert problem.startswith("name: expected 'Intensive outpatient'"), problem

    @given(programs(), st.sampled_from(["UTC", "America/New_York", "Europe/Berlin",
                                        "Australia/Lord_Howe", "America/Santiago"]),
           st.dates(date(2024, 1, 1), date(2030, 12, 31)),
           st.lists(st.dates(date(2024, 1, 1), date(2031, 12, 31)), max_size=4))  # fmt: skip
    def test_calendars_and_their_sessions(
        self, program: cc.ProgramStructure, zone: str, start: date, closures: list[date]
    ) -> None:
        """Calendars of every program, in zones with and without clock changes, with closures;
        and their dated sessions, held and closed."""
        try:
            cal = cc.expand(program, start, zone, closures=closures, until=program.max_weeks)
        except cc.ScheduleConflictError:
            reject()  # a clock change double-books this schedule: no calendar to write
        round_trip(cal)
        assert_sessions_written(cal, to_dict(cal))
        for scheduled in (*cal.sessions[:3], *cal.sessions[-2:], *cal.closed[:2]):
            round_trip(scheduled)
        weeks, figures = cal.by_week(), weeks_of(cal)
        for part in (*weeks[:2], *weeks[-1:], *figures[:2], *figures[-1:]):
            round_trip(part)

    def test_spans(self) -> None:
        """Spans of numbers, durations and dates; and read as Span[int]."""
        for span in (cc.Span(6, 12), cc.Span(2.5, 3.5), cc.Span(H(hours=9), H(hours=19)),
                     cc.Span(D(2026, 3, 2), D(2026, 4, 26)), iop().total_hours):  # fmt: skip
            round_trip(span)
        assert from_dict(cc.Span[int], to_dict(cc.Span(6, 12))) == cc.Span(6, 12)

    def test_attendance_and_its_records(self) -> None:
        """Records of every status, extra sessions, and the weeks' delivery."""
        att = attendance()
        round_trip(att)
        for record in att.records:
            round_trip(record)
        for week in att.by_week():
            round_trip(week)
        figures = weeks_of(att)
        assert {week.items for week in figures} == {"records"}
        for figure in figures:
            round_trip(figure)

    def test_per_diem_days(self) -> None:
        """Medicare's per-diem days of a program (undated) and of an attendance (dated), and
        a date that is not on its weekday refused by name."""
        days = rulesets.per_diem_days(iop()) + rulesets.per_diem_days(attendance())
        assert {d.day is None for d in days} == {True, False}
        for day in days:
            round_trip(day)
        last = days[-1]
        assert last.day is not None
        data = to_dict(last)
        assert (data["weekday"], data["services"]) == (last.weekday.name.lower(), last.services)
        data["day"] = str(last.day.add(days=1))
        assert problems_of(rulesets.PerDiemDay, data) == (
            f"day: expected a date on a {last.weekday.name.title()}, got '{data['day']}'",
        )

    def test_assessments_placements_and_policies(self) -> None:
        """Assessments of each scheme; placements recommended, chosen and deviating; their
        rationale and drivers; the policies."""
        for assessment in assessments():
            round_trip(assessment)
        for placement in placements():
            round_trip(placement)
            for reason in placement.rationale:
                round_trip(reason)
            for dimension in placement.drivers:
                round_trip(dimension)
        for policy in (cc.NeedsPolicy.default("ASAM3"), cc.NeedsPolicy.default("ASAM4"),
                       cc.LocusPolicy(), LOCUS_FLOORS):  # fmt: skip
            round_trip(policy)

    def test_treatment_plans_and_their_parts(self) -> None:
        """A plan with problems, goals, objectives, interventions and aftercare; each part."""
        written = plan()
        round_trip(written)
        round_trip(written.reviewed(date(2026, 4, 1)))
        round_trip(attrs.evolve(written, aftercare=None))
        for problem in written.problems:
            round_trip(problem)
        for _, objective in written.objectives:
            round_trip(objective)
        for _, intervention in written.interventions:
            round_trip(intervention)
        round_trip(written.problems[0].goals[0])
        round_trip(Aftercare(services=[AftercareService.SUPPORT_GROUPS]))

    @pytest.mark.parametrize(
        "build",
        [
            episode,
            concurrent_episode,
            lambda: cc.Episode.admit("c-3", "DAY", D(2026, 1, 5), continuum=CLINIC).step_to(
                "STAY", D(2026, 2, 2)
            ),
        ],
        ids=["journey", "concurrent", "own continuum"],
    )
    def test_episodes_and_their_parts(self, build: Any) -> None:
        """Episodes built by admit and step_to (open, discharged, with concurrent services and
        authorizations, on a continuum of one's own); their stays, transitions, discharge and
        authorizations."""
        history = build()
        round_trip(history)
        for part in (*history.stays, *history.concurrent, *history.transitions,
                     *history.authorizations):  # fmt: skip
            round_trip(part)
        if history.discharge_record is not None:
            round_trip(history.discharge_record)

    def test_reports_findings_and_classifications(self) -> None:
        """Reports of every built-in rule set on every kind of subject, with the subject
        itself; their findings and sources; classifications."""
        for report in reports():
            back = round_trip(report)
            assert back.subject == report.subject  # a report's equality leaves it out
            assert back.ruleset is report.ruleset
            for finding in report.findings:
                round_trip(finding)
                round_trip(finding.source)
        assert any(r.findings for r in reports())
        for classification in cc.classify(iop(), rulesets.ASAM3):
            assert round_trip(classification).report.subject == iop()

    def test_a_series_report_keeps_which_version_judged_which_week(self) -> None:
        """A report of a built-in series on a dated subject comes back with its judged_by:
        each week's path and the built-in version that judged it, by name and version."""
        report = cc.validate(spanning_2026(), rulesets.NC_SAIOP_SERIES)
        data = to_dict(report)
        assert data["judged_by"]["weeks[2025-12-29]"] == {"name": "NC_SAIOP_2025",
                                                          "version": "8A (2025-01-01)"}  # fmt: skip
        back = round_trip(report)
        assert back.ruleset is rulesets.NC_SAIOP_SERIES.ruleset
        assert {path: rs.name for path, rs in back.judged_by.items()} == {
            path: rs.name for path, rs in report.judged_by.items()
        }
        assert back.judged_by["weeks[2026-01-05]"] is rulesets.NC_SAIOP_2026
        assert round_trip(rulesets.NC_SAIOP_SERIES) == rulesets.NC_SAIOP_SERIES

    def test_built_in_rule_sets_and_rules(self) -> None:
        """Every built-in rule set and each of its rules come back as the same objects."""
        for ruleset in rulesets.ALL.values():
            assert round_trip(ruleset) is ruleset
            for rule in ruleset:
                assert round_trip(rule) is rule


# ---- the format --------------------------------------------------------------------------------


class TestFormat:
    """What the data looks like: ISO 8601 texts, zone names, enum values, references."""

    def test_sessions_write_times_durations_and_weekdays(self) -> None:
        """Weekdays by name, start times as HH:MM, durations as ISO 8601, enums by value."""
        session = cc.Session(
            pendulum.WeekDay.MONDAY, pendulum.time(18), [
                cc.Segment(cc.Service.GROUP_THERAPY, H(hours=2, minutes=45)),
                cc.Segment(cc.Service.BREAK, H(minutes=15), label="coffee"),
            ], delivery_mode=cc.DeliveryMode.TELEHEALTH,
        )  # fmt: skip
        data = to_dict(session)
        assert data == {
            "schema": SCHEMA, "type": "Session", "weekday": "monday",
            "start": "18:00",
            "segments": [
                {"service": "group therapy", "duration": "PT2H45M", "label": None},
                {"service": "break", "duration": "PT15M", "label": "coffee"},
            ],
            "every_weeks": 1, "week_offset": 0, "delivery_mode": "telehealth",
            "overnight": False, "program_day": True, "name": None,
        }  # fmt: skip

    @pytest.mark.parametrize(
        ("duration", "text"),
        [
            (H(hours=3), "PT3H"),
            (H(minutes=90), "PT1H30M"),
            (H(seconds=90.5), "PT1M30.5S"),
            (H(microseconds=1), "PT0.000001S"),
            (H(), "PT0S"),
            (H(days=2, hours=1), "PT49H"),
            (H(hours=-2), "-PT2H"),
        ],
    )
    def test_durations_are_iso_8601(self, duration: pendulum.Duration, text: str) -> None:
        """Hours, minutes and (fractional) seconds; days are written as 24 hours."""
        data = to_dict(cc.Span(duration, duration))
        assert data["minimum"] == text
        assert from_dict(cc.Span, data).minimum == duration

    @pytest.mark.parametrize(("text", "hours"), [("P1D", 24), ("P1DT2H", 26), ("PT0.5H", None)])
    def test_durations_read_days_as_24_hours(self, text: str, hours: float | None) -> None:
        """A day in a duration reads as 24 hours; fractions only on seconds."""
        data = {"schema": SCHEMA, "type": "Span", "minimum": text, "maximum": text}
        if hours is None:
            assert problems_of(cc.Span, data)[0].startswith("minimum: expected a number")
        else:
            assert from_dict(cc.Span, data).minimum == H(hours=hours)

    def test_times_keep_seconds_when_there_are_some(self) -> None:
        """'HH:MM' on the minute, 'HH:MM:SS[.ffffff]' otherwise."""
        for start, text in ((pendulum.time(9, 5), "09:05"), (pendulum.time(9, 5, 30), "09:05:30"),
                            (pendulum.time(9, 5, 0, 250_000), "09:05:00.25")):  # fmt: skip
            session = cc.Session(pendulum.WeekDay.FRIDAY, start,
                                 [cc.Segment(cc.Service.CHECK_IN, H(minutes=30))])  # fmt: skip
            assert to_dict(session)["start"] == text
            round_trip(session)

    def test_calendars_write_what_rebuilds_them_and_their_sessions(self) -> None:
        """A calendar is its program, its zone's IANA name, its first and last days and its
        closures (all of them, as expand() keeps them); then its dated sessions, held and
        closed, each as its start and end with their UTC offsets, its template's position in
        the program's sessions and its program week."""
        cal = calendar()
        data = to_dict(cal)
        assert list(data) == ["schema", "type", "program", "zone", "first", "last", "closures",
                              "sessions", "closed"]  # fmt: skip
        assert data["zone"] == "America/New_York"
        assert (data["first"], data["last"]) == ("2026-03-02", "2026-05-10")
        assert data["closures"] == ["2026-03-04", "2027-01-01"]
        assert data["closed"] == [
            {"start": "2026-03-04T18:00:00-05:00", "end": "2026-03-04T21:00:00-05:00",
             "index": 1, "week": 0},
        ]  # fmt: skip
        # The clock change of 8 March: 18:00 local stays 18:00, its offset changes.
        assert data["sessions"][1:3] == [
            {"start": "2026-03-06T18:00:00-05:00", "end": "2026-03-06T21:00:00-05:00",
             "index": 2, "week": 0},
            {"start": "2026-03-09T18:00:00-04:00", "end": "2026-03-09T21:00:00-04:00",
             "index": 0, "week": 1},
        ]  # fmt: skip
        assert_sessions_written(cal, data)

    def test_a_session_ending_in_a_repeated_hour_reads_back(self) -> None:
        """Santiago's clocks went back from midnight to 23:00 on 6 April 2024: a session from
        18:00 lasting 5 hours ends in the hour lived twice (at its first 23:00, -03:00), which
        Python finds equal to no time of another zone; it reads back."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["sat"], hours_per_session=5, weeks=2, start="18:00"
        )
        cal = cc.expand(program, D(2024, 3, 30), "America/Santiago")
        data = to_dict(cal)
        assert data["sessions"][1]["end"] == "2024-04-06T23:00:00-03:00"
        round_trip(cal)
        assert_sessions_written(cal, data)

    def test_a_calendar_without_its_sessions_is_read(self) -> None:
        """The sessions are optional on reading (data written before they were, or by hand):
        the calendar is what expand() makes of the rest."""
        data = to_dict(calendar())
        del data["sessions"], data["closed"]
        assert from_dict(data) == calendar()

    @pytest.mark.parametrize(
        ("key", "i", "field", "value", "expected"),
        [
            ("sessions", 4, "start", "2026-03-13T22:00:00Z",  # the instant, another offset
             "expected '2026-03-13T18:00:00-04:00', as expand() makes it, got "
             "'2026-03-13T22:00:00+00:00'"),
            ("sessions", 4, "start", "2026-03-13T18:00:00-05:00",
             "expected '2026-03-13T18:00:00-04:00', as expand() makes it, got "
             "'2026-03-13T18:00:00-05:00'"),
            ("sessions", 0, "end", "2026-03-02T20:00:00-05:00",
             "expected '2026-03-02T21:00:00-05:00', as expand() makes it, got "
             "'2026-03-02T20:00:00-05:00'"),
            ("closed", 0, "index", 0, "expected 1, as expand() makes it, got 0"),
            ("sessions", 3, "week", 0, "expected 1, as expand() makes it, got 0"),
        ],
    )  # fmt: skip
    def test_sessions_other_than_the_calendar_makes_are_refused_at_their_path(
        self, key: str, i: int, field: str, value: object, expected: str
    ) -> None:
        """Each written session must be the one expand() makes: a start at another instant or
        offset, another end, position or week is refused at its path."""
        data = to_dict(calendar())
        data[key][i][field] = value
        assert problems_of(cc.Calendar, data) == (f"{key}[{i}].{field}: {expected}",)

    def test_a_session_too_many_or_too_few_is_refused(self) -> None:
        """A list of another length is refused at its key, saying how many expand() makes."""
        data = to_dict(calendar())
        data["closed"].append(data["sessions"].pop())
        assert problems_of(cc.Calendar, data) == (
            "sessions: expected the 29 sessions expand() makes of program, zone, first, last "
            "and closures, got 28",
        )
        data["sessions"].append(data["closed"].pop())
        data["closed"] = []
        assert problems_of(cc.Calendar, data) == (
            "closed: expected the 1 sessions expand() makes of program, zone, first, last "
            "and closures, got 0",
        )

    def test_malformed_sessions_are_reported_with_the_rest(self) -> None:
        """A session's keys are read like any object's: every problem listed together."""
        data = to_dict(calendar())
        data["sessions"][2]["start"] = "2026-03-06T18:00:00"  # no offset
        del data["sessions"][4]["week"]
        data["zone"] = "Mars/Olympus"
        assert [p.partition(":")[0] for p in problems_of(cc.Calendar, data)] == [
            "zone",
            "sessions[2].start",
            "sessions[4].week",
        ]

    def test_scheduled_sessions_name_their_day_zone_and_week(self) -> None:
        """A dated session is its template, its index and week, its day and its zone."""
        data = to_dict(calendar().sessions[3])
        assert {k: data[k] for k in ("index", "week", "day", "zone")} == {
            "index": 1,
            "week": 1,
            "day": "2026-03-11",
            "zone": "America/New_York",
        }
        assert data["session"]["weekday"] == "wednesday"

    def test_extra_sessions_write_aware_datetimes(self) -> None:
        """An unscheduled record has no session and its own times, with their UTC offset."""
        data = to_dict(attendance().records[4])
        assert data["session"] is None
        assert data["start"] == "2026-03-03T10:00:00-05:00"
        assert data["end"] == "2026-03-03T10:50:00-05:00"
        utc = from_dict(cc.AttendanceRecord, {**data, "start": "2026-03-03T15:00:00Z",
                                              "end": "2026-03-03T15:50:00+00:00"})  # fmt: skip
        assert utc == attendance().records[4]

    def test_attendance_names_sessions_by_position(self) -> None:
        """Inside an attendance, a record's session is its position in the calendar; only a
        PARTIAL record carries its attended time."""
        data = to_dict(attendance())
        assert [r["session"] for r in data["records"]] == [2, 0, 1, 3, None, None]
        assert [r["attended"] for r in data["records"]] == [None, None, "PT2H15M", None, None,
                                                            "PT40M"]  # fmt: skip

    def test_catalog_values_are_written_by_reference(self) -> None:
        """Catalog levels by scheme and code, catalog continua by scheme, built-in rule sets by
        name and version, built-in rules by set and id; others in full."""
        assert to_dict(ASAM3["2.1"]) == {"schema": SCHEMA, "type": "LevelOfCare",
                                         "scheme": "ASAM3", "code": "2.1"}  # fmt: skip
        assert to_dict(LOCUS) == {"schema": SCHEMA, "type": "Continuum", "scheme": "LOCUS"}
        assert to_dict(rulesets.ASAM3) == {"schema": SCHEMA, "type": "RuleSet",
                                           "name": "ASAM3", "version": "2013"}  # fmt: skip
        assert to_dict(rulesets.TEDS.rules[0]) == {
            "schema": SCHEMA, "type": "Rule", "ruleset": "TEDS", "version": "TEDS-A",
            "id": "TEDS-IOP-HOURS-PER-DAY",
        }  # fmt: skip
        level = to_dict(CLINIC_LEVELS[1])
        assert level["setting"] == "outpatient" and level["management"] == "clinically managed"
        assert [lvl["code"] for lvl in to_dict(CLINIC)["levels"]] == ["LOW", "DAY", "STAY"]

    def test_a_level_code_may_be_an_alias(self) -> None:
        """Reading a reference accepts what the catalog's look-up accepts, aliases included."""
        data = {"schema": SCHEMA, "type": "LevelOfCare", "scheme": "ASAM3", "code": "III.7-D"}
        assert from_dict(cc.LevelOfCare, data) is ASAM3["3.7-WM"]

    def test_keys_with_defaults_may_be_left_out(self) -> None:
        """Hand-written data may leave out what the constructor defaults."""
        data = {
            "schema": SCHEMA, "type": "ProgramStructure",
            "level": {"scheme": "GENERIC", "code": "IOP"},
            "population": "adult", "track": "substance use", "weeks": 8,
            "sessions": [{"weekday": day, "start": "09:00",
                          "segments": [{"service": "group therapy", "duration": "PT3H"}]}
                         for day in ("monday", "wednesday", "friday")],
        }  # fmt: skip
        expected = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8
        )
        assert from_dict(cc.ProgramStructure, data) == expected

    def test_reports_carry_their_subject_with_its_own_envelope(self) -> None:
        """A report's subject is written in full, with its own schema and type."""
        data = to_dict(cc.validate(iop(), rulesets.MEDICARE_2024))
        assert data["subject"]["schema"] == SCHEMA
        assert data["subject"]["type"] == "ProgramStructure"
        assert data["ruleset"] == {"name": "MEDICARE_2024", "version": "CY2024"}

    def test_to_dict_returns_a_new_dict_each_time(self) -> None:
        """Changing the data never changes the value or the next dict."""
        program = iop()
        first = to_dict(program)
        first["sessions"].clear()
        assert to_dict(program)["sessions"]


# ---- values that cannot be written -------------------------------------------------------------


class TestRefusals:
    """What to_dict cannot write is refused with DataError, each problem at its path."""

    def test_rule_sets_with_rules_written_in_python(self) -> None:
        """A rule set that is not built in is written in full: its factory rules as their
        factories' arguments, a built-in rule whose check is written in Python by reference
        (named as code); a rule of one's own written in Python is refused, named at its path."""
        composed = rulesets.MEDICARE_2024 | rulesets.HCPCS_H0015
        data = to_dict(composed)
        by_reference = [rule for rule in data["rules"] if "factory" not in rule]
        assert {rule["id"] for rule in by_reference} == {
            "MEDICARE-PER-DIEM-TIERS", "H0015-TRACK",
        }  # fmt: skip
        assert by_reference[0].keys() == {"ruleset", "version", "id"}
        assert from_dict(data) == composed

        def own_check(context: cc.RuleContext) -> Any:
            return iter(())

        own = cc.Rule("OWN-1", "A clinic's own rule", source=cc.Source("Clinic"), check=own_check)
        mine = cc.RuleSet("Mine", "1", [*rulesets.TEDS.rules, own])
        with pytest.raises(DataError) as info:
            to_dict(mine)
        (problem,) = info.value.problems
        assert problem.startswith(
            f"rules[{len(rulesets.TEDS.rules)}]: rule 'OWN-1' has a check written in Python"
        )
        assert "only factory rules are data" in problem
        with pytest.raises(DataError) as info:
            to_dict(cc.validate(iop(), mine))
        assert info.value.problems[0].startswith("ruleset.rules[")

    def test_a_rule_changed_past_its_factory(self) -> None:
        """A factory rule changed in what its factory takes no argument for (its tags) does not
        round-trip, so it is refused, named."""
        rule = attrs.evolve(rulesets.ASAM3.rules[0], tags=frozenset({"mine"}))
        with pytest.raises(DataError, match=r"rules\[0\]: rule 'ASAM3-1-ADULT-HOURS' was changed"):
            to_dict(cc.RuleSet("MINE", "1", [rule]))

    def test_rules_of_ones_own(self) -> None:
        """A rule that no built-in set holds is refused."""
        amended = rulesets.ASAM3.override("ASAM3-2.1-ADULT-HOURS", at_least=8)
        with pytest.raises(DataError, match="only the rules of the built-in rule sets"):
            to_dict(amended["ASAM3-2.1-ADULT-HOURS"])

    def test_narrowed_calendars(self) -> None:
        """A calendar narrowed with between() is not what expand() makes: refused."""
        with pytest.raises(DataError, match=r"narrowed with between\(\)"):
            to_dict(calendar().between(D(2026, 3, 9), D(2026, 3, 22)))

    def test_stand_ins_are_refused_and_named_at_their_paths(self) -> None:
        """A stand-in for an assessment is refused where a plan or an episode is built; one
        forced past the constructor is refused by to_dict, every stand-in listed."""
        intake = SimpleNamespace(on=date(2026, 2, 27), client_id="c-104")
        placed = SimpleNamespace(on=intake.on, assessment=intake)
        with pytest.raises(cc.InvalidTypeError) as refused:
            attrs.evolve(plan(), assessment=intake, placement=placed)
        assert refused.value.field == "assessment"
        with pytest.raises(cc.InvalidTypeError):
            cc.Episode.admit("c-1", "IOP", D(2026, 3, 2), continuum=GENERIC).step_to(
                "OP",
                D(2026, 4, 27),
                assessment=SimpleNamespace(on=D(2026, 4, 24)),  # type: ignore[arg-type]
            )
        forced = plan()
        object.__setattr__(forced, "assessment", intake)
        object.__setattr__(forced, "placement", placed)
        with pytest.raises(DataError) as info:
            to_dict(forced)
        assert [p.split(":")[0] for p in info.value.problems] == ["assessment", "placement"]

    def test_values_of_other_types(self) -> None:
        """Only the library's value types are written or read."""
        with pytest.raises(cc.InvalidTypeError):
            to_dict({"a": 1})
        with pytest.raises(cc.InvalidTypeError):
            to_dict(rulesets)
        with pytest.raises(cc.InvalidTypeError):
            from_dict(dict, {})


# ---- bad data ----------------------------------------------------------------------------------


def program_data() -> dict[str, Any]:
    return to_dict(iop())


class TestBadData:
    """from_dict reports every problem at once, each with its path, as one DataError."""

    def test_missing_extra_and_mistyped_keys_all_at_once(self) -> None:
        """Problems anywhere in the tree are listed together, in the data's order."""
        data = program_data()
        del data["population"]
        data["colour"] = "blue"
        data["sessions"][0]["start"] = "6pm"
        data["sessions"][1]["segments"][0]["duration"] = 3
        data["sessions"][2]["every_weeks"] = "2"
        data["sessions"][2]["room"] = 4
        data["level"] = {"scheme": "ASAM3", "code": "2.2"}
        data["weeks"] = {"minimum": 12, "maximum": 6}
        assert problems_of(cc.ProgramStructure, data) == (
            "level.code: no level '2.2' in scheme 'ASAM3'; did you mean '2.1', '2.5'?",
            "population: missing; expected one of 'adult', 'adolescent'",
            "sessions[0].start: expected a time 'HH:MM[:SS]', got '6pm'",
            "sessions[1].segments[0].duration: expected an ISO 8601 duration such as "
            "'PT2H45M', got 3",
            "sessions[2].every_weeks: expected an int, got '2'",
            "sessions[2].room: unexpected key (a Session has weekday, start, segments, "
            "every_weeks, week_offset, delivery_mode, overnight, program_day, name)",
            "weeks.minimum: expected at most the maximum (6), got 12",
            "colour: unexpected key (a ProgramStructure has level, population, track, "
            "sessions, weeks, delivery_mode, modalities, name)",
        )

    @pytest.mark.parametrize(
        ("path", "value", "expected"),
        [
            (("weeks",), 8.0, "weeks: expected a number of weeks"),
            (("weeks",), True, "weeks: expected a number of weeks"),
            (("name",), 7, "name: expected a string, got 7"),
            (("population",), "Adult", "population: expected one of 'adult', 'adolescent'"),
            (("sessions", 0, "weekday"), "mon", "sessions[0].weekday: expected a weekday name"),
            (("sessions", 0, "weekday"), 0, "sessions[0].weekday: expected a weekday name"),
            (("sessions", 0, "overnight"), 0, "sessions[0].overnight: expected true or false"),
            (("sessions", 0, "start"), "24:00", "sessions[0].start: expected a time"),
            (("sessions", 0, "start"), "9:00", "sessions[0].start: expected a time"),
            (("sessions", 0, "segments"), {"service": "break"}, "sessions[0].segments: "
             "expected a list"),
            (("sessions", 0, "segments", 0, "duration"), "3 hours", "sessions[0].segments[0]."
             "duration: expected an ISO 8601 duration"),
            (("sessions", 0, "segments", 0, "duration"), "P1M", "sessions[0].segments[0]."
             "duration: expected an ISO 8601 duration"),
            (("modalities",), "cognitive behavioral therapy", "modalities: expected a list"),
            (("level",), "IOP", "level: expected a level of care"),
            (("level", "scheme"), "generic", "level.scheme: expected one of the catalog schemes"),
        ],
    )  # fmt: skip
    def test_nothing_is_coerced(self, path: tuple[Any, ...], value: object, expected: str) -> None:
        """A float is not an int, a string not a number, 0 not false, 'mon' not 'monday'."""
        data = program_data()
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        (problem,) = problems_of(cc.ProgramStructure, data)
        assert problem.startswith(expected)

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            ({"schema": "carecontinuum/2"}, [
                "schema: expected 'carecontinuum/1.1' or another 'carecontinuum/1.x', the "
                "format this version reads; got 'carecontinuum/2', a later format: read it with "
                "the carecontinuum that wrote it, or a later one"]),
            ({"schema": "carecontinuum/0.9"}, [
                "schema: expected 'carecontinuum/1.1' or another 'carecontinuum/1.x', the "
                "format this version reads, got 'carecontinuum/0.9'"]),
            ({"type": "Session"}, ["type: expected 'ProgramStructure' (the cls asked for), "
                                   "got 'Session'"]),
            ({"schema": None, "type": "Nope"}, [
                "schema: expected 'carecontinuum/1.1' or another 'carecontinuum/1.x', the "
                "format this version reads, got None",
                "type: expected 'ProgramStructure' (the cls asked for), got 'Nope'"]),
        ],
    )  # fmt: skip
    def test_wrong_schema_or_type(self, change: dict[str, Any], expected: list[str]) -> None:
        """The envelope is checked first; a wrong one stops the reading there."""
        data = {**program_data(), **change}
        data["sessions"] = "not read"
        assert list(problems_of(cc.ProgramStructure, data)) == expected

    def test_missing_envelope_keys(self) -> None:
        """Data without schema or type is refused, naming both."""
        body = {k: v for k, v in program_data().items() if k not in ("schema", "type")}
        assert problems_of(cc.ProgramStructure, body) == (
            "schema: missing; expected 'carecontinuum/1.1'",
            "type: missing; expected 'ProgramStructure'",
        )

    @pytest.mark.parametrize("junk", [None, 3, "data", [1, 2], b"{}", object()])
    def test_data_that_is_not_a_mapping(self, junk: object) -> None:
        """Anything but a mapping is one problem with no path."""
        (problem,) = problems_of(cc.ProgramStructure, junk)
        assert problem.startswith("expected a ProgramStructure as to_dict() writes it")
        with pytest.raises(DataError) as info:
            from_dict(junk)
        (problem,) = info.value.problems
        assert problem.startswith("expected a carecontinuum value as to_dict() writes it")

    def test_constructor_refusals_are_placed_at_the_field_they_name(self) -> None:
        """Well-formed keys a constructor refuses are reported at that constructor's field;
        a refusal of the whole value, at the value."""
        data = program_data()
        data["sessions"][1]["start"] = "17:00"
        data["sessions"][1]["weekday"] = "monday"
        data["sessions"][2]["overnight"] = True
        assert problems_of(cc.ProgramStructure, data) == (
            "sessions[2].overnight: expected False for a session that ends by midnight (start "
            "18:00:00, end 21:00:00), got True",
        )
        data["sessions"][2]["overnight"] = False
        assert problems_of(cc.ProgramStructure, data) == (
            "sessions[1]: 'sessions[1]' (Monday 17:00-20:00) overlaps 'sessions[0]' "
            "(Monday 18:00-21:00)",
        )
        history = to_dict(episode())
        history["stays"][1]["start"] = "2026-01-11"
        assert problems_of(cc.Episode, history) == (
            "stays[0] ends 2026-01-10 but stays[1] starts 2026-01-11: stays must tile the episode",
        )

    def test_crosswalks_and_weeks_are_refused_at_the_keys_their_checks_name(self) -> None:
        """A crosswalk listing a level of another scheme, or several levels as exact; a week
        with negative clinical time or position: each refused at its key."""
        walk = to_dict(cc.crosswalk(GENERIC["IOP"], to=LOCUS))
        walk["levels"].append({"scheme": "ASAM3", "code": "2.1"})
        assert problems_of(cc.Crosswalk, walk) == (
            "levels[1]: expected a level of scheme 'LOCUS', got LevelOfCare(ASAM3 2.1)",
        )
        walk["levels"][1] = {"scheme": "LOCUS", "code": "4"}
        walk["approximate"] = False
        assert problems_of(cc.Crosswalk, walk) == (
            "approximate: expected True for a crosswalk listing several levels, got False",
        )
        week = to_dict(weeks_of(iop())[0])
        week["entries"][1]["clinical"] = "-PT1H"
        assert problems_of(cc.WeekFigures, week) == (
            "entries[1].clinical: expected no negative time, got '-PT1H'",
        )
        week["entries"][1]["clinical"], week["entries"][0]["index"] = "PT1H", -1
        (problem,) = problems_of(cc.WeekFigures, week)
        assert problem.startswith("entries[0].index: expected "), problem
        week["entries"][0]["index"], week["fraction"] = 0, 1.5
        (problem,) = problems_of(cc.WeekFigures, week)
        assert problem == "fraction: expected a share of a week, in (0, 1], got 1.5"

    def test_sibling_values_are_each_reported(self) -> None:
        """One malformed session does not hide another's refusal by its constructor."""
        data = program_data()
        data["sessions"][0]["start"] = "noon"
        data["sessions"][2]["week_offset"] = 3
        assert problems_of(cc.ProgramStructure, data) == (
            "sessions[0].start: expected a time 'HH:MM[:SS]', got 'noon'",
            "sessions[2].week_offset: expected less than every_weeks (1), got 3",
        )

    def test_attendance_reports_every_record(self) -> None:
        """A malformed record, a position outside the calendar and a refused record, all."""
        data = to_dict(attendance())
        data["records"][0]["session"] = 99
        data["records"][2]["attended"] = "PT9H"
        data["records"][4]["start"] = "2026-03-03T10:00:00"
        data["records"][5]["colour"] = "red"
        problems = problems_of(cc.Attendance, data)
        assert problems == (
            "records[0].session: expected the position of a session of the calendar (0 to 28), "
            "got 99",
            "records[2].attended: expected less than the session's clinical time (3 hours), got "
            "'PT9H'",
            "records[4].start: expected a date and time with its UTC offset, such as "
            "'2026-03-02T18:00:00-05:00', got '2026-03-03T10:00:00'",
            "records[5].colour: unexpected key (an AttendanceRecord has session, start, end, "
            "service, status, attended, client_id, program_day)",
        )

    def test_attendance_records_of_two_clients(self) -> None:
        """The attendance's own refusals name the record."""
        data = to_dict(attendance())
        data["records"][1]["client_id"] = "c-2"
        assert problems_of(cc.Attendance, data) == (
            "records[1].client_id: expected the attendance's client_id ('c-1'), got 'c-2'",
        )

    @pytest.mark.parametrize(
        ("cls", "build", "change", "expected"),
        [
            (cc.Calendar, calendar, {"zone": "Mars/Olympus", "last": "2026-02-30"}, (
                "zone: expected an IANA time-zone name such as 'America/New_York', got "
                "'Mars/Olympus'",
                "last: expected a date 'YYYY-MM-DD' that exists, got '2026-02-30'")),
            (cc.Calendar, calendar, {"zone": "+02:00"}, (
                "zone: expected an IANA time-zone name such as 'America/New_York', got "
                "'+02:00'",)),
            (cc.Calendar, calendar, {"last": "2027-03-01"}, (
                "last: expected a last day from 2026-04-26 to 2026-05-24 (the program's 8-12 "
                "weeks from 2026-03-02), got '2027-03-01'",)),
            (cc.ScheduledSession, lambda: calendar().sessions[0], {"day": "2026-03-03"}, (
                "day: expected a Monday, the day the session is held on, got '2026-03-03'",)),
            (cc.Assessment, asam3, {"ratings": {"1": 0, "2": 0, "3": 9, "4": 1, "5": 1, "6": 1}},
             ("ratings['3']: expected an ASAM3 rating from 0 to 4, got 9",)),
            (cc.Assessment, asam3, {"ratings": {"1": "0", "2": 0, "3": 2, "4": True, "5": 1,
                                                "6": 1}, "on": "2026-02-27T09:00:00Z"}, (
                "ratings['1']: expected an int, got '0'",
                "ratings['4']: expected an int, got True",
                "on: expected a date 'YYYY-MM-DD', got '2026-02-27T09:00:00Z'")),
            (cc.LocusPolicy, lambda: LOCUS_FLOORS, {"floors": [
                {"dimension": "I", "rating": 5, "level": "6"},
                {"dimension": "I", "rating": 5, "level": "5"}]}, (
                "floors[1]: expected a (dimension, rating) no other floor has (floors[0] has "
                "it), got ('I', 5)",)),
            (cc.Transition, lambda: episode().transitions[0], {"direction": "step up"}, (
                "direction: expected 'step down', as the two levels give, got "
                "'step up'",)),
            (cc.Stay, lambda: episode().stays[0], {"end": "2026-01-01"}, (
                "end: expected on or after start (2026-01-05), got '2026-01-01'",)),
            (cc.Stay, lambda: episode().stays[2], {"level": {"scheme": "GENERIC",
                                                             "code": "PHP"}}, (
                "program.level: expected at the stay's level, GENERIC PHP, or at a level that "
                "corresponds to it exactly (ASAM3 2.5, ASAM4 2.5), got {'scheme': 'GENERIC', "
                "'code': 'IOP'}",)),
            (cc.Authorization, lambda: episode().authorizations[0], {"units": 0}, (
                "units: expected an int >= 1, got 0",)),
            (cc.Episode, episode, {"continuum": {"scheme": "XYZ"}}, (
                "continuum.scheme: expected one of the catalog schemes ('GENERIC', 'ASAM3', "
                "'ASAM4', 'LOCUS', 'TEDS'), got 'XYZ'; a continuum of another scheme is written "
                "in full",)),
            (cc.ValidationReport, lambda: reports()[0], {"ruleset": {"name": "TYPICAL_IOP",
                                                                    "version": "2025.1"}}, (
                "ruleset.version: expected '2026.2', the version of the built-in TYPICAL_IOP, "
                "got '2025.1'",)),
            (cc.ValidationReport, lambda: reports()[0], {"applied": ["NOT-A-RULE"]}, (
                "applied[0]: expected the id of a rule of TYPICAL_IOP 2026.2, got 'NOT-A-RULE'",
            )),
            (cc.Rule, lambda: rulesets.ASAM3.rules[2], {"id": "ASAM3-2.1-ADULT-HOUR"}, (
                "id: no rule 'ASAM3-2.1-ADULT-HOUR' in rule set 'ASAM3'; did you mean "
                "'ASAM3-2.1-ADULT-HOURS', 'ASAM3-1-ADULT-HOURS', 'ASAM3-2.1-ADOLESCENT-HOURS'?",
            )),
            (cc.Span, lambda: cc.Span(H(hours=1), H(hours=2)), {"maximum": 3}, (
                "maximum: expected a duration, as the minimum is, got 3",)),
        ],
    )  # fmt: skip
    def test_refusals_by_type(
        self, cls: type, build: Any, change: dict[str, Any], expected: tuple[str, ...]
    ) -> None:
        """Each type's own checks, reported at the key they concern."""
        assert problems_of(cls, {**to_dict(build()), **change}) == expected

    def test_a_report_names_problems_inside_its_subject(self) -> None:
        """Paths run through a report's subject and rule set alike."""
        data = to_dict(cc.validate(iop(), rulesets.MEDICARE_2024))
        data["subject"]["type"] = "Nope"
        data["ruleset"] = {"name": "ASAM9", "version": "1"}
        data["findings"][0]["severity"] = "fatal"
        problems = problems_of(cc.ValidationReport, data)
        assert [p.split(":")[0] for p in problems] == [
            "subject.type",
            "ruleset.name",
            "findings[0].severity",
        ]

    @given(st.sampled_from(sorted(TYPES)), st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
        lambda inner: st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=12), inner, max_size=4),
        max_leaves=16,
    ), st.booleans())  # fmt: skip
    def test_junk_raises_only_data_error(self, name: str, junk: object, wrap: bool) -> None:
        """Whatever JSON-like junk comes, from_dict raises DataError and nothing else (or, for
        junk that happens to be valid, such as ``{}`` for a LocusPolicy, reads it)."""
        if wrap and isinstance(junk, dict):
            junk = {**junk, "schema": SCHEMA, "type": name}
        try:
            value: object = from_dict(TYPES[name], junk)
        except DataError as error:
            assert error.problems
        else:
            assert isinstance(value, TYPES[name])

    @given(st.data())
    def test_damaged_data_raises_only_data_error(self, data: st.DataObject) -> None:
        """Replacing any part of valid data with junk either still reads, or raises DataError
        with a problem at or under the part replaced."""
        value = data.draw(
            st.sampled_from([iop(), attendance(), plan(), episode(), reports()[2]]), label="value"
        )
        written = to_dict(value)
        places = list(_places(written))
        path = data.draw(st.sampled_from(places), label="path")
        junk: object = data.draw(
            st.none() | st.booleans() | st.integers(-5, 10**20) | st.floats()
            | st.sampled_from(["", "x", "monday", "PT0S", "PT99999999999H", "0001-01-01",
                               "9999-12-31", "23:59", "Etc/GMT+5", "2026-03-02T00:00:00+14:00",
                               "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"])
            | st.lists(st.integers(0, 40), max_size=2) | st.just({}),
            label="junk",
        )  # fmt: skip
        damaged = _replaced(written, path, junk)
        try:
            from_dict(type(value), damaged)
        except DataError as error:
            assert error.problems


class TestWithoutTheClass:
    """from_dict(data) reads the type the data's "type" key names."""

    def test_the_type_key_chooses_the_class(self) -> None:
        """Data of different types read back as each type, with no class given."""
        program = iop()
        values = [program, program.sessions[0], calendar(), episode(), plan(), cc.Span(6, 12)]
        for value in values:
            back = from_dict(to_dict(value))
            assert back == value
            assert type(back) is type(value)

    def test_without_a_type_key_nor_a_class_the_type_is_missing(self) -> None:
        """Data without "type", read without a class, is refused naming "type" and listing the
        names it may hold."""
        body = {k: v for k, v in program_data().items() if k != "type"}
        with pytest.raises(DataError) as info:
            from_dict(body)
        (problem,) = info.value.problems
        assert problem.startswith("type: missing; expected the name of a value type (")
        assert "'ProgramStructure'" not in problem and "ProgramStructure," in problem

    @pytest.mark.parametrize("name", ["Nope", "ProgramStructureX", "_Floor", "DataError", 3])
    def test_a_type_the_library_does_not_write_is_refused(self, name: object) -> None:
        """A "type" naming no value type is refused at "type", the rest left unread."""
        data = {**program_data(), "type": name, "sessions": "not read"}
        with pytest.raises(DataError) as info:
            from_dict(data)
        (problem,) = info.value.problems
        assert problem.startswith("type: expected the name of a value type (")
        assert problem.endswith(f"got {name!r}")

    def test_a_class_alone_is_refused_as_the_data(self) -> None:
        """from_dict(cls) is a call missing its data: the class is named as the data."""
        with pytest.raises(cc.InvalidTypeError) as info:
            from_dict(cc.ProgramStructure)  # type: ignore[call-overload]
        assert info.value.field == "data"
        assert "from_dict(cls, data)" in str(info.value)


def _with_schema(data: dict[str, Any], schema: object) -> dict[str, Any]:
    return {**data, "schema": schema}


class TestFormatVersions:
    """Data of any "carecontinuum/1.x" is read: of this version or earlier in full, refusing
    unknown keys; of a later minor version leniently, passing over keys this version does not
    know. Other majors are refused, naming "schema"."""

    def unknown_keys(self) -> dict[str, Any]:
        data = program_data()
        data["colour"] = "blue"
        data["sessions"][0]["room"] = 4
        data["sessions"][1]["segments"][0]["facilitator"] = {"name": "Ana"}
        return data

    @pytest.mark.parametrize("schema", ["carecontinuum/1", "carecontinuum/1.0", SCHEMA])
    def test_this_version_and_earlier_are_read(self, schema: str) -> None:
        """carecontinuum/1 (which is 1.0) and 1.0 data read as this version's."""
        assert from_dict(_with_schema(program_data(), schema)) == iop()

    @given(minor=st.integers(0, 1))
    def test_unknown_keys_of_this_version_or_earlier_are_refused(self, minor: int) -> None:
        """Data of the reader's own version (or earlier) has no key the reader does not know:
        each one is refused at its path."""
        data = _with_schema(self.unknown_keys(), f"carecontinuum/1.{minor}")
        assert [p.partition(":")[0] for p in problems_of(cc.ProgramStructure, data)] == [
            "sessions[0].room",
            "sessions[1].segments[0].facilitator",
            "colour",
        ]

    @given(minor=st.integers(2, 10**9 - 1))
    def test_unknown_keys_of_a_later_minor_version_are_ignored(self, minor: int) -> None:
        """A later minor version may only add keys: this version reads what it knows (1.10 is
        later than 1.9, as a number)."""
        data = _with_schema(self.unknown_keys(), f"carecontinuum/1.{minor}")
        assert from_dict(data) == iop()
        assert from_dict(cc.ProgramStructure, data) == iop()

    def test_a_later_minor_version_still_checks_the_keys_it_knows(self) -> None:
        """Leniency is for unknown keys only: missing and malformed known keys are refused."""
        data = _with_schema(self.unknown_keys(), "carecontinuum/1.2")
        del data["track"]
        data["sessions"][0]["start"] = "25:00"
        assert [p.partition(":")[0] for p in problems_of(cc.ProgramStructure, data)] == [
            "track",
            "sessions[0].start",
        ]

    @pytest.mark.parametrize("schema", ["carecontinuum/2", "carecontinuum/2.0", "carecontinuum/10"])
    def test_a_later_major_version_is_refused(self, schema: str) -> None:
        """A later major version may change what keys mean: refused, saying which versions this
        reader reads, before anything else is read."""
        data = _with_schema(program_data(), schema)
        data["sessions"] = "not read"
        for problems in (problems_of(cc.ProgramStructure, data), _problems_without_class(data)):
            (problem,) = problems
            assert problem.startswith(
                "schema: expected 'carecontinuum/1.1' or another 'carecontinuum/1.x', the "
                f"format this version reads; got {schema!r}, a later format"
            )

    @pytest.mark.parametrize(
        "schema",
        ["carecontinuum/0", "carecontinuum/01", "carecontinuum/1.", "carecontinuum/1.01",
         "carecontinuum/1.1.1", "Carecontinuum/1", " carecontinuum/1", "carecontinuum/ 1",
         "carecontinuum/1.1234567890", 1.1, 1, None, ["carecontinuum/1"]],
    )  # fmt: skip
    def test_anything_else_is_refused(self, schema: object) -> None:
        """A schema that is not "carecontinuum/" and a version, written without leading zeros,
        is refused."""
        (problem,) = _problems_without_class(_with_schema(program_data(), schema))
        assert problem == (
            "schema: expected 'carecontinuum/1.1' or another 'carecontinuum/1.x', the format "
            f"this version reads, got {schema!r}"
        )


def _problems_without_class(data: object) -> tuple[str, ...]:
    with pytest.raises(DataError) as info:
        from_dict(data)
    return info.value.problems


def _places(data: Any, path: tuple[Any, ...] = ()) -> Any:
    """Every path into nested dicts and lists, the envelope's keys included."""
    if path:
        yield path
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(
        data, list) else ()  # fmt: skip
    for key, value in items:
        yield from _places(value, (*path, key))


def _replaced(data: Any, path: tuple[Any, ...], value: object) -> Any:
    copied = copy.deepcopy(data)
    target = copied
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copied


# ---- the error ---------------------------------------------------------------------------------


class TestDataError:
    """DataError is a CareContinuumError and a ValueError, lists its problems, and keeps the
    cattrs exception group behind them."""

    def test_it_is_the_library_error_and_a_value_error(self) -> None:
        """Code catching CareContinuumError or ValueError catches it."""
        assert issubclass(DataError, cc.CareContinuumError)
        assert issubclass(DataError, ValueError)

    def test_message_lists_every_problem(self) -> None:
        """The message counts the problems and lists one a line."""
        data = program_data()
        del data["track"], data["weeks"]
        with pytest.raises(DataError) as info:
            from_dict(cc.ProgramStructure, data)
        assert str(info.value).splitlines() == [
            "cannot read a ProgramStructure from the data (2 problems):",
            "  track: missing; expected one of 'substance use', 'mental health', 'co-occurring'",
            "  weeks: missing; expected a number of weeks, or a range {'minimum': ..., "
            "'maximum': ...}",
        ]
        assert isinstance(info.value.__cause__, ExceptionGroup)

    def test_it_pickles(self) -> None:
        """The error crosses process boundaries with its problems."""
        error = DataError("cannot read a Span from the data", ["minimum: missing"])
        copied = pickle.loads(pickle.dumps(error))
        assert copied.problems == ("minimum: missing",) and str(copied) == str(error)

    def test_missing_extra_error_is_an_import_error(self) -> None:
        """MissingExtraError says how to install the extra, and pickles."""
        error = pickle.loads(pickle.dumps(MissingExtraError()))
        assert isinstance(error, ImportError) and isinstance(error, cc.CareContinuumError)
        assert "pip install carecontinuum[dicts]" in str(error)


# ---- cattrs stays optional ---------------------------------------------------------------------


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


class TestOptionalCattrs:
    """cattrs is the `dicts` extra: loaded by the first to_dict or from_dict only."""

    def test_import_carecontinuum_does_not_import_cattrs(self) -> None:
        """Importing the package, its values and even this module leaves cattrs unloaded."""
        code = (
            "import sys, carecontinuum as cc, carecontinuum._dicts;"
            "cc.ProgramStructure, cc.Episode, cc.TreatmentPlan, cc.rulesets.ALL;"
            "print('cattrs' in sys.modules)"
        )
        assert _run(code) == "False"

    def test_cattrs_loads_on_first_use(self) -> None:
        """The first conversion loads cattrs."""
        code = (
            "import sys; from carecontinuum._dicts import to_dict;"
            "from carecontinuum.catalogs import GENERIC; to_dict(GENERIC['IOP']);"
            "print('cattrs' in sys.modules)"
        )
        assert _run(code) == "True"

    def test_without_cattrs_the_error_names_the_extra(self) -> None:
        """Without cattrs, both functions raise MissingExtraError naming the extra."""
        code = (
            "import sys; sys.modules['cattrs'] = None\n"
            "import carecontinuum as cc\n"
            "from carecontinuum._dicts import MissingExtraError, from_dict, to_dict\n"
            "for call in (lambda: to_dict(cc.catalogs.GENERIC['IOP']),\n"
            "             lambda: from_dict(cc.LevelOfCare, {})):\n"
            "    try:\n"
            "        call()\n"
            "    except MissingExtraError as error:\n"
            "        print(isinstance(error, cc.CareContinuumError), error.extra)\n"
        )
        assert _run(code).splitlines() == ["True dicts", "True dicts"]


def test_every_value_type_is_covered() -> None:
    """This suite's table of types is exactly what to_dict writes."""
    from carecontinuum._dicts import _codec  # noqa: PLC0415 (the table is private)

    assert set(_codec().types) == set(TYPES)


# ---- the limits of plain data (issue 13) -------------------------------------------------------

#: Seconds a refusal of data over a limit may take: it comes before any reading.
FAST = 1.0


def _refused_fast(cls: Any, data: object) -> tuple[str, ...]:
    """The problems of data refused over a limit, checking the refusal took well under a
    second."""
    with cpu_time() as spent, pytest.raises(DataError) as caught:
        from_dict(cls, data)
    assert spent.seconds < FAST
    return caught.value.problems


def _report_on(subject_data: dict[str, Any], times: int) -> dict[str, Any]:
    """A report whose subject is a report whose subject is ... `times` reports deep."""
    report = to_dict(reports()[0])
    data = subject_data
    for _ in range(times):
        data = {**report, "subject": data}
    return data


def _depth(data: object) -> int:
    if isinstance(data, dict):
        return 1 + max(map(_depth, data.values()), default=0)
    if isinstance(data, list):
        return 1 + max(map(_depth, data), default=0)
    return 0


class TestLimits:
    def test_a_duration_of_5000_digits_is_refused_at_its_key(self) -> None:
        """Issue 13: a duration with a 5,000-digit number raised Python's own ValueError."""
        data = to_dict(cc.Segment(cc.Service.GROUP_THERAPY, H(hours=1)))
        data["duration"] = "PT" + "9" * 5000 + "H"
        (problem,) = _refused_fast(cc.Segment, data)
        assert problem.startswith("duration: expected an ISO 8601 duration") and "hold" in problem

    def test_a_duration_figure_at_the_digit_limit_is_read(self) -> None:
        """_MAX_DURATION_DIGITS (20): 20 digits are read, 21 refused before int() reads them."""
        data = to_dict(cc.Segment(cc.Service.GROUP_THERAPY, H(hours=1)))
        data["duration"] = "PT" + "0" * 19 + "1H"
        assert from_dict(cc.Segment, data).duration == H(hours=1)
        data["duration"] = "PT" + "0" * 20 + "1H"
        (problem,) = _refused_fast(cc.Segment, data)
        assert problem.startswith("duration:")

    @pytest.mark.parametrize("duration", [timedelta.max, timedelta.min, -timedelta.resolution])
    def test_the_longest_durations_round_trip(self, duration: timedelta) -> None:
        """timedelta.max and timedelta.min (written by to_dict) are read back, not refused as
        more than Python holds."""
        span = cc.Span(duration, duration)
        assert from_dict(cc.Span, to_dict(span)) == span

    def test_subjects_163_deep_are_refused_at_the_depth_limit(self) -> None:
        """Issue 13: subjects nested 163 deep raised RecursionError."""
        (problem,) = _refused_fast(cc.ValidationReport, _report_on(to_dict(iop()), 163))
        path, _, text = problem.partition(": ")
        assert path == ".".join(["subject"] * 32)
        assert text == "expected data nested at most 32 objects and lists deep"

    def test_nesting_at_the_limit_is_read_and_one_deeper_is_refused(self) -> None:
        """_MAX_DEPTH (32): data nested exactly 32 deep reads; 33 is refused before reading."""
        subject = to_dict(cc.Source("Clinic policy"))  # one level
        report_levels = _depth(to_dict(reports()[0])) - _depth(subject)
        times = 32 - _depth(subject)
        data = _report_on(subject, times)
        assert _depth(data) == 32 and report_levels >= 1
        value = from_dict(cc.ValidationReport, data)
        assert isinstance(value, cc.ValidationReport)
        problems = _refused_fast(cc.ValidationReport, _report_on(subject, times + 1))
        assert "nested at most 32" in problems[0]

    def test_a_list_nested_past_the_limit_anywhere_is_refused(self) -> None:
        """Nesting past the limit under any key is refused at its path, whatever the key."""
        data = program_data()
        deep: Any = 1
        for _ in range(5000):
            deep = [deep]
        data["modalities"] = deep
        (problem,) = _refused_fast(cc.ProgramStructure, data)
        # The envelope is level 1: the 33rd level is the list at modalities and 31 indices down.
        assert problem.startswith("modalities" + "[0]" * 31 + ": ")

    def test_data_that_contains_itself_is_refused(self) -> None:
        """A list that holds itself (Python code can make one) is refused, not walked forever."""
        data = program_data()
        loop: list[Any] = []
        loop.append(loop)
        data["sessions"] = loop
        (problem,) = _refused_fast(cc.ProgramStructure, data)
        assert problem == "sessions[0]: expected data, got a structure that contains itself"

    def test_shared_parts_at_the_limit_pass_and_past_it_are_refused(self) -> None:
        """_MAX_SHARED_ITEMS (1,000,000): a list placed twice in each of k lists stands for
        2**k values; at the limit the data is read (here: found to be an unexpected key), one
        value more is refused before reading, in well under a second."""
        from carecontinuum._dicts import _MAX_SHARED_ITEMS, _payload_problem  # noqa: PLC0415

        def values(data: object, seen: dict[int, int]) -> int:
            """The values `data` stands for, as JSON would write them (each place counted)."""
            if not isinstance(data, (dict, list)):
                return 1
            if id(data) not in seen:
                items = data.values() if isinstance(data, dict) else data
                seen[id(data)] = 1 + sum(values(item, seen) for item in items)
            return seen[id(data)]

        blocks: list[list[Any]] = [[0]]  # each block: the last, placed twice
        while values(blocks[-1], {}) < _MAX_SHARED_ITEMS // 2:
            blocks.append([blocks[-1], blocks[-1]])
        parts: list[Any] = []
        data = {**program_data(), "colour": parts}
        for block in reversed(blocks):
            while values(data, {}) + values(block, {}) <= _MAX_SHARED_ITEMS:
                parts.append(block)
        parts.extend([0] * (_MAX_SHARED_ITEMS - values(data, {})))
        assert values(data, {}) == _MAX_SHARED_ITEMS
        assert _payload_problem(data) is None
        with cpu_time() as spent, pytest.raises(DataError) as caught:
            from_dict(cc.ProgramStructure, data)
        assert spent.seconds < FAST
        assert caught.value.problems[0].startswith("colour: unexpected key")
        parts.append(0)
        (problem,) = _refused_fast(cc.ProgramStructure, data)
        assert problem == (
            "expected data with shared parts (a dict or list placed in several places) to hold "
            "at most 1,000,000 values as JSON would write them, got 1,000,001"
        )

    def test_a_string_at_the_limit_is_read_and_one_longer_refused(self) -> None:
        """_MAX_STRING_LENGTH (1,048,576): a finding's message of that length reads back; one
        character more is refused before reading."""
        report = reports()[0]
        data = to_dict(report)
        finding = to_dict(cc.Finding("X", cc.Severity.INFO, "m", expected="e", found="f",
                                     source=cc.Source("s")))  # fmt: skip
        data["findings"] = [{**{k: v for k, v in finding.items() if k not in ("schema", "type")},
                             "message": "x" * 1_048_576}]  # fmt: skip
        data["applied"] = []
        assert from_dict(cc.ValidationReport, data).findings[0].message == "x" * 1_048_576
        data["findings"][0]["message"] += "x"
        (problem,) = _refused_fast(cc.ValidationReport, data)
        assert problem.startswith("findings[0].message: expected a string of at most 1,048,576")

    def test_a_key_past_the_string_limit_is_refused(self) -> None:
        """An unexpected key of more than a megabyte is refused, not echoed."""
        data = {**program_data(), "k" * 1_048_577: 1}
        (problem,) = _refused_fast(cc.ProgramStructure, data)
        assert len(problem) < 200

    @pytest.mark.parametrize(
        ("number", "taken"),
        [(2**53 - 1, True), (2**53, False), (-(2**53), False), (10**5000, False),
         (float("nan"), False), (float("inf"), False), (-1e308, False)],
        ids=["cap", "cap+1", "-cap-1", "10**5000", "nan", "inf", "-1e308"],
    )  # fmt: skip
    def test_numbers_past_the_cap_are_refused_before_reading(
        self, number: float, taken: bool
    ) -> None:
        """_MAX_NUMBER (2**53 - 1): a level's rank at the cap is read; past it, NaN and
        infinities (which json.loads makes of NaN and Infinity) are refused at their key."""
        level = cc.LevelOfCare(
            "X", "Custom", "CLINIC", cc.Setting.OUTPATIENT, overnight=False,
            supervision=cc.Supervision.SCHEDULED, rank=1,
        )  # fmt: skip
        data = to_dict(level)
        data["rank"] = number
        if taken:
            assert from_dict(cc.LevelOfCare, data).rank == number
        else:
            (problem,) = _refused_fast(cc.LevelOfCare, data)
            assert problem.startswith(
                "rank: expected a finite number at most 9,007,199,254,740,991"
            )

    @pytest.mark.parametrize("end", [object, str, list, cc.LevelOfCare, Any])
    def test_a_span_of_a_kind_plain_data_cannot_hold_is_refused(self, end: Any) -> None:
        """Issue 13: Span[object] leaked cattrs' StructureHandlerNotFoundError."""
        with pytest.raises(cc.InvalidTypeError) as caught:
            from_dict(cc.Span[end], to_dict(cc.Span(1, 2)))
        assert caught.value.field == "cls"

    @pytest.mark.parametrize(
        ("end", "span"),
        [(int, cc.Span(1, 2)), (float, cc.Span(1.5, 2.5)),
         (date, cc.Span(D(2026, 3, 2), D(2026, 3, 9))),
         (timedelta, cc.Span(H(hours=1), H(hours=2))),
         (pendulum.Duration, cc.Span(H(hours=1), H(hours=2)))],
    )  # fmt: skip
    def test_a_span_of_numbers_dates_or_durations_is_read(
        self, end: Any, span: cc.Span[Any]
    ) -> None:
        assert from_dict(cc.Span[end], to_dict(span)) == span

    def test_to_dict_refuses_reports_nested_past_the_limit(self) -> None:
        """A report on a report on ... (built in Python) is refused by to_dict, as from_dict
        would refuse its data, not written until the stack runs out."""
        nested: object = iop()
        for _ in range(2000):
            nested = cc.ValidationReport(nested, rulesets.TYPICAL_IOP, None, (), ())
        with pytest.raises(DataError) as caught:
            to_dict(nested)
        assert caught.value.problems == ("subject: more than 32 reports nested",)

    def test_what_to_dict_writes_from_dict_reads_at_the_limit(self) -> None:
        """to_dict refuses exactly the depth from_dict refuses: what it writes reads back."""
        nested: object = cc.Source("Clinic policy")
        deepest = None
        for _ in range(40):
            nested = cc.ValidationReport(nested, rulesets.TYPICAL_IOP, None, (), ())
            try:
                written = to_dict(nested)
            except DataError as error:
                assert "nested at most 32" in error.problems[0]
                break
            deepest = written
        assert deepest is not None and _depth(deepest) == 32
        assert to_dict(from_dict(cc.ValidationReport, deepest)) == deepest


# ---- the quick pass over the limits, against the full walk ------------------------------------

_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
)


#: Keys the library's shapes name (what the quick pass checks in one look-up).
_SOME_KEYS = ["scheme", "code", "type", "schema", "1", "IV-A", "start"]


def _json_like(leaves: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """JSON-shaped data, sometimes with a tuple or a non-text key (what Python code, not a JSON
    parser, makes)."""
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.lists(inner, max_size=3).map(tuple),
            st.dictionaries(
                st.one_of(st.text(max_size=4), st.integers(0, 3), st.sampled_from(_SOME_KEYS)),
                inner,
                max_size=4,
            ),
        ),
        max_leaves=30,
    )


class TestQuickPass:
    """`_plainly_within` lets data skip the full walk of the limits (`_walked_problem`): it
    must never pass data the walk refuses, and must pass what to_dict writes (or the reading
    is no quicker)."""

    @given(_json_like(_LEAVES))
    def test_it_never_passes_what_the_full_walk_refuses(self, data: object) -> None:
        from carecontinuum._dicts import _plainly_within, _walked_problem  # noqa: PLC0415

        names = _codec()._plain_keys
        quick = _plainly_within(data)
        # The codec's names are keys within the limits: knowing them changes no verdict.
        assert _plainly_within(data, names) == quick
        if isinstance(data, (dict, list, tuple)) and _walked_problem(data) is not None:
            assert not quick

    def test_it_refuses_each_limit_and_sharing(self) -> None:
        from carecontinuum._dicts import (  # noqa: PLC0415
            _MAX_DEPTH,
            _MAX_STRING_LENGTH,
            _plainly_within,
        )

        deep: list[Any] = []
        for _ in range(_MAX_DEPTH - 1):
            deep = [deep]
        assert _plainly_within(deep)
        assert not _plainly_within([deep])
        shared: dict[str, Any] = {"a": 1}
        assert _plainly_within({"x": shared, "y": dict(shared)})
        assert not _plainly_within({"x": shared, "y": shared})
        for leaf in (float("nan"), float("inf"), 10**400, "x" * (_MAX_STRING_LENGTH + 1)):
            assert not _plainly_within({"k": [leaf]}), leaf
        assert not _plainly_within({"k" * (_MAX_STRING_LENGTH + 1): 1})
        assert not _plainly_within({1: 1})  # not JSON: left to the full walk
        assert not _plainly_within([(1, 2)])

    def test_what_to_dict_writes_takes_the_quick_pass(self) -> None:
        from carecontinuum._dicts import _plainly_within  # noqa: PLC0415

        names = _codec()._plain_keys
        for value in (episode(), plan(), attendance(), *reports()):
            data = to_dict(value)
            assert _plainly_within(data)
            assert _plainly_within(json.loads(json.dumps(data)))
            assert _plainly_within(data, names)

    def test_the_known_keys_are_within_the_limits_and_cover_what_to_dict_writes(self) -> None:
        """The keys the quick pass takes in one look-up are short strings, and they are every
        key of the data the library writes for an episode, a plan and an attendance (a report
        keys some mappings by the findings' paths: those dicts are checked key by key)."""
        from carecontinuum._dicts import _MAX_STRING_LENGTH  # noqa: PLC0415

        names = _codec()._plain_keys
        assert all(type(name) is str and len(name) <= _MAX_STRING_LENGTH for name in names)

        def keys(data: object) -> set[str]:
            if isinstance(data, dict):
                return {*data, *(k for v in data.values() for k in keys(v))}
            if isinstance(data, list):
                return {k for v in data for k in keys(v)}
            return set()

        values = (episode(), plan(), attendance())
        written = set().union(*(keys(to_dict(v)) for v in values))
        assert written <= names, written - names


# ---- one description: the data's keys are the classes' fields ---------------------------------


class TestDerivedShapes:
    """A value's keys come from its class (`_derived`): a field added to a class is written,
    read and in the JSON Schema with no other change."""

    def test_a_field_added_to_a_class_becomes_a_key(self) -> None:
        from carecontinuum._dicts import _derived  # noqa: PLC0415

        @attrs.frozen(init=False)
        class Visit:
            on: date
            rooms: tuple[str, ...]
            _note: str | None

            def __init__(
                self, on: date, rooms: tuple[str, ...] = (), note: str | None = None
            ) -> None:
                self.__attrs_init__(on, rooms, note)

        shape = _derived(Visit)
        assert [(k.name, k.kind, k.optional, k.nullable) for k in shape.keys] == [
            ("on", date, False, False),
            ("rooms", tuple[str, ...], True, False),
            ("note", str, True, True),
        ]
        visit = Visit(date(2026, 3, 2), ("B",), "late")
        assert [k.read(visit) for k in shape.keys] == [date(2026, 3, 2), ("B",), "late"]

    def test_every_field_of_every_value_class_is_a_key(self) -> None:
        """Every field a constructor takes is written under the name it takes it by; the two
        exceptions are what the data holds instead (an instant kept for speed; the discharge
        record, written as ``discharge``)."""
        from carecontinuum._dicts import _codec  # noqa: PLC0415

        instead = {("ScheduledSession", "utc_us"), ("Episode", "discharge_record")}
        for cls, shape in _codec()._shapes.items():
            for field in attrs.fields(cls):
                if field.init and (cls.__name__, field.alias) not in instead:
                    assert field.alias in shape.names, (cls.__name__, field.alias)
        assert "discharge" in _codec()._shapes[cc.Episode].names
