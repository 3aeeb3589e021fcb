"""ASAM Criteria, 4th edition (2023, adults volume): one chain of ten levels.

Withdrawal management is integrated into the levels rather than a separate chain; 0.5 and 3.3
are gone; 2.5 is "high-intensity outpatient" (formerly partial hospitalization). Codes and names
only; the criteria text is licensed by ASAM and is not reproduced.
"""

from __future__ import annotations

from ._build import CM, INP, MMAN, OUT, RES, build

__all__ = ["ASAM4"]

#: The ASAM Criteria, 4th edition (adults), least intensive first.
ASAM4 = build(
    "ASAM4",
    "ASAM Criteria, 4th edition",
    "The ASAM Criteria: Treatment Criteria for Addictive, Substance-Related, and Co-Occurring "
    "Conditions. 4th ed., Volume 1: Adults. American Society of Addiction Medicine; 2023. "
    "Level codes and names only.",
    [
        ("1.0", "Long-Term Remission Monitoring", OUT, {}),
        ("1.5", "Outpatient Therapy", OUT, {}),
        ("1.7", "Medically Managed Outpatient", OUT, {"management": MMAN}),
        ("2.1", "Intensive Outpatient", OUT, {}),
        ("2.5", "High-Intensity Outpatient", OUT, {"aliases": ("HIOP",)}),
        ("2.7", "Medically Managed Intensive Outpatient", OUT, {"management": MMAN}),
        ("3.1", "Clinically Managed Low-Intensity Residential", RES, {"management": CM}),
        ("3.5", "Clinically Managed High-Intensity Residential", RES, {"management": CM}),
        ("3.7", "Medically Managed Residential", RES, {"management": MMAN}),
        ("4", "Medically Managed Inpatient", INP, {"management": MMAN, "aliases": ("4.0",)}),
    ],
)
