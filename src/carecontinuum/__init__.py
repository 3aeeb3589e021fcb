"""carecontinuum: the behavioral-health continuum of care as pure, typed Python values.

Layout: the public names below are re-exported from private modules (`_levels`: levels and
continua; `_program`: program structures; `_crosswalk`: mapping between schemes; `_errors`:
exceptions). Public submodules: `catalogs` (the published schemes' levels).
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
