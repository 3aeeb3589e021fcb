"""Crosswalks between schemes: which level(s) of one scheme correspond to a level of another.

The tables here are the only place correspondences are written. Each scheme maps to the generic
continuum (the pivot); ASAM's 3rd and 4th editions also map to each other directly. Reverse
directions are derived by inverting a table, so a correspondence is written once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import attrs

from ._errors import InvalidTypeError, InvalidValueError
from ._levels import Continuum, LevelOfCare
from ._validators import check_bool, check_str, tuple_of

__all__ = ["Crosswalk", "crosswalk"]

# code -> (target codes, approximate, note)
_Entry = tuple[tuple[str, ...], bool, str]
_Table = dict[str, _Entry]

_LIBRARY = "carecontinuum's own approximation, not a published crosswalk"
_AMBULATORY_WM = "ambulatory withdrawal management; the generic DETOX level is 24-hour care"
_PIVOT = "mapped through the generic continuum; no published crosswalk links these schemes"
_INPATIENT = "hospital-level care; the generic continuum has no inpatient treatment level apart"

#: Each scheme's levels in generic terms.
_TO_GENERIC: dict[str, _Table] = {
    "ASAM3": {
        "0.5": ((), False, "early intervention has no level on the generic continuum"),
        "1": (("OP",), False, ""),
        "1-WM": (("DETOX",), True, _AMBULATORY_WM),
        "OTP": ((), False, "opioid treatment runs alongside another level, not in its place"),
        "2-WM": (("DETOX",), True, _AMBULATORY_WM),
        "2.1": (("IOP",), False, ""),
        "2.5": (("PHP",), False, ""),
        "3.1": (("RESIDENTIAL",), False, ""),
        "3.2-WM": (("DETOX",), False, ""),
        "3.3": (("RESIDENTIAL",), False, ""),
        "3.5": (("RESIDENTIAL",), False, ""),
        "3.7": (("RESIDENTIAL",), True, _INPATIENT),
        "3.7-WM": (("DETOX",), False, ""),
        "4": (("RESIDENTIAL",), True, _INPATIENT),
        "4-WM": (("DETOX",), False, ""),
    },
    "ASAM4": {
        "1.0": (("RECOVERY",), True, "remission monitoring is closest to recovery support"),
        "1.5": (("OP",), False, ""),
        "1.7": (("OP",), True, "medically managed outpatient, including ambulatory withdrawal"),
        "2.1": (("IOP",), False, ""),
        "2.5": (("PHP",), False, "high-intensity outpatient is partial hospitalization renamed"),
        "2.7": (("IOP",), True, "medically managed intensive outpatient"),
        "3.1": (("RESIDENTIAL",), False, ""),
        "3.5": (("RESIDENTIAL",), False, ""),
        "3.7": (
            ("RESIDENTIAL", "DETOX"),
            True,
            "withdrawal management is integrated into the 4th edition's levels",
        ),
        "4": (
            ("RESIDENTIAL", "DETOX"),
            True,
            "withdrawal management is integrated into the 4th edition's levels",
        ),
    },
    "LOCUS": {
        "0": (("RECOVERY",), True, "basic services available to everyone in a service area"),
        "1": (("OP",), True, "recovery maintenance: low-frequency outpatient contact"),
        "2": (("OP",), False, ""),
        "3": (("IOP",), True, "LOCUS 3 is roughly IOP (a provider's crosswalk)"),
        "4": (("PHP",), True, "LOCUS 4 is roughly PHP (a provider's crosswalk)"),
        "5": (("RESIDENTIAL",), False, ""),
        "6": (("RESIDENTIAL",), True, _INPATIENT),
    },
}

#: Direct tables between two schemes, preferred over going through the generic continuum; the
#: reverse direction is the inverted table.
_DIRECT: dict[tuple[str, str], _Table] = {
    ("ASAM3", "ASAM4"): {
        "0.5": ((), False, "0.5 has no 4th-edition level"),
        "1": (("1.0", "1.5", "1.7"), True, "the 4th edition splits level 1 into 1.0, 1.5 and 1.7"),
        "1-WM": (("1.7",), True, _LIBRARY),
        "OTP": ((), False, "opioid treatment runs alongside a level; no 4th-edition level is it"),
        "2-WM": (("2.7",), True, _LIBRARY),
        "2.1": (("2.1",), False, ""),
        "2.5": (("2.5",), False, "partial hospitalization became high-intensity outpatient"),
        "3.1": (("3.1",), False, ""),
        "3.2-WM": (("3.1", "3.5"), True, _LIBRARY),
        "3.3": (("3.5",), True, "3.3 has no 4th-edition level; " + _LIBRARY),
        "3.5": (("3.5",), False, ""),
        "3.7": (("3.7",), False, ""),
        "3.7-WM": (("3.7",), True, _LIBRARY),
        "4": (("4",), False, ""),
        "4-WM": (("4",), True, _LIBRARY),
    },
}


def _invert(table: _Table) -> _Table:
    """Reverse a table. Where a target has exact sources, only those are kept; otherwise its
    approximate sources are, flagged so (IOP maps to 4th-edition 2.1, not also to 2.7)."""
    exact: dict[str, tuple[list[str], list[str]]] = {}
    rough: dict[str, tuple[list[str], list[str]]] = {}
    for code, (targets, approximate, note) in table.items():
        for target in targets:
            codes, notes = (rough if approximate else exact).setdefault(target, ([], []))
            codes.append(code)
            notes.extend(n for n in note.split("; ") if n and n not in notes)
    inverted = {k: (tuple(c), True, "; ".join(n)) for k, (c, n) in rough.items()}
    inverted.update({k: (tuple(c), False, "; ".join(n)) for k, (c, n) in exact.items()})
    return inverted


def _compose(first: _Table, second: _Table) -> _Table:
    """Map through the generic continuum: always approximate, as no published table links the
    two schemes (ASAM and LOCUS even assess different conditions)."""
    composed: _Table = {}
    for code, (middle, _, note) in first.items():
        codes: list[str] = []
        notes = [_PIVOT, *(part for part in note.split("; ") if part)]
        for m in middle:
            targets, _, n = second.get(m, ((), False, ""))
            codes.extend(t for t in targets if t not in codes)
            notes.extend(part for part in n.split("; ") if part and part not in notes)
        if codes:
            composed[code] = (tuple(codes), True, "; ".join(notes))
        else:
            why = note or f"its generic counterpart ({', '.join(middle)}) has no level here"
            composed[code] = ((), False, why)
    return composed


@functools.cache
def _table(source: str, target: str) -> _Table:
    if (source, target) in _DIRECT:
        return _DIRECT[(source, target)]
    if (target, source) in _DIRECT:
        return _invert(_DIRECT[(target, source)])
    if target == "GENERIC":
        return _TO_GENERIC[source]
    if source == "GENERIC":
        return _invert(_TO_GENERIC[target])
    return _compose(_TO_GENERIC[source], _invert(_TO_GENERIC[target]))


def _known() -> tuple[str, ...]:
    return ("GENERIC", *_TO_GENERIC)


@attrs.frozen
class Crosswalk:
    """The levels of another scheme that correspond to one level, and how exact that is.

    Iterating a crosswalk yields its levels, least intensive first. An empty crosswalk means
    the target scheme has no corresponding level (`note` says why).

    Attributes:
        source: The level crosswalked from.
        scheme: The scheme crosswalked to.
        levels: The corresponding levels, least intensive first.
        approximate: True when the correspondence is not one-to-one in the published schemes
            (a provider's rough mapping, a level split or merged between editions, a mapping
            through the generic continuum, or the library's own approximation); `note` says
            which. False for an empty crosswalk.
        note: Why the mapping is approximate or empty; context such as a renaming where it is
            exact ("" when there is nothing to add).

    >>> from carecontinuum import crosswalk
    >>> from carecontinuum.catalogs import GENERIC, LOCUS
    >>> cw = crosswalk(GENERIC["IOP"], to=LOCUS)
    >>> [lvl.code for lvl in cw], cw.approximate
    (['3'], True)
    """

    source: LevelOfCare
    scheme: str
    levels: tuple[LevelOfCare, ...]
    approximate: bool
    note: str

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.source, LevelOfCare):
            raise InvalidTypeError("source", self.source, "a LevelOfCare")
        check_str("scheme", self.scheme)
        levels = tuple_of("levels", self.levels, LevelOfCare, "a LevelOfCare")
        for i, level in enumerate(levels):
            if level.scheme != self.scheme:
                raise InvalidValueError(f"levels[{i}]", level, f"a level of {self.scheme}")
        object.__setattr__(self, "levels", levels)
        check_bool("approximate", self.approximate)
        check_str("note", self.note, allow_empty=True)

    def __iter__(self) -> Iterator[LevelOfCare]:
        return iter(self.levels)

    def __len__(self) -> int:
        return len(self.levels)

    def __contains__(self, level: object) -> bool:
        return level in self.levels


def crosswalk(level: LevelOfCare, *, to: Continuum) -> Crosswalk:
    """Map a level to the corresponding level(s) of another scheme.

    Args:
        level: A level of one of the catalog schemes (GENERIC, ASAM3, ASAM4, LOCUS).
        to: The continuum to map into.

    Returns:
        A `Crosswalk` listing the corresponding levels of `to`, flagged `approximate` with a
        note wherever the mapping is not one-to-one. Mapping to the level's own scheme returns
        the level itself.

    Raises:
        InvalidTypeError: `level` is not a LevelOfCare or `to` not a Continuum.
        InvalidValueError: no crosswalk is known between the two schemes.

    >>> from carecontinuum.catalogs import ASAM3, ASAM4, GENERIC
    >>> [lvl.code for lvl in crosswalk(GENERIC["IOP"], to=ASAM3)]
    ['2.1']
    >>> cw = crosswalk(ASAM3["3.3"], to=ASAM4)
    >>> [lvl.code for lvl in cw], cw.approximate
    (['3.5'], True)
    """
    if not isinstance(level, LevelOfCare):
        raise InvalidTypeError("level", level, "a LevelOfCare")
    if not isinstance(to, Continuum):
        raise InvalidTypeError("to", to, "a Continuum")
    if level.scheme == to.scheme:
        return Crosswalk(level, to.scheme, (to.level(level),), False, "")
    known = _known()
    for field, scheme in (("level.scheme", level.scheme), ("to.scheme", to.scheme)):
        if scheme not in known:
            raise InvalidValueError(
                field, scheme, f"a scheme with a crosswalk ({', '.join(known)})"
            )
    targets, approximate, note = _table(level.scheme, to.scheme).get(
        level.code, ((), False, f"no {to.scheme} level corresponds to {level.scheme} {level.code}")
    )
    levels = tuple(sorted((to[code] for code in targets), key=lambda lvl: lvl.rank))
    return Crosswalk(level, to.scheme, levels, approximate, note)
