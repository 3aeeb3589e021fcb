"""ASAM Criteria, 3rd edition (2013): the main levels, the withdrawal-management chain and OTP.

Codes and names only; the criteria text is licensed by ASAM and is not reproduced.
"""

from __future__ import annotations

from ._build import CM, INP, MMAN, MMON, OUT, RES, build

__all__ = ["ASAM3", "OPIOID_TREATMENT", "WITHDRAWAL_MANAGEMENT"]

#: Pathway name of the 3rd edition's parallel withdrawal-management chain.
WITHDRAWAL_MANAGEMENT = "withdrawal management"
#: Pathway name of opioid treatment, which runs alongside another level.
OPIOID_TREATMENT = "opioid treatment"

_WM = {"pathway": WITHDRAWAL_MANAGEMENT}

#: The ASAM Criteria, 3rd edition. ``levels`` orders all three pathways by ASAM's level number
#: (the number is the scale of intensity); at equal numbers the main level comes first, then
#: withdrawal management, then opioid treatment. ``step_up``/``step_down`` stay on a pathway.
#: Older (2001, PPC-2R) codes such as ``"II.1"`` and ``"III.7-D"`` are accepted as aliases.
ASAM3 = build(
    "ASAM3",
    "ASAM Criteria, 3rd edition",
    "Mee-Lee D, Shulman GD, Fishman MJ, Gastfriend DR, Miller MM, eds. The ASAM Criteria: "
    "Treatment Criteria for Addictive, Substance-Related, and Co-Occurring Conditions. 3rd ed. "
    "Chevy Chase, MD: American Society of Addiction Medicine; 2013. Level codes and names only.",
    [
        ("0.5", "Early Intervention", OUT, {}),
        ("1", "Outpatient Services", OUT, {"aliases": ("I",)}),
        (
            "1-WM",
            "Ambulatory Withdrawal Management without Extended On-Site Monitoring",
            OUT,
            {**_WM, "aliases": ("I-D",)},
        ),
        (
            "OTP",
            "Opioid Treatment Program",
            OUT,
            {"pathway": OPIOID_TREATMENT, "concurrent": True, "aliases": ("1-OTP",)},
        ),
        (
            "2-WM",
            "Ambulatory Withdrawal Management with Extended On-Site Monitoring",
            OUT,
            {**_WM, "aliases": ("II-D",)},
        ),
        ("2.1", "Intensive Outpatient Services", OUT, {"aliases": ("II.1",)}),
        ("2.5", "Partial Hospitalization Services", OUT, {"aliases": ("II.5",)}),
        (
            "3.1",
            "Clinically Managed Low-Intensity Residential Services",
            RES,
            {"management": CM, "aliases": ("III.1",)},
        ),
        (
            "3.2-WM",
            "Clinically Managed Residential Withdrawal Management",
            RES,
            {**_WM, "management": CM, "aliases": ("III.2-D",)},
        ),
        (
            "3.3",
            "Clinically Managed Population-Specific High-Intensity Residential Services",
            RES,
            {"management": CM, "aliases": ("III.3",)},
        ),
        (
            "3.5",
            "Clinically Managed High-Intensity Residential Services",
            RES,
            {
                "management": CM,
                "aliases": ("III.5",),
                "adolescent_name": "Clinically Managed Medium-Intensity Residential Services",
            },
        ),
        (
            "3.7",
            "Medically Monitored Intensive Inpatient Services",
            INP,
            {
                "management": MMON,
                "aliases": ("III.7",),
                "adolescent_name": "Medically Monitored High-Intensity Inpatient Services",
            },
        ),
        (
            "3.7-WM",
            "Medically Monitored Inpatient Withdrawal Management",
            INP,
            {**_WM, "management": MMON, "aliases": ("III.7-D",)},
        ),
        (
            "4",
            "Medically Managed Intensive Inpatient Services",
            INP,
            {"management": MMAN, "aliases": ("IV", "4.0")},
        ),
        (
            "4-WM",
            "Medically Managed Intensive Inpatient Withdrawal Management",
            INP,
            {**_WM, "management": MMAN, "aliases": ("IV-D",)},
        ),
    ],
)
