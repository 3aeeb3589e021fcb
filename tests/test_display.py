"""Notebook display: every repr is well-formed XML, carries the figures it shows, escapes what it
is given and copes with the edge cases (no findings, one level, one stay, an open episode,
partial weeks and closures)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta

import pendulum
import pytest

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum.catalogs import ASAM3, GENERIC

D = pendulum.date
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert('x')</script> & \"co\""


def html_root(fragment: str) -> ET.Element:
    """Parse an HTML fragment as XML, wrapped in one root element."""
    return ET.fromstring(f"<root>{fragment}</root>")


def svg_root(svg: str) -> ET.Element:
    """Parse a standalone SVG document."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def text(root: ET.Element) -> str:
    """The element's text, a space between elements, runs of whitespace made one space."""
    return " ".join(" ".join(root.itertext()).split())


def tags(root: ET.Element) -> set[str]:
    """The element names in the tree, without the SVG namespace."""
    return {element.tag.removeprefix(SVG) for element in root.iter()}


def iop(
    *,
    days: tuple[str, ...] = ("mon", "wed", "fri"),
    hours_per_session: float = 3,
    weeks: int | tuple[int, int] = 8,
    start: str | None = None,
    services: list[cc.Service] | None = None,
    name: str | None = None,
) -> cc.ProgramStructure:
    """A generic adult IOP, three 3-hour sessions a week for 8 weeks unless told otherwise."""
    return cc.ProgramStructure.weekly(
        GENERIC["IOP"], days=days, hours_per_session=hours_per_session, weeks=weeks,
        start=start, services=services, name=name,
    )  # fmt: skip


def clinic_report(*findings: cc.Finding) -> cc.ValidationReport:
    rule = cc.Rule("CLINIC-1", "Clinic rule", source=cc.Source("Clinic"), check=lambda c: ())
    ruleset = cc.RuleSet("Clinic <&> rules", "1", [rule])
    return cc.ValidationReport(iop(), ruleset, GENERIC["IOP"], findings, ("CLINIC-1",))


def one_level() -> cc.Continuum:
    only = cc.LevelOfCare(
        "X1",
        "The only level",
        "ONE",
        cc.Setting.OUTPATIENT,
        overnight=False,
        supervision=cc.Supervision.SCHEDULED,
        rank=0,
    )
    return cc.Continuum("ONE", "A one-level scheme", [only], "test")


def stepped_episode() -> cc.Episode:
    return (
        cc.Episode.admit("c-1", "DETOX", D(2026, 1, 5), continuum=GENERIC)
        .step_to("RESIDENTIAL", D(2026, 1, 10), "withdrawal complete")
        .step_to("PHP", D(2026, 2, 9), "stable")
        .step_to("IOP", D(2026, 3, 2), "stable")
        .step_to("PHP", D(2026, 3, 16), "relapse")
        .step_to("IOP", D(2026, 3, 30), "stable")
        .step_to("OP", D(2026, 4, 27), "goals met")
        .authorize("IOP", D(2026, 3, 30), D(2026, 4, 26), payer="Acme & Sons")
        .discharge(D(2026, 6, 22), cc.DischargeReason.COMPLETED, referred_to=GENERIC["RECOVERY"])
    )


class TestValidationReportHtml:
    """`ValidationReport._repr_html_`: a header and a findings table."""

    def test_parses_and_lists_every_finding(self) -> None:
        """Each finding's rule id, severity, path, expected and found appear in the table."""
        p = iop(hours_per_session=7)
        report = cc.validate(p, rulesets.MEDICARE_2024)
        root = html_root(report._repr_html_())
        words = text(root)
        assert report.findings
        for finding in report.findings:
            assert finding.rule_id in words
            assert finding.expected in words
            assert finding.found in words
            assert finding.severity.value.upper() in words
        rows = root.findall(".//tbody/tr")
        assert len(rows) == len(report.findings)
        assert "not ok" in words and "MEDICARE_2024 CY2024" in words

    def test_header_counts_and_verdict_in_words(self) -> None:
        """The verdict and the counts of errors, warnings and notes are spelled out."""
        p = iop(days=("mon",))
        words = text(html_root(cc.validate(p, rulesets.ASAM3)._repr_html_()))
        assert "not ok" in words
        assert "1 error" in words and "0 warnings" in words and "0 notes" in words
        assert "1 rule applied" in words

    def test_a_report_without_findings(self) -> None:
        """A passing report with no finding parses, says ok and shows no table."""
        report = cc.validate(iop(), rulesets.ASAM3)
        assert report.findings == () and report.ok
        root = html_root(report._repr_html_())
        words = text(root)
        assert "ok" in words and "not ok" not in words
        assert "No findings" in words
        assert root.find(".//table") is None

    def test_escapes_hostile_message_and_source(self) -> None:
        """Messages, expectations, rule set names and sources are escaped, and a javascript:
        url is not made a link."""
        finding = cc.Finding(
            "CLINIC-1",
            cc.Severity.WARNING,
            HOSTILE,
            expected="a & b",
            found="<b>bold</b>",
            path="sessions[0]",
            source=cc.Source("Policy <i>", url="javascript:alert(1)", note="x < y"),
        )
        fragment = clinic_report(finding)._repr_html_()
        assert "<script>" not in fragment
        root = html_root(fragment)
        assert "script" not in tags(root) and "i" not in tags(root)
        assert root.find(".//a") is None
        words = text(root)
        assert HOSTILE in words and "Clinic <&> rules" in words and "<b>bold</b>" in words

    def test_every_severity_is_labelled_in_words(self) -> None:
        """Severity is written out, not left to colour."""
        source = cc.Source("Clinic policy", url="https://example.org/policy")
        findings = [
            cc.Finding(f"R-{s.name}", s, "Something.", expected="e", found="f", source=source)
            for s in cc.Severity
        ]
        root = html_root(clinic_report(*findings)._repr_html_())
        words = text(root)
        assert {"ERROR", "WARNING", "INFO"} <= set(words.split())
        assert "whole subject" in words  # an empty path is named
        (link, *_) = root.iter("a")
        assert link.get("href") == "https://example.org/policy"


class TestProgramHtml:
    """`ProgramStructure._repr_html_`: the figures and the week grid."""

    def test_parses_and_shows_the_weekly_figures(self) -> None:
        """Level, population, track, weekly hours, sessions and totals are shown."""
        root = html_root(iop()._repr_html_())
        words = text(root)
        for expected in ("GENERIC IOP", "adult", "substance use", "9 h", "24", "72 h", "8 weeks"):
            assert expected in words

    def test_week_grid_runs_monday_to_sunday(self) -> None:
        """The grid has the seven days as columns and each session's time, hours and
        services in its day."""
        p = iop(start="18:00", services=[cc.Service.GROUP_THERAPY, cc.Service.PSYCHOEDUCATION])
        root = html_root(p._repr_html_())
        grid = root.findall(".//table")[1]
        head = [text(th) for th in grid.findall("./thead/tr/th")]
        assert head[1:8] == [
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        ]  # fmt: skip
        cells = grid.findall("./tbody/tr/td")
        monday, tuesday = text(cells[0]), text(cells[1])
        assert "18:00\u201321:00" in monday and "3 h clinical" in monday
        assert "group therapy, psychoeducation" in monday
        assert "no session" in tuesday

    def test_breaks_ranges_and_unusual_sessions(self) -> None:
        """A break shows as clinical of total; a range of weeks, a fortnightly session, an
        overnight one and a separate appointment are all said in words."""
        h = pendulum.duration
        week = pendulum.WeekDay
        sessions = [
            cc.Session(week.MONDAY, pendulum.time(9), [
                cc.Segment(cc.Service.GROUP_THERAPY, h(hours=2, minutes=45)),
                cc.Segment(cc.Service.BREAK, h(minutes=15)),
            ]),
            cc.Session(week.FRIDAY, pendulum.time(10), [
                cc.Segment(cc.Service.FAMILY_THERAPY, h(hours=1))], every_weeks=2, week_offset=1,
                delivery_mode=cc.DeliveryMode.TELEHEALTH),
            cc.Session(week.SATURDAY, pendulum.time(22), [
                cc.Segment(cc.Service.PEER_SUPPORT, h(hours=3))], overnight=True),
            cc.Session(week.TUESDAY, pendulum.time(15), [
                cc.Segment(cc.Service.INDIVIDUAL_THERAPY, h(hours=1))], program_day=False,
                name="Individual <hour>"),
        ]  # fmt: skip
        p = cc.ProgramStructure(
            GENERIC["IOP"], cc.Population.ADOLESCENT, cc.Track.CO_OCCURRING, sessions, (6, 12),
            modalities=[cc.Modality.DBT],
        )  # fmt: skip
        words = text(html_root(p._repr_html_()))
        assert "2.75 h clinical of 3 h" in words
        assert "6-12 weeks" in words and "adolescent" in words and "co-occurring" in words
        assert "every 2 weeks, from week 2" in words and "telehealth" in words
        assert "next day" in words and "separate appointment" in words
        assert "Individual <hour>" in words and "dialectical behavior therapy" in words
        assert f"{p.weekly_hours.total_hours():g} h" in words

    def test_escapes_a_hostile_program_name(self) -> None:
        """The program's name is text, never markup."""
        fragment = iop(name=HOSTILE)._repr_html_()
        assert "<script>" not in fragment
        root = html_root(fragment)
        assert "script" not in tags(root)
        assert HOSTILE in text(root)

    def test_control_characters_do_not_break_the_markup(self) -> None:
        """Characters XML forbids never reach the markup: a name holding one is refused (the
        text policy); the tabs and line breaks a name may hold still parse."""
        with pytest.raises(cc.InvalidValueError):
            iop(name="Group\x0b\x00 A")
        root = html_root(iop(name="Group\tA\r\nB")._repr_html_())
        assert "Group" in text(root)


class TestCalendarHtml:
    """`Calendar._repr_html_`: a week-by-week grid of dated sessions."""

    def test_partial_weeks_and_closures(self) -> None:
        """A mid-week start and end make partial weeks; closure days and the sessions they
        cancel are marked in words; each week's hours are shown."""
        p = iop(days=("mon", "wed"), weeks=2, name=HOSTILE)
        cal = cc.expand(p, D(2026, 3, 4), "America/New_York", closures=[D(2026, 3, 9),
                        D(2026, 3, 10)])  # fmt: skip
        fragment = cal._repr_html_()
        assert "<script>" not in fragment
        root = html_root(fragment)
        rows = root.findall(".//tbody/tr")
        assert len(rows) == len(cal.by_week()) == 3
        first, second, last = (text(row) for row in rows)
        assert "partial: 5 of 7 days" in first and "outside the calendar" in first
        assert "CLOSED" in second and "not held (closed)" in second
        assert "partial: 2 of 7 days" in last
        for row, week in zip(rows, cal.by_week(), strict=True):
            assert f"{week.clinical_duration.total_hours():g} h" in text(row)
        assert root.find(".//del") is not None  # a cancelled session is struck through
        words = text(root)
        assert HOSTILE in words and "America/New_York" in words
        assert "1 session not held on 2 closure days" in words

    def test_full_weeks_show_every_session(self) -> None:
        """Every held session appears with its local time; the total matches the calendar."""
        cal = cc.expand(iop(start="18:00"), D(2026, 3, 2), "America/New_York")
        root = html_root(cal._repr_html_())
        words = text(root)
        assert words.count("18:00\u201321:00") == len(cal) == 24  # local time across DST
        assert "72 h" in words and "partial:" not in words


class TestContinuumSvg:
    """`Continuum._repr_svg_`: the ladder of levels."""

    @pytest.mark.parametrize("continuum", list(cc.catalogs.ALL.values()), ids=lambda c: c.scheme)
    def test_every_level_is_on_the_ladder(self, continuum: cc.Continuum) -> None:
        """Each level appears once, by code, and the drawing has a title and a description."""
        root = svg_root(continuum._repr_svg_())
        boxes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "level"]
        assert [g.get("data-code") for g in boxes] == list(continuum.codes)
        words = text(root)
        for code in continuum.codes:
            assert code in words
        assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
        assert root.get("role") == "img" and root.get("aria-labelledby")

    def test_least_intensive_at_the_bottom_and_pathways_side_by_side(self) -> None:
        """Levels rise with intensity; each pathway has its own column."""
        root = svg_root(ASAM3._repr_svg_())
        place = {}
        for g in root.iter(f"{SVG}g"):
            if g.get("class") == "level":
                rect = g.find(f"{SVG}rect")
                assert rect is not None
                place[g.get("data-code")] = (float(rect.get("x", 0)), float(rect.get("y", 0)))
        assert place["0.5"][1] > place["2.1"][1] > place["4"][1]
        assert place["2.1"][0] == place["4"][0] != place["2-WM"][0] != place["OTP"][0]
        assert "withdrawal management pathway" in text(root)

    def test_concurrent_levels_are_marked_without_colour(self) -> None:
        """A concurrent level has a dashed outline and says "concurrent"."""
        root = svg_root(ASAM3._repr_svg_())
        (otp,) = [g for g in root.iter(f"{SVG}g") if g.get("data-code") == "OTP"]
        rect = otp.find(f"{SVG}rect")
        assert rect is not None and rect.get("stroke-dasharray")
        assert "concurrent" in text(otp)
        (iop_box,) = [g for g in root.iter(f"{SVG}g") if g.get("data-code") == "2.1"]
        plain = iop_box.find(f"{SVG}rect")
        assert plain is not None and plain.get("stroke-dasharray") is None

    def test_a_one_level_continuum(self) -> None:
        """A continuum of one level still draws, with its code."""
        root = svg_root(one_level()._repr_svg_())
        assert "X1" in text(root) and "1 level" in text(root)

    def test_escapes_hostile_names(self) -> None:
        """Level and scheme names are text, never markup."""
        level = cc.LevelOfCare("<b>", HOSTILE, "S&P", cc.Setting.OUTPATIENT, overnight=False,
                               supervision=cc.Supervision.SCHEDULED, rank=0)  # fmt: skip
        svg = cc.Continuum("S&P", HOSTILE, [level], "t")._repr_svg_()
        assert "<script>" not in svg
        root = svg_root(svg)
        assert tags(root).isdisjoint({"script", "b"})
        assert "<b>" in text(root) and "S&P" in text(root)


class TestEpisodeSvg:
    """`Episode._repr_svg_`: the timeline of levels."""

    def test_every_stay_is_drawn_with_its_level(self) -> None:
        """Each main stay is a bar naming its level, in order."""
        episode = stepped_episode()
        root = svg_root(episode._repr_svg_())
        bars = [g.get("data-level") for g in root.iter(f"{SVG}g") if g.get("class") == "stay"]
        assert bars == [stay.level.code for stay in episode.stays]
        words = text(root)
        for stay in episode.stays:
            assert stay.level.code in words

    def test_steps_up_and_down_are_visible(self) -> None:
        """Each transition is an arrow pointing to the new level's row, and is described in
        words (step up, step down)."""
        episode = stepped_episode()
        root = svg_root(episode._repr_svg_())
        moves = [g for g in root.iter(f"{SVG}g") if g.get("class") == "transition"]
        assert len(moves) == len(episode.transitions)
        for g, move in zip(moves, episode.transitions, strict=True):
            line = g.find(f"{SVG}line")
            assert line is not None and line.get("marker-end")
            rising = float(line.get("y2", 0)) < float(line.get("y1", 0))
            assert rising == (move.direction is cc.Direction.STEP_UP)
            assert move.direction.value in text(g)
        desc = root.find(f"{SVG}desc")
        assert desc is not None and "step up" in text(desc) and "step down" in text(desc)

    def test_a_transfer_is_a_dashed_arrow_named_as_such(self) -> None:
        """Out of withdrawal management into residential care, then a step down: the transfer's
        arrow is dashed and says "transfer"; the step's arrow is solid; the legend explains."""
        episode = (
            cc.Episode.admit("c-1", "3.2-WM", D(2026, 1, 5), continuum=ASAM3)
            .step_to("3.5", D(2026, 1, 9), "withdrawal complete")
            .step_to("2.1", D(2026, 2, 9), "stable")
        )
        root = svg_root(episode._repr_svg_())
        moves = [g for g in root.iter(f"{SVG}g") if g.get("class") == "transition"]
        lines = [g.find(f"{SVG}line") for g in moves]
        assert all(line is not None and line.get("marker-end") for line in lines)
        assert [line.get("stroke-dasharray") for line in lines] == ["5 3", None]  # type: ignore[union-attr]
        assert "transfer from ASAM3 3.2-WM" in text(moves[0])
        assert "step down from ASAM3 3.5" in text(moves[1])
        assert "dashed arrow: a transfer" in text(root)
        desc = root.find(f"{SVG}desc")
        assert desc is not None and "transfer from 3.2-WM to 3.5" in text(desc)

    def test_discharge_is_marked(self) -> None:
        """The discharge is a dashed line labelled with its day, reason and referral."""
        root = svg_root(stepped_episode()._repr_svg_())
        (mark,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "discharge"]
        line = mark.find(f"{SVG}line")
        assert line is not None and line.get("stroke-dasharray")
        words = text(mark)
        assert "2026-06-22" in words and "completed" in words and "RECOVERY" in words
        assert "ongoing" not in text(root)
        auth = [g for g in root.iter(f"{SVG}g") if g.get("class") == "authorization"]
        assert len(auth) == 1 and "Acme & Sons" in text(auth[0])

    def test_overlapping_authorizations_are_drawn_in_rows_of_their_own(self) -> None:
        """Opioid treatment authorized beside the main level: the two overlapping grants are
        drawn one under the other; one that follows an ended grant reuses its row."""
        episode = (
            cc.Episode.admit("c-1", "2.1", D(2026, 3, 2), continuum=ASAM3)
            .add_concurrent("OTP", D(2026, 3, 2))
            .authorize("2.1", D(2026, 3, 2), D(2026, 3, 31))
            .authorize("OTP", D(2026, 3, 2), D(2026, 5, 31))
            .authorize("2.1", D(2026, 4, 1), D(2026, 4, 30))
        )
        root = svg_root(episode._repr_svg_())
        grants = [g for g in root.iter(f"{SVG}g") if g.get("class") == "authorization"]
        tops = []
        for grant in grants:
            rect = grant.find(f"{SVG}rect")
            assert rect is not None
            tops.append(float(rect.get("y", "nan")))
        assert tops[0] == tops[2] != tops[1]

    def test_an_open_episode_with_one_stay(self) -> None:
        """A single open stay is drawn, hatched and marked ongoing, with no discharge."""
        episode = cc.Episode.admit("c-9", "IOP", D(2026, 3, 2), continuum=GENERIC)
        root = svg_root(episode._repr_svg_())
        (bar,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "stay"]
        assert bar.get("data-level") == "IOP" and "ongoing" in text(bar)
        rect = bar.find(f"{SVG}rect")
        assert rect is not None and "hatch" in rect.get("fill", "")
        assert not [g for g in root.iter(f"{SVG}g") if g.get("class") == "discharge"]
        assert "open" in text(root)

    def test_one_stay_discharged_the_day_of_admission(self) -> None:
        """A stay of zero days still draws, with a discharge."""
        episode = cc.Episode.admit("c-0", "OP", D(2026, 3, 2), continuum=GENERIC).discharge(
            D(2026, 3, 2), cc.DischargeReason.ADMINISTRATIVE
        )
        root = svg_root(episode._repr_svg_())
        assert "administrative" in text(root) and "OP, 0 days" in text(root)

    def test_concurrent_services_run_beside(self) -> None:
        """A concurrent service is a hatched, dashed bar in its own lane, open ones ongoing."""
        episode = (
            cc.Episode.admit("c-2", "2.1", D(2026, 1, 5), continuum=ASAM3)
            .add_concurrent("OTP", D(2026, 1, 12), "opioid use disorder")
            .step_to("2.5", D(2026, 2, 1), "worse")
        )
        root = svg_root(episode._repr_svg_())
        bars = [g for g in root.iter(f"{SVG}g") if g.get("class") == "stay"]
        assert [g.get("data-level") for g in bars] == ["2.1", "2.5", "OTP"]
        otp = bars[-1]
        rect = otp.find(f"{SVG}rect")
        assert rect is not None and rect.get("stroke-dasharray")
        assert "ongoing" in text(otp) and "Alongside the main stay" in text(root)

    def test_escapes_a_hostile_client_and_reason(self) -> None:
        """The client id and reasons are text, never markup."""
        episode = cc.Episode.admit("<script>&", "PHP", D(2026, 3, 2), continuum=GENERIC).step_to(
            "IOP", D(2026, 3, 9), HOSTILE
        )
        svg = episode._repr_svg_()
        assert "<script>" not in svg
        root = svg_root(svg)
        assert "script" not in tags(root)
        assert "<script>&" in text(root) and HOSTILE in text(root)


def test_reprs_are_reproducible() -> None:
    """The same value draws the same string (ids come from the content, not a counter)."""
    assert stepped_episode()._repr_svg_() == stepped_episode()._repr_svg_()
    assert GENERIC._repr_svg_() == GENERIC._repr_svg_()


def test_display_code_loads_only_when_asked() -> None:
    """Importing the core modules does not import `_display`; asking for a repr does."""
    code = (
        "import sys, carecontinuum as cc, pendulum;"
        "cc.ValidationReport, cc.ProgramStructure, cc.Calendar, cc.Continuum, cc.Episode;"
        "cc.expand(cc.ProgramStructure.weekly(cc.catalogs.GENERIC['IOP'], days=['mon'],"
        " hours_per_session=3, weeks=1), pendulum.date(2026, 3, 2), 'UTC');"
        "before = 'carecontinuum._display' in sys.modules;"
        "cc.catalogs.GENERIC._repr_svg_();"
        "print(before, 'carecontinuum._display' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_weekly_hours_of_a_long_calendar_add_up() -> None:
    """The calendar's total equals the sum of its weeks' hours."""
    cal = cc.expand(iop(weeks=(8, 12)), D(2026, 1, 7), "Asia/Kolkata", until=12)
    total = sum((w.clinical_duration for w in cal.by_week()), timedelta())
    assert f"{total.total_seconds() / 3600:g} h" in text(html_root(cal._repr_html_()))


def rows_of(root: ET.Element, caption: str) -> list[list[str]]:
    """The body rows of the table with `caption`, each as its cells' text."""
    (table,) = [t for t in root.iter("table") if text(t.find("caption")).startswith(caption)]  # type: ignore[arg-type]
    body = table.find("tbody")
    assert body is not None
    return [[text(cell) for cell in row] for row in body.iter("tr")]


def attendance() -> cc.Attendance:
    """Two weeks of Monday and Wednesday 3-hour sessions: week 1 present and absent, week 2
    partial (2 of 3 hours) and one unrecorded."""
    cal = cc.expand(iop(days=("mon", "wed"), weeks=2, name=HOSTILE), D(2026, 3, 2), "UTC")
    a, b, c, _ = cal.sessions
    return cc.Attendance(cal, [
        cc.AttendanceRecord(a, cc.AttendanceStatus.PRESENT),
        cc.AttendanceRecord(b, cc.AttendanceStatus.ABSENT),
        cc.AttendanceRecord(c, cc.AttendanceStatus.PARTIAL, attended=pendulum.duration(hours=2)),
    ], client_id=HOSTILE)  # fmt: skip


class TestAttendanceHtml:
    """`Attendance._repr_html_` without Altair (no `charts` extra): a week table whose figures
    are the attendance's own (tests/test_charts.py covers the chart it shows with Altair)."""

    @pytest.fixture(autouse=True)
    def _no_altair(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, "altair", None)

    def test_each_week_shows_its_planned_delivered_shortfall_and_rate(self) -> None:
        """Every row's cells are the week's figures as `by_week` gives them."""
        att = attendance()
        rows = rows_of(html_root(att._repr_html_()), "Clinical time, week by week")
        weeks = att.by_week()
        assert len(rows) == len(weeks) == 2
        for row, week in zip(rows, weeks, strict=True):
            assert row[0].startswith(f"Week of {week.monday}")
            assert row[1:4] == [
                hours(week.planned),
                hours(week.delivered),
                hours(week.shortfall) if week.shortfall else "\u2014",
            ]
            assert week.rate is not None and row[4] == f"{week.rate:.0%}"
        assert [r[1:5] for r in rows] == [
            ["6 h", "3 h", "3 h", "50%"],
            ["6 h", "2 h", "4 h", "33%"],
        ]
        assert "not all recorded" in rows[1][0] and "not all recorded" not in rows[0][0]

    def test_totals_and_rates_in_the_header(self) -> None:
        """The footer totals the weeks; the header gives both rates and the unrecorded count."""
        att = attendance()
        root = html_root(att._repr_html_())
        assert text(root.find(".//tfoot")) == "Total 12 h 5 h 7 h 42%"  # type: ignore[arg-type]
        header = text(root.find(".//p"))  # type: ignore[arg-type]
        assert f"{att.rate:.0%}" in header and f"{att.hours_rate:.0%}" in header
        assert "1 of 4 sessions unrecorded" in header

    def test_escapes_the_client_and_program(self) -> None:
        """A hostile client id and program name come out as text."""
        html = attendance()._repr_html_()
        assert "<script>" not in html and HOSTILE in text(html_root(html))


class TestRuleSetHtml:
    """`RuleSet._repr_html_`: one row per rule, in the set's order."""

    @pytest.mark.parametrize("ruleset", [rulesets.ASAM3, rulesets.TYPICAL_IOP, rulesets.NC_SACOT])
    def test_a_row_per_rule_with_its_id_severity_scope_title_and_source(
        self, ruleset: cc.RuleSet
    ) -> None:
        """Row i shows rule i's id, severity, scope, title and full citation."""
        rows = rows_of(html_root(ruleset._repr_html_()), "Rules")
        assert len(rows) == len(ruleset.rules)
        for row, rule in zip(rows, ruleset.rules, strict=True):
            assert row[0] == rule.id
            assert rule.severity.value.upper() in row[1]
            assert row[2] == " ".join(rule.scope.split()) and row[3] == " ".join(rule.title.split())
            assert " ".join(rule.source.citation.split()) in row[5]

    def test_escapes_a_hostile_rule(self) -> None:
        """A rule's title, source and params come out as text."""
        rule = cc.Rule("X<1>", HOSTILE, source=cc.Source(HOSTILE), check=lambda c: ())
        html = cc.RuleSet(HOSTILE, "1", [rule])._repr_html_()
        assert "<script>" not in html
        assert text(html_root(html)).count(HOSTILE) >= 3


class TestClassificationHtml:
    """`Classification._repr_html_`: the level, the rules that judged the program there and
    the findings."""

    def test_shows_the_level_the_rules_applied_and_the_findings(self) -> None:
        """Each applied rule is a row; each finding is a row of the findings table."""
        program = iop(hours_per_session=3.5, days=("mon", "tue", "wed", "thu"))
        (found,) = cc.classify(program, rulesets.TYPICAL_IOP)
        root = html_root(found._repr_html_())
        assert f"Classified at {found.level}" in text(root)
        rules = rows_of(root, "Why: the rules it meets")
        assert [row[0] for row in rules] == list(found.report.applied)
        if found.findings:
            assert len(rows_of(root, "Findings")) == len(found.findings)


class TestFindings:
    """`Findings`: a tuple of findings with a notebook table, equal to the plain tuple."""

    def finding(self, severity: cc.Severity, message: str = "Short.") -> cc.Finding:
        return cc.Finding("X-1", severity, message, expected="3 h", found="2 h",
                          source=cc.Source("Clinic"))  # fmt: skip

    def test_equal_to_the_plain_tuple_and_pickles(self) -> None:
        """Findings compare and hash as the tuple of their items, and survive pickling."""
        import pickle  # noqa: PLC0415

        items = (self.finding(cc.Severity.ERROR), self.finding(cc.Severity.INFO))
        found = cc.Findings(items)
        assert found == items and hash(found) == hash(items) and repr(found) == repr(items)
        assert pickle.loads(pickle.dumps(found)) == found
        assert type(pickle.loads(pickle.dumps(found))) is cc.Findings

    def test_a_report_gives_findings(self) -> None:
        """`findings`, `errors`, `warnings` and `infos` of a report are Findings."""
        report = cc.validate(iop(hours_per_session=2.5), rulesets.TYPICAL_IOP)
        assert report.findings
        for part in (report.findings, report.errors, report.warnings, report.infos):
            assert type(part) is cc.Findings

    def test_table_has_a_row_per_finding_and_escapes(self) -> None:
        """The table lists every finding; a hostile message comes out as text."""
        found = cc.Findings([self.finding(cc.Severity.WARNING, HOSTILE),
                             self.finding(cc.Severity.ERROR)])  # fmt: skip
        root = html_root(found._repr_html_())
        assert len(rows_of(root, "Findings")) == 2
        assert "1 error, 1 warning, 0 notes" in text(root) and HOSTILE in text(root)
        assert "<script>" not in found._repr_html_()

    def test_refuses_what_is_not_a_finding(self) -> None:
        """Only findings make Findings."""
        with pytest.raises(cc.InvalidTypeError, match=r"findings\[0\]"):
            cc.Findings(["a finding"])  # type: ignore[list-item]


class TestClockChanges:
    """A calendar's table marks the weeks in which the clocks change."""

    @pytest.mark.parametrize(
        ("zone", "day", "before", "after"),
        [
            ("America/New_York", "2026-03-08", "UTC-05:00", "UTC-04:00"),
            ("Europe/London", "2026-03-29", "UTC+00:00", "UTC+01:00"),
        ],
    )
    def test_the_week_of_the_change_says_so(
        self, zone: str, day: str, before: str, after: str
    ) -> None:
        """Only the week holding the change is marked, with the day and the two offsets."""
        cal = cc.expand(iop(), D(2026, 3, 2), zone)
        root = html_root(cal._repr_html_())
        marked = [row for row in root.iter("tr") if "data-clock-change" in row.attrib]
        assert [row.attrib["data-clock-change"] for row in marked] == [day]
        when = pendulum.parse(day)
        words = text(marked[0])
        assert f"clocks change {when:%a} {when.day} {when:%b}" in words
        assert f"({before} to {after})" in words
        assert "The clocks change in 1 week" in text(root)

    def test_no_mark_where_the_clocks_do_not_change(self) -> None:
        """A UTC calendar has no marked week and no note."""
        html = cc.expand(iop(), D(2026, 3, 2), "UTC")._repr_html_()
        assert "data-clock-change" not in html and "clocks change" not in html


class TestLadderLabels:
    """Ladder captions and level names are drawn whole."""

    @pytest.mark.parametrize("continuum", [GENERIC, cc.catalogs.LOCUS, ASAM3, cc.catalogs.ASAM4])
    def test_no_text_is_clipped_and_the_drawing_is_wide_enough(
        self, continuum: cc.Continuum
    ) -> None:
        """Every level's name is in the boxes' text, whole, no text ends in an ellipsis, and the
        drawing is at least as wide as its caption needs (0.55 em a character at 11 px)."""
        root = svg_root(continuum._repr_svg_())
        texts = [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]
        assert not [t for t in texts if t.endswith("\u2026")]
        for level in continuum:
            (box,) = [g for g in root.iter(f"{SVG}g") if g.get("data-code") == level.code]
            drawn = " ".join(" ".join(t.itertext()) for t in box.iter(f"{SVG}text"))
            assert " ".join(drawn.split()).endswith(level.name)
        width = float(root.get("width", "0"))
        assert all(len(t) * 11 * 0.55 < width for t in texts[1:2])
        assert len(texts[0]) * 14 * 0.6 < width


def hours(duration: timedelta) -> str:
    from carecontinuum._text import hours as shown  # noqa: PLC0415 (the helper under test)

    return shown(duration)


def test_episode_row_labels_name_the_level_whole() -> None:
    """An episode's rows name each level in full, however long its name, and the plot keeps
    its width beside them."""
    episode = cc.Episode.admit("c-1", "3.3", D(2026, 1, 5), continuum=ASAM3).step_to(
        "2.1", D(2026, 2, 5), "stable"
    )
    root = svg_root(episode._repr_svg_())
    texts = [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]
    for level in (ASAM3["3.3"], ASAM3["2.1"]):
        assert f"{level.code} \u00b7 {level.name}" in texts
    assert not [t for t in texts if t.endswith("\u2026")]
    assert float(root.get("width", "0")) > 760
