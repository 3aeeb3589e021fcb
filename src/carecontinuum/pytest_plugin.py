"""pytest fixtures for realistic continua, programs, calendars, attendance, episodes and
treatment plans, and an assertion helper, for the test suites of software that uses
carecontinuum.

Installing carecontinuum registers this plugin with pytest (entry point ``pytest11``), so the
fixtures are there in every test without an import or a ``conftest.py``; ``-p no:carecontinuum``
turns the plugin off, and a fixture of the same name in a ``conftest.py`` takes precedence.
Importing the plugin is cheap: it never imports hypothesis, and carecontinuum's modules load
when a fixture is first used. Every fixture is session-scoped, as the values are immutable, and
deterministic: fixed dates, an explicit time zone (``America/New_York``), no clock. As for any
package that ships a pytest plugin, pytest rewrites the assert statements of carecontinuum's
modules as it imports them.

Fixtures are named by the role they play; the programs come from the program descriptions the
library was designed from (Windmill Wellness Ranch's addiction IOP, and the day-treatment PHP
the descriptions place above it), and the records follow one invented client, ``c-1001``,
stepping down from residential care to that IOP:

- ``generic_continuum``, ``asam3_continuum``, ``asam4_continuum``, ``locus_continuum``: the
  catalog continua (`carecontinuum.catalogs`).
- ``iop_program``: an adult addiction IOP at ASAM 3rd edition level 2.1, three-hour sessions on
  Monday, Wednesday and Friday at 18:00 for 8 weeks; 24 sessions, 72 clinical hours, 9 a week,
  ok under every built-in rule set that judges it.
- ``segmented_iop_program``: the same IOP as it runs, with a 15-minute break in each session:
  2.75 clinical hours a session, 8.25 a week, below ASAM 2.1's adult floor of 9.
- ``typical_iop_program``: the IOP the descriptions agree on, at the generic IOP level:
  three-hour sessions on Monday, Wednesday and Friday at 09:00 for 8 weeks.
- ``php_program``: a partial hospitalization program at ASAM 2.5, five five-hour days a week
  for 4 weeks (25 clinical hours a week, four services a day).
- ``iop_calendar``: ``iop_program`` expanded from Monday 2 March 2026 in America/New_York,
  across the change to summer time on 8 March: 24 sessions, all at 18:00 local time.
- ``iop_attendance``: client c-1001's record of every session of ``iop_calendar``, with two
  absences, an excused absence and a session attended in part; the weeks holding them fall
  below ASAM 2.1's floor as attended.
- ``step_down_episode``: client c-1001's open episode on the generic continuum: admitted to
  residential care on 5 January 2026, stepped down to ``php_program`` on 2 February and to
  ``iop_program`` on 2 March, with assessments; ok under `rulesets.EPISODE_RULES`.
- ``treatment_plan``: client c-1001's treatment plan for the IOP stay, from 2 March 2026, with
  its assessment and placement at 2.1, two problems and interventions the IOP offers; ok under
  `rulesets.PLAN_RULES` on its first day.

Earlier names stay as aliases giving the same value: ``windmill_program`` (``iop_program``)
and ``windmill_segments_program`` (``segmented_iop_program``).

A test names the fixtures it needs, and `assert_valid` judges a value, failing with every
finding listed::

    from carecontinuum import rulesets
    from carecontinuum.pytest_plugin import assert_valid

    def test_the_scheduler_books_every_session(iop_program):
        assert len(book(iop_program)) == iop_program.total_sessions == 24

    def test_imported_programs_are_valid(iop_program):
        assert_valid(import_program(export_program(iop_program)), rulesets.ASAM3)
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest

import carecontinuum as cc

if TYPE_CHECKING:
    from carecontinuum import (
        Attendance,
        Calendar,
        Continuum,
        Episode,
        LevelOfCare,
        ProgramStructure,
        RuleSet,
        TreatmentPlan,
        ValidationReport,
    )

__all__ = [
    "assert_valid",
    "asam3_continuum",
    "asam4_continuum",
    "generic_continuum",
    "locus_continuum",
    "iop_program",
    "segmented_iop_program",
    "typical_iop_program",
    "php_program",
    "iop_calendar",
    "iop_attendance",
    "step_down_episode",
    "treatment_plan",
    "windmill_program",
    "windmill_segments_program",
]

_MON_WED_FRI = ("mon", "wed", "fri")
_EIGHT_WEEKS = 8
_CLIENT = "c-1001"
_ZONE = "America/New_York"
_ADMITTED = date(2026, 1, 5)
_TO_PHP = date(2026, 2, 2)
_TO_IOP = date(2026, 3, 2)  # a Monday; the clocks change on Sunday 8 March 2026


def assert_valid(
    subject: object,
    ruleset: RuleSet,
    *,
    as_level: LevelOfCare | None = None,
    on: date | None = None,
) -> ValidationReport:
    """Validate `subject` under `ruleset` and return the report; if it has an ERROR finding,
    fail with an `AssertionError` listing every finding, one a line: severity, rule, where
    (the week, the session, the field), the message, what was expected and what was found.

    pytest shows the message in full and points at the caller's line. Warnings and INFO
    findings do not fail the assertion; check ``report.warnings`` on the returned report for
    those.

    Args:
        subject: What to judge, as for `carecontinuum.validate`.
        ruleset: The rules.
        as_level: Judge the subject as if it were at this level.
        on: The day to judge on, for rules about what is due by a date.

    Raises:
        AssertionError: the report is not ok.

    >>> from carecontinuum import ProgramStructure, catalogs, rulesets
    >>> iop = ProgramStructure.weekly(catalogs.ASAM3["2.1"], days=["mon", "wed"],
    ...                               hours_per_session=3, weeks=8, name="Evening IOP")
    >>> try:
    ...     assert_valid(iop, rulesets.ASAM3)
    ... except AssertionError as failure:
    ...     print(failure)  # doctest: +NORMALIZE_WHITESPACE
    ProgramStructure 'Evening IOP' at ASAM3 2.1 is not valid under ASAM3 2013: 1 error
      error ASAM3-2.1-ADULT-HOURS @ sessions: The typical week has 6 clinical hours; under
      ASAM3, ASAM3 2.1 (Intensive Outpatient Services) needs at least 9 and less than 20
      clinical hours a week. It looks like ASAM3 1 (Outpatient Services) instead. (expected at
      least 9 and less than 20 clinical hours a week; found 6 clinical hours in the typical
      week)
    >>> assert_valid(iop, rulesets.TYPICAL_IOP.without("TYPICAL-IOP-HOURS")).warnings[0].rule_id
    'TYPICAL-IOP-SESSIONS'
    """
    __tracebackhide__ = True  # pytest reports the failure at the caller's line
    from carecontinuum._rules import _counts, _subject_summary  # noqa: PLC0415 (on first use)

    report = cc.validate(subject, ruleset, as_level=as_level, on=on)
    if report.ok:
        return report
    order = {cc.Severity.ERROR: 0, cc.Severity.WARNING: 1, cc.Severity.INFO: 2}
    findings = sorted(report.findings, key=lambda f: order[f.severity])
    head = (
        f"{_subject_summary(subject, report.level)} is not valid under "
        f"{report.ruleset.name} {report.ruleset.version}: {_counts(report)}"
    )
    raise AssertionError("\n".join([head, *(f"  {finding._full()}" for finding in findings)]))


# ---- continua -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def generic_continuum() -> Continuum:
    """The generic continuum of the program descriptions: RECOVERY, OP, IOP, PHP, RESIDENTIAL,
    DETOX and INPATIENT (hospital), least intensive first."""
    return cc.catalogs.GENERIC


@pytest.fixture(scope="session")
def asam3_continuum() -> Continuum:
    """The ASAM Criteria, 3rd edition (2013): the main levels 0.5 to 4, the
    withdrawal-management chain and opioid treatment (OTP)."""
    return cc.catalogs.ASAM3


@pytest.fixture(scope="session")
def asam4_continuum() -> Continuum:
    """The ASAM Criteria, 4th edition (2023, adults): ten levels, 1.0 to 4, in one chain."""
    return cc.catalogs.ASAM4


@pytest.fixture(scope="session")
def locus_continuum() -> Continuum:
    """LOCUS Adult Version 20: levels 0 (basic services) to 6 (medically managed residential)."""
    return cc.catalogs.LOCUS


# ---- programs -----------------------------------------------------------------------------
# Each value is built once, by a cached function, so an alias is the very same value and a
# fixture overridden in a conftest.py changes no other fixture.


def _minutes(service: cc.Service, minutes: int, label: str | None = None) -> cc.Segment:
    return cc.Segment(service, timedelta(minutes=minutes), label)


@functools.cache
def _iop_program() -> ProgramStructure:
    return cc.ProgramStructure.weekly(
        cc.catalogs.ASAM3["2.1"],
        days=_MON_WED_FRI,
        start="18:00",
        hours_per_session=3,
        services=[
            _minutes(cc.Service.CHECK_IN, 30),
            cc.Service.PROCESS_GROUP,
            _minutes(cc.Service.PSYCHOEDUCATION, 60, "educational presentation"),
        ],
        weeks=_EIGHT_WEEKS,
        name="Windmill IOP",
    )


@functools.cache
def _segmented_iop_program() -> ProgramStructure:
    return cc.ProgramStructure.weekly(
        cc.catalogs.ASAM3["2.1"],
        days=_MON_WED_FRI,
        start="18:00",
        hours_per_session=3,
        services=[
            _minutes(cc.Service.CHECK_IN, 30),
            _minutes(cc.Service.PROCESS_GROUP, 75),
            _minutes(cc.Service.BREAK, 15),
            _minutes(cc.Service.PSYCHOEDUCATION, 60, "educational presentation"),
        ],
        weeks=_EIGHT_WEEKS,
        name="Windmill IOP, from segments",
    )


@functools.cache
def _php_program() -> ProgramStructure:
    return cc.ProgramStructure.weekly(
        cc.catalogs.ASAM3["2.5"],
        days=("mon", "tue", "wed", "thu", "fri"),
        start="09:00",
        hours_per_session=5,
        services=[
            cc.Service.GROUP_THERAPY,
            cc.Service.PSYCHOEDUCATION,
            cc.Service.SKILLS_WORKSHOP,
            cc.Service.MEDICATION_MANAGEMENT,
        ],
        weeks=4,
        name="Day PHP",
    )


@pytest.fixture(scope="session")
def iop_program() -> ProgramStructure:
    """An adult addiction IOP as advertised, every hour counted (Windmill Wellness Ranch's, in
    the program descriptions): ASAM 3rd edition level 2.1, substance use; a 30-minute
    check-in, a 90-minute process group and an hour's educational presentation on Monday,
    Wednesday and Friday from 18:00 to 21:00, for 8 weeks. 24 sessions, 72 clinical hours, 9 a
    week: exactly ASAM 2.1's adult floor, and ok under every built-in rule set that judges
    it."""
    return _iop_program()


@pytest.fixture(scope="session")
def segmented_iop_program() -> ProgramStructure:
    """The IOP of ``iop_program`` as it runs: each three-hour session is a 30-minute check-in,
    a 75-minute process group, a 15-minute break and an hour's educational presentation. The
    break is not clinical time: 2.75 clinical hours a session, 8.25 a week (66 over the 24
    sessions), below ASAM 2.1's adult floor of 9 (one error under `rulesets.ASAM3`)."""
    return _segmented_iop_program()


@pytest.fixture(scope="session")
def typical_iop_program() -> ProgramStructure:
    """The typical IOP of the program descriptions, at the generic IOP level: adults,
    substance use, three hours of group therapy on Monday, Wednesday and Friday from 09:00, for
    8 weeks. 24 sessions, 9 clinical hours a week; no built-in rule set finds an error in it."""
    return cc.ProgramStructure.weekly(
        cc.catalogs.GENERIC["IOP"],
        days=_MON_WED_FRI,
        hours_per_session=3,
        weeks=_EIGHT_WEEKS,
        name="Typical IOP",
    )


@pytest.fixture(scope="session")
def php_program() -> ProgramStructure:
    """An adult partial hospitalization program (day treatment) at ASAM 3rd edition level 2.5:
    five-hour days, Monday to Friday from 09:00, of group therapy, psychoeducation, a skills
    workshop and medication management, for 4 weeks. 25 clinical hours a week (PHP's floor is
    20) and four services a day (Medicare's higher per-diem tier); ok under every built-in rule
    set that judges it."""
    return _php_program()


# ---- dated records --------------------------------------------------------------------------


@functools.cache
def _iop_calendar() -> Calendar:
    return cc.expand(_iop_program(), _TO_IOP, _ZONE)


@functools.cache
def _iop_attendance() -> Attendance:
    status = cc.AttendanceStatus
    missed = {3: status.ABSENT, 10: status.EXCUSED, 16: status.ABSENT}
    records = []
    for i, session in enumerate(_iop_calendar().sessions):
        if i == 7:  # week 3's Wednesday: left after two of the three hours
            records.append(
                cc.AttendanceRecord(session, status.PARTIAL, attended=timedelta(hours=2))
            )
        else:
            records.append(cc.AttendanceRecord(session, missed.get(i, status.PRESENT)))
    return cc.Attendance(_iop_calendar(), records, client_id=_CLIENT)


@functools.cache
def _assessments() -> tuple[cc.Assessment, cc.Assessment]:
    """The intake (residential care: 3.1) and the reassessment before the IOP (2.1)."""
    intake = cc.Assessment(
        "ASAM3", {"1": 1, "2": 1, "3": 2, "4": 2, "5": 3, "6": 3}, _ADMITTED, client_id=_CLIENT
    )
    before_iop = cc.Assessment(
        "ASAM3",
        {"1": 0, "2": 0, "3": 1, "4": 1, "5": 2, "6": 2},
        _TO_IOP - timedelta(days=3),
        client_id=_CLIENT,
    )
    return intake, before_iop


@pytest.fixture(scope="session")
def iop_calendar() -> Calendar:
    """``iop_program`` on real dates: expanded from Monday 2 March 2026 in America/New_York
    for its 8 weeks. 24 sessions at 18:00 local time, the first three in EST and the rest in
    EDT (the clocks change on Sunday 8 March); 9 clinical hours in every week, ok under
    `rulesets.ASAM3`."""
    return _iop_calendar()


@pytest.fixture(scope="session")
def iop_attendance() -> Attendance:
    """Client c-1001's attendance at every session of ``iop_calendar``: absent on the second
    Monday (9 March) and the sixth Wednesday (8 April), excused on the fourth Wednesday
    (25 March), and present for 2 of the 3 hours on the third Wednesday (18 March); present at
    the other 20. Every session is recorded. The four weeks holding a missed hour fall below
    ASAM 2.1's floor of 9 as attended (errors under `rulesets.ASAM3`, one a week); the others
    deliver their 9 hours."""
    return _iop_attendance()


@pytest.fixture(scope="session")
def step_down_episode() -> Episode:
    """Client c-1001's episode on the generic continuum, still open: admitted to RESIDENTIAL
    care on Monday 5 January 2026 on an intake assessment, stepped down to PHP (in
    ``php_program``) on 2 February and to IOP (in ``iop_program``) on 2 March, on a
    reassessment. Two step-down transitions, each with its reason; ok under
    `rulesets.EPISODE_RULES`."""
    intake, before_iop = _assessments()
    episode = cc.Episode.admit(
        _CLIENT, "RESIDENTIAL", _ADMITTED, continuum=cc.catalogs.GENERIC, assessment=intake
    )
    episode = episode.step_to(
        "PHP", _TO_PHP, "residential treatment goals met", program=_php_program()
    )
    return episode.step_to(
        "IOP", _TO_IOP, "PHP goals met", assessment=before_iop, program=_iop_program()
    )


@pytest.fixture(scope="session")
def treatment_plan() -> TreatmentPlan:
    """Client c-1001's treatment plan for the IOP stay of ``step_down_episode``: written on
    2 March 2026 for ``iop_program`` from the reassessment and its placement at ASAM 2.1, with
    two problems (alcohol use; few sober supports), a goal and objectives for each, and
    interventions the IOP offers (process group, psychoeducation, check-in); reviewed every 30
    days, next on 1 April. Ok under `rulesets.PLAN_RULES` from its start to its first review."""
    _, before_iop = _assessments()
    group = cc.Intervention(cc.Service.PROCESS_GROUP, 3, cc.CareRole.ADDICTION_COUNSELOR)
    education = cc.Intervention(
        cc.Service.PSYCHOEDUCATION,
        3,
        cc.CareRole.ADDICTION_COUNSELOR,
        description="relapse triggers and coping skills",
    )
    check_in = cc.Intervention(
        cc.Service.CHECK_IN, 3, cc.CareRole.CASE_MANAGER, description="peer meetings this week"
    )
    problems = [
        cc.Problem(
            "Alcohol use disorder, moderate",
            [
                cc.Goal(
                    "Stays abstinent from alcohol",
                    [
                        cc.Objective(
                            "Attends at least 90% of process groups", date(2026, 4, 24), [group]
                        ),
                        cc.Objective(
                            "Names three triggers and a coping plan for each",
                            date(2026, 3, 27),
                            [education],
                        ),
                    ],
                )
            ],
        ),
        cc.Problem(
            "Few people to turn to who do not drink",
            [
                cc.Goal(
                    "Builds a sober support network",
                    [
                        cc.Objective(
                            "Attends two peer recovery meetings a week",
                            date(2026, 4, 10),
                            [check_in],
                        )
                    ],
                )
            ],
        ),
    ]
    return cc.TreatmentPlan(
        _CLIENT,
        before_iop,
        cc.place(before_iop, cc.catalogs.ASAM3),
        _iop_program(),
        problems,
        start=_TO_IOP,
        review_every_days=30,
        next_review=date(2026, 4, 1),
        discharge_criteria=["Four weeks abstinent, confirmed by drug tests"],
    )


# ---- earlier names --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def windmill_program() -> ProgramStructure:
    """The earlier name of ``iop_program``: the same value."""
    return _iop_program()


@pytest.fixture(scope="session")
def windmill_segments_program() -> ProgramStructure:
    """The earlier name of ``segmented_iop_program``: the same value."""
    return _segmented_iop_program()
