"""Crosswalks between schemes: which level(s) of one scheme correspond to a level of another.

The tables here are the only place correspondences are written. Each scheme maps to the generic
continuum (the pivot); ASAM's 3rd and 4th editions also map to each other directly. Reverse
directions are derived by inverting a table, and other pairs by composing two tables through the
pivot, so a correspondence is written once. Each note names where a correspondence comes from:
the schemes' own level names and numbers, a provider's crosswalk, or carecontinuum's own
approximation. docs/levels.md explains the tables and their sources.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import attrs

from ._errors import InvalidTypeError, InvalidValueError, _echo
from ._frozen import value_eq, value_hash
from ._levels import Continuum, LevelOfCare
from ._text import clip, line, summary, value_repr
from ._validators import check_bool, check_str, tuple_of

__all__ = ["Crosswalk", "crosswalk"]

# code -> (target codes, approximate, note)
_Entry = tuple[tuple[str, ...], bool, str]
_Table = dict[str, _Entry]

# Notes. Each says where a correspondence comes from: a published scheme's own words (its
# level names and numbers), the domain notes' sources, or carecontinuum's own approximation.
_LIBRARY = "carecontinuum's own approximation, not a published crosswalk"
_AMBULATORY_WM = "ambulatory withdrawal management; the generic DETOX level is 24-hour care"
_CLINICAL_WM = (
    "clinically managed (non-medical) residential withdrawal management; the generic DETOX "
    "level is medically monitored; " + _LIBRARY
)
_PIVOT = "mapped through the generic continuum; no published crosswalk links these schemes"
_BETWEEN = (
    "more than generic residential treatment, less than hospital (medically managed inpatient) "
    "care, and the generic continuum has no level between them; " + _LIBRARY
)
_SEVERAL = "several levels correspond; which one fits depends on the program"
_WM_INTEGRATED = "withdrawal management is integrated into the 4th edition's levels"
# TEDS: the setting definitions are SAMHSA's (catalogs.TEDS cites them); which ASAM level is
# reported in which setting is carecontinuum's reading of those definitions.
_TEDS_LENGTH = (
    "TEDS splits rehabilitation/residential care by length: short term (4) for 30 days or "
    "fewer, long term (5) for more; teds_setting() decides by the stay's length"
)
_TEDS_NO_PHP = (
    "TEDS has no partial-hospitalization setting; its intensive outpatient setting (at a "
    "minimum two or more hours a day on three or more days a week, SAMHSA) is the nearest; "
    + _LIBRARY
)
_TEDS_FLOOR = (
    "TEDS's intensive outpatient floor (two hours a day, three days a week) is lower than "
    "ASAM's nine hours a week"
)
_TEDS_NOT_HOSPITAL = (
    "medically monitored 24-hour care, often in a freestanding facility: not the hospital "
    "setting (3), so reported as rehabilitation/residential care; " + _TEDS_LENGTH
)
_TEDS_WM_SETTING = (
    "TEDS splits 24-hour detoxification by setting: hospital inpatient (1) or free-standing "
    "residential (2), as the program is delivered; " + _LIBRARY
)
_TEDS_OTP = (
    "TEDS records opioid therapy as a flag, not a setting: report the setting of the level "
    "it runs beside (medication-assisted opioid therapy is an item of the TEDS record of its "
    "own)"
)
_TEDS_AMBULATORY_WM = "TEDS's ambulatory detoxification: withdrawal management without a stay"
_TEDS_NOT_TREATMENT = "TEDS reports treatment admissions; {what} has no TEDS service setting"

#: Each scheme's levels in generic terms. Levels of 24-hour care keep their intensity: ASAM
#: level 4 and LOCUS 6 (medically managed, hospital-based) are the generic INPATIENT level;
#: medically monitored 24-hour care that is not a hospital (ASAM 3rd edition 3.7, 4th edition
#: 3.7, LOCUS 5) spans RESIDENTIAL and INPATIENT, so that no crosswalk sends it to clinically
#: managed residential care alone.
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
        "3.2-WM": (("DETOX",), True, _CLINICAL_WM),
        "3.3": (("RESIDENTIAL",), False, ""),
        "3.5": (("RESIDENTIAL",), False, ""),
        "3.7": (
            ("RESIDENTIAL", "INPATIENT"),
            True,
            "medically monitored intensive inpatient care (24-hour nursing, physicians "
            "available), often in a freestanding facility rather than a hospital: " + _BETWEEN,
        ),
        "3.7-WM": (("DETOX",), False, ""),
        "4": (("INPATIENT",), False, "medically managed intensive inpatient care is hospital care"),
        "4-WM": (
            ("DETOX", "INPATIENT"),
            True,
            "medically managed withdrawal management in a hospital; the generic DETOX level is "
            "medically monitored; " + _LIBRARY,
        ),
    },
    "ASAM4": {
        "1.0": (("RECOVERY",), True, "remission monitoring is closest to recovery support"),
        "1.5": (("OP",), False, ""),
        "1.7": (("OP",), True, "medically managed outpatient, including ambulatory withdrawal"),
        "2.1": (("IOP",), False, ""),
        "2.5": (("PHP",), False, "high-intensity outpatient is partial hospitalization renamed"),
        "2.7": (
            ("PHP",),
            True,
            "medically managed intensive outpatient ranks above high-intensity outpatient (2.5), "
            "so its nearest generic level is PHP; " + _LIBRARY,
        ),
        "3.1": (("RESIDENTIAL",), False, ""),
        "3.5": (("RESIDENTIAL",), False, ""),
        "3.7": (
            ("RESIDENTIAL", "DETOX", "INPATIENT"),
            True,
            f"{_WM_INTEGRATED}; medically managed residential care (not a hospital): {_BETWEEN}",
        ),
        "4": (
            ("INPATIENT",),
            False,
            "medically managed inpatient care, withdrawal management included, is hospital care",
        ),
    },
    "LOCUS": {
        "0": (("RECOVERY",), True, "basic services available to everyone in a service area"),
        "1": (("OP",), True, "recovery maintenance: low-frequency outpatient contact"),
        "2": (("OP",), False, ""),
        "3": (("IOP",), True, "LOCUS 3 is roughly IOP (a provider's crosswalk)"),
        "4": (("PHP",), True, "LOCUS 4 is roughly PHP (a provider's crosswalk)"),
        "5": (
            ("RESIDENTIAL", "INPATIENT"),
            True,
            "medically monitored residential care (crisis or other high-intensity residential, "
            "as a provider describes it): " + _BETWEEN,
        ),
        "6": (
            ("INPATIENT",),
            False,
            "medically managed residential services, usually an inpatient unit, are hospital "
            "care despite the name",
        ),
    },
    "TEDS": {
        "1": (
            ("DETOX", "INPATIENT"),
            True,
            "detoxification in a hospital (medical acute care); the generic DETOX level is "
            "medically monitored; " + _LIBRARY,
        ),
        "2": (
            ("DETOX",),
            True,
            "24-hour detoxification outside a hospital; TEDS does not say who directs care "
            "(clinically managed or medically monitored), and the generic DETOX level is "
            "medically monitored",
        ),
        "3": (("INPATIENT",), False, "rehabilitation in a hospital, other than detoxification"),
        "4": (("RESIDENTIAL",), False, ""),
        "5": (("RESIDENTIAL",), False, ""),
        "6": (("IOP", "PHP"), True, _TEDS_NO_PHP),
        "7": (("OP",), False, ""),
        "8": (("DETOX",), True, _AMBULATORY_WM),
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
        "3.7": (
            ("3.7",),
            False,
            "medically monitored intensive inpatient (3rd edition) was renamed medically "
            "managed residential (4th edition)",
        ),
        "3.7-WM": (("3.7",), True, _LIBRARY),
        "4": (("4",), False, ""),
        "4-WM": (("4",), True, _LIBRARY),
    },
    ("ASAM3", "TEDS"): {
        "0.5": ((), False, _TEDS_NOT_TREATMENT.format(what="early intervention")),
        "1": (("7",), False, ""),
        "1-WM": (("8",), False, _TEDS_AMBULATORY_WM),
        "OTP": ((), False, _TEDS_OTP),
        "2-WM": (("8",), False, _TEDS_AMBULATORY_WM),
        "2.1": (("6",), False, _TEDS_FLOOR),
        "2.5": (("6",), True, _TEDS_NO_PHP),
        "3.1": (("4", "5"), True, _TEDS_LENGTH),
        "3.2-WM": (
            ("2",),
            True,
            "clinically managed (non-medical) residential withdrawal management; TEDS's "
            "free-standing residential detoxification does not say who directs care; " + _LIBRARY,
        ),
        "3.3": (("4", "5"), True, _TEDS_LENGTH),
        "3.5": (("4", "5"), True, _TEDS_LENGTH),
        "3.7": (("4", "5"), True, _TEDS_NOT_HOSPITAL),
        "3.7-WM": (("1", "2"), True, _TEDS_WM_SETTING),
        "4": (("3",), False, "medically managed intensive inpatient care is hospital care"),
        "4-WM": (
            ("1",),
            False,
            "medically managed withdrawal management is hospital inpatient detoxification",
        ),
    },
    ("ASAM4", "TEDS"): {
        "1.0": ((), False, _TEDS_NOT_TREATMENT.format(what="long-term remission monitoring")),
        "1.5": (("7",), False, ""),
        "1.7": (
            ("7", "8"),
            True,
            f"{_WM_INTEGRATED}: medically managed outpatient care is ambulatory detoxification "
            "(8) when it manages withdrawal, else non-intensive outpatient (7); " + _LIBRARY,
        ),
        "2.1": (("6",), False, _TEDS_FLOOR),
        "2.5": (("6",), True, _TEDS_NO_PHP),
        "2.7": (
            ("6", "8"),
            True,
            f"{_WM_INTEGRATED}: ambulatory detoxification (8) when it manages withdrawal; "
            + _TEDS_NO_PHP,
        ),
        "3.1": (("4", "5"), True, _TEDS_LENGTH),
        "3.5": (("4", "5"), True, _TEDS_LENGTH),
        "3.7": (
            ("2", "4", "5"),
            True,
            f"{_WM_INTEGRATED}: free-standing residential detoxification (2) when it manages "
            f"withdrawal; {_TEDS_NOT_HOSPITAL}",
        ),
        "4": (
            ("1", "3"),
            True,
            f"{_WM_INTEGRATED}: hospital inpatient detoxification (1) or hospital "
            "rehabilitation (3), as the stay is for withdrawal or not",
        ),
    },
}


def _parts(note: str) -> list[str]:
    return [part for part in note.split("; ") if part]


def _invert(table: _Table) -> _Table:
    """Reverse a table. Where a target has exact sources, only those are kept; otherwise its
    approximate sources are, flagged so (IOP maps to 4th-edition 2.1, not also to 2.7). A
    target with several sources is flagged approximate even when each is exact: one level
    here, several there, is not a one-to-one correspondence."""
    exact: dict[str, tuple[list[str], list[str]]] = {}
    rough: dict[str, tuple[list[str], list[str]]] = {}
    for code, (targets, approximate, note) in table.items():
        for target in targets:
            codes, notes = (rough if approximate else exact).setdefault(target, ([], []))
            codes.append(code)
            notes.extend(n for n in _parts(note) if n not in notes)
    inverted = {k: (tuple(c), True, "; ".join(n)) for k, (c, n) in rough.items()}
    for k, (c, n) in exact.items():
        several = len(c) > 1
        inverted[k] = (tuple(c), several, "; ".join([_SEVERAL, *n] if several else n))
    return inverted


def _compose(source: _Table, target: _Table) -> _Table:
    """Map through the generic continuum, from `source` (a scheme's table to GENERIC) to the
    scheme whose table to GENERIC is `target`. A level maps to the target levels that share the
    most of its generic counterparts; among those, to the ones with the fewest other generic
    counterparts, and to exact mappings over approximate ones. So two levels that sit at the
    same place on the generic continuum map to each other (LOCUS 5 and ASAM 3.7 both lie
    between RESIDENTIAL and INPATIENT), and a level spanning two generic levels keeps its upper
    end. Always approximate: no published table links the two schemes (ASAM and LOCUS even
    assess different conditions)."""
    composed: _Table = {}
    for code, (middle, _, note) in source.items():
        wanted = set(middle)
        chosen: list[str] = []
        best: tuple[int, int, bool] | None = None
        for other, (generic, approximate, _) in target.items():
            shared = len(wanted.intersection(generic))
            if not shared:
                continue
            rank = (-shared, len(set(generic) - wanted), approximate)
            if best is None or rank < best:
                chosen, best = [other], rank
            elif rank == best:
                chosen.append(other)
        if chosen:
            notes = [_PIVOT, *_parts(note)]
            for other in chosen:
                notes.extend(n for n in _parts(target[other][2]) if n not in notes)
            composed[code] = (tuple(chosen), True, "; ".join(notes))
        else:
            # Say which generic levels found no counterpart, after the source's own note.
            where = f"its generic counterpart ({', '.join(middle)}) has no level here"
            why = "; ".join(part for part in (note, where if middle else "") if part)
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
    return _compose(_TO_GENERIC[source], _TO_GENERIC[target])


def _known() -> tuple[str, ...]:
    return ("GENERIC", *_TO_GENERIC)


def _own_table(continuum: Continuum) -> _Table:
    """A continuum of the user's own, its `Continuum.to_generic` as a table to the pivot."""
    own = f"as the {continuum.scheme} continuum maps it"
    table: _Table = {}
    for code, targets in continuum.to_generic.items():
        if not targets:
            table[code] = ((), False, f"no generic level corresponds, {own}")
        else:
            table[code] = (targets, len(targets) > 1, own if len(targets) > 1 else "")
    return table


def _pair_table(source: Continuum, target: Continuum) -> _Table:
    """The table from `source` to `target`, one of them (at least) a continuum of the user's
    own that carries its mapping to the generic continuum."""
    schemes = _known()
    here = _TO_GENERIC.get(source.scheme) or _own_table(source)
    if target.scheme == "GENERIC":
        return here
    there = _TO_GENERIC.get(target.scheme) or _own_table(target)
    if source.scheme == "GENERIC":
        return _invert(there)
    if source.scheme in schemes and target.scheme in schemes:  # pragma: no cover (callers)
        return _table(source.scheme, target.scheme)
    return _compose(here, there)


def _note(note: str) -> str:
    return f": {clip(line(note), 80)}" if note else ""


@attrs.frozen
class Crosswalk:
    """The levels of another scheme that correspond to one level, and how exact that is.

    Iterating a crosswalk yields its levels, least intensive first. An empty crosswalk means
    the target scheme has no corresponding level (`note` says why).

    Attributes:
        source: The level crosswalked from.
        scheme: The scheme crosswalked to.
        levels: The corresponding levels, least intensive first.
        approximate: True when the correspondence is not one-to-one: several levels
            correspond (always approximate, even when each is an exact counterpart), or the
            one listed corresponds only roughly (a provider's rough mapping, a level split or
            merged between editions, a mapping through the generic continuum, or the library's
            own approximation); `note` says which. False for an empty crosswalk.
        note: Why the mapping is approximate or empty; context such as a renaming where it is
            exact ("" when there is nothing to add).

    >>> from carecontinuum import crosswalk
    >>> from carecontinuum.catalogs import GENERIC, LOCUS
    >>> cw = crosswalk(GENERIC["IOP"], to=LOCUS)
    >>> [lvl.code for lvl in cw], cw.approximate
    (['3'], True)
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

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
                raise InvalidValueError(
                    f"levels[{i}]", level, f"a level of scheme {_echo(self.scheme, 40)}"
                )
        object.__setattr__(self, "levels", levels)
        check_bool("approximate", self.approximate)
        if len(levels) > 1 and not self.approximate:
            raise InvalidValueError(
                "approximate", self.approximate, "True for a crosswalk listing several levels"
            )
        check_str("note", self.note, allow_empty=True)

    def __str__(self) -> str:
        """The source level, the levels it corresponds to and how exactly.

        >>> from carecontinuum import crosswalk
        >>> from carecontinuum.catalogs import GENERIC, LOCUS
        >>> print(crosswalk(GENERIC["IOP"], to=LOCUS))  # doctest: +ELLIPSIS
        GENERIC IOP -> LOCUS 3 (approximate: LOCUS 3 is roughly IOP...)
        """
        source = f"{self.source.scheme} {self.source.code}"
        if not self.levels:
            return summary(f"{source} -> no {self.scheme} level" + _note(self.note))
        codes = ", ".join(level.code for level in self.levels)
        how = "approximate" if self.approximate else "exact"
        return summary(f"{source} -> {self.scheme} {clip(codes, 40)} ({how}{_note(self.note)})")

    def __iter__(self) -> Iterator[LevelOfCare]:
        return iter(self.levels)

    def __len__(self) -> int:
        return len(self.levels)

    def __contains__(self, level: object) -> bool:
        return level in self.levels


def crosswalk(
    level: LevelOfCare, *, to: Continuum | str, within: Continuum | None = None
) -> Crosswalk:
    """Map a level to the corresponding level(s) of another scheme.

    The catalog schemes (GENERIC, ASAM3, ASAM4, LOCUS, TEDS) crosswalk to one another through
    the library's tables. A continuum of your own takes part when it carries its mapping to
    the generic continuum (`Continuum.to_generic`): as `to`, or, for one of its levels, as
    `within` (a level does not know its continuum). Its crosswalks to GENERIC are as its
    mapping says; to any other scheme they go through the generic continuum and are
    approximate.

    Args:
        level: A level of one of the catalog schemes, or of `within`.
        to: The continuum to map into, or a catalog's scheme name (``"ASAM3"``, ``"LOCUS"``,
            spelt as the catalog's `Continuum.scheme`) for the catalog itself.
        within: The continuum of your own that `level` belongs to, carrying `to_generic`;
            None for a level of a catalog scheme.

    Returns:
        A `Crosswalk` listing the corresponding levels of `to`, flagged `approximate` with a
        note wherever the mapping is not one-to-one. Mapping to the level's own scheme returns
        the level itself.

    Raises:
        InvalidTypeError: `level` is not a LevelOfCare, `to` not a Continuum or a string, or
            `within` not a Continuum.
        InvalidValueError: `to` names no catalog scheme, no crosswalk is known between the
            two schemes (a continuum of your own without `to_generic`, or a level of one
            given without `within`), or `within` carries no mapping or is not the continuum
            of `level`.

    >>> from carecontinuum.catalogs import ASAM3, ASAM4, GENERIC
    >>> [lvl.code for lvl in crosswalk(GENERIC["IOP"], to=ASAM3)]
    ['2.1']
    >>> cw = crosswalk(ASAM3["3.3"], to=ASAM4)
    >>> [lvl.code for lvl in cw], cw.approximate
    (['3.5'], True)
    >>> [lvl.code for lvl in crosswalk(GENERIC["PHP"], to="LOCUS")]
    ['4']

    A state's own levels, carrying their generic counterparts:

    >>> from carecontinuum import Continuum, LevelOfCare
    >>> rows = [("OP", "outpatient", False), ("RES-S", "short-term residential", True)]
    >>> state = Continuum("STATE", "A state's levels", [
    ...     LevelOfCare(code, name, "STATE", "residential" if night else "outpatient",
    ...                 overnight=night, supervision="24-hour" if night else "scheduled",
    ...                 rank=rank) for rank, (code, name, night) in enumerate(rows)],
    ...     "the state's manual", to_generic={"OP": "OP", "RES-S": "RESIDENTIAL"})
    >>> [lvl.code for lvl in crosswalk(state["RES-S"], to="ASAM3", within=state)]
    ['3.1', '3.3', '3.5']
    >>> [lvl.code for lvl in crosswalk(ASAM3["1"], to=state)]
    ['OP']
    """
    if not isinstance(level, LevelOfCare):
        raise InvalidTypeError("level", level, "a LevelOfCare")
    if isinstance(to, str):
        to = catalog_named("to", to)
    elif not isinstance(to, Continuum):
        raise InvalidTypeError("to", to, "a Continuum or a catalog's scheme name ('ASAM3')")
    if within is not None:
        if not isinstance(within, Continuum):
            raise InvalidTypeError("within", within, "the Continuum of your own `level` is of")
        if level not in within:
            raise InvalidValueError("within", within, f"the continuum {level} is a level of")
    if level.scheme == to.scheme:
        return Crosswalk(level, to.scheme, (to.level(level),), False, "")
    known = _known()
    own = within if within is not None and within.to_generic else None
    if within is not None and own is None and within.scheme not in known:
        raise InvalidValueError(
            "within", within, "a continuum carrying to_generic, its levels' generic counterparts"
        )
    ends = (("level.scheme", level.scheme, own), ("to.scheme", to.scheme, to))
    for field, scheme, continuum in ends:
        if scheme not in known and (continuum is None or not continuum.to_generic):
            hint = (
                "; a level of a continuum of your own crosswalks with within=, the continuum "
                "carrying to_generic"
                if field == "level.scheme"
                else "; a continuum of your own crosswalks when it carries to_generic"
            )
            raise InvalidValueError(
                field, scheme, f"a scheme with a crosswalk ({', '.join(known)}){hint}"
            )
    if level.scheme in known and to.scheme in known:
        table = _table(level.scheme, to.scheme)
    else:
        table = _pair_table(own or catalog_named("level.scheme", level.scheme), to)
    targets, approximate, note = table.get(
        level.code, ((), False, f"no {to.scheme} level corresponds to {level.scheme} {level.code}")
    )
    levels = tuple(sorted((to[code] for code in targets), key=lambda lvl: lvl.rank))
    return Crosswalk(level, to.scheme, levels, approximate, note)


def catalog_named(field: str, scheme: str) -> Continuum:
    """The catalog continuum whose scheme is `scheme` (spelt exactly), or the library's error
    listing the schemes."""
    from .catalogs import ALL  # noqa: PLC0415 (the catalogs are built from this module's kin)

    catalog = ALL.get(scheme)
    if catalog is not None:
        return catalog
    names = ", ".join(map(repr, ALL))
    near = [name for name in ALL if name.lower() == scheme.strip().lower()]
    hint = f"; did you mean {near[0]!r}?" if near else ""
    raise InvalidValueError(field, scheme, f"a Continuum or a catalog's scheme: {names}{hint}")
