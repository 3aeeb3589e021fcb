"""pytest fixtures for the canonical continua and programs, for the test suites of software that
uses carecontinuum.

Installing carecontinuum registers this plugin with pytest (entry point ``pytest11``), so the
fixtures are there in every test without an import or a ``conftest.py``; ``-p no:carecontinuum``
turns the plugin off, and a fixture of the same name in a ``conftest.py`` takes precedence.
Importing the plugin is cheap: it never imports hypothesis, and carecontinuum's modules load
when a fixture is first used. Every fixture is session-scoped, as the values are immutable. As
for any package that ships a pytest plugin, pytest rewrites the assert statements of
carecontinuum's modules as it imports them.

Fixtures:

- ``generic_continuum``, ``asam3_continuum``, ``asam4_continuum``, ``locus_continuum``: the
  catalog continua (`carecontinuum.catalogs`).
- ``windmill_program``: Windmill Wellness Ranch's addiction IOP as advertised: ASAM 3rd edition
  level 2.1, three-hour sessions on Monday, Wednesday and Friday at 18:00 for 8 weeks; 24
  sessions, 72 clinical hours, 9 a week.
- ``windmill_segments_program``: the same program as it runs, with a 15-minute break in each
  session: 2.75 clinical hours a session, 8.25 a week, below ASAM 2.1's adult floor of 9.
- ``typical_iop_program``: the intensive outpatient program the descriptions agree on, at the
  generic IOP level: three-hour sessions on Monday, Wednesday and Friday at 09:00 for 8 weeks;
  9 clinical hours a week, ok under every built-in rule set that judges it.

A test names the fixtures it needs::

    def test_the_scheduler_books_every_session(windmill_program):
        assert len(book(windmill_program)) == windmill_program.total_sessions == 24
"""

from __future__ import annotations

from datetime import timedelta

import pytest

import carecontinuum as cc

__all__ = [
    "asam3_continuum",
    "asam4_continuum",
    "generic_continuum",
    "locus_continuum",
    "typical_iop_program",
    "windmill_program",
    "windmill_segments_program",
]

_MON_WED_FRI = ("mon", "wed", "fri")
_EIGHT_WEEKS = 8


@pytest.fixture(scope="session")
def generic_continuum() -> cc.Continuum:
    """The generic continuum of the program descriptions: RECOVERY, OP, IOP, PHP, RESIDENTIAL,
    DETOX and INPATIENT (hospital), least intensive first."""
    return cc.catalogs.GENERIC


@pytest.fixture(scope="session")
def asam3_continuum() -> cc.Continuum:
    """The ASAM Criteria, 3rd edition (2013): the main levels 0.5 to 4, the
    withdrawal-management chain and opioid treatment (OTP)."""
    return cc.catalogs.ASAM3


@pytest.fixture(scope="session")
def asam4_continuum() -> cc.Continuum:
    """The ASAM Criteria, 4th edition (2023, adults): ten levels, 1.0 to 4, in one chain."""
    return cc.catalogs.ASAM4


@pytest.fixture(scope="session")
def locus_continuum() -> cc.Continuum:
    """LOCUS Adult Version 20: levels 0 (basic services) to 6 (medically managed residential)."""
    return cc.catalogs.LOCUS


def _minutes(service: cc.Service, minutes: int, label: str | None = None) -> cc.Segment:
    return cc.Segment(service, timedelta(minutes=minutes), label)


@pytest.fixture(scope="session")
def windmill_program() -> cc.ProgramStructure:
    """Windmill's addiction IOP as advertised, every hour counted: ASAM 3rd edition level 2.1,
    adults, substance use; a 30-minute check-in, a 90-minute process group and an hour's
    educational presentation on Monday, Wednesday and Friday from 18:00 to 21:00, for 8 weeks.
    24 sessions, 72 clinical hours, 9 a week: exactly ASAM 2.1's adult floor."""
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


@pytest.fixture(scope="session")
def windmill_segments_program() -> cc.ProgramStructure:
    """Windmill's addiction IOP as it runs: each three-hour session is a 30-minute check-in, a
    75-minute process group, a 15-minute break and an hour's educational presentation. The break
    is not clinical time: 2.75 clinical hours a session, 8.25 a week (66 over the 24 sessions),
    below ASAM 2.1's adult floor of 9."""
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


@pytest.fixture(scope="session")
def typical_iop_program() -> cc.ProgramStructure:
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
