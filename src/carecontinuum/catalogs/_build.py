"""Shared helper the catalog modules use to declare their levels compactly."""

from __future__ import annotations

from .._levels import Continuum, LevelOfCare, Management, Setting, Supervision, _register_catalog

#: (setting, overnight, supervision) of the four kinds of level the catalogs declare.
OUT = (Setting.OUTPATIENT, False, Supervision.SCHEDULED)
RES = (Setting.RESIDENTIAL, True, Supervision.TWENTY_FOUR_HOUR)
INP = (Setting.INPATIENT, True, Supervision.TWENTY_FOUR_HOUR)
COMMUNITY = (Setting.COMMUNITY, False, Supervision.NONE)
CM = Management.CLINICALLY_MANAGED
MMON = Management.MEDICALLY_MONITORED
MMAN = Management.MEDICALLY_MANAGED


def build(
    scheme: str,
    name: str,
    source: str,
    rows: list[tuple[str, str, tuple[Setting, bool, Supervision], dict[str, object]]],
) -> Continuum:
    """Build a continuum from rows listed least intensive first; each row's rank is its index.
    The continuum's levels become the ones a level claiming its scheme and a code must equal."""
    levels = [
        LevelOfCare(
            code,
            level_name,
            scheme,
            kind[0],
            overnight=kind[1],
            supervision=kind[2],
            rank=rank,
            **extra,  # type: ignore[arg-type]
        )
        for rank, (code, level_name, kind, extra) in enumerate(rows)
    ]
    continuum = Continuum(scheme, name, levels, source)
    _register_catalog(continuum)
    return continuum
