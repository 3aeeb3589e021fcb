"""LOCUS (Level of Care Utilization System, adult mental health): levels 0 to 6.

Level codes and names only; the LOCUS instrument is copyrighted (AACP; electronic rights owned
by Deerfield Behavioral Health) and its placement grid is not reproduced.
"""

from __future__ import annotations

from ._build import COMMUNITY, INP, MMAN, MMON, OUT, RES, build

__all__ = ["LOCUS"]

#: LOCUS Adult Version 20, least intensive first. Level 6, "medically managed residential",
#: is usually given in an inpatient unit and corresponds to ASAM level 4 (medically managed
#: intensive inpatient), so it is modelled in the inpatient setting. Level 5, "medically
#: monitored residential", is crisis or other high-intensity residential care, not a hospital.
LOCUS = build(
    "LOCUS",
    "LOCUS Adult Version 20",
    "American Association for Community Psychiatry. LOCUS: Level of Care Utilization System "
    "for Psychiatric and Addiction Services, Adult Version 20. AACP; 2016. Level codes and "
    "names only.",
    [
        ("0", "Basic Services", COMMUNITY, {}),
        ("1", "Recovery Maintenance and Health Management", OUT, {}),
        ("2", "Low Intensity Community Based Services", OUT, {}),
        ("3", "High Intensity Community Based Services", OUT, {}),
        ("4", "Medically Monitored Non-Residential Services", OUT, {"management": MMON}),
        ("5", "Medically Monitored Residential Services", RES, {"management": MMON}),
        ("6", "Medically Managed Residential Services", INP, {"management": MMAN}),
    ],
)
