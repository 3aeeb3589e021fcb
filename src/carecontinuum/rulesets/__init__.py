"""The named rule sets, each rule citing its source, and the factories to build your own.

Rule sets: `TYPICAL_IOP`, `ASAM3`, `ASAM4`, `MEDICARE_2024`, `HCPCS_H0015`, `TEDS`,
`NC_SAIOP`, `NC_SAIOP_2025`, `NC_SAIOP_2026`, `NC_SACOT`, `DC_SUD`, `KS_IOP`, `LA_SUD`
(programs, calendars, attendance),
`PLAN_RULES` (treatment plans) and `EPISODE_RULES` (episodes of care); `ALL` maps their names to
them. `authorized_units(attendance)` builds the rule set that judges an episode's authorized
units and periods against a client's attendance. Dated versions of one body's rules form a
`RuleSeries` (`series`), which judges each week by the version in force that week:
`NC_SAIOP_SERIES` and `NC_SACOT_SERIES`. Factories:
`weekly_hours`, `daily_hours`, `days_per_week`, `sessions_per_week`, `days_without_service`,
`service_every_day`, `session_hours`, `program_weeks`, `attendance_rate`, `typical_weekly_hours`.
The same rule objects judge program templates, dated calendars (`expand`) and a client's
attendance. A rule set made only of factory rules is data: `dumps` writes it as TOML and `loads`
reads it back (and `to_dict` writes it in full). Medicare's
per-diem tiers count each program day's billed service units: `per_diem_days` lists them, as
`PerDiemDay` values with their `PerDiemTier`, and `per_diem_periods` sums them per week or
per month (`PerDiemPeriod`). The codes that bill each level are data too:
`BILLING_CODES` holds each `BillingCode` (HCPCS, Medicare's condition codes, payment classes
and types of bill, each citing its source) and `billing_codes(level, track=...)` looks them up.

Figures and sources are those of the carecontinuum domain notes; where sources disagree, each
rule set's description and the rule's `Source.note` say which one it follows.

>>> import carecontinuum as cc
>>> from carecontinuum import rulesets
>>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
...                                hours_per_session=3, weeks=8)
>>> [name for name, rs in rulesets.ALL.items() if not cc.validate(p, rs).ok]
[]
>>> cc.validate(p, rulesets.NC_SACOT).applied  # SACOT's rules are for day treatment (PHP)
()
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs

from .._measures import Weekly
from .._program import Population, Service, Track
from .._rules import Finding, Rule, RuleContext, RuleSeries, RuleSet, Severity, Source, series
from ..catalogs import ASAM3 as _ASAM3_LEVELS
from ..catalogs import ASAM4 as _ASAM4_LEVELS
from ..catalogs import GENERIC as _GENERIC
from ._factories import (
    attendance_rate,
    daily_hours,
    days_per_week,
    days_without_service,
    program_weeks,
    service_every_day,
    session_hours,
    sessions_per_week,
    typical_weekly_hours,
    weekly_hours,
)
from ._per_diem import (
    PerDiemDay,
    PerDiemPeriod,
    PerDiemTier,
    _check_per_diem_tiers,
    per_diem_days,
    per_diem_periods,
)

__all__ = [
    "ALL",
    "BILLING_CODES",
    "EPISODE_RULES",
    "PLAN_RULES",
    "ASAM3",
    "ASAM4",
    "DC_SUD",
    "HCPCS_H0015",
    "KS_IOP",
    "LA_SUD",
    "MEDICARE_2024",
    "NC_SACOT",
    "NC_SACOT_SERIES",
    "NC_SAIOP",
    "NC_SAIOP_2025",
    "NC_SAIOP_2026",
    "NC_SAIOP_SERIES",
    "TEDS",
    "TYPICAL_IOP",
    "BillingCode",
    "BillingSystem",
    "PerDiemDay",
    "PerDiemPeriod",
    "PerDiemTier",
    "RuleSeries",
    "attendance_rate",
    "authorized_units",
    "billing_codes",
    "daily_hours",
    "days_per_week",
    "days_without_service",
    "dumps",
    "loads",
    "per_diem_days",
    "per_diem_periods",
    "program_weeks",
    "series",
    "service_every_day",
    "session_hours",
    "sessions_per_week",
    "typical_weekly_hours",
    "weekly_hours",
]

_ADULT, _ADOLESCENT = Population.ADULT, Population.ADOLESCENT
#: Addiction treatment: the tracks ASAM, TEDS, H0015 and North Carolina's substance-abuse
#: programs speak to. A mental-health program is out of their scope (LOCUS is its scheme).
_SUD = (Track.SUBSTANCE_USE, Track.CO_OCCURRING)
_IOP, _OP, _PHP = _GENERIC["IOP"], _GENERIC["OP"], _GENERIC["PHP"]

# ---- sources ----------------------------------------------------------------------------------

_DESCRIPTIONS = Source(
    "Program descriptions of intensive outpatient care (Trinity Behavioral Health, Invigorate, "
    "AACS Counseling, an adult mental-health IOP, Windmill Wellness Ranch)",
    note="What the descriptions agree on, as summarised in the carecontinuum domain notes.",
)
_ASAM3 = Source(
    "The ASAM Criteria: Treatment Criteria for Addictive, Substance-Related, and Co-Occurring "
    "Conditions, 3rd edition",
    publisher="American Society of Addiction Medicine",
    year=2013,
)
_ASAM3_2_1 = Source(
    _ASAM3.title,
    publisher=_ASAM3.publisher,
    year=2013,
    locator="Level 2.1",
    note="Summaries give only the floor (9 or more hours for adults, 6 for adolescents); payer "
    "excerpts of the level description (Aetna) and UCLA-ISAP training give 9-19. This rule "
    "follows 9-19, reading the cap as 'below 2.5's floor of 20'.",
)
_ASAM4 = Source(
    "The ASAM Criteria, 4th edition, Volume 1: Adults",
    publisher="American Society of Addiction Medicine",
    year=2023,
    note="Weekly hours were not found in an authoritative 4th-edition source; these are the 3rd "
    "edition's figures (2.1 at 9-19, 2.5 at 20 or more), carried over.",
)
_MEDICARE = Source(
    "CY 2024 Hospital Outpatient Prospective Payment System final rule: intensive outpatient "
    "program services",
    publisher="Centers for Medicare & Medicaid Services",
    year=2024,
)
#: Cited by the rule set HCPCS_H0015 and by the code H0015 in BILLING_CODES.
_H0015: Source = Source(
    "HCPCS Level II code H0015: alcohol and/or drug services; intensive outpatient",
    publisher="Centers for Medicare & Medicaid Services",
    note="A program that operates at least 3 hours a day and at least 3 days a week, based on "
    "an individualised treatment plan.",
)
_TEDS = Source(
    "Treatment Episode Data Set: Admissions (TEDS-A) codebook, variable SERVICES, code 6",
    publisher="Substance Abuse and Mental Health Services Administration",
    note="Intensive outpatient: at a minimum, two or more hours a day for three or more days "
    "a week.",
)
#: How the rules on what a program "operates", "offers" or "lasts" a day read the day.
_PROGRAM_TIME = (
    " The hours a day are read as program time (daily_hours(..., include_breaks=True)): each "
    "session from start to end, breaks within it included, since a program that runs three "
    "hours with a 15-minute break operates three hours; separate appointments on the day count "
    "too. Weekly clinical-hour rules (ASAM, Medicare) leave breaks out."
)
_NC_BULLETIN_2025 = (
    "https://medicaid.ncdhhs.gov/blog/2025/01/24/behavioral-health-clinical-coverage-policy-updates"
)
_NC_BULLETIN_2026 = (
    "https://medicaid.ncdhhs.gov/blog/2026/01/07/behavioral-health-clinical-coverage-policy-updates"
)
_NC_8A = Source(
    "NC Medicaid Clinical Coverage Policy 8A, Enhanced Mental Health and Substance Abuse "
    "Services: Substance Abuse Intensive Outpatient Program (SAIOP)",
    publisher="North Carolina Department of Health and Human Services",
    locator="SAIOP service definition",
    note="In force until 2024-12-31: the revision of 8A effective 2025-01-01 removed its "
    "limits (see NC_SAIOP_2025). The definition was read as an LME/MCO reproduces it "
    "(Sandhills Center, sandhillsbc.com, 'Substance Abuse Intensive Outpatient Program'), not "
    "in the policy itself; the date it took effect was not established.",
)
_NC_8A_2025 = Source(
    "NC Medicaid Clinical Coverage Policy 8A, as revised effective 2025-01-01: Substance Abuse "
    "Intensive Outpatient Program (SAIOP)",
    publisher="North Carolina Department of Health and Human Services",
    year=2025,
    url=_NC_BULLETIN_2025,
    note="The revision (promulgated 2024-12-20, effective 2025-01-01) removed units, hours, "
    "days and visit limits, utilization-management language and prior authorization from 8A's "
    "SAIOP and SACOT definitions, for mental-health parity (NC Medicaid bulletin, 2025-01-24). "
    "Its service-specific changes (the policy's section 8.0) could not be read here, so whether "
    "this figure of 8A's definition (until 2024-12-31) survived is not confirmed: it is noted "
    "(INFO), not an error. Raise it with `with_severity` if the policy text or your contract "
    "keeps it.",
)
_NC_8A_12 = Source(
    "NC Medicaid Clinical Coverage Policy 8A-12, Substance Abuse Intensive Outpatient Program "
    "(SAIOP) (ASAM Level 2.1)",
    publisher="North Carolina Department of Health and Human Services",
    year=2026,
    url=_NC_BULLETIN_2026,
    note="Effective 2026-01-01, promulgated 2026-01-02. NC Medicaid's bulletin of 2026-01-07 "
    "summarises it: 9-19 hours of skilled treatment services a week for adults, 6-19 for "
    "adolescents, in amounts and frequencies set by the person-centered plan; the policy text "
    "itself could not be read here.",
)
#: 8A's figures where 8A-12 is not confirmed to keep them: noted, not judged.
_NC_8A_12_CARRIED = attrs.evolve(
    _NC_8A_12,
    note="8A's figure until 2024-12-31 (carried over as INFO). The summary of 8A-12 (NC "
    "Medicaid bulletin, 2026-01-07) states weekly hours only; the policy text could not be read "
    "here, so whether 8A-12 keeps this figure is not confirmed. Raise it with `with_severity` if "
    "the policy text or your contract keeps it.",
)
_NC_SACOT_URL = (
    "http://ncrules.state.nc.us/ncac/title%2010a%20-%20health%20and%20human%20services/"
    "chapter%2027%20-%20mental%20health,%20community%20facilities%20and%20services/"
    "subchapter%20g/10a%20ncac%2027g%20"
)
_NC_SACOT = Source(
    "10A NCAC 27G .4503, Substance Abuse Comprehensive Outpatient Treatment Program: operations",
    publisher="North Carolina Administrative Code",
    year=2006,
    url=f"{_NC_SACOT_URL}.4503.html",
    note="A licensure rule (history note: effective 2006-04-01; later amendments were not "
    "checked). It binds licensed SACOT programs whatever the payer: NC Medicaid's removal of "
    "limits from policy 8A in 2025 concerns its coverage policy, not this rule. NC Medicaid's "
    "policy 8A-13 (from 2026-01-01; ASAM 2.5) also states 20 or more hours a week.",
)
_NC_SACOT_SCOPE = Source(
    "10A NCAC 27G .4501, Substance Abuse Comprehensive Outpatient Treatment Program: scope",
    publisher="North Carolina Administrative Code",
    year=2006,
    url=f"{_NC_SACOT_URL}.4501.html",
    note="SACOT serves adults with a primary substance-related diagnosis; NC Medicaid's policy "
    "8A-13 (2026) covers beneficiaries aged 18 and older (NC Medicaid bulletin, 2026-01-07). An "
    "adolescent program is outside SACOT, not a failed SACOT: a warning, and no SACOT threshold "
    "judges it. Later amendments of the rule were not checked.",
)

# ---- TYPICAL_IOP ------------------------------------------------------------------------------

#: What the program descriptions agree on: IOP 9-15 clinical hours a week in 3-5 sessions of
#: about 3 hours, for 6-12 weeks; standard outpatient below IOP's 9 hours, usually 1-3; PHP 20
#: or more.
TYPICAL_IOP = RuleSet(
    "TYPICAL_IOP",
    "2026.2",
    [
        weekly_hours(
            "TYPICAL-OP-HOURS",
            "Standard outpatient: under 9 clinical hours a week (below IOP)",
            source=Source(
                _ASAM3.title,
                publisher=_ASAM3.publisher,
                year=2013,
                locator="Level 1",
                note="The program descriptions call standard outpatient 1-3 hours a week: "
                "what is usual, not a limit (TYPICAL-OP-USUAL-HOURS warns outside it). The "
                "level runs up to where the descriptions' IOP begins, 9 hours, as ASAM's level "
                "1 runs to fewer than 9 hours for adults. No floor: an hour every other week "
                "is still outpatient care.",
            ),
            levels=_OP,
            populations=_ADULT,
            less_than=9,
        ),
        typical_weekly_hours(
            "TYPICAL-OP-USUAL-HOURS",
            "Standard outpatient: usually 1-3 clinical hours a week",
            source=attrs.evolve(
                _DESCRIPTIONS,
                note=f"{_DESCRIPTIONS.note} Their 1-3 hours a week (one or two sessions) is "
                "what standard outpatient usually holds, not a limit: a week outside it is a "
                "warning, and the level runs to below 9 hours (TYPICAL-OP-HOURS).",
            ),
            levels=_OP,
            populations=_ADULT,
            at_least=1,
            at_most=3,
        ),
        weekly_hours(
            "TYPICAL-IOP-HOURS",
            "IOP: 9-15 clinical hours a week",
            source=_DESCRIPTIONS,
            levels=_IOP,
            populations=_ADULT,
            at_least=9,
            at_most=15,
        ),
        sessions_per_week(
            "TYPICAL-IOP-SESSIONS",
            "IOP: 3-5 sessions a week",
            source=_DESCRIPTIONS,
            levels=_IOP,
            populations=_ADULT,
            at_least=3,
            at_most=5,
            severity=Severity.WARNING,
        ),
        session_hours(
            "TYPICAL-IOP-SESSION-LENGTH",
            "IOP: program sessions of about 3 clinical hours (2.5-3.5)",
            source=attrs.evolve(
                _DESCRIPTIONS,
                note=f"{_DESCRIPTIONS.note} The 3-hour sessions are the program's group "
                "sessions: separate appointments the descriptions also name (an individual, "
                "family or medication-management hour) are not judged.",
            ),
            levels=_IOP,
            populations=_ADULT,
            at_least=2.5,
            at_most=3.5,
        ),
        program_weeks(
            "TYPICAL-IOP-LENGTH",
            "IOP: usually 6-12 weeks",
            source=Source(
                _DESCRIPTIONS.title,
                locator="program length",
                note="AACS gives 8-12 weeks, the adult mental-health IOP 6-12 and Windmill 8; "
                "Invigorate gives 'several weeks to a few months', and IOP length follows the "
                "client's progress, not a calendar. So a length outside 6-12 weeks is a note "
                "(INFO), not a warning: a described program would trip it.",
            ),
            levels=_IOP,
            populations=_ADULT,
            at_least=6,
            at_most=12,
            severity=Severity.INFO,
        ),
        weekly_hours(
            "TYPICAL-PHP-HOURS",
            "PHP: 20 or more clinical hours a week",
            source=Source(
                _ASAM3.title,
                publisher=_ASAM3.publisher,
                year=2013,
                locator="Level 2.5",
                note="The program descriptions give no PHP hours; the band is ASAM's (and "
                "Medicare's) 20 or more.",
            ),
            levels=_PHP,
            populations=_ADULT,
            at_least=20,
        ),
    ],
    description="What the described (adult) programs agree on; adolescent programs are out of "
    "its scope (ASAM3 has adolescent figures). Where the descriptions and ASAM differ (ASAM "
    "lets IOP run to 19 hours a week), this set follows the descriptions: 9-15. Standard "
    "outpatient runs below IOP's 9 hours; the descriptions' 1-3 hours is what is usual, so a "
    "week outside it is a warning, not an error. Hours inside another band name the level they "
    "look like; hours between bands (over 15 and under 20) name the bands on either side. "
    "Sessions a week and program-session length are warnings: programs vary there without "
    "changing level. Program length is a note (INFO): the described programs run from "
    "'several weeks' to 'a few months'.",
)

# ---- ASAM 3rd edition -------------------------------------------------------------------------


def _asam3(code: str, note: str | None = None) -> Source:
    return Source(
        _ASAM3.title, publisher=_ASAM3.publisher, year=2013, locator=f"Level {code}", note=note
    )


#: The ASAM Criteria 3rd edition's weekly clinical hours: outpatient (1) below 9 for adults and
#: 6 for adolescents; intensive outpatient (2.1) 9 (adolescents 6) to below 20; partial
#: hospitalization (2.5) 20 or more; clinically managed low-intensity residential (3.1) at
#: least 5.
ASAM3 = RuleSet(
    "ASAM3",
    "2013",
    [
        weekly_hours(
            "ASAM3-1-ADULT-HOURS",
            "Level 1, adults: fewer than 9 clinical hours a week",
            source=_asam3("1"),
            levels=_ASAM3_LEVELS["1"],
            tracks=_SUD,
            populations=_ADULT,
            less_than=9,
        ),
        weekly_hours(
            "ASAM3-1-ADOLESCENT-HOURS",
            "Level 1, adolescents: fewer than 6 clinical hours a week",
            source=_asam3("1"),
            levels=_ASAM3_LEVELS["1"],
            tracks=_SUD,
            populations=_ADOLESCENT,
            less_than=6,
        ),
        weekly_hours(
            "ASAM3-2.1-ADULT-HOURS",
            "Level 2.1, adults: 9-19 clinical hours a week",
            source=_ASAM3_2_1,
            levels=_ASAM3_LEVELS["2.1"],
            tracks=_SUD,
            populations=_ADULT,
            at_least=9,
            less_than=20,
        ),
        weekly_hours(
            "ASAM3-2.1-ADOLESCENT-HOURS",
            "Level 2.1, adolescents: 6-19 clinical hours a week",
            source=_ASAM3_2_1,
            levels=_ASAM3_LEVELS["2.1"],
            tracks=_SUD,
            populations=_ADOLESCENT,
            at_least=6,
            less_than=20,
        ),
        weekly_hours(
            "ASAM3-2.5-HOURS",
            "Level 2.5: 20 or more clinical hours a week",
            source=_asam3("2.5"),
            levels=_ASAM3_LEVELS["2.5"],
            tracks=_SUD,
            at_least=20,
        ),
        weekly_hours(
            "ASAM3-3.1-HOURS",
            "Level 3.1: at least 5 clinical hours a week",
            source=_asam3("3.1"),
            levels=_ASAM3_LEVELS["3.1"],
            tracks=_SUD,
            at_least=5,
        ),
    ],
    description="Numeric thresholds of the ASAM Criteria, 3rd edition (codes and numbers only; "
    "the criteria text is ASAM's). Level 2.1's cap follows the payer excerpts (9-19), read as "
    "'below 20', where 2.5 begins.",
)

# ---- ASAM 4th edition -------------------------------------------------------------------------


def _no_adolescent_criteria(context: RuleContext) -> Iterator[Finding]:
    yield context.finding(
        "The ASAM Criteria 4th edition is the adults volume: it has no adolescent criteria, so "
        "it cannot judge this program. Judge adolescent programs with ASAM3.",
        expected="an adult program (or the 3rd edition's adolescent criteria)",
        found="an adolescent program",
        path="population",
    )


def _asam4(code: str) -> Source:
    return Source(
        _ASAM4.title,
        publisher=_ASAM4.publisher,
        year=2023,
        locator=f"Level {code}",
        note=_ASAM4.note,
    )


#: The ASAM Criteria 4th edition (adults): 2.1 at 9 to below 20 clinical hours a week, 2.5
#: (high-intensity outpatient) at 20 or more: the 3rd edition's figures, carried over and
#: marked so. Adolescent programs get a warning pointing to ASAM3.
ASAM4 = RuleSet(
    "ASAM4",
    "2023",
    [
        weekly_hours(
            "ASAM4-2.1-ADULT-HOURS",
            "Level 2.1, adults: 9-19 clinical hours a week",
            source=_asam4("2.1"),
            levels=_ASAM4_LEVELS["2.1"],
            tracks=_SUD,
            populations=_ADULT,
            at_least=9,
            less_than=20,
        ),
        weekly_hours(
            "ASAM4-2.5-ADULT-HOURS",
            "Level 2.5, adults: 20 or more clinical hours a week",
            source=_asam4("2.5"),
            levels=_ASAM4_LEVELS["2.5"],
            tracks=_SUD,
            populations=_ADULT,
            at_least=20,
        ),
        Rule(
            "ASAM4-NO-ADOLESCENT-CRITERIA",
            "No adolescent criteria in the 4th edition",
            source=Source(
                _ASAM4.title,
                publisher=_ASAM4.publisher,
                year=2023,
                note="An adolescent volume is pending.",
            ),
            check=_no_adolescent_criteria,
            judges=Weekly,
            severity=Severity.WARNING,
            levels=_ASAM4_LEVELS.levels,
            populations=_ADOLESCENT,
        ),
    ],
    description="The 4th edition's levels with the weekly hours in circulation, which are the "
    "3rd edition's carried over (no authoritative 4th-edition figure was found). The 2023 book "
    "is the adults volume: adolescent programs are not judged, and are pointed to ASAM3.",
)

# ---- Medicare ---------------------------------------------------------------------------------


#: Medicare's intensive outpatient benefit (CY2024 OPPS): IOP from 9 clinical hours a week up
#: to PHP's floor, PHP 20 or more, and the two per-diem tiers (days with 3 services, days with 4
#: or more, counted in billed service units: see `per_diem_days`).
MEDICARE_2024 = RuleSet(
    "MEDICARE_2024",
    "CY2024",
    [
        weekly_hours(
            "MEDICARE-IOP-HOURS",
            "IOP: a minimum of 9 hours a week (below PHP's 20)",
            source=Source(
                _MEDICARE.title,
                publisher=_MEDICARE.publisher,
                year=2024,
                locator="IOP certification: a minimum of 9 hours of services a week",
                note="The regulation states no IOP ceiling: the upper edge here is PHP's "
                "20-hour threshold, not an IOP cap.",
            ),
            levels=_IOP,
            at_least=9,
            less_than=20,
        ),
        weekly_hours(
            "MEDICARE-PHP-HOURS",
            "PHP: 20 or more hours a week",
            source=Source(
                _MEDICARE.title,
                publisher=_MEDICARE.publisher,
                year=2024,
                locator="PHP: 20 or more hours of services a week",
            ),
            levels=_PHP,
            at_least=20,
        ),
        Rule(
            "MEDICARE-PER-DIEM-TIERS",
            "Per-diem tiers: days with 3 services and days with 4 or more",
            source=Source(
                _MEDICARE.title,
                publisher=_MEDICARE.publisher,
                year=2024,
                locator="IOP and PHP per-diem payment: days with 3 services (APC 5851 for "
                "CMHC IOP) and days with 4 or more (APC 5852), with hospital and PHP "
                "counterparts",
                note="Services are billed units (the APC numbers per Noridian's JE Part A IOP "
                "page). Each clinical service's minutes on a program day make timed units of "
                "unit_minutes, 45 by default: group psychotherapy G0410 is 'approximately 45 to "
                "50 minutes' (Optum360; AAPC). A unit counts once more than half of it is "
                "delivered, the CPT time rule ('a unit of time is attained when the midpoint is "
                "passed', AMA CPT, as quoted by AAPC). Not confirmed: that CMS applies the "
                "midpoint rule to G0410, the unit length of other codes, and which services "
                "count (the library's services carry no codes, so each is counted as timed). "
                "A PARTIAL attendance is read as attended from the session's start.",
            ),
            check=_check_per_diem_tiers,
            judges=Weekly,
            severity=Severity.INFO,
            levels=(_IOP, _PHP),
            params={"unit_minutes": 45},
            tags=("billing",),
        ),
    ],
    description="Medicare's IOP and PHP thresholds (CY2024 OPPS final rule, unchanged in "
    "structure for CY2025). Certification and recertification (no less often than every other "
    "month) concern a client's plan of care, not a program, and are not encoded here; PHP "
    "recertification timing was not confirmed and is not encoded.",
)

# ---- HCPCS H0015 and TEDS ---------------------------------------------------------------------


def _h0015_is_for_substance_use(context: RuleContext) -> Iterator[Finding]:
    yield context.finding(
        "H0015 is alcohol and/or drug intensive outpatient; payers bill mental-health IOP as "
        "S9480.",
        expected="a substance-use or co-occurring program",
        found="a mental-health program",
        path="track",
    )


#: HCPCS H0015 (alcohol and/or drug intensive outpatient): at least 3 hours a day on at least 3
#: days a week.
HCPCS_H0015 = RuleSet(
    "HCPCS_H0015",
    "H0015",
    [
        daily_hours(
            "H0015-HOURS-PER-DAY",
            "Operates at least 3 hours a day",
            source=attrs.evolve(_H0015, note=f"{_H0015.note}{_PROGRAM_TIME}"),
            levels=_IOP,
            tracks=_SUD,
            at_least=3,
            include_breaks=True,
        ),
        days_per_week(
            "H0015-DAYS-PER-WEEK",
            "At least 3 days a week",
            source=_H0015,
            levels=_IOP,
            tracks=_SUD,
            at_least=3,
        ),
        Rule(
            "H0015-TRACK",
            "H0015 is for substance use",
            source=_H0015,
            check=_h0015_is_for_substance_use,
            judges=Weekly,
            severity=Severity.WARNING,
            levels=_IOP,
            tracks=Track.MENTAL_HEALTH,
        ),
    ],
    description="The code's definition: a program operating at least 3 hours a day and at "
    "least 3 days a week, for alcohol and/or drug treatment (mental-health IOP is S9480).",
)

#: TEDS-A service setting 6 (ambulatory, intensive outpatient): at least 2 hours a day on 3 or
#: more days a week.
TEDS = RuleSet(
    "TEDS",
    "TEDS-A",
    [
        daily_hours(
            "TEDS-IOP-HOURS-PER-DAY",
            "Treatment lasting at least 2 hours a day",
            source=attrs.evolve(_TEDS, note=f"{_TEDS.note}{_PROGRAM_TIME}"),
            levels=_IOP,
            tracks=_SUD,
            at_least=2,
            include_breaks=True,
        ),
        days_per_week(
            "TEDS-IOP-DAYS-PER-WEEK",
            "At least 3 days a week",
            source=_TEDS,
            levels=_IOP,
            tracks=_SUD,
            at_least=3,
        ),
    ],
    description="The federal treatment-episode reporting definition of intensive outpatient.",
)

# ---- North Carolina ---------------------------------------------------------------------------

_GROUP_COUNSELING = (Service.GROUP_THERAPY, Service.PROCESS_GROUP)


def _nc_8a_saiop_rules(source: Source, severity: Severity) -> list[Rule]:
    """The rules of 8A's SAIOP definition (until 2024-12-31), citing `source`, at `severity`."""
    return [
        daily_hours(
            "NC-SAIOP-HOURS-PER-DAY",
            "Offered at least 3 hours a day",
            source=attrs.evolve(source, note=f"{source.note or ''}{_PROGRAM_TIME}".strip()),
            levels=_IOP,
            tracks=_SUD,
            at_least=3,
            include_breaks=True,
            severity=severity,
        ),
        days_per_week(
            "NC-SAIOP-DAYS-PER-WEEK",
            "Offered at least 3 days a week",
            source=source,
            levels=_IOP,
            tracks=_SUD,
            at_least=3,
            severity=severity,
        ),
        days_without_service(
            "NC-SAIOP-GAP",
            "No more than 2 consecutive days without service",
            source=source,
            levels=_IOP,
            tracks=_SUD,
            at_most=2,
            severity=severity,
        ),
        service_every_day(
            "NC-SAIOP-GROUP-DAILY",
            "Group counseling each day SAIOP services are offered",
            source=source,
            levels=_IOP,
            tracks=_SUD,
            services=_GROUP_COUNSELING,
            severity=severity,
        ),
        weekly_hours(
            "NC-SAIOP-MAX-HOURS",
            "At most 19 structured hours a week",
            source=source,
            levels=_IOP,
            tracks=_SUD,
            at_most=19,
            severity=severity,
        ),
    ]


#: North Carolina's Substance Abuse Intensive Outpatient Program under policy 8A, until the end
#: of 2024: offered at least 3 hours a day on at least 3 days a week, no more than 2
#: consecutive days without service, group counseling each day, at most 19 structured hours a
#: week.
NC_SAIOP = RuleSet(
    "NC_SAIOP",
    "8A",
    _nc_8a_saiop_rules(_NC_8A, Severity.ERROR),
    description="8A's SAIOP definition until 2024-12-31: a state rule set beyond hour sums "
    "(daily minimums, a limit on the days between services, group counseling every program "
    "day, read as group therapy or a process group). The billing rule (a client attends at "
    "least 3 hours on a day for it to be billed) concerns attendance, not a program, and is "
    "not encoded.",
    effective_until=date(2024, 12, 31),
)

#: The same program in 2025, under policy 8A as revised from 1 January 2025 to remove units,
#: hours, days and visit limits: 8A's figures are noted (INFO), since whether each survived
#: could not be confirmed.
NC_SAIOP_2025 = RuleSet(
    "NC_SAIOP_2025",
    "8A (2025-01-01)",
    _nc_8a_saiop_rules(_NC_8A_2025, Severity.INFO),
    description="Policy 8A as revised effective 2025-01-01, which removed units, hours, days and "
    "visit limits from SAIOP (NC Medicaid bulletin, 2025-01-24). The revision's SAIOP text "
    "could not be read here, so no figure is confirmed in force in 2025: each of 8A's figures "
    "is kept as an INFO note, never an error. Replaced by 8A-12 on 2026-01-01.",
    effective_from=date(2025, 1, 1),
    effective_until=date(2025, 12, 31),
)

#: The same program under policy 8A-12, from 1 January 2026: adults 9-19 hours a week,
#: adolescents 6-19; 8A's schedule figures are noted (INFO), not confirmed in 8A-12.
NC_SAIOP_2026 = RuleSet(
    "NC_SAIOP_2026",
    "8A-12",
    [
        *(
            rule
            for rule in _nc_8a_saiop_rules(_NC_8A_12_CARRIED, Severity.INFO)
            if rule.id != "NC-SAIOP-MAX-HOURS"  # 8A-12 states the weekly band itself
        ),
        weekly_hours(
            "NC-SAIOP-ADULT-HOURS",
            "Adults: 9-19 hours a week",
            source=_NC_8A_12,
            levels=_IOP,
            tracks=_SUD,
            populations=_ADULT,
            at_least=9,
            at_most=19,
        ),
        weekly_hours(
            "NC-SAIOP-ADOLESCENT-HOURS",
            "Adolescents: 6-19 hours a week",
            source=_NC_8A_12,
            levels=_IOP,
            tracks=_SUD,
            populations=_ADOLESCENT,
            at_least=6,
            at_most=19,
        ),
    ],
    description="Policy 8A-12 (ASAM level 2.1), from 2026-01-01: weekly hours by population, "
    "as NC Medicaid's summary states them (the policy text could not be read here). 8A's "
    "schedule figures (3 hours a day, 3 days a week, at most 2 days without service, group "
    "counseling each day) are not confirmed in 8A-12: they are kept as INFO notes, never "
    "errors.",
    effective_from=date(2026, 1, 1),
)


def _sacot_is_for_adults(context: RuleContext) -> Iterator[Finding]:
    yield context.finding(
        "SACOT is for adults (10A NCAC 27G .4501; NC Medicaid covers it from age 18), so NC_SACOT "
        "does not judge this program. Judge adolescent day treatment with ASAM3.",
        expected="an adult program",
        found="an adolescent program",
        path="population",
    )


#: North Carolina's Substance Abuse Comprehensive Outpatient Treatment (ASAM 2.5), for adults:
#: at least 20 hours a week, 4 hours a day, 5 days a week, at most 2 days between services, and
#: group counseling every program day. An adolescent program gets a warning that it is out of
#: scope.
NC_SACOT = RuleSet(
    "NC_SACOT",
    "27G.4503",
    [
        weekly_hours(
            "NC-SACOT-HOURS",
            "At least 20 hours a week",
            source=_NC_SACOT,
            levels=_PHP,
            tracks=_SUD,
            populations=_ADULT,
            at_least=20,
        ),
        daily_hours(
            "NC-SACOT-HOURS-PER-DAY",
            "At least 4 hours a day",
            source=_NC_SACOT,
            levels=_PHP,
            tracks=_SUD,
            populations=_ADULT,
            at_least=4,
        ),
        days_per_week(
            "NC-SACOT-DAYS-PER-WEEK",
            "At least 5 days a week",
            source=_NC_SACOT,
            levels=_PHP,
            tracks=_SUD,
            populations=_ADULT,
            at_least=5,
        ),
        days_without_service(
            "NC-SACOT-GAP",
            "At most 2 days between services",
            source=_NC_SACOT,
            levels=_PHP,
            tracks=_SUD,
            populations=_ADULT,
            at_most=2,
        ),
        service_every_day(
            "NC-SACOT-GROUP-DAILY",
            "Group counseling every program day",
            source=_NC_SACOT,
            levels=_PHP,
            tracks=_SUD,
            populations=_ADULT,
            services=_GROUP_COUNSELING,
        ),
        Rule(
            "NC-SACOT-ADULTS-ONLY",
            "SACOT is for adults",
            source=_NC_SACOT_SCOPE,
            check=_sacot_is_for_adults,
            judges=Weekly,
            severity=Severity.WARNING,
            levels=_PHP,
            tracks=_SUD,
            populations=_ADOLESCENT,
        ),
    ],
    description="The licensure rules for SACOT (10A NCAC 27G .4501 and .4503, effective "
    "2006-04-01), which bind licensed programs whatever the payer. SACOT is for adults: an "
    "adolescent program gets a warning that it is out of scope, and no threshold judges it. "
    "Group counseling is read as group therapy or a process group.",
    effective_from=date(2006, 4, 1),
)

# ---- District of Columbia, Kansas, Louisiana ----------------------------------------------------

_DC_URL = "http://dcrules.elaws.us/dcmr/22-a"
_DC_NOTE = (
    "Read as the D.C. Municipal Regulations publish it on dcrules.elaws.us (last updated "
    "2017-09-13). The date this text took effect and later amendments of chapter 63 (published "
    "copies current to 2024 renumber the chapter's other sections) were not established here."
)
_DC_IOP = Source(
    "D.C. Municipal Regulations, Title 22-A, Chapter 63 (Certification Standards for Substance "
    "Use Disorder Treatment and Recovery Providers), § 6329: Level of Care 2.1, Intensive "
    "Outpatient Program",
    publisher="District of Columbia Department of Behavioral Health",
    locator="§ 6329.1",
    url=f"{_DC_URL}6329",
    note="Providers 'shall be able to provide' 9 to 19 hours of treatment services a week for "
    "adults and 6 to 19 for youth under 21: read here as the program's weekly clinical hours. "
    "The library's populations are adult and adolescent, so the youth band judges adolescent "
    "programs and the adult band adult ones: a client aged 18-20 in an adult program is judged "
    f"by the adult band. {_DC_NOTE}",
)
_DC_IOP_LENGTH = attrs.evolve(
    _DC_IOP,
    locator="§ 6329.2",
    note="'Level 2.1 IOP treatment duration varies from thirty (30) to sixty (60) days': how "
    "long a client usually stays, a utilization question, not a limit on a program, so a length "
    "outside it is a note (INFO). A program's length is counted in whole weeks: 30-60 days holds "
    f"5 to 8 weeks (4 weeks are 28 days, 9 weeks 63). {_DC_NOTE}",
)
_DC_DAY = Source(
    "D.C. Municipal Regulations, Title 22-A, Chapter 63 (Certification Standards for Substance "
    "Use Disorder Treatment and Recovery Providers), § 6330: Level of Care 2.5, Day Treatment",
    publisher="District of Columbia Department of Behavioral Health",
    locator="§ 6330.1",
    url=f"{_DC_URL}6330",
    note="Providers 'shall be able to provide' twenty or more hours of treatment services a "
    "week, for adults and youth alike: read here as the program's weekly clinical hours. "
    f"{_DC_NOTE}",
)
_DC_DAY_LENGTH = attrs.evolve(
    _DC_DAY,
    locator="§ 6330.2",
    note="'Level 2.5 Day Treatment generally lasts thirty (30) to sixty (60) days': how long a "
    "client usually stays, not a limit on a program, so a length outside it is a note (INFO). "
    "A program's length is counted in whole weeks: 30-60 days holds 5 to 8 weeks. "
    f"{_DC_NOTE}",
)

#: The District of Columbia's certification standards for substance use disorder providers
#: (22-A DCMR chapter 63): level 2.1 IOP 9-19 hours a week for adults and 6-19 for youth under
#: 21, level 2.5 day treatment 20 or more; both usually last 30-60 days (noted, not judged).
DC_SUD = RuleSet(
    "DC_SUD",
    "22-A DCMR 63",
    [
        weekly_hours(
            "DC-IOP-ADULT-HOURS",
            "Level 2.1 IOP, adults: 9-19 hours a week",
            source=_DC_IOP,
            levels=_IOP,
            tracks=_SUD,
            populations=_ADULT,
            at_least=9,
            at_most=19,
        ),
        weekly_hours(
            "DC-IOP-YOUTH-HOURS",
            "Level 2.1 IOP, youth under 21: 6-19 hours a week",
            source=_DC_IOP,
            levels=_IOP,
            tracks=_SUD,
            populations=_ADOLESCENT,
            at_least=6,
            at_most=19,
        ),
        program_weeks(
            "DC-IOP-LENGTH",
            "Level 2.1 IOP: usually 30-60 days (5-8 whole weeks)",
            source=_DC_IOP_LENGTH,
            levels=_IOP,
            tracks=_SUD,
            at_least=5,
            at_most=8,
            severity=Severity.INFO,
        ),
        weekly_hours(
            "DC-DAY-TREATMENT-HOURS",
            "Level 2.5 day treatment: 20 or more hours a week",
            source=_DC_DAY,
            levels=_PHP,
            tracks=_SUD,
            at_least=20,
        ),
        program_weeks(
            "DC-DAY-TREATMENT-LENGTH",
            "Level 2.5 day treatment: usually 30-60 days (5-8 whole weeks)",
            source=_DC_DAY_LENGTH,
            levels=_PHP,
            tracks=_SUD,
            at_least=5,
            at_most=8,
            severity=Severity.INFO,
        ),
    ],
    description="The District of Columbia's certification standards for substance use "
    "disorder treatment providers (22-A DCMR chapter 63, §§ 6329-6330): level 2.1 IOP 9-19 "
    "hours a week for adults and 6-19 for youth under 21 (judging adolescent programs; a client "
    "aged 18-20 in an adult program is judged by the adult band), level 2.5 day treatment 20 or "
    "more. The usual length of 30-60 days is a note (INFO): a longer or shorter stay is a "
    "utilization question, not an error. Undated: the date the text read here took effect was "
    "not established.",
)

_KS = Source(
    "Kansas licensing standards for alcohol and other drug treatment services, R03-704: "
    "Intensive Outpatient Treatment Modality",
    publisher="State of Kansas",
    locator="R03-704 C",
    url="http://www.aging.ks.gov/WebCourses/StandardsTrainingTool/section_7/R03704.html",
    note="Group, individual and/or family counseling, with a minimum of 9 hours of scheduled "
    "counseling services each week for a client aged 18 or older and 6 for a client under 18: "
    "read here as the program's weekly clinical hours (the standard's interpretive guideline "
    "checks the counseling hours in each client's progress notes). No ceiling is stated. Read "
    "in the state's online standards training tool (aging.ks.gov), not in a dated edition of "
    "the standards: the date the standard took effect was not established.",
)

#: Kansas's licensing standard for intensive outpatient treatment (R03-704): at least 9
#: scheduled counseling hours a week for adults, 6 for clients under 18.
KS_IOP = RuleSet(
    "KS_IOP",
    "R03-704",
    [
        weekly_hours(
            "KS-IOP-ADULT-HOURS",
            "Adults (18 and older): at least 9 counseling hours a week",
            source=_KS,
            levels=_IOP,
            tracks=_SUD,
            populations=_ADULT,
            at_least=9,
        ),
        weekly_hours(
            "KS-IOP-ADOLESCENT-HOURS",
            "Clients under 18: at least 6 counseling hours a week",
            source=_KS,
            levels=_IOP,
            tracks=_SUD,
            populations=_ADOLESCENT,
            at_least=6,
        ),
    ],
    description="Kansas's licensing standard for intensive outpatient alcohol and other drug "
    "treatment (R03-704 C): at least 9 hours of scheduled counseling a week for adults and 6 "
    "for clients under 18; no ceiling. Undated: the date the standard took effect was not "
    "established.",
)

_LA = Source(
    "Louisiana Administrative Code, Title 50, Part XV (Services for Special Populations), "
    "Subpart 5 (Early and Periodic Screening, Diagnosis and Treatment), Chapter 93 (Substance "
    "Abuse Services), § 9303: Covered Services",
    publisher="Louisiana Department of Health, Bureau of Health Services Financing",
    url="https://d1tvxue8o4w0fl.cloudfront.net/regulation/louisiana-administrative-code/"
    "title-50-public-health-medical-assistance/part-xv-services-for-special-populations/"
    "subpart-5-early-and-periodic-screenings-diagnosis-and-treatments/"
    "chapter-93-substance-abuse-services/section-xv-9303-covered-services",
    note="Read as published current through the Louisiana Register of 2024-11-20; the section's "
    "history note (when it took effect) was not read. The chapter covers Medicaid's EPSDT "
    "services, for recipients under 21: its figures judge adolescent programs here, and a client "
    "aged 18-20 in an adult program is not judged by them.",
)
_LA_OP = attrs.evolve(
    _LA,
    locator="§ 9303 B.2",
    note="'Outpatient treatment program hours range from one hour to nine hours/week. The "
    "maximum level of hours may be exceeded based on medical necessity': a week above 9 hours "
    "is a note (INFO) that the medical-necessity exception must be documented, never an error. "
    "The bottom of the range (one hour) is not judged: a week under an hour (a session every "
    "other week) is still outpatient care, as in TYPICAL_IOP, and a floor rule beside the "
    f"noted ceiling would make a week above it look like outpatient care. {_LA.note}",
)
_LA_IOP = attrs.evolve(
    _LA,
    locator="§ 9303 C.2",
    note="'Adolescents in intensive outpatient treatment programs receive a minimum of six "
    f"hours/week with no specified frequency/week.' {_LA.note}",
)
_LA_IOP_ABOVE = attrs.evolve(
    _LA,
    locator="§ 9303 C.2",
    note="'The maximum is up to 20 hours/week. The maximum level of hours may be exceeded "
    "based on medical necessity': a week above 20 hours is a note (INFO) that the "
    f"medical-necessity exception must be documented, never an error. {_LA.note}",
)

#: Louisiana Medicaid's substance abuse services for young people (EPSDT, LAC 50:XV.9303):
#: outpatient up to 9 hours a week, adolescent IOP at least 6 hours a week; the upper figures
#: (9 and 20) may be exceeded on medical necessity, so exceeding them is a note, not an error.
LA_SUD = RuleSet(
    "LA_SUD",
    "LAC 50:XV.9303",
    [
        weekly_hours(
            "LA-OP-ABOVE-MAXIMUM",
            "Outpatient, adolescents: up to 9 hours a week unless medically necessary",
            source=_LA_OP,
            levels=_OP,
            tracks=_SUD,
            populations=_ADOLESCENT,
            at_most=9,
            severity=Severity.INFO,
        ),
        weekly_hours(
            "LA-IOP-HOURS",
            "IOP, adolescents: at least 6 hours a week",
            source=_LA_IOP,
            levels=_IOP,
            tracks=_SUD,
            populations=_ADOLESCENT,
            at_least=6,
        ),
        weekly_hours(
            "LA-IOP-ABOVE-MAXIMUM",
            "IOP, adolescents: up to 20 hours a week unless medically necessary",
            source=_LA_IOP_ABOVE,
            levels=_IOP,
            tracks=_SUD,
            populations=_ADOLESCENT,
            at_most=20,
            severity=Severity.INFO,
        ),
    ],
    description="Louisiana Medicaid's EPSDT substance abuse services (LAC 50:XV.9303), for "
    "recipients under 21, judging adolescent programs: outpatient 1 to 9 hours a week and "
    "intensive outpatient at least 6 and up to 20. Both maximums 'may be exceeded based on "
    "medical necessity', so a week above them is a note (INFO), never an error. The bottom of "
    "the outpatient range (one hour) is not judged: sessions every other week are ordinary "
    "outpatient care. Undated: the section's history note was not read.",
)

#: North Carolina's SAIOP rules as dated versions: 8A until 2024-12-31 (`NC_SAIOP`), 8A as
#: revised for 2025 (`NC_SAIOP_2025`) and 8A-12 from 2026-01-01 (`NC_SAIOP_2026`). Each week of a
#: calendar or an attendance is judged by the version in force on its first day.
NC_SAIOP_SERIES = series(
    NC_SAIOP,
    NC_SAIOP_2025,
    NC_SAIOP_2026,
    name="NC_SAIOP_SERIES",
    description="North Carolina's Substance Abuse Intensive Outpatient Program rules as policy "
    "8A, its 2025 revision and 8A-12 state them, each in force for its own period.",
)

#: North Carolina's SACOT rules as a dated series. One version is known here: the licensure
#: rule 10A NCAC 27G .4503 (from 2006-04-01), which binds licensed programs whatever the payer;
#: policy 8A-13 (2026) states the same 20-hour floor. A later version is added to the series
#: when one is confirmed at its source.
NC_SACOT_SERIES = series(
    NC_SACOT,
    name="NC_SACOT_SERIES",
    description="North Carolina's Substance Abuse Comprehensive Outpatient Treatment rules, as "
    "dated versions: 10A NCAC 27G .4503 from 2006-04-01 (no later version confirmed).",
)

#: The built-in series (plain data names them, and their reports' rule sets, by name).
_SERIES = (NC_SAIOP_SERIES, NC_SACOT_SERIES)

from ._authorized_units import authorized_units  # noqa: E402
from ._billing import BILLING_CODES, BillingCode, BillingSystem, billing_codes  # noqa: E402
from ._episode_rules import EPISODE_RULES  # noqa: E402 (the program rule sets come first)
from ._plan_rules import PLAN_RULES  # noqa: E402
from ._toml import dumps, loads  # noqa: E402 (rule sets as TOML text)

#: Every built-in rule set, by name.
ALL = {
    rs.name: rs
    for rs in (
        TYPICAL_IOP,
        ASAM3,
        ASAM4,
        MEDICARE_2024,
        HCPCS_H0015,
        TEDS,
        NC_SAIOP,
        NC_SAIOP_2025,
        NC_SAIOP_2026,
        NC_SACOT,
        DC_SUD,
        KS_IOP,
        LA_SUD,
        PLAN_RULES,
        EPISODE_RULES,
    )
}
