"""Authorizations that are checked (issue 15): units authorized against the care delivered, an
authorized period about to end with care still planned, and reviews past their day."""

from __future__ import annotations

import pendulum
import pytest

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum.catalogs import ASAM3, GENERIC

D = pendulum.date
P, PARTIAL, ABSENT = (
    cc.AttendanceStatus.PRESENT,
    cc.AttendanceStatus.PARTIAL,
    cc.AttendanceStatus.ABSENT,
)

# Three 3-hour IOP sessions a week for four weeks from Monday 1 June 2026: 12 sessions.
IOP = cc.ProgramStructure.weekly(
    GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=4
)
CALENDAR = cc.expand(IOP, D(2026, 6, 1), "UTC")


def attended(count: int, status: cc.AttendanceStatus = P) -> cc.Attendance:
    """The first `count` sessions attended."""
    records = []
    for session in CALENDAR.sessions[:count]:
        if status is PARTIAL:
            records.append(
                cc.AttendanceRecord(session, status, attended=pendulum.duration(hours=1))
            )
        else:
            records.append(cc.AttendanceRecord(session, status))
    return cc.Attendance(CALENDAR, records)


JUNE_30 = D(2026, 6, 30)


def episode(units: int, end: pendulum.Date = JUNE_30) -> cc.Episode:
    return cc.Episode.admit("c-1", "IOP", D(2026, 6, 1), continuum=GENERIC).authorize(
        "IOP", D(2026, 6, 1), end, units=units
    )


def found(report: cc.ValidationReport, rule_id: str) -> list[cc.Finding]:
    return [f for f in report.findings if f.rule_id == rule_id]


class TestUnitsExceeded:
    def test_units_used_up_exactly_is_no_finding_one_over_is_an_error(self) -> None:
        """12 sessions authorized: 12 delivered pass, 13 (an extra session) do not."""
        exact = cc.validate(episode(12), rulesets.authorized_units(attended(12)))
        assert found(exact, "AUTH-UNITS-EXCEEDED") == []
        over = cc.validate(episode(11), rulesets.authorized_units(attended(12)))
        (finding,) = found(over, "AUTH-UNITS-EXCEEDED")
        assert finding.severity is cc.Severity.ERROR
        assert finding.path == "authorizations[0].units"
        assert finding.found == "12 sessions delivered (over from 2026-06-26)"

    def test_a_payer_s_amendment_is_recorded_and_clears_the_error(self) -> None:
        """Concurrent review raises June's 8 units to 12: authorizing IOP again from 1 June
        replaces the first authorization (units, end, payer, review), so the 12 sessions
        delivered are within it; an amendment that would overlap the next period is refused."""
        amended = episode(8).authorize("IOP", D(2026, 6, 1), JUNE_30, units=12, payer="Acme")
        assert [(a.units, a.payer) for a in amended.authorizations] == [(12, "Acme")]
        assert amended == cc.Episode(
            "c-1", GENERIC, amended.stays, authorizations=amended.authorizations
        )
        assert (
            found(
                cc.validate(amended, rulesets.authorized_units(attended(12))), "AUTH-UNITS-EXCEEDED"
            )
            == []
        )
        july = episode(8, end=D(2026, 6, 14)).authorize("IOP", D(2026, 6, 15), JUNE_30)
        with pytest.raises(cc.InvalidValueError):
            july.authorize("IOP", D(2026, 6, 1), D(2026, 6, 20), units=12)
        later = july.authorize("IOP", D(2026, 6, 15), D(2026, 7, 15), units=12)
        assert [a.end for a in later.authorizations] == [D(2026, 6, 14), D(2026, 7, 15)]

    def test_hours_count_clinical_time_attended(self) -> None:
        """4 sessions of 3 hours: 12 hours authorized pass, 11 do not; partial time counts."""
        four = attended(4)
        hours = rulesets.authorized_units(four, unit="hours")
        assert found(cc.validate(episode(12), hours), "AUTH-UNITS-EXCEEDED") == []
        (finding,) = found(cc.validate(episode(11), hours), "AUTH-UNITS-EXCEEDED")
        assert finding.found == "12 hours delivered (over from 2026-06-08)"
        partial = rulesets.authorized_units(attended(4, PARTIAL), unit="hours")
        assert found(cc.validate(episode(4), partial), "AUTH-UNITS-EXCEEDED") == []
        assert found(cc.validate(episode(3), partial), "AUTH-UNITS-EXCEEDED") != []

    def test_a_partial_session_is_a_session_an_absence_nothing(self) -> None:
        """Sessions: partial attendance counts one each; absences count none."""
        assert found(cc.validate(episode(3), rulesets.authorized_units(attended(4, PARTIAL))),
                     "AUTH-UNITS-EXCEEDED")  # fmt: skip
        assert not found(cc.validate(episode(1), rulesets.authorized_units(attended(12, ABSENT))),
                         "AUTH-UNITS-EXCEEDED")  # fmt: skip

    def test_days_count_each_day_once(self) -> None:
        """An extra session on a day already attended adds no day."""
        first = CALENDAR.sessions[0]
        extra = cc.AttendanceRecord.extra(first.end.add(hours=1), first.end.add(hours=2))
        records = [cc.AttendanceRecord(s, P) for s in CALENDAR.sessions[:2]] + [extra]
        days = rulesets.authorized_units(cc.Attendance(CALENDAR, records), unit="days")
        sessions = rulesets.authorized_units(cc.Attendance(CALENDAR, records))
        assert not found(cc.validate(episode(2), days), "AUTH-UNITS-EXCEEDED")
        assert found(cc.validate(episode(2), sessions), "AUTH-UNITS-EXCEEDED")

    def test_only_sessions_within_the_period_count(self) -> None:
        """Authorized through 14 June with 6 units: the 12 sessions fall 6 in it, 6 after."""
        report = cc.validate(episode(6, D(2026, 6, 14)), rulesets.authorized_units(attended(12)))
        assert found(report, "AUTH-UNITS-EXCEEDED") == []

    def test_another_level_s_authorization_is_not_judged_by_this_attendance(self) -> None:
        """An OP authorization is not compared with IOP attendance; an ASAM3 2.1 one is (GENERIC
        IOP corresponds to it exactly)."""
        op = cc.Episode.admit("c-1", "OP", D(2026, 6, 1), continuum=GENERIC).authorize(
            "OP", D(2026, 6, 1), D(2026, 6, 30), units=1
        )
        assert cc.validate(op, rulesets.authorized_units(attended(12))).findings == ()
        asam = cc.Episode.admit("c-1", "2.1", D(2026, 6, 1), continuum=ASAM3).authorize(
            "2.1", D(2026, 6, 1), D(2026, 6, 30), units=1
        )
        assert found(cc.validate(asam, rulesets.authorized_units(attended(2))),
                     "AUTH-UNITS-EXCEEDED")  # fmt: skip

    def test_another_client_s_attendance_is_an_error(self) -> None:
        """Units are compared for one client."""
        theirs = cc.Attendance(CALENDAR, [], client_id="c-2")
        (finding,) = cc.validate(episode(12), rulesets.authorized_units(theirs)).findings
        assert finding.rule_id == "AUTH-UNITS-EXCEEDED" and finding.path == "client_id"


class TestPeriodEnding:
    def test_the_lead_time_boundary(self) -> None:
        """Authorized to 14 June with sessions planned after it, lead time 7 days: from 7 June
        to 14 June a note, on 6 June and on 15 June none."""
        rules = rulesets.authorized_units(attended(0))
        grant = episode(12, D(2026, 6, 14))
        for day, expected in ((D(2026, 6, 6), 0), (D(2026, 6, 7), 1), (D(2026, 6, 14), 1),
                              (D(2026, 6, 15), 0)):  # fmt: skip
            notes = found(cc.validate(grant, rules, on=day), "AUTH-PERIOD-ENDING")
            assert len(notes) == expected, day
        (note,) = found(cc.validate(grant, rules, on=D(2026, 6, 7)), "AUTH-PERIOD-ENDING")
        assert note.severity is cc.Severity.INFO and note.path == "authorizations[0].end"

    def test_lead_days_is_a_parameter(self) -> None:
        """With 3 days, 10 June is too early; overriding the rule set's parameter works too."""
        grant = episode(12, D(2026, 6, 14))
        short = rulesets.authorized_units(attended(0), lead_days=3)
        assert not found(cc.validate(grant, short, on=D(2026, 6, 10)), "AUTH-PERIOD-ENDING")
        assert found(cc.validate(grant, short, on=D(2026, 6, 11)), "AUTH-PERIOD-ENDING")
        wide = short.override("AUTH-PERIOD-ENDING", lead_days=4)
        assert found(cc.validate(grant, wide, on=D(2026, 6, 10)), "AUTH-PERIOD-ENDING")

    def test_no_note_without_care_planned_after_or_with_the_next_period_authorized(self) -> None:
        """Through the calendar's end, or followed by an authorization, nothing to ask for."""
        rules = rulesets.authorized_units(attended(0))
        assert not found(cc.validate(episode(12), rules, on=D(2026, 6, 28)), "AUTH-PERIOD-ENDING")
        renewed = episode(12, D(2026, 6, 14)).authorize("IOP", D(2026, 6, 15), D(2026, 6, 30))
        assert not found(cc.validate(renewed, rules, on=D(2026, 6, 10)), "AUTH-PERIOD-ENDING")
        stepped = episode(12, D(2026, 6, 14)).authorize("OP", D(2026, 6, 15), D(2026, 6, 30))
        assert not found(cc.validate(stepped, rules, on=D(2026, 6, 10)), "AUTH-PERIOD-ENDING")

    def test_without_a_day_it_says_it_needs_one(self) -> None:
        (note,) = found(cc.validate(episode(12), rulesets.authorized_units(attended(0))),
                        "AUTH-PERIOD-ENDING")  # fmt: skip
        assert note.severity is cc.Severity.INFO and note.found == "no day given"


class TestArguments:
    def test_bad_arguments_are_refused_by_name(self) -> None:
        with pytest.raises(cc.InvalidTypeError) as info:
            rulesets.authorized_units(CALENDAR)  # type: ignore[arg-type]
        assert info.value.field == "attendance"
        with pytest.raises(cc.InvalidValueError) as info:
            rulesets.authorized_units(attended(0), unit="visits")  # type: ignore[arg-type]
        assert info.value.field == "unit"
        with pytest.raises(cc.InvalidValueError) as info:
            rulesets.authorized_units(attended(0), lead_days=-1)
        assert info.value.field == "lead_days"


class TestReviewPassed:
    """EPISODE-AUTHORIZATION-REVIEWED in EPISODE_RULES."""

    RULE = "EPISODE-AUTHORIZATION-REVIEWED"

    @staticmethod
    def reviewed() -> cc.Episode:
        return cc.Episode.admit("c-1", "IOP", D(2026, 6, 1), continuum=GENERIC).authorize(
            "IOP", D(2026, 6, 1), D(2026, 6, 30), next_review=D(2026, 6, 24)
        )

    def test_the_review_day_is_no_finding_the_day_after_is_a_warning(self) -> None:
        on_the_day = cc.validate(self.reviewed(), rulesets.EPISODE_RULES, on=D(2026, 6, 24))
        assert found(on_the_day, self.RULE) == []
        (late,) = found(
            cc.validate(self.reviewed(), rulesets.EPISODE_RULES, on=D(2026, 6, 25)), self.RULE
        )
        assert late.severity is cc.Severity.WARNING
        assert late.path == "authorizations[0].next_review"

    def test_a_newer_authorization_records_the_outcome(self) -> None:
        """Of the same level, or of the next level on its pathway; not a concurrent one."""
        for level in ("IOP", "OP"):
            renewed = self.reviewed().authorize(level, D(2026, 7, 1), D(2026, 7, 31))
            report = cc.validate(renewed, rulesets.EPISODE_RULES, on=D(2026, 7, 2))
            assert found(report, self.RULE) == []
        beside = (
            cc.Episode.admit("c-1", "2.1", D(2026, 6, 1), continuum=ASAM3)
            .authorize("2.1", D(2026, 6, 1), D(2026, 6, 30), next_review=D(2026, 6, 24))
            .authorize("OTP", D(2026, 6, 25), D(2026, 7, 31))
        )
        assert found(cc.validate(beside, rulesets.EPISODE_RULES, on=D(2026, 6, 25)), self.RULE)

    def test_no_review_is_asked_of_a_level_left_by_the_review_day(self) -> None:
        done = self.reviewed().discharge(D(2026, 6, 20), "completed")
        assert found(cc.validate(done, rulesets.EPISODE_RULES, on=D(2026, 7, 2)), self.RULE) == []
        moved = self.reviewed().step_to("OP", D(2026, 6, 24), "goals met")
        assert found(cc.validate(moved, rulesets.EPISODE_RULES, on=D(2026, 7, 2)), self.RULE) == []

    def test_a_concurrent_service_s_review(self) -> None:
        """OTP's authorization under review while OTP runs beside the main stay."""
        otp = (
            cc.Episode.admit("c-1", "2.1", D(2026, 6, 1), continuum=ASAM3)
            .add_concurrent("OTP", D(2026, 6, 1))
            .authorize("OTP", D(2026, 6, 1), D(2026, 8, 31), next_review=D(2026, 7, 1))
        )
        assert found(cc.validate(otp, rulesets.EPISODE_RULES, on=D(2026, 7, 1)), self.RULE) == []
        assert found(cc.validate(otp, rulesets.EPISODE_RULES, on=D(2026, 7, 2)), self.RULE)

    def test_without_a_day_it_says_it_needs_one_and_without_a_review_nothing(self) -> None:
        (note,) = found(cc.validate(self.reviewed(), rulesets.EPISODE_RULES), self.RULE)
        assert note.severity is cc.Severity.INFO
        plain = cc.Episode.admit("c-1", "IOP", D(2026, 6, 1), continuum=GENERIC)
        assert cc.validate(plain, rulesets.EPISODE_RULES).findings == ()
