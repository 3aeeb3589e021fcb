"""The generic continuum that program descriptions present: detox down to recovery support."""

from __future__ import annotations

from ._build import COMMUNITY, INP, MMON, OUT, RES, build

__all__ = ["GENERIC"]

#: The common continuum of care, least intensive first: recovery support, standard outpatient
#: (1-3 hours a week), intensive outpatient, partial hospitalization, residential and
#: detoxification / withdrawal management. PHP, IOP and standard outpatient are all outpatient
#: care (no overnight stay).
GENERIC = build(
    "GENERIC",
    "Generic continuum of care",
    "The common five-step continuum as behavioral-health program descriptions present it "
    "(Trinity Behavioral Health, Invigorate, AACS Counseling, Windmill Wellness Ranch), with "
    "recovery support beyond it; see the carecontinuum domain notes.",
    [
        ("RECOVERY", "Recovery support", COMMUNITY, {}),
        ("OP", "Standard outpatient", OUT, {"aliases": ("OUTPATIENT",)}),
        ("IOP", "Intensive outpatient", OUT, {}),
        ("PHP", "Partial hospitalization", OUT, {}),
        ("RESIDENTIAL", "Residential treatment", RES, {}),
        (
            "DETOX",
            "Detoxification / withdrawal management",
            INP,
            {"management": MMON, "aliases": ("WM",)},
        ),
    ],
)
