"""carecontinuum: the behavioral-health continuum of care as pure, typed Python values.

Layout: the public names below are re-exported from private modules (`_levels`: levels and
continua; `_program`: program structures; `_crosswalk`: mapping between schemes; `_errors`:
exceptions; `_span`: min-max ranges). Public submodules: `catalogs` (the published schemes'
levels).

>>> import carecontinuum as cc
>>> iop = cc.catalogs.GENERIC["IOP"]
>>> program = cc.ProgramStructure.weekly(iop, days=["mon", "wed", "fri"], hours_per_session=3,
...                                      weeks=8)
>>> program.total_sessions, program.weekly_hours.total_hours()
(24, 9.0)
"""

from . import catalogs
from ._crosswalk import Crosswalk, crosswalk
from ._errors import (
    CareContinuumError,
    InvalidTypeError,
    InvalidValueError,
    ScheduleConflictError,
    SchemeMismatchError,
    UnknownLevelError,
)
from ._levels import Continuum, LevelOfCare, Management, Setting, Supervision
from ._program import (
    DeliveryMode,
    Modality,
    Population,
    ProgramStructure,
    Segment,
    Service,
    Session,
    Track,
)
from ._span import Span

__all__ = [
    "CareContinuumError",
    "Continuum",
    "Crosswalk",
    "DeliveryMode",
    "InvalidTypeError",
    "InvalidValueError",
    "LevelOfCare",
    "Management",
    "Modality",
    "Population",
    "ProgramStructure",
    "ScheduleConflictError",
    "SchemeMismatchError",
    "Segment",
    "Service",
    "Session",
    "Setting",
    "Span",
    "Supervision",
    "Track",
    "UnknownLevelError",
    "catalogs",
    "crosswalk",
]

__version__ = "0.1.0"
