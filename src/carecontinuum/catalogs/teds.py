"""SAMHSA's Treatment Episode Data Set (TEDS): the eight service settings a state reports for
each admission and discharge (variables SERVICES and SERVICES_D), codes ``"1"`` to ``"8"``.

TEDS covers substance use treatment only. Medication-assisted opioid therapy is recorded as a
separate item of the record, not as a service setting, so opioid treatment has no code here.
"""

from __future__ import annotations

from ._build import INP, MMAN, OUT, RES, build

__all__ = ["DETOXIFICATION", "TEDS"]

#: Pathway name of TEDS's three detoxification settings (8, 2 and 1).
DETOXIFICATION = "detoxification"

_DETOX: dict[str, object] = {"pathway": DETOXIFICATION}

#: The TEDS service settings, least intensive first: non-intensive outpatient (7), intensive
#: outpatient (6), ambulatory detoxification (8), long-term (5) and short-term (4)
#: rehabilitation/residential, free-standing residential detoxification (2), hospital
#: rehabilitation (3) and hospital inpatient detoxification (1). The codes are SAMHSA's; the
#: order of intensity is carecontinuum's (TEDS does not rank its settings): short-term
#: residential ranks above long-term, which SAMHSA's definition says may include transitional
#: living such as halfway houses; hospital care ranks above care outside a hospital. The three
#: detoxification settings form a pathway of their own, as ASAM's withdrawal management does,
#: so `Continuum.step_down` from short-term residential (4) is long-term residential (5).
#: SAMHSA states no management for the non-hospital settings, so those carry none.
TEDS = build(
    "TEDS",
    "TEDS service setting",
    "Substance Abuse and Mental Health Services Administration (SAMHSA), Center for "
    "Behavioral Health Statistics and Quality. Treatment Episode Data Set (TEDS) codebooks, "
    "TEDS-A (variable SERVICES, type of treatment service/setting at admission) and TEDS-D "
    "(SERVICES_D, at discharge), https://www.samhsa.gov/data/data-we-collect/teds-treatment-"
    "episode-data-set. Definitions of the settings as in SAMHSA, Treatment Episode Data Set "
    "(TEDS) 2012, chapter 4, 'Type of Service', https://www.samhsa.gov/data/sites/default/"
    "files/TEDS2012N_Web/TEDS2012NChp4.htm (intensive outpatient: 'as a minimum, the client "
    "must receive treatment lasting two or more hours per day for three or more days per "
    "week'). Not confirmed here against a codebook's own page: the exact wording of each "
    "label (taken from the codebook as the project's domain notes quote it) and the codebook "
    "year; the codes and definitions have been stable across the TEDS-A and TEDS-D releases.",
    [
        ("7", "Ambulatory, non-intensive outpatient", OUT, {}),
        ("6", "Ambulatory, intensive outpatient", OUT, {}),
        ("8", "Ambulatory, detoxification", OUT, _DETOX),
        ("5", "Rehab/residential, long term (more than 30 days)", RES, {}),
        ("4", "Rehab/residential, short term (30 days or fewer)", RES, {}),
        ("2", "Detox, 24-hour, free-standing residential", RES, _DETOX),
        ("3", "Rehab/residential, hospital (non-detox)", INP, {"management": MMAN}),
        ("1", "Detox, 24-hour, hospital inpatient", INP, {**_DETOX, "management": MMAN}),
    ],
)
