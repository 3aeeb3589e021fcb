"""Billing codes as citable data: the HCPCS codes, Medicare claim codes and payment classes that
bill each level of care and program type, each with its source, and the lookup by level.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from .._frozen import value_eq, value_hash
from .._levels import LevelOfCare
from .._program import Track
from .._rules import Source
from .._text import value_repr
from .._validators import check_enum, check_instance, check_str, enum_tuple, tuple_of
from ..catalogs import ASAM3, ASAM4, GENERIC
from . import _H0015

__all__ = ["BILLING_CODES", "BillingCode", "BillingSystem", "billing_codes"]


class BillingSystem(enum.Enum):
    """The code system a `BillingCode` belongs to.

    >>> BillingSystem.CONDITION_CODE.value
    'condition code'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    #: HCPCS Level II: the services and per-diem programs billed on a claim line.
    HCPCS = "HCPCS"
    #: Medicare's OPPS Ambulatory Payment Classification a per-diem day is paid under.
    APC = "APC"
    #: A National Uniform Billing Committee (NUBC) condition code of an institutional claim.
    CONDITION_CODE = "condition code"
    #: A NUBC type of bill (the facility); "X" stands for the frequency digit.
    TYPE_OF_BILL = "type of bill"


@attrs.frozen(init=False)
class BillingCode:
    """One billing code, what it names, where that is written, and the levels it bills.

    Args:
        system: The code system (a `BillingSystem`, or its value: "HCPCS", "APC", ...).
        code: The code as claims carry it ("H0015", "92", "13X").
        display: What the code names, in its source's words (shortened).
        source: Where the code and its meaning are published.
        levels: The levels of care the code bills (empty: the code names no one level).
        tracks: The programs' tracks it is for (empty: any track).

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message.

    >>> from carecontinuum import Source
    >>> from carecontinuum.catalogs import GENERIC
    >>> code = BillingCode("HCPCS", "H0015", "Alcohol and/or drug services; intensive "
    ...                    "outpatient", source=Source("HCPCS"), levels=[GENERIC["IOP"]])
    >>> code.system, code.levels[0].code
    (<BillingSystem.HCPCS: 'HCPCS'>, 'IOP')
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    system: BillingSystem
    code: str
    display: str
    source: Source
    levels: tuple[LevelOfCare, ...]
    tracks: tuple[Track, ...]

    def __init__(
        self,
        system: BillingSystem | str,
        code: str,
        display: str,
        *,
        source: Source,
        levels: Iterable[LevelOfCare] = (),
        tracks: Iterable[Track | str] = (),
    ) -> None:
        self.__attrs_init__(
            check_enum("system", system, BillingSystem),
            check_str("code", code),
            check_str("display", display),
            check_instance("source", source, Source, "a Source"),
            tuple_of("levels", levels, LevelOfCare, "a LevelOfCare"),
            enum_tuple("tracks", tracks, Track),
        )

    def bills(self, level: LevelOfCare, track: Track | str | None = None) -> bool:
        """Whether the code bills `level` for a program of `track` (a `Track` or its value;
        None: whatever the track).

        >>> from carecontinuum.rulesets import BILLING_CODES
        >>> from carecontinuum.catalogs import GENERIC
        >>> h0015, iop = BILLING_CODES[0], GENERIC["IOP"]
        >>> h0015.bills(iop, "substance use"), h0015.bills(iop, "mental health")
        (True, False)
        """
        check_instance("level", level, LevelOfCare, "a LevelOfCare")
        wanted = None if track is None else check_enum("track", track, Track)
        if level not in self.levels:
            return False
        return wanted is None or not self.tracks or wanted in self.tracks


# ---- sources ----------------------------------------------------------------------------------

_SUD = (Track.SUBSTANCE_USE, Track.CO_OCCURRING)
_IOP = (GENERIC["IOP"], ASAM3["2.1"], ASAM4["2.1"])
_PHP = (GENERIC["PHP"], ASAM3["2.5"], ASAM4["2.5"])

_NOT_MEDICARE = (
    " An S code (a temporary national code) is for private payers and Medicaid; Medicare does "
    "not pay it (coverage indicator I, as HCPCS references such as pabau.com list it)."
)


def _hcpcs(code: str, descriptor: str, note: str | None = None) -> Source:
    return Source(
        f"HCPCS Level II code {code}: {descriptor}",
        publisher="Centers for Medicare & Medicaid Services",
        note=note,
    )


_G0410 = _hcpcs(
    "G0410",
    "group psychotherapy other than of a multiple-family group, in a partial hospitalization "
    "or intensive outpatient setting, approximately 45 to 50 minutes",
    note="A timed unit of about 45 to 50 minutes (Optum360; AAPC), which Medicare's IOP and "
    "PHP per-diem tiers count (see `per_diem_days`).",
)
_G0411 = Source(
    "Optum360 Coding Central: group psychotherapy in partial hospitalization, G0410 and G0411",
    publisher="Optum360",
    year=2009,
    url="https://www.optum360coding.com/CodingCentralArticles/?id=748",
    note="G0411, 'Interactive group psychotherapy, in a partial hospitalization setting, "
    "approximately 45 to 50 minutes', effective 2009-01-01 beside G0410, replacing CPT 90857 "
    "on PHP claims; since the 2024 IOP benefit it is billed in IOP too (AAPC's and payers' code "
    "references read 'php/iop'). The library's services do not tell an interactive group "
    "apart, so FHIR codes group therapy as G0410 only.",
)
_CONDITION_92 = Source(
    "MLN Matters MM13222: New Condition Code 92: Billing Requirements for Intensive Outpatient "
    "Program Services",
    publisher="Centers for Medicare & Medicaid Services",
    year=2024,
    url="https://med.noridianmedicare.com/web/jea/article-detail/-/view/10521/"
    "new-condition-code-92-billing-requirements-for-iop-services",
    note="CR 13222, effective 2024-01-01: hospitals, critical access hospitals and CMHCs put "
    "condition code 92 on every claim for IOP services; an IOP claim that overlaps a PHP claim "
    "(condition code 41) is returned. Read in Noridian's summary of the MLN article.",
)
_CONDITION_41 = Source(
    "Medicare partial hospitalization billing: condition code 41",
    publisher="Centers for Medicare & Medicaid Services",
    note="Hospitals and CAHs report condition code 41 to mark a claim for partial "
    "hospitalization services (Medicare contractors' PHP billing articles; Noridian lists 41 as "
    "'partial outpatient hospitalization services'). Read as PHP billing guides quote it, not "
    "in NUBC's manual.",
)
_APC = Source(
    "Intensive Outpatient Program (IOP), JE Part A",
    publisher="Noridian Healthcare Solutions (Medicare Administrative Contractor)",
    url="https://med.noridianmedicare.com/web/jea/provider-types/mental-health/"
    "intensive-outpatient-program",
    note="'paying CMHC per diem rate for APC 5851, for providing up to three IOP services per "
    "day and APC 5852, for providing four or more IOP services per day': 5851 and 5852 are the "
    "community mental health center (CMHC) IOP classes. The hospital-based IOP classes and the "
    "PHP classes were not confirmed at a source here and are not listed.",
)
_BILL_TYPES = Source(
    "Intensive Outpatient Program: provider types eligible to provide IOP",
    publisher="National Government Services (Medicare Administrative Contractor)",
    url="https://www.ngsmedicare.com/web/ngs/intensive-outpatient-program",
    note="Types of bill: hospital outpatient 13X (and 12X), CMHC 76X, critical access hospital "
    "85X, rural health clinic 71X, federally qualified health center 77X, freestanding opioid "
    "treatment program 087X (a hospital-based OTP bills 13X or 85X). CGS's IOP billing page "
    "gives the same 13X, 76X and 85X. PHP is billed by hospitals (13X, 85X) and CMHCs (76X); "
    "IOP also by RHCs, FQHCs and OTPs (CY 2024 OPPS final rule).",
)


#: Every billing code the library knows, each with its source: HCPCS programs and units,
#: Medicare's IOP and PHP condition codes, the CMHC IOP payment classes and the types of bill of
#: the settings that bill IOP and PHP.
BILLING_CODES: tuple[BillingCode, ...] = (
    BillingCode(
        "HCPCS",
        "H0015",
        "Alcohol and/or drug services; intensive outpatient",
        source=_H0015,
        levels=_IOP,
        tracks=_SUD,
    ),
    BillingCode(
        "HCPCS",
        "S9480",
        "Intensive outpatient psychiatric services, per diem",
        source=_hcpcs(
            "S9480",
            "intensive outpatient psychiatric services, per diem",
            note="Payers bill mental-health IOP as S9480 and substance-use IOP as H0015."
            + _NOT_MEDICARE,
        ),
        levels=[GENERIC["IOP"]],
        tracks=[Track.MENTAL_HEALTH],
    ),
    BillingCode(
        "HCPCS",
        "H0035",
        "Mental health partial hospitalization, treatment, less than 24 hours",
        source=_hcpcs(
            "H0035", "mental health partial hospitalization, treatment, less than 24 hours"
        ),
        levels=[GENERIC["PHP"]],
        tracks=[Track.MENTAL_HEALTH],
    ),
    BillingCode(
        "HCPCS",
        "S0201",
        "Partial hospitalization services, less than 24 hours, per diem",
        source=_hcpcs(
            "S0201",
            "partial hospitalization services, less than 24 hours, per diem",
            note="Added 2002-10-01." + _NOT_MEDICARE,
        ),
        levels=_PHP,
    ),
    BillingCode(
        "HCPCS",
        "H2036",
        "Alcohol and/or other drug treatment program, per diem",
        source=_hcpcs(
            "H2036",
            "alcohol and/or other drug treatment program, per diem",
            note="A per-diem program code not tied to one level: payers use it for the levels "
            "their contracts name (residential programs often), so it bills no level here.",
        ),
        tracks=_SUD,
    ),
    BillingCode(
        "HCPCS",
        "G0410",
        "Group psychotherapy other than of a multiple-family group, in a partial "
        "hospitalization or intensive outpatient setting, approximately 45 to 50 minutes",
        source=_G0410,
        levels=_IOP + _PHP,
    ),
    BillingCode(
        "HCPCS",
        "G0411",
        "Interactive group psychotherapy, in a partial hospitalization or intensive outpatient "
        "setting, approximately 45 to 50 minutes",
        source=_G0411,
        levels=_IOP + _PHP,
    ),
    BillingCode(
        "condition code",
        "92",
        "Intensive outpatient program services",
        source=_CONDITION_92,
        levels=_IOP,
    ),
    BillingCode(
        "condition code",
        "41",
        "Partial hospitalization services",
        source=_CONDITION_41,
        levels=_PHP,
    ),
    BillingCode(
        "APC",
        "5851",
        "Intensive outpatient, 3 services a day, community mental health center",
        source=_APC,
        levels=_IOP,
    ),
    BillingCode(
        "APC",
        "5852",
        "Intensive outpatient, 4 or more services a day, community mental health center",
        source=_APC,
        levels=_IOP,
    ),
    *(
        BillingCode(
            "type of bill",
            code,
            display,
            source=_BILL_TYPES,
            levels=_IOP + _PHP if partial_hospitalization else _IOP,
        )
        for code, display, partial_hospitalization in (
            ("13X", "Hospital outpatient", True),
            ("76X", "Community mental health center", True),
            ("85X", "Critical access hospital", True),
            ("71X", "Rural health clinic", False),
            ("77X", "Federally qualified health center", False),
            ("087X", "Opioid treatment program (freestanding)", False),
        )
    ),
)


def billing_codes(
    level: LevelOfCare,
    *,
    track: Track | str | None = None,
    system: BillingSystem | str | None = None,
) -> tuple[BillingCode, ...]:
    """The codes that bill `level`, for a program of `track` (None: every code of the level,
    whatever track it is for), of one `system` if given, in `BILLING_CODES` order.

    A level is matched as the codes name it: the generic continuum's IOP and PHP and ASAM's
    2.1 and 2.5 (3rd and 4th editions). A code that names no level (H2036, a per-diem program
    code payers use for the levels their contracts name) bills none here.

    Args:
        level: The level of care.
        track: The program's track, or its value ("substance use").
        system: Only codes of this system (a `BillingSystem` or its value).

    Returns:
        The matching codes; empty when none bills the level.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed argument, named in the message.

    >>> from carecontinuum.catalogs import GENERIC
    >>> [c.code for c in billing_codes(GENERIC["IOP"], track="mental health", system="HCPCS")]
    ['S9480', 'G0410', 'G0411']
    >>> [c.code for c in billing_codes(GENERIC["PHP"], system="condition code")]
    ['41']
    """
    check_instance("level", level, LevelOfCare, "a LevelOfCare")
    wanted = None if track is None else check_enum("track", track, Track)
    only = None if system is None else check_enum("system", system, BillingSystem)
    return tuple(
        code
        for code in BILLING_CODES
        if (only is None or code.system is only) and code.bills(level, wanted)
    )
