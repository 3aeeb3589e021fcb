"""The generic continuum that program descriptions present: hospital and detox down to recovery
support."""

from __future__ import annotations

from ._build import COMMUNITY, INP, MMAN, MMON, OUT, RES, build

__all__ = ["GENERIC"]

#: The common continuum of care, least intensive first: recovery support, standard outpatient
#: (1-3 hours a week), intensive outpatient, partial hospitalization, residential,
#: detoxification / withdrawal management (medically monitored) and inpatient hospital
#: treatment (medically managed). PHP, IOP and standard outpatient are all outpatient care (no
#: overnight stay). The hospital level keeps crosswalks from sending the most intensive care of
#: one scheme (ASAM 4, LOCUS 6) to residential care in another; it ranks above detox so that
#: the usual step down from detox, to residential treatment, stays one step.
GENERIC = build(
    "GENERIC",
    "Generic continuum of care",
    "The common five-step continuum as behavioral-health program descriptions present it "
    "(Trinity Behavioral Health, Invigorate, AACS Counseling, Windmill Wellness Ranch), with "
    "recovery support beyond it and hospital (medically managed inpatient) treatment above it; "
    "see the carecontinuum domain notes.",
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
        (
            "INPATIENT",
            "Inpatient (hospital) treatment",
            INP,
            {"management": MMAN, "aliases": ("HOSPITAL",)},
        ),
    ],
)
